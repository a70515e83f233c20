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

/// Why a block does not parse: a message and its span in the source.
type ParseError = (String, Range<usize>);

/// The block's fields as regions, or the error when it does not parse.
pub(super) fn fields(source: &str, block: &Block) -> Result<Vec<Region>, ParseError> {
    let text = &source[block.content.clone()];
    let base = block.content.start;
    let mut values: Vec<(String, Value)> = Vec::new();
    match block.format {
        Format::Yaml => {
            if text.trim().is_empty() {
                return Ok(Vec::new());
            }
            values = match simple_yaml(text, base) {
                Some(simple) => simple,
                None => full_yaml(text, base, block)?,
            };
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
    Ok(regions_of(source, block, values))
}

/// The regions of a block's top-level values.
fn regions_of(source: &str, block: &Block, values: Vec<(String, Value)>) -> Vec<Region> {
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
    regions
}

/// A block of plain `key: value` lines, the common case, read without the
/// YAML parser (which costs more than the rest of loading such a file).
/// Each value is a quoted string without escapes or a plain scalar that
/// starts with a letter and cannot be read as anything but a string; a
/// comment, a blank line or a repeated key is all that may come besides.
/// Anything else is `None`, and goes to the parser.
fn simple_yaml(text: &str, base: usize) -> Option<Vec<(String, Value)>> {
    let mut values: Vec<(String, Value)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line
            .strip_suffix('\n')
            .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        if !body.chars().all(plain_char) {
            return None;
        }
        if body.trim_start_matches(' ').is_empty() || body.starts_with('#') {
            continue;
        }
        let (key, rest) = body.split_once(':')?;
        let value = rest.strip_prefix(' ')?.trim_matches(' ');
        let simple_key = key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let special = NOT_STRINGS.iter().any(|w| key.eq_ignore_ascii_case(w));
        if !simple_key || special || values.iter().any(|(k, _)| k == key) {
            return None;
        }
        let content = simple_scalar(value)?;
        let offset = start + key.len() + 1 + (rest.len() - rest.trim_start_matches(' ').len());
        values.push((
            key.to_string(),
            Value {
                json: serde_json::Value::String(content.to_string()),
                span: Some(base + offset..base + offset + value.len()),
            },
        ));
    }
    values.sort_by(|a, b| a.0.cmp(&b.0));
    Some(values)
}

/// Plain scalars YAML reads as something other than a string (in one
/// version or another).
const NOT_STRINGS: [&str; 12] = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity",
];

/// A character a simple line may hold: printable for YAML, and no line
/// break of any YAML version (`\r` alone, NEL, the Unicode separators).
fn plain_char(c: char) -> bool {
    c >= ' '
        && !matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// The string a scalar stands for, when it is certainly a string and is
/// written without escapes.
fn simple_scalar(value: &str) -> Option<&str> {
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            let inner = rest.strip_suffix(quote)?;
            let plain = !inner.is_empty() && !inner.contains(quote) && !inner.contains('\\');
            return plain.then_some(inner);
        }
    }
    let plain = value.chars().next().is_some_and(char::is_alphabetic)
        && !value.contains(" #")
        && !value.contains(": ")
        && !value.ends_with(':')
        && !NOT_STRINGS.iter().any(|w| value.eq_ignore_ascii_case(w));
    plain.then_some(value)
}

/// Any YAML block, through the YAML parser.
fn full_yaml(text: &str, base: usize, block: &Block) -> Result<Vec<(String, Value)>, ParseError> {
    let mut values = Vec::new();
    let map: BTreeMap<String, Spanned<serde_json::Value>> =
        crate::yaml::parse(text).map_err(|e| {
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
    Ok(values)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(source: &str, block: &Block, values: Vec<(String, Value)>) -> Vec<String> {
        regions_of(source, block, values)
            .iter()
            .map(|r| {
                let parts: Vec<String> = r
                    .segments
                    .iter()
                    .map(|s| {
                        format!(
                            "{:?}={:?}",
                            s.src,
                            s.text.as_deref().unwrap_or(&source[s.src.clone()])
                        )
                    })
                    .collect();
                format!("{} {}", r.name, parts.join(" | "))
            })
            .collect()
    }

    /// Every block the fast path takes gives the parser's regions; every
    /// block it should not take, it leaves to the parser.
    #[test]
    fn simple_blocks_read_as_the_parser_reads_them() {
        let taken = [
            "title: \"תיקו בדרבי\"\nauthor: desk\n",
            "title: مهرجان الربيع في الناصرة\nsource: 'Arab48'\n",
            "# a comment\n\ntitle: Budget vote, the result\r\nauthor:   Dana Levi  \n",
            "z: last\na: first\nmiddle_key: He said \"no\" and left\n",
            "title: Don't stop\nurl: https://example.com/a:b\n",
        ];
        for text in taken {
            let source = format!("---\n{text}---\nbody\n");
            let block = split(&source).expect("a block");
            let simple = simple_yaml(text, block.content.start).expect(text);
            let full = full_yaml(text, block.content.start, &block).expect(text);
            assert_eq!(
                describe(&source, &block, simple),
                describe(&source, &block, full),
                "{text}"
            );
        }
        let refused = [
            "title: yes\n",
            "title: No\n",
            "count: 42\n",
            "date: 2024-05-01\n",
            "title: a # comment\n",
            "title: Budget vote: the result\n",
            "title: \"escaped \\\" quote\"\n",
            "title: ''\n",
            "title:\n  nested: x\n",
            "tags: [a, b]\n",
            "title: one\ntitle: two\n",
            "title: wrapped\n  onto two lines\n",
            "title:\tTab\n",
            "title: one\rtwo\n",
            "title: next\u{85}line\n",
            "yes: key\n",
            "clearance:\n  ignore: [wire]\n",
            "title: null\n",
            "title: ~\n",
            "title: *anchor\n",
        ];
        for text in refused {
            assert!(simple_yaml(text, 0).is_none(), "{text:?}");
        }
    }
}
