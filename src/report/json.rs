//! `--format json`: one versioned object. Field names and order are a
//! stable interface; add fields, never rename or remove them.

use serde::Serialize;
use std::io::{self, Write};

use super::Outcome;
use crate::doc_id::DocId;
use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    problems: Vec<Problem<'a>>,
    /// Only when there are some: parts of the input not read, which do not
    /// fail the run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Problem<'a>>,
    /// Only when some findings were not reported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dropped: Vec<Dropped<'a>>,
    /// Only when some findings repeat: findings of one rule whose matched
    /// text folds to the same string, largest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    groups: Vec<Group<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Group<'a> {
    rule: &'a str,
    severity: Severity,
    /// The first finding's matched text.
    text: &'a str,
    count: usize,
    /// Documents (a JSON-lines record is one).
    files: usize,
    /// The first places (at most five).
    examples: Vec<Place>,
}

#[derive(Serialize)]
struct Place {
    path: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Dropped<'a> {
    path: String,
    rule: &'a str,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    path: String,
    /// The path's bytes, when `path` had to escape them (see `load::display_path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<Vec<u8>>,
    line: usize,
    column: usize,
    span: Span,
    message: &'a str,
    /// The baseline's fingerprint (rule, document, matched text): what
    /// `--compare` matches an earlier report's findings by.
    fingerprint: String,
    /// Only in a JSON-lines record: which record, and which of its fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<Record<'a>>,
    /// Only in a JSON-lines record: the finding's place in its field's own
    /// text, the same wherever the record sits in a dump or shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    field_span: Option<FieldSpan>,
}

impl<'a> JsonFinding<'a> {
    pub(super) fn of(id: &'a DocId, f: &'a Finding) -> JsonFinding<'a> {
        JsonFinding {
            rule: &f.rule,
            severity: f.severity,
            path: id.to_string(),
            path_bytes: path_bytes(id),
            line: f.line,
            column: f.column,
            // Spans index the decoded text; reports promise file bytes.
            span: Span {
                start: f.file_span.start,
                end: f.file_span.end,
            },
            message: &f.message,
            fingerprint: crate::suppress::fingerprint_of(id, f),
            record: Record::of(id, Some(f)),
            field_span: FieldSpan::of(f),
        }
    }
}

/// A JSON-lines record: the dump (or `<stdin>`), its id when it has one,
/// the line it starts on, and the field a finding is in.
#[derive(Serialize)]
pub(super) struct Record<'a> {
    pub(super) path: &'a str,
    pub(super) id: Option<&'a str>,
    pub(super) line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) field: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// The record `id` names, when it is one; `f` gives its field.
    pub(super) fn of(id: &'a DocId, f: Option<&'a Finding>) -> Option<Record<'a>> {
        id.record?;
        Some(Record {
            path: &id.file,
            id: id.key.as_deref(),
            line: id.record,
            field: f.and_then(|f| f.field.as_deref()).map(|p| p.field.as_str()),
        })
    }
}

/// Bytes of a field's unescaped text, and the line and column of the start.
#[derive(Serialize)]
pub(super) struct FieldSpan {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
}

impl FieldSpan {
    pub(super) fn of(f: &Finding) -> Option<FieldSpan> {
        f.field.as_deref().map(|p| FieldSpan {
            start: p.span.start,
            end: p.span.end,
            line: p.line,
            column: p.column,
        })
    }
}

#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
pub(super) struct Problem<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<Vec<u8>>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<Span>,
    /// Only for a JSON-lines record that could not be read: which.
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<Record<'a>>,
}

impl<'a> Problem<'a> {
    pub(super) fn of(p: &'a crate::load::InputProblem) -> Problem<'a> {
        Problem {
            path: p.id.to_string(),
            path_bytes: path_bytes(&p.id),
            message: &p.message,
            span: p.span.as_ref().map(|s| Span {
                start: s.start,
                end: s.end,
            }),
            record: Record::of(&p.id, None),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    /// Findings hidden by `--baseline`.
    baselined: usize,
    /// Findings not reported (over the limit per rule and document).
    #[serde(skip_serializing_if = "is_zero")]
    dropped: usize,
    /// Notes (see `notes`), when there are some.
    #[serde(skip_serializing_if = "is_zero")]
    notes: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(super) fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: 1,
        findings: outcome
            .findings()
            .map(|(file, f)| JsonFinding::of(&file.id, f))
            .collect(),
        problems: outcome.problems.iter().map(Problem::of).collect(),
        notes: outcome.notes.iter().map(Problem::of).collect(),
        dropped: outcome
            .dropped
            .iter()
            .map(|d| Dropped {
                path: d.id.to_string(),
                rule: &d.rule,
                count: d.count,
            })
            .collect(),
        groups: super::groups::groups(outcome)
            .into_iter()
            .map(|g| Group {
                rule: g.rule,
                severity: g.severity,
                text: g.text,
                count: g.count,
                files: g.files,
                examples: g
                    .examples
                    .into_iter()
                    .map(|(id, line, column)| Place {
                        path: id.to_string(),
                        line,
                        column,
                    })
                    .collect(),
            })
            .collect(),
        summary: Summary {
            files: outcome.files,
            findings: outcome.total(),
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            baselined: outcome.baselined,
            dropped: outcome.dropped_total(),
            notes: outcome.notes.len(),
        },
    };
    super::escape::write_json(&mut *out, &doc, false)?;
    writeln!(out)
}

/// The bytes the shown `path` stands for, when it had to be escaped.
pub(super) fn path_bytes(id: &DocId) -> Option<Vec<u8>> {
    let mut bytes = id.file_bytes()?;
    if let Some(line) = id.record {
        bytes.extend_from_slice(format!(":{line}").as_bytes());
    }
    Some(bytes)
}
