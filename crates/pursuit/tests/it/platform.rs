//! The HTTP platform as a client sees it: health, problems, request ids, headers, metrics,
//! the OpenAPI document and the API reference page.

use crate::helpers::{json_body, spawn_app};

both_backends! {
    async fn healthz_answers_ok_with_the_version(backend: Backend) {
        let app = spawn_app(backend).await;

        let response = app.get("/healthz").await;

        assert_eq!(response.status(), 200);
        let body = json_body(response, "application/json").await;
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    }

    async fn readyz_names_the_database_it_reached(backend: Backend) {
        let app = spawn_app(backend).await;

        let response = app.get("/readyz").await;

        assert_eq!(response.status(), 200);
        let body = json_body(response, "application/json").await;
        assert_eq!(body["status"], "ready");
        assert_eq!(body["database"], backend.as_str());
    }

    async fn readyz_answers_503_problem_when_the_database_is_gone(backend: Backend) {
        let app = spawn_app(backend).await;
        app.db.close().await;

        let response = app.get("/readyz").await;

        assert_eq!(response.status(), 503);
        let body = json_body(response, "application/problem+json").await;
        assert_eq!(body["type"], "/problems/unavailable");
        assert!(body.get("detail").is_none(), "a 5xx carries no internals: {body}");
    }

    async fn an_unknown_route_is_a_404_problem(backend: Backend) {
        let app = spawn_app(backend).await;

        let response = app.get("/api/v1/nope").await;

        assert_eq!(response.status(), 404);
        let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        let body = json_body(response, "application/problem+json").await;
        assert_eq!(body["request_id"], request_id.as_str());
        insta::assert_json_snapshot!("unknown_route_problem", body, {
            ".request_id" => "[request-id]"
        });
    }

    async fn a_wrong_method_is_a_405_problem_that_keeps_allow(backend: Backend) {
        let app = spawn_app(backend).await;

        let response = app.client.delete(app.url("/healthz")).send().await.unwrap();

        assert_eq!(response.status(), 405);
        let allow = response.headers()["allow"].to_str().unwrap().to_owned();
        assert!(allow.contains("GET"), "allow: {allow}");
        let body = json_body(response, "application/problem+json").await;
        assert_eq!(body["type"], "/problems/method-not-allowed");
        assert_eq!(body["status"], 405);
    }

    async fn a_body_over_the_limit_is_a_413_problem(backend: Backend) {
        let database = crate::helpers::TestDatabase::new(backend).await;
        let app = crate::helpers::spawn_app_with(database, |c| c.body_limit_bytes = 4096).await;

        let response = app
            .client
            .post(app.url("/healthz"))
            .header("content-type", "application/json")
            .body(vec![b' '; 64 * 1024])
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), 413);
        let body = json_body(response, "application/problem+json").await;
        assert_eq!(body["type"], "/problems/payload-too-large");
    }

    async fn every_response_carries_a_request_id_and_keeps_a_plain_incoming_one(backend: Backend) {
        let app = spawn_app(backend).await;

        let generated = app.get("/healthz").await;
        let kept = app.client.get(app.url("/healthz")).header("x-request-id", "trace-42").send().await.unwrap();
        let replaced = app.client.get(app.url("/healthz")).header("x-request-id", "bad id!").send().await.unwrap();

        let generated = generated.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&generated).is_ok(), "generated id {generated}");
        assert_eq!(kept.headers()["x-request-id"], "trace-42");
        assert_ne!(replaced.headers()["x-request-id"], "bad id!");
    }

    async fn security_headers_are_set_and_hsts_only_behind_https(backend: Backend) {
        let app = spawn_app(backend).await;
        let database = crate::helpers::TestDatabase::new(backend).await;
        let https_app = crate::helpers::spawn_app_with(database, |c| {
            c.public_url = Some("https://jobs.example.org".to_owned());
        })
        .await;

        let plain = app.get("/healthz").await;
        let https = https_app.get("/api/v1/nope").await;

        let headers = plain.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{csp}");
        assert!(headers.get("strict-transport-security").is_none());
        assert!(https.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    }

    async fn metrics_count_requests_by_route_and_show_the_pool(backend: Backend) {
        let app = spawn_app(backend).await;
        app.get("/healthz").await;
        app.get("/api/v1/no-such-thing/123").await;

        let response = app.get("/metrics").await;

        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(text.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"}"#), "{text}");
        assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
        assert!(!text.contains("no-such-thing"), "raw paths must not become labels");
        assert!(text.contains("http_request_duration_seconds_bucket"), "{text}");
        assert!(text.contains(&format!(r#"db_pool_connections{{backend="{}",state="idle"}}"#, backend.as_str())), "{text}");
    }

    async fn the_openapi_document_and_the_reference_page_are_served(backend: Backend) {
        let app = spawn_app(backend).await;

        let document = json_body(app.get("/api/v1/openapi.json").await, "application/json").await;
        let page = app.get("/api/docs/").await;
        let script = app.get("/api/docs/swagger-ui-bundle.js").await;

        assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(document["paths"]["/healthz"]["get"].is_object());
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("swagger"));
        assert_eq!(script.status(), 200, "the page's assets come from Pursuit itself");
    }

    async fn each_problem_type_uri_resolves_to_its_documentation(backend: Backend) {
        let app = spawn_app(backend).await;

        let page = app.get("/problems/validation").await;
        let unknown = app.get("/problems/no-such-type").await;

        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("JSON pointer"));
        assert_eq!(unknown.status(), 404);
    }

    async fn the_server_stops_gracefully_on_request(backend: Backend) {
        let app = spawn_app(backend).await;
        assert_eq!(app.get("/healthz").await.status(), 200);

        app.stop().await;
    }
}
