//! Structural validation: the whole document against the official OpenAPI JSON Schema of its version, with each
//! validator error turned into one sentence about the deepest place that is wrong.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::document::escape;

/// The OpenAPI versions whose official schema is vendored under `schemas/` (see `schemas/SOURCES.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.0.x: the schema of 2021-09-28, JSON Schema draft 4.
    V30,
    /// OpenAPI 3.1.x: the schema of 2022-10-07, JSON Schema 2020-12. It leaves Schema Objects to their dialect,
    /// so a schema inside the document is checked only for being an object or a boolean.
    V31,
}

impl Version {
    /// The schema that describes a document with this `openapi` field; none for a version without a published
    /// schema (3.2's is not vendored yet), which the version rule reports.
    pub fn of(document: &Value) -> Option<Self> {
        let version = document.get("openapi").and_then(Value::as_str)?;
        if version.starts_with("3.0.") {
            Some(Self::V30)
        } else if version.starts_with("3.1.") {
            Some(Self::V31)
        } else {
            None
        }
    }

    fn validator(self) -> &'static Validator {
        static V30: OnceLock<Validator> = OnceLock::new();
        static V31: OnceLock<Validator> = OnceLock::new();
        let (cell, text) = match self {
            Self::V30 => (&V30, include_str!("../../schemas/oas-3.0-2021-09-28.json")),
            Self::V31 => (&V31, include_str!("../../schemas/oas-3.1-2022-10-07.json")),
        };
        cell.get_or_init(|| {
            // The vendored files are fixed at build time and a test compiles both, so a failure here is a bug.
            let schema: Value = serde_json::from_str(text).expect("the vendored OpenAPI schema is JSON");
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("the vendored OpenAPI schema compiles")
        })
    }
}

/// A place where the document breaks its version's schema: the JSON pointer and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

/// Everything in `document` that its version's official schema refuses, plus the requirements of the specification
/// that a JSON Schema cannot say (an array schema without `items`), one problem per place.
pub fn check(document: &Value) -> Vec<Problem> {
    let Some(version) = Version::of(document) else {
        return Vec::new();
    };
    let mut problems = BTreeSet::new();
    let validator = version.validator();
    // Most documents are valid: the fast check costs less than collecting errors.
    if !validator.is_valid(document) {
        for error in validator.iter_errors(document) {
            explain(&error, document, &mut problems);
        }
    }
    if version == Version::V30 {
        array_items(document, "", &mut problems, 0);
    }
    problems.into_iter().collect()
}

/// The OpenAPI object a schema location describes, named as a reader would: the last `definitions` (3.0) or
/// `$defs` (3.1) entry the validator passed through.
fn object_kind(error: &ValidationError<'_>) -> Option<String> {
    let path = error
        .absolute_keyword_location()
        .and_then(|uri| uri.fragment().map(|f| f.as_str().to_string()))
        .unwrap_or_else(|| error.schema_path().as_str().to_string());
    let mut segments = path.split('/').peekable();
    let mut kind = None;
    while let Some(segment) = segments.next() {
        if (segment == "definitions" || segment == "$defs")
            && let Some(name) = segments.peek()
        {
            kind = Some(*name);
        }
    }
    kind.map(words)
}

/// `MediaType` as "media type", `path-item` as "path item".
fn words(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c == '-' || c == '_' {
            out.push(' ');
        } else if c.is_ascii_uppercase() {
            if index > 0 && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out.replace("or reference", "").trim().to_string()
}

/// The last segment of a JSON pointer, unescaped: the key or index the value sits at.
fn last_key(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~")
}

/// "response `200`", "parameter #1" (an item of a list), or "the document" at the root.
fn subject(kind: Option<&str>, pointer: &str, document: &Value) -> String {
    if pointer.is_empty() {
        return "the document".to_string();
    }
    let key = last_key(pointer);
    let in_list = pointer
        .rsplit_once('/')
        .and_then(|(parent, _)| document.pointer(parent))
        .is_some_and(Value::is_array);
    match kind {
        Some(kind) if in_list => format!("{kind} #{key}"),
        Some(kind) => format!("{kind} `{key}`"),
        None => format!("`{key}`"),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn expected_types(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "an integer".to_string(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(types) => {
            let names: Vec<String> = types.iter().map(|t| name(&t)).collect();
            names.join(" or ")
        }
    }
}

/// A value short enough to quote in a message.
fn quote(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// How deep in the document a set of errors reaches, and whether the branch is the `$ref` alternative: the branch
/// a writer meant is the one that got furthest, and never the Reference Object when no `$ref` is written.
fn branch_score(errors: &[ValidationError<'static>], document: &Value) -> (bool, usize, std::cmp::Reverse<usize>) {
    let reference_only = errors.iter().all(|error| {
        matches!(error.kind(), ValidationErrorKind::Required { property } if property == "$ref")
            || document
                .pointer(error.instance_path().as_str())
                .and_then(|v| v.get("$ref"))
                .is_none()
                && object_kind(error).as_deref() == Some("reference")
    });
    let depth = errors
        .iter()
        .map(|error| deepest(error).matches('/').count())
        .max()
        .unwrap_or(0);
    (!reference_only, depth, std::cmp::Reverse(errors.len()))
}

/// The deepest instance path inside an error, looking into the branches of oneOf and anyOf.
fn deepest(error: &ValidationError<'_>) -> String {
    let own = error.instance_path().as_str().to_string();
    let context = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => context,
        _ => return own,
    };
    context
        .iter()
        .flatten()
        .map(|e| deepest(e))
        .max_by_key(|p| p.matches('/').count())
        .unwrap_or(own)
}

/// One sentence per validator error, at its place in the document; a oneOf/anyOf failure is explained by the
/// branch that reached deepest.
fn explain(error: &ValidationError<'_>, document: &Value, out: &mut BTreeSet<Problem>) {
    let pointer = error.instance_path().as_str().to_string();
    let kind = object_kind(error);
    let instance = error.instance();
    // A `$ref` where the schema expects a map of names (`properties: {$ref: ...}`) is a reference a bundler
    // follows; whether it resolves is `ref-resolves`' to say, not a structural fault.
    if last_key(&pointer) == "$ref" && instance.is_string() {
        return;
    }
    let message = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let best = context
                .iter()
                .filter(|branch| !branch.is_empty())
                .max_by_key(|branch| branch_score(branch, document));
            match best {
                Some(branch) => {
                    for error in branch {
                        explain(error, document, out);
                    }
                    return;
                }
                None => format!(
                    "{} matches none of the forms it may take",
                    subject(kind.as_deref(), &pointer, document)
                ),
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => format!(
            "{} matches more than one of the forms it may take, so its meaning is ambiguous",
            subject(kind.as_deref(), &pointer, document)
        ),
        ValidationErrorKind::Required { property } => {
            let property = property.as_str().unwrap_or_default();
            format!(
                "{} has no `{property}`, which is required",
                subject(kind.as_deref(), &pointer, document)
            )
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let at = format!("{pointer}/{}", escape(name));
                let owner = kind.as_deref().map_or("this object".to_string(), |k| format!("a {k}"));
                let hint = if kind.as_deref() == Some("schema") && name == "examples" {
                    " (`examples` in a schema is OpenAPI 3.1; 3.0 has `example`)"
                } else {
                    ""
                };
                out.insert(Problem {
                    pointer: at,
                    message: format!(
                        "`{name}` is not a field of {owner}; only the specification's fields and `x-` extensions are allowed{hint}"
                    ),
                });
            }
            return;
        }
        // A list of types fails both the `type` and the `enum` of 3.0's `type`: one sentence says why.
        ValidationErrorKind::Type { .. } | ValidationErrorKind::Enum { .. }
            if last_key(&pointer) == "type" && instance.is_array() =>
        {
            format!(
                "`type` is a list ({}), which is OpenAPI 3.1; in 3.0 `type` is one name, with `nullable: true` for null",
                quote(instance)
            )
        }
        ValidationErrorKind::Type { kind: expected } => {
            format!(
                "{} must be {}, not {}",
                subject(None, &pointer, document),
                expected_types(expected),
                type_name(instance)
            )
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| format!("`{}`", o.as_str().map_or_else(|| o.to_string(), str::to_string)))
                .collect();
            format!(
                "{} is {}, which is not one of {}",
                subject(None, &pointer, document),
                quote(instance),
                options.join(", ")
            )
        }
        ValidationErrorKind::Constant { expected_value } => format!(
            "{} is {}, where only {} is allowed",
            subject(None, &pointer, document),
            quote(instance),
            quote(expected_value)
        ),
        ValidationErrorKind::Pattern { pattern } => {
            if pointer == "/openapi" {
                format!(
                    "the version {} is not of the form the schema takes ({pattern})",
                    quote(instance)
                )
            } else {
                format!("{} does not match `{pattern}`", subject(None, &pointer, document))
            }
        }
        ValidationErrorKind::Format { format } if format == "regex" => format!(
            "the pattern {} is not a valid regular expression, so no value can be checked against it",
            quote(instance)
        ),
        ValidationErrorKind::Format { format } => {
            format!("{} is not a valid {format}", quote(instance))
        }
        ValidationErrorKind::PropertyNames { error } => {
            format!(
                "the key {} is not allowed here: {}",
                quote(error.instance()),
                plain(error)
            )
        }
        ValidationErrorKind::MinProperties { limit } => format!(
            "{} must have at least {limit} entr{}",
            subject(None, &pointer, document),
            if *limit == 1 { "y" } else { "ies" }
        ),
        ValidationErrorKind::MinItems { limit } => format!(
            "{} must have at least {limit} item{}",
            subject(None, &pointer, document),
            if *limit == 1 { "" } else { "s" }
        ),
        ValidationErrorKind::UniqueItems => format!("{} lists an item twice", subject(None, &pointer, document)),
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => {
            let at = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
            format!(
                "{} is not allowed here{}",
                subject(None, &pointer, document),
                if at.is_empty() {
                    String::new()
                } else {
                    " (see the specification of its parent object)".to_string()
                }
            )
        }
        _ => plain(error),
    };
    out.insert(Problem { pointer, message });
}

/// The validator's own sentence, with the offending value cut to a readable length.
fn plain(error: &ValidationError<'_>) -> String {
    let text = error.to_string();
    let shown = quote(error.instance());
    let full = error.instance().to_string();
    text.replace(&full, &shown)
}

/// OpenAPI 3.0.3: "`items` MUST be present if the `type` is `array`"; the official schema does not say it. Walks
/// every mapping that looks like a schema (one with `type: array`), so nested and inline schemas are covered.
fn array_items(node: &Value, pointer: &str, out: &mut BTreeSet<Problem>, depth: usize) {
    if depth > 256 {
        return;
    }
    match node {
        Value::Object(object) => {
            if object.get("type").and_then(Value::as_str) == Some("array")
                && !object.contains_key("items")
                && !object.contains_key("$ref")
                && !is_data(pointer)
            {
                out.insert(Problem {
                    pointer: pointer.to_string(),
                    message:
                        "`items` is required when `type` is `array` (OpenAPI 3.0: the items' schema must be given)"
                            .to_string(),
                });
            }
            for (key, child) in object {
                // Example values and extensions are data, not schemas.
                if key == "example" || key == "examples" || key == "default" || key == "enum" || key.starts_with("x-") {
                    continue;
                }
                array_items(child, &format!("{pointer}/{}", escape(key)), out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                array_items(child, &format!("{pointer}/{index}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// A pointer into a property map's names, where `type` may be a property called so rather than a keyword.
fn is_data(pointer: &str) -> bool {
    pointer.ends_with("/properties")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<Problem> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        check(&value)
    }

    const BASE: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n";

    #[test]
    fn both_vendored_schemas_compile_and_accept_a_minimal_document() {
        assert_eq!(problems(&format!("{BASE}        '200': {{description: ok}}\n")), vec![]);
        let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(problems(v31), vec![]);
        assert_eq!(Version::of(&serde_yaml::from_str(v31).unwrap()), Some(Version::V31));
    }

    #[test]
    fn a_response_without_description_is_named_not_dumped() {
        let found = problems(&format!("{BASE}        '200': {{content: {{}}}}\n"));
        assert_eq!(
            found,
            vec![Problem {
                pointer: "/paths/~1a/get/responses/200".into(),
                message: "response `200` has no `description`, which is required".into()
            }]
        );
    }

    #[test]
    fn a_31_type_list_an_array_without_items_and_a_bad_pattern_are_found() {
        let text = format!(
            "{BASE}        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: [string, 'null']\n                properties:\n                  a: {{type: array}}\n                  b: {{type: string, pattern: '(unclosed'}}\n"
        );
        let found = problems(&text);
        let messages: Vec<&str> = found.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("which is OpenAPI 3.1")),
            "{found:#?}"
        );
        assert!(messages.iter().any(|m| m.contains("`items` is required")), "{found:#?}");
        assert!(
            messages.iter().any(|m| m.contains("not a valid regular expression")),
            "{found:#?}"
        );
        assert!(
            messages.iter().all(|m| !m.contains("oneOf") && !m.contains("anyOf")),
            "{found:#?}"
        );
    }
}
