//! Saved views (`/api/v1/views`): named filters over the caller's applications. Every new
//! account starts with "This Week's Follow-ups" and "Active Interviews"; list a view's
//! applications with `GET /api/v1/applications?view={id}`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use pursuit_store::views::{self, SavedView};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_views, create_view))
        .routes(routes!(update_view, delete_view))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ViewResponse {
    id: uuid::Uuid,
    name: String,
    /// `status` (list), `priority`, `source`, `tag`, `q`, `archived`, `from`, `to`,
    /// `due_within_days`.
    #[schema(value_type = Object)]
    filters: Value,
    /// One of the views every account starts with.
    seeded: bool,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

fn response(view: &SavedView) -> ViewResponse {
    ViewResponse {
        id: view.id,
        name: view.name.clone(),
        filters: view.filters.clone(),
        seeded: view.seeded,
        created_at: view.created_at,
        updated_at: view.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ViewList {
    items: Vec<ViewResponse>,
    /// Always `null`: a user's views fit on one page.
    next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ViewRequest {
    /// 1 to 100 characters, unique among the caller's views.
    name: String,
    #[schema(value_type = Object)]
    filters: Map<String, Value>,
}

/// The caller's saved views, in the order they were added.
#[utoipa::path(get, path = "/api/v1/views", tag = "applications",
    responses(
        (status = 200, description = "The views", body = ViewList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_views(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<ViewList>, ApiError> {
    let list = views::list_views(&state.db, current.id()).await?;
    Ok(Json(ViewList {
        items: list.iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// Saves a named filter.
#[utoipa::path(post, path = "/api/v1/views", tag = "applications", request_body = ViewRequest,
    responses(
        (status = 201, description = "Saved", body = ViewResponse),
        (status = 409, description = "The name is taken", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or filters", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_view(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<ViewRequest>,
) -> Result<(StatusCode, Json<ViewResponse>), ApiError> {
    let view = pursuit_app::views::create(
        &state.db,
        current.id(),
        &body.name,
        &body.filters,
        Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(response(&view))))
}

/// Renames a view or replaces its filters.
#[utoipa::path(put, path = "/api/v1/views/{id}", tag = "applications", request_body = ViewRequest,
    params(("id" = uuid::Uuid, Path, description = "The view's id")),
    responses(
        (status = 200, description = "Saved", body = ViewResponse),
        (status = 404, description = "No such view of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or filters", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_view(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<ViewRequest>,
) -> Result<Json<ViewResponse>, ApiError> {
    let view = pursuit_app::views::update(
        &state.db,
        current.id(),
        id,
        &body.name,
        &body.filters,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(&view)))
}

/// Deletes a view (seeded ones too).
#[utoipa::path(delete, path = "/api/v1/views/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The view's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such view of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_view(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    if views::delete_view(&state.db, current.id(), id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}
