//! Optional fields that may also be `null`: three states on the wire.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that may be absent, `null`, or a value: three different things on the wire (in an
/// update, `null` clears a field and absence leaves it alone).
///
/// Generated structs mark such fields `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]`, so absence survives a round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// The field is not in the JSON.
    #[default]
    Absent,
    /// The field is `null`.
    Null,
    /// The field has a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is absent (used to skip it when serialising).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `None` when absent, `Some(None)` when `null`, `Some(Some(v))` for a value.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }
}

/// `Some(v)` is a value and `None` is `null`: a field built from an `Option` is always present.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// Only called when the field is present (absence is `#[serde(default)]`), so `null` is `Null`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

/// The schema `default` of a field the JSON leaves out (`#[serde(default = …)]` calls it
/// through a one-line function of the struct): `Some` of the value, or `None` when the text
/// does not decode into the field's type (then the field is absent, as without a default).
pub fn json_default<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
    serde_json::from_str(json).ok()
}

/// [`json_default`] for a field that may also be `null`: absent stays distinct from `null`.
pub fn json_default_nullable<T: serde::de::DeserializeOwned>(json: &str) -> Nullable<T> {
    if json.trim() == "null" {
        return Nullable::Null;
    }
    json_default(json).map_or(Nullable::Absent, Nullable::Value)
}

/// An optional field that must not be `null` when present, an `Option<T>` of a schema that
/// is not nullable: `#[serde(default, with = "optional", skip_serializing_if = "absent")]`.
/// Absent is `None`, a value is `Some`, and `null` is refused (serde's own reading of an
/// `Option` would take it as `None`).
pub mod optional {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the value (`None` is left out by [`absent`](super::absent)).
    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Only called when the field is present (absence is `#[serde(default)]`): a `T`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }
}

/// Whether an optional field is left out when written: it is `None`.
pub fn absent<T>(value: &Option<T>) -> bool {
    value.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_decode_from_their_json_text() {
        assert_eq!(json_default::<i64>("20"), Some(20));
        assert_eq!(json_default::<String>("\"high\""), Some("high".to_owned()));
        assert_eq!(json_default::<i64>("\"twenty\""), None, "a default of another type is no default");
        assert_eq!(json_default_nullable::<Vec<u8>>("[1,2]"), Nullable::Value(vec![1, 2]));
        assert_eq!(json_default_nullable::<u8>("null"), Nullable::Null);
        assert_eq!(json_default_nullable::<u8>("\"x\""), Nullable::Absent);
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
        #[serde(default, with = "optional", skip_serializing_if = "absent")]
        age: Option<u32>,
    }

    #[test]
    fn absent_null_and_value_stay_distinct() {
        for (json, name) in [
            ("{}", Nullable::Absent),
            (r#"{"name":null}"#, Nullable::Null),
            (r#"{"name":"a"}"#, Nullable::Value("a".to_owned())),
        ] {
            let patch: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(patch.name, name);
            assert_eq!(serde_json::to_string(&patch).unwrap(), json);
        }
    }

    #[test]
    fn a_non_nullable_optional_field_refuses_null() {
        assert!(serde_json::from_str::<Patch>(r#"{"age":null}"#).is_err());
        assert_eq!(serde_json::from_str::<Patch>(r#"{"age":3}"#).unwrap().age, Some(3));
        assert_eq!(serde_json::to_string(&Patch { name: Nullable::Absent, age: Some(3) }).unwrap(), r#"{"age":3}"#);
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(Some(1)).into_option(), Some(Some(1)));
        assert_eq!(Nullable::<i32>::from(None).into_option(), Some(None));
        assert_eq!(Nullable::<i32>::Absent.into_option(), None);
        assert!(Nullable::<i32>::Null.is_null() && Nullable::<i32>::Absent.is_absent());
        assert_eq!(Nullable::Value(2).as_value(), Some(&2));
    }
}
