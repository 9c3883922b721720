//! In-app notifications: what reminder delivery leaves for the user to see. Poll
//! `GET /api/v1/notifications?unread=true` (newest first, cursor-paginated), mark one read
//! or all read. They expire after the configured time (`notification_expiry_days`).

use axum::extract::{Path, Query, State};
use jiff::Timestamp;
use pursuit_domain::ids::NotificationId;
use pursuit_store::delivery::{self, Notification};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationResponse {
    id: uuid::Uuid,
    /// The reminder that left it (`null` once that reminder is deleted).
    reminder_id: Option<uuid::Uuid>,
    application_id: Option<uuid::Uuid>,
    title: String,
    /// Company and role, when the reminder belongs to an application.
    body: String,
    /// Where the web app shows the application.
    link: Option<String>,
    read: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    read_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    expires_at: Timestamp,
}

fn response(n: Notification) -> NotificationResponse {
    NotificationResponse {
        id: n.id.0,
        reminder_id: n.reminder_id.map(|r| r.0),
        application_id: n.application_id.map(|a| a.0),
        title: n.title,
        body: n.body,
        link: n.link,
        read: n.read_at.is_some(),
        read_at: n.read_at,
        created_at: n.created_at,
        expires_at: n.expires_at,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only unread ones.
    unread: Option<bool>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationPage {
    items: Vec<NotificationResponse>,
    next_cursor: Option<String>,
    /// Unread notifications in all, for a badge.
    unread_count: i64,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationPage),
        (status = 400, description = "A bad limit or cursor", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_notifications(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<NotificationPage>, ApiError> {
    let limit = page::limit(query.limit)?;
    let after =
        page::time_and_id(query.cursor.as_deref())?.map(|(at, id)| (at, NotificationId(id)));
    let now = Timestamp::now();
    let mut items = delivery::list_notifications(
        &state.db,
        current.id(),
        query.unread.unwrap_or(false),
        now,
        after,
        limit + 1,
    )
    .await?;
    let next_cursor = page::trim(&mut items, limit)
        .then(|| items.last().map(|n| page::encode(&[&n.created_at, &n.id])))
        .flatten();
    let unread_count = delivery::unread_count(&state.db, current.id(), now).await?;
    Ok(Json(NotificationPage {
        items: items.into_iter().map(response).collect(),
        next_cursor,
        unread_count,
    }))
}

/// Marks one notification read (again: no change).
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = uuid::Uuid, Path, description = "The notification's id")),
    responses(
        (status = 200, description = "Read", body = NotificationResponse),
        (status = 404, description = "No such notification of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<NotificationResponse>, ApiError> {
    let read = delivery::mark_read(
        &state.db,
        current.id(),
        NotificationId(id),
        Timestamp::now(),
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(Json(response(read)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    /// How many were unread.
    marked: u64,
}

/// Marks every notification of the caller read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 200, description = "Marked", body = MarkedRead)))]
pub(crate) async fn mark_all_read(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<MarkedRead>, ApiError> {
    let marked = delivery::mark_all_read(&state.db, current.id(), Timestamp::now()).await?;
    Ok(Json(MarkedRead { marked }))
}
