//! `--format summary`: counts per rule and per folder, for a quick look at
//! a large archive where a finding-by-finding listing would scroll past.
//!
//! Two tables, each sorted by count (descending) then name, a third of the
//! largest finding groups (see `groups`), then one totals line. Columns are padded by character count, not bytes, so a folder
//! named in Arabic or Hebrew lines up with ASCII ones in a terminal. Article
//! text appears only at the end of a group's line, where a right-to-left
//! run cannot reorder the columns; control and bidi characters in paths
//! and text are shown as escapes (see `escape`). Input problems are not listed:
//! `check` prints them to standard error as it does for human output.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Outcome, escape};
use crate::finding::Severity;

/// Rows sorted by count (descending), then name.
fn sorted<K: Ord>(map: BTreeMap<K, usize>) -> Vec<(K, usize)> {
    let mut rows: Vec<(K, usize)> = map.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// `s` followed by spaces up to `width` characters.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// The folder a file is in: `news/a.txt` → `news`, `a.txt` → `.` (the HTML
/// report counts folders the same way).
pub(super) fn folder(path: &str) -> &str {
    let sep = |c: char| c == '/' || (std::path::MAIN_SEPARATOR == '\\' && c == '\\');
    match path.rfind(sep) {
        Some(0) => &path[..1],
        Some(i) => &path[..i],
        None => ".",
    }
}

/// How many groups the summary lists.
const TOP_GROUPS: usize = 10;
/// How much of a group's text the summary shows.
const TEXT_CHARS: usize = 60;

/// The largest finding groups: the same text reported again and again,
/// most often a template to fix once. The text comes last on its line, so
/// a right-to-left run cannot move the columns before it.
fn repeated(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let groups = super::groups::groups(outcome);
    if groups.is_empty() {
        return Ok(());
    }
    let shown = &groups[..groups.len().min(TOP_GROUPS)];
    let rule = shown
        .iter()
        .map(|g| escape::text(g.rule).chars().count())
        .chain(["rule".len()])
        .max()
        .unwrap_or(0);
    let count = shown[0].count.to_string().len().max("repeated".len());
    let files = shown
        .iter()
        .map(|g| g.files.to_string().len())
        .chain(["files".len()])
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "{:>count$}  {:>files$}  {}  text",
        "repeated",
        "files",
        pad("rule", rule)
    )?;
    for g in shown {
        let text = if g.text.is_empty() {
            "(absent)".to_string()
        } else {
            let one_line: String = g.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut cut: String = one_line.chars().take(TEXT_CHARS).collect();
            if cut.len() < one_line.len() {
                cut = format!("{}…", cut.trim_end());
            }
            format!("«{}»", escape::text(&cut))
        };
        writeln!(
            out,
            "{:>count$}  {:>files$}  {}  {text}",
            g.count,
            g.files,
            pad(&escape::text(g.rule), rule)
        )?;
    }
    if groups.len() > shown.len() {
        writeln!(
            out,
            "… and {} more groups (all in --format json)",
            groups.len() - shown.len()
        )?;
    }
    writeln!(out)
}

pub(super) fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    // Paths and rule ids are shown escaped (see `escape`), and padded by
    // what is shown.
    let mut rules: BTreeMap<(Cow<str>, Severity), usize> = BTreeMap::new();
    let mut folders: BTreeMap<Cow<str>, usize> = BTreeMap::new();
    for (file, f) in outcome.findings() {
        *rules
            .entry((escape::text(&f.rule), f.severity))
            .or_default() += 1;
        *folders
            .entry(escape::text(folder(&file.id.file)))
            .or_default() += 1;
    }
    if !rules.is_empty() {
        let rules = sorted(rules);
        let folders = sorted(folders);
        const SEVERITY: usize = "severity".len();
        let name = rules
            .iter()
            .map(|((r, _), _)| r.chars().count())
            .chain(folders.iter().map(|(f, _)| f.chars().count()))
            .chain(["folder".len()])
            .max()
            .unwrap_or(0);
        let count = outcome.total().to_string().len().max("findings".len());
        writeln!(
            out,
            "{}  {}  {:>count$}",
            pad("rule", name),
            pad("severity", SEVERITY),
            "findings"
        )?;
        for ((rule, severity), n) in &rules {
            writeln!(
                out,
                "{}  {}  {n:>count$}",
                pad(rule, name),
                pad(severity.as_str(), SEVERITY)
            )?;
        }
        writeln!(out)?;
        let blank = pad("", SEVERITY);
        writeln!(
            out,
            "{}  {blank}  {:>count$}",
            pad("folder", name),
            "findings"
        )?;
        for (folder, n) in &folders {
            writeln!(out, "{}  {blank}  {n:>count$}", pad(folder, name))?;
        }
        writeln!(out)?;
        repeated(outcome, out)?;
    }
    let (errors, warnings, infos) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
    );
    let counted =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if let Some(c) = &outcome.comparison {
        writeln!(
            out,
            "compared with {}: {} new, {} fixed, {} unchanged",
            escape::text(&c.against),
            c.new_count(),
            c.fixed.len(),
            c.unchanged()
        )?;
    }
    write!(
        out,
        "{} checked, {} ({}, {}, {infos} info), {}, {} baselined",
        counted(outcome.files, "file", "files"),
        counted(outcome.total(), "finding", "findings"),
        counted(errors, "error", "errors"),
        counted(warnings, "warning", "warnings"),
        counted(outcome.problems.len(), "problem", "problems"),
        outcome.baselined
    )?;
    let dropped = outcome.dropped_total();
    if dropped > 0 {
        write!(
            out,
            ", {dropped} more not shown (at most {} per rule in one document)",
            crate::matcher::MAX_FINDINGS_PER_RULE
        )?;
    }
    if !outcome.notes.is_empty() {
        write!(out, ", {} notes", outcome.notes.len())?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    fn text(outcome: &Outcome) -> String {
        let mut out = Vec::new();
        write(outcome, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_per_rule_and_folder_then_totals() {
        let mut outcome = fixture::outcome();
        outcome.baselined = 3;
        // Padding counts characters: `أخبار` is 5 wide but 10 bytes.
        assert_eq!(
            text(&outcome),
            "\
rule                      severity  findings
house/credit-split        info             1
il-27a/notice-missing     error            1
il-27a/section-malformed  error            1
il-27a/year-malformed     warning          1

folder                              findings
news                                       2
.                                          1
أخبار                                      1

5 files checked, 4 findings (2 errors, 1 warning, 1 info), 2 problems, 3 baselined
"
        );
    }

    #[test]
    fn counts_sort_before_names() {
        let mut outcome = fixture::outcome();
        let extra = outcome.reports[2].findings[0].clone();
        outcome.reports[2].findings.push(extra.clone());
        outcome.reports[2].findings.push(extra);
        let out = text(&outcome);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[1].starts_with("il-27a/year-malformed     warning          3"),
            "{out}"
        );
        assert!(lines[7].starts_with("أخبار "), "{out}");
        assert!(lines[7].ends_with(" 3"), "{out}");
    }

    #[test]
    fn one_of_each_is_singular() {
        let mut outcome = fixture::outcome();
        outcome.files = 1;
        outcome.reports.truncate(1);
        outcome.reports[0].findings.truncate(1);
        outcome.problems.truncate(1);
        outcome.baselined = 1;
        let out = text(&outcome);
        let last = out.lines().last().unwrap_or_default();
        assert!(last.starts_with("1 file checked, 1 finding ("), "{out}");
        assert!(last.ends_with(", 1 problem, 1 baselined"), "{out}");
    }

    #[test]
    fn a_clean_run_is_one_line() {
        let outcome = Outcome {
            files: 12,
            ..Outcome::default()
        };
        assert_eq!(
            text(&outcome),
            "12 files checked, 0 findings (0 errors, 0 warnings, 0 info), 0 problems, 0 baselined\n"
        );
    }

    #[test]
    fn folders_of_paths() {
        assert_eq!(folder("news/2024/a.txt"), "news/2024");
        assert_eq!(folder("a.txt"), ".");
        assert_eq!(folder("dump.jsonl:12"), ".");
        assert_eq!(folder("archive/dump.jsonl:3"), "archive");
        assert_eq!(folder("/a.txt"), "/");
    }

    /// The same text reported in several documents is one line of the
    /// "repeated" table, with its count and documents; Arabic text comes
    /// last on the line, escaped, shortened to 60 characters.
    #[test]
    fn repeated_text_is_one_line_with_its_count() {
        let mut outcome = fixture::outcome();
        let mut copy = outcome.reports[1].clone();
        copy.id = crate::load::DocId::file("news/he-2.txt");
        outcome.reports.push(copy);
        let mut arabic = outcome.reports[2].clone();
        arabic.id = crate::load::DocId::file("news/ar-2.txt");
        arabic.findings[0].matched = format!("{}\u{202e}", "نص ".repeat(30));
        outcome.reports[2].findings[0].matched = arabic.findings[0].matched.clone();
        outcome.reports.push(arabic);
        let text = text(&outcome);
        let table: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("repeated"))
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(table[0], "repeated  files  rule                      text");
        assert_eq!(table.len(), 4, "{text}");
        assert!(
            table.contains(&"       2      2  il-27a/section-malformed  «סעיף 27(א)»"),
            "{text}"
        );
        let shortened = format!("«{}…»", "نص ".repeat(20).trim_end());
        assert!(table.iter().any(|l| l.ends_with(&shortened)), "{text}");
        assert!(!text.contains('\u{202e}'));
    }
}
