//! `--format github`: GitHub Actions workflow commands, so findings appear
//! as annotations on the pull request, plus a Markdown table in
//! `$GITHUB_STEP_SUMMARY` when the runner provides one.
//!
//! Why both: a step shows only about ten annotations of each kind, so a
//! large archive needs the counts somewhere else, and the step summary is
//! where GitHub puts them.
//!
//! The command syntax leaves no room for error: `%`, CR and LF are escaped
//! in the message, and also `:` and `,` in property values (a path or a
//! rule id), or the runner splits the line in the wrong place; other
//! control and bidi characters are shown as escapes (`\u{1b}`), as in
//! human output. `col` and
//! `endColumn` are sent only for a span on one line: the runner rejects
//! them otherwise and the annotation is lost. Columns are characters and
//! `endColumn` is the column just past the span, as in SARIF.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use super::place::{self, Repository};
use super::{Outcome, Settings};
use crate::finding::Severity;
use crate::load::DocId;

/// Most bytes the step summary file may hold: GitHub drops a step's whole
/// summary when its file passes 1 MiB.
const SUMMARY_CAP: usize = 1 << 20;
const TRUNCATED: &str = "\n*(truncated: the step summary holds at most 1 MiB)*\n";

/// Escapes a command's message (see [`super::escape`]).
fn message(s: &str) -> std::borrow::Cow<'_, str> {
    super::escape::github_message(s)
}

/// Escapes a command's property value.
fn property(s: &str) -> std::borrow::Cow<'_, str> {
    super::escape::github_property(s)
}

/// The `file` property of an annotation: the file's own name (not the
/// escaped one people are shown), relative to the repository's top folder
/// as the runner expects, as a property value. A name that is not UTF-8
/// cannot be written in a workflow command exactly; its bytes that are not
/// are shown as U+FFFD.
fn annotated_file(id: &DocId, repository: Option<&Repository>) -> String {
    let (Ok(bytes) | Err(bytes)) = place::locate(id, repository);
    property(&String::from_utf8_lossy(&bytes)).into_owned()
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Writes one command per finding, then one per input problem; with
/// `step_summary` (the `GITHUB_STEP_SUMMARY` file), also appends the
/// counts table there.
pub(super) fn write(outcome: &Outcome, settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let repository = settings.repository.as_ref();
    for file in &outcome.reports {
        // A JSON-lines record is annotated on the dump: its line is already
        // the record's line in the file.
        let path = annotated_file(&file.id, repository);
        // A record with an id says which, after the rule.
        let record = file
            .id
            .key
            .as_deref()
            .map(|key| format!(" (record {key})"))
            .unwrap_or_default();
        for f in &file.findings {
            let columns = if f.end_line == f.line {
                format!(",col={},endColumn={}", f.column, f.end_column.max(f.column))
            } else {
                String::new()
            };
            writeln!(
                out,
                "::{} file={path},line={},endLine={}{columns},title={}::{}",
                command(f.severity),
                f.line,
                f.end_line.max(f.line),
                property(&format!("{}{record}", f.rule)),
                message(&f.message)
            )?;
        }
    }
    let problems = outcome.problems.iter().map(|p| (p, "error"));
    for (p, command) in problems.chain(outcome.notes.iter().map(|p| (p, "notice"))) {
        let mut props = String::new();
        if !p.id.is_empty() {
            let _ = write!(props, "file={},", annotated_file(&p.id, repository));
        }
        if let Some(line) = p.id.record {
            let _ = write!(props, "line={line},");
        }
        writeln!(
            out,
            "::{command} {props}title=clearance::{}",
            message(&p.message)
        )?;
    }
    if let Some(path) = &settings.step_summary {
        append_summary(outcome, path)?;
    }
    Ok(())
}

/// `1 error`, `2 errors`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The step summary: findings per rule, as a Markdown table, then totals.
/// Rule ids are `[a-z0-9_-]` and `/` (the pack compiler checks them), so
/// they need no Markdown escaping inside backticks.
fn summary_markdown(outcome: &Outcome) -> String {
    let mut per_rule: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for (_, f) in outcome.findings() {
        *per_rule.entry((f.rule.as_str(), f.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = per_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut md = String::from("### Clearance\n\n");
    if rows.is_empty() {
        let _ = writeln!(md, "No findings in {}.", counted(outcome.files, "file"));
    } else {
        md.push_str("| rule | severity | findings |\n|---|---|---:|\n");
        for ((rule, severity), n) in &rows {
            let _ = writeln!(md, "| `{rule}` | {severity} | {n} |");
        }
        let _ = writeln!(
            md,
            "\n**{}** in {} of {}: {}, {}, {} info.",
            counted(outcome.total(), "finding"),
            outcome.reports.len(),
            counted(outcome.files, "file"),
            counted(outcome.count(Severity::Error), "error"),
            counted(outcome.count(Severity::Warning), "warning"),
            outcome.count(Severity::Info),
        );
    }
    if outcome.baselined > 0 {
        let _ = writeln!(
            md,
            "\n{} hidden by the baseline.",
            counted(outcome.baselined, "finding")
        );
    }
    if !outcome.problems.is_empty() {
        let _ = writeln!(
            md,
            "\n{} could not be checked (see the annotations).",
            counted(outcome.problems.len(), "input")
        );
    }
    if !outcome.notes.is_empty() {
        let _ = writeln!(
            md,
            "\n{} (see the annotations).",
            counted(outcome.notes.len(), "note")
        );
    }
    md
}

/// `md`, cut at a line end so that it fits in `room` bytes with the
/// truncation note; empty when not even the note fits.
fn fit(md: String, room: usize) -> String {
    if md.len() <= room {
        return md;
    }
    let Some(mut cut) = room.checked_sub(TRUNCATED.len()) else {
        return String::new();
    };
    while !md.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = md[..cut].rfind('\n').map_or(0, |i| i + 1);
    let mut kept = md;
    kept.truncate(cut);
    kept.push_str(TRUNCATED);
    kept
}

/// Appends the summary, within what the 1 MiB file still has room for
/// (other steps' tools may have written to it first).
fn append_summary(outcome: &Outcome, path: &Path) -> io::Result<()> {
    let used = std::fs::metadata(path).map_or(0, |m| m.len());
    let room = SUMMARY_CAP.saturating_sub(usize::try_from(used).unwrap_or(usize::MAX));
    let md = fit(summary_markdown(outcome), room);
    if md.is_empty() {
        return Ok(());
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
    use crate::report::sarif::fixture;

    fn settings(summary: Option<&Path>) -> Settings {
        Settings {
            step_summary: summary.map(Path::to_path_buf),
            ..Settings::plain(100)
        }
    }

    fn lines(outcome: &Outcome, summary: Option<&Path>) -> Vec<String> {
        let mut out = Vec::new();
        write(outcome, &settings(summary), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn one_command_per_finding_and_problem() {
        let mut outcome = fixture::outcome();
        // Property values escape `:` and `,` as well.
        outcome.reports[1].id = DocId::file("news/he, 1:2.txt");
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.md");
        std::fs::write(&summary, "earlier step\n").unwrap();
        assert_eq!(
            lines(&outcome, Some(&summary)),
            [
                "::error file=dump.jsonl,line=3,endLine=3,col=1,endColumn=1,title=il-27a/notice-missing::no section 27A notice",
                "::error file=news/he%2C 1%3A2.txt,line=2,endLine=2,col=5,endColumn=15,title=il-27a/section-malformed::cites «27(א)»: 100%25, see%0Abelow",
                "::notice file=news/he%2C 1%3A2.txt,line=2,endLine=3,title=house/credit-split::credit split across lines",
                "::warning file=أخبار/ar 1256.txt,line=2,endLine=2,col=19,endColumn=23,title=il-27a/year-malformed::year 2008 is not the Act's year",
                "::error file=dump.jsonl,line=4,title=clearance::invalid JSON record: expected value, column 1; skipped",
                "::error file=news/bad.md,title=clearance::binary file; skipped",
            ]
        );
        assert_eq!(
            std::fs::read_to_string(&summary).unwrap(),
            "earlier step\n\
             ### Clearance\n\
             \n\
             | rule | severity | findings |\n\
             |---|---|---:|\n\
             | `house/credit-split` | info | 1 |\n\
             | `il-27a/notice-missing` | error | 1 |\n\
             | `il-27a/section-malformed` | error | 1 |\n\
             | `il-27a/year-malformed` | warning | 1 |\n\
             \n\
             **4 findings** in 3 of 5 files: 2 errors, 1 warning, 1 info.\n\
             \n\
             2 inputs could not be checked (see the annotations).\n"
        );
    }

    #[test]
    fn messages_and_properties_escape_what_the_runner_splits_on() {
        assert_eq!(message("a%b\r\nc: d, e"), "a%25b%0D%0Ac: d, e");
        assert_eq!(property("a%b\r\nc: d, e"), "a%25b%0D%0Ac%3A d%2C e");
    }

    #[test]
    fn a_problem_without_a_path_has_no_file() {
        let outcome = Outcome {
            problems: vec![crate::load::InputProblem {
                id: DocId::default(),
                message: "cannot walk".to_string(),
                span: None,
                source: None,
            }],
            ..Outcome::default()
        };
        assert_eq!(
            lines(&outcome, None),
            ["::error title=clearance::cannot walk"]
        );
    }

    #[test]
    fn a_clean_run_says_so_in_the_summary() {
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.md");
        let outcome = Outcome {
            files: 1,
            baselined: 2,
            ..Outcome::default()
        };
        assert!(lines(&outcome, Some(&summary)).is_empty());
        assert_eq!(
            std::fs::read_to_string(&summary).unwrap(),
            "### Clearance\n\nNo findings in 1 file.\n\n2 findings hidden by the baseline.\n"
        );
    }

    #[test]
    fn the_summary_stays_under_the_cap() {
        let md = format!("### Clearance\n\n{}", "| `x/y` | 1 |\n".repeat(10));
        assert_eq!(fit(md.clone(), md.len()), md);
        let room = TRUNCATED.len() + 20;
        let cut = fit(md.clone(), room);
        assert!(cut.len() <= room);
        assert_eq!(cut, format!("### Clearance\n\n{TRUNCATED}"));
        assert_eq!(fit(md, 3), "");
        // Multi-byte text is never cut inside a character.
        let arabic = format!("{}\n", "عربي".repeat(40));
        assert_eq!(fit(arabic.clone(), TRUNCATED.len() + 7), TRUNCATED);

        // A file another step nearly filled gets nothing more.
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.md");
        std::fs::write(&summary, vec![b'x'; SUMMARY_CAP - 10]).unwrap();
        write(
            &fixture::outcome(),
            &settings(Some(&summary)),
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(
            std::fs::metadata(&summary).unwrap().len(),
            u64::try_from(SUMMARY_CAP - 10).unwrap()
        );
    }
}
