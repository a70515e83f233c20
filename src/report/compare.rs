//! `--compare OLD.json`: this run's findings against an earlier JSON report
//! of the same archive. A finding is the same when its fingerprint is (the
//! baseline's: rule, document and matched text, not the line), so an edit
//! elsewhere in an article changes nothing; copies are matched one for one.

use std::collections::{HashMap, VecDeque};

use serde::Deserialize;

use super::Outcome;
use crate::suppress::fingerprint_of;

/// A finding of the earlier report that this run no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Earlier {
    pub rule: String,
    pub path: String,
    pub line: usize,
    pub message: String,
    /// Present in reports of Clearance 0.1.0 and later.
    #[serde(default)]
    fingerprint: Option<String>,
}

#[derive(Deserialize)]
struct EarlierReport {
    version: u32,
    findings: Vec<Earlier>,
}

/// What changed since the earlier report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The earlier report's name, as shown.
    pub against: String,
    /// Per finding of this run, in [`Outcome::findings`] order: whether the
    /// earlier report did not have it.
    pub new: Vec<bool>,
    /// The earlier report's findings this run does not have, in its order.
    pub fixed: Vec<Earlier>,
}

impl Comparison {
    pub fn new_count(&self) -> usize {
        self.new.iter().filter(|n| **n).count()
    }

    pub fn unchanged(&self) -> usize {
        self.new.len() - self.new_count()
    }
}

/// Reads an earlier `--format json` report; the error says what is wrong
/// with it in a sentence.
pub fn read_earlier(text: &str) -> Result<Vec<Earlier>, String> {
    let report: EarlierReport = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            format!("not a Clearance JSON report ({e})")
        } else {
            format!("not valid JSON (line {}, column {})", e.line(), e.column())
        }
    })?;
    if report.version != 1 {
        return Err(format!(
            "report version {} is not supported",
            report.version
        ));
    }
    if report.findings.iter().any(|f| f.fingerprint.is_none()) {
        return Err(
            "its findings have no `fingerprint` (a report written before Clearance 0.1.0): \
             write it again with `--format json`"
                .to_string(),
        );
    }
    Ok(report.findings)
}

/// Compares this run with the earlier findings.
pub fn compare(outcome: &Outcome, against: String, earlier: Vec<Earlier>) -> Comparison {
    let mut by_print: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (k, f) in earlier.iter().enumerate() {
        if let Some(fp) = &f.fingerprint {
            by_print.entry(fp).or_default().push_back(k);
        }
    }
    let mut seen = vec![false; earlier.len()];
    let new = outcome
        .findings()
        .map(|(file, f)| {
            let fp = fingerprint_of(&file.id, f);
            match by_print.get_mut(fp.as_str()).and_then(VecDeque::pop_front) {
                Some(k) => {
                    seen[k] = true;
                    false
                }
                None => true,
            }
        })
        .collect();
    let fixed = earlier
        .iter()
        .zip(&seen)
        .filter(|(_, seen)| !**seen)
        .map(|(f, _)| f.clone())
        .collect();
    Comparison {
        against,
        new,
        fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    fn earlier_of(outcome: &Outcome) -> Vec<Earlier> {
        outcome
            .findings()
            .map(|(file, f)| Earlier {
                rule: f.rule.clone(),
                path: file.id.to_string(),
                line: f.line,
                message: f.message.clone(),
                fingerprint: Some(fingerprint_of(&file.id, f)),
            })
            .collect()
    }

    #[test]
    fn new_fixed_and_unchanged_by_fingerprint() {
        let before = fixture::outcome();
        let earlier = earlier_of(&before);
        let mut after = fixture::outcome();
        // One finding fixed, one added elsewhere, one moved down a line.
        let gone = after.reports[0].findings.remove(0);
        let mut added = after.reports[1].findings[0].clone();
        added.matched = "סעיף 72(א)".to_string();
        after.reports[1].findings.push(added);
        after.reports[2].findings[0].line += 5;
        let c = compare(&after, "old.json".into(), earlier);
        assert_eq!(c.new_count(), 1);
        assert_eq!(c.unchanged(), after.total() - 1);
        assert_eq!(c.fixed.len(), 1);
        assert_eq!(
            (c.fixed[0].rule.as_str(), c.fixed[0].line),
            (gone.rule.as_str(), gone.line)
        );
        // The added one is the new one.
        let flags: Vec<bool> = c.new.clone();
        let last_of_second = after.reports[0].findings.len() + after.reports[1].findings.len() - 1;
        assert!(flags[last_of_second]);
    }

    #[test]
    fn an_earlier_report_says_what_is_wrong_with_it() {
        assert!(
            read_earlier("{\"version\":1,\"findings\":[]}")
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            read_earlier("{\"version\":2,\"findings\":[]}").unwrap_err(),
            "report version 2 is not supported"
        );
        let old = "{\"version\":1,\"findings\":[{\"rule\":\"a/b\",\"path\":\"x\",\"line\":1,\"message\":\"m\"}]}";
        assert!(read_earlier(old).unwrap_err().contains("no `fingerprint`"));
        assert!(
            read_earlier("[1,2]")
                .unwrap_err()
                .starts_with("not a Clearance JSON report")
        );
        assert!(read_earlier("{").unwrap_err().starts_with("not valid JSON"));
    }
}
