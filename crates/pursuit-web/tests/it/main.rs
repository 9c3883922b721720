//! The platform layers under probe routes: every way a request can go wrong ends as an
//! RFC 9457 problem built in one place. The probes sit under exactly the production stack
//! (`with_platform_layers`), and requests go through it in-process.

// Test helpers may unwrap: a failure there is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::extract::Query;
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use http_body_util::BodyExt;
use pursuit_store::{ConnectOptions, Db};
use pursuit_web::{ApiError, AppState, Json, WebSettings};
use serde::Deserialize;
use tower::ServiceExt;

#[derive(Deserialize)]
struct ProbeBody {
    name: String,
    #[allow(dead_code)]
    count: u32,
}

#[derive(Deserialize)]
struct ProbeQuery {
    #[allow(dead_code)]
    page: u32,
}

async fn probe_json(Json(body): Json<ProbeBody>) -> Result<Json<serde_json::Value>, ApiError> {
    if body.name.trim().is_empty() {
        return Err(ApiError::invalid_field("/name", "must not be blank"));
    }
    Ok(Json(serde_json::json!({"name": body.name})))
}

async fn probe_internal() -> Result<(), ApiError> {
    Err(ApiError::internal(std::io::Error::other(
        "secret internal detail: db password is hunter2",
    )))
}

async fn probe_panic() -> &'static str {
    panic!("secret panic detail")
}

async fn probe_query(Query(_): Query<ProbeQuery>) -> &'static str {
    "ok"
}

struct Probe {
    router: Router,
    _dir: tempfile::TempDir,
}

async fn probe_app(body_limit: usize) -> Probe {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite(&dir.path().join("probe.db"), &ConnectOptions::default())
        .await
        .unwrap();
    let settings = WebSettings {
        body_limit,
        hsts: false,
        version: "test",
        base_url: "http://127.0.0.1:1".to_owned(),
        secure_cookies: false,
        signup_open: true,
        default_timezone: pursuit_domain::account::TimeZoneName::utc(),
        fetch_allow_loopback: true,
        mailbox_hosts: pursuit_domain::net::AddressPolicy::default(),
        dns: pursuit_mail::dns::Resolver {
            server: std::net::SocketAddr::from(([127, 0, 0, 1], 53)),
            timeout: std::time::Duration::from_secs(1),
        },
        upload_limit: 0,
        workflow_token: None,
        client_ip_header: None,
        metrics_token: None,
        sign_in_cache: std::time::Duration::from_secs(1),
        discovery: pursuit_app::discovery::Settings::default(),
    };
    let mailer =
        pursuit_mail::Mailer::outbox("pursuit@localhost", &dir.path().join("outbox")).unwrap();
    let state = AppState::new(db, settings, mailer);
    let routes = Router::new()
        .route("/probe/json", post(probe_json))
        .route("/probe/internal", get(probe_internal))
        .route("/probe/panic", get(probe_panic))
        .route("/probe/query", get(probe_query));
    Probe {
        router: pursuit_web::with_platform_layers(routes, state),
        _dir: dir,
    }
}

struct Answer {
    status: StatusCode,
    content_type: String,
    request_id: String,
    body: serde_json::Value,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, request_id) = (header("content-type"), header("x-request-id"));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        content_type,
        request_id,
        body,
    }
}

fn post_json(body: &str) -> Request<Body> {
    Request::post("/probe/json")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn assert_problem(answer: &Answer, status: u16, slug: &str) {
    assert_eq!(answer.status.as_u16(), status, "{}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.body["type"], format!("/problems/{slug}"));
    assert_eq!(answer.body["status"], status);
    assert_eq!(
        answer.body["request_id"],
        answer.request_id.as_str(),
        "the body quotes the request id"
    );
}

#[tokio::test]
async fn a_valid_body_passes_through() {
    let probe = probe_app(4096).await;

    let answer = send(&probe.router, post_json(r#"{"name": "Ada", "count": 1}"#)).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["name"], "Ada");
}

#[tokio::test]
async fn malformed_json_is_a_400_with_the_parser_position() {
    let probe = probe_app(4096).await;

    let answer = send(&probe.router, post_json(r#"{"name": "Ada", "count": }"#)).await;

    assert_problem(&answer, 400, "malformed-json");
    insta::assert_json_snapshot!("malformed_json", answer.body, { ".request_id" => "[request-id]" });
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_a_422() {
    let probe = probe_app(4096).await;

    let missing = send(&probe.router, post_json(r#"{"name": "Ada"}"#)).await;
    let mistyped = send(&probe.router, post_json(r#"{"name": "Ada", "count": -1}"#)).await;

    assert_problem(&missing, 422, "validation");
    assert!(
        missing.body["detail"].as_str().unwrap().contains("count"),
        "{}",
        missing.body
    );
    assert_problem(&mistyped, 422, "validation");
}

#[tokio::test]
async fn a_handler_validation_failure_names_the_field() {
    let probe = probe_app(4096).await;

    let answer = send(&probe.router, post_json(r#"{"name": "  ", "count": 1}"#)).await;

    assert_problem(&answer, 422, "validation");
    insta::assert_json_snapshot!("validation_problem", answer.body, { ".request_id" => "[request-id]" });
}

#[tokio::test]
async fn a_wrong_content_type_is_a_415() {
    let probe = probe_app(4096).await;
    let request = Request::post("/probe/json")
        .header("content-type", "text/plain")
        .body(Body::from(r#"{"name": "Ada", "count": 1}"#))
        .unwrap();

    let answer = send(&probe.router, request).await;

    assert_problem(&answer, 415, "unsupported-media-type");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_with_or_without_content_length() {
    let probe = probe_app(1024).await;
    let big = format!(r#"{{"name": "{}", "count": 1}}"#, "x".repeat(4096));
    let declared = post_json(&big);
    // A streamed body with no Content-Length is cut off by the extractor instead.
    let streamed = Request::post("/probe/json")
        .header("content-type", "application/json")
        .body(Body::from_stream(futures_stream(big.clone())))
        .unwrap();

    let declared = send(&probe.router, declared).await;
    let streamed = send(&probe.router, streamed).await;

    assert_problem(&declared, 413, "payload-too-large");
    assert_problem(&streamed, 413, "payload-too-large");
}

fn futures_stream(
    text: String,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    struct Once(Option<Vec<u8>>);
    impl futures_core::Stream for Once {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.take().map(Ok))
        }
    }
    Once(Some(text.into_bytes()))
}

#[tokio::test]
async fn a_bad_query_string_is_a_400_quoting_the_reason() {
    let probe = probe_app(4096).await;

    let answer = send(
        &probe.router,
        Request::get("/probe/query?page=minus-one")
            .body(Body::empty())
            .unwrap(),
    )
    .await;

    assert_problem(&answer, 400, "bad-request");
    assert!(
        answer.body["detail"].as_str().unwrap().contains("page"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn an_internal_error_is_a_500_that_shows_only_the_request_id() {
    let probe = probe_app(4096).await;

    let answer = send(
        &probe.router,
        Request::get("/probe/internal").body(Body::empty()).unwrap(),
    )
    .await;

    assert_problem(&answer, 500, "internal");
    assert!(!answer.body.to_string().contains("hunter2"));
    insta::assert_json_snapshot!("internal_problem", answer.body, { ".request_id" => "[request-id]" });
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_router_keeps_serving() {
    let probe = probe_app(4096).await;

    let panicked = send(
        &probe.router,
        Request::get("/probe/panic").body(Body::empty()).unwrap(),
    )
    .await;
    let after = send(&probe.router, post_json(r#"{"name": "Ada", "count": 1}"#)).await;

    assert_problem(&panicked, 500, "internal");
    assert!(!panicked.body.to_string().contains("secret panic detail"));
    assert_eq!(after.status, StatusCode::OK);
}

#[tokio::test]
async fn every_catalogued_problem_type_has_a_distinct_slug_and_an_error_status() {
    let mut slugs = std::collections::HashSet::new();
    for kind in pursuit_web::ProblemType::ALL {
        assert!(slugs.insert(kind.slug()), "duplicate slug {}", kind.slug());
        assert!(kind.status().is_client_error() || kind.status().is_server_error());
        assert_eq!(pursuit_web::ProblemType::from_slug(kind.slug()), Some(kind));
        assert!(!kind.title().ends_with('.'));
    }
}

/// Locks the public API description: a change to it shows up in review as a snapshot diff.
#[test]
fn the_openapi_document_is_stable() {
    let document = serde_json::to_value(pursuit_web::openapi_document()).unwrap();
    insta::assert_json_snapshot!("openapi", document, { ".info.version" => "[version]" });
}

/// utoipa names a schema after its type and lets the last one of a name win, so two types
/// of one name would silently answer each other's schema (it happened twice). Every type
/// that derives `ToSchema` in this crate has a name of its own.
#[test]
fn every_api_schema_has_a_name_of_its_own() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut paths,
    );
    let mut seen: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut schema_pending = false;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                schema_pending = true;
                continue;
            }
            if !schema_pending || line.starts_with("#[") || line.starts_with("///") {
                continue;
            }
            schema_pending = false;
            let name = line
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ")
                .trim_start_matches("struct ")
                .trim_start_matches("enum ")
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or_default()
                .to_owned();
            let here = path.display().to_string();
            if let Some(first) = seen.insert(name.clone(), here.clone()) {
                clashes.push(format!("{name}: {first} and {here}"));
            }
        }
    }
    assert!(seen.len() > 50, "only {} schema types found", seen.len());
    assert!(clashes.is_empty(), "schema names used twice: {clashes:#?}");
}
