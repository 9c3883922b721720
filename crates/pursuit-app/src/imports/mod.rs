//! Importing applications from a spreadsheet export (seed 002 §10): a file read into a plan
//! (its columns mapped to fields, every row ready, invalid with the reasons, or a duplicate
//! of an application already tracked or of an earlier row), previewed as often as wanted,
//! then committed once. Rows are read by the very checks a created application gets
//! ([`crate::applications::apply`]).
//!
//! - [`table`]: the file's encoding, delimiter and CSV quoting.
//! - [`columns`]: headers → fields, and whose export it looks like.
//! - [`rows`]: a row's cells → an application's JSON fields, with notes for what could not
//!   be read.
//! - [`values`]: statuses, priorities, dates, salaries as spreadsheets write them.

pub mod columns;
pub mod rows;
pub mod table;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use pursuit_domain::application::ChangedBy;
use pursuit_domain::company::company_key;
use pursuit_domain::ids::{ApplicationId, ImportId, UserId};
use pursuit_store::Db;
use pursuit_store::applications::ApplicationData;
use pursuit_store::imports::{self, Import, Tracked};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use self::columns::{Field, Mapping};
use self::values::DateOrder;
use crate::error::{AppError, Invalid};
use crate::fields::Fields;

/// A column and the field it feeds (`None`: ignored).
#[derive(Clone, Debug)]
pub struct ColumnMapping {
    pub header: String,
    pub field: Option<String>,
}

/// A status as the file writes it, what it becomes (`None`: not known; those rows are
/// invalid) and on how many rows.
#[derive(Clone, Debug)]
pub struct StatusWord {
    pub value: String,
    pub status: Option<String>,
    pub rows: usize,
}

/// What a confirmation did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportResult {
    pub created: usize,
    pub reminders_planned: usize,
    pub skipped_invalid: usize,
    pub skipped_duplicates: usize,
}

/// How a stored file is read; what the API validated at upload.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Options {
    pub date_order: Option<String>,
    #[serde(default)]
    pub mapping: BTreeMap<String, Option<String>>,
}

/// Two applications to the same company and role dated this many days apart or less are
/// one application (further apart, it is applying again).
pub const SAME_APPLICATION_DAYS: i64 = 60;

/// A posting URL as compared: no fragment, no `utm_` parameters, no trailing `/`, lower case.
fn url_key(url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("utm_"))
        .collect();
    let base = base.trim_end_matches('/');
    let base = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .unwrap_or(base);
    let base = base.strip_prefix("www.").unwrap_or(base);
    if base.is_empty() {
        return None;
    }
    let mut key = base.to_lowercase();
    if !kept.is_empty() {
        key.push('?');
        key.push_str(&kept.join("&").to_lowercase());
    }
    Some(key)
}

/// The applications a row may repeat: those already tracked and the file's earlier rows.
/// A row repeats one when it names the same posting URL, or the same company and role
/// (compared by their words, legal forms aside) within [`SAME_APPLICATION_DAYS`] days —
/// at any date when the row gives none.
#[derive(Default)]
pub struct Seen {
    by_name: HashMap<(String, String), Vec<(Date, String)>>,
    by_url: HashMap<String, String>,
}

impl Seen {
    pub fn add(&mut self, data: &ApplicationData, what: String) {
        if let Some(url) = data.job_url.as_deref().and_then(url_key) {
            self.by_url.entry(url).or_insert_with(|| what.clone());
        }
        self.by_name
            .entry((
                company_key(&data.company),
                columns::normalize(&data.role_title),
            ))
            .or_default()
            .push((data.application_date, what));
    }

    /// What `data` repeats, if anything; `dated`: the row gave its date.
    pub fn repeated(&self, data: &ApplicationData, dated: bool) -> Option<&str> {
        if let Some(found) = data
            .job_url
            .as_deref()
            .and_then(url_key)
            .and_then(|url| self.by_url.get(&url))
        {
            return Some(found);
        }
        let key = (
            company_key(&data.company),
            columns::normalize(&data.role_title),
        );
        self.by_name.get(&key)?.iter().find_map(|(date, what)| {
            let apart = (data.application_date - *date).get_days().unsigned_abs();
            (!dated || i64::from(apart) <= SAME_APPLICATION_DAYS).then_some(what.as_str())
        })
    }
}

pub enum Outcome {
    Ready(Box<ApplicationData>),
    Invalid(Vec<(String, String)>),
    Duplicate(String),
}

/// A file read with its options: everything the preview and the confirmation need.
pub struct Plan {
    pub format: &'static str,
    pub delimiter: char,
    pub date_order: DateOrder,
    pub date_order_detected: bool,
    pub columns: Vec<ColumnMapping>,
    pub notes: Vec<String>,
    pub statuses: Vec<StatusWord>,
    pub rows: Vec<(u64, Outcome, Vec<String>)>,
}

fn invalid_field(pointer: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![Invalid {
        field: pointer.to_owned(),
        message: message.into(),
    }])
}

/// Reads `content` with `options` into a plan. `existing` holds the keys of the user's
/// applications, so rows already tracked are marked as duplicates.
pub fn plan(
    content: &str,
    options: &Options,
    zone: &TimeZone,
    now: Timestamp,
    existing: &[Tracked],
) -> Result<Plan, AppError> {
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
            return Err(AppError::InvalidWith {
                invalid: vec![Invalid {
                    field: "/mapping".to_owned(),
                    message: format!(
                        "no column holds the {what}; map one of the columns {} to {:?}",
                        table.headers.join(", "),
                        field.name()
                    ),
                }],
                name: "columns",
                value: json!(table.headers),
            });
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
    let mut seen = Seen::default();
    for tracked in existing {
        let mut data = ApplicationData::new(
            &tracked.company,
            &tracked.role_title,
            tracked.application_date,
        );
        data.job_url.clone_from(&tracked.job_url);
        seen.add(&data, "an application already in the tracker".to_owned());
    }
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
        let mut data = ApplicationData::new("", "", today);
        let mut fields = Fields::default();
        crate::applications::apply(&row.body, &mut data, &mut fields);
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
            let dated = row.body.contains_key("application_date");
            match seen.repeated(&data, dated) {
                Some(first) => Outcome::Duplicate(first.to_owned()),
                None => {
                    seen.add(&data, format!("the row on line {line}"));
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

/// The options stored with an import.
pub fn options_of(import: &Import) -> Options {
    serde_json::from_value(import.options.clone()).unwrap_or_default()
}

/// Stores a file to import and plans it against the user's applications (nothing is
/// imported yet). `filename` is trimmed to 255 characters.
pub async fn preview(
    db: &Db,
    user: UserId,
    content: String,
    filename: Option<String>,
    options: Options,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<(Import, Plan), AppError> {
    let filename = filename
        .map(|f| f.trim().chars().take(255).collect::<String>())
        .filter(|f| !f.is_empty());
    let existing = imports::tracked(db, user).await?;
    let plan = plan(&content, &options, zone, now, &existing)?;
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
    imports::insert_import(db, user, &import).await?;
    Ok((import, plan))
}

/// One of the user's imports: its stored report once committed, else its plan against the
/// tracker as it is now.
pub async fn get(
    db: &Db,
    user: UserId,
    id: ImportId,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Result<Value, (Import, Plan)>, AppError> {
    let import = imports::get_import(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(report) = &import.result {
        return Ok(Ok(report.clone()));
    }
    let existing = imports::tracked(db, user).await?;
    let plan = plan(&import.content, &options_of(&import), zone, now, &existing)?;
    Ok(Err((import, plan)))
}

/// Imports the ready rows of one of the user's imports in one transaction (invalid and
/// duplicate rows are skipped), planning their reminders when asked, and stores the report
/// `report` makes of it. An import committed before answers its stored report again and
/// imports nothing.
pub async fn confirm(
    db: &Db,
    user: UserId,
    id: ImportId,
    plan_reminders: bool,
    zone: &TimeZone,
    now: Timestamp,
    report: impl FnOnce(&Import, Plan, ImportResult) -> Value,
) -> Result<Value, AppError> {
    let mut tx = db.begin().await?;
    let import = imports::get_import(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !imports::claim_for_commit(&mut tx, user, id, now).await? {
        drop(tx);
        let again = imports::get_import(db, user, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(again.result.unwrap_or(Value::Null));
    }
    let existing = imports::tracked(&mut tx, user).await?;
    let plan = plan(&import.content, &options_of(&import), zone, now, &existing)?;
    let mut result = ImportResult::default();
    let mut ready: Vec<(ApplicationId, &ApplicationData)> = Vec::new();
    for (_, outcome, _) in &plan.rows {
        match outcome {
            Outcome::Ready(data) => ready.push((ApplicationId::new(), data.as_ref())),
            Outcome::Invalid(_) => result.skipped_invalid += 1,
            Outcome::Duplicate(_) => result.skipped_duplicates += 1,
        }
    }
    result.reminders_planned = crate::applications::create_many_in(
        &mut tx,
        user,
        &ready,
        ChangedBy::Import,
        plan_reminders,
        now,
    )
    .await?;
    result.created = ready.len();
    drop(ready);
    let committed = Import {
        committed: true,
        committed_at: Some(now),
        ..import
    };
    let stored = report(&committed, plan, result);
    imports::record_result(&mut tx, user, id, stored.clone()).await?;
    tx.commit().await?;
    // Thousands of rows at once: the planner must know, or the next reads plan for the
    // tables as they were (a failure here costs speed, not data).
    if let Err(error) = pursuit_store::applications::refresh_statistics(db).await {
        tracing::warn!(%error, "statistics after an import were not refreshed");
    }
    Ok(stored)
}

/// Forgets one of the user's imports (the applications it created stay).
pub async fn delete(db: &Db, user: UserId, id: ImportId) -> Result<(), AppError> {
    if imports::delete_import(db, user, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(company: &str, role: &str, date: &str, url: Option<&str>) -> ApplicationData {
        let mut data = ApplicationData::new(company, role, date.parse().unwrap());
        data.job_url = url.map(str::to_owned);
        data
    }

    #[test]
    fn a_row_repeats_the_same_company_and_role_near_its_date_or_the_same_posting() {
        let mut seen = Seen::default();
        seen.add(
            &app("Initech, Inc.", "Platform  Engineer", "2026-01-10", None),
            "first".to_owned(),
        );
        seen.add(
            &app(
                "Globex",
                "SRE",
                "2025-01-01",
                Some("https://www.globex.example/jobs/42/?utm_source=x#apply"),
            ),
            "posting".to_owned(),
        );
        let repeated = |data: &ApplicationData, dated| seen.repeated(data, dated);

        assert_eq!(
            repeated(
                &app("initech", "platform engineer", "2026-02-20", None),
                true
            ),
            Some("first"),
            "legal form, case and spacing aside, 41 days apart"
        );
        assert_eq!(
            repeated(
                &app("Initech", "Platform Engineer", "2026-06-01", None),
                true
            ),
            None,
            "months later it is applying again"
        );
        assert_eq!(
            repeated(
                &app("Initech", "Platform Engineer", "2026-06-01", None),
                false
            ),
            Some("first"),
            "a row without a date repeats one at any date"
        );
        assert_eq!(
            repeated(&app("Initech", "Data Engineer", "2026-01-10", None), true),
            None
        );
        assert_eq!(
            repeated(
                &app(
                    "Globex Corporation",
                    "Site Reliability Engineer",
                    "2026-03-01",
                    Some("http://globex.example/jobs/42")
                ),
                true
            ),
            Some("posting"),
            "the same posting URL, however it was written"
        );
        assert_eq!(
            repeated(
                &app(
                    "Globex",
                    "Other",
                    "2025-01-01",
                    Some("https://globex.example/jobs/43")
                ),
                true
            ),
            None
        );
    }
}
