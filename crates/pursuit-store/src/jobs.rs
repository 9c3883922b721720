//! The durable job queue's SQL. The runtime that drives it (workers, leases, scheduler) is
//! `pursuit-worker`; this module only moves rows between states, each move guarded so that a
//! worker that lost its lease cannot clobber the job's new owner.
//!
//! Claiming differs by backend in one clause: PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`, so many workers claim different rows at once; SQLite runs the
//! claim inside a `BEGIN IMMEDIATE` transaction, which admits one claimer at a time.

use jiff::{SignedDuration, Timestamp};
use pursuit_domain::ids::{JobId, UserId};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::{Backend, Conn, Db};
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobState {
    Queued,
    Running,
    Retryable,
    Done,
    Dead,
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Queued,
        JobState::Running,
        JobState::Retryable,
        JobState::Done,
        JobState::Dead,
        JobState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Retryable => "retryable",
            JobState::Done => "done",
            JobState::Dead => "dead",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A kind of job: its name, queue and retry budget, and its payload type.
pub trait JobSpec: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stored in `jobs.kind`; never rename one that has shipped.
    const KIND: &'static str;
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 10;
}

/// Options of one enqueue.
#[derive(Clone, Debug, Default)]
pub struct EnqueueOptions {
    /// Not before this time (default: now).
    pub run_at: Option<Timestamp>,
    /// Higher runs first among due jobs (default 0).
    pub priority: i64,
    /// At most one waiting or running job per key.
    pub dedupe_key: Option<String>,
    /// The user the job works for, who may then see it.
    pub user_id: Option<UserId>,
}

/// What an enqueue did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enqueued {
    pub id: JobId,
    /// False when a live job with the same dedupe key already existed (and is returned).
    pub created: bool,
}

/// Enqueues a typed job. Call it with the transaction of the write that causes the job: a
/// rollback then leaves no job behind.
pub async fn enqueue<J: JobSpec>(
    conn: impl Conn,
    job: &J,
    options: &EnqueueOptions,
    now: Timestamp,
) -> Result<Enqueued, StoreError> {
    let payload = serde_json::to_value(job).map_err(|e| StoreError::Decode {
        column: "payload".to_owned(),
        message: e.to_string(),
    })?;
    enqueue_raw(
        conn,
        J::KIND,
        J::QUEUE,
        payload,
        J::MAX_ATTEMPTS,
        options,
        now,
    )
    .await
}

const LIVE_STATES: &str = "('queued', 'running', 'retryable')";

/// Enqueues by kind name (for the CLI and tests); prefer [`enqueue`].
pub async fn enqueue_raw(
    mut conn: impl Conn,
    kind: &str,
    queue: &str,
    payload: serde_json::Value,
    max_attempts: i64,
    options: &EnqueueOptions,
    now: Timestamp,
) -> Result<Enqueued, StoreError> {
    let id = JobId::new();
    let sql = format!(
        "INSERT INTO jobs (id, kind, queue, payload, state, priority, attempt, max_attempts, run_at, dedupe_key, \
         user_id, locked_by, lease_expires_at, progress, progress_message, errors, created_at, started_at, finished_at) \
         VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, $7, $8, $9, NULL, NULL, NULL, NULL, $10, $11, NULL, NULL) \
         ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN {LIVE_STATES} DO NOTHING"
    );
    // A conflicting job can finish between our insert and our look-up; then insert again.
    for _ in 0..3 {
        let inserted = conn
            .execute(
                Query::dynamic(sql.clone())
                    .bind(id)
                    .bind(kind)
                    .bind(queue)
                    .bind(payload.clone())
                    .bind(options.priority)
                    .bind(max_attempts)
                    .bind(options.run_at.unwrap_or(now))
                    .bind(options.dedupe_key.clone())
                    .bind(options.user_id)
                    .bind(serde_json::json!([]))
                    .bind(now),
            )
            .await?;
        if inserted == 1 {
            return Ok(Enqueued { id, created: true });
        }
        let existing = conn
            .fetch_optional(
                Query::dynamic(format!(
                    "SELECT id FROM jobs WHERE dedupe_key = $1 AND state IN {LIVE_STATES}"
                ))
                .bind(options.dedupe_key.clone()),
            )
            .await?;
        if let Some(row) = existing {
            return Ok(Enqueued {
                id: JobId(row.get("id")?),
                created: false,
            });
        }
    }
    Err(StoreError::UniqueViolation {
        constraint: Some("jobs_live_dedupe".to_owned()),
    })
}

/// A job as stored.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub queue: String,
    pub payload: serde_json::Value,
    pub state: JobState,
    pub priority: i64,
    pub attempt: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
    pub dedupe_key: Option<String>,
    pub user_id: Option<UserId>,
    pub locked_by: Option<String>,
    pub lease_expires_at: Option<Timestamp>,
    pub progress: Option<i64>,
    pub progress_message: Option<String>,
    pub errors: serde_json::Value,
    /// What the job made, set by its handler (e.g. `{"document_id": …}`).
    pub result: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

const JOB_COLUMNS: &str = "id, kind, queue, payload, state, priority, attempt, max_attempts, run_at, dedupe_key, \
     user_id, locked_by, lease_expires_at, progress, progress_message, errors, result, created_at, started_at, finished_at";

fn job_from_row(row: &Row) -> Result<Job, StoreError> {
    let state: String = row.get("state")?;
    Ok(Job {
        id: JobId(row.get("id")?),
        kind: row.get("kind")?,
        queue: row.get("queue")?,
        payload: row.get("payload")?,
        state: JobState::parse(&state).ok_or_else(|| StoreError::Decode {
            column: "state".to_owned(),
            message: state.clone(),
        })?,
        priority: row.get("priority")?,
        attempt: row.get("attempt")?,
        max_attempts: row.get("max_attempts")?,
        run_at: row.get("run_at")?,
        dedupe_key: row.get("dedupe_key")?,
        user_id: row.get::<Option<uuid::Uuid>>("user_id")?.map(UserId),
        locked_by: row.get("locked_by")?,
        lease_expires_at: row.get("lease_expires_at")?,
        progress: row.get("progress")?,
        progress_message: row.get("progress_message")?,
        errors: row.get("errors")?,
        result: row.get("result")?,
        created_at: row.get("created_at")?,
        started_at: row.get("started_at")?,
        finished_at: row.get("finished_at")?,
    })
}

/// Claims up to `limit` due jobs of `queue` for `worker`, holding each for `lease`.
pub async fn claim(
    db: &Db,
    queue: &str,
    worker: &str,
    limit: i64,
    lease: SignedDuration,
    now: Timestamp,
) -> Result<Vec<Job>, StoreError> {
    let locking = match db.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', attempt = attempt + 1, locked_by = $1, lease_expires_at = $2, \
         started_at = $3, progress = NULL, progress_message = NULL \
         WHERE id IN (SELECT id FROM jobs WHERE queue = $4 AND state IN ('queued', 'retryable') AND run_at <= $3 \
                      ORDER BY priority DESC, run_at, id LIMIT $5 {locking}) \
         RETURNING {JOB_COLUMNS}"
    );
    let mut tx = db.begin().await?;
    let rows = tx
        .fetch_all(
            Query::dynamic(sql)
                .bind(worker)
                .bind(now + lease)
                .bind(now)
                .bind(queue)
                .bind(limit),
        )
        .await?;
    tx.commit().await?;
    let mut jobs = rows
        .iter()
        .map(job_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    // RETURNING does not promise the subquery's order.
    jobs.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.run_at.cmp(&b.run_at))
            .then(a.id.cmp(&b.id))
    });
    Ok(jobs)
}

/// Extends a running job's lease; false when the worker no longer holds it.
pub async fn heartbeat(
    mut conn: impl Conn,
    id: JobId,
    worker: &str,
    until: Timestamp,
) -> Result<bool, StoreError> {
    let updated = conn
        .execute(
            query("UPDATE jobs SET lease_expires_at = $3 WHERE id = $1 AND locked_by = $2 AND state = 'running'")
                .bind(id)
                .bind(worker)
                .bind(until),
        )
        .await?;
    Ok(updated == 1)
}

/// Records progress of a running job (0–100 and a message).
pub async fn set_progress(
    mut conn: impl Conn,
    id: JobId,
    worker: &str,
    percent: i64,
    message: Option<&str>,
) -> Result<bool, StoreError> {
    let updated = conn
        .execute(
            query(
                "UPDATE jobs SET progress = $3, progress_message = $4 WHERE id = $1 AND locked_by = $2 AND state = 'running'",
            )
            .bind(id)
            .bind(worker)
            .bind(percent.clamp(0, 100))
            .bind(message.map(str::to_owned)),
        )
        .await?;
    Ok(updated == 1)
}

/// Records what a running job made (shown with the task); false when the worker had lost it.
pub async fn set_result(
    mut conn: impl Conn,
    id: JobId,
    worker: &str,
    result: &serde_json::Value,
) -> Result<bool, StoreError> {
    let updated = conn
        .execute(
            query("UPDATE jobs SET result = $3 WHERE id = $1 AND locked_by = $2 AND state = 'running'")
                .bind(id)
                .bind(worker)
                .bind(result.clone()),
        )
        .await?;
    Ok(updated == 1)
}

/// Marks a job done; false when the worker had lost it (another worker owns it now).
pub async fn complete(
    mut conn: impl Conn,
    id: JobId,
    worker: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let updated = conn
        .execute(
            query(
                "UPDATE jobs SET state = 'done', finished_at = $3, locked_by = NULL, lease_expires_at = NULL, progress = 100 \
                 WHERE id = $1 AND locked_by = $2 AND state = 'running'",
            )
            .bind(id)
            .bind(worker)
            .bind(now),
        )
        .await?;
    Ok(updated == 1)
}

fn with_error(
    errors: &serde_json::Value,
    attempt: i64,
    error: &str,
    now: Timestamp,
) -> serde_json::Value {
    let mut list = errors.as_array().cloned().unwrap_or_default();
    // Keep the history bounded: the first failures and the latest ones tell the story.
    if list.len() >= 50 {
        list.remove(1);
    }
    let error: String = error.chars().take(2000).collect();
    list.push(serde_json::json!({ "attempt": attempt, "at": now.to_string(), "error": error }));
    serde_json::Value::Array(list)
}

/// What became of a failed job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOutcome {
    /// Will run again at this time.
    Retry(Timestamp),
    /// Out of attempts.
    Dead,
    /// The worker no longer held the job; nothing changed.
    Lost,
}

/// Records a failed attempt: retryable at `retry_at` while attempts remain, else dead (at
/// once when `retry_at` is `None`: a failure that another attempt would only repeat).
pub async fn fail(
    db: &Db,
    id: JobId,
    worker: &str,
    error: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<FailOutcome, StoreError> {
    let mut tx = db.begin().await?;
    let Some(row) = tx
        .fetch_optional(
            query("SELECT attempt, max_attempts, errors FROM jobs WHERE id = $1 AND locked_by = $2 AND state = 'running'")
                .bind(id)
                .bind(worker),
        )
        .await?
    else {
        return Ok(FailOutcome::Lost);
    };
    let attempt: i64 = row.get("attempt")?;
    let max_attempts: i64 = row.get("max_attempts")?;
    let errors = with_error(&row.get("errors")?, attempt, error, now);
    let outcome = match retry_at {
        Some(at) if attempt < max_attempts => FailOutcome::Retry(at),
        _ => FailOutcome::Dead,
    };
    let (state, run_at, finished_at) = match outcome {
        FailOutcome::Retry(at) => ("retryable", at, None),
        _ => ("dead", now, Some(now)),
    };
    tx.execute(
        query(
            "UPDATE jobs SET state = $2, run_at = $3, errors = $4, finished_at = $5, locked_by = NULL, lease_expires_at = NULL \
             WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(run_at)
        .bind(errors)
        .bind(finished_at),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Rescues running jobs whose lease expired (their worker died): retryable now if attempts
/// remain, else dead, with the reason in their error history. Returns how many.
pub async fn rescue_expired(db: &Db, now: Timestamp) -> Result<u64, StoreError> {
    let locking = match db.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut tx = db.begin().await?;
    let rows = tx
        .fetch_all(
            Query::dynamic(format!(
                "SELECT id, attempt, max_attempts, errors, locked_by FROM jobs \
                 WHERE state = 'running' AND lease_expires_at < $1 LIMIT 500 {locking}"
            ))
            .bind(now),
        )
        .await?;
    for row in &rows {
        let attempt: i64 = row.get("attempt")?;
        let max_attempts: i64 = row.get("max_attempts")?;
        let worker: Option<String> = row.get("locked_by")?;
        let reason = format!(
            "lease expired: worker {} stopped responding",
            worker.as_deref().unwrap_or("unknown")
        );
        let errors = with_error(&row.get("errors")?, attempt, &reason, now);
        let (state, finished_at) = if attempt >= max_attempts {
            ("dead", Some(now))
        } else {
            ("retryable", None)
        };
        tx.execute(
            query(
                "UPDATE jobs SET state = $2, run_at = $3, errors = $4, finished_at = $5, locked_by = NULL, \
                 lease_expires_at = NULL WHERE id = $1 AND state = 'running'",
            )
            .bind(JobId(row.get("id")?))
            .bind(state)
            .bind(now)
            .bind(errors)
            .bind(finished_at),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Gives back the jobs a stopping worker still holds, to run again at once. The attempt
/// does not count: the job did not fail, its worker left.
pub async fn release(mut conn: impl Conn, worker: &str, now: Timestamp) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE jobs SET state = 'retryable', run_at = $2, attempt = attempt - 1, locked_by = NULL, \
             lease_expires_at = NULL WHERE locked_by = $1 AND state = 'running'",
        )
        .bind(worker)
        .bind(now),
    )
    .await
}

pub async fn get(mut conn: impl Conn, id: JobId) -> Result<Option<Job>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1")).bind(id),
    )
    .await?
    .as_ref()
    .map(job_from_row)
    .transpose()
}

/// A job of this user's; another user's job is `None`, like a missing one.
pub async fn get_for_user(
    mut conn: impl Conn,
    user_id: UserId,
    id: JobId,
) -> Result<Option<Job>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(job_from_row)
    .transpose()
}

/// Jobs for operators, newest first, optionally in one state.
pub async fn list(
    mut conn: impl Conn,
    state: Option<JobState>,
    limit: i64,
) -> Result<Vec<Job>, StoreError> {
    let rows = match state {
        Some(state) => {
            conn.fetch_all(
                Query::dynamic(format!(
                    "SELECT {JOB_COLUMNS} FROM jobs WHERE state = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
                ))
                .bind(state.as_str())
                .bind(limit),
            )
            .await?
        }
        None => {
            conn.fetch_all(
                Query::dynamic(format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, id DESC LIMIT $1"))
                    .bind(limit),
            )
            .await?
        }
    };
    rows.iter().map(job_from_row).collect()
}

/// Puts a dead, cancelled or retryable job back in the queue to run now, with a fresh
/// attempt budget; its error history is kept. False when the job is live or missing.
pub async fn retry(mut conn: impl Conn, id: JobId, now: Timestamp) -> Result<bool, StoreError> {
    let updated = conn
        .execute(
            query(
                "UPDATE jobs SET state = 'queued', run_at = $2, attempt = 0, finished_at = NULL \
                 WHERE id = $1 AND state IN ('dead', 'cancelled', 'retryable')",
            )
            .bind(id)
            .bind(now),
        )
        .await?;
    Ok(updated == 1)
}

/// Jobs per queue and state, for `/metrics`.
pub async fn counts(mut conn: impl Conn) -> Result<Vec<(String, JobState, i64)>, StoreError> {
    let rows = conn
        .fetch_all(query(
            "SELECT queue, state, count(*) AS n FROM jobs WHERE state IN ('queued', 'running', 'retryable', 'dead') \
             GROUP BY queue, state",
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let state: String = row.get("state")?;
            Ok((
                row.get("queue")?,
                JobState::parse(&state).ok_or_else(|| StoreError::Decode {
                    column: "state".to_owned(),
                    message: state,
                })?,
                row.get("n")?,
            ))
        })
        .collect()
}

/// Records that periodic job `name` fired for `tick_at`; false when it already had.
pub async fn record_tick(
    mut conn: impl Conn,
    name: &str,
    tick_at: Timestamp,
    job_id: JobId,
) -> Result<bool, StoreError> {
    let inserted = conn
        .execute(
            query("INSERT INTO periodic_ticks (name, tick_at, job_id) VALUES ($1, $2, $3) ON CONFLICT (name, tick_at) DO NOTHING")
                .bind(name)
                .bind(tick_at)
                .bind(job_id),
        )
        .await?;
    Ok(inserted == 1)
}

/// The canary's business effect: one row per job, `runs` counting executions.
pub async fn mark_canary(
    mut conn: impl Conn,
    job_id: JobId,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO queue_canary (job_id, marked_at, runs) VALUES ($1, $2, 1) \
             ON CONFLICT (job_id) DO UPDATE SET runs = queue_canary.runs + 1",
        )
        .bind(job_id)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Exponential backoff with jitter for attempt `attempt` (1-based): about 2^attempt seconds
/// (plus up to 25 % jitter), capped at one day; never overflows however large the attempt.
pub fn backoff(attempt: i64, jitter_fraction: f64) -> SignedDuration {
    const CAP_SECS: i64 = 24 * 60 * 60;
    let exponent = attempt.clamp(0, 20) as u32;
    let base = 2_i64.saturating_pow(exponent).min(CAP_SECS);
    let jitter = (base as f64 * 0.25 * jitter_fraction.clamp(0.0, 1.0)) as i64;
    SignedDuration::from_secs((base + jitter).min(CAP_SECS))
}

/// Marks many jobs done in one statement (the worker batches acknowledgements, so a queue
/// of short jobs pays one commit per batch, not one per job). Returns the ids it marked;
/// an id missing from the answer was no longer held by `worker`.
pub async fn complete_many(
    mut conn: impl Conn,
    ids: &[JobId],
    worker: &str,
    now: Timestamp,
) -> Result<Vec<JobId>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Only generated placeholders go into the text; the ids are bound.
    let sql = format!(
        "UPDATE jobs SET state = 'done', finished_at = $2, locked_by = NULL, lease_expires_at = NULL, progress = 100 \
         WHERE locked_by = $1 AND state = 'running' AND id IN ({}) RETURNING id",
        crate::sql::placeholders(3, ids.len())
    );
    let mut statement = Query::dynamic(sql).bind(worker).bind(now);
    for id in ids {
        statement = statement.bind(*id);
    }
    conn.fetch_all(statement)
        .await?
        .iter()
        .map(|row| Ok(JobId(row.get("id")?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_stops_at_the_cap_and_never_overflows() {
        let delays: Vec<i64> = (1..=30).map(|a| backoff(a, 0.0).as_secs()).collect();
        assert_eq!(&delays[..5], &[2, 4, 8, 16, 32]);
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert_eq!(*delays.last().unwrap(), 24 * 60 * 60);
        assert_eq!(backoff(i64::MAX, 1.0).as_secs(), 24 * 60 * 60);
        assert_eq!(backoff(-5, 0.0).as_secs(), 1);
    }

    #[test]
    fn jitter_adds_at_most_a_quarter() {
        for attempt in 1..12 {
            let plain = backoff(attempt, 0.0).as_secs();
            let jittered = backoff(attempt, 1.0).as_secs();
            assert!(
                jittered >= plain && jittered <= plain + plain / 4 + 1,
                "{attempt}: {plain} {jittered}"
            );
        }
    }

    #[test]
    fn error_history_is_bounded_and_keeps_the_first_failure() {
        let mut errors = serde_json::json!([]);
        for attempt in 1..=60 {
            errors = with_error(&errors, attempt, "boom", Timestamp::UNIX_EPOCH);
        }
        let list = errors.as_array().unwrap();
        assert_eq!(list.len(), 50);
        assert_eq!(list[0]["attempt"], 1);
        assert_eq!(list[49]["attempt"], 60);
    }
}
