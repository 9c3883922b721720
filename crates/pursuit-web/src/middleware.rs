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

/// The client's address: the connection's peer, or — behind a trusted reverse proxy — the
/// address that proxy wrote into the configured header. Rate limits, audit entries and the
/// `/metrics` guard read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// Puts [`ClientIp`] on the request. With a proxy header configured, the last address in it
/// is taken (the one the nearest proxy appended); a request without a usable header keeps
/// the peer's address.
pub async fn client_ip(
    State(header): State<Option<header::HeaderName>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let forwarded = header.as_ref().and_then(|name| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse::<std::net::IpAddr>().ok())
            .next_back()
    });
    if let Some(ip) = forwarded.or(peer) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

/// The longest request target accepted (a longer one is a 414 problem).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header lines and header bytes accepted (more is a 431 problem). hyper's own
/// limits sit above these, so a client sees this problem rather than a bare status.
pub const MAX_HEADERS: usize = 100;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Refuses what no handler should see: an over-long request target (414), too many or too
/// large headers (431), and U+0000 in a query parameter (422 naming the parameter as
/// `?name`), which PostgreSQL could not store or compare.
pub async fn request_shape(request: Request, next: Next) -> Response {
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return status_problem(
            StatusCode::URI_TOO_LONG,
            Some(format!(
                "the request target is {uri_bytes} bytes; the limit is {MAX_URI_BYTES}"
            )),
            HeaderMap::new(),
        );
    }
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return status_problem(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Some(format!(
                "the request has {} headers of {header_bytes} bytes; the limits are {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes",
                headers.len()
            )),
            HeaderMap::new(),
        );
    }
    if let Some(query) = request.uri().query() {
        let names = nul_parameters(query);
        if !names.is_empty() {
            return crate::problem::nul_problem(names).into_response();
        }
    }
    next.run(request).await
}

/// The names (as `?name`) of query parameters whose name or value holds an encoded U+0000.
/// A literal "%00" in what a user typed is sent as "%2500", so "%00" always means NUL.
fn nul_parameters(query: &str) -> Vec<String> {
    if !query.contains("%00") {
        return Vec::new();
    }
    query
        .split('&')
        .filter(|pair| pair.contains("%00"))
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            format!(
                "?{}",
                crate::problem::visible_name(&percent_decode_lossy(name))
            )
        })
        .collect()
}

/// Decodes `%XX` and `+` of a query-string component, replacing what is not UTF-8.
fn percent_decode_lossy(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
