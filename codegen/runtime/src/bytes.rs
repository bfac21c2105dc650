//! `format: byte`: bytes that travel as base64 text (RFC 4648, standard alphabet, padded).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

/// Bytes written as a base64 string in JSON (and in parameters). Reading accepts the standard
/// alphabet with or without padding; writing pads.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// The bytes of a base64 text, or why it is not one.
    pub fn decode(text: &str) -> Result<Base64, String> {
        let text = text.trim_end_matches('=');
        STANDARD_NO_PAD.decode(text).map(Base64).map_err(|e| format!("not base64: {e}"))
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({})", self.encode())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Base64;

    #[test]
    fn bytes_travel_as_base64_text() {
        let value = Base64(vec![0x00, 0xff, 0x10, 0x80]);
        let json = serde_json::to_string(&value).expect("serialises");
        assert_eq!(json, "\"AP8QgA==\"");
        assert_eq!(serde_json::from_str::<Base64>(&json).expect("parses"), value);
        assert_eq!(serde_json::from_str::<Base64>("\"AP8QgA\"").expect("unpadded"), value);
        let error = serde_json::from_str::<Base64>("\"not base64!\"").unwrap_err().to_string();
        assert!(error.contains("not base64"), "{error}");
        assert_eq!(Base64::decode("").expect("empty").0, Vec::<u8>::new());
    }
}
