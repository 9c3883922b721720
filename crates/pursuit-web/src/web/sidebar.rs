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
        .route("/board/applications/{id}/contacts", post(save_contacts))
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

/// An activity's edit form (`PATCH /api/v1/activities/{id}`): what is learnt around it.
const ACTIVITY_EDIT_FIELDS: &[(&str, Kind)] = &[
    ("agenda", Kind::Text),
    ("outcome", Kind::Text),
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
    Contacts,
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

/// What an action did, named in the address the browser is sent back to (`done=`) and
/// confirmed beside the section it belongs to, which the page scrolls to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Moved,
    Reordered,
    Saved,
    Archived,
    Unarchived,
    ContactsSaved,
    ActivityAdded,
    ActivityChanged,
    ActivityDeleted,
    ReminderAdded,
    ReminderChanged,
}

impl Done {
    const ALL: [Done; 11] = [
        Done::Moved,
        Done::Reordered,
        Done::Saved,
        Done::Archived,
        Done::Unarchived,
        Done::ContactsSaved,
        Done::ActivityAdded,
        Done::ActivityChanged,
        Done::ActivityDeleted,
        Done::ReminderAdded,
        Done::ReminderChanged,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Done::Moved => "moved",
            Done::Reordered => "reordered",
            Done::Saved => "saved",
            Done::Archived => "archived",
            Done::Unarchived => "unarchived",
            Done::ContactsSaved => "contacts",
            Done::ActivityAdded => "activity-added",
            Done::ActivityChanged => "activity-changed",
            Done::ActivityDeleted => "activity-deleted",
            Done::ReminderAdded => "reminder-added",
            Done::ReminderChanged => "reminder-changed",
        }
    }

    pub fn parse(text: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.as_str() == text)
    }

    fn section(self) -> Section {
        match self {
            Done::Moved | Done::Reordered | Done::Archived | Done::Unarchived => Section::Top,
            Done::Saved => Section::Details,
            Done::ContactsSaved => Section::Contacts,
            Done::ActivityAdded | Done::ActivityChanged | Done::ActivityDeleted => {
                Section::Activities
            }
            Done::ReminderAdded | Done::ReminderChanged => Section::Reminders,
        }
    }

    fn message(self) -> &'static str {
        match self {
            Done::Moved => "Moved.",
            Done::Reordered => "Moved within its column.",
            Done::Saved => "Changes saved.",
            Done::Archived => "Archived: it is off the board but kept, with its history.",
            Done::Unarchived => "Back on the board.",
            Done::ContactsSaved => "Contacts saved.",
            Done::ActivityAdded => "Activity added.",
            Done::ActivityChanged => "Activity updated.",
            Done::ActivityDeleted => "Activity deleted.",
            Done::ReminderAdded => "Reminder added.",
            Done::ReminderChanged => "Reminder updated.",
        }
    }
}

/// A part of the sidebar, by the id of its heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Top,
    Details,
    Contacts,
    Activities,
    Reminders,
}

impl Section {
    fn anchor(self) -> &'static str {
        match self {
            Section::Top => "sidebar-title",
            Section::Details => "details-title",
            Section::Contacts => "contacts-title",
            Section::Activities => "activities-title",
            Section::Reminders => "reminders-title",
        }
    }

    fn of(form: SidebarForm) -> Section {
        match form {
            SidebarForm::Application => Section::Details,
            SidebarForm::Contacts => Section::Contacts,
            SidebarForm::Activity => Section::Activities,
            SidebarForm::Reminder => Section::Reminders,
            SidebarForm::Row => Section::Top,
        }
    }
}

/// A confirmation or a refusal, shown beside the section it concerns.
#[derive(Serialize)]
struct Said {
    section: &'static str,
    text: String,
    error: bool,
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
pub(super) fn sentence(text: &str) -> String {
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
    interview: bool,
    agenda: Option<String>,
    outcome: Option<String>,
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
    /// After a 409: the edit form keeps what was typed, and these fields show what the
    /// latest version holds where it differs.
    conflict: bool,
    latest: BTreeMap<String, String>,
    /// The contact rows (one empty row to add another), and refused cells by
    /// `{row}-{key}`.
    contacts: Vec<pursuit_app::contacts::Contact>,
    /// The contacts the application is aimed at (its rows promoted): `{id, full_name}`.
    targets: Vec<serde_json::Value>,
    contact_errors: BTreeMap<String, String>,
    said: Option<Said>,
    history: Vec<HistoryRow>,
    activities: Vec<ActivityRow>,
    reminders: Vec<ReminderRow>,
    /// The add-activity and add-reminder forms' values.
    activity_form: BTreeMap<String, String>,
    reminder_form: BTreeMap<String, String>,
    reminder_channels: Vec<String>,
    confirm_delete: bool,
    options: Value,
    /// CVs and letters made for this application's posting.
    documents: Vec<DocumentLink>,
    /// The resume version that went out with it ("version 3 · Backend"), once recorded.
    resume_sent: Option<String>,
}

#[derive(Serialize)]
struct DocumentLink {
    id: String,
    title: String,
    at: String,
    blocking: usize,
    /// Recorded as sent with the application (exported, or set by the user).
    sent: bool,
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
        interview: data.kind == ActivityType::Interview,
        agenda: data.agenda.clone(),
        outcome: data.outcome.clone(),
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
    let sent = pursuit_app::documents::materials(db, user.id(), id).await?;
    let documents = pursuit_app::documents::for_application(db, user.id(), id)
        .await?
        .into_iter()
        .map(|d| DocumentLink {
            sent: sent.as_ref().is_some_and(|m| {
                m.cv_document_id == Some(d.row.id) || m.letter_document_id == Some(d.row.id)
            }),
            id: d.row.id.0.to_string(),
            title: d.row.title,
            at: when(d.row.created_at, &zone),
            blocking: d.blocking.len(),
        })
        .collect();
    let resume_sent = match sent.and_then(|m| m.resume_version_id) {
        Some(version) => pursuit_store::resumes::get_version(db, user.id(), version)
            .await?
            .map(|v| match v.label {
                Some(label) => format!("version {} · {label}", v.version_no),
                None => format!("version {} of {}", v.version_no, when(v.created_at, &zone)),
            }),
        None => None,
    };
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
        conflict: false,
        latest: BTreeMap::new(),
        contacts: pursuit_app::contacts::read(application.data.contacts_inline.as_ref()),
        targets: pursuit_app::contacts::targets(db, user.id(), application.id)
            .await?
            .into_iter()
            .map(|p| serde_json::json!({"id": p.row.id.0, "full_name": p.row.fields.full_name}))
            .collect(),
        contact_errors: BTreeMap::new(),
        said: None,
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
        documents,
        resume_sent,
    };
    if let Some(posted) = posted {
        let values: BTreeMap<String, String> = posted.data.0.iter().cloned().collect();
        match posted.form {
            SidebarForm::Application => {
                for (key, _) in APPLICATION_FIELDS {
                    let typed = values.get(*key).map_or("", String::as_str);
                    if let Some(saved) = sidebar.fields.get(*key).filter(|v| v.as_str() != typed) {
                        sidebar.latest.insert((*key).to_owned(), saved.clone());
                    }
                }
                sidebar.fields.extend(values);
            }
            SidebarForm::Contacts => sidebar.contacts = contact_rows(posted.data),
            SidebarForm::Activity => sidebar.activity_form = values,
            SidebarForm::Reminder => {
                sidebar.reminder_channels = posted.data.all("channels");
                sidebar.reminder_form = values;
            }
            SidebarForm::Row => {}
        }
    }
    sidebar
        .contacts
        .push(pursuit_app::contacts::Contact::default());
    Ok(Some(sidebar))
}

impl Sidebar {
    /// Confirms what an action did, beside its section.
    pub fn done(&mut self, done: Done) {
        self.said = Some(Said {
            section: done.section().anchor(),
            text: done.message().to_owned(),
            error: false,
        });
    }
}

/// The contact rows as a form posts them: each cell a repeated field, row by row.
fn contact_rows(form: &FormData) -> Vec<pursuit_app::contacts::Contact> {
    let keys = pursuit_app::contacts::KEYS;
    form.rows(
        keys.map(|key| format!("contact_{key}"))
            .each_ref()
            .map(String::as_str),
    )
    .into_iter()
    .map(|cells| pursuit_app::contacts::Contact::from_cells(keys.into_iter().zip(cells)))
    .collect()
}

/// Back to the sidebar, at the section the action concerns, with its confirmation.
pub(super) fn back_to(id: ApplicationId, done: Done) -> Response {
    Redirect::to(&format!(
        "/board?application={id}&done={}#{}",
        done.as_str(),
        done.section().anchor()
    ))
    .into_response()
}

/// Sends the browser back to the sidebar when the API call worked; when it was refused, shows
/// the sidebar again with the reason and the form as it was posted.
async fn settle<T>(
    state: &AppState,
    page: &PageUser,
    application: ApplicationId,
    posted: Posted<'_>,
    result: Result<T, ApiError>,
    done: Done,
) -> Result<Response, ApiError> {
    let error = match result {
        Ok(_) => return Ok(back_to(application, done)),
        Err(error) if error.kind().status().is_client_error() => error,
        Err(error) => return Err(error),
    };
    let status = error.kind().status();
    let form = posted.form;
    let conflict = status == StatusCode::CONFLICT;
    let text = match form {
        SidebarForm::Application | SidebarForm::Contacts if conflict => {
            "This application changed elsewhere since you opened it. What you typed is kept \
             below, and a field that now differs says what was saved meanwhile; save again \
             to apply your version to the latest one."
                .to_owned()
        }
        _ if conflict => {
            "This changed elsewhere since the page was loaded; it now shows the latest. Make your change again."
                .to_owned()
        }
        _ => forms::message(&error),
    };
    // A row's button (mark done, reschedule…) holds nothing typed; on a conflict it is
    // shown as it is now.
    let keep = (form != SidebarForm::Row).then_some(posted);
    let mut selected = load(state, &page.0, application, keep, false).await?;
    if let Some(sidebar) = selected.as_mut() {
        sidebar.conflict = conflict && form == SidebarForm::Application;
        if form == SidebarForm::Contacts {
            for field in error.field_errors() {
                let mut parts = field
                    .pointer
                    .trim_start_matches("/contacts_inline/")
                    .split('/');
                if let (Some(row), Some(key)) = (parts.next(), parts.next()) {
                    sidebar
                        .contact_errors
                        .insert(format!("{row}-{key}"), field.message.clone());
                }
            }
        }
        sidebar.said = Some(Said {
            section: Section::of(form).anchor(),
            text,
            error: true,
        });
    }
    let extras = BoardExtras {
        selected,
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
                Err(error) => {
                    settle(&state, &page, id, posted, Err::<(), _>(error), Done::Saved).await
                }
            };
        }
        "archive" => json!({ "archived_at": Timestamp::now().to_string() }),
        "unarchive" => json!({ "archived_at": null }),
        _ => Value::Object(form.json(APPLICATION_FIELDS, &user.zone(), true)),
    };
    let done = match form.get("action") {
        Some("archive") => Done::Archived,
        Some("unarchive") => Done::Unarchived,
        _ => Done::Saved,
    };
    let Value::Object(body) = body else {
        return Err(ApiError::bad_request("nothing to change"));
    };
    let result = crate::applications::update(&state, user.id(), id, Ok(version), &body).await;
    settle(&state, &page, id, posted, result, done).await
}

/// Save the contact rows: each row checked, empty ones dropped, stored on the application.
async fn save_contacts(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let id = ApplicationId(id);
    let version = form.version()?;
    let posted = Posted {
        form: SidebarForm::Contacts,
        data: &form,
    };
    let result = match pursuit_app::contacts::write(&contact_rows(&form)) {
        Ok(contacts) => {
            let mut body = serde_json::Map::new();
            body.insert("contacts_inline".into(), contacts);
            crate::applications::update(&state, user.id(), id, Ok(version), &body).await
        }
        Err(invalid) => Err(ApiError::validation(invalid)),
    };
    settle(&state, &page, id, posted, result, Done::ContactsSaved).await
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
    settle(
        &state,
        &page,
        ApplicationId(id),
        posted,
        result,
        Done::ActivityAdded,
    )
    .await
}

/// Save what was learnt (agenda, outcome, notes), mark an activity done, cancel it, or
/// delete it.
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
        Some("save") => {
            let body = form.json(ACTIVITY_EDIT_FIELDS, &user.zone(), true);
            let result =
                crate::activities::update(&state, user.id(), ActivityId(id), Ok(version), &body)
                    .await;
            let posted = Posted {
                form: SidebarForm::Row,
                data: &form,
            };
            return settle(
                &state,
                &page,
                activity.application_id,
                posted,
                result,
                Done::ActivityChanged,
            )
            .await;
        }
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
            return settle(
                &state,
                &page,
                activity.application_id,
                posted,
                result,
                Done::ActivityDeleted,
            )
            .await;
        }
        _ => {
            return Err(ApiError::bad_request(
                "say what to do: save, done, cancel or delete",
            ));
        }
    };
    let mut body = serde_json::Map::new();
    body.insert("status".into(), Value::String(status.as_str().to_owned()));
    let result =
        crate::activities::update(&state, user.id(), ActivityId(id), Ok(version), &body).await;
    settle(
        &state,
        &page,
        activity.application_id,
        posted,
        result,
        Done::ActivityChanged,
    )
    .await
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
    settle(
        &state,
        &page,
        ApplicationId(id),
        posted,
        result,
        Done::ReminderAdded,
    )
    .await
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
    settle(
        &state,
        &page,
        application,
        posted,
        result,
        Done::ReminderChanged,
    )
    .await
}
