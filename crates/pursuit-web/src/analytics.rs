//! Analytics (seed 002 §7.5): totals, trends, sources, stage conversion and time in stage,
//! computed from the status history (exact, not guessed from `updated_at`) in the user's
//! time zone. Archived applications count; applications still waiting are reported as
//! waiting, not dropped.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::application::{ApplicationStatus as S, PIPELINE};
use pursuit_store::analytics;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::fields::query_date;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(trends))
        .routes(routes!(source_breakdown))
        .routes(routes!(stage_conversion))
        .routes(routes!(time_in_stage))
        .routes(routes!(outreach_overview))
        .routes(routes!(campaign_outcomes))
        .routes(routes!(deliverability))
        .routes(routes!(attribution))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First application date counted (`YYYY-MM-DD`); default 90 days before `to`.
    from: Option<String>,
    /// Last application date counted; default today in the user's time zone.
    to: Option<String>,
    /// Trends only: `day`, `week` (starting Monday) or `month`; default `week`.
    group_by: Option<String>,
}

/// The range asked for, in the user's zone: default the 90 days up to today.
fn range(current: &CurrentUser, range: &Range) -> Result<(Date, Date), ApiError> {
    let to = query_date(range.to.as_deref(), "to")?.unwrap_or_else(|| current.today());
    let from = query_date(range.from.as_deref(), "from")?
        .unwrap_or_else(|| to.checked_sub(jiff::Span::new().days(90)).unwrap_or(to));
    if from > to {
        return Err(ApiError::bad_request("from must not be after to"));
    }
    if to.since(from).map(|span| span.get_days()).unwrap_or(0) > 3 * 366 {
        return Err(ApiError::bad_request(
            "the range may span at most three years",
        ));
    }
    Ok((from, to))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Summary {
    from: String,
    to: String,
    /// Applications with an application date in the range, archived included.
    total: i64,
    archived: i64,
    /// Current status → count.
    by_status: BTreeMap<String, i64>,
    /// Still `Applied`: waiting for a first answer.
    pending_responses: i64,
    /// Moved past `Applied` in any way (including a rejection).
    responses: i64,
    /// `responses` / applications that were applied (not just saved or drafted); `null` without any.
    response_rate: Option<f64>,
    /// Reached a technical screen or an interview loop.
    interviews: i64,
    /// Received an offer.
    offers: i64,
}

/// Totals over the range.
#[utoipa::path(get, path = "/api/v1/analytics/summary", tag = "analytics", params(Range),
    responses((status = 200, description = "Totals", body = Summary),
              (status = 400, description = "A bad range", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn summary(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<Summary>, ApiError> {
    let (from, to) = self::range(&current, &range)?;
    let groups = analytics::counts_by(
        &state.db,
        current.id(),
        analytics::Grouping::Status,
        from,
        to,
    )
    .await?;
    let mut total = analytics::Counts::default();
    let mut by_status = BTreeMap::new();
    let mut pending_responses = 0;
    for (status, counts) in &groups {
        by_status.insert(status.clone(), counts.applications);
        if status == S::Applied.as_str() {
            pending_responses = counts.applications;
        }
        total.applications += counts.applications;
        total.archived += counts.archived;
        total.sent += counts.sent;
        total.responded += counts.responded;
        total.interviewed += counts.interviewed;
        total.offered += counts.offered;
    }
    Ok(Json(Summary {
        from: from.to_string(),
        to: to.to_string(),
        total: total.applications,
        archived: total.archived,
        by_status,
        pending_responses,
        responses: total.responded,
        response_rate: (total.sent > 0).then(|| total.responded as f64 / total.sent as f64),
        interviews: total.interviewed,
        offers: total.offered,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// The first day of the period.
    period: String,
    applications: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Trends {
    group_by: String,
    /// Every period of the range, empty ones included.
    items: Vec<TrendPoint>,
}

fn period_start(date: Date, group_by: &str) -> Date {
    match group_by {
        "day" => date,
        "month" => date.first_of_month(),
        _ => {
            let back = i64::from(date.weekday().to_monday_zero_offset());
            date.checked_sub(jiff::Span::new().days(back))
                .unwrap_or(date)
        }
    }
}

/// Applications per day, week or month of the range.
#[utoipa::path(get, path = "/api/v1/analytics/trends", tag = "analytics", params(Range),
    responses((status = 200, description = "Applications per period", body = Trends),
              (status = 400, description = "A bad range or grouping", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn trends(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<Trends>, ApiError> {
    let group_by = range.group_by.clone().unwrap_or_else(|| "week".to_owned());
    if !matches!(group_by.as_str(), "day" | "week" | "month") {
        return Err(ApiError::bad_request("group_by must be day, week or month"));
    }
    let (from, to) = self::range(&current, &range)?;
    let days = analytics::applications_per_day(&state.db, current.id(), from, to).await?;
    let mut counts: BTreeMap<Date, i64> = BTreeMap::new();
    let mut period = period_start(from, &group_by);
    while period <= to {
        counts.insert(period, 0);
        period = match group_by.as_str() {
            "day" => period.tomorrow().unwrap_or(Date::MAX),
            "month" => period
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(Date::MAX),
            _ => period
                .checked_add(jiff::Span::new().days(7))
                .unwrap_or(Date::MAX),
        };
        if period == Date::MAX {
            break;
        }
    }
    for (day, n) in days {
        *counts.entry(period_start(day, &group_by)).or_insert(0) += n;
    }
    Ok(Json(Trends {
        group_by,
        items: counts
            .into_iter()
            .map(|(p, n)| TrendPoint {
                period: p.to_string(),
                applications: n,
            })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceRow {
    source: String,
    /// Every application from the source, saved ones included.
    applications: i64,
    /// Those sent (past Saved/Draft).
    sent: i64,
    responses: i64,
    interviews: i64,
    offers: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceBreakdown {
    /// Most applications first.
    items: Vec<SourceRow>,
}

/// Per source: applications (tracked and sent), responses, interviews and offers.
#[utoipa::path(get, path = "/api/v1/analytics/source-breakdown", tag = "analytics", params(Range),
    responses((status = 200, description = "Per source", body = SourceBreakdown),
              (status = 400, description = "A bad range", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn source_breakdown(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<SourceBreakdown>, ApiError> {
    let (from, to) = self::range(&current, &range)?;
    let groups = analytics::counts_by(
        &state.db,
        current.id(),
        analytics::Grouping::Source,
        from,
        to,
    )
    .await?;
    let mut items: Vec<SourceRow> = groups
        .into_iter()
        .map(|(source, counts)| SourceRow {
            source,
            applications: counts.applications,
            sent: counts.sent,
            responses: counts.responded,
            interviews: counts.interviewed,
            offers: counts.offered,
        })
        .collect();
    items.sort_by(|a, b| {
        b.applications
            .cmp(&a.applications)
            .then(a.source.cmp(&b.source))
    });
    Ok(Json(SourceBreakdown { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StageRow {
    stage: String,
    /// Applications that reached this stage or a later one.
    reached: i64,
    /// `reached` / `reached` of the stage before; `null` for the first stage or without any.
    conversion_from_previous: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StageConversion {
    items: Vec<StageRow>,
}

/// How many applications reached each pipeline stage, and the conversion between stages.
#[utoipa::path(get, path = "/api/v1/analytics/stage-conversion", tag = "analytics", params(Range),
    responses((status = 200, description = "The funnel", body = StageConversion),
              (status = 400, description = "A bad range", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn stage_conversion(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<StageConversion>, ApiError> {
    let (from, to) = self::range(&current, &range)?;
    let furthest = analytics::furthest_stages(&state.db, current.id(), from, to).await?;
    let mut items: Vec<StageRow> = Vec::new();
    for (i, stage) in PIPELINE.iter().enumerate() {
        let rank = i64::try_from(i).unwrap_or(i64::MAX);
        let reached = furthest
            .iter()
            .filter(|(f, _)| *f >= rank)
            .map(|(_, n)| n)
            .sum();
        let conversion_from_previous = items
            .last()
            .and_then(|p| (p.reached > 0).then(|| reached as f64 / p.reached as f64));
        items.push(StageRow {
            stage: stage.as_str().to_owned(),
            reached,
            conversion_from_previous,
        });
    }
    Ok(Json(StageConversion { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TimeInStageRow {
    stage: String,
    /// Stays in this stage that ended (the application moved on).
    completed: i64,
    /// Mean length of the completed stays, in days; `null` without any.
    average_days: Option<f64>,
    /// Applications in this stage now, and the mean days they have waited so far.
    still_in_stage: i64,
    average_days_waiting: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TimeInStage {
    items: Vec<TimeInStageRow>,
}

/// How long applications stay in each status, from the exact history.
#[utoipa::path(get, path = "/api/v1/analytics/time-in-stage", tag = "analytics", params(Range),
    responses((status = 200, description = "Per status", body = TimeInStage),
              (status = 400, description = "A bad range", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn time_in_stage(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<TimeInStage>, ApiError> {
    let (from, to) = self::range(&current, &range)?;
    let stays =
        analytics::stays_by_status(&state.db, current.id(), from, to, Timestamp::now()).await?;
    let mean = |total: f64, n: i64| (n > 0).then(|| total / n as f64);
    let items = S::ALL
        .iter()
        .filter_map(|status| {
            let stay = stays.iter().find(|s| s.status == status.as_str())?;
            // A final status is where an application ends, not where it waits.
            let (open, open_days) = if status.is_final() {
                (0, 0.0)
            } else {
                (stay.open, stay.open_days)
            };
            Some(TimeInStageRow {
                stage: status.as_str().to_owned(),
                completed: stay.completed,
                average_days: mean(stay.completed_days, stay.completed),
                still_in_stage: open,
                average_days_waiting: mean(open_days, open),
            })
        })
        .filter(|row| row.completed > 0 || row.still_in_stage > 0)
        .collect();
    Ok(Json(TimeInStage { items }))
}

/// Everything the analytics page shows, from the same handlers the API serves, as JSON:
/// `{summary, trends, sources, stages, time_in_stage}`.
pub(crate) async fn report(
    state: &AppState,
    current: &CurrentUser,
    from: Option<String>,
    to: Option<String>,
    group_by: Option<String>,
) -> Result<serde_json::Value, ApiError> {
    let range = || Range {
        from: from.clone(),
        to: to.clone(),
        group_by: group_by.clone(),
    };
    let value = |v: Result<serde_json::Value, serde_json::Error>| v.unwrap_or_default();
    let s = || State(state.clone());
    let Json(summary) = summary(s(), current.clone(), Query(range())).await?;
    let Json(trends) = trends(s(), current.clone(), Query(range())).await?;
    let Json(sources) = source_breakdown(s(), current.clone(), Query(range())).await?;
    let Json(stages) = stage_conversion(s(), current.clone(), Query(range())).await?;
    let Json(time) = time_in_stage(s(), current.clone(), Query(range())).await?;
    Ok(serde_json::json!({
        "summary": value(serde_json::to_value(summary)),
        "trends": value(serde_json::to_value(trends)),
        "sources": value(serde_json::to_value(sources)),
        "stages": value(serde_json::to_value(stages)),
        "time_in_stage": value(serde_json::to_value(time)),
    }))
}

// ---------------------------------------------------------------------------------------
// Outreach (issue 25): what the emails did. No open rate: Pursuit adds no tracking pixel.

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutreachRates {
    sent: i64,
    /// Accepted and not bounced for good.
    delivered: i64,
    /// Bounced for good.
    bounced: i64,
    /// With a clicked link (campaigns that track clicks only).
    clicked: i64,
    /// Answered by a person.
    replied: i64,
    /// Reported as spam.
    complained: i64,
    /// `clicked / delivered`; `null` with nothing delivered.
    click_rate: Option<f64>,
    /// `replied / delivered`; `null` with nothing delivered.
    reply_rate: Option<f64>,
    /// `bounced / sent`; `null` with nothing sent.
    bounce_rate: Option<f64>,
}

fn rates(r: pursuit_app::outreach_analytics::Rates) -> OutreachRates {
    OutreachRates {
        sent: r.sent,
        delivered: r.delivered,
        bounced: r.bounced,
        clicked: r.clicked,
        replied: r.replied,
        complained: r.complained,
        click_rate: r.click_rate,
        reply_rate: r.reply_rate,
        bounce_rate: r.bounce_rate,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OutreachOverview {
    from: String,
    to: String,
    #[serde(flatten)]
    rates: OutreachRates,
    /// Distinct applications with an email sent in the range, or applied to in it.
    roles_applied: i64,
}

/// What the caller's outreach did over the range (emails sent in it).
#[utoipa::path(get, path = "/api/v1/analytics/overview", tag = "analytics", params(Range),
    responses(
        (status = 200, description = "Sent, delivered, click and reply rates, roles applied", body = OutreachOverview),
        (status = 400, description = "A date that cannot be read, or from after to", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn outreach_overview(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<Range>,
) -> Result<Json<OutreachOverview>, ApiError> {
    let (from, to) = range(&current, &query)?;
    let overview = pursuit_app::outreach_analytics::overview(
        &state.db,
        current.id(),
        from,
        to,
        &current.zone(),
    )
    .await?;
    Ok(Json(OutreachOverview {
        from: from.to_string(),
        to: to.to_string(),
        rates: rates(overview.rates),
        roles_applied: overview.roles_applied,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StepOutcomes {
    /// The sequence step (1 = the first email).
    step_position: i64,
    #[serde(flatten)]
    rates: OutreachRates,
}

/// One of a campaign's days (the caller's days).
#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignDay {
    #[schema(value_type = String, format = Date)]
    day: String,
    /// Emails sent that day.
    sent: i64,
    /// Emails that first bounced for good, had a link clicked, were answered or were
    /// reported as spam that day.
    bounced: i64,
    clicked: i64,
    replied: i64,
    complained: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignOutcomes {
    #[serde(flatten)]
    rates: OutreachRates,
    /// Which step's emails got the clicks and answers.
    by_step: Vec<StepOutcomes>,
    /// Its last 120 days up to today, oldest first, every day (zeros included).
    daily: Vec<CampaignDay>,
    /// The last day the nightly rollup holds (days after it are read live); null before
    /// the first rollup.
    #[schema(value_type = Option<String>, format = Date)]
    rolled_through: Option<String>,
}

pub(crate) fn campaign_days(
    days: &[pursuit_app::outreach_analytics::DayMetrics],
) -> Vec<CampaignDay> {
    days.iter()
        .map(|d| CampaignDay {
            day: d.day.to_string(),
            sent: d.sent,
            bounced: d.bounced,
            clicked: d.clicked,
            replied: d.replied,
            complained: d.complained,
        })
        .collect()
}

/// What one campaign's emails did, in all, by step and by day.
#[utoipa::path(get, path = "/api/v1/analytics/campaigns/{id}", tag = "analytics",
    params(("id" = uuid::Uuid, Path, description = "The campaign's id")),
    responses(
        (status = 200, description = "The campaign's outcomes", body = CampaignOutcomes),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn campaign_outcomes(
    State(state): State<AppState>,
    current: CurrentUser,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
) -> Result<Json<CampaignOutcomes>, ApiError> {
    let outcomes = pursuit_app::outreach_analytics::campaign(
        &state.db,
        current.id(),
        pursuit_domain::ids::CampaignId(id),
        &current.zone(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(CampaignOutcomes {
        daily: campaign_days(&outcomes.daily),
        rolled_through: outcomes.rolled_through.map(|d| d.to_string()),
        rates: rates(outcomes.rates),
        by_step: outcomes
            .by_step
            .into_iter()
            .map(|(step_position, r)| StepOutcomes {
                step_position,
                rates: rates(r),
            })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MailboxDeliverability {
    mailbox_id: uuid::Uuid,
    from_address: String,
    health: crate::outreach::MailboxHealth,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Deliverability {
    items: Vec<MailboxDeliverability>,
}

/// Each of the caller's mailboxes with its health (bounce rate over its last 50 sends,
/// spam reports, its last 30 days).
#[utoipa::path(get, path = "/api/v1/analytics/deliverability", tag = "analytics",
    responses(
        (status = 200, description = "Every mailbox's health", body = Deliverability),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn deliverability(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Deliverability>, ApiError> {
    let all =
        pursuit_app::outreach_analytics::deliverability(&state.db, current.id(), Timestamp::now())
            .await?;
    Ok(Json(Deliverability {
        items: all
            .into_iter()
            .map(|(m, h)| MailboxDeliverability {
                mailbox_id: m.row.id.0,
                from_address: m.row.settings.from_address,
                health: crate::outreach::health_response(h),
            })
            .collect(),
    }))
}

/// One application's first conversation and what preceded it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributedConversation {
    application_id: uuid::Uuid,
    company: String,
    role_title: String,
    /// The application's status now.
    status: String,
    /// When it first reached a recruiter call or a later stage.
    #[schema(value_type = String, format = DateTime)]
    reached_at: jiff::Timestamp,
    /// The resume version it went out with, when recorded.
    resume_version_id: Option<uuid::Uuid>,
    resume_label: Option<String>,
    /// The last outreach email sent about it before: its step and campaign.
    step_position: Option<i64>,
    step_label: Option<String>,
    campaign_id: Option<uuid::Uuid>,
    campaign_name: Option<String>,
    /// The newest pitch written for it before.
    pitch_id: Option<uuid::Uuid>,
    pitch_tone: Option<String>,
    pitch_length: Option<String>,
}

/// A count of first conversations by one thing that preceded them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributionCount {
    name: String,
    conversations: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributionReport {
    from: String,
    to: String,
    /// Newest first, at most 500.
    conversations: Vec<AttributedConversation>,
    by_step: Vec<AttributionCount>,
    by_resume_version: Vec<AttributionCount>,
    by_pitch: Vec<AttributionCount>,
}

pub(crate) fn attribution_report(
    from: Date,
    to: Date,
    a: pursuit_app::outreach_analytics::Attribution,
) -> AttributionReport {
    let counts = |v: Vec<(String, i64)>| {
        v.into_iter()
            .map(|(name, conversations)| AttributionCount {
                name,
                conversations,
            })
            .collect()
    };
    AttributionReport {
        from: from.to_string(),
        to: to.to_string(),
        conversations: a
            .conversations
            .into_iter()
            .map(|c| AttributedConversation {
                application_id: c.conversation.application_id.0,
                company: c.conversation.company,
                role_title: c.conversation.role_title,
                status: c.conversation.status,
                reached_at: c.conversation.at,
                resume_version_id: c.conversation.resume_version_id,
                resume_label: c.conversation.resume_label,
                step_position: c.step.as_ref().map(|s| s.0),
                step_label: c.step.as_ref().map(|s| s.1.clone()),
                campaign_id: c.step.as_ref().map(|s| s.2),
                campaign_name: c.step.map(|s| s.3),
                pitch_id: c.pitch.as_ref().map(|p| p.0),
                pitch_tone: c.pitch.as_ref().map(|p| p.1.clone()),
                pitch_length: c.pitch.map(|p| p.2),
            })
            .collect(),
        by_step: counts(a.by_step),
        by_resume_version: counts(a.by_resume_version),
        by_pitch: counts(a.by_pitch),
    }
}

/// Attribution: each application that first reached a recruiter call or a later stage in
/// the range, with the resume version it went out with, the last outreach step sent before
/// and the newest pitch before; and the counts by each.
#[utoipa::path(get, path = "/api/v1/analytics/attribution", tag = "analytics", params(Range),
    responses(
        (status = 200, description = "What preceded each first conversation", body = AttributionReport),
        (status = 400, description = "A date that cannot be read, or from after to", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn attribution(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<Range>,
) -> Result<Json<AttributionReport>, ApiError> {
    let (from, to) = range(&current, &query)?;
    let report = pursuit_app::outreach_analytics::attribution(
        &state.db,
        current.id(),
        from,
        to,
        &current.zone(),
    )
    .await?;
    Ok(Json(attribution_report(from, to, report)))
}
