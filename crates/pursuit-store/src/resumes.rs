//! A user's resume and its versions. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{JobId, ResumeId, ResumeVersionId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

#[derive(Clone, Debug, PartialEq)]
pub struct Resume {
    pub id: ResumeId,
    pub title: String,
    pub active_version_id: Option<ResumeVersionId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub id: ResumeVersionId,
    pub resume_id: ResumeId,
    pub version_no: i64,
    /// The name its owner gave it.
    pub label: Option<String>,
    /// `upload`, `text` or `callback`.
    pub source: String,
    /// What the original is: `pdf`, `docx`, `html`, `markdown`, `text`, `json_resume`.
    pub format: String,
    pub file_name: Option<String>,
    pub byte_size: i64,
    /// The text read from the original (set by the parse).
    pub raw_text: Option<String>,
    /// `pending`, `complete` or `failed`.
    pub parse_status: ParseStatus,
    pub parse_error: Option<String>,
    pub parsed: Option<serde_json::Value>,
    /// The user's corrections: an object laid over `parsed`.
    pub corrections: serde_json::Value,
    /// Hidden text and instructions to screeners found in the original.
    pub hidden: serde_json::Value,
    pub lang: Option<String>,
    /// The queue job of the last parse.
    pub task_id: Option<JobId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The user's resume, made (with `title`) if the user has none yet. Safe when two requests
/// make it at once: the unique key on `user_id` decides.
pub async fn resume_for(
    mut conn: impl Conn,
    user_id: UserId,
    title: &str,
    now: Timestamp,
) -> Result<Resume, StoreError> {
    conn.execute(
        query(
            "INSERT INTO resumes (id, user_id, title, active_version_id, created_at, updated_at) \
             VALUES ($1, $2, $3, NULL, $4, $4) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(ResumeId::new())
        .bind(user_id)
        .bind(title)
        .bind(now),
    )
    .await?;
    get_resume(conn, user_id)
        .await?
        .ok_or_else(|| StoreError::Decode {
            column: "resumes".into(),
            message: "the resume just made is missing".into(),
        })
}

pub async fn get_resume(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Option<Resume>, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT id, title, active_version_id, created_at, updated_at FROM resumes WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    row.map(|row| {
        let active: Option<uuid::Uuid> = row.get("active_version_id")?;
        Ok(Resume {
            id: ResumeId(row.get("id")?),
            title: row.get("title")?,
            active_version_id: active.map(ResumeVersionId),
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        })
    })
    .transpose()
}

/// The next version number of `resume`. Call inside the transaction that inserts the
/// version: touching the resume row first makes concurrent uploads take turns.
pub async fn next_version_no(
    mut conn: impl Conn,
    resume_id: ResumeId,
    now: Timestamp,
) -> Result<i64, StoreError> {
    conn.execute(
        query("UPDATE resumes SET updated_at = $2 WHERE id = $1")
            .bind(resume_id)
            .bind(now),
    )
    .await?;
    let row = conn
        .fetch_one(
            query("SELECT COALESCE(MAX(version_no), 0) + 1 AS next FROM resume_versions WHERE resume_id = $1")
                .bind(resume_id),
        )
        .await?;
    row.get("next")
}

pub async fn insert_version(
    mut conn: impl Conn,
    user_id: UserId,
    version: &Version,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO resume_versions (id, resume_id, user_id, version_no, source, format, file_name, byte_size, \
             raw_text, parse_status, parse_error, parsed, corrections, hidden, lang, task_id, created_at, updated_at, label) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(version.id)
        .bind(version.resume_id)
        .bind(user_id)
        .bind(version.version_no)
        .bind(version.source.as_str())
        .bind(version.format.as_str())
        .bind(version.file_name.clone())
        .bind(version.byte_size)
        .bind(version.raw_text.clone())
        .bind(version.parse_status.as_str())
        .bind(version.parse_error.clone())
        .bind(version.parsed.clone())
        .bind(version.corrections.clone())
        .bind(version.hidden.clone())
        .bind(version.lang.clone())
        .bind(version.task_id)
        .bind(version.created_at)
        .bind(version.updated_at)
        .bind(version.label.clone()),
    )
    .await?;
    Ok(())
}

/// Makes `version` the active one of the user's resume; false if it is not the user's.
pub async fn activate(
    mut conn: impl Conn,
    user_id: UserId,
    version: ResumeVersionId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE resumes SET active_version_id = $2, updated_at = $3 WHERE user_id = $1 \
                 AND EXISTS (SELECT 1 FROM resume_versions v WHERE v.id = $2 AND v.user_id = $1 AND v.resume_id = resumes.id)",
            )
            .bind(user_id)
            .bind(version)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// Names one of the user's versions (`None`: no name); false if it is not the user's.
pub async fn set_label(
    mut conn: impl Conn,
    user_id: UserId,
    version: ResumeVersionId,
    label: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query("UPDATE resume_versions SET label = $3, updated_at = $4 WHERE id = $1 AND user_id = $2")
                .bind(version)
                .bind(user_id)
                .bind(label.map(str::to_owned))
                .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// Deletes one of the user's versions (its chunks and pain points go with it); when it was
/// the active one, the newest remaining version becomes active (none when it was the last).
/// False if it is not the user's.
pub async fn delete_version(
    mut conn: impl Conn,
    user_id: UserId,
    version: ResumeVersionId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let deleted = conn
        .execute(
            query("DELETE FROM resume_versions WHERE id = $1 AND user_id = $2")
                .bind(version)
                .bind(user_id),
        )
        .await?;
    if deleted == 0 {
        return Ok(false);
    }
    conn.execute(
        query(
            "UPDATE resumes SET updated_at = $3, active_version_id = \
               (SELECT v.id FROM resume_versions v WHERE v.resume_id = resumes.id \
                ORDER BY v.version_no DESC LIMIT 1) \
             WHERE user_id = $1 AND active_version_id = $2",
        )
        .bind(user_id)
        .bind(version)
        .bind(now),
    )
    .await?;
    Ok(true)
}

const COLUMNS: &str = "id, resume_id, version_no, label, source, format, file_name, byte_size, raw_text, parse_status, \
     parse_error, parsed, corrections, hidden, lang, task_id, created_at, updated_at";

fn from_row(row: &Row) -> Result<Version, StoreError> {
    let task: Option<uuid::Uuid> = row.get("task_id")?;
    Ok(Version {
        id: ResumeVersionId(row.get("id")?),
        resume_id: ResumeId(row.get("resume_id")?),
        version_no: row.get("version_no")?,
        label: row.get("label")?,
        source: row.get("source")?,
        format: row.get("format")?,
        file_name: row.get("file_name")?,
        byte_size: row.get("byte_size")?,
        raw_text: row.get("raw_text")?,
        parse_status: row.get("parse_status")?,
        parse_error: row.get("parse_error")?,
        parsed: row.get("parsed")?,
        corrections: row.get("corrections")?,
        hidden: row.get("hidden")?,
        lang: row.get("lang")?,
        task_id: task.map(JobId),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub async fn get_version(
    mut conn: impl Conn,
    user_id: UserId,
    id: ResumeVersionId,
) -> Result<Option<Version>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM resume_versions WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user's versions, newest first.
pub async fn list_versions(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<Version>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM resume_versions WHERE user_id = $1 ORDER BY version_no DESC"
        ))
        .bind(user_id),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// What a parse found (Pursuit's own or an outside workflow's).
#[derive(Clone, Debug, PartialEq)]
pub struct ParseOutcome {
    pub status: ParseStatus,
    pub error: Option<String>,
    pub parsed: Option<serde_json::Value>,
    pub raw_text: Option<String>,
    pub hidden: serde_json::Value,
    pub lang: Option<String>,
}

/// Records a parse; false if the version is not the user's. Corrections are not touched.
pub async fn record_parse(
    mut conn: impl Conn,
    user_id: UserId,
    id: ResumeVersionId,
    outcome: &ParseOutcome,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE resume_versions SET parse_status = $3, parse_error = $4, parsed = $5, \
                 raw_text = COALESCE($6, raw_text), hidden = $7, lang = $8, updated_at = $9 \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .bind(outcome.status.as_str())
            .bind(outcome.error.clone())
            .bind(outcome.parsed.clone())
            .bind(outcome.raw_text.clone())
            .bind(outcome.hidden.clone())
            .bind(outcome.lang.clone())
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// Marks a version as waiting for the parse job `task_id`.
pub async fn mark_pending(
    mut conn: impl Conn,
    user_id: UserId,
    id: ResumeVersionId,
    task_id: JobId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE resume_versions SET parse_status = 'pending', parse_error = NULL, task_id = $3, updated_at = $4 \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .bind(task_id)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn set_corrections(
    mut conn: impl Conn,
    user_id: UserId,
    id: ResumeVersionId,
    corrections: &serde_json::Value,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE resume_versions SET corrections = $3, updated_at = $4 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .bind(corrections.clone())
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// Who owns a version (for callbacks, which carry no session).
pub async fn owner_of_version(
    mut conn: impl Conn,
    id: ResumeVersionId,
) -> Result<Option<UserId>, StoreError> {
    let row = conn
        .fetch_optional(query("SELECT user_id FROM resume_versions WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok(UserId(r.get("user_id")?))).transpose()
}
