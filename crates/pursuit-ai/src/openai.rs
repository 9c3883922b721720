//! OpenAI's chat completions API (`POST /v1/chat/completions`) as OpenAI documents it,
//! which Ollama, vLLM, llama.cpp's server and LM Studio also speak: plain or streamed
//! (server-sent `chat.completion.chunk` events ending in `[DONE]`, usage in the last chunk
//! when `stream_options.include_usage` is set).

use std::time::Instant;

use serde_json::{Value, json};

use crate::remote::{
    CallError, Completion, EventStream, Failure, JsonMode, Prompt, ProviderSettings, send,
    send_for_json,
};

pub async fn complete(
    client: &reqwest::Client,
    settings: &ProviderSettings,
    prompt: &Prompt<'_>,
    deadline: Instant,
) -> Result<Completion, CallError> {
    let mut body = json!({
        "model": settings.model,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "temperature": 0,
        "max_tokens": settings.max_tokens,
    });
    match settings.json_mode {
        JsonMode::Schema => {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": prompt.name, "schema": prompt.schema, "strict": false},
            });
        }
        JsonMode::Object => body["response_format"] = json!({"type": "json_object"}),
        JsonMode::Prompt => {}
    }
    if settings.stream {
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
    }
    let mut request = client
        .post(settings.endpoint("chat/completions"))
        .json(&body);
    if let Some(key) = &settings.api_key {
        request = request.bearer_auth(key.expose());
    }
    let key = settings.api_key.as_ref();
    let mut completion = Completion {
        model: settings.model.clone(),
        ..Completion::default()
    };
    if settings.stream {
        let mut events = EventStream::default();
        let mut done = false;
        send(request, deadline, key, |chunk| {
            for (_, data) in events.push(chunk) {
                if data == "[DONE]" {
                    done = true;
                    continue;
                }
                let event: Value = serde_json::from_str(&data).map_err(|e| {
                    CallError::new(
                        Failure::Malformed,
                        format!("a stream event is not JSON: {e}"),
                    )
                })?;
                if let Some(error) = event.get("error") {
                    return Err(CallError::new(
                        Failure::Server,
                        format!("stream error: {error}"),
                    ));
                }
                read_usage(&event, &mut completion);
                if let Some(piece) = event["choices"][0]["delta"]["content"].as_str() {
                    completion.text.push_str(piece);
                }
            }
            Ok(())
        })
        .await?;
        if !done {
            return Err(CallError::new(
                Failure::Malformed,
                "the stream ended without [DONE]",
            ));
        }
    } else {
        let answer = send_for_json(request, deadline, key).await?;
        read_usage(&answer, &mut completion);
        let message = &answer["choices"][0]["message"];
        match (message["content"].as_str(), message["refusal"].as_str()) {
            (Some(text), _) => completion.text = text.to_owned(),
            (None, Some(refusal)) => {
                return Err(CallError::new(
                    Failure::Malformed,
                    format!(
                        "the model refused: {}",
                        refusal.chars().take(200).collect::<String>()
                    ),
                ));
            }
            (None, None) => {
                return Err(CallError::new(
                    Failure::Malformed,
                    "the answer has no choices[0].message.content",
                ));
            }
        }
    }
    completion.estimate_missing(prompt);
    Ok(completion)
}

fn read_usage(event: &Value, completion: &mut Completion) {
    if event["choices"][0]["finish_reason"] == "length" {
        completion.truncated = true;
    }
    if let Some(model) = event["model"].as_str().filter(|m| !m.is_empty()) {
        completion.model = model.to_owned();
    }
    let usage = &event["usage"];
    if let Some(n) = usage["prompt_tokens"].as_u64() {
        completion.tokens_in = n;
    }
    if let Some(n) = usage["completion_tokens"].as_u64() {
        completion.tokens_out = n;
    }
}
