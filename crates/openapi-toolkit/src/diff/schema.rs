//! Comparing two versions of a schema in one direction: a request may only get looser, a response only tighter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Bound, BoundChange, Diff, Direction, Level, Place, Rule, SchemaRule, show};
use crate::document::{escape, follow_in};

#[path = "json_schema.rs"]
pub(crate) mod json_schema;

/// Compares `base` and `head` (each inline or a `$ref`) as seen from `direction`.
pub fn compare(diff: &mut Diff, at: Place, operation: &str, place: &str, base: &Value, head: &Value, pointer: &str) {
    let mut walk = Walk {
        diff,
        direction: at.direction(),
        at,
        operation,
        affects: operation,
        place,
        visited: BTreeSet::new(),
        quiet: 0,
        absorbed: 0,
    };
    walk.node(base, head, pointer, "");
}

/// What a component's comparison depends on besides its two pointers: where it sits (which names
/// its rules and gives the direction) and whether it is inside a property that does not travel.
pub(crate) type ComponentKey = (String, String, Place, bool);

struct Walk<'d, 'a, 'o> {
    diff: &'d mut Diff<'a>,
    direction: Direction,
    /// Where the schema compared at the top sits; nested schemas are at its `nested` place.
    at: Place,
    operation: &'o str,
    /// The API operation that reaches this schema: the same as `operation` outside a component,
    /// listed among the affected operations of a change reported at a component.
    affects: &'o str,
    place: &'o str,
    visited: BTreeSet<(String, String)>,
    /// Above zero inside a property that does not travel this way (readOnly in a request,
    /// writeOnly in a response): what changes there breaks nobody, so it is reported as INFO.
    quiet: usize,
    /// Above zero inside a oneOf/anyOf member beside one that takes any string, on both sides: the values an
    /// enum of this member adds or drops are taken either way, so enum changes here change nothing.
    absorbed: usize,
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
        let level = if self.quiet > 0 { Level::Info } else { level };
        let location = if path.is_empty() {
            self.place.to_string()
        } else {
            format!("{}: {path}", self.place)
        };
        let (operation, place) = (self.operation.to_string(), location);
        self.diff.push(level, rule, &operation, &place, pointer, message);
        let index = self.diff.changes.len() - 1;
        self.diff.components.record(index);
    }

    /// Compares two component schemas once per place: the first operation that reaches them walks them,
    /// reporting at the component; which operations reach each such change is settled once every operation
    /// has been walked (`reach`), so the cost is linear in the document, not in its routes, and an operation
    /// that reaches a component through a reference cycle is listed like any other.
    fn component(&mut self, base: &Value, head: &Value, pointers: (String, String), path: &str) {
        let place = if path.is_empty() { self.at } else { self.at.nested() };
        let key: ComponentKey = (pointers.0.clone(), pointers.1.clone(), place, self.quiet > 0);
        // A component already walked, or being walked (a cycle), is only linked to.
        if !self.diff.components.reach(key, self.affects) {
            return;
        }
        let name = pointers.1.rsplit('/').next().unwrap_or_default().to_string();
        let operation = format!("schema {name}");
        // A body and a property are the same schema seen from two places: one label for both, so that a
        // change inside the component is one change, listing the operations of both.
        let label = match place {
            Place::RequestBody | Place::RequestProperty => "request".to_string(),
            Place::ResponseBody | Place::ResponseProperty => "response".to_string(),
            other => other.prefix().replace('-', " "),
        };
        let mut walk = Walk {
            diff: &mut *self.diff,
            direction: self.direction,
            at: place,
            operation: &operation,
            affects: self.affects,
            place: &label,
            visited: BTreeSet::new(),
            quiet: self.quiet,
            absorbed: 0,
        };
        walk.body(base, head, &pointers.0, &pointers.1, "");
        self.diff.components.leave();
    }

    fn rule_at(&self, rule: SchemaRule, path: &str) -> Rule {
        let place = if path.is_empty() { self.at } else { self.at.nested() };
        Rule::Schema(place, rule)
    }

    /// Reports a schema rule at its usual level.
    fn schema(&mut self, rule: SchemaRule, path: &str, pointer: &str, message: String) {
        let rule = self.rule_at(rule, path);
        self.report(rule.level(), rule, path, pointer, message);
    }

    fn what(path: &str) -> String {
        if path.is_empty() {
            "the body".to_string()
        } else {
            format!("`{path}`")
        }
    }

    fn node(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        if self.unwrapped(base, head, pointer, path) {
            return;
        }
        let refs = base.get("$ref").is_some() && head.get("$ref").is_some();
        let (base, base_pointer) = resolve(self.diff.base, base, pointer);
        let (head, head_pointer) = resolve(self.diff.head, head, pointer);
        if refs && base_pointer.starts_with("/components/") && head_pointer.starts_with("/components/") {
            return self.component(base, head, (base_pointer, head_pointer), path);
        }
        self.body(base, head, &base_pointer, &head_pointer, path);
    }

    /// Compares a single-member `anyOf`/`oneOf`/`allOf` (the OpenAPI 3.0 way to make a `$ref` nullable or
    /// describe it) on one side with its member on the other, which accepts the same values: the member against
    /// the other side, and the wrapper's `nullable`. True when it did; false when neither or both sides wrap.
    fn unwrapped(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) -> bool {
        let (base_schema, head_schema) = (follow_in(self.diff.base, base).0, follow_in(self.diff.head, head).0);
        // Against another composition the members are matched as usual.
        let composed = |s: &Value| ["anyOf", "oneOf", "allOf"].iter().any(|k| s.get(*k).is_some());
        let (keyword, member, base_side) = match (wrapper(base_schema), wrapper(head_schema)) {
            (Some((keyword, member)), None) if !composed(head_schema) => (keyword, member, true),
            (None, Some((keyword, member))) if !composed(base_schema) => (keyword, member, false),
            _ => return false,
        };
        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let (wrapper_schema, spec, other) = if base_side {
            (base_schema, self.diff.base, head_schema)
        } else {
            (head_schema, self.diff.head, base_schema)
        };
        let member_nullable = nullable(follow_in(spec, member).0);
        let wrapped = nullable(wrapper_schema) || member_nullable;
        // The member is compared with the other side below; only what the wrapper adds is compared here.
        if wrapped != member_nullable && nullable(other) == member_nullable {
            let what = Self::what(path);
            let (rule, message) = if base_side {
                (SchemaRule::BecameNotNullable, format!("{what} may no longer be null"))
            } else {
                (SchemaRule::BecameNullable, format!("{what} may now be null"))
            };
            self.schema(rule, path, &format!("{pointer}/nullable"), message);
        }
        let member_pointer = format!("{pointer}/{keyword}/0");
        if base_side {
            self.node(member, head, pointer, path);
        } else {
            self.node(base, member, &member_pointer, path);
        }
        true
    }

    /// The comparison of two resolved schemas.
    fn body(&mut self, base: &Value, head: &Value, base_pointer: &str, head_pointer: &str, path: &str) {
        let (base_pointer, head_pointer) = (base_pointer.to_string(), head_pointer.to_string());
        if !self.visited.insert((base_pointer.clone(), head_pointer.clone())) {
            return;
        }
        let (base, head) = super::normalize::pair(base, head);
        let (base, head) = (base.as_ref(), head.as_ref());
        let what = Self::what(path);
        let at = |keyword: &str| format!("{head_pointer}/{keyword}");

        if let Some(rule) = type_change(base, head) {
            self.schema(
                rule,
                path,
                &at("type"),
                format!(
                    "{what} changed its type/format from {}/{} to {}/{}",
                    show(base.get("type")),
                    show(base.get("format")),
                    show(head.get("type")),
                    show(head.get("format"))
                ),
            );
        }

        let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        match (nullable(base), nullable(head)) {
            (false, true) => self.schema(
                SchemaRule::BecameNullable,
                path,
                &at("nullable"),
                format!("{what} may now be null"),
            ),
            (true, false) => self.schema(
                SchemaRule::BecameNotNullable,
                path,
                &at("nullable"),
                format!("{what} may no longer be null"),
            ),
            _ => {}
        }

        self.enums(base, head, &at("enum"), path);
        self.extensible_enum(base, head, &at("x-extensible-enum"), path);
        self.bounds(base, head, &head_pointer, path);
        self.json_schema(base, head, &head_pointer, path);
        self.annotations(base, head, &head_pointer, path);
        self.objects(base, head, &base_pointer, &head_pointer, path);

        if let (Some(b), Some(h)) = (base.get("items"), head.get("items")) {
            self.node(b, h, &at("items"), &format!("{path}[]"));
        }
        // `oneOf` turned into `anyOf` (or back) with the same members accepts the same values wherever the
        // members do not overlap, which is what a oneOf promises: members are compared across the two keywords.
        let only = |s: &Value, k: &str, other: &str| s.get(k).is_some() && s.get(other).is_none();
        if only(base, "oneOf", "anyOf") && only(head, "anyOf", "oneOf") {
            self.alternatives(base, head, ("oneOf", "anyOf"), &head_pointer, path);
        } else if only(base, "anyOf", "oneOf") && only(head, "oneOf", "anyOf") {
            self.alternatives(base, head, ("anyOf", "oneOf"), &head_pointer, path);
        } else {
            for keyword in ["oneOf", "anyOf"] {
                self.alternatives(base, head, (keyword, keyword), &head_pointer, path);
            }
        }
        self.alternatives(base, head, ("allOf", "allOf"), &head_pointer, path);
        if base.get("description") != head.get("description") && base.get("$ref").is_none() {
            self.report(
                Level::Info,
                Rule::DescriptionChanged,
                path,
                &at("description"),
                format!("the description of {what} changed"),
            );
        }
    }

    fn enums(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        if self.absorbed > 0 {
            return;
        }
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
                    self.schema(
                        SchemaRule::EnumValueRemoved,
                        path,
                        pointer,
                        format!("{what} no longer allows {removed}"),
                    );
                }
                for added in h.difference(&b) {
                    self.schema(
                        SchemaRule::EnumValueAdded,
                        path,
                        pointer,
                        format!("{what} now allows {added}"),
                    );
                }
            }
            (None, Some(_)) => self.schema(
                SchemaRule::BecameEnum,
                path,
                pointer,
                format!("{what} is now limited to a list of values"),
            ),
            (Some(_), None) => self.schema(
                SchemaRule::BecameNotEnum,
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
            self.schema(
                SchemaRule::Bound(bound, change),
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
        match (pattern(base), pattern(head)) {
            (None, Some(p)) => self.schema(
                SchemaRule::PatternAdded,
                path,
                &at,
                format!("{what} must now match {}", show(Some(p))),
            ),
            (Some(p), None) => self.schema(
                SchemaRule::PatternRemoved,
                path,
                &at,
                format!("{what} no longer has to match {}", show(Some(p))),
            ),
            // A different pattern may refuse values the old one took, and take values it refused.
            (Some(b), Some(h)) if b != h => self.schema(
                if h.as_str() == Some(".*") {
                    SchemaRule::PatternGeneralized
                } else {
                    SchemaRule::PatternChanged
                },
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
            let hidden = self.hidden(
                &base_properties[name.as_str()],
                &head_properties.get(name.as_str()).cloned().unwrap_or_default(),
            );
            self.quiet += usize::from(hidden);
            let (level, rule) = match self.direction {
                Direction::Request => (Level::Err, Rule::RequestPropertyBecameRequired),
                Direction::Response => (Level::Info, Rule::ResponsePropertyBecameRequired),
            };
            self.report(
                level,
                rule,
                &child(name),
                &format!("{head_pointer}/required"),
                format!("`{}` is now required", child(name)),
            );
            self.quiet -= usize::from(hidden);
        }
        for name in base_required
            .difference(&head_required)
            .filter(|n| head_properties.contains_key(*n))
        {
            let hidden = self.hidden(
                &base_properties.get(name.as_str()).cloned().unwrap_or_default(),
                &head_properties[name.as_str()],
            );
            self.quiet += usize::from(hidden);
            let (level, rule) = match self.direction {
                Direction::Request => (Level::Info, Rule::RequestPropertyBecameOptional),
                Direction::Response => (Level::Err, Rule::ResponsePropertyBecameOptional),
            };
            self.report(
                level,
                rule,
                &child(name),
                &format!("{head_pointer}/required"),
                format!("`{}` is no longer required", child(name)),
            );
            self.quiet -= usize::from(hidden);
        }

        for (name, old) in &base_properties {
            let pointer = format!("{head_pointer}/properties/{}", escape(name));
            match head_properties.get(name) {
                Some(new) => {
                    self.property_flags(old, new, &pointer, &child(name), head_required.contains(name));
                    let hidden = self.hidden(old, new);
                    self.quiet += usize::from(hidden);
                    self.node(old, new, &pointer, &child(name));
                    self.quiet -= usize::from(hidden);
                }
                None => {
                    let removed_at = format!("{base_pointer}/properties/{}", escape(name));
                    let old = follow_in(self.diff.base, old).0;
                    let gone = super::removal(old);
                    let (level, rule, message) = match self.direction {
                        Direction::Request if matches!(gone, super::Removal::BeforeSunset(_)) => (
                            Level::Err,
                            Rule::RequestPropertyRemovedBeforeSunset,
                            format!("`{}` was removed before its sunset", child(name)),
                        ),
                        Direction::Request if gone == super::Removal::WithDeprecation => (
                            Level::Info,
                            Rule::RequestPropertyRemovedWithDeprecation,
                            format!("the deprecated `{}` was removed", child(name)),
                        ),
                        Direction::Response
                            if base_required.contains(name) && matches!(gone, super::Removal::BeforeSunset(_)) =>
                        {
                            (
                                Level::Err,
                                Rule::ResponseRequiredPropertyRemovedBeforeSunset,
                                format!("the required `{}` was removed before its sunset", child(name)),
                            )
                        }
                        Direction::Response
                            if base_required.contains(name) && gone == super::Removal::WithDeprecation =>
                        {
                            (
                                Level::Info,
                                Rule::ResponseRequiredPropertyRemovedWithDeprecation,
                                format!("the deprecated `{}` was removed", child(name)),
                            )
                        }
                        // A writeOnly property is never in a response, so its removal takes nothing from one.
                        Direction::Response if flag(old, "writeOnly") => (
                            Level::Info,
                            if base_required.contains(name) {
                                Rule::ResponseRequiredPropertyRemoved
                            } else {
                                Rule::ResponseOptionalPropertyRemoved
                            },
                            format!("the writeOnly `{}` was removed", child(name)),
                        ),
                        Direction::Request if closed(head) => (
                            Level::Err,
                            Rule::RequestPropertyRemoved,
                            format!(
                                "`{}` was removed, and unknown fields are refused: clients that send it fail",
                                child(name)
                            ),
                        ),
                        Direction::Request => (
                            Level::Warn,
                            Rule::RequestPropertyRemoved,
                            format!("`{}` was removed; the server may ignore or refuse it", child(name)),
                        ),
                        Direction::Response if base_required.contains(name) => (
                            Level::Err,
                            Rule::ResponseRequiredPropertyRemoved,
                            format!("the required `{}` was removed from the response", child(name)),
                        ),
                        Direction::Response => (
                            Level::Info,
                            Rule::ResponseOptionalPropertyRemoved,
                            format!("the optional `{}` was removed from the response", child(name)),
                        ),
                    };
                    self.report(level, rule, &child(name), &removed_at, message);
                }
            }
        }
        for (name, new) in head_properties
            .iter()
            .filter(|(n, _)| !base_properties.contains_key(*n))
        {
            let pointer = format!("{head_pointer}/properties/{}", escape(name));
            let new = follow_in(self.diff.head, new).0;
            // A readOnly property is not sent, so requiring it asks nothing of a client (OpenAPI 3.0).
            let required = head_required.contains(name) && !flag(new, "readOnly");
            let (level, rule, message) = match self.direction {
                Direction::Request if required => (
                    Level::Err,
                    Rule::NewRequiredRequestProperty,
                    format!("a required `{}` was added", child(name)),
                ),
                Direction::Request => (
                    Level::Info,
                    Rule::NewOptionalRequestProperty,
                    format!("an optional `{}` was added", child(name)),
                ),
                Direction::Response if closed(base) => (
                    Level::Err,
                    if head_required.contains(name) {
                        Rule::ResponseRequiredPropertyAdded
                    } else {
                        Rule::ResponseOptionalPropertyAdded
                    },
                    format!(
                        "`{}` was added, and clients built from the old spec refuse unknown fields",
                        child(name)
                    ),
                ),
                Direction::Response if head_required.contains(name) => (
                    Level::Info,
                    Rule::ResponseRequiredPropertyAdded,
                    format!("a required `{}` was added", child(name)),
                ),
                Direction::Response => (
                    Level::Info,
                    Rule::ResponseOptionalPropertyAdded,
                    format!("an optional `{}` was added", child(name)),
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
                (false, true) => self.schema(
                    SchemaRule::AdditionalPropertiesDisallowed,
                    path,
                    &at,
                    format!("{what} now refuses fields it does not name"),
                ),
                (true, false) => self.schema(
                    SchemaRule::AdditionalPropertiesAllowed,
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

    /// Whether a property is one that does not travel in this direction on either side.
    fn hidden(&self, base: &Value, head: &Value) -> bool {
        let keyword = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        // A request property readOnly in the head is not sent any more, whatever the base said, so what changes in
        // its values breaks no client (oasdiff's `request-read-only-property-*`, INFO); its becoming readOnly is
        // reported apart. A response keeps asking both sides, as oasdiff does.
        let head_flag = flag(follow_in(self.diff.head, head).0, keyword);
        match self.direction {
            Direction::Request => head_flag,
            Direction::Response => flag(follow_in(self.diff.base, base).0, keyword) && head_flag,
        }
    }

    /// A property's own flags on both sides: deprecated, `x-stability-level`, readOnly, writeOnly.
    fn property_flags(&mut self, base: &Value, head: &Value, pointer: &str, path: &str, required: bool) {
        let base = follow_in(self.diff.base, base).0;
        let head = follow_in(self.diff.head, head).0;
        let request = self.direction == Direction::Request;
        let what = format!("`{path}`");
        let kinds = if request {
            &super::Lifecycle::REQUEST_PROPERTY
        } else {
            &super::Lifecycle::RESPONSE_PROPERTY
        };
        if let Some((rule, message)) = super::deprecation(kinds, &what, base, head, self.diff.policy) {
            self.report(rule.level(), rule, path, pointer, message);
        }
        if let (Some(b), Some(h)) = (super::stability(base), super::stability(head))
            && b != h
        {
            let rule = match (request, h < b) {
                (true, true) => Rule::RequestPropertyStabilityDecreased,
                (true, false) => Rule::RequestPropertyStabilityIncreased,
                (false, true) => Rule::ResponsePropertyStabilityDecreased,
                (false, false) => Rule::ResponsePropertyStabilityIncreased,
            };
            self.report(
                rule.level(),
                rule,
                path,
                pointer,
                format!("{what}'s stability level went from {} to {}", b.name(), h.name()),
            );
        }
        use Rule::*;
        for (keyword, table) in [
            (
                "readOnly",
                [
                    [
                        RequestOptionalPropertyBecameReadOnly,
                        RequestOptionalPropertyBecameNotReadOnly,
                    ],
                    [
                        RequestRequiredPropertyBecameReadOnly,
                        RequestRequiredPropertyBecameNotReadOnly,
                    ],
                    [
                        ResponseOptionalPropertyBecameReadOnly,
                        ResponseOptionalPropertyBecameNotReadOnly,
                    ],
                    [
                        ResponseRequiredPropertyBecameReadOnly,
                        ResponseRequiredPropertyBecameNotReadOnly,
                    ],
                ],
            ),
            (
                "writeOnly",
                [
                    [
                        RequestOptionalPropertyBecameWriteOnly,
                        RequestOptionalPropertyBecameNotWriteOnly,
                    ],
                    [
                        RequestRequiredPropertyBecameWriteOnly,
                        RequestRequiredPropertyBecameNotWriteOnly,
                    ],
                    [
                        ResponseOptionalPropertyBecameWriteOnly,
                        ResponseOptionalPropertyBecameNotWriteOnly,
                    ],
                    [
                        ResponseRequiredPropertyBecameWriteOnly,
                        ResponseRequiredPropertyBecameNotWriteOnly,
                    ],
                ],
            ),
        ] {
            let (b, h) = (flag(base, keyword), flag(head, keyword));
            if b == h {
                continue;
            }
            let row = usize::from(!request) * 2 + usize::from(required);
            let rule = table[row][usize::from(b)];
            let message = if h {
                format!("{what} became {keyword}")
            } else {
                format!("{what} is no longer {keyword}")
            };
            self.report(rule.level(), rule, path, &format!("{pointer}/{keyword}"), message);
        }
    }

    /// `default`, `multipleOf`, `uniqueItems`, OpenAPI 3.0's boolean `exclusiveMaximum` and
    /// `exclusiveMinimum`, and the discriminator.
    fn annotations(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let what = Self::what(path);
        let at = |keyword: &str| format!("{pointer}/{keyword}");
        match (base.get("default"), head.get("default")) {
            (None, Some(d)) => self.schema(
                SchemaRule::DefaultValueAdded,
                path,
                &at("default"),
                format!("{what} got the default {}", show(Some(d))),
            ),
            (Some(d), None) => self.schema(
                SchemaRule::DefaultValueRemoved,
                path,
                &at("default"),
                format!("{what} lost its default {}", show(Some(d))),
            ),
            (Some(b), Some(h)) if b != h => self.schema(
                SchemaRule::DefaultValueChanged,
                path,
                &at("default"),
                format!("{what}'s default changed from {} to {}", show(Some(b)), show(Some(h))),
            ),
            _ => {}
        }
        let number = |s: &Value| s.get("multipleOf").and_then(Value::as_f64);
        let change = match (number(base), number(head)) {
            (None, Some(_)) => Some(SchemaRule::MultipleOfSet),
            (Some(_), None) => Some(SchemaRule::MultipleOfUnset),
            (Some(b), Some(h)) if b != h => Some(if divides(h, b) {
                SchemaRule::MultipleOfGeneralized
            } else if divides(b, h) {
                SchemaRule::MultipleOfSpecialized
            } else {
                SchemaRule::MultipleOfChanged
            }),
            _ => None,
        };
        if let Some(rule) = change {
            self.schema(
                rule,
                path,
                &at("multipleOf"),
                format!(
                    "{what}: multipleOf {} → {}",
                    show(base.get("multipleOf")),
                    show(head.get("multipleOf"))
                ),
            );
        }
        for (keyword, set, unset) in [
            ("uniqueItems", SchemaRule::UniqueItemsSet, SchemaRule::UniqueItemsUnset),
            (
                "exclusiveMaximum",
                SchemaRule::ExclusiveMaxSet,
                SchemaRule::ExclusiveMaxUnset,
            ),
            (
                "exclusiveMinimum",
                SchemaRule::ExclusiveMinSet,
                SchemaRule::ExclusiveMinUnset,
            ),
        ] {
            match (flag(base, keyword), flag(head, keyword)) {
                (false, true) => self.schema(set, path, &at(keyword), format!("{what}: {keyword} is now true")),
                (true, false) => self.schema(
                    unset,
                    path,
                    &at(keyword),
                    format!("{what}: {keyword} is no longer true"),
                ),
                _ => {}
            }
        }
        let at = at("discriminator");
        match (base.get("discriminator"), head.get("discriminator")) {
            (None, Some(_)) => self.schema(
                SchemaRule::DiscriminatorAdded,
                path,
                &at,
                format!("{what} got a discriminator"),
            ),
            (Some(_), None) => self.schema(
                SchemaRule::DiscriminatorRemoved,
                path,
                &at,
                format!("{what} lost its discriminator"),
            ),
            (Some(b), Some(h)) => {
                if b.get("propertyName") != h.get("propertyName") {
                    self.schema(
                        SchemaRule::DiscriminatorPropertyNameChanged,
                        path,
                        &format!("{at}/propertyName"),
                        format!(
                            "{what}'s discriminator property changed from {} to {}",
                            show(b.get("propertyName")),
                            show(h.get("propertyName"))
                        ),
                    );
                }
                let mapping = |d: &Value| d.get("mapping").and_then(Value::as_object).cloned().unwrap_or_default();
                let (bm, hm) = (mapping(b), mapping(h));
                for (key, value) in &bm {
                    let rule = match hm.get(key) {
                        None => SchemaRule::DiscriminatorMappingDeleted,
                        Some(new) if new != value => SchemaRule::DiscriminatorMappingChanged,
                        Some(_) => continue,
                    };
                    self.schema(
                        rule,
                        path,
                        &format!("{at}/mapping"),
                        format!("{what}'s discriminator mapping `{key}` changed"),
                    );
                }
                for key in hm.keys().filter(|k| !bm.contains_key(*k)) {
                    self.schema(
                        SchemaRule::DiscriminatorMappingAdded,
                        path,
                        &format!("{at}/mapping"),
                        format!("{what}'s discriminator mapping `{key}` was added"),
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// Values removed from an `x-extensible-enum` (Zalando's open enum: values may be added).
    fn extensible_enum(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let values = |s: &Value| -> Option<BTreeSet<String>> {
            s.get("x-extensible-enum")
                .and_then(Value::as_array)
                .map(|v| v.iter().map(Value::to_string).collect())
        };
        if let (Some(b), Some(h)) = (values(base), values(head)) {
            let what = Self::what(path);
            for removed in b.difference(&h) {
                self.schema(
                    SchemaRule::XExtensibleEnumValueRemoved,
                    path,
                    pointer,
                    format!("{what}'s x-extensible-enum no longer lists {removed}"),
                );
            }
        }
    }

    /// `oneOf`/`anyOf` alternatives, matched by `$ref`, else by `title`, else by position.
    /// `keywords` are the base's and the head's (the same, but for a `oneOf` turned into an `anyOf` or back).
    fn alternatives(&mut self, base: &Value, head: &Value, keywords: (&str, &str), head_pointer: &str, path: &str) {
        let key = |index: usize, s: &Value| -> String {
            s.get("$ref")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .map_or_else(|| format!("member {index}"), str::to_string)
        };
        let list = |s: &Value, keyword: &str| -> BTreeMap<String, (usize, Value)> {
            s.get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| (key(i, s), (i, s.clone())))
                .collect()
        };
        let (b, h) = (list(base, keywords.0), list(head, keywords.1));
        if b.is_empty() && h.is_empty() {
            return;
        }
        let rules = |keyword: &str| match keyword {
            "oneOf" => (SchemaRule::OneOfRemoved, SchemaRule::OneOfAdded),
            "anyOf" => (SchemaRule::AnyOfRemoved, SchemaRule::AnyOfAdded),
            _ => (SchemaRule::AllOfRemoved, SchemaRule::AllOfAdded),
        };
        let (removed, added) = (rules(keywords.0).0, rules(keywords.1).1);
        let keyword = keywords.1;
        // An allOf member that constrains nothing (only a description, say) changes no value.
        let annotation = |s: &Value| {
            s.as_object().is_some_and(|o| {
                o.keys().all(|k| {
                    k.starts_with("x-")
                        || matches!(
                            k.as_str(),
                            "description" | "title" | "example" | "examples" | "deprecated" | "externalDocs"
                        )
                })
            })
        };
        // Whether a member takes any string: `type: string` and nothing that narrows it.
        let open = |members: &BTreeMap<String, (usize, Value)>, spec: &Value| {
            members.values().any(|(_, member)| {
                let member = follow_in(spec, member).0;
                member.get("type").and_then(Value::as_str) == Some("string")
                    && [
                        "enum",
                        "pattern",
                        "format",
                        "maxLength",
                        "minLength",
                        "x-extensible-enum",
                    ]
                    .iter()
                    .all(|k| member.get(*k).is_none())
            })
        };
        let what = Self::what(path);
        for (name, (_, old)) in &b {
            match h.get(name) {
                Some((index, new)) if keyword != "allOf" && open(&b, self.diff.base) && open(&h, self.diff.head) => {
                    // Compared here rather than once as a component: beside a member that takes any string, the
                    // same enum changes nothing, though elsewhere it may.
                    let (old, old_pointer) = resolve(self.diff.base, old, "");
                    let (new, new_pointer) = resolve(self.diff.head, new, &format!("{head_pointer}/{keyword}/{index}"));
                    self.absorbed += 1;
                    self.body(old, new, &old_pointer, &new_pointer, path);
                    self.absorbed -= 1;
                }
                Some((index, new)) => self.node(old, new, &format!("{head_pointer}/{keyword}/{index}"), path),
                None => self.schema(
                    if keyword == "allOf" && annotation(old) {
                        SchemaRule::AllOfRemovedAnnotationOnly
                    } else {
                        removed
                    },
                    path,
                    &format!("{head_pointer}/{keyword}"),
                    format!("{what} lost its {} member `{name}`", keywords.0),
                ),
            }
        }
        for (name, (_, new)) in h.iter().filter(|(n, _)| !b.contains_key(*n)) {
            self.schema(
                if keyword == "allOf" && annotation(new) {
                    SchemaRule::AllOfAddedAnnotationOnly
                } else {
                    added
                },
                path,
                &format!("{head_pointer}/{keyword}"),
                format!("{what} gained the {keyword} member `{name}`"),
            );
        }
    }
}

/// The keyword and member of a schema that is only a wrapper around one member (`anyOf: [$ref]` with `nullable`,
/// a description, or other annotations), which accepts what its member accepts (and null where it says so).
fn wrapper(schema: &Value) -> Option<(&'static str, &Value)> {
    let object = schema.as_object()?;
    let keyword = ["anyOf", "oneOf", "allOf"]
        .into_iter()
        .find(|k| object.get(*k).and_then(Value::as_array).is_some_and(|m| m.len() == 1))?;
    let annotations_only = object.keys().all(|k| {
        k == keyword
            || k.starts_with("x-")
            || matches!(
                k.as_str(),
                "nullable"
                    | "description"
                    | "title"
                    | "example"
                    | "deprecated"
                    | "externalDocs"
                    | "readOnly"
                    | "writeOnly"
            )
    });
    annotations_only.then(|| (keyword, &object[keyword][0]))
}

/// A schema's `pattern`, unless it is empty: an empty pattern matches every string, so it is none (as oasdiff reads it).
fn pattern(schema: &Value) -> Option<&Value> {
    schema.get("pattern").filter(|p| p.as_str() != Some(""))
}

fn flag(schema: &Value, keyword: &str) -> bool {
    schema.get(keyword).and_then(Value::as_bool).unwrap_or(false)
}

/// Whether `small` divides `large` into a whole number.
fn divides(small: f64, large: f64) -> bool {
    small != 0.0 && ((large / small).round() * small - large).abs() < 1e-9
}

/// How `type` and `format` changed together, if they did: wider (`int32` to `int64`, `integer` to
/// `number`, a format dropped), narrower (the reverse), or to something else.
fn type_change(base: &Value, head: &Value) -> Option<SchemaRule> {
    // A list of types (OpenAPI 3.1) is compared by `json_schema::type_list`.
    if base.get("type").is_some_and(Value::is_array) || head.get("type").is_some_and(Value::is_array) {
        return None;
    }
    let (bt, ht) = (
        base.get("type").and_then(Value::as_str),
        head.get("type").and_then(Value::as_str),
    );
    let (bf, hf) = (
        base.get("format").and_then(Value::as_str),
        head.get("format").and_then(Value::as_str),
    );
    if bt == ht && bf == hf {
        return None;
    }
    // A type added where the other keywords already imply it (`properties` an object, `items` an array) changes
    // nothing; one added where nothing did takes values away (specialised: a response that gains a type is no
    // break), and one dropped accepts more (generalised: a request property that loses its type is no break).
    let implied = |s: &Value| {
        if s.get("properties").is_some() || s.get("additionalProperties").is_some() {
            Some("object")
        } else if s.get("items").is_some() {
            Some("array")
        } else {
            None
        }
    };
    let (bt, ht) = (bt.or_else(|| implied(base)), ht.or_else(|| implied(head)));
    let types = match (bt, ht) {
        (b, h) if b == h => Some(std::cmp::Ordering::Equal),
        (None, Some(_)) => Some(std::cmp::Ordering::Less),
        (Some(_), None) => Some(std::cmp::Ordering::Greater),
        (Some("integer"), Some("number")) => Some(std::cmp::Ordering::Greater),
        (Some("number"), Some("integer")) => Some(std::cmp::Ordering::Less),
        _ => None,
    };
    let formats = match (bf, hf) {
        (b, h) if b == h => Some(std::cmp::Ordering::Equal),
        (Some(_), None) => Some(std::cmp::Ordering::Greater),
        (None, Some(_)) => Some(std::cmp::Ordering::Less),
        (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => Some(std::cmp::Ordering::Greater),
        (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => Some(std::cmp::Ordering::Less),
        _ => None,
    };
    use std::cmp::Ordering::*;
    Some(match (types, formats) {
        (Some(Equal), Some(Equal)) => return None,
        (Some(Greater), Some(Greater | Equal)) | (Some(Equal), Some(Greater)) => SchemaRule::TypeGeneralized,
        (Some(Less), Some(Less | Equal)) | (Some(Equal), Some(Less)) => SchemaRule::TypeSpecialized,
        _ => SchemaRule::TypeChanged,
    })
}
