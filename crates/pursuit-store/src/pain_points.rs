//! Pain-point maps, versioned per posting. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{PainPointMapId, PostingId, ResumeVersionId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct PainPointMap {
    pub id: PainPointMapId,
    pub posting_id: PostingId,
    pub resume_version_id: ResumeVersionId,
    pub version_no: i64,
    /// A digest of the posting and resume content the map was made from.
    pub input_hash: String,
    /// The challenge/solution pairs (JSON array).
    pub pairs: serde_json::Value,
    pub created_at: Timestamp,
}

const COLUMNS: &str =
    "id, posting_id, resume_version_id, version_no, input_hash, pairs, created_at";

fn from_row(row: &Row) -> Result<PainPointMap, StoreError> {
    Ok(PainPointMap {
        id: PainPointMapId(row.get("id")?),
        posting_id: PostingId(row.get("posting_id")?),
        resume_version_id: ResumeVersionId(row.get("resume_version_id")?),
        version_no: row.get("version_no")?,
        input_hash: row.get("input_hash")?,
        pairs: row.get("pairs")?,
        created_at: row.get("created_at")?,
    })
}

/// The maps of one posting, newest first.
pub async fn list_maps(
    mut conn: impl Conn,
    user_id: UserId,
    posting_id: PostingId,
) -> Result<Vec<PainPointMap>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM pain_point_maps WHERE user_id = $1 AND posting_id = $2 \
             ORDER BY version_no DESC"
        ))
        .bind(user_id)
        .bind(posting_id),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The map made from exactly these inputs, if there is one.
pub async fn find_map(
    mut conn: impl Conn,
    user_id: UserId,
    posting_id: PostingId,
    input_hash: &str,
) -> Result<Option<PainPointMap>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM pain_point_maps WHERE user_id = $1 AND posting_id = $2 \
             AND input_hash = $3 ORDER BY version_no DESC LIMIT 1"
        ))
        .bind(user_id)
        .bind(posting_id)
        .bind(input_hash),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Stores a new version of the posting's map (numbered after the last one) and returns it.
/// Call inside a transaction: touching the posting row first makes concurrent generations
/// take turns.
pub async fn insert_map(
    mut conn: impl Conn,
    user_id: UserId,
    posting_id: PostingId,
    resume_version_id: ResumeVersionId,
    input_hash: &str,
    pairs: serde_json::Value,
    now: Timestamp,
) -> Result<PainPointMap, StoreError> {
    conn.execute(
        query("UPDATE job_postings SET updated_at = updated_at WHERE id = $1 AND user_id = $2")
            .bind(posting_id)
            .bind(user_id),
    )
    .await?;
    let next: i64 = conn
        .fetch_one(
            query(
                "SELECT COALESCE(MAX(version_no), 0) + 1 AS next FROM pain_point_maps \
                 WHERE posting_id = $1",
            )
            .bind(posting_id),
        )
        .await?
        .get("next")?;
    let map = PainPointMap {
        id: PainPointMapId::new(),
        posting_id,
        resume_version_id,
        version_no: next,
        input_hash: input_hash.to_owned(),
        pairs,
        // As stored (microseconds), so what is returned now reads back the same later.
        created_at: Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now),
    };
    conn.execute(
        query(
            "INSERT INTO pain_point_maps (id, user_id, posting_id, resume_version_id, version_no, \
             input_hash, pairs, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(map.id)
        .bind(user_id)
        .bind(posting_id)
        .bind(resume_version_id)
        .bind(map.version_no)
        .bind(map.input_hash.as_str())
        .bind(map.pairs.clone())
        .bind(map.created_at),
    )
    .await?;
    Ok(map)
}
