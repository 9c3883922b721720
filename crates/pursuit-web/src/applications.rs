//! The tracker's applications: `/api/v1/applications` (seed 002 §7.2) with client ids,
//! `ETag`/`If-Match` optimistic concurrency, cursor pagination and filters, and the status
//! history.
//!
//! Request bodies are read field by field into the stored record, so create and update
//! share one set of rules and every invalid field is named in one 422. Unknown fields are
//! ignored (see docs/API-DESIGN.md).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use pursuit_app::Precondition;
use pursuit_domain::application::ChangedBy;
use pursuit_domain::ids::{ApplicationId, UserId};
use pursuit_store::applications::{
    self, Application, ApplicationData, ApplicationFilter, Sort, SortKey, SortValue,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::fields::Fields;
use crate::idempotency::Idempotency;
use crate::problem::ApiError;
use crate::versioned::{self, version_sent};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_applications, create_application))
        .routes(routes!(
            get_application,
            patch_application,
            delete_application
        ))
        .routes(routes!(application_history))
        .routes(routes!(put_position))
        .routes(routes!(list_tags))
}

/// The body of create and update. On create `company` and `role_title` are required and
/// the rest default as seed 002 says; on update every field is optional and `null` clears a
/// nullable one.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ApplicationRequest {
    /// Create only: an id made by the client (offline clients), else the server makes one.
    id: Option<uuid::Uuid>,
    company: Option<String>,
    role_title: Option<String>,
    /// Default `Applied`.
    status: Option<String>,
    /// Default `Other`.
    source: Option<String>,
    /// `YYYY-MM-DD`; default today in the user's time zone.
    application_date: Option<String>,
    /// `None`, `Low`, `Medium`, `High`; default `None`.
    priority: Option<String>,
    /// `remote`, `hybrid`, `onsite`, or null (the default): not stated.
    location_mode: Option<String>,
    job_url: Option<String>,
    location_text: Option<String>,
    /// IANA zone of the job.
    timezone: Option<String>,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    /// ISO 4217, e.g. `EUR`.
    salary_currency: Option<String>,
    job_requisition_id: Option<String>,
    seniority_level: Option<String>,
    tech_keywords: Option<Vec<String>>,
    resume_url: Option<String>,
    cover_letter_url: Option<String>,
    cover_letter_used: Option<bool>,
    #[schema(value_type = Option<Object>)]
    contacts_inline: Option<Value>,
    next_action: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    next_action_due: Option<String>,
    notes: Option<String>,
    tags: Option<Vec<String>>,
    attachments_links: Option<Vec<String>>,
    /// Set to archive (off the board, still in analytics); `null` to unarchive.
    #[schema(value_type = Option<String>, format = DateTime)]
    archived_at: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationResponse {
    id: uuid::Uuid,
    company: String,
    role_title: String,
    status: &'static str,
    source: String,
    application_date: String,
    priority: &'static str,
    /// `remote`, `hybrid`, `onsite`; null when not stated.
    location_mode: Option<&'static str>,
    job_url: Option<String>,
    location_text: Option<String>,
    timezone: Option<String>,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    salary_currency: Option<String>,
    job_requisition_id: Option<String>,
    seniority_level: Option<String>,
    tech_keywords: Vec<String>,
    resume_url: Option<String>,
    cover_letter_url: Option<String>,
    cover_letter_used: Option<bool>,
    #[schema(value_type = Option<Object>)]
    contacts_inline: Option<Value>,
    next_action: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    next_action_due: Option<Timestamp>,
    notes: Option<String>,
    tags: Vec<String>,
    attachments_links: Vec<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    archived_at: Option<Timestamp>,
    /// Send it back in `If-Match` to change or delete the application.
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(application: &Application) -> ApplicationResponse {
    ApplicationResponse::from(application.clone())
}

impl From<Application> for ApplicationResponse {
    /// Moves the application's text into the response (a list of many copies nothing).
    fn from(application: Application) -> ApplicationResponse {
        let d = application.data;
        ApplicationResponse {
            id: application.id.0,
            company: d.company,
            role_title: d.role_title,
            status: d.status.as_str(),
            source: d.source,
            application_date: d.application_date.to_string(),
            priority: d.priority.as_str(),
            location_mode: d.location_mode.map(|m| m.as_str()),
            job_url: d.job_url,
            location_text: d.location_text,
            timezone: d.timezone,
            salary_min: d.salary.min,
            salary_max: d.salary.max,
            salary_currency: d.salary.currency,
            job_requisition_id: d.job_requisition_id,
            seniority_level: d.seniority_level,
            tech_keywords: d.tech_keywords,
            resume_url: d.resume_url,
            cover_letter_url: d.cover_letter_url,
            cover_letter_used: d.cover_letter_used,
            contacts_inline: d.contacts_inline,
            next_action: d.next_action,
            next_action_due: d.next_action_due,
            notes: d.notes,
            tags: d.tags,
            attachments_links: d.attachments_links,
            archived_at: d.archived_at,
            version: application.version,
            created_at: application.created_at,
            updated_at: application.updated_at,
        }
    }
}

fn with_etag(status: StatusCode, application: &Application) -> Response {
    versioned::with_etag(status, response(application), application.version)
}

pub(crate) fn stale(current: &Application, sent: i64) -> ApiError {
    versioned::stale("application", response(current), current.version, sent)
}

/// Creates an application. Required: `company`, `role_title`; an `id` may be supplied. With
/// `Idempotency-Key`, a retry of the same request gets the first response again.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = ApplicationRequest,
    responses(
        (status = 201, description = "Created; `ETag` carries its version", body = ApplicationResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An application with this id exists", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_application(
    State(state): State<AppState>,
    current: CurrentUser,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let idempotency = Idempotency::from_request(
        &headers,
        "/api/v1/applications",
        &Value::Object(body.clone()),
    )?;
    let mut fields = Fields::default();
    let chosen_id = !matches!(body.get("id"), None | Some(Value::Null));
    let id = match body.get("id") {
        None | Some(Value::Null) => ApplicationId::new(),
        Some(value) => match value.as_str().and_then(|s| s.parse::<uuid::Uuid>().ok()) {
            Some(id) => ApplicationId(id),
            None => {
                fields.bad("id", "must be a UUID");
                ApplicationId::new()
            }
        },
    };
    for required in ["company", "role_title"] {
        if !body.contains_key(required) {
            fields.bad(required, "is required");
        }
    }
    let mut data = ApplicationData::new("", "", current.today());
    pursuit_app::applications::apply(&body, &mut data, &mut fields);
    if !fields.errors.is_empty() {
        return Err(ApiError::validation(fields.errors));
    }
    let now = Timestamp::now();
    // Read before the transaction: not inside the database's one write turn.
    let rules =
        pursuit_app::reminders::RuleInputs::for_status(&state.db, current.id(), data.status)
            .await?;
    let mut tx = state.db.begin().await?;
    if let Some(key) = &idempotency
        && let Some(replayed) = key.replay(&mut tx, current.id()).await?
    {
        return Ok(replayed);
    }
    if chosen_id {
        pursuit_app::applications::check_chosen_id(&mut tx, id).await?;
    }
    let created = pursuit_app::applications::create_in(
        &mut tx,
        current.id(),
        id,
        &data,
        ChangedBy::User,
        rules.as_ref(),
        now,
    )
    .await?;
    if let Some(key) = &idempotency {
        let body = serde_json::to_value(response(&created)).unwrap_or(Value::Null);
        key.record(&mut tx, current.id(), StatusCode::CREATED, body)
            .await?;
    }
    tx.commit().await?;
    let mut response = with_etag(StatusCode::CREATED, &created);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/applications/{}", created.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One application, with its version in `ETag`.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_application(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let application = applications::get_application(&state.db, current.id(), ApplicationId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(with_etag(StatusCode::OK, &application))
}

/// Changes some fields. Requires `If-Match` with the version last read: without it 428; if
/// the application changed since, 409 with the current application under `current`.
#[utoipa::path(patch, path = "/api/v1/applications/{id}", tag = "applications", request_body = ApplicationRequest,
    params(("id" = uuid::Uuid, Path, description = "The application's id"),
           ("If-Match" = String, Header, description = "The ETag last read, e.g. W/\"3\"")),
    responses(
        (status = 200, description = "Updated; `ETag` carries the new version", body = ApplicationResponse),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read; `current` holds it", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_application(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let updated = update(
        &state,
        current.id(),
        ApplicationId(id),
        version_sent(&headers),
        &body,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, &updated))
}

/// Applies a PATCH body to one of the caller's applications at the version the caller read
/// (the API and the board's forms change applications through here): the body's fields are
/// read with [`pursuit_app::applications::apply`], the rest is the use case's.
pub(crate) async fn update(
    state: &AppState,
    user: UserId,
    id: ApplicationId,
    expected: Result<i64, Precondition>,
    body: &Map<String, Value>,
) -> Result<Application, ApiError> {
    let edit = |data: &mut ApplicationData| {
        let mut fields = Fields::default();
        pursuit_app::applications::apply(body, data, &mut fields);
        fields.finish()
    };
    Ok(
        pursuit_app::applications::update(&state.db, user, id, expected, edit, Timestamp::now())
            .await?,
    )
}

/// Deletes an application and its history. Requires `If-Match` like PATCH.
#[utoipa::path(delete, path = "/api/v1/applications/{id}", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The application's id"),
           ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_application(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    pursuit_app::applications::delete(
        &state.db,
        current.id(),
        ApplicationId(id),
        version_sent(&headers),
        Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where to put a card in its board column: exactly one member.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct PositionRequest {
    /// Just above this card (an application in the same column).
    before: Option<uuid::Uuid>,
    /// Just below this card (an application in the same column).
    after: Option<uuid::Uuid>,
    /// `top` or `bottom` of the column.
    to: Option<String>,
}

/// A card's place in its column after a move.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PositionResponse {
    id: uuid::Uuid,
    /// The column (the application's status).
    status: String,
    /// The card now just above it; null at the top.
    above: Option<uuid::Uuid>,
    /// The card now just below it; null at the bottom.
    below: Option<uuid::Uuid>,
}

/// Puts an application at a place in its board column: above or below another card of the
/// same column, or at the top or bottom. The order is the board's layout: the
/// application's version and `updated_at` stay as they are, so no `If-Match` is needed, and
/// sending the same placement again gives the same order. A card entering a column (created,
/// or its status changed) goes on top; `sort=-board_position` lists in this order.
#[utoipa::path(put, path = "/api/v1/applications/{id}/position", tag = "applications", request_body = PositionRequest,
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "Placed; its neighbours now", body = PositionResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly one placement, a neighbour that is not a live card of the same column, or an archived application", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn put_position(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<Map<String, Value>>,
) -> Result<Json<PositionResponse>, ApiError> {
    let placement = pursuit_app::board::Placement::read(&body)?;
    let placed = pursuit_app::board::place(
        &state.db,
        current.id(),
        ApplicationId(id),
        placement,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(PositionResponse {
        id: placed.id.0,
        status: placed.status.as_str().to_owned(),
        above: placed.above.map(|a| a.0),
        below: placed.below.map(|b| b.0),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Comma-separated statuses, e.g. `Applied,Screening`.
    status: Option<String>,
    priority: Option<String>,
    source: Option<String>,
    tag: Option<String>,
    /// Text in company, role or notes.
    q: Option<String>,
    /// `true` lists archived applications instead of live ones.
    archived: Option<bool>,
    /// Applied on or after (`YYYY-MM-DD`).
    from: Option<String>,
    /// Applied on or before (`YYYY-MM-DD`).
    to: Option<String>,
    /// Text in the company name.
    company: Option<String>,
    /// Text in the role title.
    role: Option<String>,
    /// Text in the location, or `remote`, `hybrid`, `onsite`.
    location: Option<String>,
    /// Salary bands reaching at least this much.
    salary_min: Option<i64>,
    /// Salary bands starting at most at this much.
    salary_max: Option<i64>,
    /// `true`: only applications with a reminder due now (unsent, not cancelled).
    has_due_reminders: Option<bool>,
    /// A saved view's id: its filters apply first; the parameters above narrow them.
    view: Option<uuid::Uuid>,
    /// `created_at`, `updated_at`, `application_date`, `company`, `next_action_due`,
    /// `priority` or `board_position` (`-board_position`: the board's order, top first); a
    /// leading `-` sorts descending. Default `-created_at` (newest first), or
    /// the view's sort.
    sort: Option<String>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationPage {
    items: Vec<ApplicationResponse>,
    next_cursor: Option<String>,
}

/// A cursor: the sort it belongs to, the last row's sort value and its id, `|`-separated
/// (the id and the sort name hold no `|`; the value comes last but one and may).
fn cursor_of(sort: Sort, value: &SortValue, application: &Application) -> String {
    let value = match value {
        SortValue::Instant(t) => t.to_string(),
        SortValue::Date(d) => d.to_string(),
        SortValue::Text(text) => text.clone(),
        SortValue::Rank(n) => n.to_string(),
    };
    URL_SAFE_NO_PAD.encode(format!("{}|{}|{value}", sort.name(), application.id))
}

fn parse_cursor(cursor: &str, sort: Sort) -> Option<(SortValue, ApplicationId)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let mut parts = text.splitn(3, '|');
    let (name, id, value) = (parts.next()?, parts.next()?, parts.next()?);
    if name != sort.name() {
        return None;
    }
    let value = match sort.key {
        SortKey::CreatedAt | SortKey::UpdatedAt | SortKey::NextActionDue => {
            SortValue::Instant(value.parse().ok()?)
        }
        SortKey::ApplicationDate => SortValue::Date(value.parse().ok()?),
        SortKey::Company => SortValue::Text(value.to_owned()),
        SortKey::Priority | SortKey::BoardPosition => SortValue::Rank(value.parse().ok()?),
    };
    value
        .fits(sort)
        .then_some((value, ApplicationId(id.parse().ok()?)))
}

/// The caller's applications, newest first unless `sort` (or the view's sort) says
/// otherwise, with filters and cursor pagination. Archived ones only with `archived=true`.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", params(ListQuery),
    responses(
        (status = 200, description = "A page of applications", body = ApplicationPage),
        (status = 400, description = "A bad filter, limit or cursor", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_applications(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<crate::page::SizedJson<ApplicationPage>, ApiError> {
    let limit = crate::page::limit(query.limit)?;
    let filter = list_filter(&state, current.id(), &query).await?;
    let after = match query.cursor.as_deref() {
        Some(cursor) => Some(parse_cursor(cursor, filter.sort).ok_or_else(|| {
            ApiError::bad_request("the cursor is not valid for this list and sort")
        })?),
        None => None,
    };
    let mut page =
        applications::list_applications(&state.db, current.id(), &filter, after, limit + 1).await?;
    let next_cursor = crate::page::trim(&mut page, limit)
        .then(|| {
            page.last()
                .map(|(application, value)| cursor_of(filter.sort, value, application))
        })
        .flatten();
    // An application is about 600 bytes of JSON, more with notes and contacts.
    let bytes = 64 + 1024 * page.len();
    Ok(crate::page::SizedJson {
        value: ApplicationPage {
            items: page
                .into_iter()
                .map(|(application, _)| ApplicationResponse::from(application))
                .collect(),
            next_cursor,
        },
        bytes,
    })
}

/// The list's filter: the saved view's document (if any) with the query's parameters
/// written over it, read by the one set of rules of [`pursuit_app::filters::read`]. A bad
/// parameter is a 400 naming it.
async fn list_filter(
    state: &AppState,
    user: UserId,
    query: &ListQuery,
) -> Result<ApplicationFilter, ApiError> {
    let now = Timestamp::now();
    let mut document = match query.view {
        Some(view) => {
            let saved = pursuit_store::views::get_view(&state.db, user, view)
                .await?
                .ok_or_else(|| ApiError::bad_request("no such saved view"))?;
            let document = saved.filters.as_object().cloned().unwrap_or_default();
            pursuit_app::filters::read(&document, now)
                .map_err(|_| ApiError::bad_request("the saved view's filters are not valid"))?;
            document
        }
        None => Map::new(),
    };
    let text = |v: &Option<String>| v.clone().map(Value::String);
    let statuses = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|list| {
            Value::Array(
                list.split(',')
                    .map(|s| Value::String(s.trim().to_owned()))
                    .collect(),
            )
        });
    let parameters = [
        ("status", statuses),
        ("priority", text(&query.priority)),
        ("source", text(&query.source)),
        ("tag", text(&query.tag)),
        ("q", text(&query.q)),
        ("archived", query.archived.map(Value::Bool)),
        ("from", text(&query.from)),
        ("to", text(&query.to)),
        ("company", text(&query.company)),
        ("role", text(&query.role)),
        ("location", text(&query.location)),
        ("salary_min", query.salary_min.map(Value::from)),
        ("salary_max", query.salary_max.map(Value::from)),
        (
            "has_due_reminders",
            query.has_due_reminders.map(Value::Bool),
        ),
        ("sort", text(&query.sort)),
    ];
    for (name, value) in parameters {
        if let Some(value) = value {
            document.insert(name.to_owned(), value);
        }
    }
    pursuit_app::filters::read(&document, now).map_err(|errors| {
        let named: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field.trim_start_matches('/'), e.message))
            .collect();
        ApiError::bad_request(named.join("; "))
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusChangeResponse {
    from: Option<String>,
    to: String,
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    /// `user`, `rule` or `import`.
    by: String,
}

/// The whole status history in the list shape every list uses; `next_cursor` is always null.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HistoryPage {
    items: Vec<StatusChangeResponse>,
    next_cursor: Option<String>,
}

/// Every status the application entered, oldest first.
#[utoipa::path(get, path = "/api/v1/applications/{id}/history", tag = "applications",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The status history", body = HistoryPage),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn application_history(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<HistoryPage>, ApiError> {
    let id = ApplicationId(id);
    applications::get_application(&state.db, current.id(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let history = applications::status_history(&state.db, current.id(), Some(id)).await?;
    Ok(Json(HistoryPage {
        items: history
            .into_iter()
            .map(|c| StatusChangeResponse {
                from: c.from.map(|s| s.as_str().to_owned()),
                to: c.to.as_str().to_owned(),
                at: c.at,
                by: c.by.as_str().to_owned(),
            })
            .collect(),
        next_cursor: None,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TagCount {
    tag: String,
    /// Applications carrying the tag (archived ones included).
    count: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TagList {
    items: Vec<TagCount>,
    /// Always `null`: a user's tags fit on one page.
    next_cursor: Option<String>,
}

/// The caller's tags with their use counts, most used first.
#[utoipa::path(get, path = "/api/v1/tags", tag = "applications",
    responses(
        (status = 200, description = "Tags and counts", body = TagList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_tags(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<TagList>, ApiError> {
    let counts = applications::tag_counts(&state.db, current.id()).await?;
    Ok(Json(TagList {
        items: counts
            .into_iter()
            .map(|(tag, count)| TagCount { tag, count })
            .collect(),
        next_cursor: None,
    }))
}
