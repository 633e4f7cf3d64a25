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

macro_rules! rules {
    ($($variant:ident => ($id:literal, $severity:ident, $area:ident, $description:literal),)*) => {
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

            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
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
}

rules! {
    OpenapiVersion => ("openapi-version", Error, Document, "the document is OpenAPI 3.0.x (the generator reads no 3.1)"),
    RefResolves => ("ref-resolves", Error, Document, "every `$ref` points at something in this document"),
    Servers => ("servers", Error, Document, "the document lists at least one server"),
    OperationId => ("operation-id", Error, Operation, "every operation has an operationId, unique and snake_case"),
    OperationSummary => ("operation-summary", Warning, Operation, "every operation has a summary"),
    OperationDescription => ("operation-description", Warning, Operation, "every operation has a description"),
    OperationSecurity => ("operation-security", Error, Security, "every operation declares security, naming schemes that exist"),
    SchemaDescription => ("schema-description", Warning, Schema, "every component schema and every property has a description"),
    ExampleValid => ("example-valid", Error, Example, "every example validates against its schema"),
    ExtraFieldsDropped => ("extra-fields-dropped", Warning, Schema, "an object with properties says what happens to other fields"),
    ErrorSchemasDiffer => ("error-schemas-differ", Error, Response, "one operation's error responses share one schema (progenitor panics otherwise)"),
    RequestMediaTypes => ("request-media-types", Error, RequestBody, "a request body has one media type (the generator takes one)"),
    AuthorizationHeaderParameter => ("authorization-header-parameter", Error, Parameter, "no `Authorization` header parameter (OpenAPI ignores it; use a security scheme)"),
    DefaultResponseBody => ("default-response-body", Warning, Response, "a `default` response has a body"),
    DuplicateKey => ("duplicate-key", Error, Document, "no mapping names a key twice (YAML forbids it; readers disagree on which value wins)"),
    PathParameters => ("path-parameters", Error, Parameter, "each `{name}` of a path template is a declared `in: path` parameter, and each path parameter is in the template"),
    SchemaCycle => ("schema-cycle", Error, Schema, "no cycle of aliases, allOf members and required properties without a base case (no finite value has such a type)"),
}
