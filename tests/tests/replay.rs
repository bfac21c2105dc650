//! Examples are replayed: each operation's request example (body, path and query parameter
//! examples) goes through the generated client to a fresh reference server, seeded with the
//! entities the examples name. Every answer must be a documented status whose body satisfies the
//! documented schema. Error scenarios then exercise every documented error status.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;

use admin_api_client::models::{self as m};
use admin_api_client::{ApiResponse, Client};
use admin_server::store::{InviteRow, UserRow};
use admin_server::{App, Config, MemoryNotifier, Store, secrets};
use contract_tests::examples::{Direction, translate};
use contract_tests::load_spec_json;
use serde_json::{Map, Value, json};

const ADMIN_TOKEN: &str = "replay-admin-token-0123456789";

/// The spec, and what was checked against it.
struct Replay {
    spec: Value,
    base: String,
    app: Arc<App>,
    /// operationId → statuses seen.
    seen: BTreeMap<String, BTreeSet<u16>>,
    dir: std::path::PathBuf,
}

impl Drop for Replay {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn example_of(spec: &Value, media: &Value) -> Option<Value> {
    media.get("example").cloned().or_else(|| {
        let first = media.get("examples")?.as_object()?.values().next()?;
        let first = match first.get("$ref").and_then(Value::as_str) {
            Some(reference) => spec.pointer(reference.trim_start_matches('#'))?,
            None => first,
        };
        first.get("value").cloned()
    })
}

fn deref<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec.pointer(reference.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

impl Replay {
    async fn start() -> Replay {
        let dir = std::env::temp_dir().join(format!("replay-{}", secrets::new_token().expect("random")));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.join("admin.db").display())).await.expect("db");
        let app = App::new(
            store,
            Config::new(b"replay-secret-that-is-long-enough!!".to_vec()),
            Arc::new(MemoryNotifier::default()),
        );
        // The login examples' credentials.
        app.bootstrap_admin("admin@medusa-test.com", "supersecret", Some(ADMIN_TOKEN)).await.expect("admin");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        let router = app.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
        });
        Replay { spec: load_spec_json(), base: format!("http://{addr}"), app, seen: BTreeMap::new(), dir }
    }

    /// The entities the examples refer to: the user and invite of the path examples, the invite
    /// and reset tokens of the body examples.
    async fn seed(&self) {
        let now = chrono::Utc::now();
        let user = |id: &str, email: &str| UserRow {
            id: id.into(),
            email: email.into(),
            first_name: Some("Levi".into()),
            last_name: Some("Bogan".into()),
            role: "admin".into(),
            password_hash: Some(secrets::hash_password("supersecret").expect("hash")),
            metadata: None,
            created_at: now,
            updated_at: now,
        };
        let path_user = self.param_example("user_id");
        self.app.store.insert_user(&user(&path_user, "seeded-levi@medusa-test.com")).await.expect("user");
        let invite = |id: &str, email: &str| InviteRow {
            id: id.into(),
            user_email: email.into(),
            role: "member".into(),
            expires_at: now + chrono::Duration::days(7),
            metadata: None,
            created_at: now,
            updated_at: now,
        };
        let accept_token =
            self.body_example("/admin/invites/accept", "post")["token"].as_str().expect("token").to_owned();
        let accepted = invite("invite_01JACCEPTED0000000000000000", "seeded-invitee@medusa-test.com");
        self.app.store.upsert_invite(&accepted, &secrets::hash_token(&accept_token)).await.expect("invite");
        let path_invite = self.param_example("invite_id");
        self.app
            .store
            .upsert_invite(&invite(&path_invite, "seeded-pending@medusa-test.com"), "unused-hash")
            .await
            .expect("invite");
        let reset_token =
            self.body_example("/admin/users/reset-password", "post")["token"].as_str().expect("token").to_owned();
        self.app
            .store
            .insert_reset(&secrets::hash_token(&reset_token), &path_user, now + chrono::Duration::minutes(15))
            .await
            .expect("reset");
    }

    fn param_example(&self, name: &str) -> String {
        self.spec
            .pointer(&format!("/components/parameters/{name}/example"))
            .and_then(Value::as_str)
            .expect("a parameter example")
            .to_owned()
    }

    fn body_example(&self, path: &str, method: &str) -> Value {
        let pointer = format!("/paths/{}/{method}/requestBody/content/application~1json", path.replace('/', "~1"));
        example_of(&self.spec, self.spec.pointer(&pointer).expect("a body")).expect("a body example")
    }

    fn query_example(&self, path: &str, method: &str) -> Map<String, Value> {
        let mut query = Map::new();
        let op = self.spec.pointer(&format!("/paths/{}/{method}", path.replace('/', "~1"))).expect("operation");
        for parameter in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
            let parameter = deref(&self.spec, parameter);
            if parameter["in"] == "query" {
                query.insert(parameter["name"].as_str().expect("name").to_owned(), parameter["example"].clone());
            }
        }
        query
    }

    /// Checks an answer against the spec and records it.
    fn check<T: std::fmt::Debug>(&mut self, id: &str, response: &ApiResponse<T>) {
        let (path, method, op) = self.operation(id);
        let status = response.status.to_string();
        let documented =
            op["responses"].get(&status).unwrap_or_else(|| panic!("{id}: status {status} is not documented"));
        let documented = deref(&self.spec, documented);
        if let Some((media, content)) =
            documented.get("content").and_then(Value::as_object).and_then(|c| c.iter().next())
        {
            let content_type = response.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
            assert!(
                content_type.starts_with(media.as_str()),
                "{id} {status}: content type {content_type}, documented {media}"
            );
            if media == "application/json" {
                let body: Value = serde_json::from_slice(&response.body).expect("a JSON body");
                let mut schema = translate(&self.spec, &content["schema"], Direction::Response);
                let mut defs = Map::new();
                for (name, s) in self.spec["components"]["schemas"].as_object().expect("schemas") {
                    defs.insert(name.clone(), translate(&self.spec, s, Direction::Response));
                }
                schema["$defs"] = Value::Object(defs);
                let validator =
                    jsonschema::draft202012::options().should_validate_formats(true).build(&schema).expect("schema");
                let errors: Vec<String> = validator.iter_errors(&body).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "{method} {path} {status}: {body} does not satisfy the schema: {errors:?}");
            }
        } else {
            assert!(response.body.is_empty(), "{id} {status}: documented without a body");
        }
        self.seen.entry(id.to_owned()).or_default().insert(response.status);
    }

    fn operation(&self, id: &str) -> (String, String, Value) {
        for (path, item) in self.spec["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("item") {
                if op["operationId"] == id {
                    return (path.clone(), method.clone(), op.clone());
                }
            }
        }
        panic!("no operation {id}")
    }

    fn admin(&self) -> Client {
        Client::builder(&self.base).api_token(ADMIN_TOKEN).build().expect("client")
    }

    fn anonymous(&self) -> Client {
        Client::builder(&self.base).build().expect("client")
    }
}

fn body<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the example deserialises into the request type")
}

/// A parameter struct from the examples of its parameters, by wire name.
fn params<T: m::support::Params>(value: Value) -> T {
    T::from_json(value).expect("the examples read into the parameter struct")
}

#[tokio::test]
async fn request_examples_replay_against_the_reference_server() {
    let mut replay = Replay::start().await;
    replay.seed().await;
    let (admin, anonymous) = (replay.admin(), replay.anonymous());
    let user_id = replay.param_example("user_id");
    let invite_id = replay.param_example("invite_id");

    let query: m::GetUsersQuery = params(Value::Object(replay.query_example("/admin/users", "get")));
    let r = admin.users().list(&query).await.expect("sent");
    replay.check("GetUsers", &r);
    let r = admin.users().retrieve(&user_id).await.expect("sent");
    replay.check("GetUsersUser", &r);
    let r =
        admin.users().update(&user_id, &body(replay.body_example("/admin/users/{id}", "post"))).await.expect("sent");
    replay.check("PostUsersUser", &r);
    let r = admin.users().create(&body(replay.body_example("/admin/users", "post"))).await.expect("sent");
    replay.check("PostUsers", &r);
    let r = anonymous
        .users()
        .send_reset_password_token(&body(replay.body_example("/admin/users/password-token", "post")))
        .await
        .expect("sent");
    replay.check("PostUsersUserPasswordToken", &r);
    let r = anonymous
        .users()
        .reset_password(&body(replay.body_example("/admin/users/reset-password", "post")))
        .await
        .expect("sent");
    replay.check("PostUsersUserPassword", &r);
    let r = admin.invites().list().await.expect("sent");
    replay.check("GetInvites", &r);
    let r =
        anonymous.invites().accept(&body(replay.body_example("/admin/invites/accept", "post"))).await.expect("sent");
    replay.check("PostInvitesInviteAccept", &r);
    let r = admin.invites().create(&body(replay.body_example("/admin/invites", "post"))).await.expect("sent");
    replay.check("PostInvites", &r);
    let r = admin.invites().resend(&invite_id).await.expect("sent");
    replay.check("PostInvitesInviteResend", &r);
    let r = admin.invites().delete(&invite_id).await.expect("sent");
    replay.check("DeleteInvitesInvite", &r);
    let r = admin.users().delete(&user_id).await.expect("sent");
    replay.check("DeleteUsersUser", &r);
    let session = replay.anonymous();
    let r = session.auth().create_session(&body(replay.body_example("/admin/auth", "post"))).await.expect("sent");
    replay.check("PostAuth", &r);
    let r = session.auth().get_session().await.expect("sent");
    replay.check("GetAuth", &r);
    let r = session.auth().get_token(&body(replay.body_example("/admin/auth/token", "post"))).await.expect("sent");
    replay.check("PostToken", &r);
    let r = session.auth().delete_session().await.expect("sent");
    replay.check("DeleteAuth", &r);

    // Every example succeeded: the seeded entities made them meaningful.
    for (id, statuses) in &replay.seen {
        assert!(statuses.iter().all(|s| (200..300).contains(s)), "{id}: {statuses:?}");
    }
    assert_eq!(replay.seen.len(), 16, "every operation replayed");

    // Now every documented error status, through real behaviour.
    let user = replay.body_example("/admin/users", "post");
    let r = admin.users().create(&body(user.clone())).await.expect("sent");
    replay.check("PostUsers", &r); // 422: the example's email exists now.
    let new_user = json!({"email": "new@medusa-test.com", "password": "supersecret"});
    let r = anonymous.users().create(&body(new_user)).await;
    assert!(matches!(r, Err(admin_api_client::Error::MissingCredentials { .. })));
    let wrong = Client::builder(&replay.base).api_token("not-a-valid-token-at-all").build().expect("client");
    let r = wrong.users().list(&Default::default()).await.expect("sent");
    replay.check("GetUsers", &r); // 401
    let r = admin.users().retrieve(&user_id).await.expect("sent");
    replay.check("GetUsersUser", &r); // 404: deleted above
    let invitee = json!({"user": "admin@medusa-test.com", "role": "member"});
    let r = admin.invites().create(&body(invitee)).await.expect("sent");
    replay.check("PostInvites", &r); // 409: already a user
    let r = anonymous
        .users()
        .reset_password(&body(replay.body_example("/admin/users/reset-password", "post")))
        .await
        .expect("sent");
    replay.check("PostUsersUserPassword", &r); // 400: the token was used
    let wrong_login = json!({"email": "admin@medusa-test.com", "password": "wrong-password"});
    for _ in 0..5 {
        let r = anonymous.auth().create_session(&body(wrong_login.clone())).await.expect("sent");
        replay.check("PostAuth", &r); // 401
    }
    let r = anonymous.auth().create_session(&body(wrong_login.clone())).await.expect("sent");
    replay.check("PostAuth", &r); // 429
    replay.app.store.close().await;
    let r = admin.users().list(&Default::default()).await.expect("sent");
    // The token cannot be looked up: 503 (keep the credential), not 401 (drop it).
    assert_eq!(r.status, 503, "authentication cannot look the token up");
    replay.check("GetUsers", &r); // 503
    let r =
        anonymous.users().send_reset_password_token(&body(json!({"email": "a@medusa-test.com"}))).await.expect("sent");
    replay.check("PostUsersUserPasswordToken", &r); // 500

    let exercised: BTreeSet<u16> = replay.seen.values().flatten().copied().collect();
    for status in [400, 401, 404, 409, 422, 429, 500, 503] {
        assert!(exercised.contains(&status), "status {status} was exercised: {exercised:?}");
    }
    let total: usize = replay.seen.values().map(BTreeSet::len).sum();
    println!("replayed 16 operations; {total} (operation, status) pairs checked against the spec: {:?}", replay.seen);
}
