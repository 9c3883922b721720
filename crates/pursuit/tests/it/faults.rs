//! Faults from outside the process: a full disk. The server keeps serving, says what went
//! wrong, loses nothing it acknowledged, and recovers by itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::auth::{api_token, sign_in};
use crate::helpers::{TestDatabase, spawn_app_with};

/// A small tmpfs, unmounted on drop. `None` where this process may not mount (not root).
struct SmallDisk {
    root: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let root = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(root.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { root })
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    /// Writes a filler file until the disk says no more.
    /// Fills the disk (again: a second call takes what was freed since).
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&filler)
            .unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        // Whatever fits of a small write, too.
        while file.write_all(&[0u8; 512]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.root.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_answers_503_until_space_returns_and_loses_nothing() {
    let Some(disk) = SmallDisk::mount(32) else {
        eprintln!("skipped: mounting a tmpfs needs root (CI runs as root)");
        return;
    };
    let database = TestDatabase {
        url: None,
        data_dir: tempfile::tempdir_in(disk.path()).unwrap(),
    };
    let app = spawn_app_with(database, |_| {}).await;
    let browser = sign_in(&app, "full@example.org", 1).await;
    let (_, token) = api_token(&app, &browser, "disk").await;
    let create = |n: usize| {
        app.client
            .post(app.url("/api/v1/applications"))
            .bearer_auth(&token)
            .json(&json!({"company": format!("Company {n}"), "role_title": "Engineer"}))
            .send()
    };
    let mut acknowledged = 0;
    assert_eq!(create(0).await.unwrap().status(), StatusCode::CREATED);
    acknowledged += 1;

    // Arrange: the disk fills up.
    let filler = disk.fill();

    // Act: writes while it is full.
    let mut refused = 0;
    for n in 1..40 {
        let response = create(n).await.unwrap();
        match response.status() {
            StatusCode::CREATED => acknowledged += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(response.headers().contains_key("retry-after"));
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["type"], "/problems/storage-full", "{body}");
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
            other => panic!(
                "a write on a full disk answered {other}: {}",
                response.text().await.unwrap()
            ),
        }
    }
    assert!(refused >= 3, "writes kept succeeding on a full disk");
    // Reads still work, and readiness tells the truth. SQLite may have freed a little space
    // meanwhile (a connection closed after its failed commit checkpoints and truncates the
    // WAL), so the disk is topped up first: the question is what a full disk answers.
    disk.fill();
    let list = app
        .client
        .get(app.url("/api/v1/applications"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(
        ready.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ready.text().await.unwrap()
    );

    // Space returns: writes succeed again without a restart.
    std::fs::remove_file(filler).unwrap();
    let mut recovered = false;
    for n in 100..150 {
        let response = create(n).await.unwrap();
        if response.status() == StatusCode::CREATED {
            acknowledged += 1;
            recovered = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "writes did not recover after space returned");
    for n in 200..205 {
        assert_eq!(create(n).await.unwrap().status(), StatusCode::CREATED);
        acknowledged += 1;
    }
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);

    // Every acknowledged write is there, and nothing refused was half-written.
    let list: Value = app
        .client
        .get(app.url("/api/v1/applications?limit=200"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        acknowledged,
        "{list}"
    );
    app.stop().await;
}

mod connections {
    use std::time::{Duration, Instant};

    use reqwest::StatusCode;
    use serde_json::Value;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use crate::helpers::{TestApp, TestDatabase, spawn_app_with};

    async fn app_with(adjust: impl FnOnce(&mut pursuit::config::ServerSettings)) -> TestApp {
        spawn_app_with(
            TestDatabase::new(pursuit_store::Backend::Sqlite).await,
            |config| adjust(&mut config.server),
        )
        .await
    }

    async fn connect(app: &TestApp) -> TcpStream {
        TcpStream::connect(app.address.trim_start_matches("http://"))
            .await
            .unwrap()
    }

    /// Reads until the server closes the connection (or `within` passes): the bytes read,
    /// and whether it closed.
    async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (Vec<u8>, bool) {
        let mut seen = Vec::new();
        let deadline = Instant::now() + within;
        let mut buffer = [0u8; 4096];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, stream.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return (seen, true),
                Ok(Ok(n)) => seen.extend_from_slice(&buffer[..n]),
                Err(_) => return (seen, false),
            }
        }
    }

    #[tokio::test]
    async fn headers_sent_too_slowly_are_cut_off() {
        let app = app_with(|server| server.header_timeout_secs = 1).await;
        let mut stream = connect(&app).await;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: pursuit\r\n")
            .await
            .unwrap();

        let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(4)).await;

        assert!(closed, "a connection with half a header stayed open");
    }

    #[tokio::test]
    async fn a_kept_alive_connection_without_requests_is_closed() {
        let app = app_with(|server| {
            server.header_timeout_secs = 30;
            server.idle_timeout_secs = 1;
        })
        .await;
        let mut stream = connect(&app).await;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: pursuit\r\n\r\n")
            .await
            .unwrap();
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");

        let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(4)).await;

        assert!(closed, "an idle kept-alive connection stayed open");
    }

    #[tokio::test]
    async fn a_body_sent_too_slowly_gets_a_408_problem() {
        let app = app_with(|server| server.body_timeout_secs = 1).await;
        let mut stream = connect(&app).await;
        stream
            .write_all(
                b"POST /api/v1/auth/magic-link HTTP/1.1\r\nHost: pursuit\r\n\
                  Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
            )
            .await
            .unwrap();

        let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;

        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("/problems/request-timeout"), "{answer}");
    }

    #[tokio::test]
    async fn a_flood_of_idle_connections_does_not_keep_health_checks_out() {
        let app = app_with(|server| server.max_connections = 32).await;
        // 200 connections: half say nothing, half send half a request.
        let mut flood = Vec::new();
        for n in 0..200 {
            let mut stream = connect(&app).await;
            if n % 2 == 0 {
                stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: pur")
                    .await
                    .unwrap();
            }
            flood.push(stream);
        }

        // Every health check gets in, on a connection of its own, at once.
        for _ in 0..18 {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap();
            let started = Instant::now();
            let response = client
                .get(app.url("/healthz"))
                .timeout(Duration::from_secs(5))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["status"], "ok");
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{:?}",
                started.elapsed()
            );
        }

        // The server made room by closing the longest-idle flood connections.
        let mut closed = 0;
        for stream in &mut flood {
            if read_until_closed(stream, Duration::from_millis(20)).await.1 {
                closed += 1;
            }
        }
        assert!(
            closed >= 200 - 32,
            "only {closed} of 200 idle connections were closed"
        );
    }
}

mod nul {
    use reqwest::StatusCode;
    use serde_json::{Value, json};

    use crate::auth::{api_token, sign_in};
    use crate::helpers::spawn_app;

    fn pointers(problem: &Value) -> Vec<&str> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect()
    }

    both_backends! {
        async fn a_nul_character_is_a_422_naming_the_field_and_nothing_is_stored(backend: Backend) {
            let app = spawn_app(backend).await;
            let browser = sign_in(&app, "nul@example.org", 1).await;
            let (_, token) = api_token(&app, &browser, "nul").await;
            let post = |path: &str, body: Value| app.client.post(app.url(path)).bearer_auth(&token).json(&body).send();

            // JSON bodies: every field holding U+0000 is named.
            let created = post("/api/v1/applications", json!({
                "company": "Acme\u{0}", "role_title": "Engineer", "tags": ["ok", "b\u{0}d"],
            })).await.unwrap();
            assert_eq!(created.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let problem: Value = created.json().await.unwrap();
            assert_eq!(problem["type"], "/problems/validation");
            assert_eq!(pointers(&problem), ["/company", "/tags/1"], "{problem}");
            let posting = post("/api/v1/jobs", json!({"text": "Data Engineer\u{0}\nPython"})).await.unwrap();
            assert_eq!(posting.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(pointers(&posting.json().await.unwrap()), ["/text"]);

            // Query parameters: named as `?name`.
            let search = app.client.get(app.url("/api/v1/search?q=data%00engineer")).bearer_auth(&token).send().await.unwrap();
            assert_eq!(search.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(pointers(&search.json().await.unwrap()), ["?q"]);

            // A CSV file: the line and column.
            let import = app.client.post(app.url("/api/v1/imports")).bearer_auth(&token)
                .header("content-type", "text/csv")
                .body("Company,Role\nGlobex,Analyst\nAcme\0 Corp,Engineer\n")
                .send().await.unwrap();
            assert_eq!(import.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let problem: Value = import.json().await.unwrap();
            assert!(problem["detail"].as_str().unwrap().contains("line 3, Company"), "{problem}");

            // Nothing was half-written.
            let list: Value = app.client.get(app.url("/api/v1/applications")).bearer_auth(&token)
                .send().await.unwrap().json().await.unwrap();
            assert_eq!(list["items"], json!([]));
        }

        async fn the_store_refuses_nul_on_both_backends_alike(backend: Backend) {
            let database = crate::helpers::TestDatabase::new(backend).await;
            let db = database.open().await;

            let text = db.execute(pursuit_store::query("UPDATE pursuit_instance SET created_by_version = $1")
                .bind("1.0\0")).await;
            let json = db.execute(pursuit_store::query("SELECT $1 AS doc")
                .bind(json!({"a": ["x\u{0}"]}))).await;

            assert!(matches!(text, Err(pursuit_store::StoreError::NulInText)), "{text:?}");
            assert!(matches!(json, Err(pursuit_store::StoreError::NulInText)), "{json:?}");
        }
    }
}

mod proxy {
    use reqwest::StatusCode;
    use serde_json::json;

    use crate::helpers::{TestDatabase, spawn_app_with};

    #[tokio::test]
    async fn behind_a_trusted_proxy_each_client_has_its_own_limit_and_metrics_stay_private() {
        let app = spawn_app_with(
            TestDatabase::new(pursuit_store::Backend::Sqlite).await,
            |config| {
                config.client_ip_header = Some("X-Forwarded-For".to_owned());
            },
        )
        .await;
        let ask = |client: &'static str, n: usize| {
            app.client
                .post(app.url("/api/v1/auth/magic-link"))
                .header("x-forwarded-for", format!("198.51.100.7, {client}"))
                .json(&json!({"email": format!("user{n}@example.org")}))
                .send()
        };

        // One client spends its 30 requests…
        let mut last = StatusCode::OK;
        for n in 0..31 {
            last = ask("203.0.113.1", n).await.unwrap().status();
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        // …and another client behind the same proxy is not held by that.
        assert_eq!(
            ask("203.0.113.2", 99).await.unwrap().status(),
            StatusCode::ACCEPTED
        );

        // /metrics answers this machine, not a client the proxy forwards.
        let remote = app
            .client
            .get(app.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.1")
            .send()
            .await
            .unwrap();
        assert_eq!(remote.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get("/metrics").await.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn with_a_metrics_token_metrics_need_it() {
        let app = spawn_app_with(
            TestDatabase::new(pursuit_store::Backend::Sqlite).await,
            |config| {
                config.metrics_token =
                    Some(pursuit::config::Secret::new("scrape-secret-0123456789"));
            },
        )
        .await;

        let without = app.client.get(app.url("/metrics")).send().await.unwrap();
        let wrong = app
            .client
            .get(app.url("/metrics"))
            .bearer_auth("nope")
            .send()
            .await
            .unwrap();
        let with = app
            .client
            .get(app.url("/metrics"))
            .bearer_auth("scrape-secret-0123456789")
            .send()
            .await
            .unwrap();

        assert_eq!(without.status(), StatusCode::FORBIDDEN);
        assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
        assert_eq!(with.status(), StatusCode::OK);
    }
}

mod database_down {
    use std::net::SocketAddr;
    use std::time::{Duration, Instant};

    use reqwest::StatusCode;
    use tokio::net::TcpListener;
    use tokio::task::JoinHandle;

    use crate::auth::{api_token, sign_in};
    use crate::helpers::{TestDatabase, fresh_postgres_database, spawn_app_with};

    /// A TCP relay in front of PostgreSQL that can be cut (the port refuses connections and
    /// open ones are dropped, as when the server dies) and restored on the same port.
    struct Relay {
        address: SocketAddr,
        upstream: SocketAddr,
        task: Option<JoinHandle<()>>,
    }

    impl Relay {
        async fn start(upstream: SocketAddr) -> Relay {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            Relay {
                address,
                upstream,
                task: Some(tokio::spawn(relay(listener, upstream))),
            }
        }

        fn cut(&mut self) {
            if let Some(task) = self.task.take() {
                task.abort();
            }
        }

        async fn restore(&mut self) {
            let listener = TcpListener::bind(self.address).await.unwrap();
            self.task = Some(tokio::spawn(relay(listener, self.upstream)));
        }
    }

    async fn relay(listener: TcpListener, upstream: SocketAddr) {
        // Connections die with this task (aborting a JoinSet aborts its tasks).
        let mut open = tokio::task::JoinSet::new();
        while let Ok((mut client, _)) = listener.accept().await {
            open.spawn(async move {
                if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    }

    #[tokio::test]
    async fn while_postgresql_is_down_requests_fail_fast_with_retry_after_and_recover() {
        if std::env::var("TEST_DATABASE_ADMIN_URL").is_err() {
            panic!("TEST_DATABASE_ADMIN_URL is not set: run the tests through scripts/test");
        }
        let url = fresh_postgres_database().await;
        let (prefix, rest) = url.split_once('@').unwrap();
        let (host_port, database) = rest.split_once('/').unwrap();
        let mut relay = Relay::start(host_port.parse().unwrap()).await;
        let database = TestDatabase {
            url: Some(format!("{prefix}@{}/{database}", relay.address)),
            data_dir: tempfile::tempdir().unwrap(),
        };
        let app = spawn_app_with(database, |_| {}).await;
        let browser = sign_in(&app, "outage@example.org", 1).await;
        let (_, token) = api_token(&app, &browser, "outage").await;
        let list = || {
            app.client
                .get(app.url("/api/v1/applications"))
                .bearer_auth(&token)
                .send()
        };
        assert_eq!(list().await.unwrap().status(), StatusCode::OK);

        // PostgreSQL goes away.
        relay.cut();
        // The first request learns of the outage (within the 5 s acquire timeout)…
        let first = list().await.unwrap();
        assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
        // …the next ones do not wait for it again: at most one short probe a second.
        let started = Instant::now();
        for _ in 0..20 {
            let response = list().await.unwrap();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(response.headers().contains_key("retry-after"));
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "20 requests took {:?}",
            started.elapsed()
        );
        let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);

        // It comes back: so does the app, without a restart.
        relay.restore().await;
        let mut recovered = false;
        for _ in 0..40 {
            if list().await.unwrap().status() == StatusCode::OK {
                recovered = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(
            recovered,
            "requests did not recover after PostgreSQL came back"
        );
    }
}
