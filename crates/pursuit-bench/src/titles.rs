//! `pursuit-bench titles`: how often the occupation look-up names the right occupation
//! for a job title.
//!
//! The labels (`fixtures/titles.tsv`, written by hand for this bench: one title, a tab,
//! the O*NET-SOC codes that are right for it as prefixes — "29-1141" takes any registered
//! nurse, "25-205" any special education teacher) fall in the quality bench's two parts by
//! the same hash of the title: tune the look-up on one, report the other.
//!
//! Figures: how many titles the look-up finds an occupation for; of all titles, how many
//! get a right occupation first (precision at one, a title with nothing found counting
//! as wrong), and how many get one in the right minor group ("29-1", the kind of work).

use std::path::Path;

use anyhow::Context;
use pursuit_text::occupations;

use crate::quality::Split;

pub fn run(labels: &Path, part: Split, show: bool) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(labels).with_context(|| format!("reading {}", labels.display()))?;
    let (mut total, mut found, mut right, mut group) = (0usize, 0usize, 0usize, 0usize);
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (title, codes) = line
            .split_once('\t')
            .with_context(|| format!("line {}: no tab between title and codes", number + 1))?;
        if !part.holds(title) {
            continue;
        }
        let accepted: Vec<&str> = codes.split(',').map(str::trim).collect();
        if let Some(bad) = accepted.iter().find(|c| !is_code_prefix(c)) {
            anyhow::bail!(
                "line {}: {bad:?} is not an O*NET-SOC code prefix",
                number + 1
            );
        }
        total += 1;
        let mix = occupations::of_title(title);
        let first = mix.first().map(|(i, _)| occupations::occupation(*i));
        let is_right = first.is_some_and(|o| accepted.iter().any(|c| o.code.starts_with(c)));
        let in_group = first.is_some_and(|o| accepted.iter().any(|c| o.code[..4] == c[..4]));
        found += usize::from(first.is_some());
        right += usize::from(is_right);
        group += usize::from(in_group);
        if show && !is_right {
            eprintln!(
                "{title:40}  wanted {codes:24}  got {}",
                first.map_or("nothing".to_owned(), |o| format!("{} {}", o.code, o.title))
            );
        }
    }
    let share = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!("titles: {total} ({part:?} part of {})", labels.display());
    println!("found an occupation: {found} ({:.1}%)", share(found));
    println!("right occupation first: {right} ({:.1}%)", share(right));
    println!("right minor group first: {group} ({:.1}%)", share(group));
    Ok(())
}

/// "29-1141", "25-205", "15-1299.08": two digits, a dash, at least two more digits.
fn is_code_prefix(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b'-'
        && b[3..].iter().all(|c| c.is_ascii_digit() || *c == b'.')
}
