//! `POST /webhooks/email-events/{provider}?mailbox=<id>`: what a mailbox's sending service
//! reports about its emails. No session: the request proves itself with the provider's
//! scheme against the key the mailbox's owner gave (`pursuit_app::email_events`); a
//! believed request is queued and answered at once.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use pursuit_app::email_events::{self, Refusal};
use pursuit_domain::ids::MailboxId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::problem::{ApiError, ProblemType};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(email_events_webhook))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookQuery {
    /// The mailbox whose provider posts (shown with the mailbox in the app).
    mailbox: uuid::Uuid,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookTaken {
    /// Always `queued`: the events are taken by a job.
    status: &'static str,
}

/// Takes a sending service's events about a mailbox's emails: SendGrid (Signed Event
/// Webhook), Mailgun, Postmark (the password in the URL's credentials), Resend (Svix
/// signature) or Amazon SES (an SNS subscription, version 1 or 2 signatures).
#[utoipa::path(post, path = "/webhooks/email-events/{provider}", tag = "outreach",
    params(
        ("provider" = String, Path, description = "`sendgrid`, `mailgun`, `postmark`, `resend` or `ses`"),
        WebhookQuery,
    ),
    request_body(content = Object, description = "The provider's own payload (SNS posts it as text/plain)",
        content_type = "application/json"),
    responses(
        (status = 200, description = "Believed and queued", body = WebhookTaken),
        (status = 401, description = "Not believed: no such mailbox taking this provider's events, or a bad or stale proof", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such provider", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn email_events_webhook(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(query): Query<WebhookQuery>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, axum::Json<WebhookTaken>), ApiError> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    match email_events::accept(
        &state.db,
        &state.secrets,
        &provider,
        MailboxId(query.mailbox),
        &header,
        &body,
        Timestamp::now(),
    )
    .await
    {
        Ok(()) => Ok((
            StatusCode::OK,
            axum::Json(WebhookTaken { status: "queued" }),
        )),
        Err(Refusal::UnknownProvider(why)) => {
            Err(ApiError::new(ProblemType::NotFound).with_detail(why))
        }
        Err(Refusal::Unauthorized(why)) => {
            Err(ApiError::new(ProblemType::Unauthorized).with_detail(why))
        }
        Err(Refusal::App(e)) => Err(e.into()),
    }
}
