//! `cargo xtask bundle`: the spec as published to other teams (`dist/dialog.json`, `dist/dialog.yaml`, `dist/CHANGELOG.md`).

use anyhow::Result;
use openapi_toolkit::cli::BundleArgs;

/// Where the published artifacts go, relative to the workspace root.
pub const DIST: &str = "dist";

/// The toolkit's bundle, after the generator's own reader: a spec the generator refuses is never published.
pub fn run(args: &BundleArgs) -> Result<()> {
    let spec = args
        .path
        .clone()
        .unwrap_or_else(|| crate::project_root().join(crate::codegen::SPEC));
    crate::spec::load(&spec)?;
    openapi_toolkit::cli::bundle(args, &crate::context())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use openapi_toolkit::Document;
    use openapi_toolkit::bundle::{Report, render as render_document};
    use serde_yaml::Value;

    use super::*;

    fn spec_path() -> PathBuf {
        crate::project_root().join(crate::codegen::SPEC)
    }

    fn spec_text() -> String {
        std::fs::read_to_string(spec_path()).unwrap()
    }

    fn render(
        name: &str,
        text: &str,
        report: Option<&Report<'_>>,
    ) -> openapi_toolkit::Result<openapi_toolkit::bundle::Artifacts> {
        render_document(&Document::parse(name, text)?, "cargo xtask bundle", report)
    }

    /// `cargo xtask bundle` into another directory, as the tests need.
    fn bundle_into(
        spec: &std::path::Path,
        report: Option<&std::path::Path>,
        out_dir: &std::path::Path,
    ) -> anyhow::Result<()> {
        run(&BundleArgs {
            path: Some(spec.to_path_buf()),
            report: report.map(std::path::Path::to_path_buf),
            out_dir: Some(out_dir.to_path_buf()),
        })
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

    /// A number used as a key (`200:` unquoted, as many specs write status codes) is read as the
    /// string it spells, as JSON needs; a tag, which JSON has no form of, is refused with its place.
    #[test]
    fn number_keys_are_read_as_strings_and_tags_are_refused_with_the_place() {
        let artifacts = render(
            "x.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  201: {}\n",
            None,
        )
        .unwrap();
        assert!(artifacts.json.contains("\"201\": {}"), "{}", artifacts.json);
        let err = render("x.yaml", "openapi: 3.0.3\ninfo: !custom {title: t}\n", None).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "x.yaml:2:7: invalid YAML: info: a YAML tag has no JSON form"
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
