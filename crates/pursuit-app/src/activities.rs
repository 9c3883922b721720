//! Activities of an application (seed 002 §7.3): notes, calls, interviews, follow-ups. A
//! scheduled interview plans its reminders; a change to when or where it happens re-plans
//! them and brings any mailed calendar invite up to date; a delete cancels the invite.

use jiff::Timestamp;
use pursuit_domain::account::TimeZoneName;
use pursuit_domain::application::{
    ActivityStatus, ActivityType, FollowupChannel, InterviewMedium, InterviewStage,
};
use pursuit_domain::ids::{ActivityId, ApplicationId, UserId};
use pursuit_store::activities::{self, Activity, ActivityData};
use pursuit_store::{Conn, Db, StoreError, applications};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid, Precondition, at_version, settle};
use crate::fields::Fields;

/// The company of an application (for reminder titles), empty when it is gone.
async fn company(
    conn: impl Conn,
    user: UserId,
    application: ApplicationId,
) -> Result<String, StoreError> {
    Ok(applications::get_application(conn, user, application)
        .await?
        .map(|a| a.data.company)
        .unwrap_or_default())
}

/// Checks that `application` is one of the user's ([`AppError::NotFound`] if not).
pub async fn check_application(
    db: &Db,
    user: UserId,
    application: ApplicationId,
) -> Result<(), AppError> {
    applications::get_application(db, user, application)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// Adds an activity to one of the user's applications in the caller's transaction and plans
/// the reminders of a scheduled interview. An id already in use is [`AppError::Conflict`].
pub async fn create_in(
    mut conn: impl Conn,
    user: UserId,
    application: ApplicationId,
    id: ActivityId,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Activity, AppError> {
    let created = activities::insert_activity(&mut conn, user, application, id, data, now)
        .await
        .map_err(|e| match e {
            StoreError::UniqueViolation { .. } => {
                AppError::Conflict("an activity with this id already exists".to_owned())
            }
            other => other.into(),
        })?;
    let company = company(&mut conn, user, application).await?;
    let planned =
        crate::reminders::plan_for_activity(&mut conn, user, &created, &company, now).await?;
    crate::reminders::deliver_soon(&mut conn, user, &planned, now).await?;
    Ok(created)
}

/// Changes one of the user's activities at the version the caller read: `edit` changes a
/// copy of its data. Mailed invites follow it; when its schedule changed, its reminders are
/// planned again.
pub async fn update(
    db: &Db,
    user: UserId,
    id: ActivityId,
    expected: Result<i64, Precondition>,
    edit: impl FnOnce(&mut ActivityData) -> Result<(), Vec<Invalid>>,
    now: Timestamp,
) -> Result<Activity, AppError> {
    let mut tx = db.begin().await?;
    let found = activities::get_activity(&mut tx, user, id).await?;
    let (existing, expected) = at_version(found, expected, |a| a.version)?;
    let mut data = existing.data.clone();
    edit(&mut data).map_err(AppError::Invalid)?;
    let outcome = activities::update_activity(&mut tx, user, id, expected, &data, now).await?;
    let updated = settle(outcome, expected)?;
    // Mailed invites of this activity follow it (the job sends only what a calendar shows).
    crate::calendar::after_activity_change(&mut tx, user, id, now).await?;
    let schedule = |d: &ActivityData| (d.kind, d.status, d.starts_at, d.interview_stage);
    if schedule(&updated.data) != schedule(&existing.data) {
        // The interview moved, changed stage or was done/cancelled: re-plan its reminders.
        let company = company(&mut tx, user, updated.application_id).await?;
        let planned =
            crate::reminders::plan_for_activity(&mut tx, user, &updated, &company, now).await?;
        crate::reminders::deliver_soon(&mut tx, user, &planned, now).await?;
    }
    tx.commit().await?;
    Ok(updated)
}

/// Deletes one of the user's activities at the version the caller read; invites mailed for
/// it are cancelled. Returns the application it belonged to.
pub async fn delete(
    db: &Db,
    user: UserId,
    id: ActivityId,
    expected: Result<i64, Precondition>,
    now: Timestamp,
) -> Result<ApplicationId, AppError> {
    let mut tx = db.begin().await?;
    let existing = activities::get_activity(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    // Before the delete: the invites still name the activity. Cancellations go out after.
    crate::calendar::after_activity_change(&mut tx, user, id, now).await?;
    let outcome = activities::delete_activity(&mut tx, user, id, expected).await?;
    settle(outcome, expected)?;
    tx.commit().await?;
    Ok(existing.application_id)
}

/// [`create_in`] in a transaction of its own, after checking the application is the user's.
pub async fn create(
    db: &Db,
    user: UserId,
    application: ApplicationId,
    id: ActivityId,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Activity, AppError> {
    check_application(db, user, application).await?;
    let mut tx = db.begin().await?;
    let created = create_in(&mut tx, user, application, id, data, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// Reads the fields present in `body` into `data` (create and update share these rules),
/// then checks the rules that tie fields together.
pub fn apply(body: &Map<String, Value>, data: &mut ActivityData, fields: &mut Fields) {
    for (key, value) in body {
        let key = key.as_str();
        match key {
            "type" => {
                if let Some(v) = fields.choice(key, value, ActivityType::parse) {
                    data.kind = v;
                }
            }
            "status" => {
                if let Some(v) = fields.choice(key, value, ActivityStatus::parse) {
                    data.status = v;
                }
            }
            "starts_at" | "next_action_due" | "reply_deadline" => {
                if let Some(v) = fields.instant(key, value) {
                    match key {
                        "starts_at" => data.starts_at = v,
                        "next_action_due" => data.next_action_due = v,
                        _ => data.reply_deadline = v,
                    }
                }
            }
            "duration_minutes" => match value {
                Value::Null => data.duration_minutes = None,
                Value::Number(n) if n.as_i64().is_some_and(|m| (1..=1440).contains(&m)) => {
                    data.duration_minutes = n.as_i64()
                }
                _ => fields.bad(key, "must be 1 to 1440 minutes, or null"),
            },
            "timezone" => match value {
                Value::Null => data.timezone = None,
                Value::String(s) => match TimeZoneName::parse(s) {
                    Ok(zone) => data.timezone = Some(zone.as_str().to_owned()),
                    Err(e) => fields.bad(key, e.0),
                },
                _ => fields.bad(key, "must be an IANA time zone or null"),
            },
            "outcome" | "next_action" | "notes" | "location_or_link" | "agenda"
            | "template_used" => {
                if let Some(v) = fields.text(key, value, 10_000) {
                    match key {
                        "outcome" => data.outcome = v,
                        "next_action" => data.next_action = v,
                        "notes" => data.notes = v,
                        "location_or_link" => data.location_or_link = v,
                        "agenda" => data.agenda = v,
                        _ => data.template_used = v,
                    }
                }
            }
            "related_contacts" | "prep_checklist" => {
                if let Some(v) = fields.document(key, value) {
                    if key == "related_contacts" {
                        data.related_contacts = v
                    } else {
                        data.prep_checklist = v
                    }
                }
            }
            "interview_stage" => {
                if let Some(v) = fields.optional_choice(key, value, InterviewStage::parse) {
                    data.interview_stage = v;
                }
            }
            "interview_medium" => {
                if let Some(v) = fields.optional_choice(key, value, InterviewMedium::parse) {
                    data.interview_medium = v;
                }
            }
            "followup_channel" => {
                if let Some(v) = fields.optional_choice(key, value, FollowupChannel::parse) {
                    data.followup_channel = v;
                }
            }
            _ => {}
        }
    }
    if data.status == ActivityStatus::Scheduled && data.starts_at.is_none() {
        fields.bad("starts_at", "a scheduled activity needs a start time");
    }
    let interview_fields = data.interview_stage.is_some()
        || data.interview_medium.is_some()
        || data.agenda.is_some()
        || data.prep_checklist.is_some();
    if interview_fields && data.kind != ActivityType::Interview {
        fields.bad(
            "type",
            "interview fields (stage, medium, agenda, prep checklist) belong to an Interview",
        );
    }
    // Judged when the body names the duration or the kind, so that an older note stored
    // with a duration can still be changed in other ways.
    let names_duration = body.contains_key("duration_minutes") || body.contains_key("type");
    if names_duration && data.duration_minutes.is_some() && !data.kind.lasts() {
        fields.bad(
            "duration_minutes",
            format!("a {} has no duration", data.kind.as_str()),
        );
    }
    let followup_fields = data.followup_channel.is_some()
        || data.template_used.is_some()
        || data.reply_deadline.is_some();
    if followup_fields && data.kind != ActivityType::FollowUp {
        fields.bad(
            "type",
            "follow-up fields (channel, template, reply deadline) belong to a FollowUp",
        );
    }
}

/// Reads a create body: the activity's id (the client's, or a new one) and its data, every
/// invalid field named in one 422. Starts with a time is `Scheduled`, without `Done`.
pub fn read_new(body: &Map<String, Value>) -> Result<(ActivityId, ActivityData), Vec<Invalid>> {
    let mut fields = Fields::default();
    let activity_id = match body.get("id") {
        None | Some(Value::Null) => ActivityId::new(),
        Some(value) => match value.as_str().and_then(|s| s.parse::<uuid::Uuid>().ok()) {
            Some(id) => ActivityId(id),
            None => {
                fields.bad("id", "must be a UUID");
                ActivityId::new()
            }
        },
    };
    if !body.contains_key("type") {
        fields.bad("type", "is required");
    }
    let scheduled = body.get("starts_at").is_some_and(|v| !v.is_null());
    let status = if scheduled {
        ActivityStatus::Scheduled
    } else {
        ActivityStatus::Done
    };
    let mut data = ActivityData::new(ActivityType::Note, status);
    apply(body, &mut data, &mut fields);
    fields.finish()?;
    Ok((activity_id, data))
}
