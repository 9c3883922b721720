//! The platform layers every route runs under: observation (logs + metrics), the problem
//! guarantee for every error response, panic capture, and security headers.

use std::any::Any;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::problem::{PROBLEM_JSON, ProblemType, problem_response, status_problem};

/// Records one log line and the request metrics per request, labelled by route template
/// (never by raw path, which would explode the metric's cardinality and leak ids).
pub async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    metrics::counter!(
        "http_requests_total",
        "method" => method.to_string(),
        "route" => route.clone(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!(
        "http_request_duration_seconds",
        "method" => method.to_string(),
        "route" => route.clone()
    )
    .record(elapsed.as_secs_f64());
    let duration_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    if status >= 500 {
        tracing::warn!(http.method = %method, http.route = %route, http.status = status, duration_ms, "request");
    } else {
        tracing::info!(http.method = %method, http.route = %route, http.status = status, duration_ms, "request");
    }
    response
}

/// Headers that a problem rebuilt from a bare error response must keep.
const KEPT_HEADERS: [header::HeaderName; 3] =
    [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE];

/// The largest plain-text error body from a lower layer we read to quote as `detail`.
const MAX_QUOTED_DETAIL: usize = 2048;

/// Turns any error response that is not already problem+json or an HTML page (a 405 from the
/// router, a 413 from the body limit, a plain-text rejection from an axum extractor) into one, so that a
/// client sees a single error shape whatever produced the error.
pub async fn ensure_problem(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    // A problem already, or a page rendered for a browser on purpose (a sign-in error page):
    // leave it. What gets converted is what lower layers produce: no body or plain text.
    if content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html") {
        return response;
    }
    let quote_body = status.is_client_error() && content_type.starts_with("text/plain");
    let (parts, body) = response.into_parts();
    let mut headers = HeaderMap::new();
    for name in KEPT_HEADERS {
        if let Some(value) = parts.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    let detail = if quote_body {
        read_detail(body).await
    } else {
        None
    };
    status_problem(status, detail, headers)
}

async fn read_detail(body: Body) -> Option<String> {
    let limited = http_body_util::Limited::new(body, MAX_QUOTED_DETAIL);
    let bytes = limited.collect().await.ok()?.to_bytes();
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Answers a panicking handler with a 500 problem; the server keeps running.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned());
    tracing::error!(panic = %message, "handler panicked");
    problem_response(ProblemType::Internal, None, Vec::new(), HeaderMap::new())
}

/// Whether responses should carry HSTS (served over TLS or behind an https public URL).
#[derive(Clone, Copy, Debug)]
pub struct SecurityPolicy {
    pub hsts: bool,
}

const CSP_STRICT: &str = "default-src 'self'; base-uri 'none'; object-src 'none'; \
     frame-ancestors 'none'; form-action 'self'";
/// The API reference page (Swagger UI, served from the binary) sets inline styles and uses
/// data: images; it still loads nothing from anywhere but Pursuit itself.
const CSP_DOCS: &str = "default-src 'self'; base-uri 'none'; object-src 'none'; \
     frame-ancestors 'none'; form-action 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:";

pub async fn security_headers(
    State(policy): State<SecurityPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let is_docs = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = if is_docs { CSP_DOCS } else { CSP_STRICT };
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    if policy.hsts {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ));
    }
    response
}

/// The router's answer to a path it does not know.
pub async fn not_found(request: Request) -> Response {
    crate::ApiError::not_found()
        .with_detail(format!(
            "no route for {} {}",
            request.method(),
            request.uri().path()
        ))
        .into_response()
}

/// The catalogued problem type whose status is `status`, if any.
pub fn problem_type_for(status: StatusCode) -> Option<ProblemType> {
    ProblemType::ALL
        .into_iter()
        .find(|kind| kind.status() == status)
}

/// The most bytes a request body may carry: `upload` on the resume upload routes (API and
/// page, which count their file's bytes themselves), `default` everywhere else.
#[derive(Clone, Copy)]
pub struct BodyLimits {
    pub default: usize,
    pub upload: usize,
}

/// Refuses a body over the route's limit before any handler runs: by its `Content-Length`
/// at once, and as it streams otherwise (the extractors turn the overrun into a 413).
pub async fn body_limit(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let limit = if path == "/api/v1/resume/upload" || path == "/resume/upload" {
        limits.upload.max(limits.default)
    } else {
        limits.default
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}
