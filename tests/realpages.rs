//! Accuracy on real published pages that nobody on the project wrote:
//! `../shared/realpages/` beside the repository (pages, `labels.json` with
//! what each rule must and must not report, and which rules do not apply to
//! a page at all). The pages are test data read from there, never copied
//! into the repository. Each page is checked as a user with no configuration
//! would (`clearance check --no-config --format json PAGE`), and the test
//! fails on any unmet label, any finding of a rule that does not apply to the
//! page, or any input problem that makes the scan exit 2. Both label files
//! are read: `labels.json` and `labels-added.json` (the pages kept aside
//! until the last accuracy round).
//!
//! [`KNOWN_UNMET`] lists the labels the packs do not meet yet, each with
//! why; the test fails on any other disagreement, and on a listed one that
//! is met (so the list only shrinks).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Labels not met yet: (page, rule, why).
const KNOWN_UNMET: &[(&str, &str, &str)] = &[];

fn realpages() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realpages");
    dir.join("labels.json").is_file().then_some(dir)
}

#[test]
fn real_pages_meet_every_label_with_no_noise() {
    let Some(dir) = realpages() else {
        eprintln!(
            "SKIPPED real_pages_meet_every_label_with_no_noise: ../shared/realpages \
             (the labelled real pages) is not beside this checkout"
        );
        return;
    };
    let mut labels: Vec<Value> = Vec::new();
    for name in ["labels.json", "labels-added.json"] {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        let more: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
        labels.extend(more);
    }
    assert!(!labels.is_empty(), "the label files list no pages");
    let mut known_met = Vec::new();
    let mut wrong = Vec::new();
    // rule → [met, total]
    let mut per_rule: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for entry in &labels {
        let file = entry["file"].as_str().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_clearance"))
            .args(["check", "--no-config", "--format", "json"])
            .arg(dir.join("cases").join(file))
            .output()
            .unwrap();
        let code = out.status.code();
        let report: Value = match serde_json::from_slice(&out.stdout) {
            Ok(report) => report,
            Err(e) => {
                wrong.push(format!("{file}: exit {code:?}, output is not JSON: {e}"));
                continue;
            }
        };
        if code == Some(2) {
            wrong.push(format!("{file}: exit 2, problems {}", report["problems"]));
        }
        let mut fired: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
        for f in report["findings"].as_array().unwrap() {
            fired
                .entry(f["rule"].as_str().unwrap())
                .or_default()
                .push(f);
        }
        let first = |rule: &str| {
            fired.get(rule).map_or(String::new(), |fs| {
                format!(
                    " ({} at {}:{}: {})",
                    fs.len(),
                    fs[0]["line"],
                    fs[0]["column"],
                    fs[0]["message"]
                )
            })
        };
        for (rule, expected) in entry["expect"].as_object().unwrap() {
            let expected = expected.as_bool().unwrap();
            let got = fired.contains_key(rule.as_str());
            let tally = per_rule.entry(rule.clone()).or_default();
            tally[1] += 1;
            let known = KNOWN_UNMET
                .iter()
                .any(|(f, r, _)| *f == file && *r == rule.as_str());
            if got == expected {
                tally[0] += 1;
                if known {
                    known_met.push(format!(
                        "{file}: {rule} is met now: take it off KNOWN_UNMET"
                    ));
                }
            } else if known {
                eprintln!("known unmet: {file}: {rule} expected {expected}, got {got}");
            } else {
                wrong.push(format!(
                    "{file}: {rule} expected {expected}, got {got}{}",
                    first(rule)
                ));
            }
        }
        for rule in entry["noise"].as_array().into_iter().flatten() {
            let rule = rule.as_str().unwrap();
            if fired.contains_key(rule) {
                wrong.push(format!(
                    "{file}: {rule} does not apply to this page{}",
                    first(rule)
                ));
            }
        }
    }
    let table: String = per_rule
        .iter()
        .map(|(rule, [met, total])| format!("  {rule:36} {met}/{total}\n"))
        .collect();
    eprintln!(
        "labels met per rule on {} real pages:\n{table}",
        labels.len()
    );
    wrong.extend(known_met);
    assert!(
        wrong.is_empty(),
        "{} disagreement(s) with the labels of ../shared/realpages:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
