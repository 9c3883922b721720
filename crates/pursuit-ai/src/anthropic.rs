//! Anthropic's Messages API (`POST /v1/messages`, `anthropic-version: 2023-06-01`) as
//! Anthropic documents it. JSON comes back as the input of a forced tool whose input schema
//! is the task's schema (`json_mode = "schema"`), or as text. Streams are the documented
//! events: `message_start` (input tokens), `content_block_delta` (`text_delta` or
//! `input_json_delta`), `message_delta` (output tokens), `message_stop`, and `error`.

use std::time::Instant;

use serde_json::{Value, json};

use crate::remote::{
    CallError, Completion, EventStream, Failure, JsonMode, Prompt, ProviderSettings, send,
    send_for_json,
};

const VERSION: &str = "2023-06-01";
const TOOL: &str = "answer";

pub async fn complete(
    client: &reqwest::Client,
    settings: &ProviderSettings,
    prompt: &Prompt<'_>,
    deadline: Instant,
) -> Result<Completion, CallError> {
    let mut body = json!({
        "model": settings.model,
        "max_tokens": settings.max_tokens,
        "system": prompt.system,
        "messages": [{"role": "user", "content": prompt.user}],
        "temperature": 0,
    });
    let tool = settings.json_mode == JsonMode::Schema;
    if tool {
        body["tools"] = json!([{
            "name": TOOL,
            "description": "Give the answer as this tool's input.",
            "input_schema": prompt.schema,
        }]);
        body["tool_choice"] = json!({"type": "tool", "name": TOOL});
    }
    if settings.stream {
        body["stream"] = json!(true);
    }
    let mut request = client
        .post(settings.endpoint("messages"))
        .header("anthropic-version", VERSION)
        .json(&body);
    if let Some(key) = &settings.api_key {
        request = request.header("x-api-key", key.expose());
    }
    let key = settings.api_key.as_ref();
    let mut completion = Completion {
        model: settings.model.clone(),
        ..Completion::default()
    };
    if settings.stream {
        let mut events = EventStream::default();
        let mut stopped = false;
        send(request, deadline, key, |chunk| {
            for (name, data) in events.push(chunk) {
                if name == "ping" || data.is_empty() {
                    continue;
                }
                let event: Value = serde_json::from_str(&data).map_err(|e| {
                    CallError::new(
                        Failure::Malformed,
                        format!("a stream event is not JSON: {e}"),
                    )
                })?;
                match event["type"].as_str().unwrap_or(name.as_str()) {
                    "message_start" => {
                        read_message(&event["message"], &mut completion);
                    }
                    "content_block_delta" => {
                        let delta = &event["delta"];
                        let piece = match delta["type"].as_str() {
                            Some("input_json_delta") => delta["partial_json"].as_str(),
                            Some("text_delta") => delta["text"].as_str(),
                            _ => None,
                        };
                        completion.text.push_str(piece.unwrap_or(""));
                    }
                    "message_delta" => {
                        if event["delta"]["stop_reason"] == "max_tokens" {
                            completion.truncated = true;
                        }
                        if let Some(n) = event["usage"]["output_tokens"].as_u64() {
                            completion.tokens_out = n;
                        }
                    }
                    "message_stop" => stopped = true,
                    "error" => {
                        let kind = event["error"]["type"].as_str().unwrap_or("error");
                        let failure = match kind {
                            "overloaded_error" | "api_error" => Failure::Server,
                            "rate_limit_error" => Failure::RateLimited,
                            _ => Failure::Refused,
                        };
                        return Err(CallError::new(
                            failure,
                            format!("stream error {kind}: {}", event["error"]["message"]),
                        ));
                    }
                    _ => {}
                }
            }
            Ok(())
        })
        .await?;
        if !stopped {
            return Err(CallError::new(
                Failure::Malformed,
                "the stream ended without message_stop",
            ));
        }
    } else {
        let answer = send_for_json(request, deadline, key).await?;
        read_message(&answer, &mut completion);
        let blocks = answer["content"].as_array().ok_or_else(|| {
            CallError::new(Failure::Malformed, "the answer has no content blocks")
        })?;
        for block in blocks {
            match block["type"].as_str() {
                Some("tool_use") if block["name"] == TOOL => {
                    completion.text = block["input"].to_string();
                    break;
                }
                Some("text") => completion
                    .text
                    .push_str(block["text"].as_str().unwrap_or("")),
                _ => {}
            }
        }
    }
    completion.estimate_missing(prompt);
    Ok(completion)
}

fn read_message(message: &Value, completion: &mut Completion) {
    if message["stop_reason"] == "max_tokens" {
        completion.truncated = true;
    }
    if let Some(model) = message["model"].as_str().filter(|m| !m.is_empty()) {
        completion.model = model.to_owned();
    }
    if let Some(n) = message["usage"]["input_tokens"].as_u64() {
        completion.tokens_in = n;
    }
    if let Some(n) = message["usage"]["output_tokens"].as_u64() {
        completion.tokens_out = n;
    }
}
