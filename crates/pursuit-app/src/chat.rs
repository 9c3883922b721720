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
/// The most earlier messages a question is asked with word for word…
const HISTORY: usize = 10;
/// …and the most characters of the user's earlier questions before those.
const EARLIER_QUESTIONS: usize = 4_000;
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
    let history = store::messages(db, user, id, MAX_SHOWN).await?;
    let posting = match conversation.posting_id {
        Some(p) => pursuit_store::postings::get_posting(db, user, p).await?,
        None => None,
    };
    let material = crate::documents::material(db, user).await?;
    let said = conversation_so_far(&history);
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

/// The conversation as a question is asked with it: the last [`HISTORY`] messages word for
/// word, and before them the user's own earlier questions (newest kept first, up to
/// [`EARLIER_QUESTIONS`] characters), so a long conversation keeps its thread without its
/// older answers — which were written from the same material and would only be repeated.
fn conversation_so_far(history: &[MessageRow]) -> String {
    let recent = history.len().saturating_sub(HISTORY);
    let (older, last) = history.split_at(recent);
    let mut earlier: Vec<String> = Vec::new();
    let mut room = EARLIER_QUESTIONS;
    for m in older.iter().rev().filter(|m| m.role == "user") {
        let line: String = m.content.split_whitespace().collect::<Vec<_>>().join(" ");
        let size = line.chars().count();
        if size > room {
            break;
        }
        room -= size;
        earlier.push(format!("- {line}"));
    }
    earlier.reverse();
    let mut parts = Vec::new();
    if !earlier.is_empty() {
        parts.push(format!(
            "Earlier in this conversation the user asked:\n{}",
            earlier.join("\n")
        ));
    }
    parts.extend(last.iter().map(|m| format!("{}: {}", m.role, m.content)));
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(role: &str, content: &str, n: i64) -> MessageRow {
        MessageRow {
            id: MessageId::new(),
            conversation_id: ConversationId::new(),
            role: role.to_owned(),
            content: content.to_owned(),
            provider: None,
            model: None,
            cost_micros: 0,
            claims: json!([]),
            created_at: Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_secs(n),
        }
    }

    #[test]
    fn a_long_conversation_keeps_its_earlier_questions_and_its_last_ten_messages() {
        let mut history = Vec::new();
        for i in 0..30 {
            history.push(said("user", &format!("question {i}\non two lines"), 2 * i));
            history.push(said("assistant", &format!("answer {i}"), 2 * i + 1));
        }
        let text = conversation_so_far(&history);
        // The last ten messages word for word, in order.
        assert!(
            text.ends_with("user: question 29\non two lines\n\nassistant: answer 29"),
            "{text}"
        );
        assert!(
            text.contains("user: question 25") && !text.contains("user: question 24"),
            "{text}"
        );
        // Before them the user's questions alone, oldest first, each on one line.
        assert!(text.starts_with("Earlier in this conversation the user asked:\n- question 0 on two lines\n- question 1 on two lines"), "{text}");
        assert!(
            text.contains("- question 24 on two lines\n\nuser: question 25"),
            "{text}"
        );
        assert!(
            !text.contains("answer 24"),
            "older answers are left out: {text}"
        );
    }

    #[test]
    fn the_earlier_questions_keep_to_their_budget_newest_first() {
        let long = "word ".repeat(180);
        let mut history: Vec<MessageRow> = (0..12)
            .map(|i| said("user", &format!("{i} {long}"), i))
            .collect();
        history.extend((12..22).map(|i| said("assistant", "fine", i)));
        let text = conversation_so_far(&history);
        let kept = text.matches("\n- ").count();
        // 4,000 characters hold four questions of about 900: the newest four of the twelve.
        assert_eq!(kept, 4, "{text}");
        assert!(
            text.contains("- 11 word") && !text.contains("- 7 word"),
            "{text}"
        );
        assert_eq!(conversation_so_far(&[]), "");
        assert_eq!(
            conversation_so_far(&history[..1]),
            format!("user: 0 {long}")
        );
    }
}
