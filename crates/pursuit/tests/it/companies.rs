//! Companies on both backends: details checked field by field, research as a task that
//! reads the company's own pages through the SSRF-safe fetcher and its postings, facts
//! each a sentence its source states, and seed 000's AI company research whose rules
//! refuse a fact no source states.

use std::sync::atomic::Ordering;

use reqwest::StatusCode;
use serde_json::json;

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app_with};
use crate::matching::send;

const FRONT: &str = r#"<!doctype html><html><head><title>Fernhill Robotics</title>
<meta name="description" content="Fernhill Robotics builds warehouse robots that pick and pack groceries.">
</head><body><nav>Home · About · Careers</nav><main><h1>Robots for groceries</h1>
<p>Sign in to your account.</p></main></body></html>"#;

const ABOUT: &str = r#"<!doctype html><html><head><title>About Fernhill</title></head><body><main>
<h1>About us</h1>
<p>Founded in 2014 in Leeds, Fernhill Robotics now employs 420 people across three countries.</p>
<p>Our robots handle 2 million orders a week for 35 retail customers.</p>
<p>We raised a $60M Series C led by Northgate Ventures in 2023.</p>
<p>Fernhill is headquartered in Leeds, with offices in Rotterdam and Austin.</p>
<p>We use cookies to improve your experience.</p>
</main></body></html>"#;

const POSTING: &str = "Controls Engineer\n\nAbout us\nFernhill Robotics won the 2024 Northern Tech Award for warehouse automation.\n\nResponsibilities\n- Tune motion control loops\n\nRequirements\n- 3+ years with C++\n";

/// The company's site: `/` and `/about` answer, `/about-us` is missing, `/company`
/// redirects into the cloud metadata service.
async fn company_site() -> String {
    crate::helpers::raw_site(|path| match path {
        "/" => crate::helpers::html_reply(FRONT),
        "/about" => crate::helpers::html_reply(ABOUT),
        "/company" => crate::helpers::metadata_redirect(),
        _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
    })
    .await
}

/// A user with the Fernhill posting saved: the token and the company's id.
async fn with_company(app: &TestApp, email: &str) -> (String, String) {
    let user = sign_in(app, email, 1).await;
    let token = api_token(app, &user, "companies").await.1;
    let created = send(
        app,
        &token,
        "POST",
        "/api/v1/jobs",
        Some(json!({"text": POSTING, "company": "Fernhill Robotics"})),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let company = json_body(created, "application/json").await["company"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (token, company)
}

both_backends! {
    async fn a_company_is_researched_from_its_own_pages_and_postings_each_fact_with_its_source(backend: Backend) {
        let (inventor, invented_calls) = crate::ai::fake_chat(
            json!({"summary": "Fernhill Robotics builds warehouse robots.", "facts": [{"text": "Fernhill Robotics employs 9,000 people.", "kind": "size", "source": "posting:x"}]}).to_string(),
            "inventor", (800, 120)).await;
        let site = company_site().await;
        let faithful_fact = "We raised a $60M Series C led by Northgate Ventures in 2023.";
        let (faithful, faithful_calls) = crate::ai::fake_chat(
            json!({"summary": "Fernhill Robotics builds warehouse robots that pick and pack groceries.", "facts": [{"text": faithful_fact, "kind": "funding", "source": format!("{site}/about")}]}).to_string(),
            "faithful", (800, 120)).await;
        let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
            config.fetch_allow_loopback = true;
            config.ai.providers.insert("inventor".to_owned(), crate::ai::fake_provider(inventor, "inventor"));
            config.ai.providers.insert("faithful".to_owned(), crate::ai::fake_provider(faithful, "faithful"));
            config.ai.tasks.summarise = vec!["inventor".to_owned(), "faithful".to_owned()];
        }).await;
        let (token, company) = with_company(&app, "ana@example.com").await;
        let path = format!("/api/v1/companies/{company}");
        let fresh = json_body(send(&app, &token, "GET", &path, None).await, "application/json").await;
        assert_eq!((fresh["name"].as_str(), fresh["research"].is_null(), fresh["last_refreshed_at"].is_null()), (Some("Fernhill Robotics"), true, true));
        let early = send(&app, &token, "POST", "/api/v1/ai/company-research", Some(json!({"company_id": company}))).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "nothing read yet");

        // Details: every wrong field named at once, nothing kept; then kept, normalised.
        let wrong = send(&app, &token, "PATCH", &path, Some(json!({"website": "ftp://fernhill.example", "size": "huge", "time_zone": "Mars/Olympus", "industry": "x".repeat(101)}))).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(wrong, "application/problem+json").await.to_string();
        for field in ["website", "size", "time_zone", "industry"] {
            assert!(problem.contains(field), "{field}: {problem}");
        }
        assert!(json_body(send(&app, &token, "GET", &path, None).await, "application/json").await["website"].is_null());
        let set = json_body(send(&app, &token, "PATCH", &path, Some(json!({"website": site, "size": "51 to 200", "time_zone": "Europe/London", "headquarters": "Leeds, UK", "industry": "Robotics"}))).await, "application/json").await;
        assert_eq!((set["size"].as_str(), set["time_zone"].as_str(), set["headquarters"].as_str()), (Some("51-200"), Some("Europe/London"), Some("Leeds, UK")));

        // Research is a task.
        let started = send(&app, &token, "POST", &format!("{path}/research"), None).await;
        assert_eq!(started.status(), StatusCode::ACCEPTED);
        let task = json_body(started, "application/json").await["task_id"].as_str().unwrap().to_owned();
        let done = crate::helpers::task_finished(&app, &token, &task).await;
        assert_eq!(done["state"], "done", "{done:#}");
        let researched = json_body(send(&app, &token, "GET", &path, None).await, "application/json").await;
        let research = &researched["research"];
        assert!(researched["last_refreshed_at"].is_string());
        assert_eq!(research["summary"], "Fernhill Robotics builds warehouse robots that pick and pack groceries.");
        assert_eq!(research["provider"], "local");
        let facts = research["facts"].as_array().unwrap();
        assert!((3..=5).contains(&facts.len()), "{research:#}");
        let about = format!("{site}/about");
        for fact in facts {
            let (text, source) = (fact["text"].as_str().unwrap(), fact["source"].as_str().unwrap());
            let said = if source == about { ABOUT.contains(text) } else { source.starts_with("posting:") && POSTING.contains(text) };
            assert!(said, "{text} is not said by {source}");
        }
        assert!(facts.iter().any(|f| f["source"].as_str().unwrap().starts_with("posting:")), "the posting's award: {research:#}");
        assert!(!research.to_string().contains("cookies"));
        // The missing page and the redirect into the metadata service are named, not read.
        let failed = research["failed"].to_string();
        assert!(failed.contains("/about-us") && failed.contains("/company"), "{failed}");
        assert!(research["sources"].as_array().unwrap().iter().all(|s| s.get("text").is_none()), "sources are listed without their text");

        // Seed 000's AI research: the model that invents is passed over, the faithful one kept.
        let answered = send(&app, &token, "POST", "/api/v1/ai/company-research", Some(json!({"company_id": company}))).await;
        assert_eq!(answered.status(), StatusCode::OK);
        let answered = json_body(answered, "application/json").await;
        assert!(invented_calls.load(Ordering::SeqCst) >= 1 && faithful_calls.load(Ordering::SeqCst) == 1);
        assert!(answered["fallbacks"].to_string().contains("inventor"), "{answered:#}");
        let kept = &answered["company"]["research"];
        assert_eq!((kept["provider"].as_str(), kept["model"].as_str()), (Some("faithful"), Some("faithful")));
        assert_eq!(kept["facts"][0]["text"], faithful_fact);
        assert!(!kept.to_string().contains("9,000"));

        for body in [json!({}), json!({"company_id": "nope"}), json!({"company_id": company, "extra": 1})] {
            assert_eq!(send(&app, &token, "POST", "/api/v1/ai/company-research", Some(body.clone())).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        }
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "companies").await.1;
        for (method, path, body) in [("GET", path.clone(), None), ("PATCH", path.clone(), Some(json!({}))), ("POST", format!("{path}/research"), None), ("POST", "/api/v1/ai/company-research".to_owned(), Some(json!({"company_id": company})))] {
            assert_eq!(send(&app, &bob_token, method, &path, body).await.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
}

both_backends! {
    async fn a_company_is_researched_from_its_page(backend: Backend) {
        use crate::pages::{form, location, page};
        let site = company_site().await;
        let app = spawn_app_with(TestDatabase::new(backend).await, |c| c.fetch_allow_loopback = true).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let token = api_token(&app, &ana, "page").await.1;
        let created = send(&app, &token, "POST", "/api/v1/jobs", Some(json!({"text": POSTING, "company": "Fernhill Robotics"}))).await;
        let company = json_body(created, "application/json").await["company"]["id"].as_str().unwrap().to_owned();
        let at = format!("/companies/{company}");
        let html = page(&app, &at, Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Not researched yet") && html.contains("Save details"), "{html}");
        let refused = form(&app, &at, Some(cookie), &[("csrf", csrf), ("website", "not a site"), ("size", ""), ("industry", ""), ("headquarters", ""), ("time_zone", "")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("not a site"), "what was typed is kept");
        let saved = form(&app, &at, Some(cookie), &[("csrf", csrf), ("website", &site), ("size", "11-50"), ("industry", ""), ("headquarters", ""), ("time_zone", "")]).await;
        assert_eq!(location(&saved), at);
        let started = form(&app, &format!("{at}/research"), Some(cookie), &[("csrf", csrf)]).await;
        let follow = location(&started).to_owned();
        assert!(follow.starts_with(&format!("{at}?task=")), "{follow}");
        let mut html = String::new();
        for _ in 0..400 {
            html = page(&app, &follow, Some(cookie)).await.text().await.unwrap();
            if !html.contains("Researching…") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(html.contains("What to know about") && html.contains("Series C") && html.contains(&format!("{site}/about").replace('/', "&#x2f;")), "{html}");
        assert!(html.contains("Research again"));
    }
}
