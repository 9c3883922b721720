//! The worker: claims due jobs per queue, runs them with a concurrency limit, keeps their
//! leases alive, records success or failure (with backoff), rescues jobs whose worker died,
//! and on shutdown stops claiming, lets running jobs finish within a grace period and gives
//! back the rest.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use pursuit_store::Db;
use pursuit_store::jobs::{self, FailOutcome, Job};
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::clock::{Clock, SystemClock};
use crate::registry::{ContextParts, JobContext, JobError, JobSettings, Registry};
use crate::scheduler::Scheduler;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueConfig {
    pub name: String,
    /// Jobs of this queue run at once in this process.
    pub concurrency: usize,
}

#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub queues: Vec<QueueConfig>,
    /// How often an idle queue looks for due jobs.
    pub poll_interval: Duration,
    /// How long a claim holds a job without a heartbeat; a dead worker's jobs are rescued
    /// after this.
    pub lease: Duration,
    /// How long running jobs may take to finish after shutdown starts.
    pub shutdown_grace: Duration,
    /// Names this process in `jobs.locked_by` and in logs.
    pub worker_id: String,
    /// What jobs need to know about the installation.
    pub settings: JobSettings,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            queues: vec![
                QueueConfig {
                    name: "default".to_owned(),
                    concurrency: 4,
                },
                QueueConfig {
                    name: "mail".to_owned(),
                    concurrency: 2,
                },
                // Reminder delivery waits on SMTP most of the time; its own queue keeps a
                // burst of reminders from delaying sign-in mail.
                QueueConfig {
                    name: "reminders".to_owned(),
                    concurrency: 16,
                },
            ],
            poll_interval: Duration::from_millis(200),
            lease: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(20),
            worker_id: new_worker_id(),
            settings: JobSettings::default(),
        }
    }
}

/// `<pid>-<random>`: unique per process start, readable in `pursuit tasks list`.
pub fn new_worker_id() -> String {
    let mut bytes = [0_u8; 4];
    let _ = getrandom::fill(&mut bytes);
    format!(
        "{}-{:02x}{:02x}{:02x}{:02x}",
        std::process::id(),
        bytes[0],
        bytes[1],
        bytes[2],
        bytes[3]
    )
}

struct Inner {
    /// Started on first use, inside the runtime, with the clock the worker ends up with.
    completer: std::sync::OnceLock<Completer>,
    db: Db,
    mailer: pursuit_mail::Mailer,
    registry: Registry,
    config: WorkerConfig,
    clock: Arc<dyn Clock>,
    scheduler: Option<Scheduler>,
    worker_id: Arc<str>,
    settings: Arc<JobSettings>,
}

/// Cheap to clone; `run` drives it until shutdown.
#[derive(Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

/// Batches "job done" acknowledgements: one transaction marks every job that finished in
/// the last few milliseconds. Each caller still waits for its own job's answer, so a job is
/// done in the database before its runner returns.
#[derive(Clone)]
struct Completer {
    sender: tokio::sync::mpsc::Sender<(
        pursuit_domain::ids::JobId,
        tokio::sync::oneshot::Sender<bool>,
    )>,
}

impl Completer {
    /// Most acknowledgements written in one statement.
    const BATCH: usize = 200;

    fn start(db: Db, worker_id: Arc<str>, clock: Arc<dyn Clock>) -> Completer {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<(
            pursuit_domain::ids::JobId,
            tokio::sync::oneshot::Sender<bool>,
        )>(4096);
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                // Gather what arrives within a moment: under load that is a whole batch.
                let gather_until = tokio::time::Instant::now() + Duration::from_millis(2);
                while batch.len() < Completer::BATCH {
                    match tokio::time::timeout_at(gather_until, receiver.recv()).await {
                        Ok(Some(next)) => batch.push(next),
                        _ => break,
                    }
                }
                let ids: Vec<_> = batch.iter().map(|(id, _)| *id).collect();
                match jobs::complete_many(&db, &ids, &worker_id, clock.now()).await {
                    Ok(marked) => {
                        for (id, reply) in batch {
                            let _ = reply.send(marked.contains(&id));
                        }
                    }
                    Err(error) => {
                        // Dropping the replies tells each runner its job was not recorded;
                        // the jobs stay running and are rescued when their lease ends.
                        tracing::error!(%error, jobs = ids.len(), "recording finished jobs failed; they will run again");
                    }
                }
            }
        });
        Completer { sender }
    }

    /// `Some(true)` when marked done, `Some(false)` when the worker had lost the job, `None`
    /// when it could not be recorded.
    async fn complete(&self, id: pursuit_domain::ids::JobId) -> Option<bool> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.sender.send((id, reply)).await.ok()?;
        answer.await.ok()
    }
}

/// Aborts the task when dropped: a job whose runner is cancelled stops too.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn signed(duration: Duration) -> SignedDuration {
    SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX)
}

fn jitter() -> f64 {
    let mut byte = [0_u8; 1];
    let _ = getrandom::fill(&mut byte);
    f64::from(byte[0]) / 255.0
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic".to_owned())
}

impl Worker {
    pub fn new(
        db: Db,
        mailer: pursuit_mail::Mailer,
        registry: Registry,
        config: WorkerConfig,
    ) -> Worker {
        Worker::build(db, mailer, registry, config, Arc::new(SystemClock), None)
    }

    fn build(
        db: Db,
        mailer: pursuit_mail::Mailer,
        registry: Registry,
        config: WorkerConfig,
        clock: Arc<dyn Clock>,
        scheduler: Option<Scheduler>,
    ) -> Worker {
        let worker_id: Arc<str> = Arc::from(config.worker_id.as_str());
        let settings = Arc::new(config.settings.clone());
        let inner = Inner {
            completer: std::sync::OnceLock::new(),
            db,
            mailer,
            registry,
            config,
            clock,
            scheduler,
            worker_id,
            settings,
        };
        Worker {
            inner: Arc::new(inner),
        }
    }

    /// Changes a setting of a worker that has not been cloned yet (the builder methods are
    /// called right after `new`); a shared one is copied first.
    fn configure(
        mut self,
        change: impl FnOnce(&mut Option<Scheduler>, &mut Arc<dyn Clock>),
    ) -> Worker {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            change(&mut inner.scheduler, &mut inner.clock);
            return self;
        }
        let shared = &self.inner;
        let (mut scheduler, mut clock) = (shared.scheduler.clone(), Arc::clone(&shared.clock));
        change(&mut scheduler, &mut clock);
        let (db, mailer, registry, config) = (
            shared.db.clone(),
            shared.mailer.clone(),
            shared.registry.clone(),
            shared.config.clone(),
        );
        Worker::build(db, mailer, registry, config, clock, scheduler)
    }

    /// Uses `clock` instead of the system clock (tests).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Worker {
        self.configure(|_, c| *c = clock)
    }

    /// Runs `scheduler`'s periodic jobs too.
    pub fn with_scheduler(self, scheduler: Scheduler) -> Worker {
        self.configure(|s, _| *s = Some(scheduler))
    }

    fn completer(&self) -> &Completer {
        let inner = &self.inner;
        inner.completer.get_or_init(|| {
            Completer::start(
                inner.db.clone(),
                Arc::clone(&inner.worker_id),
                Arc::clone(&inner.clock),
            )
        })
    }

    pub fn worker_id(&self) -> &str {
        &self.inner.worker_id
    }

    /// Runs every queue, the rescuer and the scheduler until `shutdown` completes, then
    /// shuts down gracefully.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send) {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut loops = JoinSet::new();
        for queue in self.inner.config.queues.clone() {
            let worker = self.clone();
            let stop = stop_rx.clone();
            loops.spawn(async move { worker.queue_loop(queue, stop).await });
        }
        let rescuer = {
            let worker = self.clone();
            let stop = stop_rx.clone();
            tokio::spawn(async move { worker.rescue_loop(stop).await })
        };
        let scheduler = {
            let worker = self.clone();
            let stop = stop_rx.clone();
            tokio::spawn(async move { worker.scheduler_loop(stop).await })
        };
        // The process that schedules also watches the users' mailboxes (IDLE).
        let watcher = self.inner.scheduler.is_some().then(|| {
            let settings = &self.inner.settings;
            tokio::spawn(pursuit_app::replies::watch(
                self.inner.db.clone(),
                Arc::clone(&settings.ai.secrets),
                settings.mailbox_hosts,
                stop_rx.clone(),
            ))
        });
        tracing::info!(worker.id = %self.inner.worker_id, queues = ?self.inner.config.queues, "worker started");
        shutdown.await;
        tracing::info!(worker.id = %self.inner.worker_id, "worker stopping: no new jobs, finishing running ones");
        let _ = stop_tx.send(true);
        while loops.join_next().await.is_some() {}
        rescuer.abort();
        scheduler.abort();
        if let Some(watcher) = watcher {
            watcher.abort();
        }
        tracing::info!(worker.id = %self.inner.worker_id, "worker stopped");
    }

    async fn queue_loop(&self, queue: QueueConfig, mut stop: watch::Receiver<bool>) {
        let inner = &self.inner;
        let slots = Arc::new(Semaphore::new(queue.concurrency.max(1)));
        let mut running = JoinSet::new();
        // While claiming fails (the database is down, the disk is full) the loop waits
        // longer each time, up to a minute, and says so once per outage, not per poll.
        let mut failing: Option<Duration> = None;
        loop {
            if *stop.borrow() {
                break;
            }
            while running.try_join_next().is_some() {}
            let free = slots.available_permits();
            // Claim in batches: when jobs are running, wait until half the slots are free,
            // so a queue of short jobs pays one claim per batch rather than one per job.
            let wanted = if free > 0 && (running.is_empty() || free * 2 >= queue.concurrency) {
                free
            } else {
                0
            };
            let mut claimed = 0;
            if wanted > 0 {
                let now = inner.clock.now();
                match jobs::claim(
                    &inner.db,
                    &queue.name,
                    &inner.worker_id,
                    wanted as i64,
                    signed(inner.config.lease),
                    now,
                )
                .await
                {
                    Ok(jobs) => {
                        if failing.take().is_some() {
                            tracing::info!(queue = %queue.name, "claiming jobs works again");
                        }
                        for job in jobs {
                            let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
                                break;
                            };
                            let worker = self.clone();
                            running.spawn(async move {
                                worker.execute(job).await;
                                drop(permit);
                            });
                            claimed += 1;
                        }
                    }
                    Err(error) => {
                        let wait = match failing {
                            None => {
                                tracing::warn!(%error, queue = %queue.name, "claiming jobs failed; retrying with backoff");
                                inner.config.poll_interval
                            }
                            Some(wait) => (wait * 2).min(Duration::from_secs(60)),
                        };
                        failing = Some(wait);
                    }
                }
            }
            let maybe_more = wanted > 0 && claimed == wanted;
            if !maybe_more {
                tokio::select! {
                    () = tokio::time::sleep(failing.unwrap_or(inner.config.poll_interval)) => {}
                    _ = stop.changed() => {}
                    Some(_) = running.join_next(), if !running.is_empty() => {}
                }
            }
        }
        // Shutdown: let running jobs finish within the grace period, then give back the rest.
        let finished = tokio::time::timeout(inner.config.shutdown_grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            running.abort_all();
            while running.join_next().await.is_some() {}
            match jobs::release(&inner.db, &inner.worker_id, inner.clock.now()).await {
                Ok(released) => {
                    tracing::warn!(queue = %queue.name, released, "jobs still running after the grace period were released")
                }
                Err(error) => {
                    tracing::error!(%error, "releasing jobs failed; the rescuer will retry them when their lease ends")
                }
            }
        }
    }

    async fn rescue_loop(&self, mut stop: watch::Receiver<bool>) {
        let every = (self.inner.config.lease / 2).max(Duration::from_millis(100));
        loop {
            match jobs::rescue_expired(&self.inner.db, self.inner.clock.now()).await {
                Ok(0) => {}
                Ok(rescued) => {
                    tracing::warn!(rescued, "rescued jobs whose worker stopped responding")
                }
                Err(error) => tracing::warn!(%error, "rescuing jobs failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn scheduler_loop(&self, mut stop: watch::Receiver<bool>) {
        let Some(scheduler) = &self.inner.scheduler else {
            return;
        };
        loop {
            if let Err(error) = scheduler.tick(&self.inner.db, self.inner.clock.now()).await {
                tracing::warn!(%error, "scheduling periodic jobs failed");
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(15)) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Runs one claimed job to its outcome.
    async fn execute(&self, job: Job) {
        let inner = &self.inner;
        let started = inner.clock.now();
        let due = job.run_at.max(job.created_at);
        let wait = started.duration_since(due).as_secs_f64().max(0.0);
        metrics::histogram!("job_start_latency_seconds", "queue" => job.queue.clone()).record(wait);

        let heartbeat = {
            let db = inner.db.clone();
            let clock = Arc::clone(&inner.clock);
            let worker_id = Arc::clone(&inner.worker_id);
            let lease = inner.config.lease;
            let id = job.id;
            AbortOnDrop(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(lease / 3).await;
                    match jobs::heartbeat(&db, id, &worker_id, clock.now() + signed(lease)).await {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::warn!(job.id = %id, "lost the lease on a running job");
                            return;
                        }
                        Err(error) => tracing::warn!(%error, job.id = %id, "heartbeat failed"),
                    }
                }
            }))
        };

        let result = match inner.registry.handler(&job.kind) {
            None => Err(JobError::new(format!(
                "no handler for job kind {:?} in this worker",
                job.kind
            ))),
            Some(handler) => {
                let ctx = JobContext::new(
                    ContextParts {
                        db: inner.db.clone(),
                        mailer: inner.mailer.clone(),
                        settings: Arc::clone(&inner.settings),
                        clock: Arc::clone(&inner.clock),
                        worker_id: Arc::clone(&inner.worker_id),
                    },
                    &job,
                );
                // A task of its own, so that a panic is caught here and the worker goes on.
                let mut task = AbortOnDrop(tokio::spawn(handler(job.payload.clone(), ctx)));
                match (&mut task.0).await {
                    Ok(result) => result,
                    Err(error) if error.is_panic() => Err(JobError::new(format!(
                        "panicked: {}",
                        panic_message(error.into_panic())
                    ))),
                    Err(_) => Err(JobError::new("cancelled")),
                }
            }
        };
        drop(heartbeat);

        let now = inner.clock.now();
        let outcome = match result {
            Ok(()) => match self.completer().complete(job.id).await {
                Some(true) => "done",
                Some(false) => "lost",
                None => "error",
            },
            Err(error) => {
                let retry_at = error
                    .retry
                    .then(|| now + jobs::backoff(job.attempt, jitter()));
                match jobs::fail(
                    &inner.db,
                    job.id,
                    &inner.worker_id,
                    &error.message,
                    retry_at,
                    now,
                )
                .await
                {
                    Ok(FailOutcome::Retry(at)) => {
                        tracing::warn!(job.id = %job.id, job.kind = %job.kind, attempt = job.attempt, %error, retry_at = %at, "job failed; will retry");
                        "retry"
                    }
                    Ok(FailOutcome::Dead) => {
                        tracing::error!(job.id = %job.id, job.kind = %job.kind, attempt = job.attempt, %error, "job failed for the last time");
                        "dead"
                    }
                    Ok(FailOutcome::Lost) => "lost",
                    Err(store_error) => {
                        tracing::error!(error = %store_error, job.id = %job.id, "recording a failed job failed");
                        "error"
                    }
                }
            }
        };
        metrics::counter!("jobs_finished_total", "kind" => job.kind.clone(), "outcome" => outcome)
            .increment(1);
    }

    /// Runs due jobs of every queue, one at a time, until none is due (tests). Returns how
    /// many attempts ran.
    pub async fn drain(&self) -> Result<usize, pursuit_store::StoreError> {
        let inner = &self.inner;
        let mut ran = 0;
        loop {
            let mut this_round = 0;
            for queue in &inner.config.queues {
                let claimed = jobs::claim(
                    &inner.db,
                    &queue.name,
                    &inner.worker_id,
                    1,
                    signed(inner.config.lease),
                    inner.clock.now(),
                )
                .await?;
                for job in claimed {
                    self.execute(job).await;
                    this_round += 1;
                }
            }
            if this_round == 0 {
                return Ok(ran);
            }
            ran += this_round;
        }
    }
}
