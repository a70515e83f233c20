use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = clearance::cli::Cli::parse();
    let mut out = std::io::stdout().lock();
    // Standard error is not locked for the whole run: the progress counter
    // draws on it from its own thread while the scan runs, and a lock held
    // here would make that thread, and the scan waiting for it, hang.
    let mut err = std::io::stderr();
    ExitCode::from(clearance::run(cli, &mut out, &mut err))
}
