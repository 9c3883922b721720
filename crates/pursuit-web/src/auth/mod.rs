//! Accounts and sign-in: who is calling, and the endpoints that decide it.
//!
//! A caller is authenticated by an API token (`Authorization: Bearer …`) or by the session
//! cookie a sign-in link sets. [`CurrentUser`] is the extractor every user-data handler
//! takes; it carries the user id that every query on user data must be given.
//! Cookie-authenticated unsafe requests must be same-origin and carry the session's CSRF
//! token in `x-csrf-token`.

pub(crate) mod account;
mod audit;
pub(crate) mod cache;
pub mod google;
pub mod magic_link;
pub mod rate_limit;
pub(crate) mod session;
pub(crate) mod tokens;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use jiff::Timestamp;
use pursuit_domain::ids::UserId;
use pursuit_store::accounts::{self, User};
use pursuit_store::audit::NewAuditEntry;
use pursuit_store::secret;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::problem::{ApiError, ProblemType};
use crate::request_id::RequestId;
use cache::Kind;

pub use session::{SESSION_COOKIE, SESSION_COOKIE_SECURE};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(magic_link::router())
        .merge(session::router())
        .merge(account::router())
        .merge(tokens::router())
        .merge(audit::router())
}

/// Plain pages of the sign-in flow (not part of the JSON API).
pub fn pages() -> axum::Router<AppState> {
    magic_link::pages().merge(google::pages())
}

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Credential {
    Session {
        id_hash: String,
        csrf_token: String,
    },
    ApiToken {
        token_id: pursuit_domain::ids::ApiTokenId,
    },
}

/// The authenticated caller. Handlers on user data take this and pass `user.id` to every
/// query: there is no way to reach rows without naming whose they are.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: User,
    pub credential: Credential,
}

impl CurrentUser {
    pub fn id(&self) -> UserId {
        self.user.id
    }

    /// The signed-in user as the AI use cases name a caller (flags are per id and email).
    pub fn caller(&self) -> pursuit_app::ai::Caller<'_> {
        pursuit_app::ai::Caller {
            id: self.user.id,
            email: &self.user.email,
        }
    }

    /// The user's time zone (UTC if the stored name is no longer known).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.user.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// Today's date where the user lives.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now().to_zoned(self.zone()).date()
    }
}

/// Last-used times are written at most this often per token or session.
const TOUCH_INTERVAL_SECS: i64 = 60;

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(ProblemType::Unauthorized)
        .with_detail(detail)
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
}

fn bearer_token(parts: &Parts) -> Option<Result<&str, ApiError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    Some(token.ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`")))
}

/// The value of the cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookies| {
            cookies.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key == name).then(|| value.trim().to_owned())
            })
        })
}

/// The session cookie's value, under either cookie name.
fn session_cookie(parts: &Parts) -> Option<String> {
    cookie(&parts.headers, SESSION_COOKIE_SECURE).or_else(|| cookie(&parts.headers, SESSION_COOKIE))
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A cookie-authenticated unsafe request must come from our own pages: the browser's
/// `Origin` (or `Sec-Fetch-Site`) says same-origin, and the CSRF token matches.
fn check_csrf(parts: &Parts, state: &AppState, csrf_token: &str) -> Result<(), ApiError> {
    check_origin(parts, state)?;
    let sent = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    check_csrf_token(sent, csrf_token)
}

/// The CSRF token a request sent (header or form field) against the session's.
pub(crate) fn check_csrf_token(sent: &str, csrf_token: &str) -> Result<(), ApiError> {
    if sent.is_empty() || !secret::constant_time_eq(sent, csrf_token) {
        return Err(
            ApiError::new(ProblemType::Forbidden).with_detail("missing or wrong CSRF token")
        );
    }
    Ok(())
}

/// Refuses a request a browser marks as coming from another site.
pub(crate) fn check_origin(parts: &Parts, state: &AppState) -> Result<(), ApiError> {
    let forbidden = |detail: &str| ApiError::new(ProblemType::Forbidden).with_detail(detail);
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let fetch_site = parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok());
    // Under our `Referrer-Policy: no-referrer` a browser's form post says `Origin: null`;
    // then `Sec-Fetch-Site` decides, and without it the request is refused.
    if origin == Some("null") {
        return match fetch_site {
            Some("same-origin" | "none") => Ok(()),
            _ => Err(forbidden("cross-site request refused")),
        };
    }
    if let Some(origin) = origin {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        // Same origin means the same scheme too: the public URL's (a TLS proxy in front
        // talks plain HTTP to us, so the connection's own scheme proves nothing).
        let base_url = state.settings.base_url.trim_end_matches('/');
        let scheme = base_url
            .split_once("://")
            .map_or("http", |(scheme, _)| scheme);
        let same_origin = origin == base_url
            || origin
                .strip_prefix(scheme)
                .and_then(|rest| rest.strip_prefix("://"))
                .is_some_and(|origin_host| {
                    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
                });
        if !same_origin {
            return Err(forbidden("cross-origin request refused"));
        }
    } else if let Some(site) = fetch_site
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden("cross-site request refused"));
    }
    Ok(())
}

/// The signed-in browser behind a page request, by its session cookie alone (no CSRF
/// check: page forms carry their token in a field, which the handler checks).
pub(crate) async fn page_session(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<CurrentUser>, ApiError> {
    let Some(cookie) = session_cookie(parts) else {
        return Ok(None);
    };
    session_user(state, &cookie).await
}

/// The caller behind a session cookie's value: from the sign-in cache, or from the
/// database (touching the session's last-seen time at most once a minute).
async fn session_user(state: &AppState, cookie: &str) -> Result<Option<CurrentUser>, ApiError> {
    let id_hash = secret::hash(cookie);
    let generation = state.db.credentials_generation();
    if let Some(current) = state.sign_ins.get(Kind::Session, &id_hash, generation) {
        return Ok(Some(current));
    }
    let now = Timestamp::now();
    let Some(session) = accounts::find_session(&state.db, &id_hash, now).await? else {
        return Ok(None);
    };
    let mut last_seen_at = session.last_seen_at;
    if now.as_second() - last_seen_at.as_second() >= TOUCH_INTERVAL_SECS {
        accounts::touch_session(&state.db, &id_hash, now).await?;
        last_seen_at = now;
    }
    // Kept no longer than the session lives: its absolute expiry, or its idle limit.
    let idle_limit = last_seen_at
        .checked_add(jiff::SignedDuration::from_secs(
            session.user.session_timeout_secs,
        ))
        .unwrap_or(last_seen_at);
    let expires = session.expires_at.min(idle_limit);
    let current = CurrentUser {
        user: session.user,
        credential: Credential::Session {
            id_hash: id_hash.clone(),
            csrf_token: session.csrf_token,
        },
    };
    state
        .sign_ins
        .put(Kind::Session, &id_hash, &current, generation, Some(expires));
    Ok(Some(current))
}

/// The caller behind an API token: from the sign-in cache, or from the database (touching
/// the token's last-used time at most once a minute).
async fn token_user(state: &AppState, token: &str) -> Result<Option<CurrentUser>, ApiError> {
    let hash = secret::hash(token);
    let generation = state.db.credentials_generation();
    if let Some(current) = state.sign_ins.get(Kind::ApiToken, &hash, generation) {
        return Ok(Some(current));
    }
    let now = Timestamp::now();
    let Some((api_token, user)) = accounts::find_api_token(&state.db, &hash, now).await? else {
        return Ok(None);
    };
    if api_token
        .last_used_at
        .is_none_or(|at| now.as_second() - at.as_second() >= TOUCH_INTERVAL_SECS)
    {
        accounts::touch_api_token(&state.db, api_token.id, now).await?;
    }
    let current = CurrentUser {
        user,
        credential: Credential::ApiToken {
            token_id: api_token.id,
        },
    };
    state.sign_ins.put(
        Kind::ApiToken,
        &hash,
        &current,
        generation,
        api_token.expires_at,
    );
    Ok(Some(current))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(current) = parts.extensions.get::<CurrentUser>() {
            return Ok(current.clone());
        }
        let current = if let Some(token) = bearer_token(parts) {
            token_user(state, token?)
                .await?
                .ok_or_else(|| unauthorized("the API token is unknown, expired or revoked"))?
        } else if let Some(cookie) = session_cookie(parts) {
            let current = session_user(state, &cookie)
                .await?
                .ok_or_else(|| unauthorized("the session has ended; sign in again"))?;
            if is_unsafe(&parts.method)
                && let Credential::Session { csrf_token, .. } = &current.credential
            {
                check_csrf(parts, state, csrf_token)?;
            }
            current
        } else {
            return Err(unauthorized(
                "sign in, or send `Authorization: Bearer <token>`",
            ));
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// The request facts an audit entry and a rate limit need.
#[derive(Clone, Debug, Default)]
pub struct RequestFacts {
    pub ip: Option<std::net::IpAddr>,
    pub request_id: Option<String>,
    pub user_agent: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestFacts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestFacts {
            ip: parts
                .extensions
                .get::<crate::middleware::ClientIp>()
                .map(|c| c.0)
                .or_else(|| {
                    parts
                        .extensions
                        .get::<ConnectInfo<std::net::SocketAddr>>()
                        .map(|c| c.0.ip())
                }),
            request_id: parts.extensions.get::<RequestId>().map(|r| r.0.clone()),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

impl RequestFacts {
    /// Where the request came from, as the use cases' audit entries record it.
    pub fn origin(&self) -> pursuit_app::accounts::Origin {
        pursuit_app::accounts::Origin {
            request_id: self.request_id.clone(),
            ip: self.ip.map(|ip| ip.to_string()),
        }
    }

    pub fn audit(&self, user_id: Option<UserId>, action: &'static str) -> NewAuditEntry {
        NewAuditEntry {
            user_id,
            action,
            request_id: self.request_id.clone(),
            ip: self.ip.map(|ip| ip.to_string()),
            ..NewAuditEntry::default()
        }
    }
}
