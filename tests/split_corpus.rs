//! A corpus of 5,000 JSON-lines records (HTML, Markdown and text; Arabic,
//! Hebrew and English) checked whole and in 3 and 7 shards, each shard by
//! file and by standard input, as `split | xargs -P` or a Spark/Dask job
//! would: the same findings (record ids, fields, spans, fingerprints)
//! whatever the split; a baseline of the whole corpus and merged shard
//! baselines hide the same findings; and a worker killed mid-stream is
//! caught by `merge --expect`.

mod common;

use std::io::Write;
use std::path::Path;

use common::{clearance, clearance_stdin, spawn, write};
use serde_json::{Value, json};

const RECORDS: usize = 5000;

/// Record `i`; `edited` adds a leftover to every tenth record (an archive
/// edited since its baseline was taken).
fn record(i: usize, edited: bool) -> String {
    let added = edited && i.is_multiple_of(10);
    let text = |body: String| {
        if added {
            format!("{body}\n\nRead more: added {i}")
        } else {
            body
        }
    };
    // Inside the article: a page's text outside its `<article>` is not read.
    let html = |body: String| {
        if !added {
            return body;
        }
        let p = format!("<p>Read more: added {i}</p>");
        match body.strip_suffix("</article>") {
            Some(open) => format!("{open}{p}</article>"),
            None => format!("{body}{p}"),
        }
    };
    let value = match i % 6 {
        0 => {
            json!({"id": format!("ar-{i}"), "text": text(format!("خبر رقم {i} عن المياه.\n\nاقرأ أيضا: خبر {}", i % 7))})
        }
        1 => {
            json!({"id": format!("he-{i}"), "text": text(format!("## ידיעה {i}\n\nהמועצה **התכנסה** היום.\n\nקראו עוד: כתבה {}", i % 5))})
        }
        2 => {
            json!({"url": format!("https://news.example/en/{i}"), "html": html(format!("<article><p>Story {i} &amp; more.</p><p>Read more: story {}</p></article>", i % 3))})
        }
        3 => json!({"id": i, "text": text(format!("A clean story, number {i}."))}),
        4 => {
            json!({"id": format!("md-{i}"), "text": text(format!("# Title {i}\n\nA [link](https://x.example/{i}) and *emphasis*.\n\nRead also: more"))})
        }
        _ => {
            json!({"id": format!("ar-html-{i}"), "html": html(format!("<p>مقال {i}</p><p>اقرأ أيضاً: خبر</p>"))})
        }
    };
    format!("{value}\n")
}

fn corpus(edited: bool) -> Vec<String> {
    (0..RECORDS).map(|i| record(i, edited)).collect()
}

/// `lines` in `k` contiguous shards.
fn shards(lines: &[String], k: usize) -> Vec<String> {
    let per = lines.len().div_ceil(k);
    lines.chunks(per).map(|c| c.concat()).collect()
}

const CHECK: &[&str] = &[
    "check",
    "--no-config",
    "--format",
    "jsonl",
    "--field-format",
    "markdown",
];

/// The lines of a streamed check.
fn parse(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A finding as a shard-independent tuple.
type Placed = (String, String, String, String, String, String);

fn findings(lines: &[Value]) -> Vec<Placed> {
    lines
        .iter()
        .filter(|v| v["type"] == "finding")
        .map(|v| {
            (
                v["record"]["id"].to_string(),
                v["record"]["field"].to_string(),
                v["field_span"].to_string(),
                v["rule"].to_string(),
                v["message"].to_string(),
                v["fingerprint"].to_string(),
            )
        })
        .collect()
}

fn record_count(lines: &[Value]) -> usize {
    lines.iter().filter(|v| v["type"] == "record").count()
}

/// Checks every shard by file and by standard input; returns the findings
/// of all shards, sorted, and the number of records seen.
fn check_shards(dir: &Path, parts: &[String], extra: &[&str]) -> (Vec<Placed>, usize) {
    let mut by_file = Vec::new();
    let mut by_stdin = Vec::new();
    let mut records = 0;
    for (n, part) in parts.iter().enumerate() {
        let name = format!("part-{n}.jsonl");
        write(dir, &name, part);
        let run = clearance(dir, &[CHECK, extra, &[name.as_str()]].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines = parse(&run.stdout);
        records += record_count(&lines);
        by_file.extend(findings(&lines));
        let run = clearance_stdin(
            dir,
            &[CHECK, extra, &["--stdin-format", "jsonl", "-"]].concat(),
            part.as_bytes(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        by_stdin.extend(findings(&parse(&run.stdout)));
    }
    by_file.sort();
    by_stdin.sort();
    assert_eq!(by_file, by_stdin, "by file and by standard input");
    (by_file, records)
}

#[test]
fn any_split_gives_the_findings_of_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let lines = corpus(true);
    let (whole, records) = check_shards(dir.path(), &shards(&lines, 1), &[]);
    assert_eq!(records, RECORDS);
    // Five of every six records have a leftover, and every tenth one more.
    let leftovers = (0..RECORDS).filter(|i| i % 6 != 3).count();
    assert_eq!(whole.len(), leftovers + RECORDS / 10);
    for k in [3, 7] {
        let (split, records) = check_shards(dir.path(), &shards(&lines, k), &[]);
        assert_eq!(records, RECORDS, "{k} shards");
        assert_eq!(split, whole, "{k} shards");
    }
    // An example, exactly: the Hebrew Markdown record's link, in its field.
    let he = whole
        .iter()
        .find(|f| f.0 == "\"he-7\"")
        .expect("he-7 has a finding");
    assert_eq!(
        (&he.1[..], &he.2[..], &he.3[..]),
        (
            "\"text\"",
            r#"{"column":1,"end":74,"line":5,"start":58}"#,
            "\"residue/read-also\""
        )
    );
}

#[test]
fn baselines_agree_whole_and_per_shard() {
    let dir = tempfile::tempdir().unwrap();
    let old = corpus(false);
    write(dir.path(), "old.jsonl", old.concat());
    let written = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--field-format",
            "markdown",
            "--write-baseline",
            "whole.json",
            "old.jsonl",
        ],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    // Per-shard baselines of the old corpus, joined into one file.
    let mut joined: Vec<Value> = Vec::new();
    for (n, part) in shards(&old, 3).iter().enumerate() {
        let name = format!("old-{n}.jsonl");
        write(dir.path(), &name, part);
        let base = format!("base-{n}.json");
        let run = clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--field-format",
                "markdown",
                "--write-baseline",
                &base,
                &name,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = std::fs::read_to_string(dir.path().join(&base)).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        joined.extend(value["findings"].as_array().unwrap().iter().cloned());
    }
    write(
        dir.path(),
        "joined.json",
        json!({"version": 1, "findings": joined}).to_string(),
    );
    let new = corpus(true);
    let (whole, _) = check_shards(dir.path(), &shards(&new, 1), &["--baseline", "whole.json"]);
    // Left: the leftover added to every tenth record since.
    assert_eq!(whole.len(), RECORDS / 10);
    assert!(
        whole.iter().all(|f| f.4.contains("«Read more:»")),
        "{whole:?}"
    );
    for k in [3, 7] {
        for base in ["whole.json", "joined.json"] {
            let (split, _) = check_shards(dir.path(), &shards(&new, k), &["--baseline", base]);
            assert_eq!(split, whole, "{k} shards, {base}");
        }
    }
}

#[cfg(unix)]
#[test]
fn merge_expect_catches_a_worker_killed_mid_stream() {
    let dir = tempfile::tempdir().unwrap();
    let lines = corpus(true);
    let parts = shards(&lines, 3);
    // Shards 0 and 2 finish; shard 1's worker is killed (SIGKILL) after
    // part of its input.
    for n in [0, 2] {
        write(dir.path(), format!("part-{n}.jsonl"), &parts[n]);
        let run = clearance(
            dir.path(),
            &[
                CHECK,
                &[
                    "--output",
                    &format!("out-{n}.jsonl"),
                    &format!("part-{n}.jsonl"),
                ],
            ]
            .concat(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut child = spawn(
        dir.path(),
        &[CHECK, &["--stdin-format", "jsonl", "-"]].concat(),
    );
    let mut stdin = child.stdin.take().unwrap();
    let half: String = parts[1]
        .lines()
        .take(600)
        .map(|l| format!("{l}\n"))
        .collect();
    stdin.write_all(half.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut out = child.stdout.take().unwrap();
    // Wait until some of its records are out, then kill it.
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    while got.iter().filter(|&&b| b == b'\n').count() < 50 {
        let n = std::io::Read::read(&mut out, &mut buf).unwrap();
        assert!(n > 0, "the worker ended early");
        got.extend_from_slice(&buf[..n]);
    }
    child.kill().unwrap();
    let _ = child.wait();
    let _ = std::io::Read::read_to_end(&mut out, &mut got);
    drop(stdin);
    write(dir.path(), "out-1.jsonl", &got);
    let seen = String::from_utf8_lossy(&got)
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"record\""))
        .count();
    assert!(seen < RECORDS / 3, "{seen}");
    let expect = RECORDS.to_string();
    let run = clearance(
        dir.path(),
        &[
            "merge",
            "--expect",
            &expect,
            "--format",
            "json",
            "out-0.jsonl",
            "out-1.jsonl",
            "out-2.jsonl",
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let found = parts[0].lines().count() + parts[2].lines().count() + seen;
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    let missing = format!(
        "expected {RECORDS} records, found {found}: {} missing (a shard whose worker stopped, or one not merged)",
        RECORDS - found
    );
    assert!(messages.contains(&missing.as_str()), "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("has no summary line")),
        "{messages:?}"
    );
    assert_eq!(report["summary"]["files"], found);
    // The shard run again in full: the merge is complete, each record once,
    // with the findings of one check of the whole corpus.
    write(dir.path(), "part-1.jsonl", &parts[1]);
    let again = clearance(
        dir.path(),
        &[CHECK, &["--output", "out-1b.jsonl", "part-1.jsonl"]].concat(),
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let run = clearance(
        dir.path(),
        &[
            "merge",
            "--expect",
            &expect,
            "--format",
            "jsonl",
            "out-0.jsonl",
            "out-1b.jsonl",
            "out-2.jsonl",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = parse(&run.stdout);
    assert_eq!(record_count(&merged), RECORDS);
    write(dir.path(), "whole.jsonl", lines.concat());
    let whole = clearance(dir.path(), &[CHECK, &["whole.jsonl"]].concat());
    let mut a = findings(&merged);
    let mut b = findings(&parse(&whole.stdout));
    a.sort();
    b.sort();
    assert_eq!(a, b);
}
