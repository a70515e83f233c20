//! HTML pages: visible text and page metadata as regions, every piece tied
//! to the bytes of the file it came from.
//!
//! Findings must point at the original bytes, so this module never builds a
//! DOM or a decoded copy of the page. It runs a small tokenizer shaped after
//! the WHATWG one (data, tags and attributes, comments, bogus comments,
//! RAWTEXT/RCDATA/script data) that reports *raw* byte ranges, and splits
//! text at character references: a plain run stays an exact slice of the
//! source, and only `&amp;`, `&#1575;` and friends become decoded segments
//! whose range is the reference itself. Hand-written rather than `html5gum`
//! because html5gum hands over text already decoded and attribute spans that
//! run from the name to past the closing quote, in a map that loses order,
//! so every value would be scanned a second time anyway; the tokenizer below
//! is a few hundred lines and needs no new dependency. (During development
//! its text and `alt` values matched html5gum's on 300,000 generated tag
//! soups each; the tests here fuzz it for panics and spans.)
//!
//! On top of the tokens sits a light tree builder: a stack of open elements
//! with the implied end tags that matter for not leaking a region over the
//! rest of a page (`p`, `li`/`dd`/`dt`, `tr`, `td`/`th`, `a` inside `a`,
//! headings, HTML breaking out of `<svg>`), capped at [`MAX_DEPTH`]. Each
//! piece of text goes into one stream tagged with the elements it sits in
//! (article, main, footer, figcaption, first `h1`, licence link); regions
//! are filters over that stream, so a piece shared by `body` and `footer`
//! is decoded once and every region sees the separators between its pieces.
//!
//! Separators follow rendering, not source layout: block boundaries give
//! [`Gap::Paragraph`], `<br>` a [`Gap::Space`] (two in a row a paragraph),
//! whitespace between inline pieces a space, and nothing at all joins
//! `<b>Sec</b>tion`. HTML collapses whitespace, so a blank line inside a
//! paragraph must not read as a paragraph break to the fold: text is
//! trimmed, and cut where its whitespace holds two line breaks.
//!
//! An element whose id or class mentions "footer" counts as a footer unless
//! an `<article>`, `<main>` or `<h1>` opens inside it: then it is a page
//! wrapper (`class="has-footer"`), and only the footers inside it count.
//!
//! Regions: `body`, `title`, `footer`, `caption`, `link.license`,
//! `meta.<name>`, `jsonld.<field>` and `decoded.cfemail` (addresses hidden
//! by Cloudflare's e-mail protection; the placeholder text stays in `body`),
//! and [`super::FURNITURE_REGION`]: where the site's own furniture stands
//! (`<aside>`, `<nav>`, related-story, newsletter and sharing boxes), as
//! source ranges for `position: content`; its text stays in `body`.
//! A `mailto:` address joins the flow right after its link's text (so a
//! broken address is checked like one in the text), unless that text
//! already shows it. The only problem reported is a JSON-LD block that does
//! not parse.
//!
//! Character references follow WHATWG: numeric ones with the windows-1252
//! remap of 0x80–0x9F and U+FFFD for invalid code points; the 106 legacy
//! names (`&amp`, `&copy`, `&nbsp`...) are decoded without `;` as browsers
//! do, except in an attribute before `=` or an alphanumeric.
//!
//! Named references are the full HTML5 set (`entities.rs`: all 2,231 of
//! WHATWG's `entities.json`); an unknown name stays as written.
//!
//! Limits, accepted: CSS is not applied (`hidden`, `display: none` text is kept).
//! Table foster-parenting, the adoption agency and `<plaintext>` are not
//! modelled; percent-escapes in `mailto:` are not decoded.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde_json::value::RawValue;

use super::{Region, Segment, entities};
use crate::normalize::Gap;

/// Regions of an HTML document, and notes (message, byte span): parts of
/// the page that could not be read but do not stop it being checked.
pub(super) fn regions(source: &str) -> (Vec<Region>, Vec<(String, Range<usize>)>) {
    let mut walk = Walk::new(source);
    let mut lexer = Lexer::new(source);
    while let Some(token) = lexer.next_token() {
        match token {
            Token::Text(range) => walk.text(range),
            Token::Start(tag) => {
                if let Some(raw) = walk.start(&tag) {
                    lexer.raw_until(&tag.name);
                    walk.raw = Some(raw);
                }
            }
            Token::End(name) => walk.end(&name),
            Token::Raw(range) => walk.raw_text(range),
        }
    }
    walk.finish()
}

/// The charset an HTML page declares in its first 1024 bytes (`<meta
/// charset=...>` or `<meta http-equiv="Content-Type" content="...;
/// charset=...">`), as the raw label.
///
/// Tags are ASCII, so the bytes are read as lossy UTF-8 whatever their
/// encoding; comments and scripts are skipped by the tokenizer.
pub(crate) fn declared_charset(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&head[..head.len().min(1024)]);
    let mut lexer = Lexer::new(&text);
    while let Some(token) = lexer.next_token() {
        let Token::Start(tag) = token else { continue };
        if raw_kind(&tag.name).is_some() {
            lexer.raw_until(&tag.name);
            continue;
        }
        if tag.name != "meta" {
            continue;
        }
        let value = |name: &str| tag.attr(name).map(|r| decode_all(&text, r, true));
        if let Some(label) = value("charset") {
            let label =
                label.trim_matches(|c: char| c.is_ascii_whitespace() || c == '"' || c == '\'');
            if !label.is_empty() {
                return Some(label.to_string());
            }
        }
        let content_type =
            value("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"));
        if content_type
            && let Some(label) = value("content").as_deref().and_then(charset_in_content)
        {
            return Some(label);
        }
    }
    None
}

/// WHATWG "extracting a character encoding from a meta element".
fn charset_in_content(content: &str) -> Option<String> {
    let b = content.as_bytes();
    let mut i = 0;
    loop {
        let at = i + find_ascii_ci(&b[i..], b"charset")?;
        let mut j = at + 7;
        while b.get(j).is_some_and(|c| is_ws(*c)) {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            i = j;
            continue;
        }
        j += 1;
        while b.get(j).is_some_and(|c| is_ws(*c)) {
            j += 1;
        }
        let label = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let len = b[j + 1..].iter().position(|&c| c == q)?;
                &content[j + 1..j + 1 + len]
            }
            Some(_) => {
                let len = b[j..]
                    .iter()
                    .position(|&c| is_ws(c) || c == b';')
                    .unwrap_or(b.len() - j);
                &content[j..j + len]
            }
            None => return None,
        };
        return (!label.is_empty()).then(|| label.to_string());
    }
}

/// Position of `needle` (lowercase ASCII) in `hay`, ASCII case-insensitively.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------
// Tokenizer

/// HTML whitespace (the tokenizer's definition, plus CR).
fn is_ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// A token, with raw byte ranges into the source.
#[derive(Debug)]
enum Token {
    /// Character data, references not yet decoded.
    Text(Range<usize>),
    Start(Tag),
    /// An end tag's lowercased name.
    End(String),
    /// The content of a RAWTEXT/RCDATA/script element (after [`Lexer::raw_until`]).
    Raw(Range<usize>),
}

#[derive(Debug)]
struct Tag {
    /// ASCII-lowercased.
    name: String,
    /// In source order; a repeated name keeps its first value, as browsers do.
    attrs: Vec<(String, Range<usize>)>,
    self_closing: bool,
}

impl Tag {
    /// The raw value range of an attribute (empty when it has no value).
    fn attr(&self, name: &str) -> Option<Range<usize>> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
    }
}

struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
    /// Set after a start tag whose content is raw text: the element's name.
    raw: Option<String>,
}

impl<'a> Lexer<'a> {
    fn new(source: &'a str) -> Self {
        let b = source.as_bytes();
        let pos = if b.starts_with("\u{FEFF}".as_bytes()) {
            3
        } else {
            0
        };
        Lexer { b, pos, raw: None }
    }

    /// The next token is the raw content up to `</name`.
    fn raw_until(&mut self, name: &str) {
        self.raw = Some(name.to_string());
    }

    fn next_token(&mut self) -> Option<Token> {
        let b = self.b;
        if let Some(name) = self.raw.take() {
            let end = if name == "script" {
                script_end(b, self.pos)
            } else {
                raw_end(b, self.pos, name.as_bytes())
            };
            let range = self.pos..end;
            self.pos = end;
            return Some(Token::Raw(range));
        }
        loop {
            let start = self.pos;
            if start >= b.len() {
                return None;
            }
            if !markup_at(b, start) {
                let end = text_end(b, start);
                self.pos = end;
                return Some(Token::Text(start..end));
            }
            match b[start + 1] {
                b'!' => self.pos = declaration_end(b, start),
                b'?' => self.pos = past_gt(b, start + 2),
                b'/' => match b[start + 2] {
                    c if c.is_ascii_alphabetic() => return self.tag(start + 2, true),
                    b'>' => self.pos = start + 3,
                    _ => self.pos = past_gt(b, start + 2),
                },
                _ => return self.tag(start + 1, false),
            }
        }
    }

    /// A start or end tag whose name begins at `i`. End of input inside a
    /// tag drops the tag (and ends the input), as in the standard.
    fn tag(&mut self, mut i: usize, end_tag: bool) -> Option<Token> {
        let b = self.b;
        let eof = |lexer: &mut Self| {
            lexer.pos = b.len();
            None
        };
        let name_start = i;
        while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = ascii_lower(&b[name_start..i]);
        let mut attrs: Vec<(String, Range<usize>)> = Vec::new();
        let mut self_closing = false;
        loop {
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let Some(&c) = b.get(i) else { return eof(self) };
            match c {
                b'>' => {
                    i += 1;
                    break;
                }
                b'/' => {
                    if b.get(i + 1) == Some(&b'>') {
                        self_closing = true;
                        i += 2;
                        break;
                    }
                    i += 1;
                }
                _ => {
                    // Attribute name; a leading `=` belongs to it.
                    let n0 = i;
                    i += 1;
                    while i < b.len() && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                        i += 1;
                    }
                    let attr = ascii_lower(&b[n0..i]);
                    while i < b.len() && is_ws(b[i]) {
                        i += 1;
                    }
                    let mut value = i..i;
                    if b.get(i) == Some(&b'=') {
                        i += 1;
                        while i < b.len() && is_ws(b[i]) {
                            i += 1;
                        }
                        match b.get(i) {
                            None => return eof(self),
                            Some(&q @ (b'"' | b'\'')) => {
                                let Some(len) = memchr::memchr(q, &b[i + 1..]) else {
                                    return eof(self);
                                };
                                value = i + 1..i + 1 + len;
                                i += len + 2;
                            }
                            Some(b'>') => value = i..i,
                            Some(_) => {
                                let v0 = i;
                                while i < b.len() && !is_ws(b[i]) && b[i] != b'>' {
                                    i += 1;
                                }
                                if i == b.len() {
                                    return eof(self);
                                }
                                value = v0..i;
                            }
                        }
                    }
                    if !attrs.iter().any(|(n, _)| *n == attr) {
                        attrs.push((attr, value));
                    }
                }
            }
        }
        self.pos = i;
        Some(if end_tag {
            Token::End(name)
        } else {
            Token::Start(Tag {
                name,
                attrs,
                self_closing,
            })
        })
    }
}

fn ascii_lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

/// Whether the `<` at `i` opens markup (a tag, end tag, comment, doctype,
/// bogus comment) rather than standing for itself.
fn markup_at(b: &[u8], i: usize) -> bool {
    b[i] == b'<'
        && match b.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() || *c == b'!' || *c == b'?' => true,
            Some(b'/') => i + 2 < b.len(),
            _ => false,
        }
}

/// End of the character data starting at `from`: the next markup `<`.
fn text_end(b: &[u8], from: usize) -> usize {
    let mut i = from + 1;
    while let Some(k) = memchr::memchr(b'<', &b[i.min(b.len())..]) {
        let at = i + k;
        if markup_at(b, at) {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

/// Just past the next `>` at or after `from`, or the end of input.
fn past_gt(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    memchr::memchr(b'>', &b[from..]).map_or(b.len(), |k| from + k + 1)
}

/// End of `<!...` at `start`: a comment, a doctype or a bogus comment.
fn declaration_end(b: &[u8], start: usize) -> usize {
    if !b[start..].starts_with(b"<!--") {
        return past_gt(b, start + 2);
    }
    let body = start + 4;
    let rest = &b[body..];
    if rest.starts_with(b">") {
        return body + 1;
    }
    if rest.starts_with(b"->") {
        return body + 2;
    }
    let mut i = body;
    while let Some(k) = memchr::memchr(b'>', &b[i..]) {
        let gt = i + k;
        let closes = (gt >= body + 2 && &b[gt - 2..gt] == b"--")
            || (gt >= body + 3 && &b[gt - 3..gt] == b"--!");
        if closes {
            return gt + 1;
        }
        i = gt + 1;
    }
    b.len()
}

/// Where raw content starting at `from` ends: at `</name` followed by
/// whitespace, `/` or `>`; else the end of input.
fn raw_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from.min(b.len());
    while let Some(k) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + k;
        let n = at + 2;
        if b.len() > n + name.len()
            && b[n..n + name.len()].eq_ignore_ascii_case(name)
            && (is_ws(b[n + name.len()]) || matches!(b[n + name.len()], b'/' | b'>'))
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

/// Whether `b[at..]` is `<` or `</` (as `prefix`), `script` in any case,
/// then whitespace, `/` or `>`.
fn script_tag_at(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    let n = at + prefix.len();
    b[at..].starts_with(prefix)
        && b.len() > n + 6
        && b[n..n + 6].eq_ignore_ascii_case(b"script")
        && (is_ws(b[n + 6]) || matches!(b[n + 6], b'/' | b'>'))
}

/// Where script data starting at `from` ends: at its `</script`, following
/// the escape states (`<!--` ... `-->`, within which a nested
/// `<script>` ... `</script>` does not end the element), as in old
/// `document.write("<script ...></script>")` code.
fn script_end(b: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    // Dashes at or after this index can close an escape with `-->`.
    let mut dashes_from = 0;
    let mut i = from.min(b.len());
    while let Some(k) = memchr::memchr2(b'<', b'>', &b[i..]) {
        let at = i + k;
        i = at + 1;
        if b[at] == b'>' {
            if state != State::Data && at >= dashes_from + 2 && &b[at - 2..at] == b"--" {
                state = State::Data;
            }
            continue;
        }
        match state {
            State::Data if b[at..].starts_with(b"<!--") => {
                state = State::Escaped;
                dashes_from = at + 2;
                i = at + 4;
            }
            State::Data | State::Escaped if script_tag_at(b, at, b"</") => return at,
            State::Escaped if script_tag_at(b, at, b"<") => {
                state = State::DoubleEscaped;
                dashes_from = at + 7;
            }
            State::DoubleEscaped if script_tag_at(b, at, b"</") => {
                state = State::Escaped;
                dashes_from = at + 8;
            }
            _ => {}
        }
    }
    b.len()
}

// ---------------------------------------------------------------------------
// Character references and text splitting

/// A piece of text: exact when `text` is `None`.
#[derive(Debug)]
struct Piece {
    src: Range<usize>,
    text: Option<String>,
    /// Whitespace stood between this piece and the previous one.
    ws: bool,
}

/// Splits `source[range]` into exact runs and decoded character references.
/// ASCII whitespace at the ends of runs is dropped (recorded in
/// [`Piece::ws`]) and a run is cut where its whitespace holds two line
/// breaks, so the fold never mistakes source layout for a paragraph break.
/// Returns the pieces and whether whitespace ended the text.
fn split_text(source: &str, range: Range<usize>, attr: bool) -> (Vec<Piece>, bool) {
    let b = source.as_bytes();
    let end = range.end.min(b.len());
    let mut i = range.start.min(end);
    let mut out = Vec::new();
    let mut ws = false;
    // The current exact run: start, end of its last non-whitespace byte, and
    // whether whitespace came before it.
    let mut run: Option<(usize, usize, bool)> = None;
    let flush = |run: &mut Option<(usize, usize, bool)>, out: &mut Vec<Piece>| {
        if let Some((s, e, w)) = run.take() {
            out.push(Piece {
                src: s..e,
                text: None,
                ws: w,
            });
        }
    };
    while i < end {
        // Up to the next byte that can end a run (a line break) or start a
        // character reference, only spaces, tabs and form feeds separate
        // the words, and they neither cut a run nor end up in one: the run
        // just grows to the last word.
        let k = memchr::memchr3(b'&', b'\n', b'\r', &b[i..end]).map_or(end, |k| i + k);
        if i < k {
            let first = (i..k).find(|&j| !is_ws(b[j]));
            if let Some(first) = first {
                let last = (first..k).rev().find(|&j| !is_ws(b[j])).unwrap_or(first) + 1;
                match &mut run {
                    Some((_, e, _)) => *e = last,
                    None => run = Some((first, last, ws || first > i)),
                }
                ws = last < k;
            } else {
                ws = true;
            }
            i = k;
            continue;
        }
        let c = b[i];
        if c == b'&' {
            if let Some((j, text)) = char_ref(b, i, end, attr) {
                let had_ws = run.is_some_and(|(_, e, _)| e < i) || (run.is_none() && ws);
                flush(&mut run, &mut out);
                if text.bytes().all(is_ws) {
                    ws = true;
                } else {
                    out.push(Piece {
                        src: i..j,
                        text: Some(text),
                        ws: had_ws,
                    });
                    ws = false;
                }
                i = j;
            } else {
                // Not a reference: an ordinary byte of a word.
                match &mut run {
                    Some((_, e, _)) => *e = i + 1,
                    None => run = Some((i, i + 1, ws)),
                }
                ws = false;
                i += 1;
            }
            continue;
        }
        // A line break: the whole whitespace stretch from here.
        let mut j = i;
        let mut breaks = 0;
        while j < end && is_ws(b[j]) {
            if b[j] == b'\n' || (b[j] == b'\r' && b.get(j + 1) != Some(&b'\n')) {
                breaks += 1;
            }
            j += 1;
        }
        if breaks >= 2 {
            flush(&mut run, &mut out);
        }
        ws = true;
        i = j;
    }
    let trailing = ws || run.is_some_and(|(_, e, _)| e < end);
    flush(&mut run, &mut out);
    (out, trailing)
}

/// The whole decoded value of `source[range]` (whitespace kept), for
/// comparing attribute values.
fn decode_all(source: &str, range: Range<usize>, attr: bool) -> String {
    let b = source.as_bytes();
    let end = range.end.min(b.len());
    let mut i = range.start.min(end);
    let mut out = String::new();
    while i < end {
        let next = memchr::memchr(b'&', &b[i..end]).map_or(end, |k| i + k);
        out.push_str(&source[i..next]);
        i = next;
        if i < end {
            match char_ref(b, i, end, attr) {
                Some((j, text)) => {
                    out.push_str(&text);
                    i = j;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            }
        }
    }
    out
}

/// The character reference at `b[i] == b'&'`, within `..end`: where it
/// ends and what it stands for; `None` when the `&` is just an ampersand.
fn char_ref(b: &[u8], i: usize, end: usize, attr: bool) -> Option<(usize, String)> {
    if b.get(i + 1) == Some(&b'#') && i + 1 < end {
        return numeric_ref(b, i + 2, end);
    }
    let mut j = i + 1;
    // One past the longest name is enough to tell it is none.
    while j < end && j - i <= entities::NAMED_MAX_LEN + 1 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    // ASCII alphanumerics only: this cannot fail.
    let name = std::str::from_utf8(&b[i + 1..j]).ok()?;
    if name.is_empty() {
        return None;
    }
    if j < end
        && b[j] == b';'
        && let Some(text) = entities::named(name)
    {
        return Some((j + 1, text.to_string()));
    }
    // Legacy names are decoded without `;` too, longest first, except in an
    // attribute where `=` or an alphanumeric follows (`?a=1&copy=2`).
    for len in (2..=name.len().min(entities::LEGACY_MAX_LEN)).rev() {
        let prefix = &name[..len];
        if entities::is_legacy(prefix) {
            let k = i + 1 + len;
            let next = (k < end).then(|| b[k]);
            if attr && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric()) {
                return None;
            }
            return entities::named(prefix).map(|text| (k, text.to_string()));
        }
    }
    None
}

/// `&#...` after the `#` (at `i`): decimal or hexadecimal, `;` optional.
fn numeric_ref(b: &[u8], mut i: usize, end: usize) -> Option<(usize, String)> {
    let hex = i < end && matches!(b[i], b'x' | b'X');
    if hex {
        i += 1;
    }
    let radix = if hex { 16 } else { 10 };
    let digits = i;
    let mut value: u32 = 0;
    while i < end {
        let Some(d) = char::from(b[i]).to_digit(radix) else {
            break;
        };
        value = (value * radix + d).min(0x11_0000);
        i += 1;
    }
    if i == digits {
        return None;
    }
    if i < end && b[i] == b';' {
        i += 1;
    }
    Some((i, numeric_char(value).to_string()))
}

/// The character a numeric reference stands for (WHATWG rules).
fn numeric_char(value: u32) -> char {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0 => 0xFFFD,
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => v,
    };
    char::from_u32(value).unwrap_or('\u{FFFD}')
}

// ---------------------------------------------------------------------------
// Tree building and regions

/// Open elements deeper than this are not tracked (browsers cap nesting too).
const MAX_DEPTH: usize = 512;

// What an open element (and so the text inside it) is part of.
const ARTICLE: u16 = 1 << 0;
const MAIN: u16 = 1 << 1;
const FOOTER: u16 = 1 << 2;
const FIGCAPTION: u16 = 1 << 3;
/// The first `<h1>` that holds text (the fallback title).
const H1: u16 = 1 << 4;
/// `<a rel="license">`.
const LICENSE: u16 = 1 << 5;
/// Not rendered: `<template>`, `<svg>`.
const SKIP: u16 = 1 << 6;
/// Inside a link (`<a>`).
const LINK: u16 = 1 << 7;
/// Inside an element whose class or id names a credit (credit, copyright,
/// byline, photographer, courtesy, attribution): the page's own markup for
/// who took a photo.
const CREDIT: u16 = 1 << 8;
/// Inside a heading below the first (`<h2>`–`<h6>`) or a `<time>`: in a
/// gallery's caption, a section title or a date, not words about a photo.
const HEADING: u16 = 1 << 9;
/// Inside an element whose class or id names a credit: the credit field of
/// the page's template (a `CREDIT` that markup conventions alone do not set).
const CREDIT_FIELD: u16 = 1 << 10;
const FLAG_COUNT: usize = 11;

/// Class and id words that mark an element as a photo credit.
const CREDIT_CLASSES: &[&[u8]] = &[
    b"credit",
    b"copyright",
    b"byline",
    b"photographer",
    b"courtesy",
    b"attribution",
    b"photo-by",
    b"photoby",
    b"image-source",
    b"img-source",
    b"photo-source",
    b"image-author",
    b"photo-author",
];

/// Class and id words that mark an element as the site's own furniture
/// around an article: related-story cards, newsletter and sharing boxes,
/// sidebars. `<aside>` and `<nav>` are furniture whatever their class.
const FURNITURE_CLASSES: &[&[u8]] = &[
    b"related",
    b"newsletter",
    b"share",
    b"social",
    b"sidebar",
    b"recommend",
    b"promo",
    b"subscribe",
    b"outbrain",
    b"taboola",
    b"readmore",
    b"read-more",
    b"more-stories",
    b"breadcrumb",
    // A page's own photo viewer: its thumbnails repeat the captions.
    b"slideshow",
    b"carousel",
    b"gallery",
    b"thumbnail",
    b"lightbox",
];

/// Groups of elements closed by an implied end tag.
const GROUP_P: usize = 0;
const GROUP_ITEM: usize = 1;
const GROUP_ROW: usize = 2;
const GROUP_CELL: usize = 3;
const GROUPS: usize = 4;

/// What a stream item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Rendered text.
    Text,
    /// A `mailto:` address, read as if it followed the link text.
    Mailto,
    /// An image's `alt` (caption only, out of the text flow).
    Alt,
    /// The `href` of a licence link (out of the text flow).
    LicenseHref,
}

impl Kind {
    /// Part of the text flow: separates the pieces of regions it is not in.
    fn in_flow(self) -> bool {
        matches!(self, Kind::Text | Kind::Mailto)
    }
}

#[derive(Debug)]
struct Item {
    src: Range<usize>,
    text: Option<String>,
    gap: Gap,
    flags: u16,
    /// The innermost element with "footer" in its id or class (1-based), or 0.
    footer: usize,
    /// The innermost open `<figure>` (1-based index into `figures`), or 0.
    figure: usize,
    kind: Kind,
}

#[derive(Debug)]
struct Open {
    name: String,
    /// The flags this element adds.
    flags: u16,
    /// Per group, 1 + the stack index of the nearest open member in scope.
    scope: [usize; GROUPS],
    /// The address of a `mailto:` link, emitted when the link closes.
    mailto: Option<Range<usize>>,
    /// `items.len()` when the element opened.
    first_item: usize,
    /// Has "footer" in its id or class.
    footerish: bool,
    /// `<aside>`, `<nav>` or a class or id of [`FURNITURE_CLASSES`].
    furniture: bool,
    /// An `<article>`, `<main>` or `<h1>` opened inside it: a page wrapper,
    /// not furniture.
    wraps_article: bool,
}

/// What a `<figure>` holds, as far as its captions are concerned.
#[derive(Debug, Default)]
struct Figure {
    /// An image (`<img>`, `<picture>`, `<amp-img>`): a caption of a video
    /// player or a slideshow button is not a photo caption.
    image: bool,
}

/// What the raw content after a start tag is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Raw {
    Title,
    /// `<textarea>`: rendered text.
    Text,
    JsonLd,
    Skip,
}

/// The tokenizer state a start tag switches to, if any.
fn raw_kind(name: &str) -> Option<Raw> {
    match name {
        "title" => Some(Raw::Title),
        "textarea" => Some(Raw::Text),
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Some(Raw::Skip)
        }
        _ => None,
    }
}

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements rendered as blocks: their tags separate paragraphs.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "xmp",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

/// Whether `name` is in `list`, one of the tag lists here, which are kept
/// sorted (a test checks) so that a lookup per tag is a binary search.
fn listed(list: &[&str], name: &str) -> bool {
    list.binary_search(&name).is_ok()
}

/// Whether `name` (lowercase) is an element whose tags separate
/// paragraphs of the page's text.
pub(crate) fn is_block(name: &str) -> bool {
    listed(BLOCK, name)
}

/// HTML start tags that end `<svg>`/`<math>` content.
const BREAKS_OUT_OF_FOREIGN: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Elements that hide an open `<p>` below them ("button scope").
const P_SCOPE: &[&str] = &[
    "applet",
    "button",
    "caption",
    "foreignobject",
    "html",
    "marquee",
    "math",
    "object",
    "svg",
    "table",
    "td",
    "template",
    "th",
];

/// Elements that hide an open `<li>`, `<dd>` or `<dt>` below them.
const ITEM_SCOPE: &[&str] = &[
    "applet",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "details",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "foreignobject",
    "form",
    "header",
    "html",
    "main",
    "marquee",
    "math",
    "menu",
    "nav",
    "object",
    "ol",
    "section",
    "svg",
    "table",
    "td",
    "template",
    "th",
    "ul",
];

fn is_heading(name: &str) -> bool {
    listed(HEADINGS, name)
}

/// For a group: is `name` a member, and does it hide members below it?
fn group_role(group: usize, name: &str) -> (bool, bool) {
    match group {
        GROUP_P => (name == "p", listed(P_SCOPE, name)),
        GROUP_ITEM => (matches!(name, "li" | "dd" | "dt"), listed(ITEM_SCOPE, name)),
        GROUP_ROW => (name == "tr", matches!(name, "table" | "template" | "html")),
        _ => (
            matches!(name, "td" | "th"),
            matches!(name, "tr" | "table" | "template" | "html"),
        ),
    }
}

/// The wider of two separators.
fn wider(a: Gap, b: Gap) -> Gap {
    let rank = |g: Gap| match g {
        Gap::None => 0,
        Gap::Space => 1,
        Gap::Paragraph => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// `<meta name|property>` values kept as `meta.<name>` regions.
const META_NAMES: &[&str] = &[
    "author",
    "description",
    "og:site_name",
    "og:title",
    "article:author",
    "article:publisher",
    "copyright",
    "dc.rights",
    "dcterms.rights",
];

/// JSON-LD fields kept as `jsonld.<field>` regions.
const JSONLD_FIELDS: &[&str] = &[
    "author",
    "publisher",
    "copyrightHolder",
    "license",
    "creditText",
    "copyrightNotice",
];

/// Nesting followed inside JSON-LD (arrays, `@graph`, `@id` references).
const JSONLD_DEPTH: usize = 8;

struct Walk<'a> {
    src: &'a str,
    stack: Vec<Open>,
    /// Open elements per name.
    open: HashMap<String, usize>,
    /// Open elements per flag bit.
    depth: [usize; FLAG_COUNT],
    flags: u16,
    /// Open `<svg>`/`<math>` elements.
    foreign: usize,
    /// Open elements with "footer" in their id or class, innermost last, as
    /// indices (1-based) into `footer_ok`.
    footers: Vec<usize>,
    /// Per such element: it is a footer, not a page wrapper (no `<article>`,
    /// `<main>` or `<h1>` opened inside it).
    footer_ok: Vec<bool>,
    /// Every `<figure>` so far, and the open ones (1-based), innermost last.
    figures: Vec<Figure>,
    open_figures: Vec<usize>,
    items: Vec<Item>,
    /// The separator owed to the next piece of text.
    pending: Gap,
    /// A `<br>` came after the last text.
    after_br: bool,
    /// The fallback title has been found.
    h1_found: bool,
    title: Vec<Segment>,
    named: Vec<Region>,
    notes: Vec<(String, Range<usize>)>,
    /// Source ranges of furniture elements' content (first to last piece).
    furniture: Vec<Range<usize>>,
    /// What the next [`Token::Raw`] is for.
    raw: Option<Raw>,
}

impl<'a> Walk<'a> {
    fn new(src: &'a str) -> Self {
        Walk {
            src,
            stack: Vec::new(),
            open: HashMap::new(),
            depth: [0; FLAG_COUNT],
            flags: 0,
            foreign: 0,
            footers: Vec::new(),
            footer_ok: Vec::new(),
            figures: Vec::new(),
            open_figures: Vec::new(),
            items: Vec::new(),
            pending: Gap::None,
            after_br: false,
            h1_found: false,
            title: Vec::new(),
            named: Vec::new(),
            notes: Vec::new(),
            furniture: Vec::new(),
            raw: None,
        }
    }

    fn footer(&self) -> usize {
        self.footers.last().copied().unwrap_or(0)
    }

    fn figure(&self) -> usize {
        self.open_figures.last().copied().unwrap_or(0)
    }

    fn is_open(&self, name: &str) -> bool {
        self.open.get(name).is_some_and(|&n| n > 0)
    }

    /// HTML rules apply (not inside `<svg>`/`<math>`, or inside a `<foreignObject>`).
    fn html_context(&self) -> bool {
        self.foreign == 0 || self.is_open("foreignobject")
    }

    fn attr_text(&self, tag: &Tag, name: &str) -> Option<String> {
        tag.attr(name).map(|r| decode_all(self.src, r, true))
    }

    /// Handles a start tag; returns what its raw content is for when the
    /// tokenizer must switch to raw text.
    fn start(&mut self, tag: &Tag) -> Option<Raw> {
        let name = tag.name.as_str();
        self.implied_end_tags(name);
        if listed(BLOCK, name) {
            self.pending = Gap::Paragraph;
        }
        if name == "br" {
            self.br();
        }
        let skip = self.flags & SKIP != 0;
        if !skip {
            self.attributes(tag);
        }
        if self.html_context()
            && let Some(raw) = raw_kind(name)
        {
            let raw = match raw {
                _ if skip => Raw::Skip,
                Raw::Title if !self.title.is_empty() => Raw::Skip,
                Raw::Skip if name == "script" && self.is_json_ld(tag) => Raw::JsonLd,
                other => other,
            };
            return Some(raw);
        }
        let foreign_root = matches!(name, "svg" | "math");
        let self_closed = tag.self_closing && (foreign_root || !self.html_context());
        if listed(VOID, name) || self_closed || matches!(name, "html" | "head" | "body") {
            return None;
        }
        self.push(tag);
        None
    }

    /// Closes what a start tag implicitly closes.
    fn implied_end_tags(&mut self, name: &str) {
        if self.foreign > 0 && !self.is_open("foreignobject") && listed(BREAKS_OUT_OF_FOREIGN, name)
        {
            while self.foreign > 0 && !self.stack.is_empty() {
                self.pop();
            }
        }
        if listed(CLOSES_P, name) {
            self.close_group(GROUP_P, |_| true);
        }
        match name {
            "li" => self.close_group(GROUP_ITEM, |n| n == "li"),
            "dd" | "dt" => self.close_group(GROUP_ITEM, |n| n != "li"),
            "tr" | "tbody" | "thead" | "tfoot" => {
                self.close_group(GROUP_ROW, |_| true);
                self.close_group(GROUP_CELL, |_| true);
            }
            "td" | "th" => self.close_group(GROUP_CELL, |_| true),
            "a" if self.is_open("a") => {
                if let Some(at) = self.stack.iter().rposition(|o| o.name == "a") {
                    self.pop_to(at);
                }
            }
            _ if is_heading(name) && self.stack.last().is_some_and(|o| is_heading(&o.name)) => {
                self.pop();
            }
            _ => {}
        }
    }

    /// Closes the nearest open member of `group` in scope, if `which` accepts it.
    fn close_group(&mut self, group: usize, which: impl Fn(&str) -> bool) {
        let Some(top) = self.stack.last() else { return };
        let at = top.scope[group];
        if at > 0 && which(&self.stack[at - 1].name) {
            self.pop_to(at - 1);
        }
    }

    fn push(&mut self, tag: &Tag) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let name = tag.name.as_str();
        let mut flags = match name {
            "article" => ARTICLE,
            "main" => MAIN,
            "footer" => FOOTER,
            "figcaption" => FIGCAPTION,
            "a" => LINK,
            "h1" if !self.h1_found => H1,
            "h2" | "h3" | "h4" | "h5" | "h6" | "time" => HEADING,
            "template" | "svg" => SKIP,
            _ => 0,
        };
        let footerish = |attr: &str| {
            tag.attr(attr)
                .is_some_and(|r| find_ascii_ci(&self.src.as_bytes()[r], b"footer").is_some())
        };
        let footerish = footerish("id") || footerish("class");
        let creditish = |attr: &str| {
            tag.attr(attr).is_some_and(|r| {
                let value = &self.src.as_bytes()[r];
                CREDIT_CLASSES
                    .iter()
                    .any(|word| find_ascii_ci(value, word).is_some())
            })
        };
        // `<cite>` and `<small>` in a caption hold its credit by convention.
        let caption_credit = matches!(name, "cite" | "small") && self.flags & FIGCAPTION != 0;
        if creditish("class") || creditish("id") {
            flags |= CREDIT | CREDIT_FIELD;
        } else if caption_credit {
            flags |= CREDIT;
        }
        if name == "figure" {
            self.figures.push(Figure::default());
            self.open_figures.push(self.figures.len());
        }
        if matches!(name, "article" | "main" | "h1") {
            for &id in &self.footers {
                self.footer_ok[id - 1] = false;
            }
            for open in self.stack.iter_mut().filter(|o| o.furniture) {
                open.wraps_article = true;
            }
        }
        let furnitureish = |attr: &str| {
            tag.attr(attr).is_some_and(|r| {
                let value = &self.src.as_bytes()[r];
                FURNITURE_CLASSES
                    .iter()
                    .any(|word| find_ascii_ci(value, word).is_some())
            })
        };
        let furniture =
            matches!(name, "aside" | "nav") || furnitureish("class") || furnitureish("id");
        if footerish {
            self.footer_ok.push(true);
            self.footers.push(self.footer_ok.len());
        }
        let mut mailto = None;
        if name == "a" {
            if self.rel_has(tag, "license") {
                flags |= LICENSE;
            }
            mailto = tag.attr("href").and_then(|r| self.mailto_address(r));
        }
        let index = self.stack.len();
        let mut scope = [0; GROUPS];
        for (group, slot) in scope.iter_mut().enumerate() {
            let (member, boundary) = group_role(group, name);
            *slot = if member {
                index + 1
            } else if boundary {
                0
            } else {
                self.stack.last().map_or(0, |o| o.scope[group])
            };
        }
        if matches!(name, "svg" | "math") {
            self.foreign += 1;
        }
        *self.open.entry(tag.name.clone()).or_default() += 1;
        for bit in 0..FLAG_COUNT {
            if flags & (1 << bit) != 0 {
                self.depth[bit] += 1;
            }
        }
        self.flags |= flags;
        self.stack.push(Open {
            name: tag.name.clone(),
            flags,
            scope,
            mailto,
            first_item: self.items.len(),
            footerish,
            furniture,
            wraps_article: false,
        });
    }

    /// The source range of the items from `first` on when, together, they
    /// are a label: one to three words, at most 30 characters ("Related",
    /// "Read more", «اقرأ أيضا»). A heading or a link that says only that
    /// is the page's own navigation, not text pasted into the article.
    fn label_range(&self, first: usize) -> Option<Range<usize>> {
        let items = self.items.get(first..)?;
        let (start, end) = (items.first()?.src.start, items.last()?.src.end);
        let mut words = 0;
        let mut chars = 0;
        for item in items.iter().filter(|i| i.kind == Kind::Text) {
            let text = item.text.as_deref().unwrap_or(&self.src[item.src.clone()]);
            words += text.split_whitespace().count();
            chars += text.trim().chars().count();
            if words > 3 || chars > 30 {
                return None;
            }
        }
        (words > 0 && start < end).then_some(start..end)
    }

    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index {
            self.pop();
        }
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else { return };
        if let Some(address) = open.mailto.clone() {
            self.mailto_item(address, open.first_item);
        }
        if matches!(open.name.as_str(), "svg" | "math") {
            self.foreign = self.foreign.saturating_sub(1);
        }
        if open.name == "figure" {
            self.open_figures.pop();
        }
        if open.footerish {
            self.footers.pop();
        }
        if open.furniture
            && !open.wraps_article
            && let (Some(first), Some(last)) = (self.items.get(open.first_item), self.items.last())
            && self.items.len() > open.first_item
        {
            self.furniture.push(first.src.start..last.src.end);
        } else if matches!(open.name.as_str(), "h2" | "h3" | "h4" | "h5" | "h6" | "a")
            && !self.stack.iter().any(|o| o.furniture)
            && let Some(range) = self.label_range(open.first_item)
        {
            self.furniture.push(range);
        }
        if let Some(n) = self.open.get_mut(&open.name) {
            *n = n.saturating_sub(1);
        }
        for bit in 0..FLAG_COUNT {
            if open.flags & (1 << bit) != 0 {
                self.depth[bit] = self.depth[bit].saturating_sub(1);
                if self.depth[bit] == 0 {
                    self.flags &= !(1 << bit);
                }
            }
        }
    }

    fn end(&mut self, name: &str) {
        if listed(BLOCK, name) {
            self.pending = Gap::Paragraph;
        }
        if name == "br" {
            self.br();
        }
        if self.is_open(name)
            && let Some(at) = self.stack.iter().rposition(|o| o.name == name)
        {
            self.pop_to(at);
        }
    }

    fn br(&mut self) {
        self.pending = if self.after_br {
            Gap::Paragraph
        } else {
            wider(self.pending, Gap::Space)
        };
        self.after_br = true;
    }

    fn text(&mut self, range: Range<usize>) {
        if self.flags & SKIP != 0 {
            return;
        }
        let (pieces, trailing) = split_text(self.src, range, false);
        for piece in pieces {
            let lead = if piece.ws { Gap::Space } else { Gap::None };
            let gap = wider(self.pending, lead);
            self.pending = Gap::None;
            self.after_br = false;
            if self.flags & H1 != 0 {
                self.h1_found = true;
            }
            self.items.push(Item {
                src: piece.src,
                text: piece.text,
                gap,
                flags: self.flags,
                footer: self.footer(),
                figure: self.figure(),
                kind: Kind::Text,
            });
        }
        if trailing {
            self.pending = wider(self.pending, Gap::Space);
        }
    }

    fn raw_text(&mut self, range: Range<usize>) {
        match self.raw.take() {
            Some(Raw::Title) => {
                let (pieces, _) = split_text(self.src, range, false);
                self.title = segments(pieces, Gap::None);
            }
            Some(Raw::Text) => self.text(range),
            Some(Raw::JsonLd) => self.json_ld(range),
            Some(Raw::Skip) | None => {}
        }
    }

    /// Does the space-separated `rel` of `tag` hold `token`?
    fn rel_has(&self, tag: &Tag, token: &str) -> bool {
        self.attr_text(tag, "rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case(token))
        })
    }

    fn is_json_ld(&self, tag: &Tag) -> bool {
        self.attr_text(tag, "type").is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
    }

    /// Attributes that feed regions: meta content, alt, licence links,
    /// Cloudflare-protected addresses.
    fn attributes(&mut self, tag: &Tag) {
        match tag.name.as_str() {
            "meta" => {
                let key = self
                    .attr_text(tag, "name")
                    .or_else(|| self.attr_text(tag, "property"));
                if let Some(key) = key
                    && let Some(known) = META_NAMES
                        .iter()
                        .find(|m| m.eq_ignore_ascii_case(key.trim()))
                    && let Some(content) = tag.attr("content")
                {
                    let (pieces, _) = split_text(self.src, content, true);
                    self.add_named(&format!("meta.{known}"), pieces);
                }
            }
            "img" | "picture" | "amp-img" => {
                if let Some(&f) = self.open_figures.last() {
                    self.figures[f - 1].image = true;
                }
                if let Some(alt) = tag.attr("alt").filter(|_| tag.name == "img") {
                    self.side_item(alt, Kind::Alt);
                }
            }
            "link" => {
                if self.rel_has(tag, "license")
                    && let Some(href) = tag.attr("href")
                {
                    self.side_item(href, Kind::LicenseHref);
                }
            }
            "a" => {
                if let Some(href) = tag.attr("href") {
                    if self.rel_has(tag, "license") {
                        self.side_item(href.clone(), Kind::LicenseHref);
                    }
                    let marker = b"/cdn-cgi/l/email-protection#";
                    let value = &self.src.as_bytes()[href.clone()];
                    if let Some(at) = memchr::memmem::find(value, marker) {
                        let hex = href.start + at + marker.len()..href.end;
                        self.cf_email(hex);
                    }
                }
            }
            _ => {}
        }
        if let Some(hex) = tag.attr("data-cfemail") {
            self.cf_email(hex);
        }
    }

    /// Out-of-flow text (alt, licence href) for the regions that want it.
    fn side_item(&mut self, range: Range<usize>, kind: Kind) {
        let (pieces, _) = split_text(self.src, range, true);
        let (flags, footer, figure) = (self.flags, self.footer(), self.figure());
        for (k, piece) in pieces.into_iter().enumerate() {
            let gap = match (k, piece.ws) {
                (0, _) => Gap::Paragraph,
                (_, true) => Gap::Space,
                _ => Gap::None,
            };
            self.items.push(Item {
                src: piece.src,
                text: piece.text,
                gap,
                flags,
                footer,
                figure,
                kind,
            });
        }
    }

    /// The address part of a `mailto:` href: after the scheme, before `?`.
    fn mailto_address(&self, href: Range<usize>) -> Option<Range<usize>> {
        let b = self.src.as_bytes();
        let mut start = href.start;
        while start < href.end && is_ws(b[start]) {
            start += 1;
        }
        let scheme = b"mailto:";
        if href.end - start < scheme.len()
            || !b[start..start + scheme.len()].eq_ignore_ascii_case(scheme)
        {
            return None;
        }
        start += scheme.len();
        let mut end = memchr::memchr(b'?', &b[start..href.end]).map_or(href.end, |k| start + k);
        while end > start && is_ws(b[end - 1]) {
            end -= 1;
        }
        (start < end).then_some(start..end)
    }

    /// A closed `mailto:` link: its address follows the link text, unless
    /// the text already shows it.
    fn mailto_item(&mut self, address: Range<usize>, first_item: usize) {
        if self.flags & SKIP != 0 {
            return;
        }
        let (pieces, _) = split_text(self.src, address, true);
        let decoded: String = pieces.iter().map(|p| piece_text(self.src, p)).collect();
        let shown: String = self.items[first_item.min(self.items.len())..]
            .iter()
            .filter(|i| i.kind == Kind::Text)
            .map(|i| i.text.as_deref().unwrap_or(&self.src[i.src.clone()]))
            .collect();
        if decoded.is_empty() || shown.to_lowercase().contains(&decoded.to_lowercase()) {
            return;
        }
        for (k, piece) in pieces.into_iter().enumerate() {
            let gap = match (k, piece.ws) {
                (0, _) => wider(self.pending, Gap::Space),
                (_, true) => Gap::Space,
                _ => Gap::None,
            };
            self.items.push(Item {
                src: piece.src,
                text: piece.text,
                gap,
                flags: self.flags,
                footer: self.footer(),
                figure: self.figure(),
                kind: Kind::Mailto,
            });
        }
        self.pending = Gap::Space;
    }

    /// Cloudflare e-mail protection: hex bytes, the first one the XOR key.
    fn cf_email(&mut self, hex: Range<usize>) {
        let raw = self.src[hex.clone()].trim();
        if raw.len() < 4
            || !raw.len().is_multiple_of(2)
            || !raw.bytes().all(|c| c.is_ascii_hexdigit())
        {
            return;
        }
        let bytes: Vec<u8> = (0..raw.len())
            .step_by(2)
            .filter_map(|k| u8::from_str_radix(&raw[k..k + 2], 16).ok())
            .collect();
        let Some((&key, rest)) = bytes.split_first() else {
            return;
        };
        let Ok(address) = String::from_utf8(rest.iter().map(|b| b ^ key).collect()) else {
            return;
        };
        let last = self
            .named
            .iter()
            .find(|r| r.name == "decoded.cfemail")
            .and_then(|r| r.segments.last())
            .and_then(|s| s.text.as_deref());
        if address.trim().is_empty() || last == Some(address.as_str()) {
            return;
        }
        let start =
            hex.start + (self.src[hex.clone()].len() - self.src[hex.clone()].trim_start().len());
        let piece = Piece {
            src: start..start + raw.len(),
            text: Some(address),
            ws: false,
        };
        self.add_named("decoded.cfemail", vec![piece]);
    }

    /// Appends one value to a named region (a paragraph apart from the last).
    fn add_named(&mut self, name: &str, pieces: Vec<Piece>) {
        if pieces.is_empty() {
            return;
        }
        let index = match self.named.iter().position(|r| r.name == name) {
            Some(i) => i,
            None => {
                self.named.push(Region::new(name, Vec::new()));
                self.named.len() - 1
            }
        };
        let region = &mut self.named[index];
        let first = if region.segments.is_empty() {
            Gap::None
        } else {
            Gap::Paragraph
        };
        region.segments.extend(segments(pieces, first));
    }

    /// A `<script type="application/ld+json">` block. As browsers and
    /// search engines read it, an HTML comment or a CDATA section wrapped
    /// around the JSON (`<!-- … -->`, `//<![CDATA[ … //]]>`) is not part of
    /// it. A block that still is not JSON is a note: it is the page's
    /// metadata, not the article.
    fn json_ld(&mut self, range: Range<usize>) {
        let inner = json_ld_inner(self.src, range.clone());
        let text = &self.src[inner.clone()];
        let span = if inner.is_empty() {
            range.clone()
        } else {
            inner.clone()
        };
        let root: &RawValue = match serde_json::from_str(text) {
            Ok(root) => root,
            Err(e) => {
                self.notes.push((
                    format!("JSON-LD block not read ({e}); the rest of the page was checked"),
                    span,
                ));
                return;
            }
        };
        let mut nodes = Vec::new();
        json_nodes(root, &mut nodes, 0);
        let ids: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .filter_map(|(k, node)| Some((json_str(node.get("@id")?)?, k)))
            .collect();
        for node in &nodes {
            if !node.get("@type").is_some_and(|t| is_article_type(t)) {
                continue;
            }
            for field in JSONLD_FIELDS {
                let Some(value) = node.get(*field) else {
                    continue;
                };
                let mut strings = Vec::new();
                json_strings(value, &nodes, &ids, &mut strings, 0);
                for token in strings {
                    let pieces = self.json_string(token);
                    self.add_named(&format!("jsonld.{field}"), pieces);
                }
            }
        }
    }

    /// A JSON string token (quotes included) as pieces: exact when it holds
    /// no escape, else one decoded piece over the whole token.
    fn json_string(&self, token: &str) -> Vec<Piece> {
        let Some(start) = offset_in(self.src, token) else {
            return Vec::new();
        };
        let end = start + token.len();
        if token.len() >= 2 && !token.contains('\\') {
            return split_text(self.src, start + 1..end - 1, false).0;
        }
        match serde_json::from_str::<String>(token) {
            Ok(text) if !text.trim().is_empty() => vec![Piece {
                src: start..end,
                text: Some(text.trim().to_string()),
                ws: false,
            }],
            _ => Vec::new(),
        }
    }

    fn finish(mut self) -> (Vec<Region>, Vec<(String, Range<usize>)>) {
        self.pop_to(0);
        let items = &self.items;
        let flow_has = |flag: u16| {
            items
                .iter()
                .any(|i| i.kind.in_flow() && i.flags & flag != 0)
        };
        let root = if flow_has(ARTICLE) {
            ARTICLE | FOOTER
        } else if flow_has(MAIN) {
            MAIN | FOOTER
        } else {
            0
        };
        let body = select(items, |i| {
            i.kind.in_flow() && (root == 0 || i.flags & root != 0)
        });
        let mut title = self.title;
        if title.is_empty()
            && let Some(og) = self.named.iter().find(|r| r.name == "meta.og:title")
        {
            title = og.segments.clone();
        }
        if title.is_empty() {
            title = select(items, |i| i.kind == Kind::Text && i.flags & H1 != 0);
        }
        let footer_ok = &self.footer_ok;
        let footer = select(items, |i| {
            i.kind.in_flow() && (i.flags & FOOTER != 0 || (i.footer > 0 && footer_ok[i.footer - 1]))
        });
        let alt = select(items, |i| i.kind == Kind::Alt);
        let captions = figcaptions(items, &self.figures, self.src);
        let license = select(items, |i| {
            i.kind == Kind::LicenseHref || (i.kind == Kind::Text && i.flags & LICENSE != 0)
        });
        let mut regions = vec![Region::new("body", body)];
        for (name, segments) in [("title", title), ("footer", footer)] {
            if !segments.is_empty() {
                regions.push(Region::new(name, segments));
            }
        }
        // One region per figcaption, so a rule can ask each for a credit.
        for segments in captions {
            regions.push(Region::new("caption", segments));
        }
        for (name, segments) in [("alt", alt), ("link.license", license)] {
            if !segments.is_empty() {
                regions.push(Region::new(name, segments));
            }
        }
        regions.extend(self.named);
        if !self.furniture.is_empty() {
            self.furniture.sort_by_key(|r| r.start);
            let mut merged: Vec<Range<usize>> = Vec::new();
            for r in self.furniture.drain(..) {
                match merged.last_mut() {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            let segments = merged
                .into_iter()
                .map(|r| Segment::exact(r, Gap::Paragraph))
                .collect();
            regions.push(Region::new(super::FURNITURE_REGION, segments));
        }
        (regions, self.notes)
    }
}

/// The part of a JSON-LD script's text that is JSON: without surrounding
/// whitespace, and without an HTML comment or CDATA section (with or without
/// the `//` or `/* */` that hides its markers from a script engine) wrapped
/// around it.
fn json_ld_inner(src: &str, range: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (range.start, range.end);
    let trim = |start: &mut usize, end: &mut usize| {
        let text = &src[*start..*end];
        *start += text.len() - text.trim_start().len();
        *end = *start + text.trim().len();
    };
    trim(&mut start, &mut end);
    // Markers may nest (`<!--//<![CDATA[`): strip until nothing changes.
    loop {
        let before = (start, end);
        let text = &src[start..end];
        for open in ["//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[", "<!--"] {
            if text.starts_with(open) {
                start += open.len();
                break;
            }
        }
        let text = &src[start..end];
        for close in ["//]]>", "/*]]>*/", "]]>", "//-->", "-->"] {
            if text.ends_with(close) {
                end -= close.len();
                break;
            }
        }
        if end < start {
            end = start;
        }
        trim(&mut start, &mut end);
        if (start, end) == before {
            return start..end;
        }
    }
}

/// The text of each photo caption: runs of figcaption items, cut where
/// other flowing text or an image's `alt` comes between. A figcaption is not
/// a photo caption when it stands outside a figure, when its figure shows
/// no image (a video player, a slideshow button), when all its text is a link (a teaser headline), or
/// when its figure marks a credit in its own markup (an element whose class
/// names a credit): the page says who took the photo. A page whose figures
/// mark credits that way has a credit field in its template, and shows it
/// only where a credit is due, so none of its figures is reported.
fn figcaptions(items: &[Item], figures: &[Figure], source: &str) -> Vec<Vec<Segment>> {
    let member = |i: &Item| i.kind.in_flow() && i.flags & FIGCAPTION != 0;
    let mut runs = Vec::new();
    let mut start = None;
    for (k, item) in items.iter().enumerate() {
        if member(item) {
            start.get_or_insert(k);
        } else if (item.kind == Kind::Alt || item.kind.in_flow())
            && let Some(s) = start.take()
        {
            runs.push(s..k);
        }
    }
    if let Some(s) = start {
        runs.push(s..items.len());
    }
    // A page whose template gives credits an element of their own shows
    // that element only where a credit is due: a figure without it holds the
    // publisher's own art or a document, not a photo whose credit was lost.
    let template_credits = items.iter().any(|i| {
        i.figure > 0 && i.flags & CREDIT_FIELD != 0 && i.kind == Kind::Text && piece_is_visible(i)
    });
    let credited = |figure: usize| {
        items.iter().any(|i| {
            i.figure == figure
                && i.flags & CREDIT != 0
                && i.kind == Kind::Text
                && piece_is_visible(i)
        })
    };
    runs.into_iter()
        .filter(|run| {
            let run = &items[run.clone()];
            let text: Vec<&Item> = run.iter().filter(|i| i.kind == Kind::Text).collect();
            let figure = run.first().map_or(0, |i| i.figure);
            let shows_image = figure > 0 && figures[figure - 1].image;
            let all_link = !text.is_empty() && text.iter().all(|i| i.flags & LINK != 0);
            // A gallery's date or counter ("3 May 2024", "4 / 12"), or a
            // section title or date in its own element, is no caption that
            // needs a credit.
            let words = text.iter().any(|i| {
                i.flags & HEADING == 0
                    && has_words(i.text.as_deref().unwrap_or(&source[i.src.clone()]))
            });
            shows_image && !all_link && !template_credits && !credited(figure) && words
        })
        .map(|run| select(&items[run], member))
        .collect()
}

/// Whether a caption's text says something besides a date or a count:
/// a word of two letters or more that is not a month's name.
fn has_words(text: &str) -> bool {
    const MONTHS: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "of",
        "ינואר",
        "פברואר",
        "מרץ",
        "מרס",
        "אפריל",
        "מאי",
        "יוני",
        "יולי",
        "אוגוסט",
        "ספטמבר",
        "אוקטובר",
        "נובמבר",
        "דצמבר",
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "اغسطس",
        "سبتمبر",
        "أكتوبر",
        "اكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين",
        "الأول",
        "الثاني",
        "من",
    ];
    text.split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 2 && !MONTHS.iter().any(|m| w.eq_ignore_ascii_case(m)))
}

/// A text item holds something besides white space.
fn piece_is_visible(item: &Item) -> bool {
    item.text.as_deref().is_none_or(|t| !t.trim().is_empty()) && !item.src.is_empty()
}

/// The text of a piece.
fn piece_text<'s>(source: &'s str, piece: &'s Piece) -> &'s str {
    piece.text.as_deref().unwrap_or(&source[piece.src.clone()])
}

/// Pieces of one value as segments, the first with the gap `first`.
fn segments(pieces: Vec<Piece>, first: Gap) -> Vec<Segment> {
    pieces
        .into_iter()
        .enumerate()
        .map(|(k, p)| Segment {
            src: p.src,
            text: p.text,
            gap: match (k, p.ws) {
                (0, _) => first,
                (_, true) => Gap::Space,
                _ => Gap::None,
            },
        })
        .collect()
}

/// The stream items a region keeps, with the separators between them:
/// whatever separated the items in between, at least a space where text of
/// the flow that is not in the region was left out, and a paragraph between
/// an attribute value (alt, href) and text.
fn select(items: &[Item], member: impl Fn(&Item) -> bool) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut acc = Gap::None;
    let mut after_side = false;
    for item in items {
        if member(item) {
            let gap = if out.is_empty() {
                Gap::None
            } else if after_side && item.kind.in_flow() {
                Gap::Paragraph
            } else {
                wider(acc, item.gap)
            };
            after_side = !item.kind.in_flow();
            out.push(Segment {
                src: item.src.clone(),
                text: item.text.clone(),
                gap,
            });
            acc = Gap::None;
        } else if item.kind.in_flow() {
            acc = wider(acc, wider(item.gap, Gap::Space));
        }
    }
    out
}

/// Where `part` (a slice of `whole`) starts in `whole`.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (offset + part.len() <= whole.len()
        && whole.is_char_boundary(offset)
        && whole.is_char_boundary(offset + part.len()))
    .then_some(offset)
}

type JsonObject<'s> = BTreeMap<String, &'s RawValue>;

/// The objects of a JSON-LD document: top-level ones, array elements and
/// `@graph` members.
fn json_nodes<'s>(value: &'s RawValue, out: &mut Vec<JsonObject<'s>>, depth: usize) {
    if depth > JSONLD_DEPTH {
        return;
    }
    let text = value.get();
    if text.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(text) {
            for element in list {
                json_nodes(element, out, depth + 1);
            }
        }
    } else if text.starts_with('{')
        && let Ok(object) = serde_json::from_str::<JsonObject<'s>>(text)
    {
        let graph = object.get("@graph").copied();
        out.push(object);
        if let Some(graph) = graph {
            json_nodes(graph, out, depth + 1);
        }
    }
}

/// A JSON string value, decoded.
fn json_str(value: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(value.get()).ok()
}

/// `@type` names an article (`NewsArticle`, `ReportageNewsArticle`,
/// `BlogPosting`, any `...Article`), alone or in a list, with or without a
/// vocabulary prefix.
fn is_article_type(value: &RawValue) -> bool {
    let names: Vec<String> = match json_str(value) {
        Some(name) => vec![name],
        None => serde_json::from_str::<Vec<&RawValue>>(value.get())
            .map(|list| list.into_iter().filter_map(json_str).collect())
            .unwrap_or_default(),
    };
    names.iter().any(|name| {
        let local = name.rsplit(['/', ':', '#']).next().unwrap_or(name);
        local.ends_with("Article") || local.ends_with("BlogPosting")
    })
}

/// The string tokens of a field value: strings, `name`/`url` of objects,
/// arrays of those; an object that is only an `@id` stands for the node
/// with that id.
fn json_strings<'s>(
    value: &'s RawValue,
    nodes: &[JsonObject<'s>],
    ids: &HashMap<String, usize>,
    out: &mut Vec<&'s str>,
    depth: usize,
) {
    if depth > JSONLD_DEPTH {
        return;
    }
    let text = value.get();
    if text.starts_with('"') {
        out.push(text);
    } else if text.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(text) {
            for element in list {
                json_strings(element, nodes, ids, out, depth + 1);
            }
        }
    } else if text.starts_with('{')
        && let Ok(object) = serde_json::from_str::<JsonObject<'s>>(text)
    {
        let (name, url) = (object.get("name"), object.get("url"));
        if name.is_none() && url.is_none() {
            if let Some(node) = object
                .get("@id")
                .and_then(|id| json_str(id))
                .and_then(|id| ids.get(&id))
                .and_then(|&k| nodes.get(k))
                && !node.contains_key("@graph")
                && node.len() > 1
            {
                for key in ["name", "url"] {
                    if let Some(v) = node.get(key) {
                        json_strings(v, nodes, ids, out, depth + 1);
                    }
                }
            }
            return;
        }
        for v in [name, url].into_iter().flatten() {
            json_strings(v, nodes, ids, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tag_lists_are_sorted_for_lookup() {
        for list in [
            VOID,
            BLOCK,
            HEADINGS,
            CLOSES_P,
            BREAKS_OUT_OF_FOREIGN,
            P_SCOPE,
            ITEM_SCOPE,
        ] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            for name in list {
                assert!(listed(list, name));
            }
        }
        assert!(!listed(BLOCK, "span") && !listed(VOID, "div"));
    }

    /// `split_text` as it was before it scanned with `memchr`: one byte at
    /// a time.
    fn split_text_reference(source: &str, range: Range<usize>, attr: bool) -> (Vec<Piece>, bool) {
        let b = source.as_bytes();
        let end = range.end.min(b.len());
        let mut i = range.start.min(end);
        let mut out = Vec::new();
        let mut ws = false;
        // The current exact run: start, end of its last non-whitespace byte, and
        // whether whitespace came before it.
        let mut run: Option<(usize, usize, bool)> = None;
        let flush = |run: &mut Option<(usize, usize, bool)>, out: &mut Vec<Piece>| {
            if let Some((s, e, w)) = run.take() {
                out.push(Piece {
                    src: s..e,
                    text: None,
                    ws: w,
                });
            }
        };
        while i < end {
            let c = b[i];
            if c == b'&'
                && let Some((j, text)) = char_ref(b, i, end, attr)
            {
                let had_ws = run.is_some_and(|(_, e, _)| e < i) || (run.is_none() && ws);
                flush(&mut run, &mut out);
                if text.bytes().all(is_ws) {
                    ws = true;
                } else {
                    out.push(Piece {
                        src: i..j,
                        text: Some(text),
                        ws: had_ws,
                    });
                    ws = false;
                }
                i = j;
                continue;
            }
            if is_ws(c) {
                let mut j = i;
                let mut breaks = 0;
                while j < end && is_ws(b[j]) {
                    if b[j] == b'\n' || (b[j] == b'\r' && b.get(j + 1) != Some(&b'\n')) {
                        breaks += 1;
                    }
                    j += 1;
                }
                if breaks >= 2 {
                    flush(&mut run, &mut out);
                }
                ws = true;
                i = j;
                continue;
            }
            let mut j = i + 1;
            while j < end && !is_ws(b[j]) && b[j] != b'&' {
                j += 1;
            }
            match &mut run {
                Some((_, e, _)) => *e = j,
                None => run = Some((i, j, ws)),
            }
            ws = false;
            i = j;
        }
        let trailing = ws || run.is_some_and(|(_, e, _)| e < end);
        flush(&mut run, &mut out);
        (out, trailing)
    }

    fn html_text() -> impl Strategy<Value = String> {
        let unit = prop_oneof![
            3 => proptest::sample::select(vec![
                " ", "  ", "\t", "\n", "\r", "\r\n", "\x0C", "\n\n", " \n \n ", "&amp;", "&#32;",
                "&nbsp;", "&#x5d0;", "&", "&&", "&bogus;", "&#", "&lt", "& ", "&#10;",
            ]).prop_map(str::to_string),
            4 => "[a-zA-Z0-9.,;]{1,6}",
            2 => "[\u{05D0}-\u{05EA}\u{0621}-\u{064A}]{1,4}",
        ];
        proptest::collection::vec(unit, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn split_text_is_unchanged(
            text in html_text(),
            from in 0..8usize,
            cut in 0..8usize,
            attr in any::<bool>(),
        ) {
            let mut from = from.min(text.len());
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = text.len().saturating_sub(cut).max(from);
            while !text.is_char_boundary(to) {
                to += 1;
            }
            let got = split_text(&text, from..to, attr);
            let want = split_text_reference(&text, from..to, attr);
            prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
    }

    fn region<'r>(regions: &'r [Region], name: &str) -> Option<&'r Region> {
        regions.iter().find(|r| r.name == name)
    }

    /// Each segment as written: the source slice, or `⟨decoded⟩`.
    fn parts(source: &str, region: &Region) -> Vec<String> {
        region
            .segments
            .iter()
            .map(|s| match &s.text {
                None => source[s.src.clone()].to_string(),
                Some(t) => format!("⟨{t}⟩"),
            })
            .collect()
    }

    /// The region's text with gaps as "" / " " / "\n".
    fn render(source: &str, region: &Region) -> String {
        let mut out = String::new();
        for (k, s) in region.segments.iter().enumerate() {
            if k > 0 {
                out.push_str(match s.gap {
                    Gap::None => "",
                    Gap::Space => " ",
                    Gap::Paragraph => "\n",
                });
            }
            out.push_str(s.text.as_deref().unwrap_or(&source[s.src.clone()]));
        }
        out
    }

    fn rendered(source: &str, name: &str) -> Option<String> {
        let (regions, problems) = regions(source);
        assert!(problems.is_empty(), "{problems:?}");
        region(&regions, name).map(|r| render(source, r))
    }

    const HEBREW_PAGE: &str = r#"<!DOCTYPE html>
<html lang="he" dir="rtl">
<head>
<meta charset="utf-8">
<title>הממשלה אישרה את התקציב | חדשות ישראל</title>
<meta name="description" content="הממשלה אישרה הלילה את תקציב המדינה">
<meta name="author" content="דנה לוי">
<meta property="og:site_name" content="חדשות ישראל">
<meta property="og:title" content="הממשלה אישרה את התקציב">
<meta name="keywords" content="תקציב">
<link rel="stylesheet" href="/site.css">
<link rel="license" href="https://news.co.il/terms">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"הממשלה אישרה את התקציב",
 "author":{"@type":"Person","name":"דנה לוי"},
 "publisher":{"@type":"Organization","name":"חדשות ישראל","url":"https://news.co.il"},
 "copyrightHolder":"חדשות ישראל בע\"מ"}
</script>
<style>.site-footer { color: #333 }</style>
</head>
<body>
<nav><a href="/">ראשי</a> | <a href="/news">חדשות</a></nav>
<article>
<h1>הממשלה אישרה את התקציב</h1>
<p>הממשלה אישרה הלילה את <b>תקציב</b> המדינה לשנת 2025.</p>
<figure><img src="cabinet.jpg" alt="ראש הממשלה בישיבה"><figcaption>צילום: פלאש 90</figcaption></figure>
<p>הדיון נמשך
כל הלילה.</p>
</article>
<aside>כתבות נוספות</aside>
<footer class="site-footer">
<p>© כל הזכויות שמורות לחדשות ישראל</p>
<p>לפי סעיף 27א לחוק זכות יוצרים, התשס"ח-2007, בעלי זכויות מתבקשים לפנות אלינו: <a href="mailto:copyright@news.co.il">כתבו לנו</a></p>
</footer>
</body>
</html>
"#;

    #[test]
    fn hebrew_news_page_regions() {
        let src = HEBREW_PAGE;
        let (regions, problems) = regions(src);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "body",
                "title",
                "footer",
                "caption",
                "alt",
                "link.license",
                "meta.description",
                "meta.author",
                "meta.og:site_name",
                "meta.og:title",
                "jsonld.author",
                "jsonld.publisher",
                "jsonld.copyrightHolder",
                "page.furniture",
            ]
        );
        // The furniture map: where the `<nav>`'s and the `<aside>`'s content
        // stand, from their first piece of text to their last.
        let nav = src.find("ראשי").unwrap();
        let nav_end = src.find("חדשות</a></nav>").unwrap() + "חדשות".len();
        let aside = src.find("כתבות נוספות").unwrap();
        let furniture = region(&regions, super::super::FURNITURE_REGION).unwrap();
        assert_eq!(
            furniture
                .segments
                .iter()
                .map(|s| s.src.clone())
                .collect::<Vec<_>>(),
            [nav..nav_end, aside..aside + "כתבות נוספות".len()]
        );
        let notice = "לפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2007, בעלי זכויות מתבקשים לפנות אלינו: כתבו לנו copyright@news.co.il";
        let cases: &[(&str, &str)] = &[
            (
                "body",
                &format!(
                    "הממשלה אישרה את התקציב\nהממשלה אישרה הלילה את תקציב המדינה לשנת 2025.\nצילום: פלאש 90\nהדיון נמשך\nכל הלילה.\n© כל הזכויות שמורות לחדשות ישראל\n{notice}"
                ),
            ),
            ("title", "הממשלה אישרה את התקציב | חדשות ישראל"),
            (
                "footer",
                &format!("© כל הזכויות שמורות לחדשות ישראל\n{notice}"),
            ),
            ("caption", "צילום: פלאש 90"),
            ("alt", "ראש הממשלה בישיבה"),
            ("link.license", "https://news.co.il/terms"),
            ("meta.description", "הממשלה אישרה הלילה את תקציב המדינה"),
            ("meta.author", "דנה לוי"),
            ("meta.og:site_name", "חדשות ישראל"),
            ("meta.og:title", "הממשלה אישרה את התקציב"),
            ("jsonld.author", "דנה לוי"),
            ("jsonld.publisher", "חדשות ישראל\nhttps://news.co.il"),
            ("jsonld.copyrightHolder", "חדשות ישראל בע\"מ"),
        ];
        for (name, want) in cases {
            let r = region(&regions, name).unwrap_or_else(|| panic!("no region {name}"));
            assert_eq!(render(src, r), *want, "region {name}");
        }
        // Exact slices where the source has them verbatim.
        let footer = region(&regions, "footer").unwrap();
        let mail = footer.segments.last().unwrap();
        assert_eq!(mail.text, None);
        assert_eq!(&src[mail.src.clone()], "copyright@news.co.il");
        assert_eq!(mail.src.start, src.find("mailto:").unwrap() + 7);
        let caption = region(&regions, "caption").unwrap();
        assert_eq!(parts(src, caption), ["צילום: פלאש 90"]);
        assert_eq!(
            parts(src, region(&regions, "jsonld.author").unwrap()),
            ["דנה לוי"]
        );
        // An escaped JSON string is one decoded segment over its whole token.
        let holder = &region(&regions, "jsonld.copyrightHolder").unwrap().segments[0];
        assert_eq!(&src[holder.src.clone()], r#""חדשות ישראל בע\"מ""#);
        let body = region(&regions, "body").unwrap();
        assert!(body.segments.iter().all(|s| s.text.is_none()));
        let body_text = render(src, body);
        for absent in ["ראשי", "כתבות נוספות", "color", "schema.org"] {
            assert!(!body_text.contains(absent), "{absent} leaked");
        }
    }

    #[test]
    fn arabic_entities_scripts_and_comments() {
        let src = concat!(
            "<html><head><title>&#1582;&#1576;&#1585; عاجل</title>\n",
            "<style>p { color: red } /* </p> */</style>\n",
            "<script>if (a<b) { x = \"</div>\"; }</script>\n",
            "</head><body>\n<!-- تعليق مخفي <p>not here</p> -->\n",
            "<p>&#1575;&#1604;&#1581;&#1602;&#1608;&#1602; محفوظة&nbsp;لموقع الخبر</p>\n",
            "<p>راسلونا على &rlm;info@alkhabar.com&rlm; للمزيد</p>\n",
            "<p>جميع <b>الحقو</b>ق محفوظة</p>\n",
            "<script>document.write(\"<p>leak</p>\")</script>\n",
            "</body></html>"
        );
        let (regions, problems) = regions(src);
        assert!(problems.is_empty());
        let body = region(&regions, "body").unwrap();
        assert_eq!(
            render(src, body),
            "الحقوق محفوظة\u{a0}لموقع الخبر\nراسلونا على \u{200f}info@alkhabar.com\u{200f} للمزيد\nجميع الحقوق محفوظة"
        );
        assert_eq!(
            parts(src, body),
            [
                "⟨ا⟩",
                "⟨ل⟩",
                "⟨ح⟩",
                "⟨ق⟩",
                "⟨و⟩",
                "⟨ق⟩",
                "محفوظة",
                "⟨\u{a0}⟩",
                "لموقع الخبر",
                "راسلونا على",
                "⟨\u{200f}⟩",
                "info@alkhabar.com",
                "⟨\u{200f}⟩",
                "للمزيد",
                "جميع",
                "الحقو",
                "ق محفوظة",
            ]
        );
        // Decoded segments point at the reference itself.
        assert_eq!(&src[body.segments[0].src.clone()], "&#1575;");
        assert_eq!(&src[body.segments[7].src.clone()], "&nbsp;");
        let gaps: Vec<Gap> = body.segments[14..].iter().map(|s| s.gap).collect();
        assert_eq!(gaps, [Gap::Paragraph, Gap::Space, Gap::None]);
        let title = region(&regions, "title").unwrap();
        assert_eq!(render(src, title), "خبر عاجل");
        assert_eq!(parts(src, title)[3], "عاجل");
        let all: String = regions.iter().map(|r| render(src, r)).collect();
        for absent in ["a<b", "</div>", "color", "leak", "تعليق", "not here"] {
            assert!(!all.contains(absent), "{absent} leaked");
        }
    }

    #[test]
    fn body_falls_back_from_article_to_main_to_body_to_document() {
        let cases: &[(&str, &str)] = &[
            (
                "<html><body><nav>قائمة</nav><p>نص المقال</p></body></html>",
                "قائمة\nنص المقال",
            ),
            (
                "<p>Plain text only</p><div>Second</div>",
                "Plain text only\nSecond",
            ),
            ("Just text &amp; more", "Just text & more"),
            (
                "<html><head><title>T</title></head>Loose text</html>",
                "Loose text",
            ),
            (
                "<body><header>Site</header><main><p>Main text</p></main><footer>© Site</footer></body>",
                "Main text\n© Site",
            ),
            (
                "<article>A</article><div>ad</div><article>B</article><footer>F</footer>",
                "A\nB\nF",
            ),
            (
                "<article><p>Story</p><footer>By line</footer></article><aside>more</aside>",
                "Story\nBy line",
            ),
            ("", ""),
            ("\u{FEFF}<p>after BOM</p>", "after BOM"),
        ];
        for (html, want) in cases {
            assert_eq!(rendered(html, "body").unwrap(), *want, "{html}");
        }
    }

    #[test]
    fn mailto_addresses_follow_the_link_text() {
        let src = "<article><p>Contact: <a href=\"mailto:info@@site.com?subject=Hi\">write to us</a>.</p></article>";
        let (regions, _) = regions(src);
        let body = region(&regions, "body").unwrap();
        assert_eq!(
            parts(src, body),
            ["Contact:", "write to us", "info@@site.com", "."]
        );
        assert_eq!(render(src, body), "Contact: write to us info@@site.com .");
        let at = body.segments[2].src.clone();
        assert_eq!(at.start, src.find("info@@").unwrap());
        let cases: &[(&str, &[&str])] = &[
            // The text already shows the address: not repeated.
            ("<p><a href='mailto:a@b.co'>A@B.co</a></p>", &["A@B.co"]),
            (
                "<p><a href='MAILTO: a&#64;b.co '>mail</a></p>",
                &["mail", "a", "⟨@⟩", "b.co"],
            ),
            // Closed implicitly by the next link, and at the end of input.
            (
                "<p><a href=mailto:x@y.z>one<a href=mailto:p@q.r>two",
                &["one", "x@y.z", "two", "p@q.r"],
            ),
            ("<p><a href='mailto:?subject=x'>empty</a></p>", &["empty"]),
        ];
        for (html, want) in cases {
            let (found, _) = super::regions(html);
            assert_eq!(
                parts(html, region(&found, "body").unwrap()),
                *want,
                "{html}"
            );
        }
    }

    #[test]
    fn json_ld_graph_arrays_references_and_errors() {
        let bad = r#"{"@type": "NewsArticle", "author": }"#;
        let src = format!(
            r#"<head><script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
 {{"@type":"WebPage","@id":"https://s/#webpage","name":"Page","author":"Not an article"}},
 {{"@type":["NewsArticle"],"@id":"https://s/#article","author":[{{"@type":"Person","name":"Ahmad"}},{{"name":"Sara"}},"Desk"],
   "publisher":{{"@id":"https://s/#org"}},"license":"https://creativecommons.org/licenses/by/4.0/"}},
 {{"@type":"Organization","@id":"https://s/#org","name":"Al Khabar","url":"https://s/"}}
]}}</script>
<script type="application/ld+json">[{{"@type":"http://schema.org/BlogPosting","creditText":"Photo:\u0020AP","copyrightNotice":"&copy; Al Khabar"}}]</script>
<script type="Application/LD+JSON; charset=utf-8">
  {bad}
</script></head>"#
        );
        let (regions, problems) = regions(&src);
        let cases: &[(&str, &[&str])] = &[
            ("jsonld.author", &["Ahmad", "Sara", "Desk"]),
            ("jsonld.publisher", &["Al Khabar", "https://s/"]),
            (
                "jsonld.license",
                &["https://creativecommons.org/licenses/by/4.0/"],
            ),
            ("jsonld.creditText", &["⟨Photo: AP⟩"]),
            ("jsonld.copyrightNotice", &["⟨©⟩", "Al Khabar"]),
        ];
        for (name, want) in cases {
            let r = region(&regions, name).unwrap_or_else(|| panic!("no {name}"));
            assert_eq!(parts(&src, r), *want, "{name}");
        }
        let credit = &region(&regions, "jsonld.creditText").unwrap().segments[0];
        assert_eq!(&src[credit.src.clone()], r#""Photo:\u0020AP""#);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (message, span) = &problems[0];
        assert!(message.starts_with("JSON-LD block not read ("), "{message}");
        assert!(
            message.ends_with("); the rest of the page was checked"),
            "{message}"
        );
        assert_eq!(&src[span.clone()], bad);
        assert!(region(&regions, "body").unwrap().segments.is_empty());
    }

    #[test]
    fn json_ld_inside_a_comment_or_cdata_section_is_read() {
        let json = r#"{"@type":"NewsArticle","author":"Dana Levi"}"#;
        for wrapped in [
            format!("//<![CDATA[\n{json}\n//]]>"),
            format!("/*<![CDATA[*/ {json} /*]]>*/"),
            format!("<![CDATA[{json}]]>"),
            format!("<!--\n{json}\n-->"),
            format!("<!--//--><![CDATA[//><!--\n{json}\n//--><!]]>"),
            format!("\n  <!-- //<![CDATA[\n{json}\n//]]> -->  \n"),
        ] {
            let src = format!(r#"<script type="application/ld+json">{wrapped}</script>"#);
            let (regions, notes) = regions(&src);
            if wrapped.contains("<!]]>") {
                // A wrapping this reader does not undo: a note, not a failure.
                assert_eq!(notes.len(), 1, "{wrapped}: {notes:?}");
                continue;
            }
            assert!(notes.is_empty(), "{wrapped}: {notes:?}");
            let author = region(&regions, "jsonld.author").unwrap_or_else(|| panic!("{wrapped}"));
            assert_eq!(parts(&src, author), ["Dana Levi"], "{wrapped}");
        }
        // Markers alone, or a comment with nothing in it: a note over the
        // script's text, not a panic or an empty span.
        for odd in ["<!---->", "<![CDATA[]]>", "//<![CDATA[", "-->", "\n \n"] {
            let src = format!(r#"<script type="application/ld+json">{odd}</script>"#);
            let (_, notes) = regions(&src);
            assert_eq!(notes.len(), 1, "{odd}: {notes:?}");
            let start = src.find(odd).unwrap();
            assert_eq!(notes[0].1, start..start + odd.len(), "{odd}");
        }
    }

    #[test]
    fn declared_charset_from_meta() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"<html><head><meta charset=\"windows-1256\">", Some("windows-1256")),
            (
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-8\">",
                Some("ISO-8859-8"),
            ),
            (
                b"<META HTTP-EQUIV=content-type CONTENT=\"text/html;charset='utf-8'\">",
                Some("utf-8"),
            ),
            (b"<html><head><title>x</title></head>", None),
            (b"", None),
            (
                b"<!-- <meta charset=\"koi8-r\"> --><script>'<meta charset=x>'</script><meta charset=utf-8>",
                Some("utf-8"),
            ),
            (
                b"<title>\xe1\xe2\xf9</title><meta charset='windows-1255'>",
                Some("windows-1255"),
            ),
            (b"<meta http-equiv=\"refresh\" content=\"5; charset=x\">", None),
            (b"<meta charset=\"windows-12", None),
        ];
        for (head, want) in cases {
            assert_eq!(
                declared_charset(head).as_deref(),
                *want,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
        let mut late = vec![b' '; 1020];
        late.extend_from_slice(b"<meta charset=utf-8>");
        assert_eq!(declared_charset(&late), None);
    }

    #[test]
    fn character_references() {
        let cases: &[(&str, &str)] = &[
            ("&amp;&lt;&gt;&quot;&apos;", "&<>\"'"),
            ("&#x80;&#150;&#x9d;", "€–\u{9d}"),
            (
                "&#0;&#xD800;&#x110000;&#xFFFFFFFF;&#99999999999;",
                "\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}",
            ),
            ("&copy 2024", "© 2024"),
            ("&copyright", "©right"),
            ("&notanentity;", "¬anentity;"),
            ("&bogus; & &;", "&bogus; & &;"),
            ("&#65&#x42;C", "ABC"),
            ("&#; &#x; &#xg;", "&#; &#x; &#xg;"),
            ("info&commat;site&period;com", "info@site.com"),
            ("a&#32;b&NewLine;c", "a b c"),
            (
                "&shy;&lrm;&rlm;&zwj;&zwnj;",
                "\u{ad}\u{200e}\u{200f}\u{200d}\u{200c}",
            ),
            ("&mdash;&ndash;&hellip;&laquo;&raquo;", "—–…«»"),
            ("&lsquo;&rsquo;&ldquo;&rdquo;&reg;&euro;&trade;", "‘’“”®€™"),
            // The rest of HTML5's names: a word joiner, the longest name,
            // two code points, an astral one; a legacy prefix of a longer
            // name decodes as itself.
            ("27&NoBreak;A", "27\u{2060}A"),
            ("&CounterClockwiseContourIntegral;", "\u{2233}"),
            ("&nGt;&Aopf;&fjlig;", "\u{226B}\u{20D2}\u{1D538}fj"),
            ("&notin; &notit; &ampx;", "\u{2209} ¬it; &x;"),
            (
                "&NoBreak &CounterClockwiseContourIntegralX;",
                "&NoBreak &CounterClockwiseContourIntegralX;",
            ),
        ];
        for (text, want) in cases {
            let html = format!("<p>{text}</p>");
            assert_eq!(rendered(&html, "body").unwrap(), *want, "{text}");
        }
        // In attributes a legacy name without `;` stays when `=` or an
        // alphanumeric follows.
        let html = "<img alt=\"a&copy=b &copy c &amp &copyx\">";
        assert_eq!(rendered(html, "alt").unwrap(), "a&copy=b © c & &copyx");
    }

    #[test]
    fn entity_tables_are_sorted_and_consistent() {
        use entities::{LEGACY, LEGACY_MAX_LEN, NAMED, NAMED_MAX_LEN};
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LEGACY.windows(2).all(|w| w[0] < w[1]));
        // WHATWG's entities.json: 2,231 entries, 106 of them without `;`.
        assert_eq!(NAMED.len(), 2125);
        assert_eq!(LEGACY.len(), 106);
        for name in LEGACY {
            assert!(entities::named(name).is_some(), "{name}");
            assert!(name.len() <= LEGACY_MAX_LEN, "{name}");
        }
        for (name, text) in NAMED {
            assert!(name.len() <= NAMED_MAX_LEN, "{name}");
            assert!(name.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
            assert!((1..=2).contains(&text.chars().count()), "{name}");
        }
        assert_eq!(
            NAMED.iter().map(|(n, _)| n.len()).max(),
            Some(NAMED_MAX_LEN)
        );
    }

    #[test]
    fn separators_follow_rendering() {
        let cases: &[(&str, &str)] = &[
            ("<p><b>Sec</b>tion</p>", "Section"),
            ("<p>Sec<!-- c -->tion</p>", "Section"),
            ("<p>Sec<wbr>tion</p>", "Section"),
            ("<p>one <i>two</i></p>", "one two"),
            ("<p>a<br>b<br><br>c<br/>\n<br>d</p>", "a b\nc\nd"),
            ("<p>a</p><p>b</p>", "a\nb"),
            (
                "<p>line one\n\n  line two\r\n\r\nthree</p>",
                "line one line two three",
            ),
            ("<p>\n  padded  \n</p>", "padded"),
            (
                "<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>",
                "x\ny\nz",
            ),
            ("<span>a</span>&nbsp;<span>b</span>", "a\u{a0}b"),
            ("<ul><li>one<li>two</ul>", "one\ntwo"),
            ("a<script>x</script>b", "ab"),
            (
                "<p>x &lt; y and 1<2 and a <-> b</p>",
                "x < y and 1<2 and a <-> b",
            ),
            ("<p>stray </ p> end</p>", "stray end"),
            ("<p>a</>b</p>", "ab"),
        ];
        for (html, want) in cases {
            assert_eq!(rendered(html, "body").unwrap(), *want, "{html}");
        }
        let src = "<p><b>Sec</b>tion here</p>";
        let (regions, _) = regions(src);
        let body = region(&regions, "body").unwrap();
        let gaps: Vec<Gap> = body.segments.iter().map(|s| s.gap).collect();
        assert_eq!(gaps, [Gap::None, Gap::None]);
        assert_eq!(parts(src, body), ["Sec", "tion here"]);
    }

    #[test]
    fn cloudflare_protected_addresses_are_decoded_aside() {
        let key = 0x5a_u8;
        let hex: String = std::iter::once(key)
            .chain(b"info@site.com".iter().map(|b| b ^ key))
            .map(|b| format!("{b:02x}"))
            .collect();
        let src = format!(
            "<article><p>Mail: <a href=\"/cdn-cgi/l/email-protection#{hex}\" class=\"__cf_email__\" data-cfemail=\"{hex}\">[email&#160;protected]</a></p>\
             <p><span class=\"__cf_email__\" data-cfemail=\"{hex}\">[email&#160;protected]</span> <span data-cfemail=\"zz\">bad</span></p></article>"
        );
        let (regions, _) = regions(&src);
        assert_eq!(
            render(&src, region(&regions, "body").unwrap()),
            "Mail: [email\u{a0}protected]\n[email\u{a0}protected] bad"
        );
        let decoded = region(&regions, "decoded.cfemail").unwrap();
        assert_eq!(parts(&src, decoded), ["⟨info@site.com⟩"]);
        assert_eq!(&src[decoded.segments[0].src.clone()], hex);
    }

    /// Which figcaptions are photo captions: one caption region each for
    /// a figure that shows an image, none for a video player, a slideshow
    /// button outside any figure, a teaser headline that is all link, or a
    /// figure whose markup marks its credit.
    #[test]
    fn only_figcaptions_of_images_are_photo_captions() {
        let captions = |html: &str| -> Vec<String> {
            let (regions, _) = regions(html);
            regions
                .iter()
                .filter(|r| r.name == "caption")
                .map(|r| parts(html, r).join(" "))
                .collect()
        };
        let cases: &[(&str, &[&str])] = &[
            (
                "<figure><picture><source srcset=a.webp></picture><figcaption>Harbour at dawn</figcaption></figure>",
                &["Harbour at dawn"],
            ),
            (
                "<figure><iframe src=player.html></iframe><figcaption><span>Media caption</span> The minister spoke</figcaption></figure>",
                &[],
            ),
            (
                "<div><button><figure><div role=img></div></figure></button><figcaption>Slideshow <span>( 3 images )</span></figcaption></div>",
                &[],
            ),
            (
                "<figure><a href=/story><img src=t.jpg alt=t></a><figcaption><a href=/story>Star seen in town</a></figcaption></figure>",
                &[],
            ),
            (
                "<figure><img src=a.jpg><figcaption><div class=caption-credit><a href=/p>Dana</a></div></figcaption></figure>",
                &[],
            ),
            (
                "<figure><img src=a.jpg><figcaption>Protest in Haifa</figcaption><span class=\"image-copyright\">Dana Levi</span></figure>",
                &[],
            ),
            // An empty credit element says nothing: the caption is still read.
            (
                "<figure><img src=a.jpg><figcaption>Protest in Haifa <a href=/more>more</a></figcaption><span class=credit> </span></figure>",
                &["Protest in Haifa more"],
            ),
        ];
        for (html, want) in cases {
            assert_eq!(captions(html), *want, "{html}");
        }
    }

    #[test]
    fn footers_licences_titles_and_captions() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "<article><p>Story</p></article><div id=\"Page-Footer\"><p class=x>Rights reserved<p>Second</div><p>After</p>",
                "footer",
                Some("Rights reserved\nSecond"),
            ),
            (
                "<ul><li class=footer-item>one<li>two</ul>",
                "footer",
                Some("one"),
            ),
            ("<p class=footer>one<div>two</div>", "footer", Some("one")),
            // A wrapper whose class mentions the footer is not one.
            (
                "<div class=\"page has-footer\"><h1>Title</h1><p>Story</p><div class=footer-links>Links</div><footer>© X</footer></div>",
                "footer",
                Some("Links\n© X"),
            ),
            ("<p>no footer here</p>", "footer", None),
            (
                "<p>Licensed <a rel=\"nofollow license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>.</p>",
                "link.license",
                Some("https://creativecommons.org/licenses/by/4.0/\nCC BY 4.0"),
            ),
            (
                "<meta property=\"og:title\" content=\"OG\"><h1>H</h1>",
                "title",
                Some("OG"),
            ),
            (
                "<title> </title><h1><img alt=x></h1><h1>Second <em>one</em></h1><h1>Third</h1>",
                "title",
                Some("Second one"),
            ),
            ("<svg><title>icon</title></svg><p>x</p>", "title", None),
            (
                "<figure><img alt=\"a &amp; b\"><figcaption>Photo: <b>AP</b></figcaption></figure><img alt=''><img alt=second>",
                "alt",
                Some("a & b\nsecond"),
            ),
            (
                "<figure><img alt=\"a &amp; b\"><figcaption>Photo: <b>AP</b></figcaption></figure><img alt=''><img alt=second>",
                "caption",
                Some("Photo: AP"),
            ),
            (
                "<meta name=\"DC.Rights\" content=\" © Ynet \"><meta name=copyright content=A><meta name=Copyright content=B>",
                "meta.copyright",
                Some("A\nB"),
            ),
            (
                "<meta name=\"DC.Rights\" content=\" © Ynet \">",
                "meta.dc.rights",
                Some("© Ynet"),
            ),
        ];
        for (html, name, want) in cases {
            assert_eq!(rendered(html, name).as_deref(), *want, "{name}: {html}");
        }
    }

    #[test]
    fn raw_text_and_skipped_elements() {
        let cases: &[(&str, &str)] = &[
            (
                "<script>var s = \"</scr\" + \"ipt>\"; if (a<b) {}</script><p>after</p>",
                "after",
            ),
            ("<textarea>typed &lt;text&gt;</textarea>", "typed <text>"),
            (
                "<svg><title>icon</title><text>svg text</text></svg><p>visible</p>",
                "visible",
            ),
            ("<svg><path d='x'/><p>breakout</p>", "breakout"),
            (
                "<svg/><p>after self-closed svg</p>",
                "after self-closed svg",
            ),
            ("<p>before<script>unclosed", "before"),
            ("<template><p>hidden</p></template><p>shown</p>", "shown"),
            ("<noscript><p>Enable JS</p></noscript><p>ok</p>", "ok"),
            ("<p>a<!-- unterminated comment", "a"),
            ("<p>a<!-->b<!--->c<!---->d<!-- x --!>e</p>", "abcde"),
            ("<!DOCTYPE html><?php echo 1 ?><p>x</p>", "x"),
            ("<p>unclosed <b tag", "unclosed"),
            ("<p title='unclosed>text", ""),
            (
                "<div\n class = footer\n data-x=1>spaced attrs</div>",
                "spaced attrs",
            ),
            ("<style>p{}</style  ><p>y</p>", "y"),
            ("<SCRIPT>x</ScRiPt><P>z</P>", "z"),
            (
                "<script><!--\ndocument.write(\"<script src='ad.js'></script>\"); //--></script><p>after ad</p>",
                "after ad",
            ),
            ("<script><!--></script><p>p1</p>", "p1"),
            (
                "<script><!-- <script> </script> --></script><p>p2</p>",
                "p2",
            ),
            ("<script><!-- </script><p>p3</p>", "p3"),
        ];
        for (html, want) in cases {
            assert_eq!(rendered(html, "body").unwrap(), *want, "{html}");
        }
    }

    #[test]
    fn deep_nesting_stays_linear() {
        let n = 100_000;
        let src = format!("{}text{}", "<div><b>".repeat(n), "</b></div>".repeat(n));
        assert_eq!(rendered(&src, "body").unwrap(), "text");
        let src = format!("<p class=footer>{}end", "<span>".repeat(n));
        assert_eq!(rendered(&src, "footer").unwrap(), "end");
    }

    /// A small deterministic generator (xorshift) for tag soup.
    struct Soup(u64);

    impl Soup {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'p>(&mut self, options: &[&'p str]) -> &'p str {
            options[(self.next() % options.len() as u64) as usize]
        }
    }

    const FRAGMENTS: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "<p>",
        "</p>",
        "<div class=footer>",
        "</div>",
        "<article>",
        "</article>",
        "<main>",
        "<footer>",
        "</footer>",
        "<!--",
        "-->",
        "--!>",
        "<!",
        "<?",
        "&#xFFFFFFFF;",
        "&#99999999999999999999",
        "&amp",
        "&",
        "&#",
        "&#x;",
        "&copy",
        "&nbsp;",
        "&notin;",
        "<a href=mailto:x@y",
        "<a href=\"mailto:",
        "<a rel=license href=",
        "</a>",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "\r\n\r\n",
        "<script>",
        "</script",
        "</script>",
        "<style>",
        "<svg>",
        "</svg>",
        "<title>",
        "</title>",
        "<textarea>",
        "<template>",
        "<br>",
        "<br/>",
        "<img alt=",
        "<img alt='x&amp;y'>",
        "<meta name=author content=",
        "<meta charset=",
        "<figcaption>",
        "<h1>",
        "</h1>",
        "<li>",
        "<td>",
        "<tr>",
        "<math>",
        "<foreignObject>",
        "<span data-cfemail=",
        "5a331c",
        "/cdn-cgi/l/email-protection#",
        "<script type=application/ld+json>",
        "{\"@type\":\"NewsArticle\",\"author\":",
        "[\"a\",{\"name\":\"b\\u0041\"}]",
        "{\"@graph\":[",
        "}",
        "שלום",
        "مرحبا",
        "é",
        "😀",
        "\u{200f}",
        "\u{FEFF}",
        "\0",
        "text",
        "<b>",
        "</b>",
    ];

    fn check(source: &str) {
        let (regions, problems) = regions(source);
        let ok = |r: &Range<usize>| {
            r.start <= r.end
                && r.end <= source.len()
                && source.is_char_boundary(r.start)
                && source.is_char_boundary(r.end)
        };
        for region in &regions {
            for seg in &region.segments {
                assert!(ok(&seg.src), "{} {:?} in {source:?}", region.name, seg.src);
                match &seg.text {
                    None => assert!(!seg.src.is_empty(), "empty exact segment in {source:?}"),
                    Some(t) => assert!(!t.is_empty(), "empty decoded segment in {source:?}"),
                }
            }
        }
        for (_, span) in &problems {
            assert!(ok(span), "{span:?} in {source:?}");
        }
        let _ = declared_charset(source.as_bytes());
    }

    #[test]
    fn tag_soup_never_panics_and_spans_stay_on_char_boundaries() {
        let mut soup = Soup(0x9E37_79B9_7F4A_7C15);
        for _ in 0..4000 {
            let len = soup.next() % 60;
            let mut doc = String::new();
            for _ in 0..len {
                doc.push_str(soup.pick(FRAGMENTS));
            }
            check(&doc);
            // Truncated at a random character boundary.
            let mut cut = (soup.next() as usize) % (doc.len() + 1);
            while !doc.is_char_boundary(cut) {
                cut -= 1;
            }
            check(&doc[..cut]);
        }
        // Every prefix of a real page.
        for cut in (0..=HEBREW_PAGE.len()).filter(|&c| HEBREW_PAGE.is_char_boundary(c)) {
            check(&HEBREW_PAGE[..cut]);
        }
        // Raw bytes for the charset sniffer.
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..soup.next() % 64).map(|_| soup.next() as u8).collect();
            let _ = declared_charset(&bytes);
        }
    }
}
