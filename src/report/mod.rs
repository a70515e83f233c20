//! Printers. Each takes the finished [`Outcome`] and a writer; none decides
//! anything about exit codes or what to check.

pub mod compare;
mod csv;
pub(crate) mod escape;
mod github;
pub mod groups;
mod html;
mod human;
mod json;
pub mod jsonl;
mod junit;
pub mod place;
mod sarif;
mod summary;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::cli::Format;
use crate::doc_id::DocId;
use crate::finding::{Finding, Severity};
use crate::load::InputProblem;

/// Findings of one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub id: DocId,
    /// The text the spans refer to (decoded); kept only for human output,
    /// empty otherwise (findings carry their own positions).
    pub source: String,
    /// Lines of the file before `source`.
    pub line_base: usize,
    pub findings: Vec<Finding>,
    /// The site the document was published on ([`crate::load::Document::site`]).
    pub site: Option<String>,
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
    /// Things worth knowing that do not fail the run: parts of a page that
    /// were not read (its metadata), or a document checked only in part.
    pub notes: Vec<InputProblem>,
    /// Findings hidden because the baseline knows them.
    pub baselined: usize,
    /// Findings counted but not reported, beyond
    /// [`crate::matcher::MAX_FINDINGS_PER_RULE`] of one rule in one document.
    pub dropped: Vec<Dropped>,
    /// Documents checked without findings, when the collector was asked to
    /// keep them ([`Collect::keeping_clean`]: JUnit lists them as passing).
    pub clean: Vec<DocId>,
    /// What changed since an earlier report (`--compare`).
    pub comparison: Option<compare::Comparison>,
    /// Files found in folders whose type is not read, per type (`.pdf`).
    pub skipped: std::collections::BTreeMap<String, usize>,
}

/// How many findings of one rule in one document were not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub id: DocId,
    pub rule: String,
    pub count: usize,
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

    /// Findings counted but not reported.
    pub fn dropped_total(&self) -> usize {
        self.dropped.iter().map(|d| d.count).sum()
    }

    /// Why nothing was checked, when nothing was: the types the folders
    /// held instead (`2 files skipped (.warc.gz: 1, .pdf: 1)`), and the
    /// types Clearance reads.
    pub fn nothing_checked(&self) -> Option<String> {
        nothing_checked(self.files, self.problems.len(), &self.skipped)
    }
}

/// Why nothing was checked, when `files` documents were checked and
/// `problems` found: the types `skipped` counts, and the types Clearance
/// reads. `None` when something was checked or found unreadable.
pub fn nothing_checked(
    files: usize,
    problems: usize,
    skipped: &std::collections::BTreeMap<String, usize>,
) -> Option<String> {
    if files > 0 || problems > 0 {
        return None;
    }
    let readable = crate::load::extension_list();
    let total: usize = skipped.values().sum();
    if total == 0 {
        return Some(format!(
            "Nothing was checked: no file under the given paths is one Clearance reads ({readable})"
        ));
    }
    let mut types: Vec<(&String, &usize)> = skipped.iter().collect();
    types.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let listed: Vec<String> = types
        .iter()
        .take(8)
        .map(|(t, n)| format!("{}: {n}", escape::text(t)))
        .collect();
    let more = if types.len() > 8 { ", …" } else { "" };
    Some(format!(
        "Nothing was checked: {total} {} skipped, of types Clearance does not read ({}{more}); \
         it reads {readable}",
        if total == 1 { "file" } else { "files" },
        listed.join(", "),
    ))
}

/// Where a scan's results go, as each document is checked. The scan's
/// workers call it concurrently and in no particular order; a printer that
/// needs them all, sorted, collects them first ([`Collect`]), and one that
/// streams can write each as it comes.
pub trait Report: Sync {
    /// A document was checked (its findings may be none).
    fn document(&self, checked: Checked);
    /// Input that could not be checked at all: a file, a record, a folder.
    fn problem(&self, problem: InputProblem);
    /// A file found in a folder whose type Clearance does not read (named
    /// by [`crate::discover::type_name`]).
    fn skipped(&self, _type_name: String) {}
    /// `count` records of a dump held no article (the field that holds it
    /// is misnamed); `problem` says so for the whole dump.
    fn unchecked_records(&self, problem: InputProblem, _count: usize) {
        self.problem(problem);
    }
    /// Every document read so far has been handed on, and the next may be
    /// a while (a stream waiting for its input): a report that writes as it
    /// goes makes what it wrote visible now.
    fn idle(&self) {}
}

/// One checked document.
#[derive(Debug)]
pub struct Checked {
    pub id: DocId,
    /// The text the findings' spans refer to, when the scan keeps it (for
    /// human output) and there are findings; empty otherwise.
    pub source: String,
    /// Lines of the file before `source`.
    pub line_base: usize,
    /// The site the document was published on, when its address is known.
    pub site: Option<String>,
    /// Problems with parts of the document that did not stop its check.
    pub problems: Vec<InputProblem>,
    pub report: crate::check::DocumentReport,
}

/// Collects every document into an [`Outcome`], sorted by document when
/// finished: what the printers read.
#[derive(Debug, Default)]
pub struct Collect {
    outcome: std::sync::Mutex<Outcome>,
    keep_clean: bool,
}

impl Report for Collect {
    fn document(&self, checked: Checked) {
        let mut all = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        let report = checked.report;
        all.files += 1;
        all.baselined += report.baselined;
        all.dropped
            .extend(report.dropped.into_iter().map(|(rule, count)| Dropped {
                id: checked.id.clone(),
                rule,
                count,
            }));
        all.problems.extend(checked.problems);
        all.notes.extend(report.notes);
        if !report.findings.is_empty() {
            all.reports.push(FileReport {
                id: checked.id,
                source: checked.source,
                line_base: checked.line_base,
                findings: report.findings,
                site: checked.site,
            });
        } else if self.keep_clean {
            all.clean.push(checked.id);
        }
    }

    fn problem(&self, problem: InputProblem) {
        self.outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .problems
            .push(problem);
    }

    fn skipped(&self, type_name: String) {
        *self
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .skipped
            .entry(type_name)
            .or_default() += 1;
    }
}

impl Collect {
    /// A collector that also keeps the names of documents without findings.
    pub fn keeping_clean() -> Collect {
        Collect {
            keep_clean: true,
            ..Collect::default()
        }
    }

    /// Everything collected, sorted by document (then problems by message
    /// and place, dropped counts by rule), so the report is the same
    /// whatever order the workers finished in.
    pub fn finish(self) -> Outcome {
        let mut outcome = self.outcome.into_inner().unwrap_or_else(|e| e.into_inner());
        outcome.reports.sort_by(|a, b| a.id.cmp(&b.id));
        outcome.clean.sort();
        outcome
            .dropped
            .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.rule.cmp(&b.rule)));
        let by_place = |a: &InputProblem, b: &InputProblem| {
            let span = |p: &InputProblem| p.span.as_ref().map(|s| (s.start, s.end));
            a.id.cmp(&b.id)
                .then_with(|| a.message.cmp(&b.message))
                .then_with(|| span(a).cmp(&span(b)))
        };
        outcome.problems.sort_by(by_place);
        outcome.notes.sort_by(by_place);
        outcome
    }
}

/// What printers need to know about a rule (SARIF lists them).
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    /// The message with placeholders elided.
    pub title: String,
    pub help: Option<String>,
    /// Whether a built-in pack has the rule (its documentation has an
    /// address).
    pub builtin: bool,
}

impl RuleInfo {
    pub fn of(rule: &crate::pack::Rule) -> RuleInfo {
        // The message with each placeholder shown as «…» and `{{`/`}}` as
        // the brace they stand for, read by the parser packs were checked
        // with when they loaded.
        let title = match crate::pack::placeholder::parts(&rule.message) {
            Ok(parts) => parts
                .into_iter()
                .map(|part| match part {
                    crate::pack::placeholder::Part::Text(t) => t,
                    crate::pack::placeholder::Part::Placeholder(_) => "…",
                })
                .collect(),
            Err(_) => rule.message.clone(),
        };
        RuleInfo {
            id: rule.id.clone(),
            severity: rule.severity,
            title,
            help: rule.help.clone(),
            builtin: crate::pack::builtin_names().any(|name| name == rule.pack()),
        }
    }
}

/// Printing options that only human output uses.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// What printers are told besides the outcome. The caller reads it from
/// the command line and the environment; printers read neither.
#[derive(Clone, Debug)]
pub struct Settings {
    pub style: Style,
    /// The repository the check ran in: SARIF and GitHub annotations name
    /// files relative to its top folder. `None`: as the paths were given.
    pub repository: Option<place::Repository>,
    /// SARIF's run category (`automationDetails.id`).
    pub sarif_category: String,
    /// The file GitHub Actions shows as the step's summary
    /// (`GITHUB_STEP_SUMMARY`), where `--format github` adds its table.
    pub step_summary: Option<PathBuf>,
    /// The lowest severity that fails the run (`--fail-on`); JUnit makes
    /// those findings failures. `None`: nothing fails.
    pub fail_on: Option<Severity>,
}

impl Settings {
    /// Plain settings: no colour, paths as given, the default category.
    pub fn plain(width: usize) -> Settings {
        Settings {
            style: Style {
                color: false,
                width,
            },
            repository: None,
            sarif_category: DEFAULT_SARIF_CATEGORY.to_string(),
            step_summary: None,
            fail_on: Some(Severity::Error),
        }
    }
}

/// The SARIF run category when `--sarif-category` is not given.
pub const DEFAULT_SARIF_CATEGORY: &str = "clearance";

/// The project's public address, when the build knows it: set
/// `CLEARANCE_REPOSITORY` when building (the GitHub Action sets it to the
/// repository it runs from), or `repository` in Cargo.toml.
pub fn information_uri() -> Option<&'static str> {
    option_env!("CLEARANCE_REPOSITORY")
        .filter(|uri| !uri.is_empty())
        .or(Some(env!("CARGO_PKG_REPOSITORY")).filter(|uri| !uri.is_empty()))
}

/// Writes an error that stopped the run (a bad pack, config or argument),
/// with the text in it escaped as in human output.
pub fn write_error(
    error: &dyn miette::Diagnostic,
    style: Style,
    err: &mut dyn Write,
) -> io::Result<()> {
    let mut rendered = String::new();
    human::handler(style)
        .render_report(&mut rendered, &human::Clean::of(error))
        .map_err(|e| io::Error::other(e.to_string()))?;
    err.write_all(rendered.as_bytes())
}

/// Writes findings (to `out`) and input problems (to `err`, or inside the
/// JSON document for `--format json`).
pub fn write(
    format: Format,
    outcome: &Outcome,
    rules: &[RuleInfo],
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let style = settings.style;
    match format {
        Format::Human => {
            human::problems(outcome, style, err)?;
            human::findings(outcome, style, out)
        }
        Format::Json => json::write(outcome, out),
        Format::Sarif => sarif::write(outcome, rules, settings, out),
        Format::Github => github::write(outcome, settings, out),
        Format::Summary => {
            human::problems(outcome, style, err)?;
            summary::write(outcome, out)
        }
        Format::Csv => {
            human::problems(outcome, style, err)?;
            csv::write(outcome, out)
        }
        Format::Junit => junit::write(outcome, settings, out),
        Format::Html => {
            human::problems(outcome, style, err)?;
            html::write(outcome, out)
        }
        Format::Jsonl => jsonl::write(outcome, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule's title (SARIF's short description) shows placeholders as
    /// «…» and an escaped brace as the brace, as messages print them.
    #[test]
    fn a_rules_title_reads_escaped_braces_as_braces() {
        let yaml = "pack: p\nrules:\n  - id: r\n    severity: info\n    message: \"the {{house}} style forbids «{match}» here\"\n    forbid: { phrases: [read more] }\n";
        let pack = crate::Pack::from_yaml("p.yaml", yaml).expect("loads");
        let info = RuleInfo::of(&pack.rules[0]);
        assert_eq!(info.title, "the {house} style forbids «…» here");
    }
}
