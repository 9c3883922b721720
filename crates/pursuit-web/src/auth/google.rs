//! Sign-in with Google: OpenID Connect authorization-code flow with PKCE, `state` and
//! `nonce`. Accounts are keyed on Google's `sub`; an existing Pursuit account is linked only
//! when Google says the address is verified.
//!
//! The flow is ours (it is short); the ID token's signature and time claims are checked by
//! `jsonwebtoken` against the provider's published keys. Any OpenID provider works the same
//! way; only the issuer URL differs (the tests run a fake one on 127.0.0.1).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use pursuit_domain::account::EmailAddress;
use pursuit_store::accounts::{self, NewUser, OAuthState};
use pursuit_store::{audit, secret};
use serde::Deserialize;
use tokio::sync::RwLock;

use super::RequestFacts;
use super::session::{create_session, session_cookie_header};
use crate::AppState;
use crate::problem::{ApiError, ProblemType};

const PROVIDER: &str = "google";
/// A started sign-in must come back within this time.
const STATE_VALIDITY: SignedDuration = SignedDuration::from_mins(10);
/// Clock skew allowed on the ID token's time claims.
const LEEWAY_SECS: u64 = 60;
const STATE_COOKIE: &str = "pursuit_oauth_state";

/// What the operator configures.
#[derive(Clone)]
pub struct GoogleSettings {
    pub client_id: String,
    pub client_secret: String,
    /// `https://accounts.google.com` in production.
    pub issuer: String,
}

impl std::fmt::Debug for GoogleSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoogleSettings")
            .field("client_id", &self.client_id)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// The provider: its settings, and what we learned from it (discovery document, keys),
/// fetched on first use and kept.
pub struct Google {
    settings: GoogleSettings,
    http: reqwest::Client,
    discovery: RwLock<Option<Discovery>>,
    keys: RwLock<Option<JwkSet>>,
}

#[derive(Debug, thiserror::Error)]
enum OidcError {
    #[error("the identity provider could not be reached: {0}")]
    Provider(String),
    #[error("the sign-in was not started here, or took too long")]
    State,
    #[error("the identity provider's answer was not accepted: {0}")]
    Token(String),
    #[error(
        "the identity provider did not verify this email address, and an account with it exists"
    )]
    UnverifiedEmail,
    #[error("this server does not accept new accounts")]
    SignupClosed,
    #[error("the identity provider sent no usable email address")]
    NoEmail,
    #[error(transparent)]
    Store(#[from] pursuit_store::StoreError),
}

impl Google {
    pub fn new(settings: GoogleSettings) -> Result<Google, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Google {
            settings,
            http,
            discovery: RwLock::new(None),
            keys: RwLock::new(None),
        })
    }

    async fn discovery(&self) -> Result<Discovery, OidcError> {
        if let Some(found) = self.discovery.read().await.clone() {
            return Ok(found);
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let found: Discovery = self.get_json(&url).await?;
        if found.issuer.trim_end_matches('/') != self.settings.issuer.trim_end_matches('/') {
            return Err(OidcError::Provider(
                "the discovery document names another issuer".to_owned(),
            ));
        }
        *self.discovery.write().await = Some(found.clone());
        Ok(found)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| OidcError::Provider(e.to_string()))?;
        if !response.status().is_success() {
            return Err(OidcError::Provider(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| OidcError::Provider(e.to_string()))
    }

    /// The key with this id; the key set is fetched again once when the id is unknown (the
    /// provider rotates keys).
    async fn key(&self, discovery: &Discovery, kid: &str) -> Result<DecodingKey, OidcError> {
        for refresh in [false, true] {
            if refresh || self.keys.read().await.is_none() {
                let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
                *self.keys.write().await = Some(set);
            }
            if let Some(jwk) = self
                .keys
                .read()
                .await
                .as_ref()
                .and_then(|set| set.find(kid))
            {
                return DecodingKey::from_jwk(jwk)
                    .map_err(|e| OidcError::Token(format!("unusable key: {e}")));
            }
        }
        Err(OidcError::Token(format!("no key {kid} at the provider")))
    }
}

pub fn pages() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/auth/google/start", get(start))
        .route("/auth/google/callback", get(callback))
}

fn redirect_uri(state: &AppState) -> String {
    format!(
        "{}/auth/google/callback",
        state.settings.base_url.trim_end_matches('/')
    )
}

fn error_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in failed · Pursuit</title></head>\
         <body><main><h1>Sign-in failed</h1><p>{message}</p><p><a href=\"/\">Back to Pursuit</a></p></main></body></html>"
    );
    (status, Html(body)).into_response()
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn percent(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Starts the sign-in: remembers state, nonce and PKCE verifier, and sends the browser to
/// the provider.
async fn start(State(state): State<AppState>) -> Response {
    let Some(google) = state.google.clone() else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Sign-in with Google is not configured on this server.",
        );
    };
    match start_flow(&state, &google).await {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!(%error, "google sign-in could not start");
            error_page(
                StatusCode::BAD_GATEWAY,
                "Google could not be reached. Try again later.",
            )
        }
    }
}

async fn start_flow(state: &AppState, google: &Google) -> Result<Response, OidcError> {
    let discovery = google.discovery().await?;
    let oauth_state = secret::generate("");
    let stored = OAuthState {
        nonce: secret::generate(""),
        pkce_verifier: secret::generate(""),
    };
    let now = Timestamp::now();
    accounts::insert_oauth_state(
        &state.db,
        &secret::hash(&oauth_state),
        PROVIDER,
        &stored,
        now + STATE_VALIDITY,
        now,
    )
    .await?;
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid%20email%20profile&state={}&nonce={}\
         &code_challenge={}&code_challenge_method=S256",
        discovery.authorization_endpoint,
        percent(&google.settings.client_id),
        percent(&redirect_uri(state)),
        oauth_state,
        stored.nonce,
        secret::pkce_challenge(&stored.pkce_verifier),
    );
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    // Binds the callback to this browser: a callback carrying someone else's state fails.
    let cookie = format!(
        "{STATE_COOKIE}={oauth_state}; Path=/auth/google; HttpOnly; SameSite=Lax; Max-Age=600{secure}"
    );
    let mut response = Redirect::to(&url).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: String,
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    nonce: Option<String>,
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
}

/// Finishes the sign-in: checks state and cookie, exchanges the code (with the PKCE
/// verifier), verifies the ID token, finds or creates the account, starts a session.
async fn callback(
    State(state): State<AppState>,
    facts: RequestFacts,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(google) = state.google.clone() else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Sign-in with Google is not configured on this server.",
        );
    };
    if query.error.is_some() {
        return error_page(StatusCode::BAD_REQUEST, "Google sign-in was cancelled.");
    }
    let result = finish(&state, &google, &facts, &headers, &query).await;
    let clear_state = HeaderValue::from_static(
        "pursuit_oauth_state=; Path=/auth/google; HttpOnly; SameSite=Lax; Max-Age=0",
    );
    match result {
        Ok(session_cookie) => {
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie);
            response
                .headers_mut()
                .append(header::SET_COOKIE, clear_state);
            response
        }
        Err(error) => {
            let reason = match &error {
                OidcError::Provider(_) => "provider",
                OidcError::State => "state",
                OidcError::Token(_) => "id_token",
                OidcError::UnverifiedEmail => "unverified_email",
                OidcError::SignupClosed => "signup_closed",
                OidcError::NoEmail => "no_email",
                OidcError::Store(_) => "store",
            };
            // Logged once, here.
            tracing::warn!(%error, reason, "google sign-in refused");
            let mut entry = facts.audit(None, "auth.sign_in.failed");
            entry.detail = Some(serde_json::json!({ "via": PROVIDER, "reason": reason }));
            if let Err(store_error) = audit::insert_audit(&state.db, &entry, Timestamp::now()).await
            {
                tracing::error!(error = %store_error, "audit entry not written");
            }
            let (kind, message) = match error {
                OidcError::Provider(_) => (
                    ProblemType::Unavailable,
                    "Google could not be reached. Try again later.",
                ),
                OidcError::State => (
                    ProblemType::BadRequest,
                    "This sign-in was not started in this browser, or it took too long. Start again.",
                ),
                OidcError::Token(_) => (
                    ProblemType::Unauthorized,
                    "Google's answer could not be verified. Start again.",
                ),
                OidcError::UnverifiedEmail => (
                    ProblemType::Forbidden,
                    "Google has not verified this email address, and a Pursuit account already uses it. Sign in with an emailed link instead.",
                ),
                OidcError::SignupClosed => (
                    ProblemType::Forbidden,
                    "This server does not accept new accounts.",
                ),
                OidcError::NoEmail => (
                    ProblemType::Forbidden,
                    "Google did not share an email address.",
                ),
                OidcError::Store(_) => (ProblemType::Internal, "Signing in failed. Try again."),
            };
            // A browser gets a page it can show; any other client a problem.
            let mut response = if wants_html(&headers) {
                error_page(kind.status(), message)
            } else {
                ApiError::new(kind).with_detail(message).into_response()
            };
            response
                .headers_mut()
                .append(header::SET_COOKIE, clear_state);
            response
        }
    }
}

async fn finish(
    state: &AppState,
    google: &Google,
    facts: &RequestFacts,
    headers: &HeaderMap,
    query: &CallbackQuery,
) -> Result<HeaderValue, OidcError> {
    let (Some(code), Some(returned_state)) = (query.code.as_deref(), query.state.as_deref()) else {
        return Err(OidcError::State);
    };
    let cookie_state = super::cookie(headers, STATE_COOKIE).ok_or(OidcError::State)?;
    if !secret::constant_time_eq(&cookie_state, returned_state) {
        return Err(OidcError::State);
    }
    let now = Timestamp::now();
    let stored =
        accounts::take_oauth_state(&state.db, &secret::hash(returned_state), PROVIDER, now)
            .await?
            .ok_or(OidcError::State)?;

    let discovery = google.discovery().await?;
    let response = google
        .http
        .post(&discovery.token_endpoint)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri(state).as_str()),
            ("client_id", google.settings.client_id.as_str()),
            ("client_secret", google.settings.client_secret.as_str()),
            ("code_verifier", stored.pkce_verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|e| OidcError::Provider(e.to_string()))?;
    if !response.status().is_success() {
        return Err(OidcError::Token(format!(
            "the token endpoint answered {}",
            response.status()
        )));
    }
    let tokens: TokenResponse = response
        .json()
        .await
        .map_err(|e| OidcError::Token(e.to_string()))?;
    let claims = verify_id_token(google, &discovery, &tokens.id_token, &stored.nonce).await?;
    let user_id = account_for(state, facts, &claims, now).await?;

    let mut tx = state.db.begin().await?;
    let (cookie_value, _csrf) = create_session(&mut tx, user_id, facts, now)
        .await
        .map_err(|_| OidcError::Store(pursuit_store::StoreError::NotFound))?;
    let mut entry = facts.audit(Some(user_id), "auth.sign_in");
    entry.entity_type = Some("session");
    entry.detail = Some(serde_json::json!({ "via": PROVIDER }));
    audit::insert_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(session_cookie_header(&state.settings, &cookie_value))
}

async fn verify_id_token(
    google: &Google,
    discovery: &Discovery,
    id_token: &str,
    nonce: &str,
) -> Result<IdClaims, OidcError> {
    let header =
        jsonwebtoken::decode_header(id_token).map_err(|e| OidcError::Token(e.to_string()))?;
    if header.alg != Algorithm::RS256 {
        return Err(OidcError::Token(format!(
            "unexpected algorithm {:?}",
            header.alg
        )));
    }
    let kid = header
        .kid
        .ok_or_else(|| OidcError::Token("the ID token names no key".to_owned()))?;
    let key = google.key(discovery, &kid).await?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[google.settings.client_id.as_str()]);
    // Google issues both spellings; any other provider, its own issuer.
    let bare = discovery.issuer.trim_start_matches("https://").to_owned();
    validation.set_issuer(&[discovery.issuer.as_str(), bare.as_str()]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    validation.leeway = LEEWAY_SECS;
    let data = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
        .map_err(|e| OidcError::Token(e.to_string()))?;
    let claims = data.claims;
    let nonce_matches = claims
        .nonce
        .as_deref()
        .is_some_and(|n| secret::constant_time_eq(n, nonce));
    if !nonce_matches {
        return Err(OidcError::Token(
            "the nonce does not match this sign-in".to_owned(),
        ));
    }
    Ok(claims)
}

fn email_verified(claims: &IdClaims) -> bool {
    match &claims.email_verified {
        Some(serde_json::Value::Bool(verified)) => *verified,
        // Some providers send the string "true".
        Some(serde_json::Value::String(text)) => text == "true",
        _ => false,
    }
}

/// The account for these claims: by `sub` if known; else the account with the same
/// address, linked only when the provider verified the address; else a new account.
async fn account_for(
    state: &AppState,
    facts: &RequestFacts,
    claims: &IdClaims,
    now: Timestamp,
) -> Result<pursuit_domain::ids::UserId, OidcError> {
    let mut tx = state.db.begin().await?;
    if let Some(user) = accounts::find_user_by_identity(&mut tx, PROVIDER, &claims.sub).await? {
        return Ok(user.id);
    }
    let email = claims
        .email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
        .ok_or(OidcError::NoEmail)?;
    let verified = email_verified(claims);
    let user = match accounts::find_user_by_email(&mut tx, &email).await? {
        Some(_) if !verified => return Err(OidcError::UnverifiedEmail),
        Some(user) => user,
        None if !state.settings.signup_open => return Err(OidcError::SignupClosed),
        None => {
            let new = NewUser {
                email: email.clone(),
                display_name: None,
                time_zone: state.settings.default_timezone.clone(),
                is_owner: false,
            };
            let user = accounts::insert_user(&mut tx, &new, now).await?;
            let mut entry = facts.audit(Some(user.id), "user.created");
            entry.entity_type = Some("user");
            entry.entity_id = Some(user.id.to_string());
            entry.detail = Some(serde_json::json!({ "via": PROVIDER }));
            audit::insert_audit(&mut tx, &entry, now).await?;
            user
        }
    };
    if verified {
        accounts::mark_email_verified(&mut tx, user.id, now).await?;
    }
    accounts::insert_identity(
        &mut tx,
        PROVIDER,
        &claims.sub,
        user.id,
        Some(email.as_str()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user.id)
}

/// Builds the provider when configured.
pub fn from_settings(settings: Option<GoogleSettings>) -> Result<Option<Arc<Google>>, String> {
    settings.map(|s| Google::new(s).map(Arc::new)).transpose()
}
