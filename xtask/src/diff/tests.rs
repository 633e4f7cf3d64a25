//! Tests of `cargo xtask diff`: a fixture pair per rule with its reports pinned, and random single-point mutations of the real spec.

use serde_json::{Value, json};

use super::report::{Format, render};
use super::*;

fn base_fixture() -> String {
    std::fs::read_to_string(crate::project_root().join("xtask/tests/fixtures/diff/base.yaml")).unwrap()
}

/// `(rule, level, [(from, to)])`: the head of each pair is the base fixture with these edits.
type Case = (&'static str, Level, &'static [(&'static str, &'static str)]);

use Level::{Breaking, NonBreaking};

const CASES: &[Case] = &[
    (
        "api-path-removed",
        Breaking,
        &[(
            "  /things/search:\n    post:\n      operationId: search_things",
            "  /things/found:\n    post:\n      operationId: search_things",
        )],
    ),
    (
        "api-removed",
        Breaking,
        &[(
            "    get:\n      operationId: list_things",
            "    trace:\n      operationId: list_things",
        )],
    ),
    (
        "endpoint-added",
        NonBreaking,
        &[(
            "components:\n",
            "  /things/count:\n    get:\n      operationId: count_things\n      summary: Count\n      description: Counts.\n      responses:\n        '200':\n          description: The count.\ncomponents:\n",
        )],
    ),
    (
        "api-operation-id-changed",
        Breaking,
        &[("operationId: create_thing", "operationId: make_thing")],
    ),
    (
        "api-description-changed",
        NonBreaking,
        &[("summary: Create a thing", "summary: Make a thing")],
    ),
    (
        "response-success-status-removed",
        Breaking,
        &[(
            "        '201':\n          description: Created.",
            "        '202':\n          description: Created.",
        )],
    ),
    (
        "response-non-success-status-added",
        NonBreaking,
        &[(
            "        '422':\n",
            "        '429':\n          description: Slow down.\n        '422':\n",
        )],
    ),
    (
        "new-required-request-parameter",
        Breaking,
        &[(
            "      parameters:\n",
            "      parameters:\n        - name: X-Tenant\n          in: header\n          required: true\n          description: The tenant.\n          schema:\n            type: string\n",
        )],
    ),
    (
        "new-optional-request-parameter",
        NonBreaking,
        &[(
            "      parameters:\n",
            "      parameters:\n        - name: X-Tenant\n          in: header\n          description: The tenant.\n          schema:\n            type: string\n",
        )],
    ),
    (
        "request-parameter-became-required",
        Breaking,
        &[(
            "          in: header\n          required: false",
            "          in: header\n          required: true",
        )],
    ),
    (
        "request-parameter-removed",
        NonBreaking,
        &[(
            "        - name: X-Trace\n          in: header\n          required: false\n          description: A trace id.\n          schema:\n            type: string\n",
            "        - name: X-Span\n          in: query\n          description: A span id.\n          schema:\n            type: string\n",
        )],
    ),
    (
        "request-body-became-optional",
        NonBreaking,
        &[(
            "      requestBody:\n        required: true",
            "      requestBody:\n        required: false",
        )],
    ),
    (
        "request-body-media-type-removed",
        Breaking,
        &[(
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/NewThing'",
            "          application/xml:\n            schema:\n              $ref: '#/components/schemas/NewThing'",
        )],
    ),
    (
        "response-media-type-removed",
        Breaking,
        &[(
            "          description: Created.\n          content:\n            application/json:",
            "          description: Created.\n          content:\n            text/plain:",
        )],
    ),
    (
        "new-required-request-property",
        Breaking,
        &[(
            "      required: [kind]\n      properties:\n",
            "      required: [kind, color]\n      properties:\n        color:\n          description: A color.\n          type: string\n",
        )],
    ),
    (
        "new-optional-request-property",
        NonBreaking,
        &[(
            "      required: [kind]\n      properties:\n",
            "      required: [kind]\n      properties:\n        color:\n          description: A color.\n          type: string\n",
        )],
    ),
    (
        "request-property-became-required",
        Breaking,
        &[("required: [kind]", "required: [kind, name]")],
    ),
    (
        "request-property-became-optional",
        NonBreaking,
        &[("required: [kind]", "required: []")],
    ),
    (
        "request-property-removed",
        NonBreaking,
        &[(
            "        note:\n          description: A note.\n          type: string\n          nullable: true\n",
            "",
        )],
    ),
    (
        "request-property-enum-value-removed",
        Breaking,
        &[(
            "          enum: [1, 2, 3]\n        name:",
            "          enum: [1, 2]\n        name:",
        )],
    ),
    (
        "request-property-enum-value-added",
        NonBreaking,
        &[(
            "          enum: [1, 2, 3]\n        name:",
            "          enum: [1, 2, 3, 4]\n        name:",
        )],
    ),
    (
        "request-property-type-changed",
        Breaking,
        &[(
            "          description: The size.\n          type: integer",
            "          description: The size.\n          type: number",
        )],
    ),
    (
        "request-property-format-changed",
        Breaking,
        &[("          format: int32", "          format: int64")],
    ),
    (
        "request-property-max-length-decreased",
        Breaking,
        &[("maxLength: 200", "maxLength: 100")],
    ),
    (
        "request-property-max-length-increased",
        NonBreaking,
        &[("maxLength: 200", "maxLength: 300")],
    ),
    (
        "request-property-min-length-increased",
        Breaking,
        &[("minLength: 1", "minLength: 2")],
    ),
    (
        "request-property-min-increased",
        Breaking,
        &[("minimum: 1", "minimum: 5")],
    ),
    (
        "request-property-max-decreased",
        Breaking,
        &[("maximum: 100", "maximum: 50")],
    ),
    (
        "request-property-max-items-decreased",
        Breaking,
        &[("maxItems: 10", "maxItems: 5")],
    ),
    (
        "request-property-min-items-set",
        Breaking,
        &[("maxItems: 10", "maxItems: 10\n          minItems: 1")],
    ),
    (
        "request-property-pattern-changed",
        Breaking,
        &[("pattern: '^[a-z]+$'", "pattern: '^[a-z0-9]+$'")],
    ),
    (
        "request-property-pattern-removed",
        NonBreaking,
        &[("          pattern: '^[a-z]+$'\n", "")],
    ),
    (
        "request-property-became-not-nullable",
        Breaking,
        &[(
            "          type: string\n          nullable: true",
            "          type: string\n          nullable: false",
        )],
    ),
    (
        "request-property-one-of-removed",
        Breaking,
        &[("        - title: ByName\n          type: string\n", "")],
    ),
    (
        "request-additional-properties-disallowed",
        Breaking,
        &[(
            "        owner:\n          $ref: '#/components/schemas/Owner'\n    Owner:",
            "        owner:\n          $ref: '#/components/schemas/Owner'\n      additionalProperties: false\n    Owner:",
        )],
    ),
    (
        "response-property-removed",
        Breaking,
        &[(
            "        label:\n          description: A label.\n          type: string\n",
            "",
        )],
    ),
    (
        "response-property-became-optional",
        Breaking,
        &[("required: [id, kind, label]", "required: [id, kind]")],
    ),
    (
        "response-property-became-required",
        NonBreaking,
        &[(
            "      required: [id, kind, label]\n      properties:",
            "      required: [id, kind, label, owner]\n      properties:",
        )],
    ),
    (
        "response-property-became-nullable",
        Breaking,
        &[(
            "          description: A label.\n          type: string",
            "          description: A label.\n          type: string\n          nullable: true",
        )],
    ),
    (
        "response-property-enum-value-added",
        Breaking,
        &[(
            "          enum: [1, 2, 3]\n        label:",
            "          enum: [1, 2, 3, 4]\n        label:",
        )],
    ),
    (
        "response-property-enum-value-removed",
        NonBreaking,
        &[(
            "          enum: [1, 2, 3]\n        label:",
            "          enum: [1, 2]\n        label:",
        )],
    ),
    (
        "response-property-type-changed",
        Breaking,
        &[(
            "          description: Its id.\n          type: string",
            "          description: Its id.\n          type: integer",
        )],
    ),
    (
        "response-property-added",
        NonBreaking,
        &[(
            "        label:\n          description: A label.",
            "        size:\n          description: The size.\n          type: integer\n        label:\n          description: A label.",
        )],
    ),
    (
        "response-property-one-of-added",
        Breaking,
        &[(
            "        - title: ByName\n          type: string\n",
            "        - title: ByName\n          type: string\n        - title: ByEmail\n          type: string\n          format: email\n",
        )],
    ),
    (
        "api-security-removed",
        Breaking,
        &[("        - Token: []\n        - Key: []\n", "        - Token: []\n")],
    ),
    (
        "api-security-added",
        NonBreaking,
        &[(
            "      description: Searches things.\n      security:\n        - Token: []\n",
            "      description: Searches things.\n      security:\n        - Token: []\n        - Key: []\n",
        )],
    ),
    (
        "api-security-made-mandatory",
        Breaking,
        &[(
            "      security:\n        - {}\n",
            "      security:\n        - Token: []\n",
        )],
    ),
    (
        "api-security-scheme-removed",
        Breaking,
        &[(
            "    Key:\n      type: apiKey\n      in: header\n      name: Authorization\n",
            "",
        )],
    ),
    (
        "api-security-scheme-changed",
        Breaking,
        &[("      name: X-Token", "      name: X-Session")],
    ),
    (
        "api-server-removed",
        Breaking,
        &[("  - url: https://api.example.com", "  - url: https://api.example.org")],
    ),
    (
        "api-server-added",
        NonBreaking,
        &[(
            "  - url: https://api.example.com",
            "  - url: https://api.example.com\n  - url: https://eu.example.com",
        )],
    ),
    (
        "description-changed",
        NonBreaking,
        &[(
            "          description: The name.",
            "          description: What the thing is called.",
        )],
    ),
];

fn head_of(case: &Case) -> String {
    let mut head = base_fixture();
    for (from, to) in case.2 {
        assert!(
            head.contains(from),
            "{}: the base fixture no longer contains {from:?}",
            case.0
        );
        head = head.replacen(from, to, 1);
    }
    head
}

/// Each rule's pair yields a change of that rule at that level; both reports are pinned.
#[test]
fn every_rule_has_a_fixture_pair() {
    assert!(CASES.len() >= 25, "the issue asks for at least 25 rules");
    let base = base_fixture();
    for case in CASES {
        let (rule, level, _) = case;
        let report = compare("base.yaml", &base, &format!("{rule}.yaml"), &head_of(case)).unwrap();
        assert!(
            report.changes.iter().any(|c| c.rule == *rule && c.level == *level),
            "{rule}: expected a {level:?} change of this rule, got:\n{}",
            render(&report, Format::Text)
        );
        insta::assert_snapshot!(format!("diff_{rule}"), render(&report, Format::Text));
        insta::assert_snapshot!(format!("diff_{rule}_markdown"), render(&report, Format::Markdown));
    }
}

#[test]
fn no_change_is_no_change() {
    let base = base_fixture();
    let report = compare("base.yaml", &base, "head.yaml", &base).unwrap();
    assert!(report.changes.is_empty());
    assert!(report.version.ok);
    assert!(report.client.added.is_empty() && report.client.removed.is_empty() && report.client.error.is_none());
}

#[test]
fn the_version_must_be_bumped_as_the_changes_need() {
    let base = base_fixture();
    let breaking = head_of(CASES.iter().find(|c| c.0 == "response-property-removed").unwrap());
    let additive = head_of(CASES.iter().find(|c| c.0 == "response-property-added").unwrap());
    let wording = head_of(CASES.iter().find(|c| c.0 == "description-changed").unwrap());
    for (head, version, ok) in [
        (&breaking, "1.0.0", false),
        (&breaking, "1.1.0", false),
        (&breaking, "2.0.0", true),
        (&additive, "1.0.1", false),
        (&additive, "1.1.0", true),
        (&wording, "1.0.0", false),
        (&wording, "1.0.1", true),
        (&wording, "0.9.0", false),
    ] {
        let head = head.replacen("version: 1.0.0", &format!("version: {version}"), 1);
        let report = compare("base.yaml", &base, "head.yaml", &head).unwrap();
        assert_eq!(report.version.ok, ok, "1.0.0 → {version}: {}", report.version.message);
    }
    // Below 1.0.0 a minor bump may break.
    let base = base.replacen("version: 1.0.0", "version: 0.3.0", 1);
    let head = breaking.replacen("version: 1.0.0", "version: 0.4.0", 1);
    assert!(compare("base.yaml", &base, "head.yaml", &head).unwrap().version.ok);
}

#[test]
fn the_json_report_carries_everything() {
    let case = CASES
        .iter()
        .find(|c| c.0 == "request-property-became-required")
        .unwrap();
    let report = compare("base.yaml", &base_fixture(), "head.yaml", &head_of(case)).unwrap();
    let json: Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(json["changes"][0]["rule"], "request-property-became-required");
    assert_eq!(json["changes"][0]["level"], "breaking");
    assert_eq!(json["changes"][0]["pointer"], "/components/schemas/NewThing/required");
    assert_eq!(json["version"]["required"], "major");
    assert_eq!(
        json["client"]["removed"].as_array().unwrap().len(),
        json["client"]["added"].as_array().unwrap().len()
    );
}

#[test]
fn the_client_diff_shows_the_rust_api_change() {
    let base = std::fs::read_to_string(crate::project_root().join("xtask/tests/fixtures/lint/clean.yaml")).unwrap();
    let head = base.replacen("      required: [name]\n", "", 1);
    let report = compare("clean.yaml", &base, "head.yaml", &head).unwrap();
    assert_eq!(
        report.client.removed,
        [
            "fn types::builder::Thing::name(value: TryInto<ThingName>) -> Self",
            "struct types::Thing.name: ThingName"
        ]
    );
    assert_eq!(
        report.client.added,
        [
            "fn types::builder::Thing::name(value: TryInto<Option<ThingName>>) -> Self",
            "struct types::Thing.name: Option<ThingName>"
        ]
    );
}

// Random single-point mutations of the real spec.

/// A small deterministic generator, so that a failure can be replayed from its seed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An item of a list, or `None` for an empty one.
    fn pick<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        let len = items.len() as u64;
        (len > 0).then(|| &items[(self.next() % len) as usize])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// The component schemas reachable from requests and from responses.
fn sides(spec: &Value) -> std::collections::BTreeMap<String, Vec<Side>> {
    fn refs(node: &Value, out: &mut Vec<String>) {
        match node {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    out.push(r.trim_start_matches("#/components/schemas/").to_string());
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut result: std::collections::BTreeMap<String, Vec<Side>> = Default::default();
    let operation = &spec["paths"]["/chat/Dialog.json"]["post"];
    for (side, roots) in [
        (Side::Request, vec![&operation["requestBody"], &operation["parameters"]]),
        (Side::Response, vec![&operation["responses"]]),
    ] {
        let mut queue = Vec::new();
        roots.into_iter().for_each(|r| refs(r, &mut queue));
        while let Some(name) = queue.pop() {
            let entry = result.entry(name.clone()).or_default();
            if entry.contains(&side) {
                continue;
            }
            entry.push(side);
            refs(&spec["components"]["schemas"][&name], &mut queue);
        }
    }
    result
}

#[derive(Clone, Copy, Debug)]
enum Mutation {
    MakeRequired,
    MakeOptional,
    RemoveProperty,
    AddRequiredProperty,
    DropEnumValue,
    AddEnumValue,
    ChangeType,
    MakeNullable,
    LowerMaxLength,
    ChangeDescription,
}

impl Mutation {
    /// Whether the mutation breaks clients, seen from one side; the rule the diff must name.
    fn expect(self, side: Side, closed: bool) -> (bool, &'static str) {
        use Mutation::*;
        use Side::*;
        match (self, side) {
            (MakeRequired, Request) => (true, "request-property-became-required"),
            (MakeRequired, Response) => (false, "response-property-became-required"),
            (MakeOptional, Request) => (false, "request-property-became-optional"),
            (MakeOptional, Response) => (true, "response-property-became-optional"),
            (RemoveProperty, Request) => (closed, "request-property-removed"),
            (RemoveProperty, Response) => (true, "response-property-removed"),
            (AddRequiredProperty, Request) => (true, "new-required-request-property"),
            (AddRequiredProperty, Response) => (closed, "response-property-added"),
            (DropEnumValue, Request) => (true, "request-property-enum-value-removed"),
            (DropEnumValue, Response) => (false, "response-property-enum-value-removed"),
            (AddEnumValue, Request) => (false, "request-property-enum-value-added"),
            (AddEnumValue, Response) => (true, "response-property-enum-value-added"),
            (ChangeType, Request) => (true, "request-property-type-changed"),
            (ChangeType, Response) => (true, "response-property-type-changed"),
            (MakeNullable, Request) => (false, "request-property-became-nullable"),
            (MakeNullable, Response) => (true, "response-property-became-nullable"),
            (LowerMaxLength, Request) => (true, "request-property-max-length-decreased"),
            (LowerMaxLength, Response) => (false, "response-property-max-length-decreased"),
            (ChangeDescription, _) => (false, "description-changed"),
        }
    }
}

/// Applies `mutation` somewhere in a component schema, or returns `None` if it has no such place.
fn mutate(schema: &mut Value, mutation: Mutation, rng: &mut XorShift) -> Option<()> {
    let properties: Vec<String> = schema.get("properties")?.as_object()?.keys().cloned().collect();
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let optional: Vec<&String> = properties.iter().filter(|p| !required.contains(p)).collect();
    let inline = |schema: &Value, p: &str| schema["properties"][p].get("$ref").is_none();
    match mutation {
        Mutation::MakeRequired => {
            let name = (*rng.pick(&optional)?).clone();
            schema["required"] = json!([required, vec![name]].concat());
        }
        Mutation::MakeOptional => {
            let name = rng.pick(&required)?.clone();
            schema["required"] = json!(required.iter().filter(|r| **r != name).collect::<Vec<_>>());
        }
        Mutation::RemoveProperty => {
            let name = rng.pick(&properties)?.clone();
            schema["properties"].as_object_mut()?.remove(&name);
            schema["required"] = json!(required.iter().filter(|r| **r != name).collect::<Vec<_>>());
        }
        Mutation::AddRequiredProperty => {
            schema["properties"]["added_by_mutation"] = json!({"description": "Added.", "type": "string"});
            schema["required"] = json!([required, vec!["added_by_mutation".to_string()]].concat());
        }
        Mutation::DropEnumValue | Mutation::AddEnumValue => {
            let with_enum: Vec<&String> = properties
                .iter()
                .filter(|p| schema["properties"][*p].get("enum").is_some())
                .collect();
            let name = (*rng.pick(&with_enum)?).clone();
            let values = schema["properties"][&name]["enum"].as_array_mut()?;
            if matches!(mutation, Mutation::DropEnumValue) {
                let non_null: Vec<usize> = (0..values.len()).filter(|i| !values[*i].is_null()).collect();
                values.remove(*rng.pick(&non_null)?);
            } else {
                values.push(json!(99));
            }
        }
        Mutation::ChangeType => {
            let typed: Vec<&String> = properties
                .iter()
                .filter(|p| schema["properties"][*p].get("type").is_some())
                .collect();
            let name = (*rng.pick(&typed)?).clone();
            let property = &mut schema["properties"][&name];
            let new = if property["type"] == "string" {
                "integer"
            } else {
                "string"
            };
            property["type"] = json!(new);
        }
        Mutation::MakeNullable => {
            let candidates: Vec<&String> = properties
                .iter()
                .filter(|p| inline(schema, p) && schema["properties"][*p].get("nullable") != Some(&json!(true)))
                .collect();
            let name = (*rng.pick(&candidates)?).clone();
            schema["properties"][&name]["nullable"] = json!(true);
        }
        Mutation::LowerMaxLength => {
            let bounded: Vec<&String> = properties
                .iter()
                .filter(|p| schema["properties"][*p].get("maxLength").is_some())
                .collect();
            let name = (*rng.pick(&bounded)?).clone();
            schema["properties"][&name]["maxLength"] = json!(schema["properties"][&name]["maxLength"].as_u64()? - 1);
        }
        Mutation::ChangeDescription => {
            let described: Vec<&String> = properties.iter().filter(|p| inline(schema, p)).collect();
            let name = (*rng.pick(&described)?).clone();
            schema["properties"][&name]["description"] = json!("Reworded by a mutation.");
        }
    }
    Some(())
}

/// A few hundred single-point mutations of the real spec, each classified as its kind requires
/// on every side (request, response) that uses the mutated schema.
#[test]
fn random_mutations_of_the_real_spec_are_classified_by_their_kind() {
    let text = std::fs::read_to_string(crate::project_root().join(crate::codegen::SPEC)).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let sides = sides(&spec);
    let names: Vec<&String> = sides.keys().collect();
    let mutations = [
        Mutation::MakeRequired,
        Mutation::MakeOptional,
        Mutation::RemoveProperty,
        Mutation::AddRequiredProperty,
        Mutation::DropEnumValue,
        Mutation::AddEnumValue,
        Mutation::ChangeType,
        Mutation::MakeNullable,
        Mutation::LowerMaxLength,
        Mutation::ChangeDescription,
    ];
    let mut rng = XorShift(0x5eed_1234_abcd_0001);
    let mut applied = 0;
    let mut attempts = 0;
    while applied < 300 {
        attempts += 1;
        assert!(attempts < 20_000, "too few places to mutate");
        let name = (*rng.pick(&names).unwrap()).clone();
        let mutation = *rng.pick(&mutations).unwrap();
        let mut head = spec.clone();
        // `None`: this schema has no place for this kind of mutation.
        if mutate(&mut head["components"]["schemas"][&name], mutation, &mut rng).is_none() || head == spec {
            continue;
        }
        applied += 1;
        let closed = spec["components"]["schemas"][&name]["additionalProperties"] == json!(false);
        let changes = spec_changes(&spec, &head);
        let breaking = changes.iter().any(|c| c.level == Level::Breaking);
        let expected: Vec<(bool, &str)> = sides[&name].iter().map(|side| mutation.expect(*side, closed)).collect();
        let should_break = expected.iter().any(|(b, _)| *b);
        let listing: Vec<String> = changes
            .iter()
            .map(|c| format!("{:?} {} {}", c.level, c.rule, c.message))
            .collect();
        assert_eq!(
            breaking, should_break,
            "{mutation:?} in {name} (used by {:?}): {listing:#?}",
            sides[&name]
        );
        for (_, rule) in &expected {
            assert!(
                changes.iter().any(|c| c.rule == *rule),
                "{mutation:?} in {name}: no {rule} change in {listing:#?}"
            );
        }
    }
}
