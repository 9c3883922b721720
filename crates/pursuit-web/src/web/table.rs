//! The applications as a table (`/board/table`): the board's filters and saved views, a
//! column per field people compare, sorted by a click on its heading, and bulk actions on
//! the rows ticked — move to a status, archive, unarchive, add a tag. Each bulk change goes
//! through the same use case as a single edit (`pursuit_app::applications::update`), one
//! application at a time, and the page says how many changed and how many did not.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::ApplicationId;
use pursuit_store::applications::{self, ApplicationFilter, Sort, SortKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::filters::{self, FilterQuery};
use super::{PageForm, PageUser, render, salary_label, status_label, template_value};
use crate::AppState;
use crate::problem::ApiError;

/// The most rows the table shows; the filters narrow a longer list.
const ROWS: i64 = 500;

/// The most rows one bulk action changes.
const BULK_LIMIT: usize = 500;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/board/table", get(page))
        .route("/board/bulk", post(bulk))
}

#[derive(Deserialize, Default)]
struct TableQuery {
    /// A column key, `-` first for descending: `company`, `-changed`…
    #[serde(default)]
    sort: String,
    /// What the bulk action just did (`moved`, `archived`, `unarchived`, `tagged`).
    #[serde(default)]
    done: String,
    #[serde(default)]
    count: Option<u32>,
    #[serde(default)]
    failed: Option<u32>,
    #[serde(flatten)]
    filters: FilterQuery,
}

/// The sortable columns: (key, heading, store key).
const SORTS: [(&str, &str, SortKey); 5] = [
    ("company", "Company", SortKey::Company),
    ("date", "Date", SortKey::ApplicationDate),
    ("due", "Next action", SortKey::NextActionDue),
    ("priority", "Priority", SortKey::Priority),
    ("changed", "Changed", SortKey::UpdatedAt),
];

fn sort_of(text: &str) -> (Sort, &'static str, bool) {
    let (descending, key) = match text.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, text),
    };
    match SORTS.iter().find(|(k, _, _)| *k == key) {
        Some((k, _, store)) => (
            Sort {
                key: *store,
                descending,
            },
            k,
            descending,
        ),
        None => (
            Sort {
                key: SortKey::UpdatedAt,
                descending: true,
            },
            "changed",
            true,
        ),
    }
}

#[derive(Serialize)]
struct Heading {
    label: &'static str,
    href: String,
    /// `ascending` / `descending` for the column sorted on, for `aria-sort`.
    sorted: Option<&'static str>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    company: String,
    role: String,
    status: String,
    date: String,
    priority: String,
    next: Option<String>,
    place: Option<String>,
    salary: Option<String>,
    tags: Vec<String>,
    changed: String,
    match_score: Option<u32>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<TableQuery>,
) -> Result<Response, ApiError> {
    let (filter, bar, filter_error) = filters::resolve(&state, &user.0, &query.filters).await?;
    let (sort, sorted_key, descending) = sort_of(&query.sort);
    let filter = ApplicationFilter {
        sort,
        ..filter.unwrap_or_default()
    };
    let found =
        applications::list_applications(&state.db, user.0.id(), &filter, None, ROWS + 1).await?;
    let more = found.len() > usize::try_from(ROWS).unwrap_or(usize::MAX);
    let found: Vec<_> = found
        .into_iter()
        .take(usize::try_from(ROWS).unwrap_or(usize::MAX))
        .map(|(a, _)| a)
        .collect();
    let ids: Vec<_> = found.iter().map(|a| a.id).collect();
    let scores =
        pursuit_app::matching::scores_for_applications(&state.db, user.0.id(), &ids).await?;
    let zone = user.0.zone();
    let rows: Vec<Row> = found
        .iter()
        .map(|a| {
            let d = &a.data;
            Row {
                id: a.id.to_string(),
                company: d.company.clone(),
                role: d.role_title.clone(),
                status: status_label(d.status),
                date: d.application_date.to_string(),
                priority: d.priority.as_str().to_owned(),
                next: d.next_action.as_ref().map(|n| match d.next_action_due {
                    Some(due) => format!("{n} · {}", due.to_zoned(zone.clone()).strftime("%b %-d")),
                    None => n.clone(),
                }),
                place: d.location_text.clone(),
                salary: salary_label(&d.salary),
                tags: d.tags.clone(),
                changed: a
                    .updated_at
                    .to_zoned(zone.clone())
                    .strftime("%Y-%m-%d")
                    .to_string(),
                match_score: scores.get(&a.id).copied(),
            }
        })
        .collect();
    let filter_query = query.filters.query_string();
    let headings: Vec<Heading> = SORTS
        .iter()
        .map(|(key, label, _)| {
            let this = *key == sorted_key;
            let next = if this && !descending {
                format!("-{key}")
            } else {
                (*key).to_owned()
            };
            let mut href = format!("/board/table?sort={next}");
            if !filter_query.is_empty() {
                href.push('&');
                href.push_str(&filter_query);
            }
            Heading {
                label,
                href,
                sorted: this.then_some(if descending {
                    "descending"
                } else {
                    "ascending"
                }),
            }
        })
        .collect();
    let count = query.count.unwrap_or(0);
    let failed = query.failed.unwrap_or(0);
    let things = |n: u32| {
        if n == 1 {
            "1 application".to_owned()
        } else {
            format!("{n} applications")
        }
    };
    let done = match query.done.as_str() {
        "moved" => Some(format!("{} moved.", things(count))),
        "archived" => Some(format!("{} archived.", things(count))),
        "unarchived" => Some(format!("{} back on the board.", things(count))),
        "tagged" => Some(format!("{} tagged.", things(count))),
        _ => None,
    }
    .map(|text| {
        if failed > 0 {
            format!(
                "{text} {} could not be changed (changed elsewhere meanwhile, or gone); try them again.",
                things(failed)
            )
        } else {
            text
        }
    });
    let back = if query.sort.is_empty() && filter_query.is_empty() {
        "/board/table".to_owned()
    } else {
        let mut back = format!("/board/table?sort={}", query.sort);
        if !filter_query.is_empty() {
            back.push('&');
            back.push_str(&filter_query);
        }
        back
    };
    let status = if filter_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(render(
        "table.html",
        status,
        context! {
            version => state.settings.version,
            page => "board",
            user => user.view(),
            csrf => user.csrf(),
            rows => template_value(&rows),
            more => more,
            headings => template_value(&headings),
            filters => template_value(&bar),
            filter_action => "/board/table",
            notice => filter_error,
            done => done,
            back => back,
            sort => query.sort,
            statuses => template_value(&ApplicationStatus::ALL.iter().map(|s| (s.as_str(), status_label(*s))).collect::<Vec<_>>()),
        },
    ))
}

/// Applies one action to every application ticked, each through the use case a single
/// edit uses, on its current version.
async fn bulk(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let back = form.text("back");
    let back = if back.starts_with("/board/table") && !back.contains("//") {
        back
    } else {
        "/board/table".to_owned()
    };
    let ids: Vec<ApplicationId> = form
        .all("ids")
        .iter()
        .filter_map(|id| id.parse::<uuid::Uuid>().ok().map(ApplicationId))
        .collect();
    if ids.is_empty() {
        return Err(ApiError::bad_request("tick at least one application first"));
    }
    if ids.len() > BULK_LIMIT {
        return Err(ApiError::bad_request(format!(
            "at most {BULK_LIMIT} applications at once"
        )));
    }
    // The change each application gets: the same fields for all, or a tag added to its own.
    let field = |key: &str, value: Value| Map::from_iter([(key.to_owned(), value)]);
    let (done, fields, tag) = match form.get("action") {
        Some("move") => {
            let status = ApplicationStatus::parse(&form.text("status"))
                .map_err(|_| ApiError::bad_request("choose a status to move them to"))?;
            let status = Value::String(status.as_str().to_owned());
            ("moved", field("status", status), None)
        }
        Some("archive") => {
            let now = Value::String(Timestamp::now().to_string());
            ("archived", field("archived_at", now), None)
        }
        Some("unarchive") => ("unarchived", field("archived_at", Value::Null), None),
        Some("tag") => {
            // Checked once, before any application changes.
            let tag = pursuit_domain::application::parse_tag(&form.text("tag"))
                .map_err(|e| ApiError::bad_request(e.0))?;
            ("tagged", Map::new(), Some(tag))
        }
        _ => {
            return Err(ApiError::bad_request(
                "say what to do: move, archive, unarchive or tag",
            ));
        }
    };
    let (mut count, mut failed) = (0_u32, 0_u32);
    for id in ids {
        let Ok(current) = pursuit_app::applications::get(&state.db, user.id(), id).await else {
            failed += 1;
            continue;
        };
        let mut change = fields.clone();
        if let Some(tag) = &tag {
            let mut tags = current.data.tags.clone();
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.clone());
            }
            change.insert(
                "tags".into(),
                Value::Array(tags.into_iter().map(Value::String).collect()),
            );
        }
        match crate::applications::update(&state, user.id(), id, Ok(current.version), &change).await
        {
            Ok(_) => count += 1,
            // Changed elsewhere meanwhile, gone, or refused for this one: counted, and the
            // others still change.
            Err(error) if error.kind().status().is_client_error() => failed += 1,
            Err(error) => return Err(error),
        }
    }
    let join = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!(
        "{back}{join}done={done}&count={count}&failed={failed}"
    ))
    .into_response())
}
