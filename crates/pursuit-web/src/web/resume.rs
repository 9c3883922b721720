//! `/resume`: the user's resume as a page — what was read from the active version (and
//! what it flags), the versions with the active pick, an upload form, a paste form, and
//! forms to correct the contact details, roles, education and skills; a version viewed
//! without activating it (`/resume/versions/{id}`) and two compared (`/resume/compare`). Each form goes through the same functions as
//! `/api/v1/resume`, so pages and API share every check.

use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::resumes::{Original, RoleRow, SchoolRow};
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::ResumeVersionId;
use pursuit_store::resumes as store;
use serde_json::{Map, Value, json};

use super::{PageForm, PageUser, forms, render, template_value};
use crate::AppState;
use crate::problem::ApiError;
use crate::resumes::{self, Upload};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/resume", get(page))
        // The upload counts its own bytes against `upload_limit` (`resumes::read_upload`).
        .route(
            "/resume/upload",
            post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/resume/text", post(paste))
        .route("/resume/corrections", post(correct))
        .route("/resume/corrections/work", post(correct_work))
        .route("/resume/corrections/education", post(correct_education))
        .route("/resume/corrections/skills", post(correct_skills))
        .route("/resume/versions/{id}/activate", post(activate))
        .route("/resume/versions/{id}/delete", post(delete_version))
        .route("/resume/versions/{id}/label", post(label_version))
        .route("/resume/versions/{id}", get(version_page))
        .route("/resume/compare", get(compare_page))
}

/// What a refused edit form typed, shown again with its refused cells (`{row}-{field}`).
#[derive(Default)]
struct Kept {
    work: Option<Vec<RoleRow>>,
    education: Option<Vec<SchoolRow>>,
    skills: Option<String>,
    errors: BTreeMap<String, String>,
    /// A correction was just saved.
    saved: bool,
    /// A version was just deleted.
    deleted: bool,
}

/// The rows the edit forms start from: what was read and corrected, plus an empty row to
/// add another.
fn rows_of(fields: &Value) -> (Vec<RoleRow>, Vec<SchoolRow>, String) {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut work: Vec<RoleRow> = fields
        .get("work")
        .and_then(Value::as_array)
        .map(|roles| {
            roles
                .iter()
                .map(|r| RoleRow {
                    position: text(r, "position"),
                    company: text(r, "name"),
                    location: text(r, "location"),
                    start: text(r, "start_date"),
                    end: if r.get("current").and_then(Value::as_bool) == Some(true) {
                        "present".to_owned()
                    } else {
                        text(r, "end_date")
                    },
                    highlights: r
                        .get("highlights")
                        .and_then(Value::as_array)
                        .map(|h| {
                            h.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join("\n")
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    work.push(RoleRow::default());
    let mut education: Vec<SchoolRow> = fields
        .get("education")
        .and_then(Value::as_array)
        .map(|schools| {
            schools
                .iter()
                .map(|e| SchoolRow {
                    institution: text(e, "institution"),
                    study_type: text(e, "study_type"),
                    area: text(e, "area"),
                    end: text(e, "end_date"),
                })
                .collect()
        })
        .unwrap_or_default();
    education.push(SchoolRow::default());
    let skills = fields
        .get("skills")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|s| s.get("name").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    (work, education, skills)
}

async fn show(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    show_with(state, user, error, status, Kept::default()).await
}

async fn show_with(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    status: StatusCode,
    kept: Kept,
) -> Result<Response, ApiError> {
    let id = user.0.id();
    let resume = store::get_resume(&state.db, id).await?;
    let active_id = resume.as_ref().and_then(|r| r.active_version_id);
    let versions = store::list_versions(&state.db, id).await?;
    // Read from the stored versions, before they become response bodies.
    let pending = versions
        .iter()
        .any(|v| v.parse_status == ParseStatus::Pending);
    let active = versions
        .iter()
        .find(|v| Some(v.id) == active_id)
        .map(|v| resumes::response(v.clone(), true, false));
    let versions: Vec<_> = versions
        .into_iter()
        .map(|v| {
            let active = Some(v.id) == active_id;
            resumes::response(v, active, false)
        })
        .collect();
    let fields = active
        .as_ref()
        .map(|a| serde_json::to_value(a).unwrap_or(Value::Null))
        .map(|a| a.get("fields").cloned().unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    let (work, education, skills) = rows_of(&fields);
    let (kept_saved, kept_deleted) = (kept.saved, kept.deleted);
    let open = if kept.work.is_some() {
        "work"
    } else if kept.education.is_some() {
        "education"
    } else if kept.skills.is_some() {
        "skills"
    } else {
        ""
    };
    let edit = context! {
        work => template_value(&kept.work.unwrap_or(work)),
        education => template_value(&kept.education.unwrap_or(education)),
        skills => kept.skills.unwrap_or(skills),
        errors => template_value(&kept.errors),
        open => open,
    };
    Ok(render(
        "resume.html",
        status,
        context! {
            edit => edit,
            saved => kept_saved,
            deleted => kept_deleted,
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            title => resume.map(|r| r.title),
            active => active.as_ref().map(template_value),
            versions => template_value(&versions),
            pending => pending,
            error => error,
        },
    ))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    /// `1` after a correction was saved.
    saved: Option<String>,
    /// `1` after a version was deleted.
    deleted: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<Response, ApiError> {
    let kept = Kept {
        saved: query.saved.is_some(),
        deleted: query.deleted.is_some(),
        ..Kept::default()
    };
    show_with(&state, &user, None, StatusCode::OK, kept).await
}

/// Shows the page again with the reason a form was refused.
async fn refused(state: &AppState, user: &PageUser, error: ApiError) -> Result<Response, ApiError> {
    let status = error.kind().status();
    if !status.is_client_error() {
        return Err(error);
    }
    show(state, user, Some(forms::message(&error)), status).await
}

async fn upload(
    State(state): State<AppState>,
    user: PageUser,
    parts: Parts,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let upload = match resumes::read_upload(&state, multipart).await {
        Ok(upload) => upload,
        Err(error) => return refused(&state, &user, error).await,
    };
    user.check_form(&parts, &state, &upload.csrf)?;
    let stored = match resumes::upload_format(&upload) {
        Ok(format) => {
            let Upload {
                name, bytes, title, ..
            } = upload;
            pursuit_app::resumes::add_version(
                &state.db,
                state.files.as_ref(),
                user.0.id(),
                Original::File { name, bytes },
                format,
                title,
                Timestamp::now(),
            )
            .await
            .map_err(ApiError::from)
        }
        Err(error) => Err(error),
    };
    match stored {
        Ok(_) => Ok(Redirect::to("/resume").into_response()),
        Err(error) => refused(&state, &user, error).await,
    }
}

async fn paste(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let text = form.text("text");
    let stored = match resumes::pasted(&text) {
        Ok(text) => {
            let format = resumes::text_format(text);
            pursuit_app::resumes::add_version(
                &state.db,
                state.files.as_ref(),
                user.0.id(),
                Original::Text(text.to_owned()),
                format,
                None,
                Timestamp::now(),
            )
            .await
            .map_err(ApiError::from)
        }
        Err(error) => Err(error),
    };
    match stored {
        Ok(_) => Ok(Redirect::to("/resume").into_response()),
        Err(error) => refused(&state, &user, error).await,
    }
}

/// Applies `patch` to the active version, or shows the page again with `kept`.
async fn apply(
    state: &AppState,
    user: &PageUser,
    patch: Result<Value, Vec<pursuit_app::error::Invalid>>,
    mut kept: Kept,
) -> Result<Response, ApiError> {
    let active = store::get_resume(&state.db, user.0.id())
        .await?
        .and_then(|r| r.active_version_id);
    let Some(active) = active else {
        return refused(
            state,
            user,
            ApiError::not_found().with_detail("upload a resume first"),
        )
        .await;
    };
    let result = match patch {
        Ok(patch) => resumes::correct(state, user.0.id(), active.0, patch).await,
        Err(invalid) => Err(ApiError::validation(invalid)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/resume?saved=1").into_response()),
        Err(error) if error.kind().status().is_client_error() => {
            for field in error.field_errors() {
                let mut parts = field.pointer.trim_start_matches('/').split('/').skip(1);
                if let (Some(row), Some(key)) = (parts.next(), parts.next()) {
                    kept.errors
                        .insert(format!("{row}-{key}"), field.message.clone());
                }
            }
            let status = error.kind().status();
            show_with(state, user, Some(forms::message(&error)), status, kept).await
        }
        Err(error) => Err(error),
    }
}

async fn correct_work(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let rows: Vec<RoleRow> = form
        .rows([
            "role_position",
            "role_company",
            "role_location",
            "role_start",
            "role_end",
            "role_highlights",
        ])
        .into_iter()
        .map(
            |[position, company, location, start, end, highlights]| RoleRow {
                position,
                company,
                location,
                start,
                end,
                highlights,
            },
        )
        .collect();
    let patch = pursuit_app::resumes::work_from_rows(&rows).map(|work| json!({ "work": work }));
    let kept = Kept {
        work: Some(rows),
        ..Kept::default()
    };
    apply(&state, &user, patch, kept).await
}

async fn correct_education(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let rows: Vec<SchoolRow> = form
        .rows([
            "school_institution",
            "school_study_type",
            "school_area",
            "school_end",
        ])
        .into_iter()
        .map(|[institution, study_type, area, end]| SchoolRow {
            institution,
            study_type,
            area,
            end,
        })
        .collect();
    let patch = pursuit_app::resumes::education_from_rows(&rows)
        .map(|education| json!({ "education": education }));
    let kept = Kept {
        education: Some(rows),
        ..Kept::default()
    };
    apply(&state, &user, patch, kept).await
}

/// Skills as a comma-separated list; an empty list goes back to what was read.
async fn correct_skills(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let typed = form.text("skills");
    let names: Vec<Value> = typed
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Value::String(s.to_owned()))
        .collect();
    let patch = if names.is_empty() {
        json!({ "skills": null })
    } else {
        json!({ "skills": names })
    };
    let kept = Kept {
        skills: Some(typed),
        ..Kept::default()
    };
    apply(&state, &user, Ok(patch), kept).await
}

/// The contact fields the page corrects; an emptied field drops its correction.
const CONTACT: &[&str] = &["name", "label", "email", "phone", "location"];

async fn correct(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut basics = Map::new();
    for field in CONTACT {
        let value = form.text(field);
        let value = value.trim();
        basics.insert(
            (*field).to_owned(),
            if value.is_empty() {
                Value::Null
            } else {
                Value::String(value.to_owned())
            },
        );
    }
    let patch = json!({ "basics": basics });
    apply(&state, &user, Ok(patch), Kept::default()).await
}

async fn activate(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    if store::activate(
        &state.db,
        user.0.id(),
        ResumeVersionId(id),
        jiff::Timestamp::now(),
    )
    .await?
    {
        Ok(Redirect::to("/resume").into_response())
    } else {
        refused(&state, &user, ApiError::not_found()).await
    }
}

/// One of the user's versions as the page shows it, or not found.
async fn version_view(
    state: &AppState,
    user: &PageUser,
    id: uuid::Uuid,
) -> Result<(Value, bool), ApiError> {
    let (version, active) = resumes::owned(state, user.0.id(), id).await?;
    let view =
        serde_json::to_value(resumes::response(version, active, false)).unwrap_or(Value::Null);
    Ok((view, active))
}

/// A version read-only, without making it the active one.
async fn version_page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let (version, active) = version_view(&state, &user, id).await?;
    let others = store::list_versions(&state.db, user.0.id())
        .await?
        .into_iter()
        .filter(|v| v.id.0 != id)
        .map(|v| json!({ "id": v.id.0.to_string(), "version_no": v.version_no }))
        .collect::<Vec<_>>();
    Ok(render(
        "resume_version.html",
        StatusCode::OK,
        context! {
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            version => template_value(&version),
            active => active,
            others => template_value(&others),
        },
    ))
}

#[derive(serde::Deserialize)]
struct CompareQuery {
    a: uuid::Uuid,
    b: uuid::Uuid,
}

/// Names in `fields[key]` (`skills` by name, `work` as "title, company").
fn names(fields: &Value, key: &str) -> Vec<String> {
    fields
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match key {
                    "work" => {
                        let text =
                            |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
                        let label = [text("position"), text("name")]
                            .into_iter()
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ");
                        (!label.is_empty()).then_some(label)
                    }
                    _ => item.get("name").and_then(Value::as_str).map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What differs between two versions: skills and roles only in one, or in both.
async fn compare_page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(query): axum::extract::Query<CompareQuery>,
) -> Result<Response, ApiError> {
    let (a, _) = version_view(&state, &user, query.a).await?;
    let (b, _) = version_view(&state, &user, query.b).await?;
    let empty = Value::Null;
    let (fa, fb) = (
        a.get("fields").unwrap_or(&empty),
        b.get("fields").unwrap_or(&empty),
    );
    let split = |key: &str| {
        let (left, right) = (names(fa, key), names(fb, key));
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        let (ll, rl) = (lower(&left), lower(&right));
        json!({
            "only_a": left.iter().zip(&ll).filter(|(_, l)| !rl.contains(l)).map(|(s, _)| s).collect::<Vec<_>>(),
            "only_b": right.iter().zip(&rl).filter(|(_, l)| !ll.contains(l)).map(|(s, _)| s).collect::<Vec<_>>(),
            "both": left.iter().zip(&ll).filter(|(_, l)| rl.contains(l)).map(|(s, _)| s).collect::<Vec<_>>(),
        })
    };
    Ok(render(
        "resume_compare.html",
        StatusCode::OK,
        context! {
            page => "resume",
            user => user.view(),
            csrf => user.csrf(),
            a => template_value(&a),
            b => template_value(&b),
            skills => template_value(&split("skills")),
            work => template_value(&split("work")),
        },
    ))
}

/// Deletes a version (the page asks first, in a `<details>`).
async fn delete_version(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    match pursuit_app::resumes::delete_version(
        &state.db,
        state.files.as_ref(),
        user.0.id(),
        ResumeVersionId(id),
        Timestamp::now(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/resume?deleted=1").into_response()),
        Err(error) => refused(&state, &user, error.into()).await,
    }
}

/// Names a version from the versions table.
async fn label_version(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    match pursuit_app::resumes::rename_version(
        &state.db,
        user.0.id(),
        ResumeVersionId(id),
        &form.text("label"),
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/resume?saved=1#versions-title").into_response()),
        Err(error) => refused(&state, &user, error.into()).await,
    }
}
