//! What came back to the caller's mailboxes over `pursuit_app::replies`: replies (with the
//! intent read and the status move they suggest), automatic answers, bounces and abuse
//! reports; applying a suggested move, undoing it, setting it aside.

use axum::extract::{Path, Query, State};
use jiff::Timestamp;
use pursuit_app::replies;
use pursuit_domain::ids::ReplyId;
use pursuit_store::replies::ReplyRow;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_replies))
        .routes(routes!(get_reply))
        .routes(routes!(apply_reply))
        .routes(routes!(undo_reply))
        .routes(routes!(dismiss_reply))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReplyResponse {
    id: uuid::Uuid,
    mailbox_id: uuid::Uuid,
    /// The outreach email it answers.
    outreach_id: Option<uuid::Uuid>,
    application_id: Option<uuid::Uuid>,
    /// `reply` (a person), `automatic` (out of office, a confirmation), `bounce` or
    /// `complaint` (an abuse report).
    kind: String,
    /// For a reply or an automatic answer: `interview_request`, `rejection`,
    /// `needs_action`, `out_of_office`, `auto_confirmation` or `other`.
    intent: Option<String>,
    /// How sure the reading is, 0–1.
    confidence: Option<f64>,
    from_address: Option<String>,
    from_name: Option<String>,
    subject: String,
    /// The answer's own words (the quoted email below it cut off).
    body: String,
    /// A bounce's kind, status and diagnostic; a complaint's feedback type.
    detail: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    received_at: Timestamp,
    /// The application status this reply suggests, if any.
    suggested_status: Option<String>,
    /// What became of the suggestion: `new`, `applied`, `dismissed` or `undone`.
    state: String,
    /// The status an applied move replaced (undo puts it back).
    previous_status: Option<String>,
}

pub(crate) fn reply_response(r: ReplyRow) -> ReplyResponse {
    ReplyResponse {
        id: r.id.0,
        mailbox_id: r.mailbox_id.0,
        outreach_id: r.outreach_id.map(|o| o.0),
        application_id: r.application_id.map(|a| a.0),
        kind: r.kind,
        intent: r.intent,
        confidence: r.confidence,
        from_address: r.from_address,
        from_name: r.from_name,
        subject: r.subject,
        body: r.body,
        detail: r.detail,
        received_at: r.received_at,
        suggested_status: r.suggested_status,
        state: r.state,
        previous_status: r.previous_status,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReplyList {
    items: Vec<ReplyResponse>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplyQuery {
    /// Only this kind: `reply`, `automatic`, `bounce` or `complaint`.
    kind: Option<String>,
}

/// What came back to the caller's mailboxes, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/replies", tag = "outreach", params(ReplyQuery),
    responses(
        (status = 200, description = "The replies", body = ReplyList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown kind", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_replies(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ReplyQuery>,
) -> Result<Json<ReplyList>, ApiError> {
    if let Some(kind) = &query.kind
        && !["reply", "automatic", "bounce", "complaint"].contains(&kind.as_str())
    {
        return Err(
            pursuit_app::AppError::Invalid(vec![pursuit_app::Invalid::new(
                "kind",
                "must be reply, automatic, bounce or complaint",
            )])
            .into(),
        );
    }
    let items = replies::list(&state.db, current.id(), query.kind.as_deref()).await?;
    Ok(Json(ReplyList {
        items: items.into_iter().map(reply_response).collect(),
    }))
}

/// One reply.
#[utoipa::path(get, path = "/api/v1/replies/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The reply's id")),
    responses(
        (status = 200, description = "The reply", body = ReplyResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ReplyResponse>, ApiError> {
    let reply = replies::get(&state.db, current.id(), ReplyId(id)).await?;
    Ok(Json(reply_response(reply)))
}

/// Applies the move a reply suggests to its application (undoable).
#[utoipa::path(post, path = "/api/v1/replies/{id}/apply", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The reply's id")),
    responses(
        (status = 200, description = "The reply, its move applied", body = ReplyResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No move to apply, or applied already", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn apply_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ReplyResponse>, ApiError> {
    let reply = replies::apply(&state.db, current.id(), ReplyId(id), Timestamp::now()).await?;
    Ok(Json(reply_response(reply)))
}

/// Puts the application back where it was before the reply's move.
#[utoipa::path(post, path = "/api/v1/replies/{id}/undo", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The reply's id")),
    responses(
        (status = 200, description = "The reply, its move undone", body = ReplyResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The move was not applied, or the application moved since", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn undo_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ReplyResponse>, ApiError> {
    let reply = replies::undo(&state.db, current.id(), ReplyId(id), Timestamp::now()).await?;
    Ok(Json(reply_response(reply)))
}

/// Sets a reply's suggested move aside.
#[utoipa::path(post, path = "/api/v1/replies/{id}/dismiss", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The reply's id")),
    responses(
        (status = 200, description = "The reply, its suggestion set aside", body = ReplyResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reply of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Its move is applied: undo it first", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn dismiss_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ReplyResponse>, ApiError> {
    let reply = replies::dismiss(&state.db, current.id(), ReplyId(id), Timestamp::now()).await?;
    Ok(Json(reply_response(reply)))
}
