//! The AI layer in the API (`/api/v1/ai/…`): the seed's task endpoints (`parse-resume`,
//! `parse-job-description`, `pain-point-map`, `spam-check`) as thin routes over
//! `pursuit_app::ai::run`, the call log, the month's usage and the caller's AI settings.
//!
//! Each task answer says who answered (`provider`, `model`), whether it was repaired,
//! cached, and which providers were passed over first. A provider that fails never fails
//! the request: the local engine answers.

use axum::extract::{Query, State};
use jiff::Timestamp;
use pursuit_ai::{Input, Request, Task};
use pursuit_app::ai::{self as use_case, AiResult, SettingsChange, check_input};
use pursuit_app::error::{AppError, Invalid};
use pursuit_domain::ids::{AiCallId, PostingId};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::extract::Json;
use crate::page;
use crate::problem::ApiError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(parse_resume))
        .routes(routes!(parse_job_description))
        .routes(routes!(pain_point_map))
        .routes(routes!(spam_check))
        .routes(routes!(job_summary))
        .routes(routes!(search_terms))
        .routes(routes!(check_claims))
        .routes(routes!(test_provider))
        .routes(routes!(list_calls))
        .routes(routes!(usage))
        .routes(routes!(get_settings, update_settings))
}

/// A task's answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AiAnswer {
    /// The answer; it always fits the task's schema.
    #[schema(value_type = Object)]
    result: serde_json::Value,
    /// Who answered: a configured provider's name, or `local` (the built-in engine).
    provider: String,
    model: String,
    /// The first answer broke the schema and a repair request fixed it.
    repaired: bool,
    /// Served from the response cache: no call was made, nothing was charged.
    cached: bool,
    /// Providers tried before the one that answered, with why they did not
    /// (`openai: timeout`, `claude: skipped_budget`).
    fallbacks: Vec<String>,
    /// What this answer cost in US dollars.
    cost_usd: f64,
}

impl From<AiResult> for AiAnswer {
    fn from(r: AiResult) -> AiAnswer {
        AiAnswer {
            result: r.value,
            provider: r.provider,
            model: r.model,
            repaired: r.repaired,
            cached: r.cached,
            fallbacks: r.fallbacks,
            cost_usd: r.cost_usd,
        }
    }
}

async fn answer(
    state: &AppState,
    current: &CurrentUser,
    request: Request,
) -> Result<Json<AiAnswer>, ApiError> {
    let result = use_case::run(
        state.ai_services(),
        current.caller(),
        Timestamp::now(),
        request,
    )
    .await?;
    Ok(Json(result.into()))
}

fn invalid(errors: Vec<Invalid>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors).into())
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    /// The text to read (at most 100,000 characters).
    text: String,
}

/// A resume's text → its normalised fields (basics, work, education, skills,
/// certificates, languages).
#[utoipa::path(post, path = "/api/v1/ai/parse-resume", tag = "ai", request_body = TextBody,
    responses(
        (status = 200, description = "The resume's fields", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty, too long or NUL-holding text", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn parse_resume(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<TextBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    invalid(
        check_input("text", &body.text, true)
            .err()
            .into_iter()
            .collect(),
    )?;
    let request = Request::new(
        Task::ParseResume,
        vec![Input {
            label: "resume",
            text: body.text,
        }],
    );
    answer(&state, &current, request).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobBody {
    /// The job description (at most 100,000 characters).
    text: String,
    /// The posting's title when a job board gives it apart from the text.
    title: Option<String>,
}

/// A job description's text → its normalised fields (title, responsibilities,
/// requirements, skills, salary, …).
#[utoipa::path(post, path = "/api/v1/ai/parse-job-description", tag = "ai", request_body = JobBody,
    responses(
        (status = 200, description = "The posting's fields", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty, too long or NUL-holding text or title", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn parse_job_description(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<JobBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    let title = body.title.unwrap_or_default();
    invalid(
        [
            check_input("text", &body.text, true).err(),
            check_input("title", &title, false).err(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )?;
    let request = Request::new(
        Task::ParseJob,
        vec![
            Input {
                label: "title",
                text: title,
            },
            Input {
                label: "job description",
                text: body.text,
            },
        ],
    );
    answer(&state, &current, request).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PainPointBody {
    /// The resume's text; or leave it out for `resume_id`'s (default: the active version).
    resume_text: Option<String>,
    /// A resume version's id, or the resume's id (its active version).
    resume_id: Option<uuid::Uuid>,
    /// The job description's text; or `job_id` for a saved posting's.
    job_text: Option<String>,
    job_id: Option<uuid::Uuid>,
}

/// A resume and a job description → the posting's challenges, each with the resume line
/// that answers it (copied, never invented) or `null` for a gap.
#[utoipa::path(post, path = "/api/v1/ai/pain-point-map", tag = "ai", request_body = PainPointBody,
    responses(
        (status = 200, description = "Challenge/solution pairs", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting or resume of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume yet, or the posting or resume is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of job_text and job_id, or both resume_text and resume_id; an empty, too long or NUL-holding text", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn pain_point_map(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<PainPointBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    let user = current.id();
    let mut errors = Vec::new();
    match (&body.job_text, body.job_id) {
        (Some(_), Some(_)) | (None, None) => errors.push(Invalid::new(
            "job_text",
            "give job_text or job_id (one of them)",
        )),
        (Some(text), None) => errors.extend(check_input("job_text", text, true).err()),
        _ => {}
    }
    match (&body.resume_text, body.resume_id) {
        (Some(_), Some(_)) => errors.push(Invalid::new(
            "resume_text",
            "give resume_text or resume_id, not both",
        )),
        (Some(text), None) => errors.extend(check_input("resume_text", text, true).err()),
        _ => {}
    }
    invalid(errors)?;
    // Checked above: exactly one of the two is here.
    let (job_text, title) = match body.job_id.filter(|_| body.job_text.is_none()) {
        Some(id) => {
            let (_, fields) =
                pursuit_app::matching::read_posting(&state.db, user, PostingId(id)).await?;
            (
                fields.description.clone(),
                fields.title.clone().unwrap_or_default(),
            )
        }
        None => (body.job_text.unwrap_or_default(), String::new()),
    };
    let resume_text = match body.resume_text {
        Some(text) => text,
        None => {
            pursuit_app::matching::resume_version(&state.db, user, body.resume_id)
                .await?
                .text
        }
    };
    let request = Request::new(
        Task::PainPointMap,
        vec![
            Input {
                label: "resume",
                text: resume_text,
            },
            Input {
                label: "title",
                text: title,
            },
            Input {
                label: "job description",
                text: job_text,
            },
        ],
    );
    answer(&state, &current, request).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpamBody {
    subject: Option<String>,
    /// The email's body (at most 100,000 characters).
    body: String,
}

/// An email → `spam_score` (0–1) and `spam_words`: the exact strings of the email to
/// highlight.
#[utoipa::path(post, path = "/api/v1/ai/spam-check", tag = "ai", request_body = SpamBody,
    responses(
        (status = 200, description = "The score and the words", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty, too long or NUL-holding body or subject", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn spam_check(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<SpamBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    let subject = body.subject.unwrap_or_default();
    invalid(
        [
            check_input("body", &body.body, true).err(),
            check_input("subject", &subject, false).err(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )?;
    let email = if subject.trim().is_empty() {
        body.body
    } else {
        format!("{subject}\n\n{}", body.body)
    };
    let request = Request::new(
        Task::SpamCheck,
        vec![Input {
            label: "email",
            text: email,
        }],
    );
    answer(&state, &current, request).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSummaryBody {
    /// A saved posting's id; or `job_text` for a posting's text.
    job_id: Option<uuid::Uuid>,
    /// The job description's text (at most 100,000 characters).
    job_text: Option<String>,
}

/// A posting → `summary` (two or three sentences), `duties`, `must_haves` and
/// `nice_to_haves`: nothing the posting does not say (a model's answer that adds a salary,
/// a place or a skill is refused and another answers).
#[utoipa::path(post, path = "/api/v1/ai/job-summary", tag = "ai", request_body = JobSummaryBody,
    responses(
        (status = 200, description = "The summary", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting of the caller's", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The posting is not read yet", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of job_id and job_text; an empty, too long or NUL-holding text", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn job_summary(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<JobSummaryBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    let source = match (body.job_id, body.job_text) {
        (Some(id), None) => pursuit_app::summaries::JobSource::Posting(PostingId(id)),
        (None, Some(text)) => {
            invalid(
                check_input("job_text", &text, true)
                    .err()
                    .into_iter()
                    .collect(),
            )?;
            pursuit_app::summaries::JobSource::Text(text)
        }
        _ => {
            return Err(ApiError::invalid_field(
                "/job_id",
                "give job_id or job_text (one of them)",
            ));
        }
    };
    let result = pursuit_app::summaries::job_summary(
        state.ai_services(),
        current.caller(),
        source,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(result.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchTermsBody {}

/// The caller's active resume and job preferences → `terms` to search job boards with,
/// each with `why` (the title held or targeted, the skill the resume shows).
#[utoipa::path(post, path = "/api/v1/ai/search-terms", tag = "ai", request_body = SearchTermsBody,
    responses(
        (status = 200, description = "The terms", body = AiAnswer),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The feature is turned off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Neither a resume nor target titles to suggest from", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn search_terms(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(_body): Json<SearchTermsBody>,
) -> Result<Json<AiAnswer>, ApiError> {
    let result = pursuit_app::summaries::search_terms(
        state.ai_services(),
        current.caller(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(result.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallsQuery {
    /// Page size, 1 to 200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AiCallResponse {
    id: uuid::Uuid,
    /// `parse_resume`, `parse_job_description`, `pain_point_map`, `spam_check`.
    task: String,
    /// A configured provider's name or `local`.
    provider: String,
    model: String,
    tokens_in: i64,
    tokens_out: i64,
    cost_usd: f64,
    latency_ms: i64,
    /// `ok`, `repaired`, `invalid`, `cache`, `timeout`, `rate_limited`, `server_error`,
    /// `refused`, `unreachable`, `malformed`, `skipped_budget`, `skipped_circuit`,
    /// `skipped_flag`.
    outcome: String,
    /// Why a call failed or was passed over.
    detail: String,
    /// SHA-256 of the prompt.
    prompt_hash: String,
    /// Only with full logging on.
    prompt: Option<String>,
    response: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AiCallPage {
    items: Vec<AiCallResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

/// The caller's AI call log, newest first: every provider call, provider passed over,
/// local answer and cache hit.
#[utoipa::path(get, path = "/api/v1/ai/calls", tag = "ai", params(CallsQuery),
    responses(
        (status = 200, description = "A page of calls", body = AiCallPage),
        (status = 400, description = "Bad cursor or limit", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn list_calls(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<CallsQuery>,
) -> Result<Json<AiCallPage>, ApiError> {
    let limit = page::limit(query.limit)?;
    let after = page::time_and_id(query.cursor.as_deref())?.map(|(at, id)| (at, AiCallId(id)));
    let mut calls = use_case::calls(&state.db, current.id(), after, limit + 1).await?;
    let next_cursor = page::trim(&mut calls, limit)
        .then(|| calls.last().map(|c| page::encode(&[&c.created_at, &c.id])))
        .flatten();
    let items = calls.into_iter().map(call_response).collect();
    Ok(Json(AiCallPage { items, next_cursor }))
}

pub(crate) fn call_response(c: pursuit_store::ai::AiCall) -> AiCallResponse {
    AiCallResponse {
        id: c.id.0,
        task: c.task,
        provider: c.provider,
        model: c.model,
        tokens_in: c.tokens_in,
        tokens_out: c.tokens_out,
        cost_usd: c.cost_micros as f64 / 1_000_000.0,
        latency_ms: c.latency_ms,
        outcome: c.outcome,
        detail: c.detail,
        prompt_hash: c.prompt_hash,
        prompt: c.prompt,
        response: c.response,
        created_at: c.created_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UsageResponse {
    /// The start of the month counted (UTC).
    #[schema(value_type = String, format = DateTime)]
    month_start: Timestamp,
    /// What paid calls cost this month, in US dollars.
    spent_usd: f64,
    /// Entries in the call log this month.
    calls: i64,
    /// The monthly budget for paid calls (`null`: no limit). Reached, paid providers are
    /// passed over and free ones and the local engine answer.
    budget_usd: Option<f64>,
    /// The configured providers (keys are never shown).
    #[schema(value_type = Vec<Object>)]
    providers: Vec<pursuit_ai::ProviderInfo>,
    /// The instance runs the local engine only.
    offline: bool,
    /// Each AI feature flag and whether it is on for the caller (`ai.remote`,
    /// `ai.user_providers`, `ai.spam_check`, …).
    features: Vec<FeatureState>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FeatureState {
    name: String,
    on: bool,
}

/// This month's AI cost and calls, the budget, the configured providers and which AI
/// features are on for the caller.
#[utoipa::path(get, path = "/api/v1/ai/usage", tag = "ai",
    responses(
        (status = 200, description = "The month so far", body = UsageResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn usage(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<UsageResponse>, ApiError> {
    let usage = use_case::usage(&state.db, &state.ai, current.id(), Timestamp::now()).await?;
    Ok(Json(UsageResponse {
        month_start: usage.month_start,
        spent_usd: usage.spent_usd,
        calls: usage.calls,
        budget_usd: usage.budget_usd,
        providers: state.ai.providers(),
        offline: state.ai.settings().offline,
        features: use_case::features(state.ai_services(), current.caller())
            .into_iter()
            .map(|(name, on)| FeatureState {
                name: name.to_owned(),
                on,
            })
            .collect(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AiSettingsResponse {
    /// The local engine only, for this user.
    offline: bool,
    /// Keep prompts and answers (which hold resume text) in the call log.
    full_logging: bool,
    /// This user's monthly budget (`null`: the instance's default, if any).
    monthly_budget_usd: Option<f64>,
    /// Providers this user turned off.
    disabled_providers: Vec<String>,
}

fn settings_response(s: pursuit_store::ai::AiUserSettings) -> AiSettingsResponse {
    AiSettingsResponse {
        offline: s.offline,
        full_logging: s.full_logging,
        monthly_budget_usd: s.monthly_budget_micros.map(|m| m as f64 / 1_000_000.0),
        disabled_providers: s.disabled_providers,
    }
}

/// The caller's AI settings.
#[utoipa::path(get, path = "/api/v1/ai/settings", tag = "ai",
    responses(
        (status = 200, description = "The settings", body = AiSettingsResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn get_settings(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<AiSettingsResponse>, ApiError> {
    let settings = use_case::settings(&state.db, current.id()).await?;
    Ok(Json(settings_response(settings)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AiSettingsChange {
    offline: Option<bool>,
    full_logging: Option<bool>,
    /// US dollars, 0 to 1,000,000; `null` goes back to the instance's default.
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<f64>)]
    monthly_budget_usd: Option<Option<f64>>,
    /// Provider names, as configured.
    disabled_providers: Option<Vec<String>>,
}

/// Changes the caller's AI settings; fields left out keep their values.
#[utoipa::path(patch, path = "/api/v1/ai/settings", tag = "ai", request_body = AiSettingsChange,
    responses(
        (status = 200, description = "The settings now", body = AiSettingsResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A budget out of range or an unknown provider", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn update_settings(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<AiSettingsChange>,
) -> Result<Json<AiSettingsResponse>, ApiError> {
    let settings = use_case::update_settings(
        &state.db,
        &state.ai,
        current.id(),
        Timestamp::now(),
        SettingsChange {
            offline: body.offline,
            full_logging: body.full_logging,
            monthly_budget_usd: body.monthly_budget_usd,
            disabled_providers: body.disabled_providers,
        },
    )
    .await?;
    Ok(Json(settings_response(settings)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckClaimsBody {
    /// A generated text: a CV line, a cover letter, a pitch (at most 100,000 characters).
    text: String,
    /// What the text may name without claiming it: the posting, the company, the
    /// recipient.
    context: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ClaimResponse {
    /// `number`, `duration`, `date`, `skill`, `degree`, `certification`, `employer`,
    /// `title` or `name`.
    kind: String,
    /// The words that carry the claim, as written.
    words: String,
    /// Byte offsets of `words` in `text`.
    start: usize,
    end: usize,
    /// Whether the user's own material supports it.
    supported: bool,
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ClaimCheckResponse {
    claims: Vec<ClaimResponse>,
    /// How many claims the user's material does not support (export waits on these).
    unsupported: usize,
    /// How many sources the text was checked against: each resume version, and the
    /// profile with its projects when there is one.
    versions_checked: usize,
}

/// The truthfulness guard: a text read into claims about the user (figures, durations,
/// years, skills, degrees, certifications, employers, titles, names), each checked against
/// every resume version the user has. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/ai/check-claims", tag = "ai", request_body = CheckClaimsBody,
    responses(
        (status = 200, description = "The claims and which are unsupported", body = ClaimCheckResponse),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "No resume text yet to check against", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty, too long or NUL-holding text or context", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn check_claims(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(body): Json<CheckClaimsBody>,
) -> Result<Json<ClaimCheckResponse>, ApiError> {
    let check = use_case::check_claims(
        state.ai_services(),
        current.caller(),
        &body.text,
        body.context.as_deref().unwrap_or(""),
        Timestamp::now(),
    )
    .await?;
    let claims: Vec<ClaimResponse> = check
        .claims
        .into_iter()
        .map(|c| ClaimResponse {
            kind: c.kind.as_str().to_owned(),
            words: c.words,
            start: c.start,
            end: c.end,
            supported: c.supported,
            reason: c.reason,
        })
        .collect();
    Ok(Json(ClaimCheckResponse {
        unsupported: claims.iter().filter(|c| !c.supported).count(),
        claims,
        versions_checked: check.versions,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderTest {
    /// The provider answered with a schema-valid spam check.
    ok: bool,
    /// How its last call ended: `ok`, `repaired`, `invalid`, `timeout`, `unreachable`,
    /// `rate_limited`, `server_error`, `refused`, `malformed`.
    outcome: String,
    model: String,
    /// All its calls together, retries and repair included.
    latency_ms: u64,
    /// Why it failed (never the key).
    detail: String,
}

/// "Test connection": one small spam check sent to one provider alone (the caller's own of
/// that name, else the configured one); its calls go to the caller's call log.
#[utoipa::path(post, path = "/api/v1/ai/providers/{name}/test", tag = "ai",
    params(("name" = String, Path, description = "The name of one of the caller's providers, or of one in [ai.providers]")),
    responses(
        (status = 200, description = "What the provider did", body = ProviderTest),
        (status = 401, description = "Not signed in", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 403, description = "A feature flag keeps this provider off for the caller", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No provider of that name", body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
async fn test_provider(
    State(state): State<AppState>,
    current: CurrentUser,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Json<ProviderTest>, ApiError> {
    let result = use_case::test_provider(
        state.ai_services(),
        current.caller(),
        &name,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(ProviderTest {
        ok: result.worked,
        outcome: result.outcome,
        model: result.model,
        latency_ms: result.latency_ms,
        detail: result.detail,
    }))
}
