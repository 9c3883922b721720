//! The web app driven as a person would, in headless Chromium through ChromeDriver (both
//! installed by `scripts/test` from Debian), against a real server on 127.0.0.1. Screenshots
//! of the pages go to `target/tmp/screenshots/` for a reviewer to look at (not committed).

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::auth::{outbox_message_for, token_in};
use crate::helpers::{TestApp, TestDatabase, spawn_app, spawn_app_with};

/// A headless Chromium session, and the ChromeDriver process behind it.
pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(false).await
    }

    /// A browser whose system theme is dark when `dark` (pages see
    /// `prefers-color-scheme: dark`).
    pub async fn start_with(dark: bool) -> Browser {
        let driver_path = std::env::var("TEST_CHROMEDRIVER").expect(
            "TEST_CHROMEDRIVER is not set: run the suite with scripts/test, which installs Debian's chromium and chromium-driver",
        );
        let chromium =
            std::env::var("TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = tokio::process::Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that Chromium (its child) can be killed with it.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if reqwest::get(format!("{url}/status")).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            "--window-size=1400,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if dark {
            args.push("--force-dark-mode".to_owned());
        }
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&url)
            .await
            .expect("a Chromium session");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Saves a screenshot as `target/tmp/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop does the rest.
    }

    /// Waits until the page's text contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        for _ in 0..100 {
            if let Ok(body) = self.client.find(Locator::Css("body")).await
                && body.text().await.unwrap_or_default().contains(text)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let source = self.client.source().await.unwrap_or_default();
        panic!("the page never showed {text:?}:\n{source}");
    }
}

impl Drop for Browser {
    /// Also when a test fails mid-way and never reaches `close`: ChromeDriver and every
    /// Chromium process it started go with the test, instead of spinning on the CPU.
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Signs in through the pages: the form, the mailed link (from the dev outbox), the
/// confirmation button.
pub async fn sign_in_in_browser(app: &TestApp, browser: &Browser, email: &str) {
    sign_in_through(app, browser, email, None).await;
}

/// Signs in with the link read from the outbox, or from the SMTP server's maildir.
async fn sign_in_through(
    app: &TestApp,
    browser: &Browser,
    email: &str,
    maildir: Option<&std::path::Path>,
) {
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/sign-in"));
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/sign-in'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_text("a link is on its way").await;
    let message = match maildir {
        Some(maildir) => crate::helpers::received_by_smtp(maildir, email).await,
        None => outbox_message_for(app, email, 1).await,
    };
    let token = token_in(&message);
    c.goto(&app.url(&format!("/auth/magic-link?token={token}")))
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_text("Add an application").await;
}

both_backends! {
    async fn a_newcomer_signs_in_and_adds_a_first_application_in_the_browser(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = Browser::start().await;
        let c = &browser.client;

        sign_in_in_browser(&app, &browser, "newcomer@example.org").await;
        assert!(c.current_url().await.unwrap().path().ends_with("/board"));
        browser.wait_for_text("No applications yet").await;
        c.find(Locator::Id("company")).await.unwrap().send_keys("Acme <b>Robotics</b>").await.unwrap();
        c.find(Locator::Id("role_title")).await.unwrap().send_keys("Firmware Engineer").await.unwrap();
        c.find(Locator::Css(".quick-add button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Firmware Engineer").await;
        browser.screenshot(&format!("board-{}", backend_name(backend))).await;

        let card = c.find(Locator::Css("[data-status='Applied'] .card .company")).await.unwrap();
        assert_eq!(card.text().await.unwrap(), "Acme <b>Robotics</b>", "shown as typed, not as markup");
        assert!(c.find_all(Locator::Css(".card b")).await.unwrap().is_empty());

        // Open the card (the URL says which), and move it to Screening with the sidebar's form.
        c.find(Locator::Css("[data-status='Applied'] .card-link")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Move to").await;
        assert!(c.current_url().await.unwrap().query().unwrap_or_default().starts_with("application="));
        c.find(Locator::Id("move-status")).await.unwrap().select_by_value("Screening").await.unwrap();
        c.find(Locator::Css(".sidebar button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Screening").await;
        browser.screenshot(&format!("sidebar-{}", backend_name(backend))).await;
        let moved = c.find(Locator::Css("[data-status='Screening'] .card .company")).await.unwrap();
        assert_eq!(moved.text().await.unwrap(), "Acme <b>Robotics</b>");
        assert!(c.find_all(Locator::Css("[data-status='Applied'] .card")).await.unwrap().is_empty());

        // Drag it to Tech screen: shown at once, saved through the API.
        let id = c.find(Locator::Css(".card")).await.unwrap().attr("data-id").await.unwrap().unwrap();
        drag(c, &id, "Tech_Screen").await;
        let api = ApiAs::from_browser(&app, c).await;
        api.wait_for_status(&id, "Tech_Screen").await;
        assert_eq!(c.find_all(Locator::Css("[data-status='Tech_Screen'] .card")).await.unwrap().len(), 1);

        // Another tab moves it to Offer; this page still holds the old version.
        api.patch_status(&id, "Offer").await;
        drag(c, &id, "Rejected").await;
        browser.wait_for_text("changed in another tab").await;
        browser.screenshot(&format!("conflict-{}", backend_name(backend))).await;
        assert_eq!(c.find_all(Locator::Css("[data-status='Offer'] .card")).await.unwrap().len(), 1, "the server's state replaces the card");
        assert_eq!(api.status_of(&id).await, "Offer", "nothing was overwritten");
        c.find(Locator::Css("#board-notice button")).await.unwrap().click().await.unwrap();
        api.wait_for_status(&id, "Rejected").await;
        assert_eq!(c.find_all(Locator::Css("[data-status='Rejected'] .card")).await.unwrap().len(), 1);

        c.find(Locator::LinkText("Analytics")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Stage conversion").await;
        browser.screenshot(&format!("analytics-{}", backend_name(backend))).await;
        // Four of the tracker, three of what led to the application's first conversation
        // (it reached an offer).
        let charts = c.find_all(Locator::Css(".chart")).await.unwrap();
        assert_eq!(charts.len(), 7);

        // A phone: the columns stack, and no page scrolls sideways.
        c.set_window_size(390, 844).await.unwrap();
        for path in ["/board", "/analytics", "/settings"] {
            c.goto(&app.url(path)).await.unwrap();
            let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
            assert!(overflow.as_i64().unwrap_or(i64::MAX) <= 0, "{path} is wider than a phone by {overflow}px");
            // Chart text stays readable: no drawn label shrinks below 10 px on a phone.
            let smallest = c.execute("const sizes = Array.from(document.querySelectorAll('.chart text, .hbars .label, .hbars .value'))\
                .filter(e => e.getClientRects().length > 0).map(e => e.getBoundingClientRect().height);\
                return sizes.length ? Math.min(...sizes) : 99;", vec![]).await.unwrap();
            assert!(smallest.as_f64().unwrap_or(0.0) >= 10.0, "{path}: chart text {smallest}px high on a phone");
            let name = path.trim_start_matches('/');
            browser.screenshot(&format!("{name}-phone-{}", backend_name(backend))).await;
        }
        browser.close().await;
    }
}

both_backends! {
    async fn an_interview_added_in_the_sidebar_mails_its_reminder_with_the_invite(backend: Backend) {
        let (port, maildir) = crate::helpers::test_smtp();
        let email = format!("e2e-{}@example.org", uuid::Uuid::new_v4().simple());
        let app = spawn_app_with(TestDatabase::new(backend).await, |c| {
            c.mail.smtp_host = Some("127.0.0.1".to_owned());
            c.mail.smtp_port = port;
            c.mail.smtp_security = pursuit::config::SmtpSecurityName::None;
            c.mail.from = "Pursuit <pursuit@test.example>".to_owned();
        })
        .await;
        let browser = Browser::start().await;
        let c = &browser.client;
        sign_in_through(&app, &browser, &email, Some(&maildir)).await;

        // Add an application, drag it from Applied to Screening.
        c.find(Locator::Id("company")).await.unwrap().send_keys("Orbit Labs").await.unwrap();
        c.find(Locator::Id("role_title")).await.unwrap().send_keys("Platform Engineer").await.unwrap();
        c.find(Locator::Css(".quick-add button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Platform Engineer").await;
        let id = c.find(Locator::Css("[data-status='Applied'] .card")).await.unwrap().attr("data-id").await.unwrap().unwrap();
        drag(c, &id, "Screening").await;
        let api = ApiAs::from_browser(&app, c).await;
        api.wait_for_status(&id, "Screening").await;

        // Open it and add a screening interview starting an hour and a few seconds from now:
        // its "in an hour" reminder is due a few seconds later.
        c.find(Locator::Css("[data-status='Screening'] .card-link")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Add an interview").await;
        c.find(Locator::Css("#add-activity")).await.unwrap();
        c.find(Locator::Css("#add-activity-details > summary")).await.unwrap().click().await.unwrap();
        // The account took the browser's zone at sign-up; the form's times are in it.
        let browser_zone: String = c.execute("return Intl.DateTimeFormat().resolvedOptions().timeZone;", vec![]).await.unwrap()
            .as_str().unwrap().to_owned();
        let settings: serde_json::Value = app.client.get(app.url("/api/v1/settings")).header("cookie", &api.cookie)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(settings["time_zone"], browser_zone.as_str(), "the zone preselected from the browser");
        let zone = jiff::tz::TimeZone::get(&browser_zone).unwrap();
        let starts = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600 + 8);
        let starts = jiff::Timestamp::from_second(starts.as_second()).unwrap();
        let local = starts.to_zoned(zone).strftime("%Y-%m-%dT%H:%M:%S").to_string();
        c.find(Locator::Id("a-type")).await.unwrap().select_by_value("Interview").await.unwrap();
        // The input takes whole minutes; seconds keep the test short, so the browser's own
        // step check is switched off for this form (the server reads seconds as well).
        c.execute("document.getElementById('add-activity').noValidate = true; document.getElementById('a-starts_at').value = arguments[0];",
            vec![json!(local)]).await.unwrap();
        c.find(Locator::Id("a-interview_stage")).await.unwrap().select_by_value("screening").await.unwrap();
        c.find(Locator::Id("a-location_or_link")).await.unwrap().send_keys("Room 2, Berlin").await.unwrap();
        c.find(Locator::Css("#add-activity button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Screening with Orbit Labs in an hour").await;
        browser.screenshot(&format!("sidebar-interview-{}", backend_name(backend))).await;
        assert!(c.find(Locator::Css(".activity")).await.unwrap().text().await.unwrap().contains("Room 2, Berlin"));

        // The app's own worker mails the reminder, with the interview's invite, to the SMTP server.
        let message = crate::helpers::received_by_smtp_with(&maildir, &email, "invite.ics", Duration::from_secs(60)).await;
        let parsed = mail_parser::MessageParser::default().parse(message.as_bytes()).unwrap();
        assert_eq!(parsed.subject().unwrap(), "Reminder: Screening with Orbit Labs in an hour");
        let invite = parsed.attachments().find(|a| mail_parser::MimeHeaders::attachment_name(*a) == Some("invite.ics"))
            .expect("the invite is attached");
        let ics = String::from_utf8(invite.contents().to_vec()).unwrap();
        assert!(ics.contains("METHOD:PUBLISH"), "{ics}");
        assert!(ics.contains(&format!("DTSTART:{}", starts.strftime("%Y%m%dT%H%M%SZ"))), "{ics}");
        assert!(ics.contains("LOCATION:Room 2\\, Berlin"), "{ics}");

        // The in-app notification shows up in the open page without a reload (the poll also
        // runs when the tab becomes visible again, which is what this event says).
        c.execute("document.dispatchEvent(new Event('visibilitychange'));", vec![]).await.unwrap();
        let mut shown = String::new();
        for _ in 0..100 {
            shown = c.find(Locator::Css("#notifications .dropdown")).await.unwrap().html(true).await.unwrap();
            if shown.contains("Screening with Orbit Labs in an hour") {
                break;
            }
            c.execute("document.dispatchEvent(new Event('visibilitychange'));", vec![]).await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(shown.contains("Screening with Orbit Labs in an hour"), "{shown}");
        c.find(Locator::Css("#notifications summary")).await.unwrap().click().await.unwrap();
        browser.screenshot(&format!("notifications-{}", backend_name(backend))).await;
        c.find(Locator::Css("#notifications button[data-mark-all]")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            let unread: serde_json::Value = app.client.get(app.url("/api/v1/notifications?unread=true")).header("cookie", &api.cookie)
                .send().await.unwrap().json().await.unwrap();
            if unread["unread_count"] == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let unread: serde_json::Value = app.client.get(app.url("/api/v1/notifications?unread=true")).header("cookie", &api.cookie)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(unread["unread_count"], 0, "marked read from the page");
        browser.close().await;
    }
}

/// Drags card `id` onto the column of `status` the way a mouse would, through the page's
/// own HTML5 drag-and-drop handlers (ChromeDriver's pointer actions do not start native drags).
async fn drag(c: &Client, id: &str, status: &str) {
    c.execute(
        "const [id, status] = arguments;
         const card = document.querySelector(`.card[data-id='${id}']`);
         const target = document.querySelector(`.column[data-status='${status}']`);
         const data = new DataTransfer();
         card.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
         target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
         target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
         card.dispatchEvent(new DragEvent('dragend', { dataTransfer: data, bubbles: true }));",
        vec![json!(id), json!(status)],
    )
    .await
    .unwrap();
}

/// The API as the browser's own session (its cookie and CSRF token): "another tab".
pub struct ApiAs<'a> {
    app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl<'a> ApiAs<'a> {
    pub async fn from_browser(app: &'a TestApp, c: &Client) -> ApiAs<'a> {
        let session = c.get_named_cookie("pursuit_session").await.unwrap();
        let csrf = c
            .find(Locator::Css("meta[name=csrf-token]"))
            .await
            .unwrap()
            .attr("content")
            .await
            .unwrap()
            .unwrap();
        ApiAs {
            app,
            cookie: format!("pursuit_session={}", session.value()),
            csrf,
        }
    }

    async fn get(&self, id: &str) -> serde_json::Value {
        self.app
            .client
            .get(self.app.url(&format!("/api/v1/applications/{id}")))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn status_of(&self, id: &str) -> String {
        self.get(id).await["status"].as_str().unwrap().to_owned()
    }

    async fn patch_status(&self, id: &str, status: &str) {
        let version = self.get(id).await["version"].as_i64().unwrap();
        let response = self
            .app
            .client
            .patch(self.app.url(&format!("/api/v1/applications/{id}")))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .header("if-match", format!("W/\"{version}\""))
            .json(&json!({ "status": status }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
    }

    async fn wait_for_status(&self, id: &str, status: &str) {
        for _ in 0..100 {
            if self.status_of(id).await == status {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the application never reached {status}: {}",
            self.get(id).await
        );
    }
}

impl ApiAs<'_> {
    async fn create(&self, company: &str, status: &str) -> String {
        let created: serde_json::Value = self
            .app
            .client
            .post(self.app.url("/api/v1/applications"))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&json!({ "company": company, "role_title": "Engineer", "status": status }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["id"].as_str().unwrap().to_owned()
    }

    /// A column's companies, top first, as the server has them.
    async fn column(&self, status: &str) -> Vec<String> {
        let url = self.app.url(&crate::helpers::column_path(status));
        let request = self.app.client.get(url).header("cookie", &self.cookie);
        crate::helpers::column_companies(request).await
    }

    async fn wait_for_column(&self, status: &str, expected: &[&str]) {
        for _ in 0..100 {
            if self.column(status).await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(
            self.column(status).await,
            expected,
            "{status} on the server"
        );
    }
}

/// Waits until the page and the server both hold `expected` as the column's order.
async fn shown_and_saved(c: &Client, api: &ApiAs<'_>, status: &str, expected: &[&str]) {
    assert_eq!(
        shown_column(c, status).await,
        expected,
        "{status} on the page"
    );
    api.wait_for_column(status, expected).await;
}

/// A column's companies, top first, as the page shows them.
async fn shown_column(c: &Client, status: &str) -> Vec<String> {
    let shown = c
        .execute(
            "return Array.from(document.querySelectorAll(`.column[data-status='${arguments[0]}'] .card .company`)).map(e => e.textContent);",
            vec![json!(status)],
        )
        .await
        .unwrap();
    serde_json::from_value(shown).unwrap()
}

#[tokio::test]
async fn cards_are_ordered_within_a_column_by_keyboard_by_list_and_by_dragging() {
    let app = spawn_app(pursuit_store::Backend::Sqlite).await;
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_in_browser(&app, &browser, "orderly@example.org").await;
    let api = ApiAs::from_browser(&app, c).await;
    let mut ids = std::collections::HashMap::new();
    for (company, status) in [
        ("Alpha", "Applied"),
        ("Bravo", "Applied"),
        ("Charlie", "Applied"),
        ("Delta", "Screening"),
        ("Echo", "Screening"),
    ] {
        ids.insert(company, api.create(company, status).await);
    }
    c.goto(&app.url("/board")).await.unwrap();
    browser.wait_for_text("Charlie").await;
    assert_eq!(
        shown_column(c, "Applied").await,
        ["Charlie", "Bravo", "Alpha"]
    );

    // Alt+Down on Charlie's card: one place down, focus stays on it, saved.
    c.execute(
        "const link = document.querySelector(`.card[data-id='${arguments[0]}'] .card-link`); link.focus();
         link.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, cancelable: true }));",
        vec![json!(ids["Charlie"])],
    ).await.unwrap();
    let focused = c
        .execute(
            "return document.activeElement.closest('.card').dataset.id;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        json!(ids["Charlie"]),
        "the moved card keeps the focus"
    );
    browser
        .wait_for_text("Charlie is now 2 of 3 in Applied.")
        .await;
    shown_and_saved(c, &api, "Applied", &["Bravo", "Charlie", "Alpha"]).await;

    // The card's list (touch, keyboard): Alpha to the top.
    c.find(Locator::Css(&format!(
        ".card[data-id='{}'] select.card-move",
        ids["Alpha"]
    )))
    .await
    .unwrap()
    .select_by_value("@top")
    .await
    .unwrap();
    shown_and_saved(c, &api, "Applied", &["Alpha", "Bravo", "Charlie"]).await;

    // Dragged within the column and dropped low on Charlie: below it.
    drag_to_spot(c, &ids["Bravo"], "Applied", &ids["Charlie"], 0.9).await;
    shown_and_saved(c, &api, "Applied", &["Alpha", "Charlie", "Bravo"]).await;

    // Dragged to another column and dropped low on its top card: a new status, in that spot.
    drag_to_spot(c, &ids["Alpha"], "Screening", &ids["Echo"], 0.9).await;
    shown_and_saved(c, &api, "Screening", &["Echo", "Alpha", "Delta"]).await;
    api.wait_for_column("Applied", &["Charlie", "Bravo"]).await;

    // What the page showed is what comes back.
    c.goto(&app.url("/board")).await.unwrap();
    browser.wait_for_text("Echo").await;
    assert_eq!(
        shown_column(c, "Screening").await,
        ["Echo", "Alpha", "Delta"]
    );
    assert_eq!(shown_column(c, "Applied").await, ["Charlie", "Bravo"]);
    browser.close().await;
}

/// Drags card `id` onto the column of `status`, dropped over card `over` at `fraction` of
/// its height from the top.
async fn drag_to_spot(c: &Client, id: &str, status: &str, over: &str, fraction: f64) {
    c.execute(
        "const [id, status, over, fraction] = arguments;
         const card = document.querySelector(`.card[data-id='${id}']`);
         const target = document.querySelector(`.column[data-status='${status}']`);
         const box = document.querySelector(`.card[data-id='${over}']`).getBoundingClientRect();
         const at = { clientX: box.left + 10, clientY: box.top + box.height * fraction };
         const data = new DataTransfer();
         card.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
         target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true, ...at }));
         target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, ...at }));
         card.dispatchEvent(new DragEvent('dragend', { dataTransfer: data, bubbles: true }));",
        vec![json!(id), json!(status), json!(over), json!(fraction)],
    )
    .await
    .unwrap();
}

fn backend_name(backend: pursuit_store::Backend) -> &'static str {
    match backend {
        pursuit_store::Backend::Sqlite => "sqlite",
        pursuit_store::Backend::Postgres => "postgres",
    }
}

both_backends! {
    async fn a_pasted_posting_shows_its_match_on_a_laptop_and_a_phone(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = Browser::start().await;
        let c = &browser.client;
        let name = backend_name(backend);

        sign_in_in_browser(&app, &browser, "jobs-browser@example.org").await;
        c.goto(&app.url("/jobs")).await.unwrap();
        browser.wait_for_text("No postings yet").await;
        browser.screenshot(&format!("jobs-empty-{name}")).await;

        c.goto(&app.url("/resume")).await.unwrap();
        c.find(Locator::Id("text")).await.unwrap()
            .send_keys("Ana Diaz\nana@example.org\n\nExperience\nData Analyst, Initech | 2019 - Present\n- Built SQL reports in Tableau for 40 stores\n\nSkills\nSQL, Tableau, Excel")
            .await.unwrap();
        c.find(Locator::Css("form[action='/resume/text'] button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Initech").await;

        c.find(Locator::LinkText("Jobs")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("Add a posting").await;
        c.find(Locator::Id("posting-text")).await.unwrap()
            .send_keys("Senior Data Analyst\nAcme Retail\nNew York (Hybrid)\n\nRequirements\n- 3+ years of SQL\n- Experience with Tableau\n- Python is a plus\n\nResponsibilities\n- Build dashboards for store managers")
            .await.unwrap();
        c.find(Locator::Css(".add-posting button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("How the score is made").await;
        assert!(c.current_url().await.unwrap().path().starts_with("/jobs/"));
        let score = c.find(Locator::Css(".score.big")).await.unwrap().text().await.unwrap();
        assert!(score.parse::<u32>().is_ok_and(|s| s <= 100), "{score}");
        // The line under the title names the company, the one under it the city.
        browser.wait_for_text("Acme Retail").await;
        let facts = c.find(Locator::Css(".posting-facts")).await.unwrap().text().await.unwrap();
        let facts = facts.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(facts.starts_with("Acme Retail New York Hybrid"), "{facts}");
        // The field part names the work as job boards mean the title (O*NET files "Data
        // Analyst" under survey researchers).
        browser.wait_for_text("the posting reads as Data Scientists").await;
        browser.screenshot(&format!("job-{name}")).await;
        c.find(Locator::LinkText("← Jobs")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("best match first").await;
        browser.screenshot(&format!("jobs-{name}")).await;

        // A posting pasted as one block with its title run into the text keeps that title.
        c.find(Locator::Css("details.add summary")).await.unwrap().click().await.unwrap();
        c.find(Locator::Id("posting-text")).await.unwrap()
            .send_keys("Payroll Specialist Run the monthly payroll for 300 employees in ADP and answer their questions. 3+ years of payroll experience. Advanced Excel.")
            .await.unwrap();
        c.find(Locator::Css(".add-posting button[type=submit]")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("How the score is made").await;
        let heading = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert_eq!(heading, "Payroll Specialist");
        browser.screenshot(&format!("job-run-in-title-{name}")).await;
        c.find(Locator::LinkText("← Jobs")).await.unwrap().click().await.unwrap();
        browser.wait_for_text("best match first").await;

        // A phone: nothing scrolls sideways, the evidence stacks.
        c.set_window_size(390, 844).await.unwrap();
        let job = c.find(Locator::Css(".posting-link")).await.unwrap().attr("href").await.unwrap().unwrap();
        for (path, shot) in [("/jobs".to_owned(), "jobs"), (job, "job")] {
            c.goto(&app.url(&path)).await.unwrap();
            let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
            assert!(overflow.as_i64().unwrap_or(i64::MAX) <= 0, "{path} is wider than a phone by {overflow}px");
            browser.screenshot(&format!("{shot}-phone-{name}")).await;
        }
        browser.close().await;
    }
}
