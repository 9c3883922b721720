//! `pursuit-bench match --resume FILE --job FILE`: the matcher's speed on parsed documents —
//! one pair (mean over many runs, both sides prepared each time) and ranking `--postings`
//! prepared postings for one resume (warm; the resume side is prepared once per ranking).
//! The postings are the one given, varied by dropping one requirement line each, so no two
//! are alike.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use pursuit_text::dates::YearMonth;
use pursuit_text::matching;
use pursuit_text::posting::{self, Input};

pub async fn run(resume: &Path, job: &Path, postings: usize) -> anyhow::Result<()> {
    let bytes = std::fs::read(resume).with_context(|| resume.display().to_string())?;
    let name = resume.file_name().and_then(|n| n.to_str());
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let read =
        pursuit_files::resume::read(bytes.into(), name, pursuit_files::Limits::default(), today)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", resume.display()))?;
    let text = std::fs::read_to_string(job).with_context(|| job.display().to_string())?;
    let parsed = posting::parse(Input::Text(&text));

    let runs = 2_000;
    let started = Instant::now();
    let mut last = 0;
    for _ in 0..runs {
        last = matching::score(&read.resume, &read.text, &parsed).score;
    }
    let per_pair = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
    println!("one pair: {per_pair:.1} µs (mean of {runs}; score {last})");
    let time = |what: &str, f: &dyn Fn()| {
        let started = Instant::now();
        for _ in 0..runs {
            f();
        }
        let each = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
        println!("  of which {what}: {each:.1} µs");
    };
    time("preparing the resume", &|| {
        std::hint::black_box(matching::Prepared::new(&read.resume, &read.text));
    });
    time("preparing the posting", &|| {
        std::hint::black_box(matching::PreparedPosting::new(&parsed));
    });
    let (r, p) = (
        matching::Prepared::new(&read.resume, &read.text),
        matching::PreparedPosting::new(&parsed),
    );
    time("scoring", &|| {
        std::hint::black_box(matching::score_pair(&r, &p));
    });

    let lines = parsed.requirements.required.len().max(1);
    let many: Vec<_> = (0..postings)
        .map(|i| {
            let mut p = parsed.clone();
            if !p.requirements.required.is_empty() {
                p.requirements.required.remove(i % lines);
            }
            p
        })
        .collect();
    let started = Instant::now();
    let sides: Vec<matching::PreparedPosting<'_>> =
        many.iter().map(matching::PreparedPosting::new).collect();
    println!(
        "prepare {postings} postings (once, as they are parsed): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    for round in 0..3 {
        let started = Instant::now();
        let prepared = matching::Prepared::new(&read.resume, &read.text);
        let scores = matching::par_map(&sides, |p| matching::score_pair(&prepared, p).score);
        let mut ranked: Vec<(u32, usize)> = scores.into_iter().zip(0..).collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        println!(
            "rank {postings} postings for one resume (round {}): {:.1} ms",
            round + 1,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
