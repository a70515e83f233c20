//! Printers. Each takes the finished [`Outcome`] and a writer; none decides
//! anything about exit codes or what to check.

mod human;
mod json;

use std::io::{self, Write};

use crate::cli::Format;
use crate::finding::{Finding, Severity};
use crate::load::InputProblem;

/// Findings of one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    /// The text the spans refer to (decoded).
    pub source: String,
    /// Maps spans in `source` to bytes of the file on disk.
    pub origin: crate::load::decode::Origin,
    /// Lines of the file before `source`.
    pub line_base: usize,
    pub findings: Vec<Finding>,
}

/// Everything a `check` run found, sorted by path.
#[derive(Debug, Default)]
pub struct Outcome {
    /// How many files were checked.
    pub files: usize,
    /// Files with findings.
    pub reports: Vec<FileReport>,
    /// Input that could not be checked, fully or in part.
    pub problems: Vec<InputProblem>,
    /// Findings hidden because the baseline knows them.
    pub baselined: usize,
}

impl Outcome {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &Finding)> {
        self.reports
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings()
            .filter(|(_, f)| f.severity == severity)
            .count()
    }

    pub fn total(&self) -> usize {
        self.reports.iter().map(|r| r.findings.len()).sum()
    }
}

/// Printing options that only human output uses.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// Writes an error that stopped the run (a bad pack, config or argument).
pub fn write_error(
    error: &dyn miette::Diagnostic,
    style: Style,
    err: &mut dyn Write,
) -> io::Result<()> {
    let mut rendered = String::new();
    human::handler(style)
        .render_report(&mut rendered, error)
        .map_err(|e| io::Error::other(e.to_string()))?;
    err.write_all(rendered.as_bytes())
}

/// Writes findings (to `out`) and input problems (to `err`, or inside the
/// JSON document for `--format json`).
pub fn write(
    format: Format,
    outcome: &Outcome,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => {
            human::problems(outcome, style, err)?;
            human::findings(outcome, style, out)
        }
        Format::Json => json::write(outcome, out),
    }
}
