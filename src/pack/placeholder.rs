//! The `{name}` placeholders of a rule's `message`, `help` and `expected`
//! texts. `{{` and `}}` stand for literal braces; any other brace must be
//! part of a placeholder. Packs are checked with [`parts`] when they load,
//! so at run time every text splits cleanly.

use std::ops::Range;

/// A piece of a text with placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// Literal text (an escaped brace is one piece of its own).
    Text(&'a str),
    /// A placeholder's name, trimmed.
    Placeholder(&'a str),
}

/// Splits `text` into literal runs and placeholders. The error says what is
/// wrong and where, as a byte range of `text`.
pub(crate) fn parts(text: &str) -> Result<Vec<Part<'_>>, (String, Range<usize>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                if run < i {
                    out.push(Part::Text(&text[run..i]));
                }
                out.push(Part::Text(&text[i..i + 1]));
                i += 2;
                run = i;
            }
            b'{' => {
                if run < i {
                    out.push(Part::Text(&text[run..i]));
                }
                let close = text[i + 1..].find(['{', '}']).map(|c| c + i + 1);
                let Some(close) = close.filter(|&c| bytes[c] == b'}') else {
                    return Err((
                        "a `{` is never closed (write `{{` for a literal brace)".to_string(),
                        i..i + 1,
                    ));
                };
                let name = text[i + 1..close].trim();
                if name.is_empty() {
                    return Err((
                        "an empty placeholder `{}` (write `{{}}` for literal braces)".to_string(),
                        i..close + 1,
                    ));
                }
                out.push(Part::Placeholder(name));
                i = close + 1;
                run = i;
            }
            b'}' => {
                return Err((
                    "a `}` that closes nothing (write `}}` for a literal brace)".to_string(),
                    i..i + 1,
                ));
            }
            _ => i += 1,
        }
    }
    if run < text.len() {
        out.push(Part::Text(&text[run..]));
    }
    Ok(out)
}

/// `text` with every brace escaped, so that [`parts`] gives it back whole.
pub(crate) fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::{Placeholder as P, Text as T};

    #[test]
    fn placeholders_and_escapes() {
        assert_eq!(
            parts("found «{ match }», {{literal}} {x}}}").unwrap(),
            [
                T("found «"),
                P("match"),
                T("», "),
                T("{"),
                T("literal"),
                T("}"),
                T(" "),
                P("x"),
                T("}"),
            ]
        );
        assert_eq!(parts("").unwrap(), []);
        assert_eq!(parts("plain").unwrap(), [T("plain")]);
        let raw = "a {b} }{ {{";
        let joined: String = parts(&escape(raw))
            .unwrap()
            .iter()
            .map(|p| match p {
                T(t) => *t,
                P(_) => unreachable!(),
            })
            .collect();
        assert_eq!(joined, raw);
    }

    #[test]
    fn broken_braces_are_errors_at_their_place() {
        let err = |s: &str| parts(s).unwrap_err();
        assert_eq!(
            err("{match here"),
            (
                "a `{` is never closed (write `{{` for a literal brace)".to_string(),
                0..1
            )
        );
        assert_eq!(err("«{match» and {found}").1, 2..3);
        assert_eq!(err("x {a{b}").1, 2..3);
        assert_eq!(
            err("a } b"),
            (
                "a `}` that closes nothing (write `}}` for a literal brace)".to_string(),
                2..3
            )
        );
        assert_eq!(err("a { } b").1, 2..5);
        assert_eq!(err("{{{x").1, 2..3);
    }
}
