//! The diff: what changed between two versions of a document, and whom it breaks.
//!
//! Changes are classified for existing clients, direction-aware: what a client sends (the request)
//! may only get looser, what it receives (the response) only tighter. Rule names follow oasdiff's
//! where one exists. The walk here covers servers, security, operations, parameters, bodies and
//! responses; `schema` compares two schemas in one direction; both write into the `model`.

mod model;
mod normalize;
mod policy;
mod reach;
mod report;
mod rules;
mod schema;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::document::{Method, escape, follow_in};
use crate::error::{Error, Result};
pub use model::{Break, Bump, Change, ClientDiff, Level, Pair, Report, VersionCheck, classify};
pub use policy::DeprecationPolicy;
pub use report::{Format, render};
pub use rules::{ALIASES, Area, Bound, BoundChange, Direction, JsonRule, Place, Rule, SchemaRule};

/// The registry as `diff --rules` prints it: id, level, direction, area, description.
pub fn rules_table() -> String {
    let mut out = String::new();
    for rule in Rule::all() {
        let level = rule.level().name();
        let direction = rule.direction().map_or("-", Direction::name);
        out.push_str(&format!(
            "{:56} {:5} {:8} {:10} {}",
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
    compare_with(pair, DeprecationPolicy::default())
}

/// Compares two documents under a deprecation policy (see `DeprecationPolicy`).
pub fn compare_with(pair: Pair<'_>, policy: DeprecationPolicy) -> Report {
    let mut changes = changes_with(pair.base.value(), pair.head.value(), policy);
    changes.sort();
    // One edit inside a component reached both as a body and as a property is walked twice; it is one change,
    // listing the operations of both walks. Sorting puts such twins side by side (they differ only in `operations`).
    changes.dedup_by(|next, kept| {
        let same = next.level == kept.level
            && next.operation == kept.operation
            && next.location == kept.location
            && next.rule == kept.rule
            && next.message == kept.message
            && next.pointer == kept.pointer;
        if same {
            kept.operations.append(&mut next.operations);
        }
        same
    });
    classify(&mut changes);
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
    changes_with(base, head, DeprecationPolicy::default())
}

/// Every change between two parsed documents under a deprecation policy, unsorted.
pub fn changes_with(base: &Value, head: &Value, policy: DeprecationPolicy) -> Vec<Change> {
    let (base, head) = (normalize::document(base), normalize::document(head));
    let (base, head) = (base.as_ref(), head.as_ref());
    let mut diff = Diff {
        base,
        head,
        policy,
        changes: Vec::new(),
        components: reach::Components::default(),
    };
    diff.servers();
    diff.security_schemes();
    diff.paths();
    diff.webhooks();
    diff.components.settle(&mut diff.changes);
    diff.changes
}

pub(crate) struct Diff<'a> {
    pub(crate) base: &'a Value,
    pub(crate) head: &'a Value,
    pub(crate) policy: DeprecationPolicy,
    pub(crate) changes: Vec<Change>,
    /// Each component schema pair compared so far, the changes its walk gave, and what reaches it.
    pub(crate) components: reach::Components,
}

/// One side of an operation that both documents have: its path item, whose `parameters` apply to it, and the
/// operation itself.
#[derive(Clone, Copy)]
struct Side<'a> {
    item: &'a Value,
    op: &'a Value,
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
            operations: BTreeSet::new(),
            breaks: Vec::new(),
            accepted: None,
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
                Rule::ApiServerRemoved.level(),
                Rule::ApiServerRemoved,
                "document",
                "servers",
                "/servers",
                format!("server `{url}` was removed; clients that default to it need another base URL"),
            );
        }
        for url in head.difference(&base) {
            self.push(
                Level::Info,
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
            let place = format!("security scheme {name}");
            match head.get(name) {
                None => self.push(
                    Level::Info,
                    Rule::ApiSecurityComponentRemoved,
                    "document",
                    &place,
                    &pointer,
                    format!("security scheme `{name}` was removed"),
                ),
                Some(new) => {
                    let kind = new.get("type").and_then(Value::as_str).unwrap_or_default();
                    for (field, rule) in [
                        ("type", Rule::ApiSecurityComponentTypeChanged),
                        ("in", Rule::ApiSecurityComponentApiKeyInChanged),
                        ("name", Rule::ApiSecurityComponentApiKeyNameChanged),
                        ("scheme", Rule::ApiSecurityComponentHttpSchemeChanged),
                        ("bearerFormat", Rule::ApiSecurityComponentBearerFormatChanged),
                    ] {
                        // A changed type is one change, not also a change of every field that type has.
                        if field != "type" && scheme.get("type") != new.get("type") {
                            continue;
                        }
                        if scheme.get(field) != new.get(field) && (field == "type" || !kind.is_empty()) {
                            self.push(
                                rule.level(),
                                rule,
                                "document",
                                &place,
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
                Level::Info,
                Rule::ApiSecurityComponentAdded,
                "document",
                &format!("security scheme {name}"),
                &format!("/components/securitySchemes/{}", escape(name)),
                format!("security scheme `{name}` was added"),
            );
        }
        let schemas = |spec: &'a Value| spec.pointer("/components/schemas").and_then(Value::as_object);
        let head_schemas = schemas(self.head).unwrap_or(empty_map());
        for name in schemas(self.base)
            .unwrap_or(empty_map())
            .keys()
            .filter(|n| !head_schemas.contains_key(*n))
        {
            self.push(
                Level::Info,
                Rule::ApiSchemaRemoved,
                "document",
                &format!("schema {name}"),
                &format!("/components/schemas/{}", escape(name)),
                format!("schema `{name}` was removed from components"),
            );
        }
    }

    fn paths(&mut self) {
        let base_paths = self.base.get("paths").and_then(Value::as_object).unwrap_or(empty_map());
        let head_paths = self.head.get("paths").and_then(Value::as_object).unwrap_or(empty_map());
        // Paths match with their parameter names ignored: `/dialogs/{id}` is `/dialogs/{dialog_id}`.
        let head_by_shape: BTreeMap<String, &String> = head_paths.keys().map(|p| (path_shape(p), p)).collect();
        let base_shapes: BTreeSet<String> = base_paths.keys().map(|p| path_shape(p)).collect();
        for (path, base_item) in base_paths {
            let pointer = format!("/paths/{}", escape(path));
            let Some((head_path, head_item)) = head_by_shape
                .get(&path_shape(path))
                .map(|p| (p.as_str(), &head_paths[p.as_str()]))
            else {
                for method in Method::ALL {
                    if let Some(op) = base_item.get(method.key()) {
                        let operation = format!("{} {path}", method.upper());
                        self.removed(&operation, &format!("{pointer}/{}", method.key()), op, true);
                    }
                }
                continue;
            };
            for method in Method::ALL {
                let operation = format!("{} {head_path}", method.upper());
                let at = format!("/paths/{}/{}", escape(head_path), method.key());
                match (base_item.get(method.key()), head_item.get(method.key())) {
                    (Some(op), None) => self.removed(
                        &format!("{} {path}", method.upper()),
                        &format!("{pointer}/{}", method.key()),
                        op,
                        false,
                    ),
                    (None, Some(_)) => self.push(
                        Level::Info,
                        Rule::EndpointAdded,
                        &operation,
                        "operation",
                        &at,
                        format!("{operation} was added"),
                    ),
                    (Some(base_op), Some(head_op)) => {
                        let paths = (path.as_str(), head_path);
                        let base = Side {
                            item: base_item,
                            op: base_op,
                        };
                        let head = Side {
                            item: head_item,
                            op: head_op,
                        };
                        self.operation(&operation, &at, paths, base, head)
                    }
                    (None, None) => {}
                }
            }
        }
        for (path, item) in head_paths {
            if base_shapes.contains(&path_shape(path)) {
                continue;
            }
            for method in Method::ALL {
                if item.get(method.key()).is_some() {
                    let operation = format!("{} {path}", method.upper());
                    self.push(
                        Level::Info,
                        Rule::EndpointAdded,
                        &operation,
                        "operation",
                        &format!("/paths/{}/{}", escape(path), method.key()),
                        format!("{operation} was added"),
                    );
                }
            }
        }
    }

    /// An operation that the head no longer has, judged by its deprecation, sunset and stability.
    fn removed(&mut self, operation: &str, at: &str, op: &Value, whole_path: bool) {
        // Draft and alpha operations may go without notice; that is what the levels are for.
        if matches!(stability(op), Some(Stability::Draft | Stability::Alpha)) {
            return;
        }
        let (rule, message) = match removal(op) {
            Removal::WithoutDeprecation => (
                if whole_path {
                    Rule::ApiPathRemovedWithoutDeprecation
                } else {
                    Rule::ApiRemovedWithoutDeprecation
                },
                format!("{operation} was removed without being deprecated first"),
            ),
            Removal::BadSunset(text) => (
                Rule::ApiPathSunsetParse,
                format!("{operation} was removed, and its x-sunset {text:?} is not a date"),
            ),
            Removal::BeforeSunset(date) => (
                if whole_path {
                    Rule::ApiPathRemovedBeforeSunset
                } else {
                    Rule::ApiRemovedBeforeSunset
                },
                format!("{operation} was removed before its sunset {date}"),
            ),
            Removal::WithDeprecation => (
                if whole_path {
                    Rule::ApiPathRemovedWithDeprecation
                } else {
                    Rule::ApiRemovedWithDeprecation
                },
                format!("{operation} was removed after its deprecation"),
            ),
        };
        self.push(rule.level(), rule, operation, "operation", at, message);
    }

    fn operation(&mut self, operation: &str, at: &str, paths: (&str, &str), base: Side<'a>, head: Side<'a>) {
        let (base_op, head_op) = (base.op, head.op);
        // What is draft or alpha in the base may change in any way (oasdiff's x-stability-level).
        if matches!(stability(base_op), Some(Stability::Draft | Stability::Alpha)) {
            return;
        }
        self.lifecycle(operation, at, base_op, head_op);
        let base_id = base_op.get("operationId");
        let head_id = head_op.get("operationId");
        if base_id != head_id {
            let (rule, message) = if head_id.is_none() {
                (
                    Rule::ApiOperationIdRemoved,
                    format!("operationId {} was removed", show(base_id)),
                )
            } else if base_id.is_none() {
                (
                    Rule::ApiOperationIdAdded,
                    format!("operationId {} was added", show(head_id)),
                )
            } else {
                (
                    Rule::ApiOperationIdRemoved,
                    format!(
                        "operationId changed from {} to {}: a generated client renames its method",
                        show(base_id),
                        show(head_id)
                    ),
                )
            };
            self.push(
                rule.level(),
                rule,
                operation,
                "operationId",
                &format!("{at}/operationId"),
                message,
            );
        }
        let tags = |op: &Value| -> BTreeSet<String> {
            op.get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (base_tags, head_tags) = (tags(base_op), tags(head_op));
        for tag in base_tags.difference(&head_tags) {
            self.push(
                Level::Info,
                Rule::ApiTagRemoved,
                operation,
                "tags",
                &format!("{at}/tags"),
                format!("tag `{tag}` was removed"),
            );
        }
        for tag in head_tags.difference(&base_tags) {
            self.push(
                Level::Info,
                Rule::ApiTagAdded,
                operation,
                "tags",
                &format!("{at}/tags"),
                format!("tag `{tag}` was added"),
            );
        }
        for field in ["summary", "description"] {
            if base_op.get(field) != head_op.get(field) {
                self.push(
                    Level::Info,
                    Rule::ApiDescriptionChanged,
                    operation,
                    field,
                    &format!("{at}/{field}"),
                    format!("the operation's {field} changed"),
                );
            }
        }
        self.security(operation, at, base_op, head_op);
        self.parameters(operation, at, paths, base, head);
        self.request_body(operation, at, base_op, head_op);
        self.responses(operation, at, base_op, head_op);
    }

    /// Deprecation, sunset and stability of an operation that both sides have.
    fn lifecycle(&mut self, operation: &str, at: &str, base_op: &Value, head_op: &Value) {
        let report = |diff: &mut Self, rule: Rule, message: String| {
            diff.push(rule.level(), rule, operation, "operation", at, message);
        };
        if let Some((rule, message)) = deprecation(&Lifecycle::ENDPOINT, operation, base_op, head_op, self.policy) {
            report(self, rule, message);
        }
        match (stability(base_op), stability(head_op)) {
            (_, None) => report(
                self,
                Rule::ApiInvalidStabilityLevel,
                format!(
                    "{operation} has the x-stability-level {}, not draft, alpha, beta or stable",
                    show(head_op.get("x-stability-level"))
                ),
            ),
            (Some(b), Some(h)) if h < b => report(
                self,
                Rule::ApiStabilityDecreased,
                format!("{operation}'s stability went down from {} to {}", b.name(), h.name()),
            ),
            (Some(b), Some(h)) if h > b => report(
                self,
                Rule::ApiStabilityIncreased,
                format!("{operation}'s stability went up from {} to {}", b.name(), h.name()),
            ),
            _ => {}
        }
    }

    fn security(&mut self, operation: &str, at: &str, base_op: &Value, head_op: &Value) {
        // Each alternative is a map from scheme name to its scopes; an empty one means "no credentials needed".
        let alternatives = |spec: &Value, op: &Value| -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
            match op
                .get("security")
                .or_else(|| spec.get("security"))
                .and_then(Value::as_array)
            {
                None => BTreeMap::from([(Vec::new(), BTreeMap::new())]),
                Some(list) => list
                    .iter()
                    .map(|req| {
                        let scopes: BTreeMap<String, BTreeSet<String>> = req
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(name, scopes)| {
                                let scopes = scopes
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect();
                                (name.clone(), scopes)
                            })
                            .collect();
                        (scopes.keys().cloned().collect(), scopes)
                    })
                    .collect(),
            }
        };
        let base = alternatives(self.base, base_op);
        let head = alternatives(self.head, head_op);
        let pointer = format!("{at}/security");
        for (removed, scopes) in &base {
            if let Some(new_scopes) = head.get(removed) {
                for (scheme, old) in scopes {
                    let new = &new_scopes[scheme];
                    for scope in new.difference(old) {
                        self.push(
                            Level::Err,
                            Rule::ApiSecurityScopeAdded,
                            operation,
                            "security",
                            &pointer,
                            format!("the scope `{scope}` of `{scheme}` is now required"),
                        );
                    }
                    for scope in old.difference(new) {
                        self.push(
                            Level::Info,
                            Rule::ApiSecurityScopeRemoved,
                            operation,
                            "security",
                            &pointer,
                            format!("the scope `{scope}` of `{scheme}` is no longer required"),
                        );
                    }
                }
            } else if head.contains_key(&Vec::new()) {
                // The head takes anonymous requests, so a client that still sends these credentials
                // is served; `api-security-anonymous-access-added` below says what changed.
                continue;
            } else if removed.is_empty() {
                self.push(
                    Level::Err,
                    Rule::ApiSecurityAnonymousAccessRemoved,
                    operation,
                    "security",
                    &pointer,
                    "credentials are now required where none were".to_string(),
                );
            } else {
                self.push(
                    Level::Err,
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
        for added in head.keys().filter(|k| !base.contains_key(*k)) {
            if added.is_empty() {
                self.push(
                    Level::Info,
                    Rule::ApiSecurityAnonymousAccessAdded,
                    operation,
                    "security",
                    &pointer,
                    "credentials are no longer required".to_string(),
                );
            } else {
                self.push(
                    Level::Info,
                    Rule::ApiSecurityAdded,
                    operation,
                    "security",
                    &pointer,
                    format!("the security alternative `{}` was added", added.join(" + ")),
                );
            }
        }
    }

    fn parameters(&mut self, operation: &str, at: &str, paths: (&str, &str), base: Side<'a>, head: Side<'a>) {
        let (base_item, base_op, head_item, head_op) = (base.item, base.op, head.item, head.op);
        // Header names are case-insensitive (RFC 9110); path parameters match by their place in
        // the template, so renaming `{id}` to `{dialog_id}` changes nothing a client sends.
        let collect = |spec: &'a Value,
                       path: &str,
                       item: &'a Value,
                       op: &'a Value|
         -> BTreeMap<(String, String), (&'a Value, String)> {
            let template = path_parameters(path);
            let mut out = BTreeMap::new();
            for list in [item.get("parameters"), op.get("parameters")] {
                for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                    let parameter = follow_in(spec, parameter).0;
                    let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
                    let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
                    let name = match location {
                        "path" => template
                            .iter()
                            .position(|n| n == name)
                            .map_or_else(|| name.to_string(), |i| format!("#{i}")),
                        "header" => name.to_ascii_lowercase(),
                        _ => name.to_string(),
                    };
                    out.insert((location.to_string(), name), (parameter, format!("parameters/{index}")));
                }
            }
            out
        };
        let base = collect(self.base, paths.0, base_item, base_op);
        let head = collect(self.head, paths.1, head_item, head_op);
        let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
        let label = |key: &(String, String), p: &Value| {
            format!(
                "{} parameter {}",
                key.0,
                p.get("name").and_then(Value::as_str).unwrap_or(&key.1)
            )
        };
        for (key, (parameter, index)) in &base {
            let place = label(key, parameter);
            match head.get(key) {
                None => {
                    let rule = match removal(parameter) {
                        Removal::WithoutDeprecation => Rule::RequestParameterRemoved,
                        Removal::BeforeSunset(_) => Rule::RequestParameterRemovedBeforeSunset,
                        Removal::BadSunset(_) => Rule::RequestParameterSunsetParse,
                        Removal::WithDeprecation => Rule::RequestParameterRemovedWithDeprecation,
                    };
                    self.push(
                        rule.level(),
                        rule,
                        operation,
                        &place,
                        &format!("{at}/{index}"),
                        format!("the {place} was removed; the server may ignore or refuse it"),
                    )
                }
                Some((new, new_index)) => {
                    let pointer = format!("{at}/{new_index}");
                    let flip = |diff: &mut Self, rule: Rule, message: String| {
                        diff.push(rule.level(), rule, operation, &place, &pointer, message);
                    };
                    match (required(parameter), required(new)) {
                        (false, true) => flip(
                            self,
                            Rule::RequestParameterBecameRequired,
                            format!("the {place} became required"),
                        ),
                        (true, false) => flip(
                            self,
                            Rule::RequestParameterBecameOptional,
                            format!("the {place} became optional"),
                        ),
                        _ => {}
                    }
                    if let Some((rule, message)) = deprecation(
                        &Lifecycle::PARAMETER,
                        &format!("the {place}"),
                        parameter,
                        new,
                        self.policy,
                    ) {
                        flip(self, rule, message);
                    }
                    if parameter.get("description") != new.get("description") {
                        flip(
                            self,
                            Rule::RequestParameterDescriptionChanged,
                            format!("the description of the {place} changed"),
                        );
                    }
                    if let (Some(old_schema), Some(new_schema)) = (parameter.get("schema"), new.get("schema")) {
                        let first = self.changes.len();
                        schema::compare(
                            self,
                            Place::RequestParameter,
                            operation,
                            &place,
                            old_schema,
                            new_schema,
                            &format!("{pointer}/schema"),
                        );
                        // A required parameter is always sent, so its default changes nothing a client asks for
                        // (the registry's ERR is for an optional one, as oasdiff has it).
                        let required = flag(parameter, "required") || flag(new, "required");
                        for change in &mut self.changes[first..] {
                            if let Rule::Schema(Place::RequestParameter, rule) = change.rule
                                && matches!(
                                    rule,
                                    SchemaRule::DefaultValueAdded
                                        | SchemaRule::DefaultValueChanged
                                        | SchemaRule::DefaultValueRemoved
                                )
                                && required
                            {
                                change.level = Level::Info;
                            }
                        }
                    }
                }
            }
        }
        for (key, (parameter, index)) in &head {
            if base.contains_key(key) {
                continue;
            }
            let place = label(key, parameter);
            let pointer = format!("{at}/{index}");
            let (rule, message) = if key.0 == "path" {
                (Rule::NewRequestPathParameter, format!("the {place} was added"))
            } else if required(parameter) {
                (
                    Rule::NewRequiredRequestParameter,
                    format!("a required {place} was added"),
                )
            } else {
                (
                    Rule::NewOptionalRequestParameter,
                    format!("an optional {place} was added"),
                )
            };
            self.push(rule.level(), rule, operation, &place, &pointer, message);
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
                Level::Err,
                Rule::RequestBodyAddedRequired,
                operation,
                "request body",
                &pointer,
                "a required request body was added".to_string(),
            ),
            (None, Some(_)) => self.push(
                Level::Info,
                Rule::RequestBodyAddedOptional,
                operation,
                "request body",
                &pointer,
                "an optional request body was added".to_string(),
            ),
            (Some(_), None) => self.push(
                Level::Err,
                Rule::RequestBodyRemoved,
                operation,
                "request body",
                &pointer,
                "the request body was removed; the server may refuse clients that send one".to_string(),
            ),
            (Some(_), Some(_)) => match (required(base), required(head)) {
                (false, true) => self.push(
                    Level::Err,
                    Rule::RequestBodyBecameRequired,
                    operation,
                    "request body",
                    &format!("{pointer}/required"),
                    "the request body became required".to_string(),
                ),
                (true, false) => self.push(
                    Level::Info,
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
                    Level::Err,
                    Rule::ResponseSuccessStatusRemoved,
                    operation,
                    &place,
                    &pointer,
                    format!("the success status {status} was removed"),
                ),
                None => self.push(
                    Level::Info,
                    Rule::ResponseNonSuccessStatusRemoved,
                    operation,
                    &place,
                    &pointer,
                    format!("the status {status} was removed"),
                ),
                Some(new) => {
                    let (old, new) = (follow_in(self.base, response).0, follow_in(self.head, new).0);
                    self.headers(operation, &place, &pointer, old, new);
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
                Level::Info,
                rule,
                operation,
                &format!("{status} response"),
                &pointer,
                format!("the {what} {status} was added"),
            );
        }
    }

    /// A response's headers, matched case-insensitively.
    fn headers(&mut self, operation: &str, place: &str, pointer: &str, base: &'a Value, head: &'a Value) {
        let collect = |spec: &'a Value, response: &'a Value| -> BTreeMap<String, (String, &'a Value)> {
            response
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, header)| (name.to_ascii_lowercase(), (name.clone(), follow_in(spec, header).0)))
                .collect()
        };
        let (base, head) = (collect(self.base, base), collect(self.head, head));
        let required = |h: &Value| h.get("required").and_then(Value::as_bool).unwrap_or(false);
        for (key, (name, old)) in &base {
            let at = format!("{pointer}/headers/{}", escape(name));
            let place = format!("{place} header {name}");
            match head.get(key) {
                None => {
                    let rule = if required(old) {
                        Rule::RequiredResponseHeaderRemoved
                    } else {
                        Rule::OptionalResponseHeaderRemoved
                    };
                    self.push(
                        rule.level(),
                        rule,
                        operation,
                        &place,
                        &at,
                        format!("the header `{name}` was removed"),
                    );
                }
                Some((new_name, new)) => {
                    let at = format!("{pointer}/headers/{}", escape(new_name));
                    if required(old) && !required(new) {
                        self.push(
                            Level::Err,
                            Rule::ResponseHeaderBecameOptional,
                            operation,
                            &place,
                            &at,
                            format!("the header `{name}` is no longer always sent"),
                        );
                    }
                    if let (Some(b), Some(h)) = (old.get("schema"), new.get("schema")) {
                        schema::compare(
                            self,
                            Place::ResponseHeader,
                            operation,
                            &place,
                            b,
                            h,
                            &format!("{at}/schema"),
                        );
                    }
                }
            }
        }
        for (key, (name, _)) in &head {
            if !base.contains_key(key) {
                self.push(
                    Level::Info,
                    Rule::ResponseHeaderAdded,
                    operation,
                    &format!("{place} header {name}"),
                    &format!("{pointer}/headers/{}", escape(name)),
                    format!("the header `{name}` was added"),
                );
            }
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
                        Level::Err,
                        rule,
                        operation,
                        place,
                        &at,
                        format!("the {side} media type `{media_type}` was removed"),
                    );
                }
                Some(new) => {
                    let (added, removed) = match direction {
                        Direction::Request => (
                            Rule::RequestBodyMediaTypeSchemaAdded,
                            Rule::RequestBodyMediaTypeSchemaRemoved,
                        ),
                        Direction::Response => (
                            Rule::ResponseBodyMediaTypeSchemaAdded,
                            Rule::ResponseBodyMediaTypeSchemaRemoved,
                        ),
                    };
                    match (old.get("schema"), new.get("schema")) {
                        (None, Some(_)) => self.push(
                            added.level(),
                            added,
                            operation,
                            place,
                            &at,
                            format!("the {side} media type `{media_type}` got a schema"),
                        ),
                        (Some(_), None) => self.push(
                            removed.level(),
                            removed,
                            operation,
                            place,
                            &at,
                            format!("the {side} media type `{media_type}` lost its schema"),
                        ),
                        _ => {}
                    }
                    if let (Some(old_schema), Some(new_schema)) = (old.get("schema"), new.get("schema")) {
                        schema::compare(
                            self,
                            match direction {
                                Direction::Request => Place::RequestBody,
                                Direction::Response => Place::ResponseBody,
                            },
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
                Level::Info,
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

/// The rules of one kind of thing that can be deprecated with a sunset: an operation, a parameter,
/// a request property or a response property.
pub(crate) struct Lifecycle {
    deprecated: Rule,
    deprecated_with_sunset: Rule,
    reactivated: Rule,
    sunset_parse: Rule,
    sunset_missing: Rule,
    sunset_too_small: Rule,
    sunset_deleted: Rule,
    sunset_earlier: Rule,
    sunset_changed_too_small: Rule,
}

impl Lifecycle {
    const ENDPOINT: Lifecycle = Lifecycle {
        deprecated: Rule::EndpointDeprecated,
        deprecated_with_sunset: Rule::EndpointDeprecatedWithSunset,
        reactivated: Rule::EndpointReactivated,
        sunset_parse: Rule::ApiDeprecatedSunsetParse,
        sunset_missing: Rule::ApiDeprecatedSunsetMissing,
        sunset_too_small: Rule::ApiSunsetDateTooSmall,
        sunset_deleted: Rule::SunsetDeleted,
        sunset_earlier: Rule::ApiSunsetDateChangedEarlier,
        sunset_changed_too_small: Rule::ApiSunsetDateChangedTooSmall,
    };
    const PARAMETER: Lifecycle = Lifecycle {
        deprecated: Rule::RequestParameterDeprecated,
        // oasdiff names a parameter deprecated with a sunset as one deprecated without.
        deprecated_with_sunset: Rule::RequestParameterDeprecated,
        reactivated: Rule::RequestParameterReactivated,
        sunset_parse: Rule::RequestParameterSunsetParse,
        sunset_missing: Rule::RequestParameterDeprecatedSunsetMissing,
        sunset_too_small: Rule::RequestParameterSunsetDateTooSmall,
        sunset_deleted: Rule::RequestParameterSunsetDeleted,
        sunset_earlier: Rule::RequestParameterSunsetDateChangedEarlier,
        sunset_changed_too_small: Rule::RequestParameterSunsetDateChangedTooSmall,
    };
    pub(crate) const REQUEST_PROPERTY: Lifecycle = Lifecycle {
        deprecated: Rule::RequestPropertyDeprecated,
        deprecated_with_sunset: Rule::RequestPropertyDeprecatedWithSunset,
        reactivated: Rule::RequestPropertyReactivated,
        sunset_parse: Rule::RequestPropertyDeprecatedSunsetInvalid,
        sunset_missing: Rule::RequestPropertyDeprecatedSunsetMissing,
        sunset_too_small: Rule::RequestPropertySunsetDateTooSmall,
        sunset_deleted: Rule::RequestPropertySunsetDeleted,
        sunset_earlier: Rule::RequestPropertySunsetDateChangedEarlier,
        sunset_changed_too_small: Rule::RequestPropertySunsetDateChangedTooSmall,
    };
    pub(crate) const RESPONSE_PROPERTY: Lifecycle = Lifecycle {
        deprecated: Rule::ResponsePropertyDeprecated,
        deprecated_with_sunset: Rule::ResponsePropertyDeprecatedWithSunset,
        reactivated: Rule::ResponsePropertyReactivated,
        sunset_parse: Rule::ResponsePropertyDeprecatedSunsetInvalid,
        sunset_missing: Rule::ResponsePropertyDeprecatedSunsetMissing,
        sunset_too_small: Rule::ResponsePropertySunsetDateTooSmall,
        sunset_deleted: Rule::ResponsePropertySunsetDeleted,
        sunset_earlier: Rule::ResponsePropertySunsetDateChangedEarlier,
        sunset_changed_too_small: Rule::ResponsePropertySunsetDateChangedTooSmall,
    };
}

/// The deprecation or sunset change of something both sides have, if any, with its message. Under a policy
/// (`DeprecationPolicy`), a deprecation must carry a sunset at least the policy's days ahead for its stability level.
pub(crate) fn deprecation(
    kinds: &Lifecycle,
    what: &str,
    base: &Value,
    head: &Value,
    policy: DeprecationPolicy,
) -> Option<(Rule, String)> {
    let today = today();
    let days = policy.days(stability(head));
    // The earliest sunset the policy allows: today when there is none.
    let earliest = date_after(days);
    let notice = |date: &str| {
        if days == 0 {
            format!("{date}, which has passed")
        } else {
            format!("{date}, less than the {days} days' notice the deprecation policy asks (not before {earliest})")
        }
    };
    match (flag(base, "deprecated"), flag(head, "deprecated")) {
        (false, true) => Some(match sunset(head) {
            None if days > 0 => (
                kinds.sunset_missing,
                format!(
                    "{what} was deprecated without an x-sunset; the deprecation policy asks for one at least {days} days ahead"
                ),
            ),
            None => (kinds.deprecated, format!("{what} was deprecated")),
            Some(Err(text)) => (
                kinds.sunset_parse,
                format!("{what} was deprecated with the x-sunset {text:?}, which is not a date"),
            ),
            Some(Ok(date)) if date < today || (days > 0 && date < earliest) => (
                kinds.sunset_too_small,
                format!("{what} was deprecated with the sunset {}", notice(&date)),
            ),
            Some(Ok(date)) => (
                kinds.deprecated_with_sunset,
                format!("{what} was deprecated, with the sunset {date}"),
            ),
        }),
        (true, false) => Some((kinds.reactivated, format!("{what} is no longer deprecated"))),
        (true, true) => match (sunset(base), sunset(head)) {
            (Some(_), None) => Some((kinds.sunset_deleted, format!("{what} lost its sunset date"))),
            (_, Some(Err(text))) => Some((
                kinds.sunset_parse,
                format!("{what} has the x-sunset {text:?}, which is not a date"),
            )),
            (Some(Ok(old)), Some(Ok(new))) if new < old && (new < today || (days > 0 && new < earliest)) => Some((
                kinds.sunset_changed_too_small,
                format!("{what}'s sunset moved from {old} to {}", notice(&new)),
            )),
            (Some(Ok(old)), Some(Ok(new))) if new < old => Some((
                kinds.sunset_earlier,
                format!("{what}'s sunset moved earlier, from {old} to {new}"),
            )),
            _ => None,
        },
        (false, false) => None,
    }
}

/// How the removal of something that may have been deprecated is judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Removal {
    WithoutDeprecation,
    /// Deprecated, with a sunset still ahead (the date).
    BeforeSunset(String),
    /// Deprecated, with an `x-sunset` that is not a date (the text).
    BadSunset(String),
    /// Deprecated, with its sunset passed or none.
    WithDeprecation,
}

pub(crate) fn removal(removed: &Value) -> Removal {
    match (flag(removed, "deprecated"), sunset(removed)) {
        (false, _) => Removal::WithoutDeprecation,
        (true, Some(Err(text))) => Removal::BadSunset(text),
        (true, Some(Ok(date))) if date > today() => Removal::BeforeSunset(date),
        (true, _) => Removal::WithDeprecation,
    }
}

/// A path with its parameter names left out, which is how two versions' paths are matched.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            c => out.push(c),
        }
    }
    out
}

/// The names of a path's template parameters, in order.
fn path_parameters(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

pub(crate) fn flag(value: &Value, keyword: &str) -> bool {
    value.get(keyword).and_then(Value::as_bool).unwrap_or(false)
}

/// `x-stability-level`, ordered from the least stable; absent is stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stability {
    Draft,
    Alpha,
    Beta,
    Stable,
}

impl Stability {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Alpha => "alpha",
            Self::Beta => "beta",
            Self::Stable => "stable",
        }
    }
}

/// The stability level of an operation or property; `None` when it is not one of the four.
pub(crate) fn stability(value: &Value) -> Option<Stability> {
    match value.get("x-stability-level") {
        None => Some(Stability::Stable),
        Some(level) => match level.as_str()? {
            "draft" => Some(Stability::Draft),
            "alpha" => Some(Stability::Alpha),
            "beta" => Some(Stability::Beta),
            "stable" => Some(Stability::Stable),
            _ => None,
        },
    }
}

/// The `x-sunset` of an operation as `YYYY-MM-DD` (a date, or the date of an RFC 3339
/// date-time), or the text that is neither; `None` when there is none.
fn sunset(op: &Value) -> Option<std::result::Result<String, String>> {
    let value = op.get("x-sunset")?;
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    let date = text.get(..10).unwrap_or("");
    let digits = |r: std::ops::Range<usize>| date.get(r).is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = text
        .get(10..)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['T', 't']));
    let ok = date.len() == 10
        && digits(0..4)
        && &date[4..5] == "-"
        && digits(5..7)
        && &date[7..8] == "-"
        && digits(8..10)
        && (1..=12).contains(&date[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&date[8..10].parse::<u32>().unwrap_or(0))
        && rest_ok;
    Some(if ok { Ok(date.to_string()) } else { Err(text) })
}

/// Today's date (UTC) as `YYYY-MM-DD`, which compares with sunsets as text.
fn today() -> String {
    date_after(0)
}

/// The date (UTC) `ahead` days from today, as `YYYY-MM-DD`.
fn date_after(ahead: u32) -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64
        + i64::from(ahead);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
    let only_descriptions = changes.iter().all(|c| {
        matches!(
            c.rule,
            Rule::ApiDescriptionChanged | Rule::DescriptionChanged | Rule::RequestParameterDescriptionChanged
        )
    });
    // A break of either kind needs a major bump: the wire's, and a name gone from the generated clients.
    let wire = changes.iter().any(|c| c.breaks.contains(&Break::Wire));
    let code = changes.iter().any(|c| c.breaks.contains(&Break::GeneratedCode));
    let why = match (wire, code) {
        (true, true) => " (breaking on the wire and for code built on the generated clients)",
        (true, false) => " (breaking on the wire)",
        (false, true) => " (breaking for code built on the generated clients, though not on the wire)",
        (false, false) => "",
    };
    let required = if wire || code {
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
                    "info.version {base_version} → {head_version} is a {bump} bump; the changes need {required}{why}"
                ),
                _ => format!(
                    "info.version {base_version} → {head_version} is not enough: the changes need a {required} bump{why}"
                ),
            };
            (ok, message)
        }
        _ => (
            required == Bump::None,
            format!(
                "info.version `{base_version}` → `{head_version}` is not semver, so the {required} bump the changes need{why} \
                 cannot be checked; for an API versioned by date or otherwise, pass `--versioning none` \
                 (or set `versioning: none` under `diff:` in openapi-toolkit.yaml)"
            ),
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
