//! `clearance merge`: the reports of a check run in pieces (one per shard
//! or worker, `--format json`, `jsonl` or `sarif`) read back into one
//! [`Outcome`], for any output format.
//!
//! A document seen in two pieces (a shard retried after its worker was
//! killed) counts once: the first piece that has it wins, by its record id
//! (or its path when it has none). A streamed piece without its `summary`
//! line, or cut in the middle of a line, is a check that did not finish:
//! an input problem, so the merged report never looks complete when it is
//! not. With `expect`, fewer documents than expected is one too.

use serde::Deserialize;
use std::collections::HashSet;

use crate::doc_id::DocId;
use crate::finding::{FieldPlace, Finding, Severity};
use crate::load::InputProblem;
use crate::report::{Dropped, FileReport, Outcome};

/// A finding as the JSON and JSON-lines reports write it.
#[derive(Deserialize)]
struct ReadFinding {
    rule: String,
    severity: Severity,
    path: String,
    line: usize,
    column: usize,
    #[serde(default)]
    end_line: Option<usize>,
    #[serde(default)]
    end_column: Option<usize>,
    span: ReadSpan,
    message: String,
    /// Written in JSON lines only.
    #[serde(default)]
    matched: String,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    record: Option<ReadRecord>,
    #[serde(default)]
    field_span: Option<ReadFieldSpan>,
}

#[derive(Deserialize)]
struct ReadSpan {
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct ReadRecord {
    path: String,
    id: Option<String>,
    line: Option<usize>,
    #[serde(default)]
    field: Option<String>,
}

#[derive(Deserialize)]
struct ReadFieldSpan {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
}

#[derive(Deserialize)]
struct ReadProblem {
    path: String,
    message: String,
    #[serde(default)]
    span: Option<ReadSpan>,
    #[serde(default)]
    record: Option<ReadRecord>,
}

#[derive(Deserialize)]
struct ReadDropped {
    path: String,
    rule: String,
    count: usize,
}

/// `--format json`'s document (what merge needs of it).
#[derive(Deserialize)]
struct ReadReport {
    version: u32,
    findings: Vec<ReadFinding>,
    problems: Vec<ReadProblem>,
    #[serde(default)]
    notes: Vec<ReadProblem>,
    #[serde(default)]
    dropped: Vec<ReadDropped>,
    summary: ReadSummary,
}

#[derive(Deserialize)]
struct ReadSummary {
    files: usize,
    baselined: usize,
}

/// One line of `--format jsonl`.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum ReadLine {
    Finding(ReadFinding),
    Record {
        path: String,
        #[serde(default)]
        record: Option<ReadRecord>,
        #[serde(default)]
        baselined: usize,
    },
    Problem(ReadProblem),
    Note(ReadProblem),
    Dropped(ReadDropped),
    Summary {
        #[serde(default)]
        records: Option<ReadCounts>,
    },
}

#[derive(Deserialize)]
struct ReadCounts {
    skipped: usize,
}

/// What one piece holds, read.
#[derive(Default)]
pub struct Piece {
    /// Documents checked, in the piece's order, with their findings.
    documents: Vec<(DocId, Vec<Finding>, usize)>,
    /// Documents a JSON report counts without naming (those without
    /// findings).
    unnamed: usize,
    /// Records a stream's summary counts as skipped (no article field;
    /// files of a type not read).
    skipped: usize,
    /// A SARIF log: it names only documents with findings, so it cannot
    /// say how many records were checked.
    sarif: bool,
    problems: Vec<InputProblem>,
    notes: Vec<InputProblem>,
    dropped: Vec<Dropped>,
}

impl Piece {
    /// Adds a finding of a report that lists findings document by
    /// document (JSON, SARIF): to the last document when it is the same,
    /// else to a new one. Whether it started a new one.
    fn add(&mut self, f: ReadFinding) -> bool {
        let id = f.id();
        match self.documents.last_mut() {
            Some((last, findings, _)) if *last == id => {
                findings.push(f.finding());
                false
            }
            _ => {
                self.documents.push((id, vec![f.finding()], 0));
                true
            }
        }
    }
}

impl ReadRecord {
    fn id(&self) -> DocId {
        DocId {
            file: self.path.clone(),
            record: self.line,
            key: self.id.clone(),
        }
    }
}

impl ReadFinding {
    fn id(&self) -> DocId {
        self.record
            .as_ref()
            .map_or_else(|| DocId::file(self.path.clone()), ReadRecord::id)
    }

    fn finding(self) -> Finding {
        let mut f = Finding::new(
            &self.rule,
            self.severity,
            self.span.start..self.span.end,
            self.message,
            String::new(),
            None,
        );
        f.line = self.line;
        f.column = self.column;
        f.end_line = self.end_line.unwrap_or(self.line);
        f.end_column = self.end_column.unwrap_or(self.column);
        f.file_span = f.span.clone();
        f.matched = self.matched;
        f.fingerprint = self.fingerprint;
        if let (Some(field), Some(at)) =
            (self.record.and_then(|r| r.field), self.field_span.as_ref())
        {
            f.field = Some(Box::new(FieldPlace {
                field,
                span: at.start..at.end,
                line: at.line,
                column: at.column,
            }));
        }
        f
    }
}

impl ReadProblem {
    fn problem(self) -> InputProblem {
        InputProblem {
            id: self
                .record
                .as_ref()
                .map_or_else(|| DocId::file(self.path), ReadRecord::id),
            message: self.message,
            span: self.span.map(|s| s.start..s.end),
            source: None,
        }
    }
}

/// Reads one piece: a `--format json` report, a `--format jsonl` stream or
/// a `--format sarif` log. `shown` names it in problems. Anything else is
/// an error.
pub fn read_piece(text: &str, shown: &str) -> Result<Piece, String> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let streamed = first.trim_start().starts_with("{\"type\"");
    if !streamed && text.contains("\"$schema\"") && text.contains("\"runs\"") {
        return from_sarif(text);
    }
    if !streamed {
        let report: ReadReport = serde_json::from_str(text).map_err(|e| {
            format!(
                "not a Clearance report (`--format json` or `--format jsonl`): {e}; \
                 a SARIF or other report cannot be merged"
            )
        })?;
        if report.version != 1 {
            return Err(format!(
                "report version {} is not supported",
                report.version
            ));
        }
        return Ok(from_report(report));
    }
    let mut piece = Piece::default();
    let mut open: Option<(DocId, Vec<Finding>)> = None;
    let mut finished = false;
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    while let Some((n, raw)) = lines.next() {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let parsed: ReadLine = match serde_json::from_str(line) {
            Ok(parsed) => parsed,
            // A last line without its line break: the writer was killed
            // in the middle of it.
            Err(_) if lines.peek().is_none() && !raw.ends_with('\n') => {
                piece.problems.push(problem(
                    shown,
                    format!(
                        "line {} is cut short: the check that wrote it was stopped mid-line",
                        n + 1
                    ),
                ));
                break;
            }
            Err(e) => {
                return Err(format!(
                    "line {}: not a Clearance JSON-lines report line: {e}",
                    n + 1
                ));
            }
        };
        match parsed {
            ReadLine::Finding(f) => {
                let id = f.id();
                match &mut open {
                    Some((open_id, findings)) if *open_id == id => findings.push(f.finding()),
                    _ => open = Some((id, vec![f.finding()])),
                }
            }
            ReadLine::Record {
                path,
                record,
                baselined,
            } => {
                let id = record
                    .as_ref()
                    .map_or_else(|| DocId::file(path), ReadRecord::id);
                let findings = match open.take() {
                    Some((open_id, findings)) if open_id == id => findings,
                    Some((open_id, _)) => {
                        return Err(format!(
                            "line {}: findings of {open_id} are not followed by its record line",
                            n + 1
                        ));
                    }
                    None => Vec::new(),
                };
                piece.documents.push((id, findings, baselined));
            }
            ReadLine::Problem(p) => piece.problems.push(p.problem()),
            ReadLine::Note(p) => piece.notes.push(p.problem()),
            ReadLine::Dropped(d) => piece.dropped.push(Dropped {
                id: DocId::file(d.path),
                rule: d.rule,
                count: d.count,
            }),
            ReadLine::Summary { records } => {
                finished = true;
                piece.skipped += records.map_or(0, |r| r.skipped);
            }
        }
    }
    if !finished {
        piece.problems.push(problem(
            shown,
            "has no summary line: the check that wrote it did not finish (killed, or still running); \
             the records after its last line are missing"
                .to_string(),
        ));
    }
    Ok(piece)
}

fn problem(shown: &str, message: String) -> InputProblem {
    InputProblem {
        id: DocId::file(shown),
        message,
        span: None,
        source: None,
    }
}

fn from_report(report: ReadReport) -> Piece {
    let mut piece = Piece::default();
    let mut named = 0;
    for f in report.findings {
        if piece.add(f) {
            named += 1;
        }
    }
    // The baselined count is the report's; it rides on its first document.
    if let Some(first) = piece.documents.first_mut() {
        first.2 = report.summary.baselined;
    }
    piece.unnamed = report.summary.files.saturating_sub(named);
    piece.problems = report
        .problems
        .into_iter()
        .map(ReadProblem::problem)
        .collect();
    piece.notes = report.notes.into_iter().map(ReadProblem::problem).collect();
    piece.dropped = report
        .dropped
        .into_iter()
        .map(|d| Dropped {
            id: DocId::file(d.path),
            rule: d.rule,
            count: d.count,
        })
        .collect();
    piece
}

/// A SARIF log as `--format sarif` writes it (what merge needs of it).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sarif {
    runs: Vec<SarifRun>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    #[serde(default)]
    results: Vec<SarifResult>,
    #[serde(default)]
    invocations: Vec<SarifInvocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(default)]
    level: Option<String>,
    message: SarifText,
    #[serde(default)]
    locations: Vec<SarifLocation>,
    #[serde(default)]
    partial_fingerprints: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    properties: Option<SarifProperties>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifProperties {
    record: Option<ReadRecord>,
    field_span: Option<ReadFieldSpan>,
}

#[derive(Deserialize)]
struct SarifText {
    text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysical,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    #[serde(default)]
    region: Option<SarifRegion>,
}

#[derive(Deserialize)]
struct SarifArtifact {
    uri: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    #[serde(default)]
    start_line: usize,
    start_column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    byte_offset: Option<usize>,
    byte_length: Option<usize>,
    snippet: Option<SarifText>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifInvocation {
    #[serde(default)]
    tool_execution_notifications: Vec<SarifNotification>,
}

#[derive(Deserialize)]
struct SarifNotification {
    #[serde(default)]
    level: Option<String>,
    message: SarifText,
    #[serde(default)]
    locations: Vec<SarifLocation>,
}

/// A file as reports show it, from a SARIF artifact URI (percent-encoded
/// bytes, relative to the repository's top, or a `file:` URI).
fn uri_path(uri: &str) -> String {
    let uri = uri.strip_prefix("file://").unwrap_or(uri);
    let mut bytes = Vec::with_capacity(uri.len());
    let raw = uri.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = |at: usize| {
            raw.get(at..at + 2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        match (raw[i], hex(i + 1)) {
            (b'%', Some(b)) => {
                bytes.push(b);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        crate::load::display_path(std::path::Path::new(std::ffi::OsStr::from_bytes(&bytes)))
    }
    #[cfg(not(unix))]
    {
        crate::load::display_path(std::path::Path::new(&*String::from_utf8_lossy(&bytes)))
    }
}

fn from_sarif(text: &str) -> Result<Piece, String> {
    let log: Sarif = serde_json::from_str(text).map_err(|e| {
        format!("not a SARIF log as `clearance check --format sarif` writes it: {e}")
    })?;
    let mut piece = Piece {
        sarif: true,
        ..Piece::default()
    };
    for run in log.runs {
        for result in run.results {
            let location = result.locations.into_iter().next();
            let file = location
                .as_ref()
                .map(|l| uri_path(&l.physical_location.artifact_location.uri))
                .unwrap_or_default();
            let region = location
                .and_then(|l| l.physical_location.region)
                .unwrap_or_default();
            let (record, field_span) = result
                .properties
                .map_or((None, None), |p| (p.record, p.field_span));
            let start = region.byte_offset.unwrap_or(0);
            let finding = ReadFinding {
                rule: result.rule_id,
                severity: match result.level.as_deref() {
                    Some("error") => Severity::Error,
                    Some("note" | "none") => Severity::Info,
                    _ => Severity::Warning,
                },
                path: file,
                line: region.start_line,
                column: region.start_column.unwrap_or(1),
                end_line: region.end_line,
                end_column: region.end_column,
                span: ReadSpan {
                    start,
                    end: start + region.byte_length.unwrap_or(0),
                },
                message: result.message.text,
                matched: region.snippet.map(|s| s.text).unwrap_or_default(),
                // `fingerprint:N`, N the finding's number among the same.
                fingerprint: result
                    .partial_fingerprints
                    .get("clearance/v2")
                    .and_then(|fp| fp.split(':').next())
                    .map(str::to_string),
                record,
                field_span,
            };
            piece.add(finding);
        }
        for invocation in run.invocations {
            for note in invocation.tool_execution_notifications {
                let path = note
                    .locations
                    .first()
                    .map(|l| uri_path(&l.physical_location.artifact_location.uri))
                    .unwrap_or_default();
                let problem = InputProblem {
                    id: DocId::file(path),
                    message: note.message.text,
                    span: None,
                    source: None,
                };
                match note.level.as_deref() {
                    Some("note") => piece.notes.push(problem),
                    _ => piece.problems.push(problem),
                }
            }
        }
    }
    Ok(piece)
}

/// What merging found besides the outcome.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Documents counted, each once.
    pub documents: usize,
    /// Documents seen in more than one piece (counted once).
    pub repeated: usize,
}

/// Whether a piece is a SARIF log, which cannot be counted for `--expect`.
pub fn is_sarif(piece: &Piece) -> bool {
    piece.sarif
}

/// Merges pieces into one outcome, sorted as a check's: each document once
/// (the first piece's), problems and notes of all. With `expect`, fewer
/// documents than that adds a problem.
pub fn merge(pieces: Vec<Piece>, expect: Option<usize>) -> (Outcome, Merged) {
    let mut outcome = Outcome::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut merged = Merged::default();
    let mut unnamed = 0;
    let mut skipped = 0;
    let mut problems = Vec::new();
    for piece in pieces {
        unnamed += piece.unnamed;
        skipped += piece.skipped;
        for (id, findings, baselined) in piece.documents {
            if !seen.insert(id.identity().into_owned()) {
                merged.repeated += 1;
                continue;
            }
            outcome.baselined += baselined;
            if findings.is_empty() {
                outcome.clean.push(id);
            } else {
                outcome.reports.push(FileReport {
                    id,
                    source: String::new(),
                    line_base: 0,
                    findings,
                    site: None,
                });
            }
        }
        problems.extend(piece.problems);
        outcome.notes.extend(piece.notes);
        outcome.dropped.extend(piece.dropped);
    }
    // A problem of a document seen again (a record that failed in a shard
    // that was retried) is kept: it is still input that was not read once.
    outcome.problems = problems;
    merged.documents = seen.len() + unnamed;
    outcome.files = merged.documents;
    if let Some(expect) = expect {
        // Records that could not be read, or held no article, were still
        // read: they count, those that failed once each (by record); those
        // skipped once per piece (a stream counts them, it does not name
        // them).
        let failed: HashSet<String> = outcome
            .problems
            .iter()
            .filter(|p| p.id.record.is_some())
            .map(|p| p.id.identity().into_owned())
            .collect();
        let have = merged.documents + failed.len() + skipped;
        if have < expect {
            outcome.problems.push(InputProblem {
                id: DocId::default(),
                message: format!(
                    "expected {expect} records, found {have}: {} missing (a shard whose worker stopped, or one not merged)",
                    expect - have
                ),
                span: None,
                source: None,
            });
        }
    }
    outcome.reports.sort_by(|a, b| a.id.cmp(&b.id));
    outcome.clean.sort();
    outcome
        .dropped
        .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.rule.cmp(&b.rule)));
    (outcome, merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = concat!(
        r#"{"type":"finding","rule":"residue/read-also","severity":"warning","path":"d.jsonl:1","line":1,"column":9,"end_line":1,"end_column":19,"span":{"start":8,"end":18},"message":"m","matched":"Read more:","fingerprint":"00000000000000aa","record":{"path":"d.jsonl","id":"a","line":1,"field":"text"},"field_span":{"start":0,"end":10,"line":1,"column":1}}"#,
        "\n",
        r#"{"type":"record","path":"d.jsonl:1","record":{"path":"d.jsonl","id":"a","line":1},"findings":1}"#,
        "\n",
        r#"{"type":"record","path":"d.jsonl:2","record":{"path":"d.jsonl","id":"b","line":2},"findings":0}"#,
        "\n",
        r#"{"type":"problem","path":"d.jsonl:3","message":"invalid JSON record","record":{"path":"d.jsonl","id":null,"line":3}}"#,
        "\n",
    );
    const SUMMARY: &str = r#"{"type":"summary","records":{"read":4,"checked":2,"skipped":1,"failed":1},"findings":1,"errors":0,"warnings":1,"baselined":0,"problems":1}
"#;

    #[test]
    fn a_stream_reads_back_into_documents_and_counts_once() {
        let whole = format!("{STREAM}{SUMMARY}");
        let piece = read_piece(&whole, "a.out").unwrap();
        // The same piece twice (a shard run again) counts each record once.
        let again = read_piece(&whole, "b.out").unwrap();
        let (outcome, merged) = merge(vec![piece, again], Some(6));
        assert_eq!(
            merged,
            Merged {
                documents: 2,
                repeated: 2
            }
        );
        assert_eq!(outcome.files, 2);
        let f = &outcome.reports[0].findings[0];
        assert_eq!(outcome.reports[0].id.key.as_deref(), Some("a"));
        assert_eq!(
            (f.line, f.end_column, &f.matched[..]),
            (1, 19, "Read more:")
        );
        assert_eq!(f.field.as_ref().unwrap().span, 0..10);
        assert_eq!(
            crate::suppress::fingerprint_of(&outcome.reports[0].id, f),
            "00000000000000aa"
        );
        assert_eq!(
            outcome.clean,
            [DocId {
                key: Some("b".into()),
                ..DocId::record("d.jsonl", 2)
            }]
        );
        // Two checked and one failed, each once; the skipped record (a
        // stream only counts those) once per piece: five of six. The failed
        // record's problem is in both pieces.
        let messages: Vec<&str> = outcome.problems.iter().map(|p| &p.message[..]).collect();
        assert_eq!(
            messages,
            [
                "invalid JSON record",
                "invalid JSON record",
                "expected 6 records, found 5: 1 missing (a shard whose worker stopped, or one not merged)"
            ]
        );
    }

    #[test]
    fn a_stream_that_did_not_finish_is_a_problem() {
        let cut = &STREAM[..STREAM.len() - 30];
        let piece = read_piece(cut, "w.out").unwrap();
        let (outcome, _) = merge(vec![piece], None);
        let messages: Vec<String> = outcome
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.id, p.message))
            .collect();
        assert_eq!(
            messages,
            [
                "w.out: line 4 is cut short: the check that wrote it was stopped mid-line",
                "w.out: has no summary line: the check that wrote it did not finish (killed, or \
                 still running); the records after its last line are missing"
            ]
        );
        assert_eq!(outcome.files, 2);
    }

    #[test]
    fn a_json_report_reads_back_and_anything_else_is_refused() {
        let json = r#"{"version":1,"findings":[{"rule":"r/x","severity":"error","path":"a.txt","line":2,"column":1,"span":{"start":5,"end":9},"message":"m","fingerprint":"00000000000000bb"}],"problems":[],"summary":{"files":3,"findings":1,"errors":1,"warnings":0,"baselined":2}}"#;
        let (outcome, merged) = merge(vec![read_piece(json, "r.json").unwrap()], None);
        assert_eq!(merged.documents, 3);
        assert_eq!(outcome.baselined, 2);
        assert_eq!(outcome.reports[0].id, DocId::file("a.txt"));
        let sarif = r#"{"version":"2.1.0","runs":[]}"#;
        let why = read_piece(sarif, "r.sarif").err().unwrap();
        assert!(why.starts_with("not a Clearance report"), "{why}");
        let bad = "{\"type\":\"finding\"}\n{\"type\":\"summary\"}\n";
        let why = read_piece(bad, "x.out").err().unwrap();
        assert!(
            why.starts_with("line 1: not a Clearance JSON-lines report line"),
            "{why}"
        );
    }
}
