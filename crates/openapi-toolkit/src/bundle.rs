//! The bundle: a document as published to other teams (`NAME.json`, `NAME.yaml` and `CHANGELOG.md`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::document::{Document, Lines, escape};
use crate::error::{Error, Result};

/// The published files, rendered in memory so that tests can compare them without touching the disk.
#[derive(Debug, PartialEq, Eq)]
pub struct Artifacts {
    /// The file stem every artifact is named after: `dialog` for `openapi/dialog.yaml`.
    pub stem: String,
    pub json: String,
    pub yaml: String,
    pub changelog: String,
}

/// The breaking-change report, when there is one: its text and where it came from.
pub struct Report<'a> {
    pub source: &'a str,
    pub text: &'a str,
}

/// Renders the artifacts of a document; `tool` is the command named in the headers, such as
/// `cargo xtask bundle`.
///
/// Keys keep the order they have in the file: that order only changes when someone edits it,
/// so the output is byte-identical from run to run, and it reads like the source (`openapi`, `info`, `paths` first).
pub fn render(document: &Document, tool: &str, report: Option<&Report<'_>>) -> Result<Artifacts> {
    document.check_version()?;
    let name = document.name();
    let value = document.ordered();
    let shape = |message: String| Error::Shape {
        file: name.to_string(),
        pointer: "/".to_string(),
        message,
    };
    let mut json = String::new();
    write_json(&value, 0, "", Some(document.lines()), &mut json)?;
    json.push('\n');
    let yaml = format!(
        "# Published from {name} by `{tool}`; do not edit.\n{}",
        serde_yaml::to_string(&value).map_err(|err| shape(format!("writing the document as YAML: {err}")))?
    );
    let changelog = changelog(document, &value, tool, report)?;
    let stem = Path::new(name)
        .file_stem()
        .map_or_else(|| "openapi".to_string(), |stem| stem.to_string_lossy().to_string());
    Ok(Artifacts {
        stem,
        json,
        yaml,
        changelog,
    })
}

/// Writes the artifacts into `out_dir` (created if missing), and returns the paths written.
pub fn write(artifacts: &Artifacts, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { action, path, source }
    };
    std::fs::create_dir_all(out_dir).map_err(io("creating", out_dir))?;
    let mut written = Vec::new();
    for (name, contents) in [
        (format!("{}.json", artifacts.stem), &artifacts.json),
        (format!("{}.yaml", artifacts.stem), &artifacts.yaml),
        ("CHANGELOG.md".to_string(), &artifacts.changelog),
    ] {
        let path = out_dir.join(name);
        std::fs::write(&path, contents).map_err(io("writing", &path))?;
        written.push(path);
    }
    Ok(written)
}

/// A YAML value as pretty JSON, keys in the mapping's own order (for the examples on the reference page too).
pub fn to_json(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_json(value, 0, "", None, &mut out)?;
    Ok(out)
}

/// Pretty JSON with two-space indents, in the mapping's own order; a number that a float cannot hold exactly is
/// written as the document's text has it, where `lines` knows it.
///
/// serde_json's `Map` would sort the keys unless its `preserve_order` feature were on, and that feature
/// would unify into the client crate's serde_json too; a small writer keeps the client untouched.
fn write_json(value: &Value, depth: usize, pointer: &str, lines: Option<&Lines>, out: &mut String) -> Result<()> {
    let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("  ", depth));
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(_) if let Some(text) = lines.and_then(|l| l.number_text(pointer)) => out.push_str(text),
        Value::Number(n) => {
            let number: serde_json::Number =
                serde_yaml::from_value(Value::Number(n.clone())).map_err(|_| Error::Shape {
                    file: "the document".to_string(),
                    pointer: or_root(pointer).to_string(),
                    message: format!("the number {n} has no JSON form"),
                })?;
            out.push_str(&number.to_string());
        }
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Sequence(items) if items.is_empty() => out.push_str("[]"),
        Value::Sequence(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_json(item, depth + 1, &format!("{pointer}/{i}"), lines, out)?;
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
                    return Err(Error::Shape {
                        file: "the document".to_string(),
                        pointer: or_root(pointer).to_string(),
                        message: format!("a mapping key is not a string ({key:?})"),
                    });
                };
                indent(out, depth + 1);
                out.push_str(&json_string(key));
                out.push_str(": ");
                let escaped = escape(key);
                write_json(item, depth + 1, &format!("{pointer}/{escaped}"), lines, out)?;
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Value::Tagged(tagged) => {
            return Err(Error::Shape {
                file: "the document".to_string(),
                pointer: or_root(pointer).to_string(),
                message: format!("a YAML tag {} has no JSON form", tagged.tag),
            });
        }
    }
    Ok(())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

fn or_root(pointer: &str) -> &str {
    if pointer.is_empty() { "the root" } else { pointer }
}

/// The CHANGELOG section of this version: what is published, and the breaking-change report when one was given.
fn changelog(document: &Document, spec: &Value, tool: &str, report: Option<&Report<'_>>) -> Result<String> {
    let name = document.name();
    let info = |key: &str| spec.get("info").and_then(|info| info.get(key)).and_then(Value::as_str);
    let missing = |pointer: &str| Error::Shape {
        file: name.to_string(),
        pointer: pointer.to_string(),
        message: "a published document needs this field".to_string(),
    };
    let title = info("title").ok_or_else(|| missing("/info/title"))?;
    let version = info("version").ok_or_else(|| missing("/info/version"))?;
    let openapi = spec.get("openapi").and_then(Value::as_str).unwrap_or("3.0");
    let stem = Path::new(name)
        .file_stem()
        .map_or_else(|| "openapi".into(), |s| s.to_string_lossy());

    let mut out = String::new();
    writeln!(out, "# Changelog of the published contract\n")?;
    writeln!(out, "## {title} {version}\n")?;
    writeln!(
        out,
        "Published from `{name}` by `{tool}` as OpenAPI {openapi}: `{stem}.json` and `{stem}.yaml` (the same document)."
    )?;
    writeln!(out)?;
    writeln!(out, "### Operations\n")?;
    // The eight methods only: `parameters`, `summary` and the like of a path item are no operations.
    for operation in document.operations() {
        let id = operation
            .get("operationId")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("(no operationId)");
        let summary = operation
            .get("summary")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        writeln!(out, "- `{}` (`{id}`): {summary}", operation.name())?;
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
            let diff = tool.strip_suffix("bundle").unwrap_or("openapi-toolkit ").to_string() + "diff";
            writeln!(
                out,
                "To include one, write it with `{diff}` as Markdown and pass it as `{tool} --report FILE`."
            )?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path item's own keys (`parameters`, `summary`, ...) are not listed as operations.
    #[test]
    fn the_changelog_lists_only_operations() {
        let document = Document::parse(
            "api.yaml",
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    summary: Shared\n    description: All of /a.\n    parameters: []\n    servers: []\n    post:\n      operationId: make_a\n      summary: Make one\n      responses: {}\n",
        )
        .unwrap();
        let artifacts = render(&document, "openapi-toolkit bundle", None).unwrap();
        let operations: Vec<&str> = artifacts.changelog.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(operations, ["- `POST /a` (`make_a`): Make one"]);
        assert_eq!(artifacts.stem, "api");
        assert!(
            artifacts
                .yaml
                .starts_with("# Published from api.yaml by `openapi-toolkit bundle`; do not edit.\n")
        );
        assert!(
            artifacts
                .changelog
                .contains("write it with `openapi-toolkit diff` as Markdown")
        );
    }

    /// A number beyond what a float holds is published as its text, from YAML and from JSON alike.
    #[test]
    fn long_numbers_keep_their_text() {
        for (name, text) in [
            (
                "a.yaml",
                "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx: {maximum: 18446744073709552000, big: 123456789012345678901234567890}\n",
            ),
            (
                "a.json",
                "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T \\ud83d\\udc4d\", \"version\": \"1\"}, \"x\": {\"maximum\": 18446744073709552000, \"big\": 123456789012345678901234567890}}",
            ),
        ] {
            let artifacts = render(&Document::parse(name, text).unwrap(), "t", None).unwrap();
            assert!(
                artifacts.json.contains("\"maximum\": 18446744073709552000,"),
                "{name}: {}",
                artifacts.json
            );
            assert!(
                artifacts.json.contains("\"big\": 123456789012345678901234567890\n"),
                "{name}: {}",
                artifacts.json
            );
        }
    }

    #[test]
    fn json_escapes_strings_and_keeps_numbers() {
        let document = Document::parse(
            "x.yaml",
            "openapi: 3.0.3\ninfo: {title: \"a \\\"b\\\"\\n\", version: '1'}\nx: [1, -2.5, null, true, {}]\n",
        )
        .unwrap();
        let artifacts = render(&document, "t", None).unwrap();
        assert_eq!(
            artifacts.json,
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\n    \"title\": \"a \\\"b\\\"\\n\",\n    \"version\": \"1\"\n  },\n  \"x\": [\n    1,\n    -2.5,\n    null,\n    true,\n    {}\n  ]\n}\n"
        );
    }
}
