//! Job postings (`/api/v1/jobs`): added from pasted text or a URL, read into fields, and saved
//! to the tracker as an application with status `Saved`, linked to its company.
//!
//! The intake itself (fetching, reading, the tracker application) is
//! [`pursuit_app::postings`]; the jobs pages call the same functions.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_domain::ids::{PostingId, UserId};
use pursuit_files::fetch::Limits;
use pursuit_store::postings::{self, Posting};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;

pub use pursuit_app::postings::MAX_TEXT;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_posting, list_postings))
        .routes(routes!(get_posting))
        .routes(routes!(parse_posting))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreatePosting {
    /// The posting as text (plain, Markdown or HTML). Give this or `url`.
    text: Option<String>,
    /// An http(s) address of the posting. Give this or `text`.
    url: Option<String>,
    /// Read the posting into fields now (default true). With `false` it is stored as
    /// `pending` until `POST /api/v1/jobs/{id}/parse` or a workflow callback.
    parse: Option<bool>,
    /// Overrides what parsing finds.
    title: Option<String>,
    company: Option<String>,
    /// The language Pursuit should lay documents for this posting out in: `en`, `ar`,
    /// `fr`, `de` or `es`; default the posting's own language when it is one of them, else
    /// `en`. The user's words are never translated.
    desired_output_lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanyResponse {
    id: uuid::Uuid,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PostingResponse {
    id: uuid::Uuid,
    title: Option<String>,
    company: Option<CompanyResponse>,
    /// The tracker application saved with it (`null` once that application is deleted).
    application_id: Option<uuid::Uuid>,
    /// `text`, `url` or `callback`.
    source: String,
    url: Option<String>,
    /// `pending`, `complete` or `failed` (then `parse_error` says why).
    parse_status: String,
    parse_error: Option<String>,
    jd_lang: Option<String>,
    desired_output_lang: String,
    /// What was read: title, company, location, remote_type, salary, employment_type,
    /// seniority, years_experience, responsibilities, requirements (required/preferred),
    /// skills (required/preferred/mentioned, each with its evidence line), benefits…
    #[schema(value_type = Option<Object>)]
    parsed: Option<Value>,
    /// The posting's text: as pasted, or the fetched page's readable text.
    text: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
    /// With `sort=match`: the score against the active resume version (null for a posting
    /// not read yet).
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    match_summary: Option<Option<crate::matches::MatchSummary>>,
    /// In `GET /api/v1/jobs/{id}` (seed 004): the newest optimization report for the
    /// posting, null before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    result: Option<Option<crate::optimizations::OptimizationResponse>>,
}

pub(crate) fn response(p: Posting) -> PostingResponse {
    let text = pursuit_app::postings::readable(&p.raw_text, &p.source, p.parsed.as_ref());
    PostingResponse {
        id: p.id.0,
        title: p.title,
        company: p.company.map(|c| CompanyResponse {
            id: c.id.0,
            name: c.name,
        }),
        application_id: p.application_id.map(|a| a.0),
        source: p.source,
        url: p.url,
        parse_status: p.parse_status.as_str().to_owned(),
        parse_error: p.parse_error,
        jd_lang: p.jd_lang,
        desired_output_lang: p.desired_output_lang,
        text,
        parsed: p.parsed,
        created_at: p.created_at,
        updated_at: p.updated_at,
        match_summary: None,
        result: None,
    }
}

/// The fetcher's limits on this installation.
pub(crate) fn limits(state: &AppState) -> Limits {
    Limits {
        allow_loopback: state.settings.fetch_allow_loopback,
        ..Limits::default()
    }
}

/// Adds a posting: reads it (pasted or fetched), links or creates its company, and saves it to
/// the tracker as a `Saved` application, in one transaction.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs", request_body = CreatePosting,
    responses(
        (status = 201, description = "Added; `Location` names it", body = PostingResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of text and url, a refused or unreadable URL, text too long", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_posting(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<CreatePosting>,
) -> Result<Response, ApiError> {
    let intake = pursuit_app::postings::Intake {
        text: body.text,
        url: body.url,
        parse: body.parse.unwrap_or(true),
        title: body.title,
        company: body.company,
        desired_output_lang: body.desired_output_lang,
    };
    let posting = pursuit_app::postings::add(
        &state.db,
        current.id(),
        current.today(),
        &intake,
        &limits(&state),
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/jobs/{}", posting.id.0);
    let mut response = (StatusCode::CREATED, Json(response(posting))).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only postings saved to the tracker (`true`) or only those not (`false`).
    saved: Option<bool>,
    /// `newest` (the default) or `match`: best match to the active resume version first
    /// (each item then has `match`; postings not read yet come last). Ranks the newest
    /// 5,000 postings.
    sort: Option<String>,
    /// 1 to 200, default 50.
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PostingPage {
    items: Vec<PostingResponse>,
    next_cursor: Option<String>,
}

/// The caller's postings, newest first, or best match first.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(ListQuery),
    responses(
        (status = 200, description = "A page of postings", body = PostingPage),
        (status = 400, description = "A bad limit or cursor", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`sort=match` without a resume version that has been read", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `sort`", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_postings(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<axum::Json<PostingPage>, ApiError> {
    let limit = page::limit(query.limit)?;
    match query.sort.as_deref() {
        None | Some("newest") => {}
        Some("match") => return ranked_postings(&state, current.id(), &query, limit).await,
        Some(_) => return Err(ApiError::invalid_field("/sort", "must be newest or match")),
    }
    let after = page::time_and_id(query.cursor.as_deref())?.map(|(at, id)| (at, PostingId(id)));
    let mut items =
        postings::list_postings(&state.db, current.id(), query.saved, after, limit + 1).await?;
    let next_cursor = page::trim(&mut items, limit)
        .then(|| items.last().map(|p| page::encode(&[&p.created_at, &p.id])))
        .flatten();
    Ok(axum::Json(PostingPage {
        items: items.into_iter().map(response).collect(),
        next_cursor,
    }))
}

/// `sort=match`: every posting (up to [`MAX_RANKED`]) scored, best first; the cursor is the
/// last item's position in that order and its id, checked on the next page.
async fn ranked_postings(
    state: &AppState,
    user: UserId,
    query: &ListQuery,
    limit: i64,
) -> Result<axum::Json<PostingPage>, ApiError> {
    let after = match query.cursor.as_deref() {
        None => None,
        Some(cursor) => Some(
            page::decode(cursor, 2)
                .and_then(|p| {
                    Some((
                        p[0].parse::<usize>().ok()?,
                        p[1].parse::<uuid::Uuid>().ok()?,
                    ))
                })
                .ok_or_else(|| ApiError::bad_request("the cursor is not valid"))?,
        ),
    };
    let read = pursuit_app::matching::resume_version(&state.db, user, None).await?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let after = after.map(|(position, id)| (position, PostingId(id)));
    let (page, start, more) =
        pursuit_app::matching::ranked_page(&state.db, user, &read, query.saved, after, limit)
            .await?;
    let items: Vec<PostingResponse> = page
        .into_iter()
        .map(|(posting, scored)| {
            let mut item = response(posting);
            item.match_summary = Some(
                scored
                    .as_ref()
                    .map(|s| crate::matches::MatchSummary::of(s, &read)),
            );
            item
        })
        .collect();
    let next_cursor = more
        .then(|| {
            items
                .last()
                .map(|last| page::encode(&[&(start + items.len() - 1), &last.id]))
        })
        .flatten();
    Ok(axum::Json(PostingPage { items, next_cursor }))
}

/// One posting with what was read from it.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = uuid::Uuid, Path, description = "The posting's id")),
    responses(
        (status = 200, description = "The posting", body = PostingResponse),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_posting(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<PostingResponse>, ApiError> {
    let posting = pursuit_app::postings::get(&state.db, current.id(), PostingId(id)).await?;
    let latest = pursuit_app::optimizations::latest(&state.db, current.id(), posting.id).await?;
    let mut answer = response(posting);
    answer.result = Some(latest.map(|o| crate::optimizations::response(o, false)));
    Ok(axum::Json(answer))
}

/// Reads (again) a posting's stored text into fields — for one added with `parse: false`,
/// or after the parser improved. Title and company the user gave are kept.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/parse", tag = "jobs",
    params(("id" = uuid::Uuid, Path, description = "The posting's id")),
    responses(
        (status = 200, description = "The posting, parsed", body = PostingResponse),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn parse_posting(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<PostingResponse>, ApiError> {
    let posting = pursuit_app::postings::read_again(&state.db, current.id(), PostingId(id)).await?;
    Ok(axum::Json(response(posting)))
}
