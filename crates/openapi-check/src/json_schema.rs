//! OpenAPI 3.0 schema objects as JSON Schema draft 4, and validators built from them.
//!
//! OpenAPI 3.0 builds on the Wright draft 00 of JSON Schema, whose `exclusiveMaximum` and `integer` rules are draft
//! 4's, so its schemas are rewritten into plain draft 4: `nullable` becomes "null or the schema", and the `int32` and
//! `int64` formats become bounds. schemars 0.8 emits draft 7, so its schemas are validated as draft 7.

use jsonschema::Validator;
use serde_json::{Map, Value, json};

use crate::examples::Direction;

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

/// Something in a schema that the check cannot translate exactly, said once at that schema.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Note {
    /// The JSON pointer of the schema in the document (or in the example's inline schema).
    pub pointer: String,
    pub message: String,
}

/// The OpenAPI 3.0 to draft 4 translation of schemas for values going one way.
pub(crate) struct Translate<'s> {
    spec: &'s Value,
    direction: Direction,
    /// Put before every local `$ref` (`#/components/...`): the registry's address for an example's own schema,
    /// nothing inside the components, which are that resource.
    ref_base: &'s str,
    /// Whether the document is OpenAPI 3.1 or later, whose schemas already are JSON Schema 2020-12: then nothing
    /// 3.0-specific (`nullable`) is rewritten, and the 2020-12 keywords that hold schemas are walked.
    modern: bool,
    pub(crate) notes: Vec<Note>,
}

/// Whether `spec` declares OpenAPI 3.1 or later, whose Schema Object is JSON Schema 2020-12.
pub fn is_json_schema_2020(spec: &Value) -> bool {
    spec.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with("3.1.") || version.starts_with("3.2."))
}

/// The draft that a document's schemas are checked with: draft 4 for the 3.0 translation, 2020-12 from 3.1 on.
pub fn draft_of(spec: &Value) -> jsonschema::Draft {
    if is_json_schema_2020(spec) {
        jsonschema::Draft::Draft202012
    } else {
        jsonschema::Draft::Draft4
    }
}

/// Keywords whose value is one schema.
const ONE_SCHEMA: [&str; 9] = [
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
];

/// Keywords whose value is one schema in JSON Schema 2020-12 only.
const ONE_SCHEMA_2020: [&str; 3] = ["unevaluatedItems", "unevaluatedProperties", "contentSchema"];

impl<'s> Translate<'s> {
    pub(crate) fn new(spec: &'s Value, direction: Direction, ref_base: &'s str) -> Self {
        Self {
            spec,
            direction,
            ref_base,
            modern: is_json_schema_2020(spec),
            notes: Vec::new(),
        }
    }

    fn note(&mut self, at: &str, message: impl Into<String>) {
        self.notes.push(Note {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    /// Whether the property schema says `key: true`, looking through a local `$ref`.
    fn flag(&self, property: &Value, key: &str) -> bool {
        let mut node = property;
        for _ in 0..16 {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(target) => match self.spec.pointer(target) {
                    Some(next) => node = next,
                    None => return false,
                },
                None => break,
            }
        }
        node.get(key) == Some(&Value::Bool(true))
    }

    pub(crate) fn schema(&mut self, schema: &Value, at: &str) -> Value {
        let Value::Object(object) = schema else {
            return schema.clone();
        };
        let mut out = Map::with_capacity(object.len());
        for (keyword, value) in object {
            let here = |key: &str| format!("{at}/{keyword}/{}", crate::examples::escape(key));
            let translated = match keyword.as_str() {
                "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas"
                    if value.is_object() =>
                {
                    Value::Object(
                        value
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(name, sub)| (name.clone(), self.schema(sub, &here(name))))
                            .collect(),
                    )
                }
                "allOf" | "anyOf" | "oneOf" | "items" | "prefixItems" if value.is_array() => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(index, sub)| self.schema(sub, &here(&index.to_string())))
                        .collect(),
                ),
                k if ONE_SCHEMA.contains(&k) || (self.modern && ONE_SCHEMA_2020.contains(&k)) => {
                    self.schema(value, &format!("{at}/{keyword}"))
                }
                "required" => self.required(object, value),
                "$ref" => match value.as_str() {
                    Some(reference) if reference.starts_with('#') => {
                        Value::String(format!("{}{reference}", self.ref_base))
                    }
                    // A reference into another file or the web, which the document's reader did not join (and says
                    // so): the check accepts any value there rather than fail every example that reaches it.
                    Some(reference) => {
                        self.note(
                            at,
                            format!("`{reference}` is not in this document, so any value is accepted there"),
                        );
                        continue;
                    }
                    None => value.clone(),
                },
                // Annotations that draft 4 does not know: what they mean is applied above (`required`) or below.
                "readOnly" | "writeOnly" | "discriminator" => continue,
                // 3.0's own keyword; in 3.1 it means nothing (the lint says so), and a type array says it instead.
                "nullable" if !self.modern => continue,
                _ => value.clone(),
            };
            out.insert(keyword.clone(), translated);
        }
        if let Some(discriminator) = object.get("discriminator") {
            self.discriminator(object, discriminator, &mut out, at);
        }
        let _ = integer_format_bounds(&mut out);
        if self.modern {
            return Value::Object(out);
        }
        match object.get("nullable") {
            None | Some(Value::Bool(false)) => Value::Object(out),
            Some(Value::Bool(true)) if object.contains_key("$ref") => {
                self.note(
                    at,
                    "`nullable` next to `$ref` is ignored in OpenAPI 3.0, so examples are checked as if null were not allowed; wrap the `$ref` in `allOf`",
                );
                Value::Object(out)
            }
            // Wrapping (rather than adding "null" to `type`) also lets null through an `enum`, a `pattern` or a
            // `oneOf` that would refuse it. That is what the spec means by `nullable` (see `is_join_required`), and
            // what the generated `Option<T>` accepts, though OpenAPI 3.0.3's clarification would have `enum: [0, 1]`
            // refuse null unless the list contains it.
            Some(Value::Bool(true)) => json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
            Some(other) => {
                self.note(
                    at,
                    format!("`nullable` must be a boolean, not {other}, so it is ignored"),
                );
                Value::Object(out)
            }
        }
    }

    /// OpenAPI 3.0: a `readOnly` property "SHOULD NOT be sent as part of the request" and its `required` "will take
    /// effect on the response only"; `writeOnly` mirrors it for responses. So it leaves `required` where its value
    /// does not travel; it is still allowed there (a SHOULD NOT is no validation failure: servers ignore it).
    fn required(&self, object: &Map<String, Value>, required: &Value) -> Value {
        let Some(names) = required.as_array() else {
            return required.clone();
        };
        let properties = object.get("properties").and_then(Value::as_object);
        let kept = names.iter().filter(|name| {
            let Some(property) = name.as_str().and_then(|n| properties?.get(n)) else {
                return true;
            };
            let read_only = self.direction != Direction::Response && self.flag(property, "readOnly");
            let write_only = self.direction != Direction::Request && self.flag(property, "writeOnly");
            !(read_only || write_only)
        });
        Value::Array(kept.cloned().collect())
    }

    /// OpenAPI 3.0's `discriminator` next to `oneOf` or `anyOf`: the value of `propertyName` names the one member
    /// the value must match (through `mapping`, else by the member's component name), so each member becomes "the
    /// property holds one of its names, and the member". Anywhere else (on a base schema that others extend with
    /// `allOf`) the value is checked against this schema alone, which is said once.
    fn discriminator(
        &mut self,
        object: &Map<String, Value>,
        discriminator: &Value,
        out: &mut Map<String, Value>,
        at: &str,
    ) {
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            self.note(at, "the `discriminator` has no `propertyName`, so it is ignored");
            return;
        };
        let Some(keyword) = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| object.get(*k).is_some_and(Value::is_array))
        else {
            self.note(
                at,
                "a `discriminator` without `oneOf` or `anyOf` names subtypes that extend this schema; examples are checked against this schema alone",
            );
            return;
        };
        let mapping: Vec<(&str, &str)> = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, target)| Some((name.as_str(), target.as_str()?)))
            .collect();
        let members = object[keyword].as_array().expect("checked above");
        let mut alternatives = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let Some(reference) = member.get("$ref").and_then(Value::as_str) else {
                self.note(
                    &format!("{at}/{keyword}/{index}"),
                    "an inline member of a schema with a `discriminator` has no name to be chosen by; the discriminator is ignored",
                );
                return;
            };
            let component = reference.rsplit('/').next().unwrap_or(reference);
            let mut names: Vec<&str> = mapping
                .iter()
                .filter(|(_, target)| *target == reference || *target == component)
                .map(|(name, _)| *name)
                .collect();
            if names.is_empty() {
                names.push(component);
            }
            alternatives.push(json!({"allOf": [
                {"required": [property], "properties": {property: {"enum": names}}},
                out[keyword][index].clone(),
            ]}));
        }
        out.remove(keyword);
        out.insert("anyOf".to_string(), Value::Array(alternatives));
    }
}

/// One OpenAPI schema object as a draft 4 schema (its `$ref`s still point into `#/components/schemas`), for values
/// going either way; fails on what it cannot translate exactly.
pub fn to_json_schema(openapi: &Value) -> Result<Value, String> {
    to_json_schema_in(&Value::Null, openapi)
}

/// Like `to_json_schema`, following the document's `$ref`s to see which properties are `readOnly` or `writeOnly`.
fn to_json_schema_in(spec: &Value, openapi: &Value) -> Result<Value, String> {
    let mut translate = Translate::new(spec, Direction::Either, "");
    let schema = translate.schema(openapi, "");
    match translate.notes.into_iter().next() {
        Some(note) if note.pointer.is_empty() => Err(note.message),
        Some(note) => Err(format!("{}: {}", note.pointer, note.message)),
        None => Ok(schema),
    }
}

/// The spec's `components` with every schema rewritten, to sit in the root document so that
/// `$ref: '#/components/schemas/X'` resolves.
pub fn json_schema_components(spec: &Value) -> Result<Map<String, Value>, String> {
    let mut components = spec["components"].as_object().cloned().unwrap_or_default();
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            *schema = to_json_schema_in(spec, schema).map_err(|err| format!("/components/schemas/{name}: {err}"))?;
        }
    }
    Ok(components)
}

/// A draft 4 validator for the OpenAPI schema `schema` (inline or a `$ref`), resolved against the spec's components.
pub fn openapi_validator(spec: &Value, schema: &Value) -> Result<Validator, String> {
    let root = json!({
        "components": json_schema_components(spec)?,
        "allOf": [to_json_schema_in(spec, schema)?],
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
        ] {
            assert!(to_json_schema(&schema).is_err(), "{schema}");
        }
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "kind", "password"],
                    "properties": {
                        "id": {"type": "integer", "readOnly": true},
                        "kind": {"type": "string"},
                        "password": {"$ref": "#/components/schemas/Secret"},
                    },
                },
                "Secret": {"type": "string", "writeOnly": true},
                "Cat": {"type": "object", "required": ["kind", "purrs"], "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
                "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}},
                "Animal": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
                },
                "Base": {"type": "object", "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"type": "string"}}},
                "Loose": {"$ref": "#/components/schemas/Cat", "nullable": true},
            }},
        })
    }

    fn check(spec: &Value, schema: &str, direction: Direction, value: Value) -> Vec<String> {
        let example = crate::Example {
            label: "test".into(),
            pointer: "/x/example".into(),
            schema: json!({"$ref": format!("#/components/schemas/{schema}")}),
            value,
            direction,
        };
        let mut checker = crate::Checker::new(spec);
        checker
            .check(&example)
            .unwrap()
            .into_iter()
            .map(|v| v.message)
            .collect()
    }

    /// A readOnly property is not required in a request, a writeOnly one not in a response, neither in a schema's
    /// own example; each is still required the other way, and allowed either way.
    #[test]
    fn read_only_and_write_only_follow_the_direction() {
        let spec = spec();
        let no_id = json!({"kind": "cat", "password": "x"});
        let no_password = json!({"kind": "cat", "id": 1});
        assert!(check(&spec, "Pet", Direction::Request, no_id.clone()).is_empty());
        assert_eq!(check(&spec, "Pet", Direction::Response, no_id).len(), 1);
        assert!(check(&spec, "Pet", Direction::Response, no_password.clone()).is_empty());
        assert_eq!(check(&spec, "Pet", Direction::Request, no_password).len(), 1);
        assert!(check(&spec, "Pet", Direction::Either, json!({"kind": "cat"})).is_empty());
        assert!(
            check(
                &spec,
                "Pet",
                Direction::Request,
                json!({"kind": "c", "id": 1, "password": "x"})
            )
            .is_empty()
        );
    }

    /// Checking many examples at once says what checking each alone says, with the same places.
    #[test]
    fn a_batch_finds_what_single_checks_find() {
        let spec = spec();
        let examples: Vec<crate::Example> = [
            ("Pet", Direction::Request, json!({"kind": 1})),
            ("Pet", Direction::Response, json!({"kind": "a"})),
            ("Animal", Direction::Response, json!({"kind": "cat"})),
            ("Animal", Direction::Response, json!({"kind": "Dog"})),
        ]
        .into_iter()
        .enumerate()
        .map(|(index, (schema, direction, value))| crate::Example {
            label: format!("example {index}"),
            pointer: format!("/x/{index}/example"),
            schema: json!({"$ref": format!("#/components/schemas/{schema}")}),
            value,
            direction,
        })
        .collect();
        let mut batch = crate::Checker::new(&spec);
        let together = batch.check_all(&examples);
        for (example, together) in examples.iter().zip(together) {
            let alone = crate::Checker::new(&spec).check(example).unwrap();
            let places = |v: &[Violation]| {
                v.iter()
                    .map(|v| (v.instance_path.clone(), v.message.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(places(&together.unwrap()), places(&alone), "{}", example.label);
        }
    }

    /// The discriminator's value picks the member: through the mapping, else by the component's name.
    #[test]
    fn the_discriminator_picks_the_member() {
        let spec = spec();
        assert!(
            check(
                &spec,
                "Animal",
                Direction::Response,
                json!({"kind": "cat", "purrs": true})
            )
            .is_empty()
        );
        assert!(check(&spec, "Animal", Direction::Response, json!({"kind": "Dog"})).is_empty());
        // A Dog that says it is a cat is checked as a cat, and a name no member has matches nothing.
        assert!(!check(&spec, "Animal", Direction::Response, json!({"kind": "cat"})).is_empty());
        assert!(
            !check(
                &spec,
                "Animal",
                Direction::Response,
                json!({"kind": "Cat", "purrs": true})
            )
            .is_empty()
        );
        assert!(!check(&spec, "Animal", Direction::Response, json!({"kind": "bird"})).is_empty());
    }

    /// What cannot be checked exactly is said once, at its schema, however many examples use it.
    #[test]
    fn what_cannot_be_translated_is_noted_once_at_its_schema() {
        let spec = spec();
        let mut checker = crate::Checker::new(&spec);
        for (index, direction) in [Direction::Request, Direction::Response, Direction::Request]
            .into_iter()
            .enumerate()
        {
            let example = crate::Example {
                label: format!("example {index}"),
                pointer: format!("/x/{index}/example"),
                schema: json!({"$ref": "#/components/schemas/Base"}),
                value: json!({"kind": "a"}),
                direction,
            };
            assert!(checker.check(&example).unwrap().is_empty());
        }
        let notes: Vec<String> = checker.notes().into_iter().map(|n| n.pointer).collect();
        assert_eq!(notes, ["/components/schemas/Base", "/components/schemas/Loose"]);
    }
}
