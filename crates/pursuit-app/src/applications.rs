//! Applications (seed 002 §7.2): create, change and delete with everything that follows —
//! the status history (in the store), the default reminder rules of a new status, the
//! reminders due soon handed to delivery, and the invites of a deleted application's
//! interviews cancelled. The API, the board's forms, the posting intake, the CSV import and
//! `pursuit demo` all write applications through here.
//!
//! The `*_in` steps run in the caller's transaction (so a caller can add its own writes,
//! such as an idempotency record, and commit once); the others open and commit their own.

use jiff::Timestamp;
use pursuit_domain::application::ChangedBy;
use pursuit_domain::ids::{ApplicationId, UserId};
use pursuit_store::applications::{self, Application, ApplicationData};
use pursuit_store::{Conn, Db, StoreError};

use crate::error::{AppError, Invalid, Precondition, settle, stale};

/// Stores a new application and plans its status's reminders, in the caller's transaction.
/// An id already in use is a [`AppError::Conflict`].
pub async fn create_in(
    mut conn: impl Conn,
    user: UserId,
    id: ApplicationId,
    data: &ApplicationData,
    by: ChangedBy,
    now: Timestamp,
) -> Result<Application, AppError> {
    let created = applications::insert_application(&mut conn, user, id, data, by, now)
        .await
        .map_err(|e| match e {
            StoreError::UniqueViolation { .. } => {
                AppError::Conflict("an application with this id already exists".to_owned())
            }
            other => other.into(),
        })?;
    let planned = crate::reminders::plan_for_status(
        &mut conn,
        user,
        created.id,
        &created.data.company,
        created.data.status,
        now,
    )
    .await?;
    crate::reminders::deliver_soon(&mut conn, user, &planned, now).await?;
    Ok(created)
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
    let mut planned = 0;
    if plan_reminders {
        for (id, data) in rows.iter().filter(|(_, d)| d.archived_at.is_none()) {
            let written = crate::reminders::plan_for_status(
                &mut conn,
                user,
                *id,
                &data.company,
                data.status,
                now,
            )
            .await?;
            crate::reminders::deliver_soon(&mut conn, user, &written, now).await?;
            planned += written.len();
        }
    }
    Ok(planned)
}

/// Writes `data` over `existing` (at the version it was read) in the caller's transaction;
/// when the status moved, runs the new status's reminder rules. A version that moved on
/// since is [`AppError::Stale`] with the application as it is now.
pub async fn change_in(
    mut conn: impl Conn,
    user: UserId,
    existing: &Application,
    data: &ApplicationData,
    by: ChangedBy,
    now: Timestamp,
) -> Result<Application, AppError> {
    let outcome =
        applications::update_application(&mut conn, user, existing, data, by, now).await?;
    let updated = settle(outcome, existing.version)?;
    if updated.data.status != existing.data.status {
        // The default reminder rules follow the status (seed 002 §3.3).
        let planned = crate::reminders::plan_for_status(
            &mut conn,
            user,
            updated.id,
            &updated.data.company,
            updated.data.status,
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
    let mut tx = db.begin().await?;
    let existing = applications::get_application(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    if existing.version != expected {
        return Err(stale(existing, expected));
    }
    let mut data = existing.data.clone();
    edit(&mut data).map_err(AppError::Invalid)?;
    let updated = change_in(&mut tx, user, &existing, &data, ChangedBy::User, now).await?;
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
