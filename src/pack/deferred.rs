//! Pack regexes, compiled when first run.
//!
//! Compiling the regexes is most of what loading a pack costs, and a check
//! of one file runs only a few of them (most rules wait behind a phrase
//! gate). Packs read from files are compiled in full when they load, so that
//! a regex too large to compile is reported against its pack; the built-in
//! packs, whose every regex the tests compile, leave each to its first use.

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Hir, HirKind};
use std::sync::OnceLock;

use super::pattern::NEST_LIMIT;

/// Compiled size allowed for one pack regex.
pub(super) const SIZE_LIMIT: usize = 4 << 20;

/// Compiles a folded pack regex with the pack limits.
pub(super) fn build(pattern: &str) -> Result<Regex, regex::Error> {
    build_with_limit(pattern, SIZE_LIMIT)
}

fn build_with_limit(pattern: &str, limit: usize) -> Result<Regex, regex::Error> {
    // No case-insensitive flag: the text is folded to lowercase and so are
    // the pattern's literals; the flag would only make Unicode classes larger.
    RegexBuilder::new(pattern)
        .size_limit(limit)
        .nest_limit(NEST_LIMIT)
        .build()
}

/// The size of a pattern's compiled NFA in bytes (what `size_limit`
/// bounds), measured by compiling only the NFA; `None` when it is over
/// `limit` or does not compile.
pub(super) fn nfa_size(pattern: &str, limit: usize) -> Option<usize> {
    use regex_automata::{nfa::thompson, util::syntax};
    thompson::Compiler::new()
        .syntax(syntax::Config::new().nest_limit(NEST_LIMIT))
        .configure(thompson::Config::new().nfa_size_limit(Some(limit)))
        .build(pattern)
        .ok()
        .map(|nfa| nfa.memory_usage())
}

/// Parses a folded pack regex with the pack limits (much cheaper than
/// compiling it).
pub(crate) fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(pattern)
        .ok()
}

/// A regex of a pack, compiled now or on first use.
#[derive(Debug)]
pub(crate) struct PackRegex {
    pattern: String,
    /// Names of its capture groups, in order.
    names: Vec<String>,
    /// Known to match only non-empty text (from the parsed pattern).
    never_empty: bool,
    compiled: OnceLock<Regex>,
}

impl PackRegex {
    /// A regex already compiled.
    pub(super) fn compiled(re: Regex) -> PackRegex {
        PackRegex {
            pattern: re.as_str().to_string(),
            names: re.capture_names().flatten().map(str::to_string).collect(),
            never_empty: false,
            compiled: OnceLock::from(re),
        }
    }

    /// A regex that parses, to be compiled on first use: one of the
    /// built-in packs, whose regexes the tests compile, or one whose NFA
    /// was measured within [`SIZE_LIMIT`] when its pack loaded.
    pub(super) fn deferred(pattern: &str, hir: &Hir) -> PackRegex {
        let mut names = Vec::new();
        capture_names(hir, &mut names);
        PackRegex {
            pattern: pattern.to_string(),
            names,
            never_empty: hir.properties().minimum_len().is_some_and(|n| n > 0),
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex.
    pub(crate) fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // Twice the limit: the reverse NFA the regex also builds can be
            // a little larger than the forward one that was measured.
            build_with_limit(&self.pattern, 2 * SIZE_LIMIT).unwrap_or_else(|e| {
                panic!(
                    "a pack regex measured at load does not compile ({e}): {}",
                    self.pattern
                )
            })
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.pattern
    }

    pub(crate) fn capture_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Whether the regex matches the empty text.
    pub(super) fn matches_empty(&self) -> bool {
        !self.never_empty && self.get().is_match("")
    }

    /// Whether it has been compiled yet.
    #[cfg(test)]
    pub(super) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

fn capture_names(hir: &Hir, out: &mut Vec<String>) {
    match hir.kind() {
        HirKind::Capture(cap) => {
            if let Some(name) = &cap.name {
                out.push(name.to_string());
            }
            capture_names(&cap.sub, out);
        }
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            for part in parts {
                capture_names(part, out);
            }
        }
        HirKind::Repetition(rep) => capture_names(&rep.sub, out),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}
