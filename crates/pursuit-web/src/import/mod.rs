//! CSV import (`/api/v1/imports`): a user brings their applications from a spreadsheet or
//! another tracker's export. Two steps: `POST` stores the file and answers a preview (how
//! each column was understood, every row that cannot be imported with its line number and
//! reasons, rows already tracked); `POST …/confirm` writes the good rows in one transaction,
//! each with a status history entry `by: import`. Confirming twice imports once.
//!
//! The parts: [`table`] reads the file (encoding, delimiter, quoting), [`columns`] decides
//! which column feeds which field, [`values`] reads other trackers' words and formats, and
//! [`rows`] turns a row into the body the applications API accepts, which then passes the
//! very checks a created application does ([`pursuit_app::applications::apply`]).

mod columns;
mod rows;
mod table;
mod values;

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use pursuit_domain::application::ChangedBy;
use pursuit_domain::ids::{ApplicationId, ImportId};
use pursuit_store::applications::ApplicationData;
use pursuit_store::imports::{self, Import};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::columns::{Field, Mapping};
use self::values::DateOrder;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::fields::Fields;
use crate::problem::{ApiError, FieldError, ProblemType};

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

/// How a stored file is read; what the API validated at upload.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Options {
    date_order: Option<String>,
    #[serde(default)]
    mapping: BTreeMap<String, Option<String>>,
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

/// Which key a row is a duplicate on.
type Key = (String, String, Date);

fn key_of(data: &ApplicationData) -> Key {
    (
        data.company.to_lowercase(),
        data.role_title.to_lowercase(),
        data.application_date,
    )
}

enum Outcome {
    Ready(Box<ApplicationData>),
    Invalid(Vec<(String, String)>),
    Duplicate(String),
}

/// A file read with its options: everything the preview and the confirmation need.
struct Plan {
    format: &'static str,
    delimiter: char,
    date_order: DateOrder,
    date_order_detected: bool,
    columns: Vec<ColumnMapping>,
    notes: Vec<String>,
    statuses: Vec<StatusWord>,
    rows: Vec<(u64, Outcome, Vec<String>)>,
}

fn invalid_field(pointer: &str, message: impl Into<String>) -> ApiError {
    ApiError::validation(vec![FieldError {
        pointer: pointer.to_owned(),
        message: message.into(),
    }])
}

/// Reads `content` with `options` into a plan. `existing` holds the keys of the user's
/// applications, so rows already tracked are marked as duplicates.
fn plan(
    content: &str,
    options: &Options,
    zone: &TimeZone,
    now: Timestamp,
    existing: &[Key],
) -> Result<Plan, ApiError> {
    let table = table::read(content.as_bytes()).map_err(|m| invalid_field("/csv", m))?;
    let mut overrides = BTreeMap::new();
    for (header, field) in &options.mapping {
        let field = match field.as_deref().map(|f| (f, Field::parse(f))) {
            None => None,
            Some((_, Some(field))) => Some(field),
            Some((name, None)) => {
                return Err(invalid_field(
                    &format!("/mapping/{}", header.replace('~', "~0").replace('/', "~1")),
                    format!(
                        "{name:?} is not a field an import can fill; use one of {}",
                        Field::ALL.map(Field::name).join(", ")
                    ),
                ));
            }
        };
        overrides.insert(header.clone(), field);
    }
    let mapping =
        Mapping::new(&table.headers, &overrides).map_err(|m| invalid_field("/mapping", m))?;
    for (field, what) in [(Field::Company, "company"), (Field::RoleTitle, "role")] {
        if !mapping.has(field) {
            return Err(ApiError::validation(vec![FieldError {
                pointer: "/mapping".to_owned(),
                message: format!(
                    "no column holds the {what}; map one of the columns {} to {:?}",
                    table.headers.join(", "),
                    field.name()
                ),
            }])
            .with_extension("columns", json!(table.headers)));
        }
    }
    let fallback = match options.date_order.as_deref() {
        Some(order) => DateOrder::parse(order)
            .ok_or_else(|| invalid_field("/date_order", "must be month_first or day_first"))?,
        None => DateOrder::MonthFirst,
    };
    let (date_order, date_order_detected) = if options.date_order.is_some() {
        (fallback, true)
    } else {
        let date_columns: Vec<usize> = [
            Field::ApplicationDate,
            Field::NextActionDue,
            Field::Archived,
        ]
        .into_iter()
        .flat_map(|f| mapping.sources(f, &table.headers))
        .collect();
        values::detect_order(
            table.rows.iter().flat_map(|(_, cells)| {
                date_columns
                    .iter()
                    .filter_map(|&i| cells.get(i).map(String::as_str))
            }),
            fallback,
        )
    };
    let reader = rows::Reader {
        headers: &table.headers,
        mapping: &mapping,
        date_order,
        zone,
        now,
    };
    let today = now.to_zoned(zone.clone()).date();
    let mut seen: HashMap<Key, String> = existing
        .iter()
        .map(|k| {
            (
                k.clone(),
                "an application already in the tracker".to_owned(),
            )
        })
        .collect();
    let mut statuses: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
    let mut planned = Vec::with_capacity(table.rows.len());
    for (line, cells) in &table.rows {
        let row = reader.read(*line, cells);
        if let Some(text) = &row.status_text {
            let entry = statuses
                .entry(text.clone())
                .or_insert_with(|| (values::status(text).map(|s| s.as_str().to_owned()), 0));
            entry.1 += 1;
        }
        let mut data = pursuit_store::applications::ApplicationData::new("", "", today);
        let mut fields = Fields::default();
        pursuit_app::applications::apply(&row.body, &mut data, &mut fields);
        let mut errors = row.errors;
        for e in fields.errors {
            let field = e.field.trim_start_matches('/').to_owned();
            if !errors.iter().any(|(f, _)| *f == field) {
                errors.push((field, e.message));
            }
        }
        let outcome = if !errors.is_empty() {
            Outcome::Invalid(errors)
        } else {
            let key = key_of(&data);
            match seen.get(&key) {
                Some(first) => Outcome::Duplicate(first.clone()),
                None => {
                    seen.insert(key, format!("the row on line {line}"));
                    Outcome::Ready(Box::new(data))
                }
            }
        };
        planned.push((*line, outcome, row.warnings));
    }
    Ok(Plan {
        format: columns::detect_format(&table.headers),
        delimiter: table.delimiter,
        date_order,
        date_order_detected,
        columns: table
            .headers
            .iter()
            .zip(&mapping.columns)
            .map(|(header, field)| ColumnMapping {
                header: header.clone(),
                field: field.map(|f| f.name().to_owned()),
            })
            .collect(),
        notes: table.notes,
        statuses: statuses
            .into_iter()
            .map(|(value, (status, rows))| StatusWord {
                value,
                status,
                rows,
            })
            .collect(),
        rows: planned,
    })
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
        "location_mode": d.location_mode.as_str(),
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

fn response(import: &Import, plan: Plan, result: Option<ImportResult>) -> ImportResponse {
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
        columns: plan.columns,
        counts: ImportCounts {
            rows: plan.rows.len(),
            ready,
            invalid,
            duplicates: duplicate,
        },
        statuses: plan.statuses,
        notes: plan.notes,
        invalid_rows,
        warnings,
        duplicates,
        sample,
        created_at: import.created_at,
        committed_at: import.committed_at,
        result,
    }
}

fn options_of(import: &Import) -> Options {
    serde_json::from_value(import.options.clone()).unwrap_or_default()
}

fn parse_id(id: &str) -> Result<ImportId, ApiError> {
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
pub(crate) async fn create_import(
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
                    invalid_field("", e.to_string())
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
            table::decode(&body).0,
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
    let filename = filename
        .map(|f| f.trim().chars().take(255).collect::<String>())
        .filter(|f| !f.is_empty());
    let now = Timestamp::now();
    let zone = current.zone();
    let existing = imports::existing_keys(&state.db, current.id()).await?;
    let plan = plan(&content, &options, &zone, now, &existing)?;
    let import = Import {
        id: ImportId::new(),
        filename,
        content,
        options: serde_json::to_value(&options).unwrap_or(Value::Null),
        committed: false,
        result: None,
        created_at: now,
        committed_at: None,
    };
    imports::insert_import(&state.db, current.id(), &import).await?;
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
    let import = imports::get_import(&state.db, current.id(), parse_id(&id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(report) = &import.result {
        return Ok(Json(report.clone()));
    }
    let existing = imports::existing_keys(&state.db, current.id()).await?;
    let plan = plan(
        &import.content,
        &options_of(&import),
        &current.zone(),
        Timestamp::now(),
        &existing,
    )?;
    Ok(Json(
        serde_json::to_value(response(&import, plan, None)).unwrap_or(Value::Null),
    ))
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
pub(crate) async fn confirm_import(
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
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    let import = imports::get_import(&mut tx, current.id(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !imports::claim_for_commit(&mut tx, current.id(), id, now).await? {
        drop(tx);
        let again = imports::get_import(&state.db, current.id(), id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        return Ok(Json(again.result.unwrap_or(Value::Null)));
    }
    let existing = imports::existing_keys(&mut tx, current.id()).await?;
    let plan = plan(
        &import.content,
        &options_of(&import),
        &current.zone(),
        now,
        &existing,
    )?;
    let mut result = ImportResult {
        created: 0,
        reminders_planned: 0,
        skipped_invalid: 0,
        skipped_duplicates: 0,
    };
    let mut ready: Vec<(ApplicationId, &ApplicationData)> = Vec::new();
    for (_, outcome, _) in &plan.rows {
        match outcome {
            Outcome::Ready(data) => ready.push((ApplicationId::new(), data.as_ref())),
            Outcome::Invalid(_) => result.skipped_invalid += 1,
            Outcome::Duplicate(_) => result.skipped_duplicates += 1,
        }
    }
    result.reminders_planned = pursuit_app::applications::create_many_in(
        &mut tx,
        current.id(),
        &ready,
        ChangedBy::Import,
        options.plan_reminders,
        now,
    )
    .await?;
    result.created = ready.len();
    let committed = Import {
        committed: true,
        committed_at: Some(now),
        ..import
    };
    let report =
        serde_json::to_value(response(&committed, plan, Some(result))).unwrap_or(Value::Null);
    imports::record_result(&mut tx, current.id(), id, report.clone()).await?;
    tx.commit().await?;
    // Thousands of rows at once: the planner must know, or the next reads plan for the
    // tables as they were (a failure here costs speed, not data).
    if let Err(error) = pursuit_store::applications::refresh_statistics(&state.db).await {
        tracing::warn!(%error, "statistics after an import were not refreshed");
    }
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
pub(crate) async fn delete_import(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if imports::delete_import(&state.db, current.id(), parse_id(&id)?).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}
