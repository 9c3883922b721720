//! Sending outreach: the `outreach.dispatch` scan, the send protocol, one-click
//! unsubscribe, the suppression list, and settling emails whose fate is unknown.
//!
//! # The send protocol (at most once)
//! 1. In one transaction: the mailbox's next slot is taken (a conditional UPDATE that
//!    checks its gap and its day's cap, so of several workers only one wins) and the email
//!    goes `planned` → `sending`. Nothing has been sent yet; a crash here leaves a row
//!    `sending` and nothing sent.
//! 2. A fresh SMTP connection sends it with its fixed Message-ID (chosen at launch).
//! 3. The outcome is recorded: `sent` with the server's answer; back to `planned` when
//!    nothing was handed over (the day's count is given back); `failed` when the server
//!    refused for good; `unknown` when the connection broke after the content went over.
//! 4. A row still `sending` after [`STUCK_AFTER`] (the sender died between 1 and 3) becomes
//!    `unknown`. Unknown emails are never resent on their own: the user checks their Sent
//!    folder and says "it went", "send it again" (the same Message-ID) or "skip".
//!
//! Before each send: the recipient's window is checked again (a late scan replans into
//! the next opening), and the suppression list (an opted-out address stops every instance
//! writing to it). Follow-ups go before first emails, and wait while an earlier step of
//! their instance is not sent; they answer the step before (`In-Reply-To`) and carry the
//! thread (`References`). Every email carries `List-Unsubscribe` (https and mailto),
//! `List-Unsubscribe-Post` (RFC 8058) and a visible opt-out line with the sender's name and
//! address; there are no tracking pixels.
//!
//! # Click tracking (off unless the user turns it on for a campaign)
//! Each web link of a tracked campaign's email goes through `/c/<token>`, whose token
//! carries the email, the link's place and the address itself, signed with the instance's
//! key: the redirect needs no lookup to work (a deleted campaign's links still lead where
//! they said), cannot be pointed anywhere else, and records only the first click per link
//! (no IP address, no user agent).

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::ids::{CampaignId, CampaignTargetId, MailboxId, OutreachId, UserId};
use pursuit_mail::SmtpSettings;
use pursuit_mail::outreach::{AddressPolicy, Outgoing, SendFailure};
use pursuit_store::Db;
use pursuit_store::outreach::{self as store, MailboxRow, OutreachRow};

use crate::error::{AppError, Invalid};
use crate::mailboxes;
use crate::secrets::SecretBox;

/// A row `sending` for longer than this was left by a sender that stopped.
pub const STUCK_AFTER: SignedDuration = SignedDuration::from_mins(15);
/// A send that failed without handing anything over is tried again this much later per
/// attempt, at most [`MAX_ATTEMPTS`] times.
pub const RETRY_AFTER: SignedDuration = SignedDuration::from_mins(10);
pub const MAX_ATTEMPTS: i64 = 5;

/// How an email leaves: SMTP, or a fake in simulations and tests.
pub trait Transport: Sync {
    fn send(
        &self,
        smtp: &SmtpSettings,
        message: &pursuit_mail::outreach::Message,
    ) -> impl std::future::Future<Output = Result<String, SendFailure>> + Send;
}

/// The real transport: one fresh SMTP connection per email, to a server at an address
/// `hosts` allows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Smtp {
    pub hosts: AddressPolicy,
}

impl Transport for Smtp {
    async fn send(
        &self,
        smtp: &SmtpSettings,
        message: &pursuit_mail::outreach::Message,
    ) -> Result<String, SendFailure> {
        pursuit_mail::outreach::send_once(smtp, message, self.hosts).await
    }
}

/// What the sender needs besides the database.
pub struct Sender<'a, T: Transport> {
    pub db: &'a Db,
    pub secrets: &'a SecretBox,
    pub transport: &'a T,
    /// The public URL of the web app (the unsubscribe link), no trailing slash.
    pub base_url: &'a str,
    /// How long a notification (a paused mailbox) is kept.
    pub notification_ttl: SignedDuration,
}

/// What one scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    /// Not handed over; planned again (or failed for good).
    pub not_sent: usize,
    pub failed: usize,
    pub unknown: usize,
    /// Stopped because the address opted out.
    pub suppressed: usize,
    /// Moved to the recipient's next window opening.
    pub replanned: usize,
    /// Rows left `sending` by a stopped sender, now `unknown`.
    pub rescued: usize,
    pub paused: Vec<MailboxId>,
}

/// The token of one link of an email: the email, the link's place in it and its address,
/// with a signature of the three.
pub fn click_token(secrets: &SecretBox, outreach: OutreachId, index: usize, url: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url);
    let data = format!("{}.{index}.{encoded}", outreach.0.simple());
    let signature = secrets.sign("click", &data);
    format!("{data}.{signature}")
}

/// A click link's email, the link's place and its address, when the token is signed.
fn read_click_token(secrets: &SecretBox, token: &str) -> Option<(OutreachId, usize, String)> {
    use base64::Engine;
    let (data, signature) = token.trim().rsplit_once('.')?;
    if !secrets.verify("click", data, signature) {
        return None;
    }
    let mut parts = data.splitn(3, '.');
    let id = uuid::Uuid::try_parse(parts.next()?).ok()?;
    let index = parts.next()?.parse().ok()?;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts.next()?)
        .ok()?;
    let url = String::from_utf8(url).ok()?;
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some((
        OutreachId(id),
        index,
        url,
    ))
}

/// `body` with each web link replaced by its signed click link.
fn track_links(secrets: &SecretBox, base_url: &str, outreach: OutreachId, body: &str) -> String {
    let mut out = String::with_capacity(body.len() * 2);
    let mut last = 0;
    for (index, range) in pursuit_text::links::find(body).into_iter().enumerate() {
        out.push_str(&body[last..range.start]);
        let token = click_token(secrets, outreach, index, &body[range.clone()]);
        out.push_str(&format!("{base_url}/c/{token}"));
        last = range.end;
    }
    out.push_str(&body[last..]);
    out
}

/// Where a click link leads, after noting the first click on it (a `HEAD` or a link
/// scanner's look is not asked to count: `count` is false). An unsigned token is not
/// found; a click on a deleted email's link still leads on.
pub async fn click(
    db: &Db,
    secrets: &SecretBox,
    token: &str,
    count: bool,
    now: Timestamp,
) -> Result<String, AppError> {
    let (outreach, index, url) = read_click_token(secrets, token).ok_or(AppError::NotFound)?;
    if count {
        // The recipient is sent on even when the click cannot be noted.
        if let Err(e) = note_click(db, outreach, index, &url, now).await {
            tracing::warn!(error = %e, "a click could not be noted");
        }
    }
    Ok(url)
}

async fn note_click(
    db: &Db,
    outreach: OutreachId,
    index: usize,
    url: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(user_id) = store::outreach_owner(db, outreach).await? else {
        return Ok(());
    };
    store::insert_event(
        db,
        &store::EmailEvent {
            id: pursuit_domain::ids::EmailEventId::new(),
            user_id,
            outreach_id: Some(outreach),
            kind: "clicked".to_owned(),
            source: "redirect".to_owned(),
            detail: Some(url.to_owned()),
            dedup_key: format!("click:{}:{index}", outreach.0.simple()),
            occurred_at: now,
        },
    )
    .await?;
    Ok(())
}

/// The token of a target's unsubscribe link: its id and a signature of it.
pub fn unsubscribe_token(secrets: &SecretBox, target: CampaignTargetId) -> String {
    let id = target.0.simple().to_string();
    let signature = secrets.sign("unsubscribe", &id);
    format!("{id}.{signature}")
}

fn read_token(secrets: &SecretBox, token: &str) -> Option<CampaignTargetId> {
    let (id, signature) = token.trim().split_once('.')?;
    if !secrets.verify("unsubscribe", id, signature) {
        return None;
    }
    uuid::Uuid::try_parse(id).ok().map(CampaignTargetId)
}

/// The message an email becomes: its text (its links tracked when `track_clicks`) with the
/// opt-out line, the thread of the steps before it, and the unsubscribe headers.
pub fn compose(
    secrets: &SecretBox,
    base_url: &str,
    row: &OutreachRow,
    mailbox: &MailboxRow,
    earlier: &[OutreachRow],
    track_clicks: bool,
) -> Outgoing {
    let url = format!("{base_url}/u/{}", unsubscribe_token(secrets, row.target_id));
    let from = &mailbox.settings;
    let body = if track_clicks {
        track_links(secrets, base_url, row.id, row.body.trim_end())
    } else {
        row.body.trim_end().to_owned()
    };
    let text = format!(
        "{body}\n\n--\n{} <{}>\nIf you would rather not hear from me again, open {url} or reply \"unsubscribe\" and I will not write again.\n",
        from.from_name, from.from_address,
    );
    let references: Vec<String> = earlier.iter().map(|e| e.message_id.clone()).collect();
    Outgoing {
        from_name: from.from_name.clone(),
        from_address: from.from_address.clone(),
        to_name: row.to_name.clone(),
        to_address: row.to_address.clone(),
        subject: row.subject.clone(),
        text,
        message_id: row.message_id.clone(),
        in_reply_to: references.last().cloned(),
        references,
        unsubscribe_url: Some(url),
        unsubscribe_mailto: Some(format!("mailto:{}?subject=unsubscribe", from.from_address)),
        warmup: None,
    }
}

/// The start of the next local day after `now` in `zone`.
fn next_day(now: Timestamp, zone: &jiff::tz::TimeZone) -> Timestamp {
    let local = now.to_zoned(zone.clone());
    local
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(zone.clone()).ok())
        .map_or(now + SignedDuration::from_hours(1), |z| z.timestamp())
}

/// Stops every instance of the user's still writing to `address`, with the reason; the
/// address joins the suppression list. Returns the campaigns touched.
pub(crate) async fn stop_writing_to(
    db: &Db,
    user: UserId,
    address: &str,
    reason: &str,
    now: Timestamp,
) -> Result<Vec<CampaignId>, AppError> {
    let mut tx = db.begin().await?;
    store::suppress(&mut tx, user, address, reason, now).await?;
    let targets = store::targets_writing_to(&mut tx, user, &store::email_key(address)).await?;
    let mut campaigns = Vec::new();
    for (target, campaign) in &targets {
        store::cancel_planned(&mut tx, *target, "suppressed", reason, now).await?;
        store::set_target_status(&mut tx, *target, "stopped", Some(reason), now).await?;
        if !campaigns.contains(campaign) {
            campaigns.push(*campaign);
        }
    }
    tx.commit().await?;
    for campaign in &campaigns {
        crate::campaigns::finish_if_done(db, user, *campaign, now).await?;
    }
    Ok(campaigns)
}

impl<T: Transport> Sender<'_, T> {
    /// One scan: rescue rows a stopped sender left, then for each mailbox whose gap has
    /// passed, send its most urgent due email (if its day's cap allows). `pick(n)` chooses
    /// the jitter, `0..=n` seconds.
    pub async fn dispatch(
        &self,
        now: Timestamp,
        pick: &mut (dyn FnMut(i64) -> i64 + Send),
    ) -> Result<Report, AppError> {
        let mut report = Report {
            rescued: store::rescue_sending(self.db, now - STUCK_AFTER, now)
                .await?
                .len(),
            ..Report::default()
        };
        let mut zones: std::collections::HashMap<
            UserId,
            (jiff::tz::TimeZone, pursuit_domain::schedule::SendWindow),
        > = std::collections::HashMap::new();
        for mailbox in store::due_mailboxes(self.db, now, 500).await? {
            let user = mailbox.user_id;
            if let std::collections::hash_map::Entry::Vacant(slot) = zones.entry(user) {
                let (zone, settings) =
                    pursuit_store::accounts::zone_and_settings(self.db, user).await?;
                let tz = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
                slot.insert((tz, settings.send_window));
            }
            let (your_zone, window) = zones[&user].clone();
            let today = now.to_zoned(your_zone.clone()).date();
            let cap = mailboxes::cap_on(&mailbox, today);
            if mailbox.cap_day == Some(today) && mailbox.sent_on_day >= cap {
                store::hold_mailbox(self.db, mailbox.id, next_day(now, &your_zone)).await?;
                continue;
            }
            for row in store::due_outreach(self.db, mailbox.id, now, 200).await? {
                let zone =
                    jiff::tz::TimeZone::get(&row.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
                match window.next_open(now, &zone) {
                    Some(open) if open == now => {}
                    Some(open) => {
                        store::replan(self.db, row.id, open, now).await?;
                        report.replanned += 1;
                        continue;
                    }
                    None => continue,
                }
                if store::is_suppressed(self.db, user, &row.to_address).await? {
                    stop_writing_to(
                        self.db,
                        user,
                        &row.to_address,
                        "the address is on your suppression list",
                        now,
                    )
                    .await?;
                    report.suppressed += 1;
                    continue;
                }
                let gap = mailbox.settings.min_gap_seconds
                    + pick(mailbox.settings.jitter_seconds)
                        .clamp(0, mailbox.settings.jitter_seconds);
                let next = now + SignedDuration::from_secs(gap);
                let mut tx = self.db.begin().await?;
                if !store::take_slot(&mut tx, mailbox.id, now, today, cap, next).await? {
                    break;
                }
                if !store::mark_sending(&mut tx, row.id, now).await? {
                    // Taken or cancelled meanwhile: the slot goes back with the rollback.
                    continue;
                }
                tx.commit().await?;
                self.send(&mailbox, &row, &window, today, now, &mut report)
                    .await?;
                break;
            }
        }
        Ok(report)
    }

    /// Steps 2 and 3 of the protocol for a row already `sending`.
    async fn send(
        &self,
        mailbox: &MailboxRow,
        row: &OutreachRow,
        window: &pursuit_domain::schedule::SendWindow,
        today: jiff::civil::Date,
        now: Timestamp,
        report: &mut Report,
    ) -> Result<(), AppError> {
        let db = self.db;
        let smtp = match mailboxes::smtp_settings(self.secrets, mailbox, mailboxes::SEND_TIMEOUT) {
            Ok(smtp) => smtp,
            Err(why) => return self.hold(mailbox, row, &why, today, now, report).await,
        };
        let earlier: Vec<OutreachRow> = store::target_outreach(db, row.target_id)
            .await?
            .into_iter()
            .filter(|e| e.step_position < row.step_position && e.status == "sent")
            .collect();
        let track_clicks = store::get_campaign(db, row.user_id, row.campaign_id)
            .await?
            .is_some_and(|c| c.track_clicks);
        let outgoing = compose(
            self.secrets,
            self.base_url,
            row,
            mailbox,
            &earlier,
            track_clicks,
        );
        let message = match pursuit_mail::outreach::build(&outgoing) {
            Ok(message) => message,
            Err(e) => {
                let why = format!("the email cannot be built: {e}");
                store::record(db, row.id, "sending", "failed", None, Some(&why), None, now).await?;
                store::give_back_slot(db, mailbox.id, today).await?;
                self.stop_instance(row, &why, now).await?;
                report.failed += 1;
                return Ok(());
            }
        };
        match self.transport.send(&smtp, &message).await {
            Ok(answer) => {
                store::record(
                    db,
                    row.id,
                    "sending",
                    "sent",
                    Some(&answer),
                    None,
                    None,
                    now,
                )
                .await?;
                store::clear_auth_failures(db, mailbox.id).await?;
                self.keep_spacing(row, window, now).await?;
                finish_target_if_done(db, row, now).await?;
                report.sent += 1;
            }
            Err(SendFailure::Unknown { reason }) => {
                store::record(
                    db,
                    row.id,
                    "sending",
                    "unknown",
                    None,
                    Some(&reason),
                    None,
                    now,
                )
                .await?;
                report.unknown += 1;
            }
            Err(SendFailure::HostRefused { reason }) => {
                self.hold(mailbox, row, &reason, today, now, report).await?;
            }
            Err(SendFailure::NotSent {
                reason,
                auth,
                permanent,
            }) => {
                store::give_back_slot(db, mailbox.id, today).await?;
                report.not_sent += 1;
                if auth {
                    let retry = now + RETRY_AFTER;
                    store::record(
                        db,
                        row.id,
                        "sending",
                        "planned",
                        None,
                        Some(&reason),
                        Some(retry),
                        now,
                    )
                    .await?;
                    let failures = store::count_auth_failure(db, mailbox.id, now).await?;
                    if failures >= mailboxes::AUTH_FAILURES_TO_PAUSE {
                        let why = format!(
                            "the server refused the login {failures} times in a row ({reason}); check the password and resume the mailbox"
                        );
                        self.pause(mailbox, &why, now).await?;
                        report.paused.push(mailbox.id);
                    }
                } else if permanent || row.attempts + 1 >= MAX_ATTEMPTS {
                    store::record(
                        db,
                        row.id,
                        "sending",
                        "failed",
                        None,
                        Some(&reason),
                        None,
                        now,
                    )
                    .await?;
                    self.stop_instance(row, &format!("an earlier email failed: {reason}"), now)
                        .await?;
                    report.failed += 1;
                } else {
                    let retry = now + RETRY_AFTER * (row.attempts + 1) as i32;
                    store::record(
                        db,
                        row.id,
                        "sending",
                        "planned",
                        None,
                        Some(&reason),
                        Some(retry),
                        now,
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// An email sent later than planned (a cap, a paused mailbox, a doubt settled) pushes
    /// the later steps of its instance back by as much, each into the recipient's next
    /// window opening, so a follow-up keeps its days after the email it follows.
    /// Nothing was handed over and the mailbox's settings are at fault: the email goes back
    /// to `planned` (nothing lost) and the mailbox pauses until the user fixes it.
    async fn hold(
        &self,
        mailbox: &MailboxRow,
        row: &OutreachRow,
        why: &str,
        today: jiff::civil::Date,
        now: Timestamp,
        report: &mut Report,
    ) -> Result<(), AppError> {
        let db = self.db;
        store::record(db, row.id, "sending", "planned", None, Some(why), None, now).await?;
        store::give_back_slot(db, mailbox.id, today).await?;
        self.pause(mailbox, why, now).await?;
        report.not_sent += 1;
        report.paused.push(mailbox.id);
        Ok(())
    }

    async fn keep_spacing(
        &self,
        row: &OutreachRow,
        window: &pursuit_domain::schedule::SendWindow,
        sent_at: Timestamp,
    ) -> Result<(), AppError> {
        let late = sent_at.duration_since(row.planned_at);
        if late <= SignedDuration::ZERO {
            return Ok(());
        }
        let zone = jiff::tz::TimeZone::get(&row.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        for later in store::target_outreach(self.db, row.target_id).await? {
            if later.step_position > row.step_position && later.status == "planned" {
                let pushed = later.planned_at + late;
                let at = window.next_open(pushed, &zone).unwrap_or(pushed);
                store::replan(self.db, later.id, at, sent_at).await?;
            }
        }
        Ok(())
    }

    async fn stop_instance(
        &self,
        row: &OutreachRow,
        why: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let mut tx = self.db.begin().await?;
        store::cancel_planned(&mut tx, row.target_id, "cancelled", why, now).await?;
        store::set_target_status(&mut tx, row.target_id, "stopped", Some(why), now).await?;
        tx.commit().await?;
        crate::campaigns::finish_if_done(self.db, row.user_id, row.campaign_id, now).await?;
        Ok(())
    }

    async fn pause(&self, mailbox: &MailboxRow, why: &str, now: Timestamp) -> Result<(), AppError> {
        pause_mailbox(self.db, mailbox, why, self.notification_ttl, now).await
    }
}

/// Pauses a mailbox and tells its owner why (a notification kept for `ttl`).
pub(crate) async fn pause_mailbox(
    db: &Db,
    mailbox: &MailboxRow,
    why: &str,
    ttl: SignedDuration,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    store::set_mailbox_status(&mut tx, mailbox.user_id, mailbox.id, Some(why), now).await?;
    pursuit_store::delivery::insert_notice(
        &mut tx,
        mailbox.user_id,
        &format!("Mailbox {} paused", mailbox.settings.from_address),
        why,
        Some("/mailboxes"),
        now,
        now + ttl,
    )
    .await?;
    tx.commit().await?;
    tracing::warn!(mailbox.id = %mailbox.id.0, reason = why, "mailbox paused");
    Ok(())
}

/// A target whose emails are all settled is finished, and its campaign when it is the last.
async fn finish_target_if_done(db: &Db, row: &OutreachRow, now: Timestamp) -> Result<(), AppError> {
    let emails = store::target_outreach(db, row.target_id).await?;
    if emails
        .iter()
        .all(|e| !matches!(e.status.as_str(), "planned" | "sending" | "unknown"))
    {
        store::set_target_status(db, row.target_id, "finished", None, now).await?;
    }
    crate::campaigns::finish_if_done(db, row.user_id, row.campaign_id, now).await?;
    Ok(())
}

/// What the one-click link did.
#[derive(Clone, Debug)]
pub struct Unsubscribed {
    /// The address that will not be written to again.
    pub address: String,
    /// The sender's name, for the page.
    pub sender: String,
}

/// The one-click unsubscribe (RFC 8058): the link's address joins its user's suppression
/// list and every instance writing to it stops. Idempotent; needs no session. An unsigned
/// or unknown token is not found.
pub async fn unsubscribe(
    db: &Db,
    secrets: &SecretBox,
    token: &str,
    now: Timestamp,
) -> Result<Unsubscribed, AppError> {
    let target = read_token(secrets, token).ok_or(AppError::NotFound)?;
    let found = store::get_target(db, target)
        .await?
        .ok_or(AppError::NotFound)?;
    let emails = store::target_outreach(db, target).await?;
    let first = emails.first().ok_or(AppError::NotFound)?;
    let sender = match first.mailbox_id {
        Some(m) => store::get_mailbox(db, found.user_id, m)
            .await?
            .map(|m| m.settings.from_name),
        None => None,
    };
    stop_writing_to(
        db,
        found.user_id,
        &first.to_address,
        "the recipient unsubscribed",
        now,
    )
    .await?;
    Ok(Unsubscribed {
        address: first.to_address.clone(),
        sender: sender.unwrap_or_else(|| "the sender".to_owned()),
    })
}

/// Adds an address to the user's suppression list by hand; instances writing to it stop.
pub async fn suppress(
    db: &Db,
    user: UserId,
    address: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let address = pursuit_domain::account::EmailAddress::parse(address.trim())
        .map_err(|e| AppError::Invalid(vec![Invalid::new("email", e.0)]))?;
    stop_writing_to(db, user, address.as_str(), "added by you", now).await?;
    Ok(())
}

/// The user's suppression list, newest first: `(address key, reason, when)`.
pub async fn suppressions(
    db: &Db,
    user: UserId,
    limit: i64,
) -> Result<Vec<(String, String, Timestamp)>, AppError> {
    Ok(store::suppressions(db, user, limit).await?)
}

pub async fn unsuppress(db: &Db, user: UserId, address: &str) -> Result<(), AppError> {
    if store::unsuppress(db, user, address).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How the user settles an email whose fate is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    /// It is in their Sent folder: it went.
    Sent,
    /// It did not go: send it again (the same Message-ID, so a server that has it drops it).
    Resend,
    /// Do not send it; the instance stops.
    Skip,
}

impl Settle {
    pub fn parse(text: &str) -> Option<Settle> {
        match text {
            "sent" => Some(Settle::Sent),
            "resend" => Some(Settle::Resend),
            "skip" => Some(Settle::Skip),
            _ => None,
        }
    }
}

pub async fn settle(
    db: &Db,
    user: UserId,
    id: OutreachId,
    how: Settle,
    now: Timestamp,
) -> Result<OutreachRow, AppError> {
    let row = store::get_outreach(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != "unknown" {
        return Err(AppError::Conflict(format!(
            "the email is {}: only one whose fate is unknown is settled",
            row.status
        )));
    }
    match how {
        Settle::Sent => {
            store::record(
                db,
                id,
                "unknown",
                "sent",
                Some("confirmed by you"),
                None,
                None,
                now,
            )
            .await?;
            finish_target_if_done(db, &row, now).await?;
        }
        Settle::Resend => {
            store::record(db, id, "unknown", "planned", None, None, Some(now), now).await?;
        }
        Settle::Skip => {
            store::record(
                db,
                id,
                "unknown",
                "cancelled",
                None,
                Some("skipped by you"),
                None,
                now,
            )
            .await?;
            let mut tx = db.begin().await?;
            store::cancel_planned(
                &mut tx,
                row.target_id,
                "cancelled",
                "an earlier email was skipped",
                now,
            )
            .await?;
            store::set_target_status(
                &mut tx,
                row.target_id,
                "stopped",
                Some("an email was skipped"),
                now,
            )
            .await?;
            tx.commit().await?;
        }
    }
    crate::campaigns::finish_if_done(db, user, row.campaign_id, now).await?;
    store::get_outreach(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The `outreach.dispatch` job's payload: a scan, every minute.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DispatchOutreach {}

impl pursuit_store::jobs::JobSpec for DispatchOutreach {
    const KIND: &'static str = "outreach.dispatch";
    /// The next minute's scan is the retry.
    const MAX_ATTEMPTS: i64 = 1;
}
