//! The OpenAPI version a document declares, read once: 3.0.x, 3.1.x or 3.2.x, and nothing else.

use std::fmt;

use serde_json::Value;

/// A version of the OpenAPI Specification the toolkit reads. The patch number carries no meaning
/// (patch releases only clarify), so it is not kept; the order is the specification's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// OpenAPI 3.0.x: its own Schema Object (a JSON Schema draft 4/5 dialect with `nullable`).
    V3_0,
    /// OpenAPI 3.1.x: the Schema Object is JSON Schema 2020-12; webhooks, `components/pathItems`.
    V3_1,
    /// OpenAPI 3.2.x: 3.1's model plus the `query` method, `additionalOperations`, `$self` and more.
    V3_2,
}

impl Version {
    /// As the `openapi` field's family is written, such as `3.1`.
    pub fn family(self) -> &'static str {
        match self {
            Self::V3_0 => "3.0",
            Self::V3_1 => "3.1",
            Self::V3_2 => "3.2",
        }
    }

    /// Whether schemas are JSON Schema 2020-12 (3.1 and 3.2), rather than 3.0's own dialect.
    pub fn json_schema_2020(self) -> bool {
        self >= Self::V3_1
    }

    /// Reads a value of the `openapi` field, such as `3.1.0`: three numbers, and a family the toolkit knows.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let (major, minor, patch) = (parts.next()?, parts.next()?, parts.next()?);
        let number = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !number(major) || !number(minor) || !number(patch) {
            return None;
        }
        match (major, minor) {
            ("3", "0") => Some(Self::V3_0),
            ("3", "1") => Some(Self::V3_1),
            ("3", "2") => Some(Self::V3_2),
            _ => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.x", self.family())
    }
}

/// Why a document's version is not one the toolkit reads: the value found (none when the field is
/// missing), and the pointer of the field that says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub pointer: &'static str,
    pub found: Option<String>,
}

/// Reads the version of a parsed document.
pub(super) fn read(value: &Value) -> Result<Version, Unknown> {
    match value.get("openapi") {
        Some(Value::String(text)) => Version::parse(text).ok_or_else(|| Unknown {
            pointer: "/openapi",
            found: Some(text.clone()),
        }),
        // `openapi: 3.1` in YAML is a number, which the specification does not allow (and which loses a `3.10`).
        Some(other) => Err(Unknown {
            pointer: "/openapi",
            found: Some(format!("{other} (a {}, not a string)", kind(other))),
        }),
        None => match value.get("swagger") {
            Some(swagger) => Err(Unknown {
                pointer: "/swagger",
                found: Some(format!(
                    "swagger {}",
                    swagger.as_str().map_or_else(|| swagger.to_string(), str::to_string)
                )),
            }),
            None => Err(Unknown {
                pointer: "/openapi",
                found: None,
            }),
        },
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}
