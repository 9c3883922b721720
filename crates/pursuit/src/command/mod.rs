//! The subcommands, one file each. Every subcommand reads the same configuration layers, so
//! `--data-dir` and `--database-url` mean the same thing everywhere.

pub mod demo;
pub mod migrate;
pub mod openapi;
pub mod parse;
pub mod serve;
pub mod tasks;
pub mod token;
pub mod worker;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, LogFormat, Overrides};

#[derive(Debug, Parser)]
#[command(
    name = "pursuit",
    version,
    about = "Pursuit, the self-hosted job-search copilot"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// A TOML configuration file (see pursuit.example.toml).
    #[arg(long, global = true, env = "PURSUIT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where Pursuit keeps its files [env: PURSUIT_DATA_DIR] [default: the platform data dir].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://… to use PostgreSQL instead of the embedded SQLite file [env: DATABASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Log output: human or json [env: PURSUIT_LOG_FORMAT].
    #[arg(long, global = true, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

impl clap::ValueEnum for LogFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[LogFormat::Human, LogFormat::Json]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            LogFormat::Human => "human",
            LogFormat::Json => "json",
        }))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server and, unless --no-worker, the background worker.
    Serve(serve::ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Print the OpenAPI document of the REST API.
    Openapi,
    /// Fill a demo account with applications, interviews and reminders.
    Demo(demo::DemoArgs),
    /// Run background jobs only (no HTTP), beside `serve --no-worker` processes.
    Worker,
    /// Inspect and retry background jobs.
    Tasks {
        #[command(subcommand)]
        command: tasks::TasksCommand,
    },
    /// Read a resume or a job posting and print what Pursuit understands of it (no server).
    Parse {
        #[command(subcommand)]
        command: parse::ParseCommand,
    },
    /// Score a resume against a job posting (files or a URL; no server): the score, its
    /// parts with their evidence, and the skills matched, shown but not named, or missing.
    Match {
        /// The resume file (PDF, DOCX, HTML, Markdown, text, JSON Resume).
        resume: std::path::PathBuf,
        /// The posting: a file (text or HTML) or an http(s) URL.
        job: String,
        /// Print the whole result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rank postings for a resume (`--resume FILE --jobs FILE.jsonl`) or resumes for a
    /// posting (`--job FILE --resumes DIR`), best match first, without a server.
    Rank {
        /// The resume to rank postings for.
        #[arg(long, requires = "jobs", conflicts_with_all = ["job", "resumes"])]
        resume: Option<std::path::PathBuf>,
        /// Postings, one JSON object per line: `text` (or `description`), and optionally
        /// `id`, `title`, `company`, `url`; a line may also be a plain JSON string.
        #[arg(long)]
        jobs: Option<std::path::PathBuf>,
        /// The posting (a file or an http(s) URL) to rank resumes for.
        #[arg(long, requires = "resumes")]
        job: Option<String>,
        /// A folder of resumes (searched recursively).
        #[arg(long)]
        resumes: Option<std::path::PathBuf>,
        /// Print only the best N.
        #[arg(long)]
        top: Option<usize>,
        /// Print the ranking with every score's breakdown as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Manage API tokens from the command line.
    Token {
        #[command(subcommand)]
        command: token::TokenCommand,
    },
}

#[derive(Debug, Default)]
pub struct ServeOverrides {
    pub bind: Option<SocketAddr>,
    pub public_url: Option<String>,
}

impl GlobalArgs {
    /// Loads the configuration with these flags as the top layer.
    pub fn load_config(&self, serve: ServeOverrides) -> anyhow::Result<Config> {
        let overrides = Overrides {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            bind: serve.bind,
            public_url: serve.public_url,
            log_format: self.log_format,
        };
        Config::load(self.config.as_deref(), &overrides)
    }
}

/// What the commands that work on the database (all but `serve` and `openapi`) start from:
/// the configuration, logging, the data directory (created) and the open database.
pub struct Opened {
    pub config: Config,
    pub data_dir: PathBuf,
    pub db: pursuit_store::Db,
}

impl GlobalArgs {
    pub async fn open(&self) -> anyhow::Result<Opened> {
        let config = self.load_config(ServeOverrides::default())?;
        crate::telemetry::init(config.log_format, &config.log_level);
        let data_dir = config.data_dir()?;
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data directory {}: {e}",
                data_dir.display()
            )
        })?;
        let db = crate::app::open_database(&config, &data_dir).await?;
        Ok(Opened {
            config,
            data_dir,
            db,
        })
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.global, args).await,
        Command::Migrate => migrate::run(&cli.global).await,
        Command::Openapi => openapi::run(),
        Command::Parse { command } => parse::run(command).await,
        Command::Match { resume, job, json } => parse::run_match(&resume, &job, json).await,
        Command::Rank {
            resume,
            jobs,
            job,
            resumes,
            top,
            json,
        } => match (resume, jobs, job, resumes) {
            (Some(resume), Some(jobs), None, None) => {
                parse::rank_jobs(&resume, &jobs, top, json).await
            }
            (None, None, Some(job), Some(resumes)) => {
                parse::rank_resumes(&job, &resumes, top, json).await
            }
            _ => anyhow::bail!(
                "give either --resume FILE --jobs FILE.jsonl or --job FILE --resumes DIR"
            ),
        },
        Command::Token { command } => token::run(&cli.global, command).await,
        Command::Worker => worker::run(&cli.global).await,
        Command::Demo(args) => demo::run(&cli.global, args).await,
        Command::Tasks { command } => tasks::run(&cli.global, command).await,
    }
}
