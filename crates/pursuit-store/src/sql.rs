//! Portable SQL: a [`Query`] is `$N` SQL text plus typed [`Value`]s, bound to each backend's
//! native types; a [`Row`] decodes them back to the same Rust types on either backend.

use jiff::Timestamp;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{AssertSqlSafe, Postgres, Row as _, SqlStr};
use uuid::Uuid;

use crate::error::StoreError;
use crate::sqlite::{Cell, SqliteRow};

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
    PainPointMapId,
    AiCallId,
    AiOutputId,
    AiProviderId,
    ProjectId,
    DocumentId,
    OptimizationId,
    ConversationId,
    MessageId,
    ContactId,
    SequenceTemplateId,
    SequenceStepId,
    OfferId,
    MailboxId,
    CampaignId,
    CampaignTargetId,
    OutreachId,
    EmailEventId,
    ReplyId,
    FeedbackId,
    WarmupId,
    JobSearchId,
    DiscoveryRunId,
    DiscoveredJobId
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
    as_stored(ts).strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

/// An instant as both backends keep it: to the microsecond.
pub fn as_stored(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

/// Reads a timestamp as SQLite stores it. The form [`sqlite_timestamp`] writes
/// (`2026-03-01T10:00:00.000000Z`) is read digit by digit — a list reads a few per row;
/// anything else goes to jiff's parser, which accepts any RFC 3339 time and names what is
/// wrong.
pub(crate) fn parse_sqlite_timestamp(text: &str) -> Result<Timestamp, jiff::Error> {
    fixed_width_timestamp(text).map_or_else(|| text.parse::<Timestamp>(), Ok)
}

fn fixed_width_timestamp(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() != 27
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[26] != b'Z'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i32> {
        b[range].iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let small = |range| number(range).and_then(|n| i8::try_from(n).ok());
    let datetime = jiff::civil::DateTime::new(
        i16::try_from(number(0..4)?).ok()?,
        small(5..7)?,
        small(8..10)?,
        small(11..13)?,
        small(14..16)?,
        small(17..19)?,
        number(20..26)? * 1000,
    )
    .ok()?;
    jiff::tz::Offset::UTC.to_timestamp(datetime).ok()
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
fn cell<'a>(row: &'a SqliteRow, column: &str) -> Result<Cell<'a>, StoreError> {
    row.cell(column)
        .ok_or_else(|| decode_error(column, "no such column in the result"))
}

/// The SQLite text of `column` (NULL is `None`), borrowed: what timestamps, dates, UUIDs and
/// JSON are parsed from.
fn text<'a>(row: &'a SqliteRow, column: &str) -> Result<Option<&'a str>, StoreError> {
    match cell(row, column)? {
        Cell::Null => Ok(None),
        Cell::Text(text) => Ok(Some(text)),
        other => Err(decode_error(
            column,
            format!("expected text, found {:?}", other.data_type()),
        )),
    }
}

/// A Rust type read straight from a SQLite value (NULL is `None`); the storage classes
/// each accepts are the ones Pursuit's schema stores it as.
trait FromCell: Sized {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String>;
}

fn mismatch<T>(cell: Cell<'_>, wanted: &str) -> Result<Option<T>, String> {
    Err(format!("expected {wanted}, found {:?}", cell.data_type()))
}

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Integer(i) => Ok(Some(i != 0)),
            other => mismatch(other, "an integer 0 or 1"),
        }
    }
}

impl FromCell for i64 {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Integer(i) => Ok(Some(i)),
            other => mismatch(other, "an integer"),
        }
    }
}

impl FromCell for f64 {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Real(f) => Ok(Some(f)),
            #[expect(
                clippy::cast_precision_loss,
                reason = "SQLite stores whole reals as integers"
            )]
            Cell::Integer(i) => Ok(Some(i as f64)),
            other => mismatch(other, "a number"),
        }
    }
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Text(text) => Ok(Some(text.to_owned())),
            other => mismatch(other, "text"),
        }
    }
}

impl FromCell for Vec<u8> {
    fn from_cell(cell: Cell<'_>) -> Result<Option<Self>, String> {
        match cell {
            Cell::Null => Ok(None),
            Cell::Blob(bytes) => Ok(Some(bytes.to_vec())),
            Cell::Text(text) => Ok(Some(text.as_bytes().to_vec())),
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

decode_native!(bool, i64, f64, Vec<u8>);

impl Decode for Option<String> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => {
                String::from_cell(cell(r, column)?).map_err(|e| decode_error(column, e))
            }
            RowInner::Postgres(r) => r
                .try_get::<Option<String>, _>(column)
                .map_err(|e| decode_error(column, e)),
        }
    }
}

impl Decode for String {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        required(column, Option::<String>::decode(row, column)?)
    }
}

impl Decode for Option<Uuid> {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        match &row.0 {
            RowInner::Sqlite(r) => text(r, column)?
                .map(|text| Uuid::parse_str(text).map_err(|e| decode_error(column, e)))
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
            RowInner::Sqlite(r) => text(r, column)?
                .map(|text| parse_sqlite_timestamp(text).map_err(|e| decode_error(column, e)))
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
            RowInner::Sqlite(r) => text(r, column)?
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
            RowInner::Sqlite(r) => text(r, column)?
                .map(|text| serde_json::from_str(text).map_err(|e| decode_error(column, e)))
                .transpose(),
            RowInner::Postgres(r) => r
                .try_get::<Option<serde_json::Value>, _>(column)
                .map_err(|e| decode_error(column, e)),
        }
    }
}

/// A JSON array of strings (NULL, a non-array and non-string items read as nothing): a
/// list column such as an application's keywords. On SQLite the text is read straight into
/// strings, without building a JSON tree first.
pub struct StringList(pub Vec<String>);

impl Decode for StringList {
    fn decode(row: &Row, column: &str) -> Result<Self, StoreError> {
        if let RowInner::Sqlite(r) = &row.0 {
            match text(r, column)? {
                None => return Ok(StringList(Vec::new())),
                Some(text) => {
                    if let Ok(list) = serde_json::from_str::<Vec<String>>(text) {
                        return Ok(StringList(list));
                    }
                }
            }
        }
        let value: Option<serde_json::Value> = row.get(column)?;
        Ok(StringList(
            value
                .as_ref()
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        ))
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
    fn stored_timestamps_read_back_as_jiff_reads_them() {
        let mut t: Timestamp = "1970-01-01T00:00:00Z".parse().unwrap();
        // Every month and day, times of day, leap days, fractions, far past and future.
        let step = jiff::SignedDuration::new(86_400 * 7 + 3_661, 123_456_789);
        for _ in 0..20_000 {
            let stored = sqlite_timestamp(t);
            assert_eq!(
                fixed_width_timestamp(&stored),
                Some(stored.parse::<Timestamp>().unwrap()),
                "{stored}"
            );
            t = t.checked_add(step).unwrap();
        }
        for stored in [
            "0001-01-01T00:00:00.000000Z",
            "9999-12-30T21:59:59.999999Z",
            "2024-02-29T12:00:00.500000Z",
        ] {
            assert_eq!(
                parse_sqlite_timestamp(stored).unwrap(),
                stored.parse::<Timestamp>().unwrap()
            );
        }
        // Other forms go to jiff, which reads them or says what is wrong.
        for other in ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.5+01:00"] {
            assert!(fixed_width_timestamp(other).is_none());
            assert_eq!(
                parse_sqlite_timestamp(other).unwrap(),
                other.parse::<Timestamp>().unwrap()
            );
        }
        for bad in [
            "2026-02-30T10:00:00.000000Z",
            "2026-13-01T10:00:00.000000Z",
            "2026-01-01T24:00:00.000000Z",
            "2026-0a-01T10:00:00.000000Z",
            "",
        ] {
            assert!(fixed_width_timestamp(bad).is_none(), "{bad}");
            assert!(parse_sqlite_timestamp(bad).is_err(), "{bad}");
        }
    }

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
