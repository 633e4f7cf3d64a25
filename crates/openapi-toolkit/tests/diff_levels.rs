//! Levels where oasdiff's fixtures and this diff used to disagree: a parameter's default, an empty pattern,
//! readOnly request properties, servers.

use openapi_toolkit::Document;
use openapi_toolkit::diff::{Level, Pair, Report, compare};
use serde_json::{Value, json};

/// `GET /things` with a query parameter `limit` (its schema, its `required`) and a request property `name`.
fn spec(limit: Value, required: bool, name: Value, servers: &[&str]) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1.0.0"},
        "servers": servers.iter().map(|url| json!({"url": url})).collect::<Vec<_>>(),
        "paths": {"/things": {"post": {
            "parameters": [{"name": "limit", "in": "query", "required": required, "schema": limit}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"name": name},
            }}}},
            "responses": {"200": {"description": "OK"}},
        }}},
    })
}

fn diff(base: Value, head: Value) -> Report {
    let base = Document::parse("base.json", base.to_string()).unwrap();
    let head = Document::parse("head.json", head.to_string()).unwrap();
    compare(Pair {
        base: &base,
        head: &head,
    })
}

fn levels(report: &Report) -> Vec<(String, Level)> {
    report.changes.iter().map(|c| (c.rule.id(), c.level)).collect()
}

fn name() -> Value {
    json!({"type": "string"})
}

#[test]
fn an_optional_parameters_default_is_what_clients_that_omit_it_ask_for() {
    let limit = |default: Option<i64>| match default {
        Some(d) => json!({"type": "integer", "default": d}),
        None => json!({"type": "integer"}),
    };
    for (base, head, rule) in [
        (None, Some(10), "request-parameter-default-value-added"),
        (Some(10), Some(20), "request-parameter-default-value-changed"),
        (Some(10), None, "request-parameter-default-value-removed"),
    ] {
        let report = diff(
            spec(limit(base), false, name(), &[]),
            spec(limit(head), false, name(), &[]),
        );
        assert_eq!(levels(&report), [(rule.to_string(), Level::Err)]);
        // A required parameter is always sent: its default changes nothing a client asks for.
        let report = diff(
            spec(limit(base), true, name(), &[]),
            spec(limit(head), true, name(), &[]),
        );
        assert_eq!(levels(&report), [(rule.to_string(), Level::Info)]);
    }
}

#[test]
fn an_empty_pattern_is_no_pattern() {
    let with = |pattern: &str| json!({"type": "string", "pattern": pattern});
    let limit = json!({"type": "integer"});
    let report = diff(
        spec(limit.clone(), false, with(""), &[]),
        spec(limit, false, with("^\\w+$"), &[]),
    );
    assert_eq!(
        levels(&report),
        [("request-property-pattern-added".to_string(), Level::Err)]
    );
}

#[test]
fn a_request_property_read_only_in_the_head_is_not_sent_so_its_values_break_nobody() {
    let limit = json!({"type": "integer"});
    let base = json!({"type": "integer", "maximum": 100});
    let head = json!({"type": "integer", "maximum": 10, "readOnly": true});
    let report = diff(spec(limit.clone(), false, base, &[]), spec(limit, false, head, &[]));
    let max = report
        .changes
        .iter()
        .find(|c| c.rule.id() == "request-property-max-decreased")
        .expect("the change is still listed");
    assert_eq!(max.level, Level::Info, "{:#?}", report.changes);
}

#[test]
fn a_removed_server_is_deployment_not_a_break() {
    let limit = json!({"type": "integer"});
    let base = spec(
        limit.clone(),
        false,
        name(),
        &["https://a.example", "https://b.example"],
    );
    let head = spec(limit, false, name(), &["https://a.example"]);
    assert_eq!(
        levels(&diff(base, head)),
        [("api-server-removed".to_string(), Level::Info)]
    );
}
