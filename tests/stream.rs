//! The scan's `Report` seam: a consumer that takes each document as it is
//! checked sees exactly what the collected, sorted outcome holds.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use clearance::load::InputProblem;
use clearance::report::{Checked, Report};
use clearance::{Engine, Pack, ScanOptions, scan, scan_into};

/// A document's id, and its findings' rules and lines.
type Document = (String, Vec<(String, usize)>);

/// Keeps what each document found, and each problem.
#[derive(Default)]
struct Seen {
    documents: Mutex<Vec<Document>>,
    problems: Mutex<Vec<(String, String)>>,
}

impl Report for Seen {
    fn document(&self, checked: Checked) {
        let findings = checked
            .report
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.line))
            .collect();
        self.documents
            .lock()
            .unwrap()
            .push((checked.id.to_string(), findings));
    }

    fn problem(&self, problem: InputProblem) {
        self.problems
            .lock()
            .unwrap()
            .push((problem.id.to_string(), problem.message));
    }
}

#[test]
fn each_document_reaches_the_report_as_it_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, bytes: &[u8]| common::write(dir.path(), rel, bytes);
    w("a.txt", b"The council met.\n\nRead more: the budget\n");
    w("b.md", "# כותרת\n\nקראו עוד: התקציב\n".as_bytes());
    w("clean.txt", b"The council met on Monday.\n");
    w(
        "dump.jsonl",
        b"{\"text\": \"Read more: x\"}\nnot json\n{\"text\": \"fine\"}\n",
    );
    w("binary.txt", b"\x00\x01\x02");
    let engine = Engine::new(Pack::all_builtin().unwrap()).unwrap();
    let roots = [PathBuf::from(dir.path())];
    let options = ScanOptions {
        threads: 2,
        ..ScanOptions::default()
    };
    let seen = Seen::default();
    scan_into(&engine, &roots, &options, &seen);
    let outcome = scan(&engine, &roots, &options);

    let documents = seen.documents.into_inner().unwrap();
    let name = |id: &str| id.rsplit('/').next().unwrap().to_string();
    let streamed: BTreeSet<String> = documents.iter().map(|(id, _)| name(id)).collect();
    // Every checked document, with findings or without; records one by one.
    assert_eq!(
        streamed,
        ["a.txt", "b.md", "clean.txt", "dump.jsonl:1", "dump.jsonl:3"]
            .map(String::from)
            .into()
    );
    assert_eq!(outcome.files, documents.len());
    let with_findings: Vec<Document> = {
        let mut v: Vec<_> = documents
            .into_iter()
            .filter(|(_, f)| !f.is_empty())
            .map(|(id, f)| (name(&id), f))
            .collect();
        v.sort();
        v
    };
    let collected: Vec<Document> = outcome
        .reports
        .iter()
        .map(|r| {
            (
                name(&r.id.to_string()),
                r.findings
                    .iter()
                    .map(|f| (f.rule.clone(), f.line))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(with_findings, collected);
    assert_eq!(
        collected
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["a.txt", "b.md", "dump.jsonl:1"]
    );
    // A file that cannot be checked at all is a problem of its own; a bad
    // line of a dump is a problem of the dump.
    let mut problems: Vec<String> = seen
        .problems
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|(id, _)| name(&id))
        .collect();
    problems.sort();
    assert_eq!(problems, ["binary.txt", "dump.jsonl:2"]);
    assert_eq!(outcome.problems.len(), 2);
}

/// The records of one dump, or of standard input, are checked on all the
/// workers: the report is the same as with one worker, byte for byte.
#[test]
fn a_dumps_records_checked_in_parallel_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "The council met.\n\nRead more: the budget",
        "المجلس البلدي\n\nاقرأ أيضا: الميزانية\n\nصورة توضيحية",
        "השימוש לפי סעיף 27 לחוק זכות יוצרים. לפניות: info@site,co.il",
        "Nothing to see here.",
    ];
    let dump: String = (0..400)
        .map(|k| {
            let record = if k % 97 == 0 {
                "not json".to_string()
            } else {
                serde_json::json!({"id": k, "text": texts[k % texts.len()]}).to_string()
            };
            record + "\n"
        })
        .collect();
    std::fs::write(dir.path().join("dump.jsonl"), &dump).unwrap();
    let run = |jobs: &str, stdin: bool| -> String {
        let mut args = vec!["check", "--no-config", "--format", "json", "--jobs", jobs];
        if stdin {
            args.extend(["--stdin-format", "jsonl", "-"]);
        } else {
            args.push("dump.jsonl");
        }
        let run =
            common::clearance_stdin(dir.path(), &args, if stdin { dump.as_bytes() } else { b"" });
        assert_eq!(run.code, 3, "{}", run.stderr);
        run.stdout
    };
    let one = run("1", false);
    assert!(one.contains("\"files\":395"), "{one}");
    assert_eq!(run("4", false), one);
    let from_stdin = run("1", true);
    assert_eq!(run("4", true), from_stdin);
    assert!(
        from_stdin.contains("\"path\":\"<stdin>:2\""),
        "{from_stdin}"
    );
}
