//! The default reminder rules of seed 002 §3.3 for status changes, as a pure function: what
//! to plan when an application enters a status. (Rules for scheduled interviews come with
//! activity scheduling; delivery is the worker's.)

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::application::ApplicationStatus;
use crate::schedule::QuietHours;
use crate::settings::{ReminderChannel, ReminderDefaults};

/// A reminder a rule wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedReminder {
    /// The rule's name, stored on the reminder.
    pub rule: &'static str,
    pub title: String,
    pub due_at: Timestamp,
    pub channels: Vec<ReminderChannel>,
    /// After it is sent, plan the next one this many days later (Offer: daily; On Hold: 14).
    pub repeat_days: Option<i64>,
}

/// What to plan when an application at `company` enters `status` at `now`. Pending rule
/// reminders of the previous status are cancelled by the caller in every case; final
/// statuses (Rejected, Accepted, …) plan nothing. Due times falling in quiet hours move to
/// their end, in the user's zone.
pub fn on_status(
    status: ApplicationStatus,
    company: &str,
    now: Timestamp,
    defaults: &ReminderDefaults,
    quiet_hours: Option<QuietHours>,
    zone: &TimeZone,
) -> Vec<PlannedReminder> {
    use ReminderChannel::{Email, InApp};
    let days = |n: i64| now + SignedDuration::from_hours(24 * n);
    let mut planned = match status {
        ApplicationStatus::Applied => vec![PlannedReminder {
            rule: "applied_follow_up",
            title: format!("No reply from {company} yet: time to follow up?"),
            due_at: days(i64::from(defaults.follow_up_after_days)),
            channels: vec![InApp, Email],
            repeat_days: None,
        }],
        ApplicationStatus::Offer => vec![PlannedReminder {
            rule: "offer_response",
            title: format!("Respond to the offer from {company}"),
            due_at: days(3),
            channels: vec![InApp, Email],
            repeat_days: Some(1),
        }],
        ApplicationStatus::OnHold => vec![PlannedReminder {
            rule: "on_hold_check_in",
            title: format!("Check in on {company} (on hold)"),
            due_at: days(14),
            channels: vec![InApp],
            repeat_days: Some(14),
        }],
        _ => Vec::new(),
    };
    if let Some(quiet) = quiet_hours {
        for reminder in &mut planned {
            reminder.due_at = quiet.defer(reminder.due_at, zone);
        }
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{DailyWindow, LocalTime};

    fn now() -> Timestamp {
        "2026-11-23T21:30:00Z".parse().unwrap()
    }

    #[test]
    fn applied_plans_a_follow_up_after_the_users_delay() {
        let plan = on_status(
            ApplicationStatus::Applied,
            "Acme",
            now(),
            &ReminderDefaults::default(),
            None,
            &TimeZone::UTC,
        );
        assert_eq!(plan.len(), 1);
        assert_eq!(
            plan[0].due_at,
            "2026-11-30T21:30:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(plan[0].title.contains("Acme"));
    }

    #[test]
    fn offers_repeat_daily_on_hold_every_two_weeks_and_final_statuses_plan_nothing() {
        let defaults = ReminderDefaults::default();
        let offer = on_status(
            ApplicationStatus::Offer,
            "Acme",
            now(),
            &defaults,
            None,
            &TimeZone::UTC,
        );
        assert_eq!(
            (offer[0].due_at, offer[0].repeat_days),
            ("2026-11-26T21:30:00Z".parse().unwrap(), Some(1))
        );
        let hold = on_status(
            ApplicationStatus::OnHold,
            "Acme",
            now(),
            &defaults,
            None,
            &TimeZone::UTC,
        );
        assert_eq!(hold[0].repeat_days, Some(14));
        for status in [
            ApplicationStatus::Rejected,
            ApplicationStatus::Accepted,
            ApplicationStatus::Screening,
        ] {
            assert!(
                on_status(status, "Acme", now(), &defaults, None, &TimeZone::UTC).is_empty(),
                "{status:?}"
            );
        }
    }

    #[test]
    fn a_due_time_in_quiet_hours_moves_to_their_end() {
        let quiet = QuietHours(DailyWindow {
            start: LocalTime::parse("21:00").unwrap(),
            end: LocalTime::parse("08:00").unwrap(),
        });
        let lagos = TimeZone::get("Africa/Lagos").unwrap(); // UTC+1: 21:30Z is 22:30 local
        let plan = on_status(
            ApplicationStatus::Applied,
            "Acme",
            now(),
            &ReminderDefaults::default(),
            Some(quiet),
            &lagos,
        );
        assert_eq!(
            plan[0].due_at,
            "2026-12-01T07:00:00Z".parse::<Timestamp>().unwrap()
        ); // 08:00 local
    }
}
