//! `pursuit tasks list [--state S]` and `pursuit tasks retry ID`: the job queue for
//! operators.

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use pursuit_domain::ids::JobId;
use pursuit_store::jobs::{self, JobState};

use crate::command::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// List jobs, newest first.
    List {
        /// queued, running, retryable, done, dead or cancelled.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Put a dead (or retryable, or cancelled) job back in the queue to run now.
    Retry {
        /// The job's id.
        id: String,
    },
}

pub async fn run(global: &GlobalArgs, command: TasksCommand) -> anyhow::Result<()> {
    let db = global.open().await?.db;
    let result = execute(&db, command).await;
    db.close().await;
    result
}

async fn execute(db: &pursuit_store::Db, command: TasksCommand) -> anyhow::Result<()> {
    pursuit_store::migrate::run(db, crate::app::VERSION)
        .await
        .context("cannot migrate the database")?;
    match command {
        TasksCommand::List { state, limit } => {
            let state = match state.as_deref() {
                Some(name) => Some(JobState::parse(name).with_context(|| {
                    format!("invalid --state {name:?}: use queued, running, retryable, done, dead or cancelled")
                })?),
                None => None,
            };
            if !(1..=1000).contains(&limit) {
                anyhow::bail!("invalid --limit: use 1 to 1000");
            }
            let list = jobs::list(db, state, limit).await?;
            if list.is_empty() {
                println!("no tasks");
            }
            for job in list {
                let last_error = job
                    .errors
                    .as_array()
                    .and_then(|e| e.last())
                    .and_then(|e| e["error"].as_str())
                    .map(|e| format!("  last error: {}", e.chars().take(120).collect::<String>()))
                    .unwrap_or_default();
                println!(
                    "{}  {:<9}  {:<14}  queue={}  attempt {}/{}  run_at {}{last_error}",
                    job.id.0,
                    job.state.as_str(),
                    job.kind,
                    job.queue,
                    job.attempt,
                    job.max_attempts,
                    job.run_at
                );
            }
        }
        TasksCommand::Retry { id } => {
            let id = JobId(
                id.parse()
                    .with_context(|| format!("invalid task id {id:?}"))?,
            );
            if !jobs::retry(db, id, Timestamp::now()).await? {
                anyhow::bail!(
                    "task {} is not dead, retryable or cancelled (or does not exist)",
                    id.0
                );
            }
            println!("task {} queued to run again", id.0);
        }
    }
    Ok(())
}
