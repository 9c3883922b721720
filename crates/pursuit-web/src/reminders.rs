//! Reminders (seed 002 §7.4): custom ones on an application or activity, and the rule ones
//! the tracker plans on status changes. Reschedule, rename, change channels or cancel with
//! PATCH (`If-Match`); delivery is the worker's (in-app, email, calendar).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::Timestamp;
use pursuit_app::Precondition;
use pursuit_app::reminders::ReminderChange;
use pursuit_domain::ids::{ApplicationId, ReminderId, UserId};
use pursuit_store::delivery;
use pursuit_store::reminders::{self, Reminder, ReminderFilter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;
use crate::versioned::{self, version_sent};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reminders, create_reminder))
        .routes(routes!(get_reminder, patch_reminder, delete_reminder))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReminderResponse {
    id: uuid::Uuid,
    application_id: Option<uuid::Uuid>,
    activity_id: Option<uuid::Uuid>,
    title: String,
    #[schema(value_type = String, format = DateTime)]
    due_at: Timestamp,
    /// `in_app`, `email`, `calendar`.
    channels: Vec<String>,
    sent: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    sent_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    canceled_at: Option<Timestamp>,
    /// The default rule that planned it (`applied_follow_up`, `offer_response`,
    /// `on_hold_check_in`), or `null` for a custom reminder.
    rule: Option<String>,
    #[schema(value_type = Option<Object>)]
    meta: Option<Value>,
    /// `pending` (waiting for its time), `sent`, `failed` or `skipped` (the application was
    /// archived or moved on, the event started, …); the reason is in `delivery_note`.
    delivery: String,
    delivery_note: Option<String>,
    /// Per channel (only on `GET /api/v1/reminders/{id}`, once delivery started).
    #[serde(skip_serializing_if = "Option::is_none")]
    deliveries: Option<Vec<ChannelDeliveryResponse>>,
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

/// The delivery of a reminder on one channel.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChannelDeliveryResponse {
    /// `in_app`, `email`, `calendar`.
    channel: String,
    /// `pending`, `sent`, `failed`, `skipped`.
    state: String,
    attempts: i64,
    /// The last failure, e.g. the mail server's answer.
    last_error: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    delivered_at: Option<Timestamp>,
}

pub(crate) fn response(r: &Reminder) -> ReminderResponse {
    ReminderResponse {
        id: r.id.0,
        application_id: r.application_id.map(|a| a.0),
        activity_id: r.activity_id.map(|a| a.0),
        title: r.title.clone(),
        due_at: r.due_at,
        channels: r.channels.iter().map(|c| c.as_str().to_owned()).collect(),
        sent: r.sent,
        sent_at: r.sent_at,
        canceled_at: r.canceled_at,
        rule: r.rule.clone(),
        meta: r.meta.clone(),
        delivery: r.delivery.as_str().to_owned(),
        delivery_note: r.delivery_note.clone(),
        deliveries: None,
        version: r.version,
        created_at: r.created_at,
    }
}

/// One of the caller's reminders, with its per-channel delivery.
#[utoipa::path(get, path = "/api/v1/reminders/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The reminder's id")),
    responses(
        (status = 200, description = "The reminder", body = ReminderResponse),
        (status = 404, description = "No such reminder of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_reminder(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let id = ReminderId(id);
    let reminder = reminders::get_reminder(&state.db, current.id(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let deliveries = delivery::channel_deliveries(&state.db, current.id(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut body = response(&reminder);
    body.deliveries = Some(
        deliveries
            .into_iter()
            .map(|d| ChannelDeliveryResponse {
                channel: d.channel.as_str().to_owned(),
                state: d.state.as_str().to_owned(),
                attempts: d.attempts,
                last_error: d.last_error,
                delivered_at: d.delivered_at,
            })
            .collect(),
    );
    Ok(versioned::with_etag(StatusCode::OK, body, reminder.version))
}

fn with_etag(status: StatusCode, reminder: &Reminder) -> Response {
    versioned::with_etag(status, response(reminder), reminder.version)
}

pub(crate) fn stale(current: &Reminder, sent: i64) -> ApiError {
    versioned::stale("reminder", response(current), current.version, sent)
}

/// A custom reminder on one of the caller's applications or activities (at least one).
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReminderRequest {
    application_id: Option<uuid::Uuid>,
    activity_id: Option<uuid::Uuid>,
    title: String,
    #[schema(value_type = String, format = DateTime)]
    due_at: String,
    /// Default: the user's reminder channels.
    channels: Option<Vec<String>>,
}

/// Creates a custom reminder.
#[utoipa::path(post, path = "/api/v1/reminders", tag = "applications", request_body = ReminderRequest,
    responses(
        (status = 201, description = "Created", body = ReminderResponse),
        (status = 422, description = "Invalid fields, or no application or activity of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_reminder(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let reminder = create(&state, current.id(), &body).await?;
    Ok(with_etag(StatusCode::CREATED, &reminder))
}

/// Reads a create body and creates the reminder (the API and the sidebar's form).
pub(crate) async fn create(
    state: &AppState,
    user: UserId,
    body: &Map<String, Value>,
) -> Result<Reminder, ApiError> {
    Ok(pursuit_app::reminders::create_from(&state.db, user, body, Timestamp::now()).await?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(value_type = Option<String>, format = DateTime)]
    due_before: Option<String>,
    #[param(value_type = Option<String>, format = DateTime)]
    due_after: Option<String>,
    sent: Option<bool>,
    application_id: Option<uuid::Uuid>,
    /// Include cancelled reminders.
    include_canceled: Option<bool>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReminderPage {
    items: Vec<ReminderResponse>,
    next_cursor: Option<String>,
}

/// The caller's reminders by due time, with filters and cursor pagination.
#[utoipa::path(get, path = "/api/v1/reminders", tag = "applications", params(ListQuery),
    responses(
        (status = 200, description = "A page of reminders", body = ReminderPage),
        (status = 400, description = "A bad filter, limit or cursor", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_reminders(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<ReminderPage>, ApiError> {
    let limit = page::limit(query.limit)?;
    let time = |value: &Option<String>, name: &str| -> Result<Option<Timestamp>, ApiError> {
        value
            .as_deref()
            .map(|t| {
                t.parse()
                    .map_err(|_| ApiError::bad_request(format!("{name} must be an RFC 3339 time")))
            })
            .transpose()
    };
    let filter = ReminderFilter {
        due_before: time(&query.due_before, "due_before")?,
        due_after: time(&query.due_after, "due_after")?,
        sent: query.sent,
        application_id: query.application_id.map(ApplicationId),
        include_canceled: query.include_canceled.unwrap_or(false),
    };
    let after = page::time_and_id(query.cursor.as_deref())?.map(|(at, id)| (at, ReminderId(id)));
    let mut items =
        reminders::list_reminders(&state.db, current.id(), &filter, after, limit + 1).await?;
    let next_cursor = page::trim(&mut items, limit)
        .then(|| items.last().map(|r| page::encode(&[&r.due_at, &r.id])))
        .flatten();
    Ok(Json(ReminderPage {
        items: items.iter().map(response).collect(),
        next_cursor,
    }))
}

/// Reschedules (`due_at`), renames (`title`), re-channels (`channels`) or cancels
/// (`canceled: true`; `false` restores) a reminder. Needs `If-Match`.
#[utoipa::path(patch, path = "/api/v1/reminders/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The reminder's id"),
           ("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = Object, description = "Any of `due_at`, `title`, `channels`, `canceled`"),
    responses(
        (status = 200, description = "Updated", body = ReminderResponse),
        (status = 404, description = "No such reminder of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read, or already sent", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_reminder(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let updated = update(
        &state,
        current.id(),
        ReminderId(id),
        version_sent(&headers),
        &body,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

/// Applies a PATCH body to one of the user's reminders at the version the caller read (the
/// API and the sidebar's reschedule and cancel).
pub(crate) async fn update(
    state: &AppState,
    user: UserId,
    id: ReminderId,
    expected: Result<i64, Precondition>,
    body: &Map<String, Value>,
) -> Result<Reminder, ApiError> {
    let now = Timestamp::now();
    let edit =
        |change: &mut ReminderChange| pursuit_app::reminders::apply_change(body, change, now);
    Ok(pursuit_app::reminders::update(&state.db, user, id, expected, edit, now).await?)
}

/// Deletes a reminder; needs `If-Match`.
#[utoipa::path(delete, path = "/api/v1/reminders/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The reminder's id"),
           ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such reminder of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_reminder(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    pursuit_app::reminders::delete(
        &state.db,
        current.id(),
        ReminderId(id),
        version_sent(&headers),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
