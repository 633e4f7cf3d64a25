//! Comparing two versions of a schema in one direction: a request may only get looser, a response only tighter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Bound, BoundChange, Diff, Direction, Level, Rule, SchemaRule, show};
use crate::document::{escape, follow_in};

/// Compares `base` and `head` (each inline or a `$ref`) as seen from `direction`.
pub fn compare(
    diff: &mut Diff,
    direction: Direction,
    operation: &str,
    place: &str,
    base: &Value,
    head: &Value,
    pointer: &str,
) {
    let mut walk = Walk {
        diff,
        direction,
        operation,
        place,
        visited: BTreeSet::new(),
    };
    walk.node(base, head, pointer, "");
}

struct Walk<'d, 'a, 'o> {
    diff: &'d mut Diff<'a>,
    direction: Direction,
    operation: &'o str,
    place: &'o str,
    visited: BTreeSet<(String, String)>,
}

/// The schema a node stands for, and the pointer to report for it.
fn resolve<'v>(spec: &'v Value, node: &'v Value, pointer: &str) -> (&'v Value, String) {
    match follow_in(spec, node) {
        (schema, Some(target)) => (schema, target),
        (schema, None) => (schema, pointer.to_string()),
    }
}

impl Walk<'_, '_, '_> {
    fn report(&mut self, level: Level, rule: Rule, path: &str, pointer: &str, message: String) {
        let location = if path.is_empty() {
            self.place.to_string()
        } else {
            format!("{}: {path}", self.place)
        };
        let (operation, place) = (self.operation.to_string(), location);
        self.diff.push(level, rule, &operation, &place, pointer, message);
    }

    fn rule(&self, rule: SchemaRule) -> Rule {
        Rule::Schema(self.direction, rule)
    }

    fn what(path: &str) -> String {
        if path.is_empty() {
            "the body".to_string()
        } else {
            format!("`{path}`")
        }
    }

    fn node(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let (base, base_pointer) = resolve(self.diff.base, base, pointer);
        let (head, head_pointer) = resolve(self.diff.head, head, pointer);
        if !self.visited.insert((base_pointer.clone(), head_pointer.clone())) {
            return;
        }
        let what = Self::what(path);
        let at = |keyword: &str| format!("{head_pointer}/{keyword}");

        for (keyword, rule) in [("type", SchemaRule::TypeChanged), ("format", SchemaRule::FormatChanged)] {
            if base.get(keyword) != head.get(keyword) {
                self.report(
                    Level::Breaking,
                    self.rule(rule),
                    path,
                    &at(keyword),
                    format!(
                        "{what} changed its {keyword} from {} to {}",
                        show(base.get(keyword)),
                        show(head.get(keyword))
                    ),
                );
            }
        }

        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        match (nullable(base), nullable(head)) {
            (false, true) => self.report(
                self.direction.loosening(),
                self.rule(SchemaRule::BecameNullable),
                path,
                &at("nullable"),
                format!("{what} may now be null"),
            ),
            (true, false) => self.report(
                self.direction.tightening(),
                self.rule(SchemaRule::BecameNotNullable),
                path,
                &at("nullable"),
                format!("{what} may no longer be null"),
            ),
            _ => {}
        }

        self.enums(base, head, &at("enum"), path);
        self.bounds(base, head, &head_pointer, path);
        self.objects(base, head, &base_pointer, &head_pointer, path);

        if let (Some(b), Some(h)) = (base.get("items"), head.get("items")) {
            self.node(b, h, &at("items"), &format!("{path}[]"));
        }
        for keyword in ["oneOf", "anyOf"] {
            self.alternatives(base, head, keyword, &head_pointer, path);
        }
        if let (Some(b), Some(h)) = (
            base.get("allOf").and_then(Value::as_array),
            head.get("allOf").and_then(Value::as_array),
        ) {
            for (index, (b, h)) in b.iter().zip(h).enumerate() {
                self.node(b, h, &format!("{head_pointer}/allOf/{index}"), path);
            }
        }
        if base.get("description") != head.get("description") && base.get("$ref").is_none() {
            self.report(
                Level::NonBreaking,
                Rule::DescriptionChanged,
                path,
                &at("description"),
                format!("the description of {what} changed"),
            );
        }
    }

    fn enums(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let what = Self::what(path);
        // A nullable schema takes null whether or not its enum lists it (OpenAPI 3.0.3 asks that it
        // does), so null in the list of a nullable schema is no change.
        let values = |s: &Value| -> Option<BTreeSet<String>> {
            let nullable = s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
            s.get("enum").and_then(Value::as_array).map(|v| {
                v.iter()
                    .filter(|v| !(nullable && v.is_null()))
                    .map(Value::to_string)
                    .collect()
            })
        };
        match (values(base), values(head)) {
            (Some(b), Some(h)) => {
                for removed in b.difference(&h) {
                    self.report(
                        self.direction.tightening(),
                        self.rule(SchemaRule::EnumValueRemoved),
                        path,
                        pointer,
                        format!("{what} no longer allows {removed}"),
                    );
                }
                for added in h.difference(&b) {
                    self.report(
                        self.direction.loosening(),
                        self.rule(SchemaRule::EnumValueAdded),
                        path,
                        pointer,
                        format!("{what} now allows {added}"),
                    );
                }
            }
            (None, Some(_)) => self.report(
                self.direction.tightening(),
                self.rule(SchemaRule::EnumSet),
                path,
                pointer,
                format!("{what} is now limited to a list of values"),
            ),
            (Some(_), None) => self.report(
                self.direction.loosening(),
                self.rule(SchemaRule::EnumUnset),
                path,
                pointer,
                format!("{what} is no longer limited to a list of values"),
            ),
            (None, None) => {}
        }
    }

    fn bounds(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let what = Self::what(path);
        for bound in Bound::ALL {
            let keyword = bound.keyword();
            let (b, h) = (
                base.get(keyword).and_then(Value::as_f64),
                head.get(keyword).and_then(Value::as_f64),
            );
            let change = match (b, h) {
                (None, Some(_)) => BoundChange::Set,
                (Some(_), None) => BoundChange::Unset,
                (Some(b), Some(h)) if h < b => BoundChange::Decreased,
                (Some(b), Some(h)) if h > b => BoundChange::Increased,
                _ => continue,
            };
            let rule = self.rule(SchemaRule::Bound(bound, change));
            self.report(
                rule.level(),
                rule,
                path,
                &format!("{pointer}/{keyword}"),
                format!(
                    "{what}: {keyword} {} → {}",
                    show(base.get(keyword)),
                    show(head.get(keyword))
                ),
            );
        }
        let at = format!("{pointer}/pattern");
        match (base.get("pattern"), head.get("pattern")) {
            (None, Some(p)) => self.report(
                self.direction.tightening(),
                self.rule(SchemaRule::PatternAdded),
                path,
                &at,
                format!("{what} must now match {}", show(Some(p))),
            ),
            (Some(p), None) => self.report(
                self.direction.loosening(),
                self.rule(SchemaRule::PatternRemoved),
                path,
                &at,
                format!("{what} no longer has to match {}", show(Some(p))),
            ),
            // A different pattern may refuse values the old one took, and take values it refused.
            (Some(b), Some(h)) if b != h => self.report(
                Level::Breaking,
                self.rule(SchemaRule::PatternChanged),
                path,
                &at,
                format!("{what} must now match {} instead of {}", show(Some(h)), show(Some(b))),
            ),
            _ => {}
        }
    }

    fn objects(&mut self, base: &Value, head: &Value, base_pointer: &str, head_pointer: &str, path: &str) {
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let properties = |s: &Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (base_required, head_required) = (required(base), required(head));
        let (base_properties, head_properties) = (properties(base), properties(head));
        let child = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        let closed = |s: &Value| s.get("additionalProperties") == Some(&Value::Bool(false));

        for name in head_required
            .difference(&base_required)
            .filter(|n| base_properties.contains_key(*n))
        {
            let (level, rule) = match self.direction {
                Direction::Request => (Level::Breaking, Rule::RequestPropertyBecameRequired),
                Direction::Response => (Level::NonBreaking, Rule::ResponsePropertyBecameRequired),
            };
            self.report(
                level,
                rule,
                &child(name),
                &format!("{head_pointer}/required"),
                format!("`{}` is now required", child(name)),
            );
        }
        for name in base_required
            .difference(&head_required)
            .filter(|n| head_properties.contains_key(*n))
        {
            let (level, rule) = match self.direction {
                Direction::Request => (Level::NonBreaking, Rule::RequestPropertyBecameOptional),
                Direction::Response => (Level::Breaking, Rule::ResponsePropertyBecameOptional),
            };
            self.report(
                level,
                rule,
                &child(name),
                &format!("{head_pointer}/required"),
                format!("`{}` is no longer required", child(name)),
            );
        }

        for (name, old) in &base_properties {
            let pointer = format!("{head_pointer}/properties/{}", escape(name));
            match head_properties.get(name) {
                Some(new) => self.node(old, new, &pointer, &child(name)),
                None => {
                    let removed_at = format!("{base_pointer}/properties/{}", escape(name));
                    let (level, message) = match self.direction {
                        Direction::Request if closed(head) => (
                            Level::Breaking,
                            format!(
                                "`{}` was removed, and unknown fields are refused: clients that send it fail",
                                child(name)
                            ),
                        ),
                        Direction::Request => (
                            Level::NonBreaking,
                            format!("`{}` was removed; clients that send it are ignored", child(name)),
                        ),
                        Direction::Response => (
                            Level::Breaking,
                            format!("`{}` was removed from the response", child(name)),
                        ),
                    };
                    self.report(
                        level,
                        self.rule(SchemaRule::PropertyRemoved),
                        &child(name),
                        &removed_at,
                        message,
                    );
                }
            }
        }
        for name in head_properties.keys().filter(|n| !base_properties.contains_key(*n)) {
            let pointer = format!("{head_pointer}/properties/{}", escape(name));
            let (level, rule, message) = match self.direction {
                Direction::Request if head_required.contains(name) => (
                    Level::Breaking,
                    Rule::NewRequiredRequestProperty,
                    format!("a required `{}` was added", child(name)),
                ),
                Direction::Request => (
                    Level::NonBreaking,
                    Rule::NewOptionalRequestProperty,
                    format!("an optional `{}` was added", child(name)),
                ),
                Direction::Response if closed(base) => (
                    Level::Breaking,
                    Rule::ResponsePropertyAdded,
                    format!(
                        "`{}` was added, and clients built from the old spec refuse unknown fields",
                        child(name)
                    ),
                ),
                Direction::Response => (
                    Level::NonBreaking,
                    Rule::ResponsePropertyAdded,
                    format!("`{}` was added", child(name)),
                ),
            };
            self.report(level, rule, &child(name), &pointer, message);
        }

        let is_object =
            |s: &Value| s.get("properties").is_some() || s.get("type") == Some(&Value::String("object".into()));
        if is_object(base) && is_object(head) {
            let at = format!("{head_pointer}/additionalProperties");
            let what = Self::what(path);
            match (closed(base), closed(head)) {
                (false, true) => self.report(
                    self.direction.tightening(),
                    self.rule(SchemaRule::AdditionalPropertiesDisallowed),
                    path,
                    &at,
                    format!("{what} now refuses fields it does not name"),
                ),
                (true, false) => self.report(
                    self.direction.loosening(),
                    self.rule(SchemaRule::AdditionalPropertiesAllowed),
                    path,
                    &at,
                    format!("{what} now takes fields it does not name"),
                ),
                _ => {}
            }
            if let (Some(b @ Value::Object(_)), Some(h @ Value::Object(_))) =
                (base.get("additionalProperties"), head.get("additionalProperties"))
            {
                self.node(b, h, &at, &format!("{path}.*"));
            }
        }
    }

    /// `oneOf`/`anyOf` alternatives, matched by `$ref`, else by `title`, else by position.
    fn alternatives(&mut self, base: &Value, head: &Value, keyword: &str, head_pointer: &str, path: &str) {
        let key = |index: usize, s: &Value| -> String {
            s.get("$ref")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .map_or_else(|| format!("alternative {index}"), str::to_string)
        };
        let list = |s: &Value| -> BTreeMap<String, (usize, Value)> {
            s.get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| (key(i, s), (i, s.clone())))
                .collect()
        };
        let (b, h) = (list(base), list(head));
        if b.is_empty() && h.is_empty() {
            return;
        }
        let (removed, added) = if keyword == "oneOf" {
            (SchemaRule::OneOfRemoved, SchemaRule::OneOfAdded)
        } else {
            (SchemaRule::AnyOfRemoved, SchemaRule::AnyOfAdded)
        };
        let what = Self::what(path);
        for (name, (_, old)) in &b {
            match h.get(name) {
                Some((index, new)) => self.node(old, new, &format!("{head_pointer}/{keyword}/{index}"), path),
                None => self.report(
                    self.direction.tightening(),
                    self.rule(removed),
                    path,
                    &format!("{head_pointer}/{keyword}"),
                    format!("{what} lost its {keyword} alternative `{name}`"),
                ),
            }
        }
        for name in h.keys().filter(|n| !b.contains_key(*n)) {
            self.report(
                self.direction.loosening(),
                self.rule(added),
                path,
                &format!("{head_pointer}/{keyword}"),
                format!("{what} gained the {keyword} alternative `{name}`"),
            );
        }
    }
}
