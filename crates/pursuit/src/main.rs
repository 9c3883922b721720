use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: requests allocate on one thread and free on
/// another (a database thread's rows, a worker's response), where glibc's per-thread arenas
/// contend; it served `/healthz` 1.34x and a page of applications 1.18x faster (issue 18).
/// Built without transparent huge pages (the `no_thp` feature): with them idle memory was
/// 49 MiB instead of 35. File-reader children run with [`pursuit::READER_ENVIRONMENT`].
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A file reader child (see `pursuit_files::child`): no runtime, no threads, limits first.
    if std::env::args_os().nth(1).as_deref()
        == Some(std::ffi::OsStr::new(pursuit_files::child::CHILD_ARG))
    {
        return pursuit_files::child::main();
    }
    let cli = pursuit::command::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(pursuit::command::run(cli));
    pursuit::telemetry::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole chain: "cannot listen on 127.0.0.1:8080: Address in use".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
