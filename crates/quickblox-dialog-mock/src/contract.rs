//! The spec's operations as the mock and the proxy read them: paths matched, query strings decoded and bound to the declared parameters, and bodies and responses checked with the spec's own schemas.
//!
//! Both the handlers (which refuse what does not fit) and the proxy (which only reports it) go through here, so
//! that what the mock takes and what the proxy calls a mismatch are one reading of the spec.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value, json};

use crate::schema::spec;

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Query,
    Path,
    Header,
}

/// How a parameter's text becomes the JSON value its schema describes.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Integer,
    Number,
    Boolean,
    String,
    /// `style: form, explode: false`: items joined by commas.
    Array(Box<Kind>),
    /// `style: deepObject`: `name[key]=value` pairs.
    Object,
}

/// One declared parameter, its schema compiled.
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    kind: Kind,
    validator: Validator,
}

impl Param {
    /// The value `text` stands for, checked against the parameter's schema: the JSON value, or the messages saying
    /// why not.
    pub(crate) fn bind(&self, text: &str) -> Result<Value, Vec<String>> {
        self.check(coerce(&self.kind, text))
    }

    fn check(&self, value: Value) -> Result<Value, Vec<String>> {
        let messages = violations(&self.validator, &value)
            .into_iter()
            .map(|(at, message)| {
                if at.is_empty() {
                    message
                } else {
                    format!("{message} (at {at})")
                }
            })
            .collect::<Vec<_>>();
        if messages.is_empty() { Ok(value) } else { Err(messages) }
    }
}

/// One operation of the spec.
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) template: String,
    pub(crate) params: Vec<Param>,
    /// The JSON body's schema, and whether a body is required.
    pub(crate) body: Option<(bool, Validator)>,
    /// Each declared status (`200`, `4XX`, `default`) and the schema of its JSON body, if it has one.
    pub(crate) responses: Vec<(String, Option<Validator>)>,
}

impl Operation {
    pub(crate) fn param(&self, name: &str, location: Location) -> Option<&Param> {
        self.params
            .iter()
            .find(|param| param.name == name && param.location == location)
    }

    /// Binds a decoded query to the operation's query parameters: each known key's value checked against its
    /// schema, a list's repeats joined, `name[key]` pairs gathered into a deepObject parameter `name`.
    ///
    /// Errors are keyed by the query key as it was sent, each saying what is wrong with it.
    pub(crate) fn bind_query(
        &self,
        pairs: &[(String, String)],
    ) -> Result<BTreeMap<String, Value>, BTreeMap<String, Vec<String>>> {
        let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut texts: Vec<(&Param, String, String)> = Vec::new();
        let mut objects: BTreeMap<&str, (&Param, Map<String, Value>)> = BTreeMap::new();
        for (key, value) in pairs {
            if let Some(param) = self.param(key, Location::Query) {
                match texts.iter_mut().find(|(seen, _, _)| seen.name == *key) {
                    Some((_, _, joined)) if matches!(param.kind, Kind::Array(_)) => {
                        joined.push(',');
                        joined.push_str(value);
                    }
                    Some(_) => errors
                        .entry(key.clone())
                        .or_default()
                        .push("is given more than once".to_string()),
                    None => texts.push((param, key.clone(), value.clone())),
                }
                continue;
            }
            if let Some((base, field)) = deep_object_key(key)
                && let Some(param) = self
                    .param(base, Location::Query)
                    .filter(|param| param.kind == Kind::Object)
            {
                let (_, object) = objects.entry(base).or_insert_with(|| (param, Map::new()));
                if object.insert(field.to_string(), Value::String(value.clone())).is_some() {
                    errors
                        .entry(key.clone())
                        .or_default()
                        .push("is given more than once".to_string());
                }
                continue;
            }
            errors.entry(key.clone()).or_default().push(self.unknown_key(key));
        }
        let mut bound = BTreeMap::new();
        for (param, key, text) in texts {
            match param.bind(&text) {
                Ok(value) => {
                    bound.insert(param.name.clone(), value);
                }
                Err(messages) => errors.entry(key).or_default().extend(messages),
            }
        }
        for (base, (param, object)) in objects {
            match param.check(Value::Object(object)) {
                Ok(value) => {
                    bound.insert(base.to_string(), value);
                }
                Err(messages) => errors.entry(base.to_string()).or_default().extend(messages),
            }
        }
        for param in &self.params {
            if param.location == Location::Query && param.required && !bound.contains_key(&param.name) {
                errors
                    .entry(param.name.clone())
                    .or_default()
                    .push("is required".to_string());
            }
        }
        if errors.is_empty() { Ok(bound) } else { Err(errors) }
    }

    /// Why `key` is not a query parameter of this operation: an operator that does not apply to a field the
    /// operation does take is told apart from a key it knows nothing of.
    fn unknown_key(&self, key: &str) -> String {
        let base = key.split('[').next().unwrap_or(key);
        let same_field: Vec<&str> = self
            .params
            .iter()
            .filter(|param| param.location == Location::Query)
            .map(|param| param.name.as_str())
            .filter(|name| name.split('[').next() == Some(base))
            .collect();
        match (
            key.strip_prefix(base)
                .and_then(|rest| rest.strip_prefix('['))
                .and_then(|rest| rest.strip_suffix(']')),
            same_field.is_empty(),
        ) {
            (Some(operator), false) if !operator.contains(['[', ']']) => format!(
                "the operator {operator} does not apply to {base}, which takes {}",
                same_field.join(", ")
            ),
            _ => {
                let known: Vec<String> = self
                    .params
                    .iter()
                    .filter(|param| param.location == Location::Query)
                    .map(|param| match param.kind {
                        Kind::Object => format!("{}[key]", param.name),
                        _ => param.name.clone(),
                    })
                    .collect();
                if known.is_empty() {
                    format!("is not a parameter of {}, which takes no query parameters", self.id)
                } else {
                    format!("is not a parameter of {}; it takes {}", self.id, known.join(", "))
                }
            }
        }
    }

    /// The request body's violations of its schema, each as (pointer below the body, message).
    pub(crate) fn body_violations(&self, body: &Value) -> Vec<(String, String)> {
        match &self.body {
            Some((_, validator)) => violations(validator, body),
            None => Vec::new(),
        }
    }

    /// The declared response for `status`: its exact code, then `4XX`-style ranges, then `default`.
    pub(crate) fn response(&self, status: u16) -> Option<&Option<Validator>> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact.as_str(), range.as_str(), "default"].iter().find_map(|wanted| {
            self.responses
                .iter()
                .find(|(code, _)| code.eq_ignore_ascii_case(wanted))
                .map(|(_, validator)| validator)
        })
    }

    /// Whether the operation declares `status` (exactly, as a range, or through `default`).
    pub(crate) fn declares(&self, status: u16) -> bool {
        self.response(status).is_some()
    }

    /// Matches `path` (as sent, percent-encoded) against this operation's template, returning the decoded path
    /// parameters.
    pub(crate) fn match_path(&self, path: &str) -> Option<Vec<(String, String)>> {
        let template: Vec<&str> = self.template.split('/').collect();
        let actual: Vec<&str> = path.split('/').collect();
        if template.len() != actual.len() {
            return None;
        }
        let mut params = Vec::new();
        for (pattern, segment) in template.iter().zip(&actual) {
            match (pattern.find('{'), pattern.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
                    let middle = segment.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    if middle.is_empty() {
                        return None;
                    }
                    let value = percent_decode(middle.as_bytes(), false).ok()?;
                    params.push((pattern[open + 1..close].to_string(), value));
                }
                _ if pattern == segment => {}
                _ => return None,
            }
        }
        Some(params)
    }
}

/// `name[key]` split into `name` and `key`, when `key` holds no bracket itself.
fn deep_object_key(key: &str) -> Option<(&str, &str)> {
    let (base, rest) = key.split_once('[')?;
    let field = rest.strip_suffix(']')?;
    (!base.is_empty() && !field.is_empty() && !field.contains(['[', ']'])).then_some((base, field))
}

/// Every operation of the embedded spec, compiled once.
pub(crate) fn operations() -> &'static [Operation] {
    static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| {
        // The spec is embedded at build time and its tests compile every operation, so a failure is a broken build.
        compile(spec()).unwrap_or_else(|err| panic!("openapi/dialog.yaml: {err}"))
    });
    &OPERATIONS
}

/// The operation with this `operationId`.
pub(crate) fn operation(id: &str) -> &'static Operation {
    operations()
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("openapi/dialog.yaml has no operation {id}"))
}

/// How a request lines up with the spec: its operation and path parameters, or why none fits.
pub(crate) enum Found {
    Operation(&'static Operation, Vec<(String, String)>),
    /// The path is the spec's, the method is not; the methods it has.
    Method(Vec<String>),
    Path,
}

pub(crate) fn find(method: &str, path: &str) -> Found {
    let mut methods = Vec::new();
    for operation in operations() {
        if let Some(params) = operation.match_path(path) {
            if operation.method.eq_ignore_ascii_case(method) {
                return Found::Operation(operation, params);
            }
            methods.push(operation.method.to_ascii_uppercase());
        }
    }
    if methods.is_empty() {
        Found::Path
    } else {
        Found::Method(methods)
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn compile(spec: &Value) -> Result<Vec<Operation>, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths")?;
    let mut operations = Vec::new();
    for (template, item) in paths {
        let shared = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let where_ = format!("paths/{template}/{method}");
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or(&where_)
                .to_string();
            let mut params = Vec::new();
            let own = operation
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for raw in shared.iter().chain(&own) {
                let param = resolve(spec, raw);
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{where_}: a parameter has no name"))?;
                let location = match param.get("in").and_then(Value::as_str) {
                    Some("query") => Location::Query,
                    Some("path") => Location::Path,
                    Some("header") => Location::Header,
                    // Cookies are not read by this API.
                    _ => continue,
                };
                let schema = param.get("schema").cloned().unwrap_or(json!({}));
                let validator = openapi_check::openapi_validator(spec, &schema)
                    .map_err(|err| format!("{where_}: parameter {name}: {err}"))?;
                // An own parameter replaces a path-level one of the same name and place.
                params.retain(|seen: &Param| !(seen.name == name && seen.location == location));
                params.push(Param {
                    name: name.to_string(),
                    location,
                    required: param.get("required").and_then(Value::as_bool).unwrap_or(false),
                    kind: kind(spec, &schema),
                    validator,
                });
            }
            let body = match operation.get("requestBody").map(|body| resolve(spec, body)) {
                Some(body) => match body.pointer("/content/application~1json/schema") {
                    Some(schema) => Some((
                        body.get("required").and_then(Value::as_bool).unwrap_or(false),
                        openapi_check::openapi_validator(spec, schema)
                            .map_err(|err| format!("{where_}: body: {err}"))?,
                    )),
                    None => None,
                },
                None => None,
            };
            let mut responses = Vec::new();
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let response = resolve(spec, response);
                let validator = match response.pointer("/content/application~1json/schema") {
                    Some(schema) => Some(
                        openapi_check::openapi_validator(spec, schema)
                            .map_err(|err| format!("{where_}: response {status}: {err}"))?,
                    ),
                    None => None,
                };
                responses.push((status.clone(), validator));
            }
            operations.push(Operation {
                id,
                method: method.to_string(),
                template: template.clone(),
                params,
                body,
                responses,
            });
        }
    }
    Ok(operations)
}

/// Follows a local `$ref` (repeatedly), or returns the value itself.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|pointer| pointer.strip_prefix('#'))
        {
            Some(pointer) => match spec.pointer(pointer) {
                Some(target) => value = target,
                None => return value,
            },
            None => return value,
        }
    }
    value
}

fn kind(spec: &Value, schema: &Value) -> Kind {
    let schema = resolve(spec, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        Some("array") => Kind::Array(Box::new(kind(spec, schema.get("items").unwrap_or(&Value::Null)))),
        Some("object") => Kind::Object,
        _ => Kind::String,
    }
}

/// The JSON value a parameter's text stands for; text that does not read as the kind stays a string, for the
/// schema to refuse with its own words.
fn coerce(kind: &Kind, text: &str) -> Value {
    match kind {
        Kind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_string())),
        Kind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(|number| serde_json::Number::from_f64(number).map(Value::Number))
            .unwrap_or_else(|| Value::String(text.to_string())),
        Kind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        // The vendor's page writes `1556739654, 1556739987`: spaces around the commas are not part of an item. An
        // empty value is one empty item, as a form list writes `[""]`, not an empty list.
        Kind::Array(item) => Value::Array(
            text.split(',')
                .map(|part| coerce(item, part.trim_matches(' ')))
                .collect(),
        ),
        Kind::String | Kind::Object => Value::String(text.to_string()),
    }
}

/// Each violation of `validator` by `value`: where (a JSON pointer below the value, without its leading `/`) and a
/// short message that does not repeat the value.
pub(crate) fn violations(validator: &Validator, value: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for error in validator.iter_errors(value) {
        let at = error.instance_path().to_string();
        let at = at.strip_prefix('/').unwrap_or(&at).to_string();
        for message in messages(error.kind()) {
            if !out.iter().any(|(seen_at, seen)| *seen_at == at && *seen == message) {
                out.push((at.clone(), message));
            }
        }
    }
    out
}

fn messages(kind: &ValidationErrorKind) -> Vec<String> {
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|key| format!("{key} is not a field of this object"))
            .collect(),
        ValidationErrorKind::Required { property } => {
            vec![format!("{} is required", property.as_str().unwrap_or("a field"))]
        }
        ValidationErrorKind::Type { kind } => vec![format!("must be of type {}", type_name(kind))],
        ValidationErrorKind::Enum { options } => vec![format!("must be one of {options}")],
        ValidationErrorKind::MaxLength { limit } => vec![format!("is too long (maximum is {limit} characters)")],
        ValidationErrorKind::MinLength { limit } => vec![format!("is too short (minimum is {limit} characters)")],
        ValidationErrorKind::MinItems { limit } => vec![format!("must have at least {limit} items")],
        ValidationErrorKind::Pattern { pattern } => vec![format!("must match {pattern}")],
        ValidationErrorKind::Minimum { limit } => vec![format!("must be at least {limit}")],
        ValidationErrorKind::Maximum { limit } => vec![format!("must be at most {limit}")],
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            vec!["matches none of the schemas it may take".to_string()]
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            vec!["matches more than one of the schemas it may take (oneOf)".to_string()]
        }
        other => {
            let debug = format!("{other:?}");
            vec![format!(
                "is invalid ({})",
                debug.split([' ', '{', '(']).next().unwrap_or_default()
            )]
        }
    }
}

fn type_name(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(single) => single.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => format!("{set:?}"),
    }
}

/// A query string split into decoded pairs, in order; `+` is a space in a query as in a form. A key or value whose
/// percent-encoding is broken is named with what is wrong.
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, (String, String)> {
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key =
            percent_decode(raw_key.as_bytes(), true).map_err(|message| (raw_key.to_string(), message.to_string()))?;
        let value = percent_decode(raw_value.as_bytes(), true)
            .map_err(|message| (key.clone(), format!("its value {message}")))?;
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Percent-decodes strictly: `%` must start two hex digits and the result must be UTF-8; with `plus`, `+` is a
/// space (queries and forms), without it a `+` (paths). A lenient decoder would read `%ZZ` or bad UTF-8 as
/// something other than what was sent.
pub(crate) fn percent_decode(text: &[u8], plus: bool) -> Result<String, &'static str> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&byte) = bytes.next() {
        out.push(match byte {
            b'+' if plus => b' ',
            b'%' => {
                let hex = |digit: Option<&u8>| digit.and_then(|&digit| char::from(digit).to_digit(16));
                match (hex(bytes.next()), hex(bytes.next())) {
                    (Some(high), Some(low)) => (high * 16 + low) as u8,
                    _ => return Err("has a % that is not followed by two hex digits"),
                }
            }
            other => other,
        });
    }
    String::from_utf8(out).map_err(|_| "is not UTF-8 once percent-decoded")
}

/// Escapes one JSON pointer segment (`~` as `~0`, `/` as `~1`).
pub(crate) fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        parse_query(query).unwrap()
    }

    #[test]
    fn every_operation_of_the_spec_compiles() {
        let ids: Vec<&str> = operations().iter().map(|operation| operation.id.as_str()).collect();
        for id in [
            "create_dialog",
            "list_dialogs",
            "get_dialog",
            "update_dialog",
            "delete_dialogs",
        ] {
            assert!(ids.contains(&id), "{ids:?}");
        }
        assert!(
            operation("create_dialog")
                .body
                .as_ref()
                .is_some_and(|(required, _)| *required)
        );
        assert!(operation("get_dialog").declares(422) && !operation("get_dialog").declares(201));
    }

    #[test]
    fn raw_and_encoded_brackets_and_spaced_lists_bind_alike() {
        let list = operation("list_dialogs");
        for query in [
            "type[in]=1,2&last_message_date_sent[nin]=1556739654, 1556739987",
            "type%5Bin%5D=1%2C2&last_message_date_sent%5bnin%5d=1556739654,+1556739987",
            "type[in]=1&type[in]=2&last_message_date_sent[nin]=1556739654%2C%201556739987",
        ] {
            let bound = list.bind_query(&pairs(query)).unwrap();
            assert_eq!(bound["type[in]"], json!([1, 2]), "{query}");
            assert_eq!(
                bound["last_message_date_sent[nin]"],
                json!([1556739654, 1556739987]),
                "{query}"
            );
        }
        let bound = list
            .bind_query(&pairs("data[class_name]=CoolDialog&data%5Bcategory%5D=friends"))
            .unwrap();
        assert_eq!(
            bound["data"],
            json!({"class_name": "CoolDialog", "category": "friends"})
        );
    }

    #[test]
    fn bad_keys_and_values_are_named_with_the_reason() {
        let list = operation("list_dialogs");
        let errors = list
            .bind_query(&pairs(
                "type[ctn]=1&colour=red&limit=101&type[in]=1,x&updated_at[gt]=yesterday&skip=1&skip=2",
            ))
            .unwrap_err();
        assert_eq!(
            errors["type[ctn]"],
            ["the operator ctn does not apply to type, which takes type, type[in]"]
        );
        assert!(
            errors["colour"][0].starts_with("is not a parameter of list_dialogs; it takes limit, skip, count"),
            "{errors:?}"
        );
        assert!(errors["colour"][0].ends_with("data[key]"), "{errors:?}");
        assert_eq!(errors["limit"], ["must be at most 100"]);
        assert_eq!(
            errors["type[in]"],
            ["must be of type integer (at 1)", "must be one of [1,2,3] (at 1)"]
        );
        assert_eq!(errors["updated_at[gt]"], ["must be of type integer"]);
        assert_eq!(errors["skip"], ["is given more than once"]);
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert_eq!(
            list.bind_query(&pairs("count=2")).unwrap_err()["count"],
            ["must be one of [1]"]
        );
        // An empty value is one empty item: a name may be empty, a type may not.
        assert_eq!(
            list.bind_query(&pairs("type[in]=")).unwrap_err()["type[in]"],
            ["must be of type integer (at 0)", "must be one of [1,2,3] (at 0)"]
        );
        assert_eq!(list.bind_query(&pairs("name[in]=")).unwrap()["name[in]"], json!([""]));
        assert_eq!(
            parse_query("name=%ZZ").unwrap_err(),
            (
                "name".to_string(),
                "its value has a % that is not followed by two hex digits".to_string()
            )
        );
    }

    #[test]
    fn paths_match_their_templates_and_decode_their_parameters() {
        let get = operation("get_dialog");
        assert_eq!(
            get.match_path("/chat/Dialog/5d75393ba28f9a17e1cb0f9e.json"),
            Some(vec![(
                "chat_dialog_id".to_string(),
                "5d75393ba28f9a17e1cb0f9e".to_string()
            )])
        );
        assert_eq!(get.match_path("/chat/Dialog/a%2Cb.json").unwrap()[0].1, "a,b");
        assert_eq!(get.match_path("/chat/Dialog/.json"), None);
        assert_eq!(get.match_path("/chat/Dialog/x"), None);
        assert!(matches!(find("PATCH", "/chat/Dialog.json"), Found::Method(methods) if methods == ["GET", "POST"]));
        assert!(matches!(find("GET", "/chat/Message.json"), Found::Path));
        assert!(
            matches!(find("DELETE", "/chat/Dialog/a.json"), Found::Operation(operation, _) if operation.id == "delete_dialogs")
        );
    }

    #[test]
    fn responses_are_found_by_status() {
        let list = operation("list_dialogs");
        assert!(list.declares(200) && list.declares(422) && !list.declares(404) && !list.declares(500));
        let page = json!({"total_entries": 0, "skip": 0, "limit": 100, "items": []});
        let validator = list.response(200).unwrap().as_ref().unwrap();
        assert!(violations(validator, &page).is_empty());
        assert_eq!(
            violations(validator, &json!({"items": {"count": "x"}})),
            [("".to_string(), "matches none of the schemas it may take".to_string())]
        );
    }
}
