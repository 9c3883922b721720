//! Sessions: the cookie a sign-in sets, and signing out.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use pursuit_store::accounts::{self, NewSession, SESSION_ABSOLUTE_SECS};
use pursuit_store::{Tx, audit, secret};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Credential, CurrentUser, RequestFacts};
use crate::problem::ApiError;
use crate::{AppState, WebSettings};

/// The session cookie over plain HTTP (a laptop on 127.0.0.1).
pub const SESSION_COOKIE: &str = "pursuit_session";
/// Over HTTPS: `__Host-` makes the browser insist on `Secure`, `Path=/` and no `Domain`.
pub const SESSION_COOKIE_SECURE: &str = "__Host-pursuit_session";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
}

/// Starts a session for `user_id`; returns the cookie value and the CSRF token.
pub async fn create_session(
    tx: &mut Tx,
    user_id: UserId,
    facts: &RequestFacts,
    now: Timestamp,
) -> Result<(String, String), ApiError> {
    let cookie_value = secret::generate("");
    let csrf_token = secret::generate("");
    let ip = facts.ip.map(|ip| ip.to_string());
    accounts::insert_session(
        &mut *tx,
        &NewSession {
            id_hash: &secret::hash(&cookie_value),
            user_id,
            csrf_token: &csrf_token,
            user_agent: facts.user_agent.as_deref(),
            ip: ip.as_deref(),
        },
        now,
    )
    .await?;
    Ok((cookie_value, csrf_token))
}

pub fn session_cookie_header(settings: &WebSettings, value: &str) -> HeaderValue {
    let cookie = if settings.secure_cookies {
        format!(
            "{SESSION_COOKIE_SECURE}={value}; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age={SESSION_ABSOLUTE_SECS}"
        )
    } else {
        format!(
            "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_ABSOLUTE_SECS}"
        )
    };
    // The value is URL-safe base64: always a valid header.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// 204 with the session cookie cleared.
fn signed_out(settings: &WebSettings) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie_header(settings));
    response
}

pub(crate) fn clear_cookie_header(settings: &WebSettings) -> HeaderValue {
    HeaderValue::from_static(if settings.secure_cookies {
        "__Host-pursuit_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0"
    } else {
        "pursuit_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    })
}

/// Ends this session. (An API token is not a session: revoke it at `/api/v1/tokens/{id}`.)
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 400, description = "Called with an API token", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn logout(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
) -> Result<Response, ApiError> {
    end_session(&state, &current, &facts).await?;
    Ok(signed_out(&state.settings))
}

/// Ends the caller's session (the API's logout and the page's sign-out).
pub(crate) async fn end_session(
    state: &AppState,
    current: &CurrentUser,
    facts: &RequestFacts,
) -> Result<(), ApiError> {
    let Credential::Session { id_hash, .. } = &current.credential else {
        return Err(ApiError::bad_request(
            "API tokens do not sign out; revoke the token with DELETE /api/v1/tokens/{id}",
        ));
    };
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    accounts::delete_session(&mut tx, current.id(), id_hash).await?;
    audit::insert_audit(
        &mut tx,
        &facts.audit(Some(current.id()), "auth.logout"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the caller, on every device. API tokens stay valid.
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", tag = "auth",
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn logout_everywhere(
    State(state): State<AppState>,
    current: CurrentUser,
    facts: RequestFacts,
) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    let ended = accounts::delete_sessions_of_user(&mut tx, current.id()).await?;
    let mut entry = facts.audit(Some(current.id()), "auth.logout_everywhere");
    entry.detail = Some(serde_json::json!({ "sessions_ended": ended }));
    audit::insert_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(signed_out(&state.settings))
}
