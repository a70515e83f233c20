//! The HTML report in a real browser: headless Chromium loads the report of
//! the bundled newsroom and of hostile articles, runs the page's script, and
//! the DOM it dumps is checked: the counts, a group row, an Arabic snippet
//! laid out right to left, and no element that article text created.
//!
//! Needs `chromium` (or `CLEARANCE_CHROMIUM` naming a Chrome or Chromium
//! binary); `.ci/run` installs Debian's when it can and then sets
//! `CLEARANCE_REQUIRE_BROWSER=1`, which makes a missing browser a failure.
//! Without one the test says SKIPPED.

#![allow(clippy::disallowed_methods)] // tests read their own environment

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::clearance;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CLEARANCE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(PathBuf::from);
    if found.is_none() {
        if std::env::var("CLEARANCE_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("no chromium to load the HTML report in");
        }
        eprintln!("SKIPPED the HTML report in a browser: no chromium (set CLEARANCE_CHROMIUM)");
    }
    found
}

/// The report's DOM after its script ran.
fn dom(browser: &Path, report: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", report.display()))
        .output()
        .expect("the browser runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn html_report(dir: &Path, args: &[&str], out: &Path) {
    let mut all = vec!["check", "--format", "html", "-o", out.to_str().unwrap()];
    all.extend(args);
    let run = clearance(dir, &all);
    assert!(run.code <= 2 && out.is_file(), "{}", run.stderr);
}

#[test]
fn the_html_report_renders_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let newsroom = out.path().join("newsroom.html");
    html_report(&manifest, &["examples/newsroom"], &newsroom);
    let page = dom(&browser, &newsroom);
    assert!(page.contains("<b id=\"n-findings\">13</b>"), "{page}");
    assert!(page.contains("<b id=\"n-files\">14</b>"), "{page}");
    assert!(
        page.contains("id=\"shown-count\">13 of 13</span>"),
        "{page}"
    );
    assert_eq!(page.matches("<tr class=\"group\">").count(), 2, "{page}");
    // Rows made by the script: an Arabic snippet, right to left.
    assert!(
        page.contains("<td class=\"snippet\" dir=\"auto\" lang=\"ar\">طالع أيضا:</td>"),
        "{page}"
    );

    let hostile = tempfile::tempdir().unwrap();
    let evil = "</script><script>document.title='pwned'</script>\
                <img src=x onerror=\"document.title='pwned'\">\u{202e}gnp.exe\n\n\
                Read more: <b id=evil>bold</b>\n";
    std::fs::write(hostile.path().join("evil.txt"), evil).unwrap();
    std::fs::write(hostile.path().join("<img src=x>\u{202e}.md"), evil).unwrap();
    let report = out.path().join("hostile.html");
    html_report(hostile.path(), &["--no-config", "."], &report);
    let page = dom(&browser, &report);
    assert!(page.contains("<title>Clearance report</title>"), "{page}");
    assert!(!page.contains("pwned</title>"));
    assert!(
        !page.contains("<img") && !page.contains("id=\"evil\""),
        "{page}"
    );
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert!(!page.contains('\u{202e}'));
    // The name is shown, its override as an escape.
    assert!(page.contains("&lt;img src=x&gt;\\u{202e}.md:3:1"), "{page}");
}
