//! The diff's rule registry: every kind of change a value with its id, level, direction, area and
//! description, so that a misspelt rule does not compile and `diff --rules` lists them all.
//!
//! Ids follow oasdiff's where it has one. Schema rules exist once per direction, since the same
//! edit breaks a client on one side and not on the other.

use std::fmt;

use serde::{Serialize, Serializer};

use super::model::Level;

/// Which way data flows through what changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// What clients send: tightening breaks them.
    Request,
    /// What clients receive: loosening breaks them.
    Response,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Self::Request, Self::Response];

    pub fn name(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Response => "response",
        }
    }

    /// The level of a change that makes the schema accept less.
    pub fn tightening(self) -> Level {
        match self {
            Self::Request => Level::Breaking,
            Self::Response => Level::NonBreaking,
        }
    }

    /// The level of a change that makes the schema accept more.
    pub fn loosening(self) -> Level {
        match self {
            Self::Request => Level::NonBreaking,
            Self::Response => Level::Breaking,
        }
    }
}

/// The part of the document a rule compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Document,
    Security,
    Path,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Schema,
}

impl Area {
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Security => "security",
            Self::Path => "path",
            Self::Operation => "operation",
            Self::Parameter => "parameter",
            Self::RequestBody => "body",
            Self::Response => "response",
            Self::MediaType => "media type",
            Self::Schema => "schema",
        }
    }
}

/// A numeric or size bound of a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    MaxLength,
    Max,
    MaxItems,
    MaxProperties,
    MinLength,
    Min,
    MinItems,
    MinProperties,
}

impl Bound {
    pub const ALL: [Bound; 8] = [
        Self::MaxLength,
        Self::Max,
        Self::MaxItems,
        Self::MaxProperties,
        Self::MinLength,
        Self::Min,
        Self::MinItems,
        Self::MinProperties,
    ];

    /// The schema keyword, such as `maxLength`.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::MaxLength => "maxLength",
            Self::Max => "maximum",
            Self::MaxItems => "maxItems",
            Self::MaxProperties => "maxProperties",
            Self::MinLength => "minLength",
            Self::Min => "minimum",
            Self::MinItems => "minItems",
            Self::MinProperties => "minProperties",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Self::MaxLength => "max-length",
            Self::Max => "max",
            Self::MaxItems => "max-items",
            Self::MaxProperties => "max-properties",
            Self::MinLength => "min-length",
            Self::Min => "min",
            Self::MinItems => "min-items",
            Self::MinProperties => "min-properties",
        }
    }

    pub fn is_max(self) -> bool {
        matches!(self, Self::MaxLength | Self::Max | Self::MaxItems | Self::MaxProperties)
    }
}

/// How a bound changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BoundChange {
    Set,
    Unset,
    Decreased,
    Increased,
}

impl BoundChange {
    pub const ALL: [BoundChange; 4] = [Self::Set, Self::Unset, Self::Decreased, Self::Increased];

    fn id(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::Unset => "unset",
            Self::Decreased => "decreased",
            Self::Increased => "increased",
        }
    }
}

/// A change inside a schema, named once for both directions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchemaRule {
    TypeChanged,
    FormatChanged,
    BecameNullable,
    BecameNotNullable,
    EnumValueRemoved,
    EnumValueAdded,
    EnumSet,
    EnumUnset,
    Bound(Bound, BoundChange),
    PatternAdded,
    PatternRemoved,
    PatternChanged,
    PropertyRemoved,
    AdditionalPropertiesDisallowed,
    AdditionalPropertiesAllowed,
    OneOfRemoved,
    OneOfAdded,
    AnyOfRemoved,
    AnyOfAdded,
}

impl SchemaRule {
    pub fn all() -> Vec<SchemaRule> {
        use SchemaRule::*;
        let mut all = vec![
            TypeChanged,
            FormatChanged,
            BecameNullable,
            BecameNotNullable,
            EnumValueRemoved,
            EnumValueAdded,
            EnumSet,
            EnumUnset,
        ];
        for bound in self::Bound::ALL {
            for change in BoundChange::ALL {
                all.push(SchemaRule::Bound(bound, change));
            }
        }
        all.extend([
            PatternAdded,
            PatternRemoved,
            PatternChanged,
            PropertyRemoved,
            AdditionalPropertiesDisallowed,
            AdditionalPropertiesAllowed,
            OneOfRemoved,
            OneOfAdded,
            AnyOfRemoved,
            AnyOfAdded,
        ]);
        all
    }

    /// The id without its direction, such as `property-type-changed`.
    fn suffix(self) -> String {
        use SchemaRule::*;
        match self {
            TypeChanged => "property-type-changed".into(),
            FormatChanged => "property-format-changed".into(),
            BecameNullable => "property-became-nullable".into(),
            BecameNotNullable => "property-became-not-nullable".into(),
            EnumValueRemoved => "property-enum-value-removed".into(),
            EnumValueAdded => "property-enum-value-added".into(),
            EnumSet => "property-enum-set".into(),
            EnumUnset => "property-enum-unset".into(),
            Bound(bound, change) => format!("property-{}-{}", bound.id(), change.id()),
            PatternAdded => "property-pattern-added".into(),
            PatternRemoved => "property-pattern-removed".into(),
            PatternChanged => "property-pattern-changed".into(),
            PropertyRemoved => "property-removed".into(),
            AdditionalPropertiesDisallowed => "additional-properties-disallowed".into(),
            AdditionalPropertiesAllowed => "additional-properties-allowed".into(),
            OneOfRemoved => "property-one-of-removed".into(),
            OneOfAdded => "property-one-of-added".into(),
            AnyOfRemoved => "property-any-of-removed".into(),
            AnyOfAdded => "property-any-of-added".into(),
        }
    }

    /// Whether the change makes the schema accept more (`Some(false)`), less (`Some(true)`), or
    /// may do both (`None`).
    fn tightens(self) -> Option<bool> {
        use SchemaRule::*;
        match self {
            TypeChanged | FormatChanged | PatternChanged => None,
            BecameNotNullable
            | EnumValueRemoved
            | EnumSet
            | PatternAdded
            | AdditionalPropertiesDisallowed
            | OneOfRemoved
            | AnyOfRemoved => Some(true),
            BecameNullable
            | EnumValueAdded
            | EnumUnset
            | PatternRemoved
            | AdditionalPropertiesAllowed
            | OneOfAdded
            | AnyOfAdded => Some(false),
            // Removing a property takes it from what a response promises; a request may still send it.
            PropertyRemoved => Some(false),
            Bound(bound, change) => Some(match change {
                BoundChange::Set => true,
                BoundChange::Unset => false,
                BoundChange::Decreased => bound.is_max(),
                BoundChange::Increased => !bound.is_max(),
            }),
        }
    }

    fn description(self) -> String {
        use SchemaRule::*;
        match self {
            TypeChanged => "a schema's `type` changed".into(),
            FormatChanged => "a schema's `format` changed".into(),
            BecameNullable => "a schema became nullable".into(),
            BecameNotNullable => "a schema is no longer nullable".into(),
            EnumValueRemoved => "an enum lost a value".into(),
            EnumValueAdded => "an enum gained a value".into(),
            EnumSet => "a schema is now limited to an enum".into(),
            EnumUnset => "a schema is no longer limited to an enum".into(),
            Bound(bound, change) => format!("`{}` was {}", bound.keyword(), change.id()),
            PatternAdded => "a string must now match a pattern".into(),
            PatternRemoved => "a string no longer has to match a pattern".into(),
            PatternChanged => "a string's pattern changed".into(),
            PropertyRemoved => "a property was removed".into(),
            AdditionalPropertiesDisallowed => "an object now refuses fields it does not name".into(),
            AdditionalPropertiesAllowed => "an object now takes fields it does not name".into(),
            OneOfRemoved => "a oneOf lost an alternative".into(),
            OneOfAdded => "a oneOf gained an alternative".into(),
            AnyOfRemoved => "an anyOf lost an alternative".into(),
            AnyOfAdded => "an anyOf gained an alternative".into(),
        }
    }
}

macro_rules! rules {
    ($($variant:ident => ($id:literal, $level:ident, $direction:expr, $area:ident, $description:literal),)*) => {
        /// A kind of change the diff reports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
            /// A change inside a schema, seen from one direction.
            Schema(Direction, SchemaRule),
        }

        impl Rule {
            const FLAT: &[Rule] = &[$(Rule::$variant,)*];

            /// The id, such as `request-property-max-length-decreased`.
            pub fn id(self) -> String {
                match self {
                    $(Rule::$variant => $id.to_string(),)*
                    Rule::Schema(direction, rule) => format!("{}-{}", direction.name(), rule.suffix()),
                }
            }

            /// The level of the change in the usual case; `exception` says when it differs.
            pub fn level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                    Rule::Schema(direction, rule) => match rule.tightens() {
                        None => Level::Breaking,
                        Some(true) => direction.tightening(),
                        Some(false) => direction.loosening(),
                    },
                }
            }

            /// Request, response, or `None` for what is neither (servers, security, operations).
            pub fn direction(self) -> Option<Direction> {
                match self {
                    $(Rule::$variant => $direction,)*
                    Rule::Schema(direction, _) => Some(direction),
                }
            }

            pub fn area(self) -> Area {
                match self {
                    $(Rule::$variant => Area::$area,)*
                    Rule::Schema(..) => Area::Schema,
                }
            }

            /// What changed, in one line.
            pub fn description(self) -> String {
                match self {
                    $(Rule::$variant => $description.to_string(),)*
                    Rule::Schema(direction, rule) => format!("{} ({} side)", rule.description(), direction.name()),
                }
            }
        }
    };
}

const REQ: Option<Direction> = Some(Direction::Request);
const RESP: Option<Direction> = Some(Direction::Response);

rules! {
    ApiServerRemoved => ("api-server-removed", Breaking, None, Document, "a server was removed"),
    ApiServerAdded => ("api-server-added", NonBreaking, None, Document, "a server was added"),
    ApiSecuritySchemeRemoved => ("api-security-scheme-removed", Breaking, None, Security, "a security scheme was removed"),
    ApiSecuritySchemeChanged => ("api-security-scheme-changed", Breaking, None, Security, "a security scheme's type, location, name or scheme changed"),
    ApiSecuritySchemeAdded => ("api-security-scheme-added", NonBreaking, None, Security, "a security scheme was added"),
    ApiPathRemoved => ("api-path-removed", Breaking, None, Path, "a path was removed"),
    ApiRemoved => ("api-removed", Breaking, None, Operation, "an operation was removed"),
    EndpointAdded => ("endpoint-added", NonBreaking, None, Operation, "a path or an operation was added"),
    ApiOperationIdChanged => ("api-operation-id-changed", Breaking, None, Operation, "an operationId changed, which renames the generated method"),
    ApiDescriptionChanged => ("api-description-changed", NonBreaking, None, Operation, "an operation's summary or description changed"),
    ApiSecurityMadeMandatory => ("api-security-made-mandatory", Breaking, REQ, Security, "an operation that took no credentials now needs them"),
    ApiSecurityRemoved => ("api-security-removed", Breaking, REQ, Security, "a security alternative of an operation was removed"),
    ApiSecurityMadeOptional => ("api-security-made-optional", NonBreaking, REQ, Security, "an operation no longer needs credentials"),
    ApiSecurityAdded => ("api-security-added", NonBreaking, REQ, Security, "a security alternative of an operation was added"),
    RequestParameterRemoved => ("request-parameter-removed", NonBreaking, REQ, Parameter, "a parameter was removed (clients that send it are ignored)"),
    RequestParameterBecameRequired => ("request-parameter-became-required", Breaking, REQ, Parameter, "an optional parameter became required"),
    RequestParameterBecameOptional => ("request-parameter-became-optional", NonBreaking, REQ, Parameter, "a required parameter became optional"),
    NewRequiredRequestParameter => ("new-required-request-parameter", Breaking, REQ, Parameter, "a required parameter was added"),
    NewOptionalRequestParameter => ("new-optional-request-parameter", NonBreaking, REQ, Parameter, "an optional parameter was added"),
    RequestBodyBecameRequired => ("request-body-became-required", Breaking, REQ, RequestBody, "a request body became required, or a required one was added"),
    RequestBodyAdded => ("request-body-added", NonBreaking, REQ, RequestBody, "an optional request body was added"),
    RequestBodyRemoved => ("request-body-removed", NonBreaking, REQ, RequestBody, "the request body was removed (clients that send one are ignored)"),
    RequestBodyBecameOptional => ("request-body-became-optional", NonBreaking, REQ, RequestBody, "a required request body became optional"),
    RequestBodyMediaTypeRemoved => ("request-body-media-type-removed", Breaking, REQ, MediaType, "a request media type was removed"),
    RequestBodyMediaTypeAdded => ("request-body-media-type-added", NonBreaking, REQ, MediaType, "a request media type was added"),
    ResponseSuccessStatusRemoved => ("response-success-status-removed", Breaking, RESP, Response, "a 2xx response status was removed"),
    ResponseNonSuccessStatusRemoved => ("response-non-success-status-removed", NonBreaking, RESP, Response, "a non-2xx response status was removed"),
    ResponseSuccessStatusAdded => ("response-success-status-added", NonBreaking, RESP, Response, "a 2xx response status was added"),
    ResponseNonSuccessStatusAdded => ("response-non-success-status-added", NonBreaking, RESP, Response, "a non-2xx response status was added"),
    ResponseMediaTypeRemoved => ("response-media-type-removed", Breaking, RESP, MediaType, "a response media type was removed"),
    ResponseMediaTypeAdded => ("response-media-type-added", NonBreaking, RESP, MediaType, "a response media type was added"),
    RequestPropertyBecameRequired => ("request-property-became-required", Breaking, REQ, Schema, "an optional request property became required"),
    RequestPropertyBecameOptional => ("request-property-became-optional", NonBreaking, REQ, Schema, "a required request property became optional"),
    ResponsePropertyBecameRequired => ("response-property-became-required", NonBreaking, RESP, Schema, "an optional response property became required"),
    ResponsePropertyBecameOptional => ("response-property-became-optional", Breaking, RESP, Schema, "a required response property became optional"),
    NewRequiredRequestProperty => ("new-required-request-property", Breaking, REQ, Schema, "a required request property was added"),
    NewOptionalRequestProperty => ("new-optional-request-property", NonBreaking, REQ, Schema, "an optional request property was added"),
    ResponsePropertyAdded => ("response-property-added", NonBreaking, RESP, Schema, "a response property was added"),
    DescriptionChanged => ("description-changed", NonBreaking, None, Schema, "a schema's description changed"),
}

impl Rule {
    /// Every rule, in the order `diff --rules` lists them.
    pub fn all() -> Vec<Rule> {
        let mut all = Self::FLAT.to_vec();
        for direction in Direction::BOTH {
            all.extend(SchemaRule::all().into_iter().map(|rule| Rule::Schema(direction, rule)));
        }
        all
    }

    /// When a change of this rule has another level than `level` says, and why.
    pub fn exception(self) -> Option<&'static str> {
        match self {
            Rule::Schema(Direction::Request, SchemaRule::PropertyRemoved) => {
                Some("breaking when the schema refuses unknown fields: clients that still send it fail")
            }
            Rule::ResponsePropertyAdded => {
                Some("breaking when the old schema refused unknown fields: clients built from it fail")
            }
            _ => None,
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Self::all().into_iter().find(|rule| rule.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// Ordered by id, as the reports list changes.
impl Ord for Rule {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id().cmp(&other.id())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id())
    }
}
