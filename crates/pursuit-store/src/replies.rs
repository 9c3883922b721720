//! Replies (migration 0036): what came back to a user's mailbox, linked to the email it
//! answers and that email's application, and where each mailbox's reading stands.

use jiff::Timestamp;
use pursuit_domain::ids::{ApplicationId, MailboxId, OutreachId, ReplyId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::outreach::{MailboxRow, OutreachRow};
use crate::query;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct ReplyRow {
    pub id: ReplyId,
    pub user_id: UserId,
    pub mailbox_id: MailboxId,
    pub outreach_id: Option<OutreachId>,
    pub application_id: Option<ApplicationId>,
    /// Its Message-ID, else `uid:<uidvalidity>:<uid>`: one row per mailbox and message.
    pub message_key: String,
    /// `reply`, `automatic`, `bounce` or `complaint`.
    pub kind: String,
    /// For a reply or an automatic answer: `interview_request`, `rejection`,
    /// `needs_action`, `out_of_office`, `auto_confirmation` or `other`.
    pub intent: Option<String>,
    pub confidence: Option<f64>,
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    pub subject: String,
    pub body: String,
    /// A bounce's status and diagnostic, a complaint's feedback type.
    pub detail: Option<String>,
    pub received_at: Timestamp,
    pub suggested_status: Option<String>,
    /// `new`, `applied`, `dismissed` or `undone`.
    pub state: String,
    /// The application's status before an applied move (for undo).
    pub previous_status: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const REPLY_COLUMNS: &str = "id, user_id, mailbox_id, outreach_id, application_id, message_key, kind, intent, \
     confidence, from_address, from_name, subject, body, detail, received_at, suggested_status, state, \
     previous_status, created_at, updated_at";

fn reply_from_row(row: &Row) -> Result<ReplyRow, StoreError> {
    Ok(ReplyRow {
        id: ReplyId(row.get("id")?),
        user_id: UserId(row.get("user_id")?),
        mailbox_id: MailboxId(row.get("mailbox_id")?),
        outreach_id: row
            .get::<Option<uuid::Uuid>>("outreach_id")?
            .map(OutreachId),
        application_id: row
            .get::<Option<uuid::Uuid>>("application_id")?
            .map(ApplicationId),
        message_key: row.get("message_key")?,
        kind: row.get("kind")?,
        intent: row.get("intent")?,
        confidence: row.get("confidence")?,
        from_address: row.get("from_address")?,
        from_name: row.get("from_name")?,
        subject: row.get("subject")?,
        body: row.get("body")?,
        detail: row.get("detail")?,
        received_at: row.get("received_at")?,
        suggested_status: row.get("suggested_status")?,
        state: row.get("state")?,
        previous_status: row.get("previous_status")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Keeps a reply unless its mailbox already has that message; true when it is new.
pub async fn insert_reply(mut conn: impl Conn, r: &ReplyRow) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "INSERT INTO replies (id, user_id, mailbox_id, outreach_id, application_id, message_key, kind, \
                 intent, confidence, from_address, from_name, subject, body, detail, received_at, \
                 suggested_status, state, previous_status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
                 ON CONFLICT (mailbox_id, message_key) DO NOTHING",
            )
            .bind(r.id)
            .bind(r.user_id)
            .bind(r.mailbox_id)
            .bind(r.outreach_id)
            .bind(r.application_id)
            .bind(r.message_key.as_str())
            .bind(r.kind.as_str())
            .bind(r.intent.as_deref())
            .bind(r.confidence)
            .bind(r.from_address.as_deref())
            .bind(r.from_name.as_deref())
            .bind(r.subject.as_str())
            .bind(r.body.as_str())
            .bind(r.detail.as_deref())
            .bind(r.received_at)
            .bind(r.suggested_status.as_deref())
            .bind(r.state.as_str())
            .bind(r.previous_status.as_deref())
            .bind(r.created_at),
        )
        .await?;
    Ok(done > 0)
}

pub async fn get_reply(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReplyId,
) -> Result<Option<ReplyRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {REPLY_COLUMNS} FROM replies WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(reply_from_row)
    .transpose()
}

/// The user's replies, newest first; `kind` keeps one kind only.
pub async fn list_replies(
    mut conn: impl Conn,
    user_id: UserId,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<ReplyRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {REPLY_COLUMNS} FROM replies WHERE user_id = $1 AND ($2 IS NULL OR kind = $2) \
                 ORDER BY received_at DESC, id DESC LIMIT $3"
            ))
            .bind(user_id)
            .bind(kind)
            .bind(limit),
        )
        .await?;
    rows.iter().map(reply_from_row).collect()
}

/// Moves a reply's suggestion from `from` to `to` (keeping `previous` when given); false
/// when it was not at `from`.
pub async fn move_reply(
    mut conn: impl Conn,
    user_id: UserId,
    id: ReplyId,
    from: &str,
    to: &str,
    previous: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE replies SET state = $4, previous_status = COALESCE($5, previous_status), updated_at = $6 \
                 WHERE user_id = $1 AND id = $2 AND state = $3",
            )
            .bind(user_id)
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(previous)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Every mailbox with an IMAP server, whoever's (the reply scan).
pub async fn mailboxes_to_read(mut conn: impl Conn) -> Result<Vec<MailboxRow>, StoreError> {
    let rows = conn
        .fetch_all(Query::dynamic(format!(
            "SELECT {} FROM mailboxes WHERE imap_host IS NOT NULL ORDER BY imap_checked_at, id LIMIT 1000",
            crate::outreach::MAILBOX_COLUMNS
        )))
        .await?;
    rows.iter().map(crate::outreach::mailbox_from_row).collect()
}

/// Where a mailbox's reading now stands.
pub async fn set_inbox_state(
    mut conn: impl Conn,
    mailbox: MailboxId,
    uid_validity: Option<i64>,
    last_uid: i64,
    error: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "UPDATE mailboxes SET imap_uidvalidity = $2, imap_last_uid = $3, imap_error = $4, imap_checked_at = $5 \
             WHERE id = $1",
        )
        .bind(mailbox)
        .bind(uid_validity)
        .bind(last_uid)
        .bind(error)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A mailbox's sent emails whose Message-ID is one of `ids` (with or without brackets),
/// the most recent step first.
pub async fn outreach_with_ids(
    mut conn: impl Conn,
    user_id: UserId,
    ids: &[String],
) -> Result<Vec<OutreachRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = ids.iter().take(50).map(|id| format!("<{id}>")).collect();
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let mut q = Query::dynamic(format!(
        "SELECT {} FROM outreach o WHERE o.user_id = $1 AND o.message_id IN ({}) \
         ORDER BY o.step_position DESC",
        crate::outreach::OUTREACH_COLUMNS,
        marks.join(", ")
    ))
    .bind(user_id);
    for id in &ids {
        q = q.bind(id.as_str());
    }
    let rows = conn.fetch_all(q).await?;
    rows.iter()
        .map(crate::outreach::outreach_from_row)
        .collect()
}

/// The latest email a mailbox sent to an address (a reply that dropped the thread's
/// headers is matched by its sender).
pub async fn last_sent_to(
    mut conn: impl Conn,
    mailbox: MailboxId,
    address_key: &str,
) -> Result<Option<OutreachRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {} FROM outreach o WHERE o.mailbox_id = $1 AND o.to_key = $2 AND o.status = 'sent' \
             ORDER BY o.sent_at DESC LIMIT 1",
            crate::outreach::OUTREACH_COLUMNS
        ))
        .bind(mailbox)
        .bind(address_key),
    )
    .await?
    .as_ref()
    .map(crate::outreach::outreach_from_row)
    .transpose()
}

/// Of a mailbox's last `window` sent emails: how many went, and how many bounced for good.
pub async fn recent_bounces(
    mut conn: impl Conn,
    mailbox: MailboxId,
    window: i64,
) -> Result<(i64, i64), StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT COUNT(*) AS sent, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM email_events e \
                 WHERE e.outreach_id = r.id AND e.kind = 'bounced') THEN 1 ELSE 0 END), 0) AS bounced \
                 FROM (SELECT id FROM outreach WHERE mailbox_id = $1 AND status = 'sent' \
                 ORDER BY sent_at DESC LIMIT $2) r",
            )
            .bind(mailbox)
            .bind(window),
        )
        .await?;
    Ok((row.get("sent")?, row.get("bounced")?))
}

/// One sent email of a mailbox for its health: when, and whether it bounced for good or
/// was reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentMark {
    pub sent_at: Timestamp,
    pub bounced: bool,
    pub complained: bool,
}

/// A mailbox's emails sent since `since`, oldest first (at most 20,000).
pub async fn sent_since(
    mut conn: impl Conn,
    mailbox: MailboxId,
    since: Timestamp,
) -> Result<Vec<SentMark>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT o.sent_at AS sent_at, \
                 EXISTS (SELECT 1 FROM email_events e WHERE e.outreach_id = o.id AND e.kind = 'bounced') AS bounced, \
                 EXISTS (SELECT 1 FROM email_events e WHERE e.outreach_id = o.id AND e.kind = 'spam_complaint') AS complained \
                 FROM outreach o WHERE o.mailbox_id = $1 AND o.status = 'sent' AND o.sent_at >= $2 \
                 ORDER BY o.sent_at LIMIT 20000",
            )
            .bind(mailbox)
            .bind(since),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(SentMark {
                sent_at: r.get("sent_at")?,
                bounced: r.get("bounced")?,
                complained: r.get("complained")?,
            })
        })
        .collect()
}

/// What became of the emails a user sent in `[from, to)` (one campaign's when given).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub sent: i64,
    /// Bounced for good.
    pub bounced: i64,
    /// With a clicked link (tracked campaigns only).
    pub clicked: i64,
    /// Answered by a person.
    pub replied: i64,
    pub complained: i64,
}

fn has_event(kind: &str) -> String {
    format!(
        "COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM email_events e WHERE e.outreach_id = o.id \
         AND e.kind = '{kind}') THEN 1 ELSE 0 END), 0)"
    )
}

/// The outcomes of a user's emails sent in `[from, to)`, grouped by `step_position` when
/// `by_step` (else one group, position 0); `campaign` narrows to one campaign.
pub async fn outcomes(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: Option<pursuit_domain::ids::CampaignId>,
    from: Timestamp,
    to: Timestamp,
    by_step: bool,
) -> Result<Vec<(i64, Outcomes)>, StoreError> {
    let narrow = if campaign.is_some() {
        "AND o.campaign_id = $4"
    } else {
        ""
    };
    // A number in GROUP BY names a column, so the whole is one group without one.
    let (step, group) = if by_step {
        (
            "o.step_position",
            "GROUP BY o.step_position ORDER BY o.step_position",
        )
    } else {
        ("CAST(0 AS BIGINT)", "")
    };
    let mut q = Query::dynamic(format!(
        "SELECT {step} AS step, COUNT(*) AS sent, {} AS bounced, {} AS clicked, {} AS replied, \
                 {} AS complained FROM outreach o WHERE o.user_id = $1 AND o.status = 'sent' \
                 AND o.sent_at >= $2 AND o.sent_at < $3 {narrow} {group}",
        has_event("bounced"),
        has_event("clicked"),
        has_event("replied"),
        has_event("spam_complaint"),
    ))
    .bind(user_id)
    .bind(from)
    .bind(to);
    if let Some(campaign) = campaign {
        q = q.bind(campaign);
    }
    let rows = conn.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.get("step")?,
                Outcomes {
                    sent: r.get("sent")?,
                    bounced: r.get("bounced")?,
                    clicked: r.get("clicked")?,
                    replied: r.get("replied")?,
                    complained: r.get("complained")?,
                },
            ))
        })
        .collect()
}

/// Distinct applications with an email sent in `[from, to)` or, dated in `[first_day,
/// last_day]`, past `Saved` and `Draft`.
pub async fn roles_applied(
    mut conn: impl Conn,
    user_id: UserId,
    from: Timestamp,
    to: Timestamp,
    first_day: jiff::civil::Date,
    last_day: jiff::civil::Date,
) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT COUNT(*) AS n FROM (SELECT t.application_id AS id FROM outreach o \
                 JOIN campaign_targets t ON t.id = o.target_id WHERE o.user_id = $1 AND o.status = 'sent' \
                 AND o.sent_at >= $2 AND o.sent_at < $3 \
                 UNION SELECT a.id AS id FROM applications a WHERE a.user_id = $1 \
                 AND a.status NOT IN ('Saved', 'Draft') AND a.application_date >= $4 AND a.application_date <= $5) x",
            )
            .bind(user_id)
            .bind(from)
            .bind(to)
            .bind(first_day)
            .bind(last_day),
        )
        .await?;
    row.get("n")
}

/// A mailbox by its id alone (a provider's webhook names it; the request's proof is
/// checked against it before anything else).
pub async fn mailbox_by_id(
    mut conn: impl Conn,
    id: MailboxId,
) -> Result<Option<MailboxRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {} FROM mailboxes WHERE id = $1",
            crate::outreach::MAILBOX_COLUMNS
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(crate::outreach::mailbox_from_row)
    .transpose()
}

/// Notes when a provider's events request for a mailbox was last taken.
pub async fn set_events_taken(
    mut conn: impl Conn,
    mailbox: MailboxId,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE mailboxes SET events_last_at = $2 WHERE id = $1")
            .bind(mailbox)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// An application's first conversation: when it first entered one of the statuses asked
/// for, and what it went out with.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstConversation {
    pub application_id: ApplicationId,
    pub company: String,
    pub role_title: String,
    /// The status it is in now.
    pub status: String,
    pub at: Timestamp,
    pub resume_version_id: Option<uuid::Uuid>,
    pub resume_label: Option<String>,
}

/// The user's applications whose first entry into one of `statuses` falls in `[from, to)`,
/// newest first (at most 500), each with the resume version it went out with.
pub async fn first_conversations(
    mut conn: impl Conn,
    user_id: UserId,
    statuses: &[&str],
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<FirstConversation>, StoreError> {
    let marks: Vec<String> = (0..statuses.len()).map(|i| format!("${}", i + 4)).collect();
    let mut q = Query::dynamic(format!(
        "SELECT f.application_id, f.at, a.company, a.role_title, a.status, m.resume_version_id, v.label \
         FROM (SELECT application_id, MIN(changed_at) AS at FROM application_status_history \
               WHERE user_id = $1 AND to_status IN ({}) GROUP BY application_id) f \
         JOIN applications a ON a.id = f.application_id \
         LEFT JOIN application_materials m ON m.application_id = f.application_id \
         LEFT JOIN resume_versions v ON v.id = m.resume_version_id \
         WHERE f.at >= $2 AND f.at < $3 ORDER BY f.at DESC LIMIT 500",
        marks.join(", ")
    ))
    .bind(user_id)
    .bind(from)
    .bind(to);
    for status in statuses {
        q = q.bind(*status);
    }
    let rows = conn.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok(FirstConversation {
                application_id: ApplicationId(r.get("application_id")?),
                company: r.get("company")?,
                role_title: r.get("role_title")?,
                status: r.get("status")?,
                at: r.get("at")?,
                resume_version_id: r.get("resume_version_id")?,
                resume_label: r.get("label")?,
            })
        })
        .collect()
}

/// The last outreach email sent about `application` at or before `at`: its step, the
/// step's label, its campaign and the campaign's name.
pub async fn last_sent_about(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
    at: Timestamp,
) -> Result<Option<(i64, String, uuid::Uuid, String)>, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT o.step_position, o.step_label, o.campaign_id, c.name FROM outreach o \
                 JOIN campaign_targets t ON t.id = o.target_id JOIN campaigns c ON c.id = o.campaign_id \
                 WHERE o.user_id = $1 AND t.application_id = $2 AND o.status = 'sent' AND o.sent_at <= $3 \
                 ORDER BY o.sent_at DESC LIMIT 1",
            )
            .bind(user_id)
            .bind(application)
            .bind(at),
        )
        .await?;
    row.map(|r| {
        Ok((
            r.get("step_position")?,
            r.get("step_label")?,
            r.get("campaign_id")?,
            r.get("name")?,
        ))
    })
    .transpose()
}

/// The newest pitch written for `application` at or before `at`: its id, tone and length.
pub async fn pitch_before(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
    at: Timestamp,
) -> Result<Option<(uuid::Uuid, String, String)>, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT id, tone, length_preset FROM offers WHERE user_id = $1 AND application_id = $2 \
                 AND created_at <= $3 ORDER BY created_at DESC LIMIT 1",
            )
            .bind(user_id)
            .bind(application)
            .bind(at),
        )
        .await?;
    row.map(|r| Ok((r.get("id")?, r.get("tone")?, r.get("length_preset")?)))
        .transpose()
}

/// What a campaign's emails did in `[from, to)`: when each was sent, and when each first
/// bounced for good, was clicked, answered or reported (`(kind, at)`; one per email and
/// kind).
pub async fn campaign_marks(
    mut conn: impl Conn,
    campaign: pursuit_domain::ids::CampaignId,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Vec<Timestamp>, Vec<(String, Timestamp)>), StoreError> {
    let sent = conn
        .fetch_all(
            query(
                "SELECT sent_at FROM outreach WHERE campaign_id = $1 AND status = 'sent' \
                 AND sent_at >= $2 AND sent_at < $3",
            )
            .bind(campaign)
            .bind(from)
            .bind(to),
        )
        .await?
        .iter()
        .map(|r| r.get("sent_at"))
        .collect::<Result<Vec<Timestamp>, _>>()?;
    let events = conn
        .fetch_all(
            query(
                "SELECT e.kind AS kind, MIN(e.occurred_at) AS at FROM email_events e \
                 JOIN outreach o ON o.id = e.outreach_id WHERE o.campaign_id = $1 \
                 AND e.kind IN ('bounced', 'clicked', 'replied', 'spam_complaint') \
                 GROUP BY e.outreach_id, e.kind \
                 HAVING MIN(e.occurred_at) >= $2 AND MIN(e.occurred_at) < $3",
            )
            .bind(campaign)
            .bind(from)
            .bind(to),
        )
        .await?
        .iter()
        .map(|r| Ok((r.get("kind")?, r.get("at")?)))
        .collect::<Result<Vec<(String, Timestamp)>, StoreError>>()?;
    Ok((sent, events))
}

/// One campaign's day, rolled up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayMetrics {
    pub day: jiff::civil::Date,
    /// Emails sent that day.
    pub sent: i64,
    /// Emails first bounced for good, clicked, answered, reported that day.
    pub bounced: i64,
    pub clicked: i64,
    pub replied: i64,
    pub complained: i64,
}

/// A campaign the nightly rollup looks at: launched, with the day it was created and the
/// last day already rolled up.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignToRoll {
    pub id: pursuit_domain::ids::CampaignId,
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub metrics_through: Option<jiff::civil::Date>,
}

/// Every launched campaign, for the nightly rollup.
pub async fn campaigns_to_roll(mut conn: impl Conn) -> Result<Vec<CampaignToRoll>, StoreError> {
    conn.fetch_all(query(
        "SELECT id, user_id, created_at, metrics_through FROM campaigns \
         WHERE status <> 'draft' ORDER BY created_at",
    ))
    .await?
    .iter()
    .map(|r| {
        Ok(CampaignToRoll {
            id: pursuit_domain::ids::CampaignId(r.get("id")?),
            user_id: UserId(r.get("user_id")?),
            created_at: r.get("created_at")?,
            metrics_through: r.get("metrics_through")?,
        })
    })
    .collect()
}

/// Writes a campaign's rolled-up days (replacing what those days held) and the last day
/// rolled up.
pub async fn put_campaign_metrics(
    tx: &mut crate::Tx,
    campaign: pursuit_domain::ids::CampaignId,
    user_id: UserId,
    days: &[DayMetrics],
    through: jiff::civil::Date,
    now: Timestamp,
) -> Result<(), StoreError> {
    for d in days {
        tx.execute(
            query(
                "INSERT INTO campaign_metrics (campaign_id, day, user_id, sent, bounced, clicked, \
                 replied, complained, rolled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (campaign_id, day) DO UPDATE SET sent = excluded.sent, \
                 bounced = excluded.bounced, clicked = excluded.clicked, replied = excluded.replied, \
                 complained = excluded.complained, rolled_at = excluded.rolled_at",
            )
            .bind(campaign)
            .bind(d.day)
            .bind(user_id)
            .bind(d.sent)
            .bind(d.bounced)
            .bind(d.clicked)
            .bind(d.replied)
            .bind(d.complained)
            .bind(now),
        )
        .await?;
    }
    tx.execute(
        query("UPDATE campaigns SET metrics_through = $2 WHERE id = $1")
            .bind(campaign)
            .bind(through),
    )
    .await?;
    Ok(())
}

/// A campaign's rolled-up days through its `metrics_through`, oldest first, and that day.
pub async fn campaign_metrics(
    mut conn: impl Conn,
    campaign: pursuit_domain::ids::CampaignId,
) -> Result<(Option<jiff::civil::Date>, Vec<DayMetrics>), StoreError> {
    let through: Option<jiff::civil::Date> = conn
        .fetch_optional(query("SELECT metrics_through FROM campaigns WHERE id = $1").bind(campaign))
        .await?
        .map(|r| r.get("metrics_through"))
        .transpose()?
        .flatten();
    let Some(through) = through else {
        return Ok((None, Vec::new()));
    };
    let days = conn
        .fetch_all(
            query(
                "SELECT day, sent, bounced, clicked, replied, complained FROM campaign_metrics \
                 WHERE campaign_id = $1 AND day <= $2 ORDER BY day",
            )
            .bind(campaign)
            .bind(through),
        )
        .await?
        .iter()
        .map(|r| {
            Ok(DayMetrics {
                day: r.get("day")?,
                sent: r.get("sent")?,
                bounced: r.get("bounced")?,
                clicked: r.get("clicked")?,
                replied: r.get("replied")?,
                complained: r.get("complained")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((Some(through), days))
}
