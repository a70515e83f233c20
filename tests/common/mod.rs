//! What the CLI test files share: running the binary in a scratch folder
//! and reading its output.

use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// One run of the binary.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `clearance ARGS` in `dir`, with colour off.
#[allow(dead_code)]
pub(crate) fn clearance(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Starts `clearance ARGS` in `dir`, colour off, with all three streams piped.
#[allow(dead_code)]
pub(crate) fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Waits for a spawned run and collects what it said.
#[allow(dead_code)]
pub(crate) fn finish(child: Child) -> Run {
    let out = child.wait_with_output().expect("the binary ends");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `clearance ARGS` in `dir` with `input` on standard input.
#[allow(dead_code)]
pub(crate) fn clearance_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = spawn(dir, args);
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from a thread: a binary that streams its report fills its
    // output pipe while it still reads, and waits for it to be read.
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The binary may stop reading early (a cap): a broken pipe is its answer.
        let _ = stdin.write_all(&input);
    });
    let run = finish(child);
    writer.join().expect("the writer thread");
    run
}

/// The run's standard output as JSON.
#[allow(dead_code)]
pub(crate) fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}

/// `(path, message)` of every problem in a JSON report.
#[allow(dead_code)]
pub(crate) fn problems(run: &Run) -> Vec<(String, String)> {
    json(run)["problems"]
        .as_array()
        .expect("a problems array")
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Writes a file under `dir`, creating its folders.
pub(crate) fn write(dir: &Path, rel: impl AsRef<Path>, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a relative path")).expect("folders");
    std::fs::write(path, bytes).expect("write");
}

/// Writes the `clearance.yaml` of a publisher for which section 27A applies
/// to every article (`require: [il-27a]`), as `clearance init` does for an
/// Israeli site.
#[allow(dead_code)]
pub(crate) fn require_27a(dir: &Path) {
    write(dir, "clearance.yaml", "require: [il-27a]\n");
}
