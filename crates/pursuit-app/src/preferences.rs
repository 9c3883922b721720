//! Job preferences (seed 000 §1): read what the user typed into normalised values
//! (`pursuit_domain::preferences`), refuse what cannot be read with every problem named by
//! its field, and keep the preference tags computed from them.

use jiff::Timestamp;
use pursuit_domain::application::SalaryRange;
use pursuit_domain::ids::UserId;
use pursuit_domain::preferences::{CompanySize, JobPreferences, Remote, SalaryPeriod, Seniority};
use pursuit_store::Db;
use pursuit_store::audit::{NewAuditEntry, insert_audit};
use pursuit_store::preferences::{self as store, PreferencesRow};

use crate::error::{AppError, Invalid};

/// The most entries one list may hold.
pub const MAX_ITEMS: usize = 20;
/// The highest salary figure accepted (any currency, any period).
pub const MAX_SALARY: i64 = 100_000_000;

/// What the user sends: every field; one left out is empty.
#[derive(Clone, Debug, Default)]
pub struct PreferencesInput {
    pub titles: Vec<String>,
    pub locations: Vec<String>,
    pub remote: Option<String>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_currency: Option<String>,
    pub salary_period: Option<String>,
    pub seniority: Vec<String>,
    pub company_sizes: Vec<String>,
    pub industries: Vec<String>,
    pub experience_years_min: Option<i64>,
    pub experience_years_max: Option<i64>,
    pub willing_to_relocate: bool,
}

/// The user's preferences with what is computed from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Preferences {
    pub value: JobPreferences,
    pub tags: Vec<String>,
    /// A short name for what the user is after ("Senior Backend Engineer · Remote").
    pub label: String,
    /// None until saved once.
    pub updated_at: Option<Timestamp>,
}

/// A list of short texts: trimmed, each 1 to `max` characters without control characters,
/// repeats (ignoring case) dropped.
fn texts(field: &str, items: &[String], max: usize, invalid: &mut Vec<Invalid>) -> Vec<String> {
    if items.len() > MAX_ITEMS {
        invalid.push(Invalid::new(
            field,
            format!("must hold at most {MAX_ITEMS} entries"),
        ));
        return Vec::new();
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = item.trim();
        if text.is_empty() || text.chars().count() > max {
            invalid.push(Invalid::new(
                &format!("{field}/{i}"),
                format!("must be 1 to {max} characters"),
            ));
        } else if text.chars().any(char::is_control) {
            invalid.push(Invalid::new(
                &format!("{field}/{i}"),
                "must not contain control characters",
            ));
        } else if !kept.iter().any(|k| k.to_lowercase() == text.to_lowercase()) {
            kept.push(text.to_owned());
        }
    }
    kept
}

/// Each entry read by `parse`, repeats dropped, in the enumeration's order.
fn enumeration<T: Ord + Copy>(
    field: &str,
    items: &[String],
    parse: impl Fn(&str) -> Result<T, pursuit_domain::Invalid>,
    invalid: &mut Vec<Invalid>,
) -> Vec<T> {
    if items.len() > MAX_ITEMS {
        invalid.push(Invalid::new(
            field,
            format!("must hold at most {MAX_ITEMS} entries"),
        ));
        return Vec::new();
    }
    let mut kept = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match parse(item) {
            Ok(value) => kept.push(value),
            Err(e) => invalid.push(Invalid::new(&format!("{field}/{i}"), e.0)),
        }
    }
    kept.sort();
    kept.dedup();
    kept
}

fn optional<T>(
    field: &str,
    text: Option<&str>,
    parse: impl Fn(&str) -> Result<T, pursuit_domain::Invalid>,
    invalid: &mut Vec<Invalid>,
) -> Option<T> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    match parse(text) {
        Ok(value) => Some(value),
        Err(e) => {
            invalid.push(Invalid::new(field, e.0));
            None
        }
    }
}

/// Reads the input into valid preferences, or every problem.
pub fn read(input: &PreferencesInput) -> Result<JobPreferences, AppError> {
    let mut invalid = Vec::new();
    let titles = texts("titles", &input.titles, 120, &mut invalid);
    let locations = texts("locations", &input.locations, 120, &mut invalid);
    let industries = texts("industries", &input.industries, 80, &mut invalid);
    let remote = optional(
        "remote",
        input.remote.as_deref(),
        Remote::parse,
        &mut invalid,
    );
    let seniority = enumeration(
        "seniority",
        &input.seniority,
        Seniority::parse,
        &mut invalid,
    );
    let company_sizes = enumeration(
        "company_sizes",
        &input.company_sizes,
        CompanySize::parse,
        &mut invalid,
    );
    for (field, value) in [
        ("salary_min", input.salary_min),
        ("salary_max", input.salary_max),
    ] {
        if value.is_some_and(|v| v > MAX_SALARY) {
            invalid.push(Invalid::new(field, format!("must be at most {MAX_SALARY}")));
        }
    }
    let salary = match SalaryRange::new(
        input.salary_min,
        input.salary_max,
        input.salary_currency.as_deref(),
    ) {
        Ok(range) => range,
        Err(problems) => {
            invalid.extend(
                problems
                    .into_iter()
                    .map(|(field, e)| Invalid::new(field, e.0)),
            );
            SalaryRange::default()
        }
    };
    let has_salary = input.salary_min.is_some() || input.salary_max.is_some();
    let no_currency = input
        .salary_currency
        .as_deref()
        .is_none_or(|c| c.trim().is_empty());
    if has_salary && no_currency {
        invalid.push(Invalid::new(
            "salary_currency",
            "is required with a salary (a three-letter code such as USD or EUR)",
        ));
    }
    let mut salary_period = optional(
        "salary_period",
        input.salary_period.as_deref(),
        SalaryPeriod::parse,
        &mut invalid,
    );
    if has_salary && salary_period.is_none() {
        salary_period = Some(SalaryPeriod::Year);
    }
    if !has_salary {
        salary_period = None;
    }
    let mut years = |field: &str, value: Option<i64>| -> Option<u8> {
        let value = value?;
        match u8::try_from(value) {
            Ok(v) if v <= 60 => Some(v),
            _ => {
                invalid.push(Invalid::new(field, "must be between 0 and 60 years"));
                None
            }
        }
    };
    let experience_years_min = years("experience_years_min", input.experience_years_min);
    let experience_years_max = years("experience_years_max", input.experience_years_max);
    if let (Some(low), Some(high)) = (experience_years_min, experience_years_max)
        && low > high
    {
        invalid.push(Invalid::new(
            "experience_years_min",
            "must not exceed experience_years_max",
        ));
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    Ok(JobPreferences {
        titles,
        locations,
        remote,
        salary: if has_salary {
            salary
        } else {
            SalaryRange::default()
        },
        salary_period,
        seniority,
        company_sizes,
        industries,
        experience_years_min,
        experience_years_max,
        willing_to_relocate: input.willing_to_relocate,
    })
}

fn from_row(row: PreferencesRow) -> Preferences {
    // Stored values were normalised when written; one that no longer reads is left out.
    let value = JobPreferences {
        titles: row.titles,
        locations: row.locations,
        remote: row.remote.as_deref().and_then(|r| Remote::parse(r).ok()),
        salary: SalaryRange {
            min: row.salary_min,
            max: row.salary_max,
            currency: row.salary_currency,
        },
        salary_period: row
            .salary_period
            .as_deref()
            .and_then(|p| SalaryPeriod::parse(p).ok()),
        seniority: row
            .seniority
            .iter()
            .filter_map(|s| Seniority::parse(s).ok())
            .collect(),
        company_sizes: row
            .company_sizes
            .iter()
            .filter_map(|s| CompanySize::parse(s).ok())
            .collect(),
        industries: row.industries,
        experience_years_min: row.experience_years_min.and_then(|y| u8::try_from(y).ok()),
        experience_years_max: row.experience_years_max.and_then(|y| u8::try_from(y).ok()),
        willing_to_relocate: row.willing_to_relocate,
    };
    Preferences {
        tags: value.tags(),
        label: value.label(),
        value,
        updated_at: row.updated_at,
    }
}

/// The user's preferences (empty until saved).
pub async fn get(db: &Db, user: UserId) -> Result<Preferences, AppError> {
    Ok(from_row(store::get(db, user).await?))
}

/// Replaces the user's preferences with `input`, read and checked whole.
pub async fn put(
    db: &Db,
    user: UserId,
    input: &PreferencesInput,
    now: Timestamp,
) -> Result<Preferences, AppError> {
    let value = read(input)?;
    let row = PreferencesRow {
        titles: value.titles.clone(),
        locations: value.locations.clone(),
        remote: value.remote.map(|r| r.as_str().to_owned()),
        salary_min: value.salary.min,
        salary_max: value.salary.max,
        salary_currency: value.salary.currency.clone(),
        salary_period: value.salary_period.map(|p| p.as_str().to_owned()),
        seniority: value
            .seniority
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        company_sizes: value
            .company_sizes
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        industries: value.industries.clone(),
        experience_years_min: value.experience_years_min.map(i64::from),
        experience_years_max: value.experience_years_max.map(i64::from),
        willing_to_relocate: value.willing_to_relocate,
        tags: value.tags(),
        updated_at: None,
    };
    let mut tx = db.begin().await?;
    store::put(&mut tx, user, &row, now).await?;
    insert_audit(
        &mut tx,
        &NewAuditEntry {
            user_id: Some(user),
            action: "preferences.changed",
            entity_type: Some("job_preferences"),
            detail: Some(serde_json::json!({"tags": row.tags})),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    // Read back: what is answered is what is stored (timestamps at the database's precision).
    let stored = store::get(&mut tx, user).await?;
    tx.commit().await?;
    Ok(from_row(stored))
}
