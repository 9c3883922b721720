//! `embed.document`: cuts a posting's or a read resume version's text into chunks and
//! stores their vectors with the configured representation, so a search across the user's
//! documents finds it. Enqueued when a posting is stored and when a resume version has been
//! read; running it again for the same text changes nothing.

use pursuit_app::embeddings as stored;
use pursuit_domain::ids::{PostingId, ResumeVersionId, UserId};
use pursuit_store::embeddings::Source;
use pursuit_store::{postings, resumes};

use pursuit_app::embeddings::EmbedDocument;

use crate::registry::{JobContext, JobError};

pub async fn run(job: EmbedDocument, ctx: JobContext) -> Result<(), JobError> {
    let Some(embedder) = ctx.settings.embedder.clone() else {
        return Ok(());
    };
    let user = UserId(job.user_id);
    let (source, text, lang) = match (job.posting_id, job.resume_version_id) {
        (Some(id), _) => {
            let Some(posting) = postings::get_posting(&ctx.db, user, PostingId(id)).await? else {
                // Deleted since: nothing to do.
                return Ok(());
            };
            (
                Source::Posting(posting.id),
                posting.raw_text,
                posting.jd_lang,
            )
        }
        (None, Some(id)) => {
            let Some(version) = resumes::get_version(&ctx.db, user, ResumeVersionId(id)).await?
            else {
                return Ok(());
            };
            if version.parse_status != pursuit_domain::application::ParseStatus::Complete {
                // Read again since: the parse enqueues this job once more when it is done.
                return Ok(());
            }
            (
                Source::ResumeVersion(version.id),
                version.raw_text.unwrap_or_default(),
                version.lang,
            )
        }
        (None, None) => return Err(JobError::new("the job names no document")),
    };
    if text.trim().is_empty() {
        return Ok(());
    }
    ctx.progress(10, "embedding").await?;
    match stored::ensure(&ctx.db, &embedder, user, source, &text, lang.as_deref()).await {
        Ok(chunks) => {
            ctx.progress(100, &format!("{} chunks", chunks.len()))
                .await?;
            Ok(())
        }
        Err(e) => Err(JobError::new(e.to_string())),
    }
}
