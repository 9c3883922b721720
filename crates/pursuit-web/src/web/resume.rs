//! `/resume`: the user's resume as a page — what was read from the active version (and
//! what it flags), the versions with the active pick, an upload form, a paste form, and a
//! form to correct the contact details. Each form goes through the same functions as
//! `/api/v1/resume`, so pages and API share every check.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::resumes::Original;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::ResumeVersionId;
use pursuit_store::resumes as store;
use serde_json::{Map, Value};

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
        .route("/resume/versions/{id}/activate", post(activate))
}

async fn show(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    status: StatusCode,
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
    Ok(render(
        "resume.html",
        status,
        context! {
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

async fn page(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    show(&state, &user, None, StatusCode::OK).await
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

/// The contact fields the page corrects; an emptied field drops its correction.
const CONTACT: &[&str] = &["name", "label", "email", "phone", "location"];

async fn correct(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let Some(active) = store::get_resume(&state.db, user.0.id())
        .await?
        .and_then(|r| r.active_version_id)
    else {
        return refused(
            &state,
            &user,
            ApiError::not_found().with_detail("upload a resume first"),
        )
        .await;
    };
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
    let patch = serde_json::json!({ "basics": basics });
    match resumes::correct(&state, user.0.id(), active.0, patch).await {
        Ok(_) => Ok(Redirect::to("/resume").into_response()),
        Err(error) => refused(&state, &user, error).await,
    }
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
