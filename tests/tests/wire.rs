//! Parameters on the wire, over loopback: the generated client of the `wire` fixture
//! (codegen/tests/fixtures/wire.yaml: every style × explode combination OpenAPI 3.0 defines)
//! against its generated server, whose handlers answer with what they received.
//!
//! Three directions are checked: what the client writes is the text OpenAPI's style tables give
//! (recorded at the server before any decoding), what a hand-written request in those forms
//! decodes to, and that client → server → client gives back the typed values sent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wire_client::{Client, OperationResponse};
use wire_server::models as m;
use wire_server::models::support::Params;
use wire_server::{ApiBase, Credential, Problem, RequestMeta, Unavailable, WireApi};

/// Answers every operation with the typed request it received, as JSON.
struct Echo;

fn echo<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("bodies serialise")
}

/// A parameter struct as JSON, by wire name.
fn echo_params<T: Params>(value: &T) -> Value {
    Value::Object(value.to_json().expect("parameter structs turn into JSON"))
}

/// OAuth 2 tokens that grant `things:read` only and every scope, and an API key.
const READ_TOKEN: &str = "read-token";
const ALL_TOKEN: &str = "all-token";
const KEY: &str = "key-0123";

impl ApiBase for Echo {
    /// The scheme met, with the scopes its requirement asked for.
    type Principal = Value;

    async fn authenticate(&self, credential: Credential, _meta: &RequestMeta) -> Result<Option<Value>, Unavailable> {
        Ok(match credential {
            Credential::Oauth { token, scopes } => {
                let granted = token == ALL_TOKEN || token == READ_TOKEN && scopes.iter().all(|s| *s == "things:read");
                granted.then(|| json!({"oauth": scopes}))
            }
            Credential::Key(key) => (key == KEY).then(|| json!({"key": []})),
        })
    }

    fn error_body(&self, problem: &Problem) -> m::Problem {
        m::Problem { title: problem.message.clone(), status: Some(i64::from(problem.status().as_u16())) }
    }

    fn error_body2(&self, problem: &Problem) -> m::Error {
        m::Error { code: format!("refused: {}", problem.status().as_u16()) }
    }

    fn invalid_body(&self, problem: &Problem) -> m::Invalid {
        m::Invalid { reason: problem.message.clone(), fields: vec!["refused by the router".to_owned()] }
    }
}

impl WireApi for Echo {
    async fn get_scoped(&self, principal: Value, _meta: &RequestMeta) -> m::GetScopedResponse {
        m::GetScopedResponse::Ok(principal)
    }

    async fn path_styles(&self, _meta: &RequestMeta, request: wire_server::PathStylesRequest) -> m::PathStylesResponse {
        m::PathStylesResponse::Ok(echo_params(&request.path))
    }

    async fn query_styles(
        &self,
        _meta: &RequestMeta,
        request: wire_server::QueryStylesRequest,
    ) -> m::QueryStylesResponse {
        m::QueryStylesResponse::Ok(echo_params(&request.query))
    }

    async fn exploded_object(
        &self,
        _meta: &RequestMeta,
        request: wire_server::ExplodedObjectRequest,
    ) -> m::ExplodedObjectResponse {
        m::ExplodedObjectResponse::Ok(echo_params(&request.query))
    }

    async fn header_styles(
        &self,
        _meta: &RequestMeta,
        request: wire_server::HeaderStylesRequest,
    ) -> m::HeaderStylesResponse {
        let body = json!({ "headers": echo_params(&request.headers), "cookies": echo_params(&request.cookies) });
        m::HeaderStylesResponse::Ok(body, m::HeaderStylesOkHeaders { x_echo_ids: request.headers.x_ids.clone() })
    }

    async fn post_form(&self, _meta: &RequestMeta, request: wire_server::PostFormRequest) -> m::PostFormResponse {
        m::PostFormResponse::Ok(echo(&request.body))
    }

    async fn post_upload(&self, _meta: &RequestMeta, request: wire_server::PostUploadRequest) -> m::PostUploadResponse {
        m::PostUploadResponse::Ok(echo(&request.body))
    }

    async fn post_either(&self, _meta: &RequestMeta, request: wire_server::PostEitherRequest) -> m::PostEitherResponse {
        m::PostEitherResponse::Ok(echo(&request.body))
    }

    async fn get_day(&self, _meta: &RequestMeta, request: wire_server::GetDayRequest) -> m::GetDayResponse {
        m::GetDayResponse::Ok(echo_params(&request.path))
    }

    async fn put_file(&self, _meta: &RequestMeta, request: wire_server::PutFileRequest) -> m::PutFileResponse {
        let problem = |status: u16| m::Problem { title: request.path.name.clone(), status: Some(status.into()) };
        match request.path.name.as_str() {
            "missing" => return m::PutFileResponse::NotFound(problem(404)),
            "locked" => return m::PutFileResponse::Status4xx(423, problem(423)),
            "broken" => return m::PutFileResponse::Default(503, problem(503)),
            _ => {}
        }
        m::PutFileResponse::Ok(request.body)
    }

    async fn get_encoded(&self, _meta: &RequestMeta, request: wire_server::GetEncodedRequest) -> m::GetEncodedResponse {
        // The bytes as the handler sees them, so the test can tell decoding happened.
        m::GetEncodedResponse::Ok(json!({"bytes": request.query.sig.as_ref()}))
    }

    async fn get_guarded(&self, principal: Value, _meta: &RequestMeta) -> m::GetGuardedResponse {
        m::GetGuardedResponse::Ok(principal)
    }

    async fn get_checked(&self, _meta: &RequestMeta, request: wire_server::GetCheckedRequest) -> m::GetCheckedResponse {
        m::GetCheckedResponse::Ok(echo_params(&request.query))
    }

    async fn get_validated(
        &self,
        _meta: &RequestMeta,
        request: wire_server::GetValidatedRequest,
    ) -> m::GetValidatedResponse {
        m::GetValidatedResponse::Ok(echo_params(&request.query))
    }
}

/// The generated router on a loopback port, recording each request's target and its
/// `Cookie` header as they arrived.
struct Server {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
    http: reqwest::Client,
}

impl Server {
    async fn start() -> Server {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let router =
            wire_server::router(Echo).layer(axum::middleware::map_request(move |request: axum::extract::Request| {
                let record = record.clone();
                async move {
                    let mut line = request.uri().to_string();
                    for (name, value) in request.headers() {
                        if name.as_str().starts_with("x-") || name == "cookie" {
                            line.push_str(&format!(" {name}: {}", value.to_str().unwrap_or("?")));
                        }
                    }
                    record.lock().expect("not poisoned").push(line);
                    request
                }
            }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("loopback port");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Server { base: format!("http://{addr}"), seen, http: reqwest::Client::new() }
    }

    fn client(&self) -> Client {
        Client::builder(self.base.clone()).build().expect("client builds")
    }

    /// What the server received last, as recorded before decoding.
    fn last(&self) -> String {
        self.seen.lock().expect("not poisoned").last().cloned().unwrap_or_default()
    }

    /// A hand-written request: its status and JSON body.
    async fn get(&self, target: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self.http.get(format!("{}{target}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

fn color(r: i64, g: i64, b: i64) -> m::Color {
    m::Color { r: Some(r), g: Some(g), b: Some(b) }
}

/// The failure the issue reported: an array query parameter refused by both sides.
#[tokio::test]
async fn array_query_parameters_travel_in_every_form_clients_write() {
    let server = Server::start().await;
    for target in ["/query?status=active&status=on_hold", "/query?status=active,on_hold"] {
        let (status, body) = server.get(target, &[]).await;
        assert_eq!((status, &body["status"]), (200, &json!(["active", "on_hold"])), "{target}: {body}");
    }
    // `x-codegen: {brackets: true}` on the parameter: the forms qs-based clients (Medusa JS) send.
    for target in ["/query?status[]=active&status[]=on_hold", "/query?status[0]=active&status%5B1%5D=on_hold"] {
        let (status, body) = server.get(target, &[]).await;
        assert_eq!((status, &body["status"]), (200, &json!(["active", "on_hold"])), "{target}: {body}");
    }
    let (status, body) = server.get("/query?tags[]=a", &[]).await;
    assert_eq!(status, 400, "brackets only where the spec asks: {body}");
    let (status, body) = server.get("/query?status=active", &[]).await;
    assert_eq!((status, &body["status"]), (200, &json!(["active"])), "a single value is a one-element array");
    let (status, body) = server.get("/query?status=paused", &[]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["title"].as_str().unwrap_or("").contains("status[0]"), "names the item: {body}");

    let query = m::QueryStylesQuery { status: Some(vec![m::Status::Active, m::Status::OnHold]), ..Default::default() };
    let answer = server.client().wire().query_styles(&query).await.expect("the client encodes arrays");
    assert_eq!(server.last(), "/query?status=active&status=on_hold");
    let m::QueryStylesResponse::Ok(body) = answer.value;
    assert_eq!(body["status"], json!(["active", "on_hold"]));
}

/// Query styles as OpenAPI 3.0.3's style table writes them (§ Style Examples), by hand.
#[tokio::test]
async fn query_styles_decode_as_the_specification_writes_them() {
    let server = Server::start().await;
    let (status, body) = server
        .get(
            "/query?tags=blue,black&spaced=1%202%203&piped=a|b&filter[min]=1.5&filter[max]=9&color=R,100,G,200,B,150\
             &where=%7B%22name%22%3A%22Ann%22%2C%22age%22%3A3%7D&redirect=/a/b?c=d&flag=true",
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({
            "tags": ["blue", "black"],
            "spaced": [1, 2, 3],
            "piped": ["a", "b"],
            "filter": {"min": 1.5, "max": 9.0},
            "color": {"R": 100, "G": 200, "B": 150},
            "where": {"name": "Ann", "age": 3},
            "redirect": "/a/b?c=d",
            "limit": 20,
            "flag": true,
        }),
        "the schema default of `limit` reaches the handler"
    );
    let (status, body) = server.get("/query?owner=67E55044-10B1-426F-9247-BB680E5FE0C8", &[]).await;
    assert_eq!((status, &body["owner"]), (200, &json!("67e55044-10b1-426f-9247-bb680e5fe0c8")), "a uuid is parsed");
    let (status, body) = server.get("/query?owner=67e55044", &[]).await;
    assert_eq!(status, 400, "a malformed uuid is refused: {body}");
    let (status, body) = server.get("/exploded-object?x=1&y=2", &[]).await;
    assert_eq!((status, body), (200, json!({"point": {"x": 1, "y": 2}})));
    for (target, fragment) in [
        ("/query?limit=101", "limit"),
        ("/query?lmit=5", "lmit"),
        ("/query?where=%7Bnope", "where"),
        ("/query?spaced=1%20x", "spaced[1]"),
    ] {
        let (status, body) = server.get(target, &[]).await;
        assert_eq!(status, 400, "{target}: {body}");
        assert!(body["title"].as_str().unwrap_or("").contains(fragment), "{target}: {body}");
    }
}

#[tokio::test]
async fn the_client_writes_each_query_style_and_the_server_reads_it_back() {
    let server = Server::start().await;
    let query = m::QueryStylesQuery {
        status: Some(vec![m::Status::Done]),
        tags: Some(vec!["blue".into(), "black & white".into()]),
        spaced: Some(vec![1, 2]),
        piped: Some(vec!["a".into(), "b".into()]),
        filter: Some(m::Range { min: Some(1.5), max: None }),
        color: Some(color(100, 200, 150)),
        r#where: Some(m::QueryStylesWhere { name: Some("Ann".into()), age: Some(3) }),
        redirect: Some("/a/b?c=d".into()),
        limit: Some(5),
        flag: Some(false),
        owner: None,
    };
    let m::QueryStylesResponse::Ok(body) = server.client().wire().query_styles(&query).await.expect("answers").value;
    // The JSON parameter's key order depends on serde_json's `preserve_order` feature, so it
    // is compared as JSON.
    let seen = server.last();
    let (before, rest) = seen.split_once("&where=").expect("where is sent");
    let (json, after) = rest.split_once('&').expect("more follows");
    assert_eq!(
        format!("{before}&{after}"),
        "/query?status=done&tags=blue,black%20%26%20white&spaced=1%202&piped=a|b&filter[min]=1.5\
         &color=R,100,G,200,B,150&redirect=/a/b?c%3Dd&limit=5&flag=false",
        "under allowReserved the form delimiters `&` and `=` (and `#`, `+`) stay encoded"
    );
    let url = reqwest::Url::parse(&format!("http://x/?where={json}")).expect("valid query");
    let (_, text) = url.query_pairs().next().expect("one pair");
    assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), json!({"name": "Ann", "age": 3}));
    assert!(json.starts_with("%7B%22"), "JSON text is percent-encoded: {json}");
    let back = m::QueryStylesQuery::from_json(body).expect("the echo is the query");
    assert_eq!(back, query);

    let point = m::ExplodedObjectQuery { point: Some(m::ExplodedObjectPoint { x: Some(1), y: Some(-2) }) };
    let m::ExplodedObjectResponse::Ok(body) =
        server.client().wire().exploded_object(&point).await.expect("answers").value;
    assert_eq!(server.last(), "/exploded-object?x=1&y=-2");
    assert_eq!(m::ExplodedObjectQuery::from_json(body).expect("echo"), point);
}

#[tokio::test]
async fn path_styles_travel_both_ways() {
    let server = Server::start().await;
    let (status, body) = server
        .get(
            "/path/5/blue,black/.blue,black/.blue.black/;matrix=R,100,G,200,B,150/;matrices=1;matrices=2/R=1,G=2,B=3",
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({
            "scalar": 5,
            "list": ["blue", "black"],
            "label": ["blue", "black"],
            "labels": ["blue", "black"],
            "matrix": {"R": 100, "G": 200, "B": 150},
            "matrices": [1, 2],
            "object": {"R": 1, "G": 2, "B": 3},
        })
    );
    let (status, body) = server.get("/path/5/a/.a/.a/;wrong=R,1/;matrices=1/R=1", &[]).await;
    assert_eq!(status, 400, "a matrix parameter under another name is refused: {body}");

    let answer = server
        .client()
        .wire()
        .path_styles(
            -7,
            vec!["a/b".into()],
            vec!["x".into(), "y".into()],
            vec!["z".into()],
            color(1, 2, 3),
            vec![4],
            color(0, 0, 0),
        )
        .await
        .expect("answers");
    assert_eq!(server.last(), "/path/-7/a%2Fb/.x,y/.z/;matrix=R,1,G,2,B,3/;matrices=4/R=0,G=0,B=0");
    let m::PathStylesResponse::Ok(body) = answer.value;
    assert_eq!(body["list"], json!(["a/b"]), "a reserved character in a path segment is percent-encoded");
    // An empty label array is the segment `.`, which URL parsers remove as a dot segment
    // (RFC 3986 §5.2.4); OpenAPI's style cannot carry it in a path, so it is not tried here.
    assert_eq!(body["labels"], json!(["z"]));
}

#[tokio::test]
async fn header_and_cookie_parameters_are_carried() {
    let server = Server::start().await;
    let headers = m::HeaderStylesHeaders { x_count: Some(3), x_ids: Some(vec![1, 2]), x_color: Some(color(9, 8, 7)) };
    let cookies = m::HeaderStylesCookies { hint: Some("dark mode".into()), prefs: Some(vec!["a".into(), "b".into()]) };
    let answer = server.client().wire().header_styles(&headers, &cookies).await.expect("answers").value;
    let seen = server.last();
    assert!(
        seen.contains("x-count: 3") && seen.contains("x-ids: 1,2") && seen.contains("x-color: R=9,G=8,B=7"),
        "{seen}"
    );
    assert!(seen.contains("cookie: hint=dark%20mode; prefs=a,b"), "{seen}");
    let m::HeaderStylesResponse::Ok(body, echoed) = answer;
    assert_eq!(m::HeaderStylesHeaders::from_json(body["headers"].clone()).expect("echo"), headers);
    assert_eq!(m::HeaderStylesCookies::from_json(body["cookies"].clone()).expect("echo"), cookies);
    assert_eq!(echoed.x_echo_ids, Some(vec![1, 2]), "a response header array decodes");

    // By hand, with a cookie the operation does not declare beside its own.
    let (status, body) = server
        .get("/headers", &[("X-Ids", "4"), ("X-Color", "R=1,G=2"), ("Cookie", "theme=x; prefs=solo; hint=h")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"headers": {"X-Ids": [4], "X-Color": {"R": 1, "G": 2}}, "cookies": {"hint": "h", "prefs": ["solo"]}})
    );
    let (status, body) = server.get("/headers", &[("X-Count", "many")]).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["title"].as_str().unwrap_or("").contains("X-Count"), "{body}");
}

/// Binary bodies are bytes on both sides (they were text, and non-UTF-8 uploads got 400), and a
/// response documented as `application/problem+json` is sent as such.
#[tokio::test]
async fn binary_bodies_travel_as_bytes_and_problem_json_keeps_its_media_type() {
    let server = Server::start().await;
    let bytes: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x00, 0xff, 0xfe, b'\n'];
    let answer = server.client().wire().put_file("a.png", &bytes).await.expect("answers");
    assert_eq!(answer.headers["content-type"], "image/png");
    assert_eq!(answer.value, m::PutFileResponse::Ok(bytes.clone()));

    let raw = server
        .http
        .put(format!("{}/files/raw", server.base))
        .header("content-type", "application/octet-stream")
        .body(bytes.clone())
        .send()
        .await
        .expect("answers");
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.bytes().await.expect("body").to_vec(), bytes, "the handler saw the bytes as sent");

    let answer = server.client().wire().put_file("missing", b"x").await.expect("answers");
    assert_eq!(answer.headers["content-type"], "application/problem+json");
    assert_eq!(answer.value, m::PutFileResponse::NotFound(m::Problem { title: "missing".into(), status: Some(404) }));
}

/// A status range and `default` keep the status that was sent, on both sides.
#[tokio::test]
async fn ranges_and_default_keep_their_status() {
    let server = Server::start().await;
    let problem = |title: &str, status: u16| m::Problem { title: title.into(), status: Some(status.into()) };
    let answer = server.client().wire().put_file("locked", b"x").await.expect("answers");
    assert_eq!(answer.value, m::PutFileResponse::Status4xx(423, problem("locked", 423)));
    assert_eq!(answer.value.status(), 423);
    let answer = server.client().wire().put_file("broken", b"x").await.expect("answers");
    assert_eq!(answer.value, m::PutFileResponse::Default(503, problem("broken", 503)));
    assert_eq!(answer.value.status(), 503);
}

/// Form bodies are typed from their schema (they were `&str` / `String`), each property in the
/// style its `encoding` gives.
#[tokio::test]
async fn form_bodies_are_typed_and_follow_their_encoding() {
    let server = Server::start().await;
    let body = m::PostFormBody {
        name: "Ann & Bo".into(),
        count: Some(2),
        tags: Some(vec!["a".into(), "b c".into()]),
        ids: Some(vec![1, 2]),
        address: Some(m::Address { city: Some("Paris".into()), zip: None }),
    };
    let answer = server.client().wire().post_form(&body).await.expect("answers").value;
    let m::PostFormResponse::Ok(echoed) = answer;
    assert_eq!(serde_json::from_value::<m::PostFormBody>(echoed).expect("echo"), body);

    let send = |text: &'static str| {
        server
            .http
            .post(format!("{}/forms", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(text)
            .send()
    };
    let response = send("name=Ann+%26+Bo&tags=a&tags=b+c&ids=1,2&address[city]=Paris&count=2").await.expect("answers");
    assert_eq!(response.status(), 200);
    let echoed: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
    assert_eq!(
        echoed,
        json!({"name": "Ann & Bo", "count": 2, "tags": ["a", "b c"], "ids": [1, 2], "address": {"city": "Paris"}})
    );
    for (text, fragment) in
        [("count=1", "name"), ("name=x&count=-1", "count"), ("name=x&extra=1", "extra"), ("name=x&ids=1,y", "ids[1]")]
    {
        let response = send(text).await.expect("answers");
        assert_eq!(response.status(), 400, "{text}");
        let body: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
        assert!(body["title"].as_str().unwrap_or("").contains(fragment), "{text}: {body}");
    }
    let response = server
        .http
        .post(format!("{}/forms", server.base))
        .header("content-type", "application/json")
        .body(r#"{"name": "x"}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 400, "JSON is not a form");
}

/// A multipart body is typed from its schema: the generated client writes each property as its
/// parts (files with their name and media type, one part per array item, objects as JSON), and
/// the server reads a hand-written body the same way. Before, both sides carried the raw text,
/// boundary included, and the client sent no boundary at all.
#[tokio::test]
async fn multipart_bodies_are_typed_parts() {
    use wire_client::models::support::File;
    let server = Server::start().await;
    let body = m::PostUploadBody {
        title: "Zoë".into(),
        count: Some(2),
        tags: Some(vec!["a,b".into(), "c".into()]),
        file: File::new(vec![0x89, b'P', 0, 0xff]).named("a.png"),
        attachments: Some(vec![
            File::new(b"one".to_vec()).named("1.txt").with_content_type("text/plain"),
            File::new(b"two".to_vec()).named("2.txt").with_content_type("text/plain"),
        ]),
        meta: Some(m::Address { city: Some("Paris".into()), zip: None }),
    };
    let answer = server.client().wire().post_upload(&body).await.expect("answers").value;
    let m::PostUploadResponse::Ok(echoed) = answer;
    let received: m::PostUploadBody = serde_json::from_value(echoed).expect("echo");
    // The file names no media type, so it is sent with the one its encoding gives.
    let expected = m::PostUploadBody { file: body.file.clone().with_content_type("image/png"), ..body };
    assert_eq!(received, expected);

    let send = |parts: &[&str]| {
        let mut text = String::new();
        for part in parts {
            text.push_str("--XyZ\r\n");
            text.push_str(part);
            text.push_str("\r\n");
        }
        text.push_str("--XyZ--\r\n");
        server
            .http
            .post(format!("{}/uploads", server.base))
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(text)
            .send()
    };
    let title = "Content-Disposition: form-data; name=\"title\"\r\n\r\nHello";
    let file =
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG";
    let response = send(&[
        title,
        "Content-Disposition: form-data; name=\"count\"\r\n\r\n2",
        "Content-Disposition: form-data; name=\"tags\"\r\n\r\nonly",
        file,
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"city\":\"Paris\"}",
    ])
    .await
    .expect("answers");
    assert_eq!(response.status(), 200);
    let echoed: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
    assert_eq!(
        echoed,
        json!({"title": "Hello", "count": 2, "tags": ["only"], "meta": {"city": "Paris"},
               "file": {"name": "a.png", "content_type": "image/png", "bytes": [80, 78, 71]}})
    );
    for (parts, fragment) in [
        (vec![title], "file"),
        (vec![title, file, "Content-Disposition: form-data; name=\"count\"\r\n\r\nmany"], "count"),
        (vec![title, file, "Content-Disposition: form-data; name=\"other\"\r\n\r\nx"], "other"),
    ] {
        let response = send(&parts).await.expect("answers");
        assert_eq!(response.status(), 400, "{parts:?}");
        let body: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
        assert!(body["title"].as_str().unwrap_or("").contains(fragment), "{parts:?}: {body}");
    }
}

/// A date path parameter: the client crate names the type through the models crate (it named
/// `::chrono`, which it does not depend on, and did not compile).
#[tokio::test]
async fn date_path_parameters_travel() {
    let server = Server::start().await;
    let day = m::support::NaiveDate::from_ymd_opt(2024, 2, 29).expect("a leap day");
    let m::GetDayResponse::Ok(body) = server.client().wire().get_day(day).await.expect("answers").value;
    assert_eq!(server.last(), "/days/2024-02-29");
    assert_eq!(body, json!({"day": "2024-02-29"}));
    let (status, body) = server.get("/days/2024-02-30", &[]).await;
    assert_eq!(status, 400, "not a date: {body}");
}

/// An operation that documents 422 (and not 400) for invalid requests is answered 422 by the
/// router, in the API's error body; others keep 400.
#[tokio::test]
async fn the_router_answers_refusals_with_the_documented_status() {
    let server = Server::start().await;
    assert_eq!(server.get("/validated?n=3", &[]).await, (200, json!({"n": 3})));
    for target in ["/validated", "/validated?n=zero", "/validated?n=0", "/validated?n=1&extra=1"] {
        let (status, body) = server.get(target, &[]).await;
        assert_eq!(status, 422, "{target}: {body}");
        assert_eq!(body["status"], 422, "{target}: the error body says the same status");
    }
    // In the media type documented for that status.
    let answer = server.http.get(format!("{}/validated", server.base)).send().await.expect("sent");
    let media = answer.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(media, "application/problem+json");
    let (status, _) = server.get("/query?limit=many", &[]).await;
    assert_eq!(status, 400, "an operation that documents neither keeps 400");
}

/// An operation whose invalid requests are documented in another body than the API's error
/// body (`Invalid`, beside the API's `Problem`) is refused in that body: the router answered
/// in `Problem`, which the operation's own client could not decode.
#[tokio::test]
async fn refusals_are_answered_in_the_body_the_operation_documents() {
    let server = Server::start().await;
    let answer = server.client().wire().get_checked(&m::GetCheckedQuery { n: 0 }).await.expect("the client decodes it");
    assert_eq!(answer.status, 400);
    let m::GetCheckedResponse::BadRequest(invalid) = answer.value else { panic!("not the 400: {:?}", answer.value) };
    assert!(invalid.reason.contains('n'), "the refusal names the parameter: {}", invalid.reason);
    assert_eq!(invalid.fields, ["refused by the router"]);
    let (status, body) = server.get("/checked?n=x", &[]).await;
    assert_eq!((status, body["fields"][0].as_str()), (400, Some("refused by the router")), "{body}");
    let (status, body) = server.get("/query?limit=many", &[]).await;
    assert_eq!((status, body.get("title").is_some()), (400, true), "other operations keep the API's body: {body}");

    // A documented schema named `Error` gets its own method beside `error_body`.
    let wrong = Client::builder(&server.base).key("wrong").build().expect("a client");
    let answer = wrong.wire().get_guarded().await.expect("the client decodes it");
    let m::GetGuardedResponse::Unauthorized(error) = answer.value else { panic!("not the 401: {:?}", answer.value) };
    assert_eq!(error.code, "refused: 401");
    let key = Client::builder(&server.base).key(KEY).build().expect("a client");
    let answer = key.wire().get_guarded().await.expect("answers");
    assert!(matches!(answer.value, m::GetGuardedResponse::Ok(_)), "{:?}", answer.value);
}

/// `format: byte` is bytes in the code and base64 text on the wire, both ways.
#[tokio::test]
async fn byte_strings_travel_as_base64() {
    let server = Server::start().await;
    assert_eq!(server.get("/encoded?sig=AP8QgA%3D%3D", &[]).await, (200, json!({"bytes": [0, 255, 16, 128]})));
    assert_eq!(server.get("/encoded?sig=AP8QgA", &[]).await.0, 200, "padding is optional");
    let (status, body) = server.get("/encoded?sig=not*base64", &[]).await;
    assert_eq!(status, 400, "{body}");
    let client = wire_client::Client::builder(&server.base).build().expect("a client");
    let query = m::GetEncodedQuery { sig: m::support::Base64(vec![1, 2, 3, 250]) };
    let answer = client.wire().get_encoded(&query).await.expect("sent");
    assert!(server.last().contains("sig=AQID%2Bg%3D%3D"), "{}", server.last());
    match answer.value {
        m::GetEncodedResponse::Ok(body) => assert_eq!(body, json!({"bytes": [1, 2, 3, 250]})),
    }
}

#[tokio::test]
async fn the_scopes_a_requirement_asks_for_reach_authenticate() {
    let server = Server::start().await;
    // The token grants `things:read` but the operation asks `things:write` too: refused.
    let oauth = Client::builder(&server.base).oauth(READ_TOKEN).build().expect("a client");
    match oauth.wire().get_scoped().await.expect("sent").value {
        m::GetScopedResponse::Unauthorized(problem) => assert_eq!(problem.status, Some(401)),
        other => panic!("a token without things:write was accepted: {other:?}"),
    }
    let key = Client::builder(&server.base).key(KEY).build().expect("a client");
    match key.wire().get_scoped().await.expect("sent").value {
        m::GetScopedResponse::Ok(principal) => assert_eq!(principal, json!({"key": []})),
        other => panic!("{other:?}"),
    }
    // What `authenticate` saw: the scopes of the operation's OAuth 2 requirement.
    let all = Client::builder(&server.base).oauth(ALL_TOKEN).build().expect("a client");
    match all.wire().get_scoped().await.expect("sent").value {
        m::GetScopedResponse::Ok(principal) => {
            assert_eq!(principal, json!({"oauth": ["things:read", "things:write"]}))
        }
        other => panic!("{other:?}"),
    }
}

/// A body documented both as JSON and as a form of one type is read by its `Content-Type`;
/// another type is refused, naming both.
#[tokio::test]
async fn one_body_in_two_media_types_is_read_by_its_content_type() {
    let server = Server::start().await;
    let send = |content_type: &'static str, text: &'static str| {
        server.http.post(format!("{}/either", server.base)).header("content-type", content_type).body(text).send()
    };
    let want = json!({"city": "Paris", "zip": "75001"});
    for (content_type, text) in [
        ("application/json", r#"{"city":"Paris","zip":"75001"}"#),
        ("application/x-www-form-urlencoded", "city=Paris&zip=75001"),
    ] {
        let response = send(content_type, text).await.expect("answers");
        assert_eq!(response.status(), 200, "{content_type}");
        let echoed: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
        assert_eq!(echoed, want, "{content_type}");
    }
    let response = send("text/plain", "city=Paris").await.expect("answers");
    assert_eq!(response.status(), 400);
    let body: Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
    assert!(body["title"].as_str().unwrap_or("").contains("JSON or a form"), "{body}");
    // The generated client sends the JSON one.
    let body = m::Address { city: Some("Lyon".into()), zip: None };
    let m::PostEitherResponse::Ok(echoed) = server.client().wire().post_either(&body).await.expect("answers").value;
    assert_eq!(echoed, json!({"city": "Lyon"}));
}
