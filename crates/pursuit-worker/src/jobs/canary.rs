//! `system.canary`: an idempotent job with a visible business effect (one `queue_canary`
//! row per job, `runs` counting executions), to check the queue end to end: the reliability
//! tests kill workers running these and then count rows.

use std::time::Duration;

use jiff::Timestamp;
use pursuit_store::jobs::{self, JobSpec};
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Canary {
    /// Work time before the effect, so that a kill can land mid-job.
    #[serde(default)]
    pub work_ms: u64,
}

impl JobSpec for Canary {
    const KIND: &'static str = "system.canary";
}

pub async fn run(job: Canary, ctx: JobContext) -> Result<(), JobError> {
    tokio::time::sleep(Duration::from_millis(job.work_ms.min(60_000))).await;
    jobs::mark_canary(&ctx.db, ctx.job_id, Timestamp::now()).await?;
    Ok(())
}
