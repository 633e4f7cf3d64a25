//! The JSON Schema 2020-12 keyword families of OpenAPI 3.1 that oasdiff compares, with its ids and levels.
//!
//! They are `const`, numeric exclusive bounds, type lists, `contains` and its counts, `content*`, `dependent*`,
//! `if`/`then`/`else`, `patternProperties`, `prefixItems`, `propertyNames` and `unevaluated*`.
//!
//! A child of `schema.rs` (declared there), so that its checks run inside the same one-direction walk.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::rules::SchemaRule;
use super::super::{Level, show};
use super::Walk;

macro_rules! json_rules {
    ($($variant:ident => ($id:literal, $tightens:expr, $description:literal),)*) => {
        /// A change of a JSON Schema 2020-12 keyword, named once for every place a schema sits
        /// (`SchemaRule::Json`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum JsonRule {
            $($variant,)*
        }

        impl JsonRule {
            pub const ALL: &[JsonRule] = &[$(Self::$variant,)*];

            /// The id without its place, such as `const-changed`.
            pub fn suffix(self) -> &'static str {
                match self {
                    $(Self::$variant => $id,)*
                }
            }

            /// Whether the change makes the schema accept less (`Some(true)`), more (`Some(false)`), or
            /// neither in general (`None`: `fixed_level` says its level).
            pub fn tightens(self) -> Option<bool> {
                match self {
                    $(Self::$variant => $tightens,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Self::$variant => $description,)*
                }
            }
        }
    };
}

const TIGHT: Option<bool> = Some(true);
const LOOSE: Option<bool> = Some(false);

json_rules! {
    ConstAdded => ("const-added", TIGHT, "a `const` value was set"),
    ConstRemoved => ("const-removed", LOOSE, "the `const` value was unset"),
    ConstChanged => ("const-changed", None, "the `const` value changed"),
    ExclusiveMaxDecreased => ("exclusive-max-decreased", TIGHT, "the numeric `exclusiveMaximum` decreased"),
    ExclusiveMaxIncreased => ("exclusive-max-increased", LOOSE, "the numeric `exclusiveMaximum` increased"),
    ExclusiveMinDecreased => ("exclusive-min-decreased", LOOSE, "the numeric `exclusiveMinimum` decreased"),
    ExclusiveMinIncreased => ("exclusive-min-increased", TIGHT, "the numeric `exclusiveMinimum` increased"),
    ListOfTypesNarrowed => ("list-of-types-narrowed", TIGHT, "a list of types lost a type"),
    ListOfTypesWidened => ("list-of-types-widened", LOOSE, "a list of types gained a type"),
    ContainsAdded => ("contains-added", TIGHT, "a `contains` constraint was added"),
    ContainsRemoved => ("contains-removed", LOOSE, "the `contains` constraint was removed"),
    MinContainsSet => ("min-contains-set", TIGHT, "`minContains` was set"),
    MinContainsUnset => ("min-contains-unset", LOOSE, "`minContains` was unset"),
    MinContainsIncreased => ("min-contains-increased", TIGHT, "`minContains` increased"),
    MinContainsDecreased => ("min-contains-decreased", LOOSE, "`minContains` decreased"),
    MaxContainsSet => ("max-contains-set", TIGHT, "`maxContains` was set"),
    MaxContainsUnset => ("max-contains-unset", LOOSE, "`maxContains` was unset"),
    MaxContainsDecreased => ("max-contains-decreased", TIGHT, "`maxContains` decreased"),
    MaxContainsIncreased => ("max-contains-increased", LOOSE, "`maxContains` increased"),
    ContentEncodingChanged => ("content-encoding-changed", None, "`contentEncoding` changed"),
    ContentMediaTypeChanged => ("content-media-type-changed", None, "`contentMediaType` changed"),
    ContentSchemaAdded => ("content-schema-added", TIGHT, "a `contentSchema` was added"),
    ContentSchemaRemoved => ("content-schema-removed", LOOSE, "the `contentSchema` was removed"),
    DependentRequiredAdded => ("dependent-required-added", TIGHT, "a `dependentRequired` entry was added"),
    DependentRequiredRemoved => ("dependent-required-removed", LOOSE, "a `dependentRequired` entry was removed"),
    DependentRequiredChanged => ("dependent-required-changed", None, "a `dependentRequired` entry changed"),
    DependentSchemaAdded => ("dependent-schema-added", TIGHT, "a `dependentSchemas` entry was added"),
    DependentSchemaRemoved => ("dependent-schema-removed", LOOSE, "a `dependentSchemas` entry was removed"),
    IfAdded => ("if-added", TIGHT, "an `if` subschema was added"),
    IfRemoved => ("if-removed", LOOSE, "the `if` subschema was removed"),
    ThenAdded => ("then-added", TIGHT, "a `then` subschema was added"),
    ThenRemoved => ("then-removed", LOOSE, "the `then` subschema was removed"),
    ElseAdded => ("else-added", TIGHT, "an `else` subschema was added"),
    ElseRemoved => ("else-removed", LOOSE, "the `else` subschema was removed"),
    PatternPropertyAdded => ("pattern-property-added", TIGHT, "a `patternProperties` entry was added"),
    PatternPropertyRemoved => ("pattern-property-removed", LOOSE, "a `patternProperties` entry was removed"),
    PrefixItemsAdded => ("prefix-items-added", None, "`prefixItems` gained a subschema"),
    PrefixItemsRemoved => ("prefix-items-removed", None, "`prefixItems` lost a subschema"),
    PropertyNamesAdded => ("property-names-added", TIGHT, "a `propertyNames` constraint was added"),
    PropertyNamesRemoved => ("property-names-removed", LOOSE, "the `propertyNames` constraint was removed"),
    UnevaluatedItemsAdded => ("unevaluated-items-added", TIGHT, "an `unevaluatedItems` constraint was added"),
    UnevaluatedItemsRemoved => ("unevaluated-items-removed", LOOSE, "the `unevaluatedItems` constraint was removed"),
    UnevaluatedPropertiesAdded => ("unevaluated-properties-added", TIGHT, "an `unevaluatedProperties` constraint was added"),
    UnevaluatedPropertiesRemoved => ("unevaluated-properties-removed", LOOSE, "the `unevaluatedProperties` constraint was removed"),
}

impl JsonRule {
    /// The level of a change that neither only tightens nor only loosens, as oasdiff grades it.
    pub fn fixed_level(self) -> Level {
        match self {
            // A value valid on one side is refused on the other, whichever way data flows.
            Self::ConstChanged
            | Self::ContentEncodingChanged
            | Self::ContentMediaTypeChanged
            | Self::DependentRequiredChanged => Level::Err,
            // Positional items: whether values still fit depends on the items, which oasdiff leaves to review.
            Self::PrefixItemsAdded | Self::PrefixItemsRemoved => Level::Warn,
            _ => Level::Info,
        }
    }

    /// A base and a head schema (YAML, one keyword a line) that show a change of this rule, for the
    /// registry's fixture test, which puts them at every place a schema sits.
    pub fn example(self) -> (&'static str, &'static str) {
        use JsonRule::*;
        match self {
            ConstAdded => ("type: string\n", "type: string\nconst: a\n"),
            ConstRemoved => ("type: string\nconst: a\n", "type: string\n"),
            ConstChanged => ("type: string\nconst: a\n", "type: string\nconst: b\n"),
            ExclusiveMaxDecreased => ("exclusiveMaximum: 6\n", "exclusiveMaximum: 5\n"),
            ExclusiveMaxIncreased => ("exclusiveMaximum: 5\n", "exclusiveMaximum: 6\n"),
            ExclusiveMinDecreased => ("exclusiveMinimum: 6\n", "exclusiveMinimum: 5\n"),
            ExclusiveMinIncreased => ("exclusiveMinimum: 5\n", "exclusiveMinimum: 6\n"),
            ListOfTypesNarrowed => ("type: [string, integer]\n", "type: string\n"),
            ListOfTypesWidened => ("type: string\n", "type: [string, integer]\n"),
            ContainsAdded => ("type: array\n", "type: array\ncontains: {type: string}\n"),
            ContainsRemoved => ("type: array\ncontains: {type: string}\n", "type: array\n"),
            MinContainsSet => ("type: array\n", "type: array\nminContains: 2\n"),
            MinContainsUnset => ("type: array\nminContains: 2\n", "type: array\n"),
            MinContainsIncreased => ("type: array\nminContains: 2\n", "type: array\nminContains: 3\n"),
            MinContainsDecreased => ("type: array\nminContains: 3\n", "type: array\nminContains: 2\n"),
            MaxContainsSet => ("type: array\n", "type: array\nmaxContains: 2\n"),
            MaxContainsUnset => ("type: array\nmaxContains: 2\n", "type: array\n"),
            MaxContainsDecreased => ("type: array\nmaxContains: 3\n", "type: array\nmaxContains: 2\n"),
            MaxContainsIncreased => ("type: array\nmaxContains: 2\n", "type: array\nmaxContains: 3\n"),
            ContentEncodingChanged => (
                "type: string\ncontentEncoding: base64\n",
                "type: string\ncontentEncoding: base32\n",
            ),
            ContentMediaTypeChanged => (
                "type: string\ncontentMediaType: text/plain\n",
                "type: string\ncontentMediaType: image/png\n",
            ),
            ContentSchemaAdded => ("type: string\n", "type: string\ncontentSchema: {type: object}\n"),
            ContentSchemaRemoved => ("type: string\ncontentSchema: {type: object}\n", "type: string\n"),
            DependentRequiredAdded => ("type: object\n", "type: object\ndependentRequired: {a: [b]}\n"),
            DependentRequiredRemoved => ("type: object\ndependentRequired: {a: [b]}\n", "type: object\n"),
            DependentRequiredChanged => (
                "type: object\ndependentRequired: {a: [b]}\n",
                "type: object\ndependentRequired: {a: [c]}\n",
            ),
            DependentSchemaAdded => (
                "type: object\n",
                "type: object\ndependentSchemas: {a: {required: [b]}}\n",
            ),
            DependentSchemaRemoved => (
                "type: object\ndependentSchemas: {a: {required: [b]}}\n",
                "type: object\n",
            ),
            IfAdded => ("type: object\n", "type: object\nif: {required: [a]}\n"),
            IfRemoved => ("type: object\nif: {required: [a]}\n", "type: object\n"),
            ThenAdded => ("type: object\n", "type: object\nthen: {required: [b]}\n"),
            ThenRemoved => ("type: object\nthen: {required: [b]}\n", "type: object\n"),
            ElseAdded => ("type: object\n", "type: object\nelse: {required: [c]}\n"),
            ElseRemoved => ("type: object\nelse: {required: [c]}\n", "type: object\n"),
            PatternPropertyAdded => (
                "type: object\n",
                "type: object\npatternProperties: {'^x-': {type: string}}\n",
            ),
            PatternPropertyRemoved => (
                "type: object\npatternProperties: {'^x-': {type: string}}\n",
                "type: object\n",
            ),
            PrefixItemsAdded => ("type: array\n", "type: array\nprefixItems: [{type: string}]\n"),
            PrefixItemsRemoved => ("type: array\nprefixItems: [{type: string}]\n", "type: array\n"),
            PropertyNamesAdded => ("type: object\n", "type: object\npropertyNames: {maxLength: 3}\n"),
            PropertyNamesRemoved => ("type: object\npropertyNames: {maxLength: 3}\n", "type: object\n"),
            UnevaluatedItemsAdded => ("type: array\n", "type: array\nunevaluatedItems: false\n"),
            UnevaluatedItemsRemoved => ("type: array\nunevaluatedItems: false\n", "type: array\n"),
            UnevaluatedPropertiesAdded => ("type: object\n", "type: object\nunevaluatedProperties: false\n"),
            UnevaluatedPropertiesRemoved => ("type: object\nunevaluatedProperties: false\n", "type: object\n"),
        }
    }
}

/// The set of types a schema names, from a string or a list; empty when it names none.
fn types(schema: &Value) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(t)) => BTreeSet::from([t.clone()]),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => BTreeSet::new(),
    }
}

/// A numeric keyword's value; a boolean (3.0's `exclusiveMinimum: true`) is not one.
fn number(schema: &Value, keyword: &str) -> Option<f64> {
    schema.get(keyword).filter(|v| v.is_number()).and_then(Value::as_f64)
}

impl Walk<'_, '_, '_> {
    /// Every 2020-12 family, for one pair of resolved schemas.
    pub(super) fn json_schema(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let at = |keyword: &str| format!("{pointer}/{keyword}");
        let what = Self::what(path);
        self.type_list(base, head, &at("type"), path);

        match (base.get("const"), head.get("const")) {
            (None, Some(c)) => self.json(
                JsonRule::ConstAdded,
                path,
                &at("const"),
                format!("{what} must now be {}", show(Some(c))),
            ),
            (Some(c), None) => self.json(
                JsonRule::ConstRemoved,
                path,
                &at("const"),
                format!("{what} no longer has to be {}", show(Some(c))),
            ),
            (Some(b), Some(h)) if b != h => self.json(
                JsonRule::ConstChanged,
                path,
                &at("const"),
                format!("{what} must now be {} instead of {}", show(Some(h)), show(Some(b))),
            ),
            _ => {}
        }

        for (keyword, set, unset, decreased, increased) in [
            (
                "exclusiveMinimum",
                SchemaRule::ExclusiveMinSet,
                SchemaRule::ExclusiveMinUnset,
                JsonRule::ExclusiveMinDecreased,
                JsonRule::ExclusiveMinIncreased,
            ),
            (
                "exclusiveMaximum",
                SchemaRule::ExclusiveMaxSet,
                SchemaRule::ExclusiveMaxUnset,
                JsonRule::ExclusiveMaxDecreased,
                JsonRule::ExclusiveMaxIncreased,
            ),
        ] {
            // 3.0's boolean form is compared in `annotations`; a boolean on one side only is a dialect
            // change that `normalize::pair` has already made numeric when it means the same.
            let boolean = |s: &Value| s.get(keyword).is_some_and(Value::is_boolean);
            if boolean(base) || boolean(head) {
                continue;
            }
            let message = format!(
                "{what}: {keyword} {} → {}",
                show(base.get(keyword)),
                show(head.get(keyword))
            );
            match (number(base, keyword), number(head, keyword)) {
                (None, Some(_)) => self.schema(set, path, &at(keyword), message),
                (Some(_), None) => self.schema(unset, path, &at(keyword), message),
                (Some(b), Some(h)) if h < b => self.json(decreased, path, &at(keyword), message),
                (Some(b), Some(h)) if h > b => self.json(increased, path, &at(keyword), message),
                _ => {}
            }
        }

        for (keyword, [set, unset, decreased, increased]) in [
            (
                "minContains",
                [
                    JsonRule::MinContainsSet,
                    JsonRule::MinContainsUnset,
                    JsonRule::MinContainsDecreased,
                    JsonRule::MinContainsIncreased,
                ],
            ),
            (
                "maxContains",
                [
                    JsonRule::MaxContainsSet,
                    JsonRule::MaxContainsUnset,
                    JsonRule::MaxContainsDecreased,
                    JsonRule::MaxContainsIncreased,
                ],
            ),
        ] {
            let rule = match (number(base, keyword), number(head, keyword)) {
                (None, Some(_)) => set,
                (Some(_), None) => unset,
                (Some(b), Some(h)) if h < b => decreased,
                (Some(b), Some(h)) if h > b => increased,
                _ => continue,
            };
            let message = format!(
                "{what}: {keyword} {} → {}",
                show(base.get(keyword)),
                show(head.get(keyword))
            );
            self.json(rule, path, &at(keyword), message);
        }

        for (keyword, rule) in [
            ("contentEncoding", JsonRule::ContentEncodingChanged),
            ("contentMediaType", JsonRule::ContentMediaTypeChanged),
        ] {
            if base.get(keyword) != head.get(keyword) {
                let message = format!(
                    "{what}: {keyword} {} → {}",
                    show(base.get(keyword)),
                    show(head.get(keyword))
                );
                self.json(rule, path, &at(keyword), message);
            }
        }

        // Keywords holding one subschema: its arrival or departure is a rule, a change inside it is
        // compared as any schema is.
        for (keyword, added, removed) in [
            ("contains", JsonRule::ContainsAdded, JsonRule::ContainsRemoved),
            (
                "contentSchema",
                JsonRule::ContentSchemaAdded,
                JsonRule::ContentSchemaRemoved,
            ),
            ("if", JsonRule::IfAdded, JsonRule::IfRemoved),
            ("then", JsonRule::ThenAdded, JsonRule::ThenRemoved),
            ("else", JsonRule::ElseAdded, JsonRule::ElseRemoved),
            (
                "propertyNames",
                JsonRule::PropertyNamesAdded,
                JsonRule::PropertyNamesRemoved,
            ),
            (
                "unevaluatedItems",
                JsonRule::UnevaluatedItemsAdded,
                JsonRule::UnevaluatedItemsRemoved,
            ),
            (
                "unevaluatedProperties",
                JsonRule::UnevaluatedPropertiesAdded,
                JsonRule::UnevaluatedPropertiesRemoved,
            ),
        ] {
            match (base.get(keyword), head.get(keyword)) {
                (None, Some(_)) => self.json(added, path, &at(keyword), format!("{what} got `{keyword}`")),
                (Some(_), None) => self.json(removed, path, &at(keyword), format!("{what} lost `{keyword}`")),
                (Some(b @ Value::Object(_)), Some(h @ Value::Object(_))) => {
                    self.node(b, h, &at(keyword), &format!("{path}<{keyword}>"))
                }
                _ => {}
            }
        }

        // oasdiff compares inside `not` as inside any subschema, in the schema's own direction, though a
        // tightening there loosens the whole; the diff follows it so that the two agree, and `not` itself
        // arriving or leaving has no rule in either.
        if let (Some(b @ Value::Object(_)), Some(h @ Value::Object(_))) = (base.get("not"), head.get("not")) {
            self.node(b, h, &at("not"), &format!("{path}<not>"));
        }

        let map = |s: &Value, keyword: &str| -> BTreeMap<String, Value> {
            s.get(keyword)
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let (b, h) = (map(base, "dependentRequired"), map(head, "dependentRequired"));
        for (name, old) in &b {
            let rule = match h.get(name) {
                None => JsonRule::DependentRequiredRemoved,
                Some(new) if new != old => JsonRule::DependentRequiredChanged,
                Some(_) => continue,
            };
            let message = format!("{what}: the fields required with `{name}` changed");
            self.json(rule, path, &at("dependentRequired"), message);
        }
        for name in h.keys().filter(|n| !b.contains_key(*n)) {
            let message = format!("{what}: `{name}` now requires {}", show(h.get(name)));
            self.json(
                JsonRule::DependentRequiredAdded,
                path,
                &at("dependentRequired"),
                message,
            );
        }

        for (keyword, added, removed) in [
            (
                "dependentSchemas",
                JsonRule::DependentSchemaAdded,
                JsonRule::DependentSchemaRemoved,
            ),
            (
                "patternProperties",
                JsonRule::PatternPropertyAdded,
                JsonRule::PatternPropertyRemoved,
            ),
        ] {
            let (b, h) = (map(base, keyword), map(head, keyword));
            for (name, old) in &b {
                match h.get(name) {
                    None => self.json(
                        removed,
                        path,
                        &at(keyword),
                        format!("{what} lost the {keyword} entry `{name}`"),
                    ),
                    Some(new) => self.node(
                        old,
                        new,
                        &format!("{pointer}/{keyword}/{}", crate::document::escape(name)),
                        &format!("{path}<{name}>"),
                    ),
                }
            }
            for name in h.keys().filter(|n| !b.contains_key(*n)) {
                self.json(
                    added,
                    path,
                    &at(keyword),
                    format!("{what} got the {keyword} entry `{name}`"),
                );
            }
        }

        let list = |s: &Value| {
            s.get("prefixItems")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (b, h) = (list(base), list(head));
        for (index, (old, new)) in b.iter().zip(&h).enumerate() {
            self.node(
                old,
                new,
                &format!("{pointer}/prefixItems/{index}"),
                &format!("{path}[{index}]"),
            );
        }
        if h.len() > b.len() {
            let message = format!("{what}: prefixItems gained {} subschema(s)", h.len() - b.len());
            self.json(JsonRule::PrefixItemsAdded, path, &at("prefixItems"), message);
        } else if h.len() < b.len() {
            let message = format!("{what}: prefixItems lost {} subschema(s)", b.len() - h.len());
            self.json(JsonRule::PrefixItemsRemoved, path, &at("prefixItems"), message);
        }
    }

    /// A type list (`type: [string, integer]`, or a list of one and a single type) that gained or lost types.
    /// A change from one type to another is `type_change`'s.
    fn type_list(&mut self, base: &Value, head: &Value, pointer: &str, path: &str) {
        let (b, h) = (types(base), types(head));
        if b == h || b.is_empty() || h.is_empty() || (b.len() == 1 && h.len() == 1) {
            return;
        }
        let what = Self::what(path);
        let names = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
        let message = format!("{what}'s types went from [{}] to [{}]", names(&b), names(&h));
        if h.is_superset(&b) {
            self.json(JsonRule::ListOfTypesWidened, path, pointer, message);
        } else if h.is_subset(&b) {
            self.json(JsonRule::ListOfTypesNarrowed, path, pointer, message);
        } else {
            self.schema(SchemaRule::TypeChanged, path, pointer, message);
        }
    }

    fn json(&mut self, rule: JsonRule, path: &str, pointer: &str, message: String) {
        self.schema(SchemaRule::Json(rule), path, pointer, message);
    }
}
