//! `calendar.invites` (payload and enqueue helpers in `pursuit_app::calendar`): keeps the
//! calendar invites a user was mailed true. When an activity
//! whose invite went out changes where or when it happens, the user gets the updated event
//! (same UID, higher SEQUENCE); when it is cancelled or deleted, a `METHOD:CANCEL`. Enqueued
//! by the activity's update or delete (or its application's delete), in the same
//! transaction.

use pursuit_app::calendar::{self as calendar_events, UpdateInvites};
use pursuit_domain::calendar::{Event, Method};
use pursuit_domain::ids::UserId;
use pursuit_store::delivery::{self, Invite};
use pursuit_store::{accounts, activities, applications};

use crate::jobs::reminders::invite_attachment;
use crate::registry::{JobContext, JobError};
use crate::template::{self, Values};

pub async fn run(job: UpdateInvites, ctx: JobContext) -> Result<(), JobError> {
    let user_id = UserId(job.user_id);
    for uid in &job.uids {
        update(&ctx, user_id, uid).await?;
    }
    Ok(())
}

/// What one invite needs now: nothing, the new version, or a cancellation.
async fn update(ctx: &JobContext, user_id: UserId, uid: &str) -> Result<(), JobError> {
    let db = &ctx.db;
    let now = ctx.now();
    let Some(invite) = delivery::get_invite(db, user_id, uid).await? else {
        return Ok(());
    };
    if invite.canceled_at.is_some() {
        return Ok(());
    }
    let Some(user) = accounts::get_user(db, user_id).await? else {
        return Ok(());
    };
    let activity = match invite.activity_id {
        Some(id) => activities::get_activity(db, user_id, id).await?,
        None => None,
    };
    let current = match &activity {
        Some(activity) => {
            let application =
                applications::get_application(db, user_id, activity.application_id).await?;
            let (company, role) = application
                .map(|a| (a.data.company, a.data.role_title))
                .unwrap_or_default();
            calendar_events::activity_event(activity, &company, &role, &ctx.settings.base_url, now)
                .filter(|e| !e.cancelled)
        }
        None => None,
    };
    let (event, method) = match current {
        Some(event) => {
            let previous = calendar_events::event_from_json(&invite.event, now);
            if previous.is_some_and(|p| same_for_calendar(&p, &event)) {
                return Ok(());
            }
            let mut event = event;
            event.sequence = event.sequence.max(sequence_after(&invite));
            (event, Method::Publish)
        }
        None => {
            let Some(mut event) = calendar_events::event_from_json(&invite.event, now) else {
                return Ok(());
            };
            event.sequence = sequence_after(&invite);
            (event, Method::Cancel)
        }
    };
    let link = activity.as_ref().map_or_else(
        || format!("{}/board", ctx.settings.base_url),
        |a| calendar_events::application_link(&ctx.settings.base_url, a.application_id),
    );
    let email = compose(
        &user.email,
        &event,
        method,
        &link,
        &ctx.settings.product_version,
    )
    .map_err(|e| JobError::new(e.to_string()))?;
    ctx.mailer
        .send(&email)
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    delivery::record_invite(
        db,
        user_id,
        uid,
        invite.activity_id,
        i64::from(event.sequence),
        calendar_events::event_to_json(&event),
        method == Method::Cancel,
        now,
    )
    .await?;
    Ok(())
}

fn sequence_after(invite: &Invite) -> u32 {
    u32::try_from(invite.sequence.saturating_add(1)).unwrap_or(u32::MAX)
}

/// True when a calendar would show both the same (then no mail is worth sending).
fn same_for_calendar(a: &Event, b: &Event) -> bool {
    (a.start, a.end, &a.summary, &a.location) == (b.start, b.end, &b.summary, &b.location)
}

fn compose(
    to: &str,
    event: &Event,
    method: Method,
    link: &str,
    product_version: &str,
) -> Result<pursuit_mail::Email, template::TemplateError> {
    let when = event.start.strftime("%Y-%m-%d %H:%M UTC").to_string();
    let mut line = format!("{} — {when}", event.summary);
    if let Some(location) = &event.location {
        line.push_str(&format!(", {location}"));
    }
    let values: Values = [
        ("title", event.summary.clone()),
        ("event", line),
        ("link", link.to_owned()),
    ]
    .into_iter()
    .collect();
    let (template, prefix) = match method {
        Method::Cancel => (&template::EVENT_CANCELED, "Cancelled"),
        Method::Publish => (&template::EVENT_UPDATED, "Changed"),
    };
    let (text, html) = template.render(&values)?;
    Ok(pursuit_mail::Email {
        to: to.to_owned(),
        subject: format!("{prefix}: {}", event.summary),
        text,
        html: Some(html),
        attachments: vec![invite_attachment(event, method, product_version)],
    })
}
