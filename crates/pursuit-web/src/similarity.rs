//! Similarity search over chunks (seed 004's `search_resume_vs_job`): a posting's text and
//! a resume version's text cut into ~3,500-character chunks, embedded with the configured
//! representation (`pursuit_embed::Embedder`), each posting chunk paired with the resume
//! chunk closest to it.
//!
//! Chunks and their vectors are stored per user and representation, with a digest of the
//! text they were cut from: asking again reuses them, a changed text or another model makes
//! them again. Matching scores (`matches`) never depend on this.

use axum::extract::{Path, Query, State};
use jiff::Timestamp;
use pursuit_domain::ids::{PostingId, UserId};
use pursuit_embed::{CHUNK_CHARS, CHUNK_OVERLAP, Chunk, EmbedError, Vector};
use pursuit_store::embeddings::{self, NewChunk, Source};
use pursuit_store::postings;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(chunk_matches))
}

/// Texts sent to a remote server at once (its request size stays modest).
const BATCH: usize = 64;

/// The chunks of `text` with their vectors: the stored ones when they were cut from this
/// very text with this representation, else made now and stored.
pub(crate) async fn embedded(
    state: &AppState,
    user: UserId,
    source: Source,
    text: &str,
    lang: Option<&str>,
) -> Result<Vec<(Chunk, Vector)>, ApiError> {
    let name = state.embedder.name();
    let hash = pursuit_text::matching::fingerprint(&[text]);
    let stored = embeddings::chunks_of(&state.db, user, source, name).await?;
    if !stored.is_empty() && stored.iter().all(|c| c.content_hash == hash) {
        let read: Option<Vec<(Chunk, Vector)>> = stored
            .into_iter()
            .map(|c| {
                let vector = Vector::from_bytes(&c.vector)?;
                let chunk = Chunk {
                    index: usize::try_from(c.index).ok()?,
                    start: usize::try_from(c.start).ok()?,
                    end: usize::try_from(c.end).ok()?,
                    text: c.text,
                };
                Some((chunk, vector))
            })
            .collect();
        // A row that does not read back is made again rather than trusted.
        if let Some(read) = read {
            return Ok(read);
        }
    }
    let pieces = pursuit_embed::chunks(text, CHUNK_CHARS, CHUNK_OVERLAP);
    let vectors = if state.embedder.runs_here() {
        // CPU work (a long posting is hundreds of chunks): off the async threads.
        let embedder = state.embedder.clone();
        let texts: Vec<String> = pieces.iter().map(|c| c.text.clone()).collect();
        tokio::task::spawn_blocking(move || {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            embedder.embed_here(&texts)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(embed_problem)?
    } else {
        let mut vectors = Vec::with_capacity(pieces.len());
        for batch in pieces.chunks(BATCH) {
            let texts: Vec<&str> = batch.iter().map(|c| c.text.as_str()).collect();
            vectors.extend(state.embedder.embed(&texts).await.map_err(embed_problem)?);
        }
        vectors
    };
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
    let mut tx = state.db.begin().await?;
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
    tx.commit().await?;
    Ok(pieces.into_iter().zip(vectors).collect())
}

/// A representation that failed (a remote server down or answering wrongly): 503, nothing
/// stored. The cause is logged for the operator; the client gets its kind in
/// `embeddings_error` (`unreachable`, `refused` or `malformed`), never the server's text.
fn embed_problem(error: EmbedError) -> ApiError {
    let kind = match &error {
        EmbedError::Http(_) => "unreachable",
        EmbedError::Status { .. } => "refused",
        EmbedError::Format(_) | EmbedError::Model(_) => "malformed",
    };
    ApiError::unavailable(error).with_extension("embeddings_error", kind.into())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChunkMatchQuery {
    /// A resume version's id, or the resume's id (its active version); default the active
    /// version.
    resume_id: Option<uuid::Uuid>,
}

/// A piece of a document.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChunkView {
    /// Its place in the document, from 0.
    index: usize,
    /// Byte offsets in the document's text.
    start: usize,
    end: usize,
    text: String,
}

impl From<Chunk> for ChunkView {
    fn from(c: Chunk) -> ChunkView {
        ChunkView {
            index: c.index,
            start: c.start,
            end: c.end,
            text: c.text,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChunkPair {
    job_chunk: ChunkView,
    /// The resume chunk closest to it.
    resume_chunk: ChunkView,
    /// Cosine similarity, -1–1 (0–1 for the sparse representation).
    score: f32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChunkMatches {
    job_id: uuid::Uuid,
    resume_version_id: uuid::Uuid,
    /// What made the vectors, e.g. `sparse-1`, `model2vec:…`, `remote:<model>@<host>`.
    representation: String,
    /// The mean of the pairs' scores.
    average: f32,
    /// One per posting chunk, in the posting's order.
    matches: Vec<ChunkPair>,
}

/// Each chunk of the posting with the resume chunk closest to it, and their average score
/// (seed 004's `search_resume_vs_job`), with the configured representation.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/chunk-matches", tag = "matching", params(
        ("id" = uuid::Uuid, Path, description = "The posting's id"), ChunkMatchQuery),
    responses(
        (status = 200, description = "The pairs and their average", body = ChunkMatches),
        (status = 404, description = "No such posting or resume version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume yet, the resume version is not read yet, or either text is empty", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The configured embeddings server failed; `embeddings_error` says how (`unreachable`, `refused`, `malformed`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn chunk_matches(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<ChunkMatchQuery>,
) -> Result<axum::Json<ChunkMatches>, ApiError> {
    let user = current.id();
    let posting = postings::get_posting(&state.db, user, PostingId(id))
        .await?
        .ok_or_else(|| ApiError::not_found().with_detail("no such posting of yours"))?;
    let read = crate::matches::resume_version(&state, user, query.resume_id).await?;
    if posting.raw_text.trim().is_empty() {
        return Err(ApiError::conflict("the posting has no text to compare"));
    }
    if read.text.trim().is_empty() {
        return Err(ApiError::conflict(
            "the resume version has no text to compare",
        ));
    }
    let job = embedded(
        &state,
        user,
        Source::Posting(posting.id),
        &posting.raw_text,
        posting.jd_lang.as_deref(),
    )
    .await?;
    let resume = embedded(
        &state,
        user,
        Source::ResumeVersion(read.version.id),
        &read.text,
        read.version.lang.as_deref(),
    )
    .await?;
    let found = pursuit_embed::search(&resume, &job);
    Ok(axum::Json(ChunkMatches {
        job_id: posting.id.0,
        resume_version_id: read.version.id.0,
        representation: state.embedder.name().to_owned(),
        average: found.average,
        matches: found
            .matches
            .into_iter()
            .map(|m| ChunkPair {
                job_chunk: m.job_chunk.into(),
                resume_chunk: m.resume_chunk.into(),
                score: m.score,
            })
            .collect(),
    }))
}
