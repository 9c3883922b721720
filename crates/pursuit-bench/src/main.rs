//! `pursuit-bench`: measures a built `pursuit` binary from the outside and prints figures.
//! Benchmarks are not tests: they assert nothing, they report.
//!
//! ```text
//! cargo build --release -p pursuit
//! cargo run --release -p pursuit-bench -- serve --binary target/release/pursuit
//! ```
//!
//! The load generator runs on the same machine as the server, so on a 2-core machine the
//! throughput figure is what one core of server gets while the other drives it.

use std::path::PathBuf;
use std::process::Stdio;

/// The same allocator as `pursuit`, so the floor (served from this process) is as lean as
/// what it is held against.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

mod ai;
mod browser;
mod dedup;
mod discovery;
mod documents;
mod events;
mod fields;
mod floor;
mod matching;
mod outreach;
mod quality;
mod queue;
mod ranking;
mod reminders;
mod replies;
mod sending;
mod setup;
mod skills;
mod tailoring;
mod titles;
mod tracker;
mod truthful;

#[derive(Parser)]
#[command(about = "Benchmarks for Pursuit that print figures")]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// The AI layer: the local engine per task, a remote call's overhead against a bare
    /// POST to the same in-process server, and a cache hit against a durable commit.
    Ai {
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// postgres://… (an empty database you own) for the cache hit; default a fresh
        /// SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Each AI task against a real OpenAI-compatible server (e.g. llama.cpp's with a small
    /// model): schema-valid rate before and after the repair, latency, what the rules caught.
    AiModel {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "local-model")]
        model: String,
        #[arg(long, default_value_t = 180)]
        timeout_secs: u64,
        #[arg(long, default_value_t = 1024)]
        max_tokens: u32,
    },
    /// The truthfulness guard on labelled sets: recall, precision, false flags on faithful
    /// texts, by kind.
    Guard {
        /// Labelled sets (JSON: resumes and cases with planted inventions).
        #[arg(long = "set", default_values = ["crates/pursuit-ai/tests/guard/dev.json", "crates/pursuit-ai/tests/guard/report.json"])]
        sets: Vec<PathBuf>,
        /// Print every miss and false flag.
        #[arg(long)]
        show: bool,
    },
    /// One page of a running Pursuit in headless Chromium, signed in with a session cookie
    /// (e.g. a posting with its match): DOMContentLoaded and load, p50 and max of 15 loads.
    Page {
        /// ChromeDriver, e.g. /usr/bin/chromedriver.
        #[arg(long)]
        chromedriver: PathBuf,
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        base: String,
        /// The value of a signed-in `pursuit_session` cookie.
        #[arg(long)]
        session: String,
        /// The page, e.g. /jobs/<id>.
        #[arg(long)]
        path: String,
    },
    /// Cold start, idle memory, and /healthz throughput and latency of `pursuit serve`.
    Serve {
        /// The pursuit binary to measure (build it with --release first).
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        /// How many cold starts to time.
        #[arg(long, default_value_t = 10)]
        starts: usize,
        /// Concurrent client connections for the throughput run.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// Length of the throughput run, in seconds.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// postgres://… to measure against PostgreSQL instead of a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Read every resume under a folder as an upload is read (in-process): how many were
    /// read, why not, and the time per file by format.
    Resumes {
        /// A folder of resume files (searched recursively).
        dir: PathBuf,
        /// Contact-field truth: a CSV `file,name,email,phone`; or, as `.jsonl`, every
        /// field (contacts, roles, education) of the files it names.
        #[arg(long)]
        truth: Option<PathBuf>,
        /// List every field read wrong (with a `.jsonl` truth).
        #[arg(long)]
        show: bool,
        /// Write every resume as read to this file, one JSON line each (`file`, `resume`).
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Tailored CVs from the built-in engine: unsupported claims the guard finds, required
    /// skills kept and named, time per document.
    Tailor {
        /// Resumes in category folders (the first file of each is used).
        #[arg(long)]
        resumes: PathBuf,
        /// Google careers sample (`;`-separated CSV with Title, Responsibilities, …).
        #[arg(long)]
        google: PathBuf,
        #[arg(long, default_value_t = 20)]
        resumes_limit: usize,
        #[arg(long, default_value_t = 10)]
        postings: usize,
        /// Which file of each folder (0: the first) and how far the postings are shifted:
        /// 0 is the set the guard was tuned on, another offset a set it never saw.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Print examples of unsupported claims.
        #[arg(long)]
        show: bool,
    },
    /// Planning a launch: targets over 24 zones, four steps each, placed into the recipient's
    /// working hours; every planned send checked.
    Plan {
        #[arg(long, default_value_t = 1000)]
        targets: usize,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// A campaign launch: `targets` people x 4 steps rendered, planned and written.
    Launch {
        #[arg(long, default_value_t = 1000)]
        targets: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Simulated days of three mailboxes sending five campaigns under a fake clock, every
    /// message checked: caps, ramps, windows, gaps, RFC 8058 headers, opt-outs honoured.
    SendSim {
        #[arg(long, default_value_t = 60)]
        days: i64,
        /// People per campaign (four emails each).
        #[arg(long, default_value_t = 60)]
        per_campaign: usize,
        /// Addresses that opt out during the run.
        #[arg(long, default_value_t = 40)]
        opt_outs: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// A sender process SIGKILLed at random moments while sending through a real SMTP
    /// server (e.g. `python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox
    /// /tmp/chaos-maildir`): duplicates and lost emails counted from what the server got.
    SendChaos {
        #[arg(long, default_value_t = 100)]
        kills: usize,
        #[arg(long, default_value_t = 2000)]
        people: usize,
        #[arg(long, default_value_t = 2525)]
        port: u16,
        /// The server's maildir (empty before the run).
        #[arg(long)]
        maildir: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// One sender process of `send-chaos` (not run by hand).
    #[command(hide = true)]
    SendChaosChild {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        clock: PathBuf,
        #[arg(long)]
        user: String,
    },
    /// What came back, read and classified, on a corpus of our own (people in seven
    /// languages, automatic answers, bounces of six mail servers, abuse reports): accuracy
    /// per class on a half that may be tuned on and a half held out.
    /// Provider webhooks: a signed SendGrid request checked and queued against a durable
    /// queue insert, then every email's delivery taken and replayed (kept once).
    Events {
        /// The built binary, for the HTTP part.
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        #[arg(long, default_value_t = 500)]
        emails: usize,
        #[arg(long, default_value_t = 300)]
        rounds: usize,
        /// Requests a second in the HTTP part.
        #[arg(long, default_value_t = 50)]
        rate: u64,
        /// Events per request (providers post batches).
        #[arg(long, default_value_t = 10)]
        batch: usize,
        /// PostgreSQL instead of a temporary SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Stop latency: replies put into a real IMAP server (e.g. scripts/imap.sh's Dovecot)
    /// at random times while the built binary runs; the time until the next step of each
    /// person's sequence is cancelled.
    StopLatency {
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        /// The IMAP server on 127.0.0.1 (any user, password `imap-pass`).
        #[arg(long)]
        imap_port: u16,
        #[arg(long, default_value_t = 20)]
        replies: usize,
        /// Over how many seconds the replies arrive.
        #[arg(long, default_value_t = 180)]
        seconds: u64,
    },
    Replies {
        /// List what was read wrong.
        #[arg(long)]
        show: bool,
    },
    /// Job discovery's dedup on a labelled set of our own: pairwise precision and recall.
    Dedup {
        /// List the pairs it got wrong.
        #[arg(long)]
        show: bool,
    },
    /// Job discovery: postings read, deduplicated and stored per minute through the real
    /// run (boards served on 127.0.0.1), and each run's requests and 304s.
    Discovery {
        #[arg(long, default_value_t = 200)]
        companies: usize,
        #[arg(long, default_value_t = 50)]
        per_board: usize,
        /// The share of the boards' jobs Remotive lists again.
        #[arg(long, default_value_t = 0.2)]
        cross_listed: f64,
        /// postgres://… (a database you own); default a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The sender against a local SMTP server (e.g. `python3 -m aiosmtpd -n -l 127.0.0.1:2525`).
    Sender {
        #[arg(long, default_value_t = 2525)]
        port: u16,
        #[arg(long, default_value_t = 1000)]
        messages: usize,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// Documents for 20 profiles × 10 postings of our own: unsupported claims, planted
    /// inventions caught, skills named, PDF and DOCX read back, time per document.
    Truthful {
        /// List the flagged claims, the inventions missed and the read-back misses.
        #[arg(long)]
        show: bool,
    },
    /// The matcher's speed: one parsed pair, and ranking many parsed postings for a resume.
    Match {
        #[arg(long)]
        resume: PathBuf,
        /// A posting as text.
        #[arg(long)]
        job: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        postings: usize,
    },
    /// Ranking quality: postings as queries, resumes in category folders as documents;
    /// P@10, nDCG@10 and MRR for the matcher and three baselines.
    Quality {
        /// Resumes in category folders (`DIR/<CATEGORY>/file`).
        #[arg(long)]
        resumes: PathBuf,
        /// Google careers sample (`;`-separated CSV with Title, Category, …).
        #[arg(long)]
        google: Option<PathBuf>,
        /// rekrute.com postings (SkillNER's translated JSON).
        #[arg(long)]
        rekrut: Option<PathBuf>,
        /// Which half of every data set to measure: tune on one, report on the other.
        #[arg(long, value_enum, default_value = "tune")]
        part: quality::Split,
        /// Give each posting as a title and one block of text (as job boards and JSONL do).
        #[arg(long)]
        flat: bool,
        /// Give no title field: the posting's text starts with its title.
        #[arg(long)]
        untitled: bool,
        /// Bootstrap resamples for the 95% intervals.
        #[arg(long, default_value_t = 1000)]
        resamples: usize,
        /// Print each posting's top five to stderr, and measure each part of the match
        /// alone as a ranker.
        #[arg(long)]
        show: bool,
        /// Also measure the match with other part weights, e.g. `field=40,title=15`
        /// (parts not named weigh nothing).
        #[arg(long, value_delimiter = ',')]
        weights: Vec<String>,
    },
    /// Skill extraction against gold annotations (SkillSpan BIO JSON lines; ESCO-linked
    /// span CSVs): precision, recall, F1.
    Skills {
        /// SkillSpan `dev.json` (or `train.json`).
        #[arg(long)]
        skillspan: Option<PathBuf>,
        /// ESCO-linked annotation CSVs (sentence, span, sub_span, label).
        #[arg(long)]
        esco: Vec<PathBuf>,
        /// Print wrong mentions and missed spans to stderr.
        #[arg(long)]
        show: bool,
    },
    /// The occupation look-up against hand-labelled job titles: how often it names a right
    /// O*NET occupation first.
    Titles {
        /// Title, tab, accepted O*NET-SOC code prefixes (comma-separated).
        #[arg(long, default_value = "crates/pursuit-bench/fixtures/titles.tsv")]
        labels: PathBuf,
        /// Which half of the labels to measure: tune on one, report on the other.
        #[arg(long, value_enum, default_value = "tune")]
        part: quality::Split,
        /// Print each title the look-up gets wrong to stderr.
        #[arg(long)]
        show: bool,
    },
    /// Kill -9 `pursuit worker` processes at random points over a batch of canary jobs, many
    /// times, then check every job ran and had its effect exactly once.
    QueueChaos {
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        #[arg(long, default_value_t = 100)]
        kills: usize,
        #[arg(long, default_value_t = 500)]
        jobs: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The tracker's routes against this machine's floor (a bare handler, an indexed read,
    /// a durable commit), measured alternately in one run; then a fixed rate of mixed
    /// tracker requests with p50/p99 per route.
    Floor {
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        /// Applications of the one account (four tags each).
        #[arg(long, default_value_t = 20_000)]
        applications: usize,
        /// Concurrent connections of the closed-loop runs.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Seconds per target per round.
        #[arg(long, default_value_t = 3)]
        seconds: u64,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Requests per second of the fixed-rate phase (0: skip it).
        #[arg(long, default_value_t = 500)]
        rate: u64,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
        /// Only the routes whose name holds this word (e.g. `list`, `POST`): for profiling.
        #[arg(long)]
        only: Option<String>,
    },
    /// `GET /api/v1/jobs?sort=match` with thousands of read postings: its latency, and
    /// `/healthz` latency while ten ranked lists run at once. Give `--binary` twice to
    /// compare two builds in one run.
    Ranking {
        #[arg(long = "binary", default_value = "target/release/pursuit")]
        binaries: Vec<PathBuf>,
        #[arg(long, default_value_t = 5_000)]
        postings: usize,
        /// Sequential ranked lists timed.
        #[arg(long, default_value_t = 40)]
        samples: usize,
        /// Seconds of `/healthz` probes under load.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// The tracker API under a fixed request rate: list, get, create and PATCH latency with
    /// many users and applications, and analytics on one big account.
    Tracker {
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        #[arg(long, default_value_t = 100)]
        users: usize,
        #[arg(long, default_value_t = 1000)]
        applications: usize,
        /// Requests per second, spread evenly.
        #[arg(long, default_value_t = 500)]
        rate: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Applications of the account the analytics figures are measured on.
        #[arg(long, default_value_t = 5000)]
        analytics_applications: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
        /// ChromeDriver (e.g. /usr/bin/chromedriver): also time the board in headless Chromium.
        #[arg(long)]
        chromedriver: Option<PathBuf>,
    },
    /// Many reminders due in one minute, delivered by a `pursuit worker` process through a
    /// real SMTP server: time until all are accepted, late, duplicated, missing.
    Reminders {
        #[arg(long, default_value = "target/release/pursuit")]
        binary: PathBuf,
        #[arg(long, default_value_t = 100)]
        users: usize,
        /// Reminders per user, all due in the same minute.
        #[arg(long, default_value_t = 100)]
        per_user: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// 24 simulated hours of reminders for users in many zones with quiet hours: how many
    /// were delivered inside quiet hours (should be none).
    QuietHours {
        #[arg(long, default_value_t = 96)]
        users: usize,
        #[arg(long, default_value_t = 20)]
        per_user: usize,
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Job queue throughput (no-op jobs) and enqueue→start latency on an idle queue.
    Queue {
        /// postgres://… (an empty database you own); default: a fresh SQLite file.
        #[arg(long)]
        database_url: Option<String>,
        /// No-op jobs per throughput run.
        #[arg(long, default_value_t = 20_000)]
        jobs: usize,
        /// Worker counts to measure (each a worker loop with its own id, like a process).
        #[arg(long, value_delimiter = ',', default_value = "1,4")]
        workers: Vec<usize>,
        /// Jobs each worker runs at once (and so claims per batch).
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Single jobs enqueued one by one on an idle queue for the latency figure.
        #[arg(long, default_value_t = 200)]
        samples: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // One TLS provider for every HTTP client here (reqwest is built without one): without
    // it the first client built panics, as `serve` did.
    let _ = rustls::crypto::ring::default_provider().install_default();
    match Cli::parse().command {
        Bench::Serve {
            binary,
            starts,
            connections,
            seconds,
            database_url,
        } => {
            serve(
                &binary,
                starts,
                connections,
                Duration::from_secs(seconds),
                database_url,
            )
            .await
        }
        Bench::Quality {
            resumes,
            google,
            rekrut,
            part,
            flat,
            untitled,
            resamples,
            show,
            weights,
        } => {
            let weights = weights
                .iter()
                .map(|w| {
                    let (name, value) = w.split_once('=').context("weights are name=value")?;
                    Ok((name.to_owned(), value.parse::<f64>()?))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            quality::run(quality::Options {
                resumes,
                google,
                rekrut,
                split: part,
                flat,
                untitled,
                show,
                weights,
                resamples,
            })
            .await
        }
        Bench::Ranking {
            binaries,
            postings,
            samples,
            seconds,
        } => {
            ranking::run(ranking::Options {
                binaries,
                postings,
                samples,
                seconds,
            })
            .await
        }
        Bench::Queue {
            database_url,
            jobs,
            workers,
            concurrency,
            samples,
        } => queue::run(database_url, jobs, &workers, concurrency, samples).await,
        Bench::Reminders {
            binary,
            users,
            per_user,
            database_url,
        } => reminders::burst(&binary, users, per_user, database_url).await,
        Bench::QuietHours {
            users,
            per_user,
            database_url,
        } => reminders::quiet_hours(users, per_user, database_url).await,
        Bench::Match {
            resume,
            job,
            postings,
        } => matching::run(&resume, &job, postings).await,
        Bench::Ai {
            rounds,
            database_url,
        } => ai::run(rounds, database_url.as_deref()).await,
        Bench::Guard { sets, show } => ai::guard(&sets, show),
        Bench::AiModel {
            url,
            model,
            timeout_secs,
            max_tokens,
        } => ai::model(&url, &model, timeout_secs, max_tokens).await,
        Bench::Resumes {
            dir,
            truth,
            show,
            dump,
        } => documents::resumes(&dir, truth.as_deref(), show, dump.as_deref()).await,
        Bench::Tailor {
            resumes,
            google,
            resumes_limit,
            postings,
            offset,
            show,
        } => tailoring::run(&resumes, &google, resumes_limit, postings, offset, show).await,
        Bench::Truthful { show } => truthful::run(show),
        Bench::Plan { targets, rounds } => outreach::run(targets, rounds),
        Bench::Launch {
            targets,
            rounds,
            database_url,
        } => sending::launch(targets, rounds, database_url).await,
        Bench::SendSim {
            days,
            per_campaign,
            opt_outs,
            database_url,
            seed,
        } => sending::simulate(days, per_campaign, opt_outs, database_url, seed).await,
        Bench::SendChaos {
            kills,
            people,
            port,
            maildir,
            seed,
        } => sending::chaos(kills, people, port, &maildir, seed).await,
        Bench::SendChaosChild { db, clock, user } => sending::chaos_child(&db, &clock, &user).await,
        Bench::Sender {
            port,
            messages,
            concurrency,
        } => sending::sender(port, messages, concurrency).await,
        Bench::Replies { show } => replies::run(show),
        Bench::Dedup { show } => {
            dedup::run(show);
            Ok(())
        }
        Bench::Discovery {
            companies,
            per_board,
            cross_listed,
            database_url,
        } => {
            discovery::run(discovery::Options {
                companies,
                per_board,
                cross_listed,
                database_url,
            })
            .await
        }
        Bench::StopLatency {
            binary,
            imap_port,
            replies,
            seconds,
        } => events::stop_latency(&binary, imap_port, replies, seconds).await,
        Bench::Events {
            binary,
            emails,
            rounds,
            rate,
            batch,
            database_url,
        } => {
            events::run(events::Options {
                binary,
                emails,
                rounds,
                rate,
                batch,
                database_url,
            })
            .await
        }
        Bench::Skills {
            skillspan,
            esco,
            show,
        } => skills::run(skillspan, esco, show),
        Bench::Titles { labels, part, show } => titles::run(&labels, part, show),
        Bench::QueueChaos {
            binary,
            kills,
            jobs,
            database_url,
        } => queue::chaos(&binary, kills, jobs, database_url).await,
        Bench::Floor {
            binary,
            applications,
            connections,
            seconds,
            rounds,
            rate,
            database_url,
            only,
        } => {
            floor::run(floor::Options {
                binary,
                applications,
                connections,
                seconds,
                rounds,
                rate,
                database_url,
                only,
            })
            .await
        }
        Bench::Page {
            chromedriver,
            base,
            session,
            path,
        } => browser::time_page(&chromedriver, base.trim_end_matches('/'), &session, &path).await,
        Bench::Tracker {
            binary,
            users,
            applications,
            rate,
            seconds,
            analytics_applications,
            database_url,
            chromedriver,
        } => {
            tracker::run(
                &binary,
                users,
                applications,
                rate,
                Duration::from_secs(seconds),
                analytics_applications,
                database_url,
                chromedriver,
            )
            .await
        }
    }
}

struct Server {
    child: Child,
    url: String,
    _data: tempfile::TempDir,
}

/// Starts `pursuit serve` on a fresh data dir and returns once /healthz answers 200, with
/// the time that took.
async fn start(
    binary: &PathBuf,
    client: &reqwest::Client,
    database_url: Option<&str>,
) -> anyhow::Result<(Server, Duration)> {
    start_in(binary, client, database_url, tempfile::tempdir()?, &[]).await
}

/// Starts `pursuit serve` on `data` (a data dir a benchmark may have prepared).
async fn start_in(
    binary: &PathBuf,
    client: &reqwest::Client,
    database_url: Option<&str>,
    data: tempfile::TempDir,
    env: &[(&str, &str)],
) -> anyhow::Result<(Server, Duration)> {
    let mut command = Command::new(binary);
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("PURSUIT_LOG_LEVEL", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let line = BufReader::new(stdout)
        .lines()
        .next_line()
        .await?
        .context("no url printed")?;
    let url = line
        .rsplit(' ')
        .next()
        .context("no url printed")?
        .to_owned();
    loop {
        if let Ok(response) = client.get(format!("{url}/healthz")).send().await
            && response.status() == 200
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            bail!("pursuit did not answer /healthz within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok((
        Server {
            child,
            url,
            _data: data,
        },
        started.elapsed(),
    ))
}

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS")?;
    line.split_whitespace()
        .nth(1)
        .context("no VmRSS value")?
        .parse()
        .context("bad VmRSS")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

async fn serve(
    binary: &PathBuf,
    starts: usize,
    connections: usize,
    run_for: Duration,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    println!("pursuit-bench serve: {} ({backend})", binary.display());

    // 1. Cold start: process spawn → first 200 from /healthz, on a fresh data dir each time
    //    (so every start creates and migrates a new database).
    let mut times = Vec::new();
    for _ in 0..starts {
        let (mut server, took) = start(binary, &client, database_url.as_deref()).await?;
        times.push(took);
        server.child.kill().await?;
    }
    times.sort();
    println!(
        "cold start to first /healthz 200 ({starts} runs): median {}, min {}, max {}",
        ms(percentile(&times, 50.0)),
        ms(times[0]),
        ms(times[times.len() - 1])
    );

    // 2. Idle memory: after start-up and a few requests, once things settle.
    let (mut server, _) = start(binary, &client, database_url.as_deref()).await?;
    for _ in 0..10 {
        client.get(format!("{}/healthz", server.url)).send().await?;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let pid = server.child.id().context("no pid")?;
    println!(
        "idle resident memory: {:.1} MiB",
        rss_kib(pid)? as f64 / 1024.0
    );

    // 3. Throughput and latency on loopback with keep-alive connections.
    let deadline = Instant::now() + run_for;
    let mut workers = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let url = format!("{}/healthz", server.url);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0_u64;
            while Instant::now() < deadline {
                let sent = Instant::now();
                match client.get(&url).send().await {
                    Ok(response) if response.status() == 200 => {
                        let _ = response.bytes().await;
                        latencies.push(sent.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mut l, e) = worker.await?;
        latencies.append(&mut l);
        errors += e;
    }
    latencies.sort();
    let rss_after = rss_kib(pid)? as f64 / 1024.0;
    println!(
        "GET /healthz, {connections} connections, {}s: {:.0} req/s, p50 {}, p99 {}, max {}, errors {errors}",
        run_for.as_secs(),
        latencies.len() as f64 / run_for.as_secs_f64(),
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    println!("resident memory after the load: {rss_after:.1} MiB");
    server.child.kill().await?;
    Ok(())
}
