//! The lint's rule registry: every rule a value with its id, severity, area and description, so
//! that a misspelt rule does not compile and `lint --rules` lists them from the same source.

/// How much a finding matters: errors fail the check, warnings only with `--deny-warnings`, and
/// information never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// The part of a document a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Document,
    Operation,
    Security,
    Parameter,
    RequestBody,
    Response,
    Schema,
    Example,
}

impl Area {
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Operation => "operation",
            Self::Security => "security",
            Self::Parameter => "parameter",
            Self::RequestBody => "request",
            Self::Response => "response",
            Self::Schema => "schema",
            Self::Example => "example",
        }
    }
}

/// Why a rule exists: OpenAPI correctness (or a trap every reader of the document falls into), or this project's
/// taste (its generator, its documentation standard), which another team's document need not follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Correctness,
    HouseStyle,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Correctness => "correctness",
            Self::HouseStyle => "house-style",
        }
    }
}

/// A rule's level in a ruleset: off, or on at a severity.
pub type Level = Option<Severity>;

/// The name of a level as a configuration writes it: `off`, `info`, `warning` or `error`.
pub fn level_name(level: Level) -> &'static str {
    level.map_or("off", Severity::name)
}

/// Reads a level's name, as `level_name` writes it.
pub fn parse_level(name: &str) -> Option<Level> {
    match name.to_ascii_lowercase().as_str() {
        "off" => Some(None),
        "info" => Some(Some(Severity::Info)),
        "warning" | "warn" => Some(Some(Severity::Warning)),
        "error" | "err" => Some(Some(Severity::Error)),
        _ => None,
    }
}

macro_rules! rules {
    ($($variant:ident => ($id:literal, $severity:ident, $recommended:ident, $kind:ident, $area:ident, $description:literal),)*) => {
        /// A lint rule. Its id is what findings, fixtures and `--rules` show.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order `lint --rules` lists them.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The rule's severity when it is on: this project's (strict) level.
            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            /// The level another team gets without a configuration: off for house style, as Redocly's and
            /// Spectral's recommended rulesets leave their taste rules off.
            pub fn default_level(self) -> Level {
                match self {
                    $(Rule::$variant => rules!(@level $recommended),)*
                }
            }

            pub fn kind(self) -> Kind {
                match self {
                    $(Rule::$variant => Kind::$kind,)*
                }
            }

            pub fn area(self) -> Area {
                match self {
                    $(Rule::$variant => Area::$area,)*
                }
            }

            /// What the rule checks, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(Rule::$variant => $description,)*
                }
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                Self::ALL.iter().copied().find(|rule| rule.id() == id)
            }
        }
    };
    (@level Off) => { None };
    (@level $severity:ident) => { Some(Severity::$severity) };
}

rules! {
    OpenapiVersion => ("openapi-version", Error, Error, Correctness, Document, "the document declares an OpenAPI version the toolkit reads: 3.0.x, 3.1.x or 3.2.x"),
    RefResolves => ("ref-resolves", Error, Error, Correctness, Document, "every `$ref` points at something in this document or a file beside it"),
    Servers => ("servers", Error, Warning, Correctness, Document, "the document lists at least one server"),
    OperationId => ("operation-id", Error, Error, Correctness, Operation, "every operation has an operationId, unique in the document"),
    OperationIdSnakeCase => ("operation-id-snake-case", Error, Off, HouseStyle, Operation, "operationIds are snake_case (the generated method names)"),
    OperationSummary => ("operation-summary", Warning, Warning, Correctness, Operation, "every operation has a summary"),
    OperationDescription => ("operation-description", Warning, Off, HouseStyle, Operation, "every operation has a description"),
    OperationSecurity => ("operation-security", Error, Error, Correctness, Security, "every operation declares security, naming schemes that exist"),
    SecurityScopes => ("security-scopes", Error, Error, Correctness, Security, "a security requirement lists scopes only for an oauth2 or openIdConnect scheme (OpenAPI 3.0: otherwise the list MUST be empty)"),
    Operation4xxResponse => ("operation-4xx-response", Warning, Warning, Correctness, Response, "every operation describes at least one 4xx response"),
    AmbiguousPaths => ("ambiguous-paths", Error, Error, Correctness, Document, "no two path templates match the same URL without one being more specific (`/a/{x}` and `/a/{y}`)"),
    SchemaDescription => ("schema-description", Warning, Off, HouseStyle, Schema, "every component schema and every property has a description"),
    NullableType => ("nullable-type", Warning, Warning, Correctness, Schema, "`nullable` comes with a `type` in the same schema (OpenAPI 3.0.3: otherwise it has no effect)"),
    ExampleValid => ("example-valid", Error, Error, Correctness, Example, "every example validates against its schema"),
    ExampleUnchecked => ("example-unchecked", Warning, Info, Correctness, Example, "a schema the example check cannot translate exactly, said once at that schema"),
    ExampleUndeclaredProperty => ("example-undeclared-property", Warning, Warning, Correctness, Example, "an example's object has only properties its schema declares, where the schema does not say `additionalProperties`"),
    ExtraFieldsDropped => ("extra-fields-dropped", Warning, Off, HouseStyle, Schema, "an object with properties says what happens to other fields (typify drops them silently)"),
    ErrorSchemasDiffer => ("error-schemas-differ", Error, Off, HouseStyle, Response, "one operation's error responses share one schema (progenitor panics otherwise)"),
    RequestMediaTypes => ("request-media-types", Error, Off, HouseStyle, RequestBody, "a request body has one media type (progenitor takes one)"),
    AuthorizationHeaderParameter => ("authorization-header-parameter", Error, Warning, Correctness, Parameter, "no `Authorization` header parameter (OpenAPI ignores it; use a security scheme)"),
    DefaultResponseBody => ("default-response-body", Warning, Off, HouseStyle, Response, "a `default` response has a body"),
    DuplicateKey => ("duplicate-key", Error, Error, Correctness, Document, "no mapping names a key twice (YAML forbids it; readers disagree on which value wins)"),
    PathParameters => ("path-parameters", Error, Error, Correctness, Parameter, "each `{name}` of a path template is a declared `in: path` parameter, and each path parameter is in the template"),
    VersionKeyword => ("version-keyword", Error, Error, Correctness, Schema, "every keyword and field belongs to the document's OpenAPI version: no `nullable` in 3.1, no type list, `const`, `prefixItems` or `webhooks` in 3.0"),
    SchemaExampleDeprecated => ("schema-example-deprecated", Info, Info, Correctness, Schema, "a 3.1 schema gives its examples as the `examples` list (`example` is deprecated there)"),
    SchemaCycle => ("schema-cycle", Error, Error, Correctness, Schema, "no cycle of aliases, allOf members and required properties without a base case (no finite value has such a type)"),
    Structure => ("structure", Error, Error, Correctness, Document, "the document has the structure the official OpenAPI JSON Schema of its version describes, and the MUSTs a schema cannot say (an array schema has `items`)"),
    UnusedComponent => ("unused-component", Warning, Warning, Correctness, Document, "every component is referred to by some `$ref`"),
    UnusedSecurityScheme => ("unused-security-scheme", Warning, Warning, Correctness, Security, "every security scheme is named by some security requirement"),
    ServerTrailingSlash => ("server-trailing-slash", Warning, Warning, Correctness, Document, "no server URL ends in `/` (joined with a path it gives `//`)"),
    RefSiblings => ("ref-siblings", Warning, Warning, Correctness, Document, "nothing is written beside a `$ref` (OpenAPI 3.0 ignores it)"),
    Operation2xxResponse => ("operation-2xx-response", Warning, Warning, Correctness, Response, "every operation describes at least one 2xx response"),
    OperationTags => ("operation-tags", Warning, Warning, Correctness, Operation, "every operation has at least one tag"),
    UndeclaredTag => ("undeclared-tag", Warning, Warning, Correctness, Operation, "every tag an operation uses is declared in the document's `tags`"),
    EnumDefault => ("enum-default", Error, Error, Correctness, Schema, "a schema's `default` is one of its `enum` values"),
    ReadWriteOnly => ("read-write-only", Error, Error, Correctness, Schema, "no schema is both `readOnly` and `writeOnly`"),
    TypeFormat => ("type-format", Error, Error, Correctness, Schema, "a `format` describes a value of the schema's `type` (no `integer` with `format: date-time`)"),
    MediaTypeKey => ("media-type-key", Error, Error, Correctness, Document, "every key of a `content` map is a media type (`application/json`, not `application-json`)"),
    AllOfTypes => ("allof-types", Error, Error, Correctness, Schema, "the members of an `allOf` do not require different types (a string and an integer)"),
    MinGreaterThanMax => ("min-max", Error, Error, Correctness, Schema, "no lower bound exceeds its upper bound (`minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`)"),
    IgnoredHeaderParameter => ("ignored-header-parameter", Warning, Warning, Correctness, Parameter, "no `Content-Type` or `Accept` header parameter (OpenAPI 3.0 ignores them; use `content`)"),
    RequiredUndeclared => ("required-undeclared", Warning, Warning, Correctness, Schema, "every name in `required` is among the schema's `properties`, unless other properties are allowed"),
    EnumValues => ("enum-values", Error, Error, Correctness, Schema, "an enum lists each value once, and only values of the schema's `type` (`null` only when `nullable`)"),
    PathKey => ("path-key", Warning, Warning, Correctness, Document, "a path has no trailing `/` and no query string"),
}

/// The level of every rule: the recommended defaults, this project's strict set, or a configuration's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ruleset {
    levels: std::collections::BTreeMap<Rule, Level>,
}

impl Ruleset {
    /// Each rule at its default level: what another team gets.
    pub fn recommended() -> Self {
        Self {
            levels: Rule::ALL.iter().map(|rule| (*rule, rule.default_level())).collect(),
        }
    }

    /// Each rule at its own severity, house style included: this project's ruleset.
    pub fn strict() -> Self {
        Self {
            levels: Rule::ALL.iter().map(|rule| (*rule, Some(rule.severity()))).collect(),
        }
    }

    /// Only the rules whose default level is an error, at that level.
    pub fn minimal() -> Self {
        Self {
            levels: Rule::ALL
                .iter()
                .map(|rule| (*rule, rule.default_level().filter(|l| *l == Severity::Error)))
                .collect(),
        }
    }

    pub fn level(&self, rule: Rule) -> Level {
        self.levels.get(&rule).copied().flatten()
    }

    pub fn is_on(&self, rule: Rule) -> bool {
        self.level(rule).is_some()
    }

    /// Overrides one rule's level (a configuration's entry).
    pub fn set(&mut self, rule: Rule, level: Level) -> &mut Self {
        self.levels.insert(rule, level);
        self
    }
}

/// A ruleset a configuration can start from (`extends:`), as Redocly's `recommended`, `recommended-strict` and
/// `minimal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// Each rule at its default level, house style off: what another team gets.
    Recommended,
    /// Each rule at its own severity, house style included: this project's.
    Strict,
    /// Only the rules whose default is an error: what cannot be argued about.
    Minimal,
}

impl Base {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "recommended" => Some(Self::Recommended),
            "strict" => Some(Self::Strict),
            "minimal" => Some(Self::Minimal),
            _ => None,
        }
    }

    pub fn ruleset(self) -> Ruleset {
        match self {
            Self::Recommended => Ruleset::recommended(),
            Self::Strict => Ruleset::strict(),
            Self::Minimal => Ruleset::minimal(),
        }
    }
}

impl Default for Ruleset {
    fn default() -> Self {
        Self::recommended()
    }
}
