//! End-to-end tests of the built-in `il-27a` pack (Israeli Copyright Act
//! 2007, section 27A notice), through the real binary and its JSON output.
//!
//! Each file in `tests/fixtures/il-27a/` is either compliant, written with one
//! text pitfall (tanwin, tatweel, bidi isolates, gershayim, NBSP...), or has
//! exactly one problem, so its expected set of rule ids is exact. The binary
//! runs with `--no-default-packs --pack il-27a`, so that rules from other
//! built-in packs cannot show up in these sets.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const NOTICE_MISSING: &str = "il-27a/notice-missing";
const SECTION_MALFORMED: &str = "il-27a/section-malformed";
const YEAR_MALFORMED: &str = "il-27a/year-malformed";
const CONTACT_MISSING: &str = "il-27a/contact-missing";
const CONTACT_MALFORMED: &str = "il-27a/contact-malformed";

/// Fixture file name → the rule ids it must produce.
const CASES: &[(&str, &[&str])] = &[
    // Compliant notices, each with a text pitfall.
    ("ok-ar-seed-like.txt", &[]),
    ("ok-ar-indic-digits-bidi.txt", &[]),
    ("ok-ar-tatweel-shadda.txt", &[]),
    ("ok-he-gershayim.txt", &[]),
    ("ok-he-url-contact.txt", &[]),
    ("ok-he-nbsp-maqaf.txt", &[]),
    ("ok-en.txt", &[]),
    ("ok-en-5768.txt", &[]),
    ("ok-phone-contact.txt", &[]),
    ("ok-md-front-matter.md", &[]),
    ("lookalike-url-27a.txt", &[]),
    // No citation at all; lookalikes do not count as one.
    ("missing-plain.txt", &[NOTICE_MISSING]),
    ("lookalike-vat-ar.txt", &[NOTICE_MISSING]),
    ("lookalike-vat-en.txt", &[NOTICE_MISSING]),
    ("lookalike-amutot.txt", &[NOTICE_MISSING]),
    ("lookalike-generic-takedown.txt", &[NOTICE_MISSING]),
    ("code-block-only.md", &[NOTICE_MISSING]),
    // Writing about the section is not a notice (shapes of public law-firm
    // pages: an explainer that lists the conditions in the words a notice
    // uses, the section's text quoted after "(תיקון מס' 5) תשע"ט-2019", a
    // discussion of who relies on it): no contact, year or repeat findings.
    ("lookalike-explainer-conditions.txt", &[NOTICE_MISSING]),
    ("lookalike-quoted-section.txt", &[NOTICE_MISSING]),
    ("lookalike-library-discussion.txt", &[NOTICE_MISSING]),
    // Wrong section next to the law name.
    ("section-bare-27.txt", &[SECTION_MALFORMED]),
    ("section-27-paren-alef.txt", &[SECTION_MALFORMED]),
    ("section-27a-paren-en.txt", &[SECTION_MALFORMED]),
    ("section-ar-paren.txt", &[SECTION_MALFORMED]),
    // Wrong year after the law name.
    ("year-2008.txt", &[YEAR_MALFORMED]),
    ("year-indic-bidi-ar.txt", &[YEAR_MALFORMED]),
    ("year-2019-hebrew.txt", &[YEAR_MALFORMED]),
    ("year-1911-en.txt", &[YEAR_MALFORMED]),
    ("year-hebrew-mismatch.txt", &[YEAR_MALFORMED]),
    // Contact details.
    ("contact-none.txt", &[CONTACT_MISSING]),
    ("contact-no-tld.txt", &[CONTACT_MALFORMED]),
    ("contact-double-at.txt", &[CONTACT_MALFORMED]),
    ("contact-space.txt", &[CONTACT_MALFORMED]),
    ("contact-example-com.txt", &[CONTACT_MALFORMED]),
    ("contact-cloudflare.txt", &[CONTACT_MALFORMED]),
    ("contact-cloudflare-ar.txt", &[CONTACT_MALFORMED]),
    ("contact-at-obfuscated.txt", &[CONTACT_MALFORMED]),
    ("contact-bare-domain-he.txt", &[CONTACT_MALFORMED]),
];

/// (fixture, rule, text that the finding's span must contain).
const SPANS: &[(&str, &str, &str)] = &[
    ("section-27-paren-alef.txt", SECTION_MALFORMED, "27(א)"),
    ("section-ar-paren.txt", SECTION_MALFORMED, "(أ)"),
    ("year-2008.txt", YEAR_MALFORMED, "2008"),
    // Arabic-Indic digits between RLMs: the span must survive folding.
    ("year-indic-bidi-ar.txt", YEAR_MALFORMED, "٢٠١٩"),
    ("contact-double-at.txt", CONTACT_MALFORMED, "info@@"),
];

/// `examples/newsroom`, path below that folder → rule ids.
/// Keep in step with the table in `examples/NEWSROOM.md`.
const NEWSROOM: &[(&str, &[&str])] = &[
    ("ar/municipal-budget-tamra.txt", &[]),
    ("ar/school-opening-arraba.md", &[]),
    ("ar/football-sakhnin-draw.txt", &[YEAR_MALFORMED]),
    ("ar/olive-festival-kafr-yasif.txt", &[NOTICE_MISSING]),
    ("he/city-council-budget.md", &[]),
    ("he/heatwave-weekend.txt", &[]),
    ("he/court-ruling-balconies.txt", &[SECTION_MALFORMED]),
    ("he/lantern-festival.md", &[CONTACT_MISSING]),
    ("en/budget-open-data.md", &[]),
    ("en/marathon-road-closures.txt", &[CONTACT_MALFORMED]),
    ("en/youth-cup-final.txt", &[NOTICE_MISSING]),
    ("en/storm-power-cuts.txt", &[]),
    // Compliant notices; these two show the other packs (see tests/packs.rs).
    ("ar/water-network-shefa-amr.txt", &[]),
    ("en/port-strike-haifa.txt", &[]),
];

/// Runs `clearance check --format json` with only the `il-27a` pack, from the
/// crate root, and returns the exit code and the parsed report.
///
/// Fixtures are checked as for an Israeli publisher (`--require il-27a`);
/// the newsroom says so in its own clearance.yaml.
fn check(path: &Path) -> (i32, Value) {
    check_with(path, &["--require", "il-27a"])
}

fn check_with(path: &Path, extra: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "json", "--no-default-packs"])
        .args(["--pack", "il-27a"])
        .args(extra)
        .arg(path)
        .output()
        .expect("could not run the clearance binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{}: stdout is not JSON ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
            path.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr),
        )
    });
    let code = out.status.code().expect("clearance was killed by a signal");
    (code, report)
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/il-27a")
}

fn fixture(name: &str) -> PathBuf {
    fixture_dir().join(name)
}

fn findings(report: &Value) -> &[Value] {
    report["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn ids(expected: &[&str]) -> BTreeSet<String> {
    expected.iter().map(|id| id.to_string()).collect()
}

fn rule_ids<'a>(findings: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    findings
        .into_iter()
        .map(|f| f["rule"].as_str().unwrap_or("<no rule>").to_string())
        .collect()
}

/// One line per finding, for failure messages.
fn describe(findings: &[Value]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "    {} {} {}:{}: {}\n",
                f["severity"], f["rule"], f["line"], f["column"], f["message"]
            )
        })
        .collect()
}

/// What is wrong with the report's shape, if anything: version 1, every
/// finding with all its fields, a summary that agrees with the findings.
fn shape_problems(report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if report["version"] != 1 {
        problems.push(format!("version is {}, not 1", report["version"]));
    }
    if !report["findings"].is_array() {
        problems.push("no `findings` array".to_string());
    }
    for f in findings(report) {
        let strings = ["rule", "severity", "path", "message"];
        let numbers = [
            &f["line"],
            &f["column"],
            &f["span"]["start"],
            &f["span"]["end"],
        ];
        if strings.iter().any(|k| !f[*k].is_string()) || numbers.iter().any(|n| !n.is_u64()) {
            problems.push(format!("finding with missing or mistyped fields: {f}"));
        } else if f["span"]["start"].as_u64() > f["span"]["end"].as_u64() {
            problems.push(format!("span starts after it ends: {f}"));
        }
    }
    let summary = &report["summary"];
    for key in ["files", "findings", "errors", "warnings"] {
        if !summary[key].is_u64() {
            problems.push(format!("summary.{key} is {}", summary[key]));
        }
    }
    if summary["findings"].as_u64() != Some(findings(report).len() as u64) {
        problems.push(format!(
            "summary.findings is {} but there are {} findings",
            summary["findings"],
            findings(report).len()
        ));
    }
    problems
}

/// 1 when a finding has severity `error`, else 0 (`--fail-on error`).
fn expected_exit_code(report: &Value) -> i32 {
    let has_error = findings(report).iter().any(|f| f["severity"] == "error");
    i32::from(has_error)
}

/// Every file below `dir`, as a `/`-separated path relative to `dir`.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("readable directory") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("path below dir");
                files.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

#[test]
fn every_fixture_has_exactly_one_case() {
    let on_disk = files_under(&fixture_dir());
    let in_table: BTreeSet<String> = CASES.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(
        in_table.len(),
        CASES.len(),
        "a fixture is listed twice in CASES"
    );
    assert_eq!(on_disk, in_table, "fixture files and CASES differ");
}

/// Runs every fixture and reports all wrong cases at once.
#[test]
fn fixtures_report_exactly_the_expected_rules() {
    let mut failures = Vec::new();
    for &(name, expected) in CASES {
        let (code, report) = check(&fixture(name));
        for problem in shape_problems(&report) {
            failures.push(format!("{name}: {problem}"));
        }
        let (expected, actual) = (ids(expected), rule_ids(findings(&report)));
        if actual != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, got {actual:?}\n{}",
                describe(findings(&report))
            ));
        }
        let want = expected_exit_code(&report);
        if code != want {
            failures.push(format!("{name}: exit code {code}, expected {want}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) over {} fixtures:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn exit_code_is_1_with_errors_and_0_when_clean() {
    let (code, report) = check(&fixture("missing-plain.txt"));
    let severities: Vec<&Value> = findings(&report).iter().map(|f| &f["severity"]).collect();
    assert_eq!(severities, ["error"], "notice-missing must be one error");
    assert_eq!(code, 1, "exit code with an error finding");

    let (code, report) = check(&fixture("ok-en.txt"));
    assert!(
        findings(&report).is_empty(),
        "ok-en.txt:\n{}",
        describe(findings(&report))
    );
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(code, 0, "exit code for a clean file");
}

/// The span of a malformed citation covers the offending text, in byte
/// offsets of the original file, and agrees with `line` and `column`.
#[test]
fn spans_point_at_the_offending_text() {
    let mut failures = Vec::new();
    for &(name, rule, token) in SPANS {
        let bytes = fs::read(fixture(name)).expect("readable fixture");
        let (_, report) = check(&fixture(name));
        let Some(finding) = findings(&report).iter().find(|f| f["rule"] == rule) else {
            failures.push(format!("{name}: no {rule} finding"));
            continue;
        };
        let span = &finding["span"];
        let (start, end) = match (span["start"].as_u64(), span["end"].as_u64()) {
            (Some(s), Some(e)) if s <= e && e as usize <= bytes.len() => (s as usize, e as usize),
            _ => {
                failures.push(format!("{name}: span {span} is outside the file"));
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes[start..end]) else {
            failures.push(format!("{name}: span {start}..{end} splits a character"));
            continue;
        };
        if !text.contains(token) {
            failures.push(format!(
                "{name}: span {start}..{end} is {text:?}, without {token:?}"
            ));
        }
        let before = String::from_utf8_lossy(&bytes[..start]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        if finding["line"] != line || finding["column"] != column {
            failures.push(format!(
                "{name}: reported {}:{}, span starts at {line}:{column}",
                finding["line"], finding["column"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The demo corpus gives the per-file results documented in NEWSROOM.md.
#[test]
fn newsroom_demo_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    let listed: BTreeSet<String> = NEWSROOM.iter().map(|(file, _)| file.to_string()).collect();
    let mut articles = files_under(&root);
    assert!(
        articles.remove("clearance.yaml"),
        "the newsroom's clearance.yaml (require: [il-27a]) is missing"
    );
    assert_eq!(articles, listed, "examples/newsroom and NEWSROOM differ");

    let (code, report) = check_with(Path::new("examples/newsroom"), &[]);
    let mut failures = shape_problems(&report);

    let mut actual: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for f in findings(&report) {
        let path = f["path"].as_str().unwrap_or_default().replace('\\', "/");
        let file = path
            .split_once("newsroom/")
            .map_or(path.as_str(), |(_, rest)| rest);
        actual.entry(file.to_string()).or_default().push(f.clone());
    }
    for &(file, expected) in NEWSROOM {
        let found = actual.remove(file).unwrap_or_default();
        let (expected, got) = (ids(expected), rule_ids(&found));
        if got != expected {
            failures.push(format!(
                "{file}: expected {expected:?}, got {got:?}\n{}",
                describe(&found)
            ));
        }
    }
    for (file, found) in &actual {
        failures.push(format!(
            "findings for unknown path {file:?}\n{}",
            describe(found)
        ));
    }
    if report["summary"]["files"] != NEWSROOM.len() {
        failures.push(format!(
            "summary.files is {}, expected {}",
            report["summary"]["files"],
            NEWSROOM.len()
        ));
    }
    if code != 1 {
        failures.push(format!("exit code {code}, expected 1"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/fixtures/il-27a-policy/`: file → rule ids with no configuration,
/// and with the pack required (an Israeli publisher's clearance.yaml).
/// Whether section 27A applies is the publisher's policy: unconfigured,
/// notice-missing reads only a page that shows it uses works whose owner it
/// could not find; a notice that is present is checked either way; writing
/// about the section is not a notice.
const POLICY: &[(&str, &[&str], &[&str])] = &[
    ("wire-story-en.txt", &[], &[NOTICE_MISSING]),
    ("law-firm-article-he.txt", &[], &[NOTICE_MISSING]),
    ("court-ruling-en.txt", &[], &[NOTICE_MISSING]),
    (
        "good-faith-disclaimer-he.txt",
        &[NOTICE_MISSING],
        &[NOTICE_MISSING],
    ),
    (
        "internet-photo-he.txt",
        &[NOTICE_MISSING],
        &[NOTICE_MISSING],
    ),
    ("short-form-ar.txt", &[CONTACT_MISSING], &[CONTACT_MISSING]),
    (
        "photo-credit-he.txt",
        &[CONTACT_MISSING],
        &[CONTACT_MISSING],
    ),
];

#[test]
fn whether_27a_applies_is_the_publishers_policy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/il-27a-policy");
    let on_disk = files_under(&dir);
    let listed: BTreeSet<String> = POLICY.iter().map(|(f, _, _)| f.to_string()).collect();
    assert_eq!(on_disk, listed, "il-27a-policy fixtures and POLICY differ");
    let mut failures = Vec::new();
    for &(name, unconfigured, required) in POLICY {
        for (flags, expected) in [
            (&["--no-config"][..], unconfigured),
            (&["--no-config", "--require", "il-27a"][..], required),
        ] {
            let (code, report) = check_with(&dir.join(name), flags);
            let got = rule_ids(findings(&report));
            if got != ids(expected) {
                failures.push(format!(
                    "{name} {flags:?}: expected {expected:?}, got {got:?}\n{}",
                    describe(findings(&report))
                ));
            }
            if code != expected_exit_code(&report) {
                failures.push(format!("{name} {flags:?}: exit code {code}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `require:` in clearance.yaml, at the top or per folder in an override,
/// switches the requirement on; a name that is no pack is an error.
#[test]
fn require_in_the_config_switches_the_notice_requirement_on() {
    let dir = tempfile::tempdir().unwrap();
    let story = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/il-27a-policy/wire-story-en.txt"),
    )
    .unwrap();
    for rel in ["il/a.txt", "world/b.txt"] {
        fs::create_dir_all(dir.path().join(rel).parent().unwrap()).unwrap();
        fs::write(dir.path().join(rel), &story).unwrap();
    }
    let run = |config: &str| {
        fs::write(dir.path().join("clearance.yaml"), config).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_clearance"))
            .current_dir(dir.path())
            .args(["check", "--format", "json", "."])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        let paths: Vec<String> = findings(&report)
            .iter()
            .filter(|f| f["rule"] == NOTICE_MISSING)
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        (
            out.status.code().unwrap(),
            paths,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(
        run("publisher: { name: World Desk }\n").1,
        Vec::<String>::new()
    );
    assert_eq!(run("require: [il-27a]\n").1, ["il/a.txt", "world/b.txt"]);
    let per_folder = "overrides:\n  - files: [\"il/**\"]\n    require: [il-27a]\n";
    assert_eq!(
        run(per_folder),
        (1, vec!["il/a.txt".to_string()], String::new())
    );
    let (code, _, stderr) = run("require: [il27a]\n");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("clearance.yaml: `require` names the pack `il27a`"),
        "{stderr}"
    );
}
