//! Cursor pagination shared by the list endpoints: `limit` 1–200 (default 50), rows fetched
//! one beyond the limit to know whether a next page exists, and an opaque cursor — URL-safe
//! base64 of `|`-joined parts (the last row's sort value and id) — that the store turns
//! back into a keyset condition.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;

use crate::problem::ApiError;

/// A page as JSON, written into a buffer sized for its rows: `axum::Json` starts at 128
/// bytes and grows by copying (nine times for a page of 50 applications).
pub struct SizedJson<T> {
    pub value: T,
    /// About how many bytes the JSON will take.
    pub bytes: usize,
}

impl<T: serde::Serialize> axum::response::IntoResponse for SizedJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut buffer = Vec::with_capacity(self.bytes);
        match serde_json::to_writer(&mut buffer, &self.value) {
            Ok(()) => (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                buffer,
            )
                .into_response(),
            Err(error) => ApiError::internal(error).into_response(),
        }
    }
}

/// The page size asked for, checked.
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    let limit = requested.unwrap_or(50);
    if (1..=200).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::bad_request("limit must be 1 to 200"))
    }
}

/// Trims rows fetched with `limit + 1` to `limit`; true when there was another page.
pub fn trim<T>(rows: &mut Vec<T>, limit: i64) -> bool {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    more
}

pub fn encode(parts: &[&dyn std::fmt::Display]) -> String {
    let text: Vec<String> = parts.iter().map(ToString::to_string).collect();
    URL_SAFE_NO_PAD.encode(text.join("|"))
}

/// The parts of a cursor, or `None` when it is not one of ours.
pub fn decode(cursor: &str, parts: usize) -> Option<Vec<String>> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let split: Vec<String> = text.splitn(parts, '|').map(str::to_owned).collect();
    (split.len() == parts).then_some(split)
}

/// A `(time, id)` cursor from the query string: absent is the first page, unreadable a 400.
pub fn time_and_id(cursor: Option<&str>) -> Result<Option<(Timestamp, uuid::Uuid)>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    decode(cursor, 2)
        .and_then(|parts| Some((parts[0].parse().ok()?, parts[1].parse().ok()?)))
        .map(Some)
        .ok_or_else(|| ApiError::bad_request("the cursor is not valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_foreign_one_is_refused() {
        let at: Timestamp = "2026-11-23T01:02:03.456789Z".parse().unwrap();
        let id = uuid::Uuid::now_v7();
        let cursor = encode(&[&at, &id]);
        assert_eq!(time_and_id(Some(&cursor)).unwrap(), Some((at, id)));
        assert_eq!(time_and_id(None).unwrap(), None);
        for bad in ["nonsense", "", &encode(&[&"x", &id]), &encode(&[&at])] {
            assert!(time_and_id(Some(bad)).is_err(), "{bad}");
        }
        assert!(limit(Some(0)).is_err() && limit(Some(201)).is_err());
        assert_eq!(limit(None).unwrap(), 50);
    }

    #[test]
    fn trimming_says_whether_there_is_more() {
        let mut rows = vec![1, 2, 3];
        assert!(trim(&mut rows, 2));
        assert_eq!(rows, [1, 2]);
        assert!(!trim(&mut rows, 2));
    }
}
