//! Conversations with the assistant and their messages (migration 0029). Every function
//! takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{ConversationId, MessageId, PostingId, UserId};
use serde_json::Value;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub posting_id: Option<PostingId>,
    pub title: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageRow {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub cost_micros: i64,
    /// The guard's claims on an assistant message (`[]` for the user's).
    pub claims: Value,
    pub created_at: Timestamp,
}

fn conversation(row: &Row) -> Result<ConversationRow, StoreError> {
    Ok(ConversationRow {
        id: ConversationId(row.get("id")?),
        posting_id: row.get::<Option<uuid::Uuid>>("posting_id")?.map(PostingId),
        title: row.get("title")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn message(row: &Row) -> Result<MessageRow, StoreError> {
    Ok(MessageRow {
        id: MessageId(row.get("id")?),
        conversation_id: ConversationId(row.get("conversation_id")?),
        role: row.get("role")?,
        content: row.get("content")?,
        provider: row.get("provider")?,
        model: row.get("model")?,
        cost_micros: row.get("cost_micros")?,
        claims: row.get("claims")?,
        created_at: row.get("created_at")?,
    })
}

pub async fn insert(
    mut conn: impl Conn,
    user_id: UserId,
    c: &ConversationRow,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO conversations (id, user_id, posting_id, title, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(c.id)
        .bind(user_id)
        .bind(c.posting_id)
        .bind(c.title.as_str())
        .bind(c.created_at)
        .bind(c.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: ConversationId,
) -> Result<Option<ConversationRow>, StoreError> {
    conn.fetch_optional(
        query(
            "SELECT id, posting_id, title, created_at, updated_at FROM conversations \
             WHERE user_id = $1 AND id = $2",
        )
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(conversation)
    .transpose()
}

/// The user's conversations, most recently active first (at most `limit`).
pub async fn list(
    mut conn: impl Conn,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<ConversationRow>, StoreError> {
    conn.fetch_all(
        query(
            "SELECT id, posting_id, title, created_at, updated_at FROM conversations \
             WHERE user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit),
    )
    .await?
    .iter()
    .map(conversation)
    .collect()
}

pub async fn delete(
    mut conn: impl Conn,
    user_id: UserId,
    id: ConversationId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM conversations WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// Adds a message to one of the user's conversations and marks it active.
pub async fn add_message(
    mut conn: impl Conn,
    user_id: UserId,
    m: &MessageRow,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO conversation_messages (id, conversation_id, user_id, role, content, \
             provider, model, cost_micros, claims, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(m.id)
        .bind(m.conversation_id)
        .bind(user_id)
        .bind(m.role.as_str())
        .bind(m.content.as_str())
        .bind(m.provider.as_deref())
        .bind(m.model.as_deref())
        .bind(m.cost_micros)
        .bind(m.claims.clone())
        .bind(m.created_at),
    )
    .await?;
    conn.execute(
        query("UPDATE conversations SET updated_at = $3 WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(m.conversation_id)
            .bind(m.created_at),
    )
    .await?;
    Ok(())
}

/// A conversation's messages in order (the newest `limit`).
pub async fn messages(
    mut conn: impl Conn,
    user_id: UserId,
    id: ConversationId,
    limit: i64,
) -> Result<Vec<MessageRow>, StoreError> {
    let mut rows: Vec<MessageRow> = conn
        .fetch_all(
            query(
                "SELECT id, conversation_id, role, content, provider, model, cost_micros, claims, \
                 created_at FROM conversation_messages WHERE user_id = $1 AND conversation_id = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT $3",
            )
            .bind(user_id)
            .bind(id)
            .bind(limit),
        )
        .await?
        .iter()
        .map(message)
        .collect::<Result<_, _>>()?;
    rows.reverse();
    Ok(rows)
}
