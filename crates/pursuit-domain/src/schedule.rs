//! Times of day in the user's zone: quiet hours (no reminders) and send windows (outreach
//! goes out only then). Windows may cross midnight (22:00–07:00).

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;

use crate::Invalid;

/// A wall-clock time of day, minute precision, written `HH:MM` (24-hour).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(Time);

impl LocalTime {
    pub fn parse(input: &str) -> Result<LocalTime, Invalid> {
        let invalid = || {
            Invalid::new(format!(
                "{input:?} is not a time of day as HH:MM (00:00 to 23:59)"
            ))
        };
        let (hours, minutes) = input.trim().split_once(':').ok_or_else(invalid)?;
        if hours.len() != 2 || minutes.len() != 2 {
            return Err(invalid());
        }
        let hours: i8 = hours.parse().map_err(|_| invalid())?;
        let minutes: i8 = minutes.parse().map_err(|_| invalid())?;
        Time::new(hours, minutes, 0, 0)
            .map(LocalTime)
            .map_err(|_| invalid())
    }

    pub fn new(hours: i8, minutes: i8) -> Result<LocalTime, Invalid> {
        Time::new(hours, minutes, 0, 0)
            .map(LocalTime)
            .map_err(|_| Invalid::new("hours must be 0-23 and minutes 0-59"))
    }

    pub fn time(self) -> Time {
        self.0
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// A daily window `[start, end)` of wall-clock time; `start > end` crosses midnight and
/// `start == end` is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyWindow {
    pub start: LocalTime,
    pub end: LocalTime,
}

impl DailyWindow {
    pub fn contains(&self, time: Time) -> bool {
        let (start, end) = (self.start.time(), self.end.time());
        if start <= end {
            start <= time && time < end
        } else {
            time >= start || time < end
        }
    }
}

/// Quiet hours: a reminder due inside them is deferred to their end, in the user's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours(pub DailyWindow);

impl QuietHours {
    /// The first instant at or after `due` that is outside quiet hours. DST-correct: the
    /// window's end is found on the civil calendar of `zone`, then resolved to an instant.
    pub fn defer(&self, due: Timestamp, zone: &TimeZone) -> Timestamp {
        let local = due.to_zoned(zone.clone());
        if !self.0.contains(local.time()) {
            return due;
        }
        let end = self.0.end.time();
        // The window ends today if its end is still ahead, else tomorrow (crossing midnight).
        let end_date = if local.time() < end {
            local.date()
        } else {
            local.date().tomorrow().unwrap_or(local.date())
        };
        match end_date.to_datetime(end).to_zoned(zone.clone()) {
            Ok(end_zoned) => end_zoned.timestamp(),
            Err(_) => due,
        }
    }
}

/// When outreach may be sent: a daily window on some weekdays, in the recipient's zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendWindow {
    pub window: DailyWindow,
    pub days: Vec<Weekday>,
}

impl SendWindow {
    /// 08:00–17:00, Monday to Friday: working hours (seed 000's default send window).
    pub fn working_hours() -> SendWindow {
        SendWindow {
            window: DailyWindow {
                start: LocalTime(Time::constant(8, 0, 0, 0)),
                end: LocalTime(Time::constant(17, 0, 0, 0)),
            },
            days: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ],
        }
    }

    pub fn validate(window: DailyWindow, days: Vec<Weekday>) -> Result<SendWindow, Invalid> {
        if window.start == window.end {
            return Err(Invalid::new("the send window must not be empty"));
        }
        if days.is_empty() {
            return Err(Invalid::new("the send window needs at least one day"));
        }
        let mut days = days;
        days.sort_by_key(|d| d.to_monday_one_offset());
        days.dedup();
        Ok(SendWindow { window, days })
    }
}

impl SendWindow {
    /// The first instant at or after `at` that falls inside the window on one of its days,
    /// in `zone` (the recipient's): a time before the window moves to its opening that day,
    /// after it (or on a day off) to the next open day's. The day of a window crossing
    /// midnight is the day it opens. DST-correct: opening times are found on the civil
    /// calendar of `zone`, then resolved to an instant (a time a spring-forward skips
    /// resolves to the one after the gap). `None` when nothing opens within eight days
    /// (an empty window, no days).
    pub fn next_open(&self, at: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
        let (start, end) = (self.window.start.time(), self.window.end.time());
        if start == end || self.days.is_empty() {
            return None;
        }
        let first = at.to_zoned(zone.clone()).date();
        // A window that opened yesterday and crosses midnight may still be open.
        let mut date = first.yesterday().unwrap_or(first);
        for _ in 0..10 {
            if self.days.contains(&date.weekday()) {
                let opens = date.to_datetime(start).to_zoned(zone.clone()).ok()?;
                let close_date = if start < end {
                    date
                } else {
                    date.tomorrow().ok()?
                };
                let closes = close_date.to_datetime(end).to_zoned(zone.clone()).ok()?;
                let (opens, closes) = (opens.timestamp(), closes.timestamp());
                if at < closes {
                    return Some(at.max(opens));
                }
            }
            date = date.tomorrow().ok()?;
        }
        None
    }
}

/// When each step of a sequence goes out to one recipient: the first at the window's next
/// opening at or after `start`, each later one `offset_days` calendar days after the first
/// in the recipient's `zone` (at the same local time), moved to the window's next opening.
/// Sends never go before the one above. `None` for a step the window never opens for.
pub fn plan_sends(
    start: Timestamp,
    offsets_days: &[i64],
    window: &SendWindow,
    zone: &TimeZone,
) -> Vec<Option<Timestamp>> {
    let Some(first) = window.next_open(start, zone) else {
        return offsets_days.iter().map(|_| None).collect();
    };
    let first_local = first.to_zoned(zone.clone());
    let mut last = first;
    offsets_days
        .iter()
        .map(|days| {
            let day = first_local
                .date()
                .checked_add(jiff::Span::new().days(*days))
                .ok()?;
            let base = day
                .to_datetime(first_local.time())
                .to_zoned(zone.clone())
                .ok()?
                .timestamp();
            let at = window.next_open(base.max(last), zone)?;
            last = at;
            Some(at)
        })
        .collect()
}

/// Weekday names as the API writes them.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

pub fn parse_weekday(input: &str) -> Result<Weekday, Invalid> {
    match input.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Ok(Weekday::Monday),
        "tue" | "tuesday" => Ok(Weekday::Tuesday),
        "wed" | "wednesday" => Ok(Weekday::Wednesday),
        "thu" | "thursday" => Ok(Weekday::Thursday),
        "fri" | "friday" => Ok(Weekday::Friday),
        "sat" | "saturday" => Ok(Weekday::Saturday),
        "sun" | "sunday" => Ok(Weekday::Sunday),
        _ => Err(Invalid::new(format!(
            "{input:?} is not a weekday (mon … sun)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: &str, end: &str) -> DailyWindow {
        DailyWindow {
            start: LocalTime::parse(start).unwrap(),
            end: LocalTime::parse(end).unwrap(),
        }
    }

    #[test]
    fn local_times_parse_strictly() {
        assert_eq!(LocalTime::parse("07:05").unwrap().to_string(), "07:05");
        for bad in ["7:05", "24:00", "12:60", "12-00", "", "ab:cd", "12:5"] {
            assert!(LocalTime::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn windows_may_cross_midnight() {
        let night = window("22:00", "07:00");
        assert!(night.contains(Time::constant(23, 0, 0, 0)));
        assert!(night.contains(Time::constant(3, 0, 0, 0)));
        assert!(!night.contains(Time::constant(7, 0, 0, 0)));
        assert!(!night.contains(Time::constant(12, 0, 0, 0)));
        let day = window("09:00", "17:00");
        assert!(day.contains(Time::constant(9, 0, 0, 0)));
        assert!(!day.contains(Time::constant(17, 0, 0, 0)));
        assert!(!window("10:00", "10:00").contains(Time::constant(10, 0, 0, 0)));
    }

    #[test]
    fn quiet_hours_defer_to_their_end_in_the_users_zone() {
        let quiet = QuietHours(window("22:00", "07:00"));
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // 23:30 Berlin (CET, UTC+1) → 07:00 next morning Berlin = 06:00Z
        let due: Timestamp = "2026-01-14T22:30:00Z".parse().unwrap();
        assert_eq!(
            quiet.defer(due, &berlin),
            "2026-01-15T06:00:00Z".parse::<Timestamp>().unwrap()
        );
        // 05:00 Berlin → 07:00 the same morning
        let early: Timestamp = "2026-01-15T04:00:00Z".parse().unwrap();
        assert_eq!(
            quiet.defer(early, &berlin),
            "2026-01-15T06:00:00Z".parse::<Timestamp>().unwrap()
        );
        // outside quiet hours: unchanged
        let noon: Timestamp = "2026-01-15T11:00:00Z".parse().unwrap();
        assert_eq!(quiet.defer(noon, &berlin), noon);
    }

    #[test]
    fn quiet_hours_end_is_found_across_a_dst_change() {
        // Night of 2026-03-28/29: Berlin moves from UTC+1 to UTC+2 at 02:00.
        let quiet = QuietHours(window("22:00", "07:00"));
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let due: Timestamp = "2026-03-28T22:00:00Z".parse().unwrap(); // 23:00 CET
        assert_eq!(
            quiet.defer(due, &berlin),
            "2026-03-29T05:00:00Z".parse::<Timestamp>().unwrap()
        ); // 07:00 CEST
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_send_waits_for_the_recipients_working_hours() {
        let hours = SendWindow::working_hours();
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        // Wed 2026-12-02 20:00 Tokyo (11:00Z): after hours → Thu 08:00 Tokyo.
        assert_eq!(
            hours.next_open(ts("2026-12-02T11:00:00Z"), &tokyo),
            Some(ts("2026-12-02T23:00:00Z"))
        );
        // Inside the window: at once.
        assert_eq!(
            hours.next_open(ts("2026-12-03T02:00:00Z"), &tokyo),
            Some(ts("2026-12-03T02:00:00Z"))
        );
        // Fri 2026-12-04 18:00 Tokyo → Mon 08:00 Tokyo.
        assert_eq!(
            hours.next_open(ts("2026-12-04T09:00:00Z"), &tokyo),
            Some(ts("2026-12-06T23:00:00Z"))
        );
        // The same instant in New York is Friday 04:00 → Friday 08:00 New York.
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(
            hours.next_open(ts("2026-12-04T09:00:00Z"), &ny),
            Some(ts("2026-12-04T13:00:00Z"))
        );
        // At the window's end exactly: closed.
        assert_eq!(
            hours.next_open(ts("2026-12-03T08:00:00Z"), &tokyo),
            Some(ts("2026-12-03T23:00:00Z"))
        );
        let none = SendWindow {
            window: window("09:00", "17:00"),
            days: Vec::new(),
        };
        assert_eq!(none.next_open(ts("2026-12-03T08:00:00Z"), &tokyo), None);
    }

    #[test]
    fn a_window_crossing_midnight_belongs_to_the_day_it_opens() {
        let nights = SendWindow {
            window: window("22:00", "02:00"),
            days: vec![Weekday::Friday],
        };
        let utc = TimeZone::UTC;
        // Saturday 01:00 is inside Friday's night.
        assert_eq!(
            nights.next_open(ts("2026-12-05T01:00:00Z"), &utc),
            Some(ts("2026-12-05T01:00:00Z"))
        );
        // Saturday 03:00 waits for the next Friday 22:00.
        assert_eq!(
            nights.next_open(ts("2026-12-05T03:00:00Z"), &utc),
            Some(ts("2026-12-11T22:00:00Z"))
        );
    }

    #[test]
    fn a_plan_keeps_offsets_in_local_days_across_dst_and_weekends() {
        let hours = SendWindow::working_hours();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // Launched Thu 2026-03-26 10:00 Berlin (CET). +3 days is Sunday → Monday at the
        // window's opening, 08:00 (CEST after the change of the 29th); +7 is Thursday
        // 10:00 CEST, the launch's local time kept across the change.
        let plan = plan_sends(ts("2026-03-26T09:00:00Z"), &[0, 3, 7, 14], &hours, &berlin);
        assert_eq!(
            plan,
            vec![
                Some(ts("2026-03-26T09:00:00Z")),
                Some(ts("2026-03-30T06:00:00Z")),
                Some(ts("2026-04-02T08:00:00Z")),
                Some(ts("2026-04-09T08:00:00Z")),
            ]
        );
        for at in plan.iter().flatten() {
            let local = at.to_zoned(berlin.clone());
            assert!(
                hours.window.contains(local.time()) && hours.days.contains(&local.date().weekday()),
                "{local}"
            );
        }
        // Two steps on the same day never go out of order.
        let same = plan_sends(ts("2026-03-26T15:59:00Z"), &[0, 0], &hours, &berlin);
        assert!(same[0] <= same[1]);
    }

    #[test]
    fn send_windows_need_a_span_and_a_day() {
        assert!(SendWindow::validate(window("09:00", "09:00"), vec![Weekday::Monday]).is_err());
        assert!(SendWindow::validate(window("09:00", "17:00"), vec![]).is_err());
        let ok = SendWindow::validate(
            window("09:00", "17:00"),
            vec![Weekday::Friday, Weekday::Monday, Weekday::Friday],
        )
        .unwrap();
        assert_eq!(ok.days, vec![Weekday::Monday, Weekday::Friday]);
    }
}
