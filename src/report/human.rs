//! Human output: miette's graphical reports, one per finding, with the
//! matched text quoted in the label (terminals reorder right-to-left text,
//! so a caret alone can sit under the wrong word).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::io::{self, Write};

use super::{Outcome, Style};
use crate::finding::{Finding, Severity};
use crate::source::DisplaySource;

struct FindingReport<'a> {
    finding: &'a Finding,
    source: &'a DisplaySource,
}

impl fmt::Debug for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingReport<'_> {}

impl Diagnostic for FindingReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.finding.severity))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = &self.finding.span;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.finding.label.clone()),
                (span.start, span.end - span.start),
            ),
        )))
    }
}

/// A problem with an input file, as a diagnostic.
#[derive(Debug)]
struct ProblemReport<'a> {
    problem: &'a crate::load::InputProblem,
    source: Option<DisplaySource>,
}

impl fmt::Display for ProblemReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problem.path.is_empty() {
            f.write_str(&self.problem.message)
        } else {
            write!(f, "{}: {}", self.problem.path, self.problem.message)
        }
    }
}

impl std::error::Error for ProblemReport<'_> {}

impl Diagnostic for ProblemReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("clearance::input"))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // The span in the decoded text shown (not in the file's bytes).
        let span = &self.problem.source.as_ref()?.span;
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some("here".to_string()),
                (span.start, span.end - span.start),
            ),
        )))
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

pub(super) fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_break_words(false)
        .with_context_lines(1)
}

pub(super) fn findings(outcome: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style);
    let mut rendered = String::new();
    for report in &outcome.reports {
        // miette adds `:line:column`; a JSON-lines record's `:LINE` would repeat it.
        let name = super::sarif::file_path(&report.path);
        let source = DisplaySource::new(name, &report.source).with_line_base(report.line_base);
        for finding in &report.findings {
            rendered.clear();
            let diag = FindingReport {
                finding,
                source: &source,
            };
            handler
                .render_report(&mut rendered, &diag)
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.write_all(rendered.as_bytes())?;
            writeln!(out)?;
        }
    }
    let (errors, warnings, total) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.total(),
    );
    let infos = total - errors - warnings;
    let files_with = outcome.reports.len();
    let mut line = if total == 0 {
        format!(
            "No findings in {} {}",
            outcome.files,
            plural(outcome.files, "file", "files")
        )
    } else {
        format!(
            "{total} {} ({errors} {}, {warnings} {}, {infos} info) in {files_with} of {} {}",
            plural(total, "finding", "findings"),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            outcome.files,
            plural(outcome.files, "file", "files"),
        )
    };
    if outcome.baselined > 0 {
        line.push_str(&format!(
            "; {} known {} hidden by the baseline",
            outcome.baselined,
            plural(outcome.baselined, "finding", "findings")
        ));
    }
    writeln!(out, "{line}.")
}

pub(super) fn problems(outcome: &Outcome, style: Style, err: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style);
    let mut rendered = String::new();
    for problem in &outcome.problems {
        rendered.clear();
        let source = problem
            .source
            .as_ref()
            .map(|s| DisplaySource::new(&problem.path, &s.text));
        let diag = ProblemReport { problem, source };
        handler
            .render_report(&mut rendered, &diag)
            .map_err(|e| io::Error::other(e.to_string()))?;
        err.write_all(rendered.as_bytes())?;
    }
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
