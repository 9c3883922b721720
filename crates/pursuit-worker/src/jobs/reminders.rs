//! Reminder delivery.
//!
//! - `reminder.dispatch` runs every minute: it hands each pending reminder due within the
//!   next [`LOOKAHEAD`] to a `reminder.deliver` job that runs at the due time (the job's
//!   unique key is the reminder and its due time, so a re-run of the scan adds nothing).
//! - `reminder.deliver` re-reads everything, because the world may have moved since the
//!   scan: a cancelled, rescheduled or already delivered reminder is left alone; one whose
//!   application was archived or moved past the rule, or whose event already started, is
//!   skipped with the reason; inside the user's quiet hours it defers itself to their end.
//!   Then each channel is delivered once — the in-app notification (unique per reminder) and
//!   one mail carrying the email text and, for the calendar channel, `invite.ics` — each
//!   recorded in `reminder_deliveries`, so a retry after a mail failure redoes only what is
//!   missing. A mail failure is retried with the queue's backoff; on the last attempt, or for
//!   a reason no retry can fix (a template error, a refused address), the reminder is marked
//!   failed with the reason, which its owner sees. An account without an address (the
//!   embedded owner's placeholder) skips the mail channels with a note saying so; the
//!   reminder counts as delivered when it reached the app, and fails only when mail was its
//!   only way out.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use pursuit_domain::calendar::{Calendar, Event, Method};
use pursuit_domain::ids::{ReminderId, UserId};
use pursuit_domain::reminder_rules;
use pursuit_domain::settings::ReminderChannel;
use pursuit_store::activities::{self, Activity};
use pursuit_store::applications::{self, Application};
use pursuit_store::delivery::{self, Delivery};
use pursuit_store::jobs::{self, EnqueueOptions};
use pursuit_store::reminders::{self, NewReminder, Reminder};
use pursuit_store::{Conn, Db, StoreError, accounts};

use crate::registry::{JobContext, JobError, JobSettings};
use crate::template::{self, Values};
use pursuit_app::calendar::{self as calendar_events, application_link};
use pursuit_app::reminders::{DeliverReminder, DispatchReminders, deliver_key, dispatch};

pub async fn run_dispatch(_job: DispatchReminders, ctx: JobContext) -> Result<(), JobError> {
    let handed = dispatch(&ctx.db, ctx.now()).await?;
    if handed > 0 {
        tracing::info!(reminders = handed, "reminders handed to delivery jobs");
    }
    Ok(())
}

/// What a delivery attempt decided, for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do (gone, cancelled, rescheduled, delivered already).
    NotMine,
    Deferred(Timestamp),
    Skipped(String),
    Sent,
    Failed(String),
    /// The mail server failed; the queue tries again.
    Retry,
}

pub async fn run_deliver(job: DeliverReminder, ctx: JobContext) -> Result<(), JobError> {
    let outcome = deliver(&job, &ctx).await?;
    tracing::debug!(reminder.id = %job.reminder_id, ?outcome, "reminder delivery");
    Ok(())
}

/// Everything delivery reads about a reminder.
struct Subject {
    reminder: Reminder,
    user: accounts::User,
    settings: accounts::Settings,
    zone: TimeZone,
    zone_note: Option<String>,
    application: Option<Application>,
    activity: Option<Activity>,
}

async fn load(db: &Db, user_id: UserId, id: ReminderId) -> Result<Option<Subject>, StoreError> {
    let Some(reminder) = reminders::get_reminder(db, user_id, id).await? else {
        return Ok(None);
    };
    let Some(user) = accounts::get_user(db, user_id).await? else {
        return Ok(None);
    };
    let settings = accounts::get_settings(db, user_id).await?;
    let (zone, zone_note) = match TimeZone::get(&user.time_zone) {
        Ok(zone) => (zone, None),
        Err(_) => (
            TimeZone::UTC,
            Some(format!(
                "the account's time zone {:?} is unknown; quiet hours and times were read in UTC",
                user.time_zone
            )),
        ),
    };
    let application = match reminder.application_id {
        Some(id) => applications::get_application(db, user_id, id).await?,
        None => None,
    };
    let activity = match reminder.activity_id {
        Some(id) => activities::get_activity(db, user_id, id).await?,
        None => None,
    };
    Ok(Some(Subject {
        reminder,
        user,
        settings,
        zone,
        zone_note,
        application,
        activity,
    }))
}

/// Why a reminder should not go out any more, if it should not.
fn moot(subject: &Subject, now: Timestamp) -> Option<String> {
    let reminder = &subject.reminder;
    if let Some(application) = &subject.application {
        if application.data.archived_at.is_some() {
            return Some("the application was archived".to_owned());
        }
        if let Some(status) = reminder
            .rule
            .as_deref()
            .and_then(reminder_rules::rule_status)
            && application.data.status != status
        {
            return Some(format!(
                "the application moved on to {}",
                application.data.status.as_str()
            ));
        }
    }
    if reminder
        .rule
        .as_deref()
        .is_some_and(reminder_rules::announces_event)
        && let Some(activity) = &subject.activity
    {
        use pursuit_domain::application::ActivityStatus;
        if activity.data.status != ActivityStatus::Scheduled {
            return Some(format!("the event is {}", activity.data.status.as_str()));
        }
        if activity.data.starts_at.is_some_and(|start| start <= now) {
            return Some("the event has already started".to_owned());
        }
    }
    None
}

/// Delivers one reminder (see the module docs). `Err` means "try again later".
pub async fn deliver(job: &DeliverReminder, ctx: &JobContext) -> Result<Outcome, JobError> {
    let db = &ctx.db;
    let now = ctx.now();
    let (user_id, id) = (UserId(job.user_id), ReminderId(job.reminder_id));
    let Some(subject) = load(db, user_id, id).await? else {
        return Ok(Outcome::NotMine);
    };
    let reminder = &subject.reminder;
    if reminder.delivery != Delivery::Pending || reminder.due_at != job.due_at {
        return Ok(Outcome::NotMine);
    }
    if reminder.canceled_at.is_some() {
        delivery::mark_pending(db, id).await?;
        return Ok(Outcome::NotMine);
    }
    if let Some(reason) = moot(&subject, now) {
        delivery::finish(db, id, Delivery::Skipped, Some(&reason), now).await?;
        return Ok(Outcome::Skipped(reason));
    }
    if let Some(quiet) = subject.settings.quiet_hours {
        let allowed = quiet.defer(now, &subject.zone);
        if allowed > now {
            return defer(&subject, job, ctx, allowed).await;
        }
    }

    let done = delivery::channel_deliveries(db, user_id, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let sent = |channel| {
        done.iter()
            .any(|d| d.channel == channel && d.state == Delivery::Sent)
    };
    let in_app =
        reminder.channels.contains(&ReminderChannel::InApp) && !sent(ReminderChannel::InApp);
    let mail_channels: Vec<ReminderChannel> = [ReminderChannel::Email, ReminderChannel::Calendar]
        .into_iter()
        .filter(|c| reminder.channels.contains(c) && !sent(*c))
        .collect();
    // Mail first (the only step that can fail for outside reasons), then everything this
    // attempt did in one transaction: the in-app notification goes out even when the mail
    // server is down, and a retry redoes only the mail.
    let mailed = if mail_channels.is_empty() {
        Ok(None)
    } else {
        mail(&subject, &mail_channels, ctx, now).await
    };
    // Without an address the reminder still counts as delivered when it reached the app.
    let reached_app = reminder.channels.contains(&ReminderChannel::InApp);
    let failure = match &mailed {
        Ok(_) => None,
        Err(MailFailure::NoAddress) => (!reached_app).then(|| NO_ADDRESS.to_owned()),
        Err(MailFailure::Final(reason)) => Some(reason.clone()),
        Err(MailFailure::Retry(reason)) if ctx.last_attempt() => {
            Some(format!("{reason} (gave up after {} attempts)", ctx.attempt))
        }
        Err(MailFailure::Retry(_)) => None,
    };
    let mut tx = db.begin().await?;
    if in_app {
        notify_in_app(&mut tx, &subject, &ctx.settings, now).await?;
    }
    let (state, error) = match &mailed {
        Ok(_) => (Delivery::Sent, None),
        Err(MailFailure::NoAddress) => (Delivery::Skipped, Some(NO_ADDRESS)),
        Err(MailFailure::Final(reason) | MailFailure::Retry(reason)) => {
            (Delivery::Failed, Some(reason.as_str()))
        }
    };
    for channel in &mail_channels {
        delivery::record_channel(&mut tx, user_id, id, *channel, state, error, now).await?;
    }
    if let Ok(Some((event, activity))) = &mailed {
        delivery::record_invite(
            &mut tx,
            user_id,
            &event.uid,
            *activity,
            i64::from(event.sequence),
            calendar_events::event_to_json(event),
            false,
            now,
        )
        .await?;
    }
    let outcome = match (&mailed, failure) {
        (Ok(_), _) | (Err(MailFailure::NoAddress), None) => {
            let note = match (&mailed, subject.zone_note.as_deref()) {
                (Err(_), Some(zone)) => Some(format!("{zone}; {NO_ADDRESS}")),
                (Err(_), None) => Some(NO_ADDRESS.to_owned()),
                (Ok(_), zone) => zone.map(str::to_owned),
            };
            delivery::finish(&mut tx, id, Delivery::Sent, note.as_deref(), now).await?;
            repeat(&mut tx, &subject, now).await?;
            Outcome::Sent
        }
        (Err(_), Some(reason)) => {
            delivery::finish(&mut tx, id, Delivery::Failed, Some(&reason), now).await?;
            Outcome::Failed(reason)
        }
        (Err(_), None) => Outcome::Retry,
    };
    tx.commit().await?;
    match (outcome, mailed) {
        (Outcome::Retry, Err(MailFailure::Retry(reason))) => Err(JobError::new(reason)),
        (outcome, _) => Ok(outcome),
    }
}

/// Inside quiet hours: a job of its own at their end (an event reminder that would then be
/// too late is skipped instead).
async fn defer(
    subject: &Subject,
    job: &DeliverReminder,
    ctx: &JobContext,
    allowed: Timestamp,
) -> Result<Outcome, JobError> {
    let now = ctx.now();
    let id = subject.reminder.id;
    let announces = subject
        .reminder
        .rule
        .as_deref()
        .is_some_and(reminder_rules::announces_event);
    if announces
        && let Some(start) = subject.activity.as_ref().and_then(|a| a.data.starts_at)
        && allowed >= start
    {
        let reason = "quiet hours last until the event starts".to_owned();
        delivery::finish(&ctx.db, id, Delivery::Skipped, Some(&reason), now).await?;
        return Ok(Outcome::Skipped(reason));
    }
    jobs::enqueue(
        &ctx.db,
        job,
        &EnqueueOptions {
            run_at: Some(allowed),
            dedupe_key: Some(deliver_key(id, job.due_at, Some(allowed))),
            user_id: Some(subject.user.id),
            ..EnqueueOptions::default()
        },
        now,
    )
    .await?;
    Ok(Outcome::Deferred(allowed))
}

fn company_and_role(subject: &Subject) -> (Option<&str>, Option<&str>) {
    subject.application.as_ref().map_or((None, None), |a| {
        (
            Some(a.data.company.as_str()),
            Some(a.data.role_title.as_str()),
        )
    })
}

async fn notify_in_app(
    mut conn: impl Conn,
    subject: &Subject,
    settings: &JobSettings,
    now: Timestamp,
) -> Result<(), StoreError> {
    let reminder = &subject.reminder;
    let (company, role) = company_and_role(subject);
    let body = match (company, role) {
        (Some(company), Some(role)) if !role.is_empty() => format!("{company} — {role}"),
        (Some(company), _) => company.to_owned(),
        _ => String::new(),
    };
    let link = reminder
        .application_id
        .map(|id| application_link(&settings.base_url, id));
    delivery::insert_notification(
        &mut conn,
        subject.user.id,
        reminder.id,
        reminder.application_id,
        &reminder.title,
        &body,
        link.as_deref(),
        now,
        now + settings.notification_ttl,
    )
    .await?;
    delivery::record_channel(
        &mut conn,
        subject.user.id,
        reminder.id,
        ReminderChannel::InApp,
        Delivery::Sent,
        None,
        now,
    )
    .await
}

enum MailFailure {
    /// The account has no address mail can reach (the embedded owner's placeholder): the
    /// mail channels are skipped, not failed, when the reminder also goes out in the app.
    NoAddress,
    /// No retry can fix it.
    Final(String),
    Retry(String),
}

/// What the user reads when a reminder's mail had nowhere to go.
const NO_ADDRESS: &str = "not emailed: your account has no email address yet (add one in Settings)";

/// An address mail can reach: the embedded owner's placeholder cannot.
fn deliverable(address: &str) -> bool {
    let address = address.trim();
    !address.is_empty()
        && !address.eq_ignore_ascii_case(pursuit_domain::account::OWNER_PLACEHOLDER_EMAIL)
}

/// The event the invite carries: the activity's (its UID across reminders and the feed,
/// SEQUENCE from the activity's version, so every edit supersedes the last invite) or the
/// reminder's own.
fn invite_event(
    subject: &Subject,
    settings: &JobSettings,
    now: Timestamp,
) -> (Event, Option<pursuit_domain::ids::ActivityId>) {
    let (company, role) = company_and_role(subject);
    if let Some(activity) = &subject.activity
        && let Some(event) = calendar_events::activity_event(
            activity,
            company.unwrap_or_default(),
            role.unwrap_or_default(),
            &settings.base_url,
            now,
        )
    {
        return (event, Some(activity.id));
    }
    (
        calendar_events::reminder_event(&subject.reminder, company, &settings.base_url, now),
        None,
    )
}

/// Sends the email (text + HTML from the reminder's template) and, for the calendar
/// channel, the invite: one message for both channels. Returns the invite's event, which
/// the caller records with the delivery.
async fn mail(
    subject: &Subject,
    channels: &[ReminderChannel],
    ctx: &JobContext,
    now: Timestamp,
) -> Result<Option<(Event, Option<pursuit_domain::ids::ActivityId>)>, MailFailure> {
    if !deliverable(&subject.user.email) {
        return Err(MailFailure::NoAddress);
    }
    let invite = channels
        .contains(&ReminderChannel::Calendar)
        .then(|| invite_event(subject, &ctx.settings, now));
    let email = compose(subject, &ctx.settings, invite.as_ref().map(|(e, _)| e))
        .map_err(|error| MailFailure::Final(error.to_string()))?;
    ctx.mailer.send(&email).await.map_err(|error| match error {
        pursuit_mail::MailError::Address { .. } | pursuit_mail::MailError::Build(_) => {
            MailFailure::Final(error.to_string())
        }
        _ => MailFailure::Retry(error.to_string()),
    })?;
    Ok(invite)
}

/// "Tuesday 24 November 2026, 09:30 (Europe/Berlin)".
fn local_time(at: Timestamp, zone: &TimeZone) -> String {
    let zoned = at.to_zoned(zone.clone());
    let name = zone.iana_name().unwrap_or("UTC");
    format!("{} ({name})", zoned.strftime("%A %-d %B %Y, %H:%M"))
}

fn compose(
    subject: &Subject,
    settings: &JobSettings,
    invite: Option<&Event>,
) -> Result<pursuit_mail::Email, template::TemplateError> {
    let reminder = &subject.reminder;
    let (company, role) = company_and_role(subject);
    let link = reminder.application_id.map_or_else(
        || format!("{}/board", settings.base_url),
        |id| application_link(&settings.base_url, id),
    );
    let event = subject
        .activity
        .as_ref()
        .and_then(|a| {
            a.data.starts_at.map(|start| {
                let mut line = format!(
                    "{}: {}",
                    calendar_events::activity_label(a),
                    local_time(start, &subject.zone)
                );
                if let Some(place) = a.data.location_or_link.as_deref().filter(|p| !p.is_empty()) {
                    line.push_str(&format!(", {place}"));
                }
                line
            })
        })
        .unwrap_or_default();
    let values: Values = [
        ("title", reminder.title.clone()),
        ("company", company.unwrap_or_default().to_owned()),
        ("role", role.unwrap_or_default().to_owned()),
        (
            "status",
            subject
                .application
                .as_ref()
                .map(|a| a.data.status.as_str().replace('_', " "))
                .unwrap_or_default(),
        ),
        ("due", local_time(reminder.due_at, &subject.zone)),
        ("event", event),
        (
            "calendar",
            if invite.is_some() { "yes" } else { "" }.to_owned(),
        ),
        ("link", link),
        ("settings_link", format!("{}/settings", settings.base_url)),
    ]
    .into_iter()
    .collect();
    let template = if reminder.rule.is_some() {
        &template::REMINDER_STATUS
    } else {
        &template::REMINDER_CUSTOM
    };
    let (text, html) = template.render(&values)?;
    let subject_line = match company {
        Some(company) if !reminder.title.contains(company) => {
            format!("Reminder: {} ({company})", reminder.title)
        }
        _ => format!("Reminder: {}", reminder.title),
    };
    Ok(pursuit_mail::Email {
        to: subject.user.email.clone(),
        subject: subject_line,
        text,
        html: Some(html),
        attachments: invite
            .map(|event| invite_attachment(event, Method::Publish, &settings.product_version))
            .into_iter()
            .collect(),
    })
}

/// `invite.ics` for one event.
pub fn invite_attachment(
    event: &Event,
    method: Method,
    product_version: &str,
) -> pursuit_mail::Attachment {
    let calendar = Calendar {
        method,
        name: None,
        events: vec![event.clone()],
    };
    let method_name = match method {
        Method::Publish => "PUBLISH",
        Method::Cancel => "CANCEL",
    };
    pursuit_mail::Attachment {
        filename: "invite.ics".to_owned(),
        content_type: format!("text/calendar; method={method_name}; charset=UTF-8"),
        bytes: calendar.to_ics(product_version).into_bytes(),
    }
}

/// A repeating rule reminder (Offer: daily, On Hold: every 14 days) plans its next one after
/// it was sent; the key `repeat:<id>` makes that happen once however often this runs.
async fn repeat(mut conn: impl Conn, subject: &Subject, now: Timestamp) -> Result<(), StoreError> {
    let reminder = &subject.reminder;
    let Some(days) = reminder
        .meta
        .as_ref()
        .and_then(|m| m.get("repeat_days"))
        .and_then(serde_json::Value::as_i64)
        .filter(|d| *d > 0)
    else {
        return Ok(());
    };
    let mut due_at = reminder.due_at + SignedDuration::from_hours(24 * days);
    while due_at <= now {
        due_at += SignedDuration::from_hours(24 * days);
    }
    if let Some(quiet) = subject.settings.quiet_hours {
        due_at = quiet.defer(due_at, &subject.zone);
    }
    let new = NewReminder {
        application_id: reminder.application_id,
        activity_id: reminder.activity_id,
        title: reminder.title.clone(),
        due_at,
        channels: reminder.channels.clone(),
        dedupe_key: Some(format!("repeat:{}", reminder.id.0)),
        rule: reminder
            .rule
            .as_deref()
            .and_then(reminder_rules::known_rule),
        meta: reminder.meta.clone(),
    };
    reminders::insert_reminder(&mut conn, subject.user.id, ReminderId::new(), &new, now).await?;
    Ok(())
}
