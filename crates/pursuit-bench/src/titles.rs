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
//! A line "## name" starts a section of the labels, whose figures are also given on their
//! own: bare titles ("Staff Accountant") read far better than titles as postings write
//! them ("Data Analyst II, Supply Chain").

use std::path::Path;

use anyhow::Context;
use pursuit_text::occupations;

use crate::quality::Split;

pub fn run(labels: &Path, part: Split, show: bool) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(labels).with_context(|| format!("reading {}", labels.display()))?;
    // The tallies of each section, in file order; the first holds titles before any header.
    let mut sections = vec![Tally::new("")];
    for (number, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix("## ") {
            sections.push(Tally::new(name.trim()));
            continue;
        }
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
        let mix = occupations::of_title(title);
        let first = mix.first().map(|(i, _)| occupations::occupation(*i));
        let is_right = first.is_some_and(|o| accepted.iter().any(|c| o.code.starts_with(c)));
        let in_group = first.is_some_and(|o| accepted.iter().any(|c| o.code[..4] == c[..4]));
        if let Some(tally) = sections.last_mut() {
            tally.add(first.is_some(), is_right, in_group);
        }
        if show && !is_right {
            eprintln!(
                "{title:40}  wanted {codes:24}  got {}",
                first.map_or("nothing".to_owned(), |o| format!("{} {}", o.code, o.title))
            );
        }
    }
    let mut all = Tally::new("");
    for tally in &sections {
        all.add_all(tally);
    }
    println!(
        "titles: {} ({part:?} part of {})",
        all.total,
        labels.display()
    );
    all.print();
    let named: Vec<&Tally> = sections.iter().filter(|t| t.total > 0).collect();
    if named.len() > 1 {
        for tally in named {
            println!();
            println!("{}: {} titles", tally.name, tally.total);
            tally.print();
        }
    }
    Ok(())
}

/// One section's counts.
struct Tally {
    name: String,
    total: usize,
    found: usize,
    right: usize,
    group: usize,
}

impl Tally {
    fn new(name: &str) -> Tally {
        let name = if name.is_empty() {
            "(no section)"
        } else {
            name
        };
        Tally {
            name: name.to_owned(),
            total: 0,
            found: 0,
            right: 0,
            group: 0,
        }
    }

    fn add(&mut self, found: bool, right: bool, group: bool) {
        self.total += 1;
        self.found += usize::from(found);
        self.right += usize::from(right);
        self.group += usize::from(group);
    }

    fn add_all(&mut self, other: &Tally) {
        self.total += other.total;
        self.found += other.found;
        self.right += other.right;
        self.group += other.group;
    }

    fn print(&self) {
        let share = |n: usize| 100.0 * n as f64 / self.total.max(1) as f64;
        println!(
            "found an occupation: {} ({:.1}%)",
            self.found,
            share(self.found)
        );
        println!(
            "right occupation first: {} ({:.1}%)",
            self.right,
            share(self.right)
        );
        println!(
            "right minor group first: {} ({:.1}%)",
            self.group,
            share(self.group)
        );
    }
}

/// "29-1141", "25-205", "15-1299.08": two digits, a dash, at least two more digits.
fn is_code_prefix(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b'-'
        && b[3..].iter().all(|c| c.is_ascii_digit() || *c == b'.')
}
