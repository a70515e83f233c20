//! `--format csv`: one row per finding, for a spreadsheet. RFC 4180 (CRLF
//! line ends, a field quoted when it holds a comma, a quote or a line
//! break, quotes doubled), UTF-8 with a byte-order mark so spreadsheet
//! programs read Arabic and Hebrew as UTF-8.
//!
//! Text from input is shown as in human output ([`super::escape::text`]:
//! no control characters, no bidi overrides), and a cell that a spreadsheet
//! would take for a formula (one starting with `=`, `+`, `-`, `@`) starts
//! with an apostrophe instead, so a hostile article cannot run one.

use std::borrow::Cow;
use std::io::{self, Write};

use super::Outcome;
use super::escape;

const HEADER: &[&str] = &[
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "severity",
    "message",
    "matched",
    "byte_start",
    "byte_end",
    "record_id",
    "field",
    "field_byte_start",
    "field_byte_end",
];

/// A cell as RFC 4180 writes it, safe to open in a spreadsheet.
fn cell(s: &str) -> Cow<'_, str> {
    let shown = escape::text(s);
    let formula = shown.starts_with(['=', '+', '-', '@']);
    let quote = shown.contains([',', '"', '\r', '\n']);
    if !formula && !quote {
        return shown;
    }
    let mut out = String::with_capacity(shown.len() + 3);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in shown.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
    Cow::Owned(out)
}

pub(super) fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    out.write_all(HEADER.join(",").as_bytes())?;
    out.write_all(b"\r\n")?;
    for (file, f) in outcome.findings() {
        // A JSON-lines record's id, and the place in the field's own text.
        let place = f.field.as_deref();
        let row = [
            cell(&file.id.to_string()).into_owned(),
            f.line.to_string(),
            f.column.to_string(),
            f.end_line.to_string(),
            f.end_column.to_string(),
            cell(&f.rule).into_owned(),
            f.severity.to_string(),
            cell(&f.message).into_owned(),
            cell(&f.matched).into_owned(),
            f.file_span.start.to_string(),
            f.file_span.end.to_string(),
            file.id
                .key
                .as_deref()
                .map_or_else(String::new, |k| cell(k).into_owned()),
            place.map_or_else(String::new, |p| cell(&p.field).into_owned()),
            place.map_or_else(String::new, |p| p.span.start.to_string()),
            place.map_or_else(String::new, |p| p.span.end.to_string()),
        ];
        out.write_all(row.join(",").as_bytes())?;
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    #[test]
    fn cells_are_quoted_escaped_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+972-2-555"), "'+972-2-555");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        // A line break or an override is shown, not kept.
        assert_eq!(cell("a\nb"), "a\\nb");
        assert_eq!(cell("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(cell("לפי סעיף 27א"), "לפי סעיף 27א");
    }

    #[test]
    fn one_row_per_finding_after_a_bom_and_a_header() {
        let mut out = Vec::new();
        write(&fixture::outcome(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\u{feff}path,line,column,end_line,end_column,rule,"));
        let rows: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        // Header, one row per finding, and the empty string after the last CRLF.
        assert_eq!(rows.len(), fixture::outcome().total() + 2, "{text}");
        assert_eq!(rows.last(), Some(&""));
        assert!(rows[1].starts_with("dump.jsonl:3,"), "{}", rows[1]);
    }
}
