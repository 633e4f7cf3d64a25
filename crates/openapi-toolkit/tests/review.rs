//! The contract review as a pull-request check runs it: the configuration file (levels, accepted
//! breaking changes, fail-on, versioning), and the lint as SARIF, through the `openapi-toolkit` command.

use std::path::Path;
use std::process::{Command, Output};

fn toolkit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs")
}

const BASE: &str = "\
openapi: 3.0.3
info: {title: Things, version: 2026-01-01}
paths:
  /things:
    get:
      operationId: list_things
      tags: [things]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: Found.
          content:
            application/json:
              schema:
                type: object
                required: [id, label]
                properties:
                  id: {type: string}
                  label: {type: string}
";

/// The base with `label` removed from the response (ERR) and `limit` removed (WARN); the date
/// version is not semver.
fn head() -> String {
    BASE.replace("version: 2026-01-01", "version: 2026-02-01")
        .replace("        - {name: limit, in: query, schema: {type: integer}}\n", "")
        .replace("required: [id, label]", "required: [id]")
        .replace("                  label: {type: string}\n", "")
        .replace("      parameters:\n", "")
}

fn write(dir: &Path, config: Option<&str>) {
    std::fs::write(dir.join("base.yaml"), BASE).unwrap();
    std::fs::write(dir.join("head.yaml"), head()).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.join("openapi-toolkit.yaml"), config).unwrap();
    }
}

fn diff(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["diff", "base.yaml", "--head", "head.yaml"];
    args.extend_from_slice(extra);
    toolkit(dir, &args)
}

#[test]
fn a_date_version_needs_versioning_none() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), None);
    let out = diff(dir.path(), &["--allow-breaking"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a date is not semver, so the bump cannot be checked"
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    // The message is printed once, and says how to check an API versioned by date.
    assert_eq!(stdout.matches("is not semver").count(), 1, "{stdout}");
    assert!(stdout.contains("--versioning none"), "{stdout}");
    assert!(!stderr.contains("is not semver"), "{stderr}");
    let out = diff(dir.path(), &["--allow-breaking", "--versioning", "none"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("is not checked"));
}

#[test]
fn accepted_changes_pass_and_fail_on_warn_counts_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), Some("diff:\n  versioning: none\n"));
    let out = diff(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    // `label` removed breaks the wire; `limit` removed (WARN on the wire) takes an argument from the generated clients.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "1 breaking change(s) on the wire and 1 change(s) that break code built on the generated clients not accepted"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The breaking change accepted with its reason: the wire passes, the generated clients' verdict still fails.
    let accept = "diff:\n  versioning: none\n  accept:\n    - rule: response-required-property-removed\n      operation: GET /things\n      location: label\n      reason: announced in January\n";
    std::fs::write(dir.path().join("openapi-toolkit.yaml"), accept).unwrap();
    let out = diff(dir.path(), &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(accepted: announced in January)"));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("1 change(s) that break code built on the generated clients not accepted")
    );

    // Both accepted: it passes, and WARN still fails with --fail-on WARN once the parameter's acceptance is gone.
    let config = format!("{accept}    - rule: request-parameter-removed\n      reason: nobody sent it\n");
    std::fs::write(dir.path().join("openapi-toolkit.yaml"), &config).unwrap();
    let out = diff(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.path().join("openapi-toolkit.yaml"), accept).unwrap();
    let out = diff(dir.path(), &["--fail-on", "WARN"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("1 breaking or possibly breaking change(s) on the wire not accepted")
    );

    // A rule turned down to INFO in the configuration no longer fails on WARN; its generated-code verdict stays.
    let config = format!("{config}  fail-on: WARN\n  rules:\n    request-parameter-removed: info\n");
    std::fs::write(dir.path().join("openapi-toolkit.yaml"), config).unwrap();
    let out = diff(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let removed = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "request-parameter-removed")
        .unwrap();
    assert_eq!(removed["level"], "INFO");
    assert_eq!(removed["breaks"], serde_json::json!(["generated-code"]));
}

#[test]
fn a_bad_configuration_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), Some("diff:\n  rules:\n    no-such-rule: off\n"));
    let out = diff(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("openapi-toolkit.yaml: unknown diff rule `no-such-rule`"),
        "{stderr}"
    );
    assert!(stderr.contains("(at /diff/rules/no-such-rule)"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "nothing is printed before the configuration is read"
    );
    // `--config` names another file; the one found in the directory is not read.
    std::fs::write(dir.path().join("other.yaml"), "diff: {versioning: none}\n").unwrap();
    let out = diff(dir.path(), &["--config", "other.yaml", "--allow-breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn lint_levels_come_from_the_configuration_and_sarif_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), Some("lint:\n  rules:\n    servers: off\n"));
    let out = toolkit(dir.path(), &["lint", "base.yaml", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let ids: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"servers"), "turned off: {ids:?}");
    assert!(ids.contains(&"operation-security"), "{ids:?}");
    std::fs::remove_file(dir.path().join("openapi-toolkit.yaml")).unwrap();
    let out = toolkit(dir.path(), &["lint", "base.yaml", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "servers")
    );
}
