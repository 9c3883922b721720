//! The `pursuit` binary's library: configuration, wiring and the subcommands.
//!
//! # Layout
//! - [`config`]: typed settings from defaults, a TOML file, the environment and flags.
//! - [`app`]: [`app::Application`], from a config to a migrated database and a listening
//!   server; `run_until_stopped` takes the shutdown future.
//! - [`command`]: one module per subcommand; `main.rs` only dispatches.
//! - [`telemetry`]: log output.

pub mod app;
pub mod command;
pub mod config;
pub mod telemetry;
