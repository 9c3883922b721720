//! `pursuit-bench ranking`: `GET /api/v1/jobs?sort=match` on an account with thousands of
//! read postings and a read resume, and what it does to the rest of the server — `/healthz`
//! latency while ten ranked lists are asked at once (a ranking that blocks the async
//! runtime's threads shows here). Give `--binary` twice to measure two builds (e.g. before
//! and after a change) in one run on the same machine: each gets its own fresh account,
//! seeded the same way through the API.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};

use crate::tracker::{percentile, spawn_serve};

pub struct Options {
    pub binaries: Vec<std::path::PathBuf>,
    pub postings: usize,
    pub samples: usize,
    pub seconds: u64,
}

/// Words the generated postings are made of (this benchmark's own, varied enough that the
/// matcher has work to do on every posting).
const TITLES: [&str; 12] = [
    "Backend Engineer",
    "Data Engineer",
    "Frontend Developer",
    "Site Reliability Engineer",
    "Product Designer",
    "Machine Learning Engineer",
    "Mobile Developer",
    "Security Analyst",
    "Technical Writer",
    "Engineering Manager",
    "QA Engineer",
    "Database Administrator",
];
const SKILLS: [&str; 24] = [
    "Rust",
    "Python",
    "Go",
    "TypeScript",
    "React",
    "PostgreSQL",
    "Kubernetes",
    "Terraform",
    "AWS",
    "Docker",
    "Kafka",
    "Spark",
    "SQL",
    "Figma",
    "Swift",
    "Kotlin",
    "Linux",
    "GraphQL",
    "Redis",
    "TensorFlow",
    "CI/CD",
    "Java",
    "C++",
    "Airflow",
];
const DUTIES: [&str; 10] = [
    "Design and build services that handle millions of requests a day",
    "Own the reliability of our production systems and improve on-call",
    "Work with product managers to turn customer problems into shipped features",
    "Review code and mentor engineers across the team",
    "Build data pipelines that feed reporting and machine learning",
    "Write clear documentation for internal and external developers",
    "Improve test coverage and the speed of our release process",
    "Profile and tune database queries and caches",
    "Run experiments and measure their effect on key metrics",
    "Keep our infrastructure secure, patched and observable",
];

/// The `i`th posting's text: a title line, an about line, responsibilities and
/// requirements under headings, a location.
fn posting(i: usize) -> String {
    let pick = |n: usize, k: usize| (i.wrapping_mul(2654435761).wrapping_add(k * 40503)) % n;
    let title = TITLES[pick(TITLES.len(), 1)];
    let skills: Vec<&str> = (0..5).map(|k| SKILLS[pick(SKILLS.len(), k + 2)]).collect();
    let duties: Vec<&str> = (0..4).map(|k| DUTIES[pick(DUTIES.len(), k + 9)]).collect();
    format!(
        "{title}\nCompany {c} is hiring a {title} for its platform team.\n\n\
         Responsibilities\n- {}\n- {}\n- {}\n- {}\n\n\
         Requirements\n- {} years of experience with {} and {}\n- Experience with {}\n- Familiarity with {}\n\n\
         Location: Remote (Europe)\n",
        duties[0],
        duties[1],
        duties[2],
        duties[3],
        2 + pick(6, 20),
        skills[0],
        skills[1],
        skills[2],
        skills[3],
        c = i % 400,
    )
}

const RESUME: &str = "Alex Example\nalex@example.org\n\nSummary\nBackend engineer with seven years of \
experience building reliable services in Rust and Python.\n\nExperience\nSenior Backend Engineer, \
Example Corp (2021 - present)\n- Built payment services in Rust handling 2 million requests a day\n\
- Moved our deployments to Kubernetes and Terraform, cutting release time by 60%\n- Mentored four \
engineers\nBackend Engineer, Sample GmbH (2017 - 2021)\n- Designed PostgreSQL schemas and tuned \
queries for a reporting product\n- Built Kafka pipelines feeding the data team\n\nSkills\nRust, Python, \
PostgreSQL, Kubernetes, Terraform, Docker, Kafka, AWS, Linux\n\nEducation\nBSc Computer Science, \
Example University (2017)\n";

pub async fn run(options: Options) -> anyhow::Result<()> {
    println!(
        "pursuit-bench ranking (sqlite): {} postings, {} sequential samples, {} s of /healthz under ten ranked lists",
        options.postings, options.samples, options.seconds
    );
    for binary in &options.binaries {
        measure(binary, &options)
            .await
            .with_context(|| format!("measuring {}", binary.display()))?;
    }
    Ok(())
}

async fn measure(binary: &std::path::Path, options: &Options) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // The demo account: its token is the last line `pursuit demo` prints.
    let demo = tokio::process::Command::new(binary)
        .arg("demo")
        .arg("--data-dir")
        .arg(dir.path())
        .env("PURSUIT_LOG_LEVEL", "warn")
        .output()
        .await?;
    anyhow::ensure!(
        demo.status.success(),
        "pursuit demo failed: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let token = String::from_utf8_lossy(&demo.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let auth = format!("Bearer {token}");

    // The resume first, with the worker running (it reads the resume); then the postings
    // and the measurements on a server without a worker, so the embedding jobs the
    // postings enqueue neither slow the seeding nor share the figures.
    let seeding = Instant::now();
    {
        let mut command = tokio::process::Command::new(binary);
        command
            .env("PURSUIT_LOG_LEVEL", "warn")
            .stderr(Stdio::inherit());
        let (mut server, base) = spawn_serve(command, dir.path(), None, true).await?;
        seed_resume(&client, &base, &auth).await?;
        server.kill().await?;
    }
    let mut command = tokio::process::Command::new(binary);
    command
        .env("PURSUIT_LOG_LEVEL", "warn")
        .stderr(Stdio::inherit());
    let (mut server, base) = spawn_serve(command, dir.path(), None, false).await?;
    seed_postings(&client, &base, &auth, options.postings).await?;
    println!(
        "\n{}: seeded {} postings and a read resume in {:.1} s",
        binary.display(),
        options.postings,
        seeding.elapsed().as_secs_f64()
    );
    let ranked = format!("{base}/api/v1/jobs?sort=match&limit=50");
    // The first ranking after a start has nothing to reuse: every posting is read and
    // prepared. A build that keeps scores shows it here, apart from the rest.
    let first = Instant::now();
    get_ok(&client, &ranked, &auth).await?;
    println!(
        "  the first ranked list after start (nothing reused): {:.1} ms",
        first.elapsed().as_secs_f64() * 1000.0
    );
    for _ in 0..2 {
        get_ok(&client, &ranked, &auth).await?;
    }
    let mut times = Vec::with_capacity(options.samples);
    for _ in 0..options.samples {
        let t = Instant::now();
        get_ok(&client, &ranked, &auth).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "  GET /api/v1/jobs?sort=match&limit=50, one at a time: p50 {:.1} ms, p99 {:.1} ms ({} requests)",
        percentile(&times, 50.0),
        percentile(&times, 99.0),
        times.len()
    );

    // /healthz every 10 ms while ten clients ask for ranked lists back to back.
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for _ in 0..10 {
        let (client, ranked, auth, stop) = (
            client.clone(),
            ranked.clone(),
            auth.clone(),
            Arc::clone(&stop),
        );
        load.push(tokio::spawn(async move {
            let mut served = 0usize;
            while !stop.load(Ordering::Relaxed) {
                if get_ok(&client, &ranked, &auth).await.is_ok() {
                    served += 1;
                }
            }
            served
        }));
    }
    let health = format!("{base}/healthz");
    let mut healthz = Vec::new();
    let until = Instant::now() + Duration::from_secs(options.seconds);
    while Instant::now() < until {
        let t = Instant::now();
        client.get(&health).send().await?.error_for_status()?;
        healthz.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut served = 0;
    for task in load {
        served += task.await?;
    }
    healthz.sort_by(f64::total_cmp);
    println!(
        "  /healthz while ten ranked lists run: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} probes; {:.1} ranked lists/s served)",
        percentile(&healthz, 50.0),
        percentile(&healthz, 99.0),
        healthz.last().copied().unwrap_or(0.0),
        healthz.len(),
        served as f64 / options.seconds as f64
    );
    server.kill().await?;
    Ok(())
}

async fn get_ok(client: &reqwest::Client, url: &str, auth: &str) -> anyhow::Result<Value> {
    let response = client.get(url).header("authorization", auth).send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "{url}: {status} {body}");
    Ok(body)
}

/// `count` postings, four clients at a time.
async fn seed_postings(
    client: &reqwest::Client,
    base: &str,
    auth: &str,
    count: usize,
) -> anyhow::Result<()> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, base, auth, next) = (
            client.clone(),
            base.to_owned(),
            auth.to_owned(),
            Arc::clone(&next),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return anyhow::Ok(());
                }
                let response = client
                    .post(format!("{base}/api/v1/jobs"))
                    .header("authorization", &auth)
                    .json(&json!({ "text": posting(i) }))
                    .send()
                    .await?;
                anyhow::ensure!(
                    response.status().is_success(),
                    "adding a posting: {}",
                    response.status()
                );
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// A resume, waiting until it has been read.
async fn seed_resume(client: &reqwest::Client, base: &str, auth: &str) -> anyhow::Result<()> {
    let response = client
        .post(format!("{base}/api/v1/resume/from-text"))
        .header("authorization", auth)
        .json(&json!({ "text": RESUME }))
        .send()
        .await?;
    let status = response.status();
    let version: Value = response.json().await?;
    anyhow::ensure!(status.is_success(), "adding the resume: {status} {version}");
    let id = version["id"].as_str().unwrap_or_default().to_owned();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let version = get_ok(client, &format!("{base}/api/v1/resume/versions/{id}"), auth).await?;
        match version["parse_status"].as_str() {
            Some("complete") => return Ok(()),
            Some("failed") => anyhow::bail!("the resume was not read: {version}"),
            _ if Instant::now() > deadline => anyhow::bail!("the resume was not read in 2 min"),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}
