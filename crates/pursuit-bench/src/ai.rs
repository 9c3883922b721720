//! The AI layer's own cost, measured against its floor in the same run:
//! - the local engine: p50 and p99 per task on typical inputs;
//! - a remote call's overhead: `Ai::run` against an OpenAI-compatible server in this process
//!   that answers at once, next to a bare HTTP POST of a request of the same size to the same
//!   server (the floor); the difference is what the layer adds (prompt, schema, validation,
//!   accounting);
//! - the use case's cache hit (`pursuit_app::ai::run` answered from `ai_outputs`, which also
//!   writes its call-log and audit rows in one durable commit) next to a bare durable
//!   one-row commit on the same database.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use pursuit_ai::{
    Ai, AiSettings, Context, Input, JsonMode, ProviderKind, ProviderSettings, Request, Routes, Task,
};
use pursuit_store::{ConnectOptions, query};
use pursuit_text::dates::YearMonth;
use serde_json::json;

const RESUME: &str = "Sam Rivera\nsam.rivera@example.org · +1 555 0100 · Portland, OR\n\n\
Summary\nBackend engineer who makes build and deploy pipelines fast and boring.\n\n\
Experience\nSenior Software Engineer | Northwind Logistics | Mar 2020 - Present\n\
- Cut CI build times by 42% by moving the monorepo build to Bazel remote caching\n\
- Led a team of 5 engineers running 40 PostgreSQL clusters in production\n\
- Wrote the on-call runbooks that halved pages per week\n\
Software Engineer | Contoso Retail | Jun 2016 - Feb 2020\n\
- Built the order service in Go handling 3,000 requests per second\n\
- Moved 120 services from VMs to Kubernetes\n\n\
Education\nB.S. Computer Science, Oregon State University, 2016\n\n\
Skills\nGo, Rust, PostgreSQL, Kubernetes, Terraform, Bazel, AWS\n";

const POSTING: &str = "Staff Platform Engineer\nAcme Cloud · Remote (US)\n\n\
About the role\nYou will own the developer platform that 300 engineers ship through.\n\n\
Responsibilities\n- Make CI fast and reliable for a large monorepo\n\
- Run PostgreSQL and Kubernetes in production\n- Mentor engineers and lead design reviews\n\n\
Requirements\n- 7+ years building backend systems\n- Deep experience with Kubernetes and Terraform\n\
- Experience with build systems such as Bazel\n\nNice to have\n- Rust\n\n\
Salary: $190,000 - $230,000 per year\n";

const EMAIL: &str = "Hi Dana,\n\nI read about the platform team's move to Bazel. I led a similar move at \
Northwind that cut CI times by 42%. Act now and get a FREE review, guaranteed!!!\n\nBest,\nSam";

fn request(task: Task) -> Request {
    let input = |label: &'static str, text: &str| Input {
        label,
        text: text.to_owned(),
    };
    match task {
        Task::ParseResume => Request::new(task, vec![input("resume", RESUME)]),
        Task::ParseJob => Request::new(task, vec![input("job description", POSTING)]),
        Task::PainPointMap => Request::new(
            task,
            vec![input("resume", RESUME), input("job description", POSTING)],
        ),
        Task::SpamCheck => Request::new(task, vec![input("email", EMAIL)]),
        Task::JobSummary => Request::new(task, vec![input("job description", POSTING)]),
        Task::SearchTerms => Request::new(
            task,
            vec![
                input("resume", RESUME),
                input("preferences", "titles: Platform Engineer"),
            ],
        ),
        Task::CompanyResearch => Request::new(
            task,
            vec![
                input("company", "Northwind"),
                input(
                    "sources",
                    &serde_json::json!([{"id": "posting:1", "kind": "posting", "title": "Platform Engineer", "text": POSTING}]).to_string(),
                ),
            ],
        ),
        Task::Sequence => Request::new(
            task,
            vec![
                input(
                    "draft",
                    &serde_json::json!({"steps": [{"label": "Intro", "offset_days": 0, "subject": "{role} at {company}", "body": EMAIL}]}).to_string(),
                ),
                input("max_chars", "500"),
            ],
        ),
        Task::Chat => Request::new(
            task,
            vec![
                input("resume", RESUME),
                input("job description", POSTING),
                input("question", "What is missing from my resume for this job?"),
            ],
        ),
        Task::ClassifyReply => Request::new(
            task,
            vec![
                input("subject", "Re: Platform Engineer"),
                input(
                    "reply",
                    "Thanks Sam, this is timely. Could we set up a call on Thursday?",
                ),
                input("sent", "by a person"),
            ],
        ),
        Task::CoverLetter | Task::Refine | Task::TailorCv | Task::Offer => Request::new(
            task,
            vec![
                input("resume", RESUME),
                input("job description", POSTING),
                input("draft", EMAIL),
            ],
        ),
    }
}

fn context() -> Context {
    Context {
        today: YearMonth {
            year: 2026,
            month: Some(12),
        },
        budget_left_usd: None,
        offline: false,
        disabled: Vec::new(),
        full_logging: false,
        own: Vec::new(),
    }
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

/// A server in this process answering every chat completion at once with a valid spam
/// check (OpenAI's documented shape).
async fn instant_server() -> anyhow::Result<String> {
    let answer = json!({
        "id": "c", "object": "chat.completion", "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
            "content": "{\"spam_score\": 0.7, \"spam_words\": [\"FREE\", \"guaranteed\"]}"}}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 20}
    });
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |_body: axum::body::Bytes| {
            let answer = answer.clone();
            async move { axum::Json(answer) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

pub async fn run(rounds: usize, database_url: Option<&str>) -> anyhow::Result<()> {
    println!("pursuit-bench ai: {rounds} runs per figure");
    println!("\nlocal engine            p50 ms    p99 ms");
    let local = Ai::local_only();
    for task in Task::ALL {
        let request = request(task);
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            let answer = local.run(&request, &context()).await;
            samples.push(started.elapsed());
            std::hint::black_box(answer);
        }
        println!(
            "{:<22} {:>7.3}   {:>7.3}",
            task.name(),
            percentile(&mut samples, 0.5),
            percentile(&mut samples, 0.99)
        );
    }

    // A remote call against a bare POST of the same size to the same server.
    let url = instant_server().await?;
    let provider = ProviderSettings {
        kind: ProviderKind::OpenAi,
        url: url.clone(),
        model: "bench".to_owned(),
        api_key: None,
        timeout_secs: 10,
        retries: 0,
        stream: false,
        json_mode: JsonMode::Schema,
        max_tokens: 256,
        price_in_per_million: 0.15,
        price_out_per_million: 0.6,
    };
    let ai = Ai::new(AiSettings {
        providers: [("bench".to_owned(), provider)].into_iter().collect(),
        tasks: Routes {
            classify: vec!["bench".to_owned()],
            ..Routes::default()
        },
        ..AiSettings::default()
    })
    .map_err(anyhow::Error::msg)?;
    let request = request(Task::SpamCheck);
    let body = json!({
        "model": "bench",
        "messages": [{"role": "system", "content": request.system_prompt()}, {"role": "user", "content": request.user_prompt()}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "spam_check", "schema": Task::SpamCheck.schema()}},
    })
    .to_string();
    let client = reqwest::Client::new();
    let endpoint = format!("{url}/v1/chat/completions");
    let (mut floor, mut layer) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let response = client
            .post(&endpoint)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await?;
        let bytes = response.bytes().await?;
        floor.push(started.elapsed());
        std::hint::black_box(bytes);
        let started = Instant::now();
        let answer = ai.run(&request, &context()).await;
        layer.push(started.elapsed());
        anyhow::ensure!(
            answer.provider == "bench",
            "the server did not answer: {answer:?}"
        );
    }
    let (floor50, layer50) = (percentile(&mut floor, 0.5), percentile(&mut layer, 0.5));
    println!("\nremote call (server answers at once)   p50 ms    p99 ms");
    println!(
        "bare POST of the same size (floor)    {:>7.3}   {:>7.3}",
        floor50,
        percentile(&mut floor, 0.99)
    );
    println!(
        "Ai::run                               {:>7.3}   {:>7.3}",
        layer50,
        percentile(&mut layer, 0.99)
    );
    println!(
        "layer overhead per call (p50)         {:>7.3}",
        layer50 - floor50
    );

    // The cache hit against a durable one-row commit, on a fresh SQLite database (or the
    // PostgreSQL database given).
    let dir = tempfile::tempdir()?;
    let (db, backend) =
        crate::setup::database(database_url, dir.path(), &ConnectOptions::default()).await?;
    let now = Timestamp::now();
    let user = crate::setup::user(&db, "ai", now).await?;
    db.execute(query(
        "CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, at TEXT NOT NULL)",
    ))
    .await?;
    // The first run calls the server and keeps its answer.
    let features = pursuit_domain::flags::Flags::default();
    let secrets = pursuit_app::secrets::SecretBox::ephemeral();
    let services = pursuit_app::ai::Services {
        db: &db,
        ai: &ai,
        features: &features,
        secrets: &secrets,
    };
    let caller = pursuit_app::ai::Caller {
        id: user.id,
        email: &user.email,
    };
    let first = pursuit_app::ai::run(services, caller, now, request.clone()).await?;
    anyhow::ensure!(!first.cached, "the first run was cached");
    let (mut commit, mut hit) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let mut tx = db.begin().await?;
        tx.execute(
            query("INSERT INTO bench_floor (id, at) VALUES ($1, $2)")
                .bind(commit.len() as i64)
                .bind(Timestamp::now().to_string()),
        )
        .await?;
        tx.commit().await?;
        commit.push(started.elapsed());
        let started = Instant::now();
        let answer =
            pursuit_app::ai::run(services, caller, Timestamp::now(), request.clone()).await?;
        hit.push(started.elapsed());
        anyhow::ensure!(
            answer.cached,
            "a repeated request was not served from the cache"
        );
    }
    println!("\ncache hit ({backend:<8})               p50 ms    p99 ms");
    println!(
        "durable one-row commit (floor)        {:>7.3}   {:>7.3}",
        percentile(&mut commit, 0.5),
        percentile(&mut commit, 0.99)
    );
    println!(
        "pursuit_app::ai::run, cached          {:>7.3}   {:>7.3}",
        percentile(&mut hit, 0.5),
        percentile(&mut hit, 0.99)
    );
    Ok(())
}

/// The guard on a labelled set (default: the two parts shipped with `pursuit-ai`'s tests):
/// recall, precision, the false-flag rate on faithful texts, recall by kind, and each miss.
pub fn guard(sets: &[std::path::PathBuf], show: bool) -> anyhow::Result<()> {
    let today = YearMonth {
        year: 2026,
        month: Some(12),
    };
    for path in sets {
        let set: pursuit_ai::guard_eval::Set =
            serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let started = Instant::now();
        let score = pursuit_ai::guard_eval::score(&set, today);
        let took = started.elapsed();
        println!(
            "{}: {} texts ({} faithful), {} planted inventions",
            path.display(),
            set.cases.len(),
            score.faithful,
            score.planted
        );
        println!(
            "  recall {:.3} ({}/{})  precision {:.3} ({} of {} flags right)  faithful texts flagged {}/{} ({:.3})  {:.1} ms",
            score.recall(),
            score.caught,
            score.planted,
            score.precision(),
            score.flags - score.false_flags,
            score.flags,
            score.faithful_flagged,
            score.faithful,
            score.false_flag_rate(),
            took.as_secs_f64() * 1000.0
        );
        for (kind, (planted, caught)) in &score.by_kind {
            println!("    {kind:<14} {caught}/{planted}");
        }
        if show {
            for line in &score.misses {
                println!("    {line}");
            }
        }
    }
    Ok(())
}

const POSTINGS: &[&str] = &[
    POSTING,
    "Senior Accountant\nBlue Harbor Foods · Phoenix, AZ\n\nResponsibilities\n- Own the month-end close\n- Prepare journal entries and reconciliations\n\nRequirements\n- 3+ years of accounting experience\n- QuickBooks or SAP\n- CPA preferred\n",
    "Registered Nurse, Cardiac Unit\nLakeside Medical Center\n\nWhat you will do\n- Care for telemetry patients\n- Precept new graduate nurses\n\nWhat you bring\n- Active RN license\n- BLS and ACLS\n- 2 years of acute care experience\n",
];

const EMAILS: &[&str] = &[
    EMAIL,
    "Hi Priya,\n\nI saw the cardiac unit is hiring. I have six years on a telemetry floor and precept new nurses. Could we talk next week?\n\nThanks,\nAna",
    "URGENT!!! You have been selected for an exclusive deal. Click here to claim your FREE bonus now. 100% guaranteed, no obligation.",
];

/// Each task against a real OpenAI-compatible server (llama.cpp's, Ollama, …): how often
/// the first answer fits the schema and rules, how often the repair saves it, how often
/// the local engine has to answer, per-call latency, and what the rules caught.
pub async fn model(
    url: &str,
    model: &str,
    timeout_secs: u64,
    max_tokens: u32,
) -> anyhow::Result<()> {
    let resumes: Vec<String> = {
        let set: serde_json::Value =
            serde_json::from_str(include_str!("../../pursuit-ai/tests/guard/dev.json"))?;
        set["resumes"]
            .as_object()
            .map(|m| {
                m.values()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let provider = ProviderSettings {
        kind: ProviderKind::OpenAi,
        url: url.to_owned(),
        model: model.to_owned(),
        api_key: None,
        timeout_secs,
        retries: 0,
        stream: false,
        json_mode: JsonMode::Schema,
        max_tokens,
        price_in_per_million: 0.0,
        price_out_per_million: 0.0,
    };
    let names = vec!["model".to_owned()];
    let ai = Ai::new(AiSettings {
        providers: [("model".to_owned(), provider)].into_iter().collect(),
        tasks: Routes {
            parse: names.clone(),
            write: names.clone(),
            classify: names.clone(),
            summarise: names,
        },
        breaker_failures: 1000,
        ..AiSettings::default()
    })
    .map_err(anyhow::Error::msg)?;
    let input = |label: &'static str, text: &str| Input {
        label,
        text: text.to_owned(),
    };
    let mut requests: Vec<Request> = Vec::new();
    for resume in &resumes {
        requests.push(Request::new(
            Task::ParseResume,
            vec![input("resume", resume)],
        ));
    }
    for posting in POSTINGS {
        requests.push(Request::new(
            Task::ParseJob,
            vec![input("job description", posting)],
        ));
    }
    for (resume, posting) in resumes.iter().zip(POSTINGS) {
        requests.push(Request::new(
            Task::PainPointMap,
            vec![input("resume", resume), input("job description", posting)],
        ));
    }
    for email in EMAILS {
        requests.push(Request::new(Task::SpamCheck, vec![input("email", email)]));
    }
    println!(
        "pursuit-bench ai-model: {} requests to {model} at {url} (timeout {timeout_secs} s, max_tokens {max_tokens}, json_mode schema, no retries)",
        requests.len()
    );
    println!(
        "task                    first ok  after repair    local  calls  call p50 s  call max s  schema breaks  rule breaks  failures"
    );
    for task in Task::ALL {
        let (mut first_ok, mut repaired, mut local, mut calls) = (0, 0, 0, 0);
        let (mut schema_breaks, mut rule_breaks, mut failures) = (0, 0, 0);
        let mut latencies = Vec::new();
        for request in requests.iter().filter(|r| r.task == task) {
            let answer = ai.run(request, &context()).await;
            for attempt in answer.attempts.iter().filter(|a| a.provider == "model") {
                calls += 1;
                latencies.push(attempt.latency);
                match attempt.outcome.as_str() {
                    "invalid" => {
                        let rules = attempt.detail.contains("not in the")
                            || attempt.detail.contains("not a line of");
                        if rules {
                            rule_breaks += 1;
                        } else {
                            schema_breaks += 1;
                        }
                    }
                    "ok" | "repaired" => {}
                    _ => failures += 1,
                }
            }
            match (answer.provider.as_str(), answer.repaired) {
                ("model", false) => first_ok += 1,
                ("model", true) => repaired += 1,
                _ => local += 1,
            }
        }
        let n = first_ok + repaired + local;
        if n == 0 {
            continue;
        }
        let p50 = if latencies.is_empty() {
            0.0
        } else {
            percentile(&mut latencies, 0.5) / 1000.0
        };
        let max = latencies.iter().max().map_or(0.0, |d| d.as_secs_f64());
        println!(
            "{:<22} {:>4}/{:<4} {:>6}/{:<6} {:>3}/{:<3} {:>5}  {:>10.1}  {:>10.1}  {:>13}  {:>11}  {:>8}",
            task.name(),
            first_ok,
            n,
            first_ok + repaired,
            n,
            local,
            n,
            calls,
            p50,
            max,
            schema_breaks,
            rule_breaks,
            failures
        );
    }
    println!(
        "first ok: the first answer fitted the schema and rules; after repair: valid answers counting those the repair request saved; local: the local engine answered instead"
    );
    Ok(())
}
