//! A company's details and research (migration 0028). Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::ids::{CompanyId, UserId};
use serde_json::Value;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct CompanyRow {
    pub id: CompanyId,
    pub name: String,
    /// The name normalized (`pursuit_domain::company::company_key`): one company per key.
    pub name_key: String,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub headquarters: Option<String>,
    /// IANA.
    pub time_zone: Option<String>,
    /// `{summary, facts, sources, provider, model}`; `{}` before any research.
    pub research: Value,
    pub last_refreshed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// The details the user gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    pub website: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub headquarters: Option<String>,
    pub time_zone: Option<String>,
}

const COLUMNS: &str = "id, name, name_key, website, industry, size, headquarters, time_zone, research, \
     last_refreshed_at, created_at";

fn from_row(row: &Row) -> Result<CompanyRow, StoreError> {
    Ok(CompanyRow {
        id: CompanyId(row.get("id")?),
        name: row.get("name")?,
        name_key: row.get("name_key")?,
        website: row.get("website")?,
        industry: row.get("industry")?,
        size: row.get("size")?,
        headquarters: row.get("headquarters")?,
        time_zone: row.get("time_zone")?,
        research: row.get("research")?,
        last_refreshed_at: row.get("last_refreshed_at")?,
        created_at: row.get("created_at")?,
    })
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: CompanyId,
) -> Result<Option<CompanyRow>, StoreError> {
    let row = conn
        .fetch_optional(
            crate::sql::Query::dynamic(format!(
                "SELECT {COLUMNS} FROM companies WHERE user_id = $1 AND id = $2"
            ))
            .bind(user_id)
            .bind(id),
        )
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Replaces the details of one of the user's companies; false when there is none.
pub async fn set_details(
    mut conn: impl Conn,
    user_id: UserId,
    id: CompanyId,
    d: &Details,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE companies SET website = $3, industry = $4, size = $5, headquarters = $6, \
                 time_zone = $7 WHERE user_id = $1 AND id = $2",
            )
            .bind(user_id)
            .bind(id)
            .bind(d.website.as_deref())
            .bind(d.industry.as_deref())
            .bind(d.size.as_deref())
            .bind(d.headquarters.as_deref())
            .bind(d.time_zone.as_deref()),
        )
        .await?;
    Ok(done > 0)
}

/// Keeps research on one of the user's companies; false when there is none.
pub async fn set_research(
    mut conn: impl Conn,
    user_id: UserId,
    id: CompanyId,
    research: &Value,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "UPDATE companies SET research = $3, last_refreshed_at = $4 \
                 WHERE user_id = $1 AND id = $2",
            )
            .bind(user_id)
            .bind(id)
            .bind(research.clone())
            .bind(at),
        )
        .await?;
    Ok(done > 0)
}
