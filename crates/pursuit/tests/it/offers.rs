//! The pitch (seed 000's offer) on both backends: written from the user's own lines for the
//! application's posting, within its characters, addressed to one of the user's contacts,
//! checked by the guard when edited, and a model that invents or runs long passed over.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};
use crate::matching::{ACCOUNTANT, RESUME, add_posting, add_resume, send};

/// Ana with the accountant posting (saved as an application) and her resume read: the
/// token and the application's id.
async fn ready(app: &TestApp) -> (String, String) {
    let ana = sign_in(app, "ana@example.com", 1).await;
    let token = api_token(app, &ana, "pitch").await.1;
    let posting = add_posting(app, &token, ACCOUNTANT).await;
    add_resume(app, &token, RESUME).await;
    let job = json_body(
        send(app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await,
        "application/json",
    )
    .await;
    (token, job["application_id"].as_str().unwrap().to_owned())
}

async fn pitch(app: &TestApp, token: &str, application: &str, body: Value) -> Value {
    let made = send(
        app,
        token,
        "POST",
        &format!("/api/v1/applications/{application}/offer"),
        Some(body),
    )
    .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    json_body(made, "application/json").await
}

both_backends! {
    async fn a_pitch_is_the_users_own_lines_within_its_characters(backend: Backend) {
        let app = spawn_app(backend).await;
        let (token, application) = ready(&app).await;
        let none = send(&app, &token, "GET", &format!("/api/v1/applications/{application}/offer"), None).await;
        assert_eq!(none.status(), StatusCode::NOT_FOUND);
        assert!(json_body(none, "application/problem+json").await["detail"].as_str().unwrap().contains("no pitch"));

        let offer = pitch(&app, &token, &application, json!({})).await;
        let document = &offer["document"];
        let body = document["body"].as_str().unwrap();
        assert_eq!((document["kind"].as_str(), document["provider"].as_str(), offer["tone"].as_str(), offer["length_preset"].as_str()), (Some("pitch"), Some("local"), Some("professional"), Some("medium")));
        assert!(body.starts_with("I have applied for the Senior Accountant role"), "{body}");
        assert!(body.contains("cut the month-end close from 9 to 5 days"), "the user's own line: {body}");
        assert!(!body.contains("Unknown"), "no stand-in company: {body}");
        assert!(offer["chars"].as_u64().unwrap() <= 600 && offer["target"]["max"] == 600, "{offer:#}");
        assert_eq!(document["blocking"], 0, "{:#}", document["claims"]);
        for invented in ["NetSuite", "3+ years"] {
            assert!(!body.contains(invented), "{invented}: {body}");
        }
        let newest = json_body(send(&app, &token, "GET", &format!("/api/v1/applications/{application}/offer"), None).await, "application/json").await;
        assert_eq!(newest["id"], offer["id"]);

        let short = pitch(&app, &token, &application, json!({"length": "short", "tone": "casual"})).await;
        assert!(short["chars"].as_u64().unwrap() <= 350, "{short:#}");
        assert!(short["document"]["body"].as_str().unwrap().starts_with("I just applied"), "{short:#}");

        // Addressed to a contact of Ana's; another's is refused.
        let dana = json_body(send(&app, &token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Dana Reyes", "role_title": "Controller"}))).await, "application/json").await;
        let to_dana = pitch(&app, &token, &application, json!({"contact_id": dana["id"]})).await;
        assert_eq!(to_dana["contact_id"], dana["id"]);
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "pitch").await.1;
        let bobs = json_body(send(&app, &bob_token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Bob's contact"}))).await, "application/json").await;
        let refused = send(&app, &token, "POST", &format!("/api/v1/applications/{application}/offer"), Some(json!({"contact_id": bobs["id"]}))).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        for bad in [json!({"tone": "angry"}), json!({"length": "huge"}), json!({"extra": 1})] {
            let refused = send(&app, &token, "POST", &format!("/api/v1/applications/{application}/offer"), Some(bad.clone())).await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }

        // Edited: over its length is refused; an invented claim is kept but blocks export.
        let at = format!("/api/v1/offers/{}", offer["id"].as_str().unwrap());
        let long = send(&app, &token, "PATCH", &at, Some(json!({"body": "x ".repeat(400)}))).await;
        assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let edited = json_body(send(&app, &token, "PATCH", &at, Some(json!({"body": format!("{body} I also hold a CPA from Deloitte.")}))).await, "application/json").await;
        assert!(edited["document"]["blocking"].as_u64().unwrap() >= 1, "{:#}", edited["document"]["claims"]);

        // A tracker application with no posting: said what to do.
        let bare = json_body(send(&app, &token, "POST", "/api/v1/applications", Some(json!({"company": "Acme", "role_title": "Analyst"}))).await, "application/json").await;
        let refused = send(&app, &token, "POST", &format!("/api/v1/applications/{}/offer", bare["id"].as_str().unwrap()), Some(json!({}))).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(json_body(refused, "application/problem+json").await["detail"].as_str().unwrap().contains("posting"));

        // Seed 000's /ai/offer writes one without keeping it.
        let written = json_body(send(&app, &token, "POST", "/api/v1/ai/offer", Some(json!({"application_id": application, "length": "long"}))).await, "application/json").await;
        assert!(written["text"].as_str().unwrap().contains("month-end close") && written["chars"].as_u64().unwrap() <= 1000, "{written:#}");
        assert_eq!(written["provider"], "local");
    }
}

both_backends! {
    async fn a_model_that_invents_or_runs_long_in_a_pitch_is_passed_over(backend: Backend) {
        for (answer, kept) in [
            ("At Acme Corp I cut the month-end close from 9 to 5 days by automating 30 reconciliations. I have also led audits at Deloitte for 8 years.", "local"),
            (&*format!("At Acme Corp I cut the month-end close from 9 to 5 days. {}", "I prepared monthly journal entries. ".repeat(20)), "local"),
            ("At Acme Corp I cut the month-end close from 9 to 5 days by automating 30 reconciliations, and I prepare monthly journal entries and account reconciliations for the general ledger.", "writer"),
        ] {
            let (url, _) = crate::ai::fake_chat(json!({"text": answer}).to_string(), "fake-writer", (800, 120)).await;
            let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
                config.ai.providers.insert("writer".to_owned(), crate::ai::fake_provider(url, "fake-writer"));
                config.ai.tasks.write = vec!["writer".to_owned()];
            })
            .await;
            let (token, application) = ready(&app).await;
            let offer = pitch(&app, &token, &application, json!({})).await;
            let document = &offer["document"];
            assert_eq!(document["provider"], kept, "{answer}: {offer:#}");
            assert_eq!(document["blocking"], 0, "{:#}", document["claims"]);
            assert!(offer["chars"].as_u64().unwrap() <= 600);
            if kept == "local" {
                assert!(document["report"]["fallbacks"].as_array().unwrap().iter().any(|f| f == "writer: invalid"), "{offer:#}");
                assert!(!document["body"].as_str().unwrap().contains("Deloitte"));
            } else {
                assert_eq!(document["body"], answer);
            }
        }
    }
}

both_backends! {
    async fn a_pitch_is_written_from_the_job_page(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "pitch").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        add_resume(&app, &token, RESUME).await;
        let job = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}"), None).await, "application/json").await;
        let application = job["application_id"].as_str().unwrap();
        let dana = json_body(send(&app, &token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Dana Reyes", "role_title": "Controller"}))).await, "application/json").await;
        let dana_id = dana["id"].as_str().unwrap();
        send(&app, &token, "POST", &format!("/api/v1/applications/{application}/targets"), Some(json!({"contact_id": dana_id}))).await;

        let html = page(&app, &format!("/jobs/{posting}"), Some(&ana.cookie)).await.text().await.unwrap();
        assert!(html.contains("Write a pitch") && html.contains("Dana Reyes, Controller"), "{html}");
        let made = form(&app, &format!("/jobs/{posting}/pitch"), Some(&ana.cookie), &[("csrf", &ana.csrf), ("contact_id", dana_id), ("tone", "enthusiastic"), ("length", "short")]).await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        let at = location(&made).to_owned();
        assert!(at.starts_with("/documents/"), "{at}");
        let html = page(&app, &at, Some(&ana.cookie)).await.text().await.unwrap();
        assert!(html.contains("I have just applied for the Senior Accountant role"), "{html}");
        let offer = json_body(send(&app, &token, "GET", &format!("/api/v1/applications/{application}/offer"), None).await, "application/json").await;
        assert_eq!((offer["contact_id"].as_str(), offer["tone"].as_str(), offer["length_preset"].as_str()), (Some(dana_id), Some("enthusiastic"), Some("short")));
        let bad = form(&app, &format!("/jobs/{posting}/pitch"), Some(&ana.cookie), &[("csrf", &ana.csrf), ("length", "huge")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
