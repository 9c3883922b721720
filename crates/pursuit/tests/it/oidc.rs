//! Sign-in with Google against a fake OpenID provider on 127.0.0.1 (discovery document,
//! JWKS, token endpoint with PKCE check), signing ID tokens with a test key: the happy path
//! and every rejection path, on both backends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, State};
use axum::routing::{get, post};
use jsonwebtoken::{EncodingKey, Header};
use pursuit_store::query;
use reqwest::{StatusCode, Url};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDatabase, spawn_app_with};

const CLIENT_ID: &str = "pursuit-test-client";
const CLIENT_SECRET: &str = "pursuit-test-secret";
const TEST_KEY: &str = include_str!("fixtures/oidc-test-key.pem");
const OTHER_KEY: &str = include_str!("fixtures/oidc-other-key.pem");
const JWKS: &str = include_str!("fixtures/oidc-test-jwks.json");

/// What the provider will answer for one authorization code.
struct Grant {
    claims: Value,
    challenge: String,
    key: &'static str,
}

#[derive(Clone)]
struct Idp {
    issuer: String,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

async fn discovery(State(idp): State<Idp>) -> axum::Json<Value> {
    axum::Json(json!({
        "issuer": idp.issuer,
        "authorization_endpoint": format!("{}/authorize", idp.issuer),
        "token_endpoint": format!("{}/token", idp.issuer),
        "jwks_uri": format!("{}/jwks", idp.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks() -> axum::Json<Value> {
    axum::Json(serde_json::from_str(JWKS).unwrap())
}

/// The token endpoint: checks the client, the code and the PKCE verifier, then signs.
async fn token(
    State(idp): State<Idp>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<axum::Json<Value>, StatusCode> {
    if form.get("grant_type").map(String::as_str) != Some("authorization_code")
        || form.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
    {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let code = form.get("code").ok_or(StatusCode::BAD_REQUEST)?;
    let grant = idp
        .grants
        .lock()
        .unwrap()
        .remove(code)
        .ok_or(StatusCode::BAD_REQUEST)?;
    let verifier = form.get("code_verifier").ok_or(StatusCode::BAD_REQUEST)?;
    if pursuit_store::secret::pkce_challenge(verifier) != grant.challenge {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut header = Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("test-key".to_owned());
    let key = EncodingKey::from_rsa_pem(grant.key.as_bytes()).unwrap();
    let id_token = jsonwebtoken::encode(&header, &grant.claims, &key).unwrap();
    Ok(axum::Json(
        json!({ "access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": id_token }),
    ))
}

async fn start_idp() -> Idp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let idp = Idp {
        issuer: format!("http://{}", listener.local_addr().unwrap()),
        grants: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(idp.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    idp
}

async fn app_with_google(backend: pursuit_store::Backend, idp: &Idp) -> TestApp {
    let database = TestDatabase::new(backend).await;
    let issuer = idp.issuer.clone();
    spawn_app_with(database, move |c| {
        c.google = Some(pursuit::config::GoogleConfig {
            client_id: CLIENT_ID.to_owned(),
            client_secret: pursuit::config::Secret::new(CLIENT_SECRET),
            issuer,
        });
    })
    .await
}

/// A browser that started a Google sign-in: its state cookie and the provider URL it was sent to.
struct Started {
    cookie: String,
    state: String,
    nonce: String,
    challenge: String,
}

async fn start(app: &TestApp) -> Started {
    let response = app.get("/auth/google/start").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let param = |name: &str| {
        location
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    assert_eq!(param("client_id"), CLIENT_ID);
    assert_eq!(param("code_challenge_method"), "S256");
    assert_eq!(
        param("redirect_uri"),
        format!("{}/auth/google/callback", app.address)
    );
    Started {
        cookie,
        state: param("state"),
        nonce: param("nonce"),
        challenge: param("code_challenge"),
    }
}

fn claims(idp: &Idp, started: &Started, sub: &str, email: &str) -> Value {
    let now = jiff::Timestamp::now().as_second();
    json!({
        "iss": idp.issuer, "aud": CLIENT_ID, "sub": sub, "email": email, "email_verified": true,
        "nonce": started.nonce, "iat": now, "exp": now + 600,
    })
}

/// The provider's redirect back to Pursuit with a code that yields `claims`.
async fn callback(
    app: &TestApp,
    idp: &Idp,
    started: &Started,
    claims: Value,
    key: &'static str,
) -> reqwest::Response {
    let code = uuid::Uuid::new_v4().simple().to_string();
    idp.grants.lock().unwrap().insert(
        code.clone(),
        Grant {
            claims,
            challenge: started.challenge.clone(),
            key,
        },
    );
    app.client
        .get(app.url(&format!(
            "/auth/google/callback?code={code}&state={}",
            started.state
        )))
        .header("cookie", &started.cookie)
        .send()
        .await
        .unwrap()
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("pursuit_session="))
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn me(app: &TestApp, cookie: &str) -> Value {
    app.client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn session_count(app: &TestApp) -> i64 {
    app.db
        .fetch_one(query("SELECT count(*) AS n FROM sessions"))
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

both_backends! {
    async fn google_sign_in_creates_the_account_once_and_signs_in_again_by_sub(backend: Backend) {
        let idp = start_idp().await;
        let app = app_with_google(backend, &idp).await;

        let first = start(&app).await;
        let first_claims = claims(&idp, &first, "sub-1", "grace@example.org");
        let signed_in = callback(&app, &idp, &first, first_claims, TEST_KEY).await;
        let second = start(&app).await;
        // The address changed at Google; the account is still found by `sub`.
        let second_claims = claims(&idp, &second, "sub-1", "grace.hopper@example.org");
        let again = callback(&app, &idp, &second, second_claims, TEST_KEY).await;

        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
        assert_eq!(signed_in.headers()["location"], "/");
        let first_me = me(&app, &session_cookie(&signed_in)).await;
        assert_eq!(first_me["user"]["email"], "grace@example.org");
        assert!(first_me["user"]["email_verified_at"].is_string());
        assert_eq!(again.status(), StatusCode::SEE_OTHER);
        let again_me = me(&app, &session_cookie(&again)).await;
        assert_eq!(again_me["user"]["id"], first_me["user"]["id"]);
    }

    async fn a_verified_google_address_links_to_the_existing_account(backend: Backend) {
        let idp = start_idp().await;
        let app = app_with_google(backend, &idp).await;
        let browser = crate::auth::sign_in(&app, "linked@example.org", 1).await;
        let existing = me(&app, &browser.cookie).await;

        let started = start(&app).await;
        let response = callback(&app, &idp, &started, claims(&idp, &started, "sub-link", "Linked@Example.org"), TEST_KEY).await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(me(&app, &session_cookie(&response)).await["user"]["id"], existing["user"]["id"]);
    }

    async fn an_unverified_google_address_does_not_take_over_an_account(backend: Backend) {
        let idp = start_idp().await;
        let app = app_with_google(backend, &idp).await;
        crate::auth::sign_in(&app, "victim@example.org", 1).await;
        let sessions_before = session_count(&app).await;

        let started = start(&app).await;
        let mut forged = claims(&idp, &started, "sub-attacker", "victim@example.org");
        forged["email_verified"] = json!(false);
        let response = callback(&app, &idp, &started, forged, TEST_KEY).await;

        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(session_count(&app).await, sessions_before);
        let linked = app.db.fetch_one(query("SELECT count(*) AS n FROM oauth_identities")).await.unwrap();
        assert_eq!(linked.get::<i64>("n").unwrap(), 0);
    }

    async fn every_forged_or_stale_callback_is_refused_without_a_session(backend: Backend) {
        let idp = start_idp().await;
        let app = app_with_google(backend, &idp).await;
        let now = jiff::Timestamp::now().as_second();

        // (what is wrong, how to break the claims, the key to sign with, expected status)
        type Breaker = fn(&mut Value, i64);
        let cases: [(&str, Breaker, &'static str, StatusCode); 6] = [
            ("wrong nonce", |c, _| c["nonce"] = json!("someone-elses-nonce"), TEST_KEY, StatusCode::UNAUTHORIZED),
            ("wrong audience", |c, _| c["aud"] = json!("another-client"), TEST_KEY, StatusCode::UNAUTHORIZED),
            ("wrong issuer", |c, _| c["iss"] = json!("https://evil.example"), TEST_KEY, StatusCode::UNAUTHORIZED),
            ("expired", |c, now| { c["exp"] = json!(now - 3600); c["iat"] = json!(now - 7200); }, TEST_KEY, StatusCode::UNAUTHORIZED),
            ("signed with another key", |_, _| {}, OTHER_KEY, StatusCode::UNAUTHORIZED),
            ("no nonce", |c, _| { c.as_object_mut().unwrap().remove("nonce"); }, TEST_KEY, StatusCode::UNAUTHORIZED),
        ];
        for (what, breaker, key, status) in cases {
            let started = start(&app).await;
            let mut bad = claims(&idp, &started, "sub-x", "x@example.org");
            breaker(&mut bad, now);
            let response = callback(&app, &idp, &started, bad, key).await;
            assert_eq!(response.status(), status, "{what}");
            let problem = crate::helpers::json_body(response, "application/problem+json").await;
            assert_eq!(problem["status"], status.as_u16(), "{what}");
        }

        // Wrong state: the callback carries a state this browser did not start.
        let mine = start(&app).await;
        let theirs = start(&app).await;
        let crossed = Started { cookie: mine.cookie.clone(), state: theirs.state.clone(), nonce: theirs.nonce.clone(), challenge: theirs.challenge.clone() };
        let wrong_state = callback(&app, &idp, &crossed, claims(&idp, &crossed, "sub-x", "x@example.org"), TEST_KEY).await;
        // A replayed callback: the state was already used.
        let used = start(&app).await;
        let ok = callback(&app, &idp, &used, claims(&idp, &used, "sub-y", "y@example.org"), TEST_KEY).await;
        let sessions_after_ok = session_count(&app).await;
        let replay = callback(&app, &idp, &used, claims(&idp, &used, "sub-y", "y@example.org"), TEST_KEY).await;

        assert_eq!(wrong_state.status(), StatusCode::BAD_REQUEST);
        // A browser (Accept: text/html) is shown a page instead of a problem body.
        let browser_state = start(&app).await;
        let page = app.client
            .get(app.url(&format!("/auth/google/callback?code=nothing&state={}", browser_state.state)))
            .header("accept", "text/html,application/xhtml+xml")
            .send().await.unwrap();
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        assert!(page.text().await.unwrap().contains("Sign-in failed"));
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
        assert_eq!(session_count(&app).await, sessions_after_ok, "no refused callback started a session");
        assert_eq!(sessions_after_ok, 1, "only the one good callback started a session");
        let failures = app.db.fetch_one(query("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.sign_in.failed'")).await.unwrap();
        assert_eq!(failures.get::<i64>("n").unwrap(), 9, "each refusal is in the audit log");
    }
}

#[tokio::test]
async fn without_configuration_google_sign_in_is_not_offered() {
    let app = crate::helpers::spawn_app(pursuit_store::Backend::Sqlite).await;

    let response = app.get("/auth/google/start").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
