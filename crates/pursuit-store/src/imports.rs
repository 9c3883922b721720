//! CSV imports kept between preview and confirmation. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{ImportId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub id: ImportId,
    pub filename: Option<String>,
    /// The file as decoded text.
    pub content: String,
    /// How to read it (date order, column overrides), as the API validated them.
    pub options: serde_json::Value,
    pub committed: bool,
    /// What the confirmation did; set once with `committed`.
    pub result: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub committed_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, filename, content, options, status, result, created_at, committed_at";

fn from_row(row: &Row) -> Result<Import, StoreError> {
    let status: String = row.get("status")?;
    Ok(Import {
        id: ImportId(row.get("id")?),
        filename: row.get("filename")?,
        content: row.get("content")?,
        options: row.get("options")?,
        committed: status == "committed",
        result: row.get("result")?,
        created_at: row.get("created_at")?,
        committed_at: row.get("committed_at")?,
    })
}

pub async fn insert_import(
    mut conn: impl Conn,
    user_id: UserId,
    import: &Import,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO imports (id, user_id, filename, content, options, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'previewed', $6)",
        )
        .bind(import.id)
        .bind(user_id)
        .bind(import.filename.clone())
        .bind(import.content.as_str())
        .bind(import.options.clone())
        .bind(import.created_at),
    )
    .await?;
    Ok(())
}

pub async fn get_import(
    mut conn: impl Conn,
    user_id: UserId,
    id: ImportId,
) -> Result<Option<Import>, StoreError> {
    conn.fetch_optional(
        crate::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM imports WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Claims a previewed import for confirmation: true for the one caller that moves it to
/// `committed`, false if it was committed already (or is gone). Run it first in the
/// transaction that writes the rows and then [`record_result`].
pub async fn claim_for_commit(
    mut conn: impl Conn,
    user_id: UserId,
    id: ImportId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE imports SET status = 'committed', committed_at = $3 \
                 WHERE id = $1 AND user_id = $2 AND status = 'previewed'",
            )
            .bind(id)
            .bind(user_id)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn record_result(
    mut conn: impl Conn,
    user_id: UserId,
    id: ImportId,
    result: serde_json::Value,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE imports SET result = $3 WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .bind(result),
    )
    .await?;
    Ok(())
}

/// Deletes an import (its preview or its record; the applications it created stay).
pub async fn delete_import(
    mut conn: impl Conn,
    user_id: UserId,
    id: ImportId,
) -> Result<bool, StoreError> {
    let deleted = conn
        .execute(
            query("DELETE FROM imports WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id),
        )
        .await?;
    Ok(deleted == 1)
}

/// (lower-case company, lower-case role, application date) of every application the user
/// has: what an import compares its rows with to skip ones already tracked.
/// What identifies an application already tracked, for spotting a row that repeats it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tracked {
    pub company: String,
    pub role_title: String,
    pub application_date: jiff::civil::Date,
    pub job_url: Option<String>,
}

/// Every application of the user as [`Tracked`].
pub async fn tracked(mut conn: impl Conn, user_id: UserId) -> Result<Vec<Tracked>, StoreError> {
    conn.fetch_all(
        query(
            "SELECT company, role_title, application_date, job_url FROM applications \
             WHERE user_id = $1",
        )
        .bind(user_id),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(Tracked {
            company: row.get("company")?,
            role_title: row.get("role_title")?,
            application_date: row.get("application_date")?,
            job_url: row.get("job_url")?,
        })
    })
    .collect()
}
