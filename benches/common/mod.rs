//! Article text shared by the benchmarks: the demo newsroom in
//! `examples/newsroom`, embedded at compile time so no file is read while
//! measuring.

#![allow(dead_code)] // each benchmark uses a different part

use std::time::Duration;

use criterion::Criterion;

macro_rules! article {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!("../../examples/newsroom/", $path)),
        )
    };
}

/// The demo articles by language: (language, [(file name, text)]).
pub(crate) const NEWSROOM: &[(&str, &[(&str, &str)])] = &[
    (
        "ar",
        &[
            article!("ar/football-sakhnin-draw.txt"),
            article!("ar/municipal-budget-tamra.txt"),
            article!("ar/olive-festival-kafr-yasif.txt"),
            article!("ar/school-opening-arraba.md"),
        ],
    ),
    (
        "he",
        &[
            article!("he/city-council-budget.md"),
            article!("he/court-ruling-balconies.txt"),
            article!("he/heatwave-weekend.txt"),
            article!("he/lantern-festival.md"),
        ],
    ),
    (
        "en",
        &[
            article!("en/budget-open-data.md"),
            article!("en/marathon-road-closures.txt"),
            article!("en/storm-power-cuts.txt"),
            article!("en/youth-cup-final.txt"),
        ],
    ),
];

/// The articles of one language (or all of them, for `"mixed"`) joined by blank lines and repeated until
/// the text is at least `min` bytes, so one iteration is long enough to
/// time and short enough to stay in cache like a real article run.
pub(crate) fn language_text(lang: &str, min: usize) -> String {
    let files: Vec<&str> = NEWSROOM
        .iter()
        .filter(|(l, _)| lang == "mixed" || *l == lang)
        .flat_map(|(_, f)| f.iter().map(|(_, text)| *text))
        .collect();
    let mut out = String::new();
    while out.len() < min && !files.is_empty() {
        for text in &files {
            out.push_str(text);
            out.push_str("\n\n");
        }
    }
    out
}

/// The body paragraphs of a text or Markdown article, as the benchmark
/// corpus (`examples/corpus.rs`) renders them in HTML.
pub(crate) fn as_html(text: &str) -> String {
    let mut paras = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("---") && !p.starts_with('#'));
    let title = paras.next().unwrap_or("");
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <script>window.dataLayer=[];</script></head><body><nav><a href=\"/\">home</a></nav>\
         <article><h1>{title}</h1>\n"
    );
    for p in paras {
        out.push_str("<p>");
        out.push_str(p);
        out.push_str("</p>\n");
    }
    out.push_str("</article></body></html>\n");
    out
}

/// Short runs by default so `cargo bench` takes a couple of minutes;
/// criterion's command-line options (`--measurement-time`, `--sample-size`)
/// still override these.
pub(crate) fn quick() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}
