//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.
//!
//! Written with small structs of our own rather than a crate that models the
//! whole schema (`serde-sarif` brings builders and four more dependencies for
//! objects Clearance never emits): one run, its rules, its results, and one
//! invocation whose notifications are the input problems.
//!
//! Positions follow what dashboards need, not what is convenient here:
//! - columns are Unicode code points, declared in `run.columnKind` because
//!   the schema has no default; `endLine`/`endColumn` point just past the
//!   span, as SARIF regions do;
//! - `byteOffset`/`byteLength` are bytes of the file *on disk* (a
//!   windows-1256 article, a record inside a JSON-lines dump), which is what
//!   [`Finding::file_span`] holds;
//! - `artifactLocation.uri` must be an RFC 3986 URI reference (SARIF §3.4.3):
//!   relative paths are percent-encoded against `%SRCROOT%`, a colon in the
//!   first segment included (it would otherwise read as a scheme), and
//!   absolute paths become `file:` URIs without a `uriBaseId`;
//! - a JSON-lines record (`dump.jsonl:12`) is reported against the dump
//!   itself; its line is already the record's line in the file.
//!
//! Each result carries `partialFingerprints["clearance/v2"]`: the baseline's
//! own fingerprint ([`fingerprint`]: FNV-1a 64, a fixed function with no
//! per-process seed, over the rule, the report path and the matched text
//! with whitespace collapsed), then `:N`, its number among the findings of
//! the file with that fingerprint, in file order. Line and column do not
//! enter it, so code scanning keeps tracking a finding when the text around
//! it moves; the number keeps three copies of one leftover three alerts
//! (GitHub merges results that share a fingerprint). The part before `:` is
//! the value `--baseline` records, so both agree on what is "the same".
//!
//! Files are named by their own bytes (not the escapes people are shown),
//! relative to the repository's top folder (`%SRCROOT%`, declared in
//! `originalUriBaseIds`) when the caller knows it; `automationDetails.id` is
//! the run's category.

use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::io::{self, Write};

use super::place::{self, Repository};
use super::{Outcome, RuleInfo, Settings};
use crate::finding::{Finding, Severity};
use crate::load::DocId;
use crate::suppress::fingerprint_of;
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// Key of the fingerprint in `partialFingerprints`; bump the version if the
/// hashed inputs ever change.
const FINGERPRINT: &str = "clearance/v2";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    /// Where `%SRCROOT%` is, when the repository is known.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    invocations: [Invocation<'a>; 1],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

/// The run's category (`--sarif-category`): code scanning keeps the
/// latest results of each category, so two checks of one repository
/// (articles and archive, say) do not replace each other's alerts.
#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    /// Absent when the build does not know the project's address (see
    /// [`super::information_uri`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Text<'a>,
    /// The built-in packs' documentation; a house pack's rules have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Level,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// A JSON-lines record's identity, as the JSON report gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RecordProperties<'a>>,
}

/// The property bag of a result in a JSON-lines record.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordProperties<'a> {
    record: super::json::Record<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field_span: Option<super::json::FieldSpan>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    /// Absent for an absolute `file:` URI (SARIF §3.4.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

/// A finding's region carries everything; an input problem inside a
/// JSON-lines dump only its line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'a>>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where a document's file is, as a SARIF artifact location: its own bytes
/// percent-encoded, relative to `%SRCROOT%` (the repository's top folder)
/// when it lies inside it, else an absolute `file:` URI. Without a known
/// repository, relative to where the check ran, as given.
fn artifact(id: &DocId, repository: Option<&Repository>) -> Artifact {
    match place::locate(id, repository) {
        Ok(relative) => {
            let mut uri = String::with_capacity(relative.len());
            encode_into(&relative, false, &mut uri);
            Artifact {
                uri,
                uri_base_id: Some(SRCROOT),
            }
        }
        Err(absolute) => Artifact {
            uri: file_uri(&absolute),
            uri_base_id: None,
        },
    }
}

/// An absolute path's bytes as a `file:` URI (`//server/share` keeps its
/// host).
fn file_uri(bytes: &[u8]) -> String {
    let mut uri = String::from(if bytes.starts_with(b"//") {
        "file:"
    } else if bytes.starts_with(b"/") {
        "file://"
    } else {
        // A drive letter: `C:/x` → `file:///C:/x`.
        "file:///"
    });
    encode_into(bytes, true, &mut uri);
    uri
}

/// Appends `path` percent-encoded as RFC 3986 path segments: unreserved
/// characters, sub-delims, `@`, `/` and (except in the first segment of a
/// relative reference, where it would read as a scheme) `:` stay; every
/// other byte, `%`, spaces and all non-ASCII UTF-8 included, becomes `%XX`.
fn encode_into(path: &[u8], colon_in_first_segment: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut first_segment = true;
    for &b in path {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&b)
            || (b == b':' && (colon_in_first_segment || !first_segment));
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        if b == b'/' {
            first_segment = false;
        }
    }
}

/// `notice-missing` → `NoticeMissing`: SARIF's examples name rules in
/// PascalCase; the id stays the stable key.
fn rule_name(id: &str) -> String {
    let short = id.rsplit('/').next().unwrap_or(id);
    let mut name = String::with_capacity(short.len());
    let mut upper = true;
    for c in short.chars() {
        if c == '-' || c == '_' {
            upper = true;
        } else if upper {
            name.extend(c.to_uppercase());
            upper = false;
        } else {
            name.push(c);
        }
    }
    if name.is_empty() {
        short.to_string()
    } else {
        name
    }
}

fn region(f: &Finding) -> Region<'_> {
    Region {
        start_line: f.line,
        start_column: Some(f.column),
        end_line: Some(f.end_line),
        end_column: Some(f.end_column),
        byte_offset: Some(f.file_span.start),
        byte_length: Some(f.file_span.end.saturating_sub(f.file_span.start)),
        // Empty for something missing: still a valid artifactContent, and
        // consumers need not special-case its absence.
        snippet: Some(Text { text: &f.matched }),
    }
}

pub(super) fn write(
    outcome: &Outcome,
    rules: &[RuleInfo],
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let repository = settings.repository.as_ref();
    // `driver.rules` lists each id once (results find their rule by index),
    // should two packs ever bring the same id.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut listed: Vec<&RuleInfo> = Vec::with_capacity(rules.len());
    for r in rules {
        if let Entry::Vacant(slot) = index.entry(r.id.as_str()) {
            slot.insert(listed.len());
            listed.push(r);
        }
    }
    let mut results = Vec::with_capacity(outcome.total());
    for file in &outcome.reports {
        let location = artifact(&file.id, repository);
        // Each finding is its own alert: the same text found again in the
        // file (a «Read more» three times) gets the next number.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in &file.findings {
            let same = fingerprint_of(&file.id, f);
            let n = seen.entry(same.clone()).or_default();
            *n += 1;
            results.push(SarifResult {
                rule_id: &f.rule,
                rule_index: index.get(f.rule.as_str()).copied(),
                level: level(f.severity),
                message: Text { text: &f.message },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: location.clone(),
                        region: Some(region(f)),
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT, format!("{same}:{n}"))]),
                properties: super::json::Record::of(&file.id, Some(f)).map(|record| {
                    RecordProperties {
                        record,
                        field_span: super::json::FieldSpan::of(f),
                    }
                }),
            });
        }
    }
    let problems = outcome.problems.iter().map(|p| (p, "error"));
    let notifications = problems
        .chain(outcome.notes.iter().map(|p| (p, "note")))
        .map(|(p, level)| Notification {
            level,
            message: Text { text: &p.message },
            locations: (!p.id.is_empty())
                .then(|| Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(&p.id, repository),
                        region: p.id.record.map(|start_line| Region {
                            start_line,
                            start_column: None,
                            end_line: None,
                            end_column: None,
                            byte_offset: None,
                            byte_length: None,
                            snippet: None,
                        }),
                    },
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "clearance",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: super::information_uri(),
                    rules: listed
                        .iter()
                        .map(|r| {
                            let help = r.help.as_deref().unwrap_or(&r.title);
                            Rule {
                                id: &r.id,
                                name: rule_name(&r.id),
                                short_description: Text { text: &r.title },
                                full_description: Text { text: help },
                                help: Text { text: help },
                                help_uri: r
                                    .builtin
                                    .then(super::information_uri)
                                    .flatten()
                                    .map(|uri| format!("{uri}#built-in-packs")),
                                default_configuration: Level {
                                    level: level(r.severity),
                                },
                            }
                        })
                        .collect(),
                },
            },
            automation_details: AutomationDetails {
                id: format!("{}/", settings.sarif_category.trim_end_matches('/')),
            },
            original_uri_base_ids: repository
                .map(|r| {
                    let mut uri = file_uri(&place::path_bytes(&r.top));
                    if !uri.ends_with('/') {
                        uri.push('/');
                    }
                    BTreeMap::from([(SRCROOT, BaseUri { uri })])
                })
                .unwrap_or_default(),
            column_kind: "unicodeCodePoints",
            results,
            invocations: [Invocation {
                execution_successful: outcome.problems.is_empty(),
                tool_execution_notifications: notifications,
            }],
        }],
    };
    super::escape::write_json(&mut *out, &log, true)?;
    writeln!(out)
}

/// One small outcome shared by the printers' tests: a UTF-8 Hebrew article
/// (a span across a line break, a message with `%`, `:`, `,` and a newline),
/// a windows-1256 Arabic article under a non-ASCII folder whose name has a
/// space, a JSON-lines record, and two input problems.
#[cfg(test)]
pub(super) mod fixture {
    use crate::finding::{Finding, Severity};
    use crate::load::decode::{self, Origin};
    use crate::load::{DocId, InputProblem};
    use crate::report::{FileReport, Outcome, RuleInfo};
    use crate::source::LineIndex;

    pub(crate) const HEBREW: &str = "כותרת\nלפי סעיף 27(א) לחוק, ראו\nline two\n";
    pub(crate) const ARABIC: &str = "عنوان\nوفقا للمادة 27 أ، 2008\n";
    pub(crate) const DUMP: &str =
        "{\"text\":\"ok\"}\n{\"text\":\"שלום\"}\n{\"text\":\"no notice\"}\nnot json\n";
    const ARABIC_PATH: &str = "أخبار/ar 1256.txt";

    /// The windows-1256 bytes of [`ARABIC`], as they are on disk.
    pub(crate) fn arabic_bytes() -> Vec<u8> {
        encoding_rs::WINDOWS_1256.encode(ARABIC).0.into_owned()
    }

    fn at(
        rule: &str,
        severity: Severity,
        text: &str,
        span: std::ops::Range<usize>,
        origin: &Origin,
        line_base: usize,
        message: &str,
    ) -> Finding {
        let mut f = Finding::new(
            rule,
            severity,
            span,
            message.to_string(),
            String::new(),
            None,
        );
        f.locate(text, &LineIndex::new(text), origin, line_base);
        f
    }

    fn find(text: &str, needle: &str) -> std::ops::Range<usize> {
        let start = text.find(needle).unwrap_or(0);
        start..start + needle.len()
    }

    pub(crate) fn outcome() -> Outcome {
        let section = find(HEBREW, "סעיף 27(א)");
        let across = find(HEBREW, "ראו\nline");
        let decoded = decode::decode(&arabic_bytes(), Some("windows-1256"), None);
        let year = find(&decoded.text, "2008");
        let record_start = DUMP.find("{\"text\":\"no notice\"}").unwrap_or(0);
        let record = "{\"text\":\"no notice\"}";
        let record_origin = Origin::Linear(vec![(0, record_start)]);
        Outcome {
            files: 5,
            reports: vec![
                FileReport {
                    id: DocId::record("dump.jsonl", 3),
                    // `check` keeps no text for machine formats.
                    source: String::new(),
                    site: None,
                    line_base: 2,
                    findings: vec![at(
                        "il-27a/notice-missing",
                        Severity::Error,
                        record,
                        0..0,
                        &record_origin,
                        2,
                        "no section 27A notice",
                    )],
                },
                FileReport {
                    id: DocId::file("news/he.txt"),
                    source: String::new(),
                    site: None,
                    line_base: 0,
                    findings: vec![
                        at(
                            "il-27a/section-malformed",
                            Severity::Error,
                            HEBREW,
                            section,
                            &Origin::Same,
                            0,
                            "cites «27(א)»: 100%, see\nbelow",
                        ),
                        at(
                            "house/credit-split",
                            Severity::Info,
                            HEBREW,
                            across,
                            &Origin::Same,
                            0,
                            "credit split across lines",
                        ),
                    ],
                },
                FileReport {
                    id: DocId::file(ARABIC_PATH),
                    source: String::new(),
                    site: None,
                    line_base: 0,
                    findings: vec![at(
                        "il-27a/year-malformed",
                        Severity::Warning,
                        &decoded.text,
                        year,
                        &decoded.origin,
                        0,
                        "year 2008 is not the Act's year",
                    )],
                },
            ],
            problems: vec![
                InputProblem {
                    id: DocId::record("dump.jsonl", 4),
                    message: "invalid JSON record: expected value, column 1; skipped".to_string(),
                    span: Some(0..0),
                    source: Some(Box::new(crate::load::ProblemSource {
                        text: "not json".to_string(),
                        span: 0..0,
                        line_base: 3,
                    })),
                },
                InputProblem {
                    id: DocId::file("news/bad.md"),
                    message: "binary file; skipped".to_string(),
                    span: None,
                    source: None,
                },
            ],
            notes: Vec::new(),
            baselined: 0,
            dropped: Vec::new(),
            clean: Vec::new(),
            comparison: None,
            skipped: Default::default(),
        }
    }

    pub(crate) fn rules() -> Vec<RuleInfo> {
        let rule = |id: &str, severity, title: &str, help: Option<&str>| RuleInfo {
            id: id.to_string(),
            severity,
            title: title.to_string(),
            help: help.map(str::to_string),
            builtin: true,
        };
        vec![
            rule(
                "il-27a/notice-missing",
                Severity::Error,
                "no section 27A notice",
                Some("add the publisher's notice with a takedown contact"),
            ),
            rule(
                "il-27a/section-malformed",
                Severity::Error,
                "cites «…»",
                Some("cite section 27A"),
            ),
            rule(
                "il-27a/year-malformed",
                Severity::Warning,
                "year … is not the Act's year",
                None,
            ),
            rule(
                "house/credit-split",
                Severity::Info,
                "credit split across lines",
                None,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{self, DUMP, HEBREW};
    use super::*;
    use serde_json::{Map, Value};

    fn sarif(outcome: &Outcome) -> Value {
        let mut out = Vec::new();
        write(outcome, &fixture::rules(), &Settings::plain(100), &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    /// Checks `uri` against RFC 3986's URI-reference: only unreserved,
    /// reserved and `%XX`; a scheme, or else no `:` in the first segment.
    fn assert_uri_reference(uri: &str) {
        let bytes = uri.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'%' {
                assert!(
                    bytes
                        .get(i + 1..i + 3)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
                    "bad escape in {uri}"
                );
                i += 3;
                continue;
            }
            assert!(
                b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b),
                "{:?} not allowed in {uri}",
                char::from(b)
            );
            i += 1;
        }
        let has_scheme = uri.split_once(':').is_some_and(|(s, _)| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if !has_scheme {
            let first = uri.split('/').next().unwrap_or_default();
            assert!(
                !first.contains(':'),
                "relative {uri} would read as a scheme"
            );
        }
    }

    fn keys(v: &Value, allowed: &[&str], required: &[&str], what: &str) {
        let obj = v
            .as_object()
            .unwrap_or_else(|| panic!("{what} is an object"));
        for k in obj.keys() {
            assert!(
                allowed.contains(&k.as_str()),
                "{what}: unknown property {k}"
            );
        }
        for k in required {
            assert!(obj.contains_key(*k), "{what}: required {k}");
        }
    }

    fn message(v: &Value, what: &str) {
        // message / multiformatMessageString: `text` is a string (message
        // allows `id` instead; we always give text).
        keys(v, &["text", "markdown", "id", "arguments"], &["text"], what);
        assert!(v["text"].is_string(), "{what}.text");
    }

    fn level(v: &Value, what: &str) {
        assert!(
            ["none", "note", "warning", "error"].contains(&v.as_str().unwrap_or("")),
            "{what}: level enum"
        );
    }

    fn location(v: &Value, what: &str) {
        keys(v, &["physicalLocation"], &[], what);
        let p = &v["physicalLocation"];
        // physicalLocation: anyOf required address | artifactLocation.
        keys(
            p,
            &["artifactLocation", "region"],
            &["artifactLocation"],
            what,
        );
        let a = &p["artifactLocation"];
        keys(a, &["uri", "uriBaseId"], &["uri"], what);
        let uri = a["uri"].as_str().unwrap();
        assert_uri_reference(uri);
        // §3.4.4: uriBaseId only with a relative reference.
        assert_eq!(
            a.get("uriBaseId").is_some(),
            !uri.starts_with("file:"),
            "{what}: uriBaseId with {uri}"
        );
        let Some(r) = p.get("region") else { return };
        keys(
            r,
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "byteOffset",
                "byteLength",
                "snippet",
            ],
            &[],
            what,
        );
        let n = |k: &str| r.get(k).map(|v| v.as_i64().unwrap());
        // region: lines and columns are integers ≥ 1, byteOffset ≥ -1,
        // byteLength ≥ 0; §3.30.5: the region is a line/column or a byte
        // region (we give both).
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(n(k).is_none_or(|v| v >= 1), "{what}: {k} ≥ 1");
        }
        assert!(n("startLine").is_some() || n("byteOffset").is_some());
        assert!(n("byteOffset").is_none_or(|v| v >= -1));
        assert!(n("byteLength").is_none_or(|v| v >= 0));
        // §3.30: the end is not before the start.
        if let (Some(sl), Some(el)) = (n("startLine"), n("endLine")) {
            assert!(el >= sl, "{what}: endLine ≥ startLine");
            if sl == el
                && let (Some(sc), Some(ec)) = (n("startColumn"), n("endColumn"))
            {
                assert!(ec >= sc, "{what}: endColumn ≥ startColumn");
            }
        }
        if let Some(s) = r.get("snippet") {
            // artifactContent: text is a string.
            keys(s, &["text", "binary", "rendered"], &[], what);
            assert!(s["text"].is_string());
        }
    }

    /// The part of the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json)
    /// that covers what Clearance emits, as assertions (the schema is not
    /// vendored and tests have no network):
    /// - `additionalProperties: false` on every object we write: only
    ///   properties the schema defines for that object;
    /// - `required`: sarifLog {version, runs}, run {tool}, tool {driver},
    ///   toolComponent {name}, reportingDescriptor {id}, result {message},
    ///   invocation {executionSuccessful}, notification {message},
    ///   multiformatMessageString {text}, artifactLocation (uri, ours);
    /// - enums: version "2.1.0", columnKind, level (results, notifications,
    ///   defaultConfiguration);
    /// - formats and minimums: $schema an absolute URI, uri a URI reference,
    ///   ruleIndex ≥ -1, region lines/columns ≥ 1, byteOffset ≥ -1,
    ///   byteLength ≥ 0; `rules` uniqueItems (by id);
    /// - and spec prose the schema cannot say: ruleIndex names the rule of
    ///   ruleId (§3.27.6), end not before start (§3.30), no uriBaseId with
    ///   an absolute URI (§3.4.4), partialFingerprints values are strings.
    fn assert_sarif_2_1_0(log: &Value) {
        keys(
            log,
            &["$schema", "version", "runs"],
            &["version", "runs"],
            "log",
        );
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].as_str().unwrap().starts_with("https://"));
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        keys(
            run,
            &[
                "tool",
                "automationDetails",
                "originalUriBaseIds",
                "columnKind",
                "results",
                "invocations",
            ],
            &["tool"],
            "run",
        );
        // §3.17.4: the category is what comes before the last `/`.
        keys(
            &run["automationDetails"],
            &["id"],
            &["id"],
            "automationDetails",
        );
        assert!(
            run["automationDetails"]["id"]
                .as_str()
                .unwrap()
                .ends_with('/')
        );
        if let Some(bases) = run.get("originalUriBaseIds") {
            for (name, base) in bases.as_object().unwrap() {
                keys(base, &["uri"], &["uri"], name);
                // §3.14.14: an absolute URI ending with a slash.
                let uri = base["uri"].as_str().unwrap();
                assert!(uri.starts_with("file:") && uri.ends_with('/'), "{uri}");
                assert_uri_reference(uri);
            }
        }
        assert!(
            ["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap())
        );
        keys(&run["tool"], &["driver"], &["driver"], "tool");
        let driver = &run["tool"]["driver"];
        keys(
            driver,
            &["name", "version", "informationUri", "rules"],
            &["name"],
            "driver",
        );
        assert!(driver["name"].is_string() && driver["version"].is_string());
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "rule ids are unique");
        for r in rules {
            keys(
                r,
                &[
                    "id",
                    "name",
                    "shortDescription",
                    "fullDescription",
                    "help",
                    "helpUri",
                    "defaultConfiguration",
                ],
                &["id"],
                "rule",
            );
            if let Some(uri) = r.get("helpUri") {
                assert!(uri.as_str().unwrap().starts_with("http"), "{uri}");
            }
            assert!(r["name"].is_string());
            for k in ["shortDescription", "fullDescription", "help"] {
                message(&r[k], k);
            }
            keys(
                &r["defaultConfiguration"],
                &["level"],
                &[],
                "defaultConfiguration",
            );
            level(&r["defaultConfiguration"]["level"], "defaultConfiguration");
        }
        for res in run["results"].as_array().unwrap() {
            keys(
                res,
                &[
                    "ruleId",
                    "ruleIndex",
                    "level",
                    "message",
                    "locations",
                    "partialFingerprints",
                    "properties",
                ],
                &["message"],
                "result",
            );
            // A property bag (§3.8): an object; ours holds a record's
            // identity.
            if let Some(bag) = res.get("properties") {
                keys(
                    bag,
                    &["record", "fieldSpan", "tags"],
                    &["record"],
                    "result.properties",
                );
            }
            message(&res["message"], "result.message");
            level(&res["level"], "result");
            let rule = res["ruleId"].as_str().unwrap();
            if let Some(i) = res.get("ruleIndex") {
                let i = i.as_i64().unwrap();
                assert!(i >= -1);
                assert_eq!(ids[usize::try_from(i).unwrap()], rule, "ruleIndex");
            }
            for loc in res["locations"].as_array().unwrap() {
                location(loc, "result.location");
            }
            let fps: &Map<String, Value> = res["partialFingerprints"].as_object().unwrap();
            assert!(fps.values().all(Value::is_string));
        }
        for inv in run["invocations"].as_array().unwrap() {
            keys(
                inv,
                &["executionSuccessful", "toolExecutionNotifications"],
                &["executionSuccessful"],
                "invocation",
            );
            assert!(inv["executionSuccessful"].is_boolean());
            for note in inv["toolExecutionNotifications"].as_array().unwrap() {
                keys(
                    note,
                    &["level", "message", "locations"],
                    &["message"],
                    "notification",
                );
                message(&note["message"], "notification.message");
                level(&note["level"], "notification");
                for loc in note
                    .get("locations")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    location(loc, "notification.location");
                }
            }
        }
    }

    #[test]
    fn meets_the_schema_and_points_at_bytes_on_disk() {
        let log = sarif(&fixture::outcome());
        assert_sarif_2_1_0(&log);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "clearance");
        assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let rule = &run["tool"]["driver"]["rules"][2];
        assert_eq!(rule["id"], "il-27a/year-malformed");
        assert_eq!(rule["name"], "YearMalformed");
        assert_eq!(
            rule["fullDescription"]["text"],
            "year … is not the Act's year"
        );
        assert_eq!(rule["defaultConfiguration"]["level"], "warning");

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        let on_disk = |uri: &str| -> Vec<u8> {
            match uri {
                "dump.jsonl" => DUMP.as_bytes().to_vec(),
                "news/he.txt" => HEBREW.as_bytes().to_vec(),
                "%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/ar%201256.txt" => fixture::arabic_bytes(),
                other => panic!("unexpected uri {other}"),
            }
        };
        let mut seen = Vec::new();
        for res in results {
            let loc = &res["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let r = &loc["region"];
            let n = |k: &str| usize::try_from(r[k].as_u64().unwrap()).unwrap();
            let bytes = on_disk(uri);
            let raw = &bytes[n("byteOffset")..n("byteOffset") + n("byteLength")];
            let text = if uri.ends_with("1256.txt") {
                encoding_rs::WINDOWS_1256
                    .decode_without_bom_handling(raw)
                    .0
                    .into_owned()
            } else {
                String::from_utf8(raw.to_vec()).unwrap()
            };
            assert_eq!(text, r["snippet"]["text"].as_str().unwrap(), "{uri}");
            seen.push((
                uri.to_string(),
                res["ruleId"].as_str().unwrap().to_string(),
                res["level"].as_str().unwrap().to_string(),
                [
                    n("startLine"),
                    n("startColumn"),
                    n("endLine"),
                    n("endColumn"),
                    n("byteOffset"),
                    n("byteLength"),
                ],
            ));
        }
        let row = |uri: &str, rule: &str, level: &str, pos: [usize; 6]| {
            (uri.to_string(), rule.to_string(), level.to_string(), pos)
        };
        let record = DUMP.find("{\"text\":\"no notice\"}").unwrap();
        let section = HEBREW.find("סעיף").unwrap();
        let across = HEBREW.find("ראו").unwrap();
        assert_eq!(
            seen,
            [
                // The record is line 3 of the dump; nothing matched: an empty span.
                row(
                    "dump.jsonl",
                    "il-27a/notice-missing",
                    "error",
                    [3, 1, 3, 1, record, 0]
                ),
                // Columns count characters (5), offsets count bytes.
                row(
                    "news/he.txt",
                    "il-27a/section-malformed",
                    "error",
                    [2, 5, 2, 15, section, "סעיף 27(א)".len()]
                ),
                // Across a line break: the end is on the next line.
                row(
                    "news/he.txt",
                    "house/credit-split",
                    "note",
                    [2, 22, 3, 5, across, "ראו\nline".len()]
                ),
                // windows-1256: one byte per letter on disk.
                row(
                    "%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/ar%201256.txt",
                    "il-27a/year-malformed",
                    "warning",
                    [2, 19, 2, 23, 24, 4]
                ),
            ]
        );
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
            ""
        );
        assert_eq!(
            results[1]["message"]["text"],
            "cites «27(א)»: 100%, see\nbelow"
        );

        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let notes = inv["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        let loc = &notes[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dump.jsonl");
        assert_eq!(loc["region"], serde_json::json!({"startLine": 4}));
        assert_eq!(notes[1]["message"]["text"], "binary file; skipped");
        assert_eq!(
            notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "news/bad.md"
        );
    }

    #[test]
    fn each_rule_is_listed_once() {
        let mut rules = fixture::rules();
        rules.insert(0, rules[2].clone());
        let mut out = Vec::new();
        write(&fixture::outcome(), &rules, &Settings::plain(100), &mut out).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        assert_sarif_2_1_0(&log);
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["rules"].as_array().unwrap().len(), 4);
        assert_eq!(driver["rules"][0]["id"], "il-27a/year-malformed");
        assert_eq!(log["runs"][0]["results"][3]["ruleIndex"], 0);
    }

    #[test]
    fn a_clean_run_is_successful_and_still_valid() {
        let log = sarif(&Outcome {
            files: 3,
            ..Outcome::default()
        });
        assert_sarif_2_1_0(&log);
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        assert_eq!(
            log["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
    }

    #[test]
    fn fingerprints_are_stable_and_follow_the_text() {
        let fps = |outcome: &Outcome| -> Vec<String> {
            sarif(outcome)["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r["partialFingerprints"][FINGERPRINT]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        let first = fps(&fixture::outcome());
        assert_eq!(first, fps(&fixture::outcome()));
        // FNV-1a 64 of "il-27a/section-malformed\0news/he.txt\0סעיף 27(א)",
        // computed independently: the value must not change across
        // platforms or releases, or every dashboard alert reopens.
        assert_eq!(first[1], "68864f6fbd81dbee:1");
        let mut moved = fixture::outcome();
        let f = &mut moved.reports[1].findings[0];
        f.line += 7;
        f.file_span = f.file_span.start + 90..f.file_span.end + 90;
        f.matched = "סעיף\n  27(א)".to_string();
        assert_eq!(
            fps(&moved)[1],
            first[1],
            "whitespace and position do not count"
        );
        moved.reports[1].findings[0].matched = "סעיף 72(א)".to_string();
        assert_ne!(fps(&moved)[1], first[1], "different text");
        assert_eq!(first.iter().filter(|f| f.len() == 18).count(), first.len());
    }

    /// GitHub matches alerts by fingerprint: the same leftover three times
    /// in one file is three alerts, numbered in file order, and the same
    /// text in another file or of another rule starts again at 1.
    #[test]
    fn each_finding_has_its_own_fingerprint() {
        let mut outcome = fixture::outcome();
        let report = &mut outcome.reports[1];
        let copy = report.findings[0].clone();
        for k in 1..3 {
            let mut again = copy.clone();
            again.line += 2 * k;
            // Whitespace does not make a copy a different text.
            if k == 2 {
                again.matched = again.matched.replace(' ', "\n ");
            }
            report.findings.push(again);
        }
        let log = sarif(&outcome);
        let fps: Vec<&str> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"][FINGERPRINT].as_str().unwrap())
            .collect();
        let mut unique = fps.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), fps.len(), "{fps:?}");
        let copies: Vec<&str> = fps
            .iter()
            .copied()
            .filter(|f| f.starts_with("68864f6fbd81dbee:"))
            .collect();
        assert_eq!(
            copies,
            [
                "68864f6fbd81dbee:1",
                "68864f6fbd81dbee:2",
                "68864f6fbd81dbee:3"
            ]
        );
    }

    #[test]
    fn uris_are_rfc_3986_references() {
        let uri = |p: &str| artifact(&DocId::file(p), None).uri;
        assert_eq!(uri("news/my story.md"), "news/my%20story.md");
        assert_eq!(uri("./news/a.txt"), "news/a.txt");
        assert_eq!(uri("أ/b.txt"), "%D8%A3/b.txt");
        assert_eq!(uri("100%.md"), "100%25.md");
        assert_eq!(uri("a#b?c[1].md"), "a%23b%3Fc%5B1%5D.md");
        // A colon in the first segment would make `c` a scheme.
        assert_eq!(uri("c:notes/12:30.md"), "c%3Anotes/12:30.md");
        assert_eq!(uri("../shared/a,b;c.txt"), "../shared/a,b;c.txt");
        let abs = artifact(&DocId::file("/srv/news/a b.txt"), None);
        assert_eq!(abs.uri, "file:///srv/news/a%20b.txt");
        assert!(abs.uri_base_id.is_none());
        for p in [
            "news/my story.md",
            "c:notes/12:30.md",
            "أ/b.txt",
            "/srv/x:y.txt",
            "a\\b.txt",
        ] {
            assert_uri_reference(&uri(p));
        }
    }

    /// A URI names the file itself: the bytes of its name, not the escapes
    /// people are shown.
    #[cfg(unix)]
    #[test]
    fn uris_are_the_files_own_bytes() {
        let uri = |p: &str| artifact(&DocId::file(p), None).uri;
        // As shown: `back\\slash.txt`, `new\\x0Aline.txt`, `new\x0Aline.txt`…
        assert_eq!(uri(r"back\\slash.txt"), "back%5Cslash.txt");
        assert_eq!(uri(r"new\\x0Aline.txt"), "new%5Cx0Aline.txt");
        assert_eq!(uri(r"new\x0Aline.txt"), "new%0Aline.txt");
        assert_eq!(uri(r"bad\xFFname.txt"), "bad%FFname.txt");
        assert_eq!(
            artifact(&DocId::record(r"sub/we\xFEird.jsonl", 3), None).uri,
            "sub/we%FEird.jsonl"
        );
    }

    /// With the repository known, every file is named from its top folder,
    /// wherever the check ran, and `%SRCROOT%` says where that is.
    #[test]
    fn uris_are_relative_to_the_repository_top() {
        let repository = Repository {
            cwd: std::path::PathBuf::from("/work/site/content/he"),
            top: std::path::PathBuf::from("/work/site"),
        };
        let at = |p: &str| {
            let a = artifact(&DocId::file(p), Some(&repository));
            (a.uri, a.uri_base_id)
        };
        assert_eq!(at("a.txt"), ("content/he/a.txt".to_string(), Some(SRCROOT)));
        assert_eq!(
            at("../ar/./b.md"),
            ("content/ar/b.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            at("./x/./y.txt"),
            ("content/he/x/y.txt".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            at("/work/site/top.md"),
            ("top.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            at("../../../elsewhere/c.txt"),
            ("file:///work/elsewhere/c.txt".to_string(), None)
        );
        let settings = Settings {
            repository: Some(repository.clone()),
            sarif_category: "archive/".to_string(),
            ..Settings::plain(100)
        };
        let mut out = Vec::new();
        write(&fixture::outcome(), &fixture::rules(), &settings, &mut out).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        assert_sarif_2_1_0(&log);
        let run = &log["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"][SRCROOT]["uri"],
            "file:///work/site/"
        );
        assert_eq!(run["automationDetails"]["id"], "archive/");
        assert_eq!(
            run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "content/he/dump.jsonl"
        );
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name("il-27a/notice-missing"), "NoticeMissing");
        assert_eq!(rule_name("house/credit_split"), "CreditSplit");
        assert_eq!(rule_name("plain"), "Plain");
        assert_eq!(rule_name("x/-"), "-");
    }

    #[test]
    fn output_is_identical_across_runs() {
        let run = || {
            let mut out = Vec::new();
            write(
                &fixture::outcome(),
                &fixture::rules(),
                &Settings::plain(100),
                &mut out,
            )
            .unwrap();
            out
        };
        assert_eq!(run(), run());
    }
}
