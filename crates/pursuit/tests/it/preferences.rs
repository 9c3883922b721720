//! Job preferences on both backends: typed values read into one spelling, the tags and the
//! campaign label computed from them, every refusal named by its field with nothing saved,
//! and the page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{json_body, spawn_app};
use crate::matching::send;
use crate::pages::{form, location, page};

both_backends! {
    async fn preferences_are_read_into_one_spelling_and_tagged(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "prefs").await.1;

        let empty = json_body(send(&app, &token, "GET", "/api/v1/job-preferences", None).await, "application/json").await;
        assert_eq!(empty["titles"], json!([]));
        assert_eq!(empty["tags"], json!([]));
        assert_eq!(empty["label"], "");
        assert_eq!(empty["updated_at"], Value::Null);

        let body = json!({
            "titles": ["Backend Engineer", " backend engineer ", "Platform Engineer"],
            "locations": ["Berlin", "Lisbon"],
            "remote": "Fully remote",
            "salary_min": 120000, "salary_max": 160000, "salary_currency": "eur",
            "seniority": ["Sr.", "senior", "Staff"],
            "company_sizes": ["5,001+", "51–200"],
            "industries": ["Fintech"],
            "experience_years_min": 5,
            "willing_to_relocate": true
        });
        let saved = send(&app, &token, "PUT", "/api/v1/job-preferences", Some(body)).await;
        assert_eq!(saved.status(), StatusCode::OK);
        let saved = json_body(saved, "application/json").await;
        assert_eq!(saved["titles"], json!(["Backend Engineer", "Platform Engineer"]), "a repeat is dropped");
        assert_eq!(saved["remote"], "remote_only");
        assert_eq!(saved["seniority"], json!(["senior", "staff"]));
        assert_eq!(saved["company_sizes"], json!(["51-200", "5001+"]));
        assert_eq!(saved["salary_currency"], "EUR");
        assert_eq!(saved["salary_period"], "year", "a salary is yearly unless said");
        assert_eq!(saved["tags"], json!(["senior", "staff", "backend-engineer", "platform-engineer", "remote", "berlin", "lisbon", "size-51-200", "size-5001-plus", "eur-120k-160k", "relocate"]));
        assert_eq!(saved["label"], "Senior Backend Engineer · Remote · Berlin");
        let again = json_body(send(&app, &token, "GET", "/api/v1/job-preferences", None).await, "application/json").await;
        assert_eq!(again, saved);

        // The whole set is replaced: what is left out is empty.
        let replaced = json_body(send(&app, &token, "PUT", "/api/v1/job-preferences", Some(json!({"titles": ["Designer"]}))).await, "application/json").await;
        assert_eq!(replaced["tags"], json!(["designer"]));
        assert_eq!(replaced["salary_period"], Value::Null);
        let audit = json_body(send(&app, &token, "GET", "/api/v1/audit", None).await, "application/json").await;
        let changes = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "preferences.changed").count();
        assert_eq!(changes, 2);

        // Another user's are their own.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "prefs").await.1;
        let bobs = json_body(send(&app, &bob_token, "GET", "/api/v1/job-preferences", None).await, "application/json").await;
        assert_eq!(bobs["titles"], json!([]));
    }

    async fn preferences_that_cannot_be_read_are_refused_by_field(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "prefs").await.1;
        send(&app, &token, "PUT", "/api/v1/job-preferences", Some(json!({"titles": ["Kept"]}))).await;
        let many: Vec<String> = (0..21).map(|i| format!("Title {i}")).collect();
        let cases = [
            (json!({"salary_min": 90000, "salary_max": 50000, "salary_currency": "USD"}), "/salary_min"),
            (json!({"salary_min": 90000}), "/salary_currency"),
            (json!({"salary_min": 90000, "salary_currency": "dollars"}), "/salary_currency"),
            (json!({"salary_max": 1_000_000_000i64, "salary_currency": "USD"}), "/salary_max"),
            (json!({"salary_min": -5, "salary_currency": "USD"}), "/salary_min"),
            (json!({"salary_min": 5, "salary_currency": "USD", "salary_period": "fortnight"}), "/salary_period"),
            (json!({"remote": "on the moon"}), "/remote"),
            (json!({"seniority": ["senior", "wizard"]}), "/seniority/1"),
            (json!({"company_sizes": ["huge"]}), "/company_sizes/0"),
            (json!({"titles": many}), "/titles"),
            (json!({"titles": ["ok", "  "]}), "/titles/1"),
            (json!({"locations": ["Ber\u{0}lin"]}), "/locations/0"),
            (json!({"experience_years_min": 70}), "/experience_years_min"),
            (json!({"experience_years_min": 9, "experience_years_max": 3}), "/experience_years_min"),
        ];
        for (body, field) in cases {
            let response = send(&app, &token, "PUT", "/api/v1/job-preferences", Some(body.clone())).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let problem = json_body(response, "application/problem+json").await;
            assert!(problem.to_string().contains(field), "{body}: {problem}");
        }
        let unknown = send(&app, &token, "PUT", "/api/v1/job-preferences", Some(json!({"hobbies": ["chess"]}))).await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let kept = json_body(send(&app, &token, "GET", "/api/v1/job-preferences", None).await, "application/json").await;
        assert_eq!(kept["titles"], json!(["Kept"]), "a refused change saved something");
    }

    async fn the_preferences_page_saves_and_shows_the_tags(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let html = page(&app, "/preferences", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("No preferences yet"), "{html}");
        assert!(page(&app, "/settings", Some(cookie)).await.text().await.unwrap().contains(r#"href="/preferences""#));

        let refused = form(&app, "/preferences", Some(cookie), &[
            ("csrf", csrf), ("titles", "Data Analyst"), ("salary_min", "lots"), ("remote", "hybrid"),
        ]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Data Analyst") && html.contains(r#"value="lots""#) && html.contains("whole number"), "{html}");

        let saved = form(&app, "/preferences", Some(cookie), &[
            ("csrf", csrf), ("titles", "Data Analyst\nBI Developer\n"), ("locations", "Toronto"), ("remote", "hybrid"),
            ("seniority", "mid"), ("company_sizes", "201-1000"), ("salary_min", "85,000"), ("salary_max", ""),
            ("salary_currency", "cad"), ("salary_period", "year"), ("industries", "Retail, Health"),
        ]).await;
        assert_eq!(location(&saved), "/preferences?saved=1");
        let html = page(&app, "/preferences?saved=1", Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("Preferences saved."));
        assert!(html.contains("Mid-level Data Analyst · Hybrid · Toronto"), "{html}");
        for tag in ["data-analyst", "bi-developer", "hybrid", "toronto", "size-201-1000", "cad-85k-plus"] {
            assert!(html.contains(&format!(r#"<span class="tag">{tag}</span>"#)), "{tag} in {html}");
        }
        assert!(html.contains(r#"value="hybrid" checked"#) && html.contains("Retail, Health"));
        let forged = form(&app, "/preferences", Some(cookie), &[("titles", "x")]).await;
        assert!(forged.status().is_client_error());
    }
}
