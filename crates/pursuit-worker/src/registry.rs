//! Job kinds and their handlers.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use pursuit_domain::ids::JobId;
use pursuit_store::Db;
use pursuit_store::jobs::{self, JobSpec};

/// Why a job attempt failed; the message goes into the job's error history.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JobError(pub String);

impl JobError {
    pub fn new(message: impl Into<String>) -> JobError {
        JobError(message.into())
    }
}

impl From<pursuit_store::StoreError> for JobError {
    fn from(error: pursuit_store::StoreError) -> JobError {
        JobError(error.to_string())
    }
}

/// What a handler gets besides its payload.
#[derive(Clone)]
pub struct JobContext {
    pub db: Db,
    pub mailer: pursuit_mail::Mailer,
    pub job_id: JobId,
    pub attempt: i64,
    worker_id: Arc<str>,
}

impl JobContext {
    pub(crate) fn new(
        db: Db,
        mailer: pursuit_mail::Mailer,
        job_id: JobId,
        attempt: i64,
        worker_id: Arc<str>,
    ) -> JobContext {
        JobContext {
            db,
            mailer,
            job_id,
            attempt,
            worker_id,
        }
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
