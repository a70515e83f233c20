use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = clearance::cli::Cli::parse();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    ExitCode::from(clearance::run(cli, &mut out, &mut err))
}
