//! Calendar events for activities and reminders: what a reminder mail's `invite.ics`, an
//! updated invite and the subscribable feed contain. One UID per activity (`activity-<id>@pursuit`) or stand-alone
//! reminder (`reminder-<id>@pursuit`), stable for its life, so calendar apps update the event
//! in place rather than adding a second one.

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::application::{ActivityStatus, ActivityType};
use pursuit_domain::calendar::Event;
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId, UserId};
use pursuit_store::activities::Activity;
use pursuit_store::delivery::{self, Invite};
use pursuit_store::jobs::{self, EnqueueOptions, JobSpec};
use pursuit_store::reminders::Reminder;
use pursuit_store::{Conn, StoreError};
use serde::{Deserialize, Serialize};

/// `calendar.invites`: brings the invites a user was mailed up to date with their
/// activities (the worker sends the updated event or its cancellation).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateInvites {
    pub user_id: uuid::Uuid,
    /// The invites to bring up to date (by UID: an invite outlives its deleted activity).
    pub uids: Vec<String>,
}

impl JobSpec for UpdateInvites {
    const KIND: &'static str = "calendar.invites";
    const QUEUE: &'static str = "mail";
    const MAX_ATTEMPTS: i64 = 12;
}

/// Enqueues an update of the live invites of `activity`, if it has any (call in the
/// transaction that changes or deletes the activity, before a delete).
pub async fn after_activity_change(
    mut conn: impl Conn,
    user_id: UserId,
    activity: ActivityId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let invites = delivery::invites_for_activity(&mut conn, user_id, activity).await?;
    enqueue_updates(conn, user_id, invites, now).await
}

/// Enqueues the cancellation of the live invites of an application's activities (call in
/// the transaction that deletes the application, before the delete).
pub async fn before_application_delete(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let invites = delivery::invites_for_application(&mut conn, user_id, application).await?;
    enqueue_updates(conn, user_id, invites, now).await
}

async fn enqueue_updates(
    conn: impl Conn,
    user_id: UserId,
    invites: Vec<Invite>,
    now: Timestamp,
) -> Result<(), StoreError> {
    if invites.is_empty() {
        return Ok(());
    }
    jobs::enqueue(
        conn,
        &UpdateInvites {
            user_id: user_id.0,
            uids: invites.into_iter().map(|i| i.uid).collect(),
        },
        &EnqueueOptions {
            user_id: Some(user_id),
            ..EnqueueOptions::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// Where the web app shows an application (the board with its sidebar open).
pub fn application_link(base_url: &str, application: ApplicationId) -> String {
    format!("{base_url}/board?application={}", application.0)
}

pub fn activity_uid(id: ActivityId) -> String {
    format!("activity-{}@pursuit", id.0)
}

pub fn reminder_uid(id: ReminderId) -> String {
    format!("reminder-{}@pursuit", id.0)
}

/// "Interview (screening)", "Follow-up", …
pub fn activity_label(activity: &Activity) -> String {
    let kind = match activity.data.kind {
        ActivityType::Interview => "Interview",
        ActivityType::FollowUp => "Follow-up",
        ActivityType::Call => "Call",
        ActivityType::Email => "Email",
        ActivityType::Note => "Note",
        ActivityType::Other => "Event",
    };
    match activity.data.interview_stage {
        Some(stage) if activity.data.kind == ActivityType::Interview => {
            format!("{kind} ({})", stage.as_str())
        }
        _ => kind.to_owned(),
    }
}

/// The event of an activity with a start time (`None` without one). An hour long unless the
/// activity says otherwise. SEQUENCE follows the activity's version, so each edit supersedes
/// what a calendar holds, in mail and feed alike.
pub fn activity_event(
    activity: &Activity,
    company: &str,
    role: &str,
    base_url: &str,
    stamp: Timestamp,
) -> Option<Event> {
    let sequence = u32::try_from(activity.version.saturating_sub(1)).unwrap_or(0);
    let start = activity.data.starts_at?;
    let minutes = activity
        .data
        .duration_minutes
        .unwrap_or(60)
        .clamp(1, 24 * 60);
    let link = application_link(base_url, activity.application_id);
    let mut description = Vec::new();
    if !role.is_empty() {
        description.push(format!("{company} — {role}"));
    }
    if let Some(agenda) = activity.data.agenda.as_deref().filter(|a| !a.is_empty()) {
        description.push(format!("Agenda: {agenda}"));
    }
    description.push(format!("In Pursuit: {link}"));
    Some(Event {
        uid: activity_uid(activity.id),
        sequence,
        stamp,
        start,
        end: Some(start + SignedDuration::from_mins(minutes)),
        summary: format!("{} with {company}", activity_label(activity)),
        description: Some(description.join("\n")),
        location: activity
            .data
            .location_or_link
            .clone()
            .filter(|l| !l.is_empty()),
        url: Some(link),
        cancelled: activity.data.status == ActivityStatus::Canceled,
    })
}

/// The event of a reminder not tied to a timed activity: 15 minutes at its due time.
pub fn reminder_event(
    reminder: &Reminder,
    company: Option<&str>,
    base_url: &str,
    stamp: Timestamp,
) -> Event {
    let link = reminder
        .application_id
        .map(|id| application_link(base_url, id));
    let mut description = Vec::new();
    if let Some(company) = company {
        description.push(format!("Application: {company}"));
    }
    if let Some(link) = &link {
        description.push(format!("In Pursuit: {link}"));
    }
    Event {
        uid: reminder_uid(reminder.id),
        sequence: u32::try_from(reminder.version.saturating_sub(1)).unwrap_or(0),
        stamp,
        start: reminder.due_at,
        end: Some(reminder.due_at + SignedDuration::from_mins(15)),
        summary: reminder.title.clone(),
        description: (!description.is_empty()).then(|| description.join("\n")),
        location: None,
        url: link,
        cancelled: reminder.canceled_at.is_some(),
    }
}

/// The stored form of a mailed event (`calendar_invites.event`).
pub fn event_to_json(event: &Event) -> serde_json::Value {
    serde_json::json!({
        "uid": event.uid,
        "sequence": event.sequence,
        "start": event.start.to_string(),
        "end": event.end.map(|t| t.to_string()),
        "summary": event.summary,
        "description": event.description,
        "location": event.location,
        "url": event.url,
    })
}

pub fn event_from_json(value: &serde_json::Value, stamp: Timestamp) -> Option<Event> {
    let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let time = |key: &str| text(key).and_then(|t| t.parse::<Timestamp>().ok());
    Some(Event {
        uid: text("uid")?,
        sequence: u32::try_from(value.get("sequence")?.as_u64()?).ok()?,
        stamp,
        start: time("start")?,
        end: time("end"),
        summary: text("summary")?,
        description: text("description"),
        location: text("location"),
        url: text("url"),
        cancelled: false,
    })
}

/// The prefix of a calendar feed's secret.
pub const FEED_TOKEN_PREFIX: &str = "pcal_";

/// Creates (or replaces) the user's calendar feed; returns its secret, which only its hash
/// is kept of (the caller shows the address once).
pub async fn create_feed(
    db: &pursuit_store::Db,
    user: UserId,
    now: Timestamp,
) -> Result<String, StoreError> {
    let token = pursuit_store::secret::generate(FEED_TOKEN_PREFIX);
    delivery::set_feed(db, user, &pursuit_store::secret::hash(&token), now).await?;
    Ok(token)
}

/// Revokes the user's calendar feed; [`crate::AppError::NotFound`] when there was none.
pub async fn revoke_feed(db: &pursuit_store::Db, user: UserId) -> Result<(), crate::AppError> {
    if delivery::revoke_feed(db, user).await? {
        Ok(())
    } else {
        Err(crate::AppError::NotFound)
    }
}
