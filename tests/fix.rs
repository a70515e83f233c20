//! `clearance check --fix` and `--diff`: leftovers deleted in place, every
//! other byte of the file kept (its encoding, line endings, front matter),
//! nothing changed by `--diff`, and a second `--fix` with nothing left.

mod common;

use common::{clearance, write};

/// Hebrew in windows-1255: ASCII as is, the letters alef to tav at 0xE0.
fn cp1255(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'א'..='ת' => 0xE0 + (c as u32 - 'א' as u32) as u8,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in this test's windows-1255"),
        })
        .collect()
}

const HEBREW: &str = "ראש העיר אמר כי העבודות יתחילו בשבוע הבא ברחוב הראשי של העיר.\r\n\r\nקראו עוד: העירייה אישרה את התקציב\r\n\r\nלדבריו העלות תגיע למיליון שקל והעבודות יימשכו שנה.\r\n";

const ARABIC_MD: &str = "---\ntitle: خبر\nsource_url: https://example.org/a\n---\n\nقال رئيس البلدية إن العمل سيبدأ الأسبوع المقبل.\n\nاقرأ أيضا: البلدية تقر الميزانية\n\nتابعونا على قناتنا في تلجرام لمتابعة آخر الأخبار\n\nوأضاف أن التكلفة ستبلغ مليون شيقل.\n\nالمصدر: عرب 48\n";

#[test]
fn fix_deletes_leftovers_and_keeps_every_other_byte() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news/he.txt", cp1255(HEBREW));
    write(dir.path(), "news/ar.md", ARABIC_MD);
    let run = clearance(dir.path(), &["check", "--no-config", "--fix", "news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "clearance: fixed 3 findings in 2 files\n");
    assert!(
        run.stdout.starts_with("No findings in 2 files"),
        "{}",
        run.stdout
    );
    // Still windows-1255 with CRLF line ends; the label's line and one of
    // the blank lines around it are gone.
    let he = std::fs::read(dir.path().join("news/he.txt")).unwrap();
    assert_eq!(
        he,
        cp1255(
            "ראש העיר אמר כי העבודות יתחילו בשבוע הבא ברחוב הראשי של העיר.\r\n\r\nלדבריו העלות תגיע למיליון שקל והעבודות יימשכו שנה.\r\n"
        )
    );
    let ar = std::fs::read_to_string(dir.path().join("news/ar.md")).unwrap();
    assert_eq!(
        ar,
        "---\ntitle: خبر\nsource_url: https://example.org/a\n---\n\nقال رئيس البلدية إن العمل سيبدأ الأسبوع المقبل.\n\nوأضاف أن التكلفة ستبلغ مليون شيقل.\n\nالمصدر: عرب 48\n"
    );
    // Nothing is left to fix.
    let again = clearance(dir.path(), &["check", "--no-config", "--fix", "news"]);
    assert_eq!(again.stderr, "clearance: fixed 0 findings in 0 files\n");
    assert_eq!(std::fs::read(dir.path().join("news/he.txt")).unwrap(), he);
    // No temporary file is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("news"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["ar.md", "he.txt"]);
}

#[test]
fn diff_shows_the_repairs_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ar.md", ARABIC_MD);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--diff",
            "--fail-on",
            "warning",
            "ar.md",
        ],
    );
    // The exit code is the check's: two warnings.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "--- a/ar.md\n+++ b/ar.md\n@@ -5,10 +5,6 @@\n \n قال رئيس البلدية إن العمل سيبدأ الأسبوع المقبل.\n \n-اقرأ أيضا: البلدية تقر الميزانية\n-\n-تابعونا على قناتنا في تلجرام لمتابعة آخر الأخبار\n-\n وأضاف أن التكلفة ستبلغ مليون شيقل.\n \n المصدر: عرب 48\n"
    );
    assert_eq!(run.stderr, "clearance: would fix 2 findings in 1 files\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ar.md")).unwrap(),
        ARABIC_MD
    );
}

#[test]
fn fix_only_limits_the_repairs_and_a_page_loses_the_element() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ar.md", ARABIC_MD);
    let page =
        "<article><p>The council met.</p><p>Read more: Council approves budget</p></article>";
    write(dir.path(), "page.html", page);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--fix",
            "--fix-only",
            "residue/read-also",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "clearance: fixed 2 findings in 2 files\n");
    let left: Vec<String> = common::json(&run)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(left, ["ar.md residue/foreign-promo"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("page.html")).unwrap(),
        "<article><p>The council met.</p></article>"
    );
    // A leftover that shares its paragraph with the article's text stays,
    // and says why.
    write(
        dir.path(),
        "mixed.html",
        "<article><p>The council met.</p><p>Read more: budget<br>The vote was close.</p></article>",
    );
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--diff", "mixed.html"],
    );
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "clearance: mixed.html:1: residue/read-also not fixed: the leftover shares its element with other text\nclearance: would fix 0 findings in 0 files\n"
    );
}

#[test]
fn standard_input_cannot_be_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let run = clearance(dir.path(), &["check", "--fix", "-"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--fix and --diff repair files; standard input has none to write"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_pack_fix_that_cannot_work_is_a_pack_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let head =
        "pack: house\ntitle: house\nrules:\n  - id: r\n    severity: error\n    message: m\n";
    let cases = [
        (
            format!(
                "{head}    require: {{ phrases: [all rights reserved] }}\n    fix: {{ delete: line }}\n"
            ),
            "`fix` goes with `forbid`",
            "house.yaml:8:10",
        ),
        (
            format!(
                "{head}    forbid: {{ phrases: [subscribe now] }}\n    fix: {{ delete: line }}\n    examples:\n      invalid: [\"subscribe now\"]\n      fixed: [\"\", \"b\"]\n"
            ),
            "2 `fixed` examples for 1 `invalid` ones",
            "house.yaml:11:15",
        ),
        (
            format!(
                "{head}    forbid: {{ phrases: [subscribe now] }}\n    examples:\n      invalid: [\"subscribe now\"]\n      fixed: [\"\"]\n"
            ),
            "`fixed` examples need the rule's `fix`",
            "house.yaml:10:15",
        ),
        (
            format!(
                "{head}    forbid: {{ phrases: [subscribe now] }}\n    fix: {{ delete: line, replace: x }}\n"
            ),
            "a fix is `delete` or `replace`, one of them",
            "house.yaml:8:10",
        ),
        (
            format!(
                "{head}    forbid: {{ phrases: [subscribe now] }}\n    fix: {{ delete: sentence }}\n"
            ),
            "sentence",
            "house.yaml:8",
        ),
    ];
    for (yaml, said, at) in cases {
        write(dir.path(), "house.yaml", &yaml);
        let run = clearance(dir.path(), &["rules", "test", "house.yaml"]);
        assert_eq!(run.code, 2, "{yaml}");
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
        assert!(run.stderr.contains(at), "{at}: {}", run.stderr);
    }
}

/// UTF-16 with its byte-order mark stays UTF-16: a repeated caption and a
/// "read also" line go, in the file's own two-byte units.
#[test]
fn a_utf16_file_keeps_its_encoding() {
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let dir = tempfile::tempdir().unwrap();
    let before = "رئيس البلدية في حفل الافتتاح\r\nرئيس البلدية في حفل الافتتاح\r\n\r\nأقيم الحفل يوم الاثنين في ساحة البلدية.\r\n\r\nاقرأ أيضا: البلدية تقر الميزانية\r\n";
    write(dir.path(), "ar.txt", utf16(before));
    let run = clearance(dir.path(), &["check", "--no-config", "--fix", "ar.txt"]);
    assert_eq!(run.stderr, "clearance: fixed 2 findings in 1 files\n");
    assert_eq!(
        std::fs::read(dir.path().join("ar.txt")).unwrap(),
        utf16("رئيس البلدية في حفل الافتتاح\r\n\r\nأقيم الحفل يوم الاثنين في ساحة البلدية.\r\n")
    );
}

/// In a JSON-lines dump the record's string loses the leftover's line, its
/// escapes kept; the other fields and records are untouched, and a field
/// read as HTML is left for later.
#[test]
fn a_json_lines_record_is_fixed_in_its_string() {
    let dir = tempfile::tempdir().unwrap();
    let dump = concat!(
        r#"{"id":"a","title":"خبر","text":"قال \"المتحدث\" إن العمل سيبدأ.\n\nاقرأ أيضا: البلدية تقر الميزانية\n\nوأضاف أن \u0627لتكلفة كبيرة.","n":1}"#,
        "\n",
        r#"{"id":"b","text":"Nothing to fix here."}"#,
        "\r\n",
        r#"{"id":"c","html":"<p>Council met.</p><p>Read more: budget</p>"}"#,
        "\n",
        r#"{"id":"d","text":"The mayor said work would begin next week.\nRead also: Council approves budget\nThe cost will reach one million."}"#,
        "\n",
    );
    write(dir.path(), "d.jsonl", dump);
    let run = clearance(dir.path(), &["check", "--no-config", "--fix", "d.jsonl"]);
    assert_eq!(
        run.stderr,
        "clearance: d.jsonl:3: residue/read-also not fixed: it is in a field read as HTML, which is not fixed yet\nclearance: fixed 2 findings in 1 files\n"
    );
    let want = concat!(
        r#"{"id":"a","title":"خبر","text":"قال \"المتحدث\" إن العمل سيبدأ.\n\nوأضاف أن \u0627لتكلفة كبيرة.","n":1}"#,
        "\n",
        r#"{"id":"b","text":"Nothing to fix here."}"#,
        "\r\n",
        r#"{"id":"c","html":"<p>Council met.</p><p>Read more: budget</p>"}"#,
        "\n",
        r#"{"id":"d","text":"The mayor said work would begin next week.\nThe cost will reach one million."}"#,
        "\n",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.jsonl")).unwrap(),
        want
    );
}

/// A notice that cites the wrong section gets 27A in its own script and
/// digits; the rest of the notice stays as written, in a text file, a page
/// and a JSON-lines record. A legacy-encoded file is left, and says why.
#[test]
fn a_wrong_section_is_rewritten_in_the_notices_own_script() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ar.txt",
        "يتم استخدام المواد وفقًا للمادة ٢٧ من قانون حقوق التأليف والنشر ٢٠٠٧\n",
    );
    write(
        dir.path(),
        "en.html",
        "<p>Used under Section 27(a) of the Copyright Act, 2007</p>\n",
    );
    write(
        dir.path(),
        "he.jsonl",
        "{\"id\":\"x\",\"text\":\"השימוש נעשה לפי סעיף 72א לחוק זכות יוצרים, התשס\\\"ח-2007\"}\n",
    );
    let legacy = "השימוש בתמונות באתר נעשה בהתאם לסעיף 27 לחוק זכות יוצרים, התשסח-2007, ובכפוף לתנאי השימוש של האתר.\n";
    write(dir.path(), "legacy/he.txt", cp1255(legacy));
    let run = clearance(dir.path(), &["check", "--no-config", "--fix", "."]);
    assert_eq!(
        run.stderr,
        "clearance: legacy/he.txt:1: il-27a/section-malformed not fixed: replacing text is done in UTF-8 files only, for now\nclearance: fixed 3 findings in 3 files\n"
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("ar.txt"),
        "يتم استخدام المواد وفقًا للمادة ٢٧ أ من قانون حقوق التأليف والنشر ٢٠٠٧\n"
    );
    assert_eq!(
        read("en.html"),
        "<p>Used under Section 27A of the Copyright Act, 2007</p>\n"
    );
    assert_eq!(
        read("he.jsonl"),
        "{\"id\":\"x\",\"text\":\"השימוש נעשה לפי סעיף 27א לחוק זכות יוצרים, התשס\\\"ח-2007\"}\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("legacy/he.txt")).unwrap(),
        cp1255(legacy)
    );
}
