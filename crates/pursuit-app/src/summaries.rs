//! Short texts about a posting and about the user's search (seed 001): a job summary (what
//! the role is, its main duties, what it requires and prefers) and search-term suggestions
//! (titles the user holds and targets, joined with skills their resume shows). Both go
//! through the AI layer: the local engine answers from Pursuit's own readers, a model's
//! answer must keep the task's rules (a summary says nothing the posting does not).

use jiff::Timestamp;
use pursuit_ai::{Input, Request, Task};
use pursuit_domain::ids::PostingId;
use pursuit_domain::preferences::Remote;

use crate::ai::{AiResult, Caller, Services, run};
use crate::error::AppError;

/// The posting a summary is of.
pub enum JobSource {
    /// One of the user's postings (read already).
    Posting(PostingId),
    /// A posting's text as given.
    Text(String),
}

/// A summary of a posting: `summary`, `duties`, `must_haves`, `nice_to_haves`.
pub async fn job_summary(
    services: Services<'_>,
    caller: Caller<'_>,
    source: JobSource,
    now: Timestamp,
) -> Result<AiResult, AppError> {
    let (title, company, text) = match source {
        JobSource::Posting(id) => {
            let (posting, fields) =
                crate::matching::read_posting(services.db, caller.id, id).await?;
            (
                fields.title.or(posting.title).unwrap_or_default(),
                posting.company.map(|c| c.name).unwrap_or_default(),
                fields.description,
            )
        }
        JobSource::Text(text) => (String::new(), String::new(), text),
    };
    let request = Request::new(
        Task::JobSummary,
        vec![
            Input {
                label: "title",
                text: title,
            },
            Input {
                label: "company",
                text: company,
            },
            Input {
                label: "job description",
                text,
            },
        ],
    );
    run(services, caller, now, request).await
}

/// Search terms for the user: from the active resume version and the job preferences
/// (`terms`: `term` and `why`). Neither a resume nor a target title: a conflict saying what
/// to add.
pub async fn search_terms(
    services: Services<'_>,
    caller: Caller<'_>,
    now: Timestamp,
) -> Result<AiResult, AppError> {
    let resume = crate::matching::active_version(services.db, caller.id)
        .await?
        .map(|v| v.text)
        .unwrap_or_default();
    let preferences = crate::preferences::get(services.db, caller.id).await?.value;
    if resume.trim().is_empty() && preferences.titles.is_empty() {
        return Err(AppError::Conflict(
            "there is nothing to suggest search terms from yet: add a resume, or the job titles you are after in your job preferences".to_owned(),
        ));
    }
    let mut lines = vec![format!("titles: {}", preferences.titles.join("; "))];
    if let Some(remote) = preferences.remote {
        lines.push(format!(
            "remote: {}",
            match remote {
                Remote::RemoteOnly => "remote",
                Remote::Hybrid => "hybrid",
                Remote::Onsite => "onsite",
                Remote::Any => "any",
            }
        ));
    }
    if !preferences.locations.is_empty() {
        lines.push(format!("locations: {}", preferences.locations.join("; ")));
    }
    let request = Request::new(
        Task::SearchTerms,
        vec![
            Input {
                label: "resume",
                text: resume,
            },
            Input {
                label: "preferences",
                text: lines.join("\n"),
            },
        ],
    );
    run(services, caller, now, request).await
}
