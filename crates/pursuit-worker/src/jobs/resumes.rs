//! `resume.parse`: reads a resume version's original (from file storage, or the pasted text)
//! with the isolated reader, parses it, and records the result on the version. A file that
//! cannot be read is a `failed` parse with the reason, not a job failure: reading it again
//! would fail the same way. Only an unreachable store or database is retried.

use pursuit_domain::ids::{ResumeVersionId, UserId};
use pursuit_files::Format;
use pursuit_files::storage::Kind;
use pursuit_store::resumes::get_version;
use pursuit_text::dates::YearMonth;

use pursuit_app::resumes::{self, HiddenReport, ParseResume, ReadOutcome};
use pursuit_domain::application::ParseStatus;

use crate::registry::{JobContext, JobError};

pub async fn run(job: ParseResume, ctx: JobContext) -> Result<(), JobError> {
    let user = UserId(job.user_id);
    let id = ResumeVersionId(job.version_id);
    let Some(version) = get_version(&ctx.db, user, id).await? else {
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
                    let missing = "the original file is missing from storage".to_owned();
                    return record(&ctx, user, id, ReadOutcome::Failed(missing)).await;
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
            ReadOutcome::Complete {
                resume: Box::new(read.resume),
                text: Some(read.text),
                hidden: HiddenReport {
                    text: read.hidden,
                    truncated: read.truncated,
                    unreadable_pages: read.unreadable_pages,
                    ..HiddenReport::default()
                },
            }
        }
        Err(error) => ReadOutcome::Failed(error.to_string()),
    };
    record(&ctx, user, id, outcome).await
}

async fn record(
    ctx: &JobContext,
    user: UserId,
    id: ResumeVersionId,
    outcome: ReadOutcome,
) -> Result<(), JobError> {
    let embed = ctx.settings.embedder.is_some();
    let status = match resumes::record_read(&ctx.db, user, id, outcome, embed, ctx.now()).await {
        Ok(status) => status,
        // Deleted while it was read: nothing to record.
        Err(pursuit_store::StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    ctx.progress(
        100,
        if status == ParseStatus::Complete {
            "read"
        } else {
            "could not be read"
        },
    )
    .await?;
    Ok(())
}
