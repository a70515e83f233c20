//! Bytes → text, for files that are not all UTF-8.
//!
//! Order: a byte-order mark; then the charset the file declares (HTML
//! `<meta charset>`); then valid UTF-8; then UTF-8 with a few bad bytes
//! (replaced, and reported); then detection (`chardetng`: windows-1255/1256,
//! ISO-8859-6/8 and the rest of the web's legacy encodings).
//!
//! Matching runs on the decoded text, so spans are first found in decoded
//! offsets. [`Origin`] maps them back to bytes of the file on disk, which is
//! what reports promise.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use std::ops::Range;

/// Decoded text and where its bytes came from.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub origin: Origin,
    /// Set when some bytes were invalid and replaced by U+FFFD.
    pub replaced: bool,
    /// Set when detection chose a legacy encoding for bytes that were
    /// nearly UTF-8: `(invalid bytes, valid multi-byte characters)`.
    pub nearly_utf8: Option<(usize, usize)>,
}

/// Maps byte offsets of the decoded text back to byte offsets of the file.
#[derive(Debug, Clone, Default)]
pub enum Origin {
    /// The text is the file (UTF-8, a BOM included).
    #[default]
    Same,
    /// Offsets are equal between checkpoints: `(decoded, original)` pairs,
    /// sorted, the first at (0, bom length). Used for UTF-8 with replaced bytes.
    Linear(Vec<(usize, usize)>),
    /// Each char stands for a fixed number of bytes: one byte (single-byte
    /// encodings) or two bytes per UTF-16 unit. `marks` are checkpoints every
    /// few KiB, `(decoded, original)`, so a lookup scans a short stretch.
    Counted {
        utf16: bool,
        marks: Vec<(usize, usize)>,
    },
}

/// How far apart `Origin::Counted` checkpoints are, in decoded bytes.
const MARK_EVERY: usize = 4096;

impl Origin {
    /// The file offset of decoded offset `at` (a char boundary of `text`).
    pub fn original(&self, text: &str, at: usize) -> usize {
        match self {
            Origin::Same => at,
            Origin::Linear(points) => {
                let i = points.partition_point(|&(d, _)| d <= at).saturating_sub(1);
                let (d, o) = points.get(i).copied().unwrap_or((0, 0));
                o + (at - d)
            }
            Origin::Counted { utf16, marks } => {
                let i = marks.partition_point(|&(d, _)| d <= at).saturating_sub(1);
                let (d, o) = marks.get(i).copied().unwrap_or((0, 0));
                o + text.get(d..at).map_or(0, |s| width(s, *utf16))
            }
        }
    }

    /// Maps a decoded range.
    pub fn range(&self, text: &str, r: &Range<usize>) -> Range<usize> {
        self.original(text, r.start)..self.original(text, r.end)
    }
}

fn width(s: &str, utf16: bool) -> usize {
    if utf16 {
        s.chars().map(|c| 2 * c.len_utf16()).sum()
    } else {
        s.chars().count()
    }
}

/// Decodes a file's bytes. `declared` is a charset label the content names
/// itself (HTML meta); `tld` a lowercase top-level domain hint for detection.
pub fn decode(bytes: &[u8], declared: Option<&str>, tld: Option<&str>) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        if encoding == UTF_8 {
            return utf8(bytes);
        }
        return with(encoding, bytes, bom);
    }
    if let Some(encoding) = declared_encoding(declared)
        && encoding != UTF_8
    {
        return with(encoding, bytes, 0);
    }
    let tally = match valid_utf8(bytes) {
        Some(text) => return exact_utf8(text),
        None => Utf8Tally::of(bytes),
    };
    if tally.mostly() {
        return lossy_utf8(bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = tld.filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase()));
    let encoding = detector.guess(tld.map(str::as_bytes), chardetng::Utf8Detection::Allow);
    let mut decoded = with(encoding, bytes, 0);
    if tally.nearly() {
        decoded.nearly_utf8 = Some((tally.invalid_bytes, tally.multibyte_chars));
    }
    decoded
}

/// `UTF-32LE` or `UTF-32BE` when the bytes open with that byte-order mark.
///
/// encoding_rs (like browsers) has no UTF-32: it reads the UTF-32LE mark
/// `FF FE 00 00` as UTF-16LE's followed by a NUL, and the text as
/// garbage, so a notice in such a file would be reported missing. The
/// loader reports these files instead of checking them.
pub fn utf32_bom(bytes: &[u8]) -> Option<&'static str> {
    match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => Some("UTF-32LE"),
        [0, 0, 0xFE, 0xFF] => Some("UTF-32BE"),
        _ => None,
    }
}

/// `bytes` as text when they are valid UTF-8.
///
/// The standard library's check walks Arabic and Hebrew text a character at
/// a time; encoding_rs's is about ten times faster on it, so much faster
/// that copying the checked text into a `String` afterwards still costs
/// less than `String::from_utf8` on the bytes alone.
pub fn valid_utf8(bytes: &[u8]) -> Option<&str> {
    match UTF_8.decode_without_bom_handling_and_without_replacement(bytes)? {
        std::borrow::Cow::Borrowed(text) => Some(text),
        std::borrow::Cow::Owned(_) => None,
    }
}

/// The encoding a declared charset label names. A page that declares UTF-16
/// in ASCII cannot be UTF-16; browsers read it as UTF-8.
fn declared_encoding(declared: Option<&str>) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(declared?.trim().as_bytes())?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

/// UTF-8, a BOM kept as U+FEFF so offsets stay equal; invalid bytes replaced.
fn utf8(bytes: &[u8]) -> Decoded {
    match valid_utf8(bytes) {
        Some(text) => exact_utf8(text),
        None => lossy_utf8(bytes),
    }
}

/// Valid UTF-8: the text is the file.
fn exact_utf8(text: &str) -> Decoded {
    Decoded {
        text: text.to_string(),
        encoding: UTF_8,
        origin: Origin::Same,
        replaced: false,
        nearly_utf8: None,
    }
}

/// UTF-8 with invalid bytes, each run replaced by one U+FFFD.
fn lossy_utf8(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut points = vec![(0, 0)];
    let mut orig = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        orig += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            orig += chunk.invalid().len();
            points.push((text.len(), orig));
        }
    }
    Decoded {
        text,
        encoding: UTF_8,
        origin: Origin::Linear(points),
        replaced: true,
        nearly_utf8: None,
    }
}

/// Any other encoding, after a BOM of `bom` bytes.
fn with(encoding: &'static Encoding, bytes: &[u8], bom: usize) -> Decoded {
    let body = &bytes[bom..];
    let (text, replaced) = match encoding.decode_without_bom_handling_and_without_replacement(body)
    {
        Some(text) => (text.into_owned(), false),
        None => (
            encoding.decode_without_bom_handling(body).0.into_owned(),
            true,
        ),
    };
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    let mut marks = vec![(0, bom)];
    let (mut dec, mut orig) = (0, bom);
    for (i, c) in text.char_indices() {
        if i - dec >= MARK_EVERY {
            orig += width(&text[dec..i], utf16);
            dec = i;
            marks.push((dec, orig));
        }
        let _ = c;
    }
    // Half a unit at the end is one U+FFFD standing for one byte, not two.
    if utf16 && body.len() % 2 == 1 {
        marks.push((text.len(), bytes.len()));
    }
    Decoded {
        text,
        encoding,
        origin: Origin::Counted { utf16, marks },
        replaced,
        nearly_utf8: None,
    }
}

/// How much of some bytes reads as UTF-8.
#[derive(Debug, Clone, Copy)]
struct Utf8Tally {
    /// Bytes that are not part of a valid sequence.
    invalid_bytes: usize,
    /// Runs of such bytes (each becomes one U+FFFD).
    invalid_runs: usize,
    /// Valid characters of two bytes or more.
    multibyte_chars: usize,
    len: usize,
}

impl Utf8Tally {
    fn of(bytes: &[u8]) -> Utf8Tally {
        let mut tally = Utf8Tally {
            invalid_bytes: 0,
            invalid_runs: 0,
            multibyte_chars: 0,
            len: bytes.len(),
        };
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            if !valid.is_ascii() {
                tally.multibyte_chars += valid.chars().filter(|c| !c.is_ascii()).count();
            }
            tally.invalid_bytes += chunk.invalid().len();
            tally.invalid_runs += usize::from(!chunk.invalid().is_empty());
        }
        tally
    }

    /// UTF-8 but for a few stray bytes: under one invalid byte per hundred,
    /// or (a short article) four valid Arabic, Hebrew or other multi-byte
    /// characters for every bad run. Text in a legacy encoding almost never
    /// forms valid multi-byte sequences: its letters are single bytes that
    /// UTF-8 reads as lead bytes without their continuation.
    fn mostly(&self) -> bool {
        self.multibyte_chars > 0
            && (self.invalid_bytes * 100 < self.len
                || self.invalid_runs * 4 <= self.multibyte_chars)
    }

    /// More valid multi-byte characters than bad runs: detection may still
    /// be right, but it is worth a word.
    fn nearly(&self) -> bool {
        self.multibyte_chars > 0 && self.invalid_runs <= self.multibyte_chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, ISO_8859_8, WINDOWS_1255, WINDOWS_1256};

    const ARABIC: &str =
        "وفقا للمادة 27 أ من قانون حقوق التأليف والنشر 2007، للتواصل: info@alnas.net\n";
    const HEBREW: &str =
        "לפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2007. לפניות: copyright@city.co.il\n";

    /// A UTF-16 file with an odd number of bytes ends in half a unit,
    /// read as a U+FFFD that stands for that one byte (with an unpaired
    /// surrogate before it, for those three), not two: the end of the text
    /// is the end of the file.
    #[test]
    fn utf16_with_a_stray_last_byte_ends_at_the_end_of_the_file() {
        let cases: [(&[u8], &str, usize); 2] = [
            (b"\xFE\xFF\x00a\x00", "a\u{FFFD}", 4),
            (b"\xFF\xFEa\x00\x00\xd8\x41", "a\u{FFFD}", 4),
        ];
        for (bytes, expected, last) in cases {
            let decoded = decode(bytes, None, None);
            let text = &decoded.text;
            assert!(decoded.replaced);
            assert_eq!(text, expected);
            assert_eq!(decoded.origin.original(text, 1), last);
            assert_eq!(decoded.origin.original(text, text.len()), bytes.len());
        }
    }

    fn encode(enc: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, used, errors) = enc.encode(text);
        assert_eq!(used, enc);
        assert!(!errors, "{} cannot hold the sample", enc.name());
        bytes.into_owned()
    }

    /// Decoding round-trips, and every decoded char boundary maps to the
    /// file offset of the same char.
    fn round_trip(bytes: &[u8], text: &str, expect: &'static Encoding) {
        let d = decode(bytes, None, None);
        assert_eq!(d.encoding, expect);
        assert_eq!(d.text.trim_start_matches('\u{feff}'), text);
        let mut last = 0;
        for (i, _) in d.text.char_indices().chain([(d.text.len(), ' ')]) {
            let o = d.origin.original(&d.text, i);
            assert!(o >= last && o <= bytes.len());
            last = o;
        }
        assert_eq!(d.origin.original(&d.text, d.text.len()), bytes.len());
        // The word "27" maps onto the bytes "27".
        let at = d.text.find("27").unwrap();
        let r = d.origin.range(&d.text, &(at..at + 2));
        let slice = &bytes[r];
        assert!(
            slice == b"27" || slice == b"2\x007\x00" || slice == b"\x002\x007",
            "{slice:?}"
        );
    }

    #[test]
    fn legacy_encodings_are_detected_and_mapped() {
        round_trip(&encode(WINDOWS_1256, ARABIC), ARABIC, WINDOWS_1256);
        round_trip(&encode(WINDOWS_1255, HEBREW), HEBREW, WINDOWS_1255);
        let iso6 = decode(&encode(ISO_8859_6, ARABIC), None, None);
        assert_eq!(
            iso6.text,
            ARABIC,
            "ISO-8859-6 detected as {}",
            iso6.encoding.name()
        );
        // ISO-8859-8 and windows-1255 share the Hebrew letters: either decoding gives the text.
        assert_eq!(decode(&encode(ISO_8859_8, HEBREW), None, None).text, HEBREW);
    }

    #[test]
    fn declared_charset_wins_over_detection() {
        let bytes = encode(ISO_8859_8, HEBREW);
        let d = decode(&bytes, Some("iso-8859-8"), None);
        assert_eq!(d.encoding, ISO_8859_8);
        assert_eq!(d.text, HEBREW);
        assert_eq!(
            decode(b"plain", Some("no-such-label"), None).encoding,
            UTF_8
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(ARABIC.encode_utf16().flat_map(u16::to_le_bytes));
        round_trip(&le, ARABIC, UTF_16LE);
        let mut be = vec![0xFE, 0xFF];
        be.extend(HEBREW.encode_utf16().flat_map(u16::to_be_bytes));
        round_trip(&be, HEBREW, UTF_16BE);
    }

    #[test]
    fn fast_utf8_check_agrees_with_the_standard_library() {
        let mut cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            ARABIC.as_bytes().to_vec(),
            HEBREW.as_bytes().to_vec(),
            "emoji 😀 and 𝔸".as_bytes().to_vec(),
            vec![0xC0, 0x80],             // overlong NUL
            vec![0xED, 0xA0, 0x80],       // a surrogate
            vec![0xF4, 0x90, 0x80, 0x80], // past U+10FFFF
            vec![0xD8],                   // cut after a lead byte
            vec![0x80],                   // a lone continuation byte
        ];
        // Every cut of an Arabic/Hebrew/emoji text, and every single-byte
        // corruption of a short one.
        let mixed = format!("{ARABIC} {HEBREW} 😀");
        for i in 0..mixed.len() {
            cases.push(mixed.as_bytes()[..i].to_vec());
        }
        for i in 0..40 {
            for b in [0x00, 0x7F, 0x80, 0xBF, 0xC2, 0xD7, 0xE0, 0xF0, 0xFF] {
                let mut v = mixed.as_bytes()[..40].to_vec();
                v[i] = b;
                cases.push(v);
            }
        }
        for bytes in cases {
            assert_eq!(
                valid_utf8(&bytes),
                std::str::from_utf8(&bytes).ok(),
                "{bytes:x?}"
            );
        }
    }

    #[test]
    fn utf8_bom_and_stray_bytes() {
        let with_bom = format!("\u{feff}{HEBREW}");
        let d = decode(with_bom.as_bytes(), None, None);
        assert!(matches!(d.origin, Origin::Same) && !d.replaced);
        assert_eq!(d.text, with_bom);

        let mut bytes = HEBREW.repeat(20).into_bytes();
        bytes.insert(10, 0xFF);
        let d = decode(&bytes, None, None);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.replaced);
        let at = d.text.rfind("copyright").unwrap();
        let r = d.origin.range(&d.text, &(at..at + 9));
        assert_eq!(&bytes[r], b"copyright");
    }

    /// A short article with two stray bytes is still UTF-8: detection
    /// used to read it as windows-1252 mojibake, and its notice vanished.
    #[test]
    fn a_short_utf8_text_with_stray_bytes_stays_utf8() {
        for text in [HEBREW, ARABIC] {
            let mut bytes = text.as_bytes().to_vec();
            bytes.insert(4, 0xFF);
            bytes.insert(20, 0xFE);
            assert!(bytes.len() < 200);
            let d = decode(&bytes, None, None);
            assert_eq!(d.encoding, UTF_8, "{text}");
            assert!(d.replaced && d.nearly_utf8.is_none());
            let at = d.text.find("27").unwrap();
            assert_eq!(&bytes[d.origin.range(&d.text, &(at..at + 2))], b"27");
        }
        // Legacy text is still detected as legacy, and says nothing of UTF-8.
        for (enc, text) in [(WINDOWS_1256, ARABIC), (WINDOWS_1255, HEBREW)] {
            let d = decode(&encode(enc, text), None, None);
            assert_eq!(d.encoding, enc);
            assert_eq!(d.nearly_utf8, None);
        }
    }

    /// Bytes with as many bad runs as good multi-byte characters go to
    /// detection, which is told of: the loader reports the choice.
    #[test]
    fn a_legacy_pick_for_nearly_utf8_bytes_is_flagged() {
        let mut bytes = "café crème brûlée, ".as_bytes().to_vec();
        bytes.extend_from_slice(b"na\xEFve r\xE9sum\xE9");
        let d = decode(&bytes, None, None);
        assert_ne!(d.encoding, UTF_8);
        assert_eq!(d.nearly_utf8, Some((3, 4)));
    }

    #[test]
    fn long_text_uses_checkpoints() {
        let long = ARABIC.repeat(400);
        let bytes = encode(WINDOWS_1256, &long);
        let d = decode(&bytes, None, None);
        assert!(matches!(&d.origin, Origin::Counted { marks, .. } if marks.len() > 10));
        let at = d.text.rfind("info@").unwrap();
        assert_eq!(&bytes[d.origin.range(&d.text, &(at..at + 5))], b"info@");
    }
}
