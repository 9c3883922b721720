//! Outreach pages over `pursuit_app::{mailboxes, campaigns, outreach}`, as the API is:
//!
//! - `/mailboxes`: the user's mailboxes with their limits and state, a form to add one
//!   (its login is tried first), pause, resume, check and remove.
//! - `/campaigns`: the campaigns, a form to start one, and the opted-out addresses.
//! - `/campaigns/{id}`: its sequence and mailbox, its people (add one: an application and
//!   a contact with an address), the launch preview — every planned send in the recipient's
//!   time and the user's — with what stops the launch, the launch; once launched, every
//!   email's state, settling one whose fate is unknown, and stopping.
//! - `/u/{token}`: the one-click unsubscribe page a recipient reaches from an email, with no
//!   session and no cookie: GET shows a button (a link scanner opening it changes nothing),
//!   POST (the button, or a mail client's RFC 8058 one-click) suppresses the address.
//! - `/c/{token}`: a tracked campaign's link (no session): notes the first click and
//!   redirects to the signed address; a `HEAD` redirects without counting.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use pursuit_app::campaigns::{self, CampaignInput};
use pursuit_app::mailboxes::{self, MailboxInput};
use pursuit_app::outreach::{self, Settle};
use pursuit_app::{AppError, Invalid};
use pursuit_domain::ids::{
    ApplicationId, CampaignId, CampaignTargetId, ContactId, MailboxId, OutreachId,
    SequenceTemplateId, UserId,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::forms::FormData;
use super::{PageForm, PageUser, render, template_value};
use crate::AppState;
use crate::problem::ApiError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/mailboxes", get(mailbox_list).post(mailbox_add))
        .route("/mailboxes/{id}", post(mailbox_save))
        .route("/mailboxes/{id}/{action}", post(mailbox_action))
        .route("/campaigns", get(campaign_list).post(campaign_start))
        .route("/campaigns/suppressions", post(suppression_add))
        .route("/campaigns/suppressions/remove", post(suppression_remove))
        .route("/campaigns/{id}", get(campaign_page))
        .route("/campaigns/{id}/settings", post(campaign_save))
        .route("/campaigns/{id}/targets", post(target_add))
        .route(
            "/campaigns/{id}/targets/{target}/remove",
            post(target_remove),
        )
        .route("/campaigns/{id}/{action}", post(campaign_move))
        .route("/campaigns/{id}/delete", post(campaign_delete))
        .route("/campaigns/{id}/emails/{email}/settle", post(email_settle))
        .route("/u/{token}", get(unsubscribe_page).post(unsubscribe))
        .route("/c/{token}", get(click))
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    done: Option<String>,
    /// A mailbox whose sending domain to check (the Mailboxes page's "Check DNS").
    dns: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "added" => "Mailbox added: its login worked.",
        "saved" => "Saved.",
        "checked" => "The server accepted the login.",
        "paused" => "Paused: its emails wait.",
        "resumed" => "Resumed.",
        "warming" => {
            "Warmup on: it writes to your other warming mailboxes from 09:00 today or tomorrow."
        }
        "cooled" => "Warmup off.",
        "removed" => "Removed.",
        "launched" => "Launched: the emails go out at the times below.",
        "stopped" => "Stopped: nothing more goes out.",
        "settled" => "Noted.",
        "suppressed" => "Added: nothing more goes to that address.",
        "unsuppressed" => "Taken off the list.",
        _ => return None,
    })
}

/// A number field: empty is none; anything else that is not a whole number is named.
fn int(form: &FormData, name: &str, invalid: &mut Vec<Invalid>) -> Option<i64> {
    let text = form.text(name);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            invalid.push(Invalid::new(name, "must be a whole number"));
            None
        }
    }
}

fn some(form: &FormData, name: &str) -> Option<String> {
    form.get(name).map(str::to_owned)
}

fn mailbox_input(form: &FormData, new: bool, invalid: &mut Vec<Invalid>) -> MailboxInput {
    let password = form.text("smtp_password");
    MailboxInput {
        from_name: some(form, "from_name"),
        from_address: some(form, "from_address"),
        smtp_host: some(form, "smtp_host"),
        smtp_port: int(form, "smtp_port", invalid),
        smtp_security: some(form, "smtp_security"),
        smtp_username: form
            .get("smtp_username")
            .map(|u| (!u.trim().is_empty()).then(|| u.to_owned())),
        // An empty password field keeps the one kept (a new mailbox: none).
        smtp_password: if password.is_empty() {
            if new { Some(None) } else { None }
        } else {
            Some(Some(password))
        },
        daily_cap: int(form, "daily_cap", invalid),
        min_gap_seconds: int(form, "min_gap_seconds", invalid),
        jitter_seconds: int(form, "jitter_seconds", invalid),
        ramp_start: int(form, "ramp_start", invalid),
        ramp_step: int(form, "ramp_step", invalid),
        imap_host: form
            .get("imap_host")
            .map(|h| (!h.trim().is_empty()).then(|| h.to_owned())),
        imap_port: int(form, "imap_port", invalid),
        imap_security: some(form, "imap_security"),
        imap_username: form
            .get("imap_username")
            .map(|u| (!u.trim().is_empty()).then(|| u.to_owned())),
        imap_password: match form.get("imap_password") {
            Some(p) if !p.is_empty() => Some(Some(p.to_owned())),
            _ if new => Some(None),
            _ => None,
        },
        events_provider: form
            .get("events_provider")
            .map(|p| (!p.trim().is_empty()).then(|| p.to_owned())),
        // An empty key field keeps the one kept.
        events_key: form
            .get("events_key")
            .filter(|k| !k.trim().is_empty())
            .map(|k| Some(k.to_owned())),
    }
}

async fn show_mailboxes(
    state: &AppState,
    user: &PageUser,
    refused: Option<(Option<String>, BTreeMap<String, String>, String)>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    show_mailboxes_with(state, user, refused, notice, status, None).await
}

async fn show_mailboxes_with(
    state: &AppState,
    user: &PageUser,
    refused: Option<(Option<String>, BTreeMap<String, String>, String)>,
    notice: Option<&str>,
    status: StatusCode,
    dns_for: Option<pursuit_domain::ids::MailboxId>,
) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let listed = mailboxes::list(&state.db, user.0.id(), now).await?;
    let dns = match dns_for {
        Some(id) if listed.iter().any(|m| m.row.id == id) => Some((
            id,
            serde_json::to_value(crate::outreach::domain_response(
                pursuit_app::sending_domain::check_mailbox(
                    &state.db,
                    user.0.id(),
                    id,
                    &state.settings.dns,
                )
                .await?,
            ))
            .unwrap_or_default(),
        )),
        _ => None,
    };
    let mut healths = Vec::with_capacity(listed.len());
    for m in &listed {
        let health = mailboxes::health(&state.db, user.0.id(), m.row.id, now).await?;
        healths.push(
            serde_json::to_value(crate::outreach::health_response(health)).unwrap_or_default(),
        );
    }
    let items: Vec<Value> = listed
        .into_iter()
        .zip(healths)
        .map(|(m, health)| {
            let next = m.row.next_send_at;
            let checked = m.row.inbox.checked_at;
            let events = m.row.events_last_at;
            let checked_dns = dns
                .as_ref()
                .filter(|(id, _)| *id == m.row.id)
                .map(|(_, v)| v.clone());
            let mut view =
                serde_json::to_value(crate::outreach::mailbox_response(m)).unwrap_or_default();
            let local = |at: Timestamp| {
                at.to_zoned(user.0.zone())
                    .strftime("%a %-d %b %H:%M")
                    .to_string()
            };
            view["next_local"] = json!(local(next));
            view["replies_checked_local"] = json!(checked.map(local));
            view["events_last_local"] = json!(events.map(local));
            view["dns"] = checked_dns.unwrap_or(Value::Null);
            view["health"] = health;
            view
        })
        .collect();
    let (refused_id, posted, error) = match refused {
        Some((id, posted, error)) => (id, posted, Some(error)),
        None => (None, BTreeMap::new(), None),
    };
    Ok(render(
        "mailboxes.html",
        status,
        context! {
            version => state.settings.version,
            page => "campaigns",
            user => user.view(),
            csrf => user.csrf(),
            mailboxes => template_value(&items),
            base_url => state.settings.base_url.clone(),
            providers => context! {
                sendgrid => "SendGrid",
                mailgun => "Mailgun",
                postmark => "Postmark",
                resend => "Resend",
                ses => "Amazon SES",
            },
            refused_id => refused_id,
            posted => template_value(&posted),
            error => error,
            notice => notice,
            defaults => context! {
                daily_cap => mailboxes::DEFAULT_DAILY_CAP,
                min_gap_seconds => mailboxes::DEFAULT_MIN_GAP_SECONDS,
                jitter_seconds => mailboxes::DEFAULT_JITTER_SECONDS,
                ramp_start => mailboxes::DEFAULT_RAMP_START,
                ramp_step => mailboxes::DEFAULT_RAMP_STEP,
            },
        },
    ))
}

async fn mailbox_list(
    State(state): State<AppState>,
    Query(query): Query<NoticeQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let dns_for = query
        .dns
        .as_deref()
        .and_then(|id| id.parse().ok())
        .map(pursuit_domain::ids::MailboxId);
    show_mailboxes_with(
        &state,
        &user,
        None,
        notice(query.done.as_deref()),
        StatusCode::OK,
        dns_for,
    )
    .await
}

async fn mailbox_add(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut invalid = Vec::new();
    let input = mailbox_input(&form, true, &mut invalid);
    let result = if invalid.is_empty() {
        mailboxes::create(
            &state.db,
            &state.secrets,
            state.settings.mailbox_hosts,
            user.0.id(),
            &input,
            true,
            Timestamp::now(),
        )
        .await
        .map(|_| ())
    } else {
        Err(AppError::Invalid(invalid))
    };
    mailbox_answer(&state, &user, &form, None, result, "added").await
}

/// After a mailbox form: back to the list with a notice, or the list again with why and
/// what was typed (never the password).
async fn mailbox_answer(
    state: &AppState,
    user: &PageUser,
    form: &FormData,
    refused_id: Option<String>,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, ApiError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/mailboxes?done={done}")).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            let mut posted = form.posted();
            posted.remove("smtp_password");
            show_mailboxes(
                state,
                user,
                Some((refused_id, posted, message)),
                None,
                status,
            )
            .await
        }
    }
}

async fn mailbox_save(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let mut invalid = Vec::new();
    let input = mailbox_input(&form, false, &mut invalid);
    let result = if invalid.is_empty() {
        mailboxes::update(
            &state.db,
            &state.secrets,
            state.settings.mailbox_hosts,
            user.0.id(),
            MailboxId(id),
            &input,
            true,
            Timestamp::now(),
        )
        .await
        .map(|_| ())
    } else {
        Err(AppError::Invalid(invalid))
    };
    mailbox_answer(&state, &user, &form, Some(id.to_string()), result, "saved").await
}

async fn mailbox_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(uuid::Uuid, String)>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let (me, id, now) = (user.0.id(), MailboxId(id), Timestamp::now());
    let result = match action.as_str() {
        "verify" => mailboxes::verify(
            &state.db,
            &state.secrets,
            state.settings.mailbox_hosts,
            me,
            id,
        )
        .await
        .map(|()| "checked"),
        "pause" => mailboxes::set_paused(&state.db, me, id, true, now)
            .await
            .map(|_| "paused"),
        "resume" => mailboxes::set_paused(&state.db, me, id, false, now)
            .await
            .map(|_| "resumed"),
        "warmup-on" => mailboxes::set_warmup(&state.db, me, id, true, now)
            .await
            .map(|_| "warming"),
        "warmup-off" => mailboxes::set_warmup(&state.db, me, id, false, now)
            .await
            .map(|_| "cooled"),
        "delete" => mailboxes::delete(&state.db, me, id)
            .await
            .map(|()| "removed"),
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/mailboxes?done={done}")).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_mailboxes(
                &state,
                &user,
                Some((Some(id.0.to_string()), BTreeMap::new(), message)),
                None,
                status,
            )
            .await
        }
    }
}

async fn show_campaigns(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    posted: BTreeMap<String, String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let me = user.0.id();
    let zone = user.0.zone();
    let items: Vec<Value> = campaigns::list(&state.db, me)
        .await?
        .into_iter()
        .map(|c| {
            let roles = c.roles();
            let created = c
                .row
                .created_at
                .to_zoned(zone.clone())
                .strftime("%-d %b %Y")
                .to_string();
            let mut view =
                serde_json::to_value(crate::outreach::campaign_response(c)).unwrap_or_default();
            view["roles"] = json!(roles);
            view["when"] = json!(created);
            view
        })
        .collect();
    let suppressed: Vec<Value> = outreach::suppressions(&state.db, me, 200)
        .await?
        .into_iter()
        .map(|(email, reason, at)| {
            json!({"email": email, "reason": reason,
                "when": at.to_zoned(zone.clone()).strftime("%-d %b %Y").to_string()})
        })
        .collect();
    let (templates, boxes) = choices(state, me).await?;
    let tags = pursuit_app::preferences::get(&state.db, me).await?.tags;
    Ok(render(
        "campaigns.html",
        status,
        context! {
            version => state.settings.version,
            page => "campaigns",
            user => user.view(),
            csrf => user.csrf(),
            campaigns => template_value(&items),
            suppressed => template_value(&suppressed),
            templates => template_value(&templates),
            mailboxes => template_value(&boxes),
            default_name => campaigns::default_name(&tags, "professional", "short"),
            posted => template_value(&posted),
            error => error,
            notice => notice,
        },
    ))
}

/// The sequences and mailboxes a campaign form chooses from.
async fn choices(state: &AppState, me: UserId) -> Result<(Vec<Value>, Vec<Value>), ApiError> {
    let templates = pursuit_store::sequences::list_templates(&state.db, me, 100)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|t| json!({"id": t.id.0.to_string(), "name": t.name}))
        .collect();
    let boxes = pursuit_store::outreach::list_mailboxes(&state.db, me)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|m| json!({"id": m.id.0.to_string(), "address": m.settings.from_address, "status": m.status}))
        .collect();
    Ok((templates, boxes))
}

async fn campaign_list(
    State(state): State<AppState>,
    Query(query): Query<NoticeQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show_campaigns(
        &state,
        &user,
        None,
        BTreeMap::new(),
        notice(query.done.as_deref()),
        StatusCode::OK,
    )
    .await
}

fn chosen<T>(form: &FormData, name: &str, make: fn(uuid::Uuid) -> T) -> Option<Option<T>> {
    let text = form.get(name)?;
    Some(text.trim().parse::<uuid::Uuid>().ok().map(make))
}

async fn campaign_start(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let name = form.text("name");
    let input = CampaignInput {
        name: (!name.trim().is_empty()).then_some(name),
        template_id: chosen(&form, "template_id", SequenceTemplateId),
        mailbox_id: chosen(&form, "mailbox_id", MailboxId),
        pitch_tone: some(&form, "pitch_tone"),
        pitch_length: some(&form, "pitch_length"),
        track_clicks: None,
    };
    match campaigns::create(&state.db, user.0.id(), &input, Timestamp::now()).await {
        Ok(made) => Ok(Redirect::to(&format!("/campaigns/{}", made.row.id.0)).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_campaigns(&state, &user, Some(message), form.posted(), None, status).await
        }
    }
}

async fn suppression_add(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    match outreach::suppress(
        &state.db,
        user.0.id(),
        &form.text("email"),
        Timestamp::now(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/campaigns?done=suppressed").into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_campaigns(&state, &user, Some(message), form.posted(), None, status).await
        }
    }
}

async fn suppression_remove(
    State(state): State<AppState>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    outreach::unsuppress(&state.db, user.0.id(), &form.text("email")).await?;
    Ok(Redirect::to("/campaigns?done=unsuppressed").into_response())
}

async fn show_campaign(
    state: &AppState,
    user: &PageUser,
    id: CampaignId,
    error: Option<String>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let me = user.0.id();
    let now = Timestamp::now();
    let preview = campaigns::preview(&state.db, me, id, now).await?;
    let campaign = preview.campaign.clone();
    let draft = campaign.row.status == "draft";
    let yours = preview.your_time_zone.clone();
    let zone = user.0.zone();
    let names: BTreeMap<String, String> = campaign
        .targets
        .iter()
        .map(|t| (t.id.0.to_string(), t.contact_name.clone()))
        .collect();
    let preview_view =
        serde_json::to_value(crate::outreach::preview_response(preview)).unwrap_or_default();
    let emails: Vec<Value> = if draft {
        Vec::new()
    } else {
        campaigns::emails(&state.db, me, id)
            .await?
            .into_iter()
            .map(|o| {
                let theirs =
                    jiff::tz::TimeZone::get(&o.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
                let at = o.sent_at.unwrap_or(o.planned_at);
                let mut view =
                    serde_json::to_value(crate::outreach::outreach_response(o)).unwrap_or_default();
                view["their_time"] = json!(
                    at.to_zoned(theirs)
                        .strftime("%a %-d %b %H:%M %Z")
                        .to_string()
                );
                view["your_time"] = json!(
                    at.to_zoned(zone.clone())
                        .strftime("%a %-d %b %H:%M")
                        .to_string()
                );
                view
            })
            .collect()
    };
    let applications: Vec<Value> = pursuit_store::applications::list_brief(&state.db, me, 500)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|(id, company, role)| json!({"id": id.0.to_string(), "label": format!("{role} — {company}")}))
        .collect();
    let people: Vec<Value> = pursuit_app::contacts::list(&state.db, me, None)
        .await?
        .into_iter()
        .filter(|p| p.row.fields.email.is_some())
        .map(|p| {
            let company = p.row.company_name.clone().unwrap_or_default();
            json!({"id": p.row.id.0.to_string(),
                "label": if company.is_empty() { p.row.fields.full_name.clone() } else { format!("{} ({company})", p.row.fields.full_name) }})
        })
        .collect();
    let results = if draft {
        None
    } else {
        Some(results(state, me, id, &zone, now).await?)
    };
    let (templates, boxes) = choices(state, me).await?;
    let roles = campaign.roles();
    let view =
        serde_json::to_value(crate::outreach::campaign_response(campaign)).unwrap_or_default();
    Ok(render(
        "campaign.html",
        status,
        context! {
            version => state.settings.version,
            page => "campaigns",
            user => user.view(),
            csrf => user.csrf(),
            c => template_value(&view),
            roles => roles,
            draft => draft,
            preview => template_value(&preview_view),
            names => template_value(&names),
            emails => template_value(&emails),
            results => results,
            applications => template_value(&applications),
            people => template_value(&people),
            templates => template_value(&templates),
            mailboxes => template_value(&boxes),
            your_zone => yours,
            error => error,
            notice => notice,
        },
    ))
}

/// A launched campaign's results: tiles, replies by step, and emails sent and answered by
/// day (the nightly rollup, and today read live).
async fn results(
    state: &AppState,
    me: UserId,
    id: CampaignId,
    zone: &jiff::tz::TimeZone,
    now: Timestamp,
) -> Result<minijinja::Value, ApiError> {
    use super::analytics::percent;
    use super::charts::{self, Bar};

    let o = pursuit_app::outreach_analytics::campaign(&state.db, me, id, zone, now).await?;
    let steps = super::analytics::reply_rate_bars(&o.by_step);
    let day = |pick: fn(&pursuit_app::outreach_analytics::DayMetrics) -> i64| -> Vec<Bar> {
        o.daily
            .iter()
            .map(|d| Bar {
                label: d.day.strftime("%-d %b").to_string(),
                value: pick(d) as f64,
                note: pick(d).to_string(),
            })
            .collect()
    };
    let sent_by_day = day(|d| d.sent);
    let replied_by_day = day(|d| d.replied);
    Ok(context! {
        sent => o.rates.sent,
        delivered => o.rates.delivered,
        bounced => o.rates.bounced,
        replied => o.rates.replied,
        clicked => o.rates.clicked,
        reply_rate => percent(o.rates.reply_rate),
        click_rate => percent(o.rates.click_rate),
        steps_chart => charts::horizontal("campaign-by-step", "Reply rate by step", &steps),
        sent_chart => charts::columns("campaign-sent", "Emails sent by day", "emails sent", &sent_by_day),
        replied_chart => charts::columns("campaign-replied", "Answers by day", "answers", &replied_by_day),
        days => o.daily.len(),
        rolled_through => o.rolled_through.map(|d| d.strftime("%-d %b %Y").to_string()),
    })
}

async fn campaign_page(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<NoticeQuery>,
    user: PageUser,
) -> Result<Response, ApiError> {
    show_campaign(
        &state,
        &user,
        CampaignId(id),
        None,
        notice(query.done.as_deref()),
        StatusCode::OK,
    )
    .await
}

/// Answers a campaign form: back to the page with a notice, or the page again with why.
async fn after(
    state: &AppState,
    user: &PageUser,
    id: CampaignId,
    result: Result<&str, AppError>,
) -> Result<Response, ApiError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/campaigns/{}?done={done}", id.0)).into_response()),
        Err(error) => {
            let (status, message) = super::forms::refusal(error)?;
            show_campaign(state, user, id, Some(message), None, status).await
        }
    }
}

async fn campaign_save(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let input = CampaignInput {
        name: some(&form, "name"),
        template_id: chosen(&form, "template_id", SequenceTemplateId),
        mailbox_id: chosen(&form, "mailbox_id", MailboxId),
        pitch_tone: None,
        pitch_length: None,
        track_clicks: Some(form.get("track_clicks").is_some()),
    };
    let result = campaigns::update(
        &state.db,
        user.0.id(),
        CampaignId(id),
        &input,
        Timestamp::now(),
    )
    .await
    .map(|_| "saved");
    after(&state, &user, CampaignId(id), result).await
}

async fn target_add(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let parse = |name: &str| form.text(name).trim().parse::<uuid::Uuid>().ok();
    let result = match (parse("application_id"), parse("contact_id")) {
        (Some(application), Some(contact)) => campaigns::add_target(
            &state.db,
            user.0.id(),
            CampaignId(id),
            ApplicationId(application),
            ContactId(contact),
            None,
            Timestamp::now(),
        )
        .await
        .map(|_| "saved"),
        _ => Err(AppError::Invalid(vec![Invalid::new(
            "targets",
            "choose an application and a person",
        )])),
    };
    after(&state, &user, CampaignId(id), result).await
}

async fn target_remove(
    State(state): State<AppState>,
    Path((id, target)): Path<(uuid::Uuid, uuid::Uuid)>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let result = campaigns::remove_target(
        &state.db,
        user.0.id(),
        CampaignId(id),
        CampaignTargetId(target),
    )
    .await
    .map(|_| "removed");
    after(&state, &user, CampaignId(id), result).await
}

/// Launch or stop: back to the page with a notice, or the page with why not.
async fn campaign_move(
    State(state): State<AppState>,
    Path((id, action)): Path<(uuid::Uuid, String)>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    let (me, id, now) = (user.0.id(), CampaignId(id), Timestamp::now());
    let result = match action.as_str() {
        "launch" => campaigns::launch(&state.db, me, id, now)
            .await
            .map(|_| "launched"),
        "stop" => campaigns::stop(&state.db, me, id, now)
            .await
            .map(|_| "stopped"),
        _ => Err(AppError::NotFound),
    };
    after(&state, &user, id, result).await
}

async fn campaign_delete(
    State(state): State<AppState>,
    Path(id): Path<uuid::Uuid>,
    PageForm { user, .. }: PageForm,
) -> Result<Response, ApiError> {
    match campaigns::delete(&state.db, user.0.id(), CampaignId(id)).await {
        Ok(()) => Ok(Redirect::to("/campaigns?done=removed").into_response()),
        Err(error) => after(&state, &user, CampaignId(id), Err(error)).await,
    }
}

async fn email_settle(
    State(state): State<AppState>,
    Path((id, email)): Path<(uuid::Uuid, uuid::Uuid)>,
    PageForm { user, form }: PageForm,
) -> Result<Response, ApiError> {
    let result = match Settle::parse(&form.text("action")) {
        Some(how) => outreach::settle(
            &state.db,
            user.0.id(),
            OutreachId(email),
            how,
            Timestamp::now(),
        )
        .await
        .map(|_| "settled"),
        None => Err(AppError::Invalid(vec![Invalid::new(
            "action",
            "must be sent, resend or skip",
        )])),
    };
    after(&state, &user, CampaignId(id), result).await
}

/// The recipient's page: what the link does, and the button.
async fn unsubscribe_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    render(
        "unsubscribe.html",
        StatusCode::OK,
        context! {
            version => state.settings.version,
            token => token,
            done => false,
        },
    )
}

/// A tracked link: to where it was signed for, after noting the first click on it (only on
/// `GET`: axum answers a `HEAD` with the same handler). The address is never taken from
/// anything unsigned, so this is not an open redirect; no IP address is kept.
async fn click(
    State(state): State<AppState>,
    method: axum::http::Method,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let count = method == axum::http::Method::GET;
    match outreach::click(&state.db, &state.secrets, &token, count, Timestamp::now()).await {
        Ok(url) => Ok((
            StatusCode::FOUND,
            [
                (axum::http::header::LOCATION, url),
                (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
                (
                    axum::http::header::REFERRER_POLICY,
                    "no-referrer".to_owned(),
                ),
            ],
        )
            .into_response()),
        Err(AppError::NotFound) => Ok(render(
            "unsubscribe.html",
            StatusCode::NOT_FOUND,
            context! {
                version => state.settings.version,
                link => true,
                unknown => true,
            },
        )),
        Err(other) => Err(other.into()),
    }
}

/// The button or a mail client's one-click POST (body `List-Unsubscribe=One-Click`): the
/// address is suppressed; again is the same. No cookie or session is read.
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    match outreach::unsubscribe(&state.db, &state.secrets, &token, Timestamp::now()).await {
        Ok(done) => Ok(render(
            "unsubscribe.html",
            StatusCode::OK,
            context! {
                version => state.settings.version,
                token => token,
                done => true,
                address => done.address,
                sender => done.sender,
            },
        )),
        Err(AppError::NotFound) => Ok(render(
            "unsubscribe.html",
            StatusCode::NOT_FOUND,
            context! {
                version => state.settings.version,
                token => token,
                done => false,
                unknown => true,
            },
        )),
        Err(other) => Err(other.into()),
    }
}
