//! Analytics (seed 002 §7.5): totals, trends, sources, stage conversion and time in stage,
//! computed from the status history (exact, not guessed from `updated_at`) in the user's
//! time zone. Archived applications count; applications still waiting are reported as
//! waiting, not dropped.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use pursuit_domain::application::ApplicationStatus as S;
use pursuit_store::applications::{self, AnalyticsRow};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(trends))
        .routes(routes!(source_breakdown))
        .routes(routes!(stage_conversion))
        .routes(routes!(time_in_stage))
}

/// The pipeline in order; reaching a later stage implies passing the earlier ones.
const PIPELINE: [S; 7] = [
    S::Applied,
    S::Screening,
    S::RecruiterCall,
    S::TechScreen,
    S::InterviewLoop,
    S::Offer,
    S::Accepted,
];

fn rank(status: S) -> Option<usize> {
    PIPELINE.iter().position(|s| *s == status)
}

/// The furthest pipeline stage the application ever entered.
fn furthest(row: &AnalyticsRow) -> Option<usize> {
    row.history
        .iter()
        .filter_map(|(s, _)| rank(*s))
        .chain(rank(row.status))
        .max()
}

fn responded(row: &AnalyticsRow) -> bool {
    row.history
        .iter()
        .any(|(s, _)| !matches!(s, S::Saved | S::Draft | S::Applied))
}

fn interviewed(row: &AnalyticsRow) -> bool {
    furthest(row).is_some_and(|r| r >= 3)
}

fn offered(row: &AnalyticsRow) -> bool {
    row.history
        .iter()
        .any(|(s, _)| matches!(s, S::Offer | S::Accepted | S::Declined))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct Range {
    /// First application date counted (`YYYY-MM-DD`); default 90 days before `to`.
    from: Option<String>,
    /// Last application date counted; default today in the user's time zone.
    to: Option<String>,
    /// Trends only: `day`, `week` (starting Monday) or `month`; default `week`.
    group_by: Option<String>,
}

async fn rows(
    state: &AppState,
    current: &CurrentUser,
    range: &Range,
) -> Result<(Date, Date, Vec<AnalyticsRow>), ApiError> {
    let zone = jiff::tz::TimeZone::get(&current.user.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = Timestamp::now().to_zoned(zone).date();
    let parse = |value: &Option<String>, name: &str| -> Result<Option<Date>, ApiError> {
        value
            .as_deref()
            .map(|d| {
                d.parse::<Date>().map_err(|_| {
                    ApiError::bad_request(format!("{name} must be a date such as 2026-11-23"))
                })
            })
            .transpose()
    };
    let to = parse(&range.to, "to")?.unwrap_or(today);
    let from = parse(&range.from, "from")?
        .unwrap_or_else(|| to.checked_sub(jiff::Span::new().days(90)).unwrap_or(to));
    if from > to {
        return Err(ApiError::bad_request("from must not be after to"));
    }
    if to.since(from).map(|span| span.get_days()).unwrap_or(0) > 3 * 366 {
        return Err(ApiError::bad_request(
            "the range may span at most three years",
        ));
    }
    let rows = applications::analytics_rows(&state.db, current.id(), from, to).await?;
    Ok((from, to, rows))
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
    let (from, to, rows) = rows(&state, &current, &range).await?;
    let mut by_status = BTreeMap::new();
    for row in &rows {
        *by_status.entry(row.status.as_str().to_owned()).or_insert(0) += 1;
    }
    let applied = rows
        .iter()
        .filter(|r| {
            r.history
                .iter()
                .any(|(s, _)| !matches!(s, S::Saved | S::Draft))
        })
        .count() as i64;
    let responses = rows.iter().filter(|r| responded(r)).count() as i64;
    Ok(Json(Summary {
        from: from.to_string(),
        to: to.to_string(),
        total: rows.len() as i64,
        archived: rows.iter().filter(|r| r.archived).count() as i64,
        by_status,
        pending_responses: rows.iter().filter(|r| r.status == S::Applied).count() as i64,
        responses,
        response_rate: (applied > 0).then(|| responses as f64 / applied as f64),
        interviews: rows.iter().filter(|r| interviewed(r)).count() as i64,
        offers: rows.iter().filter(|r| offered(r)).count() as i64,
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
    let (from, to, rows) = rows(&state, &current, &range).await?;
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
    for row in &rows {
        *counts
            .entry(period_start(row.application_date, &group_by))
            .or_insert(0) += 1;
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
    applications: i64,
    responses: i64,
    interviews: i64,
    offers: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceBreakdown {
    /// Most applications first.
    items: Vec<SourceRow>,
}

/// Per source: applications, responses, interviews and offers.
#[utoipa::path(get, path = "/api/v1/analytics/source-breakdown", tag = "analytics", params(Range),
    responses((status = 200, description = "Per source", body = SourceBreakdown),
              (status = 400, description = "A bad range", body = crate::problem::Problem, content_type = "application/problem+json")))]
async fn source_breakdown(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(range): Query<Range>,
) -> Result<Json<SourceBreakdown>, ApiError> {
    let (_, _, rows) = rows(&state, &current, &range).await?;
    let mut by_source: BTreeMap<String, SourceRow> = BTreeMap::new();
    for row in &rows {
        let entry = by_source
            .entry(row.source.clone())
            .or_insert_with(|| SourceRow {
                source: row.source.clone(),
                applications: 0,
                responses: 0,
                interviews: 0,
                offers: 0,
            });
        entry.applications += 1;
        entry.responses += i64::from(responded(row));
        entry.interviews += i64::from(interviewed(row));
        entry.offers += i64::from(offered(row));
    }
    let mut items: Vec<SourceRow> = by_source.into_values().collect();
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
    let (_, _, rows) = rows(&state, &current, &range).await?;
    let mut items: Vec<StageRow> = Vec::new();
    for (i, stage) in PIPELINE.iter().enumerate() {
        let reached = rows
            .iter()
            .filter(|r| furthest(r).is_some_and(|f| f >= i))
            .count() as i64;
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
    let (_, _, rows) = rows(&state, &current, &range).await?;
    let now = Timestamp::now();
    let days = |d: SignedDuration| d.as_secs_f64() / 86_400.0;
    let mut done: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    let mut waiting: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for row in &rows {
        for pair in row.history.windows(2) {
            done.entry(pair[0].0.as_str())
                .or_default()
                .push(days(pair[1].1.duration_since(pair[0].1)));
        }
        if let Some((status, since)) = row.history.last()
            && !status.is_final()
        {
            waiting
                .entry(status.as_str())
                .or_default()
                .push(days(now.duration_since(*since)));
        }
    }
    let mean = |v: &Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let items = S::ALL
        .iter()
        .map(|status| {
            let finished = done.get(status.as_str()).cloned().unwrap_or_default();
            let open = waiting.get(status.as_str()).cloned().unwrap_or_default();
            TimeInStageRow {
                stage: status.as_str().to_owned(),
                completed: finished.len() as i64,
                average_days: mean(&finished),
                still_in_stage: open.len() as i64,
                average_days_waiting: mean(&open),
            }
        })
        .filter(|row| row.completed > 0 || row.still_in_stage > 0)
        .collect();
    Ok(Json(TimeInStage { items }))
}
