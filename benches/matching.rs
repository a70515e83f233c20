//! Loading and checking whole articles with every built-in pack, through the
//! public library API (as `examples/library.rs` uses it).
//!
//! `cargo bench --bench matching`

use criterion::{BenchmarkId, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use clearance::load::{Document, Kind, from_source};
use clearance::{Engine, Pack};

mod common;

/// Every demo article of `lang`, as its own kind and again as HTML:
/// (kind, name, text).
fn articles(lang: &str) -> Vec<(Kind, String, String)> {
    let mut out = Vec::new();
    for (l, files) in common::NEWSROOM {
        if lang != "mixed" && *l != lang {
            continue;
        }
        for (name, text) in *files {
            let kind = if name.ends_with(".md") {
                Kind::Markdown
            } else {
                Kind::Text
            };
            out.push((kind, name.to_string(), text.to_string()));
            out.push((Kind::Html, format!("{name}.html"), common::as_html(text)));
        }
    }
    out
}

fn bytes(articles: &[(Kind, String, String)]) -> u64 {
    articles.iter().map(|(_, _, t)| t.len() as u64).sum()
}

fn load(articles: &[(Kind, String, String)]) -> Vec<Document> {
    articles
        .iter()
        .map(|(kind, name, text)| from_source(name, *kind, text.clone()))
        .collect()
}

fn load_by_kind(c: &mut criterion::Criterion) {
    let all = articles("mixed");
    let mut group = c.benchmark_group("load");
    for (label, kind) in [
        ("text", Kind::Text),
        ("markdown", Kind::Markdown),
        ("html", Kind::Html),
    ] {
        let some: Vec<_> = all.iter().filter(|a| a.0 == kind).cloned().collect();
        group.throughput(Throughput::Bytes(bytes(&some)));
        group.bench_with_input(BenchmarkId::from_parameter(label), &some, |b, a| {
            b.iter(|| load(black_box(a)))
        });
    }
    group.finish();
}

fn check_languages(c: &mut criterion::Criterion) {
    let packs = Pack::all_builtin().expect("built-in packs compile");
    let engine = Engine::new(packs).expect("built-in packs build an engine");
    let mut group = c.benchmark_group("check");
    for lang in ["ar", "he", "en", "mixed"] {
        let docs = load(&articles(lang));
        let size: u64 = docs.iter().map(|d| d.source.len() as u64).sum();
        group.throughput(Throughput::Bytes(size));
        group.bench_with_input(BenchmarkId::from_parameter(lang), &docs, |b, docs| {
            b.iter(|| {
                docs.iter()
                    .map(|d| engine.check(black_box(d)).findings.len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = load_by_kind, check_languages
}
criterion_main!(benches);
