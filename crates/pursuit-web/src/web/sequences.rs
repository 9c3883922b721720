//! `/sequences` and `/sequences/{id}`: the user's outreach sequences — the list with a form
//! to start one (the default four emails), and the editor: each email's name, day, length,
//! subject and body, its character count against its length and its spam check with the
//! words marked (`assets/sequence.js` keeps both live while typing) — over
//! `pursuit_app::sequences`, as `/api/v1/sequence-templates` is.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::sequences::{self as use_case, StepInput, Template};
use pursuit_domain::ids::{SequenceStepId, SequenceTemplateId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::forms::FormData;
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/sequences", get(list).post(start))
        .route("/sequences/{id}", get(page))
        .route("/sequences/{id}/steps/{step}", post(save_step))
        .route("/sequences/{id}/rename", post(rename))
        .route("/sequences/{id}/delete", post(remove))
}

/// What each placeholder becomes, for the editor's help.
const FILLED: [(&str, &str); 6] = [
    ("first_name", "their first name"),
    ("full_name", "their full name"),
    ("company", "their company"),
    ("role", "the role you applied for"),
    ("my_name", "your name"),
    ("pitch", "your pitch for the role"),
];

#[derive(Deserialize)]
struct ListQuery {
    removed: Option<String>,
}

async fn show_list(
    state: &AppState,
    user: &PageUser,
    name: Option<String>,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let templates: Vec<Value> = use_case::list(&state.db, user.0.id())
        .await?
        .into_iter()
        .map(|t| {
            let when = t
                .row
                .updated_at
                .to_zoned(user.0.zone())
                .strftime("%-d %b %Y")
                .to_string();
            let mut view = serde_json::to_value(crate::sequences::response(t)).unwrap_or_default();
            view["when"] = json!(when);
            view
        })
        .collect();
    Ok(render(
        "sequences.html",
        status,
        context! {
            page => "sequences",
            user => user.view(),
            csrf => user.csrf(),
            templates => template_value(&templates),
            name => name,
            error => error,
            notice => notice,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let notice = query.removed.map(|_| "Sequence removed.");
    show_list(&state, &user, None, None, notice, StatusCode::OK).await
}

/// Starts a sequence of the default four emails and opens it.
async fn start(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let name = form.text("name");
    let tone = pursuit_text::letter::Tone::parse(&form.text("tone"))
        .unwrap_or(pursuit_text::letter::Tone::Professional);
    let length = form.get("length").unwrap_or("short").to_owned();
    match use_case::create_written(
        state.ai_services(),
        user.0.caller(),
        &name,
        tone,
        &length,
        Timestamp::now(),
    )
    .await
    {
        Ok(made) => Ok(Redirect::to(&format!("/sequences/{}", made.row.id.0)).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_list(&state, &user, Some(name), Some(message), None, status).await
        }
    }
}

#[derive(Deserialize)]
struct PageQuery {
    saved: Option<i64>,
    renamed: Option<String>,
    /// The preview's recipient: a contact, or a zone.
    contact_id: Option<String>,
    time_zone: Option<String>,
}

/// The editor; after a refused save, that email shows what was typed and why. Below the
/// emails, when each would go out to the recipient `preview` names (the user's own zone
/// unless a contact or a zone is chosen).
async fn show(
    state: &AppState,
    user: &PageUser,
    template: Template,
    refused: Option<(SequenceStepId, BTreeMap<String, String>, String)>,
    notice: Option<String>,
    preview: &Preview,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let me = user.0.id();
    let (schedule, schedule_error) = match use_case::schedule(
        &state.db,
        me,
        template.row.id,
        preview.contact,
        preview.time_zone.as_deref(),
        Timestamp::now(),
    )
    .await
    {
        Ok(planned) => (Some(crate::sequences::schedule_response(planned)), None),
        Err(error) => {
            let (_, message) = super::forms::refusal(error)?;
            (None, Some(message))
        }
    };
    let people: Vec<Value> = pursuit_app::contacts::list(&state.db, me, None)
        .await?
        .into_iter()
        .map(|p| {
            json!({
                "id": p.row.id.0.to_string(),
                "name": p.row.fields.full_name,
                "zone": p.time_zone,
                "chosen": Some(p.row.id) == preview.contact,
            })
        })
        .collect();
    let mut view = serde_json::to_value(crate::sequences::response(template)).unwrap_or_default();
    // Each email's text cut into pieces with its spam words marked.
    if let Some(steps) = view["steps"].as_array_mut() {
        for step in steps {
            let words: Vec<String> = step["spam"]["words"]
                .as_array()
                .map(|w| {
                    w.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let text = format!(
                "{}\n\n{}",
                step["subject"].as_str().unwrap_or_default(),
                step["body"].as_str().unwrap_or_default()
            );
            step["pieces"] = json!(super::ai::marked(&text, &words));
        }
    }
    let (mut errors, mut posted) = (BTreeMap::new(), BTreeMap::new());
    if let Some((step, values, message)) = refused {
        errors.insert(step.0.to_string(), message);
        posted.insert(step.0.to_string(), values);
    }
    let lengths: Vec<Value> = use_case::LENGTHS
        .iter()
        .map(|(name, min, max)| {
            json!({"name": name, "min": min, "max": max, "label": format!("{} ({min}–{max} characters)", super::sidebar::sentence(name))})
        })
        .collect();
    let placeholders: Vec<Value> = FILLED
        .iter()
        .map(|(name, what)| json!({"name": name, "what": what}))
        .collect();
    Ok(render(
        "sequence.html",
        status,
        context! {
            version => state.settings.version,
            page => "sequences",
            user => user.view(),
            csrf => user.csrf(),
            t => template_value(&view),
            errors => template_value(&errors),
            posted => template_value(&posted),
            lengths => template_value(&lengths),
            placeholders => template_value(&placeholders),
            notice => notice,
            schedule => schedule.as_ref().map(template_value),
            schedule_error => schedule_error,
            people => template_value(&people),
            asked_zone => preview.time_zone.clone(),
            zones => super::settings::zone_names(),
        },
    ))
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<PageQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let template = use_case::get(&state.db, user.0.id(), SequenceTemplateId(id)).await?;
    let notice = match (query.saved, query.renamed) {
        (Some(n), _) => Some(format!("Email {n} saved.")),
        (None, Some(_)) => Some("Renamed.".to_owned()),
        _ => None,
    };
    let contact = query
        .contact_id
        .as_deref()
        .filter(|c| !c.is_empty())
        .and_then(|c| c.parse().ok())
        .map(pursuit_domain::ids::ContactId);
    let preview = Preview {
        contact,
        time_zone: query.time_zone.clone(),
    };
    show(
        &state,
        &user,
        template,
        None,
        notice,
        &preview,
        StatusCode::OK,
    )
    .await
}

/// The recipient the editor's preview plans for.
#[derive(Default)]
struct Preview {
    contact: Option<pursuit_domain::ids::ContactId>,
    time_zone: Option<String>,
}

fn step_input(form: &FormData) -> StepInput {
    StepInput {
        label: Some(form.text("label")),
        // A day that is not a number is said to be out of range.
        offset_days: Some(form.text("offset_days").trim().parse().unwrap_or(-1)),
        subject: Some(form.text("subject")),
        body: Some(form.text("body")),
        length_preset: Some(form.text("length_preset")),
    }
}

async fn save_step(
    State(state): State<AppState>,
    Path((id, step)): Path<(uuid::Uuid, uuid::Uuid)>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let step = SequenceStepId(step);
    match use_case::update_step(
        state.ai_services(),
        user.0.caller(),
        step,
        &step_input(&form),
        Timestamp::now(),
    )
    .await
    {
        Ok(template) => {
            let position = template
                .steps
                .iter()
                .find(|s| s.id == step)
                .map_or(1, |s| s.position);
            Ok(Redirect::to(&format!(
                "/sequences/{}?saved={position}#step-{position}",
                template.row.id.0
            ))
            .into_response())
        }
        Err(pursuit_app::AppError::NotFound) => Err(pursuit_app::AppError::NotFound.into()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            let template = use_case::get(&state.db, user.0.id(), SequenceTemplateId(id)).await?;
            let values = form.posted();
            show(
                &state,
                &user,
                template,
                Some((step, values, message)),
                None,
                &Preview::default(),
                status,
            )
            .await
        }
    }
}

async fn rename(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let name = form.text("name");
    match use_case::update(
        state.ai_services(),
        user.0.caller(),
        SequenceTemplateId(id),
        Some(&name),
        None,
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/sequences/{id}?renamed=1")).into_response()),
        Err(pursuit_app::AppError::NotFound) => Err(pursuit_app::AppError::NotFound.into()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            let template = use_case::get(&state.db, user.0.id(), SequenceTemplateId(id)).await?;
            show(
                &state,
                &user,
                template,
                None,
                Some(message),
                &Preview::default(),
                status,
            )
            .await
        }
    }
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    use_case::delete(&state.db, user.0.id(), SequenceTemplateId(id)).await?;
    Ok(Redirect::to("/sequences?removed=1").into_response())
}
