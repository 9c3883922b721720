//! Chunk similarity on both backends, with each representation: the built-in sparse
//! vectors (stored once, made again when the text changes), a local Model2Vec model the
//! test writes itself, and a remote server that cannot be reached (503, nothing stored).

use pursuit::config::EmbeddingSettings;
use pursuit_store::query;
use reqwest::StatusCode;
use serde_json::Value;

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestApp, TestDatabase, json_body, spawn_app, spawn_app_with};
use crate::matching::{ACCOUNTANT, COOK, RESUME, add_posting, add_resume, send};

async fn chunk_matches(app: &TestApp, token: &str, job: &str) -> Value {
    let response = send(
        app,
        token,
        "GET",
        &format!("/api/v1/jobs/{job}/chunk-matches"),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response, "application/json").await
}

async fn stored_chunks(app: &TestApp) -> i64 {
    app.db
        .fetch_one(query("SELECT count(*) AS n FROM embedding_chunks"))
        .await
        .unwrap()
        .get("n")
        .unwrap()
}

both_backends! {
    async fn sparse_chunks_are_stored_once_and_made_again_when_the_text_changes(backend: Backend) {
        let app = spawn_app(backend).await;
        let browser = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &browser, "chunks").await.1;
        let accountant = add_posting(&app, &token, ACCOUNTANT).await;
        let cook = add_posting(&app, &token, COOK).await;

        let early = send(&app, &token, "GET", &format!("/api/v1/jobs/{accountant}/chunk-matches"), None).await;
        assert_eq!(early.status(), StatusCode::CONFLICT, "no resume yet");

        let version = add_resume(&app, &token, RESUME).await;
        let found = chunk_matches(&app, &token, &accountant).await;
        assert_eq!(found["representation"], "sparse-1");
        assert_eq!(found["resume_version_id"], version.as_str());
        let pairs = found["matches"].as_array().unwrap();
        assert_eq!(pairs.len(), 1, "{found:#}");
        assert!(pairs[0]["resume_chunk"]["text"].as_str().unwrap().contains("journal entries"));
        assert_eq!(pairs[0]["job_chunk"]["index"], 0);
        let close = found["average"].as_f64().unwrap();
        let far = chunk_matches(&app, &token, &cook).await["average"].as_f64().unwrap();
        assert!(close > far + 0.1, "accountant {close}, cook {far}");
        // Posting chunks of two postings and the resume's, stored.
        assert_eq!(stored_chunks(&app).await, 3);

        // Asked again: the same answer from the stored vectors, nothing added.
        assert_eq!(chunk_matches(&app, &token, &accountant).await, found);
        assert_eq!(stored_chunks(&app).await, 3);

        // The posting's text changed: its chunks are cut and embedded again, not reused.
        app.db
            .execute(
                query("UPDATE job_postings SET raw_text = $1 WHERE id = $2")
                    .bind(COOK)
                    .bind(uuid::Uuid::parse_str(&accountant).unwrap()),
            )
            .await
            .unwrap();
        let changed = chunk_matches(&app, &token, &accountant).await;
        assert!(
            changed["matches"][0]["job_chunk"]["text"].as_str().unwrap().contains("Line Cook"),
            "{changed:#}"
        );
        assert!((changed["average"].as_f64().unwrap() - far).abs() < 1e-6);
        assert_eq!(stored_chunks(&app).await, 3);

        // A run that read a text the posting no longer has (it changed meanwhile) answers
        // for that text but stores nothing over the chunks of the current one.
        let me: Value = json_body(send(&app, &token, "GET", "/api/v1/auth/me", None).await, "application/json").await;
        let user = pursuit_domain::ids::UserId(uuid::Uuid::parse_str(me["user"]["id"].as_str().unwrap()).unwrap());
        let posting = pursuit_domain::ids::PostingId(uuid::Uuid::parse_str(&accountant).unwrap());
        let embedder = std::sync::Arc::new(pursuit_embed::Embedder::sparse());
        let stale = pursuit_app::embeddings::ensure(
            &app.db, &embedder, user, pursuit_store::embeddings::Source::Posting(posting),
            "An older text of the posting", None,
        )
        .await
        .unwrap();
        assert_eq!(stale.len(), 1);
        let rows = app.db
            .fetch_all(query("SELECT text FROM embedding_chunks WHERE posting_id = $1").bind(posting.0))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].get::<String>("text").unwrap().contains("Line Cook"));
    }

    async fn search_finds_the_callers_documents_by_meaning(backend: Backend) {
        let app = spawn_app(backend).await;
        let alice = sign_in(&app, "alice@example.com", 1).await;
        let alice = api_token(&app, &alice, "search").await.1;
        let accountant = add_posting(&app, &alice, ACCOUNTANT).await;
        add_posting(&app, &alice, COOK).await;
        let version = add_resume(&app, &alice, RESUME).await;

        // Documents are embedded in the background when stored and read.
        let path = "/api/v1/search?q=journal%20entries%20and%20reconciliations&limit=5";
        let mut found = Value::Null;
        for _ in 0..300 {
            found = json_body(send(&app, &alice, "GET", path, None).await, "application/json").await;
            let ids: Vec<&str> = found["items"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
            if ids.contains(&accountant.as_str()) && ids.contains(&version.as_str()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(found["representation"], "sparse-1");
        let items = found["items"].as_array().unwrap();
        assert!(items.len() >= 2, "{found:#}");
        let kinds: Vec<&str> = items.iter().map(|h| h["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"posting") && kinds.contains(&"resume_version"), "{found:#}");
        assert!(items.iter().all(|h| h["id"] == accountant.as_str() || h["id"] == version.as_str()
            || h["score"].as_f64().unwrap() < items[0]["score"].as_f64().unwrap()), "{found:#}");
        assert!(items[0]["chunk"]["text"].as_str().unwrap().contains("journal entries"), "{found:#}");
        let limited = json_body(
            send(&app, &alice, "GET", "/api/v1/search?q=journal%20entries&limit=1", None).await,
            "application/json",
        ).await;
        assert_eq!(limited["items"].as_array().unwrap().len(), 1);

        // Another user finds none of it.
        let bob = sign_in(&app, "bob@example.com", 1).await;
        let bob = api_token(&app, &bob, "search").await.1;
        let theirs = json_body(send(&app, &bob, "GET", path, None).await, "application/json").await;
        assert_eq!(theirs["items"], serde_json::json!([]));

        for bad in ["/api/v1/search", "/api/v1/search?q=%20", "/api/v1/search?q=x&limit=0", "/api/v1/search?q=x&limit=51"] {
            let response = send(&app, &alice, "GET", bad, None).await;
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        let long = format!("/api/v1/search?q={}", "a".repeat(2_001));
        assert_eq!(send(&app, &alice, "GET", &long, None).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn a_local_model_from_a_directory_gives_dense_chunk_matches(backend: Backend) {
        let model = tempfile::tempdir().unwrap();
        pursuit_embed::testing::write_tiny_model(model.path());
        let dir = model.path().to_path_buf();
        let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
            config.embeddings = EmbeddingSettings::Local { model_dir: dir };
        })
        .await;
        let browser = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &browser, "local").await.1;
        let developer = add_posting(&app, &token, "Senior software engineer\n\nWrite Rust and Python code").await;
        let nurse = add_posting(&app, &token, "Registered nurse\n\nCaring for patients").await;
        add_resume(&app, &token, "Ana Lima\nSoftware developer\n\nExperience\n- Wrote Python code and Rust services\n").await;

        let close = chunk_matches(&app, &token, &developer).await;
        let name = close["representation"].as_str().unwrap();
        assert!(name.starts_with("model2vec:"), "{name}");
        let far = chunk_matches(&app, &token, &nurse).await;
        let (close, far) = (close["average"].as_f64().unwrap(), far["average"].as_f64().unwrap());
        assert!(close > 0.8, "{close}");
        assert!(close > far + 0.4, "developer {close}, nurse {far}");
        let rows = app.db
            .fetch_one(query("SELECT count(*) AS n FROM embedding_chunks WHERE representation = $1").bind(name))
            .await
            .unwrap();
        assert_eq!(rows.get::<i64>("n").unwrap(), 3);
    }

    async fn an_unreachable_embeddings_server_is_a_503_and_stores_nothing(backend: Backend) {
        // A port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let app = spawn_app_with(TestDatabase::new(backend).await, move |config| {
            config.embeddings = EmbeddingSettings::Remote {
                url: format!("http://127.0.0.1:{port}/v1"),
                model: "text-embedding-3-small".into(),
                api_key: None,
            };
        })
        .await;
        let browser = sign_in(&app, "ana@example.com", 1).await;
        let token = api_token(&app, &browser, "remote").await.1;
        let job = add_posting(&app, &token, ACCOUNTANT).await;
        add_resume(&app, &token, RESUME).await;
        let failed = send(&app, &token, "GET", &format!("/api/v1/jobs/{job}/chunk-matches"), None).await;
        assert_eq!(failed.status(), StatusCode::SERVICE_UNAVAILABLE);
        let problem = json_body(failed, "application/problem+json").await;
        assert_eq!(problem["embeddings_error"], "unreachable", "{problem}");
        assert_eq!(stored_chunks(&app).await, 0);
    }
}

#[tokio::test]
async fn a_bad_model_directory_stops_startup_naming_the_key() {
    let database = TestDatabase::new(pursuit_store::Backend::Sqlite).await;
    let mut config = database.config();
    config.embeddings = EmbeddingSettings::Local {
        model_dir: database.data_dir.path().join("no-such-model"),
    };
    let error = match pursuit::app::Application::build(&config).await {
        Err(e) => format!("{e:#}"),
        Ok(_) => panic!("started without a model"),
    };
    assert!(error.contains("embeddings.model_dir"), "{error}");
    assert!(error.contains("is not a directory"), "{error}");
}
