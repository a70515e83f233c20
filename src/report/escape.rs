//! Text from articles, file names and packs, made safe to show.
//!
//! Anything a printer writes that came from input (a message with `{found}`
//! in it, a label, a help text, a path, a rule id, an error from a pack or a
//! config) passes through one function here for its format, so an article
//! cannot send a terminal escape (colours, clear-screen, an OSC 8 link), a
//! lone carriage return that overwrites the line, a bidi override that
//! makes text read backwards, or a line break that starts a line of its own
//! (a file name with `\n::error file=…::` in it would be a GitHub Actions
//! workflow command).
//!
//! What is escaped: C0 and C1 control characters and DEL (tab and line
//! breaks included: these are single-line fields), the bidi embeddings,
//! overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the line and
//! paragraph separators (U+2028, U+2029). Each becomes a visible escape:
//! `\n`, `\r`, `\t`, else `\u{1b}`.
//!
//! What is kept: every letter, digit and mark, so Arabic and Hebrew stay as
//! they are (harakat, niqqud, tatweel), and the directional marks LRM, RLM
//! and ALM (U+200E, U+200F, U+061C). Those marks are part of ordinary
//! Arabic and Hebrew copy, where editors use them to place punctuation and
//! digits; they open no embedding that could run past the text, and they
//! cannot move a letter, only the neutral characters next to them.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Must `c` be escaped before it is shown?
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The visible form of an unsafe character.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// `s` with every unsafe character replaced by `replace` (which writes its
/// form to the output); borrowed when nothing needs escaping.
fn escape_with(s: &str, mut replace: impl FnMut(&mut String, char) -> bool) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    for (i, c) in s.char_indices() {
        match &mut out {
            Some(out) => {
                if !replace(out, c) {
                    out.push(c);
                }
            }
            None => {
                let mut probe = String::new();
                if replace(&mut probe, c) {
                    let mut owned = String::with_capacity(s.len() + 16);
                    owned.push_str(&s[..i]);
                    owned.push_str(&probe);
                    out = Some(owned);
                }
            }
        }
    }
    out.map_or(Cow::Borrowed(s), Cow::Owned)
}

/// Text for a terminal or a plain-text report: one line, every unsafe
/// character shown as an escape.
pub(crate) fn text(s: &str) -> Cow<'_, str> {
    escape_with(s, |out, c| {
        let unsafe_char = is_unsafe(c);
        if unsafe_char {
            push_escape(out, c);
        }
        unsafe_char
    })
}

/// Text of several lines for a terminal (`rules list`, `rules show`): as
/// [`text`], but line feeds stay line breaks.
pub(crate) fn lines(s: &str) -> Cow<'_, str> {
    escape_with(s, |out, c| {
        let unsafe_char = c != '\n' && is_unsafe(c);
        if unsafe_char {
            push_escape(out, c);
        }
        unsafe_char
    })
}

/// HTML or XML text and attribute values: shown as in [`text`], then `&`,
/// `<`, `>`, `"` and `'` as character references, so nothing from input
/// can open an element, close an attribute or start an entity.
pub(crate) fn markup(s: &str) -> String {
    let shown = text(s);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A GitHub Actions workflow command's message: `%`, CR and LF in the
/// runner's own escapes (it turns them back into line breaks in the
/// annotation), every other unsafe character shown as in [`text`].
pub(crate) fn github_message(s: &str) -> Cow<'_, str> {
    escape_with(s, |out, c| match c {
        '%' => {
            out.push_str("%25");
            true
        }
        '\r' => {
            out.push_str("%0D");
            true
        }
        '\n' => {
            out.push_str("%0A");
            true
        }
        c if is_unsafe(c) => {
            push_escape(out, c);
            true
        }
        _ => false,
    })
}

/// A workflow command's property value (a path, a rule id): as a message,
/// and `:` and `,` too, where the runner splits properties.
pub(crate) fn github_property(s: &str) -> Cow<'_, str> {
    escape_with(s, |out, c| match c {
        ':' => {
            out.push_str("%3A");
            true
        }
        ',' => {
            out.push_str("%2C");
            true
        }
        c => match github_message(c.encode_utf8(&mut [0; 4])) {
            Cow::Owned(escaped) => {
                out.push_str(&escaped);
                true
            }
            Cow::Borrowed(_) => false,
        },
    })
}

/// JSON (and SARIF) output: serde escapes the C0 controls; this formatter
/// also writes DEL, the C1 controls, bidi embeddings, overrides and
/// isolates and the line and paragraph separators as `\uXXXX`. The values
/// a reader decodes are the same; the bytes are safe to `cat`.
pub(crate) struct Json<F>(pub(crate) F);

macro_rules! delegate {
    ($($name:ident),*) => {
        $(
            fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
                self.0.$name(w)
            }
        )*
    };
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Json<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    delegate!(
        begin_array,
        end_array,
        end_array_value,
        begin_object,
        end_object,
        end_object_key,
        begin_object_value,
        end_object_value
    );
}

/// Writes `value` as JSON through [`Json`]; `pretty` indents it.
pub(crate) fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn std::io::Write,
    value: &T,
    pretty: bool,
) -> std::io::Result<()> {
    if pretty {
        let mut ser = serde_json::Serializer::with_formatter(
            out,
            Json(serde_json::ser::PrettyFormatter::new()),
        );
        value.serialize(&mut ser)?;
    } else {
        let mut ser =
            serde_json::Serializer::with_formatter(out, Json(serde_json::ser::CompactFormatter));
        value.serialize(&mut ser)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible_escapes() {
        assert_eq!(
            text("a\u{1b}[31mb\u{7}c\rd\ne\tf\u{202e}g\u{2066}h\u{9b}i\u{7f}j\u{2028}"),
            "a\\u{1b}[31mb\\u{7}c\\rd\\ne\\tf\\u{202e}g\\u{2066}h\\u{9b}i\\u{7f}j\\u{2028}"
        );
    }

    #[test]
    fn lines_keep_their_breaks() {
        assert_eq!(
            lines("rule \u{1b}[2J\n  message: a\rb\u{202e}\n"),
            "rule \\u{1b}[2J\n  message: a\\rb\\u{202e}\n"
        );
    }

    #[test]
    fn arabic_hebrew_and_marks_are_kept() {
        for s in [
            "סעיף 27א לחוק זכות יוצרים",
            "بِسْمِ ٱللَّٰهِ — المادة ٢٧ أ",
            "שָׁלוֹם ‏(27)‎ ؜x",
            "plain text, 100%",
        ] {
            assert!(matches!(text(s), Cow::Borrowed(b) if b == s), "{s}");
        }
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let mut out = Vec::new();
        write_json(
            &mut out,
            &["a\u{1b}b\u{9b}c\u{202e}d\u{2069}e\u{7f}f\u{200f}שָׁ"],
            false,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "[\"a\\u001bb\\u009bc\\u202ed\\u2069e\\u007ff\u{200f}שָׁ\"]"
        );
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ["a\u{1b}b\u{9b}c\u{202e}d\u{2069}e\u{7f}f\u{200f}שָׁ"]);
    }

    #[test]
    fn github_escapes_its_own_separators_and_controls() {
        assert_eq!(
            github_message("100% a\r\nb: c, d\u{1b}]8;;x\u{7}\u{202e}"),
            "100%25 a%0D%0Ab: c, d\\u{1b}]8;;x\\u{7}\\u{202e}"
        );
        assert_eq!(
            github_property("x\n::error file=z::, y%\u{1b}"),
            "x%0A%3A%3Aerror file=z%3A%3A%2C y%25\\u{1b}"
        );
    }
}
