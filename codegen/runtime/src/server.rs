//! What generated axum routers call: reading and checking requests, authenticating them against
//! the operation's security alternatives, and writing responses.
//!
//! A generated handler is a few lines: [`Incoming::new`], then [`authenticate`] and the
//! `path` / `query` / `headers` / body readers (each parses *and* validates, answering a
//! [`Problem`] on failure), then the implementation's method, then one response constructor per
//! documented status.

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts as _, RawPathParams, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::models::Validate;
pub use crate::multipart::Part as MultipartPart;
use crate::params;
pub use crate::params::{Form, Param, Params};
pub use crate::params::{Shape, Style};
pub use crate::security::{Carrier, Scheme};

/// Settings of the generated router.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The largest request body accepted, in bytes; larger ones are answered 413.
    pub body_limit: usize,
    /// Where the server's OpenAPI description is served as JSON; `None` to not serve it.
    pub openapi_path: Option<String>,
    /// Where Swagger UI is served (with the generated crate's `swagger-ui` feature); `None` to
    /// not serve it.
    pub swagger_ui_path: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 1024 * 1024,
            openapi_path: Some("/openapi.json".to_owned()),
            swagger_ui_path: Some("/docs".to_owned()),
        }
    }
}

impl ServerConfig {
    /// Sets the largest accepted request body.
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets (or with `None`, turns off) the path of the OpenAPI description.
    pub fn with_openapi_path(mut self, path: Option<&str>) -> Self {
        self.openapi_path = path.map(str::to_owned);
        self
    }

    /// Sets (or with `None`, turns off) the path of Swagger UI.
    pub fn with_swagger_ui_path(mut self, path: Option<&str>) -> Self {
        self.swagger_ui_path = path.map(str::to_owned);
        self
    }
}

/// Why the router answered a request without calling an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// Malformed or invalid parameters or body: 400 (or what the operation documents, see
    /// [`Statuses`]).
    InvalidRequest,
    /// No accepted credential: 401 (or 403).
    Unauthorized,
    /// No route for the path: 404.
    NotFound,
    /// The path exists, the method does not: 405.
    MethodNotAllowed,
    /// The body is larger than [`ServerConfig::body_limit`]: 413.
    PayloadTooLarge,
    /// A credential could not be checked (its store is down): 503, so clients keep it.
    Unavailable,
}

/// A request the router refused, with a message for the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What kind of refusal, which decides the status.
    pub kind: ProblemKind,
    /// Names the offending parameter or field, e.g. `password must be at least 8 characters long`.
    pub message: String,
    /// The status it is answered with: the kind's default, until the router applies the
    /// operation's documented one ([`Problem::answered_in`]) before asking for the error body.
    pub status: u16,
}

/// The statuses one operation answers for the requests the router refuses itself, chosen by the
/// generator from those the operation documents (400 or 422 for invalid requests, 401 or 403
/// without credentials), so that clients meet only documented statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statuses {
    /// Malformed or invalid parameters or body.
    pub invalid: u16,
    /// No accepted credential.
    pub unauthorized: u16,
    /// A body over the limit.
    pub too_large: u16,
    /// The JSON media type documented for a status where it is not `application/json`
    /// (`application/problem+json`, …).
    pub media: &'static [(u16, &'static str)],
}

impl Statuses {
    /// 400, 401 and 413, as `application/json`.
    pub const DEFAULT: Statuses = Statuses { invalid: 400, unauthorized: 401, too_large: 413, media: &[] };

    /// With these media types for these statuses.
    pub const fn media(self, media: &'static [(u16, &'static str)]) -> Self {
        Statuses { media, ..self }
    }

    /// The media type a refusal answered with `status` is sent as.
    pub fn media_for(&self, status: u16) -> &'static str {
        self.media.iter().find(|(code, _)| *code == status).map_or("application/json", |(_, media)| media)
    }

    /// With this status for invalid requests.
    pub const fn invalid(self, status: u16) -> Self {
        Statuses { invalid: status, ..self }
    }

    /// With this status for requests without an accepted credential.
    pub const fn unauthorized(self, status: u16) -> Self {
        Statuses { unauthorized: status, ..self }
    }

    /// With this status for bodies over the limit.
    pub const fn too_large(self, status: u16) -> Self {
        Statuses { too_large: status, ..self }
    }
}

impl Problem {
    /// A problem of this kind, answered with the kind's default status.
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Self {
        let mut problem = Problem { kind, message: message.into(), status: 0 };
        problem.status = problem.status_in(&Statuses::DEFAULT).as_u16();
        problem
    }

    /// The HTTP status the problem is answered with.
    pub fn status(&self) -> StatusCode {
        status(self.status)
    }

    /// The same problem, answered with the status `statuses` give its kind.
    pub fn answered_in(mut self, statuses: &Statuses) -> Self {
        self.status = self.status_in(statuses).as_u16();
        self
    }

    /// The HTTP status the problem is answered with by an operation with these statuses.
    /// The defaults of the kinds an operation may choose are [`Statuses::DEFAULT`]'s; the others
    /// are the router's own.
    pub fn status_in(&self, statuses: &Statuses) -> StatusCode {
        match self.kind {
            ProblemKind::InvalidRequest => status(statuses.invalid),
            ProblemKind::Unauthorized => status(statuses.unauthorized),
            ProblemKind::PayloadTooLarge => status(statuses.too_large),
            ProblemKind::NotFound => StatusCode::NOT_FOUND,
            ProblemKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A 400 with this message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Problem::new(ProblemKind::InvalidRequest, message)
    }

    /// The 401 of a request without an accepted credential.
    pub fn unauthorized() -> Self {
        Problem::new(ProblemKind::Unauthorized, "missing or invalid credentials")
    }

    /// 503: credentials could not be checked right now.
    pub fn unavailable() -> Self {
        Problem::new(ProblemKind::Unavailable, "credentials cannot be checked right now")
    }

    /// The 404 of a path no route matches.
    pub fn not_found(request: &Request) -> Self {
        let message = format!("no route for {} {}", request.method(), request.uri().path());
        Problem::new(ProblemKind::NotFound, message)
    }

    /// The 405 of a method the path does not declare.
    pub fn method_not_allowed(request: &Request) -> Self {
        let message = format!("{} is not allowed on {}", request.method(), request.uri().path());
        Problem::new(ProblemKind::MethodNotAllowed, message)
    }
}

/// What an operation learns about the request besides its parameters.
#[derive(Clone, Debug)]
pub struct RequestMeta {
    /// The request headers.
    pub headers: HeaderMap,
    /// The client's address, when the server was started with connect info
    /// (`into_make_service_with_connect_info::<SocketAddr>()`).
    pub remote_addr: Option<std::net::SocketAddr>,
}

impl RequestMeta {
    /// Takes what it needs from the request head (the headers move, they are not copied).
    pub fn from_parts(parts: &mut Parts) -> Self {
        RequestMeta {
            headers: std::mem::take(&mut parts.headers),
            remote_addr: parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0),
        }
    }
}

/// Checks credentials; the generated router implements it over the implementation's
/// `authenticate`, mapping scheme names to its `Credential` variants.
pub trait Authenticate: Send + Sync {
    /// Who is calling.
    type Principal: Send;

    /// Every security scheme of the API.
    const SCHEMES: &'static [Scheme];

    /// Checks one credential of the named scheme, which the operation's requirement asks for
    /// `scopes` (empty but for OAuth 2 / OpenID Connect); `Ok(None)` refuses it, `Err` says it
    /// could not be checked.
    fn check(
        &self,
        scheme: &'static str,
        credential: String,
        scopes: &'static [&'static str],
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<Option<Self::Principal>, Unavailable>> + Send;
}

/// One scheme of a security alternative: its name, and the scopes the operation asks of it.
pub type Requirement = (&'static str, &'static [&'static str]);

/// A credential could not be checked (the store that holds credentials is down). The router
/// answers 503, not 401: a client that met 401 would drop a credential that is still valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unavailable;

/// The caller, by the first of `alternatives` (each a list of requirements, all required) whose
/// every credential is present and accepted with the scopes asked of it; the principal of its
/// first scheme. `None` when no alternative is met, including one that names a scheme the API
/// does not declare; the 503 problem when a credential could not be checked.
pub async fn authenticate<A: Authenticate>(
    auth: &A,
    request: &Incoming,
    alternatives: &[&[Requirement]],
) -> Result<Option<A::Principal>, Problem> {
    'alternatives: for alternative in alternatives {
        let mut first = None;
        for &(name, scopes) in *alternative {
            let Some(scheme) = A::SCHEMES.iter().find(|s| s.name == name) else { continue 'alternatives };
            let Some(credential) = request.credential(scheme.carrier) else { continue 'alternatives };
            let checked = auth.check(scheme.name, credential, scopes, request.meta()).await;
            let Some(who) = checked.map_err(|Unavailable| Problem::unavailable())? else { continue 'alternatives };
            first.get_or_insert(who);
        }
        if first.is_some() {
            return Ok(first);
        }
    }
    Ok(None)
}

/// A request being read by a generated handler: its head (as [`RequestMeta`]) and its body,
/// which the body readers consume once.
#[derive(Debug)]
pub struct Incoming {
    parts: Parts,
    meta: RequestMeta,
    /// In a mutex only to make `Incoming` `Sync` (a body is `Send` alone), so handlers may hold
    /// `&Incoming` across awaits; it is only ever reached through `&mut self`, never locked.
    body: std::sync::Mutex<Option<Body>>,
    body_limit: usize,
}

impl Incoming {
    /// Splits the request; bodies above `config.body_limit` will be refused with 413.
    pub fn new(request: Request, config: &ServerConfig) -> Self {
        let (mut parts, body) = request.into_parts();
        let meta = RequestMeta::from_parts(&mut parts);
        Incoming { parts, meta, body: std::sync::Mutex::new(Some(body)), body_limit: config.body_limit }
    }

    /// The headers and peer address, for the implementation.
    pub fn meta(&self) -> &RequestMeta {
        &self.meta
    }

    /// The credential a scheme would use, when the request carries one.
    pub fn credential(&self, carrier: Carrier) -> Option<String> {
        let headers = &self.meta.headers;
        match carrier {
            Carrier::Header(name) => headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned),
            Carrier::Cookie(name) => cookie_value(headers, name),
            Carrier::Query(name) => query_value(self.parts.uri.query(), name),
            Carrier::Authorization(scheme) => authorization(headers, scheme),
        }
    }

    /// The path parameters, parsed into the operation's struct by its styles and validated.
    pub async fn path<T: Params>(&mut self) -> Result<T, Problem> {
        let params = RawPathParams::from_request_parts(&mut self.parts, &())
            .await
            .map_err(|error| Problem::invalid(format!("invalid path: {error}")))?;
        let segments: Vec<(&str, &str)> = params.iter().collect();
        checked_params(params::decode_path(&segments).map_err(|e| Problem::invalid(format!("path: {e}")))?)
    }

    /// The query string, parsed into the operation's struct by its styles and validated.
    /// Parameters the operation does not declare are refused.
    pub fn query<T: Params>(&self) -> Result<T, Problem> {
        let query = self.parts.uri.query().unwrap_or("");
        checked_params(params::decode_query(query).map_err(|e| Problem::invalid(format!("query: {e}")))?)
    }

    /// The declared header parameters, parsed into the operation's struct and validated.
    pub fn headers<T: Params>(&self) -> Result<T, Problem> {
        let headers = &self.meta.headers;
        let joined = header_lookup(headers, T::PARAMS);
        let lookup = |name: &str| joined.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        checked_params(params::decode_headers(lookup).map_err(|e| Problem::invalid(format!("headers: {e}")))?)
    }

    /// The declared cookie parameters, parsed into the operation's struct and validated; other
    /// cookies are left alone.
    pub fn cookies<T: Params>(&self) -> Result<T, Problem> {
        let values = self.meta.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok());
        checked_params(params::decode_cookies(values).map_err(|e| Problem::invalid(format!("cookies: {e}")))?)
    }

    /// A required JSON body, parsed and validated.
    pub async fn json<T: DeserializeOwned + Validate>(&mut self) -> Result<T, Problem> {
        self.optional_json().await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional JSON body: `None` when the request has no body.
    pub async fn optional_json<T: DeserializeOwned + Validate>(&mut self) -> Result<Option<T>, Problem> {
        let bytes = self.bytes().await?;
        if bytes.is_empty() {
            return Ok(None);
        }
        let (content_type, essence) = self.content_type();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(Problem::invalid(format!(
                "the request body must be JSON (Content-Type: application/json), not {content_type:?}"
            )));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Problem::invalid(describe(&e, "body")))?;
        deserializer.end().map_err(|e| Problem::invalid(format!("invalid body: {e}")))?;
        checked(value).map(Some)
    }

    /// A required text body.
    pub async fn text(&mut self) -> Result<String, Problem> {
        self.optional_text().await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional text body: `None` when the request has no body. An empty body with a
    /// `Content-Type` is the empty text, which a required body may be.
    pub async fn optional_text(&mut self) -> Result<Option<String>, Problem> {
        let bytes = self.bytes().await?;
        if bytes.is_empty() {
            return Ok(self.has_content_type().then(String::new));
        }
        String::from_utf8(bytes.to_vec()).map(Some).map_err(|_| Problem::invalid("the request body is not valid UTF-8"))
    }

    /// A required `application/x-www-form-urlencoded` body, parsed by the description of its
    /// properties (`params::decode_form_body`) and validated.
    pub async fn form<T: DeserializeOwned + Validate>(&mut self, described: &[Param]) -> Result<T, Problem> {
        self.optional_form(described).await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional form body: `None` when the request has no body.
    pub async fn optional_form<T: DeserializeOwned + Validate>(
        &mut self,
        described: &[Param],
    ) -> Result<Option<T>, Problem> {
        let Some(text) = self.optional_text().await? else { return Ok(None) };
        let (content_type, essence) = self.content_type();
        if essence != "application/x-www-form-urlencoded" {
            return Err(Problem::invalid(format!(
                "the request body must be a form (Content-Type: application/x-www-form-urlencoded), not {content_type:?}"
            )));
        }
        let value = params::decode_form_body(&text, described).map_err(|e| Problem::invalid(format!("body: {e}")))?;
        checked(value).map(Some)
    }

    /// A required body the operation documents both as JSON and as a form of the same type,
    /// read by its `Content-Type`.
    pub async fn json_or_form<T: DeserializeOwned + Validate>(&mut self, described: &[Param]) -> Result<T, Problem> {
        self.optional_json_or_form(described).await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional body sent as JSON or as a form: `None` when the request has no body.
    pub async fn optional_json_or_form<T: DeserializeOwned + Validate>(
        &mut self,
        described: &[Param],
    ) -> Result<Option<T>, Problem> {
        let (content_type, essence) = self.content_type();
        if essence == "application/x-www-form-urlencoded" {
            return self.optional_form(described).await;
        }
        if !essence.is_empty() && essence != "application/json" && !essence.ends_with("+json") {
            return Err(Problem::invalid(format!(
                "the request body must be JSON or a form (application/json or \
                 application/x-www-form-urlencoded), not {content_type:?}"
            )));
        }
        self.optional_json().await
    }

    /// A required binary body, its bytes as sent (any media type the operation declares).
    pub async fn binary(&mut self) -> Result<Vec<u8>, Problem> {
        self.optional_binary().await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional binary body: `None` when the request has no body. An empty body with a
    /// `Content-Type` is zero bytes, which a required body may be.
    pub async fn optional_binary(&mut self) -> Result<Option<Vec<u8>>, Problem> {
        let bytes = self.bytes().await?;
        Ok((!bytes.is_empty() || self.has_content_type()).then(|| bytes.to_vec()))
    }

    /// A required `multipart/form-data` body, read part by part into the operation's struct by
    /// the description of its properties (`multipart::decode`) and validated.
    #[cfg(feature = "multipart")]
    pub async fn multipart<T: DeserializeOwned + Validate>(
        &mut self,
        described: &[crate::multipart::Part],
    ) -> Result<T, Problem> {
        self.optional_multipart(described).await?.ok_or_else(|| Problem::invalid("a request body is required"))
    }

    /// An optional multipart body: `None` when the request has no body.
    #[cfg(feature = "multipart")]
    pub async fn optional_multipart<T: DeserializeOwned + Validate>(
        &mut self,
        described: &[crate::multipart::Part],
    ) -> Result<Option<T>, Problem> {
        let bytes = self.bytes().await?;
        if bytes.is_empty() && !self.has_content_type() {
            return Ok(None);
        }
        let (content_type, essence) = self.content_type();
        if essence != "multipart/form-data" {
            return Err(Problem::invalid(format!(
                "the request body must be multipart/form-data (with its boundary), not {content_type:?}"
            )));
        }
        // The body is already read within the size limit; multer splits it.
        let boundary = multer::parse_boundary(content_type)
            .map_err(|e| Problem::invalid(format!("invalid multipart body: {e}")))?;
        let mut multipart = multer::Multipart::new(Body::from(bytes).into_data_stream(), boundary);
        let mut pieces = Vec::new();
        loop {
            let field =
                multipart.next_field().await.map_err(|e| Problem::invalid(format!("invalid multipart body: {e}")))?;
            let Some(field) = field else { break };
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Problem::invalid(format!("invalid multipart body: part {name}: {e}")))?;
            pieces.push(crate::multipart::Piece { name, file_name, content_type, bytes: bytes.to_vec() });
        }
        let value = crate::multipart::decode(pieces, described).map_err(|e| Problem::invalid(format!("body: {e}")))?;
        checked(value).map(Some)
    }

    /// Whether the request says what its body is: then an empty body is an empty value, not a
    /// missing one (JSON has no empty value, so JSON bodies do not ask).
    fn has_content_type(&self) -> bool {
        self.meta.headers.contains_key(header::CONTENT_TYPE)
    }

    /// The request's `Content-Type`, and its essence (lower case, without parameters).
    fn content_type(&self) -> (&str, String) {
        let content_type = self.meta.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        (content_type, content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    }

    async fn bytes(&mut self) -> Result<Bytes, Problem> {
        let body = self.body.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let Some(body) = body else { return Ok(Bytes::new()) };
        let limit = self.body_limit;
        axum::body::to_bytes(body, limit).await.map_err(|_| {
            Problem::new(
                ProblemKind::PayloadTooLarge,
                format!("the request body is larger than {limit} bytes or could not be read"),
            )
        })
    }
}

/// Runs the schema's constraint checks, naming every violation.
fn checked<T: Validate>(value: T) -> Result<T, Problem> {
    value.validate().map_err(invalid)?;
    Ok(value)
}

fn checked_params<T: Params>(value: T) -> Result<T, Problem> {
    value.validate().map_err(invalid)?;
    Ok(value)
}

/// The 400 that names every violation.
fn invalid(violations: Vec<crate::models::Violation>) -> Problem {
    let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
    Problem::invalid(messages.join(", "))
}

fn describe(error: &serde_path_to_error::Error<impl std::fmt::Display>, what: &str) -> String {
    let path = error.path().to_string();
    if path.is_empty() || path == "." {
        format!("invalid {what}: {}", error.inner())
    } else {
        format!("{path}: {}", error.inner())
    }
}

/// The value of each described header (repeated header lines joined with `,`, as HTTP allows).
fn header_lookup(headers: &HeaderMap, described: &[Param]) -> Vec<(&'static str, String)> {
    described
        .iter()
        .filter_map(|param| {
            let values: Vec<&str> = headers.get_all(param.name).iter().filter_map(|v| v.to_str().ok()).collect();
            (!values.is_empty()).then(|| (param.name, values.join(",")))
        })
        .collect()
}

/// A cookie's value from the `Cookie` headers.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// A query parameter's value.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    params::query_pairs(query.unwrap_or("")).ok()?.into_iter().find(|(key, _)| key == name).map(|(_, v)| v)
}

/// The credentials of an `Authorization: <scheme> <credentials>` header.
fn authorization(headers: &HeaderMap, scheme: &str) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, credentials) = value.split_once(' ')?;
    let credentials = credentials.trim();
    (given.eq_ignore_ascii_case(scheme) && !credentials.is_empty()).then(|| credentials.to_owned())
}

fn status(code: u16) -> StatusCode {
    // Generated code passes the statuses the spec documents, which are all in range.
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A JSON response. Serialising generated types cannot fail; if it ever did, the answer is an
/// empty 500 rather than a panic.
pub fn json(code: u16, body: &impl Serialize) -> Response {
    json_as(code, "application/json", body)
}

/// A JSON response under another JSON media type the operation documents
/// (`application/problem+json`, `application/vnd.api+json`, …).
pub fn json_as(code: u16, media_type: &'static str, body: &impl Serialize) -> Response {
    match (serde_json::to_vec(body), HeaderValue::from_str(media_type)) {
        (Ok(bytes), Ok(value)) => with_content_type(code, Body::from(bytes), value),
        _ => empty(500),
    }
}

/// An `application/x-www-form-urlencoded` response, its properties written by their
/// description.
pub fn form(code: u16, body: &impl Serialize, described: &[Param]) -> Response {
    match params::encode_form(body, described) {
        Ok(text) => {
            with_content_type(code, Body::from(text), HeaderValue::from_static("application/x-www-form-urlencoded"))
        }
        Err(_) => empty(500),
    }
}

/// A binary response with the documented media type, its bytes as they are.
pub fn binary(code: u16, media_type: &'static str, body: Vec<u8>) -> Response {
    match HeaderValue::from_str(media_type) {
        Ok(value) => with_content_type(code, Body::from(body), value),
        Err(_) => empty(500),
    }
}

/// A text response with the documented media type (`charset=utf-8` added for `text/*`).
pub fn text(code: u16, media_type: &'static str, body: String) -> Response {
    let value = if media_type.starts_with("text/") && !media_type.contains("charset") {
        HeaderValue::from_str(&format!("{media_type}; charset=utf-8"))
    } else {
        HeaderValue::from_str(media_type)
    };
    match value {
        Ok(value) => with_content_type(code, Body::from(body), value),
        Err(_) => empty(500),
    }
}

fn with_content_type(code: u16, body: Body, content_type: HeaderValue) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status(code);
    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    response
}

/// A response without a body.
pub fn empty(code: u16) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status(code);
    response
}

/// The OpenAPI description, serialised once, as a JSON response.
pub fn openapi_json(description: Bytes) -> Response {
    with_content_type(200, Body::from(description), HeaderValue::from_static("application/json"))
}

/// Adds a generated response-headers struct to a response; values that are not valid header
/// text are left out.
pub fn with_headers<T: Params>(mut response: Response, headers: &T) -> Response {
    let Ok(encoded) = params::encode_headers(headers) else { return response };
    for (name, text) in encoded {
        if let (Ok(name), Ok(value)) = (header::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_answers_refusals_with_its_documented_statuses() {
        let statuses = Statuses::DEFAULT.invalid(422).unauthorized(403).too_large(422);
        assert_eq!(Problem::invalid("x").status_in(&statuses).as_u16(), 422);
        assert_eq!(Problem::unauthorized().status_in(&statuses).as_u16(), 403);
        let large = Problem::new(ProblemKind::PayloadTooLarge, "");
        assert_eq!(large.status_in(&statuses).as_u16(), 422);
        assert_eq!(large.status().as_u16(), 413);
        let gone = Problem::new(ProblemKind::NotFound, "");
        assert_eq!(gone.status_in(&statuses).as_u16(), 404, "not the operation's to choose");
        assert_eq!(Problem::invalid("x").status().as_u16(), 400);
        assert_eq!(Problem::invalid("x").answered_in(&statuses).status().as_u16(), 422);
        let statuses = statuses.media(&[(422, "application/problem+json")]);
        assert_eq!(statuses.media_for(422), "application/problem+json");
        assert_eq!(statuses.media_for(403), "application/json");
    }

    fn incoming(uri: &str, headers: &[(&str, &str)], body: &'static str) -> Incoming {
        let mut request = Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Incoming::new(request.body(Body::from(body)).unwrap(), &ServerConfig::default().with_body_limit(16))
    }

    /// Read as a query and, in one test, as a JSON body.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Query {
        limit: Option<u32>,
    }

    impl Params for Query {
        const PARAMS: &'static [Param] = &[Param::query("limit")];

        fn read(fields: &mut crate::params::Fields) -> Result<Self, crate::params::ParamError> {
            Ok(Query { limit: fields.take("limit")? })
        }

        fn write(&self, values: &mut crate::params::Values) {
            values.put("limit", &self.limit);
        }

        fn check(&self, check: &mut crate::models::Checker<'_>) {
            check.number("limit", &self.limit, &crate::models::Limits::NONE.maximum(50.0));
        }
    }

    /// As a JSON body (one test), it checks nothing.
    impl Validate for Query {}

    #[test]
    fn credentials_are_found_where_their_scheme_says() {
        let request = incoming(
            "/x?key=q%20v",
            &[("x-token", "h"), ("cookie", "a=1; sid=\"s\""), ("authorization", "bearer  jwt ")],
            "",
        );
        assert_eq!(request.credential(Carrier::Header("x-token")).as_deref(), Some("h"));
        assert_eq!(request.credential(Carrier::Cookie("sid")).as_deref(), Some("s"));
        assert_eq!(request.credential(Carrier::Query("key")).as_deref(), Some("q v"));
        assert_eq!(request.credential(Carrier::Authorization("Bearer")).as_deref(), Some("jwt"));
        assert_eq!(request.credential(Carrier::Authorization("Basic")), None);
        assert_eq!(request.credential(Carrier::Cookie("missing")), None);
    }

    #[test]
    fn the_query_is_parsed_then_validated() {
        assert_eq!(incoming("/x?limit=5", &[], "").query::<Query>(), Ok(Query { limit: Some(5) }));
        let too_big = incoming("/x?limit=51", &[], "").query::<Query>().unwrap_err();
        assert_eq!(too_big.message, "limit must not be greater than 50");
        let unknown = incoming("/x?other=1", &[], "").query::<Query>().unwrap_err();
        assert_eq!(unknown.kind, ProblemKind::InvalidRequest);
        assert!(unknown.message.contains("unknown field"), "{}", unknown.message);
    }

    #[tokio::test]
    async fn json_bodies_check_type_size_and_shape() {
        let ok = incoming("/", &[("content-type", "application/json")], r#"{"limit":1}"#).json::<Query>().await;
        assert_eq!(ok, Ok(Query { limit: Some(1) }));
        let text = incoming("/", &[("content-type", "text/plain")], "{}").json::<Query>().await.unwrap_err();
        assert!(text.message.contains("must be JSON"), "{}", text.message);
        let large =
            incoming("/", &[("content-type", "application/json")], r#"{"limit":1}         "#).json::<Query>().await;
        assert_eq!(large.unwrap_err().kind, ProblemKind::PayloadTooLarge);
        let missing = incoming("/", &[], "").json::<Query>().await.unwrap_err();
        assert_eq!(missing.message, "a request body is required");
        let empty_json = incoming("/", &[("content-type", "application/json")], "").json::<Query>().await;
        assert_eq!(empty_json.unwrap_err().message, "a request body is required");
        assert_eq!(incoming("/", &[], "").optional_json::<Query>().await, Ok(None));
        let trailing = incoming("/", &[("content-type", "application/json")], "{} {}").json::<Query>().await;
        assert!(trailing.unwrap_err().message.starts_with("invalid body"));
    }

    #[tokio::test]
    async fn an_empty_body_that_says_its_type_is_an_empty_value() {
        let bytes = incoming("/", &[("content-type", "application/octet-stream")], "").binary().await;
        assert_eq!(bytes, Ok(Vec::new()));
        assert_eq!(incoming("/", &[("content-type", "text/plain")], "").text().await, Ok(String::new()));
        assert_eq!(incoming("/", &[], "").optional_binary().await, Ok(None));
        assert_eq!(incoming("/", &[], "").text().await.unwrap_err().message, "a request body is required");
    }

    struct Tokens;

    impl Authenticate for Tokens {
        type Principal = String;
        const SCHEMES: &'static [Scheme] = &[
            Scheme { name: "key", carrier: Carrier::Header("x-key") },
            Scheme { name: "jwt", carrier: Carrier::Authorization("Bearer") },
        ];

        async fn check(
            &self,
            scheme: &'static str,
            credential: String,
            scopes: &'static [&'static str],
            _: &RequestMeta,
        ) -> Result<Option<String>, Unavailable> {
            if credential == "store-down" {
                return Err(Unavailable);
            }
            // A token granting only `read`.
            let granted = scopes.iter().all(|scope| *scope == "read");
            Ok((credential == "good" && granted).then(|| format!("{scheme}:{credential}")))
        }
    }

    #[tokio::test]
    async fn the_first_alternative_met_wins() {
        let both = incoming("/", &[("x-key", "bad"), ("authorization", "Bearer good")], "");
        let who = |result: Result<Option<String>, Problem>| result.expect("checked");
        let (key, jwt) = (("key", &[][..]), ("jwt", &[][..]));
        assert_eq!(who(authenticate(&Tokens, &both, &[&[key], &[jwt]]).await).as_deref(), Some("jwt:good"));
        // Every scheme of an alternative must be accepted.
        assert_eq!(who(authenticate(&Tokens, &both, &[&[key, jwt]]).await), None);
        // An undeclared scheme can never be met.
        assert_eq!(who(authenticate(&Tokens, &both, &[&[("nope", &[])]]).await), None);
        let good = incoming("/", &[("x-key", "good"), ("authorization", "Bearer good")], "");
        assert_eq!(who(authenticate(&Tokens, &good, &[&[key, jwt]]).await).as_deref(), Some("key:good"));
    }

    #[tokio::test]
    async fn the_scopes_asked_reach_the_check() {
        let good = incoming("/", &[("authorization", "Bearer good")], "");
        let who = |result: Result<Option<String>, Problem>| result.expect("checked");
        assert_eq!(who(authenticate(&Tokens, &good, &[&[("jwt", &["read"])]]).await).as_deref(), Some("jwt:good"));
        assert_eq!(who(authenticate(&Tokens, &good, &[&[("jwt", &["read", "write"])]]).await), None);
    }

    #[tokio::test]
    async fn a_credential_that_cannot_be_checked_is_503_not_401() {
        let down = incoming("/", &[("x-key", "store-down")], "");
        let problem = authenticate(&Tokens, &down, &[&[("key", &[])]]).await.expect_err("not checked");
        assert_eq!((problem.kind, problem.status()), (ProblemKind::Unavailable, StatusCode::SERVICE_UNAVAILABLE));
    }

    #[test]
    fn responses_carry_status_type_and_headers() {
        let response = json(201, &serde_json::json!({"a": 1}));
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(text(200, "text/plain", "OK".into()).headers()[header::CONTENT_TYPE], "text/plain; charset=utf-8");
        let problem = json_as(404, "application/problem+json", &serde_json::json!({"title": "x"}));
        assert_eq!(problem.headers()[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(binary(200, "image/png", vec![0x89, 0]).headers()[header::CONTENT_TYPE], "image/png");
        struct Headers {
            retry_after: u32,
            none: Option<String>,
        }
        crate::params::test_params!(
            Headers { retry_after: "Retry-After", none: "X-None" } =
                &[Param::header("Retry-After"), Param::header("X-None")]
        );
        let response = with_headers(empty(429), &Headers { retry_after: 3, none: None });
        assert_eq!(response.headers()["retry-after"], "3");
        assert!(!response.headers().contains_key("x-none"));
    }
}
