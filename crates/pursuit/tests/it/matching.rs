//! Matching on both backends: one posting against the active resume version, the user's
//! postings ranked by match, and pain-point maps that are stored once per set of inputs
//! and versioned when the inputs change.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, json_body, spawn_app};

pub(crate) const RESUME: &str = "Ana Lima
Staff Accountant
ana@example.org

Experience
Staff Accountant | Acme Corp | Jan 2017 - Present
- Prepared monthly journal entries and account reconciliations for the general ledger
- Cut the month-end close from 9 to 5 days by automating 30 reconciliations

Skills
Microsoft Excel, QuickBooks
";

pub(crate) const ACCOUNTANT: &str = "Senior Accountant

Responsibilities
- Prepare journal entries and account reconciliations
- Own the month-end close

Requirements
- 3+ years of accounting experience
- Microsoft Excel and QuickBooks
- Oracle NetSuite
";

pub(crate) const COOK: &str = "Line Cook

Responsibilities
- Prepare food on the grill and fryer
- Keep the kitchen clean and stocked

Requirements
- 1+ years in a restaurant kitchen
";

pub(crate) async fn send(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

pub(crate) async fn add_posting(app: &TestApp, token: &str, text: &str) -> String {
    let created = send(
        app,
        token,
        "POST",
        "/api/v1/jobs",
        Some(json!({"text": text})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    json_body(created, "application/json").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Pastes a resume and waits until it is read; returns the version's id.
pub(crate) async fn add_resume(app: &TestApp, token: &str, text: &str) -> String {
    let created = send(
        app,
        token,
        "POST",
        "/api/v1/resume/from-text",
        Some(json!({"text": text})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::ACCEPTED);
    let id = json_body(created, "application/json").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..200 {
        let version = json_body(
            send(
                app,
                token,
                "GET",
                &format!("/api/v1/resume/versions/{id}"),
                None,
            )
            .await,
            "application/json",
        )
        .await;
        if version["parse_status"] == "complete" {
            return id;
        }
        assert_eq!(version["parse_status"], "pending", "{version}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the resume was not read");
}

both_backends! {
    async fn postings_are_scored_and_ranked_against_the_active_resume(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &browser, "matching").await.1;
        let accountant = add_posting(&app, &token, ACCOUNTANT).await;
        let cook = add_posting(&app, &token, COOK).await;

        // No resume yet: a clear 409, not a score built on nothing.
        let early = send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/match"), None).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        let problem = json_body(early, "application/problem+json").await;
        assert!(problem["detail"].as_str().unwrap().contains("resume"), "{problem}");
        let early = send(&app, &token, "GET", "/api/v1/jobs?sort=match", None).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);

        let version = add_resume(&app, &token, RESUME).await;
        let matched = json_body(
            send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/match"), None).await,
            "application/json",
        )
        .await;
        assert_eq!(matched["resume_version_id"], version.as_str());
        let score = matched["score"].as_u64().unwrap();
        assert!(score >= 50, "{matched:#}");
        let missing: Vec<&str> = matched["skills"]["missing"].as_array().unwrap().iter()
            .map(|s| s["skill"].as_str().unwrap()).collect();
        assert!(missing.iter().any(|s| s.contains("NetSuite")), "{matched:#}");
        // The same inputs, the same answer.
        let again = json_body(
            send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/match?resume_id={version}"), None).await,
            "application/json",
        )
        .await;
        assert_eq!(again, matched);

        // Best match first, whatever the order they were added in; one per page.
        let page = json_body(
            send(&app, &token, "GET", "/api/v1/jobs?sort=match&limit=1", None).await,
            "application/json",
        )
        .await;
        assert_eq!(page["items"][0]["id"], accountant.as_str());
        assert_eq!(page["items"][0]["match"]["score"].as_u64(), Some(score));
        let cursor = page["next_cursor"].as_str().unwrap();
        let next = json_body(
            send(&app, &token, "GET", &format!("/api/v1/jobs?sort=match&limit=1&cursor={cursor}"), None).await,
            "application/json",
        )
        .await;
        assert_eq!(next["items"][0]["id"], cook.as_str());
        assert!(next["items"][0]["match"]["score"].as_u64().unwrap() < score);
        assert!(next["next_cursor"].is_null());
        // The board shows the score on the card of the application saved with the posting.
        let board = app.client.get(app.url("/board")).header("cookie", &browser.cookie)
            .send().await.unwrap().text().await.unwrap();
        assert!(board.contains(&format!("Match {score}")), "{board}");

        // Newest first stays the default, without scores.
        let plain = json_body(send(&app, &token, "GET", "/api/v1/jobs", None).await, "application/json").await;
        assert_eq!(plain["items"][0]["id"], cook.as_str());
        assert!(plain["items"][0].get("match").is_none());

        let bad = send(&app, &token, "GET", "/api/v1/jobs?sort=salary", None).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad = send(&app, &token, "GET", "/api/v1/jobs?sort=match&cursor=nonsense", None).await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let unknown = send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/match?resume_id={cook}"), None).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

        // A corrected resume is matched as corrected: the ranked list (which reuses the
        // scores it made before) and a fresh match agree, and the score moved with it.
        let corrected = send(&app, &token, "PATCH", &format!("/api/v1/resume/versions/{version}"),
            Some(json!({"skills": ["Knife skills"], "work": [], "total_years": 0}))).await;
        assert_eq!(corrected.status(), StatusCode::OK);
        let fresh = json_body(
            send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/match"), None).await,
            "application/json",
        )
        .await;
        let ranked = json_body(send(&app, &token, "GET", "/api/v1/jobs?sort=match", None).await, "application/json").await;
        let item = ranked["items"].as_array().unwrap().iter().find(|i| i["id"] == accountant.as_str()).unwrap();
        assert_eq!(item["match"]["score"], fresh["score"], "{ranked:#}");
        assert_ne!(fresh["score"].as_u64(), Some(score), "the correction changed the score");
    }

    async fn pain_point_maps_are_made_once_per_input_and_versioned(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &browser, "pain").await.1;
        let job = add_posting(&app, &token, ACCOUNTANT).await;
        let empty = json_body(
            send(&app, &token, "GET", &format!("/api/v1/pain-points?job_id={job}"), None).await,
            "application/json",
        )
        .await;
        assert_eq!(empty["items"], json!([]));

        let first_version = add_resume(&app, &token, RESUME).await;
        let made = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({"job_id": job}))).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let made = json_body(made, "application/json").await;
        assert_eq!(made["version"], 1);
        assert_eq!(made["resume_version_id"], first_version.as_str());
        let pairs = made["pairs"].as_array().unwrap();
        let close = pairs.iter().find(|p| p["challenge"].as_str().unwrap().contains("month-end")).unwrap();
        assert!(close["solution"].as_str().unwrap().contains("9 to 5 days"), "{made:#}");
        assert_eq!(close["measured"], true);
        let netsuite = pairs.iter().find(|p| p["challenge"].as_str().unwrap().contains("NetSuite")).unwrap();
        assert!(netsuite["solution"].is_null(), "{made:#}");
        let tools = pairs.iter().find(|p| p["challenge"] == "Microsoft Excel and QuickBooks").unwrap();
        assert!(tools["solution"].as_str().unwrap().contains("QuickBooks"), "{made:#}");

        // Idempotent: the same posting and resume give back the stored map.
        let again = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({"job_id": job}))).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(json_body(again, "application/json").await, made);

        // A new resume version makes a new map; the first one stays.
        let second_version = add_resume(&app, &token, &RESUME.replace("QuickBooks", "QuickBooks, Oracle NetSuite")).await;
        let newer = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({"job_id": job, "resume_id": second_version}))).await;
        assert_eq!(newer.status(), StatusCode::CREATED);
        let newer = json_body(newer, "application/json").await;
        assert_eq!(newer["version"], 2);
        let listed = json_body(
            send(&app, &token, "GET", &format!("/api/v1/pain-points?job_id={job}"), None).await,
            "application/json",
        )
        .await;
        let versions: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|m| m["version"].as_i64().unwrap()).collect();
        assert_eq!(versions, [2, 1]);
        assert_eq!(listed["items"][1], made);

        // Bad input is a clear 4xx.
        let missing = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({}))).await;
        assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({"job_id": first_version}))).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let malformed = send(&app, &token, "GET", "/api/v1/pain-points?job_id=12", None).await;
        assert!(malformed.status().is_client_error());
        let unparsed = send(&app, &token, "POST", "/api/v1/jobs", Some(json!({"text": COOK, "parse": false}))).await;
        let unparsed = json_body(unparsed, "application/json").await["id"].as_str().unwrap().to_owned();
        let pending = send(&app, &token, "POST", "/api/v1/pain-points/generate", Some(json!({"job_id": unparsed}))).await;
        assert_eq!(pending.status(), StatusCode::CONFLICT);
    }
}
