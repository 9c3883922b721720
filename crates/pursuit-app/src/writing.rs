//! Writing that waits on a model, as a task (`documents.write`): a CV, a cover letter or a
//! rewrite that a configured model words may take as long as the provider's timeouts allow,
//! so a caller who would rather not wait asks for it here and follows the task
//! (`GET /api/v1/tasks/{id}`), whose result names the document kept.
//!
//! The request is checked before it is queued (a posting not read, instructions asking for
//! what the user's material does not show: said at once), and the worker runs the same use
//! case a request would (`documents::tailor_cv`, `write_letter`, `refine`), so the document is
//! the same either way. A live task for the same request is that task (a second click
//! queues nothing); the model's answer itself is cached by input digest in the AI layer.

use jiff::Timestamp;
use pursuit_domain::ids::{DocumentId, JobId, PostingId, UserId};
use pursuit_store::jobs::{EnqueueOptions, JobSpec};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ai::{Caller, Services};
use crate::documents::{self, Document};
use crate::error::AppError;

/// `documents.write`: one piece of writing for one user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WriteDocument {
    pub user_id: uuid::Uuid,
    pub writing: Writing,
}

impl JobSpec for WriteDocument {
    const KIND: &'static str = "documents.write";
    const QUEUE: &'static str = "default";
    /// A provider that timed out may answer on the next try; a refusal is final at once.
    const MAX_ATTEMPTS: i64 = 3;
}

/// What to write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Writing {
    /// A CV tailored to a posting, worded by a model (`documents::tailor_cv`).
    Cv { posting_id: uuid::Uuid },
    /// A cover letter for a posting (`documents::write_letter`).
    Letter {
        posting_id: uuid::Uuid,
        tone: String,
        min_words: usize,
        max_words: usize,
    },
    /// A document rewritten as the user asks (`documents::refine`).
    Refine {
        document_id: uuid::Uuid,
        instructions: String,
    },
}

impl Writing {
    pub fn cv(posting: PostingId) -> Writing {
        Writing::Cv {
            posting_id: posting.0,
        }
    }

    pub fn letter(
        posting: PostingId,
        tone: pursuit_text::letter::Tone,
        length: pursuit_text::letter::Length,
    ) -> Writing {
        Writing::Letter {
            posting_id: posting.0,
            tone: tone.as_str().to_owned(),
            min_words: length.min_words,
            max_words: length.max_words,
        }
    }

    pub fn refine(document: DocumentId, instructions: &str) -> Writing {
        Writing::Refine {
            document_id: document.0,
            instructions: instructions.trim().to_owned(),
        }
    }

    /// What the task is doing, in words for its progress.
    pub fn doing(&self) -> &'static str {
        match self {
            Writing::Cv { .. } => "Writing the CV",
            Writing::Letter { .. } => "Writing the cover letter",
            Writing::Refine { .. } => "Rewriting the document",
        }
    }
}

/// Whether this writing would wait on a model for the caller (else the local engine answers
/// in milliseconds and a task is not worth it).
pub async fn waits_on_a_model(
    services: Services<'_>,
    caller: Caller<'_>,
    writing: &Writing,
    now: Timestamp,
) -> Result<bool, AppError> {
    let task = match writing {
        Writing::Cv { .. } => pursuit_ai::Task::TailorCv,
        Writing::Letter { .. } => pursuit_ai::Task::CoverLetter,
        Writing::Refine { .. } => pursuit_ai::Task::Refine,
    };
    crate::ai::asks_a_model(services, caller, task, now).await
}

/// Checks the request as the use case would and queues it: the task's id. The same request
/// already waiting or running is that task.
pub async fn request(
    services: Services<'_>,
    caller: Caller<'_>,
    writing: Writing,
    now: Timestamp,
) -> Result<JobId, AppError> {
    let (db, user) = (services.db, caller.id);
    match &writing {
        Writing::Cv { posting_id } => {
            documents::check_for_posting(db, user, PostingId(*posting_id)).await?;
        }
        Writing::Letter {
            posting_id, tone, ..
        } => {
            if pursuit_text::letter::Tone::parse(tone).is_none() {
                return Err(AppError::Invalid(vec![crate::error::Invalid::new(
                    "tone",
                    "must be professional, enthusiastic or casual",
                )]));
            }
            documents::check_for_posting(db, user, PostingId(*posting_id)).await?;
        }
        Writing::Refine {
            document_id,
            instructions,
        } => {
            documents::check_refine(db, user, DocumentId(*document_id), instructions, now).await?;
        }
    }
    let job = WriteDocument {
        user_id: user.0,
        writing,
    };
    let digest = pursuit_ai::hex_digest(&[
        user.0.as_bytes().as_slice(),
        serde_json::to_string(&job.writing)
            .unwrap_or_default()
            .as_bytes(),
    ]);
    let enqueued = pursuit_store::jobs::enqueue(
        db,
        &job,
        &EnqueueOptions {
            user_id: Some(user),
            dedupe_key: Some(format!("{}:{digest}", WriteDocument::KIND)),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(enqueued.id)
}

/// What [`write_or_queue`] did.
#[derive(Debug)]
pub enum Written {
    /// Written now (the local engine answers in milliseconds): the document kept.
    Now(DocumentId),
    /// Queued: a model would be asked; the task to follow.
    Queued(JobId),
}

/// Writes now what the local engine writes, and queues what a model would word (the
/// pages' choice: a page waits milliseconds, never a model's minutes).
pub async fn write_or_queue(
    services: Services<'_>,
    caller: Caller<'_>,
    writing: Writing,
    now: Timestamp,
) -> Result<Written, AppError> {
    if waits_on_a_model(services, caller, &writing, now).await? {
        request(services, caller, writing, now)
            .await
            .map(Written::Queued)
    } else {
        run(services, caller, &writing, now)
            .await
            .map(|d| Written::Now(d.row.id))
    }
}

/// Runs the writing (the worker's side): the document kept.
pub async fn run(
    services: Services<'_>,
    caller: Caller<'_>,
    writing: &Writing,
    now: Timestamp,
) -> Result<Document, AppError> {
    match writing {
        Writing::Cv { posting_id } => {
            documents::tailor_cv(services, caller, PostingId(*posting_id), now).await
        }
        Writing::Letter {
            posting_id,
            tone,
            min_words,
            max_words,
        } => {
            let tone = pursuit_text::letter::Tone::parse(tone)
                .unwrap_or(pursuit_text::letter::Tone::Professional);
            let length = pursuit_text::letter::Length {
                min_words: *min_words,
                max_words: *max_words,
            };
            documents::write_letter(services, caller, PostingId(*posting_id), tone, length, now)
                .await
        }
        Writing::Refine {
            document_id,
            instructions,
        } => {
            documents::refine(
                services,
                caller,
                DocumentId(*document_id),
                instructions,
                now,
            )
            .await
        }
    }
}

/// The task's result: the document kept, with where the API and the page show it.
pub fn result(document: &Document) -> Value {
    let id = document.row.id.0;
    json!({
        "document_id": id,
        "href": format!("/api/v1/documents/{id}"),
    })
}

/// The user a task works for, as the AI layer's flags need them (their address).
pub async fn caller_email(db: &pursuit_store::Db, user: UserId) -> Result<String, AppError> {
    pursuit_store::accounts::get_user(db, user)
        .await?
        .map(|u| u.email)
        .ok_or(AppError::NotFound)
}
