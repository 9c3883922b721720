//! The profile and projects (seed 003 §2): who the user is as documents name them, their
//! links, a summary and skills of their own, and projects that tailored CVs choose from.
//! Filled by hand, from the active resume version or from a JSON Resume document — an
//! import fills only what is empty and adds only what is missing, so nothing the user wrote
//! is overwritten.

use jiff::Timestamp;
use pursuit_domain::account::EmailAddress;
use pursuit_domain::ids::{ProjectId, UserId};
use pursuit_store::Db;
use pursuit_store::audit::{NewAuditEntry, insert_audit};
use pursuit_store::profiles::{self as store, ProfileRow, ProjectRow};
use serde_json::Value;

use crate::error::{AppError, Invalid};

/// The most projects one user may keep.
pub const MAX_PROJECTS: usize = 100;
const MAX_SKILLS: usize = 100;
const MAX_LIST: usize = 30;

/// The whole profile as sent (a field left out is empty).
#[derive(Clone, Debug, Default)]
pub struct ProfileInput {
    pub full_name: String,
    pub headline: String,
    pub email: String,
    pub phone: String,
    pub location: String,
    pub linkedin_url: String,
    pub github_url: String,
    pub website_url: String,
    pub summary: String,
    pub skills: Vec<String>,
}

/// Changes to a project (every field when adding; the fields given when changing).
#[derive(Clone, Debug, Default)]
pub struct ProjectInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub role: Option<String>,
    pub technologies: Option<Vec<String>>,
    pub url: Option<String>,
    pub repo_url: Option<String>,
    /// `Some(None)`: not said.
    pub start: Option<Option<String>>,
    /// `Some(None)`: ongoing.
    pub end: Option<Option<String>>,
    pub highlights: Option<Vec<String>>,
    pub featured: Option<bool>,
    pub position: Option<i64>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// Profile fields that were empty and are now filled.
    pub filled: Vec<&'static str>,
    pub skills_added: usize,
    pub projects_added: usize,
    /// Projects left out because one of the same title exists.
    pub projects_skipped: usize,
}

/// Trimmed text of at most `max` characters; line breaks only where `lines`.
pub(crate) fn text(
    field: &str,
    value: &str,
    max: usize,
    lines: bool,
    invalid: &mut Vec<Invalid>,
) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        invalid.push(Invalid::new(
            field,
            format!("must be at most {max} characters"),
        ));
    } else if value
        .chars()
        .any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')))
    {
        invalid.push(Invalid::new(
            field,
            if lines {
                "must not contain control characters"
            } else {
                "must be one line without control characters"
            },
        ));
    }
    value.replace("\r\n", "\n")
}

/// A one-line text that may go into a mail header (a contact's name, a subject): no
/// control characters and no Unicode line or paragraph separators.
pub(crate) fn header_line(
    field: &str,
    value: &str,
    max: usize,
    invalid: &mut Vec<Invalid>,
) -> String {
    let value = text(field, value, max, false, invalid);
    if value.contains(['\u{2028}', '\u{2029}', '\u{85}']) {
        invalid.push(Invalid::new(field, "must be one line"));
    }
    value
}

/// A text, or none when it is empty.
pub(crate) fn some(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// An `http(s)://` address of at most 500 characters, or empty.
pub(crate) fn link(field: &str, value: &str, invalid: &mut Vec<Invalid>) -> String {
    let value = text(field, value, 500, false, invalid);
    if value.is_empty() {
        return value;
    }
    match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => value,
        _ => {
            invalid.push(Invalid::new(
                field,
                "must be an http:// or https:// address",
            ));
            value
        }
    }
}

/// A list of one-line texts: each 1 to `max` characters, repeats (ignoring case) dropped.
fn list(
    field: &str,
    items: &[String],
    limit: usize,
    max: usize,
    invalid: &mut Vec<Invalid>,
) -> Vec<String> {
    if items.len() > limit {
        invalid.push(Invalid::new(
            field,
            format!("must hold at most {limit} entries"),
        ));
        return Vec::new();
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = format!("{field}/{i}");
        let value = text(&name, item, max, false, invalid);
        if value.is_empty() {
            invalid.push(Invalid::new(&name, "must not be empty"));
        } else if !kept
            .iter()
            .any(|k| k.to_lowercase() == value.to_lowercase())
        {
            kept.push(value);
        }
    }
    kept
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (kept to the month), years 1950–2100.
fn month(field: &str, value: &str, invalid: &mut Vec<Invalid>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parts: Vec<&str> = value.split('-').collect();
    let year = parts.first().and_then(|y| {
        (y.len() == 4)
            .then(|| y.parse::<u16>().ok())
            .flatten()
            .filter(|y| (1950..=2100).contains(y))
    });
    let month = parts.get(1).map(|m| {
        (m.len() == 2)
            .then(|| m.parse::<u8>().ok())
            .flatten()
            .filter(|m| (1..=12).contains(m))
    });
    let day_ok = parts
        .get(2)
        .is_none_or(|d| d.len() == 2 && d.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d)));
    match (year, month, parts.len() <= 3 && day_ok) {
        (Some(y), None, true) => Some(format!("{y:04}")),
        (Some(y), Some(Some(m)), true) => Some(format!("{y:04}-{m:02}")),
        _ => {
            invalid.push(Invalid::new(
                field,
                "must be a year or a month: 2024 or 2024-03",
            ));
            None
        }
    }
}

/// Whether month `start` comes after month `end` (a bare year covers its months).
fn after(start: &str, end: &str) -> bool {
    let (start_year, end_year) = (&start[..4], &end[..4]);
    if start_year != end_year {
        return start_year > end_year;
    }
    start.len() == 7 && end.len() == 7 && start > end
}

fn check_profile(input: &ProfileInput) -> Result<ProfileRow, AppError> {
    let mut invalid = Vec::new();
    let email = text("email", &input.email, 254, false, &mut invalid);
    if !email.is_empty() && EmailAddress::parse(&email).is_err() {
        invalid.push(Invalid::new("email", "must be an email address"));
    }
    let row = ProfileRow {
        full_name: text("full_name", &input.full_name, 120, false, &mut invalid),
        headline: text("headline", &input.headline, 200, false, &mut invalid),
        email,
        phone: text("phone", &input.phone, 40, false, &mut invalid),
        location: text("location", &input.location, 120, false, &mut invalid),
        linkedin_url: link("linkedin_url", &input.linkedin_url, &mut invalid),
        github_url: link("github_url", &input.github_url, &mut invalid),
        website_url: link("website_url", &input.website_url, &mut invalid),
        summary: text("summary", &input.summary, 5_000, true, &mut invalid),
        skills: list("skills", &input.skills, MAX_SKILLS, 80, &mut invalid),
        updated_at: None,
    };
    if invalid.is_empty() {
        Ok(row)
    } else {
        Err(AppError::Invalid(invalid))
    }
}

/// The user's profile (empty until saved).
pub async fn get_profile(db: &Db, user: UserId) -> Result<ProfileRow, AppError> {
    Ok(store::get_profile(db, user).await?)
}

async fn write_profile(
    tx: &mut pursuit_store::Tx,
    user: UserId,
    row: &ProfileRow,
    action: &'static str,
    detail: Value,
    now: Timestamp,
) -> Result<ProfileRow, AppError> {
    store::put_profile(&mut *tx, user, row, now).await?;
    insert_audit(
        &mut *tx,
        &NewAuditEntry {
            user_id: Some(user),
            action,
            entity_type: Some("profile"),
            detail: Some(detail),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(store::get_profile(&mut *tx, user).await?)
}

/// Replaces the user's profile, checked whole.
pub async fn put_profile(
    db: &Db,
    user: UserId,
    input: &ProfileInput,
    now: Timestamp,
) -> Result<ProfileRow, AppError> {
    let row = check_profile(input)?;
    let mut tx = db.begin().await?;
    let saved = write_profile(
        &mut tx,
        user,
        &row,
        "profile.changed",
        serde_json::json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

fn check_project(
    input: &ProjectInput,
    mut row: ProjectRow,
    adding: bool,
) -> Result<ProjectRow, AppError> {
    let mut invalid = Vec::new();
    match &input.title {
        Some(title) => {
            row.title = text("title", title, 200, false, &mut invalid);
            if row.title.is_empty() {
                invalid.push(Invalid::new("title", "must not be empty"));
            }
        }
        None if adding => invalid.push(Invalid::new("title", "is required")),
        None => {}
    }
    if let Some(v) = &input.description {
        row.description = text("description", v, 5_000, true, &mut invalid);
    }
    if let Some(v) = &input.role {
        row.role = text("role", v, 120, false, &mut invalid);
    }
    if let Some(v) = &input.technologies {
        row.technologies = list("technologies", v, 50, 80, &mut invalid);
    }
    if let Some(v) = &input.url {
        row.url = link("url", v, &mut invalid);
    }
    if let Some(v) = &input.repo_url {
        row.repo_url = link("repo_url", v, &mut invalid);
    }
    if let Some(v) = &input.start {
        row.start_month = v.as_deref().and_then(|m| month("start", m, &mut invalid));
    }
    if let Some(v) = &input.end {
        row.end_month = v.as_deref().and_then(|m| month("end", m, &mut invalid));
    }
    if let (Some(start), Some(end)) = (&row.start_month, &row.end_month)
        && after(start, end)
    {
        invalid.push(Invalid::new("start", "must not be after end"));
    }
    if let Some(v) = &input.highlights {
        if v.len() > MAX_LIST {
            invalid.push(Invalid::new(
                "highlights",
                format!("must hold at most {MAX_LIST} entries"),
            ));
        } else {
            let mut kept = Vec::new();
            for (i, h) in v.iter().enumerate() {
                let h = text(&format!("highlights/{i}"), h, 500, false, &mut invalid);
                if !h.is_empty() {
                    kept.push(h);
                }
            }
            row.highlights = kept;
        }
    }
    if let Some(v) = input.featured {
        row.featured = v;
    }
    if let Some(v) = input.position {
        if (0..=10_000).contains(&v) {
            row.position = v;
        } else {
            invalid.push(Invalid::new("position", "must be between 0 and 10000"));
        }
    }
    if invalid.is_empty() {
        Ok(row)
    } else {
        Err(AppError::Invalid(invalid))
    }
}

fn blank_project(now: Timestamp) -> ProjectRow {
    ProjectRow {
        id: ProjectId::new(),
        title: String::new(),
        description: String::new(),
        role: String::new(),
        technologies: Vec::new(),
        url: String::new(),
        repo_url: String::new(),
        start_month: None,
        end_month: None,
        highlights: Vec::new(),
        featured: false,
        position: 0,
        created_at: now,
        updated_at: now,
    }
}

pub async fn list_projects(db: &Db, user: UserId) -> Result<Vec<ProjectRow>, AppError> {
    Ok(store::list_projects(db, user).await?)
}

pub async fn get_project(db: &Db, user: UserId, id: ProjectId) -> Result<ProjectRow, AppError> {
    store::get_project(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn audit_project(
    tx: &mut pursuit_store::Tx,
    user: UserId,
    action: &'static str,
    row: &ProjectRow,
    now: Timestamp,
) -> Result<(), AppError> {
    insert_audit(
        &mut *tx,
        &NewAuditEntry {
            user_id: Some(user),
            action,
            entity_type: Some("project"),
            entity_id: Some(row.id.0.to_string()),
            ..NewAuditEntry::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// Adds a project after the user's others (or at `position`).
pub async fn create_project(
    db: &Db,
    user: UserId,
    input: &ProjectInput,
    now: Timestamp,
) -> Result<ProjectRow, AppError> {
    let mut row = check_project(input, blank_project(now), true)?;
    let mut tx = db.begin().await?;
    let existing = store::list_projects(&mut tx, user).await?;
    if existing.len() >= MAX_PROJECTS {
        return Err(AppError::Conflict(format!(
            "you have {MAX_PROJECTS} projects, the most one account may keep; remove one first"
        )));
    }
    if input.position.is_none() {
        row.position = existing.iter().map(|p| p.position + 1).max().unwrap_or(0);
    }
    store::put_project(&mut tx, user, &row).await?;
    audit_project(&mut tx, user, "project.added", &row, now).await?;
    let saved = store::get_project(&mut tx, user, row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// Changes the fields given of one of the user's projects.
pub async fn update_project(
    db: &Db,
    user: UserId,
    id: ProjectId,
    input: &ProjectInput,
    now: Timestamp,
) -> Result<ProjectRow, AppError> {
    let mut tx = db.begin().await?;
    let current = store::get_project(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut row = check_project(input, current, false)?;
    row.updated_at = now;
    store::put_project(&mut tx, user, &row).await?;
    audit_project(&mut tx, user, "project.changed", &row, now).await?;
    let saved = store::get_project(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete_project(
    db: &Db,
    user: UserId,
    id: ProjectId,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let row = store::get_project(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete_project(&mut tx, user, id).await?;
    audit_project(&mut tx, user, "project.removed", &row, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What an import brings: profile fields, skills and projects.
#[derive(Default)]
struct Incoming {
    profile: ProfileInput,
    projects: Vec<ProjectInput>,
}

/// Fills the empty fields of the profile, adds the skills and projects it lacks, in one
/// transaction; every incoming value is checked as if typed.
async fn import(
    db: &Db,
    user: UserId,
    incoming: Incoming,
    source: &'static str,
    now: Timestamp,
) -> Result<(ProfileRow, ImportReport), AppError> {
    // Incoming values pass the same checks as typed ones; a bad one is named.
    let checked = check_profile(&incoming.profile)?;
    let mut projects = Vec::new();
    for (i, project) in incoming.projects.iter().enumerate() {
        let row = check_project(project, blank_project(now), true).map_err(|e| match e {
            AppError::Invalid(list) => AppError::Invalid(
                list.into_iter()
                    .map(|p| Invalid {
                        field: format!("/projects/{i}{}", p.field),
                        message: p.message,
                    })
                    .collect(),
            ),
            other => other,
        })?;
        projects.push(row);
    }
    let mut tx = db.begin().await?;
    let mut profile = store::get_profile(&mut tx, user).await?;
    let mut report = ImportReport::default();
    {
        let mut fill = |name: &'static str, target: &mut String, value: &str| {
            if target.is_empty() && !value.is_empty() {
                *target = value.to_owned();
                report.filled.push(name);
            }
        };
        fill("full_name", &mut profile.full_name, &checked.full_name);
        fill("headline", &mut profile.headline, &checked.headline);
        fill("email", &mut profile.email, &checked.email);
        fill("phone", &mut profile.phone, &checked.phone);
        fill("location", &mut profile.location, &checked.location);
        fill(
            "linkedin_url",
            &mut profile.linkedin_url,
            &checked.linkedin_url,
        );
        fill("github_url", &mut profile.github_url, &checked.github_url);
        fill(
            "website_url",
            &mut profile.website_url,
            &checked.website_url,
        );
        fill("summary", &mut profile.summary, &checked.summary);
    }
    for skill in checked.skills {
        if profile.skills.len() >= MAX_SKILLS {
            break;
        }
        if !profile
            .skills
            .iter()
            .any(|s| s.to_lowercase() == skill.to_lowercase())
        {
            profile.skills.push(skill);
            report.skills_added += 1;
        }
    }
    let mut existing = store::list_projects(&mut tx, user).await?;
    let mut next = existing.iter().map(|p| p.position + 1).max().unwrap_or(0);
    for mut project in projects {
        let taken = existing
            .iter()
            .any(|p| p.title.to_lowercase() == project.title.to_lowercase());
        if taken || existing.len() >= MAX_PROJECTS {
            report.projects_skipped += 1;
            continue;
        }
        project.position = next;
        next += 1;
        store::put_project(&mut tx, user, &project).await?;
        report.projects_added += 1;
        existing.push(project);
    }
    let saved = write_profile(
        &mut tx,
        user,
        &profile,
        "profile.imported",
        serde_json::json!({
            "source": source,
            "filled": report.filled,
            "skills_added": report.skills_added,
            "projects_added": report.projects_added,
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((saved, report))
}

/// Fills the profile from the active resume version (its fields with the user's
/// corrections): name, headline, contact, links, summary, skills.
pub async fn import_from_resume(
    db: &Db,
    user: UserId,
    now: Timestamp,
) -> Result<(ProfileRow, ImportReport), AppError> {
    let read = crate::matching::resume_version(db, user, None).await?;
    let basics = &read.resume.basics;
    let profile_url = |network: &str| {
        basics
            .profiles
            .iter()
            .find(|p| p.network.eq_ignore_ascii_case(network))
            .map(|p| p.url.clone())
            .unwrap_or_default()
    };
    let own = |v: &Option<String>| v.clone().unwrap_or_default();
    // Values a reader got wrong are left out rather than refused: the user can still type them.
    let keep_if = |value: String, ok: bool| if ok { value } else { String::new() };
    let email = own(&basics.email);
    let website = own(&basics.url);
    let website = if website.is_empty() || website.starts_with("http") {
        website
    } else {
        format!("https://{website}")
    };
    let incoming = Incoming {
        profile: ProfileInput {
            full_name: own(&basics.name).chars().take(120).collect(),
            headline: own(&basics.label).chars().take(200).collect(),
            email: keep_if(email.clone(), EmailAddress::parse(&email).is_ok()),
            phone: own(&basics.phone).chars().take(40).collect(),
            location: own(&basics.location).chars().take(120).collect(),
            linkedin_url: profile_url("linkedin"),
            github_url: profile_url("github"),
            website_url: keep_if(website.clone(), url::Url::parse(&website).is_ok()),
            summary: own(&basics.summary).chars().take(5_000).collect(),
            // The words the resume named each skill with ("QuickBooks"), else the
            // vocabulary's name.
            skills: read
                .resume
                .skills
                .iter()
                .map(|s| {
                    pursuit_text::skills::taxonomy()
                        .find(&s.evidence)
                        .into_iter()
                        .find(|m| m.id == s.id)
                        .map(|m| m.matched.trim().to_owned())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| s.name.clone())
                })
                .filter(|s| !s.trim().is_empty() && s.chars().count() <= 80)
                .take(MAX_SKILLS)
                .collect(),
        },
        projects: Vec::new(),
    };
    import(db, user, incoming, "resume", now).await
}

fn string_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut at = value;
    for key in path {
        at = &at[*key];
    }
    at.as_str().unwrap_or("")
}

/// Fills the profile from a JSON Resume document (jsonresume.org schema 1.0): `basics`
/// (with `location` and `profiles`), `skills` (names and keywords) and `projects`.
pub async fn import_json_resume(
    db: &Db,
    user: UserId,
    document: &Value,
    now: Timestamp,
) -> Result<(ProfileRow, ImportReport), AppError> {
    if !document.is_object() {
        return Err(AppError::Invalid(vec![Invalid::new(
            "document",
            "must be a JSON Resume object (with basics, skills, projects…)",
        )]));
    }
    let basics = &document["basics"];
    let location = {
        let l = &basics["location"];
        let parts: Vec<&str> = ["city", "region", "countryCode"]
            .iter()
            .map(|k| l[*k].as_str().unwrap_or("").trim())
            .filter(|s| !s.is_empty())
            .collect();
        parts.join(", ")
    };
    let profiles = basics["profiles"].as_array().cloned().unwrap_or_default();
    let profile_url = |network: &str, base: &str| {
        profiles
            .iter()
            .find(|p| string_at(p, &["network"]).eq_ignore_ascii_case(network))
            .map(|p| {
                let url = string_at(p, &["url"]);
                let username = string_at(p, &["username"]);
                if !url.is_empty() {
                    url.to_owned()
                } else if !username.is_empty() {
                    format!("{base}{username}")
                } else {
                    String::new()
                }
            })
            .unwrap_or_default()
    };
    let mut skills = Vec::new();
    for skill in document["skills"].as_array().into_iter().flatten() {
        let name = string_at(skill, &["name"]);
        if !name.is_empty() {
            skills.push(name.to_owned());
        }
        for keyword in skill["keywords"].as_array().into_iter().flatten() {
            if let Some(k) = keyword.as_str().filter(|k| !k.trim().is_empty()) {
                skills.push(k.to_owned());
            }
        }
    }
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let projects = document["projects"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let optional = |key: &str| {
                let v = string_at(p, &[key]);
                (!v.is_empty()).then(|| v.to_owned())
            };
            ProjectInput {
                title: Some(string_at(p, &["name"]).to_owned()),
                description: Some(string_at(p, &["description"]).to_owned()),
                role: Some(
                    p["roles"]
                        .as_array()
                        .and_then(|r| r.first())
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                ),
                technologies: Some(strings(&p["keywords"])),
                url: Some(string_at(p, &["url"]).to_owned()),
                repo_url: None,
                start: Some(optional("startDate")),
                end: Some(optional("endDate")),
                highlights: Some(strings(&p["highlights"])),
                featured: None,
                position: None,
            }
        })
        .collect();
    let incoming = Incoming {
        profile: ProfileInput {
            full_name: string_at(basics, &["name"]).to_owned(),
            headline: string_at(basics, &["label"]).to_owned(),
            email: string_at(basics, &["email"]).to_owned(),
            phone: string_at(basics, &["phone"]).to_owned(),
            location,
            linkedin_url: profile_url("linkedin", "https://www.linkedin.com/in/"),
            github_url: profile_url("github", "https://github.com/"),
            website_url: string_at(basics, &["url"]).to_owned(),
            summary: string_at(basics, &["summary"]).to_owned(),
            skills: skills.into_iter().take(MAX_SKILLS).collect(),
        },
        projects,
    };
    import(db, user, incoming, "json_resume", now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_kept_to_the_month() {
        let mut invalid = Vec::new();
        assert_eq!(
            month("start", "2024", &mut invalid).as_deref(),
            Some("2024")
        );
        assert_eq!(
            month("start", "2024-03", &mut invalid).as_deref(),
            Some("2024-03")
        );
        assert_eq!(
            month("start", "2024-03-17", &mut invalid).as_deref(),
            Some("2024-03")
        );
        assert_eq!(month("start", " ", &mut invalid), None);
        assert!(invalid.is_empty());
        for bad in [
            "24",
            "2024-13",
            "2024-3",
            "March 2024",
            "1800",
            "2024-03-40",
            "2024-03-01-01",
        ] {
            let mut invalid = Vec::new();
            assert_eq!(month("start", bad, &mut invalid), None, "{bad}");
            assert_eq!(invalid.len(), 1, "{bad}");
        }
    }

    #[test]
    fn a_start_after_the_end_is_refused() {
        let now = Timestamp::UNIX_EPOCH;
        let input = |start: &str, end: &str| ProjectInput {
            title: Some("A".to_owned()),
            start: Some(Some(start.to_owned())),
            end: Some(Some(end.to_owned())),
            ..ProjectInput::default()
        };
        assert!(check_project(&input("2023-05", "2024-01"), blank_project(now), true).is_ok());
        assert!(check_project(&input("2024", "2024-01"), blank_project(now), true).is_ok());
        assert!(check_project(&input("2024-02", "2024-01"), blank_project(now), true).is_err());
        assert!(check_project(&input("2025", "2024-12"), blank_project(now), true).is_err());
    }
}
