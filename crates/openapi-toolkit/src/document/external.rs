//! Relative file `$ref`s followed at load time: each file read once, schemas joined into `components/schemas`
//! under names made from the file and pointer, everything else put in place, so that every tool reads one
//! document and follows one kind of `$ref`.
//!
//! Policy: a `$ref` to a relative path is read from beside the file that holds it, as long as it stays inside the
//! root document's directory; an absolute path, a path that leaves that directory and a URL are not followed (the
//! toolkit works offline and reads the same on every machine), and each is reported with its place.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::{Document, Lines, Syntax, escape};

/// A `$ref` into another file that could not be followed, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfollowed {
    /// Where the `$ref` is in the joined document.
    pub pointer: String,
    /// The file that holds the `$ref`, and its line and column there.
    pub file: String,
    pub position: Option<(usize, usize)>,
    pub reference: String,
    pub reason: String,
}

/// A part of the joined document that came from another file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Its pointer in the joined document.
    pub pointer: String,
    /// The file, as named in messages, and the pointer in it.
    pub file: String,
    pub source: String,
}

/// What following the files found.
#[derive(Debug, Default)]
pub struct External {
    pub unfollowed: Vec<Unfollowed>,
    pub origins: Vec<Origin>,
    /// Each file read, by the name messages give it, with its line index.
    pub files: Vec<(String, Lines)>,
}

impl External {
    /// The file, line and column where a pointer of the joined document is written, when it came from another
    /// file.
    pub fn locate(&self, pointer: &str) -> Option<(String, Option<(usize, usize)>)> {
        let origin = self
            .origins
            .iter()
            .filter(|o| under(pointer, &o.pointer))
            .max_by_key(|o| o.pointer.len())?;
        let inside = format!("{}{}", origin.source, &pointer[origin.pointer.len()..]);
        let lines = self.files.iter().find(|(name, _)| *name == origin.file).map(|(_, l)| l);
        Some((origin.file.clone(), lines.and_then(|l| l.locate(&inside))))
    }
}

/// Whether the value holds a `$ref` that is not local (`#...`).
pub fn has_external_refs(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.starts_with('#'))
                || map.values().any(has_external_refs)
        }
        Value::Array(items) => items.iter().any(has_external_refs),
        _ => false,
    }
}

/// How the walk reads a node: document structure, a schema, or data that holds no `$ref`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Structure,
    Schema,
}

struct File {
    name: String,
    value: Value,
    lines: Lines,
}

pub(super) struct Joiner<'r> {
    /// The root document's directory: nothing outside it is read.
    root_dir: PathBuf,
    /// The root document, absolute, and its name in messages.
    root: PathBuf,
    root_name: &'r str,
    /// The directory the root document was named from, so that other files are named alike.
    shown_dir: PathBuf,
    files: HashMap<PathBuf, Result<File, String>>,
    /// Schema targets already given a component name, and the names taken.
    named: HashMap<(PathBuf, String), String>,
    taken: HashSet<String>,
    queue: Vec<(PathBuf, String, String)>,
    schemas: Vec<(String, Value)>,
    external: External,
}

impl<'r> Joiner<'r> {
    pub(super) fn new(root: &Path, root_name: &'r str, document: &Document) -> Self {
        let absolute = if root.is_absolute() {
            root.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(root)
        };
        let absolute = normalize(&absolute);
        let root_dir = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
        let shown_dir = Path::new(root_name).parent().unwrap_or(Path::new("")).to_path_buf();
        let taken = document
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        Self {
            root_dir,
            root: absolute,
            root_name,
            shown_dir,
            files: HashMap::new(),
            named: HashMap::new(),
            taken,
            queue: Vec::new(),
            schemas: Vec::new(),
            external: External::default(),
        }
    }

    /// Joins the files the root refers to into `document`.
    pub(super) fn join(mut self, document: &mut Document) {
        let mut value = std::mem::take(&mut document.value);
        let root = self.root.clone();
        self.walk(&mut value, &root, true, Context::Structure, String::new(), 0);
        while let Some((file, fragment, name)) = self.queue.pop() {
            let Some(Ok(source)) = self.files.get(&file) else {
                continue;
            };
            let mut schema = source.value.pointer(&fragment).cloned().unwrap_or(Value::Null);
            let at = format!("/components/schemas/{}", escape(&name));
            self.external.origins.push(Origin {
                pointer: at.clone(),
                file: source.name.clone(),
                source: fragment.clone(),
            });
            self.walk(&mut schema, &file, false, Context::Schema, at, 0);
            self.schemas.push((name, schema));
        }
        if !self.schemas.is_empty() {
            let root_map = value.as_object_mut().expect("a document with $refs is a mapping");
            let components = root_map
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(components) = components.as_object_mut() {
                let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
                if let Some(schemas) = schemas.as_object_mut() {
                    self.schemas.sort_by(|a, b| a.0.cmp(&b.0));
                    schemas.extend(self.schemas);
                }
            }
        }
        let mut files: Vec<(String, Lines)> = self
            .files
            .into_values()
            .filter_map(Result::ok)
            .map(|f| (f.name, f.lines))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        self.external.files = files;
        document.value = value;
        document.external = self.external;
    }

    fn walk(&mut self, node: &mut Value, file: &Path, is_root: bool, context: Context, at: String, depth: usize) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str).map(str::to_string) {
                    if !(is_root && reference.starts_with('#')) {
                        self.follow(node, &reference, file, context, at, depth);
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    // An example that is a `$ref` as a whole is put in place, as a bundler does; inside an example
                    // everything is data.
                    if matches!(key.as_str(), "example" | "value")
                        && let Some(reference) = child.get("$ref").and_then(Value::as_str).map(str::to_string)
                        && !reference.starts_with('#')
                    {
                        let child_at = format!("{at}/{}", escape(key));
                        self.follow(child, &reference, file, Context::Structure, child_at, depth);
                        continue;
                    }
                    if context == Context::Schema && key == "discriminator" {
                        self.discriminator_mapping(child, file, is_root);
                        continue;
                    }
                    let child_context = match (context, key.as_str()) {
                        // `default` is not skipped here: in `responses` it is a response, often a `$ref`.
                        (Context::Structure, "example" | "value" | "enum") => continue,
                        (Context::Structure, "schema") => Context::Schema,
                        (
                            Context::Schema,
                            "example" | "enum" | "default" | "discriminator" | "xml" | "externalDocs",
                        ) => {
                            continue;
                        }
                        (c, _) => c,
                    };
                    let child_at = format!("{at}/{}", escape(key));
                    match (context, key.as_str()) {
                        // The values of these maps are schemas (or, for `components/schemas`, schemas by name).
                        (Context::Schema, "properties" | "patternProperties") | (Context::Structure, "schemas") => {
                            // The map itself may be a `$ref` (`properties: {$ref: attributes.yml#/ids}`): a bundler
                            // puts what it names in place, and so does this.
                            let (mut map_file, mut map_is_root) = (file.to_path_buf(), is_root);
                            if let Some(reference) = child.get("$ref").and_then(Value::as_str).map(str::to_string)
                                && !(is_root && reference.starts_with('#'))
                            {
                                match self.inline(child, &reference, file, &child_at) {
                                    Some(target) => (map_file, map_is_root) = (target, false),
                                    None => continue,
                                }
                            }
                            if let Some(children) = child.as_object_mut() {
                                for (name, schema) in children.iter_mut() {
                                    let schema_at = format!("{child_at}/{}", escape(name));
                                    self.walk(schema, &map_file, map_is_root, Context::Schema, schema_at, depth);
                                }
                            }
                        }
                        _ => self.walk(child, file, is_root, child_context, child_at, depth),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    self.walk(item, file, is_root, context, format!("{at}/{index}"), depth);
                }
            }
            _ => {}
        }
    }

    fn follow(&mut self, node: &mut Value, reference: &str, file: &Path, context: Context, at: String, depth: usize) {
        let (path_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if path_part.is_empty() {
            Ok(file.to_path_buf())
        } else {
            self.target_path(path_part, file)
        };
        let loaded = target.and_then(|target| {
            let source = self.read(&target)?;
            match source.value.pointer(fragment) {
                Some(_) => Ok(target),
                None => Err(format!("{} has nothing at `#{fragment}`", source.name)),
            }
        });
        let target = match loaded {
            Ok(target) => target,
            Err(reason) => {
                self.unfollowed(file, &at, reference, reason);
                return;
            }
        };
        if context == Context::Schema {
            let name = self.schema_name(&target, fragment);
            *node = serde_json::json!({"$ref": format!("#/components/schemas/{}", escape(&name))});
            return;
        }
        if depth > 32 {
            self.unfollowed(
                file,
                &at,
                reference,
                "the files refer to each other in a cycle".to_string(),
            );
            return;
        }
        let Some(Ok(source)) = self.files.get(&target) else {
            return;
        };
        let mut content = source.value.pointer(fragment).cloned().unwrap_or(Value::Null);
        self.external.origins.push(Origin {
            pointer: at.clone(),
            file: source.name.clone(),
            source: fragment.to_string(),
        });
        self.walk(&mut content, &target, false, context, at, depth + 1);
        *node = content;
    }

    /// A discriminator's `mapping` values that are references into files (or, in another file, into that file)
    /// become the component names their schemas are joined under, as a bundler rewrites them; a bare schema name
    /// and a value that cannot be read are left as written.
    fn discriminator_mapping(&mut self, discriminator: &mut Value, file: &Path, is_root: bool) {
        let Some(mapping) = discriminator.get_mut("mapping").and_then(Value::as_object_mut) else {
            return;
        };
        for value in mapping.values_mut() {
            let Some(reference) = value.as_str().map(str::to_string) else {
                continue;
            };
            let is_reference = reference.contains('#')
                || reference.contains('/')
                || [".yaml", ".yml", ".json"].iter().any(|e| reference.ends_with(e));
            if !is_reference || (is_root && reference.starts_with('#')) {
                continue;
            }
            let (path_part, fragment) = reference.split_once('#').unwrap_or((&reference, ""));
            let target = if path_part.is_empty() {
                Ok(file.to_path_buf())
            } else {
                self.target_path(path_part, file)
            };
            let Ok(target) = target else { continue };
            let exists = self
                .read(&target)
                .is_ok_and(|source| source.value.pointer(fragment).is_some());
            if exists {
                let name = self.schema_name(&target, fragment);
                *value = Value::String(format!("#/components/schemas/{}", escape(&name)));
            }
        }
    }

    /// Puts what `reference` names in place of `node` as it is written, for the caller to walk; the file it came
    /// from, or `None` (reported) when it cannot be read.
    fn inline(&mut self, node: &mut Value, reference: &str, file: &Path, at: &str) -> Option<PathBuf> {
        let (path_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if path_part.is_empty() {
            Ok(file.to_path_buf())
        } else {
            self.target_path(path_part, file)
        };
        let content = target.and_then(|target| {
            let source = self.read(&target)?;
            match source.value.pointer(fragment) {
                Some(content) => Ok((target, content.clone(), source.name.clone())),
                None => Err(format!("{} has nothing at `#{fragment}`", source.name)),
            }
        });
        match content {
            Ok((target, content, name)) => {
                self.external.origins.push(Origin {
                    pointer: at.to_string(),
                    file: name,
                    source: fragment.to_string(),
                });
                *node = content;
                Some(target)
            }
            Err(reason) => {
                self.unfollowed(file, at, reference, reason);
                None
            }
        }
    }

    fn unfollowed(&mut self, file: &Path, at: &str, reference: &str, reason: String) {
        // A `$ref` in the root is placed by the root's own index; one in another file by that file's.
        let (name, position) = match self.files.get(file) {
            Some(Ok(source)) if file != self.root => {
                let origin = self
                    .external
                    .origins
                    .iter()
                    .filter(|o| under(at, &o.pointer))
                    .max_by_key(|o| o.pointer.len());
                let position =
                    origin.and_then(|o| source.lines.locate(&format!("{}{}", o.source, &at[o.pointer.len()..])));
                (source.name.clone(), position)
            }
            _ => (self.root_name.to_string(), None),
        };
        self.external.unfollowed.push(Unfollowed {
            pointer: at.to_string(),
            file: name,
            position,
            reference: reference.to_string(),
            reason,
        });
    }

    /// A file's name in messages: beside the root document's name, as the user wrote it.
    fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root_dir) {
            Ok(inside) => self.shown_dir.join(inside).display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The file a relative reference names, under the policy in the module's documentation.
    fn target_path(&self, path_part: &str, file: &Path) -> Result<PathBuf, String> {
        if path_part.contains("://") || path_part.starts_with("urn:") {
            return Err(
                "a URL is not followed: the toolkit reads only files beside the document (offline)".to_string(),
            );
        }
        if Path::new(path_part).is_absolute() {
            return Err(
                "an absolute path is not followed: write it relative to the file that refers to it".to_string(),
            );
        }
        let target = normalize(&file.parent().unwrap_or(Path::new("")).join(path_part));
        if !target.starts_with(&self.root_dir) {
            return Err(format!(
                "it leaves the root document's directory ({}), which is all the toolkit reads",
                self.show(&self.root_dir.clone())
            ));
        }
        Ok(target)
    }

    fn read(&mut self, path: &Path) -> Result<&File, String> {
        if !self.files.contains_key(path) {
            let name = self.show(path);
            let file = std::fs::read_to_string(path)
                .map_err(|err| format!("{name} cannot be read: {err}"))
                .and_then(|text| {
                    let document = Document::parse(&name, text).map_err(|err| err.to_string())?;
                    let lines = match Syntax::of(&name) {
                        Syntax::Json => Lines::new_json(document.text()),
                        Syntax::Yaml => Lines::new(document.text()),
                    };
                    Ok(File {
                        name,
                        value: document.value,
                        lines,
                    })
                });
            self.files.insert(path.to_path_buf(), file);
        }
        self.files[path].as_ref().map_err(Clone::clone)
    }

    /// The component name of a schema in another file: the last token of its pointer, or the file's stem for a
    /// whole file; led by the file's stem, then numbered, when the name is taken.
    fn schema_name(&mut self, file: &Path, fragment: &str) -> String {
        let key = (file.to_path_buf(), fragment.to_string());
        if let Some(name) = self.named.get(&key) {
            return name.clone();
        }
        let stem = file
            .file_stem()
            .map_or("schema".into(), |s| s.to_string_lossy().to_string());
        let last = fragment
            .rsplit('/')
            .next()
            .filter(|t| !t.is_empty())
            .map_or_else(|| stem.clone(), |t| t.replace("~1", "/").replace("~0", "~"));
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let mut name = clean(&last);
        if self.taken.contains(&name) {
            name = clean(&format!("{stem}_{last}"));
        }
        let base = name.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        self.named.insert(key, name.clone());
        self.queue
            .push((file.to_path_buf(), fragment.to_string(), name.clone()));
        name
    }
}

/// Whether `pointer` is `prefix` or inside it.
fn under(pointer: &str, prefix: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A path with `.` and `..` resolved without touching the disk (the files may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Document;

    /// The shapes that were not followed in DigitalOcean's spec: a third file reached from an included one (a
    /// `default` response), a `properties` map that is a `$ref`, an example that is a `$ref`, discriminator mappings
    /// into files, and two files that refer to each other.
    #[test]
    fn references_are_followed_from_any_file_to_any_file_cycles_included() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-file-chain/api.yaml");
        let document = Document::load_as(&root, "multi-file-chain/api.yaml").unwrap();
        assert_eq!(document.external().unfollowed, vec![], "every reference resolves");
        let value = document.value();
        let at = |pointer: &str| value.pointer(pointer).unwrap_or_else(|| panic!("nothing at {pointer}"));
        let get = "/paths/~1things/get/responses";
        assert_eq!(at(&format!("{get}/default/description")), "Something went wrong.");
        assert_eq!(at(&format!("{get}/200/content/application~1json/example/id")), 1);
        assert_eq!(at("/components/schemas/thing/properties/id/type"), "integer");
        assert_eq!(
            at("/components/schemas/node/properties/child/$ref"),
            "#/components/schemas/leaf"
        );
        assert_eq!(
            at("/components/schemas/leaf/properties/back/$ref"),
            "#/components/schemas/node"
        );
        let mapping = at("/components/schemas/shape/discriminator/mapping");
        assert_eq!(mapping["node"], "#/components/schemas/node");
        assert_eq!(mapping["leaf"], "#/components/schemas/leaf");
        let findings = crate::lint::lint(&document);
        assert!(findings.is_empty(), "{}", crate::lint::render("api.yaml", &findings));
    }
}
