//! Documents Pursuit wrote for a user. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{DocumentId, PostingId, ResumeVersionId, UserId};
use serde_json::Value;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct DocumentRow {
    pub id: DocumentId,
    /// `cv`.
    pub kind: String,
    pub posting_id: Option<PostingId>,
    pub resume_version_id: Option<ResumeVersionId>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub data: Value,
    pub report: Value,
    pub claims: Value,
    pub confirmations: Value,
    pub provider: String,
    pub model: String,
    pub cost_micros: i64,
    pub input_digest: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, kind, posting_id, resume_version_id, title, body, data, report, claims, \
     confirmations, provider, model, cost_micros, input_digest, created_at, updated_at";

fn from_row(row: &Row) -> Result<DocumentRow, StoreError> {
    Ok(DocumentRow {
        id: DocumentId(row.get("id")?),
        kind: row.get("kind")?,
        posting_id: row.get::<Option<uuid::Uuid>>("posting_id")?.map(PostingId),
        resume_version_id: row
            .get::<Option<uuid::Uuid>>("resume_version_id")?
            .map(ResumeVersionId),
        title: row.get("title")?,
        body: row.get("body")?,
        data: row.get("data")?,
        report: row.get("report")?,
        claims: row.get("claims")?,
        confirmations: row.get("confirmations")?,
        provider: row.get("provider")?,
        model: row.get("model")?,
        cost_micros: row.get("cost_micros")?,
        input_digest: row.get("input_digest")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The user's documents, newest first (at most `limit`), optionally for one posting.
pub async fn list(
    mut conn: impl Conn,
    user_id: UserId,
    posting: Option<PostingId>,
    limit: i64,
) -> Result<Vec<DocumentRow>, StoreError> {
    let q = match posting {
        None => Query::dynamic(format!(
            "SELECT {COLUMNS} FROM documents WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit),
        Some(posting) => Query::dynamic(format!(
            "SELECT {COLUMNS} FROM documents WHERE user_id = $1 AND posting_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(user_id)
        .bind(posting)
        .bind(limit),
    };
    conn.fetch_all(q).await?.iter().map(from_row).collect()
}

/// The user's documents made for the postings saved as this application, newest first.
pub async fn list_for_application(
    mut conn: impl Conn,
    user_id: UserId,
    application: pursuit_domain::ids::ApplicationId,
) -> Result<Vec<DocumentRow>, StoreError> {
    let columns: String = COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {columns} FROM documents d JOIN job_postings p ON p.id = d.posting_id \
                 WHERE d.user_id = $1 AND p.user_id = $1 AND p.application_id = $2 \
                 ORDER BY d.created_at DESC, d.id DESC LIMIT 50"
            ))
            .bind(user_id)
            .bind(application),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: DocumentId,
) -> Result<Option<DocumentRow>, StoreError> {
    let row = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM documents WHERE user_id = $1 AND id = $2"
            ))
            .bind(user_id)
            .bind(id),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Writes a document: inserted when its id is new, else its text, claims and confirmations
/// replaced (the owner's only).
pub async fn put(mut conn: impl Conn, user_id: UserId, d: &DocumentRow) -> Result<(), StoreError> {
    conn.execute(
        Query::dynamic(format!(
            "INSERT INTO documents (user_id, {COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, \
             data = excluded.data, claims = excluded.claims, confirmations = excluded.confirmations, \
             updated_at = excluded.updated_at WHERE documents.user_id = excluded.user_id"
        ))
        .bind(user_id)
        .bind(d.id)
        .bind(d.kind.as_str())
        .bind(d.posting_id)
        .bind(d.resume_version_id)
        .bind(d.title.as_str())
        .bind(d.body.as_str())
        .bind(d.data.clone())
        .bind(d.report.clone())
        .bind(d.claims.clone())
        .bind(d.confirmations.clone())
        .bind(d.provider.as_str())
        .bind(d.model.as_str())
        .bind(d.cost_micros)
        .bind(d.input_digest.as_str())
        .bind(d.created_at)
        .bind(d.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete(
    mut conn: impl Conn,
    user_id: UserId,
    id: DocumentId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM documents WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// What went out with an application (see migration 0026).
#[derive(Clone, Debug, PartialEq)]
pub struct MaterialsRow {
    pub application_id: pursuit_domain::ids::ApplicationId,
    pub resume_version_id: Option<ResumeVersionId>,
    pub cv_document_id: Option<DocumentId>,
    pub letter_document_id: Option<DocumentId>,
    pub updated_at: Timestamp,
}

pub async fn get_materials(
    mut conn: impl Conn,
    user_id: UserId,
    application: pursuit_domain::ids::ApplicationId,
) -> Result<Option<MaterialsRow>, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT application_id, resume_version_id, cv_document_id, letter_document_id, \
                 updated_at FROM application_materials WHERE user_id = $1 AND application_id = $2",
            )
            .bind(user_id)
            .bind(application),
        )
        .await?;
    row.map(|row| {
        Ok(MaterialsRow {
            application_id: pursuit_domain::ids::ApplicationId(row.get("application_id")?),
            resume_version_id: row
                .get::<Option<uuid::Uuid>>("resume_version_id")?
                .map(ResumeVersionId),
            cv_document_id: row
                .get::<Option<uuid::Uuid>>("cv_document_id")?
                .map(DocumentId),
            letter_document_id: row
                .get::<Option<uuid::Uuid>>("letter_document_id")?
                .map(DocumentId),
            updated_at: row.get("updated_at")?,
        })
    })
    .transpose()
}

/// Records what went out with one of the user's applications (the caller has checked that
/// the application and every id are the user's).
pub async fn put_materials(
    mut conn: impl Conn,
    user_id: UserId,
    m: &MaterialsRow,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO application_materials (application_id, user_id, resume_version_id, \
             cv_document_id, letter_document_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (application_id) DO UPDATE SET resume_version_id = excluded.resume_version_id, \
             cv_document_id = excluded.cv_document_id, letter_document_id = excluded.letter_document_id, \
             updated_at = excluded.updated_at WHERE application_materials.user_id = excluded.user_id",
        )
        .bind(m.application_id)
        .bind(user_id)
        .bind(m.resume_version_id)
        .bind(m.cv_document_id)
        .bind(m.letter_document_id)
        .bind(m.updated_at),
    )
    .await?;
    Ok(())
}
