//! The reference server against a bare axum baseline, side by side in one run:
//! `GET /admin/users?limit=20` with an API token and with a bearer JWT, 32 concurrent
//! keep-alive clients on loopback, SQLite file, release build. The baseline answers a static
//! JSON page of the same size from memory: the ceiling of HTTP on this machine. Printed as
//! requests per second, p50 and p99 latency, and the ratio to the baseline.
//!
//! Run: `cargo run --release -p benches --bin reference_throughput [-- SECONDS_PER_ROUND]`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token-0123456789abcdef";
const CLIENTS: usize = 32;

struct Run {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// `CLIENTS` tasks sending `request` for `round`; every answer must be 200.
async fn load(client: &reqwest::Client, url: &str, auth: &(String, String), round: Duration) -> Run {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, auth) = (client.clone(), url.to_owned(), auth.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while started.elapsed() < round {
                    let sent = Instant::now();
                    let ok = client.get(&url).header(&auth.0, &auth.1).send().await.is_ok_and(|r| r.status() == 200);
                    if ok {
                        latencies.push(sent.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap_or_default());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies.get(((latencies.len() as f64) * q) as usize).copied().unwrap_or_default();
    Run { per_second: latencies.len() as f64 / elapsed, p50: at(0.50), p99: at(0.99) }
}

async fn listen() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr: SocketAddr = listener.local_addr().expect("bound");
    (listener, format!("http://{addr}"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let round = Duration::from_secs_f64(seconds);

    let dir = std::env::temp_dir().join(format!("reference-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let store = admin_server::Store::connect(&url).await.expect("the database opens");
    let config = admin_server::Config::new(b"a-benchmark-secret-that-is-long-enough".to_vec());
    let app = admin_server::App::new(store, config, Arc::new(admin_server::MemoryNotifier::default()));
    app.bootstrap_admin("admin@medusa-test.com", "supersecret", Some(TOKEN)).await.expect("the admin is created");
    let (listener, reference) = listen().await;
    let limits = admin_server::serve::Limits::default();
    tokio::spawn(admin_server::serve::serve(listener, app.router(), limits, std::future::pending()));

    let client = reqwest::Client::new();
    let page = client
        .get(format!("{reference}/admin/users?limit=20"))
        .header("x-medusa-access-token", TOKEN)
        .send()
        .await
        .expect("the reference server answers")
        .bytes()
        .await
        .expect("a page");
    let login = serde_json::json!({"email": "admin@medusa-test.com", "password": "supersecret"}).to_string();
    let answer = client
        .post(format!("{reference}/admin/auth/token"))
        .header("content-type", "application/json")
        .body(login)
        .send()
        .await
        .expect("a JWT")
        .bytes()
        .await
        .expect("a body");
    let token: serde_json::Value = serde_json::from_slice(&answer).expect("JSON");
    let jwt = format!("Bearer {}", token["access_token"].as_str().unwrap_or_default());

    let baseline = axum::Router::new().route(
        "/admin/users",
        axum::routing::get(move || {
            let page = page.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], page) }
        }),
    );
    let (listener, bare) = listen().await;
    tokio::spawn(async move {
        let _ = axum::serve(listener, baseline).await;
    });

    println!("GET /admin/users?limit=20, {CLIENTS} keep-alive clients on loopback, {seconds} s per row");
    let runs = [
        ("bare axum, static page", bare.clone(), ("x-medusa-access-token".to_owned(), TOKEN.to_owned())),
        ("reference server, API token", reference.clone(), ("x-medusa-access-token".to_owned(), TOKEN.to_owned())),
        ("reference server, bearer JWT", reference.clone(), ("authorization".to_owned(), jwt)),
    ];
    println!("| server | req/s | p50 | p99 | ratio to bare |");
    println!("|---|---:|---:|---:|---:|");
    let mut bare_rate = 0.0;
    for (name, base, auth) in runs {
        let run = load(&client, &format!("{base}/admin/users?limit=20"), &auth, round).await;
        if bare_rate == 0.0 {
            bare_rate = run.per_second;
        }
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms | {:.2} |",
            run.per_second,
            run.p50.as_secs_f64() * 1000.0,
            run.p99.as_secs_f64() * 1000.0,
            run.per_second / bare_rate
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
