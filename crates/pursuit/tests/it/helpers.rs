//! The test harness: the real application on port 0 with a database of its own.
//!
//! SQLite tests get a fresh file in a temp dir. PostgreSQL tests get a fresh database cloned
//! from a migrated template on the cluster named by `TEST_DATABASE_ADMIN_URL`, which
//! `scripts/test` starts (a throwaway cluster on 127.0.0.1) and removes afterwards.

use std::net::SocketAddr;
use std::time::Duration;

use pursuit::app::Application;
use pursuit::config::{Config, Secret};
use pursuit_store::{Backend, ConnectOptions, Db, Query, migrate};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Writes one test as a module holding a `sqlite` and a `postgres` test, so the report
/// shows each backend's result: `platform::healthz_answers::postgres`.
macro_rules! both_backends {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($backend:ident: Backend) $body:block
    )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: pursuit_store::Backend) $body

            #[tokio::test]
            async fn sqlite() {
                run(pursuit_store::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                run(pursuit_store::Backend::Postgres).await
            }
        }
    )*};
}

const ADMIN_URL_VAR: &str = "TEST_DATABASE_ADMIN_URL";

/// A database for one test, and what keeps it alive.
pub struct TestDatabase {
    /// `None` for SQLite: the app opens `pursuit.db` in its data dir.
    pub url: Option<String>,
    pub data_dir: TempDir,
}

impl TestDatabase {
    pub async fn new(backend: Backend) -> TestDatabase {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(fresh_postgres_database().await),
        };
        TestDatabase { url, data_dir }
    }

    /// A config pointing at this database, listening on a free port.
    pub fn config(&self) -> Config {
        Config {
            data_dir: Some(self.data_dir.path().to_path_buf()),
            database_url: self.url.clone().map(Secret::new),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            // Files are read by the built binary in a child process, as in production (this
            // test executable cannot act as the reader child).
            reader: pursuit::config::ReaderSettings {
                program: Some(env!("CARGO_BIN_EXE_pursuit").into()),
                ..pursuit::config::ReaderSettings::default()
            },
            // The test SMTP servers listen on 127.0.0.1.
            mail: pursuit::config::MailSettings {
                user_mailboxes_private: true,
                // Never the machine's resolver: a closed port answers at once.
                dns_server: Some("127.0.0.1:9".to_owned()),
                ..pursuit::config::MailSettings::default()
            },
            ..Config::default()
        }
    }

    /// Opens the database (migrated) without starting a server.
    pub async fn open(&self) -> Db {
        let config = self.config();
        let db = pursuit::app::open_database(&config, self.data_dir.path())
            .await
            .expect("open");
        migrate::run(&db, "test").await.expect("migrate");
        db
    }
}

/// The running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// Keeps the data dir (and so the SQLite file) alive as long as the app.
    pub database: TestDatabase,
    /// The owner's first-run link this start printed, if any.
    pub owner_link: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let database = TestDatabase::new(backend).await;
    spawn_app_with(database, |_| {}).await
}

pub async fn spawn_app_with(database: TestDatabase, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = database.config();
    adjust(&mut config);
    let app = Application::build(&config)
        .await
        .expect("application builds");
    let address = format!("http://{}", app.local_addr());
    let db = app.db().clone();
    let owner_link = app.owner_link().map(str::to_owned);
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = shutdown_rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        db,
        database,
        owner_link,
        shutdown: Some(shutdown_tx),
        server: Some(server),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.database.data_dir.path()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A board column's companies, top first: `request` is the caller's authenticated GET of
/// `column_path(status)`.
pub async fn column_companies(request: reqwest::RequestBuilder) -> Vec<String> {
    let page: serde_json::Value = request.send().await.unwrap().json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["company"].as_str().unwrap().to_owned())
        .collect()
}

/// The list of a column's applications in the board's order.
pub fn column_path(status: &str) -> String {
    format!("/api/v1/applications?status={status}&sort=-board_position&limit=200")
}

/// Reads a response as JSON, checking its media type.
pub async fn json_body(response: reqwest::Response, media_type: &str) -> serde_json::Value {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with(media_type),
        "content-type {content_type}, want {media_type}"
    );
    response.json().await.expect("json body")
}

fn admin_url() -> String {
    std::env::var(ADMIN_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{ADMIN_URL_VAR} is not set: run the suite with scripts/test, which starts a \
             throwaway PostgreSQL on 127.0.0.1, or point {ADMIN_URL_VAR} at a cluster you own"
        )
    })
}

fn url_with_database(admin_url: &str, database: &str) -> String {
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("admin url has a database path");
    format!("{base}/{database}")
}

/// A new database cloned from the migrated template (created once per cluster and schema).
pub async fn fresh_postgres_database() -> String {
    let admin_url = admin_url();
    let options = ConnectOptions {
        max_connections: 1,
        ..ConnectOptions::default()
    };
    let admin = Db::connect(&admin_url, &options)
        .await
        .expect("connect to the test cluster");
    let template = format!("pursuit_tpl_{}", migrate::fingerprint(Backend::Postgres));
    ensure_template(&admin, &admin_url, &template).await;
    let name = format!("pursuit_test_{}", uuid::Uuid::new_v4().simple());
    // Names are generated here, never user input.
    admin
        .execute(Query::dynamic(format!(
            "CREATE DATABASE {name} TEMPLATE {template}"
        )))
        .await
        .expect("clone the template database");
    admin.close().await;
    url_with_database(&admin_url, &name)
}

async fn ensure_template(admin: &Db, admin_url: &str, template: &str) {
    let is_ready = || async {
        admin
            .fetch_optional(
                pursuit_store::query("SELECT datistemplate FROM pg_database WHERE datname = $1")
                    .bind(template.to_owned()),
            )
            .await
            .expect("read pg_database")
            .map(|row| row.get::<bool>("datistemplate").expect("datistemplate"))
    };
    if is_ready().await == Some(true) {
        return;
    }
    let created = admin
        .execute(Query::dynamic(format!("CREATE DATABASE {template}")))
        .await
        .is_ok();
    if created {
        // This process won the race: migrate the template, then mark it ready.
        let options = ConnectOptions {
            max_connections: 1,
            ..ConnectOptions::default()
        };
        let db = Db::connect(&url_with_database(admin_url, template), &options)
            .await
            .expect("connect to template");
        migrate::run(&db, "test").await.expect("migrate template");
        db.close().await;
        admin
            .execute(Query::dynamic(format!(
                "ALTER DATABASE {template} WITH IS_TEMPLATE true"
            )))
            .await
            .expect("mark template");
        return;
    }
    // Another test process is creating it: wait until it is marked ready.
    for _ in 0..600 {
        if is_ready().await == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("template database {template} did not become ready within 60 s");
}

/// The test SMTP server `scripts/test` started: its port and the maildir it writes.
pub fn test_smtp() -> (u16, std::path::PathBuf) {
    let port = std::env::var("TEST_SMTP_PORT")
        .expect("TEST_SMTP_PORT is not set: run the suite with scripts/test, which starts an SMTP server on 127.0.0.1")
        .parse()
        .expect("a port number");
    let maildir =
        std::env::var("TEST_SMTP_MAILDIR").expect("TEST_SMTP_MAILDIR is set with TEST_SMTP_PORT");
    (port, std::path::PathBuf::from(maildir))
}

/// Waits for the message the SMTP server received for `recipient`.
pub async fn received_by_smtp(maildir: &std::path::Path, recipient: &str) -> String {
    received_by_smtp_with(maildir, recipient, "", Duration::from_secs(5)).await
}

/// Waits up to `within` for a message to `recipient` that contains `needle`.
pub async fn received_by_smtp_with(
    maildir: &std::path::Path,
    recipient: &str,
    needle: &str,
    within: Duration,
) -> String {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(maildir.join(folder)) {
                for entry in entries.filter_map(Result::ok) {
                    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    if text.contains(&format!("To: {recipient}")) && text.contains(needle) {
                        return text;
                    }
                }
            }
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "the SMTP server received nothing for {recipient} with {needle:?} within {within:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering each request with `reply(path)` (a whole
/// raw response); its base URL.
pub async fn raw_site(reply: fn(&str) -> String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 4096];
                let n = socket.read(&mut buffer).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]);
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let _ = socket.write_all(reply(&path).as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

/// A 200 HTML response with `body`.
pub fn html_reply(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A redirect into the cloud metadata service, which the fetcher must refuse.
pub fn metadata_redirect() -> String {
    "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
}

/// The task `task` once it is no longer queued or running (`GET /api/v1/tasks/{id}`),
/// waiting up to 10 s.
pub(crate) async fn task_finished(app: &TestApp, token: &str, task: &str) -> serde_json::Value {
    for _ in 0..400 {
        let state = json_body(
            app.client
                .get(app.url(&format!("/api/v1/tasks/{task}")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
            "application/json",
        )
        .await;
        if !matches!(state["state"].as_str(), Some("queued" | "running")) {
            return state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the task {task} did not finish");
}
