//! `convert`: an OpenAPI 3.0 document as 3.1 and back, meaning for meaning; what the target cannot say is refused
//! at its place, never dropped.
//!
//! The walk follows the document's structure (paths, webhooks, operations, parameters, bodies, responses, callbacks,
//! components), so that a property that happens to be called `nullable` or `type` is never taken for a keyword.

use std::fmt::Write as _;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::document::{Document, Version, escape};
use crate::error::{Error, Result};

/// The version to convert to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// OpenAPI 3.0.3
    #[value(name = "3.0")]
    V3_0,
    /// OpenAPI 3.1.0
    #[value(name = "3.1")]
    V3_1,
}

impl Target {
    /// The `openapi` field a converted document declares.
    pub fn openapi(self) -> &'static str {
        match self {
            Self::V3_0 => "3.0.3",
            Self::V3_1 => "3.1.0",
        }
    }

    fn version(self) -> Version {
        match self {
            Self::V3_0 => Version::V3_0,
            Self::V3_1 => Version::V3_1,
        }
    }
}

/// Something the target version cannot say, at its place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub pointer: String,
    /// Line and column in the source, where the reader knows them.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

/// The JSON Schema dialect that OpenAPI 3.1 assumes when `jsonSchemaDialect` is absent: saying it says nothing.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// The methods of a path item in 3.0 and 3.1.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0 has no way to say.
const NOT_IN_30: [&str; 20] = [
    "prefixItems",
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
    "$defs",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$schema",
];

/// Keywords that only annotate: they may stay beside a `$ref` folded into `allOf`.
const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "example",
    "examples",
];

/// The document converted to `target`, keys in the source's order; every place the target cannot say, when any.
pub fn convert(document: &Document, target: Target) -> Result<Value> {
    let source = document.check_version()?;
    if source == Version::V3_2 {
        return Err(Error::Check(format!(
            "{}: converting from OpenAPI 3.2 is not supported yet; only 3.0 and 3.1 are converted",
            document.name()
        )));
    }
    let mut value = document.ordered();
    if source == target.version() {
        return Ok(value);
    }
    let mut walk = Walk {
        document,
        target,
        refusals: Vec::new(),
    };
    if let Value::Mapping(root) = &mut value {
        walk.root(root);
    }
    if walk.refusals.is_empty() {
        return Ok(value);
    }
    let mut refusals = walk.refusals;
    refusals.sort_by(|a, b| (a.position, &a.pointer).cmp(&(b.position, &b.pointer)));
    refusals.dedup();
    let mut message = format!(
        "{} cannot be converted to OpenAPI {} without losing what it says at {} place(s):",
        document.name(),
        target.openapi(),
        refusals.len()
    );
    for refusal in &refusals {
        let place = refusal
            .position
            .map_or(String::new(), |(line, column)| format!(":{line}:{column}"));
        write!(
            message,
            "\n  {}{place}: {} (at {})",
            document.name(),
            refusal.message,
            refusal.pointer
        )?;
    }
    Err(Error::Check(message))
}

/// Writes a converted document to `out` (JSON for a `.json` name, YAML otherwise) through a temporary file beside it
/// and a rename, so that a reader never sees half of it.
pub fn write(value: &Value, out: &Path, header: &str) -> Result<()> {
    let text = if out.extension().is_some_and(|e| e == "json") {
        let mut json = crate::bundle::to_json(value)?;
        json.push('\n');
        json
    } else {
        format!("# {header}\n{}", crate::bundle::to_yaml(value)?)
    };
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { action, path, source }
    };
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, text).map_err(io("writing", &temporary))?;
    std::fs::rename(&temporary, out).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        Error::Io {
            action: "renaming into",
            path: out.to_path_buf(),
            source,
        }
    })
}

/// The converted document as text, for `convert` without `-o`.
pub fn to_text(value: &Value, json: bool) -> Result<String> {
    if json {
        let mut text = crate::bundle::to_json(value)?;
        text.push('\n');
        Ok(text)
    } else {
        crate::bundle::to_yaml(value)
    }
}

struct Walk<'a> {
    document: &'a Document,
    target: Target,
    refusals: Vec<Refusal>,
}

fn key(text: &str) -> Value {
    Value::String(text.to_string())
}

fn entries(map: &mut Mapping) -> impl Iterator<Item = (String, &mut Value)> {
    map.iter_mut()
        .filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), v)))
}

/// Replaces the entry `from` with `to` at the same position.
fn rename(map: &mut Mapping, from: &str, to: &str, value: Value) {
    let old = std::mem::take(map);
    for (k, v) in old {
        if k.as_str() == Some(from) {
            map.insert(key(to), value.clone());
        } else {
            map.insert(k, v);
        }
    }
}

impl Walk<'_> {
    fn refuse(&mut self, pointer: &str, message: impl Into<String>) {
        self.refusals.push(Refusal {
            pointer: pointer.to_string(),
            position: self.document.locate(pointer),
            message: message.into(),
        });
    }

    fn down(&self) -> bool {
        self.target == Target::V3_0
    }

    fn root(&mut self, root: &mut Mapping) {
        if let Some(openapi) = root.get_mut("openapi") {
            *openapi = key(self.target.openapi());
        }
        if !self.down() {
            for (pointer, name) in [
                ("/info/summary", "`info.summary`"),
                ("/info/license/identifier", "`license.identifier`"),
                ("/webhooks", "`webhooks`"),
                ("/jsonSchemaDialect", "`jsonSchemaDialect`"),
                ("/components/pathItems", "`components.pathItems`"),
            ] {
                if self.document.pointer(pointer).is_some() {
                    self.refuse(
                        pointer,
                        format!("{name} is no OpenAPI 3.0 field, so 3.0 readers ignore it, while in 3.1 it would apply; remove it first"),
                    );
                }
            }
        }
        if self.down() {
            for (pointer, name) in [
                ("/info/summary", "`info.summary`"),
                ("/info/license/identifier", "`license.identifier`"),
            ] {
                if self.document.pointer(pointer).is_some() {
                    self.refuse(pointer, format!("{name} has no field in OpenAPI 3.0"));
                }
            }
            match root.get("jsonSchemaDialect") {
                None => {}
                Some(Value::String(dialect)) if dialect == DEFAULT_DIALECT => {
                    // The default dialect, said aloud, says nothing a 3.0 document would miss.
                    root.shift_remove("jsonSchemaDialect");
                }
                Some(_) => self.refuse(
                    "/jsonSchemaDialect",
                    "a JSON Schema dialect other than OpenAPI's own has no form in OpenAPI 3.0",
                ),
            }
            if root
                .get("webhooks")
                .and_then(Value::as_mapping)
                .is_some_and(|m| !m.is_empty())
            {
                self.refuse(
                    "/webhooks",
                    "webhooks have no form in OpenAPI 3.0 (a callback needs an operation that registers it)",
                );
            } else {
                root.shift_remove("webhooks");
            }
            if !root.contains_key("paths") {
                // 3.1 may leave `paths` out; 3.0 requires it, and an empty one says the same.
                root.insert(key("paths"), Value::Mapping(Mapping::new()));
            }
        }
        if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
            for (name, item) in entries(paths) {
                self.path_item(item, &format!("/paths/{}", escape(&name)));
            }
        }
        if let Some(Value::Mapping(hooks)) = root.get_mut("webhooks") {
            for (name, item) in entries(hooks) {
                self.path_item(item, &format!("/webhooks/{}", escape(&name)));
            }
        }
        if let Some(Value::Mapping(components)) = root.get_mut("components") {
            self.components(components);
        }
    }

    fn components(&mut self, components: &mut Mapping) {
        let at = |section: &str, name: &str| format!("/components/{section}/{}", escape(name));
        for (section, value) in entries(components) {
            let Value::Mapping(map) = value else { continue };
            for (name, item) in entries(map) {
                let pointer = at(&section, &name);
                match section.as_str() {
                    "schemas" => self.schema(item, &pointer),
                    "parameters" | "headers" => self.parameter(item, &pointer),
                    "requestBodies" => self.body(item, &pointer),
                    "responses" => self.response(item, &pointer),
                    "callbacks" => self.callback(item, &pointer),
                    "pathItems" => {
                        if self.down() {
                            self.refuse(&pointer, "`components.pathItems` has no form in OpenAPI 3.0");
                        }
                        self.path_item(item, &pointer);
                    }
                    "securitySchemes"
                        if self.down() && item.get("type").and_then(Value::as_str) == Some("mutualTLS") =>
                    {
                        self.refuse(&pointer, "a `mutualTLS` security scheme has no form in OpenAPI 3.0");
                    }
                    _ => {}
                }
            }
        }
    }

    /// A Reference Object: in 3.1 it may carry `summary` and `description`, which 3.0 would ignore. True when the
    /// node is one, so that its target (converted where it is) is not walked again.
    fn reference(&mut self, node: &Value, pointer: &str) -> bool {
        let Some(map) = node.as_mapping() else { return false };
        if !map.contains_key("$ref") {
            return false;
        }
        if self.down() {
            for (k, _) in map.iter() {
                let Some(k) = k.as_str() else { continue };
                if k != "$ref" && !k.starts_with("x-") {
                    self.refuse(
                        &format!("{pointer}/{}", escape(k)),
                        format!("`{k}` beside a `$ref` is ignored by OpenAPI 3.0 readers"),
                    );
                }
            }
        }
        true
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        if self.reference(item, pointer) {
            return;
        }
        let Value::Mapping(map) = item else { return };
        for (name, value) in entries(map) {
            let at = format!("{pointer}/{}", escape(&name));
            if name == "parameters" {
                self.parameters(value, &at);
            } else if METHODS.contains(&name.as_str()) {
                self.operation(value, &at);
            }
        }
    }

    fn parameters(&mut self, list: &mut Value, pointer: &str) {
        for (index, parameter) in list.as_sequence_mut().into_iter().flatten().enumerate() {
            self.parameter(parameter, &format!("{pointer}/{index}"));
        }
    }

    fn operation(&mut self, operation: &mut Value, pointer: &str) {
        let Value::Mapping(map) = operation else { return };
        if self.down() && !map.contains_key("responses") {
            self.refuse(
                pointer,
                "an operation without `responses` has no form in OpenAPI 3.0, which requires them",
            );
        }
        for (name, value) in entries(map) {
            let at = format!("{pointer}/{}", escape(&name));
            match name.as_str() {
                "parameters" => self.parameters(value, &at),
                "requestBody" => self.body(value, &at),
                "responses" => {
                    for (status, response) in value.as_mapping_mut().into_iter().flat_map(entries) {
                        self.response(response, &format!("{at}/{}", escape(&status)));
                    }
                }
                "callbacks" => {
                    for (name, callback) in value.as_mapping_mut().into_iter().flat_map(entries) {
                        self.callback(callback, &format!("{at}/{}", escape(&name)));
                    }
                }
                _ => {}
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, pointer: &str) {
        if self.reference(callback, pointer) {
            return;
        }
        for (expression, item) in callback.as_mapping_mut().into_iter().flat_map(entries) {
            self.path_item(item, &format!("{pointer}/{}", escape(&expression)));
        }
    }

    /// A parameter or a header: a schema, or `content`.
    fn parameter(&mut self, parameter: &mut Value, pointer: &str) {
        if self.reference(parameter, pointer) {
            return;
        }
        let Value::Mapping(map) = parameter else { return };
        for (name, value) in entries(map) {
            let at = format!("{pointer}/{}", escape(&name));
            match name.as_str() {
                "schema" => self.schema(value, &at),
                "content" => self.content(value, &at),
                _ => {}
            }
        }
    }

    fn body(&mut self, body: &mut Value, pointer: &str) {
        if self.reference(body, pointer) {
            return;
        }
        if let Some(content) = body.get_mut("content") {
            self.content(content, &format!("{pointer}/content"));
        }
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        if self.reference(response, pointer) {
            return;
        }
        let Value::Mapping(map) = response else { return };
        for (name, value) in entries(map) {
            let at = format!("{pointer}/{}", escape(&name));
            match name.as_str() {
                "headers" => {
                    for (header, item) in value.as_mapping_mut().into_iter().flat_map(entries) {
                        self.parameter(item, &format!("{at}/{}", escape(&header)));
                    }
                }
                "content" => self.content(value, &at),
                _ => {}
            }
        }
    }

    fn content(&mut self, content: &mut Value, pointer: &str) {
        for (media_type, media) in content.as_mapping_mut().into_iter().flat_map(entries) {
            let at = format!("{pointer}/{}", escape(&media_type));
            let Value::Mapping(map) = media else { continue };
            for (name, value) in entries(map) {
                let here = format!("{at}/{}", escape(&name));
                match name.as_str() {
                    "schema" => self.schema(value, &here),
                    "encoding" => {
                        for (property, encoding) in value.as_mapping_mut().into_iter().flat_map(entries) {
                            let headers = encoding.get_mut("headers").and_then(Value::as_mapping_mut);
                            for (header, item) in headers.into_iter().flat_map(entries) {
                                let at = format!("{here}/{}/headers/{}", escape(&property), escape(&header));
                                self.parameter(item, &at);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        let Value::Mapping(map) = schema else { return };
        // Subschemas first, so that a rewrite here sees them in the target's form.
        for (name, value) in entries(map) {
            let at = format!("{pointer}/{}", escape(&name));
            match name.as_str() {
                "properties" | "patternProperties" | "$defs" | "dependentSchemas" => {
                    for (property, sub) in value.as_mapping_mut().into_iter().flat_map(entries) {
                        self.schema(sub, &format!("{at}/{}", escape(&property)));
                    }
                }
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                    for (index, sub) in value.as_sequence_mut().into_iter().flatten().enumerate() {
                        // The null member of "null, or the schema" is read by the schema that holds it.
                        if self.down() && *sub == null_schema() {
                            continue;
                        }
                        self.schema(sub, &format!("{at}/{index}"));
                    }
                }
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema" => self.schema(value, &at),
                _ => {}
            }
        }
        if self.down() {
            self.schema_down(map, pointer);
        } else {
            self.schema_up(map, pointer);
        }
    }

    /// 3.0 to 3.1: `nullable` becomes "null" in the type list (and in `enum`), boolean exclusive bounds become
    /// numeric ones, and a schema's `example` becomes its `examples` list.
    fn schema_up(&mut self, map: &mut Mapping, pointer: &str) {
        // A 3.1 keyword in a 3.0 document means nothing there and would start to mean something in 3.1.
        let at = |keyword: &str| format!("{pointer}/{}", escape(keyword));
        for keyword in NOT_IN_30.iter().chain(&["const", "examples", "$comment"]) {
            if map.contains_key(*keyword) {
                self.refuse(
                    &at(keyword),
                    format!("`{keyword}` is no OpenAPI 3.0 keyword, so 3.0 readers ignore it, while in 3.1 it would apply; remove it or give it its 3.0 form"),
                );
            }
        }
        // Beside a `$ref`, 3.0 readers ignore every keyword, while in 3.1 they apply: an annotation changes nothing
        // and is kept as written, a constraint would start to constrain.
        if map.contains_key("$ref") {
            for (k, _) in map.iter() {
                let Some(k) = k.as_str() else { continue };
                if k != "$ref" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k) {
                    self.refuse(
                        &at(k),
                        format!("`{k}` beside a `$ref` is ignored by OpenAPI 3.0 readers, while in 3.1 it would apply; remove it, or put the `$ref` in an `allOf` beside it"),
                    );
                }
            }
        }
        if map.get("type").is_some_and(Value::is_sequence) {
            self.refuse(
                &at("type"),
                "a `type` list is no OpenAPI 3.0; write one type, with `nullable: true` for null",
            );
        }
        match map.get("nullable").cloned() {
            None => {}
            Some(Value::Bool(false)) => {
                map.shift_remove("nullable");
            }
            Some(Value::Bool(true)) => {
                map.shift_remove("nullable");
                if let Some(Value::Sequence(values)) = map.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
                match map.get("type").cloned() {
                    Some(Value::String(name)) => {
                        map.insert(key("type"), Value::Sequence(vec![key(&name), key("null")]));
                    }
                    // `nullable` without `type`, such as beside `allOf: [$ref]`: what every generator reads is
                    // "null, or the schema", which 3.1 says with `anyOf`.
                    _ => {
                        let mut inner = Mapping::new();
                        let mut outer = Mapping::new();
                        for (k, v) in std::mem::take(map) {
                            let annotation = k
                                .as_str()
                                .is_some_and(|k| ANNOTATIONS.contains(&k) || k.starts_with("x-"));
                            if annotation {
                                outer.insert(k, v);
                            } else {
                                inner.insert(k, v);
                            }
                        }
                        outer.insert(
                            key("anyOf"),
                            Value::Sequence(vec![Value::Mapping(inner), null_schema()]),
                        );
                        *map = outer;
                    }
                }
            }
            Some(other) => self.refuse(
                &format!("{pointer}/nullable"),
                format!("`nullable` must be a boolean, not {other:?}"),
            ),
        }
        for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            match map.get(flag) {
                Some(Value::Bool(true)) => match map.get(bound).cloned() {
                    Some(number @ Value::Number(_)) => {
                        rename(map, flag, flag, number);
                        map.shift_remove(bound);
                    }
                    _ => self.refuse(
                        &format!("{pointer}/{flag}"),
                        format!("`{flag}: true` without a numeric `{bound}` bounds nothing"),
                    ),
                },
                Some(Value::Bool(false)) => {
                    map.shift_remove(flag);
                }
                _ => {}
            }
        }
        if let Some(example) = map.get("example").cloned() {
            // The list `convert --to 3.0` kept beside the first example comes back whole.
            let list = match map.shift_remove("x-examples") {
                Some(Value::Sequence(list)) => list,
                _ => vec![example],
            };
            rename(map, "example", "examples", Value::Sequence(list));
        }
    }

    /// 3.1 to 3.0: the reverse of `schema_up`, and a refusal for each keyword 3.0 cannot say.
    fn schema_down(&mut self, map: &mut Mapping, pointer: &str) {
        let at = |keyword: &str| format!("{pointer}/{}", escape(keyword));
        for keyword in NOT_IN_30 {
            if map.contains_key(keyword) {
                self.refuse(
                    &at(keyword),
                    format!("`{keyword}` is JSON Schema 2020-12, which OpenAPI 3.0's Schema Object cannot say"),
                );
            }
        }
        if map.contains_key("nullable") {
            self.refuse(
                &at("nullable"),
                "`nullable` means nothing in OpenAPI 3.1; say null with the type list first",
            );
        }
        if map.contains_key("$comment") {
            self.refuse(
                &at("$comment"),
                "`$comment` has no form in OpenAPI 3.0 (an `x-` extension would keep it)",
            );
        }
        // The type list: one type and "null" is 3.0's `nullable`; more than one other type has no 3.0 form.
        match map.get("type").cloned() {
            Some(Value::Sequence(types)) => {
                let nullable = types.contains(&key("null"));
                let others: Vec<&Value> = types.iter().filter(|t| **t != key("null")).collect();
                match others.as_slice() {
                    [one] => {
                        map.insert(key("type"), (*one).clone());
                        if nullable {
                            map.insert(key("nullable"), Value::Bool(true));
                        }
                    }
                    [] => self.refuse(
                        &at("type"),
                        "a schema whose only type is null has no form in OpenAPI 3.0",
                    ),
                    _ => self.refuse(
                        &at("type"),
                        format!(
                            "a type list with {} types other than null has no form in OpenAPI 3.0 (write a `oneOf`)",
                            others.len()
                        ),
                    ),
                }
            }
            Some(Value::String(name)) if name == "null" => {
                self.refuse(&at("type"), "the type null on its own has no form in OpenAPI 3.0");
            }
            _ => {}
        }
        if let Some(value) = map.get("const").cloned() {
            if map.contains_key("enum") {
                self.refuse(&at("const"), "`const` beside `enum` has no form in OpenAPI 3.0");
            } else {
                rename(map, "const", "enum", Value::Sequence(vec![value]));
            }
        }
        for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            match map.get(flag).cloned() {
                Some(Value::Number(exclusive)) => {
                    let inclusive = map.get(bound).and_then(Value::as_f64);
                    let strict = exclusive.as_f64().unwrap_or(f64::NAN);
                    // Both bounds: the tighter one decides, and 3.0 can say either.
                    let exclusive_wins = match inclusive {
                        None => true,
                        Some(inclusive) if flag == "exclusiveMinimum" => strict >= inclusive,
                        Some(inclusive) => strict <= inclusive,
                    };
                    if exclusive_wins {
                        map.shift_remove(bound);
                        rename(map, flag, bound, Value::Number(exclusive));
                        map.insert(key(flag), Value::Bool(true));
                    } else {
                        map.shift_remove(flag);
                    }
                }
                Some(Value::Bool(_)) => self.refuse(
                    &at(flag),
                    format!("a boolean `{flag}` is no JSON Schema 2020-12; in OpenAPI 3.1 it is the bound itself"),
                ),
                _ => {}
            }
        }
        match map.get("examples").cloned() {
            Some(Value::Sequence(list)) if list.len() == 1 => {
                rename(map, "examples", "example", list[0].clone());
            }
            Some(Value::Sequence(list)) if !list.is_empty() => {
                // 3.0 has one example; the whole list is kept beside it as an extension, and comes back on the way up.
                rename(map, "examples", "example", list[0].clone());
                map.insert(key("x-examples"), Value::Sequence(list));
            }
            Some(Value::Sequence(_)) => {
                map.shift_remove("examples");
            }
            Some(_) => self.refuse(&at("examples"), "`examples` in a schema is a list of values"),
            None => {}
        }
        match (map.get("contentEncoding").cloned(), map.get("contentMediaType").cloned()) {
            (None, None) => {}
            (Some(Value::String(encoding)), _) if encoding == "base64" && !map.contains_key("format") => {
                rename(map, "contentEncoding", "format", key("byte"));
                map.shift_remove("contentMediaType");
            }
            (None, Some(_)) if map.get("type") == Some(&key("string")) && !map.contains_key("format") => {
                rename(map, "contentMediaType", "format", key("binary"));
            }
            _ => self.refuse(
                pointer,
                "`contentEncoding` or `contentMediaType` here has no form in OpenAPI 3.0 (only base64 as `format: byte`, and raw bytes as `format: binary`)",
            ),
        }
        // In 3.1 the keywords beside `$ref` apply; in 3.0 they are ignored, unless the `$ref` moves into `allOf`.
        // Annotations beside it change no value either way, so they stay where they are written.
        if map.contains_key("$ref")
            && map.keys().any(|k| {
                k.as_str()
                    .is_some_and(|k| k != "$ref" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k))
            })
        {
            let reference = map.shift_remove("$ref").unwrap_or(Value::Null);
            let mut member = Mapping::new();
            member.insert(key("$ref"), reference);
            match map.get_mut("allOf") {
                Some(Value::Sequence(list)) => list.insert(0, Value::Mapping(member)),
                _ => {
                    map.insert(key("allOf"), Value::Sequence(vec![Value::Mapping(member)]));
                }
            }
        }
        // Last, once this schema and its members are in 3.0's form: "null, or the schema" written with `anyOf` or
        // `oneOf` (as FastAPI writes `Optional[Model]`) is 3.0's `nullable` beside the schema.
        for combinator in ["anyOf", "oneOf"] {
            let Some(Value::Sequence(members)) = map.get(combinator) else {
                continue;
            };
            if members.len() != 2 || !members.contains(&null_schema()) {
                if members.contains(&null_schema()) {
                    self.refuse(
                        &at(combinator),
                        format!("a `{combinator}` with null among more than two members has no form in OpenAPI 3.0"),
                    );
                }
                continue;
            }
            let other = members
                .iter()
                .find(|m| **m != null_schema())
                .cloned()
                .unwrap_or(Value::Null);
            let Value::Mapping(other) = other else { continue };
            map.shift_remove(combinator);
            let conflicts: Vec<String> = other
                .keys()
                .filter_map(Value::as_str)
                .filter(|k| map.contains_key(*k))
                .map(str::to_string)
                .collect();
            if !conflicts.is_empty() {
                self.refuse(
                    &at(combinator),
                    format!(
                        "null or a schema whose `{}` is also said beside the `{combinator}` has no form in OpenAPI 3.0",
                        conflicts.join("`, `")
                    ),
                );
                continue;
            }
            if other.contains_key("$ref") && other.len() == 1 {
                map.insert(key("allOf"), Value::Sequence(vec![Value::Mapping(other)]));
            } else {
                for (k, v) in other {
                    map.insert(k, v);
                }
            }
            map.insert(key("nullable"), Value::Bool(true));
        }
    }
}

fn null_schema() -> Value {
    let mut map = Mapping::new();
    map.insert(key("type"), key("null"));
    Value::Mapping(map)
}
