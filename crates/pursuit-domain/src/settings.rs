//! A user's preferences that rules read: reminder channels and defaults.

use crate::Invalid;

/// Where a reminder is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReminderChannel {
    InApp,
    Email,
    Calendar,
}

impl ReminderChannel {
    pub const ALL: [ReminderChannel; 3] = [
        ReminderChannel::InApp,
        ReminderChannel::Email,
        ReminderChannel::Calendar,
    ];

    /// The wire and storage name (`in_app`, as seed 002 writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderChannel::InApp => "in_app",
            ReminderChannel::Email => "email",
            ReminderChannel::Calendar => "calendar",
        }
    }

    pub fn parse(input: &str) -> Result<ReminderChannel, Invalid> {
        ReminderChannel::ALL
            .into_iter()
            .find(|c| c.as_str() == input)
            .ok_or_else(|| {
                Invalid::new(format!(
                    "{input:?} is not a channel (in_app, email, calendar)"
                ))
            })
    }
}

/// Defaults for reminders the rules create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderDefaults {
    /// Channels a rule reminder uses unless the user picks others; never empty.
    pub channels: Vec<ReminderChannel>,
    /// Days after applying with no response before a follow-up reminder (seed 002: 7).
    pub follow_up_after_days: u16,
}

impl Default for ReminderDefaults {
    fn default() -> Self {
        ReminderDefaults {
            channels: vec![ReminderChannel::InApp, ReminderChannel::Email],
            follow_up_after_days: 7,
        }
    }
}

impl ReminderDefaults {
    pub fn validate(
        mut channels: Vec<ReminderChannel>,
        follow_up_after_days: u16,
    ) -> Result<ReminderDefaults, Invalid> {
        channels.sort();
        channels.dedup();
        if channels.is_empty() {
            return Err(Invalid::new("at least one channel is needed"));
        }
        if !(1..=90).contains(&follow_up_after_days) {
            return Err(Invalid::new("the follow-up delay must be 1 to 90 days"));
        }
        Ok(ReminderDefaults {
            channels,
            follow_up_after_days,
        })
    }
}
