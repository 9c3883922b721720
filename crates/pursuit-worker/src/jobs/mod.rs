//! Job kinds, one file each: the payload type (with its `JobSpec`) and the handler.

pub mod canary;
pub mod companies;
pub mod discovery;
pub mod email_events;
pub mod embed;
pub mod invites;
pub mod metrics;
pub mod noop;
pub mod outreach;
pub mod reminders;
pub mod replies;
pub mod resumes;
pub mod send_email;
pub mod sweep;
pub mod warmup;
pub mod writing;

use crate::registry::Registry;

pub fn register_all(registry: &mut Registry) {
    registry.register(noop::run);
    registry.register(canary::run);
    registry.register(send_email::run);
    registry.register(sweep::run);
    registry.register(reminders::run_dispatch);
    registry.register(reminders::run_deliver);
    registry.register(invites::run);
    registry.register(resumes::run);
    registry.register(embed::run);
    registry.register(companies::run);
    registry.register(writing::run);
    registry.register(outreach::run);
    registry.register(replies::run);
    registry.register(email_events::run);
    registry.register(metrics::run);
    registry.register(warmup::run);
    registry.register(discovery::run_dispatch);
    registry.register(discovery::run);
}
