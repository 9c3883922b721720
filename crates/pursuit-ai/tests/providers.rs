//! The layer against wire-format fakes of OpenAI's chat completions and Anthropic's
//! Messages API, written to their documented formats and served on 127.0.0.1: plain and
//! streamed answers, 429 with `Retry-After`, 5xx, timeouts, broken JSON, answers that break
//! the schema or invent data, and keys that must never leak.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Fake, Reply, anthropic_tool, context, layer, openai_json, provider};
use pursuit_ai::{Ai, AiSettings, Input, JsonMode, Outcome, ProviderKind, Request, Task};
use serde_json::{Value, json};

const EMAIL: &str = "Hi Dana, act now: this FREE offer ends soon!!!";

fn spam_request() -> Request {
    Request::new(
        Task::SpamCheck,
        vec![Input {
            label: "email",
            text: EMAIL.into(),
        }],
    )
}

#[tokio::test]
async fn an_openai_answer_is_used_and_accounted_for() {
    let (fake, url) = Fake::start().await;
    fake.script([openai_json(
        "{\"spam_score\": 0.7, \"spam_words\": [\"act now\", \"FREE\"]}",
    )]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.provider, "openai");
    assert_eq!(answer.model, "gpt-test-2025");
    assert_eq!(answer.value["spam_words"], json!(["act now", "FREE"]));
    assert_eq!(answer.attempts.len(), 1);
    let attempt = &answer.attempts[0];
    assert_eq!(attempt.outcome, Outcome::Ok);
    assert_eq!((attempt.tokens_in, attempt.tokens_out), (1200, 300));
    // 1,200 × $2.50/M + 300 × $10/M.
    assert!(
        (attempt.cost_usd - 0.006).abs() < 1e-9,
        "{}",
        attempt.cost_usd
    );
    assert_eq!(attempt.prompt_hash.len(), 64);
    assert!(attempt.prompt.is_none() && attempt.response.is_none());

    let seen = fake.seen();
    let (path, headers, body) = &seen[0];
    assert_eq!(path, "/v1/chat/completions");
    assert_eq!(headers["authorization"], "Bearer sk-secret-key-0123456789");
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["name"], "spam_check");
    assert_eq!(body["messages"][0]["role"], "system");
    // The data sits between markers in the user message, never in the system prompt.
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("<data label=\"email\">") && user.contains(EMAIL));
    assert!(
        !body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains(EMAIL)
    );
}

#[tokio::test]
async fn a_streamed_openai_answer_is_put_together() {
    let (fake, url) = Fake::start().await;
    let chunk = |content: &str| {
        json!({"id": "c", "object": "chat.completion.chunk", "model": "gpt-stream",
               "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})
        .to_string()
    };
    fake.script([Reply::Events(vec![
        ("", chunk("{\"spam_score\": 0.2,")),
        ("", chunk(" \"spam_words\": [\"FREE\"]}")),
        (
            "",
            json!({"id": "c", "object": "chat.completion.chunk", "choices": [],
                   "usage": {"prompt_tokens": 50, "completion_tokens": 12}})
            .to_string(),
        ),
        ("", "[DONE]".to_owned()),
    ])]);
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.stream = true;
    let ai = layer(&[("ollama", settings)]);
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.provider, "ollama");
    assert_eq!(answer.value["spam_words"], json!(["FREE"]));
    assert_eq!(
        (answer.attempts[0].tokens_in, answer.attempts[0].tokens_out),
        (50, 12)
    );
    let body = &fake.seen()[0].2;
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
}

#[tokio::test]
async fn a_stream_cut_off_before_done_is_not_an_answer() {
    let (fake, url) = Fake::start().await;
    fake.script([Reply::Events(vec![(
        "",
        json!({"choices": [{"delta": {"content": "{\"spam_score\": 0.1, \"spam_words\": []}"}}]})
            .to_string(),
    )])]);
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.stream = true;
    settings.retries = 0;
    let answer = layer(&[("openai", settings)])
        .run(&spam_request(), &context())
        .await;
    assert_eq!(answer.provider, "local");
    assert_eq!(
        answer.attempts[0].outcome,
        Outcome::Failed(pursuit_ai::Failure::Malformed)
    );
}

#[tokio::test]
async fn rate_limits_are_waited_out_as_retry_after_says() {
    let (fake, url) = Fake::start().await;
    let limited = |header: (&'static str, &str)| {
        Reply::Json(
            429,
            vec![(header.0, header.1.to_owned())],
            json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}),
        )
    };
    fake.script([
        limited(("retry-after", "1")),
        limited(("retry-after-ms", "150")),
        openai_json("{\"spam_score\": 0.5, \"spam_words\": []}"),
    ]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let started = Instant::now();
    let answer = ai.run(&spam_request(), &context()).await;
    let took = started.elapsed();
    assert_eq!(answer.provider, "openai");
    let outcomes: Vec<&str> = answer.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["rate_limited", "rate_limited", "ok"]);
    assert!(took >= Duration::from_millis(1150), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_falls_back_at_once() {
    let (fake, url) = Fake::start().await;
    fake.script([Reply::Json(
        429,
        vec![("retry-after", "120".to_owned())],
        json!({"error": {"message": "slow down"}}),
    )]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let started = Instant::now();
    let answer = ai.run(&spam_request(), &context()).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(answer.provider, "local");
    assert!(answer.attempts[0].detail.contains("past the deadline"));
    assert_eq!(fake.seen().len(), 1);
}

#[tokio::test]
async fn an_answer_that_breaks_the_schema_is_repaired_once() {
    let (fake, url) = Fake::start().await;
    fake.script([
        openai_json("Sure! ```json\n{\"spam_score\": 3, \"spam_words\": \"FREE\"}\n```"),
        openai_json("{\"spam_score\": 0.6, \"spam_words\": [\"FREE\"]}"),
    ]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.provider, "openai");
    assert!(answer.repaired);
    let outcomes: Vec<&str> = answer.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["invalid", "repaired"]);
    assert!(
        answer.attempts[0]
            .detail
            .contains("/spam_score: must be at most 1")
    );
    // The repair request quotes the answer and what was wrong with it.
    let repair = fake.seen()[1].2["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        repair.contains("/spam_words: expected array, found string"),
        "{repair}"
    );
    assert!(repair.contains("\"spam_score\": 3"));
}

#[tokio::test]
async fn invented_words_then_garbage_fall_through_to_the_next_provider() {
    let (openai, openai_url) = Fake::start().await;
    let (anthropic, anthropic_url) = Fake::start().await;
    // Words the email does not hold, twice: the rules refuse them like a schema break.
    openai.script([
        openai_json("{\"spam_score\": 0.9, \"spam_words\": [\"guaranteed income\"]}"),
        openai_json("not json at all"),
    ]);
    anthropic.script([anthropic_tool(
        json!({"spam_score": 0.65, "spam_words": ["act now", "!!!"]}),
    )]);
    let ai = layer(&[
        ("openai", provider(ProviderKind::OpenAi, &openai_url)),
        ("claude", provider(ProviderKind::Anthropic, &anthropic_url)),
    ]);
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.provider, "claude");
    assert_eq!(answer.model, "claude-test");
    assert_eq!(answer.value["spam_words"], json!(["act now", "!!!"]));
    assert_eq!(answer.fallbacks(), ["openai: invalid", "openai: invalid"]);
    assert!(answer.attempts[0].detail.contains("not in the email"));
    let (path, headers, body) = &anthropic.seen()[0];
    assert_eq!(path, "/v1/messages");
    assert_eq!(headers["x-api-key"], "sk-secret-key-0123456789");
    assert_eq!(headers["anthropic-version"], "2023-06-01");
    assert_eq!(
        body["tool_choice"],
        json!({"type": "tool", "name": "answer"})
    );
    assert_eq!(
        body["tools"][0]["input_schema"]["required"],
        json!(["spam_score", "spam_words"])
    );
    assert!(
        body["system"]
            .as_str()
            .unwrap()
            .contains("never an instruction")
    );
    let attempt = answer.attempts.last().unwrap();
    assert_eq!((attempt.tokens_in, attempt.tokens_out), (900, 120));
}

#[tokio::test]
async fn a_streamed_anthropic_tool_answer_is_put_together() {
    let (fake, url) = Fake::start().await;
    let event = |value: Value| value.to_string();
    fake.script([Reply::Events(vec![
        ("message_start", event(json!({"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "claude-stream", "content": [], "usage": {"input_tokens": 77, "output_tokens": 1}}}))),
        ("content_block_start", event(json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "t", "name": "answer", "input": {}}}))),
        ("ping", event(json!({"type": "ping"}))),
        ("content_block_delta", event(json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{\"spam_score\": 0.3, \"spam"}}))),
        ("content_block_delta", event(json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "_words\": [\"FREE\"]}"}}))),
        ("content_block_stop", event(json!({"type": "content_block_stop", "index": 0}))),
        ("message_delta", event(json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 21}}))),
        ("message_stop", event(json!({"type": "message_stop"}))),
    ])]);
    let mut settings = provider(ProviderKind::Anthropic, &url);
    settings.stream = true;
    let answer = layer(&[("claude", settings)])
        .run(&spam_request(), &context())
        .await;
    assert_eq!(answer.provider, "claude");
    assert_eq!(answer.model, "claude-stream");
    assert_eq!(answer.value["spam_words"], json!(["FREE"]));
    assert_eq!(
        (answer.attempts[0].tokens_in, answer.attempts[0].tokens_out),
        (77, 21)
    );
}

#[tokio::test]
async fn an_overloaded_stream_is_retried() {
    let (fake, url) = Fake::start().await;
    fake.script([
        Reply::Events(vec![(
            "error",
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}).to_string(),
        )]),
        Reply::Events(vec![
            ("message_start", json!({"type": "message_start", "message": {"model": "claude-stream", "usage": {"input_tokens": 5, "output_tokens": 1}}}).to_string()),
            ("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "{\"spam_score\": 0.1, \"spam_words\": []}"}}).to_string()),
            ("message_stop", json!({"type": "message_stop"}).to_string()),
        ]),
    ]);
    let mut settings = provider(ProviderKind::Anthropic, &url);
    settings.stream = true;
    settings.json_mode = JsonMode::Prompt;
    let ai = layer(&[("claude", settings)]);
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.provider, "claude");
    let outcomes: Vec<&str> = answer.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["server_error", "ok"]);
    // Without the tool, the schema travels in the system prompt only.
    assert!(fake.seen()[1].2.get("tools").is_none());
}

#[tokio::test]
async fn a_failing_provider_opens_its_circuit() {
    let (fake, url) = Fake::start().await;
    for _ in 0..3 {
        fake.script([Reply::Json(
            503,
            Vec::new(),
            json!({"error": {"message": "unavailable"}}),
        )]);
    }
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.retries = 0;
    let ai = layer(&[("openai", settings)]);
    for _ in 0..3 {
        let answer = ai.run(&spam_request(), &context()).await;
        assert_eq!(answer.provider, "local");
        assert_eq!(answer.attempts[0].outcome.as_str(), "server_error");
    }
    // Three failures in a row: the fourth request does not reach the server.
    let answer = ai.run(&spam_request(), &context()).await;
    assert_eq!(answer.attempts[0].outcome, Outcome::SkippedCircuit);
    assert_eq!(fake.seen().len(), 3);
    assert_eq!(ai.providers()[0].circuit, "open");
}

#[tokio::test]
async fn a_slow_provider_is_given_up_at_its_deadline() {
    let (fake, url) = Fake::start().await;
    fake.script([Reply::Slow(Duration::from_secs(30))]);
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.timeout_secs = 1;
    let ai = layer(&[("openai", settings)]);
    let started = Instant::now();
    let answer = ai.run(&spam_request(), &context()).await;
    let took = started.elapsed();
    assert_eq!(answer.provider, "local");
    assert_eq!(answer.attempts[0].outcome.as_str(), "timeout");
    assert!(took < Duration::from_millis(1800), "{took:?}");
}

#[tokio::test]
async fn a_spent_budget_keeps_paid_providers_uncalled() {
    let (fake, url) = Fake::start().await;
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let mut ctx = context();
    ctx.budget_left_usd = Some(0.0);
    let answer = ai.run(&spam_request(), &ctx).await;
    assert_eq!(answer.provider, "local");
    assert_eq!(answer.attempts[0].outcome, Outcome::SkippedBudget);
    assert!(fake.seen().is_empty());
    // A free provider (a local server) is not held back by the budget.
    let (free, free_url) = Fake::start().await;
    free.script([openai_json("{\"spam_score\": 0.5, \"spam_words\": []}")]);
    let mut settings = provider(ProviderKind::OpenAi, &free_url);
    settings.price_in_per_million = 0.0;
    settings.price_out_per_million = 0.0;
    let answer = layer(&[("ollama", settings)])
        .run(&spam_request(), &ctx)
        .await;
    assert_eq!(answer.provider, "ollama");
    assert_eq!(answer.attempts[0].cost_usd, 0.0);
}

#[tokio::test]
async fn offline_and_flags_mean_local_only() {
    let (fake, url) = Fake::start().await;
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let mut ctx = context();
    ctx.offline = true;
    let answer = ai.run(&spam_request(), &ctx).await;
    assert_eq!(answer.provider, "local");
    assert_eq!(answer.attempts.len(), 1);
    let mut ctx = context();
    ctx.disabled = vec!["openai".to_owned()];
    let answer = ai.run(&spam_request(), &ctx).await;
    assert_eq!(answer.attempts[0].outcome, Outcome::SkippedFlag);
    assert!(fake.seen().is_empty());
    // The local answer is the spam check's own.
    assert_eq!(
        answer.value,
        serde_json::to_value(pursuit_ai::spam::check(EMAIL)).unwrap()
    );
}

#[tokio::test]
async fn keys_never_reach_the_call_log() {
    let (fake, url) = Fake::start().await;
    fake.script([Reply::Raw(
        401,
        "{\"error\": {\"message\": \"Incorrect API key provided: sk-secret-key-0123456789.\"}}"
            .to_owned(),
    )]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let mut ctx = context();
    ctx.full_logging = true;
    let answer = ai.run(&spam_request(), &ctx).await;
    assert_eq!(answer.attempts[0].outcome.as_str(), "refused");
    // A 401 is not retried.
    assert_eq!(fake.seen().len(), 1);
    let everything = format!("{answer:?} {:?}", ai);
    assert!(!everything.contains("sk-secret-key-0123456789"));
    assert!(answer.attempts[0].detail.contains("HTTP 401"));
}

#[tokio::test]
async fn an_unreachable_provider_falls_back() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.retries = 1;
    let answer = layer(&[("openai", settings)])
        .run(&spam_request(), &context())
        .await;
    assert_eq!(answer.provider, "local");
    let outcomes: Vec<&str> = answer.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["unreachable", "unreachable", "ok"]);
    assert!(
        answer.attempts[0].detail.contains("refused"),
        "{}",
        answer.attempts[0].detail
    );
}

#[test]
fn settings_mistakes_name_their_key() {
    let mut settings = AiSettings::default();
    settings.tasks.parse = vec!["nope".to_owned()];
    let mut bad = provider(ProviderKind::Anthropic, "ftp://x");
    bad.api_key = None;
    settings.providers.insert("claude".to_owned(), bad);
    let error = Ai::new(settings).unwrap_err();
    assert!(
        error.contains("ai.tasks.parse: no provider named \"nope\""),
        "{error}"
    );
    assert!(
        error.contains("ai.providers.claude: url \"ftp://x\""),
        "{error}"
    );
}

#[tokio::test]
async fn a_connection_test_asks_the_one_provider_and_says_what_happened() {
    let (fake, url) = Fake::start().await;
    fake.script([openai_json("{\"spam_score\": 0.0, \"spam_words\": []}")]);
    let ai = layer(&[("openai", provider(ProviderKind::OpenAi, &url))]);
    let (worked, attempts) = ai.probe("openai", &context()).await.unwrap();
    assert!(worked);
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, Outcome::Ok);
    assert_eq!(fake.seen().len(), 1);
    // Down: not worked, the reason kept; unknown: none.
    fake.script([Reply::Json(
        503,
        Vec::new(),
        json!({"error": {"message": "down"}}),
    )]);
    let mut settings = provider(ProviderKind::OpenAi, &url);
    settings.retries = 0;
    let ai = layer(&[("openai", settings)]);
    let (worked, attempts) = ai.probe("openai", &context()).await.unwrap();
    assert!(!worked);
    assert!(attempts[0].detail.contains("HTTP 503"), "{:?}", attempts[0]);
    assert!(ai.probe("nope", &context()).await.is_none());
}

#[tokio::test]
async fn an_answer_cut_off_at_max_tokens_says_so() {
    let (fake, url) = Fake::start().await;
    let cut = |text: &str| {
        Reply::Json(
            200,
            Vec::new(),
            json!({
                "id": "c", "object": "chat.completion", "model": "small",
                "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 256}
            }),
        )
    };
    fake.script([
        cut("{\"spam_score\": 0.5, \"spam_words\": [\"FREE\", \"FREE"),
        cut("{\"spam_sc"),
    ]);
    let answer = layer(&[("small", provider(ProviderKind::OpenAi, &url))])
        .run(&spam_request(), &context())
        .await;
    assert_eq!(answer.provider, "local");
    assert!(
        answer.attempts[0].detail.contains("cut off at max_tokens"),
        "{}",
        answer.attempts[0].detail
    );
}

#[test]
fn a_kept_answer_is_keyed_by_the_inputs_and_the_chain() {
    let url = "http://127.0.0.1:9";
    let one = layer(&[("openai", provider(ProviderKind::OpenAi, url))]);
    let mut other_model = provider(ProviderKind::OpenAi, url);
    other_model.model = "another-model".to_owned();
    let two = layer(&[("openai", other_model)]);
    let request = spam_request();
    let c = context();
    assert_eq!(
        one.cache_key(&request, &c),
        one.cache_key(&spam_request(), &c)
    );
    assert_ne!(one.cache_key(&request, &c), two.cache_key(&request, &c));
    let other_text = Request::new(
        Task::SpamCheck,
        vec![Input {
            label: "email",
            text: "Another email".into(),
        }],
    );
    assert_ne!(one.cache_key(&request, &c), one.cache_key(&other_text, &c));
}
