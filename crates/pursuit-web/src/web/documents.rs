//! `/documents`: the user's tailored documents, and `/documents/{id}`: one of them — the
//! text with the claims the guard could not support marked, what was chosen and what is
//! missing, editing, confirming a claim with its source, export (refused while a claim is
//! neither supported nor confirmed) — over `pursuit_app::documents`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::documents::{self as use_case, Confirmation, Document, DocumentChange, Format};
use pursuit_app::writing::{self, Writing, Written};
use pursuit_domain::ids::DocumentId;
use serde_json::{Value, json};

use super::forms;
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/documents", get(list_page))
        .route("/documents/{id}", get(page).post(save))
        .route("/documents/{id}/confirm", post(confirm))
        .route("/documents/{id}/refine", post(refine))
        .route("/documents/{id}/delete", post(remove))
        .route("/documents/{id}/export", get(export))
}

async fn list_page(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let zone = user.0.zone();
    let rows: Vec<Value> = use_case::list(&state.db, user.0.id(), None)
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "id": d.row.id.0.to_string(),
                "title": d.row.title,
                "job_id": d.row.posting_id.map(|p| p.0.to_string()),
                "when": d.row.created_at.to_zoned(zone.clone()).strftime("%-d %b %Y").to_string(),
                "blocking": d.blocking.len(),
                "edited": d.edited,
            })
        })
        .collect();
    Ok(render(
        "documents.html",
        StatusCode::OK,
        context! {
            version => state.settings.version,
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            documents => template_value(&rows),
        },
    ))
}

/// The text cut into pieces, the unsupported and unconfirmed claims marked.
fn pieces(document: &Document) -> Vec<Value> {
    let spans = document.blocking.iter().map(|c| (c.start, c.end)).collect();
    super::ai::marked_spans(&document.row.body, spans)
}

/// A refusal shown on the document's page, with what was typed kept in its field (`body`,
/// `instructions`); anything but a 4xx (and a 404) is passed on.
async fn refused(
    state: &AppState,
    user: &PageUser,
    id: uuid::Uuid,
    error: pursuit_app::AppError,
    body: Option<String>,
    instructions: Option<&str>,
) -> Result<Response, ApiError> {
    let error = ApiError::from(error);
    let status = error.kind().status();
    if !status.is_client_error() || status == StatusCode::NOT_FOUND {
        return Err(error);
    }
    let document = use_case::get(&state.db, user.0.id(), DocumentId(id)).await?;
    Ok(show_asking(
        state,
        user,
        &document,
        None,
        Some(forms::message(&error)),
        body,
        instructions,
        status,
    ))
}

fn show(
    state: &AppState,
    user: &PageUser,
    document: &Document,
    notice: Option<String>,
    error: Option<String>,
    body: Option<String>,
    status: StatusCode,
) -> Response {
    show_asking(state, user, document, notice, error, body, None, status)
}

/// The document's page, with `instructions` kept in the "Ask for changes" field.
#[allow(clippy::too_many_arguments)]
fn show_asking(
    state: &AppState,
    user: &PageUser,
    document: &Document,
    notice: Option<String>,
    error: Option<String>,
    body: Option<String>,
    instructions: Option<&str>,
    status: StatusCode,
) -> Response {
    let report = &document.row.report;
    let confirmed: Vec<Value> = document
        .confirmations
        .iter()
        .map(|c| json!({"words": c.words, "source": c.source}))
        .collect();
    render(
        "document.html",
        status,
        context! {
            version => state.settings.version,
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            notice => notice,
            error => error,
            id => document.row.id.0.to_string(),
            title => document.row.title.clone(),
            job_id => document.row.posting_id.map(|p| p.0.to_string()),
            body => body.unwrap_or_else(|| document.row.body.clone()),
            pieces => template_value(&pieces(document)),
            blocking => template_value(&document.blocking),
            confirmed => template_value(&confirmed),
            edited => document.edited,
            pdf => use_case::PDF_BUILT,
            instructions => instructions,
            refined_from => document.row.report["refined_from"].as_str(),
            asked => document.row.report["instructions"].as_str(),
            matching => template_value(&report["matching_skills"]),
            gaps => template_value(&report["gaps"]),
            language_note => report["language_note"].as_str(),
            change_log => template_value(&report["change_log"]),
            score_before => report["score_before"].as_u64(),
            score_after => report["score_after"].as_u64(),
            required_addressed => report["required_addressed"].as_u64(),
            required_asked => report["required_asked"].as_u64(),
            left_out => report["bullets_left_out"].as_u64(),
            kind => document.row.kind.clone(),
            words => report["words"].as_u64(),
            // A pitch's length is its text's now (an edit changes it).
            chars => (document.row.kind == "pitch").then(|| document.row.body.chars().count()),
            target_chars => template_value(&report["target_chars"]),
            tone => report["tone"].as_str(),
            target => template_value(&report["target_words"]),
            short_of_preset => report["short_of_preset"].as_bool().unwrap_or(false),
            provider => document.row.provider.clone(),
            model => document.row.model.clone(),
        },
    )
}

#[derive(serde::Deserialize, Default)]
struct Done {
    saved: Option<String>,
    confirmed: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
    Query(done): Query<Done>,
) -> Result<Response, ApiError> {
    let document = use_case::get(&state.db, user.0.id(), DocumentId(id)).await?;
    let notice = if done.saved.is_some() {
        Some("Saved, and checked again.".to_owned())
    } else {
        done.confirmed
            .map(|_| "Claim confirmed with its source.".to_owned())
    };
    Ok(show(
        &state,
        &user,
        &document,
        notice,
        None,
        None,
        StatusCode::OK,
    ))
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let change = DocumentChange {
        title: None,
        body: Some(form.text("body")),
        confirmations: None,
    };
    match use_case::update(
        &state.db,
        user.0.id(),
        DocumentId(id),
        change,
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?saved=1")).into_response()),
        Err(error) => refused(&state, &user, id, error, Some(form.text("body")), None).await,
    }
}

/// Rewrites the document as asked (the use case behind `POST /api/v1/documents/{id}/refine`)
/// and opens the new one (through a task's page when a model writes it); a refusal is shown
/// on this document's page, the request kept.
async fn refine(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let instructions = form.text("instructions");
    // A model may take its time: the rewrite is a task the page follows.
    match writing::write_or_queue(
        state.ai_services(),
        user.0.caller(),
        Writing::refine(DocumentId(id), &instructions),
        Timestamp::now(),
    )
    .await
    {
        Ok(done) => Ok(Redirect::to(&next_page(done)).into_response()),
        Err(error) => refused(&state, &user, id, error, None, Some(&instructions)).await,
    }
}

async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let document = use_case::get(&state.db, user.0.id(), DocumentId(id)).await?;
    let mut confirmations = document.confirmations.clone();
    confirmations.retain(|c| c.words != form.text("words"));
    confirmations.push(Confirmation {
        words: form.text("words"),
        source: form.text("source"),
    });
    let change = DocumentChange {
        title: None,
        body: None,
        confirmations: Some(confirmations),
    };
    match use_case::update(
        &state.db,
        user.0.id(),
        DocumentId(id),
        change,
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?confirmed=1")).into_response()),
        Err(error) => refused(&state, &user, id, error, None, None).await,
    }
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let document = use_case::get(&state.db, user.0.id(), DocumentId(id)).await?;
    use_case::delete(&state.db, user.0.id(), DocumentId(id), Timestamp::now()).await?;
    let back = match document.row.posting_id {
        Some(job) => format!("/jobs/{}", job.0),
        None => "/documents".to_owned(),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(serde::Deserialize, Default)]
struct ExportQuery {
    format: Option<String>,
}

async fn export(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = match query.format.as_deref() {
        Some("json_resume") => Format::JsonResume,
        Some("pdf") => Format::Pdf,
        Some("docx") => Format::Docx,
        _ => Format::Markdown,
    };
    match use_case::export(
        &state.db,
        user.0.id(),
        DocumentId(id),
        format,
        Timestamp::now(),
    )
    .await
    {
        Ok(file) => Ok(crate::documents::attachment(file)),
        Err(pursuit_app::AppError::Conflict(reason)) => {
            let document = use_case::get(&state.db, user.0.id(), DocumentId(id)).await?;
            Ok(show(
                &state,
                &user,
                &document,
                None,
                Some(reason),
                None,
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// Where a page goes once writing is done or queued: the document, or the task's page.
pub(super) fn next_page(written: Written) -> String {
    match written {
        Written::Now(document) => format!("/documents/{}", document.0),
        Written::Queued(task) => format!("/tasks/{}", task.0),
    }
}
