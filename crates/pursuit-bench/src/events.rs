//! `pursuit-bench events`: provider webhooks through the use cases the server and worker
//! run. A campaign's first emails are sent (to a recorder), then:
//!
//! - **acknowledgement**: a SendGrid request (signed with a fresh P-256 key) is checked and
//!   queued (`email_events::accept`), one event and a batch of 100, against the floor of a
//!   durable one-row commit (the same queue insert alone), alternately in one run;
//! - **taking**: the queued requests' events are kept (`email_events::ingest`), each email's
//!   delivery once; then the whole set is delivered again `replays` times, which must keep
//!   nothing new.

use std::time::Instant;

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use pursuit_app::email_events::{self, Ingest, IngestReport};
use pursuit_app::mailboxes::{self, MailboxInput};
use pursuit_app::outreach::Sender;
use pursuit_store::jobs;

use crate::sending::{app_error, campaign, mailbox, people_in, percentile, template, world, Recorder};

/// SubjectPublicKeyInfo for an EC P-256 key, before its 65-byte point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

struct Signer {
    pair: ring::signature::EcdsaKeyPair,
    rng: ring::rand::SystemRandom,
}

impl Signer {
    fn new() -> anyhow::Result<Signer> {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &rng,
        )
        .map_err(|_| anyhow::anyhow!("no key"))?;
        let pair = ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            pkcs8.as_ref(),
            &rng,
        )
        .map_err(|_| anyhow::anyhow!("bad key"))?;
        Ok(Signer { pair, rng })
    }

    /// The key as SendGrid shows it (base64 DER).
    fn public(&self) -> String {
        use ring::signature::KeyPair as _;
        let mut der = P256_SPKI_PREFIX.to_vec();
        der.extend_from_slice(self.pair.public_key().as_ref());
        b64(&der)
    }

    fn headers(&self, body: &str, now: Timestamp) -> Vec<(String, String)> {
        let timestamp = now.as_second().to_string();
        let signature = self
            .pair
            .sign(&self.rng, format!("{timestamp}{body}").as_bytes())
            .map(|s| b64(s.as_ref()))
            .unwrap_or_default();
        vec![
            ("x-twilio-email-event-webhook-signature".to_owned(), signature),
            ("x-twilio-email-event-webhook-timestamp".to_owned(), timestamp),
        ]
    }
}

fn lookup(headers: &[(String, String)]) -> impl Fn(&str) -> Option<String> + Sync + '_ {
    move |name| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// `pursuit-bench events`.
pub async fn run(
    emails: usize,
    rounds: usize,
    replays: usize,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let backend = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let w = world(database_url, "UTC").await?;
    let start = Timestamp::now();
    let people = people_in(&w, emails, "e", Some("UTC"), start).await?;
    let template = template(&w, &[0, 3], start).await?;
    let box_id = mailbox(&w, "events@example.org", 2525, 500, 60, 0, 500, 0, start).await?;
    let signer = Signer::new()?;
    mailboxes::update(
        &w.db,
        &w.parts.secrets,
        crate::sending::LOCAL,
        w.user,
        box_id,
        &MailboxInput {
            events_provider: Some(Some("sendgrid".to_owned())),
            events_key: Some(Some(signer.public())),
            ..Default::default()
        },
        false,
        start,
    )
    .await
    .map_err(app_error)?;
    let id = campaign(&w, template, box_id, &people, start).await?;
    pursuit_app::campaigns::launch(&w.db, w.user, id, start)
        .await
        .map_err(app_error)?;

    // Send every first email to a recorder, the clock stepping past the gap (and to the
    // next hour when nothing is due: the send window).
    let recorder = Recorder::default();
    let sender = Sender {
        db: &w.db,
        secrets: &w.parts.secrets,
        transport: &recorder,
        base_url: "https://pursuit.example",
        notification_ttl: SignedDuration::from_hours(720),
    };
    let mut now = start;
    let mut sent = 0;
    for _ in 0..50_000 {
        let report = sender
            .dispatch(now, &mut |_| 0)
            .await
            .map_err(app_error)?;
        sent += report.sent;
        if sent >= emails {
            break;
        }
        now += if report.sent > 0 {
            SignedDuration::from_secs(61)
        } else {
            SignedDuration::from_hours(1)
        };
    }
    anyhow::ensure!(sent == emails, "only {sent} of {emails} first emails went");
    let ids = recorder.message_ids();
    let addresses = recorder.recipients();

    // Acknowledgement: one event and a batch of 100, against one durable queue insert.
    let event = |i: usize| {
        serde_json::json!({
            "email": addresses[i % addresses.len()], "timestamp": now.as_second(),
            "smtp-id": ids[i % ids.len()], "event": "delivered", "sg_event_id": format!("ev{i}"),
        })
    };
    let one = serde_json::Value::Array(vec![event(0)]).to_string();
    let batch = serde_json::Value::Array((0..100).map(event).collect()).to_string();
    let mut floor = Vec::new();
    let mut single = Vec::new();
    let mut hundred = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        jobs::enqueue(
            &w.db,
            &pursuit_worker::jobs::noop::Noop::default(),
            &jobs::EnqueueOptions::default(),
            Timestamp::now(),
        )
        .await?;
        floor.push(started.elapsed().as_secs_f64() * 1000.0);
        for (body, into) in [(&one, &mut single), (&batch, &mut hundred)] {
            let headers = signer.headers(body, Timestamp::now());
            let started = Instant::now();
            email_events::accept(
                &w.db,
                &w.parts.secrets,
                "sendgrid",
                box_id,
                &lookup(&headers),
                body.as_bytes(),
                Timestamp::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            into.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    for times in [&mut floor, &mut single, &mut hundred] {
        times.sort_by(f64::total_cmp);
    }
    println!(
        "provider events on {backend}: {emails} emails sent, one SendGrid key (ECDSA P-256)"
    );
    let line = |name: &str, t: &[f64]| {
        println!(
            "  {name:<44} p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests)",
            percentile(t, 0.5),
            percentile(t, 0.99),
            t.len()
        );
    };
    line("floor: one durable queue insert", &floor);
    line("webhook checked and queued, 1 event", &single);
    line("webhook checked and queued, 100 events", &hundred);
    // (The queued acknowledgements are left queued: no worker runs here.)

    // Taking: every email's delivery once, in batches of 100, then all again `replays` times.
    let all: Vec<serde_json::Value> = (0..emails).map(event).collect();
    let mut first = IngestReport::default();
    let started = Instant::now();
    for chunk in all.chunks(100) {
        let body = serde_json::Value::Array(chunk.to_vec()).to_string();
        add(&mut first, take(&w, box_id, &body, now).await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "  taken: {} events, {} kept, {} duplicates, {} unmatched in {:.2} s ({:.0} events/s)",
        first.events,
        first.recorded,
        first.duplicate,
        first.unmatched,
        elapsed,
        first.events as f64 / elapsed
    );
    let mut again = IngestReport::default();
    for _ in 0..replays {
        for chunk in all.chunks(100) {
            let body = serde_json::Value::Array(chunk.to_vec()).to_string();
            add(&mut again, take(&w, box_id, &body, now).await?);
        }
    }
    println!(
        "  replayed {replays} times: {} events, {} kept, {} duplicates",
        again.events, again.recorded, again.duplicate
    );
    anyhow::ensure!(
        first.recorded == emails && again.recorded == 0,
        "each delivery must be kept exactly once"
    );
    Ok(())
}

fn add(total: &mut IngestReport, r: IngestReport) {
    total.events += r.events;
    total.recorded += r.recorded;
    total.duplicate += r.duplicate;
    total.unmatched += r.unmatched;
    total.ignored += r.ignored;
}

async fn take(
    w: &crate::sending::World,
    mailbox: pursuit_domain::ids::MailboxId,
    body: &str,
    now: Timestamp,
) -> anyhow::Result<IngestReport> {
    email_events::ingest(
        &w.db,
        &Ingest {
            user_id: w.user.0,
            mailbox_id: mailbox.0,
            provider: "sendgrid".to_owned(),
            body: body.to_owned(),
            received_at: now,
        },
        SignedDuration::from_hours(720),
        now,
    )
    .await
    .map_err(app_error)
}
