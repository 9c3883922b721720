//! `pursuit-bench resumes DIR`: reads every resume file under a folder the way an upload is
//! read (format sniffing, the isolated reader, the parser) and prints how many were read,
//! why the others were not, and the time per file (p50, p95, max) per format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use pursuit_files::{Format, Limits};
use pursuit_text::dates::YearMonth;

pub async fn resumes(dir: &Path) -> anyhow::Result<()> {
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
    for (reason, count) in &failures {
        println!("not read ({count}): {reason}");
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
