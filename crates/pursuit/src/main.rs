use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
    match runtime.block_on(pursuit::command::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the whole chain: "cannot listen on 127.0.0.1:8080: Address in use".
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
