//! `/discover`: job discovery as pages — the jobs found (best match to the active resume
//! first, each once with every board that lists it, saved to the tracker or dismissed in
//! one click), the saved searches (a form to add or change one, "Run now", delete), and
//! the runs with each source's figures. Every form goes through `pursuit_app::discovery`,
//! as the API does.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::discovery;
use pursuit_domain::ids::{DiscoveredJobId, JobSearchId};
use pursuit_store::discovery::{RunRow, SearchRow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{PageForm, PageUser, forms, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/discover", get(list_page))
        .route("/discover/jobs/{id}/save", post(save))
        .route("/discover/jobs/{id}/dismiss", post(dismiss))
        .route("/discover/searches", get(searches_page).post(add_search))
        .route("/discover/searches/{id}", post(change_search))
        .route("/discover/searches/{id}/run", post(run_now))
        .route("/discover/runs", get(runs_page))
}

/// Jobs a page of the list shows.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    search: Option<uuid::Uuid>,
    page: Option<i64>,
    saved: Option<uuid::Uuid>,
}

fn day(at: Timestamp) -> String {
    at.to_string()[..10].to_owned()
}

async fn list_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let id = user.0.id();
    let status = query.status.clone().unwrap_or_else(|| "open".to_owned());
    let shown = crate::discovery::shown(Some(&status))?;
    let page = query.page.unwrap_or(1).clamp(1, 2_000);
    let search = query.search.map(JobSearchId);
    let mut jobs =
        discovery::jobs(&state.db, id, shown, search, PAGE + 1, (page - 1) * PAGE).await?;
    let more = jobs.len() as i64 > PAGE;
    jobs.truncate(PAGE as usize);
    let rows: Vec<Value> = jobs
        .iter()
        .map(|(job, sources)| {
            let mut boards: Vec<Value> = Vec::new();
            for s in sources {
                if !boards.iter().any(|b| b["source"] == s.source.as_str()) {
                    boards.push(
                        json!({"source": s.source, "url": s.url, "gone": s.gone_at.is_some()}),
                    );
                }
            }
            json!({
                "id": job.id.0.to_string(),
                "title": job.title,
                "company": job.company,
                "location": job.location,
                "remote": job.remote,
                "employment_type": job.employment_type.as_deref().map(|t| t.replace('_', " ")),
                "url": job.url,
                "description": job.description.chars().take(4_000).collect::<String>(),
                "status": job.status,
                "application_id": job.application_id.map(|a| a.0.to_string()),
                "score": job.score,
                "reason": job.reason,
                "provisional": job.reason.as_deref().is_some_and(|r| r.starts_with("Provisional")),
                "found": day(job.first_seen_at),
                "posted": job.posted_at.map(day),
                "expired": job.expired_at.map(day),
                "reposted": job.reposted_at.map(day),
                "boards": boards,
            })
        })
        .collect();
    let counts = discovery::counts(&state.db, id).await?;
    let searches = discovery::searches(&state.db, id).await?;
    let has_resume = pursuit_app::matching::active_version(&state.db, id)
        .await?
        .is_some();
    let search_names: Vec<Value> = searches
        .iter()
        .map(|s| json!({"id": s.id.0.to_string(), "name": s.name}))
        .collect();
    Ok(render(
        "discover.html",
        StatusCode::OK,
        context! {
            page => "discover",
            user => user.view(),
            csrf => user.csrf(),
            rows => template_value(&rows),
            status => status,
            counts => counts,
            searches => template_value(&search_names),
            search => query.search.map(|s| s.to_string()),
            page_number => page,
            more => more,
            saved => query.saved.map(|a| a.to_string()),
            has_resume => has_resume,
            no_searches => searches.is_empty(),
        },
    ))
}

/// Where a list form goes back to: the list it was posted from.
fn back(form: &forms::FormData) -> String {
    let back = form.text("back");
    super::local_path(&back)
        .filter(|b| b.starts_with("/discover"))
        .unwrap_or("/discover")
        .to_owned()
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let (_, application) = discovery::save(
        &state.db,
        user.0.id(),
        DiscoveredJobId(id),
        user.0.today(),
        Timestamp::now(),
    )
    .await?;
    let back = back(&form);
    let joiner = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{joiner}saved={}", application.0)).into_response())
}

async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    discovery::set_dismissed(
        &state.db,
        user.0.id(),
        DiscoveredJobId(id),
        form.text("dismissed") != "false",
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&back(&form)).into_response())
}

/// A search as the form shows it (lists one per line).
#[derive(Serialize, Default)]
struct SearchForm {
    id: Option<String>,
    name: String,
    titles: String,
    locations: String,
    remote: String,
    sources: Vec<String>,
    boards: String,
    links: String,
    enabled: bool,
    email_digest: bool,
    errors: std::collections::BTreeMap<String, String>,
}

impl SearchForm {
    fn of(search: &SearchRow) -> SearchForm {
        SearchForm {
            id: Some(search.id.0.to_string()),
            name: search.name.clone(),
            titles: search.titles.join("\n"),
            locations: search.locations.join("\n"),
            remote: search.remote.clone(),
            sources: search.sources.clone(),
            boards: search.boards.join("\n"),
            links: search.links.join("\n"),
            enabled: search.enabled,
            email_digest: search.email_digest,
            errors: Default::default(),
        }
    }

    fn posted(form: &forms::FormData, id: Option<String>) -> SearchForm {
        SearchForm {
            id,
            name: form.text("name"),
            titles: form.text("titles"),
            locations: form.text("locations"),
            remote: form.text("remote"),
            sources: form.all("sources"),
            boards: form.text("boards"),
            links: form.text("links"),
            enabled: form.get("enabled").is_some(),
            email_digest: form.get("email_digest").is_some(),
            errors: Default::default(),
        }
    }

    /// The use case's input: one entry per non-empty line.
    fn body(&self) -> Value {
        let lines = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        json!({
            "name": self.name,
            "titles": lines(&self.titles),
            "locations": lines(&self.locations),
            "remote": if self.remote.is_empty() { "any" } else { self.remote.as_str() },
            "sources": self.sources,
            "boards": lines(&self.boards),
            "links": lines(&self.links),
            "enabled": self.enabled,
            "email_digest": self.email_digest,
        })
    }
}

#[derive(Deserialize, Default)]
struct SearchesQuery {
    edit: Option<uuid::Uuid>,
    queued: Option<uuid::Uuid>,
}

async fn searches_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<SearchesQuery>,
) -> Result<Response, ApiError> {
    let searches = discovery::searches(&state.db, user.0.id()).await?;
    let form = match query.edit {
        Some(id) => {
            SearchForm::of(&discovery::get_search(&state.db, user.0.id(), JobSearchId(id)).await?)
        }
        // A first search starts from the job preferences.
        None => {
            let wanted = pursuit_app::preferences::get(&state.db, user.0.id())
                .await?
                .value;
            SearchForm {
                titles: wanted.titles.join("\n"),
                locations: wanted.locations.join("\n"),
                remote: match wanted.remote {
                    Some(pursuit_domain::preferences::Remote::RemoteOnly) => "only",
                    Some(pursuit_domain::preferences::Remote::Onsite) => "exclude",
                    _ => "any",
                }
                .to_owned(),
                sources: vec!["remotive".to_owned()],
                enabled: true,
                ..SearchForm::default()
            }
        }
    };
    show_searches(&state, &user, &searches, form, query.queued, StatusCode::OK).await
}

async fn show_searches(
    state: &AppState,
    user: &PageUser,
    searches: &[SearchRow],
    form: SearchForm,
    queued: Option<uuid::Uuid>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let runs = discovery::runs(&state.db, user.0.id(), None, 200).await?;
    let rows: Vec<Value> = searches
        .iter()
        .map(|s| {
            let last = runs.iter().find(|r| r.search_id == s.id);
            json!({
                "id": s.id.0.to_string(),
                "name": s.name,
                "titles": s.titles,
                "locations": s.locations,
                "remote": s.remote,
                "sources": s.sources.iter().chain(&s.boards).chain(&s.links).cloned().collect::<Vec<_>>(),
                "enabled": s.enabled,
                "email_digest": s.email_digest,
                "last": last.map(run_view),
            })
        })
        .collect();
    let keyed = state.settings.discovery.keyed_available();
    let choices: Vec<Value> =
        discovery::OPEN_SOURCES
            .iter()
            .map(|s| json!({"value": s, "label": source_label(s), "available": true}))
            .chain(["serpapi", "adzuna"].iter().map(
                |s| json!({"value": s, "label": source_label(s), "available": keyed.contains(s)}),
            ))
            .collect();
    Ok(render(
        "discover_searches.html",
        status,
        context! {
            page => "discover",
            user => user.view(),
            csrf => user.csrf(),
            rows => template_value(&rows),
            form => template_value(&form),
            choices => template_value(&choices),
            queued => queued.map(|q| q.to_string()),
        },
    ))
}

fn source_label(source: &str) -> &'static str {
    match source {
        "remotive" => "Remotive",
        "remoteok" => "RemoteOK",
        "himalayas" => "Himalayas",
        "weworkremotely" => "We Work Remotely",
        "serpapi" => "Google Jobs (SerpAPI)",
        "adzuna" => "Adzuna",
        _ => "Other",
    }
}

fn run_view(run: &RunRow) -> Value {
    json!({
        "id": run.id.0.to_string(),
        "search_id": run.search_id.0.to_string(),
        "task_id": run.job_id.map(|j| j.0.to_string()),
        "trigger": run.trigger,
        "status": run.status,
        "fetched": run.fetched,
        "new": run.new,
        "duplicate": run.duplicate,
        "failed": run.failed,
        "error": run.error,
        "sources": run.sources,
        "at": run.finished_at.or(run.started_at).unwrap_or(run.created_at).strftime("%Y-%m-%d %H:%M UTC").to_string(),
    })
}

async fn add_search(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut typed = SearchForm::posted(&form, None);
    match discovery::create_search(
        &state.db,
        &state.settings.discovery,
        user.0.id(),
        &typed.body(),
        Timestamp::now(),
    )
    .await
    {
        Ok(search) => {
            let run = discovery::queue_run(
                &state.db,
                user.0.id(),
                search.id,
                "manual",
                Timestamp::now(),
            )
            .await?;
            Ok(Redirect::to(&format!("/discover/searches?queued={}", run.id.0)).into_response())
        }
        Err(error) => refused(&state, &user, &mut typed, error).await,
    }
}

async fn refused(
    state: &AppState,
    user: &PageUser,
    typed: &mut SearchForm,
    error: pursuit_app::AppError,
) -> Result<Response, ApiError> {
    let error = ApiError::from(error);
    let status = error.kind().status();
    if !status.is_client_error() {
        return Err(error);
    }
    for field in error.field_errors() {
        let name = field.pointer.trim_start_matches('/');
        let name = name.split('/').next().unwrap_or(name).to_owned();
        typed
            .errors
            .entry(name)
            .or_insert_with(|| field.message.clone());
    }
    if typed.errors.is_empty() {
        typed.errors.insert(String::new(), forms::message(&error));
    }
    let searches = discovery::searches(&state.db, user.0.id()).await?;
    show_searches(state, user, &searches, std::mem::take(typed), None, status).await
}

async fn change_search(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    if form.text("action") == "delete" {
        discovery::delete_search(&state.db, user.0.id(), JobSearchId(id)).await?;
        return Ok(Redirect::to("/discover/searches").into_response());
    }
    let mut typed = SearchForm::posted(&form, Some(id.to_string()));
    match discovery::update_search(
        &state.db,
        &state.settings.discovery,
        user.0.id(),
        JobSearchId(id),
        &typed.body(),
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/discover/searches").into_response()),
        Err(error) => refused(&state, &user, &mut typed, error).await,
    }
}

async fn run_now(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let run = discovery::queue_run(
        &state.db,
        user.0.id(),
        JobSearchId(id),
        "manual",
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/discover/searches?queued={}", run.id.0)).into_response())
}

async fn runs_page(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let searches = discovery::searches(&state.db, user.0.id()).await?;
    let runs = discovery::runs(&state.db, user.0.id(), None, 100).await?;
    let rows: Vec<Value> = runs
        .iter()
        .map(|r| {
            let mut view = run_view(r);
            view["search"] = searches
                .iter()
                .find(|s| s.id == r.search_id)
                .map_or(Value::Null, |s| Value::String(s.name.clone()));
            view
        })
        .collect();
    Ok(render(
        "discover_runs.html",
        StatusCode::OK,
        context! {
            page => "discover",
            user => user.view(),
            csrf => user.csrf(),
            rows => template_value(&rows),
        },
    ))
}
