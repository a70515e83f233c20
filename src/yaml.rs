//! The one place that talks to the YAML library (rule packs, config, front matter).
//!
//! `serde-saphyr` stands where `serde_yaml` was asked for: serde_yaml is
//! archived and runs on C code translated to unsafe Rust, and it cannot give
//! the location of a *value*, only of a syntax error. serde-saphyr is pure
//! Rust, gives `Spanned<T>` byte offsets for any value (so a bad regex points
//! at itself), and has budgets against alias bombs and deep nesting. Keeping
//! it behind this module means swapping it touches one file.

use serde::de::DeserializeOwned;
use serde_saphyr::{Spanned, budget, options};
use std::ops::Range;

/// A YAML error with a byte range into the parsed text, when one is known.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub(crate) message: String,
    pub(crate) span: Option<Range<usize>>,
}

/// Parses one YAML document into `T`, with strict booleans and tight budgets.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let opts = options! {
        strict_booleans: true,
        budget: budget! {
            max_depth: 48,
            max_nodes: 200_000,
            max_aliases: 1_000,
            max_documents: 1,
        },
    };
    serde_saphyr::from_str_with_options::<T>(text, opts).map_err(|err| {
        let span = err.location().and_then(|loc| {
            let span = loc.span();
            match (span.byte_offset(), span.byte_len()) {
                (Some(start), len) => {
                    let start = usize::try_from(start).ok()?;
                    let len = len.and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
                    Some(start..start + len)
                }
                // Scanner errors may only know a character offset.
                (None, _) => {
                    let chars = usize::try_from(span.offset()).ok()?;
                    let start = text
                        .char_indices()
                        .nth(chars)
                        .map_or(text.len(), |(i, _)| i);
                    Some(start..start)
                }
            }
        });
        let rendered = err.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        YamlError {
            message: plain_message(&strip_location_suffix(&rendered)),
            span: span.map(|r| clamp(r, text)),
        }
    })
}

/// Byte range of a spanned value, when the parser recorded one.
pub(crate) fn span_of<T>(value: &Spanned<T>) -> Option<Range<usize>> {
    let span = value.referenced.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    Some(start..start + len)
}

fn clamp(r: Range<usize>, text: &str) -> Range<usize> {
    let mut start = r.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = r.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The parser's budget messages name its internals ("budget breached:
/// Nodes { nodes: 200001 }"); said here in the pack author's terms.
fn plain_message(message: &str) -> String {
    let Some(rest) = message.strip_prefix("budget breached:") else {
        return message.to_string();
    };
    let rest = rest.trim();
    let count = rest
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .unwrap_or("too many");
    let what = rest.split_whitespace().next().unwrap_or_default();
    match what {
        "Nodes" => format!(
            "the file holds more than {} YAML values ({count} so far); split it into several files",
            200_000
        ),
        "Depth" => "the YAML nests more than 48 levels deep".to_string(),
        "Aliases" => "the YAML uses more than 1,000 aliases (`*name`)".to_string(),
        "Documents" => {
            "the file holds more than one YAML document (`---`); put one in each file".to_string()
        }
        _ => format!("the YAML is larger than Clearance reads ({rest})"),
    }
}

/// The plain message ends with " at line L column C"; the diagnostic shows
/// the place itself, so the suffix is noise.
fn strip_location_suffix(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}
