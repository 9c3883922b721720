//! `GET /api/v1/export`: everything the caller owns in the tracker, so a user can leave
//! with all their data — JSON (applications with their history and activities, reminders,
//! saved views) or CSV (one row per application, for a spreadsheet).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_store::applications::{self, Application, ApplicationFilter};
use pursuit_store::reminders::{self, ReminderFilter};
use pursuit_store::{activities, views};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (default: everything) or `csv` (applications only).
    format: Option<String>,
}

/// Every application of the user, live and archived, newest first.
async fn all_applications(
    state: &AppState,
    current: &CurrentUser,
) -> Result<Vec<Application>, ApiError> {
    let mut all = Vec::new();
    for archived in [false, true] {
        let filter = ApplicationFilter {
            archived,
            ..ApplicationFilter::default()
        };
        all.extend(
            applications::list_applications(&state.db, current.id(), &filter, None, i64::MAX)
                .await?
                .into_iter()
                .map(|(application, _)| application),
        );
    }
    Ok(all)
}

/// One CSV cell: quoted when needed, and a leading `= + - @` defused so a spreadsheet does
/// not run it as a formula.
fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

const CSV_COLUMNS: [&str; 18] = [
    "id",
    "company",
    "role_title",
    "status",
    "source",
    "application_date",
    "priority",
    "location_mode",
    "location_text",
    "job_url",
    "salary_min",
    "salary_max",
    "salary_currency",
    "tags",
    "next_action",
    "next_action_due",
    "notes",
    "archived_at",
];

fn csv(applications: &[Application]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for a in applications {
        let d = &a.data;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let fields = [
            a.id.to_string(),
            d.company.clone(),
            d.role_title.clone(),
            d.status.as_str().to_owned(),
            d.source.clone(),
            d.application_date.to_string(),
            d.priority.as_str().to_owned(),
            d.location_mode
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            opt(&d.location_text),
            opt(&d.job_url),
            d.salary.min.map(|v| v.to_string()).unwrap_or_default(),
            d.salary.max.map(|v| v.to_string()).unwrap_or_default(),
            opt(&d.salary.currency),
            d.tags.join(";"),
            opt(&d.next_action),
            d.next_action_due.map(|t| t.to_string()).unwrap_or_default(),
            opt(&d.notes),
            d.archived_at.map(|t| t.to_string()).unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Everything the caller owns in the tracker, as a download.
#[utoipa::path(get, path = "/api/v1/export", tag = "applications", params(ExportQuery),
    responses(
        (status = 200, description = "JSON (everything), or CSV (applications) with format=csv"),
        (status = 400, description = "Unknown format", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn export(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = query.format.as_deref().unwrap_or("json");
    let applications_list = all_applications(&state, &current).await?;
    let stamp = Timestamp::now().strftime("%Y%m%d").to_string();
    let (mut response, name) = match format {
        "csv" => (
            (csv(&applications_list)).into_response(),
            format!("pursuit-applications-{stamp}.csv"),
        ),
        "json" => {
            // Two queries for every history entry and activity, grouped here, rather than
            // two per application.
            let mut history: HashMap<_, Vec<Value>> = HashMap::new();
            for h in applications::status_history(&state.db, current.id(), None).await? {
                history.entry(h.application_id).or_default().push(
                    json!({ "from": h.from.map(|s| s.as_str()), "to": h.to.as_str(), "at": h.at, "by": h.by.as_str() }),
                );
            }
            let mut activity_items: HashMap<_, Vec<Value>> = HashMap::new();
            for a in activities::list_activities(&state.db, current.id(), None).await? {
                activity_items.entry(a.application_id).or_default().push(
                    serde_json::to_value(crate::activities::response(&a)).unwrap_or(Value::Null),
                );
            }
            let mut items = Vec::with_capacity(applications_list.len());
            for application in &applications_list {
                let mut item = serde_json::to_value(crate::applications::response(application))
                    .unwrap_or(Value::Null);
                item["status_history"] =
                    Value::Array(history.remove(&application.id).unwrap_or_default());
                item["activities"] =
                    Value::Array(activity_items.remove(&application.id).unwrap_or_default());
                items.push(item);
            }
            let filter = ReminderFilter {
                include_canceled: true,
                ..ReminderFilter::default()
            };
            let reminder_list =
                reminders::list_reminders(&state.db, current.id(), &filter, None, i64::MAX).await?;
            let view_list = views::list_views(&state.db, current.id()).await?;
            let body = json!({
                "format": "pursuit-export/1",
                "exported_at": Timestamp::now(),
                "user": { "email": current.user.email, "time_zone": current.user.time_zone },
                "applications": items,
                "reminders": reminder_list.iter().map(|r| serde_json::to_value(crate::reminders::response(r)).unwrap_or(Value::Null)).collect::<Vec<_>>(),
                "views": view_list.iter().map(|v| json!({ "name": v.name, "filters": v.filters })).collect::<Vec<_>>(),
            });
            (
                Json(body).into_response(),
                format!("pursuit-export-{stamp}.json"),
            )
        }
        _ => return Err(ApiError::bad_request("format must be json or csv")),
    };
    if format == "csv" {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
    }
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-5"), "'-5");
    }
}
