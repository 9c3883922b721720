//! CSV import (`/api/v1/imports`): a user brings their applications from a spreadsheet or
//! another tracker's export. Two steps: `POST` stores the file and answers a preview (how
//! each column was understood, every row that cannot be imported with its line number and
//! reasons, rows already tracked); `POST …/confirm` writes the good rows in one transaction,
//! each with a status history entry `by: import`. Confirming twice imports once.
//!
//! Reading and planning the file is [`pursuit_app::imports`]; this module is the HTTP
//! shape: the request forms, the preview and report bodies, the handlers.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_app::imports::{Options, Outcome, Plan};
use pursuit_domain::ids::ImportId;
use pursuit_store::applications::ApplicationData;
use pursuit_store::imports::Import;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_import))
        .routes(routes!(get_import, delete_import))
        .routes(routes!(confirm_import))
}

/// Most rows listed one by one in a preview's `invalid_rows`, `warnings` and `duplicates`
/// (the counts are always complete).
const LISTED: usize = 200;
/// Rows shown as they will be written.
const SAMPLE: usize = 20;

/// A file to import, as JSON. (A `text/csv` body with `?filename=&date_order=` works too.)
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ImportRequest {
    /// The file's content.
    csv: String,
    filename: Option<String>,
    /// `month_first` or `day_first`, for dates such as 03/04/2025. Default: read off the
    /// file's unambiguous dates, else month first.
    date_order: Option<String>,
    /// Column header → field name (`company`, `role_title`, `status`, …, `salary`,
    /// `archived`, `contact_name`, `contact_email`, `contact_phone`), or `null` to ignore the
    /// column. Overrides the matching by header name.
    #[serde(default)]
    mapping: BTreeMap<String, Option<String>>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// The file's name, kept for the user's reference.
    filename: Option<String>,
    /// `month_first` or `day_first`.
    date_order: Option<String>,
}

/// Options of a confirmation. The body may be empty.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ConfirmRequest {
    /// Plan the default reminders of each imported application's status (e.g. a follow-up
    /// 7 days from now for `Applied`). Default false: an old export would otherwise bring a
    /// wave of reminders.
    #[serde(default)]
    plan_reminders: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ColumnMapping {
    header: String,
    /// The field the column feeds, or null when it is ignored.
    field: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusWord {
    /// The status as the file writes it.
    value: String,
    /// What it becomes, or null when Pursuit cannot tell (those rows are invalid).
    status: Option<String>,
    rows: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// The line of the file the row starts on (the header is line 1).
    line: u64,
    field: String,
    message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RowNote {
    line: u64,
    message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportCounts {
    /// Rows in the file (blank ones aside).
    rows: usize,
    /// Rows that will be (or were) imported.
    ready: usize,
    /// Rows with at least one problem; they are not imported.
    invalid: usize,
    /// Rows matching an application already tracked, or an earlier row of the file (same
    /// company, role and application date); they are not imported.
    duplicates: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    /// Applications created.
    created: usize,
    reminders_planned: usize,
    skipped_invalid: usize,
    skipped_duplicates: usize,
}

/// An import: its preview, and once confirmed what it did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportResponse {
    id: uuid::Uuid,
    /// `previewed` or `committed`.
    status: String,
    filename: Option<String>,
    /// Whose export the file looks like: `pursuit`, `teal`, `huntr` or `generic`.
    format: String,
    /// `,`, `;` or a tab.
    delimiter: String,
    /// How numeric dates were read: `month_first` or `day_first`.
    date_order: String,
    /// True when the order was read off the file; false when it was assumed (check the
    /// sample, and send `date_order` if it is wrong).
    date_order_detected: bool,
    columns: Vec<ColumnMapping>,
    counts: ImportCounts,
    statuses: Vec<StatusWord>,
    /// About the file as a whole (encoding, ragged rows).
    notes: Vec<String>,
    /// Problems of the rows that will not be imported, by line (at most 200 listed).
    invalid_rows: Vec<RowProblem>,
    /// Cells kept in the notes because they could not be read into their field.
    warnings: Vec<RowNote>,
    duplicates: Vec<RowNote>,
    /// The first rows as they will be written.
    sample: Vec<Value>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    committed_at: Option<Timestamp>,
    result: Option<ImportResult>,
}

fn sample_row(line: u64, d: &ApplicationData) -> Value {
    json!({
        "line": line,
        "company": d.company,
        "role_title": d.role_title,
        "status": d.status.as_str(),
        "source": d.source,
        "application_date": d.application_date.to_string(),
        "priority": d.priority.as_str(),
        "location_mode": d.location_mode.map(|m| m.as_str()),
        "location_text": d.location_text,
        "job_url": d.job_url,
        "salary_min": d.salary.min,
        "salary_max": d.salary.max,
        "salary_currency": d.salary.currency,
        "tags": d.tags,
        "next_action": d.next_action,
        "next_action_due": d.next_action_due,
        "notes": d.notes,
        "archived_at": d.archived_at,
    })
}

fn response(
    import: &Import,
    plan: Plan,
    result: Option<pursuit_app::imports::ImportResult>,
) -> ImportResponse {
    let mut invalid_rows = Vec::new();
    let mut warnings = Vec::new();
    let mut duplicates = Vec::new();
    let mut sample = Vec::new();
    let (mut ready, mut invalid, mut duplicate) = (0, 0, 0);
    for (line, outcome, notes) in &plan.rows {
        match outcome {
            Outcome::Ready(data) => {
                ready += 1;
                if sample.len() < SAMPLE {
                    sample.push(sample_row(*line, data));
                }
            }
            Outcome::Invalid(errors) => {
                invalid += 1;
                for (field, message) in errors {
                    if invalid_rows.len() < LISTED {
                        invalid_rows.push(RowProblem {
                            line: *line,
                            field: field.clone(),
                            message: message.clone(),
                        });
                    }
                }
            }
            Outcome::Duplicate(of) => {
                duplicate += 1;
                if duplicates.len() < LISTED {
                    duplicates.push(RowNote {
                        line: *line,
                        message: format!("same company, role and date as {of}"),
                    });
                }
            }
        }
        if !matches!(outcome, Outcome::Invalid(_)) {
            for message in notes {
                if warnings.len() < LISTED {
                    warnings.push(RowNote {
                        line: *line,
                        message: message.clone(),
                    });
                }
            }
        }
    }
    ImportResponse {
        id: import.id.0,
        status: if import.committed {
            "committed"
        } else {
            "previewed"
        }
        .to_owned(),
        filename: import.filename.clone(),
        format: plan.format.to_owned(),
        delimiter: plan.delimiter.to_string(),
        date_order: plan.date_order.as_str().to_owned(),
        date_order_detected: plan.date_order_detected,
        columns: plan
            .columns
            .into_iter()
            .map(|c| ColumnMapping {
                header: c.header,
                field: c.field,
            })
            .collect(),
        counts: ImportCounts {
            rows: plan.rows.len(),
            ready,
            invalid,
            duplicates: duplicate,
        },
        statuses: plan
            .statuses
            .into_iter()
            .map(|w| StatusWord {
                value: w.value,
                status: w.status,
                rows: w.rows,
            })
            .collect(),
        notes: plan.notes,
        invalid_rows,
        warnings,
        duplicates,
        sample,
        created_at: import.created_at,
        committed_at: import.committed_at,
        result: result.map(|r| ImportResult {
            created: r.created,
            reminders_planned: r.reminders_planned,
            skipped_invalid: r.skipped_invalid,
            skipped_duplicates: r.skipped_duplicates,
        }),
    }
}

/// The preview (without `result`) or the report of an import, as the API answers it and
/// the settings page shows it.
pub(crate) fn body(
    import: &Import,
    plan: Plan,
    result: Option<pursuit_app::imports::ImportResult>,
) -> Value {
    serde_json::to_value(response(import, plan, result)).unwrap_or(Value::Null)
}

pub(crate) fn parse_id(id: &str) -> Result<ImportId, ApiError> {
    id.parse::<uuid::Uuid>()
        .map(ImportId)
        .map_err(|_| ApiError::not_found())
}

/// Uploads a file and previews its import. The body is the file (`text/csv`, with
/// `filename` and `date_order` in the query) or JSON with the file in `csv` and optional
/// column overrides. Nothing is imported until the import is confirmed.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(CsvQuery),
    request_body(content((ImportRequest = "application/json"), (String = "text/csv"))),
    responses(
        (status = 201, description = "Stored and previewed", body = ImportResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the body limit", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither CSV nor JSON", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a readable file, or no column for company or role", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_import(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (content, filename, options) = match content_type.as_str() {
        "application/json" => {
            let request: ImportRequest = serde_json::from_slice(&body).map_err(|e| {
                if e.is_data() {
                    ApiError::invalid_field("", e.to_string())
                } else {
                    ApiError::new(ProblemType::MalformedJson).with_detail(e.to_string())
                }
            })?;
            (
                request.csv,
                request.filename,
                Options {
                    date_order: request.date_order,
                    mapping: request.mapping,
                },
            )
        }
        "text/csv" | "text/plain" | "application/csv" | "text/tab-separated-values" => (
            pursuit_app::imports::table::decode(&body).0,
            query.filename,
            Options {
                date_order: query.date_order,
                mapping: BTreeMap::new(),
            },
        ),
        _ => {
            return Err(ApiError::new(ProblemType::UnsupportedMediaType)
                .with_detail("send the file as text/csv, or as JSON with the file in `csv`"));
        }
    };
    let (import, plan) = pursuit_app::imports::preview(
        &state.db,
        current.id(),
        content,
        filename,
        options,
        &current.zone(),
        Timestamp::now(),
    )
    .await?;
    let mut response = (StatusCode::CREATED, Json(response(&import, plan, None))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/imports/{}", import.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// An import: the preview again (against the tracker as it is now) or, once confirmed, the
/// report of what it did.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports",
    params(("id" = uuid::Uuid, Path, description = "The import's id")),
    responses(
        (status = 200, description = "The import", body = ImportResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_import(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match pursuit_app::imports::get(
        &state.db,
        current.id(),
        parse_id(&id)?,
        &current.zone(),
        Timestamp::now(),
    )
    .await?
    {
        Ok(report) => Ok(Json(report)),
        Err((import, plan)) => Ok(Json(body(&import, plan, None))),
    }
}

/// Imports the ready rows, in one transaction; invalid and duplicate rows are skipped (and
/// listed). Confirming an import that is already committed answers its report again and
/// imports nothing.
#[utoipa::path(post, path = "/api/v1/imports/{id}/confirm", tag = "imports",
    params(("id" = uuid::Uuid, Path, description = "The import's id")),
    request_body(content = ConfirmRequest, description = "Optional"),
    responses(
        (status = 200, description = "Imported; the report", body = ImportResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn confirm_import(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id)?;
    let options: ConfirmRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ConfirmRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::new(ProblemType::MalformedJson).with_detail(e.to_string()))?
    };
    let report = pursuit_app::imports::confirm(
        &state.db,
        current.id(),
        id,
        options.plan_reminders,
        &current.zone(),
        Timestamp::now(),
        |import, plan, result| self::body(import, plan, Some(result)),
    )
    .await?;
    Ok(Json(report))
}

/// Forgets an import: a preview not wanted, or the record of one done (the applications it
/// created stay).
#[utoipa::path(delete, path = "/api/v1/imports/{id}", tag = "imports",
    params(("id" = uuid::Uuid, Path, description = "The import's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_import(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    pursuit_app::imports::delete(&state.db, current.id(), parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
