//! `/profile`: the profile form, imports (the active resume version, a pasted JSON Resume
//! document), and the projects (`/profile/projects/{id}` to change one) — the use cases
//! behind `/api/v1/profile` and `/api/v1/projects`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::profile::{self as use_case, ImportReport, ProfileInput, ProjectInput};
use pursuit_domain::ids::ProjectId;
use pursuit_store::profiles::{ProfileRow, ProjectRow};

use super::forms::{self, FormData};
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/profile", get(page).post(save))
        .route("/profile/import-resume", post(import_resume))
        .route("/profile/import-json", post(import_json))
        .route("/profile/projects", post(add_project))
        .route(
            "/profile/projects/{id}",
            get(project_page).post(save_project),
        )
        .route("/profile/projects/{id}/delete", post(remove_project))
}

/// Commas (or lines) of a field as entries, blank ones dropped.
fn entries(text: &str, separators: &[char]) -> Vec<String> {
    text.split(|c| separators.contains(&c))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn profile_values(p: &ProfileRow) -> BTreeMap<String, String> {
    [
        ("full_name", p.full_name.clone()),
        ("headline", p.headline.clone()),
        ("email", p.email.clone()),
        ("phone", p.phone.clone()),
        ("location", p.location.clone()),
        ("linkedin_url", p.linkedin_url.clone()),
        ("github_url", p.github_url.clone()),
        ("website_url", p.website_url.clone()),
        ("summary", p.summary.clone()),
        ("skills", p.skills.join(", ")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn project_values(p: &ProjectRow) -> BTreeMap<String, String> {
    [
        ("title", p.title.clone()),
        ("description", p.description.clone()),
        ("role", p.role.clone()),
        ("technologies", p.technologies.join(", ")),
        ("url", p.url.clone()),
        ("repo_url", p.repo_url.clone()),
        ("start", p.start_month.clone().unwrap_or_default()),
        ("end", p.end_month.clone().unwrap_or_default()),
        ("highlights", p.highlights.join("\n")),
        ("featured", if p.featured { "on" } else { "" }.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[derive(Default)]
struct Extras {
    notice: Option<String>,
    error: Option<String>,
    /// The profile form as posted, after a refusal.
    profile_form: Option<BTreeMap<String, String>>,
    /// The add-a-project form as posted, after a refusal, and why.
    project_form: Option<BTreeMap<String, String>>,
    project_error: Option<String>,
    json_text: Option<String>,
}

async fn show(
    state: &AppState,
    user: &PageUser,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let id = user.0.id();
    let profile = use_case::get_profile(&state.db, id).await?;
    let projects = use_case::list_projects(&state.db, id).await?;
    let has_resume = pursuit_app::matching::active_version(&state.db, id)
        .await?
        .is_some();
    let rows: Vec<serde_json::Value> = projects
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id.0.to_string(),
                "title": p.title,
                "role": p.role,
                "technologies": p.technologies,
                "when": match (&p.start_month, &p.end_month) {
                    (Some(s), Some(e)) => format!("{s} – {e}"),
                    (Some(s), None) => format!("{s} – now"),
                    (None, Some(e)) => format!("until {e}"),
                    (None, None) => String::new(),
                },
                "highlights": p.highlights.len(),
                "featured": p.featured,
            })
        })
        .collect();
    Ok(render(
        "profile.html",
        status,
        context! {
            version => state.settings.version,
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            notice => extras.notice,
            error => extras.error,
            values => template_value(&extras.profile_form.unwrap_or_else(|| profile_values(&profile))),
            saved_once => profile.updated_at.is_some(),
            projects => template_value(&rows),
            pj => template_value(&extras.project_form.clone().unwrap_or_default()),
            pj_open => extras.project_form.is_some(),
            pj_error => extras.project_error,
            json_text => extras.json_text,
            has_resume => has_resume,
        },
    ))
}

#[derive(serde::Deserialize, Default)]
struct Done {
    saved: Option<String>,
    project: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<Response, ApiError> {
    let notice = match (done.saved, done.project.as_deref()) {
        (Some(_), _) => Some("Profile saved.".to_owned()),
        (None, Some("added")) => Some("Project added.".to_owned()),
        (None, Some("saved")) => Some("Project saved.".to_owned()),
        (None, Some("removed")) => Some("Project removed.".to_owned()),
        _ => None,
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    show(&state, &user, extras, StatusCode::OK).await
}

async fn save(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let input = ProfileInput {
        full_name: form.text("full_name"),
        headline: form.text("headline"),
        email: form.text("email"),
        phone: form.text("phone"),
        location: form.text("location"),
        linkedin_url: form.text("linkedin_url"),
        github_url: form.text("github_url"),
        website_url: form.text("website_url"),
        summary: form.text("summary"),
        skills: entries(&form.text("skills"), &[',', '\n']),
    };
    match use_case::put_profile(&state.db, user.0.id(), &input, Timestamp::now()).await {
        Ok(_) => Ok(Redirect::to("/profile?saved=1").into_response()),
        Err(error) => {
            let (status, message) = forms::refusal(error)?;
            let extras = Extras {
                error: Some(message),
                profile_form: Some(form.posted()),
                ..Extras::default()
            };
            show(&state, &user, extras, status).await
        }
    }
}

fn report_notice(report: &ImportReport) -> String {
    let mut parts = Vec::new();
    if !report.filled.is_empty() {
        parts.push(format!(
            "filled {}",
            report
                .filled
                .iter()
                .map(|f| f.replace('_', " "))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if report.skills_added > 0 {
        parts.push(format!("added {} skills", report.skills_added));
    }
    if report.projects_added > 0 {
        parts.push(format!("added {} projects", report.projects_added));
    }
    if report.projects_skipped > 0 {
        parts.push(format!(
            "left out {} projects you already have",
            report.projects_skipped
        ));
    }
    if parts.is_empty() {
        "Imported: nothing new — every field was filled already, and every skill and project is here."
            .to_owned()
    } else {
        format!(
            "Imported: {}. What you had written is unchanged.",
            parts.join("; ")
        )
    }
}

async fn import_resume(
    State(state): State<AppState>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let extras = match use_case::import_from_resume(&state.db, user.0.id(), Timestamp::now()).await
    {
        Ok((_, report)) => Extras {
            notice: Some(report_notice(&report)),
            ..Extras::default()
        },
        Err(error) => {
            let (status, message) = forms::refusal(error)?;
            let extras = Extras {
                error: Some(message),
                ..Extras::default()
            };
            return show(&state, &user, extras, status).await;
        }
    };
    show(&state, &user, extras, StatusCode::OK).await
}

async fn import_json(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let text = form.text("document");
    let result = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(document) => {
            use_case::import_json_resume(&state.db, user.0.id(), &document, Timestamp::now())
                .await
                .map_err(ApiError::from)
        }
        Err(e) => Err(ApiError::invalid_field(
            "/document",
            format!("is not JSON ({e})"),
        )),
    };
    match result {
        Ok((_, report)) => {
            let extras = Extras {
                notice: Some(report_notice(&report)),
                ..Extras::default()
            };
            show(&state, &user, extras, StatusCode::OK).await
        }
        Err(error) => {
            let (status, message) = forms::refusal(error)?;
            let extras = Extras {
                error: Some(message),
                json_text: Some(text),
                ..Extras::default()
            };
            show(&state, &user, extras, status).await
        }
    }
}

fn project_input(form: &FormData) -> ProjectInput {
    let optional = |field: &str| Some(form.text(field)).filter(|t| !t.trim().is_empty());
    ProjectInput {
        title: Some(form.text("title")),
        description: Some(form.text("description")),
        role: Some(form.text("role")),
        technologies: Some(entries(&form.text("technologies"), &[',', '\n'])),
        url: Some(form.text("url")),
        repo_url: Some(form.text("repo_url")),
        start: Some(optional("start")),
        end: Some(optional("end")),
        highlights: Some(entries(&form.text("highlights"), &['\n'])),
        featured: Some(form.get("featured") == Some("on")),
        position: None,
    }
}

async fn add_project(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let input = project_input(&form);
    match use_case::create_project(&state.db, user.0.id(), &input, Timestamp::now()).await {
        Ok(_) => Ok(Redirect::to("/profile?project=added#projects").into_response()),
        Err(error) => {
            let (status, message) = forms::refusal(error)?;
            let extras = Extras {
                error: Some("The project was not added: see the form below.".to_owned()),
                project_error: Some(message),
                project_form: Some(form.posted()),
                ..Extras::default()
            };
            show(&state, &user, extras, status).await
        }
    }
}

fn show_project(
    state: &AppState,
    user: &PageUser,
    id: uuid::Uuid,
    values: BTreeMap<String, String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    render(
        "project.html",
        status,
        context! {
            version => state.settings.version,
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            error => error,
            id => id.to_string(),
            pj => template_value(&values),
        },
    )
}

async fn project_page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let project = use_case::get_project(&state.db, user.0.id(), ProjectId(id)).await?;
    Ok(show_project(
        &state,
        &user,
        id,
        project_values(&project),
        None,
        StatusCode::OK,
    ))
}

async fn save_project(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let input = project_input(&form);
    match use_case::update_project(
        &state.db,
        user.0.id(),
        ProjectId(id),
        &input,
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/profile?project=saved#projects").into_response()),
        Err(pursuit_app::AppError::NotFound) => Err(pursuit_app::AppError::NotFound.into()),
        Err(error) => {
            let (status, message) = forms::refusal(error)?;
            Ok(show_project(
                &state,
                &user,
                id,
                form.posted(),
                Some(message),
                status,
            ))
        }
    }
}

async fn remove_project(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    use_case::delete_project(&state.db, user.0.id(), ProjectId(id), Timestamp::now()).await?;
    Ok(Redirect::to("/profile?project=removed#projects").into_response())
}
