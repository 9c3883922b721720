//! The profile and projects on both backends: typed, checked field by field with nothing
//! half-saved, imported from the active resume version and from JSON Resume without
//! overwriting what the user wrote, and the pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{json_body, spawn_app};
use crate::matching::{RESUME, add_resume, send};
use crate::pages::{form, location, page};

both_backends! {
    async fn the_profile_is_kept_whole_and_checked_by_field(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "profile").await.1;
        let empty = json_body(send(&app, &token, "GET", "/api/v1/profile", None).await, "application/json").await;
        assert_eq!(empty["full_name"], "");
        assert_eq!(empty["updated_at"], Value::Null);

        let body = json!({"full_name": " Ana Lima ", "headline": "Staff Accountant", "email": "ana@example.org",
            "linkedin_url": "https://www.linkedin.com/in/ana", "summary": "Line one\r\nLine two", "skills": ["Excel", "excel", "QuickBooks"]});
        let saved = json_body(send(&app, &token, "PUT", "/api/v1/profile", Some(body)).await, "application/json").await;
        assert_eq!(saved["full_name"], "Ana Lima");
        assert_eq!(saved["summary"], "Line one\nLine two");
        assert_eq!(saved["skills"], json!(["Excel", "QuickBooks"]));
        assert!(saved["updated_at"].is_string());

        let cases = [
            (json!({"email": "not-an-email"}), "/email"),
            (json!({"linkedin_url": "javascript:alert(1)"}), "/linkedin_url"),
            (json!({"website_url": "ftp://files.example.com"}), "/website_url"),
            (json!({"full_name": "x".repeat(121)}), "/full_name"),
            (json!({"headline": "two\nlines"}), "/headline"),
            (json!({"summary": "nul\u{0}here"}), "/summary"),
            (json!({"skills": ["Excel", " "]}), "/skills/1"),
        ];
        for (body, field) in cases {
            let response = send(&app, &token, "PUT", "/api/v1/profile", Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let problem = json_body(response, "application/problem+json").await;
            assert!(problem.to_string().contains(field), "{body}: {problem}");
        }
        let kept = json_body(send(&app, &token, "GET", "/api/v1/profile", None).await, "application/json").await;
        assert_eq!(kept, saved, "a refused profile changed something");
    }

    async fn projects_are_added_changed_and_removed(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "profile").await.1;
        let created = send(&app, &token, "POST", "/api/v1/projects", Some(json!({
            "title": "Close automation", "role": "Author", "technologies": ["Python", "Excel"],
            "start": "2023-02-14", "highlights": ["Automated 30 reconciliations"], "url": "https://example.org/close"
        }))).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let location = created.headers()["location"].to_str().unwrap().to_owned();
        let project = json_body(created, "application/json").await;
        assert_eq!(project["start"], "2023-02", "kept to the month");
        assert_eq!(project["end"], Value::Null);
        assert_eq!(location, format!("/api/v1/projects/{}", project["id"].as_str().unwrap()));

        let second = json_body(send(&app, &token, "POST", "/api/v1/projects", Some(json!({"title": "Budget tool"}))).await, "application/json").await;
        assert_eq!(second["position"], 1);
        let list = json_body(send(&app, &token, "GET", "/api/v1/projects", None).await, "application/json").await;
        let titles: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Close automation", "Budget tool"]);

        let changed = json_body(send(&app, &token, "PATCH", &location, Some(json!({"end": "2024", "featured": true}))).await, "application/json").await;
        assert_eq!((changed["end"].as_str(), changed["featured"].as_bool(), changed["role"].as_str()), (Some("2024"), Some(true), Some("Author")));
        let reopened = json_body(send(&app, &token, "PATCH", &location, Some(json!({"end": null}))).await, "application/json").await;
        assert_eq!(reopened["end"], Value::Null);

        for (body, field) in [
            (json!({"title": ""}), "/title"),
            (json!({"start": "2025-01", "end": "2024-12"}), "/start"),
            (json!({"start": "March 2024"}), "/start"),
            (json!({"url": "not a link"}), "/url"),
            (json!({"technologies": ["ok", ""]}), "/technologies/1"),
        ] {
            let response = send(&app, &token, "PATCH", &location, Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(json_body(response, "application/problem+json").await.to_string().contains(field), "{body}");
        }
        let missing_title = send(&app, &token, "POST", "/api/v1/projects", Some(json!({"role": "x"}))).await;
        assert_eq!(missing_title.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let unchanged = json_body(send(&app, &token, "GET", &location, None).await, "application/json").await;
        assert_eq!(unchanged["title"], "Close automation");

        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "profile").await.1;
        assert_eq!(send(&app, &bob_token, "GET", &location, None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(send(&app, &bob_token, "DELETE", &location, None).await.status(), StatusCode::NOT_FOUND);

        assert_eq!(send(&app, &token, "DELETE", &location, None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "GET", &location, None).await.status(), StatusCode::NOT_FOUND);
        let audit = json_body(send(&app, &token, "GET", "/api/v1/audit", None).await, "application/json").await;
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for action in ["project.added", "project.changed", "project.removed"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }

    async fn imports_fill_only_what_is_empty(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "profile").await.1;
        let early = send(&app, &token, "POST", "/api/v1/profile/import", Some(json!({"source": "resume"}))).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "no resume yet");

        // What the user typed stays.
        send(&app, &token, "PUT", "/api/v1/profile", Some(json!({"headline": "Accounting lead", "skills": ["Excel"]}))).await;
        add_resume(&app, &token, RESUME).await;
        let imported = json_body(send(&app, &token, "POST", "/api/v1/profile/import", Some(json!({"source": "resume"}))).await, "application/json").await;
        assert_eq!(imported["profile"]["full_name"], "Ana Lima", "{imported:#}");
        assert_eq!(imported["profile"]["email"], "ana@example.org");
        assert_eq!(imported["profile"]["headline"], "Accounting lead", "overwrote what the user typed");
        assert!(imported["filled"].as_array().unwrap().contains(&json!("full_name")));
        let skills = imported["profile"]["skills"].as_array().unwrap();
        assert_eq!(skills[0], "Excel");
        assert!(skills.iter().any(|s| s == "QuickBooks"), "{skills:?}");
        let again = json_body(send(&app, &token, "POST", "/api/v1/profile/import", Some(json!({"source": "resume"}))).await, "application/json").await;
        assert_eq!((again["filled"].as_array().unwrap().len(), again["skills_added"].as_u64()), (0, Some(0)), "{again}");

        send(&app, &token, "POST", "/api/v1/projects", Some(json!({"title": "Budget Tool"}))).await;
        let document = json!({
            "basics": {"name": "Someone Else", "phone": "+1 555 0100", "url": "https://ana.example.org",
                "location": {"city": "Lisbon", "countryCode": "PT"},
                "profiles": [{"network": "GitHub", "username": "analima"}]},
            "skills": [{"name": "Accounting", "keywords": ["IFRS", "Excel"]}],
            "projects": [
                {"name": "budget tool", "description": "A repeat"},
                {"name": "Audit tracker", "startDate": "2022-01-15", "endDate": "2022-06", "highlights": ["Tracked 120 findings"], "keywords": ["SQL"], "roles": ["Creator"]}
            ]
        });
        let json_import = send(&app, &token, "POST", "/api/v1/profile/import", Some(json!({"source": "json_resume", "document": document}))).await;
        assert_eq!(json_import.status(), StatusCode::OK);
        let json_import = json_body(json_import, "application/json").await;
        assert_eq!(json_import["profile"]["full_name"], "Ana Lima", "a name already given stays");
        assert_eq!(json_import["profile"]["phone"], "+1 555 0100");
        assert_eq!(json_import["profile"]["location"], "Lisbon, PT");
        assert_eq!(json_import["profile"]["github_url"], "https://github.com/analima");
        assert_eq!((json_import["projects_added"].as_u64(), json_import["projects_skipped"].as_u64()), (Some(1), Some(1)));
        assert_eq!(json_import["skills_added"], 2, "Accounting and IFRS; Excel is there: {json_import}");
        let projects = json_body(send(&app, &token, "GET", "/api/v1/projects", None).await, "application/json").await;
        let tracker = projects["items"].as_array().unwrap().iter().find(|p| p["title"] == "Audit tracker").unwrap().clone();
        assert_eq!((tracker["start"].as_str(), tracker["end"].as_str(), tracker["role"].as_str()), (Some("2022-01"), Some("2022-06"), Some("Creator")));

        for (body, field) in [
            (json!({"source": "json_resume"}), "/document"),
            (json!({"source": "json_resume", "document": [1, 2]}), "document"),
            (json!({"source": "json_resume", "document": {"basics": {"email": "nope"}}}), "/email"),
            (json!({"source": "json_resume", "document": {"projects": [{"name": "ok"}, {"name": "x", "startDate": "soon"}]}}), "/projects/1/start"),
            (json!({"source": "resume", "document": {}}), "/document"),
        ] {
            let response = send(&app, &token, "POST", "/api/v1/profile/import", Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(json_body(response, "application/problem+json").await.to_string().contains(field), "{body}");
        }
        let count = json_body(send(&app, &token, "GET", "/api/v1/projects", None).await, "application/json").await["items"].as_array().unwrap().len();
        assert_eq!(count, 2, "a refused import added a project");
    }

    async fn the_profile_page_saves_imports_and_keeps_projects(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let html = page(&app, "/profile", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Nothing here yet") && html.contains("No projects yet") && html.contains("No resume read yet"), "{html}");
        assert!(page(&app, "/resume", Some(cookie)).await.text().await.unwrap().contains(r#"href="/profile""#));

        let refused = form(&app, "/profile", Some(cookie), &[("csrf", csrf), ("full_name", "Ana Lima"), ("email", "ana@")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains(r#"value="Ana Lima""#) && html.contains("email address"), "{html}");
        let saved = form(&app, "/profile", Some(cookie), &[("csrf", csrf), ("full_name", "Ana Lima"), ("skills", "Excel, QuickBooks,\nSQL")]).await;
        assert_eq!(location(&saved), "/profile?saved=1");
        let token = api_token(&app, &ana, "profile").await.1;
        let profile = json_body(send(&app, &token, "GET", "/api/v1/profile", None).await, "application/json").await;
        assert_eq!(profile["skills"], json!(["Excel", "QuickBooks", "SQL"]));

        let bad = form(&app, "/profile/projects", Some(cookie), &[("csrf", csrf), ("title", "Audit tracker"), ("start", "2024-14")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = bad.text().await.unwrap();
        assert!(html.contains(r#"value="Audit tracker""#) && html.contains("2024-03"), "{html}");
        let added = form(&app, "/profile/projects", Some(cookie), &[("csrf", csrf), ("title", "Audit tracker"), ("start", "2024-01"), ("highlights", "Tracked 120 findings\n\nCut follow-up time in half"), ("technologies", "SQL, Excel")]).await;
        assert_eq!(location(&added), "/profile?project=added#projects");
        let projects = json_body(send(&app, &token, "GET", "/api/v1/projects", None).await, "application/json").await;
        let project = projects["items"][0].clone();
        assert_eq!(project["highlights"], json!(["Tracked 120 findings", "Cut follow-up time in half"]));
        let id = project["id"].as_str().unwrap();
        let edit = page(&app, &format!("/profile/projects/{id}"), Some(cookie)).await.text().await.unwrap();
        assert!(edit.contains("Tracked 120 findings") && edit.contains(r#"value="SQL, Excel""#), "{edit}");
        let changed = form(&app, &format!("/profile/projects/{id}"), Some(cookie), &[("csrf", csrf), ("title", "Audit tracker 2"), ("start", "2024-01"), ("end", "2024-06")]).await;
        assert_eq!(location(&changed), "/profile?project=saved#projects");
        let html = page(&app, "/profile", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Audit tracker 2") && html.contains("2024-01 – 2024-06"), "{html}");

        add_resume(&app, &token, RESUME).await;
        let imported = form(&app, "/profile/import-resume", Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(imported.status(), StatusCode::OK);
        let html = imported.text().await.unwrap();
        assert!(html.contains("Imported: filled") && html.contains("What you had written is unchanged"), "{html}");
        let bad_json = form(&app, "/profile/import-json", Some(cookie), &[("csrf", csrf), ("document", "{not json")]).await;
        assert_eq!(bad_json.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_json.text().await.unwrap().contains("{not json"), "the pasted text is kept");

        let removed = form(&app, &format!("/profile/projects/{id}/delete"), Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), "/profile?project=removed#projects");
        assert_eq!(page(&app, &format!("/profile/projects/{id}"), Some(cookie)).await.status(), StatusCode::NOT_FOUND);
    }
}
