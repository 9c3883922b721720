//! [`Db`]: the one handle every feature uses, whichever backend is behind it.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::StoreError;
use crate::sql::{Query, Row, RowInner, bind_postgres, bind_sqlite};

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
}

#[derive(Clone)]
enum Pools {
    Sqlite {
        pool: SqlitePool,
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
            let connect =
                SqliteConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
                    backend: Backend::Sqlite,
                    source,
                })?;
            Db::connect_sqlite(connect, options).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect =
                PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
                    backend: Backend::Postgres,
                    source,
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
        Db::connect_sqlite(SqliteConnectOptions::new().filename(path), options).await
    }

    async fn connect_sqlite(
        connect: SqliteConnectOptions,
        options: &ConnectOptions,
    ) -> Result<Db, StoreError> {
        let connect = connect
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(options.busy_timeout);
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(|source| StoreError::Connect {
                backend: Backend::Sqlite,
                source,
            })?;
        let db = Db {
            pools: Pools::Sqlite {
                pool,
                writer: Arc::new(Semaphore::new(1)),
            },
            max_connections: options.max_connections,
        };
        db.check_sqlite_settings().await?;
        Ok(db)
    }

    async fn connect_postgres(
        connect: PgConnectOptions,
        options: &ConnectOptions,
    ) -> Result<Db, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(|source| StoreError::Connect {
                backend: Backend::Postgres,
                source,
            })?;
        Ok(Db {
            pools: Pools::Postgres(pool),
            max_connections: options.max_connections,
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

    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = match &self.pools {
            Pools::Sqlite { pool, .. } => (pool.size(), pool.num_idle()),
            Pools::Postgres(pool) => (pool.size(), pool.num_idle()),
        };
        PoolStats {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
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
        match &self.pools {
            Pools::Sqlite { pool, writer } => {
                let permit = Arc::clone(writer)
                    .acquire_owned()
                    .await
                    .map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Tx {
                    inner: TxInner::Sqlite(tx),
                    _writer: Some(permit),
                })
            }
            Pools::Postgres(pool) => Ok(Tx {
                inner: TxInner::Postgres(pool.begin().await?),
                _writer: None,
            }),
        }
    }

    pub async fn execute(&self, query: Query) -> Result<u64, StoreError> {
        let affected = match &self.pools {
            Pools::Sqlite { pool, .. } => bind_sqlite(&query).execute(pool).await?.rows_affected(),
            Pools::Postgres(pool) => bind_postgres(&query).execute(pool).await?.rows_affected(),
        };
        Ok(affected)
    }

    pub async fn fetch_all(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        let rows = match &self.pools {
            Pools::Sqlite { pool, .. } => bind_sqlite(&query)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(Row::sqlite)
                .collect(),
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
        let row = match &self.pools {
            Pools::Sqlite { pool, .. } => bind_sqlite(&query)
                .fetch_optional(pool)
                .await?
                .map(Row::sqlite),
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
pub struct Tx {
    // Field order matters: the transaction is dropped (rolled back) before the permit that
    // lets the next SQLite writer in.
    inner: TxInner,
    _writer: Option<OwnedSemaphorePermit>,
}

enum TxInner {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.rollback().await?,
            TxInner::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    pub async fn execute(&mut self, query: Query) -> Result<u64, StoreError> {
        let affected = match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite(&query)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            TxInner::Postgres(tx) => bind_postgres(&query)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        };
        Ok(affected)
    }

    pub async fn fetch_all(&mut self, query: Query) -> Result<Vec<Row>, StoreError> {
        let rows = match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite(&query)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::sqlite)
                .collect(),
            TxInner::Postgres(tx) => bind_postgres(&query)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(Row::postgres)
                .collect(),
        };
        Ok(rows)
    }

    pub async fn fetch_optional(&mut self, query: Query) -> Result<Option<Row>, StoreError> {
        let row = match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite(&query)
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::sqlite),
            TxInner::Postgres(tx) => bind_postgres(&query)
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::postgres),
        };
        Ok(row)
    }

    pub async fn fetch_one(&mut self, query: Query) -> Result<Row, StoreError> {
        self.fetch_optional(query)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Runs a script of several statements with no parameters inside this transaction.
    pub(crate) async fn execute_script(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(|_| ()),
            TxInner::Postgres(tx) => sqlx::raw_sql(sql).execute(&mut **tx).await.map(|_| ()),
        }
    }
}

impl Row {
    fn sqlite(row: sqlx::sqlite::SqliteRow) -> Row {
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
    fn fetch_one(&mut self, query: Query) -> impl Future<Output = Result<Row, StoreError>> + Send {
        async move {
            self.fetch_optional(query)
                .await?
                .ok_or(StoreError::NotFound)
        }
    }
}

impl Conn for &Db {
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
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        Tx::execute(self, query)
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
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64, StoreError>> + Send {
        (**self).execute(query)
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
