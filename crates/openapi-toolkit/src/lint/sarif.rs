//! The lint's findings as SARIF 2.1.0, the format code hosts read to show findings on the
//! changed lines of a pull request (GitHub code scanning, Azure DevOps, GitLab).

use serde_json::{Value, json};

use super::{Finding, Rule, Severity};

/// How `lint` prints its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// One block per finding, as a compiler prints them
    #[default]
    Text,
    /// A SARIF 2.1.0 log, for code scanning uploads
    Sarif,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of one lint run over `file` (its path as given, a relative URI for a code host).
pub fn render(file: &str, findings: &[Finding]) -> String {
    serde_json::to_string_pretty(&log(file, findings)).expect("a JSON value serializes")
}

/// The log with the configuration the run used (its path, or `none` and why) in the run's properties.
pub fn render_configured(file: &str, findings: &[Finding], configuration: &str) -> String {
    let mut log = log(file, findings);
    log["runs"][0]["properties"] = json!({"configuration": configuration});
    serde_json::to_string_pretty(&log).expect("a JSON value serializes")
}

fn log(file: &str, findings: &[Finding]) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "shortDescription": {"text": rule.description()},
                "defaultConfiguration": {"level": level(rule.severity())},
            })
        })
        .collect();
    let uri = file.replace('\\', "/");
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let mut physical = json!({"artifactLocation": {"uri": uri}});
            if let Some((line, column)) = finding.position {
                physical["region"] = json!({"startLine": line.max(1), "startColumn": column.max(1)});
            }
            let pointer = if finding.pointer.is_empty() {
                "/"
            } else {
                &finding.pointer
            };
            json!({
                "ruleId": finding.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == finding.rule),
                "level": level(finding.severity),
                "message": {"text": format!("{} (at {pointer})", finding.message)},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": pointer, "kind": "member"}],
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "openapi-toolkit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;

    /// The SARIF 2.1.0 schema's objects that the lint writes (see the fixture's description).
    fn validator() -> jsonschema::Validator {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sarif/sarif-schema-2.1.0-subset.json"
        );
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::draft4::new(&schema).unwrap()
    }

    #[test]
    fn findings_are_a_valid_sarif_log_with_their_places() {
        let document = Document::parse(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      responses: {}\n",
        )
        .unwrap();
        let findings = crate::lint::lint(&document);
        assert!(findings.iter().any(|f| f.severity == Severity::Error));
        let text = render(document.name(), &findings);
        let log: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator()
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len());
        let path = results.iter().find(|r| r["ruleId"] == "path-parameters").unwrap();
        assert_eq!(path["level"], "error");
        let location = &path["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "specs/api.yaml");
        assert_eq!(location["region"]["startLine"], 5);
        let index = path["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][index]["id"],
            "path-parameters"
        );
    }

    #[test]
    fn the_schema_refuses_what_is_not_sarif() {
        // The check can fail: a log with a level SARIF does not have is refused.
        let log = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
            "results": [{"message": {"text": "m"}, "level": "fatal"}]}]});
        assert!(!validator().is_valid(&log));
        let empty: Value = serde_json::from_str(&render("a.yaml", &[])).unwrap();
        assert!(validator().is_valid(&empty));
    }
}
