//! `cargo xtask docs`: the reference page `dist/dialog.html`.

use anyhow::Result;
use openapi_toolkit::cli::DocsArgs;

/// The toolkit's page, after the generator's own reader: the page never documents a spec the client cannot be built from.
pub fn run(args: &DocsArgs) -> Result<()> {
    let spec = args
        .path
        .clone()
        .unwrap_or_else(|| crate::project_root().join(crate::codegen::SPEC));
    crate::spec::load(&spec)?;
    openapi_toolkit::cli::docs(args, &crate::context())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use openapi_toolkit::Document;
    use serde_yaml::Value;

    fn page() -> String {
        let text = std::fs::read_to_string(crate::project_root().join(crate::codegen::SPEC)).unwrap();
        let document = Document::parse("openapi/dialog.yaml", text).unwrap();
        openapi_toolkit::docs::render(&document, "cargo xtask docs").unwrap()
    }

    fn esc(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    /// The request samples of every operation, as the page shows them; a change in any generator's naming or in
    /// the spec shows here first.
    #[test]
    fn request_samples_of_the_spec() {
        let text = std::fs::read_to_string(crate::project_root().join(crate::codegen::SPEC)).unwrap();
        let document = Document::parse("openapi/dialog.yaml", text).unwrap();
        // As `cargo xtask docs` renders it: with the project's Rust sample (openapi-toolkit.yaml).
        let config =
            openapi_toolkit::config::Config::load(&crate::project_root().join("openapi-toolkit.yaml")).unwrap();
        assert!(
            config.docs.rust.is_some(),
            "the project's configuration names its Rust client"
        );
        let mut shown = String::new();
        for operation in document.operations() {
            let (path, method) = (operation.item.path, operation.method.key());
            for sample in openapi_toolkit::docs::samples_with(&document, path, method, &config.docs) {
                shown.push_str(&format!(
                    "==== {} {} · {}\n{}\nnames: {:?}\n\n",
                    operation.method.key().to_uppercase(),
                    operation.item.path,
                    sample.label,
                    sample.source,
                    sample.names
                ));
            }
        }
        insta::assert_snapshot!("request_samples", shown);
    }

    #[test]
    fn page_is_byte_identical_run_to_run() {
        assert_eq!(page(), page());
    }

    #[test]
    fn page_shows_the_operation_both_schemes_every_schema_and_every_example() {
        let page = page();
        let text = std::fs::read_to_string(crate::project_root().join(crate::codegen::SPEC)).unwrap();
        let spec: Value = serde_yaml::from_str(&text).unwrap();
        let mut expected = vec![
            "<span class=\"method\">POST</span><code>/chat/Dialog.json</code>".to_string(),
            "id=\"auth-SessionToken\"".into(),
            "id=\"auth-ApiKey\"".into(),
            "<code>QB-Token</code> header".into(),
            "<code>Authorization</code> header".into(),
        ];
        for name in spec["components"]["schemas"].as_mapping().unwrap().keys() {
            expected.push(format!("id=\"schema-{}\"", name.as_str().unwrap()));
        }
        // Every example's value, as the page prints it.
        let op = &spec["paths"]["/chat/Dialog.json"]["post"];
        let mut holders = vec![&op["requestBody"]];
        holders.extend(op["responses"].as_mapping().unwrap().values());
        for holder in holders {
            for example in holder["content"]["application/json"]["examples"]
                .as_mapping()
                .unwrap()
                .values()
            {
                expected.push(esc(&openapi_toolkit::bundle::to_json(&example["value"]).unwrap()));
            }
        }
        for needle in &expected {
            assert!(page.contains(needle.as_str()), "the page lacks {needle}");
        }
        // No script, stylesheet or font is fetched at view time: the page has no URL it loads.
        for fetching in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(fetching), "the page loads something: {fetching}");
        }
    }
}
