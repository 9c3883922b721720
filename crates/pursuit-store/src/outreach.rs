//! Outreach (migration 0034): the user's mailboxes and the state that enforces their limits,
//! campaigns and their targets, the emails of launched targets, and suppressed addresses.
//! Every function takes the owner, except the sender's scans, which cross users and say so.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::ids::{
    ApplicationId, CampaignId, CampaignTargetId, ContactId, EmailEventId, MailboxId, OutreachId,
    SequenceTemplateId, UserId,
};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

/// The key an address is compared by (a contact's, lowercased).
pub use crate::contacts::email_key;

// ---------------------------------------------------------------------------------------
// Mailboxes

/// What the user sets of a mailbox.
#[derive(Clone, Debug, PartialEq)]
pub struct MailboxSettings {
    pub from_name: String,
    pub from_address: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    /// `starttls`, `tls` or `none`.
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    /// Sealed under the instance's key, bound to the mailbox.
    pub smtp_password: Option<String>,
    pub daily_cap: i64,
    pub min_gap_seconds: i64,
    pub jitter_seconds: i64,
    pub ramp_start: i64,
    pub ramp_step: i64,
    /// The IMAP server replies are read from (none: they are not looked for).
    pub imap_host: Option<String>,
    pub imap_port: i64,
    /// `starttls`, `tls` or `none`.
    pub imap_security: String,
    /// None: the SMTP login's.
    pub imap_username: Option<String>,
    /// Sealed, bound to the mailbox's IMAP login; none: the SMTP password.
    pub imap_password: Option<String>,
    /// The sending service whose events (delivered, bounced…) come for this mailbox
    /// (`sendgrid`, `mailgun`, `postmark`, `resend`, `ses`); none: no provider events.
    pub events_provider: Option<String>,
    /// What proves an event is the provider's, sealed bound to the mailbox.
    pub events_key: Option<String>,
}

/// Where the reading of a mailbox's INBOX stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxState {
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
    pub checked_at: Option<Timestamp>,
    /// Why the last reading failed, if it did.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MailboxRow {
    pub id: MailboxId,
    pub user_id: UserId,
    pub settings: MailboxSettings,
    /// `active` or `paused`.
    pub status: String,
    pub paused_reason: Option<String>,
    pub auth_failures: i64,
    pub next_send_at: Timestamp,
    pub cap_day: Option<Date>,
    pub sent_on_day: i64,
    pub first_send_on: Option<Date>,
    pub inbox: InboxState,
    /// When the provider's last event request was taken.
    pub events_last_at: Option<Timestamp>,
    /// When its warmup began; none: it does not warm up.
    pub warmup_started_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

pub(crate) const MAILBOX_COLUMNS: &str = "id, user_id, from_name, from_address, smtp_host, smtp_port, smtp_security, \
     smtp_username, smtp_password, daily_cap, min_gap_seconds, jitter_seconds, ramp_start, ramp_step, \
     status, paused_reason, auth_failures, next_send_at, cap_day, sent_on_day, first_send_on, imap_host, imap_port, \
     imap_security, imap_username, imap_password, imap_uidvalidity, imap_last_uid, imap_checked_at, imap_error, \
     events_provider, events_key, events_last_at, warmup_started_at, created_at, updated_at";

pub(crate) fn mailbox_from_row(row: &Row) -> Result<MailboxRow, StoreError> {
    Ok(MailboxRow {
        id: MailboxId(row.get("id")?),
        user_id: UserId(row.get("user_id")?),
        settings: MailboxSettings {
            from_name: row.get("from_name")?,
            from_address: row.get("from_address")?,
            smtp_host: row.get("smtp_host")?,
            smtp_port: row.get("smtp_port")?,
            smtp_security: row.get("smtp_security")?,
            smtp_username: row.get("smtp_username")?,
            smtp_password: row.get("smtp_password")?,
            daily_cap: row.get("daily_cap")?,
            min_gap_seconds: row.get("min_gap_seconds")?,
            jitter_seconds: row.get("jitter_seconds")?,
            ramp_start: row.get("ramp_start")?,
            ramp_step: row.get("ramp_step")?,
            imap_host: row.get("imap_host")?,
            imap_port: row.get("imap_port")?,
            imap_security: row.get("imap_security")?,
            imap_username: row.get("imap_username")?,
            imap_password: row.get("imap_password")?,
            events_provider: row.get("events_provider")?,
            events_key: row.get("events_key")?,
        },
        status: row.get("status")?,
        paused_reason: row.get("paused_reason")?,
        auth_failures: row.get("auth_failures")?,
        next_send_at: row.get("next_send_at")?,
        cap_day: row.get("cap_day")?,
        sent_on_day: row.get("sent_on_day")?,
        first_send_on: row.get("first_send_on")?,
        inbox: InboxState {
            uid_validity: row.get("imap_uidvalidity")?,
            last_uid: row.get("imap_last_uid")?,
            checked_at: row.get("imap_checked_at")?,
            error: row.get("imap_error")?,
        },
        events_last_at: row.get("events_last_at")?,
        warmup_started_at: row.get("warmup_started_at")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Binds `$1` the owner, `$2` the mailbox, `$3…$22` its settings and `$23` now.
fn bind_mailbox(
    q: Query,
    user_id: UserId,
    id: MailboxId,
    s: &MailboxSettings,
    now: Timestamp,
) -> Query {
    q.bind(user_id)
        .bind(id)
        .bind(s.from_name.as_str())
        .bind(s.from_address.as_str())
        .bind(email_key(&s.from_address))
        .bind(s.smtp_host.as_str())
        .bind(s.smtp_port)
        .bind(s.smtp_security.as_str())
        .bind(s.smtp_username.as_deref())
        .bind(s.smtp_password.as_deref())
        .bind(s.daily_cap)
        .bind(s.min_gap_seconds)
        .bind(s.jitter_seconds)
        .bind(s.ramp_start)
        .bind(s.ramp_step)
        .bind(s.imap_host.as_deref())
        .bind(s.imap_port)
        .bind(s.imap_security.as_str())
        .bind(s.imap_username.as_deref())
        .bind(s.imap_password.as_deref())
        .bind(s.events_provider.as_deref())
        .bind(s.events_key.as_deref())
        .bind(now)
}

/// Stores a new mailbox; an address the user already sends from is
/// [`StoreError::UniqueViolation`].
pub async fn insert_mailbox(
    mut conn: impl Conn,
    user_id: UserId,
    id: MailboxId,
    s: &MailboxSettings,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        bind_mailbox(
            query(
                "INSERT INTO mailboxes (user_id, id, from_name, from_address, from_key, smtp_host, smtp_port, \
                 smtp_security, smtp_username, smtp_password, daily_cap, min_gap_seconds, jitter_seconds, \
                 ramp_start, ramp_step, imap_host, imap_port, imap_security, imap_username, imap_password, \
                 events_provider, events_key, status, auth_failures, next_send_at, sent_on_day, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                 $21, $22, 'active', 0, $23, 0, $23, $23)",
            ),
            user_id,
            id,
            s,
            now,
        ),
    )
    .await?;
    Ok(())
}

/// Replaces a mailbox's settings; a change of them clears its login failures (the user
/// fixed something). False when the user has no such mailbox.
pub async fn update_mailbox(
    mut conn: impl Conn,
    user_id: UserId,
    id: MailboxId,
    s: &MailboxSettings,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            bind_mailbox(
                query(
                    "UPDATE mailboxes SET from_name = $3, from_address = $4, from_key = $5, smtp_host = $6, \
                     smtp_port = $7, smtp_security = $8, smtp_username = $9, smtp_password = $10, daily_cap = $11, \
                     min_gap_seconds = $12, jitter_seconds = $13, ramp_start = $14, ramp_step = $15, \
                     imap_host = $16, imap_port = $17, imap_security = $18, imap_username = $19, imap_password = $20, \
                     events_provider = $21, events_key = $22, imap_error = NULL, \
                     auth_failures = 0, updated_at = $23 WHERE user_id = $1 AND id = $2",
                ),
                user_id,
                id,
                s,
                now,
            ),
        )
        .await?;
    Ok(done > 0)
}

pub async fn get_mailbox(
    mut conn: impl Conn,
    user_id: UserId,
    id: MailboxId,
) -> Result<Option<MailboxRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(mailbox_from_row)
    .transpose()
}

pub async fn list_mailboxes(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<MailboxRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE user_id = $1 ORDER BY from_address, id LIMIT 100"
            ))
            .bind(user_id),
        )
        .await?;
    rows.iter().map(mailbox_from_row).collect()
}

pub async fn delete_mailbox(
    mut conn: impl Conn,
    user_id: UserId,
    id: MailboxId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM mailboxes WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// Pauses (with the reason) or resumes a mailbox; resuming clears its login failures.
pub async fn set_mailbox_status(
    mut conn: impl Conn,
    user_id: UserId,
    id: MailboxId,
    paused_reason: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE mailboxes SET status = CASE WHEN $3 THEN 'paused' ELSE 'active' END, paused_reason = $4, \
                 auth_failures = CASE WHEN $3 THEN auth_failures ELSE 0 END, updated_at = $5 \
                 WHERE user_id = $1 AND id = $2",
            )
            .bind(user_id)
            .bind(id)
            .bind(paused_reason.is_some())
            .bind(paused_reason)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Active mailboxes whose next send may go now, any user's (the sender's scan).
pub async fn due_mailboxes(
    mut conn: impl Conn,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<MailboxRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE status = 'active' AND next_send_at <= $1 \
                 ORDER BY next_send_at, id LIMIT $2"
            ))
            .bind(now)
            .bind(limit),
        )
        .await?;
    rows.iter().map(mailbox_from_row).collect()
}

/// Takes the mailbox's next send slot, if it is free: active, its gap passed, and fewer than
/// `cap` sends on `today` (the mailbox's local day). One conditional UPDATE, so of two
/// workers asking at once only one gets it. The next slot opens at `next_send_at`.
pub async fn take_slot(
    mut conn: impl Conn,
    id: MailboxId,
    now: Timestamp,
    today: Date,
    cap: i64,
    next_send_at: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE mailboxes SET next_send_at = $4, \
                 sent_on_day = CASE WHEN cap_day = $3 THEN sent_on_day + 1 ELSE 1 END, cap_day = $3, \
                 first_send_on = COALESCE(first_send_on, $3) \
                 WHERE id = $1 AND status = 'active' AND next_send_at <= $2 \
                 AND (cap_day IS NULL OR cap_day <> $3 OR sent_on_day < $5)",
            )
            .bind(id)
            .bind(now)
            .bind(today)
            .bind(next_send_at)
            .bind(cap),
        )
        .await?;
    Ok(done > 0)
}

/// Gives back a slot taken for a send that certainly did not happen: the day's count goes
/// down again (the gap stays, so a failing server is not hammered).
pub async fn give_back_slot(
    mut conn: impl Conn,
    id: MailboxId,
    today: Date,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "UPDATE mailboxes SET sent_on_day = sent_on_day - 1 \
             WHERE id = $1 AND cap_day = $2 AND sent_on_day > 0",
        )
        .bind(id)
        .bind(today),
    )
    .await?;
    Ok(())
}

/// Holds a mailbox's sends until `at` (its day's cap is reached, or nothing is due before).
pub async fn hold_mailbox(
    mut conn: impl Conn,
    id: MailboxId,
    at: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE mailboxes SET next_send_at = $2 WHERE id = $1 AND next_send_at < $2")
            .bind(id)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// Counts a refused login; returns how many in a row there now are.
pub async fn count_auth_failure(
    mut conn: impl Conn,
    id: MailboxId,
    now: Timestamp,
) -> Result<i64, StoreError> {
    conn.execute(
        query(
            "UPDATE mailboxes SET auth_failures = auth_failures + 1, updated_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(now),
    )
    .await?;
    let row = conn
        .fetch_one(query("SELECT auth_failures FROM mailboxes WHERE id = $1").bind(id))
        .await?;
    row.get("auth_failures")
}

/// A login worked: the count of refusals starts again.
pub async fn clear_auth_failures(mut conn: impl Conn, id: MailboxId) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE mailboxes SET auth_failures = 0 WHERE id = $1 AND auth_failures <> 0")
            .bind(id),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Campaigns and targets

#[derive(Clone, Debug, PartialEq)]
pub struct CampaignRow {
    pub id: CampaignId,
    pub name: String,
    pub template_id: Option<SequenceTemplateId>,
    pub mailbox_id: Option<MailboxId>,
    pub pitch_tone: String,
    pub pitch_length: String,
    /// Whether its emails' links go through the signed click redirect.
    pub track_clicks: bool,
    /// `draft`, `running`, `finished` or `stopped`.
    pub status: String,
    pub launched_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const CAMPAIGN_COLUMNS: &str = "id, name, template_id, mailbox_id, pitch_tone, pitch_length, track_clicks, status, \
     launched_at, finished_at, created_at, updated_at";

fn campaign_from_row(row: &Row) -> Result<CampaignRow, StoreError> {
    Ok(CampaignRow {
        id: CampaignId(row.get("id")?),
        name: row.get("name")?,
        template_id: row
            .get::<Option<uuid::Uuid>>("template_id")?
            .map(SequenceTemplateId),
        mailbox_id: row.get::<Option<uuid::Uuid>>("mailbox_id")?.map(MailboxId),
        pitch_tone: row.get("pitch_tone")?,
        pitch_length: row.get("pitch_length")?,
        track_clicks: row.get("track_clicks")?,
        status: row.get("status")?,
        launched_at: row.get("launched_at")?,
        finished_at: row.get("finished_at")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub async fn insert_campaign(
    mut conn: impl Conn,
    user_id: UserId,
    c: &CampaignRow,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO campaigns (id, user_id, name, template_id, mailbox_id, pitch_tone, pitch_length, \
             track_clicks, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $9)",
        )
        .bind(c.id)
        .bind(user_id)
        .bind(c.name.as_str())
        .bind(c.template_id)
        .bind(c.mailbox_id)
        .bind(c.pitch_tone.as_str())
        .bind(c.pitch_length.as_str())
        .bind(c.track_clicks)
        .bind(c.created_at),
    )
    .await?;
    Ok(())
}

/// Changes a campaign's name, template, mailbox and click tracking.
pub async fn update_campaign(
    mut conn: impl Conn,
    user_id: UserId,
    c: &CampaignRow,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE campaigns SET name = $3, template_id = $4, mailbox_id = $5, track_clicks = $6, \
                 updated_at = $7 WHERE user_id = $1 AND id = $2",
            )
            .bind(user_id)
            .bind(c.id)
            .bind(c.name.as_str())
            .bind(c.template_id)
            .bind(c.mailbox_id)
            .bind(c.track_clicks)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Moves a campaign from `from` to `to` (and stamps it); false when it was not at `from`.
pub async fn move_campaign(
    mut conn: impl Conn,
    user_id: UserId,
    id: CampaignId,
    from: &str,
    to: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE campaigns SET status = $4, updated_at = $5, \
                 launched_at = CASE WHEN $4 = 'running' THEN $5 ELSE launched_at END, \
                 finished_at = CASE WHEN $4 IN ('finished', 'stopped') THEN $5 ELSE finished_at END \
                 WHERE user_id = $1 AND id = $2 AND status = $3",
            )
            .bind(user_id)
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

pub async fn get_campaign(
    mut conn: impl Conn,
    user_id: UserId,
    id: CampaignId,
) -> Result<Option<CampaignRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(campaign_from_row)
    .transpose()
}

/// The user's campaigns, newest first.
pub async fn list_campaigns(
    mut conn: impl Conn,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<CampaignRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
            ))
            .bind(user_id)
            .bind(limit),
        )
        .await?;
    rows.iter().map(campaign_from_row).collect()
}

pub async fn count_campaigns(mut conn: impl Conn, user_id: UserId) -> Result<i64, StoreError> {
    conn.fetch_one(query("SELECT COUNT(*) AS n FROM campaigns WHERE user_id = $1").bind(user_id))
        .await?
        .get("n")
}

pub async fn delete_campaign(
    mut conn: impl Conn,
    user_id: UserId,
    id: CampaignId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM campaigns WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// A target with what the campaign pages show of it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    pub id: CampaignTargetId,
    pub user_id: UserId,
    pub campaign_id: CampaignId,
    pub application_id: ApplicationId,
    pub company: String,
    pub role_title: String,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub contact_role: Option<String>,
    /// The contact's own zone, else its company's.
    pub time_zone: Option<String>,
    pub mailbox_id: Option<MailboxId>,
    /// `draft`, `active`, `finished` or `stopped`.
    pub status: String,
    pub stop_reason: Option<String>,
    pub created_at: Timestamp,
}

const TARGET_SELECT: &str = "SELECT t.id, t.user_id, t.campaign_id, t.application_id, a.company, a.role_title, t.contact_id, \
     c.full_name AS contact_name, c.email AS contact_email, c.role_title AS contact_role, \
     COALESCE(c.time_zone, co.time_zone) AS time_zone, t.mailbox_id, t.status, t.stop_reason, t.created_at \
     FROM campaign_targets t JOIN applications a ON a.id = t.application_id \
     JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = c.company_id";

fn target_from_row(row: &Row) -> Result<TargetRow, StoreError> {
    Ok(TargetRow {
        id: CampaignTargetId(row.get("id")?),
        user_id: UserId(row.get("user_id")?),
        campaign_id: CampaignId(row.get("campaign_id")?),
        application_id: ApplicationId(row.get("application_id")?),
        company: row.get("company")?,
        role_title: row.get("role_title")?,
        contact_id: ContactId(row.get("contact_id")?),
        contact_name: row.get("contact_name")?,
        contact_email: row.get("contact_email")?,
        contact_role: row.get("contact_role")?,
        time_zone: row.get("time_zone")?,
        mailbox_id: row.get::<Option<uuid::Uuid>>("mailbox_id")?.map(MailboxId),
        status: row.get("status")?,
        stop_reason: row.get("stop_reason")?,
        created_at: row.get("created_at")?,
    })
}

/// Adds a target; the same person twice in one campaign is [`StoreError::UniqueViolation`].
#[allow(clippy::too_many_arguments)]
pub async fn insert_target(
    mut conn: impl Conn,
    user_id: UserId,
    id: CampaignTargetId,
    campaign: CampaignId,
    application: ApplicationId,
    contact: ContactId,
    mailbox: Option<MailboxId>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO campaign_targets (id, campaign_id, user_id, application_id, contact_id, mailbox_id, \
             status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $7)",
        )
        .bind(id)
        .bind(campaign)
        .bind(user_id)
        .bind(application)
        .bind(contact)
        .bind(mailbox)
        .bind(now),
    )
    .await?;
    Ok(())
}

pub async fn delete_target(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: CampaignId,
    id: CampaignTargetId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "DELETE FROM campaign_targets WHERE user_id = $1 AND campaign_id = $2 AND id = $3 AND status = 'draft'",
            )
            .bind(user_id)
            .bind(campaign)
            .bind(id),
        )
        .await?;
    Ok(done > 0)
}

pub async fn count_targets(mut conn: impl Conn, campaign: CampaignId) -> Result<i64, StoreError> {
    conn.fetch_one(
        query("SELECT COUNT(*) AS n FROM campaign_targets WHERE campaign_id = $1").bind(campaign),
    )
    .await?
    .get("n")
}

pub async fn targets(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: CampaignId,
) -> Result<Vec<TargetRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "{TARGET_SELECT} WHERE t.user_id = $1 AND t.campaign_id = $2 ORDER BY t.created_at, t.id LIMIT 5000"
            ))
            .bind(user_id)
            .bind(campaign),
        )
        .await?;
    rows.iter().map(target_from_row).collect()
}

pub async fn get_target(
    mut conn: impl Conn,
    id: CampaignTargetId,
) -> Result<Option<TargetRow>, StoreError> {
    conn.fetch_optional(Query::dynamic(format!("{TARGET_SELECT} WHERE t.id = $1")).bind(id))
        .await?
        .as_ref()
        .map(target_from_row)
        .transpose()
}

/// Moves a target (instance) to `status`, with the reason when it stops; a target already
/// finished or stopped stays as it is.
pub async fn set_target_status(
    mut conn: impl Conn,
    id: CampaignTargetId,
    status: &str,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE campaign_targets SET status = $2, stop_reason = $3, updated_at = $4 \
                 WHERE id = $1 AND status IN ('draft', 'active')",
            )
            .bind(id)
            .bind(status)
            .bind(reason)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

// ---------------------------------------------------------------------------------------
// Outreach emails

#[derive(Clone, Debug, PartialEq)]
pub struct OutreachRow {
    pub id: OutreachId,
    pub user_id: UserId,
    pub campaign_id: CampaignId,
    pub target_id: CampaignTargetId,
    pub mailbox_id: Option<MailboxId>,
    pub step_position: i64,
    pub step_label: String,
    pub to_name: String,
    pub to_address: String,
    pub time_zone: String,
    pub subject: String,
    pub body: String,
    pub planned_at: Timestamp,
    /// `planned`, `sending`, `sent`, `failed`, `cancelled`, `suppressed` or `unknown`.
    pub status: String,
    pub message_id: String,
    pub attempts: i64,
    pub sent_at: Option<Timestamp>,
    pub provider_message_id: Option<String>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When a link of it was first clicked (tracked campaigns only; read, never written).
    pub clicked_at: Option<Timestamp>,
}

/// The columns of an [`OutreachRow`], for a query that names the table `o`.
pub(crate) const OUTREACH_COLUMNS: &str = "id, user_id, campaign_id, target_id, mailbox_id, step_position, step_label, \
     to_name, to_address, time_zone, subject, body, planned_at, status, message_id, attempts, sent_at, \
     provider_message_id, error, created_at, updated_at, \
     (SELECT MIN(e.occurred_at) FROM email_events e WHERE e.outreach_id = o.id AND e.kind = 'clicked') AS clicked_at";

pub(crate) fn outreach_from_row(row: &Row) -> Result<OutreachRow, StoreError> {
    Ok(OutreachRow {
        id: OutreachId(row.get("id")?),
        user_id: UserId(row.get("user_id")?),
        campaign_id: CampaignId(row.get("campaign_id")?),
        target_id: CampaignTargetId(row.get("target_id")?),
        mailbox_id: row.get::<Option<uuid::Uuid>>("mailbox_id")?.map(MailboxId),
        step_position: row.get("step_position")?,
        step_label: row.get("step_label")?,
        to_name: row.get("to_name")?,
        to_address: row.get("to_address")?,
        time_zone: row.get("time_zone")?,
        subject: row.get("subject")?,
        body: row.get("body")?,
        planned_at: row.get("planned_at")?,
        status: row.get("status")?,
        message_id: row.get("message_id")?,
        attempts: row.get("attempts")?,
        sent_at: row.get("sent_at")?,
        provider_message_id: row.get("provider_message_id")?,
        error: row.get("error")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        clicked_at: row.get("clicked_at")?,
    })
}

/// Inserts many emails (a launch), 50 to a statement (on SQLite, measured: 222 ms for
/// 4,000 emails at 50 a statement, 435 ms at 200, 334 ms one by one).
pub async fn insert_outreach_many(
    mut conn: impl Conn,
    rows: &[OutreachRow],
) -> Result<(), StoreError> {
    const PER_ROW: usize = 16;
    for chunk in rows.chunks(50) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|i| {
                let at = i * PER_ROW;
                format!(
                    "({}, 'planned', ${}, 0, ${}, ${})",
                    crate::sql::placeholders(at + 1, 14),
                    at + 15,
                    at + 16,
                    at + 16
                )
            })
            .collect();
        let mut q = Query::dynamic(format!(
            "INSERT INTO outreach (id, user_id, campaign_id, target_id, mailbox_id, step_position, step_label, \
             to_name, to_address, to_key, time_zone, subject, body, planned_at, status, message_id, attempts, \
             created_at, updated_at) VALUES {}",
            tuples.join(", ")
        ));
        for o in chunk {
            q = q
                .bind(o.id)
                .bind(o.user_id)
                .bind(o.campaign_id)
                .bind(o.target_id)
                .bind(o.mailbox_id)
                .bind(o.step_position)
                .bind(o.step_label.as_str())
                .bind(o.to_name.as_str())
                .bind(o.to_address.as_str())
                .bind(email_key(&o.to_address))
                .bind(o.time_zone.as_str())
                .bind(o.subject.as_str())
                .bind(o.body.as_str())
                .bind(o.planned_at)
                .bind(o.message_id.as_str())
                .bind(o.created_at);
        }
        conn.execute(q).await?;
    }
    Ok(())
}

/// A launched campaign's draft targets that have emails become active instances.
pub async fn activate_targets(
    mut conn: impl Conn,
    campaign: CampaignId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE campaign_targets SET status = 'active', updated_at = $2 WHERE campaign_id = $1 \
             AND status = 'draft' AND EXISTS (SELECT 1 FROM outreach o WHERE o.target_id = campaign_targets.id)",
        )
        .bind(campaign)
        .bind(now),
    )
    .await
}

/// Whose an email is (for a signed link that names only the email).
pub async fn outreach_owner(
    mut conn: impl Conn,
    id: OutreachId,
) -> Result<Option<UserId>, StoreError> {
    conn.fetch_optional(query("SELECT user_id FROM outreach WHERE id = $1").bind(id))
        .await?
        .map(|r| Ok(UserId(r.get("user_id")?)))
        .transpose()
}

pub async fn get_outreach(
    mut conn: impl Conn,
    user_id: UserId,
    id: OutreachId,
) -> Result<Option<OutreachRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {OUTREACH_COLUMNS} FROM outreach o WHERE o.user_id = $1 AND o.id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(outreach_from_row)
    .transpose()
}

/// A campaign's emails in the order they are planned.
pub async fn campaign_outreach(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: CampaignId,
) -> Result<Vec<OutreachRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {OUTREACH_COLUMNS} FROM outreach o WHERE o.user_id = $1 AND o.campaign_id = $2 \
                 ORDER BY planned_at, step_position, id LIMIT 20000"
            ))
            .bind(user_id)
            .bind(campaign),
        )
        .await?;
    rows.iter().map(outreach_from_row).collect()
}

/// A target's emails in step order.
pub async fn target_outreach(
    mut conn: impl Conn,
    target: CampaignTargetId,
) -> Result<Vec<OutreachRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {OUTREACH_COLUMNS} FROM outreach o WHERE o.target_id = $1 ORDER BY o.step_position"
            ))
            .bind(target),
        )
        .await?;
    rows.iter().map(outreach_from_row).collect()
}

/// A mailbox's planned emails that are due, follow-ups (step 2 on) before first emails,
/// then the oldest plan first; an email waits while an earlier step of its instance is not
/// sent.
pub async fn due_outreach(
    mut conn: impl Conn,
    mailbox: MailboxId,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<OutreachRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {OUTREACH_COLUMNS} FROM outreach o WHERE o.mailbox_id = $1 AND o.status = 'planned' \
                 AND o.planned_at <= $2 AND NOT EXISTS (SELECT 1 FROM outreach p WHERE p.target_id = o.target_id \
                 AND p.step_position < o.step_position AND p.status <> 'sent') \
                 ORDER BY CASE WHEN o.step_position > 1 THEN 0 ELSE 1 END, o.planned_at, o.id LIMIT $3"
            ))
            .bind(mailbox)
            .bind(now)
            .bind(limit),
        )
        .await?;
    rows.iter().map(outreach_from_row).collect()
}

/// The earliest planned email of a mailbox, if any.
pub async fn next_planned(
    mut conn: impl Conn,
    mailbox: MailboxId,
) -> Result<Option<Timestamp>, StoreError> {
    let row = conn
        .fetch_one(
            query("SELECT MIN(planned_at) AS at FROM outreach WHERE mailbox_id = $1 AND status = 'planned'")
                .bind(mailbox),
        )
        .await?;
    row.get("at")
}

/// Moves a planned email to a new time.
pub async fn replan(
    mut conn: impl Conn,
    id: OutreachId,
    at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE outreach SET planned_at = $2, updated_at = $3 WHERE id = $1 AND status = 'planned'")
            .bind(id)
            .bind(at)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// `planned` → `sending`, written before any connection opens; false when another worker
/// took it (or it was cancelled) first.
pub async fn mark_sending(
    mut conn: impl Conn,
    id: OutreachId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE outreach SET status = 'sending', attempts = attempts + 1, updated_at = $2 \
                 WHERE id = $1 AND status = 'planned'",
            )
            .bind(id)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Records what became of a send: `sent` (with the server's answer), `planned` again (at
/// `retry_at`), `failed`, `suppressed`, `cancelled` or `unknown`, with the reason.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    mut conn: impl Conn,
    id: OutreachId,
    from: &str,
    status: &str,
    answer: Option<&str>,
    error: Option<&str>,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE outreach SET status = $3, \
                 sent_at = CASE WHEN $3 = 'sent' THEN $7 ELSE sent_at END, \
                 provider_message_id = COALESCE($4, provider_message_id), error = $5, \
                 planned_at = COALESCE($6, planned_at), updated_at = $7 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from)
            .bind(status)
            .bind(answer)
            .bind(error)
            .bind(retry_at)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Cancels a target's planned emails (with the reason); returns how many.
pub async fn cancel_planned(
    mut conn: impl Conn,
    target: CampaignTargetId,
    status: &str,
    reason: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE outreach SET status = $2, error = $3, updated_at = $4 WHERE target_id = $1 AND status = 'planned'",
        )
        .bind(target)
        .bind(status)
        .bind(reason)
        .bind(now),
    )
    .await
}

/// The targets of the user's that still have planned emails to this address, each with its
/// campaign.
pub async fn targets_writing_to(
    mut conn: impl Conn,
    user_id: UserId,
    to_key: &str,
) -> Result<Vec<(CampaignTargetId, CampaignId)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT DISTINCT target_id, campaign_id FROM outreach \
                 WHERE user_id = $1 AND to_key = $2 AND status = 'planned'",
            )
            .bind(user_id)
            .bind(to_key),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                CampaignTargetId(r.get("target_id")?),
                CampaignId(r.get("campaign_id")?),
            ))
        })
        .collect()
}

/// Emails left `sending` since before `before` (the sender stopped mid-send): they become
/// `unknown`, for the user to check; never resent on their own. Returns them.
pub async fn rescue_sending(
    mut conn: impl Conn,
    before: Timestamp,
    now: Timestamp,
) -> Result<Vec<OutreachRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {OUTREACH_COLUMNS} FROM outreach o WHERE o.status = 'sending' AND o.updated_at < $1 LIMIT 500"
            ))
            .bind(before),
        )
        .await?;
    let found: Vec<OutreachRow> = rows
        .iter()
        .map(outreach_from_row)
        .collect::<Result<_, _>>()?;
    for row in &found {
        record(
            &mut conn,
            row.id,
            "sending",
            "unknown",
            None,
            Some("the sender stopped while this email was being sent: it may have gone out; check your Sent folder"),
            None,
            now,
        )
        .await?;
    }
    Ok(found)
}

/// How many of a campaign's emails are in each status.
pub async fn status_counts(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: CampaignId,
) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT status, COUNT(*) AS n FROM outreach WHERE user_id = $1 AND campaign_id = $2 GROUP BY status",
            )
            .bind(user_id)
            .bind(campaign),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("status")?, r.get("n")?)))
        .collect()
}

/// Whether a campaign still has emails that may go out or whose fate is unknown.
pub async fn has_pending(mut conn: impl Conn, campaign: CampaignId) -> Result<bool, StoreError> {
    Ok(conn
        .fetch_optional(
            query(
                "SELECT id FROM outreach WHERE campaign_id = $1 AND status IN ('planned', 'sending', 'unknown') LIMIT 1",
            )
            .bind(campaign),
        )
        .await?
        .is_some())
}

// ---------------------------------------------------------------------------------------
// Suppressions

/// Adds an address to the user's suppression list; already there, it stays as it was.
pub async fn suppress(
    mut conn: impl Conn,
    user_id: UserId,
    email: &str,
    reason: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "INSERT INTO suppressions (user_id, email_key, reason, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, email_key) DO NOTHING",
            )
            .bind(user_id)
            .bind(email_key(email))
            .bind(reason)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

/// Every address key on the user's suppression list (a launch checks all its people).
pub async fn suppressed_keys(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let rows = conn
        .fetch_all(query("SELECT email_key FROM suppressions WHERE user_id = $1").bind(user_id))
        .await?;
    rows.iter().map(|r| r.get("email_key")).collect()
}

pub async fn is_suppressed(
    mut conn: impl Conn,
    user_id: UserId,
    email: &str,
) -> Result<bool, StoreError> {
    Ok(conn
        .fetch_optional(
            query("SELECT reason FROM suppressions WHERE user_id = $1 AND email_key = $2")
                .bind(user_id)
                .bind(email_key(email)),
        )
        .await?
        .is_some())
}

/// The user's suppressed addresses, newest first: `(address key, reason, when)`.
pub async fn suppressions(
    mut conn: impl Conn,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<(String, String, Timestamp)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT email_key, reason, created_at FROM suppressions WHERE user_id = $1 \
                 ORDER BY created_at DESC, email_key LIMIT $2",
            )
            .bind(user_id)
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("email_key")?, r.get("reason")?, r.get("created_at")?)))
        .collect()
}

pub async fn unsuppress(
    mut conn: impl Conn,
    user_id: UserId,
    email: &str,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM suppressions WHERE user_id = $1 AND email_key = $2")
                .bind(user_id)
                .bind(email_key(email)),
        )
        .await?;
    Ok(done > 0)
}

/// Something that happened to an email after it left (a click; issue 25 adds more kinds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailEvent {
    pub id: EmailEventId,
    pub user_id: UserId,
    pub outreach_id: Option<OutreachId>,
    /// `delivered`, `clicked`, `replied`, `bounced` or `spam_complaint`.
    pub kind: String,
    /// Where it was learnt: `redirect` (our click link), a provider's name, `imap`.
    pub source: String,
    /// What it concerns (a clicked link's address, a bounce's reason).
    pub detail: Option<String>,
    /// The same event told twice has the same key and is kept once.
    pub dedup_key: String,
    pub occurred_at: Timestamp,
}

/// Keeps an event unless one with its key is already kept; true when it is new.
pub async fn insert_event(mut conn: impl Conn, e: &EmailEvent) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "INSERT INTO email_events (id, user_id, outreach_id, kind, source, detail, dedup_key, \
                 occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
                 ON CONFLICT (user_id, dedup_key) DO NOTHING",
            )
            .bind(e.id)
            .bind(e.user_id)
            .bind(e.outreach_id)
            .bind(e.kind.as_str())
            .bind(e.source.as_str())
            .bind(e.detail.as_deref())
            .bind(e.dedup_key.as_str())
            .bind(e.occurred_at),
        )
        .await?;
    Ok(done > 0)
}

/// How many of a campaign's emails had an event of `kind`.
pub async fn count_with_event(
    mut conn: impl Conn,
    user_id: UserId,
    campaign: CampaignId,
    kind: &str,
) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT COUNT(DISTINCT e.outreach_id) AS n FROM email_events e \
                 JOIN outreach o ON o.id = e.outreach_id \
                 WHERE o.user_id = $1 AND o.campaign_id = $2 AND e.kind = $3",
            )
            .bind(user_id)
            .bind(campaign)
            .bind(kind),
        )
        .await?;
    row.get("n")
}
