//! `pursuit-bench skills`: skill extraction against gold annotations.
//!
//! - SkillSpan (`--skillspan dev.json`, one JSON object per line: `tokens`, `tags_skill`,
//!   `tags_knowledge` in BIO): the sentence is the tokens joined by spaces; a found mention
//!   is right when it overlaps a gold span (or, for the exact figure, covers the same
//!   tokens); recall counts gold spans some mention overlaps. Figures for knowledge spans
//!   (tools, languages, fields — what the vocabulary holds), skill spans (abilities, often
//!   whole phrases), and both; for the extractor and for a plain dictionary of the
//!   vocabulary's skill names in the same harness.
//! - ESCO-linked spans (`--esco file.csv`, columns sentence, span, sub_span, label): for
//!   each span with an ESCO label, whether a mention overlapping it names the same skill
//!   (names compared without case and without a parenthesised qualifier).
//!
//! `--show` prints each wrong mention (`FP`) and each missed knowledge span (`FN`) to
//! stderr, for tuning the vocabulary.

use std::path::{Path, PathBuf};

use anyhow::Context;
use pursuit_text::skills;

pub fn run(skillspan: Option<PathBuf>, esco: Vec<PathBuf>, show: bool) -> anyhow::Result<()> {
    if let Some(path) = skillspan {
        skillspan_figures(&path, show)?;
    }
    for path in esco {
        esco_figures(&path)?;
    }
    Ok(())
}

#[derive(Default)]
struct Counts {
    predicted: usize,
    predicted_right: usize,
    gold: usize,
    gold_found: usize,
}

impl Counts {
    fn print(&self, what: &str) {
        let p = ratio(self.predicted_right, self.predicted);
        let r = ratio(self.gold_found, self.gold);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "{what}: precision {:.1}% ({}/{})  recall {:.1}% ({}/{})  F1 {:.1}%",
            p * 100.0,
            self.predicted_right,
            self.predicted,
            r * 100.0,
            self.gold_found,
            self.gold,
            f * 100.0
        );
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Token spans `[start, end)` of the B/I runs in `tags`.
fn spans(tags: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, tag) in tags.iter().enumerate() {
        match tag.chars().next() {
            Some('B') => {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
                start = Some(i);
            }
            Some('I') if start.is_some() => {}
            _ => {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
            }
        }
    }
    if let Some(s) = start {
        out.push((s, tags.len()));
    }
    out
}

fn skillspan_figures(path: &Path, show: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let taxonomy = skills::taxonomy();
    let dictionary = Dictionary::new(taxonomy);
    let (mut ours, mut baseline) = (Figures::default(), Figures::default());
    let mut sentences = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line)?;
        let tokens: Vec<String> = serde_json::from_value(row["tokens"].clone())?;
        let tags_k: Vec<String> = serde_json::from_value(row["tags_knowledge"].clone())?;
        let tags_s: Vec<String> = serde_json::from_value(row["tags_skill"].clone())?;
        sentences += 1;
        // Byte range of each token in the joined sentence.
        let mut sentence = String::new();
        let mut ranges = Vec::new();
        for token in &tokens {
            if !sentence.is_empty() {
                sentence.push(' ');
            }
            ranges.push((sentence.len(), sentence.len() + token.len()));
            sentence.push_str(token);
        }
        let mentions = taxonomy.find(&sentence);
        let found: Vec<(usize, usize)> = mentions
            .iter()
            .map(|m| {
                let first = ranges.iter().position(|(_, e)| *e > m.start).unwrap_or(0);
                let last = ranges
                    .iter()
                    .rposition(|(s, _)| *s < m.end)
                    .unwrap_or(first);
                (first, last + 1)
            })
            .collect();
        let gold_k = spans(&tags_k);
        let gold_s = spans(&tags_s);
        if show {
            let all = [gold_k.clone(), gold_s.clone()].concat();
            for (m, f) in mentions.iter().zip(&found) {
                if !all.iter().any(|g| overlaps(*f, *g)) {
                    eprintln!("FP\t{}\t{}", m.matched, m.name);
                }
            }
            for g in &gold_k {
                match found.iter().find(|f| overlaps(**f, *g)) {
                    None => eprintln!("FN\t{}", tokens[g.0..g.1].join(" ")),
                    Some(f) if f != g => eprintln!(
                        "EDGE\t{}\t{}",
                        tokens[f.0..f.1].join(" "),
                        tokens[g.0..g.1].join(" ")
                    ),
                    Some(_) => {}
                }
            }
        }
        ours.add(&found, &gold_k, &gold_s);
        baseline.add(&dictionary.find(&tokens), &gold_k, &gold_s);
    }
    println!(
        "SkillSpan {} ({sentences} sentences); a found span is right when it overlaps a gold \
         span, or (exact) when it has the same first and last token",
        path.display()
    );
    for (name, figures) in [("pursuit", &ours), ("dictionary", &baseline)] {
        println!("{name}");
        figures.knowledge.print("  knowledge spans         ");
        figures.knowledge_exact.print("  knowledge spans, exact  ");
        figures.skill.print("  skill spans             ");
        figures.both.print("  all spans               ");
    }
    Ok(())
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// One system's counts over a SkillSpan file.
#[derive(Default)]
struct Figures {
    knowledge: Counts,
    knowledge_exact: Counts,
    skill: Counts,
    both: Counts,
}

impl Figures {
    /// Counts one sentence: `found` and the gold spans as token ranges `[start, end)`.
    fn add(
        &mut self,
        found: &[(usize, usize)],
        gold_k: &[(usize, usize)],
        gold_s: &[(usize, usize)],
    ) {
        let all = [gold_k, gold_s].concat();
        for (counts, gold) in [
            (&mut self.knowledge, gold_k),
            (&mut self.skill, gold_s),
            (&mut self.both, &all[..]),
        ] {
            counts.predicted += found.len();
            counts.predicted_right += found
                .iter()
                .filter(|f| gold.iter().any(|g| overlaps(**f, *g)))
                .count();
            counts.gold += gold.len();
            counts.gold_found += gold
                .iter()
                .filter(|g| found.iter().any(|f| overlaps(*f, **g)))
                .count();
        }
        let exact = &mut self.knowledge_exact;
        exact.predicted += found.len();
        exact.predicted_right += found.iter().filter(|f| gold_k.contains(f)).count();
        exact.gold += gold_k.len();
        exact.gold_found += gold_k.iter().filter(|g| found.contains(g)).count();
    }
}

/// The baseline: every skill's name in the vocabulary, looked up in any case as a run of
/// whole tokens, longest first, with none of the extractor's rules (aliases, case for
/// everyday words, context).
struct Dictionary {
    names: std::collections::HashSet<String>,
    longest: usize,
}

impl Dictionary {
    fn new(taxonomy: &skills::Taxonomy) -> Self {
        let names: std::collections::HashSet<String> = taxonomy
            .skills()
            .iter()
            .map(|s| {
                s.name
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            })
            .collect();
        let longest = names
            .iter()
            .map(|n| n.split(' ').count())
            .max()
            .unwrap_or(1);
        Self { names, longest }
    }

    fn find(&self, tokens: &[String]) -> Vec<(usize, usize)> {
        let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < lower.len() {
            let most = self.longest.min(lower.len() - i);
            match (1..=most)
                .rev()
                .find(|n| self.names.contains(&lower[i..i + n].join(" ")))
            {
                Some(n) => {
                    found.push((i, i + n));
                    i += n;
                }
                None => i += 1,
            }
        }
        found
    }
}

/// The fields of one CSV line (quotes, doubled quotes and commas inside quotes).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = fields.last_mut() {
                    f.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

fn plain(name: &str) -> String {
    let base = name.split(" (").next().unwrap_or(name);
    base.trim().to_lowercase()
}

fn esco_figures(path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let taxonomy = skills::taxonomy();
    let (mut labelled, mut found_any, mut same_name) = (0, 0, 0);
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let fields = csv_fields(line);
        let [sentence, span, _, label] = &fields[..] else {
            continue;
        };
        if label == "LABEL NOT PRESENT" || label == "UNDERSPECIFIED" {
            continue;
        }
        labelled += 1;
        let Some(at) = sentence.find(span.as_str()) else {
            continue;
        };
        let (start, end) = (at, at + span.len());
        let mentions: Vec<_> = taxonomy
            .find(sentence)
            .into_iter()
            .filter(|m| m.start < end && start < m.end)
            .collect();
        if !mentions.is_empty() {
            found_any += 1;
        }
        if mentions.iter().any(|m| plain(m.name) == plain(label)) {
            same_name += 1;
        }
    }
    println!(
        "ESCO-linked spans {}: {labelled} labelled; a mention on the span {:.1}% ({found_any}); naming the ESCO skill {:.1}% ({same_name})",
        path.display(),
        100.0 * ratio(found_any, labelled),
        100.0 * ratio(same_name, labelled)
    );
    Ok(())
}
