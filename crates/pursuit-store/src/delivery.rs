//! Reminder delivery: which reminders are due (across users, for the dispatcher), where each
//! stands per channel, the in-app notifications delivery leaves, the calendar invites that
//! went out by mail, and each user's secret calendar feed.
//!
//! A reminder's `delivery` moves `pending → queued → sent | failed | skipped`. `queued` is
//! internal (a delivery job holds the reminder) and reads as `pending` to users; the final
//! states raise the reminder's version, because its representation changed.

use std::collections::HashMap;

use jiff::Timestamp;
use pursuit_domain::ids::{ActivityId, ApplicationId, NotificationId, ReminderId, UserId};
use pursuit_domain::settings::ReminderChannel;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, Value, placeholders};

/// Where a reminder's delivery stands, as users see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Pending,
    Sent,
    Failed,
    Skipped,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Pending => "pending",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
            Delivery::Skipped => "skipped",
        }
    }

    /// Reads a stored state; `queued` is pending to everyone but the dispatcher.
    pub fn parse(text: &str) -> Option<Delivery> {
        Some(match text {
            "pending" | "queued" => Delivery::Pending,
            "sent" => Delivery::Sent,
            "failed" => Delivery::Failed,
            "skipped" => Delivery::Skipped,
            _ => return None,
        })
    }
}

/// A reminder the dispatcher should hand to a delivery job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub id: ReminderId,
    pub user_id: UserId,
    pub due_at: Timestamp,
}

/// Pending, uncancelled reminders due at or before `horizon`, oldest first, every user.
pub async fn due_reminders(
    mut conn: impl Conn,
    horizon: Timestamp,
    limit: i64,
) -> Result<Vec<Due>, StoreError> {
    conn.fetch_all(
        query(
            "SELECT id, user_id, due_at FROM reminders \
             WHERE delivery = 'pending' AND canceled_at IS NULL AND due_at <= $1 \
             ORDER BY due_at, id LIMIT $2",
        )
        .bind(horizon)
        .bind(limit),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(Due {
            id: ReminderId(row.get("id")?),
            user_id: UserId(row.get("user_id")?),
            due_at: row.get("due_at")?,
        })
    })
    .collect()
}

/// Marks reminders as held by a delivery job (call in the enqueueing transaction).
pub async fn mark_queued(mut conn: impl Conn, ids: &[ReminderId]) -> Result<u64, StoreError> {
    let mut marked = 0;
    for chunk in ids.chunks(500) {
        let mut q = Query::dynamic(format!(
            "UPDATE reminders SET delivery = 'queued' WHERE delivery = 'pending' AND id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q = q.bind(*id);
        }
        marked += conn.execute(q).await?;
    }
    Ok(marked)
}

/// Gives a reminder back to the dispatcher (a deferred delivery, or a job that gave up
/// before deciding).
pub async fn mark_pending(mut conn: impl Conn, id: ReminderId) -> Result<u64, StoreError> {
    conn.execute(
        query("UPDATE reminders SET delivery = 'pending' WHERE id = $1 AND delivery = 'queued'")
            .bind(id),
    )
    .await
}

/// Ends a reminder's delivery: `Sent` sets `sent` and `sent_at`; `Failed` and `Skipped`
/// keep the reason in `delivery_note`. Returns false when the reminder had already ended.
pub async fn finish(
    mut conn: impl Conn,
    id: ReminderId,
    outcome: Delivery,
    note: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let sent = outcome == Delivery::Sent;
    let changed = conn
        .execute(
            query(
                "UPDATE reminders SET delivery = $2, delivery_note = $3, sent = $4, sent_at = $5, \
                 version = version + 1, updated_at = $6 \
                 WHERE id = $1 AND delivery IN ('pending', 'queued')",
            )
            .bind(id)
            .bind(outcome.as_str())
            .bind(note)
            .bind(sent)
            .bind(sent.then_some(now))
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// The delivery of one reminder on one channel.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelDelivery {
    pub channel: ReminderChannel,
    pub state: Delivery,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<Timestamp>,
}

fn channel_from_row(row: &Row) -> Result<ChannelDelivery, StoreError> {
    let channel: String = row.get("channel")?;
    let state: String = row.get("state")?;
    let corrupt = |column: &str, value: &str| StoreError::Decode {
        column: column.to_owned(),
        message: format!("unknown value {value:?}"),
    };
    Ok(ChannelDelivery {
        channel: ReminderChannel::parse(&channel).map_err(|_| corrupt("channel", &channel))?,
        state: Delivery::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        attempts: row.get("attempts")?,
        last_error: row.get("last_error")?,
        delivered_at: row.get("delivered_at")?,
    })
}

/// The per-channel deliveries of some reminders, by reminder.
pub async fn channel_deliveries(
    mut conn: impl Conn,
    user_id: UserId,
    reminders: &[ReminderId],
) -> Result<HashMap<ReminderId, Vec<ChannelDelivery>>, StoreError> {
    let mut found: HashMap<ReminderId, Vec<ChannelDelivery>> = HashMap::new();
    for chunk in reminders.chunks(500) {
        let mut q = Query::dynamic(format!(
            "SELECT reminder_id, channel, state, attempts, last_error, delivered_at FROM reminder_deliveries \
             WHERE user_id = $1 AND reminder_id IN ({}) ORDER BY reminder_id, channel",
            placeholders(2, chunk.len())
        ))
        .bind(user_id);
        for id in chunk {
            q = q.bind(*id);
        }
        for row in conn.fetch_all(q).await? {
            found
                .entry(ReminderId(row.get("reminder_id")?))
                .or_default()
                .push(channel_from_row(&row)?);
        }
    }
    Ok(found)
}

/// Records an attempt on one channel (the count of attempts goes up by one).
#[allow(clippy::too_many_arguments)]
pub async fn record_channel(
    mut conn: impl Conn,
    user_id: UserId,
    reminder: ReminderId,
    channel: ReminderChannel,
    state: Delivery,
    error: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO reminder_deliveries (reminder_id, channel, user_id, state, attempts, last_error, delivered_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7) \
             ON CONFLICT (reminder_id, channel) DO UPDATE SET state = excluded.state, \
             attempts = reminder_deliveries.attempts + 1, last_error = excluded.last_error, \
             delivered_at = excluded.delivered_at, updated_at = excluded.updated_at",
        )
        .bind(reminder)
        .bind(channel.as_str())
        .bind(user_id)
        .bind(state.as_str())
        .bind(error)
        .bind((state == Delivery::Sent).then_some(now))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// An in-app notification.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub id: NotificationId,
    pub reminder_id: Option<ReminderId>,
    pub application_id: Option<ApplicationId>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

const NOTIFICATION_COLUMNS: &str =
    "id, reminder_id, application_id, title, body, link, read_at, created_at, expires_at";

fn notification_from_row(row: &Row) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: NotificationId(row.get("id")?),
        reminder_id: row
            .get::<Option<uuid::Uuid>>("reminder_id")?
            .map(ReminderId),
        application_id: row
            .get::<Option<uuid::Uuid>>("application_id")?
            .map(ApplicationId),
        title: row.get("title")?,
        body: row.get("body")?,
        link: row.get("link")?,
        read_at: row.get("read_at")?,
        created_at: row.get("created_at")?,
        expires_at: row.get("expires_at")?,
    })
}

/// Stores a notification that no reminder left (a mailbox paused, say).
#[allow(clippy::too_many_arguments)]
pub async fn insert_notice(
    mut conn: impl Conn,
    user_id: UserId,
    title: &str,
    body: &str,
    link: Option<&str>,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<NotificationId, StoreError> {
    let id = NotificationId::new();
    conn.execute(
        query(
            "INSERT INTO notifications (id, user_id, reminder_id, application_id, title, body, link, read_at, \
             created_at, expires_at) VALUES ($1, $2, NULL, NULL, $3, $4, $5, NULL, $6, $7)",
        )
        .bind(id)
        .bind(user_id)
        .bind(title)
        .bind(body)
        .bind(link)
        .bind(now)
        .bind(expires_at),
    )
    .await?;
    Ok(id)
}

/// Stores the notification of a reminder; false when that reminder already left one.
#[allow(clippy::too_many_arguments)]
pub async fn insert_notification(
    mut conn: impl Conn,
    user_id: UserId,
    reminder: ReminderId,
    application: Option<ApplicationId>,
    title: &str,
    body: &str,
    link: Option<&str>,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<bool, StoreError> {
    let inserted = conn
        .execute(
            query(
                "INSERT INTO notifications (id, user_id, reminder_id, application_id, title, body, link, read_at, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9) \
                 ON CONFLICT (reminder_id) DO NOTHING",
            )
            .bind(NotificationId::new())
            .bind(user_id)
            .bind(reminder)
            .bind(application)
            .bind(title)
            .bind(body)
            .bind(link)
            .bind(now)
            .bind(expires_at),
        )
        .await?;
    Ok(inserted == 1)
}

/// The user's unexpired notifications, newest first, after the `(created_at, id)` of the
/// previous page.
pub async fn list_notifications(
    mut conn: impl Conn,
    user_id: UserId,
    unread_only: bool,
    now: Timestamp,
    after: Option<(Timestamp, NotificationId)>,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let mut conditions = vec!["user_id = $1", "expires_at > $2"];
    if unread_only {
        conditions.push("read_at IS NULL");
    }
    let mut values: Vec<Value> = vec![user_id.into(), now.into(), limit.into()];
    if let Some((at, id)) = after {
        conditions.push("(created_at < $4 OR (created_at = $4 AND id < $5))");
        values.push(at.into());
        values.push(id.into());
    }
    let mut q = Query::dynamic(format!(
        "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE {} ORDER BY created_at DESC, id DESC LIMIT $3",
        conditions.join(" AND ")
    ));
    for value in values {
        q = q.bind(value);
    }
    conn.fetch_all(q)
        .await?
        .iter()
        .map(notification_from_row)
        .collect()
}

/// How many unexpired notifications the user has not read.
pub async fn unread_count(
    mut conn: impl Conn,
    user_id: UserId,
    now: Timestamp,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query("SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND expires_at > $2 AND read_at IS NULL")
            .bind(user_id)
            .bind(now),
    )
    .await?
    .get("n")
}

/// Marks one notification read (reading it again keeps the first time).
pub async fn mark_read(
    mut conn: impl Conn,
    user_id: UserId,
    id: NotificationId,
    now: Timestamp,
) -> Result<Option<Notification>, StoreError> {
    conn.execute(
        query("UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL")
            .bind(id)
            .bind(user_id)
            .bind(now),
    )
    .await?;
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2 AND expires_at > $3"
        ))
        .bind(id)
        .bind(user_id)
        .bind(now),
    )
    .await?
    .as_ref()
    .map(notification_from_row)
    .transpose()
}

/// Marks every unread notification read; returns how many were.
pub async fn mark_all_read(
    mut conn: impl Conn,
    user_id: UserId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .bind(now),
    )
    .await
}

/// A calendar event as last mailed to a user.
#[derive(Clone, Debug, PartialEq)]
pub struct Invite {
    pub uid: String,
    pub activity_id: Option<ActivityId>,
    pub sequence: i64,
    /// The event as sent (the mailer's own JSON form).
    pub event: serde_json::Value,
    pub sent_at: Timestamp,
    pub canceled_at: Option<Timestamp>,
}

fn invite_from_row(row: &Row) -> Result<Invite, StoreError> {
    Ok(Invite {
        uid: row.get("uid")?,
        activity_id: row
            .get::<Option<uuid::Uuid>>("activity_id")?
            .map(ActivityId),
        sequence: row.get("sequence")?,
        event: row.get("event")?,
        sent_at: row.get("sent_at")?,
        canceled_at: row.get("canceled_at")?,
    })
}

pub async fn get_invite(
    mut conn: impl Conn,
    user_id: UserId,
    uid: &str,
) -> Result<Option<Invite>, StoreError> {
    conn.fetch_optional(
        query("SELECT uid, activity_id, sequence, event, sent_at, canceled_at FROM calendar_invites WHERE user_id = $1 AND uid = $2")
            .bind(user_id)
            .bind(uid),
    )
    .await?
    .as_ref()
    .map(invite_from_row)
    .transpose()
}

/// The live (not cancelled) invites mailed for an activity.
pub async fn invites_for_activity(
    mut conn: impl Conn,
    user_id: UserId,
    activity: ActivityId,
) -> Result<Vec<Invite>, StoreError> {
    conn.fetch_all(
        query(
            "SELECT uid, activity_id, sequence, event, sent_at, canceled_at FROM calendar_invites \
               WHERE user_id = $1 AND activity_id = $2 AND canceled_at IS NULL",
        )
        .bind(user_id)
        .bind(activity),
    )
    .await?
    .iter()
    .map(invite_from_row)
    .collect()
}

/// The live invites mailed for any activity of an application.
pub async fn invites_for_application(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
) -> Result<Vec<Invite>, StoreError> {
    conn.fetch_all(
        query("SELECT i.uid, i.activity_id, i.sequence, i.event, i.sent_at, i.canceled_at FROM calendar_invites i \
               JOIN activities a ON a.id = i.activity_id \
               WHERE i.user_id = $1 AND a.application_id = $2 AND i.canceled_at IS NULL")
            .bind(user_id)
            .bind(application),
    )
    .await?
    .iter()
    .map(invite_from_row)
    .collect()
}

/// Records that `event` (version `sequence`) was mailed; `canceled` for a cancellation.
#[allow(clippy::too_many_arguments)]
pub async fn record_invite(
    mut conn: impl Conn,
    user_id: UserId,
    uid: &str,
    activity: Option<ActivityId>,
    sequence: i64,
    event: serde_json::Value,
    canceled: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO calendar_invites (user_id, uid, activity_id, sequence, event, sent_at, canceled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (user_id, uid) DO UPDATE SET sequence = excluded.sequence, event = excluded.event, \
             sent_at = excluded.sent_at, canceled_at = excluded.canceled_at",
        )
        .bind(user_id)
        .bind(uid)
        .bind(activity)
        .bind(sequence)
        .bind(event)
        .bind(now)
        .bind(canceled.then_some(now)),
    )
    .await?;
    Ok(())
}

/// A user's calendar feed (the secret itself is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

fn feed_from_row(row: &Row) -> Result<Feed, StoreError> {
    Ok(Feed {
        user_id: UserId(row.get("user_id")?),
        created_at: row.get("created_at")?,
        last_used_at: row.get("last_used_at")?,
    })
}

/// Creates the user's feed, or replaces its secret (the old URL stops working).
pub async fn set_feed(
    mut conn: impl Conn,
    user_id: UserId,
    token_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at, last_used_at) VALUES ($1, $2, $3, NULL) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, \
             last_used_at = NULL",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(now),
    )
    .await?;
    Ok(())
}

pub async fn get_feed(mut conn: impl Conn, user_id: UserId) -> Result<Option<Feed>, StoreError> {
    conn.fetch_optional(
        query("SELECT user_id, created_at, last_used_at FROM calendar_feeds WHERE user_id = $1")
            .bind(user_id),
    )
    .await?
    .as_ref()
    .map(feed_from_row)
    .transpose()
}

/// Revokes the user's feed; false when there was none.
pub async fn revoke_feed(mut conn: impl Conn, user_id: UserId) -> Result<bool, StoreError> {
    Ok(conn
        .execute(query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user_id))
        .await?
        == 1)
}

/// The owner of the feed whose secret hashes to `token_hash`, noting the use.
pub async fn use_feed(
    mut conn: impl Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<UserId>, StoreError> {
    let row = conn
        .fetch_optional(
            query("UPDATE calendar_feeds SET last_used_at = $2 WHERE token_hash = $1 RETURNING user_id")
                .bind(token_hash)
                .bind(now),
        )
        .await?;
    row.map(|row| Ok(UserId(row.get("user_id")?))).transpose()
}

/// An activity with a start time, for the feed.
#[derive(Clone, Debug)]
pub struct FeedActivity {
    pub activity: crate::activities::Activity,
    pub company: String,
    pub role_title: String,
}

/// A reminder for the feed, with its application's company.
#[derive(Clone, Debug)]
pub struct FeedReminder {
    pub reminder: crate::reminders::Reminder,
    pub company: Option<String>,
}

/// What the calendar feed shows: activities starting from `from` (cancelled ones too, so
/// subscribers remove them) and uncancelled reminders due from `from`, at most `limit` each.
pub async fn feed_items(
    mut conn: impl Conn,
    user_id: UserId,
    from: Timestamp,
    limit: i64,
) -> Result<(Vec<FeedActivity>, Vec<FeedReminder>), StoreError> {
    let activities = crate::activities::scheduled_from(&mut conn, user_id, from, limit).await?;
    let reminders = crate::reminders::due_from(&mut conn, user_id, from, limit).await?;
    Ok((
        activities
            .into_iter()
            .map(|(activity, company, role_title)| FeedActivity {
                activity,
                company,
                role_title,
            })
            .collect(),
        reminders
            .into_iter()
            .map(|(reminder, company)| FeedReminder { reminder, company })
            .collect(),
    ))
}

/// Deletes notifications past their expiry.
pub async fn delete_expired_notifications(
    mut conn: impl Conn,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(query("DELETE FROM notifications WHERE expires_at <= $1").bind(now))
        .await
}
