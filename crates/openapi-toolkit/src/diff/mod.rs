//! The diff: what changed between two versions of a document, and whom it breaks.
//!
//! Changes are classified for existing clients, direction-aware: what a client sends (the request)
//! may only get looser, what it receives (the response) only tighter. Rule names follow oasdiff's
//! where one exists. The walk here covers servers, security, operations, parameters, bodies and
//! responses; `schema` compares two schemas in one direction; both write into the `model`.

mod model;
mod report;
mod rules;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::document::{Method, escape, follow_in};
use crate::error::{Error, Result};
pub use model::{Bump, Change, ClientDiff, Level, Pair, Report, VersionCheck};
pub use report::{Format, render};
pub use rules::{Area, Bound, BoundChange, Direction, Rule, SchemaRule};

/// The registry as `diff --rules` prints it: id, level, direction, area, description.
pub fn rules_table() -> String {
    let mut out = String::new();
    for rule in Rule::all() {
        let level = match rule.level() {
            Level::Breaking => "breaking",
            Level::NonBreaking => "non-breaking",
        };
        let direction = rule.direction().map_or("-", Direction::name);
        out.push_str(&format!(
            "{:52} {:12} {:8} {:10} {}",
            rule.id(),
            level,
            direction,
            rule.area().name(),
            rule.description()
        ));
        if let Some(exception) = rule.exception() {
            out.push_str(&format!("; {exception}"));
        }
        out.push('\n');
    }
    out
}

/// Compares two documents. The report has no client section: that needs a generator, which the
/// caller adds (`cargo xtask diff` does).
pub fn compare(pair: Pair<'_>) -> Report {
    let mut changes = changes(pair.base.value(), pair.head.value());
    changes.sort();
    changes.dedup();
    let version = version_check(pair.base.value(), pair.head.value(), &changes);
    Report {
        base_label: pair.base.name().to_string(),
        head_label: pair.head.name().to_string(),
        changes,
        version,
        client: None,
    }
}

/// The base document's text and its label: the file `base` if there is one, else the head's file
/// at the git revision `base`, read from the repository that holds the head.
pub fn read_base(base: &str, head_path: &Path, head_label: &str) -> Result<(String, String)> {
    let as_path = Path::new(base);
    if as_path.is_file() {
        let text = std::fs::read_to_string(as_path).map_err(|source| Error::Io {
            action: "reading",
            path: as_path.to_path_buf(),
            source,
        })?;
        return Ok((base.to_string(), text));
    }
    let (dir, file) = match (head_path.parent(), head_path.file_name()) {
        (Some(dir), Some(file)) => (dir, file.to_string_lossy()),
        _ => {
            return Err(Error::Base {
                base: base.to_string(),
                message: format!("not a file, and {} names no file to read from git", head_path.display()),
            });
        }
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    // `REV:./FILE` is relative to the directory git runs in, so the head may live anywhere in its repository.
    let object = format!("{base}:./{file}");
    let output = Command::new("git")
        .args(["show", &object])
        .current_dir(dir)
        .output()
        .map_err(|err| Error::Base {
            base: base.to_string(),
            message: format!("running git (is it installed?): {err}"),
        })?;
    if !output.status.success() {
        return Err(Error::Base {
            base: base.to_string(),
            message: format!(
                "neither a file nor a git revision holding {head_label}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|_| Error::Base {
        base: base.to_string(),
        message: format!("{head_label} at this revision is not UTF-8"),
    })?;
    Ok((format!("{head_label} at {base}"), text))
}

/// Every change between two parsed documents, unsorted.
pub fn changes(base: &Value, head: &Value) -> Vec<Change> {
    let mut diff = Diff {
        base,
        head,
        changes: Vec::new(),
    };
    diff.servers();
    diff.security_schemes();
    diff.paths();
    diff.changes
}

pub(crate) struct Diff<'a> {
    pub(crate) base: &'a Value,
    pub(crate) head: &'a Value,
    pub(crate) changes: Vec<Change>,
}

impl<'a> Diff<'a> {
    pub(crate) fn push(
        &mut self,
        level: Level,
        rule: Rule,
        operation: &str,
        location: &str,
        pointer: &str,
        message: String,
    ) {
        self.changes.push(Change {
            level,
            operation: operation.to_string(),
            location: location.to_string(),
            rule,
            message,
            pointer: pointer.to_string(),
        });
    }

    fn servers(&mut self) {
        let urls = |spec: &Value| -> BTreeSet<String> {
            spec.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("url").and_then(Value::as_str).map(str::to_string))
                .collect()
        };
        let (base, head) = (urls(self.base), urls(self.head));
        for url in base.difference(&head) {
            self.push(
                Level::Breaking,
                Rule::ApiServerRemoved,
                "document",
                "servers",
                "/servers",
                format!("server `{url}` was removed; clients that default to it lose their base URL"),
            );
        }
        for url in head.difference(&base) {
            self.push(
                Level::NonBreaking,
                Rule::ApiServerAdded,
                "document",
                "servers",
                "/servers",
                format!("server `{url}` was added"),
            );
        }
    }

    fn security_schemes(&mut self) {
        let schemes = |spec: &'a Value| spec.pointer("/components/securitySchemes").and_then(Value::as_object);
        let base = schemes(self.base).unwrap_or(empty_map());
        let head = schemes(self.head).unwrap_or(empty_map());
        for (name, scheme) in base {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            match head.get(name) {
                None => self.push(
                    Level::Breaking,
                    Rule::ApiSecuritySchemeRemoved,
                    "document",
                    &format!("security scheme {name}"),
                    &pointer,
                    format!("security scheme `{name}` was removed"),
                ),
                Some(new) => {
                    for field in ["type", "in", "name", "scheme"] {
                        if scheme.get(field) != new.get(field) {
                            self.push(
                                Level::Breaking,
                                Rule::ApiSecuritySchemeChanged,
                                "document",
                                &format!("security scheme {name}"),
                                &format!("{pointer}/{field}"),
                                format!(
                                    "security scheme `{name}` changed its `{field}` from {} to {}",
                                    show(scheme.get(field)),
                                    show(new.get(field))
                                ),
                            );
                        }
                    }
                }
            }
        }
        for name in head.keys().filter(|name| !base.contains_key(*name)) {
            self.push(
                Level::NonBreaking,
                Rule::ApiSecuritySchemeAdded,
                "document",
                &format!("security scheme {name}"),
                &format!("/components/securitySchemes/{}", escape(name)),
                format!("security scheme `{name}` was added"),
            );
        }
    }

    fn paths(&mut self) {
        let base_paths = self.base.get("paths").and_then(Value::as_object).unwrap_or(empty_map());
        let head_paths = self.head.get("paths").and_then(Value::as_object).unwrap_or(empty_map());
        for (path, base_item) in base_paths {
            let pointer = format!("/paths/{}", escape(path));
            let Some(head_item) = head_paths.get(path) else {
                self.push(
                    Level::Breaking,
                    Rule::ApiPathRemoved,
                    path,
                    "path",
                    &pointer,
                    format!("path `{path}` was removed"),
                );
                continue;
            };
            for method in Method::ALL {
                let operation = format!("{} {path}", method.upper());
                let at = format!("{pointer}/{}", method.key());
                match (base_item.get(method.key()), head_item.get(method.key())) {
                    (Some(_), None) => self.push(
                        Level::Breaking,
                        Rule::ApiRemoved,
                        &operation,
                        "operation",
                        &at,
                        format!("{operation} was removed"),
                    ),
                    (None, Some(_)) => self.push(
                        Level::NonBreaking,
                        Rule::EndpointAdded,
                        &operation,
                        "operation",
                        &at,
                        format!("{operation} was added"),
                    ),
                    (Some(base_op), Some(head_op)) => {
                        self.operation(&operation, &at, base_item, base_op, head_item, head_op)
                    }
                    (None, None) => {}
                }
            }
        }
        for path in head_paths.keys().filter(|p| !base_paths.contains_key(*p)) {
            self.push(
                Level::NonBreaking,
                Rule::EndpointAdded,
                path,
                "path",
                &format!("/paths/{}", escape(path)),
                format!("path `{path}` was added"),
            );
        }
    }

    fn operation(
        &mut self,
        operation: &str,
        at: &str,
        base_item: &'a Value,
        base_op: &'a Value,
        head_item: &'a Value,
        head_op: &'a Value,
    ) {
        let base_id = base_op.get("operationId");
        let head_id = head_op.get("operationId");
        if base_id != head_id {
            self.push(
                Level::Breaking,
                Rule::ApiOperationIdChanged,
                operation,
                "operationId",
                &format!("{at}/operationId"),
                format!(
                    "operationId changed from {} to {}: the generated method is renamed",
                    show(base_id),
                    show(head_id)
                ),
            );
        }
        for field in ["summary", "description"] {
            if base_op.get(field) != head_op.get(field) {
                self.push(
                    Level::NonBreaking,
                    Rule::ApiDescriptionChanged,
                    operation,
                    field,
                    &format!("{at}/{field}"),
                    format!("the operation's {field} changed"),
                );
            }
        }
        self.security(operation, at, base_op, head_op);
        self.parameters(operation, at, base_item, base_op, head_item, head_op);
        self.request_body(operation, at, base_op, head_op);
        self.responses(operation, at, base_op, head_op);
    }

    fn security(&mut self, operation: &str, at: &str, base_op: &Value, head_op: &Value) {
        // Each alternative is a set of scheme names; an empty set means "no credentials needed".
        let alternatives = |spec: &Value, op: &Value| -> BTreeSet<Vec<String>> {
            match op
                .get("security")
                .or_else(|| spec.get("security"))
                .and_then(Value::as_array)
            {
                None => BTreeSet::from([Vec::new()]),
                Some(list) => list
                    .iter()
                    .map(|req| {
                        let mut names: Vec<String> =
                            req.as_object().into_iter().flat_map(|o| o.keys().cloned()).collect();
                        names.sort();
                        names
                    })
                    .collect(),
            }
        };
        let base = alternatives(self.base, base_op);
        let head = alternatives(self.head, head_op);
        let pointer = format!("{at}/security");
        for removed in base.difference(&head) {
            if removed.is_empty() {
                self.push(
                    Level::Breaking,
                    Rule::ApiSecurityMadeMandatory,
                    operation,
                    "security",
                    &pointer,
                    "credentials are now required where none were".to_string(),
                );
            } else {
                self.push(
                    Level::Breaking,
                    Rule::ApiSecurityRemoved,
                    operation,
                    "security",
                    &pointer,
                    format!(
                        "the security alternative `{}` was removed; clients using it are refused",
                        removed.join(" + ")
                    ),
                );
            }
        }
        for added in head.difference(&base) {
            if added.is_empty() {
                self.push(
                    Level::NonBreaking,
                    Rule::ApiSecurityMadeOptional,
                    operation,
                    "security",
                    &pointer,
                    "credentials are no longer required".to_string(),
                );
            } else {
                self.push(
                    Level::NonBreaking,
                    Rule::ApiSecurityAdded,
                    operation,
                    "security",
                    &pointer,
                    format!("the security alternative `{}` was added", added.join(" + ")),
                );
            }
        }
    }

    fn parameters(
        &mut self,
        operation: &str,
        at: &str,
        base_item: &'a Value,
        base_op: &'a Value,
        head_item: &'a Value,
        head_op: &'a Value,
    ) {
        let collect =
            |spec: &'a Value, item: &'a Value, op: &'a Value| -> BTreeMap<(String, String), (&'a Value, String)> {
                let mut out = BTreeMap::new();
                for (list, base) in [
                    (item.get("parameters"), "parameters"),
                    (op.get("parameters"), "parameters"),
                ] {
                    for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                        let parameter = follow_in(spec, parameter).0;
                        let key = (
                            parameter
                                .get("in")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string(),
                            parameter
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_ascii_lowercase(),
                        );
                        out.insert(key, (parameter, format!("{base}/{index}")));
                    }
                }
                out
            };
        let base = collect(self.base, base_item, base_op);
        let head = collect(self.head, head_item, head_op);
        let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
        for ((location, name), (parameter, index)) in &base {
            let place = format!("{location} parameter {name}");
            match head.get(&(location.clone(), name.clone())) {
                None => self.push(
                    Level::NonBreaking,
                    Rule::RequestParameterRemoved,
                    operation,
                    &place,
                    &format!("{at}/{index}"),
                    format!("the {place} was removed; clients that send it are ignored"),
                ),
                Some((new, new_index)) => {
                    let pointer = format!("{at}/{new_index}");
                    match (required(parameter), required(new)) {
                        (false, true) => self.push(
                            Level::Breaking,
                            Rule::RequestParameterBecameRequired,
                            operation,
                            &place,
                            &pointer,
                            format!("the {place} became required"),
                        ),
                        (true, false) => self.push(
                            Level::NonBreaking,
                            Rule::RequestParameterBecameOptional,
                            operation,
                            &place,
                            &pointer,
                            format!("the {place} became optional"),
                        ),
                        _ => {}
                    }
                    if let (Some(old_schema), Some(new_schema)) = (parameter.get("schema"), new.get("schema")) {
                        schema::compare(
                            self,
                            Direction::Request,
                            operation,
                            &place,
                            old_schema,
                            new_schema,
                            &format!("{pointer}/schema"),
                        );
                    }
                }
            }
        }
        for ((location, name), (parameter, index)) in &head {
            if base.contains_key(&(location.clone(), name.clone())) {
                continue;
            }
            let place = format!("{location} parameter {name}");
            let pointer = format!("{at}/{index}");
            if required(parameter) {
                self.push(
                    Level::Breaking,
                    Rule::NewRequiredRequestParameter,
                    operation,
                    &place,
                    &pointer,
                    format!("a required {place} was added"),
                );
            } else {
                self.push(
                    Level::NonBreaking,
                    Rule::NewOptionalRequestParameter,
                    operation,
                    &place,
                    &pointer,
                    format!("an optional {place} was added"),
                );
            }
        }
    }

    fn request_body(&mut self, operation: &str, at: &str, base_op: &'a Value, head_op: &'a Value) {
        let base = base_op.get("requestBody").map(|b| follow_in(self.base, b).0);
        let head = head_op.get("requestBody").map(|b| follow_in(self.head, b).0);
        let pointer = format!("{at}/requestBody");
        let required = |b: Option<&Value>| {
            b.and_then(|b| b.get("required"))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        match (base, head) {
            (None, Some(_)) if required(head) => self.push(
                Level::Breaking,
                Rule::RequestBodyBecameRequired,
                operation,
                "request body",
                &pointer,
                "a required request body was added".to_string(),
            ),
            (None, Some(_)) => self.push(
                Level::NonBreaking,
                Rule::RequestBodyAdded,
                operation,
                "request body",
                &pointer,
                "an optional request body was added".to_string(),
            ),
            (Some(_), None) => self.push(
                Level::NonBreaking,
                Rule::RequestBodyRemoved,
                operation,
                "request body",
                &pointer,
                "the request body was removed; clients that send one are ignored".to_string(),
            ),
            (Some(_), Some(_)) => match (required(base), required(head)) {
                (false, true) => self.push(
                    Level::Breaking,
                    Rule::RequestBodyBecameRequired,
                    operation,
                    "request body",
                    &format!("{pointer}/required"),
                    "the request body became required".to_string(),
                ),
                (true, false) => self.push(
                    Level::NonBreaking,
                    Rule::RequestBodyBecameOptional,
                    operation,
                    "request body",
                    &format!("{pointer}/required"),
                    "the request body became optional".to_string(),
                ),
                _ => {}
            },
            (None, None) => return,
        }
        self.content(Direction::Request, operation, "request body", &pointer, base, head);
    }

    fn responses(&mut self, operation: &str, at: &str, base_op: &'a Value, head_op: &'a Value) {
        let base = base_op
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(empty_map());
        let head = head_op
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or(empty_map());
        let success = |status: &str| status.starts_with('2');
        for (status, response) in base {
            let pointer = format!("{at}/responses/{}", escape(status));
            let place = format!("{status} response");
            match head.get(status) {
                None if success(status) => self.push(
                    Level::Breaking,
                    Rule::ResponseSuccessStatusRemoved,
                    operation,
                    &place,
                    &pointer,
                    format!("the success status {status} was removed"),
                ),
                None => self.push(
                    Level::NonBreaking,
                    Rule::ResponseNonSuccessStatusRemoved,
                    operation,
                    &place,
                    &pointer,
                    format!("the status {status} was removed"),
                ),
                Some(new) => {
                    let (old, new) = (follow_in(self.base, response).0, follow_in(self.head, new).0);
                    self.content(
                        Direction::Response,
                        operation,
                        &format!("{place} body"),
                        &pointer,
                        Some(old),
                        Some(new),
                    );
                }
            }
        }
        for status in head.keys().filter(|s| !base.contains_key(*s)) {
            let pointer = format!("{at}/responses/{}", escape(status));
            let (rule, what) = if success(status) {
                (Rule::ResponseSuccessStatusAdded, "success status")
            } else {
                (Rule::ResponseNonSuccessStatusAdded, "status")
            };
            self.push(
                Level::NonBreaking,
                rule,
                operation,
                &format!("{status} response"),
                &pointer,
                format!("the {what} {status} was added"),
            );
        }
    }

    /// Media types of a request body or response, and the schema of each kept one.
    fn content(
        &mut self,
        direction: Direction,
        operation: &str,
        place: &str,
        pointer: &str,
        base: Option<&'a Value>,
        head: Option<&'a Value>,
    ) {
        let media = |v: Option<&'a Value>| {
            v.and_then(|v| v.get("content"))
                .and_then(Value::as_object)
                .unwrap_or(empty_map())
        };
        let (base, head) = (media(base), media(head));
        let side = direction.name();
        for (media_type, old) in base {
            let at = format!("{pointer}/content/{}", escape(media_type));
            match head.get(media_type) {
                None => {
                    let rule = match direction {
                        Direction::Request => Rule::RequestBodyMediaTypeRemoved,
                        Direction::Response => Rule::ResponseMediaTypeRemoved,
                    };
                    self.push(
                        Level::Breaking,
                        rule,
                        operation,
                        place,
                        &at,
                        format!("the {side} media type `{media_type}` was removed"),
                    );
                }
                Some(new) => {
                    if let (Some(old_schema), Some(new_schema)) = (old.get("schema"), new.get("schema")) {
                        schema::compare(
                            self,
                            direction,
                            operation,
                            place,
                            old_schema,
                            new_schema,
                            &format!("{at}/schema"),
                        );
                    }
                }
            }
        }
        for media_type in head.keys().filter(|m| !base.contains_key(*m)) {
            let rule = match direction {
                Direction::Request => Rule::RequestBodyMediaTypeAdded,
                Direction::Response => Rule::ResponseMediaTypeAdded,
            };
            self.push(
                Level::NonBreaking,
                rule,
                operation,
                place,
                &format!("{pointer}/content/{}", escape(media_type)),
                format!("the {side} media type `{media_type}` was added"),
            );
        }
    }
}

/// An empty JSON object, for absent maps that must outlive the function that looked for them.
pub(crate) fn empty_map() -> &'static serde_json::Map<String, Value> {
    static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> = std::sync::LazyLock::new(serde_json::Map::new);
    &EMPTY
}

pub(crate) fn show(value: Option<&Value>) -> String {
    value.map_or_else(
        || "nothing".to_string(),
        |v| format!("`{}`", v.to_string().trim_matches('"')),
    )
}

fn version_check(base: &Value, head: &Value, changes: &[Change]) -> VersionCheck {
    let version = |spec: &Value| {
        spec.pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (base_version, head_version) = (version(base), version(head));
    let only_descriptions = changes
        .iter()
        .all(|c| matches!(c.rule, Rule::ApiDescriptionChanged | Rule::DescriptionChanged));
    let required = if changes.iter().any(|c| c.level == Level::Breaking) {
        Bump::Major
    } else if changes.is_empty() {
        Bump::None
    } else if only_descriptions {
        Bump::Patch
    } else {
        Bump::Minor
    };
    let parse = |v: &str| -> Option<(u64, u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        Some((parts.next()??, parts.next()??, parts.next()??))
    };
    let (ok, message) = match (parse(&base_version), parse(&head_version)) {
        (Some(b), Some(h)) => {
            // Below 1.0.0, semver lets the minor number stand for a breaking change. `None` is a
            // version that went backwards.
            let bump = if h.0 > b.0 {
                Some(Bump::Major)
            } else if h.0 == b.0 && h.1 > b.1 {
                Some(if b.0 == 0 { Bump::Major } else { Bump::Minor })
            } else if h.0 == b.0 && h.1 == b.1 && h.2 > b.2 {
                Some(if b.0 == 0 { Bump::Minor } else { Bump::Patch })
            } else if h == b {
                Some(Bump::None)
            } else {
                None
            };
            let ok = bump.is_some_and(|bump| bump >= required);
            let message = match bump {
                Some(Bump::None) if ok => {
                    format!("info.version {base_version} is unchanged, and the changes need no bump")
                }
                Some(bump) if ok => format!(
                    "info.version {base_version} → {head_version} is a {bump} bump; the changes need {required}"
                ),
                _ => format!(
                    "info.version {base_version} → {head_version} is not enough: the changes need a {required} bump"
                ),
            };
            (ok, message)
        }
        _ => (
            required == Bump::None,
            format!("info.version `{base_version}` → `{head_version}` is not semver; the changes need {required}"),
        ),
    };
    VersionCheck {
        base: base_version,
        head: head_version,
        required,
        ok,
        message,
    }
}
