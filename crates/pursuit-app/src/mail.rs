//! Mail the product sends on its own account (sign-in links): the `mail.send` job's payload.
//! Enqueue it in the transaction of the write that causes it, so a rolled-back request sends
//! nothing.

use pursuit_store::jobs::JobSpec;
use serde::{Deserialize, Serialize};

/// `mail.send`: one message through the configured transport.
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
