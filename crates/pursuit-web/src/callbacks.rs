//! Parse results from an outside workflow (seed 004's n8n callbacks):
//! `POST /api/v1/callbacks/resume` and `/callbacks/job`. There is no user session here: the
//! caller proves itself with the `X-Workflow-Token` header, compared in constant time with
//! `workflow_token` from the config, and names the version or posting by id.

use axum::extract::State;
use axum::http::HeaderMap;
use jiff::Timestamp;
use pursuit_app::embeddings as embed;
use pursuit_app::resumes::{HiddenReport, ReadOutcome};
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{PostingId, ResumeVersionId};
use pursuit_store::embeddings::Source;
use pursuit_store::postings;
use pursuit_store::resumes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(resume_callback))
        .routes(routes!(job_callback))
}

/// True when `given` equals `expected`, in time that depends only on their lengths.
pub fn same_token(given: &[u8], expected: &[u8]) -> bool {
    let mut difference = u8::from(given.len() != expected.len());
    for (i, byte) in expected.iter().enumerate() {
        difference |= byte ^ given.get(i).copied().unwrap_or(0);
    }
    difference == 0
}

fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state.settings.workflow_token.as_deref() else {
        return Err(ApiError::new(ProblemType::Forbidden)
            .with_detail("callbacks are turned off: no workflow_token is configured"));
    };
    let given = headers
        .get("x-workflow-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if given.is_empty() || !same_token(given, expected.as_bytes()) {
        return Err(ApiError::new(ProblemType::Unauthorized)
            .with_detail("a valid X-Workflow-Token header is required"));
    }
    Ok(())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResumeCallback {
    /// The resume version the result is for.
    version_id: uuid::Uuid,
    /// `complete` or `failed`.
    status: String,
    /// Why it failed (with `failed`).
    error: Option<String>,
    /// The fields read, in the shape of a version's `fields` (with `complete`).
    #[schema(value_type = Option<Object>)]
    parsed: Option<Value>,
    /// The text the workflow read from the file.
    text: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct JobCallback {
    /// The job posting the result is for.
    job_id: uuid::Uuid,
    /// `complete` or `failed`.
    status: String,
    error: Option<String>,
    /// The fields read, in the shape of a posting's `parsed` (with `complete`).
    #[schema(value_type = Option<Object>)]
    parsed: Option<Value>,
    /// The posting's text, when the workflow fetched it.
    text: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Accepted {
    id: uuid::Uuid,
    parse_status: String,
}

/// The status and error of a callback, checked.
fn outcome_of(
    status: &str,
    error: Option<String>,
    parsed: Option<&Value>,
) -> Result<(ParseStatus, Option<String>), ApiError> {
    match status {
        "complete" if parsed.is_some_and(Value::is_object) => Ok((ParseStatus::Complete, None)),
        "complete" => Err(ApiError::invalid_field(
            "/parsed",
            "a complete result needs the parsed fields as an object",
        )),
        "failed" => Ok((
            ParseStatus::Failed,
            Some(error.unwrap_or_else(|| "the outside parser failed".to_owned())),
        )),
        _ => Err(ApiError::invalid_field(
            "/status",
            "must be complete or failed",
        )),
    }
}

/// Records an outside parser's result on a resume version.
#[utoipa::path(post, path = "/api/v1/callbacks/resume", tag = "callbacks", request_body = ResumeCallback,
    params(("X-Workflow-Token" = String, Header, description = "The configured workflow token")),
    responses(
        (status = 200, description = "Recorded", body = Accepted),
        (status = 401, description = "Missing or wrong token", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "No workflow token is configured", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad status or fields of the wrong shape", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn resume_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<ResumeCallback>,
) -> Result<axum::Json<Accepted>, ApiError> {
    check_token(&state, &headers)?;
    let (status, error) = outcome_of(&body.status, body.error, body.parsed.as_ref())?;
    let id = ResumeVersionId(body.version_id);
    let user = resumes::owner_of_version(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let outcome = match body.parsed.filter(|_| status == ParseStatus::Complete) {
        Some(value) => {
            let resume: pursuit_text::resume::Resume = serde_json::from_value(value)
                .map_err(|e| ApiError::invalid_field("/parsed", e.to_string()))?;
            ReadOutcome::Complete {
                resume: Box::new(resume),
                text: body.text,
                hidden: HiddenReport::default(),
            }
        }
        None => ReadOutcome::Failed(error.unwrap_or_default()),
    };
    let status =
        pursuit_app::resumes::record_read(&state.db, user, id, outcome, true, Timestamp::now())
            .await?;
    Ok(axum::Json(Accepted {
        id: id.0,
        parse_status: status.as_str().to_owned(),
    }))
}

/// Records an outside parser's result on a job posting.
#[utoipa::path(post, path = "/api/v1/callbacks/job", tag = "callbacks", request_body = JobCallback,
    params(("X-Workflow-Token" = String, Header, description = "The configured workflow token")),
    responses(
        (status = 200, description = "Recorded", body = Accepted),
        (status = 401, description = "Missing or wrong token", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "No workflow token is configured", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad status or fields of the wrong shape", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn job_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<JobCallback>,
) -> Result<axum::Json<Accepted>, ApiError> {
    check_token(&state, &headers)?;
    let (status, error) = outcome_of(&body.status, body.error, body.parsed.as_ref())?;
    let id = PostingId(body.job_id);
    let user = postings::owner_of(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut posting = postings::get_posting(&state.db, user, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(text) = body.text.filter(|t| !t.trim().is_empty()) {
        if text.len() > crate::postings::MAX_TEXT {
            return Err(ApiError::invalid_field(
                "/text",
                format!("is longer than {} bytes", crate::postings::MAX_TEXT),
            ));
        }
        posting.raw_text = text;
    }
    match body.parsed.filter(|_| status == ParseStatus::Complete) {
        Some(value) => {
            let parsed: pursuit_text::posting::Posting = serde_json::from_value(value)
                .map_err(|e| ApiError::invalid_field("/parsed", e.to_string()))?;
            pursuit_app::postings::record_parse(&state.db, user, posting, parsed, Timestamp::now())
                .await?;
        }
        None => {
            posting.parse_status = status;
            posting.parse_error = error;
            posting.updated_at = Timestamp::now();
            let mut tx = state.db.begin().await?;
            postings::record_parse(&mut tx, user, &posting).await?;
            embed::enqueue(&mut tx, user, Source::Posting(id), posting.updated_at).await?;
            tx.commit().await?;
        }
    }
    Ok(axum::Json(Accepted {
        id: id.0,
        parse_status: status.as_str().to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token(b"s3cret-token", b"s3cret-token"));
        assert!(!same_token(b"s3cret-tokem", b"s3cret-token"));
        assert!(!same_token(b"s3cret", b"s3cret-token"));
        assert!(!same_token(b"s3cret-token-and-more", b"s3cret-token"));
        assert!(!same_token(b"", b"s3cret-token"));
    }
}
