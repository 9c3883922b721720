//! Beta feedback (migration 0037): survey responses, and what the operator's summary reads.

use jiff::Timestamp;
use pursuit_domain::ids::{FeedbackId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;

#[derive(Clone, Debug, PartialEq)]
pub struct FeedbackRow {
    pub id: FeedbackId,
    pub user_id: Option<UserId>,
    /// The whole response, a JSON object as text.
    pub answers: String,
    pub would_pay_at_499: bool,
    pub suggested_price: Option<f64>,
    pub created_at: Timestamp,
}

pub async fn insert_feedback(mut conn: impl Conn, f: &FeedbackRow) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO beta_feedback (id, user_id, answers, would_pay_at_499, suggested_price, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(f.id)
        .bind(f.user_id)
        .bind(f.answers.as_str())
        .bind(f.would_pay_at_499)
        .bind(f.suggested_price)
        .bind(f.created_at),
    )
    .await?;
    Ok(())
}

/// How many responses a user sent since `since`.
pub async fn count_since(
    mut conn: impl Conn,
    user_id: UserId,
    since: Timestamp,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query("SELECT COUNT(*) AS n FROM beta_feedback WHERE user_id = $1 AND created_at >= $2")
            .bind(user_id)
            .bind(since),
    )
    .await?
    .get("n")
}

/// Every response, newest first (at most `limit`).
pub async fn all_feedback(mut conn: impl Conn, limit: i64) -> Result<Vec<FeedbackRow>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT id, user_id, answers, would_pay_at_499, suggested_price, created_at \
                 FROM beta_feedback ORDER BY created_at DESC, id DESC LIMIT $1",
            )
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(FeedbackRow {
                id: FeedbackId(r.get("id")?),
                user_id: r.get::<Option<uuid::Uuid>>("user_id")?.map(UserId),
                answers: r.get("answers")?,
                would_pay_at_499: r.get("would_pay_at_499")?,
                suggested_price: r.get("suggested_price")?,
                created_at: r.get("created_at")?,
            })
        })
        .collect()
}
