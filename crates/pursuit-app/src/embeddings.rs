//! Similarity search's side of a stored document: the `embed.document` job that cuts a
//! posting's or a read resume version's text into vectors, and its enqueue helper.

use pursuit_domain::ids::UserId;
use pursuit_store::embeddings::Source;
use pursuit_store::jobs::JobSpec;
use serde::{Deserialize, Serialize};

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
