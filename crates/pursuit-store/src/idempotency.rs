//! Stored first responses of idempotent requests, per user and key.

use jiff::Timestamp;
use pursuit_domain::ids::UserId;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;

/// A response recorded for a key: which request made it, and what it answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub request_hash: String,
    pub status: i64,
    pub response: serde_json::Value,
}

pub async fn find(
    mut conn: impl Conn,
    user_id: UserId,
    key: &str,
) -> Result<Option<Recorded>, StoreError> {
    let Some(row) = conn
        .fetch_optional(
            query("SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2")
                .bind(user_id)
                .bind(key),
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Recorded {
        request_hash: row.get("request_hash")?,
        status: row.get("status")?,
        response: row.get("response")?,
    }))
}

/// Records the response; a concurrent request with the same key that got here first makes
/// this a [`StoreError::UniqueViolation`].
pub async fn record(
    mut conn: impl Conn,
    user_id: UserId,
    key: &str,
    recorded: &Recorded,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(key)
        .bind(recorded.request_hash.as_str())
        .bind(recorded.status)
        .bind(recorded.response.clone())
        .bind(now),
    )
    .await?;
    Ok(())
}
