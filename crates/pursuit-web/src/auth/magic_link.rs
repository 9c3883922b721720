//! Sign-in by emailed link: request a link, open it, press "Sign in" (a POST, so a mail
//! scanner that fetches the link signs nobody in), get a session.

use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::{SignedDuration, Timestamp};
use pursuit_app::mail::SendEmail;
use pursuit_domain::account::{EmailAddress, TimeZoneName};
use pursuit_store::accounts::{self, LinkRejection, LinkTarget, NewUser};
use pursuit_store::jobs::{self, EnqueueOptions};
use pursuit_store::{audit, secret};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::account::{UserResponse, user_response};
use super::rate_limit::too_many;
use super::session::{create_session, session_cookie_header};
use super::{RequestFacts, unauthorized};
use crate::AppState;
use crate::extract::Json;
use crate::problem::{ApiError, FieldError, ProblemType};

/// A sign-in link is valid this long.
pub const LINK_VALIDITY: SignedDuration = SignedDuration::from_mins(10);
/// The owner's first-run link is valid this long (it is printed, not mailed).
pub const OWNER_LINK_VALIDITY: SignedDuration = SignedDuration::from_hours(24);
/// Links per address per hour.
const LINKS_PER_ADDRESS_PER_HOUR: i64 = 5;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_magic_link))
        .routes(routes!(verify_magic_link))
}

pub fn pages() -> axum::Router<AppState> {
    axum::Router::new().route("/auth/magic-link", get(confirm_page))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MagicLinkRequest {
    /// The address to send the link to.
    email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MagicLinkResponse {
    /// Always `sent`: the answer is the same whether or not the address has an account.
    status: &'static str,
}

/// Emails a one-time sign-in link valid for 10 minutes. The answer is the same for known and
/// unknown addresses; a new request invalidates the previous link.
#[utoipa::path(post, path = "/api/v1/auth/magic-link", tag = "auth", request_body = MagicLinkRequest,
    responses(
        (status = 202, description = "If the address may sign in, a link is on its way", body = MagicLinkResponse),
        (status = 422, description = "Not an email address", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many links requested", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn request_magic_link(
    State(state): State<AppState>,
    facts: RequestFacts,
    Json(body): Json<MagicLinkRequest>,
) -> Result<(StatusCode, Json<MagicLinkResponse>), ApiError> {
    send_link(&state, &facts, &body.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MagicLinkResponse { status: "sent" }),
    ))
}

/// Emails a sign-in link to `address` (the API endpoint and the sign-in page both use it).
/// Succeeds alike for known and unknown addresses.
pub(crate) async fn send_link(
    state: &AppState,
    facts: &RequestFacts,
    address: &str,
) -> Result<(), ApiError> {
    let email = EmailAddress::parse(address).map_err(|e| ApiError::invalid_field("/email", e.0))?;
    if let Some(ip) = facts.ip {
        state
            .limiter
            .check(ip)
            .map_err(|wait| too_many(wait, "too many sign-in requests from this address"))?;
    }
    let now = Timestamp::now();
    let hour_ago = now - SignedDuration::from_hours(1);
    if accounts::count_magic_links_since(&state.db, &email, hour_ago).await?
        >= LINKS_PER_ADDRESS_PER_HOUR
    {
        return Err(too_many(
            std::time::Duration::from_secs(3600),
            "too many sign-in links for this email address",
        ));
    }
    let known = accounts::find_user_by_email(&state.db, &email).await?;
    if known.is_none() && !state.settings.signup_open {
        // Same answer as for a known address: the response must not reveal who has an
        // account, and neither may the per-address limit. So a link is recorded here too —
        // one nobody can use (its token is never sent) — and counts like a sent one.
        let mut tx = state.db.begin().await?;
        accounts::insert_magic_link(
            &mut tx,
            &secret::hash(&secret::generate("")),
            &LinkTarget::Email(email.clone()),
            now + LINK_VALIDITY,
            facts.ip.map(|ip| ip.to_string()).as_deref(),
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(());
    }
    let token = secret::generate("");
    let link = format!(
        "{}/auth/magic-link?token={token}",
        state.settings.base_url.trim_end_matches('/')
    );
    let mut tx = state.db.begin().await?;
    accounts::insert_magic_link(
        &mut tx,
        &secret::hash(&token),
        &LinkTarget::Email(email.clone()),
        now + LINK_VALIDITY,
        facts.ip.map(|ip| ip.to_string()).as_deref(),
        now,
    )
    .await?;
    // The mail is a job enqueued with the link: both commit, or neither does.
    let options = EnqueueOptions {
        user_id: known.as_ref().map(|u| u.id),
        ..EnqueueOptions::default()
    };
    jobs::enqueue(&mut tx, &sign_in_email(&email, &link), &options, now).await?;
    let mut entry = facts.audit(known.as_ref().map(|u| u.id), "auth.magic_link.requested");
    entry.entity_type = Some("user");
    entry.entity_id = known.as_ref().map(|u| u.id.to_string());
    audit::insert_audit(&mut tx, &entry, now).await?;
    tx.commit().await?;
    if state.mailer.is_outbox() {
        // The embedded default has no mail server: the link also goes to the log.
        tracing::info!(sign_in.link = %link, "sign-in link written to the dev outbox");
    }
    Ok(())
}

/// The sign-in message, as the `mail.send` job that delivers it.
fn sign_in_email(email: &EmailAddress, link: &str) -> SendEmail {
    SendEmail {
        to: email.as_str().to_owned(),
        subject: "Your Pursuit sign-in link".to_owned(),
        text: format!(
            "Open this link to sign in to Pursuit:\r\n\r\n{link}\r\n\r\nIt works once, for 10 minutes. \
             If you did not ask to sign in, ignore this message."
        ),
        html: Some(format!(
            "<p>Open this link to sign in to Pursuit:</p><p><a href=\"{link}\">Sign in to Pursuit</a></p>\
             <p>It works once, for 10 minutes. If you did not ask to sign in, ignore this message.</p>"
        )),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VerifyRequest {
    /// The `token` query parameter of the emailed link.
    token: String,
    /// The browser's IANA time zone, used when this sign-in creates the account.
    #[serde(default)]
    time_zone: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    user: UserResponse,
    /// Send this as `x-csrf-token` on every unsafe request made with the session cookie.
    csrf_token: String,
}

/// JSON (`application/json`) or a form post from the confirm page.
enum VerifyInput {
    Json(VerifyRequest),
    Form(VerifyRequest),
}

impl FromRequest<AppState> for VerifyInput {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // A sign-in from another site's form would sign the victim's browser in to the
        // attacker's account (login CSRF): the browser's origin must be ours.
        let (parts, body) = request.into_parts();
        super::check_origin(&parts, state)?;
        let request = Request::from_parts(parts, body);
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if is_form {
            let axum::Form(body) = axum::Form::<VerifyRequest>::from_request(request, state)
                .await
                .map_err(|e| ApiError::bad_request(e.body_text()))?;
            Ok(VerifyInput::Form(body))
        } else {
            let Json(body) = Json::<VerifyRequest>::from_request(request, state).await?;
            Ok(VerifyInput::Json(body))
        }
    }
}

/// Uses a sign-in link, once, and starts a session (the cookie). The first sign-in of an
/// unknown address creates the account unless sign-up is closed.
#[utoipa::path(post, path = "/api/v1/auth/magic-link/verify", tag = "auth", request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SignedIn),
        (status = 401, description = "Unknown, used, replaced or expired link", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sign-up is closed on this server", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad time zone", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn verify_magic_link(
    State(state): State<AppState>,
    facts: RequestFacts,
    input: VerifyInput,
) -> Response {
    let (body, is_form) = match input {
        VerifyInput::Json(body) => (body, false),
        VerifyInput::Form(mut body) => {
            // The page fills in what the browser reports; a zone this build does not know
            // is dropped (the account starts in the default) rather than refusing sign-in.
            if body
                .time_zone
                .as_deref()
                .is_some_and(|zone| TimeZoneName::parse(zone).is_err())
            {
                body.time_zone = None;
            }
            (body, true)
        }
    };
    match verify(&state, &facts, &body).await {
        Ok((_, cookie)) if is_form => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Ok((signed_in, cookie)) => {
            let mut response = Json(signed_in).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(error) if is_form => {
            let message = match error.kind() {
                ProblemType::Unauthorized => {
                    "This sign-in link cannot be used: it was already used, replaced by a newer one, or it expired. Request a new link."
                }
                ProblemType::Forbidden => "This server does not accept new accounts.",
                _ => "Signing in failed. Request a new link and try again.",
            };
            let status = error.kind().status();
            (
                status,
                Html(page("Sign-in failed", &format!("<p>{message}</p>"))),
            )
                .into_response()
        }
        Err(error) => error.into_response(),
    }
}

async fn verify(
    state: &AppState,
    facts: &RequestFacts,
    body: &VerifyRequest,
) -> Result<(SignedIn, axum::http::HeaderValue), ApiError> {
    let time_zone = match body.time_zone.as_deref().filter(|z| !z.trim().is_empty()) {
        Some(zone) => Some(TimeZoneName::parse(zone).map_err(|e| {
            ApiError::validation(vec![FieldError {
                pointer: "/time_zone".to_owned(),
                message: e.0,
            }])
        })?),
        None => None,
    };
    if let Some(ip) = facts.ip {
        state
            .limiter
            .check(ip)
            .map_err(|wait| too_many(wait, "too many sign-in attempts from this address"))?;
    }
    let now = Timestamp::now();
    let mut tx = state.db.begin().await?;
    let target =
        match accounts::consume_magic_link(&mut tx, &secret::hash(body.token.trim()), now).await? {
            Ok(target) => target,
            Err(rejection) => {
                drop(tx);
                let reason = match rejection {
                    LinkRejection::Unknown => "unknown",
                    LinkRejection::AlreadyUsed => "already_used",
                    LinkRejection::Superseded => "superseded",
                    LinkRejection::Expired => "expired",
                };
                let mut entry = facts.audit(None, "auth.sign_in.failed");
                entry.detail = Some(serde_json::json!({ "reason": reason }));
                audit::insert_audit(&state.db, &entry, now).await?;
                tracing::info!(reason, "sign-in link refused");
                return Err(unauthorized(
                    "this sign-in link was already used, replaced by a newer one, or expired",
                ));
            }
        };
    let user = match target {
        LinkTarget::User(user_id) => accounts::get_user(&mut tx, user_id)
            .await?
            .ok_or_else(ApiError::not_found)?,
        LinkTarget::Email(email) => match accounts::find_user_by_email(&mut tx, &email).await? {
            Some(user) => user,
            None if !state.settings.signup_open => {
                return Err(ApiError::new(ProblemType::Forbidden)
                    .with_detail("sign-up is closed on this server"));
            }
            None => {
                let new = NewUser {
                    email,
                    display_name: None,
                    time_zone: time_zone.unwrap_or_else(|| state.settings.default_timezone.clone()),
                    is_owner: false,
                };
                let user = accounts::insert_user(&mut tx, &new, now).await?;
                let mut entry = facts.audit(Some(user.id), "user.created");
                entry.entity_type = Some("user");
                entry.entity_id = Some(user.id.to_string());
                audit::insert_audit(&mut tx, &entry, now).await?;
                user
            }
        },
    };
    accounts::mark_email_verified(&mut tx, user.id, now).await?;
    let (cookie_value, csrf_token) = create_session(&mut tx, user.id, facts, now).await?;
    let mut entry = facts.audit(Some(user.id), "auth.sign_in");
    entry.entity_type = Some("session");
    audit::insert_audit(&mut tx, &entry, now).await?;
    let user = accounts::get_user(&mut tx, user.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    let cookie = session_cookie_header(&state.settings, &cookie_value);
    Ok((
        SignedIn {
            user: user_response(&user),
            csrf_token,
        },
        cookie,
    ))
}

#[derive(Deserialize)]
struct ConfirmQuery {
    token: Option<String>,
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Pursuit</title><link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\
         <script src=\"/assets/app.js\" defer></script></head>\
         <body><main class=\"narrow\"><h1>{title}</h1>{body}</main></body></html>"
    )
}

/// The page the emailed link opens. Fetching it changes nothing; the button POSTs.
async fn confirm_page(Query(query): Query<ConfirmQuery>) -> Response {
    let token = query.token.unwrap_or_default();
    // Tokens are URL-safe base64; anything else is not ours and is not echoed into HTML.
    if token.is_empty()
        || token.len() > 128
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return (
            StatusCode::BAD_REQUEST,
            Html(page("Sign-in link not valid", "<p>This link is incomplete. Open the link from the email again, or request a new one.</p>")),
        )
            .into_response();
    }
    Html(page(
        "Sign in to Pursuit",
        &format!(
            "<form method=\"post\" action=\"/api/v1/auth/magic-link/verify\">\
             <input type=\"hidden\" name=\"token\" value=\"{token}\">\
             <input type=\"hidden\" name=\"time_zone\" value=\"\" data-from-browser>\
             <button type=\"submit\">Sign in</button></form>"
        ),
    ))
    .into_response()
}

/// The owner's first-run link for an embedded install, as Jupyter prints its token: while
/// the owner account has never signed in, every start issues a fresh link (valid 24 hours,
/// single use, replacing the previous one) for the operator to open. `None` once the owner
/// has signed in.
pub async fn owner_link(
    db: &pursuit_store::Db,
    base_url: &str,
    default_timezone: &TimeZoneName,
) -> Result<Option<String>, pursuit_store::StoreError> {
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let owner = match accounts::find_owner(&mut tx).await? {
        Some(owner) => owner,
        None => {
            let new = NewUser {
                email: EmailAddress::parse(OWNER_EMAIL).map_err(|e| {
                    pursuit_store::StoreError::Decode {
                        column: "email".to_owned(),
                        message: e.0,
                    }
                })?,
                display_name: None,
                time_zone: default_timezone.clone(),
                is_owner: true,
            };
            accounts::insert_user(&mut tx, &new, now).await?
        }
    };
    if accounts::has_signed_in(&mut tx, owner.id).await? {
        return Ok(None);
    }
    let token = secret::generate("");
    accounts::insert_magic_link(
        &mut tx,
        &secret::hash(&token),
        &LinkTarget::User(owner.id),
        now + OWNER_LINK_VALIDITY,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(format!(
        "{}/auth/magic-link?token={token}",
        base_url.trim_end_matches('/')
    )))
}

/// The address of the local owner account until they set their own.
pub const OWNER_EMAIL: &str = pursuit_domain::account::OWNER_PLACEHOLDER_EMAIL;
