//! Wiring: from a [`Config`] to a listening server. `main` stays thin; tests build the same
//! [`Application`] on port 0 with their own database.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use pursuit_store::{ConnectOptions, Db, migrate};
use pursuit_web::{AppState, WebSettings};
use tokio::net::TcpListener;

use crate::config::{Config, Signup};
use pursuit_app::reminders::DispatchReminders;
use pursuit_domain::account::TimeZoneName;
use pursuit_worker::cron::Cron;
use pursuit_worker::jobs::sweep::Sweep;
use pursuit_worker::scheduler::Scheduler;
use pursuit_worker::{Registry, Worker};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A built, listening, migrated application that has not started serving yet.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: Db,
    owner_link: Option<String>,
    worker: Option<Worker>,
    server_limits: pursuit_web::server::ServerLimits,
}

impl Application {
    /// Prepares the data directory, opens and migrates the database, and binds the port.
    /// Each failure is one sentence naming what failed.
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let data_dir = prepare_data_dir(&config.data_dir()?)?;
        let db = open_database(config, &data_dir).await?;
        let report = migrate::run(&db, VERSION)
            .await
            .context("cannot migrate the database")?;
        // The tracker's contact rows stored before contacts had a table, once.
        let promoted = pursuit_app::contacts::promote_stored(&db, jiff::Timestamp::now())
            .await
            .map_err(|e| anyhow::anyhow!("cannot promote the tracker's contacts: {e}"))?;
        if promoted > 0 {
            tracing::info!(
                applications = promoted,
                "tracker contacts promoted to contacts"
            );
        }
        // Planner statistics where missing or stale (SQLite): a slow plan is no reason not
        // to start, so a failure is only logged.
        if let Err(error) = db.optimize().await {
            tracing::warn!(%error, "cannot update the query planner's statistics");
        }
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let local_addr = listener
            .local_addr()
            .context("cannot read the bound address")?;
        let base_url = config.base_url(local_addr);
        let default_timezone = TimeZoneName::parse(&config.default_timezone)
            .map_err(|e| anyhow::anyhow!("invalid configuration: key `default_timezone`: {e}"))?;
        let settings = WebSettings {
            body_limit: config.body_limit_bytes,
            hsts: config.hsts(),
            version: VERSION,
            base_url: base_url.clone(),
            secure_cookies: base_url.starts_with("https://"),
            signup_open: config.signup == Signup::Open,
            default_timezone: default_timezone.clone(),
            fetch_allow_loopback: config.fetch_allow_loopback,
            mailbox_hosts: config.mailbox_hosts(),
            dns: config.dns_resolver()?,
            upload_limit: config.upload_limit_bytes,
            workflow_token: config
                .workflow_token
                .as_ref()
                .map(|t| t.expose().to_owned()),
            client_ip_header: config.client_ip_header()?,
            metrics_token: config.metrics_token.as_ref().map(|t| t.expose().to_owned()),
            sign_in_cache: std::time::Duration::from_millis(config.server.sign_in_cache_ms),
            discovery: config.discovery.app(config.fetch_allow_loopback),
        };
        let files = config.files(&data_dir)?;
        install_crypto_provider();
        let google = pursuit_web::auth::google::from_settings(config.google.as_ref().map(|g| {
            pursuit_web::auth::google::GoogleSettings {
                client_id: g.client_id.clone(),
                client_secret: g.client_secret.expose().to_owned(),
                issuer: g.issuer.clone(),
            }
        }))
        .map_err(|e| anyhow::anyhow!("cannot set up sign-in with Google: {e}"))?;
        let embedder = std::sync::Arc::new(config.embeddings.embedder()?);
        tracing::info!(representation = embedder.name(), "embeddings ready");
        let ai = config.ai_parts(&data_dir)?;
        let state = AppState::new(db.clone(), settings, config.mailer(&data_dir)?)
            .with_ai(ai.ai.clone())
            .with_secrets(ai.secrets.clone())
            .with_features(ai.features.clone())
            .with_google(google)
            .with_files(files.clone())
            .with_embedder(embedder.clone());
        // On the embedded default a single user needs no email to start: print a link.
        let embedded = config
            .database_url
            .as_ref()
            .is_none_or(|url| url.expose().starts_with("sqlite:"));
        let owner_link = if embedded {
            pursuit_web::auth::magic_link::owner_link(&db, &base_url, &default_timezone)
                .await
                .context("cannot prepare the owner's sign-in link")?
        } else {
            None
        };
        pursuit_web::metrics::handle();
        let mailer = state.mailer.clone();
        let router = pursuit_web::router(state);
        let worker = Worker::new(
            db.clone(),
            mailer,
            Registry::standard(),
            config.worker.worker_config(config.job_settings(
                base_url.clone(),
                Some(files),
                embedder,
                ai,
            )?),
        )
        .with_scheduler(standard_schedule());
        tracing::info!(
            database = %config.database_description(&data_dir),
            schema.version = report.version,
            instance.id = %report.instance_id,
            "application built"
        );
        let server_limits = config.server.limits(raise_open_file_limit());
        Ok(Application {
            listener,
            router,
            db,
            owner_link,
            worker: Some(worker),
            server_limits,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The one-time sign-in link of the owner account, while it has never signed in
    /// (embedded installs only).
    pub fn owner_link(&self) -> Option<&str> {
        self.owner_link.as_deref()
    }

    /// The in-process worker, unless [`Application::without_worker`] removed it.
    pub fn worker(&self) -> Option<&Worker> {
        self.worker.as_ref()
    }

    /// Serves without running jobs in this process (`serve --no-worker`): a separate
    /// `pursuit worker` runs them.
    pub fn without_worker(mut self) -> Application {
        self.worker = None;
        self
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish (up to a grace
    /// period) and closes the database cleanly.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Application {
            listener,
            router,
            db,
            worker,
            server_limits,
            ..
        } = self;
        // One shutdown signal, seen by the server and the worker.
        let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing in-flight requests and jobs");
            let _ = stopping_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stop| *stop).await;
        };
        let worker = worker.map(|worker| tokio::spawn(worker.run(stopped(stopping_rx.clone()))));
        let server =
            pursuit_web::server::serve(listener, router, server_limits, stopping_rx.clone());
        let mut server = tokio::spawn(server);
        // Once shutdown starts, in-flight requests get a grace period, not forever.
        let grace = stopped(stopping_rx.clone());
        tokio::select! {
            result = &mut server => result.context("server task failed")?,
            () = async {
                grace.await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!(grace_secs = SHUTDOWN_GRACE.as_secs(), "requests still running after the grace period; stopping anyway");
                server.abort();
            }
        }
        if let Some(worker) = worker {
            // The worker has its own grace period and releases what it cannot finish.
            let _ = worker.await;
        }
        db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// One TLS crypto provider for the whole process (ring): rustls refuses to guess when more
/// than one is compiled in, and ring is the one every TLS user here (SMTP, PostgreSQL, the
/// OpenID client) is built with.
pub fn install_crypto_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The periodic jobs every installation runs.
pub fn standard_schedule() -> Scheduler {
    let daily =
        Cron::parse("17 3 * * *").unwrap_or_else(|_| unreachable!("a valid literal schedule"));
    // Every user's yesterday is over by then, in any zone.
    let nightly =
        Cron::parse("41 2 * * *").unwrap_or_else(|_| unreachable!("a valid literal schedule"));
    let every_minute =
        Cron::parse("* * * * *").unwrap_or_else(|_| unreachable!("a valid literal schedule"));
    Scheduler::default()
        .add(
            "system.sweep",
            daily.clone(),
            jiff::tz::TimeZone::UTC,
            &Sweep::default(),
        )
        .add(
            "analytics.rollup",
            nightly,
            jiff::tz::TimeZone::UTC,
            &pursuit_app::outreach_analytics::RollUpMetrics::default(),
        )
        .add(
            "reminder.dispatch",
            every_minute.clone(),
            jiff::tz::TimeZone::UTC,
            &DispatchReminders::default(),
        )
        .add(
            "outreach.dispatch",
            every_minute.clone(),
            jiff::tz::TimeZone::UTC,
            &pursuit_app::outreach::DispatchOutreach::default(),
        )
        .add(
            "warmup.dispatch",
            every_minute.clone(),
            jiff::tz::TimeZone::UTC,
            &pursuit_app::warmup::DispatchWarmup::default(),
        )
        .add(
            "discovery.dispatch",
            Cron::parse("*/15 * * * *")
                .unwrap_or_else(|_| unreachable!("a valid literal schedule")),
            jiff::tz::TimeZone::UTC,
            &pursuit_app::discovery::DispatchDiscovery::default(),
        )
        .add(
            "replies.read",
            every_minute,
            jiff::tz::TimeZone::UTC,
            &pursuit_app::replies::ReadReplies::default(),
        )
}

/// Raises this process's soft open-file limit to its hard limit (each connection is a file)
/// and returns the limit in force.
fn raise_open_file_limit() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if limit.maximum != limit.current {
            let raised = rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            };
            if setrlimit(Resource::Nofile, raised).is_ok() {
                return limit.maximum;
            }
        }
        limit.current
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// An address a browser on this machine can open: `0.0.0.0`/`::` become loopback.
pub(crate) fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => {
            SocketAddr::from(([127, 0, 0, 1], addr.port()))
        }
        ip if ip.is_unspecified() => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    }
}

/// Creates the data directory if needed and proves it is writable, so a permission problem
/// is reported at boot in plain words rather than as a database error later.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    let probe = dir.join(".pursuit-write-test");
    std::fs::write(&probe, b"ok")
        .with_context(|| format!("the data directory {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(dir.to_path_buf())
}

/// Opens the configured database: PostgreSQL (or an explicit SQLite URL) when
/// `database_url` is set, else `pursuit.db` in the data directory.
pub async fn open_database(config: &Config, data_dir: &Path) -> anyhow::Result<Db> {
    let options = ConnectOptions {
        max_connections: config.database.max_connections,
        acquire_timeout: Duration::from_secs(config.database.acquire_timeout_secs),
        ..ConnectOptions::default()
    };
    let description = config.database_description(data_dir);
    let db = match &config.database_url {
        Some(url) => Db::connect(url.expose(), &options).await,
        None => Db::open_sqlite(&data_dir.join("pursuit.db"), &options).await,
    };
    db.with_context(|| format!("cannot open the database ({description})"))
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
