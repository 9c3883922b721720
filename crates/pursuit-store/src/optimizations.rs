//! Optimization reports (migration 0027). Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{DocumentId, OptimizationId, PostingId, ResumeVersionId, UserId};
use serde_json::Value;

use crate::db::Conn;
use crate::error::StoreError;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct OptimizationRow {
    pub id: OptimizationId,
    pub posting_id: Option<PostingId>,
    pub resume_version_id: Option<ResumeVersionId>,
    pub document_id: Option<DocumentId>,
    pub refined_from: Option<OptimizationId>,
    pub score: i64,
    pub score_after: i64,
    pub report: Value,
    pub preview_md: String,
    pub change_log: Value,
    pub resume_lang: Option<String>,
    pub jd_lang: Option<String>,
    pub desired_output_lang: String,
    pub instructions: Option<String>,
    pub provider: String,
    pub model: String,
    pub cost_micros: i64,
    pub input_digest: String,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "id, posting_id, resume_version_id, document_id, refined_from, score, \
     score_after, report, preview_md, change_log, resume_lang, jd_lang, desired_output_lang, \
     instructions, provider, model, cost_micros, input_digest, created_at";

fn from_row(row: &Row) -> Result<OptimizationRow, StoreError> {
    Ok(OptimizationRow {
        id: OptimizationId(row.get("id")?),
        posting_id: row.get::<Option<uuid::Uuid>>("posting_id")?.map(PostingId),
        resume_version_id: row
            .get::<Option<uuid::Uuid>>("resume_version_id")?
            .map(ResumeVersionId),
        document_id: row
            .get::<Option<uuid::Uuid>>("document_id")?
            .map(DocumentId),
        refined_from: row
            .get::<Option<uuid::Uuid>>("refined_from")?
            .map(OptimizationId),
        score: row.get("score")?,
        score_after: row.get("score_after")?,
        report: row.get("report")?,
        preview_md: row.get("preview_md")?,
        change_log: row.get("change_log")?,
        resume_lang: row.get("resume_lang")?,
        jd_lang: row.get("jd_lang")?,
        desired_output_lang: row.get("desired_output_lang")?,
        instructions: row.get("instructions")?,
        provider: row.get("provider")?,
        model: row.get("model")?,
        cost_micros: row.get("cost_micros")?,
        input_digest: row.get("input_digest")?,
        created_at: row.get("created_at")?,
    })
}

pub async fn insert(
    mut conn: impl Conn,
    user_id: UserId,
    o: &OptimizationRow,
) -> Result<(), StoreError> {
    conn.execute(
        Query::dynamic(format!(
            "INSERT INTO optimizations (user_id, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
        ))
        .bind(user_id)
        .bind(o.id)
        .bind(o.posting_id)
        .bind(o.resume_version_id)
        .bind(o.document_id)
        .bind(o.refined_from)
        .bind(o.score)
        .bind(o.score_after)
        .bind(o.report.clone())
        .bind(o.preview_md.as_str())
        .bind(o.change_log.clone())
        .bind(o.resume_lang.as_deref())
        .bind(o.jd_lang.as_deref())
        .bind(o.desired_output_lang.as_str())
        .bind(o.instructions.as_deref())
        .bind(o.provider.as_str())
        .bind(o.model.as_str())
        .bind(o.cost_micros)
        .bind(o.input_digest.as_str())
        .bind(o.created_at),
    )
    .await?;
    Ok(())
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: OptimizationId,
) -> Result<Option<OptimizationRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM optimizations WHERE user_id = $1 AND id = $2"
            ))
            .bind(user_id)
            .bind(id),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The newest result made from these inputs whose CV still exists (the cache).
pub async fn find_by_digest(
    mut conn: impl Conn,
    user_id: UserId,
    digest: &str,
) -> Result<Option<OptimizationRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM optimizations WHERE user_id = $1 AND input_digest = $2 \
                 AND document_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1"
            ))
            .bind(user_id)
            .bind(digest),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The result made from (or refined into) one of the user's documents.
pub async fn for_document(
    mut conn: impl Conn,
    user_id: UserId,
    document: DocumentId,
) -> Result<Option<OptimizationRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM optimizations WHERE user_id = $1 AND document_id = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT 1"
            ))
            .bind(user_id)
            .bind(document),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The user's results, newest first (at most `limit`), optionally for one posting.
pub async fn list(
    mut conn: impl Conn,
    user_id: UserId,
    posting: Option<PostingId>,
    limit: i64,
) -> Result<Vec<OptimizationRow>, StoreError> {
    let q = match posting {
        None => Query::dynamic(format!(
            "SELECT {COLUMNS} FROM optimizations WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit),
        Some(posting) => Query::dynamic(format!(
            "SELECT {COLUMNS} FROM optimizations WHERE user_id = $1 AND posting_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(user_id)
        .bind(posting)
        .bind(limit),
    };
    conn.fetch_all(q).await?.iter().map(from_row).collect()
}
