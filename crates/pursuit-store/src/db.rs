//! [`Db`]: the one handle every feature uses, whichever backend is behind it.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::StoreError;
use crate::sql::{Query, Row, RowInner, bind_postgres};
use crate::sqlite::{self, Lent};

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Pool settings. The defaults suit a laptop; a hosted deployment raises `max_connections`.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// How long to wait for a pooled connection (and, at boot, for the server to answer).
    pub acquire_timeout: Duration,
    /// SQLite only: how long a writer waits for another process's write lock.
    pub busy_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A point-in-time view of the connection pool, exported on `/metrics`.
#[derive(Clone, Copy, Debug)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The database handle: cheap to clone, shared by every request and worker.
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    max_connections: u32,
    /// Set when a write failed because the disk (or the database's quota) is full, cleared
    /// by the next write that commits: `/readyz` probes with a write while it is set.
    storage_full: Arc<AtomicBool>,
    outage: Arc<Outage>,
    /// Moves on each time sign-in data (a user, a session, an API token) changes in this
    /// process, once the change is committed: what a cache of sign-ins checks its entries by.
    credentials: Arc<AtomicU64>,
}

/// While the database does not answer, every request would wait the whole acquire timeout
/// for a connection that cannot be made. After one such failure the handle fails fast
/// instead: one caller at a time probes (waits as usual); the others get "unavailable" at
/// once, until a probe gets an answer. A probe waits at most [`PROBE_TIMEOUT`], and the
/// next starts no sooner than that after it.
struct Outage {
    down: AtomicBool,
    probing: AtomicBool,
    /// When the last probe ended, in milliseconds since `started`.
    probed_at_ms: AtomicU64,
    started: std::time::Instant,
}

impl Default for Outage {
    fn default() -> Self {
        Outage {
            down: AtomicBool::new(false),
            probing: AtomicBool::new(false),
            probed_at_ms: AtomicU64::new(0),
            started: std::time::Instant::now(),
        }
    }
}

/// How long a call made while the database is down waits for it to answer, and how long
/// after a failed probe the next may start.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// Ends a probe when the probing call finishes or is dropped.
struct Probe<'a>(&'a Outage);

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        let ended = u64::try_from(self.0.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.0.probed_at_ms.store(ended, Ordering::Release);
        self.0.probing.store(false, Ordering::Release);
    }
}

#[derive(Clone)]
enum Pools {
    Sqlite {
        pool: sqlite::Pool,
        /// SQLite allows one writer at a time. Writers in this process queue here, fairly
        /// and without polling, instead of spinning in SQLite's busy handler; writers in other
        /// processes (a separate `pursuit worker`) are still covered by `busy_timeout`.
        writer: Arc<Semaphore>,
    },
    Postgres(PgPool),
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Opens a pool for `url` (`sqlite://path` or `postgres://…`) and checks it answers.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            Db::connect_sqlite(sqlite::Settings::path_of_url(url)?, options).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect =
                PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
                    backend: Backend::Postgres,
                    source: source.into(),
                })?;
            Db::connect_postgres(connect, options).await
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    pub async fn open_sqlite(
        path: &std::path::Path,
        options: &ConnectOptions,
    ) -> Result<Db, StoreError> {
        Db::connect_sqlite(path.to_owned(), options).await
    }

    async fn connect_sqlite(
        path: std::path::PathBuf,
        options: &ConnectOptions,
    ) -> Result<Db, StoreError> {
        let pool = sqlite::Pool::open(sqlite::Settings {
            path,
            busy_timeout: options.busy_timeout,
            max_connections: options.max_connections,
            acquire_timeout: options.acquire_timeout,
        })
        .await?;
        let db = Db {
            pools: Pools::Sqlite {
                pool,
                writer: Arc::new(Semaphore::new(1)),
            },
            max_connections: options.max_connections,
            storage_full: Arc::default(),
            outage: Arc::default(),
            credentials: Arc::default(),
        };
        db.check_sqlite_settings().await?;
        Ok(db)
    }

    async fn connect_postgres(
        connect: PgConnectOptions,
        options: &ConnectOptions,
    ) -> Result<Db, StoreError> {
        // No ping on acquire (a round trip per statement): a connection the server dropped
        // fails its next statement, the request answers 503, and the pool replaces it.
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(false)
            .connect_with(connect)
            .await
            .map_err(|source| StoreError::Connect {
                backend: Backend::Postgres,
                source: source.into(),
            })?;
        Ok(Db {
            pools: Pools::Postgres(pool),
            max_connections: options.max_connections,
            storage_full: Arc::default(),
            outage: Arc::default(),
            credentials: Arc::default(),
        })
    }

    /// Refuses to run on a SQLite connection whose durability settings did not take (WAL is
    /// silently refused on some network filesystems, for instance).
    async fn check_sqlite_settings(&self) -> Result<(), StoreError> {
        let row = self
            .fetch_one(crate::query(
                "SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode, \
                        (SELECT synchronous FROM pragma_synchronous) AS synchronous, \
                        (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys, \
                        (SELECT timeout FROM pragma_busy_timeout) AS busy_timeout",
            ))
            .await?;
        let journal_mode: String = row.get("journal_mode")?;
        let synchronous: i64 = row.get("synchronous")?;
        let foreign_keys: i64 = row.get("foreign_keys")?;
        let busy_timeout: i64 = row.get("busy_timeout")?;
        let mut problems = Vec::new();
        if !journal_mode.eq_ignore_ascii_case("wal") {
            problems.push(format!("journal_mode is {journal_mode}, not wal"));
        }
        if synchronous != 2 {
            problems.push(format!("synchronous is {synchronous}, not 2 (FULL)"));
        }
        if foreign_keys != 1 {
            problems.push("foreign_keys is off".to_owned());
        }
        if busy_timeout <= 0 {
            problems.push("busy_timeout is not set".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::SqliteSettings(problems.join(", ")))
        }
    }

    /// A number that moves on each time this process commits a change to sign-in data
    /// (see [`Conn::credentials_changed`]). A cache of sign-ins keeps, with each entry, the
    /// number read *before* the entry's own read, and trusts the entry only while the number
    /// is the same. Changes made by other processes do not move it.
    pub fn credentials_generation(&self) -> u64 {
        self.credentials.load(Ordering::Acquire)
    }

    fn note_credentials_changed(&self) {
        self.credentials.fetch_add(1, Ordering::AcqRel);
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Answers whether the database is reachable right now (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.fetch_one(crate::query("SELECT 1 AS one"))
            .await
            .map(|_| ())
    }

    /// Answers whether a write can be stored right now. After a write failed for want of
    /// space it proves recovery with a write of its own (a no-op update of the instance
    /// row), so `/readyz` says "not ready" while the disk is full and "ready" once space
    /// is back, without a restart.
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        if !self.storage_full.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        tx.execute(crate::query(
            "UPDATE pursuit_instance SET singleton = singleton",
        ))
        .await?;
        tx.commit().await?;
        self.storage_full.store(false, Ordering::Release);
        Ok(())
    }

    /// Records what a result says about the storage (see [`Db::check_writable`]).
    fn note<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        note(&self.storage_full, result)
    }

    /// Brings the query planner's statistics up to date where they are missing or stale
    /// (SQLite's `PRAGMA optimize`, bounded by `analysis_limit`): without them SQLite walks
    /// every tag a user has to find one application's tags. Cheap when nothing changed; run
    /// at startup and by the daily sweep. PostgreSQL's autovacuum keeps its own.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if let Pools::Sqlite { pool, .. } = &self.pools {
            pool.acquire()
                .await?
                .batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;".to_owned())
                .await?;
        }
        Ok(())
    }

    /// Gathers fresh statistics on `tables` now, on both backends: after a bulk write (an
    /// import) the planner would otherwise plan for the empty tables it last saw, until
    /// PostgreSQL's autoanalyze or SQLite's next `optimize` runs.
    pub async fn analyze(&self, tables: &[&'static str]) -> Result<(), StoreError> {
        for table in tables {
            self.execute(Query::dynamic(format!("ANALYZE {table}")))
                .await?;
        }
        Ok(())
    }

    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = match &self.pools {
            Pools::Sqlite { pool, .. } => (pool.size(), pool.idle()),
            Pools::Postgres(pool) => (
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            ),
        };
        PoolStats {
            size,
            idle,
            max: self.max_connections,
        }
    }

    /// Closes every connection; SQLite checkpoints its WAL on the last close.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { pool, .. } => pool.close().await,
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so a transaction never fails half-way with "database is locked"
    /// when it upgrades from reading to writing.
    ///
    /// Do not call `begin` while this task already holds a [`Tx`]: on SQLite the second
    /// call waits for the first to finish.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.guarded(self.begin_unguarded()).await
    }

    /// Runs `work` unless the database is known to be down (see [`Outage`]), and learns
    /// from its outcome whether it is.
    async fn guarded<T>(
        &self,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let outage = &self.outage;
        let result = if outage.down.load(Ordering::Acquire) {
            let since_probe = outage
                .started
                .elapsed()
                .saturating_sub(Duration::from_millis(
                    outage.probed_at_ms.load(Ordering::Acquire),
                ));
            // What a caller sees while the database is down: no connection to be had.
            let unavailable =
                || StoreError::Unavailable("the database did not answer just now".to_owned());
            if since_probe < PROBE_TIMEOUT || outage.probing.swap(true, Ordering::AcqRel) {
                return Err(unavailable());
            }
            let _probe = Probe(outage);
            // A probe waits a second, not the whole acquire timeout.
            tokio::time::timeout(PROBE_TIMEOUT, work)
                .await
                .unwrap_or_else(|_| Err(unavailable()))
        } else {
            work.await
        };
        let unavailable = matches!(&result, Err(error) if error.is_unavailable());
        // Any answer from the server, even a refused constraint, means it is up.
        outage.down.store(unavailable, Ordering::Release);
        result
    }

    /// Takes this process's write turn for statements that each commit by themselves (a
    /// write that is one statement needs no `BEGIN`/`COMMIT`): on SQLite the writer queues
    /// with the transactions instead of polling in SQLite's busy handler; on PostgreSQL it
    /// is the pool.
    pub async fn writer(&self) -> Result<Writer<'_>, StoreError> {
        let permit = match &self.pools {
            Pools::Sqlite { writer, .. } => Some(
                Arc::clone(writer)
                    .acquire_owned()
                    .await
                    .map_err(|_| StoreError::Unavailable("the database is closed".to_owned()))?,
            ),
            Pools::Postgres(_) => None,
        };
        Ok(Writer {
            db: self,
            _permit: permit,
        })
    }

    async fn begin_unguarded(&self) -> Result<Tx, StoreError> {
        match &self.pools {
            Pools::Sqlite { pool, writer } => {
                let permit = Arc::clone(writer)
                    .acquire_owned()
                    .await
                    .map_err(|_| StoreError::Unavailable("the database is closed".to_owned()))?;
                // `BEGIN IMMEDIATE` goes with the first statement (one hand-off less).
                let conn = pool.acquire().await?;
                Ok(Tx {
                    inner: TxInner::Sqlite(Some(SqliteTx { conn, begun: false })),
                    writer: Some(permit),
                    storage_full: Arc::clone(&self.storage_full),
                    credentials: Arc::clone(&self.credentials),
                    credentials_changed: false,
                    pending: Vec::new(),
                })
            }
            Pools::Postgres(pool) => Ok(Tx {
                inner: TxInner::Postgres(Some(self.note(pool.begin().await.map_err(Into::into))?)),
                writer: None,
                storage_full: Arc::clone(&self.storage_full),
                credentials: Arc::clone(&self.credentials),
                credentials_changed: false,
                pending: Vec::new(),
            }),
        }
    }

    pub async fn execute(&self, query: Query) -> Result<u64, StoreError> {
        query.refuse_nul()?;
        self.guarded(self.execute_unguarded(query)).await
    }

    async fn execute_unguarded(&self, query: Query) -> Result<u64, StoreError> {
        let affected = match &self.pools {
            Pools::Sqlite { pool, .. } => pool.query(query).await.map(|(_, changed)| changed),
            Pools::Postgres(pool) => bind_postgres(&query)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
                .map_err(Into::into),
        };
        self.note(affected)
    }

    pub async fn fetch_all(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        query.refuse_nul()?;
        // A statement that returns rows may write (`… RETURNING`), so a full disk is noted.
        let rows = self.guarded(self.fetch_all_unguarded(query)).await;
        self.note(rows)
    }

    async fn fetch_all_unguarded(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        let rows = match &self.pools {
            Pools::Sqlite { pool, .. } => {
                let (rows, _) = pool.query(query).await?;
                rows.into_iter().map(Row::sqlite).collect()
            }
            Pools::Postgres(pool) => bind_postgres(&query)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::postgres)
                .collect(),
        };
        Ok(rows)
    }

    pub async fn fetch_optional(&self, query: Query) -> Result<Option<Row>, StoreError> {
        query.refuse_nul()?;
        let row = self.guarded(self.fetch_optional_unguarded(query)).await;
        self.note(row)
    }

    async fn fetch_optional_unguarded(&self, query: Query) -> Result<Option<Row>, StoreError> {
        let row = match &self.pools {
            Pools::Sqlite { pool, .. } => {
                let (rows, _) = pool.query(query).await?;
                rows.into_iter().next().map(Row::sqlite)
            }
            Pools::Postgres(pool) => bind_postgres(&query)
                .fetch_optional(pool)
                .await?
                .map(Row::postgres),
        };
        Ok(row)
    }

    pub async fn fetch_one(&self, query: Query) -> Result<Row, StoreError> {
        self.fetch_optional(query)
            .await?
            .ok_or(StoreError::NotFound)
    }
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls it back, so an early return
/// with `?` never leaves a half-written row.
///
/// On SQLite the transaction is Pursuit's own (`BEGIN IMMEDIATE`, sent with the first
/// statement, then `COMMIT` / `ROLLBACK` on a pooled connection): when a `COMMIT` fails —
/// the disk is full — SQLite may already have rolled back, so a connection whose `COMMIT`
/// or `ROLLBACK` failed is closed instead of being lent out again (sqlx's `Transaction`
/// once returned such a connection to the pool, and every later write failed until a
/// restart). The pool itself refuses a connection still inside a transaction.
pub struct Tx {
    inner: TxInner,
    /// The SQLite write permit; released only once the transaction has ended (a dropped
    /// `Tx` hands it to the task that rolls back).
    writer: Option<OwnedSemaphorePermit>,
    storage_full: Arc<AtomicBool>,
    credentials: Arc<AtomicU64>,
    /// Sign-in data was written: [`Db::credentials_generation`] moves on after the commit.
    credentials_changed: bool,
    /// Statements [`Tx::defer`]red: they run first in the next hand-off (a statement, or
    /// the commit).
    pending: Vec<Query>,
}

enum TxInner {
    /// `None` once committed or rolled back.
    Sqlite(Option<SqliteTx>),
    Postgres(Option<sqlx::Transaction<'static, Postgres>>),
}

/// A SQLite transaction: its connection, and whether `BEGIN IMMEDIATE` has run (it runs
/// with the first statement; a transaction that ran none has nothing to end).
struct SqliteTx {
    conn: Lent,
    begun: bool,
}

impl SqliteTx {
    /// `query` after the deferred `pending`, in one hand-off: its rows and changed count.
    async fn query(
        &mut self,
        pending: Vec<Query>,
        query: Query,
    ) -> Result<(Vec<crate::sqlite::SqliteRow>, u64), StoreError> {
        let mut results = self.queries(pending, vec![query]).await?;
        Ok(results.pop().unwrap_or_default())
    }

    /// `queries` after the deferred `pending`, in one hand-off: the results of `queries`.
    async fn queries(
        &mut self,
        pending: Vec<Query>,
        queries: Vec<Query>,
    ) -> Result<Vec<(Vec<crate::sqlite::SqliteRow>, u64)>, StoreError> {
        let deferred = pending.len();
        let mut all = pending;
        all.extend(queries);
        let (opened, result) = self.conn.queries_opening(!self.begun, all).await;
        self.begun |= opened;
        result.map(|mut results| results.split_off(deferred))
    }
}

/// Sets `flag` when a result says the storage is full; only [`Db::check_writable`]'s own
/// write clears it.
fn note<T>(flag: &AtomicBool, result: Result<T, StoreError>) -> Result<T, StoreError> {
    if let Err(StoreError::StorageFull) = &result {
        flag.store(true, Ordering::Release);
    }
    result
}

impl Drop for Tx {
    fn drop(&mut self) {
        let TxInner::Sqlite(conn) = &mut self.inner else {
            // sqlx's PostgreSQL transaction rolls back on drop by itself.
            return;
        };
        if let Some(tx) = conn.take()
            && tx.begun
        {
            // The write turn is released once the rollback is done.
            tx.conn.roll_back_later(self.writer.take());
        }
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Commits. A commit that goes through does not clear the storage-full flag: one that
    /// wrote nothing (a claim that found no job) succeeds on a full disk too; only
    /// [`Db::check_writable`]'s own write proves there is space again.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let result = self.end(true).await;
        if self.credentials_changed {
            // After the commit, so that a sign-in read before it cannot be kept as current.
            self.credentials.fetch_add(1, Ordering::AcqRel);
        }
        note(&self.storage_full, result)
    }

    pub async fn rollback(mut self) -> Result<(), StoreError> {
        self.end(false).await
    }

    /// Commits (`true`) or rolls back the open transaction; afterwards `Drop` has nothing
    /// left to do.
    async fn end(&mut self, commit: bool) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        match &mut self.inner {
            TxInner::Sqlite(conn) => match conn.take() {
                Some(tx) if tx.begun || (commit && !pending.is_empty()) => {
                    let statement = if commit { "COMMIT" } else { "ROLLBACK" };
                    let pending = if commit { pending } else { Vec::new() };
                    end_sqlite(tx, pending, statement, self.writer.take()).await
                }
                // Nothing ran: nothing to end, and the connection goes back as it is.
                _ => Ok(()),
            },
            TxInner::Postgres(tx) => match tx.take() {
                Some(mut tx) if commit => {
                    run_postgres(&mut tx, pending).await?;
                    tx.commit().await.map_err(Into::into)
                }
                Some(tx) => tx.rollback().await.map_err(Into::into),
                None => Ok(()),
            },
        }
    }

    /// The open connection: a `Tx` is open from `begin` until `commit`/`rollback` take it.
    fn sqlite(conn: &mut Option<SqliteTx>) -> &mut SqliteTx {
        conn.as_mut()
            .unwrap_or_else(|| unreachable!("a transaction is used only while open"))
    }

    fn postgres<'a>(
        tx: &'a mut Option<sqlx::Transaction<'static, Postgres>>,
    ) -> &'a mut sqlx::PgConnection {
        tx.as_deref_mut()
            .unwrap_or_else(|| unreachable!("a transaction is used only while open"))
    }

    /// Queues `queries` to run at the start of this transaction's next hand-off to the
    /// database: its next statement, or its commit (on SQLite, in the same trip to the
    /// connection's thread). For writes whose outcome the caller knows without their rows:
    /// a failure of one of them is the error of the statement or commit that ran it.
    pub fn defer(&mut self, queries: Vec<Query>) -> Result<(), StoreError> {
        for query in &queries {
            query.refuse_nul()?;
        }
        self.pending.extend(queries);
        Ok(())
    }

    /// The open PostgreSQL connection once the deferred statements have run on it (each
    /// statement is its own round trip there anyway; SQLite sends them with the next one).
    async fn flushed<'a>(
        tx: &'a mut Option<sqlx::Transaction<'static, Postgres>>,
        pending: Vec<Query>,
    ) -> Result<&'a mut sqlx::PgConnection, StoreError> {
        let conn = Tx::postgres(tx);
        run_postgres(conn, pending).await?;
        Ok(conn)
    }

    pub async fn execute(&mut self, query: Query) -> Result<u64, StoreError> {
        query.refuse_nul()?;
        let pending = std::mem::take(&mut self.pending);
        let affected = match &mut self.inner {
            TxInner::Sqlite(conn) => Tx::sqlite(conn)
                .query(pending, query)
                .await
                .map(|(_, changed)| changed),
            TxInner::Postgres(tx) => {
                async {
                    let conn = Tx::flushed(tx, pending).await?;
                    Ok(bind_postgres(&query).execute(conn).await?.rows_affected())
                }
                .await
            }
        };
        note(&self.storage_full, affected)
    }

    pub async fn fetch_all(&mut self, query: Query) -> Result<Vec<Row>, StoreError> {
        query.refuse_nul()?;
        let pending = std::mem::take(&mut self.pending);
        let rows = match &mut self.inner {
            TxInner::Sqlite(conn) => Tx::sqlite(conn)
                .query(pending, query)
                .await
                .map(|(rows, _)| rows.into_iter().map(Row::sqlite).collect()),
            TxInner::Postgres(tx) => {
                async {
                    let conn = Tx::flushed(tx, pending).await?;
                    let rows = bind_postgres(&query).fetch_all(conn).await?;
                    Ok(rows.into_iter().map(Row::postgres).collect())
                }
                .await
            }
        };
        note(&self.storage_full, rows)
    }

    pub async fn fetch_optional(&mut self, query: Query) -> Result<Option<Row>, StoreError> {
        query.refuse_nul()?;
        let pending = std::mem::take(&mut self.pending);
        let row = match &mut self.inner {
            TxInner::Sqlite(conn) => Tx::sqlite(conn)
                .query(pending, query)
                .await
                .map(|(rows, _)| rows.into_iter().next().map(Row::sqlite)),
            TxInner::Postgres(tx) => {
                async {
                    let conn = Tx::flushed(tx, pending).await?;
                    let row = bind_postgres(&query).fetch_optional(conn).await?;
                    Ok(row.map(Row::postgres))
                }
                .await
            }
        };
        note(&self.storage_full, row)
    }

    pub async fn fetch_one(&mut self, query: Query) -> Result<Row, StoreError> {
        self.fetch_optional(query)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Runs `queries` one after the other (stopping at the first error) and returns each
    /// one's rows. On SQLite all of them go to the connection's thread in one hand-off: a
    /// write turn is not held across trips back to the runtime.
    pub async fn fetch_all_each(
        &mut self,
        queries: Vec<Query>,
    ) -> Result<Vec<Vec<Row>>, StoreError> {
        for query in &queries {
            query.refuse_nul()?;
        }
        let pending = std::mem::take(&mut self.pending);
        let rows = match &mut self.inner {
            TxInner::Sqlite(conn) => {
                Tx::sqlite(conn)
                    .queries(pending, queries)
                    .await
                    .map(|results| {
                        results
                            .into_iter()
                            .map(|(rows, _)| rows.into_iter().map(Row::sqlite).collect())
                            .collect()
                    })
            }
            TxInner::Postgres(tx) => {
                async {
                    let conn = Tx::flushed(tx, pending).await?;
                    let mut all = Vec::with_capacity(queries.len());
                    for query in queries {
                        let rows = bind_postgres(&query).fetch_all(&mut *conn).await?;
                        all.push(rows.into_iter().map(Row::postgres).collect());
                    }
                    Ok(all)
                }
                .await
            }
        };
        note(&self.storage_full, rows)
    }

    /// Runs a script of several statements with no parameters inside this transaction.
    pub(crate) async fn execute_script(&mut self, sql: &'static str) -> Result<(), StoreError> {
        if !self.pending.is_empty() {
            self.fetch_all_each(Vec::new()).await?;
        }
        match &mut self.inner {
            TxInner::Sqlite(conn) => {
                let tx = Tx::sqlite(conn);
                let script = if tx.begun {
                    sql.to_owned()
                } else {
                    format!("BEGIN IMMEDIATE;\n{sql}")
                };
                // A failed script leaves no doubt either way: the caller rolls back.
                tx.begun = true;
                tx.conn.batch(script).await
            }
            TxInner::Postgres(tx) => sqlx::raw_sql(sql)
                .execute(Tx::postgres(tx))
                .await
                .map(|_| ())
                .map_err(Into::into),
        }
    }
}

/// Runs deferred statements on a PostgreSQL connection, in order.
async fn run_postgres(
    conn: &mut sqlx::PgConnection,
    queries: Vec<Query>,
) -> Result<(), StoreError> {
    for query in queries {
        bind_postgres(&query).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Ends a SQLite transaction: runs what was deferred (`pending`, for a commit) and
/// `statement` (`COMMIT` or `ROLLBACK`) in one hand-off, and hands the write turn on from
/// the connection's thread as soon as the transaction has ended: the next writer does not
/// wait for this task to be scheduled again. If any of it fails, the connection is rolled
/// back as far as it still can be (before the turn is handed on) and closed rather than
/// returned to the pool: after a failed `COMMIT` (a full disk) SQLite may or may not still
/// be inside the transaction, and a pooled connection must never start in one.
async fn end_sqlite(
    mut tx: SqliteTx,
    pending: Vec<Query>,
    statement: &'static str,
    writer: Option<OwnedSemaphorePermit>,
) -> Result<(), StoreError> {
    let result = tx.conn.finish(!tx.begun, pending, statement, writer).await;
    if result.is_err() {
        tx.conn.discard();
    }
    result
}

impl Row {
    fn sqlite(row: sqlite::SqliteRow) -> Row {
        Row(RowInner::Sqlite(row))
    }

    fn postgres(row: sqlx::postgres::PgRow) -> Row {
        Row(RowInner::Postgres(row))
    }
}

/// Something queries run on: the pool ([`&Db`](Db)) or a transaction ([`&mut Tx`](Tx)).
/// Feature query functions take `impl Conn` so that one function serves both.
pub trait Conn: Send {
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send;
    fn fetch_all(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send;
    fn fetch_optional(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send;
    /// Says that sign-in data (a user, a session, an API token) was just written: on the
    /// pool [`Db::credentials_generation`] moves on at once, in a transaction once it commits.
    fn credentials_changed(&mut self);
    fn fetch_one(&mut self, query: Query) -> impl Future<Output = Result<Row, StoreError>> + Send {
        async move {
            self.fetch_optional(query)
                .await?
                .ok_or(StoreError::NotFound)
        }
    }
    /// Writes whose rows the caller does not need: a transaction queues them for its next
    /// hand-off ([`Tx::defer`]); elsewhere they run now.
    fn defer(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async move { self.fetch_all_each(queries).await.map(|_| ()) }
    }
    /// Runs `queries` one after the other (stopping at the first error) and returns each
    /// one's rows. A transaction on SQLite sends them to its connection in one hand-off.
    fn fetch_all_each(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<Vec<Vec<Row>>, StoreError>> + Send {
        async move {
            let mut all = Vec::with_capacity(queries.len());
            for query in queries {
                all.push(self.fetch_all(query).await?);
            }
            Ok(all)
        }
    }
}

/// Statements that each commit by themselves, run while holding the write turn (see
/// [`Db::writer`]).
pub struct Writer<'a> {
    db: &'a Db,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Conn for Writer<'_> {
    fn credentials_changed(&mut self) {
        self.db.note_credentials_changed();
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        self.db.execute(query)
    }
    fn fetch_all(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send {
        self.db.fetch_all(query)
    }
    fn fetch_optional(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send {
        self.db.fetch_optional(query)
    }
}

impl Conn for &Db {
    fn credentials_changed(&mut self) {
        self.note_credentials_changed();
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        Db::execute(self, query)
    }
    fn fetch_all(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send {
        Db::fetch_all(self, query)
    }
    fn fetch_optional(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send {
        Db::fetch_optional(self, query)
    }
}

impl Conn for &mut Tx {
    fn credentials_changed(&mut self) {
        self.credentials_changed = true;
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        Tx::execute(self, query)
    }
    fn defer(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        std::future::ready(Tx::defer(self, queries))
    }
    fn fetch_all_each(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<Vec<Vec<Row>>, StoreError>> + Send {
        Tx::fetch_all_each(self, queries)
    }
    fn fetch_all(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send {
        Tx::fetch_all(self, query)
    }
    fn fetch_optional(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send {
        Tx::fetch_optional(self, query)
    }
}

/// Lets a function that holds `mut conn: impl Conn` lend it to another query function.
impl<C: Conn> Conn for &mut C {
    fn credentials_changed(&mut self) {
        (**self).credentials_changed();
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        (**self).execute(query)
    }
    fn defer(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).defer(queries)
    }
    fn fetch_all_each(
        &mut self,
        queries: Vec<Query>,
    ) -> impl Future<Output = Result<Vec<Vec<Row>>, StoreError>> + Send {
        (**self).fetch_all_each(queries)
    }
    fn fetch_all(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>> + Send {
        (**self).fetch_all(query)
    }
    fn fetch_optional(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> + Send {
        (**self).fetch_optional(query)
    }
}
