//! Hostile text never reaches a terminal or a workflow log as it is:
//! articles, file names, pack strings and config values full of terminal
//! escapes (OSC 8 links, clear-screen, colours), bidi overrides and
//! isolates, lone carriage returns and line breaks go through every output
//! format, and human, summary and github output show each of them as a
//! visible escape. Arabic and Hebrew letters, diacritics and the LRM/RLM
//! marks stay as they are.

#![allow(clippy::disallowed_methods)] // tests read their own environment

mod common;

use std::path::Path;

use common::{clearance, write};

/// Characters that must never come out raw (line feeds aside, which only
/// the printers themselves write).
fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{9}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// No unsafe character in `text`, and (but for github output, which is
/// nothing but commands) no line that starts a workflow command.
fn assert_clean(what: &str, text: &str) {
    // CSV ends its rows with CRLF (RFC 4180): a CR there is no lone CR.
    let crlf = |i: usize| what.starts_with("csv") && text[i + 1..].starts_with('\n');
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(i, c)| is_unsafe(c) && !(c == '\r' && crlf(i)))
    {
        let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
        panic!(
            "{what}: raw U+{:04X} at byte {i}, after {:?}\n{text}",
            u32::from(c),
            &text[from..i]
        );
    }
    for line in text.lines() {
        if what.starts_with("github stdout") {
            break;
        }
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line that a runner reads as a workflow command: {line:?}"
        );
    }
}

/// Everything hostile in one piece of text.
const EVIL: &str = "\u{1b}]8;;http://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\ \
                    \u{1b}[2J\u{1b}[31mred\u{1b}[0m \u{7}bell \u{202e}reversed\u{202c} \
                    \u{2066}isolate\u{2069} lone\rcr \u{9b}31m c1 \u{2028}sep";

/// A user pack whose strings are hostile too, and whose messages quote
/// what they found.
const PACK: &str = r#"pack: hostile
title: "Hostile \e[2J pack \u202E"
rules:
  - id: body-match
    severity: error
    message: "found «{match}» \e[31mred\e[0m"
    help: "see \e]8;;http://evil.example/\e\\here\e]8;;\e\\ \u202Eeman"
    scope: body
    forbid: { regex: 'start[^|]*?end' }
  - id: title-match
    severity: warning
    message: "title «{match}»"
    scope: title
    forbid: { regex: 'head[^|]*?tail' }
  - id: caption-match
    severity: info
    message: "caption «{match}»"
    scope: caption
    forbid: { regex: 'cap[^|]*?end' }
"#;

fn hostile_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "hostile.yaml", PACK);
    // Text: the title is the first line.
    write(
        d,
        "news/evil.txt",
        format!(
            "head {EVIL} tail\n\nstart {EVIL} \u{200f}(27)\u{200e} end\n\n\
             השימוש לפי סעיף 27(א) לחוק זכות יוצרים. שָׁלוֹם עוֹלָם، بِسْمِ اللَّهِ\n"
        ),
    );
    // Markdown: a hostile front-matter title (YAML allows no raw controls,
    // bidi characters it does), and a broken front matter
    // (its error quotes the character it stopped at).
    write(
        d,
        "news/evil.md",
        format!("---\ntitle: head \u{202e}\u{2066}x\u{2069} tail\n---\n\nstart {EVIL} end\n"),
    );
    write(
        d,
        "news/broken.md",
        "---\ntitle: \u{1b}[2J: [\n---\n\nstart x end\n",
    );
    // HTML: title and caption.
    write(
        d,
        "news/evil.html",
        format!(
            "<html><head><title>head {EVIL} tail</title></head><body><article>\
             <p>start {EVIL} end</p><figure><img src=x.jpg alt=x>\
             <figcaption>cap {EVIL} end</figcaption></figure></article></body></html>\n"
        ),
    );
    // File names with an escape, a line break that would start a workflow
    // command, and a bidi override.
    for name in [
        "news/a\u{1b}[31mb.txt",
        "news/x\n::error file=z::pwn.txt",
        "news/\u{202e}txt.exe.txt",
    ] {
        write(d, name, "plain\n\nstart x end\n");
    }
    // Binary, so reported as a problem under its hostile name.
    write(d, "news/bin\u{1b}[2J.txt", b"a\0b");
    dir
}

const FORMATS: [&str; 8] = [
    "human", "summary", "github", "json", "sarif", "csv", "junit", "html",
];

fn check(dir: &Path, format: &str) -> common::Run {
    clearance(
        dir,
        &[
            "check",
            "--no-config",
            "--pack",
            "hostile.yaml",
            "--format",
            format,
            "--color",
            "never",
            "news",
        ],
    )
}

#[test]
fn no_control_or_bidi_character_from_input_reaches_any_output() {
    let dir = hostile_archive();
    let json = common::json(&check(dir.path(), "json"));
    if std::env::var_os("HOSTILE_DUMP").is_some() {
        for format in FORMATS {
            let run = check(dir.path(), format);
            eprintln!("==== {format}\n{}\n---- stderr\n{}", run.stdout, run.stderr);
        }
    }
    let findings = json["findings"].as_array().unwrap();
    let problems = json["problems"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Every region took part: body (text, both Markdown files, HTML, the
    // three hostile names), title (text, Markdown, HTML), caption (HTML), plus the
    // built-in packs' findings on the Hebrew notice.
    for rule in [
        "hostile/body-match",
        "hostile/title-match",
        "hostile/caption-match",
    ] {
        assert!(rules.contains(&rule), "{rule}: {rules:?}");
    }
    assert_eq!(
        rules.iter().filter(|r| **r == "hostile/body-match").count(),
        7
    );
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "hostile/title-match")
            .count(),
        3
    );
    // The machine formats keep the text exactly (serde escapes it).
    let evil = findings
        .iter()
        .find(|f| f["path"] == "news/evil.txt" && f["rule"] == "hostile/body-match")
        .unwrap();
    let message = evil["message"].as_str().unwrap();
    for part in [
        "\u{1b}]8;;http://evil.example/\u{1b}\\click",
        "\u{2069} lone cr \u{9b}31m",
        "\u{200f}(27)\u{200e}",
    ] {
        assert!(message.contains(part), "{part:?}: {message:?}");
    }
    assert!(
        findings
            .iter()
            .any(|f| f["path"] == "news/x\\x0A::error file=z::pwn.txt"),
        "{findings:?}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");

    for format in FORMATS {
        let run = check(dir.path(), format);
        assert_eq!(run.code, 3, "{format}: {}", run.stderr);
        if format == "json" || format == "sarif" {
            // Valid JSON whose strings hold the text as it is (checked
            // above), written with every unsafe character as `\uXXXX`.
            let _: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert_clean(&format!("{format} stdout"), &run.stdout);
            assert!(run.stdout.contains("\\u001b]8;;http://evil.example/"));
            assert!(run.stdout.contains("\\u2069 lone cr \\u009b31m"));
            continue;
        }
        assert_clean(&format!("{format} stdout"), &run.stdout);
        assert_clean(&format!("{format} stderr"), &run.stderr);
        if format == "summary" {
            assert!(run.stdout.contains("news  "), "{}", run.stdout);
            continue;
        }
        if format == "html" {
            // The page's own two scripts and style, nothing input started;
            // the findings' text travels as JSON, escapes and all.
            assert_eq!(run.stdout.matches("<script").count(), 2);
            assert_eq!(run.stdout.matches("<style").count(), 1);
            assert_eq!(run.stdout.matches("</script>").count(), 2);
            assert_eq!(run.stdout.matches("</style>").count(), 1);
            continue;
        }
        // What was escaped is still there to read.
        let out = format!("{}{}", run.stdout, run.stderr);
        // File names are escaped once, where they are read (`\xNN` for
        // control bytes), and shown as such; an annotation names the file
        // itself, with what is unsafe in its name escaped as in a message.
        let name = if format == "github" {
            "news/a\\u{1b}[31mb.txt"
        } else {
            "news/a\\x1B[31mb.txt"
        };
        for shown in [
            "\\u{1b}]8;;http://evil.example/\\u{1b}\\click",
            "\\u{2069} lone cr \\u{9b}31m",
            name,
        ] {
            assert!(out.contains(shown), "{format}: no {shown:?}\n{out}");
        }
        if format == "human" {
            assert!(out.contains("news/x\\x0A::error file=z::pwn.txt"), "{out}");
            assert!(out.contains("news/\\u{202e}txt.exe.txt"), "{out}");
            assert!(out.contains("see \\u{1b}]8;;http://evil.example/"), "{out}");
            // Letters, diacritics and the directional marks are kept.
            assert!(out.contains("שָׁלוֹם עוֹלָם"), "{out}");
            assert!(out.contains("\u{200f}(27)\u{200e}"), "{out}");
        } else if format == "csv" {
            // A header and one row per finding, whatever the text.
            assert_eq!(
                run.stdout.split("\r\n").count(),
                findings.len() + 2,
                "{}",
                run.stdout
            );
            assert!(!run.stdout.contains("\n="), "{}", run.stdout);
        } else if format == "junit" {
            // Every element is one the printer made: text from input is
            // escaped, so none starts an element of its own.
            const TAGS: &[&str] = &[
                "<?xml ",
                "<testsuites ",
                "<testsuite ",
                "</testsuite>",
                "</testsuites>",
                "<testcase ",
                "</testcase>",
                "<failure ",
                "</failure>",
                "<error ",
                "<system-out>",
                "</system-out>",
            ];
            for (i, _) in run.stdout.match_indices('<') {
                assert!(
                    TAGS.iter().any(|t| run.stdout[i..].starts_with(t)),
                    "{}",
                    &run.stdout[i..]
                );
            }
            assert_eq!(
                run.stdout.matches("<failure ").count(),
                findings.iter().filter(|f| f["severity"] == "error").count()
            );
        } else {
            // One command per finding and problem, whatever the names.
            assert_eq!(
                run.stdout.lines().count(),
                findings.len() + problems.len(),
                "{}",
                run.stdout
            );
            for line in run.stdout.lines() {
                assert!(
                    ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|c| line.starts_with(c)),
                    "{line:?}"
                );
            }
            // The file's own name: the runner turns `%0A` back into the
            // line break, and the name cannot start a command of its own.
            assert!(
                run.stdout
                    .contains("file=news/x%0A%3A%3Aerror file=z%3A%3Apwn.txt,"),
                "{}",
                run.stdout
            );
        }
    }
}

#[test]
fn a_hostile_pack_error_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A load error in a pack whose name and text carry escapes: message,
    // snippet and path are all shown escaped.
    let name = "bad\u{1b}]0;title\u{7}.yaml";
    write(
        dir.path(),
        name,
        "pack: p\ntitle: \"t \u{1b}[2J\u{202e}\"\nrules:\n  - id: r\n    severity: loud\u{1b}[5m\n    message: m\n    forbid: { phrases: [x] }\n",
    );
    write(dir.path(), "a.txt", "x\n");
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--pack", name, "a.txt"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_clean("pack error", &run.stderr);
    assert!(
        run.stderr.contains("bad\\u{1b}]0;title\\u{7}.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hostile_config_value_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "clearance.yaml",
        "packs: [\"no\\e[2Jsuch\\u202Epack\"]\n",
    );
    write(dir.path(), "a.txt", "x\n");
    let run = clearance(dir.path(), &["check", "a.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_clean("config error", &run.stderr);
    assert!(
        run.stderr.contains("no\\u{1b}[2Jsuch\\u{202e}pack"),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_listings_and_init_escape_pack_strings_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    // An invalid example, so `rules test` prints a failure quoting it.
    let pack = PACK.replace(
        "    forbid: { regex: 'start[^|]*?end' }\n",
        "    forbid: { regex: 'start[^|]*?end' }\n    examples:\n      invalid: [\"no \\e[2J match \\u202E here\"]\n",
    );
    write(dir.path(), "hostile.yaml", pack);
    let list = clearance(
        dir.path(),
        &[
            "rules",
            "list",
            "--no-default-packs",
            "--pack",
            "hostile.yaml",
        ],
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(
        list.stdout
            .starts_with("hostile — Hostile \\u{1b}[2J pack \\u{202e} (hostile.yaml)\n"),
        "{}",
        list.stdout
    );
    let show = clearance(
        dir.path(),
        &[
            "rules",
            "show",
            "hostile/body-match",
            "--no-default-packs",
            "--pack",
            "hostile.yaml",
        ],
    );
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout
            .contains("  message: found «{match}» \\u{1b}[31mred\\u{1b}[0m\n"),
        "{}",
        show.stdout
    );
    let test = clearance(dir.path(), &["rules", "test", "hostile.yaml"]);
    assert_eq!(test.code, 1, "{}", test.stderr);
    assert!(
        test.stdout.contains("no \\u{1b}[2J match \\u{202e} here"),
        "{}",
        test.stdout
    );
    let name = "new\u{1b}[2J\nline.yaml";
    let init = clearance(dir.path(), &["init", "--path", name]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert_eq!(init.stdout, "wrote new\\u{1b}[2J\\nline.yaml\n");
    for (what, run) in [
        ("list", &list),
        ("show", &show),
        ("test", &test),
        ("init", &init),
    ] {
        assert_clean(what, &run.stdout);
        assert_clean(what, &run.stderr);
    }
}
