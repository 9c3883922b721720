//! The pitch (seed 000's offer) over `pursuit_app::offers`: an application's newest pitch,
//! a new one, one pitch, a change to its text, and seed 000's `POST /api/v1/ai/offer`
//! (written, not kept).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use jiff::Timestamp;
use pursuit_app::offers::{self as use_case, Offer, OfferRequest};
use pursuit_domain::ids::{ApplicationId, ContactId, OfferId};
use pursuit_text::letter::Tone;
use pursuit_text::pitch::PitchLength;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::documents::{DocumentResponse, ToneName};
use crate::extract::Json;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_for_application, make_offer))
        .routes(routes!(get_offer, update_offer))
        .routes(routes!(ai_offer))
}

#[derive(Deserialize, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PitchLengthName {
    /// 150–350 characters.
    Short,
    /// 350–600 characters.
    Medium,
    /// 600–1,000 characters.
    Long,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PitchTarget {
    min: usize,
    max: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferResponse {
    id: uuid::Uuid,
    application_id: uuid::Uuid,
    /// The contact it is addressed to, if one was chosen.
    contact_id: Option<uuid::Uuid>,
    /// `professional`, `enthusiastic` or `casual`.
    tone: String,
    /// `short`, `medium` or `long`.
    length_preset: String,
    /// Characters of the text now.
    chars: usize,
    /// The length's range in characters.
    target: PitchTarget,
    /// The text, its claims and who wrote it (`kind: "pitch"`): edited, confirmed and
    /// exported as any document.
    document: DocumentResponse,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

fn response(o: Offer) -> OfferResponse {
    let length = PitchLength::preset(&o.row.length_preset).unwrap_or(PitchLength {
        min_chars: 0,
        max_chars: 1000,
    });
    OfferResponse {
        id: o.row.id.0,
        application_id: o.row.application_id.0,
        contact_id: o.row.contact_id.map(|c| c.0),
        tone: o.row.tone,
        length_preset: o.row.length_preset,
        chars: o.document.row.body.chars().count(),
        target: PitchTarget {
            min: length.min_chars,
            max: length.max_chars,
        },
        document: crate::documents::response(o.document),
        created_at: o.row.created_at,
    }
}

/// The pitch asked for (`{}` for professional, medium, to no one in particular).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    /// Default `professional`.
    tone: Option<ToneName>,
    /// Default `medium`.
    length: Option<PitchLengthName>,
    /// One of the caller's contacts to address it to.
    contact_id: Option<uuid::Uuid>,
}

fn request(
    application: ApplicationId,
    tone: Option<ToneName>,
    length: Option<PitchLengthName>,
    contact: Option<uuid::Uuid>,
) -> OfferRequest {
    OfferRequest {
        application,
        contact: contact.map(ContactId),
        tone: match tone.unwrap_or(ToneName::Professional) {
            ToneName::Professional => Tone::Professional,
            ToneName::Enthusiastic => Tone::Enthusiastic,
            ToneName::Casual => Tone::Casual,
        },
        length: PitchLength::preset(match length.unwrap_or(PitchLengthName::Medium) {
            PitchLengthName::Short => "short",
            PitchLengthName::Medium => "medium",
            PitchLengthName::Long => "long",
        })
        .unwrap_or(PitchLength {
            min_chars: 350,
            max_chars: 600,
        }),
    }
}

/// The application's newest pitch (404 saying so when there is none yet).
#[utoipa::path(get, path = "/api/v1/applications/{id}/offer", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The newest pitch", body = OfferResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's, or no pitch for it yet", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_for_application(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OfferResponse>, ApiError> {
    let offer = use_case::for_application(&state.db, current.id(), ApplicationId(id)).await?;
    Ok(Json(response(offer)))
}

type Created = (
    StatusCode,
    [(header::HeaderName, String); 1],
    Json<OfferResponse>,
);

/// Writes a pitch for the application from the caller's own lines for its posting (a model
/// may reword it, adding no fact and keeping to its characters) and keeps it.
#[utoipa::path(post, path = "/api/v1/applications/{id}/offer", tag = "outreach", request_body = OfferBody,
    params(("id" = uuid::Uuid, Path, description = "The application's id")),
    responses(
        (status = 201, description = "The pitch", body = OfferResponse,
            headers(("Location" = String, description = "The pitch's URL"))),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application has no posting saved, or no resume is read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown tone or length, or a contact that is not the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn make_offer(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<OfferBody>,
) -> Result<Created, ApiError> {
    let asked = request(ApplicationId(id), body.tone, body.length, body.contact_id);
    let offer = use_case::generate(
        state.ai_services(),
        current.caller(),
        &asked,
        Timestamp::now(),
    )
    .await?;
    let location = format!("/api/v1/offers/{}", offer.row.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(response(offer)),
    ))
}

/// One of the caller's pitches.
#[utoipa::path(get, path = "/api/v1/offers/{id}", tag = "outreach",
    params(("id" = uuid::Uuid, Path, description = "The pitch's id")),
    responses(
        (status = 200, description = "The pitch", body = OfferResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pitch of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_offer(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<OfferResponse>, ApiError> {
    let offer = use_case::get(&state.db, current.id(), OfferId(id)).await?;
    Ok(Json(response(offer)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferChangeBody {
    /// The text, at most its length's most characters; the guard reads it again.
    body: String,
}

/// Changes a pitch's text after it was written.
#[utoipa::path(patch, path = "/api/v1/offers/{id}", tag = "outreach", request_body = OfferChangeBody,
    params(("id" = uuid::Uuid, Path, description = "The pitch's id")),
    responses(
        (status = 200, description = "The pitch now", body = OfferResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pitch of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty text, or one over its length", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_offer(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<OfferChangeBody>,
) -> Result<Json<OfferResponse>, ApiError> {
    let offer = use_case::update(
        &state.db,
        current.id(),
        OfferId(id),
        &body.body,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(response(offer)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AiOfferBody {
    /// One of the caller's applications, with its posting saved.
    application_id: uuid::Uuid,
    tone: Option<ToneName>,
    length: Option<PitchLengthName>,
    contact_id: Option<uuid::Uuid>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AiOfferAnswer {
    text: String,
    chars: usize,
    /// `local` (the built-in pitch) or the provider that answered.
    provider: String,
    model: String,
    cost_usd: f64,
    /// Providers passed over, with why (a fact the resume does not hold, too many characters).
    fallbacks: Vec<String>,
}

/// Seed 000's pitch generation: written for the application as `POST
/// /api/v1/applications/{id}/offer` would, but not kept.
#[utoipa::path(post, path = "/api/v1/ai/offer", tag = "ai", request_body = AiOfferBody,
    responses(
        (status = 200, description = "The pitch", body = AiOfferAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application has no posting saved, or no resume is read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown tone or length, or a contact that is not the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn ai_offer(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<AiOfferBody>,
) -> Result<Json<AiOfferAnswer>, ApiError> {
    let asked = request(
        ApplicationId(body.application_id),
        body.tone,
        body.length,
        body.contact_id,
    );
    let written = use_case::write(
        state.ai_services(),
        current.caller(),
        &asked,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(AiOfferAnswer {
        chars: written.text.chars().count(),
        text: written.text,
        provider: written.provider,
        model: written.model,
        cost_usd: written.cost_micros as f64 / 1_000_000.0,
        fallbacks: written.fallbacks,
    }))
}
