//! The two verdicts: the wire's (oasdiff's levels) and the generated clients' (a method, type or argument name
//! gone). A renamed operationId is INFO on the wire but fails the check, unless accepted.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const BASE: &str = "\
openapi: 3.0.3
info: {title: Dialogs, version: 1.0.0}
paths:
  /dialogs:
    post:
      operationId: create_dialog
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Dialog'}
components:
  schemas:
    Dialog:
      type: object
      properties:
        id: {type: string}
";

fn diff(dir: &Path, head: &str, config: Option<&str>, extra: &[&str]) -> Output {
    std::fs::write(dir.join("base.yaml"), BASE).unwrap();
    std::fs::write(dir.join("head.yaml"), head).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.join("openapi-toolkit.yaml"), config).unwrap();
    }
    let mut args = vec!["diff", "base.yaml", "--head", "head.yaml"];
    args.extend_from_slice(extra);
    std::process::Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn renamed() -> String {
    BASE.replace("operationId: create_dialog", "operationId: open_dialog")
        .replace("version: 1.0.0", "version: 2.0.0")
}

#[test]
fn a_renamed_operation_id_fails_as_a_break_of_the_generated_clients() {
    let dir = tempfile::tempdir().unwrap();
    let out = diff(dir.path(), &renamed(), None, &[]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("0 breaking, 0 may break, 1 non-breaking; 1 breaking for generated clients"),
        "{stdout}"
    );
    assert!(
        stdout.contains("breaks: code built on the generated clients"),
        "{stdout}"
    );
    assert!(
        stderr.contains("1 change(s) that break code built on the generated clients not accepted"),
        "{stderr}"
    );

    // The JSON says which kind each break is: INFO on the wire, a break of generated code.
    let out = diff(dir.path(), &renamed(), None, &["--format", "json", "--allow-breaking"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let change = &report["changes"][0];
    assert_eq!(change["rule"], "api-operation-id-removed");
    assert_eq!(change["level"], "INFO");
    assert_eq!(change["breaks"], serde_json::json!(["generated-code"]));
    assert_eq!(report["version"]["required"], "major");
}

#[test]
fn an_accepted_rename_passes_and_a_version_too_small_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let accept = "diff:\n  accept:\n    - {rule: api-operation-id-removed, reason: renamed in the 2.0 notice}\n";
    let out = diff(dir.path(), &renamed(), Some(accept), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let minor = renamed().replace("version: 2.0.0", "version: 1.1.0");
    let out = diff(dir.path(), &minor, Some(accept), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains(
            "the changes need a major bump (breaking for code built on the generated clients, though not on the wire)"
        ),
        "{stdout}"
    );
}

#[test]
fn a_removed_component_schema_is_a_lost_type_name() {
    let dir = tempfile::tempdir().unwrap();
    let head = BASE
        .replace(
            "schema: {$ref: '#/components/schemas/Dialog'}",
            "schema: {type: object, properties: {id: {type: string}}}",
        )
        .replace(
            "components:\n  schemas:\n    Dialog:\n      type: object\n      properties:\n        id: {type: string}\n",
            "",
        )
        .replace("version: 1.0.0", "version: 2.0.0");
    let out = diff(dir.path(), &head, None, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let removed: Vec<&Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"] == "api-schema-removed")
        .collect();
    assert_eq!(removed.len(), 1, "{report:#}");
    assert_eq!(removed[0]["breaks"], serde_json::json!(["generated-code"]));
}
