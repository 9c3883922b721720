//! The SQLite backend: a small pool of `rusqlite` connections, each statement run whole on
//! tokio's blocking threads.
//!
//! Why not sqlx's SQLite driver: it runs each connection on a thread of its own and sends
//! every result row to the async task through a channel, so a page of 50 rows cost 50
//! cross-thread wake-ups; it served 1/18 of its own one-row read rate (profile and
//! figures in CHANGELOG, issue 18). Here a statement is one hand-off each way: it is
//! prepared (from the connection's statement cache), bound, stepped to the end and its
//! rows copied out on a blocking thread, and the task wakes once with all of them.
//!
//! Invariants:
//! - A connection is lent to one caller at a time, and goes back to the pool only outside
//!   a transaction (`is_autocommit`); otherwise it is closed, which rolls back.
//! - A caller dropped while its statement runs does not lose the statement's effect or
//!   leak a transaction: the statement finishes on its blocking thread and the connection
//!   is then closed (never pooled mid-use).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::StoreError;
use crate::sql::{Query, Value, sqlite_timestamp};

/// Statements each connection keeps prepared: every query the application has fits.
const STATEMENT_CACHE: usize = 256;

/// Where the database is and how each connection is set up.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub path: PathBuf,
    pub busy_timeout: Duration,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Settings {
    /// Reads `sqlite://path`, `sqlite:path` or `sqlite:///absolute/path`. A query string
    /// (`?mode=rwc`, as sqlx-style URLs carry) is accepted and ignored: the file is always
    /// opened for reading and writing and created if missing. In-memory databases are
    /// refused: each pooled connection would see a database of its own.
    pub fn path_of_url(url: &str) -> Result<PathBuf, StoreError> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or(StoreError::UnsupportedUrl)?;
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" || path.starts_with("file::memory:") {
            return Err(StoreError::Connect {
                backend: crate::Backend::Sqlite,
                source: "an in-memory or empty SQLite path; give the database file's path".into(),
            });
        }
        Ok(PathBuf::from(path))
    }
}

/// The pool: idle connections, a permit per connection that may be open, and counts for
/// `/metrics`.
#[derive(Clone)]
pub(crate) struct Pool {
    inner: Arc<PoolInner>,
}

struct PoolInner {
    settings: Settings,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    /// Connections open now, lent out or idle.
    open: AtomicU32,
    closed: AtomicBool,
}

impl Pool {
    /// Opens the file (creating it) with one connection, so that a wrong path fails here.
    pub async fn open(settings: Settings) -> Result<Pool, StoreError> {
        let pool = Pool {
            inner: Arc::new(PoolInner {
                permits: Arc::new(Semaphore::new(settings.max_connections.max(1) as usize)),
                settings,
                idle: Mutex::default(),
                open: AtomicU32::new(0),
                closed: AtomicBool::new(false),
            }),
        };
        let conn = pool.acquire().await.map_err(|error| match error {
            StoreError::Unavailable(message) => StoreError::Connect {
                backend: crate::Backend::Sqlite,
                source: message.into(),
            },
            other => other,
        })?;
        drop(conn);
        Ok(pool)
    }

    /// Lends a connection, opening one if none is idle; waits at most the acquire timeout.
    pub async fn acquire(&self) -> Result<Lent, StoreError> {
        let inner = &self.inner;
        if inner.closed.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable("the database is closed".to_owned()));
        }
        let permit = tokio::time::timeout(
            inner.settings.acquire_timeout,
            Arc::clone(&inner.permits).acquire_owned(),
        )
        .await
        .map_err(|_| {
            StoreError::Unavailable("timed out waiting for a database connection".to_owned())
        })?
        .map_err(|_| StoreError::Unavailable("the database is closed".to_owned()))?;
        let idle = lock(&inner.idle).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let settings = inner.settings.clone();
                let conn = tokio::task::spawn_blocking(move || connect(&settings))
                    .await
                    .map_err(|error| StoreError::Unavailable(error.to_string()))?
                    .map_err(|error| StoreError::Unavailable(error.to_string()))?;
                inner.open.fetch_add(1, Ordering::AcqRel);
                conn
            }
        };
        Ok(Lent {
            conn: Some(conn),
            pool: Arc::clone(inner),
            _permit: permit,
        })
    }

    /// Runs one statement on a connection of its own (outside any transaction).
    pub async fn query(&self, query: Query) -> Result<(Vec<SqliteRow>, u64), StoreError> {
        self.acquire().await?.query(query).await
    }

    pub fn size(&self) -> u32 {
        self.inner.open.load(Ordering::Acquire)
    }

    pub fn idle(&self) -> u32 {
        u32::try_from(lock(&self.inner.idle).len()).unwrap_or(u32::MAX)
    }

    /// Closes the idle connections now and every lent one when it comes back; SQLite
    /// checkpoints the WAL when the last connection closes.
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        let idle: Vec<Connection> = std::mem::take(&mut *lock(&self.inner.idle));
        self.inner
            .open
            .fetch_sub(u32::try_from(idle.len()).unwrap_or(0), Ordering::AcqRel);
        let _ = tokio::task::spawn_blocking(move || drop(idle)).await;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A new connection with Pursuit's settings: WAL, `synchronous=FULL`, foreign keys, the
/// busy timeout, a statement cache, and the query planner stability guarantee: without
/// it SQLite marks a statement whose plan could depend on a bound value (a `LIMIT $n`,
/// and with STAT4 statistics any indexed comparison) to be prepared again on every run,
/// which cost a page of applications 10–19% of its CPU (issue 18's profile).
fn connect(settings: &Settings) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        &settings.path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(settings.busy_timeout)?;
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.pragma_update(None, "synchronous", "full")?;
    conn.pragma_update(None, "foreign_keys", "on")?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// A connection lent by the pool. Dropped, it goes back if it is idle and outside a
/// transaction, and is closed otherwise.
pub(crate) struct Lent {
    /// `None` while a statement runs on it (or after it was lost to a dropped caller).
    conn: Option<Connection>,
    pool: Arc<PoolInner>,
    _permit: OwnedSemaphorePermit,
}

impl Lent {
    /// Runs `work` on the connection on a blocking thread.
    pub async fn run<T: Send + 'static>(
        &mut self,
        work: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        let Some(mut conn) = self.conn.take() else {
            return Err(StoreError::Unavailable(
                "the connection was lost by an earlier cancelled statement".to_owned(),
            ));
        };
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut conn);
            (conn, result)
        })
        .await
        .map_err(|error| StoreError::Unavailable(error.to_string()))?;
        self.conn = Some(conn);
        result.map_err(StoreError::from)
    }

    /// Runs one statement and returns its rows (none for a statement that returns none)
    /// and how many rows it changed.
    pub async fn query(&mut self, query: Query) -> Result<(Vec<SqliteRow>, u64), StoreError> {
        self.run(move |conn| run_statement(conn, &query)).await
    }

    /// Runs `queries` one after the other in one hand-off, after `BEGIN IMMEDIATE` when
    /// `begin` (a transaction starts with its first statement): each one's rows and
    /// changed-row count, or the first error (the rest then do not run). Also says whether
    /// the `BEGIN` went through (when it fails, nothing runs).
    pub async fn queries_opening(
        &mut self,
        begin: bool,
        queries: Vec<Query>,
    ) -> (bool, Result<Vec<(Vec<SqliteRow>, u64)>, StoreError>) {
        let opened = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&opened);
        let result = self
            .run(move |conn| {
                if begin {
                    conn.execute_batch("BEGIN IMMEDIATE")?;
                    flag.store(true, Ordering::Release);
                }
                queries
                    .iter()
                    .map(|query| run_statement(conn, query))
                    .collect()
            })
            .await;
        (opened.load(Ordering::Acquire), result)
    }

    /// Ends a transaction in one hand-off: `BEGIN IMMEDIATE` first when `begin` (a
    /// transaction whose statements were all deferred), then `pending`, then `statement`
    /// (`COMMIT` or `ROLLBACK`). If any of them fails, whatever is open is rolled back in
    /// the same hand-off. `writer` (the write turn) is handed on from the connection's
    /// thread as soon as the transaction has ended, not when the caller runs again.
    pub async fn finish(
        &mut self,
        begin: bool,
        pending: Vec<Query>,
        statement: &'static str,
        writer: Option<OwnedSemaphorePermit>,
    ) -> Result<(), StoreError> {
        self.run(move |conn| {
            let ended = (|| {
                if begin {
                    conn.execute_batch("BEGIN IMMEDIATE")?;
                }
                for query in &pending {
                    run_statement(conn, query)?;
                }
                conn.execute_batch(statement)
            })();
            if ended.is_err() && !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            drop(writer);
            ended
        })
        .await
    }

    /// Runs a script of statements without parameters (migrations, maintenance pragmas).
    pub async fn batch(&mut self, sql: String) -> Result<(), StoreError> {
        self.run(move |conn| conn.execute_batch(&sql)).await
    }

    /// Closes the connection instead of returning it to the pool (`Drop` counts it gone).
    pub fn discard(mut self) {
        if let Some(conn) = self.conn.take() {
            close_off_thread(conn);
        }
    }

    /// Rolls back whatever transaction is open and returns the connection (and the
    /// permits in `also`) on a blocking thread, for a caller that cannot wait: a dropped
    /// transaction. Without a runtime the connection is closed, which rolls back.
    pub fn roll_back_later<T: Send + 'static>(mut self, also: T) {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(move || {
                if let Some(conn) = self.conn.as_mut()
                    && !conn.is_autocommit()
                {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                drop(self);
                drop(also);
            })),
            Err(_) => self.discard(),
        }
    }
}

/// The one place a lent connection is returned or counted gone.
impl Drop for Lent {
    fn drop(&mut self) {
        match self.conn.take() {
            Some(conn) if conn.is_autocommit() && !self.pool.closed.load(Ordering::Acquire) => {
                lock(&self.pool.idle).push(conn);
            }
            other => {
                // `None`: discarded, or taken by a cancelled statement, which closes it on
                // its blocking thread.
                if let Some(conn) = other {
                    close_off_thread(conn);
                }
                self.pool.open.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

/// Closing may write (a rollback, a WAL checkpoint): not on an async worker when avoidable.
fn close_off_thread(conn: Connection) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(move || drop(conn))),
        Err(_) => drop(conn),
    }
}

/// One result row: the statement's column names (shared by its rows) and the values.
///
/// A row's text and blobs are copied into one buffer each, not one allocation per value: a
/// row is made on a blocking thread and freed on an async worker, and with a string per
/// value a page of 50 applications cost ~1,100 allocations freed across threads (18% of
/// the list's CPU in mimalloc, issue 18's profile). Reading a text copies it out on the
/// reader's thread.
pub(crate) struct SqliteRow {
    columns: Arc<[String]>,
    values: Vec<Stored>,
    text: String,
    blobs: Vec<u8>,
    /// Where the next look-up by name starts: a row is read in (about) the order of its
    /// columns, so each look-up usually matches at its first comparison.
    next: AtomicUsize,
}

/// A value of a [`SqliteRow`]; text and blobs as their place in the row's buffers.
#[derive(Clone, Copy)]
enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(usize, usize),
    Blob(usize, usize),
}

/// A value of a row, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl Cell<'_> {
    pub fn data_type(&self) -> Type {
        match self {
            Cell::Null => Type::Null,
            Cell::Integer(_) => Type::Integer,
            Cell::Real(_) => Type::Real,
            Cell::Text(_) => Type::Text,
            Cell::Blob(_) => Type::Blob,
        }
    }
}

impl SqliteRow {
    /// The value of `column`, by name.
    pub fn cell(&self, column: &str) -> Option<Cell<'_>> {
        self.position(column).map(|i| match self.values[i] {
            Stored::Null => Cell::Null,
            Stored::Integer(n) => Cell::Integer(n),
            Stored::Real(f) => Cell::Real(f),
            Stored::Text(start, end) => Cell::Text(&self.text[start..end]),
            Stored::Blob(start, end) => Cell::Blob(&self.blobs[start..end]),
        })
    }

    fn position(&self, column: &str) -> Option<usize> {
        let width = self.columns.len();
        let start = self.next.load(Ordering::Relaxed);
        let found = (start..width)
            .chain(0..start.min(width))
            .find(|&i| self.columns[i] == column)?;
        self.next.store(found + 1, Ordering::Relaxed);
        Some(found)
    }
}

/// Prepares (or reuses) the statement, binds `$N` to the query's N-th value, steps it to
/// the end and copies its rows out.
fn run_statement(
    conn: &mut Connection,
    query: &Query,
) -> Result<(Vec<SqliteRow>, u64), rusqlite::Error> {
    let mut statement = conn.prepare_cached(query.sql())?;
    let args = query.args();
    for index in 1..=statement.parameter_count() {
        let n = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$').or_else(|| name.strip_prefix('?')))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(index);
        let value = args.get(n.wrapping_sub(1)).ok_or_else(|| {
            rusqlite::Error::InvalidParameterName(format!(
                "${n} has no value ({} given)",
                args.len()
            ))
        })?;
        bind(&mut statement, index, value)?;
    }
    let writes = !statement.readonly();
    let columns: Arc<[String]> = statement
        .column_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let width = columns.len();
    let mut out = Vec::new();
    // The previous row's text length: a good first size for the next one's buffer.
    let mut text_size = 0;
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        let mut text = String::with_capacity(text_size);
        let mut blobs = Vec::new();
        for i in 0..width {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Stored::Null,
                ValueRef::Integer(n) => Stored::Integer(n),
                ValueRef::Real(f) => Stored::Real(f),
                ValueRef::Text(bytes) => {
                    let start = text.len();
                    text.push_str(
                        std::str::from_utf8(bytes).map_err(|e| rusqlite::Error::Utf8Error(i, e))?,
                    );
                    Stored::Text(start, text.len())
                }
                ValueRef::Blob(bytes) => {
                    let start = blobs.len();
                    blobs.extend_from_slice(bytes);
                    Stored::Blob(start, blobs.len())
                }
            });
        }
        text_size = text.len();
        out.push(SqliteRow {
            columns: Arc::clone(&columns),
            next: AtomicUsize::new(0),
            values,
            text,
            blobs,
        });
    }
    drop(rows);
    let changed = if writes { conn.changes() } else { 0 };
    Ok((out, changed))
}

fn bind(
    statement: &mut rusqlite::CachedStatement<'_>,
    index: usize,
    value: &Value,
) -> Result<(), rusqlite::Error> {
    match value {
        Value::Bool(v) => statement.raw_bind_parameter(index, v.map(i64::from)),
        Value::I64(v) => statement.raw_bind_parameter(index, v),
        Value::F64(v) => statement.raw_bind_parameter(index, v),
        Value::Text(v) => statement.raw_bind_parameter(index, v.as_deref()),
        Value::Uuid(v) => {
            statement.raw_bind_parameter(index, v.map(|id| id.hyphenated().to_string()))
        }
        Value::Timestamp(v) => statement.raw_bind_parameter(index, v.map(sqlite_timestamp)),
        Value::Date(v) => statement.raw_bind_parameter(index, v.map(|d| d.to_string())),
        Value::Json(v) => {
            statement.raw_bind_parameter(index, v.as_ref().map(|json| json.to_string()))
        }
        Value::Bytes(v) => statement.raw_bind_parameter(index, v.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query;

    async fn pool(dir: &tempfile::TempDir, max_connections: u32) -> Pool {
        Pool::open(Settings {
            path: dir.path().join("t.db"),
            busy_timeout: Duration::from_secs(1),
            max_connections,
            acquire_timeout: Duration::from_millis(300),
        })
        .await
        .unwrap()
    }

    fn text(row: &SqliteRow, column: &str) -> String {
        match row.cell(column) {
            Some(Cell::Text(text)) => text.to_owned(),
            other => panic!("{column}: {other:?}"),
        }
    }

    #[test]
    fn urls_name_a_file_and_memory_is_refused() {
        for (url, path) in [
            ("sqlite://data/p.db", "data/p.db"),
            ("sqlite:p.db", "p.db"),
            ("sqlite:///var/lib/p.db?mode=rwc", "/var/lib/p.db"),
        ] {
            assert_eq!(Settings::path_of_url(url).unwrap(), PathBuf::from(path));
        }
        for url in [
            "sqlite::memory:",
            "sqlite://",
            "sqlite:file::memory:?cache=shared",
        ] {
            assert!(Settings::path_of_url(url).is_err(), "{url}");
        }
    }

    #[tokio::test]
    async fn placeholders_bind_by_number_not_by_order_of_appearance() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = pool(&dir, 2).await.acquire().await.unwrap();
        let (rows, _) = conn
            .query(
                query("SELECT $2 AS b, $1 AS a, $2 || $1 AS ba")
                    .bind("one")
                    .bind("two"),
            )
            .await
            .unwrap();
        assert_eq!(text(&rows[0], "a"), "one");
        assert_eq!(text(&rows[0], "b"), "two");
        assert_eq!(text(&rows[0], "ba"), "twoone");
        // A placeholder without a value is an error, not a NULL.
        assert!(
            conn.query(query("SELECT $1 AS a, $2 AS b").bind(1_i64))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn columns_read_in_any_order_and_lists_read_leniently() {
        use crate::sql::{Row, RowInner, StringList};
        let dir = tempfile::tempdir().unwrap();
        let mut conn = pool(&dir, 1).await.acquire().await.unwrap();
        let (mut rows, _) = conn
            .query(query(
                "SELECT 'x' AS a, NULL AS b, '[\"r\", 3, \"s\"]' AS c, '[\"t\"]' AS d, NULL AS e, 'y' AS f",
            ))
            .await
            .unwrap();
        let row = Row(RowInner::Sqlite(rows.remove(0)));
        // Backwards, then a NULL read twice, then forwards again, then a text read twice.
        assert_eq!(
            row.get::<Option<String>>("f").unwrap().as_deref(),
            Some("y")
        );
        assert_eq!(row.get::<Option<String>>("b").unwrap(), None);
        assert_eq!(row.get::<Option<String>>("b").unwrap(), None);
        assert_eq!(row.get::<String>("a").unwrap(), "x");
        assert_eq!(row.get::<String>("a").unwrap(), "x");
        assert!(row.get::<i64>("a").is_err(), "text is not an integer");
        // Non-string items are skipped; NULL is an empty list; a string is not a list.
        assert_eq!(row.get::<StringList>("c").unwrap().0, ["r", "s"]);
        assert_eq!(row.get::<StringList>("d").unwrap().0, ["t"]);
        assert!(row.get::<StringList>("e").unwrap().0.is_empty());
        assert!(row.get::<StringList>("nope").is_err());
    }

    #[tokio::test]
    async fn a_connection_inside_a_transaction_never_goes_back_to_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 1).await;
        let mut conn = pool.acquire().await.unwrap();
        conn.batch("CREATE TABLE t (n INTEGER)".to_owned())
            .await
            .unwrap();
        conn.batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)".to_owned())
            .await
            .unwrap();
        drop(conn);
        // The next borrower starts outside any transaction and sees nothing uncommitted.
        let mut conn = pool.acquire().await.unwrap();
        let (rows, _) = conn
            .query(query("SELECT count(*) AS n FROM t"))
            .await
            .unwrap();
        assert!(matches!(rows[0].cell("n"), Some(Cell::Integer(0))));
        conn.batch("BEGIN IMMEDIATE".to_owned()).await.unwrap();
        conn.batch("ROLLBACK".to_owned()).await.unwrap();
    }

    #[tokio::test]
    async fn a_caller_dropped_mid_statement_leaves_the_pool_working() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 1).await;
        let mut conn = pool.acquire().await.unwrap();
        // A statement that runs for a while, abandoned after a moment.
        let slow = conn.query(query(
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) \
             SELECT count(*) AS n FROM c",
        ));
        assert!(
            tokio::time::timeout(Duration::from_millis(5), slow)
                .await
                .is_err()
        );
        drop(conn);
        let mut conn = pool.acquire().await.unwrap();
        let (rows, _) = conn.query(query("SELECT 7 AS n")).await.unwrap();
        assert!(matches!(rows[0].cell("n"), Some(Cell::Integer(7))));
        assert!(pool.size() <= 1);
    }

    #[tokio::test]
    async fn statements_sent_together_stop_at_the_first_error_and_keep_its_class() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = pool(&dir, 1).await.acquire().await.unwrap();
        conn.batch("CREATE TABLE t (n INTEGER PRIMARY KEY)".to_owned())
            .await
            .unwrap();
        let (opened, result) = conn
            .queries_opening(
                true,
                vec![
                    query("INSERT INTO t VALUES (1) RETURNING n"),
                    query("INSERT INTO t VALUES (1)"),
                    query("INSERT INTO t VALUES (2)"),
                ],
            )
            .await;
        assert!(opened);
        assert!(matches!(result, Err(StoreError::UniqueViolation { .. })));
        conn.batch("ROLLBACK".to_owned()).await.unwrap();
        let (opened, result) = conn
            .queries_opening(
                true,
                vec![
                    query("INSERT INTO t VALUES (3) RETURNING n"),
                    query("INSERT INTO t VALUES (4)"),
                ],
            )
            .await;
        let results = result.unwrap();
        assert!(opened);
        assert_eq!(results.len(), 2);
        let (rows, _) = &results[0];
        assert_eq!(rows.len(), 1);
        assert!(matches!(rows[0].cell("n"), Some(Cell::Integer(3))));
        assert!(results[1].0.is_empty());
        assert_eq!(results[1].1, 1, "the second statement's changed rows");
        conn.batch("COMMIT".to_owned()).await.unwrap();
        let (rows, _) = conn
            .query(query("SELECT group_concat(n) AS all_n FROM t"))
            .await
            .unwrap();
        assert_eq!(text(&rows[0], "all_n"), "3,4");
    }

    #[tokio::test]
    async fn the_pool_counts_each_connection_once_however_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 2).await;
        assert_eq!((pool.size(), pool.idle()), (1, 1));
        pool.acquire().await.unwrap().discard();
        assert_eq!((pool.size(), pool.idle()), (0, 0));
        let mut inside = pool.acquire().await.unwrap();
        inside.batch("BEGIN IMMEDIATE".to_owned()).await.unwrap();
        drop(inside);
        assert_eq!((pool.size(), pool.idle()), (0, 0));
        drop(pool.acquire().await.unwrap());
        assert_eq!((pool.size(), pool.idle()), (1, 1));
    }

    #[tokio::test]
    async fn a_full_pool_answers_unavailable_after_the_acquire_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir, 1).await;
        let _held = pool.acquire().await.unwrap();
        assert!(matches!(
            pool.acquire().await,
            Err(StoreError::Unavailable(_))
        ));
    }
}
