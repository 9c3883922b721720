//! Reminder delivery figures.
//!
//! - `reminders`: many reminders due in the same minute, delivered by a real `pursuit worker`
//!   process (its own per-minute dispatch, its default queues) through a real SMTP server
//!   (aiosmtpd, `scripts/smtp_log.py`) that logs when it accepted each message: time until
//!   the last is accepted, how many were late (> 60 s after the due time), duplicated or
//!   missing.
//! - `quiet-hours`: 24 simulated hours on a manual clock, users in many zones with many
//!   quiet-hour windows, reminders spread over the day: how many were delivered inside the
//!   recipient's quiet hours (must be none) and how long deferred ones waited.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_domain::application::ChangedBy;
use pursuit_domain::ids::{ApplicationId, ReminderId, UserId};
use pursuit_domain::settings::ReminderChannel;
use pursuit_store::applications::{self, ApplicationData};
use pursuit_store::reminders::{self, NewReminder};
use pursuit_store::{ConnectOptions, Db, accounts, query};
use tokio::io::{AsyncBufReadExt, BufReader};

fn application(n: usize) -> ApplicationData {
    ApplicationData {
        status: pursuit_domain::application::ApplicationStatus::Saved,
        source: "Referral".to_owned(),
        ..ApplicationData::new(
            format!("Bench Co {n}"),
            "Engineer",
            Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date(),
        )
    }
}

async fn open(database_url: Option<&str>, dir: &std::path::Path) -> anyhow::Result<Db> {
    let options = ConnectOptions {
        max_connections: 4,
        ..ConnectOptions::default()
    };
    let db = match database_url {
        Some(url) => Db::connect(url, &options).await?,
        None => Db::open_sqlite(&dir.join("pursuit.db"), &options).await?,
    };
    pursuit_store::migrate::run(&db, "bench").await?;
    Ok(db)
}

/// A user in `zone` with one application and a reminder at each of `due` (titles
/// `Bench reminder <user>-<i>`).
async fn seed_user(db: &Db, n: usize, zone: &str, due: &[Timestamp]) -> anyhow::Result<UserId> {
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let email =
        EmailAddress::parse(&format!("bench{n}@example.org")).map_err(|e| anyhow::anyhow!(e.0))?;
    let new = accounts::NewUser {
        email,
        display_name: None,
        time_zone: TimeZoneName::parse(zone).map_err(|e| anyhow::anyhow!(e.0))?,
        is_owner: false,
    };
    let user = accounts::insert_user(&mut tx, &new, now).await?;
    let id = ApplicationId::new();
    let data = application(n);
    applications::insert_applications(&mut tx, user.id, &[(id, &data)], ChangedBy::Import, now)
        .await?;
    for (i, at) in due.iter().enumerate() {
        let reminder = NewReminder {
            application_id: Some(id),
            activity_id: None,
            title: format!("Bench reminder {n}-{i}"),
            due_at: *at,
            channels: vec![ReminderChannel::InApp, ReminderChannel::Email],
            dedupe_key: None,
            rule: None,
            meta: None,
        };
        reminders::insert_reminder(&mut tx, user.id, ReminderId::new(), &reminder, now).await?;
    }
    tx.commit().await?;
    Ok(user.id)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub async fn burst(
    binary: &std::path::Path,
    users: usize,
    per_user: usize,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open(database_url.as_deref(), dir.path()).await?;
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let total = users * per_user;
    // Due at the start of a minute 2–3 minutes away: the worker's per-minute scan has
    // to find them first, as in production.
    let now = Timestamp::now();
    let due = Timestamp::from_second(now.as_second() - now.as_second() % 60 + 180)?;
    println!(
        "pursuit-bench reminders ({backend}): {total} reminders ({users} users × {per_user}) all due at {due}"
    );
    let seeding = Instant::now();
    for n in 0..users {
        seed_user(&db, n, "UTC", &vec![due; per_user]).await?;
    }
    println!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let log = dir.path().join("smtp.log");
    std::fs::write(&log, "")?;
    let port = free_port()?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/smtp_log.py");
    let mut smtp = tokio::process::Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let mut ready = BufReader::new(
        smtp.stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?,
    )
    .lines();
    ready
        .next_line()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the SMTP server did not start (is aiosmtpd installed?)"))?;

    let mut command = tokio::process::Command::new(binary);
    command
        .arg("worker")
        .arg("--data-dir")
        .arg(dir.path())
        .env("PURSUIT_MAIL__SMTP_HOST", "127.0.0.1")
        .env("PURSUIT_MAIL__SMTP_PORT", port.to_string())
        .env("PURSUIT_MAIL__SMTP_SECURITY", "none")
        .env("PURSUIT_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    if let Some(url) = &database_url {
        command.env("DATABASE_URL", url);
    }
    let mut worker = command.spawn()?;

    let deadline = due + SignedDuration::from_secs(300);
    let lines = loop {
        let text = std::fs::read_to_string(&log)?;
        let count = text.lines().count();
        if count >= total || Timestamp::now() > deadline {
            // A moment more, so that a late duplicate would be counted too.
            tokio::time::sleep(Duration::from_secs(5)).await;
            break std::fs::read_to_string(&log)?;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    worker.start_kill()?;
    worker.wait().await?;
    smtp.start_kill()?;

    let due_secs = due.as_millisecond() as f64 / 1000.0;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut lateness = Vec::new();
    for line in lines.lines() {
        let mut fields = line.split('\t');
        let (Some(at), Some(_to), Some(subject)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        *seen.entry(subject.to_owned()).or_default() += 1;
        lateness.push(at.parse::<f64>()? - due_secs);
    }
    lateness.sort_by(f64::total_cmp);
    let duplicates: usize = seen.values().map(|n| n.saturating_sub(1)).sum();
    let late = lateness.iter().filter(|l| **l > 60.0).count();
    let early = lateness.iter().filter(|l| **l < 0.0).count();
    let sent: i64 = db
        .fetch_one(query(
            "SELECT count(*) AS n FROM reminders WHERE delivery = 'sent'",
        ))
        .await?
        .get("n")?;
    let notifications: i64 = db
        .fetch_one(query("SELECT count(*) AS n FROM notifications"))
        .await?
        .get("n")?;
    println!(
        "accepted by the SMTP server: {} of {total} ({} distinct)",
        lateness.len(),
        seen.len()
    );
    println!(
        "after the due time: first {:.2} s, p50 {:.2} s, p99 {:.2} s, last {:.2} s",
        lateness.first().copied().unwrap_or(f64::NAN),
        percentile(&lateness, 50.0),
        percentile(&lateness, 99.0),
        lateness.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "late (> 60 s): {late}; early: {early}; duplicated: {duplicates}; missing: {}",
        total.saturating_sub(seen.len())
    );
    println!("reminders marked sent: {sent}; in-app notifications: {notifications}");
    Ok(())
}

/// Zones with and without DST, either side of UTC, and a half-hour offset.
const ZONES: [&str; 8] = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
];
/// Quiet hours, across midnight or not.
const WINDOWS: [(&str, &str); 6] = [
    ("22:00", "07:00"),
    ("21:30", "08:15"),
    ("00:00", "06:00"),
    ("13:00", "14:00"),
    ("23:00", "23:30"),
    ("18:00", "09:00"),
];

/// A small deterministic generator (so runs are comparable).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

pub async fn quiet_hours(
    users: usize,
    per_user: usize,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    use pursuit_worker::{JobSettings, ManualClock, Registry, Worker, WorkerConfig};
    let dir = tempfile::tempdir()?;
    let db = open(database_url.as_deref(), dir.path()).await?;
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    // Tomorrow at 00:00 UTC, and the 24 hours after it, minute by minute.
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let start = today
        .tomorrow()?
        .to_zoned(jiff::tz::TimeZone::UTC)?
        .timestamp();
    println!(
        "pursuit-bench quiet-hours ({backend}): {users} users × {per_user} reminders over 24 simulated hours from {start}"
    );
    let mut random = Lcg(42);
    let mut windows = HashMap::new();
    for n in 0..users {
        let zone = ZONES[n % ZONES.len()];
        let window = WINDOWS[(n / ZONES.len()) % WINDOWS.len()];
        let due: Vec<Timestamp> = (0..per_user)
            .map(|_| start + SignedDuration::from_mins(random.next(24 * 60) as i64))
            .collect();
        let user = seed_user(&db, n, zone, &due).await?;
        db.execute(
            query("UPDATE user_settings SET quiet_hours_start = $2, quiet_hours_end = $3 WHERE user_id = $1")
                .bind(user)
                .bind(window.0)
                .bind(window.1),
        )
        .await?;
        windows.insert(user.0, (zone, window));
    }
    let clock = ManualClock::new(start);
    let mailer = pursuit_mail::Mailer::outbox("bench@example.org", &dir.path().join("outbox"))?;
    let worker = Worker::new(
        db.clone(),
        mailer,
        Registry::standard(),
        WorkerConfig {
            settings: JobSettings::default(),
            ..WorkerConfig::default()
        },
    )
    .with_clock(Arc::new(clock.clone()));
    let began = Instant::now();
    // The day, then as long again as the longest window, for the last deferrals.
    for minute in 0..=(24 + 15) * 60 {
        let now = start + SignedDuration::from_mins(minute);
        clock.set(now);
        pursuit_app::reminders::dispatch(&db, now).await?;
        worker.drain().await?;
    }
    let rows = db
        .fetch_all(query(
            "SELECT r.user_id, r.due_at, r.sent_at, r.delivery, n.created_at AS notified_at \
             FROM reminders r LEFT JOIN notifications n ON n.reminder_id = r.id",
        ))
        .await?;
    let (mut sent, mut inside, mut deferred, mut other, mut due_inside) = (0, 0, 0, 0, 0);
    let mut waits = Vec::new();
    for row in &rows {
        let user: uuid::Uuid = row.get("user_id")?;
        let delivery: String = row.get("delivery")?;
        let due: Timestamp = row.get("due_at")?;
        let sent_at: Option<Timestamp> = row.get("sent_at")?;
        let notified: Option<Timestamp> = row.get("notified_at")?;
        let (Some(sent_at), "sent") = (sent_at, delivery.as_str()) else {
            other += 1;
            continue;
        };
        sent += 1;
        let (zone, (from, to)) = windows[&user];
        let zone = jiff::tz::TimeZone::get(zone)?;
        let (from, to): (jiff::civil::Time, jiff::civil::Time) = (from.parse()?, to.parse()?);
        let quiet = |at: Timestamp| {
            let local = at.to_zoned(zone.clone()).time();
            if from <= to {
                from <= local && local < to
            } else {
                local >= from || local < to
            }
        };
        // The same test on the due times shows it is not vacuous.
        if quiet(due) {
            due_inside += 1;
        }
        inside += [Some(sent_at), notified]
            .into_iter()
            .flatten()
            .filter(|at| quiet(*at))
            .count();
        if sent_at > due {
            deferred += 1;
            waits.push(sent_at.duration_since(due).as_secs_f64() / 3600.0);
        }
    }
    waits.sort_by(f64::total_cmp);
    let mails = std::fs::read_dir(dir.path().join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0);
    println!(
        "simulated {} minutes in {:.1} s",
        (24 + 15) * 60,
        began.elapsed().as_secs_f64()
    );
    println!(
        "delivered {sent} of {} (not delivered: {other}); mails written: {mails}",
        rows.len()
    );
    println!("reminders due inside the recipient's quiet hours: {due_inside}");
    println!("deliveries (mail or in-app) inside the recipient's quiet hours: {inside}");
    println!(
        "deferred to the end of quiet hours: {deferred}; wait p50 {:.2} h, max {:.2} h",
        percentile(&waits, 50.0),
        waits.last().copied().unwrap_or(0.0)
    );
    Ok(())
}
