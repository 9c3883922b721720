//! Queries for activities of an application. Every function takes the owner's user id.

use jiff::Timestamp;
use pursuit_domain::application::{
    ActivityStatus, ActivityType, FollowupChannel, InterviewMedium, InterviewStage,
};
use pursuit_domain::ids::{ActivityId, ApplicationId, UserId};

use crate::Versioned;
use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

/// What a user writes about an activity.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityData {
    pub kind: ActivityType,
    pub status: ActivityStatus,
    pub starts_at: Option<Timestamp>,
    pub duration_minutes: Option<i64>,
    pub timezone: Option<String>,
    pub outcome: Option<String>,
    pub next_action: Option<String>,
    pub next_action_due: Option<Timestamp>,
    pub notes: Option<String>,
    pub related_contacts: Option<serde_json::Value>,
    pub interview_stage: Option<InterviewStage>,
    pub interview_medium: Option<InterviewMedium>,
    pub location_or_link: Option<String>,
    pub agenda: Option<String>,
    pub prep_checklist: Option<serde_json::Value>,
    pub followup_channel: Option<FollowupChannel>,
    pub template_used: Option<String>,
    pub reply_deadline: Option<Timestamp>,
}

impl ActivityData {
    /// An activity of `kind` in `status` with nothing else said yet.
    pub fn new(kind: ActivityType, status: ActivityStatus) -> ActivityData {
        ActivityData {
            kind,
            status,
            starts_at: None,
            duration_minutes: None,
            timezone: None,
            outcome: None,
            next_action: None,
            next_action_due: None,
            notes: None,
            related_contacts: None,
            interview_stage: None,
            interview_medium: None,
            location_or_link: None,
            agenda: None,
            prep_checklist: None,
            followup_channel: None,
            template_used: None,
            reply_deadline: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub id: ActivityId,
    pub application_id: ApplicationId,
    pub data: ActivityData,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, user_id, application_id, type, status, starts_at, duration_minutes, timezone, outcome, \
     next_action, next_action_due, notes, related_contacts, interview_stage, interview_medium, location_or_link, agenda, \
     prep_checklist, followup_channel, template_used, reply_deadline, version, created_at, updated_at";

fn corrupt(column: &str, message: impl ToString) -> StoreError {
    StoreError::Decode {
        column: column.to_owned(),
        message: message.to_string(),
    }
}

fn parse_opt<T>(
    row: &Row,
    column: &str,
    parse: fn(&str) -> Result<T, pursuit_domain::Invalid>,
) -> Result<Option<T>, StoreError> {
    row.get::<Option<String>>(column)?
        .map(|text| parse(&text).map_err(|e| corrupt(column, e)))
        .transpose()
}

fn from_row(row: &Row) -> Result<Activity, StoreError> {
    Ok(Activity {
        id: ActivityId(row.get("id")?),
        application_id: ApplicationId(row.get("application_id")?),
        data: ActivityData {
            kind: ActivityType::parse(&row.get::<String>("type")?)
                .map_err(|e| corrupt("type", e))?,
            status: ActivityStatus::parse(&row.get::<String>("status")?)
                .map_err(|e| corrupt("status", e))?,
            starts_at: row.get("starts_at")?,
            duration_minutes: row.get("duration_minutes")?,
            timezone: row.get("timezone")?,
            outcome: row.get("outcome")?,
            next_action: row.get("next_action")?,
            next_action_due: row.get("next_action_due")?,
            notes: row.get("notes")?,
            related_contacts: row.get("related_contacts")?,
            interview_stage: parse_opt(row, "interview_stage", InterviewStage::parse)?,
            interview_medium: parse_opt(row, "interview_medium", InterviewMedium::parse)?,
            location_or_link: row.get("location_or_link")?,
            agenda: row.get("agenda")?,
            prep_checklist: row.get("prep_checklist")?,
            followup_channel: parse_opt(row, "followup_channel", FollowupChannel::parse)?,
            template_used: row.get("template_used")?,
            reply_deadline: row.get("reply_deadline")?,
        },
        version: row.get("version")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Binds `$4 … $21`: the written fields in column order (after id, user and application).
fn bind_data(q: Query, d: &ActivityData) -> Query {
    q.bind(d.kind.as_str())
        .bind(d.status.as_str())
        .bind(d.starts_at)
        .bind(d.duration_minutes)
        .bind(d.timezone.clone())
        .bind(d.outcome.clone())
        .bind(d.next_action.clone())
        .bind(d.next_action_due)
        .bind(d.notes.clone())
        .bind(d.related_contacts.clone())
        .bind(d.interview_stage.map(|v| v.as_str()))
        .bind(d.interview_medium.map(|v| v.as_str()))
        .bind(d.location_or_link.clone())
        .bind(d.agenda.clone())
        .bind(d.prep_checklist.clone())
        .bind(d.followup_channel.map(|v| v.as_str()))
        .bind(d.template_used.clone())
        .bind(d.reply_deadline)
}

/// Adds an activity to one of the user's applications (the caller checked it is theirs).
pub async fn insert_activity(
    mut conn: impl Conn,
    user_id: UserId,
    application_id: ApplicationId,
    id: ActivityId,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Activity, StoreError> {
    let sql = format!(
        "INSERT INTO activities ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, 1, $22, $22)"
    );
    conn.execute(
        bind_data(
            Query::dynamic(sql)
                .bind(id)
                .bind(user_id)
                .bind(application_id),
            data,
        )
        .bind(now),
    )
    .await?;
    get_activity(conn, user_id, id)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn get_activity(
    mut conn: impl Conn,
    user_id: UserId,
    id: ActivityId,
) -> Result<Option<Activity>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM activities WHERE id = $1 AND user_id = $2");
    conn.fetch_optional(Query::dynamic(sql).bind(id).bind(user_id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The activities of one application, or with `None` of all the user's (an export), by
/// start time (unscheduled last), then creation.
pub async fn list_activities(
    mut conn: impl Conn,
    user_id: UserId,
    application: Option<ApplicationId>,
) -> Result<Vec<Activity>, StoreError> {
    let one = if application.is_some() {
        "AND application_id = $2"
    } else {
        ""
    };
    let mut q = Query::dynamic(format!(
        "SELECT {COLUMNS} FROM activities WHERE user_id = $1 {one} \
         ORDER BY CASE WHEN starts_at IS NULL THEN 1 ELSE 0 END, starts_at, created_at, id"
    ))
    .bind(user_id);
    if let Some(id) = application {
        q = q.bind(id);
    }
    conn.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Replaces the written fields if the activity is still at `expected_version`.
pub async fn update_activity(
    mut conn: impl Conn,
    user_id: UserId,
    id: ActivityId,
    expected_version: i64,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Versioned<Activity>, StoreError> {
    let sql = "UPDATE activities SET type = $3, status = $4, starts_at = $5, duration_minutes = $6, timezone = $7, \
         outcome = $8, next_action = $9, next_action_due = $10, notes = $11, related_contacts = $12, interview_stage = $13, \
         interview_medium = $14, location_or_link = $15, agenda = $16, prep_checklist = $17, followup_channel = $18, \
         template_used = $19, reply_deadline = $20, version = version + 1, updated_at = $21 \
         WHERE id = $1 AND user_id = $2 AND version = $22";
    let mut q = Query::dynamic(sql.to_owned()).bind(id).bind(user_id);
    q = bind_data(q, data).bind(now).bind(expected_version);
    let updated = conn.execute(q).await?;
    if updated == 1 {
        return Ok(Versioned::Done(
            get_activity(conn, user_id, id)
                .await?
                .ok_or(StoreError::NotFound)?,
        ));
    }
    Ok(Versioned::stale_or_missing(
        get_activity(conn, user_id, id).await?,
    ))
}

pub async fn delete_activity(
    mut conn: impl Conn,
    user_id: UserId,
    id: ActivityId,
    expected_version: i64,
) -> Result<Versioned<(), Activity>, StoreError> {
    if crate::delete_at_version(&mut conn, "activities", user_id, id, expected_version).await? {
        return Ok(Versioned::Done(()));
    }
    Ok(Versioned::stale_or_missing(
        get_activity(conn, user_id, id).await?,
    ))
}

/// Activities with a start time at or after `from`, on unarchived applications, with the
/// application's company and role, soonest first (the calendar feed).
pub async fn scheduled_from(
    mut conn: impl Conn,
    user_id: UserId,
    from: Timestamp,
    limit: i64,
) -> Result<Vec<(Activity, String, String)>, StoreError> {
    conn.fetch_all(
        query(
            "SELECT a.*, p.company AS application_company, p.role_title AS application_role \
             FROM activities a JOIN applications p ON p.id = a.application_id \
             WHERE a.user_id = $1 AND a.starts_at >= $2 AND p.archived_at IS NULL \
             ORDER BY a.starts_at, a.id LIMIT $3",
        )
        .bind(user_id)
        .bind(from)
        .bind(limit),
    )
    .await?
    .iter()
    .map(|row| {
        Ok((
            from_row(row)?,
            row.get("application_company")?,
            row.get("application_role")?,
        ))
    })
    .collect()
}
