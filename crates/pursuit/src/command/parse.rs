//! `pursuit parse job FILE|URL` and `pursuit parse resume FILE`: read a document without a
//! server, for users' scripts and for evaluation. Nothing is stored.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use pursuit_text::fetch::{self, Limits};
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
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let now = jiff::Zoned::now();
    let today = pursuit_text::dates::YearMonth {
        year: i32::from(now.year()),
        month: u32::try_from(now.month()).ok(),
    };
    let name = file.file_name().and_then(|n| n.to_str());
    pursuit_files::resume::read(bytes.into(), name, pursuit_files::Limits::default(), today)
        .await
        .with_context(|| format!("cannot read a resume from {}", file.display()))
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
