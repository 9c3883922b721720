//! Outreach over `pursuit_app::{mailboxes, campaigns, outreach}`: the caller's mailboxes,
//! campaigns (targets, the bound sequence, a summary, a preview of every planned send, the
//! launch, a stop), the emails of a campaign and settling one whose fate is unknown, and
//! the suppression list. The one-click unsubscribe endpoint is a page (`/u/{token}`).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::campaigns::{self, Campaign, CampaignInput, PlannedEmail, Preview};
use pursuit_app::mailboxes::{self, Mailbox, MailboxInput};
use pursuit_app::outreach::{self, Settle};
use pursuit_domain::ids::{
    ApplicationId, CampaignId, CampaignTargetId, ContactId, MailboxId, OutreachId,
    SequenceTemplateId,
};
use pursuit_store::outreach::OutreachRow;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mailboxes, create_mailbox))
        .routes(routes!(get_mailbox, update_mailbox, delete_mailbox))
        .routes(routes!(verify_mailbox))
        .routes(routes!(pause_mailbox))
        .routes(routes!(resume_mailbox))
        .routes(routes!(mailbox_warmup))
        .routes(routes!(mailbox_health))
        .routes(routes!(mailbox_dns))
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign, delete_campaign))
        .routes(routes!(add_target))
        .routes(routes!(remove_target))
        .routes(routes!(campaign_sequence))
        .routes(routes!(campaign_summary))
        .routes(routes!(campaign_preview))
        .routes(routes!(launch_campaign))
        .routes(routes!(stop_campaign))
        .routes(routes!(campaign_outreach))
        .routes(routes!(settle_outreach))
        .routes(routes!(list_suppressions, add_suppression))
        .routes(routes!(remove_suppression))
}

// ---------------------------------------------------------------------------------------
// Mailboxes

#[derive(Serialize, utoipa::ToSchema)]
pub struct MailboxResponse {
    id: uuid::Uuid,
    from_name: String,
    from_address: String,
    smtp_host: String,
    smtp_port: i64,
    /// `starttls`, `tls` or `none`.
    smtp_security: String,
    smtp_username: Option<String>,
    /// Whether a password is kept (it is never shown).
    has_password: bool,
    daily_cap: i64,
    min_gap_seconds: i64,
    jitter_seconds: i64,
    ramp_start: i64,
    ramp_step: i64,
    /// `active` or `paused`.
    status: String,
    paused_reason: Option<String>,
    /// Refused logins in a row (three pause the mailbox).
    auth_failures: i64,
    /// The IMAP server replies are read from (none: replies are not looked for).
    imap_host: Option<String>,
    imap_port: i64,
    /// `tls`, `starttls` or `none`.
    imap_security: String,
    /// None: the SMTP login's.
    imap_username: Option<String>,
    /// Whether the IMAP login has a password of its own (else the SMTP one is used).
    has_imap_password: bool,
    /// When replies were last looked for, and why that failed if it did.
    #[schema(value_type = Option<String>, format = DateTime)]
    replies_checked_at: Option<Timestamp>,
    replies_error: Option<String>,
    /// The sending service whose events it takes (`sendgrid`, `mailgun`, `postmark`,
    /// `resend`, `ses`), if any.
    events_provider: Option<String>,
    /// Whether the provider's key is kept (it is never shown).
    has_events_key: bool,
    /// The path (under the app's public URL) to give the provider as its webhook.
    events_webhook_path: Option<String>,
    /// When the provider's last request was taken.
    #[schema(value_type = Option<String>, format = DateTime)]
    events_last_at: Option<Timestamp>,
    /// When its warmup with the caller's other mailboxes began; null: it does not warm up.
    #[schema(value_type = Option<String>, format = DateTime)]
    warmup_started_at: Option<Timestamp>,
    /// How many it may send today (ramp and cap) and has sent.
    cap_today: i64,
    sent_today: i64,
    #[schema(value_type = String, format = DateTime)]
    next_send_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

pub(crate) fn mailbox_response(m: Mailbox) -> MailboxResponse {
    let s = m.row.settings;
    MailboxResponse {
        id: m.row.id.0,
        from_name: s.from_name,
        from_address: s.from_address,
        smtp_host: s.smtp_host,
        smtp_port: s.smtp_port,
        smtp_security: s.smtp_security,
        smtp_username: s.smtp_username,
        has_password: m.has_password,
        daily_cap: s.daily_cap,
        min_gap_seconds: s.min_gap_seconds,
        jitter_seconds: s.jitter_seconds,
        ramp_start: s.ramp_start,
        ramp_step: s.ramp_step,
        status: m.row.status,
        paused_reason: m.row.paused_reason,
        auth_failures: m.row.auth_failures,
        imap_host: s.imap_host,
        imap_port: s.imap_port,
        imap_security: s.imap_security,
        imap_username: s.imap_username,
        has_imap_password: m.has_imap_password,
        replies_checked_at: m.row.inbox.checked_at,
        replies_error: m.row.inbox.error,
        events_webhook_path: s
            .events_provider
            .as_ref()
            .map(|p| format!("/webhooks/email-events/{p}?mailbox={}", m.row.id.0)),
        events_provider: s.events_provider,
        has_events_key: m.has_events_key,
        events_last_at: m.row.events_last_at,
        warmup_started_at: m.row.warmup_started_at,
        cap_today: m.cap_today,
        sent_today: m.sent_today,
        next_send_at: m.row.next_send_at,
        created_at: m.row.created_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MailboxList {
    items: Vec<MailboxResponse>,
}

/// A mailbox: fields left out of a change keep their value; `smtp_username` and
/// `smtp_password` may be `null` (none).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxBody {
    /// The name recipients see (required for a new mailbox).
    from_name: Option<String>,
    /// The address the emails come from (required for a new mailbox).
    from_address: Option<String>,
    /// The SMTP server (required for a new mailbox).
    smtp_host: Option<String>,
    /// Default 587.
    smtp_port: Option<i64>,
    /// `starttls` (default), `tls` or `none`.
    smtp_security: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    smtp_username: Option<Option<String>>,
    /// Kept sealed; never shown again.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    smtp_password: Option<Option<String>>,
    /// Sends a day, 1–500 (default 40).
    daily_cap: Option<i64>,
    /// Seconds between two sends, 60–86,400 (default 180).
    min_gap_seconds: Option<i64>,
    /// Random seconds added to each gap, 0–3,600 (default 120).
    jitter_seconds: Option<i64>,
    /// Sends on the first day (default 10) …
    ramp_start: Option<i64>,
    /// … and how many more each day until the cap (default 5).
    ramp_step: Option<i64>,
    /// The IMAP server replies are read from; `null` stops reading them.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    imap_host: Option<Option<String>>,
    /// Default 993.
    imap_port: Option<i64>,
    /// `tls` (default), `starttls` or `none`.
    imap_security: Option<String>,
    /// `null` (default): the SMTP login's.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    imap_username: Option<Option<String>>,
    /// `null` (default): the SMTP password. Kept sealed; never shown again.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    imap_password: Option<Option<String>>,
    /// The sending service whose webhook reports this mailbox's events: `sendgrid`,
    /// `mailgun`, `postmark`, `resend` or `ses`; `null` stops taking them.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    events_provider: Option<Option<String>>,
    /// What proves the provider's requests (required with a new provider): SendGrid's
    /// verification key, Mailgun's webhook signing key, a password of yours for Postmark's
    /// webhook URL, Resend's `whsec_` secret, or the SNS topic ARN for Amazon SES. Kept
    /// sealed; never shown again.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    events_key: Option<Option<String>>,
}

impl MailboxBody {
    fn input(self) -> MailboxInput {
        MailboxInput {
            from_name: self.from_name,
            from_address: self.from_address,
            smtp_host: self.smtp_host,
            smtp_port: self.smtp_port,
            smtp_security: self.smtp_security,
            smtp_username: self.smtp_username,
            smtp_password: self.smtp_password,
            daily_cap: self.daily_cap,
            min_gap_seconds: self.min_gap_seconds,
            jitter_seconds: self.jitter_seconds,
            ramp_start: self.ramp_start,
            ramp_step: self.ramp_step,
            imap_host: self.imap_host,
            imap_port: self.imap_port,
            imap_security: self.imap_security,
            imap_username: self.imap_username,
            imap_password: self.imap_password,
            events_provider: self.events_provider,
            events_key: self.events_key,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// Try the login before keeping the change (default true).
    verify: Option<bool>,
}

type Created<T> = (StatusCode, [(header::HeaderName, String); 1], Json<T>);

/// The caller's mailboxes.
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "outreach",
    responses(
        (status = 200, description = "The mailboxes", body = MailboxList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_mailboxes(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<MailboxList>, ApiError> {
    let items = mailboxes::list(&state.db, current.id(), Timestamp::now()).await?;
    Ok(Json(MailboxList {
        items: items.into_iter().map(mailbox_response).collect(),
    }))
}

/// Adds a mailbox; its login is tried first unless `verify=false`.
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "outreach", request_body = MailboxBody,
    params(VerifyQuery),
    responses(
        (status = 201, description = "Added", body = MailboxResponse,
            headers(("Location" = String, description = "The mailbox's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller already sends from this address, or keeps 20 mailboxes", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named), or the server refused the login (`smtp_password`) or could not be reached (`smtp_host`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<VerifyQuery>,
    Json(body): Json<MailboxBody>,
) -> Result<Created<MailboxResponse>, ApiError> {
    let mailbox = mailboxes::create(
        &state.db,
        &state.secrets,
        state.settings.mailbox_hosts,
        current.id(),
        &body.input(),
        query.verify.unwrap_or(true),
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/mailboxes/{}", mailbox.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(mailbox_response(mailbox)),
    ))
}

/// One of the caller's mailboxes.
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox", body = MailboxResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<MailboxResponse>, ApiError> {
    let mailbox = mailboxes::get(&state.db, current.id(), MailboxId(id), Timestamp::now()).await?;
    Ok(Json(mailbox_response(mailbox)))
}

/// Changes a mailbox; a change of its login is tried first unless `verify=false`.
#[utoipa::path(patch, path = "/api/v1/mailboxes/{id}", tag = "outreach", request_body = MailboxBody,
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id"), VerifyQuery),
    responses(
        (status = 200, description = "The mailbox now", body = MailboxResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller already sends from this address", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named), or the login was refused", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Query(query): Query<VerifyQuery>,
    Json(body): Json<MailboxBody>,
) -> Result<Json<MailboxResponse>, ApiError> {
    let mailbox = mailboxes::update(
        &state.db,
        &state.secrets,
        state.settings.mailbox_hosts,
        current.id(),
        MailboxId(id),
        &body.input(),
        query.verify.unwrap_or(true),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(mailbox_response(mailbox)))
}

/// Deletes a mailbox (emails planned from it wait for another).
#[utoipa::path(delete, path = "/api/v1/mailboxes/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    mailboxes::delete(&state.db, current.id(), MailboxId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tries the mailbox's login now (sends nothing); a success clears its refusals.
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/verify", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 204, description = "The server accepted the login"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The login was refused (`smtp_password`) or the server not reached (`smtp_host`)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn verify_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    mailboxes::verify(
        &state.db,
        &state.secrets,
        state.settings.mailbox_hosts,
        current.id(),
        MailboxId(id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pauses a mailbox: its emails wait.
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/pause", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox now", body = MailboxResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn pause_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<MailboxResponse>, ApiError> {
    let m = mailboxes::set_paused(
        &state.db,
        current.id(),
        MailboxId(id),
        true,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(mailbox_response(m)))
}

/// Resumes a paused mailbox (its count of refused logins starts again).
#[utoipa::path(post, path = "/api/v1/mailboxes/{id}/resume", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox now", body = MailboxResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn resume_mailbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<MailboxResponse>, ApiError> {
    let m = mailboxes::set_paused(
        &state.db,
        current.id(),
        MailboxId(id),
        false,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(mailbox_response(m)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarmupBody {
    /// On: the mailbox exchanges a few emails a day with the caller's other warming
    /// mailboxes (it needs its IMAP server). Off: it stops; on again keeps its ramp.
    enabled: bool,
}

/// Turns a mailbox's warmup with the caller's other mailboxes on or off.
#[utoipa::path(put, path = "/api/v1/mailboxes/{id}/warmup", tag = "outreach", request_body = WarmupBody,
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox now", body = MailboxResponse),
        (status = 400, description = "Not JSON", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not sent as application/json", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Warmup needs the mailbox's IMAP server", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn mailbox_warmup(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<WarmupBody>,
) -> Result<Json<MailboxResponse>, ApiError> {
    let m = mailboxes::set_warmup(
        &state.db,
        current.id(),
        MailboxId(id),
        body.enabled,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(mailbox_response(m)))
}

/// A mailbox's warmup over the last 14 days.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WarmupHealthResponse {
    #[schema(value_type = String, format = DateTime)]
    started_at: Timestamp,
    /// Warmup emails it starts today (2 on its first day, 2 more each day, at most 20).
    today_quota: i64,
    /// The caller's other warming mailboxes (0: it has nobody to write to yet).
    peers: usize,
    /// Warmup emails it sent, how many its peers found in their inbox, how many are too
    /// recent to judge (under 2 hours), how many it found from its peers, and how many
    /// could not be sent.
    sent: i64,
    landed: i64,
    recent: i64,
    received: i64,
    failed: i64,
    /// `landed / (sent - recent)`: its inbox placement; null before any can be judged.
    inbox_rate: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MailboxHealthDay {
    /// The user's local day.
    #[schema(value_type = String, format = Date)]
    day: jiff::civil::Date,
    sent: i64,
    /// Hard bounces.
    bounced: i64,
    /// Spam reports.
    complaints: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MailboxHealth {
    /// `healthy`, `warming` (still ramping up) or `at_risk` (paused, a spam report in the
    /// last 30 days, or hard bounces at 3% or more of the last 50 sends).
    status: String,
    /// Why it is `warming` or `at_risk`.
    why: Option<String>,
    /// Its last sends (at most 50) and how many of them bounced for good.
    recent_sent: i64,
    recent_bounced: i64,
    /// `recent_bounced / recent_sent` (0 with no sends).
    bounce_rate: f64,
    complaints_30_days: i64,
    /// The last 30 days with a send, oldest first.
    days: Vec<MailboxHealthDay>,
    /// Its warmup, when it warms up.
    warmup: Option<WarmupHealthResponse>,
}

pub(crate) fn health_response(h: mailboxes::Health) -> MailboxHealth {
    MailboxHealth {
        status: h.status.to_owned(),
        why: h.why,
        recent_sent: h.recent_sent,
        recent_bounced: h.recent_bounced,
        bounce_rate: h.bounce_rate,
        complaints_30_days: h.complaints_30_days,
        warmup: h.warmup.map(|w| WarmupHealthResponse {
            started_at: w.started_at,
            today_quota: w.today_quota,
            peers: w.peers,
            sent: w.counts.sent,
            landed: w.counts.landed,
            recent: w.counts.recent,
            received: w.counts.received,
            failed: w.counts.failed,
            inbox_rate: w.inbox_rate,
        }),
        days: h
            .days
            .into_iter()
            .map(|d| MailboxHealthDay {
                day: d.day,
                sent: d.sent,
                bounced: d.bounced,
                complaints: d.complaints,
            })
            .collect(),
    }
}

/// How a mailbox is doing: its bounce rate over the last sends, spam reports, its last 30
/// days of sending.
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}/health", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The mailbox's health", body = MailboxHealth),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn mailbox_health(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<MailboxHealth>, ApiError> {
    let health =
        mailboxes::health(&state.db, current.id(), MailboxId(id), Timestamp::now()).await?;
    Ok(Json(health_response(health)))
}

// ---------------------------------------------------------------------------------------
// Campaigns

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignTargetResponse {
    id: uuid::Uuid,
    application_id: uuid::Uuid,
    company: String,
    role_title: String,
    contact_id: uuid::Uuid,
    contact_name: String,
    contact_email: Option<String>,
    /// The zone its emails are planned in (the contact's, else its company's).
    time_zone: Option<String>,
    /// Its own mailbox (none: the campaign's).
    mailbox_id: Option<uuid::Uuid>,
    /// `draft`, `active` (launched: a sequence instance), `finished` or `stopped`.
    status: String,
    stop_reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignResponse {
    id: uuid::Uuid,
    name: String,
    template_id: Option<uuid::Uuid>,
    template_name: Option<String>,
    mailbox_id: Option<uuid::Uuid>,
    pitch_tone: String,
    pitch_length: String,
    /// Whether its emails' links go through the signed click redirect.
    track_clicks: bool,
    /// `draft`, `running`, `finished` or `stopped`.
    status: String,
    targets: Vec<CampaignTargetResponse>,
    /// Its emails by status (`planned`, `sent`, `unknown`, …).
    emails: std::collections::BTreeMap<String, i64>,
    /// Emails with a clicked link (tracked campaigns only).
    clicked_emails: i64,
    #[schema(value_type = Option<String>, format = DateTime)]
    launched_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    finished_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

pub(crate) fn campaign_response(c: Campaign) -> CampaignResponse {
    CampaignResponse {
        id: c.row.id.0,
        name: c.row.name,
        template_id: c.row.template_id.map(|t| t.0),
        template_name: c.template_name,
        mailbox_id: c.row.mailbox_id.map(|m| m.0),
        pitch_tone: c.row.pitch_tone,
        pitch_length: c.row.pitch_length,
        track_clicks: c.row.track_clicks,
        status: c.row.status,
        targets: c
            .targets
            .into_iter()
            .map(|t| CampaignTargetResponse {
                id: t.id.0,
                application_id: t.application_id.0,
                company: t.company,
                role_title: t.role_title,
                contact_id: t.contact_id.0,
                contact_name: t.contact_name,
                contact_email: t.contact_email,
                time_zone: t.time_zone,
                mailbox_id: t.mailbox_id.map(|m| m.0),
                status: t.status,
                stop_reason: t.stop_reason,
            })
            .collect(),
        emails: c.counts.into_iter().collect(),
        clicked_emails: c.clicked,
        launched_at: c.row.launched_at,
        finished_at: c.row.finished_at,
        created_at: c.row.created_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignList {
    items: Vec<CampaignResponse>,
}

/// A campaign: fields left out keep their value; `template_id`/`mailbox_id` `null` clears.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    /// Default: the preference tags and the pitch type.
    name: Option<String>,
    /// Default: the caller's first sequence.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<uuid::Uuid>)]
    template_id: Option<Option<uuid::Uuid>>,
    /// Default: the caller's mailbox when there is exactly one.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<uuid::Uuid>)]
    mailbox_id: Option<Option<uuid::Uuid>>,
    /// `professional` (default), `enthusiastic` or `casual` (new campaigns).
    pitch_tone: Option<String>,
    /// `short` (default), `medium` or `long` (new campaigns).
    pitch_length: Option<String>,
    /// Send the links of its emails through a signed redirect that notes the first click
    /// on each (no IP address kept). Default off; holds for emails sent after the change.
    track_clicks: Option<bool>,
}

impl CampaignBody {
    fn input(self) -> CampaignInput {
        CampaignInput {
            name: self.name,
            template_id: self.template_id.map(|t| t.map(SequenceTemplateId)),
            mailbox_id: self.mailbox_id.map(|m| m.map(MailboxId)),
            pitch_tone: self.pitch_tone,
            pitch_length: self.pitch_length,
            track_clicks: self.track_clicks,
        }
    }
}

/// The caller's campaigns, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "outreach",
    responses(
        (status = 200, description = "The campaigns", body = CampaignList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_campaigns(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<CampaignList>, ApiError> {
    let items = campaigns::list(&state.db, current.id()).await?;
    Ok(Json(CampaignList {
        items: items.into_iter().map(campaign_response).collect(),
    }))
}

/// A new draft campaign.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "outreach", request_body = CampaignBody,
    responses(
        (status = 201, description = "Created", body = CampaignResponse,
            headers(("Location" = String, description = "The campaign's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller keeps 500 campaigns", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<CampaignBody>,
) -> Result<Created<CampaignResponse>, ApiError> {
    let campaign =
        campaigns::create(&state.db, current.id(), &body.input(), Timestamp::now()).await?;
    let location = format!("/api/v1/campaigns/{}", campaign.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(campaign_response(campaign)),
    ))
}

/// One of the caller's campaigns with its targets.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign", body = CampaignResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<CampaignResponse>, ApiError> {
    let c = campaigns::get(&state.db, current.id(), CampaignId(id)).await?;
    Ok(Json(campaign_response(c)))
}

/// Renames a campaign, or (a draft's) changes its sequence or mailbox.
#[utoipa::path(patch, path = "/api/v1/campaigns/{id}", tag = "outreach", request_body = CampaignBody,
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign now", body = CampaignResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A launched campaign keeps its sequence and mailbox", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<CampaignBody>,
) -> Result<Json<CampaignResponse>, ApiError> {
    let c = campaigns::update(
        &state.db,
        current.id(),
        CampaignId(id),
        &body.input(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(campaign_response(c)))
}

/// Deletes a campaign that is not running, with its emails' records.
#[utoipa::path(delete, path = "/api/v1/campaigns/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign is running: stop it first", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    campaigns::delete(&state.db, current.id(), CampaignId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignTargetBody {
    application_id: uuid::Uuid,
    contact_id: uuid::Uuid,
    /// Its own mailbox (default: the campaign's).
    mailbox_id: Option<uuid::Uuid>,
}

/// Adds a person to write to about one application (the contact becomes a target of the
/// application too).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/targets", tag = "outreach", request_body = CampaignTargetBody,
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign now", body = CampaignResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person is already in it, or it was launched", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not the caller's application, contact or mailbox, or a contact without an address", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn add_target(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<CampaignTargetBody>,
) -> Result<Json<CampaignResponse>, ApiError> {
    let c = campaigns::add_target(
        &state.db,
        current.id(),
        CampaignId(id),
        ApplicationId(body.application_id),
        ContactId(body.contact_id),
        body.mailbox_id.map(MailboxId),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(campaign_response(c)))
}

/// Removes a person from a draft campaign.
#[utoipa::path(delete, path = "/api/v1/campaigns/{id}/targets/{target_id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id"),
        ("target_id" = uuid::Uuid, Path, description = "The target's id")),
    responses(
        (status = 200, description = "The campaign now", body = CampaignResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign or target of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign was launched", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn remove_target(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((id, target)): Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<Json<CampaignResponse>, ApiError> {
    let c = campaigns::remove_target(
        &state.db,
        current.id(),
        CampaignId(id),
        CampaignTargetId(target),
    )
    .await?;
    Ok(Json(campaign_response(c)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SequenceStepBrief {
    position: i64,
    label: String,
    offset_days: i64,
    subject: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutreachResponse {
    id: uuid::Uuid,
    target_id: uuid::Uuid,
    mailbox_id: Option<uuid::Uuid>,
    step_position: i64,
    step_label: String,
    to_name: String,
    to_address: String,
    /// The recipient's zone it is planned in.
    time_zone: String,
    subject: String,
    body: String,
    #[schema(value_type = String, format = DateTime)]
    planned_at: Timestamp,
    /// `planned`, `sending`, `sent`, `failed`, `cancelled`, `suppressed` or `unknown`
    /// (it may have gone: settle it).
    status: String,
    message_id: String,
    attempts: i64,
    #[schema(value_type = Option<String>, format = DateTime)]
    sent_at: Option<Timestamp>,
    /// The server's answer when it accepted the email.
    provider_message_id: Option<String>,
    error: Option<String>,
    /// When a link of it was first clicked (tracked campaigns only).
    #[schema(value_type = Option<String>, format = DateTime)]
    clicked_at: Option<Timestamp>,
}

pub(crate) fn outreach_response(o: OutreachRow) -> OutreachResponse {
    OutreachResponse {
        id: o.id.0,
        target_id: o.target_id.0,
        mailbox_id: o.mailbox_id.map(|m| m.0),
        step_position: o.step_position,
        step_label: o.step_label,
        to_name: o.to_name,
        to_address: o.to_address,
        time_zone: o.time_zone,
        subject: o.subject,
        body: o.body,
        planned_at: o.planned_at,
        status: o.status,
        message_id: o.message_id,
        attempts: o.attempts,
        sent_at: o.sent_at,
        provider_message_id: o.provider_message_id,
        error: o.error,
        clicked_at: o.clicked_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignSequence {
    template_id: Option<uuid::Uuid>,
    name: Option<String>,
    steps: Vec<SequenceStepBrief>,
    /// The emails launched (none before the launch: see `/preview`).
    emails: Vec<OutreachResponse>,
}

/// The sequence a campaign sends and, once launched, every email of it.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/sequence", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The bound sequence and the emails", body = CampaignSequence),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn campaign_sequence(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<CampaignSequence>, ApiError> {
    let c = campaigns::get(&state.db, current.id(), CampaignId(id)).await?;
    let template = match c.row.template_id {
        Some(t) => pursuit_app::sequences::get(&state.db, current.id(), t)
            .await
            .ok(),
        None => None,
    };
    let emails = campaigns::emails(&state.db, current.id(), CampaignId(id)).await?;
    Ok(Json(CampaignSequence {
        template_id: template.as_ref().map(|t| t.row.id.0),
        name: template.as_ref().map(|t| t.row.name.clone()),
        steps: template
            .map(|t| {
                t.steps
                    .into_iter()
                    .map(|s| SequenceStepBrief {
                        position: s.position,
                        label: s.step.label,
                        offset_days: s.step.offset_days,
                        subject: s.step.subject,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        emails: emails.into_iter().map(outreach_response).collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    id: uuid::Uuid,
    name: String,
    status: String,
    /// Distinct applications it writes about.
    roles_applied: usize,
    /// People written to.
    targets: usize,
    template_id: Option<uuid::Uuid>,
    template_name: Option<String>,
    /// Emails still to go out.
    scheduled_emails: i64,
    sent_emails: i64,
    /// Emails that may have gone: settle them.
    unknown_emails: i64,
    /// Emails with a clicked link (tracked campaigns only).
    clicked_emails: i64,
    #[schema(value_type = Option<String>, format = DateTime)]
    next_send_at: Option<Timestamp>,
}

/// Roles applied, the bound sequence and the scheduled emails of a campaign.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/summary", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The summary", body = CampaignSummary),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn campaign_summary(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<CampaignSummary>, ApiError> {
    let c = campaigns::get(&state.db, current.id(), CampaignId(id)).await?;
    let emails = campaigns::emails(&state.db, current.id(), CampaignId(id)).await?;
    Ok(Json(CampaignSummary {
        id: c.row.id.0,
        name: c.row.name.clone(),
        status: c.row.status.clone(),
        roles_applied: c.roles(),
        targets: c.targets.len(),
        template_id: c.row.template_id.map(|t| t.0),
        template_name: c.template_name.clone(),
        scheduled_emails: c.count("planned") + c.count("sending"),
        sent_emails: c.count("sent"),
        unknown_emails: c.count("unknown"),
        clicked_emails: c.clicked,
        next_send_at: emails
            .iter()
            .filter(|e| e.status == "planned")
            .map(|e| e.planned_at)
            .min(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlannedEmailResponse {
    target_id: uuid::Uuid,
    step_position: i64,
    step_label: String,
    to_name: String,
    to_address: String,
    subject: String,
    body: String,
    /// When it would go out (`null`: the send window never opens).
    #[schema(value_type = Option<String>, format = DateTime)]
    at: Option<Timestamp>,
    /// The recipient's zone and the time there.
    time_zone: String,
    /// `contact` (its own or its company's zone) or `yours` (none known).
    time_zone_from: String,
    local_time: Option<String>,
    /// The same moment in the caller's zone.
    your_time: Option<String>,
    mailbox_id: uuid::Uuid,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    field: String,
    message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PreviewResponse {
    /// Whether the launch would go ahead now.
    ready: bool,
    /// What stops it, each naming its field.
    problems: Vec<ProblemField>,
    /// Targets that will not be written to, and why.
    skipped: Vec<SkippedTarget>,
    your_time_zone: String,
    emails: Vec<PlannedEmailResponse>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SkippedTarget {
    target_id: uuid::Uuid,
    reason: String,
}

fn local(at: Option<Timestamp>, zone: &str) -> Option<String> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    Some(
        at?.to_zoned(tz)
            .strftime("%a %Y-%m-%d %H:%M %Z")
            .to_string(),
    )
}

pub(crate) fn planned_response(e: PlannedEmail, yours: &str) -> PlannedEmailResponse {
    PlannedEmailResponse {
        target_id: e.target.0,
        step_position: e.step_position,
        step_label: e.step_label,
        to_name: e.to_name,
        to_address: e.to_address,
        subject: e.subject,
        body: e.body,
        local_time: local(e.at, &e.time_zone),
        your_time: local(e.at, yours),
        at: e.at,
        time_zone: e.time_zone,
        time_zone_from: e.time_zone_from.to_owned(),
        mailbox_id: e.mailbox.0,
    }
}

pub(crate) fn preview_response(p: Preview) -> PreviewResponse {
    let yours = p.your_time_zone.clone();
    PreviewResponse {
        ready: p.problems.is_empty() && p.campaign.row.status == "draft",
        problems: p
            .problems
            .into_iter()
            .map(|i| ProblemField {
                field: i.field,
                message: i.message,
            })
            .collect(),
        skipped: p
            .skipped
            .into_iter()
            .map(|(t, reason)| SkippedTarget {
                target_id: t.0,
                reason,
            })
            .collect(),
        emails: p
            .emails
            .into_iter()
            .map(|e| planned_response(e, &yours))
            .collect(),
        your_time_zone: yours,
    }
}

/// Every email a launch now would write and when each would go out, in the recipient's
/// zone and the caller's; what stops the launch, each naming its field.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/preview", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The planned sends", body = PreviewResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn campaign_preview(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<PreviewResponse>, ApiError> {
    let p = campaigns::preview(&state.db, current.id(), CampaignId(id), Timestamp::now()).await?;
    Ok(Json(preview_response(p)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LaunchResponse {
    /// Sequence instances started (one per person written to).
    instances: usize,
    /// Emails planned.
    emails: usize,
    campaign: CampaignResponse,
}

/// Launches a draft campaign: every email written with its planned time (the recipient's
/// zone, the send window) and fixed Message-ID; the sender takes them from there.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/launch", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "Launched", body = LaunchResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign is not a draft", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "What stops the launch, each naming its field: no mailbox, no sequence, no targets, a missing pitch, a window that never opens", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn launch_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<LaunchResponse>, ApiError> {
    let launched =
        campaigns::launch(&state.db, current.id(), CampaignId(id), Timestamp::now()).await?;
    Ok(Json(LaunchResponse {
        instances: launched.instances,
        emails: launched.emails,
        campaign: campaign_response(launched.campaign),
    }))
}

/// Stops a running campaign: its planned emails are cancelled.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/stop", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "Stopped", body = CampaignResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign is not running", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn stop_campaign(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<CampaignResponse>, ApiError> {
    let c = campaigns::stop(&state.db, current.id(), CampaignId(id), Timestamp::now()).await?;
    Ok(Json(campaign_response(c)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutreachList {
    items: Vec<OutreachResponse>,
}

/// A campaign's emails in the order they are planned.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/outreach", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The emails", body = OutreachList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn campaign_outreach(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OutreachList>, ApiError> {
    let emails = campaigns::emails(&state.db, current.id(), CampaignId(id)).await?;
    Ok(Json(OutreachList {
        items: emails.into_iter().map(outreach_response).collect(),
    }))
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SettleAction {
    /// It is in the Sent folder: it went.
    Sent,
    /// It did not go: send it again, with the same Message-ID.
    Resend,
    /// Do not send it; that person's sequence stops.
    Skip,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleBody {
    action: SettleAction,
}

/// Settles an email whose fate is unknown (the connection broke after it was handed over,
/// or the sender stopped mid-send): Pursuit never resends one on its own.
#[utoipa::path(post, path = "/api/v1/outreach/{id}/settle", tag = "outreach", request_body = SettleBody,
    params(("id" = uuid::Uuid, Path, description = "The email's id")),
    responses(
        (status = 200, description = "The email now", body = OutreachResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such email of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email's fate is known", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn settle_outreach(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<SettleBody>,
) -> Result<Json<OutreachResponse>, ApiError> {
    let how = match body.action {
        SettleAction::Sent => Settle::Sent,
        SettleAction::Resend => Settle::Resend,
        SettleAction::Skip => Settle::Skip,
    };
    let row = outreach::settle(
        &state.db,
        current.id(),
        OutreachId(id),
        how,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(outreach_response(row)))
}

// ---------------------------------------------------------------------------------------
// Suppressions

#[derive(Serialize, utoipa::ToSchema)]
pub struct Suppression {
    /// The address, lowercased.
    email: String,
    reason: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuppressionList {
    items: Vec<Suppression>,
}

/// The addresses the caller will not write to again, newest first.
#[utoipa::path(get, path = "/api/v1/suppressions", tag = "outreach",
    responses(
        (status = 200, description = "The suppression list", body = SuppressionList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_suppressions(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SuppressionList>, ApiError> {
    let rows = outreach::suppressions(&state.db, current.id(), 5_000).await?;
    Ok(Json(SuppressionList {
        items: rows
            .into_iter()
            .map(|(email, reason, created_at)| Suppression {
                email,
                reason,
                created_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressionBody {
    email: String,
}

/// Adds an address to the suppression list; every sequence writing to it stops.
#[utoipa::path(post, path = "/api/v1/suppressions", tag = "outreach", request_body = SuppressionBody,
    responses(
        (status = 204, description = "Added (or already there)"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn add_suppression(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<SuppressionBody>,
) -> Result<StatusCode, ApiError> {
    outreach::suppress(&state.db, current.id(), &body.email, Timestamp::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes an address off the suppression list (only when its owner asked to hear again).
#[utoipa::path(delete, path = "/api/v1/suppressions/{email}", tag = "outreach",
    params(("email" = String, Path, description = "The address")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The address is not on the list", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn remove_suppression(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(email): Path<String>,
) -> Result<StatusCode, ApiError> {
    outreach::unsuppress(&state.db, current.id(), &email).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One check of a sending domain.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DomainCheck {
    /// `spf`, `dkim`, `dmarc` or `mx`.
    name: &'static str,
    /// `ok`, `warn` (works, could be better), `missing` or `failed` (DNS did not answer).
    status: &'static str,
    /// What was found: the record, or where.
    found: Option<String>,
    /// What to do about it.
    fix: Option<String>,
}

/// What a mailbox's sending domain publishes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DomainChecks {
    /// The domain of the mailbox's address.
    domain: String,
    checks: Vec<DomainCheck>,
}

pub(crate) fn domain_response(r: pursuit_app::sending_domain::DomainReport) -> DomainChecks {
    DomainChecks {
        domain: r.domain,
        checks: r
            .checks
            .into_iter()
            .map(|c| DomainCheck {
                name: c.name,
                status: c.status,
                found: c.found,
                fix: c.fix,
            })
            .collect(),
    }
}

/// The mailbox's sending domain read from DNS now: SPF, DKIM, DMARC and MX, each with what
/// to fix.
#[utoipa::path(get, path = "/api/v1/mailboxes/{id}/dns", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The mailbox's id")),
    responses(
        (status = 200, description = "The checks", body = DomainChecks),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mailbox of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn mailbox_dns(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<DomainChecks>, ApiError> {
    let report = pursuit_app::sending_domain::check_mailbox(
        &state.db,
        current.id(),
        MailboxId(id),
        &state.settings.dns,
    )
    .await?;
    Ok(Json(domain_response(report)))
}
