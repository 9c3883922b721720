//! Applications (seed 002 §7.2): create, change and delete with everything that follows —
//! the status history (in the store), the default reminder rules of a new status, the
//! reminders due soon handed to delivery, and the invites of a deleted application's
//! interviews cancelled. The API, the board's forms, the posting intake, the CSV import and
//! `pursuit demo` all write applications through here.
//!
//! The `*_in` steps run in the caller's transaction (so a caller can add its own writes,
//! such as an idempotency record, and commit once); the others open and commit their own.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::account::TimeZoneName;
use pursuit_domain::application::{
    ApplicationStatus, ChangedBy, LocationMode, Priority, SalaryRange, parse_required_text,
    parse_tag,
};
use pursuit_domain::ids::{ApplicationId, UserId};
use pursuit_store::applications::{self, Application, ApplicationData};
use pursuit_store::{Conn, Db};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid, Precondition, at_version, settle};
use crate::fields::Fields;
use crate::reminders::RuleInputs;

/// Stores a new application and plans its status's reminders, in the caller's transaction;
/// returns it as it will be read back. The writes are deferred to the transaction's next
/// statement or its commit, so an id already in use fails there: an id the client chose is
/// checked first with [`check_chosen_id`]. `rules`: what [`RuleInputs::for_status`] read
/// before the transaction, or `None` to read it inside.
pub async fn create_in(
    mut conn: impl Conn,
    user: UserId,
    id: ApplicationId,
    data: &ApplicationData,
    by: ChangedBy,
    rules: Option<&RuleInputs>,
    now: Timestamp,
) -> Result<Application, AppError> {
    // The row, its history and its first reminders go with the transaction's next
    // statement or its commit (on SQLite the write turn is held for one trip).
    let created =
        applications::insert_application_deferred(&mut conn, user, id, data, by, now).await?;
    crate::reminders::plan_for_new_application(
        &mut conn,
        user,
        id,
        &data.company,
        data.status,
        rules,
        now,
    )
    .await?;
    promote_contacts(&mut conn, user, &created, now).await?;
    Ok(created)
}

/// Refuses an id the client chose when an application already has it (any user's: the
/// answer is the same as for a random id in use). Run it in the transaction, before
/// [`create_in`], whose insert is deferred to the commit.
pub async fn check_chosen_id(conn: impl Conn, id: ApplicationId) -> Result<(), AppError> {
    if applications::id_in_use(conn, id).await? {
        return Err(AppError::Conflict(
            "an application with this id already exists".to_owned(),
        ));
    }
    Ok(())
}

/// The application's tracker contact rows made contacts (`contacts::promote`).
async fn promote_contacts(
    conn: impl Conn,
    user: UserId,
    application: &Application,
    now: Timestamp,
) -> Result<(), AppError> {
    let rows = crate::contacts::read(application.data.contacts_inline.as_ref());
    if rows.is_empty() {
        return Ok(());
    }
    crate::contacts::promote(
        conn,
        user,
        application.id,
        &application.data.company,
        &rows,
        now,
    )
    .await
}

/// Stores many new applications at once (the CSV import) in the caller's transaction and,
/// when `plan_reminders`, plans the reminders of each live one's status; returns how many
/// reminders were planned.
pub async fn create_many_in(
    mut conn: impl Conn,
    user: UserId,
    rows: &[(ApplicationId, &ApplicationData)],
    by: ChangedBy,
    plan_reminders: bool,
    now: Timestamp,
) -> Result<usize, AppError> {
    applications::insert_applications(&mut conn, user, rows, by, now).await?;
    for (id, data) in rows.iter().filter(|(_, d)| d.contacts_inline.is_some()) {
        let contacts = crate::contacts::read(data.contacts_inline.as_ref());
        crate::contacts::promote(&mut conn, user, *id, &data.company, &contacts, now).await?;
    }
    let mut planned = 0;
    if plan_reminders {
        // Read once for the whole batch, not once per row.
        let rules = RuleInputs::read(&mut conn, user).await?;
        for (id, data) in rows.iter().filter(|(_, d)| d.archived_at.is_none()) {
            planned += crate::reminders::plan_for_new_application(
                &mut conn,
                user,
                *id,
                &data.company,
                data.status,
                Some(&rules),
                now,
            )
            .await?;
        }
    }
    Ok(planned)
}

/// Writes `data` over `existing` (at the version it was read) on `conn`: the caller's
/// transaction, or the pool when [`applications::is_one_statement`] says the change needs
/// none; when the status moved, runs the new status's reminder rules. A version that moved on
/// since is [`AppError::Stale`] with the application as it is now. `rules`: as for
/// [`create_in`].
pub async fn change_in(
    mut conn: impl Conn,
    user: UserId,
    existing: &Application,
    data: &ApplicationData,
    by: ChangedBy,
    rules: Option<&RuleInputs>,
    now: Timestamp,
) -> Result<Application, AppError> {
    let outcome =
        applications::update_application(&mut conn, user, existing, data, by, now).await?;
    let updated = settle(outcome, existing.version)?;
    if updated.data.contacts_inline != existing.data.contacts_inline
        || updated.data.company != existing.data.company
    {
        promote_contacts(&mut conn, user, &updated, now).await?;
    }
    if updated.data.status != existing.data.status {
        // The default reminder rules follow the status (seed 002 §3.3).
        let planned = crate::reminders::plan_for_status(
            &mut conn,
            user,
            updated.id,
            &updated.data.company,
            updated.data.status,
            rules,
            now,
        )
        .await?;
        crate::reminders::deliver_soon(&mut conn, user, &planned, now).await?;
    }
    Ok(updated)
}

/// One of the user's applications.
pub async fn get(db: &Db, user: UserId, id: ApplicationId) -> Result<Application, AppError> {
    applications::get_application(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Changes one of the user's applications at the version the caller read: `edit` changes a
/// copy of its data (and names every invalid field), then the change is written with
/// [`change_in`]. The version is looked at only once the application is known to exist, so
/// another user's id is [`AppError::NotFound`] whatever version came with it.
pub async fn update(
    db: &Db,
    user: UserId,
    id: ApplicationId,
    expected: Result<i64, Precondition>,
    edit: impl FnOnce(&mut ApplicationData) -> Result<(), Vec<Invalid>>,
    now: Timestamp,
) -> Result<Application, AppError> {
    // Read outside the write: the version-checked write refuses a change made since.
    let found = applications::get_application(db, user, id).await?;
    let (existing, _) = at_version(found, expected, |a| a.version)?;
    let mut data = existing.data.clone();
    edit(&mut data).map_err(AppError::Invalid)?;
    // Contact rows that changed are promoted to contacts in the same transaction.
    let same_people = data.contacts_inline == existing.data.contacts_inline
        && data.company == existing.data.company;
    if same_people && applications::is_one_statement(&existing, &data) {
        let writer = db.writer().await?;
        return change_in(writer, user, &existing, &data, ChangedBy::User, None, now).await;
    }
    let rules = if data.status == existing.data.status {
        None
    } else {
        RuleInputs::for_status(db, user, data.status).await?
    };
    let mut tx = db.begin().await?;
    let updated = change_in(
        &mut tx,
        user,
        &existing,
        &data,
        ChangedBy::User,
        rules.as_ref(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deletes one of the user's applications and its history at the version the caller read;
/// invites mailed for its interviews are cancelled. Missing is [`AppError::NotFound`]
/// whatever the version says.
pub async fn delete(
    db: &Db,
    user: UserId,
    id: ApplicationId,
    expected: Result<i64, Precondition>,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    applications::get_application(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    crate::calendar::before_application_delete(&mut tx, user, id, now).await?;
    let outcome = applications::delete_application(&mut tx, user, id, expected).await?;
    settle(outcome, expected)?;
    tx.commit().await?;
    Ok(())
}

/// The most characters of `notes`; other texts take 2,000.
const MAX_TEXT: usize = 10_000;

/// Reads the fields present in `body` (an API body, a form made into one, an import row)
/// into `data`, collecting every invalid one: create and update share these rules, and
/// unknown members are ignored.
pub fn apply(body: &Map<String, Value>, data: &mut ApplicationData, fields: &mut Fields) {
    let mut salary = (
        data.salary.min,
        data.salary.max,
        data.salary.currency.clone(),
    );
    for (key, value) in body {
        match key.as_str() {
            "company" | "role_title" => match value.as_str().map(|s| parse_required_text(s, 200)) {
                Some(Ok(v)) => {
                    if key == "company" {
                        data.company = v
                    } else {
                        data.role_title = v
                    }
                }
                Some(Err(e)) => fields.bad(key, e.0),
                None => fields.bad(key, "must be a string".to_owned()),
            },
            "status" => match value.as_str().map(ApplicationStatus::parse) {
                Some(Ok(v)) => data.status = v,
                Some(Err(e)) => fields.bad(key, e.0),
                None => fields.bad(key, "must be a string".to_owned()),
            },
            "priority" => match value.as_str().map(Priority::parse) {
                Some(Ok(v)) => data.priority = v,
                Some(Err(e)) => fields.bad(key, e.0),
                None => fields.bad(key, "must be a string".to_owned()),
            },
            "location_mode" => match value {
                Value::Null => data.location_mode = None,
                Value::String(s) => match LocationMode::parse(s) {
                    Ok(v) => data.location_mode = Some(v),
                    Err(e) => fields.bad(key, e.0),
                },
                _ => fields.bad(key, "must be remote, hybrid, onsite or null".to_owned()),
            },
            "source" => match value.as_str().map(|s| parse_required_text(s, 50)) {
                Some(Ok(v)) => data.source = v,
                Some(Err(e)) => fields.bad(key, e.0),
                None => fields.bad(key, "must be a string".to_owned()),
            },
            "application_date" => match value.as_str().map(|s| s.parse::<Date>()) {
                Some(Ok(v)) => data.application_date = v,
                _ => fields.bad(key, "must be a date such as 2026-11-23".to_owned()),
            },
            "timezone" => match value {
                Value::Null => data.timezone = None,
                Value::String(s) => match TimeZoneName::parse(s) {
                    Ok(zone) => data.timezone = Some(zone.as_str().to_owned()),
                    Err(e) => fields.bad(key, e.0),
                },
                _ => fields.bad(key, "must be an IANA time zone or null".to_owned()),
            },
            "salary_min" | "salary_max" => match value {
                Value::Null => {
                    if key == "salary_min" {
                        salary.0 = None
                    } else {
                        salary.1 = None
                    }
                }
                Value::Number(n) if n.as_i64().is_some() => {
                    if key == "salary_min" {
                        salary.0 = n.as_i64()
                    } else {
                        salary.1 = n.as_i64()
                    }
                }
                _ => fields.bad(key, "must be a whole number or null".to_owned()),
            },
            "salary_currency" => match value {
                Value::Null => salary.2 = None,
                Value::String(s) => salary.2 = Some(s.clone()),
                _ => fields.bad(key, "must be a currency code or null".to_owned()),
            },
            "cover_letter_used" => match value {
                Value::Null => data.cover_letter_used = None,
                Value::Bool(b) => data.cover_letter_used = Some(*b),
                _ => fields.bad(key, "must be true, false or null".to_owned()),
            },
            "contacts_inline" => match value {
                Value::Null => data.contacts_inline = None,
                Value::Array(_) | Value::Object(_) if value.to_string().len() <= 20_000 => {
                    data.contacts_inline = Some(value.clone())
                }
                _ => fields.bad(
                    key,
                    "must be a JSON list or object (at most 20,000 characters) or null".to_owned(),
                ),
            },
            "tech_keywords" => {
                if let Some(v) = fields.strings(key, value) {
                    data.tech_keywords = v;
                }
            }
            "attachments_links" => {
                if let Some(v) = fields.strings(key, value) {
                    data.attachments_links = v;
                }
            }
            "tags" => {
                if let Some(v) = fields.strings(key, value) {
                    let mut tags = Vec::new();
                    for (i, tag) in v.iter().enumerate() {
                        match parse_tag(tag) {
                            Ok(t) if !tags.contains(&t) => tags.push(t),
                            Ok(_) => {}
                            Err(e) => fields.bad(&format!("tags/{i}"), e.0),
                        }
                    }
                    tags.sort();
                    data.tags = tags;
                }
            }
            "next_action_due" => {
                if let Some(v) = fields.instant(key, value) {
                    data.next_action_due = v;
                }
            }
            "archived_at" => {
                if let Some(v) = fields.instant(key, value) {
                    data.archived_at = v;
                }
            }
            "job_url" | "location_text" | "job_requisition_id" | "seniority_level"
            | "resume_url" | "cover_letter_url" | "next_action" | "notes" => {
                let max = if key == "notes" { MAX_TEXT } else { 2000 };
                if let Some(v) = fields.text(key, value, max) {
                    match key.as_str() {
                        "job_url" => data.job_url = v,
                        "location_text" => data.location_text = v,
                        "job_requisition_id" => data.job_requisition_id = v,
                        "seniority_level" => data.seniority_level = v,
                        "resume_url" => data.resume_url = v,
                        "cover_letter_url" => data.cover_letter_url = v,
                        "next_action" => data.next_action = v,
                        _ => data.notes = v,
                    }
                }
            }
            // `id` is read by create; anything else is ignored.
            _ => {}
        }
    }
    match SalaryRange::new(salary.0, salary.1, salary.2.as_deref()) {
        Ok(range) => data.salary = range,
        Err(problems) => {
            for (field, problem) in problems {
                fields.bad(field, problem.0);
            }
        }
    }
}
