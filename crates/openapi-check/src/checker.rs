//! Every example of a document checked against its schema, with the document's schemas translated and registered
//! once per direction, and one validator compiled per distinct schema.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value, json};

use crate::examples::{Direction, Example, escape};
use crate::json_schema::{Note, Translate, Violation, draft_of, violation_details};

/// Where the translated components live for the validators: a name no document uses, never fetched.
const DOCUMENT: &str = "urn:openapi-check:document";

/// Checks examples of one document. The component schemas are translated once per direction (a third of the work
/// for a document that only has request examples is never done), and a validator is compiled once per distinct
/// schema and direction, so that thousands of examples of a few hundred schemas cost a few hundred compilations.
pub struct Checker<'s> {
    spec: &'s Value,
    registries: HashMap<Direction, Rc<Result<Registry<'static>, String>>>,
    validators: HashMap<(Direction, String), Rc<Result<Validator, String>>>,
    notes: BTreeSet<Note>,
    compiled: usize,
}

impl<'s> Checker<'s> {
    pub fn new(spec: &'s Value) -> Self {
        Self {
            spec,
            registries: HashMap::new(),
            validators: HashMap::new(),
            notes: BTreeSet::new(),
            compiled: 0,
        }
    }

    /// Every way the example breaks its schema; an error when the schema cannot be compiled at all.
    pub fn check(&mut self, example: &Example) -> Result<Vec<Violation>, String> {
        let key = (example.direction, example.schema.to_string());
        let validator = match self.validators.get(&key) {
            Some(validator) => Rc::clone(validator),
            None => {
                let validator = Rc::new(self.compile(example));
                self.validators.insert(key, Rc::clone(&validator));
                validator
            }
        };
        match validator.as_ref() {
            Ok(validator) => Ok(violation_details(validator, &example.value)),
            Err(err) => Err(err.clone()),
        }
    }

    /// Checks many examples with one validator compiled per direction: every distinct schema becomes one property
    /// of a root schema, so that the schemas they share through `$ref` are compiled once (jsonschema caches a `$ref`
    /// target within one compilation, not across them), and each example is validated as that property's value.
    /// The result is `check`'s for each example, in order.
    pub fn check_all(&mut self, examples: &[Example]) -> Vec<Result<Vec<Violation>, String>> {
        let mut slots: HashMap<(Direction, String), usize> = HashMap::new();
        let mut by_direction: HashMap<Direction, Map<String, Value>> = HashMap::new();
        let mut slot_of = Vec::with_capacity(examples.len());
        for example in examples {
            let key = (example.direction, example.schema.to_string());
            let next = slots.len();
            let slot = *slots.entry(key).or_insert_with(|| {
                let mut translate = Translate::new(self.spec, example.direction, DOCUMENT);
                let schema = translate.schema(&example.schema, &schema_pointer(example));
                self.notes.extend(translate.notes);
                by_direction
                    .entry(example.direction)
                    .or_default()
                    .insert(next.to_string(), schema);
                next
            });
            slot_of.push(slot);
        }
        let mut validators: HashMap<Direction, Result<Validator, String>> = HashMap::new();
        for (direction, properties) in by_direction {
            let registry = self.registry(direction);
            let compiled = match registry.as_ref() {
                Ok(registry) => {
                    self.compiled += 1;
                    jsonschema::options()
                        .with_draft(draft_of(self.spec))
                        .should_validate_formats(true)
                        .with_registry(registry)
                        .build(&json!({"properties": properties}))
                        .map_err(|err| format!("the schema does not compile: {err}"))
                }
                Err(err) => Err(err.clone()),
            };
            validators.insert(direction, compiled);
        }
        examples
            .iter()
            .zip(slot_of)
            .map(|(example, slot)| match &validators[&example.direction] {
                Ok(validator) => {
                    let key = slot.to_string();
                    let wrapped = json!({ key.clone(): example.value });
                    let instance_prefix = format!("/{key}");
                    let schema_prefix = format!("/properties/{key}");
                    Ok(violation_details(validator, &wrapped)
                        .into_iter()
                        .map(|v| Violation {
                            instance_path: v
                                .instance_path
                                .strip_prefix(&instance_prefix)
                                .unwrap_or(&v.instance_path)
                                .to_string(),
                            schema_path: v
                                .schema_path
                                .strip_prefix(&schema_prefix)
                                .unwrap_or(&v.schema_path)
                                .to_string(),
                            message: v.message,
                        })
                        .collect())
                }
                // One schema that does not compile spoils its direction's batch: check each alone, to say which.
                Err(_) => self.check(example),
            })
            .collect()
    }

    /// What could not be translated exactly, each once, at its schema: in the components for every direction
    /// used so far, and in the examples' own schemas.
    pub fn notes(&self) -> Vec<Note> {
        self.notes.iter().cloned().collect()
    }

    /// How many validators were compiled and how many schemas translated: the units of work that a document's
    /// size should grow linearly with (a test counts them instead of timing).
    pub fn work(&self) -> usize {
        self.compiled
    }

    fn registry(&mut self, direction: Direction) -> Rc<Result<Registry<'static>, String>> {
        if let Some(registry) = self.registries.get(&direction) {
            return Rc::clone(registry);
        }
        let mut translate = Translate::new(self.spec, direction, "");
        let mut schemas = Map::new();
        for (name, schema) in self
            .spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.compiled += 1;
            let at = format!("/components/schemas/{}", escape(name));
            schemas.insert(name.clone(), translate.schema(schema, &at));
        }
        self.notes.extend(translate.notes);
        let root = json!({"components": {"schemas": schemas}});
        let draft: Draft = draft_of(self.spec);
        let registry = Registry::new()
            .draft(draft)
            .add(DOCUMENT, draft.create_resource(root))
            .and_then(|builder| builder.prepare())
            .map_err(|err| format!("the document's schemas cannot be registered: {err}"));
        let registry = Rc::new(registry);
        self.registries.insert(direction, Rc::clone(&registry));
        registry
    }

    fn compile(&mut self, example: &Example) -> Result<Validator, String> {
        let registry = self.registry(example.direction);
        let registry = registry.as_ref().as_ref().map_err(Clone::clone)?;
        self.compiled += 1;
        let mut translate = Translate::new(self.spec, example.direction, DOCUMENT);
        let schema = translate.schema(&example.schema, &schema_pointer(example));
        self.notes.extend(translate.notes);
        jsonschema::options()
            .with_draft(draft_of(self.spec))
            .should_validate_formats(true)
            .with_registry(registry)
            .build(&schema)
            .map_err(|err| format!("the schema does not compile: {err}"))
    }
}

/// Where an example's own schema is: beside it (a media type's, a parameter's) or the schema that holds it.
fn schema_pointer(example: &Example) -> String {
    let at = example
        .pointer
        .rsplit_once("/example")
        .map_or(example.pointer.as_str(), |(schema_at, _)| schema_at);
    if at.ends_with("/schema") || example.label.starts_with("schema example") {
        at.to_string()
    } else {
        format!("{at}/schema")
    }
}
