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
/// The document is walked by its structure (paths, operations, parameters, bodies, responses, headers, media types,
/// components and callbacks), so that a map entry that happens to be called `schema` (a parameter component, a
/// header) is never taken for a schema.
///
/// Fails on the first example whose value cannot be had (an unresolved `$ref`, an `externalValue`).
pub fn spec_examples(spec: &Value) -> Result<Vec<Example>, ExampleError> {
    let mut walk = Walk {
        spec,
        found: Vec::new(),
    };
    for (path, item) in entries(spec.get("paths")) {
        walk.path_item(item, &format!("/paths/{}", escape(path)))?;
    }
    let components = spec.get("components");
    let at = |section: &str, name: &str| format!("/components/{section}/{}", escape(name));
    for (name, parameter) in entries(components.and_then(|c| c.get("parameters"))) {
        walk.parameter(parameter, &at("parameters", name))?;
    }
    for (name, header) in entries(components.and_then(|c| c.get("headers"))) {
        walk.header(header, &at("headers", name), &format!("header `{name}`"))?;
    }
    for (name, body) in entries(components.and_then(|c| c.get("requestBodies"))) {
        walk.request_body(body, &at("requestBodies", name), &format!("request body `{name}`"))?;
    }
    for (name, response) in entries(components.and_then(|c| c.get("responses"))) {
        walk.response(response, &at("responses", name), &format!("{name} response"))?;
    }
    for (name, callback) in entries(components.and_then(|c| c.get("callbacks"))) {
        walk.callback(callback, &at("callbacks", name))?;
    }
    let mut found = walk.found;
    for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
        walk_schema(schema, &at("schemas", name), Direction::Either, &mut found);
    }
    Ok(found)
}

/// The entries of a map (nothing for anything else), in the value's order.
fn entries(node: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    node.and_then(Value::as_object).into_iter().flatten()
}

/// Every place of a document that holds a schema next to its examples: parameters, headers and media types, each
/// with its pointer and the direction its values travel. A `$ref`'d place is reached at its target.
pub fn schema_places(spec: &Value) -> Vec<(String, &Value, Direction)> {
    let mut places = Vec::new();
    let mut visit = Places { places: &mut places };
    for (path, item) in entries(spec.get("paths")) {
        visit.path_item(item, &format!("/paths/{}", escape(path)));
    }
    let components = spec.get("components");
    let at = |section: &str, name: &str| format!("/components/{section}/{}", escape(name));
    for (name, parameter) in entries(components.and_then(|c| c.get("parameters"))) {
        visit.holder(parameter, &at("parameters", name), Direction::Request);
    }
    for (name, header) in entries(components.and_then(|c| c.get("headers"))) {
        visit.holder(header, &at("headers", name), Direction::Response);
    }
    for (name, body) in entries(components.and_then(|c| c.get("requestBodies"))) {
        visit.holder(body, &at("requestBodies", name), Direction::Request);
    }
    for (name, response) in entries(components.and_then(|c| c.get("responses"))) {
        visit.response(response, &at("responses", name));
    }
    for (name, callback) in entries(components.and_then(|c| c.get("callbacks"))) {
        for (expression, item) in entries(Some(callback)) {
            visit.path_item(item, &format!("{}/{}", at("callbacks", name), escape(expression)));
        }
    }
    places
}

struct Walk<'s> {
    spec: &'s Value,
    found: Vec<Example>,
}

impl<'s> Walk<'s> {
    fn path_item(&mut self, item: &Value, at: &str) -> Result<(), ExampleError> {
        for (index, parameter) in item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.parameter(parameter, &format!("{at}/parameters/{index}"))?;
        }
        for (key, operation) in entries(Some(item)) {
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            let at = format!("{at}/{key}");
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.parameter(parameter, &format!("{at}/parameters/{index}"))?;
            }
            if let Some(body) = operation.get("requestBody") {
                self.request_body(body, &format!("{at}/requestBody"), "request")?;
            }
            for (status, response) in entries(operation.get("responses")) {
                self.response(
                    response,
                    &format!("{at}/responses/{}", escape(status)),
                    &format!("{status} response"),
                )?;
            }
            for (name, callback) in entries(operation.get("callbacks")) {
                self.callback(callback, &format!("{at}/callbacks/{}", escape(name)))?;
            }
        }
        Ok(())
    }

    fn callback(&mut self, callback: &Value, at: &str) -> Result<(), ExampleError> {
        for (expression, item) in entries(Some(callback)) {
            self.path_item(item, &format!("{at}/{}", escape(expression)))?;
        }
        Ok(())
    }

    fn parameter(&mut self, parameter: &Value, at: &str) -> Result<(), ExampleError> {
        let context = match (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) {
            (Some(name), Some(location)) => format!("{location} parameter `{name}`"),
            _ => "parameter".to_string(),
        };
        self.holder(parameter, at, &context, Direction::Request)
    }

    fn header(&mut self, header: &Value, at: &str, context: &str) -> Result<(), ExampleError> {
        self.holder(header, at, context, Direction::Response)
    }

    fn request_body(&mut self, body: &Value, at: &str, context: &str) -> Result<(), ExampleError> {
        self.content(body, at, context, Direction::Request)
    }

    fn response(&mut self, response: &Value, at: &str, context: &str) -> Result<(), ExampleError> {
        for (name, header) in entries(response.get("headers")) {
            self.header(
                header,
                &format!("{at}/headers/{}", escape(name)),
                &format!("{context} header `{name}`"),
            )?;
        }
        self.content(response, at, context, Direction::Response)
    }

    /// The media types of a body, a response, a parameter or a header with `content`.
    fn content(&mut self, node: &Value, at: &str, context: &str, direction: Direction) -> Result<(), ExampleError> {
        for (media_type, media) in entries(node.get("content")) {
            let context = if media_type == "application/json" {
                context.to_string()
            } else {
                format!("{context} ({media_type})")
            };
            self.examples(
                media,
                &format!("{at}/content/{}", escape(media_type)),
                &context,
                direction,
            )?;
        }
        Ok(())
    }

    /// A parameter or a header: a schema with its examples, or `content`.
    fn holder(&mut self, node: &Value, at: &str, context: &str, direction: Direction) -> Result<(), ExampleError> {
        self.examples(node, at, context, direction)?;
        self.content(node, at, context, direction)
    }

    /// The `example` and `examples` next to a `schema`, and the examples inside the schema.
    fn examples(&mut self, node: &Value, at: &str, context: &str, direction: Direction) -> Result<(), ExampleError> {
        let Some(schema) = node.get("schema") else {
            return Ok(());
        };
        for (name, example) in entries(node.get("examples")) {
            let example_at = format!("{at}/examples/{}", escape(name));
            self.found.push(Example {
                label: format!("{context} example `{name}`"),
                value: example_value(self.spec, example, &example_at)?,
                pointer: format!("{example_at}/value"),
                schema: schema.clone(),
                direction,
            });
        }
        if let Some(value) = node.get("example") {
            self.found.push(Example {
                label: format!("{context} example"),
                pointer: format!("{at}/example"),
                schema: schema.clone(),
                value: value.clone(),
                direction,
            });
        }
        walk_schema(schema, &format!("{at}/schema"), direction, &mut self.found);
        Ok(())
    }
}

/// The walk of `schema_places`, which finds places and no examples.
struct Places<'s, 'p> {
    places: &'p mut Vec<(String, &'s Value, Direction)>,
}

impl<'s> Places<'s, '_> {
    fn path_item(&mut self, item: &'s Value, at: &str) {
        for (index, parameter) in item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.holder(parameter, &format!("{at}/parameters/{index}"), Direction::Request);
        }
        for (key, operation) in entries(Some(item)) {
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            let at = format!("{at}/{key}");
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.holder(parameter, &format!("{at}/parameters/{index}"), Direction::Request);
            }
            if let Some(body) = operation.get("requestBody") {
                self.holder(body, &format!("{at}/requestBody"), Direction::Request);
            }
            for (status, response) in entries(operation.get("responses")) {
                self.response(response, &format!("{at}/responses/{}", escape(status)));
            }
            for (name, callback) in entries(operation.get("callbacks")) {
                for (expression, item) in entries(Some(callback)) {
                    let at = format!("{at}/callbacks/{}/{}", escape(name), escape(expression));
                    self.path_item(item, &at);
                }
            }
        }
    }

    fn response(&mut self, response: &'s Value, at: &str) {
        for (name, header) in entries(response.get("headers")) {
            self.holder(header, &format!("{at}/headers/{}", escape(name)), Direction::Response);
        }
        self.holder(response, at, Direction::Response);
    }

    fn holder(&mut self, node: &'s Value, at: &str, direction: Direction) {
        if let Some(schema) = node.get("schema") {
            self.places.push((format!("{at}/schema"), schema, direction));
        }
        for (media_type, media) in entries(node.get("content")) {
            if let Some(schema) = media.get("schema") {
                self.places
                    .push((format!("{at}/content/{}/schema", escape(media_type)), schema, direction));
            }
        }
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
}
