//! Job preferences in the API (`GET/PUT /api/v1/job-preferences`, seed 000 §1) over
//! `pursuit_app::preferences`: what the user is looking for, read into normalised values,
//! and the preference tags computed from them.

use axum::extract::State;
use jiff::Timestamp;
use pursuit_app::preferences::{self as use_case, Preferences, PreferencesInput};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_preferences, put_preferences))
}

/// The user's job preferences, normalised, with their tags.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PreferencesResponse {
    titles: Vec<String>,
    locations: Vec<String>,
    /// `remote_only`, `hybrid`, `onsite`, `any`, or `null` (not said).
    remote: Option<String>,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    /// ISO 4217, upper case.
    salary_currency: Option<String>,
    /// `year`, `month` or `hour` (set with a salary).
    salary_period: Option<String>,
    /// From most to least junior: `intern`, `junior`, `mid`, `senior`, `staff`, `lead`,
    /// `principal`, `manager`, `director`, `executive`.
    seniority: Vec<String>,
    /// Bands: `1-10`, `11-50`, `51-200`, `201-1000`, `1001-5000`, `5001+`.
    company_sizes: Vec<String>,
    industries: Vec<String>,
    experience_years_min: Option<u8>,
    experience_years_max: Option<u8>,
    willing_to_relocate: bool,
    /// Computed: slugs that name campaigns and segment analytics (`senior`, `remote`,
    /// `berlin`, `size-51-200`, `usd-120k-160k`).
    tags: Vec<String>,
    /// Computed: a short name for what the user is after ("Senior Backend Engineer · Remote").
    label: String,
    /// `null` until saved once.
    #[schema(value_type = Option<String>, format = DateTime)]
    updated_at: Option<Timestamp>,
}

pub(crate) fn response(p: Preferences) -> PreferencesResponse {
    let v = p.value;
    PreferencesResponse {
        titles: v.titles,
        locations: v.locations,
        remote: v.remote.map(|r| r.as_str().to_owned()),
        salary_min: v.salary.min,
        salary_max: v.salary.max,
        salary_currency: v.salary.currency,
        salary_period: v.salary_period.map(|s| s.as_str().to_owned()),
        seniority: v.seniority.iter().map(|s| s.as_str().to_owned()).collect(),
        company_sizes: v
            .company_sizes
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        industries: v.industries,
        experience_years_min: v.experience_years_min,
        experience_years_max: v.experience_years_max,
        willing_to_relocate: v.willing_to_relocate,
        tags: p.tags,
        label: p.label,
        updated_at: p.updated_at,
    }
}

/// The preferences to keep: the whole set (a field left out is empty). Enumerations are
/// read as people write them ("Remote", "on-site", "Sr.", "5,001+") and answered in one
/// spelling.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PreferencesBody {
    /// At most 20, each 1–120 characters.
    titles: Vec<String>,
    /// At most 20, each 1–120 characters.
    locations: Vec<String>,
    /// `remote_only`, `hybrid`, `onsite` or `any` (also "remote", "on-site", "no
    /// preference", …).
    remote: Option<String>,
    /// 0 to 100,000,000; not above `salary_max`.
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    /// Required with a salary: three letters (`USD`, `eur`).
    salary_currency: Option<String>,
    /// `year` (the default with a salary), `month` or `hour`.
    salary_period: Option<String>,
    seniority: Vec<String>,
    company_sizes: Vec<String>,
    /// At most 20, each 1–80 characters.
    industries: Vec<String>,
    /// 0 to 60; not above `experience_years_max`.
    experience_years_min: Option<i64>,
    experience_years_max: Option<i64>,
    willing_to_relocate: bool,
}

impl From<PreferencesBody> for PreferencesInput {
    fn from(b: PreferencesBody) -> PreferencesInput {
        PreferencesInput {
            titles: b.titles,
            locations: b.locations,
            remote: b.remote,
            salary_min: b.salary_min,
            salary_max: b.salary_max,
            salary_currency: b.salary_currency,
            salary_period: b.salary_period,
            seniority: b.seniority,
            company_sizes: b.company_sizes,
            industries: b.industries,
            experience_years_min: b.experience_years_min,
            experience_years_max: b.experience_years_max,
            willing_to_relocate: b.willing_to_relocate,
        }
    }
}

/// The caller's job preferences (empty until saved) and their tags.
#[utoipa::path(get, path = "/api/v1/job-preferences", tag = "preferences",
    responses(
        (status = 200, description = "The preferences", body = PreferencesResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_preferences(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<PreferencesResponse>, ApiError> {
    let preferences = use_case::get(&state.db, current.id()).await?;
    Ok(Json(response(preferences)))
}

/// Replaces the caller's job preferences; answers them normalised, with their tags.
#[utoipa::path(put, path = "/api/v1/job-preferences", tag = "preferences", request_body = PreferencesBody,
    responses(
        (status = 200, description = "The preferences now", body = PreferencesResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A value that cannot be read (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn put_preferences(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<PreferencesBody>,
) -> Result<Json<PreferencesResponse>, ApiError> {
    let preferences =
        use_case::put(&state.db, current.id(), &body.into(), Timestamp::now()).await?;
    Ok(Json(response(preferences)))
}
