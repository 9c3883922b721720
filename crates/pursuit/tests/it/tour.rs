//! Every page of the web app, as a user with data sees it, at 1,400 px and 390 px, in the
//! light and the dark theme: axe-core (WCAG 2.1 A and AA rules) finds no serious or
//! critical violation, nothing scrolls sideways on a phone, and a full-page screenshot of
//! each goes to `target/tmp/screenshots/tour-*` for a reviewer. One database is enough:
//! this is about the pages, which both backends serve alike.

use fantoccini::Client;
use serde_json::json;

use crate::browser::{ApiAs, Browser, sign_in_in_browser};
use pursuit_store::Backend;

use crate::helpers::{TestApp, spawn_app};

/// axe-core's script, installed by `scripts/test` (`TEST_AXE`).
fn axe_source() -> String {
    let path = std::env::var("TEST_AXE").expect(
        "TEST_AXE is not set: run the suite with scripts/test, which installs axe-core from npm",
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The serious and critical violations axe-core finds on the page shown, as
/// `rule: selectors`.
async fn axe(c: &Client, source: &str) -> Vec<String> {
    c.execute(source, vec![]).await.unwrap();
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// A user's data through the API as the browser's session: applications across statuses
/// (one with contacts and an interview), a posting, a resume.
async fn seed(app: &TestApp, c: &Client) -> (String, String) {
    let ApiAs { cookie, csrf, .. } = ApiAs::from_browser(app, c).await;
    let post = |path: &str, body: serde_json::Value| {
        app.client
            .post(app.url(path))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let mut first = String::new();
    for (company, role, status, source) in [
        ("Northwind Labs", "Backend Engineer", "Applied", "LinkedIn"),
        (
            "Bluefin Analytics",
            "Platform Engineer",
            "Screening",
            "Referral",
        ),
        (
            "Cedar Health",
            "Site Reliability Engineer",
            "Offer",
            "Company_Site",
        ),
        ("Juniper Foods", "Data Engineer", "Saved", "Job board"),
    ] {
        let created: serde_json::Value = post("/api/v1/applications", json!({
            "company": company, "role_title": role, "status": status, "source": source,
            "location_text": "Lisbon, Portugal", "salary_min": 70000, "salary_max": 90000, "salary_currency": "EUR",
            "tags": ["backend"], "next_action": "Follow up", "next_action_due": "2030-01-10T09:00:00Z",
            "contacts_inline": [{ "name": "Sam Lee", "role": "Recruiter", "email": "sam@example.org" }],
        })).await.unwrap().json().await.unwrap();
        if first.is_empty() {
            first = created["id"].as_str().unwrap().to_owned();
        }
    }
    let interview = post(
        &format!("/api/v1/applications/{first}/activities"),
        json!({
            "type": "Interview", "starts_at": "2030-01-15T14:00:00Z", "duration_minutes": 45,
            "interview_stage": "technical", "agenda": "System design",
        }),
    )
    .await
    .unwrap();
    assert_eq!(interview.status(), 201);
    let resume = post("/api/v1/resume/from-text", json!({
        "text": "Ana Diaz\nana@example.org\n\nExperience\nBackend Engineer, Initech | 2019 - Present\n- Built Rust services on PostgreSQL\n\nSkills\nRust, PostgreSQL, Docker",
    })).await.unwrap();
    assert!(
        resume.status().is_success(),
        "{}",
        resume.text().await.unwrap()
    );
    let job: serde_json::Value = post("/api/v1/jobs", json!({
        "text": "Senior Rust Engineer\nHarborline Systems\n\nRequirements\n- 5+ years of Rust\n- PostgreSQL\n- Kubernetes\n\nResponsibilities\n- Build APIs",
        "title": "Senior Rust Engineer", "company": "Harborline Systems",
    })).await.unwrap().json().await.unwrap();
    // Discovery: a search whose feed cannot be read (a failed source on the runs page) and
    // jobs kept as a run keeps them.
    let search: serde_json::Value = post("/api/v1/discovery/searches", json!({
        "name": "Rust in Lisbon", "titles": ["rust engineer"], "locations": ["Lisbon", "Remote"],
        "links": ["http://127.0.0.1:9/jobs.rss"], "enabled": false,
    })).await.unwrap().json().await.unwrap();
    let search_id = search["id"].as_str().unwrap().to_owned();
    post(
        &format!("/api/v1/discovery/searches/{search_id}/run"),
        json!({}),
    )
    .await
    .unwrap();
    let me: serde_json::Value = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let user = pursuit_domain::ids::UserId(me["user"]["id"].as_str().unwrap().parse().unwrap());
    let search = pursuit_store::discovery::get_search(
        &app.db,
        user,
        pursuit_domain::ids::JobSearchId(search_id.parse().unwrap()),
    )
    .await
    .unwrap()
    .unwrap();
    let listing = |source: &'static str, id: &str, title: &str, company: &str, place: &str| {
        pursuit_text::boards::Listing {
            source,
            source_id: id.to_owned(),
            url: format!("https://{source}.example/jobs/{id}"),
            title: title.to_owned(),
            company: company.to_owned(),
            location: Some(place.to_owned()),
            remote: place.contains("Remote").then_some("remote"),
            employment_type: Some("full_time"),
            description: format!(
                "{company} builds Rust services on PostgreSQL and Kubernetes. You will own APIs end to end."
            ),
            posted_at: Some("2026-12-01T09:00:00Z".to_owned()),
        }
    };
    let listings = [
        listing(
            "greenhouse",
            "1",
            "Senior Rust Engineer, Payments Infrastructure Platform",
            "Tidewater Analytics",
            "Lisbon, Portugal",
        ),
        listing(
            "remotive",
            "2",
            "Rust Engineer",
            "Quayside",
            "Remote (Europe)",
        ),
        listing(
            "remotive",
            "3",
            "Senior Rust Engineer, Payments Infrastructure Platform",
            "Tidewater Analytics",
            "Lisbon, Portugal",
        ),
    ];
    pursuit_app::discovery::ingest::keep(
        &app.db,
        &search,
        "tour",
        &listings,
        false,
        &[],
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    (first, job["id"].as_str().unwrap().to_owned())
}

/// Opens `path` at `width`, checks it, and saves a full-page screenshot.
async fn visit(
    browser: &Browser,
    app: &TestApp,
    source: &str,
    (name, path): (&str, &str),
    width: u32,
    theme: &str,
    problems: &mut Vec<String>,
) {
    let c = &browser.client;
    c.set_window_size(width, 900).await.unwrap();
    c.goto(&app.url(path)).await.unwrap();
    for violation in axe(c, source).await {
        problems.push(format!("{name} at {width} px, {theme}: {violation}"));
    }
    if width < 500 {
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        if overflow.as_i64().unwrap_or(i64::MAX) > 0 {
            problems.push(format!(
                "{name} at {width} px, {theme}: {overflow} px wider than the screen"
            ));
        }
    }
    let height = c
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap();
    let height = u32::try_from(height.as_u64().unwrap_or(900))
        .unwrap_or(900)
        .clamp(600, 5000);
    c.set_window_size(width, height).await.unwrap();
    browser
        .screenshot(&format!("tour-{name}-{width}-{theme}"))
        .await;
}

#[tokio::test]
async fn every_page_passes_axe_in_light_and_dark_on_a_laptop_and_a_phone() {
    let app = spawn_app(Backend::Sqlite).await;
    let source = axe_source();
    let mut problems = Vec::new();
    for (theme, dark) in [("light", false), ("dark", true)] {
        let browser = Browser::start_with(dark).await;
        let c = &browser.client;
        assert_eq!(
            c.execute(
                "return matchMedia('(prefers-color-scheme: dark)').matches;",
                vec![]
            )
            .await
            .unwrap(),
            json!(dark)
        );
        for width in [1400, 390] {
            visit(
                &browser,
                &app,
                &source,
                ("sign-in", "/sign-in"),
                width,
                theme,
                &mut problems,
            )
            .await;
        }
        c.set_window_size(1400, 900).await.unwrap();
        sign_in_in_browser(&app, &browser, &format!("tour-{theme}@example.org")).await;
        let (application, job) = seed(&app, c).await;
        let pages = [
            ("board", "/board".to_owned()),
            ("sidebar", format!("/board?application={application}")),
            ("table", "/board/table".to_owned()),
            ("jobs", "/jobs".to_owned()),
            ("job", format!("/jobs/{job}")),
            ("resume", "/resume".to_owned()),
            ("analytics", "/analytics".to_owned()),
            ("settings", "/settings".to_owned()),
            ("ai", "/settings/ai".to_owned()),
            ("preferences", "/preferences".to_owned()),
            ("profile", "/profile".to_owned()),
            ("documents", "/documents".to_owned()),
            ("campaigns", "/campaigns".to_owned()),
            ("sequences", "/sequences".to_owned()),
            ("mailboxes", "/mailboxes".to_owned()),
            ("replies", "/replies".to_owned()),
            ("feedback", "/feedback".to_owned()),
            ("discover", "/discover".to_owned()),
            ("discover-searches", "/discover/searches".to_owned()),
            ("discover-runs", "/discover/runs".to_owned()),
        ];
        for (name, path) in &pages {
            for width in [1400, 390] {
                visit(
                    &browser,
                    &app,
                    &source,
                    (name, path),
                    width,
                    theme,
                    &mut problems,
                )
                .await;
            }
        }
        browser.close().await;
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
