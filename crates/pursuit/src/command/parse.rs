//! `pursuit parse job FILE|URL`: read a document without a server, for users' scripts and
//! for evaluation. Nothing is stored.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use pursuit_text::fetch::{self, Limits};
use pursuit_text::posting::{self, Input};

#[derive(Debug, Subcommand)]
pub enum ParseCommand {
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
        ParseCommand::Job { source, json } => {
            let (body, html) = if source.starts_with("http://") || source.starts_with("https://") {
                let fetched = fetch::fetch(&source, &Limits::default())
                    .await
                    .with_context(|| format!("cannot fetch {source}"))?;
                let html = fetched
                    .content_type
                    .as_deref()
                    .is_none_or(|t| t.contains("html"));
                (String::from_utf8_lossy(&fetched.body).into_owned(), html)
            } else {
                let path = Path::new(&source);
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let html = path.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm")
                }) || text.trim_start().starts_with('<');
                (text, html)
            };
            let parsed = posting::parse(if html {
                Input::Html(&body)
            } else {
                Input::Text(&body)
            });
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
