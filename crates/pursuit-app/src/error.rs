//! What a use case answers when it does not do what was asked: the distinctions its callers
//! act on (the web app maps them to problems, the worker to retry or fail, the CLI prints
//! them).

use pursuit_store::activities::Activity;
use pursuit_store::applications::Application;
use pursuit_store::reminders::Reminder;
use pursuit_store::{StoreError, Versioned};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record of the acting user's (another user's record is this too).
    #[error("not found")]
    NotFound,
    /// Not found, with what was looked for in words.
    #[error("{0}")]
    NotFoundDetail(String),
    /// Input that breaks a rule, each problem naming its field.
    #[error("invalid input: {}", .0.iter().map(|i| format!("{}: {}", i.field, i.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Invalid>),
    /// Input that breaks a rule, with one more thing the caller needs to fix it (e.g. the
    /// columns a file has, when none could be mapped): `name` and `value` go into the
    /// answer beside the problems.
    #[error("invalid input: {}", .invalid.iter().map(|i| format!("{}: {}", i.field, i.message)).collect::<Vec<_>>().join("; "))]
    InvalidWith {
        invalid: Vec<Invalid>,
        name: &'static str,
        value: serde_json::Value,
    },
    /// The write would clash with a record that exists (e.g. a client-chosen id in use).
    #[error("{0}")]
    Conflict(String),
    /// A versioned write was asked without a usable version of what the caller last read.
    #[error("the version last read is {0}")]
    Precondition(Precondition),
    /// The record changed since the caller read it: here it is now.
    #[error("changed since it was read (at version {}, not {sent})", current.version())]
    Stale { current: Box<Current>, sent: i64 },
    /// A service the use case needs is not configured on this installation (e.g. file
    /// storage).
    #[error("{0} is not configured")]
    NotConfigured(&'static str),
    /// A feature flag keeps this feature off for the caller (its name).
    #[error("the feature {0} is turned off for this account")]
    FeatureOff(String),
    /// A service the use case needs (other than the database) failed: try again later.
    #[error("{0}")]
    Unavailable(Box<dyn std::error::Error + Send + Sync>),
    /// The database said no (unavailable, full, a constraint); see [`StoreError`].
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One invalid field: a JSON pointer (`/salary_min`, `/tags/2`, or `""` for the whole
/// input) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    /// The field named without its leading slash (`salary_min`).
    pub fn new(field: &str, message: impl Into<String>) -> Invalid {
        Invalid {
            field: format!("/{field}"),
            message: message.into(),
        }
    }

    /// A problem with the input as a whole (pointer `""`), not one field of it.
    pub fn whole(message: impl Into<String>) -> Invalid {
        Invalid {
            field: String::new(),
            message: message.into(),
        }
    }
}

/// Why the version of a versioned write is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Precondition {
    #[error("missing")]
    Missing,
    #[error("not a version number")]
    Malformed,
}

/// The current state of a record a stale write was aimed at.
#[derive(Debug)]
pub enum Current {
    Application(Application),
    Activity(Activity),
    Reminder(Reminder),
}

impl Current {
    pub fn version(&self) -> i64 {
        match self {
            Current::Application(a) => a.version,
            Current::Activity(a) => a.version,
            Current::Reminder(r) => r.version,
        }
    }
}

impl From<Application> for Current {
    fn from(application: Application) -> Current {
        Current::Application(application)
    }
}

impl From<Activity> for Current {
    fn from(activity: Activity) -> Current {
        Current::Activity(activity)
    }
}

impl From<Reminder> for Current {
    fn from(reminder: Reminder) -> Current {
        Current::Reminder(reminder)
    }
}

/// A write aimed at version `sent` of a record that is now `current`.
pub(crate) fn stale(current: impl Into<Current>, sent: i64) -> AppError {
    AppError::Stale {
        current: Box::new(current.into()),
        sent,
    }
}

/// A versioned record as it is, checked against the version the caller read: missing is
/// [`AppError::NotFound`] whatever version came with it; then no usable version is
/// [`AppError::Precondition`]; another version is [`AppError::Stale`] with the record.
pub(crate) fn at_version<T: Into<Current>>(
    found: Option<T>,
    expected: Result<i64, Precondition>,
    version: impl Fn(&T) -> i64,
) -> Result<(T, i64), AppError> {
    let found = found.ok_or(AppError::NotFound)?;
    let expected = expected.map_err(AppError::Precondition)?;
    if version(&found) != expected {
        return Err(stale(found, expected));
    }
    Ok((found, expected))
}

/// What a versioned write did, as a use case answers it.
pub(crate) fn settle<T, S: Into<Current>>(
    outcome: Versioned<T, S>,
    sent: i64,
) -> Result<T, AppError> {
    match outcome {
        Versioned::Done(done) => Ok(done),
        Versioned::Stale(current) => Err(stale(*current, sent)),
        Versioned::Missing => Err(AppError::NotFound),
    }
}
