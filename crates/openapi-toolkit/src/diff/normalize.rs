//! Dialect normalisation: OpenAPI 3.1's schema forms rewritten so that the diff compares meaning, not dialect.
//!
//! Two steps. `document` rewrites every schema of a 3.1 (or later) document once, before the walk:
//! a type list with `"null"` becomes a type and `nullable: true`, a `oneOf`/`anyOf` of `{type: "null"}` and
//! one schema becomes that schema made nullable, a `oneOf`/`anyOf` of bare types becomes a type list, and a
//! `$ref` with constraining siblings becomes an `allOf` of the reference and the siblings.
//! `pair` then harmonises the two sides of each compared schema where the two dialects write one meaning
//! two ways: a boolean `exclusiveMinimum` beside `minimum` against a numeric one, and `enum: [v]` against `const: v`.
//! A 3.0 document is left as it is, so that the 3.0 diff is unchanged.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::document::follow_in;

/// The document's `major.minor` OpenAPI version, read from its `openapi` string.
// The document model is getting a version enum of its own (issue 19); this reads only what the diff needs.
fn version(doc: &Value) -> Option<(u32, u32)> {
    let text = doc.get("openapi")?.as_str()?;
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Whether the document's schemas are JSON Schema 2020-12 (OpenAPI 3.1 and later).
pub(crate) fn is_json_schema_dialect(doc: &Value) -> bool {
    version(doc).is_some_and(|v| v >= (3, 1))
}

/// The document with its schemas in the forms the comparison reads; a 3.0 document as it is.
pub(crate) fn document(doc: &Value) -> Cow<'_, Value> {
    if !is_json_schema_dialect(doc) {
        return Cow::Borrowed(doc);
    }
    let mut out = doc.clone();
    outside_schemas(&mut out, doc, "");
    Cow::Owned(out)
}

/// Keywords that describe a schema without constraining its values: a `$ref` beside only these is the reference.
fn annotation(keyword: &str) -> bool {
    keyword.starts_with("x-")
        || matches!(
            keyword,
            "description"
                | "title"
                | "summary"
                | "example"
                | "examples"
                | "deprecated"
                | "$comment"
                | "externalDocs"
                | "readOnly"
                | "writeOnly"
                | "default"
        )
}

/// Finds the schemas of a document: every `schema` of a parameter, header or media type (webhooks
/// included) and every `components.schemas` entry. Example values are not walked: they are data.
fn outside_schemas(value: &mut Value, root: &Value, parent: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                if key == "schema" && child.is_object() {
                    schema(child, root, 0);
                } else if key == "schemas" && parent == "components" {
                    if let Value::Object(schemas) = child {
                        for s in schemas.values_mut() {
                            schema(s, root, 0);
                        }
                    }
                } else {
                    outside_schemas(child, root, key);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                outside_schemas(item, root, parent);
            }
        }
        _ => {}
    }
}

/// How deep a nullable `oneOf` around a `$ref` may inline its target: a recursive schema stops here.
const MAX_INLINE: usize = 4;

/// Rewrites one schema and everything below it.
fn schema(value: &mut Value, root: &Value, inlined: usize) {
    let Value::Object(map) = value else {
        return;
    };
    if let Some(replacement) = nullable_wrapper(map, root, inlined) {
        *value = replacement;
        return schema(value, root, inlined + 1);
    }
    bare_type_alternatives(map);
    type_list(map);
    ref_with_siblings(map);
    for keyword in [
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "definitions",
    ] {
        if let Some(Value::Object(children)) = map.get_mut(keyword) {
            for child in children.values_mut() {
                schema(child, root, inlined);
            }
        }
    }
    for keyword in [
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    ] {
        if let Some(child) = map.get_mut(keyword) {
            schema(child, root, inlined);
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(children)) = map.get_mut(keyword) {
            for child in children {
                schema(child, root, inlined);
            }
        }
    }
}

/// `oneOf: [{type: "null"}, S]` (or `anyOf`, either order) with nothing else that constrains: S made nullable,
/// which is how 3.1 writes 3.0's `nullable: true` around a reference. A referenced S is inlined, since a
/// `$ref` takes no siblings in the comparison.
fn nullable_wrapper(map: &Map<String, Value>, root: &Value, inlined: usize) -> Option<Value> {
    let (keyword, members) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_array).map(|m| (*k, m)))?;
    if members.len() != 2 || map.keys().any(|k| k != keyword && !annotation(k)) {
        return None;
    }
    let is_null = |m: &Value| {
        m.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("type") == Some(&Value::from("null")))
    };
    let other = match (is_null(&members[0]), is_null(&members[1])) {
        (true, false) => &members[1],
        (false, true) => &members[0],
        _ => return None,
    };
    let target = if other.get("$ref").is_some() {
        if inlined >= MAX_INLINE {
            return None;
        }
        let (target, pointer) = follow_in(root, other);
        pointer?;
        target
    } else {
        other
    };
    let mut out = target.as_object()?.clone();
    out.insert("nullable".into(), Value::Bool(true));
    for (key, value) in map.iter().filter(|(k, _)| *k != keyword) {
        out.insert(key.clone(), value.clone());
    }
    Some(Value::Object(out))
}

/// `oneOf: [{type: string}, {type: integer}]`, each member only a type: the type list `[string, integer]`.
fn bare_type_alternatives(map: &mut Map<String, Value>) {
    if map.contains_key("type") {
        return;
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(members) = map.get(keyword).and_then(Value::as_array) else {
            continue;
        };
        let types: Option<Vec<Value>> = members
            .iter()
            .map(|m| {
                let o = m.as_object()?;
                (o.len() == 1).then(|| o.get("type").filter(|t| t.is_string()).cloned())?
            })
            .collect();
        if let Some(types) = types.filter(|t| t.len() >= 2) {
            map.remove(keyword);
            map.insert("type".into(), Value::Array(types));
            return;
        }
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; a list of one type is that type.
fn type_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    let null = Value::from("null");
    let rest: Vec<Value> = types.iter().filter(|t| **t != null).cloned().collect();
    let nullable = rest.len() < types.len();
    let new = match rest.len() {
        0 => return,
        1 => rest[0].clone(),
        _ => Value::Array(rest),
    };
    map.insert("type".into(), new);
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// A `$ref` beside constraining keywords (allowed from 3.1 on) means both apply: `allOf` of the two.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || annotation(k)) {
        return;
    }
    let mut reference = Map::new();
    let mut siblings = Map::new();
    for (key, value) in std::mem::take(map) {
        if key == "$ref" {
            reference.insert(key, value);
        } else if annotation(&key) {
            map.insert(key, value);
        } else {
            siblings.insert(key, value);
        }
    }
    map.insert(
        "allOf".into(),
        Value::Array(vec![Value::Object(reference), Value::Object(siblings)]),
    );
}

/// The two sides of one compared schema, each rewritten where the other writes the same meaning in the
/// other dialect: 3.0's `minimum: n, exclusiveMinimum: true` against 3.1's `exclusiveMinimum: n` (and the
/// maximum), and `enum: [v]` against `const: v`.
pub(crate) fn pair<'v>(base: &'v Value, head: &'v Value) -> (Cow<'v, Value>, Cow<'v, Value>) {
    let (mut base, mut head) = (Cow::Borrowed(base), Cow::Borrowed(head));
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        let numeric = |s: &Value| s.get(exclusive).is_some_and(Value::is_number);
        let boolean =
            |s: &Value| s.get(exclusive) == Some(&Value::Bool(true)) && s.get(bound).is_some_and(Value::is_number);
        if numeric(&base) && boolean(&head) {
            to_numeric(head.to_mut(), exclusive, bound);
        } else if numeric(&head) && boolean(&base) {
            to_numeric(base.to_mut(), exclusive, bound);
        }
    }
    let single = |s: &Value| match s.get("enum").and_then(Value::as_array) {
        Some(values) if values.len() == 1 && s.get("const").is_none() => Some(values[0].clone()),
        _ => None,
    };
    // A one-value enum is a const whatever the value, so a changed value is then `const-changed`.
    if let (Some(value), true) = (single(&base), head.get("const").is_some()) {
        to_const(base.to_mut(), value);
    } else if let (Some(value), true) = (single(&head), base.get("const").is_some()) {
        to_const(head.to_mut(), value);
    }
    (base, head)
}

fn to_numeric(schema: &mut Value, exclusive: &str, bound: &str) {
    if let Value::Object(map) = schema
        && let Some(limit) = map.remove(bound)
    {
        map.insert(exclusive.into(), limit);
    }
}

fn to_const(schema: &mut Value, value: Value) {
    if let Value::Object(map) = schema {
        map.remove("enum");
        map.insert("const".into(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn normalized(doc: Value) -> Value {
        document(&doc).into_owned()
    }

    #[test]
    fn a_3_0_document_is_left_as_it_is() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {"A": {"type": ["string", "null"]}}}});
        assert!(matches!(document(&doc), Cow::Borrowed(_)));
    }

    #[test]
    fn a_type_list_with_null_is_a_nullable_type() {
        let doc = normalized(json!({"openapi": "3.1.0", "components": {"schemas": {
            "A": {"type": "object", "properties": {"p": {"type": ["string", "null"]}, "q": {"type": ["integer", "string", "null"]}}}
        }}}));
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["p"], json!({"type": "string", "nullable": true}));
        assert_eq!(props["q"], json!({"type": ["integer", "string"], "nullable": true}));
    }

    #[test]
    fn a_nullable_one_of_around_a_reference_is_the_target_made_nullable() {
        let doc = normalized(json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "E": {"type": "string", "enum": ["a"]},
            "A": {"properties": {"e": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/E"}]}}}
        }}}));
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["e"],
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
    }

    #[test]
    fn a_recursive_nullable_reference_stops_inlining() {
        let doc = normalized(json!({"openapi": "3.1.0", "components": {"schemas": {
            "Node": {"type": "object", "properties": {"next": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}}}
        }}}));
        assert!(doc.to_string().len() < 10_000);
    }

    #[test]
    fn a_reference_with_constraining_siblings_is_an_all_of() {
        let doc = normalized(json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/S", "description": "d", "maxLength": 3}}
        ]}}}}));
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/S"}, {"maxLength": 3}]})
        );
    }

    #[test]
    fn examples_are_not_rewritten() {
        let example = json!({"schema": {"type": ["string", "null"]}});
        let doc =
            normalized(json!({"openapi": "3.1.0", "components": {"examples": {"e": {"value": example.clone()}}}}));
        assert_eq!(doc["components"]["examples"]["e"]["value"], example);
    }

    #[test]
    fn a_boolean_exclusive_bound_meets_a_numeric_one() {
        let old = json!({"minimum": 5, "exclusiveMinimum": true});
        let new = json!({"exclusiveMinimum": 5});
        let (b, h) = pair(&old, &new);
        assert_eq!(*b, new);
        assert_eq!(*h, new);
    }

    #[test]
    fn a_single_enum_meets_a_const() {
        let (one, x, y, two) = (
            json!({"enum": ["x"]}),
            json!({"const": "x"}),
            json!({"const": "y"}),
            json!({"enum": ["x", "y"]}),
        );
        let (b, h) = pair(&one, &x);
        assert_eq!(b, h);
        // A one-value enum is a const whatever the value, so a change of value is a const change.
        let (b, h) = pair(&one, &y);
        assert_eq!(*b, x);
        assert_eq!(*h, y);
        let (b, _) = pair(&two, &y);
        assert_eq!(*b, two);
    }
}
