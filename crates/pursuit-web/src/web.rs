//! The web app's pages, rendered on the server from minijinja templates embedded in the
//! binary (`templates/`), with one embedded stylesheet (`assets/`): no build step, no CDN,
//! and every page shows its data with JavaScript off. Values are HTML-escaped by the
//! template engine (auto-escape on for `.html`), so a company named `<script>` is text.
//!
//! Pages use the session cookie; a signed-out browser is sent to `/sign-in`. Forms carry
//! the session's CSRF token in a hidden `csrf` field, checked with the browser's `Origin`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::{Environment, context};
use pursuit_domain::application::ApplicationStatus;
use pursuit_domain::ids::ApplicationId;
use pursuit_store::applications;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::AppState;
use crate::auth::{self, Credential, CurrentUser, RequestFacts};
use crate::fields::Fields;
use crate::problem::ApiError;

mod ai;
mod analytics;
mod charts;
mod chat;
mod contacts;
mod discover;
mod documents;
mod feedback;
mod filters;
mod forms;
mod jobs;
mod optimizations;
mod outreach;
mod preferences;
mod profile;
mod replies;
mod resume;
mod sequences;
mod settings;
mod sidebar;
mod table;
mod tasks;

/// Cards a column shows before "Show all"; an expanded column shows up to `COLUMN_LIMIT`.
const PER_COLUMN: i64 = 100;
const COLUMN_LIMIT: i64 = 10_000;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/notifications/read", post(mark_read))
        .route("/board", get(board))
        .route("/analytics", get(analytics::page))
        .route("/board/applications", post(quick_add))
        .route("/board/views", post(filters::save_view))
        .route("/board/applications/{id}/status", post(move_card))
        .route("/board/applications/{id}/position", post(reorder_card))
        .route("/assets/app.css", get(stylesheet))
        .route("/assets/board.js", get(board_script))
        .route("/assets/chat.js", get(chat_script))
        .route("/assets/sequence.js", get(sequence_script))
        .route("/assets/app.js", get(app_script))
        .route("/assets/favicon.svg", get(favicon))
        .route(
            "/favicon.ico",
            get(|| async { Redirect::permanent("/assets/favicon.svg") }),
        )
        .merge(sidebar::routes())
        .merge(settings::routes())
        .merge(ai::routes())
        .merge(preferences::routes())
        .merge(profile::routes())
        .merge(documents::routes())
        .merge(optimizations::routes())
        .merge(chat::routes())
        .merge(tasks::routes())
        .merge(contacts::routes())
        .merge(sequences::routes())
        .merge(outreach::routes())
        .merge(replies::routes())
        .merge(feedback::routes())
        .merge(resume::routes())
        .merge(jobs::routes())
        .merge(discover::routes())
        .merge(table::routes())
        .method_not_allowed_fallback(back_to_page)
}

/// A page address that only takes a form (`/board/applications`, `/resume/text`, …) asked
/// with GET — the address bar after a refused form, reloaded or bookmarked — goes to the
/// page the form is on instead of answering a bare 405.
async fn back_to_page(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let section = uri.path().split('/').nth(1).unwrap_or_default();
    let page = match section {
        "board" | "settings" | "resume" | "jobs" | "analytics" | "discover" => {
            format!("/{section}")
        }
        _ => "/".to_owned(),
    };
    Redirect::to(&page).into_response()
}

/// The page templates, compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("sign_in.html", include_str!("../templates/sign_in.html")),
    ("board.html", include_str!("../templates/board.html")),
    ("sidebar.html", include_str!("../templates/sidebar.html")),
    (
        "analytics.html",
        include_str!("../templates/analytics.html"),
    ),
    ("ai.html", include_str!("../templates/ai.html")),
    (
        "ai_provider.html",
        include_str!("../templates/ai_provider.html"),
    ),
    (
        "ai_provider_fields.html",
        include_str!("../templates/ai_provider_fields.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
    ("resume.html", include_str!("../templates/resume.html")),
    ("jobs.html", include_str!("../templates/jobs.html")),
    ("discover.html", include_str!("../templates/discover.html")),
    (
        "discover_nav.html",
        include_str!("../templates/discover_nav.html"),
    ),
    (
        "discover_searches.html",
        include_str!("../templates/discover_searches.html"),
    ),
    (
        "discover_runs.html",
        include_str!("../templates/discover_runs.html"),
    ),
    ("job.html", include_str!("../templates/job.html")),
    ("table.html", include_str!("../templates/table.html")),
    (
        "mailboxes.html",
        include_str!("../templates/mailboxes.html"),
    ),
    (
        "outreach_nav.html",
        include_str!("../templates/outreach_nav.html"),
    ),
    (
        "campaigns.html",
        include_str!("../templates/campaigns.html"),
    ),
    ("campaign.html", include_str!("../templates/campaign.html")),
    (
        "unsubscribe.html",
        include_str!("../templates/unsubscribe.html"),
    ),
    ("replies.html", include_str!("../templates/replies.html")),
    ("feedback.html", include_str!("../templates/feedback.html")),
    ("company.html", include_str!("../templates/company.html")),
    (
        "resume_version.html",
        include_str!("../templates/resume_version.html"),
    ),
    (
        "resume_compare.html",
        include_str!("../templates/resume_compare.html"),
    ),
    ("filters.html", include_str!("../templates/filters.html")),
    ("profile.html", include_str!("../templates/profile.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("chat.html", include_str!("../templates/chat.html")),
    ("chats.html", include_str!("../templates/chats.html")),
    (
        "optimization.html",
        include_str!("../templates/optimization.html"),
    ),
    (
        "documents.html",
        include_str!("../templates/documents.html"),
    ),
    ("project.html", include_str!("../templates/project.html")),
    ("task.html", include_str!("../templates/task.html")),
    ("contacts.html", include_str!("../templates/contacts.html")),
    ("contact.html", include_str!("../templates/contact.html")),
    (
        "contact_fields.html",
        include_str!("../templates/contact_fields.html"),
    ),
    ("zones.html", include_str!("../templates/zones.html")),
    (
        "sequences.html",
        include_str!("../templates/sequences.html"),
    ),
    ("sequence.html", include_str!("../templates/sequence.html")),
    (
        "project_fields.html",
        include_str!("../templates/project_fields.html"),
    ),
    (
        "preferences.html",
        include_str!("../templates/preferences.html"),
    ),
    (
        "search_terms.html",
        include_str!("../templates/search_terms.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // The templates are ours and compiled into the binary: a syntax error is
            // caught by `every_template_compiles`, and would show as a 500 naming it.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(%error, template = name, "a page template does not compile");
            }
        }
        env
    })
}

/// Any serializable value as a template value.
fn template_value<T: Serialize + ?Sized>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

fn render(name: &str, status: StatusCode, values: minijinja::Value) -> Response {
    let rendered = environment()
        .get_template(name)
        .and_then(|template| template.render(values));
    match rendered {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

/// The signed-in browser of a page request, or a redirect to the sign-in page, with the
/// unread notifications the header shows.
pub struct PageUser(pub CurrentUser, Notifications);

/// The header's notifications: the unread count and the newest unread few.
#[derive(Serialize, Default)]
pub struct Notifications {
    unread: i64,
    items: Vec<NotificationItem>,
}

#[derive(Serialize)]
struct NotificationItem {
    id: String,
    title: String,
    body: String,
    link: Option<String>,
}

async fn notifications(state: &AppState, user: &CurrentUser) -> Result<Notifications, ApiError> {
    use pursuit_store::delivery;
    let now = Timestamp::now();
    let unread = delivery::unread_count(&state.db, user.id(), now).await?;
    if unread == 0 {
        return Ok(Notifications::default());
    }
    let items = delivery::list_notifications(&state.db, user.id(), true, now, None, 5).await?;
    Ok(Notifications {
        unread,
        items: items
            .into_iter()
            .map(|n| NotificationItem {
                id: n.id.to_string(),
                title: n.title,
                body: n.body,
                link: n
                    .application_id
                    .map(|id| format!("/board?application={id}")),
            })
            .collect(),
    })
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match auth::page_session(parts, state).await {
            Ok(Some(user)) => {
                let unread = notifications(state, &user)
                    .await
                    .map_err(IntoResponse::into_response)?;
                Ok(PageUser(user, unread))
            }
            Ok(None) => Err(Redirect::to("/sign-in").into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

impl PageUser {
    fn csrf(&self) -> &str {
        match &self.0.credential {
            Credential::Session { csrf_token, .. } => csrf_token,
            Credential::ApiToken { .. } => "",
        }
    }

    /// What the layout shows of the user.
    fn view(&self) -> minijinja::Value {
        let user = &self.0.user;
        context! {
            name => user.display_name.clone().unwrap_or_else(|| user.email.clone()),
            notifications => template_value(&self.1),
        }
    }

    /// A form post must come from our page (Origin) and carry the session's token.
    fn check_form(&self, parts: &Parts, state: &AppState, sent: &str) -> Result<(), ApiError> {
        auth::check_origin(parts, state)?;
        auth::check_csrf_token(sent, self.csrf())
    }
}

/// A page form post, checked: a signed-in browser, our `Origin`, and the session's CSRF
/// token in the form's `csrf` field. Handlers that take this cannot forget the check.
pub struct PageForm {
    pub user: PageUser,
    pub form: forms::FormData,
}

impl axum::extract::FromRequest<AppState> for PageForm {
    type Rejection = Response;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let request = axum::extract::Request::from_parts(parts.clone(), body);
        let Form(form) = Form::<forms::FormData>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        user.check_form(&parts, state, &form.text("csrf"))
            .map_err(IntoResponse::into_response)?;
        // A browser's text field cannot send U+0000; a crafted post gets the API's answer.
        let with_nul: Vec<String> = form
            .0
            .iter()
            .filter(|(name, value)| name.contains('\0') || value.contains('\0'))
            .map(|(name, _)| format!("/{}", crate::problem::visible_name(name)))
            .collect();
        if !with_nul.is_empty() {
            return Err(crate::problem::nul_problem(with_nul).into_response());
        }
        Ok(PageForm { user, form })
    }
}

async fn home(State(state): State<AppState>, parts: Parts) -> Result<Redirect, ApiError> {
    Ok(match auth::page_session(&parts, &state).await? {
        Some(_) => Redirect::to("/board"),
        None => Redirect::to("/sign-in"),
    })
}

fn sign_in_view(
    state: &AppState,
    email: &str,
    error: Option<String>,
    sent: bool,
) -> minijinja::Value {
    context! {
        version => state.settings.version,
        email => email,
        error => error,
        sent => sent,
        outbox => state.mailer.is_outbox(),
        google => state.google.is_some(),
    }
}

async fn sign_in_page(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    if auth::page_session(&parts, &state).await?.is_some() {
        return Ok(Redirect::to("/board").into_response());
    }
    Ok(render(
        "sign_in.html",
        StatusCode::OK,
        sign_in_view(&state, "", None, false),
    ))
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
}

async fn sign_in(
    State(state): State<AppState>,
    facts: RequestFacts,
    parts: Parts,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(error) = auth::check_origin(&parts, &state) {
        return error.into_response();
    }
    let email = form.email.trim().to_owned();
    match auth::magic_link::send_link(&state, &facts, &email).await {
        Ok(()) => render(
            "sign_in.html",
            StatusCode::OK,
            sign_in_view(&state, &email, None, true),
        ),
        Err(error) => {
            let status = error.kind().status();
            let message = if status == StatusCode::UNPROCESSABLE_ENTITY {
                "Enter an email address like ada@example.org.".to_owned()
            } else if status == StatusCode::TOO_MANY_REQUESTS {
                "Too many sign-in links were asked for. Wait a few minutes, then try again."
                    .to_owned()
            } else {
                return error.into_response();
            };
            render(
                "sign_in.html",
                status,
                sign_in_view(&state, &email, Some(message), false),
            )
        }
    }
}

async fn sign_out(
    State(state): State<AppState>,
    facts: RequestFacts,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    auth::session::end_session(&state, &user.0, &facts).await?;
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session::clear_cookie_header(&state.settings),
    );
    Ok(response)
}

/// Marks one notification (the form's `id`) or all of them read from the header's form
/// (without JavaScript; the script calls the same API handlers), then goes back to the
/// page the form names in `back`.
async fn mark_read(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Redirect, ApiError> {
    let current = user.0;
    match form.get("id").map(str::parse::<uuid::Uuid>) {
        Some(Ok(id)) => {
            crate::notifications::mark_read(State(state), current, axum::extract::Path(id)).await?;
        }
        Some(Err(_)) => return Err(ApiError::not_found()),
        None => {
            crate::notifications::mark_all_read(State(state), current).await?;
        }
    }
    let back = form.text("back");
    Ok(Redirect::to(local_path(&back).unwrap_or("/board")))
}

/// `target` when it is a path on this site, never a way to another one: it starts with one
/// `/`, and has no backslash (browsers read `/\evil.example` as `//evil.example`) and no
/// control characters or spaces (which browsers strip before reading it).
fn local_path(target: &str) -> Option<&str> {
    let mut chars = target.chars();
    let local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !target
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    local.then_some(target)
}

/// "Recruiter_Call" → "Recruiter call".
fn status_label(status: ApplicationStatus) -> String {
    let text = status.as_str().replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
        None => text,
    }
}

#[derive(Serialize)]
struct Card {
    id: String,
    version: i64,
    company: String,
    role: String,
    priority: String,
    tags: Vec<String>,
    next_action: Option<String>,
    due: Option<String>,
    /// The match of the posting it was saved from against the active resume.
    match_score: Option<u32>,
    /// Where, and how: "Lisbon, Portugal · hybrid".
    place: Option<String>,
    /// "€70k–90k".
    salary: Option<String>,
    /// Days since it last changed ("today", "3 days").
    since: String,
    /// Its status, shown on a card in the "Other statuses" group.
    status_label: String,
}

/// A salary band as a card shows it: thousands, the currency's sign where it has a
/// common one.
fn salary_label(salary: &pursuit_domain::application::SalaryRange) -> Option<String> {
    let short = |n: i64| {
        if n >= 1000 && n % 1000 == 0 {
            format!("{}k", n / 1000)
        } else if n >= 1000 {
            format!("{:.1}k", n as f64 / 1000.0)
        } else {
            n.to_string()
        }
    };
    let band = match (salary.min, salary.max) {
        (Some(a), Some(b)) if a == b => short(a),
        (Some(a), Some(b)) => format!("{}–{}", short(a), short(b)),
        (Some(a), None) => format!("from {}", short(a)),
        (None, Some(b)) => format!("up to {}", short(b)),
        (None, None) => return None,
    };
    Some(match salary.currency.as_deref() {
        Some("EUR") => format!("€{band}"),
        Some("USD") => format!("${band}"),
        Some("GBP") => format!("£{band}"),
        Some(code) => format!("{band} {code}"),
        None => band,
    })
}

/// How long ago, in whole days, as a card says it.
fn days_since(then: Timestamp, now: Timestamp) -> String {
    let days = (now.as_second() - then.as_second()).max(0) / 86_400;
    match days {
        0 => "today".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

#[derive(Serialize)]
struct Column {
    status: &'static str,
    label: String,
    /// Live applications in this status (the cards shown may be fewer).
    count: i64,
    cards: Vec<Card>,
    /// The group of the statuses hidden in settings: its cards show their status, and
    /// nothing is dropped on it.
    other: bool,
}

#[derive(Deserialize, Default)]
struct BoardQuery {
    /// The application whose sidebar is open.
    application: Option<String>,
    /// A status whose column is shown in full.
    column: Option<String>,
    /// `delete`: the sidebar asks to confirm deleting its application.
    confirm: Option<String>,
    /// What the action the browser comes back from did (see [`sidebar::Done`]).
    done: Option<String>,
    #[serde(flatten)]
    filters: filters::FilterQuery,
}

/// What the board shows besides the columns: the open card, a notice, form errors.
#[derive(Default)]
struct BoardExtras {
    selected: Option<sidebar::Sidebar>,
    notice: Option<String>,
    errors: BTreeMap<String, String>,
    /// The column shown in full ("Show all").
    expanded: Option<ApplicationStatus>,
    /// The filter bar's fields (or a saved view) as asked for.
    filters: filters::FilterQuery,
}

async fn selected(
    state: &AppState,
    user: &PageUser,
    id: Option<&str>,
    confirm_delete: bool,
) -> Result<Option<sidebar::Sidebar>, ApiError> {
    let Some(id) = id.and_then(|id| id.parse::<uuid::Uuid>().ok()) else {
        return Ok(None);
    };
    sidebar::load(state, &user.0, ApplicationId(id), None, confirm_delete).await
}

/// One step of the first-run path.
#[derive(Serialize)]
struct Step {
    label: &'static str,
    href: &'static str,
    done: bool,
}

/// The first-run path (email and zone → resume → a posting → its match), while any step is
/// left; `None` once all are done.
async fn onboarding(state: &AppState, user: &PageUser) -> Result<Option<Vec<Step>>, ApiError> {
    let id = user.0.id();
    let email_given = user.0.user.email != pursuit_domain::account::OWNER_PLACEHOLDER_EMAIL;
    let resume = pursuit_store::resumes::get_resume(&state.db, id).await?;
    let resume_added = resume.is_some_and(|r| r.active_version_id.is_some());
    let posting_added = !pursuit_store::postings::list_postings(&state.db, id, None, None, 1)
        .await?
        .is_empty();
    let steps = vec![
        Step {
            label: "Give your email address and time zone, so reminders reach you",
            href: "/settings",
            done: email_given,
        },
        Step {
            label: "Add your resume: upload it or paste it",
            href: "/resume",
            done: resume_added,
        },
        Step {
            label: "Add a posting you are interested in: paste it or give its address",
            href: "/jobs",
            done: posting_added,
        },
        Step {
            label: "See how well it matches, and what to add to your resume",
            href: "/jobs",
            done: resume_added && posting_added,
        },
    ];
    Ok((!steps.iter().all(|s| s.done)).then_some(steps))
}

/// What the quick-add form holds, kept when it is shown again with errors.
#[derive(Serialize, Default)]
struct QuickAdd {
    company: String,
    role_title: String,
    status: String,
}

async fn board_page(
    state: &AppState,
    user: &PageUser,
    form: &QuickAdd,
    extras: BoardExtras,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (filter, bar, filter_error) = filters::resolve(state, &user.0, &extras.filters).await?;
    let status = if status == StatusCode::OK {
        // A refused filter: the whole board, with the reason, as a 400.
        if filter_error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    } else {
        status
    };
    let notice = extras.notice.or(filter_error);
    let (rows, counts) = match &filter {
        // A filtered board: the matching applications, counted as found.
        Some(filter) => {
            let rows: Vec<_> =
                applications::list_applications(&state.db, user.0.id(), filter, None, COLUMN_LIMIT)
                    .await?
                    .into_iter()
                    .map(|(application, _)| application)
                    .collect();
            let counts = ApplicationStatus::ALL
                .iter()
                .map(|s| {
                    (
                        *s,
                        rows.iter().filter(|a| a.data.status == *s).count() as i64,
                    )
                })
                .collect();
            (rows, counts)
        }
        // "Show all" on one column: that column in full (up to the limit), in its order.
        None => {
            let expanded = extras.expanded.map(|status| (status, COLUMN_LIMIT));
            applications::board(&state.db, user.0.id(), PER_COLUMN, expanded).await?
        }
    };
    let zone = user.0.zone();
    let now = Timestamp::now();
    let hidden = pursuit_store::accounts::get_settings(&state.db, user.0.id())
        .await?
        .hidden_columns;
    let mut columns: Vec<Column> = ApplicationStatus::ALL
        .iter()
        .map(|s| Column {
            status: s.as_str(),
            label: status_label(*s),
            count: counts
                .iter()
                .find(|(status, _)| status == s)
                .map_or(0, |(_, n)| *n),
            cards: Vec::new(),
            other: false,
        })
        .collect();
    // Hidden statuses are not columns; their cards gather in one "Other statuses" group at
    // the end (hiding never hides an application).
    let is_hidden = |status: &str| hidden.iter().any(|h| h.as_str() == status);
    let mut other = Column {
        status: "",
        label: "Other statuses".to_owned(),
        count: columns
            .iter()
            .filter(|c| is_hidden(c.status))
            .map(|c| c.count)
            .sum(),
        cards: Vec::new(),
        other: true,
    };
    columns.retain(|c| !is_hidden(c.status));
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let ids: Vec<_> = rows.iter().map(|a| a.id).collect();
    let scores =
        pursuit_app::matching::scores_for_applications(&state.db, user.0.id(), &ids).await?;
    for application in rows {
        let data = &application.data;
        let card = Card {
            id: application.id.to_string(),
            version: application.version,
            company: data.company.clone(),
            role: data.role_title.clone(),
            priority: data.priority.as_str().to_owned(),
            tags: data.tags.clone(),
            next_action: data.next_action.clone(),
            due: data
                .next_action_due
                .map(|at| at.to_zoned(zone.clone()).strftime("%b %-d").to_string()),
            match_score: scores.get(&application.id).copied(),
            place: match (data.location_text.as_deref(), data.location_mode) {
                (Some(text), Some(mode)) if !text.to_lowercase().contains(mode.as_str()) => {
                    Some(format!("{text} · {}", mode.as_str()))
                }
                (Some(text), _) => Some(text.to_owned()),
                (None, Some(mode)) => Some(sidebar::sentence(mode.as_str())),
                (None, None) => None,
            },
            salary: salary_label(&data.salary),
            since: days_since(application.updated_at, now),
            status_label: status_label(data.status),
        };
        match columns
            .iter_mut()
            .find(|c| c.status == data.status.as_str())
        {
            Some(column) => column.cards.push(card),
            None => other.cards.push(card),
        }
    }
    if other.count > 0 {
        columns.push(other);
    }
    let mut form_view = QuickAdd {
        company: form.company.clone(),
        role_title: form.role_title.clone(),
        status: form.status.clone(),
    };
    if form_view.status.is_empty() {
        form_view.status = ApplicationStatus::Applied.as_str().to_owned();
    }
    Ok(render(
        "board.html",
        status,
        context! {
            version => state.settings.version,
            page => "board",
            user => user.view(),
            csrf => user.csrf(),
            columns => template_value(&columns),
            total => total,
            form => template_value(&form_view),
            errors => template_value(&extras.errors),
            selected => template_value(&extras.selected),
            onboarding => template_value(&onboarding(state, user).await?),
            notice => notice,
            filters => template_value(&bar),
            statuses => template_value(&ApplicationStatus::ALL.iter().map(|s| (s.as_str(), status_label(*s))).collect::<Vec<_>>()),
        },
    ))
}

async fn board(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<BoardQuery>,
) -> Result<Response, ApiError> {
    let mut selected = selected(
        &state,
        &user,
        query.application.as_deref(),
        query.confirm.as_deref() == Some("delete"),
    )
    .await?;
    if let (Some(sidebar), Some(done)) = (
        selected.as_mut(),
        query.done.as_deref().and_then(sidebar::Done::parse),
    ) {
        sidebar.done(done);
    }
    let extras = BoardExtras {
        selected,
        expanded: query
            .column
            .as_deref()
            .and_then(|c| ApplicationStatus::parse(c).ok()),
        filters: query.filters,
        ..BoardExtras::default()
    };
    board_page(&state, &user, &QuickAdd::default(), extras, StatusCode::OK).await
}

/// Moves a card to another status from the sidebar's form (the keyboard and no-JavaScript
/// way; drag-and-drop sends the same change to the API). The version the page showed goes
/// with it: if the card changed meanwhile, the board comes back with the card as it is now
/// and a notice offering to move it again.
async fn move_card(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut body = Map::new();
    body.insert("status".into(), Value::String(form.text("status")));
    let version = form.text("version").trim().parse::<i64>().map_err(|_| {
        ApiError::bad_request("the form lost the version of the card; reload the board")
    })?;
    let id_text = id.to_string();
    match crate::applications::update(&state, user.0.id(), ApplicationId(id), Ok(version), &body)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/board?application={id_text}&done=moved#sidebar-title"
        ))
        .into_response()),
        Err(error)
            if matches!(
                error.kind().status(),
                StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
            ) =>
        {
            let status = error.kind().status();
            let selected = selected(&state, &user, Some(&id_text), false).await?;
            let notice = match (&selected, status) {
                (Some(now), StatusCode::CONFLICT) => format!(
                    "This application changed elsewhere since the board was loaded: it is now in {}. Choose its column again to move it.",
                    now.status_label
                ),
                _ => "That is not a status this board knows.".to_owned(),
            };
            let extras = BoardExtras {
                selected,
                notice: Some(notice),
                ..BoardExtras::default()
            };
            board_page(&state, &user, &QuickAdd::default(), extras, status).await
        }
        Err(error) => Err(error),
    }
}

/// Moves a card within its column from the sidebar's buttons (top, up, down, bottom): the
/// way without JavaScript and without dragging.
async fn reorder_card(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    use pursuit_app::board::Placement;
    let placement = match form.text("to").as_str() {
        "top" => Placement::Top,
        "up" => Placement::Up,
        "down" => Placement::Down,
        "bottom" => Placement::Bottom,
        _ => {
            return Err(ApiError::bad_request(
                "the form asked for no place in the column; use Top, Up, Down or Bottom",
            ));
        }
    };
    let id = ApplicationId(id);
    pursuit_app::board::place(&state.db, user.0.id(), id, placement, Timestamp::now()).await?;
    Ok(sidebar::back_to(id, sidebar::Done::Reordered))
}

/// Quick-add from the board: the same checks as `POST /api/v1/applications`; on a mistake
/// the board comes back with the messages and the typed values kept.
async fn quick_add(
    State(state): State<AppState>,
    PageForm { user, form: posted }: PageForm,
) -> Result<Response, ApiError> {
    let form = QuickAdd {
        company: posted.text("company"),
        role_title: posted.text("role_title"),
        status: posted.text("status"),
    };
    let current = &user.0;
    let mut body = Map::new();
    body.insert("company".into(), Value::String(form.company.clone()));
    body.insert("role_title".into(), Value::String(form.role_title.clone()));
    if !form.status.is_empty() {
        body.insert("status".into(), Value::String(form.status.clone()));
    }
    let mut fields = Fields::default();
    let mut data = pursuit_store::applications::ApplicationData::new("", "", current.today());
    pursuit_app::applications::apply(&body, &mut data, &mut fields);
    if !fields.errors.is_empty() {
        let errors: BTreeMap<String, String> = fields
            .errors
            .into_iter()
            .map(|e| {
                let key = e.field.trim_start_matches('/').to_owned();
                let key = if matches!(key.as_str(), "company" | "role_title") {
                    key
                } else {
                    "other".to_owned()
                };
                (key, e.message)
            })
            .collect();
        let extras = BoardExtras {
            errors,
            ..BoardExtras::default()
        };
        return board_page(
            &state,
            &user,
            &form,
            extras,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = Timestamp::now();
    let rules =
        pursuit_app::reminders::RuleInputs::for_status(&state.db, current.id(), data.status)
            .await?;
    let mut tx = state.db.begin().await?;
    pursuit_app::applications::create_in(
        &mut tx,
        current.id(),
        ApplicationId::new(),
        &data,
        pursuit_domain::application::ChangedBy::User,
        rules.as_ref(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/board").into_response())
}

async fn stylesheet() -> Response {
    asset(include_str!("../assets/app.css"), "text/css; charset=utf-8")
}

async fn app_script() -> Response {
    asset(
        include_str!("../assets/app.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn favicon() -> Response {
    asset(include_str!("../assets/favicon.svg"), "image/svg+xml")
}

async fn chat_script() -> Response {
    asset(
        include_str!("../assets/chat.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn sequence_script() -> Response {
    asset(
        include_str!("../assets/sequence.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn board_script() -> Response {
    asset(
        include_str!("../assets/board.js"),
        "text/javascript; charset=utf-8",
    )
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The URL carries the version, so a new release is a new URL.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        let mut env = minijinja::Environment::new();
        for (name, source) in super::TEMPLATES {
            if let Err(error) = env.add_template(name, source) {
                panic!("{name}: {error:#}");
            }
        }
        // A template file left out of `TEMPLATES` is a 500 at run time: every file is listed.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                super::TEMPLATES.iter().any(|(listed, _)| *listed == name),
                "templates/{name} is not in TEMPLATES"
            );
        }
    }

    #[test]
    fn only_paths_of_this_site_are_redirect_targets() {
        for ok in ["/board", "/board?view=1#x", "/"] {
            assert_eq!(super::local_path(ok), Some(ok), "{ok}");
        }
        for refused in [
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example",
            "https://evil.example/",
            "/ /evil.example",
            "board",
            "",
        ] {
            assert_eq!(super::local_path(refused), None, "{refused:?}");
        }
    }
}
