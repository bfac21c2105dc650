//! What generated reqwest clients call. A generated method builds a [`Call`] from its
//! operation's description ([`Operation`]: method, path template, security alternatives) and its
//! typed arguments, sends it with [`ClientCore::send`], matches the [`Response`]'s status
//! against the documented ones to decode the operation's response enum, and returns
//! [`Response::decoded`].
//!
//! `send` applies the credentials of the first alternative the client has, sends with
//! retries (idempotent methods after timeouts, 429 and 5xx; every method after connection
//! errors, when nothing was sent), keeps the session cookie a server sets, and returns the
//! decoded value with what was on the wire ([`ApiResponse`]).

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use crate::multipart::Part as MultipartPart;
use crate::params;
pub use crate::params::{Form, Param, Params, Shape, Style};
pub use crate::response::OperationResponse;
pub use crate::security::{Carrier, Scheme};

/// One operation of the API, as the generated client describes it.
#[derive(Debug)]
pub struct Operation {
    /// The `operationId`, named in errors.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/users/{id}`; [`Call::path_param`] fills it.
    pub path: &'static str,
    /// The accepted alternatives, each a list of scheme names that must all be sent. Empty:
    /// a public operation. An empty alternative: credentials are optional.
    pub security: &'static [&'static [&'static str]],
}

impl Operation {
    fn idempotent(&self) -> bool {
        [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(&self.method)
    }
}

/// A decoded response: the operation's enum plus what was on the wire.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers, for logging and tracing.
    pub headers: HeaderMap,
    /// The raw body, as received (the decoded form is `value`).
    pub body: Vec<u8>,
    /// The documented response.
    pub value: T,
}

impl<T> ApiResponse<T> {
    /// The documented response, without the wire details.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// What a generated method returns: the documented response with its wire details, or why
/// there is none.
pub type ApiResult<T> = Result<ApiResponse<T>, Error>;

/// Why a call did not produce a documented response.
#[derive(Debug)]
pub enum Error {
    /// The operation needs a credential the client does not have.
    MissingCredentials {
        /// The operation.
        operation: &'static str,
        /// The schemes any of which would do.
        accepted: Vec<&'static str>,
    },
    /// The request could not be encoded.
    Encode {
        /// The operation.
        operation: &'static str,
        /// What could not be encoded, and why.
        message: String,
    },
    /// The request could not be sent or the response not read.
    Transport {
        /// The operation.
        operation: &'static str,
        /// reqwest's error.
        source: reqwest::Error,
    },
    /// The server answered a status the spec does not document for the operation.
    UndocumentedStatus {
        /// The operation.
        operation: &'static str,
        /// The status.
        status: u16,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The body, as text.
        body: String,
    },
    /// The body does not match the documented schema.
    Decode {
        /// The operation.
        operation: &'static str,
        /// The status.
        status: u16,
        /// The body, as text.
        body: String,
        /// What did not match.
        message: String,
    },
    /// The client was configured wrongly.
    InvalidConfig(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::MissingCredentials { operation, accepted } => {
                write!(f, "{operation} needs one of these credentials, and none is configured: {}", accepted.join(", "))
            }
            Error::Encode { operation, message } => write!(f, "{operation}: cannot encode the request: {message}"),
            Error::Transport { operation, source } => write!(f, "{operation}: {source}"),
            Error::UndocumentedStatus { operation, status, body, .. } => {
                write!(f, "{operation}: undocumented status {status}: {body}")
            }
            Error::Decode { operation, status, message, .. } => {
                write!(f, "{operation}: the {status} response does not match the spec: {message}")
            }
            Error::InvalidConfig(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One request being put together by a generated method.
#[derive(Debug)]
pub struct Call {
    operation: &'static Operation,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<(&'static str, Vec<u8>)>,
    /// A multipart body's parts; reqwest writes the boundary.
    #[cfg(feature = "multipart")]
    multipart: Option<Vec<crate::multipart::Piece>>,
    /// The first encoding failure; reported by `send`, so the builder methods chain.
    error: Option<String>,
}

impl Call {
    /// A call of `operation` with nothing filled in yet.
    pub fn new(operation: &'static Operation) -> Self {
        Call {
            operation,
            path: operation.path.to_owned(),
            query: None,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            #[cfg(feature = "multipart")]
            multipart: None,
            error: None,
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Fills `{name}` in the path with `value` written in `param`'s style, percent-encoded so
    /// it stays one segment.
    pub fn path_param<T: Serialize + ?Sized>(mut self, param: Param, value: &T) -> Self {
        match params::encode_path(param, value) {
            Ok(text) => self.path = self.path.replace(&format!("{{{}}}", param.name), &text),
            Err(message) => self.fail(format!("path parameter {}: {message}", param.name)),
        }
        self
    }

    /// The query parameters, from the operation's query struct, each in its style.
    pub fn query<T: Params>(mut self, query: &T) -> Self {
        match params::encode_query(query) {
            Ok(text) if text.is_empty() => {}
            Ok(text) => self.query = Some(text),
            Err(e) => self.fail(format!("query: {e}")),
        }
        self
    }

    /// The header parameters, from the operation's headers struct.
    pub fn header_params<T: Params>(mut self, headers: &T) -> Self {
        match params::encode_headers(headers) {
            Ok(encoded) => {
                for (name, text) in encoded {
                    match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
                        (Ok(name), Ok(value)) => {
                            self.headers.insert(name, value);
                        }
                        _ => self.fail(format!("header {name}: {text:?} is not a valid header value")),
                    }
                }
            }
            Err(e) => self.fail(format!("headers: {e}")),
        }
        self
    }

    /// The cookie parameters, from the operation's cookies struct; sent beside the session
    /// cookie and cookie credentials.
    pub fn cookies<T: Params>(mut self, cookies: &T) -> Self {
        match params::encode_cookies(cookies) {
            Ok(pairs) => self.cookies = pairs,
            Err(e) => self.fail(format!("cookies: {e}")),
        }
        self
    }

    /// Extra headers (those set on a resource with `with_header`).
    pub fn headers(mut self, headers: &HeaderMap) -> Self {
        self.headers.extend(headers.iter().map(|(name, value)| (name.clone(), value.clone())));
        self
    }

    /// A JSON body with this media type.
    pub fn json<T: Serialize + ?Sized>(mut self, media_type: &'static str, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((media_type, bytes)),
            Err(e) => self.fail(format!("body: {e}")),
        }
        self
    }

    /// A text body with this media type.
    pub fn text(mut self, media_type: &'static str, body: &str) -> Self {
        self.body = Some((media_type, body.as_bytes().to_vec()));
        self
    }

    /// An `application/x-www-form-urlencoded` body, its properties written by their description
    /// (the media type's `encoding`).
    pub fn form<T: Serialize + ?Sized>(mut self, media_type: &'static str, body: &T, described: &[Param]) -> Self {
        match serde_json::to_value(body).map_err(|e| e.to_string()).and_then(|v| params::encode_form(&v, described)) {
            Ok(text) => self.body = Some((media_type, text.into_bytes())),
            Err(e) => self.fail(format!("body: {e}")),
        }
        self
    }

    /// A `multipart/form-data` body: each property as its parts, by their description.
    #[cfg(feature = "multipart")]
    pub fn multipart<T: Serialize + ?Sized>(mut self, body: &T, described: &[crate::multipart::Part]) -> Self {
        let pieces = serde_json::to_value(body)
            .map_err(|e| e.to_string())
            .and_then(|value| crate::multipart::encode(value, described));
        match pieces {
            Ok(pieces) => {
                // Checked here, so that building each attempt's form cannot fail.
                let bad = pieces
                    .iter()
                    .filter_map(|p| p.content_type.as_deref())
                    .find(|ct| reqwest::multipart::Part::bytes(Vec::new()).mime_str(ct).is_err());
                match bad {
                    Some(ct) => self.fail(format!("body: invalid part media type {ct:?}")),
                    None => self.multipart = Some(pieces),
                }
            }
            Err(e) => self.fail(format!("body: {e}")),
        }
        self
    }

    /// A binary body (`application/octet-stream`, an image, …) with this media type, sent as
    /// it is.
    pub fn binary(mut self, media_type: &'static str, body: &[u8]) -> Self {
        self.body = Some((media_type, body.to_vec()));
        self
    }
}

/// A response as received, for the generated decoding function of one operation.
#[derive(Debug)]
pub struct Response {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as the documented JSON type.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            body: self.body_text(),
            message: e.to_string(),
        })
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Result<String, Error> {
        Ok(self.body_text())
    }

    /// An `application/x-www-form-urlencoded` body, read by the description of its properties.
    pub fn form<T: DeserializeOwned>(&self, described: &[Param]) -> Result<T, Error> {
        params::decode_form_body(&self.body_text(), described).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            body: self.body_text(),
            message: e.to_string(),
        })
    }

    /// The body's bytes, as received, for a binary media type.
    pub fn binary(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    /// The documented response headers, as the generated headers struct.
    pub fn header_params<T: Params>(&self) -> Result<T, Error> {
        let lookup = |name: &str| self.headers.get(name).and_then(|v| v.to_str().ok());
        params::decode_headers(lookup).map_err(|e| Error::Decode {
            operation: self.operation,
            status: self.status,
            body: String::new(),
            message: format!("response headers: {e}"),
        })
    }

    /// The answer, with `value` decoded from it.
    pub fn decoded<T>(self, value: T) -> ApiResponse<T> {
        ApiResponse { status: self.status, headers: self.headers, body: self.body, value }
    }

    /// The error for a status the operation does not document.
    pub fn undocumented(&self) -> Error {
        Error::UndocumentedStatus {
            operation: self.operation,
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: self.body_text(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    http: reqwest::Client,
    schemes: &'static [Scheme],
    credentials: RwLock<BTreeMap<&'static str, String>>,
    default_headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    keep_session: bool,
}

/// The state of a generated client: base URL, HTTP client, credentials by scheme name and
/// settings. Cheap to clone; clones share credentials and the session.
#[derive(Clone, Debug)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

/// Configures a [`ClientCore`]; the generated `ClientBuilder` wraps it.
#[derive(Debug)]
pub struct Builder {
    base_url: String,
    schemes: &'static [Scheme],
    http: Option<reqwest::Client>,
    credentials: BTreeMap<&'static str, String>,
    default_headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    keep_session: bool,
    invalid: Option<String>,
}

impl Builder {
    /// A client of the API at `base_url` whose security schemes are `schemes`.
    pub fn new(base_url: impl Into<String>, schemes: &'static [Scheme]) -> Self {
        Builder {
            base_url: base_url.into(),
            schemes,
            http: None,
            credentials: BTreeMap::new(),
            default_headers: HeaderMap::new(),
            timeout: None,
            retry: RetryPolicy { max_retries: 0, base_delay: Duration::from_millis(100) },
            keep_session: true,
            invalid: None,
        }
    }

    /// Sends `value` as the credential of the named scheme with the operations that accept it.
    pub fn credential(mut self, scheme: &'static str, value: impl Into<String>) -> Self {
        self.credentials.insert(scheme, value.into());
        self
    }

    /// Adds a header sent with every request. Invalid names or values are refused by
    /// [`Builder::build`].
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                self.default_headers.append(name, value);
            }
            _ => self.invalid = Some(format!("invalid default header {name:?}: {value:?}")),
        }
        self
    }

    /// Gives up on a request after this long (each attempt).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a request is retried (default 0). Idempotent requests are retried after
    /// connection errors, timeouts, 429 and 5xx; others only when the connection could not be
    /// made, so nothing was sent.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The first retry delay; each retry doubles it (with jitter), up to 30 s.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// Whether a session cookie set by the server is kept and sent back (default true).
    pub fn keep_session(mut self, keep: bool) -> Self {
        self.keep_session = keep;
        self
    }

    /// Uses this reqwest client (its connection pool, proxy and TLS settings). Build it with
    /// `redirect(reqwest::redirect::Policy::none())`, as the default client is, so that a
    /// documented redirect reaches you as its response variant.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; fails when the base URL is not an absolute http(s) URL or a default
    /// header was invalid.
    pub fn build(self) -> Result<ClientCore, Error> {
        if let Some(problem) = self.invalid {
            return Err(Error::InvalidConfig(problem));
        }
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::InvalidConfig(format!(
                "the base URL must start with http:// or https://, not {base_url:?}"
            )));
        }
        let http = match self.http {
            Some(http) => http,
            // Redirects are answers the spec documents (`303` with its `Location` header), so
            // they are returned as their response variant, not followed.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::InvalidConfig(format!("cannot create the HTTP client: {e}")))?,
        };
        Ok(ClientCore {
            inner: Arc::new(Inner {
                base_url,
                http,
                schemes: self.schemes,
                credentials: RwLock::new(self.credentials),
                default_headers: self.default_headers,
                timeout: self.timeout,
                retry: self.retry,
                keep_session: self.keep_session,
            }),
        })
    }
}

impl ClientCore {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sets or, with `None`, forgets the credential of the named scheme.
    pub fn set_credential(&self, scheme: &'static str, value: Option<String>) {
        // A poisoned lock only means another thread panicked mid-update of a plain map.
        let mut credentials = self.inner.credentials.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        match value {
            Some(value) => credentials.insert(scheme, value),
            None => credentials.remove(scheme),
        };
    }

    /// The current credential of the named scheme (including a session cookie the server set).
    pub fn credential(&self, scheme: &str) -> Option<String> {
        self.inner.credentials.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(scheme).cloned()
    }

    /// The credentials to send: those of the first accepted alternative the client has all of.
    /// A public operation, or one whose credentials are optional, may send none.
    fn credentials_for(&self, operation: &Operation) -> Result<Vec<(Carrier, String)>, Error> {
        let alternatives = operation.security;
        for alternative in alternatives {
            let found: Vec<(Carrier, String)> = alternative
                .iter()
                .filter_map(|name| {
                    let scheme = self.inner.schemes.iter().find(|s| s.name == *name)?;
                    self.credential(name).map(|value| (scheme.carrier, value))
                })
                .collect();
            if found.len() == alternative.len() {
                return Ok(found);
            }
        }
        if alternatives.is_empty() {
            return Ok(Vec::new());
        }
        let mut accepted: Vec<&'static str> = alternatives.iter().flat_map(|a| a.iter().copied()).collect();
        accepted.dedup();
        Err(Error::MissingCredentials { operation: operation.id, accepted })
    }

    fn url(&self, call: &Call, credentials: &[(Carrier, String)]) -> String {
        let mut url = format!("{}{}", self.inner.base_url, call.path);
        let mut query = call.query.clone().unwrap_or_default();
        for (carrier, value) in credentials {
            if let Carrier::Query(name) = carrier {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&params::encode_query_pair(name, value));
            }
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }

    fn request(&self, call: &Call, url: &str, credentials: &[(Carrier, String)]) -> RequestBuilder {
        let mut request = self
            .inner
            .http
            .request(call.operation.method.clone(), url)
            .headers(self.inner.default_headers.clone())
            .headers(call.headers.clone());
        let mut cookies = call.cookies.clone();
        for (carrier, value) in credentials {
            match carrier {
                Carrier::Header(name) => request = request.header(*name, value.as_str()),
                Carrier::Cookie(name) => cookies.push(format!("{name}={value}")),
                Carrier::Query(_) => {}
                Carrier::Authorization(kind) => {
                    request = request.header(reqwest::header::AUTHORIZATION, format!("{kind} {value}"));
                }
            }
        }
        if !cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some((media_type, bytes)) = &call.body {
            request = request.header(reqwest::header::CONTENT_TYPE, *media_type).body(bytes.clone());
        }
        #[cfg(feature = "multipart")]
        if let Some(pieces) = &call.multipart {
            let mut form = reqwest::multipart::Form::new();
            for piece in pieces {
                let mut part = reqwest::multipart::Part::bytes(piece.bytes.clone());
                if let Some(name) = &piece.file_name {
                    part = part.file_name(name.clone());
                }
                if let Some(content_type) = &piece.content_type {
                    // Checked when the call was built.
                    part = part
                        .mime_str(content_type)
                        .unwrap_or_else(|_| reqwest::multipart::Part::bytes(piece.bytes.clone()));
                }
                form = form.part(piece.name.clone(), part);
            }
            request = request.multipart(form);
        }
        if let Some(timeout) = self.inner.timeout {
            request = request.timeout(timeout);
        }
        request
    }

    /// Sends `call` (with retries) and reads the whole answer, for the generated method to
    /// decode.
    pub async fn send(&self, call: Call) -> Result<Response, Error> {
        let operation = call.operation;
        if let Some(message) = &call.error {
            return Err(Error::Encode { operation: operation.id, message: message.clone() });
        }
        let credentials = self.credentials_for(operation)?;
        let url = self.url(&call, &credentials);
        let response = self.send_with_retries(operation, || self.request(&call, &url, &credentials)).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body =
            response.bytes().await.map_err(|source| Error::Transport { operation: operation.id, source })?.to_vec();
        Ok(Response { operation: operation.id, status, headers, body })
    }

    /// Sends a request built by `build` (once per attempt), retrying as the policy allows.
    async fn send_with_retries(
        &self,
        operation: &Operation,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<reqwest::Response, Error> {
        let policy = self.inner.retry;
        let idempotent = operation.idempotent();
        let mut attempt = 0;
        loop {
            let result = build().send().await;
            let (retry, retry_after) = match &result {
                Err(e) => (e.is_connect() || (idempotent && e.is_timeout()), None),
                Ok(response) => {
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    (idempotent && is_retryable_status(response.status().as_u16()), retry_after)
                }
            };
            if retry && attempt < policy.max_retries {
                tokio::time::sleep(backoff(&policy, attempt, retry_after)).await;
                attempt += 1;
                continue;
            }
            let response = result.map_err(|source| Error::Transport { operation: operation.id, source })?;
            if self.inner.keep_session {
                self.remember_cookies(response.headers());
            }
            return Ok(response);
        }
    }

    /// Keeps (or forgets) the session cookie of every cookie scheme the server sets.
    fn remember_cookies(&self, headers: &HeaderMap) {
        for value in headers.get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let mut attributes = value.split(';').map(str::trim);
            let Some((name, cookie)) = attributes.next().and_then(|pair| pair.split_once('=')) else { continue };
            let expired = attributes.any(|a| a.eq_ignore_ascii_case("max-age=0"));
            for scheme in self.inner.schemes {
                if matches!(scheme.carrier, Carrier::Cookie(cookie_name) if cookie_name == name) {
                    let value = (!expired && !cookie.is_empty()).then(|| cookie.trim_matches('"').to_owned());
                    self.set_credential(scheme.name, value);
                }
            }
        }
    }
}

fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// The delay before retry `attempt` (0-based): exponential with jitter (between half and all of
/// the ceiling), or the server's `Retry-After` when it gives one in seconds (at most 60 s).
fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: Option<u64>) -> Duration {
    if let Some(seconds) = retry_after {
        return Duration::from_secs(seconds.min(60));
    }
    let ceiling = policy.base_delay.saturating_mul(1u32 << attempt.min(16)).min(Duration::from_secs(30));
    // Jitter from the clock: enough to spread clients apart, no random-number dependency.
    let noise =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let fraction = f64::from(noise % 1000) / 1000.0;
    ceiling.mul_f64(0.5 + fraction / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    static SCHEMES: &[Scheme] = &[
        Scheme { name: "key", carrier: Carrier::Header("x-key") },
        Scheme { name: "session", carrier: Carrier::Cookie("sid") },
        Scheme { name: "query_key", carrier: Carrier::Query("api key") },
    ];

    static GET_THING: Operation =
        Operation { id: "GetThing", method: Method::GET, path: "/things/{id}", security: &[&["key"], &["session"]] };

    fn client() -> ClientCore {
        Builder::new("http://localhost:1/", SCHEMES).build().unwrap()
    }

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        let call = Call::new(&GET_THING).path_param(Param::path("id"), "a/b c");
        assert_eq!(call.path, "/things/a%2Fb%20c");
        assert_eq!(Call::new(&GET_THING).path_param(Param::path("id"), &42).path, "/things/42");
        let label = Param::path("id").style(Style::Label).shape(Shape::Array);
        assert_eq!(Call::new(&GET_THING).path_param(label, &vec![1, 2]).path, "/things/.1,2");
    }

    #[test]
    fn credentials_of_the_first_alternative_present_are_sent() {
        let client = client();
        let missing = client.credentials_for(&GET_THING).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "GetThing needs one of these credentials, and none is configured: key, session"
        );
        client.set_credential("session", Some("s1".into()));
        assert_eq!(client.credentials_for(&GET_THING).unwrap(), [(Carrier::Cookie("sid"), "s1".to_owned())]);
        client.set_credential("key", Some("k".into()));
        assert_eq!(client.credentials_for(&GET_THING).unwrap(), [(Carrier::Header("x-key"), "k".to_owned())]);
    }

    #[test]
    fn an_undeclared_scheme_is_never_met() {
        static BROKEN: Operation = Operation { id: "Broken", method: Method::GET, path: "/", security: &[&["nope"]] };
        assert!(matches!(client().credentials_for(&BROKEN), Err(Error::MissingCredentials { .. })));
        static OPTIONAL: Operation =
            Operation { id: "Opt", method: Method::GET, path: "/", security: &[&["key"], &[]] };
        assert_eq!(client().credentials_for(&OPTIONAL).unwrap(), []);
    }

    #[test]
    fn query_credentials_join_the_query_string() {
        struct Query {
            q: String,
        }
        crate::params::test_params!(Query { q: "q" } = &[Param::query("q")]);
        let call = Call::new(&GET_THING).path_param(Param::path("id"), "1").query(&Query { q: "a b".into() });
        let url = client().url(&call, &[(Carrier::Query("api key"), "v&1".into())]);
        assert_eq!(url, "http://localhost:1/things/1?q=a%20b&api%20key=v%261");
    }

    #[test]
    fn the_session_cookie_is_kept_and_forgotten() {
        let client = client();
        let mut headers = HeaderMap::new();
        headers.append(reqwest::header::SET_COOKIE, HeaderValue::from_static("sid=abc; Path=/; HttpOnly"));
        client.remember_cookies(&headers);
        assert_eq!(client.credential("session").as_deref(), Some("abc"));
        let mut headers = HeaderMap::new();
        headers.append(reqwest::header::SET_COOKIE, HeaderValue::from_static("sid=; Max-Age=0"));
        client.remember_cookies(&headers);
        assert_eq!(client.credential("session"), None);
    }

    #[test]
    fn backoff_grows_and_honours_retry_after() {
        let policy = RetryPolicy { max_retries: 3, base_delay: Duration::from_millis(100) };
        let first = backoff(&policy, 0, None);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
        let third = backoff(&policy, 2, None);
        assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400), "{third:?}");
        assert_eq!(backoff(&policy, 0, Some(120)), Duration::from_secs(60));
    }

    #[test]
    fn bad_configuration_is_an_error() {
        assert!(matches!(Builder::new("localhost", SCHEMES).build(), Err(Error::InvalidConfig(_))));
        let bad_header = Builder::new("http://x", SCHEMES).default_header("a b", "c").build();
        assert!(matches!(bad_header, Err(Error::InvalidConfig(_))));
    }

    /// A documented redirect is an answer: the client returns it instead of following it (it
    /// followed it before, and met whatever `Location` named).
    #[tokio::test]
    async fn redirects_are_returned_not_followed() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut request = [0_u8; 1024];
                let read = stream.read(&mut request).await.unwrap_or(0);
                let answer: &[u8] = if request[..read].starts_with(b"GET /things/1 ") {
                    b"HTTP/1.1 303 See Other\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"
                } else {
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                };
                let _ = stream.write_all(answer).await;
            }
        });
        let client = Builder::new(format!("http://{address}"), SCHEMES).build().unwrap();
        client.set_credential("key", Some("k".into()));
        let response = client.send(Call::new(&GET_THING).path_param(Param::path("id"), "1")).await.unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers.get("location").and_then(|v| v.to_str().ok()), Some("/elsewhere"));
    }

    #[test]
    fn decoding_names_the_operation() {
        let response = Response { operation: "Op", status: 200, headers: HeaderMap::new(), body: b"{".to_vec() };
        let error = response.json::<serde_json::Value>().unwrap_err();
        assert!(error.to_string().starts_with("Op: the 200 response does not match the spec"), "{error}");
        assert!(matches!(response.undocumented(), Error::UndocumentedStatus { status: 200, .. }));
    }
}
