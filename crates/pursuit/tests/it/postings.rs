//! Job postings on both backends: pasted text and fetched pages read into fields, saved to
//! the tracker as `Saved` applications, companies matched by normalized name, URLs that
//! point inside refused with the reason.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};

async fn token(app: &TestApp, email: &str) -> String {
    let browser = sign_in(app, email, 1).await;
    api_token(app, &browser, "jobs").await.1
}

async fn add(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/jobs"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

const POSTING: &str = "Platform Engineer at Acme, Inc.
Location: Lisbon, Portugal
This is a fully remote role.

Responsibilities
- Run our Kubernetes clusters
- Automate with Terraform

Requirements
- 4+ years of experience with Go or Python
- PostgreSQL in production

Nice to have
- Rust

Salary: €70,000 - €90,000 per year
";

/// Serves `PAGE` at any path, and a redirect to the metadata address at `/evil`, on
/// 127.0.0.1.
async fn posting_site() -> String {
    crate::helpers::raw_site(|path| {
        if path.starts_with("/evil") {
            crate::helpers::metadata_redirect()
        } else {
            crate::helpers::html_reply(PAGE)
        }
    })
    .await
}

const PAGE: &str = r#"<!doctype html><html><head><title>Careers</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Data Engineer",
"hiringOrganization":{"@type":"Organization","name":"ACME Inc"},"jobLocation":{"@type":"Place","address":{"addressLocality":"Dubai","addressCountry":"AE"}},
"employmentType":"FULL_TIME","baseSalary":{"@type":"MonetaryAmount","currency":"AED","value":{"@type":"QuantitativeValue","minValue":20000,"unitText":"MONTH"}},
"description":"<p>Requirements:</p><ul><li>3+ years of SQL and Apache Spark</li></ul>"}</script></head>
<body><nav>Home</nav><main><h1>Data Engineer</h1><p>Join us.</p></main></body></html>"#;

both_backends! {
    async fn a_pasted_posting_is_read_and_saved_to_the_tracker(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "seeker@example.org").await;
        let response = add(&app, &me, json!({ "text": POSTING })).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let job = json_body(response, "application/json").await;
        assert_eq!(location, format!("/api/v1/jobs/{}", job["id"].as_str().unwrap()));
        assert_eq!(job["title"], "Platform Engineer");
        assert_eq!(job["company"]["name"], "Acme, Inc.");
        assert_eq!(job["source"], "text");
        assert_eq!(job["parse_status"], "complete");
        assert_eq!(job["jd_lang"], "en");
        assert_eq!(job["desired_output_lang"], "en");
        let parsed = &job["parsed"];
        assert_eq!(parsed["remote_type"], "remote");
        assert_eq!(parsed["years_experience"]["min"], 4);
        assert_eq!(parsed["salary"]["min"], 70000);
        assert_eq!(parsed["salary"]["currency"], "EUR");
        let required: Vec<&str> = parsed["skills"]["required"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(required, ["Go", "Python", "PostgreSQL"]);
        assert_eq!(parsed["skills"]["preferred"][0]["name"], "Rust");

        // The tracker has it as Saved, with what was read.
        let application = app.client.get(app.url(&format!("/api/v1/applications/{}", job["application_id"].as_str().unwrap())))
            .bearer_auth(&me).send().await.unwrap();
        assert_eq!(application.status(), StatusCode::OK);
        let application = json_body(application, "application/json").await;
        assert_eq!(application["status"], "Saved");
        assert_eq!(application["company"], "Acme, Inc.");
        assert_eq!(application["role_title"], "Platform Engineer");
        assert_eq!(application["location_mode"], "remote");
        assert_eq!(application["salary_min"], 70000);
        assert!(application["tech_keywords"].as_array().unwrap().iter().any(|k| k == "PostgreSQL"));

        // "ACME Inc" is the same company; a listing shows both, newest first.
        let second = add(&app, &me, json!({ "text": "Support Engineer\nSome text about the job.", "company": "ACME Inc", "desired_output_lang": "ar" })).await;
        assert_eq!(second.status(), StatusCode::CREATED);
        let second = json_body(second, "application/json").await;
        assert_eq!(second["company"]["id"], job["company"]["id"]);
        assert_eq!(second["desired_output_lang"], "ar");
        let list = app.client.get(app.url("/api/v1/jobs?saved=true&limit=1")).bearer_auth(&me).send().await.unwrap();
        let list = json_body(list, "application/json").await;
        assert_eq!(list["items"][0]["id"], second["id"]);
        let cursor = list["next_cursor"].as_str().unwrap();
        let rest = app.client.get(app.url(&format!("/api/v1/jobs?saved=true&limit=1&cursor={cursor}"))).bearer_auth(&me).send().await.unwrap();
        let rest = json_body(rest, "application/json").await;
        assert_eq!(rest["items"][0]["id"], job["id"]);
        let unsaved = app.client.get(app.url("/api/v1/jobs?saved=false")).bearer_auth(&me).send().await.unwrap();
        assert_eq!(json_body(unsaved, "application/json").await["items"], json!([]));
    }

    async fn a_posting_page_is_fetched_and_its_json_ld_read(backend: Backend) {
        let app = spawn_app_with(TestDatabase::new(backend).await, |c| c.fetch_allow_loopback = true).await;
        let me = token(&app, "fetcher@example.org").await;
        let site = posting_site().await;
        let response = add(&app, &me, json!({ "url": format!("{site}/job") })).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let job = json_body(response, "application/json").await;
        assert_eq!(job["source"], "url");
        assert_eq!(job["title"], "Data Engineer");
        assert_eq!(job["company"]["name"], "ACME Inc");
        assert_eq!(job["parsed"]["extracted_from"], "json-ld");
        assert_eq!(job["parsed"]["location"], "Dubai, AE");
        assert_eq!(job["parsed"]["salary"]["period"], "month");
        assert_eq!(job["text"], "Requirements:\n• 3+ years of SQL and Apache Spark");

        // The page is kept (without its scripts): a re-parse reads its JSON-LD again.
        let id = job["id"].as_str().unwrap();
        let again = app.client.post(app.url(&format!("/api/v1/jobs/{id}/parse"))).bearer_auth(&me).send().await.unwrap();
        let again = json_body(again, "application/json").await;
        assert_eq!(again["parsed"]["extracted_from"], "json-ld");
        assert_eq!(again["parsed"]["salary"]["period"], "month");
        assert_eq!(again["text"], job["text"]);

        // A redirect into the cloud metadata service is refused, with the reason.
        let refused = add(&app, &me, json!({ "url": format!("{site}/evil") })).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(refused, "application/problem+json").await;
        let message = problem["errors"][0]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("169.254.169.254"), "{message}");
        assert_eq!(problem["errors"][0]["pointer"], "/url");
    }

    async fn bad_postings_are_refused_and_nothing_is_half_written(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "careful@example.org").await;
        let site = posting_site().await;
        for (body, pointer) in [
            (json!({}), "/text"),
            (json!({ "text": "   " }), "/text"),
            (json!({ "text": "x", "url": "https://example.org/job" }), "/url"),
            (json!({ "text": "x", "desired_output_lang": "klingon" }), "/desired_output_lang"),
            (json!({ "text": "x".repeat(200_001) }), "/text"),
            (json!({ "url": "ftp://example.org/job" }), "/url"),
            // Without the test allowance, loopback is refused like any internal address.
            (json!({ "url": format!("{site}/job") }), "/url"),
        ] {
            let response = add(&app, &me, body.clone()).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let problem = json_body(response, "application/problem+json").await;
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem}");
        }
        let jobs = app.client.get(app.url("/api/v1/jobs")).bearer_auth(&me).send().await.unwrap();
        assert_eq!(json_body(jobs, "application/json").await["items"], json!([]));
        let apps = app.client.get(app.url("/api/v1/applications")).bearer_auth(&me).send().await.unwrap();
        assert_eq!(json_body(apps, "application/json").await["items"], json!([]));
    }

    async fn a_posting_kept_unparsed_is_parsed_on_request(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = token(&app, "later@example.org").await;
        let job = json_body(add(&app, &me, json!({ "text": POSTING, "parse": false })).await, "application/json").await;
        assert_eq!(job["parse_status"], "pending");
        assert_eq!(job["parsed"], Value::Null);
        assert_eq!(job["company"], Value::Null);
        let id = job["id"].as_str().unwrap();
        let parsed = app.client.post(app.url(&format!("/api/v1/jobs/{id}/parse"))).bearer_auth(&me).send().await.unwrap();
        assert_eq!(parsed.status(), StatusCode::OK);
        let parsed = json_body(parsed, "application/json").await;
        assert_eq!(parsed["parse_status"], "complete");
        assert_eq!(parsed["title"], "Platform Engineer");
        assert_eq!(parsed["company"]["name"], "Acme, Inc.");
        let again = app.client.get(app.url(&format!("/api/v1/jobs/{id}"))).bearer_auth(&me).send().await.unwrap();
        assert_eq!(json_body(again, "application/json").await["parsed"]["remote_type"], "remote");
    }
}
