//! The `openapi-toolkit` command run as a user runs it: on files outside this repository, with its exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn toolkit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-toolkit"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/lint/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["lint", "diff", "bundle", "docs"] {
        let out = toolkit(dir.path(), &[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: openapi-toolkit"),
            "{sub}"
        );
    }
}

#[test]
fn lint_exit_codes_follow_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clean.yaml"), fixture("clean.yaml")).unwrap();
    std::fs::write(dir.path().join("warn.yaml"), fixture("operation-summary.yaml")).unwrap();
    std::fs::write(dir.path().join("error.yaml"), fixture("path-parameters.yaml")).unwrap();
    assert_eq!(toolkit(dir.path(), &["lint", "clean.yaml"]).status.code(), Some(0));
    assert_eq!(toolkit(dir.path(), &["lint", "warn.yaml"]).status.code(), Some(0));
    assert_eq!(
        toolkit(dir.path(), &["lint", "warn.yaml", "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
    let out = toolkit(dir.path(), &["lint", "error.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[path-parameters]"));
    // No document and no default: a usage error, not a crash.
    assert_eq!(toolkit(dir.path(), &["lint"]).status.code(), Some(2));
    let out = toolkit(dir.path(), &["lint", "missing.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading missing.yaml"));
}

#[test]
fn diff_bundle_and_docs_work_on_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = fixture("clean.yaml");
    let head = base
        .replacen("version: 1.0.0", "version: 2.0.0", 1)
        .replacen(
            "      required: [name]\n",
            "      required: [name, size]\n      properties:\n        size: {description: Its size., type: integer}\n",
            1,
        )
        .replacen("      properties:\n        name:", "        name:", 1)
        .replacen("value: {name: a}", "value: {name: a, size: 1}", 1);
    std::fs::write(dir.path().join("base.yaml"), &base).unwrap();
    std::fs::write(dir.path().join("head.yaml"), &head).unwrap();
    let out = toolkit(
        dir.path(),
        &["diff", "base.yaml", "--head", "head.yaml", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"new-required-request-property"), "{report}");
    assert!(report.get("client").is_none(), "the toolkit has no generator: {report}");
    assert_eq!(out.status.code(), Some(1), "a breaking change fails");
    let out = toolkit(
        dir.path(),
        &["diff", "base.yaml", "--head", "head.yaml", "--allow-breaking"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let out = toolkit(dir.path(), &["bundle", "head.yaml", "--out-dir", "out"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = toolkit(dir.path(), &["docs", "head.yaml", "--out-dir", "out"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["head.json", "head.yaml", "CHANGELOG.md", "head.html"] {
        assert!(dir.path().join("out").join(name).is_file(), "{name}");
    }
    // The published JSON is read back as JSON, its findings with lines, as the YAML's are.
    let out = toolkit(dir.path(), &["lint", "out/head.json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let broken = std::fs::read_to_string(dir.path().join("out/head.json"))
        .unwrap()
        .replacen("\"size\": 1", "\"size\": \"big\"", 1);
    std::fs::write(dir.path().join("broken.json"), broken).unwrap();
    let out = toolkit(dir.path(), &["lint", "broken.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("--> broken.json:"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Information is neither an error nor a warning, in the counts and in `--deny-warnings`; the report names the
/// configuration it used (or says there was none) and ends with a count per rule; `--rule` and `--level` narrow
/// what is shown, never what fails.
#[test]
fn lint_counts_levels_apart_names_its_configuration_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("warn.yaml"), fixture("operation-summary.yaml")).unwrap();
    std::fs::write(dir.path().join("error.yaml"), fixture("path-parameters.yaml")).unwrap();
    let stdout = |out: &Output| String::from_utf8_lossy(&out.stdout).to_string();

    let out = toolkit(dir.path(), &["lint", "warn.yaml"]);
    assert!(stdout(&out).contains("configuration: none"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("      1  warning  operation-summary"),
        "{}",
        stdout(&out)
    );

    std::fs::write(
        dir.path().join("openapi-toolkit.yaml"),
        "lint:\n  rules: {operation-summary: info}\n  ignore: [{pointer: /nowhere, reason: stale}]\n",
    )
    .unwrap();
    let out = toolkit(dir.path(), &["lint", "warn.yaml", "--deny-warnings"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("warn.yaml: 0 error(s), 0 warning(s), 1 info"), "{text}");
    assert!(text.contains("configuration: openapi-toolkit.yaml"), "{text}");
    assert!(
        text.contains("the ignore at /lint/ignore/0 (`/nowhere`) matches no finding"),
        "{text}"
    );

    let out = toolkit(dir.path(), &["lint", "error.yaml", "--rule", "operation-summary"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the filter hides the error, the exit status does not:\n{text}"
    );
    assert!(!text.contains("error[path-parameters]"), "{text}");
    assert!(text.contains("(shown: 0 of "), "{text}");
    let out = toolkit(dir.path(), &["lint", "error.yaml", "--level", "error"]);
    assert!(stdout(&out).contains("error[path-parameters]"));
    let out = toolkit(dir.path(), &["lint", "error.yaml", "--rule", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
}
