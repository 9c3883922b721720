//! The caller's own account: `GET /api/v1/auth/me` and `GET/PATCH /api/v1/settings`.

use axum::extract::State;
use jiff::Timestamp;
use pursuit_domain::account::{DisplayName, TimeZoneName};
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::schedule::{
    DailyWindow, LocalTime, QuietHours, SendWindow, parse_weekday, weekday_name,
};
use pursuit_domain::settings::{ReminderChannel, ReminderDefaults};
use pursuit_store::accounts::{self, Settings, User, UserChanges};
use pursuit_store::audit;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Credential, CurrentUser, RequestFacts};
use crate::AppState;
use crate::extract::Json;
use crate::problem::{ApiError, FieldError};

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

/// Distinguishes "absent" (keep) from `null` (clear) for nullable fields.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
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
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    display_name: Option<Option<String>>,
    time_zone: Option<String>,
    session_timeout_secs: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<WindowBody>)]
    quiet_hours: Option<Option<WindowBody>>,
    reminder_defaults: Option<ReminderDefaultsPatch>,
    send_window: Option<SendWindowPatch>,
    /// Statuses whose board column to hide (the whole list; `[]` shows every column).
    hidden_columns: Option<Vec<String>>,
}

/// Session idle timeout bounds: 15 minutes to 90 days.
const TIMEOUT_RANGE: std::ops::RangeInclusive<i64> = 15 * 60..=90 * 24 * 60 * 60;

/// Changes the caller's settings. All fields are checked first; any invalid field answers
/// 422 naming each one, and nothing is written.
#[utoipa::path(patch, path = "/api/v1/settings", tag = "auth", request_body = SettingsPatch,
    responses(
        (status = 200, description = "The updated settings", body = SettingsResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn patch_settings(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
    Json(patch): Json<SettingsPatch>,
) -> Result<Json<SettingsResponse>, ApiError> {
    let mut errors = Vec::new();
    let mut field = |pointer: &str, message: String| {
        errors.push(FieldError {
            pointer: pointer.to_owned(),
            message,
        })
    };
    let user_id = current.id();
    let mut settings = accounts::get_settings(&state.db, user_id).await?;

    let display_name = match &patch.display_name {
        None => None,
        Some(None) => Some(None),
        Some(Some(name)) => match DisplayName::parse(name) {
            Ok(name) => Some(Some(name)),
            Err(e) => {
                field("/display_name", e.0);
                None
            }
        },
    };
    let time_zone = patch.time_zone.as_deref().and_then(|zone| {
        TimeZoneName::parse(zone)
            .map_err(|e| field("/time_zone", e.0))
            .ok()
    });
    if let Some(secs) = patch.session_timeout_secs
        && !TIMEOUT_RANGE.contains(&secs)
    {
        field(
            "/session_timeout_secs",
            "must be between 900 (15 minutes) and 7776000 (90 days)".to_owned(),
        );
    }
    match &patch.quiet_hours {
        None => {}
        Some(None) => settings.quiet_hours = None,
        Some(Some(window)) => {
            let start =
                LocalTime::parse(&window.start).map_err(|e| field("/quiet_hours/start", e.0));
            let end = LocalTime::parse(&window.end).map_err(|e| field("/quiet_hours/end", e.0));
            if let (Ok(start), Ok(end)) = (start, end) {
                if start == end {
                    field(
                        "/quiet_hours",
                        "start and end must differ (use null for no quiet hours)".to_owned(),
                    );
                } else {
                    settings.quiet_hours = Some(QuietHours(DailyWindow { start, end }));
                }
            }
        }
    }
    if let Some(defaults) = &patch.reminder_defaults {
        let channels = match &defaults.channels {
            Some(names) => names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    ReminderChannel::parse(name)
                        .map_err(|e| field(&format!("/reminder_defaults/channels/{i}"), e.0))
                        .ok()
                })
                .collect(),
            None => settings.reminder_defaults.channels.clone(),
        };
        let days = defaults
            .follow_up_after_days
            .unwrap_or(settings.reminder_defaults.follow_up_after_days);
        match ReminderDefaults::validate(channels, days) {
            Ok(valid) => settings.reminder_defaults = valid,
            Err(e) => field("/reminder_defaults", e.0),
        }
    }
    if let Some(window) = &patch.send_window {
        let current_window = settings.send_window.window;
        let start = window
            .start
            .as_deref()
            .map_or(Ok(current_window.start), LocalTime::parse)
            .map_err(|e| field("/send_window/start", e.0));
        let end = window
            .end
            .as_deref()
            .map_or(Ok(current_window.end), LocalTime::parse)
            .map_err(|e| field("/send_window/end", e.0));
        let days = match &window.days {
            Some(names) => names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    parse_weekday(name)
                        .map_err(|e| field(&format!("/send_window/days/{i}"), e.0))
                        .ok()
                })
                .collect(),
            None => settings.send_window.days.clone(),
        };
        if let (Ok(start), Ok(end)) = (start, end) {
            match SendWindow::validate(DailyWindow { start, end }, days) {
                Ok(valid) => settings.send_window = valid,
                Err(e) => field("/send_window", e.0),
            }
        }
    }
    if let Some(names) = &patch.hidden_columns {
        let mut hidden: Vec<ApplicationStatus> = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                ApplicationStatus::parse(name)
                    .map_err(|e| field(&format!("/hidden_columns/{i}"), e.0))
                    .ok()
            })
            .collect();
        hidden.sort();
        hidden.dedup();
        settings.hidden_columns = hidden;
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }

    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    let changes = UserChanges {
        display_name,
        time_zone,
        session_timeout_secs: patch.session_timeout_secs,
    };
    accounts::update_user(&mut tx, user_id, &changes, now).await?;
    accounts::update_settings(&mut tx, user_id, &settings, now).await?;
    audit::insert_audit(
        &mut tx,
        &facts.audit(Some(user_id), "settings.updated"),
        now,
    )
    .await?;
    let user = accounts::get_user(&mut tx, user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    Ok(Json(settings_response(&user, &settings)))
}
