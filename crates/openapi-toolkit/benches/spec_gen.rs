//! A generator of large OpenAPI 3.0 documents in the shape of Stripe's: many operations over shared, deep schemas
//! with `$ref`s everywhere, thousands of examples, readOnly/writeOnly and discriminators. Nothing is fetched.
//!
//! `generate(scale, revision)` is deterministic: scale 1 is about 1 MB of JSON with about 1,000 examples, and each
//! part grows with the scale, so the document's size is linear in it. Revision 1 changes a few things (a property
//! made required, an enum value removed, an operation added), as two commits of a real spec would.

use serde_json::{Map, Value, json};

/// Resources per unit of scale: each has five operations and a schema of its own.
const RESOURCES: usize = 30;

pub fn generate(scale: usize, revision: usize) -> Value {
    let resources = RESOURCES * scale;
    let mut schemas = Map::new();
    schemas.insert("Error".into(), json!({
        "description": "An error.", "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["type", "message"], "properties": {
            "type": {"type": "string", "enum": ["api_error", "card_error", "invalid_request_error"], "description": "The kind."},
            "message": {"type": "string", "maxLength": 5000, "description": "What happened."},
            "param": {"type": "string", "nullable": true, "description": "The parameter at fault."},
        }}},
    }));
    schemas.insert("Metadata".into(), json!({
        "description": "Key-value pairs.", "type": "object", "additionalProperties": {"type": "string", "maxLength": 500},
    }));
    schemas.insert(
        "Address".into(),
        json!({
            "description": "An address.", "type": "object",
            "properties": {
                "city": {"type": "string", "nullable": true, "maxLength": 5000},
                "country": {"type": "string", "nullable": true, "maxLength": 5000},
                "line1": {"type": "string", "nullable": true, "maxLength": 5000},
                "postal_code": {"type": "string", "nullable": true, "maxLength": 5000},
            },
        }),
    );
    for kind in ["Card", "Bank"] {
        schemas.insert(
            kind.into(),
            json!({
                "description": format!("A {kind} payment method."), "type": "object", "required": ["kind"],
                "properties": {
                    "kind": {"type": "string"},
                    "last4": {"type": "string", "minLength": 4, "maxLength": 4},
                    "address": {"$ref": "#/components/schemas/Address"},
                },
            }),
        );
    }
    schemas.insert("PaymentMethod".into(), json!({
        "description": "One of the payment methods.",
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
        "discriminator": {"propertyName": "kind", "mapping": {"card": "#/components/schemas/Card", "bank": "#/components/schemas/Bank"}},
    }));
    let mut paths = Map::new();
    for k in 0..resources {
        let name = format!("Resource{k}");
        // Each resource refers to the one before it, so a change to an early schema reaches every later one: the
        // deep shared schemas of a real API.
        let previous = if k == 0 {
            json!({"$ref": "#/components/schemas/Metadata"})
        } else {
            json!({"$ref": format!("#/components/schemas/Resource{}", k - 1)})
        };
        let mut required = vec!["id", "object", "created"];
        if revision > 0 && k % 7 == 3 {
            required.push("status");
        }
        let statuses: Vec<&str> = if revision > 0 && k % 11 == 5 {
            vec!["active", "inactive"]
        } else {
            vec!["active", "inactive", "pending"]
        };
        schemas.insert(
            name.clone(),
            json!({
                "description": format!("The resource number {k}."),
                "type": "object",
                "required": required,
                "properties": {
                    "id": {"type": "string", "readOnly": true, "maxLength": 5000, "example": format!("res{k}_1")},
                    "object": {"type": "string", "enum": [format!("resource{k}")]},
                    "created": {"type": "integer", "format": "int64", "readOnly": true, "example": 1_700_000_000},
                    "status": {"type": "string", "enum": statuses, "example": "active"},
                    "amount": {"type": "integer", "minimum": 0, "maximum": 18446744073709552000_f64},
                    "secret": {"type": "string", "writeOnly": true},
                    "description": {"type": "string", "nullable": true, "maxLength": 5000},
                    "metadata": {"$ref": "#/components/schemas/Metadata"},
                    "payment_method": {"$ref": "#/components/schemas/PaymentMethod"},
                    "previous": previous,
                    "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Address"}},
                },
            }),
        );
        let object = |n: usize| {
            json!({
                "id": format!("res{k}_{n}"), "object": format!("resource{k}"), "created": 1_700_000_000 + n,
                "status": "active", "amount": n * 100, "description": null, "metadata": {"order": n.to_string()},
                "payment_method": {"kind": "card", "last4": "4242", "address": {"city": "Berlin", "country": null}},
                "lines": [{"city": "Paris", "line1": "1 rue de la Paix"}],
            })
        };
        let schema_ref = json!({"$ref": format!("#/components/schemas/{name}")});
        let error = json!({
            "description": "Invalid request.",
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"error": {"type": "invalid_request_error", "message": "No such resource.", "param": "id"}},
            }},
        });
        let response = |examples: Value| {
            json!({
                "200": {"description": "Successful response.", "content": {"application/json": {"schema": schema_ref, "examples": examples}}},
                "400": error,
            })
        };
        let request = json!({
            "required": true,
            "content": {"application/json": {
                "schema": schema_ref,
                "examples": {
                    "simple": {"value": {"object": format!("resource{k}"), "status": "pending", "secret": "s3cret"}},
                    "full": {"value": {"object": format!("resource{k}"), "amount": 2000, "metadata": {"a": "b"}, "lines": []}},
                },
            }},
        });
        let id = json!({"name": "id", "in": "path", "required": true, "description": "The id.", "schema": {"type": "string", "maxLength": 5000}, "example": format!("res{k}_1")});
        let expand = json!({"name": "expand", "in": "query", "description": "Fields to expand.", "schema": {"type": "array", "items": {"type": "string"}}, "example": ["previous"]});
        let operation = |verb: &str, summary: String, parameters: Value, body: Option<&Value>, examples: Value| {
            let mut operation = json!({
                "operationId": format!("{verb}Resource{k}"),
                "summary": summary,
                "description": format!("{verb} resource {k}."),
                "parameters": parameters,
                "responses": response(examples),
            });
            if let Some(body) = body {
                operation["requestBody"] = body.clone();
            }
            operation
        };
        paths.insert(
            format!("/v1/resource{k}"),
            json!({
                "get": operation("List", format!("List resource {k}"), json!([expand]), None,
                    json!({"one": {"value": object(1)}, "two": {"value": object(2)}})),
                "post": operation("Create", format!("Create resource {k}"), json!([expand]), Some(&request),
                    json!({"created": {"value": object(3)}})),
            }),
        );
        paths.insert(
            format!("/v1/resource{k}/{{id}}"),
            json!({
                "get": operation("Retrieve", format!("Retrieve resource {k}"), json!([id, expand]), None,
                    json!({"found": {"value": object(4)}})),
                "post": operation("Update", format!("Update resource {k}"), json!([id]), Some(&request),
                    json!({"updated": {"value": object(5)}})),
                "delete": operation("Delete", format!("Delete resource {k}"), json!([id]), None,
                    json!({"deleted": {"value": object(6)}})),
            }),
        );
    }
    if revision > 0 {
        paths.insert("/v1/added".into(), json!({"get": {"operationId": "ListAdded", "summary": "Added", "responses": {"200": {"description": "OK"}}}}));
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Generated Stripe-like API", "version": format!("{}.0.0", revision + 1)},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"Bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    })
}
