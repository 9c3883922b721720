//! `pursuit serve`: the web server.

use std::net::SocketAddr;

use clap::Args;

use crate::app::{Application, shutdown_signal};
use crate::command::{GlobalArgs, ServeOverrides};
use crate::telemetry;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on [env: PURSUIT_BIND] [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// The URL users reach Pursuit at, when behind a proxy [env: PURSUIT_PUBLIC_URL].
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Do not run background jobs in this process (run `pursuit worker` separately).
    #[arg(long)]
    pub no_worker: bool,
}

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let config = global.load_config(ServeOverrides {
        bind: args.bind,
        public_url: args.public_url,
    })?;
    telemetry::init(config.log_format, &config.log_level);
    let mut app = Application::build(&config).await?;
    if args.no_worker {
        app = app.without_worker();
    }
    let url = match &config.public_url {
        Some(public) => public.trim_end_matches('/').to_owned(),
        None => format!("http://{}", app.local_addr()),
    };
    // stdout, alone on its line: scripts (and the benchmark) wait for it. Whoever reads it
    // may close the pipe after the first line; that must not stop the server (`println!`
    // panics on a closed stdout).
    say(&format!(
        "Pursuit {} is listening on {url}",
        crate::app::VERSION
    ));
    if let Some(link) = app.owner_link() {
        say(&format!(
            "Sign in as the owner (one-time link, valid 24 hours): {link}"
        ));
    }
    app.run_until_stopped(shutdown_signal()).await
}

/// One line on stdout, flushed; a closed stdout is not an error for a server.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}
