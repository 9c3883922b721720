//! `pursuit-bench tailor`: CVs tailored by the built-in engine to postings, measured. For
//! resumes (the `--offset`-th file of each category folder, up to `--resumes-limit`) ×
//! postings (`--postings` rows spread evenly over the Google careers sample, shifted by
//! `--offset`), each tailored CV is
//! checked by the truthfulness guard against the resume's own text: how many claims it
//! could not support (the aim is none). Coverage: of the posting's required skills that
//! the resume names, the share the tailored CV still names (it must not lose what the user
//! has), and the share of all required skills each names. Time per document: tailoring
//! with its Markdown, and the guard's check.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use pursuit_files::Limits;
use pursuit_text::dates::YearMonth;
use pursuit_text::posting::{self, Input};
use pursuit_text::skills::taxonomy;
use pursuit_text::tailor::{self, ProfileParts};

fn percentile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() as f64 * q) as usize).min(values.len() - 1)]
}

pub async fn run(
    resumes: &Path,
    google: &Path,
    resumes_limit: usize,
    postings_count: usize,
    offset: usize,
    show: bool,
) -> anyhow::Result<()> {
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let now = jiff::Timestamp::now();
    // The first file of each category folder, categories in order.
    let mut folders: Vec<_> = std::fs::read_dir(resumes)
        .with_context(|| resumes.display().to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut read = Vec::new();
    for folder in folders {
        if read.len() >= resumes_limit {
            break;
        }
        let mut files: Vec<_> = std::fs::read_dir(&folder)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        let Some(file) = files.get(offset) else {
            continue;
        };
        let bytes = std::fs::read(file)?;
        let name = file.file_name().and_then(|n| n.to_str());
        match pursuit_files::resume::read(bytes.into(), name, Limits::default(), today).await {
            Ok(r) => read.push((file.display().to_string(), r)),
            Err(e) => eprintln!("{}: {e}", file.display()),
        }
    }
    let text = std::fs::read_to_string(google)?;
    let rows = crate::quality::semicolon_csv(&text);
    let header = rows.first().context("empty file")?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let title = col("Title").context("Title")?;
    let step = (rows.len().saturating_sub(1) / postings_count.max(1)).max(1);
    let mut postings = Vec::new();
    for row in rows
        .iter()
        .skip(1 + offset % step)
        .step_by(step)
        .take(postings_count)
    {
        let mut body = format!("{}\n", row[title]);
        for (column, heading) in [
            ("Responsibilities", "Responsibilities"),
            ("Minimum Qualifications", "Minimum qualifications"),
            ("Preferred Qualifications", "Preferred qualifications"),
        ] {
            if let Some(i) = col(column) {
                body.push_str(&format!("\n{heading}\n"));
                for line in row[i].lines().filter(|l| !l.trim().is_empty()) {
                    body.push_str(&format!("- {}\n", line.trim()));
                }
            }
        }
        let parsed = posting::parse(Input::Text(&body));
        postings.push((body, parsed));
    }
    let (mut tailor_ms, mut guard_ms) = (Vec::new(), Vec::new());
    let (mut documents, mut unsupported, mut with_unsupported) = (0usize, 0usize, 0usize);
    let (mut kept, mut supported_total) = (0usize, 0usize);
    let (mut share_original, mut share_tailored, mut asked_pairs) = (0.0, 0.0, 0usize);
    let mut examples = Vec::new();
    let (mut letters_unsupported, mut letters_with) = (0usize, 0usize);
    let mut letter_words = Vec::new();
    let (mut planted, mut caught, mut refused) = (0usize, 0usize, 0usize);
    let (mut cv_planted, mut cv_caught, mut cv_refused) = (0usize, 0usize, 0usize);
    let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut chat = crate::truthful::ChatTally::default();
    for (file, resume) in &read {
        let material = vec![resume.text.clone()];
        let in_resume: std::collections::BTreeSet<&str> = taxonomy()
            .find(&resume.text)
            .into_iter()
            .map(|m| m.id)
            .collect();
        for (body, parsed) in &postings {
            let names: Vec<&str> = parsed.title.as_deref().into_iter().collect();
            let started = Instant::now();
            let cv = tailor::tailor(
                &resume.resume,
                &resume.text,
                &ProfileParts::default(),
                &[],
                parsed,
            );
            let text = tailor::markdown(&cv);
            tailor_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let claims = pursuit_app::documents::guard(&material, body, &names, now, &text);
            guard_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            documents += 1;
            let bad: Vec<_> = claims.iter().filter(|c| !c.supported).collect();
            unsupported += bad.len();
            with_unsupported += usize::from(!bad.is_empty());
            for c in &bad {
                *kinds.entry(c.kind.clone()).or_insert(0usize) += 1;
                let at = text[..c.start].rfind('\n').map_or(0, |i| i + 1);
                let end = text[c.end..].find('\n').map_or(text.len(), |i| c.end + i);
                let line = format!(
                    "{file}: {:?} ({}) — {} — in {:?}",
                    c.words,
                    c.kind,
                    c.reason,
                    &text[at..end]
                );
                if examples.len() < 40 && !examples.contains(&line) {
                    examples.push(line);
                }
            }
            let letter = pursuit_text::letter::letter(
                &cv,
                parsed.title.as_deref(),
                None,
                pursuit_text::letter::Tone::Professional,
                pursuit_text::letter::Length {
                    min_words: 250,
                    max_words: 350,
                },
            );
            let letter_claims =
                pursuit_app::documents::guard(&material, body, &names, now, &letter.text);
            let letter_bad = letter_claims.iter().filter(|c| !c.supported).count();
            letters_unsupported += letter_bad;
            letters_with += usize::from(letter_bad > 0);
            letter_words.push(letter.words as f64);
            // The letter as an inventing model would return it, checked as the AI layer
            // checks a model's letter.
            let check = crate::truthful::plant_and_check(
                pursuit_ai::Task::CoverLetter,
                &letter.text,
                &resume.text,
                body,
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                documents,
                today,
            );
            planted += check.planted;
            caught += check.caught;
            chat.check(
                &file.to_string(),
                &resume.text,
                body,
                parsed.title.as_deref().unwrap_or_default(),
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                documents,
                (today, now),
            );
            for key in &check.missed {
                if examples.len() < 60 {
                    examples.push(format!("invention missed {file}: {key:?}"));
                }
            }
            refused += usize::from(!check.errors.is_empty());
            // The CV as an inventing model would word it, checked by the tailor_cv rules.
            let cv_check = crate::truthful::plant_and_check(
                pursuit_ai::Task::TailorCv,
                &text,
                &resume.text,
                body,
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                documents,
                today,
            );
            cv_planted += cv_check.planted;
            cv_caught += cv_check.caught;
            cv_refused += usize::from(!cv_check.errors.is_empty());
            for key in &cv_check.missed {
                if examples.len() < 60 {
                    examples.push(format!("CV invention missed {file}: {key:?}"));
                }
            }
            for c in letter_claims.iter().filter(|c| !c.supported) {
                let line = format!("letter {file}: {:?} ({}) — {}", c.words, c.kind, c.reason);
                if examples.len() < 60 && !examples.contains(&line) {
                    examples.push(line);
                }
            }
            let required: std::collections::BTreeSet<&str> = parsed
                .skills
                .required
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            if required.is_empty() {
                continue;
            }
            let in_cv: std::collections::BTreeSet<&str> =
                taxonomy().find(&text).into_iter().map(|m| m.id).collect();
            let supported: Vec<&&str> = required
                .iter()
                .filter(|id| in_resume.contains(**id))
                .collect();
            supported_total += supported.len();
            kept += supported.iter().filter(|id| in_cv.contains(***id)).count();
            asked_pairs += 1;
            share_original += supported.len() as f64 / required.len() as f64;
            share_tailored += required.iter().filter(|id| in_cv.contains(**id)).count() as f64
                / required.len() as f64;
        }
    }
    anyhow::ensure!(documents > 0, "no documents were made");
    println!(
        "pursuit-bench tailor: {} resumes × {} postings = {documents} CVs (built-in engine)",
        read.len(),
        postings.len()
    );
    println!("guard: {unsupported} unsupported claims in {with_unsupported} of {documents} CVs");
    println!(
        "cover letters (professional, 250–350 words): {letters_unsupported} unsupported claims in {letters_with} of {documents}; words p50 {:.0}",
        percentile(&mut letter_words, 0.5)
    );
    println!(
        "inventing model (letters with up to 4 planted inventions): {caught} of {planted} caught by the cover-letter rules; letters refused {refused} of {documents}"
    );
    println!(
        "inventing model (CVs with up to 4 planted bullets): {cv_caught} of {cv_planted} caught by the tailor_cv rules; CVs refused {cv_refused} of {documents}"
    );
    if !kinds.is_empty() {
        println!("unsupported by kind: {kinds:?}");
    }
    if supported_total > 0 {
        println!(
            "required skills the resume names, still named by the tailored CV: {kept} of {supported_total} ({:.1}%)",
            100.0 * kept as f64 / supported_total as f64
        );
    }
    if asked_pairs > 0 {
        println!(
            "share of the posting's required skills named (mean over {asked_pairs} pairs with any): resume {:.3}, tailored CV {:.3}",
            share_original / asked_pairs as f64,
            share_tailored / asked_pairs as f64
        );
    }
    println!("{}", chat.line());
    println!(
        "per document: tailoring + Markdown p50 {:.2} ms p95 {:.2} ms; guard p50 {:.2} ms p95 {:.2} ms",
        percentile(&mut tailor_ms, 0.5),
        percentile(&mut tailor_ms, 0.95),
        percentile(&mut guard_ms, 0.5),
        percentile(&mut guard_ms, 0.95)
    );
    if show {
        for line in examples
            .iter()
            .chain(chat.flagged())
            .chain(chat.missed().iter().take(40))
        {
            println!("  {line}");
        }
    }
    Ok(())
}
