//! `--format jsonl`: one JSON object per line, written as each document is
//! checked, for consumers that stream (a pipeline stage, a shard worker).
//!
//! Each line has a `type`:
//! - `finding`: the fields of a JSON report's finding, and `end_line` and
//!   `end_column`;
//! - `record`: one per document checked (a file, or a JSON-lines record),
//!   after its findings, with how many it had (also 0);
//! - `problem` and `note`: as in a JSON report; `dropped`: findings of one
//!   rule over the limit in one document;
//! - `summary`: the last line: records read, checked, skipped and failed,
//!   findings by severity, and `interrupted` when the check was stopped
//!   (SIGTERM) before its input ended.
//!
//! Nothing is held: memory stays flat however long the input. A JSON-lines
//! input's records come out in its order (the scan puts them back in order
//! in a bounded window); files of a folder as they finish. A write that
//! fails (a reader that went away) stops the scan.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::json::{JsonFinding, Problem, Record, path_bytes};
use super::{Checked, Report};
use crate::doc_id::DocId;
use crate::finding::{Finding, Severity};
use crate::load::InputProblem;

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Finding(FindingLine<'a>),
    Record(RecordLine<'a>),
    Problem(Problem<'a>),
    Note(Problem<'a>),
    Dropped(DroppedLine<'a>),
    Summary(&'a Counts),
}

/// A JSON report's finding, and what a reader of the stream (or `merge`)
/// needs besides: where it ends and the text found.
#[derive(Serialize)]
struct FindingLine<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    end_line: usize,
    end_column: usize,
    /// The text at the span (empty for something missing).
    matched: &'a str,
}

#[derive(Serialize)]
struct RecordLine<'a> {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<Record<'a>>,
    findings: usize,
    #[serde(skip_serializing_if = "is_zero")]
    baselined: usize,
}

#[derive(Serialize)]
struct DroppedLine<'a> {
    path: String,
    rule: &'a str,
    count: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a stream has seen: the summary line, and what the exit code and
/// the "nothing was checked" message are made from.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub records: RecordCounts,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub baselined: usize,
    /// Input problems (a record that failed, or a whole dump's).
    pub problems: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub notes: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub dropped: usize,
    /// The check stopped before its input ended (SIGTERM).
    #[serde(skip_serializing_if = "is_false")]
    pub interrupted: bool,
    /// The most severe finding.
    #[serde(skip)]
    pub worst: Option<Severity>,
    /// Files skipped for their type, per type.
    #[serde(skip)]
    pub skipped_types: BTreeMap<String, usize>,
}

/// Records (documents) read: each was checked, skipped (a file of a type
/// not read, a record without the article field) or failed (could not be
/// read: a broken line, an unreadable file).
#[derive(Debug, Default, Serialize)]
pub struct RecordCounts {
    pub read: usize,
    pub checked: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// A report that writes each document's lines as it is checked.
pub struct Stream<'a> {
    state: Mutex<State<'a>>,
    /// Set when a write fails, so the scan stops reading.
    stop: &'a AtomicBool,
}

struct State<'a> {
    out: &'a mut (dyn Write + Send),
    /// The first write that failed; nothing is written after it.
    failed: Option<io::Error>,
    counts: Counts,
    buf: Vec<u8>,
    /// When `out` was last flushed.
    flushed: Instant,
}

/// The longest a written line waits in a buffer while the check is busy.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

impl<'a> Stream<'a> {
    /// A stream into `out`; a failed write sets `stop`.
    pub fn new(out: &'a mut (dyn Write + Send), stop: &'a AtomicBool) -> Stream<'a> {
        Stream {
            state: Mutex::new(State {
                out,
                failed: None,
                counts: Counts::default(),
                buf: Vec::new(),
                flushed: Instant::now(),
            }),
            stop,
        }
    }

    /// Writes the summary line (`interrupted` when the check stopped early)
    /// and returns the counts, or the error that stopped the writing.
    pub fn finish(self, interrupted: bool) -> (Counts, Option<io::Error>) {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        state.counts.interrupted = interrupted;
        let mut buf = std::mem::take(&mut state.buf);
        buf.clear();
        let _ = line(&mut buf, &Line::Summary(&state.counts));
        state.emit(&buf, self.stop);
        state.flush(self.stop);
        (state.counts, state.failed)
    }

    fn with(&self, f: impl FnOnce(&mut Counts, &mut Vec<u8>)) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut buf = std::mem::take(&mut state.buf);
        buf.clear();
        f(&mut state.counts, &mut buf);
        state.emit(&buf, self.stop);
        state.buf = buf;
    }
}

impl State<'_> {
    /// Writes `bytes` (whole lines); flushes when the last flush is
    /// [`FLUSH_EVERY`] ago, so a reader sees documents soon while the
    /// check is busy ([`Report::idle`] flushes when it waits). After a
    /// failure, nothing.
    fn emit(&mut self, bytes: &[u8], stop: &AtomicBool) {
        if self.failed.is_some() || bytes.is_empty() {
            return;
        }
        match self.out.write_all(bytes) {
            Ok(()) if self.flushed.elapsed() >= FLUSH_EVERY => self.flush(stop),
            Ok(()) => {}
            Err(e) => self.fail(e, stop),
        }
    }

    fn flush(&mut self, stop: &AtomicBool) {
        if self.failed.is_some() {
            return;
        }
        self.flushed = Instant::now();
        if let Err(e) = self.out.flush() {
            self.fail(e, stop);
        }
    }

    fn fail(&mut self, e: io::Error, stop: &AtomicBool) {
        self.failed = Some(e);
        stop.store(true, Ordering::Relaxed);
    }
}

/// Appends `value` as one line.
fn line(buf: &mut Vec<u8>, value: &Line<'_>) -> io::Result<()> {
    super::escape::write_json(&mut *buf, value, false)?;
    buf.push(b'\n');
    Ok(())
}

/// The line that closes a document: how many findings it had, and how
/// many the baseline hid.
fn record_line(id: &DocId, findings: usize, baselined: usize) -> Line<'_> {
    Line::Record(RecordLine {
        path: id.to_string(),
        path_bytes: path_bytes(id),
        record: Record::of(id, None),
        findings,
        baselined,
    })
}

fn finding_line<'a>(id: &'a DocId, f: &'a Finding) -> Line<'a> {
    Line::Finding(FindingLine {
        finding: JsonFinding::of(id, f),
        end_line: f.end_line,
        end_column: f.end_column,
        matched: &f.matched,
    })
}

impl Report for Stream<'_> {
    fn document(&self, checked: Checked) {
        self.with(|counts, buf| {
            let report = &checked.report;
            let id = &checked.id;
            counts.records.read += 1;
            counts.records.checked += 1;
            counts.findings += report.findings.len();
            counts.baselined += report.baselined;
            for f in &report.findings {
                match f.severity {
                    Severity::Error => counts.errors += 1,
                    Severity::Warning => counts.warnings += 1,
                    Severity::Info => {}
                }
                counts.worst = counts.worst.max(Some(f.severity));
                let _ = line(buf, &finding_line(id, f));
            }
            let _ = line(
                buf,
                &record_line(id, report.findings.len(), report.baselined),
            );
            counts.problems += checked.problems.len();
            for p in &checked.problems {
                let _ = line(buf, &Line::Problem(Problem::of(p)));
            }
            counts.notes += report.notes.len();
            for p in &report.notes {
                let _ = line(buf, &Line::Note(Problem::of(p)));
            }
            for (rule, count) in &report.dropped {
                counts.dropped += count;
                let _ = line(
                    buf,
                    &Line::Dropped(DroppedLine {
                        path: id.to_string(),
                        rule,
                        count: *count,
                    }),
                );
            }
        });
    }

    fn problem(&self, problem: InputProblem) {
        self.with(|counts, buf| {
            // A problem of a record or file is a document that failed; one
            // of a folder walk names no document.
            if !problem.id.is_empty() {
                counts.records.read += 1;
                counts.records.failed += 1;
            }
            counts.problems += 1;
            let _ = line(buf, &Line::Problem(Problem::of(&problem)));
        });
    }

    fn skipped(&self, type_name: String) {
        self.with(|counts, _| {
            counts.records.read += 1;
            counts.records.skipped += 1;
            *counts.skipped_types.entry(type_name).or_default() += 1;
        });
    }

    fn idle(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.flush(self.stop);
    }

    fn unchecked_records(&self, problem: InputProblem, count: usize) {
        self.with(|counts, buf| {
            counts.records.read += count;
            counts.records.skipped += count;
            counts.problems += 1;
            let _ = line(buf, &Line::Problem(Problem::of(&problem)));
        });
    }
}

/// Writes a finished outcome as the same lines, in report order: each
/// document's findings and record line (documents without findings only
/// when the outcome kept them, [`super::Collect::keeping_clean`]), then the
/// problems, notes and dropped counts, then the summary.
pub(super) fn write(outcome: &super::Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut counts = Counts::default();
    let mut clean = outcome.clean.iter().peekable();
    let record =
        |buf: &mut Vec<u8>, id: &DocId, findings: usize| line(buf, &record_line(id, findings, 0));
    for file in &outcome.reports {
        while let Some(id) = clean.next_if(|id| **id < file.id) {
            record(&mut buf, id, 0)?;
        }
        for f in &file.findings {
            line(&mut buf, &finding_line(&file.id, f))?;
        }
        record(&mut buf, &file.id, file.findings.len())?;
        out.write_all(&buf)?;
        buf.clear();
    }
    for id in clean {
        record(&mut buf, id, 0)?;
    }
    for p in &outcome.problems {
        line(&mut buf, &Line::Problem(Problem::of(p)))?;
    }
    for p in &outcome.notes {
        line(&mut buf, &Line::Note(Problem::of(p)))?;
    }
    for d in &outcome.dropped {
        line(
            &mut buf,
            &Line::Dropped(DroppedLine {
                path: d.id.to_string(),
                rule: &d.rule,
                count: d.count,
            }),
        )?;
    }
    let skipped: usize = outcome.skipped.values().sum();
    let failed = outcome.problems.iter().filter(|p| !p.id.is_empty()).count();
    counts.records = RecordCounts {
        read: outcome.files + skipped + failed,
        checked: outcome.files,
        skipped,
        failed,
    };
    counts.findings = outcome.total();
    counts.errors = outcome.count(Severity::Error);
    counts.warnings = outcome.count(Severity::Warning);
    counts.baselined = outcome.baselined;
    counts.problems = outcome.problems.len();
    counts.notes = outcome.notes.len();
    counts.dropped = outcome.dropped_total();
    line(&mut buf, &Line::Summary(&counts))?;
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DocumentReport;

    fn finding(rule: &str, severity: Severity, line: usize) -> Finding {
        let mut f = Finding::new(
            rule,
            severity,
            3..7,
            format!("{rule} here"),
            String::new(),
            None,
        );
        f.line = line;
        f.column = 4;
        f.end_line = line;
        f.end_column = 8;
        f.file_span = 3..7;
        f.matched = "abcd".to_string();
        f
    }

    fn checked(id: DocId, findings: Vec<Finding>) -> Checked {
        Checked {
            id,
            source: String::new(),
            line_base: 0,
            site: None,
            problems: Vec::new(),
            report: DocumentReport {
                findings,
                ..DocumentReport::default()
            },
        }
    }

    #[test]
    fn each_document_is_its_findings_then_its_record_line_and_the_summary_ends() {
        let stop = AtomicBool::new(false);
        let mut out = Vec::new();
        let stream = Stream::new(&mut out, &stop);
        stream.document(checked(
            DocId {
                key: Some("a-1".into()),
                ..DocId::record("d.jsonl", 2)
            },
            vec![finding("p/r", Severity::Error, 2)],
        ));
        stream.document(checked(DocId::file("b.txt"), Vec::new()));
        stream.problem(InputProblem {
            id: DocId::record("d.jsonl", 3),
            message: "invalid JSON record".into(),
            span: None,
            source: None,
        });
        stream.skipped(".pdf".into());
        let (counts, failed) = stream.finish(false);
        assert!(failed.is_none());
        assert_eq!(counts.worst, Some(Severity::Error));
        // The record is known by its id, not its place in the dump.
        assert_eq!(
            crate::suppress::fingerprint("p/r", "a-1", "abcd"),
            "1adfe52dcfc49f8d"
        );
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                r#"{"type":"finding","rule":"p/r","severity":"error","path":"d.jsonl:2","line":2,"column":4,"span":{"start":3,"end":7},"message":"p/r here","fingerprint":"1adfe52dcfc49f8d","record":{"path":"d.jsonl","id":"a-1","line":2},"end_line":2,"end_column":8,"matched":"abcd"}"#,
                r#"{"type":"record","path":"d.jsonl:2","record":{"path":"d.jsonl","id":"a-1","line":2},"findings":1}"#,
                r#"{"type":"record","path":"b.txt","findings":0}"#,
                r#"{"type":"problem","path":"d.jsonl:3","message":"invalid JSON record","record":{"path":"d.jsonl","id":null,"line":3}}"#,
                r#"{"type":"summary","records":{"read":4,"checked":2,"skipped":1,"failed":1},"findings":1,"errors":1,"warnings":0,"baselined":0,"problems":1}"#,
            ]
        );
    }

    /// A reader that goes away: the first failed write stops the scan, and
    /// nothing more is written.
    #[test]
    fn a_failed_write_stops_the_scan() {
        struct Gone(usize);
        impl Write for Gone {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::ErrorKind::BrokenPipe.into());
                }
                self.0 -= 1;
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let stop = AtomicBool::new(false);
        let mut out = Gone(1);
        let stream = Stream::new(&mut out, &stop);
        stream.document(checked(DocId::file("a.txt"), Vec::new()));
        stream.idle();
        assert!(!stop.load(Ordering::Relaxed));
        stream.document(checked(DocId::file("b.txt"), Vec::new()));
        stream.idle();
        assert!(stop.load(Ordering::Relaxed));
        let (counts, failed) = stream.finish(false);
        assert_eq!(failed.unwrap().kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(counts.records.checked, 2);
        assert_eq!(out.0, 0);
    }
}
