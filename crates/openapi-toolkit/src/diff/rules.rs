//! The diff's rule registry: every kind of change a value with its id, level, direction, area and
//! description, so that a misspelt rule does not compile and `diff --rules` lists them all.
//!
//! Ids follow oasdiff's where it has one. Schema rules exist once per direction, since the same
//! edit breaks a client on one side and not on the other.

use std::fmt;

use serde::{Serialize, Serializer};

use super::model::Level;
pub use super::schema::json_schema::JsonRule;

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
            Self::Request => Level::Err,
            Self::Response => Level::Info,
        }
    }

    /// The level of a change that makes the schema accept more.
    pub fn loosening(self) -> Level {
        match self {
            Self::Request => Level::Info,
            Self::Response => Level::Err,
        }
    }
}

/// Where a schema sits, which names its rules as oasdiff does: `request-body-…` for a whole
/// request body, `request-property-…` for a property inside one, and so on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    RequestBody,
    RequestProperty,
    RequestParameter,
    RequestParameterProperty,
    ResponseBody,
    ResponseProperty,
    ResponseHeader,
}

impl Place {
    pub const ALL: [Place; 7] = [
        Self::RequestBody,
        Self::RequestProperty,
        Self::RequestParameter,
        Self::RequestParameterProperty,
        Self::ResponseBody,
        Self::ResponseProperty,
        Self::ResponseHeader,
    ];

    /// The start of its rule ids, such as `request-parameter`.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::RequestBody => "request-body",
            Self::RequestProperty => "request-property",
            Self::RequestParameter => "request-parameter",
            Self::RequestParameterProperty => "request-parameter-property",
            Self::ResponseBody => "response-body",
            Self::ResponseProperty => "response-property",
            Self::ResponseHeader => "response-header",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Self::RequestBody | Self::RequestProperty | Self::RequestParameter | Self::RequestParameterProperty => {
                Direction::Request
            }
            Self::ResponseBody | Self::ResponseProperty | Self::ResponseHeader => Direction::Response,
        }
    }

    /// The place of a schema nested inside one at this place (a property of a body is a property).
    pub fn nested(self) -> Place {
        match self {
            Self::RequestBody => Self::RequestProperty,
            Self::RequestParameter => Self::RequestParameterProperty,
            Self::ResponseBody => Self::ResponseProperty,
            other => other,
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

/// Declares `SchemaRule` from one list: its unit variants with their ids, and `Bound` between the
/// two halves, so that the enum, `all()` and the ids cannot drift apart.
macro_rules! schema_rules {
    ($($before:ident => $before_id:literal,)* ; $($after:ident => $after_id:literal,)*) => {
        /// A change inside a schema, named once for every place a schema sits.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SchemaRule {
            $($before,)*
            Bound(Bound, BoundChange),
            $($after,)*
            /// A JSON Schema 2020-12 keyword family of OpenAPI 3.1 (`diff/json_schema.rs`).
            Json(JsonRule),
        }

        impl SchemaRule {
            /// Every schema rule in declaration order, each bound with each of its changes.
            pub fn all() -> Vec<SchemaRule> {
                let mut all = vec![$(Self::$before),*];
                for bound in Bound::ALL {
                    for change in BoundChange::ALL {
                        all.push(Self::Bound(bound, change));
                    }
                }
                all.extend([$(Self::$after),*]);
                all.extend(JsonRule::ALL.iter().copied().map(Self::Json));
                all
            }

            /// The id without its place, such as `max-length-decreased`.
            fn suffix(self) -> String {
                match self {
                    $(Self::$before => $before_id.into(),)*
                    Self::Bound(bound, change) => format!("{}-{}", bound.id(), change.id()),
                    $(Self::$after => $after_id.into(),)*
                    Self::Json(rule) => rule.suffix().into(),
                }
            }
        }
    };
}

schema_rules! {
    TypeChanged => "type-changed",
    TypeGeneralized => "type-generalized",
    TypeSpecialized => "type-specialized",
    BecameNullable => "became-nullable",
    BecameNotNullable => "became-not-nullable",
    EnumValueRemoved => "enum-value-removed",
    EnumValueAdded => "enum-value-added",
    BecameEnum => "became-enum",
    BecameNotEnum => "became-not-enum",
    XExtensibleEnumValueRemoved => "x-extensible-enum-value-removed",
    ;
    ExclusiveMaxSet => "exclusive-max-set",
    ExclusiveMaxUnset => "exclusive-max-unset",
    ExclusiveMinSet => "exclusive-min-set",
    ExclusiveMinUnset => "exclusive-min-unset",
    MultipleOfSet => "multiple-of-set",
    MultipleOfUnset => "multiple-of-unset",
    MultipleOfGeneralized => "multiple-of-generalized",
    MultipleOfSpecialized => "multiple-of-specialized",
    MultipleOfChanged => "multiple-of-changed",
    UniqueItemsSet => "unique-items-set",
    UniqueItemsUnset => "unique-items-unset",
    PatternAdded => "pattern-added",
    PatternRemoved => "pattern-removed",
    PatternChanged => "pattern-changed",
    PatternGeneralized => "pattern-generalized",
    DefaultValueAdded => "default-value-added",
    DefaultValueRemoved => "default-value-removed",
    DefaultValueChanged => "default-value-changed",
    AdditionalPropertiesDisallowed => "additional-properties-disallowed",
    AdditionalPropertiesAllowed => "additional-properties-allowed",
    OneOfRemoved => "one-of-removed",
    OneOfAdded => "one-of-added",
    AnyOfRemoved => "any-of-removed",
    AnyOfAdded => "any-of-added",
    AllOfRemoved => "all-of-removed",
    AllOfAdded => "all-of-added",
    AllOfRemovedAnnotationOnly => "all-of-removed-annotation-only",
    AllOfAddedAnnotationOnly => "all-of-added-annotation-only",
    DiscriminatorAdded => "discriminator-added",
    DiscriminatorRemoved => "discriminator-removed",
    DiscriminatorPropertyNameChanged => "discriminator-property-name-changed",
    DiscriminatorMappingAdded => "discriminator-mapping-added",
    DiscriminatorMappingDeleted => "discriminator-mapping-deleted",
    DiscriminatorMappingChanged => "discriminator-mapping-changed",
}

impl SchemaRule {
    /// Whether the change makes the schema accept less (`Some(true)`), more (`Some(false)`), or
    /// neither in general (`None`: its level is fixed, see `fixed_level`).
    fn tightens(self) -> Option<bool> {
        use SchemaRule::*;
        match self {
            BecameNotNullable
            | EnumValueRemoved
            | BecameEnum
            | XExtensibleEnumValueRemoved
            | ExclusiveMaxSet
            | ExclusiveMinSet
            | MultipleOfSet
            | MultipleOfSpecialized
            | UniqueItemsSet
            | PatternAdded
            | AdditionalPropertiesDisallowed
            | OneOfRemoved
            | AnyOfRemoved
            | AllOfAdded
            | TypeSpecialized => Some(true),
            BecameNullable
            | EnumValueAdded
            | BecameNotEnum
            | ExclusiveMaxUnset
            | ExclusiveMinUnset
            | MultipleOfUnset
            | MultipleOfGeneralized
            | UniqueItemsUnset
            | PatternRemoved
            | PatternGeneralized
            | AdditionalPropertiesAllowed
            | OneOfAdded
            | AnyOfAdded
            | AllOfRemoved
            | TypeGeneralized => Some(false),
            Bound(bound, change) => Some(match change {
                BoundChange::Set => true,
                BoundChange::Unset => false,
                BoundChange::Decreased => bound.is_max(),
                BoundChange::Increased => !bound.is_max(),
            }),
            TypeChanged
            | MultipleOfChanged
            | PatternChanged
            | DefaultValueAdded
            | DefaultValueRemoved
            | DefaultValueChanged
            | AllOfRemovedAnnotationOnly
            | AllOfAddedAnnotationOnly
            | DiscriminatorAdded
            | DiscriminatorRemoved
            | DiscriminatorPropertyNameChanged
            | DiscriminatorMappingAdded
            | DiscriminatorMappingDeleted
            | DiscriminatorMappingChanged => None,
            Json(rule) => rule.tightens(),
        }
    }

    /// The level of a change that neither only tightens nor only loosens.
    fn fixed_level(self) -> Level {
        use SchemaRule::*;
        match self {
            // Values valid on one side may be refused on the other, whichever way data flows.
            TypeChanged | MultipleOfChanged => Level::Err,
            // A different pattern may refuse values the old one took; oasdiff cannot tell, nor can we.
            PatternChanged => Level::Warn,
            Json(rule) => rule.fixed_level(),
            _ => Level::Info,
        }
    }

    /// The level at a place: a parameter's default is what a client that leaves the parameter out asks for, so
    /// changing it changes that request (oasdiff: ERR); elsewhere a default only documents.
    fn level_at(self, place: Place) -> Level {
        use SchemaRule::*;
        match (place, self) {
            (Place::RequestParameter, DefaultValueAdded | DefaultValueRemoved | DefaultValueChanged) => Level::Err,
            _ => self.level(place.direction()),
        }
    }

    fn level(self, direction: Direction) -> Level {
        match self.tightens() {
            None => self.fixed_level(),
            Some(true) => direction.tightening(),
            Some(false) => direction.loosening(),
        }
    }

    fn description(self) -> String {
        use SchemaRule::*;
        match self {
            TypeChanged => "the `type` or `format` changed incompatibly".into(),
            TypeGeneralized => {
                "the type or format got wider (`int32` to `int64`, `integer` to `number`, a format dropped)".into()
            }
            TypeSpecialized => {
                "the type or format got narrower (`int64` to `int32`, `number` to `integer`, a format added)".into()
            }
            BecameNullable => "became nullable".into(),
            BecameNotNullable => "is no longer nullable".into(),
            EnumValueRemoved => "an enum lost a value".into(),
            EnumValueAdded => "an enum gained a value".into(),
            BecameEnum => "is now limited to an enum".into(),
            BecameNotEnum => "is no longer limited to an enum".into(),
            XExtensibleEnumValueRemoved => "an `x-extensible-enum` lost a value".into(),
            Bound(bound, change) => format!("`{}` was {}", bound.keyword(), change.id()),
            ExclusiveMaxSet => "`exclusiveMaximum` was set".into(),
            ExclusiveMaxUnset => "`exclusiveMaximum` was unset".into(),
            ExclusiveMinSet => "`exclusiveMinimum` was set".into(),
            ExclusiveMinUnset => "`exclusiveMinimum` was unset".into(),
            MultipleOfSet => "`multipleOf` was set".into(),
            MultipleOfUnset => "`multipleOf` was unset".into(),
            MultipleOfGeneralized => "`multipleOf` became a divisor of the old one (takes more)".into(),
            MultipleOfSpecialized => "`multipleOf` became a multiple of the old one (takes less)".into(),
            MultipleOfChanged => "`multipleOf` changed to an unrelated value".into(),
            UniqueItemsSet => "items must now be unique".into(),
            UniqueItemsUnset => "items no longer have to be unique".into(),
            PatternAdded => "a string must now match a pattern".into(),
            PatternRemoved => "a string no longer has to match a pattern".into(),
            PatternChanged => "a string's pattern changed".into(),
            PatternGeneralized => "a string's pattern became `.*`, which takes anything".into(),
            DefaultValueAdded => "a default value was added".into(),
            DefaultValueRemoved => "the default value was removed".into(),
            DefaultValueChanged => "the default value changed".into(),
            AdditionalPropertiesDisallowed => "an object now refuses fields it does not name".into(),
            AdditionalPropertiesAllowed => "an object now takes fields it does not name".into(),
            OneOfRemoved => "a oneOf lost a member".into(),
            OneOfAdded => "a oneOf gained a member".into(),
            AnyOfRemoved => "an anyOf lost a member".into(),
            AnyOfAdded => "an anyOf gained a member".into(),
            AllOfRemoved => "an allOf lost a member".into(),
            AllOfAdded => "an allOf gained a member".into(),
            AllOfRemovedAnnotationOnly => "an allOf lost a member that only annotates (no constraint)".into(),
            AllOfAddedAnnotationOnly => "an allOf gained a member that only annotates (no constraint)".into(),
            DiscriminatorAdded => "a discriminator was added".into(),
            DiscriminatorRemoved => "the discriminator was removed".into(),
            DiscriminatorPropertyNameChanged => "the discriminator's propertyName changed".into(),
            DiscriminatorMappingAdded => "a discriminator mapping was added".into(),
            DiscriminatorMappingDeleted => "a discriminator mapping was deleted".into(),
            DiscriminatorMappingChanged => "a discriminator mapping changed".into(),
            Json(rule) => rule.description().into(),
        }
    }
}

macro_rules! rules {
    ($($variant:ident => ($id:literal, $level:ident, $direction:expr, $area:ident, $description:literal),)*) => {
        /// A kind of change the diff reports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($variant,)*
            /// A change inside a schema, at one place.
            Schema(Place, SchemaRule),
        }

        impl Rule {
            const FLAT: &[Rule] = &[$(Rule::$variant,)*];

            /// The id, such as `request-property-max-length-decreased`.
            pub fn id(self) -> String {
                match self {
                    $(Rule::$variant => $id.to_string(),)*
                    Rule::Schema(place, rule) => format!("{}-{}", place.prefix(), rule.suffix()),
                }
            }

            /// The level of the change in the usual case; `exception` says when it differs.
            pub fn level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                    Rule::Schema(place, rule) => rule.level_at(place),
                }
            }

            /// Request, response, or `None` for what is neither (servers, security, operations).
            pub fn direction(self) -> Option<Direction> {
                match self {
                    $(Rule::$variant => $direction,)*
                    Rule::Schema(place, _) => Some(place.direction()),
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
                    Rule::Schema(place, rule) => format!("{}: {}", place.prefix().replace('-', " "), rule.description()),
                }
            }
        }
    };
}

const REQ: Option<Direction> = Some(Direction::Request);
const RESP: Option<Direction> = Some(Direction::Response);

rules! {
    ApiServerRemoved => ("api-server-removed", Info, None, Document, "a server was removed (ours: oasdiff has no server rules and treats servers as deployment; clients configure their base URL)"),
    ApiServerAdded => ("api-server-added", Info, None, Document, "a server was added"),
    ApiSecurityComponentRemoved => ("api-security-component-removed", Info, None, Security, "a security scheme component was removed (operations that use it are reported on their own)"),
    ApiSecurityComponentAdded => ("api-security-component-added", Info, None, Security, "a security scheme component was added"),
    ApiSecurityComponentTypeChanged => ("api-security-component-type-changed", Err, None, Security, "a security scheme's type changed"),
    ApiSecurityComponentApiKeyNameChanged => ("api-security-component-api-key-name-changed", Err, None, Security, "an API key scheme's name changed"),
    ApiSecurityComponentApiKeyInChanged => ("api-security-component-api-key-in-changed", Err, None, Security, "an API key scheme's location changed"),
    ApiSecurityComponentHttpSchemeChanged => ("api-security-component-http-scheme-changed", Err, None, Security, "an HTTP scheme's scheme changed"),
    ApiSecurityComponentBearerFormatChanged => ("api-security-component-bearer-format-changed", Info, None, Security, "an HTTP bearer scheme's bearerFormat changed"),
    ApiPathRemovedWithoutDeprecation => ("api-path-removed-without-deprecation", Err, None, Path, "a path was removed with an operation that was not deprecated"),
    ApiPathRemovedBeforeSunset => ("api-path-removed-before-sunset", Err, None, Path, "a path was removed with a deprecated operation whose sunset is still ahead"),
    ApiPathRemovedWithDeprecation => ("api-path-removed-with-deprecation", Info, None, Path, "a path was removed with a deprecated operation whose sunset has passed (or that has none)"),
    ApiPathSunsetParse => ("api-path-sunset-parse", Err, None, Path, "an operation was removed whose `x-sunset` is not a date"),
    ApiRemovedWithoutDeprecation => ("api-removed-without-deprecation", Err, None, Operation, "an operation that was not deprecated was removed"),
    ApiRemovedBeforeSunset => ("api-removed-before-sunset", Err, None, Operation, "a deprecated operation was removed before its sunset"),
    ApiRemovedWithDeprecation => ("api-removed-with-deprecation", Info, None, Operation, "a deprecated operation was removed after its sunset (or it had none)"),
    EndpointAdded => ("endpoint-added", Info, None, Operation, "an operation was added"),
    EndpointDeprecated => ("endpoint-deprecated", Info, None, Operation, "an operation was deprecated"),
    EndpointDeprecatedWithSunset => ("endpoint-deprecated-with-sunset", Info, None, Operation, "an operation was deprecated with a sunset date"),
    EndpointReactivated => ("endpoint-reactivated", Info, None, Operation, "a deprecated operation is no longer deprecated"),
    ApiDeprecatedSunsetParse => ("api-deprecated-sunset-parse", Err, None, Operation, "an operation was deprecated with an `x-sunset` that is not a date"),
    ApiDeprecatedSunsetMissing => ("api-deprecated-sunset-missing", Err, None, Operation, "an operation was deprecated without a sunset, which the deprecation policy asks for"),
    ApiSunsetDateTooSmall => ("api-sunset-date-too-small", Err, None, Operation, "an operation was deprecated with a sunset that has already passed"),
    SunsetDeleted => ("sunset-deleted", Err, None, Operation, "a deprecated operation lost its sunset date"),
    ApiSunsetDateChangedEarlier => ("api-sunset-date-changed-earlier", Err, None, Operation, "a deprecated operation's sunset moved earlier"),
    ApiSunsetDateChangedTooSmall => ("api-sunset-date-changed-too-small", Err, None, Operation, "a deprecated operation's sunset moved to a date already passed"),
    ApiStabilityDecreased => ("api-stability-decreased", Err, None, Operation, "an operation's `x-stability-level` went down (stable > beta > alpha > draft)"),
    ApiStabilityIncreased => ("api-stability-increased", Info, None, Operation, "an operation's `x-stability-level` went up"),
    ApiInvalidStabilityLevel => ("api-invalid-stability-level", Err, None, Operation, "an `x-stability-level` is not draft, alpha, beta or stable"),
    ApiOperationIdRemoved => ("api-operation-id-removed", Info, None, Operation, "an operationId was removed or changed (the generated client section shows the renamed method)"),
    ApiOperationIdAdded => ("api-operation-id-added", Info, None, Operation, "an operationId was added"),
    ApiTagAdded => ("api-tag-added", Info, None, Operation, "a tag was added to an operation"),
    ApiTagRemoved => ("api-tag-removed", Info, None, Operation, "a tag was removed from an operation"),
    ApiSchemaRemoved => ("api-schema-removed", Info, None, Document, "a schema was removed from components/schemas"),
    ApiDescriptionChanged => ("api-description-changed", Info, None, Operation, "an operation's summary or description changed"),
    ApiSecurityAnonymousAccessRemoved => ("api-security-anonymous-access-removed", Err, REQ, Security, "an operation that took no credentials now needs them"),
    ApiSecurityRemoved => ("api-security-removed", Err, REQ, Security, "a security alternative of an operation was removed"),
    ApiSecurityAnonymousAccessAdded => ("api-security-anonymous-access-added", Info, REQ, Security, "an operation no longer needs credentials"),
    ApiSecurityAdded => ("api-security-added", Info, REQ, Security, "a security alternative of an operation was added"),
    ApiSecurityScopeAdded => ("api-security-scope-added", Err, REQ, Security, "an OAuth scope was added to an operation's security requirement"),
    ApiSecurityScopeRemoved => ("api-security-scope-removed", Info, REQ, Security, "an OAuth scope was removed from an operation's security requirement"),
    RequestParameterRemovedBeforeSunset => ("request-parameter-removed-before-sunset", Err, REQ, Parameter, "a deprecated parameter was removed before its sunset"),
    RequestParameterSunsetParse => ("request-parameter-sunset-parse", Err, REQ, Parameter, "a deprecated parameter's `x-sunset` is not a date"),
    RequestParameterDeprecatedSunsetMissing => ("request-parameter-deprecated-sunset-missing", Err, REQ, Parameter, "a parameter was deprecated without a sunset, which the deprecation policy asks for"),
    RequestParameterSunsetDateTooSmall => ("request-parameter-sunset-date-too-small", Err, REQ, Parameter, "a parameter was deprecated with a sunset already passed"),
    RequestParameterSunsetDeleted => ("request-parameter-sunset-deleted", Err, REQ, Parameter, "a deprecated parameter lost its sunset"),
    RequestParameterSunsetDateChangedEarlier => ("request-parameter-sunset-date-changed-earlier", Err, REQ, Parameter, "a deprecated parameter's sunset moved earlier"),
    RequestParameterSunsetDateChangedTooSmall => ("request-parameter-sunset-date-changed-too-small", Err, REQ, Parameter, "a deprecated parameter's sunset moved to a date already passed"),
    RequestPropertyRemovedBeforeSunset => ("request-property-removed-before-sunset", Err, REQ, Schema, "a deprecated request property was removed before its sunset"),
    RequestPropertyRemovedWithDeprecation => ("request-property-removed-with-deprecation", Info, REQ, Schema, "a deprecated request property was removed"),
    RequestPropertyDeprecatedWithSunset => ("request-property-deprecated-with-sunset", Info, REQ, Schema, "a request property was deprecated with a sunset"),
    RequestPropertyDeprecatedSunsetInvalid => ("request-property-deprecated-sunset-invalid", Err, REQ, Schema, "a request property was deprecated with an `x-sunset` that is not a date"),
    RequestPropertySunsetDateTooSmall => ("request-property-sunset-date-too-small", Err, REQ, Schema, "a request property was deprecated with a sunset already passed"),
    RequestPropertySunsetDeleted => ("request-property-sunset-deleted", Err, REQ, Schema, "a deprecated request property lost its sunset"),
    RequestPropertySunsetDateChangedEarlier => ("request-property-sunset-date-changed-earlier", Err, REQ, Schema, "a deprecated request property's sunset moved earlier"),
    RequestPropertyDeprecatedSunsetMissing => ("request-property-deprecated-sunset-missing", Err, REQ, Schema, "a request property was deprecated without a sunset, which the deprecation policy asks for"),
    RequestPropertySunsetDateChangedTooSmall => ("request-property-sunset-date-changed-too-small", Err, REQ, Schema, "a deprecated request property's sunset moved to a date already passed"),
    ResponseRequiredPropertyRemovedBeforeSunset => ("response-required-property-removed-before-sunset", Err, RESP, Schema, "a deprecated required response property was removed before its sunset"),
    ResponseRequiredPropertyRemovedWithDeprecation => ("response-required-property-removed-with-deprecation", Info, RESP, Schema, "a deprecated required response property was removed"),
    ResponsePropertyDeprecatedWithSunset => ("response-property-deprecated-with-sunset", Info, RESP, Schema, "a response property was deprecated with a sunset"),
    ResponsePropertyDeprecatedSunsetInvalid => ("response-property-deprecated-sunset-invalid", Err, RESP, Schema, "a response property was deprecated with an `x-sunset` that is not a date"),
    ResponsePropertySunsetDateTooSmall => ("response-property-sunset-date-too-small", Err, RESP, Schema, "a response property was deprecated with a sunset already passed"),
    ResponsePropertySunsetDeleted => ("response-property-sunset-deleted", Err, RESP, Schema, "a deprecated response property lost its sunset"),
    ResponsePropertySunsetDateChangedEarlier => ("response-property-sunset-date-changed-earlier", Err, RESP, Schema, "a deprecated response property's sunset moved earlier"),
    ResponsePropertyDeprecatedSunsetMissing => ("response-property-deprecated-sunset-missing", Err, RESP, Schema, "a response property was deprecated without a sunset, which the deprecation policy asks for"),
    ResponsePropertySunsetDateChangedTooSmall => ("response-property-sunset-date-changed-too-small", Err, RESP, Schema, "a deprecated response property's sunset moved to a date already passed"),
    RequestBodyMediaTypeSchemaAdded => ("request-body-media-type-schema-added", Err, REQ, MediaType, "a request media type got a schema where it had none"),
    RequestBodyMediaTypeSchemaRemoved => ("request-body-media-type-schema-removed", Info, REQ, MediaType, "a request media type lost its schema"),
    ResponseBodyMediaTypeSchemaAdded => ("response-body-media-type-schema-added", Info, RESP, MediaType, "a response media type got a schema where it had none"),
    ResponseBodyMediaTypeSchemaRemoved => ("response-body-media-type-schema-removed", Err, RESP, MediaType, "a response media type lost its schema"),
    RequestParameterRemoved => ("request-parameter-removed", Warn, REQ, Parameter, "a parameter that was not deprecated was removed (the server may refuse or ignore it)"),
    RequestParameterRemovedWithDeprecation => ("request-parameter-removed-with-deprecation", Info, REQ, Parameter, "a deprecated parameter was removed"),
    RequestParameterBecameRequired => ("request-parameter-became-required", Err, REQ, Parameter, "an optional parameter became required"),
    RequestParameterBecameOptional => ("request-parameter-became-optional", Info, REQ, Parameter, "a required parameter became optional"),
    RequestParameterDeprecated => ("request-parameter-deprecated", Info, REQ, Parameter, "a parameter was deprecated"),
    RequestParameterReactivated => ("request-parameter-reactivated", Info, REQ, Parameter, "a deprecated parameter is no longer deprecated"),
    RequestParameterDescriptionChanged => ("request-parameter-description-changed", Info, REQ, Parameter, "a parameter's description changed (ours: oasdiff does not report it)"),
    NewRequiredRequestParameter => ("new-required-request-parameter", Err, REQ, Parameter, "a required parameter was added"),
    NewOptionalRequestParameter => ("new-optional-request-parameter", Info, REQ, Parameter, "an optional parameter was added"),
    NewRequestPathParameter => ("new-request-path-parameter", Err, REQ, Parameter, "a path parameter was added"),
    RequestBodyAddedRequired => ("request-body-added-required", Err, REQ, RequestBody, "a required request body was added"),
    RequestBodyAddedOptional => ("request-body-added-optional", Info, REQ, RequestBody, "an optional request body was added"),
    RequestBodyRemoved => ("request-body-removed", Err, REQ, RequestBody, "the request body was removed"),
    RequestBodyBecameRequired => ("request-body-became-required", Err, REQ, RequestBody, "a request body became required"),
    RequestBodyBecameOptional => ("request-body-became-optional", Info, REQ, RequestBody, "a required request body became optional"),
    RequestBodyMediaTypeRemoved => ("request-body-media-type-removed", Err, REQ, MediaType, "a request media type was removed"),
    RequestBodyMediaTypeAdded => ("request-body-media-type-added", Info, REQ, MediaType, "a request media type was added"),
    ResponseSuccessStatusRemoved => ("response-success-status-removed", Err, RESP, Response, "a 2xx response status was removed"),
    ResponseNonSuccessStatusRemoved => ("response-non-success-status-removed", Info, RESP, Response, "a non-2xx response status was removed"),
    ResponseSuccessStatusAdded => ("response-success-status-added", Info, RESP, Response, "a 2xx response status was added"),
    ResponseNonSuccessStatusAdded => ("response-non-success-status-added", Info, RESP, Response, "a non-2xx response status was added"),
    ResponseMediaTypeRemoved => ("response-media-type-removed", Err, RESP, MediaType, "a response media type was removed"),
    ResponseMediaTypeAdded => ("response-media-type-added", Info, RESP, MediaType, "a response media type was added"),
    ResponseHeaderAdded => ("response-header-added", Info, RESP, Response, "a response header was added"),
    RequiredResponseHeaderRemoved => ("required-response-header-removed", Err, RESP, Response, "a required response header was removed"),
    OptionalResponseHeaderRemoved => ("optional-response-header-removed", Info, RESP, Response, "an optional response header was removed"),
    ResponseHeaderBecameOptional => ("response-header-became-optional", Err, RESP, Response, "a required response header became optional"),
    RequestPropertyBecameRequired => ("request-property-became-required", Err, REQ, Schema, "an optional request property became required"),
    RequestPropertyBecameOptional => ("request-property-became-optional", Info, REQ, Schema, "a required request property became optional"),
    ResponsePropertyBecameRequired => ("response-property-became-required", Info, RESP, Schema, "an optional response property became required"),
    ResponsePropertyBecameOptional => ("response-property-became-optional", Err, RESP, Schema, "a required response property became optional"),
    NewRequiredRequestProperty => ("new-required-request-property", Err, REQ, Schema, "a required request property was added"),
    NewOptionalRequestProperty => ("new-optional-request-property", Info, REQ, Schema, "an optional request property was added"),
    RequestPropertyRemoved => ("request-property-removed", Warn, REQ, Schema, "a request property was removed"),
    ResponseRequiredPropertyAdded => ("response-required-property-added", Info, RESP, Schema, "a required response property was added"),
    ResponseOptionalPropertyAdded => ("response-optional-property-added", Info, RESP, Schema, "an optional response property was added"),
    ResponseRequiredPropertyRemoved => ("response-required-property-removed", Err, RESP, Schema, "a required response property was removed"),
    ResponseOptionalPropertyRemoved => ("response-optional-property-removed", Info, RESP, Schema, "an optional response property was removed"),
    RequestPropertyDeprecated => ("request-property-deprecated", Info, REQ, Schema, "a request property was deprecated"),
    ResponsePropertyDeprecated => ("response-property-deprecated", Info, RESP, Schema, "a response property was deprecated"),
    RequestPropertyReactivated => ("request-property-reactivated", Info, REQ, Schema, "a deprecated request property is no longer deprecated"),
    ResponsePropertyReactivated => ("response-property-reactivated", Info, RESP, Schema, "a deprecated response property is no longer deprecated"),
    RequestPropertyStabilityDecreased => ("request-property-stability-decreased", Err, REQ, Schema, "a request property's `x-stability-level` went down"),
    RequestPropertyStabilityIncreased => ("request-property-stability-increased", Info, REQ, Schema, "a request property's `x-stability-level` went up"),
    ResponsePropertyStabilityDecreased => ("response-property-stability-decreased", Err, RESP, Schema, "a response property's `x-stability-level` went down"),
    ResponsePropertyStabilityIncreased => ("response-property-stability-increased", Info, RESP, Schema, "a response property's `x-stability-level` went up"),
    RequestOptionalPropertyBecameReadOnly => ("request-optional-property-became-read-only", Warn, REQ, Schema, "an optional request property became readOnly (the server now ignores it)"),
    RequestRequiredPropertyBecameReadOnly => ("request-required-property-became-read-only", Warn, REQ, Schema, "a required request property became readOnly"),
    RequestOptionalPropertyBecameNotReadOnly => ("request-optional-property-became-not-read-only", Info, REQ, Schema, "an optional request property is no longer readOnly"),
    RequestRequiredPropertyBecameNotReadOnly => ("request-required-property-became-not-read-only", Err, REQ, Schema, "a required property is no longer readOnly, so requests must now carry it"),
    RequestOptionalPropertyBecameWriteOnly => ("request-optional-property-became-write-only", Info, REQ, Schema, "an optional request property became writeOnly"),
    RequestRequiredPropertyBecameWriteOnly => ("request-required-property-became-write-only", Info, REQ, Schema, "a required request property became writeOnly"),
    RequestOptionalPropertyBecameNotWriteOnly => ("request-optional-property-became-not-write-only", Info, REQ, Schema, "an optional request property is no longer writeOnly"),
    RequestRequiredPropertyBecameNotWriteOnly => ("request-required-property-became-not-write-only", Info, REQ, Schema, "a required request property is no longer writeOnly"),
    ResponseOptionalPropertyBecameReadOnly => ("response-optional-property-became-read-only", Info, RESP, Schema, "an optional response property became readOnly"),
    ResponseRequiredPropertyBecameReadOnly => ("response-required-property-became-read-only", Info, RESP, Schema, "a required response property became readOnly"),
    ResponseOptionalPropertyBecameNotReadOnly => ("response-optional-property-became-not-read-only", Info, RESP, Schema, "an optional response property is no longer readOnly"),
    ResponseRequiredPropertyBecameNotReadOnly => ("response-required-property-became-not-read-only", Info, RESP, Schema, "a required response property is no longer readOnly"),
    ResponseOptionalPropertyBecameWriteOnly => ("response-optional-property-became-write-only", Info, RESP, Schema, "an optional response property became writeOnly (it is no longer returned)"),
    ResponseRequiredPropertyBecameWriteOnly => ("response-required-property-became-write-only", Err, RESP, Schema, "a required response property became writeOnly, so responses no longer carry it"),
    ResponseOptionalPropertyBecameNotWriteOnly => ("response-optional-property-became-not-write-only", Info, RESP, Schema, "an optional response property is no longer writeOnly"),
    ResponseRequiredPropertyBecameNotWriteOnly => ("response-required-property-became-not-write-only", Info, RESP, Schema, "a required response property is no longer writeOnly"),
    DescriptionChanged => ("description-changed", Info, None, Schema, "a schema's description changed (ours: oasdiff does not report it)"),
    WebhookAdded => ("webhook-added", Info, None, Path, "a webhook was added (OpenAPI 3.1)"),
    WebhookRemoved => ("webhook-removed", Err, None, Path, "a webhook was removed (OpenAPI 3.1): subscribers no longer receive it"),
}

/// Ids the report used before it took oasdiff's names, and the id each is now; a configuration
/// that names an old id still works.
pub const ALIASES: &[(&str, &str)] = &[
    ("api-path-removed", "api-path-removed-without-deprecation"),
    ("api-removed", "api-removed-without-deprecation"),
    ("api-operation-id-changed", "api-operation-id-removed"),
    ("api-security-made-mandatory", "api-security-anonymous-access-removed"),
    ("api-security-made-optional", "api-security-anonymous-access-added"),
    ("api-security-scheme-removed", "api-security-component-removed"),
    ("api-security-scheme-added", "api-security-component-added"),
    ("api-security-scheme-changed", "api-security-component-type-changed"),
    ("request-body-added", "request-body-added-optional"),
    ("response-property-added", "response-optional-property-added"),
    ("request-property-format-changed", "request-property-type-changed"),
    ("response-property-format-changed", "response-property-type-changed"),
    ("request-property-enum-set", "request-property-became-enum"),
    ("response-property-enum-set", "response-property-became-enum"),
    ("request-property-enum-unset", "request-property-became-not-enum"),
    ("response-property-enum-unset", "response-property-became-not-enum"),
    ("response-property-removed", "response-required-property-removed"),
    (
        "request-additional-properties-disallowed",
        "request-property-additional-properties-disallowed",
    ),
    (
        "request-additional-properties-allowed",
        "request-property-additional-properties-allowed",
    ),
    (
        "response-additional-properties-disallowed",
        "response-property-additional-properties-disallowed",
    ),
    (
        "response-additional-properties-allowed",
        "response-property-additional-properties-allowed",
    ),
];

impl Rule {
    /// Every rule, in the order `diff --rules` lists them.
    pub fn all() -> Vec<Rule> {
        let mut all = Self::FLAT.to_vec();
        for place in Place::ALL {
            all.extend(SchemaRule::all().into_iter().map(|rule| Rule::Schema(place, rule)));
        }
        all
    }

    /// When a change of this rule has another level than `level` says, and why.
    pub fn exception(self) -> Option<&'static str> {
        match self {
            Rule::RequestPropertyRemoved => Some(
                "ERR when the schema refuses unknown fields (`additionalProperties: false`): clients that still send it are refused",
            ),
            Rule::Schema(
                Place::RequestParameter,
                SchemaRule::DefaultValueAdded | SchemaRule::DefaultValueRemoved | SchemaRule::DefaultValueChanged,
            ) => Some("INFO for a required parameter, which clients always send"),
            Rule::ResponseOptionalPropertyAdded | Rule::ResponseRequiredPropertyAdded => {
                Some("ERR when the old schema refused unknown fields: clients built from it fail")
            }
            _ => None,
        }
    }

    /// Whether a change of this rule removes or renames a name in the public API of a client generated from the
    /// document, whatever the wire says: an operationId (the method's name), a component schema (a type's name),
    /// a parameter (an argument's name), an operation. Code written against the old client then stops compiling.
    pub fn breaks_generated_code(self) -> bool {
        matches!(
            self,
            Rule::ApiOperationIdRemoved
                | Rule::ApiSchemaRemoved
                | Rule::RequestParameterRemoved
                | Rule::RequestParameterRemovedBeforeSunset
                | Rule::ApiRemovedWithoutDeprecation
                | Rule::ApiRemovedBeforeSunset
                | Rule::ApiPathRemovedWithoutDeprecation
                | Rule::ApiPathRemovedBeforeSunset
        )
    }

    /// The rule with this id, or with the id that an old id (see `ALIASES`) became.
    pub fn from_id(id: &str) -> Option<Rule> {
        let id = ALIASES.iter().find(|(old, _)| *old == id).map_or(id, |(_, new)| *new);
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
