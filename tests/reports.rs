//! Reports over an archive: `--compare` against an earlier JSON report
//! (new, fixed, unchanged in the summary and the HTML page), and finding
//! groups from the command line.

mod common;

use common::{clearance, json, write};

#[test]
fn compare_says_what_is_new_fixed_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "news/a.txt",
        "The council met.\n\nRead more: the budget\n",
    );
    write(d, "news/b.txt", "المجلس البلدي\n\nاقرأ أيضا: الميزانية\n");
    write(d, "news/c.txt", "Nothing to see.\n");
    let before = clearance(d, &["check", "--no-config", "--format", "json", "news"]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    // Every finding carries the fingerprint --compare matches by.
    let fps: Vec<String> = json(&before)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fps.len(), 2);
    assert!(fps.iter().all(|f| f.len() == 16));
    std::fs::write(d.join("last-month.json"), &before.stdout).unwrap();

    // a.txt: fixed. b.txt: the same leftover, moved down two lines. c.txt:
    // a new leftover.
    write(d, "news/a.txt", "The council met.\n");
    write(
        d,
        "news/b.txt",
        "المجلس البلدي\n\nصادق المجلس.\n\nاقرأ أيضا: الميزانية\n",
    );
    write(d, "news/c.txt", "Nothing to see.\n\nקראו עוד: התקציב\n");
    let summary = clearance(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "summary",
            "--compare",
            "last-month.json",
            "news",
        ],
    );
    assert!(
        summary
            .stdout
            .contains("compared with last-month.json: 1 new, 1 fixed, 1 unchanged\n"),
        "{}",
        summary.stdout
    );
    let page = clearance(
        d,
        &[
            "check",
            "--no-config",
            "--format",
            "html",
            "--compare",
            "last-month.json",
            "news",
        ],
    );
    assert!(
        page.stdout
            .contains("<b id=\"n-new\">1</b>new since last-month.json")
    );
    assert!(
        page.stdout
            .contains("<b id=\"n-fixed\">1</b>fixed since then")
    );
    assert!(
        page.stdout
            .contains("<section id=\"fixed\"><h2>Fixed since last-month.json</h2>")
    );
    assert!(
        page.stdout
            .contains("<td class=\"where\">news/a.txt:3</td><td>residue/read-also</td>")
    );
    assert!(page.stdout.contains("\"status\":\"new\""));

    // A file that is not such a report: a clear error, nothing checked.
    write(
        d,
        "old.json",
        "{\"version\":1,\"findings\":[{\"rule\":\"a/b\",\"path\":\"x\",\"line\":1,\"message\":\"m\"}]}",
    );
    let run = clearance(
        d,
        &["check", "--no-config", "--compare", "old.json", "news"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--compare old.json: its findings have no `fingerprint`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_text_in_many_files_is_one_group() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let footer = "השימוש לפי סעיף 27א לחוק זכות יוצרים. לפניות: info@site,co.il\n";
    for k in 0..4 {
        write(d, format!("he/{k}.txt"), format!("כתבה {k}\n\n{footer}"));
    }
    // The same address with other spacing: the same group.
    write(
        d,
        "he/4.txt",
        format!("כתבה\n\n{}", footer.replace(". ", ".  ")),
    );
    let run = clearance(d, &["check", "--no-config", "--format", "json", "he"]);
    let groups = json(&run)["groups"].as_array().unwrap().clone();
    let top = &groups[0];
    assert_eq!(top["rule"], "il-27a/contact-malformed", "{groups:#?}");
    assert_eq!(top["text"], "info@site,co.il");
    assert_eq!(
        (top["count"].as_u64(), top["files"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(top["examples"].as_array().unwrap().len(), 5);
    assert_eq!(top["examples"][0]["path"], "he/0.txt");
    let summary = clearance(d, &["check", "--no-config", "--format", "summary", "he"]);
    assert!(
        summary
            .stdout
            .contains("       5      5  il-27a/contact-malformed  «info@site,co.il»"),
        "{}",
        summary.stdout
    );
}

/// A corpus of records charts its findings per site (the host of each
/// record's `url`), files per folder.
#[test]
fn the_html_chart_counts_records_per_site() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let records = [
        ("https://www.kafr-news.example/a/1", "Read more: x"),
        ("https://kafr-news.example/a/2?x=1", "Read more: y"),
        ("http://user@other.example:8080/b", "Read more: z"),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(url, text)| serde_json::json!({"url": url, "text": text}).to_string())
        .collect();
    write(d, "dump.jsonl", &(lines.join("\n") + "\n"));
    write(d, "files/a.txt", "Read more: w\n");
    let page = clearance(d, &["check", "--no-config", "--format", "html", "."]);
    let at = page
        .stdout
        .find("<figcaption>Findings per site or folder")
        .unwrap();
    let chart = &page.stdout[at..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let bars: Vec<&str> = chart
        .split("text-anchor=\"end\" direction=\"ltr\">")
        .skip(1)
        .map(|t| &t[..t.find('<').unwrap()])
        .collect();
    assert_eq!(
        bars,
        ["kafr-news.example", "files", "other.example"],
        "{chart}"
    );
}
