//! Company research without a model (seed 000 §6): a short summary and up to five facts
//! about a company, each a sentence copied from one of the sources given — the company's
//! own pages, the postings it published — and naming that source. Nothing is written that
//! a source does not say: a fact is the source's sentence, the summary the page's own
//! description or its first sentence saying what the company does.
//!
//! Pure: the sources are text the caller fetched or kept.

use serde::{Deserialize, Serialize};

/// Text a fact may come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Where it is: a page's URL, or `posting:<id>`.
    pub id: String,
    /// `website` (the company's own page) or `posting`.
    pub kind: String,
    /// A page's title, a posting's title.
    pub title: String,
    /// The page's own description (`og:description`, `<meta name="description">`).
    #[serde(default)]
    pub description: Option<String>,
    /// The readable text.
    pub text: String,
}

/// A sentence of one source about the company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub text: String,
    /// `founded`, `size`, `places`, `reach`, `funding`, `recognition` or `what`.
    pub kind: String,
    /// The source's `id`.
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Research {
    /// At most [`MAX_SUMMARY`] characters; `None` when no source says what the company does.
    pub summary: Option<String>,
    /// At most [`MAX_FACTS`], most telling first.
    pub facts: Vec<Fact>,
}

pub const MAX_FACTS: usize = 5;
pub const MAX_SUMMARY: usize = 400;
/// Sentences longer than this are not taken as facts (a wall of text is no fact).
const MAX_FACT_CHARS: usize = 300;

/// What makes a sentence a fact of a kind, and how telling that kind is.
const KINDS: &[(&str, f64, &[&str])] = &[
    (
        "founded",
        5.0,
        &[
            "founded",
            "established in",
            "since 19",
            "since 20",
            "started in",
        ],
    ),
    (
        "size",
        5.0,
        &[
            " employees",
            " people",
            " team members",
            " staff",
            " colleagues",
            " engineers",
            " nurses",
            " stores",
            " locations",
        ],
    ),
    (
        "funding",
        4.0,
        &[
            "raised",
            "series a",
            "series b",
            "series c",
            "series d",
            "funding",
            "backed by",
            "investors",
            "publicly traded",
            "listed on",
            "ipo",
        ],
    ),
    (
        "reach",
        4.0,
        &[
            " customers",
            " clients",
            " users",
            " countries",
            " businesses",
            " patients",
            " members",
            " partners",
            " million",
            " billion",
        ],
    ),
    (
        "places",
        4.0,
        &[
            "headquartered",
            "headquarters",
            "based in",
            "offices in",
            "office in",
            "head office",
            "hubs in",
        ],
    ),
    (
        "recognition",
        3.0,
        &[
            "award",
            "ranked",
            "named one of",
            "b corp",
            "great place to work",
            "recognized",
            "recognised",
        ],
    ),
    (
        "what",
        2.0,
        &[
            "we build",
            "we make",
            "we help",
            "we provide",
            "we develop",
            "we design",
            "we are a",
            "we're a",
            "is a ",
            "is the ",
            "provides",
            "develops",
            "builds",
            "our mission",
            "our platform",
            "our products",
            "leading",
        ],
    ),
];

/// Sentences about the reader or the application, not the company.
const NOT_ABOUT_THE_COMPANY: &[&str] = &[
    "you ",
    "you'",
    "your ",
    "candidate",
    "apply",
    "applicant",
    "equal opportunity",
    "equal employment",
    "cookie",
    "privacy",
    "javascript",
    "sign in",
    "log in",
    "subscribe",
    "newsletter",
    "all rights reserved",
    "click",
];

/// The sentences of a text: lines, cut at sentence ends (". ", "! ", "? ").
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches(['•', '-', '*', '·']).trim();
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (i, &(at, c)) in chars.iter().enumerate() {
            let next = chars.get(i + 1).map(|&(_, n)| n);
            let after = chars.get(i + 2).map(|&(_, n)| n);
            if matches!(c, '.' | '!' | '?')
                && next == Some(' ')
                && after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit())
                // "Inc. Our" and "St. Louis" are no sentence ends: the word before is long.
                && line[start..at]
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.chars().count() > 3 || w.chars().all(|c| c.is_ascii_digit()))
            {
                out.push(line[start..=at].trim().to_owned());
                start = at + 1;
            }
        }
        let rest = line[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_owned());
        }
    }
    out
}

/// The kind and weight of a sentence as a fact about `company`, if it is one.
fn classify(sentence: &str, company: &str) -> Option<(&'static str, f64)> {
    let words = sentence.split_whitespace().count();
    if !(6..=60).contains(&words) || sentence.chars().count() > MAX_FACT_CHARS {
        return None;
    }
    let lower = format!(" {} ", sentence.to_lowercase());
    if NOT_ABOUT_THE_COMPANY.iter().any(|w| lower.contains(w)) {
        return None;
    }
    // About the company: it names it, or speaks as "we".
    let name = company.to_lowercase();
    let first = name.split_whitespace().next().unwrap_or_default();
    let about = (!first.is_empty() && lower.contains(first))
        || [" we ", " we're ", " our ", " us "]
            .iter()
            .any(|w| lower.contains(w));
    if !about {
        return None;
    }
    let numbered = sentence.chars().any(|c| c.is_ascii_digit());
    KINDS
        .iter()
        .find(|(kind, _, signs)| {
            signs.iter().any(|s| lower.contains(s))
                // Size and reach need a number ("2,000 employees"), not "our people".
                && (!matches!(*kind, "size" | "reach") || numbered)
        })
        .map(|(kind, weight, _)| (*kind, weight + if numbered { 1.0 } else { 0.0 }))
}

fn words(text: &str) -> std::collections::HashSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_owned)
        .collect()
}

/// Two sentences that say much the same.
fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    let shared = a.intersection(&b).count() as f64;
    shared / (a.len().min(b.len()).max(1) as f64) > 0.6
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    let at = head.rfind(' ').unwrap_or(head.len());
    format!("{}…", head[..at].trim_end_matches([',', ';', ':']))
}

/// A summary and up to five facts about `company` from `sources`, each fact a sentence of
/// one source; the company's own pages before its postings among equals.
pub fn research(company: &str, sources: &[Source]) -> Research {
    let mut candidates: Vec<(f64, usize, Fact)> = Vec::new();
    let mut order = 0;
    for source in sources {
        let own = if source.kind == "website" { 0.5 } else { 0.0 };
        for sentence in sentences(&source.text) {
            if let Some((kind, weight)) = classify(&sentence, company) {
                candidates.push((
                    weight + own,
                    order,
                    Fact {
                        text: sentence,
                        kind: kind.to_owned(),
                        source: source.id.clone(),
                    },
                ));
                order += 1;
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Each kind once first, then the best of the rest; never the same thing twice.
    let mut facts: Vec<Fact> = Vec::new();
    for pass in 0..2 {
        for (_, _, fact) in &candidates {
            if facts.len() == MAX_FACTS {
                break;
            }
            let kind_taken = facts.iter().any(|f| f.kind == fact.kind);
            if (pass == 0 && kind_taken) || facts.iter().any(|f| similar(&f.text, &fact.text)) {
                continue;
            }
            facts.push(fact.clone());
        }
    }
    let summary = sources
        .iter()
        .filter(|s| s.kind == "website")
        .find_map(|s| {
            s.description
                .as_deref()
                .filter(|d| d.split_whitespace().count() >= 5)
        })
        .map(str::to_owned)
        .or_else(|| {
            candidates
                .iter()
                .find(|(_, _, f)| f.kind == "what")
                .map(|(_, _, f)| f.text.clone())
        })
        .map(|s| cut(&s, MAX_SUMMARY));
    Research { summary, facts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, kind: &str, text: &str) -> Source {
        Source {
            id: id.to_owned(),
            kind: kind.to_owned(),
            title: String::new(),
            description: None,
            text: text.to_owned(),
        }
    }

    const ABOUT: &str = "About Fernhill Robotics
Fernhill Robotics builds warehouse robots that pick and pack groceries. Founded in 2014 in Leeds, we now employ 420 people across three countries.
Our robots handle 2 million orders a week for 35 retail customers.
We raised a $60M Series C led by Northgate Ventures in 2023.
Fernhill is headquartered in Leeds, with offices in Rotterdam and Austin.
Sign in to your account. We use cookies to improve your experience.
Our people are our greatest asset.";

    #[test]
    fn every_fact_is_a_sentence_of_its_source_and_each_kind_comes_once() {
        let sources = [
            source("https://fernhill.example/about", "website", ABOUT),
            source(
                "posting:1",
                "posting",
                "Senior Controls Engineer\nYou will tune motion control loops.\nFernhill Robotics was founded in 2014 by two engineers from Leeds.",
            ),
        ];
        let found = research("Fernhill Robotics", &sources);
        assert!((3..=MAX_FACTS).contains(&found.facts.len()), "{found:#?}");
        for fact in &found.facts {
            let from = sources.iter().find(|s| s.id == fact.source).unwrap();
            assert!(from.text.contains(&fact.text), "{fact:?}");
        }
        let kinds: Vec<&str> = found.facts.iter().map(|f| f.kind.as_str()).collect();
        for kind in ["founded", "funding", "places"] {
            assert!(kinds.contains(&kind), "{kind}: {found:#?}");
        }
        // The founding is said twice: the company's own page is cited, once.
        assert_eq!(
            found
                .facts
                .iter()
                .filter(|f| f.text.contains("2014"))
                .count(),
            1
        );
        assert!(
            found
                .facts
                .iter()
                .find(|f| f.text.contains("2014"))
                .unwrap()
                .source
                .starts_with("https://")
        );
        // Chrome and slogans are no facts; neither is what the job asks of the reader.
        for text in found.facts.iter().map(|f| f.text.as_str()) {
            assert!(
                !text.contains("cookies")
                    && !text.contains("greatest asset")
                    && !text.contains("You will"),
                "{text}"
            );
        }
        assert_eq!(
            found.summary.as_deref(),
            Some("Fernhill Robotics builds warehouse robots that pick and pack groceries.")
        );
    }

    #[test]
    fn a_page_description_is_the_summary_and_nothing_found_is_said_as_nothing() {
        let mut page = source("https://x.example/", "website", "Welcome.\nContact us.");
        page.description =
            Some("Acme makes anvils for the discerning coyote, since 1949.".to_owned());
        let found = research("Acme", &[page]);
        assert_eq!(
            found.summary.as_deref(),
            Some("Acme makes anvils for the discerning coyote, since 1949.")
        );
        assert!(found.facts.is_empty(), "{found:#?}");
        assert_eq!(research("Acme", &[]), Research::default());
    }

    #[test]
    fn sentences_end_where_sentences_end() {
        assert_eq!(
            sentences("Acme Inc. Was founded in 1949. It sells anvils! Really? Yes.\n- A bullet"),
            [
                "Acme Inc. Was founded in 1949.",
                "It sells anvils!",
                "Really?",
                "Yes.",
                "A bullet"
            ]
        );
    }
}
