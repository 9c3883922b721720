//! `mail.send`: delivers one message through the configured transport (SMTP or the dev
//! outbox). Enqueued in the transaction of the write that causes it, so a rolled-back
//! sign-in request sends nothing; a failing mail server is retried with backoff.

use pursuit_store::jobs::JobSpec;
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SendEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

impl JobSpec for SendEmail {
    const KIND: &'static str = "mail.send";
    const QUEUE: &'static str = "mail";
    /// Sign-in links are valid for minutes: after ~17 minutes of retries there is no point.
    const MAX_ATTEMPTS: i64 = 8;
}

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
