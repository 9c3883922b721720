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
    #[error("the page could not be read: {0}")]
    Http(String),
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
    let deadline = Instant::now() + limits.timeout;
    let mut url = parse(url)?;
    for _ in 0..=limits.redirects {
        let address = checked_address(&url, limits).await?;
        let response = tokio::time::timeout_at(deadline, send(&url, address, deadline)).await;
        let response = response.map_err(|_| FetchError::Timeout(limits.timeout))??;
        let status = response.status();
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
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = tokio::time::timeout_at(deadline, read_capped(response, limits.max_bytes))
            .await
            .map_err(|_| FetchError::Timeout(limits.timeout))??;
        return Ok(Fetched {
            url,
            content_type,
            body,
        });
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

async fn send(
    url: &Url,
    address: SocketAddr,
    deadline: Instant,
) -> Result<reqwest::Response, FetchError> {
    let host = url.host_str().unwrap_or_default();
    // The process's one TLS provider (ring); a no-op once the binary has installed it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .resolve(host, address)
        .timeout(deadline.saturating_duration_since(Instant::now()))
        .user_agent(concat!("Pursuit/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Http(e.to_string()))?;
    client
        .get(url.clone())
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
