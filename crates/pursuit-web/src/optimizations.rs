//! Optimization reports in the API over `pursuit_app::optimizations` (seed 004):
//! `POST /api/v1/jobs/{id}/optimize`, a posting's results, and one result.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::optimizations::{self as use_case, OptimizeRequest};
use pursuit_domain::ids::{OptimizationId, PostingId};
use pursuit_store::optimizations::OptimizationRow;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(optimize))
        .routes(routes!(list_for_job))
        .routes(routes!(get_optimization))
}

/// What to optimize (`{}` for the defaults).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptimizeBody {
    /// The resume version to read; default the active one (or, when `desired_output_lang`
    /// is one the active version is not in, the newest version in that language).
    resume_version_id: Option<uuid::Uuid>,
    /// The language the CV is laid out in: `en`, `ar`, `fr`, `de` or `es`; default the
    /// posting's `desired_output_lang`. Pursuit does not translate the user's words: the headings and dates
    /// follow this language, the text stays as the user wrote it (`report.language_note`
    /// says so when they differ).
    desired_output_lang: Option<String>,
    /// `true` makes it again even when a result from the same inputs exists.
    fresh: Option<bool>,
}

/// One thing the user could change.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct OptimizationAdvice {
    /// `required_skills`, `preferred_skills`, `title`, `field`, `experience`, `education`,
    /// `responsibilities`, `results`, `wording` or `languages`.
    area: String,
    /// What to change, as the user would do it.
    what: String,
    /// Why: what the posting asks.
    why: String,
    evidence: AdviceEvidence,
    /// Score points the change could win at most.
    points: f64,
    /// `high`, `medium` or `low`.
    priority: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdviceEvidence {
    /// The posting's words.
    posting: String,
    /// The resume's line that answers in part, if any.
    resume: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OptimizationReport {
    /// Most points first.
    items: Vec<OptimizationAdvice>,
    /// Set when the score rests on too little to be trusted, saying why.
    provisional: Option<String>,
    /// The posting's skills the user's material shows.
    matching_skills: Vec<String>,
    /// The required skills the CV addresses, of those the posting asks.
    required_addressed: i64,
    required_asked: i64,
    /// Why the CV is not in the language asked, when it cannot be.
    language_note: Option<String>,
    /// Which resume version was read, when it is not the active one.
    version_note: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OptimizationResponse {
    id: uuid::Uuid,
    job_id: Option<uuid::Uuid>,
    resume_version_id: Option<uuid::Uuid>,
    /// The tailored CV as a document to edit, check and export (null once deleted).
    document_id: Option<uuid::Uuid>,
    /// The result this one was refined from.
    refined_from: Option<uuid::Uuid>,
    /// The match score (0–100) of the resume as written.
    score: i64,
    /// The match score of the tailored CV, read the same way.
    score_after: i64,
    report: OptimizationReport,
    /// The tailored CV as made, Markdown.
    preview_md: String,
    /// What tailoring changed against the resume, in words.
    change_log: Vec<String>,
    /// The resume's language (ISO 639-1), as read.
    resume_lang: Option<String>,
    /// The posting's language, as read.
    jd_lang: Option<String>,
    /// The language the CV is laid out in.
    desired_output_lang: String,
    /// The instructions of a refined result.
    instructions: Option<String>,
    /// `local` (the built-in tailoring), or the provider that rewrote it.
    provider: String,
    model: String,
    cost_usd: f64,
    /// The result was made before from the same inputs.
    cached: bool,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

pub(crate) fn response(row: OptimizationRow, cached: bool) -> OptimizationResponse {
    let r = &row.report;
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    OptimizationResponse {
        id: row.id.0,
        job_id: row.posting_id.map(|p| p.0),
        resume_version_id: row.resume_version_id.map(|v| v.0),
        document_id: row.document_id.map(|d| d.0),
        refined_from: row.refined_from.map(|o| o.0),
        score: row.score,
        score_after: row.score_after,
        report: OptimizationReport {
            items: serde_json::from_value(r["items"].clone()).unwrap_or_default(),
            provisional: text(&r["provisional"]),
            matching_skills: strings(&r["matching_skills"]),
            required_addressed: r["required_addressed"].as_i64().unwrap_or(0),
            required_asked: r["required_asked"].as_i64().unwrap_or(0),
            language_note: text(&r["language_note"]),
            version_note: text(&r["version_note"]),
        },
        preview_md: row.preview_md,
        change_log: strings(&row.change_log),
        resume_lang: row.resume_lang,
        jd_lang: row.jd_lang,
        desired_output_lang: row.desired_output_lang,
        instructions: row.instructions,
        provider: row.provider,
        model: row.model,
        cost_usd: row.cost_micros as f64 / 1_000_000.0,
        cached,
        created_at: row.created_at,
    }
}

/// Reads a resume version against one of the caller's postings: the score, what to change
/// and why with the evidence, and a tailored CV (kept as a document) with what it changed
/// and its own score. A result from the same inputs is answered as it is (`200`,
/// `cached: true`) unless `fresh` is asked.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/optimize", tag = "documents", request_body = OptimizeBody,
    params(("id" = uuid::Uuid, Path, description = "The posting's id")),
    responses(
        (status = 200, description = "The result made before from the same inputs", body = OptimizationResponse),
        (status = 201, description = "The result", body = OptimizationResponse,
            headers(("Location" = String, description = "The result's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting or resume version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume read yet, or the posting is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An output language Pursuit cannot lay out", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn optimize(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<OptimizeBody>,
) -> Result<Response, ApiError> {
    let request = OptimizeRequest {
        resume_version_id: body.resume_version_id,
        desired_output_lang: body.desired_output_lang,
        fresh: body.fresh.unwrap_or(false),
    };
    let made = use_case::optimize(
        &state.db,
        current.id(),
        PostingId(id),
        &request,
        Timestamp::now(),
    )
    .await?;
    if made.cached {
        return Ok(Json(response(made.row, true)).into_response());
    }
    let location = format!("/api/v1/optimizations/{}", made.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(made.row, false)),
    )
        .into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OptimizationList {
    /// Newest first (at most 50).
    items: Vec<OptimizationResponse>,
}

/// The results for one of the caller's postings, newest first; a refined result names the
/// one it came from.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/optimizations", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The posting's id")),
    responses(
        (status = 200, description = "The results", body = OptimizationList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_for_job(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OptimizationList>, ApiError> {
    let rows = use_case::for_posting(&state.db, current.id(), PostingId(id)).await?;
    Ok(Json(OptimizationList {
        items: rows.into_iter().map(|r| response(r, false)).collect(),
    }))
}

/// One of the caller's results.
#[utoipa::path(get, path = "/api/v1/optimizations/{id}", tag = "documents",
    params(("id" = uuid::Uuid, Path, description = "The result's id")),
    responses(
        (status = 200, description = "The result", body = OptimizationResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such result of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_optimization(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OptimizationResponse>, ApiError> {
    let row = use_case::get(&state.db, current.id(), OptimizationId(id)).await?;
    Ok(Json(response(row, false)))
}
