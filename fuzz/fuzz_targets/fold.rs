//! The fold (src/normalize): the offset map sends every folded character
//! back into the original on character boundaries, `fold_str` agrees with
//! `fold`, folding again changes nothing but paragraph breaks, and cutting
//! the text into adjacent exact pieces changes nothing at all.
//!
//! Input: one control byte, then the text. The text is also cut into pieces
//! at U+001F (unit separator): the control byte's bits choose, per piece,
//! its gap and whether it stands for decoded text (an entity, an escape).

#![no_main]

use clearance::normalize::{Gap, Piece, fold, fold_pieces, fold_str};
use clearance_fuzz::{assert_fold_maps, assert_span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    let folded = fold(text);
    assert_fold_maps(&folded, text, "fold");
    assert_eq!(folded.text(), fold_str(text), "fold_str differs from fold");
    let out = folded.text();
    assert!(
        !out.starts_with([' ', '\n']) && !out.ends_with([' ', '\n']),
        "folded text keeps edge whitespace: {out:?}"
    );
    let again = fold_str(out);
    assert_eq!(
        again,
        out.replace('\n', " "),
        "folding twice changed more than paragraph breaks"
    );

    // Mapped ranges of an in-order fold never go backwards.
    let mut last = 0;
    for (i, c) in out.char_indices() {
        let mapped = folded.to_source(i..i + c.len_utf8());
        assert!(
            mapped.start >= last,
            "folded {i} maps to {mapped:?}, before {last}"
        );
        last = mapped.start;
    }

    // Adjacent exact pieces with no gap fold as the whole text does.
    let mut cuts = vec![0];
    cuts.extend(
        text.char_indices()
            .filter(|&(i, _)| i > 0 && (i * 31 + usize::from(control)) % 7 == 0)
            .map(|(i, _)| i),
    );
    cuts.push(text.len());
    let adjacent = fold_pieces(cuts.windows(2).map(|w| Piece {
        text: &text[w[0]..w[1]],
        src: w[0]..w[1],
        exact: true,
        gap: Gap::None,
    }));
    assert_eq!(
        adjacent.text(),
        out,
        "cutting the text into pieces changed the fold"
    );
    assert_fold_maps(&adjacent, text, "adjacent pieces");

    // Pieces at U+001F with gaps and decoded stand-ins.
    let mut pieces = Vec::new();
    let mut start = 0;
    for (n, part) in text.split('\u{1f}').enumerate() {
        let bits = control.rotate_left(n as u32 % 8);
        let src = start..start + part.len();
        start = src.end + 1;
        let gap = match bits & 3 {
            0 => Gap::None,
            1 => Gap::Space,
            _ => Gap::Paragraph,
        };
        let exact = bits & 4 == 0;
        pieces.push((part, src, exact, gap));
    }
    // Decoded pieces carry different text for their range (as `&amp;` does).
    let decoded: Vec<String> = pieces
        .iter()
        .map(|(part, _, exact, _)| {
            if *exact {
                String::new()
            } else {
                part.chars().rev().collect()
            }
        })
        .collect();
    let folded = fold_pieces(
        pieces
            .iter()
            .zip(&decoded)
            .map(|((part, src, exact, gap), alt)| Piece {
                text: if *exact { part } else { alt.as_str() },
                src: src.clone(),
                exact: *exact,
                gap: *gap,
            }),
    );
    assert_fold_maps(&folded, text, "pieces");
    let out = folded.text();
    assert!(
        !out.starts_with([' ', '\n']) && !out.ends_with([' ', '\n']),
        "folded pieces keep edge whitespace: {out:?}"
    );
    assert_span(text, &folded.to_source(0..out.len()), "pieces, whole");
});
