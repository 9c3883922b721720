//! `pursuit-bench floor`: the tracker's routes against the floor of this machine, measured
//! alternately in one run so both see the same noise.
//!
//! The floor is a server in this process doing the least each kind of request needs: a bare
//! axum handler, one indexed read of an application row (its own connections, the same
//! database), and one durable one-row commit (the same database, a scratch table). Pursuit is
//! the built binary (`pursuit serve`) on one account with many applications and tags. Each
//! round measures every target for the same time with the same number of connections
//! (closed loop), then the figures are the median round, and Pursuit's throughput is given
//! as a fraction of its floor. A last phase sends a fixed rate of mixed tracker requests and
//! prints p50/p99 per route.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::routing::{get, post};
use jiff::Timestamp;
use pursuit_domain::application::ChangedBy;
use pursuit_domain::ids::ApplicationId;
use pursuit_store::applications::{self, ApplicationData};
use pursuit_store::{ConnectOptions, accounts};

/// What the run is told.
pub struct Options {
    pub binary: std::path::PathBuf,
    pub applications: usize,
    pub connections: usize,
    pub seconds: u64,
    pub rounds: usize,
    pub rate: u64,
    pub database_url: Option<String>,
    /// Only the pairs whose Pursuit route's name holds this (case-insensitive).
    pub only: Option<String>,
}

const TAGS: [&str; 12] = [
    "rust", "go", "python", "remote", "berlin", "referral", "startup", "fintech", "senior",
    "backend", "data", "platform",
];

/// Four tags of a dozen, each in one application of three.
fn tags(i: usize) -> Vec<String> {
    (0..4)
        .map(|k| TAGS[(i + k * 5) % TAGS.len()].to_owned())
        .collect()
}

fn application(i: usize) -> ApplicationData {
    ApplicationData {
        notes: Some("floor benchmark".to_owned()),
        // Four tags each, from a dozen: thousands of tag rows per tag.
        tags: tags(i),
        ..crate::tracker::data(i)
    }
}

/// The floor's own connections to the same database, as lean as each driver makes them:
/// on SQLite `rusqlite` connections used on tokio's blocking threads (one hand-off each way
/// per statement), on PostgreSQL an sqlx pool.
#[derive(Clone)]
enum FloorDb {
    Sqlite(Arc<std::sync::Mutex<Vec<rusqlite::Connection>>>),
    Postgres(sqlx::PgPool),
}

/// Runs `work` on one of the floor's SQLite connections on a blocking thread.
async fn on_sqlite<T: Send + 'static>(
    connections: &Arc<std::sync::Mutex<Vec<rusqlite::Connection>>>,
    work: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
) -> Option<T> {
    let connections = Arc::clone(connections);
    tokio::task::spawn_blocking(move || {
        let lock = || {
            connections
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let conn = lock().pop()?;
        let result = work(&conn).ok();
        lock().push(conn);
        result
    })
    .await
    .ok()
    .flatten()
}

#[derive(Clone)]
struct Floor {
    db: FloorDb,
    counter: Arc<AtomicU64>,
}

async fn bare() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok"}))
}

async fn read(State(floor): State<Floor>, Path(id): Path<uuid::Uuid>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let sql = "SELECT company, role_title, status, version FROM applications WHERE id = $1";
    let row: Option<(String, String, String, i64)> = match &floor.db {
        FloorDb::Sqlite(connections) => on_sqlite(connections, move |conn| {
            use rusqlite::OptionalExtension;
            conn.prepare_cached(sql)?
                .query_row([id.hyphenated().to_string()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()
        })
        .await
        .flatten(),
        FloorDb::Postgres(pool) => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(pool)
            .await
            .ok()
            .flatten(),
    };
    match row {
        Some((company, role, status, version)) => axum::Json(serde_json::json!({
            "company": company, "role_title": role, "status": status, "version": version,
        }))
        .into_response(),
        _ => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

async fn commit(State(floor): State<Floor>) -> axum::http::StatusCode {
    let n = floor.counter.fetch_add(1, Ordering::Relaxed) as i64;
    let sql = "INSERT INTO floor_commits (n, note) VALUES ($1, $2)";
    let done = match &floor.db {
        FloorDb::Sqlite(connections) => on_sqlite(connections, move |conn| {
            conn.prepare_cached(sql)?
                .execute(rusqlite::params![n, "a row"])
                .map(|_| ())
        })
        .await
        .is_some(),
        FloorDb::Postgres(pool) => sqlx::query(sql)
            .bind(n)
            .bind("a row")
            .execute(pool)
            .await
            .is_ok(),
    };
    if done {
        axum::http::StatusCode::CREATED
    } else {
        axum::http::StatusCode::INTERNAL_SERVER_ERROR
    }
}

/// One kind of request against one server.
#[derive(Clone)]
struct Target {
    name: &'static str,
    base: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bare,
    FloorRead,
    FloorCommit,
    Health,
    Get,
    List,
    Patch,
    Post,
}

struct Shared {
    client: reqwest::Client,
    token: String,
    ids: Vec<ApplicationId>,
    /// The version each application is at, for `If-Match` (PATCH raises it).
    versions: std::sync::Mutex<HashMap<ApplicationId, i64>>,
}

async fn send(shared: &Shared, target: &Target, n: u64) -> bool {
    let id = shared.ids[(n as usize).wrapping_mul(104_729) % shared.ids.len()];
    let base = &target.base;
    let request = match target.kind {
        Kind::Bare => shared.client.get(format!("{base}/bare")),
        Kind::FloorRead => shared.client.get(format!("{base}/read/{id}")),
        Kind::FloorCommit => shared.client.post(format!("{base}/commit")),
        Kind::Health => shared.client.get(format!("{base}/healthz")),
        Kind::Get => shared
            .client
            .get(format!("{base}/api/v1/applications/{id}"))
            .bearer_auth(&shared.token),
        Kind::List => shared
            .client
            .get(format!("{base}/api/v1/applications?tag=rust&limit=50"))
            .bearer_auth(&shared.token),
        Kind::Post => shared
            .client
            .post(format!("{base}/api/v1/applications"))
            .bearer_auth(&shared.token)
            // Tagged as the seeded applications are (one in three "rust"): the list of one
            // tag reads as many rows after the POST phases as before them.
            .json(&serde_json::json!({"company": "New Co", "role_title": "Engineer", "tags": tags(n as usize)})),
        Kind::Patch => {
            let version = *shared
                .versions
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&id)
                .unwrap_or(&1);
            shared
                .client
                .patch(format!("{base}/api/v1/applications/{id}"))
                .bearer_auth(&shared.token)
                .header("if-match", format!("W/\"{version}\""))
                .json(&serde_json::json!({"notes": format!("n{n}")}))
        }
    };
    let Ok(response) = request.send().await else {
        return false;
    };
    let ok = response.status().is_success();
    let body = response.bytes().await.unwrap_or_default();
    if target.kind == Kind::Patch {
        // A stale version (two connections on one row) is a 409: learn the current one.
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let version = value["version"]
            .as_i64()
            .or_else(|| value["current"]["version"].as_i64());
        if let Some(version) = version {
            shared
                .versions
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(id, version);
        }
    }
    ok
}

struct Measured {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: u64,
}

/// `connections` loops, each sending one request after the other for `seconds`.
async fn closed_loop(
    shared: &Arc<Shared>,
    target: &Target,
    connections: usize,
    seconds: u64,
) -> Measured {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let counter = Arc::new(AtomicU64::new(0));
    let mut loops = Vec::new();
    for _ in 0..connections {
        let (shared, target, counter) = (Arc::clone(shared), target.clone(), Arc::clone(&counter));
        loops.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut failed = 0;
            while Instant::now() < until {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                if !send(&shared, &target, n).await {
                    failed += 1;
                }
                samples.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            (samples, failed)
        }));
    }
    let mut samples = Vec::new();
    let mut failed = 0;
    for handle in loops {
        if let Ok((s, f)) = handle.await {
            samples.extend(s);
            failed += f;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    samples.sort_by(f64::total_cmp);
    Measured {
        per_second: samples.len() as f64 / elapsed,
        p50_ms: percentile(&samples, 50.0),
        p99_ms: percentile(&samples, 99.0),
        failed,
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let connect = ConnectOptions {
        max_connections: 4,
        ..ConnectOptions::default()
    };
    let (db, backend) =
        crate::setup::database(options.database_url.as_deref(), dir.path(), &connect).await?;

    // One account with many applications, four tags each, written as an import writes.
    let seeding = Instant::now();
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let user = crate::setup::user(&mut tx, "floor", now).await?;
    let (_, token) = accounts::create_api_token(&mut tx, user.id, "bench", None, now).await?;
    let ids: Vec<ApplicationId> = (0..options.applications)
        .map(|_| ApplicationId::new())
        .collect();
    let rows: Vec<ApplicationData> = (0..options.applications).map(application).collect();
    for chunk in ids
        .iter()
        .copied()
        .zip(&rows)
        .collect::<Vec<_>>()
        .chunks(1000)
    {
        applications::insert_applications(&mut tx, user.id, chunk, ChangedBy::Import, now).await?;
    }
    tx.commit().await?;
    // What the import route does after a bulk write.
    applications::refresh_statistics(&db).await?;
    db.execute(pursuit_store::query(
        "CREATE TABLE floor_commits (n BIGINT NOT NULL, note TEXT NOT NULL)",
    ))
    .await?;
    db.close().await;
    println!(
        "pursuit-bench floor ({backend}): one account of {} applications × 4 tags, seeded in {:.1} s; {} connections, {} s per target, {} rounds",
        options.applications,
        seeding.elapsed().as_secs_f64(),
        options.connections,
        options.seconds,
        options.rounds
    );
    let _ = tokio::process::Command::new("sync").status().await;

    // The floor, in this process.
    let floor_db = match &options.database_url {
        Some(url) => FloorDb::Postgres(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(10)
                .test_before_acquire(false)
                .connect(url)
                .await?,
        ),
        None => {
            let path = dir.path().join("pursuit.db");
            let mut connections = Vec::new();
            for _ in 0..10 {
                let conn = rusqlite::Connection::open(&path)?;
                conn.busy_timeout(Duration::from_secs(5))?;
                conn.pragma_update(None, "journal_mode", "wal")?;
                conn.pragma_update(None, "synchronous", "full")?;
                connections.push(conn);
            }
            FloorDb::Sqlite(Arc::new(std::sync::Mutex::new(connections)))
        }
    };
    let floor = Floor {
        db: floor_db,
        counter: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/bare", get(bare))
        .route("/read/{id}", get(read))
        .route("/commit", post(commit))
        .with_state(floor);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let floor_base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    // Pursuit, as users run it (logs at info to a file).
    let log = std::fs::File::create(dir.path().join("serve.log"))?;
    let mut command = tokio::process::Command::new(&options.binary);
    command.stderr(log);
    let (mut server, base) =
        crate::tracker::spawn_serve(command, dir.path(), options.database_url.as_deref(), false)
            .await?;

    let shared = Arc::new(Shared {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()?,
        token,
        ids,
        versions: std::sync::Mutex::default(),
    });
    let target = |name, base: &String, kind| Target {
        name,
        base: base.clone(),
        kind,
    };
    // Each Pursuit route next to the floor it is held to.
    let mut pairs: Vec<(Target, Target)> = vec![
        (
            target("bare handler", &floor_base, Kind::Bare),
            target("GET /healthz", &base, Kind::Health),
        ),
        (
            target("indexed read", &floor_base, Kind::FloorRead),
            target("GET by id", &base, Kind::Get),
        ),
        (
            target("indexed read", &floor_base, Kind::FloorRead),
            target("list of 50 (tag)", &base, Kind::List),
        ),
        (
            target("durable commit", &floor_base, Kind::FloorCommit),
            target("PATCH", &base, Kind::Patch),
        ),
        (
            target("durable commit", &floor_base, Kind::FloorCommit),
            target("POST", &base, Kind::Post),
        ),
    ];
    if let Some(only) = &options.only {
        let only = only.to_lowercase();
        pairs.retain(|(_, pursuit)| pursuit.name.to_lowercase().contains(&only));
        anyhow::ensure!(!pairs.is_empty(), "--only {only} names none of the routes");
    }
    // Warm both servers' pools and caches.
    for (floor_target, pursuit_target) in &pairs {
        closed_loop(&shared, floor_target, options.connections, 1).await;
        closed_loop(&shared, pursuit_target, options.connections, 1).await;
    }
    let mut figures: Vec<(Vec<Measured>, Vec<Measured>)> =
        pairs.iter().map(|_| (Vec::new(), Vec::new())).collect();
    for _ in 0..options.rounds {
        for (i, (floor_target, pursuit_target)) in pairs.iter().enumerate() {
            figures[i].0.push(
                closed_loop(&shared, floor_target, options.connections, options.seconds).await,
            );
            figures[i].1.push(
                closed_loop(
                    &shared,
                    pursuit_target,
                    options.connections,
                    options.seconds,
                )
                .await,
            );
        }
    }
    println!(
        "{:<18} {:>10} {:>9} {:>9} | {:<16} {:>10} {:>9} {:>9} {:>8} {:>7}",
        "floor",
        "req/s",
        "p50 ms",
        "p99 ms",
        "pursuit",
        "req/s",
        "p50 ms",
        "p99 ms",
        "ratio",
        "failed"
    );
    for ((floor_target, pursuit_target), (floor_runs, pursuit_runs)) in
        pairs.iter().zip(&mut figures)
    {
        floor_runs.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
        pursuit_runs.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
        let f = &floor_runs[floor_runs.len() / 2];
        let p = &pursuit_runs[pursuit_runs.len() / 2];
        let failed: u64 = pursuit_runs.iter().map(|m| m.failed).sum();
        println!(
            "{:<18} {:>10.0} {:>9.2} {:>9.2} | {:<16} {:>10.0} {:>9.2} {:>9.2} {:>8} {:>7}",
            floor_target.name,
            f.per_second,
            f.p50_ms,
            f.p99_ms,
            pursuit_target.name,
            p.per_second,
            p.p50_ms,
            p.p99_ms,
            format!("1/{:.1}", f.per_second / p.per_second.max(0.001)),
            failed
        );
    }

    // A fixed rate of mixed tracker requests: p50/p99 per route. The closed-loop writes
    // left the kernel with dirty pages: write them out first, or this phase measures the
    // writeback (multi-second fsyncs here) rather than Pursuit.
    if options.rate > 0 {
        let _ = tokio::process::Command::new("sync").status().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let kinds = [Kind::Get, Kind::List, Kind::Patch, Kind::Post];
        let names = ["GET by id", "list of 50", "PATCH", "POST"];
        let samples: Arc<std::sync::Mutex<Vec<Vec<f64>>>> =
            Arc::new(std::sync::Mutex::new(vec![Vec::new(); 4]));
        let failures = Arc::new(AtomicU64::new(0));
        let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate as f64));
        let started = Instant::now();
        let mut handles = Vec::new();
        let mut n = 0u64;
        while started.elapsed() < Duration::from_secs(options.seconds * 2) {
            tick.tick().await;
            n += 1;
            let which = (n % 4) as usize;
            let (shared, samples, failures) = (
                Arc::clone(&shared),
                Arc::clone(&samples),
                Arc::clone(&failures),
            );
            let target = target(names[which], &base, kinds[which]);
            handles.push(tokio::spawn(async move {
                let sent = Instant::now();
                if !send(&shared, &target, n).await {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
                let took = sent.elapsed().as_secs_f64() * 1000.0;
                samples
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)[which]
                    .push(took);
            }));
        }
        for handle in handles {
            let _ = handle.await;
        }
        let mut samples = samples
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        println!(
            "at {} requests/s for {} s (mixed, one account), failed or conflicting: {}",
            options.rate,
            options.seconds * 2,
            failures.load(Ordering::Relaxed)
        );
        for (name, route) in names.iter().zip(&mut samples) {
            route.sort_by(f64::total_cmp);
            println!(
                "  {name:<11} {:>6} requests: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                route.len(),
                percentile(route, 50.0),
                percentile(route, 99.0),
                route.last().copied().unwrap_or_default()
            );
        }
    }
    let _ = server.kill().await;
    Ok(())
}
