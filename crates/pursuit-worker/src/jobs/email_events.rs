//! `email_events.ingest`: a provider's webhook request, believed and queued by the web
//! app, becomes email events (`pursuit_app::email_events`, which holds what each does).

use pursuit_app::email_events::{Ingest, ingest};

use crate::registry::{JobContext, JobError};

pub async fn run(job: Ingest, ctx: JobContext) -> Result<(), JobError> {
    let report = ingest(&ctx.db, &job, ctx.settings.notification_ttl, ctx.now())
        .await
        .map_err(|e| match e {
            // A body that cannot be read will not read better next time.
            pursuit_app::error::AppError::Invalid(_) => JobError::for_good(e.to_string()),
            other => JobError::new(other.to_string()),
        })?;
    ctx.set_result(&serde_json::to_value(&report).unwrap_or_default())
        .await?;
    Ok(())
}
