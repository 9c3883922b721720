//! Background work ("tasks" to users): the runtime that drives `pursuit-store`'s job queue,
//! the periodic scheduler, and the job kinds.
//!
//! # Layout
//! - [`runtime`]: [`Worker`]: per-queue claim loops with a concurrency limit, leases kept
//!   alive by heartbeats, retries with backoff, panics caught, rescue of jobs whose worker
//!   died, graceful shutdown that finishes or releases what it holds; [`Worker::drain`] for
//!   tests.
//! - [`registry`]: job kind → handler.
//! - [`scheduler`] and [`cron`]: periodic jobs, exactly once per tick across processes.
//! - [`jobs`]: one file per job kind (payload type + handler).
//! - [`clock`]: the time source, replaceable in tests.
//! - [`template`]: the small template language of mail.
//!
//! The job payloads and the helpers that enqueue them live in `pursuit-app` (web and worker
//! both depend on it, never on each other); this crate runs them.
//!
//! Guarantees: at-least-once execution (a job whose worker dies runs again), so handlers
//! are idempotent; enqueue is transactional (`pursuit_store::jobs::enqueue` takes the
//! caller's transaction).

pub mod clock;
pub mod cron;
pub mod jobs;
pub mod registry;
pub mod runtime;
pub mod scheduler;
pub mod template;

pub use clock::{Clock, ManualClock, SystemClock};
pub use registry::{JobContext, JobError, JobSettings, Registry};
pub use runtime::{QueueConfig, Worker, WorkerConfig};
