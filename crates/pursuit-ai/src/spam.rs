//! The local spam check: phrases that mail filters and readers hold against an email, each
//! with a weight, plus shouting (capitals, runs of `!`, `$$$`). The words returned are the
//! email's own characters, so a page can highlight them as they stand.

use serde::Serialize;

/// Phrases and their weights; matched case-insensitively on word boundaries. Written for
/// outreach and application emails: sales and urgency language weighs most.
const PHRASES: &[(&str, f64)] = &[
    ("act now", 0.5),
    ("apply now", 0.15),
    ("as seen on", 0.4),
    ("buy now", 0.5),
    ("cash bonus", 0.5),
    ("cheap", 0.25),
    ("click below", 0.35),
    ("click here", 0.45),
    ("congratulations", 0.3),
    ("dear friend", 0.45),
    ("double your", 0.5),
    ("earn money", 0.5),
    ("exclusive deal", 0.4),
    ("extra income", 0.5),
    ("fast cash", 0.6),
    ("for free", 0.35),
    ("free", 0.2),
    ("guarantee", 0.3),
    ("guaranteed", 0.35),
    ("incredible deal", 0.45),
    ("increase sales", 0.3),
    ("limited time", 0.45),
    ("lowest price", 0.45),
    ("make money", 0.5),
    ("miracle", 0.4),
    ("money back", 0.45),
    ("no cost", 0.35),
    ("no obligation", 0.45),
    ("not spam", 0.6),
    ("once in a lifetime", 0.5),
    ("opportunity of a lifetime", 0.45),
    ("order now", 0.45),
    ("risk free", 0.45),
    ("risk-free", 0.45),
    ("special promotion", 0.4),
    ("this is not spam", 0.6),
    ("urgent", 0.3),
    ("winner", 0.4),
    ("you have been selected", 0.5),
    ("you're a winner", 0.6),
    ("100% free", 0.6),
    ("100% satisfied", 0.45),
    ("amazing", 0.15),
    ("best price", 0.35),
    ("bonus", 0.2),
    ("call now", 0.4),
    ("cancel at any time", 0.3),
    ("dear sir or madam", 0.25),
    ("don't delete", 0.5),
    ("don't hesitate", 0.1),
    ("get paid", 0.4),
    ("instant", 0.15),
    ("act immediately", 0.45),
    ("offer expires", 0.4),
    ("only a few left", 0.45),
    ("promise you", 0.3),
    ("unsubscribe", 0.05),
    ("what are you waiting for", 0.4),
    ("while supplies last", 0.45),
    ("work from home", 0.3),
];

/// What the check found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpamReport {
    /// 0 (clean) to 1 (certain spam), rounded to two decimals.
    pub spam_score: f64,
    /// The email's own words and phrases that raise the score, each once, in order of
    /// first appearance.
    pub spam_words: Vec<String>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\''
}

/// Where `phrase` occurs in `text` as whole words, ignoring ASCII case: byte ranges.
fn occurrences(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(phrase) {
        let start = from + at;
        let end = start + phrase.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let word_start = !phrase.starts_with(is_word_char) || !before.is_some_and(is_word_char);
        let word_end = !phrase.ends_with(is_word_char) || !after.is_some_and(is_word_char);
        if word_start && word_end {
            found.push((start, end));
        }
        from = start + phrase.len().max(1);
    }
    found
}

/// Checks one email (subject and body together).
pub fn check(text: &str) -> SpamReport {
    let mut hits: Vec<(usize, usize, f64)> = Vec::new();
    for (phrase, weight) in PHRASES {
        for (start, end) in occurrences(text, phrase) {
            hits.push((start, end, *weight));
        }
    }
    // A phrase inside a longer one that also matched ("free" in "100% free") counts once.
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut kept: Vec<(usize, usize, f64)> = Vec::new();
    for hit in hits {
        if kept.last().is_some_and(|last| hit.0 < last.1) {
            continue;
        }
        kept.push(hit);
    }
    // Shouting: words of four or more letters all in capitals, runs of `!`, `$$`.
    let mut shouting = Vec::new();
    let mut offset = 0;
    for word in text.split_inclusive(|c: char| !is_word_char(c)) {
        let core = word.trim_end_matches(|c: char| !is_word_char(c));
        let letters = core.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 4 && core.chars().all(|c| !c.is_lowercase()) {
            shouting.push((offset, offset + core.len(), 0.12));
        }
        offset += word.len();
    }
    for mark in ["!!", "$$"] {
        for (start, end) in occurrences(text, mark) {
            let run_end = start
                + text[start..]
                    .chars()
                    .take_while(|c| *c == mark.chars().next().unwrap_or('!'))
                    .map(char::len_utf8)
                    .sum::<usize>();
            shouting.push((start, run_end.max(end), 0.25));
        }
    }
    shouting.sort_by_key(|h| h.0);
    shouting.dedup_by(|b, a| b.0 < a.1);
    let total: f64 = kept.iter().chain(&shouting).map(|h| h.2).sum();
    let mut all: Vec<(usize, usize, f64)> = kept.into_iter().chain(shouting).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut spam_words: Vec<String> = Vec::new();
    let mut covered = 0;
    for (start, end, _) in all {
        // Shouting inside a phrase already listed ("FREE" in "100% FREE") is not listed twice.
        if end <= covered {
            continue;
        }
        covered = covered.max(end);
        let word = text[start..end].to_owned();
        if !spam_words.contains(&word) {
            spam_words.push(word);
        }
    }
    let score = 1.0 - (-total).exp();
    SpamReport {
        spam_score: (score * 100.0).round() / 100.0,
        spam_words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_note_is_clean() {
        let report = check(
            "Hi Dana,\n\nI read about the platform team's move to Rust and led a similar \
             migration at Acme. Would a short call next week be useful?\n\nBest, Sam",
        );
        assert_eq!(report.spam_score, 0.0);
        assert!(report.spam_words.is_empty());
    }

    #[test]
    fn the_exact_words_are_returned_as_written() {
        let report = check("ACT NOW: this is 100% FREE, guaranteed!!! Click here.");
        assert_eq!(
            report.spam_words,
            ["ACT NOW", "100% FREE", "guaranteed", "!!!", "Click here"]
        );
        assert!(report.spam_score > 0.8, "{}", report.spam_score);
        for word in &report.spam_words {
            assert!(
                "ACT NOW: this is 100% FREE, guaranteed!!! Click here.".contains(word.as_str())
            );
        }
    }

    #[test]
    fn words_only_match_whole() {
        // "freedom", "bonuses" and "instantiate" are not "free", "bonus" and "instant".
        let report = check("Freedom to instantiate services; bonuses aside.");
        assert!(report.spam_words.is_empty(), "{:?}", report.spam_words);
    }

    #[test]
    fn more_signals_score_higher() {
        let mild = check("A free consultation.").spam_score;
        let loud = check("FREE money!!! Act now, limited time, risk free.").spam_score;
        assert!(mild > 0.0 && mild < loud && loud <= 1.0, "{mild} {loud}");
    }
}
