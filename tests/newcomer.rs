//! What a new user trips over, following the README in a fresh project:
//! each answer is a sentence about their input, with its place, and the
//! commands see the same packs.

mod common;

use common::{clearance, write};

/// A diagnostic's text with miette's wrapping and gutter undone.
fn said(text: &str) -> String {
    text.replace(['│', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const HOUSE: &str = "\
pack: house
rules:
  - id: read-more
    severity: warning
    message: a «read more» link left in the copy
    help: |
      delete the line
      ::error file=x::injected
    forbid: { phrases: [read more] }
";

/// `rules show` reads the config as `rules list` does: a house pack the
/// config lists shows, a bare rule name is enough, and a name no pack has
/// gets a "did you mean". A pack's help cannot start a line of the listing.
#[test]
fn rules_show_sees_the_configs_packs_and_suggests_names() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "house.yaml", HOUSE);
    write(
        dir.path(),
        "clearance.yaml",
        "packs: [il-27a, ./house.yaml]\n",
    );

    let list = clearance(dir.path(), &["rules", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    // No title: the pack's name stands for it. Built-in packs say so.
    assert!(
        list.stdout.contains("house — house (") && list.stdout.contains("house.yaml)\n"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .contains("il-27a — Israeli Copyright Act 2007, section 27A notice (built-in)"),
        "{}",
        list.stdout
    );

    let show = clearance(dir.path(), &["rules", "show", "house/read-more"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.starts_with("house/read-more (warning)\n"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout
            .contains("  help:    delete the line\\n::error file=x::injected\n"),
        "{}",
        show.stdout
    );
    assert!(!show.stdout.lines().any(|l| l.starts_with("::")));

    let bare = clearance(dir.path(), &["rules", "show", "year-malformed"]);
    assert_eq!(bare.code, 0, "{}", bare.stderr);
    assert!(
        bare.stdout.starts_with("il-27a/year-malformed ("),
        "{}",
        bare.stdout
    );

    let typo = clearance(dir.path(), &["rules", "show", "year-malfromed"]);
    assert_eq!(typo.code, 2);
    assert!(
        said(&typo.stderr).contains(
            "no active rule `year-malfromed`; did you mean il-27a/year-malformed? (see `clearance rules list`)"
        ),
        "{}",
        typo.stderr
    );

    // Another config, named.
    write(dir.path(), "other/clearance.yaml", "packs: [wire]\n");
    let other = clearance(
        dir.path(),
        &[
            "rules",
            "show",
            "--config",
            "other/clearance.yaml",
            "house/read-more",
        ],
    );
    assert_eq!(other.code, 2, "{}", other.stdout);
}

/// `{found}` is filled only by an `expect` check: on a plain `forbid` rule
/// it printed «», and the README promises a load error.
#[test]
fn a_placeholder_the_rule_cannot_fill_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        "pack: p\nrules:\n  - id: r\n    severity: info\n    message: leftover «{found}»\n    forbid: { phrases: [read more] }\n",
    );
    let run = clearance(dir.path(), &["rules", "test", "p.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let text = said(&run.stderr);
    assert!(
        text.contains(
            "message uses `{found}`, which only an `expect` check fills; this rule has none"
        ),
        "{text}"
    );
    assert!(text.contains("p.yaml:5:"), "{text}");
    // `{count}` belongs to forbid rules.
    write(
        dir.path(),
        "q.yaml",
        "pack: q\nrules:\n  - id: r\n    severity: info\n    message: \"{count} missing\"\n    require: { phrases: [photo] }\n",
    );
    let run = clearance(dir.path(), &["rules", "test", "q.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        said(&run.stderr).contains("message uses `{count}`, which only a `forbid` rule fills"),
        "{}",
        run.stderr
    );
}

/// Input problems are counted in the summary line; a scan of nothing says
/// so, and `--require-input` fails it.
#[test]
fn the_summary_counts_problems_and_says_when_nothing_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "A council meeting on Monday.\n");
    let run = clearance(dir.path(), &["check", "--no-config", "a.txt", "gone.txt"]);
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stdout.trim_end().lines().last().unwrap(),
        "No findings in 1 file; 1 problem with the input (on standard error)."
    );

    std::fs::create_dir(dir.path().join("bare")).unwrap();
    let run = clearance(dir.path(), &["check", "--no-config", "bare"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Nothing was checked: no file under the given paths is one Clearance reads (.txt,"
        ),
        "{}",
        run.stdout
    );
    // Files of other types are counted by type, so an archive of WARC
    // files or PDFs is not taken for an empty folder.
    write(dir.path(), "empty/notes.rst", "text\n");
    write(dir.path(), "empty/crawl/a.warc.gz", "x");
    write(dir.path(), "empty/crawl/b.WARC.GZ", "x");
    let run = clearance(dir.path(), &["check", "--no-config", "empty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Nothing was checked: 3 files skipped, of types Clearance does not read \
             (.warc.gz: 2, .rst: 1); it reads .txt,"
        ),
        "{}",
        run.stdout
    );
    let json = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "empty"],
    );
    assert_eq!(json.code, 0);
    assert!(
        json.stderr
            .starts_with("clearance: nothing was checked: 3 files skipped, of types Clearance"),
        "{}",
        json.stderr
    );
    let required = clearance(
        dir.path(),
        &["check", "--no-config", "--require-input", "empty"],
    );
    assert_eq!(required.code, 2);
    assert!(
        said(&required.stderr).contains("nothing was checked: 3 files skipped"),
        "{}",
        required.stderr
    );
    // (The terminal may wrap the flag at its hyphen.)
    assert!(
        said(&required.stderr)
            .replace("- ", "-")
            .contains("(--require-input)")
    );
}

/// `clearance init --publisher ""` wrote a config that `check` rejected.
#[test]
fn init_refuses_an_empty_publisher() {
    let dir = tempfile::tempdir().unwrap();
    let run = clearance(dir.path(), &["init", "--publisher", " "]);
    assert_eq!(run.code, 2);
    assert!(
        said(&run.stderr)
            .contains("--publisher is empty: give the publisher's name, or leave the option out"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("clearance.yaml").exists());
}

/// A pack folder holding a link to a pack file loads the linked pack.
#[cfg(unix)]
#[test]
fn a_linked_pack_file_in_a_pack_folder_loads() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shared/house.yaml", HOUSE);
    std::fs::create_dir(dir.path().join("packs")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("shared/house.yaml"),
        dir.path().join("packs/house.yaml"),
    )
    .unwrap();
    let run = clearance(
        dir.path(),
        &[
            "rules",
            "list",
            "--no-config",
            "--no-default-packs",
            "--pack",
            "packs",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("house/read-more"), "{}", run.stdout);
}

/// A bad JSON-lines record is shown at its own line, in words a user
/// reads; a baseline that is not one says what one is.
#[test]
fn input_errors_are_sentences_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "dump.jsonl",
        "{\"text\": \"A council meeting.\"}\nnot json here\n{\"text\": \"x\"]\n",
    );
    let run = clearance(dir.path(), &["check", "--no-config", "dump.jsonl"]);
    assert_eq!(run.code, 3);
    let text = said(&run.stderr);
    assert!(
        text.contains(
            "dump.jsonl:2: not a JSON record: each line must be one JSON object (`{\"text\": \"…\"}`); skipped"
        ),
        "{text}"
    );
    assert!(text.contains("[dump.jsonl:2:"), "{text}");
    assert!(text.contains(" 2 not json here"), "{text}");
    assert!(
        text.contains(
            "dump.jsonl:3: invalid JSON record: broken JSON here (expected `,` or `}`); skipped"
        ),
        "{text}"
    );
    assert!(!text.contains("expected ident"), "{text}");

    write(dir.path(), "a.txt", "A council meeting on Monday.\n");
    write(dir.path(), "known.json", "[]");
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--baseline", "known.json", "a.txt"],
    );
    assert_eq!(run.code, 2);
    assert!(
        said(&run.stderr).contains(
            "known.json: not a Clearance baseline: it is not a JSON object with `version` and `findings`; write one with `clearance check --write-baseline known.json`"
        ),
        "{}",
        run.stderr
    );
}

/// A pack past the YAML budget is told so in its author's terms, not the
/// parser's ("budget breached: Nodes { nodes: 200001 }").
#[test]
fn a_pack_past_the_yaml_budget_is_told_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from(
        "pack: big\nrules:\n  - id: r\n    severity: info\n    message: m\n    forbid:\n      phrases:\n",
    );
    for i in 0..200_010 {
        yaml.push_str(&format!("        - w{i}\n"));
    }
    write(dir.path(), "big.yaml", yaml);
    let run = clearance(dir.path(), &["rules", "test", "big.yaml"]);
    assert_eq!(run.code, 2);
    let text = said(&run.stderr);
    assert!(
        text.contains(
            "the file holds more than 200000 YAML values (200001 so far); split it into several files"
        ),
        "{text}"
    );
    assert!(!text.contains("Nodes {"), "{text}");
}

/// A `clearance.yaml` that is a FIFO, found by the upward search, was
/// silently passed over; it is reported, and never opened.
#[cfg(unix)]
#[test]
fn a_config_that_is_not_a_regular_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "news/a.txt", "A council meeting on Monday.\n");
    let fifo = dir.path().join("clearance.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let run = clearance(dir.path(), &["check", "news"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        said(&run.stderr).contains("it is a FIFO, not a regular file; a config must be one"),
        "{}",
        run.stderr
    );
}

/// A misnamed text field (`--jsonl-field text=body` on records that hold
/// `content`) left every record with nothing to check but its title, and
/// the scan passed. Now the dump says so, once, and the run fails.
#[test]
fn records_without_the_article_field_are_one_problem_of_the_dump() {
    let dir = tempfile::tempdir().unwrap();
    let records: String = (0..40)
        .map(|k| {
            serde_json::json!({"id": k, "title": format!("כתבה {k}"), "content": "Read more: x"})
                .to_string()
                + "\n"
        })
        .collect();
    write(dir.path(), "dump.jsonl", &records);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--jsonl-field",
            "text=body",
            "dump.jsonl",
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = common::json(&run);
    assert_eq!(report["summary"]["files"], 0);
    assert_eq!(
        report["problems"],
        serde_json::json!([{
            "path": "dump.jsonl",
            "message": "40 of 40 records have no `body` or `html` field and were not checked \
                        (the first, on line 1, has `content`, `id`, `title`); name the field \
                        that holds the article with --jsonl-field text=FIELD or html=FIELD"
        }])
    );
    // Named right, every record is checked.
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--jsonl-field",
            "text=content",
            "dump.jsonl",
        ],
    );
    let report = common::json(&run);
    assert_eq!(report["summary"]["files"], 40);
    assert_eq!(report["summary"]["findings"], 40);
}

/// HTML in a JSON-lines text field was read as plain text: its captions and
/// the leftovers inside its markup were lost. `--field-format auto` (the
/// default) reads markup as HTML; prose stays prose; `text` keeps the old
/// reading.
#[test]
fn html_in_a_text_field_is_read_as_html() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        serde_json::json!({"text": "<article><p>המועצה התכנסה.</p><figure><img src=a.jpg><figcaption>אולם המועצה בלילה</figcaption></figure><p>קראו עוד: התקציב</p></article>"}),
        serde_json::json!({"text": "Prose that mentions <p> tags.\n\nRead more: the budget"}),
    ];
    let dump: String = records.iter().map(|r| r.to_string() + "\n").collect();
    write(dir.path(), "dump.jsonl", &dump);
    let rules = |format: &str| -> Vec<String> {
        let run = clearance(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "--field-format",
                format,
                "dump.jsonl",
            ],
        );
        let report = common::json(&run);
        report["findings"]
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
            .collect()
    };
    assert_eq!(
        rules("auto"),
        [
            "dump.jsonl:1 attribution/photo-credit-missing",
            "dump.jsonl:1 residue/read-also",
            "dump.jsonl:2 residue/read-also",
        ]
    );
    // As text, the caption is no caption.
    assert_eq!(
        rules("text"),
        [
            "dump.jsonl:1 residue/read-also",
            "dump.jsonl:2 residue/read-also"
        ]
    );
    assert_eq!(
        rules("html").len(),
        2,
        "prose read as HTML is one paragraph"
    );
}
