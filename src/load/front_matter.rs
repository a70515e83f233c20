//! Front matter: a YAML (`---`) or TOML (`+++`) block at the top of a
//! Markdown file. Each top-level string (or list of strings) becomes a
//! region `front_matter.<key>`; `title` is also the document's `title`.

use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::ops::Range;

use super::{Region, Segment};
use crate::normalize::Gap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Yaml,
    Toml,
}

/// Where the block is: its content, and where the body begins.
#[derive(Debug)]
pub(super) struct Block {
    pub(super) format: Format,
    pub(super) content: Range<usize>,
    pub(super) end: usize,
}

/// Finds a front-matter block at the very start (after an optional BOM).
pub(super) fn split(source: &str) -> Option<Block> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    let (format, fence) = if rest.starts_with("---") {
        (Format::Yaml, "---")
    } else if rest.starts_with("+++") {
        (Format::Toml, "+++")
    } else {
        return None;
    };
    let first_line_end = rest.find('\n')?;
    if rest[..first_line_end].trim_end() != fence {
        return None;
    }
    let content_start = start + first_line_end + 1;
    let mut pos = content_start;
    for line in source[content_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (format == Format::Yaml && t == "...") {
            return Some(Block {
                format,
                content: content_start..pos,
                end: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

/// The block's fields as regions, or (message, span in the source) when it does not parse.
pub(super) fn fields(source: &str, block: &Block) -> Result<Vec<Region>, (String, Range<usize>)> {
    let text = &source[block.content.clone()];
    let base = block.content.start;
    let mut values: Vec<(String, Value)> = Vec::new();
    match block.format {
        Format::Yaml => {
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            let map: BTreeMap<String, Spanned<serde_json::Value>> = crate::yaml::parse(text)
                .map_err(|e| {
                    (
                        e.message,
                        e.span
                            .map_or(block.content.clone(), |s| base + s.start..base + s.end),
                    )
                })?;
            for (key, v) in map {
                let span = crate::yaml::span_of(&v).map(|s| base + s.start..base + s.end);
                values.push((
                    key,
                    Value {
                        json: v.value,
                        span,
                    },
                ));
            }
        }
        Format::Toml => {
            let map: BTreeMap<String, toml::Spanned<toml::Value>> =
                toml::from_str(text).map_err(|e| {
                    let span = e
                        .span()
                        .map_or(block.content.clone(), |s| base + s.start..base + s.end);
                    (e.message().trim().to_string(), span)
                })?;
            for (key, v) in map {
                let span = v.span();
                let json = toml_to_json(v.into_inner());
                values.push((
                    key,
                    Value {
                        json,
                        span: Some(base + span.start..base + span.end),
                    },
                ));
            }
        }
    }
    let mut regions = Vec::new();
    for (key, value) in values {
        // `clearance: { ignore: [...] }` suppresses rules file-wide; it is kept
        // as a region no rule reads, so `suppress` can find it with its spans.
        let (key, json) = match (key.as_str(), &value.json) {
            ("clearance", serde_json::Value::Object(map)) => match map.get("ignore") {
                Some(ignore) => (crate::suppress::FRONT_MATTER_REGION.to_string(), ignore),
                None => continue,
            },
            _ => (format!("front_matter.{key}"), &value.json),
        };
        // Strings, and booleans and numbers as written (`republished: true`).
        let scalar = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let owned: Vec<String> = match json {
            serde_json::Value::Array(items) => items.iter().filter_map(scalar).collect(),
            other => scalar(other).into_iter().collect(),
        };
        let strings: Vec<&str> = owned.iter().map(String::as_str).collect();
        if strings.is_empty() {
            continue;
        }
        // Look for the value's text from where the value starts (a sequence's
        // span may cover only its opening bracket) to the end of the block.
        let area = value
            .span
            .as_ref()
            .map_or(block.content.clone(), |s| s.start..block.content.end);
        let mut cursor = area.start;
        let mut segments = Vec::new();
        for s in strings {
            let gap = if segments.is_empty() {
                Gap::None
            } else {
                Gap::Paragraph
            };
            let found = source[cursor..area.end.max(cursor)]
                .find(s)
                .filter(|_| !s.is_empty());
            match found {
                Some(offset) => {
                    let start = cursor + offset;
                    segments.push(Segment::exact(start..start + s.len(), gap));
                    cursor = start + s.len();
                }
                // Escaped or folded scalars: the decoded text stands for the whole value.
                None => {
                    let src = value
                        .span
                        .clone()
                        .filter(|s| s.end > s.start)
                        .unwrap_or(area.clone());
                    segments.push(Segment {
                        src,
                        text: Some(s.to_string()),
                        gap,
                    });
                }
            }
        }
        if key == "front_matter.title" {
            regions.push(Region::new("title", segments.clone()));
        }
        regions.push(Region::new(key, segments));
    }
    Ok(regions)
}

struct Value {
    json: serde_json::Value,
    span: Option<Range<usize>>,
}

fn toml_to_json(v: toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Boolean(b) => serde_json::Value::Bool(b),
        toml::Value::Integer(i) => serde_json::Value::from(i),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(toml_to_json).collect())
        }
        _ => serde_json::Value::Null,
    }
}
