//! Pack loading (YAML text → compiled pack, as `Pack::load_path` does for a
//! user's file): a pack that does not load is an error whose span lies in
//! the YAML on character boundaries and which renders as a report; a pack
//! that loads makes an engine that runs its own examples and a few sample
//! articles (Arabic, Hebrew, English; text, Markdown and HTML), with
//! findings that point at text of each article.

#![no_main]

use std::sync::Arc;

use clearance::load::{Kind, from_source};
use clearance::matcher::Profile;
use clearance::report::{Style, write_error};
use clearance::{Engine, Pack};
use clearance_fuzz::{assert_findings, assert_span};
use libfuzzer_sys::fuzz_target;

const SAMPLES: &[(Kind, &str)] = &[
    (
        Kind::Text,
        "ثلاثة أحياء في تمرة\n\nجميع الحقوق محفوظة © 2024 لموقع المدينة. \
         تم النشر وفقًا للبند 27أ من قانون حقوق الطبع والنشر 2007. \
         للتواصل: copyright@city-news.co.il\n",
    ),
    (
        Kind::Text,
        "מועצת העיר אישרה\n\nלפי סעיף 27א לחוק זכות יוצרים, התשס\"ח-2007. \
         לפניות: copyright@city-news.co.il\n(צילום: רויטרס)\n",
    ),
    (
        Kind::Markdown,
        "---\ntitle: Storm cuts power\nsource: Reuters\n---\n\nThe storm cut power.\n\n\
         Photo: AP. Licensed under CC BY 4.0.\n",
    ),
    (
        Kind::Html,
        "<html><head><title>Port strike</title><meta name=author content=\"A&amp;B\"></head>\
         <body><article><h1>Port strike</h1><p>Workers struck &mdash; (Reuters)</p>\
         <figure><figcaption>Photo: &#1575;AFP</figcaption></figure></article>\
         <footer>Section 27A: <a href=\"mailto:legal@example.com\">contact</a></footer></body></html>",
    ),
];

/// The stack of the threads `clearance check` loads packs on (and of the
/// walker's threads that check articles): the standard library's default.
const THREAD_STACK: usize = 2 << 20;

fuzz_target!(|data: &[u8]| {
    // A pack file is read as UTF-8; anything else never reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // On a thread with the stack the command line gives it, so that input
    // nested too deep for it fails here as it would for a user.
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn_scoped(scope, || load_and_run(text))
            .expect("a thread starts");
        if let Err(panic) = thread.join() {
            std::panic::resume_unwind(panic);
        }
    });
});

fn load_and_run(text: &str) {
    let pack = match Pack::from_yaml("fuzz.yaml", text) {
        Ok(pack) => pack,
        Err(error) => {
            if let Some(span) = error.span {
                let range = span.offset()..span.offset() + span.len();
                assert_span(text, &range, &error.message);
            }
            assert!(!error.message.is_empty(), "a pack error without a message");
            let mut rendered = Vec::new();
            write_error(
                &*error,
                Style {
                    color: false,
                    width: 100,
                },
                &mut rendered,
            )
            .expect("a pack error renders");
            return;
        }
    };
    let engine = match Engine::new(vec![pack]) {
        Ok(engine) => engine,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    let profile = Profile::default();
    for (kind, sample) in SAMPLES {
        let doc = from_source("sample", *kind, sample.to_string());
        assert_findings(&doc, &engine.check_with(&doc, &profile).findings);
    }
    // The rules' own examples, as `clearance rules test` runs them.
    for rule in engine.rules() {
        let profile = Profile {
            publisher: rule.examples.publisher.clone().map(Arc::new),
            ..Profile::default()
        };
        for example in rule.examples.valid.iter().chain(&rule.examples.invalid) {
            let kind = if example.starts_with("---\n") || example.starts_with("+++\n") {
                Kind::Markdown
            } else if example.trim_start().starts_with('<') {
                Kind::Html
            } else {
                Kind::Text
            };
            let doc = from_source("example", kind, example.clone());
            assert_findings(&doc, &engine.check_with(&doc, &profile).findings);
        }
    }
}
