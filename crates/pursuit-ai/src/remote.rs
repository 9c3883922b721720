//! What the two remote provider clients share: their settings, how a failed call is
//! described, `Retry-After`, bounded bodies and server-sent events.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The most of a model's answer read (a runaway stream is cut off, not buffered).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// A provider's wire format.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// OpenAI's `POST /v1/chat/completions`, which Ollama, vLLM, llama.cpp's server and LM
    /// Studio also speak.
    OpenAi,
    /// Anthropic's `POST /v1/messages`.
    Anthropic,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 2] = [ProviderKind::OpenAi, ProviderKind::Anthropic];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "openai",
            ProviderKind::Anthropic => "anthropic",
        }
    }

    pub fn parse(text: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How JSON is asked for.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum JsonMode {
    /// OpenAI `response_format: json_schema` / Anthropic a forced tool whose input is the
    /// schema.
    #[default]
    Schema,
    /// OpenAI `response_format: json_object` (servers without schema support); on
    /// Anthropic the same as `prompt`.
    Object,
    /// Only the instructions ask for JSON.
    Prompt,
}

impl JsonMode {
    pub const ALL: [JsonMode; 3] = [JsonMode::Schema, JsonMode::Object, JsonMode::Prompt];

    pub fn as_str(self) -> &'static str {
        match self {
            JsonMode::Schema => "schema",
            JsonMode::Object => "object",
            JsonMode::Prompt => "prompt",
        }
    }

    pub fn parse(text: &str) -> Option<JsonMode> {
        JsonMode::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// An API key: never printed (`Debug` shows `[redacted]`), never put in a problem or a log.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

fn default_timeout() -> u64 {
    30
}
fn default_retries() -> u32 {
    2
}
fn default_max_tokens() -> u32 {
    2048
}

/// One configured provider (`[ai.providers.<name>]`).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    pub kind: ProviderKind,
    /// The server's root (or its `/v1`): `https://api.openai.com`, `http://127.0.0.1:11434`.
    pub url: String,
    pub model: String,
    #[serde(default)]
    pub api_key: Option<ApiKey>,
    /// The most one task may wait on this provider, retries and repair included.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Retries after a 429, a 5xx or a dropped connection.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Ask for the answer as server-sent events.
    #[serde(default)]
    pub stream: bool,
    #[serde(default)]
    pub json_mode: JsonMode,
    #[serde(default = "default_max_tokens")]
    pub max_tokens: u32,
    /// Price in US dollars per million input tokens (0: free, e.g. a local server).
    #[serde(default)]
    pub price_in_per_million: f64,
    #[serde(default)]
    pub price_out_per_million: f64,
}

impl ProviderSettings {
    /// Whether calls cost money (a monthly budget stops these).
    pub fn paid(&self) -> bool {
        self.price_in_per_million > 0.0 || self.price_out_per_million > 0.0
    }

    /// The cost of one call in US dollars.
    pub fn cost(&self, tokens_in: u64, tokens_out: u64) -> f64 {
        (tokens_in as f64 * self.price_in_per_million
            + tokens_out as f64 * self.price_out_per_million)
            / 1_000_000.0
    }

    /// The endpoint under the server's root, whether `url` names the root or its `/v1`.
    pub fn endpoint(&self, path: &str) -> String {
        let base = self.url.trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        format!("{base}/v1/{path}")
    }

    /// Host and port: what the settings page and the call log show of the URL.
    pub fn server(&self) -> String {
        reqwest::Url::parse(&self.url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| u.port().map_or(h.to_owned(), |p| format!("{h}:{p}")))
            })
            .unwrap_or_default()
    }

    /// Problems a user must fix before the provider can be used.
    pub fn check(&self) -> Result<(), String> {
        let url = reqwest::Url::parse(&self.url)
            .map_err(|_| format!("url {:?} is not a URL", self.url))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "url {:?} is not an http:// or https:// URL",
                self.url
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("url must not carry credentials: use api_key".to_owned());
        }
        if self.model.trim().is_empty() {
            return Err("model is empty".to_owned());
        }
        if self.timeout_secs == 0 || self.timeout_secs > 600 {
            return Err("timeout_secs must be 1–600".to_owned());
        }
        if self.retries > 5 {
            return Err("retries must be 0–5".to_owned());
        }
        if [self.price_in_per_million, self.price_out_per_million]
            .iter()
            .any(|p| p.is_nan() || *p < 0.0)
        {
            return Err("prices must be 0 or more".to_owned());
        }
        if self.kind == ProviderKind::Anthropic && self.api_key.is_none() {
            return Err("an Anthropic provider needs api_key".to_owned());
        }
        Ok(())
    }
}

/// What went wrong with one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No connection (refused, DNS, TLS).
    Unreachable,
    /// No complete answer within the time left.
    Timeout,
    /// 429.
    RateLimited,
    /// 5xx (or Anthropic's `overloaded_error` in a stream).
    Server,
    /// Another 4xx: the request or the key is wrong; retrying will not help.
    Refused,
    /// An answer that is not what the API documents (or is cut off).
    Malformed,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Unreachable => "unreachable",
            Failure::Timeout => "timeout",
            Failure::RateLimited => "rate_limited",
            Failure::Server => "server_error",
            Failure::Refused => "refused",
            Failure::Malformed => "malformed",
        }
    }

    /// Whether the same call may work if made again.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Failure::Unreachable | Failure::RateLimited | Failure::Server
        )
    }
}

/// A failed call.
#[derive(Clone, Debug)]
pub struct CallError {
    pub failure: Failure,
    /// What the server asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// Why, for the call log and the user: never the key, at most 300 characters.
    pub detail: String,
}

impl CallError {
    pub fn new(failure: Failure, detail: impl Into<String>) -> CallError {
        CallError {
            failure,
            retry_after: None,
            detail: detail.into(),
        }
    }
}

/// A model's answer to one call.
#[derive(Clone, Debug, Default)]
pub struct Completion {
    pub text: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// The model that answered, as the server names it.
    pub model: String,
    /// The answer stopped at `max_tokens` (OpenAI `finish_reason: "length"`, Anthropic
    /// `stop_reason: "max_tokens"`).
    pub truncated: bool,
}

/// The conversation sent: a system prompt and one user message.
pub struct Prompt<'a> {
    pub system: &'a str,
    pub user: &'a str,
    /// The task's name and schema, for the JSON modes that send them.
    pub name: &'a str,
    pub schema: &'a serde_json::Value,
}

/// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, as a wait from now.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    if let Some(ms) = headers
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
    {
        return Some(Duration::from_millis(ms as u64));
    }
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// Removes the key from text that might echo it (an error body), and shortens it.
pub fn scrub(text: &str, key: Option<&ApiKey>) -> String {
    let mut text: String = text.chars().take(300).collect();
    if let Some(key) = key.map(ApiKey::expose).filter(|k| k.len() >= 4) {
        text = text.replace(key, "[redacted]");
        // Servers quote a key's ends ("sk-abc***xyz"): the first and last few characters.
        let head: String = key.chars().take(8).collect();
        if head.len() >= 6 {
            text = text.replace(&head, "[redacted]");
        }
    }
    text
}

/// An error and its causes, outermost first ("error sending request: client error
/// (Connect): tcp connect error: Connection refused"): reqwest's own message alone rarely
/// says what went wrong.
fn causes(error: impl std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// Whether the error comes from a user's provider URL resolving to a refused address.
fn refused_address(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.downcast_ref::<crate::guarded::AddressRefused>().is_some() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Sends `request` and reads the whole answer (at most [`MAX_BODY`]) before `deadline`.
/// A non-2xx status is a [`CallError`] naming it, with the body's start as detail.
pub async fn send(
    request: reqwest::RequestBuilder,
    deadline: Instant,
    key: Option<&ApiKey>,
    mut on_chunk: impl FnMut(&[u8]) -> Result<(), CallError>,
) -> Result<(), CallError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(CallError::new(Failure::Timeout, "no time left"));
    }
    let work = async {
        let mut response = request.timeout(left).send().await.map_err(|e| {
            let failure = if e.is_timeout() {
                Failure::Timeout
            } else if refused_address(&e) {
                // Asking again will not make the address allowed.
                Failure::Refused
            } else {
                Failure::Unreachable
            };
            CallError::new(failure, scrub(&causes(e.without_url()), key))
        })?;
        let status = response.status();
        if !status.is_success() {
            let wait = retry_after(response.headers());
            let mut body = Vec::new();
            while let Ok(Some(chunk)) = response.chunk().await {
                body.extend_from_slice(&chunk);
                if body.len() > 2000 {
                    break;
                }
            }
            let failure = match status.as_u16() {
                429 => Failure::RateLimited,
                500..=599 => Failure::Server,
                _ => Failure::Refused,
            };
            return Err(CallError {
                failure,
                retry_after: wait,
                detail: scrub(
                    &format!(
                        "HTTP {}: {}",
                        status.as_u16(),
                        String::from_utf8_lossy(&body)
                    ),
                    key,
                ),
            });
        }
        let mut total = 0;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len();
                    if total > MAX_BODY {
                        return Err(CallError::new(
                            Failure::Malformed,
                            format!("the answer is longer than {MAX_BODY} bytes"),
                        ));
                    }
                    on_chunk(&chunk)?;
                }
                Ok(None) => return Ok(()),
                Err(e) => {
                    let failure = if e.is_timeout() {
                        Failure::Timeout
                    } else {
                        Failure::Unreachable
                    };
                    return Err(CallError::new(
                        failure,
                        scrub(&format!("the answer broke off: {}", e.without_url()), key),
                    ));
                }
            }
        }
    };
    match tokio::time::timeout(left, work).await {
        Ok(result) => result,
        Err(_) => Err(CallError::new(
            Failure::Timeout,
            format!("no complete answer within {} ms", left.as_millis()),
        )),
    }
}

/// Splits a server-sent event stream into events as bytes arrive: each complete event's
/// `event:` name (empty if none) and its joined `data:` lines.
#[derive(Default)]
pub struct EventStream {
    buffer: Vec<u8>,
}

impl EventStream {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<(String, String)> {
        // Lines may end in CRLF; a lone CR is not used by the APIs read here.
        self.buffer
            .extend(bytes.iter().copied().filter(|b| *b != b'\r'));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
            let block = String::from_utf8_lossy(&block[..end]);
            let mut name = String::new();
            let mut data: Vec<&str> = Vec::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if !data.is_empty() || !name.is_empty() {
                events.push((name, data.join("\n")));
            }
        }
        events
    }
}

/// Sends `request` and reads its whole answer as JSON (a plain, not streamed, call).
pub async fn send_for_json(
    request: reqwest::RequestBuilder,
    deadline: Instant,
    key: Option<&ApiKey>,
) -> Result<serde_json::Value, CallError> {
    let mut bytes = Vec::new();
    send(request, deadline, key, |chunk| {
        bytes.extend_from_slice(chunk);
        Ok(())
    })
    .await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| CallError::new(Failure::Malformed, format!("the answer is not JSON: {e}")))
}

impl Completion {
    /// Token counts the server did not give, estimated from the texts.
    pub fn estimate_missing(&mut self, prompt: &Prompt<'_>) {
        if self.tokens_in == 0 {
            self.tokens_in = estimate_tokens(prompt.system) + estimate_tokens(prompt.user);
        }
        if self.tokens_out == 0 {
            self.tokens_out = estimate_tokens(&self.text);
        }
    }
}

/// A number of tokens for a text whose count the server did not give: about four
/// characters each.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_milliseconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
        headers.remove("retry-after-ms");
        headers.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn a_key_is_scrubbed_from_details() {
        let key = ApiKey::new("sk-live-abcdefghijklmnop");
        assert_eq!(
            scrub(
                "Incorrect API key provided: sk-live-abcdefghijklmnop.",
                Some(&key)
            ),
            "Incorrect API key provided: [redacted]."
        );
        assert_eq!(
            scrub("Incorrect API key provided: sk-live-a***mnop.", Some(&key)),
            "Incorrect API key provided: [redacted]a***mnop."
        );
        assert_eq!(format!("{key:?}"), "[redacted]");
    }

    #[test]
    fn events_split_across_chunks_come_out_whole() {
        let mut stream = EventStream::default();
        assert!(stream.push(b"event: a\r\ndata: {\"x\"").is_empty());
        let events = stream.push(b": 1}\r\n\r\ndata: [DONE]\n\n: comment\n\n");
        assert_eq!(
            events,
            [
                ("a".to_owned(), "{\"x\": 1}".to_owned()),
                (String::new(), "[DONE]".to_owned())
            ]
        );
    }
}
