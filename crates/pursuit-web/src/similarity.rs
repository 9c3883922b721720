//! Similarity search over chunks (seed 004), with the configured representation
//! (`pursuit_embed::Embedder`): `chunk-matches` pairs each chunk of a posting with the
//! resume version's closest chunk (`search_resume_vs_job`); `search` finds the chunks of
//! the caller's documents closest to a query.
//!
//! Chunks and their vectors are stored per user and representation, with a digest of the
//! text they were cut from (`pursuit_embed::stored`): asking again reuses them, a changed
//! text or another model makes them again. Matching scores (`matches`) never depend on this.

use axum::extract::{Path, Query, State};
use pursuit_app::embeddings::{self as stored, StoredError};
use pursuit_domain::ids::{PostingId, UserId};
use pursuit_embed::{Chunk, EmbedError, Vector};
use pursuit_store::embeddings::{self, Source};
use pursuit_store::postings;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(chunk_matches))
        .routes(routes!(search))
}

/// The chunks of `text` with their vectors (stored, or made now and stored).
async fn embedded(
    state: &AppState,
    user: UserId,
    source: Source,
    text: &str,
    lang: Option<&str>,
) -> Result<Vec<(Chunk, Vector)>, ApiError> {
    stored::ensure(&state.db, &state.embedder, user, source, text, lang)
        .await
        .map_err(stored_problem)
}

fn stored_problem(error: StoredError) -> ApiError {
    match error {
        StoredError::Store(e) => e.into(),
        StoredError::Embed(e) => embed_problem(e),
        StoredError::Thread(e) => ApiError::internal(e),
    }
}

/// A representation that failed (a remote server down or answering wrongly): 503, nothing
/// stored. The cause is logged for the operator; the client gets its kind in
/// `embeddings_error` (`unreachable`, `refused` or `malformed`), never the server's text.
fn embed_problem(error: EmbedError) -> ApiError {
    let kind = match &error {
        EmbedError::Http(_) => "unreachable",
        EmbedError::Status { .. } => "refused",
        EmbedError::Format(_) | EmbedError::Model(_) | EmbedError::Url(_) => "malformed",
    };
    ApiError::unavailable(error).with_extension("embeddings_error", kind.into())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    let read = pursuit_app::matching::resume_version(&state.db, user, query.resume_id).await?;
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

/// The most chunks one search reads (a user's postings and resume versions, ~1–3 chunks
/// each).
const MAX_SCANNED: i64 = 50_000;
const MAX_QUERY_CHARS: usize = 2_000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for: words, a sentence, a requirement.
    q: Option<String>,
    /// How many chunks to return, 1–50 (default 10).
    limit: Option<i64>,
}

/// A document's kind and id as the API names them.
fn document(source: Source) -> (&'static str, uuid::Uuid) {
    match source {
        Source::Posting(id) => ("posting", id.0),
        Source::ResumeVersion(id) => ("resume_version", id.0),
    }
}

/// A chunk of one of the caller's documents.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `posting` or `resume_version`.
    kind: &'static str,
    /// The posting's or the resume version's id.
    id: uuid::Uuid,
    chunk: ChunkView,
    /// Cosine similarity to the query.
    score: f32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    representation: String,
    /// Best first; chunks with nothing in common with the query are left out.
    items: Vec<SearchHit>,
}

/// Searches the chunks of the caller's postings and resume versions by similarity to `q`
/// (seed 004's per-user vector search). A document is embedded in the background when it
/// is stored or read, so a new one is found a moment later.
#[utoipa::path(get, path = "/api/v1/search", tag = "matching", params(SearchQuery),
    responses(
        (status = 200, description = "The closest chunks", body = SearchResults),
        (status = 422, description = "No query, a query over 2,000 characters, or a limit outside 1–50", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The configured embeddings server failed; `embeddings_error` says how", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn search(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Result<axum::Json<SearchResults>, ApiError> {
    let q = query.q.as_deref().map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::invalid_field("/q", "say what to search for"));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::invalid_field(
            "/q",
            format!("is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = query.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid_field(
            "/limit",
            "must be between 1 and 50",
        ));
    }
    let wanted = stored::embed_all(&state.embedder, vec![q.to_owned()])
        .await
        .map_err(stored_problem)?
        .pop()
        .unwrap_or(Vector::Dense(Vec::new()));
    let name = state.embedder.name();
    let user = current.id();
    // Score every vector, then read the texts of the few kept.
    let mut scored: Vec<(f32, uuid::Uuid, Source, i64)> =
        embeddings::user_vectors(&state.db, user, name, MAX_SCANNED)
            .await?
            .into_iter()
            .filter_map(|c| {
                let score = wanted.cosine(&Vector::from_bytes(&c.vector)?);
                (score > 0.0).then_some((score, document(c.source).1, c.source, c.index))
            })
            .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.3.cmp(&b.3)));
    scored.truncate(limit as usize);
    let mut texts: std::collections::HashMap<Source, Vec<Chunk>> = std::collections::HashMap::new();
    let mut hits = Vec::with_capacity(scored.len());
    for (score, _, source, index) in scored {
        if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(source) {
            let chunks = embeddings::chunks_of(&state.db, user, source, name)
                .await?
                .into_iter()
                .filter_map(|c| stored::read_back(c).map(|(chunk, _)| chunk))
                .collect();
            slot.insert(chunks);
        }
        // A chunk gone since it was scored (its document re-embedded) is left out.
        let Some(chunk) = texts[&source].iter().find(|c| c.index as i64 == index) else {
            continue;
        };
        let (kind, id) = document(source);
        hits.push(SearchHit {
            kind,
            id,
            chunk: chunk.clone().into(),
            score,
        });
    }
    Ok(axum::Json(SearchResults {
        representation: name.to_owned(),
        items: hits,
    }))
}
