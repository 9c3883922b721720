//! `GET /api/v1/audit`: the caller's own security events, newest first.

use axum::extract::{Query, State};
use jiff::Timestamp;
use pursuit_domain::ids::AuditId;
use pursuit_store::audit;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::CurrentUser;
use crate::AppState;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    let limit = page::limit(query.limit)?;
    let after = page::time_and_id(query.cursor.as_deref())?.map(|(at, id)| (at, AuditId(id)));
    let mut entries = audit::list_audit(&state.db, current.id(), after, limit + 1).await?;
    let next_cursor = page::trim(&mut entries, limit)
        .then(|| entries.last().map(|e| page::encode(&[&e.at, &e.id])))
        .flatten();
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
