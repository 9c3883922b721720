//! Companies and the job postings a user added. Every function takes the owner.

use jiff::Timestamp;
use pursuit_domain::application::ParseStatus;
use pursuit_domain::ids::{ApplicationId, CompanyId, PostingId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
}

/// The user's company with this normalized name (`name_key`), made if it is new. Safe when
/// two requests make the same company at once: the unique key decides and both get one row.
pub async fn company_for(
    mut conn: impl Conn,
    user_id: UserId,
    name: &str,
    name_key: &str,
    now: Timestamp,
) -> Result<Company, StoreError> {
    conn.execute(
        query(
            "INSERT INTO companies (id, user_id, name, name_key, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, name_key) DO NOTHING",
        )
        .bind(CompanyId::new())
        .bind(user_id)
        .bind(name)
        .bind(name_key)
        .bind(now),
    )
    .await?;
    let row = conn
        .fetch_one(
            query("SELECT id, name FROM companies WHERE user_id = $1 AND name_key = $2")
                .bind(user_id)
                .bind(name_key),
        )
        .await?;
    Ok(Company {
        id: CompanyId(row.get("id")?),
        name: row.get("name")?,
    })
}

/// The user's postings of one company, newest first, at most `limit`.
pub async fn postings_of_company(
    mut conn: impl Conn,
    user_id: UserId,
    company: CompanyId,
    limit: i64,
) -> Result<Vec<Posting>, StoreError> {
    conn.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.user_id = $1 AND p.company_id = $2 \
             ORDER BY p.created_at DESC, p.id DESC LIMIT $3"
        ))
        .bind(user_id)
        .bind(company)
        .bind(limit),
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The newest posting saved as this application, if any.
pub async fn posting_of_application(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
) -> Result<Option<Posting>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.user_id = $1 AND p.application_id = $2 \
             ORDER BY p.created_at DESC, p.id DESC LIMIT 1"
        ))
        .bind(user_id)
        .bind(application),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

#[derive(Clone, Debug, PartialEq)]
pub struct Posting {
    pub id: PostingId,
    pub company: Option<Company>,
    pub application_id: Option<ApplicationId>,
    /// `text`, `url` or `callback`.
    pub source: String,
    pub url: Option<String>,
    pub raw_text: String,
    pub title: Option<String>,
    /// `pending`, `complete` or `failed`.
    pub parse_status: ParseStatus,
    pub parse_error: Option<String>,
    pub parsed: Option<serde_json::Value>,
    pub jd_lang: Option<String>,
    pub desired_output_lang: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "p.id, p.company_id, c.name AS company_name, p.application_id, p.source, p.url, p.raw_text, p.title, \
     p.parse_status, p.parse_error, p.parsed, p.jd_lang, p.desired_output_lang, p.created_at, p.updated_at";
const FROM: &str = "job_postings p LEFT JOIN companies c ON c.id = p.company_id";

fn from_row(row: &Row) -> Result<Posting, StoreError> {
    let company_id: Option<uuid::Uuid> = row.get("company_id")?;
    let company_name: Option<String> = row.get("company_name")?;
    let application_id: Option<uuid::Uuid> = row.get("application_id")?;
    Ok(Posting {
        id: PostingId(row.get("id")?),
        company: company_id.zip(company_name).map(|(id, name)| Company {
            id: CompanyId(id),
            name,
        }),
        application_id: application_id.map(ApplicationId),
        source: row.get("source")?,
        url: row.get("url")?,
        raw_text: row.get("raw_text")?,
        title: row.get("title")?,
        parse_status: row.get("parse_status")?,
        parse_error: row.get("parse_error")?,
        parsed: row.get("parsed")?,
        jd_lang: row.get("jd_lang")?,
        desired_output_lang: row.get("desired_output_lang")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub async fn insert_posting(
    mut conn: impl Conn,
    user_id: UserId,
    posting: &Posting,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO job_postings (id, user_id, company_id, application_id, source, url, raw_text, title, parse_status, \
             parse_error, parsed, jd_lang, desired_output_lang, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(posting.id)
        .bind(user_id)
        .bind(posting.company.as_ref().map(|c| c.id))
        .bind(posting.application_id)
        .bind(posting.source.as_str())
        .bind(posting.url.clone())
        .bind(posting.raw_text.as_str())
        .bind(posting.title.clone())
        .bind(posting.parse_status.as_str())
        .bind(posting.parse_error.clone())
        .bind(posting.parsed.clone())
        .bind(posting.jd_lang.clone())
        .bind(posting.desired_output_lang.as_str())
        .bind(posting.created_at)
        .bind(posting.updated_at),
    )
    .await?;
    Ok(())
}

/// Records a parse's outcome (from Pursuit's parser or an outside workflow's callback).
pub async fn record_parse(
    mut conn: impl Conn,
    user_id: UserId,
    posting: &Posting,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            query(
                "UPDATE job_postings SET title = $3, parse_status = $4, parse_error = $5, parsed = $6, jd_lang = $7, \
                 company_id = $8, raw_text = $9, updated_at = $10 WHERE id = $1 AND user_id = $2",
            )
            .bind(posting.id)
            .bind(user_id)
            .bind(posting.title.clone())
            .bind(posting.parse_status.as_str())
            .bind(posting.parse_error.clone())
            .bind(posting.parsed.clone())
            .bind(posting.jd_lang.clone())
            .bind(posting.company.as_ref().map(|c| c.id))
            .bind(posting.raw_text.as_str())
            .bind(posting.updated_at),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn get_posting(
    mut conn: impl Conn,
    user_id: UserId,
    id: PostingId,
) -> Result<Option<Posting>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.id = $1 AND p.user_id = $2"
        ))
        .bind(id)
        .bind(user_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user's postings among `ids` (in no particular order; ids not the user's are left
/// out): a page of a ranked list read in one query.
pub async fn get_postings(
    mut conn: impl Conn,
    user_id: UserId,
    ids: &[PostingId],
) -> Result<Vec<Posting>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let mut query = Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.user_id = $1 AND p.id IN ({})",
            placeholders.join(", ")
        ))
        .bind(user_id);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in conn.fetch_all(query).await? {
            out.push(from_row(&row)?);
        }
    }
    Ok(out)
}

/// The user's postings, newest first, after the `(created_at, id)` of the last one seen.
/// `saved`: only those in the tracker (`true`) or only those not (`false`).
pub async fn list_postings(
    mut conn: impl Conn,
    user_id: UserId,
    saved: Option<bool>,
    after: Option<(Timestamp, PostingId)>,
    limit: i64,
) -> Result<Vec<Posting>, StoreError> {
    let mut conditions = vec!["p.user_id = $1"];
    match saved {
        Some(true) => conditions.push("p.application_id IS NOT NULL"),
        Some(false) => conditions.push("p.application_id IS NULL"),
        None => {}
    }
    let mut values: Vec<Value> = vec![user_id.into(), limit.into()];
    if let Some((at, id)) = after {
        conditions.push("(p.created_at < $3 OR (p.created_at = $3 AND p.id < $4))");
        values.push(at.into());
        values.push(id.into());
    }
    let mut q = Query::dynamic(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY p.created_at DESC, p.id DESC LIMIT $2",
        conditions.join(" AND ")
    ));
    for value in values {
        q = q.bind(value);
    }
    conn.fetch_all(q).await?.iter().map(from_row).collect()
}

/// What matching needs of a posting: no source text, no company.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedPosting {
    pub id: PostingId,
    pub application_id: Option<ApplicationId>,
    /// `pending`, `complete` or `failed`.
    pub parse_status: ParseStatus,
    pub parsed: Option<serde_json::Value>,
    /// Changes whenever what was read changes (a score made from it stays true until then).
    pub updated_at: Timestamp,
}

/// The user's postings as matching needs them, newest first, at most `limit`, with their
/// read fields when `with_fields` (without, `parsed` is `None`: a ranking that has the
/// scores already reads only what changed). `saved` as in [`list_postings`].
pub async fn list_parsed(
    mut conn: impl Conn,
    user_id: UserId,
    saved: Option<bool>,
    limit: i64,
    with_fields: bool,
) -> Result<Vec<ParsedPosting>, StoreError> {
    let filter = match saved {
        Some(true) => " AND application_id IS NOT NULL",
        Some(false) => " AND application_id IS NULL",
        None => "",
    };
    let fields = if with_fields { ", parsed" } else { "" };
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT id, application_id, parse_status, updated_at{fields} FROM job_postings \
                 WHERE user_id = $1{filter} ORDER BY created_at DESC, id DESC LIMIT $2"
            ))
            .bind(user_id)
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|row| parsed_posting(row, with_fields))
        .collect()
}

fn parsed_posting(row: &Row, with_fields: bool) -> Result<ParsedPosting, StoreError> {
    let application_id: Option<uuid::Uuid> = row.get("application_id")?;
    Ok(ParsedPosting {
        id: PostingId(row.get("id")?),
        application_id: application_id.map(ApplicationId),
        parse_status: row.get("parse_status")?,
        parsed: if with_fields {
            row.get("parsed")?
        } else {
            None
        },
        updated_at: row.get("updated_at")?,
    })
}

/// The read fields of the user's postings among `ids` (in no particular order).
pub async fn parsed_of(
    mut conn: impl Conn,
    user_id: UserId,
    ids: &[PostingId],
) -> Result<Vec<ParsedPosting>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let mut query = Query::dynamic(format!(
            "SELECT id, application_id, parse_status, updated_at, parsed FROM job_postings \
             WHERE user_id = $1 AND id IN ({})",
            placeholders.join(", ")
        ))
        .bind(user_id);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in conn.fetch_all(query).await? {
            out.push(parsed_posting(&row, true)?);
        }
    }
    Ok(out)
}

/// Who owns a posting (for callbacks, which carry no session).
pub async fn owner_of(mut conn: impl Conn, id: PostingId) -> Result<Option<UserId>, StoreError> {
    let row = conn
        .fetch_optional(query("SELECT user_id FROM job_postings WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok(UserId(r.get("user_id")?))).transpose()
}
