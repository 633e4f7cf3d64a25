//! `cargo xtask lint`: the toolkit's lint on the project's spec; the test that the spec is clean.

#[cfg(test)]
mod tests {
    use openapi_toolkit::config::Config;
    use openapi_toolkit::{Document, lint};

    /// `cargo xtask lint` runs the recommended set with the root `openapi-toolkit.yaml` on top;
    /// that file must make it exactly the strict set, so a new house rule cannot arrive turned off.
    #[test]
    fn the_project_configuration_is_strict() {
        let config = Config::load(&crate::project_root().join("openapi-toolkit.yaml")).unwrap();
        assert_eq!(
            config.lint.ruleset(&lint::Ruleset::recommended()),
            lint::Ruleset::strict()
        );
    }

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
