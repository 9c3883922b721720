//! Job discovery (`/api/v1/discovery/…`): saved searches over public job boards, their
//! runs (each source's figures), and the jobs they found — once per job, best match to the
//! active resume first — saved to the tracker in one call. The use cases are
//! `pursuit_app::discovery`'s; the worker runs the searches.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use pursuit_app::discovery;
use pursuit_domain::ids::{DiscoveredJobId, DiscoveryRunId, JobSearchId};
use pursuit_store::discovery::{JobRow, RunRow, SearchRow, Shown, SourceRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_searches, create_search))
        .routes(routes!(get_search, update_search, delete_search))
        .routes(routes!(run_search))
        .routes(routes!(list_runs))
        .routes(routes!(get_run))
        .routes(routes!(list_jobs))
        .routes(routes!(get_job))
        .routes(routes!(save_job))
        .routes(routes!(dismiss_job))
}

type Problem = crate::problem::Problem;

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    id: uuid::Uuid,
    name: String,
    titles: Vec<String>,
    locations: Vec<String>,
    /// `any`, `only` (remote jobs only) or `exclude` (no remote jobs).
    remote: String,
    /// Open boards (`remotive`, `remoteok`, `himalayas`, `weworkremotely`) and the keyed
    /// ones this installation has a key for (`serpapi`, `adzuna`).
    sources: Vec<String>,
    /// Employers' boards, `greenhouse:<board>`, `lever:<company>`, `ashby:<board>`.
    boards: Vec<String>,
    /// RSS/Atom feeds and job pages (read through their schema.org JobPosting).
    links: Vec<String>,
    /// Runs every day on its own.
    enabled: bool,
    /// Mails a digest when a run finds new jobs.
    email_digest: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_run_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn search_response(s: &SearchRow) -> SearchResponse {
    SearchResponse {
        id: s.id.0,
        name: s.name.clone(),
        titles: s.titles.clone(),
        locations: s.locations.clone(),
        remote: s.remote.clone(),
        sources: s.sources.clone(),
        boards: s.boards.clone(),
        links: s.links.clone(),
        enabled: s.enabled,
        email_digest: s.email_digest,
        last_run_at: s.last_run_at,
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

/// A saved search. Only `name` is required, and at least one of `sources`, `boards`,
/// `links`.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SearchRequest {
    /// 1 to 100 characters.
    name: String,
    /// Job titles (a listing's title must have every word of one); none: any title.
    titles: Option<Vec<String>>,
    /// Places (a listing's place must name one; `Remote` takes remote jobs); none: anywhere.
    locations: Option<Vec<String>>,
    /// `any` (the default), `only` or `exclude`.
    remote: Option<String>,
    sources: Option<Vec<String>>,
    /// Board names (`greenhouse:acme`) or their pages' addresses.
    boards: Option<Vec<String>>,
    links: Option<Vec<String>>,
    /// Default true.
    enabled: Option<bool>,
    /// Default false.
    email_digest: Option<bool>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchList {
    items: Vec<SearchResponse>,
    /// The keyed sources this installation can read (others need keys in its configuration).
    available_sources: Vec<String>,
}

/// The caller's saved searches.
#[utoipa::path(get, path = "/api/v1/discovery/searches", tag = "discovery",
    responses(
        (status = 200, description = "The searches", body = SearchList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_searches(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SearchList>, ApiError> {
    let items = discovery::searches(&state.db, current.id()).await?;
    let mut available: Vec<String> = discovery::OPEN_SOURCES.map(str::to_owned).to_vec();
    available.extend(
        state
            .settings
            .discovery
            .keyed_available()
            .into_iter()
            .map(str::to_owned),
    );
    Ok(Json(SearchList {
        items: items.iter().map(search_response).collect(),
        available_sources: available,
    }))
}

/// Saves a search; it runs within a quarter of an hour, then every day.
#[utoipa::path(post, path = "/api/v1/discovery/searches", tag = "discovery", request_body = SearchRequest,
    responses(
        (status = 201, description = "Saved", body = SearchResponse),
        (status = 409, description = "The caller has the most searches Pursuit keeps", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, each named", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_search(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<SearchResponse>), ApiError> {
    let row = discovery::create_search(
        &state.db,
        &state.settings.discovery,
        current.id(),
        &body,
        Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(search_response(&row))))
}

/// One saved search.
#[utoipa::path(get, path = "/api/v1/discovery/searches/{id}", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The search's id")),
    responses(
        (status = 200, description = "The search", body = SearchResponse),
        (status = 404, description = "No such search of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_search(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<SearchResponse>, ApiError> {
    let row = discovery::get_search(&state.db, current.id(), JobSearchId(id)).await?;
    Ok(Json(search_response(&row)))
}

/// Replaces a search's criteria (its runs and the jobs it found stay).
#[utoipa::path(put, path = "/api/v1/discovery/searches/{id}", tag = "discovery", request_body = SearchRequest,
    params(("id" = uuid::Uuid, Path, description = "The search's id")),
    responses(
        (status = 200, description = "Saved", body = SearchResponse),
        (status = 404, description = "No such search of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, each named", body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_search(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<Value>,
) -> Result<Json<SearchResponse>, ApiError> {
    let row = discovery::update_search(
        &state.db,
        &state.settings.discovery,
        current.id(),
        JobSearchId(id),
        &body,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(search_response(&row)))
}

/// Deletes a search and its runs; the jobs it found stay.
#[utoipa::path(delete, path = "/api/v1/discovery/searches/{id}", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The search's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such search of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_search(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    discovery::delete_search(&state.db, current.id(), JobSearchId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RunResponse {
    id: uuid::Uuid,
    search_id: uuid::Uuid,
    /// The task running it (`GET /api/v1/tasks/{id}` for its progress).
    task_id: Option<uuid::Uuid>,
    /// `schedule` or `manual`.
    trigger: String,
    /// `queued`, `running`, `done` or `failed`.
    status: String,
    /// Per source: `source`, `requests`, `not_modified` (answered 304), `fetched`,
    /// `skipped`, `kept` (matching the search), `new`, `duplicate`, `expired`, `error`.
    #[schema(value_type = Vec<Object>)]
    sources: Value,
    fetched: i64,
    new: i64,
    duplicate: i64,
    /// Sources that failed.
    failed: i64,
    error: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    started_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    finished_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

pub(crate) fn run_response(r: &RunRow) -> RunResponse {
    RunResponse {
        id: r.id.0,
        search_id: r.search_id.0,
        task_id: r.job_id.map(|j| j.0),
        trigger: r.trigger.clone(),
        status: r.status.clone(),
        sources: r.sources.clone(),
        fetched: r.fetched,
        new: r.new,
        duplicate: r.duplicate,
        failed: r.failed,
        error: r.error.clone(),
        started_at: r.started_at,
        finished_at: r.finished_at,
        created_at: r.created_at,
    }
}

/// Runs a search now ("run now"); a run already waiting or running is that run.
#[utoipa::path(post, path = "/api/v1/discovery/searches/{id}/run", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The search's id")),
    responses(
        (status = 202, description = "Queued (or already under way)", body = RunResponse),
        (status = 404, description = "No such search of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn run_search(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<(StatusCode, Json<RunResponse>), ApiError> {
    let run = discovery::queue_run(
        &state.db,
        current.id(),
        JobSearchId(id),
        "manual",
        Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(run_response(&run))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    /// Only this search's runs.
    search_id: Option<uuid::Uuid>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RunList {
    items: Vec<RunResponse>,
}

/// The caller's runs, newest first.
#[utoipa::path(get, path = "/api/v1/discovery/runs", tag = "discovery", params(RunsQuery),
    responses(
        (status = 200, description = "The runs", body = RunList),
        (status = 400, description = "A bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such search of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_runs(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<RunsQuery>,
) -> Result<Json<RunList>, ApiError> {
    let limit = crate::page::limit(query.limit)?;
    let runs = discovery::runs(
        &state.db,
        current.id(),
        query.search_id.map(JobSearchId),
        limit,
    )
    .await?;
    Ok(Json(RunList {
        items: runs.iter().map(run_response).collect(),
    }))
}

/// One run with each source's figures.
#[utoipa::path(get, path = "/api/v1/discovery/runs/{id}", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The run's id")),
    responses(
        (status = 200, description = "The run", body = RunResponse),
        (status = 404, description = "No such run of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_run(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<RunResponse>, ApiError> {
    let run = discovery::get_run(&state.db, current.id(), DiscoveryRunId(id)).await?;
    Ok(Json(run_response(&run)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ListingResponse {
    /// The board (`greenhouse`, `remotive`, …).
    source: String,
    /// The board's own id of the posting.
    source_id: String,
    url: String,
    #[schema(value_type = String, format = DateTime)]
    first_seen_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    last_seen_at: Timestamp,
    /// The board no longer lists it.
    #[schema(value_type = Option<String>, format = DateTime)]
    gone_at: Option<Timestamp>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DiscoveredResponse {
    id: uuid::Uuid,
    search_id: Option<uuid::Uuid>,
    title: String,
    company: String,
    location: Option<String>,
    /// `remote`, `hybrid` or `onsite` when the board says.
    remote: Option<String>,
    employment_type: Option<String>,
    /// The first board's link.
    url: String,
    description: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    posted_at: Option<Timestamp>,
    /// `new`, `saved` or `dismissed`.
    status: String,
    /// The tracker application it was saved as.
    application_id: Option<uuid::Uuid>,
    /// 0–100 against the active resume when it was found; null without a resume.
    score: Option<i64>,
    /// Why it ranks where it does.
    reason: Option<String>,
    /// Every board that lists it.
    sources: Vec<ListingResponse>,
    #[schema(value_type = String, format = DateTime)]
    first_seen_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    last_seen_at: Timestamp,
    /// The employer's board no longer lists it.
    #[schema(value_type = Option<String>, format = DateTime)]
    expired_at: Option<Timestamp>,
    /// Listed again after it had expired.
    #[schema(value_type = Option<String>, format = DateTime)]
    reposted_at: Option<Timestamp>,
}

pub(crate) fn job_response(job: &JobRow, sources: &[SourceRow]) -> DiscoveredResponse {
    DiscoveredResponse {
        id: job.id.0,
        search_id: job.search_id.map(|s| s.0),
        title: job.title.clone(),
        company: job.company.clone(),
        location: job.location.clone(),
        remote: job.remote.clone(),
        employment_type: job.employment_type.clone(),
        url: job.url.clone(),
        description: job.description.clone(),
        posted_at: job.posted_at,
        status: job.status.clone(),
        application_id: job.application_id.map(|a| a.0),
        score: job.score,
        reason: job.reason.clone(),
        sources: sources
            .iter()
            .map(|s| ListingResponse {
                source: s.source.clone(),
                source_id: s.source_id.clone(),
                url: s.url.clone(),
                first_seen_at: s.first_seen_at,
                last_seen_at: s.last_seen_at,
                gone_at: s.gone_at,
            })
            .collect(),
        first_seen_at: job.first_seen_at,
        last_seen_at: job.last_seen_at,
        expired_at: job.expired_at,
        reposted_at: job.reposted_at,
    }
}

/// Which list: `open` (the default: new, live), `saved`, `dismissed`, `expired`, `all`.
pub fn shown(text: Option<&str>) -> Result<Shown, ApiError> {
    Ok(match text {
        None | Some("open") => Shown::Open,
        Some("saved") => Shown::Saved,
        Some("dismissed") => Shown::Dismissed,
        Some("expired") => Shown::Expired,
        Some("all") => Shown::All,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "/status",
                "must be open, saved, dismissed, expired or all",
            ));
        }
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// `open` (the default), `saved`, `dismissed`, `expired` or `all`.
    status: Option<String>,
    /// Only jobs this search found first.
    search_id: Option<uuid::Uuid>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
    /// How many to skip (0 to 100,000).
    offset: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DiscoveredList {
    items: Vec<DiscoveredResponse>,
    /// The offset of the next page, when there is one.
    next_offset: Option<i64>,
}

/// The jobs discovery found, best match first (then newest), each once with every board
/// that lists it.
#[utoipa::path(get, path = "/api/v1/discovery/jobs", tag = "discovery", params(JobsQuery),
    responses(
        (status = 200, description = "A page of jobs", body = DiscoveredList),
        (status = 400, description = "A bad limit or offset", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_jobs(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<JobsQuery>,
) -> Result<Json<DiscoveredList>, ApiError> {
    let limit = crate::page::limit(query.limit)?;
    let offset = query.offset.unwrap_or(0);
    if !(0..=100_000).contains(&offset) {
        return Err(ApiError::bad_request("offset must be 0 to 100000"));
    }
    let shown = shown(query.status.as_deref())?;
    let mut jobs = discovery::jobs(
        &state.db,
        current.id(),
        shown,
        query.search_id.map(JobSearchId),
        limit + 1,
        offset,
    )
    .await?;
    let more = jobs.len() as i64 > limit;
    jobs.truncate(limit as usize);
    Ok(Json(DiscoveredList {
        next_offset: more.then_some(offset + limit),
        items: jobs.iter().map(|(j, s)| job_response(j, s)).collect(),
    }))
}

/// One discovered job with every board that lists it.
#[utoipa::path(get, path = "/api/v1/discovery/jobs/{id}", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The job's id")),
    responses(
        (status = 200, description = "The job", body = DiscoveredResponse),
        (status = 404, description = "No such job of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_job(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<DiscoveredResponse>, ApiError> {
    let (job, sources) = discovery::get_job(&state.db, current.id(), DiscoveredJobId(id)).await?;
    Ok(Json(job_response(&job, &sources)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SavedResponse {
    job: DiscoveredResponse,
    /// The tracker application (status `Saved`) with its posting.
    application_id: uuid::Uuid,
}

/// Saves a job to the tracker: a posting (read now) and its `Saved` application. Saving
/// it again answers the same application.
#[utoipa::path(post, path = "/api/v1/discovery/jobs/{id}/save", tag = "discovery",
    params(("id" = uuid::Uuid, Path, description = "The job's id")),
    responses(
        (status = 200, description = "Saved", body = SavedResponse),
        (status = 404, description = "No such job of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn save_job(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<SavedResponse>, ApiError> {
    let (job, application) = discovery::save(
        &state.db,
        current.id(),
        DiscoveredJobId(id),
        current.today(),
        Timestamp::now(),
    )
    .await?;
    let (_, sources) = discovery::get_job(&state.db, current.id(), job.id).await?;
    Ok(Json(SavedResponse {
        job: job_response(&job, &sources),
        application_id: application.0,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DismissRequest {
    /// `true` hides the job; `false` brings it back.
    dismissed: bool,
}

/// Hides a job from the list, or brings it back.
#[utoipa::path(post, path = "/api/v1/discovery/jobs/{id}/dismiss", tag = "discovery", request_body = DismissRequest,
    params(("id" = uuid::Uuid, Path, description = "The job's id")),
    responses(
        (status = 200, description = "Changed", body = DiscoveredResponse),
        (status = 404, description = "No such job of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is saved to the tracker", body = Problem, content_type = "application/problem+json"),
    ))]
async fn dismiss_job(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<DismissRequest>,
) -> Result<Json<DiscoveredResponse>, ApiError> {
    let job = discovery::set_dismissed(
        &state.db,
        current.id(),
        DiscoveredJobId(id),
        body.dismissed,
        Timestamp::now(),
    )
    .await?;
    let (_, sources) = discovery::get_job(&state.db, current.id(), job.id).await?;
    Ok(Json(job_response(&job, &sources)))
}
