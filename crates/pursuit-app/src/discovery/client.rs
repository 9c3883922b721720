//! The polite client discovery fetches with: every request through the SSRF-safe fetcher
//! (`pursuit_files::fetch`), a user agent that says who asks, one request per host at a
//! time and no faster than [`Settings::host_interval`], conditional requests with the
//! validators of the last stored read, retries with exponential backoff for what may pass
//! (timeouts, resets, 5xx), a site's `Retry-After` honoured up to [`Settings::max_wait`],
//! and robots.txt (RFC 9309) obeyed for pages and feeds it crawls (APIs are meant to be
//! called and have none).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use pursuit_files::fetch::{self, Answer, Ask, FetchError, Fetched};
use pursuit_text::robots::Robots;
use tokio::time::Instant;

use super::Settings;

/// The product token robots.txt groups are matched against.
pub const AGENT: &str = "Pursuit";

/// When each host may next be asked (process-wide: two runs share a host's pace).
static NEXT: LazyLock<Mutex<HashMap<String, Instant>>> = LazyLock::new(Default::default);

/// Waits for `host`'s turn.
async fn pace(host: &str, interval: Duration) {
    if interval.is_zero() {
        return;
    }
    let at = {
        let mut next = NEXT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let at = next.get(host).copied().filter(|t| *t > now).unwrap_or(now);
        next.insert(host.to_owned(), at + interval);
        // Hosts asked long ago are forgotten.
        if next.len() > 10_000 {
            next.retain(|_, t| *t > now);
        }
        at
    };
    tokio::time::sleep_until(at).await;
}

/// What a run's requests to one source cost.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cost {
    /// Requests sent (retries and robots.txt included).
    pub requests: u32,
    /// Answered 304 Not Modified.
    pub not_modified: u32,
}

/// Why a request failed, in words for the run's record; the status when the site answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub status: Option<u16>,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One run's client: its settings and the robots.txt files read so far.
pub struct Client<'a> {
    settings: &'a Settings,
    robots: tokio::sync::Mutex<HashMap<String, Result<Robots, String>>>,
}

impl<'a> Client<'a> {
    pub fn new(settings: &'a Settings) -> Client<'a> {
        Client {
            settings,
            robots: Default::default(),
        }
    }

    /// GETs `url` (conditionally when `validators` are given), retrying what may pass.
    /// `Ok(None)`: 304, the stored copy is current.
    pub async fn get(
        &self,
        url: &str,
        validators: (Option<String>, Option<String>),
        accept: &'static str,
        cost: &mut Cost,
    ) -> Result<Option<Fetched>, Failure> {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let ask = Ask {
            etag: validators.0,
            last_modified: validators.1,
            user_agent: Some(self.settings.user_agent.clone()),
            accept: Some(accept),
        };
        let mut attempt = 0;
        loop {
            pace(&host, self.settings.host_interval).await;
            cost.requests += 1;
            let error = match fetch::fetch_with(url, &self.settings.limits, &ask).await {
                Ok(Answer::Fresh(fetched)) => return Ok(Some(fetched)),
                Ok(Answer::NotModified) => {
                    cost.not_modified += 1;
                    return Ok(None);
                }
                Err(error) => error,
            };
            let status = match &error {
                FetchError::Busy { status, .. } | FetchError::Status(status) => Some(*status),
                _ => None,
            };
            let failure = |message: String| Failure { status, message };
            let backoff = self.settings.backoff * 2u32.saturating_pow(attempt);
            let wait = match &error {
                FetchError::Busy { retry_after, .. } => retry_after.unwrap_or(backoff),
                FetchError::Timeout(_) | FetchError::Http(_) => backoff,
                FetchError::Status(status) if *status >= 500 => backoff,
                _ => return Err(failure(error.to_string())),
            };
            if attempt >= self.settings.retries {
                return Err(failure(format!("{error} (after {} attempts)", attempt + 1)));
            }
            if wait > self.settings.max_wait {
                return Err(failure(format!(
                    "{error}; that is longer than Pursuit waits ({} s), so the next run tries again",
                    self.settings.max_wait.as_secs()
                )));
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Whether robots.txt lets Pursuit crawl `url`: `Err` says why not. A missing
    /// robots.txt (4xx) allows everything; one that cannot be read (5xx, unreachable)
    /// allows nothing for now (RFC 9309 §2.3.1.3–4).
    pub async fn allowed(&self, url: &str, cost: &mut Cost) -> Result<(), String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
        let origin = parsed.origin().ascii_serialization();
        let mut robots = self.robots.lock().await;
        if !robots.contains_key(&origin) {
            let read = match self
                .get(
                    &format!("{origin}/robots.txt"),
                    (None, None),
                    "text/plain",
                    cost,
                )
                .await
            {
                Ok(Some(fetched)) => Ok(Robots::parse(&String::from_utf8_lossy(&fetched.body))),
                Ok(None) => Ok(Robots::parse("")),
                Err(why) if why.status.is_some_and(|s| (400..500).contains(&s)) => {
                    Ok(Robots::parse(""))
                }
                Err(why) => Err(format!("its robots.txt could not be read ({why})")),
            };
            robots.insert(origin.clone(), read);
        }
        match &robots[&origin] {
            Ok(rules) => {
                let path = match parsed.query() {
                    Some(q) => format!("{}?{q}", parsed.path()),
                    None => parsed.path().to_owned(),
                };
                if rules.allows(AGENT, &path) {
                    Ok(())
                } else {
                    Err("its robots.txt asks crawlers not to read this page".to_owned())
                }
            }
            Err(why) => Err(why.clone()),
        }
    }
}
