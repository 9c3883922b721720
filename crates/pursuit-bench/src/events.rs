//! `pursuit-bench events`: provider webhooks. A campaign's first emails are sent (to a
//! recorder, through the real sender), then:
//!
//! - **the use case**: a SendGrid request (signed with a fresh P-256 key) checked and
//!   queued in process (`email_events::accept`), one event and a batch of 100, against the
//!   floor of the same queue insert alone, alternately in one run;
//! - **over HTTP**: the built binary on the same data; each email's delivery is posted a
//!   random 3–40 times, in random order, in batches, at a fixed rate (open loop: a
//!   request's time counts from when it was due); the acknowledgements' p50/p99, then once
//!   the worker has taken everything, how many deliveries were kept (must be one per
//!   email); and tampered requests (body, timestamp, signature), each of which must be
//!   refused.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use pursuit_app::email_events;
use pursuit_app::mailboxes::{self, MailboxInput};
use pursuit_app::outreach::Sender;
use pursuit_store::jobs;

use crate::sending::{
    Recorder, Rng, app_error, campaign, mailbox, people_in, percentile, template, world_at,
};

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
            (
                "x-twilio-email-event-webhook-signature".to_owned(),
                signature,
            ),
            (
                "x-twilio-email-event-webhook-timestamp".to_owned(),
                timestamp,
            ),
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

/// A campaign's first emails sent (to a recorder) from a mailbox with `extra` settings, on
/// a data dir a server can then be started on.
struct Sent {
    data: tempfile::TempDir,
    w: crate::sending::World,
    mailbox: pursuit_domain::ids::MailboxId,
    campaign: pursuit_domain::ids::CampaignId,
    start: Timestamp,
    ids: Vec<String>,
    addresses: Vec<String>,
}

async fn send_first(
    emails: usize,
    database_url: Option<String>,
    extra: MailboxInput,
) -> anyhow::Result<Sent> {
    // The data dir the server will use: its database and its secrets key.
    let data = tempfile::tempdir()?;
    let mut parts = pursuit_app::ai::AiParts::local_only();
    parts.secrets = Arc::new(
        pursuit_app::secrets::SecretBox::load_or_create(&data.path().join("secrets.key"))
            .map_err(|e| anyhow::anyhow!(e))?,
    );
    let w = world_at(&data.path().join("pursuit.db"), database_url, "UTC", parts).await?;
    let start = Timestamp::now();
    let people = people_in(&w, emails, "e", Some("UTC"), start).await?;
    let template = template(&w, &[0, 3], start).await?;
    let box_id = mailbox(&w, "events@example.org", 2525, 500, 60, 0, 500, 0, start).await?;
    mailboxes::update(
        &w.db,
        &w.parts.secrets,
        crate::sending::LOCAL,
        w.user,
        box_id,
        &extra,
        false,
        start,
    )
    .await
    .map_err(app_error)?;
    let id = campaign(&w, template, box_id, &people, start).await?;
    pursuit_app::campaigns::launch(&w.db, w.user, id, start)
        .await
        .map_err(app_error)?;
    // Every first email to a recorder, the clock stepping past the gap (and to the next
    // hour when nothing is due: the send window).
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
        let report = sender.dispatch(now, &mut |_| 0).await.map_err(app_error)?;
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
    let (ids, addresses) = (recorder.message_ids(), recorder.recipients());
    Ok(Sent {
        data,
        w,
        mailbox: box_id,
        campaign: id,
        start,
        ids,
        addresses,
    })
}

/// What the run is told.
pub struct Options {
    pub binary: std::path::PathBuf,
    pub emails: usize,
    pub rounds: usize,
    pub rate: u64,
    pub batch: usize,
    pub database_url: Option<String>,
}

/// `pursuit-bench events`.
pub async fn run(o: Options) -> anyhow::Result<()> {
    let backend = if o.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let signer = Signer::new()?;
    let Sent {
        data,
        w,
        mailbox: box_id,
        campaign: id,
        start,
        ids,
        addresses,
    } = send_first(
        o.emails,
        o.database_url.clone(),
        MailboxInput {
            events_provider: Some(Some("sendgrid".to_owned())),
            events_key: Some(Some(signer.public())),
            ..Default::default()
        },
    )
    .await?;
    let event = |i: usize| {
        serde_json::json!({
            "email": addresses[i], "timestamp": start.as_second(),
            "smtp-id": ids[i], "event": "delivered", "sg_event_id": format!("ev{i}"),
        })
    };

    // The use case against its floor.
    let one = serde_json::Value::Array(vec![event(0)]).to_string();
    let batch = serde_json::Value::Array((0..100.min(o.emails)).map(event).collect()).to_string();
    let mut floor = Vec::new();
    let mut single = Vec::new();
    let mut hundred = Vec::new();
    for _ in 0..o.rounds {
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
        "provider events on {backend}: {} emails sent, one SendGrid key (ECDSA P-256)",
        o.emails
    );
    let line = |name: &str, t: &[f64]| {
        println!(
            "  {name:<46} p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests)",
            percentile(t, 0.5),
            percentile(t, 0.99),
            t.len()
        );
    };
    line("floor: the same queue insert alone", &floor);
    line("accept in process: checked and queued, 1 event", &single);
    line("accept in process: checked and queued, 100", &hundred);

    // Over HTTP: each delivery posted 3-40 times, shuffled, in batches, at a fixed rate.
    let mut rng = Rng(0x5eed);
    let mut copies: Vec<usize> = (0..o.emails)
        .flat_map(|i| std::iter::repeat_n(i, 3 + rng.upto(37) as usize))
        .collect();
    for i in (1..copies.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        copies.swap(i, j);
    }
    let bodies: Vec<String> = copies
        .chunks(o.batch.max(1))
        .map(|c| serde_json::Value::Array(c.iter().map(|i| event(*i)).collect()).to_string())
        .collect();
    let client = reqwest::Client::new();
    let (mut server, _) =
        crate::start_in(&o.binary, &client, o.database_url.as_deref(), data, &[]).await?;
    let url = format!(
        "{}/webhooks/email-events/sendgrid?mailbox={}",
        server.url, box_id.0
    );
    let signer = Arc::new(signer);
    let began = tokio::time::Instant::now();
    let gap = Duration::from_secs_f64(1.0 / o.rate.max(1) as f64);
    let mut tasks = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.into_iter().enumerate() {
        let due = began + gap * i as u32;
        let (client, url, signer) = (client.clone(), url.clone(), Arc::clone(&signer));
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due).await;
            let mut request = client.post(&url).header("content-type", "application/json");
            for (name, value) in signer.headers(&body, Timestamp::now()) {
                request = request.header(name, value);
            }
            let status = request.body(body).send().await.map(|r| r.status().as_u16());
            (due.elapsed().as_secs_f64() * 1000.0, status.unwrap_or(0))
        }));
    }
    let mut acks = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let (ms, status) = task.await?;
        acks.push(ms);
        if status != 200 {
            refused += 1;
        }
    }
    acks.sort_by(f64::total_cmp);
    println!(
        "  over HTTP at {} requests/s: {} deliveries of {} emails (3-40 each, shuffled) in {} requests of up to {}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {refused} not taken",
        o.rate,
        copies.len(),
        o.emails,
        acks.len(),
        o.batch,
        percentile(&acks, 0.5),
        percentile(&acks, 0.99),
        acks.last().copied().unwrap_or_default()
    );

    // Once the worker has taken every request: one delivery kept per email.
    let waited = Instant::now();
    let dead = loop {
        let states: Vec<jobs::JobState> = jobs::list(&w.db, None, 1_000_000)
            .await?
            .into_iter()
            .filter(|j| j.kind == "email_events.ingest")
            .map(|j| j.state)
            .collect();
        // The in-process acknowledgements above are queued too; the server's worker takes
        // them as well.
        if states
            .iter()
            .all(|s| matches!(s, jobs::JobState::Done | jobs::JobState::Dead))
        {
            break states
                .iter()
                .filter(|s| **s == jobs::JobState::Dead)
                .count();
        }
        anyhow::ensure!(
            waited.elapsed() < Duration::from_secs(300),
            "the worker did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let kept = pursuit_store::outreach::count_with_event(&w.db, w.user, id, "delivered").await?;
    println!(
        "  taken by the worker in {:.1} s after the last request: {kept} emails with a delivery kept (of {}), {dead} requests failed",
        waited.elapsed().as_secs_f64(),
        o.emails
    );

    // Tampered requests: none believed.
    let body = serde_json::Value::Array(vec![event(0)]).to_string();
    let mut believed = 0;
    let tampered = 300;
    for i in 0..tampered {
        let mut headers = signer.headers(&body, Timestamp::now());
        let mut sent_body = body.clone();
        match i % 3 {
            0 => sent_body = sent_body.replace("delivered", "bounce"),
            1 => headers[1].1 = (Timestamp::now().as_second() + 1).to_string(),
            _ => {
                let mut sig = headers[0].1.clone().into_bytes();
                sig[10] = if sig[10] == b'A' { b'B' } else { b'A' };
                headers[0].1 = String::from_utf8(sig).unwrap_or_default();
            }
        }
        let mut request = client.post(&url).header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if request.body(sent_body).send().await?.status() == 200 {
            believed += 1;
        }
    }
    println!("  tampered requests (body, timestamp, signature; {tampered}): {believed} believed");
    let _ = server.child.kill().await;
    anyhow::ensure!(
        kept == o.emails as i64 && believed == 0 && refused == 0,
        "each delivery must be kept exactly once and no tampered request believed"
    );
    Ok(())
}

/// `pursuit-bench stop-latency`.
pub async fn stop_latency(
    binary: &std::path::Path,
    imap_port: u16,
    replies: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let user = format!("stop-{}", uuid::Uuid::new_v4().simple());
    let Sent {
        data,
        w,
        campaign,
        ids,
        addresses,
        ..
    } = send_first(
        replies,
        None,
        MailboxInput {
            imap_host: Some(Some("127.0.0.1".to_owned())),
            imap_port: Some(i64::from(imap_port)),
            imap_security: Some("none".to_owned()),
            imap_username: Some(Some(user.clone())),
            imap_password: Some(Some("imap-pass".to_owned())),
            ..Default::default()
        },
    )
    .await?;
    let client = reqwest::Client::new();
    let (mut server, _) = crate::start_in(
        &binary.to_path_buf(),
        &client,
        None,
        data,
        &[("PURSUIT_MAIL__USER_MAILBOXES_PRIVATE", "true")],
    )
    .await?;
    // The replies arrive at random moments over `seconds`, in random order.
    let mut rng = Rng(0x51ab);
    let mut arrivals: Vec<(Duration, usize)> = (0..replies)
        .map(|i| {
            (
                Duration::from_millis(rng.upto(seconds as i64 * 1000) as u64),
                i,
            )
        })
        .collect();
    arrivals.sort();
    let began = Instant::now();
    let mut arrived: Vec<Option<Instant>> = vec![None; replies];
    let mut stopped: Vec<Option<Instant>> = vec![None; replies];
    let mut next = 0;
    let deadline = Duration::from_secs(seconds + 180);
    while stopped.iter().any(Option::is_none) && began.elapsed() < deadline {
        while next < arrivals.len() && began.elapsed() >= arrivals[next].0 {
            let i = arrivals[next].1;
            append(imap_port, &user, &reply(&addresses[i], &ids[i]))?;
            arrived[i] = Some(Instant::now());
            next += 1;
        }
        let rows = pursuit_store::outreach::campaign_outreach(&w.db, w.user, campaign).await?;
        for row in rows
            .iter()
            .filter(|r| r.step_position == 2 && r.status == "cancelled")
        {
            if let Some(i) = addresses.iter().position(|a| *a == row.to_address)
                && stopped[i].is_none()
            {
                stopped[i] = Some(Instant::now());
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = server.child.kill().await;
    let mut latencies: Vec<f64> = arrived
        .iter()
        .zip(&stopped)
        .filter_map(|(a, s)| Some(s.as_ref()?.duration_since(*a.as_ref()?).as_secs_f64()))
        .collect();
    latencies.sort_by(f64::total_cmp);
    let missing = stopped.iter().filter(|s| s.is_none()).count();
    println!(
        "stop latency (replies put into IMAP at random over {seconds} s; the built binary's worker watching the mailbox with IDLE, and reading it every half minute): {} replies, p50 {:.1} s, p100 {:.1} s, {missing} never stopped",
        replies,
        percentile(&latencies, 0.5),
        latencies.last().copied().unwrap_or_default()
    );
    anyhow::ensure!(missing == 0, "{missing} sequences were not stopped");
    Ok(())
}

/// A person's answer to the email `message_id` (with its brackets).
fn reply(from: &str, message_id: &str) -> String {
    format!(
        "From: {from}\r\nTo: events@example.org\r\nSubject: Re: your note\r\nIn-Reply-To: {message_id}\r\nReferences: {message_id}\r\nMessage-ID: <{}@reply.example>\r\n\r\nThanks for writing. Could we talk on Tuesday?\r\n",
        uuid::Uuid::new_v4().simple()
    )
}

/// Puts `message` into `user`'s INBOX, as a delivery would (IMAP APPEND).
fn append(port: u16, user: &str, message: &str) -> anyhow::Result<()> {
    use std::io::{BufRead, Write};
    let stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = std::io::BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    let mut until = |tag: &str,
                     reader: &mut std::io::BufReader<std::net::TcpStream>|
     -> anyhow::Result<String> {
        loop {
            line.clear();
            anyhow::ensure!(reader.read_line(&mut line)? > 0, "the IMAP server closed");
            if line.starts_with(tag) {
                return Ok(line.clone());
            }
        }
    };
    until("* OK", &mut reader)?;
    write!(writer, "a1 LOGIN {user} imap-pass\r\n")?;
    anyhow::ensure!(
        until("a1 ", &mut reader)?.starts_with("a1 OK"),
        "login refused"
    );
    write!(writer, "a2 APPEND INBOX {{{}}}\r\n", message.len())?;
    until("+", &mut reader)?;
    write!(writer, "{message}\r\n")?;
    anyhow::ensure!(
        until("a2 ", &mut reader)?.starts_with("a2 OK"),
        "APPEND refused"
    );
    write!(writer, "a3 LOGOUT\r\n")?;
    Ok(())
}
