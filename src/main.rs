//! The `clearance` command: reads what the process is like (the terminal,
//! `NO_COLOR`, `CI`, `GITHUB_STEP_SUMMARY`, the current folder), hands it to
//! the library as an [`clearance::Environment`], and owns the terminal
//! (the progress counter).
#![allow(clippy::disallowed_methods)] // the binary is where the environment is read

mod progress;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

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
        interrupt: interrupt(),
    };
    // Unlocked (the lock cannot move between threads, and `--format jsonl`
    // writes from the workers), and buffered: each write takes the lock.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    // Standard error is not locked for the whole run: the progress counter
    // draws on it from its own thread while the scan runs, and a lock held
    // here would make that thread, and the scan waiting for it, hang.
    let mut err = std::io::stderr();
    ExitCode::from(clearance::run(cli, &env, &mut out, &mut err))
}

/// A flag SIGTERM sets, so a check stops reading and still reports what it
/// checked (a streamed report ends with its summary line). A second SIGTERM
/// ends the process at once.
fn interrupt() -> Option<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let term = signal_hook::consts::SIGTERM;
    // Registered in this order, the second signal finds the flag set.
    signal_hook::flag::register_conditional_shutdown(term, 128 + 15, flag.clone()).ok()?;
    signal_hook::flag::register(term, flag.clone()).ok()?;
    Some(flag)
}
