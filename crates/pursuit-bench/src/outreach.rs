//! `pursuit-bench plan`: planning a launch's sends — `targets` recipients spread over 24 IANA
//! zones, each a four-step cadence (days 0, 3, 7, 14) placed into the working-hours window
//! on the recipient's calendar — and checking every planned send: inside the window, on an
//! open day, in order.

use std::time::Instant;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use pursuit_domain::schedule::{SendWindow, plan_sends};

pub(crate) const ZONES: [&str; 24] = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Chatham",
];

pub fn run(targets: usize, rounds: usize) -> anyhow::Result<()> {
    let window = SendWindow::working_hours();
    let zones: Vec<TimeZone> = ZONES
        .iter()
        .map(|z| TimeZone::get(z))
        .collect::<Result<_, _>>()?;
    let offsets = [0, 3, 7, 14];
    // Launch moments over a year, so weekends, evenings and every DST change are crossed.
    let base: Timestamp = "2026-01-05T00:00:00Z".parse()?;
    let mut times = Vec::new();
    let (mut sends, mut outside, mut out_of_order, mut unplanned) =
        (0usize, 0usize, 0usize, 0usize);
    for round in 0..rounds {
        let started = Instant::now();
        for t in 0..targets {
            let zone = &zones[t % zones.len()];
            let start = base
                + jiff::SignedDuration::from_secs(
                    ((round * targets + t) as i64 * 7_919) % (365 * 86_400),
                );
            let plan = plan_sends(start, &offsets, &window, zone);
            let mut last = None;
            for at in &plan {
                match at {
                    None => unplanned += 1,
                    Some(at) => {
                        sends += 1;
                        let local = at.to_zoned(zone.clone());
                        if !(window.window.contains(local.time())
                            && window.days.contains(&local.date().weekday()))
                        {
                            outside += 1;
                        }
                        if last.is_some_and(|l| l > *at) {
                            out_of_order += 1;
                        }
                        last = Some(*at);
                    }
                }
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "pursuit-bench plan: {targets} targets × 4 steps over {} zones, {rounds} rounds: planning p50 {:.2} ms, worst {:.2} ms per launch",
        ZONES.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    println!(
        "checked {sends} planned sends: outside the recipient's window {outside}, out of order {out_of_order}, never planned {unplanned}"
    );
    Ok(())
}
