//! `--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure
//! Pipelines, many GitHub actions) show as test results. One test case per
//! document; each finding at or above the run's `--fail-on` threshold is a
//! `<failure>` of its document, findings below it are listed in the case's
//! `<system-out>`, and input that could not be checked is an `<error>`.
//! Documents without findings are passing cases when the scan kept their
//! names (it does when a JUnit report is asked for).
//!
//! Every string from input is shown as in human output (no control or bidi
//! characters: XML 1.0 cannot even hold most C0 controls), then escaped for
//! XML, in attributes and text alike.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Outcome, Settings, escape};
use crate::load::DocId;

/// `s` shown safely and escaped for markup ([`escape::markup`]).
fn xml(s: &str) -> String {
    escape::markup(s)
}

#[derive(Default)]
struct Case {
    failures: String,
    below: String,
    errors: String,
    failed: usize,
    erred: usize,
}

pub(super) fn write(outcome: &Outcome, settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let threshold = settings.fail_on;
    let mut cases: BTreeMap<DocId, Case> = BTreeMap::new();
    for id in &outcome.clean {
        cases.entry(id.clone()).or_default();
    }
    for (file, f) in outcome.findings() {
        let case = cases.entry(file.id.clone()).or_default();
        let place = format!("{}:{}:{}", xml(&file.id.label()), f.line, f.column);
        if threshold.is_some_and(|t| f.severity >= t) {
            case.failed += 1;
            let _ = writeln!(
                case.failures,
                "      <failure type=\"{}\" message=\"{}\">{place} {} [{}] {}</failure>",
                xml(&f.rule),
                xml(&f.message),
                f.severity,
                xml(&f.rule),
                xml(&f.message),
            );
        } else {
            let _ = writeln!(
                case.below,
                "{place} {} [{}] {}",
                f.severity,
                xml(&f.rule),
                xml(&f.message)
            );
        }
    }
    for p in &outcome.problems {
        let case = cases.entry(p.id.clone()).or_default();
        case.erred += 1;
        let _ = writeln!(
            case.errors,
            "      <error type=\"input\" message=\"{}\"/>",
            xml(&p.message)
        );
    }
    let failures: usize = cases.values().map(|c| c.failed.min(1)).sum();
    let errors: usize = cases
        .values()
        .map(|c| (c.erred > 0 && c.failed == 0) as usize)
        .sum();
    let totals = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\"",
        cases.len()
    );
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"clearance\" {totals}>")?;
    writeln!(out, "  <testsuite name=\"clearance\" {totals}>")?;
    // A map by document id is in report order already.
    for (id, case) in &cases {
        let name = if id.is_empty() {
            "(input)".to_string()
        } else {
            xml(&id.label())
        };
        let file = xml(&id.file);
        if case.failures.is_empty() && case.errors.is_empty() && case.below.is_empty() {
            writeln!(
                out,
                "    <testcase classname=\"clearance\" name=\"{name}\" file=\"{file}\"/>"
            )?;
            continue;
        }
        writeln!(
            out,
            "    <testcase classname=\"clearance\" name=\"{name}\" file=\"{file}\">"
        )?;
        out.write_all(case.failures.as_bytes())?;
        out.write_all(case.errors.as_bytes())?;
        if !case.below.is_empty() {
            writeln!(out, "      <system-out>{}</system-out>", case.below)?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::report::sarif::fixture;

    fn junit(outcome: &Outcome, fail_on: Option<Severity>) -> String {
        let settings = Settings {
            fail_on,
            ..Settings::plain(100)
        };
        let mut out = Vec::new();
        write(outcome, &settings, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_case_per_document_failures_at_the_threshold() {
        let mut outcome = fixture::outcome();
        outcome.clean.push(DocId::file("news/clean.txt"));
        let text = junit(&outcome, Some(Severity::Error));
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
        assert!(
            text.contains("<testcase classname=\"clearance\" name=\"news/clean.txt\" file=\"news/clean.txt\"/>"),
            "{text}"
        );
        let cases = text.matches("<testcase ").count();
        let documents: BTreeMap<String, ()> = outcome
            .reports
            .iter()
            .map(|r| r.id.to_string())
            .chain(outcome.problems.iter().map(|p| p.id.to_string()))
            .chain(["news/clean.txt".to_string()])
            .map(|k| (k, ()))
            .collect();
        assert_eq!(cases, documents.len(), "{text}");
        let errors = outcome
            .findings()
            .filter(|(_, f)| f.severity == Severity::Error)
            .count();
        assert_eq!(text.matches("<failure ").count(), errors, "{text}");
        assert_eq!(text.matches("<error ").count(), outcome.problems.len());
        // Nothing fails with --fail-on none: every finding is listed.
        let none = junit(&outcome, None);
        assert_eq!(none.matches("<failure ").count(), 0);
        assert_eq!(none.matches("<system-out>").count(), outcome.reports.len());
    }

    #[test]
    fn text_from_input_is_escaped_for_xml() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(xml("\u{1b}[31m\u{202e}"), "\\u{1b}[31m\\u{202e}");
        assert_eq!(xml("לפי סעיף 27א"), "לפי סעיף 27א");
    }
}
