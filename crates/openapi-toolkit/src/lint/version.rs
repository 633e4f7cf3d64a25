//! The version rules: each keyword and field belongs to the OpenAPI version the document declares, so that a
//! 3.1 keyword in a 3.0 document (or 3.0's `nullable` in a 3.1 one) is named rather than silently ignored.

use serde_json::Value;

use super::{Lint, Rule};
use crate::document::{Version, escape};

/// Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0's Schema Object does not have: a 3.0 reader ignores
/// them, so what they say is lost.
const ONLY_2020: [&str; 25] = [
    "const",
    "prefixItems",
    "$defs",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "minContains",
    "maxContains",
    "contentSchema",
    "contentMediaType",
    "contentEncoding",
    "examples",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$comment",
];

/// Keywords whose value is one schema, in either version.
const ONE_SCHEMA: [&str; 10] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
];

impl Lint<'_> {
    pub(super) fn version_keywords(&mut self, version: Version) {
        let spec = self.spec;
        self.version_fields(version);
        if let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, schema) in schemas {
                self.version_schema(version, schema, &format!("/components/schemas/{}", escape(name)), 0);
            }
        }
        for (at, schema, _) in openapi_check::schema_places(spec) {
            self.version_schema(version, schema, &at, 0);
        }
    }

    /// Document fields that one version has and the other lacks.
    fn version_fields(&mut self, version: Version) {
        let spec = self.spec;
        let since_31 = [
            ("/webhooks", "`webhooks`"),
            ("/jsonSchemaDialect", "`jsonSchemaDialect`"),
            ("/components/pathItems", "`components.pathItems`"),
            ("/info/summary", "`info.summary`"),
            ("/info/license/identifier", "`license.identifier`"),
        ];
        if version == Version::V3_0 {
            for (pointer, name) in since_31 {
                if spec.pointer(pointer).is_some() {
                    self.report(
                        Rule::VersionKeyword,
                        pointer,
                        format!("{name} is OpenAPI 3.1, and this document is 3.0, whose readers ignore it; declare `openapi: 3.1.0` or remove it"),
                    );
                }
            }
        }
        if version < Version::V3_2 {
            if spec.get("$self").is_some() {
                self.report(
                    Rule::VersionKeyword,
                    "/$self",
                    format!("`$self` is OpenAPI 3.2, and this document is {}", version.family()),
                );
            }
            for item in self.doc.path_items().into_iter().chain(self.doc.webhooks()) {
                for key in ["query", "additionalOperations"] {
                    if item.value.get(key).is_some() {
                        self.report(
                            Rule::VersionKeyword,
                            format!("{}/{key}", item.pointer()),
                            format!(
                                "`{key}` in a path item is OpenAPI 3.2, and this document is {}, whose readers ignore it",
                                version.family()
                            ),
                        );
                    }
                }
            }
        }
    }

    fn version_schema(&mut self, version: Version, schema: &Value, at: &str, depth: usize) {
        let Some(object) = schema.as_object() else { return };
        if depth > 64 {
            return;
        }
        for (keyword, value) in object {
            let here = format!("{at}/{}", escape(keyword));
            if version == Version::V3_0 {
                let wrong = match (keyword.as_str(), value) {
                    ("type", Value::Array(_)) => Some("a `type` list is JSON Schema 2020-12 (OpenAPI 3.1); in 3.0 `type` is one name, with `nullable: true` for null".to_string()),
                    ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) => Some(format!("a numeric `{keyword}` is OpenAPI 3.1; in 3.0 it is a boolean beside `{}`", if keyword == "exclusiveMinimum" { "minimum" } else { "maximum" })),
                    (k, _) if ONLY_2020.contains(&k) => Some(format!("`{keyword}` is a JSON Schema 2020-12 keyword (OpenAPI 3.1); a 3.0 reader ignores it")),
                    _ => None,
                };
                if let Some(message) = wrong {
                    self.report(Rule::VersionKeyword, here.clone(), message);
                }
            } else {
                match (keyword.as_str(), value) {
                    ("nullable", _) => self.report(
                        Rule::VersionKeyword,
                        here.clone(),
                        "`nullable` is OpenAPI 3.0 and means nothing in 3.1; add \"null\" to `type` instead (such as `type: [string, \"null\"]`)",
                    ),
                    ("exclusiveMinimum" | "exclusiveMaximum", Value::Bool(_)) => self.report(
                        Rule::VersionKeyword,
                        here.clone(),
                        format!("a boolean `{keyword}` is OpenAPI 3.0; in 3.1 it is the bound itself, a number"),
                    ),
                    ("example", _) => self.report(
                        Rule::SchemaExampleDeprecated,
                        here.clone(),
                        "`example` in a schema is deprecated in OpenAPI 3.1; use the `examples` list",
                    ),
                    _ => {}
                }
            }
            match (keyword.as_str(), value) {
                (
                    "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
                    Value::Object(map),
                ) => {
                    for (name, sub) in map {
                        self.version_schema(version, sub, &format!("{here}/{}", escape(name)), depth + 1);
                    }
                }
                ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(list)) => {
                    for (index, sub) in list.iter().enumerate() {
                        self.version_schema(version, sub, &format!("{here}/{index}"), depth + 1);
                    }
                }
                (k, _) if ONE_SCHEMA.contains(&k) => self.version_schema(version, value, &here, depth + 1),
                _ => {}
            }
        }
    }
}
