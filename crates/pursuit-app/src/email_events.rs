//! Provider events: what a mailbox's sending service (SendGrid, Mailgun, Postmark, Resend,
//! Amazon SES through SNS) reports about its emails, taken from the service's webhook.
//!
//! - **Proof first.** A request names its mailbox (`?mailbox=`); it is believed only when
//!   it carries that mailbox's provider proof ([`pursuit_mail::events`]). Anything else
//!   answers the same refusal, whether the mailbox exists or not.
//! - **Fast answer, work later.** A believed request is queued whole as a job
//!   ([`Ingest`]) and answered at once; providers retry what is not answered quickly.
//! - **Once.** An event is kept once per email and kind (`bounced:<email>`…), whoever
//!   reports it: the same webhook delivered again, or a bounce both the provider and the
//!   mailbox's IMAP reading saw, changes state once.
//! - **What it does.** Delivered is noted. A permanent bounce or a complaint stops every
//!   sequence writing to the address and adds it to the suppression list (a complaint also
//!   pauses the mailbox; bounces pause it at 3% of its last 50 sends), as a bounce read
//!   over IMAP does. An unsubscribe at the provider suppresses the address. A click counts
//!   only for a campaign whose user turned click tracking on. Opens are never kept.
//! - An email is found by its Message-ID when the provider echoes it, else as the last one
//!   the mailbox sent to the recipient.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::ids::{EmailEventId, MailboxId, UserId};
use pursuit_mail::events::{self, Event, EventKind, Provider, SnsEnvelope};
use pursuit_store::Db;
use pursuit_store::outreach::{self as outreach_store, MailboxRow, OutreachRow};
use pursuit_store::replies as store;

use crate::error::AppError;
use crate::replies::{Failure, address_failed, event_key};
use crate::secrets::SecretBox;

/// Why a webhook request was not taken.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// No such provider in the path.
    #[error("{0}")]
    UnknownProvider(String),
    /// Not believed: the same answer for a mailbox that does not exist, one not set up for
    /// this provider, and a bad proof.
    #[error("{0}")]
    Unauthorized(String),
    #[error(transparent)]
    App(#[from] AppError),
}

/// The job a believed request becomes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Ingest {
    pub user_id: uuid::Uuid,
    pub mailbox_id: uuid::Uuid,
    pub provider: String,
    /// The request body as it came (for SES, the SNS message).
    pub body: String,
    pub received_at: Timestamp,
}

impl pursuit_store::jobs::JobSpec for Ingest {
    const KIND: &'static str = "email_events.ingest";
    const MAX_ATTEMPTS: i64 = 5;
}

/// SNS signing certificates already fetched, by address (they are public and the same for
/// every user).
static CERTIFICATES: LazyLock<Mutex<HashMap<String, Vec<u8>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Keeps a certificate as if it had been fetched from `url` (tests, which cannot reach
/// AWS; the address must still be one [`events::sns_address`] allows).
pub fn remember_certificate(url: &str, pem: &[u8]) {
    if events::sns_address(url, true).is_ok() {
        CERTIFICATES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(url.to_owned(), pem.to_vec());
    }
}

/// How an SNS address is fetched: https only, no redirects, small, quick.
fn sns_limits() -> pursuit_files::fetch::Limits {
    pursuit_files::fetch::Limits {
        max_bytes: 64 * 1024,
        timeout: std::time::Duration::from_secs(5),
        redirects: 0,
        allow_loopback: false,
    }
}

async fn certificate(url: &str) -> Result<Vec<u8>, Refusal> {
    events::sns_address(url, true).map_err(|e| Refusal::Unauthorized(e.to_string()))?;
    if let Some(pem) = CERTIFICATES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(url)
    {
        return Ok(pem.clone());
    }
    let fetched = pursuit_files::fetch::fetch(url, &sns_limits())
        .await
        .map_err(|e| {
            Refusal::App(AppError::Unavailable(
                format!("the SNS signing certificate could not be fetched: {e}").into(),
            ))
        })?;
    remember_certificate(url, &fetched.body);
    Ok(fetched.body)
}

/// Checks a webhook request and queues its events; `header` looks a header up by its
/// lowercase name. The answer says nothing about whether the mailbox exists.
pub async fn accept(
    db: &Db,
    secrets: &SecretBox,
    provider: &str,
    mailbox: MailboxId,
    header: &(dyn Fn(&str) -> Option<String> + Sync),
    body: &[u8],
    now: Timestamp,
) -> Result<(), Refusal> {
    let provider = Provider::parse(provider).ok_or_else(|| {
        Refusal::UnknownProvider(format!(
            "no provider {provider:?}: one of {}",
            Provider::ALL.map(Provider::as_str).join(", ")
        ))
    })?;
    let unknown = || {
        Refusal::Unauthorized(format!(
            "this mailbox does not take {} events",
            provider.as_str()
        ))
    };
    let row = store::mailbox_by_id(db, mailbox)
        .await
        .map_err(AppError::from)?
        .ok_or_else(unknown)?;
    let (stored, key) = crate::mailboxes::events_key(secrets, &row)
        .map_err(|e| Refusal::App(AppError::Unavailable(e.into())))?
        .ok_or_else(unknown)?;
    if stored != provider {
        return Err(unknown());
    }
    let body_text = std::str::from_utf8(body)
        .map_err(|_| Refusal::Unauthorized("the body is not UTF-8 text".to_owned()))?;
    if provider == Provider::Ses {
        let envelope = SnsEnvelope::read(body).map_err(|e| Refusal::Unauthorized(e.to_string()))?;
        if envelope.topic_arn != key.trim() {
            return Err(Refusal::Unauthorized(
                "the SNS topic is not the one this mailbox names".to_owned(),
            ));
        }
        let pem = certificate(&envelope.signing_cert_url).await?;
        envelope
            .verify(&pem, now)
            .map_err(|e| Refusal::Unauthorized(e.to_string()))?;
    } else {
        events::verify(provider, &key, header, body, now)
            .map_err(|e| Refusal::Unauthorized(e.to_string()))?;
    }
    let job = Ingest {
        user_id: row.user_id.0,
        mailbox_id: row.id.0,
        provider: provider.as_str().to_owned(),
        body: body_text.to_owned(),
        received_at: now,
    };
    pursuit_store::jobs::enqueue(
        db,
        &job,
        &pursuit_store::jobs::EnqueueOptions {
            priority: 5,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(AppError::from)?;
    Ok(())
}

/// What one request's events did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IngestReport {
    pub events: usize,
    /// Kept for the first time.
    pub recorded: usize,
    /// Kept before (the same event again).
    pub duplicate: usize,
    /// About no email this mailbox sent.
    pub unmatched: usize,
    /// Not acted on (an open, a delay, a click on an untracked campaign…).
    pub ignored: usize,
    /// An SNS subscription confirmed.
    pub confirmed: bool,
}

/// Takes a queued request's events.
pub async fn ingest(
    db: &Db,
    job: &Ingest,
    ttl: SignedDuration,
    now: Timestamp,
) -> Result<IngestReport, AppError> {
    let mut report = IngestReport::default();
    let Some(mailbox) =
        outreach_store::get_mailbox(db, UserId(job.user_id), MailboxId(job.mailbox_id)).await?
    else {
        // Deleted since: nothing to act on.
        return Ok(report);
    };
    let provider = Provider::parse(&job.provider)
        .ok_or_else(|| AppError::NotFoundDetail(format!("no provider {}", job.provider)))?;
    let body = if provider == Provider::Ses {
        let envelope = SnsEnvelope::read(job.body.as_bytes())
            .map_err(|e| AppError::Unavailable(e.to_string().into()))?;
        match envelope.kind.as_str() {
            "Notification" => envelope.message,
            "SubscriptionConfirmation" => {
                report.confirmed = confirm(&envelope).await?;
                return Ok(report);
            }
            _ => return Ok(report),
        }
    } else {
        job.body.clone()
    };
    store::set_events_taken(db, mailbox.id, now).await?;
    let read = events::read(provider, body.as_bytes())
        .map_err(|e| AppError::Invalid(vec![crate::error::Invalid::new("body", e)]))?;
    for event in read {
        report.events += 1;
        take(db, &mailbox, provider, &event, ttl, now, &mut report).await?;
    }
    Ok(report)
}

/// Confirms an SNS subscription by visiting its address (AWS's own only).
async fn confirm(envelope: &SnsEnvelope) -> Result<bool, AppError> {
    let Some(url) = &envelope.subscribe_url else {
        return Ok(false);
    };
    if events::sns_address(url, false).is_err() {
        tracing::warn!("an SNS subscription names an address outside AWS; not confirmed");
        return Ok(false);
    }
    pursuit_files::fetch::fetch(url, &sns_limits())
        .await
        .map_err(|e| {
            AppError::Unavailable(
                format!("the SNS subscription could not be confirmed: {e}").into(),
            )
        })?;
    Ok(true)
}

/// The email an event is about: by its Message-ID, else the last one the mailbox sent to
/// the recipient.
async fn email_of(
    db: &Db,
    mailbox: &MailboxRow,
    event: &Event,
) -> Result<Option<OutreachRow>, AppError> {
    if let Some(id) = &event.message_id {
        let found = store::outreach_with_ids(db, mailbox.user_id, std::slice::from_ref(id)).await?;
        if let Some(email) = found.into_iter().find(|e| e.status == "sent") {
            return Ok(Some(email));
        }
    }
    match &event.recipient {
        Some(to) => Ok(store::last_sent_to(db, mailbox.id, &outreach_store::email_key(to)).await?),
        None => Ok(None),
    }
}

async fn take(
    db: &Db,
    mailbox: &MailboxRow,
    provider: Provider,
    event: &Event,
    ttl: SignedDuration,
    now: Timestamp,
    report: &mut IngestReport,
) -> Result<(), AppError> {
    let kind = match &event.kind {
        EventKind::Delivered => "delivered",
        EventKind::Bounced { permanent: true } => "bounced",
        EventKind::Complaint => "spam_complaint",
        EventKind::Clicked { .. } => "clicked",
        EventKind::Unsubscribed => "unsubscribed",
        EventKind::Bounced { permanent: false } | EventKind::Other(_) => {
            report.ignored += 1;
            return Ok(());
        }
    };
    let Some(email) = email_of(db, mailbox, event).await? else {
        report.unmatched += 1;
        return Ok(());
    };
    let source = provider.as_str();
    if kind == "unsubscribed" {
        crate::outreach::stop_writing_to(
            db,
            email.user_id,
            &email.to_address,
            &format!("the recipient unsubscribed (reported by {source})"),
            now,
        )
        .await?;
        report.recorded += 1;
        return Ok(());
    }
    if kind == "clicked" {
        let tracked = outreach_store::get_campaign(db, email.user_id, email.campaign_id)
            .await?
            .is_some_and(|c| c.track_clicks);
        if !tracked {
            report.ignored += 1;
            return Ok(());
        }
    }
    let detail = match &event.kind {
        EventKind::Clicked { url } => url.clone(),
        _ => event.detail.clone(),
    };
    let dedup_key = match kind {
        "clicked" => format!("clicked:{}:{source}", email.id.0.simple()),
        other => event_key(other, email.id, mailbox.id, ""),
    };
    let occurred_at = event.occurred_at.filter(|t| *t <= now).unwrap_or(now);
    let new = outreach_store::insert_event(
        db,
        &outreach_store::EmailEvent {
            id: EmailEventId::new(),
            user_id: email.user_id,
            outreach_id: Some(email.id),
            kind: kind.to_owned(),
            source: source.to_owned(),
            detail: detail.map(|d| d.chars().take(500).collect()),
            dedup_key,
            occurred_at,
        },
    )
    .await?;
    if !new {
        report.duplicate += 1;
        return Ok(());
    }
    report.recorded += 1;
    let failure = match kind {
        "bounced" => Failure::Bounce,
        "spam_complaint" => Failure::Complaint,
        _ => return Ok(()),
    };
    let (title, why) = match failure {
        Failure::Bounce => (
            format!("An email to {} bounced", email.to_address),
            "the address bounced".to_owned(),
        ),
        Failure::Complaint => (
            format!("{} reported your email as spam", email.to_address),
            "the recipient reported the email as spam".to_owned(),
        ),
    };
    pursuit_store::delivery::insert_notice(
        db,
        email.user_id,
        &title,
        &format!(
            "{} reported it{}.",
            source,
            event
                .detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        Some("/mailboxes"),
        now,
        now + ttl,
    )
    .await?;
    address_failed(db, mailbox, &email.to_address, failure, &why, ttl, now).await?;
    Ok(())
}
