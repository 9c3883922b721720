//! Job discovery (issue 26): saved searches run over public job boards every day (and when
//! the user asks), the listings read by `pursuit_text::boards`, kept once per job however
//! many boards list it, ranked by match to the active resume, and saved to the tracker in
//! one step.
//!
//! A run asks each source of its search in turn ([`sources`]): the open boards (Remotive,
//! RemoteOK, Himalayas, We Work Remotely), the keyed search APIs the installation has keys
//! for (SerpAPI Google Jobs, Adzuna), employers' own boards (Greenhouse, Lever, Ashby), and
//! feeds or pages the user gave (RSS/Atom, or a page's schema.org `JobPosting`). Each
//! source's read is kept in its own transaction ([`ingest`]): a source that fails is
//! recorded with why and the others go on; nothing of a failed read is stored. Searches
//! with queries (titles × places) rotate them: each day asks the next
//! [`Settings::queries_per_day`] of them, so keyed sources stay within their quotas.

pub mod client;
pub mod ingest;
pub mod sources;

use std::time::Duration;

use jiff::Timestamp;
use pursuit_domain::ids::{DiscoveredJobId, DiscoveryRunId, JobId, JobSearchId, UserId};
use pursuit_files::fetch::Limits;
use pursuit_store::Db;
use pursuit_store::discovery::{self as store, JobRow, RunRow, SearchRow, Shown, SourceRow};
use pursuit_store::jobs::{EnqueueOptions, JobSpec};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{AppError, Invalid};
use crate::fields::Fields;
pub use sources::{OPEN_SOURCES, Source};

/// Where the sources are and how politely they are asked.
#[derive(Clone, Debug)]
pub struct Settings {
    pub urls: Urls,
    /// SerpAPI's key: without it the `serpapi` source cannot be chosen.
    pub serpapi_key: Option<String>,
    /// Adzuna's application id and key: without them `adzuna` cannot be chosen.
    pub adzuna_keys: Option<(String, String)>,
    /// Adzuna's country (`gb`, `us`, `de`, …).
    pub adzuna_country: String,
    /// The fetcher's limits (size, time, redirects).
    pub limits: Limits,
    /// The least time between two requests to one host.
    pub host_interval: Duration,
    /// Retries of a request that may pass (timeouts, 5xx, 429).
    pub retries: u32,
    /// The first retry's wait; each next one doubles it.
    pub backoff: Duration,
    /// The longest `Retry-After` (or backoff) waited for; longer fails the source for this run.
    pub max_wait: Duration,
    /// How many of a search's queries each day's run asks a query source.
    pub queries_per_day: usize,
    pub user_agent: String,
}

/// Each source's base URL (overridable, so tests can serve recorded answers on 127.0.0.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Urls {
    pub remotive: String,
    pub remoteok: String,
    pub himalayas: String,
    pub weworkremotely: String,
    pub greenhouse: String,
    pub lever: String,
    pub ashby: String,
    pub serpapi: String,
    pub adzuna: String,
}

impl Default for Urls {
    fn default() -> Self {
        Urls {
            remotive: "https://remotive.com/api/remote-jobs".to_owned(),
            remoteok: "https://remoteok.com/api".to_owned(),
            himalayas: "https://himalayas.app/jobs/api".to_owned(),
            weworkremotely: "https://weworkremotely.com/remote-jobs.rss".to_owned(),
            greenhouse: "https://boards-api.greenhouse.io/v1/boards".to_owned(),
            lever: "https://api.lever.co/v0/postings".to_owned(),
            ashby: "https://api.ashbyhq.com/posting-api/job-board".to_owned(),
            serpapi: "https://serpapi.com/search.json".to_owned(),
            adzuna: "https://api.adzuna.com/v1/api/jobs".to_owned(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            urls: Urls::default(),
            serpapi_key: None,
            adzuna_keys: None,
            adzuna_country: "gb".to_owned(),
            limits: Limits {
                max_bytes: 20 * 1024 * 1024,
                timeout: Duration::from_secs(30),
                ..Limits::default()
            },
            host_interval: Duration::from_secs(1),
            retries: 2,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(60),
            queries_per_day: 3,
            user_agent: format!(
                "Pursuit/{} (self-hosted job search; reads public job boards once a day)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

impl Settings {
    /// The sources that need a key this installation has.
    pub fn keyed_available(&self) -> Vec<&'static str> {
        let mut keyed = Vec::new();
        if self.serpapi_key.is_some() {
            keyed.push("serpapi");
        }
        if self.adzuna_keys.is_some() {
            keyed.push("adzuna");
        }
        keyed
    }
}

/// The most searches a user keeps, and the most entries in each of a search's lists.
pub const MAX_SEARCHES: usize = 50;
const MAX_ENTRIES: usize = 30;

/// A search as the user writes it (API body or form), every field checked.
fn checked(
    settings: &Settings,
    body: &Value,
    id: JobSearchId,
    user: UserId,
    created_at: Timestamp,
    now: Timestamp,
) -> Result<SearchRow, AppError> {
    let mut fields = Fields::default();
    if !body.is_object() {
        return Err(AppError::Invalid(vec![Invalid::new(
            "",
            "must be a JSON object",
        )]));
    }
    let name = fields.text("name", &body["name"], 100).flatten();
    let mut list = |field: &str, max_chars: usize| -> Vec<String> {
        let values = fields.strings(field, &body[field]).unwrap_or_default();
        if values.len() > MAX_ENTRIES {
            fields.bad(field, format!("must have at most {MAX_ENTRIES} entries"));
        }
        for (i, value) in values.iter().enumerate() {
            if value.chars().count() > max_chars {
                fields.bad(
                    &format!("{field}/{i}"),
                    format!("must be at most {max_chars} characters"),
                );
            }
        }
        let mut unique: Vec<String> = Vec::new();
        for value in values {
            if !unique.iter().any(|u| u.eq_ignore_ascii_case(&value)) {
                unique.push(value);
            }
        }
        unique
    };
    let titles = list("titles", 100);
    let locations = list("locations", 100);
    let chosen = list("sources", 40);
    let board_texts = list("boards", 300);
    let links = list("links", 2_000);
    let remote = match &body["remote"] {
        Value::Null => "any".to_owned(),
        Value::String(r) if ["any", "only", "exclude"].contains(&r.as_str()) => r.clone(),
        _ => {
            fields.bad("remote", "must be one of any, only, exclude");
            "any".to_owned()
        }
    };
    let flag = |fields: &mut Fields, field: &str, default: bool| match &body[field] {
        Value::Null => default,
        Value::Bool(b) => *b,
        _ => {
            fields.bad(field, "must be true or false");
            default
        }
    };
    let enabled = flag(&mut fields, "enabled", true);
    let email_digest = flag(&mut fields, "email_digest", false);
    let keyed = settings.keyed_available();
    let mut sources = Vec::new();
    for (i, source) in chosen.iter().enumerate() {
        let source = source.to_lowercase();
        if OPEN_SOURCES.contains(&source.as_str()) || keyed.contains(&source.as_str()) {
            sources.push(source);
        } else if ["serpapi", "adzuna"].contains(&source.as_str()) {
            fields.bad(
                &format!("sources/{i}"),
                format!(
                    "{source} needs an API key this installation does not have (discovery.{source}_key in the configuration)"
                ),
            );
        } else {
            fields.bad(
                &format!("sources/{i}"),
                format!(
                    "is not a source Pursuit reads; choose from {}",
                    OPEN_SOURCES
                        .iter()
                        .chain(&keyed)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let mut boards = Vec::new();
    for (i, text) in board_texts.iter().enumerate() {
        match sources::board(text) {
            Ok(board) if !boards.contains(&board) => boards.push(board),
            Ok(_) => {}
            Err(why) => fields.bad(&format!("boards/{i}"), why),
        }
    }
    for (i, link) in links.iter().enumerate() {
        match url::Url::parse(link) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
            _ => fields.bad(
                &format!("links/{i}"),
                "must be an http(s) address of a feed or a job page",
            ),
        }
    }
    if name.is_none() {
        fields.bad("name", "give the search a name");
    }
    if sources.is_empty() && boards.is_empty() && links.is_empty() && fields.errors.is_empty() {
        fields.bad(
            "sources",
            "choose at least one source, company board or feed to read",
        );
    }
    fields.finish().map_err(AppError::Invalid)?;
    Ok(SearchRow {
        id,
        user_id: user,
        name: name.unwrap_or_default(),
        titles,
        locations,
        remote,
        sources,
        boards,
        links,
        enabled,
        email_digest,
        last_run_at: None,
        created_at,
        updated_at: now,
    })
}

/// Saves a new search.
pub async fn create_search(
    db: &Db,
    settings: &Settings,
    user: UserId,
    body: &Value,
    now: Timestamp,
) -> Result<SearchRow, AppError> {
    let row = checked(settings, body, JobSearchId::new(), user, now, now)?;
    if store::searches(db, user).await?.len() >= MAX_SEARCHES {
        return Err(AppError::Conflict(format!(
            "you have {MAX_SEARCHES} saved searches, the most Pursuit keeps; delete one first"
        )));
    }
    store::save_search(db, &row).await?;
    Ok(row)
}

/// Replaces a search's criteria (its runs and jobs stay).
pub async fn update_search(
    db: &Db,
    settings: &Settings,
    user: UserId,
    id: JobSearchId,
    body: &Value,
    now: Timestamp,
) -> Result<SearchRow, AppError> {
    let before = get_search(db, user, id).await?;
    let mut row = checked(settings, body, id, user, before.created_at, now)?;
    row.last_run_at = before.last_run_at;
    store::save_search(db, &row).await?;
    Ok(row)
}

pub async fn get_search(db: &Db, user: UserId, id: JobSearchId) -> Result<SearchRow, AppError> {
    store::get_search(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn searches(db: &Db, user: UserId) -> Result<Vec<SearchRow>, AppError> {
    Ok(store::searches(db, user).await?)
}

/// Deletes a search and its runs; the jobs it found stay (without it).
pub async fn delete_search(db: &Db, user: UserId, id: JobSearchId) -> Result<(), AppError> {
    if store::delete_search(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// `discovery.run`: one run of a search (its row says which).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunSearch {
    pub run_id: uuid::Uuid,
}

impl JobSpec for RunSearch {
    const KIND: &'static str = "discovery.run";
    const QUEUE: &'static str = "discovery";
    /// A run records its own failures per source; a crash mid-run is tried again once.
    const MAX_ATTEMPTS: i64 = 2;
}

/// `discovery.dispatch`: every quarter hour, each enabled search a day old is queued.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DispatchDiscovery {}

impl JobSpec for DispatchDiscovery {
    const KIND: &'static str = "discovery.dispatch";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 1;
}

/// A job no board has listed for this long has expired (aggregators drop what is filled
/// without saying so).
pub const UNSEEN: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 21);

/// How often a search runs on its own.
pub const EVERY: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Queues a run of the search: the run (a run already waiting or running is that run).
pub async fn queue_run(
    db: &Db,
    user: UserId,
    search: JobSearchId,
    trigger: &str,
    now: Timestamp,
) -> Result<RunRow, AppError> {
    get_search(db, user, search).await?;
    if let Some(open) = store::runs(db, user, Some(search), 1)
        .await?
        .into_iter()
        .find(|r| r.status == "queued" || r.status == "running")
    {
        return Ok(open);
    }
    let mut run = RunRow {
        id: DiscoveryRunId::new(),
        user_id: user,
        search_id: search,
        job_id: None,
        trigger: trigger.to_owned(),
        status: "queued".to_owned(),
        sources: Value::Array(Vec::new()),
        fetched: 0,
        new: 0,
        duplicate: 0,
        failed: 0,
        error: None,
        started_at: None,
        finished_at: None,
        created_at: now,
    };
    let mut tx = db.begin().await?;
    store::insert_run(&mut tx, &run).await?;
    let job = pursuit_store::jobs::enqueue(
        &mut tx,
        &RunSearch { run_id: run.id.0 },
        &EnqueueOptions {
            user_id: Some(user),
            dedupe_key: Some(format!("discovery.run:{}", run.id.0)),
            ..Default::default()
        },
        now,
    )
    .await?;
    run.job_id = Some(job.id);
    store::update_run(&mut tx, &run).await?;
    tx.commit().await?;
    Ok(run)
}

/// Queues a run of every enabled search a day old: how many were queued.
pub async fn dispatch(db: &Db, now: Timestamp) -> Result<usize, AppError> {
    let due = store::due_searches(db, now - EVERY, 500).await?;
    for search in &due {
        queue_run(db, search.user_id, search.id, "schedule", now).await?;
    }
    Ok(due.len())
}

/// What one source of a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceReport {
    /// The source as the user chose it (`remotive`, `greenhouse:acme`, a link).
    pub source: String,
    #[serde(flatten)]
    pub cost: client::Cost,
    /// Listings read.
    pub fetched: u32,
    /// Listings that could not be read (no id, title or link).
    pub skipped: u32,
    /// Listings that match the search.
    pub kept: u32,
    pub new: u32,
    /// Kept listings of jobs Pursuit had already (from this board or another).
    pub duplicate: u32,
    /// Jobs the employer's board no longer lists.
    pub expired: u32,
    /// Why the source failed (nothing of it was stored).
    pub error: Option<String>,
}

/// A run under way: its row, its search and what its sources did so far.
pub struct Running {
    pub run: RunRow,
    pub search: SearchRow,
    pub sources: Vec<Source>,
    pub reports: Vec<SourceReport>,
}

/// Starts a queued run: `None` when it is not there any more (its search was deleted) or
/// is over.
pub async fn start(
    db: &Db,
    settings: &Settings,
    run: DiscoveryRunId,
    job: Option<JobId>,
    now: Timestamp,
) -> Result<Option<Running>, AppError> {
    let Some(mut row) = run_by_id(db, run).await? else {
        return Ok(None);
    };
    if row.status == "done" || row.status == "failed" {
        return Ok(None);
    }
    let Some(search) = store::get_search(db, row.user_id, row.search_id).await? else {
        return Ok(None);
    };
    row.status = "running".to_owned();
    row.started_at = Some(now);
    row.job_id = job.or(row.job_id);
    store::update_run(db, &row).await?;
    let sources = sources::of(&search, settings, now);
    Ok(Some(Running {
        run: row,
        search,
        sources,
        reports: Vec::new(),
    }))
}

async fn run_by_id(db: &Db, run: DiscoveryRunId) -> Result<Option<RunRow>, AppError> {
    Ok(store::run_by_id(db, run).await?)
}

/// Reads one source of a running run, keeps what it found and records its report.
pub async fn run_source(
    db: &Db,
    client: &client::Client<'_>,
    running: &mut Running,
    index: usize,
    now: Timestamp,
) -> Result<(), AppError> {
    let source = &running.sources[index];
    let report = ingest::read_and_keep(db, client, &running.search, source, now).await?;
    running.reports.push(report);
    // The run's page shows each source as it is done.
    running.run.sources = serde_json::to_value(&running.reports).unwrap_or(Value::Null);
    store::update_run(db, &running.run).await?;
    Ok(())
}

/// A job no board has listed for this long, and no employer's board lists, has its page
/// asked whether it is still there.
pub const CHECK_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 7);

/// The report name of a run's liveness check (beside its sources, not one of them).
pub const LIVENESS: &str = "liveness";

/// A title's or a place's words, lower-cased, `+` and `#` kept ("c++", "c#"): what a
/// search's and the preferences' terms are compared in.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The most job pages one run asks about.
pub const CHECKS_PER_RUN: i64 = 10;

/// Asks the pages of the user's jobs that no board has listed for a week (and no
/// employer's board lists) whether they are still there: a page that answers 404 or 410
/// expires its job. Robots.txt is asked first; a page that cannot be read says nothing.
/// Recorded as the run's `liveness` source.
pub async fn check_liveness(
    db: &Db,
    client: &client::Client<'_>,
    running: &mut Running,
    now: Timestamp,
) -> Result<(), AppError> {
    let stale =
        store::unconfirmed(db, running.run.user_id, now - CHECK_AFTER, CHECKS_PER_RUN).await?;
    if stale.is_empty() {
        return Ok(());
    }
    let mut report = SourceReport {
        source: LIVENESS.to_owned(),
        ..SourceReport::default()
    };
    for job in stale {
        report.fetched += 1;
        if client.allowed(&job.url, &mut report.cost).await.is_err() {
            continue;
        }
        // A page that answers, or cannot be read, says nothing: the job stays.
        let gone = matches!(
            client
                .get(&job.url, (None, None), "text/html", &mut report.cost)
                .await,
            Err(client::Failure {
                status: Some(404 | 410),
                ..
            })
        );
        if gone && store::expire_job(db, running.run.user_id, job.id, now).await? {
            report.expired += 1;
        }
    }
    running.reports.push(report);
    running.run.sources = serde_json::to_value(&running.reports).unwrap_or(Value::Null);
    store::update_run(db, &running.run).await?;
    Ok(())
}

/// Ends a run: its figures, the search's `last_run_at`, the user's notification (and
/// digest email) when new jobs were found, and the new jobs scored against the active
/// resume.
pub async fn finish(
    db: &Db,
    running: Running,
    base_url: &str,
    now: Timestamp,
) -> Result<RunRow, AppError> {
    let Running {
        mut run,
        search,
        reports,
        ..
    } = running;
    // The totals are the sources'; the liveness check is reported beside them.
    let sources: Vec<&SourceReport> = reports.iter().filter(|r| r.source != LIVENESS).collect();
    run.fetched = sources.iter().map(|r| i64::from(r.fetched)).sum();
    run.new = sources.iter().map(|r| i64::from(r.new)).sum();
    run.duplicate = sources.iter().map(|r| i64::from(r.duplicate)).sum();
    run.failed = sources.iter().filter(|r| r.error.is_some()).count() as i64;
    run.status = if !sources.is_empty() && run.failed == sources.len() as i64 {
        run.error = Some("every source failed".to_owned());
        "failed"
    } else {
        "done"
    }
    .to_owned();
    run.sources = serde_json::to_value(&reports).unwrap_or(Value::Null);
    run.finished_at = Some(now);
    ingest::score_open(db, run.user_id, SCORED_AT_ONCE).await?;
    let mut tx = db.begin().await?;
    store::update_run(&mut tx, &run).await?;
    store::expire_unseen(&mut tx, run.user_id, now - UNSEEN, now).await?;
    if run.new > 0 {
        let title = format!(
            "{} new job{} for “{}”",
            run.new,
            if run.new == 1 { "" } else { "s" },
            search.name
        );
        let top = store::jobs(&mut tx, run.user_id, Shown::Open, Some(search.id), 5, 0).await?;
        let body = top
            .iter()
            .map(|(j, _)| format!("{} at {}", j.title, j.company))
            .collect::<Vec<_>>()
            .join("; ");
        pursuit_store::delivery::insert_notice(
            &mut tx,
            run.user_id,
            &title,
            &body,
            Some("/discover"),
            now,
            now + jiff::SignedDuration::from_hours(24 * 14),
        )
        .await?;
        if search.email_digest
            && let Some(user) = pursuit_store::accounts::get_user(&mut tx, run.user_id).await?
        {
            let lines: Vec<String> = top
                .iter()
                .map(|(j, _)| {
                    let score = j.score.map(|s| format!(" — match {s}")).unwrap_or_default();
                    format!("• {} at {}{score}\n  {}", j.title, j.company, j.url)
                })
                .collect();
            pursuit_store::jobs::enqueue(
                &mut tx,
                &crate::mail::SendEmail {
                    to: user.email,
                    subject: title.clone(),
                    text: format!(
                        "{title}.\n\n{}\n\nAll of them, best match first: {base_url}/discover\n\nTo stop these emails, turn off the digest of this search: {base_url}/discover/searches\n",
                        lines.join("\n")
                    ),
                    html: None,
                },
                &EnqueueOptions {
                    user_id: Some(run.user_id),
                    dedupe_key: Some(format!("discovery.digest:{}", run.id.0)),
                    ..Default::default()
                },
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(run)
}

/// Records that a run could not finish (the database failed under it on its last try).
pub async fn fail(db: &Db, run: DiscoveryRunId, why: &str, now: Timestamp) -> Result<(), AppError> {
    if let Some(mut row) = run_by_id(db, run).await?
        && (row.status == "queued" || row.status == "running")
    {
        row.status = "failed".to_owned();
        row.error = Some(why.chars().take(500).collect());
        row.finished_at = Some(now);
        store::update_run(db, &row).await?;
    }
    Ok(())
}

/// Runs a queued run start to end (tests, benchmarks, the CLI; the worker reports
/// progress between sources).
pub async fn run(
    db: &Db,
    settings: &Settings,
    run: DiscoveryRunId,
    base_url: &str,
) -> Result<Option<RunRow>, AppError> {
    let Some(mut running) = start(db, settings, run, None, Timestamp::now()).await? else {
        return Ok(None);
    };
    let client = client::Client::new(settings);
    for i in 0..running.sources.len() {
        run_source(db, &client, &mut running, i, Timestamp::now()).await?;
    }
    check_liveness(db, &client, &mut running, Timestamp::now()).await?;
    Ok(Some(finish(db, running, base_url, Timestamp::now()).await?))
}

/// The user's runs (of one search, or all), newest first.
pub async fn runs(
    db: &Db,
    user: UserId,
    search: Option<JobSearchId>,
    limit: i64,
) -> Result<Vec<RunRow>, AppError> {
    if let Some(search) = search {
        get_search(db, user, search).await?;
    }
    Ok(store::runs(db, user, search, limit.clamp(1, 200)).await?)
}

pub async fn get_run(db: &Db, user: UserId, id: DiscoveryRunId) -> Result<RunRow, AppError> {
    store::get_run(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The most open jobs one run's end or one look at the list scores (against a resume
/// version that changed, or jobs found before a resume was read); the rest follow on the
/// next.
pub const SCORED_AT_ONCE: i64 = 2_000;

/// The discovered list: `shown`, best match first, a page at a time. Open jobs not scored
/// against the active resume version as it is now are scored first.
pub async fn jobs(
    db: &Db,
    user: UserId,
    shown: Shown,
    search: Option<JobSearchId>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(JobRow, Vec<SourceRow>)>, AppError> {
    if shown == Shown::Open {
        ingest::score_open(db, user, SCORED_AT_ONCE).await?;
    }
    Ok(store::jobs(db, user, shown, search, limit.clamp(1, 200), offset.max(0)).await?)
}

pub async fn get_job(
    db: &Db,
    user: UserId,
    id: DiscoveredJobId,
) -> Result<(JobRow, Vec<SourceRow>), AppError> {
    store::get_job(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many jobs each list holds: open, saved, dismissed, expired.
pub async fn counts(db: &Db, user: UserId) -> Result<[i64; 4], AppError> {
    Ok(store::counts(db, user).await?)
}

/// Saves a discovered job to the tracker (a posting and its `Saved` application, read
/// now). Saving it again answers the same posting.
pub async fn save(
    db: &Db,
    user: UserId,
    id: DiscoveredJobId,
    today: jiff::civil::Date,
    now: Timestamp,
) -> Result<(JobRow, pursuit_domain::ids::ApplicationId), AppError> {
    let (job, sources) = get_job(db, user, id).await?;
    if let (Some(application), "saved") = (job.application_id, job.status.as_str()) {
        return Ok((job, application));
    }
    let mut text = job.description.clone();
    if let Some(place) = job.location.as_deref() {
        text = format!("Location: {place}\n\n{text}");
    }
    let mut tx = db.begin().await?;
    let saved = crate::postings::save_read(
        &mut tx,
        user,
        today,
        crate::postings::Read {
            source: "text",
            raw: text,
            url: Some(job.url.clone()),
            title: Some(job.title.clone()),
            company: Some(job.company.clone()),
            found_on: Some(found_on(&sources)),
        },
        true,
        None,
        now,
    )
    .await?;
    store::set_status(&mut tx, user, id, "saved", saved.application_id, now).await?;
    tx.commit().await?;
    let application = saved.application_id.ok_or(AppError::NotFound)?;
    let (job, _) = get_job(db, user, id).await?;
    Ok((job, application))
}

/// The tracker's `source` of a saved job: the board it was first found on.
fn found_on(sources: &[SourceRow]) -> String {
    let board = sources.first().map_or("", |s| s.source.as_str());
    let name = match board {
        "greenhouse" => "Greenhouse",
        "lever" => "Lever",
        "ashby" => "Ashby",
        "remotive" => "Remotive",
        "remoteok" => "RemoteOK",
        "himalayas" => "Himalayas",
        "weworkremotely" => "We Work Remotely",
        "serpapi" => "Google Jobs",
        "adzuna" => "Adzuna",
        _ => "Company site",
    };
    format!("Discovery: {name}")
}

/// Hides a job from the list (`dismissed`), or brings it back (`new`).
pub async fn set_dismissed(
    db: &Db,
    user: UserId,
    id: DiscoveredJobId,
    dismissed: bool,
    now: Timestamp,
) -> Result<JobRow, AppError> {
    let (job, _) = get_job(db, user, id).await?;
    if job.status == "saved" {
        return Err(AppError::Conflict(
            "this job is saved to the tracker; delete its application there instead".to_owned(),
        ));
    }
    store::set_status(
        db,
        user,
        id,
        if dismissed { "dismissed" } else { "new" },
        None,
        now,
    )
    .await?;
    Ok(get_job(db, user, id).await?.0)
}
