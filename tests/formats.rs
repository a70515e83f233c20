//! The machine formats: SARIF 2.1.0 (checked against the constraints the
//! 2.1.0 schema puts on every property Clearance emits), GitHub workflow
//! commands, and the summary table.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn clearance(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clearance"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A small archive: UTF-8 text, a windows-1256 article, a JSON-lines dump,
/// a Markdown file whose name needs percent-encoding, and an unreadable file.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, bytes: &[u8]| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    w(
        "news/he.txt",
        "כותרת\n\nלפי סעיף 27(א) לחוק זכות יוצרים, התשס\"ח-2007. לפניות: rights@example.com\n"
            .as_bytes(),
    );
    let arabic =
        "عنوان\n\nوفقا للمادة 27 أ من قانون حقوق التأليف والنشر 2008، للتواصل: info@alnas.net\n";
    let (legacy, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
    w("news/ar-1256.txt", &legacy);
    w(
        "dump.jsonl",
        format!("{}\n", serde_json::json!({"text": "no notice at all"})).as_bytes(),
    );
    w("news/my story.md", b"# Story\n\nNothing here.\n");
    w("news/broken.md", b"\x00\x01binary");
    // An Israeli publisher: every article needs a section 27A notice.
    w("clearance.yaml", b"require: [il-27a]\n");
    dir
}

fn check_uri(uri: &str) {
    assert!(
        !uri.is_empty() && !uri.starts_with('/'),
        "relative uri: {uri}"
    );
    assert!(
        !uri.contains(' ') && !uri.contains('\\'),
        "uri-reference characters: {uri}"
    );
    assert!(
        !uri.rsplit('/').next().unwrap().contains(':'),
        "no :LINE suffix: {uri}"
    );
}

#[test]
fn sarif_meets_the_schema_constraints() {
    let dir = archive();
    let (code, out) = clearance(dir.path(), &["check", "--format", "sarif", "."], &[]);
    assert_eq!(code, 3, "the binary file is an input problem");
    let log: Value = serde_json::from_str(&out).unwrap();
    // sarifLog: required version (enum "2.1.0") and runs; $schema is a URI.
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().starts_with("https://"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    // run: required tool.driver with a name; columnKind enum.
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "clearance");
    assert!(driver["version"].is_string());
    assert!(["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap()));
    // reportingDescriptor: required id; texts are message strings; level enum.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());
    for r in rules {
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty() && !t.contains('{'))
        );
        assert!(r["fullDescription"]["text"].is_string() && r["help"]["text"].is_string());
        assert!(
            ["none", "note", "warning", "error"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    // result: required message.text; ruleIndex ≥ 0 and consistent with ruleId; level enum.
    let results = run["results"].as_array().unwrap();
    let mut seen: Vec<(String, String)> = Vec::new();
    for res in results {
        let rule = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], rule);
        assert!(["none", "note", "warning", "error"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let fp = res["partialFingerprints"]["clearance/v2"].as_str().unwrap();
        let (hash, n) = fp.split_once(':').unwrap();
        assert!(hash.len() == 16 && n.parse::<usize>().unwrap() >= 1, "{fp}");
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        check_uri(uri);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // region: lines and columns ≥ 1, end not before start, byte offsets ≥ 0.
        let region = &loc["region"];
        let n = |k: &str| region[k].as_u64().unwrap();
        assert!(
            n("startLine") >= 1
                && n("startColumn") >= 1
                && n("endLine") >= n("startLine")
                && n("endColumn") >= 1
        );
        if n("endLine") == n("startLine") {
            assert!(n("endColumn") >= n("startColumn"));
        }
        // byteOffset/byteLength address the file on disk, whatever its encoding.
        let file = dir.path().join(uri.replace("%20", " "));
        let bytes = std::fs::read(&file).unwrap();
        let raw = &bytes[n("byteOffset") as usize..(n("byteOffset") + n("byteLength")) as usize];
        let decoded = if uri.contains("1256") {
            encoding_rs::WINDOWS_1256
                .decode_without_bom_handling(raw)
                .0
                .into_owned()
        } else {
            String::from_utf8(raw.to_vec()).unwrap()
        };
        assert_eq!(
            decoded,
            region["snippet"]["text"].as_str().unwrap(),
            "{uri}"
        );
        seen.push((uri.to_string(), rule.to_string()));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "dump.jsonl".to_string(),
                "il-27a/notice-missing".to_string()
            ),
            (
                "news/ar-1256.txt".to_string(),
                "il-27a/year-malformed".to_string()
            ),
            (
                "news/he.txt".to_string(),
                "il-27a/contact-malformed".to_string()
            ),
            (
                "news/he.txt".to_string(),
                "il-27a/section-malformed".to_string()
            ),
            (
                "news/my%20story.md".to_string(),
                "il-27a/notice-missing".to_string()
            ),
        ]
    );
    // invocation: executionSuccessful is required; input problems become notifications.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert!(note["message"]["text"].as_str().unwrap().contains("binary"));
    check_uri(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap(),
    );

    // Fingerprints are stable across runs.
    let (_, again) = clearance(dir.path(), &["check", "--format", "sarif", "."], &[]);
    assert_eq!(out, again);
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = archive();
    let summary = dir.path().join("summary.md");
    let (code, out) = clearance(
        dir.path(),
        &["check", "--format", "github", "news/he.txt", "dump.jsonl"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("::warning file=dump.jsonl,line=1,endLine=1,")
            || lines[0].starts_with("::error file=dump.jsonl,line=1,"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("::error file=news/he.txt,line=3,endLine=3,col=5,"),
        "{out}"
    );
    assert!(
        lines[1].contains("title=il-27a/section-malformed::"),
        "{out}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("| `il-27a/section-malformed` | error | 1 |"),
        "{md}"
    );
}

#[test]
fn summary_counts_per_rule_and_folder() {
    let dir = archive();
    let (code, out) = clearance(
        dir.path(),
        &[
            "check",
            "--format",
            "summary",
            "--fail-on",
            "none",
            "news/he.txt",
            "news/ar-1256.txt",
            "dump.jsonl",
        ],
        &[],
    );
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("rule") && lines[0].ends_with("findings"),
        "{out}"
    );
    let row = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {out}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(row("il-27a/contact-malformed"), "1");
    assert_eq!(row("news "), "3");
    assert_eq!(row(". "), "1");
    assert!(
        out.trim_end().ends_with(
            "3 files checked, 4 findings (4 errors, 0 warnings, 0 info), 0 problems, 0 baselined"
        ),
        "{out}"
    );
}

/// A page whose site metadata is not JSON: a note in every format, and the
/// run's exit code is the findings' alone. A CDATA-wrapped block is read.
#[test]
fn unreadable_json_ld_is_a_note_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let bad = r#"{"@type": "WebSite", "name": }"#;
    let page = format!(
        "<html><head>\
         <script type=\"application/ld+json\">//<![CDATA[\n{{\"@type\":\"NewsArticle\",\"author\":\"Dana Levi\"}}\n//]]></script>\
         <script type=\"application/ld+json\">{bad}</script>\
         </head><body><article><p>The council met on Monday.</p></article></body></html>\n"
    );
    std::fs::write(dir.path().join("page.html"), &page).unwrap();
    let record = serde_json::json!({"html": page, "url": "https://news.example/a"});
    let line = record.to_string();
    std::fs::write(dir.path().join("dump.jsonl"), format!("{line}\n")).unwrap();
    let at = page.find(bad).unwrap();
    // In the dump the block is JSON-escaped: the span covers its escaped text.
    let escaped = serde_json::to_string(bad).unwrap();
    let escaped = &escaped[1..escaped.len() - 1];
    let in_line = line.find(escaped).unwrap();
    let run = |format: &str| {
        clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                format,
                "page.html",
                "dump.jsonl",
            ],
            &[],
        )
    };

    let (code, out) = run("json");
    assert_eq!(code, 0, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["problems"], serde_json::json!([]));
    let message = "JSON-LD block not read (expected value at line 1 column 30); \
                   the rest of the page was checked";
    assert_eq!(
        doc["notes"],
        serde_json::json!([
            {"path": "dump.jsonl:1", "message": message,
             "span": {"start": in_line, "end": in_line + escaped.len()},
             "record": {"path": "dump.jsonl", "id": null, "line": 1}},
            {"path": "page.html", "message": message,
             "span": {"start": at, "end": at + bad.len()}},
        ])
    );
    assert_eq!(doc["summary"]["notes"], 2);

    let (code, out) = run("sarif");
    assert_eq!(code, 0);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let levels: Vec<&str> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["note", "note"]);

    let (code, out) = run("github");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!(
            "::notice file=dump.jsonl,line=1,title=clearance::{message}\n\
             ::notice file=page.html,title=clearance::{message}\n"
        )
    );

    let (code, out) = run("summary");
    assert_eq!(code, 0);
    assert!(
        out.ends_with("2 files checked, 0 findings (0 errors, 0 warnings, 0 info), 0 problems, 0 baselined, 2 notes\n"),
        "{out}"
    );
}
