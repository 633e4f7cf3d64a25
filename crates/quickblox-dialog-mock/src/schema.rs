//! The spec, embedded at build time, and JSON Schema validators made from its OpenAPI 3.0 schemas.
//!
//! OpenAPI 3.0 schema objects are close to JSON Schema draft 4; the differences that matter here (`nullable`, and
//! the `int32`/`int64` formats, which JSON Schema ignores) are rewritten before the schemas are compiled.
//! The client crate's `tests/examples.rs` reads the spec the same way, so that the mock and the tests agree.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Map, Value, json};

/// `openapi/dialog.yaml` as it was when this crate was built: the mock cannot drift from the spec it serves.
pub const SPEC_YAML: &str = include_str!("../../../openapi/dialog.yaml");

/// The spec as JSON, parsed once.
pub fn spec() -> &'static Value {
    static SPEC: LazyLock<Value> = LazyLock::new(|| {
        // The file is embedded at build time and a test parses it, so a parse failure here is a broken build.
        serde_yaml::from_str(SPEC_YAML).expect("openapi/dialog.yaml, embedded at build time, is valid YAML")
    });
    &SPEC
}

/// The validators for the component schemas the mock reads and writes, compiled once.
pub struct Schemas {
    /// `CreateDialogRequest`, for request bodies.
    pub create_dialog_request: Validator,
    /// `Dialog`, for the 201 response.
    pub dialog: Validator,
    /// `ErrorResponse`, for every error response.
    pub error_response: Validator,
}

/// The compiled validators.
pub fn schemas() -> &'static Schemas {
    static SCHEMAS: LazyLock<Schemas> = LazyLock::new(|| {
        let compile = |name: &str| {
            component_validator(spec(), name).unwrap_or_else(|err| panic!("components/schemas/{name}: {err}"))
        };
        Schemas {
            create_dialog_request: compile("CreateDialogRequest"),
            dialog: compile("Dialog"),
            error_response: compile("ErrorResponse"),
        }
    });
    &SCHEMAS
}

/// A draft 4 validator for the component schema `name` of `spec`, its `$ref`s resolved against the components.
pub fn component_validator(spec: &Value, name: &str) -> Result<Validator, String> {
    if spec.pointer(&format!("/components/schemas/{name}")).is_none() {
        return Err(format!("the spec has no schema {name}"));
    }
    let root = json!({
        "components": json_schema_components(spec)?,
        "allOf": [{"$ref": format!("#/components/schemas/{name}")}],
    });
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|err| format!("the schema does not compile: {err}"))
}

/// The spec's `components` with every schema rewritten into draft 4, to sit in the root document so that
/// `$ref: '#/components/schemas/X'` resolves.
pub fn json_schema_components(spec: &Value) -> Result<Map<String, Value>, String> {
    let mut components = spec
        .get("components")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            *schema = to_json_schema(schema).map_err(|err| format!("components/schemas/{name}: {err}"))?;
        }
    }
    Ok(components)
}

/// One OpenAPI 3.0 schema object as a draft 4 schema.
pub fn to_json_schema(openapi: &Value) -> Result<Value, String> {
    let mut schema = openapi.clone();
    rewrite_schemas(&mut schema, &openapi_keywords)?;
    Ok(schema)
}

type Rewrite = dyn Fn(&mut Map<String, Value>) -> Result<(), String>;

/// Applies `rewrite` to every schema object inside `schema` (itself included), innermost first.
///
/// Only keywords whose values are schemas are followed, so that data such as `enum` or `example` values (which may
/// well contain a key called `nullable`) is never rewritten.
fn rewrite_schemas(schema: &mut Value, rewrite: &Rewrite) -> Result<(), String> {
    let Value::Object(object) = schema else {
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
            "items" | "additionalProperties" | "additionalItems" | "not" => rewrite_schemas(value, rewrite)?,
            _ => {}
        }
    }
    rewrite(object)
}

/// Rewrites one OpenAPI 3.0 schema object (whose subschemas are already rewritten) into draft 4.
fn openapi_keywords(object: &mut Map<String, Value>) -> Result<(), String> {
    for unsupported in ["discriminator", "readOnly", "writeOnly"] {
        if object.contains_key(unsupported) {
            return Err(format!(
                "the schema uses `{unsupported}`, which the mock does not translate"
            ));
        }
    }
    // `format: int32`/`int64` say the value fits that integer type; JSON Schema ignores the formats, so they
    // become bounds, and a user id past i64 is refused as the real API (and the Rust client) would.
    if object.get("type") == Some(&json!("integer")) {
        let bounds = match object.get("format").and_then(Value::as_str) {
            Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
            Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
            _ => None,
        };
        if let Some((min, max)) = bounds {
            object.entry("minimum").or_insert(min);
            object.entry("maximum").or_insert(max);
        }
    }
    match object.remove("nullable") {
        None | Some(Value::Bool(false)) => Ok(()),
        Some(Value::Bool(true)) => {
            if object.contains_key("$ref") {
                return Err("`nullable` next to `$ref` is ignored in OpenAPI 3.0; wrap the `$ref` in `allOf`".into());
            }
            // Wrapping (rather than adding "null" to `type`) lets null through an `enum` too, as the spec means.
            let not_null = Value::Object(std::mem::take(object));
            object.insert("anyOf".into(), json!([not_null, {"type": "null"}]));
            Ok(())
        }
        Some(other) => Err(format!("`nullable` must be a boolean, not {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_spec_compiles() {
        let schemas = schemas();
        assert!(schemas.create_dialog_request.is_valid(&json!({"type": 2})));
        assert!(!schemas.create_dialog_request.is_valid(&json!({"type": 4})));
        assert!(schemas.error_response.is_valid(&json!({"errors": ["x"]})));
        assert!(schemas.error_response.is_valid(&json!({"errors": {"base": ["x"]}})));
        assert!(!schemas.error_response.is_valid(&json!({"errors": "x"})));
    }

    #[test]
    fn nullable_and_integer_formats_are_translated() {
        let schema = to_json_schema(&json!({"type": "integer", "format": "int32", "nullable": true})).unwrap();
        let validator = jsonschema::draft4::new(&schema).unwrap();
        assert!(validator.is_valid(&json!(null)));
        assert!(validator.is_valid(&json!(7)));
        assert!(!validator.is_valid(&json!(i64::from(i32::MAX) + 1)));
        assert!(to_json_schema(&json!({"$ref": "#/x", "nullable": true})).is_err());
        assert!(to_json_schema(&json!({"type": "string", "nullable": "yes"})).is_err());
    }

    #[test]
    fn an_unknown_component_is_named() {
        let err = component_validator(spec(), "Nope").err().unwrap();
        assert_eq!(err, "the spec has no schema Nope");
    }
}
