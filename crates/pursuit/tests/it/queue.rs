//! The job queue's reliability on both backends: kill -9 workers mid-batch, lease rescue,
//! transactional enqueue, unique keys under concurrency, periodic ticks across schedulers,
//! backoff to a dead end, panics, and graceful shutdown. Every test is bounded in time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use pursuit_store::jobs::{self, EnqueueOptions, JobSpec, JobState};
use pursuit_store::{Db, query};
use pursuit_worker::cron::Cron;
use pursuit_worker::jobs::canary::Canary;
use pursuit_worker::jobs::noop::Noop;
use pursuit_worker::scheduler::Scheduler;
use pursuit_worker::{
    Clock, JobContext, JobError, ManualClock, QueueConfig, Registry, Worker, WorkerConfig,
};
use serde::{Deserialize, Serialize};

use crate::helpers::TestDatabase;

fn mailer(database: &TestDatabase) -> pursuit_mail::Mailer {
    pursuit_mail::Mailer::outbox(
        "pursuit@localhost",
        &database.data_dir.path().join("outbox"),
    )
    .unwrap()
}

fn config(queues: &[(&str, usize)]) -> WorkerConfig {
    WorkerConfig {
        queues: queues
            .iter()
            .map(|(name, c)| QueueConfig {
                name: (*name).to_owned(),
                concurrency: *c,
            })
            .collect(),
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
        ..WorkerConfig::default()
    }
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    db.fetch_one(query(sql)).await.unwrap().get("n").unwrap()
}

async fn state_of(db: &Db, id: pursuit_domain::ids::JobId) -> jobs::Job {
    jobs::get(db, id).await.unwrap().unwrap()
}

/// Waits (bounded) until `check` holds.
async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    limit: Duration,
    mut check: impl FnMut() -> F,
) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{what}: not within {limit:?}");
}

#[derive(Serialize, Deserialize)]
struct AlwaysFails {}

impl JobSpec for AlwaysFails {
    const KIND: &'static str = "test.always_fails";
    const MAX_ATTEMPTS: i64 = 4;
}

#[derive(Serialize, Deserialize)]
struct AlwaysPanics {}

impl JobSpec for AlwaysPanics {
    const KIND: &'static str = "test.always_panics";
    const MAX_ATTEMPTS: i64 = 3;
}

fn test_registry() -> Registry {
    let mut registry = Registry::standard();
    registry.register(|_: AlwaysFails, _: JobContext| async {
        Err(JobError::new("the remote site said no"))
    });
    registry.register(|_: AlwaysPanics, _: JobContext| async {
        if std::hint::black_box(true) {
            panic!("handler bug");
        }
        Ok(())
    });
    registry
}

both_backends! {
    async fn a_rolled_back_enqueue_leaves_nothing_and_a_committed_one_runs_within_a_poll(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let now = Timestamp::now();
        let mut rolled_back = db.begin().await.unwrap();
        jobs::enqueue(&mut rolled_back, &Canary::default(), &EnqueueOptions::default(), now).await.unwrap();
        rolled_back.rollback().await.unwrap();
        let worker = Worker::new(db.clone(), mailer(&database), Registry::standard(), config(&[("default", 2)]));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(worker.run(async { let _ = stopped.await; }));
        tokio::time::sleep(Duration::from_millis(100)).await;

        let enqueued_at = Instant::now();
        let mut tx = db.begin().await.unwrap();
        jobs::enqueue(&mut tx, &Canary::default(), &EnqueueOptions::default(), Timestamp::now()).await.unwrap();
        tx.commit().await.unwrap();
        eventually("the committed job ran", Duration::from_secs(10), || async { count(&db, "SELECT count(*) AS n FROM queue_canary").await == 1 }).await;
        let took = enqueued_at.elapsed();
        let _ = stop.send(());
        running.await.unwrap();

        assert_eq!(count(&db, "SELECT count(*) AS n FROM jobs").await, 1, "the rolled-back job never existed");
        // One poll interval is 20 ms here; allow for a loaded CI machine.
        assert!(took < Duration::from_secs(2), "took {took:?}");
    }

    async fn sixteen_concurrent_enqueues_of_one_key_make_one_job(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;

        let mut tasks = Vec::new();
        for _ in 0..16 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let options = EnqueueOptions { dedupe_key: Some("send_reminder:42".to_owned()), ..EnqueueOptions::default() };
                let mut tx = db.begin().await.unwrap();
                let enqueued = jobs::enqueue(&mut tx, &Noop::default(), &options, Timestamp::now()).await.unwrap();
                tx.commit().await.unwrap();
                enqueued
            }));
        }
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }

        assert_eq!(count(&db, "SELECT count(*) AS n FROM jobs").await, 1);
        assert_eq!(results.iter().filter(|r| r.created).count(), 1);
        assert!(results.iter().all(|r| r.id == results[0].id), "every caller gets the one job");
    }

    async fn an_expired_lease_is_rescued_and_a_live_one_is_left_alone(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let start = Timestamp::now();
        let options = EnqueueOptions::default();
        let stale = jobs::enqueue(&db, &Canary::default(), &options, start).await.unwrap().id;
        let alive = jobs::enqueue(&db, &Canary::default(), &options, start).await.unwrap().id;
        let claimed = jobs::claim(&db, "default", "doomed-worker", 2, SignedDuration::from_secs(10), start).await.unwrap();
        assert_eq!(claimed.len(), 2);
        // Only `alive` keeps its heartbeat going.
        assert!(jobs::heartbeat(&db, alive, "doomed-worker", start + SignedDuration::from_secs(100)).await.unwrap());

        let rescued = jobs::rescue_expired(&db, start + SignedDuration::from_secs(20)).await.unwrap();

        assert_eq!(rescued, 1);
        let stale = state_of(&db, stale).await;
        assert_eq!(stale.state, JobState::Retryable);
        assert!(stale.errors.to_string().contains("lease expired"), "{}", stale.errors);
        assert_eq!(state_of(&db, alive).await.state, JobState::Running);
        // The rescued job's old worker can no longer complete it.
        assert!(!jobs::complete(&db, stale.id, "doomed-worker", start).await.unwrap());
    }

    async fn three_schedulers_over_a_hundred_ticks_fire_each_tick_once(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let every_minute = Cron::parse("* * * * *").unwrap();
        let make = || Scheduler::default().add("test.every_minute", every_minute.clone(), jiff::tz::TimeZone::UTC, &Noop::default());
        let (a, b, c) = (make(), make(), make());
        let start: Timestamp = "2026-03-29T00:30:00Z".parse().unwrap();

        let mut fired = 0;
        for minute in 0..100 {
            let now = start + SignedDuration::from_mins(minute) + SignedDuration::from_secs(7);
            let (x, y, z) = tokio::join!(a.tick(&db, now), b.tick(&db, now), c.tick(&db, now));
            fired += x.unwrap() + y.unwrap() + z.unwrap();
            // A scheduler that looks again within the same minute fires nothing.
            fired += a.tick(&db, now + SignedDuration::from_secs(30)).await.unwrap();
        }

        assert_eq!(fired, 100);
        assert_eq!(count(&db, "SELECT count(*) AS n FROM jobs WHERE kind = 'system.noop'").await, 100);
        assert_eq!(count(&db, "SELECT count(*) AS n FROM periodic_ticks").await, 100);
    }

    async fn a_failing_job_backs_off_longer_each_time_and_ends_dead_with_its_errors(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let clock = ManualClock::new("2026-06-01T12:00:00Z".parse().unwrap());
        let worker = Worker::new(db.clone(), mailer(&database), test_registry(), config(&[("default", 1)]))
            .with_clock(Arc::new(clock.clone()));
        let id = jobs::enqueue(&db, &AlwaysFails {}, &EnqueueOptions::default(), clock.now()).await.unwrap().id;

        let mut delays = Vec::new();
        for _ in 0..AlwaysFails::MAX_ATTEMPTS {
            assert_eq!(worker.drain().await.unwrap(), 1, "one attempt runs when due");
            assert_eq!(worker.drain().await.unwrap(), 0, "nothing runs before the backoff ends");
            let job = state_of(&db, id).await;
            if job.state == JobState::Dead {
                break;
            }
            delays.push(job.run_at.duration_since(clock.now()).as_secs());
            clock.set(job.run_at);
        }

        let job = state_of(&db, id).await;
        assert_eq!(job.state, JobState::Dead);
        assert_eq!(job.attempt, AlwaysFails::MAX_ATTEMPTS);
        assert_eq!(delays.len(), 3);
        assert!(delays.windows(2).all(|w| w[0] < w[1]), "delays grow: {delays:?}");
        let errors = job.errors.as_array().unwrap();
        assert_eq!(errors.len(), 4);
        assert!(errors.iter().all(|e| e["error"] == "the remote site said no"));
        // An operator can give it another go.
        assert!(jobs::retry(&db, id, clock.now()).await.unwrap());
        assert_eq!(state_of(&db, id).await.state, JobState::Queued);
    }

    async fn a_job_that_always_panics_ends_dead_and_other_queues_keep_running(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let clock = ManualClock::new(Timestamp::now());
        let worker = Worker::new(db.clone(), mailer(&database), test_registry(), config(&[("default", 1), ("other", 2)]))
            .with_clock(Arc::new(clock.clone()));
        let now = clock.now();
        let panicking = jobs::enqueue(&db, &AlwaysPanics {}, &EnqueueOptions::default(), now).await.unwrap().id;
        for _ in 0..5 {
            jobs::enqueue_raw(&db, Canary::KIND, "other", serde_json::json!({}), 3, &EnqueueOptions::default(), now).await.unwrap();
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(worker.run(async { let _ = stopped.await; }));

        let deadline = Instant::now() + Duration::from_secs(20);
        while state_of(&db, panicking).await.state != JobState::Dead && Instant::now() < deadline {
            clock.advance(SignedDuration::from_hours(1));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        eventually("the other queue's jobs ran", Duration::from_secs(10), || async {
            count(&db, "SELECT count(*) AS n FROM queue_canary").await == 5
        }).await;
        let _ = stop.send(());
        running.await.unwrap();

        let job = state_of(&db, panicking).await;
        assert_eq!(job.state, JobState::Dead);
        let errors = job.errors.as_array().unwrap();
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().all(|e| e["error"].as_str().unwrap().contains("panicked: handler bug")), "{errors:?}");
    }

    async fn graceful_shutdown_finishes_short_jobs_and_releases_long_ones(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let mut settings = config(&[("default", 2)]);
        settings.shutdown_grace = Duration::from_millis(500);
        let worker = Worker::new(db.clone(), mailer(&database), Registry::standard(), settings);
        let now = Timestamp::now();
        let long = jobs::enqueue(&db, &Canary { work_ms: 30_000 }, &EnqueueOptions::default(), now).await.unwrap().id;
        let short = jobs::enqueue(&db, &Canary { work_ms: 200 }, &EnqueueOptions::default(), now).await.unwrap().id;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(worker.run(async { let _ = stopped.await; }));
        eventually("both jobs started", Duration::from_secs(10), || async {
            count(&db, "SELECT count(*) AS n FROM jobs WHERE state = 'running'").await == 2
        }).await;

        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(10), running).await.expect("stopped within the grace period").unwrap();

        assert_eq!(count(&db, "SELECT count(*) AS n FROM jobs WHERE state = 'running'").await, 0, "nothing stuck in running");
        assert_eq!(state_of(&db, short).await.state, JobState::Done);
        let long = state_of(&db, long).await;
        assert_eq!(long.state, JobState::Retryable);
        assert_eq!(long.attempt, 0, "a released job's attempt does not count");
    }

    async fn killing_worker_processes_at_random_points_loses_no_job_and_repeats_no_effect(backend: Backend) {
        const JOBS: usize = 150;
        const KILLS: usize = 20;
        let database = TestDatabase::new(backend).await;
        let db = database.open().await;
        let now = Timestamp::now();
        for _ in 0..JOBS {
            jobs::enqueue(&db, &Canary { work_ms: 15 }, &EnqueueOptions::default(), now).await.unwrap();
        }
        let spawn_worker = || {
            let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_pursuit"));
            command
                .arg("worker")
                .arg("--data-dir")
                .arg(database.data_dir.path())
                .env("PURSUIT_WORKER__LEASE_SECS", "2")
                .env("PURSUIT_WORKER__POLL_INTERVAL_MS", "20")
                .env("PURSUIT_LOG_LEVEL", "error")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .kill_on_drop(true);
            for (key, _) in std::env::vars() {
                if key.starts_with("PURSUIT_") && !key.starts_with("PURSUIT_WORKER") && key != "PURSUIT_LOG_LEVEL" {
                    command.env_remove(key);
                }
            }
            match &database.url {
                Some(url) => command.env("DATABASE_URL", url),
                None => command.env_remove("DATABASE_URL"),
            };
            command.spawn().unwrap()
        };

        for _ in 0..KILLS {
            let mut worker = spawn_worker();
            let pause = 150 + u64::from(uuid::Uuid::new_v4().as_bytes()[0]) * 2; // 150-660 ms
            tokio::time::sleep(Duration::from_millis(pause)).await;
            worker.start_kill().unwrap(); // SIGKILL: no shutdown, leases left behind
            worker.wait().await.unwrap();
        }
        // Only the canaries: each worker's scheduler also enqueues the daily sweep.
        let done_before_last = count(&db, "SELECT count(*) AS n FROM jobs WHERE kind = 'system.canary' AND state = 'done'").await;
        let mut last = spawn_worker();
        let deadline = Instant::now() + Duration::from_secs(90);
        while count(&db, "SELECT count(*) AS n FROM jobs WHERE kind = 'system.canary' AND state = 'done'").await < JOBS as i64 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let states: Vec<(String, i64)> = db
            .fetch_all(query("SELECT state, count(*) AS n FROM jobs WHERE kind = 'system.canary' GROUP BY state"))
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("state").unwrap(), r.get("n").unwrap()))
            .collect();
        last.start_kill().unwrap();
        last.wait().await.unwrap();

        assert!(done_before_last > 0, "the killed workers made progress");
        assert_eq!(count(&db, "SELECT count(*) AS n FROM queue_canary").await, JOBS as i64, "each job's effect exactly once");
        assert_eq!(states, vec![("done".to_owned(), JOBS as i64)], "none lost, none dead");
    }
}

both_backends! {
    async fn a_user_sees_their_own_tasks_and_can_retry_a_dead_one(backend: Backend) {
        let app = crate::helpers::spawn_app(backend).await;
        let browser = crate::auth::sign_in(&app, "tasks@example.org", 1).await;
        let (_, secret) = crate::auth::api_token(&app, &browser, "tasks").await;
        let me: serde_json::Value = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret)
            .send().await.unwrap().json().await.unwrap();
        let user_id = pursuit_domain::ids::UserId(me["user"]["id"].as_str().unwrap().parse().unwrap());
        // A sign-in link asked for by a known user is a task of theirs: the mail job.
        crate::auth::request_link(&app, "tasks@example.org").await;
        let mail_task: uuid::Uuid = app.db
            .fetch_one(query("SELECT id FROM jobs WHERE user_id = $1 AND kind = 'mail.send'").bind(user_id))
            .await.unwrap().get("id").unwrap();
        let options = EnqueueOptions { user_id: Some(user_id), run_at: Some(Timestamp::now() + SignedDuration::from_hours(1)), ..EnqueueOptions::default() };
        let dead = jobs::enqueue(&app.db, &Noop::default(), &options, Timestamp::now()).await.unwrap().id;
        app.db.execute(query("UPDATE jobs SET state = 'dead', attempt = 10, errors = $2 WHERE id = $1")
            .bind(dead).bind(serde_json::json!([{"attempt": 10, "at": "2026-11-22T00:00:00Z", "error": "the remote site said no"}])))
            .await.unwrap();
        let task = |id: String| { let request = app.client.get(app.url(&format!("/api/v1/tasks/{id}"))).bearer_auth(&secret); async move { request.send().await.unwrap() } };
        eventually("the mail task finished", Duration::from_secs(10), || async {
            let body: serde_json::Value = task(mail_task.to_string()).await.json().await.unwrap();
            body["state"] == "done"
        }).await;

        let mail: serde_json::Value = task(mail_task.to_string()).await.json().await.unwrap();
        let dead_before: serde_json::Value = task(dead.0.to_string()).await.json().await.unwrap();
        let retry_done = app.client.post(app.url(&format!("/api/v1/tasks/{mail_task}/retry"))).bearer_auth(&secret).send().await.unwrap();
        let retry_dead = app.client.post(app.url(&format!("/api/v1/tasks/{}/retry", dead.0))).bearer_auth(&secret).send().await.unwrap();

        assert_eq!(mail["kind"], "mail.send");
        assert_eq!(mail["progress"], 100);
        assert_eq!(dead_before["state"], "dead");
        assert_eq!(dead_before["last_error"], "the remote site said no");
        assert_eq!(retry_done.status(), reqwest::StatusCode::CONFLICT);
        assert_eq!(retry_dead.status(), reqwest::StatusCode::OK);
        let retried: serde_json::Value = retry_dead.json().await.unwrap();
        assert_eq!(retried["state"], "queued");
        assert_eq!(retried["errors"].as_array().unwrap().len(), 1, "the history is kept");
    }
}
