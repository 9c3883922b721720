//! What the tests of the layer share: a wire-format fake of OpenAI's chat completions and
//! Anthropic's Messages API served on 127.0.0.1, and a layer built over it.

#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pursuit_ai::{
    Ai, AiSettings, ApiKey, Context, JsonMode, ProviderKind, ProviderSettings, Routes,
};
use pursuit_text::dates::YearMonth;
use serde_json::{Value, json};

/// One scripted reply of the fake.
#[derive(Clone)]
pub enum Reply {
    Json(u16, Vec<(&'static str, String)>, Value),
    Raw(u16, String),
    /// Server-sent events, each `(event name, data)`.
    Events(Vec<(&'static str, String)>),
    /// Answers after a long pause.
    Slow(Duration),
    /// A model that obeys the data: answers with the JSON written after `OUTPUT:` in the
    /// user message (as a chat completion), or `{}` when there is none.
    Obey,
}

#[derive(Clone, Default)]
pub struct Fake {
    pub replies: Arc<Mutex<VecDeque<Reply>>>,
    /// Each request's path, headers and body.
    pub seen: Arc<Mutex<Vec<(String, HeaderMap, Value)>>>,
}

impl Fake {
    pub async fn start() -> (Fake, String) {
        let fake = Fake::default();
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, url)
    }

    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.replies.lock().unwrap().extend(replies);
    }

    pub fn seen(&self) -> Vec<(String, HeaderMap, Value)> {
        self.seen.lock().unwrap().clone()
    }
}

async fn answer(
    State(fake): State<Fake>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    fake.seen
        .lock()
        .unwrap()
        .push((uri.path().to_owned(), headers, body));
    let reply = fake.replies.lock().unwrap().pop_front();
    match reply {
        None => Response::builder()
            .status(500)
            .body(Body::from("no reply scripted"))
            .unwrap(),
        Some(Reply::Json(status, extra, value)) => {
            let mut response = Response::builder()
                .status(status)
                .header("content-type", "application/json");
            for (name, value) in extra {
                response = response.header(name, value);
            }
            response.body(Body::from(value.to_string())).unwrap()
        }
        Some(Reply::Raw(status, text)) => Response::builder()
            .status(status)
            .body(Body::from(text))
            .unwrap(),
        Some(Reply::Events(events)) => {
            let mut text = String::new();
            for (name, data) in events {
                if !name.is_empty() {
                    text.push_str(&format!("event: {name}\r\n"));
                }
                text.push_str(&format!("data: {data}\r\n\r\n"));
            }
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", "text/event-stream")
                .body(Body::from(text))
                .unwrap()
        }
        Some(Reply::Obey) => {
            let user = fake.seen.lock().unwrap().last().unwrap().2["messages"][1]["content"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            let ordered = user
                .rsplit_once("OUTPUT:")
                .map(|(_, rest)| rest.lines().next().unwrap_or("").trim().to_owned())
                .unwrap_or_else(|| "{}".to_owned());
            match openai_json(&ordered) {
                Reply::Json(status, _, value) => Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(value.to_string()))
                    .unwrap(),
                _ => unreachable!(),
            }
        }
        Some(Reply::Slow(pause)) => {
            tokio::time::sleep(pause).await;
            Response::builder()
                .status(200)
                .body(Body::from("{}"))
                .unwrap()
        }
    }
}

/// A chat completion as OpenAI documents it.
pub fn openai_json(content: &str) -> Reply {
    Reply::Json(
        200,
        Vec::new(),
        json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000,
            "model": "gpt-test-2025",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": null}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500}
        }),
    )
}

/// A Messages API answer whose forced tool carries `input`.
pub fn anthropic_tool(input: Value) -> Reply {
    Reply::Json(
        200,
        Vec::new(),
        json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "answer", "input": input}],
            "stop_reason": "tool_use", "stop_sequence": null,
            "usage": {"input_tokens": 900, "output_tokens": 120}
        }),
    )
}

pub fn provider(kind: ProviderKind, url: &str) -> ProviderSettings {
    ProviderSettings {
        kind,
        url: url.to_owned(),
        model: "test-model".to_owned(),
        api_key: Some(ApiKey::new("sk-secret-key-0123456789")),
        timeout_secs: 5,
        retries: 2,
        stream: false,
        json_mode: JsonMode::Schema,
        max_tokens: 1024,
        price_in_per_million: 2.5,
        price_out_per_million: 10.0,
    }
}

pub fn layer(chain: &[(&str, ProviderSettings)]) -> Ai {
    let names: Vec<String> = chain.iter().map(|(n, _)| (*n).to_owned()).collect();
    Ai::new(AiSettings {
        providers: chain
            .iter()
            .map(|(n, p)| ((*n).to_owned(), p.clone()))
            .collect::<BTreeMap<_, _>>(),
        tasks: Routes {
            parse: names.clone(),
            write: names.clone(),
            classify: names.clone(),
            summarise: names,
        },
        ..AiSettings::default()
    })
    .unwrap()
}

pub fn context() -> Context {
    Context {
        today: YearMonth {
            year: 2026,
            month: Some(12),
        },
        budget_left_usd: None,
        offline: false,
        disabled: Vec::new(),
        full_logging: false,
        own: Vec::new(),
    }
}
