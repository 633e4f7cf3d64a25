//! Tests of the document model: reading YAML and JSON, the operation walk, `$ref` and versions.

use std::path::Path;

use super::*;

const ITEM: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    summary: Things
    description: One thing.
    servers: [{url: 'https://x.example'}]
    parameters:
      - $ref: '#/components/parameters/Id'
    x-internal: true
    put:
      operationId: b
      responses: {}
    get:
      operationId: a
      responses: {}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
";

#[test]
fn only_the_eight_methods_are_operations_in_file_order() {
    let doc = Document::parse("a.yaml", ITEM).unwrap();
    let names: Vec<String> = doc.operations().iter().map(Operation::name).collect();
    assert_eq!(names, ["PUT /things/{id}", "GET /things/{id}"]);
    let item = doc.path_item("/things/{id}").unwrap();
    assert_eq!(item.summary(), Some("Things"));
    assert_eq!(item.description(), Some("One thing."));
    assert!(item.servers().is_some());
    let get = item.operation(Method::Get).unwrap();
    assert_eq!(get.pointer(), "/paths/~1things~1{id}/get");
    // Path-level parameters come with every operation, their `$ref` followed.
    let parameters = get.parameters();
    assert_eq!(parameters.len(), 1);
    assert_eq!(parameters[0].0["name"], "id");
    assert_eq!(parameters[0].1, "/paths/~1things~1{id}/parameters/0");
}

#[test]
fn refs_are_followed_through_chains_and_cycles_end() {
    let doc = Document::parse(
        "a.yaml",
        "openapi: 3.0.3\nx:\n  a: {$ref: '#/x/b'}\n  b: {$ref: '#/x/c'}\n  c: {type: string}\n  loop: {$ref: '#/x/loop'}\n  gone: {$ref: '#/x/nothing'}\n",
    )
    .unwrap();
    let (target, pointer) = doc.follow_with_pointer(&doc.value()["x"]["a"]);
    assert_eq!(target["type"], "string");
    assert_eq!(pointer.as_deref(), Some("/x/c"));
    // A cycle of aliases stops instead of hanging; an unresolved one is the node itself.
    let _ = doc.follow(&doc.value()["x"]["loop"]);
    assert_eq!(doc.follow(&doc.value()["x"]["gone"]), &doc.value()["x"]["gone"]);
}

#[test]
fn json_is_read_as_json_with_surrogate_pairs() {
    let text = r#"{"openapi": "3.0.3", "info": {"title": "Hello! \ud83d\udc4d", "version": "1"}, "paths": {}}"#;
    let doc = Document::parse("spec.json", text).unwrap();
    assert_eq!(doc.value()["info"]["title"], "Hello! \u{1f44d}");
    // Its lines come from a JSON reader too: YAML's would refuse the pair and lose every line.
    assert_eq!(doc.locate("/info/version"), Some((1, 63)));
    // The same text as YAML is refused: a YAML scalar cannot hold half a pair.
    assert!(Document::parse_as("spec.yaml", text, Syntax::Yaml).is_err());
    let err = Document::parse("spec.json", "{\n  \"openapi\": \"3.0.3\",\n}").unwrap_err();
    assert!(
        matches!(&err, Error::Syntax { place, format: "JSON", .. } if place.position == Some((3, 1))),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let doc = Document::parse("a.yaml", "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\n").unwrap();
    assert!(doc.check_version().is_ok());
    assert_eq!(doc.locate("/info"), Some((2, 1)));
}

#[test]
fn syntax_errors_and_versions_name_the_place() {
    let err = Document::parse("a.yaml", "openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
    let Error::Syntax { place, format, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*format, "YAML");
    assert!(place.position.is_some_and(|(line, _)| (2..=3).contains(&line)), "{err}");
    let err = Document::parse("a.yaml", "a: !tag {b: 1}\n").unwrap_err();
    assert!(err.to_string().contains("a YAML tag has no JSON form"), "{err}");

    let doc = Document::parse("a.yaml", "# comment\nopenapi: 3.3.0\n").unwrap();
    assert_eq!(
        doc.check_version().unwrap_err().to_string(),
        "a.yaml:2:1: unsupported OpenAPI version \"3.3.0\": the toolkit reads only 3.0.x, 3.1.x and 3.2.x (at /openapi)"
    );
    let doc = Document::parse("a.yaml", "info: {}\n").unwrap();
    assert!(
        doc.check_version()
            .unwrap_err()
            .to_string()
            .contains("field is missing")
    );
}

#[test]
fn the_ordered_view_keeps_the_file_order() {
    let doc = Document::parse("a.yaml", "zeta: 1\nalpha: {b: 2, a: [3, {y: 1, x: 2}]}\n").unwrap();
    let text = serde_yaml::to_string(&doc.ordered()).unwrap();
    assert_eq!(text, "zeta: 1\nalpha:\n  b: 2\n  a:\n  - 3\n  - y: 1\n    x: 2\n");
}

#[test]
fn numbers_beyond_64_bits_are_read() {
    for (name, text) in [
        (
            "a.yaml",
            "openapi: 3.0.3\nx: {maximum: 18446744073709552000, small: 3}\n",
        ),
        (
            "a.json",
            r#"{"openapi": "3.0.3", "x": {"maximum": 18446744073709552000, "small": 3}}"#,
        ),
    ] {
        let doc = Document::parse(name, text).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(
            doc.value()["x"]["maximum"].as_f64(),
            Some(18446744073709552000.0),
            "{name}"
        );
        assert_eq!(doc.value()["x"]["small"], 3, "{name}");
    }
}

/// A document in several files is joined into one: schemas into `components/schemas` named after their pointer (or
/// their file, when the name is taken), other parts in place, refs inside a file relative to that file; what cannot
/// be followed is kept as written and said with its file and line.
#[test]
fn relative_file_refs_are_joined_into_one_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-file/api.yaml");
    let doc = Document::load_as(&root, "multi-file/api.yaml").unwrap();
    let value = doc.value();
    let get = &value["paths"]["/pets"]["get"];
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
        "#/components/schemas/pet_Pet"
    );
    // A parameter and a response are put in place; the schemas inside them still become components.
    assert_eq!(get["parameters"][0]["name"], "limit");
    assert_eq!(get["parameters"][0]["schema"]["$ref"], "#/components/schemas/Limit");
    assert_eq!(
        get["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    let schemas = value["components"]["schemas"].as_object().unwrap();
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(names, ["Error", "Limit", "Owner", "Pet", "Tag", "pet_Pet"]);
    assert_eq!(
        schemas["pet_Pet"]["properties"]["owner"]["$ref"],
        "#/components/schemas/Owner"
    );
    assert_eq!(
        schemas["pet_Pet"]["properties"]["tag"]["$ref"],
        "#/components/schemas/Tag"
    );
    assert_eq!(schemas["Pet"]["type"], "string");

    let unfollowed = &doc.external().unfollowed;
    assert_eq!(unfollowed.len(), 3, "{unfollowed:#?}");
    assert!(
        unfollowed.iter().any(|u| u.file == "multi-file/schemas/pet.yaml"
            && u.position == Some((8, 5))
            && u.reason
                .contains("it leaves the root document's directory (multi-file/)")),
        "{unfollowed:#?}"
    );
    assert!(
        unfollowed
            .iter()
            .any(|u| u.file == "multi-file/api.yaml" && u.reason.contains("a URL is not followed"))
    );
    assert!(
        unfollowed
            .iter()
            .any(|u| u.reason.starts_with("multi-file/missing.yaml cannot be read"))
    );
    // Where a joined part came from: its file and line.
    assert_eq!(
        doc.external().locate("/components/schemas/Tag/properties/label"),
        Some(("multi-file/schemas/pet.yaml".to_string(), Some((12, 5))))
    );
}

/// Each version the toolkit reads is read as itself; every other value is refused with the value and its place.
#[test]
fn versions_are_read_once_and_unknown_ones_refused() {
    for (text, version) in [
        ("openapi: 3.0.0", Version::V3_0),
        ("openapi: 3.0.4", Version::V3_0),
        ("openapi: 3.1.0", Version::V3_1),
        ("openapi: '3.1.1'", Version::V3_1),
        ("openapi: 3.2.0", Version::V3_2),
    ] {
        let doc = Document::parse("a.yaml", text).unwrap();
        assert_eq!(doc.check_version().unwrap(), version, "{text}");
    }
    for (text, found) in [
        ("openapi: 3.3.0", "\"3.3.0\""),
        ("openapi: 4.0.0", "\"4.0.0\""),
        ("openapi: 3.1", "\"3.1 (a number, not a string)\""),
        ("openapi: 3.1.0-rc1", "\"3.1.0-rc1\""),
        ("openapi: banana", "\"banana\""),
        ("openapi: 3.0.x", "\"3.0.x\""),
    ] {
        let err = Document::parse("a.yaml", format!("info: {{}}\n{text}\n"))
            .unwrap()
            .check_version()
            .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("a.yaml:2:1: unsupported OpenAPI version "),
            "{message}"
        );
        assert!(message.contains(found), "{message}");
    }
    let err = Document::parse("a.yaml", "swagger: '2.0'\n")
        .unwrap()
        .check_version()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.yaml:1:1: unsupported version \"swagger 2.0\": this is Swagger 2.0, and the toolkit reads only OpenAPI 3.0.x, 3.1.x and 3.2.x; convert it to OpenAPI 3 first (at /swagger)"
    );
}

/// Webhooks are walked as path items (3.1 on), and 3.2's `query` method is an operation only in a 3.2 document.
#[test]
fn webhooks_and_the_query_method_are_walked_by_version() {
    let text = "openapi: VERSION\npaths:\n  /a:\n    query: {}\n    get: {}\nwebhooks:\n  ping:\n    post: {}\n";
    let names = |version: &str| {
        let doc = Document::parse("a.yaml", text.replace("VERSION", version)).unwrap();
        doc.all_operations().iter().map(Operation::name).collect::<Vec<_>>()
    };
    assert_eq!(names("3.0.3"), ["GET /a"]);
    assert_eq!(names("3.1.0"), ["GET /a", "webhook ping POST"]);
    assert_eq!(names("3.2.0"), ["QUERY /a", "GET /a", "webhook ping POST"]);
    let doc = Document::parse("a.yaml", text.replace("VERSION", "3.1.0")).unwrap();
    assert_eq!(doc.webhook_operations()[0].pointer(), "/webhooks/ping/post");
    assert_eq!(doc.operations().len(), 1);
}
