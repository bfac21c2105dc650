//! The generated client over real HTTP against a recording mock server on loopback: every
//! operation's request line, headers and body; every documented status of every operation
//! decoded into its variant (bodies are the spec's own examples); security per operation;
//! retries counted on the wire; the cookie session; typed errors for the unexpected.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use admin_api_client::models::{self as m, support::Email};
use admin_api_client::{Client, Error, OperationResponse, Scheme};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use contract_tests::load_spec_json;
use serde_json::{Value, json};

/// What the mock received.
#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    uri: String,
    headers: HeaderMap,
    body: String,
}

/// What the mock answers next.
#[derive(Clone, Debug)]
struct Canned {
    status: u16,
    content_type: Option<String>,
    body: String,
    headers: Vec<(String, String)>,
}

impl Canned {
    fn json(status: u16, body: Value) -> Self {
        Canned { status, content_type: Some("application/json".into()), body: body.to_string(), headers: Vec::new() }
    }

    fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[derive(Default)]
struct Mock {
    received: Mutex<Vec<Recorded>>,
    answers: Mutex<VecDeque<Canned>>,
}

async fn answer(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    mock.received.lock().expect("not poisoned").push(Recorded {
        method: parts.method.to_string(),
        uri: parts.uri.to_string(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let canned = mock.answers.lock().expect("not poisoned").pop_front();
    let canned =
        canned.unwrap_or(Canned { status: 599, content_type: None, body: "nothing canned".into(), headers: vec![] });
    let mut response = Response::new(Body::from(canned.body));
    *response.status_mut() = StatusCode::from_u16(canned.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(content_type) = canned.content_type {
        response.headers_mut().insert("content-type", content_type.parse().expect("valid"));
    }
    for (name, value) in canned.headers {
        response
            .headers_mut()
            .append(axum::http::HeaderName::from_bytes(name.as_bytes()).expect("valid"), value.parse().expect("valid"));
    }
    response
}

struct Harness {
    mock: Arc<Mock>,
    base: String,
}

impl Harness {
    async fn start() -> Self {
        let mock = Arc::new(Mock::default());
        let router = axum::Router::new().fallback(answer).with_state(mock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Harness { mock, base: format!("http://{addr}") }
    }

    fn client(&self) -> Client {
        Client::builder(&self.base).api_token("token-1234567890abcdef").build().expect("a client")
    }

    fn then(&self, canned: Canned) {
        self.mock.answers.lock().expect("not poisoned").push_back(canned);
    }

    fn received(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.mock.received.lock().expect("not poisoned"))
    }

    fn last(&self) -> Recorded {
        self.received().pop().expect("a request reached the mock")
    }
}

/// The spec's example for an operation's response, as the mock should send it.
fn example(spec: &Value, method: &str, path: &str, status: &str) -> Canned {
    let pointer = format!("/paths/{}/{method}/responses/{status}", path.replace('/', "~1"));
    let mut response = spec.pointer(&pointer).unwrap_or_else(|| panic!("{pointer}"));
    if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
        response = spec.pointer(reference.trim_start_matches('#')).expect("component response");
    }
    let status: u16 = status.parse().expect("explicit statuses");
    let headers: Vec<(String, String)> = response
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, h)| {
            let value = match &h["example"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name.clone(), value)
        })
        .collect();
    let Some((media, content)) = response.get("content").and_then(Value::as_object).and_then(|c| c.iter().next())
    else {
        return Canned { status, content_type: None, body: String::new(), headers };
    };
    let value = content.get("example").cloned().unwrap_or_else(|| {
        let first = content["examples"].as_object().and_then(|e| e.values().next()).expect("an example");
        match first.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                spec.pointer(reference.trim_start_matches('#')).expect("component example")["value"].clone()
            }
            None => first["value"].clone(),
        }
    });
    let body = match &value {
        Value::String(text) if media.starts_with("text/") => text.clone(),
        other => other.to_string(),
    };
    Canned { status, content_type: Some(media.clone()), body, headers }
}

fn user_id() -> &'static str {
    "usr_01G1G5V26F5TB3GPAPNJ8X1S3V"
}

/// Calls one operation with fixed arguments; returns the decoded status and variant (Debug).
async fn call(client: &Client, operation: &str) -> Result<(u16, String), Error> {
    macro_rules! done {
        ($call:expr) => {{
            let response = $call.await?;
            assert_eq!(response.status, response.value.status(), "the variant matches the status");
            Ok((response.status, format!("{:?}", response.value)))
        }};
    }
    let login = m::AdminPostAuthReq {
        email: Email::parse("levi@medusa-test.com").expect("valid"),
        password: "supersecret".into(),
    };
    match operation {
        "GetAuth" => done!(client.auth().get_session()),
        "PostAuth" => done!(client.auth().create_session(&login)),
        "DeleteAuth" => done!(client.auth().delete_session()),
        "PostToken" => done!(client.auth().get_token(&login)),
        "GetInvites" => done!(client.invites().list()),
        "PostInvites" => done!(client.invites().create(&m::AdminPostInvitesReq {
            user: Email::parse("brigitte@medusa-test.com").expect("valid"),
            role: m::UserRole::Member,
        })),
        "PostInvitesInviteAccept" => done!(client.invites().accept(&m::AdminPostInvitesInviteAcceptReq {
            token: "inv_tok".into(),
            user: m::AdminPostInvitesInviteAcceptReqUser {
                first_name: Some("Brigitte".into()),
                last_name: None,
                password: "supersecret".into()
            },
        })),
        "DeleteInvitesInvite" => done!(client.invites().delete("invite_01G8TKE4XYCTHSCK2GDEP47RE1")),
        "PostInvitesInviteResend" => done!(client.invites().resend("invite_01G8TKE4XYCTHSCK2GDEP47RE1")),
        "GetUsers" => done!(client.users().list(&m::GetUsersQuery {
            limit: Some(10),
            role: Some(vec![m::UserRole::Admin]),
            ..Default::default()
        })),
        "PostUsers" => done!(client.users().create(&m::AdminCreateUserRequest {
            email: Email::parse("levi@medusa-test.com").expect("valid"),
            first_name: None,
            last_name: None,
            role: None,
            password: "supersecret".into(),
        })),
        "GetUsersUser" => done!(client.users().retrieve(user_id())),
        "PostUsersUser" => done!(client.users().update(
            user_id(),
            &m::AdminUpdateUserRequest {
                first_name: m::support::Nullable::Value("Marcellus".into()),
                metadata: m::support::Nullable::Null,
                ..Default::default()
            }
        )),
        "DeleteUsersUser" => done!(client.users().delete(user_id())),
        "PostUsersUserPasswordToken" => {
            done!(client.users().send_reset_password_token(&m::AdminResetPasswordTokenRequest {
                email: Email::parse("levi@medusa-test.com").expect("valid"),
            }))
        }
        "PostUsersUserPassword" => done!(client.users().reset_password(&m::AdminResetPasswordRequest {
            email: None,
            token: "rst_tok".into(),
            password: "supersecret-2".into(),
        })),
        other => panic!("no call for {other}"),
    }
}

/// operationId, method, path as sent, query, JSON body sent, public.
type ExpectedRequest = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>, bool);

const REQUESTS: [ExpectedRequest; 16] = [
    ("GetAuth", "GET", "/admin/auth", None, None, false),
    (
        "PostAuth",
        "POST",
        "/admin/auth",
        None,
        Some(r#"{"email":"levi@medusa-test.com","password":"supersecret"}"#),
        true,
    ),
    ("DeleteAuth", "DELETE", "/admin/auth", None, None, false),
    (
        "PostToken",
        "POST",
        "/admin/auth/token",
        None,
        Some(r#"{"email":"levi@medusa-test.com","password":"supersecret"}"#),
        true,
    ),
    ("GetInvites", "GET", "/admin/invites", None, None, false),
    (
        "PostInvites",
        "POST",
        "/admin/invites",
        None,
        Some(r#"{"user":"brigitte@medusa-test.com","role":"member"}"#),
        false,
    ),
    (
        "PostInvitesInviteAccept",
        "POST",
        "/admin/invites/accept",
        None,
        Some(r#"{"token":"inv_tok","user":{"first_name":"Brigitte","password":"supersecret"}}"#),
        true,
    ),
    ("DeleteInvitesInvite", "DELETE", "/admin/invites/invite_01G8TKE4XYCTHSCK2GDEP47RE1", None, None, false),
    ("PostInvitesInviteResend", "POST", "/admin/invites/invite_01G8TKE4XYCTHSCK2GDEP47RE1/resend", None, None, false),
    ("GetUsers", "GET", "/admin/users", Some("role=admin&limit=10"), None, false),
    (
        "PostUsers",
        "POST",
        "/admin/users",
        None,
        Some(r#"{"email":"levi@medusa-test.com","password":"supersecret"}"#),
        false,
    ),
    ("GetUsersUser", "GET", "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3V", None, None, false),
    (
        "PostUsersUser",
        "POST",
        "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3V",
        None,
        Some(r#"{"first_name":"Marcellus","metadata":null}"#),
        false,
    ),
    ("DeleteUsersUser", "DELETE", "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3V", None, None, false),
    (
        "PostUsersUserPasswordToken",
        "POST",
        "/admin/users/password-token",
        None,
        Some(r#"{"email":"levi@medusa-test.com"}"#),
        true,
    ),
    (
        "PostUsersUserPassword",
        "POST",
        "/admin/users/reset-password",
        None,
        Some(r#"{"token":"rst_tok","password":"supersecret-2"}"#),
        true,
    ),
];

fn operations(spec: &Value) -> Vec<(String, String, String, Vec<String>)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let statuses = op["responses"].as_object().expect("responses").keys().cloned().collect();
            out.push((op["operationId"].as_str().expect("id").to_owned(), method.clone(), path.clone(), statuses));
        }
    }
    out
}

#[tokio::test]
async fn every_operation_sends_the_documented_request() {
    let harness = Harness::start().await;
    let client = harness.client();
    let spec = load_spec_json();
    for (id, method, path, query, body, public) in REQUESTS {
        let (spec_method, spec_path) = operations(&spec)
            .into_iter()
            .find(|(op, ..)| op == id)
            .map(|(_, m, p, _)| (m, p))
            .expect("operation in the spec");
        assert_eq!(spec_method.to_uppercase(), method, "{id}");
        let success =
            operations(&spec).into_iter().find(|(op, ..)| op == id).map(|o| o.3[0].clone()).expect("a status");
        harness.then(example(&spec, &spec_method, &spec_path, &success));
        let (status, _) = call(&client, id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(status.to_string(), success, "{id}");
        let request = harness.last();
        assert_eq!(request.method, method, "{id}");
        let expected_uri = match query {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        };
        assert_eq!(request.uri, expected_uri, "{id}");
        let token = request.headers.get("x-medusa-access-token").and_then(|v| v.to_str().ok());
        assert_eq!(token, (!public).then_some("token-1234567890abcdef"), "{id}: credentials only where the spec asks");
        match body {
            Some(body) => {
                assert_eq!(
                    request.headers.get("content-type").and_then(|v| v.to_str().ok()),
                    Some("application/json"),
                    "{id}"
                );
                let sent: Value = serde_json::from_str(&request.body).expect("JSON");
                assert_eq!(sent, serde_json::from_str::<Value>(body).expect("JSON"), "{id}");
            }
            None => assert_eq!(request.body, "", "{id}"),
        }
    }
}

#[tokio::test]
async fn every_documented_status_decodes_into_its_variant() {
    let harness = Harness::start().await;
    let client = harness.client();
    let spec = load_spec_json();
    let mut checked = 0;
    for (id, method, path, statuses) in operations(&spec) {
        for status in statuses {
            harness.then(example(&spec, &method, &path, &status));
            let (got, variant) = call(&client, &id).await.unwrap_or_else(|e| panic!("{id} {status}: {e}"));
            assert_eq!(got.to_string(), status, "{id}");
            let expected = match got {
                200 => "Ok",
                204 => "NoContent",
                400 => "BadRequest",
                401 => "Unauthorized",
                404 => "NotFound",
                409 => "Conflict",
                422 => "UnprocessableEntity",
                429 => "TooManyRequests",
                500 => "InternalServerError",
                503 => "ServiceUnavailable",
                other => panic!("{id}: status {other} has no expectation here"),
            };
            assert!(variant.starts_with(expected), "{id} {status}: {variant}");
            checked += 1;
        }
        harness.received();
    }
    println!("decoded {checked} documented responses of {} operations", operations(&spec).len());
    assert_eq!(checked, operations(&spec).iter().map(|op| op.3.len()).sum::<usize>());
}

#[tokio::test]
async fn response_headers_and_text_bodies_are_typed() {
    let harness = Harness::start().await;
    let client = harness.client();
    let spec = load_spec_json();
    harness.then(example(&spec, "post", "/admin/auth", "200"));
    let response = call(&client, "PostAuth").await.expect("decoded");
    assert!(response.1.contains("set_cookie: Some(\"connect.sid="), "{}", response.1);
    harness.then(example(&spec, "post", "/admin/auth", "429"));
    let login =
        m::AdminPostAuthReq { email: Email::parse("levi@medusa-test.com").expect("valid"), password: "x".into() };
    match client.auth().create_session(&login).await.expect("decoded").value {
        m::PostAuthResponse::TooManyRequests(error, headers) => {
            assert_eq!(headers.retry_after, Some(60));
            assert_eq!(error.r#type, m::ErrorType::TooManyRequests);
        }
        other => panic!("{other:?}"),
    }
    harness.then(example(&spec, "post", "/admin/invites", "200"));
    let invite = m::AdminPostInvitesReq { user: Email::parse("a@b.co").expect("valid"), role: m::UserRole::Admin };
    assert_eq!(client.invites().create(&invite).await.expect("decoded").value, m::PostInvitesResponse::Ok("OK".into()));
}

#[tokio::test]
async fn a_protected_call_without_credentials_fails_before_sending() {
    let harness = Harness::start().await;
    let client = Client::builder(&harness.base).build().expect("a client");
    match client.users().retrieve(user_id()).await {
        Err(Error::MissingCredentials { operation, accepted }) => {
            assert_eq!(operation, "GetUsersUser");
            assert_eq!(accepted, ["api_token", "cookie_auth", "jwt_token"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(harness.received().is_empty(), "nothing was sent");
    // A public one needs nothing.
    harness.then(Canned { status: 204, content_type: None, body: String::new(), headers: vec![] });
    let request = m::AdminResetPasswordTokenRequest { email: Email::parse("a@b.co").expect("valid") };
    let response = client.users().send_reset_password_token(&request).await.expect("sent");
    assert_eq!(response.value, m::PostUsersUserPasswordTokenResponse::NoContent);
}

#[tokio::test]
async fn bearer_tokens_and_extra_headers_are_sent() {
    let harness = Harness::start().await;
    let client =
        Client::builder(&harness.base).jwt_token("jwt-1").default_header("x-trace", "t-1").build().expect("a client");
    harness.then(example(&load_spec_json(), "get", "/admin/auth", "200"));
    client.auth().with_header("x-request-id", "r-1").get_session().await.expect("decoded");
    let request = harness.last();
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("authorization").as_deref(), Some("Bearer jwt-1"));
    assert_eq!(header("x-trace").as_deref(), Some("t-1"));
    assert_eq!(header("x-request-id").as_deref(), Some("r-1"));
    assert_eq!(header("x-medusa-access-token"), None);
    assert!(matches!(Client::builder("localhost:9000").build(), Err(Error::InvalidConfig(_))));
    assert!(matches!(
        Client::builder(&harness.base).default_header("bad header", "x").build(),
        Err(Error::InvalidConfig(_))
    ));
}

#[tokio::test]
async fn the_cookie_session_is_kept_across_calls_and_ended_by_logout() {
    let harness = Harness::start().await;
    let client = Client::builder(&harness.base).build().expect("a client");
    let spec = load_spec_json();
    harness.then(
        example(&spec, "post", "/admin/auth", "200").with_header("set-cookie", "connect.sid=s%3Aabc; Path=/; HttpOnly"),
    );
    let login = m::AdminPostAuthReq {
        email: Email::parse("levi@medusa-test.com").expect("valid"),
        password: "supersecret".into(),
    };
    client.auth().create_session(&login).await.expect("logged in");
    assert_eq!(client.credential(Scheme::CookieAuth).as_deref(), Some("s%3Aabc"));
    harness.received();

    harness.then(example(&spec, "get", "/admin/users", "200"));
    client.users().list(&m::GetUsersQuery::default()).await.expect("listed");
    let request = harness.last();
    assert_eq!(request.headers.get("cookie").and_then(|v| v.to_str().ok()), Some("connect.sid=s%3Aabc"));

    harness.then(
        example(&spec, "delete", "/admin/auth", "200").with_header("set-cookie", "connect.sid=; Path=/; Max-Age=0"),
    );
    client.auth().delete_session().await.expect("logged out");
    assert_eq!(client.credential(Scheme::CookieAuth), None);
    assert!(matches!(client.users().list(&m::GetUsersQuery::default()).await, Err(Error::MissingCredentials { .. })));
}

#[tokio::test]
async fn idempotent_calls_are_retried_until_the_limit() {
    let harness = Harness::start().await;
    let spec = load_spec_json();
    let unavailable = || Canned::json(503, json!({"type": "unknown_error", "message": "busy"}));
    let client = Client::builder(&harness.base)
        .api_token("token-1234567890abcdef")
        .max_retries(3)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .expect("a client");
    for _ in 0..3 {
        harness.then(unavailable());
    }
    harness.then(example(&spec, "get", "/admin/users", "200"));
    let response = client.users().list(&m::GetUsersQuery::default()).await.expect("succeeds on the fourth attempt");
    assert_eq!(response.status, 200);
    assert_eq!(harness.received().len(), 4, "three retries, then success");

    for _ in 0..5 {
        harness.then(unavailable());
    }
    // 503 is documented (a credential that cannot be checked): after the retries it decodes.
    match client.users().retrieve(user_id()).await.map(|r| r.value) {
        Ok(m::GetUsersUserResponse::ServiceUnavailable(error)) => assert_eq!(error.message, "busy"),
        other => panic!("{other:?}"),
    }
    assert_eq!(harness.received().len(), 4, "stops at the limit");
    harness.mock.answers.lock().expect("not poisoned").clear();

    // A POST is not idempotent: a server error is not retried.
    harness.then(Canned::json(500, json!({"type": "database_error", "message": "down"})));
    harness.then(example(&spec, "post", "/admin/users", "200"));
    let create = m::AdminCreateUserRequest {
        email: Email::parse("a@b.co").expect("valid"),
        first_name: None,
        last_name: None,
        role: None,
        password: "supersecret".into(),
    };
    let response = client.users().create(&create).await.expect("decoded");
    assert_eq!(response.value.status(), 500);
    assert_eq!(harness.received().len(), 1);
    harness.mock.answers.lock().expect("not poisoned").clear();

    // 429 is retried for idempotent calls too.
    harness.then(
        Canned::json(429, json!({"type": "too_many_requests", "message": "slow"})).with_header("retry-after", "0"),
    );
    harness.then(example(&spec, "get", "/admin/invites", "200"));
    assert_eq!(client.invites().list().await.expect("decoded").status, 200);
    assert_eq!(harness.received().len(), 2);
}

#[tokio::test]
async fn surprises_are_typed_errors_that_keep_the_body() {
    let harness = Harness::start().await;
    let client = harness.client();
    harness.then(Canned::json(418, json!({"teapot": true})));
    match client.users().retrieve(user_id()).await {
        Err(Error::UndocumentedStatus { operation, status, body, .. }) => {
            assert_eq!((operation, status), ("GetUsersUser", 418));
            assert!(body.contains("teapot"));
        }
        other => panic!("{other:?}"),
    }
    harness.then(Canned::json(200, json!({"user": {"id": 5}})));
    match client.users().retrieve(user_id()).await {
        Err(error @ Error::Decode { .. }) => {
            let Error::Decode { status, body, .. } = &error else { unreachable!() };
            assert_eq!(*status, 200);
            assert!(body.contains("\"id\":5"));
            assert!(error.to_string().contains("does not match the spec"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().expect("bound");
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let client = Client::builder(format!("http://{addr}"))
        .api_token("token-1234567890abcdef")
        .timeout(Duration::from_millis(200))
        .build()
        .expect("a client");
    match client.invites().list().await {
        Err(Error::Transport { operation, source }) => {
            assert_eq!(operation, "GetInvites");
            assert!(source.is_timeout(), "{source}");
        }
        other => panic!("{other:?}"),
    }
    held.abort();
}
