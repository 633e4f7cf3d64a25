//! The rules Redocly's and Spectral's defaults have and this lint lacked (unused components, tags, 2xx responses,
//! `$ref` siblings, enum defaults), and five neither catches: a format of another type, a media-type key that is no
//! media type, contradictory allOf types, inverted bounds, and headers OpenAPI ignores.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Lint, Rule};
use crate::document::escape;

/// Formats that only describe strings (OpenAPI 3.0's own and the JSON Schema ones documents use).
const STRING_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "time",
    "duration",
    "password",
    "byte",
    "binary",
    "email",
    "idn-email",
    "uuid",
    "uri",
    "uri-reference",
    "iri",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "regex",
];

/// Header parameters OpenAPI 3.0 says are ignored (`Authorization` has its own rule): the media types and
/// credentials are described by `content` and security schemes instead.
const IGNORED_HEADERS: &[&str] = &["content-type", "accept"];

impl<'a> Lint<'a> {
    pub(super) fn more_rules(&mut self) {
        let spec = self.spec;
        let mut walk = Walk {
            used: BTreeSet::new(),
            siblings: self.on(Rule::RefSiblings)
                && spec
                    .get("openapi")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.starts_with("3.0.")),
            media: self.on(Rule::MediaTypeKey),
        };
        if walk.siblings || walk.media || self.on(Rule::UnusedComponent) {
            self.walk(spec, &mut Vec::new(), &mut walk, false);
        }
        self.unused_components(&walk.used);
        self.server_urls();
        self.path_keys();
        self.tags();
        for op in self.doc.operations() {
            let at = op.pointer();
            if let Some(responses) = op.value.get("responses").and_then(Value::as_object)
                && !responses.keys().any(|status| status.starts_with('2'))
            {
                self.report(
                    Rule::Operation2xxResponse,
                    format!("{at}/responses"),
                    format!(
                        "{} describes no 2xx response, so clients cannot tell what success returns",
                        op.name()
                    ),
                );
            }
            for (parameter, pointer) in op.parameters() {
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
                if parameter.get("in").and_then(Value::as_str) == Some("header")
                    && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
                {
                    self.report(
                        Rule::IgnoredHeaderParameter,
                        pointer,
                        format!(
                            "a `{name}` header parameter is ignored (OpenAPI 3.0); describe media types with `content` instead"
                        ),
                    );
                }
            }
        }
        let mut places: Vec<(String, &Value)> = Vec::new();
        if let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, schema) in schemas {
                places.push((format!("/components/schemas/{}", escape(name)), schema));
            }
        }
        for (at, schema, _) in openapi_check::schema_places(spec) {
            places.push((at, schema));
        }
        for (at, schema) in places {
            self.schema_rules(schema, &at, 0);
        }
    }

    /// Components nothing refers to, and security schemes no requirement names: dead text a reader has to check.
    fn unused_components(&mut self, used: &BTreeSet<String>) {
        let spec = self.spec;
        let Some(components) = spec.get("components").and_then(Value::as_object) else {
            return;
        };
        if self.on(Rule::UnusedComponent) {
            for (kind, entries) in components {
                if kind == "securitySchemes" || kind.starts_with("x-") {
                    continue;
                }
                for name in entries.as_object().into_iter().flat_map(Map::keys) {
                    let at = format!("/components/{kind}/{}", escape(name));
                    if !used.contains(&at) {
                        self.report(
                            Rule::UnusedComponent,
                            at,
                            format!("the component `{name}` in `{kind}` is not referred to anywhere"),
                        );
                    }
                }
            }
        }
        if self.on(Rule::UnusedSecurityScheme)
            && let Some(schemes) = components.get("securitySchemes").and_then(Value::as_object)
        {
            let mut named = BTreeSet::new();
            let mut requirements: Vec<&Value> = spec.get("security").into_iter().collect();
            requirements.extend(self.doc.operations().iter().filter_map(|op| op.value.get("security")));
            for list in requirements {
                for requirement in list.as_array().into_iter().flatten() {
                    named.extend(requirement.as_object().into_iter().flat_map(Map::keys).cloned());
                }
            }
            for name in schemes.keys() {
                if !named.contains(name) {
                    self.report(
                        Rule::UnusedSecurityScheme,
                        format!("/components/securitySchemes/{}", escape(name)),
                        format!("the security scheme `{name}` is named by no security requirement"),
                    );
                }
            }
        }
    }

    fn server_urls(&mut self) {
        let spec = self.spec;
        let mut servers: Vec<(String, &'a Value)> = Vec::new();
        let mut add = |at: String, list: Option<&'a Value>| {
            for (index, server) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                servers.push((format!("{at}/servers/{index}"), server));
            }
        };
        add(String::new(), spec.get("servers"));
        for item in self.doc.path_items() {
            add(item.pointer(), item.servers());
        }
        for op in self.doc.operations() {
            add(op.pointer(), op.get("servers"));
        }
        for (at, server) in servers {
            if let Some(url) = server.get("url").and_then(Value::as_str)
                && url.len() > 1
                && url.ends_with('/')
                && !url.ends_with("://")
            {
                self.report(
                    Rule::ServerTrailingSlash,
                    format!("{at}/url"),
                    format!("the server URL `{url}` ends in `/`, so joined with a path (`/things`) it gives `//`"),
                );
            }
        }
    }

    /// A path key with a trailing slash or a query string: servers disagree on `/a/` against `/a`, and OpenAPI
    /// describes query parameters as parameters, never in the path.
    fn path_keys(&mut self) {
        for item in self.doc.path_items() {
            let path = item.path;
            if path.contains('?') {
                self.report(
                    Rule::PathKey,
                    item.pointer(),
                    format!("the path `{path}` holds a query string; describe it with `in: query` parameters"),
                );
            } else if path.len() > 1 && path.ends_with('/') {
                self.report(
                    Rule::PathKey,
                    item.pointer(),
                    format!(
                        "the path `{path}` ends in `/`; most servers treat `{}` as another resource",
                        path.trim_end_matches('/')
                    ),
                );
            }
        }
    }

    /// An enum that lists a value twice, or a value the schema's own `type` refuses (so no value can be it).
    fn enum_values(&mut self, object: &Map<String, Value>, options: &[Value], at: &str, kind: Option<&str>) {
        for (index, option) in options.iter().enumerate() {
            if options[..index].contains(option) {
                self.report(
                    Rule::EnumValues,
                    format!("{at}/enum/{index}"),
                    format!("the enum lists {option} twice"),
                );
            }
            let fits = match (kind, option) {
                (None, _) => true,
                (_, Value::Null) => object.get("nullable") == Some(&Value::Bool(true)),
                (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => true,
                (Some("number"), Value::Number(_)) => true,
                (Some("integer"), Value::Number(n)) => n.as_f64().is_some_and(|f| f.fract() == 0.0),
                (Some("object"), Value::Object(_)) | (Some("array"), Value::Array(_)) => true,
                (Some("string" | "boolean" | "number" | "integer" | "object" | "array"), _) => false,
                (Some(_), _) => true,
            };
            if !fits {
                self.report(
                    Rule::EnumValues,
                    format!("{at}/enum/{index}"),
                    format!(
                        "the enum value {option} is not of the schema's `type: {}`, so no value can be it",
                        kind.unwrap_or_default()
                    ),
                );
            }
        }
    }

    fn tags(&mut self) {
        let declared: BTreeSet<&str> = self
            .spec
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|tag| tag.get("name").and_then(Value::as_str))
            .collect();
        for op in self.doc.operations() {
            let at = op.pointer();
            let tags = op.value.get("tags").and_then(Value::as_array).filter(|t| !t.is_empty());
            let Some(tags) = tags else {
                self.report(
                    Rule::OperationTags,
                    at,
                    format!("{} has no tags, so documentation cannot group it", op.name()),
                );
                continue;
            };
            for (index, tag) in tags.iter().enumerate() {
                if let Some(tag) = tag.as_str()
                    && !declared.contains(tag)
                {
                    self.report(
                        Rule::UndeclaredTag,
                        format!("{at}/tags/{index}"),
                        format!("the tag `{tag}` is not declared in the document's `tags`"),
                    );
                }
            }
        }
    }

    /// One walk of the whole document for the rules that look at every node: the components `$ref`s use,
    /// what is written beside a `$ref` (3.0), and the keys of `content` maps. The path is a stack of borrowed keys,
    /// turned into a pointer only for a finding, so that a large document costs no string per node.
    fn walk(&mut self, node: &'a Value, path: &mut Vec<Segment<'a>>, walk: &mut Walk, in_names: bool) {
        if path.len() > 256 {
            return;
        }
        match node {
            Value::Object(object) => {
                if !in_names && let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    if let Some(target) = reference.strip_prefix("#/components/") {
                        let mut parts = target.splitn(3, '/');
                        if let (Some(kind), Some(name)) = (parts.next(), parts.next()) {
                            walk.used.insert(format!("/components/{kind}/{name}"));
                        }
                    }
                    if walk.siblings {
                        let siblings: Vec<&str> = object
                            .keys()
                            .map(String::as_str)
                            .filter(|k| *k != "$ref" && !k.starts_with("x-"))
                            .collect();
                        if !siblings.is_empty() {
                            self.report(
                                Rule::RefSiblings,
                                pointer(path),
                                format!(
                                    "{} beside `$ref` {} ignored in OpenAPI 3.0; wrap the reference in `allOf` to add to it",
                                    siblings.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
                                    if siblings.len() == 1 { "is" } else { "are" }
                                ),
                            );
                        }
                    }
                }
                for (key, child) in object {
                    // Keyword positions only: in a map of names (`properties`, `paths`, `content`...) any key is a
                    // name, and example values, defaults, enums and extensions are data.
                    if !in_names
                        && (matches!(key.as_str(), "example" | "value" | "default" | "enum") || key.starts_with("x-"))
                    {
                        continue;
                    }
                    path.push(Segment::Key(key));
                    if !in_names
                        && key == "content"
                        && walk.media
                        && let Some(content) = child.as_object()
                        && content.values().all(Value::is_object)
                    {
                        for media in content.keys() {
                            if !is_media_type(media) {
                                path.push(Segment::Key(media));
                                self.report(
                                    Rule::MediaTypeKey,
                                    pointer(path),
                                    format!(
                                        "`{media}` is not a media type (`type/subtype`, such as `application/json`)"
                                    ),
                                );
                                path.pop();
                            }
                        }
                    }
                    let names = !in_names && NAME_MAPS.contains(&key.as_str());
                    self.walk(child, path, walk, names);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Segment::Index(index));
                    self.walk(child, path, walk, false);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The rules that look at one schema at a time, walked into its subschemas.
    fn schema_rules(&mut self, schema: &Value, at: &str, depth: usize) {
        let Some(object) = schema.as_object() else { return };
        if depth > 64 || object.contains_key("$ref") {
            return;
        }
        let kind = object.get("type").and_then(Value::as_str);
        if let Some(format) = object.get("format").and_then(Value::as_str)
            && let Some(kind) = kind
        {
            let mismatch = match kind {
                "integer" | "number" => STRING_FORMATS.contains(&format),
                "boolean" | "object" | "array" => {
                    STRING_FORMATS.contains(&format) || ["int32", "int64", "float", "double"].contains(&format)
                }
                _ => false,
            } || (kind == "integer" && (format == "float" || format == "double"));
            if mismatch {
                self.report(
                    Rule::TypeFormat,
                    format!("{at}/format"),
                    format!("`format: {format}` does not describe a value of `type: {kind}`, so generators and validators disagree on it"),
                );
            }
        }
        if let (Some(default), Some(options)) = (object.get("default"), object.get("enum").and_then(Value::as_array))
            && !options.contains(default)
            && !(default.is_null() && object.get("nullable") == Some(&Value::Bool(true)))
        {
            self.report(
                Rule::EnumDefault,
                format!("{at}/default"),
                format!("the default {default} is not one of the enum's values"),
            );
        }
        if let Some(options) = object.get("enum").and_then(Value::as_array) {
            self.enum_values(object, options, at, kind);
        }
        if object.get("readOnly") == Some(&Value::Bool(true)) && object.get("writeOnly") == Some(&Value::Bool(true)) {
            self.report(
                Rule::ReadWriteOnly,
                at.to_string(),
                "a schema that is both `readOnly` and `writeOnly` is neither sent nor received",
            );
        }
        for (low, high) in [
            ("minimum", "maximum"),
            ("minLength", "maxLength"),
            ("minItems", "maxItems"),
            ("minProperties", "maxProperties"),
        ] {
            if let (Some(min), Some(max)) = (
                object.get(low).and_then(Value::as_f64),
                object.get(high).and_then(Value::as_f64),
            ) && min > max
            {
                self.report(
                    Rule::MinGreaterThanMax,
                    format!("{at}/{low}"),
                    format!(
                        "`{low}` ({}) is greater than `{high}` ({}), so no value is valid",
                        object[low], object[high]
                    ),
                );
            }
        }
        if let Some(members) = object.get("allOf").and_then(Value::as_array) {
            let mut types: Vec<(usize, &str)> = Vec::new();
            if let Some(kind) = kind {
                types.push((usize::MAX, kind));
            }
            for (index, member) in members.iter().enumerate() {
                if let Some(kind) = self.doc.follow(member).get("type").and_then(Value::as_str) {
                    types.push((index, kind));
                }
            }
            let compatible =
                |a: &str, b: &str| a == b || matches!((a, b), ("integer", "number") | ("number", "integer"));
            if let Some((&(first, a), &(second, b))) = types
                .iter()
                .flat_map(|x| types.iter().map(move |y| (x, y)))
                .find(|(x, y)| !compatible(x.1, y.1))
            {
                let name = |index: usize| {
                    if index == usize::MAX {
                        "the schema itself".to_string()
                    } else {
                        format!("member {index}")
                    }
                };
                self.report(
                    Rule::AllOfTypes,
                    format!("{at}/allOf"),
                    format!(
                        "`allOf` requires both `type: {a}` ({}) and `type: {b}` ({}), so no value is valid",
                        name(first),
                        name(second)
                    ),
                );
            }
        }
        self.required_declared(object, at);
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.schema_rules(property, &format!("{at}/properties/{}", escape(name)), depth + 1);
            }
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if let Some(sub) = object.get(keyword).filter(|s| s.is_object()) {
                self.schema_rules(sub, &format!("{at}/{keyword}"), depth + 1);
            }
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for (index, sub) in object
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.schema_rules(sub, &format!("{at}/{keyword}/{index}"), depth + 1);
            }
        }
    }

    /// A `required` name that no property declares: with `additionalProperties: false` no value can have it; with
    /// properties declared and nothing else said, it is almost always a typo. Properties an allOf, oneOf or anyOf
    /// may bring are not known here, so such a schema (and each of its members) is left alone.
    fn required_declared(&mut self, object: &Map<String, Value>, at: &str) {
        let Some(required) = object.get("required").and_then(Value::as_array) else {
            return;
        };
        if ["allOf", "oneOf", "anyOf"].iter().any(|k| object.contains_key(*k)) || is_combined_member(at) {
            return;
        }
        let properties = object.get("properties").and_then(Value::as_object);
        // `properties: {$ref: ...}` names its map in another place, which only a bundler resolves.
        if properties.is_some_and(|p| p.contains_key("$ref")) {
            return;
        }
        let closed = object.get("additionalProperties") == Some(&Value::Bool(false));
        let open = object
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false));
        if open || (properties.is_none() && !closed) {
            return;
        }
        for (index, name) in required.iter().enumerate() {
            if let Some(name) = name.as_str()
                && !properties.is_some_and(|p| p.contains_key(name))
            {
                let why = if closed {
                    "and `additionalProperties: false` forbids it, so no value is valid"
                } else {
                    "(a typo, or a property the schema lacks)"
                };
                self.report(
                    Rule::RequiredUndeclared,
                    format!("{at}/required/{index}"),
                    format!("`{name}` is required but not among the `properties` {why}"),
                );
            }
        }
    }
}

/// What the document walk gathers and which of its checks are on.
struct Walk {
    /// Every local `/components/KIND/NAME` a `$ref` names, a reference into a component counting for the component.
    used: BTreeSet<String>,
    siblings: bool,
    media: bool,
}

/// Keys whose value is a map of names rather than of keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "paths",
    "content",
    "responses",
    "schemas",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "variables",
    "encoding",
    "mapping",
    "scopes",
];

#[derive(Clone, Copy)]
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

fn pointer(path: &[Segment<'_>]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                out.push('/');
                out.push_str(&escape(key));
            }
            Segment::Index(index) => {
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
    out
}

/// `type/subtype` with optional parameters, or a range (`*/*`, `text/*`), as RFC 6838 and OpenAPI allow.
fn is_media_type(key: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    };
    let essence = key.split(';').next().unwrap_or_default().trim();
    essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype))
}

/// A member of an allOf, oneOf or anyOf: its `required` may name a property another member declares.
fn is_combined_member(at: &str) -> bool {
    let mut segments = at.rsplit('/');
    segments.next().is_some_and(|index| index.parse::<usize>().is_ok())
        && segments
            .next()
            .is_some_and(|k| k == "allOf" || k == "oneOf" || k == "anyOf")
}

#[cfg(test)]
mod tests {
    use super::is_media_type;

    #[test]
    fn media_types_are_told_from_other_keys() {
        for ok in [
            "application/json",
            "*/*",
            "text/*",
            "application/vnd.api+json",
            "text/plain; charset=utf-8",
        ] {
            assert!(is_media_type(ok), "{ok}");
        }
        for bad in [
            "application-json",
            "json",
            "application/",
            "/json",
            "application/json/x",
            "",
        ] {
            assert!(!is_media_type(bad), "{bad}");
        }
    }
}
