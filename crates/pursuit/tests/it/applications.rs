//! The tracker's applications API on both backends: defaults, validation, client ids,
//! ETag/If-Match, status history, filters and cursor pagination.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, json_body, spawn_app};

struct Client<'a> {
    app: &'a TestApp,
    token: String,
}

impl Client<'_> {
    async fn create(&self, body: Value) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url("/api/v1/applications"))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.app
            .client
            .get(self.app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    async fn patch(&self, id: &str, if_match: Option<&str>, body: Value) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .patch(self.app.url(&format!("/api/v1/applications/{id}")))
            .bearer_auth(&self.token)
            .json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send().await.unwrap()
    }
}

async fn client<'a>(app: &'a TestApp, email: &str) -> Client<'a> {
    let browser = sign_in(app, email, 1).await;
    let (_, token) = api_token(app, &browser, "tracker").await;
    Client { app, token }
}

both_backends! {
    async fn creating_with_two_fields_fills_the_seed_defaults(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "tracker@example.org").await;

        let response = me.create(json!({"company": "Acme Corp", "role_title": "Backend Engineer"})).await;

        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()["etag"], "W/\"1\"");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        assert_eq!(location, format!("/api/v1/applications/{}", body["id"].as_str().unwrap()));
        assert_eq!(body["status"], "Applied");
        assert_eq!(body["source"], "Other");
        assert_eq!(body["priority"], "None");
        assert_eq!(body["location_mode"], Value::Null, "the work mode is not guessed");
        assert_eq!(body["application_date"], jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string());
        assert_eq!(body["tags"], json!([]));
    }

    async fn a_client_supplied_id_is_kept_and_a_second_use_is_a_conflict(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "offline@example.org").await;
        let id = "3f6c3b7e-1f8f-476d-9b2b-5e4e2e2f5a11";
        let body = json!({
            "id": id, "company": "Acme Corp", "role_title": "Backend Engineer", "source": "LinkedIn",
            "status": "Recruiter_Call", "application_date": "2025-10-13",
            "contacts_inline": [{"name": "Jane Recruiter", "email": "jane@acme.com"}], "tags": ["python", "backend", "python"],
            "salary_min": 70000, "salary_max": 90000, "salary_currency": "eur", "next_action_due": "2025-10-15T09:00:00Z"
        });

        let first = me.create(body.clone()).await;
        let again = me.create(body).await;

        assert_eq!(first.status(), StatusCode::CREATED);
        let created: Value = first.json().await.unwrap();
        assert_eq!(created["id"], id);
        assert_eq!(created["status"], "Recruiter_Call");
        assert_eq!(created["tags"], json!(["backend", "python"]));
        assert_eq!(created["salary_currency"], "EUR");
        assert_eq!(created["contacts_inline"][0]["name"], "Jane Recruiter");
        assert_eq!(created["next_action_due"], "2025-10-15T09:00:00Z");
        assert_eq!(again.status(), StatusCode::CONFLICT);
        let problem: Value = again.json().await.unwrap();
        assert_eq!(problem["detail"], "an application with this id already exists");
        // Another user's id is in use the same way, and nothing of the attempt is kept.
        let other = client(&app, "other@example.org").await;
        let taken = other.create(json!({"id": id, "company": "Else", "role_title": "X"})).await;
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        let mine: Value = other.get("/api/v1/applications").await.json().await.unwrap();
        assert_eq!(mine["items"], json!([]));
    }

    async fn every_invalid_field_is_named_and_nothing_is_written(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "invalid@example.org").await;

        let response = me.create(json!({
            "company": "  ", "status": "Hired", "priority": "Urgent", "location_mode": "moon",
            "application_date": "13/10/2025", "salary_min": 90, "salary_max": 10, "timezone": "Mars/Olympus",
            "tags": ["ok", ""], "next_action_due": "tomorrow", "id": "not-a-uuid"
        })).await;
        let list: Value = me.get("/api/v1/applications").await.json().await.unwrap();

        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(response, "application/problem+json").await;
        let pointers: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        for expected in ["/company", "/role_title", "/status", "/priority", "/location_mode", "/application_date",
            "/salary_min", "/timezone", "/tags/1", "/next_action_due", "/id"] {
            assert!(pointers.contains(&expected), "{expected} missing from {pointers:?}");
        }
        assert_eq!(list["items"], json!([]));
    }

    async fn updates_need_the_current_version_and_never_lose_a_change(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "versions@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE"})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();

        let without = me.patch(&id, None, json!({"status": "Screening"})).await;
        let first = me.patch(&id, Some("W/\"1\""), json!({"status": "Screening", "notes": "phone screen on Monday"})).await;
        let loser = me.patch(&id, Some("1"), json!({"priority": "High"})).await;
        let malformed = me.patch(&id, Some("yesterday"), json!({})).await;
        let cleared = me.patch(&id, Some("\"2\""), json!({"notes": null, "tags": ["infra"]})).await;

        assert_eq!(without.status(), StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(json_body(without, "application/problem+json").await["type"], "/problems/precondition-required");
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()["etag"], "W/\"2\"");
        assert_eq!(loser.status(), StatusCode::CONFLICT);
        let conflict = json_body(loser, "application/problem+json").await;
        assert_eq!(conflict["type"], "/problems/version-conflict");
        assert_eq!(conflict["current"]["version"], 2);
        assert_eq!(conflict["current"]["notes"], "phone screen on Monday", "the winner's change is kept");
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
        let cleared: Value = cleared.json().await.unwrap();
        assert_eq!(cleared["notes"], Value::Null);
        assert_eq!(cleared["priority"], "None", "the losing write changed nothing");
        assert_eq!(cleared["tags"], json!(["infra"]));
        assert_eq!(cleared["version"], 3);
    }

    async fn what_a_write_answers_is_what_a_read_gives_back(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "roundtrip@example.org").await;
        // What a database keeps differently from what was sent: nanoseconds, JSON's key
        // order and number forms, tags out of order and twice.
        let created = me.create(json!({
            "company": "Acme", "role_title": "SRE", "tags": ["b", "B", "a", "b", "Ä"],
            "next_action_due": "2026-12-01T09:30:00.123456789Z",
            "contacts_inline": {"zeta": 1, "alpha": [2.5, 1e2, -0.0], "mid": {"b": true, "a": null}},
        })).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        let read: Value = me.get(&format!("/api/v1/applications/{id}")).await.json().await.unwrap();
        assert_eq!(created, read, "POST answers the stored application");
        assert_eq!(read["tags"], json!(["B", "a", "b", "Ä"]), "bytewise, each once, on both databases");

        // A change of one field only (one statement, no transaction) and one with tags.
        for (version, body) in [
            (1, json!({"notes": "called", "archived_at": "2026-12-02T10:00:00.987654321Z"})),
            (2, json!({"tags": ["z", "a"], "next_action_due": null})),
        ] {
            let patched = me.patch(&id, Some(&format!("W/\"{version}\"")), body).await;
            assert_eq!(patched.status(), StatusCode::OK);
            let patched: Value = patched.json().await.unwrap();
            let read: Value = me.get(&format!("/api/v1/applications/{id}")).await.json().await.unwrap();
            assert_eq!(patched, read, "PATCH answers the stored application");
            assert_eq!(read["version"], version + 1);
        }
        let page: Value = me.get("/api/v1/applications?archived=true").await.json().await.unwrap();
        let read: Value = me.get(&format!("/api/v1/applications/{id}")).await.json().await.unwrap();
        assert_eq!(page["items"], json!([read]), "a list shows what GET shows");
        assert_eq!(read["tags"], json!(["a", "z"]));
    }

    async fn concurrent_patches_of_one_version_let_exactly_one_through(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "racers@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE"})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();

        let mut racers = Vec::new();
        for i in 0..8 {
            let request = app.client.patch(app.url(&format!("/api/v1/applications/{id}")))
                .bearer_auth(&me.token).header("if-match", "W/\"1\"").json(&json!({"notes": format!("writer {i}")}));
            racers.push(tokio::spawn(async move { request.send().await.unwrap().status() }));
        }
        let mut statuses = Vec::new();
        for racer in racers {
            statuses.push(racer.await.unwrap());
        }

        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
        let now: Value = me.get(&format!("/api/v1/applications/{id}")).await.json().await.unwrap();
        assert_eq!(now["version"], 2);
    }

    async fn status_changes_are_appended_to_the_history(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "history@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE", "status": "Saved"})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        me.patch(&id, Some("1"), json!({"status": "Applied"})).await;
        me.patch(&id, Some("2"), json!({"notes": "no status change"})).await;
        me.patch(&id, Some("3"), json!({"status": "Tech_Screen"})).await;

        let history: Value = me.get(&format!("/api/v1/applications/{id}/history")).await.json().await.unwrap();

        let steps: Vec<(Value, Value)> = history["items"].as_array().unwrap().iter().map(|h| (h["from"].clone(), h["to"].clone())).collect();
        assert_eq!(steps, vec![
            (Value::Null, json!("Saved")),
            (json!("Saved"), json!("Applied")),
            (json!("Applied"), json!("Tech_Screen")),
        ]);
        assert!(history["items"].as_array().unwrap().iter().all(|h| h["by"] == "user"));
    }

    async fn lists_filter_and_page_by_cursor_without_gaps_or_repeats(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "lists@example.org").await;
        for i in 0..7 {
            let status = if i % 2 == 0 { "Applied" } else { "Screening" };
            let tags = if i < 3 { json!(["rust"]) } else { json!(["go"]) };
            me.create(json!({"company": format!("Company {i}"), "role_title": "Engineer", "status": status, "tags": tags,
                "notes": if i == 5 { "Remote-FIRST culture" } else { "" }})).await;
        }
        let archived: Value = me.create(json!({"company": "Old Co", "role_title": "Engineer"})).await.json().await.unwrap();
        me.patch(archived["id"].as_str().unwrap(), Some("1"), json!({"archived_at": "2026-01-01T00:00:00Z"})).await;

        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor { Some(c) => format!("/api/v1/applications?limit=3&cursor={c}"), None => "/api/v1/applications?limit=3".to_owned() };
            let page: Value = me.get(&path).await.json().await.unwrap();
            seen.extend(page["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() { Some(c) => cursor = Some(c.to_owned()), None => break }
        }
        let screening: Value = me.get("/api/v1/applications?status=Screening").await.json().await.unwrap();
        let both: Value = me.get("/api/v1/applications?status=Applied,Screening&tag=rust").await.json().await.unwrap();
        let text: Value = me.get("/api/v1/applications?q=remote-first").await.json().await.unwrap();
        let old: Value = me.get("/api/v1/applications?archived=true").await.json().await.unwrap();
        let bad = me.get("/api/v1/applications?status=Hired").await;

        assert_eq!(seen.len(), 7, "{seen:?}");
        let expected: Vec<String> = (0..7).rev().map(|i| format!("Company {i}")).collect();
        assert_eq!(seen, expected, "newest first, each once");
        assert_eq!(screening["items"].as_array().unwrap().len(), 3);
        assert_eq!(both["items"].as_array().unwrap().len(), 3);
        assert_eq!(text["items"][0]["company"], "Company 5");
        assert_eq!(old["items"].as_array().unwrap().len(), 1);
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let tags: Value = me.get("/api/v1/tags").await.json().await.unwrap();
        assert_eq!(tags["items"], json!([{"tag": "go", "count": 4}, {"tag": "rust", "count": 3}]));
    }

    async fn lists_sort_by_any_key_and_page_through_ties_and_missing_values(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "sorting@example.org").await;
        // Priorities tie, some due dates are missing, company case differs.
        let rows = [
            ("delta", "High", Some("2026-03-01T09:00:00Z")),
            ("Alpha", "Low", None),
            ("charlie", "High", Some("2026-02-01T09:00:00Z")),
            ("Bravo", "None", None),
            ("echo", "Medium", Some("2026-02-01T09:00:00Z")),
        ];
        for (company, priority, due) in rows {
            let created = me.create(json!({"company": company, "role_title": "Dev", "priority": priority, "next_action_due": due})).await;
            assert_eq!(created.status(), StatusCode::CREATED);
        }
        async fn walk(me: &Client<'_>, sort: &str) -> Vec<String> {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let path = match &cursor {
                    Some(c) => format!("/api/v1/applications?limit=2&sort={sort}&cursor={c}"),
                    None => format!("/api/v1/applications?limit=2&sort={sort}"),
                };
                let response = me.get(&path).await;
                assert_eq!(response.status(), StatusCode::OK, "{path}");
                let page: Value = response.json().await.unwrap();
                seen.extend(page["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap().to_owned()));
                match page["next_cursor"].as_str() { Some(c) => cursor = Some(c.to_owned()), None => break }
            }
            seen
        }

        assert_eq!(walk(&me, "company").await, ["Alpha", "Bravo", "charlie", "delta", "echo"]);
        assert_eq!(walk(&me, "-company").await, ["echo", "delta", "charlie", "Bravo", "Alpha"]);
        let by_priority = walk(&me, "-priority").await;
        assert_eq!(by_priority.len(), 5);
        assert_eq!(&by_priority[2..], ["echo", "Alpha", "Bravo"]);
        let mut high = by_priority[..2].to_vec();
        high.sort();
        assert_eq!(high, ["charlie", "delta"], "the tie is split across pages without loss");
        let by_due = walk(&me, "next_action_due").await;
        assert_eq!(by_due[2], "delta");
        assert_eq!(by_due.len(), 5, "applications without a due date come last: {by_due:?}");
        assert_eq!(walk(&me, "-created_at").await, ["echo", "Bravo", "charlie", "Alpha", "delta"]);

        let first: Value = me.get("/api/v1/applications?limit=2&sort=company").await.json().await.unwrap();
        let cursor = first["next_cursor"].as_str().unwrap();
        let other_sort = me.get(&format!("/api/v1/applications?limit=2&sort=priority&cursor={cursor}")).await;
        assert_eq!(other_sort.status(), StatusCode::BAD_REQUEST);
        let bad = me.get("/api/v1/applications?sort=salary").await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let view: Value = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
            .json(&json!({"name": "Due soonest", "filters": {"sort": "next_action_due"}}))
            .send().await.unwrap().json().await.unwrap();
        let in_view: Value = me.get(&format!("/api/v1/applications?view={}", view["id"].as_str().unwrap())).await.json().await.unwrap();
        let companies: Vec<&str> = in_view["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap()).collect();
        assert_eq!(&companies[..3], &by_due[..3]);
        let bad_view = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
            .json(&json!({"name": "Bad", "filters": {"sort": "mood"}})).send().await.unwrap();
        assert_eq!(bad_view.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn delete_needs_the_version_and_removes_the_application(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "delete@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE"})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        let delete = |tag: Option<&'static str>| {
            let mut request = app.client.delete(app.url(&format!("/api/v1/applications/{id}"))).bearer_auth(&me.token);
            if let Some(tag) = tag { request = request.header("if-match", tag); }
            request.send()
        };

        let without = delete(None).await.unwrap();
        let stale = delete(Some("W/\"7\"")).await.unwrap();
        let done = delete(Some("W/\"1\"")).await.unwrap();
        let gone = me.get(&format!("/api/v1/applications/{id}")).await;

        assert_eq!(without.status(), StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert_eq!(done.status(), StatusCode::NO_CONTENT);
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn activities_follow_their_type_rules_and_versions(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "activities@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE"})).await.json().await.unwrap();
        let application = created["id"].as_str().unwrap().to_owned();
        let post = |body: Value| {
            let request = app.client.post(app.url(&format!("/api/v1/applications/{application}/activities")))
                .bearer_auth(&me.token).json(&body);
            async move { request.send().await.unwrap() }
        };

        let interview = post(json!({"type": "Interview", "starts_at": "2026-12-01T14:00:00Z", "duration_minutes": 45,
            "interview_stage": "technical", "interview_medium": "google_meet", "prep_checklist": ["system design"]})).await;
        let unscheduled = post(json!({"type": "Call", "status": "scheduled"})).await;
        let mixed = post(json!({"type": "Call", "interview_stage": "loop", "followup_channel": "fax"})).await;
        let note = post(json!({"type": "Note", "notes": "recruiter was friendly"})).await;

        assert_eq!(interview.status(), StatusCode::CREATED);
        assert_eq!(interview.headers()["etag"], "W/\"1\"");
        let interview: Value = interview.json().await.unwrap();
        assert_eq!(interview["status"], "scheduled");
        assert_eq!(interview["interview_medium"], "google_meet");
        let unscheduled = json_body(unscheduled, "application/problem+json").await;
        assert_eq!(unscheduled["errors"][0]["pointer"], "/starts_at");
        let mixed = json_body(mixed, "application/problem+json").await;
        let pointers: Vec<&str> = mixed["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert!(pointers.contains(&"/followup_channel") && pointers.contains(&"/type"), "{pointers:?}");
        let note: Value = note.json().await.unwrap();
        assert_eq!(note["status"], "done");

        let id = interview["id"].as_str().unwrap();
        let patch = |tag: Option<&'static str>, body: Value| {
            let mut request = app.client.patch(app.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&me.token).json(&body);
            if let Some(tag) = tag { request = request.header("if-match", tag); }
            async move { request.send().await.unwrap() }
        };
        let without = patch(None, json!({"status": "done"})).await;
        let done = patch(Some("W/\"1\""), json!({"status": "done", "outcome": "went well"})).await;
        let stale = patch(Some("W/\"1\""), json!({"outcome": "lost"})).await;
        let list: Value = me.get(&format!("/api/v1/applications/{application}/activities")).await.json().await.unwrap();
        let delete = app.client.delete(app.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&me.token)
            .header("if-match", "W/\"2\"").send().await.unwrap();

        assert_eq!(without.status(), StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(done.status(), StatusCode::OK);
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert_eq!(json_body(stale, "application/problem+json").await["current"]["outcome"], "went well");
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        assert_eq!(list["items"][0]["type"], "Interview", "scheduled activities come first, by time");
        assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    }
}

both_backends! {
    async fn new_accounts_get_the_seeded_views_and_views_filter_the_list(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "views@example.org").await;
        let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48)).to_string();
        let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30)).to_string();
        // Saved: no follow-up rule plans a reminder (which would count as due this week).
        me.create(json!({"company": "Due Soon", "role_title": "SRE", "status": "Saved", "next_action_due": soon})).await;
        me.create(json!({"company": "Due Later", "role_title": "SRE", "status": "Saved", "next_action_due": later})).await;
        me.create(json!({"company": "Interviewing", "role_title": "SRE", "status": "Interview_Loop", "tags": ["rust"]})).await;

        let views: Value = me.get("/api/v1/views").await.json().await.unwrap();
        let names: Vec<&str> = views["items"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
        let id_of = |name: &str| views["items"].as_array().unwrap().iter().find(|v| v["name"] == name).unwrap()["id"].as_str().unwrap().to_owned();
        let week: Value = me.get(&format!("/api/v1/applications?view={}", id_of("This Week's Follow-ups"))).await.json().await.unwrap();
        let active: Value = me.get(&format!("/api/v1/applications?view={}", id_of("Active Interviews"))).await.json().await.unwrap();
        let created = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
            .json(&json!({"name": "Rust roles", "filters": {"tag": "rust"}})).send().await.unwrap();
        let duplicate = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
            .json(&json!({"name": "Rust roles", "filters": {}})).send().await.unwrap();
        let invalid = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
            .json(&json!({"name": "", "filters": {"status": ["Hired"], "colour": "red"}})).send().await.unwrap();

        assert_eq!(names, ["This Week's Follow-ups", "Active Interviews"]);
        let companies = |page: &Value| page["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(companies(&week), ["Due Soon"]);
        assert_eq!(companies(&active), ["Interviewing"]);
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.unwrap();
        let rust: Value = me.get(&format!("/api/v1/applications?view={}", created["id"].as_str().unwrap())).await.json().await.unwrap();
        assert_eq!(companies(&rust), ["Interviewing"]);
        assert_eq!(duplicate.status(), StatusCode::CONFLICT);
        let invalid = json_body(invalid, "application/problem+json").await;
        let pointers: Vec<&str> = invalid["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        for expected in ["/name", "/filters/status/0", "/filters/colour"] {
            assert!(pointers.contains(&expected), "{expected} in {pointers:?}");
        }
    }
}

both_backends! {
    async fn this_weeks_follow_ups_include_applications_with_a_reminder_due(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "follow-ups@example.org").await;
        // Saved, so that no status rule plans reminders of its own.
        let reminded: Value = me.create(json!({"company": "Reminded", "role_title": "SRE", "status": "Saved"})).await.json().await.unwrap();
        let far: Value = me.create(json!({"company": "Reminded Later", "role_title": "SRE", "status": "Saved"})).await.json().await.unwrap();
        me.create(json!({"company": "Nothing Due", "role_title": "SRE", "status": "Saved"})).await;
        let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48)).to_string();
        let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30)).to_string();
        for (application, due) in [(&reminded, soon), (&far, later)] {
            let added = app.client.post(app.url("/api/v1/reminders")).bearer_auth(&me.token)
                .json(&json!({"application_id": application["id"], "title": "Follow up", "due_at": due})).send().await.unwrap();
            assert_eq!(added.status(), StatusCode::CREATED);
        }

        let views: Value = me.get("/api/v1/views").await.json().await.unwrap();
        let week = views["items"].as_array().unwrap().iter().find(|v| v["name"] == "This Week's Follow-ups").unwrap()["id"].as_str().unwrap().to_owned();
        let page: Value = me.get(&format!("/api/v1/applications?view={week}")).await.json().await.unwrap();
        let companies: Vec<&str> = page["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap()).collect();
        assert_eq!(companies, ["Reminded"], "a reminder due this week is a follow-up too");
    }

    async fn a_retried_create_with_the_same_idempotency_key_gets_the_first_answer(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "retry@example.org").await;
        let post = |key: &'static str, body: Value| {
            let request = app.client.post(app.url("/api/v1/applications")).bearer_auth(&me.token)
                .header("idempotency-key", key).json(&body);
            async move { request.send().await.unwrap() }
        };
        let body = json!({"company": "Acme", "role_title": "SRE"});

        let first = post("create-acme-1", body.clone()).await;
        let retry = post("create-acme-1", body).await;
        let reused = post("create-acme-1", json!({"company": "Other", "role_title": "SRE"})).await;
        let list: Value = me.get("/api/v1/applications").await.json().await.unwrap();

        assert_eq!(first.status(), StatusCode::CREATED);
        let first: Value = first.json().await.unwrap();
        assert_eq!(retry.status(), StatusCode::CREATED);
        assert_eq!(retry.headers()["idempotent-replayed"], "true");
        assert_eq!(retry.headers()["etag"], "W/\"1\"");
        let retry: Value = retry.json().await.unwrap();
        assert_eq!(retry["id"], first["id"]);
        assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "one application, not three");
    }
}

both_backends! {
    async fn status_rules_plan_and_cancel_reminders_and_custom_ones_need_a_parent(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "reminders@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE"})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        let reminders = |query: &str| {
            let request = app.client.get(app.url(&format!("/api/v1/reminders?application_id={id}{query}"))).bearer_auth(&me.token);
            async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
        };

        let applied = reminders("").await;
        me.patch(&id, Some("1"), json!({"notes": "no status change, no new reminder"})).await;
        let unchanged = reminders("").await;
        me.patch(&id, Some("2"), json!({"status": "Offer"})).await;
        let offer = reminders("").await;
        me.patch(&id, Some("3"), json!({"status": "Rejected"})).await;
        let rejected = reminders("").await;
        let all = reminders("&include_canceled=true").await;

        assert_eq!(applied["items"].as_array().unwrap().len(), 1);
        assert_eq!(applied["items"][0]["rule"], "applied_follow_up");
        assert_eq!(applied["items"][0]["channels"], json!(["in_app", "email"]));
        let due: jiff::Timestamp = applied["items"][0]["due_at"].as_str().unwrap().parse().unwrap();
        let in_days = (due.as_second() - jiff::Timestamp::now().as_second()) / 86_400;
        assert!((6..=7).contains(&in_days), "due in {in_days} days");
        assert_eq!(unchanged["items"], applied["items"], "re-saving without a status change plans nothing");
        assert_eq!(offer["items"].as_array().unwrap().len(), 1, "moving on cancels the Applied reminder");
        assert_eq!(offer["items"][0]["rule"], "offer_response");
        assert_eq!(offer["items"][0]["meta"]["repeat_days"], 1);
        assert_eq!(rejected["items"], json!([]), "Rejected plans nothing and cancels what was pending");
        assert_eq!(all["items"].as_array().unwrap().len(), 2);

        let custom = app.client.post(app.url("/api/v1/reminders")).bearer_auth(&me.token)
            .json(&json!({"application_id": id, "title": "Send thank-you note", "due_at": "2030-01-01T09:00:00Z", "channels": ["calendar"]}))
            .send().await.unwrap();
        let orphan = app.client.post(app.url("/api/v1/reminders")).bearer_auth(&me.token)
            .json(&json!({"title": "Floating", "due_at": "2030-01-01T09:00:00Z"})).send().await.unwrap();
        assert_eq!(custom.status(), StatusCode::CREATED);
        let custom: Value = custom.json().await.unwrap();
        let orphan = json_body(orphan, "application/problem+json").await;
        assert_eq!(orphan["errors"][0]["pointer"], "/application_id");

        let reminder_id = custom["id"].as_str().unwrap();
        let reschedule = app.client.patch(app.url(&format!("/api/v1/reminders/{reminder_id}"))).bearer_auth(&me.token)
            .header("if-match", "W/\"1\"").json(&json!({"due_at": "2030-01-02T09:00:00Z", "canceled": true})).send().await.unwrap();
        assert_eq!(reschedule.status(), StatusCode::OK);
        let rescheduled: Value = reschedule.json().await.unwrap();
        assert_eq!(rescheduled["due_at"], "2030-01-02T09:00:00Z");
        assert!(rescheduled["canceled_at"].is_string());
    }
}

both_backends! {
    async fn an_interview_of_any_stage_or_none_gets_its_reminders(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "any-stage@example.org").await;
        let starts = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 10);
        for stage in [json!("technical"), json!("offer"), json!("other"), Value::Null] {
            let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE", "status": "Tech_Screen"})).await.json().await.unwrap();
            let application = created["id"].as_str().unwrap().to_owned();
            let added = app.client.post(app.url(&format!("/api/v1/applications/{application}/activities")))
                .bearer_auth(&me.token)
                .json(&json!({"type": "Interview", "interview_stage": stage, "starts_at": starts.to_string()}))
                .send().await.unwrap();
            assert_eq!(added.status(), StatusCode::CREATED);
            let page: Value = me.get(&format!("/api/v1/reminders?application_id={application}")).await.json().await.unwrap();
            let mut rules: Vec<&str> = page["items"].as_array().unwrap().iter().filter_map(|r| r["rule"].as_str()).collect();
            rules.sort();
            assert_eq!(rules, ["interview_1h", "interview_24h"], "stage {stage}");
        }
    }

    async fn scheduling_an_interview_plans_its_reminders_and_rescheduling_replans_them(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "interviews@example.org").await;
        let created: Value = me.create(json!({"company": "Acme", "role_title": "SRE", "status": "Interview_Loop"})).await.json().await.unwrap();
        let application = created["id"].as_str().unwrap().to_owned();
        let starts = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 10);
        let activity: Value = app.client.post(app.url(&format!("/api/v1/applications/{application}/activities")))
            .bearer_auth(&me.token)
            .json(&json!({"type": "Interview", "interview_stage": "loop", "starts_at": starts.to_string()}))
            .send().await.unwrap().json().await.unwrap();
        let id = activity["id"].as_str().unwrap().to_owned();
        let rules = || {
            let request = app.client.get(app.url(&format!("/api/v1/reminders?application_id={application}"))).bearer_auth(&me.token);
            async move {
                let page: Value = request.send().await.unwrap().json().await.unwrap();
                let mut rules: Vec<String> = page["items"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap_or("custom").to_owned()).collect();
                rules.sort();
                rules
            }
        };

        let planned = rules().await;
        let later = starts + jiff::SignedDuration::from_hours(24);
        let moved = app.client.patch(app.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&me.token)
            .header("if-match", "1").json(&json!({"starts_at": later.to_string()})).send().await.unwrap();
        let replanned = app.client.get(app.url(&format!("/api/v1/reminders?application_id={application}"))).bearer_auth(&me.token)
            .send().await.unwrap().json::<Value>().await.unwrap();
        app.client.patch(app.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&me.token)
            .header("if-match", "2").json(&json!({"status": "canceled"})).send().await.unwrap();
        let after_cancel = rules().await;

        assert_eq!(planned, ["interview_follow_up", "loop_2h", "loop_48h"]);
        assert_eq!(moved.status(), StatusCode::OK);
        let loop_2h = replanned["items"].as_array().unwrap().iter().find(|r| r["rule"] == "loop_2h").unwrap();
        let due: jiff::Timestamp = loop_2h["due_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(due.as_second(), (later - jiff::SignedDuration::from_hours(2)).as_second(), "follows the new time");
        assert_eq!(replanned["items"].as_array().unwrap().len(), 3, "the old ones were cancelled, not kept");
        assert!(after_cancel.is_empty(), "a cancelled interview has no reminders left: {after_cancel:?}");
    }
}

both_backends! {
    async fn lists_filter_by_company_role_location_salary_and_due_reminders(backend: Backend) {
        // Only the mail queue runs: a delivered reminder is no longer pending, and this test
        // is about the filter, not about how soon the worker delivers.
        let app = crate::helpers::spawn_app_with(crate::helpers::TestDatabase::new(backend).await, |c| {
            c.worker.queues = [("mail".to_owned(), 2)].into();
        })
        .await;
        let me = client(&app, "filters@example.org").await;
        let a: Value = me.create(json!({"company": "Acme_Corp", "role_title": "Rust Engineer", "location_mode": "onsite",
            "location_text": "Lagos", "salary_min": 50000, "salary_max": 70000})).await.json().await.unwrap();
        me.create(json!({"company": "Globex 100%", "role_title": "Go Engineer", "salary_min": 90000})).await;
        me.create(json!({"company": "Initech", "role_title": "Manager", "location_mode": "hybrid", "salary_max": 40000})).await;
        app.client.post(app.url("/api/v1/reminders")).bearer_auth(&me.token)
            .json(&json!({"application_id": a["id"], "title": "due now", "due_at": "2020-01-01T00:00:00Z"})).send().await.unwrap();
        let me = &me;
        let companies = |path: String| async move {
            let page: Value = me.get(&path).await.json().await.unwrap();
            let mut names: Vec<String> = page["items"].as_array().unwrap().iter().map(|a| a["company"].as_str().unwrap().to_owned()).collect();
            names.sort();
            names
        };

        assert_eq!(companies("/api/v1/applications?company=acme_".to_owned()).await, ["Acme_Corp"]);
        assert_eq!(companies("/api/v1/applications?company=100%25".to_owned()).await, ["Globex 100%"], "% is matched literally");
        assert_eq!(companies("/api/v1/applications?role=engineer".to_owned()).await, ["Acme_Corp", "Globex 100%"]);
        assert_eq!(companies("/api/v1/applications?location=lagos".to_owned()).await, ["Acme_Corp"]);
        assert_eq!(companies("/api/v1/applications?location=hybrid".to_owned()).await, ["Initech"]);
        assert_eq!(companies("/api/v1/applications?salary_min=60000".to_owned()).await, ["Acme_Corp", "Globex 100%"]);
        assert_eq!(companies("/api/v1/applications?salary_max=45000".to_owned()).await, ["Initech"]);
        assert_eq!(companies("/api/v1/applications?has_due_reminders=true".to_owned()).await, ["Acme_Corp"],
            "the rule reminders are due in a week; only the custom one is due now");

        // The query string follows a saved view's rules: what a view refuses, a list refuses.
        for (query, named) in [("salary_min=-5", "salary_min"), ("status=Applied,Nope", "status/1"),
                               ("from=yesterday", "from"), ("sort=-nope", "sort")] {
            let response = me.get(&format!("/api/v1/applications?{query}")).await;
            assert_eq!(response.status(), 400, "{query}");
            let problem: Value = response.json().await.unwrap();
            assert!(problem["detail"].as_str().unwrap().starts_with(&format!("{named}: ")), "{query}: {problem}");
            let view = app.client.post(app.url("/api/v1/views")).bearer_auth(&me.token)
                .json(&json!({"name": format!("bad {query}"), "filters": serde_json::from_str::<Value>(&match query {
                    "salary_min=-5" => r#"{"salary_min": -5}"#.to_owned(),
                    "status=Applied,Nope" => r#"{"status": ["Applied", "Nope"]}"#.to_owned(),
                    "from=yesterday" => r#"{"from": "yesterday"}"#.to_owned(),
                    _ => r#"{"sort": "-nope"}"#.to_owned(),
                }).unwrap()})).send().await.unwrap();
            assert_eq!(view.status(), 422, "a view with {query}");
        }
    }
}

both_backends! {
    async fn analytics_count_from_the_history_and_keep_waiting_applications(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "analytics@example.org").await;
        let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let make = |company: &'static str, source: &'static str| json!({"company": company, "role_title": "Engineer", "source": source});
        let a: Value = me.create(make("A", "LinkedIn")).await.json().await.unwrap();
        let b: Value = me.create(make("B", "LinkedIn")).await.json().await.unwrap();
        let c: Value = me.create(make("C", "Referral")).await.json().await.unwrap();
        me.create(json!({"company": "D", "role_title": "Engineer", "status": "Saved", "source": "Referral"})).await;
        // A: Applied → Screening → Tech_Screen → Offer (skipping stages still counts as passing them)
        for (version, status) in [(1, "Screening"), (2, "Tech_Screen"), (3, "Offer")] {
            me.patch(a["id"].as_str().unwrap(), Some(&version.to_string()), json!({"status": status})).await;
        }
        // B: Applied → Rejected; C stays Applied (waiting), and is archived.
        me.patch(b["id"].as_str().unwrap(), Some("1"), json!({"status": "Rejected"})).await;
        me.patch(c["id"].as_str().unwrap(), Some("1"), json!({"archived_at": "2026-01-01T00:00:00Z"})).await;
        let me = &me;
        let get = |path: String| async move { me.get(&path).await.json::<Value>().await.unwrap() };

        let summary = get("/api/v1/analytics/summary".to_owned()).await;
        let sources = get("/api/v1/analytics/source-breakdown".to_owned()).await;
        let funnel = get("/api/v1/analytics/stage-conversion".to_owned()).await;
        let stages = get("/api/v1/analytics/time-in-stage".to_owned()).await;
        let trend = get(format!("/api/v1/analytics/trends?group_by=day&from={}&to={today}", today.yesterday().unwrap())).await;
        let bad = me.get("/api/v1/analytics/summary?from=2026-12-01&to=2026-01-01").await;

        assert_eq!(summary["total"], 4);
        assert_eq!(summary["archived"], 1, "archived applications still count");
        assert_eq!(summary["pending_responses"], 1, "C is still waiting");
        assert_eq!(summary["responses"], 2);
        assert_eq!(summary["response_rate"], 2.0 / 3.0);
        assert_eq!(summary["interviews"], 1);
        assert_eq!(summary["offers"], 1);
        assert_eq!(summary["by_status"]["Saved"], 1);
        assert_eq!(sources["items"][0], json!({"source": "LinkedIn", "applications": 2, "sent": 2, "responses": 2, "interviews": 1, "offers": 1}));
        let reached: Vec<i64> = funnel["items"].as_array().unwrap().iter().map(|s| s["reached"].as_i64().unwrap()).collect();
        assert_eq!(reached, [3, 1, 1, 1, 1, 1, 0]);
        assert_eq!(funnel["items"][1]["conversion_from_previous"], 1.0 / 3.0);
        let applied = stages["items"].as_array().unwrap().iter().find(|s| s["stage"] == "Applied").unwrap();
        assert_eq!(applied["completed"], 2);
        assert_eq!(applied["still_in_stage"], 1);
        assert_eq!(trend["items"].as_array().unwrap().len(), 2, "empty days are listed too");
        assert_eq!(trend["items"][1]["applications"], 4);
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}

both_backends! {
    async fn a_user_can_leave_with_all_their_data(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "export@example.org").await;
        let created: Value = me.create(json!({"company": "Acme, Inc.", "role_title": "SRE", "notes": "=cmd|' /C calc'!A0",
            "tags": ["infra", "rust"]})).await.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        me.patch(&id, Some("1"), json!({"status": "Screening"})).await;
        app.client.post(app.url(&format!("/api/v1/applications/{id}/activities"))).bearer_auth(&me.token)
            .json(&json!({"type": "Note", "notes": "called back"})).send().await.unwrap();
        me.create(json!({"company": "Old", "role_title": "Dev", "archived_at": "2026-01-01T00:00:00Z"})).await;

        let json_export = me.get("/api/v1/export").await;
        let csv_export = me.get("/api/v1/export?format=csv").await;
        let bad = me.get("/api/v1/export?format=xml").await;

        assert!(json_export.headers()["content-disposition"].to_str().unwrap().contains("pursuit-export-"));
        let body: Value = json_export.json().await.unwrap();
        assert_eq!(body["applications"].as_array().unwrap().len(), 2, "archived ones too");
        let acme = body["applications"].as_array().unwrap().iter().find(|a| a["id"] == id.as_str()).unwrap();
        assert_eq!(acme["status_history"].as_array().unwrap().len(), 2);
        assert_eq!(acme["activities"][0]["notes"], "called back");
        assert!(body["reminders"].as_array().unwrap().iter().any(|r| r["rule"] == "applied_follow_up"));
        assert_eq!(body["views"].as_array().unwrap().len(), 2);
        assert!(csv_export.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv_export.text().await.unwrap();
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "a header and two applications");
        assert!(lines.iter().any(|l| l.contains("\"Acme, Inc.\"")), "{csv}");
        assert!(csv.contains("'=cmd"), "a formula is defused: {csv}");
        assert!(csv.contains("infra;rust"));
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}

impl Client<'_> {
    async fn put_position(&self, id: &str, body: Value) -> reqwest::Response {
        self.app
            .client
            .put(self.app.url(&format!("/api/v1/applications/{id}/position")))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A column's companies, top first, as the board shows them.
    async fn column(&self, status: &str) -> Vec<String> {
        let url = self.app.url(&crate::helpers::column_path(status));
        crate::helpers::column_companies(self.app.client.get(url).bearer_auth(&self.token)).await
    }
}

both_backends! {
    async fn cards_stay_where_their_owner_puts_them_in_a_column(backend: Backend) {
        let app = spawn_app(backend).await;
        let me = client(&app, "order@example.org").await;
        let mut ids = std::collections::HashMap::new();
        for company in ["A", "B", "C"] {
            let created: Value = me.create(json!({"company": company, "role_title": "Dev"})).await.json().await.unwrap();
            ids.insert(company, created["id"].as_str().unwrap().to_owned());
        }
        let id = |c: &str| ids[c].clone();
        assert_eq!(me.column("Applied").await, ["C", "B", "A"], "the newest arrival on top");

        let placed = me.put_position(&id("A"), json!({"before": id("C")})).await;
        assert_eq!(placed.status(), StatusCode::OK);
        let placed: Value = placed.json().await.unwrap();
        assert_eq!(placed, json!({"id": id("A"), "status": "Applied", "above": null, "below": id("C")}));
        assert_eq!(me.column("Applied").await, ["A", "C", "B"]);
        let again: Value = me.put_position(&id("A"), json!({"before": id("C")})).await.json().await.unwrap();
        assert_eq!(again, placed, "the same placement twice is the same order");
        let a = me.get(&format!("/api/v1/applications/{}", id("A"))).await;
        assert_eq!(a.headers()["etag"], "W/\"1\"", "the order is layout: the version stays");

        me.put_position(&id("B"), json!({"to": "top"})).await;
        assert_eq!(me.column("Applied").await, ["B", "A", "C"]);
        me.put_position(&id("B"), json!({"to": "bottom"})).await;
        assert_eq!(me.column("Applied").await, ["A", "C", "B"]);
        me.put_position(&id("C"), json!({"after": id("B")})).await;
        assert_eq!(me.column("Applied").await, ["A", "B", "C"]);

        // An edit keeps the card in place; entering a column puts it on top.
        assert_eq!(me.patch(&id("B"), Some("W/\"1\""), json!({"notes": "called"})).await.status(), StatusCode::OK);
        assert_eq!(me.column("Applied").await, ["A", "B", "C"]);
        me.patch(&id("C"), Some("W/\"1\""), json!({"status": "Screening"})).await;
        me.patch(&id("C"), Some("W/\"2\""), json!({"status": "Applied"})).await;
        assert_eq!(me.column("Applied").await, ["C", "A", "B"]);

        // Two cards put below A in turn halve the room below A each time, until the column
        // is spread out again; the order stays what was asked for all along.
        me.put_position(&id("A"), json!({"to": "top"})).await;
        for round in 0..70 {
            let (mover, other) = if round % 2 == 0 { ("B", "C") } else { ("C", "B") };
            let placed: Value = me.put_position(&id(mover), json!({"after": id("A")})).await.json().await.unwrap();
            assert_eq!(placed["above"], id("A").as_str(), "round {round}");
            assert_eq!(placed["below"], id(other).as_str(), "round {round}");
        }
        assert_eq!(me.column("Applied").await, ["A", "C", "B"]);

        // Mistakes are named; nothing moves.
        let other_column: Value = me.create(json!({"company": "D", "role_title": "Dev", "status": "Offer"})).await.json().await.unwrap();
        let archived: Value = me.create(json!({"company": "E", "role_title": "Dev", "archived_at": "2026-01-01T00:00:00Z"})).await.json().await.unwrap();
        let cases = [
            (id("A"), json!({}), "", "exactly one"),
            (id("A"), json!({"to": "top", "after": id("B")}), "", "exactly one"),
            (id("A"), json!({"to": "middle"}), "/to", "top or bottom"),
            (id("A"), json!({"before": "B"}), "/before", "UUID"),
            (id("A"), json!({"before": id("A")}), "/before", "itself"),
            (id("A"), json!({"after": other_column["id"]}), "/after", "change the status first"),
            (id("A"), json!({"after": archived["id"]}), "/after", "archived"),
            (id("A"), json!({"after": uuid::Uuid::now_v7().to_string()}), "/after", "no application"),
            (archived["id"].as_str().unwrap().to_owned(), json!({"to": "top"}), "", "unarchive it first"),
        ];
        for (card, body, pointer, words) in cases {
            let response = me.put_position(&card, body.clone()).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let problem = json_body(response, "application/problem+json").await;
            let text = problem.to_string();
            assert!(text.contains(words), "{body}: {text}");
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{body}: {text}");
        }
        assert_eq!(me.column("Applied").await, ["A", "C", "B"]);

        // Another user's card is not found, as the path or as the neighbour.
        let bob = client(&app, "bob-order@example.org").await;
        let bobs: Value = bob.create(json!({"company": "Bob Co", "role_title": "Chef"})).await.json().await.unwrap();
        assert_eq!(bob.put_position(&id("A"), json!({"to": "top"})).await.status(), StatusCode::NOT_FOUND);
        let refused = bob.put_position(bobs["id"].as_str().unwrap(), json!({"before": id("A")})).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!refused.text().await.unwrap().contains("\"A\""));
    }
}
