//! Outreach sending, measured through the use cases the server and worker run:
//!
//! - `pursuit-bench launch`: a campaign of `targets` people × four steps launched (every
//!   email rendered, planned in its recipient's window and written in one transaction).
//! - `pursuit-bench send-sim`: `days` simulated days of three mailboxes sending five
//!   campaigns through the real send protocol under a fake clock, a scan every two minutes,
//!   with addresses opting out along the way; every handed-over message is checked (caps and
//!   ramps, the recipient's window, gaps, the RFC 8058 headers and the visible opt-out, no
//!   send to a suppressed address, no Message-ID twice).
//! - `pursuit-bench sender`: messages a second against a local SMTP server.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::time::Instant;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use pursuit_app::ai::{AiParts, Caller};
use pursuit_app::campaigns::{self, CampaignInput};
use pursuit_app::mailboxes::{self, MailboxInput};
use pursuit_app::outreach::{Sender, Transport};
use pursuit_app::sequences::{self, StepInput};
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_domain::ids::{
    ApplicationId, CampaignId, CampaignTargetId, ContactId, MailboxId, SequenceTemplateId, UserId,
};
use pursuit_mail::SmtpSettings;
use pursuit_mail::outreach::{Message, Outgoing, SendFailure};
use pursuit_store::{ConnectOptions, Db};

use crate::outreach::ZONES;

pub(crate) struct World {
    pub db: Db,
    pub user: UserId,
    pub email: String,
    pub parts: AiParts,
    _dir: Option<tempfile::TempDir>,
}

pub(crate) async fn world(database_url: Option<String>, zone: &str) -> anyhow::Result<World> {
    let dir = tempfile::tempdir()?;
    let mut w = world_at(
        &dir.path().join("outreach.db"),
        database_url,
        zone,
        AiParts::local_only(),
    )
    .await?;
    w._dir = Some(dir);
    Ok(w)
}

impl World {
    /// Its scratch directory (a world made by [`world`]).
    fn dir(&self) -> &std::path::Path {
        self._dir
            .as_ref()
            .map_or(std::path::Path::new("."), |d| d.path())
    }
}

/// A user on the database at `database_url`, else the SQLite file `sqlite`, with `parts`.
pub(crate) async fn world_at(
    sqlite: &std::path::Path,
    database_url: Option<String>,
    zone: &str,
    parts: AiParts,
) -> anyhow::Result<World> {
    let db = match database_url {
        Some(url) => Db::connect(&url, &ConnectOptions::default()).await?,
        None => Db::open_sqlite(sqlite, &ConnectOptions::default()).await?,
    };
    pursuit_store::migrate::run(&db, "bench").await?;
    let email = format!("sender-{}@example.org", uuid::Uuid::new_v4().simple());
    let user = pursuit_store::accounts::insert_user(
        &db,
        &pursuit_store::accounts::NewUser {
            email: EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!(e.0))?,
            display_name: None,
            time_zone: TimeZoneName::parse(zone).map_err(|e| anyhow::anyhow!(e.0))?,
            is_owner: false,
        },
        Timestamp::now(),
    )
    .await?;
    Ok(World {
        db,
        user: user.id,
        email,
        parts,
        _dir: None,
    })
}

pub(crate) fn app_error(e: pursuit_app::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// `n` people spread over 24 zones, each with an application to write about.
async fn people(
    w: &World,
    n: usize,
    tag: &str,
    now: Timestamp,
) -> anyhow::Result<Vec<(ApplicationId, ContactId)>> {
    people_in(w, n, tag, None, now).await
}

/// `n` people in `zone` (none: spread over 24 zones), each with an application.
pub(crate) async fn people_in(
    w: &World,
    n: usize,
    tag: &str,
    zone: Option<&str>,
    now: Timestamp,
) -> anyhow::Result<Vec<(ApplicationId, ContactId)>> {
    let today = now.to_zoned(TimeZone::UTC).date();
    let rows: Vec<(ApplicationId, pursuit_store::applications::ApplicationData)> = (0..n)
        .map(|i| {
            (
                ApplicationId::new(),
                pursuit_store::applications::ApplicationData::new(
                    format!("Company {tag}{i}"),
                    "Data Analyst",
                    today,
                ),
            )
        })
        .collect();
    let refs: Vec<(ApplicationId, &pursuit_store::applications::ApplicationData)> =
        rows.iter().map(|(id, d)| (*id, d)).collect();
    let mut tx = w.db.begin().await?;
    pursuit_app::applications::create_many_in(
        &mut tx,
        w.user,
        &refs,
        pursuit_domain::application::ChangedBy::User,
        false,
        now,
    )
    .await
    .map_err(app_error)?;
    tx.commit().await?;
    let mut out = Vec::with_capacity(n);
    for (i, (application, _)) in rows.iter().enumerate() {
        let person = pursuit_app::contacts::create(
            &w.db,
            w.user,
            &pursuit_app::contacts::PersonInput {
                full_name: Some(format!("Person {tag}{i}")),
                email: Some(Some(format!("person.{tag}{i}@example.net"))),
                time_zone: Some(Some(zone.unwrap_or(ZONES[i % ZONES.len()]).to_owned())),
                ..Default::default()
            },
            now,
        )
        .await
        .map_err(app_error)?;
        out.push((*application, person.row.id));
    }
    Ok(out)
}

pub(crate) async fn template(
    w: &World,
    offsets: &[i64],
    now: Timestamp,
) -> anyhow::Result<SequenceTemplateId> {
    let steps: Vec<StepInput> = offsets
        .iter()
        .enumerate()
        .map(|(i, days)| StepInput {
            label: Some(format!("Step {}", i + 1)),
            offset_days: Some(*days),
            subject: Some(if i == 0 { "{role} at {company}" } else { "Re: {role} at {company}" }.to_owned()),
            body: Some(format!(
                "Hi {{first_name}},\n\nNote {} about the {{role}} role at {{company}}: I would be glad to talk for fifteen minutes whenever suits you.\n\nBest regards,\n{{my_name}}",
                i + 1
            )),
            length_preset: Some("short".to_owned()),
        })
        .collect();
    let made = sequences::create(
        w.parts.services(&w.db),
        Caller {
            id: w.user,
            email: &w.email,
        },
        "Bench cadence",
        Some(&steps),
        now,
    )
    .await
    .map_err(app_error)?;
    Ok(made.row.id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn mailbox(
    w: &World,
    address: &str,
    port: u16,
    cap: i64,
    gap: i64,
    jitter: i64,
    ramp_start: i64,
    ramp_step: i64,
    now: Timestamp,
) -> anyhow::Result<MailboxId> {
    let made = mailboxes::create(
        &w.db,
        &w.parts.secrets,
        LOCAL,
        w.user,
        &MailboxInput {
            from_name: Some("Bench Sender".to_owned()),
            from_address: Some(address.to_owned()),
            smtp_host: Some("127.0.0.1".to_owned()),
            smtp_port: Some(i64::from(port)),
            smtp_security: Some("none".to_owned()),
            daily_cap: Some(cap),
            min_gap_seconds: Some(gap),
            jitter_seconds: Some(jitter),
            ramp_start: Some(ramp_start),
            ramp_step: Some(ramp_step),
            ..Default::default()
        },
        false,
        now,
    )
    .await
    .map_err(app_error)?;
    Ok(made.row.id)
}

pub(crate) async fn campaign(
    w: &World,
    template: SequenceTemplateId,
    mailbox: MailboxId,
    targets: &[(ApplicationId, ContactId)],
    now: Timestamp,
) -> anyhow::Result<CampaignId> {
    let made = campaigns::create(
        &w.db,
        w.user,
        &CampaignInput {
            name: Some("Bench".to_owned()),
            template_id: Some(Some(template)),
            mailbox_id: Some(Some(mailbox)),
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(app_error)?;
    let mut tx = w.db.begin().await?;
    for (application, contact) in targets {
        pursuit_store::outreach::insert_target(
            &mut tx,
            w.user,
            CampaignTargetId::new(),
            made.row.id,
            *application,
            *contact,
            None,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(made.row.id)
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `pursuit-bench launch`.
pub async fn launch(
    targets: usize,
    rounds: usize,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let backend = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let w = world(database_url, "Europe/Berlin").await?;
    let now = Timestamp::now();
    let people = people(&w, targets, "l", now).await?;
    let template = template(&w, &[0, 3, 7, 14], now).await?;
    let mailbox = mailbox(&w, "bench@example.org", 2525, 40, 180, 120, 10, 5, now).await?;
    let mut times = Vec::new();
    for _ in 0..rounds {
        let id = campaign(&w, template, mailbox, &people, now).await?;
        let started = Instant::now();
        let launched = campaigns::launch(&w.db, w.user, id, now)
            .await
            .map_err(app_error)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            launched.emails == targets * 4 && launched.instances == targets,
            "launched {} emails for {} instances",
            launched.emails,
            launched.instances
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "launch on {backend}: {targets} targets x 4 steps ({} emails rendered, planned in 24 zones and written in one transaction), {rounds} rounds: p50 {:.0} ms, max {:.0} ms",
        targets * 4,
        percentile(&times, 0.5),
        times.last().copied().unwrap_or_default()
    );
    Ok(())
}

/// Hands every message to nobody, keeping what a receiving server would have seen.
#[derive(Default)]
pub(crate) struct Recorder {
    handed: Mutex<Vec<Handed>>,
}

struct Handed {
    from: String,
    to: String,
    message_id: String,
    one_click: bool,
    opt_out_line: bool,
}

impl Transport for Recorder {
    async fn send(&self, _smtp: &SmtpSettings, message: &Message) -> Result<String, SendFailure> {
        let text = String::from_utf8_lossy(&message.formatted()).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let header = |name: &str| {
            head.split("\r\n")
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let unsubscribe = header("List-Unsubscribe:");
        let body = body.replace("=\r\n", "");
        self.handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Handed {
                from: header("From:"),
                to: header("To:"),
                message_id: header("Message-ID:"),
                one_click: unsubscribe.contains("<https://")
                    && unsubscribe.contains("<mailto:")
                    && header("List-Unsubscribe-Post:") == "List-Unsubscribe=One-Click",
                opt_out_line: body
                    .contains("If you would rather not hear from me again, open https://"),
            });
        Ok("250 2.0.0 accepted".to_owned())
    }
}

impl Recorder {
    /// The Message-IDs handed over, in order.
    pub(crate) fn message_ids(&self) -> Vec<String> {
        self.handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|h| h.message_id.clone())
            .collect()
    }

    /// The recipients' addresses handed over (without their names), in the same order.
    pub(crate) fn recipients(&self) -> Vec<String> {
        self.handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|h| {
                h.to.rsplit('<')
                    .next()
                    .unwrap_or(&h.to)
                    .trim_end_matches('>')
                    .to_owned()
            })
            .collect()
    }
}

/// A small deterministic generator (xorshift), so a run can be repeated.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn upto(&mut self, most: i64) -> i64 {
        if most <= 0 {
            0
        } else {
            (self.next() % (most as u64 + 1)) as i64
        }
    }
}

/// `pursuit-bench send-sim`.
pub async fn simulate(
    days: i64,
    per_campaign: usize,
    opt_outs: usize,
    database_url: Option<String>,
    seed: u64,
) -> anyhow::Result<()> {
    let backend = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let owner_zone = TimeZone::get("Europe/Berlin")?;
    let w = world(database_url, "Europe/Berlin").await?;
    // Monday 5 January 2026, 06:00 UTC: weekends, evenings and the March DST change ahead.
    let start: Timestamp = "2026-01-05T06:00:00Z".parse()?;
    let boxes = [
        ("new@example.org", 30, 300, 240, 5, 5),
        ("established@example.org", 20, 180, 120, 20, 0),
        ("ramping@example.org", 40, 240, 300, 10, 3),
    ];
    let mut mailbox_ids = Vec::new();
    let mut limits: HashMap<String, (i64, i64, i64, i64, i64)> = HashMap::new();
    for (address, cap, gap, jitter, ramp_start, ramp_step) in boxes {
        mailbox_ids.push(
            mailbox(
                &w, address, 2525, cap, gap, jitter, ramp_start, ramp_step, start,
            )
            .await?,
        );
        limits.insert(
            address.to_owned(),
            (cap, gap, jitter, ramp_start, ramp_step),
        );
    }
    let template = template(&w, &[0, 3, 7, 14], start).await?;
    let mut campaign_ids = Vec::new();
    for c in 0..5 {
        let people = people(&w, per_campaign, &format!("c{c}-"), start).await?;
        let id = campaign(&w, template, mailbox_ids[c % 3], &people, start).await?;
        // Launched a day apart.
        let at = start + SignedDuration::from_hours(24 * c as i64);
        campaign_ids.push((id, at));
    }

    let transport = Recorder::default();
    let sender = Sender {
        db: &w.db,
        secrets: &w.parts.secrets,
        transport: &transport,
        base_url: "https://pursuit.example",
        notification_ttl: SignedDuration::from_hours(24 * 30),
    };
    let mut rng = Rng(seed.max(1));
    let tick = SignedDuration::from_mins(2);
    let steps = days * 24 * 30;
    let opt_out_every = (steps / (opt_outs as i64 + 1)).max(1);
    let mut suppressed: HashMap<String, Timestamp> = HashMap::new();
    let mut sent_at: Vec<Timestamp> = Vec::new();
    let started = Instant::now();
    let mut now = start;
    for step in 0..steps {
        for (id, at) in &campaign_ids {
            if *at == now {
                campaigns::launch(&w.db, w.user, *id, now)
                    .await
                    .map_err(app_error)?;
            }
        }
        if step % opt_out_every == opt_out_every - 1 && suppressed.len() < opt_outs {
            // Someone still to be written to opts out.
            let c = rng.upto(4) as usize;
            let i = rng.upto(per_campaign as i64 - 1);
            let address = format!("person.c{c}-{i}@example.net");
            if let std::collections::hash_map::Entry::Vacant(slot) = suppressed.entry(address) {
                pursuit_app::outreach::suppress(&w.db, w.user, slot.key(), now)
                    .await
                    .map_err(app_error)?;
                slot.insert(now);
            }
        }
        let before = transport
            .handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len();
        let mut pick = |most: i64| rng.upto(most);
        sender.dispatch(now, &mut pick).await.map_err(app_error)?;
        let after = transport
            .handed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len();
        sent_at.extend(std::iter::repeat_n(now, after - before));
        now += tick;
    }
    let elapsed = started.elapsed();

    // Every email as stored: its zone, to check each send against its recipient's window.
    let mut rows = HashMap::new();
    for (id, _) in &campaign_ids {
        for row in pursuit_store::outreach::campaign_outreach(&w.db, w.user, *id).await? {
            rows.insert(row.message_id.clone(), row);
        }
    }
    let (_, settings) = pursuit_store::accounts::zone_and_settings(&w.db, w.user).await?;
    let window = settings.send_window;
    let handed = transport
        .handed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut seen = HashSet::new();
    let (mut duplicates, mut outside, mut to_suppressed, mut headers_ok, mut opt_out_ok) =
        (0, 0, 0, 0, 0);
    let mut per_day: BTreeMap<(String, jiff::civil::Date), i64> = BTreeMap::new();
    let mut last: HashMap<String, Timestamp> = HashMap::new();
    let (mut gap_low, mut gap_high, mut gap_bad, mut gap_short, mut back_to_back) =
        (i64::MAX, 0_i64, 0, 0, 0);
    for (h, at) in handed.iter().zip(&sent_at) {
        if !seen.insert(h.message_id.clone()) {
            duplicates += 1;
        }
        headers_ok += usize::from(h.one_click);
        opt_out_ok += usize::from(h.opt_out_line);
        let address = h
            .from
            .rsplit('<')
            .next()
            .unwrap_or(&h.from)
            .trim_end_matches('>')
            .to_owned();
        let to =
            h.to.rsplit('<')
                .next()
                .unwrap_or(&h.to)
                .trim_end_matches('>')
                .to_lowercase();
        if suppressed.get(&to).is_some_and(|since| since <= at) {
            to_suppressed += 1;
        }
        match rows.get(&h.message_id) {
            Some(row) => {
                let zone = TimeZone::get(&row.time_zone)?;
                let local = at.to_zoned(zone.clone());
                if window.next_open(*at, &zone) != Some(*at) {
                    outside += 1;
                    eprintln!("outside the window: {local} to {to}");
                }
            }
            None => outside += 1,
        }
        let day = at.to_zoned(owner_zone.clone()).date();
        *per_day.entry((address.clone(), day)).or_insert(0) += 1;
        if let Some(previous) = last.get(&address) {
            let gap = at.duration_since(*previous).as_secs();
            let (_, min_gap, jitter, _, _) = limits[&address];
            if gap < min_gap {
                gap_short += 1;
            }
            // An email that was due before the gap ran out waited only on the gap: it
            // must go within the jitter (and the two-minute scan interval) after it.
            // (On the same day: a send the day's cap held waits for the next day.)
            let same_day = previous.to_zoned(owner_zone.clone()).date() == day;
            let waited_on_gap = same_day
                && rows.get(&h.message_id).is_some_and(|row| {
                    row.planned_at <= *previous + SignedDuration::from_secs(min_gap)
                });
            if waited_on_gap {
                back_to_back += 1;
                gap_low = gap_low.min(gap - min_gap);
                gap_high = gap_high.max(gap - min_gap);
                if gap > min_gap + jitter + tick.as_secs() {
                    gap_bad += 1;
                }
            }
        }
        last.insert(address, *at);
    }
    // Caps and ramps: each mailbox's sends per day against its cap on that day.
    let mut over_cap = 0;
    let mut first_day: HashMap<String, jiff::civil::Date> = HashMap::new();
    let mut ramp_rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ((address, day), n) in &per_day {
        let first = *first_day.entry(address.clone()).or_insert(*day);
        let (cap, _, _, ramp_start, ramp_step) = limits[address];
        let days_in = (*day - first).get_days() as i64;
        let allowed = (ramp_start + ramp_step * days_in).min(cap);
        if *n > allowed {
            over_cap += 1;
            eprintln!("{address} sent {n} on {day} (allowed {allowed})");
        }
        let row = ramp_rows.entry(address.clone()).or_default();
        if row.len() < 8 {
            row.push(format!("{n}/{allowed}"));
        }
    }
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows.values() {
        *statuses.entry(row.status.clone()).or_insert(0) += 1;
    }
    println!(
        "send-sim on {backend}: {days} simulated days ({steps} scans, one every 2 min), 3 mailboxes, 5 campaigns x {per_campaign} people x 4 steps over 24 zones; {:.1} s",
        elapsed.as_secs_f64()
    );
    println!(
        "  messages handed over: {}; emails by status at the end: {statuses:?}",
        handed.len()
    );
    println!(
        "  sends over a day's cap or ramp: {over_cap}; outside the recipient's window: {outside}; Message-IDs handed over twice: {duplicates}"
    );
    println!(
        "  gaps: {gap_short} shorter than the mailbox's minimum; of the {back_to_back} sends that waited only on the gap (due before it ran out, same day), {gap_bad} came later than minimum + jitter + the 2-min scan; they came at minimum + {}..{} s",
        if gap_low == i64::MAX { 0 } else { gap_low },
        gap_high
    );
    for (address, row) in &ramp_rows {
        let (cap, _, _, start, step) = limits[address];
        println!(
            "  {address}: its first 8 sending days, sent/allowed: {} (ramp {start} + {step} a day, cap {cap})",
            row.join(", ")
        );
    }
    println!(
        "  RFC 8058 headers (https + mailto, One-Click): {headers_ok}/{}; visible opt-out line: {opt_out_ok}/{}",
        handed.len(),
        handed.len()
    );
    println!(
        "  opt-outs during the run: {}; sends to an address after it opted out: {to_suppressed}",
        suppressed.len()
    );
    Ok(())
}

/// The bench's SMTP servers are on this machine.
pub(crate) const LOCAL: pursuit_domain::net::AddressPolicy = pursuit_domain::net::AddressPolicy {
    allow_private: true,
};

/// `pursuit-bench sender`: one fresh connection per message, as the sender sends.
pub async fn sender(port: u16, messages: usize, concurrency: usize) -> anyhow::Result<()> {
    let smtp = SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        security: pursuit_mail::SmtpSecurity::None,
        username: None,
        password: None,
        timeout: std::time::Duration::from_secs(30),
    };
    pursuit_mail::outreach::verify(&smtp, LOCAL)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let per = messages.div_ceil(concurrency.max(1));
    for worker in 0..concurrency.max(1) {
        let smtp = smtp.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            for i in 0..per {
                let message = pursuit_mail::outreach::build(&Outgoing {
                    from_name: "Bench Sender".to_owned(),
                    from_address: "bench@example.org".to_owned(),
                    to_name: format!("Person {worker}-{i}"),
                    to_address: format!("person.{worker}.{i}@example.net"),
                    subject: "Data Analyst at Example".to_owned(),
                    text: "Hi,\n\nA short note about the role.\n\nBest regards,\nBench".to_owned(),
                    message_id: format!("<{}@example.org>", uuid::Uuid::new_v4().simple()),
                    unsubscribe_url: Some("https://pursuit.example/u/token".to_owned()),
                    unsubscribe_mailto: Some(
                        "mailto:bench@example.org?subject=unsubscribe".to_owned(),
                    ),
                    ..Outgoing::default()
                })
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                let one = Instant::now();
                pursuit_mail::outreach::send_once(&smtp, &message, LOCAL)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                latencies.push(one.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "sender: {} messages to 127.0.0.1:{port}, {} at once, a fresh SMTP connection each: {:.0} messages/s; per message p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        concurrency,
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    Ok(())
}

/// `pursuit-bench send-chaos`: a sender process killed with SIGKILL at random moments while
/// it sends through a real SMTP server, `kills` times, then left to finish. Every Message-ID
/// the server received is counted against what the database says of its email.
pub async fn chaos(
    kills: usize,
    people: usize,
    port: u16,
    maildir: &std::path::Path,
    seed: u64,
) -> anyhow::Result<()> {
    let w = world(None, "UTC").await?;
    let db_path = w.dir().join("outreach.db");
    let start: Timestamp = "2026-01-05T06:00:00Z".parse()?;
    // Always open: the kills, not the window, decide when sends happen.
    let mut settings = pursuit_store::accounts::get_settings(&w.db, w.user).await?;
    settings.send_window = pursuit_domain::schedule::SendWindow::validate(
        pursuit_domain::schedule::DailyWindow {
            start: pursuit_domain::schedule::LocalTime::parse("00:00")
                .map_err(|e| anyhow::anyhow!(e.0))?,
            end: pursuit_domain::schedule::LocalTime::parse("23:59")
                .map_err(|e| anyhow::anyhow!(e.0))?,
        },
        [
            jiff::civil::Weekday::Monday,
            jiff::civil::Weekday::Tuesday,
            jiff::civil::Weekday::Wednesday,
            jiff::civil::Weekday::Thursday,
            jiff::civil::Weekday::Friday,
            jiff::civil::Weekday::Saturday,
            jiff::civil::Weekday::Sunday,
        ]
        .to_vec(),
    )
    .map_err(|e| anyhow::anyhow!(e.0))?;
    pursuit_store::accounts::update_settings(&w.db, w.user, &settings, start).await?;
    let everyone = self::people(&w, people, "k", start).await?;
    let template = template(&w, &[0], start).await?;
    let per_box = everyone.len().div_ceil(4);
    for (i, chunk) in everyone.chunks(per_box).enumerate() {
        let address = format!("box{i}@example.org");
        let mailbox = mailbox(&w, &address, port, 500, 60, 0, 500, 0, start).await?;
        let id = campaign(&w, template, mailbox, chunk, start).await?;
        campaigns::launch(&w.db, w.user, id, start)
            .await
            .map_err(app_error)?;
    }
    let clock = w.dir().join("clock");
    std::fs::write(&clock, start.to_string())?;
    let exe = std::env::current_exe()?;
    let child = |db: &std::path::Path, clock: &std::path::Path| {
        std::process::Command::new(&exe)
            .args(["send-chaos-child", "--db"])
            .arg(db)
            .arg("--clock")
            .arg(clock)
            .arg("--user")
            .arg(w.user.0.to_string())
            .stdout(std::process::Stdio::null())
            .spawn()
    };
    let mut rng = Rng(seed.max(1));
    let started = Instant::now();
    for _ in 0..kills {
        let mut process = child(&db_path, &clock)?;
        let wait = 30 + rng.upto(400) as u64;
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = process.kill(); // SIGKILL
        process.wait()?;
    }
    // Left alone, the sender finishes (and turns what a kill left `sending` into `unknown`).
    let status = child(&db_path, &clock)?.wait()?;
    anyhow::ensure!(status.success(), "the last sender failed: {status}");
    let elapsed = started.elapsed();

    let mut received: HashMap<String, usize> = HashMap::new();
    for folder in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(maildir.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if let Some(id) = text.lines().find_map(|l| l.strip_prefix("Message-ID: ")) {
                *received.entry(id.trim().to_owned()).or_insert(0) += 1;
            }
        }
    }
    let mut rows = Vec::new();
    for c in pursuit_store::outreach::list_campaigns(&w.db, w.user, 100).await? {
        rows.extend(pursuit_store::outreach::campaign_outreach(&w.db, w.user, c.id).await?);
    }
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let (mut duplicates, mut lost, mut unknown_arrived, mut unknown_not) = (0, 0, 0, 0);
    for row in &rows {
        *statuses.entry(row.status.clone()).or_insert(0) += 1;
        let got = received.get(&row.message_id).copied().unwrap_or(0);
        if got > 1 {
            duplicates += 1;
        }
        match row.status.as_str() {
            "sent" if got == 0 => lost += 1,
            "sent" => {}
            "unknown" if got > 0 => unknown_arrived += 1,
            "unknown" => unknown_not += 1,
            // Planned, failed, cancelled: the server must not have it.
            _ if got > 0 => lost += 1,
            _ => {}
        }
    }
    println!(
        "send-chaos: {kills} SIGKILLs of a sender process at random moments (30-430 ms after start) over {} emails from 4 mailboxes to 127.0.0.1:{port}; {:.1} s",
        rows.len(),
        elapsed.as_secs_f64()
    );
    println!("  emails by status at the end: {statuses:?}");
    println!(
        "  Message-IDs the server accepted twice: {duplicates}; emails lost without a trace (sent but not received, or received but recorded as not sent): {lost}"
    );
    println!(
        "  marked unknown for the user to settle: {} ({unknown_arrived} had reached the server, {unknown_not} had not)",
        unknown_arrived + unknown_not
    );
    Ok(())
}

/// The sender process `chaos` kills: scans with a clock kept in a file (a minute on per
/// scan) until nothing is planned or being sent.
pub async fn chaos_child(
    db: &std::path::Path,
    clock: &std::path::Path,
    user: &str,
) -> anyhow::Result<()> {
    let db = Db::open_sqlite(db, &ConnectOptions::default()).await?;
    let user = UserId(user.parse()?);
    let secrets = pursuit_app::secrets::SecretBox::ephemeral();
    let transport = pursuit_app::outreach::Smtp { hosts: LOCAL };
    let sender = Sender {
        db: &db,
        secrets: &secrets,
        transport: &transport,
        base_url: "https://pursuit.example",
        notification_ttl: SignedDuration::from_hours(24),
    };
    loop {
        let now: Timestamp = std::fs::read_to_string(clock)?.trim().parse()?;
        sender.dispatch(now, &mut |_| 0).await.map_err(app_error)?;
        std::fs::write(clock, (now + SignedDuration::from_secs(61)).to_string())?;
        let mut pending = false;
        for c in pursuit_store::outreach::list_campaigns(&db, user, 100).await? {
            pending |= pursuit_store::outreach::campaign_outreach(&db, user, c.id)
                .await?
                .iter()
                .any(|r| r.status == "planned" || r.status == "sending");
        }
        if !pending {
            return Ok(());
        }
    }
}
