//! Fold throughput on article text in each language.
//!
//! `cargo bench --bench normalize`

use criterion::{BenchmarkId, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use clearance::normalize::{fold, fold_str};

mod common;

fn fold_languages(c: &mut criterion::Criterion) {
    let mut group = c.benchmark_group("fold");
    for lang in ["ar", "he", "en", "mixed"] {
        let text = common::language_text(lang, 64 << 10);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("mapped", lang), &text, |b, t| {
            b.iter(|| fold(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new("text_only", lang), &text, |b, t| {
            b.iter(|| fold_str(black_box(t)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = fold_languages
}
criterion_main!(benches);
