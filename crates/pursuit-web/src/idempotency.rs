//! `Idempotency-Key` on creates: the first successful response to a key is stored with a
//! hash of the request, in the same transaction as the created row; a retry with the same
//! key and the same request gets that response again (with `Idempotent-Replayed: true`),
//! the same key with a different request is a 422, and a retry racing the first request
//! is a 409. Keys are per user and kept a day.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use pursuit_store::idempotency::{self, Recorded};
use pursuit_store::{Conn, StoreError, secret};
use serde_json::Value;

use crate::extract::Json;
use crate::problem::ApiError;

pub struct Idempotency {
    key: String,
    request_hash: String,
}

impl Idempotency {
    /// The request's key, if it sent one; `body` is what the key promises not to repeat.
    pub fn from_request(
        headers: &HeaderMap,
        path: &str,
        body: &Value,
    ) -> Result<Option<Idempotency>, ApiError> {
        let Some(value) = headers.get("idempotency-key") else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 255)
            .ok_or_else(|| {
                ApiError::bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters")
            })?;
        let request_hash = secret::hash(&format!("{path}\n{body}"));
        Ok(Some(Idempotency {
            key: key.to_owned(),
            request_hash,
        }))
    }

    /// The stored response for this key, if the same request already succeeded.
    pub async fn replay(
        &self,
        conn: impl Conn,
        user_id: UserId,
    ) -> Result<Option<Response>, ApiError> {
        let Some(recorded) = idempotency::find(conn, user_id, &self.key).await? else {
            return Ok(None);
        };
        if recorded.request_hash != self.request_hash {
            return Err(ApiError::invalid_field(
                "",
                "this Idempotency-Key was already used for a different request",
            ));
        }
        let status = u16::try_from(recorded.status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        let mut response = (status, Json(recorded.response.clone())).into_response();
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        if let Some(version) = recorded.response.get("version").and_then(Value::as_i64)
            && let Ok(tag) = HeaderValue::from_str(&format!("W/\"{version}\""))
        {
            response.headers_mut().insert(header::ETAG, tag);
        }
        Ok(Some(response))
    }

    /// Stores the response with the created row's transaction.
    pub async fn record(
        &self,
        conn: impl Conn,
        user_id: UserId,
        status: StatusCode,
        body: Value,
    ) -> Result<(), ApiError> {
        let recorded = Recorded {
            request_hash: self.request_hash.clone(),
            status: i64::from(status.as_u16()),
            response: body,
        };
        idempotency::record(conn, user_id, &self.key, &recorded, Timestamp::now())
            .await
            .map_err(|e| match e {
                StoreError::UniqueViolation { .. } => ApiError::conflict(
                    "a request with this Idempotency-Key is being processed; retry in a moment",
                ),
                other => other.into(),
            })
    }
}
