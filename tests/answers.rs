//! No silent wrong answers: input Clearance cannot read is reported, never
//! checked as something else, and what the help and messages say matches
//! what the loader does.

mod common;

use common::{clearance, clearance_stdin, json, problems, write};

use clearance::load::{KINDS, Kind, extension_list, extensions};

/// A diagnostic's text with the wrapping undone (miette wraps at the
/// terminal's width and marks continued lines with `│`).
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const NOTICE: &str = "לפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2007. לפניות: copyright@city.co.il\n";

#[test]
fn help_and_messages_list_the_extensions_the_loader_reads() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        extension_list(),
        ".txt, .text, .md, .markdown, .html, .htm, .xhtml, .jsonl and .ndjson"
    );
    // Every extension in the table is read as its kind, in any case, and
    // is picked up by a directory walk.
    for (kind, exts) in KINDS {
        for ext in *exts {
            let name = format!("a.{}", ext.to_ascii_uppercase());
            assert_eq!(Kind::of(std::path::Path::new(&name)), Some(*kind), "{name}");
        }
    }
    for (kind, exts) in KINDS {
        for ext in *exts {
            let text = match kind {
                Kind::Jsonl => "{\"text\":\"Title\"}\n",
                _ => "Title\n\nText.\n",
            };
            write(dir.path(), format!("walk/a.{ext}"), text);
        }
    }
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "none",
            "walk",
        ],
    );
    assert_eq!(
        json(&run)["summary"]["files"],
        extensions().count(),
        "{}",
        run.stderr
    );

    // Help is wrapped to the terminal's width: compare words.
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let about = format!(
        "Check articles ({}) under the given paths",
        extension_list()
    );
    let help = clearance(dir.path(), &["check", "--help"]);
    assert_eq!(help.code, 0);
    assert!(words(&help.stdout).starts_with(&about), "{}", help.stdout);
    let top = clearance(dir.path(), &["--help"]);
    assert!(words(&top.stdout).contains(&about), "{}", top.stdout);

    write(dir.path(), "notes.rtf", "text");
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "notes.rtf"],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        problems(&run),
        [(
            "notes.rtf".to_string(),
            format!(
                "unsupported file type (Clearance reads {})",
                extension_list()
            )
        )]
    );
}

#[test]
fn a_jsonl_field_that_is_not_a_string_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.jsonl", "{\"text\": 5}\n");
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "d.jsonl"],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        problems(&run),
        [(
            "d.jsonl:1".to_string(),
            "field `text` is a number, not a string; skipped".to_string()
        )]
    );
}

#[test]
fn utf32_files_are_reported_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let mut le = vec![0xFF, 0xFE, 0, 0];
    le.extend(NOTICE.chars().flat_map(|c| (c as u32).to_le_bytes()));
    let mut be = vec![0, 0, 0xFE, 0xFF];
    be.extend(NOTICE.chars().flat_map(|c| (c as u32).to_be_bytes()));
    write(dir.path(), "le.txt", &le);
    write(dir.path(), "be.txt", &be);
    write(dir.path(), "ok.txt", NOTICE);
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--format", "json", "."],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [
            (
                "be.txt".to_string(),
                "UTF-32BE text is not supported (save it as UTF-8); skipped".to_string()
            ),
            (
                "le.txt".to_string(),
                "UTF-32LE text is not supported (save it as UTF-8); skipped".to_string()
            ),
        ]
    );
    // No false "missing" for the files that were not read; the good one is checked.
    let report = json(&run);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["summary"]["files"], 1);

    let run = clearance_stdin(
        dir.path(),
        &["check", "--no-config", "--format", "json", "-"],
        &le,
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        problems(&run),
        [(
            "<stdin>".to_string(),
            "UTF-32LE text is not supported (save it as UTF-8); skipped".to_string()
        )]
    );
}

#[test]
fn binary_data_on_standard_input_is_not_checked_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut binary = b"%PDF-1.7\n\x00\x01\x02 no notice here".to_vec();
    binary.extend([0u8; 64]);
    for format in ["text", "markdown", "html"] {
        let run = clearance_stdin(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "--stdin-format",
                format,
                "-",
            ],
            &binary,
        );
        assert_eq!(run.code, 3, "{format}: {}", run.stdout);
        assert_eq!(
            problems(&run),
            [(
                "<stdin>".to_string(),
                "binary file (contains NUL bytes); skipped".to_string()
            )],
            "{format}"
        );
        assert_eq!(json(&run)["findings"], serde_json::json!([]), "{format}");
    }
    // UTF-16 with its mark has NUL bytes and is still text.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(NOTICE.encode_utf16().flat_map(u16::to_le_bytes));
    let run = clearance_stdin(
        dir.path(),
        &["check", "--no-config", "--format", "json", "-"],
        &utf16,
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json(&run)["summary"]["files"], 1);
}

/// A pack with one rule whose `message`, `help` and check text are given.
fn pack_with(message: &str, help: &str, expected: &str) -> String {
    format!(
        "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    message: \"{message}\"\n    help: \"{help}\"\n    forbid: {{ regex: 'v(?P<n>\\d)' }}\n    expect:\n      - {{ capture: n, one_of: ['1'], expected: \"{expected}\" }}\n"
    )
}

/// The message and the YAML text the span of a pack error covers.
fn pack_error(yaml: &str) -> (String, String) {
    let err = clearance::Pack::from_yaml("p.yaml", yaml).expect_err("the pack is rejected");
    let span = err.span.expect("a span");
    (
        err.message.clone(),
        yaml[span.offset()..span.offset() + span.len()].to_string(),
    )
}

#[test]
fn broken_placeholders_are_pack_errors_pointing_at_the_brace() {
    assert!(clearance::Pack::from_yaml("p.yaml", &pack_with("{match} {{x}}", "h", "e")).is_ok());
    let yaml = pack_with("{match here", "h", "e");
    let (message, at) = pack_error(&yaml);
    assert_eq!(
        message,
        "message: a `{` is never closed (write `{{` for a literal brace)"
    );
    assert_eq!(at, "{");
    let err = clearance::Pack::from_yaml("p.yaml", &yaml).unwrap_err();
    // The brace inside `message: "{match here"`.
    assert_eq!(
        err.span.unwrap().offset(),
        yaml.find("{match here").unwrap()
    );

    assert_eq!(
        pack_error(&pack_with("ok {n}", "see }", "e")),
        (
            "help: a `}` that closes nothing (write `}}` for a literal brace)".to_string(),
            "}".to_string()
        )
    );
    assert_eq!(
        pack_error(&pack_with("ok", "ask {publisher.nam}", "e")),
        (
            "help uses `{publisher.nam}`, which it cannot fill".to_string(),
            "publisher.nam".to_string()
        )
    );
    assert_eq!(
        pack_error(&pack_with("ok", "h", "one {")),
        (
            "expected: a `{` is never closed (write `{{` for a literal brace)".to_string(),
            "{".to_string()
        )
    );
    assert_eq!(
        pack_error(&pack_with("ok", "h", "{match}")),
        (
            "expected uses `{match}`, which it cannot fill".to_string(),
            "match".to_string()
        )
    );
    assert_eq!(
        pack_error(&pack_with("a { } b", "h", "e")),
        (
            "message: an empty placeholder `{}` (write `{{}}` for literal braces)".to_string(),
            "{ }".to_string()
        )
    );
    assert_eq!(
        pack_error(&pack_with("{nope}", "h", "e")).0,
        "message uses `{nope}`, which this rule never captures"
    );
}

#[test]
fn escaped_braces_render_once_and_matched_text_is_kept_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: error\n    message: \"{{literal}} «{match}» n={n}, expected {expected}\"\n    help: \"use {{v1}}\"\n    forbid: { regex: 'x\\}\\}v(?P<n>\\d)' }\n    expect:\n      - { capture: n, one_of: ['1'], expected: \"{{one}}\" }\n",
    );
    write(dir.path(), "a.txt", "Title\n\nsee x}}v2 here\n");
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--no-default-packs",
            "--pack",
            "p.yaml",
            "--format",
            "json",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let finding = &report["findings"][0];
    assert_eq!(finding["message"], "{literal} «x}}v2» n=2, expected {one}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
}

/// The pack lines of `rules list` (rules are indented under them).
fn listed_packs(run: &common::Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(str::to_string)
        .collect()
}

#[test]
fn rules_list_loads_the_packs_check_would() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "house.yaml",
        "pack: house\ntitle: House style\nrules:\n  - id: read-more\n    severity: warning\n    message: leftover «{match}»\n    forbid: { phrases: [\"Read more:\"] }\n",
    );
    write(
        dir.path(),
        "clearance.yaml",
        "packs: [il-27a, ./house.yaml]\noverrides:\n  - files: [\"wire/**\"]\n    packs: [+wire]\n",
    );
    write(dir.path(), "other.yaml", "packs: [cc]\n");
    let run = clearance(dir.path(), &["rules", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let packs = listed_packs(&run);
    assert_eq!(packs.len(), 3, "{packs:?}");
    assert_eq!(
        packs[0],
        "il-27a — Israeli Copyright Act 2007, section 27A notice (built-in)"
    );
    // The config's pack path is resolved against the config's folder.
    assert!(
        packs[1].starts_with("house — House style (") && packs[1].ends_with("house.yaml)"),
        "{packs:?}"
    );
    assert_eq!(
        packs[2],
        "wire — Wire-service credits and notices (built-in; off unless an override adds it)"
    );
    assert!(
        run.stdout.contains("\n  house/read-more "),
        "{}",
        run.stdout
    );

    let run = clearance(
        dir.path(),
        &["rules", "list", "--config", "other.yaml", "--pack", "dmca"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = listed_packs(&run)
        .iter()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["cc", "dmca"]);

    let run = clearance(dir.path(), &["rules", "list", "--no-config"]);
    let names: Vec<String> = listed_packs(&run)
        .iter()
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(names, clearance::pack::builtin_names().collect::<Vec<_>>());
}

#[test]
fn a_pack_directory_with_no_packs_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    write(dir.path(), "a.txt", NOTICE);
    let run = clearance(
        dir.path(),
        &["check", "--no-config", "--pack", "empty", "a.txt"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("pack directory empty has no .yaml or .yml files"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// A pack named `name` with one `forbid` regex rule per pattern (`{i}`
/// stands for the rule's number).
fn regex_pack(name: &str, pattern: &str, rules: usize) -> String {
    let mut yaml = format!("pack: {name}\ntitle: t\nrules:\n");
    for i in 0..rules {
        let re = pattern.replace("{i}", &i.to_string());
        yaml.push_str(&format!(
            "  - id: r{i}\n    severity: warning\n    message: m\n    forbid: {{ regex: '{re}' }}\n"
        ));
    }
    yaml
}

#[test]
fn a_pack_of_huge_regexes_fails_early_at_the_regex_over_the_budget() {
    let yaml = regex_pack("many", r"\w{1,40} word{i}", 500);
    let started = std::time::Instant::now();
    let err = clearance::Pack::from_yaml("many.yaml", &yaml).expect_err("over the budget");
    let elapsed = started.elapsed();
    assert_eq!(
        err.message,
        "the pack's regexes are too large together: this one would take them over 16 MiB compiled"
    );
    let span = err.span.expect("a span");
    let at = &yaml[span.offset()..span.offset() + span.len()];
    let n: usize = at
        .strip_prefix(r"'\w{1,40} word")
        .and_then(|s| s.strip_suffix('\''))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("the span is not a rule's regex: {at}"));
    // It stops at the first regex over the budget (each takes some 700 KiB
    // of the 16 MiB), long before the 500th, and says where it is.
    assert!((2..50).contains(&n), "stopped at rule {n}");
    let line = yaml[..span.offset()].lines().count();
    assert_eq!(
        yaml.lines().nth(line - 1).unwrap().trim(),
        format!("forbid: {{ regex: {at} }}")
    );
    eprintln!("rejected at rule {n} in {elapsed:?}");
}

#[test]
fn a_valid_pack_of_many_regex_rules_loads_and_checks() {
    let yaml = regex_pack("many", r"word{i} (?P<n>\d+)", 500);
    let pack = clearance::Pack::from_yaml("many.yaml", &yaml).expect("loads");
    let engine = clearance::Engine::new(vec![pack]).expect("an engine");
    let doc = clearance::load::from_source(
        "a.txt",
        Kind::Text,
        "Title\n\nsee word417 12 and word7 x\n".into(),
    );
    let found: Vec<(String, usize)> = engine
        .check(&doc)
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.column))
        .collect();
    assert_eq!(found, [("many/r417".to_string(), 5)]);
}

#[test]
fn packs_too_large_for_one_regex_set_still_check() {
    // Five packs of twenty large regexes each (some 700 KiB each): each
    // pack is within its budget, but together they are over the size of
    // one RegexSet; with the small regexes there are enough for the engine
    // to want one.
    let mut packs: Vec<clearance::Pack> = (0..5)
        .map(|p| {
            let yaml = regex_pack(
                &format!("big{p}"),
                &format!(r"\w{{1,40}} big{p}x{{i}}y"),
                20,
            );
            clearance::Pack::from_yaml("big.yaml", &yaml).expect("within the budget")
        })
        .collect();
    packs.push(
        clearance::Pack::from_yaml("small.yaml", &regex_pack("small", r"small{i} \d", 60)).unwrap(),
    );
    let engine = clearance::Engine::new(packs).expect("the engine runs without the set");
    let doc = clearance::load::from_source(
        "a.txt",
        Kind::Text,
        "Title\n\nsome big3x12y and small59 4\n".into(),
    );
    let mut found: Vec<String> = engine
        .check(&doc)
        .findings
        .iter()
        .map(|f| f.rule.clone())
        .collect();
    found.sort();
    assert_eq!(found, ["big3/r12", "small/r59"]);
}

#[test]
fn bad_publisher_values_are_config_errors_pointing_at_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", NOTICE);
    let cases: &[(&str, &str, &str)] = &[
        (
            "publisher: { name: Kafr News, domains: [\"not a domain!!\"] }\n",
            "`not a domain!!` in `publisher.domains` is not a domain: ' ' cannot be part of a domain name",
            "\"not a domain!!\"",
        ),
        (
            "publisher:\n  name: Kafr News\n  domains: [kafr-news.co.il, https://kafr-news.co.il]\n",
            "`https://kafr-news.co.il` in `publisher.domains` is not a domain: give the domain alone, without a scheme, path or address",
            "https://kafr-news.co.il",
        ),
        (
            "publisher: { domains: [localhost] }\n",
            "`localhost` in `publisher.domains` is not a domain: it has no top-level domain (e.g. `.com`)",
            "localhost",
        ),
        (
            "publisher: { name: Kafr News, contact: \"\" }\n",
            "`publisher.contact` is empty",
            "\"\"",
        ),
        (
            "publisher: { contact: rights@kafr-news }\n",
            "`publisher.contact` `rights@kafr-news` is an e-mail address on a domain that is not one: it has no top-level domain (e.g. `.com`)",
            "rights@kafr-news",
        ),
        (
            "publisher: { contact: write to us }\n",
            "`publisher.contact` `write to us` is not an e-mail address, a URL or a phone number",
            "write to us",
        ),
        (
            "publisher: { name: \"  \" }\n",
            "`publisher.name` is empty",
            "\"  \"",
        ),
    ];
    for (yaml, message, at) in cases {
        write(dir.path(), "clearance.yaml", yaml);
        let err = clearance::config::Config::parse(std::path::Path::new("clearance.yaml"), yaml)
            .expect_err(yaml);
        assert_eq!(err.message, *message, "{yaml}");
        let span = err.span.expect("a span");
        assert_eq!(
            &yaml[span.offset()..span.offset() + span.len()],
            *at,
            "{yaml}"
        );
        let run = clearance(dir.path(), &["check", "a.txt"]);
        assert_eq!(run.code, 2, "{yaml}");
        assert!(flat(&run.stderr).contains(message), "{}", run.stderr);
        assert!(run.stderr.contains("clearance.yaml:"), "{}", run.stderr);
    }
    // Good values still load, a phone or a contact page included.
    for yaml in [
        "publisher: { name: Kafr News, domains: [kafr-news.co.il, חדשות.co.il], contact: rights@kafr-news.co.il }\n",
        "publisher: { contact: \"https://kafr-news.co.il/contact?x=1\" }\n",
        "publisher: { contact: \"+972 (4) 123-4567\" }\n",
    ] {
        clearance::config::Config::parse(std::path::Path::new("clearance.yaml"), yaml)
            .unwrap_or_else(|e| panic!("{yaml}: {e}"));
    }
    // init refuses what the file it writes would be rejected for.
    let run = clearance(
        dir.path(),
        &["init", "--path", "new.yaml", "--domain", "not a domain!!"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "--domain `not a domain!!` is not a domain: ' ' cannot be part of a domain name"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("new.yaml").exists());
    let run = clearance(dir.path(), &["init", "--path", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("new.yaml")).unwrap();
    clearance::config::Config::parse(std::path::Path::new("new.yaml"), &written).expect("loads");
}

#[test]
fn scope_all_does_not_read_the_front_matter_suppression_list() {
    let yaml = "pack: house\ntitle: t\nrules:\n  - id: wire-word\n    severity: warning\n    message: «{match}»\n    scope: all\n    forbid: { phrases: [wire] }\n";
    let engine =
        clearance::Engine::new(vec![clearance::Pack::from_yaml("h.yaml", yaml).unwrap()]).unwrap();
    let md = "---\ntitle: Budget\nclearance:\n  ignore: [wire]\n---\nThe council met.\n";
    let doc = clearance::load::from_source("a.md", Kind::Markdown, md.to_string());
    assert!(doc.regions.iter().any(|r| r.name == "clearance.ignore"));
    assert_eq!(engine.check(&doc).findings.len(), 0);
    // The same word in the article's text (front matter included) is read.
    let md = "---\ntitle: wire copy\nclearance:\n  ignore: [wire]\n---\nThe wire story.\n";
    let doc = clearance::load::from_source("a.md", Kind::Markdown, md.to_string());
    let spans: Vec<(usize, usize)> = engine
        .check(&doc)
        .findings
        .iter()
        .map(|f| (f.span.start, f.span.end))
        .collect();
    assert_eq!(spans, [(11, 15), (57, 61)]);
}

#[test]
fn problem_spans_are_file_bytes_in_a_legacy_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let encode = |text: &str| {
        let (bytes, _, errors) = encoding_rs::WINDOWS_1256.encode(text);
        assert!(!errors);
        bytes.into_owned()
    };
    let html = encode(
        "<html><head><meta charset=\"windows-1256\"><title>خبر عاجل</title><script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"author\": broken}</script></head><body><article><p>مقالة عن المجلس البلدي.</p></article></body></html>\n",
    );
    let md =
        encode("---\nauthor: كاتب المقالة\ntitle: \"مقالة\nx: [1\n---\nنص المقالة عن المجلس.\n");
    let jsonl = "{\"text\":\"سطر أول\"}\n{\"text\": \"نص\", \"html\": 7}\n";
    write(dir.path(), "a.html", &html);
    write(dir.path(), "b.md", &md);
    write(dir.path(), "c.jsonl", jsonl);
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "a.html",
            "b.md",
            "c.jsonl",
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = json(&run);
    let spans = |list: &str| -> Vec<(String, usize, usize)> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["path"].as_str().unwrap().to_string(),
                    p["span"]["start"].as_u64().unwrap() as usize,
                    p["span"]["end"].as_u64().unwrap() as usize,
                )
            })
            .collect()
    };
    // Offsets in the files as they are on disk: one byte per Arabic letter.
    let at = |bytes: &[u8], needle: &[u8]| {
        bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    let ld = br#"{"@type": "NewsArticle", "author": broken}"#;
    let ld_at = at(&html, ld);
    let quote_at = at(&md, b"\"");
    let seven = jsonl.rfind('7').unwrap();
    assert_eq!(
        spans("problems"),
        [
            ("b.md".to_string(), quote_at, quote_at),
            ("c.jsonl:2".to_string(), seven, seven + 1),
        ]
    );
    // The page's unreadable metadata is a note, placed the same way.
    assert_eq!(
        spans("notes"),
        [("a.html".to_string(), ld_at, ld_at + ld.len())]
    );
    assert_eq!(ld_at, 99);
    assert_eq!(quote_at, 32);
}

#[test]
fn html5_named_references_do_not_hide_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.html",
        "<html><body><article><p>Budget vote.</p><p>לפי סעיף 27&NoBreak;א לחוק זכות&nbsp;יוצרים, התשס\"ח&#8209;2007. לפניות&colon; copyright&commat;city&period;co&period;il</p></article></body></html>\n",
    );
    write(
        dir.path(),
        "b.html",
        "<html><body><article><p>Budget vote.</p><p>section&ThinSpace;27A of the Copyright&NegativeMediumSpace; Act, 2007&ZeroWidthSpace;: write to rights@city.co.il</p></article></body></html>\n",
    );
    let run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--pack",
            "il-27a",
            "--no-default-packs",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = json(&run);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["summary"]["files"], 2);
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_escaped_losslessly_and_baselines_round_trip() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "house.yaml",
        "pack: house\ntitle: t\nrules:\n  - id: read-more\n    severity: error\n    message: leftover «{match}»\n    forbid: { phrases: [\"Read more:\"] }\n",
    );
    let text = "Title\n\nRead more: the budget\n";
    let names: [&[u8]; 3] = [b"bad\xFFname.txt", b"bad\xFEname.txt", b"esc\x1b[31m\\.txt"];
    for name in &names[..2] {
        std::fs::write(dir.path().join(OsStr::from_bytes(name)), text).unwrap();
    }
    let args = [
        "check",
        "--no-config",
        "--no-default-packs",
        "--pack",
        "house.yaml",
        "--format",
        "json",
        ".",
    ];
    let run = clearance(dir.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let shown: Vec<(String, Vec<u8>)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let bytes = f["path_bytes"].as_array().expect("path_bytes").iter();
            (
                f["path"].as_str().unwrap().to_string(),
                bytes.map(|b| b.as_u64().unwrap() as u8).collect(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (r"bad\xFEname.txt".to_string(), names[1].to_vec()),
            (r"bad\xFFname.txt".to_string(), names[0].to_vec()),
        ]
    );
    // People see the escaped name, never raw bytes or a replacement character.
    let human = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--no-default-packs",
            "--pack",
            "house.yaml",
            ".",
        ],
    );
    assert!(
        human.stdout.contains(r"bad\xFFname.txt:3:1"),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains('\u{FFFD}'), "{}", human.stdout);

    // A baseline of both hides both; a third file with the same text but
    // another byte in its name is new.
    let write_run = clearance(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--no-default-packs",
            "--pack",
            "house.yaml",
            "--write-baseline",
            "base.json",
            ".",
        ],
    );
    assert_eq!(write_run.code, 0, "{}", write_run.stderr);
    let base = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(base.contains(r#""path": "bad\\xFFname.txt""#), "{base}");
    std::fs::write(dir.path().join(OsStr::from_bytes(b"bad\xFDname.txt")), text).unwrap();
    std::fs::write(dir.path().join(OsStr::from_bytes(names[2])), text).unwrap();
    let mut with_baseline = args.to_vec();
    with_baseline.extend(["--baseline", "base.json"]);
    let run = clearance(dir.path(), &with_baseline);
    let report = json(&run);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [r"bad\xFDname.txt", r"esc\x1B[31m\\.txt"]);
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(
        report["findings"][1]["path_bytes"],
        serde_json::json!(names[2].to_vec())
    );
}
