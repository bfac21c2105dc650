//! `format: email` as a type, checked when parsed.

use serde::{Deserialize, Deserializer, Serialize};

/// An email address (`format: email`), checked when parsed: one `@`, a local part of at most 64
/// printable characters, and a domain of dot-separated labels; 254 characters at most.
///
/// The check is deliberately simpler than RFC 5322 (no quoted local parts, no address
/// literals): it accepts what mail systems deliver and what forms ask for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// The error of parsing an [`Email`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidEmail;

impl std::fmt::Display for InvalidEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a valid email address")
    }
}

impl std::error::Error for InvalidEmail {}

impl Email {
    /// Checks and wraps an address.
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidEmail> {
        let value = value.into();
        if is_email(&value) { Ok(Email(value)) } else { Err(InvalidEmail) }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address as an owned string.
    pub fn into_inner(self) -> String {
        self.0
    }
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_graphic() && !"()<>[]:;@\\,\"".contains(c));
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    value.len() <= 254 && local_ok && domain_ok
}

impl std::str::FromStr for Email {
    type Err = InvalidEmail;

    fn from_str(value: &str) -> Result<Self, InvalidEmail> {
        Email::parse(value)
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;

    fn try_from(value: String) -> Result<Self, InvalidEmail> {
        Email::parse(value)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Email::parse(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in ["a@b.co", "first.last+tag@sub.example.com", "x_y@a-b.org"] {
            assert_eq!(Email::parse(ok).map(Email::into_inner), Ok(ok.to_owned()), "{ok}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        for bad in
            ["", "plain", "@example.com", "a@", "a@nodot", "a b@example.com", "a@-x.com", "a@x..com", &long_local]
        {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn deserialising_checks() {
        assert!(serde_json::from_str::<Email>("\"a@b.co\"").is_ok());
        let error = serde_json::from_str::<Email>("\"nope\"").unwrap_err();
        assert!(error.to_string().contains("not a valid email address"));
    }
}
