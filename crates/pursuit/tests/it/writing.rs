//! Short texts through the AI layer on both backends: a posting's summary, search terms from
//! the resume and the job preferences, and a cover letter a model may rewrite but never add
//! to (a wire-format OpenAI fake on 127.0.0.1 that invents, and one that does not).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pursuit_ai::{ApiKey, JsonMode, ProviderKind, ProviderSettings};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};
use crate::matching::{ACCOUNTANT, RESUME, add_posting, add_resume, send};
use crate::pages::{form, location, page};

/// An OpenAI-compatible server whose every chat completion is `{"text": letter}`.
async fn fake_writer(letter: &'static str) -> (String, Arc<AtomicUsize>) {
    crate::ai::fake_chat(
        json!({"text": letter}).to_string(),
        "fake-writer",
        (1500, 300),
    )
    .await
}

async fn with_writer(backend: pursuit_store::Backend, url: String) -> TestApp {
    spawn_app_with(TestDatabase::new(backend).await, move |config| {
        config.ai.providers.insert(
            "writer".to_owned(),
            ProviderSettings {
                kind: ProviderKind::OpenAi,
                url,
                model: "fake-writer".to_owned(),
                api_key: Some(ApiKey::new("sk-fake-secret-value-2")),
                timeout_secs: 5,
                retries: 0,
                stream: false,
                json_mode: JsonMode::Schema,
                max_tokens: 1024,
                price_in_per_million: 1.0,
                price_out_per_million: 10.0,
            },
        );
        config.ai.tasks.write = vec!["writer".to_owned()];
    })
    .await
}

/// Ana, signed in with an API token, with the accountant posting and her resume read: the
/// posting's id and the token.
async fn ready_to_write(app: &TestApp) -> (String, String) {
    let ana = sign_in(app, "ana@example.com", 1).await;
    let token = api_token(app, &ana, "writing").await.1;
    let posting = add_posting(app, &token, ACCOUNTANT).await;
    add_resume(app, &token, RESUME).await;
    (token, posting)
}

async fn letter(app: &TestApp, token: &str, posting: &str) -> Value {
    let made = send(
        app,
        token,
        "POST",
        &format!("/api/v1/jobs/{posting}/cover-letter"),
        Some(json!({"tone": "enthusiastic"})),
    )
    .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    json_body(made, "application/json").await
}

both_backends! {
    async fn a_summary_and_search_terms_come_from_the_users_own_data(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "writing").await.1;

        let nothing = send(&app, &token, "POST", "/api/v1/ai/search-terms", Some(json!({}))).await;
        assert_eq!(nothing.status(), StatusCode::CONFLICT);
        assert!(json_body(nothing, "application/problem+json").await["detail"].as_str().unwrap().contains("job preferences"));

        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        let summary = json_body(send(&app, &token, "POST", "/api/v1/ai/job-summary", Some(json!({"job_id": posting}))).await, "application/json").await;
        assert_eq!(summary["provider"], "local");
        let result = &summary["result"];
        assert!(result["summary"].as_str().unwrap().starts_with("Senior Accountant"), "{result:#}");
        assert!(result["summary"].as_str().unwrap().contains("3+ years"), "{result:#}");
        assert_eq!(result["duties"][0], "Prepare journal entries and account reconciliations");
        let must: Vec<&str> = result["must_haves"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert!(must.iter().any(|s| s.contains("NetSuite")), "{must:?}");
        for skill in &must {
            // The skill's name, as the posting writes it or as the taxonomy names it
            // ("Intuit QuickBooks" for "QuickBooks").
            let named = skill.split_whitespace().any(|w| ACCOUNTANT.to_lowercase().contains(&w.to_lowercase()));
            assert!(named, "{skill} is not in the posting");
        }
        let by_text = json_body(send(&app, &token, "POST", "/api/v1/ai/job-summary", Some(json!({"job_text": ACCOUNTANT}))).await, "application/json").await;
        assert_eq!(by_text["result"]["duties"], result["duties"]);
        for body in [json!({}), json!({"job_id": posting, "job_text": "x"}), json!({"job_text": "  "}), json!({"job_text": "a\u{0}b"})] {
            let bad = send(&app, &token, "POST", "/api/v1/ai/job-summary", Some(body.clone())).await;
            assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        }

        add_resume(&app, &token, RESUME).await;
        let put = send(&app, &token, "PUT", "/api/v1/job-preferences", Some(json!({"titles": ["Financial Analyst"], "remote": "remote_only"}))).await;
        assert_eq!(put.status(), StatusCode::OK);
        let terms = json_body(send(&app, &token, "POST", "/api/v1/ai/search-terms", Some(json!({}))).await, "application/json").await;
        let terms: Vec<(String, String)> = terms["result"]["terms"].as_array().unwrap().iter()
            .map(|t| (t["term"].as_str().unwrap().to_owned(), t["why"].as_str().unwrap().to_owned())).collect();
        assert_eq!(terms[0].0, "Financial Analyst", "{terms:?}");
        let held = terms.iter().find(|(t, _)| t == "Staff Accountant").expect("the title held");
        assert!(held.1.contains("Acme Corp"), "{held:?}");
        assert!(terms.iter().any(|(t, _)| t == "Financial Analyst QuickBooks" || t == "Financial Analyst Microsoft Excel"), "{terms:?}");
        assert!(terms.iter().any(|(t, _)| t == "remote Financial Analyst"), "{terms:?}");
        assert_eq!(send(&app, &token, "POST", "/api/v1/ai/search-terms", Some(json!({"extra": 1}))).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "writing").await.1;
        let other = send(&app, &bob_token, "POST", "/api/v1/ai/job-summary", Some(json!({"job_id": posting}))).await;
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_model_that_invents_in_a_cover_letter_is_refused(backend: Backend) {
        let (url, calls) = fake_writer(
            "Dear Acme team,\n\nI have led audits at Deloitte for 8 years, I hold a CPA, and I ran Oracle NetSuite for 200 clients.\n\nBest,\nAna",
        )
        .await;
        let app = with_writer(backend, url).await;
        let (token, posting) = ready_to_write(&app).await;

        let letter = letter(&app, &token, &posting).await;
        // Asked, then asked to repair, then passed over: the built-in letter is the one kept.
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(letter["provider"], "local", "{letter:#}");
        let body = letter["body"].as_str().unwrap();
        for invented in ["Deloitte", "CPA", "NetSuite for", "200 clients", "8 years"] {
            assert!(!body.contains(invented), "{invented} reached the letter: {body}");
        }
        assert!(body.contains("month-end close"), "{body}");
        assert_eq!(letter["blocking"], 0, "{:#}", letter["claims"]);
        assert_eq!(letter["report"]["fallbacks"], json!(["writer: invalid", "writer: invalid"]), "the answer and its repair");
        // The call log says why, with the words.
        let log = json_body(send(&app, &token, "GET", "/api/v1/ai/calls", None).await, "application/json").await;
        let refused = log["items"].as_array().unwrap().iter().find(|c| c["task"] == "cover_letter" && c["outcome"] == "invalid").expect("a refused call").clone();
        assert!(refused["detail"].as_str().unwrap().contains("Deloitte"), "{refused:#}");
    }
}

both_backends! {
    async fn a_model_may_rewrite_a_cover_letter_from_the_users_facts(backend: Backend) {
        let (url, calls) = fake_writer(
            "Dear hiring team,\n\nAt Acme Corp I cut the month-end close from 9 to 5 days by automating 30 reconciliations, and I prepared monthly journal entries and account reconciliations for the general ledger.\n\nI would love to talk.\n\nAna Lima",
        )
        .await;
        let app = with_writer(backend, url).await;
        let (token, posting) = ready_to_write(&app).await;

        let letter = letter(&app, &token, &posting).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!((letter["provider"].as_str(), letter["model"].as_str()), (Some("writer"), Some("fake-writer")), "{letter:#}");
        assert!(letter["body"].as_str().unwrap().starts_with("Dear hiring team,\n\nAt Acme Corp I cut"));
        assert_eq!(letter["blocking"], 0, "{:#}", letter["claims"]);
        // 1,500 tokens in at $1/M and 300 out at $10/M: $0.0045.
        assert_eq!(letter["cost_usd"], 0.0045, "{letter:#}");
    }
}

both_backends! {
    async fn a_rewrite_follows_instructions_but_never_invents(backend: Backend) {
        let (url, calls) = fake_writer(
            "# Ana Lima\n\n## Experience\n\n- Cut the month-end close from 9 to 5 days by automating 30 reconciliations\n- Prepared monthly journal entries and account reconciliations for the general ledger\n",
        )
        .await;
        let app = with_writer(backend, url).await;
        let (token, posting) = ready_to_write(&app).await;
        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await, "application/json").await;
        let cv_id = cv["id"].as_str().unwrap().to_owned();
        let refine = format!("/api/v1/documents/{cv_id}/refine");
        // The model worded the CV itself (task tailor_cv), from the user's facts: kept, with
        // no JSON Resume form (that follows the built-in text only).
        assert_eq!((cv["provider"].as_str(), cv["blocking"].as_i64()), (Some("writer"), Some(0)), "{cv:#}");
        assert!(cv["body"].as_str().unwrap().starts_with("# Ana Lima\n\n## Experience\n\n- Cut the month-end close"), "{cv:#}");
        assert!(cv["report"]["score_after"].is_number() && cv["report"]["gaps"].is_array(), "{cv:#}");
        let json_resume = send(&app, &token, "GET", &format!("/api/v1/documents/{cv_id}/export?format=json_resume"), None).await;
        assert_eq!(json_resume.status(), StatusCode::CONFLICT);
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // Asking for what the resume does not show: refused with the words, and no model is asked.
        let invent = send(&app, &token, "POST", &refine, Some(json!({"instructions": "Add Kubernetes and say I led the audit team at Google."}))).await;
        assert_eq!(invent.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(invent, "application/problem+json").await.to_string();
        for words in ["Kubernetes", "Google", "will not write"] {
            assert!(problem.contains(words), "{words}: {problem}");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        for body in [json!({"instructions": " "}), json!({"instructions": "x".repeat(2001)}), json!({"instructions": "shorter", "extra": 1})] {
            assert_eq!(send(&app, &token, "POST", &refine, Some(body)).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }

        let rewritten = send(&app, &token, "POST", &refine, Some(json!({"instructions": "Make it shorter and lead with the month-end close."}))).await;
        assert_eq!(rewritten.status(), StatusCode::CREATED);
        let rewritten = json_body(rewritten, "application/json").await;
        assert_eq!((rewritten["provider"].as_str(), rewritten["kind"].as_str()), (Some("writer"), Some("cv")));
        assert!(rewritten["title"].as_str().unwrap().ends_with("(refined)"));
        assert_eq!(rewritten["report"]["refined_from"], cv_id.as_str());
        assert_eq!(rewritten["blocking"], 0, "{:#}", rewritten["claims"]);
        let new_id = rewritten["id"].as_str().unwrap();
        let json_resume = send(&app, &token, "GET", &format!("/api/v1/documents/{new_id}/export?format=json_resume"), None).await;
        assert_eq!(json_resume.status(), StatusCode::CONFLICT, "no JSON Resume form after a rewrite");
        // The old one stays.
        assert_eq!(send(&app, &token, "GET", &format!("/api/v1/documents/{cv_id}"), None).await.status(), StatusCode::OK);

        // Seed 004's path: the newest CV of the posting.
        let by_job = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/refine"), Some(json!({"instructions": "Shorter."}))).await;
        assert_eq!(by_job.status(), StatusCode::CREATED);
        assert_eq!(json_body(by_job, "application/json").await["report"]["refined_from"], new_id);
        let no_letter = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/refine"), Some(json!({"instructions": "Shorter.", "kind": "letter"}))).await;
        assert_eq!(no_letter.status(), StatusCode::NOT_FOUND);
        let bad_kind = send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/refine"), Some(json!({"instructions": "Shorter.", "kind": "memo"}))).await;
        assert_eq!(bad_kind.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // A CV that belongs to an optimization report: its rewrite is a new version of the
        // report, naming the one it came from, with the instructions and the writer.
        let report = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/optimize"), Some(json!({}))).await, "application/json").await;
        let cv_of_report = report["document_id"].as_str().unwrap();
        let refined = send(&app, &token, "POST", &format!("/api/v1/documents/{cv_of_report}/refine"), Some(json!({"instructions": "Lead with the month-end close."}))).await;
        assert_eq!(refined.status(), StatusCode::CREATED);
        let refined_id = json_body(refined, "application/json").await["id"].as_str().unwrap().to_owned();
        let versions = json_body(send(&app, &token, "GET", &format!("/api/v1/jobs/{posting}/optimizations"), None).await, "application/json").await;
        let newest = &versions["items"][0];
        assert_eq!((newest["refined_from"].as_str(), newest["document_id"].as_str()), (report["id"].as_str(), Some(refined_id.as_str())), "{versions:#}");
        assert_eq!((newest["instructions"].as_str(), newest["provider"].as_str()), (Some("Lead with the month-end close."), Some("writer")));
        assert_eq!(newest["score"], report["score"]);
        assert!(newest["preview_md"].as_str().unwrap().starts_with("# Ana Lima\n\n## Experience"));
    }
}

both_backends! {
    async fn without_a_model_a_rewrite_says_what_it_needs(backend: Backend) {
        let app = spawn_app(backend).await;
        let (token, posting) = ready_to_write(&app).await;
        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await, "application/json").await;
        let refused = send(&app, &token, "POST", &format!("/api/v1/documents/{}/refine", cv["id"].as_str().unwrap()), Some(json!({"instructions": "Shorter."}))).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let detail = json_body(refused, "application/problem+json").await["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("no AI model is configured for writing") && detail.contains("Settings › AI"), "{detail}");
    }
}

/// `path` posted as JSON with `Prefer: respond-async`.
async fn send_async(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("prefer", "respond-async")
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A 202 with its task: the task's id, after checking the headers.
async fn accepted(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.headers()["preference-applied"], "respond-async");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body = json_body(response, "application/json").await;
    let task = body["task_id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/tasks/{task}"));
    assert_eq!(body["href"], location.as_str());
    task
}

both_backends! {
    async fn writing_a_model_does_is_a_task_the_caller_follows(backend: Backend) {
        let (url, calls) = fake_writer(
            "Dear hiring team,\n\nAt Acme Corp I cut the month-end close from 9 to 5 days by automating 30 reconciliations.\n\nAna Lima",
        )
        .await;
        let app = with_writer(backend, url).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "writing").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;

        // Checked before it is queued: no resume read yet is said at once.
        let early = send_async(&app, &token, &format!("/api/v1/jobs/{posting}/cover-letter"), json!({})).await;
        assert_eq!(early.status(), StatusCode::CONFLICT);
        add_resume(&app, &token, RESUME).await;

        let task = accepted(send_async(&app, &token, &format!("/api/v1/jobs/{posting}/cover-letter"), json!({"tone": "casual"})).await).await;
        let done = crate::helpers::task_finished(&app, &token, &task).await;
        assert_eq!((done["state"].as_str(), done["kind"].as_str(), done["progress"].as_i64()), (Some("done"), Some("documents.write"), Some(100)), "{done:#}");
        let href = done["result"]["href"].as_str().expect("the task names its document").to_owned();
        assert_eq!(href, format!("/api/v1/documents/{}", done["result"]["document_id"].as_str().unwrap()));
        let letter = json_body(send(&app, &token, "GET", &href, None).await, "application/json").await;
        assert_eq!((letter["kind"].as_str(), letter["provider"].as_str(), letter["report"]["tone"].as_str()), (Some("letter"), Some("writer"), Some("casual")), "{letter:#}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // A rewrite that asks to invent is refused at once, and nothing is queued or asked.
        let refine = format!("/api/v1/documents/{}/refine", letter["id"].as_str().unwrap());
        let invent = send_async(&app, &token, &refine, json!({"instructions": "Say I hold a CPA from Deloitte."})).await;
        assert_eq!(invent.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json_body(invent, "application/problem+json").await.to_string().contains("will not write"));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let task = accepted(send_async(&app, &token, &format!("/api/v1/jobs/{posting}/refine"), json!({"instructions": "Shorter.", "kind": "letter"})).await).await;
        let done = crate::helpers::task_finished(&app, &token, &task).await;
        let refined = json_body(send(&app, &token, "GET", done["result"]["href"].as_str().unwrap(), None).await, "application/json").await;
        assert_eq!(refined["report"]["refined_from"], letter["id"], "{refined:#}");

        // Another user sees neither the task nor its page.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "writing").await.1;
        assert_eq!(send(&app, &bob_token, "GET", &format!("/api/v1/tasks/{task}"), None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(page(&app, &format!("/tasks/{task}"), Some(&bob.cookie)).await.status(), StatusCode::NOT_FOUND);

        // The page: with a model configured, the letter is a task whose page opens it when done.
        let made = form(&app, &format!("/jobs/{posting}/cover-letter"), Some(&ana.cookie), &[("csrf", &ana.csrf), ("tone", "enthusiastic"), ("length", "short")]).await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        let at = location(&made).to_owned();
        assert!(at.starts_with("/tasks/"), "{at}");
        let mut opened = None;
        for _ in 0..400 {
            let shown = page(&app, &at, Some(&ana.cookie)).await;
            if shown.status() == StatusCode::SEE_OTHER {
                opened = Some(location(&shown).to_owned());
                break;
            }
            assert_eq!(shown.status(), StatusCode::OK);
            let html = shown.text().await.unwrap();
            assert!(html.contains("Writing your cover letter") && html.contains("http-equiv=\"refresh\""), "{html}");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let opened = opened.expect("the task page opens the letter once written");
        assert!(opened.starts_with("/documents/"), "{opened}");
        let html = page(&app, &opened, Some(&ana.cookie)).await.text().await.unwrap();
        assert!(html.contains("At Acme Corp I cut the month-end close"), "{html}");
    }
}

both_backends! {
    async fn a_refused_writing_task_stops_at_once_and_says_why(backend: Backend) {
        let (url, calls) = fake_writer(
            "# Ana Lima\n\n- Led the audit team at Deloitte for 8 years and hold a CPA\n",
        )
        .await;
        let app = with_writer(backend, url).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "writing").await.1;
        let posting = add_posting(&app, &token, ACCOUNTANT).await;
        add_resume(&app, &token, RESUME).await;
        let cv = json_body(send(&app, &token, "POST", &format!("/api/v1/jobs/{posting}/cv"), None).await, "application/json").await;
        // The model's wording of the CV invented (asked, then asked to repair): the built-in
        // CV is kept, and says why.
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!((cv["provider"].as_str(), cv["blocking"].as_i64()), (Some("local"), Some(0)), "{cv:#}");
        assert_eq!(cv["report"]["fallbacks"], json!(["writer: invalid", "writer: invalid"]));
        assert!(!cv["body"].as_str().unwrap().contains("Deloitte"));

        let task = accepted(send_async(&app, &token, &format!("/api/v1/documents/{}/refine", cv["id"].as_str().unwrap()), json!({"instructions": "Shorter."})).await).await;
        let done = crate::helpers::task_finished(&app, &token, &task).await;
        // The model invented (asked, then asked to repair); another attempt would only repeat
        // it, so the task is dead after one.
        assert_eq!((done["state"].as_str(), done["attempt"].as_i64(), done["max_attempts"].as_i64()), (Some("dead"), Some(1), Some(3)), "{done:#}");
        assert!(done["last_error"].as_str().unwrap().contains("keeps to your facts"), "{done:#}");
        assert!(done["result"].is_null());
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        let listed = json_body(send(&app, &token, "GET", &format!("/api/v1/documents?job_id={posting}"), None).await, "application/json").await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "nothing was kept: {listed:#}");

        let html = page(&app, &format!("/tasks/{task}"), Some(&ana.cookie)).await.text().await.unwrap();
        assert!(html.contains("Rewriting your document") && html.contains("keeps to your facts") && html.contains("Try again"), "{html}");
        assert!(!html.contains("http-equiv=\"refresh\""), "a stopped task's page stays still");
    }
}
