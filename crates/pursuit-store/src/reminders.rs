//! Queries for reminders, and the application of the default status rules. Every function
//! takes the owner's user id.

use jiff::Timestamp;
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId, UserId};
use pursuit_domain::settings::ReminderChannel;

use crate::Versioned;
use crate::db::Conn;
use crate::delivery::Delivery;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Reminder {
    pub id: ReminderId,
    pub application_id: Option<ApplicationId>,
    pub activity_id: Option<ActivityId>,
    pub title: String,
    pub due_at: Timestamp,
    pub channels: Vec<ReminderChannel>,
    pub sent: bool,
    pub sent_at: Option<Timestamp>,
    pub canceled_at: Option<Timestamp>,
    pub rule: Option<String>,
    pub meta: Option<serde_json::Value>,
    /// Where delivery stands; see [`crate::delivery`].
    pub delivery: Delivery,
    /// Why delivery failed or was skipped.
    pub delivery_note: Option<String>,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A reminder to store.
#[derive(Clone, Debug)]
pub struct NewReminder {
    pub application_id: Option<ApplicationId>,
    pub activity_id: Option<ActivityId>,
    pub title: String,
    pub due_at: Timestamp,
    pub channels: Vec<ReminderChannel>,
    pub dedupe_key: Option<String>,
    pub rule: Option<&'static str>,
    pub meta: Option<serde_json::Value>,
}

const COLUMNS: &str = "id, application_id, activity_id, title, due_at, channels, sent, sent_at, canceled_at, rule, meta, \
     delivery, delivery_note, version, created_at, updated_at";

fn channels_json(channels: &[ReminderChannel]) -> serde_json::Value {
    serde_json::Value::from(channels.iter().map(|c| c.as_str()).collect::<Vec<_>>())
}

fn from_row(row: &Row) -> Result<Reminder, StoreError> {
    let channels: serde_json::Value = row.get("channels")?;
    Ok(Reminder {
        id: ReminderId(row.get("id")?),
        application_id: row
            .get::<Option<uuid::Uuid>>("application_id")?
            .map(ApplicationId),
        activity_id: row
            .get::<Option<uuid::Uuid>>("activity_id")?
            .map(ActivityId),
        title: row.get("title")?,
        due_at: row.get("due_at")?,
        channels: channels
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|c| c.as_str().and_then(|c| ReminderChannel::parse(c).ok()))
                    .collect()
            })
            .unwrap_or_default(),
        sent: row.get("sent")?,
        sent_at: row.get("sent_at")?,
        canceled_at: row.get("canceled_at")?,
        rule: row.get("rule")?,
        meta: row.get("meta")?,
        delivery: {
            let text: String = row.get("delivery")?;
            Delivery::parse(&text).ok_or_else(|| StoreError::Decode {
                column: "delivery".to_owned(),
                message: format!("unknown value {text:?}"),
            })?
        },
        delivery_note: row.get("delivery_note")?,
        version: row.get("version")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Stores a reminder; one whose dedupe key the user already has is skipped (`None`).
pub async fn insert_reminder(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReminderId,
    new: &NewReminder,
    now: Timestamp,
) -> Result<Option<Reminder>, StoreError> {
    conn.fetch_optional(insert_reminder_query(user_id, id, new, now))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The statement of [`insert_reminder`], to send with others (a new application's
/// reminders are deferred with its row: [`Conn::defer`](crate::Conn::defer)).
pub fn insert_reminder_query(
    user_id: UserId,
    id: ReminderId,
    new: &NewReminder,
    now: Timestamp,
) -> Query {
    // `RETURNING` gives the stored row in the same statement; a skipped one returns none.
    Query::dynamic(format!(
            "INSERT INTO reminders (id, user_id, application_id, activity_id, title, due_at, channels, sent, sent_at, \
             canceled_at, dedupe_key, rule, meta, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9, $10, $11, 1, $12, $12) \
             ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(user_id)
        .bind(new.application_id)
        .bind(new.activity_id)
        .bind(new.title.as_str())
        .bind(new.due_at)
        .bind(channels_json(&new.channels))
        .bind(false)
        .bind(new.dedupe_key.clone())
        .bind(new.rule)
        .bind(new.meta.clone())
        .bind(now)
}

pub async fn get_reminder(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReminderId,
) -> Result<Option<Reminder>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM reminders WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Filters of the reminder list.
#[derive(Clone, Debug, Default)]
pub struct ReminderFilter {
    pub due_before: Option<Timestamp>,
    pub due_after: Option<Timestamp>,
    pub sent: Option<bool>,
    pub application_id: Option<ApplicationId>,
    /// Include cancelled reminders (default: no).
    pub include_canceled: bool,
}

/// The user's reminders by due time, after the `(due_at, id)` of the previous page.
pub async fn list_reminders(
    mut conn: impl Conn,
    user_id: UserId,
    filter: &ReminderFilter,
    after: Option<(Timestamp, ReminderId)>,
    limit: i64,
) -> Result<Vec<Reminder>, StoreError> {
    let mut conditions = vec!["user_id = $1".to_owned()];
    let mut values: Vec<Value> = vec![user_id.into()];
    let next = |value: Value, values: &mut Vec<Value>| {
        values.push(value);
        format!("${}", values.len())
    };
    if let Some(at) = filter.due_before {
        conditions.push(format!("due_at <= {}", next(at.into(), &mut values)));
    }
    if let Some(at) = filter.due_after {
        conditions.push(format!("due_at >= {}", next(at.into(), &mut values)));
    }
    if let Some(sent) = filter.sent {
        conditions.push(format!("sent = {}", next(sent.into(), &mut values)));
    }
    if let Some(application) = filter.application_id {
        conditions.push(format!(
            "application_id = {}",
            next(application.into(), &mut values)
        ));
    }
    if !filter.include_canceled {
        conditions.push("canceled_at IS NULL".to_owned());
    }
    if let Some((at, id)) = after {
        let t = next(at.into(), &mut values);
        let i = next(id.into(), &mut values);
        conditions.push(format!("(due_at > {t} OR (due_at = {t} AND id > {i}))"));
    }
    let l = next(limit.into(), &mut values);
    let mut q = Query::dynamic(format!(
        "SELECT {COLUMNS} FROM reminders WHERE {} ORDER BY due_at, id LIMIT {l}",
        conditions.join(" AND ")
    ));
    for value in values {
        q = q.bind(value);
    }
    conn.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Reschedules, renames, re-channels or cancels a reminder still at `expected_version`.
#[allow(clippy::too_many_arguments)]
pub async fn update_reminder(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReminderId,
    expected_version: i64,
    title: &str,
    due_at: Timestamp,
    channels: &[ReminderChannel],
    canceled_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<Versioned<Reminder>, StoreError> {
    let updated = conn
        .execute(
            query(
                "UPDATE reminders SET title = $3, due_at = $4, channels = $5, canceled_at = $6, \
                 delivery = CASE WHEN sent THEN delivery WHEN due_at <> $4 OR delivery IN ('pending', 'queued') \
                 THEN 'pending' ELSE delivery END, \
                 delivery_note = CASE WHEN sent OR (due_at = $4 AND delivery NOT IN ('pending', 'queued')) \
                 THEN delivery_note ELSE NULL END, \
                 version = version + 1, updated_at = $7 WHERE id = $1 AND user_id = $2 AND version = $8",
            )
            .bind(id)
            .bind(user_id)
            .bind(title)
            .bind(due_at)
            .bind(channels_json(channels))
            .bind(canceled_at)
            .bind(now)
            .bind(expected_version),
        )
        .await?;
    let current = get_reminder(conn, user_id, id).await?;
    Ok(match (updated, current) {
        (1, Some(reminder)) => Versioned::Done(reminder),
        (_, current) => Versioned::stale_or_missing(current),
    })
}

pub async fn delete_reminder(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReminderId,
    expected_version: i64,
) -> Result<Versioned<(), Reminder>, StoreError> {
    if crate::delete_at_version(&mut conn, "reminders", user_id, id, expected_version).await? {
        return Ok(Versioned::Done(()));
    }
    Ok(Versioned::stale_or_missing(
        get_reminder(conn, user_id, id).await?,
    ))
}

/// Cancels the application's unsent rule reminders (the status moved on).
pub async fn cancel_rule_reminders(
    mut conn: impl Conn,
    user_id: UserId,
    application_id: ApplicationId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE reminders SET canceled_at = $3, version = version + 1, updated_at = $3 \
             WHERE user_id = $1 AND application_id = $2 AND rule IS NOT NULL AND sent = $4 AND canceled_at IS NULL",
        )
        .bind(user_id)
        .bind(application_id)
        .bind(now)
        .bind(false),
    )
    .await
}

/// How many times the application has entered `status` (its status history's entries):
/// what tells one entry into a status from the next, for the rules' dedupe keys.
pub async fn times_entered(
    mut conn: impl Conn,
    user_id: UserId,
    application_id: ApplicationId,
    status: ApplicationStatus,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query("SELECT count(*) AS n FROM application_status_history WHERE application_id = $1 AND user_id = $2 AND to_status = $3")
            .bind(application_id)
            .bind(user_id)
            .bind(status.as_str()),
    )
    .await?
    .get("n")
}

/// Cancels the activity's unsent rule reminders (its schedule changed).
pub async fn cancel_activity_rule_reminders(
    mut conn: impl Conn,
    user_id: UserId,
    activity_id: ActivityId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE reminders SET canceled_at = $3, version = version + 1, updated_at = $3 \
             WHERE user_id = $1 AND activity_id = $2 AND rule IS NOT NULL AND sent = $4 AND canceled_at IS NULL",
        )
        .bind(user_id)
        .bind(activity_id)
        .bind(now)
        .bind(false),
    )
    .await
}

/// Uncancelled reminders due at or after `from`, with their application's company, soonest
/// first (the calendar feed).
pub async fn due_from(
    mut conn: impl Conn,
    user_id: UserId,
    from: Timestamp,
    limit: i64,
) -> Result<Vec<(Reminder, Option<String>)>, StoreError> {
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect();
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {}, p.company AS application_company FROM reminders r \
             LEFT JOIN applications p ON p.id = r.application_id \
             WHERE r.user_id = $1 AND r.due_at >= $2 AND r.canceled_at IS NULL AND p.archived_at IS NULL \
             ORDER BY r.due_at, r.id LIMIT $3",
            columns.join(", ")
        ))
        .bind(user_id)
        .bind(from)
        .bind(limit),
    )
    .await?
    .iter()
    .map(|row| Ok((from_row(row)?, row.get("application_company")?)))
    .collect()
}
