//! Warmup (migration 0040): the emails a user's warming mailboxes exchange, each planned,
//! sent once, and marked received when the other mailbox's reading finds it.

use jiff::Timestamp;
use pursuit_domain::ids::{MailboxId, UserId, WarmupId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::outreach::{MAILBOX_COLUMNS, MailboxRow, mailbox_from_row};
use crate::query;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct WarmupRow {
    pub id: WarmupId,
    pub user_id: UserId,
    pub from_mailbox_id: MailboxId,
    pub to_mailbox_id: MailboxId,
    /// The email it answers; none: it starts a thread.
    pub answers_id: Option<WarmupId>,
    /// Its X-Pursuit-Warmup header's value.
    pub token: String,
    /// With its angle brackets.
    pub message_id: String,
    pub subject: String,
    pub body: String,
    pub planned_at: Timestamp,
    /// `planned`, `sending`, `sent`, `failed` or `unknown`.
    pub status: String,
    pub sent_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub error: Option<String>,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "id, user_id, from_mailbox_id, to_mailbox_id, answers_id, token, message_id, \
     subject, body, planned_at, status, sent_at, received_at, error, created_at";

fn from_row(r: &Row) -> Result<WarmupRow, StoreError> {
    Ok(WarmupRow {
        id: WarmupId(r.get("id")?),
        user_id: UserId(r.get("user_id")?),
        from_mailbox_id: MailboxId(r.get("from_mailbox_id")?),
        to_mailbox_id: MailboxId(r.get("to_mailbox_id")?),
        answers_id: r.get::<Option<uuid::Uuid>>("answers_id")?.map(WarmupId),
        token: r.get("token")?,
        message_id: r.get("message_id")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        planned_at: r.get("planned_at")?,
        status: r.get("status")?,
        sent_at: r.get("sent_at")?,
        received_at: r.get("received_at")?,
        error: r.get("error")?,
        created_at: r.get("created_at")?,
    })
}

/// Plans one email. `false` when it answers an email that already has its answer.
pub async fn insert(mut conn: impl Conn, row: &WarmupRow) -> Result<bool, StoreError> {
    let added = conn
        .execute(
            query(
                "INSERT INTO warmup_messages (id, user_id, from_mailbox_id, to_mailbox_id, answers_id, \
                 token, message_id, subject, body, planned_at, status, sent_at, received_at, error, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(row.id)
            .bind(row.user_id)
            .bind(row.from_mailbox_id)
            .bind(row.to_mailbox_id)
            .bind(row.answers_id)
            .bind(row.token.as_str())
            .bind(row.message_id.as_str())
            .bind(row.subject.as_str())
            .bind(row.body.as_str())
            .bind(row.planned_at)
            .bind(row.status.as_str())
            .bind(row.sent_at)
            .bind(row.received_at)
            .bind(row.error.as_deref())
            .bind(row.created_at),
        )
        .await?;
    Ok(added == 1)
}

/// Every mailbox that warms up: active, reading an IMAP server, warmup on.
pub async fn warming_mailboxes(mut conn: impl Conn) -> Result<Vec<MailboxRow>, StoreError> {
    conn.fetch_all(Query::dynamic(format!(
        "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE warmup_started_at IS NOT NULL \
         AND status = 'active' AND imap_host IS NOT NULL ORDER BY user_id, created_at"
    )))
    .await?
    .iter()
    .map(mailbox_from_row)
    .collect()
}

/// How many of the user's mailboxes warm up besides `mailbox`.
pub async fn peers(
    mut conn: impl Conn,
    user: UserId,
    mailbox: MailboxId,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query(
            "SELECT COUNT(*) AS n FROM mailboxes WHERE user_id = $1 AND id <> $2 \
             AND warmup_started_at IS NOT NULL AND status = 'active' AND imap_host IS NOT NULL",
        )
        .bind(user)
        .bind(mailbox),
    )
    .await?
    .get("n")
}

/// Turns a mailbox's warmup on (from `started`) or off (`None`).
pub async fn set_started(
    mut conn: impl Conn,
    user: UserId,
    mailbox: MailboxId,
    started: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE mailboxes SET warmup_started_at = $3, updated_at = $4 \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(mailbox)
            .bind(user)
            .bind(started)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// How many emails that start a thread `mailbox` has planned in `[from, to)`.
pub async fn started_between(
    mut conn: impl Conn,
    mailbox: MailboxId,
    from: Timestamp,
    to: Timestamp,
) -> Result<i64, StoreError> {
    conn.fetch_one(
        query(
            "SELECT COUNT(*) AS n FROM warmup_messages WHERE from_mailbox_id = $1 \
             AND answers_id IS NULL AND planned_at >= $2 AND planned_at < $3",
        )
        .bind(mailbox)
        .bind(from)
        .bind(to),
    )
    .await?
    .get("n")
}

/// Planned emails due at `now`, oldest first, at most `limit`.
pub async fn due(
    mut conn: impl Conn,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<WarmupRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM warmup_messages WHERE status = 'planned' AND planned_at <= $1 \
             ORDER BY planned_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Takes a planned email for sending: `false` when another sender took it first.
pub async fn claim(mut conn: impl Conn, id: WarmupId) -> Result<bool, StoreError> {
    let taken = conn
        .execute(
            query(
                "UPDATE warmup_messages SET status = 'sending' WHERE id = $1 AND status = 'planned'",
            )
            .bind(id),
        )
        .await?;
    Ok(taken == 1)
}

/// Records how a send ended: `sent`, `failed` or `unknown`.
pub async fn finish(
    mut conn: impl Conn,
    id: WarmupId,
    status: &str,
    sent_at: Option<Timestamp>,
    error: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE warmup_messages SET status = $2, sent_at = $3, error = $4 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(sent_at)
            .bind(error),
    )
    .await?;
    Ok(())
}

/// The user's warmup email with `token`.
pub async fn find_by_token(
    mut conn: impl Conn,
    user: UserId,
    token: &str,
) -> Result<Option<WarmupRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM warmup_messages WHERE user_id = $1 AND token = $2"
        ))
        .bind(user)
        .bind(token),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Marks an email found in its recipient's INBOX (the first time only).
pub async fn mark_received(
    mut conn: impl Conn,
    id: WarmupId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let marked = conn
        .execute(
            query(
                "UPDATE warmup_messages SET received_at = $2 WHERE id = $1 AND received_at IS NULL",
            )
            .bind(id)
            .bind(at),
        )
        .await?;
    Ok(marked == 1)
}

/// A mailbox's warmup since a time: emails it sent, how many of them its peers found in
/// their INBOX, and how many were sent after `judged_before` (too recent to judge).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WarmupCounts {
    pub sent: i64,
    pub landed: i64,
    pub recent: i64,
    /// Emails its peers sent it that it found.
    pub received: i64,
    pub failed: i64,
}

pub async fn counts(
    mut conn: impl Conn,
    mailbox: MailboxId,
    since: Timestamp,
    judged_before: Timestamp,
) -> Result<WarmupCounts, StoreError> {
    let sent = conn
        .fetch_one(
            query(
                "SELECT COUNT(*) AS sent, \
                 COALESCE(SUM(CASE WHEN received_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS landed, \
                 COALESCE(SUM(CASE WHEN received_at IS NULL AND sent_at >= $3 THEN 1 ELSE 0 END), 0) AS recent \
                 FROM warmup_messages WHERE from_mailbox_id = $1 AND status = 'sent' AND sent_at >= $2",
            )
            .bind(mailbox)
            .bind(since)
            .bind(judged_before),
        )
        .await?;
    let other = conn
        .fetch_one(
            query(
                "SELECT COALESCE(SUM(CASE WHEN to_mailbox_id = $1 AND received_at >= $2 THEN 1 ELSE 0 END), 0) AS received, \
                 COALESCE(SUM(CASE WHEN from_mailbox_id = $1 AND status IN ('failed', 'unknown') THEN 1 ELSE 0 END), 0) AS failed \
                 FROM warmup_messages WHERE (to_mailbox_id = $1 OR from_mailbox_id = $1) AND planned_at >= $2",
            )
            .bind(mailbox)
            .bind(since),
        )
        .await?;
    Ok(WarmupCounts {
        sent: sent.get("sent")?,
        landed: sent.get("landed")?,
        recent: sent.get("recent")?,
        received: other.get("received")?,
        failed: other.get("failed")?,
    })
}

pub async fn get(mut conn: impl Conn, id: WarmupId) -> Result<Option<WarmupRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM warmup_messages WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user's warmup emails, newest planned first, at most `limit`.
pub async fn list(
    mut conn: impl Conn,
    user: UserId,
    limit: i64,
) -> Result<Vec<WarmupRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM warmup_messages WHERE user_id = $1 \
             ORDER BY planned_at DESC, id DESC LIMIT $2"
        ))
        .bind(user)
        .bind(limit),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}
