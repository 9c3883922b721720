//! Reading the cells of other trackers' exports: their status words, dates in the formats
//! spreadsheets write, salary text, priorities as words or stars, yes/no flags and lists.
//! Each reader returns `None` for what it cannot read; the caller decides whether that is
//! an error (a status, a date) or a note kept with the application (a salary such as
//! "competitive").

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use pursuit_domain::application::{ApplicationStatus, LocationMode, Priority};

/// Lower-case letters and digits only: "On-Hold " → "onhold".
fn squash(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A status as Pursuit, Huntr- and Teal-style boards and hand-made spreadsheets write it.
pub fn status(input: &str) -> Option<ApplicationStatus> {
    use ApplicationStatus as S;
    if let Ok(status) = S::parse(input.trim()) {
        return Some(status);
    }
    let status = match squash(input).as_str() {
        "saved" | "wishlist" | "wish" | "bookmarked" | "bookmark" | "interested" | "watching"
        | "backlog" | "toapply" | "lead" | "prospect" | "idea" => S::Saved,
        "draft" | "applying" | "inprogress" | "preparing" | "todo" | "planned" => S::Draft,
        "applied"
        | "submitted"
        | "sent"
        | "applicationsubmitted"
        | "awaitingresponse"
        | "waiting"
        | "pending"
        | "noresponse"
        | "noreply" => S::Applied,
        "screening" | "screen" | "phonescreen" | "initialscreen" | "reviewing" | "inreview"
        | "underreview" => S::Screening,
        "recruitercall" | "recruiterscreen" | "recruiter" | "hrcall" | "hrscreen"
        | "hrinterview" | "phonecall" | "call" => S::RecruiterCall,
        "techscreen" | "technicalscreen" | "technicalinterview" | "codingchallenge"
        | "codinginterview" | "takehome" | "assessment" | "onlineassessment" | "test" => {
            S::TechScreen
        }
        "interview" | "interviews" | "interviewing" | "interviewloop" | "onsite" | "loop"
        | "finalround" | "finalinterview" | "panel" | "secondinterview" => S::InterviewLoop,
        "offer" | "offered" | "offerreceived" | "negotiating" | "negotiation" => S::Offer,
        "accepted" | "offeraccepted" | "hired" | "signed" => S::Accepted,
        "declined" | "offerdeclined" | "iwithdrew" | "withdrew" | "withdrawn" | "notinterested" => {
            S::Declined
        }
        "rejected" | "rejection" | "notselected" | "notmovingforward" | "unsuccessful"
        | "denied" | "turneddown" => S::Rejected,
        "onhold" | "hold" | "paused" | "postponed" | "frozen" | "hiringfreeze" => S::OnHold,
        "closed" | "archived" | "expired" | "ghosted" | "positionfilled" | "filled"
        | "cancelled" | "canceled" => S::Closed,
        _ => return None,
    };
    Some(status)
}

/// A priority: a word, P1–P3, or a 0–5 score / stars as excitement ratings are written.
pub fn priority(input: &str) -> Option<Priority> {
    let stars = input.chars().filter(|c| *c == '★' || *c == '⭐').count();
    if stars > 0 {
        return score_priority(stars as u64);
    }
    let squashed = squash(input);
    if let Ok(score) = squashed.parse::<u64>() {
        return score_priority(score);
    }
    Some(match squashed.as_str() {
        "" | "none" | "no" => Priority::None,
        "low" | "l" | "p3" | "minor" => Priority::Low,
        "medium" | "med" | "m" | "normal" | "mid" | "p2" => Priority::Medium,
        "high" | "h" | "p1" | "urgent" | "top" | "dream" => Priority::High,
        _ => return None,
    })
}

fn score_priority(score: u64) -> Option<Priority> {
    match score {
        0 => Some(Priority::None),
        1 | 2 => Some(Priority::Low),
        3 => Some(Priority::Medium),
        4 | 5 => Some(Priority::High),
        _ => None,
    }
}

/// Remote, hybrid or on-site, from a work-mode cell or words in a location.
pub fn location_mode(input: &str) -> Option<LocationMode> {
    let lower = input.to_lowercase();
    if lower.contains("hybrid") {
        Some(LocationMode::Hybrid)
    } else if lower.contains("remote") || lower.contains("wfh") || squash(input) == "anywhere" {
        Some(LocationMode::Remote)
    } else if [
        "onsite",
        "on site",
        "on-site",
        "in office",
        "in-office",
        "in person",
        "office",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        Some(LocationMode::Onsite)
    } else {
        None
    }
}

/// Yes/no as spreadsheets write it (`TRUE`, `yes`, `x`, `✓`, `1`, …).
pub fn flag(input: &str) -> Option<bool> {
    if input.contains('✓') || input.contains('✔') {
        return Some(true);
    }
    match squash(input).as_str() {
        "true" | "yes" | "y" | "x" | "1" | "done" => Some(true),
        "false" | "no" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

/// Items of a list cell, split on `,` `;` `|` and newlines, trimmed, duplicates dropped.
pub fn list(input: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in input.split([',', ';', '|', '\n']) {
        let item = item.trim();
        if !item.is_empty() && !items.iter().any(|i| i == item) {
            items.push(item.to_owned());
        }
    }
    items
}

/// How to read `03/04/2025`: month first (US) or day first (most other places).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
}

impl DateOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month_first",
            DateOrder::DayFirst => "day_first",
        }
    }

    pub fn parse(input: &str) -> Option<DateOrder> {
        match input {
            "month_first" => Some(DateOrder::MonthFirst),
            "day_first" => Some(DateOrder::DayFirst),
            _ => None,
        }
    }
}

/// The three numbers of a numeric date written `A/B/Y` (also with `-` or `.`), if it is one.
fn numeric_parts(input: &str) -> Option<(u32, u32, i16, char)> {
    let input = input.split_whitespace().next()?;
    let separator = input.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = input.split(separator).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if a.len() > 2 || b.len() > 2 || !(y.len() == 2 || y.len() == 4) {
        return None;
    }
    let year: i16 = y.parse().ok()?;
    let year = if y.len() == 2 { 2000 + year } else { year };
    Some((a.parse().ok()?, b.parse().ok()?, year, separator))
}

/// The order a column's numeric dates must be in: day first when some first number is above
/// 12, month first when some second number is; otherwise `fallback`. Both seen: `None`
/// (the column mixes orders; rows are then read with `fallback` and may fail).
pub fn detect_order<'a>(
    values: impl Iterator<Item = &'a str>,
    fallback: DateOrder,
) -> (DateOrder, bool) {
    let (mut day_first, mut month_first) = (false, false);
    for value in values {
        if let Some((a, b, _, separator)) = numeric_parts(value)
            && separator != '.'
        {
            day_first |= a > 12 && b <= 12;
            month_first |= b > 12 && a <= 12;
        }
    }
    match (day_first, month_first) {
        (true, false) => (DateOrder::DayFirst, true),
        (false, true) => (DateOrder::MonthFirst, true),
        _ => (fallback, false),
    }
}

fn month(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_lowercase();
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    let position = MONTHS.iter().position(|m| m.starts_with(word))?;
    i8::try_from(position + 1).ok()
}

/// A calendar date from a cell: ISO (`2025-01-31`, with a time or offset too), `2025/01/31`,
/// numeric `A/B/Y` in `order` (dots are always day first), or with a month name
/// (`Jan 31, 2025`, `31 January 2025`, `31-Jan-25`). An instant with an offset is taken
/// as the date it was in `zone`.
pub fn date(input: &str, order: DateOrder, zone: &TimeZone) -> Option<Date> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    if let Ok(instant) = input.parse::<Timestamp>() {
        return Some(instant.to_zoned(zone.clone()).date());
    }
    if let Ok(zoned) = input.parse::<Zoned>() {
        return Some(zoned.date());
    }
    if let Ok(datetime) = input.parse::<DateTime>() {
        return Some(datetime.date());
    }
    if let Ok(date) = input.parse::<Date>() {
        return Some(date);
    }
    let first = input.split([' ', 'T']).next().unwrap_or(input);
    // 2025/01/31 or 2025.01.31
    let ymd: Vec<&str> = first.split(['/', '.']).collect();
    if let [y, m, d] = ymd.as_slice()
        && y.len() == 4
    {
        return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
    }
    if let Some((a, b, year, separator)) = numeric_parts(input) {
        let (day, month) = match (order, separator) {
            (_, '.') | (DateOrder::DayFirst, _) => (a, b),
            (DateOrder::MonthFirst, _) => (b, a),
        };
        return Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok();
    }
    named_month_date(input)
}

fn named_month_date(input: &str) -> Option<Date> {
    let (mut day, mut month_number, mut year) = (None, None, None);
    for token in input
        .split([' ', ',', '-', '/'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if token.contains(':') || matches!(token.to_lowercase().as_str(), "am" | "pm") {
            break;
        }
        let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            let n: i16 = digits.parse().ok()?;
            if digits.len() == 4 && year.is_none() {
                year = Some(n);
            } else if day.is_none() && n <= 31 && digits.len() <= 2 {
                day = Some(n);
            } else if year.is_none() && digits.len() == 2 {
                year = Some(2000 + n);
            } else {
                return None;
            }
        } else if let Some(m) = month(token) {
            if month_number.replace(m).is_some() {
                return None;
            }
        } else if !is_weekday(token) {
            return None;
        }
    }
    Date::new(year?, month_number?, i8::try_from(day?).ok()?).ok()
}

fn is_weekday(token: &str) -> bool {
    let token = token.to_lowercase();
    let token = token.trim_end_matches('.');
    token.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|day| day.starts_with(token))
}

/// An instant from a cell: RFC 3339 as is; a local date and time in `zone`; a date alone at
/// 09:00 in `zone` (a due date written without a time means that morning).
pub fn instant(input: &str, order: DateOrder, zone: &TimeZone) -> Option<Timestamp> {
    let input = input.trim();
    if input.contains(':') {
        if let Ok(instant) = input.parse::<Timestamp>() {
            return Some(instant);
        }
        if let Ok(datetime) = input.parse::<DateTime>() {
            return datetime.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
        }
    }
    let day = date(input, order, zone)?;
    day.to_datetime(Time::constant(9, 0, 0, 0))
        .to_zoned(zone.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// The currency codes recognised in salary text (`120k EUR`); symbols are read separately.
const CURRENCIES: [&str; 40] = [
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "RON", "INR", "JPY", "CNY", "SGD", "HKD", "KRW", "TWD", "AED", "SAR", "QAR", "KWD", "BHD",
    "OMR", "EGP", "JOD", "MAD", "TRY", "ZAR", "NGN", "KES", "BRL", "MXN", "ARS", "CLP", "ILS",
    "PHP",
];

/// A salary range read from text such as `$120k–150k`, `120,000 - 150,000 USD`, `€80.000`
/// or `95000`: (min, max, currency). Hourly and monthly figures, and text that is not a
/// figure ("competitive"), are `None`: the caller keeps the text in the notes instead.
pub fn salary(input: &str) -> Option<(i64, i64, Option<String>)> {
    let lower = input.to_lowercase();
    let per_other_period = [
        "/h", "hour", "hr", "/mo", "month", "week", "/wk", "day", "daily",
    ];
    if per_other_period.iter().any(|p| lower.contains(p)) {
        return None;
    }
    let mut currency = None;
    for (symbol, code) in [
        ("ca$", "CAD"),
        ("c$", "CAD"),
        ("au$", "AUD"),
        ("a$", "AUD"),
        ("$", "USD"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("₹", "INR"),
        ("¥", "JPY"),
    ] {
        if lower.contains(symbol) {
            currency = Some(code.to_owned());
            break;
        }
    }
    for word in input.split(|c: char| !c.is_ascii_alphabetic()) {
        let code = word.to_ascii_uppercase();
        if CURRENCIES.contains(&code.as_str()) {
            currency = Some(code);
        }
    }
    let mut numbers = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], ',' | '.' | ' ' | '\u{a0}')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let suffix_alone = !chars.get(i + 1).is_some_and(|c| c.is_alphabetic());
        let multiplier = match chars.get(i).map(|c| c.to_ascii_lowercase()) {
            Some('k') if suffix_alone => 1_000.0,
            Some('m') if suffix_alone => 1_000_000.0,
            _ => 1.0,
        };
        numbers.push(figure(&text)? * multiplier);
    }
    let values: Vec<i64> = numbers.iter().map(|n| n.round() as i64).collect();
    let (min, max) = match values.as_slice() {
        [one] => (*one, *one),
        [a, b] => (*a.min(b), *a.max(b)),
        _ => return None,
    };
    // A plain "120-150" with no k is thousands only if both look like it.
    if max < 1_000 {
        return None;
    }
    Some((min, max, currency))
}

/// One written number: `120,000`, `120.000`, `120 000` (thousands grouped by 3) or `1.5`.
fn figure(text: &str) -> Option<f64> {
    let groups: Vec<&str> = text.split([',', '.', ' ', '\u{a0}']).collect();
    if groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3) {
        return groups.concat().parse().ok();
    }
    if groups.len() == 2 {
        return format!("{}.{}", groups[0], groups[1]).parse().ok();
    }
    if groups.len() == 1 {
        return text.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn statuses_from_other_trackers_map_onto_the_pipeline() {
        use ApplicationStatus as S;
        for (word, expected) in [
            ("Recruiter_Call", S::RecruiterCall),
            ("Wishlist", S::Saved),
            ("Bookmarked", S::Saved),
            ("applying", S::Draft),
            ("APPLIED", S::Applied),
            ("Phone Screen", S::Screening),
            ("Take-home", S::TechScreen),
            ("Interviewing", S::InterviewLoop),
            ("Negotiating", S::Offer),
            ("I Withdrew", S::Declined),
            ("Not Selected", S::Rejected),
            ("on hold", S::OnHold),
            ("Ghosted", S::Closed),
        ] {
            assert_eq!(status(word), Some(expected), "{word}");
        }
        assert_eq!(status("Maybe later?"), None);
    }

    #[test]
    fn priorities_from_words_p_levels_and_stars() {
        assert_eq!(priority("High"), Some(Priority::High));
        assert_eq!(priority("p2"), Some(Priority::Medium));
        assert_eq!(priority("★★★★☆"), Some(Priority::High));
        assert_eq!(priority("2"), Some(Priority::Low));
        assert_eq!(priority(""), Some(Priority::None));
        assert_eq!(priority("7"), None);
        assert_eq!(priority("whenever"), None);
    }

    #[test]
    fn dates_in_the_formats_spreadsheets_write() {
        let utc = TimeZone::UTC;
        let m = DateOrder::MonthFirst;
        for text in [
            "2025-01-31",
            "2025-01-31T10:00:00",
            "2025-01-31 10:00",
            "2025/01/31",
            "01/31/2025",
            "1/31/25",
            "31.01.2025",
            "Jan 31, 2025",
            "Friday, January 31, 2025",
            "31 Jan 2025",
            "31-Jan-2025",
            "January 31st 2025",
            "Jan 31, 2025 4:05 PM",
        ] {
            assert_eq!(date(text, m, &utc), Some(d("2025-01-31")), "{text}");
        }
        assert_eq!(
            date("03/04/2025", DateOrder::DayFirst, &utc),
            Some(d("2025-04-03"))
        );
        assert_eq!(date("13/13/2025", m, &utc), None);
        assert_eq!(date("soon", m, &utc), None);
        assert_eq!(date("2025-02-30", m, &utc), None);
    }

    #[test]
    fn an_instant_is_the_date_it_was_where_the_user_lives() {
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        let text = "2025-01-31T20:00:00Z";
        assert_eq!(
            date(text, DateOrder::MonthFirst, &tokyo),
            Some(d("2025-02-01"))
        );
        let due = instant("2025-02-03", DateOrder::MonthFirst, &tokyo).unwrap();
        assert_eq!(due.to_string(), "2025-02-03T00:00:00Z");
    }

    #[test]
    fn the_date_order_of_a_column_is_read_from_its_unambiguous_values() {
        let fallback = DateOrder::MonthFirst;
        assert_eq!(
            detect_order(["03/04/2025", "25/04/2025"].into_iter(), fallback),
            (DateOrder::DayFirst, true)
        );
        assert_eq!(
            detect_order(["03/04/2025", "04/25/2025"].into_iter(), fallback),
            (DateOrder::MonthFirst, true)
        );
        assert_eq!(
            detect_order(["03/04/2025"].into_iter(), fallback),
            (fallback, false)
        );
        assert_eq!(
            detect_order(["13/04/2025", "04/25/2025"].into_iter(), fallback),
            (fallback, false)
        );
    }

    #[test]
    fn salary_text_becomes_a_range_and_what_is_not_a_yearly_figure_does_not() {
        assert_eq!(
            salary("$120k - $150k"),
            Some((120_000, 150_000, Some("USD".into())))
        );
        assert_eq!(
            salary("120,000–150,000 EUR"),
            Some((120_000, 150_000, Some("EUR".into())))
        );
        assert_eq!(
            salary("€80.000"),
            Some((80_000, 80_000, Some("EUR".into())))
        );
        assert_eq!(salary("95000"), Some((95_000, 95_000, None)));
        assert_eq!(
            salary("£1.2m"),
            Some((1_200_000, 1_200_000, Some("GBP".into())))
        );
        assert_eq!(salary("150k-120k"), Some((120_000, 150_000, None)));
        assert_eq!(salary("$60/hr"), None);
        assert_eq!(salary("8000 per month"), None);
        assert_eq!(salary("Competitive"), None);
        assert_eq!(salary("DOE"), None);
    }

    #[test]
    fn flags_lists_and_modes() {
        assert_eq!(flag("TRUE"), Some(true));
        assert_eq!(flag("✓"), Some(true));
        assert_eq!(flag("no"), Some(false));
        assert_eq!(flag("perhaps"), None);
        assert_eq!(list("rust; go,rust | sql\n"), ["rust", "go", "sql"]);
        assert_eq!(location_mode("Remote (US)"), Some(LocationMode::Remote));
        assert_eq!(location_mode("Hybrid - Berlin"), Some(LocationMode::Hybrid));
        assert_eq!(location_mode("On-site"), Some(LocationMode::Onsite));
        assert_eq!(location_mode("Berlin"), None);
    }
}
