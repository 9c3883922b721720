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
