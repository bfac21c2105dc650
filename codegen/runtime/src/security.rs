//! Security schemes as data, shared by the server and client halves.

/// How a security scheme's credential travels in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this cookie.
    Cookie(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
    /// `Authorization: <scheme> <credentials>`, the scheme matched case-insensitively.
    Authorization(&'static str),
}

/// A security scheme of the API: its name in the spec and where its credential is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The name under `components.securitySchemes`.
    pub name: &'static str,
    /// Where the credential is found.
    pub carrier: Carrier,
}
