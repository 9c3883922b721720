//! The profile and projects in the API (`/api/v1/profile`, `/api/v1/projects`, seed 003 §2)
//! over `pursuit_app::profile`: read, replace, import (from the active resume version or a
//! JSON Resume document, filling only what is empty), and projects' CRUD.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::profile::{self as use_case, ImportReport, ProfileInput, ProjectInput};
use pursuit_domain::ids::ProjectId;
use pursuit_store::profiles::{ProfileRow, ProjectRow};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(import_profile))
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project, update_project, delete_project))
}

/// The profile: who documents say the user is, their links, a summary and skills.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ProfileBody {
    /// At most 120 characters.
    full_name: String,
    /// One line under the name, at most 200 characters ("Senior Accountant").
    headline: String,
    /// An email address, or empty.
    email: String,
    phone: String,
    location: String,
    /// `http(s)://` addresses, or empty.
    linkedin_url: String,
    github_url: String,
    website_url: String,
    /// At most 5,000 characters; line breaks kept.
    summary: String,
    /// At most 100, each 1–80 characters; repeats dropped.
    skills: Vec<String>,
}

/// The profile as stored: empty strings for what is not given.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProfileResponse {
    full_name: String,
    headline: String,
    email: String,
    phone: String,
    location: String,
    linkedin_url: String,
    github_url: String,
    website_url: String,
    summary: String,
    skills: Vec<String>,
    /// `null` until saved once.
    #[schema(value_type = Option<String>, format = DateTime)]
    updated_at: Option<Timestamp>,
}

pub(crate) fn profile_response(p: ProfileRow) -> ProfileResponse {
    ProfileResponse {
        full_name: p.full_name,
        headline: p.headline,
        email: p.email,
        phone: p.phone,
        location: p.location,
        linkedin_url: p.linkedin_url,
        github_url: p.github_url,
        website_url: p.website_url,
        summary: p.summary,
        skills: p.skills,
        updated_at: p.updated_at,
    }
}

/// The caller's profile (empty until saved).
#[utoipa::path(get, path = "/api/v1/profile", tag = "profile",
    responses(
        (status = 200, description = "The profile", body = ProfileResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_profile(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<ProfileResponse>, ApiError> {
    let profile = use_case::get_profile(&state.db, current.id()).await?;
    Ok(Json(profile_response(profile)))
}

/// Replaces the caller's profile (a field left out is empty).
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", request_body = ProfileBody,
    responses(
        (status = 200, description = "The profile now", body = ProfileResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn put_profile(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<ProfileBody>,
) -> Result<Json<ProfileResponse>, ApiError> {
    let input = ProfileInput {
        full_name: body.full_name,
        headline: body.headline,
        email: body.email,
        phone: body.phone,
        location: body.location,
        linkedin_url: body.linkedin_url,
        github_url: body.github_url,
        website_url: body.website_url,
        summary: body.summary,
        skills: body.skills,
    };
    let profile = use_case::put_profile(&state.db, current.id(), &input, Timestamp::now()).await?;
    Ok(Json(profile_response(profile)))
}

#[derive(Deserialize, Serialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileImportSource {
    /// The active resume version (its fields with the user's corrections).
    Resume,
    /// A JSON Resume document in `document`.
    JsonResume,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileImportBody {
    source: ProfileImportSource,
    /// With `json_resume`: the document (jsonresume.org schema: `basics`, `skills`,
    /// `projects`).
    #[schema(value_type = Option<Object>)]
    document: Option<serde_json::Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProfileImportResponse {
    profile: ProfileResponse,
    /// Profile fields that were empty and were filled.
    filled: Vec<String>,
    skills_added: usize,
    projects_added: usize,
    /// Projects left out because one of the same title exists.
    projects_skipped: usize,
}

fn import_response(profile: ProfileRow, report: ImportReport) -> ProfileImportResponse {
    ProfileImportResponse {
        profile: profile_response(profile),
        filled: report.filled.iter().map(|f| (*f).to_owned()).collect(),
        skills_added: report.skills_added,
        projects_added: report.projects_added,
        projects_skipped: report.projects_skipped,
    }
}

/// Fills the caller's profile from the active resume version or a JSON Resume document:
/// only empty fields are filled, only missing skills and projects added; nothing the user
/// wrote is overwritten.
#[utoipa::path(post, path = "/api/v1/profile/import", tag = "profile", request_body = ProfileImportBody,
    responses(
        (status = 200, description = "What was filled and added", body = ProfileImportResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume version read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A document that is not JSON Resume, or a value in it that is invalid (named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn import_profile(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<ProfileImportBody>,
) -> Result<Json<ProfileImportResponse>, ApiError> {
    let now = Timestamp::now();
    let (profile, report) = match (body.source, body.document) {
        (ProfileImportSource::Resume, None) => {
            use_case::import_from_resume(&state.db, current.id(), now).await?
        }
        (ProfileImportSource::Resume, Some(_)) => {
            return Err(ApiError::invalid_field(
                "/document",
                "is only read with source json_resume",
            ));
        }
        (ProfileImportSource::JsonResume, Some(document)) => {
            use_case::import_json_resume(&state.db, current.id(), &document, now).await?
        }
        (ProfileImportSource::JsonResume, None) => {
            return Err(ApiError::invalid_field(
                "/document",
                "is required with source json_resume",
            ));
        }
    };
    Ok(Json(import_response(profile, report)))
}

/// A project of the caller's.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProjectResponse {
    #[schema(value_type = uuid::Uuid)]
    id: uuid::Uuid,
    title: String,
    description: String,
    role: String,
    technologies: Vec<String>,
    url: String,
    repo_url: String,
    /// `YYYY` or `YYYY-MM`.
    start: Option<String>,
    /// `null`: ongoing.
    end: Option<String>,
    highlights: Vec<String>,
    featured: bool,
    position: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn project_response(p: ProjectRow) -> ProjectResponse {
    ProjectResponse {
        id: p.id.0,
        title: p.title,
        description: p.description,
        role: p.role,
        technologies: p.technologies,
        url: p.url,
        repo_url: p.repo_url,
        start: p.start_month,
        end: p.end_month,
        highlights: p.highlights,
        featured: p.featured,
        position: p.position,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProjectList {
    items: Vec<ProjectResponse>,
    /// Always `null`: a user keeps at most 100 projects.
    next_cursor: Option<String>,
}

/// A project to add.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProjectBody {
    /// 1–200 characters.
    title: String,
    /// At most 5,000 characters.
    description: Option<String>,
    /// What the user did in it, at most 120 characters.
    role: Option<String>,
    /// At most 50, each 1–80 characters.
    technologies: Option<Vec<String>>,
    url: Option<String>,
    repo_url: Option<String>,
    /// `2024`, `2024-03` or `2024-03-17` (kept to the month).
    start: Option<String>,
    /// Same; left out: ongoing.
    end: Option<String>,
    /// At most 30, each at most 500 characters.
    highlights: Option<Vec<String>>,
    featured: Option<bool>,
    /// 0–10000 (default: after the others).
    position: Option<i64>,
}

/// Changes to a project; fields left out keep their values.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectChangeBody {
    title: Option<String>,
    description: Option<String>,
    role: Option<String>,
    technologies: Option<Vec<String>>,
    url: Option<String>,
    repo_url: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    start: Option<Option<String>>,
    /// `null`: ongoing.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    end: Option<Option<String>>,
    highlights: Option<Vec<String>>,
    featured: Option<bool>,
    position: Option<i64>,
}

/// The caller's projects in their order.
#[utoipa::path(get, path = "/api/v1/projects", tag = "profile",
    responses(
        (status = 200, description = "The projects", body = ProjectList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_projects(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<ProjectList>, ApiError> {
    let projects = use_case::list_projects(&state.db, current.id()).await?;
    Ok(Json(ProjectList {
        items: projects.into_iter().map(project_response).collect(),
        next_cursor: None,
    }))
}

/// Adds a project.
#[utoipa::path(post, path = "/api/v1/projects", tag = "profile", request_body = NewProjectBody,
    responses(
        (status = 201, description = "Added", body = ProjectResponse,
            headers(("Location" = String, description = "The project's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller keeps 100 projects already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_project(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<NewProjectBody>,
) -> Result<
    (
        StatusCode,
        [(header::HeaderName, String); 1],
        Json<ProjectResponse>,
    ),
    ApiError,
> {
    let input = ProjectInput {
        title: Some(body.title),
        description: body.description,
        role: body.role,
        technologies: body.technologies,
        url: body.url,
        repo_url: body.repo_url,
        start: Some(body.start),
        end: Some(body.end),
        highlights: body.highlights,
        featured: body.featured,
        position: body.position,
    };
    let project =
        use_case::create_project(&state.db, current.id(), &input, Timestamp::now()).await?;
    let location = format!("/api/v1/projects/{}", project.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(project_response(project)),
    ))
}

/// One of the caller's projects.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "profile",
    params(("id" = uuid::Uuid, Path, description = "The project's id")),
    responses(
        (status = 200, description = "The project", body = ProjectResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_project(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<ProjectResponse>, ApiError> {
    let project = use_case::get_project(&state.db, current.id(), ProjectId(id)).await?;
    Ok(Json(project_response(project)))
}

/// Changes one of the caller's projects.
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "profile", request_body = ProjectChangeBody,
    params(("id" = uuid::Uuid, Path, description = "The project's id")),
    responses(
        (status = 200, description = "The project now", body = ProjectResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_project(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<ProjectChangeBody>,
) -> Result<Json<ProjectResponse>, ApiError> {
    let input = ProjectInput {
        title: body.title,
        description: body.description,
        role: body.role,
        technologies: body.technologies,
        url: body.url,
        repo_url: body.repo_url,
        start: body.start,
        end: body.end,
        highlights: body.highlights,
        featured: body.featured,
        position: body.position,
    };
    let project = use_case::update_project(
        &state.db,
        current.id(),
        ProjectId(id),
        &input,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(project_response(project)))
}

/// Removes one of the caller's projects.
#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "profile",
    params(("id" = uuid::Uuid, Path, description = "The project's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_project(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    use_case::delete_project(&state.db, current.id(), ProjectId(id), Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
