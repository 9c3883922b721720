//! RFC 9457 problem details: the one shape of every error Pursuit's HTTP API returns.
//!
//! Every problem body is built by [`problem_response`], whether it comes from a handler
//! ([`ApiError`]), an extractor rejection, the fallback, a panic, or a bare error response
//! from a lower layer (see `middleware::ensure_problem`).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pursuit_app::{AppError, Current};
use pursuit_store::StoreError;
use serde::Serialize;

use crate::request_id;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The catalogue of problem types. The `type` URI of each is `/problems/{slug}`, served by
/// Pursuit itself (see `docs/API-DESIGN.md`); slugs are stable API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemType {
    BadRequest,
    MalformedJson,
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    VersionConflict,
    PreconditionRequired,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    Internal,
    Unavailable,
    StorageFull,
    Timeout,
    RequestTimeout,
}

impl ProblemType {
    pub const ALL: [ProblemType; 18] = [
        ProblemType::BadRequest,
        ProblemType::MalformedJson,
        ProblemType::Validation,
        ProblemType::Unauthorized,
        ProblemType::Forbidden,
        ProblemType::NotFound,
        ProblemType::MethodNotAllowed,
        ProblemType::Conflict,
        ProblemType::VersionConflict,
        ProblemType::PreconditionRequired,
        ProblemType::PayloadTooLarge,
        ProblemType::UnsupportedMediaType,
        ProblemType::RateLimited,
        ProblemType::Internal,
        ProblemType::Unavailable,
        ProblemType::StorageFull,
        ProblemType::Timeout,
        ProblemType::RequestTimeout,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ProblemType::BadRequest => "bad-request",
            ProblemType::MalformedJson => "malformed-json",
            ProblemType::Validation => "validation",
            ProblemType::Unauthorized => "unauthorized",
            ProblemType::Forbidden => "forbidden",
            ProblemType::NotFound => "not-found",
            ProblemType::MethodNotAllowed => "method-not-allowed",
            ProblemType::Conflict => "conflict",
            ProblemType::VersionConflict => "version-conflict",
            ProblemType::PreconditionRequired => "precondition-required",
            ProblemType::PayloadTooLarge => "payload-too-large",
            ProblemType::UnsupportedMediaType => "unsupported-media-type",
            ProblemType::RateLimited => "rate-limited",
            ProblemType::Internal => "internal",
            ProblemType::Unavailable => "unavailable",
            ProblemType::StorageFull => "storage-full",
            ProblemType::Timeout => "timeout",
            ProblemType::RequestTimeout => "request-timeout",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ProblemType> {
        ProblemType::ALL.into_iter().find(|t| t.slug() == slug)
    }

    pub fn status(self) -> StatusCode {
        match self {
            ProblemType::BadRequest | ProblemType::MalformedJson => StatusCode::BAD_REQUEST,
            ProblemType::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemType::Unauthorized => StatusCode::UNAUTHORIZED,
            ProblemType::Forbidden => StatusCode::FORBIDDEN,
            ProblemType::NotFound => StatusCode::NOT_FOUND,
            ProblemType::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemType::Conflict => StatusCode::CONFLICT,
            ProblemType::VersionConflict => StatusCode::CONFLICT,
            ProblemType::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ProblemType::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProblemType::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemType::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ProblemType::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ProblemType::Unavailable | ProblemType::StorageFull => StatusCode::SERVICE_UNAVAILABLE,
            ProblemType::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ProblemType::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ProblemType::BadRequest => "The request is not valid",
            ProblemType::MalformedJson => "The request body is not valid JSON",
            ProblemType::Validation => "The request failed validation",
            ProblemType::Unauthorized => "Authentication is required",
            ProblemType::Forbidden => "The request is not allowed",
            ProblemType::NotFound => "The resource was not found",
            ProblemType::MethodNotAllowed => "The method is not allowed on this resource",
            ProblemType::Conflict => "The request conflicts with the current state",
            ProblemType::VersionConflict => "The resource changed since it was read",
            ProblemType::PreconditionRequired => "The request must say which version it changes",
            ProblemType::PayloadTooLarge => "The request body is too large",
            ProblemType::UnsupportedMediaType => "The request body has an unsupported media type",
            ProblemType::RateLimited => "Too many requests",
            ProblemType::Internal => "An internal error occurred",
            ProblemType::Unavailable => "The service is temporarily unavailable",
            ProblemType::StorageFull => "The server has no room to save changes",
            ProblemType::Timeout => "The request took too long",
            ProblemType::RequestTimeout => "The request body arrived too slowly",
        }
    }

    /// What a client should do about it; shown on the type's documentation page.
    pub fn description(self) -> &'static str {
        match self {
            ProblemType::BadRequest => {
                "The request is malformed in a way not covered by a more specific type (a bad query string or path parameter, for instance). Fix the request; `detail` says what is wrong."
            }
            ProblemType::MalformedJson => {
                "The body could not be parsed as JSON. `detail` gives the parser's message with line and column."
            }
            ProblemType::Validation => {
                "The body parsed but a value is missing, of the wrong type, or out of range. `errors` lists each field (as a JSON pointer) with a message."
            }
            ProblemType::Unauthorized => {
                "No valid session or API token came with the request. Sign in, or send `Authorization: Bearer <token>`."
            }
            ProblemType::Forbidden => {
                "The caller is known but may not do this (for example a cookie-authenticated request without a valid CSRF token)."
            }
            ProblemType::NotFound => {
                "No such route, or no such resource for this user. Resources of other users are reported as not found, so ids leak nothing."
            }
            ProblemType::MethodNotAllowed => {
                "The route exists but not for this method; the `Allow` header lists the methods it accepts."
            }
            ProblemType::Conflict => {
                "The write conflicts with existing data (a duplicate, or a state that does not allow it)."
            }
            ProblemType::VersionConflict => {
                "The `If-Match` version is not the current one: the resource changed since you read it (on another device, or by a rule). Fetch the current version, re-apply your change to it, and retry."
            }
            ProblemType::PreconditionRequired => {
                "Updates and deletes of versioned resources need `If-Match` with the version (the `ETag`) you last read."
            }
            ProblemType::PayloadTooLarge => "The body is larger than the server accepts.",
            ProblemType::UnsupportedMediaType => {
                "The body's `Content-Type` is not one this endpoint accepts (JSON endpoints want `application/json`)."
            }
            ProblemType::RateLimited => {
                "Too many requests in a short time. Wait for the number of seconds in `Retry-After`."
            }
            ProblemType::Internal => {
                "Something failed inside Pursuit. The body holds only the request id; the server log has the cause under that id."
            }
            ProblemType::Unavailable => {
                "A dependency (the database, for example) is not reachable right now. Retry later."
            }
            ProblemType::StorageFull => {
                "The disk the database lives on is full, so nothing can be saved; reading still works, and nothing was half-written. Retry after the number of seconds in `Retry-After`; the operator has to free space."
            }
            ProblemType::RequestTimeout => {
                "The client did not send the whole request body within the server's time limit (`detail` says how long). Send it again on a faster connection, or in smaller parts."
            }
            ProblemType::Timeout => {
                "The server gave up waiting for the work to finish. Retry later."
            }
        }
    }

    pub fn type_uri(self) -> String {
        format!("/problems/{}", self.slug())
    }
}

/// One invalid field in a validation problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// A JSON pointer to the field (`/salary_min`), or `""` for the whole body.
    pub pointer: String,
    pub message: String,
}

/// The RFC 9457 body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The id of the request; quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Members particular to a problem type (e.g. `current` on a version conflict).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// Builds every problem response: the body, its media type, and the request id, which is
/// read from the request's task-local scope (see [`request_id`]).
pub fn problem_response(
    kind: ProblemType,
    detail: Option<String>,
    errors: Vec<FieldError>,
    headers: HeaderMap,
) -> Response {
    render(
        kind.status(),
        kind.type_uri(),
        kind.title().to_owned(),
        detail,
        errors,
        headers,
        serde_json::Map::new(),
    )
}

/// A problem for a bare status code from a lower layer: the catalogued type when there is
/// one for that status, else `about:blank` with the status's reason phrase (RFC 9457 §4.2.1).
/// The status itself is always kept.
pub fn status_problem(status: StatusCode, detail: Option<String>, headers: HeaderMap) -> Response {
    match crate::middleware::problem_type_for(status) {
        Some(kind) if kind.status() == status => {
            problem_response(kind, detail, Vec::new(), headers)
        }
        _ => render(
            status,
            "about:blank".to_owned(),
            status.canonical_reason().unwrap_or("Error").to_owned(),
            detail,
            Vec::new(),
            headers,
            serde_json::Map::new(),
        ),
    }
}

fn render(
    status: StatusCode,
    type_uri: String,
    title: String,
    detail: Option<String>,
    errors: Vec<FieldError>,
    headers: HeaderMap,
    extensions: serde_json::Map<String, serde_json::Value>,
) -> Response {
    let context = request_id::current();
    let body = Problem {
        type_uri,
        title,
        status: status.as_u16(),
        // A 5xx never carries internal text: only the request id.
        detail: if status.is_server_error() {
            None
        } else {
            detail
        },
        instance: context.as_ref().map(|c| c.path.clone()),
        request_id: context.map(|c| c.id),
        errors,
        extensions,
    };
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, json).into_response();
    response.headers_mut().extend(headers);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// What a client is told about U+0000 in its input, wherever it came in.
pub const NUL_MESSAGE: &str = pursuit_app::fields::NUL_MESSAGE;

/// A field name as a client can read it back: U+0000 written as `\u0000`.
pub fn visible_name(name: &str) -> String {
    name.replace('\0', "\\u0000")
}

/// JSON pointers (RFC 6901) to every string or key in `value` holding U+0000.
pub fn nul_pointers(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, pointer: &mut String, found: &mut Vec<String>) {
        let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
        match value {
            serde_json::Value::String(text) if text.contains('\0') => found.push(pointer.clone()),
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{index}"));
                    walk(item, pointer, found);
                    pointer.truncate(len);
                }
            }
            serde_json::Value::Object(members) => {
                for (key, item) in members {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape(&visible_name(key)));
                    if key.contains('\0') {
                        found.push(pointer.clone());
                    }
                    walk(item, pointer, found);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &mut String::new(), &mut found);
    found
}

/// A 422 naming each field (JSON pointer, or `?name` for a query parameter) that holds
/// U+0000.
pub fn nul_problem(pointers: Vec<String>) -> ApiError {
    ApiError::validation(pointers.into_iter().map(|pointer| FieldError {
        pointer,
        message: NUL_MESSAGE.to_owned(),
    }))
}

/// The error type of every handler.
#[derive(Debug)]
pub struct ApiError(Box<ApiErrorParts>);

/// Boxed so that `Result<T, ApiError>` stays one pointer wide on the happy path.
#[derive(Debug)]
struct ApiErrorParts {
    kind: ProblemType,
    detail: Option<String>,
    errors: Vec<FieldError>,
    headers: HeaderMap,
    /// The cause of a 5xx, logged once when the response is built, never sent.
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    extensions: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// Adds a member to the problem body (RFC 9457 §3.2 extension members).
    pub fn with_extension(mut self, name: &str, value: serde_json::Value) -> ApiError {
        self.0.extensions.insert(name.to_owned(), value);
        self
    }

    pub fn new(kind: ProblemType) -> ApiError {
        ApiError(Box::new(ApiErrorParts {
            kind,
            detail: None,
            errors: Vec::new(),
            headers: HeaderMap::new(),
            source: None,
            extensions: serde_json::Map::new(),
        }))
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> ApiError {
        self.0.detail = Some(detail.into());
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> ApiError {
        self.0.headers.insert(name, value);
        self
    }

    fn with_source(mut self, source: Box<dyn std::error::Error + Send + Sync>) -> ApiError {
        self.0.source = Some(source);
        self
    }

    pub fn not_found() -> ApiError {
        ApiError::new(ProblemType::NotFound)
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(ProblemType::BadRequest).with_detail(detail)
    }

    pub fn conflict(detail: impl Into<String>) -> ApiError {
        ApiError::new(ProblemType::Conflict).with_detail(detail)
    }

    /// A validation failure naming each bad field.
    pub fn validation(errors: impl IntoIterator<Item = impl Into<FieldError>>) -> ApiError {
        let errors: Vec<FieldError> = errors.into_iter().map(Into::into).collect();
        let detail = match errors.as_slice() {
            [only] if only.pointer.is_empty() => only.message.clone(),
            [only] => format!("{}: {}", only.pointer, only.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut error = ApiError::new(ProblemType::Validation).with_detail(detail);
        error.0.errors = errors;
        error
    }

    /// One invalid field.
    pub fn invalid_field(pointer: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::validation(vec![FieldError {
            pointer: pointer.into(),
            message: message.into(),
        }])
    }

    /// An internal error: logged with its cause, answered with the request id only.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ApiError {
        ApiError::new(ProblemType::Internal).with_source(source.into())
    }

    /// A dependency is down: 503 with `Retry-After`.
    pub fn unavailable(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ApiError {
        ApiError::new(ProblemType::Unavailable)
            .with_source(source.into())
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("5"))
    }

    pub fn kind(&self) -> ProblemType {
        self.0.kind
    }

    /// The detail a client is shown (none for a 5xx, whose cause stays in the log).
    pub fn detail(&self) -> Option<&str> {
        if self.0.kind.status().is_server_error() {
            return None;
        }
        self.0.detail.as_deref()
    }

    pub fn field_errors(&self) -> &[FieldError] {
        &self.0.errors
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let parts = *self.0;
        if let Some(source) = &parts.source {
            // Logged here, once, where the failure is turned into an answer.
            tracing::error!(problem.type = parts.kind.slug(), error = %source, "request failed");
        }
        render(
            parts.kind.status(),
            parts.kind.type_uri(),
            parts.kind.title().to_owned(),
            parts.detail,
            parts.errors,
            parts.headers,
            parts.extensions,
        )
    }
}

impl From<pursuit_app::Invalid> for FieldError {
    fn from(invalid: pursuit_app::Invalid) -> FieldError {
        FieldError {
            pointer: invalid.field,
            message: invalid.message,
        }
    }
}

impl From<FieldError> for pursuit_app::Invalid {
    fn from(error: FieldError) -> pursuit_app::Invalid {
        pursuit_app::Invalid {
            field: error.pointer,
            message: error.message,
        }
    }
}

impl From<pursuit_app::Precondition> for ApiError {
    fn from(precondition: pursuit_app::Precondition) -> ApiError {
        match precondition {
            pursuit_app::Precondition::Missing => ApiError::new(ProblemType::PreconditionRequired)
                .with_detail("send If-Match with the version (the ETag) you last read"),
            pursuit_app::Precondition::Malformed => {
                ApiError::bad_request("If-Match must be the ETag you last read, such as W/\"3\"")
            }
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::NotFound => ApiError::not_found(),
            AppError::NotFoundDetail(detail) => ApiError::not_found().with_detail(detail),
            AppError::Invalid(errors) => ApiError::validation(errors),
            AppError::InvalidWith {
                invalid,
                name,
                value,
            } => ApiError::validation(invalid).with_extension(name, value),
            AppError::Conflict(detail) => ApiError::conflict(detail),
            AppError::Precondition(precondition) => precondition.into(),
            AppError::Stale { current, sent } => match *current {
                Current::Application(application) => crate::applications::stale(&application, sent),
                Current::Activity(activity) => crate::activities::stale(&activity, sent),
                Current::Reminder(reminder) => crate::reminders::stale(&reminder, sent),
            },
            AppError::NotConfigured(what) => ApiError::new(ProblemType::Unavailable)
                .with_detail(format!("{what} is not configured")),
            AppError::Unavailable(source) => ApiError::unavailable(source),
            AppError::FeatureOff(feature) => ApiError::new(ProblemType::Forbidden)
                .with_detail(format!(
                    "{feature} is turned off for your account on this installation"
                ))
                .with_extension("feature", feature.into()),
            AppError::Store(error) => error.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::UniqueViolation { .. } => {
                ApiError::conflict("a record with the same unique value already exists")
            }
            StoreError::ForeignKeyViolation { .. } => {
                ApiError::invalid_field("", "the request refers to a record that does not exist")
            }
            StoreError::CheckViolation { .. } => {
                ApiError::invalid_field("", "a value is outside what the record allows")
            }
            StoreError::NulInText => ApiError::invalid_field("", NUL_MESSAGE),
            StoreError::StorageFull => ApiError::new(ProblemType::StorageFull)
                .with_source(error.into())
                .with_header(header::RETRY_AFTER, HeaderValue::from_static("30")),
            error if error.is_unavailable() => ApiError::unavailable(error),
            other => ApiError::internal(other),
        }
    }
}
