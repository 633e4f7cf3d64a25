//! Reading the OpenAPI document, with errors that name the file and the place in it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use openapiv3::OpenAPI;

/// A parsed spec and where it came from.
pub struct Spec {
    pub path: PathBuf,
    pub openapi: OpenAPI,
}

/// Reads and parses an OpenAPI 3.0 document.
///
/// Errors read `FILE:LINE:COLUMN: what (at JSON-POINTER)` where the parser knows the place.
pub fn load(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", crate::display_path(path)))?;
    let openapi = parse(path, &text)?;
    Ok(Spec {
        path: path.to_path_buf(),
        openapi,
    })
}

pub fn parse(path: &Path, text: &str) -> Result<OpenAPI> {
    let file = crate::display_path(path);
    let text = strip_bom(text);

    // Syntax first, so that a YAML mistake is not reported as a missing OpenAPI field.
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|err| {
        anyhow::anyhow!(
            "{}: invalid YAML: {}",
            place(&file, err.location()),
            strip_location(&err)
        )
    })?;

    // progenitor reads only OpenAPI 3.0 (its issue #1268): a 3.1 document is converted to 3.0 on the way, meaning for
    // meaning, or refused with every place 3.0 cannot say; any other version would fail later with a confusing message.
    match value.get("openapi").and_then(serde_yaml::Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) if version.starts_with("3.1.") => {
            let document = openapi_toolkit::Document::parse(&file, text)?;
            let converted = openapi_toolkit::convert::convert(&document, openapi_toolkit::convert::Target::V3_0)
                .map_err(|err| {
                    anyhow::anyhow!("{err}\n(the generator reads OpenAPI 3.0, so a 3.1 document is converted first)")
                })?;
            let text = openapi_toolkit::convert::to_text(&converted, false)?;
            return deserialize(&format!("{file} (converted to 3.0)"), &text);
        }
        Some(version) => bail!(
            "{}:{}: unsupported OpenAPI version {version:?}: the generator reads 3.0.x, and 3.1.x converted to 3.0 (at /openapi)",
            file,
            top_level_key_line(text, "openapi").map_or(String::new(), |line| format!("{line}:1"))
        ),
        None => bail!("{file}: not an OpenAPI document: the top-level `openapi: 3.0.x` field is missing (at /openapi)"),
    }
    deserialize(&file, text)
}

/// The 3.0 text as openapiv3's model, with errors at the place serde knows.
fn deserialize(file: &str, text: &str) -> Result<OpenAPI> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, OpenAPI>(deserializer).map_err(|err| {
        let pointer = json_pointer(err.path());
        let inner = err.inner();
        anyhow::anyhow!(
            "{}: invalid OpenAPI document: {} (at {pointer})",
            place(file, inner.location()),
            strip_location(inner)
        )
    })
}

/// The text without a leading UTF-8 byte-order mark, which editors on Windows write and which
/// YAML allows; serde_yaml reads it as the start of a second document.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn place(file: &str, location: Option<serde_yaml::Location>) -> String {
    match location {
        Some(loc) => format!("{file}:{}:{}", loc.line(), loc.column()),
        None => file.to_string(),
    }
}

/// serde_yaml appends " at line L column C" to its messages; the place is printed up front instead.
fn strip_location(err: &serde_yaml::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

/// The 1-based line of a top-level mapping key, for errors about a field serde_yaml has no span for.
fn top_level_key_line(text: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    text.lines()
        .position(|line| line.starts_with(&prefix))
        .map(|index| index + 1)
}

/// Turns serde_path_to_error's path into an RFC 6901 JSON pointer.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(&token));
    }
    if pointer.is_empty() { "/".to_string() } else { pointer }
}

/// One pointer escape for the whole workspace: the toolkit's (openapi-check's underneath).
pub use openapi_toolkit::document::escape as escape_pointer_token;

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        format!(
            "{:#}",
            parse(Path::new("fixture.yaml"), text).expect_err("the fixture must be refused")
        )
    }

    #[test]
    fn yaml_syntax_errors_name_line_and_column() {
        let err = error_of("openapi: 3.0.3\ninfo: [unclosed\n");
        assert!(err.starts_with("fixture.yaml:"), "{err}");
        assert!(err.contains("invalid YAML"), "{err}");
        let line: usize = err.split(':').nth(1).unwrap().parse().unwrap();
        assert!((2..=3).contains(&line), "{err}");
    }

    #[test]
    fn an_unknown_version_is_refused_with_its_line() {
        let err = error_of("# comment\nopenapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(
            err,
            "fixture.yaml:2:1: unsupported OpenAPI version \"3.2.0\": the generator reads 3.0.x, and 3.1.x converted to 3.0 (at /openapi)"
        );
    }

    #[test]
    fn a_31_document_is_read_through_its_30_form_or_refused_at_each_place() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: [string, 'null']}\n";
        let openapi = parse(Path::new("fixture.yaml"), text).unwrap();
        assert_eq!(openapi.openapi, "3.0.3");
        let a = serde_json::to_value(&openapi.components.unwrap().schemas["A"]).unwrap();
        assert_eq!(a, serde_json::json!({"type": "string", "nullable": true}));
        let err = error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {a: {}}\n");
        assert!(
            err.contains("fixture.yaml:3:1: webhooks have no form in OpenAPI 3.0"),
            "{err}"
        );
        assert!(err.contains("the generator reads OpenAPI 3.0"), "{err}");
    }

    #[test]
    fn a_missing_openapi_field_is_named() {
        let err = error_of("info: {title: t, version: '1'}\npaths: {}\n");
        assert!(err.contains("the top-level `openapi: 3.0.x` field is missing"), "{err}");
    }

    #[test]
    fn shape_errors_name_the_pointer_and_the_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: 1.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n      deprecated: maybe\n";
        let err = error_of(text);
        // openapiv3 reads path items through an untagged enum, which hides the deeper path from
        // serde; the place is the path item that holds the mistake.
        assert!(err.starts_with("fixture.yaml:6:"), "{err}");
        assert!(
            err.contains("invalid type: string \"maybe\", expected a boolean"),
            "{err}"
        );
        assert!(err.ends_with("(at /paths)"), "{err}");
        let err = error_of("openapi: 3.0.3\ninfo:\n  title: t\n  version: [1]\npaths: {}\n");
        assert!(err.starts_with("fixture.yaml:4:"), "{err}");
        assert!(err.ends_with("(at /info/version)"), "{err}");
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(escape_pointer_token("/chat/Dialog.json"), "~1chat~1Dialog.json");
        assert_eq!(escape_pointer_token("a~b"), "a~0b");
    }
}
