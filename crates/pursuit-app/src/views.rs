//! Saved views: a named application-list filter (seed 002 §7.2), its document read by the
//! one set of rules of [`crate::filters::read`].

use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use pursuit_store::views::{self, SavedView};
use pursuit_store::{Db, StoreError};
use serde_json::{Map, Value};

use crate::error::{AppError, Invalid};

/// The name (trimmed) and the filter document, or every rule they break.
fn validate(name: &str, filters: &Map<String, Value>, now: Timestamp) -> Result<String, AppError> {
    let mut invalid = Vec::new();
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        invalid.push(Invalid::new("name", "must be 1 to 100 characters"));
    }
    if let Err(problems) = crate::filters::read(filters, now) {
        invalid.extend(problems.into_iter().map(|e| Invalid {
            field: format!("/filters{}", e.field),
            message: e.message,
        }));
    }
    if invalid.is_empty() {
        Ok(name)
    } else {
        Err(AppError::Invalid(invalid))
    }
}

fn duplicate(error: StoreError) -> AppError {
    match error {
        StoreError::UniqueViolation { .. } => {
            AppError::Conflict("a view with this name exists".to_owned())
        }
        other => other.into(),
    }
}

/// Saves a named filter after the user's other views. A name in use is
/// [`AppError::Conflict`].
pub async fn create(
    db: &Db,
    user: UserId,
    name: &str,
    filters: &Map<String, Value>,
    now: Timestamp,
) -> Result<SavedView, AppError> {
    let name = validate(name, filters, now)?;
    let mut tx = db.begin().await?;
    let position = views::next_position(&mut tx, user).await?;
    let view = views::insert_view(
        &mut tx,
        user,
        uuid::Uuid::now_v7(),
        &name,
        &Value::Object(filters.clone()),
        false,
        position,
        now,
    )
    .await
    .map_err(duplicate)?;
    tx.commit().await?;
    Ok(view)
}

/// Renames one of the user's views or replaces its filters.
pub async fn update(
    db: &Db,
    user: UserId,
    id: uuid::Uuid,
    name: &str,
    filters: &Map<String, Value>,
    now: Timestamp,
) -> Result<SavedView, AppError> {
    views::get_view(db, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = validate(name, filters, now)?;
    views::update_view(db, user, id, &name, &Value::Object(filters.clone()), now)
        .await
        .map_err(duplicate)?
        .ok_or(AppError::NotFound)
}
