//! The one way Pursuit fetches a URL a user gave it. Each hop resolves the name, refuses it
//! when any address it resolves to is one Pursuit must not reach
//! ([`pursuit_domain::net::refusal`]: loopback, private, link-local, metadata…), then
//! connects to the checked address only (the client is pinned to it, so a second DNS answer
//! cannot swap it). Redirects are followed by hand, at most [`Limits::redirects`], each
//! checked the same way. The body is read up to [`Limits::max_bytes`], the whole fetch
//! within [`Limits::timeout`]. Every refusal says why in words fit for the user.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use pursuit_domain::net::refusal;
use reqwest::Url;
use tokio::time::Instant;

/// What a fetch may do.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub timeout: Duration,
    pub redirects: usize,
    /// Tests only: loopback addresses (the test's own server on 127.0.0.1) are allowed.
    pub allow_loopback: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 5 * 1024 * 1024,
            timeout: Duration::from_secs(15),
            redirects: 3,
            allow_loopback: false,
        }
    }
}

/// A fetched page.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// Where the page was finally read from (after redirects).
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The validators to ask with next time (RFC 9110 §8.8): `ETag` and `Last-Modified`.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What a fetch asks for beyond the URL.
#[derive(Clone, Debug, Default)]
pub struct Ask {
    /// Sent as `If-None-Match`: the `ETag` of the copy the caller has.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`: the `Last-Modified` of the copy the caller has.
    pub last_modified: Option<String>,
    /// Replaces the default `Pursuit/<version>` user agent.
    pub user_agent: Option<String>,
    /// The `Accept` header.
    pub accept: Option<&'static str>,
}

/// What the site answered a conditional fetch.
#[derive(Clone, Debug)]
pub enum Answer {
    Fresh(Fetched),
    /// 304: the caller's copy is still current.
    NotModified,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("{0}")]
    BadUrl(String),
    /// A refused address. The message never names what a host name resolved to: that
    /// would map a server's internal network for whoever asks.
    #[error("{}", refused_message(.host, .literal, .reason))]
    Refused {
        host: String,
        /// The URL named the address itself (not a host name).
        literal: bool,
        reason: &'static str,
    },
    #[error("{host} could not be resolved: {message}")]
    Resolve { host: String, message: String },
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("the page is larger than {} MB", .0 / (1024 * 1024))]
    TooLarge(usize),
    #[error("the site did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    #[error("the site answered {0}")]
    Status(u16),
    /// 429, or 503 with a `Retry-After`: the site asks to come back later.
    #[error("{}", busy_message(*.status, .retry_after))]
    Busy {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("the page could not be read: {0}")]
    Http(String),
}

fn busy_message(status: u16, retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(
            "the site answered {status} and asked to wait {} s",
            wait.as_secs()
        ),
        None => format!("the site answered {status}: too many requests"),
    }
}

fn refused_message(host: &str, literal: &bool, reason: &str) -> String {
    if *literal {
        format!("{host} is {reason}; Pursuit does not fetch from there")
    } else {
        format!(
            "{host} points to a private, local or reserved network address; Pursuit fetches only from public sites"
        )
    }
}

/// Fetches `url` under `limits`.
pub async fn fetch(url: &str, limits: &Limits) -> Result<Fetched, FetchError> {
    match fetch_with(url, limits, &Ask::default()).await? {
        Answer::Fresh(fetched) => Ok(fetched),
        // Nothing was asked conditionally: a 304 is the site's mistake.
        Answer::NotModified => Err(FetchError::Status(304)),
    }
}

/// Fetches `url` under `limits`, asking as `ask` says (conditionally when it carries
/// validators).
pub async fn fetch_with(url: &str, limits: &Limits, ask: &Ask) -> Result<Answer, FetchError> {
    let deadline = Instant::now() + limits.timeout;
    let mut url = parse(url)?;
    for _ in 0..=limits.redirects {
        let address = checked_address(&url, limits).await?;
        let response = tokio::time::timeout_at(deadline, send(&url, address, deadline, ask)).await;
        let response = response.map_err(|_| FetchError::Timeout(limits.timeout))??;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Answer::NotModified);
        }
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or(FetchError::Status(status.as_u16()))?;
            url = url.join(location).map_err(|e| {
                FetchError::BadUrl(format!("the site redirected to a bad URL: {e}"))
            })?;
            check_scheme(&url)?;
            continue;
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| retry_after(&v, jiff::Timestamp::now()));
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || (status == reqwest::StatusCode::SERVICE_UNAVAILABLE && retry_after.is_some())
        {
            return Err(FetchError::Busy {
                status: status.as_u16(),
                retry_after,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let body = tokio::time::timeout_at(deadline, read_capped(response, limits.max_bytes))
            .await
            .map_err(|_| FetchError::Timeout(limits.timeout))??;
        return Ok(Answer::Fresh(Fetched {
            url,
            content_type,
            body,
            etag,
            last_modified,
        }));
    }
    Err(FetchError::TooManyRedirects(limits.redirects))
}

fn parse(text: &str) -> Result<Url, FetchError> {
    let url = Url::parse(text.trim()).map_err(|e| {
        FetchError::BadUrl(format!(
            "not a URL ({e}); paste one such as https://jobs.example.com/123"
        ))
    })?;
    check_scheme(&url)?;
    Ok(url)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(()),
        "http" | "https" => Err(FetchError::BadUrl("the URL has no host".to_owned())),
        other => Err(FetchError::BadUrl(format!(
            "only http and https URLs are fetched, not {other}:"
        ))),
    }
}

/// Resolves the URL's host and returns the address to connect to, if every address the
/// name has is allowed.
async fn checked_address(url: &Url, limits: &Limits) -> Result<SocketAddr, FetchError> {
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| FetchError::Resolve {
                host: host.clone(),
                message: e.to_string(),
            })?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(FetchError::Resolve {
            host,
            message: "no addresses".to_owned(),
        });
    }
    for address in &addresses {
        let ip = address.ip();
        if limits.allow_loopback && ip.is_loopback() {
            continue;
        }
        if let Some(why) = refusal(ip) {
            return Err(FetchError::Refused {
                literal: bare.parse::<IpAddr>().is_ok(),
                host,
                reason: why.reason(),
            });
        }
    }
    Ok(addresses[0])
}

/// A `Retry-After` value (RFC 9110 §10.2.3): seconds, or an HTTP date (from `now`).
pub fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    Some(at.duration_since(now).try_into().unwrap_or(Duration::ZERO))
}

async fn send(
    url: &Url,
    address: SocketAddr,
    deadline: Instant,
    ask: &Ask,
) -> Result<reqwest::Response, FetchError> {
    let host = url.host_str().unwrap_or_default();
    // The process's one TLS provider (ring); a no-op once the binary has installed it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .resolve(host, address)
        .timeout(deadline.saturating_duration_since(Instant::now()))
        .user_agent(
            ask.user_agent
                .clone()
                .unwrap_or_else(|| concat!("Pursuit/", env!("CARGO_PKG_VERSION")).to_owned()),
        )
        .build()
        .map_err(|e| FetchError::Http(e.to_string()))?;
    let mut request = client.get(url.clone());
    if let Some(etag) = &ask.etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    if let Some(since) = &ask.last_modified {
        request = request.header(reqwest::header::IF_MODIFIED_SINCE, since);
    }
    if let Some(accept) = ask.accept {
        request = request.header(reqwest::header::ACCEPT, accept);
    }
    request
        .send()
        .await
        .map_err(|e| FetchError::Http(e.without_url().to_string()))
}

async fn read_capped(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, FetchError> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(FetchError::TooLarge(max));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| FetchError::Http(e.without_url().to_string()))?
    {
        if body.len() + chunk.len() > max {
            return Err(FetchError::TooLarge(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
