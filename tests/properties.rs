//! Properties of the whole check on generated articles: it never panics,
//! every finding's span lies in the file, on character boundaries, with a
//! line and column that agree with the span, and the engine's shortcuts
//! (regex gates, contact windows, a footer not read again inside its body)
//! never change a finding, and the cap on hits per node only ever cuts an
//! answer short where the engine says it did.

use clearance::load::{Kind, from_source};
use clearance::{Engine, Pack};
use proptest::prelude::*;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(Pack::all_builtin().expect("built-in packs load")).expect("engine builds")
});

static EXHAUSTIVE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(Pack::all_builtin().expect("built-in packs load"))
        .expect("engine builds")
        .without_shortcuts()
});

/// Engines that keep very few hits per node, so that short articles reach
/// the cap that long ones reach with the default.
static CAPPED: LazyLock<Vec<Engine>> = LazyLock::new(|| {
    [1, 2, 5]
        .into_iter()
        .map(|cap| {
            Engine::new(Pack::all_builtin().expect("built-in packs load"))
                .expect("engine builds")
                .with_hit_cap(cap)
        })
        .collect()
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
    "(AP) —",
    "Thomson Reuters",
    "© 2024 Reuters. All rights reserved.",
    "Copyright 2024 The Associated Press. All rights reserved. This material may not be published",
    "Agence France-Presse",
    "CC BY-SA 4.0",
    "Creative Commons",
    "DMCA designated agent:",
    "צילום: ",
    "تصوير: ",
    "Photo: Shutterstock",
    "اقرأ أيضًا:",
    "תגובות",
    "تابعونا على تلغرام",
    "حمل تطبيق",
    "info [at] site [dot] com",
    "email: site.co.il",
    "info @site.com",
    "tel: 03-5551234",
    "\n\nמקור: ",
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

/// The findings of `doc` as comparable tuples.
fn findings(
    engine: &Engine,
    doc: &clearance::load::Document,
) -> Vec<(String, usize, usize, String)> {
    let mut out: Vec<_> = engine
        .check(doc)
        .findings
        .into_iter()
        .map(|f| (f.rule, f.span.start, f.span.end, f.message))
        .collect();
    out.sort();
    out
}

fn same_with_and_without_shortcuts(text: &str, kind: Kind) -> Result<(), TestCaseError> {
    let doc = from_source("gen", kind, text.to_string());
    prop_assert_eq!(findings(&ENGINE, &doc), findings(&EXHAUSTIVE, &doc));
    Ok(())
}

/// What a capped engine reports next to the full answer: for a rule it says
/// it stopped at `p`, some of its findings, but every one that starts
/// before `p`; for every other rule, exactly the same findings. Spans only:
/// an `at_most` message counts what was seen.
fn cap_only_cuts_where_it_says(doc: &clearance::load::Document) -> Result<(), TestCaseError> {
    use std::collections::BTreeSet;
    let spans = |findings: &[clearance::Finding], rule: &str| -> BTreeSet<(usize, usize)> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.span.start, f.span.end))
            .collect()
    };
    let full = ENGINE.check(doc);
    prop_assert!(full.stopped.is_empty() && full.notes.is_empty());
    for engine in CAPPED.iter() {
        let capped = engine.check(doc);
        let rules: BTreeSet<&str> = full
            .findings
            .iter()
            .chain(&capped.findings)
            .map(|f| f.rule.as_str())
            .collect();
        for rule in rules {
            let (got, want) = (spans(&capped.findings, rule), spans(&full.findings, rule));
            match capped.stopped.get(rule) {
                None => prop_assert_eq!(&got, &want, "{}", rule),
                Some(&at) => {
                    prop_assert!(got.is_subset(&want), "{rule}: {got:?} not in {want:?}");
                    let before: BTreeSet<_> = want.iter().copied().filter(|s| s.0 < at).collect();
                    prop_assert!(
                        before.is_subset(&got),
                        "{rule} stopped at {at}: {got:?} lacks some of {before:?}"
                    );
                }
            }
        }
        prop_assert_eq!(capped.notes.is_empty(), capped.stopped.is_empty());
    }
    Ok(())
}

/// On the bundled example and the fixtures, which have few matches per
/// node, the cap at its default changes nothing, and tiny caps cut answers
/// short only where they say.
#[test]
fn a_hit_cap_cuts_answers_short_only_where_it_says_on_real_articles() {
    let mut checked = 0;
    for root in ["examples", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.expect("walk");
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let display = path.display().to_string();
            let Ok(doc) = clearance::load::load_file(path, &display, u64::MAX) else {
                continue;
            };
            if let Err(e) = cap_only_cuts_where_it_says(&doc) {
                panic!("{display}: {e}");
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} files read");
}

/// Every article of the bundled example and every test fixture gives the
/// same findings with and without the shortcuts.
#[test]
fn shortcuts_change_no_finding_on_real_articles() {
    let mut checked = 0;
    for root in ["examples", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.expect("walk");
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let display = path.display().to_string();
            let Ok(doc) = clearance::load::load_file(path, &display, u64::MAX) else {
                continue;
            };
            assert_eq!(
                findings(&ENGINE, &doc),
                findings(&EXHAUSTIVE, &doc),
                "{display}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} files read");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shortcuts_change_no_finding(text in article(), md in prop::bool::ANY) {
        same_with_and_without_shortcuts(&text, if md { Kind::Markdown } else { Kind::Text })?;
    }

    #[test]
    fn a_hit_cap_cuts_answers_short_only_where_it_says(text in article(), md in prop::bool::ANY) {
        let kind = if md { Kind::Markdown } else { Kind::Text };
        cap_only_cuts_where_it_says(&from_source("gen", kind, text))?;
    }

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

/// A contact may stand before the notice it belongs to: when the notice is
/// past a cut, the contacts found around the notices are known only up to
/// where that notice's window could reach back, not up to the cut.
#[test]
fn a_contact_before_a_notice_past_the_cut_is_not_taken_as_known() {
    let text = "info [at] site [dot] com من قانون حقوق التأليف والنشر\n\n\
                Copyright 2024 The Associated Press. All rights reserved. This material may not be published\n\n\
                للمادة ٢٧ أ";
    let doc = from_source("gen", Kind::Text, text.to_string());
    if let Err(e) = cap_only_cuts_where_it_says(&doc) {
        panic!("{e}");
    }
}
