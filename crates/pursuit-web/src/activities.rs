//! Activities of an application (seed 002 §3.2, §7.3): interviews with their stage and
//! medium, follow-ups with their channel and reply deadline, calls, emails, notes. Same
//! concurrency rules as applications: `ETag` on reads, `If-Match` on PATCH and DELETE.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::Timestamp;
use pursuit_app::Precondition;
use pursuit_domain::ids::{ActivityId, ApplicationId, UserId};
use pursuit_store::activities::{self, Activity, ActivityData};
use pursuit_store::applications;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::fields::Fields;
use crate::idempotency::Idempotency;
use crate::problem::ApiError;
use crate::versioned::{self, version_sent};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_activities, create_activity))
        .routes(routes!(get_activity, patch_activity, delete_activity))
}

/// Create and update body; on update every field is optional and `null` clears.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ActivityRequest {
    /// Create only: a client-made id.
    id: Option<uuid::Uuid>,
    /// `Interview`, `FollowUp`, `Call`, `Email`, `Note`, `Other` (required on create).
    r#type: Option<String>,
    /// `scheduled` (needs `starts_at`), `done`, `canceled`; default `scheduled` when
    /// `starts_at` is given, else `done`.
    status: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    starts_at: Option<String>,
    duration_minutes: Option<i64>,
    timezone: Option<String>,
    outcome: Option<String>,
    next_action: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    next_action_due: Option<String>,
    notes: Option<String>,
    #[schema(value_type = Option<Object>)]
    related_contacts: Option<Value>,
    /// Interviews: `screening`, `technical`, `loop`, `offer`, `other`.
    interview_stage: Option<String>,
    /// Interviews: `onsite`, `zoom`, `phone`, `google_meet`, `teams`, `other`.
    interview_medium: Option<String>,
    location_or_link: Option<String>,
    agenda: Option<String>,
    #[schema(value_type = Option<Object>)]
    prep_checklist: Option<Value>,
    /// Follow-ups: `email`, `linkedin`, `phone`, `other`.
    followup_channel: Option<String>,
    template_used: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    reply_deadline: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivityResponse {
    id: uuid::Uuid,
    application_id: uuid::Uuid,
    r#type: String,
    status: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    starts_at: Option<Timestamp>,
    duration_minutes: Option<i64>,
    timezone: Option<String>,
    outcome: Option<String>,
    next_action: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    next_action_due: Option<Timestamp>,
    notes: Option<String>,
    #[schema(value_type = Option<Object>)]
    related_contacts: Option<Value>,
    interview_stage: Option<String>,
    interview_medium: Option<String>,
    location_or_link: Option<String>,
    agenda: Option<String>,
    #[schema(value_type = Option<Object>)]
    prep_checklist: Option<Value>,
    followup_channel: Option<String>,
    template_used: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    reply_deadline: Option<Timestamp>,
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(activity: &Activity) -> ActivityResponse {
    let d = &activity.data;
    ActivityResponse {
        id: activity.id.0,
        application_id: activity.application_id.0,
        r#type: d.kind.as_str().to_owned(),
        status: d.status.as_str().to_owned(),
        starts_at: d.starts_at,
        duration_minutes: d.duration_minutes,
        timezone: d.timezone.clone(),
        outcome: d.outcome.clone(),
        next_action: d.next_action.clone(),
        next_action_due: d.next_action_due,
        notes: d.notes.clone(),
        related_contacts: d.related_contacts.clone(),
        interview_stage: d.interview_stage.map(|v| v.as_str().to_owned()),
        interview_medium: d.interview_medium.map(|v| v.as_str().to_owned()),
        location_or_link: d.location_or_link.clone(),
        agenda: d.agenda.clone(),
        prep_checklist: d.prep_checklist.clone(),
        followup_channel: d.followup_channel.map(|v| v.as_str().to_owned()),
        template_used: d.template_used.clone(),
        reply_deadline: d.reply_deadline,
        version: activity.version,
        created_at: activity.created_at,
        updated_at: activity.updated_at,
    }
}

fn with_etag(status: StatusCode, activity: &Activity) -> Response {
    versioned::with_etag(status, response(activity), activity.version)
}

pub(crate) fn stale(current: &Activity, sent: i64) -> ApiError {
    versioned::stale("activity", response(current), current.version, sent)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivityList {
    items: Vec<ActivityResponse>,
    /// Always `null`: an application's activities fit on one page.
    next_cursor: Option<String>,
}

async fn owned_application(
    state: &AppState,
    current: &CurrentUser,
    id: uuid::Uuid,
) -> Result<ApplicationId, ApiError> {
    let id = ApplicationId(id);
    applications::get_application(&state.db, current.id(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(id)
}

/// The application's activities, by start time.
#[utoipa::path(get, path = "/api/v1/applications/{id}/activities", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "Its activities", body = ActivityList),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_activities(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ActivityList>, ApiError> {
    let application = owned_application(&state, &current, id).await?;
    let list = activities::list_activities(&state.db, current.id(), Some(application)).await?;
    Ok(Json(ActivityList {
        items: list.iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// Adds an activity. `type` is required; a `scheduled` one needs `starts_at`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/activities", tag = "applications", request_body = ActivityRequest,
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 201, description = "Created", body = ActivityResponse),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An activity with this id exists", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_activity(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let application = owned_application(&state, &current, id).await?;
    let path = format!("/api/v1/applications/{id}/activities");
    let idempotency = Idempotency::from_request(&headers, &path, &Value::Object(body.clone()))?;
    let (activity_id, data) =
        pursuit_app::activities::read_new(&body).map_err(ApiError::validation)?;
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    if let Some(key) = &idempotency
        && let Some(replayed) = key.replay(&mut tx, current.id()).await?
    {
        return Ok(replayed);
    }
    let created = pursuit_app::activities::create_in(
        &mut tx,
        current.id(),
        application,
        activity_id,
        &data,
        now,
    )
    .await?;
    if let Some(key) = &idempotency {
        let body = serde_json::to_value(response(&created)).unwrap_or(Value::Null);
        key.record(&mut tx, current.id(), StatusCode::CREATED, body)
            .await?;
    }
    tx.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &created))
}

/// One activity, with its version in `ETag`.
#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "The activity", body = ActivityResponse),
        (status = 404, description = "No such activity of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_activity(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let activity = activities::get_activity(&state.db, current.id(), ActivityId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(with_etag(StatusCode::OK, &activity))
}

/// Changes some fields; needs `If-Match` (428 without, 409 with the current activity when stale).
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "applications", request_body = ActivityRequest,
    params(("id" = uuid::Uuid, Path, description = "The activity's id"),
           ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = 200, description = "Updated", body = ActivityResponse),
        (status = 404, description = "No such activity of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_activity(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let updated = update(
        &state,
        current.id(),
        ActivityId(id),
        version_sent(&headers),
        &body,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

/// Applies a PATCH body to one of the user's activities at the version the caller read (the
/// API and the sidebar's row actions).
pub(crate) async fn update(
    state: &AppState,
    user: UserId,
    id: ActivityId,
    expected: Result<i64, Precondition>,
    body: &Map<String, Value>,
) -> Result<Activity, ApiError> {
    let edit = |data: &mut ActivityData| {
        let mut fields = Fields::default();
        pursuit_app::activities::apply(body, data, &mut fields);
        fields.finish()
    };
    Ok(
        pursuit_app::activities::update(&state.db, user, id, expected, edit, Timestamp::now())
            .await?,
    )
}

/// Deletes an activity; needs `If-Match`.
#[utoipa::path(delete, path = "/api/v1/activities/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The activity's id"),
           ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such activity of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_activity(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    pursuit_app::activities::delete(
        &state.db,
        current.id(),
        ActivityId(id),
        version_sent(&headers),
        Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
