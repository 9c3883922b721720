//! Job kinds and their handlers.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pursuit_domain::ids::JobId;
use pursuit_store::Db;
use pursuit_store::jobs::{self, JobSpec};

use crate::clock::Clock;

/// Why a job attempt failed; the message goes into the job's error history.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    pub message: String,
    /// Another attempt could go otherwise (false: the task is dead at once, e.g. a
    /// request the use case refuses).
    pub retry: bool,
}

impl JobError {
    /// A failure worth another attempt (while attempts remain).
    pub fn new(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            retry: true,
        }
    }

    /// A failure another attempt would only repeat: the task is dead at once.
    pub fn for_good(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            retry: false,
        }
    }
}

impl From<pursuit_store::StoreError> for JobError {
    fn from(error: pursuit_store::StoreError) -> JobError {
        JobError::new(error.to_string())
    }
}

/// Installation settings jobs need: where links point, how long notifications last.
#[derive(Clone, Debug)]
pub struct JobSettings {
    /// The public URL of the web app, without a trailing slash (links in mail).
    pub base_url: String,
    /// How long an in-app notification is kept.
    pub notification_ttl: jiff::SignedDuration,
    /// Names the product in generated files (e.g. `PRODID` of calendars).
    pub product_version: String,
    /// Where uploaded files are kept (`None`: jobs that need files fail and say so).
    pub files: Option<pursuit_files::Storage>,
    /// How far file readers may go.
    pub extract_limits: pursuit_files::Limits,
    /// Where untrusted files are read: the server and worker use a child process with its
    /// own memory and CPU limits; tests that need no files may keep a thread.
    pub file_reader: pursuit_files::Isolation,
    /// What embeds documents for similarity search (`None`: `embed.document` does nothing).
    pub embedder: Option<std::sync::Arc<pursuit_embed::Embedder>>,
    /// How far fetching a page goes (company research).
    pub fetch_limits: pursuit_files::fetch::Limits,
    /// The AI layer, its flags and the key users' provider keys are sealed with (writing
    /// that waits on a model).
    pub ai: pursuit_app::ai::AiParts,
    /// Where users' own mailbox servers may be (`mail.user_mailboxes_private`).
    pub mailbox_hosts: pursuit_domain::net::AddressPolicy,
    /// Where job discovery's sources are, their keys, and how politely they are asked.
    pub discovery: pursuit_app::discovery::Settings,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            base_url: "http://127.0.0.1:8080".to_owned(),
            notification_ttl: jiff::SignedDuration::from_hours(24 * 30),
            product_version: env!("CARGO_PKG_VERSION").to_owned(),
            files: None,
            extract_limits: pursuit_files::Limits::default(),
            file_reader: pursuit_files::Isolation::Thread,
            embedder: None,
            fetch_limits: pursuit_files::fetch::Limits::default(),
            ai: pursuit_app::ai::AiParts::local_only(),
            mailbox_hosts: pursuit_domain::net::AddressPolicy::default(),
            discovery: pursuit_app::discovery::Settings::default(),
        }
    }
}

/// What a handler gets besides its payload.
#[derive(Clone)]
pub struct JobContext {
    pub db: Db,
    pub mailer: pursuit_mail::Mailer,
    pub job_id: JobId,
    pub attempt: i64,
    /// The job kind's attempt budget: `attempt == max_attempts` is the last try.
    pub max_attempts: i64,
    pub settings: Arc<JobSettings>,
    clock: Arc<dyn Clock>,
    worker_id: Arc<str>,
}

/// Where a job context comes from (kept together so the constructor stays small).
pub(crate) struct ContextParts {
    pub db: Db,
    pub mailer: pursuit_mail::Mailer,
    pub settings: Arc<JobSettings>,
    pub clock: Arc<dyn Clock>,
    pub worker_id: Arc<str>,
}

impl JobContext {
    pub(crate) fn new(parts: ContextParts, job: &pursuit_store::jobs::Job) -> JobContext {
        JobContext {
            db: parts.db,
            mailer: parts.mailer,
            job_id: job.id,
            attempt: job.attempt,
            max_attempts: job.max_attempts,
            settings: parts.settings,
            clock: parts.clock,
            worker_id: parts.worker_id,
        }
    }

    /// The worker's clock (simulated in tests and benchmarks).
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// True on the job's last attempt: a failure now is final.
    pub fn last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// Records what the job made, shown with the task (`result` of `GET /api/v1/tasks/{id}`).
    pub async fn set_result(&self, result: &serde_json::Value) -> Result<(), JobError> {
        jobs::set_result(&self.db, self.job_id, &self.worker_id, result).await?;
        Ok(())
    }

    /// Reports progress (0–100 and a message) for `GET /api/v1/tasks/{id}`.
    pub async fn progress(&self, percent: i64, message: &str) -> Result<(), JobError> {
        jobs::set_progress(
            &self.db,
            self.job_id,
            &self.worker_id,
            percent,
            Some(message),
        )
        .await?;
        Ok(())
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type Handler = Arc<dyn Fn(serde_json::Value, JobContext) -> BoxFuture + Send + Sync>;

/// Job kind → handler, built once at start-up.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    /// Every job kind Pursuit ships.
    pub fn standard() -> Registry {
        let mut registry = Registry::default();
        crate::jobs::register_all(&mut registry);
        registry
    }

    /// Adds (or replaces) the handler of `J`.
    pub fn register<J, F, Fut>(&mut self, handler: F)
    where
        J: JobSpec,
        F: Fn(J, JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.handlers.insert(
            J::KIND,
            Arc::new(move |payload, ctx| {
                let handler = Arc::clone(&handler);
                Box::pin(async move {
                    let job: J = serde_json::from_value(payload).map_err(|e| {
                        JobError::new(format!("the payload is not a {}: {e}", J::KIND))
                    })?;
                    handler(job, ctx).await
                })
            }),
        );
    }

    pub(crate) fn handler(&self, kind: &str) -> Option<Handler> {
        self.handlers.get(kind).cloned()
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        let mut kinds: Vec<_> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        kinds
    }
}
