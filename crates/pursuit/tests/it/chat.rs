//! Conversations on both backends: answers from the user's own data as JSON, server-sent
//! events and over a WebSocket, kept in order; a model's answer that states about the user
//! what the material does not show is passed over; a cross-site socket is refused.

use std::sync::atomic::Ordering;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};
use crate::matching::{ACCOUNTANT, RESUME, add_posting, add_resume, send};

/// Ana with her resume read and the accountant posting: her token and a conversation
/// about the posting.
async fn talking(app: &TestApp) -> (String, String) {
    let ana = sign_in(app, "ana@example.com", 1).await;
    let token = api_token(app, &ana, "chat").await.1;
    let posting = add_posting(app, &token, ACCOUNTANT).await;
    add_resume(app, &token, RESUME).await;
    let started = send(
        app,
        &token,
        "POST",
        "/api/v1/conversations",
        Some(json!({"job_id": posting})),
    )
    .await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let conversation = json_body(started, "application/json").await;
    assert_eq!(conversation["title"], "About Senior Accountant");
    (token, conversation["id"].as_str().unwrap().to_owned())
}

fn socket_request(
    app: &TestApp,
    path: &str,
    auth: (&'static str, &str),
) -> tungstenite::handshake::client::Request {
    let url = format!("{}{path}", app.address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert(auth.0, auth.1.parse().unwrap());
    request
}

/// Frames until `done` or `error`, as JSON.
async fn frames<S>(socket: &mut S) -> Vec<Value>
where
    S: futures_util::Stream<Item = Result<Message, tungstenite::Error>> + Unpin,
{
    let mut out = Vec::new();
    while let Some(frame) = socket.next().await {
        let frame = frame.unwrap_or_else(|e| panic!("the socket failed: {e}"));
        if let Message::Text(text) = frame {
            let value: Value = serde_json::from_str(&text).unwrap();
            let last = matches!(value["type"].as_str(), Some("done" | "error"));
            out.push(value);
            if last {
                break;
            }
        }
    }
    out
}

both_backends! {
    async fn the_assistant_answers_from_the_users_data_by_json_events_and_socket(backend: Backend) {
        let app = spawn_app(backend).await;
        let (token, id) = talking(&app).await;
        let messages = format!("/api/v1/conversations/{id}/messages");

        let asked = send(&app, &token, "POST", &messages, Some(json!({"content": "What am I missing for this job?"}))).await;
        assert_eq!(asked.status(), StatusCode::CREATED);
        let asked = json_body(asked, "application/json").await;
        let answer = &asked["answer"];
        assert!(answer["content"].as_str().unwrap().contains("NetSuite"), "{answer:#}");
        assert_eq!((answer["provider"].as_str(), answer["unsupported"].as_u64()), (Some("local"), Some(0)));
        assert_eq!(asked["question"]["role"], "user");

        // Server-sent events: the pieces make the answer kept.
        let streamed = app.client.post(app.url(&messages)).bearer_auth(&token)
            .header("accept", "text/event-stream")
            .json(&json!({"content": "How well do I match?"})).send().await.unwrap();
        assert_eq!(streamed.status(), StatusCode::OK);
        assert!(streamed.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let body = streamed.text().await.unwrap();
        let mut events = Vec::new();
        for block in body.split("\n\n").filter(|b| b.contains("event:")) {
            let name = block.lines().find_map(|l| l.strip_prefix("event: ")).unwrap().to_owned();
            let data: String = block.lines().filter_map(|l| l.strip_prefix("data: ")).collect::<Vec<_>>().join("\n");
            events.push((name, serde_json::from_str::<Value>(&data).unwrap()));
        }
        assert_eq!(events.first().unwrap().0, "status");
        let (last, done) = events.last().unwrap();
        assert_eq!(last, "done", "{body}");
        let joined: String = events.iter().filter(|(n, _)| n == "delta").map(|(_, d)| d["text"].as_str().unwrap()).collect();
        assert_eq!(joined, done["answer"]["content"].as_str().unwrap());
        assert!(joined.starts_with("Match of the resume with Senior Accountant: "), "{joined}");
        assert_eq!(done["answer"]["unsupported"], 0, "the match's figures are no claims: {done:#}");

        // The WebSocket, with a bearer token as a program would.
        let (mut socket, _) = tokio_tungstenite::connect_async(socket_request(&app, &format!("/api/v1/conversations/{id}/ws"), ("authorization", &format!("Bearer {token}")))).await.unwrap();
        socket.send(Message::Text(json!({"content": "What are the duties?"}).to_string().into())).await.unwrap();
        let got = frames(&mut socket).await;
        assert_eq!(got[0], json!({"type": "status", "state": "thinking"}));
        let done = got.last().unwrap();
        assert_eq!(done["type"], "done", "{got:#?}");
        let joined: String = got.iter().filter(|f| f["type"] == "delta").map(|f| f["text"].as_str().unwrap()).collect();
        assert_eq!(joined, done["answer"]["content"].as_str().unwrap());
        assert!(joined.contains("Own the month-end close"), "{joined}");
        assert_eq!(done["answer"]["unsupported"], 0, "{done:#}");
        socket.send(Message::Text("not json".into())).await.unwrap();
        let refused = frames(&mut socket).await;
        assert_eq!((refused[0]["type"].as_str(), refused[0]["problem"]["status"].as_u64()), (Some("error"), Some(422)));
        socket.send(Message::Text(json!({"content": " "}).to_string().into())).await.unwrap();
        assert_eq!(frames(&mut socket).await[1]["problem"]["status"], 422);
        socket.close(None).await.unwrap();
        // One account holds at most eight sockets; a closed one frees its place.
        let ws_path = format!("/api/v1/conversations/{id}/ws");
        let bearer = format!("Bearer {token}");
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(tokio_tungstenite::connect_async(socket_request(&app, &ws_path, ("authorization", &bearer))).await.unwrap().0);
        }
        match tokio_tungstenite::connect_async(socket_request(&app, &ws_path, ("authorization", &bearer))).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
            other => panic!("a ninth socket was opened: {other:?}"),
        }
        held.pop().unwrap().close(None).await.unwrap();
        let mut reopened = None;
        for _ in 0..100 {
            if let Ok((socket, _)) = tokio_tungstenite::connect_async(socket_request(&app, &ws_path, ("authorization", &bearer))).await {
                reopened = Some(socket);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(reopened.is_some(), "a closed socket frees its place");
        for mut socket in held.into_iter().chain(reopened) {
            socket.close(None).await.unwrap();
        }

        // Kept in order: three questions and their answers.
        let kept = json_body(send(&app, &token, "GET", &format!("/api/v1/conversations/{id}"), None).await, "application/json").await;
        let roles: Vec<&str> = kept["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["user", "assistant", "user", "assistant", "user", "assistant"]);
        assert_eq!(kept["messages"][4]["content"], "What are the duties?");

        // Refusals, as problems before any stream.
        for body in [json!({"content": ""}), json!({"content": "x".repeat(4001)}), json!({"content": "hi", "extra": 1}), json!({"content": "a\u{0}b"})] {
            assert_eq!(send(&app, &token, "POST", &messages, Some(body.clone())).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        }
        let plain = app.client.get(app.url(&format!("/api/v1/conversations/{id}/ws"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
        assert!(plain.text().await.unwrap().contains("WebSocket"));

        // Another user sees none of it, by any door.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "chat").await.1;
        for (method, path, body) in [("GET", format!("/api/v1/conversations/{id}"), None), ("POST", messages.clone(), Some(json!({"content": "hi"}))), ("DELETE", format!("/api/v1/conversations/{id}"), None), ("GET", format!("/api/v1/conversations/{id}/ws"), None)] {
            assert_eq!(send(&app, &bob_token, method, &path, body).await.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
        let theirs = send(&app, &bob_token, "POST", "/api/v1/conversations", Some(json!({"job_id": kept["job_id"]}))).await;
        assert_eq!(theirs.status(), StatusCode::UNPROCESSABLE_ENTITY, "another user's posting");
        assert_eq!(json_body(send(&app, &bob_token, "GET", "/api/v1/conversations", None).await, "application/json").await["items"], json!([]));

        // A browser's socket from another site carries the cookie but is refused.
        let ana = sign_in(&app, "ana@example.com", 2).await;
        let mut cross = socket_request(&app, &format!("/api/v1/conversations/{id}/ws"), ("cookie", &ana.cookie));
        cross.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
        match tokio_tungstenite::connect_async(cross).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
            other => panic!("a cross-site socket was opened: {other:?}"),
        }
        // Our own page's socket opens (once the sockets closed above have been let go).
        let mut opened = false;
        for _ in 0..100 {
            let mut own = socket_request(&app, &format!("/api/v1/conversations/{id}/ws"), ("cookie", &ana.cookie));
            own.headers_mut().insert("origin", app.address.parse().unwrap());
            if tokio_tungstenite::connect_async(own).await.is_ok() {
                opened = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(opened, "our own page's socket");

        assert_eq!(send(&app, &token, "DELETE", &format!("/api/v1/conversations/{id}"), None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "GET", &format!("/api/v1/conversations/{id}"), None).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_models_answer_that_invents_about_the_user_is_never_sent(backend: Backend) {
        let (inventor, invented) = crate::ai::fake_chat(json!({"text": "You led the audit team at Deloitte and hold a CPA, so you are a strong fit."}).to_string(), "inventor", (900, 80)).await;
        let (faithful, answered) = crate::ai::fake_chat(json!({"text": "At Acme Corp you cut the month-end close from 9 to 5 days, which answers the posting's month-end duty."}).to_string(), "faithful", (900, 80)).await;
        let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
            config.ai.providers.insert("inventor".to_owned(), crate::ai::fake_provider(inventor, "inventor"));
            config.ai.providers.insert("faithful".to_owned(), crate::ai::fake_provider(faithful, "faithful"));
            config.ai.tasks.write = vec!["inventor".to_owned(), "faithful".to_owned()];
        }).await;
        let (token, id) = talking(&app).await;
        let asked = json_body(send(&app, &token, "POST", &format!("/api/v1/conversations/{id}/messages"), Some(json!({"content": "Why would they hire me?"}))).await, "application/json").await;
        let answer = &asked["answer"];
        assert!(invented.load(Ordering::SeqCst) >= 1 && answered.load(Ordering::SeqCst) == 1, "{asked:#}");
        assert_eq!((answer["provider"].as_str(), answer["unsupported"].as_u64()), (Some("faithful"), Some(0)), "{answer:#}");
        assert!(answer["content"].as_str().unwrap().starts_with("At Acme Corp"));
        assert!(!asked.to_string().contains("Deloitte"));
        assert!(answer["cost_usd"].as_f64().unwrap() > 0.0);
    }
}

both_backends! {
    async fn a_conversation_is_held_from_the_pages_without_javascript(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let token = api_token(&app, &ana, "chat").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        add_resume(&app, &token, RESUME).await;
        assert!(page(&app, "/chat", Some(cookie)).await.text().await.unwrap().contains("No conversations yet"));
        let job = page(&app, &format!("/jobs/{posting}"), Some(cookie)).await.text().await.unwrap();
        assert!(job.contains("Ask about this job"));
        let started = form(&app, "/chat", Some(cookie), &[("csrf", csrf), ("job_id", &posting)]).await;
        let at = location(&started).to_owned();
        assert!(at.starts_with("/chat/"), "{at}");
        let asked = form(&app, &at, Some(cookie), &[("csrf", csrf), ("content", "What does it pay?")]).await;
        assert_eq!(location(&asked), format!("{at}#latest"));
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("What does it pay?") && html.contains("The posting states no pay."), "{html}");
        let empty = form(&app, &at, Some(cookie), &[("csrf", csrf), ("content", "   ")]).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let long = "x".repeat(4001);
        let refused = form(&app, &at, Some(cookie), &[("csrf", csrf), ("content", &long)]).await;
        assert!(refused.text().await.unwrap().contains(&long), "what was typed is kept");
        assert!(page(&app, "/chat", Some(cookie)).await.text().await.unwrap().contains("About Senior Accountant"));
        let bob = sign_in(&app, "bob@example.com", 1).await;
        assert_eq!(page(&app, &at, Some(bob.cookie.as_str())).await.status(), StatusCode::NOT_FOUND);
        let removed = form(&app, &format!("{at}/delete"), Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), "/chat");
    }
}
