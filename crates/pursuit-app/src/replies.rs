//! What came back: each mailbox that names an IMAP server is read (`replies.read`, every
//! minute) and what answers one of its outreach emails moves the tracker.
//!
//! - **Only what answers outreach is kept.** A message is matched by the Message-IDs it
//!   refers to (`In-Reply-To`, `References`, a bounce's or a report's original), else by its
//!   sender being someone the mailbox wrote to; the rest of the user's mail is not stored.
//! - **Once.** A message is kept once per mailbox (its Message-ID, else its UID): reading
//!   again after a restart or a UIDVALIDITY change adds nothing, and the "replied" event,
//!   the stop and the status move happen only with the first keeping, in one transaction.
//! - **What it does.** A person's answer stops the sequence writing to them and becomes an
//!   activity on the application, with the move its intent suggests (an interview request:
//!   `Recruiter_Call`; a rejection: `Rejected`), applied at once only when the rules are
//!   sure ([`AUTO_APPLY_AT`]) and always undoable. An automatic answer (out of office, "we
//!   received your application") changes nothing. A permanent bounce stops every sequence
//!   writing to the address and adds it to the suppression list; an abuse report does the
//!   same and pauses the mailbox. The user is told of each.
//! - The reading starts at the first message since the day before the mailbox was added
//!   (older mail cannot answer it), and reads the INBOX read-only: nothing is marked or
//!   moved.

use jiff::{SignedDuration, Timestamp};
use pursuit_ai::{Input, Request, Task};
use pursuit_domain::application::{ActivityStatus, ActivityType, ApplicationStatus, ChangedBy};
use pursuit_domain::ids::{ActivityId, EmailEventId, MailboxId, ReplyId, UserId};
use pursuit_mail::imap::{Fetched, ImapError};
use pursuit_mail::inbound::{self, Inbound, Kind};
use pursuit_mail::outreach::AddressPolicy;
use pursuit_store::Db;
use pursuit_store::outreach::{self as outreach_store, MailboxRow, OutreachRow};
use pursuit_store::replies::{self as store, ReplyRow};
use pursuit_text::replies::{Intent, Reading};

use crate::ai::AiParts;
use crate::error::AppError;

/// A suggested move is applied without asking when the rules are at least this sure.
pub const AUTO_APPLY_AT: f64 = 0.85;
/// At most this many messages are read from one mailbox in one scan.
pub const READ_LIMIT: usize = 200;
/// A message up to this size is read whole; a bigger one by its header only.
pub const WHOLE_UP_TO: u32 = 2_000_000;
/// How long one mailbox's reading may wait on its server per step.
pub const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// The most of an answer's text kept with it.
const BODY_LIMIT: usize = 10_000;
/// The most of an answer's text given to the classifier (characters).
const CLASSIFY_LIMIT: usize = 20_000;

/// What one scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadReport {
    pub mailboxes: usize,
    pub messages: usize,
    pub replies: usize,
    pub automatic: usize,
    pub bounces: usize,
    pub complaints: usize,
    /// Read and not about any outreach email (not kept).
    pub unrelated: usize,
    /// Kept before (read again).
    pub known: usize,
    /// The user's own warmup emails (answered and filed away).
    pub warmup: usize,
    pub applied: usize,
    /// Mailboxes that could not be read, and why.
    pub failed: Vec<(MailboxId, String)>,
}

/// What a reading needs besides the database.
pub struct Reader<'a> {
    pub db: &'a Db,
    /// The AI layer that classifies answers, and the box mailbox passwords are sealed in.
    pub ai: &'a AiParts,
    pub hosts: AddressPolicy,
    pub notification_ttl: SignedDuration,
}

/// The move an intent suggests from `current`, if any: forward only, never out of a final
/// status.
pub fn suggested_move(intent: Intent, current: ApplicationStatus) -> Option<ApplicationStatus> {
    use ApplicationStatus as S;
    match intent {
        Intent::InterviewRequest => matches!(
            current,
            S::Saved | S::Draft | S::Applied | S::Screening | S::OnHold
        )
        .then_some(S::RecruiterCall),
        Intent::Rejection => (!current.is_final()).then_some(S::Rejected),
        _ => None,
    }
}

/// The intent and confidence of a `classify_reply` answer (which fits the task's schema).
fn reading_of(value: &serde_json::Value) -> Option<Reading> {
    Some(Reading {
        intent: Intent::parse(value["intent"].as_str()?)?,
        confidence: value["confidence"].as_f64()?.clamp(0.0, 1.0),
    })
}

fn bounded(text: &str, most: usize) -> String {
    if text.len() <= most {
        return text.to_owned();
    }
    let mut end = most;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl Reader<'_> {
    /// Reads every mailbox that names an IMAP server.
    pub async fn scan(&self, now: Timestamp) -> Result<ReadReport, AppError> {
        self.scan_some(None, now).await
    }

    /// Reads one mailbox (when it still names an IMAP server).
    pub async fn scan_one(&self, id: MailboxId, now: Timestamp) -> Result<ReadReport, AppError> {
        self.scan_some(Some(id), now).await
    }

    async fn scan_some(
        &self,
        only: Option<MailboxId>,
        now: Timestamp,
    ) -> Result<ReadReport, AppError> {
        let mut report = ReadReport::default();
        for mailbox in store::mailboxes_to_read(self.db)
            .await?
            .into_iter()
            .filter(|m| only.is_none_or(|id| m.id == id))
        {
            report.mailboxes += 1;
            if let Err(why) = self.read(&mailbox, now, &mut report).await {
                let why = why.to_string();
                store::set_inbox_state(
                    self.db,
                    mailbox.id,
                    mailbox.inbox.uid_validity,
                    mailbox.inbox.last_uid,
                    Some(&why),
                    now,
                )
                .await?;
                if mailbox.inbox.error.as_deref() != Some(why.as_str()) {
                    tracing::warn!(mailbox.id = %mailbox.id.0, error = %why, "a mailbox could not be read");
                }
                report.failed.push((mailbox.id, why));
            }
        }
        Ok(report)
    }

    /// Reads one mailbox from where the last reading stopped.
    async fn read(
        &self,
        mailbox: &MailboxRow,
        now: Timestamp,
        report: &mut ReadReport,
    ) -> Result<(), ReadError> {
        let settings = crate::mailboxes::imap_settings(
            &self.ai.secrets,
            mailbox.id,
            &mailbox.settings,
            READ_TIMEOUT,
        )
        .map_err(ReadError::Settings)?
        .ok_or_else(|| ReadError::Settings("no IMAP server".to_owned()))?;
        let mut inbox = pursuit_mail::imap::open(&settings, self.hosts).await?;
        let state = inbox.examine().await?;
        let validity = i64::from(state.uid_validity);
        let mut last = if mailbox.inbox.uid_validity == Some(validity) {
            mailbox.inbox.last_uid
        } else {
            // New, or the folder was rebuilt: from the first message since the day before
            // the mailbox was added (nothing it sent is older).
            let day = (mailbox.created_at - SignedDuration::from_hours(24))
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date();
            match inbox.first_uid_since(day).await? {
                Some(uid) => i64::from(uid) - 1,
                None => i64::from(state.uid_next).saturating_sub(1),
            }
        };
        let after = u32::try_from(last.max(0)).unwrap_or(0);
        let fetched = inbox.since(after, READ_LIMIT, WHOLE_UP_TO).await?;
        let mut file_away = Vec::new();
        for message in &fetched {
            report.messages += 1;
            if self.take(mailbox, message, validity, now, report).await? {
                file_away.push(message.uid);
            }
            last = last.max(i64::from(message.uid));
        }
        store::set_inbox_state(self.db, mailbox.id, Some(validity), last, None, now).await?;
        // Warmup emails leave the INBOX; one that stays is filed on a later reading of the
        // folder, or by the user: nothing else depends on it.
        if let Err(why) = inbox.archive(&file_away, crate::warmup::FOLDER).await {
            tracing::warn!(mailbox.id = %mailbox.id.0, error = %why, "warmup emails could not be filed away");
        }
        inbox.logout().await;
        Ok(())
    }

    /// What an answer asks of the user, read through the AI layer (task `classify_reply`: the
    /// local rules unless the user's chain for classifying names a model); the rules read it
    /// directly when the task is off for the user. The answer is data — a class from a
    /// closed list and a number — so an email that tells a model what to answer can at
    /// worst be misread (and every move it suggests is undoable), never obeyed.
    async fn classify(
        &self,
        user: UserId,
        read: &Inbound,
        now: Timestamp,
    ) -> Result<Reading, AppError> {
        let automatic = read.kind == Kind::Automatic;
        let text = if automatic {
            read.text.clone()
        } else {
            pursuit_text::replies::own_words(&read.text)
        };
        let clean = |t: &str, most: usize| -> String {
            t.chars().filter(|c| *c != '\0').take(most).collect()
        };
        let (subject, text) = (clean(&read.subject, 500), clean(&text, CLASSIFY_LIMIT));
        let rules = || {
            if automatic {
                pursuit_text::replies::automatic(&subject, &text)
            } else {
                pursuit_text::replies::classify(&subject, &text)
            }
        };
        let email = crate::writing::caller_email(self.db, user).await?;
        let request = Request::new(
            Task::ClassifyReply,
            vec![
                Input {
                    label: "subject",
                    text: subject.clone(),
                },
                Input {
                    label: "reply",
                    text: text.clone(),
                },
                Input {
                    label: "sent",
                    text: if automatic {
                        pursuit_ai::local::AUTOMATICALLY
                    } else {
                        "by a person"
                    }
                    .to_owned(),
                },
            ],
        );
        let caller = crate::ai::Caller {
            id: user,
            email: &email,
        };
        match crate::ai::run(self.ai.services(self.db), caller, now, request).await {
            Ok(answer) => Ok(reading_of(&answer.value).unwrap_or_else(rules)),
            Err(AppError::FeatureOff(_)) => Ok(rules()),
            Err(other) => Err(other),
        }
    }

    /// Keeps one message if it answers an outreach email, and does what it asks; `true`
    /// for one of the user's warmup emails (answered, to be filed away).
    async fn take(
        &self,
        mailbox: &MailboxRow,
        message: &Fetched,
        validity: i64,
        now: Timestamp,
        report: &mut ReadReport,
    ) -> Result<bool, AppError> {
        let Some(read) = inbound::read(&message.raw) else {
            report.unrelated += 1;
            return Ok(false);
        };
        if read.from.as_deref() == Some(mailbox.settings.from_address.to_lowercase().as_str()) {
            report.unrelated += 1;
            return Ok(false);
        }
        if crate::warmup::received(self.db, mailbox, &read, now, &mut crate::warmup::random).await?
        {
            report.warmup += 1;
            return Ok(true);
        }
        let Some(email) = self.answered(mailbox, &read).await? else {
            report.unrelated += 1;
            return Ok(false);
        };
        let key = match &read.message_id {
            Some(id) if !id.is_empty() => id.clone(),
            _ => format!("uid:{validity}:{}", message.uid),
        };
        let reading = match read.kind {
            Kind::Reply | Kind::Automatic => Some(self.classify(email.user_id, &read, now).await?),
            _ => None,
        };
        let application = crate::applications::get(
            self.db,
            email.user_id,
            outreach_store::get_target(self.db, email.target_id)
                .await?
                .map(|t| t.application_id)
                .ok_or(AppError::NotFound)?,
        )
        .await
        .ok();
        let suggestion = match (&reading, &application) {
            (Some(r), Some(a)) if read.kind == Kind::Reply => {
                suggested_move(r.intent, a.data.status)
            }
            _ => None,
        };
        let detail = match &read.kind {
            Kind::Bounce {
                status,
                diagnostic,
                recipient,
                permanent,
            } => Some(
                [
                    Some(if *permanent { "permanent" } else { "temporary" }.to_owned()),
                    status.clone(),
                    recipient.clone(),
                    diagnostic.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            ),
            Kind::Complaint { feedback_type } => Some(feedback_type.clone()),
            _ => None,
        };
        let body = if message.whole {
            bounded(&pursuit_text::replies::own_words(&read.text), BODY_LIMIT)
        } else {
            format!(
                "(Only the header was read: the message is {} bytes, over the {} Pursuit reads.)",
                message.size, WHOLE_UP_TO
            )
        };
        let row = ReplyRow {
            id: ReplyId::new(),
            user_id: email.user_id,
            mailbox_id: mailbox.id,
            outreach_id: Some(email.id),
            application_id: application.as_ref().map(|a| a.id),
            message_key: key.clone(),
            kind: read.kind.as_str().to_owned(),
            intent: reading.map(|r| r.intent.as_str().to_owned()),
            confidence: reading.map(|r| (r.confidence * 100.0).round() / 100.0),
            from_address: read.from.clone(),
            from_name: read.from_name.clone(),
            subject: bounded(&read.subject, 500),
            body,
            detail,
            received_at: read.date.filter(|d| *d <= now).unwrap_or(now),
            suggested_status: suggestion.map(|s| s.as_str().to_owned()),
            state: "new".to_owned(),
            previous_status: None,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db.begin().await?;
        if !store::insert_reply(&mut tx, &row).await? {
            tx.rollback().await?;
            report.known += 1;
            return Ok(false);
        }
        let event = match read.kind {
            Kind::Reply => Some("replied"),
            // A delay is not a bounce: only a failure for good counts against the mailbox.
            Kind::Bounce {
                permanent: true, ..
            } => Some("bounced"),
            Kind::Complaint { .. } => Some("spam_complaint"),
            Kind::Bounce { .. } | Kind::Automatic => None,
        };
        if let Some(kind) = event {
            outreach_store::insert_event(
                &mut tx,
                &outreach_store::EmailEvent {
                    id: EmailEventId::new(),
                    user_id: email.user_id,
                    outreach_id: Some(email.id),
                    kind: kind.to_owned(),
                    source: "imap".to_owned(),
                    detail: row.detail.clone(),
                    dedup_key: event_key(kind, email.id, mailbox.id, &key),
                    occurred_at: row.received_at,
                },
            )
            .await?;
        }
        let who = read
            .from_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| email.to_name.clone());
        let (title, stop) = match (&read.kind, reading) {
            (Kind::Reply, Some(r)) => (
                format!("{who} replied: {}", intent_words(r.intent)),
                Some(format!("{who} replied")),
            ),
            (
                Kind::Bounce {
                    permanent: true, ..
                },
                _,
            ) => (
                format!("An email to {} bounced", email.to_address),
                Some("the address bounced".to_owned()),
            ),
            (Kind::Bounce { .. }, _) => {
                (format!("An email to {} is delayed", email.to_address), None)
            }
            (Kind::Complaint { .. }, _) => (
                format!("{} reported your email as spam", email.to_address),
                Some("the recipient reported the email as spam".to_owned()),
            ),
            _ => (format!("{who} answered automatically"), None),
        };
        if let Some(why) = &stop {
            outreach_store::cancel_planned(&mut tx, email.target_id, "cancelled", why, now).await?;
            outreach_store::set_target_status(&mut tx, email.target_id, "stopped", Some(why), now)
                .await?;
        }
        if let Some(app) = &application
            && read.kind == Kind::Reply
        {
            let mut data = pursuit_store::activities::ActivityData::new(
                ActivityType::Email,
                ActivityStatus::Done,
            );
            data.starts_at = Some(row.received_at);
            data.outcome = Some(bounded(&format!("{who} replied: {}", read.subject), 200));
            data.notes = Some(row.body.clone());
            crate::activities::create_in(
                &mut tx,
                email.user_id,
                app.id,
                ActivityId::new(),
                &data,
                now,
            )
            .await?;
        }
        pursuit_store::delivery::insert_notice(
            &mut tx,
            email.user_id,
            &title,
            &bounded(&row.body, 300),
            Some("/replies"),
            now,
            now + self.notification_ttl,
        )
        .await?;
        tx.commit().await?;
        match read.kind {
            Kind::Reply => report.replies += 1,
            Kind::Automatic => report.automatic += 1,
            Kind::Bounce { .. } => report.bounces += 1,
            Kind::Complaint { .. } => report.complaints += 1,
        }
        // An address that bounced for good or complained is not written to again.
        match &read.kind {
            Kind::Bounce {
                permanent: true, ..
            } => {
                let why = stop.unwrap_or_default();
                address_failed(
                    self.db,
                    mailbox,
                    &email.to_address,
                    Failure::Bounce,
                    &why,
                    self.notification_ttl,
                    now,
                )
                .await?;
            }
            Kind::Complaint { .. } => {
                let why = stop.unwrap_or_default();
                address_failed(
                    self.db,
                    mailbox,
                    &email.to_address,
                    Failure::Complaint,
                    &why,
                    self.notification_ttl,
                    now,
                )
                .await?;
            }
            _ => {}
        }
        crate::campaigns::finish_if_done(self.db, email.user_id, email.campaign_id, now).await?;
        if suggestion.is_some()
            && reading.is_some_and(|r| r.confidence >= AUTO_APPLY_AT)
            && apply(self.db, email.user_id, row.id, now).await.is_ok()
        {
            report.applied += 1;
        }
        Ok(false)
    }

    /// The outreach email a message answers: by the Message-IDs it refers to, else (a
    /// person's answer) by its sender being someone this mailbox wrote to.
    async fn answered(
        &self,
        mailbox: &MailboxRow,
        read: &Inbound,
    ) -> Result<Option<OutreachRow>, AppError> {
        let by_id = store::outreach_with_ids(self.db, mailbox.user_id, &read.refers_to).await?;
        if let Some(email) = by_id.into_iter().find(|e| e.status == "sent") {
            return Ok(Some(email));
        }
        if matches!(read.kind, Kind::Reply | Kind::Automatic)
            && let Some(from) = &read.from
        {
            return Ok(
                store::last_sent_to(self.db, mailbox.id, &outreach_store::email_key(from)).await?,
            );
        }
        Ok(None)
    }
}

/// The key an event is kept once under: a bounce or a complaint once per email, whoever
/// reports it (the mailbox's IMAP reading or the provider's webhook); a reply once per
/// message.
pub(crate) fn event_key(
    kind: &str,
    email: pursuit_domain::ids::OutreachId,
    mailbox: MailboxId,
    message: &str,
) -> String {
    match kind {
        "replied" => format!("imap:{}:{message}", mailbox.0.simple()),
        other => format!("{other}:{}", email.0.simple()),
    }
}

/// How an address failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// It does not take mail (a permanent bounce).
    Bounce,
    /// Its owner reported an email as spam.
    Complaint,
}

/// What an address failing does, whoever reported it: nothing more is written to it (it
/// joins the suppression list, its sequences stop), and an active mailbox pauses on a
/// complaint or when its recent bounces are too many.
pub(crate) async fn address_failed(
    db: &Db,
    mailbox: &MailboxRow,
    address: &str,
    failure: Failure,
    why: &str,
    ttl: SignedDuration,
    now: Timestamp,
) -> Result<(), AppError> {
    crate::outreach::stop_writing_to(db, mailbox.user_id, address, why, now).await?;
    // Paused already (by the user, or by an event read just before): no second pause.
    let active = outreach_store::get_mailbox(db, mailbox.user_id, mailbox.id)
        .await?
        .is_some_and(|m| m.status == "active");
    if !active {
        return Ok(());
    }
    match failure {
        Failure::Bounce => {
            let (sent, bounced) =
                store::recent_bounces(db, mailbox.id, crate::mailboxes::HEALTH_WINDOW).await?;
            if crate::mailboxes::bounces_too_many(bounced) {
                crate::outreach::pause_mailbox(
                    db,
                    mailbox,
                    &format!(
                        "{bounced} of its last {sent} emails bounced (3% or more of {} is too many for a mailbox to stay trusted); check the addresses before resuming",
                        crate::mailboxes::HEALTH_WINDOW
                    ),
                    ttl,
                    now,
                )
                .await?;
            }
        }
        Failure::Complaint => {
            crate::outreach::pause_mailbox(
                db,
                mailbox,
                "a recipient reported an email from it as spam; look at what was sent before resuming",
                ttl,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

fn intent_words(intent: Intent) -> &'static str {
    match intent {
        Intent::InterviewRequest => "an interview request",
        Intent::Rejection => "a rejection",
        Intent::NeedsAction => "they ask for something",
        Intent::OutOfOffice => "out of office",
        Intent::AutoConfirmation => "an automatic confirmation",
        Intent::Other => "read it",
    }
}

/// Why a mailbox could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Settings(String),
    #[error("{0}")]
    Imap(#[from] ImapError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<pursuit_store::StoreError> for ReadError {
    fn from(e: pursuit_store::StoreError) -> Self {
        ReadError::App(e.into())
    }
}

/// The user's replies, newest first (`kind`: one kind only).
pub async fn list(db: &Db, user: UserId, kind: Option<&str>) -> Result<Vec<ReplyRow>, AppError> {
    Ok(store::list_replies(db, user, kind, 500).await?)
}

pub async fn get(db: &Db, user: UserId, id: ReplyId) -> Result<ReplyRow, AppError> {
    store::get_reply(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A status as stored on a reply.
fn status_of(text: Option<&str>) -> Option<ApplicationStatus> {
    text.and_then(|s| ApplicationStatus::parse(s).ok())
}

/// Applies a reply's suggested move (kept to be undone). A reply with no suggestion, one
/// already applied or dismissed, or an application gone is a conflict.
pub async fn apply(
    db: &Db,
    user: UserId,
    id: ReplyId,
    now: Timestamp,
) -> Result<ReplyRow, AppError> {
    let reply = get(db, user, id).await?;
    let (Some(to), Some(application)) = (
        status_of(reply.suggested_status.as_deref()),
        reply.application_id,
    ) else {
        return Err(AppError::Conflict("this reply suggests no move".to_owned()));
    };
    if !matches!(reply.state.as_str(), "new" | "undone") {
        return Err(AppError::Conflict(format!(
            "this reply's move is {}",
            reply.state
        )));
    }
    let before = move_status(db, user, application, None, to, now).await?;
    if !store::move_reply(
        db,
        user,
        id,
        &reply.state,
        "applied",
        Some(before.as_str()),
        now,
    )
    .await?
    {
        return Err(AppError::Conflict("the reply changed meanwhile".to_owned()));
    }
    get(db, user, id).await
}

/// Puts the application back where it was before the reply's move, if nobody moved it
/// since.
pub async fn undo(
    db: &Db,
    user: UserId,
    id: ReplyId,
    now: Timestamp,
) -> Result<ReplyRow, AppError> {
    let reply = get(db, user, id).await?;
    let (Some(to), Some(from), Some(application)) = (
        status_of(reply.previous_status.as_deref()),
        status_of(reply.suggested_status.as_deref()),
        reply.application_id,
    ) else {
        return Err(AppError::Conflict(
            "this reply's move was not applied".to_owned(),
        ));
    };
    if reply.state != "applied" {
        return Err(AppError::Conflict(
            "this reply's move was not applied".to_owned(),
        ));
    }
    move_status(db, user, application, Some(from), to, now).await?;
    store::move_reply(db, user, id, "applied", "undone", None, now).await?;
    get(db, user, id).await
}

/// Sets a reply's suggestion aside (an applied one must be undone first).
pub async fn dismiss(
    db: &Db,
    user: UserId,
    id: ReplyId,
    now: Timestamp,
) -> Result<ReplyRow, AppError> {
    let reply = get(db, user, id).await?;
    if reply.state == "applied" {
        return Err(AppError::Conflict("undo the applied move first".to_owned()));
    }
    if reply.state != "dismissed"
        && !store::move_reply(db, user, id, &reply.state, "dismissed", None, now).await?
    {
        return Err(AppError::Conflict("the reply changed meanwhile".to_owned()));
    }
    get(db, user, id).await
}

/// Moves an application to `to` (only from `expect` when given); the status it had.
async fn move_status(
    db: &Db,
    user: UserId,
    application: pursuit_domain::ids::ApplicationId,
    expect: Option<ApplicationStatus>,
    to: ApplicationStatus,
    now: Timestamp,
) -> Result<ApplicationStatus, AppError> {
    let existing = crate::applications::get(db, user, application).await?;
    let before = existing.data.status;
    if let Some(expect) = expect
        && before != expect
    {
        return Err(AppError::Conflict(format!(
            "the application moved to {before} since; change it on the board"
        )));
    }
    if before == to {
        return Ok(before);
    }
    let mut data = existing.data.clone();
    data.status = to;
    let rules = crate::reminders::RuleInputs::for_status(db, user, to).await?;
    let mut tx = db.begin().await?;
    crate::applications::change_in(
        &mut tx,
        user,
        &existing,
        &data,
        ChangedBy::Rule,
        rules.as_ref(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

/// The job that reads every mailbox's replies: every minute by the schedule, and each of
/// those runs asks for one more half a minute later (`half`), so a reply is read within
/// about 30 seconds of arriving.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ReadReplies {
    /// The run half a minute after the scheduled one (it asks for no other).
    #[serde(default)]
    pub half: bool,
    /// Only this mailbox: its server said something arrived ([`watch`]).
    #[serde(default)]
    pub mailbox: Option<uuid::Uuid>,
}

/// How long after a scheduled reading the extra one runs.
pub const HALF_MINUTE: SignedDuration = SignedDuration::from_secs(30);

impl pursuit_store::jobs::JobSpec for ReadReplies {
    const KIND: &'static str = "replies.read";
    /// Work on users' mailboxes has a queue of its own (`mailboxes`).
    const QUEUE: &'static str = "mailboxes";
    /// The next minute's scan is the retry.
    const MAX_ATTEMPTS: i64 = 1;
}

/// How long one IDLE waits before it is renewed (servers end an IDLE after 30 minutes).
const IDLE_FOR: std::time::Duration = std::time::Duration::from_secs(25 * 60);
/// How often the list of mailboxes to watch is read again.
const WATCH_LIST_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Watches every mailbox that names an IMAP server with IDLE (RFC 2177) where its server
/// has it: the moment the server reports something, a reading of that mailbox is queued
/// (`replies.read` with its id), so a reply stops its sequence within seconds rather than
/// at the next minute's scan. A server without IDLE, or one that cannot be reached, is left
/// to the scans (a watch that fails is tried again later, waiting longer each time up to
/// 15 minutes). A mailbox whose settings change is watched afresh. Runs until `stop`.
pub async fn watch(
    db: Db,
    secrets: std::sync::Arc<crate::secrets::SecretBox>,
    hosts: AddressPolicy,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut watched: std::collections::HashMap<
        MailboxId,
        (Timestamp, tokio::task::JoinHandle<()>),
    > = std::collections::HashMap::new();
    loop {
        match store::mailboxes_to_read(&db).await {
            Ok(mailboxes) => {
                watched.retain(|id, (updated, task)| {
                    let keep = !task.is_finished()
                        && mailboxes
                            .iter()
                            .any(|m| m.id == *id && m.updated_at == *updated);
                    if !keep {
                        task.abort();
                    }
                    keep
                });
                for mailbox in mailboxes {
                    if watched.contains_key(&mailbox.id) {
                        continue;
                    }
                    let (id, updated) = (mailbox.id, mailbox.updated_at);
                    let task = tokio::spawn(watch_one(db.clone(), secrets.clone(), hosts, mailbox));
                    watched.insert(id, (updated, task));
                }
            }
            Err(error) => tracing::warn!(%error, "listing the mailboxes to watch failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(WATCH_LIST_EVERY) => {}
            _ = stop.changed() => break,
        }
    }
    for (_, (_, task)) in watched {
        task.abort();
    }
}

/// One mailbox's watch: IDLE until it fails, then again after a pause (30 s, doubling up to
/// 15 minutes while it keeps failing fast, back to 30 s after a watch that lasted); ends
/// when the server has no IDLE.
async fn watch_one(
    db: Db,
    secrets: std::sync::Arc<crate::secrets::SecretBox>,
    hosts: AddressPolicy,
    mailbox: MailboxRow,
) {
    const FIRST_PAUSE: std::time::Duration = std::time::Duration::from_secs(30);
    let mut pause = FIRST_PAUSE;
    loop {
        let began = std::time::Instant::now();
        match idle_session(&db, &secrets, hosts, &mailbox).await {
            Ok(()) => {
                tracing::debug!(mailbox.id = %mailbox.id.0, "the mailbox's server has no IDLE: its replies are found by the scans");
                return;
            }
            Err(why) => {
                tracing::debug!(mailbox.id = %mailbox.id.0, error = %why, "watching a mailbox failed; trying again later");
            }
        }
        if began.elapsed() > IDLE_FOR {
            pause = FIRST_PAUSE;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_secs(15 * 60));
    }
}

/// Logs in, and while the connection lasts waits in IDLE and queues a reading of the mailbox
/// each time the server reports something. It ends with the connection (an error), or at
/// once with `Ok` when the server has no IDLE.
async fn idle_session(
    db: &Db,
    secrets: &crate::secrets::SecretBox,
    hosts: AddressPolicy,
    mailbox: &MailboxRow,
) -> Result<(), ReadError> {
    let settings =
        crate::mailboxes::imap_settings(secrets, mailbox.id, &mailbox.settings, READ_TIMEOUT)
            .map_err(ReadError::Settings)?
            .ok_or_else(|| ReadError::Settings("no IMAP server".to_owned()))?;
    let mut inbox = pursuit_mail::imap::open(&settings, hosts).await?;
    if !inbox.can_idle().await? {
        inbox.logout().await;
        return Ok(());
    }
    inbox.examine().await?;
    loop {
        let (next, changed) = inbox.idle(IDLE_FOR).await?;
        inbox = next;
        if changed {
            queue_reading(db, mailbox.id).await;
        }
    }
}

/// Queues a reading of one mailbox. While one is already waiting or running the new one
/// would be folded into it — and a running one may have looked before this message came —
/// so it is tried again every 2 seconds for half a minute until it is queued afresh.
async fn queue_reading(db: &Db, id: MailboxId) {
    for _ in 0..15 {
        let queued = pursuit_store::jobs::enqueue(
            db,
            &ReadReplies {
                half: false,
                mailbox: Some(id.0),
            },
            &pursuit_store::jobs::EnqueueOptions {
                dedupe_key: Some(format!("replies.read.{}", id.0)),
                ..Default::default()
            },
            Timestamp::now(),
        )
        .await;
        match queued {
            Ok(q) if q.created => return,
            Ok(_) => tokio::time::sleep(std::time::Duration::from_secs(2)).await,
            Err(error) => {
                tracing::warn!(%error, "queueing a mailbox's reading failed");
                return;
            }
        }
    }
}
