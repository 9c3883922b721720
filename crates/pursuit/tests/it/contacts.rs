//! Contacts on both backends: each field checked and named, one contact per address, the
//! time zone that defaults to the company's headquarters, an application's targets, and
//! the tracker's contact rows promoted into contacts (when written, and once for the rows
//! stored before).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, json_body, spawn_app};
use crate::matching::send;

async fn problem(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, String) {
    let response = send(app, token, method, path, Some(body)).await;
    let status = response.status();
    (
        status,
        json_body(response, "application/problem+json")
            .await
            .to_string(),
    )
}

both_backends! {
    async fn a_contact_is_checked_field_by_field_and_takes_its_companys_zone(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "contacts").await.1;

        let made = send(&app, &token, "POST", "/api/v1/contacts", Some(json!({
            "full_name": "Dana Reyes", "role_title": "Head of Platform", "email": "Dana.Reyes@Northwind.example",
            "linkedin_url": "https://www.linkedin.com/in/dana-reyes", "phone": "+49 30 1234567",
            "notes": "Met at RustConf.\nAsked me to write.", "company": "Northwind GmbH"
        }))).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let location = made.headers()["location"].to_str().unwrap().to_owned();
        let dana = json_body(made, "application/json").await;
        assert_eq!(location, format!("/api/v1/contacts/{}", dana["id"].as_str().unwrap()));
        assert_eq!((dana["company"]["name"].as_str(), dana["time_zone"].as_str(), dana["time_zone_from"].as_str()), (Some("Northwind GmbH"), None, None), "{dana:#}");
        let company = dana["company"]["id"].as_str().unwrap().to_owned();

        // The company's headquarters zone is the contact's until the contact has its own.
        let hq = send(&app, &token, "PATCH", &format!("/api/v1/companies/{company}"), Some(json!({"time_zone": "Europe/Berlin"}))).await;
        assert_eq!(hq.status(), StatusCode::OK);
        let dana = json_body(send(&app, &token, "GET", &location, None).await, "application/json").await;
        assert_eq!((dana["time_zone"].as_str(), dana["time_zone_from"].as_str()), (Some("Europe/Berlin"), Some("company")));
        let own = json_body(send(&app, &token, "PATCH", &location, Some(json!({"time_zone": "America/New_York"}))).await, "application/json").await;
        assert_eq!((own["time_zone"].as_str(), own["time_zone_from"].as_str()), (Some("America/New_York"), Some("contact")));
        assert_eq!(own["role_title"], "Head of Platform", "a field left out keeps its value");
        let back = json_body(send(&app, &token, "PATCH", &location, Some(json!({"time_zone": null, "phone": null}))).await, "application/json").await;
        assert_eq!((back["time_zone"].as_str(), back["time_zone_from"].as_str(), back["phone"].as_str()), (Some("Europe/Berlin"), Some("company"), None));

        // One contact per address, whatever its case: the conflict names the contact.
        let (status, detail) = problem(&app, &token, "POST", "/api/v1/contacts", json!({"full_name": "D. Reyes", "email": "dana.reyes@northwind.EXAMPLE"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(detail.contains("email") && detail.contains("Dana Reyes"), "{detail}");
        let sam = json_body(send(&app, &token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Sam Okafor", "email": "sam@northwind.example", "company_id": company}))).await, "application/json").await;
        let (status, _) = problem(&app, &token, "PATCH", &format!("/api/v1/contacts/{}", sam["id"].as_str().unwrap()), json!({"email": "DANA.REYES@northwind.example"})).await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Every bad field named at once; nothing stored.
        let (status, detail) = problem(&app, &token, "POST", "/api/v1/contacts", json!({
            "full_name": " ", "email": "not-an-address", "time_zone": "Mars/Olympus", "linkedin_url": "https://evil.example/in/x", "phone": "call me"
        })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["full_name", "email", "time_zone", "linkedin_url", "phone"] {
            assert!(detail.contains(field), "{field}: {detail}");
        }
        for name in ["Dana\u{2028}Bcc: x@evil.example", "Dana\r\nBcc: x@evil.example", "Dana\u{0}"] {
            let (status, detail) = problem(&app, &token, "POST", "/api/v1/contacts", json!({"full_name": name})).await;
            assert!(matches!(status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST), "{name:?}: {status} {detail}");
        }
        let (status, _) = problem(&app, &token, "PATCH", &location, json!({"full_name": ""})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let listed = json_body(send(&app, &token, "GET", &format!("/api/v1/contacts?company_id={company}"), None).await, "application/json").await;
        let names: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Dana Reyes", "Sam Okafor"]);

        // Another user's company is not a company of Bob's.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "contacts").await.1;
        let (status, detail) = problem(&app, &bob_token, "POST", "/api/v1/contacts", json!({"full_name": "X", "company_id": company})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(detail.contains("company_id"), "{detail}");
        // The same address is Bob's to use: unique per user.
        let bobs = send(&app, &bob_token, "POST", "/api/v1/contacts", Some(json!({"full_name": "Dana Reyes", "email": "dana.reyes@northwind.example"}))).await;
        assert_eq!(bobs.status(), StatusCode::CREATED);

        assert_eq!(send(&app, &token, "DELETE", &location, None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "GET", &location, None).await.status(), StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn the_trackers_contact_rows_become_contacts_and_targets(backend: Backend) {
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &ana, "contacts").await.1;
        let first = json_body(send(&app, &token, "POST", "/api/v1/applications", Some(json!({
            "company": "Northwind", "role_title": "Platform Engineer",
            "contacts_inline": [
                {"name": "Dana Reyes", "role": "Hiring Manager", "email": "Dana@Northwind.example", "timezone": "Europe/Berlin"},
                {"name": "Sam Okafor", "role": "Recruiter"},
                {"role": "someone at the desk"}
            ]
        }))).await, "application/json").await;
        let first_id = first["id"].as_str().unwrap().to_owned();
        let targets = json_body(send(&app, &token, "GET", &format!("/api/v1/applications/{first_id}/targets"), None).await, "application/json").await;
        let people: Vec<(&str, Option<&str>, Option<&str>)> = targets["items"].as_array().unwrap().iter()
            .map(|c| (c["full_name"].as_str().unwrap(), c["email"].as_str(), c["role_title"].as_str())).collect();
        assert_eq!(people, [("Dana Reyes", Some("Dana@Northwind.example"), Some("Hiring Manager")), ("Sam Okafor", None, Some("Recruiter"))]);
        let dana = targets["items"][0].clone();
        assert_eq!((dana["time_zone"].as_str(), dana["company"]["name"].as_str()), (Some("Europe/Berlin"), Some("Northwind")));
        let dana_id = dana["id"].as_str().unwrap().to_owned();

        // The same address on another application is the same person; what the contact
        // already says is kept.
        let second = json_body(send(&app, &token, "POST", "/api/v1/applications", Some(json!({
            "company": "Northwind", "role_title": "SRE",
            "contacts_inline": [{"name": "Dana R.", "role": "VP Engineering", "email": "dana@northwind.EXAMPLE", "linkedin": "https://www.linkedin.com/in/dana"}]
        }))).await, "application/json").await;
        let second_id = second["id"].as_str().unwrap().to_owned();
        let dana = json_body(send(&app, &token, "GET", &format!("/api/v1/contacts/{dana_id}"), None).await, "application/json").await;
        assert_eq!((dana["full_name"].as_str(), dana["role_title"].as_str(), dana["linkedin_url"].as_str()), (Some("Dana Reyes"), Some("Hiring Manager"), Some("https://www.linkedin.com/in/dana")), "{dana:#}");
        let on: Vec<&str> = dana["applications"].as_array().unwrap().iter().map(|a| a["role_title"].as_str().unwrap()).collect();
        assert_eq!(on.len(), 2, "{on:?}");
        let all = json_body(send(&app, &token, "GET", "/api/v1/contacts", None).await, "application/json").await;
        assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all:#}");

        // A row added on the tracker becomes a target; a row with a bad address keeps the name.
        let changed = app.client.patch(app.url(&format!("/api/v1/applications/{second_id}"))).bearer_auth(&token)
            .header("if-match", "W/\"1\"")
            .json(&json!({"contacts_inline": [{"name": "Dana R.", "email": "dana@northwind.example"}, {"name": "Lee Park", "email": "lee@@bad", "role": "CTO"}]}))
            .send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK, "{:?}", changed.text().await);
        let targets = json_body(send(&app, &token, "GET", &format!("/api/v1/applications/{second_id}/targets"), None).await, "application/json").await;
        let names: Vec<&str> = targets["items"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Dana Reyes", "Lee Park"]);

        // Targets by hand: add Sam to the second, take Lee off.
        let sam = json_body(send(&app, &token, "GET", &format!("/api/v1/applications/{first_id}/targets"), None).await, "application/json").await["items"][1]["id"].as_str().unwrap().to_owned();
        let added = json_body(send(&app, &token, "POST", &format!("/api/v1/applications/{second_id}/targets"), Some(json!({"contact_id": sam}))).await, "application/json").await;
        assert_eq!(added["items"].as_array().unwrap().len(), 3);
        let lee = added["items"].as_array().unwrap().iter().find(|c| c["full_name"] == "Lee Park").unwrap()["id"].as_str().unwrap().to_owned();
        assert_eq!(send(&app, &token, "DELETE", &format!("/api/v1/applications/{second_id}/targets/{lee}"), None).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(send(&app, &token, "DELETE", &format!("/api/v1/applications/{second_id}/targets/{lee}"), None).await.status(), StatusCode::NOT_FOUND);
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob_token = api_token(&app, &bob, "contacts").await.1;
        let bobs_app = json_body(send(&app, &bob_token, "POST", "/api/v1/applications", Some(json!({"company": "Acme", "role_title": "X"}))).await, "application/json").await;
        let (status, detail) = problem(&app, &bob_token, "POST", &format!("/api/v1/applications/{}/targets", bobs_app["id"].as_str().unwrap()), json!({"contact_id": sam})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "Ana's contact is not Bob's: {detail}");

        // The rows stored before contacts had a table are promoted once at start-up.
        for sql in ["DELETE FROM application_contacts", "DELETE FROM contacts", "DELETE FROM backfills"] {
            app.db.execute(pursuit_store::sql::Query::dynamic(sql.to_owned())).await.unwrap();
        }
        let read = pursuit_app::contacts::promote_stored(&app.db, jiff::Timestamp::now()).await.unwrap();
        assert_eq!(read, 2);
        let again = pursuit_app::contacts::promote_stored(&app.db, jiff::Timestamp::now()).await.unwrap();
        assert_eq!(again, 0, "once per database");
        let all = json_body(send(&app, &token, "GET", "/api/v1/contacts", None).await, "application/json").await;
        let names: Vec<&str> = all["items"].as_array().unwrap().iter().map(|c| c["full_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Dana Reyes", "Lee Park", "Sam Okafor"], "{all:#}");
    }
}

both_backends! {
    async fn contacts_are_added_changed_and_removed_from_their_pages(backend: Backend) {
        use crate::pages::{form, location, page};
        let app = spawn_app(backend).await;
        let ana = sign_in(&app, "ana@example.com", 1).await;
        let (cookie, csrf) = (ana.cookie.as_str(), ana.csrf.as_str());
        let empty = page(&app, "/contacts", Some(cookie)).await.text().await.unwrap();
        assert!(empty.contains("No contacts yet") && empty.contains("aria-current=\"page\">Contacts"), "{empty}");

        // A refusal keeps what was typed and names the field.
        let refused = form(&app, "/contacts", Some(cookie), &[("csrf", csrf), ("full_name", "Dana Reyes"), ("email", "dana@"), ("company", "Northwind"), ("notes", "keep me")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(html.contains("email") && html.contains("keep me") && html.contains("value=\"Dana Reyes\""), "{html}");

        let added = form(&app, "/contacts", Some(cookie), &[("csrf", csrf), ("full_name", "Dana Reyes"), ("email", "dana@northwind.example"), ("company", "Northwind"), ("time_zone", "Europe/Berlin")]).await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let at = location(&added).split('?').next().unwrap().to_owned();
        let html = page(&app, location(&added), Some(cookie)).await.text().await.unwrap();
        assert!(html.contains("<h1>Dana Reyes</h1>") && html.contains("Contact added.") && html.contains("Not a target of any application yet"), "{html}");

        // Changed: an empty zone clears it.
        let saved = form(&app, &at, Some(cookie), &[("csrf", csrf), ("full_name", "Dana Reyes"), ("role_title", "Head of Platform"), ("email", "dana@northwind.example"), ("company", "Northwind"), ("time_zone", "")]).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let id = at.trim_start_matches("/contacts/");
        let token = api_token(&app, &ana, "contacts").await.1;
        let now = json_body(send(&app, &token, "GET", &format!("/api/v1/contacts/{id}"), None).await, "application/json").await;
        assert_eq!((now["role_title"].as_str(), now["time_zone"].as_str()), (Some("Head of Platform"), None), "{now:#}");

        let list = page(&app, "/contacts", Some(cookie)).await.text().await.unwrap();
        assert!(list.contains(&format!("href=\"/contacts/{id}\">Dana Reyes</a>")), "{list}");
        let company = now["company"]["id"].as_str().unwrap();
        let company_page = page(&app, &format!("/companies/{company}"), Some(cookie)).await.text().await.unwrap();
        assert!(company_page.contains("People at Northwind") && company_page.contains(&format!("/contacts/{id}")), "{company_page}");
        let prefilled = page(&app, &format!("/contacts?company_id={company}"), Some(cookie)).await.text().await.unwrap();
        assert!(prefilled.contains("name=\"company\" value=\"Northwind\""), "{prefilled}");

        let bob = sign_in(&app, "bob@example.com", 1).await;
        assert_eq!(page(&app, &at, Some(&bob.cookie)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(form(&app, &format!("{at}/delete"), Some(&bob.cookie), &[("csrf", &bob.csrf)]).await.status(), StatusCode::NOT_FOUND);
        let removed = form(&app, &format!("{at}/delete"), Some(cookie), &[("csrf", csrf)]).await;
        assert_eq!(location(&removed), "/contacts?removed=1");
        assert_eq!(page(&app, &at, Some(cookie)).await.status(), StatusCode::NOT_FOUND);
    }
}
