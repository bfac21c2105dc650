//! Structs that accept only JSON objects.
//!
//! A struct derived with serde also accepts a JSON array (its fields by position), which no
//! OpenAPI object schema allows. Generated structs therefore derive with `#[serde(remote =
//! "Self")]`, which turns the derives into inherent functions, and [`json_object!`] wraps them:
//! serialisation as derived, deserialisation only from a map, through one generic visitor here
//! rather than one per struct.

use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{MapAccess, Visitor};

/// A type built from the entries of a JSON object; implemented by [`json_object!`](crate::json_object).
pub trait FromObject<'de>: Sized {
    /// Builds the value from the object's entries.
    fn from_object<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(map)
    }
}

/// Serialises a variant of a discriminated union whose structs carry the tag themselves, with
/// the tag set to the variant's own: the field is the variant's to say, so a value built with
/// another tag in it still goes out as what its type is.
pub fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    value: &T,
    property: &str,
    tag: &str,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
    }
    serde::Serialize::serialize(&json, serializer)
}

/// Deserialises `T` from a map, and refuses anything else (arrays included).
pub fn deserialize_object<'de, D: Deserializer<'de>, T: FromObject<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Implements `Serialize` and `Deserialize` for structs derived with `#[serde(remote =
/// "Self")]`, so that they deserialise only from JSON objects (see the [module](crate::models)).
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// #[serde(remote = "Self")]
/// struct Pet {
///     name: String,
/// }
///
/// openapi_runtime::json_object!(Pet);
///
/// assert!(serde_json::from_str::<Pet>(r#"{"name":"Rex"}"#).is_ok());
/// assert!(serde_json::from_str::<Pet>(r#"["Rex"]"#).is_err());
/// ```
#[macro_export]
macro_rules! json_object {
    ($($ty:ident),* $(,)?) => {$(
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<__S: $crate::__private::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                // The inherent function the remote derive generated.
                $ty::serialize(self, serializer)
            }
        }

        impl<'de> $crate::models::FromObject<'de> for $ty {
            fn from_object<__A: $crate::__private::serde::de::MapAccess<'de>>(
                map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                $ty::deserialize($crate::__private::serde::de::value::MapAccessDeserializer::new(map))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<__D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                $crate::models::deserialize_object(deserializer)
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self", deny_unknown_fields)]
    struct D {
        a: i32,
        #[serde(default)]
        b: Option<String>,
    }

    // A type named like the generic parameters of the expansion still compiles.
    crate::json_object!(D);

    #[test]
    fn only_objects_deserialise() {
        assert_eq!(serde_json::from_str::<D>(r#"{"a":1}"#).unwrap(), D { a: 1, b: None });
        let error = serde_json::from_str::<D>("[1, null]").unwrap_err().to_string();
        assert!(error.contains("expected a JSON object"), "{error}");
        assert!(serde_json::from_str::<D>(r#"{"a":1,"c":2}"#).is_err(), "derive attributes still apply");
    }

    #[test]
    fn serialises_as_derived() {
        assert_eq!(serde_json::to_string(&D { a: 2, b: Some("x".into()) }).unwrap(), r#"{"a":2,"b":"x"}"#);
    }
}
