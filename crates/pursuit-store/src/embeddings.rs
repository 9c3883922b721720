//! Stored chunks of a user's documents and their vectors, per representation (seed 004's
//! per-user vector store). Vectors are opaque bytes here; `pursuit_text::embed::Vector`
//! writes and reads them. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{PostingId, ResumeVersionId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::sql::{Query, Row, Value};

/// The document a chunk was cut from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Posting(PostingId),
    ResumeVersion(ResumeVersionId),
}

impl Source {
    fn column(self) -> &'static str {
        match self {
            Source::Posting(_) => "posting_id",
            Source::ResumeVersion(_) => "resume_version_id",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Source::Posting(_) => "job_postings",
            Source::ResumeVersion(_) => "resume_versions",
        }
    }

    fn id(self) -> Value {
        match self {
            Source::Posting(id) => id.into(),
            Source::ResumeVersion(id) => id.into(),
        }
    }
}

/// A chunk to store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewChunk {
    pub index: i64,
    /// Byte offsets in the document's text.
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub vector: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredChunk {
    pub source: Source,
    /// The digest of the text the chunk was cut from.
    pub content_hash: String,
    pub index: i64,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub vector: Vec<u8>,
}

/// A chunk's place and vector without its text: what a search across many reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ChunkVector {
    pub source: Source,
    pub index: i64,
    pub vector: Vec<u8>,
}

const COLUMNS: &str = "posting_id, resume_version_id, content_hash, chunk_index, start_byte, \
                       end_byte, text, vector";

fn source_of(row: &Row) -> Result<Source, StoreError> {
    let posting: Option<uuid::Uuid> = row.get("posting_id")?;
    let version: Option<uuid::Uuid> = row.get("resume_version_id")?;
    match (posting, version) {
        (Some(id), _) => Ok(Source::Posting(PostingId(id))),
        (None, Some(id)) => Ok(Source::ResumeVersion(ResumeVersionId(id))),
        (None, None) => Err(StoreError::Decode {
            column: "posting_id".into(),
            message: "an embedding chunk without a document".into(),
        }),
    }
}

fn from_row(row: &Row) -> Result<StoredChunk, StoreError> {
    Ok(StoredChunk {
        source: source_of(row)?,
        content_hash: row.get("content_hash")?,
        index: row.get("chunk_index")?,
        start: row.get("start_byte")?,
        end: row.get("end_byte")?,
        text: row.get("text")?,
        vector: row.get("vector")?,
    })
}

/// The chunks of one document made with `representation`, in order.
pub async fn chunks_of(
    mut conn: impl Conn,
    user_id: UserId,
    source: Source,
    representation: &str,
) -> Result<Vec<StoredChunk>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM embedding_chunks WHERE user_id = $1 AND {} = $2 \
             AND representation = $3 ORDER BY chunk_index",
            source.column()
        ))
        .bind(user_id)
        .bind(source.id())
        .bind(representation),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Touches the document's row, so transactions that write its chunks take turns; false
/// when it is not the user's or is gone.
async fn lock_row(
    mut conn: impl Conn,
    user_id: UserId,
    source: Source,
) -> Result<bool, StoreError> {
    let touched = conn
        .execute(
            Query::dynamic(format!(
                "UPDATE {} SET updated_at = updated_at WHERE id = $1 AND user_id = $2",
                source.table()
            ))
            .bind(source.id())
            .bind(user_id),
        )
        .await?;
    Ok(touched > 0)
}

/// The document's text as it is now (`raw_text`), its row locked for the rest of the
/// transaction; `None` when it is not the user's or is gone.
pub async fn current_text(
    mut conn: impl Conn,
    user_id: UserId,
    source: Source,
) -> Result<Option<String>, StoreError> {
    if !lock_row(&mut conn, user_id, source).await? {
        return Ok(None);
    }
    let row = conn
        .fetch_one(
            Query::dynamic(format!(
                "SELECT raw_text FROM {} WHERE id = $1 AND user_id = $2",
                source.table()
            ))
            .bind(source.id())
            .bind(user_id),
        )
        .await?;
    let text: Option<String> = row.get("raw_text")?;
    Ok(Some(text.unwrap_or_default()))
}

/// Replaces the document's chunks of `representation` with `chunks` (cut from the text
/// whose digest is `content_hash`). Call inside a transaction, so a search never sees half:
/// touching the document's row first makes concurrent replacements take turns.
#[allow(clippy::too_many_arguments)]
pub async fn replace_chunks(
    mut conn: impl Conn,
    user_id: UserId,
    source: Source,
    representation: &str,
    content_hash: &str,
    lang: Option<&str>,
    chunks: &[NewChunk],
    now: Timestamp,
) -> Result<(), StoreError> {
    if !lock_row(&mut conn, user_id, source).await? {
        return Err(StoreError::NotFound);
    }
    conn.execute(
        Query::dynamic(format!(
            "DELETE FROM embedding_chunks WHERE user_id = $1 AND {} = $2 AND representation = $3",
            source.column()
        ))
        .bind(user_id)
        .bind(source.id())
        .bind(representation),
    )
    .await?;
    let (posting, version) = match source {
        Source::Posting(id) => (Some(id), None),
        Source::ResumeVersion(id) => (None, Some(id)),
    };
    for chunk in chunks {
        conn.execute(
            crate::query(
                "INSERT INTO embedding_chunks (id, user_id, posting_id, resume_version_id, \
                 representation, content_hash, chunk_index, start_byte, end_byte, lang, text, \
                 vector, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(uuid::Uuid::now_v7())
            .bind(user_id)
            .bind(posting)
            .bind(version)
            .bind(representation)
            .bind(content_hash)
            .bind(chunk.index)
            .bind(chunk.start)
            .bind(chunk.end)
            .bind(lang)
            .bind(chunk.text.as_str())
            .bind(chunk.vector.clone())
            .bind(now),
        )
        .await?;
    }
    Ok(())
}

/// The vectors of all the user's chunks of `representation` (at most `limit`), without
/// their texts: a search across their documents scores these, then reads the texts of the
/// few it keeps ([`chunks_of`]).
pub async fn user_vectors(
    mut conn: impl Conn,
    user_id: UserId,
    representation: &str,
    limit: i64,
) -> Result<Vec<ChunkVector>, StoreError> {
    conn.fetch_all(
        crate::query(
            "SELECT posting_id, resume_version_id, chunk_index, vector FROM embedding_chunks \
             WHERE user_id = $1 AND representation = $2 ORDER BY created_at, id LIMIT $3",
        )
        .bind(user_id)
        .bind(representation)
        .bind(limit),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(ChunkVector {
            source: source_of(row)?,
            index: row.get("chunk_index")?,
            vector: row.get("vector")?,
        })
    })
    .collect()
}
