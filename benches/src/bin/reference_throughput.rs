//! The reference server against a bare axum baseline, side by side in one run:
//! `GET /admin/users?limit=20` with an API token and with a bearer JWT, 32 concurrent
//! keep-alive clients on loopback, SQLite file, release build. The baseline answers a static
//! JSON page of the same size from memory: the ceiling of HTTP on this machine. Printed as
//! requests per second, p50 and p99 latency, and the ratio to the baseline.
//!
//! Two load generators: reqwest clients inside this process, and, when `wrk` is on the PATH,
//! `wrk -t2 -c32` from outside (the tool the figures for Medusa were taken with; it
//! shares the two cores with the server instead of the server's runtime).
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

/// `clients` tasks sending `request` for `round`; every answer must be 200.
async fn load(client: &reqwest::Client, url: &str, auth: &(String, String), round: Duration, clients: usize) -> Run {
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
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

/// The same load from `wrk -t2 -c32 --latency`; `None` when wrk is not installed.
fn wrk(url: &str, auth: &(String, String), round: Duration) -> Option<Run> {
    let output = std::process::Command::new("wrk")
        .args(["-t2", &format!("-c{CLIENTS}"), &format!("-d{}s", round.as_secs().max(1)), "--latency", "-H"])
        .arg(format!("{}: {}", auth.0, auth.1))
        .arg(url)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |label: &str| {
        text.lines().map(str::trim).find_map(|line| line.strip_prefix(label)).map(|rest| rest.trim().to_owned())
    };
    // wrk prints latencies as `950.00us`, `1.20ms` or `1.01s`.
    let latency = |label: &str| {
        let value = field(label)?;
        let (number, scale) = if let Some(n) = value.strip_suffix("us") {
            (n, 1e-6)
        } else if let Some(n) = value.strip_suffix("ms") {
            (n, 1e-3)
        } else {
            (value.strip_suffix('s')?, 1.0)
        };
        number.parse::<f64>().ok().map(|n| Duration::from_secs_f64(n * scale))
    };
    let non_2xx = field("Non-2xx or 3xx responses:").is_some();
    if !output.status.success() || non_2xx {
        eprintln!("wrk failed or saw errors:\n{text}");
        return None;
    }
    Some(Run { per_second: field("Requests/sec:")?.parse().ok()?, p50: latency("50%")?, p99: latency("99%")? })
}

/// Connections sending forged password resets in the flood row.
const FLOODERS: usize = 64;
/// Clients probing the authenticated page, idle and under the flood.
const PROBES: usize = 4;

/// The attack of issue 17: `FLOODERS` connections post password resets with forged tokens (which
/// once hashed a password each before looking at the token) while `PROBES` clients read the
/// users page with an API token. The median of the probes under the flood against idle shows
/// whether the flood slows authenticated traffic. The per-address limit is lifted for this row
/// (`public_limit_per_address`): an attacker with many addresses is not stopped by it, so the
/// row measures the cost of a forged reset itself.
async fn flood(client: &reqwest::Client, reference: &str, round: Duration) {
    let page = format!("{reference}/admin/users?limit=5");
    let auth = ("x-medusa-access-token".to_owned(), TOKEN.to_owned());
    let idle = load(client, &page, &auth, round, PROBES).await;
    let memory_before = resident_mib();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reset = format!("{reference}/admin/users/reset-password");
    let flooders: Vec<_> = (0..FLOODERS)
        .map(|n| {
            let (client, reset, stop) = (client.clone(), reset.clone(), stop.clone());
            tokio::spawn(async move {
                let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
                let mut sent = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    sent += 1;
                    let body = serde_json::json!({"token": format!("forged-{n}-{sent}"), "password": "a-new-password"});
                    let answer = client
                        .post(&reset)
                        .header("content-type", "application/json")
                        .body(body.to_string())
                        .send()
                        .await;
                    *statuses.entry(answer.map(|a| a.status().as_u16()).unwrap_or(0)).or_default() += 1;
                }
                statuses
            })
        })
        .collect();
    let started = Instant::now();
    let flooded = load(client, &page, &auth, round, PROBES).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    for flooder in flooders {
        for (status, n) in flooder.await.unwrap_or_default() {
            *statuses.entry(status).or_default() += n;
        }
    }
    let forged: u64 = statuses.values().sum();
    let memory_after = resident_mib();
    println!();
    println!(
        "Flood: {FLOODERS} connections of forged password resets ({:.0} req/s, statuses {statuses:?}), \
         {PROBES} clients reading GET /admin/users?limit=5 with an API token",
        forged as f64 / elapsed
    );
    println!("| probe | p50 | p99 | req/s |");
    println!("|---|---:|---:|---:|");
    for (name, run) in [("idle", &idle), ("under the flood", &flooded)] {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.0} |",
            run.p50.as_secs_f64() * 1000.0,
            run.p99.as_secs_f64() * 1000.0,
            run.per_second
        );
    }
    println!("p50 under the flood / idle: {:.2} (goal ≤ 3)", flooded.p50.as_secs_f64() / idle.p50.as_secs_f64());
    println!(
        "resident memory of this process (server and clients): {memory_before:.0} MiB before, {memory_after:.0} MiB after"
    );
}

/// This process's resident set in MiB (0 where /proc is not there).
fn resident_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
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
    let mut config = admin_server::Config::new(b"a-benchmark-secret-that-is-long-enough".to_vec());
    // See `flood`: the row measures forged resets themselves, not the per-address limit.
    config.public_limit_per_address = i64::MAX;
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
    println!("| load | server | req/s | p50 | p99 | ratio to bare |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut bare_rate = [0.0, 0.0];
    for (name, base, auth) in &runs {
        let url = format!("{base}/admin/users?limit=20");
        let in_process = load(&client, &url, auth, round, CLIENTS).await;
        // wrk blocks this thread; the server goes on serving on the runtime's workers.
        let outside = tokio::task::block_in_place(|| wrk(&url, auth, round));
        for (n, (load, run)) in
            [("reqwest, in process", Some(in_process)), ("wrk -t2", outside)].into_iter().enumerate()
        {
            let Some(run) = run else { continue };
            if bare_rate[n] == 0.0 {
                bare_rate[n] = run.per_second;
            }
            println!(
                "| {load} | {name} | {:.0} | {:.2} ms | {:.2} ms | {:.2} |",
                run.per_second,
                run.p50.as_secs_f64() * 1000.0,
                run.p99.as_secs_f64() * 1000.0,
                run.per_second / bare_rate[n]
            );
        }
    }
    flood(&client, &reference, round).await;
    let _ = std::fs::remove_dir_all(&dir);
}
