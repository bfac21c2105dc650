//! The reference Admin API server: the generated traits of `admin-api-server` implemented with
//! real behaviour over SQLite (default) or PostgreSQL. It is the executable meaning of
//! `spec/openapi.yaml` and what the end-to-end and property-based tests run against.

pub mod api;
pub mod notify;
pub mod secrets;
pub mod serve;
pub mod store;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Duration;

pub use notify::{LogNotifier, MemoryNotifier, Notifier};
pub use store::Store;

/// The session cookie's name, as the spec's `cookie_auth` scheme names it.
pub const SESSION_COOKIE: &str = "connect.sid";

/// Behaviour settings. `Config::new` gives the documented defaults.
#[derive(Clone)]
pub struct Config {
    /// Signs bearer JWTs; shared by every instance behind one load balancer.
    pub jwt_secret: Vec<u8>,
    /// Production mode: `Secure` cookies and no tokens in logs.
    pub production: bool,
    pub session_ttl: Duration,
    pub jwt_ttl: Duration,
    pub invite_ttl: Duration,
    pub reset_ttl: Duration,
    /// Failed logins allowed per account, and per client address, within `login_window`.
    pub login_limit_per_account: i64,
    pub login_limit_per_address: i64,
    pub login_window: Duration,
    /// Requests per client address, within `login_window`, of each public operation that
    /// hashes a password or creates rows (password-token, reset-password, invite accept); and
    /// reset tokens requested per email.
    pub public_limit_per_address: i64,
    pub reset_requests_per_email: i64,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret never reaches a log line.
        f.debug_struct("Config").field("production", &self.production).finish_non_exhaustive()
    }
}

impl Config {
    pub fn new(jwt_secret: Vec<u8>) -> Self {
        Config {
            jwt_secret,
            production: false,
            session_ttl: Duration::hours(10),
            jwt_ttl: Duration::hours(24),
            invite_ttl: Duration::days(7),
            reset_ttl: Duration::minutes(15),
            login_limit_per_account: 5,
            login_limit_per_address: 20,
            login_window: Duration::minutes(15),
            public_limit_per_address: 30,
            reset_requests_per_email: 5,
        }
    }
}

/// The running application: storage, settings and where tokens are delivered.
pub struct App {
    pub store: Store,
    pub config: Config,
    pub notifier: Arc<dyn Notifier>,
    /// Argon2 runs on blocking threads, at most one per core at a time.
    hashing: tokio::sync::Semaphore,
    /// Password hashes and checks started, for tests and metrics.
    hashes: AtomicU64,
}

impl App {
    pub fn new(store: Store, config: Config, notifier: Arc<dyn Notifier>) -> Arc<App> {
        let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
        Arc::new(App {
            store,
            config,
            notifier,
            hashing: tokio::sync::Semaphore::new(cores),
            hashes: AtomicU64::new(0),
        })
    }

    /// Hashes a password off the async workers, queueing behind at most one hash per core: a
    /// flood of requests that hash cannot starve requests that do not.
    pub async fn hash_password(&self, password: &str) -> Result<String, secrets::SecretError> {
        let password = password.to_owned();
        self.hashing_job(move || secrets::hash_password(&password)).await?
    }

    /// Checks a password the same way (`None`: no such user; the same work is spent).
    pub async fn verify_password(&self, password: &str, hash: Option<String>) -> Result<bool, secrets::SecretError> {
        let password = password.to_owned();
        self.hashing_job(move || secrets::verify_password(&password, hash.as_deref())).await
    }

    /// How many password hashes and checks have started since the app was made.
    pub fn hashes_started(&self) -> u64 {
        self.hashes.load(Ordering::Relaxed)
    }

    async fn hashing_job<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, secrets::SecretError> {
        let _permit = self.hashing.acquire().await.map_err(|e| secrets::SecretError(format!("hashing: {e}")))?;
        self.hashes.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(job).await.map_err(|e| secrets::SecretError(format!("hashing: {e}")))
    }

    /// The HTTP router: every operation of the spec, `/openapi.json` and Swagger UI at `/docs`,
    /// with the security headers of [`security_headers`].
    pub fn router(self: &Arc<Self>) -> axum::Router {
        admin_api_server::router(self.clone()).layer(axum::middleware::from_fn(security_headers))
    }

    /// Creates the first admin, or gives an existing one a new password and API token, so a
    /// fresh deployment can be used at once. Returns the user id.
    pub async fn bootstrap_admin(
        &self,
        email: &str,
        password: &str,
        api_token: Option<&str>,
    ) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let email = email.trim().to_lowercase();
        if admin_api_server::models::support::Email::parse(email.clone()).is_err() {
            return Err(format!("{email:?} is not a valid email address").into());
        }
        if password.chars().count() < 8 {
            return Err("the admin password must be at least 8 characters long".into());
        }
        let password_hash = self.hash_password(password).await?;
        let now = chrono::Utc::now();
        let id = match self.store.user_by_email(&email).await? {
            Some(mut user) => {
                user.password_hash = Some(password_hash);
                user.updated_at = now;
                self.store.update_user(&user).await?;
                user.id
            }
            None => {
                let user = store::UserRow {
                    id: format!("usr_{}", ulid::Ulid::new()),
                    email,
                    first_name: None,
                    last_name: None,
                    role: "admin".into(),
                    password_hash: Some(password_hash),
                    metadata: None,
                    created_at: now,
                    updated_at: now,
                };
                self.store.insert_user(&user).await?;
                user.id
            }
        };
        if let Some(token) = api_token {
            secrets::check_api_token(token).map_err(|reason| format!("the admin API token is too weak: {reason}"))?;
            self.store.set_api_token(&id, Some(&secrets::hash_token(token))).await?;
        }
        Ok(id)
    }
}

/// `X-Content-Type-Options: nosniff` on every response (no browser guesses a type from a body),
/// and `Cache-Control: no-store` on the API's: they carry user data, sessions and tokens, which
/// no cache may keep. The description and Swagger UI stay cacheable.
pub async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let api = request.uri().path().starts_with("/admin/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
