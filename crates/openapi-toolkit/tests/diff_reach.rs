//! Every operation that reaches a changed component is listed under its change, reference cycles included:
//! on a small cycle, and on a large generated document whose schemas all sit on one cycle.

#[path = "../benches/spec_gen.rs"]
mod spec_gen;

use std::collections::{BTreeMap, BTreeSet};

use openapi_toolkit::Document;
use openapi_toolkit::diff::{Direction, Pair, Report, compare};
use serde_json::{Value, json};

fn diff(base: &Value, head: &Value) -> Report {
    let base = Document::parse("base.json", serde_json::to_string(base).unwrap()).unwrap();
    let head = Document::parse("head.json", serde_json::to_string(head).unwrap()).unwrap();
    compare(Pair {
        base: &base,
        head: &head,
    })
}

/// Two operations and a cycle `A -> B -> A`: `GET /a` answers with A, `GET /b` with B. The first operation
/// walked (`GET /a`) meets B inside A and A again inside B; a change to A is behind B for `GET /b`.
fn cycle(a_enum: &[&str]) -> Value {
    let get = |schema: &str| {
        json!({"get": {"responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}}})
    };
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Cycle", "version": "1.0.0"},
        "paths": {"/a": get("A"), "/b": get("B")},
        "components": {"schemas": {
            "A": {"type": "object", "properties": {
                "b": {"$ref": "#/components/schemas/B"},
                "kind": {"type": "string", "enum": a_enum},
            }},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        }},
    })
}

#[test]
fn a_change_behind_a_cycle_lists_every_operation_that_reaches_it() {
    let report = diff(&cycle(&["x", "y"]), &cycle(&["x"]));
    let removed: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.rule.id() == "response-property-enum-value-removed")
        .collect();
    // One edit, one change: A is a body of `GET /a` and a property of B for `GET /b`, and is reported once.
    assert_eq!(removed.len(), 1, "{:#?}", report.changes);
    let operations: Vec<&str> = removed[0].operations.iter().map(String::as_str).collect();
    assert_eq!(operations, ["GET /a", "GET /b"], "{:#?}", removed[0]);
}

/// The generated document with one more reference, from the first resource to the last, which puts every
/// resource schema on one cycle: every operation then reaches every resource.
fn cyclic(scale: usize, revision: usize) -> Value {
    let mut spec = spec_gen::generate(scale, revision);
    let last = format!("#/components/schemas/Resource{}", 30 * scale - 1);
    spec["components"]["schemas"]["Resource0"]["properties"]["next"] = json!({"$ref": last});
    spec
}

/// The component names each schema refers to, directly.
fn references(spec: &Value) -> BTreeMap<String, BTreeSet<String>> {
    fn collect(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    out.insert(target.trim_start_matches("#/components/schemas/").to_string());
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut graph = BTreeMap::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let mut out = BTreeSet::new();
        collect(schema, &mut out);
        graph.insert(name.clone(), out);
    }
    graph
}

/// Which operations reach a component, and how: `(direction, component, through another component)`. The
/// oracle, computed from the references alone, apart from the diff's walk.
type Reached = BTreeMap<(Direction, String, bool), BTreeSet<String>>;

fn reached(spec: &Value) -> Reached {
    let graph = references(spec);
    let mut out = Reached::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let operation = format!("{} {path}", method.to_uppercase());
            let mut roots = Vec::new();
            if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema/$ref") {
                roots.push((Direction::Request, schema.as_str().unwrap()));
            }
            for response in op["responses"].as_object().unwrap().values() {
                if let Some(schema) = response.pointer("/content/application~1json/schema/$ref") {
                    roots.push((Direction::Response, schema.as_str().unwrap()));
                }
            }
            for (direction, root) in roots {
                let root = root.trim_start_matches("#/components/schemas/").to_string();
                out.entry((direction, root.clone(), false))
                    .or_default()
                    .insert(operation.clone());
                let mut stack: Vec<String> = graph[&root].iter().cloned().collect();
                let mut seen = BTreeSet::new();
                while let Some(name) = stack.pop() {
                    if seen.insert(name.clone()) {
                        stack.extend(graph[&name].iter().cloned());
                    }
                }
                for name in seen {
                    out.entry((direction, name, true))
                        .or_default()
                        .insert(operation.clone());
                }
            }
        }
    }
    out
}

#[test]
fn on_a_large_cyclic_document_every_change_lists_every_operation_that_reaches_it() {
    let (base, head) = (cyclic(2, 0), cyclic(2, 1));
    let report = diff(&base, &head);
    let oracle = reached(&base);
    let none = BTreeSet::new();
    let mut checked = 0;
    for change in &report.changes {
        let Some(name) = change.operation.strip_prefix("schema ") else {
            continue;
        };
        let direction = change.rule.direction().expect("a schema change has a direction");
        let get = |through: bool| oracle.get(&(direction, name.to_string(), through)).unwrap_or(&none);
        // A change inside the component is one change for every operation that reaches it; a change at its root
        // has a body rule or a property rule, as the component is a body or a property.
        let expected: BTreeSet<String> = if change.location.contains(": ") {
            get(false).union(get(true)).cloned().collect()
        } else if change.rule.id().contains("-body-") {
            get(false).clone()
        } else {
            get(true).clone()
        };
        assert_eq!(change.operations, expected, "{change:#?}");
        checked += 1;
    }
    // The revision changes a resource in a seventh and an eleventh of them, each seen from both directions.
    assert!(
        checked >= 10,
        "only {checked} changes at components: {:#?}",
        report.changes
    );
    // Every resource is on the cycle, so each change inside one reaches all 300 operations' responses.
    let inside: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.operation.starts_with("schema Resource") && c.location.starts_with("response: "))
        .collect();
    assert!(!inside.is_empty());
    assert!(inside.iter().all(|c| c.operations.len() == 5 * 60), "{inside:#?}");
}
