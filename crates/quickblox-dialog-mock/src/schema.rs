//! The spec, embedded at build time, and JSON Schema validators made from its OpenAPI 3.0 schemas.
//!
//! OpenAPI 3.0 schema objects are close to JSON Schema draft 4; `openapi-check` rewrites the differences that matter
//! (`nullable`, and the `int32`/`int64` formats, which JSON Schema ignores) before the schemas are compiled.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Value, json};

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
    /// `UpdateDialogRequest`, for update's request bodies.
    pub update_dialog_request: Validator,
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
            update_dialog_request: compile("UpdateDialogRequest"),
            dialog: compile("Dialog"),
            error_response: compile("ErrorResponse"),
        }
    });
    &SCHEMAS
}

/// A draft 4 validator for the component schema `name` of `spec`, its `$ref`s resolved against the components.
///
/// The rewrite from OpenAPI 3.0 is `openapi-check`'s, the same that `cargo xtask lint` and the client's example
/// tests use, so that all three read the spec alike.
pub fn component_validator(spec: &Value, name: &str) -> Result<Validator, String> {
    if spec.pointer(&format!("/components/schemas/{name}")).is_none() {
        return Err(format!("the spec has no schema {name}"));
    }
    openapi_check::openapi_validator(spec, &json!({"$ref": format!("#/components/schemas/{name}")}))
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
    fn an_unknown_component_is_named() {
        let err = component_validator(spec(), "Nope").err().unwrap();
        assert_eq!(err, "the spec has no schema Nope");
    }
}
