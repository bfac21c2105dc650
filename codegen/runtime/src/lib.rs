//! The runtime of the crates `openapi-codegen` generates.
//!
//! Generated code is thin: types, per-operation descriptions and short typed wrappers. What
//! does not vary with the spec lives here, as ordinary Rust that is compiled, linted, documented
//! and tested once:
//!
//! - [`models`] (always): [`Nullable`](models::Nullable) for optional fields that may be `null`,
//!   [`Email`](models::Email), the [`Validate`](models::Validate) trait with its
//!   [`Checker`](models::Checker) and [`Limits`](models::Limits) (whose chains generated
//!   code starts with [`models::max_length`] and its siblings), [`json_object!`] which makes a
//!   derived struct accept only JSON objects, and
//!   [`OperationResponse`](models::OperationResponse), the status of every response enum;
//! - [`params`] (always): how path, query, header and cookie parameters are written and read in
//!   every OpenAPI style, shared by both sides; generated parameter structs implement
//!   [`Params`](params::Params) (a description, and each field read and written by wire name)
//!   instead of deriving serde;
//! - [`server`] (feature `server`): what generated axum routers call to read, authenticate and
//!   answer requests;
//! - `mock` (feature `mock`): what generated mock servers call to choose and decode their
//!   answers, and the `main` of their binary;
//! - [`client`] (feature `client`): the reqwest executor generated clients hand their
//!   operations to (credentials, retries, the session cookie, encoding, decoding);
//! - `roundtrip` (feature `roundtrip`): what the harnesses of `cargo xtask roundtrip` call to
//!   check that a generated client and server agree on every operation.
//!
//! Features `chrono`, `uuid`, `base64` and `regex` add `format: date-time` / `date`, `uuid` and
//! `byte` values and `pattern` checks.
//! Two APIs generated into one workspace that depend on the same copy of this crate share its
//! types, so a `Nullable<T>` of one is a `Nullable<T>` of the other.

#[cfg(feature = "base64")]
mod bytes;
mod email;
pub mod multipart;
mod nullable;
mod object;
pub mod params;
mod response;
#[cfg(any(feature = "server", feature = "client"))]
mod security;
mod validate;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "roundtrip")]
pub mod roundtrip;
#[cfg(feature = "server")]
pub mod server;

/// What the generated models crates use: field presence, formats, validation.
pub mod models {
    /// `format: byte` (feature `base64`): bytes that travel as base64 text.
    #[cfg(feature = "base64")]
    pub use crate::bytes::Base64;
    pub use crate::email::{Email, InvalidEmail};
    pub use crate::multipart::{File, Part as MultipartPart};
    pub use crate::nullable::{Nullable, absent, json_default, json_default_nullable, optional};
    pub use crate::object::{FromObject, deserialize_object, serialize_tagged};
    pub use crate::params::{Fields, Form, Param, ParamError, Params, Shape, Style, Values};
    pub use crate::response::OperationResponse;
    #[cfg(feature = "regex")]
    pub use crate::validate::Pattern;
    pub use crate::validate::start::*;
    pub use crate::validate::{Checker, Limits, Number, Present, Validate, Violation};
    /// `format: date-time` / `date` (feature `chrono`), re-exported for the same reason.
    #[cfg(feature = "chrono")]
    pub use chrono::{DateTime, NaiveDate, Utc};
    /// `format: uuid` (feature `uuid`), re-exported so server and client crates name it
    /// through their models crate.
    #[cfg(feature = "uuid")]
    pub use uuid::Uuid;
}

/// Re-exported for [`json_object!`], so the expansion does not depend on the caller's imports.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
