//! `--format summary`: counts per rule and per folder, for a quick look at
//! a large archive.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Outcome;
use super::sarif::file_path;
use crate::finding::Severity;

/// Rows sorted by count (descending), then name.
fn sorted<K: Ord + Clone>(map: BTreeMap<K, usize>) -> Vec<(K, usize)> {
    let mut rows: Vec<(K, usize)> = map.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

pub(super) fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: BTreeMap<(String, Severity), usize> = BTreeMap::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for (file, f) in outcome.findings() {
        *rules.entry((f.rule.clone(), f.severity)).or_default() += 1;
        let path = file_path(&file.path);
        let folder = match path.rfind('/') {
            Some(i) => &path[..i],
            None => ".",
        };
        *folders.entry(folder.to_string()).or_default() += 1;
    }
    let rules = sorted(rules);
    let folders = sorted(folders);
    let width = rules
        .iter()
        .map(|((r, _), _)| r.chars().count())
        .chain(folders.iter().map(|(f, _)| f.chars().count()))
        .chain([6])
        .max()
        .unwrap_or(6);
    writeln!(
        out,
        "{}  {}  findings",
        pad("rule", width),
        pad("severity", 8)
    )?;
    for ((rule, severity), n) in &rules {
        writeln!(
            out,
            "{}  {}  {n:>8}",
            pad(rule, width),
            pad(severity.as_str(), 8)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}  {}  findings", pad("folder", width), pad("", 8))?;
    for (folder, n) in &folders {
        writeln!(out, "{}  {}  {n:>8}", pad(folder, width), pad("", 8))?;
    }
    writeln!(out)?;
    let (errors, warnings) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
    );
    writeln!(
        out,
        "{} files checked, {} findings ({errors} errors, {warnings} warnings, {} info), {} problems, {} baselined",
        outcome.files,
        outcome.total(),
        outcome.total() - errors - warnings,
        outcome.problems.len(),
        outcome.baselined
    )
}
