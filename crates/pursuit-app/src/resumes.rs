//! Resume versions: the `resume.parse` job that reads a version's original (the worker runs
//! it), and recording what a read found — Pursuit's reader or an outside workflow's, in one
//! shape.

use jiff::Timestamp;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{ResumeVersionId, UserId};
use pursuit_files::Hidden;
use pursuit_files::storage::Kind;
use pursuit_store::embeddings::Source;
use pursuit_store::jobs::JobSpec;
use pursuit_store::resumes::{self, ParseOutcome, Version};
use pursuit_store::{Db, StoreError};
use pursuit_text::resume::Resume;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid};

/// `resume.parse`: read one version's original (file or pasted text) and record the parse.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ParseResume {
    pub user_id: uuid::Uuid,
    pub version_id: uuid::Uuid,
}

impl JobSpec for ParseResume {
    const KIND: &'static str = "resume.parse";
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i64 = 5;
}

/// What a read found that a human reader would not see, and how complete it was: one shape
/// whoever read the version (stored as the version's `hidden`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HiddenReport {
    /// Stretches of text hidden from a human reader (white, tiny, off-page, vanished).
    #[serde(default)]
    pub text: Vec<Hidden>,
    /// Lines that address an AI screener instead of a human.
    #[serde(default)]
    pub injections: Vec<String>,
    /// The reader's text limit cut the text short.
    #[serde(default)]
    pub truncated: bool,
    /// PDF pages the reader failed on.
    #[serde(default)]
    pub unreadable_pages: Vec<u32>,
}

impl HiddenReport {
    /// The report stored on a version (`{}` and older shapes read as empty).
    pub fn of(stored: &serde_json::Value) -> HiddenReport {
        serde_json::from_value(stored.clone()).unwrap_or_default()
    }

    /// Anything a human reviewer should look at.
    pub fn flagged(&self) -> bool {
        !self.text.is_empty() || !self.injections.is_empty()
    }
}

/// What reading a resume version came to.
#[derive(Clone, Debug)]
pub enum ReadOutcome {
    Complete {
        resume: Box<Resume>,
        /// The text it was read from (`None`: keep the stored text).
        text: Option<String>,
        hidden: HiddenReport,
    },
    Failed(String),
}

/// Records a read on one of the user's versions; a complete read of a version is embedded
/// for similarity search when `embed`. Returns the status recorded ([`StoreError::NotFound`]
/// when the version is gone).
pub async fn record_read(
    db: &Db,
    user: UserId,
    id: ResumeVersionId,
    outcome: ReadOutcome,
    embed: bool,
    now: Timestamp,
) -> Result<ParseStatus, StoreError> {
    let outcome = match outcome {
        ReadOutcome::Complete {
            resume,
            text,
            mut hidden,
        } => {
            hidden.injections.clone_from(&resume.injections);
            ParseOutcome {
                status: ParseStatus::Complete,
                error: None,
                lang: resume.lang.clone(),
                parsed: Some(
                    serde_json::to_value(&*resume).map_err(|e| StoreError::Decode {
                        column: "parsed".to_owned(),
                        message: e.to_string(),
                    })?,
                ),
                raw_text: text,
                hidden: serde_json::to_value(&hidden).unwrap_or_default(),
            }
        }
        ReadOutcome::Failed(reason) => ParseOutcome {
            status: ParseStatus::Failed,
            error: Some(reason),
            parsed: None,
            raw_text: None,
            hidden: serde_json::to_value(HiddenReport::default()).unwrap_or_default(),
            lang: None,
        },
    };
    let mut tx = db.begin().await?;
    if !resumes::record_parse(&mut tx, user, id, &outcome, now).await? {
        return Err(StoreError::NotFound);
    }
    if outcome.status == ParseStatus::Complete && embed {
        crate::embeddings::enqueue(&mut tx, user, Source::ResumeVersion(id), now).await?;
    }
    tx.commit().await?;
    Ok(outcome.status)
}

/// `parsed` with `corrections` laid over it: `basics` key by key, every other field whole.
pub fn merged(parsed: Option<&Value>, corrections: &Value) -> Option<Value> {
    let mut fields = parsed.cloned()?;
    let (Some(fields_map), Some(corrections)) = (fields.as_object_mut(), corrections.as_object())
    else {
        return Some(fields);
    };
    for (key, value) in corrections {
        match (fields_map.get_mut(key), value) {
            (Some(Value::Object(target)), Value::Object(changes)) => {
                for (k, v) in changes {
                    target.insert(k.clone(), v.clone());
                }
            }
            _ => {
                fields_map.insert(key.clone(), value.clone());
            }
        }
    }
    Some(fields)
}

/// The fields a correction may set, and inside `basics`, its keys.
const TOP_FIELDS: &[&str] = &[
    "basics",
    "work",
    "education",
    "certificates",
    "languages",
    "skills",
    "accomplishments",
    "total_years",
];
const BASICS_FIELDS: &[&str] = &[
    "name", "label", "email", "phone", "url", "location", "summary", "profiles",
];

/// Lays `patch` (RFC 7386 at two levels: `basics` key by key, every other field whole) over
/// one of the user's versions' corrections; the corrected whole must still read as a
/// resume. The parse is never touched, so reading the version again keeps the corrections.
pub async fn correct(
    db: &Db,
    user: UserId,
    id: ResumeVersionId,
    patch: &Value,
    now: Timestamp,
) -> Result<Version, AppError> {
    let version = resumes::get_version(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let corrections = apply_patch(&version.corrections, patch)?;
    // The corrected whole must still be a resume: catch wrong shapes now, not at export.
    let base = version
        .parsed
        .clone()
        .unwrap_or_else(|| Value::Object(Map::new()));
    if let Some(fields) = merged(Some(&base), &corrections) {
        serde_json::from_value::<Resume>(fields)
            .map_err(|e| invalid("", format!("the corrected resume is not valid: {e}")))?;
    }
    if !resumes::set_corrections(db, user, version.id, &corrections, now).await? {
        return Err(AppError::NotFound);
    }
    resumes::get_version(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A 422 naming one field (a JSON pointer: `""` is the whole input).
fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![Invalid {
        field: field.into(),
        message: message.into(),
    }])
}

/// Merges `patch` into `corrections` (RFC 7386 at two levels), checking field names.
fn apply_patch(corrections: &Value, patch: &Value) -> Result<Value, AppError> {
    let Some(patch) = patch.as_object() else {
        return Err(invalid("", "must be a JSON object of fields"));
    };
    let mut out = corrections.as_object().cloned().unwrap_or_default();
    for (key, value) in patch {
        if !TOP_FIELDS.contains(&key.as_str()) {
            return Err(invalid(
                format!("/{key}"),
                format!(
                    "is not a resume field; fields are {}",
                    TOP_FIELDS.join(", ")
                ),
            ));
        }
        match (key.as_str(), value) {
            (_, Value::Null) => {
                out.remove(key);
            }
            ("basics", Value::Object(changes)) => {
                let mut basics = out
                    .get("basics")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                for (k, v) in changes {
                    if !BASICS_FIELDS.contains(&k.as_str()) {
                        return Err(invalid(
                            format!("/basics/{k}"),
                            format!(
                                "is not a basics field; fields are {}",
                                BASICS_FIELDS.join(", ")
                            ),
                        ));
                    }
                    if v.is_null() {
                        basics.remove(k);
                    } else {
                        basics.insert(k.clone(), v.clone());
                    }
                }
                if basics.is_empty() {
                    out.remove("basics");
                } else {
                    out.insert("basics".into(), Value::Object(basics));
                }
            }
            ("basics", _) => {
                return Err(invalid("/basics", "must be an object"));
            }
            ("skills", Value::Array(items)) => {
                out.insert("skills".into(), Value::Array(skills_given(items)?));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Value::Object(out))
}

/// Skills as the user gives them: names (strings) or `{name}` objects, each matched to the
/// taxonomy when it knows the name.
fn skills_given(items: &[Value]) -> Result<Vec<Value>, AppError> {
    let taxonomy = pursuit_text::skills::taxonomy();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item
                .as_str()
                .or_else(|| item.get("name").and_then(Value::as_str))
                .map(str::trim)
                .filter(|n| !n.is_empty() && n.len() <= 100)
                .ok_or_else(|| {
                    invalid(format!("/skills/{i}"), "must be a skill name")
                })?;
            let known = taxonomy.lookup(name);
            Ok(serde_json::json!({
                "id": known.map_or_else(|| format!("user:{}", name.to_lowercase()), |s| s.id.to_owned()),
                "name": known.map_or(name, |s| s.name),
                "evidence": "added by you",
            }))
        })
        .collect()
}

/// What came in: a file (kept in file storage) or text (kept in the database).
pub enum Original {
    File {
        name: Option<String>,
        bytes: bytes::Bytes,
    },
    Text(String),
}

/// The title of a user's first resume when none is given.
pub const DEFAULT_TITLE: &str = "My resume";

/// Adds a resume version: stores the original (a file in `files`), then in one transaction
/// the resume (made on first use, titled `title`), the version (`pending`), its parse job,
/// and the version made active. A failed transaction removes the stored file again.
pub async fn add_version(
    db: &Db,
    files: Option<&pursuit_files::Storage>,
    user: UserId,
    original: Original,
    format: pursuit_files::Format,
    title: Option<String>,
    now: Timestamp,
) -> Result<Version, AppError> {
    let id = ResumeVersionId::new();
    let (source, file_name, byte_size, raw_text) = match &original {
        Original::File { name, bytes } => ("upload", name.clone(), bytes.len(), None),
        Original::Text(text) => ("text", None, text.len(), Some(text.clone())),
    };
    if let Original::File { bytes, .. } = original {
        files
            .ok_or(AppError::NotConfigured("file storage"))?
            .put(user, Kind::ResumeOriginal, id, bytes)
            .await
            .map_err(|e| AppError::Unavailable(Box::new(e)))?;
    }
    let written = async {
        let mut tx = db.begin().await?;
        let resume = resumes::resume_for(
            &mut tx,
            user,
            title.as_deref().unwrap_or(DEFAULT_TITLE),
            now,
        )
        .await?;
        let version_no = resumes::next_version_no(&mut tx, resume.id, now).await?;
        let task = enqueue_parse(&mut tx, user, id, now).await?;
        let version = Version {
            id,
            resume_id: resume.id,
            version_no,
            label: None,
            source: source.to_owned(),
            format: format.as_str().to_owned(),
            file_name,
            byte_size: i64::try_from(byte_size).unwrap_or(i64::MAX),
            raw_text,
            parse_status: ParseStatus::Pending,
            parse_error: None,
            parsed: None,
            corrections: Value::Object(Map::new()),
            hidden: Value::Object(Map::new()),
            lang: None,
            task_id: Some(task),
            created_at: now,
            updated_at: now,
        };
        resumes::insert_version(&mut tx, user, &version).await?;
        resumes::activate(&mut tx, user, id, now).await?;
        tx.commit().await?;
        Ok::<_, StoreError>(version)
    }
    .await;
    match written {
        Ok(version) => Ok(version),
        Err(error) => {
            if source == "upload"
                && let Some(files) = files
            {
                let _ = files.delete(user, Kind::ResumeOriginal, id).await;
            }
            Err(error.into())
        }
    }
}

/// Reads one of the user's versions again (after the reader improved, or after a failure):
/// `pending` with a new parse job. Corrections stay.
pub async fn read_again(
    db: &Db,
    user: UserId,
    id: ResumeVersionId,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let task = enqueue_parse(&mut tx, user, id, now).await?;
    if !resumes::mark_pending(&mut tx, user, id, task, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

async fn enqueue_parse(
    conn: impl pursuit_store::Conn,
    user: UserId,
    id: ResumeVersionId,
    now: Timestamp,
) -> Result<pursuit_domain::ids::JobId, StoreError> {
    let enqueued = pursuit_store::jobs::enqueue(
        conn,
        &ParseResume {
            user_id: user.0,
            version_id: id.0,
        },
        // No dedupe key: a "read again" that arrives while the previous parse is still
        // running (it may have read already) must get a parse of its own, or the version
        // would stay pending with nothing left to read it. Two quick requests read twice;
        // both write the same fields.
        &pursuit_store::jobs::EnqueueOptions {
            user_id: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(enqueued.id)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn corrections_lay_over_the_parse() {
        let parsed =
            json!({"basics": {"name": "Jane", "email": "old@x.org"}, "work": [{"name": "A"}]});
        let corrections =
            apply_patch(&json!({}), &json!({"basics": {"email": "jane@x.org"}})).unwrap();
        let fields = merged(Some(&parsed), &corrections).unwrap();
        assert_eq!(fields["basics"]["name"], "Jane");
        assert_eq!(fields["basics"]["email"], "jane@x.org");
        assert_eq!(fields["work"][0]["name"], "A");
        // null drops the correction: the parse shows again.
        let dropped = apply_patch(&corrections, &json!({"basics": {"email": null}})).unwrap();
        assert_eq!(dropped, json!({}));
        assert!(apply_patch(&json!({}), &json!({"nmae": 1})).is_err());
        assert!(apply_patch(&json!({}), &json!({"basics": {"emial": "x"}})).is_err());
        assert!(apply_patch(&json!({}), &json!([1])).is_err());
    }

    #[test]
    fn skills_given_by_name_are_matched() {
        let skills = skills_given(&[
            json!("golang"),
            json!({"name": "Underwater basket weaving"}),
        ])
        .unwrap();
        assert_eq!(skills[0]["name"], "Go");
        assert!(skills[1]["id"].as_str().unwrap().starts_with("user:"));
        assert!(skills_given(&[json!(3)]).is_err());
    }
}

/// The longest name a version may have.
pub const MAX_LABEL: usize = 80;

/// Names one of the user's versions; an empty name removes it. A name is trimmed, at most
/// [`MAX_LABEL`] characters, without control characters (refused on `/label`).
pub async fn rename_version(
    db: &Db,
    user: UserId,
    id: ResumeVersionId,
    label: &str,
    now: Timestamp,
) -> Result<Version, AppError> {
    let label = label.trim();
    if label.chars().count() > MAX_LABEL || label.chars().any(char::is_control) {
        return Err(invalid(
            "/label",
            format!("a name is at most {MAX_LABEL} characters, without control characters"),
        ));
    }
    let label = (!label.is_empty()).then_some(label);
    if !resumes::set_label(db, user, id, label, now).await? {
        return Err(AppError::NotFound);
    }
    resumes::get_version(db, user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Deletes one of the user's versions and its stored original; when it was the active
/// version, the newest remaining one becomes active. The row goes in one transaction; the
/// file afterwards (a file left behind costs space, not data).
pub async fn delete_version(
    db: &Db,
    files: Option<&pursuit_files::Storage>,
    user: UserId,
    id: ResumeVersionId,
    now: Timestamp,
) -> Result<(), AppError> {
    let version = resumes::get_version(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if !resumes::delete_version(&mut tx, user, id, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    if version.source == "upload"
        && let Some(files) = files
        && let Err(error) = files.delete(user, Kind::ResumeOriginal, id).await
    {
        tracing::warn!(%error, version = %id.0, "the deleted version's file stays in storage");
    }
    Ok(())
}

/// One role as the resume page's rows hold it (every cell as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RoleRow {
    pub position: String,
    pub company: String,
    pub location: String,
    /// `2021-03` or `2021`.
    pub start: String,
    /// `2023-11`, `2023`, or `present`.
    pub end: String,
    /// One achievement per line.
    pub highlights: String,
}

/// One school as the resume page's rows hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SchoolRow {
    pub institution: String,
    pub study_type: String,
    pub area: String,
    pub end: String,
}

/// A resume date as typed: `YYYY-MM` or `YYYY` (a month 01–12, a year 1900–2100).
fn resume_date(text: &str) -> Option<String> {
    pursuit_text::dates::YearMonth::parse_iso(text)
        .filter(|d| (1900..=2100).contains(&d.year))
        .map(|d| d.iso())
}

fn optional(text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() {
        Value::Null
    } else {
        Value::String(text.to_owned())
    }
}

/// The page's role rows as the `work` correction: empty rows dropped, dates checked (each
/// refused cell as `/work/{row}/{field}`), "present" as a current role, highlights one per
/// line.
pub fn work_from_rows(rows: &[RoleRow]) -> Result<Value, Vec<Invalid>> {
    let mut errors = Vec::new();
    let mut work = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let cells = [
            &row.position,
            &row.company,
            &row.location,
            &row.start,
            &row.end,
            &row.highlights,
        ];
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let bad = |field: &str, message: &str| Invalid {
            field: format!("/work/{i}/{field}"),
            message: format!("role {}: {message}", i + 1),
        };
        if row.position.trim().is_empty() && row.company.trim().is_empty() {
            errors.push(bad("position", "give the role's title or its company"));
        }
        let start = row.start.trim();
        let start = if start.is_empty() {
            Value::Null
        } else if let Some(date) = resume_date(start) {
            Value::String(date)
        } else {
            errors.push(bad("start_date", "write the start as 2021-03 or 2021"));
            Value::Null
        };
        let end = row.end.trim();
        let current = ["present", "now", "current", "today"]
            .iter()
            .any(|w| end.eq_ignore_ascii_case(w));
        let end = if end.is_empty() || current {
            Value::Null
        } else if let Some(date) = resume_date(end) {
            Value::String(date)
        } else {
            errors.push(bad("end_date", "write the end as 2023-11, 2023 or present"));
            Value::Null
        };
        if let (Value::String(s), Value::String(e)) = (&start, &end)
            && e < s
        {
            errors.push(bad("end_date", "the role ends before it starts"));
        }
        let highlights: Vec<Value> = row
            .highlights
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '•', '*']).trim())
            .filter(|l| !l.is_empty())
            .map(|l| Value::String(l.to_owned()))
            .collect();
        work.push(serde_json::json!({
            "position": optional(&row.position),
            "name": optional(&row.company),
            "location": optional(&row.location),
            "start_date": start,
            "end_date": end,
            "current": current,
            "highlights": highlights,
        }));
    }
    if errors.is_empty() {
        Ok(Value::Array(work))
    } else {
        Err(errors)
    }
}

/// The page's school rows as the `education` correction (empty rows dropped; the end
/// date checked as `/education/{row}/end_date`).
pub fn education_from_rows(rows: &[SchoolRow]) -> Result<Value, Vec<Invalid>> {
    let mut errors = Vec::new();
    let mut schools = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if [&row.institution, &row.study_type, &row.area, &row.end]
            .iter()
            .all(|c| c.trim().is_empty())
        {
            continue;
        }
        let end = row.end.trim();
        let end = if end.is_empty() {
            Value::Null
        } else if let Some(date) = resume_date(end) {
            Value::String(date)
        } else {
            errors.push(Invalid {
                field: format!("/education/{i}/end_date"),
                message: format!("school {}: write the end as 2019-06 or 2019", i + 1),
            });
            Value::Null
        };
        schools.push(serde_json::json!({
            "institution": optional(&row.institution),
            "study_type": optional(&row.study_type),
            "area": optional(&row.area),
            "end_date": end,
        }));
    }
    if errors.is_empty() {
        Ok(Value::Array(schools))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod row_tests {
    use super::*;

    #[test]
    fn role_rows_become_work_with_checked_dates() {
        let rows = [
            RoleRow {
                position: "Data Analyst".into(),
                company: "Initech".into(),
                start: "2019-03".into(),
                end: "Present".into(),
                highlights: "- Built SQL reports\n\n• Cut costs".into(),
                ..RoleRow::default()
            },
            RoleRow::default(),
            RoleRow {
                position: "Intern".into(),
                start: "March 2018".into(),
                end: "2017".into(),
                ..RoleRow::default()
            },
        ];
        let errors = work_from_rows(&rows).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["/work/2/start_date"]);
        let work = work_from_rows(&rows[..2]).unwrap();
        assert_eq!(work[0]["current"], true);
        assert_eq!(work[0]["end_date"], Value::Null);
        assert_eq!(
            work[0]["highlights"],
            serde_json::json!(["Built SQL reports", "Cut costs"])
        );
        assert_eq!(
            work.as_array().unwrap().len(),
            1,
            "the empty row is dropped"
        );
        let backwards = work_from_rows(&[RoleRow {
            company: "Acme".into(),
            start: "2020-05".into(),
            end: "2019-01".into(),
            ..RoleRow::default()
        }])
        .unwrap_err();
        assert!(backwards[0].message.contains("ends before it starts"));
        assert!(resume_date("2021-13").is_none() && resume_date("21").is_none());
    }

    #[test]
    fn school_rows_become_education() {
        let ok = education_from_rows(&[SchoolRow {
            institution: "University of Porto".into(),
            study_type: "BSc".into(),
            area: "Computer Science".into(),
            end: "2019".into(),
        }])
        .unwrap();
        assert_eq!(ok[0]["end_date"], "2019");
        let bad = education_from_rows(&[SchoolRow {
            institution: "X".into(),
            end: "soon".into(),
            ..SchoolRow::default()
        }])
        .unwrap_err();
        assert_eq!(bad[0].field, "/education/0/end_date");
    }
}
