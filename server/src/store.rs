//! The storage layer: one `sqlx` Any pool, so the same SQL runs on SQLite (default) and
//! PostgreSQL. Every piece of state another instance would need lives here — users, invites,
//! sessions, reset tokens, login failures — so instances behind a load balancer share it.
//!
//! Times are stored as fixed-width RFC 3339 text (`2024-01-02T03:04:05.678Z`), which sorts and
//! compares correctly as text on both databases. Tokens are stored only as SHA-256 hashes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

mod reader;

use reader::Reader;

/// Storage failures. The API turns them into a 500 with a generic message.
#[derive(Debug)]
pub enum StoreError {
    /// A unique constraint refused the write (duplicate email, token, …).
    Conflict,
    Database(sqlx::Error),
    /// A read of an SQLite file on the calling task failed.
    Sqlite(rusqlite::Error),
    /// A stored value could not be read back (corrupt data).
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Conflict => f.write_str("unique constraint violated"),
            StoreError::Database(e) => write!(f, "database error: {e}"),
            StoreError::Sqlite(e) => write!(f, "database error: {e}"),
            StoreError::Corrupt(what) => write!(f, "corrupt stored data: {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            _ => StoreError::Database(error),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Sqlite(error)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The canonical text form of a time in the database.
pub fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("time {text:?}")))
}

/// Migrations, in order. Each is idempotent so that instances starting together cannot trip
/// over each other.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        first_name TEXT,
        last_name TEXT,
        role TEXT NOT NULL,
        password_hash TEXT,
        api_token_hash TEXT,
        metadata TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS users_live_email ON users (email) WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS users_api_token ON users (api_token_hash);
    CREATE TABLE IF NOT EXISTS invites (
        id TEXT PRIMARY KEY,
        user_email TEXT NOT NULL,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        metadata TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS invites_email ON invites (user_email);
    CREATE UNIQUE INDEX IF NOT EXISTS invites_token ON invites (token_hash);
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS password_resets (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE IF NOT EXISTS login_failures (
        key TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        window_start TEXT NOT NULL
    )",
    ),
    (
        2,
        // Bumped when the password changes: JWTs carry the generation they were issued in.
        "ALTER TABLE users ADD COLUMN credential_generation BIGINT NOT NULL DEFAULT 0",
    ),
    (
        3,
        // API tokens are unique: where two users shared one, only the first keeps it.
        "UPDATE users SET api_token_hash = NULL WHERE api_token_hash IS NOT NULL AND id NOT IN
             (SELECT MIN(id) FROM users WHERE api_token_hash IS NOT NULL GROUP BY api_token_hash);
         DROP INDEX IF EXISTS users_api_token;
         CREATE UNIQUE INDEX IF NOT EXISTS users_api_token_unique ON users (api_token_hash)
             WHERE api_token_hash IS NOT NULL",
    ),
];

/// A user row. The password and API token hashes stay in the store's callers' hands only for
/// verification; they are never part of a response.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: String,
    pub password_hash: Option<String>,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct InviteRow {
    pub id: String,
    pub user_email: String,
    pub role: String,
    pub expires_at: DateTime<Utc>,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters, order and page of a user listing.
#[derive(Clone, Debug, Default)]
pub struct UserQuery {
    pub q: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Users with any of these roles (none: any role).
    pub roles: Vec<String>,
    /// Users with any of these ids (none: any id).
    pub ids: Vec<String>,
    /// A column name from a fixed list, and whether descending.
    pub order: (&'static str, bool),
    pub offset: i64,
    pub limit: i64,
}

const USER_COLUMNS: &str = "id, email, first_name, last_name, role, password_hash, metadata, created_at, updated_at";
const INVITE_COLUMNS: &str = "id, user_email, role, expires_at, metadata, created_at, updated_at";

fn metadata_from(text: Option<String>) -> Result<Option<Map<String, Value>>> {
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|_| StoreError::Corrupt("metadata".into())),
    }
}

fn metadata_text(metadata: &Option<Map<String, Value>>) -> Option<String> {
    metadata.as_ref().map(|m| Value::Object(m.clone()).to_string())
}

/// A row's columns by name, whichever driver read it (sqlx, or the SQLite [`Reader`]).
trait Columns {
    fn text(&self, name: &str) -> Result<Option<String>>;
    fn integer(&self, name: &str) -> Result<Option<i64>>;

    fn required_text(&self, name: &str) -> Result<String> {
        self.text(name)?.ok_or_else(|| StoreError::Corrupt(format!("{name} is null")))
    }

    fn required_integer(&self, name: &str) -> Result<i64> {
        self.integer(name)?.ok_or_else(|| StoreError::Corrupt(format!("{name} is null")))
    }

    fn time(&self, name: &str) -> Result<DateTime<Utc>> {
        parse_time(&self.required_text(name)?)
    }
}

impl Columns for AnyRow {
    fn text(&self, name: &str) -> Result<Option<String>> {
        Ok(self.try_get(name)?)
    }

    fn integer(&self, name: &str) -> Result<Option<i64>> {
        Ok(self.try_get(name)?)
    }
}

fn user_from(row: &dyn Columns) -> Result<UserRow> {
    Ok(UserRow {
        id: row.required_text("id")?,
        email: row.required_text("email")?,
        first_name: row.text("first_name")?,
        last_name: row.text("last_name")?,
        role: row.required_text("role")?,
        password_hash: row.text("password_hash")?,
        metadata: metadata_from(row.text("metadata")?)?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn invite_from(row: &dyn Columns) -> Result<InviteRow> {
    Ok(InviteRow {
        id: row.required_text("id")?,
        user_email: row.required_text("user_email")?,
        role: row.required_text("role")?,
        expires_at: row.time("expires_at")?,
        metadata: metadata_from(row.text("metadata")?)?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Inserts a user through any executor (the pool, or a transaction).
/// The editable columns of a live user; false when there is none.
async fn update_user_with<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    user: &UserRow,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET first_name = $1, last_name = $2, role = $3, metadata = $4, password_hash = $5, updated_at = $6
         WHERE id = $7 AND deleted_at IS NULL",
    )
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.role)
    .bind(metadata_text(&user.metadata))
    .bind(&user.password_hash)
    .bind(time_text(user.updated_at))
    .bind(&user.id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn insert_user_with<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(executor: E, user: &UserRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, role, password_hash, metadata, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&user.id)
    .bind(&user.email)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.role)
    .bind(&user.password_hash)
    .bind(metadata_text(&user.metadata))
    .bind(time_text(user.created_at))
    .bind(time_text(user.updated_at))
    .execute(executor)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    postgres: bool,
    /// For an SQLite file: reads on the calling task (see [`reader`]).
    reader: Option<std::sync::Arc<Reader>>,
}

impl Store {
    /// Connects (`sqlite://path?mode=rwc`, `sqlite::memory:`, `postgres://…`) and migrates.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let memory = url.contains(":memory:");
        // An in-memory SQLite database exists per connection: keep exactly one.
        let options = AnyPoolOptions::new().max_connections(if memory { 1 } else { 10 });
        let options = if memory { options.idle_timeout(None).max_lifetime(None) } else { options };
        let pool = options.connect(url).await?;
        if url.starts_with("sqlite:") && !memory {
            // Readers do not wait for the writer; the setting persists in the file.
            sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
        }
        let postgres = url.starts_with("postgres");
        let reader = Reader::for_url(url).map(std::sync::Arc::new);
        let store = Store { pool, postgres, reader };
        store.migrate(postgres).await?;
        Ok(store)
    }

    async fn migrate(&self, postgres: bool) -> Result<()> {
        use sqlx::Connection;
        // Instances starting together on one PostgreSQL database would race on the catalog
        // (`CREATE … IF NOT EXISTS` is not safe concurrently there): take a lock for the duration.
        // SQLite serialises writers on its own.
        let mut conn = self.pool.acquire().await?;
        if postgres {
            sqlx::query("SELECT pg_advisory_lock(7212001)").execute(&mut *conn).await?;
        }
        let result = async {
            sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
                .execute(&mut *conn)
                .await?;
            let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|row| row.try_get::<i64, _>("version"))
                .collect::<std::result::Result<_, _>>()?;
            for (version, sql) in MIGRATIONS {
                if applied.contains(version) {
                    continue;
                }
                let mut tx = conn.begin().await?;
                for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    sqlx::query(statement).execute(&mut *tx).await?;
                }
                sqlx::query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                )
                .bind(*version)
                .bind(time_text(Utc::now()))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            Ok::<(), StoreError>(())
        }
        .await;
        if postgres {
            sqlx::query("SELECT pg_advisory_unlock(7212001)").execute(&mut *conn).await?;
        }
        result
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        if let Some(reader) = &self.reader {
            reader.close();
        }
        self.pool.close().await;
    }

    /// Runs a read (`$1`, `$2`, … bound to `binds`) and maps every row: on the SQLite reader
    /// where there is one, else on the pool.
    async fn read<T>(&self, sql: &str, binds: &[&str], map: fn(&dyn Columns) -> Result<T>) -> Result<Vec<T>> {
        if let Some(reader) = &self.reader {
            return reader.read(sql, binds, map);
        }
        let mut query = sqlx::query(sql);
        for value in binds {
            query = query.bind(*value);
        }
        query.fetch_all(&self.pool).await?.iter().map(|row| map(row)).collect()
    }

    /// The first row of a read, if any.
    async fn read_one<T>(&self, sql: &str, binds: &[&str], map: fn(&dyn Columns) -> Result<T>) -> Result<Option<T>> {
        Ok(self.read(sql, binds, map).await?.into_iter().next())
    }

    // Users.

    pub async fn insert_user(&self, user: &UserRow) -> Result<()> {
        insert_user_with(&self.pool, user).await
    }

    pub async fn user(&self, id: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL");
        self.read_one(&sql, &[id], user_from).await
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL");
        self.read_one(&sql, &[email], user_from).await
    }

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE api_token_hash = $1 AND deleted_at IS NULL");
        self.read_one(&sql, &[token_hash], user_from).await
    }

    /// Saves the editable columns of a user (names, role, metadata, password) and `updated_at`.
    pub async fn update_user(&self, user: &UserRow) -> Result<bool> {
        update_user_with(&self.pool, user).await
    }

    /// Sets or clears a user's API token; `Err(Conflict)` when another user has that token.
    pub async fn set_api_token(&self, user_id: &str, token_hash: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE users SET api_token_hash = $1 WHERE id = $2")
            .bind(token_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Soft-deletes a user and ends their sessions; false when there was no such live user.
    pub async fn delete_user(&self, id: &str, now: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query("UPDATE users SET deleted_at = $1, api_token_hash = NULL WHERE id = $2 AND deleted_at IS NULL")
                .bind(time_text(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn list_users(&self, query: &UserQuery) -> Result<(Vec<UserRow>, i64)> {
        let mut conditions = vec!["deleted_at IS NULL".to_owned()];
        let mut binds: Vec<String> = Vec::new();
        let bind = |value: String, binds: &mut Vec<String>| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(q) = &query.q {
            let pattern = like_pattern(q);
            let (a, b, c) =
                (bind(pattern.clone(), &mut binds), bind(pattern.clone(), &mut binds), bind(pattern, &mut binds));
            conditions.push(format!(
                "(lower(email) LIKE {a} ESCAPE '\\' OR lower(coalesce(first_name, '')) LIKE {b} ESCAPE '\\' \
                 OR lower(coalesce(last_name, '')) LIKE {c} ESCAPE '\\')"
            ));
        } else {
            if let Some(email) = &query.email {
                conditions.push(format!("email = {}", bind(email.to_lowercase(), &mut binds)));
            }
            if let Some(first_name) = &query.first_name {
                conditions.push(format!("first_name = {}", bind(first_name.clone(), &mut binds)));
            }
            if let Some(last_name) = &query.last_name {
                conditions.push(format!("last_name = {}", bind(last_name.clone(), &mut binds)));
            }
        }
        for (column, values) in [("role", &query.roles), ("id", &query.ids)] {
            if !values.is_empty() {
                let placeholders: Vec<String> = values.iter().map(|v| bind(v.clone(), &mut binds)).collect();
                conditions.push(format!("{column} IN ({})", placeholders.join(", ")));
            }
        }
        let filter = conditions.join(" AND ");
        let (column, descending) = query.order;
        let direction = if descending { "DESC" } else { "ASC" };
        // One round trip: the page with the total on every row (a window function, on both
        // databases). Only a page past the end, which has no rows, needs the count on its own.
        // `column` comes from a fixed list, never from the request text itself.
        let page_sql = format!(
            "SELECT {USER_COLUMNS}, COUNT(*) OVER () AS total FROM users WHERE {filter} \
             ORDER BY {column} {direction}, id ASC LIMIT {} OFFSET {}",
            query.limit, query.offset
        );
        let binds: Vec<&str> = binds.iter().map(String::as_str).collect();
        let rows = self.read(&page_sql, &binds, |row| Ok((user_from(row)?, row.required_integer("total")?))).await?;
        let total = match rows.first() {
            Some((_, total)) => *total,
            None => {
                let count_sql = format!("SELECT COUNT(*) AS n FROM users WHERE {filter}");
                self.read_one(&count_sql, &binds, |row| row.required_integer("n")).await?.unwrap_or(0)
            }
        };
        Ok((rows.into_iter().map(|(user, _)| user).collect(), total))
    }

    // Sessions.

    pub async fn insert_session(&self, token_hash: &str, user_id: &str, expires_at: DateTime<Utc>) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(time_text(expires_at))
            .bind(time_text(Utc::now()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live user of an unexpired session.
    pub async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserRow>> {
        let sql = format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deleted_at IS NULL",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        self.read_one(&sql, &[token_hash, &time_text(now)], user_from).await
    }

    /// Ends a session of `user_id` (a session of another user is left alone).
    pub async fn delete_session_of(&self, token_hash: &str, user_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2")
            .bind(token_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // Password resets.

    pub async fn insert_reset(&self, token_hash: &str, user_id: &str, expires_at: DateTime<Utc>) -> Result<()> {
        sqlx::query("INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(time_text(expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Uses a reset token: marks it used and sets the password, atomically, only when the token
    /// is unused, unexpired, and (when given) belongs to `email`. Returns the user.
    pub async fn use_reset(
        &self,
        token_hash: &str,
        email: Option<&str>,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRow>> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(time_text(now))
        .bind(token_hash)
        .bind(time_text(now))
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {} FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1 AND u.deleted_at IS NULL",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let Some(mut user) = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(|row| user_from(row))
            .transpose()?
        else {
            return Ok(None);
        };
        if email.is_some_and(|email| email != user.email) {
            // The claim is rolled back with the transaction: a wrong email does not burn the token.
            return Ok(None);
        }
        sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2, credential_generation = credential_generation + 1
             WHERE id = $3",
        )
        .bind(password_hash)
        .bind(time_text(now))
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
        // A new password ends what the old one opened: other reset tokens and every session
        // (JWTs end with the generation above).
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(time_text(now))
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
        tx.commit().await?;
        user.updated_at = now;
        Ok(Some(user))
    }

    /// The generation of a user's credentials (see migration 2), `None` for no live user.
    pub async fn credential_generation(&self, user_id: &str) -> Result<Option<i64>> {
        let sql = "SELECT credential_generation FROM users WHERE id = $1 AND deleted_at IS NULL";
        self.read_one(sql, &[user_id], |row| row.required_integer("credential_generation")).await
    }

    /// Reads a user, lets `change` edit it and saves it in one transaction that holds the row
    /// (`BEGIN IMMEDIATE` takes SQLite's write lock at once; `FOR UPDATE` locks the row on
    /// PostgreSQL), so concurrent updates apply one after the other instead of overwriting each
    /// other. `None` when there is no such live user; `Some(Err(_))`, with nothing written,
    /// when `change` refuses.
    pub async fn modify_user<E>(
        &self,
        id: &str,
        change: impl FnOnce(&mut UserRow) -> std::result::Result<(), E>,
    ) -> Result<Option<std::result::Result<UserRow, E>>> {
        let mut tx =
            if self.postgres { self.pool.begin().await? } else { self.pool.begin_with("BEGIN IMMEDIATE").await? };
        let lock = if self.postgres { " FOR UPDATE" } else { "" };
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL{lock}");
        let Some(mut user) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .as_ref()
            .map(|row| user_from(row))
            .transpose()?
        else {
            return Ok(None);
        };
        if let Err(refusal) = change(&mut user) {
            // Dropping the transaction rolls it back.
            return Ok(Some(Err(refusal)));
        }
        update_user_with(&mut *tx, &user).await?;
        tx.commit().await?;
        Ok(Some(Ok(user)))
    }

    // Invites.

    /// Creates the invite for an email, or renews the pending one (new role, token, expiry).
    pub async fn upsert_invite(&self, invite: &InviteRow, token_hash: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO invites (id, user_email, role, token_hash, expires_at, metadata, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (user_email) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash,
                 expires_at = excluded.expires_at, updated_at = excluded.updated_at",
        )
        .bind(&invite.id)
        .bind(&invite.user_email)
        .bind(&invite.role)
        .bind(token_hash)
        .bind(time_text(invite.expires_at))
        .bind(metadata_text(&invite.metadata))
        .bind(time_text(invite.created_at))
        .bind(time_text(invite.updated_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn invites(&self) -> Result<Vec<InviteRow>> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites ORDER BY created_at ASC, id ASC");
        self.read(&sql, &[], invite_from).await
    }

    pub async fn invite(&self, id: &str) -> Result<Option<InviteRow>> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites WHERE id = $1");
        self.read_one(&sql, &[id], invite_from).await
    }

    pub async fn invite_by_token(&self, token_hash: &str) -> Result<Option<InviteRow>> {
        let sql = format!("SELECT {INVITE_COLUMNS} FROM invites WHERE token_hash = $1");
        self.read_one(&sql, &[token_hash], invite_from).await
    }

    pub async fn renew_invite(
        &self,
        id: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query("UPDATE invites SET token_hash = $1, expires_at = $2, updated_at = $3 WHERE id = $4")
            .bind(token_hash)
            .bind(time_text(expires_at))
            .bind(time_text(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn delete_invite(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM invites WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Accepts an invite: creates the user and deletes the invite in one transaction, so an
    /// invite is accepted once. `Ok(false)` when the invite was gone (accepted concurrently);
    /// `Err(Conflict)` when the email already belongs to a user.
    pub async fn accept_invite(&self, invite_id: &str, user: &UserRow) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let deleted = sqlx::query("DELETE FROM invites WHERE id = $1").bind(invite_id).execute(&mut *tx).await?;
        if deleted.rows_affected() == 0 {
            return Ok(false);
        }
        insert_user_with(&mut *tx, user).await?;
        tx.commit().await?;
        Ok(true)
    }

    // Login failures (rate limiting).

    /// Failures counted for `key` in the window that started after `since`.
    /// Counts an attempt for `key` and returns the count in the current window with the window's
    /// start, in one statement: parallel attempts each get their own count, so no more than the
    /// limit pass a check on it. A window older than `since` starts over.
    pub async fn reserve_attempt(
        &self,
        key: &str,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<(i64, DateTime<Utc>)> {
        let row = sqlx::query(
            "INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET
                 failures = CASE WHEN login_failures.window_start > $3 THEN login_failures.failures + 1 ELSE 1 END,
                 window_start = CASE WHEN login_failures.window_start > $3 THEN login_failures.window_start ELSE $2 END
             RETURNING failures, window_start",
        )
        .bind(key)
        .bind(time_text(now))
        .bind(time_text(since))
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("failures")?, parse_time(&row.try_get::<String, _>("window_start")?)?))
    }

    /// Gives back an attempt counted by `reserve_attempt` that turned out not to be a failure.
    pub async fn release_attempt(&self, key: &str) -> Result<()> {
        sqlx::query("UPDATE login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets the attempts counted for `key` (a successful login from that account and address).
    pub async fn clear_attempts(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&self.pool).await?;
        Ok(())
    }

    /// How many reset tokens are stored for `owner` (a user id, or `nobody:…` for the decoys of
    /// unknown emails), used and expired ones included; for tests and metrics.
    pub async fn reset_count(&self, owner: &str) -> Result<i64> {
        let sql = "SELECT COUNT(*) AS n FROM password_resets WHERE user_id = $1";
        Ok(self.read_one(sql, &[owner], |row| row.required_integer("n")).await?.unwrap_or(0))
    }

    /// Whether a reset token is live (unused, unexpired): checked before any password is hashed.
    pub async fn reset_is_live(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool> {
        let sql = "SELECT 1 AS live FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
        Ok(self.read_one(sql, &[token_hash, &time_text(now)], |_| Ok(())).await?.is_some())
    }
}
