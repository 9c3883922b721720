//! Warmup among a user's own mailboxes (seed 000 §13): a new sending address earns trust
//! by sending a little real mail that is answered. Each mailbox with warmup on (it must
//! read an IMAP server) writes a few short emails a day to the user's other warming
//! mailboxes — [`START`] on its first day, [`STEP`] more each day, at most [`MOST`] — at
//! random times between 09:00 and 17:00 of the user's day. The mailbox that finds one in
//! its INBOX (`replies::Reader`) answers it once, a few minutes later, and files both away
//! into [`FOLDER`], so the user's inbox stays theirs.
//!
//! - **Once.** An email is sent once and never retried (a lost warmup email costs
//!   nothing); an answer is planned once per email (a unique index), however often the
//!   mailbox is read again.
//! - **Only ours.** A message is taken as warmup only when its X-Pursuit-Warmup token is one
//!   of the user's own emails to this mailbox, from the mailbox it names: any other
//!   message with the header is the user's mail like any other.
//! - **The signal.** An email its peer found in its INBOX landed; one sent more than
//!   [`JUDGE_AFTER`] ago and not found did not (it went to spam, or was lost): the share
//!   that landed is the mailbox's inbox placement in its health.

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::ids::{MailboxId, UserId, WarmupId};
use pursuit_mail::inbound::Inbound;
use pursuit_mail::outreach::{Outgoing, SendFailure};
use pursuit_store::Db;
use pursuit_store::outreach::{self as outreach_store, MailboxRow};
use pursuit_store::warmup::{self as store, WarmupCounts, WarmupRow};

use crate::error::{AppError, Invalid};
use crate::outreach::Transport;
use crate::secrets::SecretBox;

/// The folder warmup emails are filed into.
pub const FOLDER: &str = "Pursuit Warmup";
/// Emails a mailbox starts on its first day…
pub const START: i64 = 2;
/// …more each day after…
pub const STEP: i64 = 2;
/// …and at most this many a day.
pub const MOST: i64 = 20;
/// The warmup day's hours (the user's time).
const FROM_HOUR: i8 = 9;
const TO_HOUR: i8 = 17;
/// An email not found this long after it was sent did not reach the inbox.
pub const JUDGE_AFTER: SignedDuration = SignedDuration::from_hours(2);
/// How far back health looks.
pub const HEALTH_DAYS: i64 = 14;
/// Below this share landed (of at least [`JUDGE_AT_LEAST`] judged) a mailbox is at risk.
pub const PLACEMENT_AT_RISK: f64 = 0.8;
pub const JUDGE_AT_LEAST: i64 = 10;
/// The most due emails one scan sends.
const SEND_LIMIT: i64 = 100;
/// How long one send may take.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Subjects and bodies of emails that start a thread: short, plain, no links, nothing to
/// sell, nothing a filter learns to mistrust.
const OPENERS: &[(&str, &str)] = &[
    (
        "Notes from this week",
        "Hi,\n\nA quick note to keep things in one place: the notes from this week are done, and I moved the open points to next week's list.\n\nThanks",
    ),
    (
        "Catching up",
        "Hello,\n\nIt has been a busy few days. Are we still on for a short catch-up later in the week?\n\nBest",
    ),
    (
        "The reading list",
        "Hi,\n\nI finished the second book on the list. The chapter on planning was the most useful part; I will bring my notes.\n\nCheers",
    ),
    (
        "Thursday",
        "Hello,\n\nThursday afternoon works for me. I will bring the draft so we can go through it together.\n\nRegards",
    ),
    (
        "A question about the draft",
        "Hi,\n\nOne small question about the draft: should the summary go first, or after the examples? Either is fine with me.\n\nThanks",
    ),
    (
        "Plans for the month",
        "Hello,\n\nI wrote down three goals for this month and shared the list in our folder. Let me know if anything is missing.\n\nBest wishes",
    ),
    (
        "Following up",
        "Hi,\n\nJust following up on our last conversation. No rush, whenever you have a moment.\n\nThank you",
    ),
    (
        "Good article",
        "Hello,\n\nI read a good piece on writing clear updates and thought of our weekly notes. I will summarise it when we meet.\n\nCheers",
    ),
];

/// Answers: as short as people write them.
const ANSWERS: &[&str] = &[
    "Thanks, that sounds good to me.",
    "Got it, thank you for letting me know.",
    "Great, see you then.",
    "Thanks for the update. I will take a look this week.",
    "Sounds good. Let me know if I can help with anything.",
    "Perfect, thank you.",
    "Noted, thanks. Talk soon.",
    "Thank you! I will get back to you on the rest shortly.",
];

/// A number in `0..n` (0 when `n` is 0), from the system's randomness.
pub fn random(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        (uuid::Uuid::new_v4().as_u128() % u128::from(n)) as u64
    }
}

/// How many emails a mailbox that began warming on `started` starts on `day` (its user's).
pub fn quota(started: jiff::civil::Date, day: jiff::civil::Date) -> i64 {
    let days = (day - started).get_days().max(0) as i64;
    (START + STEP * days).min(MOST)
}

/// Turns a mailbox's warmup on or off. On needs the mailbox's IMAP server (its warmup
/// emails are found, answered and filed away there); turning it on again keeps the day it
/// first began, so the ramp does not start over.
pub async fn set(
    db: &Db,
    user: UserId,
    id: MailboxId,
    enabled: bool,
    now: Timestamp,
) -> Result<MailboxRow, AppError> {
    let row = outreach_store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if enabled && row.settings.imap_host.is_none() {
        return Err(AppError::Invalid(vec![Invalid::new(
            "enabled",
            "warmup needs the mailbox's IMAP server: its warmup emails are found, answered and filed away there (set imap_host first)",
        )]));
    }
    let started = if enabled {
        Some(row.warmup_started_at.unwrap_or(now))
    } else {
        None
    };
    store::set_started(db, user, id, started, now).await?;
    outreach_store::get_mailbox(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A mailbox's warmup as its health shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct WarmupHealth {
    pub started_at: Timestamp,
    /// Emails it starts today.
    pub today_quota: i64,
    /// Other warming mailboxes of the user (none: it has nobody to write to).
    pub peers: usize,
    /// Over the last [`HEALTH_DAYS`].
    pub counts: WarmupCounts,
    /// `landed / (sent - recent)`; none before anything can be judged.
    pub inbox_rate: Option<f64>,
}

pub async fn health(
    db: &Db,
    row: &MailboxRow,
    zone: &jiff::tz::TimeZone,
    now: Timestamp,
) -> Result<Option<WarmupHealth>, AppError> {
    let Some(started_at) = row.warmup_started_at else {
        return Ok(None);
    };
    let since = now - SignedDuration::from_hours(24 * HEALTH_DAYS);
    let counts = store::counts(db, row.id, since, now - JUDGE_AFTER).await?;
    let judged = counts.sent - counts.recent;
    let peers = usize::try_from(store::peers(db, row.user_id, row.id).await?).unwrap_or(0);
    Ok(Some(WarmupHealth {
        started_at,
        today_quota: quota(
            started_at.to_zoned(zone.clone()).date(),
            now.to_zoned(zone.clone()).date(),
        ),
        peers,
        counts,
        inbox_rate: (judged > 0)
            .then(|| (counts.landed as f64 / judged as f64 * 1000.0).round() / 1000.0),
    }))
}

/// What one warmup scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WarmupReport {
    pub planned: usize,
    pub sent: usize,
    pub failed: usize,
    pub unknown: usize,
}

/// What the warmup sender needs besides the database.
pub struct Warmer<'a, T: Transport> {
    pub db: &'a Db,
    pub secrets: &'a SecretBox,
    pub transport: &'a T,
}

impl<T: Transport> Warmer<'_, T> {
    /// One scan: plans each warming mailbox's day when its warmup hours have begun and
    /// nothing is planned for it yet, then sends what is due. `pick(n)` chooses `0..n`.
    pub async fn dispatch(
        &self,
        now: Timestamp,
        pick: &mut (dyn FnMut(u64) -> u64 + Send),
    ) -> Result<WarmupReport, AppError> {
        let mut report = WarmupReport::default();
        let warming = store::warming_mailboxes(self.db).await?;
        // Ordered by user: each user's warming mailboxes write to each other.
        for theirs in warming.chunk_by(|a, b| a.user_id == b.user_id) {
            if theirs.len() < 2 {
                continue;
            }
            let user = theirs[0].user_id;
            let (zone, _) = pursuit_store::accounts::zone_and_settings(self.db, user).await?;
            let zone = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
            for (n, mailbox) in theirs.iter().enumerate() {
                let peers: Vec<&MailboxRow> = theirs
                    .iter()
                    .cycle()
                    .skip(n + 1)
                    .take(theirs.len() - 1)
                    .collect();
                report.planned += self.plan_day(mailbox, &peers, &zone, now, pick).await?;
            }
        }
        for row in store::due(self.db, now, SEND_LIMIT).await? {
            if !store::claim(self.db, row.id).await? {
                continue;
            }
            match self.send(&row).await {
                Ok(()) => {
                    store::finish(self.db, row.id, "sent", Some(now), None).await?;
                    report.sent += 1;
                }
                Err(SendFailure::Unknown { reason }) => {
                    store::finish(self.db, row.id, "unknown", None, Some(&reason)).await?;
                    report.unknown += 1;
                }
                Err(other) => {
                    store::finish(self.db, row.id, "failed", None, Some(&other.to_string()))
                        .await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// Plans `mailbox`'s emails for today when its hours have begun and none is planned:
    /// its quota, one in each equal part of what is left of the hours, to its peers in turn.
    async fn plan_day(
        &self,
        mailbox: &MailboxRow,
        peers: &[&MailboxRow],
        zone: &jiff::tz::TimeZone,
        now: Timestamp,
        pick: &mut (dyn FnMut(u64) -> u64 + Send),
    ) -> Result<usize, AppError> {
        let Some(started) = mailbox.warmup_started_at else {
            return Ok(0);
        };
        let today = now.to_zoned(zone.clone()).date();
        let at = |hour: i8| {
            today
                .at(hour, 0, 0, 0)
                .to_zoned(zone.clone())
                .map(|z| z.timestamp())
        };
        let (Ok(open), Ok(close), Ok(midnight)) = (
            at(FROM_HOUR),
            at(TO_HOUR),
            today.to_zoned(zone.clone()).map(|z| z.timestamp()),
        ) else {
            return Ok(0);
        };
        if now < open || now >= close {
            return Ok(0);
        }
        if store::started_between(self.db, mailbox.id, midnight, close).await? > 0 {
            return Ok(0);
        }
        let quota = quota(started.to_zoned(zone.clone()).date(), today);
        let span = close.duration_since(now).as_secs().max(1) / quota.max(1);
        let mut planned = 0;
        for k in 0..quota {
            let peer = peers[usize::try_from(k).unwrap_or(0) % peers.len()];
            let offset =
                k * span + i64::try_from(pick(u64::try_from(span).unwrap_or(1))).unwrap_or(0);
            let (subject, body) = OPENERS[pick(OPENERS.len() as u64) as usize % OPENERS.len()];
            let row = new_row(
                mailbox,
                peer,
                None,
                subject.to_owned(),
                body.to_owned(),
                now + SignedDuration::from_secs(offset),
                now,
            );
            if store::insert(self.db, &row).await? {
                planned += 1;
            }
        }
        Ok(planned)
    }

    async fn send(&self, row: &WarmupRow) -> Result<(), SendFailure> {
        let refused = |reason: String| SendFailure::NotSent {
            reason,
            auth: false,
            permanent: true,
        };
        let mailboxes = async {
            let from = outreach_store::get_mailbox(self.db, row.user_id, row.from_mailbox_id).await;
            let to = outreach_store::get_mailbox(self.db, row.user_id, row.to_mailbox_id).await;
            (from, to)
        };
        let (Ok(Some(from)), Ok(Some(to))) = mailboxes.await else {
            return Err(refused("a mailbox of this warmup is gone".to_owned()));
        };
        if from.status != "active" || from.warmup_started_at.is_none() {
            return Err(refused(
                "the mailbox is paused or its warmup was turned off".to_owned(),
            ));
        }
        let smtp =
            crate::mailboxes::smtp_settings(self.secrets, &from, SEND_TIMEOUT).map_err(refused)?;
        let answered = match row.answers_id {
            Some(id) => store::get(self.db, id).await.ok().flatten(),
            None => None,
        };
        let message = pursuit_mail::outreach::build(&Outgoing {
            from_name: from.settings.from_name.clone(),
            from_address: from.settings.from_address.clone(),
            to_name: to.settings.from_name.clone(),
            to_address: to.settings.from_address.clone(),
            subject: row.subject.clone(),
            text: row.body.clone(),
            message_id: row.message_id.clone(),
            in_reply_to: answered.as_ref().map(|a| a.message_id.clone()),
            references: answered.iter().map(|a| a.message_id.clone()).collect(),
            warmup: Some(row.token.clone()),
            ..Outgoing::default()
        })
        .map_err(|e| refused(e.to_string()))?;
        self.transport.send(&smtp, &message).await.map(|_| ())
    }
}

fn new_row(
    from: &MailboxRow,
    to: &MailboxRow,
    answers: Option<WarmupId>,
    subject: String,
    body: String,
    planned_at: Timestamp,
    now: Timestamp,
) -> WarmupRow {
    WarmupRow {
        id: WarmupId::new(),
        user_id: from.user_id,
        from_mailbox_id: from.id,
        to_mailbox_id: to.id,
        answers_id: answers,
        token: uuid::Uuid::new_v4().simple().to_string(),
        message_id: crate::campaigns::message_id(&from.settings.from_address),
        subject,
        body,
        planned_at,
        status: "planned".to_owned(),
        sent_at: None,
        received_at: None,
        error: None,
        created_at: now,
    }
}

/// What a message found in `mailbox`'s INBOX is to warmup: `true` when it is one of the
/// user's warmup emails to this mailbox (marked received, answered once when it starts a
/// thread, to be filed away); `false` for anything else.
pub async fn received(
    db: &Db,
    mailbox: &MailboxRow,
    read: &Inbound,
    now: Timestamp,
    pick: &mut (dyn FnMut(u64) -> u64 + Send),
) -> Result<bool, AppError> {
    let Some(token) = &read.warmup else {
        return Ok(false);
    };
    let Some(row) = store::find_by_token(db, mailbox.user_id, token).await? else {
        return Ok(false);
    };
    if row.to_mailbox_id != mailbox.id {
        return Ok(false);
    }
    let Some(sender) =
        outreach_store::get_mailbox(db, mailbox.user_id, row.from_mailbox_id).await?
    else {
        return Ok(false);
    };
    if read.from.as_deref() != Some(sender.settings.from_address.to_lowercase().as_str()) {
        return Ok(false);
    }
    store::mark_received(db, row.id, now).await?;
    if row.answers_id.is_none() && mailbox.warmup_started_at.is_some() {
        let answer = ANSWERS[pick(ANSWERS.len() as u64) as usize % ANSWERS.len()];
        let subject = if row.subject.starts_with("Re: ") {
            row.subject.clone()
        } else {
            format!("Re: {}", row.subject)
        };
        let delay = 120 + i64::try_from(pick(900)).unwrap_or(0);
        // A second reading finds the answer planned (the unique index): nothing is added.
        store::insert(
            db,
            &new_row(
                mailbox,
                &sender,
                Some(row.id),
                subject,
                format!("{answer}\n"),
                now + SignedDuration::from_secs(delay),
                now,
            ),
        )
        .await?;
    }
    Ok(true)
}

/// `warmup.dispatch`'s payload: nothing (every warming mailbox is looked at).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DispatchWarmup {}

impl pursuit_store::jobs::JobSpec for DispatchWarmup {
    const KIND: &'static str = "warmup.dispatch";
    const QUEUE: &'static str = "mailboxes";
    /// The next minute's scan is the retry.
    const MAX_ATTEMPTS: i64 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_number_ramps_up_and_stops_at_the_most() {
        let day = |d: i8| jiff::civil::date(2026, 12, d);
        assert_eq!(quota(day(1), day(1)), START);
        assert_eq!(quota(day(1), day(2)), START + STEP);
        assert_eq!(quota(day(1), day(31)), MOST);
        assert_eq!(
            quota(day(5), day(1)),
            START,
            "a clock that goes back never gives less"
        );
    }
}
