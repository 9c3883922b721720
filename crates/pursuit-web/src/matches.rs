//! Matching in the API: a posting against a resume version (`GET /api/v1/jobs/{id}/match`),
//! the user's postings ranked by match (`GET /api/v1/jobs?sort=match`, in `postings`), and
//! pain-point maps (`/api/v1/pain-points`).
//!
//! All of it is `pursuit_text::matching`: deterministic, offline, milliseconds of CPU, so it
//! runs in the request. A map is stored with a digest of its inputs: asking again with the
//! same posting and resume version returns the stored map; after either changed, a new
//! version is added and the earlier ones stay.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::matching::{ReadVersion, read_posting, resume_version};
use pursuit_domain::ids::PostingId;
use pursuit_store::pain_points::{self, PainPointMap};
use pursuit_store::postings;
use pursuit_text::matching::{self, Match, PreparedPosting};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_match))
        .routes(routes!(generate_pain_points))
        .routes(routes!(list_pain_points))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// A resume version's id, or the resume's id (its active version); default the active
    /// version.
    resume_id: Option<uuid::Uuid>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchResponse {
    job_id: uuid::Uuid,
    resume_version_id: uuid::Uuid,
    /// The score (0–100), `provisional` (why it is not to be trusted, or null), its parts
    /// (name, weight, fit, detail, evidence: posting line → resume line) and the skills in
    /// three groups: matched, unphrased (shown but not named, with what to write) and
    /// missing (never to be claimed).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    result: Match,
}

/// A posting against a resume version: the score, its parts with their evidence, the skills
/// in three groups.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/match", tag = "matching", params(
        ("id" = uuid::Uuid, Path, description = "The posting's id"), MatchQuery),
    responses(
        (status = 200, description = "The match", body = MatchResponse),
        (status = 404, description = "No such posting or resume version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume yet, or the posting or the resume version is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_match(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<MatchQuery>,
) -> Result<axum::Json<MatchResponse>, ApiError> {
    let (posting, fields) = read_posting(&state.db, current.id(), PostingId(id)).await?;
    let read = resume_version(&state.db, current.id(), query.resume_id).await?;
    let result = matching::score(&read.resume, &read.text, &fields);
    Ok(axum::Json(MatchResponse {
        job_id: posting.id.0,
        resume_version_id: read.version.id.0,
        result,
    }))
}

/// A score for a list of postings.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchSummary {
    /// 0–100.
    pub score: u32,
    /// Why the score is not to be trusted, or null.
    pub provisional: Option<String>,
    pub resume_version_id: uuid::Uuid,
}

impl MatchSummary {
    pub(crate) fn of(scored: &pursuit_app::matching::Scored, read: &ReadVersion) -> MatchSummary {
        MatchSummary {
            score: scored.score,
            provisional: scored.provisional.clone(),
            resume_version_id: read.version.id.0,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GeneratePainPoints {
    /// The posting.
    job_id: uuid::Uuid,
    /// A resume version's id, or the resume's id (its active version); default the active
    /// version.
    resume_id: Option<uuid::Uuid>,
}

/// A challenge of the posting and the resume line that meets it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct PainPointPair {
    /// A responsibility or required qualification of the posting.
    challenge: String,
    /// `responsibility` or `requirement`.
    kind: String,
    /// The resume line (an accomplishment where one answers) that meets it; null when none
    /// does — a gap to address honestly, never to claim.
    solution: Option<String>,
    /// Whether the solution carries a number (a metric, money, a count).
    measured: bool,
    /// 0–1.
    relevance: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PainPointMapResponse {
    id: uuid::Uuid,
    job_id: uuid::Uuid,
    resume_version_id: uuid::Uuid,
    /// 1 for the posting's first map, then 2, 3… as the posting or the resume changed.
    version: i64,
    /// Most relevant first.
    pairs: Vec<PainPointPair>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

fn map_response(map: PainPointMap) -> Result<PainPointMapResponse, ApiError> {
    Ok(PainPointMapResponse {
        id: map.id.0,
        job_id: map.posting_id.0,
        resume_version_id: map.resume_version_id.0,
        version: map.version_no,
        pairs: serde_json::from_value(map.pairs).map_err(ApiError::internal)?,
        created_at: map.created_at,
    })
}

/// Pairs the posting's challenges (responsibilities, required qualifications) with the
/// resume's answers (accomplishments and their metrics first). Idempotent: the same posting
/// and resume version give back the stored map (200); after either changed, a new version
/// is stored (201) and the earlier ones are kept.
#[utoipa::path(post, path = "/api/v1/pain-points/generate", tag = "matching",
    request_body = GeneratePainPoints,
    responses(
        (status = 200, description = "The map made from these inputs before", body = PainPointMapResponse),
        (status = 201, description = "A new map (version)", body = PainPointMapResponse),
        (status = 404, description = "No such posting or resume version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume yet, or the posting or the resume version is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or malformed job_id or resume_id", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn generate_pain_points(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<GeneratePainPoints>,
) -> Result<Response, ApiError> {
    let user = current.id();
    let (posting, fields) = read_posting(&state.db, user, PostingId(body.job_id)).await?;
    let read = resume_version(&state.db, user, body.resume_id).await?;
    let posting_json = serde_json::to_string(&fields).map_err(ApiError::internal)?;
    let resume_json = serde_json::to_string(&read.resume).map_err(ApiError::internal)?;
    let version_id = read.version.id.0.to_string();
    // The pairing's own version is part of the inputs: an improved pairing makes new maps.
    let input_hash = matching::fingerprint(&[
        PAIRING_VERSION,
        &version_id,
        &posting_json,
        &resume_json,
        &read.text,
    ]);
    let pairs = matching::pain_points(
        &matching::Prepared::new(&read.resume, &read.text),
        &PreparedPosting::new(&fields),
    );
    let pairs = serde_json::to_value(&pairs).map_err(ApiError::internal)?;
    let mut tx = state.db.begin().await?;
    // The same inputs made a map before (perhaps in a request running alongside): that one.
    let map = match pain_points::find_map(&mut tx, user, posting.id, &input_hash).await? {
        Some(existing) => {
            tx.commit().await?;
            return Ok((StatusCode::OK, axum::Json(map_response(existing)?)).into_response());
        }
        None => {
            pain_points::insert_map(
                &mut tx,
                user,
                posting.id,
                read.version.id,
                &input_hash,
                pairs,
                Timestamp::now(),
            )
            .await?
        }
    };
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(map_response(map)?)).into_response())
}

/// Bumped when the pairing changes, so maps are made again.
const PAIRING_VERSION: &str = "pairing-1";

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PainPointsQuery {
    /// The posting.
    job_id: uuid::Uuid,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PainPointMapList {
    /// Newest version first.
    items: Vec<PainPointMapResponse>,
}

/// A posting's pain-point maps, newest version first (empty until one is generated).
#[utoipa::path(get, path = "/api/v1/pain-points", tag = "matching", params(PainPointsQuery),
    responses(
        (status = 200, description = "The maps", body = PainPointMapList),
        (status = 400, description = "A missing or malformed job_id", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_pain_points(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<PainPointsQuery>,
) -> Result<axum::Json<PainPointMapList>, ApiError> {
    let user = current.id();
    postings::get_posting(&state.db, user, PostingId(query.job_id))
        .await?
        .ok_or_else(|| ApiError::not_found().with_detail("no such posting of yours"))?;
    let items = pain_points::list_maps(&state.db, user, PostingId(query.job_id))
        .await?
        .into_iter()
        .map(map_response)
        .collect::<Result<_, _>>()?;
    Ok(axum::Json(PainPointMapList { items }))
}
