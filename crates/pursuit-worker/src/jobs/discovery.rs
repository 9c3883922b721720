//! `discovery.dispatch` (every quarter hour: each enabled search a day old is queued) and
//! `discovery.run` (one run of a search, source by source with progress;
//! `pursuit_app::discovery` holds how).

use pursuit_app::discovery::{self, DispatchDiscovery, RunSearch, client::Client};
use pursuit_domain::ids::DiscoveryRunId;

use crate::registry::{JobContext, JobError};

pub async fn run_dispatch(_job: DispatchDiscovery, ctx: JobContext) -> Result<(), JobError> {
    let queued = discovery::dispatch(&ctx.db, ctx.now())
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    if queued > 0 {
        tracing::info!(queued, "discovery runs queued");
    }
    Ok(())
}

pub async fn run(job: RunSearch, ctx: JobContext) -> Result<(), JobError> {
    let id = DiscoveryRunId(job.run_id);
    let outcome = run_whole(id, &ctx).await;
    if let Err(e) = &outcome
        && ctx.last_attempt()
    {
        // Recorded so the search is not left waiting on a run that will not end.
        discovery::fail(&ctx.db, id, &e.to_string(), ctx.now())
            .await
            .map_err(|e| JobError::new(e.to_string()))?;
    }
    outcome
}

async fn run_whole(id: DiscoveryRunId, ctx: &JobContext) -> Result<(), JobError> {
    let settings = &ctx.settings.discovery;
    let error = |e: pursuit_app::AppError| JobError::new(e.to_string());
    let Some(mut running) = discovery::start(&ctx.db, settings, id, Some(ctx.job_id), ctx.now())
        .await
        .map_err(error)?
    else {
        return Ok(());
    };
    let client = Client::new(settings);
    let total = running.sources.len().max(1);
    for i in 0..running.sources.len() {
        let percent = 5 + (85 * i / total) as i64;
        ctx.progress(percent, &format!("reading {}", running.sources[i].name))
            .await?;
        discovery::run_source(&ctx.db, &client, &mut running, i, ctx.now())
            .await
            .map_err(error)?;
    }
    ctx.progress(90, "asking whether older jobs are still there")
        .await?;
    discovery::check_liveness(&ctx.db, &client, &mut running, ctx.now())
        .await
        .map_err(error)?;
    ctx.progress(95, "ranking the new jobs").await?;
    let run = discovery::finish(&ctx.db, running, &ctx.settings.base_url, ctx.now())
        .await
        .map_err(error)?;
    tracing::info!(
        run = %run.id,
        fetched = run.fetched,
        new = run.new,
        duplicate = run.duplicate,
        failed = run.failed,
        "discovery run finished"
    );
    Ok(())
}
