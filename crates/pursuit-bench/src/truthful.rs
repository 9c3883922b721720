//! `pursuit-bench truthful`: documents written for 20 profiles × 10 postings of our own
//! (`fixtures/documents`, written for this bench: 19 in English across occupations, one
//! Arabic profile and one Arabic posting), measured as issue 23 asks:
//! - truthfulness: every CV and letter the built-in engine writes, read by the guard against
//!   the profile's own text (claims it cannot support are listed with their words; such a
//!   document cannot be exported); then each letter as a model that invents would return it
//!   (four planted inventions: a posting's skill the profile lacks, an employer, a figure,
//!   a degree), checked by the cover-letter task's rules as the AI layer checks a model's
//!   answer: how many inventions are caught, how many letters are refused (the layer then
//!   keeps the built-in letter), and how many would be exported with an invention in them;
//! - quality a reader sees: the share of the posting's required skills the profile supports
//!   that the tailored CV names, next to the share the profile text names;
//! - ATS read-back: each CV as PDF and as DOCX read back by our own readers, word for word
//!   in order;
//! - speed: tailoring with its Markdown, the guard, PDF and DOCX per document.

use std::collections::BTreeSet;
use std::time::Instant;

use pursuit_ai::{Request, Task};
use pursuit_files::{Format, Limits};
use pursuit_text::dates::YearMonth;
use pursuit_text::posting::{self, Input as PostingInput};
use pursuit_text::resume;
use pursuit_text::skills::taxonomy;
use pursuit_text::tailor::{self, ProfileParts};
use serde_json::json;

const PROFILES: &str = include_str!("../fixtures/documents/profiles.txt");
const POSTINGS: &str = include_str!("../fixtures/documents/postings.txt");

/// `=== name` blocks of a fixture file.
fn blocks(text: &str) -> Vec<(String, String)> {
    text.split("=== ")
        .filter(|b| !b.trim().is_empty())
        .filter_map(|b| {
            let (name, body) = b.split_once('\n')?;
            Some((name.trim().to_owned(), body.to_owned()))
        })
        .collect()
}

fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() as f64 * q) as usize).min(values.len() - 1)]
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The letter as a model that invents would return it: up to four sentences planted after
/// the first paragraph, each with the words that carry its invention (any of them flagged
/// catches it).
pub(crate) fn invent(
    letter: &str,
    missing_skill: Option<&str>,
    seed: usize,
) -> (String, Vec<Vec<String>>) {
    const EMPLOYERS: [&str; 4] = ["Goldman Sachs", "Deloitte", "Google", "Mayo Clinic"];
    const DEGREES: [&str; 3] = [
        "a PhD in Physics",
        "an MBA from Wharton",
        "a Master of Science in Finance",
    ];
    let employer = EMPLOYERS[seed % EMPLOYERS.len()];
    let degree = DEGREES[seed % DEGREES.len()];
    let figure = format!("{}%", 31 + seed % 50);
    let mut planted = vec![
        format!("Before that, I spent three years at {employer}."),
        format!("In my last role I cut costs by {figure} in one year."),
        format!("I also hold {degree}."),
    ];
    let mut keys = vec![
        vec![employer.to_owned()],
        vec![figure],
        degree
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .map(str::to_owned)
            .collect(),
    ];
    if let Some(skill) = missing_skill {
        planted.insert(
            0,
            format!("I have 6 years of hands-on experience with {skill}."),
        );
        keys.insert(0, vec![skill.to_owned(), "6 years".to_owned()]);
    }
    let (head, rest) = letter.split_once("\n\n").unwrap_or((letter, ""));
    let (first, after) = rest.split_once("\n\n").unwrap_or((rest, ""));
    (
        format!("{head}\n\n{first} {}\n\n{after}", planted.join(" ")),
        keys,
    )
}

/// The CV as a model that invents would return it: bullets planted after the first bullet
/// (a posting's skill the profile lacks, an employer, a figure, a degree), each with the
/// words that carry its invention.
pub(crate) fn invent_cv(
    cv: &str,
    missing_skill: Option<&str>,
    seed: usize,
) -> (String, Vec<Vec<String>>) {
    // The same inventions as a letter's, as bullets.
    let (_, keys) = invent("a\n\nb", missing_skill, seed);
    let bullets: Vec<String> = keys
        .iter()
        .map(|key| match key.as_slice() {
            [skill, years] if years == "6 years" => {
                format!("- {years} of hands-on experience with {skill}")
            }
            [one] if one.ends_with('%') => format!("- Cut costs by {one} in one year"),
            [employer] => format!("- Three years at {employer} as a senior analyst"),
            words => format!("- Holds a degree: {}", words.join(" ")),
        })
        .collect();
    let lines: Vec<&str> = cv.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("- "))
        .map_or(lines.len(), |i| i + 1);
    let mut out: Vec<String> = lines[..at].iter().map(|l| (*l).to_owned()).collect();
    out.extend(bullets);
    out.extend(lines[at..].iter().map(|l| (*l).to_owned()));
    (out.join("\n"), keys)
}

/// A letter with inventions planted in it, as the cover-letter rules (the AI layer's check
/// of a model's answer) see it.
pub(crate) struct Planted {
    pub invented: String,
    pub planted: usize,
    pub caught: usize,
    /// The words of each invention no rule break named.
    pub missed: Vec<Vec<String>>,
    pub errors: Vec<String>,
}

/// Plants inventions in `letter` ([`invent`]; a CV's with [`invent_cv`] when `task` is
/// `TailorCv`) and checks it as the AI layer checks a model's answer to `task`, with
/// `resume` as the user's material and `posting` and `names` as what it may name.
#[allow(clippy::too_many_arguments)]
pub(crate) fn plant_and_check(
    task: Task,
    letter: &str,
    resume: &str,
    posting: &str,
    names: &[&str],
    missing_skill: Option<&str>,
    seed: usize,
    today: YearMonth,
) -> Planted {
    let (invented, keys) = if task == Task::TailorCv {
        invent_cv(letter, missing_skill, seed)
    } else {
        invent(letter, missing_skill, seed)
    };
    let request = Request::rewrite(task, resume, posting, names, letter, "");
    let errors = pursuit_ai::rules::check(&request, &json!({"text": invented}), today);
    let (caught, missed): (Vec<_>, Vec<_>) = keys.into_iter().partition(|key| {
        errors
            .iter()
            .any(|e| key.iter().any(|k| e.contains(k.as_str())))
    });
    Planted {
        invented,
        planted: caught.len() + missed.len(),
        caught: caught.len(),
        missed,
        errors,
    }
}

/// What planting inventions in a kind of document found.
#[derive(Default)]
struct Invented {
    planted: usize,
    caught: usize,
    refused: usize,
    exported: usize,
}

/// The questions the assistant's local engine is asked for each pair, one per topic it
/// knows.
const QUESTIONS: [&str; 6] = [
    "What am I missing for this job?",
    "How well do I match?",
    "What are my strengths for it?",
    "What are the duties?",
    "What does it pay?",
    "How should I prepare for the interview?",
];

/// A chat request as `pursuit_app::chat::ask` makes it.
fn chat_request(resume: &str, posting: &str, title: &str, question: &str) -> Request {
    let input = |label: &'static str, text: &str| pursuit_ai::Input {
        label,
        text: text.to_owned(),
    };
    Request::new(
        Task::Chat,
        vec![
            input("resume", resume),
            input("job description", posting),
            input("title", title),
            input("role", title),
            input("conversation", ""),
            input("question", question),
        ],
    )
}

/// An assistant's answer as a model that invents would give it: sentences about "you"
/// with an employer, a figure, a degree and a missing skill the material does not show.
fn invent_spoken(
    answer: &str,
    missing_skill: Option<&str>,
    seed: usize,
) -> (String, Vec<Vec<String>>) {
    let (letter, keys) = invent("Hi,\n\nx\n\ny", missing_skill, seed);
    let planted: String = letter
        .split("\n\n")
        .nth(1)
        .unwrap_or_default()
        .trim_start_matches('x')
        .replace("I spent", "you spent")
        .replace("In my last role I", "In your last role you")
        .replace("I also hold", "You also hold")
        .replace("I have", "You have");
    (format!("{answer} {}", planted.trim()), keys)
}

/// The assistant's local answers (one per topic) for pairs of a resume and a posting,
/// checked by the chat rules and the guard as `pursuit_app::chat::ask` checks them, and an
/// inventing model's answer checked by the chat rules.
#[derive(Default)]
pub(crate) struct ChatTally {
    answers: usize,
    flagged: Vec<String>,
    planted: usize,
    caught: usize,
    missed: Vec<String>,
    ms: Vec<f64>,
}

impl ChatTally {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check(
        &mut self,
        label: &str,
        resume: &str,
        posting: &str,
        title: &str,
        names: &[&str],
        missing_skill: Option<&str>,
        seed: usize,
        (today, now): (YearMonth, jiff::Timestamp),
    ) {
        let material = vec![resume.to_owned()];
        for (i, question) in QUESTIONS.iter().enumerate() {
            let request = chat_request(resume, posting, title, question);
            let started = Instant::now();
            let answer = pursuit_ai::local::answer(&request, today);
            self.ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let text = answer["text"].as_str().unwrap_or_default();
            self.answers += 1;
            let rules = pursuit_ai::rules::check(&request, &answer, today);
            let context = format!("{posting}\n{question}");
            let claims =
                pursuit_app::documents::guard_answer(&material, &context, names, now, text);
            let bad: Vec<&str> = claims
                .iter()
                .filter(|c| !c.supported)
                .map(|c| c.words.as_str())
                .collect();
            if !rules.is_empty() || !bad.is_empty() {
                self.flagged.push(format!(
                    "chat {label} “{question}”: {bad:?} in {:?}",
                    text.chars().take(600).collect::<String>()
                ));
            }
            if i == 0 {
                let (invented, keys) = invent_spoken(text, missing_skill, seed);
                let errors = pursuit_ai::rules::check(&request, &json!({"text": invented}), today);
                for key in keys {
                    self.planted += 1;
                    if errors
                        .iter()
                        .any(|e| key.iter().any(|k| e.contains(k.as_str())))
                    {
                        self.caught += 1;
                    } else {
                        self.missed
                            .push(format!("chat {label}: {key:?} not caught"));
                    }
                }
            }
        }
    }

    pub(crate) fn line(&mut self) -> String {
        format!(
            "assistant (local engine, {} questions per pair): answers with a rule break or an unsupported claim {} of {}; p50 {:.2} ms p95 {:.2} ms; inventing model: {} of {} planted inventions caught by the chat rules",
            QUESTIONS.len(),
            self.flagged.len(),
            self.answers,
            percentile(&mut self.ms.clone(), 0.5),
            percentile(&mut self.ms, 0.95),
            self.caught,
            self.planted
        )
    }

    pub(crate) fn flagged(&self) -> &[String] {
        &self.flagged
    }

    pub(crate) fn missed(&self) -> &[String] {
        &self.missed
    }
}

pub fn run(show: bool) -> anyhow::Result<()> {
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    let now = jiff::Timestamp::now();
    let profiles = blocks(PROFILES);
    let postings: Vec<(String, String, posting::Posting)> = blocks(POSTINGS)
        .into_iter()
        .map(|(name, text)| {
            let parsed = posting::parse(PostingInput::Text(&text));
            (name, text, parsed)
        })
        .collect();
    let mut flagged: Vec<String> = Vec::new();
    let (mut cvs_flagged, mut letters_flagged, mut pairs) = (0usize, 0usize, 0usize);
    let (mut tailor_ms, mut guard_ms, mut pdf_ms, mut docx_ms) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut pdf_same, mut docx_same) = (0usize, 0usize);
    let mut read_back_misses: Vec<String> = Vec::new();
    let (mut share_profile, mut share_cv, mut coverage_pairs) = (0.0, 0.0, 0usize);
    let (mut kept, mut supported_total) = (0usize, 0usize);
    let (mut planted, mut caught, mut refused, mut exported_invented) =
        (0usize, 0usize, 0usize, 0usize);
    let mut missed: Vec<String> = Vec::new();
    let mut gap_only_pairs = 0usize;
    let mut cv_invented = Invented::default();
    let mut chat = ChatTally::default();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (p_index, (p_name, p_text)) in profiles.iter().enumerate() {
        let read = resume::parse(p_text, today);
        let material = vec![p_text.clone()];
        let in_profile: BTreeSet<&str> =
            taxonomy().find(p_text).into_iter().map(|m| m.id).collect();
        for (j_index, (j_name, j_text, parsed)) in postings.iter().enumerate() {
            let names: Vec<&str> = parsed.title.as_deref().into_iter().collect();
            pairs += 1;
            let started = Instant::now();
            let cv = tailor::tailor(&read, p_text, &ProfileParts::default(), &[], parsed);
            let markdown = tailor::markdown(&cv);
            tailor_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let claims = pursuit_app::documents::guard(&material, j_text, &names, now, &markdown);
            guard_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            let bad: Vec<_> = claims.iter().filter(|c| !c.supported).collect();
            cvs_flagged += usize::from(!bad.is_empty());
            for c in &bad {
                flagged.push(format!(
                    "CV {p_name} × {j_name}: {:?} ({}) — {}",
                    c.words, c.kind, c.reason
                ));
            }
            if cv.matching_skills.is_empty() {
                gap_only_pairs += 1;
            }
            // The CV as a model that invents would word it (task tailor_cv).
            let cv_check = plant_and_check(
                Task::TailorCv,
                &markdown,
                p_text,
                j_text,
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                p_index * 10 + j_index,
                today,
            );
            cv_invented.planted += cv_check.planted;
            cv_invented.caught += cv_check.caught;
            for key in cv_check.missed {
                if missed.len() < 20 {
                    missed.push(format!("CV {p_name} × {j_name}: {key:?} not caught"));
                }
            }
            if cv_check.errors.is_empty() {
                let again = pursuit_app::documents::guard(
                    &material,
                    j_text,
                    &names,
                    now,
                    &cv_check.invented,
                );
                if again.iter().all(|c| c.supported) {
                    cv_invented.exported += 1;
                }
            } else {
                cv_invented.refused += 1;
            }

            // Coverage: required skills the profile supports, named by the profile text and
            // by the CV.
            let required: BTreeSet<&str> = parsed
                .skills
                .required
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            let supported = required
                .iter()
                .filter(|id| in_profile.contains(**id))
                .count();
            if supported > 0 {
                let in_cv: BTreeSet<&str> = taxonomy()
                    .find(&markdown)
                    .into_iter()
                    .map(|m| m.id)
                    .collect();
                coverage_pairs += 1;
                supported_total += supported;
                kept += required
                    .iter()
                    .filter(|id| in_profile.contains(**id) && in_cv.contains(**id))
                    .count();
                share_profile += supported as f64 / required.len() as f64;
                share_cv += required.iter().filter(|id| in_cv.contains(**id)).count() as f64
                    / required.len() as f64;
            }

            // The files, read back.
            let doc = pursuit_typeset::read(&markdown, "CV", None);
            let expected = words(&pursuit_typeset::plain_text(&doc));
            // Typst memoises: the same CV laid out again is nearly free, so only a text not
            // laid out before is timed.
            let fresh = seen.insert(markdown.clone());
            let started = Instant::now();
            let pdf = pursuit_typeset::pdf(&doc)?;
            if fresh {
                pdf_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            let started = Instant::now();
            let docx = pursuit_typeset::docx(&doc)?;
            docx_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            for (bytes, format, same) in [
                (&pdf, Format::Pdf, &mut pdf_same),
                (&docx, Format::Docx, &mut docx_same),
            ] {
                match pursuit_files::extract::extract(bytes, format, &Limits::default()) {
                    Ok(back) if words(&back.text) == expected => *same += 1,
                    Ok(back) => {
                        if read_back_misses.len() < 6 {
                            read_back_misses.push(format!(
                                "{format:?} {p_name} × {j_name}: {:?}",
                                back.text.chars().take(300).collect::<String>()
                            ));
                        }
                    }
                    Err(e) => read_back_misses.push(format!("{format:?} {p_name} × {j_name}: {e}")),
                }
            }

            // The built-in letter, then as an inventing model would return it.
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
                pursuit_app::documents::guard(&material, j_text, &names, now, &letter.text);
            let letter_bad: Vec<_> = letter_claims.iter().filter(|c| !c.supported).collect();
            letters_flagged += usize::from(!letter_bad.is_empty());
            for c in &letter_bad {
                flagged.push(format!(
                    "letter {p_name} × {j_name}: {:?} ({}) — {}",
                    c.words, c.kind, c.reason
                ));
            }
            let check = plant_and_check(
                Task::CoverLetter,
                &letter.text,
                p_text,
                j_text,
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                p_index * 10 + j_index,
                today,
            );
            planted += check.planted;
            caught += check.caught;
            for key in check.missed {
                if missed.len() < 20 {
                    missed.push(format!("{p_name} × {j_name}: {key:?} not caught"));
                }
            }
            chat.check(
                &format!("{p_name} × {j_name}"),
                p_text,
                j_text,
                parsed.title.as_deref().unwrap_or_default(),
                &names,
                cv.gaps.first().map(|g| g.skill.as_str()),
                p_index * 10 + j_index,
                (today, now),
            );
            let invented = check.invented;
            let errors = check.errors;
            if errors.is_empty() {
                // The layer would keep it; the document's own guard is the export gate.
                let again =
                    pursuit_app::documents::guard(&material, j_text, &names, now, &invented);
                if again.iter().all(|c| c.supported) {
                    exported_invented += 1;
                }
            } else {
                refused += 1;
            }
        }
    }
    println!(
        "pursuit-bench truthful: {} profiles × {} postings = {pairs} pairs ({} CVs and {} letters), fixtures of our own",
        profiles.len(),
        postings.len(),
        pairs,
        pairs
    );
    println!(
        "built-in engine: CVs with an unsupported claim {cvs_flagged} of {pairs}; letters {letters_flagged} of {pairs}; flagged claims {} (none of these can be exported)",
        flagged.len()
    );
    println!(
        "pairs where the profile has none of the skills the posting names (each is listed as a gap, none claimed): {gap_only_pairs}"
    );
    println!(
        "inventing model: {caught} of {planted} planted inventions caught by the cover-letter rules; letters refused {refused} of {pairs} (the built-in letter is kept); exported with an invention: {exported_invented}"
    );
    println!(
        "inventing model, CVs: {} of {} planted inventions caught by the tailor_cv rules; CVs refused {} of {pairs} (the built-in CV is kept); exported with an invention: {}",
        cv_invented.caught, cv_invented.planted, cv_invented.refused, cv_invented.exported
    );
    println!("{}", chat.line());
    flagged.extend(chat.flagged().iter().cloned());
    missed.extend(chat.missed().iter().take(20).cloned());
    if coverage_pairs > 0 {
        println!(
            "pairs where the profile shows any required skill: {coverage_pairs}; required skills named (mean share): profile text {:.3}, tailored CV {:.3}; of the {supported_total} the profile shows, the CV names {kept}",
            share_profile / coverage_pairs as f64,
            share_cv / coverage_pairs as f64
        );
    }
    println!(
        "ATS read-back, word for word in order: PDF {pdf_same} of {pairs}, DOCX {docx_same} of {pairs}"
    );
    println!(
        "per document: tailoring + Markdown p50 {:.2} ms p95 {:.2} ms; guard p50 {:.2} ms p95 {:.2} ms; PDF ({} distinct CVs) p50 {:.1} ms p95 {:.1} ms; DOCX p50 {:.2} ms p95 {:.2} ms",
        percentile(&mut tailor_ms, 0.5),
        percentile(&mut tailor_ms, 0.95),
        percentile(&mut guard_ms, 0.5),
        percentile(&mut guard_ms, 0.95),
        pdf_ms.len(),
        percentile(&mut pdf_ms, 0.5),
        percentile(&mut pdf_ms, 0.95),
        percentile(&mut docx_ms, 0.5),
        percentile(&mut docx_ms, 0.95),
    );
    if show {
        for line in flagged.iter().take(60) {
            println!("  {line}");
        }
        for line in &missed {
            println!("  missed: {line}");
        }
        for line in &read_back_misses {
            println!("  read-back: {line}");
        }
    }
    Ok(())
}
