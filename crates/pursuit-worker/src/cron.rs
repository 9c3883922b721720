//! Five-field cron schedules (`minute hour day-of-month month day-of-week`), evaluated on the
//! wall clock of a time zone. Fields take `*`, numbers, ranges `a-b`, steps `*/n` and
//! `a-b/n`, and lists `a,b`; day of week is 0–7 (0 and 7 are Sunday). When both day fields
//! are restricted, a day matches either (as in classic cron).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u64,
    days_of_month: u64,
    months: u64,
    days_of_week: u64,
    dom_restricted: bool,
    dow_restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cron schedule {schedule:?}: {message}")]
pub struct CronError {
    schedule: String,
    message: String,
}

fn field(text: &str, min: u32, max: u32, name: &str) -> Result<(u64, bool), String> {
    let mut bits = 0_u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => {
                let step: u32 = step
                    .parse()
                    .map_err(|_| format!("bad step {step:?} in {name}"))?;
                if step == 0 {
                    return Err(format!("step 0 in {name}"));
                }
                (range, step)
            }
            None => (part, 1),
        };
        let (low, high) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            let a: u32 = a
                .parse()
                .map_err(|_| format!("bad value {a:?} in {name}"))?;
            let b: u32 = b
                .parse()
                .map_err(|_| format!("bad value {b:?} in {name}"))?;
            (a, b)
        } else {
            let value: u32 = range
                .parse()
                .map_err(|_| format!("bad value {range:?} in {name}"))?;
            (value, if step > 1 { max } else { value })
        };
        if low < min || high > max || low > high {
            return Err(format!("{part:?} is outside {min}-{max} in {name}"));
        }
        let mut value = low;
        while value <= high {
            bits |= 1 << value;
            value += step;
        }
    }
    Ok((bits, text != "*"))
}

impl Cron {
    pub fn parse(schedule: &str) -> Result<Cron, CronError> {
        let error = |message: String| CronError {
            schedule: schedule.to_owned(),
            message,
        };
        let fields: Vec<&str> = schedule.split_whitespace().collect();
        let [minute, hour, dom, month, dow] = fields.as_slice() else {
            return Err(error(
                "expected 5 fields: minute hour day-of-month month day-of-week".to_owned(),
            ));
        };
        let (minutes, _) = field(minute, 0, 59, "minute").map_err(error)?;
        let (hours, _) = field(hour, 0, 23, "hour").map_err(error)?;
        let (days_of_month, dom_restricted) = field(dom, 1, 31, "day of month").map_err(error)?;
        let (months, _) = field(month, 1, 12, "month").map_err(error)?;
        let (mut days_of_week, dow_restricted) = field(dow, 0, 7, "day of week").map_err(error)?;
        if days_of_week & (1 << 7) != 0 {
            days_of_week |= 1;
        }
        Ok(Cron {
            minutes,
            hours,
            days_of_month,
            months,
            days_of_week,
            dom_restricted,
            dow_restricted,
        })
    }

    pub fn matches(&self, at: DateTime) -> bool {
        let has = |bits: u64, value: i8| value >= 0 && bits & (1 << value) != 0;
        let dom = has(self.days_of_month, at.day());
        let dow = has(self.days_of_week, at.weekday().to_sunday_zero_offset());
        let day = match (self.dom_restricted, self.dow_restricted) {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            (false, false) => true,
        };
        at.second() == 0
            && has(self.minutes, at.minute())
            && has(self.hours, at.hour())
            && has(self.months, at.month())
            && day
    }

    /// The latest tick at or before `now` within `lookback`, on `zone`'s wall clock.
    pub fn latest_at_or_before(
        &self,
        now: Timestamp,
        zone: &TimeZone,
        lookback: SignedDuration,
    ) -> Option<Timestamp> {
        let minute =
            Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(60)).ok()?;
        let steps = lookback.as_secs() / 60;
        (0..=steps).find_map(|i| {
            let candidate = minute.checked_sub(SignedDuration::from_mins(i)).ok()?;
            self.matches(candidate.to_zoned(zone.clone()).datetime())
                .then_some(candidate)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime {
        text.parse().unwrap()
    }

    #[test]
    fn fields_accept_stars_ranges_steps_and_lists() {
        let cron = Cron::parse("*/15 9-17 * * 1-5").unwrap();
        assert!(cron.matches(at("2026-11-23T09:45:00"))); // Monday
        assert!(!cron.matches(at("2026-11-23T09:50:00")));
        assert!(!cron.matches(at("2026-11-22T10:00:00"))); // Sunday
        let list = Cron::parse("0 8,12,18 1 * *").unwrap();
        assert!(list.matches(at("2026-12-01T12:00:00")));
        assert!(!list.matches(at("2026-12-02T12:00:00")));
        let sunday = Cron::parse("30 6 * * 7").unwrap();
        assert!(sunday.matches(at("2026-11-22T06:30:00")));
    }

    #[test]
    fn restricted_day_fields_match_either_day() {
        let cron = Cron::parse("0 0 13 * 5").unwrap(); // the 13th, or any Friday
        assert!(cron.matches(at("2026-11-13T00:00:00")));
        assert!(cron.matches(at("2026-11-20T00:00:00")));
        assert!(!cron.matches(at("2026-11-19T00:00:00")));
    }

    #[test]
    fn bad_schedules_are_refused_with_a_reason() {
        for bad in [
            "",
            "* * * *",
            "60 * * * *",
            "* 24 * * *",
            "*/0 * * * *",
            "5-1 * * * *",
            "a * * * *",
            "* * 0 * *",
        ] {
            assert!(Cron::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_latest_tick_is_found_on_the_zones_wall_clock() {
        let daily = Cron::parse("0 7 * * *").unwrap();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let now: Timestamp = "2026-07-01T12:34:56Z".parse().unwrap();
        let tick = daily
            .latest_at_or_before(now, &berlin, SignedDuration::from_hours(24))
            .unwrap();
        assert_eq!(tick, "2026-07-01T05:00:00Z".parse::<Timestamp>().unwrap()); // 07:00 CEST
        let exact: Timestamp = "2026-07-01T05:00:00Z".parse().unwrap();
        assert_eq!(
            daily.latest_at_or_before(exact, &berlin, SignedDuration::from_hours(24)),
            Some(exact)
        );
        let yearly = Cron::parse("0 0 1 1 *").unwrap();
        assert_eq!(
            yearly.latest_at_or_before(now, &berlin, SignedDuration::from_hours(24)),
            None
        );
    }
}
