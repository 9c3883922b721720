//! Pay as postings write it: "$120k–$150k", "€60.000 – 70.000 brutto/Jahr",
//! "OTE $25k - $35k", "AED 20,000 per month", "£45,000 - £55,000 per annum".

use serde::{Deserialize, Serialize};

/// A salary range read from a posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// ISO 4217 code, when the posting shows one or a symbol for one.
    pub currency: Option<String>,
    /// `year`, `month`, `week`, `day` or `hour`.
    pub period: Option<String>,
    /// Whether the period was written (`false`: inferred from the size of the numbers).
    pub period_stated: bool,
    /// On-target earnings (base plus commission), not a base salary.
    pub ote: bool,
    /// The words it was read from.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Currency(&'static str),
    Number(f64),
    Dash,
    /// Any other word: it only keeps numbers on either side of it apart.
    Word,
}

const CODES: &[&str] = &[
    "USD", "EUR", "GBP", "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "EGP", "CAD", "AUD", "NZD",
    "CHF", "INR", "JPY", "CNY", "SGD", "HKD", "SEK", "NOK", "DKK", "PLN", "CZK", "ZAR", "BRL",
    "MXN", "MAD", "TRY", "ILS", "JOD", "PKR",
];

fn code(word: &str) -> Option<&'static str> {
    // Compared in place: a digit line of a posting is mostly words, and upper-casing
    // each one was most of the time spent reading pay.
    if let Some(c) = CODES.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    Some(match word {
        "US$" => "USD",
        "CA$" | "C$" => "CAD",
        "A$" | "AU$" => "AUD",
        "S$" => "SGD",
        "HK$" => "HKD",
        "درهم" => "AED",
        "ريال" => "SAR",
        _ => return None,
    })
}

fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '$' => "USD",
        '€' => "EUR",
        '£' => "GBP",
        '¥' => "JPY",
        '₹' => "INR",
        _ => return None,
    })
}

/// Reads a number as postings write it: "120,000", "60.000" (a separator before exactly
/// three digits groups thousands), "12,00,000" (Indian grouping), "1.5", Arabic-Indic
/// digits.
fn number(raw: &str) -> Option<f64> {
    let digits: String = raw
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
            '٬' => ',',
            '٫' => '.',
            c => c,
        })
        .collect();
    if in_lakhs(&digits) {
        return digits.replace(',', "").parse().ok();
    }
    let chars: Vec<char> = digits.chars().collect();
    let mut plain = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' || c == '.' || c == ' ' || c == '\'' {
            let group = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let rest_after = chars.get(i + 1 + group);
            if group == 3 && !rest_after.is_some_and(|c| c.is_ascii_digit()) {
                continue; // thousands separator
            }
            if c == ' ' || c == '\'' {
                return None;
            }
            plain.push('.');
        } else {
            plain.push(c);
        }
    }
    plain.parse().ok()
}

/// Whether `digits` are grouped the Indian way: lakhs and crores by two before the last
/// three ("12,00,000", "1,20,00,000"), and nothing else.
fn in_lakhs(digits: &str) -> bool {
    let groups: Vec<&str> = digits.split(',').collect();
    let all_digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    groups.len() >= 3
        && (1..=2).contains(&groups[0].len())
        && groups[1..groups.len() - 1].iter().all(|g| g.len() == 2)
        && groups[groups.len() - 1].len() == 3
        && groups.iter().all(|g| all_digits(g))
}

fn tokens(line: &str) -> Vec<(Tok, usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if let Some(cur) = symbol(c) {
            out.push((Tok::Currency(cur), start, start + c.len_utf8()));
            i += 1;
        } else if c.is_ascii_digit() || ('٠'..='٩').contains(&c) {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                let next_digit = chars
                    .get(j + 1)
                    .is_some_and(|&(_, n)| n.is_ascii_digit() || ('٠'..='٩').contains(&n));
                if d.is_ascii_digit()
                    || ('٠'..='٩').contains(&d)
                    || (matches!(d, ',' | '.' | '٬' | '٫' | '\'') && next_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(line.len(), |&(b, _)| b);
            if let Some(n) = number(&line[start..end]) {
                out.push((Tok::Number(n), start, end));
            }
            // "120k", "1.2M" straight after the number.
            if let Some(&(b, s)) = chars.get(j)
                && matches!(s, 'k' | 'K' | 'm' | 'M')
                && !chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphabetic())
            {
                let factor = if matches!(s, 'k' | 'K') {
                    1_000.0
                } else {
                    1_000_000.0
                };
                if let Some((Tok::Number(n), _, e)) = out.last_mut() {
                    *n *= factor;
                    *e = b + 1;
                }
                j += 1;
            }
            i = j;
        } else if matches!(c, '-' | '–' | '—' | '~') {
            out.push((Tok::Dash, start, start + c.len_utf8()));
            i += 1;
        } else if c.is_alphabetic() {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].1.is_alphabetic() || chars[j].1 == '$' || chars[j].1 == '.')
            {
                j += 1;
            }
            let end = chars.get(j).map_or(line.len(), |&(b, _)| b);
            let word = line[start..end].trim_end_matches('.');
            match code(word) {
                Some(cur) => out.push((Tok::Currency(cur), start, end)),
                None if ["to", "bis", "and", "und", "إلى", "الى"]
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(word)) =>
                {
                    out.push((Tok::Dash, start, end))
                }
                None => out.push((Tok::Word, start, end)),
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The first salary a text states. A number counts as pay when a currency is written
/// next to it, or when its line talks about salary or compensation.
pub fn find(text: &str) -> Option<Salary> {
    text.lines().find_map(in_line)
}

fn in_line(line: &str) -> Option<Salary> {
    // A salary has a number, and most lines have no digit at all.
    if !line.contains(|c: char| c.is_ascii_digit() || ('٠'..='٩').contains(&c)) {
        return None;
    }
    let lower = crate::lower_case(line);
    let pay_words = [
        "salary",
        "compensation",
        "pay",
        "gehalt",
        "vergütung",
        "راتب",
        "الراتب",
        "ote",
        "base",
    ];
    let about_pay = pay_words.iter().any(|w| lower.contains(w));
    let toks = tokens(line);
    let mut i = 0;
    while i < toks.len() {
        // [currency] number [currency] ([dash] [currency] number [currency])?
        let begin = i;
        let mut currency = None;
        if let Tok::Currency(c) = toks[i].0 {
            currency = Some(c);
            i += 1;
        }
        let Some((Tok::Number(low), _, mut end)) = toks.get(i).copied() else {
            i = begin + 1;
            continue;
        };
        i += 1;
        if let Some((Tok::Currency(c), _, e)) = toks.get(i).copied() {
            currency = currency.or(Some(c));
            end = e;
            i += 1;
        }
        let mut high = None;
        if matches!(toks.get(i).map(|t| &t.0), Some(Tok::Dash)) {
            let mut k = i + 1;
            if let Some((Tok::Currency(c), _, _)) = toks.get(k).copied() {
                currency = currency.or(Some(c));
                k += 1;
            }
            if let Some((Tok::Number(h), _, e)) = toks.get(k).copied() {
                high = Some(h);
                end = e;
                if let Some((Tok::Currency(c), _, e)) = toks.get(k + 1).copied() {
                    currency = currency.or(Some(c));
                    end = e;
                }
            }
        }
        // "60 - 70k": the k of the upper bound applies to the lower one.
        let (low, high) = match high {
            Some(h) if h >= 1_000.0 && low < 1_000.0 && h / low >= 500.0 => {
                (low * 1_000.0, Some(h))
            }
            other => (low, other),
        };
        let plausible =
            low >= 5.0 && !(1900.0..=2100.0).contains(&low) || high.is_some_and(|h| h >= 5.0);
        if (currency.is_some() || (about_pay && high.is_some())) && plausible {
            let start = toks[begin].1;
            // Lower-casing can change byte lengths ("İ"), so cut the original line.
            let period = period(&line[start..].to_lowercase()).or_else(|| period(&lower));
            let (period, stated) = match period {
                Some(p) => (Some(p.to_owned()), true),
                None => (
                    inferred_period(high.unwrap_or(low)).map(str::to_owned),
                    false,
                ),
            };
            let ote = lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "ote")
                || lower.contains("on-target")
                || lower.contains("on target earnings");
            return Some(Salary {
                min: Some(low.round() as u64),
                max: high.map(|h| h.round() as u64),
                currency: currency.map(str::to_owned),
                period,
                period_stated: stated,
                ote,
                text: line[start..end.min(line.len())].trim().to_owned(),
            });
        }
        i = begin + 1;
    }
    None
}

fn period(lower: &str) -> Option<&'static str> {
    const PERIODS: &[(&str, &[&str])] = &[
        (
            "hour",
            &[
                "per hour",
                "/hour",
                "/hr",
                "an hour",
                "hourly",
                "/h ",
                "pro stunde",
                "stundenlohn",
                "في الساعة",
            ],
        ),
        (
            "day",
            &[
                "per day",
                "/day",
                "a day",
                "daily rate",
                "pro tag",
                "/tag",
                "في اليوم",
            ],
        ),
        (
            "week",
            &["per week", "/week", "a week", "weekly", "pro woche"],
        ),
        (
            "month",
            &[
                "per month",
                "/month",
                "/mo",
                "a month",
                "monthly",
                "pro monat",
                "/monat",
                "monatlich",
                "شهري",
                "في الشهر",
                "شهريا",
            ],
        ),
        (
            "year",
            &[
                "per year",
                "/year",
                "/yr",
                "a year",
                "annually",
                "annual",
                "per annum",
                "p.a",
                "yearly",
                "/jahr",
                "pro jahr",
                "jährlich",
                "brutto",
                "سنوي",
                "سنويا",
            ],
        ),
    ];
    let mut best: Option<(usize, &'static str)> = None;
    for (name, words) in PERIODS {
        for w in *words {
            if let Some(at) = lower.find(w)
                && best.is_none_or(|(b, _)| at < b)
            {
                best = Some((at, name));
            }
        }
    }
    best.map(|(_, p)| p)
}

fn inferred_period(amount: f64) -> Option<&'static str> {
    (amount >= 15_000.0).then_some("year")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(
        text: &str,
    ) -> (
        Option<u64>,
        Option<u64>,
        Option<String>,
        Option<String>,
        bool,
    ) {
        let s = find(text).expect(text);
        (s.min, s.max, s.currency, s.period, s.ote)
    }

    #[test]
    fn reads_the_ranges_postings_write() {
        let own = |v: &str| Some(v.to_owned());
        assert_eq!(
            s("Salary: $120k–$150k"),
            (Some(120_000), Some(150_000), own("USD"), own("year"), false)
        );
        assert_eq!(
            s("€60.000 – 70.000 brutto/Jahr"),
            (Some(60_000), Some(70_000), own("EUR"), own("year"), false)
        );
        assert_eq!(
            s("OTE $25k - $35k"),
            (Some(25_000), Some(35_000), own("USD"), own("year"), true)
        );
        assert_eq!(
            s("AED 20,000 per month"),
            (Some(20_000), None, own("AED"), own("month"), false)
        );
        assert_eq!(
            s("£45,000 to £55,000 per annum"),
            (Some(45_000), Some(55_000), own("GBP"), own("year"), false)
        );
        assert_eq!(
            s("Pay: 25 - 30 USD/hour"),
            (Some(25), Some(30), own("USD"), own("hour"), false)
        );
        assert_eq!(
            s("Compensation 90-110k CAD"),
            (Some(90_000), Some(110_000), own("CAD"), own("year"), false)
        );
        assert_eq!(
            s("الراتب ٢٠٬٠٠٠ درهم شهريا"),
            (Some(20_000), None, own("AED"), own("month"), false)
        );
    }

    #[test]
    fn codes_and_range_words_are_read_in_any_case() {
        let own = |v: &str| Some(v.to_owned());
        assert_eq!(
            s("Pay: 50,000 usd TO 60,000 Usd a year"),
            (Some(50_000), Some(60_000), own("USD"), own("year"), false)
        );
        assert_eq!(
            s("Gehalt 4.000 BIS 5.000 eur monatlich"),
            (Some(4_000), Some(5_000), own("EUR"), own("month"), false)
        );
        assert_eq!(
            s("₹ 12,00,000 - 15,50,000 per annum"),
            (
                Some(1_200_000),
                Some(1_550_000),
                own("INR"),
                own("year"),
                false
            )
        );
        assert_eq!(number("1,20,00,000"), Some(12_000_000.0));
        // Not grouped the Indian way: read as before.
        assert_eq!(number("10,11,12"), None);
        assert_eq!(number("1,50"), Some(1.5));
        // A word between two numbers keeps them apart.
        assert_eq!(
            s("CHF 90,000 plus 10 days"),
            (Some(90_000), None, own("CHF"), own("year"), false)
        );
    }

    #[test]
    fn letters_that_change_length_in_lower_case_do_not_break_the_reading() {
        let salary = find("İİİİİİİİİİ Gehalt: €50.000 pro Jahr").expect("salary");
        assert_eq!(
            (salary.min, salary.period.as_deref()),
            (Some(50_000), Some("year"))
        );
    }

    #[test]
    fn numbers_that_are_not_pay_are_left_alone() {
        assert_eq!(
            find("5+ years of experience, team of 12, founded 2015"),
            None
        );
        assert_eq!(find("Join 2,000 colleagues in 30 countries"), None);
    }
}
