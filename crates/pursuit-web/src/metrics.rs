//! `/metrics` in the Prometheus text format.
//!
//! The recorder is process-global (the `metrics` facade allows one), so it is installed
//! once and shared by every application instance in the process (tests spawn several).

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Latency buckets in seconds: fine below 100 ms, where a healthy Pursuit answers.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus handle, installing the recorder on first use.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Suffix("_duration_seconds".to_owned()),
                &LATENCY_BUCKETS,
            )
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; then ours renders nothing
        // recorded elsewhere, which is visible on /metrics rather than fatal.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        "http_requests_total",
        "HTTP requests by method, route and status"
    );
    metrics::describe_histogram!(
        "http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request latency by method and route"
    );
    metrics::describe_gauge!("db_pool_connections", "Database pool connections by state");
    metrics::describe_gauge!("db_pool_max_connections", "Database pool size limit");
    metrics::describe_gauge!(
        "jobs",
        "Background jobs by queue and state (queued, running, retryable, dead)"
    );
    metrics::describe_histogram!(
        "job_start_latency_seconds",
        metrics::Unit::Seconds,
        "Time from a job being due to a worker starting it, by queue"
    );
    metrics::describe_counter!("jobs_finished_total", "Job attempts by kind and outcome");
}

/// Queues seen so far: a queue that drains still reports its states, as zeros.
static QUEUES_SEEN: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

fn record_queue_depth(counts: &[(String, pursuit_store::jobs::JobState, i64)]) {
    use pursuit_store::jobs::JobState;
    let mut seen = QUEUES_SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    seen.extend(counts.iter().map(|(queue, _, _)| queue.clone()));
    for queue in seen.iter() {
        for job_state in [
            JobState::Queued,
            JobState::Running,
            JobState::Retryable,
            JobState::Dead,
        ] {
            let count = counts
                .iter()
                .find(|(q, s, _)| q == queue && *s == job_state)
                .map_or(0, |(_, _, n)| *n);
            metrics::gauge!("jobs", "queue" => queue.clone(), "state" => job_state.as_str())
                .set(count as f64);
        }
    }
}

/// The Prometheus text. It tells how busy the server is and how many accounts and jobs it
/// has, so it answers only a scraper holding `metrics_token`, or — with no token set — a
/// client on this machine (loopback, after the trusted proxy header is applied).
pub async fn render(
    State(state): State<AppState>,
    client: Option<axum::Extension<crate::middleware::ClientIp>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let allowed = match &state.settings.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                pursuit_store::secret::hash(given.trim()) == pursuit_store::secret::hash(token)
            }),
        None => client.is_some_and(|axum::Extension(ip)| ip.0.is_loopback()),
    };
    if !allowed {
        return crate::ApiError::new(crate::problem::ProblemType::Forbidden)
            .with_detail(
                "/metrics answers clients on this machine, or a scraper sending the configured metrics_token as a bearer token",
            )
            .into_response();
    }
    let stats = state.db.pool_stats();
    let backend = state.db.backend().as_str();
    metrics::gauge!("db_pool_connections", "backend" => backend, "state" => "idle")
        .set(f64::from(stats.idle));
    metrics::gauge!("db_pool_connections", "backend" => backend, "state" => "in_use")
        .set(f64::from(stats.size.saturating_sub(stats.idle)));
    metrics::gauge!("db_pool_max_connections", "backend" => backend).set(f64::from(stats.max));
    match pursuit_store::jobs::counts(&state.db).await {
        Ok(counts) => record_queue_depth(&counts),
        Err(error) => tracing::warn!(%error, "queue depth not available for /metrics"),
    }
    let mut response = handle().render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
