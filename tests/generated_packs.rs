//! The engine's shortcuts (regex gates, contact windows, a region inside
//! another read once, the phrase automaton's boundary checks) must never
//! change a finding, for ANY pack, not only the built-in ones. These tests
//! generate packs — random matcher trees over every matcher kind, modifier
//! and rule form, with shared `define:`s — and articles as plain text,
//! Markdown (with front matter) and HTML (captions, asides, footers), and
//! compare the fast engine with the exhaustive one finding by finding.
//!
//! A new matcher kind belongs in [`matcher`] below; until it is there, the
//! shortcut analyses are not tested against it.

use clearance::config::Publisher;
use clearance::load::{Kind, from_source};
use clearance::matcher::Profile;
use clearance::{Engine, Pack};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::Arc;

/// Phrases the generated matchers look for; each also appears (or nearly
/// appears) in [`FRAGMENTS`], so that matchers match often enough to matter.
const PHRASES: &[&str] = &[
    "photo",
    "all rights reserved",
    "reuters",
    "צילום",
    "סעיף 27א",
    "تصوير",
    "اقرأ أيضا",
    "copyright",
    "daily star",
    "agent",
];

/// Regexes over folded text: anchored ones and ones whose matches cross
/// lines read a region's edges; captures feed `expect` and messages.
const REGEXES: &[&str] = &[
    r"\d{4}",
    r"^photo",
    r"reserved$",
    r"(?P<year>(?:19|20)\d{2})",
    r"photo:\s*(?P<who>\w+)",
    r"rights\s+reserved",
    r"(?m)^\w+:",
    r"copyright.{0,20}\d{4}",
    r"צילום:\s*\S+",
    r"\bagent\b[^\n]{0,30}",
    r"^\w+",
    r"\w+$",
    r"(?s)photo.{0,40}reuters",
];

const TEMPLATES: &[(&str, Option<(&str, &str)>)] = &[
    ("photo: {who}", None),
    ("copyright © {year} {owner}", Some(("year", r"\d{4}"))),
    ("צילום: {who}", None),
];

const CONTACTS: &[&[&str]] = &[&["email"], &["url"], &["phone"], &["email", "url", "phone"]];
const SCOPES: &[&[&str]] = &[
    &["body"],
    &["all"],
    &["body", "footer"],
    &["caption"],
    &["footer"],
    &["title"],
    &["front_matter"],
];
const POSITIONS: &[&str] = &["start", "footer", "content"];
const FIELDS: &[&str] = &["name", "domains", "contact"];

/// Pieces of articles: what the matchers look for, near misses, contacts
/// whole and broken, line and paragraph breaks, bidi marks and tatweel.
const FRAGMENTS: &[&str] = &[
    "Photo: Reuters",
    "photo",
    "photo:",
    "All rights reserved",
    "all rights\nreserved",
    "© 2024 Reuters",
    "Copyright 2019 Daily Star",
    "צילום: אבי",
    "צילום",
    "שימוש לפי סעיף 27א",
    "تصوير: رويترز",
    "اقرأ أيضاً:",
    "agent: legal@dailystar.example",
    "info@@x",
    "https://dailystar.example/contact",
    "https://",
    "03-5551234",
    "tel: 03-555",
    "Daily Star",
    "dailystar.example",
    "2007",
    "\u{200f}",
    "ـ",
    "\n",
    "\n\n",
    " ",
    ". ",
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(items)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::subsequence(PHRASES, 1..3).prop_map(|p| json!({ "phrases": p })),
        3 => pick(REGEXES).prop_map(|r| json!({ "regex": r })),
        2 => (pick(CONTACTS), prop::option::of(any::<bool>())).prop_map(|(kinds, broken)| {
            let mut m = json!({ "contact": kinds });
            if let Some(b) = broken {
                m["broken"] = json!(b);
            }
            m
        }),
        1 => pick(TEMPLATES).prop_map(|(template, slot)| {
            let mut m = json!({ "template": template });
            if let Some((name, re)) = slot {
                m["slots"] = json!({ name: re });
            }
            m
        }),
        1 => pick(FIELDS).prop_map(|f| json!({ "publisher": f })),
        1 => (0..2usize).prop_map(|i| json!({ "ref": format!("d{i}") })),
    ]
}

/// A matcher tree over every kind, with modifiers on any node.
fn matcher() -> impl Strategy<Value = Value> {
    let tree = leaf().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "any": v })),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({ "all": v })),
            inner.clone().prop_map(|m| json!({ "not": m })),
            inner.clone().prop_map(|m| json!({ "repeated": m })),
            inner.clone().prop_map(|m| json!({ "repeated_line": m })),
            (
                inner.clone(),
                inner.clone(),
                any::<bool>(),
                pick(&[0usize, 5, 40, 400]),
                pick(&["either", "before", "after"]),
            )
                .prop_map(|(a, b, negate, within, side)| {
                    let key = if negate { "not_near" } else { "near" };
                    json!({ key: [a, b], "within": within, "side": side })
                }),
        ]
    });
    (
        tree,
        prop::option::of(pick(POSITIONS)),
        prop::option::of(pick(SCOPES)),
    )
        .prop_map(|(mut m, position, scopes)| {
            // Only a single key, not a `ref`, can take modifiers here without
            // meeting one the tree already put on it.
            if let Some(p) = position {
                m["position"] = json!(p);
            }
            if let Some(s) = scopes
                && !s.contains(&"front_matter")
            {
                m["in"] = json!(s);
            }
            m
        })
}

/// A matcher that holds no `ref`, for the definitions themselves.
fn definition() -> impl Strategy<Value = Value> {
    matcher().prop_filter("definitions do not refer", |m| {
        !m.to_string().contains("\"ref\"")
    })
}

fn rule(i: usize) -> impl Strategy<Value = Value> {
    (
        0..6usize,
        matcher(),
        matcher(),
        leaf(),
        prop::option::of(matcher()),
        prop::option::of(matcher()),
        pick(SCOPES),
        any::<bool>(),
        prop::option::of(0..3usize),
        pick(&[0usize, 10, 200]),
        prop::option::of(matcher()),
    )
        .prop_map(
            move |(
                form,
                m,
                other,
                bare,
                when,
                required_when,
                scope,
                per_region,
                at_most,
                within,
                unless,
            )| {
                let mut r = json!({
                    "id": format!("r{i}"),
                    "severity": "warning",
                    "message": format!("r{i}: {{match}}"),
                    "scope": scope,
                });
                match form {
                    0 => {
                        r["require"] = m;
                        if per_region {
                            r["per"] = json!("region");
                        }
                        if let Some(w) = required_when {
                            r["required_when"] = w;
                        }
                    }
                    1 => {
                        r["forbid"] = m;
                        if let Some(n) = at_most {
                            r["at_most"] = json!(n);
                        }
                    }
                    2 => {
                        r["around"] = m;
                        r["require"] = other;
                        r["within"] = json!(within);
                    }
                    // The shapes the contact finder's windows are for: a
                    // contact looked for only near an anchor.
                    3 => {
                        r["around"] = m;
                        r["require"] = json!({ "contact": ["email", "url", "phone"] });
                        r["within"] = json!(within);
                    }
                    // A bare leaf, read once where a region lies inside
                    // another unless it can tell the regions' edges apart.
                    4 => {
                        r["forbid"] = bare;
                        return r;
                    }
                    _ => {
                        r["forbid"] = json!({
                            "near": [m, { "contact": ["email", "url"], "broken": per_region }],
                            "within": within,
                        });
                    }
                }
                if let Some(w) = when {
                    r["when"] = w;
                }
                if let Some(u) = unless {
                    r["unless"] = u;
                }
                r
            },
        )
}

fn pack(name: &'static str) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(definition(), 2),
        (1..5usize).prop_flat_map(|n| (0..n).map(rule).collect::<Vec<_>>()),
    )
        .prop_map(move |(defs, rules)| {
            json!({
                "pack": name,
                "title": "generated",
                "define": { "d0": defs[0], "d1": defs[1] },
                "rules": rules,
            })
            .to_string()
        })
}

/// What paragraphs often start with: a credit, a notice, a contact line.
const OPENERS: &[&str] = &[
    "Photo: Reuters ",
    "צילום: אבי ",
    "agent: legal@dailystar.example ",
    "Copyright 2019 Daily Star ",
    "اقرأ أيضاً: ",
];

fn words() -> impl Strategy<Value = String> {
    (
        prop::option::of(pick(OPENERS)),
        prop::collection::vec(
            prop_oneof![
                4 => pick(FRAGMENTS).prop_map(str::to_string),
                1 => "[a-z ]{0,6}",
            ],
            0..8,
        ),
    )
        .prop_map(|(opener, parts)| opener.unwrap_or_default().to_string() + &parts.concat())
}

/// HTML text: markup characters escaped, line breaks kept.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn article() -> impl Strategy<Value = (Kind, String)> {
    let parts = prop::collection::vec(words(), 6);
    (0..3usize, parts, any::<bool>()).prop_map(|(kind, p, extra)| match kind {
        // Paragraphs, so that the footer (the last ones) starts inside
        // the body: a regex anchored at a region's start sees it twice.
        0 => (Kind::Text, p.join(if extra { "\n\n" } else { "" })),
        1 => {
            let front = if extra {
                format!(
                    "---\ntitle: \"{}\"\n---\n",
                    p[0].replace(['"', '\\', '\n', '\r'], "")
                )
            } else {
                String::new()
            };
            (
                Kind::Markdown,
                format!("{front}# {}\n\n{}\n\n{}\n\n{}", p[1], p[2], p[3], p[4]),
            )
        }
        _ => {
            let e: Vec<String> = p.iter().map(|s| escaped(s)).collect();
            let aside = if extra {
                format!("<aside>{}</aside>", e[4])
            } else {
                String::new()
            };
            let html = format!(
                "<html><head><title>{}</title></head><body><article><p>{}</p>\
                 <figure><img src=\"a.jpg\" alt=\"{}\"><figcaption>{}</figcaption></figure>\
                 {aside}<p>{}</p></article><footer>{}</footer></body></html>",
                e[0],
                e[1],
                e[2].replace(['"', '\n'], " "),
                e[3],
                e[5],
                e[5]
            );
            (Kind::Html, html)
        }
    })
}

fn profile(publisher: bool, required: bool) -> Profile {
    let mut profile = Profile::default();
    if publisher {
        profile.publisher = Some(Arc::new(Publisher {
            name: Some("Daily Star".to_string()),
            domains: vec!["dailystar.example".to_string()],
            contact: Some("legal@dailystar.example".to_string()),
        }));
    }
    if required {
        profile.required.insert("gen-a".to_string());
    }
    profile
}

/// Everything a finding says, for comparison.
fn said(engine: &Engine, doc: &clearance::load::Document, profile: &Profile) -> Vec<String> {
    let checked = engine.check_with(doc, profile);
    let mut out: Vec<String> = checked.findings.iter().map(|f| format!("{f:?}")).collect();
    out.extend(checked.dropped.iter().map(|d| format!("dropped {d:?}")));
    out.extend(checked.stopped.iter().map(|s| format!("stopped {s:?}")));
    out
}

fn compiled(yaml: &[String]) -> Option<Vec<Pack>> {
    yaml.iter()
        .enumerate()
        .map(|(i, y)| Pack::from_yaml(&format!("gen{i}.yaml"), y).ok())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn shortcuts_change_no_finding_of_a_generated_pack(
        a in pack("gen-a"),
        b in prop::option::of(pack("gen-b")),
        articles in prop::collection::vec(article(), 1..4),
        publisher in any::<bool>(),
        required in any::<bool>(),
    ) {
        let yaml: Vec<String> = std::iter::once(a).chain(b).collect();
        // Some trees are not packs (a template slot the tree already named
        // twice, say): those say nothing about the engine.
        let packs = compiled(&yaml);
        prop_assume!(packs.is_some());
        let fast = Engine::new(packs.unwrap_or_default()).expect("engine");
        let exhaustive = Engine::new(compiled(&yaml).unwrap_or_default())
            .expect("engine")
            .without_shortcuts();
        let profile = profile(publisher, required);
        for (kind, text) in articles {
            let doc = from_source("gen", kind, text);
            prop_assert_eq!(
                said(&fast, &doc, &profile),
                said(&exhaustive, &doc, &profile),
                "packs:\n{}\narticle ({:?}):\n{}",
                yaml.join("\n"),
                kind,
                doc.source
            );
        }
    }
}

/// The generator makes packs, not only YAML that fails to load: most of
/// what it writes compiles, so the property above tests the engine.
#[test]
fn most_generated_packs_load() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = pack("gen-a");
    let mut loaded = 0;
    let mut errors = Vec::new();
    for _ in 0..200 {
        let yaml = strategy.new_tree(&mut runner).expect("tree").current();
        match Pack::from_yaml("gen.yaml", &yaml) {
            Ok(_) => loaded += 1,
            Err(e) => errors.push(e.message.clone()),
        }
    }
    assert!(
        loaded >= 150,
        "only {loaded} of 200 loaded; errors: {errors:?}"
    );
}
