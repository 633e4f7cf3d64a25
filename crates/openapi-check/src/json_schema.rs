//! OpenAPI 3.0 schema objects as JSON Schema draft 4, and validators built from them.
//!
//! OpenAPI 3.0 builds on the Wright draft 00 of JSON Schema, whose `exclusiveMaximum` and `integer` rules are draft
//! 4's, so its schemas are rewritten into plain draft 4: `nullable` becomes "null or the schema", and the `int32` and
//! `int64` formats become bounds. schemars 0.8 emits draft 7, so its schemas are validated as draft 7.

use jsonschema::Validator;
use serde_json::{Map, Value, json};

/// A rewrite of one schema object, or why it cannot be rewritten.
pub type Rewrite = dyn Fn(&mut Map<String, Value>) -> Result<(), String>;

/// Applies `rewrite` to every schema object inside `schema` (itself included), innermost first.
///
/// Only keywords whose values are schemas are followed, so that data such as `enum`, `default` or `example` values
/// (which may well contain a key called `nullable`) is never rewritten.
pub fn rewrite_schemas(schema: &mut Value, rewrite: &Rewrite) -> Result<(), String> {
    let Value::Object(object) = schema else {
        // Boolean schemas (draft 6 and later) hold nothing to rewrite.
        return Ok(());
    };
    for (keyword, value) in object.iter_mut() {
        match keyword.as_str() {
            "properties" | "patternProperties" | "definitions" => {
                if let Some(map) = value.as_object_mut() {
                    for subschema in map.values_mut() {
                        rewrite_schemas(subschema, rewrite)?;
                    }
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Some(list) = value.as_array_mut() {
                    for subschema in list {
                        rewrite_schemas(subschema, rewrite)?;
                    }
                }
            }
            "items" if value.is_array() => {
                for subschema in value.as_array_mut().into_iter().flatten() {
                    rewrite_schemas(subschema, rewrite)?;
                }
            }
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else" => rewrite_schemas(value, rewrite)?,
            _ => {}
        }
    }
    rewrite(object)
}

/// `format: int32` and `format: int64` mean the value fits that integer type (OpenAPI's data types, and schemars
/// uses the same names); JSON Schema knows no such formats and would ignore them, so they become bounds.
/// The same rewrite is applied to the OpenAPI and the schemars schemas, so that both are read alike.
pub fn integer_format_bounds(object: &mut Map<String, Value>) -> Result<(), String> {
    if object.get("type") != Some(&json!("integer")) {
        return Ok(());
    }
    let (min, max) = match object.get("format").and_then(Value::as_str) {
        Some("int32") => (json!(i32::MIN), json!(i32::MAX)),
        Some("int64") => (json!(i64::MIN), json!(i64::MAX)),
        _ => return Ok(()),
    };
    object.entry("minimum").or_insert(min);
    object.entry("maximum").or_insert(max);
    Ok(())
}

/// Rewrites one OpenAPI 3.0 schema object (whose subschemas are already rewritten) into JSON Schema draft 4.
fn openapi_keywords(object: &mut Map<String, Value>) -> Result<(), String> {
    // These change what is valid in ways this test does not model; fail loudly rather than validate wrongly.
    for unsupported in ["discriminator", "readOnly", "writeOnly"] {
        if object.contains_key(unsupported) {
            return Err(format!(
                "the schema uses `{unsupported}`, which tests/examples.rs does not translate yet"
            ));
        }
    }
    integer_format_bounds(object)?;
    match object.remove("nullable") {
        None | Some(Value::Bool(false)) => Ok(()),
        Some(Value::Bool(true)) => {
            if object.contains_key("$ref") {
                // OpenAPI 3.0 ignores every sibling of `$ref`, so this `nullable` would mean nothing to one tool and
                // "null is fine" to another; the spec must say `allOf: [{$ref: ...}]` next to `nullable` instead.
                return Err("`nullable` next to `$ref` is ignored in OpenAPI 3.0; wrap the `$ref` in `allOf`".into());
            }
            // Wrapping (rather than adding "null" to `type`) also lets null through an `enum`, a `pattern` or a
            // `oneOf` that would refuse it. That is what the spec means by `nullable` (see `is_join_required`), and
            // what the generated `Option<T>` accepts, though OpenAPI 3.0.3's clarification would have `enum: [0, 1]`
            // refuse null unless the list contains it.
            let not_null = Value::Object(std::mem::take(object));
            object.insert("anyOf".into(), json!([not_null, {"type": "null"}]));
            Ok(())
        }
        Some(other) => Err(format!("`nullable` must be a boolean, not {other}")),
    }
}

/// One OpenAPI schema object as a draft 4 schema (its `$ref`s still point into `#/components/schemas`).
pub fn to_json_schema(openapi: &Value) -> Result<Value, String> {
    let mut schema = openapi.clone();
    rewrite_schemas(&mut schema, &openapi_keywords)?;
    Ok(schema)
}

/// The spec's `components` with every schema rewritten, to sit in the root document so that
/// `$ref: '#/components/schemas/X'` resolves.
pub fn json_schema_components(spec: &Value) -> Result<Map<String, Value>, String> {
    let mut components = spec["components"].as_object().cloned().unwrap_or_default();
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            *schema = to_json_schema(schema).map_err(|err| format!("/components/schemas/{name}: {err}"))?;
        }
    }
    Ok(components)
}

/// A draft 4 validator for the OpenAPI schema `schema` (inline or a `$ref`), resolved against the spec's components.
pub fn openapi_validator(spec: &Value, schema: &Value) -> Result<Validator, String> {
    let root = json!({
        "components": json_schema_components(spec)?,
        "allOf": [to_json_schema(schema)?],
    });
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|err| format!("the schema does not compile: {err}"))
}

/// A draft 7 validator for the schema schemars derives from a Rust type, with the same integer
/// bounds as the OpenAPI side so that both are read alike.
pub fn schemars_validator(schemars_schema: Value) -> Result<Validator, String> {
    let mut schema = schemars_schema;
    rewrite_schemas(&mut schema, &integer_format_bounds)?;
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|err| format!("the schemars schema does not compile: {err}"))
}

/// Every way `instance` breaks the schema, one line each, led by the instance path.
pub fn violations(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|err| {
            let path = err.instance_path().to_string();
            let path = if path.is_empty() {
                "(the whole value)".to_string()
            } else {
                path
            };
            format!("at {path}: {err}")
        })
        .collect()
}

/// One way an instance breaks a schema: where in the instance, which rule of the schema, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A JSON pointer into the instance; empty for the whole value.
    pub instance_path: String,
    /// The JSON pointer of the broken keyword in the (rewritten) schema, such as `/allOf/0/properties/name/maxLength`.
    pub schema_path: String,
    pub message: String,
}

/// Every way `instance` breaks the schema, with the schema rule each one broke.
pub fn violation_details(validator: &Validator, instance: &Value) -> Vec<Violation> {
    validator
        .iter_errors(instance)
        .map(|err| Violation {
            instance_path: err.instance_path().to_string(),
            schema_path: err.schema_path().to_string(),
            message: err.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_becomes_null_or_the_schema() {
        let schema =
            to_json_schema(&json!({"type": "integer", "format": "int32", "enum": [0, 1], "nullable": true})).unwrap();
        assert_eq!(
            schema,
            json!({"anyOf": [
                {"type": "integer", "format": "int32", "enum": [0, 1], "minimum": i32::MIN, "maximum": i32::MAX},
                {"type": "null"},
            ]})
        );
        let validator = jsonschema::draft4::new(&schema).unwrap();
        assert!(validator.is_valid(&json!(null)));
        assert!(validator.is_valid(&json!(1)));
        assert!(!validator.is_valid(&json!(2)));
        assert!(!validator.is_valid(&json!("1")));

        // Not nullable, or nullable: false, lets no null through.
        for schema in [json!({"type": "string"}), json!({"type": "string", "nullable": false})] {
            let validator = jsonschema::draft4::new(&to_json_schema(&schema).unwrap()).unwrap();
            assert!(!validator.is_valid(&json!(null)), "{schema}");
            assert!(validator.is_valid(&json!("x")), "{schema}");
        }

        // Nested schemas are rewritten; data that merely looks like a schema is not.
        let nested = to_json_schema(&json!({
            "type": "object",
            "properties": {"a": {"type": "array", "items": {"type": "string", "nullable": true}}},
            "additionalProperties": {"oneOf": [{"type": "integer", "format": "int64", "nullable": true}]},
            "enum": [{"nullable": true}],
            "example": {"nullable": true},
        }))
        .unwrap();
        assert_eq!(
            nested["properties"]["a"]["items"],
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
        );
        assert_eq!(
            nested["additionalProperties"]["oneOf"][0]["anyOf"][1],
            json!({"type": "null"})
        );
        assert_eq!(nested["enum"], json!([{"nullable": true}]));
        assert_eq!(nested["example"], json!({"nullable": true}));
    }

    #[test]
    fn the_conversion_refuses_what_it_cannot_translate() {
        for schema in [
            json!({"$ref": "#/components/schemas/CustomData", "nullable": true}),
            json!({"type": "string", "nullable": "yes"}),
            json!({"type": "object", "discriminator": {"propertyName": "kind"}}),
            json!({"properties": {"id": {"type": "string", "readOnly": true}}}),
        ] {
            assert!(to_json_schema(&schema).is_err(), "{schema}");
        }
    }
}
