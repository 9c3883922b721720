//! `outreach.dispatch`: every minute, each mailbox whose gap has passed sends its most
//! urgent due email (`pursuit_app::outreach`, which holds the send protocol).

use pursuit_app::outreach::{DispatchOutreach, Sender, Smtp};

use crate::registry::{JobContext, JobError};

pub async fn run(_job: DispatchOutreach, ctx: JobContext) -> Result<(), JobError> {
    let sender = Sender {
        db: &ctx.db,
        secrets: &ctx.settings.ai.secrets,
        transport: &Smtp {
            hosts: ctx.settings.mailbox_hosts,
        },
        base_url: &ctx.settings.base_url,
        notification_ttl: ctx.settings.notification_ttl,
    };
    let mut pick = |most: i64| -> i64 {
        if most <= 0 {
            return 0;
        }
        (uuid::Uuid::new_v4().as_u128() % (most as u128 + 1)) as i64
    };
    let report = sender
        .dispatch(ctx.now(), &mut pick)
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    if report != pursuit_app::outreach::Report::default() {
        tracing::info!(?report, "outreach scan");
    }
    Ok(())
}
