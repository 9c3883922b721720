//! Typed settings, read once at boot: defaults → TOML file (`--config`) → `PURSUIT_*`
//! environment variables (and `DATABASE_URL`) → command-line flags. A bad value stops
//! startup with a message naming the key; secrets never reach logs or `Debug` output.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// A value that must not be printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines for a terminal.
    #[default]
    Human,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// Connections in the pool (per process).
    pub max_connections: u32,
    /// Seconds to wait for a connection before answering 503.
    pub acquire_timeout_secs: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            max_connections: 10,
            acquire_timeout_secs: 5,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signup {
    /// The first sign-in of an unknown address creates its account.
    #[default]
    Open,
    /// Only existing accounts can sign in (create them with `pursuit token create`).
    Closed,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurityName {
    /// STARTTLS on a plain connection (port 587); the default.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on localhost.
    None,
}

/// Job discovery (`[discovery]`): where the job boards are, the keys of the keyed ones,
/// and how politely they are asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoverySettings {
    /// Each source's base URL (`[discovery.urls]`: `remotive`, `remoteok`, `himalayas`,
    /// `weworkremotely`, `greenhouse`, `lever`, `ashby`, `serpapi`, `adzuna`); the public
    /// APIs' by default.
    pub urls: pursuit_app::discovery::Urls,
    /// SerpAPI's key; unset, searches cannot choose the `serpapi` source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serpapi_key: Option<Secret>,
    /// Adzuna's application id and key; unset, searches cannot choose `adzuna`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adzuna_app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adzuna_app_key: Option<Secret>,
    /// The country Adzuna searches (`gb`, `us`, `de`, `fr`, …).
    pub adzuna_country: String,
    /// The least time between two requests to one host, in milliseconds.
    pub host_interval_ms: u64,
    /// Retries of a request that may pass (timeouts, 5xx, 429), each after twice the wait
    /// of the one before, starting at `backoff_ms`.
    pub retries: u32,
    pub backoff_ms: u64,
    /// The longest `Retry-After` waited for, in seconds; longer fails the source until the
    /// next run.
    pub max_wait_secs: u64,
    /// How many of a search's title × place queries each day's run asks a query source.
    pub queries_per_day: usize,
    /// The longest one request of a run may take, in seconds (a slower site's attempt fails).
    pub timeout_secs: u64,
}

impl Default for DiscoverySettings {
    fn default() -> Self {
        let app = pursuit_app::discovery::Settings::default();
        DiscoverySettings {
            urls: app.urls,
            serpapi_key: None,
            adzuna_app_id: None,
            adzuna_app_key: None,
            adzuna_country: app.adzuna_country,
            host_interval_ms: app.host_interval.as_millis() as u64,
            retries: app.retries,
            backoff_ms: app.backoff.as_millis() as u64,
            max_wait_secs: app.max_wait.as_secs(),
            queries_per_day: app.queries_per_day,
            timeout_secs: app.limits.timeout.as_secs(),
        }
    }
}

impl DiscoverySettings {
    /// The use cases' settings (`allow_loopback`: `fetch_allow_loopback`, for tests).
    pub fn app(&self, allow_loopback: bool) -> pursuit_app::discovery::Settings {
        let defaults = pursuit_app::discovery::Settings::default();
        pursuit_app::discovery::Settings {
            urls: self.urls.clone(),
            serpapi_key: self.serpapi_key.as_ref().map(|k| k.expose().to_owned()),
            adzuna_keys: self
                .adzuna_app_id
                .clone()
                .zip(self.adzuna_app_key.as_ref().map(|k| k.expose().to_owned())),
            adzuna_country: self.adzuna_country.clone(),
            limits: pursuit_files::fetch::Limits {
                allow_loopback,
                timeout: std::time::Duration::from_secs(self.timeout_secs.max(1)),
                ..defaults.limits
            },
            host_interval: std::time::Duration::from_millis(self.host_interval_ms),
            retries: self.retries,
            backoff: std::time::Duration::from_millis(self.backoff_ms),
            max_wait: std::time::Duration::from_secs(self.max_wait_secs),
            queries_per_day: self.queries_per_day.max(1),
            user_agent: defaults.user_agent,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The sender of every message Pursuit sends.
    pub from: String,
    /// The SMTP server. Unset: messages go to `<data_dir>/outbox/` as .eml files.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurityName,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Secret>,
    /// Seconds to wait on the SMTP server.
    pub smtp_timeout_secs: u64,
    /// Users' own outreach mailboxes may be on this machine or its private network (a mail
    /// server beside a single-user install). Off: public addresses only; cloud metadata
    /// addresses are refused either way.
    pub user_mailboxes_private: bool,
    /// The DNS resolver a mailbox's sending domain is checked with (`ip:port`). Unset: the
    /// first `nameserver` of `/etc/resolv.conf`.
    pub dns_server: Option<String>,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            from: "Pursuit <pursuit@localhost>".to_owned(),
            smtp_host: None,
            smtp_port: 587,
            smtp_security: SmtpSecurityName::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_timeout_secs: 30,
            user_mailboxes_private: false,
            dns_server: None,
        }
    }
}

/// Sign-in with Google (or any OpenID Connect provider at `issuer`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoogleConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// Default `https://accounts.google.com`.
    #[serde(default = "google_issuer")]
    pub issuer: String,
}

/// Where uploaded files are kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum StorageSettings {
    /// `<data_dir>/files` (the default).
    #[default]
    Local,
    /// An S3-compatible bucket (AWS S3, MinIO, Garage, Ceph…).
    S3 {
        bucket: String,
        #[serde(default)]
        region: Option<String>,
        /// For S3-compatible servers, e.g. `http://127.0.0.1:9000`.
        #[serde(default)]
        endpoint: Option<String>,
        access_key_id: String,
        secret_access_key: Secret,
        /// Key prefix inside the bucket.
        #[serde(default)]
        prefix: Option<String>,
    },
}

impl StorageSettings {
    pub fn to_files_config(&self) -> pursuit_files::StorageConfig {
        match self {
            StorageSettings::Local => pursuit_files::StorageConfig::Local,
            StorageSettings::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                prefix,
            } => pursuit_files::StorageConfig::S3 {
                bucket: bucket.clone(),
                region: region.clone(),
                endpoint: endpoint.clone(),
                access_key_id: access_key_id.clone(),
                secret_access_key: secret_access_key.expose().to_owned(),
                prefix: prefix.clone(),
            },
        }
    }
}

/// What turns text into vectors for similarity search (`GET /api/v1/jobs/{id}/chunk-matches`,
/// `GET /api/v1/search`).
/// Matching scores never depend on it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum EmbeddingSettings {
    /// Built-in sparse vectors: stemmed words, their weights, taxonomy skills (the default;
    /// no model, nothing to install).
    #[default]
    Sparse,
    /// A static Model2Vec model in a directory (`model.safetensors`, `tokenizer.json`,
    /// `config.json`), read at startup.
    Local { model_dir: PathBuf },
    /// A server speaking OpenAI's `POST /v1/embeddings` (OpenAI, Ollama, vLLM, llama.cpp…).
    Remote {
        url: String,
        model: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_key: Option<Secret>,
    },
}

impl EmbeddingSettings {
    /// The configured representation, ready to use; an error names the key to fix.
    pub fn embedder(&self) -> anyhow::Result<pursuit_embed::Embedder> {
        match self {
            EmbeddingSettings::Sparse => Ok(pursuit_embed::Embedder::sparse()),
            EmbeddingSettings::Local { model_dir } => pursuit_embed::Embedder::local(model_dir)
                .context("embeddings.model_dir: cannot use the local model"),
            EmbeddingSettings::Remote {
                url,
                model,
                api_key,
            } => pursuit_embed::Embedder::remote(
                url,
                model,
                api_key.as_ref().map(|k| k.expose().to_owned()),
            )
            .context("embeddings.url / embeddings.model: cannot use the remote server"),
        }
    }
}

fn google_issuer() -> String {
    "https://accounts.google.com".to_owned()
}

/// The background worker that `serve` runs in-process and `pursuit worker` runs alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerSettings {
    /// Jobs of each queue that run at once in one process.
    pub queues: std::collections::BTreeMap<String, usize>,
    /// How often an idle queue looks for due jobs, in milliseconds.
    pub poll_interval_ms: u64,
    /// How long a claimed job is held without a heartbeat before another worker may rescue it.
    pub lease_secs: u64,
    /// How long running jobs may take to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            queues: [
                ("default".to_owned(), 4),
                ("discovery".to_owned(), 1),
                ("mail".to_owned(), 2),
                ("mailboxes".to_owned(), 2),
                ("reminders".to_owned(), 16),
            ]
            .into_iter()
            .collect(),
            poll_interval_ms: 200,
            lease_secs: 30,
            shutdown_grace_secs: 20,
        }
    }
}

impl WorkerSettings {
    pub fn worker_config(
        &self,
        settings: pursuit_worker::JobSettings,
    ) -> pursuit_worker::WorkerConfig {
        pursuit_worker::WorkerConfig {
            queues: self
                .queues
                .iter()
                .map(|(name, concurrency)| pursuit_worker::QueueConfig {
                    name: name.clone(),
                    concurrency: *concurrency,
                })
                .collect(),
            poll_interval: std::time::Duration::from_millis(self.poll_interval_ms),
            lease: std::time::Duration::from_secs(self.lease_secs),
            shutdown_grace: std::time::Duration::from_secs(self.shutdown_grace_secs),
            worker_id: pursuit_worker::runtime::new_worker_id(),
            settings,
        }
    }
}

/// How the HTTP server treats connections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Connections open at once. At the limit a new one closes the longest-idle connection;
    /// it is also kept below the process's open-file limit.
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers (also between kept-alive requests).
    pub header_timeout_secs: u64,
    /// Seconds a kept-alive connection may sit without a request before it is closed.
    pub idle_timeout_secs: u64,
    /// Seconds a client has to send a request's body (a slower one gets a 408).
    pub body_timeout_secs: u64,
    /// Milliseconds a sign-in (API token or session) found in the database is trusted
    /// without a new lookup. Sign-outs, revoked tokens and account changes made through
    /// this server are seen at once; made by another process (a second server on the same
    /// PostgreSQL database, `pursuit token revoke`), they take at most this long. `0`: every
    /// request looks its caller up.
    pub sign_in_cache_ms: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            max_connections: 1024,
            header_timeout_secs: 10,
            idle_timeout_secs: 60,
            body_timeout_secs: 60,
            sign_in_cache_ms: 1000,
        }
    }
}

impl ServerSettings {
    /// The limits the server runs with, `max_connections` kept below `open_files` (the
    /// process's open-file limit) with room for the database, logs and file readers.
    pub fn limits(&self, open_files: Option<u64>) -> pursuit_web::server::ServerLimits {
        let by_files = open_files
            .map(|n| usize::try_from(n.saturating_sub(64).max(16)).unwrap_or(usize::MAX))
            .unwrap_or(usize::MAX);
        pursuit_web::server::ServerLimits {
            max_connections: self.max_connections.min(by_files),
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout_secs),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs),
        }
    }
}

/// How uploaded files (resumes) are read into text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReaderSettings {
    /// `process` (the default): each file is read by a child process the kernel holds to
    /// `memory_limit_mb` and the time limit, so a malicious file cannot take the server
    /// down. `thread`: read inside this process (only where child processes cannot start).
    pub isolation: ReaderIsolation,
    /// The most memory (address space) one reader child may use, in MiB.
    pub memory_limit_mb: u64,
    /// Seconds one file may take.
    pub time_limit_secs: u64,
    /// The program started as the reader child; unset: this `pursuit` executable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReaderIsolation {
    #[default]
    Process,
    Thread,
}

impl Default for ReaderSettings {
    fn default() -> Self {
        ReaderSettings {
            isolation: ReaderIsolation::Process,
            memory_limit_mb: 1024,
            time_limit_secs: 10,
            program: None,
        }
    }
}

impl ReaderSettings {
    /// The reader the server and worker use; an error names the key to fix.
    pub fn isolation(&self) -> anyhow::Result<pursuit_files::Isolation> {
        Ok(match self.isolation {
            ReaderIsolation::Thread => pursuit_files::Isolation::Thread,
            ReaderIsolation::Process => {
                let program = match &self.program {
                    Some(program) => program.clone(),
                    None => std::env::current_exe().context(
                        "reader.program: cannot find this executable to start file readers with",
                    )?,
                };
                pursuit_files::Isolation::Process(pursuit_files::ChildReader {
                    program,
                    memory_bytes: self.memory_limit_mb * 1024 * 1024,
                    environment: crate::READER_ENVIRONMENT
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                })
            }
        })
    }
}

fn default_true() -> bool {
    true
}
fn default_percent() -> u8 {
    100
}

/// One feature's rollout (`[features."ai.remote"]`): off for everybody (`enabled = false`)
/// but the `users` listed, or on for a `percent` of users (by a stable hash of their id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureRollout {
    #[serde(default = "default_true")]
    pub enabled: bool,
    #[serde(default = "default_percent")]
    pub percent: u8,
    /// Email addresses it is always on for.
    #[serde(default)]
    pub users: Vec<String>,
}

impl Config {
    /// The feature flags, checked against the known features and the configured providers.
    pub fn flags(&self) -> anyhow::Result<pursuit_domain::flags::Flags> {
        let flags = pursuit_domain::flags::Flags(
            self.features
                .iter()
                .map(|(name, r)| {
                    (
                        name.clone(),
                        pursuit_domain::flags::Rollout {
                            enabled: r.enabled,
                            percent: r.percent,
                            users: r.users.clone(),
                        },
                    )
                })
                .collect(),
        );
        let providers: Vec<&str> = self.ai.providers.keys().map(String::as_str).collect();
        let problems = flags.problems(&providers);
        if problems.is_empty() {
            Ok(flags)
        } else {
            anyhow::bail!("invalid configuration: {}", problems.join("; "))
        }
    }
}

/// Every setting. Field names are the TOML keys and, upper-cased after `PURSUIT_`, the
/// environment variables (nested keys joined by `__`, e.g. `PURSUIT_DATABASE__MAX_CONNECTIONS`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where Pursuit keeps its files (the SQLite database, uploads, the dev outbox).
    /// Default: the platform data directory, e.g. `~/.local/share/pursuit`.
    pub data_dir: Option<PathBuf>,
    /// `postgres://…` to use PostgreSQL; unset means `<data_dir>/pursuit.db` (SQLite).
    pub database_url: Option<Secret>,
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// The address users reach Pursuit at, when it differs from `bind` (behind a proxy).
    /// An `https://` URL turns on HSTS.
    pub public_url: Option<String>,
    /// `human` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter: `info`, `debug`, `pursuit=debug,sqlx=warn`, …
    pub log_level: String,
    /// The largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// `open` (unknown addresses get an account on first sign-in) or `closed`.
    pub signup: Signup,
    /// The IANA zone of new accounts whose browser did not send one.
    pub default_timezone: String,
    /// Days an in-app notification is kept (read or not).
    pub notification_expiry_days: u32,
    /// Let posting URLs point at loopback addresses (127.0.0.1, ::1). For tests only: on a
    /// server others use it lets them reach local services. Private and metadata addresses
    /// stay refused either way.
    pub fetch_allow_loopback: bool,
    /// The largest resume upload accepted, in bytes (PDF, DOCX, …).
    pub upload_limit_bytes: usize,
    /// The shared secret outside parsing workflows send as `X-Workflow-Token` to
    /// `/api/v1/callbacks/*`. Unset: callbacks are off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_token: Option<Secret>,
    /// Behind a reverse proxy: the header it writes the client's address into
    /// (`X-Forwarded-For`, `X-Real-IP`). Rate limits and audit entries then use that address.
    /// Set it only when the proxy overwrites the header; unset, the peer is the client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip_header: Option<String>,
    /// The bearer token a Prometheus scraper sends to `/metrics`. Unset: `/metrics` answers
    /// only clients on this machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_token: Option<Secret>,
    /// The key users' provider keys are sealed under: 64 hex digits (`openssl rand -hex
    /// 32`). Unset: the file `secrets.key` in the data directory, made on first start. Set
    /// it when several instances share one PostgreSQL database; keep it (or the file) with
    /// the backups — without it, stored provider keys must be entered again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets_key: Option<Secret>,
    /// Where uploaded files are kept: `{ kind = "local" }` (the default) or
    /// `{ kind = "s3", bucket, region, endpoint, access_key_id, secret_access_key, prefix }`.
    pub storage: StorageSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    /// Job discovery's sources, keys and pace.
    pub discovery: DiscoverySettings,
    pub worker: WorkerSettings,
    /// Connection limits and timeouts of the HTTP server.
    pub server: ServerSettings,
    /// How uploaded files are read (a child process with memory and time limits).
    pub reader: ReaderSettings,
    /// `{ kind = "sparse" }` (the default), `{ kind = "local", model_dir }` or
    /// `{ kind = "remote", url, model, api_key }`.
    pub embeddings: EmbeddingSettings,
    /// The AI layer: `offline`, `[ai.providers.<name>]` (OpenAI-compatible or Anthropic
    /// servers), `[ai.tasks]` (each task kind's provider chain), the circuit breaker and
    /// the default monthly budget. Unset: the local engine answers everything.
    pub ai: pursuit_ai::AiSettings,
    /// Feature flags by name (`ai.remote`, `ai.spam_check`, `ai.providers.<name>`, …): each
    /// `{ enabled, percent, users }`. Unset: every feature on for everybody.
    pub features: std::collections::BTreeMap<String, FeatureRollout>,
    /// Unset: no "Sign in with Google".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google: Option<GoogleConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            log_format: LogFormat::Human,
            log_level: "info".to_owned(),
            body_limit_bytes: 2 * 1024 * 1024,
            signup: Signup::Open,
            default_timezone: "UTC".to_owned(),
            fetch_allow_loopback: false,
            upload_limit_bytes: 10 * 1024 * 1024,
            workflow_token: None,
            client_ip_header: None,
            metrics_token: None,
            secrets_key: None,
            storage: StorageSettings::Local,
            notification_expiry_days: 30,
            database: DatabaseSettings::default(),
            mail: MailSettings::default(),
            discovery: DiscoverySettings::default(),
            worker: WorkerSettings::default(),
            reader: ReaderSettings::default(),
            server: ServerSettings::default(),
            ai: pursuit_ai::AiSettings::default(),
            features: std::collections::BTreeMap::new(),
            embeddings: EmbeddingSettings::Sparse,
            google: None,
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

impl Config {
    /// Reads the layers in order.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.is_file() {
                anyhow::bail!("config file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        figment = figment
            // PURSUIT_CONFIG names the file itself and is read by the command line.
            .merge(Env::prefixed("PURSUIT_").ignore(&["config"]).split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Serialized::defaults(overrides));
        let config: Config = figment.extract().map_err(describe_figment_error)?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if let Some(url) = &self.database_url {
            let url = url.expose();
            if !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
            {
                anyhow::bail!(
                    "invalid configuration: key `database_url` must start with postgres://, postgresql:// or sqlite:"
                );
            }
        }
        if let Some(public_url) = &self.public_url
            && !(public_url.starts_with("http://") || public_url.starts_with("https://"))
        {
            anyhow::bail!(
                "invalid configuration: key `public_url` must start with http:// or https://"
            );
        }
        if !(1..=3650).contains(&self.notification_expiry_days) {
            anyhow::bail!(
                "invalid configuration: key `notification_expiry_days` must be between 1 and 3650"
            );
        }
        if self.body_limit_bytes < 1024 {
            anyhow::bail!("invalid configuration: key `body_limit_bytes` must be at least 1024");
        }
        if !(1024..=100 * 1024 * 1024).contains(&self.upload_limit_bytes) {
            anyhow::bail!(
                "invalid configuration: key `upload_limit_bytes` must be between 1024 and 104857600"
            );
        }
        if self
            .workflow_token
            .as_ref()
            .is_some_and(|t| t.expose().trim().len() < 16)
        {
            anyhow::bail!(
                "invalid configuration: key `workflow_token` must be at least 16 characters"
            );
        }
        self.client_ip_header()?;
        self.dns_resolver()?;
        if self
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.expose().trim().len() < 16)
        {
            anyhow::bail!(
                "invalid configuration: key `metrics_token` must be at least 16 characters"
            );
        }
        if self.database.max_connections == 0 {
            anyhow::bail!(
                "invalid configuration: key `database.max_connections` must be at least 1"
            );
        }
        pursuit_domain::account::TimeZoneName::parse(&self.default_timezone)
            .map_err(|e| anyhow::anyhow!("invalid configuration: key `default_timezone`: {e}"))?;
        if pursuit_mail::Mailer::outbox(&self.mail.from, Path::new(".")).is_err() {
            anyhow::bail!(
                "invalid configuration: key `mail.from` must be an address like `Pursuit <pursuit@example.org>`"
            );
        }
        if self.worker.queues.is_empty() || self.worker.queues.values().any(|c| *c == 0) {
            anyhow::bail!(
                "invalid configuration: key `worker.queues` needs at least one queue, each with a concurrency of 1 or more"
            );
        }
        if self.worker.lease_secs < 2 || self.worker.poll_interval_ms == 0 {
            anyhow::bail!(
                "invalid configuration: keys `worker.lease_secs` (at least 2) and `worker.poll_interval_ms` (at least 1) are too small"
            );
        }
        if self.server.max_connections < 2
            || [
                self.server.header_timeout_secs,
                self.server.idle_timeout_secs,
                self.server.body_timeout_secs,
            ]
            .iter()
            .any(|secs| !(1..=3600).contains(secs))
        {
            anyhow::bail!(
                "invalid configuration: `server.max_connections` must be at least 2 and `server.*_timeout_secs` between 1 and 3600"
            );
        }
        if self.server.sign_in_cache_ms > 60_000 {
            anyhow::bail!(
                "invalid configuration: key `server.sign_in_cache_ms` must be between 0 and 60000 (a minute)"
            );
        }
        if !(64..=65536).contains(&self.reader.memory_limit_mb)
            || !(1..=600).contains(&self.reader.time_limit_secs)
        {
            anyhow::bail!(
                "invalid configuration: keys `reader.memory_limit_mb` (64 to 65536) and `reader.time_limit_secs` (1 to 600) are out of range"
            );
        }
        if let Some(google) = &self.google {
            if google.client_id.trim().is_empty() || google.client_secret.expose().trim().is_empty()
            {
                anyhow::bail!(
                    "invalid configuration: keys `google.client_id` and `google.client_secret` must not be empty"
                );
            }
            if !(google.issuer.starts_with("https://")
                || google.issuer.starts_with("http://127.0.0.1"))
            {
                anyhow::bail!("invalid configuration: key `google.issuer` must be an https:// URL");
            }
        }
        tracing_subscriber::EnvFilter::try_new(&self.log_level)
            .map_err(|e| anyhow::anyhow!("invalid configuration: key `log_level`: {e}"))?;
        Ok(())
    }

    /// The box users' provider keys are sealed in: `secrets_key`, else `<data_dir>/secrets.key`
    /// (made on first start, owner-only).
    /// The AI layer from `[ai]`, the feature flags and the secrets key: one set, shared by
    /// the web app and the worker.
    pub fn ai_parts(&self, data_dir: &Path) -> anyhow::Result<pursuit_app::ai::AiParts> {
        let ai = pursuit_ai::Ai::new(self.ai.clone())
            .map_err(|e| anyhow::anyhow!("the [ai] settings are not usable: {e}"))?;
        let secrets = self.secret_box(data_dir)?;
        tracing::info!(
            providers = ?ai.providers().iter().map(|p| &p.name).collect::<Vec<_>>(),
            offline = self.ai.offline,
            key.id = secrets.id(),
            "AI layer ready"
        );
        Ok(pursuit_app::ai::AiParts {
            ai: std::sync::Arc::new(ai),
            features: std::sync::Arc::new(self.flags()?),
            secrets: std::sync::Arc::new(secrets),
        })
    }

    pub fn secret_box(&self, data_dir: &Path) -> anyhow::Result<pursuit_app::secrets::SecretBox> {
        match &self.secrets_key {
            Some(key) => pursuit_app::secrets::SecretBox::from_hex(key.expose())
                .map_err(|e| anyhow::anyhow!("invalid configuration: key `secrets_key` {e}")),
            None => pursuit_app::secrets::SecretBox::load_or_create(&data_dir.join("secrets.key"))
                .map_err(|e| anyhow::anyhow!("cannot prepare the secrets key: {e}")),
        }
    }

    /// The trusted proxy's client-address header, as a header name.
    pub fn client_ip_header(&self) -> anyhow::Result<Option<axum::http::HeaderName>> {
        self.client_ip_header
            .as_deref()
            .map(|name| {
                axum::http::HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                    anyhow::anyhow!(
                        "invalid configuration: key `client_ip_header` is not a header name"
                    )
                })
            })
            .transpose()
    }

    /// The data directory, resolving the platform default.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => dirs::data_dir()
                .map(|dir| dir.join("pursuit"))
                .context("no platform data directory is known; set --data-dir or PURSUIT_DATA_DIR"),
        }
    }

    /// The public URL links point to: `public_url`, else the bound address.
    pub fn base_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", crate::app::reachable(bound)),
        }
    }

    /// What jobs need to know about this installation.
    pub fn job_settings(
        &self,
        base_url: String,
        files: Option<pursuit_files::Storage>,
        embedder: std::sync::Arc<pursuit_embed::Embedder>,
        ai: pursuit_app::ai::AiParts,
    ) -> anyhow::Result<pursuit_worker::JobSettings> {
        Ok(pursuit_worker::JobSettings {
            base_url,
            notification_ttl: jiff::SignedDuration::from_hours(
                24 * i64::from(self.notification_expiry_days),
            ),
            product_version: crate::app::VERSION.to_owned(),
            files,
            extract_limits: self.extract_limits(),
            file_reader: self.reader.isolation()?,
            embedder: Some(embedder),
            fetch_limits: pursuit_files::fetch::Limits {
                allow_loopback: self.fetch_allow_loopback,
                ..pursuit_files::fetch::Limits::default()
            },
            ai,
            mailbox_hosts: self.mailbox_hosts(),
            discovery: self.discovery.app(self.fetch_allow_loopback),
        })
    }

    /// Where users' own mailbox servers may be.
    /// The DNS resolver sending domains are checked with (`mail.dns_server`).
    pub fn dns_resolver(&self) -> anyhow::Result<pursuit_mail::dns::Resolver> {
        let timeout = std::time::Duration::from_secs(3);
        match &self.mail.dns_server {
            None => Ok(pursuit_mail::dns::Resolver::system(timeout)),
            Some(text) => {
                let server = text.trim().parse().map_err(|_| {
                    anyhow::anyhow!(
                        "invalid configuration: key `mail.dns_server`: {text:?} is not ip:port (e.g. 1.1.1.1:53)"
                    )
                })?;
                Ok(pursuit_mail::dns::Resolver { server, timeout })
            }
        }
    }

    pub fn mailbox_hosts(&self) -> pursuit_domain::net::AddressPolicy {
        pursuit_domain::net::AddressPolicy {
            allow_private: self.mail.user_mailboxes_private,
        }
    }

    /// How far file readers go: uploads up to `upload_limit_bytes`, defaults otherwise.
    pub fn extract_limits(&self) -> pursuit_files::Limits {
        pursuit_files::Limits {
            max_bytes: self.upload_limit_bytes,
            max_time: std::time::Duration::from_secs(self.reader.time_limit_secs),
            ..pursuit_files::Limits::default()
        }
    }

    /// Opens the configured file storage.
    pub fn files(&self, data_dir: &Path) -> anyhow::Result<pursuit_files::Storage> {
        pursuit_files::Storage::open(&self.storage.to_files_config(), data_dir)
            .map_err(|e| anyhow::anyhow!("cannot open file storage: {e}"))
    }

    /// The mail transport: SMTP when `mail.smtp_host` is set, else the dev outbox.
    pub fn mailer(&self, data_dir: &Path) -> anyhow::Result<pursuit_mail::Mailer> {
        let mailer = match &self.mail.smtp_host {
            None => pursuit_mail::Mailer::outbox(&self.mail.from, &data_dir.join("outbox")),
            Some(host) => pursuit_mail::Mailer::smtp(
                &self.mail.from,
                &pursuit_mail::SmtpSettings {
                    host: host.clone(),
                    port: self.mail.smtp_port,
                    security: match self.mail.smtp_security {
                        SmtpSecurityName::Starttls => pursuit_mail::SmtpSecurity::StartTls,
                        SmtpSecurityName::Tls => pursuit_mail::SmtpSecurity::Tls,
                        SmtpSecurityName::None => pursuit_mail::SmtpSecurity::None,
                    },
                    username: self.mail.smtp_username.clone(),
                    password: self
                        .mail
                        .smtp_password
                        .as_ref()
                        .map(|p| p.expose().to_owned()),
                    timeout: std::time::Duration::from_secs(self.mail.smtp_timeout_secs),
                },
            ),
        };
        mailer.map_err(|e| anyhow::anyhow!("invalid configuration: key `mail`: {e}"))
    }

    /// Whether responses should carry HSTS.
    pub fn hsts(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The database in words fit for a log line: the backend and host, never credentials.
    pub fn database_description(&self, data_dir: &Path) -> String {
        match &self.database_url {
            None => format!("sqlite at {}", data_dir.join("pursuit.db").display()),
            Some(url) => redact_url(url.expose()),
        }
    }
}

/// `postgres://user:pw@host:5432/db?…` → `postgres://host:5432/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "[unparsable database url]".to_owned();
    };
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
    format!("{scheme}://{rest}")
}

fn describe_figment_error(error: figment::Error) -> anyhow::Error {
    let mut messages = Vec::new();
    for e in error {
        let key = e.path.join(".");
        let source = e.metadata.as_ref().map(|m| m.name.to_string());
        let mut message = format!("invalid configuration: key `{key}`: {}", e.kind);
        if let Some(source) = source {
            message.push_str(&format!(" (from {source})"));
        }
        messages.push(message);
    }
    anyhow::anyhow!(messages.join("; "))
}
