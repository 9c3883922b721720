use crate::db::Backend;

/// A driver's error, kept whole for logs.
pub type Source = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in the store, cut along the lines callers act on: the HTTP edge maps
/// the constraint variants to 409/422 and everything else to a 500 that names no internals.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("cannot open the {backend} database: {source}")]
    Connect {
        backend: Backend,
        #[source]
        source: Source,
    },
    #[error("the SQLite connection settings are not in force: {0}")]
    SqliteSettings(String),
    #[error(
        "this database was created by a newer Pursuit (schema version {database_version}, this build knows up to {known_version}); upgrade Pursuit instead of downgrading the data"
    )]
    NewerDatabase {
        database_version: i64,
        known_version: i64,
    },
    #[error(
        "migration {version} ({name}) was changed after it was applied; migrations are append-only"
    )]
    ChangedMigration { version: i64, name: String },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        version: i64,
        name: String,
        #[source]
        source: Box<StoreError>,
    },
    #[error("unique constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    UniqueViolation { constraint: Option<String> },
    #[error("foreign key constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    ForeignKeyViolation { constraint: Option<String> },
    #[error("check or not-null constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    CheckViolation { constraint: Option<String> },
    #[error("no row found")]
    NotFound,
    /// The disk (or the database's quota) has no room for the write; reads still work.
    #[error("the database's storage is full")]
    StorageFull,
    /// A text value holds U+0000, which PostgreSQL cannot store (refused on both backends).
    #[error("a text value contains the NUL character (U+0000)")]
    NulInText,
    #[error("column {column} cannot be decoded: {message}")]
    Decode { column: String, message: String },
    /// No connection could be had in time, or the server went away: retry later (503).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Database(Source),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(error.to_string())
            }
            sqlx::Error::Database(db_error) if is_storage_full(db_error.code().as_deref()) => {
                StoreError::StorageFull
            }
            sqlx::Error::Database(db_error) => {
                let constraint = db_error.constraint().map(str::to_owned);
                match db_error.kind() {
                    ErrorKind::UniqueViolation => StoreError::UniqueViolation { constraint },
                    ErrorKind::ForeignKeyViolation => {
                        StoreError::ForeignKeyViolation { constraint }
                    }
                    ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                        StoreError::CheckViolation { constraint }
                    }
                    _ => StoreError::Database(error.into()),
                }
            }
            _ => StoreError::Database(error.into()),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        match &error {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            rusqlite::Error::SqliteFailure(failure, _) => match failure.extended_code {
                _ if failure.code == rusqlite::ErrorCode::DiskFull => StoreError::StorageFull,
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    StoreError::UniqueViolation { constraint: None }
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                    StoreError::ForeignKeyViolation { constraint: None }
                }
                ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_NOTNULL => {
                    StoreError::CheckViolation { constraint: None }
                }
                _ => StoreError::Database(error.into()),
            },
            _ => StoreError::Database(error.into()),
        }
    }
}

/// PostgreSQL's `disk_full` (53100); SQLite's `SQLITE_FULL` is read from its error code.
fn is_storage_full(code: Option<&str>) -> bool {
    code == Some("53100")
}

impl StoreError {
    /// True when the database could not be reached or had no connection to spare: a
    /// condition to retry later (503), not a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Connect { .. } | StoreError::Unavailable(_)
        )
    }
}
