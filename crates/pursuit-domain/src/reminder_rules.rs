//! The default reminder rules of seed 002 §3.3 for status changes, as a pure function: what
//! to plan when an application enters a status. (Rules for scheduled interviews come with
//! activity scheduling; delivery is the worker's.)

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::application::{ApplicationStatus, InterviewStage};
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

/// Whether entering `status` plans any reminder ([`on_status`] gives none otherwise), so
/// that a caller can skip reading what the rules would need.
pub fn has_rules(status: ApplicationStatus) -> bool {
    ["applied_follow_up", "offer_response", "on_hold_check_in"]
        .into_iter()
        .any(|rule| rule_status(rule) == Some(status))
}

/// The status a status rule plans for: once the application has left it, a pending
/// reminder of that rule is moot and is not delivered.
pub fn rule_status(rule: &str) -> Option<ApplicationStatus> {
    Some(match rule {
        "applied_follow_up" => ApplicationStatus::Applied,
        "offer_response" => ApplicationStatus::Offer,
        "on_hold_check_in" => ApplicationStatus::OnHold,
        _ => return None,
    })
}

/// Every rule's name.
pub const RULES: [&str; 8] = [
    "applied_follow_up",
    "offer_response",
    "on_hold_check_in",
    "screening_24h",
    "screening_1h",
    "loop_48h",
    "loop_2h",
    "interview_follow_up",
];

/// The `'static` name of a known rule.
pub fn known_rule(rule: &str) -> Option<&'static str> {
    RULES.into_iter().find(|known| *known == rule)
}

/// Rules whose reminder announces an event: useless once the event has started.
pub fn announces_event(rule: &str) -> bool {
    matches!(
        rule,
        "screening_24h" | "screening_1h" | "loop_48h" | "loop_2h"
    )
}

/// What to plan for an interview scheduled at `starts_at`: an interview loop gets reminders
/// 48 h and 2 h before and a follow-up two days after; every other interview (a screening,
/// a technical or offer conversation, one of another or no stage) 24 h and 1 h before.
/// Times already past are skipped. Quiet hours move a reminder to their end only when that
/// is still before the interview (a reminder after the event would be useless).
pub fn on_interview(
    stage: Option<InterviewStage>,
    starts_at: Timestamp,
    company: &str,
    now: Timestamp,
    quiet_hours: Option<QuietHours>,
    zone: &TimeZone,
) -> Vec<PlannedReminder> {
    use ReminderChannel::{Calendar, Email, InApp};
    let before = |hours: i64| starts_at - SignedDuration::from_hours(hours);
    let mut planned = match stage {
        Some(InterviewStage::Screening) => vec![
            (
                "screening_24h",
                format!("Screening with {company} tomorrow"),
                before(24),
                vec![InApp, Calendar],
            ),
            (
                "screening_1h",
                format!("Screening with {company} in an hour"),
                before(1),
                vec![InApp, Calendar],
            ),
        ],
        Some(InterviewStage::Loop) => vec![
            (
                "loop_48h",
                format!("Interview loop with {company} in two days"),
                before(48),
                vec![InApp, Email, Calendar],
            ),
            (
                "loop_2h",
                format!("Interview loop with {company} in two hours"),
                before(2),
                vec![InApp, Email, Calendar],
            ),
            (
                "interview_follow_up",
                format!("Follow up with {company} after the interviews"),
                starts_at + SignedDuration::from_hours(48),
                vec![InApp, Email],
            ),
        ],
        Some(InterviewStage::Technical | InterviewStage::Offer | InterviewStage::Other) | None => {
            vec![
                (
                    "interview_24h",
                    format!("Interview with {company} tomorrow"),
                    before(24),
                    vec![InApp, Calendar],
                ),
                (
                    "interview_1h",
                    format!("Interview with {company} in an hour"),
                    before(1),
                    vec![InApp, Calendar],
                ),
            ]
        }
    };
    planned.retain(|(_, _, due, _)| *due > now);
    planned
        .into_iter()
        .map(|(rule, title, due_at, channels)| {
            let deferred = quiet_hours.map_or(due_at, |q| q.defer(due_at, zone));
            let due_at = if rule == "interview_follow_up" || deferred < starts_at {
                deferred
            } else {
                due_at
            };
            PlannedReminder {
                rule,
                title,
                due_at,
                channels,
                repeat_days: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{DailyWindow, LocalTime};

    fn now() -> Timestamp {
        "2026-11-23T21:30:00Z".parse().unwrap()
    }

    #[test]
    fn has_rules_says_exactly_which_statuses_plan_something() {
        for status in ApplicationStatus::ALL {
            let planned = on_status(
                *status,
                "Acme",
                now(),
                &ReminderDefaults::default(),
                None,
                &TimeZone::UTC,
            );
            assert_eq!(has_rules(*status), !planned.is_empty(), "{status:?}");
        }
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
    fn interviews_get_reminders_before_and_loops_a_follow_up_after() {
        let starts: Timestamp = "2026-12-10T15:00:00Z".parse().unwrap();
        let screening = on_interview(
            Some(InterviewStage::Screening),
            starts,
            "Acme",
            now(),
            None,
            &TimeZone::UTC,
        );
        let dues: Vec<_> = screening.iter().map(|r| r.due_at.to_string()).collect();
        assert_eq!(dues, ["2026-12-09T15:00:00Z", "2026-12-10T14:00:00Z"]);
        let lp = on_interview(
            Some(InterviewStage::Loop),
            starts,
            "Acme",
            now(),
            None,
            &TimeZone::UTC,
        );
        assert_eq!(lp.len(), 3);
        assert_eq!(lp[2].due_at.to_string(), "2026-12-12T15:00:00Z");
        // Every other stage, and none, gets the day-before and hour-before reminders (the
        // sidebar promises "the usual ones"; they used to get nothing).
        for stage in [
            Some(InterviewStage::Technical),
            Some(InterviewStage::Offer),
            Some(InterviewStage::Other),
            None,
        ] {
            let plan = on_interview(stage, starts, "Acme", now(), None, &TimeZone::UTC);
            let dues: Vec<_> = plan.iter().map(|r| r.due_at.to_string()).collect();
            assert_eq!(
                dues,
                ["2026-12-09T15:00:00Z", "2026-12-10T14:00:00Z"],
                "{stage:?}"
            );
            assert!(plan[0].title.contains("Acme"));
        }
        // An interview in 30 minutes: the 24 h and 1 h reminders are already past.
        let soon = now() + SignedDuration::from_mins(30);
        assert!(
            on_interview(
                Some(InterviewStage::Screening),
                soon,
                "Acme",
                now(),
                None,
                &TimeZone::UTC
            )
            .is_empty()
        );
    }

    #[test]
    fn quiet_hours_never_push_a_reminder_past_the_interview() {
        let quiet = QuietHours(DailyWindow {
            start: LocalTime::parse("21:00").unwrap(),
            end: LocalTime::parse("08:00").unwrap(),
        });
        // Interview at 07:30 UTC: the 1 h reminder (06:30) is in quiet hours, but 08:00 is too late.
        let starts: Timestamp = "2026-12-10T07:30:00Z".parse().unwrap();
        let plan = on_interview(
            Some(InterviewStage::Screening),
            starts,
            "Acme",
            now(),
            Some(quiet),
            &TimeZone::UTC,
        );
        assert_eq!(plan[1].due_at.to_string(), "2026-12-10T06:30:00Z");
        // The 24 h one (07:30 the day before) moves to 08:00, still well before the interview.
        assert_eq!(plan[0].due_at.to_string(), "2026-12-09T08:00:00Z");
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
