//! What generated round-trip harnesses call (feature `roundtrip`): `cargo xtask roundtrip`
//! generates, for any document, a program that serves the generated router over a recording
//! implementation, calls every operation with the generated client, and checks that the server
//! received exactly what the client sent and that the client decoded exactly what the server
//! answered.
//!
//! Both checks compare typed values (the generated request and response types derive
//! `PartialEq` and `Debug`), so what is proven is the wire: two equal values of the same Rust
//! type on both ends. The values themselves are data the generator made from the schemas, read
//! through serde ([`Case`]); how they were made does not matter to the comparison.

use std::any::Any;
use std::fmt::Debug;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{ApiResponse, Error};
use crate::mock::{Answer, Miss, Pick};
use crate::params::Params;

/// The meeting point of the harness and its recording server: the answer the server is to give
/// next, and what it received.
#[derive(Debug, Default)]
pub struct Exchange {
    slot: Mutex<Slot>,
}

#[derive(Debug, Default)]
struct Slot {
    answer: Option<Box<dyn Any + Send>>,
    received: Option<Box<dyn Any + Send>>,
}

impl Exchange {
    /// An exchange with nothing prepared.
    pub fn new() -> Self {
        Exchange::default()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        // A panicking handler leaves the slot as it was; the next `prepare` resets it.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the answer of the next request, and forgets what an earlier one received.
    pub fn prepare<T: Send + 'static>(&self, answer: T) {
        let mut slot = self.slot();
        slot.answer = Some(Box::new(answer));
        slot.received = None;
    }

    /// The server's side of one request: records what the handler received and returns the
    /// prepared answer.
    ///
    /// # Panics
    ///
    /// When no answer of the operation's response type is prepared: the harness prepares one
    /// before every call and makes one call at a time, so this is a bug in the harness (and the
    /// client then reports a transport error for the call).
    pub fn exchange<R: Send + 'static, T: 'static>(&self, received: R) -> T {
        let mut slot = self.slot();
        slot.received = Some(Box::new(received));
        match slot.answer.take().map(|answer| answer.downcast::<T>()) {
            Some(Ok(answer)) => *answer,
            _ => panic!("the round-trip harness prepared no answer of type {}", std::any::type_name::<T>()),
        }
    }

    /// What the handler received since [`prepare`](Self::prepare), if it ran.
    pub fn received<R: 'static>(&self) -> Option<R> {
        let received = self.slot().received.take()?;
        received.downcast::<R>().ok().map(|r| *r)
    }
}

/// The values of one request, as JSON: an object with the keys `path`, `query`, `headers`,
/// `cookies` and `body`, each read into the operation's own type.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    parts: serde_json::Map<String, Value>,
}

impl Case {
    /// Reads a case from its JSON text.
    pub fn parse(text: &str) -> Result<Case, String> {
        match serde_json::from_str(text) {
            Ok(Value::Object(parts)) => Ok(Case { parts }),
            Ok(_) => Err("a request case is not a JSON object".to_owned()),
            Err(e) => Err(format!("a request case is not JSON: {e}")),
        }
    }

    /// One part, as the type the generated code asks for (`null` when the case leaves it out,
    /// which an optional body reads as absent).
    pub fn part<T: DeserializeOwned>(&self, key: &str) -> Result<T, String> {
        let value = self.parts.get(key).cloned().unwrap_or(Value::Null);
        serde_path_to_error::deserialize(value)
            .map_err(|e| format!("the made-up {key} does not fit its type at {}: {}", e.path(), e.inner()))
    }

    /// One parameter part (`path`, `query`, `headers`, `cookies`), as the operation's struct.
    pub fn params<T: Params>(&self, key: &str) -> Result<T, String> {
        let value = self.parts.get(key).cloned().unwrap_or(Value::Null);
        T::from_json(value).map_err(|e| format!("the made-up {key} does not fit its type: {e}"))
    }
}

/// The response value `answer` describes, sent with status `code`, built by the same kind of
/// match the mock uses.
pub fn respond<T>(answer: &Answer, code: u16, build: impl Fn(&Pick<'_>) -> Result<T, Miss>) -> Result<T, String> {
    build(&Pick::new(answer, code)).map_err(|miss| format!("the made-up answer does not fit its type: {miss}"))
}

/// Checks one call: the handler ran, it received `sent`, and the client decoded `answered`.
/// The error names the first difference.
pub fn check<R, T>(
    exchange: &Exchange,
    sent: &R,
    answered: &T,
    got: Result<ApiResponse<T>, Error>,
) -> Result<(), String>
where
    R: Debug + PartialEq + 'static,
    T: Debug + PartialEq,
{
    let received = exchange.received::<R>();
    let got = match got {
        Ok(response) => response,
        Err(error) if received.is_none() => return Err(format!("the call failed before the handler ran: {error}")),
        Err(error) => return Err(format!("the client could not decode the answer: {error}")),
    };
    let Some(received) = received else {
        let body = String::from_utf8_lossy(&got.body);
        return Err(format!("the handler did not run: the server answered {} {body}", got.status));
    };
    if let Some(difference) = first_difference(sent, &received) {
        return Err(format!("the server received another request: {difference}"));
    }
    if let Some(difference) = first_difference(answered, &got.value) {
        return Err(format!("the client decoded another response (status {}): {difference}", got.status));
    }
    Ok(())
}

/// `None` when the values are equal; else the first line of their pretty `Debug` forms that
/// differs, with the path of field names leading to it.
pub fn first_difference<T: Debug + PartialEq>(expected: &T, actual: &T) -> Option<String> {
    if expected == actual {
        return None;
    }
    let expected = format!("{expected:#?}");
    let actual = format!("{actual:#?}");
    let mut path: Vec<String> = Vec::new();
    let mut lines = actual.lines();
    for want in expected.lines() {
        let got = lines.next().unwrap_or("");
        if want != got {
            let at = if path.is_empty() { String::new() } else { format!(" at {}", path.join(".")) };
            return Some(format!("{at} expected `{}`, got `{}`", want.trim(), got.trim()).trim_start().to_owned());
        }
        // Track the field path by indentation: `name: Struct {` opens, `}` / `]` closes.
        let trimmed = want.trim();
        if trimmed.ends_with('{') || trimmed.ends_with('[') || trimmed.ends_with('(') {
            let name = trimmed.split(':').next().unwrap_or(trimmed).trim_end_matches(['{', '[', '(', ' ']);
            path.push(name.to_owned());
        } else if trimmed.starts_with('}') || trimmed.starts_with(']') || trimmed.starts_with(')') {
            path.pop();
        }
    }
    // Equal `Debug` text, unequal values: floats such as NaN, or a `PartialEq` that differs.
    Some(format!("the values differ but print alike: `{}`", expected.replace('\n', " ")))
}

/// The calls to make for an operation with `requests` request cases and `answers` answers:
/// every answer with the first request, then every other request with the first answer.
pub fn plan(requests: usize, answers: usize) -> Vec<(usize, usize)> {
    if requests == 0 || answers == 0 {
        return Vec::new();
    }
    let mut calls: Vec<(usize, usize)> = (0..answers).map(|a| (0, a)).collect();
    calls.extend((1..requests).map(|r| (r, 0)));
    calls
}

/// Runs a harness: `body` on a multi-threaded runtime whose threads have large stacks. Debug
/// builds of big APIs (Stripe's request types have hundreds of fields) deserialise and compare
/// values in frames that overflow the default stacks.
pub fn main<F, Fut>(body: F) -> ExitCode
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ExitCode>,
{
    const STACK: usize = 256 * 1024 * 1024;
    let run = move || match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(STACK).build() {
        Ok(runtime) => runtime.block_on(body()),
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            ExitCode::from(2)
        }
    };
    match std::thread::Builder::new().stack_size(STACK).spawn(run).map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("error: cannot start the harness thread: {e}");
            ExitCode::from(2)
        }
    }
}

/// Serves `router` on a free loopback port; returns its base URL.
pub async fn serve(router: axum::Router) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(format!("http://{address}"))
}

/// The harness's tally: one line per failing operation, then `N/M operations round-trip`.
#[derive(Debug, Default)]
pub struct Report {
    operations: usize,
    passed: usize,
    calls: usize,
}

impl Report {
    /// An empty tally.
    pub fn new() -> Self {
        Report::default()
    }

    /// Records one operation: how many calls round-tripped, or its first failure (printed).
    pub fn operation(&mut self, id: &str, outcome: Result<usize, String>) {
        self.operations += 1;
        match outcome {
            Ok(calls) => {
                self.passed += 1;
                self.calls += calls;
            }
            Err(why) => println!("FAIL {id}: {why}"),
        }
    }

    /// Prints the last line; success only when every operation round-tripped.
    pub fn finish(self) -> ExitCode {
        println!("{}/{} operations round-trip ({} calls)", self.passed, self.operations, self.calls);
        if self.passed == self.operations { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Inner {
        n: i32,
    }

    #[derive(Debug, PartialEq)]
    struct Outer {
        a: i32,
        inner: Inner,
    }

    #[test]
    fn the_first_difference_names_its_field() {
        let sent = Outer { a: 1, inner: Inner { n: 2 } };
        assert_eq!(first_difference(&sent, &Outer { a: 1, inner: Inner { n: 2 } }), None);
        let got = Outer { a: 1, inner: Inner { n: 3 } };
        assert_eq!(first_difference(&sent, &got).as_deref(), Some("at Outer.inner expected `n: 2,`, got `n: 3,`"));
    }

    #[test]
    fn the_exchange_hands_over_typed_values() {
        let exchange = Exchange::new();
        exchange.prepare(7_u16);
        let answer: u16 = exchange.exchange("request".to_owned());
        assert_eq!(answer, 7);
        assert_eq!(exchange.received::<String>().as_deref(), Some("request"));
        // Taken once: a second read sees nothing.
        assert_eq!(exchange.received::<String>(), None);
    }

    #[test]
    fn a_case_reads_its_parts_and_names_a_misfit() {
        let case = Case::parse(r#"{"path": {"id": 3}, "body": "x"}"#).unwrap();
        assert_eq!(case.part::<Option<String>>("query").unwrap(), None);
        assert_eq!(case.part::<String>("body").unwrap(), "x");
        let error = case.part::<std::collections::BTreeMap<String, String>>("path").unwrap_err();
        assert!(error.contains("at id"), "{error}");
        assert!(Case::parse("[]").is_err());
    }

    #[test]
    fn the_plan_crosses_each_side_with_the_others_first() {
        assert_eq!(plan(3, 2), vec![(0, 0), (0, 1), (1, 0), (2, 0)]);
        assert_eq!(plan(0, 2), Vec::new());
    }
}
