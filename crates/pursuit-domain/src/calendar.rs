//! iCalendar (RFC 5545) text for reminders and interviews: the `.ics` attached to reminder
//! mail and the subscribable feed. Written by hand because the rules that matter are few
//! and exact: CRLF line ends, content lines folded at 75 octets without splitting a UTF-8
//! character, TEXT values escaped (`\\ \; \, \n`), times in UTC (`…Z`, so no VTIMEZONE is
//! needed), a stable UID per event with SEQUENCE raised on each update, and
//! `METHOD:CANCEL` with `STATUS:CANCELLED` for a withdrawn event.

use jiff::Timestamp;

/// What a calendar message asks of its receiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Here are events (a feed, or a reminder's invite).
    Publish,
    /// These events are withdrawn (same UID, higher SEQUENCE).
    Cancel,
}

/// One VEVENT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable for the life of the thing it describes, e.g. `reminder-<uuid>@pursuit`.
    pub uid: String,
    /// 0 at first; raised by one with every change the receiver should apply.
    pub sequence: u32,
    /// When this version of the event was made (DTSTAMP).
    pub stamp: Timestamp,
    pub start: Timestamp,
    /// Default: a 15-minute event.
    pub end: Option<Timestamp>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    /// Shown as cancelled (`STATUS:CANCELLED`), e.g. a cancelled interview in the feed.
    pub cancelled: bool,
}

/// A VCALENDAR with its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub method: Method,
    /// Shown by clients as the calendar's name (`X-WR-CALNAME`), for feeds.
    pub name: Option<String>,
    pub events: Vec<Event>,
}

/// `20261122T093000Z`.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon and comma escaped, every line break as `\n`, and
/// other control characters (which TEXT may not hold) dropped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded: at most 75 octets per physical line (the leading space of a
/// continuation counts), breaking only between characters, each line ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

impl Calendar {
    /// The calendar as an `.ics` body (`text/calendar; charset=utf-8`).
    pub fn to_ics(&self, product_version: &str) -> String {
        let mut out = String::new();
        let mut line = |text: String| out.push_str(&fold(&text));
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line(format!("PRODID:-//Pursuit//Pursuit {product_version}//EN"));
        line("CALSCALE:GREGORIAN".into());
        line(
            match self.method {
                Method::Publish => "METHOD:PUBLISH",
                Method::Cancel => "METHOD:CANCEL",
            }
            .into(),
        );
        if let Some(name) = &self.name {
            line(format!("X-WR-CALNAME:{}", escape_text(name)));
        }
        for event in &self.events {
            let end = event
                .end
                .unwrap_or(event.start + jiff::SignedDuration::from_mins(15));
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}", escape_text(&event.uid)));
            line(format!("SEQUENCE:{}", event.sequence));
            line(format!("DTSTAMP:{}", utc(event.stamp)));
            line(format!("DTSTART:{}", utc(event.start)));
            line(format!("DTEND:{}", utc(end.max(event.start))));
            line(format!("SUMMARY:{}", escape_text(&event.summary)));
            if let Some(description) = &event.description {
                line(format!("DESCRIPTION:{}", escape_text(description)));
            }
            if let Some(location) = &event.location {
                line(format!("LOCATION:{}", escape_text(location)));
            }
            if let Some(url) = &event.url {
                // A URI value is not TEXT: no escaping, but no line breaks either.
                line(format!("URL:{}", url.replace(['\r', '\n'], "")));
            }
            if self.method == Method::Cancel || event.cancelled {
                line("STATUS:CANCELLED".into());
            }
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn event(summary: &str) -> Event {
        Event {
            uid: "reminder-1@pursuit".into(),
            sequence: 0,
            stamp: at("2026-11-22T10:00:00Z"),
            start: at("2026-11-25T14:30:00Z"),
            end: None,
            summary: summary.into(),
            description: Some("Line one\nLine two; with, punctuation \\ done".into()),
            location: None,
            url: Some("https://pursuit.example/applications/1".into()),
            cancelled: false,
        }
    }

    /// Undoes folding and TEXT escaping, as a receiver does: the value of `name`.
    fn read_property(ics: &str, name: &str) -> Option<String> {
        let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
        let raw = unfolded
            .split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}:")))?;
        let mut out = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Some(out)
    }

    #[test]
    fn an_event_is_written_with_crlf_utc_times_and_escaped_text() {
        let ics = Calendar {
            method: Method::Publish,
            name: None,
            events: vec![event("Interview, Acme; round 2")],
        }
        .to_ics("0.1.0");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "every line ends in CRLF"
        );
        assert!(ics.contains("\r\nDTSTART:20261125T143000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261125T144500Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Interview\\, Acme\\; round 2\r\n"));
        assert!(ics.contains("DESCRIPTION:Line one\\nLine two\\; with\\, punctuation \\\\ done"));
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        assert!(!ics.contains("STATUS:CANCELLED"));
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_says_so() {
        let mut withdrawn = event("Call");
        withdrawn.sequence = 3;
        let ics = Calendar {
            method: Method::Cancel,
            name: None,
            events: vec![withdrawn],
        }
        .to_ics("0.1.0");
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nUID:reminder-1@pursuit\r\nSEQUENCE:3\r\n"));
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let long = format!("SUMMARY:{}", "😀".repeat(40));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        assert_eq!(escape_text("a\u{0}b\u{7}c\r\nd\re"), "abc\\nd\\ne");
    }

    proptest! {
        #[test]
        fn any_title_survives_folding_and_escaping(summary in "\\PC{0,300}|[;,\\\\\n\r\t a-zA-Z]{0,200}|[\u{0600}-\u{06FF}\u{4E00}-\u{4FFF}\u{1F600}-\u{1F64F} ]{0,120}") {
            let ics = Calendar { method: Method::Publish, name: Some(summary.clone()), events: vec![event(&summary)] }.to_ics("0.1.0");
            for line in ics.split("\r\n") {
                prop_assert!(line.len() <= 75, "a line of {} octets", line.len());
                prop_assert!(!line.contains('\n') && !line.contains('\r'));
            }
            let expected: String = summary.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
            prop_assert_eq!(read_property(&ics, "SUMMARY"), Some(expected.clone()));
            prop_assert_eq!(read_property(&ics, "X-WR-CALNAME"), Some(expected));
        }
    }
}
