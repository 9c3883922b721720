//! Companies in the API over `pursuit_app::companies` (seed 000 §6): a company with its
//! details and research, a change of its details, a research (a task), and seed 000's
//! `POST /api/v1/ai/company-research`.

use axum::extract::{Path, State};
use axum::response::Response;
use jiff::Timestamp;
use pursuit_app::companies::{self as use_case, DetailsInput};
use pursuit_domain::ids::CompanyId;
use pursuit_store::companies::CompanyRow;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_company, update_company))
        .routes(routes!(research_company))
        .routes(routes!(company_research_ai))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompanyFact {
    /// A sentence its source states.
    text: String,
    /// `founded`, `size`, `places`, `reach`, `funding`, `recognition` or `what`.
    kind: String,
    /// The source's id: a page's URL, or `posting:<id>`.
    source: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompanySource {
    /// A page's URL (after redirects), or `posting:<id>`.
    id: String,
    /// `website` or `posting`.
    kind: String,
    title: String,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompanySourceFailure {
    url: String,
    /// Why it could not be read.
    error: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanyResearch {
    /// What the company does, as its sources say; null when none says.
    summary: Option<String>,
    /// Up to five, most telling first, each with its source.
    facts: Vec<CompanyFact>,
    /// What was read.
    sources: Vec<CompanySource>,
    /// Pages that could not be read, with why.
    failed: Vec<CompanySourceFailure>,
    /// `local` (Pursuit's own reading) or the provider that wrote it.
    provider: String,
    model: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanyProfile {
    id: uuid::Uuid,
    name: String,
    website: Option<String>,
    industry: Option<String>,
    /// One of `1-10`, `11-50`, `51-200`, `201-500`, `501-1000`, `1001-5000`, `5001-10000`,
    /// `10001+`.
    size: Option<String>,
    headquarters: Option<String>,
    /// The headquarters' IANA time zone.
    time_zone: Option<String>,
    /// Null until researched.
    research: Option<CompanyResearch>,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_refreshed_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

impl CompanyProfile {
    pub(crate) fn last_refreshed_at(&self) -> Option<Timestamp> {
        self.last_refreshed_at
    }
}

pub(crate) fn response(c: CompanyRow) -> CompanyProfile {
    let r = &c.research;
    let research = c.last_refreshed_at.map(|_| CompanyResearch {
        summary: r["summary"].as_str().map(str::to_owned),
        facts: serde_json::from_value(r["facts"].clone()).unwrap_or_default(),
        // Kept with their text; listed without it.
        sources: serde_json::from_value(r["sources"].clone()).unwrap_or_default(),
        failed: serde_json::from_value(r["failed"].clone()).unwrap_or_default(),
        provider: r["provider"].as_str().unwrap_or_default().to_owned(),
        model: r["model"].as_str().unwrap_or_default().to_owned(),
    });
    CompanyProfile {
        id: c.id.0,
        name: c.name,
        website: c.website,
        industry: c.industry,
        size: c.size,
        headquarters: c.headquarters,
        time_zone: c.time_zone,
        research,
        last_refreshed_at: c.last_refreshed_at,
        created_at: c.created_at,
    }
}

/// One of the caller's companies (made when a posting or application names it), with its
/// details and research.
#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "companies",
    params(("id" = uuid::Uuid, Path, description = "The company's id")),
    responses(
        (status = 200, description = "The company", body = CompanyProfile),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_company(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<CompanyProfile>, ApiError> {
    let company = use_case::get(&state.db, current.id(), CompanyId(id)).await?;
    Ok(Json(response(company)))
}

/// A company's details; each field replaces what is kept, a field left out or empty clears
/// it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyDetails {
    /// An `http(s)` address: where research reads the company's own pages.
    website: Option<String>,
    /// At most 100 characters.
    industry: Option<String>,
    /// One of `1-10`, `11-50`, `51-200`, `201-500`, `501-1000`, `1001-5000`,
    /// `5001-10000`, `10001+` ("51–200" and "51 to 200" are read as `51-200`).
    size: Option<String>,
    /// At most 200 characters.
    headquarters: Option<String>,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    time_zone: Option<String>,
}

/// Sets a company's details, each checked (422 naming every field that is wrong).
#[utoipa::path(patch, path = "/api/v1/companies/{id}", tag = "companies", request_body = CompanyDetails,
    params(("id" = uuid::Uuid, Path, description = "The company's id")),
    responses(
        (status = 200, description = "The company", body = CompanyProfile),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A website that is no http(s) address, an unknown size band or time zone, a field too long", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_company(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<CompanyDetails>,
) -> Result<Json<CompanyProfile>, ApiError> {
    let input = DetailsInput {
        website: body.website,
        industry: body.industry,
        size: body.size,
        headquarters: body.headquarters,
        time_zone: body.time_zone,
    };
    let company = use_case::update(&state.db, current.id(), CompanyId(id), &input).await?;
    Ok(Json(response(company)))
}

/// Researches a company: a task reads its website's front and "about" pages (when the
/// website is set) and the postings saved from it, and keeps a summary and up to five
/// facts, each a sentence its source states, with `last_refreshed_at`. A research already
/// waiting or running is that task.
#[utoipa::path(post, path = "/api/v1/companies/{id}/research", tag = "companies",
    params(("id" = uuid::Uuid, Path, description = "The company's id")),
    responses(
        (status = 202, description = "The research task", body = crate::tasks::TaskAccepted,
            headers(("Location" = String, description = "The task's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn research_company(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let task = use_case::request_research(&state.db, current.id(), CompanyId(id), Timestamp::now())
        .await?;
    Ok(crate::tasks::accepted(task, false))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyResearchBody {
    /// The company whose kept sources are read.
    company_id: uuid::Uuid,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanyResearchAnswer {
    company: CompanyProfile,
    /// Providers passed over, with why (e.g. a fact its source does not state).
    fallbacks: Vec<String>,
}

/// Seed 000's company research through the AI layer (task `company_research`): the
/// company's kept sources read again by the configured chain. A model may word the summary
/// and choose the facts, but a fact its source does not state is refused by the task's
/// rules; the local engine answers last. 409 before a research has gathered sources.
#[utoipa::path(post, path = "/api/v1/ai/company-research", tag = "ai", request_body = CompanyResearchBody,
    responses(
        (status = 200, description = "The company with its research", body = CompanyResearchAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such company of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing read yet: research the company first", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn company_research_ai(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<CompanyResearchBody>,
) -> Result<Json<CompanyResearchAnswer>, ApiError> {
    let (company, fallbacks) = use_case::research_with_ai(
        state.ai_services(),
        current.caller(),
        CompanyId(body.company_id),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(CompanyResearchAnswer {
        company: response(company),
        fallbacks,
    }))
}
