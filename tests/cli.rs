//! End-to-end behaviour of the `clearance` binary: exit codes, pack loading
//! and pack errors, file discovery, bad input, output shape.

mod common;

use common::{clearance, json, require_27a, write};
use serde_json::Value;

/// Rule ids reported per path, sorted.
fn rules_by_path(doc: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

const GOOD: &str = "כותרת\n\nגוף הכתבה.\n\nהשימוש נעשה לפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2007. \
לבקשת הסרה: copyright@city-news.co.il\n";
const NO_NOTICE: &str = "Headline\n\nThe council met on Monday and approved the budget.\n";

/// A user pack: one warning rule and one error rule.
const HOUSE_PACK: &str = r#"pack: house
title: House style
rules:
  - id: read-more
    severity: warning
    message: leftover «{match}» line
    forbid: { phrases: ["Read more:", "طالع أيضا"] }
    examples:
      valid: ["The council met."]
      invalid: ["Read more: the budget"]
"#;

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "ok.txt", GOOD);
    let clean = clearance(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert_eq!(json(&clean)["summary"]["findings"], 0);

    write(dir.path(), "house.yaml", HOUSE_PACK);
    write(
        dir.path(),
        "promo.txt",
        format!("{GOOD}\nRead more: the budget\n"),
    );
    let args = ["check", "--pack", "house.yaml", "promo.txt", "ok.txt"];
    assert_eq!(
        clearance(dir.path(), &args).code,
        0,
        "a warning does not fail by default"
    );
    let strict: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--fail-on", "warning"])
        .collect();
    assert_eq!(clearance(dir.path(), &strict).code, 1);

    write(dir.path(), "bad.txt", NO_NOTICE);
    assert_eq!(clearance(dir.path(), &["check", "bad.txt"]).code, 1);
    assert_eq!(
        clearance(dir.path(), &["check", "--fail-on", "none", "bad.txt"]).code,
        0
    );
    // What pipelines call it.
    assert_eq!(
        clearance(dir.path(), &["check", "--fail-on", "never", "bad.txt"]).code,
        0
    );
}

#[test]
fn json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "a/bad.txt", NO_NOTICE);
    write(dir.path(), "a/ok.txt", GOOD);
    let run = clearance(dir.path(), &["check", "--format", "json", "a"]);
    assert_eq!(run.code, 1);
    let doc = json(&run);
    assert_eq!(doc["version"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "il-27a/notice-missing");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "a/bad.txt");
    for key in ["line", "column"] {
        assert!(f[key].as_u64().unwrap() >= 1, "{key} is 1-based");
    }
    assert!(f["span"]["start"].as_u64().unwrap() <= f["span"]["end"].as_u64().unwrap());
    assert!(f["message"].as_str().unwrap().contains("27A"));
    let s = &doc["summary"];
    assert_eq!(
        (&s["files"], &s["findings"], &s["errors"], &s["warnings"]),
        (
            &Value::from(2),
            &Value::from(1),
            &Value::from(1),
            &Value::from(0)
        )
    );
}

#[test]
fn user_pack_adds_to_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "house.yaml", HOUSE_PACK);
    write(dir.path(), "x.txt", "طالع أيضا: خبر آخر\n");
    let both = json(&clearance(
        dir.path(),
        &["check", "--format", "json", "--pack", "house.yaml", "x.txt"],
    ));
    let ids: Vec<String> = rules_by_path(&both).into_iter().map(|(_, r)| r).collect();
    assert_eq!(
        ids,
        [
            "house/read-more",
            "il-27a/notice-missing",
            "residue/read-also"
        ]
    );

    let only = json(&clearance(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--no-default-packs",
            "--pack",
            "house.yaml",
            "x.txt",
        ],
    ));
    let ids: Vec<String> = rules_by_path(&only).into_iter().map(|(_, r)| r).collect();
    assert_eq!(ids, ["house/read-more"]);
    let message = only["findings"][0]["message"].as_str().unwrap();
    assert_eq!(message, "leftover «طالع أيضا» line");
}

#[test]
fn a_pack_directory_loads_every_yaml_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "packs/house.yaml", HOUSE_PACK);
    write(
        dir.path(),
        "packs/more.yml",
        HOUSE_PACK.replace("pack: house", "pack: more"),
    );
    let run = clearance(
        dir.path(),
        &["rules", "list", "--no-default-packs", "--pack", "packs"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("house/read-more") && run.stdout.contains("more/read-more"));
}

#[test]
fn broken_packs_point_into_the_yaml() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.txt", GOOD);
    let cases: &[(&str, &str, &str)] = &[
        // (pack text, words the error must say, text the label must underline)
        (
            "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: fatal\n    message: m\n    forbid: { phrases: [x] }\n",
            "fatal",
            "fatal",
        ),
        (
            "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    message: m\n    forbid: { regex: 'ab(c' }\n",
            "invalid regex",
            "(c",
        ),
        (
            "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    mesage: m\n    forbid: { phrases: [x] }\n",
            "mesage",
            "mesage",
        ),
        (
            "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    message: found {nope}\n    forbid: { phrases: [x] }\n",
            "{nope}",
            "found {nope}",
        ),
        (
            "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    message: m\n    forbid: { ref: missing }\n",
            "nothing is defined as `missing`",
            "missing",
        ),
    ];
    for (yaml, says, underlined) in cases {
        write(dir.path(), "p.yaml", yaml);
        let run = clearance(dir.path(), &["check", "--pack", "p.yaml", "x.txt"]);
        assert_eq!(run.code, 2, "{yaml}\n{}", run.stderr);
        assert!(
            run.stderr.contains(says),
            "error for {yaml:?} should say {says:?}:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("p.yaml"),
            "error names the file:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(underlined),
            "error shows {underlined:?}:\n{}",
            run.stderr
        );
        assert!(
            run.stdout.is_empty(),
            "nothing is checked with a broken pack"
        );
    }
}

/// A pack of `define:` entries that each refer to the next, `links` long,
/// with its one rule reading the first.
fn ref_chain(links: usize, wrap: &str) -> String {
    let mut yaml = String::from("pack: p\ntitle: t\ndefine:\n");
    for i in 0..links {
        let inner = format!("{{ ref: d{} }}", i + 1);
        let value = if wrap.is_empty() {
            inner
        } else {
            format!("{{ {wrap}: {inner} }}")
        };
        yaml.push_str(&format!("  d{i}: {value}\n"));
    }
    yaml.push_str(&format!("  d{links}: {{ phrases: [zzz] }}\n"));
    yaml.push_str(
        "rules:\n  - id: r\n    severity: error\n    message: m\n    forbid: { ref: d0 }\n",
    );
    yaml
}

#[test]
fn a_pack_nested_too_deep_through_its_definitions_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.txt", GOOD);
    // Thousands of links overflowed the stack of the pack-loading thread.
    // The rule's matcher is the first level, d0's value the second; so the
    // first too deep is d63's value (line 67) in a plain chain, and the
    // `ref:` inside d31's `not` (line 35, column 15) when each link adds two.
    for (links, wrap, at) in [(3000, "", "p.yaml:67:8]"), (1000, "not", "p.yaml:35:15]")] {
        write(dir.path(), "p.yaml", ref_chain(links, wrap));
        let run = clearance(dir.path(), &["check", "--pack", "p.yaml", "x.txt"]);
        assert_eq!(run.code, 2, "{links} links: {}", run.stderr);
        assert!(
            run.stderr.contains("matchers nest more than 64 deep"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(at), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    // At the limit the pack loads and runs.
    write(dir.path(), "p.yaml", ref_chain(62, ""));
    let run = clearance(
        dir.path(),
        &["check", "--no-default-packs", "--pack", "p.yaml", "x.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    write(dir.path(), "p.yaml", ref_chain(31, "not"));
    let run = clearance(
        dir.path(),
        &["check", "--no-default-packs", "--pack", "p.yaml", "x.txt"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn unknown_pack_name_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = clearance(dir.path(), &["check", "--pack", "no-such-pack", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a built-in pack"), "{}", run.stderr);
}

#[test]
fn bad_files_are_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "docs/bad.txt", NO_NOTICE);
    write(
        dir.path(),
        "docs/legacy.txt",
        b"\xc7\xe1\xe3\xd5\xcf\xd1: \xe6\xdf\xc7\xe1\xc9\n".as_slice(),
    );
    write(
        dir.path(),
        "docs/binary.md",
        b"PK\x03\x04\x00\x00\x00".as_slice(),
    );
    write(
        dir.path(),
        "docs/broken.md",
        "---\ntitle: [unclosed\n---\nThe council met.\n",
    );
    let run = clearance(dir.path(), &["check", "--format", "json", "docs"]);
    assert_eq!(run.code, 3, "unreadable input makes the run fail");
    let doc = json(&run);
    let problems: Vec<(String, String)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].0.ends_with("binary.md") && problems[0].1.contains("binary"));
    assert!(problems[1].0.ends_with("broken.md") && problems[1].1.contains("front matter"));
    // The readable files were still checked: the windows-1256 one (detected),
    // and the body under broken front matter.
    assert_eq!(
        rules_by_path(&doc),
        [
            (
                "docs/bad.txt".to_string(),
                "il-27a/notice-missing".to_string()
            ),
            (
                "docs/broken.md".to_string(),
                "il-27a/notice-missing".to_string()
            ),
            (
                "docs/legacy.txt".to_string(),
                "il-27a/notice-missing".to_string()
            ),
        ]
    );

    let human = clearance(dir.path(), &["check", "docs"]);
    assert!(
        human.stderr.contains("broken.md") && human.stderr.contains("unclosed"),
        "{}",
        human.stderr
    );
}

#[test]
fn missing_path_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = clearance(dir.path(), &["check", "nowhere"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
}

#[test]
fn ignore_files_are_respected_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    write(dir.path(), "site/a.txt", NO_NOTICE);
    write(dir.path(), "site/drafts/b.txt", NO_NOTICE);
    write(dir.path(), "site/vendor/c.md", NO_NOTICE);
    write(dir.path(), "site/.hidden/d.txt", NO_NOTICE);
    write(dir.path(), "site/notes.pdf", NO_NOTICE);
    write(dir.path(), "site/.gitignore", "drafts/\n");
    write(dir.path(), "site/.clearanceignore", "vendor/\n");
    let doc = json(&clearance(
        dir.path(),
        &["check", "--format", "json", "site"],
    ));
    let paths: Vec<String> = rules_by_path(&doc).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["site/a.txt"]);
    assert_eq!(doc["summary"]["files"], 1);

    // A path named explicitly is checked even when ignored.
    let doc = json(&clearance(
        dir.path(),
        &["check", "--format", "json", "site/drafts/b.txt"],
    ));
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn markdown_code_blocks_are_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    require_27a(dir.path());
    let notice = "השימוש נעשה לפי סעיף 27א לחוק זכות יוצרים. לפניות: copyright@city-news.co.il";
    write(
        dir.path(),
        "in-code.md",
        format!("# Title\n\nText.\n\n```\n{notice}\n```\n"),
    );
    write(
        dir.path(),
        "in-text.md",
        format!("# Title\n\nText.\n\n{notice}\n"),
    );
    write(
        dir.path(),
        "in-front-matter.md",
        format!("---\ntitle: T\nrights: \"{notice}\"\n---\nText.\n"),
    );
    let doc = json(&clearance(dir.path(), &["check", "--format", "json", "."]));
    assert_eq!(
        rules_by_path(&doc),
        [(
            "in-code.md".to_string(),
            "il-27a/notice-missing".to_string()
        )]
    );
}

#[test]
fn spans_are_byte_offsets_in_the_original_file() {
    let dir = tempfile::tempdir().unwrap();
    // BOM, diacritics and a bidi mark before the problem: the span must still land on it.
    let text = "\u{feff}عنوان\n\nيتم الاستخدام وفقًا للمادة 27 من قانون حقوق التأليف والنشر 2007، \u{200f}للتواصل: info@alnas.net\n";
    write(dir.path(), "a.txt", text);
    let doc = json(&clearance(
        dir.path(),
        &["check", "--format", "json", "a.txt"],
    ));
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "il-27a/section-malformed");
    let (start, end) = (
        f["span"]["start"].as_u64().unwrap() as usize,
        f["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "للمادة 27");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(21))
    );
}

#[test]
fn human_output_quotes_the_text_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        "כותרת\n\nלפי סעיף 27(א) לחוק זכות יוצרים. לפניות: copyright@city-news.co.il\n",
    );
    let run = clearance(dir.path(), &["check", "a.txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("il-27a/section-malformed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("found «27(א)», expected 27A"),
        "the label quotes the text:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[a.txt:3:5]"),
        "location header, character column:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 finding (1 error, 0 warnings, 0 info) in 1 of 1 file."),
        "{}",
        run.stdout
    );
}

#[test]
fn rules_test_runs_examples_and_fails_on_a_wrong_one() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = clearance(dir.path(), &["rules", "test"]);
    assert_eq!(builtin.code, 0, "{}", builtin.stdout);
    assert!(
        builtin.stdout.trim_end().ends_with(", 0 failed"),
        "{}",
        builtin.stdout
    );

    write(
        dir.path(),
        "wrong.yaml",
        HOUSE_PACK.replace(
            "valid: [\"The council met.\"]",
            "valid: [\"Read more: oops\"]",
        ),
    );
    let run = clearance(dir.path(), &["rules", "test", "wrong.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("FAIL house/read-more: valid example reported: Read more: oops"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 passed, 1 failed"), "{}", run.stdout);
}

#[test]
fn rules_show_prints_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let run = clearance(dir.path(), &["rules", "show", "il-27a/section-malformed"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("27(א)") && run.stdout.contains("invalid examples"),
        "{}",
        run.stdout
    );
    assert_eq!(
        clearance(dir.path(), &["rules", "show", "il-27a/nope"]).code,
        2
    );
    let missing = clearance(dir.path(), &["rules", "show", "il-27a/notice-missing"]);
    assert!(
        missing.stdout.contains(
            "  applies: to every file when the configuration requires the pack \
             (`require: [il-27a]` or `--require il-27a`)"
        ),
        "{}",
        missing.stdout
    );
    assert!(!run.stdout.contains("  applies:"), "{}", run.stdout);
}

/// A scan long enough for the progress counter to draw, run on a
/// pseudo-terminal as a person would, must finish (it used to hang: the
/// binary held the standard-error lock the counter's thread waits for).
#[cfg(target_os = "linux")]
#[test]
fn a_long_scan_on_a_terminal_finishes_and_shows_progress() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    for i in 0..8000 {
        write(
            dir.path(),
            format!("a{i}.txt"),
            format!("Title {i}\n\nThe council met on Monday, meeting {i}.\n"),
        );
    }
    let inner = format!(
        "{} check --jobs 1 --no-config --require il-27a --fail-on none {}",
        env!("CARGO_BIN_EXE_clearance"),
        dir.path().display()
    );
    // util-linux `script` gives the command a pseudo-terminal for its
    // standard streams; its own output (the terminal's) goes to our pipe.
    let mut child = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs (it gives the scan a terminal)");
    // Read what the terminal shows as it comes, so a full pipe never stalls it.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut screen = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut screen).unwrap();
        screen
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("`clearance check` on a terminal did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let screen = reader.join().unwrap();
    let screen = String::from_utf8_lossy(&screen);
    assert!(status.success(), "exit {status:?}: {screen}");
    assert!(
        screen.contains("Checking… "),
        "the scan ended before the counter drew, so this run tested nothing: {screen}"
    );
    assert!(
        screen.contains("8000 findings (8000 errors, 0 warnings, 0 info) in 8000 of 8000 files."),
        "{screen}"
    );
}
