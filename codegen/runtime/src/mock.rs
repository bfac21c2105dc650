//! What generated mock servers call (feature `mock`): choosing an answer by the request's
//! `Prefer` header, decoding it into the operation's response type, error bodies for the
//! router's refusals, credentials, and a `main` that serves the mock.
//!
//! A generated mock implements every trait of its server crate and is served by the same
//! generated router, so a request the real server would refuse gets the same refusal. Its
//! answers are data: per operation, a table of [`Answer`]s (the spec's examples first, then a
//! value made up from the schema by the generator), one per documented status at least.
//!
//! Preferences follow Prism's convention over RFC 7240's `Prefer` header: `code=404` picks a
//! documented status, `example=NAME` a named example; without them the lowest documented 2xx
//! is answered. What was honoured is echoed in `Preference-Applied`, so a client can tell a
//! preference that named nothing documented (the mock then answers as if it were absent).

use std::cell::RefCell;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::params::Params;
use crate::server::{Problem, RequestMeta};

/// One answer an operation can give: a documented status, and a body and headers to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status as the spec writes it: `"200"`, `"2XX"` or `"default"`.
    pub status: &'static str,
    /// The example's name under `examples`, if it has one.
    pub example: Option<&'static str>,
    /// The body: JSON text for typed bodies, the text itself for text and binary ones.
    pub body: &'static str,
    /// The response headers, as a JSON object keyed by header name.
    pub headers: &'static str,
}

impl Answer {
    /// An answer for `status` with this body and no headers.
    pub const fn new(status: &'static str, body: &'static str) -> Self {
        Answer { status, example: None, body, headers: "{}" }
    }

    /// Names the example, for `Prefer: example=NAME`.
    pub const fn example(mut self, name: &'static str) -> Self {
        self.example = Some(name);
        self
    }

    /// Response headers, as a JSON object keyed by header name.
    pub const fn headers(mut self, headers: &'static str) -> Self {
        self.headers = headers;
        self
    }

    /// The status code this answer is sent with when no code is asked for: its own, 200 for
    /// `2XX`-style ranges of success (the first of the range otherwise) and for `default`.
    fn code(&self) -> u16 {
        match self.status.parse::<u16>() {
            Ok(code) => code,
            Err(_) => match self.range() {
                Some(digit) => digit * 100,
                None => 200,
            },
        }
    }

    /// The first digit of a `4XX`-style status.
    fn range(&self) -> Option<u16> {
        let (digit, rest) = self.status.split_at_checked(1)?;
        rest.eq_ignore_ascii_case("xx").then(|| digit.parse().ok()).flatten()
    }

    /// Whether this answer documents `code`, and how closely (exact beats range beats default).
    fn covers(&self, code: u16) -> Option<u8> {
        if self.status.parse::<u16>().ok() == Some(code) {
            Some(0)
        } else if self.range() == Some(code / 100) {
            Some(1)
        } else if self.status == "default" {
            Some(2)
        } else {
            None
        }
    }
}

/// The answer chosen for one request, handed to the generated code that builds the
/// operation's response value from it.
#[derive(Clone, Copy, Debug)]
pub struct Pick<'a> {
    answer: &'a Answer,
    code: u16,
}

/// Why an answer's body did not decode into the operation's type (a spec example that does
/// not fit its schema); the mock then falls back to the next answer.
#[derive(Debug)]
pub struct Miss(String);

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> Pick<'a> {
    /// `answer`, sent with status `code` (for the round-trip harness, which chooses both).
    #[cfg(feature = "roundtrip")]
    pub(crate) fn new(answer: &'a Answer, code: u16) -> Self {
        Pick { answer, code }
    }

    /// The status as the spec writes it, to select the response variant.
    pub fn status(&self) -> &'static str {
        self.answer.status
    }

    /// The status code to send (for `2XX` and `default` variants, which carry it).
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The body, decoded from its JSON text.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Miss> {
        serde_json::from_str(self.answer.body).map_err(|e| Miss(format!("{} body: {e}", self.answer.status)))
    }

    /// A text body.
    pub fn text(&self) -> Result<String, Miss> {
        Ok(self.answer.body.to_owned())
    }

    /// A binary body (the example's text, as bytes).
    pub fn bytes(&self) -> Result<Vec<u8>, Miss> {
        Ok(self.answer.body.as_bytes().to_vec())
    }

    /// The response headers, decoded into the operation's headers type.
    pub fn headers<T: Params>(&self) -> Result<T, Miss> {
        let miss = |e: &dyn std::fmt::Display| Miss(format!("{} headers: {e}", self.answer.status));
        let value = serde_json::from_str(self.answer.headers).map_err(|e| miss(&e))?;
        T::from_json(value).map_err(|e| miss(&e))
    }

    /// For the generated match's last arm, which no answer reaches.
    pub fn undocumented(&self) -> Miss {
        Miss(format!("no response variant for status {}", self.answer.status))
    }
}

/// The preferences of one request that the mock understands.
#[derive(Debug, Default, PartialEq, Eq)]
struct Preferences {
    code: Option<u16>,
    example: Option<String>,
}

fn preferences(meta: &RequestMeta) -> Preferences {
    let mut out = Preferences::default();
    for value in meta.headers.get_all("prefer") {
        let Ok(value) = value.to_str() else { continue };
        // `Prefer: code=404, example="not found"; x=y`: preferences by commas, each
        // `token[=value]` before its own `;` parameters.
        for preference in value.split(',') {
            let head = preference.split(';').next().unwrap_or("");
            let Some((key, value)) = head.split_once('=') else { continue };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "code" => out.code = value.parse().ok(),
                "example" => out.example = Some(value.to_owned()),
                _ => {}
            }
        }
    }
    out
}

tokio::task_local! {
    /// What the handler honoured of the request's preferences, for `Preference-Applied`.
    static APPLIED: RefCell<Vec<String>>;
}

/// Answers one request from `answers`: the preferred one where the request's `Prefer` names a
/// documented status or example, else the lowest documented 2xx (else the first answer).
/// `build` turns a pick into the response value; when a body does not decode (an example that
/// does not fit its schema), the next answer of the same status is tried, then the others.
///
/// # Panics
///
/// When no answer at all decodes. The generator always adds a value made up from each
/// response's own type, which decodes by construction, so this is a generator bug (the tests
/// answer every documented status of every fixture); an operation that documents no
/// response cannot be answered either, and the generator warns about it.
pub fn answer<T>(meta: &RequestMeta, answers: &[Answer], build: impl Fn(&Pick<'_>) -> Result<T, Miss>) -> T {
    let wanted = preferences(meta);
    let by_code = wanted.code.and_then(|code| {
        let best = answers.iter().filter_map(|a| a.covers(code)).min()?;
        Some((code, answers.iter().filter(move |a| a.covers(code) == Some(best)).collect::<Vec<_>>()))
    });
    let by_example = |candidates: &[&Answer]| {
        let name = wanted.example.as_deref()?;
        candidates.iter().position(|a| a.example == Some(name))
    };
    let (code, mut order, mut applied) = match by_code {
        Some((code, candidates)) => (Some(code), candidates, vec![format!("code={code}")]),
        None => {
            let usual = usual(answers).map(|a| a.status);
            // An example asked for without a code may live under another status; the usual
            // status wins when both have one of that name.
            let named = wanted.example.as_deref().and_then(|name| {
                let with: Vec<&Answer> = answers.iter().filter(|a| a.example == Some(name)).collect();
                with.iter().find(|a| Some(a.status) == usual).or(with.first()).map(|a| a.status)
            });
            let status = named.or(usual);
            (None, answers.iter().filter(|a| Some(a.status) == status).collect(), Vec::new())
        }
    };
    if let Some(position) = by_example(&order) {
        let chosen = order.remove(position);
        order.insert(0, chosen);
        applied.push(format!("example={}", chosen.example.unwrap_or_default()));
    }
    // Everything else, as fallbacks, in table order.
    let rest: Vec<&Answer> = answers.iter().filter(|a| !order.iter().any(|o| std::ptr::eq(*o, *a))).collect();
    let mut misses = Vec::new();
    for (i, candidate) in order.iter().chain(rest.iter()).enumerate() {
        let pick =
            Pick { answer: candidate, code: code.filter(|_| i < order.len()).unwrap_or_else(|| candidate.code()) };
        match build(&pick) {
            Ok(value) => {
                if i == 0 && !applied.is_empty() {
                    let _ = APPLIED.try_with(|cell| cell.borrow_mut().append(&mut applied));
                }
                return value;
            }
            Err(Miss(why)) => misses.push(why),
        }
    }
    panic!("the mock has no answer that decodes: {}", misses.join("; "))
}

/// The answer given without preferences: the lowest documented 2xx code, else a `2XX` range,
/// else the first documented response.
fn usual(answers: &[Answer]) -> Option<&Answer> {
    let success = answers
        .iter()
        .filter_map(|a| a.status.parse::<u16>().ok().filter(|c| (200..300).contains(c)).map(|c| (c, a)))
        .min_by_key(|(c, _)| *c)
        .map(|(_, a)| a);
    success.or_else(|| answers.iter().find(|a| a.range() == Some(2))).or_else(|| answers.first())
}

/// Wraps the generated router: each request's honoured preferences are sent back in
/// `Preference-Applied` (RFC 7240).
pub fn layer(router: axum::Router) -> axum::Router {
    router.layer(axum::middleware::from_fn(preference_applied))
}

async fn preference_applied(request: Request, next: Next) -> Response {
    let (mut response, applied) = APPLIED
        .scope(RefCell::new(Vec::new()), async {
            let response = next.run(request).await;
            (response, APPLIED.with(|cell| cell.take()))
        })
        .await;
    if !applied.is_empty()
        && let Ok(value) = HeaderValue::from_str(&applied.join(", "))
    {
        response.headers_mut().insert("preference-applied", value);
    }
    response
}

/// Whether the mock accepts a credential: any that is present, or only `token` when the mock
/// was started with one.
pub fn accepts(token: Option<&str>, credential: &str) -> bool {
    match token {
        // Compared without an early exit, so the time taken does not tell how much matched.
        Some(token) => {
            token.len() == credential.len()
                && token.bytes().zip(credential.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        }
        None => !credential.is_empty(),
    }
}

/// The error body of a refused request, from a template: the spec's example (or a made-up
/// value) of an error response with the refusal's status (`templates` is keyed by status, `0`
/// for any). String fields named like a message (`message`, `detail`, `error_description`,
/// `msg`) get the refusal's message, `title` its reason phrase, and numeric `status` / `code`
/// fields its status. If the filled-in value does not decode, the template itself is used.
///
/// # Panics
///
/// When no template decodes into the error body type, which the generator rules out as
/// [`answer`] describes.
pub fn error_body<T: DeserializeOwned>(problem: &Problem, templates: &[(u16, &'static str)]) -> T {
    let mut ordered: Vec<&str> = templates.iter().filter(|(s, _)| *s == problem.status).map(|(_, t)| *t).collect();
    ordered.extend(templates.iter().filter(|(s, _)| *s != problem.status).map(|(_, t)| *t));
    let mut misses = Vec::new();
    for template in ordered {
        let Ok(mut value) = serde_json::from_str::<Value>(template) else { continue };
        fill(&mut value, problem, 0);
        match serde_json::from_value(value).or_else(|_| serde_json::from_str(template)) {
            Ok(body) => return body,
            Err(e) => misses.push(e.to_string()),
        }
    }
    panic!("the mock has no error body that decodes: {}", misses.join("; "))
}

fn fill(value: &mut Value, problem: &Problem, depth: usize) {
    let Value::Object(object) = value else { return };
    for (key, field) in object.iter_mut() {
        match (key.to_ascii_lowercase().as_str(), &*field) {
            ("message" | "detail" | "error_description" | "msg", Value::String(_)) => {
                *field = Value::String(problem.message.clone());
            }
            ("title", Value::String(_)) => {
                let reason = problem.status().canonical_reason().unwrap_or("Error");
                *field = Value::String(reason.to_owned());
            }
            ("status" | "code" | "status_code", Value::Number(_)) => *field = Value::from(problem.status),
            // `{"error": {"message": …}}` and the like, one level down.
            (_, Value::Object(_)) if depth == 0 => fill(field, problem, depth + 1),
            _ => {}
        }
    }
}

/// The command line of a generated mock binary: `[--bind ADDR] [--token TOKEN]`; serves the
/// router `make` builds (given the token) until Ctrl-C. `name` is the API's title.
pub fn main(name: &str, make: impl FnOnce(Option<String>) -> axum::Router) -> ExitCode {
    let mut bind: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 4010));
    let mut token = std::env::var("MOCK_TOKEN").ok().filter(|t| !t.is_empty());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "--bind" => match value().map(|v| v.parse::<SocketAddr>()) {
                Some(Ok(addr)) => bind = addr,
                Some(Err(e)) => return fail(&format!("--bind: {e} (expected e.g. 127.0.0.1:4010)")),
                None => return fail("--bind needs an address, e.g. 127.0.0.1:4010"),
            },
            "--token" => match value() {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return fail("--token needs a value"),
            },
            "-h" | "--help" => {
                println!(
                    "A mock of {name}: every operation answers from the spec's examples.\n\n\
                     Usage: [--bind ADDR] [--token TOKEN]\n\n  \
                     --bind ADDR    where to listen (default 127.0.0.1:4010)\n  \
                     --token TOKEN  accept only this credential (env MOCK_TOKEN); without it, any present credential is accepted\n\n\
                     Prefer: code=404 picks a documented status, Prefer: example=NAME a named example."
                );
                return ExitCode::SUCCESS;
            }
            other => return fail(&format!("unknown argument {other}; see --help")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    let router = make(token);
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(bind).await {
            Ok(listener) => listener,
            Err(e) => return fail(&format!("cannot listen on {bind}: {e}")),
        };
        let addr = listener.local_addr().unwrap_or(bind);
        println!("mock of {name} listening on http://{addr}");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("serving failed: {e}")),
        }
    })
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn meta(prefer: Option<&str>) -> RequestMeta {
        let mut headers = HeaderMap::new();
        if let Some(prefer) = prefer {
            headers.insert("prefer", HeaderValue::from_str(prefer).unwrap());
        }
        RequestMeta { headers, remote_addr: None }
    }

    const ANSWERS: &[Answer] = &[
        Answer::new("404", "\"missing\""),
        Answer::new("201", "\"created\"").example("made"),
        Answer::new("200", "\"one\"").example("first"),
        Answer::new("200", "\"two\"").example("second"),
        Answer::new("200", "not json"),
        Answer::new("4XX", "\"client\""),
        Answer::new("default", "\"other\""),
    ];

    fn pick(prefer: Option<&str>) -> (String, u16) {
        answer(&meta(prefer), ANSWERS, |p| Ok((p.json::<String>()?, p.code())))
    }

    #[test]
    fn without_preferences_the_lowest_success_is_answered() {
        assert_eq!(pick(None), ("one".to_owned(), 200));
    }

    #[test]
    fn a_code_picks_the_closest_documented_status() {
        assert_eq!(pick(Some("code=404")), ("missing".to_owned(), 404));
        assert_eq!(pick(Some("code=409")), ("client".to_owned(), 409), "4XX covers it");
        assert_eq!(pick(Some("code=503")), ("other".to_owned(), 503), "default covers the rest");
        assert_eq!(pick(Some("code=201")), ("created".to_owned(), 201));
    }

    #[test]
    fn an_example_is_found_by_name_with_or_without_a_code() {
        assert_eq!(pick(Some("example=second")), ("two".to_owned(), 200));
        assert_eq!(pick(Some("code=200, example=\"second\"")), ("two".to_owned(), 200));
        assert_eq!(pick(Some("example=made")), ("created".to_owned(), 201), "under another status");
        assert_eq!(pick(Some("example=nothing")), ("one".to_owned(), 200));
    }

    #[test]
    fn a_body_that_does_not_decode_falls_back_to_the_next_answer() {
        let answers = [Answer::new("200", "{\"wrong\": 1}"), Answer::new("200", "\"made up\"")];
        let got = answer(&meta(None), &answers, |p| p.json::<String>());
        assert_eq!(got, "made up");
    }

    #[test]
    fn preferences_are_read_from_every_prefer_header() {
        let mut headers = HeaderMap::new();
        headers.append("prefer", HeaderValue::from_static("respond-async, code=404; x=1"));
        headers.append("prefer", HeaderValue::from_static("example=e"));
        let got = preferences(&RequestMeta { headers, remote_addr: None });
        assert_eq!(got, Preferences { code: Some(404), example: Some("e".to_owned()) });
    }

    #[test]
    fn error_bodies_carry_the_refusal() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Body {
            message: String,
            status: u16,
            title: String,
        }
        let problem = Problem::invalid("limit must be at most 1000");
        let templates = [(0, "{\"message\":\"x\",\"status\":500,\"title\":\"t\"}")];
        let body: Body = error_body(&problem, &templates);
        assert_eq!(
            body,
            Body { message: "limit must be at most 1000".to_owned(), status: 400, title: "Bad Request".to_owned() }
        );
        let nested: Value = error_body(&problem, &[(400, "{\"error\":{\"detail\":\"\"}}")]);
        assert_eq!(nested, serde_json::json!({"error": {"detail": "limit must be at most 1000"}}));
    }

    #[test]
    fn credentials_are_any_present_one_or_the_fixed_token() {
        assert!(accepts(None, "anything"));
        assert!(!accepts(None, ""));
        assert!(accepts(Some("t0k"), "t0k"));
        assert!(!accepts(Some("t0k"), "other"));
    }

    #[tokio::test]
    async fn honoured_preferences_are_echoed() {
        use axum::routing::get;
        async fn handler(headers: HeaderMap) -> String {
            let meta = RequestMeta { headers, remote_addr: None };
            answer(&meta, ANSWERS, |p| p.json::<String>())
        }
        let app = layer(axum::Router::new().route("/", get(handler)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        stream.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nprefer: code=404\r\nconnection: close\r\n\r\n").await.unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).await.unwrap();
        assert!(text.to_ascii_lowercase().contains("preference-applied: code=404"), "{text}");
        assert!(text.ends_with("\r\n\r\nmissing"), "{text}");
    }
}
