//! The web app's pages over HTTP on both backends: where a signed-out browser is sent, the
//! sign-in form, the board (columns, empty state, escaping), quick-add with its CSRF field
//! and validation that keeps what was typed, and signing out.

use reqwest::StatusCode;

use crate::auth::{outbox_message_for, sign_in};
use crate::helpers::{TestApp, spawn_app};

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

async fn form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("origin", &app.address)
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

both_backends! {
    async fn a_signed_out_browser_is_sent_to_sign_in_and_can_ask_for_a_link(backend: Backend) {
        let app = spawn_app(backend).await;

        let home = page(&app, "/", None).await;
        let board = page(&app, "/board", None).await;
        let sign_in_page = page(&app, "/sign-in", None).await;
        let content_type = sign_in_page.headers()["content-type"].to_str().unwrap().to_owned();
        let sign_in_html = sign_in_page.text().await.unwrap();
        let bad = form(&app, "/sign-in", None, &[("email", "not-an-address")]).await;
        let bad_status = bad.status();
        let bad_html = bad.text().await.unwrap();
        let sent = form(&app, "/sign-in", None, &[("email", "page@example.org")]).await;
        let sent_status = sent.status();
        let sent_html = sent.text().await.unwrap();
        let cross_site = app.client.post(app.url("/sign-in")).header("origin", "https://evil.example")
            .form(&[("email", "victim@example.org")]).send().await.unwrap();
        // What a browser sends under `Referrer-Policy: no-referrer`: Origin null + Fetch metadata.
        let same_site_null = app.client.post(app.url("/sign-in")).header("origin", "null").header("sec-fetch-site", "same-origin")
            .form(&[("email", "null-origin@example.org")]).send().await.unwrap();
        let cross_site_null = app.client.post(app.url("/sign-in")).header("origin", "null").header("sec-fetch-site", "cross-site")
            .form(&[("email", "victim@example.org")]).send().await.unwrap();
        let bare_null = app.client.post(app.url("/sign-in")).header("origin", "null")
            .form(&[("email", "victim@example.org")]).send().await.unwrap();

        assert_eq!((home.status(), location(&home)), (StatusCode::SEE_OTHER, "/sign-in"));
        assert_eq!((board.status(), location(&board)), (StatusCode::SEE_OTHER, "/sign-in"));
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(sign_in_html.contains(r#"<label for="email">Email address</label>"#), "{sign_in_html}");
        assert!(sign_in_html.contains(r#"<form method="post" action="/sign-in""#));
        assert_eq!(bad_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_html.contains("Enter an email address") && bad_html.contains(r#"value="not-an-address""#), "what was typed is kept: {bad_html}");
        assert_eq!(sent_status, StatusCode::OK);
        assert!(sent_html.contains("a link is on its way"), "{sent_html}");
        assert!(outbox_message_for(&app, "page@example.org", 1).await.contains("/auth/magic-link?token="));
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
        assert_eq!(same_site_null.status(), StatusCode::OK);
        assert_eq!(cross_site_null.status(), StatusCode::FORBIDDEN);
        assert_eq!(bare_null.status(), StatusCode::FORBIDDEN);
        let css = page(&app, "/assets/app.css", None).await;
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    }

    async fn the_board_shows_columns_adds_applications_and_escapes_what_users_typed(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "board@example.org", 1).await;
        let cookie = Some(browser.cookie.as_str());

        let home = page(&app, "/", cookie).await;
        let empty = page(&app, "/board", cookie).await.text().await.unwrap();
        let without_token = form(&app, "/board/applications", cookie, &[("company", "Acme"), ("role_title", "Chef")]).await;
        let invalid = form(&app, "/board/applications", cookie, &[("csrf", &browser.csrf), ("company", ""), ("role_title", "Kept role")]).await;
        let invalid_status = invalid.status();
        let invalid_html = invalid.text().await.unwrap();
        let added = form(&app, "/board/applications", cookie, &[
            ("csrf", &browser.csrf), ("company", "<script>alert(1)</script> & Co"), ("role_title", "Engineer \"II\""), ("status", "Screening"),
        ]).await;
        let board = page(&app, "/board", cookie).await.text().await.unwrap();
        let listed: serde_json::Value = app.client.get(app.url("/api/v1/applications")).header("cookie", &browser.cookie)
            .send().await.unwrap().json().await.unwrap();

        assert_eq!(location(&home), "/board");
        for label in ["Saved", "Applied", "Screening", "Recruiter call", "Interview loop", "Offer", "Rejected"] {
            assert!(empty.contains(&format!(">{label} <span class=\"count\">")), "column {label} missing");
        }
        assert!(empty.contains("No applications yet — add your first"), "{empty}");
        assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
        assert_eq!(invalid_status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid_html.contains(r#"id="company-error""#) && invalid_html.contains(r#"value="Kept role""#), "{invalid_html}");
        assert_eq!((added.status(), location(&added)), (StatusCode::SEE_OTHER, "/board"));
        assert!(board.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Co"), "{board}");
        assert!(!board.contains("<script>alert"), "no markup from user values");
        assert!(board.contains("Engineer &quot;II&quot;"));
        assert!(!board.contains("No applications yet"));
        let screening = board.split("data-status=\"Screening\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(screening.contains("&lt;script&gt;"), "the card is in its status's column");
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "the quick-add went through the same create path");
        assert_eq!(listed["items"][0]["status"], "Screening");
    }

    async fn the_sidebar_moves_a_card_and_a_stale_move_shows_the_current_state(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "mover@example.org", 1).await;
        let cookie = Some(browser.cookie.as_str());
        form(&app, "/board/applications", cookie, &[("csrf", &browser.csrf), ("company", "Movable Inc"), ("role_title", "Analyst")]).await;
        let listed: serde_json::Value = app.client.get(app.url("/api/v1/applications")).header("cookie", &browser.cookie)
            .send().await.unwrap().json().await.unwrap();
        let id = listed["items"][0]["id"].as_str().unwrap().to_owned();
        let version = listed["items"][0]["version"].as_i64().unwrap().to_string();

        let sidebar = page(&app, &format!("/board?application={id}"), cookie).await.text().await.unwrap();
        let moved = form(&app, &format!("/board/applications/{id}/status"), cookie, &[("csrf", &browser.csrf), ("version", &version), ("status", "Screening")]).await;
        let moved_location = location(&moved).to_owned();
        // The same form again, from a page that still shows the old version: the card moved since.
        let stale = form(&app, &format!("/board/applications/{id}/status"), cookie, &[("csrf", &browser.csrf), ("version", &version), ("status", "Offer")]).await;
        let stale_status = stale.status();
        let stale_html = stale.text().await.unwrap();
        let other_user = sign_in(&app, "other@example.org", 1).await;
        let foreign = form(&app, &format!("/board/applications/{id}/status"), Some(&other_user.cookie), &[("csrf", &other_user.csrf), ("version", "2"), ("status", "Offer")]).await;
        let foreign_sidebar = page(&app, &format!("/board?application={id}"), Some(&other_user.cookie)).await.text().await.unwrap();

        assert!(sidebar.contains(r#"<aside class="sidebar""#) && sidebar.contains(r#"<label for="move-status">Move to</label>"#), "{sidebar}");
        assert!(sidebar.contains(&format!(r#"name="version" value="{version}""#)));
        assert_eq!(moved_location, format!("/board?application={id}"));
        assert_eq!(stale_status, StatusCode::CONFLICT);
        assert!(stale_html.contains("changed elsewhere") && stale_html.contains("it is now in Screening"), "{stale_html}");
        let screening = stale_html.split("data-status=\"Screening\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(screening.contains("Movable Inc"), "the server's state is shown");
        assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
        assert!(!foreign_sidebar.contains("Movable Inc"), "another user's card does not open");
        let history: serde_json::Value = app.client.get(app.url(&format!("/api/v1/applications/{id}/history"))).header("cookie", &browser.cookie)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(history["items"].as_array().unwrap().len(), 2, "created, then one move: {history}");
    }

    async fn a_long_column_shows_its_latest_cards_and_the_rest_on_request(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "busy@example.org", 1).await;
        let cookie = Some(browser.cookie.as_str());
        for n in 0..103 {
            let response = app.client.post(app.url("/api/v1/applications")).header("cookie", &browser.cookie)
                .header("x-csrf-token", &browser.csrf)
                .json(&serde_json::json!({ "company": format!("Company {n:03}"), "role_title": "Role", "status": "Applied" }))
                .send().await.unwrap();
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let column = |html: &str| html.split("data-status=\"Applied\"").nth(1).unwrap().split("</section>").next().unwrap().to_owned();

        let board = column(&page(&app, "/board", cookie).await.text().await.unwrap());
        let full = column(&page(&app, "/board?column=Applied", cookie).await.text().await.unwrap());

        assert!(board.contains(r#"<span class="count">103</span>"#), "{board}");
        assert_eq!(board.matches("class=\"card\"").count(), 100);
        assert!(board.contains("Company 102") && !board.contains("Company 002"), "the most recently updated first");
        assert!(board.contains(r#"href="/board?column=Applied">Show all 103</a>"#));
        assert_eq!(full.matches("class=\"card\"").count(), 103);
        assert!(!full.contains("Show all"));
    }

    async fn signing_out_ends_the_session(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "leaving@example.org", 1).await;
        let cookie = Some(browser.cookie.as_str());

        let refused = form(&app, "/sign-out", cookie, &[("csrf", "wrong")]).await;
        let out = form(&app, "/sign-out", cookie, &[("csrf", &browser.csrf)]).await;
        let cleared = out.headers()["set-cookie"].to_str().unwrap().to_owned();
        let after = page(&app, "/board", cookie).await;

        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!((out.status(), location(&out)), (StatusCode::SEE_OTHER, "/sign-in"));
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!((after.status(), location(&after)), (StatusCode::SEE_OTHER, "/sign-in"));
    }
}
