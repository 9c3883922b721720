//! Liveness and readiness, for process supervisors and load balancers.

use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthResponse {
    /// Always `ok` when the process answers.
    status: &'static str,
    /// The Pursuit version serving the request.
    version: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReadyResponse {
    /// `ready` when the database answers and can store writes.
    status: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
}

/// The process is up. Touches nothing else, so it stays cheap under load.
#[utoipa::path(get, path = "/healthz", tag = "platform",
    responses((status = 200, description = "The process is up", body = HealthResponse)))]
async fn healthz(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok",
        version: state.settings.version,
    })
}

/// The process can serve requests: the database answers and can store writes.
///
/// After a write failed for want of space, readiness is proven with a write of its own.
#[utoipa::path(get, path = "/readyz", tag = "platform",
    responses(
        (status = 200, description = "Ready", body = ReadyResponse),
        (status = 503, description = "The database is not reachable, or cannot store writes (its disk is full)",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn readyz(State(state): State<AppState>) -> Result<Json<ReadyResponse>, ApiError> {
    state.db.ping().await.map_err(ApiError::unavailable)?;
    state.db.check_writable().await.map_err(ApiError::from)?;
    Ok(Json(ReadyResponse {
        status: "ready",
        database: state.db.backend().as_str(),
    }))
}
