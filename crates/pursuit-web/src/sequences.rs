//! Outreach sequences (seed 000 §9) over `pursuit_app::sequences`: the templates (list, one,
//! a new one — the default Intro/Nudge/Value/Final cadence unless steps are given — a
//! change, a deletion) and a change to one step. Every step answers its character count,
//! its preset's target range and its last spam check.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::sequences::{self as use_case, StepInput, Template};
use pursuit_domain::ids::{SequenceStepId, SequenceTemplateId};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ai_sequence))
        .routes(routes!(list_templates, create_template))
        .routes(routes!(get_template, update_template, delete_template))
        .routes(routes!(update_step))
        .routes(routes!(schedule))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// Plan for this contact, in its zone (its own, else its company's).
    contact_id: Option<uuid::Uuid>,
    /// Else in this IANA zone; else in the caller's own.
    time_zone: Option<String>,
    /// When the first email would be sent at the earliest (default: now).
    #[param(value_type = Option<String>, format = DateTime)]
    start: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlannedSend {
    step_id: uuid::Uuid,
    position: i64,
    label: String,
    offset_days: i64,
    /// The instant (null when the send window never opens).
    #[schema(value_type = Option<String>, format = DateTime)]
    at: Option<Timestamp>,
    /// The same instant on the recipient's clock and on the caller's, for reading
    /// (`Mon 7 Dec 2026, 09:00`).
    recipient_local: Option<String>,
    your_local: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SequenceSchedule {
    time_zone: String,
    /// `contact`, `company`, `asked` or `yours`.
    time_zone_from: String,
    your_time_zone: String,
    /// The caller's send window (`HH:MM`–`HH:MM` on `days`).
    window_start: String,
    window_end: String,
    days: Vec<String>,
    sends: Vec<PlannedSend>,
}

/// When the sequence's emails would go out to one recipient if launched at `start`: each
/// step its days after the first, in the recipient's zone, moved into the caller's send
/// window (their working hours unless changed in settings).
#[utoipa::path(get, path = "/api/v1/sequence-templates/{id}/schedule", tag = "sequences",
    params(("id" = uuid::Uuid, Path, description = "The template's id"), ScheduleQuery),
    responses(
        (status = 200, description = "The planned sends", body = SequenceSchedule),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A contact not the caller's, an unknown zone, a start that is no RFC 3339 instant", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn schedule(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    axum::extract::Query(query): axum::extract::Query<ScheduleQuery>,
) -> Result<Json<SequenceSchedule>, ApiError> {
    let start = match query.start.as_deref() {
        Some(text) => text.parse::<Timestamp>().map_err(|_| {
            ApiError::invalid_field(
                "/start",
                "must be an RFC 3339 instant (2026-12-04T09:00:00Z)",
            )
        })?,
        None => Timestamp::now(),
    };
    let planned = use_case::schedule(
        &state.db,
        current.id(),
        SequenceTemplateId(id),
        query.contact_id.map(pursuit_domain::ids::ContactId),
        query.time_zone.as_deref(),
        start,
    )
    .await?;
    Ok(Json(schedule_response(planned)))
}

pub(crate) fn schedule_response(s: use_case::Schedule) -> SequenceSchedule {
    let local = |at: Timestamp, zone: &str| {
        jiff::tz::TimeZone::get(zone)
            .map(|tz| at.to_zoned(tz).strftime("%a %-d %b %Y, %H:%M").to_string())
            .ok()
    };
    SequenceSchedule {
        window_start: s.window.window.start.to_string(),
        window_end: s.window.window.end.to_string(),
        days: s
            .window
            .days
            .iter()
            .map(|d| pursuit_domain::schedule::weekday_name(*d).to_owned())
            .collect(),
        sends: s
            .sends
            .iter()
            .map(|(step, at)| PlannedSend {
                step_id: step.id.0,
                position: step.position,
                label: step.step.label.clone(),
                offset_days: step.step.offset_days,
                at: *at,
                recipient_local: at.and_then(|t| local(t, &s.time_zone)),
                your_local: at.and_then(|t| local(t, &s.your_time_zone)),
            })
            .collect(),
        time_zone: s.time_zone,
        time_zone_from: s.time_zone_from.to_owned(),
        your_time_zone: s.your_time_zone,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CharTarget {
    min: usize,
    max: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SpamSnapshotResponse {
    /// 0 (clean) to 1.
    score: f64,
    /// The exact strings of the subject or body that raise it.
    words: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    checked_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SequenceStepResponse {
    id: uuid::Uuid,
    /// 1 for the first email.
    position: i64,
    /// `Intro`, `Nudge`, `Value`, `Final`, or the user's own.
    label: String,
    /// Days after the first send.
    offset_days: i64,
    subject: String,
    body: String,
    /// `short`, `medium` or `long`.
    length_preset: String,
    /// Characters of subject and body as written (placeholders counted as typed).
    char_count: i64,
    /// The preset's range; more than `max` is refused on save.
    target: CharTarget,
    within_target: bool,
    /// The last spam check (null when the spam check is turned off).
    spam: Option<SpamSnapshotResponse>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SequenceTemplateResponse {
    id: uuid::Uuid,
    name: String,
    steps: Vec<SequenceStepResponse>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(t: Template) -> SequenceTemplateResponse {
    SequenceTemplateResponse {
        id: t.row.id.0,
        name: t.row.name,
        steps: t
            .steps
            .into_iter()
            .map(|s| {
                let (min, max) = use_case::target(&s.step.length_preset);
                SequenceStepResponse {
                    id: s.id.0,
                    position: s.position,
                    label: s.step.label,
                    offset_days: s.step.offset_days,
                    subject: s.step.subject,
                    body: s.step.body,
                    length_preset: s.step.length_preset,
                    char_count: s.char_count,
                    within_target: (min as i64..=max as i64).contains(&s.char_count),
                    target: CharTarget { min, max },
                    spam: s.spam.map(|x| SpamSnapshotResponse {
                        score: x.score,
                        words: x.words,
                        checked_at: x.checked_at,
                    }),
                }
            })
            .collect(),
        created_at: t.row.created_at,
        updated_at: t.row.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SequenceTemplateList {
    items: Vec<SequenceTemplateResponse>,
    /// Always `null`: every template (at most 100).
    next_cursor: Option<String>,
}

/// A step as given: on a change, a field left out keeps its value.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SequenceStepBody {
    /// 1 to 40 characters.
    label: Option<String>,
    /// 0 to 90; never before the step above.
    offset_days: Option<i64>,
    /// One line of at most 200 characters; placeholders `{first_name}`, `{full_name}`,
    /// `{company}`, `{role}`, `{my_name}`.
    subject: Option<String>,
    /// At most 5,000 characters; the same placeholders and `{pitch}`.
    body: Option<String>,
    /// `short` (100–500 characters), `medium` (400–900) or `long` (800–1,400).
    length_preset: Option<String>,
}

fn step_input(b: SequenceStepBody) -> StepInput {
    StepInput {
        label: b.label,
        offset_days: b.offset_days,
        subject: b.subject,
        body: b.body,
        length_preset: b.length_preset,
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSequenceTemplateBody {
    /// 1 to 120 characters.
    name: String,
    /// 1 to 8 steps in order; left out: Intro (day 0), Nudge (3), Value (7), Final (14).
    steps: Option<Vec<SequenceStepBody>>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SequenceTemplateChangeBody {
    name: Option<String>,
    /// Replaces the steps in order (a step at a position it had keeps its id).
    steps: Option<Vec<SequenceStepBody>>,
}

/// The caller's sequence templates by name, each with its steps.
#[utoipa::path(get, path = "/api/v1/sequence-templates", tag = "sequences",
    responses(
        (status = 200, description = "The templates", body = SequenceTemplateList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_templates(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SequenceTemplateList>, ApiError> {
    let all = use_case::list(&state.db, current.id()).await?;
    Ok(Json(SequenceTemplateList {
        items: all.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

type Created = (
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<SequenceTemplateResponse>,
);

/// A new sequence template: the steps given, or the default four-email cadence.
#[utoipa::path(post, path = "/api/v1/sequence-templates", tag = "sequences", request_body = NewSequenceTemplateBody,
    responses(
        (status = 201, description = "Made", body = SequenceTemplateResponse,
            headers(("Location" = String, description = "The template's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller keeps 100 templates already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each named, as /steps/N/field): a step over its preset's length, an unknown placeholder, steps out of order", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_template(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<NewSequenceTemplateBody>,
) -> Result<Created, ApiError> {
    let steps: Option<Vec<StepInput>> = body.steps.map(|s| s.into_iter().map(step_input).collect());
    let made = use_case::create(
        state.ai_services(),
        current.caller(),
        &body.name,
        steps.as_deref(),
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/sequence-templates/{}", made.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(made)),
    ))
}

/// One of the caller's templates with its steps.
#[utoipa::path(get, path = "/api/v1/sequence-templates/{id}", tag = "sequences",
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    responses(
        (status = 200, description = "The template", body = SequenceTemplateResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_template(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<SequenceTemplateResponse>, ApiError> {
    let template = use_case::get(&state.db, current.id(), SequenceTemplateId(id)).await?;
    Ok(Json(response(template)))
}

/// Renames a template and/or replaces its steps (copy and timing).
#[utoipa::path(patch, path = "/api/v1/sequence-templates/{id}", tag = "sequences", request_body = SequenceTemplateChangeBody,
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    responses(
        (status = 200, description = "The template now", body = SequenceTemplateResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_template(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<SequenceTemplateChangeBody>,
) -> Result<Json<SequenceTemplateResponse>, ApiError> {
    let steps: Option<Vec<StepInput>> = body.steps.map(|s| s.into_iter().map(step_input).collect());
    let template = use_case::update(
        state.ai_services(),
        current.caller(),
        SequenceTemplateId(id),
        body.name.as_deref(),
        steps.as_deref(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(template)))
}

/// Deletes one of the caller's templates and its steps.
#[utoipa::path(delete, path = "/api/v1/sequence-templates/{id}", tag = "sequences",
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_template(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    use_case::delete(&state.db, current.id(), SequenceTemplateId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes one step (body, subject, offset, label, preset): counted and spam-checked
/// again; answers its template.
#[utoipa::path(patch, path = "/api/v1/sequence-steps/{id}", tag = "sequences", request_body = SequenceStepBody,
    params(("id" = uuid::Uuid, Path, description = "The step's id")),
    responses(
        (status = 200, description = "The step's template now", body = SequenceTemplateResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such step of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_step(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<SequenceStepBody>,
) -> Result<Json<SequenceTemplateResponse>, ApiError> {
    let template = use_case::update_step(
        state.ai_services(),
        current.caller(),
        SequenceStepId(id),
        &step_input(body),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(template)))
}

/// What `/api/v1/ai/sequence` is asked.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AiSequenceBody {
    /// Default `professional`.
    tone: Option<crate::documents::ToneName>,
    /// `short` (default), `medium` or `long`: each email's length preset.
    length: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WrittenStep {
    label: String,
    offset_days: i64,
    subject: String,
    body: String,
    length_preset: String,
    char_count: usize,
    target: CharTarget,
    within_target: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WrittenSequence {
    /// The emails, ready to `POST /api/v1/sequence-templates` as `steps`.
    steps: Vec<WrittenStep>,
    /// Who wrote it: a configured model, or `local` (the built-in sequence).
    provider: String,
    model: String,
    /// Models tried first and why their answer was not used.
    fallbacks: Vec<String>,
}

/// A first four-email sequence (Intro, Nudge, Value, Final) in a tone and a length,
/// written with placeholders and saying nothing about the caller (a model rewords it when
/// one is configured and keeps every rule; else the built-in one). Not kept.
#[utoipa::path(post, path = "/api/v1/ai/sequence", tag = "outreach", request_body = AiSequenceBody,
    responses(
        (status = 200, description = "The emails", body = WrittenSequence),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown length", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn ai_sequence(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<AiSequenceBody>,
) -> Result<Json<WrittenSequence>, ApiError> {
    let tone = body.tone.map_or(
        pursuit_text::letter::Tone::Professional,
        crate::documents::ToneName::tone,
    );
    let written = use_case::write(
        state.ai_services(),
        current.caller(),
        tone,
        body.length.as_deref().unwrap_or("short").trim(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(WrittenSequence {
        steps: written
            .steps
            .into_iter()
            .map(|s| {
                let (min, max) = use_case::target(&s.length_preset);
                let char_count = use_case::char_count(&s.subject, &s.body);
                WrittenStep {
                    label: s.label,
                    offset_days: s.offset_days,
                    subject: s.subject,
                    body: s.body,
                    length_preset: s.length_preset,
                    within_target: (min..=max).contains(&char_count),
                    char_count,
                    target: CharTarget { min, max },
                }
            })
            .collect(),
        provider: written.provider,
        model: written.model,
        fallbacks: written.fallbacks,
    }))
}
