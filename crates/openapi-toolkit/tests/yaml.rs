//! The published YAML reads back as the published JSON: for a document full of strings that YAML readers
//! could take for other types, and for every fixture document of the toolkit.

use std::path::{Path, PathBuf};

use openapi_toolkit::Document;
use openapi_toolkit::bundle::render;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The YAML and the JSON of a bundle, each read by its own reader, as one value model.
fn both(path: &Path) -> (serde_json::Value, serde_json::Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let document = Document::parse(&path.display().to_string(), text).unwrap();
    let artifacts = render(&document, "openapi-toolkit bundle", None).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&artifacts.yaml)
        .unwrap_or_else(|err| panic!("{}: the YAML does not read: {err}\n{}", path.display(), artifacts.yaml));
    let json: serde_json::Value = serde_json::from_str(&artifacts.json).unwrap();
    (serde_json::to_value(yaml).unwrap(), json)
}

#[test]
fn tricky_strings_read_back_as_themselves() {
    let path = fixtures().join("yaml/tricky.json");
    let (yaml, json) = both(&path);
    assert_eq!(yaml, json);
    // The fixture's own text is the truth: every class is there and read back as strings, keys too.
    let source: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(yaml, source);
    let classes = source["x-tricky-values"].as_object().unwrap();
    assert!(classes.len() >= 9, "{classes:?}");
    for (class, texts) in classes {
        for text in texts.as_array().unwrap() {
            let text = text.as_str().unwrap();
            assert_eq!(yaml["x-tricky-keys"][text], text, "{class}: the key {text:?}");
        }
    }
}

#[test]
fn every_fixture_bundles_to_yaml_that_reads_as_its_json() {
    let mut checked = 0;
    for dir in ["lint", "multi-file", "yaml"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // Fixtures of the lint are broken on purpose; only those the bundle takes are compared.
            let Ok(document) = Document::parse(&path.display().to_string(), text) else {
                continue;
            };
            let Ok(artifacts) = render(&document, "t", None) else {
                continue;
            };
            let yaml: serde_yaml::Value = serde_yaml::from_str(&artifacts.yaml)
                .unwrap_or_else(|err| panic!("{}: {err}\n{}", path.display(), artifacts.yaml));
            let json: serde_json::Value = serde_json::from_str(&artifacts.json).unwrap();
            assert_eq!(serde_json::to_value(yaml).unwrap(), json, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} fixtures were bundled");
}
