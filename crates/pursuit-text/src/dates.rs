//! Dates as resumes write them: "Jan 2019", "01/2019", "2019-01", "2019", "Sept. 2020", in
//! ranges ("2019 – Present", "08/2014 to Current", "مارس ٢٠١٩ - الآن").

use serde::{Deserialize, Serialize};

/// A month of a year, or a year alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: Option<u32>,
}

impl YearMonth {
    /// ISO 8601 as JSON Resume writes it: `2019-01` or `2019`.
    pub fn iso(self) -> String {
        match self.month {
            Some(month) => format!("{:04}-{month:02}", self.year),
            None => format!("{:04}", self.year),
        }
    }

    pub fn parse_iso(value: &str) -> Option<YearMonth> {
        let mut parts = value.trim().split('-');
        let year = parts.next()?.parse().ok()?;
        let month = match parts.next() {
            Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        Some(YearMonth { year, month })
    }

    /// Months since year 0, counting a bare year as January (starts) or December (ends).
    pub(crate) fn months(self, end: bool) -> i32 {
        let month = self.month.unwrap_or(if end { 12 } else { 1 });
        self.year * 12 + i32::try_from(month).unwrap_or(1) - 1
    }
}

/// A date range found in a line: `end == None` means "to the present".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: YearMonth,
    pub end: Option<YearMonth>,
    /// Byte span of the range in the line.
    pub span: (usize, usize),
}

/// The month a word names (English, and French, German and Spanish forms; full or short;
/// any case), if it names one.
pub fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, n)| *n)
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // French, German, Spanish short and long forms that differ from the English ones.
    ("janv", 1),
    ("janvier", 1),
    ("févr", 2),
    ("fevr", 2),
    ("février", 2),
    ("mars", 3),
    ("avr", 4),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juil", 7),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("déc", 12),
    ("décembre", 12),
    ("märz", 3),
    ("okt", 10),
    ("dez", 12),
    ("ene", 1),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abr", 4),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("ago", 8),
    ("agosto", 8),
    ("septiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("dic", 12),
    ("diciembre", 12),
    // Arabic (Egypt/Gulf and Levant names).
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
];

const PRESENT: &[&str] = &[
    "present",
    "current",
    "currently",
    "now",
    "today",
    "date",
    "ongoing",
    "heute",
    "présent",
    "actuel",
    "actualidad",
    "presente",
    "الآن",
    "الان",
    "حاليا",
    "حالياً",
    "الحاضر",
];

const TO: &[&str] = &[
    "-", "to", "until", "till", "through", "thru", "bis", "à", "au", "a", "al", "hasta", "إلى",
    "الى", "حتى", "–", "—",
];

#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in line.char_indices() {
        let word = c.is_alphanumeric() || matches!(c, '/' | '.' | '\'' | '’');
        if matches!(c, '-' | '–' | '—' | '−') {
            if let Some(s) = start.take() {
                out.push(Token {
                    text: &line[s..at],
                    start: s,
                    end: at,
                });
            }
            out.push(Token {
                text: "-",
                start: at,
                end: at + c.len_utf8(),
            });
        } else if word {
            start.get_or_insert(at);
        } else if let Some(s) = start.take() {
            out.push(Token {
                text: &line[s..at],
                start: s,
                end: at,
            });
        }
    }
    if let Some(s) = start {
        out.push(Token {
            text: &line[s..],
            start: s,
            end: line.len(),
        });
    }
    out
}

/// Every date has a year written in ASCII digits ([`year`]): a line without one has no
/// date, and is not cut into tokens to find that out.
fn has_digit(line: &str) -> bool {
    line.bytes().any(|b| b.is_ascii_digit())
}

fn year(text: &str) -> Option<i32> {
    let text = text.trim_end_matches('.');
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = text.parse().ok()?;
        return (1950..=2100).contains(&year).then_some(year);
    }
    // '19 and ’19
    let short = text.strip_prefix('\'').or_else(|| text.strip_prefix('’'))?;
    if short.len() == 2 && short.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = short.parse().ok()?;
        return Some(if n > 50 { 1900 + n } else { 2000 + n });
    }
    None
}

fn month_name(text: &str) -> Option<u32> {
    static NORMALIZED: std::sync::LazyLock<Vec<(String, u32)>> = std::sync::LazyLock::new(|| {
        MONTHS
            .iter()
            .map(|(name, m)| (crate::lang::normalize_arabic(name), *m))
            .collect()
    });
    let word = text.trim_end_matches('.');
    if word.is_empty() || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let lower = crate::lang::normalize_arabic(&word.to_lowercase());
    NORMALIZED
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, m)| *m)
}

/// A date starting at token `i`: the date and the index after it.
fn date_at(tokens: &[Token], i: usize) -> Option<(YearMonth, usize)> {
    let text = tokens.get(i)?.text;
    if let Some(month) = month_name(text) {
        let year = year(tokens.get(i + 1)?.text)?;
        return Some((
            YearMonth {
                year,
                month: Some(month),
            },
            i + 2,
        ));
    }
    // 15/08/2016, 15.08.2016 (Europass and most of the world: day first); 08/15/2016 when
    // the second number cannot be a month.
    for sep in ['/', '.'] {
        let parts: Vec<&str> = text.split(sep).collect();
        if let [a, b, y] = parts[..] {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            let month = if b <= 12 { b } else { a };
            let day = if b <= 12 { a } else { b };
            if !(1..=12).contains(&month) || !(1..=31).contains(&day) || y.len() != 4 {
                return None;
            }
            return Some((
                YearMonth {
                    year: year(y)?,
                    month: Some(month),
                },
                i + 1,
            ));
        }
    }
    // 08/2014, 8/2014, 08.2014, 06/15; never 3.47 (a grade, an amount, a version): a
    // two-digit year only after a slash.
    for sep in ['/', '.'] {
        if let Some((m, y)) = text.split_once(sep)
            && (sep == '/' || y.len() == 4)
        {
            let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            let year = if y.len() == 2 {
                year(&format!("'{y}"))
            } else {
                year(y)
            }?;
            return Some((
                YearMonth {
                    year,
                    month: Some(month),
                },
                i + 1,
            ));
        }
    }
    let year = year(text)?;
    // 2019-01 (ISO): a 1–2 digit month after the dash.
    if tokens.get(i + 1).is_some_and(|t| t.text == "-")
        && let Some(m) = tokens.get(i + 2)
        && m.text.len() <= 2
        && let Ok(month) = m.text.parse::<u32>()
        && (1..=12).contains(&month)
    {
        return Some((
            YearMonth {
                year,
                month: Some(month),
            },
            i + 3,
        ));
    }
    Some((YearMonth { year, month: None }, i + 1))
}

/// The first date range in `line`.
pub fn range(line: &str) -> Option<Range> {
    if !has_digit(line) {
        return None;
    }
    let tokens = tokens(line);
    let mut i = 0;
    while i < tokens.len() {
        if let Some((start, next)) = date_at(&tokens, i) {
            let mut j = next;
            // "to" or a dash, possibly both ("- to").
            let mut joined = false;
            while tokens
                .get(j)
                .is_some_and(|t| TO.contains(&t.text.to_lowercase().as_str()))
            {
                joined = true;
                j += 1;
            }
            if joined && let Some(t) = tokens.get(j) {
                let lower = t.text.to_lowercase();
                let lower = lower.trim_end_matches('.');
                if PRESENT.contains(&lower) {
                    return Some(Range {
                        start,
                        end: None,
                        span: (tokens[i].start, t.end),
                    });
                }
                if let Some((end, after)) = date_at(&tokens, j)
                    && (end >= start || end.year == start.year)
                {
                    return Some(Range {
                        start,
                        end: Some(end),
                        span: (tokens[i].start, tokens[after - 1].end),
                    });
                }
            }
            i = next;
        } else {
            i += 1;
        }
    }
    None
}

/// The one date of `line` when it has exactly one, with a month ("July 2009", "02/2012"),
/// and no range: as a range that starts and ends in that month.
pub fn month_alone(line: &str) -> Option<Range> {
    if !has_digit(line) {
        return None;
    }
    let tokens = tokens(line);
    let mut found = None;
    let mut i = 0;
    while i < tokens.len() {
        match date_at(&tokens, i) {
            Some((date, next)) => {
                if found.is_some() || date.month.is_none() {
                    return None;
                }
                found = Some(Range {
                    start: date,
                    end: Some(date),
                    span: (tokens[i].start, tokens[next - 1].end),
                });
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// Every single date in `line` (for education and certificates).
pub fn dates(line: &str) -> Vec<YearMonth> {
    if !has_digit(line) {
        return Vec::new();
    }
    let tokens = tokens(line);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match date_at(&tokens, i) {
            Some((date, next)) => {
                out.push(date);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// Total months covered by `ranges`, overlaps counted once; open ranges end at `today`.
pub fn merged_months(ranges: &[(YearMonth, Option<YearMonth>)], today: YearMonth) -> i32 {
    let mut spans: Vec<(i32, i32)> = ranges
        .iter()
        .map(|(start, end)| (start.months(false), end.unwrap_or(today).months(true) + 1))
        .filter(|(s, e)| e > s)
        .collect();
    spans.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i32, i32)> = None;
    for (s, e) in spans {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = current {
        total += ce - cs;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_words_are_named_in_any_case_and_form() {
        assert_eq!(month_number("March"), Some(3));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("janvier"), Some(1));
        assert_eq!(month_number("Marketo"), None);
    }

    fn ym(year: i32, month: Option<u32>) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn reads_ranges_in_the_usual_forms() {
        let cases = [
            ("Teacher , 08/2014 to Current", ym(2014, Some(8)), None),
            ("01/03/2019 - CURRENT Stockholm", ym(2019, Some(3)), None),
            (
                "03/25/2018 - 12/01/2020",
                ym(2018, Some(3)),
                Some(ym(2020, Some(1))),
            ),
            (
                "Jan 2019 – Mar 2021",
                ym(2019, Some(1)),
                Some(ym(2021, Some(3))),
            ),
            ("Acme | 2015-2018", ym(2015, None), Some(ym(2018, None))),
            (
                "2019-01 - 2020-03",
                ym(2019, Some(1)),
                Some(ym(2020, Some(3))),
            ),
            ("Sept. 2020 - Present", ym(2020, Some(9)), None),
            ("مارس 2019 - الآن", ym(2019, Some(3)), None),
            (
                "(June 2012 to July 2014)",
                ym(2012, Some(6)),
                Some(ym(2014, Some(7))),
            ),
            ("Capital One   06/15 - Now", ym(2015, Some(6)), None),
        ];
        for (line, start, end) in cases {
            let range = range(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!((range.start, range.end), (start, end), "{line}");
        }
        let r = range("Teacher , 08/2014 to Current").unwrap();
        assert_eq!(
            &"Teacher , 08/2014 to Current"[r.span.0..r.span.1],
            "08/2014 to Current"
        );
    }

    #[test]
    fn phone_numbers_and_lone_years_are_not_ranges() {
        assert_eq!(range("614-555-5555"), None);
        assert_eq!(range("Graduated 2016"), None);
        assert_eq!(range("Managed 1200 - 1500 accounts"), None);
    }

    #[test]
    fn a_grade_or_an_amount_is_no_month_and_year() {
        assert_eq!(
            dates("BA : 1987 University of Wisconsin GPA: 3.47"),
            vec![ym(1987, None)]
        );
        assert_eq!(dates("Raised 4.50 million in 2 years"), Vec::new());
        assert_eq!(dates("08.2014"), vec![ym(2014, Some(8))]);
        assert_eq!(dates("06/15"), vec![ym(2015, Some(6))]);
    }

    #[test]
    fn overlapping_roles_count_once() {
        let today = ym(2024, Some(12));
        let roles = [
            (ym(2014, Some(8)), None),
            (ym(2012, Some(8)), Some(ym(2014, Some(9)))),
            (ym(2015, Some(8)), None),
        ];
        // Aug 2012 .. Dec 2024 inclusive = 149 months.
        assert_eq!(merged_months(&roles, today), 149);
        assert_eq!(merged_months(&[], today), 0);
    }
}
