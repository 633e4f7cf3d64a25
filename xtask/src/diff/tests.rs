//! Tests of `cargo xtask diff`: a fixture pair per rule with its reports pinned, and random single-point mutations of the real spec.

use serde_json::{Value, json};

use openapi_toolkit::Document;
use openapi_toolkit::diff::{
    Bound, BoundChange, Direction, Format, Level, Pair, Report, Rule, SchemaRule, changes as spec_changes, render,
};

use super::client_diff;

/// The toolkit's comparison of two texts with the generated-client section, as `cargo xtask diff` reports it.
fn compare(base_label: &str, base_text: &str, head_label: &str, head_text: &str) -> anyhow::Result<Report> {
    let base = Document::parse(base_label, base_text)?;
    let head = Document::parse(head_label, head_text)?;
    let mut report = openapi_toolkit::diff::compare(Pair {
        base: &base,
        head: &head,
    });
    report.client = Some(client_diff(&base, &head));
    Ok(report)
}

fn client(report: &Report) -> &openapi_toolkit::diff::ClientDiff {
    report
        .client
        .as_ref()
        .expect("cargo xtask diff always compares the clients")
}

fn base_fixture() -> String {
    std::fs::read_to_string(crate::project_root().join("xtask/tests/fixtures/diff/base.yaml")).unwrap()
}

/// `(rule, level, [(from, to)])`: the head of each pair is the base fixture with these edits.
type Case = (Rule, Level, &'static [(&'static str, &'static str)]);

use Direction::{Request, Response};
use Level::{Breaking, NonBreaking};

/// Rules whose fixture is another case read backwards: its head is the base, the base fixture the head.
const REVERSED: &[(Rule, Level, Rule)] = &[
    (
        Rule::RequestParameterBecameOptional,
        NonBreaking,
        Rule::RequestParameterBecameRequired,
    ),
    (
        Rule::ResponseNonSuccessStatusRemoved,
        NonBreaking,
        Rule::ResponseNonSuccessStatusAdded,
    ),
    (
        Rule::ResponseSuccessStatusAdded,
        NonBreaking,
        Rule::ResponseSuccessStatusRemoved,
    ),
    (Rule::RequestBodyRemoved, NonBreaking, Rule::RequestBodyAdded),
    (
        Rule::ApiSecurityMadeOptional,
        NonBreaking,
        Rule::ApiSecurityMadeMandatory,
    ),
    (
        Rule::ApiSecuritySchemeAdded,
        NonBreaking,
        Rule::ApiSecuritySchemeRemoved,
    ),
    (
        Rule::RequestBodyMediaTypeAdded,
        NonBreaking,
        Rule::RequestBodyMediaTypeRemoved,
    ),
    (
        Rule::ResponseMediaTypeAdded,
        NonBreaking,
        Rule::ResponseMediaTypeRemoved,
    ),
];

const CASES: &[Case] = &[
    (
        Rule::RequestBodyAdded,
        NonBreaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n",
        )],
    ),
    (
        Rule::RequestBodyBecameRequired,
        Breaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n",
        )],
    ),
    (
        Rule::ApiPathRemoved,
        Breaking,
        &[(
            "  /things/search:\n    post:\n      operationId: search_things",
            "  /things/found:\n    post:\n      operationId: search_things",
        )],
    ),
    (
        Rule::ApiRemoved,
        Breaking,
        &[(
            "    get:\n      operationId: list_things",
            "    trace:\n      operationId: list_things",
        )],
    ),
    (
        Rule::EndpointAdded,
        NonBreaking,
        &[(
            "components:\n",
            "  /things/count:\n    get:\n      operationId: count_things\n      summary: Count\n      description: Counts.\n      responses:\n        '200':\n          description: The count.\ncomponents:\n",
        )],
    ),
    (
        Rule::ApiOperationIdChanged,
        Breaking,
        &[("operationId: create_thing", "operationId: make_thing")],
    ),
    (
        Rule::ApiDescriptionChanged,
        NonBreaking,
        &[("summary: Create a thing", "summary: Make a thing")],
    ),
    (
        Rule::ResponseSuccessStatusRemoved,
        Breaking,
        &[(
            "        '201':\n          description: Created.",
            "        '202':\n          description: Created.",
        )],
    ),
    (
        Rule::ResponseNonSuccessStatusAdded,
        NonBreaking,
        &[(
            "        '422':\n",
            "        '429':\n          description: Slow down.\n        '422':\n",
        )],
    ),
    (
        Rule::NewRequiredRequestParameter,
        Breaking,
        &[(
            "      parameters:\n",
            "      parameters:\n        - name: X-Tenant\n          in: header\n          required: true\n          description: The tenant.\n          schema:\n            type: string\n",
        )],
    ),
    (
        Rule::NewOptionalRequestParameter,
        NonBreaking,
        &[(
            "      parameters:\n",
            "      parameters:\n        - name: X-Tenant\n          in: header\n          description: The tenant.\n          schema:\n            type: string\n",
        )],
    ),
    (
        Rule::RequestParameterBecameRequired,
        Breaking,
        &[(
            "          in: header\n          required: false",
            "          in: header\n          required: true",
        )],
    ),
    (
        Rule::RequestParameterRemoved,
        NonBreaking,
        &[(
            "        - name: X-Trace\n          in: header\n          required: false\n          description: A trace id.\n          schema:\n            type: string\n",
            "        - name: X-Span\n          in: query\n          description: A span id.\n          schema:\n            type: string\n",
        )],
    ),
    (
        Rule::RequestBodyBecameOptional,
        NonBreaking,
        &[(
            "      requestBody:\n        required: true",
            "      requestBody:\n        required: false",
        )],
    ),
    (
        Rule::RequestBodyMediaTypeRemoved,
        Breaking,
        &[(
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/NewThing'",
            "          application/xml:\n            schema:\n              $ref: '#/components/schemas/NewThing'",
        )],
    ),
    (
        Rule::ResponseMediaTypeRemoved,
        Breaking,
        &[(
            "          description: Created.\n          content:\n            application/json:",
            "          description: Created.\n          content:\n            text/plain:",
        )],
    ),
    (
        Rule::NewRequiredRequestProperty,
        Breaking,
        &[(
            "      required: [kind]\n      properties:\n",
            "      required: [kind, color]\n      properties:\n        color:\n          description: A color.\n          type: string\n",
        )],
    ),
    (
        Rule::NewOptionalRequestProperty,
        NonBreaking,
        &[(
            "      required: [kind]\n      properties:\n",
            "      required: [kind]\n      properties:\n        color:\n          description: A color.\n          type: string\n",
        )],
    ),
    (
        Rule::RequestPropertyBecameRequired,
        Breaking,
        &[("required: [kind]", "required: [kind, name]")],
    ),
    (
        Rule::RequestPropertyBecameOptional,
        NonBreaking,
        &[("required: [kind]", "required: []")],
    ),
    (
        Rule::Schema(Request, SchemaRule::PropertyRemoved),
        NonBreaking,
        &[(
            "        note:\n          description: A note.\n          type: string\n          nullable: true\n",
            "",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::EnumValueRemoved),
        Breaking,
        &[(
            "          enum: [1, 2, 3]\n        name:",
            "          enum: [1, 2]\n        name:",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::EnumValueAdded),
        NonBreaking,
        &[(
            "          enum: [1, 2, 3]\n        name:",
            "          enum: [1, 2, 3, 4]\n        name:",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::TypeChanged),
        Breaking,
        &[(
            "          description: The size.\n          type: integer",
            "          description: The size.\n          type: number",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::FormatChanged),
        Breaking,
        &[("          format: int32", "          format: int64")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::MaxLength, BoundChange::Decreased)),
        Breaking,
        &[("maxLength: 200", "maxLength: 100")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::MaxLength, BoundChange::Increased)),
        NonBreaking,
        &[("maxLength: 200", "maxLength: 300")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::MinLength, BoundChange::Increased)),
        Breaking,
        &[("minLength: 1", "minLength: 2")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::Min, BoundChange::Increased)),
        Breaking,
        &[("minimum: 1", "minimum: 5")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::Max, BoundChange::Decreased)),
        Breaking,
        &[("maximum: 100", "maximum: 50")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::MaxItems, BoundChange::Decreased)),
        Breaking,
        &[("maxItems: 10", "maxItems: 5")],
    ),
    (
        Rule::Schema(Request, SchemaRule::Bound(Bound::MinItems, BoundChange::Set)),
        Breaking,
        &[("maxItems: 10", "maxItems: 10\n          minItems: 1")],
    ),
    (
        Rule::Schema(Request, SchemaRule::PatternChanged),
        Breaking,
        &[("pattern: '^[a-z]+$'", "pattern: '^[a-z0-9]+$'")],
    ),
    (
        Rule::Schema(Request, SchemaRule::PatternRemoved),
        NonBreaking,
        &[("          pattern: '^[a-z]+$'\n", "")],
    ),
    (
        Rule::Schema(Request, SchemaRule::BecameNotNullable),
        Breaking,
        &[(
            "          type: string\n          nullable: true",
            "          type: string\n          nullable: false",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::OneOfRemoved),
        Breaking,
        &[("        - title: ByName\n          type: string\n", "")],
    ),
    (
        Rule::Schema(Request, SchemaRule::AdditionalPropertiesDisallowed),
        Breaking,
        &[(
            "        owner:\n          $ref: '#/components/schemas/Owner'\n    Owner:",
            "        owner:\n          $ref: '#/components/schemas/Owner'\n      additionalProperties: false\n    Owner:",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::PropertyRemoved),
        Breaking,
        &[(
            "        label:\n          description: A label.\n          type: string\n",
            "",
        )],
    ),
    (
        Rule::ResponsePropertyBecameOptional,
        Breaking,
        &[("required: [id, kind, label]", "required: [id, kind]")],
    ),
    (
        Rule::ResponsePropertyBecameRequired,
        NonBreaking,
        &[(
            "      required: [id, kind, label]\n      properties:",
            "      required: [id, kind, label, owner]\n      properties:",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::BecameNullable),
        Breaking,
        &[(
            "          description: A label.\n          type: string",
            "          description: A label.\n          type: string\n          nullable: true",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::EnumValueAdded),
        Breaking,
        &[(
            "          enum: [1, 2, 3]\n        label:",
            "          enum: [1, 2, 3, 4]\n        label:",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::EnumValueRemoved),
        NonBreaking,
        &[(
            "          enum: [1, 2, 3]\n        label:",
            "          enum: [1, 2]\n        label:",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::TypeChanged),
        Breaking,
        &[(
            "          description: Its id.\n          type: string",
            "          description: Its id.\n          type: integer",
        )],
    ),
    (
        Rule::ResponsePropertyAdded,
        NonBreaking,
        &[(
            "        label:\n          description: A label.",
            "        size:\n          description: The size.\n          type: integer\n        label:\n          description: A label.",
        )],
    ),
    (
        Rule::Schema(Response, SchemaRule::OneOfAdded),
        Breaking,
        &[(
            "        - title: ByName\n          type: string\n",
            "        - title: ByName\n          type: string\n        - title: ByEmail\n          type: string\n          format: email\n",
        )],
    ),
    (
        Rule::ApiSecurityRemoved,
        Breaking,
        &[("        - Token: []\n        - Key: []\n", "        - Token: []\n")],
    ),
    (
        Rule::ApiSecurityAdded,
        NonBreaking,
        &[(
            "      description: Searches things.\n      security:\n        - Token: []\n",
            "      description: Searches things.\n      security:\n        - Token: []\n        - Key: []\n",
        )],
    ),
    (
        Rule::ApiSecurityMadeMandatory,
        Breaking,
        &[(
            "      security:\n        - {}\n",
            "      security:\n        - Token: []\n",
        )],
    ),
    (
        Rule::ApiSecuritySchemeRemoved,
        Breaking,
        &[(
            "    Key:\n      type: apiKey\n      in: header\n      name: Authorization\n",
            "",
        )],
    ),
    (
        Rule::ApiSecuritySchemeChanged,
        Breaking,
        &[("      name: X-Token", "      name: X-Session")],
    ),
    (
        Rule::ApiServerRemoved,
        Breaking,
        &[("  - url: https://api.example.com", "  - url: https://api.example.org")],
    ),
    (
        Rule::ApiServerAdded,
        NonBreaking,
        &[(
            "  - url: https://api.example.com",
            "  - url: https://api.example.com\n  - url: https://eu.example.com",
        )],
    ),
    (
        Rule::DescriptionChanged,
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
            case.0.id()
        );
        head = head.replacen(from, to, 1);
    }
    head
}

fn case_of(rule: Rule) -> Option<&'static Case> {
    CASES.iter().find(|case| case.0 == rule)
}

/// The base and head texts of a rule's fixture pair, and the level its change must have.
fn pair_of(rule: Rule) -> Option<(String, String, Level)> {
    if let Some(case) = case_of(rule) {
        return Some((base_fixture(), head_of(case), case.1));
    }
    let (_, level, of) = REVERSED.iter().find(|r| r.0 == rule)?;
    Some((head_of(case_of(*of)?), base_fixture(), *level))
}

/// A schema rule's pair, made for either direction: a property `probe` added to the request-only
/// `NewThing` or the response-only `Thing` on both sides, with the rule's edit between them.
fn schema_pair(direction: Direction, rule: SchemaRule) -> (String, String) {
    use SchemaRule::*;
    let bound = |b: openapi_toolkit::diff::Bound, value: u32| format!("{}: {value}\n", b.keyword());
    let alternatives = |keyword: &str, n: usize| {
        let all = ["- {title: A, type: string}\n", "- {title: B, type: integer}\n"];
        format!(
            "{keyword}:\n{}",
            all[..n].iter().map(|a| format!("  {a}")).collect::<String>()
        )
    };
    let (base, head): (String, String) = match rule {
        TypeChanged => ("type: string\n".into(), "type: integer\n".into()),
        FormatChanged => (
            "type: string\nformat: date\n".into(),
            "type: string\nformat: date-time\n".into(),
        ),
        BecameNullable => ("type: string\n".into(), "type: string\nnullable: true\n".into()),
        BecameNotNullable => ("type: string\nnullable: true\n".into(), "type: string\n".into()),
        EnumValueRemoved => ("enum: [a, b]\n".into(), "enum: [a]\n".into()),
        EnumValueAdded => ("enum: [a]\n".into(), "enum: [a, b]\n".into()),
        EnumSet => ("type: string\n".into(), "type: string\nenum: [a]\n".into()),
        EnumUnset => ("type: string\nenum: [a]\n".into(), "type: string\n".into()),
        Bound(b, BoundChange::Set) => (String::new(), bound(b, 5)),
        Bound(b, BoundChange::Unset) => (bound(b, 5), String::new()),
        Bound(b, BoundChange::Decreased) => (bound(b, 6), bound(b, 5)),
        Bound(b, BoundChange::Increased) => (bound(b, 5), bound(b, 6)),
        PatternAdded => ("type: string\n".into(), "type: string\npattern: '^a$'\n".into()),
        PatternRemoved => ("type: string\npattern: '^a$'\n".into(), "type: string\n".into()),
        PatternChanged => ("pattern: '^a$'\n".into(), "pattern: '^b$'\n".into()),
        PropertyRemoved => (
            "type: object\nproperties:\n  inner: {type: string}\n".into(),
            "type: object\nproperties: {}\n".into(),
        ),
        AdditionalPropertiesDisallowed => (
            "type: object\n".into(),
            "type: object\nadditionalProperties: false\n".into(),
        ),
        AdditionalPropertiesAllowed => (
            "type: object\nadditionalProperties: false\n".into(),
            "type: object\n".into(),
        ),
        OneOfRemoved => (alternatives("oneOf", 2), alternatives("oneOf", 1)),
        OneOfAdded => (alternatives("oneOf", 1), alternatives("oneOf", 2)),
        AnyOfRemoved => (alternatives("anyOf", 2), alternatives("anyOf", 1)),
        AnyOfAdded => (alternatives("anyOf", 1), alternatives("anyOf", 2)),
    };
    let anchor = match direction {
        Request => {
            "    NewThing:\n      description: A thing to create.\n      type: object\n      required: [kind]\n      properties:\n"
        }
        Response => {
            "    Thing:\n      description: A thing.\n      type: object\n      required: [id, kind, label]\n      properties:\n"
        }
    };
    let with_probe = |schema: &str| {
        let fixture = base_fixture();
        assert!(
            fixture.contains(anchor),
            "the base fixture no longer contains {anchor:?}"
        );
        let indented: String = schema.lines().map(|l| format!("          {l}\n")).collect();
        fixture.replacen(
            anchor,
            &format!("{anchor}        probe:\n          description: A probe.\n{indented}"),
            1,
        )
    };
    (with_probe(&base), with_probe(&head))
}

/// Every rule of the registry has a fixture pair that yields a change of that rule at its level:
/// a case here (both reports pinned), a case read backwards, or, for a schema rule without a
/// case, a pair made for its direction. A new rule without one fails this test.
#[test]
fn every_rule_has_a_fixture_pair() {
    let ids: std::collections::BTreeSet<String> = CASES.iter().map(|c| c.0.id()).collect();
    assert_eq!(ids.len(), CASES.len(), "two cases for one rule");
    for rule in Rule::all() {
        let id = rule.id();
        let (base, head, level, pinned) = match (pair_of(rule), rule) {
            (Some((base, head, level)), _) => (base, head, level, true),
            (None, Rule::Schema(direction, schema_rule)) => {
                let (base, head) = schema_pair(direction, schema_rule);
                (base, head, rule.level(), false)
            }
            (None, _) => panic!("{id} has no fixture: add a case to CASES or REVERSED"),
        };
        assert_eq!(level, rule.level(), "{id}: the fixture's level is not the registry's");
        let head_label = format!("{id}.yaml");
        // Only pinned reports show the generated client; generating it for every made pair would
        // take most of the test's time and pin nothing.
        let report = if pinned {
            compare("base.yaml", &base, &head_label, &head).unwrap()
        } else {
            let (base, head) = (
                Document::parse("base.yaml", base).unwrap(),
                Document::parse(&head_label, head).unwrap(),
            );
            openapi_toolkit::diff::compare(Pair {
                base: &base,
                head: &head,
            })
        };
        assert!(
            report.changes.iter().any(|c| c.rule == rule && c.level == level),
            "{id}: expected a {level:?} change of this rule, got:\n{}",
            render(&report, Format::Text)
        );
        if pinned {
            insta::assert_snapshot!(format!("diff_{id}"), render(&report, Format::Text));
            insta::assert_snapshot!(format!("diff_{id}_markdown"), render(&report, Format::Markdown));
        }
    }
}

#[test]
fn no_change_is_no_change() {
    let base = base_fixture();
    let report = compare("base.yaml", &base, "head.yaml", &base).unwrap();
    assert!(report.changes.is_empty());
    assert!(report.version.ok);
    let client = client(&report);
    assert!(client.added.is_empty() && client.removed.is_empty() && client.error.is_none());
}

#[test]
fn the_version_must_be_bumped_as_the_changes_need() {
    let base = base_fixture();
    let breaking = head_of(case_of(Rule::Schema(Response, SchemaRule::PropertyRemoved)).unwrap());
    let additive = head_of(case_of(Rule::ResponsePropertyAdded).unwrap());
    let wording = head_of(case_of(Rule::DescriptionChanged).unwrap());
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
    let case = case_of(Rule::RequestPropertyBecameRequired).unwrap();
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
    let base =
        std::fs::read_to_string(crate::project_root().join("crates/openapi-toolkit/tests/fixtures/lint/clean.yaml"))
            .unwrap();
    let head = base.replacen("      required: [name]\n", "", 1);
    let report = compare("clean.yaml", &base, "head.yaml", &head).unwrap();
    assert_eq!(
        client(&report).removed,
        [
            "fn types::builder::Thing::name(value: TryInto<ThingName>) -> Self",
            "struct types::Thing.name: ThingName"
        ]
    );
    assert_eq!(
        client(&report).added,
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
                changes.iter().any(|c| c.rule.id() == *rule),
                "{mutation:?} in {name}: no {rule} change in {listing:#?}"
            );
        }
    }
}
