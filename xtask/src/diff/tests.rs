//! Tests of `cargo xtask diff`: a fixture pair per rule with its reports pinned, and random single-point mutations of the real spec.

use serde_json::{Value, json};

use openapi_toolkit::Document;
use openapi_toolkit::diff::{
    Bound, BoundChange, Format, Level, Pair, Place, Report, Rule, SchemaRule, changes as spec_changes, render,
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

use Level::{Err as Breaking, Info as NonBreaking, Warn};
use Place::{RequestProperty as Request, ResponseProperty as Response};

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
    (Rule::RequestBodyRemoved, Breaking, Rule::RequestBodyAddedOptional),
    (
        Rule::ApiSecurityAnonymousAccessAdded,
        NonBreaking,
        Rule::ApiSecurityAnonymousAccessRemoved,
    ),
    (
        Rule::ApiSecurityComponentAdded,
        NonBreaking,
        Rule::ApiSecurityComponentRemoved,
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
        Rule::RequestBodyAddedOptional,
        NonBreaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n",
        )],
    ),
    (
        Rule::RequestBodyAddedRequired,
        Breaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n",
        )],
    ),
    (
        Rule::ApiPathRemovedWithoutDeprecation,
        Breaking,
        &[(
            "  /things/search:\n    post:\n      operationId: search_things",
            "  /things/found:\n    post:\n      operationId: search_things",
        )],
    ),
    (
        Rule::ApiRemovedWithoutDeprecation,
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
        Rule::ApiOperationIdRemoved,
        NonBreaking,
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
        Warn,
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
        Rule::RequestPropertyRemoved,
        Warn,
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
            "          description: The size.\n          type: string",
        )],
    ),
    (
        Rule::Schema(Request, SchemaRule::TypeGeneralized),
        NonBreaking,
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
        Warn,
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
        Rule::Schema(Place::RequestBody, SchemaRule::AdditionalPropertiesDisallowed),
        Breaking,
        &[(
            "        owner:\n          $ref: '#/components/schemas/Owner'\n    Owner:",
            "        owner:\n          $ref: '#/components/schemas/Owner'\n      additionalProperties: false\n    Owner:",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyRemoved,
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
        Rule::ResponseOptionalPropertyAdded,
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
        Rule::ApiSecurityAnonymousAccessRemoved,
        Breaking,
        &[(
            "      security:\n        - {}\n",
            "      security:\n        - Token: []\n",
        )],
    ),
    (
        Rule::ApiSecurityComponentRemoved,
        NonBreaking,
        &[(
            "    Key:\n      type: apiKey\n      in: header\n      name: Authorization\n",
            "",
        )],
    ),
    (
        Rule::ApiSecurityComponentApiKeyNameChanged,
        Breaking,
        &[("      name: X-Token", "      name: X-Session")],
    ),
    (
        Rule::ApiServerRemoved,
        NonBreaking,
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

/// A schema rule's pair, made for each place a schema sits: a probe with the rule's edit between
/// the sides, as a property of the request-only `NewThing` or the response-only `Thing`, as the
/// whole request or response body of `search_things`, as its query parameter (or a property of
/// one), or as a header of its response.
fn schema_pair(place: Place, rule: SchemaRule) -> (String, String) {
    use SchemaRule::*;
    let bound = |b: openapi_toolkit::diff::Bound, value: u32| format!("{}: {value}\n", b.keyword());
    let alternatives = |keyword: &str, n: usize| {
        let all = ["- {title: A, type: string}\n", "- {title: B, type: integer}\n"];
        format!(
            "{keyword}:\n{}",
            all[..n].iter().map(|a| format!("  {a}")).collect::<String>()
        )
    };
    let discriminator = |name: &str, mapping: &str| {
        format!("type: object\ndiscriminator:\n  propertyName: {name}\n  mapping: {{{mapping}}}\n")
    };
    let (base, head): (String, String) = match rule {
        TypeChanged => ("type: string\n".into(), "type: integer\n".into()),
        TypeGeneralized => (
            "type: integer\nformat: int32\n".into(),
            "type: integer\nformat: int64\n".into(),
        ),
        TypeSpecialized => ("type: number\n".into(), "type: integer\n".into()),
        BecameNullable => ("type: string\n".into(), "type: string\nnullable: true\n".into()),
        BecameNotNullable => ("type: string\nnullable: true\n".into(), "type: string\n".into()),
        EnumValueRemoved => ("enum: [a, b]\n".into(), "enum: [a]\n".into()),
        EnumValueAdded => ("enum: [a]\n".into(), "enum: [a, b]\n".into()),
        BecameEnum => ("type: string\n".into(), "type: string\nenum: [a]\n".into()),
        BecameNotEnum => ("type: string\nenum: [a]\n".into(), "type: string\n".into()),
        XExtensibleEnumValueRemoved => (
            "type: string\nx-extensible-enum: [a, b]\n".into(),
            "type: string\nx-extensible-enum: [a]\n".into(),
        ),
        Bound(b, BoundChange::Set) => (String::new(), bound(b, 5)),
        Bound(b, BoundChange::Unset) => (bound(b, 5), String::new()),
        Bound(b, BoundChange::Decreased) => (bound(b, 6), bound(b, 5)),
        Bound(b, BoundChange::Increased) => (bound(b, 5), bound(b, 6)),
        ExclusiveMaxSet => ("maximum: 5\n".into(), "maximum: 5\nexclusiveMaximum: true\n".into()),
        ExclusiveMaxUnset => ("maximum: 5\nexclusiveMaximum: true\n".into(), "maximum: 5\n".into()),
        ExclusiveMinSet => ("minimum: 5\n".into(), "minimum: 5\nexclusiveMinimum: true\n".into()),
        ExclusiveMinUnset => ("minimum: 5\nexclusiveMinimum: true\n".into(), "minimum: 5\n".into()),
        MultipleOfSet => ("type: integer\n".into(), "type: integer\nmultipleOf: 2\n".into()),
        MultipleOfUnset => ("type: integer\nmultipleOf: 2\n".into(), "type: integer\n".into()),
        MultipleOfGeneralized => ("multipleOf: 4\n".into(), "multipleOf: 2\n".into()),
        MultipleOfSpecialized => ("multipleOf: 2\n".into(), "multipleOf: 4\n".into()),
        MultipleOfChanged => ("multipleOf: 2\n".into(), "multipleOf: 3\n".into()),
        UniqueItemsSet => ("type: array\n".into(), "type: array\nuniqueItems: true\n".into()),
        UniqueItemsUnset => ("type: array\nuniqueItems: true\n".into(), "type: array\n".into()),
        PatternAdded => ("type: string\n".into(), "type: string\npattern: '^a$'\n".into()),
        PatternRemoved => ("type: string\npattern: '^a$'\n".into(), "type: string\n".into()),
        PatternChanged => ("pattern: '^a$'\n".into(), "pattern: '^b$'\n".into()),
        PatternGeneralized => ("pattern: '^a$'\n".into(), "pattern: '.*'\n".into()),
        DefaultValueAdded => ("type: string\n".into(), "type: string\ndefault: a\n".into()),
        DefaultValueRemoved => ("type: string\ndefault: a\n".into(), "type: string\n".into()),
        DefaultValueChanged => ("type: string\ndefault: a\n".into(), "type: string\ndefault: b\n".into()),
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
        AllOfRemoved => (alternatives("allOf", 2), alternatives("allOf", 1)),
        AllOfAdded => (alternatives("allOf", 1), alternatives("allOf", 2)),
        AllOfRemovedAnnotationOnly => (
            "allOf:\n  - {title: A, type: string}\n  - {title: Note, description: Annotated.}\n".into(),
            "allOf:\n  - {title: A, type: string}\n".into(),
        ),
        AllOfAddedAnnotationOnly => (
            "allOf:\n  - {title: A, type: string}\n".into(),
            "allOf:\n  - {title: A, type: string}\n  - {title: Note, description: Annotated.}\n".into(),
        ),
        DiscriminatorAdded => ("type: object\n".into(), discriminator("kind", "")),
        DiscriminatorRemoved => (discriminator("kind", ""), "type: object\n".into()),
        DiscriminatorPropertyNameChanged => (discriminator("kind", ""), discriminator("sort", "")),
        DiscriminatorMappingAdded => (discriminator("kind", ""), discriminator("kind", "a: '#/x'")),
        DiscriminatorMappingDeleted => (discriminator("kind", "a: '#/x'"), discriminator("kind", "")),
        DiscriminatorMappingChanged => (discriminator("kind", "a: '#/x'"), discriminator("kind", "a: '#/y'")),
        Json(rule) => {
            let (base, head) = rule.example();
            (base.into(), head.into())
        }
    };
    let indent =
        |schema: &str, by: usize| -> String { schema.lines().map(|l| format!("{}{l}\n", " ".repeat(by))).collect() };
    let search = "      operationId: search_things\n";
    let property_anchor = match place {
        Place::RequestProperty => {
            "    NewThing:\n      description: A thing to create.\n      type: object\n      required: [kind]\n      properties:\n"
        }
        Place::ResponseProperty => {
            "    Thing:\n      description: A thing.\n      type: object\n      required: [id, kind, label]\n      properties:\n"
        }
        _ => search,
    };
    let with = |schema: &str| -> String {
        match place {
            Place::RequestProperty | Place::ResponseProperty => {
                format!(
                    "        probe:\n          description: A probe.\n{}",
                    indent(schema, 10)
                )
            }
            Place::RequestBody => format!(
                "      requestBody:\n        content:\n          application/json:\n            schema:\n              description: A probe.\n{}",
                indent(schema, 14)
            ),
            Place::RequestParameter => format!(
                "      parameters:\n        - name: probe\n          in: query\n          schema:\n            description: A probe.\n{}",
                indent(schema, 12)
            ),
            Place::RequestParameterProperty => format!(
                "      parameters:\n        - name: probe\n          in: query\n          schema:\n            type: object\n            properties:\n              inner:\n                description: A probe.\n{}",
                indent(schema, 16)
            ),
            Place::ResponseBody | Place::ResponseHeader => String::new(),
        }
    };
    let with_probe = |schema: &str| {
        let fixture = base_fixture();
        let response = |body: bool| {
            // The last response of the fixture is search_things' 200; the probe replaces its body
            // schema, or becomes a header beside it.
            let (anchor, tail) = fixture
                .rsplit_once("        '200':\n          description: Found.\n")
                .unwrap();
            let probe = if body {
                format!(
                    "        '200':\n          description: Found.\n          content:\n            application/json:\n              schema:\n                description: A probe.\n{}",
                    indent(schema, 16)
                )
            } else {
                format!(
                    "        '200':\n          description: Found.\n          headers:\n            X-Probe:\n              schema:\n                description: A probe.\n{}",
                    indent(schema, 16)
                )
            };
            let tail = if body {
                tail.split_once("components:\n")
                    .map(|(_, rest)| format!("components:\n{rest}"))
                    .unwrap()
            } else {
                tail.to_string()
            };
            format!("{anchor}{probe}{tail}")
        };
        match place {
            Place::ResponseBody => response(true),
            Place::ResponseHeader => response(false),
            _ => {
                let anchor = property_anchor;
                assert!(
                    fixture.contains(anchor),
                    "the base fixture no longer contains {anchor:?}"
                );
                // The anchor is unique: a schema's head, or search_things' operationId.
                let at = fixture.find(anchor).unwrap() + anchor.len();
                format!("{}{}{}", &fixture[..at], with(schema), &fixture[at..])
            }
        }
    };
    (with_probe(&base), with_probe(&head))
}

/// Cases for rules whose reports are not pinned: the lifecycle families (deprecation, sunset,
/// stability), headers, tags and the like. Each still must yield its rule at its level.
const MADE: &[Case] = &[
    // Made under the deprecation policy of `policy_for` (a deprecation owes a sunset).
    (
        Rule::ApiDeprecatedSunsetMissing,
        Breaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      deprecated: true\n",
        )],
    ),
    // Made under the deprecation policy of `policy_for` (a deprecation owes a sunset).
    (
        Rule::RequestParameterDeprecatedSunsetMissing,
        Breaking,
        &[(
            "          description: A trace id.\n",
            "          description: A trace id.\n          deprecated: true\n",
        )],
    ),
    // Made under the deprecation policy of `policy_for` (a deprecation owes a sunset).
    (
        Rule::RequestPropertyDeprecatedSunsetMissing,
        Breaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          deprecated: true\n",
        )],
    ),
    // Made under the deprecation policy of `policy_for` (a deprecation owes a sunset).
    (
        Rule::ResponsePropertyDeprecatedSunsetMissing,
        Breaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          deprecated: true\n",
        )],
    ),
    (
        Rule::EndpointDeprecated,
        NonBreaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      deprecated: true\n",
        )],
    ),
    (
        Rule::EndpointDeprecatedWithSunset,
        NonBreaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
    ),
    (
        Rule::ApiDeprecatedSunsetParse,
        Breaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      deprecated: true\n      x-sunset: 'next year'\n",
        )],
    ),
    (
        Rule::ApiSunsetDateTooSmall,
        Breaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2001-01-01'\n",
        )],
    ),
    (
        Rule::ApiStabilityDecreased,
        Breaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      x-stability-level: beta\n",
        )],
    ),
    (
        Rule::ApiInvalidStabilityLevel,
        Breaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      x-stability-level: gamma\n",
        )],
    ),
    (
        Rule::ApiTagAdded,
        NonBreaking,
        &[(
            "      operationId: list_things\n",
            "      operationId: list_things\n      tags: [things]\n",
        )],
    ),
    (
        Rule::ApiSchemaRemoved,
        NonBreaking,
        &[(
            "    Error:\n      description: An error.\n",
            "    Failure:\n      description: An error.\n",
        )],
    ),
    (
        Rule::ApiSecurityComponentTypeChanged,
        Breaking,
        &[(
            "      type: apiKey\n      in: header\n      name: Authorization\n",
            "      type: http\n      scheme: bearer\n",
        )],
    ),
    (
        Rule::ApiSecurityComponentApiKeyInChanged,
        Breaking,
        &[(
            "      in: header\n      name: Authorization\n",
            "      in: query\n      name: Authorization\n",
        )],
    ),
    (
        Rule::ApiSecurityScopeAdded,
        Breaking,
        &[(
            "        - Key: []\n      parameters:",
            "        - Key: [write]\n      parameters:",
        )],
    ),
    (
        Rule::RequestParameterDeprecated,
        NonBreaking,
        &[(
            "          description: A trace id.\n",
            "          description: A trace id.\n          deprecated: true\n",
        )],
    ),
    (
        Rule::RequestParameterSunsetDateTooSmall,
        Breaking,
        &[(
            "          description: A trace id.\n",
            "          description: A trace id.\n          deprecated: true\n          x-sunset: '2001-01-01'\n",
        )],
    ),
    (
        Rule::RequestParameterDescriptionChanged,
        NonBreaking,
        &[(
            "          description: A trace id.\n",
            "          description: The trace id.\n",
        )],
    ),
    (
        Rule::RequestPropertyDeprecated,
        NonBreaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          deprecated: true\n",
        )],
    ),
    (
        Rule::RequestPropertyDeprecatedWithSunset,
        NonBreaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
    ),
    (
        Rule::RequestPropertyDeprecatedSunsetInvalid,
        Breaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          deprecated: true\n          x-sunset: 'later'\n",
        )],
    ),
    (
        Rule::RequestPropertySunsetDateTooSmall,
        Breaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          deprecated: true\n          x-sunset: '2001-01-01'\n",
        )],
    ),
    (
        Rule::ResponsePropertyDeprecated,
        NonBreaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          deprecated: true\n",
        )],
    ),
    (
        Rule::ResponsePropertyDeprecatedWithSunset,
        NonBreaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
    ),
    (
        Rule::ResponsePropertyDeprecatedSunsetInvalid,
        Breaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          deprecated: true\n          x-sunset: 'later'\n",
        )],
    ),
    (
        Rule::ResponsePropertySunsetDateTooSmall,
        Breaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          deprecated: true\n          x-sunset: '2001-01-01'\n",
        )],
    ),
    (
        Rule::RequestPropertyStabilityDecreased,
        Breaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          x-stability-level: alpha\n",
        )],
    ),
    (
        Rule::ResponsePropertyStabilityDecreased,
        Breaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          x-stability-level: beta\n",
        )],
    ),
    (
        Rule::RequestOptionalPropertyBecameReadOnly,
        Warn,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          readOnly: true\n",
        )],
    ),
    (
        Rule::RequestRequiredPropertyBecameReadOnly,
        Warn,
        &[(
            "          description: The kind.\n          type: integer\n          enum: [1, 2, 3]\n        name:",
            "          description: The kind.\n          type: integer\n          readOnly: true\n          enum: [1, 2, 3]\n        name:",
        )],
    ),
    (
        Rule::RequestOptionalPropertyBecameWriteOnly,
        NonBreaking,
        &[(
            "          description: The name.\n",
            "          description: The name.\n          writeOnly: true\n",
        )],
    ),
    (
        Rule::RequestRequiredPropertyBecameWriteOnly,
        NonBreaking,
        &[(
            "          description: The kind.\n          type: integer\n          enum: [1, 2, 3]\n        name:",
            "          description: The kind.\n          type: integer\n          writeOnly: true\n          enum: [1, 2, 3]\n        name:",
        )],
    ),
    (
        Rule::ResponseOptionalPropertyBecameReadOnly,
        NonBreaking,
        &[(
            "          description: What went wrong.\n",
            "          description: What went wrong.\n          readOnly: true\n",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyBecameReadOnly,
        NonBreaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          readOnly: true\n",
        )],
    ),
    (
        Rule::ResponseOptionalPropertyBecameWriteOnly,
        NonBreaking,
        &[(
            "          description: What went wrong.\n",
            "          description: What went wrong.\n          writeOnly: true\n",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyBecameWriteOnly,
        Breaking,
        &[(
            "          description: A label.\n",
            "          description: A label.\n          writeOnly: true\n",
        )],
    ),
    (
        Rule::RequestBodyMediaTypeSchemaRemoved,
        NonBreaking,
        &[(
            "          application/json:\n            schema:\n              $ref: '#/components/schemas/NewThing'\n",
            "          application/json: {}\n",
        )],
    ),
    (
        Rule::ResponseBodyMediaTypeSchemaRemoved,
        Breaking,
        &[(
            "            application/json:\n              schema:\n                $ref: '#/components/schemas/Error'\n",
            "            application/json: {}\n",
        )],
    ),
    (
        Rule::ResponseHeaderAdded,
        NonBreaking,
        &[(
            "        '422':\n          description: Invalid.\n",
            "        '422':\n          description: Invalid.\n          headers:\n            Retry-After: {schema: {type: integer}}\n",
        )],
    ),
    (
        Rule::WebhookAdded,
        NonBreaking,
        &[(
            "paths:\n",
            "webhooks:\n  thingMade:\n    post:\n      responses:\n        '200':\n          description: Received.\npaths:\n",
        )],
    ),
];

/// Made cases whose head is a made case's base: `(rule, level, of)`, read backwards.
const MADE_REVERSED: &[(Rule, Level, Rule)] = &[
    (Rule::WebhookRemoved, Breaking, Rule::WebhookAdded),
    (Rule::EndpointReactivated, NonBreaking, Rule::EndpointDeprecated),
    (Rule::ApiStabilityIncreased, NonBreaking, Rule::ApiStabilityDecreased),
    (Rule::ApiTagRemoved, NonBreaking, Rule::ApiTagAdded),
    (
        Rule::RequestParameterReactivated,
        NonBreaking,
        Rule::RequestParameterDeprecated,
    ),
    (
        Rule::RequestPropertyReactivated,
        NonBreaking,
        Rule::RequestPropertyDeprecated,
    ),
    (
        Rule::ResponsePropertyReactivated,
        NonBreaking,
        Rule::ResponsePropertyDeprecated,
    ),
    (
        Rule::RequestPropertyStabilityIncreased,
        NonBreaking,
        Rule::RequestPropertyStabilityDecreased,
    ),
    (
        Rule::ResponsePropertyStabilityIncreased,
        NonBreaking,
        Rule::ResponsePropertyStabilityDecreased,
    ),
    (
        Rule::RequestOptionalPropertyBecameNotReadOnly,
        NonBreaking,
        Rule::RequestOptionalPropertyBecameReadOnly,
    ),
    (
        Rule::RequestRequiredPropertyBecameNotReadOnly,
        Breaking,
        Rule::RequestRequiredPropertyBecameReadOnly,
    ),
    (
        Rule::RequestOptionalPropertyBecameNotWriteOnly,
        NonBreaking,
        Rule::RequestOptionalPropertyBecameWriteOnly,
    ),
    (
        Rule::RequestRequiredPropertyBecameNotWriteOnly,
        NonBreaking,
        Rule::RequestRequiredPropertyBecameWriteOnly,
    ),
    (
        Rule::ResponseOptionalPropertyBecameNotReadOnly,
        NonBreaking,
        Rule::ResponseOptionalPropertyBecameReadOnly,
    ),
    (
        Rule::ResponseRequiredPropertyBecameNotReadOnly,
        NonBreaking,
        Rule::ResponseRequiredPropertyBecameReadOnly,
    ),
    (
        Rule::ResponseOptionalPropertyBecameNotWriteOnly,
        NonBreaking,
        Rule::ResponseOptionalPropertyBecameWriteOnly,
    ),
    (
        Rule::ResponseRequiredPropertyBecameNotWriteOnly,
        NonBreaking,
        Rule::ResponseRequiredPropertyBecameWriteOnly,
    ),
    (
        Rule::RequestBodyMediaTypeSchemaAdded,
        Breaking,
        Rule::RequestBodyMediaTypeSchemaRemoved,
    ),
    (
        Rule::ResponseBodyMediaTypeSchemaAdded,
        NonBreaking,
        Rule::ResponseBodyMediaTypeSchemaRemoved,
    ),
    (Rule::ApiSecurityScopeRemoved, NonBreaking, Rule::ApiSecurityScopeAdded),
];

/// `(rule, level, edits to the base fixture, further edits that make the head)`: for changes that
/// need something in the base first (a deprecated parameter to remove, a sunset to move).
type Staged = (
    Rule,
    Level,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const TRACE: &str = "          description: A trace id.\n";
const LIST: &str = "      operationId: list_things\n";
const NAME: &str = "          description: The name.\n";
const NAME_BLOCK: &str = "        name:\n          description: The name.\n          type: string\n          minLength: 1\n          maxLength: 200\n";
const LABEL: &str = "          description: A label.\n";
const LABEL_BLOCK: &str = "        label:\n          description: A label.\n          type: string\n";
const FOUND: &str = "        '422':\n          description: Invalid.\n";

const STAGED: &[Staged] = &[
    (
        Rule::RequestBodyBecameRequired,
        Breaking,
        &[(
            "      requestBody:\n        required: true\n",
            "      requestBody:\n        required: false\n",
        )],
        &[(
            "      requestBody:\n        required: false\n",
            "      requestBody:\n        required: true\n",
        )],
    ),
    (
        Rule::ApiOperationIdAdded,
        NonBreaking,
        &[("    get:\n      operationId: list_things\n", "    get:\n")],
        &[("    get:\n", "    get:\n      operationId: list_things\n")],
    ),
    (
        Rule::ApiPathRemovedBeforeSunset,
        Breaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
        &[("  /things/search:\n", "  /things/found:\n")],
    ),
    (
        Rule::ApiPathRemovedWithDeprecation,
        NonBreaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      deprecated: true\n      x-sunset: '2001-01-01'\n",
        )],
        &[("  /things/search:\n", "  /things/found:\n")],
    ),
    (
        Rule::ApiPathSunsetParse,
        Breaking,
        &[(
            "      operationId: search_things\n",
            "      operationId: search_things\n      deprecated: true\n      x-sunset: 'soon'\n",
        )],
        &[("  /things/search:\n", "  /things/found:\n")],
    ),
    (
        Rule::ApiRemovedBeforeSunset,
        Breaking,
        &[(
            LIST,
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
        &[(
            "    get:\n      operationId: list_things",
            "    trace:\n      operationId: list_things",
        )],
    ),
    (
        Rule::ApiRemovedWithDeprecation,
        NonBreaking,
        &[(LIST, "      operationId: list_things\n      deprecated: true\n")],
        &[(
            "    get:\n      operationId: list_things",
            "    trace:\n      operationId: list_things",
        )],
    ),
    (
        Rule::RequestParameterRemovedWithDeprecation,
        NonBreaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n",
        )],
        &[(
            "        - name: X-Trace\n          in: header\n          required: false\n          description: A trace id.\n          deprecated: true\n          schema:\n            type: string\n",
            "",
        )],
    ),
    (
        Rule::RequestParameterRemovedBeforeSunset,
        Breaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[(
            "        - name: X-Trace\n          in: header\n          required: false\n          description: A trace id.\n          deprecated: true\n          x-sunset: '2999-12-31'\n          schema:\n            type: string\n",
            "",
        )],
    ),
    (
        Rule::RequestParameterSunsetParse,
        Breaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n          x-sunset: 'soon'\n",
        )],
        &[(
            "        - name: X-Trace\n          in: header\n          required: false\n          description: A trace id.\n          deprecated: true\n          x-sunset: 'soon'\n          schema:\n            type: string\n",
            "",
        )],
    ),
    (
        Rule::RequestParameterSunsetDeleted,
        Breaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("          x-sunset: '2999-12-31'\n", "")],
    ),
    (
        Rule::RequestParameterSunsetDateChangedEarlier,
        Breaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2998-06-30")],
    ),
    (
        Rule::RequestParameterSunsetDateChangedTooSmall,
        Breaking,
        &[(
            TRACE,
            "          description: A trace id.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2001-01-01")],
    ),
    (
        Rule::SunsetDeleted,
        Breaking,
        &[(
            LIST,
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
        &[("      x-sunset: '2999-12-31'\n", "")],
    ),
    (
        Rule::ApiSunsetDateChangedEarlier,
        Breaking,
        &[(
            LIST,
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2998-06-30")],
    ),
    (
        Rule::ApiSunsetDateChangedTooSmall,
        Breaking,
        &[(
            LIST,
            "      operationId: list_things\n      deprecated: true\n      x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2001-01-01")],
    ),
    (
        Rule::RequestPropertySunsetDeleted,
        Breaking,
        &[(
            NAME,
            "          description: The name.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("          x-sunset: '2999-12-31'\n", "")],
    ),
    (
        Rule::RequestPropertySunsetDateChangedEarlier,
        Breaking,
        &[(
            NAME,
            "          description: The name.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2998-06-30")],
    ),
    (
        Rule::RequestPropertySunsetDateChangedTooSmall,
        Breaking,
        &[(
            NAME,
            "          description: The name.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2001-01-01")],
    ),
    (
        Rule::ResponsePropertySunsetDeleted,
        Breaking,
        &[(
            LABEL,
            "          description: A label.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("          x-sunset: '2999-12-31'\n", "")],
    ),
    (
        Rule::ResponsePropertySunsetDateChangedEarlier,
        Breaking,
        &[(
            LABEL,
            "          description: A label.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2998-06-30")],
    ),
    (
        Rule::ResponsePropertySunsetDateChangedTooSmall,
        Breaking,
        &[(
            LABEL,
            "          description: A label.\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[("2999-12-31", "2001-01-01")],
    ),
    (
        Rule::RequestPropertyRemovedBeforeSunset,
        Breaking,
        &[(
            NAME_BLOCK,
            "        name:\n          description: The name.\n          type: string\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[(
            "        name:\n          description: The name.\n          type: string\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
            "",
        )],
    ),
    (
        Rule::RequestPropertyRemovedWithDeprecation,
        NonBreaking,
        &[(
            NAME_BLOCK,
            "        name:\n          description: The name.\n          type: string\n          deprecated: true\n",
        )],
        &[(
            "        name:\n          description: The name.\n          type: string\n          deprecated: true\n",
            "",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyRemovedBeforeSunset,
        Breaking,
        &[(
            LABEL_BLOCK,
            "        label:\n          description: A label.\n          type: string\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
        )],
        &[(
            "        label:\n          description: A label.\n          type: string\n          deprecated: true\n          x-sunset: '2999-12-31'\n",
            "",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyRemovedWithDeprecation,
        NonBreaking,
        &[(
            LABEL_BLOCK,
            "        label:\n          description: A label.\n          type: string\n          deprecated: true\n",
        )],
        &[(
            "        label:\n          description: A label.\n          type: string\n          deprecated: true\n",
            "",
        )],
    ),
    (
        Rule::ResponseOptionalPropertyRemoved,
        NonBreaking,
        &[],
        &[(
            "        message:\n          description: What went wrong.\n          type: string\n",
            "",
        )],
    ),
    (
        Rule::ResponseRequiredPropertyAdded,
        NonBreaking,
        &[],
        &[(
            "      required: [id, kind, label]\n      properties:\n",
            "      required: [id, kind, label, extra]\n      properties:\n        extra:\n          description: More.\n          type: string\n",
        )],
    ),
    (
        Rule::RequiredResponseHeaderRemoved,
        Breaking,
        &[(
            FOUND,
            "        '422':\n          description: Invalid.\n          headers:\n            Retry-After: {required: true, schema: {type: integer}}\n",
        )],
        &[(
            "            Retry-After: {required: true, schema: {type: integer}}\n",
            "            Other: {schema: {type: integer}}\n",
        )],
    ),
    (
        Rule::OptionalResponseHeaderRemoved,
        NonBreaking,
        &[(
            FOUND,
            "        '422':\n          description: Invalid.\n          headers:\n            Retry-After: {schema: {type: integer}}\n",
        )],
        &[(
            "            Retry-After: {schema: {type: integer}}\n",
            "            Other: {schema: {type: integer}}\n",
        )],
    ),
    (
        Rule::ResponseHeaderBecameOptional,
        Breaking,
        &[(
            FOUND,
            "        '422':\n          description: Invalid.\n          headers:\n            Retry-After: {required: true, schema: {type: integer}}\n",
        )],
        &[(
            "            Retry-After: {required: true, schema: {type: integer}}\n",
            "            retry-after: {schema: {type: integer}}\n",
        )],
    ),
    (
        Rule::NewRequestPathParameter,
        Breaking,
        &[(
            "components:\n",
            "  /things/{id}:\n    get:\n      operationId: get_thing\n      summary: Get\n      description: Gets.\n      responses:\n        '200':\n          description: The thing.\ncomponents:\n",
        )],
        &[(
            "      operationId: get_thing\n",
            "      operationId: get_thing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n",
        )],
    ),
    (
        Rule::ApiSecurityComponentHttpSchemeChanged,
        Breaking,
        &[(
            "      type: apiKey\n      in: header\n      name: Authorization\n",
            "      type: http\n      scheme: basic\n",
        )],
        &[("      scheme: basic\n", "      scheme: bearer\n")],
    ),
    (
        Rule::ApiSecurityComponentBearerFormatChanged,
        NonBreaking,
        &[(
            "      type: apiKey\n      in: header\n      name: Authorization\n",
            "      type: http\n      scheme: bearer\n      bearerFormat: JWT\n",
        )],
        &[("      bearerFormat: JWT\n", "      bearerFormat: opaque\n")],
    ),
];

fn apply(mut text: String, edits: &[(&str, &str)], rule: Rule) -> String {
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{}: the fixture no longer contains {from:?}",
            rule.id()
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// An unpinned pair: a made case, one read backwards, or a staged one.
fn made_pair(rule: Rule) -> Option<(String, String, Level)> {
    if let Some(case) = MADE.iter().find(|c| c.0 == rule) {
        return Some((base_fixture(), apply(base_fixture(), case.2, rule), case.1));
    }
    if let Some((_, level, of)) = MADE_REVERSED.iter().find(|r| r.0 == rule) {
        let case = MADE.iter().find(|c| c.0 == *of)?;
        return Some((apply(base_fixture(), case.2, rule), base_fixture(), *level));
    }
    let (_, level, first, then) = STAGED.iter().find(|c| c.0 == rule)?;
    let base = apply(base_fixture(), first, rule);
    let head = apply(base.clone(), then, rule);
    Some((base, head, *level))
}

/// The deprecation policy a made pair is compared under: none, but for the rules that only a policy raises.
fn policy_for(rule: Rule) -> openapi_toolkit::diff::DeprecationPolicy {
    let mut policy = openapi_toolkit::diff::DeprecationPolicy::default();
    if rule.id().ends_with("-sunset-missing") {
        policy.stable_days = 30;
    }
    policy
}

/// Every rule of the registry has a fixture pair that yields a change of that rule at its level:
/// a case here (both reports pinned), a case read backwards, or, for a schema rule without a
/// case, a pair made for its direction. A new rule without one fails this test.
#[test]
fn every_rule_has_a_fixture_pair() {
    let ids: std::collections::BTreeSet<String> = CASES.iter().map(|c| c.0.id()).collect();
    assert_eq!(ids.len(), CASES.len(), "two cases for one rule");
    // Every rule is tried and every miss listed, so one run shows all that a change of the diff broke.
    let mut misses = Vec::new();
    for rule in Rule::all() {
        let id = rule.id();
        let (base, head, level, pinned) = match (pair_of(rule), made_pair(rule), rule) {
            (Some((base, head, level)), _, _) => (base, head, level, true),
            (None, Some((base, head, level)), _) => (base, head, level, false),
            (None, None, Rule::Schema(place, schema_rule)) => {
                let (base, head) = schema_pair(place, schema_rule);
                (base, head, rule.level(), false)
            }
            (None, None, _) => {
                misses.push(format!("{id} has no fixture: add a case to CASES, MADE or STAGED"));
                continue;
            }
        };
        if level != rule.level() {
            misses.push(format!(
                "{id}: the fixture's level {level:?} is not the registry's {:?}",
                rule.level()
            ));
            continue;
        }
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
            openapi_toolkit::diff::compare_with(
                Pair {
                    base: &base,
                    head: &head,
                },
                policy_for(rule),
            )
        };
        if !report.changes.iter().any(|c| c.rule == rule && c.level == level) {
            misses.push(format!(
                "{id}: expected a {level:?} change of this rule, got:\n{}",
                render(&report, Format::Text)
            ));
            continue;
        }
        if pinned {
            insta::assert_snapshot!(format!("diff_{id}"), render(&report, Format::Text));
            insta::assert_snapshot!(format!("diff_{id}_markdown"), render(&report, Format::Markdown));
        }
    }
    assert!(
        misses.is_empty(),
        "{} rule(s) without their change:\n{}",
        misses.len(),
        misses.join("\n")
    );
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
    let breaking = head_of(case_of(Rule::ResponseRequiredPropertyRemoved).unwrap());
    let additive = head_of(case_of(Rule::ResponseOptionalPropertyAdded).unwrap());
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
    assert_eq!(json["changes"][0]["level"], "ERR");
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
            (RemoveProperty, Response) => (true, "response-required-property-removed"),
            (AddRequiredProperty, Request) => (true, "new-required-request-property"),
            (AddRequiredProperty, Response) => (closed, "response-required-property-added"),
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
            // A required one: removing an optional response property is INFO, as oasdiff has it.
            let removable: Vec<String> = properties.iter().filter(|p| required.contains(*p)).cloned().collect();
            let name = rng.pick(&removable)?.clone();
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
        let breaking = changes.iter().any(|c| c.level == Level::Err);
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

/// Every `cargo xtask` command of the pull-request workflow, with `$BASE_REF` as `HEAD` and the
/// output redirection dropped, parses with today's flags and succeeds on this repository's spec.
#[test]
fn the_workflow_runs_what_the_tests_run() {
    use clap::Parser;
    let path = crate::project_root().join(".github/workflows/contract-review.yml");
    let workflow: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut commands = Vec::new();
    for job in workflow["jobs"].as_object().unwrap().values() {
        for step in job["steps"].as_array().unwrap() {
            for line in step["run"].as_str().unwrap_or_default().lines() {
                if let Some(rest) = line.trim().strip_prefix("cargo xtask ") {
                    let command = rest
                        .split(" > ")
                        .next()
                        .unwrap()
                        .replace("\"origin/$BASE_REF\"", "HEAD");
                    commands.push(command);
                }
            }
        }
    }
    commands.sort();
    assert_eq!(
        commands,
        ["diff HEAD --format markdown", "lint --deny-warnings --format sarif"],
        "the workflow's commands changed: test the new ones here"
    );
    for command in &commands {
        let args = std::iter::once("xtask").chain(command.split_whitespace());
        let cli = crate::Cli::try_parse_from(args).unwrap_or_else(|err| panic!("{command}: {err}"));
        let result = match &cli.command {
            crate::Command::Lint(args) => {
                openapi_toolkit::cli::lint(args, &crate::context()).map_err(anyhow::Error::from)
            }
            crate::Command::Diff(args) => super::run(args),
            _ => unreachable!("{command}"),
        };
        result.unwrap_or_else(|err| panic!("{command}: {err:#}"));
    }
}

#[test]
fn the_markdown_report_fits_a_pull_request_comment() {
    use openapi_toolkit::diff::Change;
    let base = Document::parse("base.yaml", base_fixture()).unwrap();
    let mut report = openapi_toolkit::diff::compare(Pair {
        base: &base,
        head: &base,
    });
    report.changes = (0..5_000)
        .map(|i| Change {
            level: Level::Err,
            operation: format!("GET /things/{i}"),
            location: "200 response body: a.rather.long.path.through.shared.schemas".into(),
            rule: Rule::ResponseRequiredPropertyRemoved,
            message: "the required `a.rather.long.path.through.shared.schemas` was removed from the response".into(),
            pointer: format!("/components/schemas/Thing{i}/properties/label"),
            operations: Default::default(),
            breaks: Vec::new(),
            accepted: None,
        })
        .collect();
    let markdown = render(&report, Format::Markdown);
    assert!(markdown.len() <= 65_536, "{} characters", markdown.len());
    assert!(markdown.contains("more change(s) not shown"), "the cut is said");
    assert!(
        markdown.starts_with("**Contract diff**"),
        "the summary stays at the top"
    );
}

/// A change to a schema that several operations share is one change, at the component, listing
/// the operations it reaches; an inline schema's change stays with its operation.
#[test]
fn a_shared_schema_change_is_reported_once_with_its_operations() {
    let base = base_fixture();
    let head = head_of(case_of(Rule::Schema(Response, SchemaRule::TypeChanged)).unwrap());
    let (base, head) = (
        Document::parse("base.yaml", base).unwrap(),
        Document::parse("head.yaml", head).unwrap(),
    );
    let report = openapi_toolkit::diff::compare(Pair {
        base: &base,
        head: &head,
    });
    let changes: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::Schema(Response, SchemaRule::TypeChanged))
        .collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].operation, "schema Thing");
    let operations: Vec<&str> = changes[0].operations.iter().map(String::as_str).collect();
    assert_eq!(operations, ["GET /things", "POST /things", "POST /things/search"]);
    assert!(render(&report, Format::Markdown).contains("affects `GET /things`, `POST /things`, `POST /things/search`"));
}

/// `docs/contract-change-example.md` shows the report of the change that added list, get, update and delete to
/// create. Both sides are kept as fixtures (the spec at b4a3b2e, and as the change left it), and the report is
/// rerun here, so that the page cannot drift from what the tool says about them.
#[test]
fn the_worked_example_is_the_diff_of_its_two_specs() {
    let fixture = |name: &str| {
        let path = crate::project_root()
            .join("xtask/tests/fixtures/worked-example")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    };
    let report = compare(
        "openapi/dialog.yaml at b4a3b2e",
        &fixture("base.yaml"),
        "openapi/dialog.yaml at 1.1.0",
        &fixture("head.yaml"),
    )
    .unwrap();
    assert_eq!(report.breaking(), 0, "adding operations breaks nothing");
    let markdown = render(&report, Format::Markdown);
    let page = std::fs::read_to_string(crate::project_root().join("docs/contract-change-example.md")).unwrap();
    assert!(
        page.contains(markdown.trim()),
        "docs/contract-change-example.md no longer shows the report; it is now:\n\n{markdown}"
    );
}
