//! Generated server stub vs a hand-written axum handler doing the same work, side by side in one
//! run: `GET /admin/users?limit=20&offset=0` with an API token. Both check the token, parse and
//! validate the query, and serialise the same three users. Measured twice: in process (the
//! router called directly, one request at a time: the per-request cost of the code itself) and
//! over loopback HTTP (16 concurrent clients). Rounds alternate so drift hits both equally.
//!
//! Run: `cargo run --release -p benches --bin server_throughput [-- SECONDS_PER_ROUND]`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use admin_api_server::models as m;
use admin_api_server::{ApiBase, AuthApi, Credential, InvitesApi, Problem, RequestMeta, Unavailable, UsersApi};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::Response;
use tower::ServiceExt;

const TOKEN: &str = "token-1234567890abcdef";

fn users() -> Vec<m::User> {
    (0..3)
        .map(|i| m::User {
            id: format!("usr_01G1G5V26F5TB3GPAPNJ8X1S3{i}"),
            email: m::support::Email::parse(format!("user{i}@medusa-test.com")).unwrap_or_else(|_| unreachable!()),
            first_name: Some("Levi".into()),
            last_name: Some("Bogan".into()),
            role: m::UserRole::Member,
            metadata: None,
            created_at: "2023-10-31T12:00:00Z".parse().unwrap_or_default(),
            updated_at: "2023-10-31T12:00:00Z".parse().unwrap_or_default(),
            deleted_at: None,
        })
        .collect()
}

fn list(limit: i64, offset: i64) -> m::AdminUsersListRes {
    m::AdminUsersListRes { users: users(), count: 3, offset, limit }
}

fn error(message: &str) -> m::Error {
    m::Error { r#type: m::ErrorType::InvalidData, message: message.to_owned(), code: None }
}

/// The generated side: only `get_users` does work; the other operations are never called.
struct Generated;

impl ApiBase for Generated {
    type Principal = ();
    async fn authenticate(&self, credential: Credential, _meta: &RequestMeta) -> Result<Option<()>, Unavailable> {
        Ok(matches!(credential, Credential::ApiToken(token) if token == TOKEN).then_some(()))
    }
    fn error_body(&self, problem: &Problem) -> m::Error {
        error(&problem.message)
    }
}

impl UsersApi for Generated {
    async fn get_users(
        &self,
        _: (),
        _: &RequestMeta,
        request: admin_api_server::GetUsersRequest,
    ) -> m::GetUsersResponse {
        m::GetUsersResponse::Ok(list(request.query.limit.unwrap_or(50), request.query.offset.unwrap_or(0)))
    }
    async fn post_users(&self, _: (), _: &RequestMeta, _: admin_api_server::PostUsersRequest) -> m::PostUsersResponse {
        m::PostUsersResponse::InternalServerError(error("unused"))
    }
    async fn get_users_user(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::GetUsersUserRequest,
    ) -> m::GetUsersUserResponse {
        m::GetUsersUserResponse::InternalServerError(error("unused"))
    }
    async fn post_users_user(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::PostUsersUserRequest,
    ) -> m::PostUsersUserResponse {
        m::PostUsersUserResponse::InternalServerError(error("unused"))
    }
    async fn delete_users_user(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::DeleteUsersUserRequest,
    ) -> m::DeleteUsersUserResponse {
        m::DeleteUsersUserResponse::InternalServerError(error("unused"))
    }
    async fn post_users_user_password_token(
        &self,
        _: &RequestMeta,
        _: admin_api_server::PostUsersUserPasswordTokenRequest,
    ) -> m::PostUsersUserPasswordTokenResponse {
        m::PostUsersUserPasswordTokenResponse::InternalServerError(error("unused"))
    }
    async fn post_users_user_password(
        &self,
        _: &RequestMeta,
        _: admin_api_server::PostUsersUserPasswordRequest,
    ) -> m::PostUsersUserPasswordResponse {
        m::PostUsersUserPasswordResponse::InternalServerError(error("unused"))
    }
}

impl AuthApi for Generated {
    async fn get_auth(&self, _: (), _: &RequestMeta) -> m::GetAuthResponse {
        m::GetAuthResponse::InternalServerError(error("unused"))
    }
    async fn post_auth(&self, _: &RequestMeta, _: admin_api_server::PostAuthRequest) -> m::PostAuthResponse {
        m::PostAuthResponse::InternalServerError(error("unused"))
    }
    async fn delete_auth(&self, _: (), _: &RequestMeta) -> m::DeleteAuthResponse {
        m::DeleteAuthResponse::InternalServerError(error("unused"))
    }
    async fn post_token(&self, _: &RequestMeta, _: admin_api_server::PostTokenRequest) -> m::PostTokenResponse {
        m::PostTokenResponse::InternalServerError(error("unused"))
    }
}

impl InvitesApi for Generated {
    async fn get_invites(&self, _: (), _: &RequestMeta) -> m::GetInvitesResponse {
        m::GetInvitesResponse::InternalServerError(error("unused"))
    }
    async fn post_invites(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::PostInvitesRequest,
    ) -> m::PostInvitesResponse {
        m::PostInvitesResponse::InternalServerError(error("unused"))
    }
    async fn post_invites_invite_accept(
        &self,
        _: &RequestMeta,
        _: admin_api_server::PostInvitesInviteAcceptRequest,
    ) -> m::PostInvitesInviteAcceptResponse {
        m::PostInvitesInviteAcceptResponse::InternalServerError(error("unused"))
    }
    async fn delete_invites_invite(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::DeleteInvitesInviteRequest,
    ) -> m::DeleteInvitesInviteResponse {
        m::DeleteInvitesInviteResponse::InternalServerError(error("unused"))
    }
    async fn post_invites_invite_resend(
        &self,
        _: (),
        _: &RequestMeta,
        _: admin_api_server::PostInvitesInviteResendRequest,
    ) -> m::PostInvitesInviteResendResponse {
        m::PostInvitesInviteResendResponse::InternalServerError(error("unused"))
    }
}

/// The hand-written side: what a careful developer writes with axum for the same route.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    limit: Option<i64>,
    offset: Option<i64>,
}

fn json(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let mut response = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", axum::http::HeaderValue::from_static("application/json"));
    response
}

async fn hand_written(headers: HeaderMap, request: Request<Body>) -> Response {
    if headers.get("x-medusa-access-token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return json(StatusCode::UNAUTHORIZED, &error("missing or invalid credentials"));
    }
    let query: ListQuery = match serde_urlencoded::from_str(request.uri().query().unwrap_or("")) {
        Ok(query) => query,
        Err(e) => return json(StatusCode::BAD_REQUEST, &error(&e.to_string())),
    };
    let (limit, offset) = (query.limit.unwrap_or(50), query.offset.unwrap_or(0));
    if !(1..=1000).contains(&limit) || offset < 0 {
        return json(StatusCode::BAD_REQUEST, &error("limit or offset out of range"));
    }
    json(StatusCode::OK, &list(limit, offset))
}

fn routers() -> [(&'static str, axum::Router); 2] {
    [
        ("generated", admin_api_server::router(Generated)),
        ("hand-written", axum::Router::new().route("/admin/users", axum::routing::get(hand_written))),
    ]
}

fn request() -> Request<Body> {
    Request::builder()
        .uri("/admin/users?limit=20&offset=0")
        .header("x-medusa-access-token", TOKEN)
        .body(Body::empty())
        .unwrap_or_default()
}

/// Requests per second through the router itself, one at a time.
async fn in_process(router: &axum::Router, round: Duration) -> f64 {
    let started = Instant::now();
    let mut done = 0u64;
    while started.elapsed() < round {
        let response = router.clone().oneshot(request()).await.unwrap_or_else(|e| match e {});
        assert_eq!(response.status(), StatusCode::OK);
        let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        done += 1;
    }
    done as f64 / started.elapsed().as_secs_f64()
}

/// Requests per second over loopback HTTP with 16 concurrent clients.
async fn over_http(base: &str, round: Duration) -> f64 {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            let url = format!("{base}/admin/users?limit=20&offset=0");
            tokio::spawn(async move {
                let mut done = 0u64;
                while started.elapsed() < round {
                    let response = client.get(&url).header("x-medusa-access-token", TOKEN).send().await;
                    if let Ok(response) = response
                        && response.status() == 200
                        && response.bytes().await.is_ok()
                    {
                        done += 1;
                    }
                }
                done
            })
        })
        .collect();
    let mut done = 0;
    for task in tasks {
        done += task.await.unwrap_or(0);
    }
    done as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let round = Duration::from_secs_f64(seconds);
    let rounds = 3;
    let routers = routers();

    let mut bases = Vec::new();
    for (_, router) in &routers {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        let router = router.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        bases.push(format!("http://{addr}"));
    }

    println!("GET /admin/users?limit=20&offset=0 with an API token; {rounds} alternating rounds of {seconds}s each");
    let mut local: [Vec<f64>; 2] = Default::default();
    let mut http: [Vec<f64>; 2] = Default::default();
    for _ in 0..rounds {
        for (i, (_, router)) in routers.iter().enumerate() {
            local[i].push(in_process(router, round).await);
        }
        for (i, base) in bases.iter().enumerate() {
            http[i].push(over_http(base, round).await);
        }
    }
    for (what, results) in [("in process (router called directly)", &local), ("loopback HTTP, 16 clients", &http)] {
        let generated = median(results[0].clone());
        let hand = median(results[1].clone());
        println!("{what}:");
        println!("  generated     {generated:>10.0} req/s");
        println!("  hand-written  {hand:>10.0} req/s");
        println!("  ratio generated / hand-written = {:.2}", generated / hand);
    }
}
