//! Properties of the whole check on generated articles: it never panics, and
//! every finding's span lies in the file, on character boundaries, with a
//! line and column that agree with the span.

use clearance::load::{Kind, from_source};
use clearance::{Engine, Pack};
use proptest::prelude::*;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(Pack::all_builtin().expect("built-in packs load")).expect("engine builds")
});

/// Fragments that exercise the matchers, the fold and the contact finder.
const FRAGMENTS: &[&str] = &[
    "סעיף 27א",
    "לחוק זכות יוצרים",
    "התשס״ח-2007",
    "תשע\"ט",
    "27(א)",
    "للمادة ٢٧ أ",
    "من قانون حقوق التأليف والنشر",
    "وفقًا",
    "ـــ",
    "Section 27A of the Copyright Act",
    ", 2008",
    "info@ashams.com",
    "info@@x",
    "[email protected]",
    "https://news.co.il/contact",
    "03-5551234",
    "\u{200f}",
    "\u{2066}",
    "\u{feff}",
    "ﻻ",
    "é",
    "\n\n",
    "\r\n",
    " ",
    "%27A",
];

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => "\\PC{0,6}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn check_spans(text: &str, kind: Kind) -> Result<(), TestCaseError> {
    let doc = from_source("gen", kind, text.to_string());
    for f in ENGINE.check(&doc).findings {
        prop_assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{f:?}"
        );
        prop_assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{f:?}"
        );
        let before = &text[..f.span.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        prop_assert_eq!((f.line, f.column), (line, column));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_are_valid_in_text(text in article()) {
        check_spans(&text, Kind::Text)?;
    }

    #[test]
    fn spans_are_valid_in_markdown(text in article(), fm in prop::bool::ANY) {
        let text = if fm { format!("---\ntitle: \"{}\"\n---\n{text}", text.replace(['"', '\\', '\n', '\r'], "")) } else { text };
        check_spans(&text, Kind::Markdown)?;
    }
}
