//! Analytics aggregated in SQL from applications and their status history, so a request
//! reads a handful of grouped rows however many applications a user has. The status sets
//! (sent, response, offer, pipeline ranks) come from `pursuit_domain`, written into the SQL
//! as literals of our own enum values.
//!
//! Every query covers the user's applications with an application date in `[from, to]`,
//! archived ones included.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::application::{ApplicationStatus, INTERVIEW_RANK};
use pursuit_domain::ids::UserId;

use crate::db::{Backend, Db};
use crate::error::StoreError;
use crate::sql::Query;

/// `'A', 'B'` for the statuses `keep` accepts.
fn statuses_where(keep: impl Fn(ApplicationStatus) -> bool) -> String {
    ApplicationStatus::ALL
        .iter()
        .filter(|s| keep(**s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The pipeline rank of a status column as SQL: 0 for Applied … 6 for Accepted, -1 outside.
fn rank_of(column: &str) -> String {
    let arms: String = ApplicationStatus::ALL
        .iter()
        .filter_map(|s| {
            s.pipeline_rank()
                .map(|r| format!(" WHEN '{}' THEN {r}", s.as_str()))
        })
        .collect();
    format!("CASE {column}{arms} ELSE -1 END")
}

/// One row per application in range with what its history says: ever sent, ever answered,
/// ever offered, the furthest pipeline stage (history or current status, whichever is
/// further).
fn per_application() -> String {
    let seen = rank_of("h.to_status");
    let current = rank_of("a.status");
    format!(
        "WITH per_app AS (\
           SELECT a.status, a.source, a.application_date, \
             MAX(CASE WHEN a.archived_at IS NULL THEN 0 ELSE 1 END) AS archived, \
             MAX(CASE WHEN h.to_status IN ({sent}) THEN 1 ELSE 0 END) AS sent, \
             MAX(CASE WHEN h.to_status IN ({response}) THEN 1 ELSE 0 END) AS responded, \
             MAX(CASE WHEN h.to_status IN ({offer}) THEN 1 ELSE 0 END) AS offered, \
             MAX(CASE WHEN {seen} > {current} THEN {seen} ELSE {current} END) AS furthest \
           FROM applications a \
           LEFT JOIN application_status_history h ON h.application_id = a.id AND h.user_id = a.user_id \
           WHERE a.user_id = $1 AND a.application_date >= $2 AND a.application_date <= $3 \
           GROUP BY a.id, a.status, a.source, a.application_date)",
        sent = statuses_where(ApplicationStatus::is_sent),
        response = statuses_where(ApplicationStatus::is_response),
        offer = statuses_where(ApplicationStatus::is_offer),
    )
}

fn ranged(sql: String, user_id: UserId, from: Date, to: Date) -> Query {
    Query::dynamic(sql).bind(user_id).bind(from).bind(to)
}

/// Counts over a group of applications.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub applications: i64,
    pub archived: i64,
    /// Ever entered a status past Saved/Draft.
    pub sent: i64,
    /// Ever entered a status past Applied.
    pub responded: i64,
    /// Reached a technical screen or further.
    pub interviewed: i64,
    /// Ever entered Offer, Accepted or Declined.
    pub offered: i64,
}

const COUNTS: &str = "COUNT(*) AS applications, SUM(archived) AS archived, SUM(sent) AS sent, \
     SUM(responded) AS responded, SUM(offered) AS offered, \
     SUM(CASE WHEN furthest >= $4 THEN 1 ELSE 0 END) AS interviewed";

fn counts(row: &crate::Row) -> Result<Counts, StoreError> {
    Ok(Counts {
        applications: row.get("applications")?,
        archived: row.get("archived")?,
        sent: row.get("sent")?,
        responded: row.get("responded")?,
        interviewed: row.get("interviewed")?,
        offered: row.get("offered")?,
    })
}

/// What [`counts_by`] groups applications by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// The current status.
    Status,
    Source,
}

/// [`Counts`] per current status or per source, by the group's name.
pub async fn counts_by(
    db: &Db,
    user_id: UserId,
    grouping: Grouping,
    from: Date,
    to: Date,
) -> Result<Vec<(String, Counts)>, StoreError> {
    let column = match grouping {
        Grouping::Status => "status",
        Grouping::Source => "source",
    };
    let sql = format!(
        "{} SELECT {column} AS grouped, {COUNTS} FROM per_app GROUP BY {column} ORDER BY {column}",
        per_application()
    );
    let rank = i64::try_from(INTERVIEW_RANK).unwrap_or(i64::MAX);
    db.fetch_all(ranged(sql, user_id, from, to).bind(rank))
        .await?
        .iter()
        .map(|row| Ok((row.get("grouped")?, counts(row)?)))
        .collect()
}

/// How many applications got furthest to each pipeline rank (-1: never in the pipeline).
pub async fn furthest_stages(
    db: &Db,
    user_id: UserId,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let sql = format!(
        "{} SELECT CAST(furthest AS BIGINT) AS rank, COUNT(*) AS n FROM per_app GROUP BY furthest",
        per_application()
    );
    db.fetch_all(ranged(sql, user_id, from, to))
        .await?
        .iter()
        .map(|row| Ok((row.get("rank")?, row.get("n")?)))
        .collect()
}

/// Applications per application date.
pub async fn applications_per_day(
    db: &Db,
    user_id: UserId,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, i64)>, StoreError> {
    let sql = "SELECT application_date, COUNT(*) AS n FROM applications \
               WHERE user_id = $1 AND application_date >= $2 AND application_date <= $3 \
               GROUP BY application_date ORDER BY application_date";
    db.fetch_all(ranged(sql.to_owned(), user_id, from, to))
        .await?
        .iter()
        .map(|row| Ok((row.get("application_date")?, row.get("n")?)))
        .collect()
}

/// Stays in one status, from consecutive history entries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stays {
    pub status: String,
    /// Stays that ended (the application moved on) and their total length in days.
    pub completed: i64,
    pub completed_days: f64,
    /// Stays still going at `now` (the application's latest entry) and their length so far.
    pub open: i64,
    pub open_days: f64,
}

/// [`Stays`] per status, up to `now`.
pub async fn stays_by_status(
    db: &Db,
    user_id: UserId,
    from: Date,
    to: Date,
    now: Timestamp,
) -> Result<Vec<Stays>, StoreError> {
    let days = |start: &str, end: &str| match db.backend() {
        Backend::Sqlite => format!("(julianday({end}) - julianday({start}))"),
        Backend::Postgres => format!("(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"),
    };
    let sql = format!(
        "WITH stays AS (\
           SELECT h.to_status, h.changed_at, \
             LEAD(h.changed_at) OVER (PARTITION BY h.application_id ORDER BY h.changed_at, h.id) AS left_at \
           FROM application_status_history h JOIN applications a ON a.id = h.application_id \
           WHERE a.user_id = $1 AND h.user_id = $1 AND a.application_date >= $2 AND a.application_date <= $3) \
         SELECT to_status, \
           SUM(CASE WHEN left_at IS NULL THEN 0 ELSE 1 END) AS completed, \
           CAST(SUM(CASE WHEN left_at IS NULL THEN 0.0 ELSE {done} END) AS DOUBLE PRECISION) AS completed_days, \
           SUM(CASE WHEN left_at IS NULL THEN 1 ELSE 0 END) AS open, \
           CAST(SUM(CASE WHEN left_at IS NULL THEN {open} ELSE 0.0 END) AS DOUBLE PRECISION) AS open_days \
         FROM stays GROUP BY to_status ORDER BY to_status",
        done = days("changed_at", "left_at"),
        open = days("changed_at", "$4"),
    );
    db.fetch_all(ranged(sql, user_id, from, to).bind(now))
        .await?
        .iter()
        .map(|row| {
            Ok(Stays {
                status: row.get("to_status")?,
                completed: row.get("completed")?,
                completed_days: row.get("completed_days")?,
                open: row.get("open")?,
                open_days: row.get("open_days")?,
            })
        })
        .collect()
}
