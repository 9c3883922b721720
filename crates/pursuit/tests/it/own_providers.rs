//! A user's own AI providers on both backends: added through the API and the page, asked
//! first for their task kinds, their key sealed at rest and never shown again, kept to the
//! address policy, private to their owner, and every change in the audit log.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};
use crate::matching::send;
use crate::pages::{form, location, page};

const KEY: &str = "sk-own-key-abcdef0123456789";

/// An OpenAI-compatible server answering every chat completion with a spam check, keeping
/// each request's `Authorization` header.
async fn fake_openai() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |headers: axum::http::HeaderMap| {
            let keep = keep.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                keep.lock().unwrap().push(auth);
                axum::Json(json!({
                    "id": "chatcmpl-1", "object": "chat.completion", "model": "own-mini",
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                        "content": "{\"spam_score\": 0.9, \"spam_words\": [\"FREE\"]}"}}],
                    "usage": {"prompt_tokens": 500, "completion_tokens": 50, "total_tokens": 550}
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// An app whose users may add providers on this machine (the fake listens on 127.0.0.1).
async fn private_app(backend: pursuit_store::Backend) -> TestApp {
    spawn_app_with(TestDatabase::new(backend).await, |config| {
        config.ai.user_providers_private = true;
    })
    .await
}

async fn spam(app: &TestApp, token: &str, body: &str) -> Value {
    let response = send(
        app,
        token,
        "POST",
        "/api/v1/ai/spam-check",
        Some(json!({"body": body})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response, "application/json").await
}

async fn problem(response: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    json_body(response, "application/problem+json")
        .await
        .to_string()
}

both_backends! {
    async fn an_own_provider_answers_first_and_its_key_is_sealed(backend: Backend) {
        let (url, seen) = fake_openai().await;
        let app = private_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "own").await.1;

        let empty = json_body(send(&app, &token, "GET", "/api/v1/ai/providers", None).await, "application/json").await;
        assert_eq!(empty, json!({"items": [], "next_cursor": null}));

        let created = send(&app, &token, "POST", "/api/v1/ai/providers", Some(json!({
            "name": "mine", "kind": "openai", "url": url, "model": "own-mini", "api_key": KEY,
            "used_for": ["classify"], "price_in_per_million": 1, "price_out_per_million": 2
        }))).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        assert_eq!(created.headers()["location"], "/api/v1/ai/providers/mine");
        let created = json_body(created, "application/json").await;
        assert_eq!(created["has_key"], true);
        assert_eq!(created["key_problem"], Value::Null);
        assert_eq!(created["used_for"], json!(["classify"]));
        assert_eq!(created["json_mode"], "schema");
        assert!(!created.to_string().contains(KEY));

        // At rest the key is sealed: not in the row, not in the audit log.
        let row = app.db.fetch_one(pursuit_store::query("SELECT sealed_key FROM ai_user_providers")).await.unwrap();
        let sealed: String = row.get("sealed_key").unwrap();
        assert!(sealed.starts_with("v1.") && !sealed.contains(KEY) && !sealed.contains("sk-own"), "{sealed}");

        // The spam check goes to it first, with the key; the call is logged and charged.
        let answered = spam(&app, &token, "FREE money").await;
        assert_eq!(answered["provider"], "mine", "{answered}");
        assert_eq!(seen.lock().unwrap().as_slice(), [format!("Bearer {KEY}")]);
        assert!((answered["cost_usd"].as_f64().unwrap() - 0.0006).abs() < 1e-9, "{answered}");
        // Not used for parsing: the local engine reads the posting.
        let parsed = json_body(send(&app, &token, "POST", "/api/v1/ai/parse-job-description", Some(json!({"text": "Accountant\nWe need QuickBooks."}))).await, "application/json").await;
        assert_eq!(parsed["provider"], "local");
        assert_eq!(seen.lock().unwrap().len(), 1);

        // A new key replaces the old; `null` removes it; the model change asks afresh.
        let changed = send(&app, &token, "PATCH", "/api/v1/ai/providers/mine", Some(json!({"api_key": "sk-second-key-999999", "model": "own-large"}))).await;
        assert_eq!(changed.status(), StatusCode::OK);
        let again = spam(&app, &token, "FREE money").await;
        assert_eq!(again["cached"], false, "a new model is asked afresh");
        assert_eq!(seen.lock().unwrap().last().unwrap(), "Bearer sk-second-key-999999");
        let cleared = json_body(send(&app, &token, "PATCH", "/api/v1/ai/providers/mine", Some(json!({"api_key": null}))).await, "application/json").await;
        assert_eq!(cleared["has_key"], false);
        let row = app.db.fetch_one(pursuit_store::query("SELECT sealed_key FROM ai_user_providers")).await.unwrap();
        assert_eq!(row.get::<Option<String>>("sealed_key").unwrap(), None);

        // Another user neither sees nor reaches it.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "own").await.1;
        let list = json_body(send(&app, &bob_token, "GET", "/api/v1/ai/providers", None).await, "application/json").await;
        assert_eq!(list["items"], json!([]));
        for (method, path) in [("GET", "/api/v1/ai/providers/mine"), ("PATCH", "/api/v1/ai/providers/mine"), ("DELETE", "/api/v1/ai/providers/mine"), ("POST", "/api/v1/ai/providers/mine/test")] {
            let body = (method == "PATCH").then(|| json!({"model": "x"}));
            let response = send(&app, &bob_token, method, path, body).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
        let calls_before = seen.lock().unwrap().len();
        let bobs = spam(&app, &bob_token, "FREE money for Bob").await;
        assert_eq!(bobs["provider"], "local");
        assert_eq!(seen.lock().unwrap().len(), calls_before);

        // Every change is in the audit log, and no key is.
        let audit = json_body(send(&app, &token, "GET", "/api/v1/audit", None).await, "application/json").await;
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"ai.provider_added") && actions.contains(&"ai.provider_changed"), "{actions:?}");
        assert!(!audit.to_string().contains(KEY) && !audit.to_string().contains("sk-second"));
        let deleted = send(&app, &token, "DELETE", "/api/v1/ai/providers/mine", None).await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let gone = send(&app, &token, "GET", "/api/v1/ai/providers/mine", None).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }

    async fn a_key_sealed_under_another_secrets_key_is_said_and_passed_over(backend: Backend) {
        let (url, seen) = fake_openai().await;
        let app = private_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "own").await.1;
        let created = send(&app, &token, "POST", "/api/v1/ai/providers", Some(json!({
            "name": "mine", "kind": "openai", "url": url, "model": "own-mini", "api_key": KEY
        }))).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        // As if the data directory's secrets.key had been lost: the row holds a key sealed
        // under another instance key.
        let id: uuid::Uuid = json_body(created, "application/json").await["id"].as_str().unwrap().parse().unwrap();
        let foreign = pursuit_app::secrets::SecretBox::ephemeral().seal(KEY, &format!("ai_provider:{id}"));
        app.db.execute(pursuit_store::query("UPDATE ai_user_providers SET sealed_key = $1").bind(foreign.as_str())).await.unwrap();

        let shown = json_body(send(&app, &token, "GET", "/api/v1/ai/providers/mine", None).await, "application/json").await;
        assert!(shown["key_problem"].as_str().unwrap().contains("another secrets key"), "{shown}");
        let answered = spam(&app, &token, "FREE money").await;
        assert_eq!(answered["provider"], "local");
        let log = json_body(send(&app, &token, "GET", "/api/v1/ai/calls", None).await, "application/json").await;
        assert!(log["items"][1]["detail"].as_str().unwrap().contains("enter it again"), "{log}");
        assert!(seen.lock().unwrap().is_empty(), "called without its key");
        // Entering the key again mends it.
        let mended = json_body(send(&app, &token, "PATCH", "/api/v1/ai/providers/mine", Some(json!({"api_key": KEY}))).await, "application/json").await;
        assert_eq!(mended["key_problem"], Value::Null);
        assert_eq!(spam(&app, &token, "FREE money, again").await["provider"], "mine");
    }

    async fn bad_provider_input_is_a_clear_problem_and_saves_nothing(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "own").await.1;
        let base = json!({"name": "mine", "kind": "openai", "url": "https://api.example.com", "model": "m"});
        let with = |patch: Value| {
            let mut body = base.clone();
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        let cases = [
            (with(json!({"name": "Local"})), "/name"),
            (with(json!({"name": "local"})), "/name"),
            (with(json!({"name": "has space"})), "/name"),
            (with(json!({"url": "http://api.example.com"})), "https://"),
            (with(json!({"url": "https://127.0.0.1:11434"})), "loopback"),
            (with(json!({"url": "https://localhost:11434"})), "loopback"),
            (with(json!({"url": "https://10.0.0.8"})), "private network"),
            (with(json!({"url": "https://169.254.169.254/latest"})), "metadata"),
            (with(json!({"url": "https://user:pw@api.example.com"})), "/url"),
            (with(json!({"url": "not a url"})), "/url"),
            (with(json!({"model": "m\u{0}"})), "/model"),
            (with(json!({"model": "  "})), "/model"),
            (with(json!({"kind": "anthropic"})), "needs a key"),
            (with(json!({"api_key": "sk two words"})), "/api_key"),
            (with(json!({"max_tokens": 1})), "/max_tokens"),
            (with(json!({"timeout_secs": 0})), "/timeout_secs"),
            (with(json!({"price_in_per_million": -1})), "/price_in_per_million"),
        ];
        for (body, expected) in cases {
            let response = send(&app, &token, "POST", "/api/v1/ai/providers", Some(body.clone())).await;
            let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert!(problem.contains(expected), "{body}: {problem}");
        }
        for body in [with(json!({"kind": "gemini"})), with(json!({"used_for": ["dream"]})), with(json!({"extra": 1}))] {
            let response = send(&app, &token, "POST", "/api/v1/ai/providers", Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        }
        let list = json_body(send(&app, &token, "GET", "/api/v1/ai/providers", None).await, "application/json").await;
        assert_eq!(list["items"], json!([]), "a refused provider was saved");

        // A name taken; a rename; ten at most.
        assert_eq!(send(&app, &token, "POST", "/api/v1/ai/providers", Some(base.clone())).await.status(), StatusCode::CREATED);
        let taken = send(&app, &token, "POST", "/api/v1/ai/providers", Some(base.clone())).await;
        assert!(problem(taken, StatusCode::CONFLICT).await.contains("already have"));
        let rename = send(&app, &token, "PATCH", "/api/v1/ai/providers/mine", Some(json!({"name": "other"}))).await;
        assert_eq!(rename.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad_patch = send(&app, &token, "PATCH", "/api/v1/ai/providers/mine", Some(json!({"url": "https://192.168.1.1", "model": "changed"}))).await;
        assert_eq!(bad_patch.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let kept = json_body(send(&app, &token, "GET", "/api/v1/ai/providers/mine", None).await, "application/json").await;
        assert_eq!((kept["url"].as_str(), kept["model"].as_str()), (Some("https://api.example.com"), Some("m")), "a refused change was half-saved");
        for i in 1..10 {
            let response = send(&app, &token, "POST", "/api/v1/ai/providers", Some(with(json!({"name": format!("p{i}")})))).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let eleventh = send(&app, &token, "POST", "/api/v1/ai/providers", Some(with(json!({"name": "p10"})))).await;
        assert!(problem(eleventh, StatusCode::CONFLICT).await.contains("10 providers"));
    }

    async fn the_flag_keeps_own_providers_off(backend: Backend) {
        let (url, seen) = fake_openai().await;
        let app = spawn_app_with(TestDatabase::new(backend).await, |config| {
            config.ai.user_providers_private = true;
            config.features.insert("ai.user_providers".to_owned(), pursuit::config::FeatureRollout {
                enabled: false, percent: 100, users: vec!["beta@example.org".to_owned()],
            });
        })
        .await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "own").await.1;
        let body = json!({"name": "mine", "kind": "openai", "url": url, "model": "m"});
        let off = send(&app, &token, "POST", "/api/v1/ai/providers", Some(body.clone())).await;
        assert!(problem(off, StatusCode::FORBIDDEN).await.contains("ai.user_providers"));
        let html = page(&app, "/settings/ai", Some(ana.cookie.as_str())).await.text().await.unwrap();
        assert!(html.contains("not enabled for your account") && !html.contains("Add provider"), "{html}");
        assert!(html.contains("<strong>Off</strong>: Providers of your own") && html.contains("<strong>On</strong>: Spam check"), "{html}");
        let usage = json_body(send(&app, &token, "GET", "/api/v1/ai/usage", None).await, "application/json").await;
        let features = usage["features"].as_array().unwrap();
        assert!(features.contains(&json!({"name": "ai.user_providers", "on": false})), "{usage}");
        assert!(features.contains(&json!({"name": "ai.spam_check", "on": true})), "{usage}");

        let beta = sign_in(&app, "beta@example.org", 1).await;
        let beta_token = api_token(&app, &beta, "own").await.1;
        assert_eq!(send(&app, &beta_token, "POST", "/api/v1/ai/providers", Some(body)).await.status(), StatusCode::CREATED);
        assert_eq!(spam(&app, &beta_token, "FREE").await["provider"], "mine");
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    async fn own_providers_are_added_changed_and_removed_on_the_page(backend: Backend) {
        let (url, seen) = fake_openai().await;
        let app = private_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());

        let html = page(&app, "/settings/ai", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Your own providers") && html.contains("None yet") && html.contains("Add provider"), "{html}");

        // A refusal keeps what was typed, except the key.
        let refused = form(&app, "/settings/ai/providers", Some(cookie), &[
            ("csrf", csrf), ("name", "my-ollama"), ("kind", "openai"), ("url", "ftp://nope"), ("model", "llama3"),
            ("api_key", KEY), ("used_for", "classify"), ("price_in", "0"), ("price_out", "0"),
        ]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains(r#"value="my-ollama""#) && html.contains(r#"value="ftp:&#x2f;&#x2f;nope""#) && html.contains("https:&#x2f;&#x2f; URL"), "{html}");
        assert!(!html.contains(KEY), "the key was shown again");
        let price = form(&app, "/settings/ai/providers", Some(cookie), &[
            ("csrf", csrf), ("name", "my-ollama"), ("kind", "openai"), ("url", url.as_str()), ("model", "llama3"), ("price_in", "cheap"),
        ]).await;
        assert_eq!(price.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let added = form(&app, "/settings/ai/providers", Some(cookie), &[
            ("csrf", csrf), ("name", "my-ollama"), ("kind", "openai"), ("url", url.as_str()), ("model", "llama3"),
            ("api_key", KEY), ("used_for", "classify"), ("used_for", "write"), ("price_in", "0"), ("price_out", "0"),
            ("json_mode", "object"), ("max_tokens", "512"), ("timeout_secs", "20"),
        ]).await;
        assert_eq!(location(&added), "/settings/ai?added=my-ollama#own");
        let html = page(&app, "/settings/ai?added=my-ollama", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Provider my-ollama added") && html.contains("llama3") && html.contains("set (never shown)"), "{html}");
        assert!(html.contains("write, classify") && !html.contains(KEY));

        // Test connection, then the spam check from the page goes to it.
        let tested = form(&app, "/settings/ai/providers/my-ollama/test", Some(cookie), &[("csrf", csrf)]).await;
        let html = tested.text().await.unwrap();
        assert!(html.contains("my-ollama did not give a valid answer") || html.contains("my-ollama answered"), "{html}");
        assert_eq!(seen.lock().unwrap().first().unwrap(), &format!("Bearer {KEY}"));
        let checked = form(&app, "/settings/ai/spam-check", Some(cookie), &[("csrf", csrf), ("email", "FREE offer")]).await;
        assert!(checked.text().await.unwrap().contains("Answered by <strong>my-ollama</strong>"));

        // The edit page: the key is never in it; leaving it empty keeps it.
        let edit = page(&app, "/settings/ai/providers/my-ollama", Some(cookie)).await;
        assert_eq!(edit.status(), StatusCode::OK);
        let html = edit.text().await.unwrap();
        assert!(html.contains("A key is saved") && html.contains(r#"value="512""#) && !html.contains(KEY), "{html}");
        let saved = form(&app, "/settings/ai/providers/my-ollama", Some(cookie), &[
            ("csrf", csrf), ("kind", "openai"), ("url", url.as_str()), ("model", "llama3.1"), ("api_key", ""),
            ("used_for", "classify"), ("price_in", "0"), ("price_out", "0"), ("json_mode", "schema"), ("max_tokens", "512"), ("timeout_secs", "20"),
        ]).await;
        assert_eq!(location(&saved), "/settings/ai?changed=my-ollama#own");
        let token = api_token(&app, &ana, "own").await.1;
        let shown = json_body(send(&app, &token, "GET", "/api/v1/ai/providers/my-ollama", None).await, "application/json").await;
        assert_eq!((shown["model"].as_str(), shown["has_key"].as_bool()), (Some("llama3.1"), Some(true)));
        let bad = form(&app, "/settings/ai/providers/my-ollama", Some(cookie), &[
            ("csrf", csrf), ("kind", "openai"), ("url", url.as_str()), ("model", ""), ("timeout_secs", "soon"),
        ]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("whole number of seconds"));

        // Turned off among "Providers I use", then removed.
        let off = form(&app, "/settings/ai", Some(cookie), &[("csrf", csrf), ("budget", "")]).await;
        assert_eq!(location(&off), "/settings/ai?saved=1");
        let settings = json_body(send(&app, &token, "GET", "/api/v1/ai/settings", None).await, "application/json").await;
        assert_eq!(settings["disabled_providers"], json!(["my-ollama"]));
        let removed = form(&app, "/settings/ai/providers/my-ollama/delete", Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), "/settings/ai?removed=my-ollama#own");
        let missing = page(&app, "/settings/ai/providers/my-ollama", Some(cookie)).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let forged = form(&app, "/settings/ai/providers", Some(cookie), &[("name", "x"), ("kind", "openai"), ("url", url.as_str()), ("model", "m")]).await;
        assert!(forged.status().is_client_error());
        let list = json_body(send(&app, &token, "GET", "/api/v1/ai/providers", None).await, "application/json").await;
        assert_eq!(list["items"], json!([]));
    }
}
