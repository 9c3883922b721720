//! `pursuit-bench queue`: how fast the job queue moves no-op jobs, and how long a job waits
//! between being enqueued and being started when the queue is idle.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use pursuit_store::jobs::{self, EnqueueOptions};
use pursuit_store::{ConnectOptions, Db, query};
use pursuit_worker::jobs::noop::Noop;
use pursuit_worker::{QueueConfig, Registry, Worker, WorkerConfig};

async fn open(database_url: Option<&str>, dir: &tempfile::TempDir) -> anyhow::Result<Db> {
    let options = ConnectOptions {
        max_connections: 20,
        ..ConnectOptions::default()
    };
    let db = match database_url {
        Some(url) => Db::connect(url, &options).await?,
        None => Db::open_sqlite(&dir.path().join("bench.db"), &options).await?,
    };
    pursuit_store::migrate::run(&db, "bench").await?;
    db.execute(query("DELETE FROM jobs")).await?;
    Ok(db)
}

fn worker(
    db: &Db,
    dir: &tempfile::TempDir,
    concurrency: usize,
    poll: Duration,
) -> anyhow::Result<Worker> {
    let mailer = pursuit_mail::Mailer::outbox("bench@localhost", &dir.path().join("outbox"))?;
    let config = WorkerConfig {
        queues: vec![QueueConfig {
            name: "default".to_owned(),
            concurrency,
        }],
        poll_interval: poll,
        ..WorkerConfig::default()
    };
    Ok(Worker::new(
        db.clone(),
        mailer,
        Registry::standard(),
        config,
    ))
}

async fn done(db: &Db) -> anyhow::Result<i64> {
    Ok(db
        .fetch_one(query("SELECT count(*) AS n FROM jobs WHERE state = 'done'"))
        .await?
        .get("n")?)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}

pub async fn run(
    database_url: Option<String>,
    jobs_per_run: usize,
    worker_counts: &[usize],
    concurrency: usize,
    samples: usize,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "pursuit-bench queue ({backend}): {jobs_per_run} no-op jobs per run, concurrency {concurrency} per worker"
    );

    for &workers in worker_counts {
        let db = open(database_url.as_deref(), &dir).await?;
        // Enqueue in batches of 1,000 per transaction, as a bulk import would.
        let now = Timestamp::now();
        let mut left = jobs_per_run;
        while left > 0 {
            let batch = left.min(1000);
            let mut tx = db.begin().await?;
            for _ in 0..batch {
                jobs::enqueue(&mut tx, &Noop::default(), &EnqueueOptions::default(), now).await?;
            }
            tx.commit().await?;
            left -= batch;
        }
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let started = Instant::now();
        let mut running = Vec::new();
        for _ in 0..workers {
            let mut stop = stop_rx.clone();
            let worker = worker(&db, &dir, concurrency, Duration::from_millis(50))?;
            running.push(tokio::spawn(worker.run(async move {
                let _ = stop.wait_for(|s| *s).await;
            })));
        }
        while done(&db).await? < jobs_per_run as i64 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let took = started.elapsed();
        let _ = stop_tx.send(true);
        for handle in running {
            handle.await?;
        }
        println!(
            "throughput, {workers} worker(s): {jobs_per_run} jobs in {:.2} s = {:.0} jobs/s",
            took.as_secs_f64(),
            jobs_per_run as f64 / took.as_secs_f64()
        );
        db.close().await;
    }

    // Latency: one job at a time on an idle queue, with the default poll interval.
    let db = open(database_url.as_deref(), &dir).await?;
    let poll = WorkerConfig::default().poll_interval;
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let idle = worker(&db, &dir, concurrency, poll)?;
    let handle = tokio::spawn(idle.run(async move {
        let _ = stop_rx.wait_for(|s| *s).await;
    }));
    let mut waits = Vec::with_capacity(samples);
    for _ in 0..samples {
        let enqueued = jobs::enqueue(
            &db,
            &Noop::default(),
            &EnqueueOptions::default(),
            Timestamp::now(),
        )
        .await?;
        let job = loop {
            let job = jobs::get(&db, enqueued.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("job vanished"))?;
            if let Some(started) = job.started_at {
                break started.duration_since(job.created_at).as_secs_f64();
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        waits.push(job);
        // Enqueue at random points of the poll cycle, as real requests do.
        let mut byte = [0_u8; 1];
        let _ = getrandom::fill(&mut byte);
        tokio::time::sleep(Duration::from_millis(5 + u64::from(byte[0]))).await;
    }
    let _ = stop_tx.send(true);
    handle.await?;
    waits.sort_by(f64::total_cmp);
    println!(
        "enqueue→start latency, idle queue, poll {} ms, {samples} samples: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        poll.as_millis(),
        percentile(&waits, 50.0) * 1000.0,
        percentile(&waits, 99.0) * 1000.0,
        waits.last().copied().unwrap_or_default() * 1000.0
    );
    Ok(())
}

/// `queue-chaos`: the kill -9 reliability check, longer than CI runs it.
pub async fn chaos(
    binary: &std::path::Path,
    kills: usize,
    job_count: usize,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    use pursuit_worker::jobs::canary::Canary;
    let dir = tempfile::tempdir()?;
    let db = open(database_url.as_deref(), &dir).await?;
    if database_url.is_none() {
        // The worker processes open <data-dir>/pursuit.db: point them at our file.
        db.close().await;
        std::fs::rename(dir.path().join("bench.db"), dir.path().join("pursuit.db"))?;
    }
    let db = match database_url.as_deref() {
        Some(url) => Db::connect(url, &ConnectOptions::default()).await?,
        None => Db::open_sqlite(&dir.path().join("pursuit.db"), &ConnectOptions::default()).await?,
    };
    db.execute(query("DELETE FROM queue_canary")).await?;
    let now = Timestamp::now();
    for _ in 0..job_count {
        jobs::enqueue(
            &db,
            &Canary { work_ms: 10 },
            &EnqueueOptions::default(),
            now,
        )
        .await?;
    }
    let spawn = || -> anyhow::Result<tokio::process::Child> {
        let mut command = tokio::process::Command::new(binary);
        command
            .arg("worker")
            .arg("--data-dir")
            .arg(dir.path())
            .env("PURSUIT_WORKER__LEASE_SECS", "2")
            .env("PURSUIT_WORKER__POLL_INTERVAL_MS", "20")
            .env("PURSUIT_LOG_LEVEL", "error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(url) = &database_url {
            command.env("DATABASE_URL", url);
        }
        Ok(command.spawn()?)
    };
    let started = Instant::now();
    for _ in 0..kills {
        let mut worker = spawn()?;
        let mut byte = [0_u8; 1];
        let _ = getrandom::fill(&mut byte);
        tokio::time::sleep(Duration::from_millis(100 + u64::from(byte[0]) * 2)).await;
        worker.start_kill()?;
        worker.wait().await?;
    }
    let mut last = spawn()?;
    let canaries = "SELECT count(*) AS n FROM jobs WHERE kind = 'system.canary' AND state = 'done'";
    while db.fetch_one(query(canaries)).await?.get::<i64>("n")? < job_count as i64 {
        if started.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("not every job finished within 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    last.start_kill()?;
    last.wait().await?;
    let effects: i64 = db
        .fetch_one(query("SELECT count(*) AS n FROM queue_canary"))
        .await?
        .get("n")?;
    let runs: i64 = db
        .fetch_one(query(
            "SELECT CAST(coalesce(sum(runs), 0) AS BIGINT) AS n FROM queue_canary",
        ))
        .await?
        .get("n")?;
    let not_done: i64 = db
        .fetch_one(query(
            "SELECT count(*) AS n FROM jobs WHERE kind = 'system.canary' AND state <> 'done'",
        ))
        .await?
        .get("n")?;
    println!(
        "queue chaos: {kills} kill -9s over {job_count} jobs in {:.1} s: {effects} effects (want {job_count}), \
         {runs} executions ({} repeated after a kill), {not_done} not done",
        started.elapsed().as_secs_f64(),
        runs - effects
    );
    if effects != job_count as i64 || not_done != 0 {
        anyhow::bail!("the queue lost or repeated work");
    }
    Ok(())
}
