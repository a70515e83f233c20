//! Literal gates for pack regexes.
//!
//! Most regexes in a pack can only match where one of a few literals occurs:
//! an agency's name, a section word, `copyright`. The regex engine cannot
//! always see that for itself: a pattern that opens with a boundary class
//! such as `(?:^|[^\p{L}\p{N}])` gives it no literal prefix, so it walks
//! every byte of every region with its DFA. Here each regex's syntax tree is
//! read for a set of literals that every match must contain; those literals
//! join the phrase automaton's one pass over the region, and the regex runs
//! only in regions where one of them was seen.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Literals of fewer characters than this are too common to be worth a gate:
/// a single Arabic or Hebrew letter (two bytes) turns up every few bytes.
const MIN_CHARS: usize = 2;
/// A gate with more literals than this costs the automaton more than it saves.
const MAX_LITERALS: usize = 128;
/// A class with more characters than this is no literal.
const MAX_CLASS: usize = 8;

/// What a regex gate needs to know of `pattern`: literals at least one of
/// which occurs in every match, when such a set exists with every literal
/// at least [`MIN_CHARS`] characters long; and whether the pattern is
/// anchored, looking for the start or end of the text (`^`, `$`, `\A`,
/// `\z`) where a paragraph break would not do as well. A region that is a
/// run of paragraphs inside a larger one starts and ends at paragraph
/// breaks there, so `(?:^|\n)` and `(?:^|[^\p{L}])` match alike in both, but
/// a bare `^` matches only at the region's own start. A pattern that does
/// not parse has no literals and counts as anchored.
pub(super) fn analyse(pattern: &str) -> Analysis {
    let Some(hir) = crate::pack::parse_regex(pattern) else {
        return Analysis {
            literals: None,
            anchored: true,
            crosses_lines: true,
        };
    };
    let literals = required(&hir).map(|mut set| {
        set.sort();
        set.dedup();
        set
    });
    Analysis {
        literals,
        anchored: bare_anchor(&hir),
        crosses_lines: crosses_lines(&hir),
    }
}

/// See [`analyse`].
pub(super) struct Analysis {
    pub(super) literals: Option<Vec<Vec<u8>>>,
    pub(super) anchored: bool,
    /// A match may hold a line break past its first character. Matches do
    /// not overlap, so such a match in a region can use up text that a match
    /// in a region inside it needed: the inner region must be read too.
    pub(super) crosses_lines: bool,
}

/// Whether a match can hold a line break. Even a single boundary character
/// counts: a match that takes the line break ending one paragraph leaves
/// none for a match that needs it to start the next one, while in a region
/// that begins with that paragraph the start of the text will do.
fn crosses_lines(hir: &Hir) -> bool {
    holds_newline(hir)
}

fn holds_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(class) => class_has_newline(class),
        HirKind::Capture(cap) => holds_newline(&cap.sub),
        HirKind::Repetition(rep) => rep.max != Some(0) && holds_newline(&rep.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(holds_newline),
        HirKind::Empty | HirKind::Look(_) => false,
    }
}

fn class_has_newline(class: &Class) -> bool {
    match class {
        Class::Unicode(c) => c.iter().any(|r| r.start() <= '\n' && '\n' <= r.end()),
        Class::Bytes(c) => c.iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
    }
}

fn is_edge(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Look(Look::Start | Look::End))
}

fn bare_anchor(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(_) => is_edge(hir),
        HirKind::Alternation(branches) => {
            let newline = branches.iter().any(|b| match b.kind() {
                HirKind::Literal(lit) => &*lit.0 == b"\n",
                HirKind::Class(class) => class_has_newline(class),
                _ => false,
            });
            branches.iter().any(|b| {
                if newline && is_edge(b) {
                    false
                } else {
                    bare_anchor(b)
                }
            })
        }
        HirKind::Concat(parts) => parts.iter().any(bare_anchor),
        HirKind::Capture(cap) => bare_anchor(&cap.sub),
        HirKind::Repetition(rep) => bare_anchor(&rep.sub),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => false,
    }
}

/// A set of literals one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = match hir.kind() {
        HirKind::Literal(lit) => vec![lit.0.to_vec()],
        HirKind::Class(class) => class_literals(class)?,
        HirKind::Capture(cap) => required(&cap.sub)?,
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub)?,
        // Any one part's literals will do; take the most selective.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .max_by_key(|set| score(set))?,
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(required(branch)?);
                if all.len() > MAX_LITERALS {
                    return None;
                }
            }
            all
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Repetition(_) => return None,
    };
    set.iter().all(|l| long_enough(l)).then_some(set)
}

/// At least [`MIN_CHARS`] characters (bytes, when it is not UTF-8).
fn long_enough(literal: &[u8]) -> bool {
    match std::str::from_utf8(literal) {
        Ok(s) => s.chars().nth(MIN_CHARS - 1).is_some(),
        Err(_) => literal.len() >= MIN_CHARS,
    }
}

/// The characters (or bytes) of a small class, each a literal.
fn class_literals(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(c) => {
            for range in c.iter() {
                for ch in range.start()..=range.end() {
                    out.push(ch.to_string().into_bytes());
                    if out.len() > MAX_CLASS {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(c) => {
            for range in c.iter() {
                for b in range.start()..=range.end() {
                    out.push(vec![b]);
                    if out.len() > MAX_CLASS {
                        return None;
                    }
                }
            }
        }
    }
    Some(out)
}

/// How selective a set is: longer shortest literal first (up to a point),
/// then fewer literals.
fn score(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest.min(8), std::cmp::Reverse(set.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
        analyse(pattern).literals
    }

    fn anchored(pattern: &str) -> bool {
        analyse(pattern).anchored
    }

    #[test]
    fn line_breaks_inside_a_match_are_seen() {
        let crosses = |p: &str| analyse(p).crosses_lines;
        assert!(crosses(r"ab\s+cd|cd\s+ef"));
        assert!(crosses(r"(?P<at>copyright[^.]*reserved)"));
        assert!(crosses(r"(?:^|\n)(?P<at>read more)"));
        assert!(crosses(r"(?P<at>section [0-9]+)(?:[^\p{L}\p{N}]|$)"));
        assert!(!crosses(r"(?:^|[ ,])(?P<at>section [0-9]+)(?:[ ,.]|$)"));
        assert!(!crosses(r"a(?:\n){0}b"));
    }

    fn strings(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    #[test]
    fn anchors_are_seen_anywhere_in_the_pattern() {
        assert!(anchored(r"^copyright"));
        assert!(anchored(r"(?:x|rights reserved$)"));
        assert!(anchored(r"\Acopyright"));
        assert!(anchored(r"(?:^|x)copyright"));
        assert!(!anchored(r"(?m)^copyright$"));
        assert!(!anchored(r"(?:^|\n)copyright"));
        assert!(!anchored(r"(?:^|[^\p{L}\p{N}])copyright(?:[^\p{L}]|$)"));
    }

    #[test]
    fn a_boundary_class_in_front_does_not_hide_the_literals() {
        assert_eq!(
            strings(r"(?:^|[^\p{L}\p{N}])(?P<at>thomp?son reuters|agence france)(?:\W|$)"),
            Some(vec!["agence france".to_string(), "son reuters".to_string()])
        );
    }

    #[test]
    fn every_branch_must_give_a_literal() {
        assert_eq!(
            strings(r"copyright|\d+ rights"),
            Some(vec![" rights".to_string(), "copyright".to_string()])
        );
        assert_eq!(strings(r"copyright|\d+"), None);
    }

    #[test]
    fn optional_parts_give_nothing() {
        assert_eq!(strings(r"(?:section)?\d+"), None);
        assert_eq!(strings(r"(?:section)*x+"), None);
        assert_eq!(strings(r"(?:section)+"), Some(vec!["section".to_string()]));
    }

    #[test]
    fn short_or_large_classes_give_nothing() {
        assert_eq!(strings(r"[ab]"), None);
        assert_eq!(strings(r"\p{L}+"), None);
        // A letter is a letter, however many bytes it takes.
        assert_eq!(strings(r"[وف]"), None);
        assert_eq!(strings(r"ا\.?ف"), None);
        assert_eq!(
            strings(r"פי|רויטרס"),
            Some(vec!["פי".to_string(), "רויטרס".to_string()])
        );
    }

    #[test]
    fn the_most_selective_part_wins() {
        // "s" alone is too short, "tion" is fine, "section" is better.
        assert_eq!(
            strings(r"s\d+tion.*section"),
            Some(vec!["section".to_string()])
        );
    }

    #[test]
    fn every_match_of_the_regex_holds_a_literal() {
        let patterns = [
            r"(?:^|[^\p{L}\p{N}])(?P<at>(?:[א-ת]{0,3}(?:סעיף|ס')|section|sec\.|§))\s*27",
            r"(?P<at>(?P<reuters>thomp?son reuters)|(?P<ap>ass?o[cs]{1,2}i?ated? press))",
            r"(?:^|\n)[\s*_#>]*(?P<at>(?:احصل على تطبيق|download (?:our|the) app))",
            r"copyright\s+(?P<year>[^\s.]{1,12})\s+(?P<holder>[^\n.]{1,60}?)\. all rights",
        ];
        let texts = [
            "לפי סעיף 27א, ס' 27 ו-section 27 ו§27",
            "© thompson reuters, thomson reuters, associated press, assoiated press",
            "x\n> احصل على تطبيق\n* download our app",
            "copyright 2024 the agency. all rights reserved",
        ];
        for (pattern, text) in patterns.iter().zip(texts) {
            let set = required_literals(pattern).expect(pattern);
            let re = regex::Regex::new(pattern).unwrap();
            let mut matched = 0;
            for m in re.find_iter(text) {
                matched += 1;
                let hay = m.as_str().as_bytes();
                assert!(
                    set.iter().any(|l| memchr::memmem::find(hay, l).is_some()),
                    "{pattern} matched {:?} with none of its literals",
                    m.as_str()
                );
            }
            assert!(matched > 0, "{pattern} should match its text");
        }
    }
}
