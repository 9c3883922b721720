//! `/analytics`: the numbers of `/api/v1/analytics/*` for a date range, as tiles, SVG charts
//! drawn here, and tables. A bad range is shown as a message on the page with the form.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use serde_json::Value;

use super::charts::{self, Bar};
use super::{PageUser, render, status_label, template_value};
use crate::AppState;
use crate::problem::ApiError;

#[derive(Deserialize, Default)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    group_by: Option<String>,
}

fn blank_is_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn label_of(stage: &str) -> String {
    pursuit_domain::application::ApplicationStatus::parse(stage)
        .map(status_label)
        .unwrap_or_else(|_| stage.to_owned())
}

/// A source as people read it: the tracker's enumeration names (`Job_Board`) become
/// words ("Job board"); anything typed by hand ("LinkedIn") stays as typed.
fn source_label(source: &str) -> String {
    if !source.contains('_') {
        return source.to_owned();
    }
    source
        .split('_')
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if i == 0 || w.chars().all(|c| !c.is_lowercase()) {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One bar per sequence step: its reply rate over the emails delivered.
pub(crate) fn reply_rate_bars(
    by_step: &[(i64, pursuit_app::outreach_analytics::Rates)],
) -> Vec<Bar> {
    by_step
        .iter()
        .map(|(step, r)| Bar {
            label: format!("Step {step}"),
            value: r.reply_rate.unwrap_or(0.0) * 100.0,
            note: format!(
                "{} of {} delivered replied ({})",
                r.replied,
                r.delivered,
                percent(r.reply_rate)
            ),
        })
        .collect()
}

pub(crate) fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// The rows of one of the report's lists (`report[part].items`).
fn items<'a>(report: &'a Value, part: &str) -> &'a [Value] {
    report[part]["items"].as_array().map_or(&[], Vec::as_slice)
}

/// The charts for a report (see [`crate::analytics::report`]).
fn charts(report: &Value) -> Value {
    let trend: Vec<Bar> = items(report, "trends")
        .iter()
        .map(|p| Bar {
            label: p["period"].as_str().unwrap_or_default().to_owned(),
            value: number(&p["applications"]),
            note: p["applications"].to_string(),
        })
        .collect();
    let funnel: Vec<Bar> = items(report, "stages")
        .iter()
        .map(|s| {
            let reached = &s["reached"];
            let share = s["conversion_from_previous"].as_f64();
            Bar {
                label: label_of(s["stage"].as_str().unwrap_or_default()),
                value: number(reached),
                note: match share {
                    Some(share) => {
                        format!("{reached} ({} of the stage before)", percent(Some(share)))
                    }
                    None => reached.to_string(),
                },
            }
        })
        .collect();
    let sources: Vec<Bar> = items(report, "sources")
        .iter()
        .map(|s| Bar {
            label: source_label(s["source"].as_str().unwrap_or_default()),
            value: number(&s["sent"]),
            note: format!("{} sent, {} answered", s["sent"], s["responses"]),
        })
        .collect();
    let stays: Vec<Bar> = items(report, "time_in_stage")
        .iter()
        .filter_map(|s| {
            let days = s["average_days"].as_f64()?;
            Some(Bar {
                label: label_of(s["stage"].as_str().unwrap_or_default()),
                value: days,
                note: format!("{days:.1} days on average ({} stays)", s["completed"]),
            })
        })
        .collect();
    serde_json::json!({
        "trend": charts::columns("trend", "Applications over time", "applications", &trend),
        "funnel": charts::horizontal("funnel", "How far applications got", &funnel),
        "sources": charts::horizontal("sources", "Applications sent by source", &sources),
        "stays": charts::horizontal("stays", "Days spent in each stage", &stays),
    })
}

pub async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<RangeQuery>,
) -> Result<Response, ApiError> {
    let from = blank_is_none(query.from);
    let to = blank_is_none(query.to);
    let group_by = blank_is_none(query.group_by);
    let asked = (from.clone(), to.clone(), group_by.clone());
    let (report, error, status) =
        match crate::analytics::report(&state, &user.0, from, to, group_by).await {
            Ok(report) => (report, None, StatusCode::OK),
            Err(error) if error.kind().status().is_client_error() => {
                let message = super::forms::message(&error);
                let status = error.kind().status();
                // The default range instead, with the reason the one asked for was refused.
                let report = crate::analytics::report(&state, &user.0, None, None, None).await?;
                (report, Some(message), status)
            }
            Err(error) => return Err(error),
        };
    let summary = &report["summary"];
    let rate = percent(summary["response_rate"].as_f64());
    let day = |key: &str| {
        summary[key]
            .as_str()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    };
    let outreach = match (day("from"), day("to")) {
        (Some(from), Some(to)) => {
            let o = pursuit_app::outreach_analytics::overview(
                &state.db,
                user.0.id(),
                from,
                to,
                &user.0.zone(),
            )
            .await?;
            let a = pursuit_app::outreach_analytics::attribution(
                &state.db,
                user.0.id(),
                from,
                to,
                &user.0.zone(),
            )
            .await?;
            let steps = reply_rate_bars(&o.by_step);
            let bars = |v: &[(String, i64)]| -> Vec<Bar> {
                v.iter()
                    .map(|(name, n)| Bar {
                        label: name.clone(),
                        value: *n as f64,
                        note: n.to_string(),
                    })
                    .collect()
            };
            let led: Vec<Value> = a
                .conversations
                .iter()
                .take(50)
                .map(|c| {
                    serde_json::json!({
                        "application_id": c.conversation.application_id.0,
                        "company": c.conversation.company,
                        "role_title": c.conversation.role_title,
                        "reached": c.conversation.at.to_zoned(user.0.zone()).strftime("%-d %b %Y").to_string(),
                        "resume": c.conversation.resume_label.clone().unwrap_or_else(|| if c.conversation.resume_version_id.is_some() { "a version without a name".to_owned() } else { "—".to_owned() }),
                        "step": c.step.as_ref().map(|s| format!("Step {}: {} ({})", s.0, s.1, s.3)).unwrap_or_else(|| "—".to_owned()),
                        "pitch": c.pitch.as_ref().map(|p| format!("{}, {}", p.1, p.2)).unwrap_or_else(|| "—".to_owned()),
                    })
                })
                .collect();
            Some(context! {
                steps_chart => charts::horizontal("reply-by-step", "Reply rate by sequence step", &steps),
                has_steps => !steps.is_empty(),
                conversations => template_value(&led),
                led_by_step => charts::horizontal("led-by-step", "First conversations by the step sent before", &bars(&a.by_step)),
                led_by_resume => charts::horizontal("led-by-resume", "First conversations by resume version", &bars(&a.by_resume_version)),
                led_by_pitch => charts::horizontal("led-by-pitch", "First conversations by pitch", &bars(&a.by_pitch)),
                sent => o.rates.sent,
                delivered => o.rates.delivered,
                bounced => o.rates.bounced,
                replied => o.rates.replied,
                clicked => o.rates.clicked,
                reply_rate => percent(o.rates.reply_rate),
                click_rate => percent(o.rates.click_rate),
                roles_applied => o.roles_applied,
            })
        }
        _ => None,
    };
    let charts = charts(&report);
    // Table rows: each with its stage's label, and numbers as the table shows them.
    let labelled = |part: &str| {
        items(&report, part).iter().cloned().map(|mut row| {
            row["label"] = Value::String(label_of(row["stage"].as_str().unwrap_or_default()));
            row
        })
    };
    let stages: Vec<Value> = labelled("time_in_stage")
        .map(|mut row| {
            for key in ["average_days", "average_days_waiting"] {
                row[key] = Value::String(
                    row[key]
                        .as_f64()
                        .map_or_else(|| "—".to_owned(), |d| format!("{d:.1}")),
                );
            }
            row
        })
        .collect();
    let funnel: Vec<Value> = labelled("stages")
        .map(|mut row| {
            row["share"] = Value::String(percent(row["conversion_from_previous"].as_f64()));
            row
        })
        .collect();
    Ok(render(
        "analytics.html",
        status,
        context! {
            version => state.settings.version,
            page => "analytics",
            user => user.view(),
            csrf => user.csrf(),
            error => error,
            form => context! {
                from => asked.0.unwrap_or_else(|| summary["from"].as_str().unwrap_or_default().to_owned()),
                to => asked.1.unwrap_or_else(|| summary["to"].as_str().unwrap_or_default().to_owned()),
                group_by => asked.2.unwrap_or_else(|| "week".to_owned()),
            },
            summary => template_value(summary),
            rate => rate,
            outreach => outreach,
            charts => template_value(&charts),
            sources => items(&report, "sources").iter().map(|s| context! {
                label => source_label(s["source"].as_str().unwrap_or_default()),
                applications => template_value(&s["applications"]),
                sent => template_value(&s["sent"]),
                responses => template_value(&s["responses"]),
                interviews => template_value(&s["interviews"]),
                offers => template_value(&s["offers"]),
            }).collect::<Vec<_>>(),
            funnel => template_value(&funnel),
            stages => template_value(&stages),
        },
    ))
}
