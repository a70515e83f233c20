//! Large and unusual input at the level of the whole binary: one long line,
//! findings past the per-rule limit, exit codes when output or input goes
//! wrong, and the same report whatever the number of threads.

mod common;

use common::{clearance, json, write};

const CREDIT: &str = "Photo: N/A, (Getty Images) CC BY-SA 3.5 ; ";

#[test]
fn a_long_line_reports_the_first_hundred_findings_per_rule_counts_the_rest_and_says_where_it_stopped()
 {
    let dir = tempfile::tempdir().unwrap();
    // 4.2 MB on one line: 100,000 agency credits and licences.
    write(
        dir.path(),
        "wall.txt",
        format!("Credits\n{}\n", CREDIT.repeat(100_000)),
    );
    let started = std::time::Instant::now();
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--require",
            "il-27a",
            "--format",
            "json",
            "wall.txt",
        ],
    );
    // A sanity bound only (the work itself is counted in unit tests):
    // before location and per-hit work were bounded this took minutes.
    assert!(started.elapsed().as_secs() < 90, "{:?}", started.elapsed());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run);
    let findings = doc["findings"].as_array().unwrap();
    let of = |rule: &str| -> Vec<(u64, u64, u64)> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                (
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                    f["span"]["start"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let first_hundred = |column: u64, start: u64| -> Vec<(u64, u64, u64)> {
        (0..100)
            .map(|k| (2, column + 42 * k, start + 42 * k))
            .collect()
    };
    assert_eq!(of("attribution/credit-incomplete"), first_hundred(14, 21));
    assert_eq!(of("cc/licence-unknown"), first_hundred(28, 35));
    // An absence points where the text looked in begins.
    assert_eq!(of("il-27a/notice-missing"), vec![(1, 1, 0)]);
    assert_eq!(findings.len(), 201);
    // Each pattern is followed for its first 20,000 matches (memory stays
    // bounded whatever the length): findings are counted that far, and a
    // note says where each rule stopped. 20,000 credits of 42 bytes end at
    // byte 8 + 840,000.
    assert_eq!(
        doc["dropped"],
        serde_json::json!([
            {"path": "wall.txt", "rule": "attribution/credit-incomplete", "count": 19_900},
            {"path": "wall.txt", "rule": "cc/licence-unknown", "count": 19_900},
        ])
    );
    assert_eq!(
        doc["notes"],
        serde_json::json!([
            {
                "path": "wall.txt",
                "message": "more than 20000 matches of one pattern in `body`, `footer`: \
                    attribution/credit-incomplete was checked only as far as line 2, column \
                    840013; what comes after is not known",
                "span": {"start": 840_020, "end": 840_020},
            },
            {
                "path": "wall.txt",
                "message": "more than 20000 matches of one pattern in `body`, `footer`: \
                    cc/licence-unknown was checked only as far as line 2, column 840027; what \
                    comes after is not known",
                "span": {"start": 840_034, "end": 840_034},
            },
        ])
    );
    assert_eq!(doc["summary"]["findings"], 201);
    assert_eq!(doc["summary"]["dropped"], 39_800);
    assert_eq!(doc["summary"]["notes"], 2);

    let human = clearance(
        dir.path(),
        &["check", "--no-config", "--require", "il-27a", "wall.txt"],
    );
    assert_eq!(human.code, 1);
    assert_eq!(
        human.stdout.lines().last(),
        Some(
            "201 findings (101 errors, 100 warnings, 0 info) in 1 of 1 file; 39800 more \
             findings not shown (at most 100 per rule in one document); 2 notes (above)."
        )
    );
    let summary = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--require",
            "il-27a",
            "--format",
            "summary",
            "wall.txt",
        ],
    );
    assert!(
        summary.stdout.ends_with(
            "1 file checked, 201 findings (101 errors, 100 warnings, 0 info), 0 problems, \
             0 baselined, 39800 more not shown (at most 100 per rule in one document), 2 notes\n"
        ),
        "{}",
        summary.stdout
    );
}

#[test]
fn nothing_dropped_means_no_dropped_fields() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        format!("Credits\n{}\n", CREDIT.repeat(100)),
    );
    let doc = json(&clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--require",
            "il-27a",
            "--format",
            "json",
            "a.txt",
        ],
    ));
    assert_eq!(doc["findings"].as_array().unwrap().len(), 201);
    assert!(doc.get("dropped").is_none(), "{doc}");
    assert!(doc["summary"].get("dropped").is_none(), "{doc}");
}

#[test]
fn a_reader_that_stops_early_still_gets_the_scans_exit_code() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    // Some 4,000 findings: far more report than a pipe holds.
    for i in 0..20 {
        write(
            dir.path(),
            format!("news/{i}.txt"),
            format!("Credits\n{}\n", CREDIT.repeat(100)),
        );
    }
    for format in ["human", "json", "github"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
            .args(["check", "--no-config", "--format", format, "news"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        // Like `| head -c 64`: the reader goes away.
        drop(stdout);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{format}: findings were found");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_reported_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news/a.txt", "Headline\n\nNothing to see.\n");
    for fifo in ["pipe.txt", "news/feed.txt"] {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(fifo))
            .status()
            .unwrap();
        assert!(made.success());
    }
    // Named on the command line, and met in a walk; nothing writes to
    // either, so opening one would hang the run.
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--no-default-packs",
            "--pack",
            "residue",
            "--format",
            "json",
            "pipe.txt",
            "news",
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stdout);
    let doc = json(&run);
    let message = "not a regular file (a FIFO, socket or device); skipped";
    assert_eq!(
        doc["problems"],
        serde_json::json!([
            {"path": "news/feed.txt", "message": message},
            {"path": "pipe.txt", "message": message},
        ])
    );
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn one_thread_or_eight_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    for i in 0..60 {
        let body = match i % 5 {
            0 => format!("Credits {i}\n\n{}\n", CREDIT.repeat(i % 7 + 1)),
            1 => "---\ntitle: [broken\n---\nPhoto: Reuters\n\nPhoto: Reuters\n".to_string(),
            2 => "Headline\n\nThe council met on Monday.\n".to_string(),
            3 => format!("כותרת\n\nסעיף 27(א) לחוק זכות יוצרים {i}\n"),
            _ => "binary\0file".to_string(),
        };
        let ext = if i % 5 == 1 { "md" } else { "txt" };
        write(dir.path(), format!("d{}/f{i}.{ext}", i % 4), body);
    }
    let mut dump = String::new();
    for i in 0..40 {
        dump.push_str(&match i % 4 {
            0 => format!("{{\"text\":\"{} {i}\"}}\n", CREDIT.repeat(i % 3 + 1)),
            1 => "not json\n".to_string(),
            2 => "{\"html\":\"<p>Photo:</p>\"}\n".to_string(),
            _ => "{\"title\":\"t\",\"text\":\"Source: AP\"}\n".to_string(),
        });
    }
    write(dir.path(), "d1/dump.jsonl", dump);
    let examples = examples.to_str().unwrap();
    let run = |jobs: &str| {
        let run = clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "--jobs",
                jobs,
                ".",
                examples,
            ],
        );
        assert_eq!(run.code, 3, "{}", run.stderr);
        run.stdout
    };
    let one = run("1");
    let doc: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert!(doc["problems"].as_array().unwrap().len() >= 20, "{doc}");
    assert!(doc["findings"].as_array().unwrap().len() >= 50, "{doc}");
    for _ in 0..3 {
        assert!(one == run("8"), "--jobs 1 and --jobs 8 differ");
    }
}
