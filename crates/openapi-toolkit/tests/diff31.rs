//! The diff on OpenAPI 3.1: 2020-12 families, type-list nullability, webhooks, and a 3.0-to-3.1 migration.
//!
//! The families carry oasdiff's ids; a faithful migration of the contract must compare as no change.

use std::path::Path;

use openapi_toolkit::Document;
use openapi_toolkit::diff::{Change, JsonRule, Level, Pair, Place, Rule, SchemaRule, compare};
use serde_json::Value;

fn fixture(name: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff31")
        .join(name);
    Document::load(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn diff(base: &Document, head: &Document) -> Vec<Change> {
    compare(Pair { base, head }).changes
}

fn parse(name: &str, text: &str) -> Document {
    Document::parse(name, text.to_string()).unwrap_or_else(|err| panic!("{name}: {err}\n{text}"))
}

fn ids(changes: &[Change]) -> Vec<(String, Level)> {
    changes.iter().map(|c| (c.rule.id(), c.level)).collect()
}

fn indent(snippet: &str, by: usize) -> String {
    snippet.lines().map(|l| format!("{}{l}\n", " ".repeat(by))).collect()
}

/// A 3.1 document with `snippet` as the schema at `place` (every other schema fixed).
fn document_with(place: Place, snippet: &str) -> String {
    let probe = |by: usize| format!("{}description: A probe.\n{}", " ".repeat(by), indent(snippet, by));
    let object_with_probe = |by: usize| {
        let pad = " ".repeat(by);
        format!("{pad}type: object\n{pad}properties:\n{pad}  probe:\n{}", probe(by + 4))
    };
    let (parameter, request, response, header) = match place {
        Place::RequestParameter => (
            probe(12),
            "type: object\n".to_string(),
            "type: object\n".to_string(),
            None,
        ),
        Place::RequestParameterProperty => (
            object_with_probe(12),
            "type: object\n".to_string(),
            "type: object\n".to_string(),
            None,
        ),
        Place::RequestBody => (
            "            type: string\n".into(),
            snippet.to_string(),
            "type: object\n".into(),
            None,
        ),
        Place::RequestProperty => (
            "            type: string\n".into(),
            object_with_probe(0),
            "type: object\n".into(),
            None,
        ),
        Place::ResponseBody => (
            "            type: string\n".into(),
            "type: object\n".into(),
            snippet.to_string(),
            None,
        ),
        Place::ResponseProperty => (
            "            type: string\n".into(),
            "type: object\n".into(),
            object_with_probe(0),
            None,
        ),
        Place::ResponseHeader => (
            "            type: string\n".into(),
            "type: object\n".into(),
            "type: object\n".into(),
            Some(snippet),
        ),
    };
    let header = header.map_or(String::new(), |s| {
        format!(
            "          headers:\n            X-Probe:\n              schema:\n{}",
            indent(s, 16)
        )
    });
    format!(
        "openapi: 3.1.0\ninfo:\n  title: probe\n  version: 1.0.0\npaths:\n  /things:\n    post:\n      operationId: make\n      \
         parameters:\n        - name: probe\n          in: query\n          schema:\n{parameter}      requestBody:\n        \
         content:\n          application/json:\n            schema:\n{}      responses:\n        '200':\n          \
         description: OK.\n{header}          content:\n            application/json:\n              schema:\n{}",
        indent(&request, 14),
        indent(&response, 16),
    )
}

/// Every 2020-12 rule, at every place a schema sits, yields its id at its registry level on a 3.1 pair.
#[test]
fn every_json_schema_rule_fires_at_every_place() {
    let mut misses = Vec::new();
    for &rule in JsonRule::ALL {
        for place in Place::ALL {
            let (base, head) = rule.example();
            let (base_text, head_text) = (document_with(place, base), document_with(place, head));
            let expected = Rule::Schema(place, SchemaRule::Json(rule));
            let changes = diff(&parse("base.yaml", &base_text), &parse("head.yaml", &head_text));
            if !changes
                .iter()
                .any(|c| c.rule == expected && c.level == expected.level())
            {
                misses.push(format!("{}: got {:?}", expected.id(), ids(&changes)));
            }
        }
    }
    assert!(misses.is_empty(), "{} miss(es):\n{}", misses.len(), misses.join("\n"));
}

/// The levels oasdiff gives the 2020-12 families, for a few ids of each kind (its `checks` list).
#[test]
fn levels_follow_oasdiff() {
    let level = |id: &str| Rule::from_id(id).unwrap_or_else(|| panic!("no rule {id}")).level();
    for (id, expected) in [
        ("request-body-const-added", Level::Err),
        ("response-body-const-added", Level::Info),
        ("response-property-const-removed", Level::Err),
        ("response-property-const-changed", Level::Err),
        ("request-property-exclusive-min-increased", Level::Err),
        ("response-body-exclusive-max-increased", Level::Err),
        ("request-parameter-exclusive-max-increased", Level::Info),
        ("request-body-prefix-items-added", Level::Warn),
        ("response-property-prefix-items-removed", Level::Warn),
        ("request-property-content-media-type-changed", Level::Err),
        ("response-body-content-encoding-changed", Level::Err),
        ("response-body-dependent-required-changed", Level::Err),
        ("request-property-list-of-types-narrowed", Level::Err),
        ("response-property-list-of-types-widened", Level::Err),
        ("request-body-min-contains-increased", Level::Err),
        ("response-header-max-contains-unset", Level::Err),
        ("request-property-unevaluated-properties-added", Level::Err),
        ("response-property-unevaluated-items-added", Level::Info),
        ("webhook-added", Level::Info),
        ("webhook-removed", Level::Err),
    ] {
        assert_eq!(level(id), expected, "{id}");
    }
}

/// A property that becomes `type: [string, "null"]` is a nullability change in both directions, not a type change.
#[test]
fn a_type_list_with_null_is_a_nullability_change() {
    let (base, head) = (
        fixture("nullable-type-list-base.yaml"),
        fixture("nullable-type-list-revision.yaml"),
    );
    let found = ids(&diff(&base, &head));
    for expected in [
        ("request-property-became-nullable", Level::Info),
        ("response-property-became-nullable", Level::Err),
        ("request-property-became-not-nullable", Level::Err),
        ("response-property-became-not-nullable", Level::Info),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|(id, _)| id.contains("type-changed") || id.contains("list-of-types")),
        "a type change in {found:?}"
    );
}

/// The same nullability change written in 3.0 (`nullable: true`) gives the same ids.
#[test]
fn nullable_and_a_type_list_give_the_same_ids() {
    let text = |version: &str, photo: &str| {
        format!(
            "openapi: {version}\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /d:\n    post:\n      requestBody:\n        \
             content:\n          application/json:\n            schema:\n              type: object\n              \
             properties:\n                photo:\n{}      responses:\n        '200':\n          description: OK.\n",
            indent(photo, 18)
        )
    };
    let of = |version: &str, base: &str, head: &str| {
        let mut found: Vec<String> = diff(
            &parse("b.yaml", &text(version, base)),
            &parse("h.yaml", &text(version, head)),
        )
        .iter()
        .map(|c| c.rule.id())
        .collect();
        found.sort();
        found
    };
    let openapi30 = of("3.0.3", "type: string\n", "type: string\nnullable: true\n");
    let openapi31 = of("3.1.0", "type: string\n", "type: [string, 'null']\n");
    assert_eq!(openapi30, vec!["request-property-became-nullable".to_string()]);
    assert_eq!(openapi31, openapi30);
}

/// Webhooks added and removed, and the operation checks applied inside a kept one: a header parameter
/// made required, the request body made required, a property's limit tightened, a success status removed,
/// the operation deprecated.
#[test]
fn webhooks_are_added_removed_and_compared_like_operations() {
    let changes = diff(&fixture("webhooks-base.yaml"), &fixture("webhooks-revision.yaml"));
    let found = ids(&changes);
    for expected in [
        ("webhook-added", Level::Info),
        ("webhook-removed", Level::Err),
        ("request-parameter-became-required", Level::Err),
        ("request-body-became-required", Level::Err),
        ("request-property-max-length-decreased", Level::Err),
        ("response-success-status-removed", Level::Err),
        ("endpoint-deprecated", Level::Info),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {found:?}"
        );
    }
    let removed = changes.iter().find(|c| c.rule == Rule::WebhookRemoved).unwrap();
    assert_eq!(removed.pointer, "/webhooks/dialogDeleted");
    let required = changes
        .iter()
        .find(|c| c.rule.id() == "request-body-became-required")
        .unwrap();
    assert_eq!(required.operation, "POST webhook dialogCreated");
    // Nothing is reported twice, and nothing else moved.
    assert_eq!(found.len(), 7, "{found:?}");
}

/// A schema rewritten into 3.1's dialect: `nullable: true` as a type list with null, an `example` as `examples`,
/// a boolean exclusive bound as a numeric one, and a one-value `enum` as `const`.
fn migrate(value: &mut Value, in_schema: bool) {
    match value {
        Value::Object(map) => {
            if in_schema {
                if map.remove("nullable") == Some(Value::Bool(true))
                    && let Some(Value::String(t)) = map.get("type").cloned()
                {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
                if let Some(example) = map.remove("example") {
                    map.insert("examples".into(), Value::Array(vec![example]));
                }
                for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                    if map.get(exclusive) == Some(&Value::Bool(true))
                        && let Some(limit) = map.remove(bound)
                    {
                        map.insert(exclusive.into(), limit);
                    }
                }
                if let Some(Value::Array(values)) = map.get("enum")
                    && values.len() == 1
                {
                    let only = values[0].clone();
                    map.remove("enum");
                    map.insert("const".into(), only);
                }
            }
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                let schema = key == "schema"
                    || (in_schema && !matches!(key.as_str(), "enum" | "const" | "default" | "required"))
                    || key == "schemas";
                migrate(child, schema);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| migrate(i, in_schema)),
        _ => {}
    }
}

fn migrated(base: &Document) -> Document {
    let mut value = base.value().clone();
    value["openapi"] = Value::from("3.1.0");
    migrate(&mut value, false);
    parse("dialog-3.1.json", &serde_json::to_string_pretty(&value).unwrap())
}

/// The contract against its faithful 3.1 migration, both ways: the diff compares meaning, so there is no change.
#[test]
fn a_faithful_migration_of_the_contract_is_no_change() {
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/dialog.yaml");
    let base = Document::load(&contract).unwrap();
    let head = migrated(&base);
    // The migration did rewrite something, or the test would prove nothing.
    let text = serde_json::to_string(head.value()).unwrap();
    assert!(
        text.contains(r#""null"]"#) && !text.contains("nullable"),
        "the migration changed nothing"
    );
    assert_eq!(ids(&diff(&base, &head)), vec![], "3.0 → 3.1");
    assert_eq!(ids(&diff(&head, &base)), vec![], "3.1 → 3.0");
}

/// A migration that is not faithful still shows: the diff did not just stop looking at 3.1 documents.
#[test]
fn an_unfaithful_migration_shows() {
    let contract = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/dialog.yaml");
    let base = Document::load(&contract).unwrap();
    let mut value = migrated(&base).value().clone();
    let photo = &mut value["components"]["schemas"]["Dialog"]["properties"]["photo"];
    assert_eq!(photo["type"], serde_json::json!(["string", "null"]));
    photo["type"] = Value::from("string");
    let head = parse("dialog-3.1.json", &serde_json::to_string(&value).unwrap());
    let found = ids(&diff(&base, &head));
    assert!(
        found.contains(&("response-property-became-not-nullable".to_string(), Level::Info)),
        "{found:?}"
    );
}

/// 3.0's `minimum` with a boolean `exclusiveMinimum` and 3.1's numeric one, `enum: [v]` and `const: v`: the
/// same meaning in two dialects is no change; a changed limit is still one.
#[test]
fn dialect_pairs_compare_by_meaning() {
    let text = |version: &str, schema: &str| {
        format!(
            "openapi: {version}\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /d:\n    post:\n      requestBody:\n        \
             content:\n          application/json:\n            schema:\n{}      responses:\n        '200':\n          \
             description: OK.\n",
            indent(schema, 14)
        )
    };
    let found = |base: &str, head: &str| {
        ids(&diff(
            &parse("b.yaml", &text("3.0.3", base)),
            &parse("h.yaml", &text("3.1.0", head)),
        ))
    };
    assert_eq!(
        found("minimum: 0\nexclusiveMinimum: true\n", "exclusiveMinimum: 0\n"),
        vec![]
    );
    assert_eq!(
        found("maximum: 9\nexclusiveMaximum: true\n", "exclusiveMaximum: 9\n"),
        vec![]
    );
    assert_eq!(found("enum: [group]\n", "const: group\n"), vec![]);
    assert_eq!(
        found("minimum: 0\nexclusiveMinimum: true\n", "exclusiveMinimum: 1\n"),
        vec![("request-body-exclusive-min-increased".to_string(), Level::Err)]
    );
    assert_eq!(
        found("enum: [group]\n", "const: private\n"),
        vec![("request-body-const-changed".to_string(), Level::Err)]
    );
}

/// A 3.1 `$ref` with constraining siblings compares as the reference and the siblings together.
#[test]
fn a_reference_with_siblings_keeps_its_constraints() {
    let text = |limit: u32| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /d:\n    post:\n      requestBody:\n        \
             content:\n          application/json:\n            schema:\n              type: object\n              \
             properties:\n                name:\n                  $ref: '#/components/schemas/Name'\n                  \
             description: The name.\n                  maxLength: {limit}\n      responses:\n        '200':\n          \
             description: OK.\ncomponents:\n  schemas:\n    Name:\n      type: string\n"
        )
    };
    let found = ids(&diff(&parse("b.yaml", &text(10)), &parse("h.yaml", &text(5))));
    assert_eq!(
        found,
        vec![("request-property-max-length-decreased".to_string(), Level::Err)]
    );
    assert_eq!(
        ids(&diff(&parse("b.yaml", &text(10)), &parse("h.yaml", &text(10)))),
        vec![]
    );
}
