//! The audit log: security-relevant events, appended, listed per user.

use jiff::Timestamp;
use pursuit_domain::ids::{AuditId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, Default)]
pub struct NewAuditEntry {
    pub user_id: Option<UserId>,
    pub action: &'static str,
    pub entity_type: Option<&'static str>,
    pub entity_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<serde_json::Value>,
}

#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub id: AuditId,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub at: Timestamp,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<serde_json::Value>,
}

pub async fn insert_audit(
    mut conn: impl Conn,
    entry: &NewAuditEntry,
    now: Timestamp,
) -> Result<AuditId, StoreError> {
    let id = AuditId::new();
    conn.execute(
        query(
            "INSERT INTO audit_log (id, user_id, action, entity_type, entity_id, at, request_id, ip, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(entry.user_id)
        .bind(entry.action)
        .bind(entry.entity_type)
        .bind(entry.entity_id.clone())
        .bind(now)
        .bind(entry.request_id.clone())
        .bind(entry.ip.clone())
        .bind(entry.detail.clone()),
    )
    .await?;
    Ok(id)
}

fn entry_from_row(row: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: AuditId(row.get("id")?),
        action: row.get("action")?,
        entity_type: row.get("entity_type")?,
        entity_id: row.get("entity_id")?,
        at: row.get("at")?,
        request_id: row.get("request_id")?,
        ip: row.get("ip")?,
        detail: row.get("detail")?,
    })
}

/// The user's entries, newest first, after the `(at, id)` position of the previous page.
pub async fn list_audit(
    mut conn: impl Conn,
    user_id: UserId,
    after: Option<(Timestamp, AuditId)>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    const COLUMNS: &str =
        "SELECT id, action, entity_type, entity_id, at, request_id, ip, detail FROM audit_log";
    let rows = match after {
        None => {
            conn.fetch_all(
                crate::Query::dynamic(format!(
                    "{COLUMNS} WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
                ))
                .bind(user_id)
                .bind(limit),
            )
            .await?
        }
        Some((at, id)) => {
            conn.fetch_all(
                crate::Query::dynamic(format!(
                    "{COLUMNS} WHERE user_id = $1 AND (at < $2 OR (at = $2 AND id < $3)) \
                     ORDER BY at DESC, id DESC LIMIT $4"
                ))
                .bind(user_id)
                .bind(at)
                .bind(id)
                .bind(limit),
            )
            .await?
        }
    };
    rows.iter().map(entry_from_row).collect()
}
