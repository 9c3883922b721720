use std::process::ExitCode;

use clap::Parser;

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
