//! Contacts — the decision makers a user may write to — and their links to applications
//! (migration 0031). Every function takes the owner; another user's contact is not found.

use jiff::Timestamp;
use pursuit_domain::ids::{ApplicationId, CompanyId, ContactId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::{Query, Row};

/// A contact as stored, with its company's name and zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRow {
    pub id: ContactId,
    pub company_id: Option<CompanyId>,
    pub company_name: Option<String>,
    /// The company's headquarters zone (the default of the contact's).
    pub company_time_zone: Option<String>,
    pub fields: ContactFields,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What the user gives of a contact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactFields {
    pub full_name: String,
    pub role_title: Option<String>,
    pub email: Option<String>,
    pub linkedin_url: Option<String>,
    pub phone: Option<String>,
    /// The contact's own IANA zone (none: the company's applies).
    pub time_zone: Option<String>,
    pub notes: Option<String>,
}

/// The key one address is unique by: lowercased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

const COLUMNS: &str = "c.id, c.company_id, co.name AS company_name, co.time_zone AS company_time_zone, \
     c.full_name, c.role_title, c.email, c.linkedin_url, c.phone, c.time_zone, c.notes, c.created_at, c.updated_at";
const FROM: &str = "contacts c LEFT JOIN companies co ON co.id = c.company_id";

fn from_row(row: &Row) -> Result<ContactRow, StoreError> {
    Ok(ContactRow {
        id: ContactId(row.get("id")?),
        company_id: row.get::<Option<uuid::Uuid>>("company_id")?.map(CompanyId),
        company_name: row.get("company_name")?,
        company_time_zone: row.get("company_time_zone")?,
        fields: ContactFields {
            full_name: row.get("full_name")?,
            role_title: row.get("role_title")?,
            email: row.get("email")?,
            linkedin_url: row.get("linkedin_url")?,
            phone: row.get("phone")?,
            time_zone: row.get("time_zone")?,
            notes: row.get("notes")?,
        },
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

/// Stores a new contact. An address another of the user's contacts has is
/// [`StoreError::UniqueViolation`].
pub async fn insert(
    mut conn: impl Conn,
    user_id: UserId,
    id: ContactId,
    company: Option<CompanyId>,
    f: &ContactFields,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(bind_fields(
        query(
            "INSERT INTO contacts (user_id, id, company_id, full_name, role_title, email, email_key, \
             linkedin_url, phone, time_zone, notes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        ),
        user_id,
        id,
        company,
        f,
        now,
    ))
    .await?;
    Ok(())
}

/// Replaces a contact's fields and company; false when the user has no such contact.
pub async fn update(
    mut conn: impl Conn,
    user_id: UserId,
    id: ContactId,
    company: Option<CompanyId>,
    f: &ContactFields,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(bind_fields(
            query(
                "UPDATE contacts SET company_id = $3, full_name = $4, role_title = $5, email = $6, \
                 email_key = $7, linkedin_url = $8, phone = $9, time_zone = $10, notes = $11, updated_at = $12 \
                 WHERE user_id = $1 AND id = $2",
            ),
            user_id,
            id,
            company,
            f,
            now,
        ))
        .await?;
    Ok(done > 0)
}

/// Binds `$1` the owner, `$2` the contact, `$3` its company, `$4…$11` its fields and `$12`
/// now.
fn bind_fields(
    q: Query,
    user_id: UserId,
    id: ContactId,
    company: Option<CompanyId>,
    f: &ContactFields,
    now: Timestamp,
) -> Query {
    q.bind(user_id)
        .bind(id)
        .bind(company)
        .bind(f.full_name.as_str())
        .bind(f.role_title.as_deref())
        .bind(f.email.as_deref())
        .bind(f.email.as_deref().map(email_key))
        .bind(f.linkedin_url.as_deref())
        .bind(f.phone.as_deref())
        .bind(f.time_zone.as_deref())
        .bind(f.notes.as_deref())
        .bind(now)
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: ContactId,
) -> Result<Option<ContactRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = $1 AND c.id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user's contact with this address, if any.
pub async fn find_by_email(
    mut conn: impl Conn,
    user_id: UserId,
    email: &str,
) -> Result<Option<ContactRow>, StoreError> {
    conn.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = $1 AND c.email_key = $2"
        ))
        .bind(user_id)
        .bind(email_key(email)),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The user's contact of this name (any case) at this company (or at none), if any.
pub async fn find_by_name(
    mut conn: impl Conn,
    user_id: UserId,
    company: Option<CompanyId>,
    name: &str,
) -> Result<Option<ContactRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = $1 AND \
                 (c.company_id = $2 OR (c.company_id IS NULL AND $3)) ORDER BY c.created_at LIMIT 500"
            ))
            .bind(user_id)
            .bind(company)
            .bind(company.is_none()),
        )
        .await?;
    let wanted = name.trim().to_lowercase();
    for row in &rows {
        let contact = from_row(row)?;
        if contact.fields.full_name.trim().to_lowercase() == wanted {
            return Ok(Some(contact));
        }
    }
    Ok(None)
}

/// The user's contacts by name (of one company when asked), at most `limit`.
pub async fn list(
    mut conn: impl Conn,
    user_id: UserId,
    company: Option<CompanyId>,
    limit: i64,
) -> Result<Vec<ContactRow>, StoreError> {
    let rows = match company {
        Some(company) => {
            conn.fetch_all(
                Query::dynamic(format!(
                    "SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = $1 AND c.company_id = $2 \
                     ORDER BY c.full_name, c.id LIMIT $3"
                ))
                .bind(user_id)
                .bind(company)
                .bind(limit),
            )
            .await?
        }
        None => {
            conn.fetch_all(
                Query::dynamic(format!(
                    "SELECT {COLUMNS} FROM {FROM} WHERE c.user_id = $1 ORDER BY c.full_name, c.id LIMIT $2"
                ))
                .bind(user_id)
                .bind(limit),
            )
            .await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// How many contacts the user has.
pub async fn count(mut conn: impl Conn, user_id: UserId) -> Result<i64, StoreError> {
    let row = conn
        .fetch_one(query("SELECT COUNT(*) AS n FROM contacts WHERE user_id = $1").bind(user_id))
        .await?;
    row.get("n")
}

pub async fn delete(
    mut conn: impl Conn,
    user_id: UserId,
    id: ContactId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query("DELETE FROM contacts WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id),
        )
        .await?;
    Ok(done > 0)
}

/// Makes a contact a target of an application (both the user's: the caller checks); a link
/// already there stays.
pub async fn link(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
    contact: ContactId,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO application_contacts (application_id, contact_id, user_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (application_id, contact_id) DO NOTHING",
        )
        .bind(application)
        .bind(contact)
        .bind(user_id)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Ends a contact's link to an application; false when there was none.
pub async fn unlink(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
    contact: ContactId,
) -> Result<bool, StoreError> {
    let done = conn
        .execute(
            query(
                "DELETE FROM application_contacts WHERE user_id = $1 AND application_id = $2 AND contact_id = $3",
            )
            .bind(user_id)
            .bind(application)
            .bind(contact),
        )
        .await?;
    Ok(done > 0)
}

/// An application's targets, by name.
pub async fn targets(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
) -> Result<Vec<ContactRow>, StoreError> {
    let rows = conn
        .fetch_all(
            Query::dynamic(format!(
                "SELECT {COLUMNS} FROM {FROM} JOIN application_contacts l ON l.contact_id = c.id \
                 WHERE l.user_id = $1 AND l.application_id = $2 ORDER BY c.full_name, c.id"
            ))
            .bind(user_id)
            .bind(application),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// The applications a contact is a target of: `(id, company, role title)`, newest first.
pub async fn applications_of(
    mut conn: impl Conn,
    user_id: UserId,
    contact: ContactId,
) -> Result<Vec<(ApplicationId, String, String)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT a.id, a.company, a.role_title FROM application_contacts l \
                 JOIN applications a ON a.id = l.application_id \
                 WHERE l.user_id = $1 AND l.contact_id = $2 ORDER BY a.application_date DESC, a.id DESC LIMIT 200",
            )
            .bind(user_id)
            .bind(contact),
        )
        .await?;
    rows.iter().map(crate::applications::brief).collect()
}

/// The applications whose tracker contact rows were stored (with any row), for the one-time
/// promotion: `(user, application, company, rows)`, at most `limit` after `after`.
pub async fn applications_with_rows(
    mut conn: impl Conn,
    after: Option<ApplicationId>,
    limit: i64,
) -> Result<Vec<(UserId, ApplicationId, String, serde_json::Value)>, StoreError> {
    let rows = conn
        .fetch_all(
            query(
                "SELECT id, user_id, company, contacts_inline FROM applications \
                 WHERE contacts_inline IS NOT NULL AND ($1 OR id > $2) ORDER BY id LIMIT $3",
            )
            .bind(after.is_none())
            .bind(after.unwrap_or(ApplicationId(uuid::Uuid::nil())))
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                UserId(r.get("user_id")?),
                ApplicationId(r.get("id")?),
                r.get("company")?,
                r.get("contacts_inline")?,
            ))
        })
        .collect()
}

/// Whether the one-time data work `name` is done.
pub async fn backfill_done(mut conn: impl Conn, name: &str) -> Result<bool, StoreError> {
    Ok(conn
        .fetch_optional(query("SELECT name FROM backfills WHERE name = $1").bind(name))
        .await?
        .is_some())
}

/// Records the one-time data work `name` as done.
pub async fn mark_backfill(
    mut conn: impl Conn,
    name: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO backfills (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(now),
    )
    .await?;
    Ok(())
}
