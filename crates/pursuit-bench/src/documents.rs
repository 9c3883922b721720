//! `pursuit-bench resumes DIR`: reads every resume file under a folder the way an upload is
//! read (format sniffing, the isolated reader, the parser) and prints how many were read,
//! why the others were not, and the time per file (p50, p95, max) per format.
//!
//! With `--truth FILE.csv` (header `file,name,email,phone`; `file` is the file name; an empty
//! cell means the resume has none), it also scores the contact fields: names and emails
//! compared without case, phones by their last ten digits; a field right when both agree,
//! including both empty. With `--truth FILE.jsonl`, every field of the resume it gives
//! (contacts, roles, education) is scored instead ([`crate::fields`]). `--dump FILE`
//! writes every resume as read, one JSON line each, to compare two builds' reading.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use pursuit_files::{Format, Limits};
use pursuit_text::dates::YearMonth;

pub async fn resumes(
    dir: &Path,
    truth: Option<&Path>,
    show: bool,
    dump: Option<&Path>,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut dump = match dump {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| path.display().to_string())?,
        )),
        None => None,
    };
    let by_field = truth.is_some_and(|p| p.extension().is_some_and(|e| e == "jsonl"));
    let (truth, fields) = match truth {
        Some(path) if by_field => (BTreeMap::new(), crate::fields::read(path)?),
        Some(path) => (read_truth(path)?, BTreeMap::new()),
        None => (BTreeMap::new(), BTreeMap::new()),
    };
    let mut tally = crate::fields::Tally::default();
    let mut scored = 0;
    let mut right = [0usize; 3];
    let mut wrong: Vec<String> = Vec::new();
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no files under {}", dir.display());
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let mut times: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let (mut read, mut with_role, mut with_skills, mut with_email) = (0, 0, 0, 0);
    let mut flagged: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
        let name = file.file_name().and_then(|n| n.to_str());
        let format = Format::sniff(&bytes, name)
            .map(Format::as_str)
            .unwrap_or("unknown");
        let started = Instant::now();
        let result =
            pursuit_files::resume::read(bytes.into(), name, Limits::default(), today).await;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        times.entry(format).or_default().push(ms);
        match result {
            Ok(r) => {
                let under = file.strip_prefix(dir).unwrap_or(file).to_string_lossy();
                if let Some(out) = dump.as_mut() {
                    let line = serde_json::json!({ "file": under, "resume": r.resume });
                    writeln!(out, "{line}")?;
                }
                if let Some(expected) = fields.get(under.as_ref()) {
                    tally.add(&under, expected, &r.resume);
                }
                if let Some(expected) = name.and_then(|n| truth.get(n)) {
                    scored += 1;
                    let b = &r.resume.basics;
                    let got = [
                        b.name.clone().unwrap_or_default(),
                        b.email.clone().unwrap_or_default(),
                        b.phone.clone().unwrap_or_default(),
                    ];
                    for (i, field) in ["name", "email", "phone"].iter().enumerate() {
                        if same(i, &got[i], &expected[i]) {
                            right[i] += 1;
                        } else {
                            wrong.push(format!(
                                "{}: {field} {:?}, expected {:?}",
                                name.unwrap_or(""),
                                got[i],
                                expected[i]
                            ));
                        }
                    }
                }
                for hidden in &r.hidden {
                    let kind = serde_json::to_value(hidden.kind)?;
                    *flagged
                        .entry(kind.as_str().unwrap_or("?").to_owned())
                        .or_default() += 1;
                }
                if !r.resume.injections.is_empty() {
                    *flagged.entry("injection".to_owned()).or_default() += 1;
                }
                read += 1;
                with_role += usize::from(!r.resume.work.is_empty());
                with_skills += usize::from(!r.resume.skills.is_empty());
                with_email += usize::from(r.resume.basics.email.is_some());
            }
            Err(e) => *failures.entry(e.to_string()).or_default() += 1,
        }
    }
    let n = files.len();
    println!(
        "files: {n}  read: {read} ({:.1}%)",
        100.0 * read as f64 / n as f64
    );
    println!("with ≥1 role: {with_role}  with skills: {with_skills}  with an email: {with_email}");
    if !flagged.is_empty() {
        println!("flags (stretches): {flagged:?}");
    }
    for (reason, count) in &failures {
        println!("not read ({count}): {reason}");
    }
    if scored > 0 {
        println!(
            "contact fields on {scored} files with truth: name {}/{scored}, email {}/{scored}, phone {}/{scored} ({:.1}% of fields right)",
            right[0],
            right[1],
            right[2],
            100.0 * (right[0] + right[1] + right[2]) as f64 / (3 * scored) as f64
        );
        for line in &wrong {
            println!("  wrong: {line}");
        }
    }
    if by_field {
        tally.print(show);
    }
    for (format, mut ms) in times {
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
        println!(
            "{format}: {} files  p50 {:.1} ms  p95 {:.1} ms  max {:.1} ms",
            ms.len(),
            at(0.5),
            at(0.95),
            ms[ms.len() - 1]
        );
    }
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Contact fields as the truth file gives them: file name → [name, email, phone].
fn read_truth(path: &Path) -> anyhow::Result<BTreeMap<String, [String; 3]>> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        anyhow::ensure!(
            cells.len() == 4,
            "{}: expected file,name,email,phone: {line}",
            path.display()
        );
        out.insert(
            cells[0].to_owned(),
            [
                cells[1].to_owned(),
                cells[2].to_owned(),
                cells[3].to_owned(),
            ],
        );
    }
    Ok(out)
}

fn same(field: usize, got: &str, expected: &str) -> bool {
    let digits = |s: &str| {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        d[d.len().saturating_sub(10)..].to_owned()
    };
    match field {
        2 => digits(got) == digits(expected),
        _ => {
            let norm = |s: &str| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            norm(got) == norm(expected)
        }
    }
}
