//! The lint: structural rules, example validation and generator traps for an OpenAPI 3.0 document.

mod rules;
mod rules_more;
pub mod sarif;
pub mod structure;
mod version;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use crate::document::{Document, Operation, escape};
pub use rules::{Area, Base, Kind, Level, Rule, Ruleset, Severity, level_name, parse_level};
pub use sarif::LintFormat;

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Where in the document, as a JSON pointer.
    pub pointer: String,
    pub message: String,
    /// Line and column in the file, where the index knows them.
    pub position: Option<(usize, usize)>,
}

/// The findings for a document with the recommended ruleset (house style off), sorted by place.
pub fn lint(document: &Document) -> Vec<Finding> {
    lint_with(document, &Ruleset::recommended())
}

/// The findings for a document with each rule at its level in `ruleset`, sorted by place.
pub fn lint_with(document: &Document, ruleset: &Ruleset) -> Vec<Finding> {
    let mut lint = Lint {
        doc: document,
        spec: document.value(),
        ruleset,
        findings: Vec::new(),
    };
    lint.document();
    let mut findings = lint.findings;
    // A keyword of another OpenAPI version also fails the official schema at the same place; one defect is one
    // finding, and the version rule's message says what to write instead.
    let misplaced: BTreeSet<String> = findings
        .iter()
        .filter(|finding| finding.rule == Rule::VersionKeyword)
        .map(|finding| finding.pointer.clone())
        .collect();
    findings.retain(|finding| finding.rule != Rule::Structure || !misplaced.contains(&finding.pointer));
    for finding in &mut findings {
        // A part joined from another file is placed in that file, which the message names.
        match document.external().locate(&finding.pointer) {
            Some((file, position)) => {
                let place = position.map_or(String::new(), |(line, column)| format!(":{line}:{column}"));
                finding.message = format!("{} (in {file}{place})", finding.message);
            }
            None => finding.position = document.locate(&finding.pointer),
        }
    }
    // The parsed value keeps one of the two entries, so duplicates are found in the text, each at its own line.
    let duplicates = ruleset
        .level(Rule::DuplicateKey)
        .map_or(&[][..], |_| document.lines().duplicates());
    for duplicate in duplicates {
        findings.push(Finding {
            rule: Rule::DuplicateKey,
            severity: ruleset.level(Rule::DuplicateKey).unwrap_or(Severity::Error),
            pointer: duplicate.pointer.clone(),
            message: format!(
                "the key `{}` is already used in this mapping at line {}",
                duplicate.key, duplicate.first.0
            ),
            position: Some(duplicate.position),
        });
    }
    findings.sort_by(|a, b| {
        (a.position, a.rule.id(), &a.pointer, &a.message).cmp(&(b.position, b.rule.id(), &b.pointer, &b.message))
    });
    // A path-level parameter is checked with each operation of its path; one finding is enough.
    findings.dedup_by(|a, b| (a.rule, &a.pointer, &a.message) == (b.rule, &b.pointer, &b.message));
    findings
}

/// How many findings are errors, and how many are warnings (information is neither, as SARIF's notes are not).
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let (errors, warnings, _) = tally(findings);
    (errors, warnings)
}

/// How many findings are errors, warnings and information.
pub fn tally(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    (count(Severity::Error), count(Severity::Warning), count(Severity::Info))
}

/// "2 error(s), 1 warning(s)", with ", 3 info" when there is information.
pub fn counts_text(findings: &[Finding]) -> String {
    let (errors, warnings, infos) = tally(findings);
    let info = if infos > 0 {
        format!(", {infos} info")
    } else {
        String::new()
    };
    format!("{errors} error(s), {warnings} warning(s){info}")
}

/// One line per rule that found something, most findings first: what a big document's report is about.
pub fn summary_by_rule(findings: &[Finding]) -> String {
    let mut by_rule: BTreeMap<(Rule, Severity), usize> = BTreeMap::new();
    for finding in findings {
        *by_rule.entry((finding.rule, finding.severity)).or_default() += 1;
    }
    let mut rows: Vec<((Rule, Severity), usize)> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    writeln!(
        out,
        "by rule (see one with `--rule ID`, one level with `--level LEVEL`):"
    )
    .unwrap();
    for ((rule, severity), count) in rows {
        writeln!(out, "{count:>7}  {:7}  {}", severity.name(), rule.id()).unwrap();
    }
    out
}

/// Compiler-like text: one block per finding, then a summary line.
pub fn render(file: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let place = f
            .position
            .map_or(String::new(), |(line, column)| format!(":{line}:{column}"));
        let pointer = if f.pointer.is_empty() { "/" } else { &f.pointer };
        writeln!(
            out,
            "{}[{}]: {}\n  --> {file}{place} (at {pointer})",
            f.severity.name(),
            f.rule.id(),
            f.message
        )
        .unwrap();
    }
    if findings.is_empty() {
        writeln!(out, "{file}: no findings").unwrap();
    } else {
        writeln!(out, "{file}: {}", counts_text(findings)).unwrap();
    }
    out
}

/// The registry as `lint --rules` prints it: id, this project's severity, the recommended default level, why the
/// rule exists, where it applies, what it checks.
pub fn rules_table() -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{:32} {:8} {:11} {:12} {:10} description",
        "rule", "strict", "recommended", "kind", "area"
    )
    .unwrap();
    for rule in Rule::ALL {
        writeln!(
            out,
            "{:32} {:8} {:11} {:12} {:10} {}",
            rule.id(),
            rule.severity().name(),
            level_name(rule.default_level()),
            rule.kind().name(),
            rule.area().name(),
            rule.description()
        )
        .unwrap();
    }
    out
}

struct Lint<'a> {
    doc: &'a Document,
    spec: &'a Value,
    ruleset: &'a Ruleset,
    findings: Vec<Finding>,
}

impl<'a> Lint<'a> {
    fn on(&self, rule: Rule) -> bool {
        self.ruleset.is_on(rule)
    }

    fn report(&mut self, rule: Rule, pointer: impl Into<String>, message: impl Into<String>) {
        let Some(severity) = self.ruleset.level(rule) else {
            return;
        };
        self.findings.push(Finding {
            rule,
            severity,
            pointer: pointer.into(),
            message: message.into(),
            position: None,
        });
    }

    fn document(&mut self) {
        let spec = self.spec;
        match self.doc.version() {
            Ok(version) => {
                if self.on(Rule::VersionKeyword) || self.on(Rule::SchemaExampleDeprecated) {
                    self.version_keywords(version);
                }
            }
            Err(unknown) => {
                let message = match &unknown.found {
                    Some(found) => format!(
                        "{found:?} is not an OpenAPI version the toolkit reads (3.0.x, 3.1.x, 3.2.x), so nothing else is checked"
                    ),
                    None => "the `openapi` version field is missing, so nothing else is checked".to_string(),
                };
                self.report(Rule::OpenapiVersion, unknown.pointer, message);
                // Reading it with another version's meanings would give findings that are wrong in ways nobody can see.
                return;
            }
        }
        if spec.get("servers").and_then(Value::as_array).is_none_or(Vec::is_empty) {
            self.report(
                Rule::Servers,
                "/servers",
                "the document lists no server, so clients have no default base URL",
            );
        }
        if self.on(Rule::RefResolves) {
            self.refs(spec, "");
        }
        if self.on(Rule::Structure) {
            for problem in structure::check(spec) {
                self.report(Rule::Structure, problem.pointer, problem.message);
            }
        }
        self.operations();
        self.more_rules();
        self.ambiguous_paths();
        self.schemas();
        if self.on(Rule::SchemaCycle) {
            self.cycles();
        }
        if [
            Rule::ExampleValid,
            Rule::ExampleUnchecked,
            Rule::ExampleUndeclaredProperty,
        ]
        .iter()
        .any(|rule| self.on(*rule))
        {
            self.examples();
        }
    }

    fn refs(&mut self, node: &Value, pointer: &str) {
        match node {
            Value::Object(object) => {
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    let resolves = reference
                        .strip_prefix('#')
                        .is_some_and(|target| self.spec.pointer(target).is_some());
                    let unfollowed = self.doc.external().unfollowed.iter().find(|u| u.pointer == pointer);
                    if let Some(unfollowed) = unfollowed {
                        // The place (this file's line, or another file's named in the message) is added with every
                        // finding's.
                        let message = format!("`{reference}` is not followed: {}", unfollowed.reason);
                        self.report(Rule::RefResolves, format!("{pointer}/$ref"), message);
                    } else if !resolves && !reference.starts_with('#') {
                        self.report(
                            Rule::RefResolves,
                            format!("{pointer}/$ref"),
                            format!("`{reference}` points into another file, which is followed only when the document is read from a file"),
                        );
                    } else if !resolves {
                        self.report(
                            Rule::RefResolves,
                            format!("{pointer}/$ref"),
                            format!("`{reference}` does not resolve in this document"),
                        );
                    }
                }
                for (key, child) in object {
                    // Example values are data, not document structure.
                    if key != "example" && key != "examples" || child.get("$ref").is_some() {
                        self.refs(child, &format!("{pointer}/{}", escape(key)));
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.refs(child, &format!("{pointer}/{index}"));
                }
            }
            _ => {}
        }
    }

    fn operations(&mut self) {
        let spec = self.spec;
        let schemes = spec.pointer("/components/securitySchemes").and_then(Value::as_object);
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        // Webhooks' operations too (OpenAPI 3.1 on): every operation rule holds for them.
        for op in self.doc.all_operations() {
            let operation = op.value;
            let at = op.pointer();
            let name = op.name();

            match operation.get("operationId").and_then(Value::as_str) {
                None => self.report(Rule::OperationId, at.clone(), format!("{name} has no operationId")),
                Some(id) => {
                    if !is_snake_case(id) {
                        self.report(
                            Rule::OperationIdSnakeCase,
                            format!("{at}/operationId"),
                            format!("operationId `{id}` is not snake_case"),
                        );
                    }
                    if let Some(first) = operation_ids.insert(id.to_string(), at.clone()) {
                        self.report(
                            Rule::OperationId,
                            format!("{at}/operationId"),
                            format!("operationId `{id}` is also used at {first}"),
                        );
                    }
                }
            }
            for (field, rule) in [
                ("summary", Rule::OperationSummary),
                ("description", Rule::OperationDescription),
            ] {
                if operation
                    .get(field)
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    self.report(rule, at.clone(), format!("{name} has no {field}"));
                }
            }

            match operation.get("security").or_else(|| spec.get("security")) {
                None => self.report(
                    Rule::OperationSecurity,
                    at.clone(),
                    format!("{name} declares no security, and the document sets none"),
                ),
                Some(requirements) => {
                    let security_at = if operation.get("security").is_some() {
                        format!("{at}/security")
                    } else {
                        "/security".to_string()
                    };
                    for (index, requirement) in requirements.as_array().into_iter().flatten().enumerate() {
                        for (scheme, scopes) in requirement.as_object().into_iter().flatten() {
                            let kind = schemes
                                .and_then(|s| s.get(scheme))
                                .map(|s| self.doc.follow(s))
                                .and_then(|s| s.get("type"))
                                .and_then(Value::as_str);
                            let listed = scopes.as_array().map_or(0, Vec::len);
                            if listed > 0 && kind.is_some_and(|k| k != "oauth2" && k != "openIdConnect") {
                                self.report(
                                    Rule::SecurityScopes,
                                    format!("{security_at}/{index}/{}", escape(scheme)),
                                    format!(
                                        "the security scheme `{scheme}` is of type {}, which has no scopes, yet {listed} scope(s) are listed; the list must be empty",
                                        kind.unwrap_or_default()
                                    ),
                                );
                            }
                            if !schemes.is_some_and(|s| s.contains_key(scheme)) {
                                self.report(
                                    Rule::OperationSecurity,
                                    format!("{security_at}/{index}/{}", escape(scheme)),
                                    format!("security scheme `{scheme}` is not in components.securitySchemes"),
                                );
                            }
                        }
                    }
                }
            }

            let parameters = op.parameters();
            // A webhook is keyed by a name, not a path template, so it has no path parameters to match.
            if op.item.root == crate::document::Root::Paths {
                self.path_parameters(&op, &parameters);
            }
            for (parameter, pointer) in &parameters {
                let is_authorization = parameter.get("in").and_then(Value::as_str) == Some("header")
                    && parameter
                        .get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("authorization"));
                if is_authorization {
                    self.report(
                        Rule::AuthorizationHeaderParameter,
                        pointer.clone(),
                        "an `Authorization` header parameter is ignored by OpenAPI tools; describe it as a security scheme",
                    );
                }
            }

            if let Some(content) = operation
                .get("requestBody")
                .map(|b| self.doc.follow(b))
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                && content.len() > 1
            {
                let types: Vec<&str> = content.keys().map(String::as_str).collect();
                self.report(
                    Rule::RequestMediaTypes,
                    format!("{at}/requestBody/content"),
                    format!(
                        "the request body has {} media types ({}); the generator takes one",
                        types.len(),
                        types.join(", ")
                    ),
                );
            }

            self.responses(operation, &at);
        }
    }

    /// The template's names and the declared path parameters must be the same set: the generator
    /// panics on a name nobody declares, and turns a declared name the template lacks into a
    /// required argument that no URL uses.
    fn path_parameters(&mut self, op: &Operation<'a>, parameters: &[(&'a Value, String)]) {
        let path = op.item.path;
        let template: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        // Operation parameters come last and override path-level ones with the same name.
        let mut declared: BTreeMap<&str, &str> = BTreeMap::new();
        for (parameter, pointer) in parameters {
            if parameter.get("in").and_then(Value::as_str) == Some("path")
                && let Some(name) = parameter.get("name").and_then(Value::as_str)
            {
                declared.insert(name, pointer);
            }
        }
        for name in &template {
            if !declared.contains_key(name) {
                self.report(
                    Rule::PathParameters,
                    op.pointer(),
                    format!(
                        "{} names `{{{name}}}` in its path, but no `in: path` parameter declares it",
                        op.name()
                    ),
                );
            }
        }
        for (name, pointer) in declared {
            if !template.contains(&name) {
                self.report(
                    Rule::PathParameters,
                    pointer,
                    format!("the path parameter `{name}` is not in the path template {path}"),
                );
            }
        }
    }

    fn responses(&mut self, operation: &'a Value, at: &str) {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            return;
        };
        if !responses.keys().any(|status| status.starts_with('4')) {
            self.report(
                Rule::Operation4xxResponse,
                format!("{at}/responses"),
                "no 4xx response is described, so clients cannot tell how a bad request fails",
            );
        }
        let mut error_schemas: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (status, response) in responses {
            let response = self.doc.follow(response);
            let content = response
                .get("content")
                .and_then(Value::as_object)
                .filter(|c| !c.is_empty());
            let is_error = status == "default" || status.starts_with('4') || status.starts_with('5');
            if status == "default" && content.is_none() {
                self.report(
                    Rule::DefaultResponseBody,
                    format!("{at}/responses/default"),
                    "the `default` response has no body, so its errors cannot be decoded",
                );
            }
            if is_error {
                let schema = content
                    .and_then(|c| c.values().next())
                    .and_then(|media| media.get("schema"))
                    .map_or_else(|| "no body".to_string(), |schema| schema.to_string());
                error_schemas.entry(schema).or_default().push(status);
            }
        }
        if error_schemas.len() > 1 {
            let groups: Vec<String> = error_schemas
                .iter()
                .map(|(schema, statuses)| format!("{} → {schema}", statuses.join(", ")))
                .collect();
            self.report(
                Rule::ErrorSchemasDiffer,
                format!("{at}/responses"),
                format!(
                    "error responses name different schemas ({}); progenitor panics on this: combine them with oneOf",
                    groups.join("; ")
                ),
            );
        }
    }

    fn schemas(&mut self) {
        let spec = self.spec;
        if let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) {
            for (name, schema) in schemas {
                let at = format!("/components/schemas/{}", escape(name));
                if schema.get("$ref").is_none() && schema.get("description").is_none() {
                    self.report(
                        Rule::SchemaDescription,
                        at.clone(),
                        format!("schema `{name}` has no description"),
                    );
                }
                self.schema(schema, &at);
            }
        }
        // Inline schemas of parameters, headers, bodies and responses, found by the document's structure (a map
        // entry called `schema` is not always one).
        for (at, schema, _) in openapi_check::schema_places(spec) {
            self.schema(schema, &at);
        }
    }

    fn schema(&mut self, schema: &Value, at: &str) {
        let Some(object) = schema.as_object() else { return };
        if object.get("nullable") == Some(&Value::Bool(true)) && !object.contains_key("type") {
            self.report(
                Rule::NullableType,
                format!("{at}/nullable"),
                "`nullable: true` without a `type` in the same schema has no effect in OpenAPI 3.0.3; give the type next to it",
            );
        }
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let property_at = format!("{at}/properties/{}", escape(name));
                if property.get("$ref").is_none() && property.get("description").is_none() {
                    self.report(
                        Rule::SchemaDescription,
                        property_at.clone(),
                        format!("property `{name}` has no description"),
                    );
                }
                self.schema(property, &property_at);
            }
            match object.get("additionalProperties") {
                None | Some(Value::Bool(true)) if !properties.is_empty() => self.report(
                    Rule::ExtraFieldsDropped,
                    at.to_string(),
                    "typify drops fields not named in `properties` without a word; say `additionalProperties: false` to refuse them or `additionalProperties: {}` to keep them",
                ),
                _ => {}
            }
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if let Some(sub) = object.get(keyword).filter(|s| s.is_object()) {
                self.schema(sub, &format!("{at}/{keyword}"));
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
                self.schema(sub, &format!("{at}/{keyword}/{index}"));
            }
        }
    }

    /// Cycles among component schemas where each link is one the value must contain: the schema is
    /// a `$ref` to the next, has it as an allOf member, or requires a property of that type. A
    /// nullable schema, an optional property, an array or a oneOf alternative is a base case, so a
    /// cycle through one of them is a fine recursive type; a cycle without one has no finite value,
    /// yet the generator writes a type for it.
    fn cycles(&mut self) {
        let Some(schemas) = self.spec.pointer("/components/schemas").and_then(Value::as_object) else {
            return;
        };
        let edges: BTreeMap<&str, BTreeSet<&str>> = schemas
            .iter()
            .map(|(name, schema)| {
                let mut out = BTreeSet::new();
                contained_components(schema, &mut out);
                (name.as_str(), out)
            })
            .collect();
        // Depth-first search; each cycle is reported once, at the schema where the search closed it.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
        let mut cycles: Vec<Vec<&str>> = Vec::new();
        for start in edges.keys() {
            if marks.contains_key(start) {
                continue;
            }
            // An explicit stack of (schema, its remaining successors), so that depth costs no recursion.
            let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, edges[start].iter().copied().collect())];
            marks.insert(start, Mark::Open);
            while let Some((node, successors)) = stack.last_mut() {
                let node = *node;
                let Some(next) = successors.pop() else {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                    continue;
                };
                match marks.get(next) {
                    Some(Mark::Done) => {}
                    Some(Mark::Open) => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        cycles.push(stack[from..].iter().map(|(n, _)| *n).collect());
                    }
                    None if edges.contains_key(next) => {
                        marks.insert(next, Mark::Open);
                        stack.push((next, edges[next].iter().copied().collect()));
                    }
                    None => {}
                }
            }
        }
        for cycle in cycles {
            let path: Vec<String> = cycle.iter().chain(cycle.first()).map(|n| format!("`{n}`")).collect();
            self.report(
                Rule::SchemaCycle,
                format!("/components/schemas/{}", escape(cycle[0])),
                format!(
                    "{}: each must contain the next, so no finite value exists; make one link optional, nullable or an array",
                    path.join(" → ")
                ),
            );
        }
    }

    fn examples(&mut self) {
        let spec = self.spec;
        let examples = match openapi_check::spec_examples(spec) {
            Ok(examples) => examples,
            Err(err) => return self.report(Rule::ExampleValid, err.pointer.clone(), err.to_string()),
        };
        let mut checker = openapi_check::Checker::new(spec);
        let check = self.on(Rule::ExampleValid) || self.on(Rule::ExampleUnchecked);
        let mut results = if check {
            checker.check_all(&examples).into_iter()
        } else {
            Vec::new().into_iter()
        };
        for example in &examples {
            if self.on(Rule::ExampleUndeclaredProperty) {
                let mut undeclared = Vec::new();
                undeclared_properties(spec, &example.schema, &example.value, "", &mut undeclared, 0);
                for (inside, name) in undeclared {
                    self.report(
                        Rule::ExampleUndeclaredProperty,
                        format!("{}{inside}", example.pointer),
                        format!(
                            "{} has a property `{name}` that its schema does not declare (a typo, or a field the schema lacks)",
                            example.label
                        ),
                    );
                }
            }
            if !check {
                continue;
            }
            let Some(result) = results.next() else { continue };
            let violations = match result {
                Ok(violations) => violations,
                Err(err) => {
                    self.report(
                        Rule::ExampleValid,
                        example.pointer.clone(),
                        format!("{} cannot be checked: {err}", example.label),
                    );
                    continue;
                }
            };
            for violation in violations {
                let inside = if violation.instance_path.is_empty() {
                    "as a whole".to_string()
                } else {
                    format!("at {}", violation.instance_path)
                };
                self.report(
                    Rule::ExampleValid,
                    format!("{}{}", example.pointer, violation.instance_path),
                    format!(
                        "{} breaks its schema {inside}: {} (schema rule {})",
                        example.label, violation.message, violation.schema_path
                    ),
                );
            }
        }
        for note in checker.notes() {
            self.report(
                Rule::ExampleUnchecked,
                note.pointer,
                format!("examples of this schema cannot be checked exactly: {}", note.message),
            );
        }
    }

    /// Path templates that match the same URL with neither more specific than the other: the same template with
    /// other parameter names (`/a/{x}` and `/a/{y}`), or literals and parameters crossed (`/{a}/b` and `/a/{b}`).
    /// `/users/me` beside `/users/{id}` is fine: OpenAPI matches the concrete path first.
    fn ambiguous_paths(&mut self) {
        if !self.on(Rule::AmbiguousPaths) {
            return;
        }
        let items = self.doc.path_items();
        let shapes: Vec<Vec<Option<&str>>> = items
            .iter()
            .map(|item| {
                item.path
                    .trim_end_matches('/')
                    .split('/')
                    .map(|segment| (!segment.contains('{')).then_some(segment))
                    .collect()
            })
            .collect();
        // Paths only clash with paths of as many segments: group them so a large document is not compared pairwise.
        let mut by_length: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (index, shape) in shapes.iter().enumerate() {
            by_length.entry(shape.len()).or_default().push(index);
        }
        for group in by_length.values() {
            for (position, &a) in group.iter().enumerate() {
                for &b in &group[..position] {
                    let (mut a_more, mut b_more, mut clash) = (false, false, true);
                    for (x, y) in shapes[a].iter().zip(&shapes[b]) {
                        match (x, y) {
                            (Some(x), Some(y)) if x != y => clash = false,
                            (Some(_), None) => a_more = true,
                            (None, Some(_)) => b_more = true,
                            _ => {}
                        }
                    }
                    if clash && a_more == b_more {
                        let how = if a_more {
                            "each is more specific in some segment"
                        } else {
                            "they differ only in parameter names"
                        };
                        self.report(
                            Rule::AmbiguousPaths,
                            items[a].pointer(),
                            format!(
                                "`{}` and `{}` match the same URLs ({how}), so a server cannot tell which one a request is for",
                                items[a].path, items[b].path
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The properties of `value` (and of the objects inside it) that `schema` does not declare, where the schema does
/// not say `additionalProperties`: JSON Schema lets them through, but in an example they are a typo or a stale
/// field. Where the schema says `additionalProperties: false` the example check reports them already; where it
/// allows them, or the object is a `oneOf`/`anyOf` whose member cannot be told, nothing is said.
fn undeclared_properties(
    spec: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    out: &mut Vec<(String, String)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let schema = crate::document::follow_in(spec, schema).0;
    match value {
        Value::Object(object) => {
            let mut declared: BTreeMap<&str, &Value> = BTreeMap::new();
            let mut open = false;
            collect_declared(spec, schema, &mut declared, &mut open, 0);
            for (name, item) in object {
                match declared.get(name.as_str()) {
                    Some(property) => {
                        undeclared_properties(spec, property, item, &format!("{at}/{}", escape(name)), out, depth + 1)
                    }
                    None if !open => out.push((format!("{at}/{}", escape(name)), name.clone())),
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    undeclared_properties(spec, item_schema, item, &format!("{at}/{index}"), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The properties a schema declares through itself and its allOf members; `open` when anything may be added (no
/// `properties` at all, `additionalProperties` said, or a oneOf/anyOf that cannot be resolved without the value).
fn collect_declared<'v>(
    spec: &'v Value,
    schema: &'v Value,
    declared: &mut BTreeMap<&'v str, &'v Value>,
    open: &mut bool,
    depth: usize,
) {
    let schema = crate::document::follow_in(spec, schema).0;
    let Some(object) = schema.as_object() else {
        *open = true;
        return;
    };
    if depth > 32
        || object.contains_key("additionalProperties")
        || object.contains_key("oneOf")
        || object.contains_key("anyOf")
    {
        *open = true;
    }
    let members = object.get("allOf").and_then(Value::as_array);
    match object.get("properties").and_then(Value::as_object) {
        Some(properties) => declared.extend(properties.iter().map(|(k, v)| (k.as_str(), v))),
        None if members.is_none() => *open = true,
        None => {}
    }
    for member in members.into_iter().flatten() {
        collect_declared(spec, member, declared, open, depth + 1);
    }
}

/// The component schemas that every value of `schema` contains: its `$ref`, its allOf members,
/// and the schemas of its required properties, unless the schema itself may be null.
fn contained_components<'v>(schema: &'v Value, out: &mut BTreeSet<&'v str>) {
    let Some(object) = schema.as_object() else { return };
    if object.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    if let Some(name) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        out.insert(name);
        return;
    }
    for member in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        contained_components(member, out);
    }
    let properties = object.get("properties").and_then(Value::as_object);
    for name in object.get("required").and_then(Value::as_array).into_iter().flatten() {
        if let Some(property) = name.as_str().and_then(|n| properties?.get(n)) {
            contained_components(property, out);
        }
    }
}

fn is_snake_case(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.contains("__")
        && !id.ends_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/lint/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// This project's ruleset, house style included, so that every rule runs on its fixture.
    fn lint_text(file: &str, text: &str) -> Vec<Finding> {
        lint_with(&Document::parse(file, text).unwrap(), &Ruleset::strict())
    }

    /// Each rule has a fixture named after it that triggers it (and only rules it means to), with
    /// its report pinned.
    #[test]
    fn every_rule_has_a_fixture_that_triggers_it() {
        for rule in Rule::ALL {
            let rule = rule.id();
            let text = fixture(&format!("{rule}.yaml"));
            let file = format!("fixtures/lint/{rule}.yaml");
            let findings = lint_text(&file, &text);
            assert!(
                findings.iter().any(|f| f.rule.id() == rule),
                "{file} does not trigger {rule}:\n{}",
                render(&file, &findings)
            );
            insta::assert_snapshot!(format!("lint_{rule}"), render(&file, &findings));
        }
    }

    /// OpenAPI 3.1 is read with its own meanings: the clean fixture in 3.1 has no finding, a wrong entry of a schema's
    /// `examples` list is checked against JSON Schema 2020-12, and a webhook's operation is held to the operation rules.
    #[test]
    fn a_31_document_is_linted_with_31_meanings() {
        let clean = fixture("clean-3.1.yaml");
        let findings = lint_text("clean-3.1.yaml", &clean);
        assert!(findings.is_empty(), "{}", render("clean-3.1.yaml", &findings));

        let wrong = clean.replace("examples: [a, bee]", "examples: [a, 12, waytoolongforten]");
        let findings = lint_text("a.yaml", &wrong);
        let valid: Vec<_> = findings.iter().filter(|f| f.rule == Rule::ExampleValid).collect();
        assert_eq!(valid.len(), 2, "{}", render("a.yaml", &findings));
        assert!(valid[0].pointer.ends_with("/properties/name/examples/1"), "{valid:?}");
        assert!(valid[1].pointer.ends_with("/properties/name/examples/2"), "{valid:?}");

        // `const` and a numeric bound are 2020-12 keywords, which the 3.0 translation would not apply.
        let wrong = clean.replace(
            "value: {name: a, kind: thing, note: null}",
            "value: {name: a, kind: other, size: 0}",
        );
        let findings = lint_text("a.yaml", &wrong);
        let messages: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == Rule::ExampleValid)
            .map(|f| f.pointer.as_str())
            .collect();
        assert!(
            messages.iter().any(|p| p.ends_with("/value/kind")),
            "{}",
            render("a.yaml", &findings)
        );
        assert!(
            messages.iter().any(|p| p.ends_with("/value/size")),
            "{}",
            render("a.yaml", &findings)
        );

        let webhook_without_id = clean.replace("      operationId: thing_created\n", "");
        let findings = lint_text("a.yaml", &webhook_without_id);
        assert!(
            findings
                .iter()
                .any(|f| f.rule == Rule::OperationId && f.pointer == "/webhooks/thingCreated/post"),
            "{}",
            render("a.yaml", &findings)
        );
        let broken_ref = clean.replace(
            "$ref: '#/components/schemas/Error'\ncomponents",
            "$ref: '#/components/schemas/Nope'\ncomponents",
        );
        let findings = lint_text("a.yaml", &broken_ref);
        assert!(
            findings
                .iter()
                .any(|f| f.rule == Rule::RefResolves && f.pointer.starts_with("/webhooks/")),
            "{}",
            render("a.yaml", &findings)
        );
    }

    /// A 3.1 keyword in a 3.0 document is named at its place, not ignored as a 3.0 reader would.
    #[test]
    fn a_31_keyword_in_a_30_document_is_named() {
        let findings = lint_text("a.yaml", &fixture("version-keyword-3.0.yaml"));
        let places: Vec<&str> = findings
            .iter()
            .filter(|f| f.rule == Rule::VersionKeyword)
            .map(|f| f.pointer.as_str())
            .collect();
        assert_eq!(
            places,
            [
                "/webhooks",
                "/components/schemas/Thing/properties/name/type",
                "/components/schemas/Thing/properties/name/const",
            ]
        );
    }

    #[test]
    fn the_clean_fixture_has_no_findings() {
        let findings = lint_text("clean.yaml", &fixture("clean.yaml"));
        assert!(findings.is_empty(), "{}", render("clean.yaml", &findings));
    }

    /// A recursive type with a base case (an optional property, an array, null, a oneOf
    /// alternative) has finite values and is not a cycle; the same type with every link required is.
    #[test]
    fn only_cycles_without_a_base_case_are_errors() {
        let clean = fixture("clean.yaml");
        let with = |node: &str| {
            let schemas = format!(
                "  schemas:\n    Node:\n      description: A node.\n      type: object\n{node}      additionalProperties: false\n"
            );
            let text = clean.replacen("  schemas:\n", &schemas, 1);
            lint_text("node.yaml", &text)
                .into_iter()
                .filter(|f| f.rule == Rule::SchemaCycle)
                .count()
        };
        let link =
            |schema: &str| format!("      properties:\n        next:\n          description: The next.\n{schema}");
        let by_ref = "          allOf:\n            - $ref: '#/components/schemas/Node'\n";
        assert_eq!(with(&link(by_ref)), 0, "an optional property");
        assert_eq!(
            with(&format!("      required: [next]\n{}", link(by_ref))),
            1,
            "a required property"
        );
        assert_eq!(
            with(&format!(
                "      required: [next]\n{}",
                link("          type: array\n          items:\n            $ref: '#/components/schemas/Node'\n")
            )),
            0,
            "an array"
        );
        assert_eq!(
            with(&format!(
                "      required: [next]\n{}          nullable: true\n",
                link(by_ref)
            )),
            0,
            "a nullable property"
        );
        assert_eq!(
            with(&format!(
                "      required: [next]\n{}",
                link("          oneOf:\n            - $ref: '#/components/schemas/Node'\n            - type: string\n")
            )),
            0,
            "a oneOf with another alternative"
        );
    }

    /// Another team's document gets no house style without a configuration; this project's ruleset keeps it, and
    /// a configuration can turn any rule off or on at any level.
    #[test]
    fn house_style_is_off_by_default_and_on_in_the_strict_ruleset() {
        let text = fixture("operation-id-snake-case.yaml");
        let document = Document::parse("a.yaml", text.as_str()).unwrap();
        let has = |ruleset: &Ruleset| {
            lint_with(&document, ruleset)
                .iter()
                .any(|f| f.rule == Rule::OperationIdSnakeCase)
        };
        assert!(!has(&Ruleset::recommended()));
        assert!(!lint(&document).iter().any(|f| f.rule == Rule::OperationIdSnakeCase));
        assert!(has(&Ruleset::strict()));
        let mut configured = Ruleset::recommended();
        configured.set(Rule::OperationIdSnakeCase, Some(Severity::Info));
        let findings = lint_with(&document, &configured);
        let finding = findings.iter().find(|f| f.rule == Rule::OperationIdSnakeCase).unwrap();
        assert_eq!(finding.severity, Severity::Info);
        for rule in Rule::ALL {
            if rule.kind() == Kind::HouseStyle {
                assert_eq!(rule.default_level(), None, "{}", rule.id());
            }
            assert_eq!(
                parse_level(level_name(rule.default_level())),
                Some(rule.default_level())
            );
        }
    }

    #[test]
    fn rule_ids_are_unique_and_listed() {
        let ids: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        let table = rules_table();
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
            assert!(table.contains(rule.description()), "{}", rule.id());
        }
    }

    #[test]
    fn snake_case() {
        for ok in ["create_dialog", "a", "get_v2_thing"] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["createDialog", "Create", "_a", "a__b", "a_", "a-b", ""] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }
}
