//! `GET /api/v1/tasks/{id}`: a background job the caller owns (users say "task"; "job"
//! means a job posting everywhere else in Pursuit).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_domain::ids::JobId;
use pursuit_store::jobs;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_task))
        .routes(routes!(retry_task))
}

/// A task queued: `202 Accepted`, its URL in `Location`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskAccepted {
    /// `GET /api/v1/tasks/{task_id}` shows its progress and, once done, its result.
    task_id: uuid::Uuid,
    /// The task's URL.
    href: String,
}

/// The answer to a request queued as a task: 202, `Location` the task,
/// `Preference-Applied: respond-async` when the caller asked for it.
pub(crate) fn accepted(task: JobId, preference_applied: bool) -> Response {
    let href = format!("/api/v1/tasks/{}", task.0);
    let mut response = (
        StatusCode::ACCEPTED,
        [(header::LOCATION, href.clone())],
        Json(TaskAccepted {
            task_id: task.0,
            href,
        }),
    )
        .into_response();
    if preference_applied {
        response.headers_mut().insert(
            HeaderName::from_static("preference-applied"),
            HeaderValue::from_static("respond-async"),
        );
    }
    response
}

/// Whether the request says `Prefer: respond-async` (RFC 7240): answer 202 with a task
/// rather than wait for long work.
pub(crate) fn prefers_async(headers: &HeaderMap) -> bool {
    headers
        .get_all(HeaderName::from_static("prefer"))
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| {
            p.split(';')
                .next()
                .is_some_and(|token| token.trim().eq_ignore_ascii_case("respond-async"))
        })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskError {
    attempt: i64,
    #[schema(value_type = String, format = DateTime)]
    at: String,
    error: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaskResponse {
    id: uuid::Uuid,
    /// What the task does, e.g. `mail.send`.
    kind: String,
    /// `queued`, `running`, `retryable`, `done`, `dead` or `cancelled`.
    state: String,
    attempt: i64,
    max_attempts: i64,
    /// 0–100 while running, for long tasks that report it.
    progress: Option<i64>,
    progress_message: Option<String>,
    /// The latest failure, if any.
    last_error: Option<String>,
    /// Every failed attempt, oldest first.
    errors: Vec<TaskError>,
    /// What the task made, once done: for writing, `{"document_id", "href"}`.
    #[schema(value_type = Option<Object>)]
    result: Option<serde_json::Value>,
    /// When the task runs (next).
    #[schema(value_type = String, format = DateTime)]
    run_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    started_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    finished_at: Option<Timestamp>,
}

/// A task of the caller's: state, attempts, progress and errors. Another user's task is 404.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = uuid::Uuid, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task", body = TaskResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_task(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<TaskResponse>, ApiError> {
    let job = pursuit_app::tasks::get(&state.db, current.id(), JobId(id)).await?;
    Ok(Json(task_response(job)))
}

fn task_response(job: jobs::Job) -> TaskResponse {
    let errors: Vec<TaskError> = job
        .errors
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| TaskError {
                    attempt: e["attempt"].as_i64().unwrap_or_default(),
                    at: e["at"].as_str().unwrap_or_default().to_owned(),
                    error: e["error"].as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    TaskResponse {
        id: job.id.0,
        kind: job.kind,
        state: job.state.as_str().to_owned(),
        attempt: job.attempt,
        max_attempts: job.max_attempts,
        progress: job.progress,
        progress_message: job.progress_message,
        last_error: errors.last().map(|e| e.error.clone()),
        errors,
        result: job.result,
        run_at: job.run_at,
        created_at: job.created_at,
        started_at: job.started_at,
        finished_at: job.finished_at,
    }
}

/// Runs a dead (or waiting-to-retry) task of the caller's again now, with a fresh attempt
/// budget; its error history is kept. A task that is queued, running or done is a 409.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/retry", tag = "tasks",
    params(("id" = uuid::Uuid, Path, description = "The task's id")),
    responses(
        (status = 200, description = "Queued again", body = TaskResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is not dead or waiting to retry", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn retry_task(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<TaskResponse>, ApiError> {
    let job =
        pursuit_app::tasks::retry(&state.db, current.id(), JobId(id), Timestamp::now()).await?;
    Ok(Json(task_response(job)))
}
