//! Accounts and sign-in, end to end, on both backends: magic link → outbox → confirm page
//! → POST → session cookie → CSRF → logout; API tokens; settings validation; rate limits;
//! the audit log.

use std::time::Duration;

use pursuit_store::query;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};

/// Waits for the `n`th message in the app's dev outbox and returns its text.
pub async fn outbox_message(app: &TestApp, n: usize) -> String {
    outbox_message_matching(app, n, |_| true).await
}

/// Waits for the `n`th message to `to` in the dev outbox: mail is sent by the worker, so
/// messages to different people may land in any order.
pub async fn outbox_message_for(app: &TestApp, to: &str, n: usize) -> String {
    let header = format!("To: {to}");
    outbox_message_matching(app, n, |text| {
        text.lines().any(|line| line.eq_ignore_ascii_case(&header))
    })
    .await
}

async fn outbox_message_matching(app: &TestApp, n: usize, keep: impl Fn(&str) -> bool) -> String {
    let dir = app.data_dir().join("outbox");
    for _ in 0..100 {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let texts: Vec<String> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .filter(|t| keep(t))
            .collect();
        if texts.len() >= n {
            return texts[n - 1].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no message {n} in {} within 5 s", dir.display());
}

/// The sign-in token in a message (decoding quoted-printable soft breaks and `=3D`).
pub fn token_in(message: &str) -> String {
    let decoded = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = decoded.find("token=").expect("a sign-in link") + "token=".len();
    decoded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// A signed-in browser: its cookie and CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub async fn request_link(app: &TestApp, email: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/magic-link"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap()
}

pub async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/magic-link/verify"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
}

fn cookie_of(response: &reqwest::Response) -> String {
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Signs `email` in through the whole link flow (its `n`th message) and returns the browser.
pub async fn sign_in(app: &TestApp, email: &str, n: usize) -> Browser {
    assert_eq!(
        request_link(app, email).await.status(),
        StatusCode::ACCEPTED
    );
    let token = token_in(&outbox_message_for(app, email, n).await);
    signed_in(app, &token).await
}

/// The browser signed in by a link's token.
pub async fn signed_in(app: &TestApp, token: &str) -> Browser {
    let response = verify(app, token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = cookie_of(&response);
    let body: Value = response.json().await.unwrap();
    Browser {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// An API token for `email`, made through the API by a signed-in browser.
pub async fn api_token(app: &TestApp, browser: &Browser, name: &str) -> (String, String) {
    let response = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("cookie", &browser.cookie)
        .header("x-csrf-token", &browser.csrf)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    (
        body["token"]["id"].as_str().unwrap().to_owned(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

both_backends! {
    async fn the_whole_magic_link_flow_signs_in_once_and_logs_out(backend: Backend) {
        let app = spawn_app(backend).await;

        let requested = request_link(&app, "Ada@Example.org").await;
        let message = outbox_message(&app, 1).await;
        let token = token_in(&message);
        let page = app.get(&format!("/auth/magic-link?token={token}")).await;
        let page_html = page.text().await.unwrap();
        let first = verify(&app, &token).await;
        let replay = verify(&app, &token).await;

        assert_eq!(requested.status(), StatusCode::ACCEPTED);
        assert!(message.contains("To: Ada@Example.org"), "{message}");
        assert!(page_html.contains("method=\"post\""), "the link opens a page whose button POSTs");
        assert_eq!(first.status(), StatusCode::OK, "fetching the page did not use the link up");
        let set_cookie = first.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(set_cookie.starts_with("pursuit_session="), "{set_cookie}");
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
        let cookie = cookie_of(&first);
        let body: Value = first.json().await.unwrap();
        assert_eq!(body["user"]["email"], "Ada@Example.org");
        assert!(body["user"]["email_verified_at"].is_string());
        let replay_body = json_body(replay, "application/problem+json").await;
        assert_eq!(replay_body["status"], 401);

        let me = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["user"]["time_zone"], "UTC");
        assert_eq!(me["csrf_token"], body["csrf_token"]);

        let logout = app.client.post(app.url("/api/v1/auth/logout"))
            .header("cookie", &cookie).header("x-csrf-token", body["csrf_token"].as_str().unwrap())
            .send().await.unwrap();
        assert_eq!(logout.status(), StatusCode::NO_CONTENT);
        assert!(logout.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
        let after = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    }

    async fn the_confirm_page_form_signs_in_and_redirects(backend: Backend) {
        let app = spawn_app(backend).await;
        request_link(&app, "form@example.org").await;
        let token = token_in(&outbox_message(&app, 1).await);

        let response = app.client.post(app.url("/api/v1/auth/magic-link/verify"))
            .form(&[("token", token.as_str())]).send().await.unwrap();
        let replay = app.client.post(app.url("/api/v1/auth/magic-link/verify"))
            .form(&[("token", token.as_str())]).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/");
        assert!(response.headers()["set-cookie"].to_str().unwrap().starts_with("pursuit_session="));
        assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
        assert!(replay.text().await.unwrap().contains("Request a new link"));
    }

    async fn the_answer_is_the_same_for_known_and_unknown_addresses(backend: Backend) {
        let app = spawn_app(backend).await;
        sign_in(&app, "known@example.org", 1).await;

        let known = request_link(&app, "known@example.org").await;
        let unknown = request_link(&app, "nobody@example.org").await;

        assert_eq!(known.status(), unknown.status());
        assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    }

    async fn closed_signup_creates_no_account_and_says_nothing_more(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let app = spawn_app_with(database, |c| c.signup = pursuit::config::Signup::Closed).await;

        let response = request_link(&app, "stranger@example.org").await;
        tokio::time::sleep(Duration::from_millis(300)).await;

        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert!(!app.data_dir().join("outbox").exists(), "no mail for an address that cannot sign up");
        let users = app.db.fetch_one(query("SELECT count(*) AS n FROM users WHERE is_owner = $1").bind(false)).await.unwrap();
        assert_eq!(users.get::<i64>("n").unwrap(), 0);
    }

    async fn closed_signup_limits_known_and_unknown_addresses_alike(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let app = spawn_app_with(database, |c| c.signup = pursuit::config::Signup::Closed).await;
        let member = pursuit_store::accounts::NewUser {
            email: pursuit_domain::account::EmailAddress::parse("member@example.org").unwrap(),
            display_name: None,
            time_zone: pursuit_domain::account::TimeZoneName::utc(),
            is_owner: false,
        };
        pursuit_store::accounts::insert_user(&app.db, &member, jiff::Timestamp::now()).await.unwrap();

        let mut answers = Vec::new();
        for email in ["member@example.org", "stranger@example.org"] {
            let mut statuses = Vec::new();
            for _ in 0..7 {
                statuses.push(request_link(&app, email).await.status().as_u16());
            }
            answers.push(statuses);
        }

        assert_eq!(answers[0], answers[1], "the limit tells known from unknown addresses");
        assert_eq!(answers[0].last(), Some(&429));
    }

    async fn a_new_link_replaces_the_older_one_and_links_expire(backend: Backend) {
        let app = spawn_app(backend).await;
        request_link(&app, "twice@example.org").await;
        let older = token_in(&outbox_message(&app, 1).await);
        request_link(&app, "twice@example.org").await;
        let newer = token_in(&outbox_message(&app, 2).await);
        request_link(&app, "late@example.org").await;
        let late = token_in(&outbox_message_for(&app, "late@example.org", 1).await);
        app.db.execute(query("UPDATE magic_links SET expires_at = $1 WHERE email_normalized = 'late@example.org'")
            .bind(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1))).await.unwrap();

        assert_eq!(verify(&app, &older).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(verify(&app, &late).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(verify(&app, &newer).await.status(), StatusCode::OK);
        assert_eq!(verify(&app, "made-up-token").await.status(), StatusCode::UNAUTHORIZED);
    }

    async fn cookie_requests_that_change_things_need_same_origin_and_the_csrf_token(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "csrf@example.org", 1).await;
        let patch = |csrf: Option<&str>, origin: Option<&str>| {
            let mut request = app.client.patch(app.url("/api/v1/settings"))
                .header("cookie", &browser.cookie).json(&json!({ "display_name": "Ada" }));
            if let Some(csrf) = csrf { request = request.header("x-csrf-token", csrf); }
            if let Some(origin) = origin { request = request.header("origin", origin); }
            request.send()
        };

        let without_token = patch(None, None).await.unwrap();
        let wrong_token = patch(Some("not-the-token"), None).await.unwrap();
        let cross_origin = patch(Some(&browser.csrf), Some("https://evil.example")).await.unwrap();
        // Same host and port, other scheme: another origin.
        let other_scheme = app.address.replacen("http://", "https://", 1);
        let cross_scheme = patch(Some(&browser.csrf), Some(&other_scheme)).await.unwrap();
        let same_origin = patch(Some(&browser.csrf), Some(&app.address)).await.unwrap();

        assert_eq!(cross_scheme.status(), StatusCode::FORBIDDEN);
        assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
        assert_eq!(json_body(wrong_token, "application/problem+json").await["type"], "/problems/forbidden");
        assert_eq!(cross_origin.status(), StatusCode::FORBIDDEN);
        assert_eq!(same_origin.status(), StatusCode::OK);
        let settings: Value = same_origin.json().await.unwrap();
        assert_eq!(settings["display_name"], "Ada");
    }

    async fn another_sites_form_cannot_sign_a_browser_in(backend: Backend) {
        // Login CSRF: the attacker's own link, posted from their page by the victim's browser.
        let app = spawn_app(backend).await;
        request_link(&app, "attacker@example.org").await;
        let token = token_in(&outbox_message_for(&app, "attacker@example.org", 1).await);
        let post = |origin: &'static str, site: &'static str| {
            app.client.post(app.url("/api/v1/auth/magic-link/verify"))
                .header("origin", origin)
                .header("sec-fetch-site", site)
                .form(&[("token", token.as_str())])
                .send()
        };

        let cross_site = post("https://evil.example", "cross-site").await.unwrap();
        let null_origin = post("null", "cross-site").await.unwrap();

        for refused in [cross_site, null_origin] {
            assert_eq!(refused.status(), StatusCode::FORBIDDEN);
            assert!(refused.headers().get("set-cookie").is_none());
        }
        // The link was not spent: from our own page it still signs in.
        let own_page = app.client.post(app.url("/api/v1/auth/magic-link/verify"))
            .header("origin", app.address.as_str())
            .header("sec-fetch-site", "same-origin")
            .form(&[("token", token.as_str())])
            .send().await.unwrap();
        assert_eq!(own_page.status(), StatusCode::SEE_OTHER);
        assert!(own_page.headers().get("set-cookie").is_some());
    }

    async fn a_tampered_or_unknown_credential_is_a_401_problem(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "tamper@example.org", 1).await;
        let tampered = format!("{}x", browser.cookie);

        let cookie = app.client.get(app.url("/api/v1/auth/me")).header("cookie", tampered).send().await.unwrap();
        let bearer = app.client.get(app.url("/api/v1/auth/me")).bearer_auth("pst_guessed").send().await.unwrap();
        let malformed = app.client.get(app.url("/api/v1/auth/me")).header("authorization", "Basic abc").send().await.unwrap();
        let none = app.get("/api/v1/auth/me").await;

        for response in [cookie, bearer, malformed, none] {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(response.headers()["www-authenticate"], "Bearer");
            assert_eq!(json_body(response, "application/problem+json").await["type"], "/problems/unauthorized");
        }
    }

    async fn api_tokens_work_until_revoked_and_show_their_last_use(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "tokens@example.org", 1).await;
        let (id, secret) = api_token(&app, &browser, "backup script").await;

        let me = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap();
        let list: Value = app.client.get(app.url("/api/v1/tokens")).bearer_auth(&secret).send().await.unwrap().json().await.unwrap();
        // A bearer request needs no CSRF token: it is not sent by a browser on its own.
        let revoke = app.client.delete(app.url(&format!("/api/v1/tokens/{id}"))).bearer_auth(&secret).send().await.unwrap();
        let after = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap();

        assert_eq!(me.status(), StatusCode::OK);
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["user"]["email"], "tokens@example.org");
        assert!(me.get("csrf_token").is_none());
        assert!(secret.starts_with("pst_"));
        assert_eq!(list["items"][0]["name"], "backup script");
        assert!(list["items"][0]["last_used_at"].is_string());
        assert!(!list.to_string().contains(&secret), "the secret is shown only once");
        assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    }

    async fn logging_out_everywhere_ends_every_session_but_not_tokens(backend: Backend) {
        let app = spawn_app(backend).await;
        let laptop = sign_in(&app, "many@example.org", 1).await;
        let phone = sign_in(&app, "many@example.org", 2).await;
        let (_, secret) = api_token(&app, &laptop, "script").await;

        let response = app.client.post(app.url("/api/v1/auth/logout-everywhere"))
            .header("cookie", &laptop.cookie).header("x-csrf-token", &laptop.csrf).send().await.unwrap();

        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        for browser in [&laptop, &phone] {
            let me = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &browser.cookie).send().await.unwrap();
            assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        }
        let me = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
    }

    async fn an_idle_session_expires_after_the_users_timeout(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "idle@example.org", 1).await;
        let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(73);
        app.db.execute(query("UPDATE sessions SET last_seen_at = $1").bind(long_ago)).await.unwrap();

        let me = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &browser.cookie).send().await.unwrap();

        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        let left = app.db.fetch_one(query("SELECT count(*) AS n FROM sessions")).await.unwrap();
        assert_eq!(left.get::<i64>("n").unwrap(), 0, "an expired session is removed");

        // However active, a session ends at its absolute expiry.
        let active = sign_in(&app, "idle@example.org", 2).await;
        app.db.execute(query("UPDATE sessions SET expires_at = $1")
            .bind(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1))).await.unwrap();
        let me = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &active.cookie).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    }

    async fn the_account_address_changes_in_settings_but_never_to_another_accounts(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "mover@example.org", 1).await;
        sign_in(&app, "taken@example.org", 1).await;
        let (_, secret) = api_token(&app, &browser, "settings").await;
        let patch = |body: Value| app.client.patch(app.url("/api/v1/settings")).bearer_auth(&secret).json(&body).send();
        let me = || async {
            app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap().json::<Value>().await.unwrap()
        };

        let invalid = patch(json!({ "email": "not an address" })).await.unwrap();
        let taken = patch(json!({ "email": "Taken@Example.org", "display_name": "Not Written" })).await.unwrap();
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_body(invalid, "application/problem+json").await["errors"][0]["pointer"], "/email");
        assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(taken, "application/problem+json").await;
        assert_eq!(problem["errors"][0]["pointer"], "/email");
        assert!(problem.to_string().contains("another account"), "{problem}");
        let unchanged = me().await;
        assert_eq!(unchanged["user"]["email"], "mover@example.org");
        assert_eq!(unchanged["user"]["display_name"], Value::Null, "a refused change writes nothing");

        let moved = patch(json!({ "email": " new.home@example.org " })).await.unwrap();
        assert_eq!(moved.status(), StatusCode::OK);
        assert_eq!(me().await["user"]["email"], "new.home@example.org");
        // Sign-in links now go to the new address.
        assert_eq!(request_link(&app, "new.home@example.org").await.status(), StatusCode::ACCEPTED);
        let link = outbox_message_for(&app, "new.home@example.org", 1).await;
        assert_eq!(verify(&app, &token_in(&link)).await.status(), StatusCode::OK);
        assert_eq!(me().await["user"]["email"], "new.home@example.org", "the same account, not a new one");
    }

    async fn settings_are_validated_field_by_field_and_nothing_partial_is_written(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "settings@example.org", 1).await;
        let (_, secret) = api_token(&app, &browser, "settings").await;
        let patch = |body: Value| app.client.patch(app.url("/api/v1/settings")).bearer_auth(&secret).json(&body).send();

        let bad = patch(json!({
            "display_name": "Kept Out",
            "time_zone": "Mars/Olympus",
            "quiet_hours": {"start": "25:00", "end": "07:00"},
            "send_window": {"days": ["mon", "someday"]},
            "reminder_defaults": {"channels": []},
        })).await.unwrap();
        let good = patch(json!({
            "time_zone": "Asia/Riyadh",
            "quiet_hours": {"start": "22:00", "end": "07:00"},
            "send_window": {"start": "08:30", "end": "16:00", "days": ["sun", "mon", "tue", "wed", "thu"]},
            "reminder_defaults": {"channels": ["in_app"], "follow_up_after_days": 5},
        })).await.unwrap();
        let cleared = patch(json!({ "quiet_hours": null })).await.unwrap();

        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_body(bad, "application/problem+json").await;
        let pointers: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        for expected in ["/time_zone", "/quiet_hours/start", "/send_window/days/1", "/reminder_defaults"] {
            assert!(pointers.contains(&expected), "{expected} in {pointers:?}");
        }
        assert!(problem.to_string().contains("Mars/Olympus"));
        let good: Value = good.json().await.unwrap();
        assert_eq!(good["display_name"], Value::Null, "the rejected patch wrote nothing");
        assert_eq!(good["time_zone"], "Asia/Riyadh");
        assert_eq!(good["quiet_hours"], json!({"start": "22:00", "end": "07:00"}));
        assert_eq!(good["send_window"]["days"], json!(["mon", "tue", "wed", "thu", "sun"]));
        assert_eq!(good["reminder_defaults"], json!({"channels": ["in_app"], "follow_up_after_days": 5}));
        let cleared: Value = cleared.json().await.unwrap();
        assert_eq!(cleared["quiet_hours"], Value::Null);
        assert_eq!(cleared["time_zone"], "Asia/Riyadh", "absent fields keep their value");
    }

    async fn bad_addresses_and_zones_are_422_naming_the_field(backend: Backend) {
        let app = spawn_app(backend).await;
        request_link(&app, "zone@example.org").await;
        let token = token_in(&outbox_message(&app, 1).await);

        let email = request_link(&app, "not-an-address").await;
        let zone = app.client.post(app.url("/api/v1/auth/magic-link/verify"))
            .json(&json!({ "token": token, "time_zone": "Mars/Olympus" })).send().await.unwrap();
        let zoned = app.client.post(app.url("/api/v1/auth/magic-link/verify"))
            .json(&json!({ "token": token, "time_zone": "America/Sao_Paulo" })).send().await.unwrap();

        let email = json_body(email, "application/problem+json").await;
        assert_eq!(email["status"], 422);
        assert_eq!(email["errors"][0]["pointer"], "/email");
        let zone = json_body(zone, "application/problem+json").await;
        assert_eq!(zone["errors"][0]["pointer"], "/time_zone");
        assert_eq!(zoned.status(), StatusCode::OK, "a refused zone did not use the link up");
        let zoned: Value = zoned.json().await.unwrap();
        assert_eq!(zoned["user"]["time_zone"], "America/Sao_Paulo");
    }

    async fn links_per_address_are_rate_limited_with_retry_after(backend: Backend) {
        let app = spawn_app(backend).await;
        for _ in 0..5 {
            assert_eq!(request_link(&app, "eager@example.org").await.status(), StatusCode::ACCEPTED);
        }

        let sixth = request_link(&app, "EAGER@example.org").await;

        assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry_after: u64 = sixth.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry_after > 0);
        assert_eq!(json_body(sixth, "application/problem+json").await["type"], "/problems/rate-limited");
    }

    async fn the_audit_log_lists_the_callers_own_events_page_by_page(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "audited@example.org", 1).await;
        let (id, secret) = api_token(&app, &browser, "audited").await;
        app.client.delete(app.url(&format!("/api/v1/tokens/{id}"))).header("cookie", &browser.cookie)
            .header("x-csrf-token", &browser.csrf).send().await.unwrap();
        let _ = secret;

        let first: Value = app.client.get(app.url("/api/v1/audit?limit=2")).header("cookie", &browser.cookie)
            .send().await.unwrap().json().await.unwrap();
        let cursor = first["next_cursor"].as_str().expect("a second page").to_owned();
        let second: Value = app.client.get(app.url(&format!("/api/v1/audit?limit=2&cursor={cursor}")))
            .header("cookie", &browser.cookie).send().await.unwrap().json().await.unwrap();
        let bad = app.client.get(app.url("/api/v1/audit?cursor=nonsense")).header("cookie", &browser.cookie).send().await.unwrap();

        let actions: Vec<&str> = first["items"].as_array().unwrap().iter()
            .chain(second["items"].as_array().unwrap()).map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(&actions[..2], ["token.revoked", "token.created"]);
        assert!(actions.contains(&"auth.sign_in"), "{actions:?}");
        assert!(actions.contains(&"user.created"), "{actions:?}");
        assert!(first["items"][0]["request_id"].is_string());
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn the_owner_gets_a_first_run_link_until_they_sign_in() {
    let database = TestDatabase::new(pursuit_store::Backend::Sqlite).await;
    let config = database.config();
    let first_start = pursuit::app::Application::build(&config).await.unwrap();
    let older_link = first_start
        .owner_link()
        .expect("a first-run link")
        .to_owned();
    drop(first_start);
    let app = spawn_app_with(database, |_| {}).await;
    let link = app
        .owner_link
        .clone()
        .expect("still a link: the owner has not signed in");

    let older = verify(&app, &token_in(&older_link)).await;
    let owner = verify(&app, &token_in(&link)).await;
    let after_sign_in = pursuit::app::Application::build(&config).await.unwrap();

    assert_ne!(older_link, link);
    assert_eq!(
        older.status(),
        StatusCode::UNAUTHORIZED,
        "each start replaces the previous link"
    );
    assert_eq!(owner.status(), StatusCode::OK);
    let owner: Value = owner.json().await.unwrap();
    assert_eq!(owner["user"]["email"], "owner@localhost");
    assert!(
        after_sign_in.owner_link().is_none(),
        "no link once the owner has signed in"
    );
}

#[tokio::test]
async fn a_hosted_postgres_install_prints_no_owner_link() {
    let app = spawn_app(pursuit_store::Backend::Postgres).await;

    assert!(app.owner_link.is_none());
}

both_backends! {
    async fn a_sign_in_link_arrives_through_a_real_smtp_server(backend: Backend) {
        let (port, maildir) = crate::helpers::test_smtp();
        let recipient = format!("smtp-{}@example.org", uuid::Uuid::new_v4().simple());
        let database = TestDatabase::new(backend).await;
        let app = spawn_app_with(database, |c| {
            c.mail.smtp_host = Some("127.0.0.1".to_owned());
            c.mail.smtp_port = port;
            c.mail.smtp_security = pursuit::config::SmtpSecurityName::None;
            c.mail.from = "Pursuit Test <pursuit@test.example>".to_owned();
        })
        .await;

        let response = request_link(&app, &recipient).await;
        let message = crate::helpers::received_by_smtp(&maildir, &recipient).await;
        let signed_in = verify(&app, &token_in(&message)).await;

        assert_eq!(response.status(), StatusCode::ACCEPTED);
        for header in ["From: \"Pursuit Test\" <pursuit@test.example>", "Subject: Your Pursuit sign-in link", "Message-ID: <", "Date: "] {
            assert!(message.contains(header), "{header:?} missing in\n{message}");
        }
        assert!(message.contains("multipart/alternative"), "{message}");
        assert!(message.contains("text/plain") && message.contains("text/html"), "{message}");
        assert!(!app.data_dir().join("outbox").exists(), "with SMTP configured nothing goes to the outbox");
        assert_eq!(signed_in.status(), StatusCode::OK, "the link in the delivered mail signs in");
    }
}

both_backends! {
    async fn behind_https_the_session_cookie_is_secure_and_host_prefixed(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let app = spawn_app_with(database, |c| c.public_url = Some("https://jobs.example.org".to_owned())).await;
        request_link(&app, "secure@example.org").await;
        let message = outbox_message(&app, 1).await;
        let token = token_in(&message);

        let response = verify(&app, &token).await;

        assert!(message.replace("=\r\n", "").contains("https://jobs.example.org/auth/magic-link?token"), "links use the public URL");
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(set_cookie.starts_with("__Host-pursuit_session="), "{set_cookie}");
        assert!(set_cookie.contains("; Secure") && set_cookie.contains("Path=/"), "{set_cookie}");
        let cookie = cookie_of(&response);
        let me = app.client.get(app.url("/api/v1/auth/me")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
    }

    async fn an_expired_api_token_is_refused(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "expiry@example.org", 1).await;
        let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
        let created: Value = app.client.post(app.url("/api/v1/tokens"))
            .header("cookie", &browser.cookie).header("x-csrf-token", &browser.csrf)
            .json(&json!({ "name": "short-lived", "expires_at": soon.to_string() }))
            .send().await.unwrap().json().await.unwrap();
        let past = app.client.post(app.url("/api/v1/tokens"))
            .header("cookie", &browser.cookie).header("x-csrf-token", &browser.csrf)
            .json(&json!({ "name": "already-over", "expires_at": "2020-01-01T00:00:00Z" }))
            .send().await.unwrap();
        let secret = created["secret"].as_str().unwrap();

        let before = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(secret).send().await.unwrap();
        // Written behind the server's back, as another process would: the server's sign-in
        // cache (1 s by default) may answer from memory until it runs out, no longer.
        app.db.execute(query("UPDATE api_tokens SET expires_at = $1")
            .bind(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1))).await.unwrap();
        let refused_after = refused_within(&app, secret, Duration::from_secs(3)).await;

        assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(before.status(), StatusCode::OK);
        let refused_after = refused_after.expect("the expired token is refused");
        assert!(
            refused_after <= Duration::from_millis(1800),
            "refused {refused_after:?} after the change; the cache keeps a sign-in 1 s at most"
        );
    }

    async fn without_the_sign_in_cache_another_process_revoking_a_token_counts_at_once(backend: Backend) {
        let database = TestDatabase::new(backend).await;
        let app = spawn_app_with(database, |config| config.server.sign_in_cache_ms = 0).await;
        let browser = sign_in(&app, "no-cache@example.org", 1).await;
        let (_, secret) = api_token(&app, &browser, "script").await;

        let before = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap();
        app.db.execute(query("UPDATE api_tokens SET revoked_at = $1").bind(jiff::Timestamp::now())).await.unwrap();
        let after = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&secret).send().await.unwrap();

        assert_eq!(before.status(), StatusCode::OK);
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    }

    async fn one_client_address_is_rate_limited_across_email_addresses(backend: Backend) {
        let app = spawn_app(backend).await;
        for i in 0..30 {
            let response = request_link(&app, &format!("user{i}@example.org")).await;
            assert_eq!(response.status(), StatusCode::ACCEPTED, "request {i}");
        }

        let over = request_link(&app, "one-more@example.org").await;

        assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(over.headers().contains_key("retry-after"));
    }
}

/// How long after this call `secret` is first refused (401), polled every 20 ms up to `limit`.
async fn refused_within(app: &TestApp, secret: &str, limit: Duration) -> Option<Duration> {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        let me = app
            .client
            .get(app.url("/api/v1/auth/me"))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap();
        if me.status() == StatusCode::UNAUTHORIZED {
            return Some(started.elapsed());
        }
        assert_eq!(me.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}
