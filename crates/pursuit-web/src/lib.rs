//! Pursuit's HTTP edge: the axum router, the platform layers, RFC 9457 problems, the
//! OpenAPI document and `/metrics`.
//!
//! # Layout
//! - [`problem`]: the problem catalogue, [`ApiError`] (every handler's error type) and the
//!   one function that builds every problem body.
//! - [`extract`]: extractors whose rejections are problems ([`Json`]).
//! - [`middleware`]: observation, the problem guarantee, panic capture, security headers.
//! - [`request_id`]: the id on every request, response, log line and problem.
//! - feature modules (`health`, `auth`, `applications`, `activities`, `reminders`, `views`,
//!   `import`, `postings`, `matches`, `resumes`, …), each with its own router, merged in
//!   [`router`]: the HTTP shape of a feature (request and response bodies, headers, status
//!   codes) over the use cases of `pursuit-app`, whose `AppError` becomes a problem in one
//!   place (`From<AppError> for ApiError`).
//! - `web`: the pages; a page handler reads its form and calls the same use cases as the
//!   API (never an API handler).

mod activities;
mod ai;
mod ai_providers;
mod analytics;
mod applications;
pub mod auth;
mod calendar;
mod callbacks;
mod chat;
mod companies;
mod contacts;
mod discovery;
mod documents;
mod export;
pub mod extract;
mod feedback;
mod fields;
mod health;
mod idempotency;
mod import;
mod matches;
pub mod metrics;
pub mod middleware;
mod notifications;
mod offers;
mod optimizations;
mod outreach;
mod page;
mod pages;
mod postings;
mod preferences;
pub mod problem;
mod profile;
mod reminders;
mod replies;
pub mod request_id;
mod resumes;
mod sequences;
pub mod server;
mod similarity;
mod tasks;
mod versioned;
mod views;
mod web;
mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use pursuit_store::Db;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use extract::Json;
pub use problem::{ApiError, FieldError, Problem, ProblemType};

/// What the HTTP edge needs from the configuration.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Send `Strict-Transport-Security` (served over TLS or behind an https public URL).
    pub hsts: bool,
    /// The version string shown by `/healthz` and the OpenAPI document.
    pub version: &'static str,
    /// Where users reach Pursuit (`https://jobs.example.org`, or the bound address): the base
    /// of every link Pursuit mails. Never taken from a request's `Host` header, which an
    /// attacker could set to make a sign-in link point at their own site.
    pub base_url: String,
    /// Mark the session cookie `Secure` and `__Host-` (served over HTTPS).
    pub secure_cookies: bool,
    /// Whether the first sign-in of an unknown address creates an account.
    pub signup_open: bool,
    /// The zone of new accounts whose browser did not say.
    pub default_timezone: pursuit_domain::account::TimeZoneName,
    /// Let the URL fetcher reach loopback addresses. For tests only (their servers listen
    /// on 127.0.0.1); never on a server others use, where it opens SSRF to local services.
    pub fetch_allow_loopback: bool,
    /// Where users' own mailbox servers may be (`mail.user_mailboxes_private`).
    pub mailbox_hosts: pursuit_domain::net::AddressPolicy,
    /// The resolver sending domains are checked with (`mail.dns_server`).
    pub dns: pursuit_mail::dns::Resolver,
    /// The largest resume upload accepted, in bytes.
    pub upload_limit: usize,
    /// The shared secret outside workflows send as `X-Workflow-Token` (`None`: callbacks off).
    pub workflow_token: Option<String>,
    /// The header a trusted reverse proxy puts the client's address in (`X-Forwarded-For`,
    /// `X-Real-IP`…). `None`: the connection's peer is the client. Set it only behind a
    /// proxy that overwrites the header, or clients could choose their own address.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// The bearer token `/metrics` asks for; `None`: `/metrics` answers loopback clients only.
    pub metrics_token: Option<String>,
    /// How long a sign-in (token or session) found in the database is trusted without a
    /// new lookup: the longest a change made by another process (a token revoked by a
    /// second server or by `pursuit token revoke`) takes to be seen here. Changes made in
    /// this process are seen at once. Zero: every request looks its caller up.
    pub sign_in_cache: std::time::Duration,
    /// Job discovery's sources (which keyed ones this installation has).
    pub discovery: pursuit_app::discovery::Settings,
}

/// Shared by every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<WebSettings>,
    pub mailer: pursuit_mail::Mailer,
    /// Per-address limit on the sign-in endpoints.
    pub limiter: Arc<auth::rate_limit::RateLimiter>,
    /// Sign-in with Google, when configured.
    pub google: Option<Arc<auth::google::Google>>,
    /// Where uploaded files are kept (`None`: uploads answer 503).
    pub files: Option<pursuit_files::Storage>,
    /// What turns text into vectors for similarity search (default: built-in sparse).
    pub embedder: Arc<pursuit_embed::Embedder>,
    /// The AI layer (default: the local engine only).
    pub ai: Arc<pursuit_ai::Ai>,
    /// Feature flags (default: every feature on).
    pub features: Arc<pursuit_domain::flags::Flags>,
    /// Seals users' provider keys (default: a key of this process only; the binary sets
    /// the instance's).
    pub secrets: Arc<pursuit_app::secrets::SecretBox>,
    /// Recent sign-ins (see [`WebSettings::sign_in_cache`]).
    pub(crate) sign_ins: Arc<auth::cache::SignInCache>,
}

impl AppState {
    /// The state with the default sign-in rate limit (30 requests per address per 10 minutes).
    pub fn new(db: Db, settings: WebSettings, mailer: pursuit_mail::Mailer) -> AppState {
        AppState {
            sign_ins: Arc::new(auth::cache::SignInCache::new(settings.sign_in_cache)),
            db,
            settings: Arc::new(settings),
            mailer,
            limiter: Arc::new(auth::rate_limit::RateLimiter::new(
                30,
                std::time::Duration::from_secs(600),
            )),
            google: None,
            files: None,
            embedder: Arc::new(pursuit_embed::Embedder::sparse()),
            ai: Arc::new(pursuit_ai::Ai::local_only()),
            features: Arc::new(pursuit_domain::flags::Flags::default()),
            secrets: Arc::new(pursuit_app::secrets::SecretBox::ephemeral()),
        }
    }

    /// Sets the box users' provider keys are sealed in.
    pub fn with_secrets(mut self, secrets: Arc<pursuit_app::secrets::SecretBox>) -> AppState {
        self.secrets = secrets;
        self
    }

    /// Sets the feature flags (shared with the worker).
    pub fn with_features(mut self, features: Arc<pursuit_domain::flags::Flags>) -> AppState {
        self.features = features;
        self
    }

    /// The AI layer's services for a use case.
    pub fn ai_services(&self) -> pursuit_app::ai::Services<'_> {
        pursuit_app::ai::Services {
            db: &self.db,
            ai: &self.ai,
            features: &self.features,
            secrets: &self.secrets,
        }
    }

    /// Sets the AI layer.
    pub fn with_ai(mut self, ai: Arc<pursuit_ai::Ai>) -> AppState {
        self.ai = ai;
        self
    }

    /// Sets the representation similarity search uses.
    pub fn with_embedder(mut self, embedder: Arc<pursuit_embed::Embedder>) -> AppState {
        self.embedder = embedder;
        self
    }

    /// Sets where uploaded files are kept.
    pub fn with_files(mut self, files: pursuit_files::Storage) -> AppState {
        self.files = Some(files);
        self
    }

    /// Turns on sign-in with Google.
    pub fn with_google(mut self, google: Option<Arc<auth::google::Google>>) -> AppState {
        self.google = google;
        self
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pursuit API",
        description = "The REST API of Pursuit, the self-hosted job-search copilot. \
            Errors are RFC 9457 problem details (application/problem+json).",
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "platform", description = "Health and readiness"),
        (name = "auth", description = "Sign-in, sessions, API tokens, the caller's account and audit log"),
        (name = "tasks", description = "Background work the caller started: state, progress, errors"),
        (name = "applications", description = "The tracker: applications, their status history"),
        (name = "imports", description = "Bringing applications in from a spreadsheet or another tracker's CSV export: preview, then confirm"),
        (name = "notifications", description = "Reminder delivery the user sees: in-app notifications and the calendar feed"),
        (name = "analytics", description = "What worked: totals, trends, sources, stage conversion, time in stage"),
        (name = "ai", description = "The AI layer: parsing, pain-point maps and spam checks through the configured providers or the local engine; the call log, the month's cost, the caller's AI settings"),
        (name = "documents", description = "Documents Pursuit writes from the user's own material (a CV tailored to a posting, a cover letter, an optimization report), checked by the truthfulness guard; export waits on unsupported claims"),
        (name = "chat", description = "Conversations with the assistant over the user's own data (a posting, the resume, the match), as JSON, server-sent events or a WebSocket; answers about the user pass the guard"),
        (name = "companies", description = "Companies: the details the user gives and research — a summary and facts, each with the source that states it"),
        (name = "profile", description = "The profile and projects documents are written from: typed, or imported from the active resume version or a JSON Resume document"),
        (name = "feedback", description = "Beta feedback: survey responses and, for the instance's owner, their summary"),
        (name = "discovery", description = "Job discovery: saved searches over public job boards, their runs with each source's figures, and the jobs found — once per job, best match first — saved to the tracker in one call"),
        (name = "preferences", description = "Job preferences: titles, places, remote or not, a salary band, seniority, company size, read into normalised values, and the preference tags computed from them"),
    ),
)]
struct ApiDoc;

/// The two ways to authenticate, described for clients: an API token as a bearer token, or
/// the session cookie a browser sign-in sets (with `x-csrf-token` on unsafe requests).
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pst_…")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                auth::SESSION_COOKIE,
                "Set by a sign-in; unsafe requests also need the x-csrf-token header",
            ))),
        );
    }
}

/// The OpenAPI document and the routes it describes, from the handler annotations.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // utoipa copies the crate's licence field, which the project has not set.
    doc.info.license = None;
    let (routes, mut doc) = OpenApiRouter::with_openapi(doc)
        .merge(health::router())
        .merge(auth::router())
        .merge(tasks::router())
        .merge(applications::router())
        .merge(activities::router())
        .merge(views::router())
        .merge(discovery::router())
        .merge(reminders::router())
        .merge(notifications::router())
        .merge(calendar::router())
        .merge(analytics::router())
        .merge(export::router())
        .merge(import::router())
        .merge(postings::router())
        .merge(resumes::router())
        .merge(matches::router())
        .merge(similarity::router())
        .merge(ai::router())
        .merge(ai_providers::router())
        .merge(preferences::router())
        .merge(profile::router())
        .merge(documents::router())
        .merge(optimizations::router())
        .merge(companies::router())
        .merge(contacts::router())
        .merge(sequences::router())
        .merge(offers::router())
        .merge(outreach::router())
        .merge(replies::router())
        .merge(feedback::router())
        .merge(chat::router())
        .merge(callbacks::router())
        .merge(webhooks::router())
        .split_for_parts();
    document_platform_responses(&mut doc);
    (routes, doc)
}

/// Adds to every operation the problems the platform layers can answer with whatever the
/// handler says (a bad query, a slow or large or mistyped body, an over-long target, too
/// many headers, U+0000 in a parameter, a full disk or a database outage, a bug), so a
/// client generated from the document expects them. What a handler documents itself stays.
fn document_platform_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    problem::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let has_body = operation.request_body.is_some();
            let mut add = |status: &str, description: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            add("400", "The request is malformed (a bad parameter or body)");
            add("414", "The request target is too long");
            add(
                "422",
                "A value is invalid (e.g. a parameter holding U+0000)",
            );
            add("431", "Too many or too large headers");
            add("500", "An internal error; the body holds the request id");
            add(
                "503",
                "The database is unreachable or its disk is full; see Retry-After",
            );
            if has_body {
                add("408", "The request body arrived too slowly");
                add("413", "The request body is too large");
                add("415", "The request body's media type is not accepted");
            }
        }
    }
}

/// The OpenAPI document alone (for `pursuit openapi` and the snapshot test).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api().1
}

/// The whole application: every feature router, the docs, and the platform layers.
pub fn router(state: AppState) -> Router {
    let (api_routes, doc) = api();
    let routes = Router::new()
        .merge(api_routes)
        .merge(auth::pages())
        .merge(web::router())
        .route("/metrics", get(metrics::render))
        .route("/calendar/{file}", get(calendar::feed))
        .route("/problems/{slug}", get(pages::problem_type));
    let docs =
        Router::<AppState>::from(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc));
    with_platform_layers(routes.merge(docs), state)
}

/// Applies the layers every route runs under. Public so tests can put probe routes under
/// exactly the stack production uses.
pub fn with_platform_layers(routes: Router<AppState>, state: AppState) -> Router {
    let body_limit = state.settings.body_limit;
    // Uploads may be larger (their route counts the file's bytes itself, see
    // `resumes::read_upload`); every other body is held to `body_limit`.
    let limits = middleware::BodyLimits {
        default: body_limit,
        upload: state.settings.upload_limit.saturating_add(64 * 1024),
    };
    let policy = middleware::SecurityPolicy {
        hsts: state.settings.hsts,
    };
    // Layers run outside-in in the reverse order they are added: the request id is
    // outermost so every log line and problem body below it can quote it.
    let client_ip_header = state.settings.client_ip_header.clone();
    routes
        .fallback(middleware::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            middleware::body_limit,
        ))
        .layer(axum::middleware::from_fn(middleware::request_shape))
        .layer(axum::middleware::from_fn(middleware::ensure_problem))
        .layer(axum::middleware::from_fn(middleware::observe))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn(request_id::middleware))
        .layer(axum::middleware::from_fn_with_state(
            client_ip_header,
            middleware::client_ip,
        ))
}
