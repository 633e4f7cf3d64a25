//! Every example of a document checked against its schema, with the document's schemas translated and registered
//! once per direction, and one validator compiled per distinct schema.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value, json};

use crate::examples::{Direction, Example, escape};
use crate::json_schema::{Note, Translate, Violation, violation_details};

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
        let registry = Registry::new()
            .draft(Draft::Draft4)
            .add(DOCUMENT, Draft::Draft4.create_resource(root))
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
        // The example's own schema is inline in a path, a parameter or a property: its notes are at that place.
        let at = example
            .pointer
            .rsplit_once("/example")
            .map_or(example.pointer.as_str(), |(schema_at, _)| schema_at);
        let at = if at.ends_with("/schema") || example.label.starts_with("schema example") {
            at.to_string()
        } else {
            format!("{at}/schema")
        };
        let mut translate = Translate::new(self.spec, example.direction, DOCUMENT);
        let schema = translate.schema(&example.schema, &at);
        self.notes.extend(translate.notes);
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .with_registry(registry)
            .build(&schema)
            .map_err(|err| format!("the schema does not compile: {err}"))
    }
}
