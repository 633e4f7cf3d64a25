//! The example check's cost grows with the document, not with its square: counted in units of work (schemas
//! translated, validators compiled), never timed, so the test cannot flake.

#[path = "../benches/spec_gen.rs"]
mod spec_gen;

use openapi_check::{Checker, spec_examples};
use openapi_toolkit::Document;
use openapi_toolkit::lint::{self, Rule, Ruleset};

/// Units of work and examples of the generated document at `scale`.
fn work(scale: usize) -> (usize, usize) {
    let spec = spec_gen::generate(scale, 0);
    let examples = spec_examples(&spec).unwrap();
    let mut checker = Checker::new(&spec);
    for (example, result) in examples.iter().zip(checker.check_all(&examples)) {
        let violations = result.unwrap();
        assert!(violations.is_empty(), "{}: {violations:?}", example.label);
    }
    (checker.work(), examples.len())
}

#[test]
fn the_example_check_grows_linearly() {
    let (one, examples_one) = work(1);
    let (four, examples_four) = work(4);
    assert_eq!(examples_four, 4 * examples_one);
    // Schemas are translated once per direction and compiled together, not once per example: far fewer units
    // than examples, and four times the document is at most about four times the work.
    assert!(one * 3 < examples_one, "{one} units for {examples_one} examples");
    assert!(four <= 4 * one + 8, "1x: {one} units, 4x: {four} units");
}

/// The generated document is valid, readOnly, writeOnly and discriminator included: its lint finds no example
/// error and nothing it cannot check, so the benchmark measures the full check.
#[test]
fn the_generated_document_is_checked_in_full() {
    let text = serde_json::to_string_pretty(&spec_gen::generate(1, 0)).unwrap();
    let document = Document::parse("api.json", text).unwrap();
    let findings = lint::lint_with(&document, &Ruleset::recommended());
    let unexpected: Vec<_> = findings
        .iter()
        .filter(|f| matches!(f.rule, Rule::ExampleValid | Rule::ExampleUnchecked | Rule::RefResolves))
        .collect();
    assert!(unexpected.is_empty(), "{}", lint::render("api.json", &findings));
}
