//! `cargo xtask diff`: what changed between two versions of the spec, and whom it breaks.
//!
//! Changes are classified for existing clients, direction-aware: what a client sends (the request)
//! may only get looser, what it receives (the response) only tighter. Rule names follow oasdiff's
//! where one exists.

mod report;
mod schema;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use crate::spec::{METHODS, escape_pointer_token as escape, follow_ref as follow};
pub use report::Format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Breaking,
    NonBreaking,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub level: Level,
    /// Such as `POST /chat/Dialog.json`, or `document` for changes outside any operation.
    pub operation: String,
    /// Such as `request body: data.class_name` or `201 response body: type`.
    pub location: String,
    pub rule: String,
    pub message: String,
    /// Where in the spec: the head's pointer, or the base's for what was removed.
    pub pointer: String,
}

/// What the change to `info.version` should have been, and whether it was.
#[derive(Clone, Debug, Serialize)]
pub struct VersionCheck {
    pub base: String,
    pub head: String,
    /// `major`, `minor`, `patch` or `none`.
    pub required: &'static str,
    pub ok: bool,
    pub message: String,
}

/// The whole comparison, as every output format shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub base_label: String,
    pub head_label: String,
    pub changes: Vec<Change>,
    pub version: VersionCheck,
    /// Lines of the generated client's public API listing: removed (`-`) and added (`+`).
    pub client: ClientDiff,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ClientDiff {
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// Why a side could not be generated, if it could not.
    pub error: Option<String>,
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.level == Level::Breaking).count()
    }
}

/// `cargo xtask diff [BASE] [--head PATH] [--format F] [--allow-breaking]`.
pub fn run(base: &str, head: Option<&Path>, format: Format, allow_breaking: bool) -> Result<()> {
    let root = crate::project_root();
    let (base_label, base_text) = read_base(&root, base)?;
    let head_path = head.map_or_else(|| root.join(crate::codegen::SPEC), Path::to_path_buf);
    let head_text =
        std::fs::read_to_string(&head_path).with_context(|| format!("reading {}", crate::display_path(&head_path)))?;
    let head_label = crate::display_path(&head_path);
    let report = compare(&base_label, &base_text, &head_label, &head_text)?;
    print!("{}", report::render(&report, format));
    if !report.version.ok {
        bail!("{}", report.version.message);
    }
    if report.breaking() > 0 && !allow_breaking {
        bail!(
            "{} breaking change(s); pass --allow-breaking if they are intended",
            report.breaking()
        );
    }
    Ok(())
}

/// The base spec: a file if `base` names one, else `openapi/dialog.yaml` at that git revision.
fn read_base(root: &Path, base: &str) -> Result<(String, String)> {
    let as_path = Path::new(base);
    if as_path.is_file() {
        let text = std::fs::read_to_string(as_path).with_context(|| format!("reading {base}"))?;
        return Ok((base.to_string(), text));
    }
    let object = format!("{base}:{}", crate::codegen::SPEC);
    let output = Command::new("git")
        .args(["show", &object])
        .current_dir(root)
        .output()
        .context("running git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "{base} is neither a file nor a git revision holding {}: {}",
            crate::codegen::SPEC,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8(output.stdout).with_context(|| format!("{object} is not UTF-8"))?;
    Ok((format!("{} at {base}", crate::codegen::SPEC), text))
}

/// Compares two spec texts. Fails only when one of them is not YAML.
pub fn compare(base_label: &str, base_text: &str, head_label: &str, head_text: &str) -> Result<Report> {
    let parse = |label: &str, text: &str| -> Result<Value> {
        serde_yaml::from_str(text).map_err(|err| anyhow::anyhow!("{label}: invalid YAML: {err}"))
    };
    let base = parse(base_label, base_text)?;
    let head = parse(head_label, head_text)?;
    let mut changes = spec_changes(&base, &head);
    changes.sort();
    changes.dedup();
    let version = version_check(&base, &head, &changes);
    let client = client_diff(base_label, base_text, head_label, head_text);
    Ok(Report {
        base_label: base_label.to_string(),
        head_label: head_label.to_string(),
        changes,
        version,
        client,
    })
}

/// Every change between two parsed specs, unsorted.
pub fn spec_changes(base: &Value, head: &Value) -> Vec<Change> {
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
        rule: impl Into<String>,
        operation: &str,
        location: &str,
        pointer: &str,
        message: String,
    ) {
        self.changes.push(Change {
            level,
            operation: operation.to_string(),
            location: location.to_string(),
            rule: rule.into(),
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
                "api-server-removed",
                "document",
                "servers",
                "/servers",
                format!("server `{url}` was removed; clients that default to it lose their base URL"),
            );
        }
        for url in head.difference(&base) {
            self.push(
                Level::NonBreaking,
                "api-server-added",
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
                    "api-security-scheme-removed",
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
                                "api-security-scheme-changed",
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
                "api-security-scheme-added",
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
                    "api-path-removed",
                    path,
                    "path",
                    &pointer,
                    format!("path `{path}` was removed"),
                );
                continue;
            };
            for method in METHODS {
                let operation = format!("{} {path}", method.to_uppercase());
                let at = format!("{pointer}/{method}");
                match (base_item.get(method), head_item.get(method)) {
                    (Some(_), None) => self.push(
                        Level::Breaking,
                        "api-removed",
                        &operation,
                        "operation",
                        &at,
                        format!("{operation} was removed"),
                    ),
                    (None, Some(_)) => self.push(
                        Level::NonBreaking,
                        "endpoint-added",
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
                "endpoint-added",
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
                "api-operation-id-changed",
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
                    "api-description-changed",
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
                    "api-security-made-mandatory",
                    operation,
                    "security",
                    &pointer,
                    "credentials are now required where none were".to_string(),
                );
            } else {
                self.push(
                    Level::Breaking,
                    "api-security-removed",
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
                    "api-security-made-optional",
                    operation,
                    "security",
                    &pointer,
                    "credentials are no longer required".to_string(),
                );
            } else {
                self.push(
                    Level::NonBreaking,
                    "api-security-added",
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
                        let parameter = follow(spec, parameter);
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
                    "request-parameter-removed",
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
                            "request-parameter-became-required",
                            operation,
                            &place,
                            &pointer,
                            format!("the {place} became required"),
                        ),
                        (true, false) => self.push(
                            Level::NonBreaking,
                            "request-parameter-became-optional",
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
                            schema::Direction::Request,
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
                    "new-required-request-parameter",
                    operation,
                    &place,
                    &pointer,
                    format!("a required {place} was added"),
                );
            } else {
                self.push(
                    Level::NonBreaking,
                    "new-optional-request-parameter",
                    operation,
                    &place,
                    &pointer,
                    format!("an optional {place} was added"),
                );
            }
        }
    }

    fn request_body(&mut self, operation: &str, at: &str, base_op: &'a Value, head_op: &'a Value) {
        let base = base_op.get("requestBody").map(|b| follow(self.base, b));
        let head = head_op.get("requestBody").map(|b| follow(self.head, b));
        let pointer = format!("{at}/requestBody");
        let required = |b: Option<&Value>| {
            b.and_then(|b| b.get("required"))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        match (base, head) {
            (None, Some(_)) if required(head) => self.push(
                Level::Breaking,
                "request-body-became-required",
                operation,
                "request body",
                &pointer,
                "a required request body was added".to_string(),
            ),
            (None, Some(_)) => self.push(
                Level::NonBreaking,
                "request-body-added",
                operation,
                "request body",
                &pointer,
                "an optional request body was added".to_string(),
            ),
            (Some(_), None) => self.push(
                Level::NonBreaking,
                "request-body-removed",
                operation,
                "request body",
                &pointer,
                "the request body was removed; clients that send one are ignored".to_string(),
            ),
            (Some(_), Some(_)) => match (required(base), required(head)) {
                (false, true) => self.push(
                    Level::Breaking,
                    "request-body-became-required",
                    operation,
                    "request body",
                    &format!("{pointer}/required"),
                    "the request body became required".to_string(),
                ),
                (true, false) => self.push(
                    Level::NonBreaking,
                    "request-body-became-optional",
                    operation,
                    "request body",
                    &format!("{pointer}/required"),
                    "the request body became optional".to_string(),
                ),
                _ => {}
            },
            (None, None) => return,
        }
        self.content(
            schema::Direction::Request,
            operation,
            "request body",
            &pointer,
            base,
            head,
        );
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
                    "response-success-status-removed",
                    operation,
                    &place,
                    &pointer,
                    format!("the success status {status} was removed"),
                ),
                None => self.push(
                    Level::NonBreaking,
                    "response-non-success-status-removed",
                    operation,
                    &place,
                    &pointer,
                    format!("the status {status} was removed"),
                ),
                Some(new) => {
                    let (old, new) = (follow(self.base, response), follow(self.head, new));
                    self.content(
                        schema::Direction::Response,
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
                ("response-success-status-added", "success status")
            } else {
                ("response-non-success-status-added", "status")
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
        direction: schema::Direction,
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
        let side = match direction {
            schema::Direction::Request => "request",
            schema::Direction::Response => "response",
        };
        for (media_type, old) in base {
            let at = format!("{pointer}/content/{}", escape(media_type));
            match head.get(media_type) {
                None => {
                    let rule = if side == "request" {
                        "request-body-media-type-removed"
                    } else {
                        "response-media-type-removed"
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
            let rule = if side == "request" {
                "request-body-media-type-added"
            } else {
                "response-media-type-added"
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
    let only_descriptions = changes.iter().all(|c| c.rule.ends_with("description-changed"));
    let required = if changes.iter().any(|c| c.level == Level::Breaking) {
        "major"
    } else if changes.is_empty() {
        "none"
    } else if only_descriptions {
        "patch"
    } else {
        "minor"
    };
    let parse = |v: &str| -> Option<(u64, u64, u64)> {
        let core = v.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        Some((parts.next()??, parts.next()??, parts.next()??))
    };
    let (ok, message) = match (parse(&base_version), parse(&head_version)) {
        (Some(b), Some(h)) => {
            // Below 1.0.0, semver lets the minor number stand for a breaking change.
            let bump = if h.0 > b.0 {
                "major"
            } else if h.0 == b.0 && h.1 > b.1 {
                if b.0 == 0 { "major" } else { "minor" }
            } else if h.0 == b.0 && h.1 == b.1 && h.2 > b.2 {
                if b.0 == 0 { "minor" } else { "patch" }
            } else if h == b {
                "none"
            } else {
                "backwards"
            };
            let rank = |r: &str| ["none", "patch", "minor", "major"].iter().position(|x| *x == r);
            let ok = bump != "backwards" && rank(bump) >= rank(required);
            let message = if ok && bump == "none" {
                format!("info.version {base_version} is unchanged, and the changes need no bump")
            } else if ok {
                format!("info.version {base_version} → {head_version} is a {bump} bump; the changes need {required}")
            } else {
                format!(
                    "info.version {base_version} → {head_version} is not enough: the changes need a {required} bump"
                )
            };
            (ok, message)
        }
        _ => (
            required == "none",
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

/// The generated client's public API on each side, generated in memory, as removed and added lines.
fn client_diff(base_label: &str, base_text: &str, head_label: &str, head_text: &str) -> ClientDiff {
    let listing = |label: &str, text: &str| -> Result<BTreeSet<String>> {
        let openapi = crate::spec::parse(Path::new(label), text)?;
        let spec = crate::spec::Spec {
            path: label.into(),
            openapi,
        };
        let source = crate::codegen::client_source(&spec)?;
        Ok(crate::api_listing::listing(&source)?
            .lines()
            .map(str::to_string)
            .collect())
    };
    match (listing(base_label, base_text), listing(head_label, head_text)) {
        (Ok(base), Ok(head)) => ClientDiff {
            removed: base.difference(&head).cloned().collect(),
            added: head.difference(&base).cloned().collect(),
            error: None,
        },
        (Err(err), _) | (_, Err(err)) => ClientDiff {
            error: Some(format!("{err:#}")),
            ..ClientDiff::default()
        },
    }
}

#[cfg(test)]
mod tests;
