//! Turning files into documents: decoded text plus named regions.
//!
//! A region (`body`, `title`, `footer`, `front_matter.<key>`) is a list of
//! segments of the document's source text. Matching folds each region, and
//! the fold maps back through the segments, so every finding points at bytes
//! of the file as it was read.

pub mod decode;
mod entities;
mod front_matter;
mod html;
pub mod jsonl;
mod markdown;
mod text;

use std::ops::Range;
use std::path::Path;

pub use crate::doc_id::DocId;
pub(crate) use html::is_block;

use crate::normalize::{Folded, Gap, Piece, fold_pieces};

/// Largest file read, in bytes; larger files are reported and skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;
/// How far into a file to look for a NUL byte (the sign of a binary file).
const BINARY_SNIFF: usize = 8 << 10;

/// The region of an HTML page that holds where the site's own furniture
/// stands (`<aside>`, `<nav>`, related-story and newsletter boxes): source
/// ranges, markup included, for `position: content`. Layout data, not
/// article text: no scope reads it.
pub const FURNITURE_REGION: &str = "page.furniture";

/// One article.
#[derive(Debug)]
pub struct Document {
    /// Which file, or which record of a file, this is.
    pub id: DocId,
    /// The file's text, as read (a UTF-8 BOM, if any, is kept: spans are byte
    /// offsets in the original file).
    pub source: String,
    pub regions: Vec<Region>,
    /// Problems with the input that did not stop the check (e.g. broken front matter).
    pub problems: Vec<InputProblem>,
    /// Parts of the input that were not read, which do not fail the check
    /// (an HTML page's JSON-LD block that is not JSON).
    pub notes: Vec<InputProblem>,
    /// Maps offsets of `source` to offsets of the file on disk.
    pub origin: decode::Origin,
    /// Lines of the file before `source` (a JSON-lines record starts mid-file).
    pub line_base: usize,
    /// What the document was read as.
    pub kind: Kind,
    /// A JSON-lines record's fields, to place findings in them.
    pub fields: Option<Box<jsonl::RecordFields>>,
}

/// A named part of a document.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub segments: Vec<Segment>,
}

/// A slice of the source, or decoded text standing for one.
#[derive(Debug, Clone)]
pub struct Segment {
    pub src: Range<usize>,
    /// `None`: the text is `source[src]`. `Some`: decoded text for that range.
    pub text: Option<String>,
    pub gap: Gap,
}

impl Segment {
    pub fn exact(src: Range<usize>, gap: Gap) -> Segment {
        Segment {
            src,
            text: None,
            gap,
        }
    }
}

impl Document {
    /// The site a document was published on: the host of its address
    /// (a JSON-lines record's `url`, `www.` left out), when it has one.
    pub fn site(&self) -> Option<String> {
        let region = self.regions.iter().find(|r| r.name == "meta.url")?;
        let url: String = region
            .segments
            .iter()
            .map(|s| s.text.as_deref().unwrap_or(&self.source[s.src.clone()]))
            .collect();
        let rest = url.trim().split_once("://")?.1;
        let host = rest.split(['/', '?', '#']).next()?;
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next()?.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        (!host.is_empty()).then_some(host)
    }
}

impl Region {
    pub fn new(name: impl Into<String>, segments: Vec<Segment>) -> Region {
        Region {
            name: name.into(),
            segments,
        }
    }

    /// Whether this region is a run of whole paragraphs of `outer`: each of
    /// its segments is the source itself (not decoded text) inside one of
    /// `outer`'s, starts and ends at a paragraph break (a blank line) or at
    /// the edge of that segment, and nothing but white space lies between
    /// its segments. Such a region folds to a stretch of `outer`'s folded
    /// text that a paragraph break opens and closes, as a plain file's
    /// footer is to its body.
    pub fn lies_within(&self, outer: &Region, source: &str) -> bool {
        // A paragraph break, or nothing but white space up to the edge of
        // the file.
        let blank_before = |at: usize| {
            let s = source[..at].trim_end_matches([' ', '\t', '\r']);
            s.trim().is_empty()
                || s.strip_suffix('\n')
                    .is_some_and(|s| s.trim_end_matches([' ', '\t', '\r']).ends_with('\n'))
        };
        let blank_after = |at: usize| {
            let s = source[at..].trim_start_matches([' ', '\t', '\r']);
            s.trim().is_empty()
                || s.strip_prefix('\n')
                    .is_some_and(|s| s.trim_start_matches([' ', '\t', '\r']).starts_with('\n'))
        };
        let exact = |s: &Segment| s.text.is_none() && s.src.end <= source.len();
        if self.segments.is_empty() || !self.segments.iter().all(exact) {
            return false;
        }
        let contiguous = self.segments.windows(2).all(|w| {
            w[0].src.end <= w[1].src.start && source[w[0].src.end..w[1].src.start].trim().is_empty()
        });
        // At the edge of one of outer's segments, the gap to its neighbour
        // must be a paragraph break (or there is no neighbour).
        let opens = |i: usize| i == 0 || outer.segments[i].gap == Gap::Paragraph;
        let closes = |i: usize| {
            outer
                .segments
                .get(i + 1)
                .is_none_or(|n| n.gap == Gap::Paragraph)
        };
        contiguous
            && self.segments.iter().all(|seg| {
                outer.segments.iter().enumerate().any(|(i, o)| {
                    exact(o)
                        && o.src.start <= seg.src.start
                        && seg.src.end <= o.src.end
                        && if seg.src.start == o.src.start {
                            opens(i)
                        } else {
                            blank_before(seg.src.start)
                        }
                        && if seg.src.end == o.src.end {
                            closes(i)
                        } else {
                            blank_after(seg.src.end)
                        }
                })
            })
    }

    /// Folds the region for matching.
    pub fn fold(&self, source: &str) -> Folded {
        fold_pieces(self.segments.iter().map(|s| Piece {
            text: s.text.as_deref().unwrap_or(&source[s.src.clone()]),
            src: s.src.clone(),
            exact: s.text.is_none(),
            gap: s.gap,
        }))
    }
}

/// A problem with one input file, pointing into it when possible.
#[derive(Debug, Clone)]
pub struct InputProblem {
    /// The document the problem is in (empty when it is in no file).
    pub id: DocId,
    pub message: String,
    /// The place, as a byte range of the file as it is on disk (like a
    /// finding's span, whatever the file's encoding).
    pub span: Option<Range<usize>>,
    /// The decoded text around the place, for people, when the span is set.
    /// Boxed: problems are rare, and results that carry them stay small.
    pub source: Option<Box<ProblemSource>>,
}

/// Decoded text a problem is shown in, and the problem's place in it.
#[derive(Debug, Clone)]
pub struct ProblemSource {
    pub text: String,
    /// Byte range of `text`.
    pub span: Range<usize>,
    /// Lines of the file before `text` (a JSON-lines record's line less one).
    pub line_base: usize,
}

/// Kinds of input Clearance reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
    Html,
    /// One document per line.
    Jsonl,
}

/// The file extensions read as each kind (lowercase, without the dot): the
/// one table the loader, the directory walk, `check --help` and the
/// unsupported-type message all read, so they cannot disagree.
pub const KINDS: &[(Kind, &[&str])] = &[
    (Kind::Text, &["txt", "text"]),
    (Kind::Markdown, &["md", "markdown"]),
    (Kind::Html, &["html", "htm", "xhtml"]),
    (Kind::Jsonl, &["jsonl", "ndjson"]),
];

/// Every extension Clearance reads, in table order.
pub fn extensions() -> impl Iterator<Item = &'static str> {
    KINDS.iter().flat_map(|(_, exts)| exts.iter().copied())
}

/// The extensions as a list for people: `.txt, .text, … and .ndjson`.
pub fn extension_list() -> String {
    let all: Vec<String> = extensions().map(|e| format!(".{e}")).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => all.join(""),
    }
}

impl Kind {
    /// The kind for a file name, by extension (any case).
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?;
        KINDS
            .iter()
            .find(|(_, exts)| exts.iter().any(|e| e.eq_ignore_ascii_case(ext)))
            .map(|(kind, _)| *kind)
    }
}

/// A path as reports show it. On Unix a file name is any bytes: bytes that
/// are not UTF-8 and ASCII control characters are written `\xNN`, and a
/// backslash `\\`, so the text is safe to print and stands for exactly one
/// path ([`path_bytes`] gives the bytes back). Elsewhere paths are Unicode
/// (or shown lossily, as the platform gives them).
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Some(text) = decode::valid_utf8(bytes)
            && !text.bytes().any(|b| b == b'\\' || b.is_ascii_control())
        {
            return text.to_string();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    c if c.is_ascii_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// The bytes a path shown by [`display_path`] stands for, when it had to be
/// escaped (`None` when the text is the path as written). On Unix only.
pub fn path_bytes(display: &str) -> Option<Vec<u8>> {
    if !cfg!(unix) || !display.contains('\\') {
        return None;
    }
    let mut out = Vec::with_capacity(display.len());
    let mut rest = display.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match rest {
            [b'\\', tail @ ..] => {
                out.push(b'\\');
                rest = tail;
            }
            [b'x', h, l, tail @ ..] => {
                let hex = std::str::from_utf8(&[*h, *l])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())?;
                out.push(hex);
                rest = tail;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Reads and splits one file. `display` is the path shown in reports.
pub fn load_file(path: &Path, display: &str, max_size: u64) -> Result<Document, InputProblem> {
    let problem = |message: String| InputProblem {
        id: DocId::file(display),
        message,
        span: None,
        source: None,
    };
    let kind = Kind::of(path).ok_or_else(|| {
        problem(format!(
            "unsupported file type (Clearance reads {})",
            extension_list()
        ))
    })?;
    let cannot = |e: std::io::Error| problem(format!("cannot read: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > max_size {
        return Err(problem(format!(
            "file is {len} bytes, over the {max_size}-byte limit; skipped"
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot)?;
    from_input(display, kind, &bytes)
}

/// Checks bytes read from a file or standard input, then decodes them:
/// binary data (a NUL byte in the first 8 KiB and no UTF-16 byte-order mark)
/// and UTF-32 text (which Clearance does not read) are problems, not
/// documents.
pub fn from_input(display: &str, kind: Kind, bytes: &[u8]) -> Result<Document, InputProblem> {
    let problem = |message: &str| InputProblem {
        id: DocId::file(display),
        message: message.to_string(),
        span: None,
        source: None,
    };
    // A charset whose bytes cannot be read safely (ISO-2022-KR, HZ and
    // the like decode to one U+FFFD in browsers too): nothing to check.
    if kind == Kind::Html
        && let Some(label) = html::declared_charset(&bytes[..bytes.len().min(1024)])
        && encoding_rs::Encoding::for_label(label.trim().as_bytes())
            == Some(encoding_rs::REPLACEMENT)
    {
        return Err(problem(&format!(
            "the page declares the charset `{}`, which cannot be read safely; nothing of it was checked",
            crate::report::escape::text(label.trim())
        )));
    }
    if let Some(name) = decode::utf32_bom(bytes) {
        return Err(problem(&format!(
            "{name} text is not supported (save it as UTF-8); skipped"
        )));
    }
    let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF)];
    if !has_bom && memchr::memchr(0, sniff).is_some() {
        return Err(problem("binary file (contains NUL bytes); skipped"));
    }
    Ok(from_bytes(display, kind, bytes))
}

/// Decodes bytes already read (any encoding) into a document.
pub fn from_bytes(display: &str, kind: Kind, bytes: &[u8]) -> Document {
    // The charset an HTML page declares in its first kilobyte.
    let declared = match kind {
        Kind::Html => html::declared_charset(&bytes[..bytes.len().min(1024)]),
        _ => None,
    };
    let decoded = decode::decode(bytes, declared.as_deref(), None);
    let mut doc = from_source(display, kind, decoded.text);
    doc.origin = decoded.origin;
    // Problems and notes point at bytes of the file, as findings do.
    for problem in doc.problems.iter_mut().chain(&mut doc.notes) {
        if let Some(span) = &mut problem.span {
            *span = doc.origin.range(&doc.source, span);
        }
    }
    if let Some((invalid, multibyte)) = decoded.nearly_utf8 {
        doc.problems.push(InputProblem {
            id: DocId::file(display),
            message: format!(
                "read as {}, although it is nearly UTF-8 ({multibyte} UTF-8 characters, {invalid} invalid bytes); if it is UTF-8, repair the stray bytes",
                decoded.encoding.name()
            ),
            span: None,
            source: None,
        });
    } else if decoded.replaced {
        doc.problems.push(InputProblem {
            id: DocId::file(display),
            message: format!(
                "some bytes are not valid {} and were replaced; the rest was checked",
                decoded.encoding.name()
            ),
            span: None,
            source: None,
        });
    }
    doc
}

/// Splits text already in memory into a document.
pub fn from_source(display: &str, kind: Kind, source: String) -> Document {
    let (regions, problems, notes) = match kind {
        Kind::Text => (text::regions(&source), Vec::new(), Vec::new()),
        Kind::Markdown => {
            let (regions, problems) = markdown::regions(&source);
            (regions, problems, Vec::new())
        }
        Kind::Html => {
            let (regions, notes) = html::regions(&source);
            (regions, Vec::new(), notes)
        }
        // Records are split by `jsonl::read`; a whole dump as one text is the fallback.
        Kind::Jsonl => (text::regions(&source), Vec::new(), Vec::new()),
    };
    let placed = |found: Vec<(String, Range<usize>)>| -> Vec<InputProblem> {
        found
            .into_iter()
            .map(|(message, span)| InputProblem {
                id: DocId::file(display),
                message,
                span: Some(span.clone()),
                source: Some(Box::new(ProblemSource {
                    text: source.clone(),
                    span,
                    line_base: 0,
                })),
            })
            .collect()
    };
    let (problems, notes) = (placed(problems), placed(notes));
    Document {
        id: DocId::file(display),
        source,
        regions,
        problems,
        notes,
        origin: decode::Origin::Same,
        line_base: 0,
        kind,
        fields: None,
    }
}

/// The lines of `text`, each with its `'\n'` (as `split_inclusive('\n')`
/// gives them), found with `memchr`: articles are read whole to find their
/// paragraphs, and this is most of the time that takes.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// Paragraph ranges of `text[range]` (blocks separated by blank lines), trimmed.
fn paragraphs(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = range.start;
    let mut pos = range.start;
    for line in lines(&text[range.clone()]) {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(pos + lead);
            }
            end = pos + line.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// How many trailing paragraphs make up a plain document's footer.
const FOOTER_PARAGRAPHS: usize = 3;

/// The footer region: the last few paragraphs of the given body range.
fn footer(text: &str, body: Range<usize>, skip: &[Range<usize>]) -> Region {
    let paras: Vec<Range<usize>> = paragraphs(text, body)
        .into_iter()
        .filter(|p| !skip.iter().any(|s| s.start <= p.start && p.end <= s.end))
        .collect();
    let from = paras.len().saturating_sub(FOOTER_PARAGRAPHS);
    Region::new(
        "footer",
        paras[from..]
            .iter()
            .map(|p| Segment::exact(p.clone(), Gap::Paragraph))
            .collect(),
    )
}

/// The first non-blank line of `text[range]` as a title region.
fn first_line(text: &str, range: Range<usize>) -> Option<Region> {
    let mut pos = range.start;
    for line in lines(&text[range]) {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start().len();
            let start = pos + lead;
            return Some(Region::new(
                "title",
                vec![Segment::exact(start..start + trimmed.len(), Gap::None)],
            ));
        }
        pos += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_are_escaped_and_unescaped_exactly() {
        use std::os::unix::ffi::OsStrExt;
        let cases: &[(&[u8], &str)] = &[
            (b"news/a.txt", "news/a.txt"),
            ("חדשות/مقال.md".as_bytes(), "חדשות/مقال.md"),
            (b"bad\xFFname.txt", "bad\\xFFname.txt"),
            (
                b"a\xFF\xFE\\b\x07\x7F.txt",
                "a\\xFF\\xFE\\\\b\\x07\\x7F.txt",
            ),
            (b"lit\\xFF.txt", "lit\\\\xFF.txt"),
        ];
        for (bytes, shown) in cases {
            let path = Path::new(std::ffi::OsStr::from_bytes(bytes));
            assert_eq!(display_path(path), *shown);
            let back = path_bytes(shown);
            if shown.contains('\\') {
                assert_eq!(back.as_deref(), Some(*bytes), "{shown}");
            } else {
                assert_eq!(back, None);
            }
        }
    }

    #[test]
    fn lines_split_like_split_inclusive() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n",
            "\r\n x \r\n",
            "שלום\nعالم\n\n",
        ] {
            let want: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }
}
