//! `system.noop`: does nothing; the queue benchmark measures the queue itself with it.

use pursuit_store::jobs::JobSpec;
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Noop {}

impl JobSpec for Noop {
    const KIND: &'static str = "system.noop";
}

pub async fn run(_job: Noop, _ctx: JobContext) -> Result<(), JobError> {
    Ok(())
}
