//! `mail.send`: delivers one message through the configured transport (SMTP or the dev
//! outbox). Enqueued in the transaction of the write that causes it, so a rolled-back
//! sign-in request sends nothing; a failing mail server is retried with backoff.

use pursuit_app::mail::SendEmail;

use crate::registry::{JobContext, JobError};

pub async fn run(job: SendEmail, ctx: JobContext) -> Result<(), JobError> {
    let email = pursuit_mail::Email {
        to: job.to,
        subject: job.subject,
        text: job.text,
        html: job.html,
        attachments: Vec::new(),
    };
    ctx.mailer
        .send(&email)
        .await
        .map_err(|e| JobError::new(e.to_string()))
}
