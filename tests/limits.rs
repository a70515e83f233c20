//! Bounds a user can count on: worker threads, standard input and records
//! are capped; a report or baseline never lands on an article; a short
//! UTF-8 article with a stray byte is read as UTF-8, not as mojibake.

mod common;

use common::{clearance, clearance_stdin, json, problems, write};
use std::io::Write as _;
use std::time::{Duration, Instant};

/// A notice whose section is malformed: `il-27a/section-malformed`.
const MALFORMED: &str = "התמונות מובאות בהתאם לסעיף 27 לחוק זכויות יוצרים\n";

/// Runs the binary with an endless stream on standard input (`line`
/// repeated until the binary stops reading), and gives up after a minute.
fn with_endless_stdin(dir: &std::path::Path, args: &[&str], line: &[u8]) -> common::Run {
    let mut child = common::spawn(dir, args);
    let mut stdin = child.stdin.take().unwrap();
    let chunk = line.repeat(1 + 65536 / line.len());
    let writer = std::thread::spawn(move || {
        // Until the binary closes its end: a broken pipe ends the stream.
        while stdin.write_all(&chunk).is_ok() {}
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("still reading an endless standard input after a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = common::finish(child);
    writer.join().unwrap();
    run
}

/// `(path, rule)` of every finding in a JSON report.
fn found(run: &common::Run) -> Vec<(String, String)> {
    json(run)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const RULES: [&str; 2] = ["il-27a/contact-missing", "il-27a/section-malformed"];

/// `--jobs 100000` on one file used to start thousands of spinning
/// threads and run for minutes; now it starts one worker and says that
/// the number was capped.
#[test]
fn jobs_are_capped_by_the_cores_and_the_work() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "one.txt", "A council meeting on Monday.\n");
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--jobs", "100000", "one.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        run.stderr.contains(&format!(
            "clearance: --jobs 100000 is more than 4 per core; using {}",
            cores * 4
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("No findings in 1 file"),
        "{}",
        run.stdout
    );

    let paths = |names: &[&str]| -> Vec<std::path::PathBuf> {
        names.iter().map(std::path::PathBuf::from).collect()
    };
    use clearance::workers;
    // No more workers than paths when none is a folder.
    assert_eq!(workers(Some(100_000), 2, &paths(&["a.txt"])), 1);
    assert_eq!(workers(Some(3), 2, &paths(&["a.txt", "b.txt"])), 2);
    // Standard input and a JSON-lines dump may hold a corpus of records,
    // checked on all the workers.
    assert_eq!(workers(None, 8, &paths(&["-"])), 8);
    assert_eq!(workers(Some(3), 2, &paths(&["corpus.jsonl"])), 3);
    assert_eq!(workers(None, 2, &paths(&["a.txt", "big.NDJSON"])), 2);
    // A folder: what was asked, up to four per core.
    let folder = vec![dir.path().to_path_buf()];
    assert_eq!(workers(Some(100_000), 2, &folder), 8);
    assert_eq!(workers(Some(3), 2, &folder), 3);
    assert_eq!(workers(None, 2, &folder), 2);
    assert_eq!(workers(Some(5), 0, &folder), 4);
}

/// `yes "Photo: N/A" | clearance check -` grew without bound; standard
/// input now has a file's cap, and what is over it is not read.
#[test]
fn standard_input_has_the_file_cap_and_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "check",
        "--no-config",
        "--format",
        "json",
        "--max-file-size",
        "100000",
        "-",
    ];
    let run = with_endless_stdin(dir.path(), &args, b"Photo: N/A\n");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [(
            "<stdin>".to_string(),
            "standard input is over the 100000-byte limit (--max-file-size); nothing of it was checked"
                .to_string()
        )]
    );
    assert_eq!(json(&run)["summary"]["files"], 0);

    // Within the cap, the same bytes are checked.
    let small = clearance_stdin(dir.path(), &args, MALFORMED.as_bytes());
    assert_eq!(small.code, 1, "{}", small.stderr);
    assert_eq!(
        found(&small),
        RULES.map(|r| ("<stdin>".to_string(), r.to_string()))
    );
}

/// A JSON-lines record is held only up to the cap: an endless record is
/// skipped with a problem, the stream's other records are checked.
#[test]
fn a_json_lines_record_over_the_cap_is_never_held_whole() {
    let dir = tempfile::tempdir().unwrap();
    let record = format!(
        "{}\n",
        serde_json::json!({ "id": "a", "text": MALFORMED.trim() })
    );
    let mut input = record.clone().into_bytes();
    input.extend(format!("{{\"text\": \"{}\"}}\n", "x".repeat(5000)).bytes());
    input.extend(record.bytes());
    let run = clearance_stdin(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--stdin-format",
            "jsonl",
            "--max-file-size",
            "1000",
            "-",
        ],
        &input,
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [(
            "<stdin>:2".to_string(),
            "record is over 1000 bytes, over the 1000-byte limit; skipped".to_string()
        )]
    );
    let paths: Vec<String> = found(&run).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["<stdin>:1", "<stdin>:1", "<stdin>:3", "<stdin>:3"]);
}

/// `clearance check -o story.txt story.txt` replaced the article with its
/// report. Every output that would land on an input, or in a checked
/// folder with a checked extension, is refused before anything is written.
#[test]
fn a_report_or_baseline_never_lands_on_an_article() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news/story.txt", MALFORMED);
    write(dir.path(), "known.json", "{}");
    let refused = |args: &[&str], expected: &str| {
        let run = clearance(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        // Miette wraps long messages behind a box-drawing gutter.
        let said = run
            .stderr
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(said.contains(expected), "{args:?}: {said}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("news/story.txt")).unwrap(),
            MALFORMED
        );
    };
    refused(
        &[
            "check",
            "--no-config",
            "-o",
            "news/story.txt",
            "news/story.txt",
        ],
        "--output news/story.txt: that is a file being checked, and the report would replace it; nothing was written",
    );
    refused(
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "news/story.txt",
            "news/story.txt",
        ],
        "--write-baseline news/story.txt: that is a file being checked",
    );
    refused(
        &[
            "check",
            "--no-config",
            "-o",
            "./news/../news/story.txt",
            "news",
        ],
        "that is a file being checked",
    );
    refused(
        &["check", "--no-config", "-o", "news/report.md", "news"],
        "--output news/report.md: it lies in news, which is being checked, and has an extension Clearance reads",
    );
    refused(
        &[
            "check",
            "--no-config",
            "--baseline",
            "known.json",
            "-o",
            "known.json",
            "news",
        ],
        "--output known.json: that is the baseline this check reads",
    );
    assert!(!dir.path().join("news/report.md").exists());

    // Outside what is checked, or with an extension that is never read,
    // the report is written.
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "-o", "report.txt", "news"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(report.contains("il-27a/section-malformed"), "{report}");
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            "-o",
            "news/clearance.sarif",
            "news",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(dir.path().join("news/clearance.sarif").is_file());
}

/// Two stray bytes in a short UTF-8 article used to switch it to
/// detection, which read it as windows-1252: no finding, no problem,
/// exit 0. It is read as UTF-8 with the bytes replaced, and reported.
#[test]
fn a_short_article_with_stray_bytes_is_read_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xFF ".to_vec();
    bytes.extend_from_slice(MALFORMED.as_bytes());
    bytes.extend_from_slice(b"\xFE\n");
    write(dir.path(), "short.txt", &bytes);
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "short.txt"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(
        found(&run),
        RULES.map(|r| ("short.txt".to_string(), r.to_string()))
    );
    let finding = &report["findings"][1];
    // The span is in the file's bytes: past the stray byte and its space.
    let start = finding["span"]["start"].as_u64().unwrap() as usize;
    let end = finding["span"]["end"].as_u64().unwrap() as usize;
    assert!(
        std::str::from_utf8(&bytes[start..end])
            .unwrap()
            .contains("27"),
        "{finding}"
    );
    assert_eq!(
        problems(&run),
        [(
            "short.txt".to_string(),
            "some bytes are not valid UTF-8 and were replaced; the rest was checked".to_string()
        )]
    );
}

/// A page declaring a charset that decodes to nothing (ISO-2022-KR) was
/// "checked" as one U+FFFD, with a message saying the rest was checked.
#[test]
fn a_charset_that_cannot_be_read_is_reported_as_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kr.html",
        "<html><head><meta charset=\"iso-2022-kr\"></head><body><p>Photo: N/A</p></body></html>",
    );
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "kr.html"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [(
            "kr.html".to_string(),
            "the page declares the charset `iso-2022-kr`, which cannot be read safely; nothing of it was checked"
                .to_string()
        )]
    );
    assert_eq!(json(&run)["summary"]["files"], 0);
}
