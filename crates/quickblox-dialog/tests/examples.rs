//! Checks every example in the spec against its OpenAPI schema, its type's schemars schema, and the type itself.
//!
//! The spec's schemas are OpenAPI 3.0 schema objects, which are close to JSON Schema draft 4 (OpenAPI 3.0 builds on
//! the Wright draft 00, whose `exclusiveMaximum` and `integer` rules are draft 4's), so they are rewritten into plain
//! draft 4 before validation. schemars 0.8 emits draft 7, so its schemas are validated as draft 7.
//! Where the two schemas disagree about a value, the generator lost (or added) a rule; the mutation table below pins
//! down every known disagreement, so that a change in either direction shows up as a failing test.

mod support;

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use openapi_check::examples::{component_name, resolve};
use openapi_check::json_schema::json_schema_components;
use openapi_check::{openapi_validator, schemars_validator, spec_examples, violations, Example};
use quickblox_dialog::types;

// ---------------------------------------------------------------------------------------------------------------
// The Rust side: which generated type stands for which schema.
// ---------------------------------------------------------------------------------------------------------------

/// A Rust type as seen from JSON: its schemars schema, and decoding then re-encoding a body.
struct RustType {
    name: &'static str,
    schema: fn() -> Value,
    round_trip: fn(&[u8]) -> Result<Value, serde_json::Error>,
}

fn rust_type<T: JsonSchema + DeserializeOwned + Serialize>(name: &'static str) -> RustType {
    RustType {
        name,
        schema: || serde_json::to_value(schemars::schema_for!(T)).expect("a schemars schema is JSON"),
        round_trip: |body| serde_json::from_slice::<T>(body).and_then(|value| serde_json::to_value(&value)),
    }
}

/// The Rust type generated for an OpenAPI schema: by name for a component, by type and format for an inline
/// scalar (such as the `i64` that `.on_behalf_of()` takes). A new component schema needs a line here.
fn rust_type_for(schema: &Value) -> Option<RustType> {
    if let Some(name) = component_name(schema) {
        return Some(match name {
            "CreateDialogRequest" => rust_type::<types::CreateDialogRequest>("CreateDialogRequest"),
            "Dialog" => rust_type::<types::Dialog>("Dialog"),
            "ErrorResponse" => rust_type::<types::ErrorResponse>("ErrorResponse"),
            "ErrorMessages" => rust_type::<types::ErrorMessages>("ErrorMessages"),
            "FieldErrors" => rust_type::<types::FieldErrors>("FieldErrors"),
            "CustomData" => rust_type::<types::CustomData>("CustomData"),
            "OccupantIds" => rust_type::<types::OccupantIds>("OccupantIds"),
            "DialogType" => rust_type::<types::DialogType>("DialogType"),
            "DialogId" => rust_type::<types::DialogId>("DialogId"),
            "DialogIdList" => rust_type::<types::DialogIdList>("DialogIdList"),
            "UnixTime" => rust_type::<types::UnixTime>("UnixTime"),
            "DialogSortField" => rust_type::<types::DialogSortField>("DialogSortField"),
            "Flag" => rust_type::<types::Flag>("Flag"),
            "CustomDataFilter" => rust_type::<types::CustomDataFilter>("CustomDataFilter"),
            "DialogListResult" => rust_type::<types::DialogListResult>("DialogListResult"),
            "DialogList" => rust_type::<types::DialogList>("DialogList"),
            "DialogCount" => rust_type::<types::DialogCount>("DialogCount"),
            "UpdateDialogRequest" => rust_type::<types::UpdateDialogRequest>("UpdateDialogRequest"),
            "UserIdChanges" => rust_type::<types::UserIdChanges>("UserIdChanges"),
            "DeleteDialogsResult" => rust_type::<types::DeleteDialogsResult>("DeleteDialogsResult"),
            "IdList" => rust_type::<types::IdList>("IdList"),
            _ => return None,
        });
    }
    let kind = (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    );
    Some(match kind {
        (Some("integer"), Some("int64")) => rust_type::<i64>("i64"),
        (Some("integer"), Some("int32")) => rust_type::<i32>("i32"),
        (Some("string"), None) => rust_type::<String>("String"),
        (Some("boolean"), None) => rust_type::<bool>("bool"),
        _ => return None,
    })
}

/// What the generated types give back for `value` after decoding and encoding it; it differs from `value` only in
/// the ways typify's serde attributes say:
///
/// - An optional (not `required`) property that is null, or an empty list, is left out: such a property is an
///   `Option` or a `Vec` with `skip_serializing_if`, and null, `[]` and absent all decode to `None` or empty.
///   A required property keeps its null (`deserialize_with = Option::deserialize`, no `skip_serializing_if`).
/// - A `date-time` is written the way chrono writes a `DateTime<Utc>`: UTC, `Z`, and as many fraction digits as
///   needed (`2020-01-20T21:32:34Z`).
///
/// Values under `oneOf`/`anyOf`/`allOf` are kept as they are; none of the spec's variants has such a property.
fn reserialized(spec: &Value, schema: &Value, value: &Value) -> Value {
    let schema = resolve(spec, schema).expect("the schema's $ref resolves");
    match value {
        Value::Object(object) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return value.clone();
            };
            let required: BTreeSet<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut out = Map::new();
            for (key, field) in object {
                let Some(property) = properties.get(key) else {
                    out.insert(key.clone(), field.clone());
                    continue;
                };
                let property = resolve(spec, property).expect("the property's $ref resolves");
                let is_list = property.get("type") == Some(&json!("array"));
                let dropped = !required.contains(key.as_str()) && (field.is_null() || (is_list && field == &json!([])));
                if !dropped {
                    out.insert(key.clone(), reserialized(spec, property, field));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => match schema.get("items") {
            Some(item_schema) => Value::Array(items.iter().map(|item| reserialized(spec, item_schema, item)).collect()),
            None => value.clone(),
        },
        Value::String(_) if schema.get("format") == Some(&json!("date-time")) => {
            match serde_json::from_value::<chrono::DateTime<chrono::Utc>>(value.clone()) {
                Ok(instant) => serde_json::to_value(instant).expect("a timestamp is JSON"),
                Err(_) => value.clone(),
            }
        }
        _ => value.clone(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The examples.
// ---------------------------------------------------------------------------------------------------------------

fn all_examples() -> (Value, Vec<Example>) {
    let spec = support::spec();
    let examples = spec_examples(&spec).expect("every example of the spec has a value");
    assert!(!examples.is_empty(), "the walk found no examples in the spec");
    (spec, examples)
}

/// Panics with every collected failure, one per paragraph, if there are any.
fn report(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of the spec's examples {what}:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_walk_finds_every_example_the_support_helpers_list() {
    let (spec, examples) = all_examples();
    let find = |label: &str| examples.iter().find(|example| example.label == label);
    for (name, value) in support::request_examples(&spec) {
        let label = format!("request example `{name}`");
        let example = find(&label).unwrap_or_else(|| panic!("the walk missed the {label}"));
        assert_eq!(example.value, value, "{label}");
        assert_eq!(component_name(&example.schema), Some("CreateDialogRequest"), "{label}");
    }
    let responses = support::response_examples(&spec);
    for (status, name, value) in &responses {
        let label = format!("{status} response example `{name}`");
        let example = find(&label).unwrap_or_else(|| panic!("the walk missed the {label}"));
        assert_eq!(&example.value, value, "{label}");
        let expected = if status.starts_with('2') {
            "Dialog"
        } else {
            "ErrorResponse"
        };
        assert_eq!(component_name(&example.schema), Some(expected), "{label}");
    }
    // Every response with a body has an example, so a new status cannot slip in uncovered.
    let statuses: BTreeSet<&str> = responses.iter().map(|(status, _, _)| status.as_str()).collect();
    let documented = spec
        .pointer(&format!("{}/responses", support::OPERATION))
        .and_then(Value::as_object)
        .expect("the operation has responses");
    for (status, response) in documented {
        if response.get("content").is_some() {
            assert!(
                statuses.contains(status.as_str()),
                "the {status} response has no example"
            );
        }
    }
    let parameter = find("header parameter `On-Behalf-Of` example").expect("the walk missed the On-Behalf-Of example");
    assert_eq!(parameter.value, json!(123));
    assert_eq!(parameter.schema, json!({"type": "integer", "format": "int64"}));
    // Whatever else the walk finds (a schema's own `example`, another parameter's) is covered by the tests below
    // as well; it only has to be labelled so that a failure can name it.
    for example in &examples {
        assert!(
            !example.label.starts_with(' '),
            "an example with no label at {}",
            example.pointer
        );
    }
}

/// The walk on a spec of its own, with the kinds of example the real spec does not use yet.
#[test]
fn the_walk_finds_examples_wherever_openapi_allows_them() {
    let spec = json!({
        "paths": {"/things": {"get": {
            "parameters": [{"name": "id", "in": "query", "schema": {"type": "string"}, "example": "a"}],
            "responses": {"200": {
                "headers": {"X-Count": {"schema": {"type": "integer"}, "example": 1}},
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {"shared": {"$ref": "#/components/examples/Shared"}},
                    },
                    "text/csv": {"schema": {"type": "string"}, "example": "a,b"},
                },
            }},
        }}},
        "components": {
            "schemas": {"Thing": {
                "type": "object",
                "example": {"a": 1},
                // A property called `example` is a schema, not an example.
                "properties": {"a": {"type": "integer", "example": 2}, "example": {"type": "string"}},
            }},
            "examples": {"Shared": {"value": {"a": 3}}},
        },
    });
    let found: Vec<(String, Value, Value)> = spec_examples(&spec)
        .unwrap()
        .into_iter()
        .map(|example| (example.label, example.schema, example.value))
        .collect();
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    let expected = [
        ("query parameter `id` example", json!({"type": "string"}), json!("a")),
        (
            "200 response header `X-Count` example",
            json!({"type": "integer"}),
            json!(1),
        ),
        ("200 response example `shared`", thing.clone(), json!({"a": 3})),
        (
            "200 response (text/csv) example",
            json!({"type": "string"}),
            json!("a,b"),
        ),
        ("schema example at /components/schemas/Thing", thing, json!({"a": 1})),
        (
            "schema example at /components/schemas/Thing/properties/a",
            json!({"type": "integer", "example": 2}),
            json!(2),
        ),
    ];
    for (label, schema, value) in expected {
        assert!(
            found.contains(&(label.to_string(), schema.clone(), value.clone())),
            "missing ({label}, {schema}, {value}) in {found:#?}"
        );
    }
    assert_eq!(found.len(), 6, "{found:#?}");
}

#[test]
fn every_example_satisfies_its_openapi_schema() {
    let (spec, examples) = all_examples();
    let mut failures = Vec::new();
    for example in &examples {
        match openapi_validator(&spec, &example.schema) {
            Err(err) => failures.push(format!("{} ({}): {err}", example.label, example.pointer)),
            Ok(validator) => {
                let errors = violations(&validator, &example.value);
                if !errors.is_empty() {
                    failures.push(format!(
                        "{} ({}) breaks the spec's schema {}:\n  {}",
                        example.label,
                        example.pointer,
                        example.schema,
                        errors.join("\n  ")
                    ));
                }
            }
        }
    }
    report("break their OpenAPI schema", failures);
}

#[test]
fn every_example_satisfies_the_schema_schemars_derives_from_its_rust_type() {
    let (_, examples) = all_examples();
    let mut failures = Vec::new();
    for example in &examples {
        let Some(rust) = rust_type_for(&example.schema) else {
            failures.push(format!(
                "{} ({}): no Rust type is known for the schema {}; add it to rust_type_for",
                example.label, example.pointer, example.schema
            ));
            continue;
        };
        let validator = schemars_validator((rust.schema)()).expect("the schemars schema compiles");
        let errors = violations(&validator, &example.value);
        if !errors.is_empty() {
            failures.push(format!(
                "{} ({}) breaks the schemars schema of {}; the generated type refuses what the spec allows:\n  {}",
                example.label,
                example.pointer,
                rust.name,
                errors.join("\n  ")
            ));
        }
    }
    report("break the schemars schema of their Rust type", failures);
}

#[test]
fn every_example_decodes_into_its_rust_type_and_encodes_back() {
    let (spec, examples) = all_examples();
    let mut failures = Vec::new();
    for example in &examples {
        let Some(rust) = rust_type_for(&example.schema) else {
            failures.push(format!(
                "{}: no Rust type is known for {}",
                example.label, example.schema
            ));
            continue;
        };
        let body = serde_json::to_vec(&example.value).expect("an example is JSON");
        match (rust.round_trip)(&body) {
            Err(err) => failures.push(format!(
                "{} ({}) does not decode into {}: {err}",
                example.label, example.pointer, rust.name
            )),
            Ok(encoded) => {
                let expected = reserialized(&spec, &example.schema, &example.value);
                if encoded != expected {
                    failures.push(format!(
                        "{} ({}) comes back from {} changed beyond the documented differences:\n  \
                         expected {expected}\n  got      {encoded}",
                        example.label, example.pointer, rust.name
                    ));
                }
            }
        }
    }
    report("do not round-trip through their Rust type", failures);
}

/// The documented differences of `reserialized`, spelled out on one dialog, so that a change in the generated serde
/// attributes (or in chrono's output) is caught even if no example happens to exercise it.
#[test]
fn a_dialog_comes_back_with_exactly_the_documented_differences() {
    let (_, examples) = all_examples();
    let mut dialog = examples
        .iter()
        .find(|example| component_name(&example.schema) == Some("Dialog"))
        .expect("the spec has a Dialog example")
        .value
        .clone();
    dialog["created_at"] = json!("2020-01-20T23:32:34.500+02:00");
    dialog["updated_at"] = json!("2020-08-18T11:08:52.000Z");
    dialog["photo"] = Value::Null;
    dialog["admin_ids"] = json!([]);
    dialog["silent_ids"] = json!([7]);
    dialog["is_join_required"] = Value::Null;
    dialog["data"] = Value::Null;
    dialog["added_later"] = Value::Null;
    let decoded: types::Dialog = serde_json::from_value(dialog.clone()).expect("the edited example decodes");
    let encoded = serde_json::to_value(&decoded).unwrap();

    let mut expected = dialog;
    let object = expected.as_object_mut().unwrap();
    object.insert("created_at".into(), json!("2020-01-20T21:32:34.500Z"));
    object.insert("updated_at".into(), json!("2020-08-18T11:08:52Z"));
    for dropped in ["admin_ids", "is_join_required", "data"] {
        object.remove(dropped);
    }
    // Kept: `photo` is required and nullable, `silent_ids` is not empty, and unknown fields stay as they came.
    assert_eq!(encoded, expected);

    let request: types::CreateDialogRequest =
        serde_json::from_value(json!({"type": 2, "name": null, "admin_ids": [], "photo": "1", "data": null})).unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"type": 2, "photo": "1"})
    );
}

// ---------------------------------------------------------------------------------------------------------------
// The validators themselves: broken copies of the examples must fail, and where the OpenAPI schema, the schemars
// schema and the Rust type disagree, the disagreement is listed here.
// ---------------------------------------------------------------------------------------------------------------

/// What the spec's schema (rewritten to draft 4), the schema schemars derives from the generated type, and decoding
/// into that type make of a value, in that order.
fn verdicts(verdict: &str) -> [bool; 3] {
    match verdict {
        "accepted" => [true, true, true],
        "refused" => [false, false, false],
        // typify checks `pattern`, `minLength` and `maxLength` in a newtype's `Deserialize`, but the newtype derives
        // `JsonSchema` as a plain string; and a required nullable field is an `Option`, which schemars marks as not
        // required while `deserialize_with = Option::deserialize` makes serde require it. The rule holds when
        // decoding and is lost in the derived schema only.
        "lost in schemars only" => [false, true, false],
        // `DialogType` keeps a code it does not know as `DialogType::Unknown`, on purpose.
        "kept by Rust" => [false, false, true],
        // serde decodes null into an optional field as absent, though the spec does not make the field nullable.
        "null for an optional field" => [false, true, true],
        // serde's derived `Deserialize` also reads a struct from a JSON array, field by field in declaration order
        // (`Dialog` and the error shapes do not, as their flattened `extra` maps make them read maps only).
        "array as a struct" => [false, false, true],
        // Draft 7 (schemars) counts 1.0 as an integer; draft 4 (OpenAPI 3.0) and serde do not. A difference of
        // drafts, not a rule the generator lost.
        "float with zero fraction" => [false, true, false],
        other => panic!("unknown verdict {other:?}"),
    }
}

/// Edits of the first example of a schema: `[schema, what, edit, verdict]`. An edit sets the keys it lists,
/// except `$remove` (keys to drop) and `$replace` (a whole new value).
fn mutations() -> Vec<Value> {
    // Three lists rather than one, to stay within the recursion limit of `json!`.
    let dialog = json!([
        ["Dialog", "the example as it is", {}, "accepted"],
        ["Dialog", "_id: 5", {"_id": 5}, "refused"],
        ["Dialog", "_id of 24 upper-case hex digits", {"_id": "5E261C72A28F9A4F779F10BB"}, "lost in schemars only"],
        ["Dialog", "_id of 23 hex digits", {"_id": "5e261c72a28f9a4f779f10b"}, "lost in schemars only"],
        ["Dialog", "no _id", {"$remove": ["_id"]}, "refused"],
        ["Dialog", "photo: null", {"photo": null}, "accepted"],
        ["Dialog", "photo: a file id", {"photo": "67834"}, "accepted"],
        ["Dialog", "photo: 67834", {"photo": 67834}, "refused"],
        ["Dialog", "no photo", {"$remove": ["photo"]}, "lost in schemars only"],
        ["Dialog", "no unread_messages_count", {"$remove": ["unread_messages_count"]}, "lost in schemars only"],
        ["Dialog", "user_id: null", {"user_id": null}, "refused"],
        ["Dialog", "user_id: \"102433721\"", {"user_id": "102433721"}, "refused"],
        ["Dialog", "user_id: 2^63", {"user_id": 9_223_372_036_854_775_808_u64}, "refused"],
        ["Dialog", "user_id: i64::MIN", {"user_id": i64::MIN}, "accepted"],
        ["Dialog", "user_id: 102433721.0", {"user_id": 102_433_721.0}, "float with zero fraction"],
        ["Dialog", "type: 9", {"type": 9}, "kept by Rust"],
        ["Dialog", "type: \"3\"", {"type": "3"}, "refused"],
        ["Dialog", "is_join_required: null", {"is_join_required": null}, "accepted"],
        ["Dialog", "is_join_required: 1", {"is_join_required": 1}, "accepted"],
        ["Dialog", "is_join_required: 2", {"is_join_required": 2}, "refused"],
        ["Dialog", "last_message_date_sent: 2^31", {"last_message_date_sent": 2_147_483_648_i64}, "accepted"],
        ["Dialog", "created_at: yesterday", {"created_at": "yesterday"}, "refused"],
        ["Dialog", "created_at with an offset", {"created_at": "2020-01-20T23:32:34+02:00"}, "accepted"],
        ["Dialog", "occupants_ids: [\"1\"]", {"occupants_ids": ["1"]}, "refused"],
        ["Dialog", "occupants_ids: a joined string", {"occupants_ids": "1,2"}, "refused"],
        ["Dialog", "an unknown field", {"added_later": {"x": [1]}}, "accepted"],
        ["Dialog", "data without class_name", {"data": {"score": 1}}, "refused"],
        ["Dialog", "data with an empty class_name", {"data": {"class_name": ""}}, "lost in schemars only"],
        ["Dialog", "data with other fields", {"data": {"class_name": "T", "a": [null, 1.5, {"b": true}]}}, "accepted"],
        ["Dialog", "an array", {"$replace": ["5e261c72a28f9a4f779f10bb"]}, "refused"],
    ]);
    let request = json!([
        ["CreateDialogRequest", "the example as it is", {}, "accepted"],
        ["CreateDialogRequest", "type: 9", {"type": 9}, "kept by Rust"],
        ["CreateDialogRequest", "type: 0", {"type": 0}, "kept by Rust"],
        ["CreateDialogRequest", "no type", {"$remove": ["type"]}, "refused"],
        ["CreateDialogRequest", "name of 201 characters", {"name": "n".repeat(201)}, "lost in schemars only"],
        ["CreateDialogRequest", "name of 200 characters", {"name": "n".repeat(200)}, "accepted"],
        // Lengths count characters, not bytes, on every side.
        ["CreateDialogRequest", "name of 200 two-byte characters", {"name": "é".repeat(200)}, "accepted"],
        ["CreateDialogRequest", "name: null", {"name": null}, "null for an optional field"],
        ["CreateDialogRequest", "photo: null", {"photo": null}, "null for an optional field"],
        ["CreateDialogRequest", "occupants_ids: a list", {"occupants_ids": [1, 2]}, "accepted"],
        ["CreateDialogRequest", "occupants_ids: an empty list", {"occupants_ids": []}, "accepted"],
        ["CreateDialogRequest", "occupants_ids: \"1, 2\"", {"occupants_ids": "1, 2"}, "accepted"],
        ["CreateDialogRequest", "occupants_ids: \" 1 ,2 \"", {"occupants_ids": " 1 ,2 "}, "accepted"],
        ["CreateDialogRequest", "occupants_ids: \"1,,2\"", {"occupants_ids": "1,,2"}, "lost in schemars only"],
        ["CreateDialogRequest", "occupants_ids: \"1;2\"", {"occupants_ids": "1;2"}, "lost in schemars only"],
        ["CreateDialogRequest", "occupants_ids: \"1,\\t2\"", {"occupants_ids": "1,\t2"}, "lost in schemars only"],
        ["CreateDialogRequest", "occupants_ids: \"0\"", {"occupants_ids": "0"}, "lost in schemars only"],
        ["CreateDialogRequest", "occupants_ids: \"\"", {"occupants_ids": ""}, "lost in schemars only"],
        ["CreateDialogRequest", "occupants_ids: 5", {"occupants_ids": 5}, "refused"],
        ["CreateDialogRequest", "is_join_required: 2", {"is_join_required": 2}, "refused"],
        ["CreateDialogRequest", "is_join_required: 2^32", {"is_join_required": 4_294_967_296_i64}, "refused"],
        ["CreateDialogRequest", "admin_ids: [1, 2]", {"admin_ids": [1, 2]}, "accepted"],
        ["CreateDialogRequest", "an unknown field", {"foo": 1}, "refused"],
        // admin_ids, data, is_join_required, name, occupants_ids, photo, type.
        ["CreateDialogRequest", "an array", {"$replace": [[], null, null, "n", null, null, 2]}, "array as a struct"],
    ]);
    let error = json!([
        ["ErrorResponse", "the example as it is", {}, "accepted"],
        ["ErrorResponse", "{\"errors\": 5}", {"$replace": {"errors": 5}}, "refused"],
        ["ErrorResponse", "{}", {"$replace": {}}, "refused"],
        ["ErrorResponse", "an empty message list", {"$replace": {"errors": []}}, "accepted"],
        ["ErrorResponse", "an empty field map", {"$replace": {"errors": {}}}, "accepted"],
        ["ErrorResponse", "a number in the message list", {"$replace": {"errors": [1]}}, "refused"],
        ["ErrorResponse", "a field with a bare message", {"$replace": {"errors": {"base": "no"}}}, "refused"],
        ["ErrorResponse", "a field with no messages", {"$replace": {"errors": {"base": []}}}, "accepted"],
        // Both shapes keep unknown fields in a flattened map, which makes them read maps only.
        ["ErrorResponse", "an array holding an error", {"$replace": [{"errors": []}]}, "refused"],
        ["ErrorResponse", "an array holding messages", {"$replace": [["Unauthorized"]]}, "refused"],
        ["ErrorResponse", "an unknown field beside the messages", {"$replace": {"errors": ["x"], "code": 7}}, "accepted"],
    ]);
    [dialog, request, error]
        .into_iter()
        .flat_map(|rows| rows.as_array().cloned().unwrap_or_default())
        .collect()
}

/// Applies one edit of `mutations` to a copy of `example`.
fn edited(example: &Value, edit: &Value) -> Value {
    if let Some(replacement) = edit.get("$replace") {
        return replacement.clone();
    }
    let mut value = example.clone();
    let object = value
        .as_object_mut()
        .expect("only object examples are edited key by key");
    for (key, field) in edit.as_object().expect("an edit is an object") {
        match key.as_str() {
            "$remove" => {
                for removed in field.as_array().expect("$remove lists keys") {
                    object.remove(removed.as_str().expect("$remove lists keys"));
                }
            }
            _ => {
                object.insert(key.clone(), field.clone());
            }
        }
    }
    value
}

#[test]
fn broken_copies_of_the_examples_fail_where_expected() {
    let (spec, examples) = all_examples();
    let mut failures = Vec::new();
    for row in &mutations() {
        let [schema, what, edit, verdict] = row.as_array().map(Vec::as_slice).unwrap_or_default() else {
            panic!("a mutation is [schema, what, edit, verdict], not {row}");
        };
        let (schema, what) = (schema.as_str().unwrap(), what.as_str().unwrap());
        let base = examples
            .iter()
            .find(|example| component_name(&example.schema) == Some(schema))
            .unwrap_or_else(|| panic!("the spec has no {schema} example to edit"));
        let value = edited(&base.value, edit);
        let rust = rust_type_for(&base.schema).expect("a Rust type for every edited schema");
        let spec_errors = violations(&openapi_validator(&spec, &base.schema).unwrap(), &value);
        let schemars_errors = violations(&schemars_validator((rust.schema)()).unwrap(), &value);
        let decoded = (rust.round_trip)(&serde_json::to_vec(&value).unwrap());
        let got = [spec_errors.is_empty(), schemars_errors.is_empty(), decoded.is_ok()];
        let expected = verdicts(verdict.as_str().unwrap());
        if got != expected {
            let verdict = |valid: bool| if valid { "accepts" } else { "refuses" };
            failures.push(format!(
                "{schema}, {what} ({}): expected [spec, schemars, Rust] {expected:?}, got {got:?}\n  \
                 the spec's schema {}: {spec_errors:?}\n  the schemars schema {}: {schemars_errors:?}\n  \
                 decoding {}: {:?}",
                base.label,
                verdict(got[0]),
                verdict(got[1]),
                verdict(got[2]),
                decoded.map_err(|err| err.to_string()),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mutations misjudged:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_failure_names_the_instance_path() {
    let (spec, examples) = all_examples();
    let dialog = examples
        .iter()
        .find(|example| component_name(&example.schema) == Some("Dialog"))
        .unwrap();
    let mut value = dialog.value.clone();
    value["_id"] = json!(5);
    value["occupants_ids"][1] = json!("x");
    let errors = violations(&openapi_validator(&spec, &dialog.schema).unwrap(), &value);
    assert!(
        errors
            .iter()
            .any(|error| error.starts_with("at /_id: 5 is not of type")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|error| error.starts_with("at /occupants_ids/1: ")),
        "{errors:?}"
    );
}

#[test]
fn the_rewritten_spec_schemas_are_valid_draft_4() {
    let spec = support::spec();
    for (name, schema) in json_schema_components(&spec).unwrap()["schemas"].as_object().unwrap() {
        if let Err(err) = jsonschema::draft4::meta::validate(schema) {
            panic!("components/schemas/{name} is not a valid draft 4 schema once rewritten: {err}");
        }
        assert!(
            !schema.to_string().contains("\"nullable\""),
            "{name} still says nullable: {schema}"
        );
    }
}
