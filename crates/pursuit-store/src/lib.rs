//! Pursuit's storage layer: one [`Db`] type over SQLite (the embedded default) and PostgreSQL
//! (hosted, multi-user), so that every feature writes its SQL once.
//!
//! # Layout
//! - [`db`]: [`Db`] (a pool per backend behind one type), [`Tx`] (a write transaction) and the
//!   connection settings each backend needs (WAL, `synchronous=FULL`, `BEGIN IMMEDIATE`).
//! - `sqlite`: the SQLite backend (a pool of `rusqlite` connections; each statement runs
//!   whole on a blocking thread and returns all its rows at once).
//! - [`sql`]: [`Query`] (portable `$N` SQL plus typed [`Value`]s) and [`Row`] (typed getters
//!   that decode the same logical type from each backend's native column type).
//! - [`migrate`]: migrations embedded in the binary, one file per backend per version.
//! - [`schema`]: reads the live schema back, so a test can prove the backends never drift.
//! - [`secret`]: random secrets and their stored hashes.
//! - feature query modules: [`accounts`], [`activities`], [`analytics`], [`applications`], [`audit`], [`delivery`], [`imports`], [`reminders`], [`views`]; each function takes the user id of the
//!   rows it touches.
//! - [`jobs`]: the durable job queue's state moves (enqueue, claim, complete, fail, rescue).
//!
//! # Portability rules (the invariants feature code relies on)
//! - Placeholders are `$1, $2, …` on both backends; SQLite reads `$N` as "argument N".
//! - Identifiers are UUIDs: `uuid` on PostgreSQL, hyphenated `TEXT` on SQLite.
//! - Instants are [`jiff::Timestamp`] truncated to microseconds: `timestamptz` on PostgreSQL,
//!   fixed-width RFC 3339 `TEXT` in UTC on SQLite (so text order is time order).
//! - JSON documents are `jsonb` on PostgreSQL and `TEXT` on SQLite.
//! - Booleans are `boolean` on PostgreSQL and `INTEGER` 0/1 on SQLite.

pub mod accounts;
pub mod activities;
pub mod ai;
pub mod analytics;
pub mod applications;
pub mod audit;
pub mod companies;
pub mod contacts;
pub mod conversations;
pub mod db;
pub mod delivery;
pub mod discovery;
pub mod documents;
pub mod embeddings;
mod error;
pub mod feedback;
pub mod idempotency;
pub mod imports;
pub mod jobs;
pub mod migrate;
pub mod offers;
pub mod optimizations;
pub mod outreach;
pub mod pain_points;
pub mod postings;
pub mod preferences;
pub mod profiles;
pub mod reminders;
pub mod replies;
pub mod resumes;
pub mod schema;
pub mod secret;
pub mod sequences;
pub mod sql;
mod sqlite;
pub mod views;
pub mod warmup;

pub use db::{Backend, Conn, ConnectOptions, Db, PoolStats, Tx};

/// What a versioned write (update or delete guarded by the version the caller read) found.
#[derive(Debug)]
pub enum Versioned<T, S = T> {
    Done(T),
    /// The row is at another version: here it is, for the client to reconcile.
    Stale(Box<S>),
    Missing,
}

impl<T, S> Versioned<T, S> {
    /// The answer when a guarded write changed nothing: the row as it is now, or gone.
    pub fn stale_or_missing(current: Option<S>) -> Versioned<T, S> {
        match current {
            Some(current) => Versioned::Stale(Box::new(current)),
            None => Versioned::Missing,
        }
    }
}

/// Deletes the user's row `id` of `table` if it is still at `expected_version`; true when it
/// did (the versioned deletes of applications, activities and reminders).
pub(crate) async fn delete_at_version(
    conn: &mut impl Conn,
    table: &'static str,
    user_id: pursuit_domain::ids::UserId,
    id: impl Into<Value>,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let deleted = conn
        .execute(
            Query::dynamic(format!(
                "DELETE FROM {table} WHERE id = $1 AND user_id = $2 AND version = $3"
            ))
            .bind(id.into())
            .bind(user_id)
            .bind(expected_version),
        )
        .await?;
    Ok(deleted == 1)
}
pub use error::StoreError;
pub use sql::{Decode, Query, Row, Value, as_stored, query};
