//! Every calendar Pursuit writes must read back, unchanged, through independent parsers:
//! the Rust `icalendar` crate's parser here, and Python's `icalendar` package (installed
//! from PyPI by `scripts/test`) over a generated corpus. Titles mix emoji, CJK, Arabic,
//! iCalendar's special characters, line breaks and very long text; start times are civil
//! times in several zones on and around their DST transitions.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use pursuit_domain::calendar::{Calendar, Event, Method};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,300}",
        "[;,\\\\\n\r\t :a-zA-Z\"]{0,200}",
        "[\u{0600}-\u{06FF}\u{4E00}-\u{4FFF}\u{1F600}-\u{1F64F}\u{1F468}\u{200D}\u{1F4BB} ]{0,120}",
        "[a-zé😀\u{0645}]{200,900}",
    ]
}

const ZONES: [&str; 6] = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
];

/// A civil time on a DST transition day (or a day either side) of one of the zones.
fn start() -> impl Strategy<Value = (Timestamp, &'static str)> {
    let days = [
        date(2026, 3, 29),
        date(2026, 3, 8),
        date(2026, 10, 4),
        date(2026, 10, 25),
        date(2026, 11, 1),
        date(2026, 4, 5),
    ];
    (0..ZONES.len(), 0..days.len(), -1_i32..=1, 0_i8..24, 0_i8..4).prop_map(
        move |(zone, day, shift, hour, quarter)| {
            let day = days[day]
                .checked_add(jiff::Span::new().days(shift))
                .unwrap();
            let civil = day.at(hour, quarter * 15, 0, 0);
            let zone_name = ZONES[zone];
            // A time in a DST gap resolves forward, a repeated one to its first instant.
            let at = civil
                .to_zoned(TimeZone::get(zone_name).unwrap())
                .unwrap()
                .timestamp();
            (at, zone_name)
        },
    )
}

/// TEXT as a receiver should read it back: line breaks as `\n`, other controls gone.
fn expected(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn calendar(
    summary: &str,
    description: &str,
    location: &str,
    at: Timestamp,
    method: Method,
) -> String {
    Calendar {
        method,
        name: Some(format!("Pursuit {summary}")),
        events: vec![Event {
            uid: "activity-0193f0a0-7e4b-7000-8000-000000000001@pursuit".to_owned(),
            sequence: 2,
            stamp: "2026-11-22T10:00:00Z".parse().unwrap(),
            start: at,
            end: Some(at + jiff::SignedDuration::from_mins(45)),
            summary: summary.to_owned(),
            description: Some(description.to_owned()),
            location: Some(location.to_owned()),
            url: Some("https://pursuit.example/board?application=1".to_owned()),
            cancelled: false,
        }],
    }
    .to_ics("0.1.0")
}

fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_rust_icalendar_parser_reads_back_every_field(
        summary in text(), description in text(), location in text(), (at, _zone) in start(),
    ) {
        let ics = calendar(&summary, &description, &location, at, Method::Publish);
        for line in ics.split_terminator("\r\n") {
            prop_assert!(line.len() <= 75, "a line of {} octets", line.len());
        }
        let unfolded = icalendar::parser::unfold(&ics);
        let parsed = icalendar::parser::read_calendar(&unfolded).map_err(TestCaseError::fail)?;
        let event = parsed.components.iter().find(|c| c.name == "VEVENT").expect("one VEVENT");
        let property = |name: &str| event.find_prop(name).map(|p| p.val.as_str().to_owned());
        prop_assert_eq!(property("SUMMARY"), Some(expected(&summary)));
        prop_assert_eq!(property("DESCRIPTION"), Some(expected(&description)));
        prop_assert_eq!(property("LOCATION"), Some(expected(&location)));
        prop_assert_eq!(property("DTSTART"), Some(utc(at)));
        prop_assert_eq!(property("SEQUENCE"), Some("2".to_owned()));
        let method = parsed.properties.iter().find(|p| p.name == "METHOD").map(|p| p.val.as_str().to_owned());
        prop_assert_eq!(method, Some("PUBLISH".to_owned()));
    }
}

/// Writes a generated corpus and has Python's `icalendar` parse each calendar, compare every
/// field with what was written, serialise it again and re-parse that (the round trip).
#[test]
fn pythons_icalendar_reads_back_a_generated_corpus() {
    let python = std::env::var("TEST_PYTHON_ICALENDAR").expect(
        "TEST_PYTHON_ICALENDAR is not set: run the suite with scripts/test, which installs Python's icalendar from PyPI",
    );
    let mut runner = TestRunner::deterministic();
    let strategy = (text(), text(), text(), start(), any::<bool>());
    let mut corpus = String::new();
    for _ in 0..300 {
        let (summary, description, location, (at, zone), cancel) =
            strategy.new_tree(&mut runner).unwrap().current();
        let method = if cancel {
            Method::Cancel
        } else {
            Method::Publish
        };
        let ics = calendar(&summary, &description, &location, at, method);
        corpus.push_str(
            &serde_json::json!({
                "ics": ics,
                "zone": zone,
                "method": if cancel { "CANCEL" } else { "PUBLISH" },
                "summary": expected(&summary),
                "description": expected(&description),
                "location": expected(&location),
                "start": at.to_string(),
            })
            .to_string(),
        );
        corpus.push('\n');
    }
    let dir = std::env::temp_dir().join(format!("pursuit-ics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("corpus.jsonl");
    std::fs::write(&file, corpus).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/ics_check.py");
    let output = std::process::Command::new(&python)
        .arg(script)
        .arg(&file)
        .output()
        .expect("python runs");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        output.status.success(),
        "Python's icalendar disagrees:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("300 calendars"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
