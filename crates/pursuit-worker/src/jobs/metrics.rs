//! `analytics.rollup`: each night, every launched campaign's days that are over are rolled
//! up into `campaign_metrics` (`pursuit_app::outreach_analytics::roll_up`, which holds how).

use pursuit_app::outreach_analytics::{RollUpMetrics, roll_up};

use crate::registry::{JobContext, JobError};

pub async fn run(_job: RollUpMetrics, ctx: JobContext) -> Result<(), JobError> {
    let report = roll_up(&ctx.db, ctx.now())
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    tracing::info!(
        campaigns = report.campaigns,
        days = report.days,
        "campaign metrics rolled up"
    );
    Ok(())
}
