//! Changes judged by the values a schema accepts, not by how it is written: rewrites that accept and produce the
//! same values, or only specialise a response, are not breaking.

use openapi_toolkit::Document;
use openapi_toolkit::diff::{Level, Pair, Report, compare};
use serde_json::{Value, json};

/// A document whose `POST /things` takes `request` and answers with `response`, with a component `Thing`.
fn spec(request: Value, response: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1.0.0"},
        "paths": {"/things": {"post": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": request}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": response}}}},
        }}},
        "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"}, "kind": {"type": "string", "enum": ["a", "b"]},
        }}}},
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

/// The changes at ERR or WARN, as `rule at location`.
fn breaking(report: &Report) -> Vec<String> {
    report
        .changes
        .iter()
        .filter(|c| c.level != Level::Info)
        .map(|c| format!("{} at {}", c.rule.id(), c.location))
        .collect()
}

fn thing() -> Value {
    json!({"$ref": "#/components/schemas/Thing"})
}

#[test]
fn a_response_that_gains_a_type_is_specialised_not_broken() {
    let base = spec(json!({}), json!({"properties": {"id": {"type": "string"}}}));
    let head = spec(
        json!({}),
        json!({"type": "object", "properties": {"id": {"type": "string"}}}),
    );
    let report = diff(base, head);
    assert!(
        report.changes.is_empty(),
        "`properties` already made it an object: {:#?}",
        report.changes
    );

    let base = spec(json!({}), json!({"description": "anything"}));
    let head = spec(json!({}), json!({"description": "anything", "type": "object"}));
    let report = diff(base, head);
    assert_eq!(breaking(&report), Vec::<String>::new());
    assert_eq!(report.changes[0].rule.id(), "response-body-type-specialized");
}

#[test]
fn a_request_property_that_loses_its_type_or_widens_to_an_any_of_is_not_breaking() {
    let request = |name: Value| json!({"type": "object", "properties": {"name": name}});
    let base = spec(request(json!({"type": "string"})), json!({}));
    let report = diff(
        base.clone(),
        spec(request(json!({"description": "any value"})), json!({})),
    );
    assert_eq!(breaking(&report), Vec::<String>::new());
    let widened = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
    let report = diff(base.clone(), spec(request(widened), json!({})));
    assert_eq!(breaking(&report), Vec::<String>::new());
    // The reverse takes values away from what clients send.
    let report = diff(spec(request(json!({"description": "any value"})), json!({})), base);
    assert_eq!(
        breaking(&report),
        ["request-property-type-specialized at request body: name"]
    );
}

#[test]
fn one_of_turned_into_any_of_with_the_same_members_is_no_change() {
    let other = json!({"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}});
    let base = spec(
        json!({"oneOf": [thing(), other.clone()]}),
        json!({"oneOf": [thing(), other.clone()]}),
    );
    let head = spec(
        json!({"anyOf": [thing(), other.clone()]}),
        json!({"anyOf": [thing(), other.clone()]}),
    );
    let report = diff(base.clone(), head.clone());
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert!(diff(head, base.clone()).changes.is_empty());
    // A member that really goes is still reported.
    let head = spec(json!({"anyOf": [thing()]}), json!({"anyOf": [thing(), other]}));
    assert_eq!(
        breaking(&diff(base, head)),
        ["request-body-one-of-removed at request body"]
    );
}

#[test]
fn a_nullable_any_of_ref_turned_into_the_plain_ref_specialises_a_response() {
    let nullable = json!({"anyOf": [thing()], "nullable": true});
    let base = spec(json!({}), nullable.clone());
    let report = diff(base.clone(), spec(json!({}), thing()));
    assert_eq!(breaking(&report), Vec::<String>::new());
    let ids: Vec<String> = report.changes.iter().map(|c| c.rule.id()).collect();
    assert_eq!(ids, ["response-body-became-not-nullable"], "{:#?}", report.changes);
    // In a request the same edit refuses the null that clients could send.
    let report = diff(spec(nullable.clone(), json!({})), spec(thing(), json!({})));
    assert_eq!(breaking(&report), ["request-body-became-not-nullable at request body"]);
    // And the reverse, a response that may now be null, breaks its readers.
    let report = diff(spec(json!({}), thing()), base);
    assert_eq!(
        breaking(&report),
        ["response-body-became-nullable at 200 response body"]
    );
}

#[test]
fn an_enum_beside_a_member_that_takes_any_string_changes_nothing() {
    let status = |values: &[&str]| json!({"anyOf": [{"type": "string", "enum": values}, {"type": "string"}]});
    let base = spec(status(&["a", "b"]), status(&["a", "b"]));
    let report = diff(base.clone(), spec(status(&["a"]), status(&["a", "b", "c"])));
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    // Without the open member the same edits break: a value refused in a request, an unknown one in a response.
    let closed = |values: &[&str]| json!({"anyOf": [{"type": "string", "enum": values}, {"type": "integer"}]});
    let report = diff(
        spec(closed(&["a", "b"]), closed(&["a", "b"])),
        spec(closed(&["a"]), closed(&["a", "b", "c"])),
    );
    assert_eq!(
        breaking(&report),
        [
            "response-body-enum-value-added at 200 response body",
            "request-body-enum-value-removed at request body"
        ]
    );
}
