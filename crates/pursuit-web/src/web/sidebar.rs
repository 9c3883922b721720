//! The board's sidebar: one application in full — every field to edit, its status history,
//! its activities and its reminders — opened by `/board?application=<id>`. Each of its forms
//! is an API request in disguise (see [`super::forms`]): the page posts here, the handler
//! turns the form into the endpoint's JSON body and calls that endpoint's handler, and the
//! browser is sent back to the sidebar. A refused form comes back with the reason and with
//! what was typed, so nothing is lost.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use pursuit_domain::application::{
    ActivityStatus, ActivityType, ApplicationStatus, FollowupChannel, InterviewMedium,
    InterviewStage, LocationMode, Priority,
};
use pursuit_domain::ids::{ActivityId, ApplicationId, ReminderId};
use pursuit_store::activities::Activity;
use pursuit_store::applications::Application;
use pursuit_store::reminders::{self, Reminder, ReminderFilter};
use serde::Serialize;
use serde_json::{Value, json};

use super::forms::{self, FormData, Kind};
use super::{BoardExtras, PageForm, PageUser, QuickAdd, board_page, status_label};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/board/applications/{id}", post(change_application))
        .route("/board/applications/{id}/activities", post(add_activity))
        .route("/board/applications/{id}/reminders", post(add_reminder))
        .route("/board/activities/{id}", post(change_activity))
        .route("/board/reminders/{id}", post(change_reminder))
}

/// The edit form's fields, as `PATCH /api/v1/applications/{id}` takes them (status has its
/// own "Move to" form, archiving its own button).
const APPLICATION_FIELDS: &[(&str, Kind)] = &[
    ("company", Kind::Required),
    ("role_title", Kind::Required),
    ("source", Kind::Required),
    ("application_date", Kind::Required),
    ("priority", Kind::Text),
    ("location_mode", Kind::Text),
    ("location_text", Kind::Text),
    ("timezone", Kind::Text),
    ("job_url", Kind::Text),
    ("salary_min", Kind::Int),
    ("salary_max", Kind::Int),
    ("salary_currency", Kind::Text),
    ("seniority_level", Kind::Text),
    ("job_requisition_id", Kind::Text),
    ("tags", Kind::Commas),
    ("tech_keywords", Kind::Commas),
    ("next_action", Kind::Text),
    ("next_action_due", Kind::LocalTime),
    ("resume_url", Kind::Text),
    ("cover_letter_url", Kind::Text),
    ("cover_letter_used", Kind::YesNo),
    ("attachments_links", Kind::Lines),
    ("contacts_inline", Kind::Json),
    ("notes", Kind::Text),
];

/// The add-activity form (`POST /api/v1/applications/{id}/activities`).
const ACTIVITY_FIELDS: &[(&str, Kind)] = &[
    ("type", Kind::Text),
    ("starts_at", Kind::LocalTime),
    ("duration_minutes", Kind::Int),
    ("timezone", Kind::Text),
    ("interview_stage", Kind::Text),
    ("interview_medium", Kind::Text),
    ("location_or_link", Kind::Text),
    ("agenda", Kind::Text),
    ("followup_channel", Kind::Text),
    ("template_used", Kind::Text),
    ("reply_deadline", Kind::LocalTime),
    ("outcome", Kind::Text),
    ("next_action", Kind::Text),
    ("next_action_due", Kind::LocalTime),
    ("notes", Kind::Text),
];

/// The add-reminder form (`POST /api/v1/reminders`).
const REMINDER_FIELDS: &[(&str, Kind)] = &[
    ("title", Kind::Text),
    ("due_at", Kind::LocalTime),
    ("channels", Kind::Checkboxes),
];

/// The sidebar forms whose typed values are shown again when refused.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SidebarForm {
    Application,
    Activity,
    Reminder,
    /// A button on a listed activity or reminder: nothing typed to keep.
    Row,
}

/// Which sidebar form a refused post came from, and what it held.
pub struct Posted<'a> {
    pub form: SidebarForm,
    pub data: &'a FormData,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|&item| Choice {
            value: value(item),
            label: label(item),
        })
        .collect()
}

/// "google_meet" → "Google meet".
fn sentence(text: &str) -> String {
    let text = text.replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The choices the sidebar's select boxes offer.
fn options() -> Value {
    let by_name = |items: Vec<Choice>| serde_json::to_value(items).unwrap_or(Value::Null);
    json!({
        "statuses": by_name(choices(ApplicationStatus::ALL, ApplicationStatus::as_str, status_label)),
        "priorities": by_name(choices(Priority::ALL, Priority::as_str, |p| p.as_str().to_owned())),
        "location_modes": by_name(choices(LocationMode::ALL, LocationMode::as_str, |m| sentence(m.as_str()))),
        "activity_types": by_name(choices(ActivityType::ALL, ActivityType::as_str, |t| match t {
            ActivityType::FollowUp => "Follow-up".to_owned(),
            other => other.as_str().to_owned(),
        })),
        "stages": by_name(choices(InterviewStage::ALL, InterviewStage::as_str, |s| sentence(s.as_str()))),
        "media": by_name(choices(InterviewMedium::ALL, InterviewMedium::as_str, |m| sentence(m.as_str()))),
        "followup_channels": by_name(choices(FollowupChannel::ALL, FollowupChannel::as_str, |c| sentence(c.as_str()))),
    })
}

#[derive(Serialize)]
struct HistoryRow {
    at: String,
    from: Option<String>,
    to: String,
    by: &'static str,
}

#[derive(Serialize)]
struct ActivityRow {
    id: String,
    version: i64,
    kind: String,
    status: &'static str,
    when: Option<String>,
    details: Vec<String>,
    notes: Option<String>,
}

#[derive(Serialize)]
struct ReminderRow {
    id: String,
    version: i64,
    title: String,
    due: String,
    due_input: String,
    channels: String,
    state: String,
    open: bool,
}

/// Everything the sidebar shows.
#[derive(Serialize)]
pub struct Sidebar {
    pub id: String,
    pub version: i64,
    pub company: String,
    pub role: String,
    pub status: &'static str,
    pub status_label: String,
    /// Saved or Draft: the application date is when it was saved, not sent.
    not_sent: bool,
    archived: Option<String>,
    /// The edit form's values, as the inputs show them.
    fields: BTreeMap<String, String>,
    history: Vec<HistoryRow>,
    activities: Vec<ActivityRow>,
    reminders: Vec<ReminderRow>,
    /// The add-activity and add-reminder forms' values.
    activity_form: BTreeMap<String, String>,
    reminder_form: BTreeMap<String, String>,
    reminder_channels: Vec<String>,
    confirm_delete: bool,
    options: Value,
}

fn when(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%a %-d %b %Y, %H:%M")
        .to_string()
}

fn application_fields(application: &Application, zone: &TimeZone) -> BTreeMap<String, String> {
    let data = &application.data;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let number = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
    [
        ("company", data.company.clone()),
        ("role_title", data.role_title.clone()),
        ("source", data.source.clone()),
        ("application_date", data.application_date.to_string()),
        ("priority", data.priority.as_str().to_owned()),
        (
            "location_mode",
            data.location_mode
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
        ),
        ("location_text", text(&data.location_text)),
        ("timezone", text(&data.timezone)),
        ("job_url", text(&data.job_url)),
        ("salary_min", number(data.salary.min)),
        ("salary_max", number(data.salary.max)),
        ("salary_currency", text(&data.salary.currency)),
        ("seniority_level", text(&data.seniority_level)),
        ("job_requisition_id", text(&data.job_requisition_id)),
        ("tags", data.tags.join(", ")),
        ("tech_keywords", data.tech_keywords.join(", ")),
        ("next_action", text(&data.next_action)),
        (
            "next_action_due",
            data.next_action_due
                .map(|at| forms::local_input(at, zone))
                .unwrap_or_default(),
        ),
        ("resume_url", text(&data.resume_url)),
        ("cover_letter_url", text(&data.cover_letter_url)),
        (
            "cover_letter_used",
            match data.cover_letter_used {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_owned(),
        ),
        ("attachments_links", data.attachments_links.join("\n")),
        (
            "contacts_inline",
            data.contacts_inline
                .as_ref()
                .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                .unwrap_or_default(),
        ),
        ("notes", text(&data.notes)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn activity_row(activity: &Activity, zone: &TimeZone) -> ActivityRow {
    let data = &activity.data;
    let mut details = Vec::new();
    if let Some(stage) = data.interview_stage {
        details.push(format!("{} stage", sentence(stage.as_str())));
    }
    if let Some(medium) = data.interview_medium {
        details.push(sentence(medium.as_str()));
    }
    if let Some(minutes) = data.duration_minutes {
        details.push(format!("{minutes} min"));
    }
    if let Some(place) = &data.location_or_link {
        details.push(place.clone());
    }
    if let Some(channel) = data.followup_channel {
        details.push(format!("by {}", channel.as_str()));
    }
    if let Some(deadline) = data.reply_deadline {
        details.push(format!("reply by {}", when(deadline, zone)));
    }
    if let Some(outcome) = &data.outcome {
        details.push(format!("outcome: {outcome}"));
    }
    ActivityRow {
        id: activity.id.to_string(),
        version: activity.version,
        kind: match data.kind {
            ActivityType::FollowUp => "Follow-up".to_owned(),
            other => other.as_str().to_owned(),
        },
        status: data.status.as_str(),
        when: data.starts_at.map(|at| when(at, zone)),
        details,
        notes: data.notes.clone(),
    }
}

fn reminder_row(reminder: &Reminder, zone: &TimeZone) -> ReminderRow {
    let state = if reminder.canceled_at.is_some() {
        "cancelled".to_owned()
    } else {
        match (reminder.delivery.as_str(), &reminder.delivery_note) {
            ("pending", _) => "waiting".to_owned(),
            (state, Some(note)) => format!("{state}: {note}"),
            (state, None) => state.to_owned(),
        }
    };
    ReminderRow {
        id: reminder.id.to_string(),
        version: reminder.version,
        title: reminder.title.clone(),
        due: when(reminder.due_at, zone),
        due_input: forms::local_input(reminder.due_at, zone),
        channels: reminder
            .channels
            .iter()
            .map(|c| c.as_str().replace('_', "-"))
            .collect::<Vec<_>>()
            .join(", "),
        state,
        open: !reminder.sent && reminder.canceled_at.is_none(),
    }
}

/// The sidebar of application `id` if it is the user's; `posted` puts a refused form's
/// values back into that form.
pub async fn load(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: ApplicationId,
    posted: Option<Posted<'_>>,
    confirm_delete: bool,
) -> Result<Option<Sidebar>, ApiError> {
    let db = &state.db;
    let Some(application) = pursuit_store::applications::get_application(db, user.id(), id).await?
    else {
        return Ok(None);
    };
    let zone = user.zone();
    let history = pursuit_store::applications::status_history(db, user.id(), Some(id))
        .await?
        .into_iter()
        .rev()
        .map(|change| HistoryRow {
            at: when(change.at, &zone),
            from: change.from.map(status_label),
            to: status_label(change.to),
            by: change.by.as_str(),
        })
        .collect();
    let activities = pursuit_store::activities::list_activities(db, user.id(), Some(id))
        .await?
        .iter()
        .map(|a| activity_row(a, &zone))
        .collect();
    let filter = ReminderFilter {
        application_id: Some(id),
        include_canceled: true,
        ..ReminderFilter::default()
    };
    let reminders = reminders::list_reminders(db, user.id(), &filter, None, 200)
        .await?
        .iter()
        .map(|r| reminder_row(r, &zone))
        .collect();
    let settings = pursuit_store::accounts::get_settings(db, user.id()).await?;
    let mut sidebar = Sidebar {
        id: application.id.to_string(),
        version: application.version,
        company: application.data.company.clone(),
        role: application.data.role_title.clone(),
        status: application.data.status.as_str(),
        status_label: status_label(application.data.status),
        not_sent: !application.data.status.is_sent(),
        archived: application.data.archived_at.map(|at| when(at, &zone)),
        fields: application_fields(&application, &zone),
        history,
        activities,
        reminders,
        activity_form: [("type", "Interview"), ("duration_minutes", "45")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        reminder_form: BTreeMap::new(),
        reminder_channels: settings
            .reminder_defaults
            .channels
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        confirm_delete,
        options: options(),
    };
    if let Some(posted) = posted {
        let values: BTreeMap<String, String> = posted.data.0.iter().cloned().collect();
        match posted.form {
            SidebarForm::Application => sidebar.fields.extend(values),
            SidebarForm::Activity => sidebar.activity_form = values,
            SidebarForm::Reminder => {
                sidebar.reminder_channels = posted.data.all("channels");
                sidebar.reminder_form = values;
            }
            SidebarForm::Row => {}
        }
    }
    Ok(Some(sidebar))
}

fn back_to(id: ApplicationId) -> Response {
    Redirect::to(&format!("/board?application={id}#sidebar")).into_response()
}

/// Sends the browser back to the sidebar when the API call worked; when it was refused, shows
/// the sidebar again with the reason and the form as it was posted.
async fn settle<T>(
    state: &AppState,
    page: &PageUser,
    application: ApplicationId,
    posted: Posted<'_>,
    result: Result<T, ApiError>,
) -> Result<Response, ApiError> {
    let error = match result {
        Ok(_) => return Ok(back_to(application)),
        Err(error) if error.kind().status().is_client_error() => error,
        Err(error) => return Err(error),
    };
    let status = error.kind().status();
    let notice = if status == StatusCode::CONFLICT {
        "This changed elsewhere since the page was loaded; it now shows the latest. Make your change again."
            .to_owned()
    } else {
        forms::message(&error)
    };
    let keep = (status != StatusCode::CONFLICT).then_some(posted);
    let extras = BoardExtras {
        selected: load(state, &page.0, application, keep, false).await?,
        notice: Some(notice),
        ..BoardExtras::default()
    };
    board_page(state, page, &QuickAdd::default(), extras, status).await
}

/// Save the edit form, archive, unarchive, or (confirmed) delete.
async fn change_application(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let id = ApplicationId(id);
    let version = form.version()?;
    let posted = Posted {
        form: SidebarForm::Application,
        data: &form,
    };
    let body = match form.get("action").unwrap_or("save") {
        "delete" => {
            let deleted = pursuit_app::applications::delete(
                &state.db,
                user.id(),
                id,
                Ok(version),
                Timestamp::now(),
            )
            .await
            .map_err(ApiError::from);
            return match deleted {
                Ok(_) => Ok(Redirect::to("/board").into_response()),
                Err(error) => settle(&state, &page, id, posted, Err::<(), _>(error)).await,
            };
        }
        "archive" => json!({ "archived_at": Timestamp::now().to_string() }),
        "unarchive" => json!({ "archived_at": null }),
        _ => Value::Object(form.json(APPLICATION_FIELDS, &user.zone(), true)),
    };
    let Value::Object(body) = body else {
        return Err(ApiError::bad_request("nothing to change"));
    };
    let result = crate::applications::update(&state, user.id(), id, Ok(version), &body).await;
    settle(&state, &page, id, posted, result).await
}

async fn add_activity(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let mut body = form.json(ACTIVITY_FIELDS, &user.zone(), false);
    body.entry("timezone")
        .or_insert_with(|| Value::String(user.user.time_zone.clone()));
    // The form shows every kind's fields at once (it works without JavaScript): the minutes
    // it suggests do not apply to a kind that does not last.
    let lasts = body
        .get("type")
        .and_then(Value::as_str)
        .and_then(|kind| ActivityType::parse(kind).ok())
        .is_none_or(ActivityType::lasts);
    if !lasts {
        body.remove("duration_minutes");
    }
    let result = async {
        let application = ApplicationId(id);
        pursuit_app::activities::check_application(&state.db, user.id(), application).await?;
        let (activity_id, data) =
            pursuit_app::activities::read_new(&body).map_err(ApiError::validation)?;
        let created = pursuit_app::activities::create(
            &state.db,
            user.id(),
            application,
            activity_id,
            &data,
            Timestamp::now(),
        )
        .await?;
        Ok::<_, ApiError>(created)
    }
    .await;
    let posted = Posted {
        form: SidebarForm::Activity,
        data: &form,
    };
    settle(&state, &page, ApplicationId(id), posted, result).await
}

/// Mark an activity done, cancel it, or delete it.
async fn change_activity(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let activity = pursuit_store::activities::get_activity(&state.db, user.id(), ActivityId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let version = form.version()?;
    let posted = Posted {
        form: SidebarForm::Row,
        data: &form,
    };
    let status = match form.get("action") {
        Some("done") => ActivityStatus::Done,
        Some("cancel") => ActivityStatus::Canceled,
        Some("delete") => {
            let result = pursuit_app::activities::delete(
                &state.db,
                user.id(),
                ActivityId(id),
                Ok(version),
                Timestamp::now(),
            )
            .await
            .map_err(ApiError::from);
            return settle(&state, &page, activity.application_id, posted, result).await;
        }
        _ => {
            return Err(ApiError::bad_request(
                "say what to do: done, cancel or delete",
            ));
        }
    };
    let mut body = serde_json::Map::new();
    body.insert("status".into(), Value::String(status.as_str().to_owned()));
    let result =
        crate::activities::update(&state, user.id(), ActivityId(id), Ok(version), &body).await;
    settle(&state, &page, activity.application_id, posted, result).await
}

async fn add_reminder(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let mut body = form.json(REMINDER_FIELDS, &user.zone(), false);
    body.insert("application_id".into(), Value::String(id.to_string()));
    // A required field left empty is named by the API, not refused as malformed JSON.
    for required in ["title", "due_at"] {
        body.entry(required)
            .or_insert_with(|| Value::String(String::new()));
    }
    let result = crate::reminders::create(&state, user.id(), &body).await;
    let posted = Posted {
        form: SidebarForm::Reminder,
        data: &form,
    };
    settle(&state, &page, ApplicationId(id), posted, result).await
}

/// Reschedule or cancel a reminder.
async fn change_reminder(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let reminder = reminders::get_reminder(&state.db, user.id(), ReminderId(id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let Some(application) = reminder.application_id else {
        return Err(ApiError::bad_request(
            "this reminder belongs to no application",
        ));
    };
    let version = form.version()?;
    let body = match form.get("action") {
        Some("cancel") => json!({ "canceled": true }),
        Some("reschedule") => {
            Value::Object(form.json(&[("due_at", Kind::LocalTime)], &user.zone(), true))
        }
        _ => {
            return Err(ApiError::bad_request(
                "say what to do: reschedule or cancel",
            ));
        }
    };
    let Value::Object(body) = body else {
        return Err(ApiError::bad_request("nothing to change"));
    };
    let result =
        crate::reminders::update(&state, user.id(), ReminderId(id), Ok(version), &body).await;
    let posted = Posted {
        form: SidebarForm::Row,
        data: &form,
    };
    settle(&state, &page, application, posted, result).await
}
