//! `system.sweep`: daily housekeeping. Deletes what has no use any more: ended sessions,
//! sign-in links and OAuth states past their time, finished jobs and periodic ticks older
//! than 30 days, idempotency keys older than a day, import previews never confirmed within
//! a week (committed imports stay until their owner deletes them). Idempotent by nature.

use jiff::{SignedDuration, Timestamp};
use pursuit_store::jobs::JobSpec;
use pursuit_store::query;
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sweep {}

impl JobSpec for Sweep {
    const KIND: &'static str = "system.sweep";
    const MAX_ATTEMPTS: i64 = 3;
}

pub async fn run(_job: Sweep, ctx: JobContext) -> Result<(), JobError> {
    let now = Timestamp::now();
    let day_ago = now - SignedDuration::from_hours(24);
    let month_ago = now - SignedDuration::from_hours(24 * 30);
    let statements = [
        query("DELETE FROM sessions WHERE expires_at < $1").bind(now),
        query("DELETE FROM magic_links WHERE expires_at < $1").bind(day_ago),
        query("DELETE FROM oauth_states WHERE expires_at < $1").bind(now),
        query("DELETE FROM jobs WHERE state IN ('done', 'cancelled') AND finished_at < $1")
            .bind(month_ago),
        query("DELETE FROM periodic_ticks WHERE tick_at < $1").bind(month_ago),
        query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(day_ago),
        query("DELETE FROM notifications WHERE expires_at <= $1").bind(now),
        query("DELETE FROM imports WHERE status = 'previewed' AND created_at < $1")
            .bind(now - SignedDuration::from_hours(24 * 7)),
    ];
    for statement in statements {
        ctx.db.execute(statement).await?;
    }
    // A day's writes may have moved the planner's statistics (SQLite; PostgreSQL's
    // autovacuum does this itself).
    ctx.db.optimize().await?;
    Ok(())
}
