//! The `pursuit` binary's library: configuration, wiring and the subcommands.
//!
//! # Layout
//! - [`config`]: typed settings from defaults, a TOML file, the environment and flags.
//! - [`app`]: [`app::Application`], from a config to a migrated database and a listening
//!   server; `run_until_stopped` takes the shutdown future.
//! - [`command`]: one module per subcommand; `main.rs` only dispatches.
//! - [`telemetry`]: log output.

/// The environment a file-reader child starts with (see `pursuit_files::ChildReader`): the
/// binary's allocator (mimalloc, `main.rs`) reserves 1 GiB of address space for its first
/// arena by default, which the child's `RLIMIT_AS` refuses; it reserves in small steps
/// instead.
pub const READER_ENVIRONMENT: &[(&str, &str)] = &[("MIMALLOC_ARENA_RESERVE", "16MiB")];

pub mod app;
pub mod command;
pub mod config;
pub mod telemetry;
