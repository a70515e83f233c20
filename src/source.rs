//! A document's text as miette sees it: a line index for O(log n) span
//! lookups, and a display copy safe to print on a terminal.
//!
//! miette's own `SourceCode` for strings scans from byte 0 on every render,
//! which is quadratic over a file with many findings. Article text may also
//! carry terminal escapes or bidi overrides; the display copy replaces those
//! with placeholders *of the same byte length*, so every span stays valid.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// Byte offsets of line starts, and character counts at fixed byte
/// intervals, so that a line and character column are found in time that
/// does not grow with the length of the line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[k]`: characters in the first `k * CHUNK` bytes.
    chars: Vec<usize>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHUNK: usize = 1024;

/// Characters that start in `bytes` (every byte but UTF-8 continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    crate::work::add(bytes.len());
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars = Vec::with_capacity(text.len() / CHUNK + 1);
        let mut total = 0;
        chars.push(0);
        for chunk in text.as_bytes().chunks(CHUNK) {
            total += count_chars(chunk);
            chars.push(total);
        }
        LineIndex { starts, chars }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Characters in `text[..offset]` (`text` is the text the index was
    /// built from); reads at most [`CHUNK`] bytes.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let k = (offset / CHUNK).min(self.chars.len() - 1);
        self.chars[k] + count_chars(&text.as_bytes()[k * CHUNK..offset])
    }

    /// Characters in `text[from..to]`, in time independent of the distance.
    pub fn chars_between(&self, text: &str, from: usize, to: usize) -> usize {
        self.chars_before(text, to)
            .saturating_sub(self.chars_before(text, from))
    }

    /// 1-based line and 1-based column in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = if text.is_char_boundary(offset) {
            self.chars_between(text, start, offset)
        } else {
            0
        } + 1;
        (line + 1, column)
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// Byte offset where `line` ends (its line break, or the end of the text).
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        self.starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Most bytes of context shown around a span before lines are clipped.
const MAX_SHOWN: usize = 2048;
/// Characters shown on each side of a span on a clipped line.
const WINDOW: usize = 60;

/// The offset `n` characters before `at` (or 0).
pub(crate) fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `at` (or the end).
pub(crate) fn ahead_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// A named source text for miette reports.
#[derive(Debug, Clone)]
pub struct DisplaySource {
    name: String,
    text: Arc<str>,
    lines: Arc<LineIndex>,
    line_base: usize,
}

impl DisplaySource {
    pub fn new(name: &str, text: &str) -> DisplaySource {
        let text: Arc<str> = sanitize(text).into();
        let lines = Arc::new(LineIndex::new(&text));
        DisplaySource {
            name: name.to_string(),
            text,
            lines,
            line_base: 0,
        }
    }

    /// Numbers lines as if `line_base` lines came before the text.
    pub fn with_line_base(mut self, line_base: usize) -> DisplaySource {
        self.line_base = line_base;
        self
    }
}

/// Replaces control characters (except tab and line breaks) and bidi
/// overrides/isolates with same-length placeholders. A carriage return is a
/// line break only before a line feed; alone, it would send the terminal's
/// cursor back over the line.
pub fn sanitize(text: &str) -> String {
    let next = text.chars().skip(1).map(Some).chain([None]);
    text.chars()
        .zip(next)
        .map(|(c, next)| match c {
            '\r' if next != Some('\n') => '?',
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{7f}' => '?',
            // C1 controls are 2 bytes in UTF-8: replace with a 2-byte char.
            '\u{80}'..='\u{9f}' => '¿',
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => {
                '\u{fffd}'
            }
            c => c,
        })
        .collect()
}

impl SourceCode for DisplaySource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self
            .lines
            .line_of(start)
            .saturating_sub(context_lines_before);
        let end_line = self
            .lines
            .line_of(end.saturating_sub(usize::from(!span.is_empty())).max(start));
        let last = (end_line + context_lines_after).min(self.lines.line_count() - 1);
        let from = self.lines.line_start(first);
        let to = if last + 1 < self.lines.line_count() {
            // Exclude the line break that ends the last shown line.
            let next = self.lines.line_start(last + 1);
            let mut t = next - 1;
            if t > from && self.text.as_bytes()[t - 1] == b'\r' {
                t -= 1;
            }
            t.max(from)
        } else {
            self.text.len()
        };
        // miette prints `file:line:column` from a zero-context read: report the
        // span's own column there, counted in characters (miette's would be
        // bytes). Otherwise a very long line (minified HTML, a JSON-lines
        // record) is shown as a window around the span.
        let (from, to, first, last, column) =
            if context_lines_before == 0 && context_lines_after == 0 {
                (
                    from,
                    to,
                    first,
                    last,
                    self.lines.chars_between(&self.text, from, start),
                )
            } else {
                let (from, to, first, last) = if to - from > MAX_SHOWN {
                    let line = self.lines.line_of(start);
                    let line_start = self.lines.line_start(line);
                    let line_end = self.lines.line_end(&self.text, line);
                    let from = back_chars(&self.text, start, WINDOW).max(line_start);
                    let to = ahead_chars(&self.text, end, WINDOW)
                        .min(line_end)
                        .max(end.min(line_end));
                    (from, to, line, self.lines.line_of(to))
                } else {
                    (from, to, first, last)
                };
                let column =
                    self.lines
                        .chars_between(&self.text, self.lines.line_start(first), from);
                (from, to, first, last, column)
            };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[from..to],
            (from, to - from).into(),
            first + self.line_base,
            column,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_character_columns() {
        let text = "first\nשלום עולם\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let olam = text.find("עולם").unwrap();
        assert_eq!(idx.line_col(text, olam), (2, 6));
        assert_eq!(idx.line_col(text, text.len()), (4, 5));
    }

    #[test]
    fn columns_on_a_long_line_read_a_bounded_stretch() {
        // One 600 KB line of Hebrew, Arabic and ASCII: 2- and 1-byte characters.
        let text = format!("title\n{}\nend", "צילום: ללא، صورة (AP) ; ".repeat(20_000));
        let idx = LineIndex::new(&text);
        crate::work::take();
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(997)
            .chain([text.len()])
            .collect();
        for &at in &offsets {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..at].matches('\n').count() + 1;
            let column = text[line_start..at].chars().count() + 1;
            assert_eq!(idx.line_col(&text, at), (line, column), "at {at}");
        }
        // Counting from the line start would read some 300 KB per lookup.
        let read = crate::work::take();
        assert!(
            read <= offsets.len() * 2 * CHUNK,
            "read {read} bytes for {} lookups",
            offsets.len()
        );
        // Offsets inside a character count as column 1, as before.
        let inside = text.find('צ').unwrap() + 1;
        assert_eq!(idx.line_col(&text, inside), (2, 1));
        assert_eq!(idx.line_end(&text, 0), 5);
        assert_eq!(idx.line_end(&text, 2), text.len());
    }

    #[test]
    fn long_lines_are_clipped_around_the_span() {
        let text = format!("head\n{}NEEDLE{}\ntail", "x".repeat(5000), "y".repeat(5000));
        let at = text.find("NEEDLE").unwrap();
        let src = DisplaySource::new("a.jsonl", &text);
        let shown = src.read_span(&(at, 6).into(), 1, 1).unwrap();
        let data = std::str::from_utf8(shown.data()).unwrap();
        assert!(
            data.contains("NEEDLE") && data.len() <= 6 + 2 * WINDOW,
            "{}",
            data.len()
        );
        assert_eq!(shown.line(), 1);
        assert_eq!(shown.column(), 5000 - WINDOW);
        // The header position is the span's own, in characters.
        let header = src.read_span(&(at, 6).into(), 0, 0).unwrap();
        assert_eq!((header.line(), header.column()), (1, 5000));
    }

    #[test]
    fn sanitize_keeps_byte_length() {
        let text = "a\u{1b}[31mb\u{202e}c\u{85}d\u{200f}e";
        let clean = sanitize(text);
        assert_eq!(clean.len(), text.len());
        assert!(!clean.contains('\u{1b}') && !clean.contains('\u{202e}'));
        assert!(
            clean.contains('\u{200f}'),
            "plain RLM marks are harmless and kept"
        );
    }
}
