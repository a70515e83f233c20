//! Invariants shared by the fuzz targets. Each check panics with a message
//! naming what broke, so libFuzzer records the input as a crash.

use std::ops::Range;
use std::sync::OnceLock;

use clearance::Engine;
use clearance::load::Document;
use clearance::normalize::Folded;

/// `range` lies within `text` and both ends are character boundaries.
pub fn assert_span(text: &str, range: &Range<usize>, what: &str) {
    assert_span_with(text, range, || what.to_string());
}

/// [`assert_span`], with the description made only on failure.
pub fn assert_span_with(text: &str, range: &Range<usize>, what: impl Fn() -> String) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{}: {range:?} is not within 0..{}",
        what(),
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{}: {range:?} is not on character boundaries",
        what()
    );
}

/// Every folded character maps back into `source` on character boundaries,
/// and so do empty ranges at every boundary and the whole text.
pub fn assert_fold_maps(folded: &Folded, source: &str, what: &str) {
    let text = folded.text();
    let mut boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    boundaries.push(text.len());
    for w in boundaries.windows(2) {
        let mapped = folded.to_source(w[0]..w[1]);
        assert_span_with(source, &mapped, || {
            format!("{what}: folded {:?}", w[0]..w[1])
        });
    }
    for &at in &boundaries {
        let mapped = folded.to_source(at..at);
        assert_span_with(source, &mapped, || format!("{what}: folded {at}..{at}"));
    }
    assert_span(source, &folded.to_source(0..text.len()), what);
    // Out-of-range and inverted requests are clamped, never a panic.
    let _ = folded.to_source(text.len() + 1..text.len() + 7);
    let _ = folded.to_source(3..1);
}

/// Every region's segments lie within the document's text on character
/// boundaries, its fold maps back inside the text, and each input problem's
/// span lies inside the text it comes with.
pub fn assert_document(doc: &Document, file_len: usize) {
    for region in &doc.regions {
        for seg in &region.segments {
            assert_span(&doc.source, &seg.src, &region.name);
        }
        let folded = region.fold(&doc.source);
        assert_fold_maps(&folded, &doc.source, &region.name);
    }
    for problem in doc.problems.iter().chain(&doc.notes) {
        assert_problem(problem);
        if let Some(span) = &problem.span {
            assert!(
                span.start <= span.end && span.end <= file_len,
                "{}: span {span:?} past the file's {file_len} bytes",
                problem.message
            );
        }
    }
    let mut boundaries: Vec<usize> = doc.source.char_indices().map(|(i, _)| i).collect();
    boundaries.push(doc.source.len());
    let mut last = 0;
    for at in boundaries {
        let original = doc.origin.original(&doc.source, at);
        assert!(
            original >= last,
            "origin: offset {at} maps to {original}, before {last}"
        );
        last = original;
    }
    assert!(
        last <= file_len,
        "origin: the end of the text maps to {last}, past the file's {file_len} bytes"
    );
}

pub fn assert_problem(problem: &clearance::load::InputProblem) {
    assert!(!problem.message.is_empty(), "a problem without a message");
    // The span is in file bytes; the text it is shown in carries its own.
    if let Some(source) = &problem.source {
        assert!(problem.span.is_some(), "a problem's text without a span");
        assert_span(&source.text, &source.span, &problem.message);
    }
}

/// Findings point at text of the document, on character boundaries, at
/// 1-based lines and columns.
pub fn assert_findings(doc: &Document, findings: &[clearance::Finding]) {
    for f in findings {
        assert_span(&doc.source, &f.span, &f.rule);
        assert!(
            f.line >= 1 && f.column >= 1,
            "{}: line {} column {}",
            f.rule,
            f.line,
            f.column
        );
        assert!(
            (f.line, f.column) <= (f.end_line, f.end_column),
            "{}: ends before it starts",
            f.rule
        );
        assert!(
            f.file_span.start <= f.file_span.end,
            "{}: file span {:?}",
            f.rule,
            f.file_span
        );
        assert!(
            f.matched == doc.source[f.span.clone()],
            "{}: matched text {:?}",
            f.rule,
            f.matched
        );
    }
}

/// An engine with every built-in pack, built once per process.
pub fn builtin_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let packs = clearance::Pack::all_builtin().expect("the built-in packs load");
        Engine::new(packs).expect("the built-in packs make an engine")
    })
}
