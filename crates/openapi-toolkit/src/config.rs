//! The configuration file, `openapi-toolkit.yaml`: per-rule levels for the diff and the lint,
//! breaking changes a team accepted (each with its reason, as oasdiff's `err-ignore`), what makes
//! the diff fail, and whether `info.version` is semantic versioning.
//!
//! ```yaml
//! diff:
//!   fail-on: ERR            # or WARN: fail on changes that may break, too
//!   versioning: semver      # or none: info.version is not checked (such as a date)
//!   rules:
//!     api-tag-removed: off  # off, info, warn or err
//!   deprecation-days:       # the notice a deprecation owes: its x-sunset at least this many days ahead
//!     beta: 30
//!     stable: 180
//!   accept:
//!     - rule: response-required-property-removed
//!       operation: GET /things   # optional: every operation when absent
//!       location: label          # optional: a part of the change's location
//!       reason: clients were told in the 2.0 notice
//! lint:
//!   extends: recommended            # or strict, or minimal (errors only); default: the command's
//!   rules:
//!     schema-description: warning   # error, warning (warn), info or off
//!   ignore:
//!     - pointer: /paths/~1legacy     # a finding here or inside it
//!       rule: operation-summary      # optional: every rule when absent
//!       reason: generated, owned by another team
//! ```
//!
//! Without a file the defaults hold: fail on ERR, semver, each rule at its registry level.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diff::{self, Level, Report};
use crate::error::{Error, Result};
use crate::lint::{self, Ruleset, Severity};

/// The file name looked for from the current directory upward.
pub const FILE_NAMES: [&str; 2] = ["openapi-toolkit.yaml", "openapi-toolkit.yml"];

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from; `None` for the defaults.
    pub path: Option<PathBuf>,
    pub diff: DiffConfig,
    pub lint: LintConfig,
    /// How the reference page shows this project's own generated clients.
    pub docs: crate::docs::SampleOptions,
}

/// Whether `info.version` follows semantic versioning, and so must be bumped as the changes need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Versioning {
    #[default]
    Semver,
    /// The version is a date, a build number or anything else: it is not checked.
    None,
}

/// The least severe level that fails the diff.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    #[default]
    #[value(name = "ERR", alias = "err")]
    Err,
    #[value(name = "WARN", alias = "warn")]
    Warn,
}

impl FailOn {
    pub fn fails(self, level: Level) -> bool {
        match self {
            Self::Err => level == Level::Err,
            Self::Warn => matches!(level, Level::Err | Level::Warn),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DiffConfig {
    pub fail_on: Option<FailOn>,
    pub versioning: Option<Versioning>,
    /// A rule's level instead of the registry's; `None` turns it off.
    pub levels: Vec<(diff::Rule, Option<Level>)>,
    pub accepted: Vec<Accepted>,
    /// The deprecation policy's days per stability level (`deprecation-days`), each `None` when not set.
    pub deprecation_days_beta: Option<u32>,
    pub deprecation_days_stable: Option<u32>,
}

/// A breaking change the team accepted, matched by rule and, when given, operation and location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub rule: diff::Rule,
    pub operation: Option<String>,
    pub location: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct LintConfig {
    /// The ruleset the levels start from (`extends:`), instead of the command's default.
    pub extends: Option<lint::Base>,
    /// A rule's severity instead of its default; `None` turns it off.
    pub levels: Vec<(lint::Rule, Option<Severity>)>,
    /// Findings the team decided to leave, each with its reason.
    pub ignores: Vec<Ignore>,
}

/// A finding left on purpose: every finding at `pointer` or inside it (of `rule`, when given), with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub pointer: String,
    pub rule: Option<lint::Rule>,
    pub reason: String,
    /// Where the entry is in the configuration, for the report of an entry that matches nothing.
    pub at: String,
}

impl Config {
    /// The first configuration file in `start` or a directory above it.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .flat_map(|dir| FILE_NAMES.iter().map(move |name| dir.join(name)))
            .find(|path| path.is_file())
    }

    /// The file given, or the one found from the current directory upward, or the defaults.
    pub fn discover(given: Option<&Path>) -> Result<Config> {
        let path = match given {
            Some(path) => Some(path.to_path_buf()),
            None => std::env::current_dir().ok().and_then(|dir| Self::find(&dir)),
        };
        match path {
            Some(path) => Self::load(&path),
            None => Ok(Config::default()),
        }
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "reading the configuration",
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&path.display().to_string(), &text)?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Reads a configuration; `name` is the file for messages. Unknown keys, rule ids and levels
    /// are errors that say where, so that a typo does not silently leave a rule as it was.
    pub fn parse(name: &str, text: &str) -> Result<Config> {
        let bad = |pointer: &str, message: String| Error::Shape {
            file: name.to_string(),
            pointer: pointer.to_string(),
            message,
        };
        let value: Value = if text.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_yaml::from_str(text).map_err(|err| bad("/", format!("invalid YAML: {err}")))?
        };
        let root = value
            .as_object()
            .ok_or_else(|| bad("/", "the configuration is not a mapping".into()))?;
        let mut config = Config::default();
        for (key, section) in root {
            match key.as_str() {
                "diff" => config.diff = parse_diff(section, &bad)?,
                "lint" => config.lint = parse_lint(section, &bad)?,
                "docs" => config.docs = parse_docs(section, &bad)?,
                other => {
                    return Err(bad(
                        &format!("/{other}"),
                        format!("unknown section `{other}`: expected diff, lint or docs"),
                    ));
                }
            }
        }
        Ok(config)
    }
}

type Bad<'a> = dyn Fn(&str, String) -> Error + 'a;

fn mapping<'v>(value: &'v Value, pointer: &str, bad: &Bad<'_>) -> Result<&'v serde_json::Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| bad(pointer, format!("expected a mapping, found {value}")))
}

fn text<'v>(value: &'v Value, pointer: &str, bad: &Bad<'_>) -> Result<&'v str> {
    value
        .as_str()
        .ok_or_else(|| bad(pointer, format!("expected text, found {value}")))
}

/// `docs: {rust-sample: {crate: NAME, client: LINES}}`: the Rust sample's crate and constructor.
fn parse_docs(section: &Value, bad: &Bad<'_>) -> Result<crate::docs::SampleOptions> {
    let mut out = crate::docs::SampleOptions::default();
    for (key, value) in mapping(section, "/docs", bad)? {
        let pointer = format!("/docs/{key}");
        match key.as_str() {
            "rust-sample" => {
                let (mut krate, mut client) = (None, None);
                for (field, value) in mapping(value, &pointer, bad)? {
                    let at = format!("{pointer}/{field}");
                    match field.as_str() {
                        "crate" => krate = Some(text(value, &at, bad)?.to_string()),
                        "client" => client = Some(text(value, &at, bad)?.to_string()),
                        other => {
                            return Err(bad(&at, format!("unknown key `{other}`: expected crate or client")));
                        }
                    }
                }
                let missing = |what: &str| bad(&pointer, format!("`rust-sample` needs `{what}`"));
                out.rust = Some(crate::docs::RustSample {
                    krate: krate.ok_or_else(|| missing("crate"))?,
                    client: client.ok_or_else(|| missing("client"))?,
                });
            }
            other => return Err(bad(&pointer, format!("unknown key `{other}`: expected rust-sample"))),
        }
    }
    Ok(out)
}

fn parse_diff(section: &Value, bad: &Bad<'_>) -> Result<DiffConfig> {
    let mut out = DiffConfig::default();
    for (key, value) in mapping(section, "/diff", bad)? {
        let pointer = format!("/diff/{key}");
        match key.as_str() {
            "fail-on" => {
                out.fail_on = Some(match text(value, &pointer, bad)?.to_ascii_uppercase().as_str() {
                    "ERR" => FailOn::Err,
                    "WARN" => FailOn::Warn,
                    other => return Err(bad(&pointer, format!("unknown level `{other}`: expected ERR or WARN"))),
                })
            }
            "versioning" => {
                out.versioning = Some(match text(value, &pointer, bad)? {
                    "semver" => Versioning::Semver,
                    "none" => Versioning::None,
                    other => {
                        return Err(bad(
                            &pointer,
                            format!("unknown versioning `{other}`: expected semver or none"),
                        ));
                    }
                })
            }
            "rules" => {
                for (id, level) in mapping(value, &pointer, bad)? {
                    let at = format!("{pointer}/{id}");
                    let rule = diff::Rule::from_id(id)
                        .ok_or_else(|| bad(&at, format!("unknown diff rule `{id}` (see `diff --rules`)")))?;
                    let level = match text(level, &at, bad)?.to_ascii_lowercase().as_str() {
                        "off" => None,
                        "info" => Some(Level::Info),
                        "warn" => Some(Level::Warn),
                        "err" => Some(Level::Err),
                        other => {
                            return Err(bad(
                                &at,
                                format!("unknown level `{other}`: expected off, info, warn or err"),
                            ));
                        }
                    };
                    out.levels.push((rule, level));
                }
            }
            "accept" => {
                let list = value
                    .as_array()
                    .ok_or_else(|| bad(&pointer, format!("expected a list, found {value}")))?;
                for (index, entry) in list.iter().enumerate() {
                    let at = format!("{pointer}/{index}");
                    let entry = mapping(entry, &at, bad)?;
                    let field = |name: &str| -> Result<Option<String>> {
                        entry
                            .get(name)
                            .map(|v| text(v, &format!("{at}/{name}"), bad).map(str::to_string))
                            .transpose()
                    };
                    if let Some(unknown) = entry
                        .keys()
                        .find(|k| !matches!(k.as_str(), "rule" | "operation" | "location" | "reason"))
                    {
                        return Err(bad(
                            &format!("{at}/{unknown}"),
                            format!("unknown key `{unknown}`: expected rule, operation, location and reason"),
                        ));
                    }
                    let id = field("rule")?.ok_or_else(|| bad(&at, "an accepted change names its `rule`".into()))?;
                    let rule = diff::Rule::from_id(&id).ok_or_else(|| {
                        bad(
                            &format!("{at}/rule"),
                            format!("unknown diff rule `{id}` (see `diff --rules`)"),
                        )
                    })?;
                    let reason = field("reason")?
                        .filter(|r| !r.trim().is_empty())
                        .ok_or_else(|| bad(&at, "an accepted change says why in `reason`".into()))?;
                    out.accepted.push(Accepted {
                        rule,
                        operation: field("operation")?,
                        location: field("location")?,
                        reason,
                    });
                }
            }
            "deprecation-days" => {
                for (level, days) in mapping(value, &pointer, bad)? {
                    let at = format!("{pointer}/{level}");
                    let days = days
                        .as_u64()
                        .and_then(|d| u32::try_from(d).ok())
                        .ok_or_else(|| bad(&at, format!("expected a whole number of days, found {days}")))?;
                    match level.as_str() {
                        "beta" => out.deprecation_days_beta = Some(days),
                        "stable" => out.deprecation_days_stable = Some(days),
                        other => {
                            return Err(bad(
                                &at,
                                format!(
                                    "unknown stability level `{other}`: expected beta or stable (draft and alpha owe no notice)"
                                ),
                            ));
                        }
                    }
                }
            }
            other => {
                return Err(bad(
                    &pointer,
                    format!("unknown key `{other}`: expected fail-on, versioning, rules, accept or deprecation-days"),
                ));
            }
        }
    }
    Ok(out)
}

fn parse_lint(section: &Value, bad: &Bad<'_>) -> Result<LintConfig> {
    let mut out = LintConfig::default();
    for (key, value) in mapping(section, "/lint", bad)? {
        let pointer = format!("/lint/{key}");
        match key.as_str() {
            "rules" => {}
            "extends" => {
                let name = text(value, &pointer, bad)?;
                out.extends = Some(lint::Base::from_name(name).ok_or_else(|| {
                    bad(
                        &pointer,
                        format!("unknown ruleset `{name}`: expected recommended, strict or minimal"),
                    )
                })?);
                continue;
            }
            "ignore" => {
                out.ignores = parse_ignores(value, &pointer, bad)?;
                continue;
            }
            _ => {
                return Err(bad(
                    &pointer,
                    format!("unknown key `{key}`: expected extends, rules or ignore"),
                ));
            }
        }
        for (id, level) in mapping(value, &pointer, bad)? {
            let at = format!("{pointer}/{id}");
            let rule = lint::Rule::from_id(id)
                .ok_or_else(|| bad(&at, format!("unknown lint rule `{id}` (see `lint --rules`)")))?;
            let name = text(level, &at, bad)?;
            let level = lint::parse_level(name).ok_or_else(|| {
                bad(
                    &at,
                    format!("unknown level `{name}`: expected error, warning, info or off"),
                )
            })?;
            out.levels.push((rule, level));
        }
    }
    Ok(out)
}

/// `ignore: [{pointer: /paths/~1x, rule: ID, reason: ...}]`: `rule` is optional, `reason` is not.
fn parse_ignores(value: &Value, pointer: &str, bad: &Bad<'_>) -> Result<Vec<Ignore>> {
    let items = value
        .as_array()
        .ok_or_else(|| bad(pointer, format!("expected a list, found {value}")))?;
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let at = format!("{pointer}/{index}");
        let (mut target, mut rule, mut reason) = (None, None, None);
        for (field, value) in mapping(item, &at, bad)? {
            let field_at = format!("{at}/{field}");
            match field.as_str() {
                "pointer" => target = Some(text(value, &field_at, bad)?.to_string()),
                "rule" => {
                    let id = text(value, &field_at, bad)?;
                    rule = Some(
                        lint::Rule::from_id(id)
                            .ok_or_else(|| bad(&field_at, format!("unknown lint rule `{id}` (see `lint --rules`)")))?,
                    );
                }
                "reason" => reason = Some(text(value, &field_at, bad)?.to_string()),
                other => {
                    return Err(bad(
                        &field_at,
                        format!("unknown key `{other}`: expected pointer, rule or reason"),
                    ));
                }
            }
        }
        let target = target.ok_or_else(|| bad(&at, "an ignore names its JSON `pointer`".into()))?;
        if !(target.is_empty() || target.starts_with('/')) {
            return Err(bad(
                &format!("{at}/pointer"),
                format!("`{target}` is not a JSON pointer (it starts with `/`)"),
            ));
        }
        let reason = reason
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| bad(&at, "an ignore says why in `reason`".into()))?;
        out.push(Ignore {
            pointer: target,
            rule,
            reason,
            at,
        });
    }
    Ok(out)
}

impl DiffConfig {
    /// Sets each overridden rule's level (dropping the rules turned off) and marks the accepted changes.
    pub fn apply(&self, report: &mut Report) {
        for (rule, level) in &self.levels {
            match level {
                Some(level) => report
                    .changes
                    .iter_mut()
                    .filter(|c| c.rule == *rule)
                    .for_each(|c| c.level = *level),
                None => report.changes.retain(|c| c.rule != *rule),
            }
        }
        for change in &mut report.changes {
            let accepted = self.accepted.iter().find(|a| {
                a.rule == change.rule
                    && a.operation
                        .as_ref()
                        .is_none_or(|op| *op == change.operation || change.operations.contains(op))
                    && a.location.as_ref().is_none_or(|l| change.location.contains(l.as_str()))
            });
            if let Some(accepted) = accepted {
                change.accepted = Some(accepted.reason.clone());
            }
        }
    }
}

impl LintConfig {
    /// `base` with each configured rule at its configured level: the ruleset the lint runs with.
    /// Applied before the lint runs, so a configuration can turn on a rule that `base` leaves off.
    pub fn ruleset(&self, base: &Ruleset) -> Ruleset {
        let mut rules = self.extends.map_or_else(|| base.clone(), lint::Base::ruleset);
        for (rule, level) in &self.levels {
            rules.set(*rule, *level);
        }
        rules
    }

    /// Drops the ignored findings; returns a sentence for each ignore that matched none (a stale entry, or a
    /// pointer with a typo), so that an ignore cannot outlive its reason unseen.
    pub fn apply_ignores(&self, findings: &mut Vec<lint::Finding>) -> Vec<String> {
        let mut matched = vec![false; self.ignores.len()];
        findings.retain(|finding| {
            let hit = self.ignores.iter().position(|ignore| {
                ignore.rule.is_none_or(|rule| rule == finding.rule)
                    && finding
                        .pointer
                        .strip_prefix(&ignore.pointer)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            if let Some(index) = hit {
                matched[index] = true;
            }
            hit.is_none()
        });
        self.ignores
            .iter()
            .zip(matched)
            .filter(|(_, matched)| !matched)
            .map(|(ignore, _)| {
                format!(
                    "the ignore at {} (`{}`{}) matches no finding; remove it, or correct its pointer",
                    ignore.at,
                    ignore.pointer,
                    ignore.rule.map_or(String::new(), |r| format!(", rule {}", r.id()))
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_is_read_with_every_part() {
        let config = Config::parse(
            "c.yaml",
            "diff:\n  fail-on: WARN\n  versioning: none\n  rules: {api-tag-removed: off, request-parameter-removed: err, api-removed: info}\n  accept:\n    - {rule: response-required-property-removed, operation: GET /x, reason: announced}\nlint:\n  rules: {schema-description: off, servers: warning}\n",
        )
        .unwrap();
        assert_eq!(config.diff.fail_on, Some(FailOn::Warn));
        assert_eq!(config.diff.versioning, Some(Versioning::None));
        // An old id (`api-removed`) still names its rule.
        assert!(
            config
                .diff
                .levels
                .contains(&(diff::Rule::ApiRemovedWithoutDeprecation, Some(Level::Info)))
        );
        assert_eq!(
            config.diff.accepted[0].rule,
            diff::Rule::ResponseRequiredPropertyRemoved
        );
        assert_eq!(config.lint.levels.len(), 2);
    }

    #[test]
    fn mistakes_say_what_and_where() {
        for (text, expected) in [
            (
                "dif: {}\n",
                "c.yaml: unknown section `dif`: expected diff, lint or docs (at /dif)",
            ),
            (
                "diff: {rules: {no-such-rule: off}}\n",
                "c.yaml: unknown diff rule `no-such-rule` (see `diff --rules`) (at /diff/rules/no-such-rule)",
            ),
            (
                "diff: {rules: {api-tag-removed: loud}}\n",
                "c.yaml: unknown level `loud`: expected off, info, warn or err (at /diff/rules/api-tag-removed)",
            ),
            (
                "diff: {accept: [{rule: api-tag-removed}]}\n",
                "c.yaml: an accepted change says why in `reason` (at /diff/accept/0)",
            ),
            (
                "diff: {fail-on: INFO}\n",
                "c.yaml: unknown level `INFO`: expected ERR or WARN (at /diff/fail-on)",
            ),
            (
                "docs: {rust-sample: {crate: c}}\n",
                "c.yaml: `rust-sample` needs `client` (at /docs/rust-sample)",
            ),
            (
                "docs: {rust-sample: {crate: c, client: x, krate: d}}\n",
                "c.yaml: unknown key `krate`: expected crate or client (at /docs/rust-sample/krate)",
            ),
            (
                "lint: {rules: {servers: fatal}}\n",
                "c.yaml: unknown level `fatal`: expected error, warning, info or off (at /lint/rules/servers)",
            ),
        ] {
            let err = Config::parse("c.yaml", text).unwrap_err().to_string();
            assert_eq!(err, expected, "{text}");
        }
    }

    #[test]
    fn a_lint_section_extends_a_ruleset_and_ignores_by_pointer_with_a_reason() {
        let config = Config::parse(
            "c.yaml",
            "lint:\n  extends: minimal\n  rules: {servers: warn}\n  ignore:\n    - {pointer: /paths/~1a, rule: operation-summary, reason: generated}\n    - {pointer: /nowhere, reason: stale}\n",
        )
        .unwrap();
        let rules = config.lint.ruleset(&Ruleset::strict());
        assert_eq!(rules.level(lint::Rule::Servers), Some(Severity::Warning));
        assert_eq!(
            rules.level(lint::Rule::OperationSummary),
            None,
            "minimal has no warnings"
        );
        assert_eq!(rules.level(lint::Rule::OperationId), Some(Severity::Error));
        let finding = |rule, pointer: &str| lint::Finding {
            rule,
            severity: Severity::Warning,
            pointer: pointer.to_string(),
            message: String::new(),
            position: None,
        };
        let mut findings = vec![
            finding(lint::Rule::OperationSummary, "/paths/~1a/get"),
            finding(lint::Rule::OperationSummary, "/paths/~1ab/get"),
            finding(lint::Rule::OperationId, "/paths/~1a/get"),
        ];
        let unused = config.lint.apply_ignores(&mut findings);
        assert_eq!(findings.len(), 2, "only the named rule under the pointer is dropped");
        assert_eq!(unused.len(), 1);
        assert!(
            unused[0].contains("/lint/ignore/1") && unused[0].contains("/nowhere"),
            "{unused:?}"
        );
        for (text, expected) in [
            (
                "lint: {extends: lax}\n",
                "c.yaml: unknown ruleset `lax`: expected recommended, strict or minimal (at /lint/extends)",
            ),
            (
                "lint: {ignore: [{pointer: /a}]}\n",
                "c.yaml: an ignore says why in `reason` (at /lint/ignore/0)",
            ),
            (
                "lint: {ignore: [{pointer: /a, rule: nope, reason: r}]}\n",
                "c.yaml: unknown lint rule `nope` (see `lint --rules`) (at /lint/ignore/0/rule)",
            ),
            (
                "lint: {ignore: [{pointer: a, reason: r}]}\n",
                "c.yaml: `a` is not a JSON pointer (it starts with `/`) (at /lint/ignore/0/pointer)",
            ),
        ] {
            assert_eq!(Config::parse("c.yaml", text).unwrap_err().to_string(), expected);
        }
    }

    #[test]
    fn the_file_is_found_from_a_directory_upward() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(Config::find(&nested), None);
        std::fs::write(dir.path().join("openapi-toolkit.yaml"), "diff: {fail-on: WARN}\n").unwrap();
        assert_eq!(Config::find(&nested), Some(dir.path().join("openapi-toolkit.yaml")));
    }
}
