//! `replies.read`: every minute (and once more half a minute later), each mailbox that
//! names an IMAP server is read from where its last reading stopped (`pursuit_app::replies`,
//! which holds what a reply does); with a mailbox's id (queued by the IDLE watch the moment
//! its server reports something), that mailbox alone.

use pursuit_app::replies::{ReadReplies, Reader};

use crate::registry::{JobContext, JobError};

pub async fn run(job: ReadReplies, ctx: JobContext) -> Result<(), JobError> {
    if !job.half && job.mailbox.is_none() {
        pursuit_store::jobs::enqueue(
            &ctx.db,
            &ReadReplies {
                half: true,
                mailbox: None,
            },
            &pursuit_store::jobs::EnqueueOptions {
                run_at: Some(ctx.now() + pursuit_app::replies::HALF_MINUTE),
                dedupe_key: Some("replies.read.half".to_owned()),
                ..Default::default()
            },
            ctx.now(),
        )
        .await
        .map_err(|e| JobError::new(e.to_string()))?;
    }
    let reader = Reader {
        db: &ctx.db,
        ai: &ctx.settings.ai,
        hosts: ctx.settings.mailbox_hosts,
        notification_ttl: ctx.settings.notification_ttl,
    };
    let report = match job.mailbox {
        Some(id) => {
            reader
                .scan_one(pursuit_domain::ids::MailboxId(id), ctx.now())
                .await
        }
        None => reader.scan(ctx.now()).await,
    }
    .map_err(|e| JobError::new(e.to_string()))?;
    if report.messages > 0 {
        tracing::info!(?report, "reply scan");
    }
    Ok(())
}
