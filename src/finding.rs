//! Findings are plain data: what rule fired, where, and why.
//!
//! Printers in `report` only format these; nothing here knows about output.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

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
}
