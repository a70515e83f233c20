//! Human output: miette's graphical reports, one per finding, with the
//! matched text quoted in the label (terminals reorder right-to-left text,
//! so a caret alone can sit under the wrong word).
//!
//! Every piece of text that came from input (message, label, help, rule id,
//! path) goes through [`escape::text`]; the snippet is the display copy of
//! [`DisplaySource`], with the same characters replaced by placeholders of
//! the same byte length so that spans stay valid.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::io::{self, Write};

use super::{Outcome, Style, escape};
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
        f.write_str(&escape::text(&self.finding.message))
    }
}

impl std::error::Error for FindingReport<'_> {}

impl Diagnostic for FindingReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(escape::text(&self.finding.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.finding.severity))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_deref()
            .map(|h| Box::new(escape::text(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = &self.finding.span;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(escape::text(&self.finding.label).into_owned()),
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
    /// A note (advice) rather than a problem (an error).
    note: bool,
}

impl fmt::Display for ProblemReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = escape::text(&self.problem.message);
        if self.problem.id.is_empty() {
            f.write_str(&message)
        } else {
            write!(
                f,
                "{}: {message}",
                escape::text(&self.problem.id.to_string())
            )
        }
    }
}

impl std::error::Error for ProblemReport<'_> {}

impl Diagnostic for ProblemReport<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(if self.note {
            "clearance::note"
        } else {
            "clearance::input"
        }))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.note {
            miette::Severity::Advice
        } else {
            miette::Severity::Error
        })
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

/// An error that stopped the run, with every text in it escaped and its
/// source shown through a [`DisplaySource`]: a pack's message, label or
/// snippet, a config value or a path may carry terminal escapes too.
#[derive(Debug)]
pub(super) struct Clean {
    message: String,
    code: Option<String>,
    severity: Option<miette::Severity>,
    help: Option<String>,
    url: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<DisplaySource>,
    cause: Option<Box<Cause>>,
}

/// One error of a source chain, escaped.
#[derive(Debug)]
struct Cause {
    message: String,
    cause: Option<Box<Cause>>,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as _)
    }
}

impl Clean {
    pub(super) fn of(error: &dyn Diagnostic) -> Clean {
        let shown = |d: &dyn fmt::Display| escape::text(&d.to_string()).into_owned();
        let mut causes = Vec::new();
        let mut next = error.source();
        while let Some(e) = next {
            causes.push(shown(e));
            next = e.source();
        }
        let cause = causes.into_iter().rev().fold(None, |cause, message| {
            Some(Box::new(Cause { message, cause }))
        });
        let labels = error
            .labels()
            .map(|labels| {
                labels
                    .map(|l| {
                        let text = l.label().map(|t| escape::text(t).into_owned());
                        if l.primary() {
                            LabeledSpan::new_primary_with_span(text, *l.inner())
                        } else {
                            LabeledSpan::new_with_span(text, *l.inner())
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The whole text, read once: a span from the start with every line
        // after it as context.
        let source = error.source_code().and_then(|code| {
            let all = code.read_span(&(0, 0).into(), 0, usize::MAX / 4).ok()?;
            let name = escape::text(all.name().unwrap_or_default()).into_owned();
            Some(DisplaySource::new(
                &name,
                &String::from_utf8_lossy(all.data()),
            ))
        });
        Clean {
            message: shown(error),
            code: error.code().map(|c| shown(&c)),
            severity: error.severity(),
            help: error.help().map(|h| shown(&h)),
            url: error.url().map(|u| shown(&u)),
            labels,
            source,
            cause,
        }
    }
}

impl fmt::Display for Clean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Clean {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|c| c as _)
    }
}

impl Diagnostic for Clean {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
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
        // miette adds `:line:column`; a JSON-lines record's `:LINE` would
        // repeat it. A record with an id is named by it: `dump.jsonl#a-17`.
        let name = match &report.id.key {
            Some(key) => std::borrow::Cow::Owned(format!(
                "{}#{}",
                escape::text(&report.id.file),
                escape::text(key)
            )),
            None => escape::text(&report.id.file),
        };
        let source = DisplaySource::new(&name, &report.source).with_line_base(report.line_base);
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
    let mut line = if let Some(why) = outcome.nothing_checked() {
        why
    } else if total == 0 {
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
    let dropped = outcome.dropped_total();
    if dropped > 0 {
        line.push_str(&format!(
            "; {dropped} more {} not shown (at most {} per rule in one document)",
            plural(dropped, "finding", "findings"),
            crate::matcher::MAX_FINDINGS_PER_RULE
        ));
    }
    if outcome.baselined > 0 {
        line.push_str(&format!(
            "; {} known {} hidden by the baseline",
            outcome.baselined,
            plural(outcome.baselined, "finding", "findings")
        ));
    }
    if !outcome.problems.is_empty() {
        let n = outcome.problems.len();
        line.push_str(&format!(
            "; {n} {} with the input (on standard error)",
            plural(n, "problem", "problems")
        ));
    }
    if !outcome.notes.is_empty() {
        line.push_str(&format!(
            "; {} {} (above)",
            outcome.notes.len(),
            plural(outcome.notes.len(), "note", "notes")
        ));
    }
    writeln!(out, "{line}.")
}

pub(super) fn problems(outcome: &Outcome, style: Style, err: &mut dyn Write) -> io::Result<()> {
    let handler = handler(style);
    let mut rendered = String::new();
    let problems = outcome.problems.iter().map(|p| (p, false));
    for (problem, note) in problems.chain(outcome.notes.iter().map(|p| (p, true))) {
        rendered.clear();
        // A record's own line number, in the gutter and after the file's
        // name (not after `dump.jsonl:LINE`, which would repeat it).
        let source = problem.source.as_ref().map(|s| {
            let name = if s.line_base > 0 {
                escape::text(&problem.id.file).into_owned()
            } else {
                escape::text(&problem.id.to_string()).into_owned()
            };
            DisplaySource::new(&name, &s.text).with_line_base(s.line_base)
        });
        let diag = ProblemReport {
            problem,
            source,
            note,
        };
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
