//! A user's own AI providers in the API (`/api/v1/ai/providers…`): list, add, read, change
//! and remove, over `pursuit_app::ai::providers`. A key goes in and never comes out: a
//! provider answers `has_key` and, when the stored key cannot be used, `key_problem`.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::ai::providers::{self as use_case, OwnProviderView, ProviderInput};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_providers, create_provider))
        .routes(routes!(get_provider, update_provider, delete_provider))
}

/// A provider of the caller's (never its key).
#[derive(Serialize, utoipa::ToSchema)]
pub struct OwnProviderResponse {
    #[schema(value_type = uuid::Uuid)]
    id: uuid::Uuid,
    /// How chains, the call log and answers name it.
    name: String,
    /// `openai` (any OpenAI-compatible server) or `anthropic`.
    kind: String,
    url: String,
    model: String,
    /// A key is stored (sealed; it is never shown again).
    has_key: bool,
    /// Why the stored key cannot be used (it was saved under another secrets key, or is
    /// damaged): enter it again.
    key_problem: Option<String>,
    /// `schema`, `object` or `prompt`.
    json_mode: String,
    stream: bool,
    max_tokens: u32,
    timeout_secs: u64,
    /// US dollars per million tokens; either above 0 makes it paid (the budget stops it).
    price_in_per_million: f64,
    price_out_per_million: f64,
    /// The task kinds it answers before the instance's providers.
    used_for: Vec<String>,
    /// Its place among the caller's providers (lower first).
    position: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
}

pub(crate) fn response(p: OwnProviderView) -> OwnProviderResponse {
    OwnProviderResponse {
        id: p.id.0,
        name: p.name,
        kind: p.kind.as_str().to_owned(),
        url: p.url,
        model: p.model,
        has_key: p.has_key,
        key_problem: p.key_problem,
        json_mode: p.json_mode.as_str().to_owned(),
        stream: p.stream,
        max_tokens: p.max_tokens,
        timeout_secs: p.timeout_secs,
        price_in_per_million: p.price_in_per_million,
        price_out_per_million: p.price_out_per_million,
        used_for: p.used_for.iter().map(|k| k.as_str().to_owned()).collect(),
        position: p.position,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OwnProviderList {
    items: Vec<OwnProviderResponse>,
    /// Always `null`: a user has at most 10 providers.
    next_cursor: Option<String>,
}

#[derive(Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    Openai,
    Anthropic,
}

#[derive(Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonModeName {
    Schema,
    Object,
    Prompt,
}

#[derive(Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskKindName {
    Parse,
    Write,
    Classify,
    Summarise,
}

fn name_of<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A provider to add.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProviderBody {
    /// 1–40 lowercase letters, digits, `-` and `_`; not `local` nor a configured provider's.
    name: String,
    kind: KindName,
    /// `https://…` (plain `http://` and private addresses only where the operator allows
    /// them); the server's root or its `/v1`.
    url: String,
    model: String,
    /// Sealed before it is stored; never shown again. Required for Anthropic.
    api_key: Option<String>,
    /// Default `schema`.
    json_mode: Option<JsonModeName>,
    stream: Option<bool>,
    /// 16–200000 (default 2048).
    max_tokens: Option<i64>,
    /// 1–600 (default 30): the most one task waits on it, retries and repair included.
    timeout_secs: Option<i64>,
    /// US dollars per million tokens, 0–10000 (default 0: free).
    price_in_per_million: Option<f64>,
    price_out_per_million: Option<f64>,
    /// Default: every kind.
    used_for: Option<Vec<TaskKindName>>,
    /// 0–1000 (default: after the caller's others).
    position: Option<i64>,
}

/// Changes to a provider; fields left out keep their values. The name cannot change.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderChangeBody {
    kind: Option<KindName>,
    url: Option<String>,
    model: Option<String>,
    /// A new key replaces the stored one; `null` or `""` removes it.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    api_key: Option<Option<String>>,
    json_mode: Option<JsonModeName>,
    stream: Option<bool>,
    max_tokens: Option<i64>,
    timeout_secs: Option<i64>,
    price_in_per_million: Option<f64>,
    price_out_per_million: Option<f64>,
    used_for: Option<Vec<TaskKindName>>,
    position: Option<i64>,
}

fn kinds(used_for: Option<Vec<TaskKindName>>) -> Option<Vec<String>> {
    used_for.map(|kinds| kinds.into_iter().map(name_of).collect())
}

/// The caller's own providers, in their order.
#[utoipa::path(get, path = "/api/v1/ai/providers", tag = "ai",
    responses(
        (status = 200, description = "The caller's providers", body = OwnProviderList),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_providers(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<OwnProviderList>, ApiError> {
    let list = use_case::list(state.ai_services(), current.caller()).await?;
    Ok(Json(OwnProviderList {
        items: list.into_iter().map(response).collect(),
        next_cursor: None,
    }))
}

/// Adds a provider of the caller's own: asked before the instance's providers for the task
/// kinds in `used_for`.
#[utoipa::path(post, path = "/api/v1/ai/providers", tag = "ai", request_body = NewProviderBody,
    responses(
        (status = 201, description = "Added", body = OwnProviderResponse,
            headers(("Location" = String, description = "The provider's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Own providers are not enabled for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken, or the caller has 10 providers", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn create_provider(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<NewProviderBody>,
) -> Result<
    (
        StatusCode,
        [(header::HeaderName, String); 1],
        Json<OwnProviderResponse>,
    ),
    ApiError,
> {
    let input = ProviderInput {
        name: Some(body.name),
        kind: Some(name_of(body.kind)),
        url: Some(body.url),
        model: Some(body.model),
        api_key: Some(body.api_key),
        json_mode: body.json_mode.map(name_of),
        stream: body.stream,
        max_tokens: body.max_tokens,
        timeout_secs: body.timeout_secs,
        price_in_per_million: body.price_in_per_million,
        price_out_per_million: body.price_out_per_million,
        used_for: kinds(body.used_for),
        position: body.position,
    };
    let created = use_case::create(
        state.ai_services(),
        current.caller(),
        input,
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/ai/providers/{}", created.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(created)),
    ))
}

/// One of the caller's providers.
#[utoipa::path(get, path = "/api/v1/ai/providers/{name}", tag = "ai",
    params(("name" = String, Path, description = "The provider's name")),
    responses(
        (status = 200, description = "The provider", body = OwnProviderResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no provider of that name", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_provider(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<OwnProviderResponse>, ApiError> {
    let found = use_case::get(state.ai_services(), current.caller(), &name).await?;
    Ok(Json(response(found)))
}

/// Changes one of the caller's providers; fields left out keep their values.
#[utoipa::path(patch, path = "/api/v1/ai/providers/{name}", tag = "ai", request_body = ProviderChangeBody,
    params(("name" = String, Path, description = "The provider's name")),
    responses(
        (status = 200, description = "The provider now", body = OwnProviderResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Own providers are not enabled for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no provider of that name", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (each is named)", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_provider(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(name): Path<String>,
    Json(body): Json<ProviderChangeBody>,
) -> Result<Json<OwnProviderResponse>, ApiError> {
    let input = ProviderInput {
        name: None,
        kind: body.kind.map(name_of),
        url: body.url,
        model: body.model,
        api_key: body.api_key,
        json_mode: body.json_mode.map(name_of),
        stream: body.stream,
        max_tokens: body.max_tokens,
        timeout_secs: body.timeout_secs,
        price_in_per_million: body.price_in_per_million,
        price_out_per_million: body.price_out_per_million,
        used_for: kinds(body.used_for),
        position: body.position,
    };
    let changed = use_case::update(
        state.ai_services(),
        current.caller(),
        &name,
        input,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(changed)))
}

/// Removes one of the caller's providers and its key.
#[utoipa::path(delete, path = "/api/v1/ai/providers/{name}", tag = "ai",
    params(("name" = String, Path, description = "The provider's name")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no provider of that name", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn delete_provider(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    use_case::delete(
        state.ai_services(),
        current.caller(),
        &name,
        Timestamp::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
