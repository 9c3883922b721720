//! Beta feedback over `pursuit_app::feedback`: a signed-in user sends a survey response;
//! the instance's owner reads the summary of all of them.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use pursuit_app::feedback::{self, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::problem::{ApiError, ProblemType};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send_feedback))
        .routes(routes!(feedback_summary))
}

/// A survey response.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    /// Question → answer (a text, a number, yes/no or a list of texts); at most 50
    /// questions and 20,000 bytes.
    #[schema(value_type = Object)]
    answers: serde_json::Value,
    /// Would you pay $499 for a year of Pursuit? (required)
    would_pay_at_499: Option<bool>,
    /// What you would pay instead, in US dollars (0–100,000).
    suggested_price: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedbackSent {
    id: uuid::Uuid,
}

/// Sends a beta survey response (at most five a day).
#[utoipa::path(post, path = "/api/v1/beta-feedback", tag = "feedback", request_body = FeedbackBody,
    responses(
        (status = 201, description = "Kept", body = FeedbackSent),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Five responses in the last day already", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field that cannot be kept, named", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn send_feedback(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<FeedbackBody>,
) -> Result<(StatusCode, Json<FeedbackSent>), ApiError> {
    let id = feedback::submit(
        &state.db,
        current.id(),
        &Response {
            answers: body.answers,
            would_pay_at_499: body.would_pay_at_499,
            suggested_price: body.suggested_price,
        },
        Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(FeedbackSent { id: id.0 })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PriceSummary {
    count: i64,
    min: Option<f64>,
    median: Option<f64>,
    mean: Option<f64>,
    max: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AnswerCount {
    answer: String,
    count: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QuestionSummary {
    answered: i64,
    /// The most given answers (short ones only; long texts are counted, not tallied).
    top: Vec<AnswerCount>,
    /// The newest free-text answers (up to five, cut at 500 characters).
    latest: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedbackSummary {
    responses: i64,
    would_pay: i64,
    would_not_pay: i64,
    /// `would_pay / responses`; `null` without responses.
    would_pay_share: Option<f64>,
    /// The prices suggested instead.
    suggested_price: PriceSummary,
    questions: BTreeMap<String, QuestionSummary>,
}

pub(crate) fn summary_response(s: feedback::Summary) -> FeedbackSummary {
    FeedbackSummary {
        responses: s.responses,
        would_pay: s.would_pay,
        would_not_pay: s.would_not_pay,
        would_pay_share: s.would_pay_share,
        suggested_price: PriceSummary {
            count: s.suggested.count,
            min: s.suggested.min,
            median: s.suggested.median,
            mean: s.suggested.mean,
            max: s.suggested.max,
        },
        questions: s
            .questions
            .into_iter()
            .map(|(q, summary)| {
                (
                    q,
                    QuestionSummary {
                        answered: summary.answered,
                        top: summary
                            .top
                            .into_iter()
                            .map(|(answer, count)| AnswerCount { answer, count })
                            .collect(),
                        latest: summary.latest,
                    },
                )
            })
            .collect(),
    }
}

/// What every response says: for the instance's owner only.
#[utoipa::path(get, path = "/api/v1/beta-feedback/summary", tag = "feedback",
    responses(
        (status = 200, description = "The summary", body = FeedbackSummary),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the instance's owner", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn feedback_summary(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<FeedbackSummary>, ApiError> {
    if !current.user.is_owner {
        return Err(ApiError::new(ProblemType::Forbidden)
            .with_detail("the feedback summary is for the instance's owner"));
    }
    Ok(Json(summary_response(feedback::summary(&state.db).await?)))
}
