//! `pursuit parse job FILE|URL` and `pursuit parse resume FILE`: read a document without a
//! server, for users' scripts and for evaluation. Nothing is stored.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use pursuit_files::fetch::{self, Limits};
use pursuit_text::posting::{self, Input};

#[derive(Debug, Subcommand)]
pub enum ParseCommand {
    /// Read a resume: PDF, DOCX, HTML, Markdown, plain text or JSON Resume.
    Resume {
        /// The file to read.
        file: std::path::PathBuf,
        /// Print the whole parsed structure as JSON (with the extracted text and any
        /// hidden text found).
        #[arg(long)]
        json: bool,
    },
    /// Read a job posting from a file (text or HTML) or an http(s) URL.
    Job {
        /// A file path, or an http:// or https:// URL.
        source: String,
        /// Print the whole parsed structure as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: ParseCommand) -> anyhow::Result<()> {
    match command {
        ParseCommand::Resume { file, json } => resume(&file, json).await,
        ParseCommand::Job { source, json } => {
            let parsed = read_job(&source).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&parsed)?);
            } else {
                let none = || "—".to_owned();
                println!("title:      {}", parsed.title.clone().unwrap_or_else(none));
                println!(
                    "company:    {}",
                    parsed.company.clone().unwrap_or_else(none)
                );
                println!(
                    "location:   {}",
                    parsed.location.clone().unwrap_or_else(none)
                );
                println!(
                    "remote:     {}",
                    parsed.remote_type.clone().unwrap_or_else(none)
                );
                println!(
                    "seniority:  {}",
                    parsed.seniority.clone().unwrap_or_else(none)
                );
                let names = |s: &[posting::SkillRef]| {
                    s.iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                println!("required:   {}", names(&parsed.skills.required));
                println!("preferred:  {}", names(&parsed.skills.preferred));
                println!("(--json for every field)");
            }
            Ok(())
        }
    }
}

/// `pursuit match RESUME JOB`: the score of a resume file against a posting file or URL.
pub async fn run_match(resume: &Path, job: &str, json: bool) -> anyhow::Result<()> {
    let read = read_resume(resume).await?;
    let posting = read_job(job).await?;
    let result = pursuit_text::matching::score(&read.resume, &read.text, &posting);
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    println!("score:      {}/100", result.score);
    if let Some(why) = &result.provisional {
        println!("provisional: {why}");
    }
    for part in &result.parts {
        println!(
            "{:<17} {:>5.1} of {:>4.1} points — {}",
            part.name,
            part.fit * part.weight,
            part.weight,
            part.detail
        );
    }
    let names = |notes: &[pursuit_text::matching::SkillNote]| {
        notes
            .iter()
            .map(|n| n.skill.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("matched:    {}", names(&result.skills.matched));
    println!("unphrased:  {}", names(&result.skills.unphrased));
    println!("missing:    {}", names(&result.skills.missing));
    println!("(--json for the evidence)");
    Ok(())
}

/// One line of a ranking.
#[derive(serde::Serialize)]
struct Ranked {
    rank: usize,
    /// The posting's `id` (or its line number), or the resume's file.
    id: String,
    title: Option<String>,
    score: u32,
    provisional: Option<String>,
    #[serde(rename = "match")]
    result: pursuit_text::matching::Match,
}

/// `pursuit rank --resume FILE --jobs FILE.jsonl`.
pub async fn rank_jobs(
    resume: &Path,
    jobs: &Path,
    top: Option<usize>,
    json: bool,
) -> anyhow::Result<()> {
    // What parsing looks things up in loads on another core while the resume's text is
    // extracted and the postings' file read.
    let warm = tokio::task::spawn_blocking(pursuit_text::warm_up);
    let unparsed = extract_resume(resume).await?;
    let text =
        std::fs::read_to_string(jobs).with_context(|| format!("cannot read {}", jobs.display()))?;
    // A failed warm-up only means parsing loads what it needs itself.
    let _ = warm.await;
    let read = parse_resume(unparsed, resume)?;
    // Reading postings is most of the work: on every core, in the file's order.
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let parsed = pursuit_text::matching::par_map(&lines, |(n, line)| jsonl_posting(line, n + 1));
    let mut postings = Vec::new();
    for ((n, _), posting) in lines.iter().zip(parsed) {
        // A line that is not a posting is named and skipped; the rest are still ranked.
        match posting {
            Ok(posting) => postings.push(posting),
            Err(e) => eprintln!("skipped {} line {}: {e:#}", jobs.display(), n + 1),
        }
    }
    anyhow::ensure!(!postings.is_empty(), "{} has no postings", jobs.display());
    let prepared = pursuit_text::matching::Prepared::new(&read.resume, &read.text);
    let ranked = pursuit_text::matching::par_map(&postings, |(id, posting)| {
        let side = pursuit_text::matching::PreparedPosting::new(posting);
        (
            id.clone(),
            posting.title.clone(),
            pursuit_text::matching::score_pair(&prepared, &side),
        )
    });
    print_ranking(ranked, top, json)
}

/// `pursuit rank --job FILE --resumes DIR`.
pub async fn rank_resumes(
    job: &str,
    dir: &Path,
    top: Option<usize>,
    json: bool,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    files.sort();
    // What parsing looks things up in loads on a thread of its own while the first files'
    // text is extracted (which needs none of it): a file extracted before it has loaded
    // waits, unparsed, and is parsed once it has. Loaded on first use instead, every core
    // would wait for the one loading it.
    let (loaded, warm) = tokio::sync::watch::channel(false);
    std::thread::spawn(move || {
        pursuit_text::warm_up();
        let _ = loaded.send(true);
    });
    // Loaded, or the loading thread is gone (parsing then loads what it needs itself).
    let is_loaded =
        |warm: &tokio::sync::watch::Receiver<bool>| *warm.borrow() || warm.has_changed().is_err();
    // The posting is read while the first resumes are; a posting that cannot be read stops
    // the ranking as soon as that shows.
    let source = job.to_owned();
    let mut job_warm = warm.clone();
    let mut job_read = Some(tokio::spawn(async move {
        let _ = job_warm.wait_for(|loaded| *loaded).await;
        read_job(&source).await
    }));
    let mut posting = None;
    // Reading resumes is most of the work: a few at a time on every core, then each
    // scored against the posting prepared once, in the folder's order. Four files in
    // flight per core, not two: each file passes between threads (read, extracted on a
    // reader thread, parsed on the runtime's), and with two a core often waited for a
    // hand-over (2,096 PDFs on two cores: 180–190% of a core busy with two, 192% with four).
    let at_once = std::thread::available_parallelism().map_or(4, |n| n.get() * 4);
    let mut reads = tokio::task::JoinSet::new();
    let mut files = files.into_iter().enumerate();
    let mut more = true;
    let mut waiting: Vec<(usize, std::path::PathBuf, pursuit_files::resume::Unparsed)> = Vec::new();
    let mut done = Vec::new();
    loop {
        if let Some(task) = job_read.take_if(|task| task.is_finished()) {
            posting = Some(task.await??);
        }
        if is_loaded(&warm) {
            for (i, file, unparsed) in waiting.drain(..) {
                reads.spawn(async move {
                    let read = parse_resume(unparsed, &file);
                    (i, file, Ok(read))
                });
            }
        }
        if more && reads.len() < at_once {
            if let Some((i, file)) = files.next() {
                let warm = warm.clone();
                reads.spawn(async move {
                    let step = match extract_resume(&file).await {
                        Ok(unparsed) if is_loaded(&warm) => Ok(parse_resume(unparsed, &file)),
                        Ok(unparsed) => Err(unparsed),
                        Err(e) => Ok(Err(e)),
                    };
                    (i, file, step)
                });
                continue;
            }
            more = false;
        }
        match reads.join_next().await {
            Some(finished) => match finished? {
                (i, file, Ok(read)) => done.push((i, file, read)),
                (i, file, Err(unparsed)) => waiting.push((i, file, unparsed)),
            },
            None if waiting.is_empty() => break,
            None => {
                let _ = warm.clone().wait_for(|loaded| *loaded).await;
            }
        }
    }
    done.sort_by_key(|(i, _, _)| *i);
    let mut read = Vec::new();
    for (_, file, result) in done {
        match result {
            Ok(resume) => read.push((file, resume)),
            // One unreadable file does not stop the ranking; it is named on stderr.
            Err(e) => eprintln!("skipped: {e:#}"),
        }
    }
    let posting = match (posting, job_read) {
        (Some(posting), _) => posting,
        (None, Some(task)) => task.await??,
        (None, None) => anyhow::bail!("the posting {job} was not read"),
    };
    let side = pursuit_text::matching::PreparedPosting::new(&posting);
    let ranked = pursuit_text::matching::par_map(&read, |(file, resume)| {
        let prepared = pursuit_text::matching::Prepared::new(&resume.resume, &resume.text);
        (
            file.display().to_string(),
            resume.resume.basics.label.clone(),
            pursuit_text::matching::score_pair(&prepared, &side),
        )
    });
    anyhow::ensure!(
        !ranked.is_empty(),
        "no readable resumes under {}",
        dir.display()
    );
    print_ranking(ranked, top, json)
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with('.'))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A posting from one JSON line: an object with `text` or `description` (and optionally
/// `id`, `title`, `company`, `url`), or a plain string.
fn jsonl_posting(line: &str, number: usize) -> anyhow::Result<(String, posting::Posting)> {
    let value: serde_json::Value = serde_json::from_str(line).context("not JSON")?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::trim);
    let (id, title, body) = match &value {
        serde_json::Value::String(text) => (None, None, text.as_str()),
        serde_json::Value::Object(_) => (
            value.get("id").map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            field("title"),
            field("text")
                .or_else(|| field("description"))
                .context("the object has no \"text\" or \"description\"")?,
        ),
        _ => anyhow::bail!("a line must be a JSON object or string"),
    };
    anyhow::ensure!(!body.trim().is_empty(), "the posting's text is empty");
    let input = if body.trim_start().starts_with('<') {
        Input::Html(body)
    } else {
        Input::Text(body)
    };
    let mut parsed = posting::parse_titled(input, title);
    if parsed.company.is_none() {
        parsed.company = field("company").map(str::to_owned);
    }
    Ok((id.unwrap_or_else(|| format!("line {number}")), parsed))
}

/// Best first (ties in input order), numbered; as a table or as JSON.
fn print_ranking(
    mut ranked: Vec<(String, Option<String>, pursuit_text::matching::Match)>,
    top: Option<usize>,
    json: bool,
) -> anyhow::Result<()> {
    // A stable sort keeps input order among equal scores.
    ranked.sort_by(|a, b| b.2.exact.total_cmp(&a.2.exact));
    ranked.truncate(top.unwrap_or(usize::MAX));
    let lines: Vec<Ranked> = ranked
        .into_iter()
        .enumerate()
        .map(|(i, (id, title, result))| Ranked {
            rank: i + 1,
            id,
            title,
            score: result.score,
            provisional: result.provisional.clone(),
            result,
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
        return Ok(());
    }
    println!("{:>4}  {:>5}  what", "rank", "score");
    for line in &lines {
        println!(
            "{:>4}  {:>5}{} {}{}",
            line.rank,
            line.score,
            if line.provisional.is_some() { "*" } else { " " },
            line.id,
            line.title
                .as_deref()
                .map(|t| format!(" — {t}"))
                .unwrap_or_default()
        );
    }
    if lines.iter().any(|l| l.provisional.is_some()) {
        println!("* provisional: --json says why");
    }
    Ok(())
}

/// A job posting from a file (text or HTML) or an http(s) URL, read into fields.
pub(crate) async fn read_job(source: &str) -> anyhow::Result<posting::Posting> {
    let (body, html) = if source.starts_with("http://") || source.starts_with("https://") {
        let fetched = fetch::fetch(source, &Limits::default())
            .await
            .with_context(|| format!("cannot fetch {source}"))?;
        let html = fetched
            .content_type
            .as_deref()
            .is_none_or(|t| t.contains("html"));
        (String::from_utf8_lossy(&fetched.body).into_owned(), html)
    } else {
        let path = Path::new(source);
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
            || text.trim_start().starts_with('<');
        (text, html)
    };
    Ok(posting::parse(if html {
        Input::Html(&body)
    } else {
        Input::Text(&body)
    }))
}

/// A resume file read as an upload is (isolated reader, parser), as of today.
pub(crate) async fn read_resume(file: &Path) -> anyhow::Result<pursuit_files::resume::ReadResume> {
    parse_resume(extract_resume(file).await?, file)
}

/// The resume in `file`'s text ([`read_resume`]'s second half).
fn parse_resume(
    unparsed: pursuit_files::resume::Unparsed,
    file: &Path,
) -> anyhow::Result<pursuit_files::resume::ReadResume> {
    unparsed
        .parse(today())
        .with_context(|| format!("cannot read a resume from {}", file.display()))
}

/// A resume file's text, not yet parsed ([`read_resume`]'s first half).
async fn extract_resume(file: &Path) -> anyhow::Result<pursuit_files::resume::Unparsed> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str());
    pursuit_files::resume::extract_with(
        bytes.into(),
        name,
        pursuit_files::Limits::default(),
        &pursuit_files::child::Isolation::Thread,
    )
    .await
    .with_context(|| format!("cannot read a resume from {}", file.display()))
}

/// This month, which dates "to present" run to.
fn today() -> pursuit_text::dates::YearMonth {
    let now = jiff::Zoned::now();
    pursuit_text::dates::YearMonth {
        year: i32::from(now.year()),
        month: u32::try_from(now.month()).ok(),
    }
}

async fn resume(file: &Path, json: bool) -> anyhow::Result<()> {
    let read = read_resume(file).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&read)?);
        return Ok(());
    }
    let r = &read.resume;
    let none = || "—".to_owned();
    println!("name:       {}", r.basics.name.clone().unwrap_or_else(none));
    println!(
        "headline:   {}",
        r.basics.label.clone().unwrap_or_else(none)
    );
    println!(
        "email:      {}",
        r.basics.email.clone().unwrap_or_else(none)
    );
    println!(
        "phone:      {}",
        r.basics.phone.clone().unwrap_or_else(none)
    );
    println!(
        "location:   {}",
        r.basics.location.clone().unwrap_or_else(none)
    );
    for role in &r.work {
        println!(
            "role:       {} · {} ({} – {})",
            role.position.clone().unwrap_or_else(none),
            role.name.clone().unwrap_or_else(none),
            role.start_date.clone().unwrap_or_else(none),
            role.end_date.clone().unwrap_or_else(|| "present".into()),
        );
    }
    if let Some(years) = r.total_years {
        println!("years:      {years}");
    }
    let skills: Vec<&str> = r.skills.iter().map(|s| s.name.as_str()).collect();
    println!("skills:     {}", skills.join(", "));
    if !read.hidden.is_empty() || !r.injections.is_empty() {
        println!(
            "warning:    {} stretch(es) of hidden text, {} instruction(s) to AI screeners",
            read.hidden.len(),
            r.injections.len()
        );
    }
    println!("(--json for every field)");
    Ok(())
}
