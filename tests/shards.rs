//! Checking a corpus in pieces, as a pipeline stage or shard worker does:
//! `--format jsonl` streams each record as it is checked, in the input's
//! order, ends with a summary, and stops cleanly on SIGTERM or when its
//! reader goes away.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use common::{clearance, spawn, write};
use serde_json::{Value, json};

/// A record with a leftover link, in one of three languages.
fn record(i: usize) -> String {
    let text = match i % 3 {
        0 => format!("خبر رقم {i}.\n\nاقرأ أيضا: خبر آخر"),
        1 => format!("ידיעה מספר {i}.\n\nקראו עוד: כתבה אחרת"),
        _ => format!("Story number {i}.\n\nRead more: another story"),
    };
    format!("{}\n", json!({"id": format!("r-{i}"), "text": text}))
}

/// Reads stdout lines on a thread, so the test can wait for them with a
/// time limit while the process still waits for its input.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().expect("piped stdout");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for `n` `record` lines (at most 20 s); returns every line seen.
fn until_records(lines: &mpsc::Receiver<String>, n: usize) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut records = 0;
    while records < n {
        let line = lines
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("only {records} of {n} records came out: {seen:?}"));
        let value: Value = serde_json::from_str(&line).expect("each line is JSON");
        if value["type"] == "record" {
            records += 1;
        }
        seen.push(value);
    }
    seen
}

const STREAM: &[&str] = &[
    "check",
    "--no-config",
    "--format",
    "jsonl",
    "--stdin-format",
    "jsonl",
    "-",
];

#[test]
fn records_come_out_while_the_input_is_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(dir.path(), STREAM);
    let lines = lines_of(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..3 {
        stdin.write_all(record(i).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    // The pipe is still open: the three records are out all the same.
    let seen = until_records(&lines, 3);
    let kinds: Vec<(&str, &str)> = seen
        .iter()
        .map(|v| (v["type"].as_str().unwrap(), v["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("finding", "<stdin>:1"),
            ("record", "<stdin>:1"),
            ("finding", "<stdin>:2"),
            ("record", "<stdin>:2"),
            ("finding", "<stdin>:3"),
            ("record", "<stdin>:3"),
        ]
    );
    assert_eq!(
        seen[1],
        json!({"type": "record", "path": "<stdin>:1", "record": {"path": "<stdin>", "id": "r-0", "line": 1}, "findings": 1})
    );
    stdin
        .write_all(b"{\"id\":\"clean\",\"text\":\"Nothing.\"}\n")
        .unwrap();
    drop(stdin);
    let rest: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect();
    assert_eq!(
        rest,
        [
            json!({"type": "record", "path": "<stdin>:4", "record": {"path": "<stdin>", "id": "clean", "line": 4}, "findings": 0}),
            json!({"type": "summary", "records": {"read": 4, "checked": 4, "skipped": 0, "failed": 0}, "findings": 3, "errors": 0, "warnings": 3, "baselined": 0, "problems": 0}),
        ]
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn records_keep_the_inputs_order_on_every_worker_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut dump: String = (0..3000).map(record).collect();
    // A broken line and a record without an article keep their places too.
    dump.insert_str(0, "{broken\n");
    dump.push_str("{\"title\":\"no article\"}\n");
    write(dir.path(), "d.jsonl", &dump);
    for jobs in ["1", "2", "7"] {
        let run = clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "jsonl",
                "--jobs",
                jobs,
                "d.jsonl",
            ],
        );
        assert_eq!(run.code, 3, "{}", run.stderr);
        let lines: Vec<Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let order: Vec<u64> = lines
            .iter()
            .filter(|v| v["type"] != "summary" && v["record"]["line"].is_u64())
            .map(|v| v["record"]["line"].as_u64().unwrap())
            .collect();
        assert_eq!(
            order.len(),
            6001,
            "a finding and a record line each, and the broken line's problem"
        );
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "--jobs {jobs}");
        assert_eq!(lines[0]["type"], "problem");
        assert_eq!(lines[0]["path"], "d.jsonl:1");
        assert_eq!(
            lines.last().unwrap()["records"],
            json!({"read": 3002, "checked": 3000, "skipped": 1, "failed": 1})
        );
        assert_eq!(lines[lines.len() - 2]["type"], "problem", "the dump's own");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_check_with_valid_lines_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(dir.path(), STREAM);
    let lines = lines_of(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    for i in 0..5 {
        stdin.write_all(record(i).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    let seen = until_records(&lines, 5);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(killed.success());
    // The check stops reading, though its input is still open.
    let rest: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(&l).expect("every line is whole JSON"))
        .collect();
    assert_eq!(seen.len(), 10);
    assert_eq!(
        rest,
        [
            json!({"type": "summary", "records": {"read": 5, "checked": 5, "skipped": 0, "failed": 0}, "findings": 5, "errors": 0, "warnings": 5, "baselined": 0, "problems": 0, "interrupted": true})
        ]
    );
    assert_eq!(child.wait().unwrap().code(), Some(143));
    drop(stdin);
}

#[test]
fn a_streamed_report_into_a_file_is_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let dump: String = (0..50).map(record).collect();
    write(dir.path(), "in/d.jsonl", &dump);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--output",
            "out.jsonl",
            "--output-format",
            "json=out.json",
            "in",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let streamed = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(streamed.lines().count(), 101);
    assert!(streamed.ends_with("\"problems\":0}\n"), "{streamed}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no temporary file is left: {names:?}");
    // The collected report agrees with the stream.
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["findings"], 50);
    // The same lines from a collected check, as a further report: in
    // report order, with every record.
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--output-format",
            "jsonl=again.jsonl",
            "--format",
            "json",
            "in",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = std::fs::read_to_string(dir.path().join("again.jsonl")).unwrap();
    assert_eq!(again, streamed);
}

/// A collected report stopped by SIGTERM says so among its problems, so
/// a merged result can never look complete.
#[cfg(unix)]
#[test]
fn sigterm_on_a_collected_report_names_the_stop() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--stdin-format",
            "jsonl",
            "-",
        ],
    );
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(record(2).as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let run = common::finish(child);
    assert_eq!(run.code, 143, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    // The record is checked unless the signal came before it was read.
    assert!(report["summary"]["files"].as_u64().unwrap() <= 1);
    assert_eq!(
        report["problems"],
        json!([{"path": "", "message": "the check was stopped (SIGTERM) before its input ended; what was read is reported"}])
    );
    drop(stdin);
}
