//! A user's job preferences: one row, read and written whole. Values arrive normalised
//! (`pursuit_domain::preferences`); this module only keeps them.

use jiff::Timestamp;
use pursuit_domain::ids::UserId;

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::StringList;

/// The stored preferences, enumerations in their normalised spelling.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreferencesRow {
    pub titles: Vec<String>,
    pub locations: Vec<String>,
    pub remote: Option<String>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    pub seniority: Vec<String>,
    pub company_sizes: Vec<String>,
    pub industries: Vec<String>,
    pub experience_years_min: Option<i64>,
    pub experience_years_max: Option<i64>,
    pub willing_to_relocate: bool,
    pub tags: Vec<String>,
    /// None until the user saves preferences.
    pub updated_at: Option<Timestamp>,
}

/// The user's preferences (empty ones until they save some).
pub async fn get(mut conn: impl Conn, user_id: UserId) -> Result<PreferencesRow, StoreError> {
    let row = conn
        .fetch_optional(
            query(
                "SELECT titles, locations, remote, salary_min, salary_max, salary_currency, salary_period, \
                 seniority, company_sizes, industries, experience_years_min, experience_years_max, \
                 willing_to_relocate, tags, updated_at FROM job_preferences WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    let Some(row) = row else {
        return Ok(PreferencesRow::default());
    };
    Ok(PreferencesRow {
        titles: row.get::<StringList>("titles")?.0,
        locations: row.get::<StringList>("locations")?.0,
        remote: row.get("remote")?,
        salary_min: row.get("salary_min")?,
        salary_max: row.get("salary_max")?,
        salary_currency: row.get("salary_currency")?,
        salary_period: row.get("salary_period")?,
        seniority: row.get::<StringList>("seniority")?.0,
        company_sizes: row.get::<StringList>("company_sizes")?.0,
        industries: row.get::<StringList>("industries")?.0,
        experience_years_min: row.get("experience_years_min")?,
        experience_years_max: row.get("experience_years_max")?,
        willing_to_relocate: row.get("willing_to_relocate")?,
        tags: row.get::<StringList>("tags")?.0,
        updated_at: Some(row.get("updated_at")?),
    })
}

/// Replaces the user's preferences.
pub async fn put(
    mut conn: impl Conn,
    user_id: UserId,
    preferences: &PreferencesRow,
    now: Timestamp,
) -> Result<(), StoreError> {
    let list = |items: &Vec<String>| serde_json::json!(items);
    conn.execute(
        query(
            "INSERT INTO job_preferences (user_id, titles, locations, remote, salary_min, salary_max, \
             salary_currency, salary_period, seniority, company_sizes, industries, experience_years_min, \
             experience_years_max, willing_to_relocate, tags, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (user_id) DO UPDATE SET titles = excluded.titles, locations = excluded.locations, \
             remote = excluded.remote, salary_min = excluded.salary_min, salary_max = excluded.salary_max, \
             salary_currency = excluded.salary_currency, salary_period = excluded.salary_period, \
             seniority = excluded.seniority, company_sizes = excluded.company_sizes, \
             industries = excluded.industries, experience_years_min = excluded.experience_years_min, \
             experience_years_max = excluded.experience_years_max, \
             willing_to_relocate = excluded.willing_to_relocate, tags = excluded.tags, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(list(&preferences.titles))
        .bind(list(&preferences.locations))
        .bind(preferences.remote.as_deref())
        .bind(preferences.salary_min)
        .bind(preferences.salary_max)
        .bind(preferences.salary_currency.as_deref())
        .bind(preferences.salary_period.as_deref())
        .bind(list(&preferences.seniority))
        .bind(list(&preferences.company_sizes))
        .bind(list(&preferences.industries))
        .bind(preferences.experience_years_min)
        .bind(preferences.experience_years_max)
        .bind(preferences.willing_to_relocate)
        .bind(list(&preferences.tags))
        .bind(now),
    )
    .await?;
    Ok(())
}
