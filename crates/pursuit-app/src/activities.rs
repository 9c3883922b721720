//! Activities of an application (seed 002 §7.3): notes, calls, interviews, follow-ups. A
//! scheduled interview plans its reminders; a change to when or where it happens re-plans
//! them and brings any mailed calendar invite up to date; a delete cancels the invite.

use jiff::Timestamp;
use pursuit_domain::ids::{ActivityId, ApplicationId, UserId};
use pursuit_store::activities::{self, Activity, ActivityData};
use pursuit_store::{Conn, Db, StoreError, applications};

use crate::error::{AppError, Invalid, Precondition, at_version, settle};

/// The company of an application (for reminder titles), empty when it is gone.
async fn company(
    conn: impl Conn,
    user: UserId,
    application: ApplicationId,
) -> Result<String, StoreError> {
    Ok(applications::get_application(conn, user, application)
        .await?
        .map(|a| a.data.company)
        .unwrap_or_default())
}

/// Checks that `application` is one of the user's ([`AppError::NotFound`] if not).
pub async fn check_application(
    db: &Db,
    user: UserId,
    application: ApplicationId,
) -> Result<(), AppError> {
    applications::get_application(db, user, application)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// Adds an activity to one of the user's applications in the caller's transaction and plans
/// the reminders of a scheduled interview. An id already in use is [`AppError::Conflict`].
pub async fn create_in(
    mut conn: impl Conn,
    user: UserId,
    application: ApplicationId,
    id: ActivityId,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Activity, AppError> {
    let created = activities::insert_activity(&mut conn, user, application, id, data, now)
        .await
        .map_err(|e| match e {
            StoreError::UniqueViolation { .. } => {
                AppError::Conflict("an activity with this id already exists".to_owned())
            }
            other => other.into(),
        })?;
    let company = company(&mut conn, user, application).await?;
    let planned =
        crate::reminders::plan_for_activity(&mut conn, user, &created, &company, now).await?;
    crate::reminders::deliver_soon(&mut conn, user, &planned, now).await?;
    Ok(created)
}

/// Changes one of the user's activities at the version the caller read: `edit` changes a
/// copy of its data. Mailed invites follow it; when its schedule changed, its reminders are
/// planned again.
pub async fn update(
    db: &Db,
    user: UserId,
    id: ActivityId,
    expected: Result<i64, Precondition>,
    edit: impl FnOnce(&mut ActivityData) -> Result<(), Vec<Invalid>>,
    now: Timestamp,
) -> Result<Activity, AppError> {
    let mut tx = db.begin().await?;
    let found = activities::get_activity(&mut tx, user, id).await?;
    let (existing, expected) = at_version(found, expected, |a| a.version)?;
    let mut data = existing.data.clone();
    edit(&mut data).map_err(AppError::Invalid)?;
    let outcome = activities::update_activity(&mut tx, user, id, expected, &data, now).await?;
    let updated = settle(outcome, expected)?;
    // Mailed invites of this activity follow it (the job sends only what a calendar shows).
    crate::calendar::after_activity_change(&mut tx, user, id, now).await?;
    let schedule = |d: &ActivityData| (d.kind, d.status, d.starts_at, d.interview_stage);
    if schedule(&updated.data) != schedule(&existing.data) {
        // The interview moved, changed stage or was done/cancelled: re-plan its reminders.
        let company = company(&mut tx, user, updated.application_id).await?;
        let planned =
            crate::reminders::plan_for_activity(&mut tx, user, &updated, &company, now).await?;
        crate::reminders::deliver_soon(&mut tx, user, &planned, now).await?;
    }
    tx.commit().await?;
    Ok(updated)
}

/// Deletes one of the user's activities at the version the caller read; invites mailed for
/// it are cancelled. Returns the application it belonged to.
pub async fn delete(
    db: &Db,
    user: UserId,
    id: ActivityId,
    expected: Result<i64, Precondition>,
    now: Timestamp,
) -> Result<ApplicationId, AppError> {
    let mut tx = db.begin().await?;
    let existing = activities::get_activity(&mut tx, user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    // Before the delete: the invites still name the activity. Cancellations go out after.
    crate::calendar::after_activity_change(&mut tx, user, id, now).await?;
    let outcome = activities::delete_activity(&mut tx, user, id, expected).await?;
    settle(outcome, expected)?;
    tx.commit().await?;
    Ok(existing.application_id)
}

/// [`create_in`] in a transaction of its own, after checking the application is the user's.
pub async fn create(
    db: &Db,
    user: UserId,
    application: ApplicationId,
    id: ActivityId,
    data: &ActivityData,
    now: Timestamp,
) -> Result<Activity, AppError> {
    check_application(db, user, application).await?;
    let mut tx = db.begin().await?;
    let created = create_in(&mut tx, user, application, id, data, now).await?;
    tx.commit().await?;
    Ok(created)
}
