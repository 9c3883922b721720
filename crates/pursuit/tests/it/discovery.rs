//! Job discovery on both backends, against a fake of every board on 127.0.0.1 that answers
//! in each source's documented format (SerpAPI and Adzuna as wire-format fakes that check
//! their keys): a search reads its sources, keeps each job once however many boards list
//! it, fails one source with the reason (HTML instead of JSON, 429 with a long
//! Retry-After, a robots.txt that says no) while the others go on, asks conditionally the
//! next time (304), expires a job its employer's board dropped and sees it reposted; the
//! jobs are saved to the tracker in one call. Bad searches are refused field by field.

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app_with, task_finished};

/// What the fake boards answer, and what they were asked.
#[derive(Default)]
struct Boards {
    /// Whether the employer's board (Greenhouse) lists the data engineer job.
    listed: bool,
    /// The Greenhouse board's version (its ETag).
    version: u32,
    /// Requests seen, by path (with query).
    asked: Vec<String>,
    /// `If-None-Match` values Greenhouse was sent.
    conditional: Vec<String>,
}

type Shared = Arc<Mutex<Boards>>;

const DESCRIPTION: &str = "Harbor moves containers between ports. You will build our Spark pipelines, own the warehouse models in dbt and keep the data platform healthy. Python and SQL every day.";

fn greenhouse_body(listed: bool) -> Value {
    let mut jobs = vec![json!({
        "id": 77002, "title": "Office Manager", "updated_at": "2026-12-01T08:00:00Z",
        "location": {"name": "Berlin, Germany"},
        "absolute_url": "https://boards.greenhouse.io/harbor/jobs/77002",
        "content": "&lt;p&gt;Keep our office running.&lt;/p&gt;"
    })];
    if listed {
        jobs.push(json!({
            "id": 77001, "title": "Senior Data Engineer", "updated_at": "2026-12-01T08:00:00Z",
            "location": {"name": "Berlin, Germany"},
            "absolute_url": "https://boards.greenhouse.io/harbor/jobs/77001",
            "content": format!("&lt;p&gt;{DESCRIPTION}&lt;/p&gt;")
        }));
    }
    json!({ "jobs": jobs, "meta": {"total": jobs.len()} })
}

async fn greenhouse(State(boards): State<Shared>, headers: HeaderMap) -> Response {
    let (listed, version) = {
        let mut b = boards.lock().unwrap();
        if let Some(tag) = headers.get(header::IF_NONE_MATCH) {
            b.conditional.push(tag.to_str().unwrap().to_owned());
        }
        (b.listed, b.version)
    };
    let etag = format!("\"v{version}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|t| t.to_str().unwrap() == etag)
    {
        return (AxumStatus::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "application/json".to_owned()),
        ],
        greenhouse_body(listed).to_string(),
    )
        .into_response()
}

async fn remotive() -> Response {
    // The same job as Greenhouse's (its employer's board): another link, the same text.
    axum::Json(json!({
        "job-count": 2,
        "jobs": [
            {"id": 5001, "url": "https://remotive.com/remote-jobs/data/senior-data-engineer-5001",
             "title": "Senior Data Engineer", "company_name": "Harbor GmbH", "job_type": "full_time",
             "publication_date": "2026-12-01T09:00:00", "candidate_required_location": "Berlin, Germany",
             "description": format!("<p>{DESCRIPTION}</p><p>Apply through Remotive.</p>")},
            {"id": 5002, "url": "https://remotive.com/remote-jobs/data/data-engineer-5002",
             "title": "Data Engineer", "company_name": "Fieldnote", "job_type": "contract",
             "publication_date": "2026-12-02T09:00:00", "candidate_required_location": "Worldwide",
             "description": "<p>Fieldnote needs pipelines for field notes in Python.</p>"},
            {"id": 5003, "url": "https://remotive.com/remote-jobs/sales/account-executive-5003",
             "title": "Account Executive", "company_name": "Fieldnote",
             "candidate_required_location": "Worldwide", "description": "<p>Sell.</p>"}
        ]
    }))
    .into_response()
}

async fn serpapi(Query(q): Query<std::collections::HashMap<String, String>>) -> Response {
    if q.get("api_key").map(String::as_str) != Some("serp-test-key") {
        return (
            AxumStatus::UNAUTHORIZED,
            axum::Json(json!({"error": "Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key"})),
        )
            .into_response();
    }
    assert_eq!(q.get("engine").map(String::as_str), Some("google_jobs"));
    axum::Json(json!({
        "search_metadata": {"status": "Success"},
        "search_parameters": {"q": q.get("q"), "engine": "google_jobs"},
        "jobs_results": [{
            "title": "Data Engineer, Platform", "company_name": "Tidewater Analytics",
            "location": "Berlin, Germany", "via": "LinkedIn",
            "description": "Tidewater Analytics needs a data engineer for its Spark platform.",
            "apply_options": [{"title": "Tidewater", "link": "https://careers.tidewater.example/jobs/9"}],
            "detected_extensions": {"schedule_type": "Full-time"},
            "job_id": "eyJ0aWRld2F0ZXIiOjl9"
        }]
    }))
    .into_response()
}

async fn adzuna(
    axum::extract::Path(country): axum::extract::Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    if q.get("app_id").map(String::as_str) != Some("adz-id")
        || q.get("app_key").map(String::as_str) != Some("adz-key")
    {
        return (
            AxumStatus::UNAUTHORIZED,
            axum::Json(json!({"exception": "AUTH_FAIL", "display": "Authorisation failed"})),
        )
            .into_response();
    }
    assert_eq!(country, "de");
    axum::Json(json!({
        "count": 1,
        "results": [{
            "id": "4400001", "title": "<strong>Data</strong> Engineer (Payments)",
            "description": "Ledgerline builds payment data pipelines in Python.",
            "created": "2026-12-01T09:41:02Z",
            "redirect_url": "https://www.adzuna.de/jobs/details/4400001",
            "company": {"display_name": "Ledgerline"},
            "location": {"display_name": "Berlin, Deutschland"},
            "contract_time": "full_time"
        }]
    }))
    .into_response()
}

async fn site(State(boards): State<Shared>, uri: axum::http::Uri) -> Response {
    boards.lock().unwrap().asked.push(uri.to_string());
    match uri.path() {
        "/robots.txt" => "User-agent: *\nDisallow: /private/\n".into_response(),
        "/careers/data-engineer" => (
            [(header::CONTENT_TYPE, "text/html")],
            r#"<!doctype html><html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Engineer (Streaming)","hiringOrganization":{"@type":"Organization","name":"Quayside"},"jobLocation":{"@type":"Place","address":{"addressLocality":"Berlin","addressCountry":"DE"}},"url":"https://quayside.example/careers/data-engineer","description":"<p>Build streaming pipelines with Kafka and Python.</p>"}</script></head><body>Careers</body></html>"#,
        )
            .into_response(),
        "/private/jobs" => "never read".into_response(),
        // A board that is down for the moment: every try answers 500.
        "/lever/harbor" => (AxumStatus::INTERNAL_SERVER_ERROR, "upstream timed out").into_response(),
        // A board that takes longer than a run waits.
        "/ashby/harbor" => {
            tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
            axum::Json(json!({"jobs": []})).into_response()
        }
        // A board behind a bot wall: HTML where JSON was promised.
        "/remoteok" => ([(header::CONTENT_TYPE, "text/html")], "<html><body>Checking your browser…</body></html>").into_response(),
        "/himalayas" => (AxumStatus::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "3600")], "slow down").into_response(),
        _ => AxumStatus::NOT_FOUND.into_response(),
    }
}

/// The fake boards' base URL and their shared state.
async fn boards() -> (String, Shared) {
    let shared: Shared = Arc::new(Mutex::new(Boards {
        listed: true,
        version: 1,
        ..Boards::default()
    }));
    let router = axum::Router::new()
        .route("/greenhouse/harbor/jobs", get(greenhouse))
        .route("/remotive", get(remotive))
        .route("/serpapi", get(serpapi))
        .route("/adzuna/{country}/search/1", get(adzuna))
        .fallback(site)
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (base, shared)
}

async fn app_for(backend: pursuit_store::Backend, base: &str) -> TestApp {
    let base = base.to_owned();
    spawn_app_with(TestDatabase::new(backend).await, move |c| {
        c.fetch_allow_loopback = true;
        let urls = &mut c.discovery.urls;
        urls.greenhouse = format!("{base}/greenhouse");
        urls.lever = format!("{base}/lever");
        urls.ashby = format!("{base}/ashby");
        urls.remotive = format!("{base}/remotive");
        urls.remoteok = format!("{base}/remoteok");
        urls.himalayas = format!("{base}/himalayas");
        urls.serpapi = format!("{base}/serpapi");
        urls.adzuna = format!("{base}/adzuna");
        c.discovery.serpapi_key = Some(pursuit::config::Secret::new("serp-test-key"));
        c.discovery.adzuna_app_id = Some("adz-id".to_owned());
        c.discovery.adzuna_app_key = Some(pursuit::config::Secret::new("adz-key"));
        c.discovery.adzuna_country = "de".to_owned();
        c.discovery.host_interval_ms = 0;
        c.discovery.backoff_ms = 10;
        c.discovery.timeout_secs = 1;
    })
    .await
}

async fn token(app: &TestApp, email: &str) -> String {
    let browser = sign_in(app, email, 1).await;
    api_token(app, &browser, "discovery").await.1
}

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Runs the search now and waits for the run to end: the run.
async fn run_now(app: &TestApp, token: &str, search: &str) -> Value {
    let queued = call(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/discovery/searches/{search}/run"),
        None,
    )
    .await;
    assert_eq!(queued.status(), StatusCode::ACCEPTED);
    let queued = json_body(queued, "application/json").await;
    let task = task_finished(app, token, queued["task_id"].as_str().unwrap()).await;
    assert_eq!(task["state"], "done", "{task}");
    let id = queued["id"].as_str().unwrap();
    json_body(
        call(
            app,
            token,
            reqwest::Method::GET,
            &format!("/api/v1/discovery/runs/{id}"),
            None,
        )
        .await,
        "application/json",
    )
    .await
}

fn source<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == name)
        .unwrap_or_else(|| panic!("no {name} in {run}"))
}

async fn open_jobs(app: &TestApp, token: &str, status: &str) -> Vec<Value> {
    let list = call(
        app,
        token,
        reqwest::Method::GET,
        &format!("/api/v1/discovery/jobs?status={status}"),
        None,
    )
    .await;
    json_body(list, "application/json").await["items"]
        .as_array()
        .unwrap()
        .clone()
}

both_backends! {
    async fn a_search_finds_each_job_once_and_a_failing_source_does_not_stop_the_others(backend: Backend) {
        let (base, boards) = boards().await;
        let app = app_for(backend, &base).await;
        let me = token(&app, "seeker@example.org").await;
        crate::matching::add_resume(&app, &me, "Ana Diaz\nana@example.org\n\nExperience\nData Engineer, Portline | 2019 - Present\n- Built Spark pipelines in Python and SQL\n- Owned warehouse models in dbt\n\nSkills\nPython, SQL, Spark, dbt, Kafka").await;
        let created = call(&app, &me, reqwest::Method::POST, "/api/v1/discovery/searches", Some(json!({
            "name": "Data engineering in Berlin",
            "titles": ["data engineer"],
            "locations": ["Berlin"],
            "sources": ["remotive", "remoteok", "himalayas", "serpapi", "adzuna"],
            "boards": ["https://boards.greenhouse.io/harbor", "lever:harbor", "ashby:harbor"],
            "links": [format!("{base}/careers/data-engineer"), format!("{base}/private/jobs")],
            "enabled": false,
            "email_digest": true
        }))).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let search = json_body(created, "application/json").await;
        assert_eq!(search["boards"], json!(["greenhouse:harbor", "lever:harbor", "ashby:harbor"]));
        let id = search["id"].as_str().unwrap().to_owned();

        let first = run_now(&app, &me, &id).await;
        assert_eq!(first["status"], "done", "{first}");
        // The bot wall and the long Retry-After fail their sources, each with why.
        let remoteok = source(&first, "remoteok");
        assert!(remoteok["error"].as_str().unwrap().contains("not JSON"), "{remoteok}");
        let himalayas = source(&first, "himalayas");
        assert!(himalayas["error"].as_str().unwrap().contains("3600 s"), "{himalayas}");
        assert_eq!(himalayas["requests"], 1, "a wait longer than Pursuit's is not retried: {himalayas}");
        let private = source(&first, &format!("{base}/private/jobs"));
        assert!(private["error"].as_str().unwrap().contains("robots.txt"), "{private}");
        assert!(!boards.lock().unwrap().asked.iter().any(|p| p.starts_with("/private")), "a disallowed page is never fetched");
        // A board that answers 500 is tried again (twice, with a growing pause), then fails.
        let lever = source(&first, "lever:harbor");
        assert_eq!(lever["requests"], 3, "{lever}");
        assert!(lever["error"].as_str().unwrap().contains("500 (after 3 attempts)"), "{lever}");
        // A board slower than the run waits: each try gives up after a second.
        let ashby = source(&first, "ashby:harbor");
        assert_eq!(ashby["requests"], 3, "{ashby}");
        assert!(ashby["error"].as_str().unwrap().contains("did not answer within 1 s"), "{ashby}");
        assert_eq!(first["failed"], 5);
        // Remotive's copy of the employer's job is the same job; its sales job is not wanted.
        let remotive = source(&first, "remotive");
        assert_eq!((remotive["fetched"].as_i64(), remotive["kept"].as_i64()), (Some(3), Some(2)), "{remotive}");
        assert_eq!(remotive["new"], 2, "{remotive}");
        // Read after Remotive, the employer's own listing is that job again.
        let greenhouse = source(&first, "greenhouse:harbor");
        assert_eq!((greenhouse["kept"].as_i64(), greenhouse["new"].as_i64(), greenhouse["duplicate"].as_i64()), (Some(1), Some(0), Some(1)), "{greenhouse}");
        assert_eq!(source(&first, "serpapi")["new"], 1);
        assert_eq!(source(&first, "adzuna")["new"], 1);
        assert_eq!(source(&first, &format!("{base}/careers/data-engineer"))["new"], 1);
        assert_eq!(first["new"], 5, "{first}");
        assert_eq!(first["duplicate"], 1, "{first}");

        let jobs = open_jobs(&app, &me, "open").await;
        assert_eq!(jobs.len(), 5);
        // Ranked by match to the resume, each with why.
        let scores: Vec<i64> = jobs.iter().map(|j| j["score"].as_i64().unwrap_or_else(|| panic!("unscored: {j}"))).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
        assert!(jobs.iter().all(|j| j["reason"].as_str().is_some_and(|r| !r.is_empty())), "{jobs:?}");
        let harbor_reason = jobs.iter().find(|j| j["title"] == "Senior Data Engineer").unwrap()["reason"].as_str().unwrap().to_owned();
        assert!(harbor_reason.contains("Spark") || harbor_reason.contains("Python") || harbor_reason.contains("SQL"), "{harbor_reason}");
        let harbor: Vec<&Value> = jobs.iter().filter(|j| j["title"] == "Senior Data Engineer").collect();
        assert_eq!(harbor.len(), 1, "one job however many boards list it");
        let boards_of: Vec<&str> = harbor[0]["sources"].as_array().unwrap().iter().map(|s| s["source"].as_str().unwrap()).collect();
        assert_eq!(boards_of.len(), 2);
        assert!(boards_of.contains(&"greenhouse") && boards_of.contains(&"remotive"), "{boards_of:?}");
        let adzuna = jobs.iter().find(|j| j["company"] == "Ledgerline").unwrap();
        assert_eq!(adzuna["title"], "Data Engineer (Payments)");
        let run_text = first.to_string();
        assert!(!run_text.contains("serp-test-key") && !run_text.contains("adz-key"), "keys never land in the record");

        // The next run asks the employer's board conditionally; it has not changed.
        let second = run_now(&app, &me, &id).await;
        let greenhouse = source(&second, "greenhouse:harbor");
        assert_eq!(greenhouse["not_modified"], 1, "{greenhouse}");
        assert_eq!(boards.lock().unwrap().conditional, ["\"v1\""]);
        assert_eq!(second["new"], 0);
        assert_eq!(open_jobs(&app, &me, "open").await.len(), 5);

        // The employer takes the job down: it expires, whatever Remotive still says.
        {
            let mut b = boards.lock().unwrap();
            b.listed = false;
            b.version = 2;
        }
        let third = run_now(&app, &me, &id).await;
        assert_eq!(source(&third, "greenhouse:harbor")["expired"], 1, "{third}");
        let expired = open_jobs(&app, &me, "expired").await;
        assert_eq!(expired.len(), 1);
        assert_eq!(expired[0]["title"], "Senior Data Engineer");
        assert!(!open_jobs(&app, &me, "open").await.iter().any(|j| j["title"] == "Senior Data Engineer"));

        // Jobs no board lists any more: one unseen for ten days whose page is gone (the
        // liveness check asks it: 404), one unseen for a month whose page still answers
        // (expired all the same: three weeks unseen).
        let me_id: Value = json_body(call(&app, &me, reqwest::Method::GET, "/api/v1/auth/me", None).await, "application/json").await;
        let me_id = pursuit_domain::ids::UserId(me_id["user"]["id"].as_str().unwrap().parse().unwrap());
        let stale = |company: &str, url: String, days: i64| {
            let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
            pursuit_store::discovery::JobRow {
                id: pursuit_domain::ids::DiscoveredJobId::new(),
                user_id: me_id,
                key: format!("{company}|data engineer|berlin"),
                company_key: company.to_lowercase(),
                company_head: company.to_lowercase(),
                canonical_url: url.clone(),
                url,
                title: "Data Engineer, listed no more".to_owned(),
                company: company.to_owned(),
                location: Some("Berlin".to_owned()),
                status: "new".to_owned(),
                first_seen_at: at,
                last_seen_at: at,
                updated_at: at,
                ..Default::default()
            }
        };
        pursuit_store::discovery::insert_jobs(&app.db, &[
            stale("Gone Co", format!("{base}/gone/1"), 10),
            stale("Quiet Co", format!("{base}/careers/data-engineer"), 30),
        ]).await.unwrap();

        // Posted again: live again, marked reposted, still one job.
        {
            let mut b = boards.lock().unwrap();
            b.listed = true;
            b.version = 3;
        }
        let fourth = run_now(&app, &me, &id).await;
        assert_eq!(fourth["new"], 0, "{fourth}");
        let open = open_jobs(&app, &me, "open").await;
        let again = open.iter().find(|j| j["title"] == "Senior Data Engineer").unwrap();
        assert!(again["reposted_at"].is_string() && again["expired_at"].is_null(), "{again}");
        let liveness = source(&fourth, "liveness");
        assert_eq!((liveness["fetched"].as_i64(), liveness["expired"].as_i64()), (Some(2), Some(1)), "{liveness}");
        let expired: Vec<Value> = open_jobs(&app, &me, "expired").await;
        assert!(!open.iter().any(|j| j["company"] == "Gone Co" || j["company"] == "Quiet Co"));
        assert!(["Gone Co", "Quiet Co"].iter().all(|c| expired.iter().any(|j| j["company"] == *c)), "{expired:?}");

        // Saved to the tracker in one call (again: the same application).
        let job = again["id"].as_str().unwrap();
        let saved = call(&app, &me, reqwest::Method::POST, &format!("/api/v1/discovery/jobs/{job}/save"), None).await;
        let status = saved.status();
        let text = saved.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{text}");
        let saved: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(saved["job"]["status"], "saved");
        let application = saved["application_id"].as_str().unwrap().to_owned();
        let again = json_body(call(&app, &me, reqwest::Method::POST, &format!("/api/v1/discovery/jobs/{job}/save"), None).await, "application/json").await;
        assert_eq!(again["application_id"], application.as_str());
        let tracked = json_body(call(&app, &me, reqwest::Method::GET, &format!("/api/v1/applications/{application}"), None).await, "application/json").await;
        assert_eq!(tracked["status"], "Saved", "{tracked}");
        assert_eq!(tracked["source"], "Discovery: Remotive", "the board it was first found on: {tracked}");
        let postings = json_body(call(&app, &me, reqwest::Method::GET, "/api/v1/jobs", None).await, "application/json").await;
        assert_eq!(postings["items"][0]["url"], "https://remotive.com/remote-jobs/data/senior-data-engineer-5001");
        assert_eq!(postings["items"][0]["title"], "Senior Data Engineer");

        // Dismissed jobs leave the list and come back on request.
        let other = open_jobs(&app, &me, "open").await.into_iter().find(|j| j["status"] == "new").unwrap();
        let other = other["id"].as_str().unwrap().to_owned();
        let dismissed = call(&app, &me, reqwest::Method::POST, &format!("/api/v1/discovery/jobs/{other}/dismiss"), Some(json!({"dismissed": true}))).await;
        assert_eq!(json_body(dismissed, "application/json").await["status"], "dismissed");
        assert!(!open_jobs(&app, &me, "open").await.iter().any(|j| j["id"] == other.as_str()));
        assert_eq!(open_jobs(&app, &me, "dismissed").await.len(), 1);
        let refused = call(&app, &me, reqwest::Method::POST, &format!("/api/v1/discovery/jobs/{job}/dismiss"), Some(json!({"dismissed": true}))).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "a saved job is handled in the tracker");

        // A run that found something left a notification.
        let notes = json_body(call(&app, &me, reqwest::Method::GET, "/api/v1/notifications", None).await, "application/json").await;
        assert!(notes["items"].as_array().unwrap().iter().any(|n| n["title"].as_str().unwrap().starts_with("5 new jobs for")), "{notes}");
        // The search asked for a digest: one email, the best jobs with their links.
        let digest = crate::auth::outbox_message_for(&app, "seeker@example.org", 2).await;
        assert!(digest.contains("5 new jobs for") && digest.contains("/discover") && digest.contains("https://"), "{digest}");
        // Another user sees none of it.
        let other_user = token(&app, "someone@example.org").await;
        assert!(open_jobs(&app, &other_user, "all").await.is_empty());
        let theirs = call(&app, &other_user, reqwest::Method::POST, &format!("/api/v1/discovery/searches/{id}/run"), None).await;
        assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    }

    async fn bad_searches_are_refused_field_by_field(backend: Backend) {
        let app = spawn_app_with(TestDatabase::new(backend).await, |_| {}).await;
        let me = token(&app, "careful@example.org").await;
        for (body, pointer) in [
            (json!({}), "/name"),
            (json!({"name": "x"}), "/sources"),
            (json!({"name": "x", "sources": ["monster"]}), "/sources/0"),
            (json!({"name": "x", "sources": ["serpapi"]}), "/sources/0"),
            (json!({"name": "x", "boards": ["workday:acme"]}), "/boards/0"),
            (json!({"name": "x", "boards": ["https://careers.acme.example/"]}), "/boards/0"),
            (json!({"name": "x", "links": ["ftp://feeds.example/jobs.xml"]}), "/links/0"),
            (json!({"name": "x", "sources": ["remotive"], "remote": "sometimes"}), "/remote"),
            (json!({"name": "x", "sources": ["remotive"], "titles": "data"}), "/titles"),
            (json!({"name": "x".repeat(101), "sources": ["remotive"]}), "/name"),
            (json!({"name": "x\u{0}y", "sources": ["remotive"]}), "/name"),
        ] {
            let response = call(&app, &me, reqwest::Method::POST, "/api/v1/discovery/searches", Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let problem = json_body(response, "application/problem+json").await;
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{body}: {problem}");
        }
        let list = json_body(call(&app, &me, reqwest::Method::GET, "/api/v1/discovery/searches", None).await, "application/json").await;
        assert_eq!(list["items"], json!([]));
        assert_eq!(list["available_sources"], json!(["remotive", "remoteok", "himalayas", "weworkremotely"]));
        let missing = call(&app, &me, reqwest::Method::GET, &format!("/api/v1/discovery/jobs/{}", uuid::Uuid::now_v7()), None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let bad_status = call(&app, &me, reqwest::Method::GET, "/api/v1/discovery/jobs?status=maybe", None).await;
        assert_eq!(bad_status.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

both_backends! {
    async fn the_discover_pages_save_a_search_and_a_job_in_one_click(backend: Backend) {
        use crate::pages::{form, location, page};
        let (base, _boards) = boards().await;
        let app = app_for(backend, &base).await;
        let browser = sign_in(&app, "pages@example.org", 1).await;
        let (cookie, csrf) = (browser.cookie.as_str(), browser.csrf.as_str());

        let empty = page(&app, "/discover", Some(cookie)).await.text().await.unwrap();
        assert!(empty.contains("No saved searches yet"), "{empty}");
        // A refusal names the field and keeps what was typed.
        let refused = form(&app, "/discover/searches", Some(cookie), &[
            ("csrf", csrf), ("name", "Berlin <data>"), ("titles", "data engineer\n\n"), ("boards", "workday:harbor"), ("remote", "any"),
        ]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("not a board Pursuit reads") && refused.contains("Berlin &lt;data&gt;") && refused.contains("workday:harbor"), "{refused}");
        // Saved, it runs at once.
        let saved = form(&app, "/discover/searches", Some(cookie), &[
            ("csrf", csrf), ("name", "Berlin data"), ("titles", "data engineer"), ("locations", "Berlin"), ("remote", "any"),
            ("sources", "remotive"), ("boards", "greenhouse:harbor"), ("enabled", "on"),
        ]).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert!(location(&saved).starts_with("/discover/searches?queued="));
        let mut runs = String::new();
        for _ in 0..200 {
            runs = page(&app, "/discover/runs", Some(cookie)).await.text().await.unwrap();
            if runs.contains(r#"<span class="state">done</span>"#) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let list = page(&app, "/discover", Some(cookie)).await.text().await.unwrap();
        assert!(list.contains("Senior Data Engineer") && list.contains("Fieldnote"), "{list}");
        assert_eq!(list.matches(">Senior Data Engineer<").count(), 1, "one card per job");
        assert!(runs.contains("Berlin data") && runs.contains("greenhouse:harbor"), "{runs}");

        // Save to tracker in one click, back on the list with a link to the card.
        let id = list.split("/discover/jobs/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let clicked = form(&app, &format!("/discover/jobs/{id}/save"), Some(cookie), &[("csrf", csrf), ("back", "/discover?status=open")]).await;
        assert_eq!(clicked.status(), StatusCode::SEE_OTHER);
        let back = location(&clicked).to_owned();
        assert!(back.starts_with("/discover?status=open&saved="), "{back}");
        let after = page(&app, &back, Some(cookie)).await.text().await.unwrap();
        assert!(after.contains("Saved to your board"), "{after}");
        // A hostile `back` goes to the list, not elsewhere.
        let other = list.split("/discover/jobs/").nth(3).unwrap().split('/').next().unwrap().to_owned();
        let dismissed = form(&app, &format!("/discover/jobs/{other}/dismiss"), Some(cookie), &[("csrf", csrf), ("back", "//evil.example/")]).await;
        assert_eq!(location(&dismissed), "/discover");
        // Without the page's token nothing changes.
        let forged = form(&app, &format!("/discover/jobs/{other}/save"), Some(cookie), &[("csrf", "forged")]).await;
        assert!(forged.status().is_client_error());
    }
}

both_backends! {
    async fn keeping_a_read_puts_each_listing_with_its_job(backend: Backend) {
        let app = spawn_app_with(TestDatabase::new(backend).await, |_| {}).await;
        let me = token(&app, "keeper@example.org").await;
        let search = json_body(call(&app, &me, reqwest::Method::POST, "/api/v1/discovery/searches", Some(json!({
            "name": "All", "sources": ["remotive"], "enabled": false
        }))).await, "application/json").await;
        let me_id: Value = json_body(call(&app, &me, reqwest::Method::GET, "/api/v1/auth/me", None).await, "application/json").await;
        let user = pursuit_domain::ids::UserId(me_id["user"]["id"].as_str().unwrap().parse().unwrap());
        let search = pursuit_store::discovery::get_search(&app.db, user, pursuit_domain::ids::JobSearchId(search["id"].as_str().unwrap().parse().unwrap()))
            .await.unwrap().unwrap();
        let listing = |source: &'static str, id: &str, company: &str, title: &str, text: &str| pursuit_text::boards::Listing {
            source,
            source_id: id.to_owned(),
            url: format!("https://{source}.example/{id}"),
            title: title.to_owned(),
            company: company.to_owned(),
            location: Some("Berlin, Germany".to_owned()),
            remote: None,
            employment_type: None,
            description: text.to_owned(),
            posted_at: None,
        };
        let payments = "You will build the payments service in Rust, own its database schema, review every change to the ledger, and answer the pager one week in six for the services your team runs in production.";
        let search_text = "You will build the search service in Go, tune the ranking with the product team, run the indexing jobs every night, and keep the cluster that serves two thousand queries a second healthy.";
        let short = "Tidewater Analytics is hiring a backend engineer in Berlin.";
        let now = jiff::Timestamp::now();
        let keep = |listings: Vec<pursuit_text::boards::Listing>, feed: &'static str| {
            let (db, search) = (app.db.clone(), search.clone());
            async move { pursuit_app::discovery::ingest::keep(&db, &search, feed, &listings, false, &[], now).await.unwrap() }
        };
        // One board: two openings with one title (different texts); a short note of a
        // company of two words.
        let first = keep(vec![
            listing("greenhouse", "1", "Tidewater Analytics", "Backend Engineer", payments),
            listing("greenhouse", "2", "Tidewater Analytics", "Backend Engineer", search_text),
            listing("greenhouse", "3", "Perch", "Backend Engineer", payments),
        ], "greenhouse:tidewater").await;
        assert_eq!((first.new, first.duplicate), (3, 0));
        // Another board: a copy of each opening, the short note (keys alone agree: the
        // opening no listing of this board has taken), and Perch under its long name.
        let second = keep(vec![
            listing("remotive", "b", "Tidewater Analytics GmbH", "Backend Engineer", search_text),
            listing("remotive", "a", "Tidewater Analytics GmbH", "Backend Engineer", payments),
            listing("adzuna", "s", "Tidewater Analytics", "Backend Engineer (m/w/d)", short),
            listing("remotive", "p", "Perch Learning Inc.", "Backend Engineer", payments),
        ], "remotive").await;
        assert_eq!((second.new, second.duplicate), (0, 4), "{second:?}");
        let jobs = pursuit_store::discovery::jobs(&app.db, user, pursuit_store::discovery::Shown::All, None, 50, 0).await.unwrap();
        assert_eq!(jobs.len(), 3);
        let boards_of = |text: &str, company: &str| -> Vec<String> {
            let (_, sources) = jobs.iter().find(|(j, _)| j.description == text && j.company == company).unwrap();
            let mut ids: Vec<String> = sources.iter().map(|s| format!("{}:{}", s.source, s.source_id)).collect();
            ids.sort();
            ids
        };
        // Each copy sits with the opening it copies; the short note with one of the two.
        let search_boards = boards_of(search_text, "Tidewater Analytics");
        let payments_boards = boards_of(payments, "Tidewater Analytics");
        assert!(search_boards.starts_with(&["greenhouse:2".to_owned()]) || search_boards.starts_with(&["adzuna:s".to_owned()]), "{search_boards:?}");
        assert!(search_boards.contains(&"greenhouse:2".to_owned()) && search_boards.contains(&"remotive:b".to_owned()), "{search_boards:?}");
        assert!(payments_boards.contains(&"greenhouse:1".to_owned()) && payments_boards.contains(&"remotive:a".to_owned()), "{payments_boards:?}");
        assert_eq!(search_boards.len() + payments_boards.len(), 5, "{search_boards:?} {payments_boards:?}");
        assert_eq!(boards_of(payments, "Perch"), ["greenhouse:3", "remotive:p"]);
    }
}
