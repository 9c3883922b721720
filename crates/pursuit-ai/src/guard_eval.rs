//! Scoring the guard on a labelled set (`tests/guard/*.json`): each case is a generated
//! text for one resume with the inventions planted in it (kind and words); a flag counts
//! as a catch when it overlaps a planted invention's words, as a false flag otherwise.
//! Used by the guard's test and by `pursuit-bench guard`.

use std::collections::BTreeMap;

use pursuit_text::dates::YearMonth;
use serde::Deserialize;

use crate::guard::Sources;

#[derive(Deserialize)]
pub struct Set {
    pub resumes: BTreeMap<String, String>,
    pub cases: Vec<Case>,
}

#[derive(Deserialize)]
pub struct Case {
    pub resume: String,
    pub text: String,
    pub planted: Vec<Planted>,
}

#[derive(Deserialize)]
pub struct Planted {
    pub kind: String,
    pub words: String,
}

/// The figures of one run.
#[derive(Debug, Default)]
pub struct Score {
    pub planted: usize,
    pub caught: usize,
    pub flags: usize,
    pub false_flags: usize,
    pub faithful: usize,
    /// Faithful texts with at least one flag.
    pub faithful_flagged: usize,
    /// Planted and caught, by kind.
    pub by_kind: BTreeMap<String, (usize, usize)>,
    /// What went wrong, one line each.
    pub misses: Vec<String>,
}

impl Score {
    pub fn recall(&self) -> f64 {
        self.caught as f64 / self.planted.max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        (self.flags - self.false_flags) as f64 / self.flags.max(1) as f64
    }

    pub fn false_flag_rate(&self) -> f64 {
        self.faithful_flagged as f64 / self.faithful.max(1) as f64
    }
}

pub fn score(set: &Set, today: YearMonth) -> Score {
    let mut score = Score::default();
    let sources: BTreeMap<&str, Sources> = set
        .resumes
        .iter()
        .map(|(id, text)| (id.as_str(), Sources::new(&[text], &[], today)))
        .collect();
    for case in &set.cases {
        let Some(sources) = sources.get(case.resume.as_str()) else {
            score.misses.push(format!("no resume {:?}", case.resume));
            continue;
        };
        let flags: Vec<_> = sources
            .check(&case.text)
            .into_iter()
            .filter(|c| !c.supported)
            .collect();
        let spans: Vec<(usize, usize)> = case
            .planted
            .iter()
            .map(|p| {
                let start = case.text.find(&p.words).unwrap_or(usize::MAX);
                (start, start.saturating_add(p.words.len()))
            })
            .collect();
        if case.planted.is_empty() {
            score.faithful += 1;
            if !flags.is_empty() {
                score.faithful_flagged += 1;
            }
        }
        for (planted, (start, end)) in case.planted.iter().zip(&spans) {
            score.planted += 1;
            let entry = score.by_kind.entry(planted.kind.clone()).or_default();
            entry.0 += 1;
            if flags.iter().any(|f| f.start < *end && *start < f.end) {
                score.caught += 1;
                entry.1 += 1;
            } else {
                score.misses.push(format!(
                    "missed {} {:?} in {:?}",
                    planted.kind, planted.words, case.text
                ));
            }
        }
        for flag in &flags {
            score.flags += 1;
            if !spans.iter().any(|(s, e)| flag.start < *e && *s < flag.end) {
                score.false_flags += 1;
                score.misses.push(format!(
                    "false flag {} {:?} ({}) in {:?}",
                    flag.kind.as_str(),
                    flag.words,
                    flag.reason,
                    case.text
                ));
            }
        }
    }
    score
}
