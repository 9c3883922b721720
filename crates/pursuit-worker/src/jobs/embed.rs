//! `embed.document`: cuts a posting's or a read resume version's text into chunks and
//! stores their vectors with the configured representation, so a search across the user's
//! documents finds it. Enqueued when a posting is stored and when a resume version has been
//! read; running it again for the same text changes nothing.

use pursuit_domain::ids::{PostingId, ResumeVersionId, UserId};
use pursuit_embed::stored;
use pursuit_store::embeddings::Source;
use pursuit_store::jobs::JobSpec;
use pursuit_store::{postings, resumes};
use serde::{Deserialize, Serialize};

use crate::registry::{JobContext, JobError};

/// One document: a posting or a resume version (exactly one of the two).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmbedDocument {
    pub user_id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_version_id: Option<uuid::Uuid>,
}

impl JobSpec for EmbedDocument {
    const KIND: &'static str = "embed.document";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 5;
}

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
            if version.parse_status != "complete" {
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

/// Enqueues the embedding of a document (a posting when `posting` is set, else the resume
/// version). No dedupe key: a run already under way may have read the text before it
/// changed, so every change gets a run of its own (an unchanged text costs one read).
pub async fn enqueue(
    conn: impl pursuit_store::Conn,
    user: UserId,
    document: Source,
    now: jiff::Timestamp,
) -> Result<(), pursuit_store::StoreError> {
    let (posting_id, resume_version_id) = match document {
        Source::Posting(id) => (Some(id.0), None),
        Source::ResumeVersion(id) => (None, Some(id.0)),
    };
    pursuit_store::jobs::enqueue(
        conn,
        &EmbedDocument {
            user_id: user.0,
            posting_id,
            resume_version_id,
        },
        &pursuit_store::jobs::EnqueueOptions {
            user_id: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}
