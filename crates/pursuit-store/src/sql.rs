//! Portable SQL: a [`Query`] is `$N` SQL text plus typed [`Value`]s, bound to each backend's
//! native types; a [`Row`] decodes them back to the same Rust types on either backend.

use jiff::Timestamp;
use rusqlite::types::Value as Cell;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{AssertSqlSafe, Postgres, Row as _, SqlStr};
use uuid::Uuid;

use crate::error::StoreError;
use crate::sqlite::SqliteRow;

/// A bind value. Every variant carries an `Option` so that a NULL still has a type:
/// PostgreSQL rejects a text-typed NULL bound to a `uuid` column.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(Option<bool>),
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Uuid(Option<Uuid>),
    Timestamp(Option<Timestamp>),
    /// A calendar date: `date` on PostgreSQL, `YYYY-MM-DD` text on SQLite.
    Date(Option<jiff::civil::Date>),
    Json(Option<serde_json::Value>),
    Bytes(Option<Vec<u8>>),
}

/// Every typed id binds as its UUID.
macro_rules! id_values {
    ($($id:ident),* $(,)?) => {$(
        impl From<pursuit_domain::ids::$id> for Value {
            fn from(id: pursuit_domain::ids::$id) -> Value {
                Value::Uuid(Some(id.0))
            }
        }
        impl From<Option<pursuit_domain::ids::$id>> for Value {
            fn from(id: Option<pursuit_domain::ids::$id>) -> Value {
                Value::Uuid(id.map(|id| id.0))
            }
        }
    )*};
}

id_values!(
    UserId,
    ApiTokenId,
    AuditId,
    JobId,
    ApplicationId,
    ActivityId,
    ReminderId,
    ImportId,
    NotificationId,
    CompanyId,
    PostingId,
    ResumeId,
    ResumeVersionId,
    PainPointMapId
);

macro_rules! value_from {
    ($($rust:ty => $variant:ident),* $(,)?) => {$(
        impl From<$rust> for Value {
            fn from(value: $rust) -> Self { Value::$variant(Some(value.into())) }
        }
        impl From<Option<$rust>> for Value {
            fn from(value: Option<$rust>) -> Self { Value::$variant(value.map(Into::into)) }
        }
    )*};
}

value_from! {
    bool => Bool,
    i64 => I64,
    i32 => I64,
    u32 => I64,
    f64 => F64,
    String => Text,
    &str => Text,
    Uuid => Uuid,
    Timestamp => Timestamp,
    jiff::civil::Date => Date,
    serde_json::Value => Json,
    Vec<u8> => Bytes,
}

/// `$from, $from+1, …` for `count` values (an `IN (…)` list or a row of a multi-row insert).
pub(crate) fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL text with `$1, $2, …` placeholders and the values to bind to them, in order.
#[derive(Clone, Debug)]
pub struct Query {
    sql: SqlStr,
    args: Vec<Value>,
}

/// Starts a query from literal SQL. Built strings go through [`Query::dynamic`], which
/// makes the caller say the string is safe, as sqlx does.
pub fn query(sql: &'static str) -> Query {
    Query {
        sql: sqlx::SqlSafeStr::into_sql_str(sql),
        args: Vec::new(),
    }
}

impl Query {
    /// The bound values, to splice into a multi-row statement.
    pub(crate) fn into_args(self) -> Vec<Value> {
        self.args
    }

    /// The bound values, in placeholder order.
    pub(crate) fn args(&self) -> &[Value] {
        &self.args
    }

    /// A query whose text was built at run time (by sea-query or a filter builder). The text
    /// must contain no user input: user input goes in `bind` values only.
    pub fn dynamic(sql: String) -> Query {
        Query {
            sql: sqlx::SqlSafeStr::into_sql_str(AssertSqlSafe(sql)),
            args: Vec::new(),
        }
    }

    pub fn bind(mut self, value: impl Into<Value>) -> Query {
        self.args.push(value.into());
        self
    }

    pub fn sql(&self) -> &str {
        self.sql.as_str()
    }

    /// Refuses text holding U+0000 before it reaches either database: PostgreSQL cannot
    /// store it in `text` or `jsonb` (an error deep in the driver), SQLite can, and the two
    /// backends must behave alike. Callers at the edge name the field; this is the net
    /// under them.
    pub(crate) fn refuse_nul(&self) -> Result<(), crate::StoreError> {
        let has_nul = self.args.iter().any(|value| match value {
            Value::Text(Some(text)) => text.contains('\0'),
            Value::Json(Some(json)) => json_has_nul(json),
            _ => false,
        });
        if has_nul {
            Err(crate::StoreError::NulInText)
        } else {
            Ok(())
        }
    }
}

/// True when a string or key anywhere in `value` holds U+0000.
pub fn json_has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(json_has_nul),
        serde_json::Value::Object(members) => members
            .iter()
            .any(|(key, value)| key.contains('\0') || json_has_nul(value)),
        _ => false,
    }
}

/// Formats an instant the way SQLite stores it: UTC, microseconds, fixed width, so that
/// comparing the text compares the times.
pub(crate) fn sqlite_timestamp(ts: Timestamp) -> String {
    let micros = ts.as_microsecond();
    let truncated = Timestamp::from_microsecond(micros).unwrap_or(ts);
    truncated.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

fn to_chrono(ts: Timestamp) -> chrono::DateTime<chrono::Utc> {
    let micros = ts.as_microsecond();
    chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

pub(crate) fn bind_postgres(query: &Query) -> sqlx::query::Query<'static, Postgres, PgArguments> {
    let mut q = sqlx::query(query.sql.clone());
    for value in &query.args {
        q = match value {
            Value::Bool(v) => q.bind(*v),
            Value::I64(v) => q.bind(*v),
            Value::F64(v) => q.bind(*v),
            Value::Text(v) => q.bind(v.clone()),
            Value::Uuid(v) => q.bind(*v),
            Value::Timestamp(v) => q.bind(v.map(to_chrono)),
            Value::Date(v) => q.bind(v.and_then(|d| {
                chrono::NaiveDate::from_ymd_opt(
                    i32::from(d.year()),
                    u32::from(d.month().unsigned_abs()),
                    u32::from(d.day().unsigned_abs()),
                )
            })),
            Value::Json(v) => q.bind(v.clone()),
            Value::Bytes(v) => q.bind(v.clone()),
        };
    }
    q
}

/// One result row from either backend.
pub struct Row(pub(crate) RowInner);

pub(crate) enum RowInner {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// Reads `column` as `T`; see [`Decode`] for the types on offer.
    pub fn get<T: Decode>(&self, column: &str) -> Result<T, StoreError> {
        T::decode(self, column)
    }
}

/// A Rust type that can be read from a column on both backends.
pub trait Decode: Sized {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError>;
}

fn decode_error(column: &str, message: impl ToString) -> StoreError {
    StoreError::Decode {
        column: column.to_owned(),
        message: message.to_string(),
    }
}

fn required<T>(column: &str, value: Option<T>) -> Result<T, StoreError> {
    value.ok_or_else(|| decode_error(column, "unexpected NULL"))
}

/// The SQLite value of `column`, by name.
fn cell<'a>(row: &'a SqliteRow, column: &str) -> Result<&'a Cell, StoreError> {
    row.cell(column)
        .ok_or_else(|| decode_error(column, "no such column in the result"))
}

/// A Rust type read straight from a SQLite value (NULL is `None`); the storage classes
/// each accepts are the ones Pursuit's schema stores it as.
trait FromCell: Sized {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String>;
}

fn mismatch<T>(cell: &Cell, wanted: &str) -> Result<Option<T>, String> {
    Err(format!("expected {wanted}, found {:?}", cell.data_type()))
}

impl FromCell for bool {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Integer(i) => Ok(Some(*i != 0)),
            other => mismatch(other, "an integer 0 or 1"),
        }
    }
}

impl FromCell for i64 {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Integer(i) => Ok(Some(*i)),
            other => mismatch(other, "an integer"),
        }
    }
}

impl FromCell for f64 {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Real(f) => Ok(Some(*f)),
            #[expect(
                clippy::cast_precision_loss,
                reason = "SQLite stores whole reals as integers"
            )]
            Cell::Integer(i) => Ok(Some(*i as f64)),
            other => mismatch(other, "a number"),
        }
    }
}

impl FromCell for String {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Text(text) => Ok(Some(text.clone())),
            other => mismatch(other, "text"),
        }
    }
}

impl FromCell for Vec<u8> {
    fn from_cell(cell: &Cell) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Blob(bytes) => Ok(Some(bytes.clone())),
            Cell::Text(text) => Ok(Some(text.clone().into_bytes())),
            other => mismatch(other, "bytes"),
        }
    }
}

macro_rules! decode_native {
    ($($rust:ty),* $(,)?) => {$(
        impl Decode for Option<$rust> {
            fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
                match &row.0 {
                    RowInner::Sqlite(r) => <$rust>::from_cell(cell(r, column)?)
                        .map_err(|e| decode_error(column, e)),
                    RowInner::Postgres(r) => r
                        .try_get::<Option<$rust>, _>(column)
                        .map_err(|e| decode_error(column, e)),
                }
            }
        }
        impl Decode for $rust {
            fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
                required(column, Option::<$rust>::decode(row, column)?)
            }
        }
    )*};
}

decode_native!(bool, i64, f64, String, Vec<u8>);

impl Decode for Option<Uuid> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => String::from_cell(cell(r, column)?)
                .map_err(|e| decode_error(column, e))?
                .map(|text| Uuid::parse_str(&text).map_err(|e| decode_error(column, e)))
                .transpose(),
            RowInner::Postgres(r) => r
                .try_get::<Option<Uuid>, _>(column)
                .map_err(|e| decode_error(column, e)),
        }
    }
}

impl Decode for Option<Timestamp> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => String::from_cell(cell(r, column)?)
                .map_err(|e| decode_error(column, e))?
                .map(|text| {
                    text.parse::<Timestamp>()
                        .map_err(|e| decode_error(column, e))
                })
                .transpose(),
            RowInner::Postgres(r) => r
                .try_get::<Option<chrono::DateTime<chrono::Utc>>, _>(column)
                .map_err(|e| decode_error(column, e))?
                .map(|at| {
                    Timestamp::from_microsecond(at.timestamp_micros())
                        .map_err(|e| decode_error(column, e))
                })
                .transpose(),
        }
    }
}

impl Decode for Option<jiff::civil::Date> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => String::from_cell(cell(r, column)?)
                .map_err(|e| decode_error(column, e))?
                .map(|text| {
                    text.parse::<jiff::civil::Date>()
                        .map_err(|e| decode_error(column, e))
                })
                .transpose(),
            RowInner::Postgres(r) => r
                .try_get::<Option<chrono::NaiveDate>, _>(column)
                .map_err(|e| decode_error(column, e))?
                .map(|date| {
                    date.to_string()
                        .parse::<jiff::civil::Date>()
                        .map_err(|e| decode_error(column, e))
                })
                .transpose(),
        }
    }
}

impl Decode for Option<serde_json::Value> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => String::from_cell(cell(r, column)?)
                .map_err(|e| decode_error(column, e))?
                .map(|text| serde_json::from_str(&text).map_err(|e| decode_error(column, e)))
                .transpose(),
            RowInner::Postgres(r) => r
                .try_get::<Option<serde_json::Value>, _>(column)
                .map_err(|e| decode_error(column, e)),
        }
    }
}

impl Decode for pursuit_domain::application::ParseStatus {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        let text: String = row.get(column)?;
        pursuit_domain::application::ParseStatus::parse(&text).map_err(|e| decode_error(column, e))
    }
}

macro_rules! decode_required {
    ($($rust:ty),* $(,)?) => {$(
        impl Decode for $rust {
            fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
                required(column, Option::<$rust>::decode(row, column)?)
            }
        }
    )*};
}

decode_required!(Uuid, Timestamp, jiff::civil::Date, serde_json::Value);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_timestamps_are_fixed_width_and_sort_as_time() {
        let whole: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let later: Timestamp = "2026-03-01T10:00:00.5Z".parse().unwrap();
        let (a, b) = (sqlite_timestamp(whole), sqlite_timestamp(later));
        assert_eq!(a, "2026-03-01T10:00:00.000000Z");
        assert_eq!(a.len(), b.len());
        assert!(a < b);
    }

    #[test]
    fn sqlite_timestamps_drop_nanoseconds_like_postgres() {
        let precise: Timestamp = "2026-03-01T10:00:00.123456789Z".parse().unwrap();
        assert_eq!(sqlite_timestamp(precise), "2026-03-01T10:00:00.123456Z");
    }
}
