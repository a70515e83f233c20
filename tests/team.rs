//! Fitting into a newsroom's habits: the config file, overrides, inline
//! suppressions, the baseline, `init` and `--output`.

mod common;

use common::{clearance, json, require_27a, write};
use serde_json::Value;

/// (path, rule, severity) of every finding.
fn findings(doc: &Value) -> Vec<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("path"), s("rule"), s("severity"))
        })
        .collect()
}

const NO_NOTICE: &str = "Headline\n\nThe council met on Monday and approved the budget.\n";
const BAD_CONTACT: &str =
    "Headline\n\nUsed under section 27A of the Copyright Act, 2007. Contact: rights@example.com\n";

const HOUSE_PACK: &str = "pack: house\ntitle: House\nrules:\n  - id: read-more\n    severity: warning\n    message: leftover\n    forbid: { phrases: [\"Read more:\"] }\n";

#[test]
fn config_is_found_upward_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clearance.yaml",
        "packs: [il-27a]\nrequire: [il-27a]\nexclude: [\"drafts/**\"]\nfail_on: warning\n\
         overrides:\n  - files: [\"wire/**\"]\n    packs: [+house.yaml]\n    severity: { il-27a/notice-missing: warning }\n\
         \x20 - files: [\"archive/**\"]\n    packs: [-il-27a]\n",
    );
    write(dir.path(), "house.yaml", HOUSE_PACK);
    write(dir.path(), "news/a.txt", NO_NOTICE);
    write(
        dir.path(),
        "wire/b.txt",
        format!("{NO_NOTICE}Read more: more\n"),
    );
    write(
        dir.path(),
        "news/c.txt",
        format!("{NO_NOTICE}Read more: more\n"),
    );
    write(dir.path(), "archive/d.txt", NO_NOTICE);
    write(dir.path(), "drafts/e.txt", NO_NOTICE);
    // Run from a subfolder: the config above it is found, and its globs stay
    // anchored at its own folder.
    let news = dir.path().join("news");
    let all = [
        "check",
        "--format",
        "json",
        ".",
        "../wire",
        "../archive",
        "../drafts",
    ];
    let run = clearance(&news, &all);
    let mut got = findings(&json(&run));
    got.sort();
    let want: Vec<(String, String, String)> = [
        ("../wire/b.txt", "house/read-more", "warning"),
        ("../wire/b.txt", "il-27a/notice-missing", "warning"),
        ("a.txt", "il-27a/notice-missing", "error"),
        ("c.txt", "il-27a/notice-missing", "error"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want, "{}", run.stderr);
    assert_eq!(json(&run)["summary"]["files"], 4, "drafts/ is excluded");

    // fail_on: warning from the file; the flag wins over it.
    let wire = |extra: &[&str]| {
        let mut args = vec!["check", "../wire/b.txt"];
        args.extend(extra);
        clearance(&news, &args).code
    };
    assert_eq!(wire(&[]), 1);
    assert_eq!(wire(&["--fail-on", "error"]), 0);
    // --no-config: every built-in pack, no overrides, no excludes.
    let plain = json(&clearance(
        dir.path(),
        &["check", "--format", "json", "--no-config", "."],
    ));
    assert_eq!(plain["summary"]["files"], 5);
}

#[test]
fn bad_config_points_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", NO_NOTICE);
    for (text, says) in [
        ("fail_on: sometimes\n", "sometimes"),
        ("exlude: [x]\n", "exlude"),
        ("packs: [not-a-pack]\n", "not-a-pack"),
        (
            "overrides:\n  - files: [\"x/**\"]\n    severity: { il-27a/no-such-rule: off }\n",
            "il-27a/no-such-rule",
        ),
    ] {
        write(dir.path(), "clearance.yaml", text);
        let run = clearance(dir.path(), &["check", "a.txt"]);
        assert_eq!(run.code, 2, "{text}");
        assert!(
            run.stderr.contains(says) && run.stderr.contains("clearance.yaml"),
            "{text}:\n{}",
            run.stderr
        );
    }
    let run = clearance(dir.path(), &["check", "--config", "missing.yaml", "a.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.yaml"), "{}", run.stderr);
}

#[test]
fn inline_and_front_matter_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(
        dir.path(),
        "a.md",
        format!(
            "# T\n\nText.\n\n<!-- clearance-ignore il-27a/contact-malformed -->\n{}\n",
            BAD_CONTACT.lines().last().unwrap()
        ),
    );
    write(
        dir.path(),
        "b.md",
        "---\ntitle: T\nclearance:\n  ignore: [il-27a]\n---\nThe council met.\n",
    );
    write(
        dir.path(),
        "c.md",
        "# T\n\n<!-- clearance-ignore il-27a/year-malformed -->\nThe council met.\n",
    );
    write(
        dir.path(),
        "d.html",
        format!(
            "<html><body><!-- clearance-ignore-file il-27a/notice-missing --><p>{NO_NOTICE}</p></body></html>"
        ),
    );
    let doc = json(&clearance(dir.path(), &["check", "--format", "json", "."]));
    let mut got = findings(&doc);
    got.sort();
    assert_eq!(
        got,
        [
            (
                "c.md".to_string(),
                "clearance/unused-suppression".to_string(),
                "info".to_string()
            ),
            (
                "c.md".to_string(),
                "il-27a/notice-missing".to_string(),
                "error".to_string()
            ),
        ]
    );
}

#[test]
fn baseline_hides_known_findings_across_edits() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "a.txt", BAD_CONTACT);
    write(dir.path(), "b.txt", NO_NOTICE);
    let run = clearance(dir.path(), &["check", "--write-baseline", "base.json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap())
            .unwrap();
    assert_eq!(base["findings"].as_array().unwrap().len(), 2);
    assert_eq!(
        clearance(dir.path(), &["check", "--baseline", "base.json", "."]).code,
        0
    );

    // Edits elsewhere in the file keep the baseline valid...
    write(
        dir.path(),
        "a.txt",
        format!("New first line.\n\nAnother paragraph.\n{BAD_CONTACT}"),
    );
    let run = clearance(
        dir.path(),
        &["check", "--format", "json", "--baseline", "base.json", "."],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json(&run)["summary"]["baselined"], 2);
    // ...and a new problem still fails.
    write(dir.path(), "c.txt", NO_NOTICE);
    let run = clearance(
        dir.path(),
        &["check", "--format", "json", "--baseline", "base.json", "."],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&json(&run)),
        [(
            "c.txt".to_string(),
            "il-27a/notice-missing".to_string(),
            "error".to_string()
        )]
    );
    let human = clearance(dir.path(), &["check", "--baseline", "base.json", "."]);
    assert!(
        human
            .stdout
            .contains("2 known findings hidden by the baseline"),
        "{}",
        human.stdout
    );

    write(dir.path(), "bad.json", "{\"nope\": 1}");
    assert_eq!(
        clearance(dir.path(), &["check", "--baseline", "bad.json", "."]).code,
        2
    );
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "init",
        "--publisher",
        "Kafr News",
        "--domain",
        "kafr-news.co.il",
        "--contact",
        "rights@kafr-news.co.il",
    ];
    let run = clearance(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("clearance.yaml")).unwrap();
    assert!(
        text.contains("name: \"Kafr News\"") && text.contains("# Files never checked"),
        "{text}"
    );
    assert_eq!(
        clearance(dir.path(), &args).code,
        2,
        "an existing file is kept"
    );
    let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
    assert_eq!(clearance(dir.path(), &forced).code, 0);
    write(dir.path(), "drafts/a.txt", NO_NOTICE);
    write(dir.path(), "a.txt", NO_NOTICE);
    let doc = json(&clearance(dir.path(), &["check", "--format", "json", "."]));
    assert_eq!(
        doc["summary"]["files"], 1,
        "the starter config excludes drafts/"
    );
    // A publisher on an Israeli domain requires the section 27A notice.
    assert!(text.contains("\nrequire: [il-27a]\n"), "{text}");
    assert_eq!(doc["findings"][0]["rule"], "il-27a/notice-missing");
    assert_eq!(doc["findings"][0]["path"], "a.txt");
}

#[test]
fn output_file_and_quiet_pipes() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "a.txt", NO_NOTICE);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--output",
            "report.json",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(
        !run.stderr.contains("Checking"),
        "no progress on a pipe: {}",
        run.stderr
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["findings"], 1);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("clearance-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
