//! The `clearance` command: reads what the process is like (the terminal,
//! `NO_COLOR`, `CI`, `GITHUB_STEP_SUMMARY`, the current folder), hands it to
//! the library as an [`clearance::Environment`], and owns the terminal
//! (the progress counter).
#![allow(clippy::disallowed_methods)] // the binary is where the environment is read

mod progress;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = clearance::cli::Cli::parse();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let env = clearance::Environment {
        stdout_color: std::io::stdout().is_terminal() && !no_color,
        stderr_color: std::io::stderr().is_terminal() && !no_color,
        step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(Into::into),
        current_dir: std::env::current_dir().ok(),
        progress: progress::Counter::wanted()
            .then(|| Box::new(progress::Counter::start()) as Box<dyn clearance::Progress>),
    };
    let mut out = std::io::stdout().lock();
    // Standard error is not locked for the whole run: the progress counter
    // draws on it from its own thread while the scan runs, and a lock held
    // here would make that thread, and the scan waiting for it, hang.
    let mut err = std::io::stderr();
    ExitCode::from(clearance::run(cli, &env, &mut out, &mut err))
}
