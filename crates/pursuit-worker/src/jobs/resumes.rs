//! `resume.parse`: reads a resume version's original (from file storage, or the pasted text)
//! with the isolated reader, parses it, and records the result on the version. A file that
//! cannot be read is a `failed` parse with the reason, not a job failure: reading it again
//! would fail the same way. Only an unreachable store or database is retried.

use pursuit_domain::ids::{ResumeVersionId, UserId};
use pursuit_files::Format;
use pursuit_files::storage::Kind;
use pursuit_store::embeddings::Source;
use pursuit_store::jobs::JobSpec;
use pursuit_store::resumes::{self, ParseOutcome};
use pursuit_text::dates::YearMonth;
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ParseResume {
    pub user_id: uuid::Uuid,
    pub version_id: uuid::Uuid,
}

impl JobSpec for ParseResume {
    const KIND: &'static str = "resume.parse";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 5;
}

pub async fn run(job: ParseResume, ctx: JobContext) -> Result<(), JobError> {
    let user = UserId(job.user_id);
    let id = ResumeVersionId(job.version_id);
    let Some(version) = resumes::get_version(&ctx.db, user, id).await? else {
        // Deleted since: nothing to do.
        return Ok(());
    };
    ctx.progress(10, "reading the file").await?;
    let bytes = match version.source.as_str() {
        "upload" => {
            let files = ctx
                .settings
                .files
                .as_ref()
                .ok_or_else(|| JobError::new("file storage is not configured"))?;
            match files.get(user, Kind::ResumeOriginal, id).await {
                Ok(bytes) => bytes,
                Err(pursuit_files::StorageError::NotFound) => {
                    return record(
                        &ctx,
                        user,
                        id,
                        failed("the original file is missing from storage"),
                    )
                    .await;
                }
                Err(e) => return Err(JobError::new(e.to_string())),
            }
        }
        _ => bytes::Bytes::from(version.raw_text.clone().unwrap_or_default()),
    };
    ctx.progress(30, "extracting the text").await?;
    let now = ctx.now().to_zoned(jiff::tz::TimeZone::UTC);
    let today = YearMonth {
        year: i32::from(now.year()),
        month: u32::try_from(now.month()).ok(),
    };
    let name = version
        .file_name
        .as_deref()
        .or(match Format::parse(&version.format) {
            Some(Format::Markdown) => Some("resume.md"),
            Some(Format::JsonResume) => Some("resume.json"),
            _ => None,
        });
    let outcome = match pursuit_files::resume::read_with(
        bytes,
        name,
        ctx.settings.extract_limits,
        &ctx.settings.file_reader,
        today,
    )
    .await
    {
        Ok(read) => {
            ctx.progress(80, "saving what was read").await?;
            let hidden = serde_json::json!({
                "text": read.hidden,
                "injections": read.resume.injections,
                "truncated": read.truncated,
                "unreadable_pages": read.unreadable_pages,
            });
            ParseOutcome {
                status: "complete",
                error: None,
                lang: read.resume.lang.clone(),
                parsed: Some(
                    serde_json::to_value(&read.resume).map_err(|e| JobError::new(e.to_string()))?,
                ),
                raw_text: Some(read.text),
                hidden,
            }
        }
        Err(error) => failed(&error.to_string()),
    };
    record(&ctx, user, id, outcome).await
}

fn failed(reason: &str) -> ParseOutcome {
    ParseOutcome {
        status: "failed",
        error: Some(reason.to_owned()),
        parsed: None,
        raw_text: None,
        hidden: serde_json::json!({}),
        lang: None,
    }
}

async fn record(
    ctx: &JobContext,
    user: UserId,
    id: ResumeVersionId,
    outcome: ParseOutcome,
) -> Result<(), JobError> {
    resumes::record_parse(&ctx.db, user, id, &outcome, ctx.now()).await?;
    if outcome.status == "complete" && ctx.settings.embedder.is_some() {
        crate::jobs::embed::enqueue(&ctx.db, user, Source::ResumeVersion(id), ctx.now()).await?;
    }
    ctx.progress(
        100,
        if outcome.status == "complete" {
            "read"
        } else {
            "could not be read"
        },
    )
    .await?;
    Ok(())
}
