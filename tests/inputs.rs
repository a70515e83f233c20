//! One article, many forms: plain text, Markdown, JSON lines, HTML, legacy
//! encodings and UTF-16 must give the same findings, and every span must
//! land on the same words in the bytes of each file.

use std::path::Path;
use std::process::Command;

use encoding_rs::{Encoding, ISO_8859_6, ISO_8859_8, WINDOWS_1255, WINDOWS_1256};
use serde_json::Value;

/// An Arabic article with two problems: a parenthesised section and an
/// address without a top-level domain.
const ARABIC: &str = "مهرجان الزيتون في كفر ياسيف\n\n\
افتتح المجلس المحلي مساء الجمعة مهرجان الزيتون السنوي بمشاركة عشرات المزارعين.\n\n\
يتم استخدام المواد وفقًا للمادة 27 (أ) من قانون حقوق التأليف والنشر 2007، \
وللطلب بالتوقف عن استخدام المواد راسلونا على info@kafr-news\n";

/// A Hebrew article with a wrong year and a Cloudflare placeholder.
const HEBREW: &str = "פסטיבל הפנסים חוזר לעכו\n\n\
העירייה הודיעה כי הפסטיבל ייפתח ביום חמישי בערב בנמל העתיק.\n\n\
השימוש בתמונות נעשה לפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2008. \
בעל הזכויות רשאי לבקש את הסרת התוכן בכתובת [email protected]\n";

struct Expect {
    rule: &'static str,
    /// Text the span must cover (in the decoded file).
    text: &'static str,
}

const ARABIC_EXPECT: &[Expect] = &[
    Expect {
        rule: "il-27a/contact-malformed",
        text: "info@kafr-news",
    },
    Expect {
        rule: "il-27a/section-malformed",
        text: "للمادة 27 (أ)",
    },
];
const HEBREW_EXPECT: &[Expect] = &[
    Expect {
        rule: "il-27a/contact-malformed",
        text: "[email protected]",
    },
    Expect {
        rule: "il-27a/year-malformed",
        text: "התשס\"ח-2008",
    },
];

fn check(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args([
            "check",
            "--format",
            "json",
            "--no-default-packs",
            "--pack",
            "il-27a",
            "--require",
            "il-27a",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    serde_json::from_str(&String::from_utf8_lossy(&out.stdout))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, used, errors) = enc.encode(text);
    assert!(
        used == enc && !errors,
        "{} cannot hold the article",
        enc.name()
    );
    bytes.into_owned()
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn utf16be(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

fn markdown(text: &str) -> String {
    let (title, rest) = text.split_once('\n').unwrap();
    format!("---\ntitle: \"{title}\"\nauthor: מערכת\n---\n{rest}")
}

fn jsonl(text: &str) -> String {
    let other = serde_json::json!({"title": "other", "text": "no notice here"});
    let record = serde_json::json!({"title": "t", "url": "https://x.co.il/a", "text": text});
    format!("{other}\n{record}\n")
}

fn html(text: &str) -> String {
    let paragraphs: String = text
        .split("\n\n")
        .skip(1)
        .map(|p| format!("<p>{}</p>\n", p.replace('"', "&quot;")))
        .collect();
    let title = text.lines().next().unwrap();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <script>var a = 1 < 2;</script></head><body><article><h1>{title}</h1>\n{paragraphs}</article></body></html>\n"
    )
}

/// Writes each form, checks it, and compares findings and spans.
fn same_findings(
    name: &str,
    expect: &[Expect],
    forms: Vec<(&str, Vec<u8>, Option<&'static Encoding>)>,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (file, bytes, encoding) in forms {
        std::fs::write(dir.path().join(file), &bytes).unwrap();
        let doc = check(dir.path(), &[file]);
        let jsonl_form = file.ends_with("jsonl") || file.ends_with("ndjson");
        let mut found: Vec<(String, String)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            // In a dump, only the article's record (line 2) is compared.
            .filter(|f| !jsonl_form || f["path"].as_str().unwrap().ends_with(":2"))
            .map(|f| {
                let (s, e) = (
                    f["span"]["start"].as_u64().unwrap() as usize,
                    f["span"]["end"].as_u64().unwrap() as usize,
                );
                let raw = &bytes[s.min(bytes.len())..e.min(bytes.len())];
                let shown = match encoding {
                    Some(enc) => enc.decode_without_bom_handling(raw).0.into_owned(),
                    None => String::from_utf8_lossy(raw).into_owned(),
                };
                (f["rule"].as_str().unwrap().to_string(), shown)
            })
            .collect();
        found.sort();
        let wanted: Vec<(String, String)> = expect
            .iter()
            .map(|e| (e.rule.to_string(), e.text.to_string()))
            .collect();
        let html_form = file.ends_with(".html");
        let matches = found.len() == wanted.len()
            && found.iter().zip(&wanted).all(|((fr, ft), (wr, wt))| {
                // HTML escapes quotes; compare with entities decoded.
                // HTML and JSON escape quotes in the raw bytes; compare unescaped.
                let unescaped = if html_form {
                    ft.replace("&quot;", "\"")
                } else if jsonl_form {
                    ft.replace("\\\"", "\"")
                } else {
                    ft.clone()
                };
                fr == wr && unescaped == *wt
            });
        if !matches {
            failures.push(format!("{name} as {file}: got {found:?}, want {wanted:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arabic_article_in_every_form() {
    same_findings(
        "arabic",
        ARABIC_EXPECT,
        vec![
            ("a.txt", ARABIC.as_bytes().to_vec(), None),
            ("a-bom.txt", format!("\u{feff}{ARABIC}").into_bytes(), None),
            (
                "a-crlf.txt",
                ARABIC.replace('\n', "\r\n").into_bytes(),
                None,
            ),
            ("a.md", markdown(ARABIC).into_bytes(), None),
            ("a.jsonl", jsonl(ARABIC).into_bytes(), None),
            ("a.html", html(ARABIC).into_bytes(), None),
            (
                "a-1256.txt",
                encode(WINDOWS_1256, ARABIC),
                Some(WINDOWS_1256),
            ),
            ("a-8859-6.txt", encode(ISO_8859_6, ARABIC), Some(ISO_8859_6)),
            (
                "a-1256.html",
                encode(WINDOWS_1256, &html(ARABIC).replace("utf-8", "windows-1256")),
                Some(WINDOWS_1256),
            ),
            (
                "a-utf16le.txt",
                utf16le(ARABIC),
                Some(encoding_rs::UTF_16LE),
            ),
        ],
    );
}

#[test]
fn hebrew_article_in_every_form() {
    same_findings(
        "hebrew",
        HEBREW_EXPECT,
        vec![
            ("h.txt", HEBREW.as_bytes().to_vec(), None),
            ("h.md", markdown(HEBREW).into_bytes(), None),
            ("h.ndjson", jsonl(HEBREW).into_bytes(), None),
            ("h.html", html(HEBREW).into_bytes(), None),
            (
                "h-1255.txt",
                encode(WINDOWS_1255, HEBREW),
                Some(WINDOWS_1255),
            ),
            (
                "h-8859-8.html",
                encode(ISO_8859_8, &html(HEBREW).replace("utf-8", "iso-8859-8")),
                Some(ISO_8859_8),
            ),
            (
                "h-utf16be.txt",
                utf16be(HEBREW),
                Some(encoding_rs::UTF_16BE),
            ),
        ],
    );
}

#[test]
fn jsonl_records_are_reported_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let dump = format!(
        "{}\n{{\"text\": oops}}\n{}\n",
        serde_json::json!({"text": "no notice"}),
        serde_json::json!({"title": "t", "text": ARABIC})
    );
    std::fs::write(dir.path().join("dump.jsonl"), &dump).unwrap();
    let doc = check(dir.path(), &["dump.jsonl"]);
    let paths: Vec<(&str, &str, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("dump.jsonl:1", "il-27a/notice-missing", 1),
            ("dump.jsonl:3", "il-27a/section-malformed", 3),
            ("dump.jsonl:3", "il-27a/contact-malformed", 3),
        ]
    );
    assert_eq!(doc["problems"][0]["path"], "dump.jsonl:2");
    assert_eq!(doc["summary"]["files"], 2, "two records were checked");
}

#[test]
fn stdin_jsonl_and_field_roles() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!(
        "{}\n",
        serde_json::json!({"headline": "t", "content": ARABIC})
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args([
            "check",
            "--format",
            "json",
            "--stdin-format",
            "jsonl",
            "--jsonl-field",
            "text=content",
            "-",
        ])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["il-27a/section-malformed", "il-27a/contact-malformed"]
    );
    assert_eq!(doc["findings"][0]["path"], "<stdin>:1");
}

#[test]
fn size_cap_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARABIC).unwrap();
    let doc = check(dir.path(), &["--max-file-size", "100", "a.txt"]);
    assert_eq!(doc["summary"]["files"], 0);
    assert!(
        doc["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("limit"),
        "{doc}"
    );
}

#[test]
fn broken_mailto_in_html_is_reported_like_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<html><head><title>כותרת</title></head><body><article><p>גוף הכתבה.</p></article>\
        <footer><p>השימוש לפי סעיף 27א לחוק זכות יוצרים, התשס&quot;ח-2007. \
        <a href=\"mailto:rights@@galil-news.co.il\">כתבו לנו</a></p></footer></body></html>\n";
    std::fs::write(dir.path().join("page.html"), page).unwrap();
    let doc = check(dir.path(), &["page.html"]);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc}");
    assert_eq!(findings[0]["rule"], "il-27a/contact-malformed");
    let (s, e) = (
        findings[0]["span"]["start"].as_u64().unwrap() as usize,
        findings[0]["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &page[s..e],
        "rights@@galil-news.co.il",
        "the span points inside the href"
    );
}
