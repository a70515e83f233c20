//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.
//!
//! Written with small structs of our own rather than a crate that models the
//! whole schema: Clearance emits one run, its rules and its results.
//! Columns are Unicode code points (`columnKind`), byte offsets are bytes of
//! the file on disk, and each result carries a fingerprint (rule, path and
//! matched text) so dashboards track a finding across edits.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Outcome, RuleInfo};
use crate::finding::{Finding, Severity};
use crate::suppress::fingerprint;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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
    column_kind: &'static str,
    results: Vec<SarifResult>,
    invocations: [Invocation; 1],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Level,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    snippet: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The file part of a report path (`dump.jsonl:12` → `dump.jsonl`).
pub(super) fn file_path(path: &str) -> &str {
    match path.rsplit_once(':') {
        Some((file, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => path,
    }
}

/// A relative URI reference: `/` separators, and characters outside the
/// URI grammar percent-encoded (RFC 3986), so any file name is a valid `uri`.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(f: &Finding) -> Region {
    Region {
        start_line: f.line,
        start_column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        byte_offset: f.file_span.start,
        byte_length: f.file_span.end - f.file_span.start,
        snippet: Text {
            text: f.matched.clone(),
        },
    }
}

pub(super) fn write(outcome: &Outcome, rules: &[RuleInfo], out: &mut dyn Write) -> io::Result<()> {
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut results = Vec::new();
    for file in &outcome.reports {
        let path = file_path(&file.path);
        for f in &file.findings {
            results.push(SarifResult {
                rule_id: f.rule.clone(),
                rule_index: index.get(f.rule.as_str()).copied(),
                level: level(f.severity),
                message: Text {
                    text: f.message.clone(),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: Artifact {
                            uri: uri(path),
                            uri_base_id: "%SRCROOT%",
                        },
                        region: Some(region(f)),
                    },
                }],
                partial_fingerprints: BTreeMap::from([(
                    "clearance/v1",
                    fingerprint(&f.rule, &file.path, &f.matched),
                )]),
            });
        }
    }
    let notifications = outcome
        .problems
        .iter()
        .map(|p| Notification {
            level: "error",
            message: Text {
                text: p.message.clone(),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: Artifact {
                        uri: uri(file_path(&p.path)),
                        uri_base_id: "%SRCROOT%",
                    },
                    region: None,
                },
            }],
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
                    rules: rules
                        .iter()
                        .map(|r| Rule {
                            id: &r.id,
                            name: r.id.rsplit('/').next().unwrap_or(&r.id).to_string(),
                            short_description: Text {
                                text: r.title.clone(),
                            },
                            full_description: Text {
                                text: r.help.clone().unwrap_or_else(|| r.title.clone()),
                            },
                            help: Text {
                                text: r.help.clone().unwrap_or_else(|| r.title.clone()),
                            },
                            default_configuration: Level {
                                level: level(r.severity),
                            },
                        })
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            invocations: [Invocation {
                execution_successful: outcome.problems.is_empty(),
                tool_execution_notifications: notifications,
            }],
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
