//! Reminders: the default rules a status change or a scheduled interview plans (seed 002
//! §3.3), and the hand-over to delivery — the `reminder.dispatch` scan, the
//! `reminder.deliver` jobs it plans, and the helper a write uses so that a reminder due
//! within the scan's lookahead does not wait for the next scan. The worker runs the jobs.

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::application::{ActivityStatus, ActivityType, ApplicationStatus};
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId, UserId};
use pursuit_domain::reminder_rules;
use pursuit_domain::settings::ReminderChannel;
use pursuit_store::activities::{self, Activity};
use pursuit_store::jobs::{self, EnqueueOptions, JobSpec};
use pursuit_store::reminders::{self, NewReminder, Reminder};
use pursuit_store::{Conn, Db, StoreError, accounts, applications, delivery};

use crate::error::{AppError, Invalid, Precondition, at_version, settle};
use crate::fields::Fields;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How far ahead the scan looks: a reminder due within this gets its job now, scheduled for
/// its due time, so delivery does not wait for the next scan.
pub const LOOKAHEAD: SignedDuration = SignedDuration::from_mins(2);
/// Reminders handed over per transaction.
const BATCH: i64 = 1000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DispatchReminders {}

impl JobSpec for DispatchReminders {
    const KIND: &'static str = "reminder.dispatch";
    const MAX_ATTEMPTS: i64 = 3;
}

/// Enqueues a delivery job for every pending reminder due by `now + LOOKAHEAD`; returns
/// how many.
pub async fn dispatch(db: &Db, now: Timestamp) -> Result<usize, StoreError> {
    let horizon = now + LOOKAHEAD;
    let mut handed = 0;
    loop {
        let mut tx = db.begin().await?;
        let due = delivery::due_reminders(&mut tx, horizon, BATCH).await?;
        hand_over(&mut tx, &due, now).await?;
        tx.commit().await?;
        handed += due.len();
        if (due.len() as i64) < BATCH {
            return Ok(handed);
        }
    }
}

/// Gives each of `due` a `reminder.deliver` job that runs at its due time (unique per
/// reminder and due time, so handing one over twice adds nothing) and marks it queued. The
/// minute's scan calls this; so does a write that makes a reminder due within
/// [`LOOKAHEAD`], so it does not wait for the next scan.
pub async fn hand_over(
    mut conn: impl Conn,
    due: &[delivery::Due],
    now: Timestamp,
) -> Result<(), StoreError> {
    for reminder in due {
        jobs::enqueue(
            &mut conn,
            &DeliverReminder {
                reminder_id: reminder.id.0,
                user_id: reminder.user_id.0,
                due_at: reminder.due_at,
            },
            &EnqueueOptions {
                run_at: Some(reminder.due_at),
                dedupe_key: Some(deliver_key(reminder.id, reminder.due_at, None)),
                user_id: Some(reminder.user_id),
                ..EnqueueOptions::default()
            },
            now,
        )
        .await?;
    }
    let ids: Vec<ReminderId> = due.iter().map(|r| r.id).collect();
    delivery::mark_queued(&mut conn, &ids).await.map(|_| ())
}

/// The unique key of a delivery job: the reminder and its due time (and, for a delivery
/// deferred past quiet hours, the time it was deferred to).
pub fn deliver_key(id: ReminderId, due_at: Timestamp, deferred_to: Option<Timestamp>) -> String {
    match deferred_to {
        None => format!("reminder.deliver:{}:{}", id.0, due_at.as_second()),
        Some(at) => format!(
            "reminder.deliver:{}:{}:{}",
            id.0,
            due_at.as_second(),
            at.as_second()
        ),
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeliverReminder {
    pub reminder_id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    /// The due time the job was planned for: a reminder rescheduled since is not this job's.
    pub due_at: Timestamp,
}

impl JobSpec for DeliverReminder {
    const KIND: &'static str = "reminder.deliver";
    /// Its own queue, so that a burst of reminders never delays a sign-in link.
    const QUEUE: &'static str = "reminders";
    /// Backoff doubles from 2 s: twelve attempts span about two hours of mail-server outage.
    const MAX_ATTEMPTS: i64 = 12;
}

/// Hands the reminders just written that fall due within the scan's lookahead to delivery,
/// in the writing transaction, so one set for "in a minute" does not wait for the next
/// minute's scan (which would hand it over the same way).
pub async fn deliver_soon(
    conn: impl Conn,
    user_id: UserId,
    written: &[Reminder],
    now: Timestamp,
) -> Result<(), StoreError> {
    let due: Vec<delivery::Due> = written
        .iter()
        .filter(|r| !r.sent && r.canceled_at.is_none() && r.due_at <= now + LOOKAHEAD)
        .map(|r| delivery::Due {
            id: r.id,
            user_id,
            due_at: r.due_at,
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    hand_over(conn, &due, now).await
}

/// What the status rules read about their user: the zone and the settings. A write reads
/// them with [`RuleInputs::for_status`] *before* its transaction, so that the read is not
/// made inside the database's one write turn (SQLite).
#[derive(Clone)]
pub struct RuleInputs {
    zone: jiff::tz::TimeZone,
    settings: accounts::Settings,
}

impl RuleInputs {
    /// `given` (read before the transaction), or else the user's, read on `conn` now.
    async fn given_or_read(
        given: Option<&RuleInputs>,
        conn: impl Conn,
        user_id: UserId,
    ) -> Result<std::borrow::Cow<'_, RuleInputs>, StoreError> {
        Ok(match given {
            Some(rules) => std::borrow::Cow::Borrowed(rules),
            None => std::borrow::Cow::Owned(RuleInputs::read(conn, user_id).await?),
        })
    }

    pub async fn read(conn: impl Conn, user_id: UserId) -> Result<RuleInputs, StoreError> {
        let (zone, settings) = accounts::zone_and_settings(conn, user_id).await?;
        Ok(RuleInputs {
            zone: jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC),
            settings,
        })
    }

    /// The inputs of the rules of `status`; `None` when it has none (nothing is read).
    pub async fn for_status(
        conn: impl Conn,
        user_id: UserId,
        status: ApplicationStatus,
    ) -> Result<Option<RuleInputs>, StoreError> {
        if reminder_rules::has_rules(status) {
            RuleInputs::read(conn, user_id).await.map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Runs the default rules for an application whose status just changed to `status`:
/// cancels the pending rule reminders of its previous status and plans those of the new
/// one, in the user's zone and around their quiet hours (a new application's are planned by
/// [`plan_for_new_application`]). Idempotent: each entry into a status has its
/// own dedupe key (the number of times the application entered it), so a replayed call
/// plans nothing twice. A status without rules reads nothing; `rules` are the inputs the
/// caller read before its transaction, or `None` to read them on `conn`.
pub async fn plan_for_status(
    mut conn: impl Conn,
    user_id: UserId,
    application_id: ApplicationId,
    company: &str,
    status: ApplicationStatus,
    rules: Option<&RuleInputs>,
    now: Timestamp,
) -> Result<Vec<Reminder>, StoreError> {
    reminders::cancel_rule_reminders(&mut conn, user_id, application_id, now).await?;
    if !reminder_rules::has_rules(status) {
        return Ok(Vec::new());
    }
    let rules = RuleInputs::given_or_read(rules, &mut conn, user_id).await?;
    let RuleInputs { zone, settings } = rules.as_ref();
    let entries = reminders::times_entered(&mut conn, user_id, application_id, status).await?;
    let mut planned = Vec::new();
    for new in status_reminders(
        application_id,
        company,
        status,
        entries,
        zone,
        settings,
        now,
    ) {
        if let Some(reminder) =
            reminders::insert_reminder(&mut conn, user_id, ReminderId::new(), &new, now).await?
        {
            planned.push(reminder);
        }
    }
    Ok(planned)
}

/// Plans the rules' reminders of a new application in `status` (its first entry into it;
/// none for a status without rules) and defers storing them to the transaction's next
/// hand-off ([`Conn::defer`]), after the application's own deferred row; those due within
/// [`LOOKAHEAD`] are handed to delivery. Their dedupe keys name the new application, so each
/// is stored and none needs reading back. Returns how many were planned. `rules` as for
/// [`plan_for_status`]: `None` reads them on `conn`.
pub async fn plan_for_new_application(
    mut conn: impl Conn,
    user_id: UserId,
    application_id: ApplicationId,
    company: &str,
    status: ApplicationStatus,
    rules: Option<&RuleInputs>,
    now: Timestamp,
) -> Result<usize, StoreError> {
    if !reminder_rules::has_rules(status) {
        return Ok(0);
    }
    let rules = RuleInputs::given_or_read(rules, &mut conn, user_id).await?;
    let RuleInputs { zone, settings } = rules.as_ref();
    let new = status_reminders(application_id, company, status, 1, zone, settings, now);
    let mut queries = Vec::with_capacity(new.len());
    let mut due = Vec::new();
    for one in &new {
        let id = ReminderId::new();
        queries.push(reminders::insert_reminder_query(user_id, id, one, now));
        let due_at = pursuit_store::as_stored(one.due_at);
        if due_at <= now + LOOKAHEAD {
            due.push(delivery::Due {
                id,
                user_id,
                due_at,
            });
        }
    }
    conn.defer(queries).await?;
    hand_over(&mut conn, &due, now).await?;
    Ok(new.len())
}

/// The status rules' reminders for the `entries`-th entry of an application into `status`
/// (the count keeps each entry's dedupe keys apart).
fn status_reminders(
    application_id: ApplicationId,
    company: &str,
    status: ApplicationStatus,
    entries: i64,
    zone: &jiff::tz::TimeZone,
    settings: &accounts::Settings,
    now: Timestamp,
) -> Vec<NewReminder> {
    reminder_rules::on_status(
        status,
        company,
        now,
        &settings.reminder_defaults,
        settings.quiet_hours,
        zone,
    )
    .into_iter()
    .map(|plan| NewReminder {
        application_id: Some(application_id),
        activity_id: None,
        title: plan.title,
        due_at: plan.due_at,
        channels: plan.channels,
        dedupe_key: Some(format!(
            "rule:{}:{}:{}",
            plan.rule, application_id.0, entries
        )),
        rule: Some(plan.rule),
        meta: plan
            .repeat_days
            .map(|days| serde_json::json!({ "repeat_days": days })),
    })
    .collect()
}

/// Runs the interview rules for an activity whose schedule changed (or is new): cancels its
/// pending rule reminders and, for a scheduled Interview (of any stage, or none), plans the
/// ones before (and, for a loop, after) it. The dedupe key carries the start time, so a
/// rescheduled interview gets fresh reminders and a replay gets none twice.
pub async fn plan_for_activity(
    mut conn: impl Conn,
    user_id: UserId,
    activity: &Activity,
    company: &str,
    now: Timestamp,
) -> Result<Vec<Reminder>, StoreError> {
    reminders::cancel_activity_rule_reminders(&mut conn, user_id, activity.id, now).await?;
    let data = &activity.data;
    let (ActivityType::Interview, ActivityStatus::Scheduled, Some(starts_at)) =
        (data.kind, data.status, data.starts_at)
    else {
        return Ok(Vec::new());
    };
    let RuleInputs { zone, settings } = RuleInputs::read(&mut conn, user_id).await?;
    let mut planned = Vec::new();
    for plan in reminder_rules::on_interview(
        data.interview_stage,
        starts_at,
        company,
        now,
        settings.quiet_hours,
        &zone,
    ) {
        let new = NewReminder {
            application_id: Some(activity.application_id),
            activity_id: Some(activity.id),
            title: plan.title,
            due_at: plan.due_at,
            channels: plan.channels,
            dedupe_key: Some(format!(
                "rule:{}:{}:{}",
                plan.rule,
                activity.id.0,
                starts_at.as_second()
            )),
            rule: Some(plan.rule),
            meta: None,
        };
        if let Some(reminder) =
            reminders::insert_reminder(&mut conn, user_id, ReminderId::new(), &new, now).await?
        {
            planned.push(reminder);
        }
    }
    Ok(planned)
}

/// A custom reminder as its creator asked for it.
#[derive(Clone, Debug)]
pub struct ReminderRequest {
    pub application_id: Option<ApplicationId>,
    pub activity_id: Option<ActivityId>,
    pub title: String,
    pub due_at: Timestamp,
    /// `None`: the user's default reminder channels.
    pub channels: Option<Vec<ReminderChannel>>,
}

/// The parents named that are not the user's (someone else's id is "no such …"), and a
/// reminder with neither: what [`create`] refuses, for a caller that gathers every invalid
/// field of a request in one answer.
pub async fn unknown_parents(
    db: &Db,
    user: UserId,
    application: Option<ApplicationId>,
    activity: Option<ActivityId>,
) -> Result<Vec<Invalid>, StoreError> {
    let mut invalid = Vec::new();
    if let Some(id) = application
        && applications::get_application(db, user, id).await?.is_none()
    {
        invalid.push(Invalid::new("application_id", "no such application"));
    }
    if let Some(id) = activity
        && activities::get_activity(db, user, id).await?.is_none()
    {
        invalid.push(Invalid::new("activity_id", "no such activity"));
    }
    if application.is_none() && activity.is_none() {
        invalid.push(Invalid::new(
            "application_id",
            "a reminder belongs to an application or an activity",
        ));
    }
    Ok(invalid)
}

/// Creates a custom reminder on one of the user's applications or activities; one due
/// within the scan's lookahead goes to delivery at once.
pub async fn create(
    db: &Db,
    user: UserId,
    request: ReminderRequest,
    now: Timestamp,
) -> Result<Reminder, AppError> {
    let invalid = unknown_parents(db, user, request.application_id, request.activity_id).await?;
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let channels = match request.channels {
        Some(channels) => channels,
        None => {
            accounts::get_settings(db, user)
                .await?
                .reminder_defaults
                .channels
        }
    };
    let new = NewReminder {
        application_id: request.application_id,
        activity_id: request.activity_id,
        title: request.title,
        due_at: request.due_at,
        channels,
        dedupe_key: None,
        rule: None,
        meta: None,
    };
    let mut tx = db.begin().await?;
    let reminder = reminders::insert_reminder(&mut tx, user, ReminderId::new(), &new, now)
        .await?
        .ok_or_else(|| AppError::Conflict("this reminder exists".to_owned()))?;
    deliver_soon(&mut tx, user, std::slice::from_ref(&reminder), now).await?;
    tx.commit().await?;
    Ok(reminder)
}

/// What may change of a reminder.
#[derive(Clone, Debug)]
pub struct ReminderChange {
    pub title: String,
    pub due_at: Timestamp,
    pub channels: Vec<ReminderChannel>,
    pub canceled_at: Option<Timestamp>,
}

/// Reschedules, renames, re-channels, cancels or restores one of the user's reminders at the
/// version the caller read: `edit` changes a copy of what it is now. A sent reminder is a
/// [`AppError::Conflict`].
pub async fn update(
    db: &Db,
    user: UserId,
    id: ReminderId,
    expected: Result<i64, Precondition>,
    edit: impl FnOnce(&mut ReminderChange) -> Result<(), Vec<Invalid>>,
    now: Timestamp,
) -> Result<Reminder, AppError> {
    let mut tx = db.begin().await?;
    let found = reminders::get_reminder(&mut tx, user, id).await?;
    let (existing, expected) = at_version(found, expected, |r| r.version)?;
    if existing.sent {
        return Err(AppError::Conflict(
            "the reminder was already sent".to_owned(),
        ));
    }
    let mut change = ReminderChange {
        title: existing.title.clone(),
        due_at: existing.due_at,
        channels: existing.channels.clone(),
        canceled_at: existing.canceled_at,
    };
    edit(&mut change).map_err(AppError::Invalid)?;
    let outcome = reminders::update_reminder(
        &mut tx,
        user,
        id,
        expected,
        &change.title,
        change.due_at,
        &change.channels,
        change.canceled_at,
        now,
    )
    .await?;
    let updated = settle(outcome, expected)?;
    deliver_soon(&mut tx, user, std::slice::from_ref(&updated), now).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes one of the user's reminders at the version the caller read.
pub async fn delete(
    db: &Db,
    user: UserId,
    id: ReminderId,
    expected: Result<i64, Precondition>,
) -> Result<(), AppError> {
    reminders::get_reminder(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    let outcome = reminders::delete_reminder(db, user, id, expected).await?;
    settle(outcome, expected)
}

fn channels(fields: &mut Fields, value: &Value) -> Option<Vec<ReminderChannel>> {
    let Some(items) = value.as_array().filter(|a| !a.is_empty()) else {
        fields.bad(
            "channels",
            "must be a non-empty list of in_app, email, calendar",
        );
        return None;
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(channel) = fields.choice(&format!("channels/{i}"), item, ReminderChannel::parse)
            && !out.contains(&channel)
        {
            out.push(channel);
        }
    }
    Some(out)
}

fn title(fields: &mut Fields, value: &Value) -> Option<String> {
    match fields.text("title", value, 300) {
        Some(Some(text)) => Some(text),
        Some(None) => {
            fields.bad("title", "must not be empty");
            None
        }
        None => None,
    }
}

/// Reads a create body (`application_id`, `activity_id`, `title`, `due_at`, `channels`)
/// and creates the reminder: every invalid field, the parents not the user's among them,
/// named in one [`AppError::Invalid`].
pub async fn create_from(
    db: &Db,
    user: UserId,
    body: &Map<String, Value>,
    now: Timestamp,
) -> Result<Reminder, AppError> {
    let mut fields = Fields::default();
    let parent = |key: &str, fields: &mut Fields| -> Option<uuid::Uuid> {
        match body.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => v.as_str().and_then(|s| s.parse().ok()).or_else(|| {
                fields.bad(key, "must be a UUID");
                None
            }),
        }
    };
    let application_id = parent("application_id", &mut fields).map(ApplicationId);
    let activity_id = parent("activity_id", &mut fields).map(ActivityId);
    let title = title(&mut fields, body.get("title").unwrap_or(&Value::Null));
    let due_at = fields
        .instant("due_at", body.get("due_at").unwrap_or(&Value::Null))
        .flatten();
    if due_at.is_none() && !fields.errors.iter().any(|e| e.field == "/due_at") {
        fields.bad("due_at", "is required");
    }
    let channels = match body.get("channels") {
        None | Some(Value::Null) => Some(None),
        Some(value) => channels(&mut fields, value).map(Some),
    };
    let (Some(title), Some(due_at), Some(channels), true) =
        (title, due_at, channels, fields.errors.is_empty())
    else {
        // The parents are named too, so one answer lists everything to fix.
        let unknown = unknown_parents(db, user, application_id, activity_id).await?;
        fields.errors.extend(unknown);
        return Err(AppError::Invalid(fields.errors));
    };
    let request = ReminderRequest {
        application_id,
        activity_id,
        title,
        due_at,
        channels,
    };
    create(db, user, request, now).await
}

/// Reads a PATCH body (`title`, `due_at`, `channels`, `canceled`) into `change`, naming
/// every invalid field.
pub fn apply_change(
    body: &Map<String, Value>,
    change: &mut ReminderChange,
    now: Timestamp,
) -> Result<(), Vec<Invalid>> {
    let mut fields = Fields::default();
    for (key, value) in body {
        match key.as_str() {
            "title" => {
                if let Some(t) = title(&mut fields, value) {
                    change.title = t;
                }
            }
            "due_at" => match fields.instant("due_at", value) {
                Some(Some(at)) => change.due_at = at,
                Some(None) => fields.bad("due_at", "must not be null"),
                None => {}
            },
            "channels" => {
                if let Some(list) = channels(&mut fields, value) {
                    change.channels = list;
                }
            }
            "canceled" => match value.as_bool() {
                Some(true) => change.canceled_at = change.canceled_at.or(Some(now)),
                Some(false) => change.canceled_at = None,
                None => fields.bad("canceled", "must be true or false"),
            },
            _ => {}
        }
    }
    fields.finish()
}
