//! Queries for the tracker's applications, their status history and tags. Every function
//! takes the owner's user id; another user's application behaves as a missing one.

use jiff::Timestamp;
use jiff::civil::Date;
use pursuit_domain::application::{
    ApplicationStatus, ChangedBy, LocationMode, Priority, SalaryRange,
};
use pursuit_domain::ids::{ApplicationId, UserId};
use uuid::Uuid;

use crate::Versioned;
use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, StringList, Value, placeholders};

/// Everything a user writes about an application (all but id, owner, version and times).
#[derive(Clone, Debug, PartialEq)]
pub struct ApplicationData {
    pub company: String,
    pub role_title: String,
    pub status: ApplicationStatus,
    pub source: String,
    pub application_date: Date,
    pub priority: Priority,
    /// `None`: not stated.
    pub location_mode: Option<LocationMode>,
    pub job_url: Option<String>,
    pub location_text: Option<String>,
    pub timezone: Option<String>,
    pub salary: SalaryRange,
    pub job_requisition_id: Option<String>,
    pub seniority_level: Option<String>,
    pub tech_keywords: Vec<String>,
    pub resume_url: Option<String>,
    pub cover_letter_url: Option<String>,
    pub cover_letter_used: Option<bool>,
    pub contacts_inline: Option<serde_json::Value>,
    pub next_action: Option<String>,
    pub next_action_due: Option<Timestamp>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub attachments_links: Vec<String>,
    pub archived_at: Option<Timestamp>,
}

impl ApplicationData {
    /// A new application with the tracker's defaults: `Applied`, source `Other`, no
    /// priority, work mode not stated, nothing else filled in. Callers override what they know.
    pub fn new(
        company: impl Into<String>,
        role_title: impl Into<String>,
        application_date: Date,
    ) -> ApplicationData {
        ApplicationData {
            company: company.into(),
            role_title: role_title.into(),
            status: ApplicationStatus::Applied,
            source: "Other".to_owned(),
            application_date,
            priority: Priority::None,
            location_mode: None,
            job_url: None,
            location_text: None,
            timezone: None,
            salary: SalaryRange::default(),
            job_requisition_id: None,
            seniority_level: None,
            tech_keywords: Vec::new(),
            resume_url: None,
            cover_letter_url: None,
            cover_letter_used: None,
            contacts_inline: None,
            next_action: None,
            next_action_due: None,
            notes: None,
            tags: Vec::new(),
            attachments_links: Vec::new(),
            archived_at: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    pub id: ApplicationId,
    pub user_id: UserId,
    pub data: ApplicationData,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, user_id, company, role_title, status, source, application_date, priority, location_mode, \
     job_url, location_text, timezone, salary_min, salary_max, salary_currency, job_requisition_id, seniority_level, \
     tech_keywords, resume_url, cover_letter_url, cover_letter_used, contacts_inline, next_action, next_action_due, \
     notes, attachments_links, archived_at, version, created_at, updated_at";

/// Brackets each tag in `applications.tag_list` (migration 20): tags cannot hold control
/// characters ([`pursuit_domain::application::parse_tag`]).
const TAG_SEPARATOR: char = '\u{1f}';

/// An application's tags as `applications.tag_list` keeps them: each between two
/// separators, in bytewise order; '' for none. The one place tags are stored (migration
/// 43): written by the statements that write the row, read by the tag filter, the text
/// search and [`tag_counts`].
fn tag_list(tags: &[String]) -> String {
    if tags.is_empty() {
        return String::new();
    }
    let mut list = String::from(TAG_SEPARATOR);
    for tag in tags {
        list.push_str(tag);
        list.push(TAG_SEPARATOR);
    }
    list
}

/// [`COLUMNS`] and the application's tags (`tags`), so that an application, or a page of
/// them, is one statement, one row each and no look-up per row.
const SELECT_COLUMNS: &str = "id, user_id, company, role_title, status, source, application_date, priority, location_mode, \
     job_url, location_text, timezone, salary_min, salary_max, salary_currency, job_requisition_id, seniority_level, \
     tech_keywords, resume_url, cover_letter_url, cover_letter_used, contacts_inline, next_action, next_action_due, \
     notes, attachments_links, archived_at, version, created_at, updated_at, tag_list AS tags";

fn corrupt(column: &str, message: impl ToString) -> StoreError {
    StoreError::Decode {
        column: column.to_owned(),
        message: message.to_string(),
    }
}

/// An application read with [`SELECT_COLUMNS`]: its tags from the `tags` aggregate.
fn from_row(row: Row) -> Result<Application, StoreError> {
    let list: String = row.get("tags")?;
    let tags = list
        .split(TAG_SEPARATOR)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect();
    decode(row, sorted(tags))
}

/// Tags as they are stored and read back: each once, in bytewise order.
fn sorted(mut tags: Vec<String>) -> Vec<String> {
    tags.sort();
    tags.dedup();
    tags
}

/// An application from a row of [`COLUMNS`] and its tags.
fn decode(row: Row, tags: Vec<String>) -> Result<Application, StoreError> {
    // Read in `SELECT_COLUMNS` order: the row finds each next column at its first try.
    Ok(Application {
        id: ApplicationId(row.get("id")?),
        user_id: UserId(row.get("user_id")?),
        data: ApplicationData {
            company: row.get("company")?,
            role_title: row.get("role_title")?,
            status: ApplicationStatus::parse(&row.get::<String>("status")?)
                .map_err(|e| corrupt("status", e))?,
            source: row.get("source")?,
            application_date: row.get("application_date")?,
            priority: Priority::parse(&row.get::<String>("priority")?)
                .map_err(|e| corrupt("priority", e))?,
            location_mode: row
                .get::<Option<String>>("location_mode")?
                .as_deref()
                .map(LocationMode::parse)
                .transpose()
                .map_err(|e| corrupt("location_mode", e))?,
            job_url: row.get("job_url")?,
            location_text: row.get("location_text")?,
            timezone: row.get("timezone")?,
            salary: SalaryRange {
                min: row.get("salary_min")?,
                max: row.get("salary_max")?,
                currency: row.get("salary_currency")?,
            },
            job_requisition_id: row.get("job_requisition_id")?,
            seniority_level: row.get("seniority_level")?,
            tech_keywords: row.get::<StringList>("tech_keywords")?.0,
            resume_url: row.get("resume_url")?,
            cover_letter_url: row.get("cover_letter_url")?,
            cover_letter_used: row.get("cover_letter_used")?,
            contacts_inline: row.get("contacts_inline")?,
            next_action: row.get("next_action")?,
            next_action_due: row.get("next_action_due")?,
            notes: row.get("notes")?,
            tags,
            attachments_links: row.get::<StringList>("attachments_links")?.0,
            archived_at: row.get("archived_at")?,
        },
        version: row.get("version")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Binds `$3 … $27`: the written fields in column order (after id and user id).
fn bind_data(mut q: Query, data: &ApplicationData) -> Query {
    q = q
        .bind(data.company.as_str())
        .bind(data.role_title.as_str())
        .bind(data.status.as_str())
        .bind(data.source.as_str())
        .bind(data.application_date)
        .bind(data.priority.as_str())
        .bind(data.location_mode.map(LocationMode::as_str))
        .bind(data.job_url.clone())
        .bind(data.location_text.clone())
        .bind(data.timezone.clone())
        .bind(data.salary.min)
        .bind(data.salary.max)
        .bind(data.salary.currency.clone())
        .bind(data.job_requisition_id.clone())
        .bind(data.seniority_level.clone())
        .bind(serde_json::json!(data.tech_keywords))
        .bind(data.resume_url.clone())
        .bind(data.cover_letter_url.clone())
        .bind(data.cover_letter_used)
        .bind(data.contacts_inline.clone())
        .bind(data.next_action.clone())
        .bind(data.next_action_due)
        .bind(data.notes.clone())
        .bind(serde_json::json!(data.attachments_links))
        .bind(data.archived_at);
    q
}

async fn append_history(
    conn: &mut impl Conn,
    user_id: UserId,
    id: ApplicationId,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    by: ChangedBy,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO application_status_history (id, user_id, application_id, from_status, to_status, changed_at, changed_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(id)
        .bind(from.map(|s| s.as_str()))
        .bind(to.as_str())
        .bind(now)
        .bind(by.as_str()),
    )
    .await?;
    Ok(())
}

/// Queues a new application (version 1, its tags in the row) with its first history entry,
/// to run with the transaction's next statement or its commit ([`Conn::defer`]: on SQLite
/// the write turn is held for one trip, not two); returns the application as it will be read
/// back. A failure (an id already in use) is the error of that next statement or commit.
pub async fn insert_application_deferred(
    mut conn: impl Conn,
    user_id: UserId,
    id: ApplicationId,
    data: &ApplicationData,
    by: ChangedBy,
    now: Timestamp,
) -> Result<Application, StoreError> {
    let now = crate::sql::as_stored(now);
    conn.defer(chunk_queries(user_id, &[(id, data)], by, now))
        .await?;
    Ok(Application {
        id,
        user_id,
        data: ApplicationData {
            tags: sorted(data.tags.clone()),
            next_action_due: data.next_action_due.map(crate::sql::as_stored),
            archived_at: data.archived_at.map(crate::sql::as_stored),
            ..data.clone()
        },
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// Whether an application (any user's) has this id: a client-chosen id is checked before
/// [`insert_application_deferred`], whose conflict would surface only at the commit.
pub async fn id_in_use(mut conn: impl Conn, id: ApplicationId) -> Result<bool, StoreError> {
    Ok(conn
        .fetch_optional(query("SELECT 1 AS one FROM applications WHERE id = $1").bind(id))
        .await?
        .is_some())
}

/// Creates applications (version 1) with their tags and first history entries, in a few
/// multi-row statements per 100 applications, sent at once (the import; a single new one
/// is [`insert_application_deferred`], written by the same statements). Run it in a
/// transaction.
pub async fn insert_applications(
    mut conn: impl Conn,
    user_id: UserId,
    new: &[(ApplicationId, &ApplicationData)],
    by: ChangedBy,
    now: Timestamp,
) -> Result<(), StoreError> {
    for chunk in new.chunks(100) {
        conn.fetch_all_each(chunk_queries(user_id, chunk, by, now))
            .await?;
    }
    Ok(())
}

/// The statements that store up to 100 new applications (their tags in the row) and their
/// first history entries.
fn chunk_queries(
    user_id: UserId,
    chunk: &[(ApplicationId, &ApplicationData)],
    by: ChangedBy,
    now: Timestamp,
) -> Vec<Query> {
    let mut tuples = Vec::with_capacity(chunk.len());
    let mut values: Vec<Value> = Vec::new();
    for (id, data) in chunk {
        let start = values.len();
        tuples.push(format!(
            "({}, 1, ${}, ${}, ${}, ${})",
            placeholders(start + 1, 27),
            start + 28,
            start + 28,
            start + 29,
            start + 30
        ));
        let one = bind_data(Query::dynamic(String::new()).bind(*id).bind(user_id), data)
            .bind(now)
            .bind(entered_column(now))
            .bind(tag_list(&sorted(data.tags.clone())));
        values.extend(one.into_args());
    }
    let mut q = Query::dynamic(format!(
        "INSERT INTO applications ({COLUMNS}, board_position, tag_list) VALUES {}",
        tuples.join(", ")
    ));
    for value in values {
        q = q.bind(value);
    }
    let mut queries = vec![q];

    let mut history = Query::dynamic(format!(
        "INSERT INTO application_status_history (id, user_id, application_id, from_status, to_status, changed_at, changed_by) VALUES {}",
        (0..chunk.len())
            .map(|i| format!("(${}, $1, ${}, NULL, ${}, $2, $3)", 3 * i + 4, 3 * i + 5, 3 * i + 6))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .bind(user_id)
    .bind(now)
    .bind(by.as_str());
    for (id, data) in chunk {
        history = history
            .bind(Uuid::now_v7())
            .bind(*id)
            .bind(data.status.as_str());
    }
    queries.push(history);
    queries
}

/// The user's applications as `(id, company, role title)`, newest first (choosers).
pub async fn list_brief(
    mut conn: impl Conn,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<(ApplicationId, String, String)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT id, company, role_title FROM applications WHERE user_id = $1 \
                 ORDER BY application_date DESC, id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit),
        )
        .await?;
    rows.iter().map(brief).collect()
}

/// `(id, company, role title)` of a row with those columns.
pub(crate) fn brief(r: &Row) -> Result<(ApplicationId, String, String), StoreError> {
    Ok((
        ApplicationId(r.get("id")?),
        r.get("company")?,
        r.get("role_title")?,
    ))
}

pub async fn get_application(
    mut conn: impl Conn,
    user_id: UserId,
    id: ApplicationId,
) -> Result<Option<Application>, StoreError> {
    let sql = format!("SELECT {SELECT_COLUMNS} FROM applications WHERE id = $1 AND user_id = $2");
    conn.fetch_optional(Query::dynamic(sql).bind(id).bind(user_id))
        .await?
        .map(from_row)
        .transpose()
}

/// Replaces the written fields of `current` (as the caller read it) with `data` if the row
/// is still at `current.version`; appends to the history when the status changes.
/// Concurrent writers cannot both win: the second sees a stale version, however long ago
/// `current` was read. When [`is_one_statement`] says so the change is one version-checked
/// `UPDATE`, atomic by itself; otherwise run it in a transaction.
pub async fn update_application(
    mut conn: impl Conn,
    user_id: UserId,
    current: &Application,
    data: &ApplicationData,
    by: ChangedBy,
    now: Timestamp,
) -> Result<Versioned<Application>, StoreError> {
    let (id, expected_version) = (current.id, current.version);
    let sql = format!(
        "UPDATE applications SET company = $3, role_title = $4, status = $5, source = $6, application_date = $7, \
         priority = $8, location_mode = $9, job_url = $10, location_text = $11, timezone = $12, salary_min = $13, \
         salary_max = $14, salary_currency = $15, job_requisition_id = $16, seniority_level = $17, tech_keywords = $18, \
         resume_url = $19, cover_letter_url = $20, cover_letter_used = $21, contacts_inline = $22, next_action = $23, \
         next_action_due = $24, notes = $25, attachments_links = $26, archived_at = $27, version = version + 1, \
         updated_at = $28, board_position = CASE WHEN status = $5 THEN board_position ELSE $30 END, \
         tag_list = $31 WHERE id = $1 AND user_id = $2 AND version = $29 RETURNING {COLUMNS}"
    );
    let tags = sorted(data.tags.clone());
    let Some(row) = conn
        .fetch_optional(
            bind_data(Query::dynamic(sql).bind(id).bind(user_id), data)
                .bind(now)
                .bind(expected_version)
                .bind(entered_column(now))
                .bind(tag_list(&tags)),
        )
        .await?
    else {
        let current = get_application(&mut conn, user_id, id).await?;
        return Ok(Versioned::stale_or_missing(current));
    };
    // The row as stored (timestamps at the database's precision, JSON as it keeps it).
    if current.data.status != data.status {
        append_history(
            &mut conn,
            user_id,
            id,
            Some(current.data.status),
            data.status,
            by,
            now,
        )
        .await?;
    }
    decode(row, tags).map(Versioned::Done)
}

/// Whether [`update_application`] writes `data` over `current` in one statement (no status
/// change: the tags are in the row), so that it needs no transaction of its own.
pub fn is_one_statement(current: &Application, data: &ApplicationData) -> bool {
    current.data.status == data.status
}

/// Deletes the application (with its history and tags) if still at `expected_version`.
pub async fn delete_application(
    mut conn: impl Conn,
    user_id: UserId,
    id: ApplicationId,
    expected_version: i64,
) -> Result<Versioned<(), Application>, StoreError> {
    if crate::delete_at_version(&mut conn, "applications", user_id, id, expected_version).await? {
        return Ok(Versioned::Done(()));
    }
    Ok(Versioned::stale_or_missing(
        get_application(conn, user_id, id).await?,
    ))
}

/// Filters of the list; all optional, combined with AND.
#[derive(Clone, Debug, Default)]
pub struct ApplicationFilter {
    /// Any of these statuses.
    pub statuses: Vec<ApplicationStatus>,
    pub priority: Option<Priority>,
    pub source: Option<String>,
    pub tag: Option<String>,
    /// Case-insensitive text in company, role or notes.
    pub q: Option<String>,
    /// `false` (default): only live applications; `true`: only archived ones.
    pub archived: bool,
    pub applied_from: Option<Date>,
    pub applied_to: Option<Date>,
    /// Only applications with something to do by this time: their next action, or an
    /// unsent, uncancelled reminder, due at or before it.
    pub due_before: Option<Timestamp>,
    /// Case-insensitive text in the company name.
    pub company: Option<String>,
    /// Case-insensitive text in the role title.
    pub role: Option<String>,
    /// Case-insensitive text in the location, or a location mode (`remote`, …).
    pub location: Option<String>,
    /// Salary bands overlapping `[salary_at_least, salary_at_most]`.
    pub salary_at_least: Option<i64>,
    pub salary_at_most: Option<i64>,
    /// Only applications with an unsent, uncancelled reminder due at or before this time.
    pub reminders_due_by: Option<Timestamp>,
    /// The order of the list (a saved view may carry one).
    pub sort: Sort,
}

/// What a list can be ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    CreatedAt,
    UpdatedAt,
    ApplicationDate,
    /// Case-insensitive (ASCII case on SQLite, Unicode on PostgreSQL).
    Company,
    /// Applications without a next action come last ascending, first descending.
    NextActionDue,
    /// High, Medium, Low, None.
    Priority,
    /// The board's order within a column: descending is top first.
    BoardPosition,
}

/// A list order: a key and a direction; ties are broken by id in the same direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Sort {
        Sort {
            key: SortKey::CreatedAt,
            descending: true,
        }
    }
}

const SORT_NAMES: [(SortKey, &str); 7] = [
    (SortKey::CreatedAt, "created_at"),
    (SortKey::UpdatedAt, "updated_at"),
    (SortKey::ApplicationDate, "application_date"),
    (SortKey::Company, "company"),
    (SortKey::NextActionDue, "next_action_due"),
    (SortKey::Priority, "priority"),
    (SortKey::BoardPosition, "board_position"),
];

impl Sort {
    /// `company` ascending, `-company` descending.
    pub fn parse(input: &str) -> Option<Sort> {
        let (descending, name) = match input.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, input),
        };
        SORT_NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(key, _)| Sort {
                key: *key,
                descending,
            })
    }

    pub fn name(self) -> String {
        let name = SORT_NAMES
            .iter()
            .find(|(k, _)| *k == self.key)
            .map_or("created_at", |(_, n)| n);
        if self.descending {
            format!("-{name}")
        } else {
            name.to_owned()
        }
    }

    pub fn all_names() -> Vec<&'static str> {
        SORT_NAMES.iter().map(|(_, n)| *n).collect()
    }

    /// The SQL expression ordered by; `far` is the placeholder of a far-future instant that
    /// stands in for a missing due date.
    fn expression(self, far: &str) -> String {
        match self.key {
            SortKey::CreatedAt => "created_at".to_owned(),
            SortKey::UpdatedAt => "updated_at".to_owned(),
            SortKey::ApplicationDate => "application_date".to_owned(),
            SortKey::Company => "lower(company)".to_owned(),
            SortKey::NextActionDue => format!("coalesce(next_action_due, {far})"),
            SortKey::Priority => "CAST(CASE priority WHEN 'High' THEN 3 WHEN 'Medium' THEN 2 \
                                  WHEN 'Low' THEN 1 ELSE 0 END AS BIGINT)"
                .to_owned(),
            SortKey::BoardPosition => "board_position".to_owned(),
        }
    }

    fn read(self, row: &Row) -> Result<SortValue, StoreError> {
        Ok(match self.key {
            SortKey::CreatedAt | SortKey::UpdatedAt | SortKey::NextActionDue => {
                SortValue::Instant(row.get("sort_value")?)
            }
            SortKey::ApplicationDate => SortValue::Date(row.get("sort_value")?),
            SortKey::Company => SortValue::Text(row.get("sort_value")?),
            SortKey::Priority | SortKey::BoardPosition => SortValue::Rank(row.get("sort_value")?),
        })
    }
}

/// The value a row had under its list's sort, as the database computed it: with the row's
/// id, where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortValue {
    Instant(Timestamp),
    Date(Date),
    Text(String),
    Rank(i64),
}

impl SortValue {
    /// Whether this value is of the kind `sort` orders by (a cursor of another sort is not).
    pub fn fits(&self, sort: Sort) -> bool {
        matches!(
            (self, sort.key),
            (
                SortValue::Instant(_),
                SortKey::CreatedAt | SortKey::UpdatedAt | SortKey::NextActionDue
            ) | (SortValue::Date(_), SortKey::ApplicationDate)
                | (SortValue::Text(_), SortKey::Company)
                | (
                    SortValue::Rank(_),
                    SortKey::Priority | SortKey::BoardPosition
                )
        )
    }

    fn bind(&self) -> Value {
        match self {
            SortValue::Instant(t) => (*t).into(),
            SortValue::Date(d) => (*d).into(),
            SortValue::Text(s) => s.as_str().into(),
            SortValue::Rank(n) => (*n).into(),
        }
    }
}

/// `%text%` for a case-insensitive LIKE, with LIKE's wildcards escaped.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The user's applications in `filter.sort` order, after the `(sort value, id)` of the
/// previous page's last row; each with its sort value.
pub async fn list_applications(
    mut conn: impl Conn,
    user_id: UserId,
    filter: &ApplicationFilter,
    after: Option<(SortValue, ApplicationId)>,
    limit: i64,
) -> Result<Vec<(Application, SortValue)>, StoreError> {
    let mut conditions = vec!["user_id = $1".to_owned()];
    let mut values: Vec<Value> = vec![user_id.into()];
    let next = |value: Value, values: &mut Vec<Value>| {
        values.push(value);
        format!("${}", values.len())
    };
    if !filter.statuses.is_empty() {
        let list: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| next(s.as_str().into(), &mut values))
            .collect();
        conditions.push(format!("status IN ({})", list.join(", ")));
    }
    if let Some(priority) = filter.priority {
        conditions.push(format!(
            "priority = {}",
            next(priority.as_str().into(), &mut values)
        ));
    }
    if let Some(source) = &filter.source {
        conditions.push(format!(
            "source = {}",
            next(source.as_str().into(), &mut values)
        ));
    }
    if let Some(tag) = &filter.tag {
        // The row's `tag_list` holds the bracketed tag. `instr` is case-sensitive on both
        // backends (migration 42 gives PostgreSQL one); SQLite's LIKE would ignore ASCII
        // case. On SQLite the list's index holds `tag_list`, so rows of other tags are
        // passed over without being read.
        let p = next(tag_list(std::slice::from_ref(tag)).into(), &mut values);
        conditions.push(format!("instr(tag_list, {p}) > 0"));
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = next(like_pattern(text).into(), &mut values);
        // Within one tag of the list: text holding the separator is in no tag.
        let in_tags = if text.contains(TAG_SEPARATOR) {
            String::new()
        } else {
            format!(" OR lower(tag_list) LIKE {p} ESCAPE '\\'")
        };
        conditions.push(format!(
            "(lower(company) LIKE {p} ESCAPE '\\' OR lower(role_title) LIKE {p} ESCAPE '\\' OR lower(coalesce(notes, '')) LIKE {p} ESCAPE '\\'{in_tags})"
        ));
    }
    for (column, text) in [("company", &filter.company), ("role_title", &filter.role)] {
        if let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let p = next(like_pattern(text).into(), &mut values);
            conditions.push(format!("lower({column}) LIKE {p} ESCAPE '\\'"));
        }
    }
    if let Some(text) = filter
        .location
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let mode = next(text.to_lowercase().into(), &mut values);
        let p = next(like_pattern(text).into(), &mut values);
        conditions.push(format!(
            "(location_mode = {mode} OR lower(coalesce(location_text, '')) LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(low) = filter.salary_at_least {
        // The band reaches the asked minimum: its top (or, without one, its bottom).
        conditions.push(format!(
            "coalesce(salary_max, salary_min) >= {}",
            next(low.into(), &mut values)
        ));
    }
    if let Some(high) = filter.salary_at_most {
        conditions.push(format!(
            "coalesce(salary_min, salary_max) <= {}",
            next(high.into(), &mut values)
        ));
    }
    // An unsent, uncancelled reminder of the application due at or before `t`.
    let reminder_due = |t: &str, unsent: &str| {
        format!(
            "EXISTS (SELECT 1 FROM reminders r WHERE r.application_id = applications.id AND r.user_id = $1 \
             AND r.sent = {unsent} AND r.canceled_at IS NULL AND r.due_at <= {t})"
        )
    };
    if let Some(by) = filter.reminders_due_by {
        let t = next(by.into(), &mut values);
        let unsent = next(false.into(), &mut values);
        conditions.push(reminder_due(&t, &unsent));
    }
    conditions.push(if filter.archived {
        "archived_at IS NOT NULL".to_owned()
    } else {
        "archived_at IS NULL".to_owned()
    });
    if let Some(from) = filter.applied_from {
        conditions.push(format!(
            "application_date >= {}",
            next(from.into(), &mut values)
        ));
    }
    if let Some(to) = filter.applied_to {
        conditions.push(format!(
            "application_date <= {}",
            next(to.into(), &mut values)
        ));
    }
    if let Some(due) = filter.due_before {
        let t = next(due.into(), &mut values);
        let unsent = next(false.into(), &mut values);
        conditions.push(format!(
            "(next_action_due <= {t} OR {})",
            reminder_due(&t, &unsent)
        ));
    }
    let sort = filter.sort;
    let far = if sort.key == SortKey::NextActionDue {
        // Far beyond any real due date, and well inside what both backends store.
        let far = Timestamp::from_second(200_000_000_000).unwrap_or(Timestamp::MAX);
        next(far.into(), &mut values)
    } else {
        String::new()
    };
    let expression = sort.expression(&far);
    let (beyond, direction) = if sort.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some((value, id)) = after {
        let v = next(value.bind(), &mut values);
        let i = next(id.into(), &mut values);
        conditions.push(format!(
            "({expression} {beyond} {v} OR ({expression} = {v} AND id {beyond} {i}))"
        ));
    }
    let l = next(limit.into(), &mut values);
    let sql = format!(
        "SELECT {SELECT_COLUMNS}, {expression} AS sort_value FROM applications WHERE {} \
         ORDER BY sort_value {direction}, id {direction} LIMIT {l}",
        conditions.join(" AND ")
    );
    let mut q = Query::dynamic(sql);
    for value in values {
        q = q.bind(value);
    }
    conn.fetch_all(q)
        .await?
        .into_iter()
        .map(|row| {
            let value = sort.read(&row)?;
            Ok((from_row(row)?, value))
        })
        .collect()
}

/// The board: for each status, how many live applications it holds, and the top
/// `per_column` of them in the column's order (`expanded`: one column with its own limit).
pub async fn board(
    mut conn: impl Conn,
    user_id: UserId,
    per_column: i64,
    expanded: Option<(ApplicationStatus, i64)>,
) -> Result<(Vec<Application>, Vec<(ApplicationStatus, i64)>), StoreError> {
    let counts = conn
        .fetch_all(
            query(
                "SELECT status, count(*) AS n FROM applications WHERE user_id = $1 AND archived_at IS NULL \
                 GROUP BY status",
            )
            .bind(user_id),
        )
        .await?
        .iter()
        .map(|row| {
            let status: String = row.get("status")?;
            Ok((
                ApplicationStatus::parse(&status).map_err(|e| corrupt("status", e))?,
                row.get("n")?,
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // One statement of one LIMIT-ed subquery per status that holds cards, each walking the
    // (user, status, board_position) index from its top: the cost follows the cards shown,
    // not the applications a column holds.
    let shown: Vec<ApplicationStatus> = counts.iter().map(|(status, _)| *status).collect();
    if shown.is_empty() {
        return Ok((Vec::new(), counts));
    }
    let parts: Vec<String> = (0..shown.len())
        .map(|i| {
            format!(
                "SELECT * FROM (SELECT {SELECT_COLUMNS}, board_position FROM applications WHERE user_id = $1 \
                 AND status = ${} AND archived_at IS NULL ORDER BY board_position DESC, id DESC LIMIT {}) part{i}",
                i + 2,
                match expanded {
                    Some((status, limit)) if status == shown[i] => limit,
                    _ => per_column,
                }
            )
        })
        .collect();
    let mut statement = Query::dynamic(format!(
        "SELECT * FROM ({}) board ORDER BY status, board_position DESC, id DESC",
        parts.join(" UNION ALL ")
    ))
    .bind(user_id);
    for status in &shown {
        statement = statement.bind(status.as_str());
    }
    let applications = conn
        .fetch_all(statement)
        .await?
        .into_iter()
        .map(from_row)
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((applications, counts))
}

/// The position a card gets when it enters a column (created, or moved from another): the
/// time in microseconds, so the newest arrival is on top.
fn entered_column(now: Timestamp) -> i64 {
    now.as_microsecond()
}

/// Where a card is on the board: its column and its place in it (higher is nearer the top;
/// equal positions are ordered by id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub id: ApplicationId,
    pub status: ApplicationStatus,
    pub position: i64,
    pub archived: bool,
}

fn slot_from_row(row: &Row) -> Result<Slot, StoreError> {
    let status: String = row.get("status")?;
    let archived_at: Option<Timestamp> = row.get("archived_at")?;
    Ok(Slot {
        id: ApplicationId(row.get("id")?),
        status: ApplicationStatus::parse(&status).map_err(|e| corrupt("status", e))?,
        position: row.get("board_position")?,
        archived: archived_at.is_some(),
    })
}

/// The board slot of one of the user's applications.
pub async fn board_slot(
    mut conn: impl Conn,
    user_id: UserId,
    id: ApplicationId,
) -> Result<Option<Slot>, StoreError> {
    conn.fetch_optional(
        query(
            "SELECT id, status, board_position, archived_at FROM applications WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id),
    )
    .await?
    .map(|row| slot_from_row(&row))
    .transpose()
}

/// Which way [`next_card`] looks from a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Above,
    Below,
}

/// The live card next to `from` in its column, looking `direction`, leaving out `except`
/// (the card being moved). With `from` absent: the column's top card (looking below) or its
/// bottom card (looking above).
pub async fn next_card(
    mut conn: impl Conn,
    user_id: UserId,
    status: ApplicationStatus,
    from: Option<Slot>,
    direction: Direction,
    except: ApplicationId,
) -> Result<Option<Slot>, StoreError> {
    let (compare, order) = match direction {
        Direction::Above => (">", "ASC"),
        Direction::Below => ("<", "DESC"),
    };
    let bound = if from.is_some() {
        format!("AND (board_position, id) {compare} ($4, $5) ")
    } else {
        String::new()
    };
    let mut statement = Query::dynamic(format!(
        "SELECT id, status, board_position, archived_at FROM applications \
         WHERE user_id = $1 AND status = $2 AND archived_at IS NULL AND id <> $3 {bound}\
         ORDER BY board_position {order}, id {order} LIMIT 1"
    ))
    .bind(user_id)
    .bind(status.as_str())
    .bind(except);
    if let Some(from) = from {
        statement = statement.bind(from.position).bind(from.id);
    }
    conn.fetch_optional(statement)
        .await?
        .map(|row| slot_from_row(&row))
        .transpose()
}

/// Puts a card at `position` in its column. The order is the board's layout, not the
/// application's content: neither its version nor its `updated_at` changes.
pub async fn set_board_position(
    mut conn: impl Conn,
    user_id: UserId,
    id: ApplicationId,
    position: i64,
) -> Result<(), StoreError> {
    conn.execute(
        query("UPDATE applications SET board_position = $3 WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .bind(position),
    )
    .await?;
    Ok(())
}

/// Spreads a column's live cards `gap` apart below `top`, keeping their order, when two
/// neighbours have no room left between them. One statement.
pub async fn renumber_column(
    mut conn: impl Conn,
    user_id: UserId,
    status: ApplicationStatus,
    top: i64,
    gap: i64,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "UPDATE applications SET board_position = $3 - ranked.n * $4 \
             FROM (SELECT id, row_number() OVER (ORDER BY board_position DESC, id DESC) AS n FROM applications \
                   WHERE user_id = $1 AND status = $2 AND archived_at IS NULL) AS ranked \
             WHERE applications.id = ranked.id AND applications.user_id = $1",
        )
        .bind(user_id)
        .bind(status.as_str())
        .bind(top)
        .bind(gap),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub application_id: ApplicationId,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub at: Timestamp,
    pub by: ChangedBy,
}

/// The status changes of one application, or with `None` of all the user's (an export),
/// oldest first.
pub async fn status_history(
    mut conn: impl Conn,
    user_id: UserId,
    application: Option<ApplicationId>,
) -> Result<Vec<StatusChange>, StoreError> {
    let one = if application.is_some() {
        "AND application_id = $2"
    } else {
        ""
    };
    let mut q = Query::dynamic(format!(
        "SELECT application_id, from_status, to_status, changed_at, changed_by \
         FROM application_status_history WHERE user_id = $1 {one} ORDER BY changed_at, id"
    ))
    .bind(user_id);
    if let Some(id) = application {
        q = q.bind(id);
    }
    let rows = conn.fetch_all(q).await?;
    rows.iter()
        .map(|row| {
            let from: Option<String> = row.get("from_status")?;
            let to: String = row.get("to_status")?;
            let by: String = row.get("changed_by")?;
            Ok(StatusChange {
                application_id: ApplicationId(row.get("application_id")?),
                from: from
                    .map(|f| ApplicationStatus::parse(&f))
                    .transpose()
                    .map_err(|e| corrupt("from_status", e))?,
                to: ApplicationStatus::parse(&to).map_err(|e| corrupt("to_status", e))?,
                at: row.get("changed_at")?,
                by: ChangedBy::parse(&by).map_err(|e| corrupt("changed_by", e))?,
            })
        })
        .collect()
}

/// The user's tags with how many applications carry each, most used first.
pub async fn tag_counts(
    mut conn: impl Conn,
    user_id: UserId,
) -> Result<Vec<(String, i64)>, StoreError> {
    // On SQLite the list's index holds `tag_list`: the rows themselves are not read.
    let rows = conn
        .fetch_all(
            query("SELECT tag_list FROM applications WHERE user_id = $1 AND tag_list <> ''")
                .bind(user_id),
        )
        .await?;
    let mut counts: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for row in &rows {
        let list: String = row.get("tag_list")?;
        for tag in list.split(TAG_SEPARATOR).filter(|t| !t.is_empty()) {
            match counts.get_mut(tag) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(tag.to_owned(), 1);
                }
            }
        }
    }
    let mut counts: Vec<(String, i64)> = counts.into_iter().collect();
    // Most used first, then in bytewise order (the same on both backends).
    counts.sort_by(|(a, m), (b, n)| n.cmp(m).then_with(|| a.cmp(b)));
    Ok(counts)
}

/// Fresh planner statistics for the tracker's tables, after a bulk write (an import).
pub async fn refresh_statistics(db: &crate::Db) -> Result<(), StoreError> {
    db.analyze(&["applications", "application_status_history"])
        .await
}
