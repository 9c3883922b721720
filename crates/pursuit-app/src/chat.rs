//! Conversations with the assistant (seed 001 `/openai/ws`): about one of the user's
//! postings or their search in general, kept with their messages. A question goes to the
//! AI layer (task `chat`, the `write` chain) with the user's material, the posting and the
//! conversation so far as data; a model's answer that states about the user what the
//! material does not show breaks the task's rules and is passed over, down to the local
//! engine, which answers from the matcher's reading. The answer is checked by the guard
//! again before it is kept (its claims kept with it), and only then sent — so what is
//! streamed to the user has passed the guard.

use jiff::Timestamp;
use pursuit_domain::ids::{ConversationId, MessageId, PostingId, UserId};
use pursuit_store::Db;
use pursuit_store::conversations::{self as store, ConversationRow, MessageRow};
use serde_json::json;

use crate::error::{AppError, Invalid};

/// The longest question (characters).
pub const MAX_QUESTION: usize = 4_000;
/// The most earlier messages a question is asked with.
const HISTORY: i64 = 10;
/// The most messages a conversation shows.
pub const MAX_SHOWN: i64 = 200;

/// A conversation and its messages in order.
#[derive(Clone, Debug)]
pub struct Conversation {
    pub row: ConversationRow,
    pub messages: Vec<MessageRow>,
}

fn one_line(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(AppError::Invalid(vec![Invalid::new(
            field,
            format!("must be one line of at most {max} characters"),
        )]));
    }
    Ok(text.to_owned())
}

/// Starts a conversation, about one of the user's postings when `posting` is given.
pub async fn start(
    db: &Db,
    user: UserId,
    posting: Option<PostingId>,
    title: Option<&str>,
    now: Timestamp,
) -> Result<ConversationRow, AppError> {
    let about = match posting {
        Some(id) => Some(
            pursuit_store::postings::get_posting(db, user, id)
                .await?
                .ok_or_else(|| {
                    AppError::Invalid(vec![Invalid::new("job_id", "no such posting of yours")])
                })?,
        ),
        None => None,
    };
    let title = match title.map(|t| one_line("title", t, 200)).transpose()? {
        Some(t) if !t.is_empty() => t,
        _ => match &about {
            Some(p) => format!(
                "About {}",
                p.title.clone().unwrap_or_else(|| "a posting".to_owned())
            ),
            None => "Your job search".to_owned(),
        },
    };
    let row = ConversationRow {
        id: ConversationId::new(),
        posting_id: posting,
        title,
        created_at: now,
        updated_at: now,
    };
    store::insert(db, user, &row).await?;
    Ok(row)
}

pub async fn list(db: &Db, user: UserId) -> Result<Vec<ConversationRow>, AppError> {
    Ok(store::list(db, user, 100).await?)
}

/// One of the user's conversations, without its messages.
pub async fn owned(db: &Db, user: UserId, id: ConversationId) -> Result<ConversationRow, AppError> {
    store::get(db, user, id).await?.ok_or(AppError::NotFound)
}

pub async fn get(db: &Db, user: UserId, id: ConversationId) -> Result<Conversation, AppError> {
    let row = owned(db, user, id).await?;
    let messages = store::messages(db, user, id, MAX_SHOWN).await?;
    Ok(Conversation { row, messages })
}

pub async fn delete(db: &Db, user: UserId, id: ConversationId) -> Result<(), AppError> {
    if store::delete(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Checks a question: 1 to [`MAX_QUESTION`] characters of text.
pub fn question(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty()
        || text.chars().count() > MAX_QUESTION
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::Invalid(vec![Invalid::new(
            "content",
            format!("must be 1 to {MAX_QUESTION} characters of text"),
        )]));
    }
    Ok(text.to_owned())
}

/// Asks a question in one of the user's conversations: the user's message and the
/// assistant's answer, both kept.
pub async fn ask(
    services: crate::ai::Services<'_>,
    caller: crate::ai::Caller<'_>,
    id: ConversationId,
    content: &str,
    now: Timestamp,
) -> Result<(MessageRow, MessageRow), AppError> {
    let (db, user) = (services.db, caller.id);
    let content = question(content)?;
    let conversation = owned(db, user, id).await?;
    let history = store::messages(db, user, id, HISTORY).await?;
    let posting = match conversation.posting_id {
        Some(p) => pursuit_store::postings::get_posting(db, user, p).await?,
        None => None,
    };
    let material = crate::documents::material(db, user).await?;
    let said: String = history
        .iter()
        .map(|m| format!("{}: {}", m.role, m.content))
        .collect::<Vec<_>>()
        .join("\n\n");
    let (posting_text, title, company) = match &posting {
        Some(p) => (
            crate::postings::readable(&p.raw_text, &p.source, p.parsed.as_ref()),
            p.title.clone().unwrap_or_default(),
            p.company
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let input = |label: &'static str, text: String| pursuit_ai::Input { label, text };
    let request = pursuit_ai::Request::new(
        pursuit_ai::Task::Chat,
        vec![
            input("resume", material.join("\n\n")),
            input("job description", posting_text.clone()),
            input("title", title.clone()),
            input("role", format!("{title}\n{company}")),
            input("conversation", said.clone()),
            input("question", content.clone()),
        ],
    );
    let answer = crate::ai::run(services, caller, now, request).await?;
    let text = answer.value["text"]
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let text = if text.is_empty() {
        "I have no answer to that.".to_owned()
    } else {
        text
    };
    let names: Vec<&str> = [title.as_str(), company.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
    let context = format!("{posting_text}\n{content}\n{said}");
    let claims = crate::documents::guard_answer(&material, &context, &names, now, &text);
    let asked = MessageRow {
        id: MessageId::new(),
        conversation_id: id,
        role: "user".to_owned(),
        content,
        provider: None,
        model: None,
        cost_micros: 0,
        claims: json!([]),
        created_at: now,
    };
    let answered = MessageRow {
        id: MessageId::new(),
        conversation_id: id,
        role: "assistant".to_owned(),
        content: text,
        provider: Some(answer.provider),
        model: Some(answer.model),
        cost_micros: crate::ai::micros(answer.cost_usd),
        claims: serde_json::to_value(&claims).unwrap_or_else(|_| json!([])),
        // After the question, in the same order however fast the answer came.
        created_at: now + jiff::SignedDuration::from_micros(1),
    };
    let mut tx = db.begin().await?;
    store::add_message(&mut tx, user, &asked).await?;
    store::add_message(&mut tx, user, &answered).await?;
    tx.commit().await?;
    Ok((asked, answered))
}
