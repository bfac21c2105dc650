//! The generated server, driven through real HTTP on loopback with a test implementation of its
//! traits: routing, authentication, request validation and response encoding, each failure
//! answered with the spec's error body.

use std::net::SocketAddr;
use std::sync::Mutex;

use admin_api_server::models::support::Email;
use admin_api_server::models::{self as m};
use admin_api_server::{
    ApiBase, AuthApi, Credential, InvitesApi, Problem, ProblemKind, RequestMeta, ServerConfig, Unavailable, UsersApi,
};
use serde_json::{Value, json};

/// Accepts one credential per scheme and records what the handlers received.
#[derive(Default)]
struct TestApi {
    seen: Mutex<Vec<String>>,
}

impl TestApi {
    fn record(&self, what: String) {
        self.seen.lock().expect("not poisoned").push(what);
    }
}

fn user(id: &str) -> m::User {
    m::User {
        id: id.to_owned(),
        email: Email::parse("levi@medusa-test.com").expect("valid"),
        first_name: Some("Levi".into()),
        last_name: None,
        role: m::UserRole::Admin,
        metadata: None,
        created_at: "2023-10-31T12:00:00Z".parse().expect("valid"),
        updated_at: "2023-10-31T12:00:00Z".parse().expect("valid"),
        deleted_at: None,
    }
}

fn error(kind: m::ErrorType, message: &str) -> m::Error {
    m::Error { r#type: kind, message: message.to_owned(), code: None }
}

impl ApiBase for TestApi {
    type Principal = &'static str;

    async fn authenticate(
        &self,
        credential: Credential,
        _meta: &RequestMeta,
    ) -> Result<Option<&'static str>, Unavailable> {
        Ok(match credential {
            Credential::ApiToken(token) if token == "token-1234567890abcdef" => Some("api-token"),
            // Stands for a credential store that is down.
            Credential::ApiToken(token) if token == "token-store-is-down" => return Err(Unavailable),
            Credential::JwtToken(token) if token == "jwt-1" => Some("jwt"),
            Credential::CookieAuth(session) if session == "session-1" => Some("cookie"),
            _ => None,
        })
    }

    fn error_body(&self, problem: &Problem) -> m::Error {
        let kind = match problem.kind {
            ProblemKind::InvalidRequest | ProblemKind::PayloadTooLarge => m::ErrorType::InvalidData,
            ProblemKind::Unauthorized => m::ErrorType::Unauthorized,
            ProblemKind::NotFound => m::ErrorType::NotFound,
            ProblemKind::MethodNotAllowed => m::ErrorType::NotAllowed,
            ProblemKind::Unavailable => m::ErrorType::DatabaseError,
        };
        error(kind, &problem.message)
    }
}

impl AuthApi for TestApi {
    async fn get_auth(&self, principal: &'static str, _meta: &RequestMeta) -> m::GetAuthResponse {
        self.record(format!("get_auth by {principal}"));
        m::GetAuthResponse::Ok(m::AdminAuthRes { user: user("usr_01G1G5V26F5TB3GPAPNJ8X1S3V") })
    }

    async fn post_auth(&self, _meta: &RequestMeta, request: admin_api_server::PostAuthRequest) -> m::PostAuthResponse {
        if request.body.password == "too-many" {
            let headers = m::RetryAfterHeaders { retry_after: Some(60) };
            return m::PostAuthResponse::TooManyRequests(error(m::ErrorType::TooManyRequests, "slow down"), headers);
        }
        let headers = m::PostAuthOkHeaders { set_cookie: Some("connect.sid=session-1; Path=/; HttpOnly".into()) };
        m::PostAuthResponse::Ok(m::AdminAuthRes { user: user("usr_01G1G5V26F5TB3GPAPNJ8X1S3V") }, headers)
    }

    async fn delete_auth(&self, principal: &'static str, _meta: &RequestMeta) -> m::DeleteAuthResponse {
        self.record(format!("delete_auth by {principal}"));
        m::DeleteAuthResponse::Ok("OK".into(), m::DeleteAuthOkHeaders::default())
    }

    async fn post_token(
        &self,
        _meta: &RequestMeta,
        _request: admin_api_server::PostTokenRequest,
    ) -> m::PostTokenResponse {
        m::PostTokenResponse::Ok(m::AdminBearerAuthRes { access_token: "jwt-1".into() })
    }
}

impl InvitesApi for TestApi {
    async fn get_invites(&self, _principal: &'static str, _meta: &RequestMeta) -> m::GetInvitesResponse {
        m::GetInvitesResponse::Ok(m::AdminListInvitesRes { invites: Vec::new() })
    }

    async fn post_invites(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::PostInvitesRequest,
    ) -> m::PostInvitesResponse {
        self.record(format!("invite {} as {}", request.body.user, request.body.role));
        m::PostInvitesResponse::Ok("OK".into())
    }

    async fn post_invites_invite_accept(
        &self,
        _meta: &RequestMeta,
        _request: admin_api_server::PostInvitesInviteAcceptRequest,
    ) -> m::PostInvitesInviteAcceptResponse {
        m::PostInvitesInviteAcceptResponse::Ok("OK".into())
    }

    async fn delete_invites_invite(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::DeleteInvitesInviteRequest,
    ) -> m::DeleteInvitesInviteResponse {
        m::DeleteInvitesInviteResponse::NotFound(error(
            m::ErrorType::NotFound,
            &format!("Invite with id {} was not found", request.path.invite_id),
        ))
    }

    async fn post_invites_invite_resend(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        _request: admin_api_server::PostInvitesInviteResendRequest,
    ) -> m::PostInvitesInviteResendResponse {
        m::PostInvitesInviteResendResponse::Ok("OK".into())
    }
}

impl UsersApi for TestApi {
    async fn get_users(
        &self,
        principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::GetUsersRequest,
    ) -> m::GetUsersResponse {
        self.record(format!("get_users by {principal} limit={:?} role={:?}", request.query.limit, request.query.role));
        let users = vec![user("usr_01G1G5V26F5TB3GPAPNJ8X1S3V")];
        let limit = request.query.limit.unwrap_or(50);
        m::GetUsersResponse::Ok(m::AdminUsersListRes {
            count: 1,
            offset: request.query.offset.unwrap_or(0),
            limit,
            users,
        })
    }

    async fn post_users(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::PostUsersRequest,
    ) -> m::PostUsersResponse {
        let mut created = user("usr_01G1G5V26F5TB3GPAPNJ8X1S3W");
        created.email = request.body.email;
        m::PostUsersResponse::Ok(m::AdminUserRes { user: created })
    }

    async fn get_users_user(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::GetUsersUserRequest,
    ) -> m::GetUsersUserResponse {
        m::GetUsersUserResponse::Ok(m::AdminUserRes { user: user(&request.path.id) })
    }

    async fn post_users_user(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::PostUsersUserRequest,
    ) -> m::PostUsersUserResponse {
        self.record(format!("update metadata={:?} api_token={:?}", request.body.metadata, request.body.api_token));
        m::PostUsersUserResponse::Ok(m::AdminUserRes { user: user(&request.path.id) })
    }

    async fn delete_users_user(
        &self,
        _principal: &'static str,
        _meta: &RequestMeta,
        request: admin_api_server::DeleteUsersUserRequest,
    ) -> m::DeleteUsersUserResponse {
        m::DeleteUsersUserResponse::Ok(m::AdminDeleteUserRes {
            id: request.path.id,
            object: m::AdminDeleteUserResObject::User,
            deleted: true,
        })
    }

    async fn post_users_user_password_token(
        &self,
        _meta: &RequestMeta,
        _request: admin_api_server::PostUsersUserPasswordTokenRequest,
    ) -> m::PostUsersUserPasswordTokenResponse {
        m::PostUsersUserPasswordTokenResponse::NoContent
    }

    async fn post_users_user_password(
        &self,
        _meta: &RequestMeta,
        _request: admin_api_server::PostUsersUserPasswordRequest,
    ) -> m::PostUsersUserPasswordResponse {
        m::PostUsersUserPasswordResponse::InternalServerError(error(m::ErrorType::DatabaseError, "storage is down"))
    }
}

struct Server {
    base: String,
    api: std::sync::Arc<TestApi>,
    http: reqwest::Client,
}

impl Server {
    async fn start(config: ServerConfig) -> Server {
        let api = std::sync::Arc::new(TestApi::default());
        let router = admin_api_server::router_with(api.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback port");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        tokio::spawn(async move {
            let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
        });
        Server { base: format!("http://{addr}"), api, http: reqwest::Client::new() }
    }

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        self.http.request(method, format!("{}{path}", self.base))
    }

    fn authed(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        self.request(method, path).header("x-medusa-access-token", "token-1234567890abcdef")
    }

    fn seen(&self) -> Vec<String> {
        self.api.seen.lock().expect("not poisoned").clone()
    }
}

/// Status, content type and JSON body (or `Value::String` of a text body).
async fn send(request: reqwest::RequestBuilder) -> (u16, String, Value, reqwest::header::HeaderMap) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = response.text().await.expect("a body");
    let body = if content_type.starts_with("application/json") {
        serde_json::from_str(&text).expect("JSON body")
    } else {
        Value::String(text)
    };
    (status, content_type, body, headers)
}

/// Asserts an error answer: status, the spec's error body, and a message containing `needle`.
async fn expect_error(request: reqwest::RequestBuilder, status: u16, kind: &str, needle: &str) {
    let (got, content_type, body, _) = send(request).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(content_type, "application/json");
    assert_eq!(body["type"], kind, "{body}");
    let message = body["message"].as_str().expect("a message");
    assert!(message.contains(needle), "{message:?} should mention {needle:?}");
    let error: m::Error = serde_json::from_value(body).expect("the body is the spec's Error");
    assert!(!error.message.is_empty());
}

fn json_body(request: reqwest::RequestBuilder, body: &str) -> reqwest::RequestBuilder {
    request.header("content-type", "application/json").body(body.to_owned())
}

#[tokio::test]
async fn protected_operations_need_an_accepted_credential() {
    let server = Server::start(ServerConfig::default()).await;
    expect_error(server.request("GET", "/admin/users"), 401, "unauthorized", "credentials").await;
    expect_error(server.request("GET", "/admin/auth").header("x-medusa-access-token", "nope"), 401, "unauthorized", "")
        .await;
    expect_error(
        server.request("GET", "/admin/auth").header("authorization", "Basic YWRtaW46YWRtaW4="),
        401,
        "unauthorized",
        "",
    )
    .await;

    let (status, _, body, _) = send(server.authed("GET", "/admin/auth")).await;
    assert_eq!((status, body["user"]["id"].as_str()), (200, Some("usr_01G1G5V26F5TB3GPAPNJ8X1S3V")));
    let (status, ..) = send(server.request("GET", "/admin/auth").header("authorization", "bearer jwt-1")).await;
    assert_eq!(status, 200);
    let (status, ..) =
        send(server.request("GET", "/admin/auth").header("cookie", "theme=dark; connect.sid=session-1")).await;
    assert_eq!(status, 200);
    assert_eq!(server.seen(), ["get_auth by api-token", "get_auth by jwt", "get_auth by cookie"]);
}

#[tokio::test]
async fn public_operations_need_no_credential() {
    let server = Server::start(ServerConfig::default()).await;
    let login = json_body(
        server.request("POST", "/admin/auth"),
        r#"{"email":"levi@medusa-test.com","password":"supersecret"}"#,
    );
    let (status, _, body, headers) = send(login).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        headers.get("set-cookie").and_then(|v| v.to_str().ok()),
        Some("connect.sid=session-1; Path=/; HttpOnly")
    );
    let reset = json_body(server.request("POST", "/admin/users/password-token"), r#"{"email":"levi@medusa-test.com"}"#);
    let (status, _, body, _) = send(reset).await;
    assert_eq!((status, body), (204, Value::String(String::new())));
    let too_many =
        json_body(server.request("POST", "/admin/auth"), r#"{"email":"levi@medusa-test.com","password":"too-many"}"#);
    let (status, _, body, headers) = send(too_many).await;
    assert_eq!((status, body["type"].as_str()), (429, Some("too_many_requests")));
    assert_eq!(headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("60"));
}

#[tokio::test]
async fn malformed_bodies_get_the_spec_error_body_naming_the_problem() {
    let server = Server::start(ServerConfig::default()).await;
    let create = || server.authed("POST", "/admin/users");
    expect_error(json_body(create(), r#"{"email": "a@b.co", "#), 400, "invalid_data", "EOF").await;
    expect_error(
        create().header("content-type", "text/plain").body(r#"{"email":"a@b.co"}"#),
        400,
        "invalid_data",
        "JSON",
    )
    .await;
    expect_error(create(), 400, "invalid_data", "").await;
    expect_error(json_body(create(), r#"{"password":"supersecret"}"#), 400, "invalid_data", "missing field `email`")
        .await;
    expect_error(
        json_body(create(), r#"{"email":"a@b.co","password":"supersecret","nickname":"z"}"#),
        400,
        "invalid_data",
        "nickname",
    )
    .await;
    expect_error(
        json_body(create(), r#"{"email":"a@b.co","password":"supersecret","first_name":5}"#),
        400,
        "invalid_data",
        "first_name",
    )
    .await;
    expect_error(
        json_body(create(), r#"{"email":"a@b.co","password":"supersecret","role":"owner"}"#),
        400,
        "invalid_data",
        "role",
    )
    .await;
    expect_error(
        json_body(create(), r#"{"email":"not-an-email","password":"supersecret"}"#),
        400,
        "invalid_data",
        "email",
    )
    .await;
    expect_error(
        json_body(create(), r#"{"email":"a@b.co","password":"short"}"#),
        400,
        "invalid_data",
        "password must be at least 8 characters long",
    )
    .await;
    expect_error(json_body(create(), r#"{"email":"a@b.co","password":null}"#), 400, "invalid_data", "password").await;
    expect_error(json_body(create(), r#"["a@b.co","supersecret"]"#), 400, "invalid_data", "expected a JSON object")
        .await;
    expect_error(
        json_body(
            server.request("POST", "/admin/invites/accept"),
            r#"{"token":"t","user":{"password":"supersecret","email":"x@y.zz"}}"#,
        ),
        400,
        "invalid_data",
        "user.email",
    )
    .await;
    let (status, _, body, _) =
        send(json_body(create(), r#"{"email":"Zed@Example.com","password":"supersecret"}"#)).await;
    assert_eq!((status, body["user"]["email"].as_str()), (200, Some("Zed@Example.com")));
}

/// A credential the implementation cannot check (its store is down) is 503, not 401.
#[tokio::test]
async fn a_credential_that_cannot_be_checked_is_503() {
    let server = Server::start(ServerConfig::default()).await;
    let request = server.request("GET", "/admin/users").header("x-medusa-access-token", "token-store-is-down");
    expect_error(request, 503, "database_error", "cannot be checked").await;
}

#[tokio::test]
async fn parameters_are_typed_and_checked() {
    let server = Server::start(ServerConfig::default()).await;
    let long_id = format!("/admin/users/usr_{}", "x".repeat(100));
    expect_error(server.authed("GET", &long_id), 400, "invalid_data", "id must be at most 100 characters long").await;
    expect_error(server.authed("GET", "/admin/users?limit=abc"), 400, "invalid_data", "limit").await;
    expect_error(
        server.authed("GET", "/admin/users?limit=5000"),
        400,
        "invalid_data",
        "limit must not be greater than 1000",
    )
    .await;
    expect_error(server.authed("GET", "/admin/users?role=owner"), 400, "invalid_data", "role").await;
    expect_error(server.authed("GET", "/admin/users?foo=bar"), 400, "invalid_data", "foo").await;
    let (status, _, body, _) = send(server.authed("GET", "/admin/users?limit=2&offset=1&role=developer")).await;
    assert_eq!((status, body["limit"].as_i64(), body["offset"].as_i64()), (200, Some(2), Some(1)));
    let (status, _, body, _) = send(server.authed("GET", "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3W")).await;
    assert_eq!((status, body["user"]["id"].as_str()), (200, Some("usr_01G1G5V26F5TB3GPAPNJ8X1S3W")));
    assert!(server.seen().contains(&"get_users by api-token limit=Some(2) role=Some([Developer])".to_owned()));
}

#[tokio::test]
async fn absent_null_and_value_reach_the_handler_distinctly() {
    let server = Server::start(ServerConfig::default()).await;
    let update = |body: &str| json_body(server.authed("POST", "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3V"), body);
    for body in [
        r#"{}"#,
        r#"{"metadata":null,"api_token":null}"#,
        r#"{"metadata":{"car":"white"},"api_token":"token-abcdefghijklmnop"}"#,
    ] {
        let (status, ..) = send(update(body)).await;
        assert_eq!(status, 200, "{body}");
    }
    expect_error(
        update(r#"{"api_token":"short"}"#),
        400,
        "invalid_data",
        "api_token must be at least 16 characters long",
    )
    .await;
    assert_eq!(
        server.seen(),
        [
            "update metadata=Absent api_token=Absent",
            "update metadata=Null api_token=Null",
            r#"update metadata=Value({"car": String("white")}) api_token=Value("token-abcdefghijklmnop")"#,
        ]
    );
}

#[tokio::test]
async fn routing_answers_405_with_allow_and_404_in_the_error_body() {
    let server = Server::start(ServerConfig::default()).await;
    let (status, _, body, headers) = send(server.authed("PUT", "/admin/users")).await;
    assert_eq!((status, body["type"].as_str()), (405, Some("not_allowed")));
    let allow = headers.get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    for method in ["GET", "POST"] {
        assert!(allow.contains(method), "Allow: {allow}");
    }
    expect_error(server.request("TRACE", "/admin/auth"), 405, "not_allowed", "TRACE").await;
    expect_error(server.authed("GET", "/admin/nope"), 404, "not_found", "/admin/nope").await;
    expect_error(server.request("GET", "/"), 404, "not_found", "").await;
}

#[tokio::test]
async fn responses_follow_the_documented_shapes() {
    let server = Server::start(ServerConfig::default()).await;
    let (status, content_type, body, _) = send(server.authed("DELETE", "/admin/auth")).await;
    assert_eq!((status, content_type.as_str(), body), (200, "text/plain; charset=utf-8", Value::String("OK".into())));
    let (status, _, body, _) = send(server.authed("DELETE", "/admin/users/usr_01G1G5V26F5TB3GPAPNJ8X1S3V")).await;
    assert_eq!(
        (status, body),
        (200, json!({"id": "usr_01G1G5V26F5TB3GPAPNJ8X1S3V", "object": "user", "deleted": true}))
    );
    let (status, _, body, _) = send(server.authed("DELETE", "/admin/invites/invite_01G8TKE4XYCTHSCK2GDEP47RE1")).await;
    assert_eq!((status, body["type"].as_str()), (404, Some("not_found")));
    let reset =
        json_body(server.request("POST", "/admin/users/reset-password"), r#"{"token":"t","password":"supersecret"}"#);
    let (status, _, body, _) = send(reset).await;
    assert_eq!((status, body), (500, json!({"type": "database_error", "message": "storage is down"})));
}

#[tokio::test]
async fn the_body_size_is_bounded() {
    let server = Server::start(ServerConfig::default().with_body_limit(64)).await;
    let big = format!(r#"{{"email":"a@b.co","password":"{}"}}"#, "x".repeat(100));
    // 400, not 413: the operation documents 400 for invalid requests and no 413, and the router
    // answers only documented statuses.
    expect_error(json_body(server.authed("POST", "/admin/users"), &big), 400, "invalid_data", "64 bytes").await;
    let small = json_body(server.authed("POST", "/admin/users"), r#"{"email":"a@b.co","password":"supersecret"}"#);
    assert_eq!(send(small).await.0, 200);
}

#[tokio::test]
async fn the_server_describes_itself_and_serves_swagger_ui() {
    let server = Server::start(ServerConfig::default()).await;
    let (status, content_type, body, _) = send(server.request("GET", "/openapi.json")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(body, serde_json::to_value(admin_api_server::openapi()).expect("serialises"));
    let (status, content_type, body, _) = send(server.request("GET", "/docs/")).await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.as_str().is_some_and(|html| html.contains("swagger")), "Swagger UI page");
    let (status, _, body, _) = send(server.request("GET", "/docs/swagger-initializer.js")).await;
    assert_eq!(status, 200);
    assert!(body.as_str().is_some_and(|js| js.contains("/openapi.json")), "the UI loads our description: {body}");

    let hidden = Server::start(ServerConfig::default().with_openapi_path(None).with_swagger_ui_path(None)).await;
    assert_eq!(send(hidden.request("GET", "/openapi.json")).await.0, 404);
    assert_eq!(send(hidden.request("GET", "/docs/")).await.0, 404);
}

#[tokio::test]
async fn the_generated_client_and_server_agree() {
    use admin_api_client::Client;
    let server = Server::start(ServerConfig::default()).await;
    let client = Client::builder(&server.base).build().expect("a client");
    let login = m::AdminPostAuthReq {
        email: Email::parse("levi@medusa-test.com").expect("valid"),
        password: "supersecret".into(),
    };
    let response = client.auth().create_session(&login).await.expect("logged in");
    assert!(matches!(response.value, m::PostAuthResponse::Ok(..)));
    // The session cookie the server set now authenticates the client.
    let response = client.auth().get_session().await.expect("decoded");
    assert!(
        matches!(response.value, m::GetAuthResponse::Ok(ref res) if res.user.id == "usr_01G1G5V26F5TB3GPAPNJ8X1S3V")
    );
    assert_eq!(server.seen(), ["get_auth by cookie"]);
    // A request the server refuses comes back as the documented variant with the spec's body.
    let bad = m::AdminCreateUserRequest {
        email: Email::parse("a@b.co").expect("valid"),
        first_name: None,
        last_name: None,
        role: None,
        password: "short".into(),
    };
    match client.users().create(&bad).await.expect("decoded").value {
        m::PostUsersResponse::BadRequest(error) => {
            assert_eq!(error.r#type, m::ErrorType::InvalidData);
            assert!(error.message.contains("password"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
}
