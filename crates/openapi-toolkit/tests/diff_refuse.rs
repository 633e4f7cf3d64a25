//! `diff` refuses a document it cannot read whole (an unresolvable `$ref`, invalid YAML) with the lint's located
//! errors and exit code 2, and prints no report: nothing is half-compared.

use std::path::Path;
use std::process::Output;

const BASE: &str = "\
openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things:
    get:
      responses:
        '200':
          description: Found.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing: {type: object}
";

fn diff(dir: &Path, head: &str) -> Output {
    std::fs::write(dir.join("base.yaml"), BASE).unwrap();
    std::fs::write(dir.join("head.yaml"), head).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
        .args([
            "diff",
            "base.yaml",
            "--head",
            "head.yaml",
            "--allow-breaking",
            "--format",
            "json",
        ])
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn an_unresolvable_ref_is_refused_with_the_lints_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let head = BASE.replace("schemas/Thing'", "schemas/Thingy'");
    let out = diff(dir.path(), &head);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "no report is printed");
    assert!(
        stderr.contains("error[ref-resolves]: `#/components/schemas/Thingy` does not resolve in this document"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "--> head.yaml:11:24 (at /paths/~1things/get/responses/200/content/application~1json/schema/$ref)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("head.yaml has 1 `$ref`(s) that do not resolve"),
        "{stderr}"
    );
    // The same document, whole, is compared.
    let out = diff(dir.path(), BASE);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn invalid_yaml_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = diff(dir.path(), "openapi: 3.0.3\ninfo: {title: Things\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "no report is printed");
    assert!(stderr.contains("head.yaml:3:1: invalid YAML"), "{stderr}");
}
