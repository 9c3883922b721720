//! `GET /api/v1/audit`: the caller's own security events, newest first.

use axum::extract::{Query, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use pursuit_domain::ids::AuditId;
use pursuit_store::audit::{self, AuditEntry};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::CurrentUser;
use crate::AppState;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Page size, 1 to 200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntryResponse {
    id: uuid::Uuid,
    /// `auth.sign_in`, `auth.sign_in.failed`, `token.created`, `token.revoked`, …
    action: String,
    entity_type: Option<String>,
    entity_id: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    request_id: Option<String>,
    ip: Option<String>,
    #[schema(value_type = Option<Object>)]
    detail: Option<serde_json::Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    items: Vec<AuditEntryResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

fn encode_cursor(entry: &AuditEntry) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", entry.at, entry.id))
}

fn decode_cursor(cursor: &str) -> Option<(Timestamp, AuditId)> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (at, id) = text.split_once('|')?;
    Some((at.parse().ok()?, AuditId(id.parse().ok()?)))
}

/// The caller's audit entries: sign-ins, failed sign-ins, tokens, logouts, settings changes.
#[utoipa::path(get, path = "/api/v1/audit", tag = "auth", params(AuditQuery),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 400, description = "Bad cursor or limit", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_audit(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::bad_request("limit must be 1 to 200"));
    }
    let after = match query.cursor.as_deref() {
        Some(cursor) => Some(
            decode_cursor(cursor)
                .ok_or_else(|| ApiError::bad_request("the cursor is not valid"))?,
        ),
        None => None,
    };
    let mut entries = audit::list_audit(&state.db, current.id(), after, limit + 1).await?;
    let more = entries.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        entries.last().map(encode_cursor)
    } else {
        None
    };
    let items = entries
        .into_iter()
        .map(|e| AuditEntryResponse {
            id: e.id.0,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            at: e.at,
            request_id: e.request_id,
            ip: e.ip,
            detail: e.detail,
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}
