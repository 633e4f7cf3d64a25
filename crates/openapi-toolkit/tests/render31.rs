//! `bundle` and `docs` on an OpenAPI 3.1 document: type lists, `const`, `examples` lists and webhooks are rendered.

use std::path::Path;

use openapi_toolkit::{Document, bundle, docs};

fn clean_31() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/clean-3.1.yaml");
    Document::load_as(&path, "clean-3.1.yaml").unwrap()
}

#[test]
fn the_reference_page_renders_31_schemas_and_webhooks() {
    let html = docs::render(&clean_31(), "test docs").unwrap();
    assert!(
        html.contains("<a href=\"#webhooks\">Webhooks</a>"),
        "the navigation links the webhooks"
    );
    let webhooks = html
        .find("<h2 id=\"webhooks\">Webhooks</h2>")
        .expect("a webhooks section");
    let webhook = html.find("<code>thingCreated</code>").expect("the webhook");
    let authentication = html.find("<h2 id=\"authentication\">").unwrap();
    assert!(webhooks < webhook && webhook < authentication);
    assert!(html.contains("string or null"), "a type list reads as its types");
    assert!(html.contains("always <code>&quot;thing&quot;</code>"), "const is shown");
    // The request sample takes the first entry of an `examples` list.
    let page = docs::render(
        &Document::parse(
            "a.yaml",
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/clean-3.1.yaml"))
                .unwrap()
                .replace("value: {name: a, kind: thing, note: null}", "value: {kind: thing}")
                .replace(
                    "            examples:\n              small:\n                value: {kind: thing}\n",
                    "",
                )
                .replace(
                    "      description: A thing.\n",
                    "      description: A thing.\n      examples: [{name: listed}]\n",
                ),
        )
        .unwrap(),
        "test docs",
    )
    .unwrap();
    let curl = &page[page.find("curl -X POST").unwrap()..][..300];
    assert!(curl.contains("&quot;name&quot;:&quot;listed&quot;"), "{curl}");
}

#[test]
fn the_bundle_publishes_a_31_document_as_written() {
    let artifacts = bundle::render(&clean_31(), "test bundle", None).unwrap();
    let json: serde_json::Value = serde_json::from_str(&artifacts.json).unwrap();
    assert_eq!(json["openapi"], "3.1.0");
    assert_eq!(
        json["components"]["schemas"]["Thing"]["properties"]["note"]["type"],
        serde_json::json!(["string", "null"])
    );
    assert_eq!(json["webhooks"]["thingCreated"]["post"]["operationId"], "thing_created");
    let yaml: serde_json::Value = serde_yaml::from_str(&artifacts.yaml).unwrap();
    assert_eq!(yaml, json);
}
