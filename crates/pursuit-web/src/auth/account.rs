//! The caller's own account: `GET /api/v1/auth/me` and `GET/PATCH /api/v1/settings`.

use axum::extract::State;
use jiff::Timestamp;
use pursuit_domain::schedule::weekday_name;
use pursuit_store::accounts::{self, Settings, User};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Credential, CurrentUser, RequestFacts};
use crate::AppState;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(get_settings, patch_settings))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    id: uuid::Uuid,
    email: String,
    display_name: Option<String>,
    /// IANA time zone; dates and reminders are computed in it.
    time_zone: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    email_verified_at: Option<Timestamp>,
    /// Idle time after which a session ends.
    session_timeout_secs: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

pub fn user_response(user: &User) -> UserResponse {
    UserResponse {
        id: user.id.0,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        time_zone: user.time_zone.clone(),
        email_verified_at: user.email_verified_at,
        session_timeout_secs: user.session_timeout_secs,
        created_at: user.created_at,
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone)]
pub struct WindowBody {
    /// `HH:MM`, 24-hour, in the user's zone.
    start: String,
    /// `HH:MM`; earlier than `start` means the window crosses midnight.
    end: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReminderDefaultsBody {
    /// Channels of rule reminders: `in_app`, `email`, `calendar`.
    channels: Vec<String>,
    follow_up_after_days: u16,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SendWindowBody {
    start: String,
    end: String,
    /// `mon` … `sun`.
    days: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SettingsResponse {
    display_name: Option<String>,
    time_zone: String,
    session_timeout_secs: i64,
    /// No reminders are delivered inside quiet hours; `null` means none.
    quiet_hours: Option<WindowBody>,
    reminder_defaults: ReminderDefaultsBody,
    /// When outreach may go out, in the recipient's zone.
    send_window: SendWindowBody,
    /// Statuses whose board column is hidden.
    hidden_columns: Vec<String>,
}

fn settings_response(user: &User, settings: &Settings) -> SettingsResponse {
    SettingsResponse {
        display_name: user.display_name.clone(),
        time_zone: user.time_zone.clone(),
        session_timeout_secs: user.session_timeout_secs,
        quiet_hours: settings.quiet_hours.map(|q| WindowBody {
            start: q.0.start.to_string(),
            end: q.0.end.to_string(),
        }),
        reminder_defaults: ReminderDefaultsBody {
            channels: settings
                .reminder_defaults
                .channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            follow_up_after_days: settings.reminder_defaults.follow_up_after_days,
        },
        send_window: SendWindowBody {
            start: settings.send_window.window.start.to_string(),
            end: settings.send_window.window.end.to_string(),
            days: settings
                .send_window
                .days
                .iter()
                .map(|d| weekday_name(*d).to_owned())
                .collect(),
        },
        hidden_columns: settings
            .hidden_columns
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    user: UserResponse,
    settings: SettingsResponse,
    /// For cookie sessions: send as `x-csrf-token` on unsafe requests. Absent for API tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    csrf_token: Option<String>,
}

/// Who is calling: the user, their settings, and (for a browser session) the CSRF token.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn me(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<MeResponse>, ApiError> {
    let settings = accounts::get_settings(&state.db, current.id()).await?;
    let csrf_token = match &current.credential {
        Credential::Session { csrf_token, .. } => Some(csrf_token.clone()),
        Credential::ApiToken { .. } => None,
    };
    Ok(Json(MeResponse {
        user: user_response(&current.user),
        settings: settings_response(&current.user, &settings),
        csrf_token,
    }))
}

/// The caller's settings.
#[utoipa::path(get, path = "/api/v1/settings", tag = "auth",
    responses(
        (status = 200, description = "The caller's settings", body = SettingsResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_settings(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SettingsResponse>, ApiError> {
    let settings = accounts::get_settings(&state.db, current.id()).await?;
    Ok(Json(settings_response(&current.user, &settings)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReminderDefaultsPatch {
    channels: Option<Vec<String>>,
    follow_up_after_days: Option<u16>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SendWindowPatch {
    start: Option<String>,
    end: Option<String>,
    days: Option<Vec<String>>,
}

/// Every field is optional: absent fields keep their value; `null` clears a nullable one.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SettingsPatch {
    /// The account's email address, where reminders and sign-in links go. A new one is
    /// unverified until a sign-in link sent to it is used; another account's is a 422.
    email: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    display_name: Option<Option<String>>,
    time_zone: Option<String>,
    session_timeout_secs: Option<i64>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<WindowBody>)]
    quiet_hours: Option<Option<WindowBody>>,
    reminder_defaults: Option<ReminderDefaultsPatch>,
    send_window: Option<SendWindowPatch>,
    /// Statuses whose board column to hide (the whole list; `[]` shows every column).
    hidden_columns: Option<Vec<String>>,
}

impl From<SettingsPatch> for pursuit_app::accounts::SettingsChange {
    fn from(patch: SettingsPatch) -> Self {
        pursuit_app::accounts::SettingsChange {
            email: patch.email,
            display_name: patch.display_name,
            time_zone: patch.time_zone,
            session_timeout_secs: patch.session_timeout_secs,
            quiet_hours: patch.quiet_hours.map(|w| {
                w.map(|w| pursuit_app::accounts::WindowChange {
                    start: w.start,
                    end: w.end,
                })
            }),
            reminder_defaults: patch.reminder_defaults.map(|d| {
                pursuit_app::accounts::ReminderDefaultsChange {
                    channels: d.channels,
                    follow_up_after_days: d.follow_up_after_days,
                }
            }),
            send_window: patch
                .send_window
                .map(|w| pursuit_app::accounts::SendWindowChange {
                    start: w.start,
                    end: w.end,
                    days: w.days,
                }),
            hidden_columns: patch.hidden_columns,
        }
    }
}

/// Changes the caller's settings. All fields are checked first; any invalid field answers
/// 422 naming each one, and nothing is written.
#[utoipa::path(patch, path = "/api/v1/settings", tag = "auth", request_body = SettingsPatch,
    responses(
        (status = 200, description = "The updated settings", body = SettingsResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_settings(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
    Json(patch): Json<SettingsPatch>,
) -> Result<Json<SettingsResponse>, ApiError> {
    let (user, settings) = pursuit_app::accounts::update_settings(
        &state.db,
        current.id(),
        patch.into(),
        &facts.origin(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(settings_response(&user, &settings)))
}
