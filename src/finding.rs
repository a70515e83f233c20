//! Findings are plain data: what rule fired, where, and why.
//!
//! Printers in `report` only format these; nothing here knows about output.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

use crate::load::decode::Origin;
use crate::source::LineIndex;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reported problem in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Full rule id, `pack/rule`.
    pub rule: String,
    pub severity: Severity,
    /// Byte range in the document's source text (the file as read).
    pub span: Range<usize>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters (Unicode scalar values).
    pub column: usize,
    /// The rule's message with captures filled in.
    pub message: String,
    /// Short label for the span: the quoted text found, or what is missing.
    pub label: String,
    /// The rule's help text.
    pub help: Option<String>,
    /// 1-based line and character column of `span.end`.
    pub end_line: usize,
    pub end_column: usize,
    /// `span` as a byte range of the file on disk (they differ for legacy
    /// encodings and JSON-lines records).
    pub file_span: Range<usize>,
    /// The text at `span` (empty for something missing).
    pub matched: String,
    /// In a JSON-lines record: the field the finding is in, and where in
    /// that field's own text (so the same record gives the same place in
    /// whichever dump or shard it sits).
    pub field: Option<Box<FieldPlace>>,
    /// The capture an `expect` check found wrong (the «27» of a notice
    /// that must cite 27A), in the document's text: what a `replace` fix
    /// rewrites.
    pub wrong: Option<Range<usize>>,
    /// The fingerprint an earlier report gave it (`clearance merge` reads
    /// findings back without their text); `None`: made from `matched`.
    pub fingerprint: Option<String>,
}

/// Where a finding stands in one field of a JSON-lines record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPlace {
    /// The field's name in the record (`text`, `html`, `title`…).
    pub field: String,
    /// Byte range in the field's text (its JSON string unescaped).
    pub span: Range<usize>,
    /// 1-based line and character column of `span.start` in that text.
    pub line: usize,
    pub column: usize,
}

impl Finding {
    /// A finding at `span` of the document's text; [`Finding::locate`] fills
    /// in the positions.
    pub fn new(
        rule: &str,
        severity: Severity,
        span: Range<usize>,
        message: String,
        label: String,
        help: Option<String>,
    ) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity,
            span,
            line: 0,
            column: 0,
            message,
            label,
            help,
            end_line: 0,
            end_column: 0,
            file_span: 0..0,
            matched: String::new(),
            field: None,
            wrong: None,
            fingerprint: None,
        }
    }

    /// Fills line, column, end, file bytes and matched text from the text
    /// the span points into. Every printer reads these, so reports need not
    /// keep the text itself.
    pub fn locate(&mut self, source: &str, lines: &LineIndex, origin: &Origin, line_base: usize) {
        let (line, column) = lines.line_col(source, self.span.start);
        let (end_line, end_column) = lines.line_col(source, self.span.end);
        self.line = line + line_base;
        self.column = column;
        self.end_line = end_line + line_base;
        self.end_column = end_column;
        self.file_span = origin.range(source, &self.span);
        self.matched = source
            .get(self.span.clone())
            .unwrap_or_default()
            .to_string();
    }
}
