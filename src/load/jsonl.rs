//! JSON lines (`.jsonl`, `.ndjson`, or standard input): one article per
//! line, reported as `file.jsonl:LINE`.
//!
//! A record's fields are JSON strings, so their text is escaped in the file.
//! Each field is unescaped into pieces that remember their raw bytes (plain
//! runs exactly, each escape as a whole), and the regions built from the
//! unescaped text are mapped back through those pieces: a finding in a
//! record still points at bytes of the dump. A malformed line is reported
//! and skipped; the rest of the dump is still checked.

use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::BufRead;
use std::ops::{ControlFlow, Range};

use super::decode::Origin;
use super::{DocId, Document, InputProblem, ProblemSource, Region, Segment, text};
use crate::normalize::Gap;

/// Which record fields hold what. Each role names one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    /// Plain article text: body, footer (and title when no title field).
    pub text: String,
    /// Article HTML: body and the HTML regions (captions, meta, licence links).
    pub html: String,
    pub title: String,
    /// Region `meta.source`.
    pub source: String,
    /// Region `meta.url`.
    pub url: String,
    /// The field that names a record (`--id-field`); `None`: `id`, else
    /// the `url` field.
    pub id: Option<String>,
    /// How the text field is read.
    pub text_format: FieldFormat,
}

/// How a record's text field is read (`--field-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldFormat {
    /// Plain text.
    Text,
    Markdown,
    /// An HTML page or fragment: read as the `html` field is.
    Html,
    /// HTML when it looks like HTML ([`looks_like_html`]), else plain text.
    #[default]
    Auto,
}

/// Whether a text field holds HTML rather than prose: it opens with a tag
/// (or a doctype or comment) and closes one of the elements an article is
/// built of. Prose that mentions `<p>` or quotes a `<` does not.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    let opens = t.starts_with('<')
        && t[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!');
    const CLOSERS: &[&str] = &[
        "</p>",
        "</div>",
        "</h1>",
        "</h2>",
        "</h3>",
        "</h4>",
        "</figure>",
        "</figcaption>",
        "</article>",
        "</section>",
        "</span>",
        "</a>",
        "</li>",
        "</body>",
        "</html>",
        "</strong>",
        "</em>",
        "</blockquote>",
        "</table>",
    ];
    opens && {
        let lower = t.to_ascii_lowercase();
        CLOSERS.iter().any(|c| lower.contains(c))
    }
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            text: "text".into(),
            html: "html".into(),
            title: "title".into(),
            source: "source".into(),
            url: "url".into(),
            id: None,
            text_format: FieldFormat::Auto,
        }
    }
}

impl Fields {
    /// Applies `ROLE=FIELD` (e.g. `text=body`).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (role, field) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: expected ROLE=FIELD, e.g. text=body"))?;
        let field = field.trim().to_string();
        if field.is_empty() {
            return Err(format!("`{spec}`: the field name is empty"));
        }
        match role.trim() {
            "text" => self.text = field,
            "html" => self.html = field,
            "title" => self.title = field,
            "source" => self.source = field,
            "url" => self.url = field,
            "id" => self.id = Some(field),
            other => {
                return Err(format!(
                    "unknown role `{other}` (use text, html, title, source, url or id)"
                ));
            }
        }
        Ok(())
    }
}

/// Reads records from `reader`, calling `each` with a document per record or
/// a problem per bad line. `max_line` caps one record's size in bytes.
/// ([`lines`], [`parse`] and [`Tally`] are the same, in pieces that let
/// several threads parse the lines one thread reads.)
pub fn read(
    reader: &mut dyn BufRead,
    display: &str,
    fields: &Fields,
    max_line: u64,
    each: &mut dyn FnMut(Result<Document, InputProblem>),
) {
    let tally = Tally::default();
    lines(reader, display, max_line, &mut |line| {
        match line {
            Ok(line) => {
                if let Some(loaded) = parse(&line, display, fields, &tally) {
                    each(loaded);
                }
            }
            Err(p) => each(Err(p)),
        }
        ControlFlow::Continue(())
    });
    if let Some((p, _)) = tally.problem(display, fields) {
        each(Err(p));
    }
}

/// One line of a dump that holds a record: its text, its 1-based line and
/// the byte it starts at.
#[derive(Debug)]
pub struct Line {
    text: String,
    number: usize,
    start: usize,
}

impl Line {
    /// Line `number` (1-based) of a dump, starting at byte `start`.
    pub fn new(text: String, number: usize, start: usize) -> Line {
        Line {
            text,
            number,
            start,
        }
    }
}

/// Reads the lines of a dump, calling `each` with each line that holds a
/// record (blank lines are skipped) or a problem for one that cannot: over
/// `max_line` bytes, not UTF-8, or unreadable. Stops early when `each`
/// says so.
pub fn lines(
    reader: &mut dyn BufRead,
    display: &str,
    max_line: u64,
    each: &mut dyn FnMut(Result<Line, InputProblem>) -> ControlFlow<()>,
) {
    let mut buf = Vec::new();
    let mut offset = 0usize;
    let mut number = 0usize;
    // A line is kept up to one byte past the limit: enough to know it is
    // over, so a record of gigabytes (or an endless one) is never held.
    let keep = usize::try_from(max_line.saturating_add(1)).unwrap_or(usize::MAX);
    loop {
        buf.clear();
        let (read, whole) = match read_line_capped(reader, &mut buf, keep) {
            Ok((0, _)) => break,
            Ok(n) => n,
            Err(e) => {
                let _ = each(Err(problem(
                    display,
                    number + 1,
                    format!("cannot read: {e}"),
                    None,
                )));
                break;
            }
        };
        number += 1;
        let start = offset;
        offset += read;
        let mut end = buf.len();
        while end > 0 && matches!(buf[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let raw = &buf[..end];
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if raw.len() as u64 > max_line {
            let size = if whole {
                format!("{} bytes", raw.len())
            } else {
                format!("over {max_line} bytes")
            };
            let flow = each(Err(problem(
                display,
                number,
                format!("record is {size}, over the {max_line}-byte limit; skipped"),
                None,
            )));
            if flow.is_break() {
                break;
            }
            continue;
        }
        let flow = match super::decode::valid_utf8(raw) {
            Some(line) => each(Ok(Line {
                text: line.to_string(),
                number,
                start,
            })),
            None => each(Err(problem(
                display,
                number,
                format!(
                    "record is not valid UTF-8 (byte {}); skipped",
                    encoding_rs::Encoding::utf8_valid_up_to(raw)
                ),
                None,
            ))),
        };
        if flow.is_break() {
            break;
        }
    }
}

/// Records read, and those with neither the text nor the HTML field (the
/// first of them kept for the message), shared by the threads that parse.
#[derive(Debug, Default)]
pub struct Tally {
    records: std::sync::atomic::AtomicUsize,
    without: std::sync::Mutex<Without>,
}

/// How many records held no article, and the first of them: its line and
/// the fields it has.
type Without = (usize, Option<(usize, Vec<String>)>);

impl Tally {
    /// One problem for the dump when some records held no article: how
    /// many, and the fields the first of them has; and that count.
    pub fn problem(&self, display: &str, fields: &Fields) -> Option<(InputProblem, usize)> {
        let records = self.records.load(std::sync::atomic::Ordering::Relaxed);
        let (count, first) =
            std::mem::take(&mut *self.without.lock().unwrap_or_else(|e| e.into_inner()));
        // A misnamed field (`--jsonl-field text=body` on records that hold
        // `content`) would leave every record with nothing to check: one
        // problem for the dump says so, not one per record.
        let (line, has) = first?;
        let has = if has.is_empty() {
            "no fields".to_string()
        } else {
            has.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let problem = InputProblem {
            id: DocId::file(display),
            message: format!(
                "{count} of {records} {} no `{}` or `{}` field and {} not checked \
                 (the first, on line {line}, has {has}); name the field that holds the article \
                 with --jsonl-field text=FIELD or html=FIELD",
                if count == 1 {
                    "records has"
                } else {
                    "records have"
                },
                fields.text,
                fields.html,
                if count == 1 { "was" } else { "were" },
            ),
            span: None,
            source: None,
        };
        Some((problem, count))
    }
}

/// Parses one line into a document, or a problem; `None` for a record
/// without an article, which `tally` counts.
pub fn parse(
    line: &Line,
    display: &str,
    fields: &Fields,
    tally: &Tally,
) -> Option<Result<Document, InputProblem>> {
    tally
        .records
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match record(&line.text, display, line.number, line.start, fields) {
        Ok(doc) => Some(Ok(doc)),
        Err(Rejected::Problem(p)) => Some(Err(p)),
        Err(Rejected::NoArticle(has)) => {
            let mut without = tally.without.lock().unwrap_or_else(|e| e.into_inner());
            without.0 += 1;
            // The first by line, whichever thread saw it first.
            if without.1.as_ref().is_none_or(|(n, _)| line.number < *n) {
                without.1 = Some((line.number, has));
            }
            None
        }
    }
}

/// Why a line gave no document.
enum Rejected {
    /// Something wrong with it, said on its own.
    Problem(InputProblem),
    /// It is a record, but without the text or HTML field: which fields it
    /// has (at most eight), for the message that sums these up.
    NoArticle(Vec<String>),
}

impl From<InputProblem> for Rejected {
    fn from(p: InputProblem) -> Rejected {
        Rejected::Problem(p)
    }
}

/// Reads one line, its `\n` included, into `buf`, keeping at most `keep`
/// bytes of it and skipping the rest. Returns the bytes the line took in
/// the stream and whether `buf` holds all of it.
fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    keep: usize,
) -> std::io::Result<(usize, bool)> {
    let mut total = 0usize;
    let mut whole = true;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, whole));
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = keep.saturating_sub(buf.len());
        if take > room {
            whole = false;
        }
        buf.extend_from_slice(&chunk[..take.min(room)]);
        reader.consume(take);
        total += take;
        if done {
            return Ok((total, whole));
        }
    }
}

/// A problem with record `number`; `at` is the line, where it starts in
/// the dump, and the place in the line.
fn problem(
    display: &str,
    number: usize,
    message: String,
    at: Option<(&str, usize, Range<usize>)>,
) -> InputProblem {
    InputProblem {
        id: DocId::record(display, number),
        message,
        span: at
            .as_ref()
            .map(|(_, start, r)| start + r.start..start + r.end),
        source: at.map(|(line, _, span)| {
            Box::new(ProblemSource {
                text: line.to_string(),
                span,
                line_base: number.saturating_sub(1),
            })
        }),
    }
}

/// What is wrong with a line that is not a JSON record, in a sentence a
/// user understands (serde_json's own words, "expected ident", are the
/// parser's, not the reader's).
fn json_error(line: &str, e: &serde_json::Error) -> String {
    let first = line.trim_start().chars().next();
    if first.is_some_and(|c| c != '{') {
        return "not a JSON record: each line must be one JSON object (`{\"text\": \"…\"}`)"
            .to_string();
    }
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the record ends before its object does (a line break inside a string, or a missing `}`)".to_string(),
        serde_json::error::Category::Data => "not a JSON object of fields".to_string(),
        _ => {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            format!("broken JSON here ({message})")
        }
    };
    format!("invalid JSON record: {what}")
}

/// One record: a line of the dump starting at byte `start`.
fn record(
    line: &str,
    display: &str,
    number: usize,
    start: usize,
    fields: &Fields,
) -> Result<Document, Rejected> {
    let map: HashMap<String, &RawValue> = serde_json::from_str(line).map_err(|e| {
        let at = e.column().saturating_sub(1).min(line.len());
        let at = (0..=at)
            .rev()
            .find(|&i| line.is_char_boundary(i))
            .unwrap_or(0);
        problem(
            display,
            number,
            format!("{}; skipped", json_error(line, &e)),
            Some((line, start, at..at)),
        )
    })?;
    // A role's field: absent, or a string; anything else is an error that
    // points at the value.
    let field = |name: &str| -> Result<Option<JsonString>, InputProblem> {
        let Some(raw) = map.get(name) else {
            return Ok(None);
        };
        let token = raw.get();
        let at = token.as_ptr() as usize - line.as_ptr() as usize;
        match JsonString::parse(token, at) {
            Some(js) => Ok(Some(js)),
            None if token == "null" => Ok(None),
            None => Err(problem(
                display,
                number,
                format!(
                    "field `{name}` is {}, not a string; skipped",
                    json_kind(token)
                ),
                Some((line, start, at..at + token.len())),
            )),
        }
    };
    let mut regions: Vec<Region> = Vec::new();
    let mut notes = Vec::new();
    // A record that holds no article (neither field is there, or both are
    // null) is summed up by the caller; a title or address alone is no
    // article to check.
    // What the caller says of such records: the fields they have (eight
    // at most).
    let no_article = || {
        let mut has: Vec<String> = map.keys().cloned().collect();
        has.sort();
        has.truncate(8);
        Rejected::NoArticle(has)
    };
    let text = field(&fields.text)?;
    let html = field(&fields.html)?;
    if text.is_none() && html.is_none() {
        return Err(no_article());
    }
    let mut read: Vec<(String, JsonString, bool)> = Vec::new();
    let mut text_is_html = false;
    if let Some(js) = &text {
        let format = match fields.text_format {
            FieldFormat::Auto if looks_like_html(&js.text) => FieldFormat::Html,
            FieldFormat::Auto => FieldFormat::Text,
            other => other,
        };
        text_is_html = format == FieldFormat::Html;
        let (text_regions, found) = match format {
            FieldFormat::Html => super::html::regions(&js.text),
            FieldFormat::Markdown => super::markdown::regions(&js.text),
            _ => (text::regions(&js.text), Vec::new()),
        };
        for region in text_regions {
            regions.push(js.remap(&region));
        }
        for (message, span) in found {
            let raw = js.raw_range(&span);
            notes.push(problem(display, number, message, Some((line, start, raw))));
        }
    }
    if let Some(js) = &html {
        let (html_regions, found) = super::html::regions(&js.text);
        let has_text = !regions.is_empty();
        for region in html_regions {
            if has_text && matches!(region.name.as_str(), "body" | "footer" | "title") {
                continue;
            }
            regions.push(js.remap(&region));
        }
        for (message, span) in found {
            let raw = js.raw_range(&span);
            notes.push(problem(display, number, message, Some((line, start, raw))));
        }
    }
    read.extend(text.map(|js| (fields.text.clone(), js, text_is_html)));
    read.extend(html.map(|js| (fields.html.clone(), js, true)));
    for (name, region) in [
        (&fields.title, "title"),
        (&fields.source, "meta.source"),
        (&fields.url, "meta.url"),
    ] {
        if let Some(js) = field(name)? {
            regions.retain(|r| r.name != region);
            let whole = Region::new(region, vec![Segment::exact(0..js.text.len(), Gap::None)]);
            regions.push(js.remap(&whole));
            read.push((name.clone(), js, false));
        }
    }
    if regions.is_empty() {
        return Err(no_article());
    }
    let value = |name: &str| map.get(name).and_then(|raw| id_value(raw.get()));
    let key = match &fields.id {
        Some(name) => value(name),
        None => value("id").or_else(|| value(&fields.url)),
    };
    Ok(Document {
        id: DocId {
            key,
            ..DocId::record(display, number)
        },
        source: line.to_string(),
        regions,
        problems: Vec::new(),
        notes,
        origin: Origin::Linear(vec![(0, start)]),
        line_base: number - 1,
        kind: super::Kind::Jsonl,
        fields: Some(Box::new(RecordFields { fields: read })),
    })
}

/// A record's id from its id field's JSON token: a non-empty string
/// (unescaped) or a number as written.
fn id_value(token: &str) -> Option<String> {
    if let Some(js) = JsonString::parse(token, 0) {
        return (!js.text.trim().is_empty()).then_some(js.text);
    }
    token
        .starts_with(|c: char| c == '-' || c.is_ascii_digit())
        .then(|| token.to_string())
}

/// The fields a record was read from: each one's unescaped text and where
/// its parts stand in the line, to say where in a field a finding is.
#[derive(Debug)]
pub struct RecordFields {
    /// Each field's name, text, and whether it was read as HTML.
    fields: Vec<(String, JsonString, bool)>,
}

impl RecordFields {
    /// The field whose string holds byte `at` of the line (its closing
    /// quote counts, for a finding at the end of the text).
    fn field_at(&self, at: usize) -> Option<&(String, JsonString, bool)> {
        self.fields
            .iter()
            .find(|(_, js, _)| js.raw.start <= at && at <= js.raw.end)
    }

    /// What a `delete` fix of `unit` removes for a finding at `span`
    /// (bytes of the line): worked out on the field's own text, as in a
    /// file, and given back as bytes of the line, whole escapes included,
    /// so the record stays valid JSON. `None` in a field read as HTML (not
    /// fixed yet).
    pub fn extent(&self, span: &Range<usize>, unit: crate::pack::FixUnit) -> Option<Range<usize>> {
        let (_, js, html) = self.field_at(span.start)?;
        // A line of HTML source is not a line of the article.
        if *html {
            return None;
        }
        let start = js.text_offset(span.start, false);
        let end = js.text_offset(span.end.min(js.raw.end), true).max(start);
        let cut = crate::fix::extent(&js.text, &(start..end), unit);
        Some(js.raw_range(&cut))
    }

    /// Where `span` (bytes of the record's line) stands in the field it
    /// lies in: the field's name, the byte range in its unescaped text,
    /// and the line and column there. `None` outside every field.
    pub fn place(&self, span: &Range<usize>) -> Option<crate::finding::FieldPlace> {
        let (name, js, _) = self.field_at(span.start)?;
        let start = js.text_offset(span.start, false);
        let end = js.text_offset(span.end.min(js.raw.end), true).max(start);
        let before = &js.text[..start];
        let line = 1 + memchr::memchr_iter(b'\n', before.as_bytes()).count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some(crate::finding::FieldPlace {
            field: name.clone(),
            span: start..end,
            line,
            column: before[line_start..].chars().count() + 1,
        })
    }
}

/// What a JSON value token is, for messages: `a number`, `an object`…
fn json_kind(token: &str) -> &'static str {
    match token.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

/// An unescaped JSON string and where each part of it stands in the line.
#[derive(Debug)]
struct JsonString {
    text: String,
    /// The string's contents (quotes left out) in the line.
    raw: Range<usize>,
    /// (range in `text`, range in the line, exact?) in order, covering `text`.
    pieces: Vec<(Range<usize>, Range<usize>, bool)>,
}

impl JsonString {
    /// Unescapes a JSON string token (quotes included) found at byte `at` of
    /// the line. `None` when the token is not a string.
    fn parse(token: &str, at: usize) -> Option<JsonString> {
        let inner = token.strip_prefix('"')?.strip_suffix('"')?;
        let base = at + 1;
        let mut text = String::with_capacity(inner.len());
        let mut pieces = Vec::new();
        let bytes = inner.as_bytes();
        let mut i = 0;
        let mut run = 0;
        let flush = |text: &mut String, pieces: &mut Vec<_>, from: usize, to: usize| {
            if to > from {
                let d = text.len();
                text.push_str(&inner[from..to]);
                pieces.push((d..text.len(), base + from..base + to, true));
            }
        };
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            flush(&mut text, &mut pieces, run, i);
            let (c, len) = unescape(&inner[i..]);
            let d = text.len();
            text.push(c);
            pieces.push((d..text.len(), base + i..base + i + len, false));
            i += len;
            run = i;
        }
        flush(&mut text, &mut pieces, run, bytes.len());
        Some(JsonString {
            text,
            raw: base..base + inner.len(),
            pieces,
        })
    }

    /// The offset in the unescaped text of byte `at` of the line: an
    /// escape maps to where its character starts (or, for an `end`, ends).
    fn text_offset(&self, at: usize, end: bool) -> usize {
        let i = self.pieces.partition_point(|(_, raw, _)| raw.end <= at);
        match self.pieces.get(i) {
            Some((d, raw, true)) => d.start + at.saturating_sub(raw.start),
            Some((d, raw, false)) => {
                if end && at > raw.start {
                    d.end
                } else {
                    d.start
                }
            }
            None => self.text.len(),
        }
    }

    /// The line range covering `r` of the unescaped text.
    fn raw_range(&self, r: &Range<usize>) -> Range<usize> {
        let locate = |at: usize, end: bool| -> usize {
            let i = self
                .pieces
                .partition_point(|(d, _, _)| if end { d.end < at } else { d.end <= at });
            match self.pieces.get(i) {
                Some((d, raw, true)) => raw.start + (at.clamp(d.start, d.end) - d.start),
                Some((_, raw, false)) => {
                    if end {
                        raw.end
                    } else {
                        raw.start
                    }
                }
                None => self.pieces.last().map_or(0, |(_, raw, _)| raw.end),
            }
        };
        let start = locate(r.start, false);
        start..locate(r.end, true).max(start)
    }

    /// A region over the unescaped text, mapped onto the line.
    fn remap(&self, region: &Region) -> Region {
        let mut segments = Vec::new();
        for seg in &region.segments {
            if let Some(text) = &seg.text {
                segments.push(Segment {
                    src: self.raw_range(&seg.src),
                    text: Some(text.clone()),
                    gap: seg.gap,
                });
                continue;
            }
            let mut gap = seg.gap;
            for (d, raw, exact) in &self.pieces {
                let from = d.start.max(seg.src.start);
                let to = d.end.min(seg.src.end);
                if from >= to {
                    continue;
                }
                segments.push(if *exact {
                    Segment::exact(
                        raw.start + (from - d.start)..raw.start + (to - d.start),
                        gap,
                    )
                } else {
                    Segment {
                        src: raw.clone(),
                        text: Some(self.text[from..to].to_string()),
                        gap,
                    }
                });
                gap = Gap::None;
            }
        }
        Region::new(region.name.clone(), segments)
    }
}

/// Decodes the escape at the start of `s` (which starts with `\`): the char
/// and the escape's length in bytes. serde_json has validated the syntax.
fn unescape(s: &str) -> (char, usize) {
    let b = s.as_bytes();
    let simple = match b.get(1) {
        Some(b'n') => '\n',
        Some(b't') => '\t',
        Some(b'r') => '\r',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'u') => return unicode(s),
        Some(&other) => other as char,
        None => return ('\\', 1),
    };
    (simple, 2)
}

fn unicode(s: &str) -> (char, usize) {
    let hex = |at: usize| {
        s.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(first) = hex(2) else {
        return (char::REPLACEMENT_CHARACTER, 2);
    };
    if (0xD800..0xDC00).contains(&first)
        && s.get(6..8) == Some("\\u")
        && let Some(second) = hex(8).filter(|v| (0xDC00..0xE000).contains(v))
    {
        let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        return (char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER), 12);
    }
    (
        char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER),
        6,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(input: &str) -> Vec<Result<Document, InputProblem>> {
        let mut out = Vec::new();
        read(
            &mut input.as_bytes(),
            "dump.jsonl",
            &Fields::default(),
            1 << 20,
            &mut |d| out.push(d),
        );
        out
    }

    fn region_text(doc: &Document, name: &str) -> String {
        let region = doc.regions.iter().find(|r| r.name == name).unwrap();
        region
            .segments
            .iter()
            .map(|s| {
                s.text
                    .clone()
                    .unwrap_or_else(|| doc.source[s.src.clone()].to_string())
            })
            .collect()
    }

    #[test]
    fn escapes_map_back_to_the_line() {
        let line = r#"{"title":"\u05db\u05d5\u05ea\u05e8\u05ea","text":"Line one\nלפי סעיף 27א \"quoted\" \ud83d\ude00 end"}"#;
        let all = docs(&format!("{line}\n"));
        let doc = all[0].as_ref().unwrap();
        assert_eq!(doc.id, DocId::record("dump.jsonl", 1));
        assert_eq!(region_text(doc, "title"), "כותרת");
        assert_eq!(
            region_text(doc, "body"),
            "Line one\nלפי סעיף 27א \"quoted\" 😀 end"
        );
        let body = doc.regions.iter().find(|r| r.name == "body").unwrap();
        // The Hebrew run is exact and points at its own bytes in the line.
        let exact: Vec<&str> = body
            .segments
            .iter()
            .filter(|s| s.text.is_none())
            .map(|s| &line[s.src.clone()])
            .collect();
        assert!(exact.contains(&"לפי סעיף 27א "), "{exact:?}");
        // The surrogate pair is one decoded piece covering both escapes.
        let emoji = body
            .segments
            .iter()
            .find(|s| s.text.as_deref() == Some("😀"))
            .unwrap();
        assert_eq!(&line[emoji.src.clone()], r"\ud83d\ude00");
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_read() {
        let input = "{\"text\":\"first\"}\n\n{\"text\": broken}\r\n[1,2]\n{\"other\":\"x\"}\n{\"text\":\"last\"}";
        let all = docs(input);
        let summary: Vec<String> = all
            .iter()
            .map(|d| match d {
                Ok(doc) => format!("ok {}", doc.id),
                Err(p) => format!("err {}", p.id),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "ok dump.jsonl:1",
                "err dump.jsonl:3",
                "err dump.jsonl:4",
                "ok dump.jsonl:6",
                // A record with no article is summed up for the dump.
                "err dump.jsonl",
            ]
        );
        let Err(none) = &all[4] else { unreachable!() };
        assert_eq!(
            none.message,
            "1 of 5 records has no `text` or `html` field and was not checked (the first, on \
             line 5, has `other`); name the field that holds the article with --jsonl-field \
             text=FIELD or html=FIELD"
        );
        let Err(p) = &all[1] else { unreachable!() };
        assert!(p.message.contains("invalid JSON"), "{}", p.message);
        let shown = p.source.as_ref().unwrap();
        assert_eq!(shown.text, "{\"text\": broken}");
        assert_eq!(&shown.text[shown.span.start..], "broken}");
        // The span itself is in the dump's bytes.
        assert_eq!(&input[p.span.clone().unwrap().start..][..7], "broken}");
        let Ok(last) = &all[3] else { unreachable!() };
        assert_eq!(
            last.origin.original(&last.source, 0),
            input.rfind("{\"text\":\"last").unwrap()
        );
        assert_eq!(last.line_base, 5);
    }

    #[test]
    fn a_field_that_is_not_a_string_is_reported_as_such() {
        let input = "{\"text\": 5}\n{\"title\":\"t\",\"html\":[1]}\n{\"text\":{\"a\":1}}\n{\"text\":true}\n{\"text\":null,\"html\":\"<p>x</p>\"}\n";
        let all = docs(input);
        // The span covers the value, in the dump's bytes.
        let got: Vec<(String, String, &str)> = all
            .iter()
            .filter_map(|d| d.as_ref().err())
            .map(|p| {
                (
                    p.id.to_string(),
                    p.message.clone(),
                    &input[p.span.clone().unwrap()],
                )
            })
            .collect();
        let want = [
            (
                "dump.jsonl:1",
                "field `text` is a number, not a string; skipped",
                "5",
            ),
            (
                "dump.jsonl:2",
                "field `html` is an array, not a string; skipped",
                "[1]",
            ),
            (
                "dump.jsonl:3",
                "field `text` is an object, not a string; skipped",
                "{\"a\":1}",
            ),
            (
                "dump.jsonl:4",
                "field `text` is a boolean, not a string; skipped",
                "true",
            ),
        ];
        assert_eq!(got, want.map(|(p, m, t)| (p.to_string(), m.to_string(), t)));
        // `null` is an absent field: the record is read from its HTML.
        assert_eq!(region_text(all[4].as_ref().unwrap(), "body"), "x");
    }

    #[test]
    fn roles_are_configurable() {
        let mut fields = Fields::default();
        fields.set("text=content").unwrap();
        assert!(fields.set("bogus=x").is_err());
        assert!(fields.set("text").is_err());
        let mut out = Vec::new();
        read(
            &mut "{\"content\":\"hello\"}\n".as_bytes(),
            "d",
            &fields,
            1 << 20,
            &mut |d| out.push(d),
        );
        assert_eq!(region_text(out[0].as_ref().unwrap(), "body"), "hello");
    }

    #[test]
    fn markup_is_told_from_prose_that_mentions_it() {
        for html in [
            "<p>The council met.</p>",
            "  <article><h1>Title</h1><div>x</div></article>",
            "<!DOCTYPE html><html><body>x</body></html>",
            "<P>Upper case</P>",
        ] {
            assert!(looks_like_html(html), "{html}");
        }
        for prose in [
            "The council met.",
            "Prose that mentions <p> and </p> in passing.",
            "< 5 votes, </p> typed by mistake",
            "<3 love it</p>",
            "",
        ] {
            assert!(!looks_like_html(prose), "{prose}");
        }
    }
}
