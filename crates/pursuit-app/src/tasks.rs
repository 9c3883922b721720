//! Tasks (background jobs a user owns; users say "task", "job" means a posting elsewhere):
//! one of the user's, and a dead one run again. What the API's `/api/v1/tasks/{id}`, the
//! task page and the pages that follow a task (company research) read.

use jiff::Timestamp;
use pursuit_domain::ids::{JobId, UserId};
use pursuit_store::Db;
use pursuit_store::jobs::{self, Job};

use crate::error::AppError;

/// One of the user's tasks; another user's is not found, like a missing one.
pub async fn get(db: &Db, user: UserId, id: JobId) -> Result<Job, AppError> {
    jobs::get_for_user(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Runs a dead (or waiting-to-retry) task of the user's again now, with a fresh attempt
/// budget (its error history is kept). A task queued, running or done is a conflict.
pub async fn retry(db: &Db, user: UserId, id: JobId, now: Timestamp) -> Result<Job, AppError> {
    get(db, user, id).await?;
    if !jobs::retry(db, id, now).await? {
        return Err(AppError::Conflict(
            "only a dead task, or one waiting to retry, can be retried".to_owned(),
        ));
    }
    get(db, user, id).await
}

/// Whether the task is still to finish (queued, running, or waiting to retry).
pub fn is_live(job: &Job) -> bool {
    matches!(job.state.as_str(), "queued" | "running" | "retryable")
}

/// The task's latest failure, if any.
pub fn last_error(job: &Job) -> Option<String> {
    job.errors
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["error"].as_str().map(str::to_owned))
}
