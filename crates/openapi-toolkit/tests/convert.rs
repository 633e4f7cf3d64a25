//! `convert` between OpenAPI 3.0 and 3.1: round trips that change nothing, and refusals that name every place.

use std::path::Path;

use openapi_toolkit::Document;
use openapi_toolkit::convert::{self, Target};
use serde_json::Value;

fn manifest(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The converted value as a document again, read as the toolkit reads a file, so that the round trip also proves
/// the written text reads back.
fn reread(name: &str, value: &serde_yaml::Value) -> Document {
    let text = convert::to_text(value, name.ends_with(".json")).unwrap();
    Document::parse(name, text).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn json(document: &Document) -> Value {
    document.value().clone()
}

/// 3.0 to 3.1 and back gives the document it started from, for the project's contract and every 3.0 fixture whose
/// `nullable` has a `type` beside it (3.0.3 gives `nullable` without `type` no meaning, so its form may change).
#[test]
fn a_30_document_comes_back_unchanged_from_31() {
    let mut files = vec![manifest("../../openapi/dialog.yaml")];
    for entry in std::fs::read_dir(manifest("tests/fixtures/lint")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let skipped = [
            "nullable-type.yaml",
            "duplicate-key.yaml",
            "version-keyword-3.0.yaml",
            "structure.yaml",
        ];
        if text.contains("openapi: 3.0") && !skipped.iter().any(|name| path.ends_with(name)) {
            files.push(path);
        }
    }
    assert!(files.len() > 20, "{files:?}");
    for path in files {
        let name = path.display().to_string();
        let original = Document::load(&path).unwrap();
        if original.check_version().is_err() {
            continue;
        }
        let up = convert::convert(&original, Target::V3_1).unwrap_or_else(|err| panic!("{name}: {err}"));
        let up = reread("up.yaml", &up);
        assert_eq!(up.value()["openapi"], "3.1.0", "{name}");
        let lint = openapi_toolkit::lint::lint(&up);
        assert!(
            !lint
                .iter()
                .any(|f| f.rule.id() == "version-keyword" || f.rule.id() == "openapi-version"),
            "{name}: {}",
            openapi_toolkit::lint::render("up.yaml", &lint)
        );
        let down = convert::convert(&up, Target::V3_0).unwrap_or_else(|err| panic!("{name}: {err}"));
        let down = reread("down.json", &down);
        let mut expected = json(&original);
        expected["openapi"] = "3.0.3".into();
        assert_eq!(json(&down), expected, "{name}");
    }
}

/// A 3.1 keyword in a 3.0 document means nothing there, and would apply in 3.1: the way up refuses it at its place.
#[test]
fn up_refuses_31_keywords_that_30_ignores() {
    let path = manifest("tests/fixtures/lint/version-keyword-3.0.yaml");
    let doc = Document::load_as(&path, "version-keyword-3.0.yaml").unwrap();
    let err = convert::convert(&doc, Target::V3_1).unwrap_err().to_string();
    for expected in [
        "(at /webhooks)",
        "(at /components/schemas/Thing/properties/name/type)",
        "(at /components/schemas/Thing/properties/name/const)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("at 3 place(s)"), "{err}");
}

/// Beside a `$ref`, a 3.0 constraint is ignored and a 3.1 one applies: the way up refuses it, and keeps an annotation.
#[test]
fn up_refuses_a_constraint_beside_a_ref_and_keeps_an_annotation() {
    let text = r##"openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths: {}
components:
  schemas:
    B: {type: string}
    A:
      type: object
      properties:
        short: {$ref: "#/components/schemas/B", maxLength: 3}
        told: {$ref: "#/components/schemas/B", description: Told.}
"##;
    let doc = Document::parse("siblings.yaml", text).unwrap();
    let err = convert::convert(&doc, Target::V3_1).unwrap_err().to_string();
    assert!(
        err.contains("(at /components/schemas/A/properties/short/maxLength)"),
        "{err}"
    );
    assert!(err.contains("at 1 place(s)"), "{err}");
    let kept = text.replace(", maxLength: 3", "");
    let doc = Document::parse("siblings.yaml", kept).unwrap();
    let up = convert::convert(&doc, Target::V3_1).unwrap();
    let told = serde_json::to_value(&up).unwrap()["components"]["schemas"]["A"]["properties"]["told"].clone();
    assert_eq!(
        told,
        serde_json::json!({"$ref": "#/components/schemas/B", "description": "Told."})
    );
}

/// What each 3.0 form becomes in 3.1.
#[test]
fn up_writes_31_forms() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        nullable: {type: integer, enum: [1, 2], nullable: true, example: 1}
        bounded: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false}
        ref: {description: Or null., nullable: true, allOf: [{$ref: '#/components/schemas/B'}]}
        x-kept: {x-vendor: true}
    B: {type: string}
";
    let doc = Document::parse("a.yaml", text).unwrap();
    let up = reread("a.json", &convert::convert(&doc, Target::V3_1).unwrap());
    let properties = &up.value()["components"]["schemas"]["A"]["properties"];
    assert_eq!(
        properties["nullable"],
        serde_json::json!({"type": ["integer", "null"], "enum": [1, 2, null], "examples": [1]})
    );
    assert_eq!(
        properties["bounded"],
        serde_json::json!({"type": "number", "exclusiveMinimum": 0, "maximum": 9})
    );
    assert_eq!(
        properties["ref"],
        serde_json::json!({"description": "Or null.", "anyOf": [{"allOf": [{"$ref": "#/components/schemas/B"}]}, {"type": "null"}]})
    );
    assert_eq!(properties["x-kept"], serde_json::json!({"x-vendor": true}));
}

/// What 3.0 cannot say is refused, every place at once with its line, and nothing is written.
#[test]
fn down_refuses_every_place_30_cannot_say() {
    let path = manifest("tests/fixtures/convert-refused.yaml");
    let doc = Document::load_as(&path, "convert-refused.yaml").unwrap();
    let err = convert::convert(&doc, Target::V3_0).unwrap_err().to_string();
    for expected in [
        "convert-refused.yaml:5:3: `info.summary` has no field in OpenAPI 3.0 (at /info/summary)",
        "convert-refused.yaml:9:5: `license.identifier` has no field in OpenAPI 3.0 (at /info/license/identifier)",
        "(at /webhooks)",
        "(at /components/schemas/Thing/properties/pair/prefixItems)",
        "a type list with 2 types other than null has no form in OpenAPI 3.0 (write a `oneOf`) (at /components/schemas/Thing/properties/either/type)",
        "(at /components/schemas/Thing/properties/when/if)",
        "(at /components/schemas/Thing/properties/when/then)",
        "(at /components/schemas/Thing/properties/labels/patternProperties)",
        "(at /components/schemas/Thing/properties/rest/unevaluatedProperties)",
        "(at /components/schemas/Thing/properties/needs/dependentRequired)",
        "`components.pathItems` has no form in OpenAPI 3.0 (at /components/pathItems/Shared)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("at 11 place(s)"), "{err}");
}

/// 3.1 forms that 3.0 can say come down as 3.0 writes them, FastAPI's `anyOf` with null included.
#[test]
fn down_writes_30_forms() {
    let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "components": {"schemas": {
        "A": {"type": "object", "properties": {
          "tag": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Tag"},
          "owner": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
          "weight": {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "minimum": 1}, {"type": "null"}]},
          "kind": {"const": "a", "examples": ["a", "b"]},
          "described": {"$ref": "#/components/schemas/B", "description": "A B."},
          "bytes": {"type": "string", "contentEncoding": "base64"}
        }},
        "B": {"type": ["string", "null"]}}}}"##;
    let doc = Document::parse("a.json", text).unwrap();
    let down = reread("a.json", &convert::convert(&doc, Target::V3_0).unwrap());
    assert_eq!(down.value()["paths"], serde_json::json!({}));
    let properties = &down.value()["components"]["schemas"]["A"]["properties"];
    assert_eq!(
        properties["tag"],
        serde_json::json!({"title": "Tag", "type": "string", "nullable": true})
    );
    assert_eq!(
        properties["owner"],
        serde_json::json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
    );
    // The inclusive minimum is the tighter bound, so the exclusive one says nothing more.
    assert_eq!(
        properties["weight"],
        serde_json::json!({"type": "number", "minimum": 1, "nullable": true})
    );
    assert_eq!(
        properties["kind"],
        serde_json::json!({"enum": ["a"], "example": "a", "x-examples": ["a", "b"]})
    );
    // An annotation beside a `$ref` changes no value in either version, so the reference stays a plain `$ref`.
    assert_eq!(
        properties["described"],
        serde_json::json!({"description": "A B.", "$ref": "#/components/schemas/B"})
    );
    assert_eq!(
        properties["bytes"],
        serde_json::json!({"type": "string", "format": "byte"})
    );
    assert_eq!(
        down.value()["components"]["schemas"]["B"],
        serde_json::json!({"type": "string", "nullable": true})
    );
}

/// The command writes the file whole (YAML or JSON by its name), or nothing when it refuses.
#[test]
fn the_command_writes_atomically_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let source = manifest("tests/fixtures/lint/clean.yaml");
    let out = run(&[
        "convert",
        source.to_str().unwrap(),
        "--to",
        "3.1",
        "-o",
        "clean-3.1.json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(dir.path().join("clean-3.1.json")).unwrap();
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["openapi"], "3.1.0");
    // Keys in the source's order.
    assert!(written.find("\"openapi\"") < written.find("\"info\""), "{written}");
    assert!(written.find("\"paths\"") < written.find("\"components\""), "{written}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");

    let refused = manifest("tests/fixtures/convert-refused.yaml");
    let out = run(&[
        "convert",
        refused.to_str().unwrap(),
        "--to",
        "3.0",
        "-o",
        "refused.yaml",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("(at /webhooks)"));
    assert!(!dir.path().join("refused.yaml").exists());

    let out = run(&["convert", source.to_str().unwrap(), "--to", "2.0"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A real 3.1 document (FastAPI's) comes down to 3.0 once the three things 3.0 cannot say are gone, and goes back up
/// to a document that means the same.
#[test]
fn a_fastapi_document_converts_both_ways() {
    let path = manifest("tests/fixtures/real-3.1/fastapi-pets.json");
    let doc = Document::load(&path).unwrap();
    let err = convert::convert(&doc, Target::V3_0).unwrap_err().to_string();
    assert!(err.contains("at 3 place(s)"), "{err}");
    let mut value = doc.value().clone();
    value["info"].as_object_mut().unwrap().remove("summary");
    value["info"]["license"].as_object_mut().unwrap().remove("identifier");
    value.as_object_mut().unwrap().remove("webhooks");
    let trimmed = Document::parse("pets.json", serde_json::to_string(&value).unwrap()).unwrap();
    let down = reread("pets-3.0.json", &convert::convert(&trimmed, Target::V3_0).unwrap());
    let findings = openapi_toolkit::lint::lint(&down);
    assert!(
        !findings
            .iter()
            .any(|f| f.severity == openapi_toolkit::lint::Severity::Error
                && !["operation-security", "operation-id"].contains(&f.rule.id())),
        "{}",
        openapi_toolkit::lint::render("pets-3.0.json", &findings)
    );
    let tag = &down.value()["components"]["schemas"]["Pet"]["properties"]["tag"];
    assert_eq!(tag["nullable"], true, "{tag}");
    assert_eq!(tag["type"], "string", "{tag}");
}

/// Every real 3.1 document kept here lints without a version refusal and without a false finding: no example,
/// `$ref` or path parameter finding (they are all valid there), and a version finding only where the document
/// really uses 3.0's `nullable`, which 3.1 readers ignore (ReadMe's schema-types example does, three times).
#[test]
fn real_31_documents_lint_with_31_meanings() {
    let dir = manifest("tests/fixtures/real-3.1");
    let expected_nullable = [("readme-schema-types.yaml", 3)];
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.extension().is_some_and(|e| e == "json" || e == "yaml") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let doc = Document::load(&path).unwrap();
        assert!(
            doc.check_version().unwrap() >= openapi_toolkit::document::Version::V3_1,
            "{name}"
        );
        let findings = openapi_toolkit::lint::lint(&doc);
        let report = openapi_toolkit::lint::render(&name, &findings);
        let wrong = ["openapi-version", "example-valid", "ref-resolves", "path-parameters"];
        assert!(!findings.iter().any(|f| wrong.contains(&f.rule.id())), "{report}");
        let version: Vec<_> = findings.iter().filter(|f| f.rule.id() == "version-keyword").collect();
        assert!(version.iter().all(|f| f.pointer.ends_with("/nullable")), "{report}");
        let expected = expected_nullable
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, count)| *count);
        assert_eq!(version.len(), expected, "{report}");
        read += 1;
    }
    assert!(read >= 4, "{read}");
}

/// A version the toolkit does not read is refused by every command, with the value and its place, and nothing is
/// written.
#[test]
fn every_command_refuses_an_unknown_version() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("v33.yaml"),
        "openapi: 3.3.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("swagger.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ok.yaml"),
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    for (file, expected) in [("v33.yaml", "v33.yaml:1:1"), ("swagger.yaml", "swagger.yaml:1:1")] {
        let found = if file == "v33.yaml" {
            "\"3.3.0\""
        } else {
            "\"swagger 2.0\""
        };
        for args in [
            vec!["lint", file],
            vec!["bundle", file, "--out-dir", "out"],
            vec!["docs", file, "--out-dir", "out"],
            vec!["convert", file, "--to", "3.1", "-o", "converted.yaml"],
            vec!["diff", "ok.yaml", "--head", file],
            vec!["diff", file, "--head", "ok.yaml"],
        ] {
            let output = run(&args);
            assert!(
                output.contains(expected) && output.contains(found),
                "{args:?}: {output}"
            );
        }
    }
    assert!(!dir.path().join("out").exists());
    assert!(!dir.path().join("converted.yaml").exists());
}
