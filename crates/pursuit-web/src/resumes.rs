//! The user's resume (`/api/v1/resume`): every upload or pasted text is a new version, read by
//! the `resume.parse` job; the user picks the active version and corrects what was read.
//!
//! Corrections live apart from the parse (`corrections`, a JSON object laid over `parsed`),
//! so re-reading a version never loses them. Originals are kept in file storage under the
//! owner's id; only the owner can download them.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{ResumeVersionId, UserId};
use pursuit_files::storage::Kind;
use pursuit_files::{ExtractError, Format};
use pursuit_store::resumes::{self, Version};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};

/// The most text `from-text` accepts, in bytes.
pub const MAX_TEXT: usize = 200_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_resume))
        // The upload counts its own bytes against `upload_limit` (see `read_upload`).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .routes(routes!(resume_from_text))
        .routes(routes!(get_resume, patch_resume))
        .routes(routes!(list_versions))
        .routes(routes!(get_version, patch_version, delete_version))
        .routes(routes!(activate_version))
        .routes(routes!(label_version))
        .routes(routes!(parse_version))
        .routes(routes!(download_original))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionResponse {
    id: uuid::Uuid,
    version_no: i64,
    /// The name its owner gave it (`PUT …/label`).
    label: Option<String>,
    /// Whether this is the version Pursuit uses (matching, documents).
    active: bool,
    /// `upload`, `text` or `callback`.
    source: String,
    /// `pdf`, `docx`, `html`, `markdown`, `text` or `json_resume`.
    format: String,
    file_name: Option<String>,
    byte_size: i64,
    /// `pending`, `complete` or `failed` (then `parse_error` says why).
    parse_status: String,
    parse_error: Option<String>,
    /// The parse job: `GET /api/v1/tasks/{task_id}` shows its progress.
    task_id: Option<uuid::Uuid>,
    /// ISO 639-1 language of the resume.
    lang: Option<String>,
    /// What was read with the user's corrections laid over it: basics (name, label, email,
    /// phone, url, location, summary, profiles), work, education, certificates, languages,
    /// skills (each with its evidence line), accomplishments, total_years.
    #[schema(value_type = Option<Object>)]
    fields: Option<Value>,
    /// The user's corrections alone (`PATCH` merges into them).
    #[schema(value_type = Object)]
    corrections: Value,
    /// Text a human reader would not see (white, tiny, invisible, hidden runs) and lines
    /// addressed to AI screeners: a known way to game screening, shown so the user can fix it.
    flags: Flags,
    /// PDF pages the reader failed on: their text is missing from `fields`.
    unreadable_pages: Vec<u32>,
    /// The text read from the original (absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// Where the owner downloads what they gave.
    original_url: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Flags {
    /// True when anything below was found.
    flagged: bool,
    #[schema(value_type = Vec<Object>)]
    hidden_text: Value,
    injections: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResumeResponse {
    resume_id: uuid::Uuid,
    title: String,
    active_version: Option<VersionResponse>,
    /// How many versions there are.
    versions: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionList {
    items: Vec<VersionResponse>,
}

pub(crate) fn response(version: Version, active: bool, with_text: bool) -> VersionResponse {
    let fields = pursuit_app::resumes::merged(version.parsed.as_ref(), &version.corrections);
    let hidden = pursuit_app::resumes::HiddenReport::of(&version.hidden);
    let flagged = hidden.flagged();
    let hidden_text = serde_json::to_value(&hidden.text).unwrap_or_default();
    let injections = hidden.injections;
    let unreadable_pages = hidden.unreadable_pages;
    VersionResponse {
        id: version.id.0,
        version_no: version.version_no,
        label: version.label,
        active,
        original_url: format!("/api/v1/resume/versions/{}/original", version.id.0),
        source: version.source,
        format: version.format,
        file_name: version.file_name,
        byte_size: version.byte_size,
        parse_status: version.parse_status.as_str().to_owned(),
        parse_error: version.parse_error,
        task_id: version.task_id.map(|t| t.0),
        lang: version.lang,
        fields,
        corrections: version.corrections,
        flags: Flags {
            flagged,
            hidden_text,
            injections,
        },
        unreadable_pages,
        text: if with_text { version.raw_text } else { None },
        created_at: version.created_at,
        updated_at: version.updated_at,
    }
}

/// Adds a version from an upload (multipart: `file`, optional `title`). The version is
/// `pending` until the parse job reads it; it becomes the active one.
#[utoipa::path(post, path = "/api/v1/resume/upload", tag = "resume",
    request_body(content_type = "multipart/form-data", description = "`file`: PDF, DOCX, HTML, Markdown, text or JSON Resume; `title` (optional, the resume's title when it is the first)"),
    responses(
        (status = 202, description = "Stored and queued for reading; `Location` names the version", body = VersionResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than `upload_limit_bytes`", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a format Pursuit reads (legacy .doc, images, binary)", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `file` part, or an empty file", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn upload_resume(
    State(state): State<AppState>,
    current: CurrentUser,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let upload = read_upload(&state, multipart).await?;
    let format = upload_format(&upload)?;
    let Upload {
        name, bytes, title, ..
    } = upload;
    add_version(
        &state,
        current.id(),
        pursuit_app::resumes::Original::File { name, bytes },
        format,
        title,
    )
    .await
}

/// An upload's parts.
pub(crate) struct Upload {
    pub name: Option<String>,
    pub bytes: bytes::Bytes,
    pub title: Option<String>,
    /// The page form's CSRF token (`csrf` part), empty from API clients.
    pub csrf: String,
}

/// The format of an upload, or why it is refused (415 for what Pursuit cannot read).
pub(crate) fn upload_format(upload: &Upload) -> Result<Format, ApiError> {
    Format::sniff(&upload.bytes, upload.name.as_deref()).map_err(|error| match error {
        ExtractError::Unsupported(reason) => {
            ApiError::new(ProblemType::UnsupportedMediaType).with_detail(reason)
        }
        other => ApiError::invalid_field("/file", other.to_string()),
    })
}

/// The parts of an upload, with the file's size checked as it arrives.
pub(crate) async fn read_upload(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<Upload, ApiError> {
    let limit = state.settings.upload_limit;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(format!(
            "the multipart body cannot be read: {}",
            e.body_text()
        ))
    };
    let mut file = None;
    let mut title = None;
    let mut csrf = String::new();
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = field.file_name().map(sanitize_name);
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > limit {
                        return Err(ApiError::new(ProblemType::PayloadTooLarge)
                            .with_detail(format!("the file is larger than {limit} bytes")));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some((name, bytes::Bytes::from(bytes)));
            }
            Some("title") => {
                let text = field.text().await.map_err(bad)?;
                if text.contains('\0') {
                    return Err(crate::problem::nul_problem(vec!["/title".to_owned()]));
                }
                title = Some(text.trim().chars().take(200).collect::<String>())
                    .filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError::invalid_field(
            "/file",
            "attach the resume as a multipart part named `file`",
        )
    })?;
    Ok(Upload {
        name,
        bytes,
        title,
        csrf,
    })
}

/// Checks pasted text: not empty, not over `MAX_TEXT`.
pub(crate) fn pasted(text: &str) -> Result<&str, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid_field("/text", "is empty"));
    }
    if text.len() > MAX_TEXT {
        return Err(ApiError::invalid_field(
            "/text",
            format!("is longer than {MAX_TEXT} bytes"),
        ));
    }
    Ok(text)
}

/// What pasted text is: a JSON Resume, HTML, Markdown (it has `#` headings) or plain text.
pub(crate) fn text_format(text: &str) -> Format {
    match Format::sniff(text.as_bytes(), None) {
        Ok(Format::JsonResume) => Format::JsonResume,
        Ok(Format::Html) => Format::Html,
        _ if text
            .lines()
            .any(|l| l.starts_with("# ") || l.starts_with("## ")) =>
        {
            Format::Markdown
        }
        _ => Format::Text,
    }
}

/// A file name safe to store and to echo in `Content-Disposition`.
fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if clean.trim().is_empty() {
        "resume".to_owned()
    } else {
        clean
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FromText {
    /// The resume as plain text or Markdown, or a JSON Resume document as a string.
    text: String,
    /// The resume's title (used when it is the user's first).
    title: Option<String>,
}

/// Adds a version from pasted text. Like an upload, it is read by the parse job.
#[utoipa::path(post, path = "/api/v1/resume/from-text", tag = "resume", request_body = FromText,
    responses(
        (status = 202, description = "Stored and queued for reading", body = VersionResponse),
        (status = 422, description = "Empty or too long", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn resume_from_text(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<FromText>,
) -> Result<Response, ApiError> {
    let text = pasted(&body.text)?;
    let format = text_format(text);
    let title = body
        .title
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    add_version(
        &state,
        current.id(),
        pursuit_app::resumes::Original::Text(text.to_owned()),
        format,
        title,
    )
    .await
}

/// Stores the original, then in one transaction: the resume (made on first use), the
/// version, its parse job, and the version made active. A failed transaction removes the
/// stored file again.
async fn add_version(
    state: &AppState,
    user: UserId,
    original: pursuit_app::resumes::Original,
    format: Format,
    title: Option<String>,
) -> Result<Response, ApiError> {
    let version = pursuit_app::resumes::add_version(
        &state.db,
        state.files.as_ref(),
        user,
        original,
        format,
        title,
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/resume/versions/{}", version.id.0);
    let mut response = (StatusCode::ACCEPTED, Json(response(version, true, true))).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResumeQuery {
    /// `jsonresume` for the active version as a JSON Resume document.
    format: Option<String>,
}

/// The user's resume: the active version with what was read and corrected. With
/// `?format=jsonresume`, that version as a JSON Resume document.
#[utoipa::path(get, path = "/api/v1/resume", tag = "resume", params(ResumeQuery),
    responses(
        (status = 200, description = "The resume and its active version", body = ResumeResponse),
        (status = 404, description = "No resume yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`format=jsonresume` while the active version is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown `format`", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_resume(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ResumeQuery>,
) -> Result<Response, ApiError> {
    let json_resume = match query.format.as_deref() {
        None | Some("pursuit") => false,
        Some("jsonresume") => true,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "/format",
                "must be jsonresume (or left out)",
            ));
        }
    };
    let user = current.id();
    let resume = resumes::get_resume(&state.db, user)
        .await?
        .ok_or_else(|| ApiError::not_found().with_detail("no resume yet: upload one first"))?;
    let versions = resumes::list_versions(&state.db, user).await?;
    let count = versions.len();
    let active = versions
        .into_iter()
        .find(|v| Some(v.id) == resume.active_version_id);
    if json_resume {
        let version = active.ok_or_else(|| ApiError::conflict("no version is active"))?;
        if version.parse_status != ParseStatus::Complete {
            return Err(ApiError::conflict(format!(
                "the active version is not read yet (parse status: {})",
                version.parse_status
            )));
        }
        let fields = pursuit_app::resumes::merged(version.parsed.as_ref(), &version.corrections)
            .unwrap_or(Value::Null);
        let resume: pursuit_text::resume::Resume =
            serde_json::from_value(fields).map_err(ApiError::internal)?;
        return Ok(axum::Json(resume.to_json_resume()).into_response());
    }
    Ok(axum::Json(ResumeResponse {
        resume_id: resume.id.0,
        title: resume.title,
        active_version: active.map(|v| response(v, true, true)),
        versions: count,
    })
    .into_response())
}

/// Every version, newest first (without their text).
#[utoipa::path(get, path = "/api/v1/resume/versions", tag = "resume",
    responses((status = 200, description = "The versions", body = VersionList)))]
async fn list_versions(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<axum::Json<VersionList>, ApiError> {
    let user = current.id();
    let active = resumes::get_resume(&state.db, user)
        .await?
        .and_then(|r| r.active_version_id);
    let items = resumes::list_versions(&state.db, user)
        .await?
        .into_iter()
        .map(|v| {
            let is_active = Some(v.id) == active;
            response(v, is_active, false)
        })
        .collect();
    Ok(axum::Json(VersionList { items }))
}

/// One of the user's versions and whether it is the active one (not found otherwise).
pub(crate) async fn owned(
    state: &AppState,
    user: UserId,
    id: uuid::Uuid,
) -> Result<(Version, bool), ApiError> {
    let version = resumes::get_version(&state.db, user, ResumeVersionId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let active = resumes::get_resume(&state.db, user)
        .await?
        .and_then(|r| r.active_version_id)
        == Some(version.id);
    Ok((version, active))
}

/// One version with what was read and corrected.
#[utoipa::path(get, path = "/api/v1/resume/versions/{id}", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The version", body = VersionResponse),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    let (version, active) = owned(&state, current.id(), id).await?;
    Ok(axum::Json(response(version, active, true)))
}

/// Deletes a version and its stored original. When it was the active version, the newest
/// remaining one becomes active (none after the last).
#[utoipa::path(delete, path = "/api/v1/resume/versions/{id}", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    pursuit_app::resumes::delete_version(
        &state.db,
        state.files.as_ref(),
        current.id(),
        ResumeVersionId(id),
        Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LabelRequest {
    /// 0 to 80 characters; empty removes the name.
    label: String,
}

/// Names a version ("Data roles", "Short one"); an empty name removes it.
#[utoipa::path(put, path = "/api/v1/resume/versions/{id}/label", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    request_body = LabelRequest,
    responses(
        (status = 200, description = "The version with its name", body = VersionResponse),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A name too long or with control characters", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn label_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<LabelRequest>,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    let user = current.id();
    pursuit_app::resumes::rename_version(
        &state.db,
        user,
        ResumeVersionId(id),
        &body.label,
        Timestamp::now(),
    )
    .await?;
    let (version, active) = owned(&state, user, id).await?;
    Ok(axum::Json(response(version, active, true)))
}

/// Makes a version the active one.
#[utoipa::path(post, path = "/api/v1/resume/versions/{id}/activate", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The version, now active", body = VersionResponse),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn activate_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    let user = current.id();
    if !resumes::activate(&state.db, user, ResumeVersionId(id), Timestamp::now()).await? {
        return Err(ApiError::not_found());
    }
    let (version, active) = owned(&state, user, id).await?;
    Ok(axum::Json(response(version, active, true)))
}

/// Reads a version again (after the reader improved, or after a failure). Corrections stay.
#[utoipa::path(post, path = "/api/v1/resume/versions/{id}/parse", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    responses(
        (status = 202, description = "Queued; the version is `pending` again", body = VersionResponse),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn parse_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let user = current.id();
    let (version, _) = owned(&state, user, id).await?;
    pursuit_app::resumes::read_again(&state.db, user, version.id, Timestamp::now()).await?;
    let (version, active) = owned(&state, user, id).await?;
    Ok((StatusCode::ACCEPTED, Json(response(version, active, true))).into_response())
}

/// Corrects the active version (see `PATCH /api/v1/resume/versions/{id}`).
#[utoipa::path(patch, path = "/api/v1/resume", tag = "resume",
    request_body(content = Object, description = "Fields to correct, as in the version's `fields`"),
    responses(
        (status = 200, description = "The active version, corrected", body = VersionResponse),
        (status = 404, description = "No resume or no active version", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown field or a value of the wrong shape", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_resume(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<Value>,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    let active = resumes::get_resume(&state.db, current.id())
        .await?
        .and_then(|r| r.active_version_id)
        .ok_or_else(|| ApiError::not_found().with_detail("no active resume version"))?;
    correct(&state, current.id(), active.0, body).await
}

/// Corrects what was read. The body is a JSON merge patch on the corrections: a field set
/// replaces what was read (`basics` key by key, other fields whole); a field set to `null`
/// drops the correction, so the parse shows again. Corrections survive re-parsing.
#[utoipa::path(patch, path = "/api/v1/resume/versions/{id}", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    request_body(content = Object, description = "Fields to correct, as in the version's `fields`"),
    responses(
        (status = 200, description = "The version, corrected", body = VersionResponse),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown field or a value of the wrong shape", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn patch_version(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<Value>,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    correct(&state, current.id(), id, body).await
}

pub(crate) async fn correct(
    state: &AppState,
    user: UserId,
    id: uuid::Uuid,
    patch: Value,
) -> Result<axum::Json<VersionResponse>, ApiError> {
    pursuit_app::resumes::correct(
        &state.db,
        user,
        ResumeVersionId(id),
        &patch,
        Timestamp::now(),
    )
    .await?;
    let (version, active) = owned(state, user, id).await?;
    Ok(axum::Json(response(version, active, true)))
}

/// The original as the owner gave it: the uploaded file, or the pasted text.
#[utoipa::path(get, path = "/api/v1/resume/versions/{id}/original", tag = "resume",
    params(("id" = uuid::Uuid, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The file, as an attachment"),
        (status = 404, description = "No such version of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn download_original(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let user = current.id();
    let (version, _) = owned(&state, user, id).await?;
    let format = Format::parse(&version.format).unwrap_or(Format::Text);
    let (bytes, media_type) = match version.source.as_str() {
        "upload" => {
            let files = state.files.as_ref().ok_or_else(|| {
                ApiError::from(pursuit_app::AppError::NotConfigured("file storage"))
            })?;
            let bytes = files
                .get(user, Kind::ResumeOriginal, version.id)
                .await
                .map_err(|e| match e {
                    pursuit_files::StorageError::NotFound => ApiError::not_found()
                        .with_detail("the original file is missing from storage"),
                    other => ApiError::unavailable(other),
                })?;
            (bytes, format.media_type())
        }
        _ => (
            bytes::Bytes::from(version.raw_text.unwrap_or_default()),
            "text/plain; charset=utf-8",
        ),
    };
    let name = version
        .file_name
        .unwrap_or_else(|| format!("resume-v{}.txt", version.version_no));
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
