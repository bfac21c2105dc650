//! The generated mock (`admin_api_server::mock`) over loopback: every documented status and
//! every example of every operation is answered as the spec writes it — seen through plain
//! HTTP and through the generated client — and requests are refused exactly as the router
//! refuses them for a real server.

use std::net::SocketAddr;

use admin_api_client::models as m;
use admin_api_client::{Client, OperationResponse};
use admin_api_server::mock::Mock;
use contract_tests::examples::deref;
use contract_tests::load_spec_json;
use serde_json::Value;

const TOKEN: &str = "mock-token-0123456789";

async fn serve(mock: Mock) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr: SocketAddr = listener.local_addr().expect("bound");
    let router = mock.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

/// An example body of a response: its name under `examples` (if any), and its value.
type Named = (Option<String>, Value);

/// One operation of the spec, as the tests need it.
struct Op {
    id: String,
    method: reqwest::Method,
    /// The path with each parameter replaced by its example.
    path: String,
    protected: bool,
    body: Option<Value>,
    /// Per documented status: the examples of its JSON body (name, value).
    answers: Vec<(u16, Vec<Named>)>,
}

fn operations(spec: &Value) -> Vec<Op> {
    let global = spec.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
    let mut out = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_ascii_uppercase().parse::<reqwest::Method>() else { continue };
            let mut path = template.clone();
            for parameter in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
                let parameter = deref(spec, parameter);
                if parameter["in"] == "path" {
                    let example = parameter["example"].as_str().expect("path parameters have examples");
                    path = path.replace(&format!("{{{}}}", parameter["name"].as_str().expect("a name")), example);
                }
            }
            let protected = match op.get("security").and_then(Value::as_array) {
                Some(alternatives) => !alternatives.is_empty(),
                None => global,
            };
            let body = op.get("requestBody").map(|b| deref(spec, b)).map(|b| {
                let media = &b["content"]["application/json"];
                media.get("example").cloned().unwrap_or_else(|| {
                    let (_, first) = media["examples"].as_object().and_then(|e| e.iter().next()).expect("an example");
                    deref(spec, first)["value"].clone()
                })
            });
            let mut answers = Vec::new();
            for (status, response) in op["responses"].as_object().expect("responses") {
                let media = &deref(spec, response)["content"]["application/json"];
                let mut examples: Vec<Named> = media
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, e)| (Some(name.clone()), deref(spec, e)["value"].clone()))
                    .collect();
                examples.extend(media.get("example").map(|v| (None, v.clone())));
                // Without a body, the answer is empty (read as `null` below).
                if media.is_null() {
                    examples.push((None, Value::Null));
                }
                answers.push((status.parse().expect("numeric statuses"), examples));
            }
            out.push(Op {
                id: op["operationId"].as_str().expect("an id").to_owned(),
                method,
                path,
                protected,
                body,
                answers,
            });
        }
    }
    out
}

async fn send(
    http: &reqwest::Client,
    base: &str,
    op: &Op,
    prefer: Option<&str>,
    token: Option<&str>,
) -> (u16, Option<String>, Value) {
    let url = reqwest::Url::parse(&format!("{base}{}", op.path)).expect("a URL");
    let mut request = http.request(op.method.clone(), url);
    if let Some(body) = &op.body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    if let (true, Some(token)) = (op.protected, token) {
        request = request.header("x-medusa-access-token", token);
    }
    if let Some(prefer) = prefer {
        request = request.header("prefer", prefer);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let applied = response.headers().get("preference-applied").map(|v| v.to_str().expect("text").to_owned());
    let bytes = response.bytes().await.expect("a body");
    (status, applied, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_documented_status_and_example_is_answered_as_written() {
    let spec = load_spec_json();
    let base = serve(Mock::with_token(TOKEN)).await;
    let http = reqwest::Client::new();
    let ops = operations(&spec);
    assert_eq!(ops.len(), 16);
    let mut checked = 0;
    for op in &ops {
        for (status, examples) in &op.answers {
            assert!(!examples.is_empty(), "{} {status} has an example (a lint rule)", op.id);
            for (name, value) in examples {
                let prefer = match name {
                    Some(name) => format!("code={status}, example={name}"),
                    None => format!("code={status}"),
                };
                let (got, applied, body) = send(&http, &base, op, Some(&prefer), Some(TOKEN)).await;
                assert_eq!(got, *status, "{} with {prefer}", op.id);
                assert_eq!(&body, value, "{} with {prefer}", op.id);
                assert_eq!(applied.as_deref(), Some(prefer.as_str()), "{} echoes what it honoured", op.id);
                checked += 1;
            }
        }
        // Without a preference: the lowest documented 2xx, its first example.
        let (status, examples) =
            op.answers.iter().filter(|(s, _)| (200..300).contains(s)).min_by_key(|(s, _)| *s).expect("a 2xx");
        let (got, applied, body) = send(&http, &base, op, None, Some(TOKEN)).await;
        assert_eq!((got, &body), (*status, &examples[0].1), "{} without preferences", op.id);
        assert_eq!(applied, None);
    }
    assert!(checked >= 80, "{checked} answers checked");
}

#[tokio::test]
async fn the_mock_refuses_what_the_router_refuses() {
    let spec = load_spec_json();
    let ops = operations(&spec);
    let base = serve(Mock::with_token(TOKEN)).await;
    let http = reqwest::Client::new();
    let retrieve = ops.iter().find(|op| op.id == "GetUsersUser").expect("GetUsersUser");
    // No credential, or the wrong one: 401 with the spec's error body, whatever is preferred.
    for token in [None, Some("not-the-token")] {
        let (status, _, body) = send(&http, &base, retrieve, Some("code=200"), token).await;
        assert_eq!(status, 401, "{token:?}");
        assert_eq!(body["type"], "unauthorized", "{body}");
    }
    // An invalid body: 400 naming the field, in the error body's shape.
    let mut create = ops
        .iter()
        .find(|op| op.id == "PostUsers")
        .map(|op| Op {
            body: None,
            answers: Vec::new(),
            id: op.id.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            protected: op.protected,
        })
        .expect("PostUsers");
    create.body = Some(serde_json::json!({"email": "not-an-email", "password": "supersecret"}));
    let (status, _, body) = send(&http, &base, &create, None, Some(TOKEN)).await;
    assert_eq!(status, 400);
    assert_eq!(body["type"], "invalid_data", "{body}");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("email")), "{body}");
    // A status the operation does not document is not applied: the usual answer, no echo.
    let (status, applied, _) = send(&http, &base, retrieve, Some("code=418"), Some(TOKEN)).await;
    assert_eq!((status, applied), (200, None));
}

#[tokio::test]
async fn without_a_fixed_token_any_present_credential_is_accepted() {
    let spec = load_spec_json();
    let ops = operations(&spec);
    let base = serve(Mock::new()).await;
    let http = reqwest::Client::new();
    let list = ops.iter().find(|op| op.id == "GetInvites").expect("GetInvites");
    assert_eq!(send(&http, &base, list, None, Some("anything")).await.0, 200);
    assert_eq!(send(&http, &base, list, None, None).await.0, 401);
}

/// The request example of an operation, typed.
fn body<T: serde::de::DeserializeOwned>(ops: &[Op], id: &str) -> T {
    let op = ops.iter().find(|op| op.id == id).expect("the operation");
    serde_json::from_value(op.body.clone().expect("a body example")).expect("the example decodes")
}

/// One call of an operation through the generated client: the status of the decoded response
/// value and the raw body.
async fn call(client: &Client, ops: &[Op], id: &str, prefer: &str) -> (u16, Vec<u8>) {
    macro_rules! done {
        ($result:expr) => {{
            let response = $result.await.unwrap_or_else(|e| panic!("{id} with {prefer}: {e}"));
            (response.value.status(), response.body)
        }};
    }
    let (auth, invites, users) = (
        client.auth().with_header("prefer", prefer),
        client.invites().with_header("prefer", prefer),
        client.users().with_header("prefer", prefer),
    );
    let user = "usr_01G1G5V26F5TB3GPAPNJ8X1S3V";
    let invite = "invite_01G1G5V26F5TB3GPAPNJ8X1S3V";
    match id {
        "GetAuth" => done!(auth.get_session()),
        "PostAuth" => done!(auth.create_session(&body::<m::AdminPostAuthReq>(ops, id))),
        "DeleteAuth" => done!(auth.delete_session()),
        "PostToken" => done!(auth.get_token(&body::<m::AdminPostAuthReq>(ops, id))),
        "GetInvites" => done!(invites.list()),
        "PostInvites" => done!(invites.create(&body::<m::AdminPostInvitesReq>(ops, id))),
        "PostInvitesInviteAccept" => done!(invites.accept(&body::<m::AdminPostInvitesInviteAcceptReq>(ops, id))),
        "DeleteInvitesInvite" => done!(invites.delete(invite)),
        "PostInvitesInviteResend" => done!(invites.resend(invite)),
        "GetUsers" => done!(users.list(&m::GetUsersQuery::default())),
        "PostUsers" => done!(users.create(&body::<m::AdminCreateUserRequest>(ops, id))),
        "PostUsersUserPasswordToken" => {
            done!(users.send_reset_password_token(&body::<m::AdminResetPasswordTokenRequest>(ops, id)))
        }
        "PostUsersUserPassword" => done!(users.reset_password(&body::<m::AdminResetPasswordRequest>(ops, id))),
        "GetUsersUser" => done!(users.retrieve(user)),
        "PostUsersUser" => done!(users.update(user, &body::<m::AdminUpdateUserRequest>(ops, id))),
        "DeleteUsersUser" => done!(users.delete(user)),
        other => panic!("no client call for {other}: add it here"),
    }
}

#[tokio::test]
async fn the_generated_client_decodes_every_answer_of_the_mock() {
    let spec = load_spec_json();
    let ops = operations(&spec);
    let base = serve(Mock::with_token(TOKEN)).await;
    let client = Client::builder(&base).api_token(TOKEN).max_retries(0).build().expect("a client");
    for op in &ops {
        for (status, examples) in &op.answers {
            for (name, value) in examples {
                let prefer = match name {
                    Some(name) => format!("code={status}, example={name}"),
                    None => format!("code={status}"),
                };
                let (got, raw) = call(&client, &ops, &op.id, &prefer).await;
                assert_eq!(got, *status, "{} with {prefer}: the response enum's variant", op.id);
                let raw: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
                assert_eq!(&raw, value, "{} with {prefer}", op.id);
            }
        }
    }
}
