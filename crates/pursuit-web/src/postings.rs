//! Job postings (`/api/v1/jobs`): added from pasted text or a URL, read into fields, and saved
//! to the tracker as an application with status `Saved`, linked to its company.
//!
//! A URL is fetched in the request, because the user asked for this posting now: through
//! `pursuit_text::fetch`, which refuses private and metadata addresses and caps size and
//! time. Parsing is pure CPU (milliseconds) and also runs in the request.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::embeddings as embed;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::application::{ApplicationStatus, LocationMode, SalaryRange};
use pursuit_domain::company::company_key;
use pursuit_domain::ids::{ApplicationId, PostingId, UserId};
use pursuit_store::applications::ApplicationData;
use pursuit_store::embeddings::Source;
use pursuit_store::postings::{self, Posting};
use pursuit_text::fetch::{self, FetchError, Limits};
use pursuit_text::posting::{self as reader, Input};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;

/// The most text a pasted posting may have, in bytes.
pub const MAX_TEXT: usize = 200_000;
/// The most of a fetched page kept (after scripts and styles are dropped), in bytes.
const MAX_PAGE: usize = 1_000_000;
/// Languages Pursuit writes documents in (seed 004: `desired_output_lang`).
const OUTPUT_LANGS: &[&str] = &["en", "ar"];

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
    /// The language Pursuit should write documents for this posting in: `en` or `ar`;
    /// default the posting's own language when it is one of them, else `en`.
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
}

pub(crate) fn response(p: Posting) -> PostingResponse {
    let text = readable(&p.raw_text, &p.source, p.parsed.as_ref());
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
    }
}

/// How a stored posting is read: a fetched page (kept as HTML, so its JSON-LD is read again
/// on a re-parse) or text as the user gave it.
fn input<'a>(raw: &'a str, source: &str) -> Input<'a> {
    if source == "url"
        && raw
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
    {
        Input::Html(raw)
    } else {
        Input::Text(raw)
    }
}

/// The posting's text for people: as pasted, or a page's readable text (the JSON-LD
/// description when the parse found one).
fn readable(raw: &str, source: &str, parsed: Option<&Value>) -> String {
    match input(raw, source) {
        Input::Text(text) => text.to_owned(),
        Input::Html(page) => parsed
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .map_or_else(|| pursuit_text::html::read(page).text, str::to_owned),
    }
}

/// Why a URL could not be read, for the user.
fn fetch_problem(error: &FetchError) -> ApiError {
    ApiError::invalid_field("/url", format!("cannot read this address: {error}"))
}

fn limits(state: &AppState) -> Limits {
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
    let mut fields = crate::fields::Fields::default();
    let text = body
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let url = body.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    match (text, url) {
        (None, None) => fields.bad("text", "give the posting's text or its url"),
        (Some(_), Some(_)) => fields.bad("url", "give the posting's text or its url, not both"),
        _ => {}
    }
    if text.is_some_and(|t| t.len() > MAX_TEXT) {
        fields.bad("text", format!("is longer than {MAX_TEXT} bytes"));
    }
    let desired = match body.desired_output_lang.as_deref() {
        None => None,
        Some(lang) if OUTPUT_LANGS.contains(&lang) => Some(lang.to_owned()),
        Some(_) => {
            fields.bad(
                "desired_output_lang",
                format!("must be one of {}", OUTPUT_LANGS.join(", ")),
            );
            None
        }
    };
    let mut optional = |field: &str, value: Option<String>| {
        fields
            .text(field, &value.map_or(Value::Null, Value::String), 300)
            .flatten()
    };
    let title_override = optional("title", body.title);
    let company_override = optional("company", body.company);
    if !fields.errors.is_empty() {
        return Err(ApiError::validation(fields.errors));
    }

    // Read the source: pasted text as it is, a URL through the guarded fetcher.
    let (source, raw) = match (text, url) {
        (Some(text), _) => ("text", text.to_owned()),
        (None, url) => {
            let url = url.ok_or_else(|| {
                ApiError::invalid_field("/text", "give the posting's text or its url")
            })?;
            let fetched = fetch::fetch(url, &limits(&state))
                .await
                .map_err(|e| fetch_problem(&e))?;
            let html = fetched
                .content_type
                .as_deref()
                .is_none_or(|t| t.contains("html") || t.contains("xml"));
            // A remote page's U+0000 means nothing and could not be stored: dropped.
            let page = String::from_utf8_lossy(&fetched.body).replace('\0', "");
            if page.trim().is_empty() {
                return Err(ApiError::invalid_field(
                    "/url",
                    "the page at this address is empty",
                ));
            }
            // Kept without scripts and styles; plain text stays plain.
            let kept = if html {
                pursuit_text::html::compact(&page)
            } else {
                page
            };
            ("url", truncate(&kept, MAX_PAGE).to_owned())
        }
    };
    let parse = body.parse.unwrap_or(true);
    let parsed = parse.then(|| reader::parse(input(&raw, source)));

    let title = title_override.or_else(|| parsed.as_ref().and_then(|p| p.title.clone()));
    let company_name = company_override
        .or_else(|| parsed.as_ref().and_then(|p| p.company.clone()))
        .or_else(|| url.and_then(host_of));
    let jd_lang = parsed.as_ref().and_then(|p| p.jd_lang.clone());
    let desired_output_lang = desired
        .or_else(|| {
            jd_lang
                .clone()
                .filter(|l| OUTPUT_LANGS.contains(&l.as_str()))
        })
        .unwrap_or_else(|| "en".to_owned());

    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    let company = match company_name.as_deref() {
        Some(name) if !company_key(name).is_empty() => {
            Some(postings::company_for(&mut tx, current.id(), name, &company_key(name), now).await?)
        }
        _ => None,
    };
    let application = application_for(
        company
            .as_ref()
            .map_or("Unknown company", |c| c.name.as_str()),
        title.as_deref().unwrap_or("Untitled posting"),
        url,
        parsed.as_ref(),
        current.today(),
    );
    let created = pursuit_app::applications::create_in(
        &mut tx,
        current.id(),
        ApplicationId::new(),
        &application,
        pursuit_domain::application::ChangedBy::User,
        now,
    )
    .await?;
    let posting = Posting {
        id: PostingId::new(),
        company,
        application_id: Some(created.id),
        source: source.to_owned(),
        url: url.map(str::to_owned),
        raw_text: raw,
        title,
        parse_status: if parse {
            ParseStatus::Complete
        } else {
            ParseStatus::Pending
        },
        parse_error: None,
        parsed: parsed
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .map_err(ApiError::internal)?,
        jd_lang,
        desired_output_lang,
        created_at: now,
        updated_at: now,
    };
    postings::insert_posting(&mut tx, current.id(), &posting).await?;
    embed::enqueue(&mut tx, current.id(), Source::Posting(posting.id), now).await?;
    tx.commit().await?;
    let location = format!("/api/v1/jobs/{}", posting.id.0);
    let mut response = (StatusCode::CREATED, Json(response(posting))).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// "https://www.acme.com/jobs/1" → "acme.com": a company name of last resort.
fn host_of(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_owned())
}

/// The tracker application a posting is saved as: status `Saved`, with what was read.
fn application_for(
    company: &str,
    title: &str,
    url: Option<&str>,
    parsed: Option<&reader::Posting>,
    today: jiff::civil::Date,
) -> ApplicationData {
    let mut data = ApplicationData::new(company, title, today);
    data.status = ApplicationStatus::Saved;
    data.source = "Job posting".to_owned();
    data.job_url = url.map(str::to_owned);
    if let Some(p) = parsed {
        data.location_text = p.location.clone();
        if let Some(mode) = p
            .remote_type
            .as_deref()
            .and_then(|m| LocationMode::parse(m).ok())
        {
            data.location_mode = mode;
        }
        data.seniority_level = p.seniority.clone();
        data.tech_keywords = p
            .skills
            .required
            .iter()
            .chain(&p.skills.preferred)
            .map(|s| s.name.clone())
            .take(30)
            .collect();
        if let Some(s) = p
            .salary
            .as_ref()
            .filter(|s| !s.ote && s.period.as_deref() == Some("year"))
        {
            let to_i64 = |v: Option<u64>| v.and_then(|v| i64::try_from(v).ok());
            if let Ok(range) = SalaryRange::new(to_i64(s.min), to_i64(s.max), s.currency.as_deref())
            {
                data.salary = range;
            }
        }
    }
    data
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

async fn owned(state: &AppState, user: UserId, id: uuid::Uuid) -> Result<Posting, ApiError> {
    postings::get_posting(&state.db, user, PostingId(id))
        .await?
        .ok_or_else(ApiError::not_found)
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
    Ok(axum::Json(response(owned(&state, current.id(), id).await?)))
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
    let posting = owned(&state, current.id(), id).await?;
    let parsed = reader::parse(input(&posting.raw_text, &posting.source));
    let posting = apply_parse(&state, current.id(), posting, parsed).await?;
    Ok(axum::Json(response(posting)))
}

/// Records what was read from a posting (by Pursuit or an outside workflow): the title and
/// company the user gave are kept, a company named for the first time is linked.
pub(crate) async fn apply_parse(
    state: &AppState,
    user: UserId,
    mut posting: Posting,
    parsed: reader::Posting,
) -> Result<Posting, ApiError> {
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    if posting.title.is_none() {
        posting.title = parsed.title.clone();
    }
    if posting.company.is_none()
        && let Some(name) = parsed
            .company
            .as_deref()
            .filter(|n| !company_key(n).is_empty())
    {
        posting.company =
            Some(postings::company_for(&mut tx, user, name, &company_key(name), now).await?);
    }
    posting.jd_lang = parsed.jd_lang.clone();
    posting.parse_status = ParseStatus::Complete;
    posting.parse_error = None;
    posting.parsed = Some(serde_json::to_value(&parsed).map_err(ApiError::internal)?);
    posting.updated_at = now;
    postings::record_parse(&mut tx, user, &posting).await?;
    // The text may be new (an outside parser's callback sends one).
    embed::enqueue(&mut tx, user, Source::Posting(posting.id), now).await?;
    tx.commit().await?;
    Ok(posting)
}
