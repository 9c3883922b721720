//! `pursuit-bench discovery`: job discovery's ingestion throughput and cost per run.
//!
//! A server on 127.0.0.1 plays the boards with generated postings of our own: `companies`
//! employers' Greenhouse boards of `per_board` jobs each (with ETags), and a Remotive
//! answer that lists a share of those same jobs again (another link, the description with a
//! board's line added) next to jobs of its own. One saved search reads them all through the
//! real path (`pursuit_app::discovery::run`: the polite client with no pause between
//! requests, the adapters, the search's filter, the dedup against the user's jobs, the
//! transaction per source) into a fresh SQLite database or the PostgreSQL one given.
//!
//! Printed: run 1 (everything new) as postings read, deduplicated and stored per minute;
//! how many were new and how many duplicates (the expected counts beside them); run 2
//! (nothing changed: every board answers 304) and run 3 (a tenth of the boards changed)
//! with their requests and 304s per source, the cost of a run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use pursuit_app::discovery::{self, Settings, SourceReport};
use pursuit_domain::ids::JobSearchId;
use pursuit_store::ConnectOptions;
use pursuit_store::discovery::{self as store, SearchRow};

pub struct Options {
    pub companies: usize,
    pub per_board: usize,
    /// The share of the boards' jobs Remotive lists again (0–1).
    pub cross_listed: f64,
    pub database_url: Option<String>,
}

/// The boards' answers, built once; `version[i]` is board i's ETag.
struct Site {
    boards: Vec<String>,
    version: std::sync::Mutex<Vec<u32>>,
    remotive: String,
}

const ROLES: [&str; 12] = [
    "Data Engineer",
    "Backend Engineer",
    "Product Designer",
    "Site Reliability Engineer",
    "Data Analyst",
    "Frontend Engineer",
    "Engineering Manager",
    "Machine Learning Engineer",
    "Account Executive",
    "Support Specialist",
    "Security Engineer",
    "Technical Writer",
];
const LEVELS: [&str; 4] = ["", "Senior ", "Staff ", "Junior "];
const PLACES: [&str; 6] = [
    "Berlin, Germany",
    "Lisbon, Portugal",
    "Remote - Europe",
    "London, UK",
    "Madrid, Spain",
    "Amsterdam, Netherlands",
];
const WORDS: [&str; 40] = [
    "build",
    "pipelines",
    "services",
    "customers",
    "platform",
    "reliable",
    "team",
    "data",
    "design",
    "systems",
    "python",
    "rust",
    "sql",
    "kubernetes",
    "own",
    "ship",
    "review",
    "mentor",
    "roadmap",
    "quality",
    "observability",
    "latency",
    "product",
    "research",
    "experiments",
    "growth",
    "billing",
    "search",
    "mobile",
    "security",
    "compliance",
    "analytics",
    "warehouse",
    "models",
    "streaming",
    "events",
    "api",
    "docs",
    "support",
    "onboarding",
];

/// A small deterministic generator (xorshift), so every run serves the same postings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

struct Job {
    company: String,
    title: String,
    place: &'static str,
    description: String,
}

fn description(rng: &mut Rng, company: &str, title: &str) -> String {
    let mut text = format!("{company} is hiring a {title}. ");
    for sentence in 0..12 {
        let words: Vec<&str> = (0..14).map(|_| rng.pick(&WORDS)).collect();
        text.push_str(&format!(
            "Sentence {sentence}: you will {}. ",
            words.join(" ")
        ));
    }
    text
}

fn build(options: &Options) -> (Site, usize, usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut boards = Vec::with_capacity(options.companies);
    let mut all: Vec<(usize, usize, Job)> = Vec::new();
    for c in 0..options.companies {
        let company = format!("Company {c:03}");
        let mut jobs = Vec::new();
        for j in 0..options.per_board {
            // Distinct titles within a board: the role, a level and a team number.
            let title = format!(
                "{}{} (Team {})",
                LEVELS[j % LEVELS.len()],
                ROLES[(j / LEVELS.len()) % ROLES.len()],
                j / (LEVELS.len() * ROLES.len())
            );
            let place = PLACES[(c + j) % PLACES.len()];
            let text = description(&mut rng, &company, &title);
            jobs.push(serde_json::json!({
                "id": c * 100_000 + j, "title": title, "updated_at": "2026-12-01T08:00:00Z",
                "location": {"name": place},
                "absolute_url": format!("https://boards.greenhouse.io/company-{c:03}/jobs/{}", c * 100_000 + j),
                "content": format!("&lt;p&gt;{text}&lt;/p&gt;"),
            }));
            all.push((
                c,
                j,
                Job {
                    company: company.clone(),
                    title,
                    place,
                    description: text,
                },
            ));
        }
        boards.push(
            serde_json::json!({ "jobs": jobs, "meta": {"total": options.per_board} }).to_string(),
        );
    }
    // Remotive: every n-th job again (cross-listed), then jobs of its own as many again.
    let step = (1.0 / options.cross_listed.max(0.001)).round().max(1.0) as usize;
    let mut remotive = Vec::new();
    let mut cross = 0;
    for (i, (c, j, job)) in all.iter().enumerate() {
        if i % step == 0 {
            cross += 1;
            remotive.push(serde_json::json!({
                "id": 9_000_000 + c * 1000 + j, "url": format!("https://remotive.com/remote-jobs/{}", 9_000_000 + c * 1000 + j),
                "title": job.title, "company_name": format!("{} GmbH", job.company), "job_type": "full_time",
                "publication_date": "2026-12-01T09:00:00", "candidate_required_location": job.place,
                "description": format!("<p>{}</p><p>Posted on Remotive.</p>", job.description),
            }));
        }
    }
    let own = cross;
    for k in 0..own {
        let company = format!("Remote Co {k:04}");
        let title = ROLES[k % ROLES.len()].to_owned();
        let text = description(&mut rng, &company, &title);
        remotive.push(serde_json::json!({
            "id": 8_000_000 + k, "url": format!("https://remotive.com/remote-jobs/own-{k}"),
            "title": title, "company_name": company, "job_type": "full_time",
            "candidate_required_location": "Worldwide", "description": format!("<p>{text}</p>"),
        }));
    }
    let site = Site {
        version: std::sync::Mutex::new(vec![1; boards.len()]),
        boards,
        remotive: serde_json::json!({ "job-count": remotive.len(), "jobs": remotive }).to_string(),
    };
    (site, all.len() + own, cross)
}

async fn board(
    State(site): State<Arc<Site>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(index) = token
        .strip_prefix("company-")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|i| *i < site.boards.len())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let version = site.version.lock().map(|v| v[index]).unwrap_or(0);
    let etag = format!("\"{index}-{version}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "application/json".to_owned()),
        ],
        site.boards[index].clone(),
    )
        .into_response()
}

async fn remotive(State(site): State<Arc<Site>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        site.remotive.clone(),
    )
        .into_response()
}

fn summary(label: &str, reports: &[SourceReport], took: Duration) {
    let sum = |f: fn(&SourceReport) -> u32| reports.iter().map(f).sum::<u32>();
    let boards: Vec<&SourceReport> = reports
        .iter()
        .filter(|r| r.source.starts_with("greenhouse:"))
        .collect();
    let remotive = reports.iter().find(|r| r.source == "remotive");
    println!(
        "{label:<28} {:>8.2} s  read {:>6}  new {:>6}  duplicate {:>6}  requests {:>4}  304s {:>4}  failed {}",
        took.as_secs_f64(),
        sum(|r| r.fetched),
        sum(|r| r.new),
        sum(|r| r.duplicate),
        sum(|r| r.cost.requests),
        sum(|r| r.cost.not_modified),
        reports.iter().filter(|r| r.error.is_some()).count(),
    );
    println!(
        "  per source: greenhouse boards {} × ({:.2} requests, {:.2} answered 304); remotive {} request(s), {} answered 304",
        boards.len(),
        boards
            .iter()
            .map(|r| f64::from(r.cost.requests))
            .sum::<f64>()
            / boards.len().max(1) as f64,
        boards
            .iter()
            .map(|r| f64::from(r.cost.not_modified))
            .sum::<f64>()
            / boards.len().max(1) as f64,
        remotive.map_or(0, |r| r.cost.requests),
        remotive.map_or(0, |r| r.cost.not_modified),
    );
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let (site, expected_new, cross) = build(&options);
    let site = Arc::new(site);
    let router = axum::Router::new()
        .route("/greenhouse/{token}/jobs", get(board))
        .route("/remotive", get(remotive))
        .with_state(site.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    let dir = tempfile::tempdir()?;
    let connect = ConnectOptions::default();
    let (db, backend) =
        crate::setup::database(options.database_url.as_deref(), dir.path(), &connect).await?;
    let now = Timestamp::now();
    let user = crate::setup::user(&db, "discovery", now).await?;
    // Stored directly: a search through the use case holds at most 30 boards.
    let search = SearchRow {
        id: JobSearchId::new(),
        user_id: user.id,
        name: "Everything".to_owned(),
        titles: Vec::new(),
        locations: Vec::new(),
        remote: "any".to_owned(),
        sources: vec!["remotive".to_owned()],
        boards: (0..options.companies)
            .map(|c| format!("greenhouse:company-{c:03}"))
            .collect(),
        links: Vec::new(),
        enabled: false,
        email_digest: false,
        last_run_at: None,
        created_at: now,
        updated_at: now,
    };
    store::save_search(&db, &search).await?;
    let mut settings = Settings {
        host_interval: Duration::ZERO,
        ..Settings::default()
    };
    settings.limits.allow_loopback = true;
    settings.urls.remotive = format!("{base}/remotive");
    settings.urls.greenhouse = format!("{base}/greenhouse");

    println!(
        "job discovery, {backend}: {} Greenhouse boards × {} jobs, Remotive {} jobs ({cross} of them the boards' jobs again); expected new {expected_new}, duplicates {cross}",
        options.companies,
        options.per_board,
        cross * 2
    );
    let mut read_per_minute = 0.0;
    for (label, change) in [
        ("run 1 (all new)", 0usize),
        ("run 2 (nothing changed)", 0),
        ("run 3 (a tenth changed)", options.companies.div_ceil(10)),
    ] {
        if change > 0
            && let Ok(mut versions) = site.version.lock()
        {
            for v in versions.iter_mut().take(change) {
                *v += 1;
            }
        }
        let queued =
            discovery::queue_run(&db, user.id, search.id, "manual", Timestamp::now()).await?;
        let started = Instant::now();
        let done = discovery::run(&db, &settings, queued.id, "http://127.0.0.1")
            .await?
            .ok_or_else(|| anyhow::anyhow!("the run was not there"))?;
        let took = started.elapsed();
        let reports: Vec<SourceReport> = serde_json::from_value(done.sources.clone())?;
        if read_per_minute == 0.0 {
            read_per_minute = reports.iter().map(|r| f64::from(r.fetched)).sum::<f64>()
                / took.as_secs_f64()
                * 60.0;
        }
        summary(label, &reports, took);
    }
    println!(
        "throughput (run 1): {read_per_minute:.0} postings per minute read, deduplicated and stored"
    );
    let stored = store::counts(&db, user.id).await?;
    // Each cross-listed Remotive job must sit with the board job it copies (ids
    // 9,000,000 + c·1000 + j ↔ c·100,000 + j), not with another opening of the same title.
    let all = store::jobs(&db, user.id, store::Shown::All, None, 1_000_000, 0).await?;
    let (mut right, mut wrong) = (0, 0);
    for (_, sources) in &all {
        let remotive = sources.iter().find(|s| s.source == "remotive");
        let board = sources.iter().find(|s| s.source == "greenhouse");
        if let (Some(r), Some(b)) = (remotive, board) {
            let r: u64 = r.source_id.parse().unwrap_or(0);
            let b: u64 = b.source_id.parse().unwrap_or(1);
            let (c, j) = ((r - 9_000_000) / 1000, (r - 9_000_000) % 1000);
            if c * 100_000 + j == b {
                right += 1;
            } else {
                wrong += 1;
            }
        }
    }
    println!(
        "jobs stored: {} open; cross-listed copies with the job they copy: {right} of {cross} ({wrong} with another)",
        stored[0]
    );
    Ok(())
}
