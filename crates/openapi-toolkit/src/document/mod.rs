//! One OpenAPI 3.0, 3.1 or 3.2 document as every tool reads it: the parsed value, its version, where each JSON
//! pointer is in the file, `$ref` resolution and the operation walk (paths and webhooks).

pub mod external;
mod lines;
mod loose;
pub mod version;

use std::path::Path;
use std::sync::OnceLock;

use serde_json::{Map, Value};

pub use lines::{Duplicate, Lines};
pub use version::Version;

use crate::error::{Error, Place, Result};

/// The one JSON pointer escape of the workspace (RFC 6901): openapi-check's, which its example walk uses too.
pub use openapi_check::examples::escape;

/// Which parser reads a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    /// JSON for a name ending in `.json`, YAML for anything else.
    pub fn of(name: &str) -> Self {
        if name.ends_with(".json") {
            Self::Json
        } else {
            Self::Yaml
        }
    }
}

/// A parsed document with its text, so that findings can name lines and the published form can keep
/// the author's key order.
pub struct Document {
    name: String,
    text: String,
    value: Value,
    syntax: Syntax,
    /// What following other files' `$ref`s found (nothing for a document read from text alone).
    external: external::External,
    /// Built on first use: the diff never needs it, the lint and the publishing always do.
    lines: OnceLock<Lines>,
    /// Read once when the text is parsed; the error is kept so that every command that needs the version
    /// refuses the same way, while the lint can still report it as a finding.
    version: Result<Version, version::Unknown>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The HTTP methods a path item can hold as fixed fields, in the order the specification lists them;
/// `query` is a field from OpenAPI 3.2 on, and is read only in a 3.2 document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    Query,
}

impl Method {
    /// The methods of OpenAPI 3.0 and 3.1.
    pub const ALL: [Method; 8] = [
        Self::Get,
        Self::Put,
        Self::Post,
        Self::Delete,
        Self::Options,
        Self::Head,
        Self::Patch,
        Self::Trace,
    ];

    /// The fixed-field methods a path item of `version` can hold.
    pub fn of(version: Version) -> &'static [Method] {
        const WITH_QUERY: [Method; 9] = [
            Method::Get,
            Method::Put,
            Method::Post,
            Method::Delete,
            Method::Options,
            Method::Head,
            Method::Patch,
            Method::Trace,
            Method::Query,
        ];
        if version >= Version::V3_2 {
            &WITH_QUERY
        } else {
            &Self::ALL
        }
    }

    /// The key in a path item, such as `get`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Options => "options",
            Self::Head => "head",
            Self::Patch => "patch",
            Self::Trace => "trace",
            Self::Query => "query",
        }
    }

    /// The method of a key of a 3.0 or 3.1 path item (`query` is no method there).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The method of a key of a path item in a document of `version`.
    pub fn from_key_in(key: &str, version: Version) -> Option<Self> {
        Self::of(version).iter().copied().find(|m| m.key() == key)
    }

    /// As written in a request line, such as `GET`.
    pub fn upper(self) -> String {
        self.key().to_ascii_uppercase()
    }
}

/// Where a path item is: under `paths` (keyed by a path template) or under `webhooks` (keyed by a name, OpenAPI 3.1 on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Root {
    Paths,
    Webhooks,
}

impl Root {
    /// The top-level key: `paths` or `webhooks`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Paths => "paths",
            Self::Webhooks => "webhooks",
        }
    }
}

/// One entry of `paths` (or of `webhooks`): its operations, and the fields that apply to all of them.
#[derive(Clone, Copy, Debug)]
pub struct PathItem<'d> {
    /// The path template, or the webhook's name for an item under `webhooks`.
    pub path: &'d str,
    pub value: &'d Value,
    /// Whether `path` is a path or a webhook's name.
    pub root: Root,
    doc: &'d Document,
}

impl<'d> PathItem<'d> {
    pub fn pointer(&self) -> String {
        format!("/{}/{}", self.root.key(), escape(self.path))
    }

    /// The path item itself, or what its `$ref` names (a webhook is often a `$ref` to `components/pathItems`).
    fn resolved(&self) -> &'d Value {
        self.doc.follow(self.value)
    }

    /// OpenAPI 3.2's `additionalOperations`: operations under methods that have no fixed field (such as `COPY`),
    /// keyed by the method as sent, with their pointers. Empty for other versions, which have no such field.
    pub fn additional_operations(&self) -> Vec<(&'d str, &'d Value, String)> {
        if self.doc.version().ok() < Some(Version::V3_2) {
            return Vec::new();
        }
        let Some(map) = self.resolved().get("additionalOperations").and_then(Value::as_object) else {
            return Vec::new();
        };
        let base = format!("{}/additionalOperations", self.pointer());
        self.doc
            .entries(&base, map)
            .into_iter()
            .map(|(key, value)| (key.as_str(), value, format!("{base}/{}", escape(key))))
            .collect()
    }

    /// The parameters shared by every operation of the path (`parameters` of the path item).
    pub fn parameters(&self) -> Option<&'d Value> {
        self.value.get("parameters")
    }

    pub fn summary(&self) -> Option<&'d str> {
        self.value.get("summary").and_then(Value::as_str)
    }

    pub fn description(&self) -> Option<&'d str> {
        self.value.get("description").and_then(Value::as_str)
    }

    pub fn servers(&self) -> Option<&'d Value> {
        self.value.get("servers")
    }

    /// The operations, in the order the file writes them; other keys of the path item (`parameters`,
    /// `summary`, `description`, `servers`, extensions) are never operations.
    pub fn operations(&self) -> Vec<Operation<'d>> {
        let Some(map) = self.value.as_object() else {
            return Vec::new();
        };
        let version = self.doc.version().unwrap_or(Version::V3_0);
        self.doc
            .entries(&self.pointer(), map)
            .into_iter()
            .filter_map(|(key, value)| {
                Method::from_key_in(key, version).map(|method| Operation {
                    item: *self,
                    method,
                    value,
                })
            })
            .collect()
    }

    pub fn operation(&self, method: Method) -> Option<Operation<'d>> {
        self.value.get(method.key()).map(|value| Operation {
            item: *self,
            method,
            value,
        })
    }
}

/// One operation with the path item it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct Operation<'d> {
    pub item: PathItem<'d>,
    pub method: Method,
    pub value: &'d Value,
}

impl<'d> Operation<'d> {
    pub fn pointer(&self) -> String {
        format!("{}/{}", self.item.pointer(), self.method.key())
    }

    /// Such as `POST /chat/Dialog.json`, or `webhook newPet POST` for a webhook's operation.
    pub fn name(&self) -> String {
        match self.item.root {
            Root::Paths => format!("{} {}", self.method.upper(), self.item.path),
            Root::Webhooks => format!("webhook {} {}", self.item.path, self.method.upper()),
        }
    }

    pub fn get(&self, key: &str) -> Option<&'d Value> {
        self.value.get(key)
    }

    /// The path item's parameters, then the operation's, each with its pointer and `$ref` followed.
    pub fn parameters(&self) -> Vec<(&'d Value, String)> {
        let item_pointer = self.item.pointer();
        let mut out = Vec::new();
        for (list, base) in [
            (self.item.parameters(), format!("{item_pointer}/parameters")),
            (self.value.get("parameters"), format!("{}/parameters", self.pointer())),
        ] {
            for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                out.push((self.item.doc.follow(parameter), format!("{base}/{index}")));
            }
        }
        out
    }
}

impl Document {
    /// Reads a file; `.json` files are read as JSON, everything else as YAML.
    pub fn load(path: &Path) -> Result<Self> {
        Self::load_as(path, &path.display().to_string())
    }

    /// Reads a file, naming it `name` in messages (such as a path relative to a project root), and joins the
    /// files its relative `$ref`s name (see `external` for the policy): schemas into `components/schemas`, the
    /// rest in place. What cannot be followed is kept as written and listed in `external()`.
    pub fn load_as(path: &Path, name: &str) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "reading",
            path: path.to_path_buf(),
            source,
        })?;
        let mut document = Self::parse(name, text)?;
        if external::has_external_refs(&document.value) {
            external::Joiner::new(path, name, &document).join(&mut document);
        }
        Ok(document)
    }

    /// What following other files' `$ref`s found: what could not be followed, and where joined parts came from.
    pub fn external(&self) -> &external::External {
        &self.external
    }

    /// Parses a document's text. A name ending in `.json` is read by a JSON parser, which takes what
    /// JSON allows and YAML does not (such as an escaped surrogate pair); anything else is YAML.
    ///
    /// Only syntax fails here: a document that is YAML but not valid OpenAPI is the lint's to report.
    pub fn parse(name: &str, text: impl Into<String>) -> Result<Self> {
        Self::parse_as(name, text, Syntax::of(name))
    }

    /// Parses a document's text with the given parser, whatever its name says.
    pub fn parse_as(name: &str, text: impl Into<String>, syntax: Syntax) -> Result<Self> {
        let mut text: String = text.into();
        // A UTF-8 byte-order mark is allowed by YAML and JSON readers alike and written by some editors.
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let value = if syntax == Syntax::Json {
            serde_json::from_str(&text).map_err(|err| Error::Syntax {
                place: Place {
                    file: name.to_string(),
                    position: Some((err.line(), err.column())),
                },
                format: "JSON",
                message: strip_location(&err.to_string(), " at line "),
            })?
        } else {
            let syntax_error = |err: serde_yaml::Error| Error::Syntax {
                place: Place {
                    file: name.to_string(),
                    position: err.location().map(|l| (l.line(), l.column())),
                },
                format: "YAML",
                message: yaml_message(&err),
            };
            serde_yaml::from_str::<loose::Loose>(&text).map_err(syntax_error)?.0
        };
        Ok(Self {
            name: name.to_string(),
            version: version::read(&value),
            text,
            value,
            syntax,
            external: external::External::default(),
            lines: OnceLock::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| match self.syntax {
            Syntax::Json => Lines::new_json(&self.text),
            Syntax::Yaml => Lines::new(&self.text),
        })
    }

    /// Line and column (1-based) of `pointer`, or of its nearest ancestor the file writes.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        self.lines().locate(pointer)
    }

    /// The value at a JSON pointer.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }

    /// The OpenAPI version the document declares, when the toolkit reads it: 3.0.x, 3.1.x or 3.2.x.
    /// Anything else (Swagger 2.0, 3.3, 4.x, a number instead of a string, nothing) is an error naming the value
    /// and its place; the document is never read as another version than the one it says.
    pub fn check_version(&self) -> Result<Version> {
        self.version.clone().map_err(|unknown| Error::Version {
            place: Place {
                file: self.name.clone(),
                position: self
                    .locate(unknown.pointer)
                    .filter(|_| self.value.pointer(unknown.pointer).is_some()),
            },
            pointer: unknown.pointer,
            found: unknown.found,
        })
    }

    /// `check_version`, as a shorter name for code that only branches on it.
    pub fn version(&self) -> Result<Version, &version::Unknown> {
        self.version.as_ref().copied()
    }

    /// Follows a local `$ref` to what it names, through chains of them; the node itself when it is
    /// no `$ref` or the target does not exist (the lint reports that).
    pub fn follow<'v>(&'v self, node: &'v Value) -> &'v Value {
        self.follow_with_pointer(node).0
    }

    /// Like `follow`, with the pointer of the target when a `$ref` was followed.
    pub fn follow_with_pointer<'v>(&'v self, node: &'v Value) -> (&'v Value, Option<String>) {
        follow_in(&self.value, node)
    }

    /// Every path item under `paths`, in the order the file writes them.
    pub fn path_items(&self) -> Vec<PathItem<'_>> {
        self.items(Root::Paths)
    }

    /// Every webhook (OpenAPI 3.1 on), in the order the file writes them; empty for a 3.0 document,
    /// whose `webhooks` would be no field of the specification (the lint says so).
    pub fn webhooks(&self) -> Vec<PathItem<'_>> {
        if self.version().ok() < Some(Version::V3_1) {
            return Vec::new();
        }
        self.items(Root::Webhooks)
    }

    fn items(&self, root: Root) -> Vec<PathItem<'_>> {
        let Some(map) = self.value.get(root.key()).and_then(Value::as_object) else {
            return Vec::new();
        };
        self.entries(&format!("/{}", root.key()), map)
            .into_iter()
            .map(|(path, value)| PathItem {
                path,
                value,
                root,
                doc: self,
            })
            .collect()
    }

    pub fn path_item(&self, path: &str) -> Option<PathItem<'_>> {
        let (path, value) = self.value.get("paths")?.as_object()?.get_key_value(path)?;
        Some(PathItem {
            path,
            value,
            root: Root::Paths,
            doc: self,
        })
    }

    /// Every operation of every path item under `paths`, in the order the file writes them.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        self.path_items().iter().flat_map(PathItem::operations).collect()
    }

    /// Every operation of every webhook, in the order the file writes them.
    pub fn webhook_operations(&self) -> Vec<Operation<'_>> {
        self.webhooks().iter().flat_map(PathItem::operations).collect()
    }

    /// The operations under `paths`, then those under `webhooks`: what a check that applies to every
    /// operation the document describes walks.
    pub fn all_operations(&self) -> Vec<Operation<'_>> {
        let mut all = self.operations();
        all.extend(self.webhook_operations());
        all
    }

    /// The entries of the mapping at `pointer` in the order the file writes them (sorted by key
    /// where the file gives no position, as for a document built in memory).
    pub fn entries<'v>(&self, pointer: &str, map: &'v Map<String, Value>) -> Vec<(&'v String, &'v Value)> {
        let lines = self.lines();
        let mut entries: Vec<_> = map
            .iter()
            .map(|(key, value)| (lines.position(&format!("{pointer}/{}", escape(key))), key, value))
            .collect();
        entries.sort_by(|a, b| (a.0.is_none(), a.0, a.1).cmp(&(b.0.is_none(), b.0, b.1)));
        entries.into_iter().map(|(_, key, value)| (key, value)).collect()
    }
}

impl Document {
    /// The document as a YAML value with every mapping in the file's order, for what is published
    /// (the bundle, the reference page): it reads like the source, and is the same from run to run.
    pub fn ordered(&self) -> serde_yaml::Value {
        self.ordered_at(&self.value, "")
    }

    fn ordered_at(&self, value: &Value, pointer: &str) -> serde_yaml::Value {
        use serde_yaml::Value as Yaml;
        match value {
            Value::Null => Yaml::Null,
            Value::Bool(b) => Yaml::Bool(*b),
            Value::Number(n) => Yaml::Number(if let Some(u) = n.as_u64() {
                u.into()
            } else if let Some(i) = n.as_i64() {
                i.into()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into()
            }),
            Value::String(s) => Yaml::String(s.clone()),
            Value::Array(items) => Yaml::Sequence(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.ordered_at(item, &format!("{pointer}/{i}")))
                    .collect(),
            ),
            Value::Object(map) => Yaml::Mapping(
                self.entries(pointer, map)
                    .into_iter()
                    .map(|(key, item)| {
                        let at = format!("{pointer}/{}", escape(key));
                        (Yaml::String(key.clone()), self.ordered_at(item, &at))
                    })
                    .collect(),
            ),
        }
    }
}

/// Follows a local `$ref` in `root`, through at most a few dozen hops so that a cycle of aliases
/// (which the lint reports) cannot hang a reader.
pub fn follow_in<'v>(root: &'v Value, node: &'v Value) -> (&'v Value, Option<String>) {
    let mut current = node;
    let mut target = None;
    for _ in 0..64 {
        let Some(next) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match root.pointer(next) {
            Some(found) => {
                current = found;
                target = Some(next.to_string());
            }
            None => break,
        }
    }
    (current, target)
}

/// serde_yaml appends " at line L column C" to its messages; the place is printed up front instead.
fn yaml_message(err: &serde_yaml::Error) -> String {
    let message = strip_location(&err.to_string(), " at line ");
    // A tag turns into an enum for serde, which JSON has no form of.
    if message.contains("invalid type: enum") {
        return format!(
            "{}a YAML tag has no JSON form",
            message.split_once("invalid type").map_or("", |(key, _)| key)
        );
    }
    message
}

fn strip_location(message: &str, marker: &str) -> String {
    match message.rfind(marker) {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
