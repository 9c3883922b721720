//! Optimistic concurrency at the HTTP edge, shared by every versioned resource: the version
//! travels as a weak `ETag`, comes back in `If-Match`, and a stale one is answered with the
//! current representation (see docs/API-DESIGN.md, "Concurrency").

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};
use pursuit_app::Precondition;

/// `body` with its version as `ETag: W/"<version>"`.
pub fn with_etag<T: Serialize>(status: StatusCode, body: T, version: i64) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("W/\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The version named by `If-Match`, or why there is none, for a use case to judge once it
/// knows the record exists.
pub fn version_sent(headers: &HeaderMap) -> Result<i64, Precondition> {
    let value = headers.get(header::IF_MATCH).ok_or(Precondition::Missing)?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or(Precondition::Malformed)
}

/// 409 `version-conflict` carrying the current representation under `current`.
pub fn stale<T: Serialize>(what: &str, current: T, current_version: i64, sent: i64) -> ApiError {
    ApiError::new(ProblemType::VersionConflict)
        .with_detail(format!(
            "the {what} is at version {current_version}, not {sent}"
        ))
        .with_extension(
            "current",
            serde_json::to_value(current).unwrap_or(serde_json::Value::Null),
        )
}
