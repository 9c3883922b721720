//! `pursuit-bench tracker`: latency of the tracker API at a fixed request rate with many
//! users, and of the analytics endpoints on one account with thousands of applications.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_domain::application::{ApplicationStatus, ChangedBy, Priority, SalaryRange};
use pursuit_domain::ids::ApplicationId;
use pursuit_store::applications::{self, ApplicationData};
use pursuit_store::{ConnectOptions, Db, accounts};
use tokio::io::{AsyncBufReadExt, BufReader};

const STATUSES: [ApplicationStatus; 6] = [
    ApplicationStatus::Applied,
    ApplicationStatus::Screening,
    ApplicationStatus::TechScreen,
    ApplicationStatus::InterviewLoop,
    ApplicationStatus::Rejected,
    ApplicationStatus::Offer,
];

/// The `i`th benchmark application (also the start of `floor`'s).
pub(crate) fn data(i: usize) -> ApplicationData {
    let role = if i.is_multiple_of(2) {
        "Backend Engineer"
    } else {
        "Data Engineer"
    };
    ApplicationData {
        status: STATUSES[i % STATUSES.len()],
        source: ["LinkedIn", "Referral", "Job_Board"][i % 3].to_owned(),
        priority: Priority::Medium,
        salary: SalaryRange {
            min: Some(50_000 + (i as i64 % 50) * 1000),
            max: None,
            currency: Some("EUR".to_owned()),
        },
        tech_keywords: vec!["Rust".to_owned()],
        notes: Some("benchmark".to_owned()),
        tags: vec![["rust", "go", "python"][i % 3].to_owned()],
        ..ApplicationData::new(
            format!("Company {i}"),
            role,
            Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date(),
        )
    }
}

/// Creates a user with `count` applications; returns their API token and application ids.
async fn seed_user(
    db: &Db,
    n: usize,
    count: usize,
) -> anyhow::Result<(String, Vec<ApplicationId>)> {
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let email =
        EmailAddress::parse(&format!("bench{n}@example.org")).map_err(|e| anyhow::anyhow!(e.0))?;
    let new = accounts::NewUser {
        email,
        display_name: None,
        time_zone: TimeZoneName::utc(),
        is_owner: false,
    };
    let user = accounts::insert_user(&mut tx, &new, now).await?;
    let (_, token) = accounts::create_api_token(&mut tx, user.id, "bench", None, now).await?;
    let ids: Vec<ApplicationId> = (0..count).map(|_| ApplicationId::new()).collect();
    let rows: Vec<ApplicationData> = (0..count).map(data).collect();
    let new: Vec<(ApplicationId, &ApplicationData)> = ids.iter().copied().zip(&rows).collect();
    applications::insert_applications(&mut tx, user.id, &new, ChangedBy::Import, now).await?;
    tx.commit().await?;
    Ok((token, ids))
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}

/// Starts `command` (a `pursuit` binary, its log settings done) as `serve` (with its
/// worker when `worker`, else `--no-worker`) on a free port with `data_dir` (and
/// `database_url`), and returns it with the address it printed.
pub(crate) async fn spawn_serve(
    mut command: tokio::process::Command,
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    worker: bool,
) -> anyhow::Result<(tokio::process::Child, String)> {
    command.arg("serve");
    if !worker {
        command.arg("--no-worker");
    }
    command
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let mut server = command.spawn()?;
    let stdout = server
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let line = BufReader::new(stdout)
        .lines()
        .next_line()
        .await?
        .unwrap_or_default();
    let base = line.rsplit(' ').next().unwrap_or_default().to_owned();
    if !base.starts_with("http://") {
        anyhow::bail!("pursuit serve did not print its address: {line:?}");
    }
    Ok((server, base))
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    binary: &std::path::Path,
    users: usize,
    per_user: usize,
    rate: u64,
    run_for: Duration,
    analytics_count: usize,
    database_url: Option<String>,
    chromedriver: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let options = ConnectOptions {
        max_connections: 4,
        ..ConnectOptions::default()
    };
    let db = match &database_url {
        Some(url) => Db::connect(url, &options).await?,
        None => Db::open_sqlite(&dir.path().join("pursuit.db"), &options).await?,
    };
    pursuit_store::migrate::run(&db, "bench").await?;
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "pursuit-bench tracker ({backend}): {users} users × {per_user} applications, {rate} requests/s for {}s",
        run_for.as_secs()
    );
    let seeding = Instant::now();
    let mut accounts_seeded = Vec::with_capacity(users);
    for n in 0..users {
        accounts_seeded.push(seed_user(&db, n, per_user).await?);
    }
    let (big_token, _) = seed_user(&db, users, analytics_count).await?;
    println!(
        "seeded {} applications in {:.1} s",
        users * per_user + analytics_count,
        seeding.elapsed().as_secs_f64()
    );
    // A browser session for the big account, to time the board page.
    let big_email = EmailAddress::parse(&format!("bench{users}@example.org"))
        .map_err(|e| anyhow::anyhow!(e.0))?;
    let big_user = accounts::find_user_by_email(&db, &big_email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the seeded user is missing"))?;
    let cookie = pursuit_store::secret::generate("");
    accounts::insert_session(
        &db,
        &accounts::NewSession {
            id_hash: &pursuit_store::secret::hash(&cookie),
            user_id: big_user.id,
            csrf_token: &pursuit_store::secret::generate(""),
            user_agent: None,
            ip: None,
        },
        Timestamp::now(),
    )
    .await?;
    db.close().await;
    // Let the kernel write the seeded pages out first: otherwise their writeback competes
    // with the measured requests' fsyncs and the figures measure the seeding.
    let _ = tokio::process::Command::new("sync").status().await;

    let mut command = tokio::process::Command::new(binary);
    command
        .env("PURSUIT_LOG_LEVEL", "warn")
        .stderr(Stdio::inherit());
    let (mut server, base) =
        spawn_serve(command, dir.path(), database_url.as_deref(), false).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;

    let latencies: Arc<Mutex<HashMap<&'static str, Vec<f64>>>> = Arc::default();
    let versions: Arc<Mutex<HashMap<ApplicationId, i64>>> = Arc::default();
    let conflicts = Arc::new(Mutex::new(0_u64));
    let errors = Arc::new(Mutex::new(0_u64));
    let accounts_seeded = Arc::new(accounts_seeded);
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let mut tick = tokio::time::interval(interval);
    let mut handles = Vec::new();
    let mut n: u64 = 0;
    while started.elapsed() < run_for {
        tick.tick().await;
        n += 1;
        let (client, base, accounts_seeded) =
            (client.clone(), base.clone(), Arc::clone(&accounts_seeded));
        let (latencies, versions, conflicts, errors) = (
            Arc::clone(&latencies),
            Arc::clone(&versions),
            Arc::clone(&conflicts),
            Arc::clone(&errors),
        );
        handles.push(tokio::spawn(async move {
            let (token, ids) = &accounts_seeded[(n as usize * 7919) % accounts_seeded.len()];
            let id = ids[(n as usize * 104_729) % ids.len()];
            let (kind, request) = match n % 4 {
                0 => (
                    "list",
                    client.get(format!(
                        "{base}/api/v1/applications?status=Applied,Screening&tag=rust&limit=50"
                    )),
                ),
                1 => (
                    "get",
                    client.get(format!("{base}/api/v1/applications/{id}")),
                ),
                2 => (
                    "create",
                    client
                        .post(format!("{base}/api/v1/applications"))
                        .json(&serde_json::json!({"company": "New Co", "role_title": "Engineer"})),
                ),
                _ => {
                    let version = *versions
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .get(&id)
                        .unwrap_or(&1);
                    (
                        "patch",
                        client
                            .patch(format!("{base}/api/v1/applications/{id}"))
                            .header("if-match", format!("W/\"{version}\""))
                            .json(&serde_json::json!({"notes": format!("n{n}")})),
                    )
                }
            };
            let sent = Instant::now();
            match request.bearer_auth(token).send().await {
                Ok(response) => {
                    let status = response.status();
                    let body = response.bytes().await.unwrap_or_default();
                    let took = sent.elapsed().as_secs_f64() * 1000.0;
                    if kind == "patch"
                        && status == 200
                        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body)
                        && let Some(v) = value["version"].as_i64()
                    {
                        versions
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .insert(id, v);
                    }
                    if status == 409 {
                        *conflicts
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
                    } else if !status.is_success() {
                        *errors
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
                    }
                    latencies
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .entry(kind)
                        .or_default()
                        .push(took);
                }
                Err(_) => {
                    *errors
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) += 1
                }
            }
        }));
    }
    for handle in handles {
        handle.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = latencies
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    for kind in ["list", "get", "create", "patch"] {
        let samples = latencies.entry(kind).or_default();
        samples.sort_by(f64::total_cmp);
        println!(
            "{kind:<6} {:>6} requests ({:.0}/s): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            samples.len(),
            samples.len() as f64 / elapsed,
            percentile(samples, 50.0),
            percentile(samples, 99.0),
            samples.last().copied().unwrap_or_default()
        );
    }
    println!(
        "patch version conflicts (two requests on one application at once): {}, errors: {}",
        conflicts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    );

    // Analytics, sequentially, on the account with `analytics_count` applications.
    let year_ago = (Timestamp::now() - jiff::SignedDuration::from_hours(24 * 365))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    for endpoint in [
        "summary",
        "trends",
        "source-breakdown",
        "stage-conversion",
        "time-in-stage",
    ] {
        let mut samples = Vec::new();
        for _ in 0..20 {
            let sent = Instant::now();
            let response = client
                .get(format!(
                    "{base}/api/v1/analytics/{endpoint}?from={year_ago}"
                ))
                .bearer_auth(&big_token)
                .send()
                .await?;
            let _ = response.bytes().await?;
            samples.push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "analytics/{endpoint:<16} ({analytics_count} applications, 20 runs): p50 {:.1} ms, p99 {:.1} ms",
            percentile(&samples, 50.0),
            percentile(&samples, 99.0)
        );
    }
    // The board page (server-rendered HTML of every live application), sequentially.
    let mut samples = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let sent = Instant::now();
        let response = client
            .get(format!("{base}/board"))
            .header("cookie", format!("pursuit_session={cookie}"))
            .send()
            .await?;
        if !response.status().is_success() {
            anyhow::bail!("GET /board answered {}", response.status());
        }
        size = response.bytes().await?.len();
        samples.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "GET /board ({analytics_count} applications, {} KiB of HTML, 20 runs): p50 {:.1} ms, p99 {:.1} ms",
        size / 1024,
        percentile(&samples, 50.0),
        percentile(&samples, 99.0)
    );
    if let Some(driver) = chromedriver {
        crate::browser::time_board(&driver, &base, &cookie, analytics_count).await?;
    }
    server.start_kill()?;
    Ok(())
}
