//! Folding the literal parts of a pack's regular expressions.
//!
//! Text is matched in folded form (see `normalize`), so a pattern written in
//! natural text (`قانون حقوق التأليف`, `Copyright Act`, `תשס״ח`) must be
//! folded the same way or it would never match. Folding the pattern *string*
//! would corrupt escapes and classes, so the pattern is parsed and only
//! verbatim literals outside character classes are rewritten.

use regex_syntax::ast::{self, Ast};

use crate::normalize::fold_str;

/// Largest pattern a pack may hold, in bytes.
pub(crate) const MAX_PATTERN_LEN: usize = 4096;
/// Nesting depth allowed in a pack pattern.
pub(crate) const NEST_LIMIT: u32 = 64;

/// Returns the pattern with every verbatim literal folded, or the parser's
/// error (its message and the byte range in the pattern).
pub(crate) fn fold_pattern(pattern: &str) -> Result<String, (String, std::ops::Range<usize>)> {
    let ast = ast::parse::ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(pattern)
        .map_err(|e| {
            (
                e.kind().to_string(),
                e.span().start.offset..e.span().end.offset,
            )
        })?;
    let mut literals = Vec::new();
    collect_literals(&ast, &mut literals);
    let mut out = String::with_capacity(pattern.len());
    let mut last = 0;
    for lit in literals {
        let (start, end) = (lit.span.start.offset, lit.span.end.offset);
        out.push_str(&pattern[last..start]);
        out.push_str(&fold_literal(lit.c));
        last = end;
    }
    out.push_str(&pattern[last..]);
    Ok(out)
}

fn collect_literals<'a>(ast: &'a Ast, out: &mut Vec<&'a ast::Literal>) {
    match ast {
        Ast::Literal(lit) if lit.kind == ast::LiteralKind::Verbatim => out.push(lit),
        Ast::Repetition(rep) => collect_literals(&rep.ast, out),
        Ast::Group(group) => collect_literals(&group.ast, out),
        Ast::Alternation(alt) => alt.asts.iter().for_each(|a| collect_literals(a, out)),
        Ast::Concat(cat) => cat.asts.iter().for_each(|a| collect_literals(a, out)),
        _ => {}
    }
}

/// The folded form of one literal, as regex syntax that is safe to stand
/// wherever the literal stood (including before a quantifier).
fn fold_literal(c: char) -> String {
    if c.is_whitespace() {
        // Folded text has ' ' or '\n' where the source had any whitespace run.
        return r"\s".to_string();
    }
    let folded = fold_str(c.encode_utf8(&mut [0; 4]));
    let mut chars = folded.chars();
    match (chars.next(), chars.next()) {
        (None, _) => "(?:)".to_string(),
        (Some(one), None) => regex_syntax::escape(one.encode_utf8(&mut [0; 4])),
        _ => format!("(?:{})", regex_syntax::escape(&folded)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_folded_and_syntax_kept() {
        assert_eq!(fold_pattern("Copyright Act").unwrap(), r"copyright\sact");
        assert_eq!(fold_pattern("قانونًا").unwrap(), "قانون(?:)ا");
        assert_eq!(fold_pattern("أ?").unwrap(), "ا?");
        assert_eq!(fold_pattern(r"[A-Z]\d{4}\.").unwrap(), r"[A-Z]\d{4}\.");
        assert_eq!(fold_pattern("(?P<y>٢٠٠٧)").unwrap(), "(?P<y>2007)");
        assert_eq!(fold_pattern("תשס״ח").unwrap(), "תשס\"ח");
    }

    #[test]
    fn folded_patterns_still_compile() {
        for p in ["ﻻ+", "x\u{064B}*y", "(?i)Section\\s*27A", "[אב]ג״ד"] {
            let folded = fold_pattern(p).unwrap();
            assert!(regex::Regex::new(&folded).is_ok(), "{p} -> {folded}");
        }
    }

    #[test]
    fn syntax_errors_carry_a_span() {
        let (msg, span) = fold_pattern("abc(def").unwrap_err();
        assert!(msg.contains("unclosed"), "{msg}");
        assert_eq!(span.start, 3);
    }
}
