//! The deprecation policy: a deprecation owes a sunset at least the policy's days ahead for its stability level,
//! set by `--deprecation-days-beta`/`--deprecation-days-stable` or the configuration's `deprecation-days`.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const BASE: &str = "\
openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things:
    get:
      operationId: list_things
      responses:
        '200': {description: Found.}
";

fn deprecated(extra: &str) -> String {
    BASE.replace(
        "      operationId: list_things\n",
        &format!("      operationId: list_things\n      deprecated: true\n{extra}"),
    )
}

fn diff(dir: &Path, head: &str, config: Option<&str>, extra: &[&str]) -> (Output, Vec<(String, String)>) {
    diff_from(dir, BASE, head, config, extra)
}

fn diff_from(
    dir: &Path,
    base: &str,
    head: &str,
    config: Option<&str>,
    extra: &[&str],
) -> (Output, Vec<(String, String)>) {
    std::fs::write(dir.join("base.yaml"), base).unwrap();
    std::fs::write(dir.join("head.yaml"), head).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.join("openapi-toolkit.yaml"), config).unwrap();
    }
    let mut args = vec![
        "diff",
        "base.yaml",
        "--head",
        "head.yaml",
        "--format",
        "json",
        "--versioning",
        "none",
    ];
    args.extend_from_slice(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap();
    let changes = serde_json::from_slice::<Value>(&out.stdout)
        .map(|report| {
            report["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["rule"].as_str().unwrap().to_string(),
                        c["level"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out, changes)
}

fn one(rule: &str, level: &str) -> Vec<(String, String)> {
    vec![(rule.to_string(), level.to_string())]
}

#[test]
fn without_a_policy_a_deprecation_needs_no_sunset() {
    let dir = tempfile::tempdir().unwrap();
    let (out, changes) = diff(dir.path(), &deprecated(""), None, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(changes, one("endpoint-deprecated", "INFO"));
}

#[test]
fn under_a_policy_a_deprecation_needs_a_sunset_far_enough_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let (out, changes) = diff(dir.path(), &deprecated(""), None, &["--deprecation-days-stable", "30"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(changes, one("api-deprecated-sunset-missing", "ERR"));

    let far = deprecated("      x-sunset: '2999-12-31'\n");
    let (out, changes) = diff(dir.path(), &far, None, &["--deprecation-days-stable", "30"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(changes, one("endpoint-deprecated-with-sunset", "INFO"));
    // More than a thousand years of notice is more than 2999 leaves.
    let (out, changes) = diff(dir.path(), &far, None, &["--deprecation-days-stable", "400000"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(changes, one("api-sunset-date-too-small", "ERR"));
}

#[test]
fn each_stability_level_owes_its_own_notice_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = "diff:\n  deprecation-days:\n    beta: 0\n    stable: 400000\n";
    // A beta operation owes no notice under this policy, a stable one more than 2999 leaves.
    let beta = |text: &str| {
        text.replace(
            "operationId: list_things\n",
            "operationId: list_things\n      x-stability-level: beta\n",
        )
    };
    let head = beta(&deprecated("      x-sunset: '2999-12-31'\n"));
    let (out, changes) = diff_from(dir.path(), &beta(BASE), &head, Some(config), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(changes, one("endpoint-deprecated-with-sunset", "INFO"));
    let stable = deprecated("      x-sunset: '2999-12-31'\n");
    let (out, changes) = diff(dir.path(), &stable, Some(config), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(changes, one("api-sunset-date-too-small", "ERR"));
    // The flag wins over the configuration.
    let (out, _) = diff(dir.path(), &stable, Some(config), &["--deprecation-days-stable", "0"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_policy_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = diff(
        dir.path(),
        BASE,
        Some("diff:\n  deprecation-days:\n    gamma: 3\n"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown stability level `gamma`"), "{stderr}");
    assert!(stderr.contains("/diff/deprecation-days/gamma"), "{stderr}");
    let (out, _) = diff(
        dir.path(),
        BASE,
        Some("diff:\n  deprecation-days:\n    beta: soon\n"),
        &[],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a whole number of days"));
}
