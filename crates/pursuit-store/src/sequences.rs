//! Outreach sequence templates and their steps (migration 0032). Every function takes the
//! owner; another user's template or step is not found.

use jiff::Timestamp;
use pursuit_domain::ids::{SequenceStepId, SequenceTemplateId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct TemplateRow {
    pub id: SequenceTemplateId,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A step as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    pub id: SequenceStepId,
    pub template_id: SequenceTemplateId,
    pub position: i64,
    pub step: Step,
    pub char_count: i64,
    pub spam: Option<SpamSnapshot>,
    pub updated_at: Timestamp,
}

/// What a step says.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub offset_days: i64,
    pub subject: String,
    pub body: String,
    /// `short`, `medium` or `long`.
    pub length_preset: String,
}

/// The last spam check of a step's text.
#[derive(Clone, Debug, PartialEq)]
pub struct SpamSnapshot {
    pub score: f64,
    pub words: Vec<String>,
    pub checked_at: Timestamp,
}

fn template(row: &Row) -> Result<TemplateRow, StoreError> {
    Ok(TemplateRow {
        id: SequenceTemplateId(row.get("id")?),
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

const STEP_COLUMNS: &str = "id, template_id, position, label, offset_days, subject, body, length_preset, \
     char_count, spam_score, spam_words, spam_checked_at, updated_at";

fn step(row: &Row) -> Result<StepRow, StoreError> {
    let score: Option<f64> = row.get("spam_score")?;
    let words: Option<serde_json::Value> = row.get("spam_words")?;
    let checked: Option<Timestamp> = row.get("spam_checked_at")?;
    Ok(StepRow {
        id: SequenceStepId(row.get("id")?),
        template_id: SequenceTemplateId(row.get("template_id")?),
        position: row.get("position")?,
        step: Step {
            label: row.get("label")?,
            offset_days: row.get("offset_days")?,
            subject: row.get("subject")?,
            body: row.get("body")?,
            length_preset: row.get("length_preset")?,
        },
        char_count: row.get("char_count")?,
        spam: match (score, checked) {
            (Some(score), Some(checked_at)) => Some(SpamSnapshot {
                score,
                words: words
                    .and_then(|w| serde_json::from_value(w).ok())
                    .unwrap_or_default(),
                checked_at,
            }),
            _ => None,
        },
        updated_at: row.get("updated_at")?,
    })
}

pub async fn insert_template(
    mut conn: impl Conn,
    user_id: UserId,
    id: SequenceTemplateId,
    name: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO sequence_templates (id, user_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id)
        .bind(user_id)
        .bind(name)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Renames a template and stamps it changed; false when the user has no such template.
pub async fn touch_template(
    mut conn: impl Conn,
    user_id: UserId,
    id: SequenceTemplateId,
    name: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE sequence_templates SET name = $3, updated_at = $4 WHERE user_id = $1 AND id = $2",
            )
            .bind(user_id)
            .bind(id)
            .bind(name)
            .bind(now),
        )
        .await?;
    Ok(done > 0)
}

pub async fn get_template(
    mut conn: impl Conn,
    user_id: UserId,
    id: SequenceTemplateId,
) -> Result<Option<TemplateRow>, StoreError> {
    conn.fetch_optional(
        query(
            "SELECT id, name, created_at, updated_at FROM sequence_templates WHERE user_id = $1 AND id = $2",
        )
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(template)
    .transpose()
}

pub async fn list_templates(
    mut conn: impl Conn,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<TemplateRow>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT id, name, created_at, updated_at FROM sequence_templates WHERE user_id = $1 \
                 ORDER BY name, id LIMIT $2",
            )
            .bind(user_id)
            .bind(limit),
        )
        .await?;
    rows.iter().map(template).collect()
}

pub async fn count_templates(mut conn: impl Conn, user_id: UserId) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(
            query("SELECT COUNT(*) AS n FROM sequence_templates WHERE user_id = $1").bind(user_id),
        )
        .await?;
    row.get("n")
}

pub async fn delete_template(
    mut conn: impl Conn,
    user_id: UserId,
    id: SequenceTemplateId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM sequence_templates WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// A template's steps in order.
pub async fn steps(
    mut conn: impl Conn,
    user_id: UserId,
    template: SequenceTemplateId,
) -> Result<Vec<StepRow>, StoreError> {
    let rows = conn
        .fetch_all(
            crate::sql::Query::dynamic(format!(
                "SELECT {STEP_COLUMNS} FROM sequence_steps WHERE user_id = $1 AND template_id = $2 ORDER BY position"
            ))
            .bind(user_id)
            .bind(template),
        )
        .await?;
    rows.iter().map(step).collect()
}

pub async fn get_step(
    mut conn: impl Conn,
    user_id: UserId,
    id: SequenceStepId,
) -> Result<Option<StepRow>, StoreError> {
    conn.fetch_optional(
        crate::sql::Query::dynamic(format!(
            "SELECT {STEP_COLUMNS} FROM sequence_steps WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(step)
    .transpose()
}

/// Writes the step at `position` of a template: a new row, or the one there changed in
/// place (its id kept).
#[allow(clippy::too_many_arguments)]
pub async fn put_step(
    mut conn: impl Conn,
    user_id: UserId,
    template: SequenceTemplateId,
    position: i64,
    s: &Step,
    char_count: i64,
    spam: Option<&SpamSnapshot>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO sequence_steps (id, template_id, user_id, position, label, offset_days, subject, body, \
             length_preset, char_count, spam_score, spam_words, spam_checked_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
             ON CONFLICT (template_id, position) DO UPDATE SET label = excluded.label, \
             offset_days = excluded.offset_days, subject = excluded.subject, body = excluded.body, \
             length_preset = excluded.length_preset, char_count = excluded.char_count, \
             spam_score = excluded.spam_score, spam_words = excluded.spam_words, \
             spam_checked_at = excluded.spam_checked_at, updated_at = excluded.updated_at",
        )
        .bind(SequenceStepId::new())
        .bind(template)
        .bind(user_id)
        .bind(position)
        .bind(s.label.as_str())
        .bind(s.offset_days)
        .bind(s.subject.as_str())
        .bind(s.body.as_str())
        .bind(s.length_preset.as_str())
        .bind(char_count)
        .bind(spam.map(|x| x.score))
        .bind(spam.map(|x| serde_json::json!(x.words)))
        .bind(spam.map(|x| x.checked_at))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Drops a template's steps after `last` (a shorter sequence).
pub async fn drop_steps_after(
    mut conn: impl Conn,
    user_id: UserId,
    template: SequenceTemplateId,
    last: i64,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "DELETE FROM sequence_steps WHERE user_id = $1 AND template_id = $2 AND position > $3",
        )
        .bind(user_id)
        .bind(template)
        .bind(last),
    )
    .await
}
