//! Reads of an SQLite file on the calling task.
//!
//! sqlx's SQLite driver runs every connection on a thread of its own and hands each statement
//! and each row across channels. On the request path — a credential lookup and a page per
//! request — those thread wake-ups were most of the server's CPU (perf: futex wait and wake under
//! flume's channels in about 60 % of samples; 17k req/s against 92k for a 401 that touches no
//! database). A read in WAL mode takes microseconds and never waits for the writer, so reads run
//! here, on read-only connections, without leaving the task. Writes and transactions stay on
//! sqlx, which serialises them on SQLite's write lock without blocking a worker.
//!
//! A read never awaits, so no more connections are open at once than threads read at once.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Columns, Result, StoreError};

/// Statements kept prepared per connection: the store's reads, and user pages for several
/// filter combinations and page sizes.
const PREPARED: usize = 64;

/// How long a read waits on SQLite's locks (in WAL mode only recovery after a crash takes them).
const BUSY: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub(super) struct Reader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Reader {
    /// A reader for an SQLite file URL (`sqlite://path?…`, `sqlite:path`); `None` for anything
    /// else, including in-memory databases, which exist once per connection.
    pub(super) fn for_url(url: &str) -> Option<Reader> {
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        if path.is_empty() || path.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        Some(Reader { path: PathBuf::from(path), idle: Mutex::new(Vec::new()), closed: AtomicBool::new(false) })
    }

    /// Runs `sql` with `binds` as `$1`, `$2`, … and maps every row.
    pub(super) fn read<T>(&self, sql: &str, binds: &[&str], map: impl Fn(&dyn Columns) -> Result<T>) -> Result<Vec<T>> {
        let connection = self.connection()?;
        let result = query(&connection, sql, binds, map);
        // A connection is only given back when the store is open and the read went through:
        // after an error it is dropped, in case the error was the connection's own.
        if result.is_ok()
            && !self.closed.load(Ordering::Acquire)
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(connection);
        }
        result
    }

    /// Refuses further reads and closes the idle connections.
    pub(super) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    fn connection(&self) -> Result<Connection> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        if let Some(connection) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(connection);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)?;
        connection.busy_timeout(BUSY)?;
        connection.set_prepared_statement_cache_capacity(PREPARED);
        Ok(connection)
    }
}

fn query<T>(
    connection: &Connection,
    sql: &str,
    binds: &[&str],
    map: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let mut statement = connection.prepare_cached(sql)?;
    for (n, value) in binds.iter().enumerate() {
        // By name: SQLite numbers `$N` parameters in the order they first appear.
        if let Some(index) = statement.parameter_index(&format!("${}", n + 1))? {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(row)?);
    }
    Ok(out)
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, name: &str) -> Result<Option<String>> {
        Ok(self.get(name)?)
    }

    fn integer(&self, name: &str) -> Result<Option<i64>> {
        Ok(self.get(name)?)
    }
}

#[cfg(test)]
mod tests {
    use super::Reader;

    #[test]
    fn files_get_a_reader_and_memory_databases_do_not() {
        let path = |url: &str| Reader::for_url(url).map(|r| r.path.display().to_string());
        assert_eq!(path("sqlite://data/admin.db?mode=rwc").as_deref(), Some("data/admin.db"));
        assert_eq!(path("sqlite:admin.db").as_deref(), Some("admin.db"));
        assert_eq!(path("sqlite:///var/lib/admin.db").as_deref(), Some("/var/lib/admin.db"));
        assert_eq!(path("sqlite::memory:"), None);
        assert_eq!(path("sqlite://shared?mode=memory&cache=shared"), None);
        assert_eq!(path("postgres://localhost/admin"), None);
    }
}
