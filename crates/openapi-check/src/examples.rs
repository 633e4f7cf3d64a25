//! Every example in an OpenAPI document, found by walking it, with the schema each example claims to satisfy.

use serde_json::{Value, json};

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
/// Fails on the first example whose value cannot be had (an unresolved `$ref`, an `externalValue`).
pub fn spec_examples(spec: &Value) -> Result<Vec<Example>, ExampleError> {
    let mut found = Vec::new();
    walk(spec, spec, "", "", &mut found)?;
    if let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            walk_schema(schema, &format!("/components/schemas/{}", escape(name)), &mut found);
        }
    }
    Ok(found)
}

fn walk(
    spec: &Value,
    node: &Value,
    pointer: &str,
    context: &str,
    found: &mut Vec<Example>,
) -> Result<(), ExampleError> {
    match node {
        Value::Object(object) => {
            // Name what is being described, for the failure messages.
            let context = match (
                object.get("name").and_then(Value::as_str),
                object.get("in").and_then(Value::as_str),
            ) {
                (Some(name), Some(location)) => format!("{location} parameter `{name}`"),
                _ => context.to_string(),
            };
            if let Some(schema) = object.get("schema") {
                if let Some(examples) = object.get("examples").and_then(Value::as_object) {
                    for (name, example) in examples {
                        let at = format!("{pointer}/examples/{}", escape(name));
                        found.push(Example {
                            label: format!("{context} example `{name}`"),
                            value: example_value(spec, example, &at)?,
                            pointer: format!("{at}/value"),
                            schema: schema.clone(),
                        });
                    }
                }
                if let Some(value) = object.get("example") {
                    found.push(Example {
                        label: format!("{context} example"),
                        pointer: format!("{pointer}/example"),
                        schema: schema.clone(),
                        value: value.clone(),
                    });
                }
                walk_schema(schema, &format!("{pointer}/schema"), found);
            }
            for (key, child) in object {
                // Example values are data, schemas are walked by keyword, and component schemas and examples are
                // reached from `spec_examples` and through `$ref`.
                let skip = matches!(key.as_str(), "example" | "examples" | "schema" | "enum" | "default")
                    || (pointer == "/components" && key == "schemas");
                if skip {
                    continue;
                }
                let context = match (pointer.rsplit('/').next(), key.as_str()) {
                    (Some("responses"), status) => format!("{status} response"),
                    (Some("headers"), header) => format!("{context} header `{header}`"),
                    (Some("content"), media_type) if media_type != "application/json" => {
                        format!("{context} ({media_type})")
                    }
                    (_, "requestBody") => "request".to_string(),
                    _ => context.clone(),
                };
                walk(spec, child, &format!("{pointer}/{}", escape(key)), &context, found)?;
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(spec, child, &format!("{pointer}/{index}"), context, found)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Collects the `example` of `schema` and of every schema inside it.
fn walk_schema(schema: &Value, pointer: &str, found: &mut Vec<Example>) {
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
        });
    }
    for (keyword, value) in object {
        let at = format!("{pointer}/{}", escape(keyword));
        match (keyword.as_str(), value) {
            ("properties", Value::Object(map)) => {
                for (name, subschema) in map {
                    walk_schema(subschema, &format!("{at}/{}", escape(name)), found);
                }
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                for (index, subschema) in list.iter().enumerate() {
                    walk_schema(subschema, &format!("{at}/{index}"), found);
                }
            }
            ("items" | "additionalProperties" | "not", _) => walk_schema(value, &at, found),
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
