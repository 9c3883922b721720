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
use crate::applications::filter_from_document;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::{ApiError, FieldError};

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

fn validate(body: &ViewRequest) -> Result<(String, Value), ApiError> {
    let mut errors = Vec::new();
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError {
            pointer: "/name".to_owned(),
            message: "must be 1 to 100 characters".to_owned(),
        });
    }
    if let Err(problems) = filter_from_document(&body.filters, Timestamp::now()) {
        errors.extend(problems.into_iter().map(|e| FieldError {
            pointer: format!("/filters{}", e.pointer),
            message: e.message,
        }));
    }
    if errors.is_empty() {
        Ok((name, Value::Object(body.filters.clone())))
    } else {
        Err(ApiError::validation(errors))
    }
}

fn duplicate(error: pursuit_store::StoreError) -> ApiError {
    match error {
        pursuit_store::StoreError::UniqueViolation { .. } => {
            ApiError::conflict("a view with this name exists")
        }
        other => other.into(),
    }
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
pub(crate) async fn create_view(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<ViewRequest>,
) -> Result<(StatusCode, Json<ViewResponse>), ApiError> {
    let (name, filters) = validate(&body)?;
    let mut tx = state.db.begin().await?;
    let position = views::next_position(&mut tx, current.id()).await?;
    let view = views::insert_view(
        &mut tx,
        current.id(),
        uuid::Uuid::now_v7(),
        &name,
        &filters,
        false,
        position,
        Timestamp::now(),
    )
    .await
    .map_err(duplicate)?;
    tx.commit().await?;
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
    views::get_view(&state.db, current.id(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (name, filters) = validate(&body)?;
    let view = views::update_view(
        &state.db,
        current.id(),
        id,
        &name,
        &filters,
        Timestamp::now(),
    )
    .await
    .map_err(duplicate)?
    .ok_or_else(ApiError::not_found)?;
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
