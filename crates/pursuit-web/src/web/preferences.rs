//! `/preferences`: the user's job preferences as a form (the use case behind
//! `PUT /api/v1/job-preferences`), with the preference tags and the campaign name they give.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::preferences::{self as use_case, Preferences, PreferencesInput};
use pursuit_domain::preferences::{CompanySize, Remote, Seniority};
use serde_json::json;

use super::forms::{self, FormData};
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/preferences", get(page).post(save))
}

/// The form's values as text, from saved preferences.
fn values(p: &Preferences) -> BTreeMap<String, String> {
    let v = &p.value;
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        ("titles", v.titles.join("\n")),
        ("locations", v.locations.join("\n")),
        ("industries", v.industries.join(", ")),
        (
            "remote",
            v.remote.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        ),
        ("salary_min", number(v.salary.min)),
        ("salary_max", number(v.salary.max)),
        (
            "salary_currency",
            v.salary.currency.clone().unwrap_or_default(),
        ),
        (
            "salary_period",
            v.salary_period.map_or("year", |p| p.as_str()).to_owned(),
        ),
        (
            "experience_years_min",
            number(v.experience_years_min.map(i64::from)),
        ),
        (
            "experience_years_max",
            number(v.experience_years_max.map(i64::from)),
        ),
        (
            "willing_to_relocate",
            if v.willing_to_relocate { "on" } else { "" }.to_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[allow(clippy::too_many_arguments)]
fn show(
    state: &AppState,
    user: &PageUser,
    saved: &Preferences,
    values: BTreeMap<String, String>,
    seniority: Vec<String>,
    sizes: Vec<String>,
    notice: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    render(
        "preferences.html",
        status,
        context! {
            version => state.settings.version,
            page => "settings",
            user => user.view(),
            csrf => user.csrf(),
            notice => notice,
            error => error,
            values => template_value(&values),
            seniority => seniority,
            sizes => sizes,
            levels => template_value(&Seniority::ALL.map(|s| json!({"value": s.as_str(), "label": s.title_word()}))),
            size_bands => CompanySize::ALL.map(CompanySize::as_str).to_vec(),
            remote_choices => template_value(&Remote::ALL.map(|r| json!({"value": r.as_str(), "label": match r {
                Remote::RemoteOnly => "Remote only",
                Remote::Hybrid => "Hybrid",
                Remote::Onsite => "On-site",
                Remote::Any => "No preference",
            }}))),
            tags => saved.tags.clone(),
            label => saved.label.clone(),
            saved_once => saved.updated_at.is_some(),
        },
    )
}

#[derive(serde::Deserialize, Default)]
struct Done {
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<Response, ApiError> {
    let saved = use_case::get(&state.db, user.0.id()).await?;
    let seniority = saved
        .value
        .seniority
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    let sizes = saved
        .value
        .company_sizes
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    Ok(show(
        &state,
        &user,
        &saved,
        values(&saved),
        seniority,
        sizes,
        done.saved.map(|_| "Preferences saved."),
        None,
        StatusCode::OK,
    ))
}

/// Lines (or commas) of a text area as entries, blank ones dropped.
fn entries(text: &str, commas: bool) -> Vec<String> {
    text.split(|c| c == '\n' || (commas && c == ','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The form read into the use case's input; a number that does not read is refused by
/// its API field name.
fn input(form: &FormData) -> Result<PreferencesInput, ApiError> {
    fn number(form: &FormData, field: &str) -> Result<Option<i64>, ApiError> {
        let text: String = form
            .text(field)
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}'))
            .collect();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::invalid_field(format!("/{field}"), "must be a whole number"))
    }
    let text = |field: &str| Some(form.text(field)).filter(|t| !t.trim().is_empty());
    Ok(PreferencesInput {
        titles: entries(&form.text("titles"), false),
        locations: entries(&form.text("locations"), false),
        remote: text("remote"),
        salary_min: number(form, "salary_min")?,
        salary_max: number(form, "salary_max")?,
        salary_currency: text("salary_currency"),
        salary_period: text("salary_period"),
        seniority: form.all("seniority"),
        company_sizes: form.all("company_sizes"),
        industries: entries(&form.text("industries"), true),
        experience_years_min: number(form, "experience_years_min")?,
        experience_years_max: number(form, "experience_years_max")?,
        willing_to_relocate: form.get("willing_to_relocate") == Some("on"),
    })
}

async fn save(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let result = match input(&form) {
        Ok(input) => use_case::put(&state.db, user.0.id(), &input, Timestamp::now())
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/preferences?saved=1").into_response()),
        Err(error) => {
            let status = error.kind().status();
            if !status.is_client_error() {
                return Err(error);
            }
            let saved = use_case::get(&state.db, user.0.id()).await?;
            let posted: BTreeMap<String, String> = form
                .0
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "seniority" | "company_sizes" | "csrf"))
                .cloned()
                .collect();
            let mut shown = values(&saved);
            shown.insert("willing_to_relocate".to_owned(), String::new());
            shown.insert("remote".to_owned(), String::new());
            shown.extend(posted);
            Ok(show(
                &state,
                &user,
                &saved,
                shown,
                form.all("seniority"),
                form.all("company_sizes"),
                None,
                Some(forms::message(&error)),
                status,
            ))
        }
    }
}
