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
    let mut json = String::new();
    write_json(&value, 0, "", Some(document.lines()), &mut json)?;
    json.push('\n');
    let mut yaml = format!("# Published from {name} by `{tool}`; do not edit.\n");
    write_yaml(&value, 0, Context::Root, "", document.lines(), &mut yaml)?;
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

/// A YAML value as block YAML, keys in the mapping's own order, written as the bundle writes its YAML (for `convert`).
pub fn to_yaml(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_yaml(value, 0, Context::Root, "", &Lines::new(""), &mut out)?;
    Ok(out)
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

/// What the current line holds before a YAML node is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Nothing: the node is the document.
    Root,
    /// `key:`; a mapping or sequence starts on the next line.
    Value,
    /// `-`; a mapping or sequence starts on the same line.
    Item,
}

/// Block-style YAML with two-space indents, keys in the mapping's own order, every string that some reader
/// would take for something else double-quoted (`is_ambiguous_scalar`), and numbers in the form every reader
/// reads as numbers.
///
/// serde_yaml's writer cannot do it: it quotes what its own YAML 1.2 reader would take for another type (`true`,
/// `null`, `~`, `1e3`, `0x1F`, `.inf`) but writes `2020-01-20T21:32:34Z`, `yes`, `off`, `0123`, `1_000`, `1:20`,
/// `=` and `<<` plain, which YAML 1.1 readers (PyYAML, SnakeYAML, Ruby's Psych) take for a timestamp, a boolean,
/// a number or a merge key; and it has no way to choose a scalar's style, nor to write `1e21` as `1.0e+21`.
fn write_yaml(
    value: &Value,
    indent: usize,
    context: Context,
    pointer: &str,
    lines: &Lines,
    out: &mut String,
) -> Result<()> {
    let shape = |message: String| Error::Shape {
        file: "the document".to_string(),
        pointer: or_root(pointer).to_string(),
        message,
    };
    // Where each entry of a collection starts, at `column`: the first one on the line of its `-`, or on the next line.
    let entry = |out: &mut String, i: usize, column: usize| match (context, i) {
        (Context::Item, 0) => out.push(' '),
        (Context::Value, 0) => {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', column));
        }
        _ => out.extend(std::iter::repeat_n(' ', column)),
    };
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            for (i, (key, item)) in map.iter().enumerate() {
                let Value::String(key) = key else {
                    return Err(shape(format!("a mapping key is not a string ({key:?})")));
                };
                // An implicit key is at most 1024 characters long in YAML, quotes included.
                if key.len() > 1000 {
                    return Err(shape(format!(
                        "a mapping key of {} bytes is too long for a YAML key",
                        key.len()
                    )));
                }
                entry(out, i, indent);
                yaml_string(key, None, out);
                out.push(':');
                let pointer = format!("{pointer}/{}", escape(key));
                write_yaml(item, indent + 2, Context::Value, &pointer, lines, out)?;
            }
        }
        Value::Sequence(items) if !items.is_empty() => {
            // A sequence under a key starts at the key's own column, as serde_yaml and most YAML writers have it.
            let column = if context == Context::Value { indent - 2 } else { indent };
            for (i, item) in items.iter().enumerate() {
                entry(out, i, column);
                out.push('-');
                write_yaml(item, column + 2, Context::Item, &format!("{pointer}/{i}"), lines, out)?;
            }
        }
        scalar => {
            if context != Context::Root {
                out.push(' ');
            }
            match scalar {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&yaml_number(&n.to_string(), lines.number_text(pointer))),
                Value::String(s) => yaml_string(s, (indent > 0).then_some(indent), out),
                Value::Mapping(_) => out.push_str("{}"),
                Value::Sequence(_) => out.push_str("[]"),
                Value::Tagged(tagged) => {
                    return Err(shape(format!("a YAML tag {} has no JSON form", tagged.tag)));
                }
            }
            out.push('\n');
        }
    }
    Ok(())
}

/// A number as every YAML reader reads it back: integers as they are; a float with a point and a signed
/// exponent, since YAML 1.1 reads `1e3` and `1.0e3` as strings. `source` is the document's own text of the
/// number, used where a float would not hold it (a JSON-style decimal only).
fn yaml_number(display: &str, source: Option<&str>) -> String {
    let decimal = |t: &str| {
        let t = t.strip_prefix('-').unwrap_or(t);
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    };
    let text = source.filter(|t| decimal(t)).unwrap_or(display);
    if !decimal(text) || text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        // `.inf`, `-.inf`, `.nan` and integers.
        return text.to_string();
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mut out = mantissa.to_string();
    if !mantissa.contains('.') {
        out.push_str(".0");
    }
    if let Some(exponent) = exponent {
        out.push('e');
        if !exponent.starts_with(['+', '-']) {
            out.push('+');
        }
        out.push_str(exponent);
    }
    out
}

/// Whether some common YAML reader, YAML 1.1 (PyYAML, SnakeYAML, Ruby's Psych) or the YAML 1.2 core schema
/// (libyaml's heirs, gopkg.in/yaml.v3, serde_yaml), would read `text`, written plain, as anything but this string.
///
/// The rule errs towards quoting: a quoted string is read as itself by every reader, while a missed case is a
/// wrong type in someone's client. It covers nulls (`~`, `null`, the empty string), booleans in any case
/// (`y`, `n`, `yes`, `no`, `on`, `off`, `true`, `false`), integers and floats in every form of either version
/// (a sign, leading zeros, `0x`, `0o`, `0b`, underscores, Psych's commas, sexagesimal `1:20`, `.5`, `1.`,
/// `1e3`, `.inf`, `.nan`), dates and timestamps (anything starting `dddd-`), the value key `=` and the merge key `<<`.
pub fn is_ambiguous_scalar(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "" | "~" | "null" | "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "=" | "<<"
    ) {
        return true;
    }
    let unsigned = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    if matches!(unsigned, ".inf" | ".nan") {
        return true;
    }
    // Go reads the prefixes in capitals too (`0X1F`), hence the lowered text.
    if let Some(digits) = ["0x", "0o", "0b"]
        .iter()
        .find_map(|prefix| unsigned.strip_prefix(prefix))
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_')
    {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find('e') {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let exponent_is_digits = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    // SnakeYAML's float pattern takes a lone `_` too.
    if exponent_is_digits
        && mantissa.bytes().any(|b| b.is_ascii_digit() || b == b'_')
        && mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'_' | b'.' | b',' | b':'))
    {
        return true;
    }
    let bytes = text.as_bytes();
    bytes.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

/// Whether `text` can be written as a plain scalar in block context without changing what it says: no
/// indicator first, no `: ` or ` #` inside, no edge whitespace, only characters every reader takes as they are.
fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !text.starts_with("...")
        && !text.starts_with(' ')
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && text.chars().all(|c| !matches!(c, '\t' | '\n') && printable(c))
}

/// Characters a YAML stream may hold as they are, minus those YAML 1.1 takes for line breaks (U+0085,
/// U+2028, U+2029) and the byte order mark; tabs and line feeds are the caller's to decide.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A string scalar: plain where that is safe, a literal block (`|` or `|-`) for text of several lines when
/// `block_indent` allows one, and double-quoted otherwise.
fn yaml_string(text: &str, block_indent: Option<usize>, out: &mut String) {
    if !is_ambiguous_scalar(text) && plain_is_safe(text) {
        out.push_str(text);
    } else if let Some(block) = block_indent.and_then(|indent| literal_block(text, indent)) {
        out.push_str(&block);
    } else {
        double_quoted(text, out);
    }
}

/// `text` as a literal block scalar whose lines sit at `indent`, without its final line break; `None` where a
/// literal block would not read back as `text` without indentation or chomping indicators beyond `|` and `|-`.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let (body, header) = match text.strip_suffix('\n') {
        Some(body) if !body.ends_with('\n') => (body, "|"),
        Some(_) => return None,
        None => (text, "|-"),
    };
    let shown = |c: char| c == '\t' || (c != '\n' && printable(c));
    if !text.contains('\n')
        || body.is_empty()
        || body.starts_with([' ', '\t', '\n'])
        || body
            .split('\n')
            .any(|line| !line.chars().all(shown) || (!line.is_empty() && line.trim_matches([' ', '\t']).is_empty()))
    {
        return None;
    }
    let mut out = header.to_string();
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    Some(out)
}

/// A double-quoted scalar; every character a reader could take for a line break or refuse is escaped.
fn double_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) => write!(out, "\\u{:04x}", u32::from(c)).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
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

    /// Each class of string that some YAML reader would take for another type is quoted.
    #[test]
    fn ambiguous_scalars_are_recognised_in_every_class() {
        let classes: &[(&str, &[&str])] = &[
            (
                "timestamps and dates",
                &[
                    "2020-01-20T21:32:34Z",
                    "2020-01-20",
                    "2001-12-14 21:59:43.10 -5",
                    "2001-1-2",
                ],
            ),
            (
                "booleans in any case",
                &[
                    "y", "N", "yes", "Yes", "NO", "on", "On", "OFF", "true", "False", "TRUE", "tRUE", "yEs",
                ],
            ),
            ("nulls", &["", "~", "null", "Null", "NULL", "nULL"]),
            (
                "integers",
                &[
                    "0", "7", "-7", "+1", "007", "0123", "08", "0o17", "0x1F", "0X1f", "0b1010", "-0b1", "1_000",
                    "1,000",
                ],
            ),
            (
                "floats",
                &[
                    "1.5",
                    "-2.5",
                    "1.",
                    ".5",
                    "-.5",
                    "1e3",
                    "1E3",
                    "1e+3",
                    "1.0e-3",
                    "685.230_15e+03",
                    "1.2.3",
                    "_",
                ],
            ),
            (
                "special floats",
                &[
                    ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "+.inf", ".nan", ".NaN", ".NAN",
                ],
            ),
            ("sexagesimal", &["1:20", "190:20:30", "1:20.5", "-1:20"]),
            ("value and merge keys", &["=", "<<"]),
        ];
        for (class, texts) in classes {
            for text in *texts {
                assert!(is_ambiguous_scalar(text), "{class}: {text:?} must be quoted");
                let mut out = String::new();
                yaml_string(text, Some(2), &mut out);
                assert_eq!(out, format!("\"{text}\""), "{class}: {text:?}");
            }
        }
    }

    /// Words that only look like those above stay plain, and so do numbers that are numbers.
    #[test]
    fn ordinary_words_and_numbers_stay_plain() {
        for text in [
            "yesterday",
            "nothing",
            "online",
            "office",
            "truth",
            "nullable",
            "Yes please",
            "a-b",
            "/chat/Dialog.json",
            "application/json",
            "ApiKey <key>",
            "x:y",
            "100%",
            "e3",
            "0x",
            "0b",
            "inf",
            "nan",
            "v1.2",
            "5 items",
            "ça va",
            "quote \"and\" back\\slash",
            "it's",
            "one, two",
        ] {
            assert!(!is_ambiguous_scalar(text), "{text:?} is an ordinary string");
            let mut out = String::new();
            yaml_string(text, Some(2), &mut out);
            assert_eq!(out, text, "{text:?} is written plain");
        }
        let document = Document::parse("n.json", r#"{"a": [7, -7, 0, 1.5, 1e-7, 1000.0, 1e21, 1.8e300]}"#).unwrap();
        let mut out = String::new();
        write_yaml(&document.ordered(), 0, Context::Root, "", document.lines(), &mut out).unwrap();
        assert_eq!(
            out,
            "a:\n- 7\n- -7\n- 0\n- 1.5\n- 1.0e-7\n- 1000.0\n- 1.0e+21\n- 1.8e+300\n"
        );
    }

    /// Indicators, edge whitespace and characters that YAML 1.1 reads as line breaks force quotes; text of
    /// several lines is a literal block where one reads back the same, and double-quoted where not.
    #[test]
    fn structure_decides_between_plain_block_and_quotes() {
        for (text, written) in [
            ("- item", "\"- item\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("#c", "\"#c\""),
            ("*alias", "\"*alias\""),
            ("a:", "\"a:\""),
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("...", "\"...\""),
            ("tab\there", "\"tab\\there\""),
            ("nel\u{85}x", "\"nel\\u0085x\""),
            ("ls\u{2028}x", "\"ls\\u2028x\""),
            ("bom\u{feff}x", "\"bom\\ufeffx\""),
            ("bell\u{7}x", "\"bell\\u0007x\""),
            ("two\nlines", "|-\n  two\n  lines"),
            ("one line\n", "|\n  one line"),
            ("gap\n\nhere\n", "|\n  gap\n\n  here"),
            ("\n", "\"\\n\""),
            ("trailing\n\n", "\"trailing\\n\\n\""),
            ("  indented\nfirst", "\"  indented\\nfirst\""),
            ("blank\n  \nline", "\"blank\\n  \\nline\""),
            ("cr\r\nlf", "\"cr\\r\\nlf\""),
        ] {
            let mut out = String::new();
            yaml_string(text, Some(2), &mut out);
            assert_eq!(out, written, "{text:?}");
        }
        // A key is never a block.
        let mut out = String::new();
        yaml_string("two\nlines", None, &mut out);
        assert_eq!(out, "\"two\\nlines\"");
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
