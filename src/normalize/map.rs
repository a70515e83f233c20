//! The offset map from folded text back to the original document.
//!
//! Folding changes lengths (`٢` is two bytes, `2` is one; `ﻻ` becomes `لا`;
//! a run of blank lines becomes one `\n`) and drops characters outright
//! (harakat, tatweel, bidi marks). A finding is reported against the
//! *original* bytes, so every output byte must know where it came from.
//!
//! Storing one source offset per output byte would cost 4–8 bytes per byte
//! of text. Instead the output is cut into [`Seg`]ments, sorted by output
//! offset, and looked up with a binary search:
//!
//! * a **linear** segment is output that copies source bytes one for one in
//!   length (ASCII, `أ` → `ا`, `A` → `a`, a single space): output byte
//!   `out + k` came from source byte `src + k`. Neighbouring linear segments
//!   are merged when both sides are contiguous, so a diacritic-free
//!   paragraph is a single segment;
//! * an **atomic** segment is output whose bytes cannot be attributed
//!   individually (an expansion, a length-changing replacement, a decoded
//!   entity, a collapsed whitespace run): every byte in it stands for the
//!   whole source range `src..src_end`.
//!
//! Offsets are stored as `u32` to keep a segment at 16 bytes; offsets past
//! `u32::MAX` saturate (a single region of 4 GiB is far outside what this
//! tool reads), which can make the map imprecise but never panics.

use std::ops::Range;

/// One run of output bytes with a common origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Seg {
    /// First output byte covered by this segment. Segments are sorted by it
    /// and the first one starts at 0; a segment ends where the next begins
    /// (or at the end of the text).
    out: u32,
    /// Source start. For linear segments, the source of output byte `out`.
    src: u32,
    /// Source end (exclusive). For linear segments `src_end - src` is the
    /// segment's output length.
    src_end: u32,
    linear: bool,
}

/// Saturating conversion for stored offsets.
#[inline]
pub(super) fn narrow(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// The segment table of one folded text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct SegMap {
    segs: Vec<Seg>,
}

impl SegMap {
    /// Records that output bytes `out..out + len` came from source `src`.
    /// Output must be recorded in order and without holes.
    ///
    /// When the source range has exactly the output's length the bytes are
    /// treated as a one-for-one copy. For a single character that is the
    /// same as atomic mapping (queries are rounded to character boundaries),
    /// and it lets runs of such characters merge into one segment.
    ///
    /// `exact` is false when the bytes come from decoded text, where a run
    /// of several characters must stay atomic even if its length happens to
    /// match the source.
    #[inline]
    pub(super) fn push(&mut self, out: usize, len: usize, src: Range<u32>, exact: bool) {
        let out = narrow(out);
        let linear = exact && (src.end as usize).wrapping_sub(src.start as usize) == len;
        if let Some(last) = self.segs.last_mut() {
            if linear && last.linear && last.src_end == src.start {
                last.src_end = src.end;
                return;
            }
            if !linear && !last.linear && last.src == src.start && last.src_end == src.end {
                return;
            }
        }
        self.segs.push(Seg {
            out,
            src: src.start,
            src_end: src.end,
            linear,
        });
    }

    /// Re-attributes the last output byte (at `pos`, one byte long) to
    /// `src`: used when a second apostrophe turns the previous one into `"`.
    pub(super) fn replace_last_byte(&mut self, pos: usize, src: Range<u32>) {
        let pos32 = narrow(pos);
        if let Some(last) = self.segs.last_mut() {
            if last.out >= pos32 {
                self.segs.pop();
            } else if last.linear {
                last.src_end = last.src_end.saturating_sub(1);
            }
        }
        self.push(pos, 1, src, true);
    }

    /// Keeps only the first `n` segments (to reuse a map).
    pub(super) fn truncate(&mut self, n: usize) {
        self.segs.truncate(n);
    }

    /// Number of segments (for tests and diagnostics).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.segs.len()
    }

    /// Index of the segment holding output byte `pos` (`segs` non-empty).
    #[inline]
    fn find(&self, pos: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|g| g.out as usize <= pos);
        self.segs.get(i.checked_sub(1)?)
    }

    /// Source offset where output byte `pos` starts.
    fn start_of(&self, pos: usize) -> usize {
        match self.find(pos) {
            Some(g) if g.linear => (g.src as usize).saturating_add(pos - g.out as usize),
            Some(g) => g.src as usize,
            None => 0,
        }
    }

    /// Source offset where output byte `pos` ends.
    fn end_of(&self, pos: usize) -> usize {
        match self.find(pos) {
            Some(g) if g.linear => (g.src as usize)
                .saturating_add(pos - g.out as usize)
                .saturating_add(1),
            Some(g) => g.src_end as usize,
            None => 0,
        }
    }

    /// Maps the folded range `a..b` of a text of `text_len` bytes (already
    /// clamped and on character boundaries) to a source range.
    pub(super) fn to_source(&self, a: usize, b: usize, text_len: usize) -> Range<usize> {
        if text_len == 0 || self.segs.is_empty() {
            return 0..0;
        }
        if a == b {
            let at = if a < text_len {
                self.start_of(a)
            } else {
                self.end_of(text_len - 1)
            };
            return at..at;
        }
        let start = self.start_of(a);
        let end = self.end_of(b - 1);
        // Only pieces given out of document order can make `end < start`.
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_linear_pushes_merge() {
        let mut m = SegMap::default();
        m.push(0, 1, 0..1, true);
        m.push(1, 2, 1..3, true);
        m.push(3, 1, 3..4, true);
        assert_eq!(m.len(), 1);
        assert_eq!(m.to_source(1, 3, 4), 1..3);
        assert_eq!(m.to_source(4, 4, 4), 4..4);
    }

    #[test]
    fn gap_in_source_starts_a_new_segment() {
        let mut m = SegMap::default();
        m.push(0, 2, 0..2, true);
        m.push(2, 2, 4..6, true); // two source bytes dropped in between
        assert_eq!(m.len(), 2);
        assert_eq!(m.to_source(0, 4, 4), 0..6);
        assert_eq!(m.to_source(0, 2, 4), 0..2);
        assert_eq!(m.to_source(2, 4, 4), 4..6);
    }

    #[test]
    fn atomic_segments_cover_their_whole_source() {
        let mut m = SegMap::default();
        m.push(0, 2, 0..3, true);
        m.push(2, 2, 0..3, true); // second char of the same expansion: deduplicated
        m.push(4, 1, 3..4, true);
        assert_eq!(m.len(), 2);
        assert_eq!(m.to_source(0, 2, 5), 0..3);
        assert_eq!(m.to_source(2, 4, 5), 0..3);
        assert_eq!(m.to_source(2, 5, 5), 0..4);
        assert_eq!(m.to_source(2, 2, 5), 0..0);
    }

    #[test]
    fn replacing_the_last_byte_splits_a_linear_segment() {
        let mut m = SegMap::default();
        m.push(0, 3, 0..3, true); // "ab'"
        m.replace_last_byte(2, 2..6);
        assert_eq!(m.to_source(0, 2, 3), 0..2);
        assert_eq!(m.to_source(2, 3, 3), 2..6);
        let mut m = SegMap::default();
        m.push(0, 1, 0..1, true);
        m.replace_last_byte(0, 0..4);
        assert_eq!(m.len(), 1);
        assert_eq!(m.to_source(0, 1, 1), 0..4);
    }

    #[test]
    fn empty_map_is_harmless() {
        let m = SegMap::default();
        assert_eq!(m.to_source(0, 0, 0), 0..0);
    }
}
