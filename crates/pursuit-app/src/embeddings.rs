//! Similarity search's side of a stored document: its chunks with their vectors, kept in
//! `embedding_chunks` per user and representation — read back when they were cut from this
//! very text with this representation, else made now and stored (replacing what was there)
//! — and the `embed.document` job that does it in the background, with its enqueue helper.
//! The web edge (`chunk-matches`, search) and the worker both come through here.

use std::sync::Arc;

use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use pursuit_embed::{CHUNK_CHARS, CHUNK_OVERLAP, Chunk, EmbedError, Embedder, Vector};
use pursuit_store::Db;
use pursuit_store::embeddings::{self, NewChunk, Source};
use pursuit_store::jobs::JobSpec;
use serde::{Deserialize, Serialize};

/// One document: a posting or a resume version (exactly one of the two).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbedDocument {
    pub user_id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_version_id: Option<uuid::Uuid>,
}

impl JobSpec for EmbedDocument {
    const KIND: &'static str = "embed.document";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 5;
}

/// Enqueues the embedding of a document (a posting when `posting` is set, else the resume
/// version). No dedupe key: a run already under way may have read the text before it
/// changed, so every change gets a run of its own (an unchanged text costs one read).
pub async fn enqueue(
    conn: impl pursuit_store::Conn,
    user: UserId,
    document: Source,
    now: jiff::Timestamp,
) -> Result<(), pursuit_store::StoreError> {
    let (posting_id, resume_version_id) = match document {
        Source::Posting(id) => (Some(id.0), None),
        Source::ResumeVersion(id) => (None, Some(id.0)),
    };
    pursuit_store::jobs::enqueue(
        conn,
        &EmbedDocument {
            user_id: user.0,
            posting_id,
            resume_version_id,
        },
        &pursuit_store::jobs::EnqueueOptions {
            user_id: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// Texts sent to a remote server at once (its request size stays modest).
const BATCH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum StoredError {
    #[error(transparent)]
    Store(#[from] pursuit_store::StoreError),
    #[error(transparent)]
    Embed(#[from] EmbedError),
    #[error("the embedding thread stopped: {0}")]
    Thread(String),
}

/// The chunks of `text` (the document `source` of `user`) with their vectors.
pub async fn ensure(
    db: &Db,
    embedder: &Arc<Embedder>,
    user: UserId,
    source: Source,
    text: &str,
    lang: Option<&str>,
) -> Result<Vec<(Chunk, Vector)>, StoredError> {
    let name = embedder.name();
    let hash = pursuit_text::matching::fingerprint(&[text]);
    let stored = embeddings::chunks_of(db, user, source, name).await?;
    if !stored.is_empty() && stored.iter().all(|c| c.content_hash == hash) {
        let read: Option<Vec<(Chunk, Vector)>> = stored.into_iter().map(read_back).collect();
        // A row that does not read back is made again rather than trusted.
        if let Some(read) = read {
            return Ok(read);
        }
    }
    let pieces = pursuit_embed::chunks(text, CHUNK_CHARS, CHUNK_OVERLAP);
    let vectors = embed_all(embedder, pieces.iter().map(|c| c.text.clone()).collect()).await?;
    let rows: Vec<NewChunk> = pieces
        .iter()
        .zip(&vectors)
        .map(|(c, v)| NewChunk {
            index: c.index as i64,
            start: c.start as i64,
            end: c.end as i64,
            text: c.text.clone(),
            vector: v.to_bytes(),
        })
        .collect();
    let mut tx = db.begin().await?;
    // Stored only if the document still has this text: a run that read it before it
    // changed must not overwrite the chunks of the newer text (they are still the right
    // answer for the caller, who asked about this text).
    let current = embeddings::current_text(&mut tx, user, source).await?;
    if current.is_some_and(|t| pursuit_text::matching::fingerprint(&[t.as_str()]) == hash) {
        embeddings::replace_chunks(
            &mut tx,
            user,
            source,
            name,
            &hash,
            lang,
            &rows,
            Timestamp::now(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(pieces.into_iter().zip(vectors).collect())
}

/// A stored chunk as a chunk and its vector; `None` when the row does not read back.
pub fn read_back(c: embeddings::StoredChunk) -> Option<(Chunk, Vector)> {
    let vector = Vector::from_bytes(&c.vector)?;
    let chunk = Chunk {
        index: usize::try_from(c.index).ok()?,
        start: usize::try_from(c.start).ok()?,
        end: usize::try_from(c.end).ok()?,
        text: c.text,
    };
    Some((chunk, vector))
}

/// Vectors of `texts`, in order: CPU representations on a blocking thread (a long posting
/// is hundreds of chunks), a remote one in batches.
pub async fn embed_all(
    embedder: &Arc<Embedder>,
    texts: Vec<String>,
) -> Result<Vec<Vector>, StoredError> {
    if embedder.runs_here() {
        let embedder = embedder.clone();
        return tokio::task::spawn_blocking(move || {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            embedder.embed_here(&texts)
        })
        .await
        .map_err(|e| StoredError::Thread(e.to_string()))?
        .map_err(StoredError::Embed);
    }
    let mut vectors = Vec::with_capacity(texts.len());
    for batch in texts.chunks(BATCH) {
        let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
        vectors.extend(embedder.embed(&texts).await?);
    }
    Ok(vectors)
}
