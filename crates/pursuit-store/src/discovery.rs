//! Job discovery (migration 0041): saved searches, their runs, the jobs they found (one row
//! per job) with each board's listing of it, and the validators for conditional requests.

use jiff::Timestamp;
use pursuit_domain::ids::{
    ApplicationId, DiscoveredJobId, DiscoveryRunId, JobId, JobSearchId, UserId,
};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, StringList, Value, placeholders};

/// A saved search.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRow {
    pub id: JobSearchId,
    pub user_id: UserId,
    pub name: String,
    pub titles: Vec<String>,
    pub locations: Vec<String>,
    /// `any`, `only` or `exclude`.
    pub remote: String,
    pub sources: Vec<String>,
    pub boards: Vec<String>,
    pub links: Vec<String>,
    pub enabled: bool,
    pub email_digest: bool,
    pub last_run_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const SEARCH_COLUMNS: &str = "id, user_id, name, titles, locations, remote, sources, boards, links, \
     enabled, email_digest, last_run_at, created_at, updated_at";

fn search_from_row(r: &Row) -> Result<SearchRow, StoreError> {
    Ok(SearchRow {
        id: JobSearchId(r.get("id")?),
        user_id: UserId(r.get("user_id")?),
        name: r.get("name")?,
        titles: r.get::<StringList>("titles")?.0,
        locations: r.get::<StringList>("locations")?.0,
        remote: r.get("remote")?,
        sources: r.get::<StringList>("sources")?.0,
        boards: r.get::<StringList>("boards")?.0,
        links: r.get::<StringList>("links")?.0,
        enabled: r.get("enabled")?,
        email_digest: r.get("email_digest")?,
        last_run_at: r.get("last_run_at")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn list(values: &[String]) -> serde_json::Value {
    serde_json::Value::from(values.to_vec())
}

/// Stores a search, new or changed (its id decides).
pub async fn save_search(mut conn: impl Conn, row: &SearchRow) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO job_searches (id, user_id, name, titles, locations, remote, sources, boards, \
             links, enabled, email_digest, last_run_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, titles = excluded.titles, \
             locations = excluded.locations, remote = excluded.remote, sources = excluded.sources, \
             boards = excluded.boards, links = excluded.links, enabled = excluded.enabled, \
             email_digest = excluded.email_digest, updated_at = excluded.updated_at",
        )
        .bind(row.id)
        .bind(row.user_id)
        .bind(row.name.as_str())
        .bind(list(&row.titles))
        .bind(list(&row.locations))
        .bind(row.remote.as_str())
        .bind(list(&row.sources))
        .bind(list(&row.boards))
        .bind(list(&row.links))
        .bind(row.enabled)
        .bind(row.email_digest)
        .bind(row.last_run_at)
        .bind(row.created_at)
        .bind(row.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn get_search(
    mut conn: impl Conn,
    user: UserId,
    id: JobSearchId,
) -> Result<Option<SearchRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {SEARCH_COLUMNS} FROM job_searches WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user),
    )
    .await?
    .as_ref()
    .map(search_from_row)
    .transpose()
}

/// The user's searches, oldest first.
pub async fn searches(mut conn: impl Conn, user: UserId) -> Result<Vec<SearchRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {SEARCH_COLUMNS} FROM job_searches WHERE user_id = $1 ORDER BY created_at, id"
        ))
        .bind(user),
    )
    .await?
    .iter()
    .map(search_from_row)
    .collect()
}

pub async fn delete_search(
    mut conn: impl Conn,
    user: UserId,
    id: JobSearchId,
) -> Result<bool, StoreError> {
    let deleted = conn
        .execute(
            query("DELETE FROM job_searches WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user),
        )
        .await?;
    Ok(deleted == 1)
}

/// Enabled searches whose last run finished before `before` (or never ran) and that have no
/// run waiting or running, oldest first, at most `limit`.
pub async fn due_searches(
    mut conn: impl Conn,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<SearchRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {SEARCH_COLUMNS} FROM job_searches s WHERE enabled = $1 \
             AND (last_run_at IS NULL OR last_run_at < $2) \
             AND NOT EXISTS (SELECT 1 FROM discovery_runs r WHERE r.search_id = s.id \
             AND r.status IN ('queued', 'running')) \
             ORDER BY last_run_at IS NOT NULL, last_run_at, created_at LIMIT $3"
        ))
        .bind(true)
        .bind(before)
        .bind(limit),
    )
    .await?
    .iter()
    .map(search_from_row)
    .collect()
}

/// One run of a search.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    pub id: DiscoveryRunId,
    pub user_id: UserId,
    pub search_id: JobSearchId,
    pub job_id: Option<JobId>,
    /// `schedule` or `manual`.
    pub trigger: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// One entry per source asked (see `pursuit_app::discovery::SourceReport`).
    pub sources: serde_json::Value,
    pub fetched: i64,
    pub new: i64,
    pub duplicate: i64,
    pub failed: i64,
    pub error: Option<String>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const RUN_COLUMNS: &str = "id, user_id, search_id, job_id, trigger, status, sources, fetched, new, \
     duplicate, failed, error, started_at, finished_at, created_at";

fn run_from_row(r: &Row) -> Result<RunRow, StoreError> {
    Ok(RunRow {
        id: DiscoveryRunId(r.get("id")?),
        user_id: UserId(r.get("user_id")?),
        search_id: JobSearchId(r.get("search_id")?),
        job_id: r.get::<Option<uuid::Uuid>>("job_id")?.map(JobId),
        trigger: r.get("trigger")?,
        status: r.get("status")?,
        sources: r.get("sources")?,
        fetched: r.get("fetched")?,
        new: r.get("new")?,
        duplicate: r.get("duplicate")?,
        failed: r.get("failed")?,
        error: r.get("error")?,
        started_at: r.get("started_at")?,
        finished_at: r.get("finished_at")?,
        created_at: r.get("created_at")?,
    })
}

pub async fn insert_run(mut conn: impl Conn, row: &RunRow) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO discovery_runs (id, user_id, search_id, job_id, trigger, status, sources, \
             fetched, new, duplicate, failed, error, started_at, finished_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(row.id)
        .bind(row.user_id)
        .bind(row.search_id)
        .bind(row.job_id)
        .bind(row.trigger.as_str())
        .bind(row.status.as_str())
        .bind(row.sources.clone())
        .bind(row.fetched)
        .bind(row.new)
        .bind(row.duplicate)
        .bind(row.failed)
        .bind(row.error.as_deref())
        .bind(row.started_at)
        .bind(row.finished_at)
        .bind(row.created_at),
    )
    .await?;
    Ok(())
}

/// Records a run's state and figures (and, once it is over, the search's `last_run_at`).
pub async fn update_run(mut conn: impl Conn, row: &RunRow) -> Result<(), StoreError> {
    conn.execute(
        query(
            "UPDATE discovery_runs SET job_id = $2, status = $3, sources = $4, fetched = $5, \
             new = $6, duplicate = $7, failed = $8, error = $9, started_at = $10, finished_at = $11 \
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(row.job_id)
        .bind(row.status.as_str())
        .bind(row.sources.clone())
        .bind(row.fetched)
        .bind(row.new)
        .bind(row.duplicate)
        .bind(row.failed)
        .bind(row.error.as_deref())
        .bind(row.started_at)
        .bind(row.finished_at),
    )
    .await?;
    if let Some(finished) = row.finished_at {
        conn.execute(
            query("UPDATE job_searches SET last_run_at = $2 WHERE id = $1")
                .bind(row.search_id)
                .bind(finished),
        )
        .await?;
    }
    Ok(())
}

pub async fn get_run(
    mut conn: impl Conn,
    user: UserId,
    id: DiscoveryRunId,
) -> Result<Option<RunRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {RUN_COLUMNS} FROM discovery_runs WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user),
    )
    .await?
    .as_ref()
    .map(run_from_row)
    .transpose()
}

/// A run, whoever's it is (the worker's look-up).
pub async fn run_by_id(
    mut conn: impl Conn,
    id: DiscoveryRunId,
) -> Result<Option<RunRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {RUN_COLUMNS} FROM discovery_runs WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(run_from_row)
    .transpose()
}

/// Records each job's match to the resume version `scored_for` names.
pub async fn set_scores(
    mut conn: impl Conn,
    user: UserId,
    scored_for: &str,
    scores: &[(DiscoveredJobId, i64, String)],
) -> Result<(), StoreError> {
    for (id, score, reason) in scores {
        conn.execute(
            query(
                "UPDATE discovered_jobs SET score = $3, reason = $4, scored_for = $5 \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(*id)
            .bind(user)
            .bind(*score)
            .bind(reason.as_str())
            .bind(scored_for),
        )
        .await?;
    }
    Ok(())
}

/// The user's open jobs (new, live) not scored against `scored_for`, newest first, at
/// most `limit`.
pub async fn unscored(
    mut conn: impl Conn,
    user: UserId,
    scored_for: &str,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {JOB_COLUMNS} FROM discovered_jobs WHERE user_id = $1 AND status = 'new' \
             AND expired_at IS NULL AND (scored_for IS NULL OR scored_for <> $2) \
             ORDER BY first_seen_at DESC, id LIMIT $3"
        ))
        .bind(user)
        .bind(scored_for)
        .bind(limit),
    )
    .await?
    .iter()
    .map(job_from_row)
    .collect()
}

/// The user's runs (of one search, or all), newest first, at most `limit`.
pub async fn runs(
    mut conn: impl Conn,
    user: UserId,
    search: Option<JobSearchId>,
    limit: i64,
) -> Result<Vec<RunRow>, StoreError> {
    let q = match search {
        Some(search) => Query::dynamic(format!(
            "SELECT {RUN_COLUMNS} FROM discovery_runs WHERE user_id = $1 AND search_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        ))
        .bind(user)
        .bind(search)
        .bind(limit),
        None => Query::dynamic(format!(
            "SELECT {RUN_COLUMNS} FROM discovery_runs WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user)
        .bind(limit),
    };
    conn.fetch_all(q).await?.iter().map(run_from_row).collect()
}

/// A discovered job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobRow {
    pub id: DiscoveredJobId,
    pub user_id: UserId,
    pub search_id: Option<JobSearchId>,
    pub key: String,
    pub company_key: String,
    /// The company key's first word (`pursuit_text::boards::company_head`).
    pub company_head: String,
    pub canonical_url: String,
    pub url: String,
    pub title: String,
    pub company: String,
    pub location: Option<String>,
    pub remote: Option<String>,
    pub employment_type: Option<String>,
    pub description: String,
    pub posted_at: Option<Timestamp>,
    /// `new`, `saved` or `dismissed`.
    pub status: String,
    pub application_id: Option<ApplicationId>,
    pub score: Option<i64>,
    pub reason: Option<String>,
    /// The resume version (and its last change) the score is against.
    pub scored_for: Option<String>,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expired_at: Option<Timestamp>,
    pub reposted_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

const JOB_COLUMNS: &str = "id, user_id, search_id, key, company_key, company_head, canonical_url, url, title, company, \
     location, remote, employment_type, description, posted_at, status, application_id, score, \
     reason, scored_for, first_seen_at, last_seen_at, expired_at, reposted_at, updated_at";

fn job_from_row(r: &Row) -> Result<JobRow, StoreError> {
    Ok(JobRow {
        id: DiscoveredJobId(r.get("id")?),
        user_id: UserId(r.get("user_id")?),
        search_id: r.get::<Option<uuid::Uuid>>("search_id")?.map(JobSearchId),
        key: r.get("key")?,
        company_key: r.get("company_key")?,
        company_head: r.get("company_head")?,
        canonical_url: r.get("canonical_url")?,
        url: r.get("url")?,
        title: r.get("title")?,
        company: r.get("company")?,
        location: r.get("location")?,
        remote: r.get("remote")?,
        employment_type: r.get("employment_type")?,
        description: r.get("description")?,
        posted_at: r.get("posted_at")?,
        status: r.get("status")?,
        application_id: r
            .get::<Option<uuid::Uuid>>("application_id")?
            .map(ApplicationId),
        score: r.get("score")?,
        reason: r.get("reason")?,
        scored_for: r.get("scored_for")?,
        first_seen_at: r.get("first_seen_at")?,
        last_seen_at: r.get("last_seen_at")?,
        expired_at: r.get("expired_at")?,
        reposted_at: r.get("reposted_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// A board's listing of a discovered job.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    pub user_id: UserId,
    pub source: String,
    pub source_id: String,
    pub job_id: DiscoveredJobId,
    pub feed: String,
    pub url: String,
    pub first_seen_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub gone_at: Option<Timestamp>,
}

const SOURCE_COLUMNS: &str =
    "user_id, source, source_id, job_id, feed, url, first_seen_at, last_seen_at, gone_at";

fn source_from_row(r: &Row) -> Result<SourceRow, StoreError> {
    Ok(SourceRow {
        user_id: UserId(r.get("user_id")?),
        source: r.get("source")?,
        source_id: r.get("source_id")?,
        job_id: DiscoveredJobId(r.get("job_id")?),
        feed: r.get("feed")?,
        url: r.get("url")?,
        first_seen_at: r.get("first_seen_at")?,
        last_seen_at: r.get("last_seen_at")?,
        gone_at: r.get("gone_at")?,
    })
}

/// The most values one `IN (…)` list binds (SQLite allows 32,766 in all).
const CHUNK: usize = 500;

/// Runs `sql` once per chunk of `values`, its `{in}` the chunk's placeholders after the
/// `fixed` values' (`$1`…): every row of every chunk.
async fn fetch_in(
    conn: &mut impl Conn,
    sql: &str,
    fixed: &[Value],
    values: &[Value],
) -> Result<Vec<Row>, StoreError> {
    let mut rows = Vec::new();
    for chunk in values.chunks(CHUNK) {
        rows.extend(conn.fetch_all(in_query(sql, fixed, chunk)).await?);
    }
    Ok(rows)
}

/// [`fetch_in`] for statements that change rows.
async fn execute_in(
    conn: &mut impl Conn,
    sql: &str,
    fixed: &[Value],
    values: &[Value],
) -> Result<(), StoreError> {
    for chunk in values.chunks(CHUNK) {
        conn.execute(in_query(sql, fixed, chunk)).await?;
    }
    Ok(())
}

fn in_query(sql: &str, fixed: &[Value], chunk: &[Value]) -> Query {
    let sql = sql.replace("{in}", &placeholders(fixed.len() + 1, chunk.len()));
    fixed
        .iter()
        .chain(chunk)
        .fold(Query::dynamic(sql), |q, v| q.bind(v.clone()))
}

fn texts(values: &[String]) -> Vec<Value> {
    values.iter().map(|v| Value::from(v.as_str())).collect()
}

fn ids(values: &[DiscoveredJobId]) -> Vec<Value> {
    values.iter().map(|v| Value::from(*v)).collect()
}

/// The user's jobs of the companies whose key starts with the words given
/// (`company_head`): each job's id and company key, to pick the candidates from before
/// reading them whole.
pub async fn companies_of(
    mut conn: impl Conn,
    user: UserId,
    company_heads: &[String],
) -> Result<Vec<(DiscoveredJobId, String)>, StoreError> {
    fetch_in(
        &mut conn,
        "SELECT id, company_key FROM discovered_jobs WHERE user_id = $1 AND company_head IN ({in})",
        &[user.into()],
        &texts(company_heads),
    )
    .await?
    .iter()
    .map(|row| Ok((DiscoveredJobId(row.get("id")?), row.get("company_key")?)))
    .collect()
}

/// The user's jobs with the given ids, and those at the links given (`canonical_url`).
pub async fn jobs_by_ids_or_urls(
    mut conn: impl Conn,
    user: UserId,
    job_ids: &[DiscoveredJobId],
    canonical_urls: &[String],
) -> Result<Vec<JobRow>, StoreError> {
    let mut found: Vec<JobRow> = Vec::new();
    for (column, values) in [
        ("id", ids(job_ids)),
        ("canonical_url", texts(canonical_urls)),
    ] {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM discovered_jobs WHERE user_id = $1 AND {column} IN ({{in}})"
        );
        for row in fetch_in(&mut conn, &sql, &[user.into()], &values).await? {
            let job = job_from_row(&row)?;
            if !found.iter().any(|j| j.id == job.id) {
                found.push(job);
            }
        }
    }
    Ok(found)
}

/// The listings of `source` with the given ids the user has already.
pub async fn listed(
    mut conn: impl Conn,
    user: UserId,
    source: &str,
    source_ids: &[String],
) -> Result<Vec<SourceRow>, StoreError> {
    let sql = format!(
        "SELECT {SOURCE_COLUMNS} FROM discovered_sources WHERE user_id = $1 AND source = $2 \
         AND source_id IN ({{in}})"
    );
    fetch_in(
        &mut conn,
        &sql,
        &[user.into(), source.into()],
        &texts(source_ids),
    )
    .await?
    .iter()
    .map(source_from_row)
    .collect()
}

/// The most rows one multi-row insert carries.
const ROWS: usize = 200;

/// `INSERT INTO {into} VALUES (…), (…) {tail}`, at most [`ROWS`] rows a statement.
async fn insert_rows(
    conn: &mut impl Conn,
    into: &str,
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS) {
        let width = chunk.first().map_or(0, Vec::len);
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(1 + i * width, width)))
            .collect();
        let q = chunk.iter().flatten().fold(
            Query::dynamic(format!(
                "INSERT INTO {into} VALUES {} {tail}",
                values.join(", ")
            )),
            |q, v| q.bind(v.clone()),
        );
        conn.execute(q).await?;
    }
    Ok(())
}

/// Adds new jobs, many rows per statement.
pub async fn insert_jobs(mut conn: impl Conn, rows: &[JobRow]) -> Result<(), StoreError> {
    let rows = rows
        .iter()
        .map(|row| {
            query("")
                .bind(row.id)
                .bind(row.user_id)
                .bind(row.search_id)
                .bind(row.key.as_str())
                .bind(row.company_key.as_str())
                .bind(row.company_head.as_str())
                .bind(row.canonical_url.as_str())
                .bind(row.url.as_str())
                .bind(row.title.as_str())
                .bind(row.company.as_str())
                .bind(row.location.as_deref())
                .bind(row.remote.as_deref())
                .bind(row.employment_type.as_deref())
                .bind(row.description.as_str())
                .bind(row.posted_at)
                .bind(row.status.as_str())
                .bind(row.application_id)
                .bind(row.score)
                .bind(row.reason.as_deref())
                .bind(row.scored_for.as_deref())
                .bind(row.first_seen_at)
                .bind(row.last_seen_at)
                .bind(row.expired_at)
                .bind(row.reposted_at)
                .bind(row.updated_at)
                .into_args()
        })
        .collect();
    insert_rows(
        &mut conn,
        &format!("discovered_jobs ({JOB_COLUMNS})"),
        "",
        rows,
    )
    .await
}

/// Adds board listings, many rows per statement.
pub async fn insert_sources(mut conn: impl Conn, rows: &[SourceRow]) -> Result<(), StoreError> {
    let rows = rows
        .iter()
        .map(|row| {
            query("")
                .bind(row.user_id)
                .bind(row.source.as_str())
                .bind(row.source_id.as_str())
                .bind(row.job_id)
                .bind(row.feed.as_str())
                .bind(row.url.as_str())
                .bind(row.first_seen_at)
                .bind(row.last_seen_at)
                .bind(row.gone_at)
                .into_args()
        })
        .collect();
    insert_rows(
        &mut conn,
        &format!("discovered_sources ({SOURCE_COLUMNS})"),
        "ON CONFLICT DO NOTHING",
        rows,
    )
    .await
}

/// Marks listings seen again at `now` (no longer gone).
pub async fn seen_again(
    mut conn: impl Conn,
    user: UserId,
    source: &str,
    source_ids: &[String],
    now: Timestamp,
) -> Result<(), StoreError> {
    execute_in(
        &mut conn,
        "UPDATE discovered_sources SET last_seen_at = $1, gone_at = NULL \
         WHERE user_id = $2 AND source = $3 AND source_id IN ({in})",
        &[now.into(), user.into(), source.into()],
        &texts(source_ids),
    )
    .await
}

/// Marks jobs seen at `now`; those that had expired are reposted (live again).
pub async fn jobs_seen(
    mut conn: impl Conn,
    user: UserId,
    job_ids: &[DiscoveredJobId],
    now: Timestamp,
) -> Result<(), StoreError> {
    execute_in(
        &mut conn,
        "UPDATE discovered_jobs SET last_seen_at = $1, updated_at = $1, \
         reposted_at = CASE WHEN expired_at IS NULL THEN reposted_at ELSE $1 END, \
         expired_at = NULL WHERE user_id = $2 AND id IN ({in})",
        &[now.into(), user.into()],
        &ids(job_ids),
    )
    .await
}

/// After a full read of `feed` (an employer's own board: `greenhouse:`, `lever:`,
/// `ashby:`) at `now`: its listings not seen in it are gone, and their jobs expire unless
/// another employer board still lists them (an aggregator's copy does not keep a job the
/// employer took down alive). Returns how many jobs expired.
pub async fn expire_missing(
    mut conn: impl Conn,
    user: UserId,
    feed: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE discovered_sources SET gone_at = $3 WHERE user_id = $1 AND feed = $2 \
             AND last_seen_at < $3 AND gone_at IS NULL",
        )
        .bind(user)
        .bind(feed)
        .bind(now),
    )
    .await?;
    conn.execute(
        Query::dynamic(format!(
            "UPDATE discovered_jobs SET expired_at = $3, updated_at = $3 WHERE user_id = $1 \
             AND expired_at IS NULL AND id IN (SELECT job_id FROM discovered_sources \
             WHERE user_id = $1 AND feed = $2 AND gone_at = $3) \
             AND NOT EXISTS (SELECT 1 FROM discovered_sources s WHERE s.job_id = discovered_jobs.id \
             AND {EMPLOYER_LISTS_IT})"
        ))
        .bind(user)
        .bind(feed)
        .bind(now),
    )
    .await
}

/// Expires the user's live jobs no board has listed since `before` (an aggregator's
/// listing that stopped showing up). Returns how many.
pub async fn expire_unseen(
    mut conn: impl Conn,
    user: UserId,
    before: Timestamp,
    now: Timestamp,
) -> Result<u64, StoreError> {
    conn.execute(
        query(
            "UPDATE discovered_jobs SET expired_at = $3, updated_at = $3 WHERE user_id = $1 \
             AND expired_at IS NULL AND last_seen_at < $2",
        )
        .bind(user)
        .bind(before)
        .bind(now),
    )
    .await
}

/// The user's open jobs no board has listed since `before` that no employer's board
/// lists (an employer's board says itself whether a job is live), least recently seen
/// first, at most `limit`: those a liveness check asks about.
pub async fn unconfirmed(
    mut conn: impl Conn,
    user: UserId,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {JOB_COLUMNS} FROM discovered_jobs j WHERE user_id = $1 AND status = 'new' \
             AND expired_at IS NULL AND last_seen_at < $2 AND NOT EXISTS (SELECT 1 FROM \
             discovered_sources s WHERE s.job_id = j.id AND {EMPLOYER_LISTS_IT}) \
             ORDER BY last_seen_at, id LIMIT $3"
        ))
        .bind(user)
        .bind(before)
        .bind(limit),
    )
    .await?
    .iter()
    .map(job_from_row)
    .collect()
}

/// A source row `s` of an employer's own board (Greenhouse, Lever, Ashby: the kinds of
/// `pursuit_app::discovery::sources::BOARD_KINDS`, feeds `kind:token`) that still lists its
/// job. Such a board says itself whether a job is live.
const EMPLOYER_LISTS_IT: &str = "s.gone_at IS NULL AND (s.feed LIKE 'greenhouse:%' \
     OR s.feed LIKE 'lever:%' OR s.feed LIKE 'ashby:%')";

/// Expires one job (its page is gone).
pub async fn expire_job(
    mut conn: impl Conn,
    user: UserId,
    id: DiscoveredJobId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE discovered_jobs SET expired_at = $3, updated_at = $3 \
                 WHERE id = $1 AND user_id = $2 AND expired_at IS NULL",
            )
            .bind(id)
            .bind(user)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// What the discovered list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shown {
    /// New and live jobs (not saved, not dismissed, not expired).
    #[default]
    Open,
    Saved,
    Dismissed,
    Expired,
    All,
}

/// The user's discovered jobs, best match first, then newest; at most `limit` after
/// `offset`. The listings of each come with it.
pub async fn jobs(
    mut conn: impl Conn,
    user: UserId,
    shown: Shown,
    search: Option<JobSearchId>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(JobRow, Vec<SourceRow>)>, StoreError> {
    let filter = match shown {
        Shown::Open => "AND status = 'new' AND expired_at IS NULL",
        Shown::Saved => "AND status = 'saved'",
        Shown::Dismissed => "AND status = 'dismissed'",
        Shown::Expired => "AND expired_at IS NOT NULL",
        Shown::All => "",
    };
    let q = match search {
        Some(search) => Query::dynamic(format!(
            "SELECT {JOB_COLUMNS} FROM discovered_jobs WHERE user_id = $1 {filter} AND search_id = $4 \
             ORDER BY score IS NULL, score DESC, first_seen_at DESC, id LIMIT $2 OFFSET $3"
        ))
        .bind(user)
        .bind(limit)
        .bind(offset)
        .bind(search),
        None => Query::dynamic(format!(
            "SELECT {JOB_COLUMNS} FROM discovered_jobs WHERE user_id = $1 {filter} \
             ORDER BY score IS NULL, score DESC, first_seen_at DESC, id LIMIT $2 OFFSET $3"
        ))
        .bind(user)
        .bind(limit)
        .bind(offset),
    };
    let jobs: Vec<JobRow> = conn
        .fetch_all(q)
        .await?
        .iter()
        .map(job_from_row)
        .collect::<Result<_, _>>()?;
    let mut sources = sources_of(&mut conn, &jobs.iter().map(|j| j.id).collect::<Vec<_>>()).await?;
    Ok(jobs
        .into_iter()
        .map(|job| {
            let mine = sources
                .extract_if(.., |s| s.job_id == job.id)
                .collect::<Vec<_>>();
            (job, mine)
        })
        .collect())
}

/// The listings of the given jobs, oldest first.
pub async fn sources_of(
    mut conn: impl Conn,
    jobs: &[DiscoveredJobId],
) -> Result<Vec<SourceRow>, StoreError> {
    let sql = format!(
        "SELECT {SOURCE_COLUMNS} FROM discovered_sources WHERE job_id IN ({{in}}) \
         ORDER BY first_seen_at, source"
    );
    fetch_in(&mut conn, &sql, &[], &ids(jobs))
        .await?
        .iter()
        .map(source_from_row)
        .collect()
}

/// One discovered job with its listings.
pub async fn get_job(
    mut conn: impl Conn,
    user: UserId,
    id: DiscoveredJobId,
) -> Result<Option<(JobRow, Vec<SourceRow>)>, StoreError> {
    let Some(row) = conn
        .fetch_optional(
            Query::dynamic(format!(
                "SELECT {JOB_COLUMNS} FROM discovered_jobs WHERE id = $1 AND user_id = $2"
            ))
            .bind(id)
            .bind(user),
        )
        .await?
    else {
        return Ok(None);
    };
    let job = job_from_row(&row)?;
    let sources = sources_of(&mut conn, &[job.id]).await?;
    Ok(Some((job, sources)))
}

/// Sets a job's status (and the application it was saved as).
pub async fn set_status(
    mut conn: impl Conn,
    user: UserId,
    id: DiscoveredJobId,
    status: &str,
    application: Option<ApplicationId>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE discovered_jobs SET status = $3, application_id = $4, updated_at = $5 \
                 WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user)
            .bind(status)
            .bind(application)
            .bind(now),
        )
        .await?;
    Ok(changed == 1)
}

/// How many of the user's jobs each list holds: open, saved, dismissed, expired.
pub async fn counts(mut conn: impl Conn, user: UserId) -> Result<[i64; 4], StoreError> {
    let row = conn
        .fetch_one(
            query(
                "SELECT \
                 COALESCE(SUM(CASE WHEN status = 'new' AND expired_at IS NULL THEN 1 ELSE 0 END), 0) AS open, \
                 COALESCE(SUM(CASE WHEN status = 'saved' THEN 1 ELSE 0 END), 0) AS saved, \
                 COALESCE(SUM(CASE WHEN status = 'dismissed' THEN 1 ELSE 0 END), 0) AS dismissed, \
                 COALESCE(SUM(CASE WHEN expired_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS expired \
                 FROM discovered_jobs WHERE user_id = $1",
            )
            .bind(user),
        )
        .await?;
    Ok([
        row.get("open")?,
        row.get("saved")?,
        row.get("dismissed")?,
        row.get("expired")?,
    ])
}

/// The validators a source last answered with for a search's URL.
pub async fn validators(
    mut conn: impl Conn,
    search: JobSearchId,
    url: &str,
) -> Result<(Option<String>, Option<String>), StoreError> {
    match conn
        .fetch_optional(
            query(
                "SELECT etag, last_modified FROM discovery_validators WHERE search_id = $1 AND url = $2",
            )
            .bind(search)
            .bind(url),
        )
        .await?
    {
        Some(row) => Ok((row.get("etag")?, row.get("last_modified")?)),
        None => Ok((None, None)),
    }
}

/// Keeps the validators of a read that was stored (never of one that failed: the next run
/// must read it whole).
pub async fn keep_validators(
    mut conn: impl Conn,
    search: JobSearchId,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO discovery_validators (search_id, url, etag, last_modified, checked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (search_id, url) DO UPDATE SET \
             etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at",
        )
        .bind(search)
        .bind(url)
        .bind(etag)
        .bind(last_modified)
        .bind(now),
    )
    .await?;
    Ok(())
}
