//! `/tasks/{id}`: a task of the user's followed in the browser — what it is doing, its
//! progress (the page refreshes itself while it works), and, once done, what it made: a
//! document written in the background opens by itself. A failed task says why and can be
//! tried again. Over `pursuit_app::tasks`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use pursuit_app::writing::{WriteDocument, Writing};
use pursuit_domain::ids::JobId;
use pursuit_store::jobs::{Job, JobSpec};
use serde_json::json;

use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/tasks/{id}", get(page))
        .route("/tasks/{id}/retry", post(retry))
}

/// What the task is, for its title, and the page it came from.
fn described(job: &Job) -> (String, Option<serde_json::Value>) {
    if job.kind == WriteDocument::KIND
        && let Ok(write) = serde_json::from_value::<WriteDocument>(job.payload.clone())
    {
        return match write.writing {
            Writing::Cv { posting_id } => (
                "Writing your CV".to_owned(),
                Some(json!({"href": format!("/jobs/{posting_id}"), "label": "The job"})),
            ),
            Writing::Letter { posting_id, .. } => (
                "Writing your cover letter".to_owned(),
                Some(json!({"href": format!("/jobs/{posting_id}"), "label": "The job"})),
            ),
            Writing::Refine { document_id, .. } => (
                "Rewriting your document".to_owned(),
                Some(json!({"href": format!("/documents/{document_id}"), "label": "The document"})),
            ),
        };
    }
    if job.kind == pursuit_app::companies::ResearchCompany::KIND
        && let Some(company) = job.payload["company_id"].as_str()
    {
        return (
            "Researching the company".to_owned(),
            Some(json!({"href": format!("/companies/{company}"), "label": "The company"})),
        );
    }
    (format!("Task {}", job.kind), None)
}

/// An error message as a sentence on the page (messages start in lower case in the API).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The page of what the task made, if it made something a page shows.
fn result_page(job: &Job) -> Option<String> {
    job.result
        .as_ref()
        .and_then(|r| r["document_id"].as_str())
        .map(|id| format!("/documents/{id}"))
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let job = pursuit_app::tasks::get(&state.db, user.0.id(), JobId(id)).await?;
    let result = result_page(&job);
    if job.state.as_str() == "done"
        && let Some(page) = &result
    {
        return Ok(Redirect::to(page).into_response());
    }
    let (title, back) = described(&job);
    let when = |t: jiff::Timestamp| {
        t.to_zoned(user.0.zone())
            .strftime("%-d %b %Y, %H:%M:%S")
            .to_string()
    };
    Ok(render(
        "task.html",
        StatusCode::OK,
        context! {
            page => "",
            user => user.view(),
            csrf => user.csrf(),
            id => id.to_string(),
            title => title,
            back => back.as_ref().map(template_value),
            live => pursuit_app::tasks::is_live(&job),
            state => job.state.as_str(),
            message => job.progress_message.clone(),
            progress => job.progress.unwrap_or(0),
            attempt => job.attempt,
            max_attempts => job.max_attempts,
            error => pursuit_app::tasks::last_error(&job).map(|e| capitalised(&e)),
            created => when(job.created_at),
            finished => job.finished_at.map(when),
            result_page => result,
        },
    ))
}

/// Runs a failed task again and follows it.
async fn retry(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    pursuit_app::tasks::retry(&state.db, user.0.id(), JobId(id), jiff::Timestamp::now()).await?;
    Ok(Redirect::to(&format!("/tasks/{id}")).into_response())
}
