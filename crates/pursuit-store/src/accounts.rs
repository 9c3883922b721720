//! Queries for accounts: users, settings, sign-in links, sessions and API tokens.
//! Every function that reads or writes one user's rows takes that user's id.

use jiff::Timestamp;
use jiff::civil::Weekday;
use pursuit_domain::account::{DisplayName, EmailAddress, TimeZoneName};
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::{ApiTokenId, UserId};
use pursuit_domain::schedule::{
    DailyWindow, LocalTime, QuietHours, SendWindow, parse_weekday, weekday_name,
};
use pursuit_domain::settings::{ReminderChannel, ReminderDefaults};
use uuid::Uuid;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

/// The default idle timeout of a session: three days.
pub const DEFAULT_SESSION_TIMEOUT_SECS: i64 = 3 * 24 * 60 * 60;

#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: Option<String>,
    pub time_zone: String,
    pub email_verified_at: Option<Timestamp>,
    pub session_timeout_secs: i64,
    pub is_owner: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const USER_COLUMNS: &str = "u.id, u.email, u.display_name, u.time_zone, u.email_verified_at, \
     u.session_timeout_secs, u.is_owner, u.created_at, u.updated_at";

fn user_from_row(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.get("id")?),
        email: row.get("email")?,
        display_name: row.get("display_name")?,
        time_zone: row.get("time_zone")?,
        email_verified_at: row.get("email_verified_at")?,
        session_timeout_secs: row.get("session_timeout_secs")?,
        is_owner: row.get("is_owner")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub struct NewUser {
    pub email: EmailAddress,
    pub display_name: Option<DisplayName>,
    pub time_zone: TimeZoneName,
    pub is_owner: bool,
}

/// Creates a user and their default settings. A duplicate address (in any letter case) is
/// a [`StoreError::UniqueViolation`].
pub async fn insert_user(
    mut conn: impl Conn,
    new: &NewUser,
    now: Timestamp,
) -> Result<User, StoreError> {
    let id = UserId::new();
    conn.execute(
        query(
            "INSERT INTO users (id, email, email_normalized, display_name, time_zone, \
             email_verified_at, session_timeout_secs, is_owner, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $8)",
        )
        .bind(id)
        .bind(new.email.as_str())
        .bind(new.email.normalized())
        .bind(new.display_name.as_ref().map(|n| n.as_str().to_owned()))
        .bind(new.time_zone.as_str())
        .bind(DEFAULT_SESSION_TIMEOUT_SECS)
        .bind(new.is_owner)
        .bind(now),
    )
    .await?;
    let settings = Settings::default();
    conn.execute(bind_settings(
        query(
            "INSERT INTO user_settings (user_id, quiet_hours_start, quiet_hours_end, reminder_defaults, \
             send_window_start, send_window_end, send_window_days, updated_at, hidden_columns) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        ),
        id,
        &settings,
        now,
    ))
    .await?;
    crate::views::seed_defaults(&mut conn, id, now).await?;
    get_user(conn, id).await?.ok_or(StoreError::NotFound)
}

pub async fn get_user(mut conn: impl Conn, user_id: UserId) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    conn.fetch_optional(crate::Query::dynamic(sql).bind(user_id))
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn find_user_by_email(
    mut conn: impl Conn,
    email: &EmailAddress,
) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email_normalized = $1");
    conn.fetch_optional(crate::Query::dynamic(sql).bind(email.normalized()))
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// The local operator's account, if this installation has one.
pub async fn find_owner(mut conn: impl Conn) -> Result<Option<User>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.is_owner = $1 ORDER BY u.created_at LIMIT 1"
    );
    conn.fetch_optional(crate::Query::dynamic(sql).bind(true))
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// Whether the user has ever completed a sign-in (verified their address or held a session).
pub async fn has_signed_in(mut conn: impl Conn, user_id: UserId) -> Result<bool, StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT (SELECT count(*) FROM sessions WHERE user_id = $1) AS sessions, \
                        (SELECT count(*) FROM users WHERE id = $1 AND email_verified_at IS NOT NULL) AS verified",
            )
            .bind(user_id),
        )
        .await?;
    Ok(row.get::<i64>("sessions")? > 0 || row.get::<i64>("verified")? > 0)
}

pub async fn mark_email_verified(
    mut conn: impl Conn,
    user_id: UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE users SET email_verified_at = $2, updated_at = $2 WHERE id = $1 AND email_verified_at IS NULL")
            .bind(user_id)
            .bind(now),
    )
    .await?;
    conn.credentials_changed();
    Ok(())
}

/// What a user may change about their account.
pub struct UserChanges {
    /// A new address: unverified until a sign-in link sent to it is used. Another account's
    /// address (in any letter case) is a [`StoreError::UniqueViolation`].
    pub email: Option<EmailAddress>,
    pub display_name: Option<Option<DisplayName>>,
    pub time_zone: Option<TimeZoneName>,
    pub session_timeout_secs: Option<i64>,
}

pub async fn update_user(
    mut conn: impl Conn,
    user_id: UserId,
    changes: &UserChanges,
    now: Timestamp,
) -> Result<(), StoreError> {
    let result = update_user_fields(&mut conn, user_id, changes, now).await;
    // Even after an error: on the pool, the statements before it are committed.
    conn.credentials_changed();
    result
}

async fn update_user_fields(
    mut conn: impl Conn,
    user_id: UserId,
    changes: &UserChanges,
    now: Timestamp,
) -> Result<(), StoreError> {
    if let Some(email) = &changes.email {
        conn.execute(
            query(
                "UPDATE users SET email = $2, email_normalized = $3, email_verified_at = NULL, \
                 updated_at = $4 WHERE id = $1 AND email_normalized <> $3",
            )
            .bind(user_id)
            .bind(email.as_str())
            .bind(email.normalized())
            .bind(now),
        )
        .await?;
    }
    if let Some(name) = &changes.display_name {
        conn.execute(
            query("UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id)
                .bind(name.as_ref().map(|n| n.as_str().to_owned()))
                .bind(now),
        )
        .await?;
    }
    if let Some(zone) = &changes.time_zone {
        conn.execute(
            query("UPDATE users SET time_zone = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id)
                .bind(zone.as_str())
                .bind(now),
        )
        .await?;
    }
    if let Some(secs) = changes.session_timeout_secs {
        conn.execute(
            query("UPDATE users SET session_timeout_secs = $2, updated_at = $3 WHERE id = $1")
                .bind(user_id)
                .bind(secs)
                .bind(now),
        )
        .await?;
    }
    Ok(())
}

/// A user's settings, as rules read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub quiet_hours: Option<QuietHours>,
    pub reminder_defaults: ReminderDefaults,
    pub send_window: SendWindow,
    /// Board columns the user hid, in board order.
    pub hidden_columns: Vec<ApplicationStatus>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            quiet_hours: None,
            reminder_defaults: ReminderDefaults::default(),
            send_window: SendWindow::working_hours(),
            hidden_columns: Vec::new(),
        }
    }
}

fn reminder_defaults_json(defaults: &ReminderDefaults) -> serde_json::Value {
    serde_json::json!({
        "channels": defaults.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "follow_up_after_days": defaults.follow_up_after_days,
    })
}

fn weekdays_json(days: &[Weekday]) -> serde_json::Value {
    serde_json::Value::from(days.iter().map(|d| weekday_name(*d)).collect::<Vec<_>>())
}

fn corrupt(column: &str, message: impl ToString) -> StoreError {
    StoreError::Decode {
        column: column.to_owned(),
        message: message.to_string(),
    }
}

fn settings_from_row(row: &Row) -> Result<Settings, StoreError> {
    let quiet_start: Option<String> = row.get("quiet_hours_start")?;
    let quiet_end: Option<String> = row.get("quiet_hours_end")?;
    let quiet_hours = match (quiet_start, quiet_end) {
        (Some(start), Some(end)) => Some(QuietHours(DailyWindow {
            start: LocalTime::parse(&start).map_err(|e| corrupt("quiet_hours_start", e))?,
            end: LocalTime::parse(&end).map_err(|e| corrupt("quiet_hours_end", e))?,
        })),
        _ => None,
    };
    let defaults: serde_json::Value = row.get("reminder_defaults")?;
    let channels = defaults["channels"]
        .as_array()
        .ok_or_else(|| corrupt("reminder_defaults", "channels missing"))?
        .iter()
        .map(|c| {
            ReminderChannel::parse(c.as_str().unwrap_or_default())
                .map_err(|e| corrupt("reminder_defaults", e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let follow_up = defaults["follow_up_after_days"]
        .as_u64()
        .and_then(|d| u16::try_from(d).ok())
        .ok_or_else(|| corrupt("reminder_defaults", "follow_up_after_days missing"))?;
    let days_json: serde_json::Value = row.get("send_window_days")?;
    let days = days_json
        .as_array()
        .ok_or_else(|| corrupt("send_window_days", "not a list"))?
        .iter()
        .map(|d| {
            parse_weekday(d.as_str().unwrap_or_default())
                .map_err(|e| corrupt("send_window_days", e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let window = DailyWindow {
        start: LocalTime::parse(&row.get::<String>("send_window_start")?)
            .map_err(|e| corrupt("send_window_start", e))?,
        end: LocalTime::parse(&row.get::<String>("send_window_end")?)
            .map_err(|e| corrupt("send_window_end", e))?,
    };
    let hidden: serde_json::Value = row.get("hidden_columns")?;
    let hidden_columns = hidden
        .as_array()
        .ok_or_else(|| corrupt("hidden_columns", "not a list"))?
        .iter()
        .map(|s| {
            ApplicationStatus::parse(s.as_str().unwrap_or_default())
                .map_err(|e| corrupt("hidden_columns", e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Settings {
        quiet_hours,
        reminder_defaults: ReminderDefaults {
            channels,
            follow_up_after_days: follow_up,
        },
        send_window: SendWindow { window, days },
        hidden_columns,
    })
}

/// Binds `$1` … `$9` of the settings statements: user, the seven settings columns, time.
fn bind_settings(
    query: crate::Query,
    user_id: UserId,
    settings: &Settings,
    now: Timestamp,
) -> crate::Query {
    query
        .bind(user_id)
        .bind(settings.quiet_hours.map(|q| q.0.start.to_string()))
        .bind(settings.quiet_hours.map(|q| q.0.end.to_string()))
        .bind(reminder_defaults_json(&settings.reminder_defaults))
        .bind(settings.send_window.window.start.to_string())
        .bind(settings.send_window.window.end.to_string())
        .bind(weekdays_json(&settings.send_window.days))
        .bind(now)
        .bind(serde_json::Value::from(
            settings
                .hidden_columns
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ))
}

pub async fn get_settings(mut conn: impl Conn, user_id: UserId) -> Result<Settings, StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT quiet_hours_start, quiet_hours_end, reminder_defaults, send_window_start, \
                 send_window_end, send_window_days, hidden_columns FROM user_settings WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    settings_from_row(&row)
}

/// The user's time zone (an IANA name) and settings, in one statement: what the reminder
/// rules plan with.
pub async fn zone_and_settings(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<(String, Settings), StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT u.time_zone, s.quiet_hours_start, s.quiet_hours_end, s.reminder_defaults, \
                 s.send_window_start, s.send_window_end, s.send_window_days, s.hidden_columns \
                 FROM users u JOIN user_settings s ON s.user_id = u.id WHERE u.id = $1",
            )
            .bind(user_id),
        )
        .await?;
    Ok((row.get("time_zone")?, settings_from_row(&row)?))
}

pub async fn update_settings(
    mut conn: impl Conn,
    user_id: UserId,
    settings: &Settings,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(bind_settings(
        query(
            "UPDATE user_settings SET quiet_hours_start = $2, quiet_hours_end = $3, reminder_defaults = $4, \
             send_window_start = $5, send_window_end = $6, send_window_days = $7, updated_at = $8, \
             hidden_columns = $9 WHERE user_id = $1",
        ),
        user_id,
        settings,
        now,
    ))
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- sign-in links

/// Who a sign-in link is for: an address (sign in or sign up) or a known account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    Email(EmailAddress),
    User(UserId),
}

/// Stores a new link's hash and supersedes the target's older unused links.
pub async fn insert_magic_link(
    mut conn: impl Conn,
    token_hash: &str,
    target: &LinkTarget,
    expires_at: Timestamp,
    ip: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let (email, user_id) = match target {
        LinkTarget::Email(email) => (Some(email), None),
        LinkTarget::User(id) => (None, Some(*id)),
    };
    match target {
        LinkTarget::Email(email) => {
            conn.execute(
                query(
                    "UPDATE magic_links SET superseded_at = $2 \
                     WHERE email_normalized = $1 AND used_at IS NULL AND superseded_at IS NULL",
                )
                .bind(email.normalized())
                .bind(now),
            )
            .await?
        }
        LinkTarget::User(id) => {
            conn.execute(
                query(
                    "UPDATE magic_links SET superseded_at = $2 \
                     WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL",
                )
                .bind(*id)
                .bind(now),
            )
            .await?
        }
    };
    conn.execute(
        query(
            "INSERT INTO magic_links (token_hash, email_normalized, email, user_id, created_at, expires_at, \
             used_at, superseded_at, requested_ip) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7)",
        )
        .bind(token_hash)
        .bind(email.map(EmailAddress::normalized))
        .bind(email.map(|e| e.as_str().to_owned()))
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .bind(ip.map(str::to_owned)),
    )
    .await?;
    Ok(())
}

/// How many links were requested for this address since `since` (for rate limits).
pub async fn count_magic_links_since(
    mut conn: impl Conn,
    email: &EmailAddress,
    since: Timestamp,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query(
            "SELECT count(*) AS n FROM magic_links WHERE email_normalized = $1 AND created_at > $2",
        )
        .bind(email.normalized())
        .bind(since),
    )
    .await?
    .get("n")
}

/// Why a link did not sign anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRejection {
    Unknown,
    AlreadyUsed,
    Superseded,
    Expired,
}

/// Uses a link, once. Two concurrent uses of one link: exactly one wins.
pub async fn consume_magic_link(
    mut conn: impl Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<Result<LinkTarget, LinkRejection>, StoreError> {
    let Some(row) = conn
        .fetch_optional(
            query(
                "SELECT email, user_id, expires_at, used_at, superseded_at FROM magic_links WHERE token_hash = $1",
            )
            .bind(token_hash),
        )
        .await?
    else {
        return Ok(Err(LinkRejection::Unknown));
    };
    if row.get::<Option<Timestamp>>("used_at")?.is_some() {
        return Ok(Err(LinkRejection::AlreadyUsed));
    }
    if row.get::<Option<Timestamp>>("superseded_at")?.is_some() {
        return Ok(Err(LinkRejection::Superseded));
    }
    if row.get::<Timestamp>("expires_at")? <= now {
        return Ok(Err(LinkRejection::Expired));
    }
    let used = conn
        .execute(
            query("UPDATE magic_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                .bind(token_hash)
                .bind(now),
        )
        .await?;
    if used != 1 {
        return Ok(Err(LinkRejection::AlreadyUsed));
    }
    let target = match (
        row.get::<Option<String>>("email")?,
        row.get::<Option<Uuid>>("user_id")?,
    ) {
        (_, Some(user_id)) => LinkTarget::User(UserId(user_id)),
        (Some(email), None) => {
            LinkTarget::Email(EmailAddress::parse(&email).map_err(|e| corrupt("email", e))?)
        }
        (None, None) => return Ok(Err(LinkRejection::Unknown)),
    };
    Ok(Ok(target))
}

// ---------------------------------------------------------------- sessions

/// A session's lifetime limit, however active it stays: thirty days.
pub const SESSION_ABSOLUTE_SECS: i64 = 30 * 24 * 60 * 60;

#[derive(Clone, Debug)]
pub struct Session {
    pub id_hash: String,
    pub user: User,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: UserId,
    pub csrf_token: &'a str,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
}

pub async fn insert_session(
    mut conn: impl Conn,
    new: &NewSession<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let expires_at = now
        .checked_add(jiff::SignedDuration::from_secs(SESSION_ABSOLUTE_SECS))
        .map_err(|e| corrupt("expires_at", e))?;
    conn.execute(
        query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip) \
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
        )
        .bind(new.id_hash)
        .bind(new.user_id)
        .bind(new.csrf_token)
        .bind(now)
        .bind(expires_at)
        .bind(new.user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
        .bind(new.ip.map(str::to_owned)),
    )
    .await?;
    Ok(())
}

/// The live session with this id hash: not past its absolute expiry, not idle longer than
/// its user's timeout. An expired session is deleted on sight.
pub async fn find_session(
    mut conn: impl Conn,
    id_hash: &str,
    now: Timestamp,
) -> Result<Option<Session>, StoreError> {
    let sql = format!(
        "SELECT s.id_hash, s.csrf_token, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, {USER_COLUMNS} \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1"
    );
    let Some(row) = conn
        .fetch_optional(crate::Query::dynamic(sql).bind(id_hash))
        .await?
    else {
        return Ok(None);
    };
    let user = user_from_row(&row)?;
    let session = Session {
        id_hash: row.get("id_hash")?,
        csrf_token: row.get("csrf_token")?,
        created_at: row.get("s_created_at")?,
        last_seen_at: row.get("last_seen_at")?,
        expires_at: row.get("expires_at")?,
        user,
    };
    let idle_limit = session
        .last_seen_at
        .checked_add(jiff::SignedDuration::from_secs(
            session.user.session_timeout_secs,
        ))
        .unwrap_or(session.last_seen_at);
    if session.expires_at <= now || idle_limit <= now {
        conn.execute(query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash))
            .await?;
        return Ok(None);
    }
    Ok(Some(session))
}

pub async fn touch_session(
    mut conn: impl Conn,
    id_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(now),
    )
    .await?;
    Ok(())
}

pub async fn delete_session(
    mut conn: impl Conn,
    user_id: UserId,
    id_hash: &str,
) -> Result<u64, StoreError> {
    let deleted = conn
        .execute(
            query("DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2")
                .bind(user_id)
                .bind(id_hash),
        )
        .await?;
    conn.credentials_changed();
    Ok(deleted)
}

pub async fn delete_sessions_of_user(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<u64, StoreError> {
    let deleted = conn
        .execute(query("DELETE FROM sessions WHERE user_id = $1").bind(user_id))
        .await?;
    conn.credentials_changed();
    Ok(deleted)
}

// ---------------------------------------------------------------- API tokens

#[derive(Clone, Debug)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

const TOKEN_COLUMNS: &str = "t.id AS t_id, t.user_id AS t_user_id, t.name, t.prefix, t.created_at AS t_created_at, t.expires_at, t.last_used_at, t.revoked_at";

fn token_from_row(row: &Row) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: ApiTokenId(row.get("t_id")?),
        user_id: UserId(row.get("t_user_id")?),
        name: row.get("name")?,
        prefix: row.get("prefix")?,
        created_at: row.get("t_created_at")?,
        expires_at: row.get("expires_at")?,
        last_used_at: row.get("last_used_at")?,
        revoked_at: row.get("revoked_at")?,
    })
}

pub struct NewApiToken<'a> {
    pub user_id: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub expires_at: Option<Timestamp>,
}

pub async fn insert_api_token(
    mut conn: impl Conn,
    new: &NewApiToken<'_>,
    now: Timestamp,
) -> Result<ApiToken, StoreError> {
    let id = ApiTokenId::new();
    conn.execute(
        query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)",
        )
        .bind(id)
        .bind(new.user_id)
        .bind(new.name)
        .bind(new.token_hash)
        .bind(new.prefix)
        .bind(now)
        .bind(new.expires_at),
    )
    .await?;
    let sql =
        format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1 AND t.user_id = $2");
    token_from_row(
        &conn
            .fetch_one(crate::Query::dynamic(sql).bind(id).bind(new.user_id))
            .await?,
    )
}

/// The user's tokens that are not revoked, newest first.
pub async fn list_api_tokens(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<ApiToken>, StoreError> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 AND t.revoked_at IS NULL \
         ORDER BY t.created_at DESC, t.id DESC"
    );
    conn.fetch_all(crate::Query::dynamic(sql).bind(user_id))
        .await?
        .iter()
        .map(token_from_row)
        .collect()
}

/// Revokes one of the user's tokens; false when the user has no such live token.
pub async fn revoke_api_token(
    mut conn: impl Conn,
    user_id: UserId,
    token_id: ApiTokenId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let revoked = conn
        .execute(
            query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
                .bind(token_id)
                .bind(user_id)
                .bind(now),
        )
        .await?;
    conn.credentials_changed();
    Ok(revoked == 1)
}

/// The live (not revoked, not expired) token with this hash, and its user.
pub async fn find_api_token(
    mut conn: impl Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(ApiToken, User)>, StoreError> {
    let sql = format!(
        "SELECT {TOKEN_COLUMNS}, {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
    );
    let Some(row) = conn
        .fetch_optional(crate::Query::dynamic(sql).bind(token_hash))
        .await?
    else {
        return Ok(None);
    };
    let token = token_from_row(&row)?;
    if token.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    Ok(Some((token, user_from_row(&row)?)))
}

pub async fn touch_api_token(
    mut conn: impl Conn,
    token_id: ApiTokenId,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(token_id)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// The prefix of every API token, so a leaked one is recognisable (secret scanners, logs).
pub const API_TOKEN_PREFIX: &str = "pst_";

/// Issues a new API token: stores its hash and returns the token with its secret, which is
/// shown to the user once and never again.
pub async fn create_api_token(
    conn: impl Conn,
    user_id: UserId,
    name: &str,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(ApiToken, String), StoreError> {
    let secret_value = crate::secret::generate(API_TOKEN_PREFIX);
    let prefix: String = secret_value
        .chars()
        .take(API_TOKEN_PREFIX.len() + 4)
        .collect();
    let token = insert_api_token(
        conn,
        &NewApiToken {
            user_id,
            name,
            token_hash: &crate::secret::hash(&secret_value),
            prefix: &prefix,
            expires_at,
        },
        now,
    )
    .await?;
    Ok((token, secret_value))
}

// ---------------------------------------------------------------- external identities

/// A started sign-in at an identity provider, as the callback needs it.
#[derive(Clone, Debug)]
pub struct OAuthState {
    pub nonce: String,
    pub pkce_verifier: String,
}

pub async fn insert_oauth_state(
    mut conn: impl Conn,
    state_hash: &str,
    provider: &str,
    state: &OAuthState,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    // Sweep abandoned sign-ins while we are here; the table stays small.
    conn.execute(query("DELETE FROM oauth_states WHERE expires_at < $1").bind(now))
        .await?;
    conn.execute(
        query(
            "INSERT INTO oauth_states (state_hash, provider, nonce, pkce_verifier, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state_hash)
        .bind(provider)
        .bind(state.nonce.as_str())
        .bind(state.pkce_verifier.as_str())
        .bind(now)
        .bind(expires_at),
    )
    .await?;
    Ok(())
}

/// Takes a started sign-in, once: the row is deleted whether or not it is still valid.
pub async fn take_oauth_state(
    mut conn: impl Conn,
    state_hash: &str,
    provider: &str,
    now: Timestamp,
) -> Result<Option<OAuthState>, StoreError> {
    let Some(row) = conn
        .fetch_optional(
            query("SELECT nonce, pkce_verifier, expires_at FROM oauth_states WHERE state_hash = $1 AND provider = $2")
                .bind(state_hash)
                .bind(provider),
        )
        .await?
    else {
        return Ok(None);
    };
    let deleted = conn
        .execute(query("DELETE FROM oauth_states WHERE state_hash = $1").bind(state_hash))
        .await?;
    if deleted != 1 || row.get::<Timestamp>("expires_at")? <= now {
        return Ok(None);
    }
    Ok(Some(OAuthState {
        nonce: row.get("nonce")?,
        pkce_verifier: row.get("pkce_verifier")?,
    }))
}

pub async fn find_user_by_identity(
    mut conn: impl Conn,
    provider: &str,
    subject: &str,
) -> Result<Option<User>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM oauth_identities i JOIN users u ON u.id = i.user_id \
         WHERE i.provider = $1 AND i.subject = $2"
    );
    conn.fetch_optional(crate::Query::dynamic(sql).bind(provider).bind(subject))
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn insert_identity(
    mut conn: impl Conn,
    provider: &str,
    subject: &str,
    user_id: UserId,
    email: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO oauth_identities (provider, subject, user_id, email, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(provider)
        .bind(subject)
        .bind(user_id)
        .bind(email.map(str::to_owned))
        .bind(now),
    )
    .await?;
    Ok(())
}
