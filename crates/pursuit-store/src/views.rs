//! Saved views: named filters over a user's applications. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use uuid::Uuid;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct SavedView {
    pub id: Uuid,
    pub name: String,
    /// The filter document, as validated by the API.
    pub filters: serde_json::Value,
    pub seeded: bool,
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, name, filters, seeded, position, created_at, updated_at";

fn from_row(row: &Row) -> Result<SavedView, StoreError> {
    Ok(SavedView {
        id: row.get("id")?,
        name: row.get("name")?,
        filters: row.get("filters")?,
        seeded: row.get("seeded")?,
        position: row.get("position")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// The views every new account starts with (seed 002 §3.5).
pub fn default_views() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "This Week's Follow-ups",
            serde_json::json!({ "due_within_days": 7, "sort": "next_action_due" }),
        ),
        (
            "Active Interviews",
            serde_json::json!({ "status": ["Screening", "Recruiter_Call", "Tech_Screen", "Interview_Loop"] }),
        ),
    ]
}

pub async fn seed_defaults(
    mut conn: impl Conn,
    user_id: UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    for (position, (name, filters)) in default_views().into_iter().enumerate() {
        insert_view(
            &mut conn,
            user_id,
            Uuid::now_v7(),
            name,
            &filters,
            true,
            position as i64,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Adds a view; a name the user already uses is a [`StoreError::UniqueViolation`].
#[allow(clippy::too_many_arguments)]
pub async fn insert_view(
    mut conn: impl Conn,
    user_id: UserId,
    id: Uuid,
    name: &str,
    filters: &serde_json::Value,
    seeded: bool,
    position: i64,
    now: Timestamp,
) -> Result<SavedView, StoreError> {
    conn.execute(
        query(
            "INSERT INTO saved_views (id, user_id, name, filters, seeded, position, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(user_id)
        .bind(name)
        .bind(filters.clone())
        .bind(seeded)
        .bind(position)
        .bind(now),
    )
    .await?;
    get_view(conn, user_id, id)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn get_view(
    mut conn: impl Conn,
    user_id: UserId,
    id: Uuid,
) -> Result<Option<SavedView>, StoreError> {
    conn.fetch_optional(
        crate::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM saved_views WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub async fn list_views(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<SavedView>, StoreError> {
    conn.fetch_all(
        crate::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM saved_views WHERE user_id = $1 ORDER BY position, created_at, id"
        ))
        .bind(user_id),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The next free position (views are listed in the order they were added).
pub async fn next_position(mut conn: impl Conn, user_id: UserId) -> Result<i64, StoreError> {
    conn.fetch_one(query("SELECT CAST(coalesce(max(position), -1) + 1 AS BIGINT) AS n FROM saved_views WHERE user_id = $1").bind(user_id))
        .await?
        .get("n")
}

pub async fn update_view(
    mut conn: impl Conn,
    user_id: UserId,
    id: Uuid,
    name: &str,
    filters: &serde_json::Value,
    now: Timestamp,
) -> Result<Option<SavedView>, StoreError> {
    let updated = conn
        .execute(
            query("UPDATE saved_views SET name = $3, filters = $4, updated_at = $5 WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .bind(name)
                .bind(filters.clone())
                .bind(now),
        )
        .await?;
    if updated == 0 {
        return Ok(None);
    }
    get_view(conn, user_id, id).await
}

pub async fn delete_view(
    mut conn: impl Conn,
    user_id: UserId,
    id: Uuid,
) -> Result<bool, StoreError> {
    Ok(conn
        .execute(
            query("DELETE FROM saved_views WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id),
        )
        .await?
        == 1)
}
