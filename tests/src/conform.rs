//! The conformance kit: checks any running implementation of a spec against it, over HTTP.
//!
//! For every operation it replays the request examples (path, query and header parameter
//! examples, the body example), then the documented error scenarios: the request without
//! credentials, a body of the wrong shape, an unknown id. Each answer must have a documented
//! status, the documented content type, a body that validates against the documented schema (by
//! JSON Schema, independent of any generated type) and the documented required headers.
//!
//! What it needs it creates through the API: an operation on `/things/{id}` gets the id of a
//! thing made by the `POST /things` example (unique emails substituted), and the thing is deleted
//! by the `DELETE /things/{id}` check, which runs after the others. Deletes and logouts run last,
//! so that the credentials stay valid for the rest.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::examples::{Direction, deref, escape, validator};

const METHODS: [&str; 8] = ["get", "put", "post", "patch", "delete", "options", "head", "trace"];

/// What `conform` was given.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The implementation's base URL, e.g. `http://127.0.0.1:9000`.
    pub base: String,
    /// A value for the spec's `apiKey` schemes.
    pub api_token: Option<String>,
    /// A token for its `http` bearer schemes.
    pub bearer: Option<String>,
    /// An email and password for the spec's login operations (public operations whose body
    /// example has `email` and `password`), which yield bearer tokens and session cookies.
    pub login: Option<(String, String)>,
}

/// One check: an operation in one scenario, and what was wrong with the answer (nothing when
/// it passed).
#[derive(Clone, Debug)]
pub struct Check {
    /// `GET /admin/users`.
    pub operation: String,
    /// `example`, `no credentials`, `malformed body`, `unknown id`.
    pub scenario: &'static str,
    pub status: Option<u16>,
    pub problems: Vec<String>,
    /// Not run: the kit holds no credential for the operation's schemes.
    pub skipped: bool,
}

impl Check {
    pub fn passed(&self) -> bool {
        self.problems.is_empty() && !self.skipped
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.status.map_or("no answer".to_owned(), |s| s.to_string());
        if self.skipped {
            write!(f, "SKIP {} ({}): {}", self.operation, self.scenario, self.problems.join("; "))
        } else if self.passed() {
            write!(f, "ok   {} ({}) → {status}", self.operation, self.scenario)
        } else {
            write!(f, "FAIL {} ({}) → {status}: {}", self.operation, self.scenario, self.problems.join("; "))
        }
    }
}

/// A credential the kit holds, by the kind of scheme it satisfies.
#[derive(Clone, Debug, Default)]
struct Credentials {
    api_key: Option<String>,
    bearer: Option<String>,
    /// Cookie scheme name (the cookie's name) → value.
    cookies: BTreeMap<String, String>,
}

struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a Value,
    item: &'a Value,
}

impl Operation<'_> {
    fn name(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

pub struct Kit<'a> {
    spec: &'a Value,
    options: &'a Options,
    http: reqwest::Client,
    credentials: Credentials,
    /// Path parameter values of things this run created: (collection path, parameter name) → id.
    created: BTreeMap<String, String>,
    nonce: String,
}

/// The first example of a media type or parameter (`example`, else the first of `examples`),
/// else the schema's own example, default or first enum value.
fn example_of(spec: &Value, holder: &Value) -> Option<Value> {
    if let Some(value) = holder.get("example") {
        return Some(value.clone());
    }
    if let Some(first) = holder.get("examples").and_then(Value::as_object).and_then(|m| m.values().next()) {
        return deref(spec, first).get("value").cloned();
    }
    let schema = deref(spec, holder.get("schema")?);
    schema
        .get("example")
        .or_else(|| schema.get("default"))
        .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
        .or_else(|| schema.get("items").map(|i| deref(spec, i)).and_then(|i| i.get("example")))
        .cloned()
}

/// A parameter value as text: strings as they are, arrays joined (exploded by the caller).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The first string under an `id` key, breadth first.
fn find_id(value: &Value) -> Option<String> {
    find_id_where(value, |_| true)
}

/// The `id` of the shallowest object that `accept`s, breadth first.
fn find_id_where(value: &Value, accept: impl Fn(&Map<String, Value>) -> bool) -> Option<String> {
    let mut queue = vec![value];
    while !queue.is_empty() {
        let mut next = Vec::new();
        for value in queue {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(id)) = map.get("id")
                        && accept(map)
                    {
                        return Some(id.clone());
                    }
                    next.extend(map.values());
                }
                Value::Array(items) => next.extend(items),
                _ => {}
            }
        }
        queue = next;
    }
    None
}

/// The example with every email made unique to this run (`conform-NONCE-local@domain`), so
/// that creating things does not meet those of an earlier run.
fn unique_emails(value: &Value, nonce: &str) -> Value {
    match value {
        Value::String(s) if s.contains('@') && !s.contains(' ') => Value::String(format!("conform-{nonce}-{s}")),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), unique_emails(v, nonce))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(|v| unique_emails(v, nonce)).collect()),
        other => other.clone(),
    }
}

/// Whether `status` is documented among `responses` (exactly, as `2XX`, or by `default`).
fn documented(responses: &Map<String, Value>, status: u16) -> Option<&Value> {
    let exact = status.to_string();
    let range = format!("{}XX", status / 100);
    responses
        .get(&exact)
        .or_else(|| responses.iter().find(|(k, _)| k.eq_ignore_ascii_case(&range)).map(|(_, v)| v))
        .or_else(|| responses.get("default"))
}

fn media_matches(documented: &str, actual: &str) -> bool {
    let documented = documented.to_ascii_lowercase();
    let actual = actual.to_ascii_lowercase();
    match documented.split_once('/') {
        _ if documented == "*/*" => true,
        Some((kind, "*")) => actual.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => documented == actual,
    }
}

fn is_json(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json")
}

impl<'a> Kit<'a> {
    pub fn new(spec: &'a Value, options: &'a Options) -> Result<Kit<'a>, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
        let nonce = format!(
            "{:x}",
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros()).unwrap_or(0)
        );
        let credentials =
            Credentials { api_key: options.api_token.clone(), bearer: options.bearer.clone(), ..Default::default() };
        Ok(Kit { spec, options, http, credentials, created: BTreeMap::new(), nonce })
    }

    fn operations(&self) -> Vec<Operation<'a>> {
        let mut out = Vec::new();
        for (path, item) in self.spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push(Operation { path, method, op, item });
                }
            }
        }
        // Deletes last (they end what the rest uses), and of those the ones without parameters
        // (a logout) at the very end.
        out.sort_by_key(|o| (o.method == "delete", o.method == "delete" && !o.path.contains('{')));
        out
    }

    /// The security alternatives of an operation: each a list of scheme names.
    fn security(&self, op: &Value) -> Vec<Vec<String>> {
        op.get("security")
            .or_else(|| self.spec.get("security"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|alt| alt.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default())
            .collect()
    }

    fn is_public(&self, op: &Value) -> bool {
        let alternatives = self.security(op);
        alternatives.is_empty() || alternatives.iter().any(Vec::is_empty)
    }

    /// Logs in through every login operation of the spec with the given email and password.
    async fn log_in(&mut self) -> Vec<String> {
        let Some((email, password)) = self.options.login.clone() else { return Vec::new() };
        let mut notes = Vec::new();
        for operation in self.operations() {
            let content = operation.op.get("requestBody").map(|b| deref(self.spec, b)).and_then(|b| b.get("content"));
            let Some(json_body) = content.and_then(|c| c.get("application/json")) else { continue };
            let example = example_of(self.spec, json_body).unwrap_or_default();
            if operation.method != "post"
                || !self.is_public(operation.op)
                || example.get("email").is_none()
                || example.get("password").is_none()
            {
                continue;
            }
            let url = format!("{}{}", self.options.base.trim_end_matches('/'), operation.path);
            let body = json!({"email": email, "password": password});
            let answer =
                self.http.post(&url).header("content-type", "application/json").body(body.to_string()).send().await;
            let Ok(answer) = answer else { continue };
            if !answer.status().is_success() {
                notes.push(format!("logging in with {} answered {}", operation.name(), answer.status().as_u16()));
                continue;
            }
            for cookie in answer.headers().get_all("set-cookie") {
                let Some((name, value)) =
                    cookie.to_str().ok().and_then(|c| c.split(';').next()).and_then(|c| c.split_once('='))
                else {
                    continue;
                };
                self.credentials.cookies.insert(name.trim().to_owned(), value.trim().to_owned());
            }
            let body: Value = answer.text().await.ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
            if let Some(token) = body.get("access_token").or_else(|| body.get("token")).and_then(Value::as_str) {
                self.credentials.bearer = Some(token.to_owned());
            }
        }
        notes
    }

    /// Headers that satisfy one security alternative of `op`, if the kit holds credentials for
    /// every scheme of one.
    fn credential_headers(&self, op: &Value) -> Option<Vec<(String, String)>> {
        let schemes = self.spec.pointer("/components/securitySchemes").and_then(Value::as_object);
        for alternative in self.security(op) {
            let mut headers = Vec::new();
            let mut cookies = Vec::new();
            let mut complete = true;
            for name in &alternative {
                let scheme = schemes.and_then(|s| s.get(name)).map(|s| deref(self.spec, s)).unwrap_or(&Value::Null);
                let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
                let location = scheme.get("in").and_then(Value::as_str).unwrap_or("");
                let key = scheme.get("name").and_then(Value::as_str).unwrap_or("");
                match (kind, location) {
                    ("apiKey", "cookie") => match self.credentials.cookies.get(key) {
                        Some(value) => cookies.push(format!("{key}={value}")),
                        None => complete = false,
                    },
                    ("apiKey", "header") => match &self.credentials.api_key {
                        Some(value) => headers.push((key.to_owned(), value.clone())),
                        None => complete = false,
                    },
                    ("http", _)
                        if scheme
                            .get("scheme")
                            .and_then(Value::as_str)
                            .is_some_and(|s| s.eq_ignore_ascii_case("bearer")) =>
                    {
                        match &self.credentials.bearer {
                            Some(token) => headers.push(("authorization".to_owned(), format!("Bearer {token}"))),
                            None => complete = false,
                        }
                    }
                    _ => complete = false,
                }
            }
            if complete {
                if !cookies.is_empty() {
                    headers.push(("cookie".to_owned(), cookies.join("; ")));
                }
                return Some(headers);
            }
        }
        None
    }

    /// The parameters of an operation (path-level ones included, the operation's winning).
    fn parameters(&self, operation: &Operation<'a>) -> Vec<&'a Value> {
        let mut out: Vec<&'a Value> = Vec::new();
        for list in [operation.item.get("parameters"), operation.op.get("parameters")] {
            for parameter in list.and_then(Value::as_array).into_iter().flatten() {
                let parameter = deref(self.spec, parameter);
                let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
                out.retain(|p| key(p) != key(parameter));
                out.push(parameter);
            }
        }
        out
    }

    /// The path of the collection a templated path belongs to: `/things` for `/things/{id}/x`.
    fn collection(path: &str) -> Option<&str> {
        path.find("/{").map(|i| &path[..i])
    }

    /// Creates a thing through the collection's `POST` example, for operations on its items.
    async fn create_for(&mut self, operation: &Operation<'_>) {
        let Some(collection) = Self::collection(operation.path) else { return };
        if self.created.contains_key(collection) {
            return;
        }
        let Some(create) = self.spec.pointer(&format!("/paths/{}/post", escape(collection))) else {
            return;
        };
        let content = create.get("requestBody").map(|b| deref(self.spec, b)).and_then(|b| b.get("content"));
        let Some(body) = content.and_then(|c| c.get("application/json")).and_then(|m| example_of(self.spec, m)) else {
            return;
        };
        let url = format!("{}{collection}", self.options.base.trim_end_matches('/'));
        let mut request = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(unique_emails(&body, &self.nonce).to_string());
        for (name, value) in self.credential_headers(create).unwrap_or_default() {
            request = request.header(name, value);
        }
        let Ok(answer) = request.send().await else { return };
        let answer: Value = answer.text().await.ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        let sent = unique_emails(&body, &self.nonce);
        if let Some(id) = self.id_of_created(collection, &answer, &sent).await {
            self.created.insert(collection.to_owned(), id);
        }
    }

    /// The id of what a `POST` to `collection` made: from its answer, or, when the answer has
    /// none, from the collection's `GET` listing, as the item carrying a value unique to this run
    /// (one of the emails it sent).
    async fn id_of_created(&self, collection: &str, answer: &Value, sent: &Value) -> Option<String> {
        if let Some(id) = find_id(answer) {
            return Some(id);
        }
        let marker = format!("conform-{}-", self.nonce);
        let mut unique = Vec::new();
        let mut stack = vec![sent];
        while let Some(value) = stack.pop() {
            match value {
                Value::String(s) if s.starts_with(&marker) => unique.push(s.clone()),
                Value::Object(map) => stack.extend(map.values()),
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        if unique.is_empty() {
            return None;
        }
        let list = self.spec.pointer(&format!("/paths/{}/get", escape(collection)))?;
        let mut request = self.http.get(format!("{}{collection}", self.options.base.trim_end_matches('/')));
        for (name, value) in self.credential_headers(list).unwrap_or_default() {
            request = request.header(name, value);
        }
        let listing: Value = serde_json::from_str(&request.send().await.ok()?.text().await.ok()?).ok()?;
        // The shallowest object with an `id` that holds one of the unique values.
        find_id_where(&listing, |map| map.values().any(|v| v.as_str().is_some_and(|s| unique.iter().any(|u| u == s))))
    }

    /// Sends one request of `operation`; `credentials`, `body` and the id of path parameters
    /// are the scenario's.
    async fn send(
        &self,
        operation: &Operation<'_>,
        credentials: bool,
        body: Option<(String, Vec<u8>)>,
        id_override: Option<&str>,
    ) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), String> {
        let mut path = operation.path.to_owned();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut headers: Vec<(String, String)> = Vec::new();
        let created = Self::collection(operation.path).and_then(|c| self.created.get(c));
        let mut first_path_parameter = true;
        for parameter in self.parameters(operation) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
            let example = example_of(self.spec, parameter);
            match location {
                "path" => {
                    // The first path parameter names the thing of the collection.
                    let value = match (first_path_parameter, id_override, created) {
                        (true, Some(id), _) => id.to_owned(),
                        (true, None, Some(id)) => id.clone(),
                        _ => example.as_ref().map(text).unwrap_or_else(|| "example".to_owned()),
                    };
                    first_path_parameter = false;
                    let encoded: String = value
                        .bytes()
                        .map(|b| {
                            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                                (b as char).to_string()
                            } else {
                                format!("%{b:02X}")
                            }
                        })
                        .collect();
                    path = path.replace(&format!("{{{name}}}"), &encoded);
                }
                "query" => match example {
                    Some(Value::Array(items)) => query.extend(items.iter().map(|v| (name.to_owned(), text(v)))),
                    Some(value) if !value.is_object() => query.push((name.to_owned(), text(&value))),
                    _ => {}
                },
                "header" => {
                    if let Some(value) = example.filter(|v| !v.is_object() && !v.is_array()) {
                        headers.push((name.to_owned(), text(&value)));
                    }
                }
                _ => {}
            }
        }
        let url = format!("{}{path}", self.options.base.trim_end_matches('/'));
        let mut url = reqwest::Url::parse(&url).map_err(|e| format!("{url}: {e}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(&query);
        }
        let method = reqwest::Method::from_bytes(operation.method.to_uppercase().as_bytes())
            .map_err(|e| format!("method {}: {e}", operation.method))?;
        let mut request = self.http.request(method, url.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if credentials && let Some(credentials) = self.credential_headers(operation.op) {
            for (name, value) in credentials {
                request = request.header(name, value);
            }
        }
        if let Some((media, bytes)) = body {
            request = request.header("content-type", media).body(bytes);
        }
        let answer = request.send().await.map_err(|e| format!("no answer from {url}: {e}"))?;
        let status = answer.status().as_u16();
        let headers = answer.headers().clone();
        let bytes = answer.bytes().await.map_err(|e| format!("reading the answer: {e}"))?.to_vec();
        Ok((status, headers, bytes))
    }

    /// The problems with an answer: undocumented status, content type, body, headers.
    fn judge(
        &self,
        operation: &Operation<'_>,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Vec<String> {
        let empty = Map::new();
        let responses = operation.op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
        let Some(response) = documented(responses, status).map(|r| deref(self.spec, r)) else {
            let listed: Vec<&str> = responses.keys().map(String::as_str).collect();
            return vec![format!("status {status} is not documented (documented: {})", listed.join(", "))];
        };
        let mut problems = Vec::new();
        for (name, header) in response.get("headers").and_then(Value::as_object).into_iter().flatten() {
            let header = deref(self.spec, header);
            if header.get("required").and_then(Value::as_bool) == Some(true) && !headers.contains_key(name.as_str()) {
                problems.push(format!("the required header {name} is missing"));
            }
        }
        let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
            return problems;
        };
        let actual = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned());
        let Some(actual) = actual else {
            problems.push(format!(
                "no Content-Type (documented: {})",
                content.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
            return problems;
        };
        let Some((_, media)) = content.iter().find(|(documented, _)| media_matches(documented, &actual)) else {
            problems.push(format!(
                "Content-Type {actual} is not documented for {status} (documented: {})",
                content.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
            return problems;
        };
        let Some(schema) = media.get("schema") else { return problems };
        let value = if is_json(&actual) {
            match serde_json::from_slice::<Value>(body) {
                Ok(value) => value,
                Err(e) => {
                    problems.push(format!("the body is not JSON: {e}"));
                    return problems;
                }
            }
        } else if actual.starts_with("text/") {
            Value::String(String::from_utf8_lossy(body).into_owned())
        } else {
            return problems;
        };
        match validator(self.spec, schema, Direction::Response) {
            Ok(validator) => {
                for error in validator.iter_errors(&value).take(5) {
                    let at = error.instance_path().to_string();
                    problems.push(format!(
                        "the body does not match the schema: {error} (at {})",
                        if at.is_empty() { "/" } else { &at }
                    ));
                }
            }
            Err(e) => problems.push(format!("the documented schema does not compile: {e}")),
        }
        problems
    }

    /// Runs every check; `report` sees each as it completes.
    pub async fn run(&mut self, mut report: impl FnMut(&Check)) -> Vec<Check> {
        let mut checks = Vec::new();
        for note in self.log_in().await {
            let check = Check {
                operation: "login".into(),
                scenario: "credentials",
                status: None,
                problems: vec![note],
                skipped: false,
            };
            report(&check);
            checks.push(check);
        }
        for operation in self.operations() {
            self.create_for(&operation).await;
            let public = self.is_public(operation.op);
            let content = operation.op.get("requestBody").map(|b| deref(self.spec, b)).and_then(|b| b.get("content"));
            // A POST to a collection makes a thing: with unique emails, and its id is kept for
            // the operations on the collection's items (the DELETE check then removes it).
            let creates = operation.method == "post" && !operation.path.contains('{');
            let example_body = content.and_then(Value::as_object).and_then(|c| {
                c.iter().find_map(|(media, m)| {
                    let value = example_of(self.spec, m)?;
                    let value = if creates { unique_emails(&value, &self.nonce) } else { value };
                    let bytes = match &value {
                        Value::String(s) if !is_json(media) => s.clone().into_bytes(),
                        other => other.to_string().into_bytes(),
                    };
                    Some((media.clone(), bytes))
                })
            });
            let mut scenarios: Vec<Scenario> = Vec::new();
            // The unknown id and the missing credentials first: the example may delete the thing.
            if operation.method == "get" && operation.path.contains('{') {
                scenarios.push(("unknown id", true, None, Some(format!("conform-unknown-{}", self.nonce))));
            }
            if !public {
                scenarios.push(("no credentials", false, example_body.clone(), None));
            }
            let json_body = content.and_then(|c| c.get("application/json")).is_some();
            if json_body {
                scenarios.push(("malformed body", true, Some(("application/json".into(), b"[1, 2".to_vec())), None));
            }
            scenarios.insert(0, ("example", true, example_body, None));
            // The example runs last for deletes, so that the other scenarios still find the thing.
            if operation.method == "delete" {
                scenarios.rotate_left(1);
            }
            for (scenario, credentials, body, id) in scenarios {
                let sent = body.as_ref().map(|(_, bytes)| bytes.clone());
                if credentials && !public && self.credential_headers(operation.op).is_none() {
                    let check = Check {
                        operation: operation.name(),
                        scenario,
                        status: None,
                        problems: vec!["no credential for this operation's security schemes was given".into()],
                        skipped: true,
                    };
                    report(&check);
                    checks.push(check);
                    continue;
                }
                let check = match self.send(&operation, credentials, body, id.as_deref()).await {
                    Err(problem) => Check {
                        operation: operation.name(),
                        scenario,
                        status: None,
                        problems: vec![problem],
                        skipped: false,
                    },
                    Ok((status, headers, bytes)) => {
                        let mut problems = self.judge(&operation, status, &headers, &bytes);
                        if creates
                            && scenario == "example"
                            && (200..300).contains(&status)
                            && !self.created.contains_key(operation.path)
                        {
                            let answer: Value = serde_json::from_slice(&bytes).unwrap_or_default();
                            let sent: Value =
                                sent.as_deref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_default();
                            if let Some(id) = self.id_of_created(operation.path, &answer, &sent).await {
                                self.created.insert(operation.path.to_owned(), id);
                            }
                        }
                        let expected_error = match scenario {
                            "no credentials" => Some("without credentials"),
                            "malformed body" => Some("with a body that is not JSON"),
                            "unknown id" => Some("for an unknown id"),
                            _ => None,
                        };
                        // The status the scenario calls for, where the operation documents it.
                        let specific = match scenario {
                            "no credentials" => Some(401).filter(|s| documented_exactly(operation.op, *s)),
                            "unknown id" => Some(404).filter(|s| documented_exactly(operation.op, *s)),
                            _ => None,
                        };
                        if let Some(why) = expected_error {
                            if !(400..500).contains(&status) {
                                let expected = specific.map_or("a 4xx".to_owned(), |s| s.to_string());
                                problems.push(format!("answered {status} {why}; {expected} was expected"));
                            } else if let Some(expected) = specific.filter(|s| *s != status) {
                                problems.push(format!("answered {status} {why}; {expected} is documented"));
                            }
                        }
                        Check { operation: operation.name(), scenario, status: Some(status), problems, skipped: false }
                    }
                };
                report(&check);
                checks.push(check);
            }
        }
        checks
    }
}

/// A scenario of one operation: its name, whether credentials go with it, the body (media type
/// and bytes) and a value for the first path parameter.
type Scenario = (&'static str, bool, Option<(String, Vec<u8>)>, Option<String>);

fn documented_exactly(op: &Value, status: u16) -> bool {
    op.get("responses").and_then(|r| r.get(status.to_string())).is_some()
}
