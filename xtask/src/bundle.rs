//! `cargo xtask bundle`: the spec as published to other teams (`dist/dialog.json`, `dist/dialog.yaml`, `dist/CHANGELOG.md`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_yaml::Value;

/// Where the published artifacts go, relative to the workspace root.
pub const DIST: &str = "dist";

/// The published files, rendered in memory so that tests can compare them without touching `dist/`.
#[derive(Debug, PartialEq, Eq)]
pub struct Artifacts {
    pub json: String,
    pub yaml: String,
    pub changelog: String,
}

/// The breaking-change report, when there is one: its text and where it came from.
pub struct Report<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// `cargo xtask bundle [--report FILE]`: writes the artifacts into `dist/`.
pub fn bundle(report: Option<&Path>) -> Result<()> {
    let root = crate::project_root();
    let spec_path = root.join(crate::codegen::SPEC);
    let out_dir = root.join(DIST);
    let written = bundle_into(&spec_path, report, &out_dir)?;
    for path in written {
        println!("wrote {}", crate::display_path(&path));
    }
    Ok(())
}

/// Reads the spec (and the report), renders the artifacts and writes them into `out_dir`.
pub fn bundle_into(spec_path: &Path, report: Option<&Path>, out_dir: &Path) -> Result<Vec<PathBuf>> {
    // Parse with the same reader as `generate`, so that a spec the generator refuses is never published.
    let text =
        std::fs::read_to_string(spec_path).with_context(|| format!("reading {}", crate::display_path(spec_path)))?;
    crate::spec::parse(spec_path, &text)?;
    let report_text = match report {
        Some(path) => Some((
            crate::display_path(path),
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the breaking-change report {}", crate::display_path(path)))?,
        )),
        None => None,
    };
    let report = report_text.as_ref().map(|(source, text)| Report { source, text });
    let artifacts = render(&crate::display_path(spec_path), &text, report.as_ref())?;

    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", crate::display_path(out_dir)))?;
    let mut written = Vec::new();
    for (name, contents) in [
        ("dialog.json", &artifacts.json),
        ("dialog.yaml", &artifacts.yaml),
        ("CHANGELOG.md", &artifacts.changelog),
    ] {
        let path = out_dir.join(name);
        std::fs::write(&path, contents).with_context(|| format!("writing {}", crate::display_path(&path)))?;
        written.push(path);
    }
    Ok(written)
}

/// Renders the artifacts from the spec's text.
///
/// Keys keep the order they have in the spec: that order only changes when someone edits the spec,
/// so the output is byte-identical from run to run, and it reads like the source (`openapi`, `info`, `paths` first).
pub fn render(spec_name: &str, spec_text: &str, report: Option<&Report<'_>>) -> Result<Artifacts> {
    let value: Value =
        serde_yaml::from_str(spec_text).with_context(|| format!("{spec_name}: reading the spec as YAML"))?;
    let mut json = to_json(&value).with_context(|| format!("{spec_name}: converting the spec to JSON"))?;
    json.push('\n');
    let yaml = format!(
        "# Published from {spec_name} by `cargo xtask bundle`; do not edit.\n{}",
        serde_yaml::to_string(&value).with_context(|| format!("{spec_name}: writing the spec as YAML"))?
    );
    let changelog = changelog(spec_name, &value, report)?;
    Ok(Artifacts { json, yaml, changelog })
}

/// A YAML value as pretty JSON, keys in the mapping's own order (for the examples on the reference page too).
pub fn to_json(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_json(value, 0, "", &mut out)?;
    Ok(out)
}

/// Pretty JSON with two-space indents, in the mapping's own order.
///
/// serde_json's `Map` would sort the keys unless its `preserve_order` feature were on, and that feature
/// would unify into the client crate's serde_json too; a small writer keeps the client untouched.
fn write_json(value: &Value, depth: usize, pointer: &str, out: &mut String) -> Result<()> {
    let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("  ", depth));
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let number: serde_json::Number = serde_yaml::from_value(Value::Number(n.clone()))
                .with_context(|| format!("the number {n} at {} has no JSON form", or_root(pointer)))?;
            out.push_str(&number.to_string());
        }
        Value::String(s) => out.push_str(&serde_json::to_string(s)?),
        Value::Sequence(items) if items.is_empty() => out.push_str("[]"),
        Value::Sequence(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_json(item, depth + 1, &format!("{pointer}/{i}"), out)?;
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Mapping(map) if map.is_empty() => out.push_str("{}"),
        Value::Mapping(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                let Value::String(key) = key else {
                    bail!(
                        "a mapping key at {} is not a string ({key:?}); quote it in the spec",
                        or_root(pointer)
                    );
                };
                indent(out, depth + 1);
                out.push_str(&serde_json::to_string(key)?);
                out.push_str(": ");
                let escaped = crate::spec::escape_pointer_token(key);
                write_json(item, depth + 1, &format!("{pointer}/{escaped}"), out)?;
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Value::Tagged(tagged) => bail!("a YAML tag {} at {} has no JSON form", tagged.tag, or_root(pointer)),
    }
    Ok(())
}

fn or_root(pointer: &str) -> &str {
    if pointer.is_empty() { "the root" } else { pointer }
}

/// The CHANGELOG section of this version: what is published, and the breaking-change report when one was given.
fn changelog(spec_name: &str, spec: &Value, report: Option<&Report<'_>>) -> Result<String> {
    let info = |key: &str| spec.get("info").and_then(|info| info.get(key)).and_then(Value::as_str);
    let title = info("title").with_context(|| format!("{spec_name}: /info/title is missing"))?;
    let version = info("version").with_context(|| format!("{spec_name}: /info/version is missing"))?;
    let openapi = spec.get("openapi").and_then(Value::as_str).unwrap_or("3.0");

    let mut out = String::new();
    writeln!(out, "# Changelog of the published contract\n")?;
    writeln!(out, "## {title} {version}\n")?;
    writeln!(
        out,
        "Published from `{spec_name}` by `cargo xtask bundle` as OpenAPI {openapi}: `dialog.json` and `dialog.yaml` (the same document)."
    )?;
    writeln!(out)?;
    writeln!(out, "### Operations\n")?;
    if let Some(Value::Mapping(paths)) = spec.get("paths") {
        for (path, item) in paths {
            let (Some(path), Value::Mapping(methods)) = (path.as_str(), item) else {
                continue;
            };
            for (method, operation) in methods {
                let Some(method) = method.as_str() else { continue };
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("(no operationId)");
                let summary = operation.get("summary").and_then(Value::as_str).unwrap_or("");
                writeln!(out, "- `{} {path}` (`{id}`): {summary}", method.to_uppercase())?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "### Breaking changes\n")?;
    match report {
        Some(report) => {
            writeln!(out, "From the breaking-change report `{}`:\n", report.source)?;
            // The report is Markdown of its own (`cargo xtask diff --format markdown`); its headings are pushed
            // below this section's so that the file keeps one outline.
            for line in report.text.trim_end().lines() {
                if line.starts_with('#') {
                    writeln!(out, "###{line}")?;
                } else {
                    writeln!(out, "{line}")?;
                }
            }
        }
        None => {
            writeln!(
                out,
                "No breaking-change report was given, so this section does not say what changed since the last published version."
            )?;
            writeln!(
                out,
                "To include one, write it with `cargo xtask diff` as Markdown and pass it as `cargo xtask bundle --report FILE`."
            )?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_path() -> PathBuf {
        crate::project_root().join(crate::codegen::SPEC)
    }

    fn spec_text() -> String {
        std::fs::read_to_string(spec_path()).unwrap()
    }

    #[test]
    fn bundle_is_byte_identical_run_to_run() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let report = first.path().join("report.md");
        std::fs::write(&report, "**1 breaking change**\n\n## Breaking\n\n| rule | where |\n").unwrap();
        for dir in [first.path(), second.path()] {
            bundle_into(&spec_path(), Some(&report), &dir.join("dist")).unwrap();
        }
        for name in ["dialog.json", "dialog.yaml", "CHANGELOG.md"] {
            let a = std::fs::read(first.path().join("dist").join(name)).unwrap();
            let b = std::fs::read(second.path().join("dist").join(name)).unwrap();
            assert!(!a.is_empty(), "{name} is empty");
            assert_eq!(a, b, "{name} differs between two runs");
        }
    }

    #[test]
    fn json_and_yaml_are_the_spec_with_its_key_order() {
        let text = spec_text();
        let artifacts = render("openapi/dialog.yaml", &text, None).unwrap();
        let source: Value = serde_yaml::from_str(&text).unwrap();
        let as_json: serde_json::Value = serde_json::from_str(&artifacts.json).unwrap();
        assert_eq!(
            as_json,
            serde_json::to_value(&source).unwrap(),
            "dialog.json is not the spec"
        );
        let as_yaml: Value = serde_yaml::from_str(&artifacts.yaml).unwrap();
        assert_eq!(as_yaml, source, "dialog.yaml is not the spec");
        // The order is the spec's, not alphabetical: `openapi` comes first and `components` last.
        let top: Vec<&str> = artifacts.json.lines().filter(|l| l.starts_with("  \"")).collect();
        assert!(top.first().unwrap().starts_with("  \"openapi\""), "{top:?}");
        assert!(top.last().unwrap().starts_with("  \"components\""), "{top:?}");
    }

    #[test]
    fn changelog_without_report_says_so() {
        let artifacts = render("openapi/dialog.yaml", &spec_text(), None).unwrap();
        insta::assert_snapshot!("changelog_without_report", artifacts.changelog);
    }

    #[test]
    fn changelog_embeds_the_report_below_its_own_headings() {
        let report = Report {
            source: "report.md",
            text: "**1 breaking change**\n\n## Breaking\n\n| rule | where |\n| --- | --- |\n| request-property-became-required | `/components/schemas/CreateDialogRequest/properties/name` |\n",
        };
        let artifacts = render("openapi/dialog.yaml", &spec_text(), Some(&report)).unwrap();
        insta::assert_snapshot!("changelog_with_report", artifacts.changelog);
    }

    #[test]
    fn non_string_keys_and_tags_are_refused_with_the_place() {
        let err = render(
            "x.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  201: {}\n",
            None,
        )
        .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "x.yaml: converting the spec to JSON: a mapping key at /paths is not a string (Number(201)); quote it in the spec"
        );
        let err = render("x.yaml", "openapi: 3.0.3\ninfo: !custom {title: t}\n", None).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "x.yaml: converting the spec to JSON: a YAML tag !custom at /info has no JSON form"
        );
    }

    #[test]
    fn json_escapes_strings_and_keeps_numbers() {
        let artifacts = render(
            "x.yaml",
            "openapi: 3.0.3\ninfo: {title: \"a \\\"b\\\"\\n\", version: '1'}\nx: [1, -2.5, null, true, {}]\n",
            None,
        )
        .unwrap();
        assert_eq!(
            artifacts.json,
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": \"a \\\"b\\\"\\n\",\n    \"version\": \"1\"\n  },\n  \"x\": [\n    1,\n    -2.5,\n    null,\n    true,\n    {}\n  ]\n}\n"
        );
    }

    #[test]
    fn a_missing_report_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.md");
        let err = bundle_into(&spec_path(), Some(&missing), &dir.path().join("dist")).unwrap_err();
        assert!(
            format!("{err:#}").starts_with(&format!("reading the breaking-change report {}", missing.display())),
            "{err:#}"
        );
        assert!(!dir.path().join("dist").exists(), "a failed bundle wrote files");
    }
}
