use crate::db::Backend;

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
        source: sqlx::Error,
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
        source: sqlx::Error,
    },
    #[error("unique constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    UniqueViolation { constraint: Option<String> },
    #[error("foreign key constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    ForeignKeyViolation { constraint: Option<String> },
    #[error("check or not-null constraint violated ({})", .constraint.as_deref().unwrap_or("unnamed"))]
    CheckViolation { constraint: Option<String> },
    #[error("no row found")]
    NotFound,
    #[error("column {column} cannot be decoded: {message}")]
    Decode { column: String, message: String },
    #[error(transparent)]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
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
                    _ => StoreError::Database(error),
                }
            }
            _ => StoreError::Database(error),
        }
    }
}

impl StoreError {
    /// True when the database could not be reached or had no connection to spare: a
    /// condition to retry later (503), not a bug.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect { .. } => true,
            StoreError::Database(error) => matches!(
                error,
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            ),
            _ => false,
        }
    }
}
