//! `/settings`: profile and time zone, quiet hours, reminder defaults, the board's hidden
//! columns, API tokens (a new secret is shown once, on the page that created it, never in
//! a URL), the calendar feed URL, and export/import. Like the sidebar, each form calls the
//! API handler it stands for, so checks and audit entries are the API's.

use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_domain::application::ApplicationStatus;
use pursuit_store::accounts;
use serde_json::{Value, json};

use super::forms::{self, FormData};
use super::{PageForm, PageUser, render, status_label, template_value};
use crate::AppState;
use crate::auth::RequestFacts;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings", get(page).post(save))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/{id}/revoke", post(revoke_token))
        .route("/settings/calendar-feed", post(calendar_feed))
        .route("/settings/import", post(upload_import))
        .route("/settings/import/{id}", post(finish_import))
}

/// What the page shows besides the stored settings: a message, a secret shown once, an
/// import's preview or report, and a refused form's values.
#[derive(Default)]
struct Extras {
    notice: Option<String>,
    error: Option<String>,
    new_token: Option<String>,
    feed_url: Option<String>,
    import: Option<Value>,
    posted: Option<BTreeMap<String, String>>,
    posted_channels: Option<Vec<String>>,
    posted_hidden: Option<Vec<String>>,
}

async fn show(
    state: &AppState,
    user: &PageUser,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let current = &user.0;
    let settings = accounts::get_settings(&state.db, current.id()).await?;
    // The embedded owner starts with a placeholder no mail can reach.
    let no_address = current
        .user
        .email
        .eq_ignore_ascii_case(pursuit_domain::account::OWNER_PLACEHOLDER_EMAIL);
    let mut values: BTreeMap<String, String> = [
        (
            "display_name",
            current.user.display_name.clone().unwrap_or_default(),
        ),
        ("time_zone", current.user.time_zone.clone()),
        (
            "email",
            if no_address {
                String::new()
            } else {
                current.user.email.clone()
            },
        ),
        (
            "quiet_start",
            settings
                .quiet_hours
                .map_or_else(|| "22:00".to_owned(), |q| q.0.start.to_string()),
        ),
        (
            "quiet_end",
            settings
                .quiet_hours
                .map_or_else(|| "07:00".to_owned(), |q| q.0.end.to_string()),
        ),
        (
            "quiet",
            if settings.quiet_hours.is_some() {
                "on"
            } else {
                ""
            }
            .to_owned(),
        ),
        (
            "follow_up_after_days",
            settings.reminder_defaults.follow_up_after_days.to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut channels: Vec<String> = settings
        .reminder_defaults
        .channels
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let mut hidden: Vec<String> = settings
        .hidden_columns
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    if let Some(posted) = extras.posted {
        values.insert("quiet".to_owned(), String::new());
        values.extend(posted);
        channels = extras.posted_channels.unwrap_or_default();
        hidden = extras.posted_hidden.unwrap_or_default();
    }
    let tokens: Vec<Value> = accounts::list_api_tokens(&state.db, current.id())
        .await?
        .iter()
        .map(|t| {
            let zone = current.zone();
            let when = |at: Option<Timestamp>| {
                at.map(|at| at.to_zoned(zone.clone()).strftime("%-d %b %Y").to_string())
            };
            json!({
                "id": t.id.to_string(),
                "name": t.name,
                "prefix": t.prefix,
                "created": when(Some(t.created_at)),
                "last_used": when(t.last_used_at),
                "expires": when(t.expires_at),
            })
        })
        .collect();
    let feed = pursuit_store::delivery::get_feed(&state.db, current.id()).await?;
    let columns: Vec<Value> = ApplicationStatus::ALL
        .iter()
        .map(|s| json!({ "value": s.as_str(), "label": status_label(*s) }))
        .collect();
    let zones = zone_names();
    Ok(render(
        "settings.html",
        status,
        context! {
            version => state.settings.version,
            page => "settings",
            user => user.view(),
            csrf => user.csrf(),
            email => current.user.email.clone(),
            no_address => no_address,
            notice => extras.notice,
            error => extras.error,
            values => template_value(&values),
            channels => channels,
            hidden => hidden,
            columns => template_value(&columns),
            zones => zones,
            tokens => template_value(&tokens),
            new_token => extras.new_token,
            feed => feed.map(|f| context! {
                created => f.created_at.to_zoned(current.zone()).strftime("%-d %b %Y").to_string(),
                last_used => f.last_used_at.map(|at| at.to_zoned(current.zone()).strftime("%-d %b %Y, %H:%M").to_string()),
            }),
            feed_url => extras.feed_url,
            import => extras.import.as_ref().map(template_value),
        },
    ))
}

#[derive(serde::Deserialize, Default)]
struct Done {
    saved: Option<String>,
    revoked: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<Response, ApiError> {
    let notice = if done.saved.is_some() {
        Some("Settings saved.".to_owned())
    } else {
        done.revoked
            .map(|_| "Token revoked: it no longer works.".to_owned())
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    show(&state, &user, extras, StatusCode::OK).await
}

/// Shows the page again after a refused form: the reason, and what was typed.
async fn refused(
    state: &AppState,
    user: &PageUser,
    error: ApiError,
    form: Option<&FormData>,
) -> Result<Response, ApiError> {
    let status = error.kind().status();
    if !status.is_client_error() {
        return Err(error);
    }
    let all = |name: &str| form.map(|f| f.all(name));
    let extras = Extras {
        error: Some(forms::message(&error)),
        posted: form.map(|f| f.0.iter().cloned().collect()),
        posted_channels: all("channels"),
        posted_hidden: all("hidden_columns"),
        ..Extras::default()
    };
    show(state, user, extras, status).await
}

/// Saves the settings form (the use case behind `PATCH /api/v1/settings`).
async fn save(
    State(state): State<AppState>,
    facts: RequestFacts,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let all = |name: &str| form.all(name);
    let days = form.text("follow_up_after_days");
    let Ok(days) = days.trim().parse::<u16>() else {
        let error = ApiError::invalid_field(
            "/reminder_defaults/follow_up_after_days",
            "must be a whole number of days",
        );
        return refused(&state, &page, error, Some(&form)).await;
    };
    use pursuit_app::accounts::{ReminderDefaultsChange, SettingsChange, WindowChange};
    let display_name = form.text("display_name");
    let email = form.text("email");
    let change = SettingsChange {
        // Left empty, the address stays as it is (the owner's placeholder shows empty).
        email: Some(email).filter(|e| !e.trim().is_empty()),
        display_name: Some((!display_name.trim().is_empty()).then_some(display_name)),
        time_zone: Some(form.text("time_zone").trim().to_owned()),
        quiet_hours: Some((form.get("quiet") == Some("on")).then(|| WindowChange {
            start: form.text("quiet_start"),
            end: form.text("quiet_end"),
        })),
        reminder_defaults: Some(ReminderDefaultsChange {
            channels: Some(all("channels")),
            follow_up_after_days: Some(days),
        }),
        hidden_columns: Some(all("hidden_columns")),
        ..SettingsChange::default()
    };
    let result = pursuit_app::accounts::update_settings(
        &state.db,
        page.0.id(),
        change,
        &facts.origin(),
        Timestamp::now(),
    )
    .await
    .map_err(ApiError::from);
    match result {
        Ok(_) => Ok(Redirect::to("/settings?saved=1").into_response()),
        Err(error) => refused(&state, &page, error, Some(&form)).await,
    }
}

async fn create_token(
    State(state): State<AppState>,
    facts: RequestFacts,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let created = pursuit_app::accounts::create_token(
        &state.db,
        page.0.id(),
        &form.text("name"),
        None,
        &facts.origin(),
        Timestamp::now(),
    )
    .await
    .map_err(ApiError::from);
    match created {
        Ok((token, secret)) => {
            let extras = Extras {
                notice: Some(format!(
                    "Token “{}” created. Copy it now: it is not shown again.",
                    token.name
                )),
                new_token: Some(secret),
                ..Extras::default()
            };
            show_once(&state, &page, extras).await
        }
        Err(error) => refused(&state, &page, error, None).await,
    }
}

/// The page that shows a new secret, the only time it is shown: kept out of caches.
async fn show_once(
    state: &AppState,
    page: &PageUser,
    extras: Extras,
) -> Result<Response, ApiError> {
    let mut response = show(state, page, extras, StatusCode::CREATED).await?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke_token(
    State(state): State<AppState>,
    facts: RequestFacts,
    Path(id): Path<uuid::Uuid>,
    PageForm { user: page, .. }: PageForm,
) -> Result<Response, ApiError> {
    pursuit_app::accounts::revoke_token(
        &state.db,
        page.0.id(),
        pursuit_domain::ids::ApiTokenId(id),
        &facts.origin(),
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to("/settings?revoked=1#tokens").into_response())
}

/// Creates (or replaces) the calendar feed and shows its URL once, or revokes it.
async fn calendar_feed(
    State(state): State<AppState>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = page.0.id();
    if form.get("action") == Some("revoke") {
        pursuit_app::calendar::revoke_feed(&state.db, user).await?;
        return Ok(Redirect::to("/settings#calendar").into_response());
    }
    let token = pursuit_app::calendar::create_feed(&state.db, user, Timestamp::now()).await?;
    let extras = Extras {
        notice: Some(
            "Your calendar feed is ready. Copy the address into your calendar app now: it is not shown again."
                .to_owned(),
        ),
        feed_url: Some(crate::calendar::feed_url(&state, &token)),
        ..Extras::default()
    };
    show_once(&state, &page, extras).await
}

/// The largest file the import form takes (the API's body limit applies as well).
const IMPORT_LIMIT: usize = 10 * 1024 * 1024;

/// Uploads a CSV file (the use case behind `POST /api/v1/imports`) and shows its preview.
async fn upload_import(
    State(state): State<AppState>,
    user: PageUser,
    parts: axum::http::request::Parts,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let (mut csrf, mut file, mut filename) = (String::new(), None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("the upload was cut short: {e}")))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                filename = field.file_name().map(str::to_owned);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::bad_request(format!("the upload was cut short: {e}")))?;
                if bytes.len() > IMPORT_LIMIT {
                    return Err(ApiError::new(crate::problem::ProblemType::PayloadTooLarge)
                        .with_detail("files up to 10 MB can be imported"));
                }
                file = Some(bytes);
            }
            _ => {}
        }
    }
    user.check_form(&parts, &state, &csrf)?;
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        let error = ApiError::invalid_field("/file", "choose a CSV file to import");
        return refused(&state, &user, error, None).await;
    };
    let previewed = pursuit_app::imports::preview(
        &state.db,
        user.0.id(),
        pursuit_app::imports::table::decode(&file).0,
        filename,
        pursuit_app::imports::Options::default(),
        &user.0.zone(),
        Timestamp::now(),
    )
    .await;
    match previewed {
        Ok((import, plan)) => {
            let extras = Extras {
                import: Some(crate::import::body(&import, plan, None)),
                ..Extras::default()
            };
            show(&state, &user, extras, StatusCode::OK).await
        }
        Err(error) => refused(&state, &user, error.into(), None).await,
    }
}

/// Confirms (imports) or discards a previewed import.
async fn finish_import(
    State(state): State<AppState>,
    Path(id): Path<String>,
    PageForm { user: page, form }: PageForm,
) -> Result<Response, ApiError> {
    let user = &page.0;
    let id = crate::import::parse_id(&id)?;
    if form.get("action") == Some("discard") {
        pursuit_app::imports::delete(&state.db, user.id(), id).await?;
        return Ok(Redirect::to("/settings#import").into_response());
    }
    let result = pursuit_app::imports::confirm(
        &state.db,
        user.id(),
        id,
        false,
        &user.zone(),
        Timestamp::now(),
        |import, plan, result| crate::import::body(import, plan, Some(result)),
    )
    .await;
    match result {
        Ok(report) => {
            let created = report["result"]["created"].as_u64().unwrap_or(0);
            let extras = Extras {
                notice: Some(format!(
                    "Imported {created} application{}. They are on your board.",
                    if created == 1 { "" } else { "s" }
                )),
                ..Extras::default()
            };
            show(&state, &page, extras, StatusCode::OK).await
        }
        Err(error) => refused(&state, &page, error.into(), None).await,
    }
}

/// The IANA zone names a time zone field offers (`zones.html`).
pub(super) fn zone_names() -> Vec<String> {
    jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .filter(|name| name.contains('/') || name == "UTC")
        .collect()
}
