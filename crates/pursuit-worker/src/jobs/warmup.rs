//! `warmup.dispatch`: every minute, each warming mailbox's day is planned when its hours
//! begin and the warmup emails due are sent (`pursuit_app::warmup`, which holds how).

use pursuit_app::outreach::Smtp;
use pursuit_app::warmup::{DispatchWarmup, Warmer, WarmupReport, random};

use crate::registry::{JobContext, JobError};

pub async fn run(_job: DispatchWarmup, ctx: JobContext) -> Result<(), JobError> {
    let warmer = Warmer {
        db: &ctx.db,
        secrets: &ctx.settings.ai.secrets,
        transport: &Smtp {
            hosts: ctx.settings.mailbox_hosts,
        },
    };
    let report = warmer
        .dispatch(ctx.now(), &mut random)
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    if report != WarmupReport::default() {
        tracing::info!(?report, "warmup scan");
    }
    Ok(())
}
