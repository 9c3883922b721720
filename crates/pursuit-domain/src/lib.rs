//! Pursuit's domain: validated types built once at the edge ("parse, don't validate") and
//! pure rules. No IO here, ever: no database, no network, no clock (callers pass "now").
//!
//! # Layout
//! - [`account`]: email addresses, time zones, display names.
//! - [`application`]: the tracker's statuses, priorities, salary bands, tags.
//! - [`company`]: company names as a matching key ("Acme, Inc." = "ACME Inc").
//! - [`calendar`]: iCalendar (RFC 5545) text for reminder invites and the calendar feed.
//! - [`schedule`]: local times of day, quiet hours, send windows.
//! - [`settings`]: reminder channels and defaults.
//! - [`ids`]: typed ids.
//! - [`flags`]: feature flags and their gradual rollout.
//! - [`net`]: which addresses Pursuit may connect to on a user's behalf (SSRF guard).
//! - [`reminder_rules`]: the default reminders a status change plans.
//! - [`preferences`]: job preferences read into normalised values, and their tags.

pub mod account;
pub mod application;
pub mod calendar;
pub mod company;
pub mod flags;
pub mod ids;
pub mod net;
pub mod preferences;
pub mod reminder_rules;
pub mod schedule;
pub mod settings;

/// A value that failed validation: which rule, in words fit for a problem body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Invalid {
        Invalid(message.into())
    }
}
