//! The diff's data model: a change, its level, the version bump the changes need, and the report
//! that the walk and the schema comparison write into and every output format reads.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Serialize, Serializer};

use super::rules::Rule;
use crate::Document;

/// Whether a change breaks existing clients, as oasdiff grades it: `Err` breaks them, `Warn` may
/// (the server may refuse what it used to take, or ignore it), `Info` does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    #[serde(rename = "ERR")]
    Err,
    #[serde(rename = "WARN")]
    Warn,
    #[serde(rename = "INFO")]
    Info,
}

impl Level {
    pub const ALL: [Level; 3] = [Self::Err, Self::Warn, Self::Info];

    pub fn name(self) -> &'static str {
        match self {
            Self::Err => "ERR",
            Self::Warn => "WARN",
            Self::Info => "INFO",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub level: Level,
    /// Such as `POST /chat/Dialog.json`, or `document` for changes outside any operation.
    pub operation: String,
    /// Such as `request body: data.class_name` or `201 response body: type`.
    pub location: String,
    pub rule: Rule,
    pub message: String,
    /// Where in the spec: the head's pointer, or the base's for what was removed.
    pub pointer: String,
    /// The operations a change at a shared component (`operation` is then `schema NAME`) reaches.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub operations: BTreeSet<String>,
    /// Whom the change breaks: existing clients on the wire (its level is ERR), code written against a generated
    /// client (a method, type or argument name is gone), both, or nobody (empty). Set by `classify`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    /// Why the team accepted this change (the configuration's `accept`), which keeps it from failing the diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// The two verdicts a change can fail: the wire, as oasdiff grades it, and the generated clients' public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Break {
    /// Existing clients fail on the wire (the change is ERR).
    #[serde(rename = "wire")]
    Wire,
    /// Code built on a client generated from the old document no longer compiles: a name it used is gone.
    #[serde(rename = "generated-code")]
    GeneratedCode,
}

impl Break {
    pub fn name(self) -> &'static str {
        match self {
            Self::Wire => "wire",
            Self::GeneratedCode => "generated-code",
        }
    }

    /// How the reports say it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Wire => "existing clients on the wire",
            Self::GeneratedCode => "code built on the generated clients",
        }
    }
}

/// Sets each change's `breaks` from its level and rule; run again after a configuration changes levels.
pub fn classify(changes: &mut [Change]) {
    for change in changes {
        change.breaks.clear();
        if change.level == Level::Err {
            change.breaks.push(Break::Wire);
        }
        if change.rule.breaks_generated_code() {
            change.breaks.push(Break::GeneratedCode);
        }
    }
}

/// The two versions being compared.
#[derive(Clone, Copy, Debug)]
pub struct Pair<'d> {
    pub base: &'d Document,
    pub head: &'d Document,
}

/// A semantic-versioning bump, ordered from none to major so that "enough" is a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Bump {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// What the change to `info.version` should have been, and whether it was.
#[derive(Clone, Debug, Serialize)]
pub struct VersionCheck {
    pub base: String,
    pub head: String,
    pub required: Bump,
    pub ok: bool,
    pub message: String,
}

/// The whole comparison, as every output format shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub base_label: String,
    pub head_label: String,
    pub changes: Vec<Change>,
    pub version: VersionCheck,
    /// The public API of a client generated from each side, when the caller can generate one
    /// (`cargo xtask diff` does, with progenitor); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientDiff>,
}

/// Lines of a generated client's public API listing: removed (`-`) and added (`+`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClientDiff {
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// Why a side could not be generated, if it could not.
    pub error: Option<String>,
}

impl Report {
    /// How many changes are at this level.
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }

    pub fn breaking(&self) -> usize {
        self.count(Level::Err)
    }

    /// How many changes break code built on the generated clients.
    pub fn breaking_generated_code(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.breaks.contains(&Break::GeneratedCode))
            .count()
    }
}
