//! The application list's filters, read by one set of rules whichever edge they came
//! from: a saved view's document, the board's filter bar, or a list's query string (whose
//! parameters the edge first writes as such a document).

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::application::{ApplicationStatus, Priority};
use pursuit_store::applications::{ApplicationFilter, Sort};
use serde_json::{Map, Value};

use crate::error::Invalid;
use crate::fields::Fields;

/// Reads a filter document (`status` list, `priority`, `source`, `tag`, `q`, `company`,
/// `role`, `location`, `salary_min`, `salary_max`, `archived`, `from`, `to`,
/// `due_within_days`, `has_due_reminders`, `sort`) into a list filter, naming each bad
/// member.
pub fn read(doc: &Map<String, Value>, now: Timestamp) -> Result<ApplicationFilter, Vec<Invalid>> {
    let mut fields = Fields::default();
    let mut filter = ApplicationFilter::default();
    for (key, value) in doc {
        let key = key.as_str();
        match key {
            "status" => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(status) = fields.choice(&format!("status/{i}"), item, ApplicationStatus::parse) {
                            filter.statuses.push(status);
                        }
                    }
                }
                None => fields.bad(key, "must be a list of statuses"),
            },
            "priority" => filter.priority = fields.choice(key, value, Priority::parse),
            "source" | "tag" | "q" | "company" | "role" | "location" => {
                if let Some(v) = fields.text(key, value, 200) {
                    match key {
                        "source" => filter.source = v,
                        "tag" => filter.tag = v,
                        "company" => filter.company = v,
                        "role" => filter.role = v,
                        "location" => filter.location = v,
                        _ => filter.q = v,
                    }
                }
            }
            "salary_min" | "salary_max" => match value.as_i64() {
                Some(amount) if amount >= 0 => {
                    if key == "salary_min" { filter.salary_at_least = Some(amount) } else { filter.salary_at_most = Some(amount) }
                }
                _ => fields.bad(key, "must be a whole amount, 0 or more"),
            },
            "has_due_reminders" => match value.as_bool() {
                Some(true) => filter.reminders_due_by = Some(now),
                Some(false) => {}
                None => fields.bad(key, "must be true or false"),
            },
            "archived" => match value.as_bool() {
                Some(b) => filter.archived = b,
                None => fields.bad(key, "must be true or false"),
            },
            "from" | "to" => match value.as_str().map(|d| d.parse::<Date>()) {
                Some(Ok(date)) => {
                    if key == "from" { filter.applied_from = Some(date) } else { filter.applied_to = Some(date) }
                }
                _ => fields.bad(key, "must be a date such as 2026-11-23"),
            },
            "due_within_days" => match value.as_i64() {
                Some(days) if (0..=366).contains(&days) => {
                    filter.due_before = Some(now + jiff::SignedDuration::from_hours(24 * days));
                }
                _ => fields.bad(key, "must be a whole number of days from 0 to 366"),
            },
            "sort" => match value.as_str().map(str::trim).and_then(Sort::parse) {
                Some(sort) => filter.sort = sort,
                None => fields.bad(
                    key,
                    format!(
                        "must be one of {}, each optionally prefixed with - for descending",
                        Sort::all_names().join(", ")
                    ),
                ),
            },
            _ => fields.bad(
                key,
                "is not a filter (status, priority, source, tag, q, company, role, location, salary_min, salary_max, \
                 archived, from, to, due_within_days, has_due_reminders, sort)",
            ),
        }
    }
    if fields.errors.is_empty() {
        Ok(filter)
    } else {
        Err(fields.errors)
    }
}
