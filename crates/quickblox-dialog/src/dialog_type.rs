//! `DialogType`: the dialog kinds by name, serialized as the integers the API uses.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a dialog, sent and received as the integer codes 1, 2 and 3.
///
/// typify can only turn an integer enum into a checked integer newtype, so this type stands in
/// for the spec's `DialogType` (see `xtask/src/codegen.rs`). A code the client does not know
/// decodes as [`DialogType::Unknown`] rather than failing the whole response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DialogType {
    /// `1`: a public group that every user of the application may join; it has no occupants.
    PublicGroup,
    /// `2`: a group open only to its occupants.
    Group,
    /// `3`: a private dialog between the creator and one opponent.
    Private,
    /// A code this version of the client does not know, kept as it came.
    Unknown(i64),
}

impl DialogType {
    /// The integer the API uses for this kind.
    pub fn code(self) -> i64 {
        match self {
            Self::PublicGroup => 1,
            Self::Group => 2,
            Self::Private => 3,
            Self::Unknown(code) => code,
        }
    }
}

impl From<i64> for DialogType {
    fn from(code: i64) -> Self {
        match code {
            1 => Self::PublicGroup,
            2 => Self::Group,
            3 => Self::Private,
            other => Self::Unknown(other),
        }
    }
}

impl fmt::Display for DialogType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PublicGroup => f.write_str("public group"),
            Self::Group => f.write_str("group"),
            Self::Private => f.write_str("private"),
            Self::Unknown(code) => write!(f, "unknown type {code}"),
        }
    }
}

impl Serialize for DialogType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for DialogType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Self::from)
    }
}

impl schemars::JsonSchema for DialogType {
    fn schema_name() -> String {
        "DialogType".to_string()
    }

    /// The spec's schema: only the three known codes are valid to send.
    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject};
        SchemaObject {
            metadata: Some(Box::new(Metadata {
                description: Some("The kind of dialog: 1 public group, 2 group, 3 private.".to_string()),
                ..Default::default()
            })),
            instance_type: Some(InstanceType::Integer.into()),
            format: Some("int32".to_string()),
            enum_values: Some(vec![1.into(), 2.into(), 3.into()]),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_round_trip_by_name() {
        for (kind, code) in [
            (DialogType::PublicGroup, 1),
            (DialogType::Group, 2),
            (DialogType::Private, 3),
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), code.to_string());
            assert_eq!(serde_json::from_str::<DialogType>(&code.to_string()).unwrap(), kind);
        }
    }

    #[test]
    fn unknown_codes_are_kept() {
        let kind: DialogType = serde_json::from_str("7").unwrap();
        assert_eq!(kind, DialogType::Unknown(7));
        assert_eq!(serde_json::to_string(&kind).unwrap(), "7");
    }

    #[test]
    fn non_integers_are_refused() {
        assert!(serde_json::from_str::<DialogType>("\"2\"").is_err());
        assert!(serde_json::from_str::<DialogType>("2.5").is_err());
        assert!(serde_json::from_str::<DialogType>("null").is_err());
    }
}
