//! `admin-server`: runs the reference Admin API server.
//!
//! `cargo run -p admin-server -- --admin-email admin@example.com --admin-password supersecret`
//! serves on 127.0.0.1:9000 with an SQLite file `admin-server.db`; `--help` lists every option.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use admin_server::{App, Config, LogNotifier, Store};
use clap::Parser;

#[derive(Parser)]
#[command(name = "admin-server", version, about = "The reference Medusa-style Admin API server (Auth, Users, Invites)")]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:9000")]
    bind: SocketAddr,
    /// Database: an SQLite file path, `sqlite::memory:`, or a `postgres://` URL. DATABASE_URL wins
    /// when set.
    #[arg(long, default_value = "admin-server.db")]
    database: String,
    /// PostgreSQL (or SQLite) URL; takes precedence over --database.
    #[arg(long = "database-url", env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Creates this admin (or resets their password) at start.
    #[arg(long, env = "ADMIN_EMAIL")]
    admin_email: Option<String>,
    /// The first admin's password (at least 8 characters).
    #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// Gives the first admin this API token (x-medusa-access-token; at least 16 characters).
    #[arg(long, env = "ADMIN_API_TOKEN", hide_env_values = true)]
    admin_api_token: Option<String>,
    /// Secret that signs bearer JWTs. Required in production; random per process otherwise.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Production mode: requires --jwt-secret, sets Secure cookies, never logs tokens.
    #[arg(long, env = "PRODUCTION")]
    production: bool,
    /// Log level: error, warn, info, debug or trace.
    #[arg(long, env = "LOG_LEVEL", default_value = "info")]
    log_level: tracing::Level,
    /// Seconds a client may take to send a request's headers, and an idle keep-alive
    /// connection may wait for its next request, before the connection is closed.
    #[arg(long, env = "HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Connections served at once; more wait to be accepted.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
}

fn database_url(args: &Args) -> String {
    match &args.database_url {
        Some(url) => url.clone(),
        None if args.database.contains("://") || args.database.starts_with("sqlite:") => args.database.clone(),
        None => format!("sqlite://{}?mode=rwc", args.database),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt().with_max_level(args.log_level).with_target(false).init();

    let jwt_secret = match (&args.jwt_secret, args.production) {
        (Some(secret), _) if secret.len() >= 32 => secret.clone().into_bytes(),
        (Some(_), _) => {
            eprintln!("error: --jwt-secret must be at least 32 characters long");
            return ExitCode::from(2);
        }
        (None, true) => {
            eprintln!(
                "error: production mode needs --jwt-secret (or JWT_SECRET): tokens must verify on every instance"
            );
            return ExitCode::from(2);
        }
        (None, false) => match admin_server::secrets::new_token() {
            Ok(secret) => {
                tracing::warn!(
                    "no JWT secret configured: using a random one; bearer tokens will not survive a restart"
                );
                secret.into_bytes()
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let url = database_url(&args);
    let store = match Store::connect(&url).await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("error: cannot open the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut config = Config::new(jwt_secret);
    config.production = args.production;
    let app = App::new(store.clone(), config, Arc::new(LogNotifier { development: !args.production }));
    match (&args.admin_email, &args.admin_password) {
        (Some(email), Some(password)) => {
            match app.bootstrap_admin(email, password, args.admin_api_token.as_deref()).await {
                Ok(id) => tracing::info!(%email, %id, "admin ready"),
                Err(e) => {
                    eprintln!("error: cannot create the admin: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        (Some(_), None) | (None, Some(_)) => {
            eprintln!("error: --admin-email and --admin-password go together");
            return ExitCode::from(2);
        }
        (None, None) => {}
    }
    let listener = match tokio::net::TcpListener::bind(args.bind).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.bind);
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(address = %args.bind, docs = %format!("http://{}/docs/", args.bind), "listening");
    let limits = admin_server::serve::Limits {
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
    };
    admin_server::serve::serve(listener, app.router(), limits, shutdown_signal()).await;
    store.close().await;
    tracing::info!("stopped");
    ExitCode::SUCCESS
}
