//! API tokens for scripts, the CLI and agents: `Authorization: Bearer pst_…`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use pursuit_domain::ids::ApiTokenId;
use pursuit_store::accounts::{self, ApiToken};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{CurrentUser, RequestFacts};
use crate::AppState;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    id: uuid::Uuid,
    name: String,
    /// The first characters of the token, to tell tokens apart.
    prefix: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_used_at: Option<Timestamp>,
}

fn token_response(token: &ApiToken) -> TokenResponse {
    TokenResponse {
        id: token.id.0,
        name: token.name.clone(),
        prefix: token.prefix.clone(),
        created_at: token.created_at,
        expires_at: token.expires_at,
        last_used_at: token.last_used_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenList {
    items: Vec<TokenResponse>,
    /// Always `null`: a user's tokens fit on one page.
    next_cursor: Option<String>,
}

/// The caller's live tokens, newest first. Secrets are never shown again.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth",
    responses(
        (status = 200, description = "The caller's tokens", body = TokenList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_tokens(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<TokenList>, ApiError> {
    let tokens = accounts::list_api_tokens(&state.db, current.id()).await?;
    Ok(Json(TokenList {
        items: tokens.iter().map(token_response).collect(),
        next_cursor: None,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateTokenRequest {
    /// What the token is for ("backup script"), 1 to 100 characters.
    name: String,
    /// When the token stops working (RFC 3339); omit for no expiry.
    #[schema(value_type = Option<String>, format = DateTime)]
    expires_at: Option<Timestamp>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    token: TokenResponse,
    /// The secret to send as `Authorization: Bearer <secret>`. Shown only in this response.
    secret: String,
}

/// Creates a named token; the response carries its secret, once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = CreateTokenRequest,
    responses(
        (status = 201, description = "Created; copy the secret now", body = CreatedToken),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or expiry", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
    Json(body): Json<CreateTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let (token, secret) = pursuit_app::accounts::create_token(
        &state.db,
        current.id(),
        &body.name,
        body.expires_at,
        &facts.origin(),
        Timestamp::now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: token_response(&token),
            secret,
        }),
    ))
}

/// Revokes one of the caller's tokens at once. Another user's token id is a 404.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth",
    params(("id" = uuid::Uuid, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such token of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    pursuit_app::accounts::revoke_token(
        &state.db,
        current.id(),
        ApiTokenId(id),
        &facts.origin(),
        Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
