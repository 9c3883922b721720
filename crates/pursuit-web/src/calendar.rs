//! The calendar feed: `GET /calendar/{secret}.ics` serves the user's upcoming interviews,
//! other timed activities and reminders as one iCalendar file that Google Calendar, Apple
//! Calendar or Outlook can subscribe to. The secret in the URL is the only credential
//! (calendar apps cannot sign in), so it is 256 random bits, stored as a hash, shown once,
//! and revocable; rotating it replaces the old URL.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use pursuit_app::calendar as calendar_events;
use pursuit_domain::calendar::{Calendar, Method};
use pursuit_store::{delivery, secret};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

/// How far back the feed reaches (recent events stay visible), and how much it holds.
const FEED_PAST: SignedDuration = SignedDuration::from_hours(24 * 30);
const FEED_LIMIT: i64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_feed, create_feed, revoke_feed))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedResponse {
    /// Whether a feed URL is live.
    active: bool,
    /// The subscription URL: only in the answer that created it (it is not stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    created_at: Option<Timestamp>,
    /// When a calendar app last fetched it.
    #[schema(value_type = Option<String>, format = DateTime)]
    last_used_at: Option<Timestamp>,
}

/// Whether the caller has a calendar feed (the URL itself is shown only when created).
#[utoipa::path(get, path = "/api/v1/calendar-feed", tag = "notifications",
    responses((status = 200, description = "The feed's state", body = FeedResponse)))]
async fn get_feed(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<FeedResponse>, ApiError> {
    let feed = delivery::get_feed(&state.db, current.id()).await?;
    Ok(Json(FeedResponse {
        active: feed.is_some(),
        url: None,
        created_at: feed.as_ref().map(|f| f.created_at),
        last_used_at: feed.and_then(|f| f.last_used_at),
    }))
}

/// Creates the caller's feed URL, or replaces it (the old URL stops working at once).
#[utoipa::path(post, path = "/api/v1/calendar-feed", tag = "notifications",
    responses((status = 201, description = "The new URL, shown this once", body = FeedResponse)))]
async fn create_feed(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let token = calendar_events::create_feed(&state.db, current.id(), now).await?;
    let body = FeedResponse {
        active: true,
        url: Some(feed_url(&state, &token)),
        created_at: Some(now),
        last_used_at: None,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Revokes the caller's feed URL.
#[utoipa::path(delete, path = "/api/v1/calendar-feed", tag = "notifications",
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "There was no feed", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn revoke_feed(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<StatusCode, ApiError> {
    calendar_events::revoke_feed(&state.db, current.id()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The address of the feed whose secret is `token`.
pub(crate) fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/calendar/{token}.ics", state.settings.base_url)
}

/// `GET /calendar/{secret}.ics`: the feed itself (no session: the secret is the key).
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let token = file
        .strip_suffix(".ics")
        .filter(|t| t.starts_with(calendar_events::FEED_TOKEN_PREFIX))
        .ok_or_else(ApiError::not_found)?;
    let now = Timestamp::now();
    let user_id = delivery::use_feed(&state.db, &secret::hash(token), now)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (activities, reminders) =
        delivery::feed_items(&state.db, user_id, now - FEED_PAST, FEED_LIMIT).await?;
    let base = &state.settings.base_url;
    let mut events: Vec<_> = activities
        .iter()
        .filter_map(|a| {
            calendar_events::activity_event(&a.activity, &a.company, &a.role_title, base, now)
        })
        .collect();
    events.extend(
        reminders
            .iter()
            .map(|r| calendar_events::reminder_event(&r.reminder, r.company.as_deref(), base, now)),
    );
    events.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));
    let calendar = Calendar {
        method: Method::Publish,
        name: Some("Pursuit".to_owned()),
        events,
    };
    let mut response = calendar.to_ics(state.settings.version).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"pursuit.ics\""),
    );
    Ok(response)
}
