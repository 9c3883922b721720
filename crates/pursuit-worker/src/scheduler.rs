//! Periodic jobs: each fires once per tick of its cron schedule, however many worker
//! processes run a scheduler — the tick is recorded in `periodic_ticks` (primary key
//! `(name, tick_at)`) in the same transaction that enqueues the job, so a second scheduler's
//! insert conflicts and its transaction rolls back.
//!
//! A scheduler that was down looks back one day and fires the latest missed tick once; it
//! does not replay every missed tick.

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use pursuit_store::jobs::{self, EnqueueOptions, JobSpec};
use pursuit_store::{Db, StoreError};

use crate::cron::Cron;

const LOOKBACK: SignedDuration = SignedDuration::from_hours(24);

#[derive(Clone)]
struct Periodic {
    name: &'static str,
    schedule: Cron,
    zone: TimeZone,
    kind: &'static str,
    queue: &'static str,
    max_attempts: i64,
    payload: serde_json::Value,
}

/// The periodic jobs of this installation.
#[derive(Clone, Default)]
pub struct Scheduler {
    periodic: Arc<Vec<Periodic>>,
}

impl Scheduler {
    /// Adds job `job` to run on `schedule` in `zone`, under a stable `name`.
    pub fn add<J: JobSpec>(
        mut self,
        name: &'static str,
        schedule: Cron,
        zone: TimeZone,
        job: &J,
    ) -> Scheduler {
        let payload = serde_json::to_value(job).unwrap_or(serde_json::Value::Null);
        let mut list = (*self.periodic).clone();
        list.push(Periodic {
            name,
            schedule,
            zone,
            kind: J::KIND,
            queue: J::QUEUE,
            max_attempts: J::MAX_ATTEMPTS,
            payload,
        });
        self.periodic = Arc::new(list);
        self
    }

    /// Enqueues every periodic job whose latest tick has not fired yet. Returns how many
    /// this call enqueued.
    pub async fn tick(&self, db: &Db, now: Timestamp) -> Result<usize, StoreError> {
        let mut fired = 0;
        for periodic in self.periodic.iter() {
            let Some(tick_at) =
                periodic
                    .schedule
                    .latest_at_or_before(now, &periodic.zone, LOOKBACK)
            else {
                continue;
            };
            let mut tx = db.begin().await?;
            let options = EnqueueOptions {
                run_at: Some(tick_at),
                ..EnqueueOptions::default()
            };
            let job = jobs::enqueue_raw(
                &mut tx,
                periodic.kind,
                periodic.queue,
                periodic.payload.clone(),
                periodic.max_attempts,
                &options,
                now,
            )
            .await?;
            if jobs::record_tick(&mut tx, periodic.name, tick_at, job.id).await? {
                tx.commit().await?;
                fired += 1;
            } else {
                // Another scheduler fired this tick; our job goes with the rollback.
                tx.rollback().await?;
            }
        }
        Ok(fired)
    }
}
