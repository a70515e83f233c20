//! `--format github`: GitHub Actions workflow commands, so findings appear
//! as annotations on the pull request, plus a Markdown summary table in
//! `$GITHUB_STEP_SUMMARY` when the runner provides one.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::Outcome;
use super::sarif::file_path;
use crate::finding::Severity;

/// Most bytes appended to the step summary (GitHub's own cap is 1 MiB).
const SUMMARY_CAP: usize = 1 << 20;

/// Escapes a command's message.
fn message(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(s: &str) -> String {
    message(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub(super) fn write(
    outcome: &Outcome,
    step_summary: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for file in &outcome.reports {
        let path = property(file_path(&file.path));
        for f in &file.findings {
            let (end_line, end_column) = (f.end_line, f.end_column);
            let columns = if end_line == f.line {
                format!(",col={},endColumn={}", f.column, end_column.max(f.column))
            } else {
                String::new()
            };
            writeln!(
                out,
                "::{} file={path},line={},endLine={end_line}{columns},title={}::{}",
                command(f.severity),
                f.line,
                property(&f.rule),
                message(&f.message)
            )?;
        }
    }
    for p in &outcome.problems {
        if p.path.is_empty() {
            writeln!(out, "::error title=clearance::{}", message(&p.message))?;
        } else {
            writeln!(
                out,
                "::error file={},title=clearance::{}",
                property(file_path(&p.path)),
                message(&p.message)
            )?;
        }
    }
    if let Some(path) = step_summary {
        append_summary(outcome, path)?;
    }
    Ok(())
}

/// The step summary: counts per rule, as a Markdown table.
fn summary_markdown(outcome: &Outcome) -> String {
    let mut per_rule: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for (_, f) in outcome.findings() {
        *per_rule.entry((f.rule.as_str(), f.severity)).or_default() += 1;
    }
    let mut md = String::from("### Clearance\n\n");
    if per_rule.is_empty() {
        md.push_str(&format!("No findings in {} files.\n", outcome.files));
    } else {
        md.push_str("| rule | severity | findings |\n|---|---|---:|\n");
        for ((rule, severity), n) in &per_rule {
            md.push_str(&format!("| `{rule}` | {severity} | {n} |\n"));
        }
        md.push_str(&format!(
            "\n{} findings ({} errors, {} warnings) in {} of {} files.\n",
            outcome.total(),
            outcome.count(Severity::Error),
            outcome.count(Severity::Warning),
            outcome.reports.len(),
            outcome.files
        ));
    }
    if !outcome.problems.is_empty() {
        md.push_str(&format!(
            "\n{} files could not be checked.\n",
            outcome.problems.len()
        ));
    }
    md
}

fn append_summary(outcome: &Outcome, path: &Path) -> io::Result<()> {
    let mut md = summary_markdown(outcome);
    if md.len() > SUMMARY_CAP {
        let mut cut = SUMMARY_CAP - 32;
        while !md.is_char_boundary(cut) {
            cut -= 1;
        }
        md.truncate(cut);
        md.push_str("\n…(truncated)\n");
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(md.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::report::FileReport;

    /// A finding located in `source` (whose first line is line `line_base + 1`).
    fn finding(
        rule: &str,
        severity: Severity,
        span: std::ops::Range<usize>,
        source: &str,
        line_base: usize,
        message: &str,
    ) -> Finding {
        let mut f = Finding::new(
            rule,
            severity,
            span,
            message.to_string(),
            String::new(),
            None,
        );
        let lines = crate::source::LineIndex::new(source);
        f.locate(source, &lines, &Default::default(), line_base);
        f
    }

    #[test]
    fn annotations_are_escaped() {
        let source = "כותרת\nלפי סעיף 27(א)\nline, two: 100%\nmore".to_string();
        let at = source.find("סעיף").unwrap();
        let multi = source.find("two").unwrap();
        let outcome = Outcome {
            files: 2,
            reports: vec![
                FileReport {
                    path: "news/a,b.txt".to_string(),
                    source: source.clone(),
                    line_base: 0,
                    findings: vec![
                        finding(
                            "il-27a/section-malformed",
                            Severity::Error,
                            at..at + 15,
                            &source,
                            0,
                            "cites «27(א)»: 100%\nreally",
                        ),
                        finding(
                            "house/x",
                            Severity::Info,
                            multi..source.len(),
                            &source,
                            0,
                            "spans lines",
                        ),
                    ],
                },
                FileReport {
                    path: "dump.jsonl:4".to_string(),
                    source: "{\"text\":\"x\"}".to_string(),
                    line_base: 3,
                    findings: vec![finding(
                        "il-27a/notice-missing",
                        Severity::Warning,
                        0..0,
                        "{\"text\":\"x\"}",
                        3,
                        "none",
                    )],
                },
            ],
            problems: vec![crate::load::InputProblem {
                path: "bad.md".to_string(),
                message: "binary file".to_string(),
                span: None,
                source: None,
            }],
            baselined: 0,
        };
        let mut out = Vec::new();
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.md");
        write(&outcome, Some(&summary), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=news/a%2Cb.txt,line=2,endLine=2,col=5,endColumn=15,title=il-27a/section-malformed::cites «27(א)»: 100%25%0Areally",
                "::notice file=news/a%2Cb.txt,line=3,endLine=4,title=house/x::spans lines",
                "::warning file=dump.jsonl,line=4,endLine=4,col=1,endColumn=1,title=il-27a/notice-missing::none",
                "::error file=bad.md,title=clearance::binary file",
            ]
        );
        let md = std::fs::read_to_string(&summary).unwrap();
        assert!(
            md.contains("| `il-27a/section-malformed` | error | 1 |"),
            "{md}"
        );
        assert!(
            md.contains("3 findings (1 errors, 1 warnings) in 2 of 2 files."),
            "{md}"
        );
        assert!(md.contains("1 files could not be checked."), "{md}");
    }
}
