//! Every example in an OpenAPI document, found by walking it, with the schema each example claims to satisfy.

use serde_json::{Value, json};

/// Which way the value of an example travels, which decides what `readOnly` and `writeOnly` mean for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Sent by a client (a request body or a parameter): a `readOnly` property is not required in it.
    Request,
    /// Sent by the server (a response body or header): a `writeOnly` property is not required in it.
    Response,
    /// A schema's own example, which may stand for either: neither kind of property is required.
    Either,
}

/// One example in the spec with the schema it claims to satisfy.
#[derive(Clone, Debug)]
pub struct Example {
    /// Such as "201 response example `private`" or "header parameter `On-Behalf-Of` example".
    pub label: String,
    /// The JSON pointer of the example's value in the spec.
    pub pointer: String,
    /// The OpenAPI schema next to the example, as written (often a `$ref`).
    pub schema: Value,
    pub value: Value,
    /// Whether the value is a request's, a response's or a schema's own.
    pub direction: Direction,
}

/// An example whose value cannot be had, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleError {
    /// The JSON pointer of the example.
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for ExampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for ExampleError {}

/// Escapes one JSON pointer token (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Follows an example's `$ref` (into `#/components/examples`) and returns its `value`.
fn example_value(spec: &Value, example: &Value, pointer: &str) -> Result<Value, ExampleError> {
    let fail = |message: String| ExampleError {
        pointer: pointer.to_string(),
        message,
    };
    let example = match example.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let target = reference
                .strip_prefix('#')
                .ok_or_else(|| fail(format!("only local example $refs are supported, not {reference}")))?;
            spec.pointer(target)
                .ok_or_else(|| fail(format!("{reference} does not resolve")))?
        }
        None => example,
    };
    example
        .get("value")
        .cloned()
        .ok_or_else(|| fail("an example without `value` (such as `externalValue`) is not supported".to_string()))
}

/// Every example in the spec: each `examples` map and `example` next to a `schema` (media types, parameters,
/// headers), and each `example` inside a schema.
///
/// The document is walked by its structure (`holders`), so that a map entry that happens to be called `schema` (a
/// parameter component, a header) is never taken for a schema.
///
/// Fails on the first example whose value cannot be had (an unresolved `$ref`, an `externalValue`).
pub fn spec_examples(spec: &Value) -> Result<Vec<Example>, ExampleError> {
    let mut found = Vec::new();
    for holder in holders(spec) {
        let Some(schema) = holder.node.get("schema") else {
            continue;
        };
        for (name, example) in entries(holder.node.get("examples")) {
            let example_at = format!("{}/examples/{}", holder.at, escape(name));
            found.push(Example {
                label: format!("{} example `{name}`", holder.context),
                value: example_value(spec, example, &example_at)?,
                pointer: format!("{example_at}/value"),
                schema: schema.clone(),
                direction: holder.direction,
            });
        }
        if let Some(value) = holder.node.get("example") {
            found.push(Example {
                label: format!("{} example", holder.context),
                pointer: format!("{}/example", holder.at),
                schema: schema.clone(),
                value: value.clone(),
                direction: holder.direction,
            });
        }
        walk_schema(schema, &format!("{}/schema", holder.at), holder.direction, &mut found);
    }
    let components = spec.get("components");
    for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
        let at = format!("/components/schemas/{}", escape(name));
        walk_schema(schema, &at, Direction::Either, &mut found);
    }
    if crate::json_schema::is_json_schema_2020(spec) {
        // JSON Schema 2020-12's `examples` is a list of values, each an example of the schema that holds it.
        let mut lists = Vec::new();
        for holder in holders(spec) {
            if let Some(schema) = holder.node.get("schema") {
                walk_schema_lists(schema, &format!("{}/schema", holder.at), holder.direction, &mut lists);
            }
        }
        for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
            let at = format!("/components/schemas/{}", escape(name));
            walk_schema_lists(schema, &at, Direction::Either, &mut lists);
        }
        found.extend(lists);
    }
    Ok(found)
}

/// Every place of a document that holds a schema next to its examples: parameters, headers and media types, each
/// with its pointer and the direction its values travel. A `$ref`'d place is reached at its target.
pub fn schema_places(spec: &Value) -> Vec<(String, &Value, Direction)> {
    holders(spec)
        .into_iter()
        .filter_map(|holder| {
            let schema = holder.node.get("schema")?;
            Some((format!("{}/schema", holder.at), schema, holder.direction))
        })
        .collect()
}

/// The entries of a map (nothing for anything else), in the value's order.
fn entries(node: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    node.and_then(Value::as_object).into_iter().flatten()
}

/// An object that may hold a `schema` with its `example` and `examples`: a parameter, a header or a media type.
struct Holder<'s> {
    node: &'s Value,
    /// Its JSON pointer.
    at: String,
    /// What it is, for the labels of its examples, such as "201 response" or "query parameter `q`".
    context: String,
    direction: Direction,
}

/// Every holder of the document, in its order: under the paths (path-level parameters, then each operation's
/// parameters, body, responses with their headers, and callbacks, recursively), then under the components. Both
/// `spec_examples` and `schema_places` read this one walk, so that they cannot disagree on where schemas are.
fn holders(spec: &Value) -> Vec<Holder<'_>> {
    let mut walk = Holders {
        found: Vec::new(),
        query: spec
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.2.")),
    };
    for (path, item) in entries(spec.get("paths")) {
        walk.path_item(item, &format!("/paths/{}", escape(path)));
    }
    // OpenAPI 3.1's webhooks and reusable path items hold operations as `paths` does.
    if crate::json_schema::is_json_schema_2020(spec) {
        for (name, item) in entries(spec.get("webhooks")) {
            walk.path_item(item, &format!("/webhooks/{}", escape(name)));
        }
        for (name, item) in entries(spec.get("components").and_then(|c| c.get("pathItems"))) {
            walk.path_item(item, &format!("/components/pathItems/{}", escape(name)));
        }
    }
    let components = spec.get("components");
    let at = |section: &str, name: &str| format!("/components/{section}/{}", escape(name));
    for (name, parameter) in entries(components.and_then(|c| c.get("parameters"))) {
        walk.parameter(parameter, &at("parameters", name));
    }
    for (name, header) in entries(components.and_then(|c| c.get("headers"))) {
        walk.holder(
            header,
            &at("headers", name),
            &format!("header `{name}`"),
            Direction::Response,
        );
    }
    for (name, body) in entries(components.and_then(|c| c.get("requestBodies"))) {
        let context = format!("request body `{name}`");
        walk.content(body, &at("requestBodies", name), &context, Direction::Request);
    }
    for (name, response) in entries(components.and_then(|c| c.get("responses"))) {
        walk.response(response, &at("responses", name), &format!("{name} response"));
    }
    for (name, callback) in entries(components.and_then(|c| c.get("callbacks"))) {
        walk.callback(callback, &at("callbacks", name));
    }
    walk.found
}

struct Holders<'s> {
    found: Vec<Holder<'s>>,
    /// Whether `query` is a method (OpenAPI 3.2 on).
    query: bool,
}

impl<'s> Holders<'s> {
    fn path_item(&mut self, item: &'s Value, at: &str) {
        self.parameters(item, at);
        for (key, operation) in entries(Some(item)) {
            let is_method = METHODS.contains(&key.as_str()) || (self.query && key == "query");
            if !is_method {
                continue;
            }
            let at = format!("{at}/{key}");
            self.parameters(operation, &at);
            if let Some(body) = operation.get("requestBody") {
                self.content(body, &format!("{at}/requestBody"), "request", Direction::Request);
            }
            for (status, response) in entries(operation.get("responses")) {
                self.response(
                    response,
                    &format!("{at}/responses/{}", escape(status)),
                    &format!("{status} response"),
                );
            }
            for (name, callback) in entries(operation.get("callbacks")) {
                self.callback(callback, &format!("{at}/callbacks/{}", escape(name)));
            }
        }
    }

    /// The `parameters` list of a path item or an operation.
    fn parameters(&mut self, node: &'s Value, at: &str) {
        let list = node.get("parameters").and_then(Value::as_array);
        for (index, parameter) in list.into_iter().flatten().enumerate() {
            self.parameter(parameter, &format!("{at}/parameters/{index}"));
        }
    }

    fn callback(&mut self, callback: &'s Value, at: &str) {
        for (expression, item) in entries(Some(callback)) {
            self.path_item(item, &format!("{at}/{}", escape(expression)));
        }
    }

    fn parameter(&mut self, parameter: &'s Value, at: &str) {
        let context = match (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) {
            (Some(name), Some(location)) => format!("{location} parameter `{name}`"),
            _ => "parameter".to_string(),
        };
        self.holder(parameter, at, &context, Direction::Request);
    }

    fn response(&mut self, response: &'s Value, at: &str, context: &str) {
        for (name, header) in entries(response.get("headers")) {
            self.holder(
                header,
                &format!("{at}/headers/{}", escape(name)),
                &format!("{context} header `{name}`"),
                Direction::Response,
            );
        }
        self.content(response, at, context, Direction::Response);
    }

    /// The media types of a body, a response, a parameter or a header with `content`.
    fn content(&mut self, node: &'s Value, at: &str, context: &str, direction: Direction) {
        for (media_type, media) in entries(node.get("content")) {
            let context = if media_type == "application/json" {
                context.to_string()
            } else {
                format!("{context} ({media_type})")
            };
            self.push(
                media,
                format!("{at}/content/{}", escape(media_type)),
                context,
                direction,
            );
        }
    }

    /// A parameter or a header: a schema with its examples, or `content`.
    fn holder(&mut self, node: &'s Value, at: &str, context: &str, direction: Direction) {
        self.push(node, at.to_string(), context.to_string(), direction);
        self.content(node, at, context, direction);
    }

    fn push(&mut self, node: &'s Value, at: String, context: String, direction: Direction) {
        self.found.push(Holder {
            node,
            at,
            context,
            direction,
        });
    }
}

/// The keys of a path item that are operations.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Collects the `example` of `schema` and of every schema inside it.
fn walk_schema(schema: &Value, pointer: &str, direction: Direction, found: &mut Vec<Example>) {
    let Some(object) = schema.as_object() else { return };
    if let Some(value) = object.get("example") {
        // A component's own example is checked through a `$ref`, like every other use of the component, so that
        // `rust_type_for` finds its Rust type by name.
        let is_component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'));
        found.push(Example {
            label: format!("schema example at {pointer}"),
            pointer: format!("{pointer}/example"),
            schema: if is_component {
                json!({"$ref": format!("#{pointer}")})
            } else {
                schema.clone()
            },
            value: value.clone(),
            direction,
        });
    }
    for (keyword, value) in object {
        let at = format!("{pointer}/{}", escape(keyword));
        match (keyword.as_str(), value) {
            ("properties", Value::Object(map)) => {
                for (name, subschema) in map {
                    walk_schema(subschema, &format!("{at}/{}", escape(name)), direction, found);
                }
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                for (index, subschema) in list.iter().enumerate() {
                    walk_schema(subschema, &format!("{at}/{index}"), direction, found);
                }
            }
            ("items" | "additionalProperties" | "not", _) => walk_schema(value, &at, direction, found),
            _ => {}
        }
    }
}

/// Collects each entry of the JSON Schema 2020-12 `examples` list of `schema` and of every schema inside it
/// (OpenAPI 3.1 on; in 3.0 a schema has no `examples`).
fn walk_schema_lists(schema: &Value, pointer: &str, direction: Direction, found: &mut Vec<Example>) {
    let Some(object) = schema.as_object() else { return };
    if let Some(Value::Array(values)) = object.get("examples") {
        let is_component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'));
        for (index, value) in values.iter().enumerate() {
            found.push(Example {
                label: format!("schema example at {pointer}/examples/{index}"),
                pointer: format!("{pointer}/examples/{index}"),
                schema: if is_component {
                    json!({"$ref": format!("#{pointer}")})
                } else {
                    schema.clone()
                },
                value: value.clone(),
                direction,
            });
        }
    }
    for (keyword, value) in object {
        let at = format!("{pointer}/{}", escape(keyword));
        match (keyword.as_str(), value) {
            ("properties" | "patternProperties" | "$defs" | "dependentSchemas", Value::Object(map)) => {
                for (name, subschema) in map {
                    walk_schema_lists(subschema, &format!("{at}/{}", escape(name)), direction, found);
                }
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(list)) => {
                for (index, subschema) in list.iter().enumerate() {
                    walk_schema_lists(subschema, &format!("{at}/{index}"), direction, found);
                }
            }
            (
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema",
                _,
            ) => walk_schema_lists(value, &at, direction, found),
            _ => {}
        }
    }
}

/// The component schema a `$ref` names, such as `Dialog` for `#/components/schemas/Dialog`.
pub fn component_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")
}

/// Follows a schema's `$ref`, if it has one.
pub fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    match component_name(schema) {
        Some(name) => spec.pointer(&format!("/components/schemas/{}", escape(name))),
        None => Some(schema),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Map entries that happen to be called `schema` (a parameter component, a response header) are what their map
    /// holds, not schemas; directions follow where the value travels.
    #[test]
    fn the_walk_follows_the_structure() {
        let spec = json!({
            "paths": {"/a": {"post": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "example": "x"}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}, "example": {}}}},
                "responses": {"200": {
                    "headers": {"schema": {"schema": {"type": "integer"}, "example": 1}},
                    "content": {"application/json": {"schema": {"type": "object"}, "example": {}}},
                }},
            }}},
            "components": {"parameters": {"schema": {"name": "schema", "in": "query", "schema": {"type": "string"}, "example": "y"}}},
        });
        let found: Vec<(String, String, Direction)> = spec_examples(&spec)
            .unwrap()
            .into_iter()
            .map(|e| (e.label, e.pointer, e.direction))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "query parameter `q` example".to_string(),
                    "/paths/~1a/post/parameters/0/example".to_string(),
                    Direction::Request
                ),
                (
                    "request example".into(),
                    "/paths/~1a/post/requestBody/content/application~1json/example".into(),
                    Direction::Request
                ),
                (
                    "200 response header `schema` example".into(),
                    "/paths/~1a/post/responses/200/headers/schema/example".into(),
                    Direction::Response
                ),
                (
                    "200 response example".into(),
                    "/paths/~1a/post/responses/200/content/application~1json/example".into(),
                    Direction::Response
                ),
                (
                    "query parameter `schema` example".into(),
                    "/components/parameters/schema/example".into(),
                    Direction::Request
                ),
            ]
        );
        let places: Vec<String> = schema_places(&spec).into_iter().map(|(at, _, _)| at).collect();
        assert!(
            places.contains(&"/components/parameters/schema/schema".to_string()),
            "{places:?}"
        );
        assert!(
            !places.iter().any(|p| p == "/components/parameters/schema"),
            "{places:?}"
        );
    }

    /// `spec_examples` and `schema_places` read the same walk: each example next to a schema sits at a place
    /// `schema_places` lists, with the same direction and schema, and each place with an example is found by both.
    #[test]
    fn examples_and_schema_places_agree() {
        let string = json!({"type": "string", "example": "s"});
        let spec = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": string, "example": "1"}],
                "post": {
                    "parameters": [{"name": "f", "in": "query", "content": {"application/json": {"schema": string, "example": "q"}}}],
                    "requestBody": {"content": {
                        "application/json": {"schema": {"type": "object", "properties": {"a": string}}, "examples": {"one": {"value": {}}}},
                        "text/plain": {"schema": string, "example": "t"},
                    }},
                    "responses": {"201": {
                        "headers": {
                            "X-Rate": {"schema": {"type": "integer"}, "example": 1},
                            "X-Json": {"content": {"application/json": {"schema": string, "example": "h"}}},
                        },
                        "content": {"application/json": {"schema": string, "example": "r"}},
                    }},
                    "callbacks": {"done": {"{$request.body#/url}": {
                        "parameters": [{"name": "cb", "in": "header", "schema": string, "example": "c"}],
                        "post": {
                            "requestBody": {"content": {"application/json": {"schema": string, "example": "b"}}},
                            "responses": {"200": {"headers": {"X-Ack": {"schema": string, "example": "k"}}}},
                        },
                    }}},
                },
            }},
            "components": {
                "headers": {"X-Id": {"schema": string, "example": "i"}},
                "callbacks": {"ping": {"/ping": {"parameters": [{"name": "p", "in": "query", "schema": string, "example": "p"}]}}},
                "schemas": {"Thing": {"type": "object", "example": {}}},
            },
        });
        let places = schema_places(&spec);
        let place_set: BTreeSet<(String, Direction, String)> = places
            .iter()
            .map(|(at, schema, direction)| (at.clone(), *direction, schema.to_string()))
            .collect();
        let examples = spec_examples(&spec).unwrap();
        let mut beside: BTreeSet<(String, Direction, String)> = BTreeSet::new();
        for example in &examples {
            if example.label.starts_with("schema example at ") {
                // Inside a schema: under a place, or a component schema's own.
                let pointer = example.pointer.strip_suffix("/example").unwrap();
                assert!(
                    pointer.starts_with("/components/schemas/")
                        || places.iter().any(|(at, _, direction)| {
                            pointer.starts_with(at.as_str()) && *direction == example.direction
                        }),
                    "{} is under no place",
                    example.pointer
                );
                continue;
            }
            let holder = example
                .pointer
                .strip_suffix("/example")
                .or_else(|| example.pointer.rsplit_once("/examples/").map(|(holder, _)| holder))
                .unwrap();
            beside.insert((
                format!("{holder}/schema"),
                example.direction,
                example.schema.to_string(),
            ));
        }
        assert_eq!(beside, place_set);
        let pointers: Vec<&str> = places.iter().map(|(at, _, _)| at.as_str()).collect();
        for expected in [
            "/paths/~1a~1{id}/parameters/0/schema",
            "/paths/~1a~1{id}/post/parameters/0/content/application~1json/schema",
            "/paths/~1a~1{id}/post/requestBody/content/text~1plain/schema",
            "/paths/~1a~1{id}/post/responses/201/headers/X-Rate/schema",
            "/paths/~1a~1{id}/post/responses/201/headers/X-Json/content/application~1json/schema",
            "/paths/~1a~1{id}/post/callbacks/done/{$request.body#~1url}/parameters/0/schema",
            "/paths/~1a~1{id}/post/callbacks/done/{$request.body#~1url}/post/responses/200/headers/X-Ack/schema",
            "/components/headers/X-Id/schema",
            "/components/callbacks/ping/~1ping/parameters/0/schema",
        ] {
            assert!(pointers.contains(&expected), "{expected} missing from {pointers:#?}");
        }
        assert_eq!(places.len(), 12, "{pointers:#?}");
    }
}
