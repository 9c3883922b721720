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
use pursuit_domain::ids::{PostingId, ResumeVersionId, UserId};
use pursuit_store::pain_points::{self, PainPointMap};
use pursuit_store::postings::{self, Posting};
use pursuit_store::resumes::{self, Version};
use pursuit_text::matching::{self, Match, PreparedPosting};
use pursuit_text::posting as reader;
use pursuit_text::resume::Resume;
use serde::{Deserialize, Serialize};
use serde_json::Value;
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

/// A resume version that has been read, with its fields (corrections laid over the parse)
/// and text.
pub(crate) struct ReadVersion {
    pub version: Version,
    pub resume: Resume,
    pub text: String,
}

/// The version to match: `requested` (a version's id, or the resume's id for its active
/// version), else the active version. 404 when the id is not the user's; 409 when there
/// is no resume or the version is not read yet.
pub(crate) async fn resume_version(
    state: &AppState,
    user: UserId,
    requested: Option<uuid::Uuid>,
) -> Result<ReadVersion, ApiError> {
    let resume = resumes::get_resume(&state.db, user).await?;
    let version_id = match requested {
        Some(id) if resume.as_ref().is_some_and(|r| r.id.0 == id) => resume
            .as_ref()
            .and_then(|r| r.active_version_id)
            .ok_or_else(|| ApiError::conflict("the resume has no active version"))?,
        Some(id) => ResumeVersionId(id),
        None => resume
            .ok_or_else(|| ApiError::conflict("no resume yet: upload one first"))?
            .active_version_id
            .ok_or_else(|| ApiError::conflict("the resume has no active version"))?,
    };
    let version = resumes::get_version(&state.db, user, version_id)
        .await?
        .ok_or_else(|| ApiError::not_found().with_detail("no such resume version of yours"))?;
    read_version(version)
}

/// A stored version's fields (corrections laid over the parse) and text; 409 until read.
fn read_version(version: Version) -> Result<ReadVersion, ApiError> {
    if version.parse_status != "complete" {
        return Err(ApiError::conflict(format!(
            "the resume version is not read yet (parse status: {})",
            version.parse_status
        )));
    }
    let fields = crate::resumes::merged(version.parsed.as_ref(), &version.corrections)
        .unwrap_or(Value::Null);
    let resume: Resume = serde_json::from_value(fields).map_err(ApiError::internal)?;
    let text = version.raw_text.clone().unwrap_or_default();
    Ok(ReadVersion {
        version,
        resume,
        text,
    })
}

/// The active resume version, if there is one that has been read (for pages that show
/// scores when they can).
pub(crate) async fn active_version(
    state: &AppState,
    user: UserId,
) -> Result<Option<ReadVersion>, ApiError> {
    let Some(id) = resumes::get_resume(&state.db, user)
        .await?
        .and_then(|r| r.active_version_id)
    else {
        return Ok(None);
    };
    match resumes::get_version(&state.db, user, id).await? {
        Some(v) if v.parse_status == "complete" => read_version(v).map(Some),
        _ => Ok(None),
    }
}

/// Scores for the applications among `ids` that were saved from a posting, by application.
pub(crate) async fn scores_for_applications(
    state: &AppState,
    user: UserId,
    ids: &[pursuit_domain::ids::ApplicationId],
) -> Result<std::collections::HashMap<pursuit_domain::ids::ApplicationId, u32>, ApiError> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let Some(read) = active_version(state, user).await? else {
        return Ok(out);
    };
    let saved: Vec<postings::ParsedPosting> =
        postings::list_parsed(&state.db, user, Some(true), 5_000)
            .await?
            .into_iter()
            .filter(|p| p.application_id.is_some_and(|a| ids.contains(&a)))
            .collect();
    let application_of: std::collections::HashMap<PostingId, _> = saved
        .iter()
        .filter_map(|p| Some((p.id, p.application_id?)))
        .collect();
    for (posting, scored) in rank(&read, saved)? {
        if let (Some(application), Some((_, summary))) = (application_of.get(&posting), scored) {
            out.entry(*application).or_insert(summary.score);
        }
    }
    Ok(out)
}

/// What was read from a posting (its parse status and stored fields); `None` until it has
/// been read.
pub(crate) fn posting_fields(
    parse_status: &str,
    parsed: Option<&Value>,
) -> Result<Option<reader::Posting>, ApiError> {
    if parse_status != "complete" {
        return Ok(None);
    }
    parsed
        .map(reader::Posting::deserialize)
        .transpose()
        .map_err(ApiError::internal)
}

async fn read_posting(
    state: &AppState,
    user: UserId,
    id: uuid::Uuid,
) -> Result<(Posting, reader::Posting), ApiError> {
    let posting = postings::get_posting(&state.db, user, PostingId(id))
        .await?
        .ok_or_else(|| ApiError::not_found().with_detail("no such posting of yours"))?;
    let fields =
        posting_fields(&posting.parse_status, posting.parsed.as_ref())?.ok_or_else(|| {
            ApiError::conflict(format!(
                "the posting is not read yet (parse status: {}): POST /api/v1/jobs/{id}/parse",
                posting.parse_status
            ))
        })?;
    Ok((posting, fields))
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
    let (posting, fields) = read_posting(&state, current.id(), id).await?;
    let read = resume_version(&state, current.id(), query.resume_id).await?;
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

/// A posting's id with its exact score (for ordering) and summary; `None` until it is read.
pub(crate) type Ranked = (PostingId, Option<(f64, MatchSummary)>);

/// Scores `postings` against `read` and orders them best first (ties: newest first, as the
/// list was); a posting not read yet has no score and goes last.
pub(crate) fn rank(
    read: &ReadVersion,
    postings: Vec<postings::ParsedPosting>,
) -> Result<Vec<Ranked>, ApiError> {
    let prepared = matching::Prepared::new(&read.resume, &read.text);
    let read_postings: Vec<(PostingId, Option<reader::Posting>)> = postings
        .into_iter()
        .map(|p| Ok((p.id, posting_fields(&p.parse_status, p.parsed.as_ref())?)))
        .collect::<Result<_, ApiError>>()?;
    // Preparing a posting is most of the work; both happen on every core.
    let mut out: Vec<Ranked> = matching::par_map(&read_postings, |(id, fields)| {
        let scored = fields.as_ref().map(|fields| {
            let result = matching::score_pair(&prepared, &PreparedPosting::new(fields));
            (
                result.exact,
                MatchSummary {
                    score: result.score,
                    provisional: result.provisional,
                    resume_version_id: read.version.id.0,
                },
            )
        });
        (*id, scored)
    });
    let key = |s: &Option<(f64, MatchSummary)>| s.as_ref().map_or(-1.0, |(e, _)| *e);
    out.sort_by(|a, b| key(&b.1).total_cmp(&key(&a.1)));
    Ok(out)
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
    let (posting, fields) = read_posting(&state, user, body.job_id).await?;
    let read = resume_version(&state, user, body.resume_id).await?;
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
