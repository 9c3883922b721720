//! Pitches (seed 000's offers, migration 0033): what each is for; the text is a document.

use jiff::Timestamp;
use pursuit_domain::ids::{ApplicationId, ContactId, DocumentId, OfferId, UserId};

use crate::db::Conn;
use crate::error::StoreError;
use crate::query;
use crate::sql::Row;

#[derive(Clone, Debug, PartialEq)]
pub struct OfferRow {
    pub id: OfferId,
    pub application_id: ApplicationId,
    pub contact_id: Option<ContactId>,
    pub document_id: DocumentId,
    pub tone: String,
    pub length_preset: String,
    pub created_at: Timestamp,
}

fn from_row(row: &Row) -> Result<OfferRow, StoreError> {
    Ok(OfferRow {
        id: OfferId(row.get("id")?),
        application_id: ApplicationId(row.get("application_id")?),
        contact_id: row.get::<Option<uuid::Uuid>>("contact_id")?.map(ContactId),
        document_id: DocumentId(row.get("document_id")?),
        tone: row.get("tone")?,
        length_preset: row.get("length_preset")?,
        created_at: row.get("created_at")?,
    })
}

const COLUMNS: &str =
    "id, application_id, contact_id, document_id, tone, length_preset, created_at";

pub async fn insert(mut conn: impl Conn, user_id: UserId, o: &OfferRow) -> Result<(), StoreError> {
    conn.execute(
        query(
            "INSERT INTO offers (id, user_id, application_id, contact_id, document_id, tone, length_preset, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(o.id)
        .bind(user_id)
        .bind(o.application_id)
        .bind(o.contact_id)
        .bind(o.document_id)
        .bind(o.tone.as_str())
        .bind(o.length_preset.as_str())
        .bind(o.created_at),
    )
    .await?;
    Ok(())
}

pub async fn get(
    mut conn: impl Conn,
    user_id: UserId,
    id: OfferId,
) -> Result<Option<OfferRow>, StoreError> {
    conn.fetch_optional(
        crate::sql::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM offers WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The newest pitch of an application whose document still exists.
pub async fn newest_for_application(
    mut conn: impl Conn,
    user_id: UserId,
    application: ApplicationId,
) -> Result<Option<OfferRow>, StoreError> {
    conn.fetch_optional(
        crate::sql::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM offers WHERE user_id = $1 AND application_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(user_id)
        .bind(application),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}
