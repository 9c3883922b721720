//! Optimistic concurrency at the HTTP edge, shared by every versioned resource: the version
//! travels as a weak `ETag`, comes back in `If-Match`, and a stale one is answered with the
//! current representation (see docs/API-DESIGN.md, "Concurrency").

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pursuit_store::Versioned;
use serde::Serialize;

use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};

/// `body` with its version as `ETag: W/"<version>"`.
pub fn with_etag<T: Serialize>(status: StatusCode, body: T, version: i64) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("W/\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The version named by `If-Match` (`W/"3"`, `"3"` or `3`); 428 without one.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(ProblemType::PreconditionRequired)
            .with_detail("send If-Match with the version (the ETag) you last read"));
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| {
            ApiError::bad_request("If-Match must be the ETag you last read, such as W/\"3\"")
        })
}

/// What a versioned write did, as the handler answers it: the `Done` value, or the problem
/// of a stale version (made by `stale`, which carries the current representation) or of a
/// row that is gone (404).
pub fn settle<T, S>(
    outcome: Versioned<T, S>,
    sent: i64,
    stale: impl FnOnce(&S, i64) -> ApiError,
) -> Result<T, ApiError> {
    match outcome {
        Versioned::Done(done) => Ok(done),
        Versioned::Stale(current) => Err(stale(&current, sent)),
        Versioned::Missing => Err(ApiError::not_found()),
    }
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
