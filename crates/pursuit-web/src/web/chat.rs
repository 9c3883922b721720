//! `/chat`: conversations with the assistant as pages — the list, one conversation with its
//! messages and a question box — over `pursuit_app::chat`, as the API does. The form posts
//! and the page shows the answer; with JavaScript (`/assets/chat.js`) the answer streams in
//! from `POST /api/v1/conversations/{id}/messages` as server-sent events.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use pursuit_app::chat as use_case;
use pursuit_domain::ids::{ConversationId, PostingId};
use serde_json::{Value, json};

use super::{PageForm, PageUser, forms, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/chat", get(list_page).post(start))
        .route("/chat/{id}", get(page).post(ask))
        .route("/chat/{id}/delete", post(remove))
}

async fn list_page(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let zone = user.0.zone();
    let rows: Vec<Value> = use_case::list(&state.db, user.0.id())
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "id": c.id.0.to_string(),
                "title": c.title,
                "when": c.updated_at.to_zoned(zone.clone()).strftime("%-d %b %Y, %H:%M").to_string(),
            })
        })
        .collect();
    Ok(render(
        "chats.html",
        StatusCode::OK,
        context! {
            version => state.settings.version,
            page => "chat",
            user => user.view(),
            csrf => user.csrf(),
            conversations => template_value(&rows),
        },
    ))
}

/// Starts a conversation (about a posting when the form names one) and opens it.
async fn start(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let job = form.text("job_id");
    let posting = if job.is_empty() {
        None
    } else {
        Some(PostingId(uuid::Uuid::parse_str(&job).map_err(|_| {
            ApiError::invalid_field("/job_id", "must be the id of one of your postings")
        })?))
    };
    let row = use_case::start(
        &state.db,
        user.0.id(),
        posting,
        None,
        jiff::Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/chat/{}", row.id.0)).into_response())
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show(&state, &user, id, None, None, StatusCode::OK).await
}

async fn show(
    state: &AppState,
    user: &PageUser,
    id: uuid::Uuid,
    error: Option<String>,
    typed: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let found = use_case::get(&state.db, user.0.id(), ConversationId(id)).await?;
    let zone = user.0.zone();
    let messages: Vec<Value> = found
        .messages
        .into_iter()
        .map(|m| {
            let when = m
                .created_at
                .to_zoned(zone.clone())
                .strftime("%H:%M")
                .to_string();
            let view = crate::chat::message(m);
            json!({"m": view, "when": when})
        })
        .collect();
    Ok(render(
        "chat.html",
        status,
        context! {
            version => state.settings.version,
            page => "chat",
            user => user.view(),
            csrf => user.csrf(),
            id => id.to_string(),
            title => found.row.title,
            job_id => found.row.posting_id.map(|p| p.0.to_string()),
            messages => template_value(&messages),
            error => error,
            typed => typed,
        },
    ))
}

/// Asks the question typed; a refusal shows the page with the question kept and why.
async fn ask(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let content = form.text("content");
    match use_case::ask(
        state.ai_services(),
        user.0.caller(),
        ConversationId(id),
        &content,
        jiff::Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/chat/{id}#latest")).into_response()),
        Err(error) => {
            let error = ApiError::from(error);
            let status = error.kind().status();
            if !status.is_client_error() || status == StatusCode::NOT_FOUND {
                return Err(error);
            }
            show(
                &state,
                &user,
                id,
                Some(forms::message(&error)),
                Some(content),
                status,
            )
            .await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    use_case::delete(&state.db, user.0.id(), ConversationId(id)).await?;
    Ok(Redirect::to("/chat").into_response())
}
