//! `cargo xtask lint`: the toolkit's lint on the project's spec; the test that the spec is clean.

#[cfg(test)]
mod tests {
    use openapi_toolkit::{Document, lint};

    /// The real spec is clean under this project's strict ruleset: no error and no warning.
    #[test]
    fn the_spec_has_no_findings() {
        let path = crate::project_root().join(crate::codegen::SPEC);
        let document = Document::load_as(&path, "openapi/dialog.yaml").unwrap();
        let findings = lint::lint_with(&document, &lint::Ruleset::strict());
        assert!(
            findings.is_empty(),
            "{}",
            lint::render("openapi/dialog.yaml", &findings)
        );
    }
}
