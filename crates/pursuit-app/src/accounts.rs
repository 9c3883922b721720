//! Account use cases with an audit trail: settings and API tokens. Each writes its audit entry in the
//! same transaction as the change, with where the request came from ([`Origin`]) when
//! there was a request (the CLI has none).

use jiff::Timestamp;
use pursuit_domain::account::{DisplayName, EmailAddress, TimeZoneName};
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::{ApiTokenId, UserId};
use pursuit_domain::schedule::{DailyWindow, LocalTime, QuietHours, SendWindow, parse_weekday};
use pursuit_domain::settings::{ReminderChannel, ReminderDefaults};
use pursuit_store::Db;
use pursuit_store::accounts::{self, ApiToken, Settings, User, UserChanges};
use pursuit_store::audit::{self, NewAuditEntry};

use crate::error::{AppError, Invalid};

/// Where a change came from, for the audit log.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl Origin {
    /// The audit entry of `action` by `user` on an API token.
    fn token_entry(&self, user: UserId, action: &'static str, token: ApiTokenId) -> NewAuditEntry {
        NewAuditEntry {
            user_id: Some(user),
            action,
            entity_type: Some("api_token"),
            entity_id: Some(token.to_string()),
            request_id: self.request_id.clone(),
            ip: self.ip.clone(),
            detail: None,
        }
    }
}

/// A new API token named `name` (1–100 characters, no control characters), valid until
/// `expires_at` (in the future) or revoked; returns it with its secret, which is never
/// stored and so never shown again.
pub async fn create_token(
    db: &Db,
    user: UserId,
    name: &str,
    expires_at: Option<Timestamp>,
    origin: &Origin,
    now: Timestamp,
) -> Result<(ApiToken, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::Invalid(vec![Invalid::new(
            "name",
            "must be 1 to 100 characters without control characters",
        )]));
    }
    if expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::Invalid(vec![Invalid::new(
            "expires_at",
            "must be in the future",
        )]));
    }
    let mut tx = db.begin().await?;
    let (token, secret) = accounts::create_api_token(&mut tx, user, name, expires_at, now).await?;
    audit::insert_audit(
        &mut tx,
        &origin.token_entry(user, "token.created", token.id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((token, secret))
}

/// Revokes one of the user's tokens at once (another user's id is [`AppError::NotFound`]).
pub async fn revoke_token(
    db: &Db,
    user: UserId,
    id: ApiTokenId,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    if !accounts::revoke_api_token(&mut tx, user, id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::insert_audit(&mut tx, &origin.token_entry(user, "token.revoked", id), now).await?;
    tx.commit().await?;
    Ok(())
}

/// A change of the user's settings, as asked: every field optional (absent keeps the value;
/// `Some(None)` clears a nullable one), checked by [`update_settings`].
#[derive(Clone, Debug, Default)]
pub struct SettingsChange {
    /// The account's email address (where reminders and sign-in links go).
    pub email: Option<String>,
    pub display_name: Option<Option<String>>,
    /// An IANA zone.
    pub time_zone: Option<String>,
    /// Seconds, 15 minutes to 90 days.
    pub session_timeout_secs: Option<i64>,
    pub quiet_hours: Option<Option<WindowChange>>,
    pub reminder_defaults: Option<ReminderDefaultsChange>,
    pub send_window: Option<SendWindowChange>,
    /// Statuses whose board column to hide (the whole list).
    pub hidden_columns: Option<Vec<String>>,
}

/// A daily window, `HH:MM` to `HH:MM` in the user's zone.
#[derive(Clone, Debug)]
pub struct WindowChange {
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, Default)]
pub struct ReminderDefaultsChange {
    pub channels: Option<Vec<String>>,
    pub follow_up_after_days: Option<u16>,
}

#[derive(Clone, Debug, Default)]
pub struct SendWindowChange {
    pub start: Option<String>,
    pub end: Option<String>,
    pub days: Option<Vec<String>>,
}

/// Session idle timeout bounds: 15 minutes to 90 days.
const TIMEOUT_RANGE: std::ops::RangeInclusive<i64> = 15 * 60..=90 * 24 * 60 * 60;

/// Changes the user's settings (and the account fields among them) with an audit entry.
/// Every field is checked first; any invalid one is [`AppError::Invalid`] naming each, and
/// nothing is written.
pub async fn update_settings(
    db: &Db,
    user: UserId,
    change: SettingsChange,
    origin: &Origin,
    now: Timestamp,
) -> Result<(User, Settings), AppError> {
    let mut errors = Vec::new();
    let mut field = |pointer: &str, message: String| {
        errors.push(Invalid {
            field: pointer.to_owned(),
            message,
        })
    };
    let user_id = user;
    let mut settings = accounts::get_settings(db, user_id).await?;

    let display_name = match &change.display_name {
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
    let email = change.email.as_deref().and_then(|email| {
        EmailAddress::parse(email)
            .map_err(|e| field("/email", e.0))
            .ok()
    });
    let time_zone = change.time_zone.as_deref().and_then(|zone| {
        TimeZoneName::parse(zone)
            .map_err(|e| field("/time_zone", e.0))
            .ok()
    });
    if let Some(secs) = change.session_timeout_secs
        && !TIMEOUT_RANGE.contains(&secs)
    {
        field(
            "/session_timeout_secs",
            "must be between 900 (15 minutes) and 7776000 (90 days)".to_owned(),
        );
    }
    match &change.quiet_hours {
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
    if let Some(defaults) = &change.reminder_defaults {
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
    if let Some(window) = &change.send_window {
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
    if let Some(names) = &change.hidden_columns {
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
        return Err(AppError::Invalid(errors));
    }

    let mut tx = db.begin().await?;
    let changes = UserChanges {
        email,
        display_name,
        time_zone,
        session_timeout_secs: change.session_timeout_secs,
    };
    accounts::update_user(&mut tx, user_id, &changes, now)
        .await
        .map_err(|e| match e {
            pursuit_store::StoreError::UniqueViolation { .. } => {
                AppError::Invalid(vec![Invalid::new(
                    "email",
                    "another account uses this address",
                )])
            }
            other => other.into(),
        })?;
    accounts::update_settings(&mut tx, user_id, &settings, now).await?;
    let entry = NewAuditEntry {
        user_id: Some(user_id),
        action: "settings.updated",
        request_id: origin.request_id.clone(),
        ip: origin.ip.clone(),
        ..NewAuditEntry::default()
    };
    audit::insert_audit(&mut tx, &entry, now).await?;
    let user = accounts::get_user(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((user, settings))
}
