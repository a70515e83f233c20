//! The attribution, residue, wire, cc and dmca packs on real and realistic
//! articles, and the rule-engine features they are built from, each tried
//! in a small pack of its own. `fixtures/packs/ashams-republished-article.txt`
//! is a real republished page, kept as it was scraped.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use clearance::Engine;
use clearance::config::Publisher;
use clearance::load::{Kind, from_source};
use clearance::matcher::Profile;
use clearance::pack::Pack;
use common::{clearance, json, write};
use serde_json::Value;

const SEED: &str = include_str!("fixtures/packs/ashams-republished-article.txt");

/// The packs this file is about (il-27a has its own suite).
const NEW_PACKS: &[&str] = &["attribution", "residue", "wire", "cc", "dmca"];

fn builtin_engine() -> Engine {
    Engine::new(Pack::all_builtin().expect("built-in packs load")).expect("engine builds")
}

/// (rule, original text under the span) of each finding, in order.
fn findings(engine: &Engine, kind: Kind, text: &str, profile: &Profile) -> Vec<(String, String)> {
    let doc = from_source("article", kind, text.to_string());
    engine
        .check_with(&doc, profile)
        .findings
        .into_iter()
        .map(|f| (f.rule.clone(), doc.source[f.span.clone()].to_string()))
        .collect()
}

fn new_pack_rules(found: &[(String, String)]) -> Vec<(String, String)> {
    found
        .iter()
        .filter(|(rule, _)| NEW_PACKS.iter().any(|p| rule.starts_with(&format!("{p}/"))))
        .cloned()
        .collect()
}

fn publisher(name: &str, domains: &[&str], contact: Option<&str>) -> Profile {
    Profile {
        publisher: Some(Arc::new(Publisher {
            name: Some(name.to_string()),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            contact: contact.map(str::to_string),
        })),
        ..Profile::default()
    }
}

#[test]
fn the_seed_article_reports_every_leftover_it_carries() {
    let found = findings(&builtin_engine(), Kind::Text, SEED, &Profile::default());
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            // Arab48 is named only inside its own promotion line. An absence
            // is reported where the text looked in begins.
            ("attribution/source-missing", ""),
            ("attribution/credit-incomplete", "shutterstock"),
            ("residue/duplicate-line", "توضيحية-shutterstock"),
            ("attribution/credit-incomplete", "shutterstock"),
            ("residue/read-also", "طالع أيضا:"),
            (
                "residue/foreign-promo",
                "ولمتابعة كل ما يخص \"عرب 48\" يُمكنك متابعة قناتنا الإخبارية على تلجرام"
            ),
            ("residue/app-badge", "phone Icon"),
            ("residue/app-badge", "احصل على تطبيق"),
            ("residue/app-badge", "Download on the App Store"),
            ("residue/app-badge", "Get it on Google Play"),
        ],
        "{found:#?}"
    );
}

#[test]
fn the_seed_with_its_source_credited_and_leftovers_removed_is_clean() {
    let cleaned: String = SEED
        .lines()
        .filter(|l| {
            !(l.contains("shutterstock")
                || l.starts_with("طالع")
                || l.contains("قناتنا")
                || l.contains("Icon")
                || l.contains("تطبيق")
                || l.contains("App Store"))
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n\nالمصدر: عرب 48\n";
    let found = findings(&builtin_engine(), Kind::Text, &cleaned, &Profile::default());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_republishers_own_domain_decides_whether_the_27a_contact_is_theirs() {
    let engine = builtin_engine();
    let contact = |profile: &Profile| -> Vec<String> {
        findings(&engine, Kind::Text, SEED, profile)
            .into_iter()
            .filter(|(r, _)| r == "il-27a/contact-malformed")
            .map(|(_, t)| t)
            .collect()
    };
    // The seed's own site: its address is fine.
    assert!(contact(&publisher("Radio Ashams", &["ashams.com"], None)).is_empty());
    // Another site that copied the page with the notice: the address is Ashams's.
    assert_eq!(
        contact(&publisher("Kafr News", &["kafr-news.co.il"], None)),
        ["info@ashams.com"]
    );
    // Not configured: no opinion.
    assert!(contact(&Profile::default()).is_empty());

    let doc = from_source("seed.txt", Kind::Text, SEED.to_string());
    let f = engine
        .check_with(&doc, &publisher("Kafr News", &["kafr-news.co.il"], None))
        .findings
        .into_iter()
        .find(|f| f.rule == "il-27a/contact-malformed")
        .expect("reported");
    assert!(f.message.contains("found «ashams.com»"), "{}", f.message);
    assert!(f.message.contains("kafr-news.co.il"), "{}", f.message);
}

/// Ordinary pages: site copyright footers, credited photos, wire stories
/// with their credits, CC credits done right, and news *about* the things
/// the packs look for. None of the five packs may report anything.
const ORDINARY: &[(&str, Kind, &str)] = &[
    (
        "he-footer",
        Kind::Text,
        "הממשלה אישרה הלילה את תקציב המדינה.\n\nצילום: יונתן זינדל, פלאש 90\n\nכל הזכויות שמורות להוצאת עיתון הארץ בע\"מ",
    ),
    (
        "he-footer-2",
        Kind::Text,
        "השר אמר כי ההחלטה תיושם מיד. (צילום: רונן זבולון, רויטרס)\n\nכל הזכויות שמורות © 2014 מעריב און ליין בע\"מ",
    ),
    (
        "ar-footer",
        Kind::Text,
        "أعلنت البلدية عن خطة جديدة للمواصلات.\n\nتصوير: حسن ابراهيم\n\nجميع الحقوق محفوظة © 2025 موقع عرب 48",
    ),
    (
        "ar-wire",
        Kind::Text,
        "ستوكهولم - أ ف ب: أعلنت الحكومة السويدية اليوم عن إجراءات جديدة.\n\nوقال المتحدث إن الخطة ستنفذ خلال أسبوع (د ب أ).",
    ),
    (
        "en-footer",
        Kind::Text,
        "The council approved the budget on Monday.\n\n© 2025 The Times of Israel. All rights reserved.\n\nTerms of use | Privacy policy",
    ),
    (
        "en-ap",
        Kind::Text,
        "JERUSALEM (AP) — Israel's parliament passed the budget.\n\n(AP Photo/Ohad Zwigenberg)\n\nCopyright 2025 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.",
    ),
    (
        "en-reuters",
        Kind::Text,
        "GAZA (Reuters) - Talks resumed on Monday.\n\nREUTERS/Mohammed Salem\n\nReporting by Nidal al-Mughrabi; Editing by Alex Richardson\n\nOur Standards: The Thomson Reuters Trust Principles.",
    ),
    (
        "en-cc",
        Kind::Text,
        "The old city walls at dusk.\n\nPhoto: Dana Levi, CC BY-SA 4.0, via Wikimedia Commons\n\nThis article is licensed under a Creative Commons Attribution 4.0 International License.",
    ),
    (
        "en-news-about-things",
        Kind::Text,
        "Google said it received a DMCA takedown notice from the studio. The app, available on the App Store, has a Telegram channel with a million followers. Shutterstock shares rose 3%.",
    ),
    (
        "html-page",
        Kind::Html,
        r#"<!doctype html><html><head><title>Budget</title></head><body>
<article><h1>Budget approved</h1>
<figure><img src="a.jpg" alt="The Knesset plenum"><figcaption>The Knesset plenum. Photo: Yonatan Sindel/Flash90</figcaption></figure>
<p>The Knesset approved the budget on Monday.</p></article>
<footer><p>© 2025 Example News Ltd. All rights reserved.</p><p><a href="/privacy">Privacy</a></p></footer>
</body></html>"#,
    ),
    (
        "md-front-matter",
        Kind::Markdown,
        "---\ntitle: Budget\nsource: Haaretz\nsource_url: https://www.haaretz.co.il/1\n---\nThe Knesset approved the budget.\n\n![The Knesset](k.jpg)\n\n*Photo: Flash90*\n",
    ),
];

#[test]
fn ordinary_pages_and_copyright_footers_are_silent() {
    let engine = builtin_engine();
    for (name, kind, text) in ORDINARY {
        let found = new_pack_rules(&findings(&engine, *kind, text, &Profile::default()));
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

/// One problem each, and which rule must report it (and nothing else from
/// the five packs).
const PROBLEMS: &[(&str, Kind, &str, &str)] = &[
    (
        "attribution/photo-credit-missing",
        Kind::Html,
        "<article><figure><img src=a.jpg alt=x><figcaption>ראש הממשלה בישיבת הממשלה</figcaption></figure><p>הממשלה אישרה את התקציב.</p></article>",
        "ראש הממשלה בישיבת הממשלה",
    ),
    (
        "attribution/credit-empty",
        Kind::Text,
        "הממשלה אישרה את התקציב.\n\nצילום: ללא",
        "צילום: ללא",
    ),
    (
        "attribution/source-missing",
        Kind::Markdown,
        "---\nrepublished: true\n---\nThe Knesset approved the budget on Monday.\n",
        "",
    ),
    (
        "wire/notice-missing",
        Kind::Text,
        "The Knesset approved the budget.\n\nAll rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "this material may not be published, broadcast, rewritten or redistributed",
    ),
    (
        "wire/notice-malformed",
        Kind::Text,
        "The Knesset approved the budget.\n\nCopyright %d The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Copyright %d The Associated Press. All rights reserved. This material may not be published",
    ),
    (
        "cc/licence-unknown",
        Kind::Text,
        "The old city walls.\n\nPhoto: Dana Levi, CC BY-SA 3.5",
        "CC BY-SA 3.5",
    ),
    (
        "cc/attribution-incomplete",
        Kind::Text,
        "The old city walls.\n\nצילום: CC BY-SA 3.0",
        "CC BY-SA 3.0",
    ),
    (
        "dmca/contact-missing",
        Kind::Text,
        "If you believe your work was copied, please send a DMCA notice to our designated agent.",
        // One finding per notice, at its first term.
        "DMCA notice",
    ),
    (
        "dmca/contact-malformed",
        Kind::Text,
        "Send DMCA notices to our designated agent: [email protected]",
        "[email protected]",
    ),
];

#[test]
fn each_problem_is_reported_by_its_rule_only() {
    let engine = builtin_engine();
    for (rule, kind, text, span) in PROBLEMS {
        let found = new_pack_rules(&findings(&engine, *kind, text, &Profile::default()));
        let rules: BTreeSet<&str> = found.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(rules, BTreeSet::from([*rule]), "{text}: {found:#?}");
        let (_, got) = found.iter().find(|(r, _)| r == rule).expect("found");
        assert_eq!(got.to_lowercase(), span.to_lowercase(), "{rule}");
    }
}

#[test]
fn a_wrong_slot_is_malformed_with_found_and_expected_never_missing() {
    let engine = builtin_engine();
    let text = "JERUSALEM (AP) — The Knesset approved the budget.\n\n© 2025 Thompson Reuters. All rights reserved.\n\nCopyright 2025 %s. All rights reserved. This material may not be published.";
    let doc = from_source("a.txt", Kind::Text, text.to_string());
    let messages: Vec<String> = engine
        .check(&doc)
        .findings
        .into_iter()
        .filter(|f| f.rule.starts_with("wire/"))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    assert_eq!(
        messages,
        [
            "wire/notice-malformed: the agency notice has «Thompson Reuters» where Thomson Reuters belongs",
            "wire/notice-malformed: the agency notice has «%s» where the holder's name (The Associated Press) belongs",
        ]
    );
}

/// A pack exercising one engine feature per rule.
const FEATURES: &str = r#"
pack: feat
title: engine features
define:
  credit: { phrases: ["photo:", "צילום:"] }
rules:
  - id: at-most
    severity: warning
    message: "«{match}» is one of {count}"
    forbid: { phrases: [read more] }
    at_most: 2
  - id: at-most-anywhere
    severity: warning
    scope: all
    message: "«{match}» is one of {count}"
    forbid: { phrases: [all rights reserved] }
    at_most: 1
  - id: per-region
    severity: warning
    scope: caption
    message: caption without a credit
    require: { ref: credit }
    per: region
  - id: start
    severity: info
    message: dateline
    forbid: { phrases: ["(ap)"], position: start }
  - id: footer
    severity: info
    message: footer copyright
    forbid: { phrases: [all rights reserved], position: footer }
  - id: only-title
    severity: info
    scope: all
    message: breaking in the title
    forbid: { phrases: [breaking], in: title }
  - id: lonely-label
    severity: warning
    message: label far from a name
    forbid:
      not_near: [{ phrases: [by] }, { regex: '\p{L}{3,}' }]
      within: 1
      side: after
  - id: twice
    severity: warning
    message: "repeated: {match}"
    forbid: { repeated: { ref: credit } }
  - id: own-name
    severity: info
    message: "mentions {publisher.name}"
    forbid: { publisher: name }
  - id: notice
    severity: error
    message: "«{found}» where {expected} belongs"
    forbid:
      template: "Used under section {section} of the Copyright Act, {year}."
      slots: { section: '\S{1,8}', year: '\d{4}' }
    expect:
      - { capture: section, one_of: [27a], expected: section 27A }
      - { capture: year, one_of: ["2007"], expected: "2007" }
  - id: contact
    severity: error
    message: "{found}: expected {expected}"
    forbid: { contact: [email, url] }
    expect:
      - { capture: problem, absent: true, expected: a working address }
      - { capture: domain, domain_in: [example-news.co.il], expected: our domain }
  - id: equals
    severity: error
    message: "contact {found} is not {expected}"
    forbid: { regex: 'contact: (?P<address>\S+@\S+)' }
    expect:
      - { capture: address, equals: publisher.contact }
"#;

fn feature(rule: &str, kind: Kind, text: &str, profile: &Profile) -> Vec<String> {
    let engine =
        Engine::new(vec![Pack::from_yaml("feat.yaml", FEATURES).expect("loads")]).expect("engine");
    let doc = from_source("a", kind, text.to_string());
    engine
        .check_with(&doc, profile)
        .findings
        .into_iter()
        .filter(|f| f.rule == format!("feat/{rule}"))
        .map(|f| format!("{} | {}", &doc.source[f.span.clone()], f.message))
        .collect()
}

#[test]
fn at_most_reports_only_the_matches_after_the_allowed_ones() {
    let none = Profile::default();
    assert!(feature("at-most", Kind::Text, "Read more. Read more.", &none).is_empty());
    assert_eq!(
        feature(
            "at-most",
            Kind::Text,
            "read more, Read more, READ MORE",
            &none
        ),
        ["READ MORE | «READ MORE» is one of 3"]
    );
}

#[test]
fn at_most_counts_a_footer_notice_once_though_body_and_footer_both_hold_it() {
    let none = Profile::default();
    let once = "Headline\n\nFirst paragraph.\n\nSecond.\n\nThird.\n\n© 2026 Citynews. All rights reserved.\n";
    for kind in [Kind::Text, Kind::Markdown] {
        assert!(
            feature("at-most-anywhere", kind, once, &none).is_empty(),
            "{kind:?}"
        );
    }
    let twice = "Headline\n\nAll rights reserved by the source.\n\nSecond.\n\nThird.\n\n© 2026 Citynews. All rights reserved.\n";
    for kind in [Kind::Text, Kind::Markdown] {
        assert_eq!(
            feature("at-most-anywhere", kind, twice, &none),
            ["All rights reserved | «All rights reserved» is one of 2"],
            "{kind:?}"
        );
    }
    let html = "<article><p>First paragraph.</p><footer><p>© 2026 Citynews. All rights reserved.</p></footer></article>";
    assert!(feature("at-most-anywhere", Kind::Html, html, &none).is_empty());
}

#[test]
fn per_region_asks_each_caption_for_its_own_match() {
    let html = "<figure><img src=a><figcaption>Rally. Photo: Dana Levi</figcaption></figure><p>Text</p><figure><img src=b><figcaption>Crowd in the square</figcaption></figure>";
    assert_eq!(
        feature("per-region", Kind::Html, html, &Profile::default()),
        ["Crowd in the square | caption without a credit"]
    );
}

#[test]
fn position_keeps_matches_at_the_start_or_in_the_footer() {
    let none = Profile::default();
    let text = "JERUSALEM (AP) — All rights reserved was the title of the film.\n\nSecond (AP).\n\nThird.\n\nFourth.\n\nAll rights reserved.";
    assert_eq!(
        feature("start", Kind::Text, text, &none),
        ["(AP) | dateline"]
    );
    let footer = feature("footer", Kind::Text, text, &none);
    assert_eq!(footer, ["All rights reserved | footer copyright"]);
}

#[test]
fn in_keeps_matches_of_named_regions() {
    let none = Profile::default();
    let md = "---\ntitle: Breaking news\n---\nBreaking: the council met.\n";
    let got = feature("only-title", Kind::Markdown, md, &none);
    // The title region is the front matter's title (also `front_matter.title`,
    // which `in: title` does not admit).
    assert_eq!(got, ["Breaking | breaking in the title"]);
}

#[test]
fn not_near_keeps_matches_with_nothing_close_on_that_side() {
    let none = Profile::default();
    assert_eq!(
        feature(
            "lonely-label",
            Kind::Text,
            "Story by. Then by Dana Levi.",
            &none
        ),
        ["by | label far from a name"]
    );
}

#[test]
fn repeated_reports_a_line_pasted_twice() {
    let none = Profile::default();
    assert_eq!(
        feature(
            "twice",
            Kind::Text,
            "Photo: Reuters\n\nPhoto: Reuters\n\nText.\n\nPhoto: Reuters",
            &none
        ),
        ["Photo: Reuters | repeated: Photo: Reuters"]
    );
}

#[test]
fn publisher_values_come_from_the_profile() {
    let text = "Kafr News reporters were at the rally.";
    assert!(feature("own-name", Kind::Text, text, &Profile::default()).is_empty());
    assert_eq!(
        feature(
            "own-name",
            Kind::Text,
            text,
            &publisher("Kafr News", &[], None)
        ),
        ["Kafr News | mentions Kafr News"]
    );
    let contact = "contact: rights@kafr-news.co.il";
    let configured = publisher("Kafr News", &[], Some("copyright@kafr-news.co.il"));
    assert_eq!(
        feature("equals", Kind::Text, contact, &configured),
        [
            "contact: rights@kafr-news.co.il | contact rights@kafr-news.co.il is not copyright@kafr-news.co.il"
        ]
    );
    assert!(feature("equals", Kind::Text, contact, &Profile::default()).is_empty());
}

#[test]
fn a_template_reports_the_wrong_slot() {
    let none = Profile::default();
    assert!(
        feature(
            "notice",
            Kind::Text,
            "Used under Section 27A of the Copyright Act, 2007.",
            &none
        )
        .is_empty()
    );
    // Punctuation and spacing are loose; slots are checked.
    assert_eq!(
        feature(
            "notice",
            Kind::Text,
            "Used  under section 27(a) of the Copyright Act 2007",
            &none
        ),
        ["Used  under section 27(a) of the Copyright Act 2007 | «27(a)» where section 27A belongs"]
    );
    assert_eq!(
        feature(
            "notice",
            Kind::Text,
            "used under section 27A of the copyright act, 2019.",
            &none
        ),
        ["used under section 27A of the copyright act, 2019. | «2019» where 2007 belongs"]
    );
}

#[test]
fn contact_checks_read_problem_and_domain() {
    let none = Profile::default();
    let got = feature(
        "contact",
        Kind::Text,
        "Write to rights@example-news.co.il or desk@other-news.com or info[at]example-news.co.il.",
        &none,
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got[0],
        "desk@other-news.com | other-news.com: expected our domain"
    );
    assert!(got[1].contains(": expected a working address"), "{got:?}");
}

#[test]
fn engine_feature_mistakes_point_into_the_pack() {
    let cases = [
        (
            "rules: [{id: a, severity: error, message: m, require: {phrases: [x]}, at_most: 1}]",
            "`at_most` goes with `forbid`",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {phrases: [x]}, per: region}]",
            "`per` goes with `require`",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {template: 'a {b} c', slots: {d: x}}}]",
            "slot `d` is not in the template",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {template: '{b}'}}]",
            "a template needs some literal wording",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {publisher: phone}}]",
            "unknown publisher field `phone`",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {contact: [email]}, expect: [{capture: domain, domain_in: publisher.name}]}]",
            "`domain_in` takes a list of domains or `publisher.domains`",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {phrases: [x], in: sidebar}}]",
            "unknown scope `sidebar`",
        ),
        (
            "rules: [{id: a, severity: error, message: m, forbid: {phrases: [x], slots: {a: b}}}]",
            "`slots` goes with `template`",
        ),
    ];
    for (rules, want) in cases {
        let yaml = format!("pack: p\ntitle: t\n{rules}\n");
        let err = Pack::from_yaml("p.yaml", &yaml).expect_err(rules);
        assert!(err.message.contains(want), "{rules}: {}", err.message);
        assert!(err.span.is_some(), "{rules}: no span");
    }
}

#[test]
fn the_publisher_block_of_clearance_yaml_reaches_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        "وفقًا للمادة 27 أ من قانون حقوق التأليف والنشر 2007، للتواصل: info@ashams.com\n",
    );
    let run = clearance(dir.path(), &["check", "--format", "json", "a.txt"]);
    let rules = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(&json(&run)).is_empty(), "{}", run.stdout);

    write(
        dir.path(),
        "clearance.yaml",
        "publisher: { name: Kafr News, domains: [kafr-news.co.il] }\n",
    );
    let run = clearance(dir.path(), &["check", "--format", "json", "a.txt"]);
    assert_eq!(run.code, 1);
    let doc = json(&run);
    assert_eq!(rules(&doc), ["il-27a/contact-malformed"]);
    let message = doc["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("«ashams.com»"), "{message}");
}

#[test]
fn newsroom_other_packs() {
    let engine = builtin_engine();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    let expected: &[(&str, &[&str])] = &[
        (
            "ar/water-network-shefa-amr.txt",
            &[
                "attribution/source-missing",
                "attribution/credit-incomplete",
                "residue/duplicate-line",
                "attribution/credit-incomplete",
                "residue/read-also",
                "residue/foreign-promo",
            ],
        ),
        ("en/port-strike-haifa.txt", &["wire/notice-missing"]),
    ];
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        // The newsroom's clearance.yaml is not an article.
        if !entry.file_type().is_file() || Kind::of(entry.path()).is_none() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let doc = clearance::load::load_file(entry.path(), &rel, u64::MAX).expect("loads");
        let got: Vec<String> = engine
            .check(&doc)
            .findings
            .into_iter()
            .map(|f| f.rule)
            .filter(|r| !r.starts_with("il-27a/"))
            .collect();
        let want: Vec<&str> = expected
            .iter()
            .find(|(f, _)| *f == rel)
            .map_or(&[][..], |(_, w)| w)
            .to_vec();
        assert_eq!(got, want, "{rel}");
        seen += 1;
    }
    assert_eq!(seen, 14);
}

/// The takedown contact must lie within 400 characters of the citation,
/// counted as the text reads: diacritics and tatweel between the two do not
/// count, and an Arabic or Hebrew letter is one character, not two bytes.
/// The fast engine (which only looks for contacts in windows around the
/// citations) and the exhaustive one must agree at every distance.
#[test]
fn the_27a_contact_reach_is_counted_in_characters() {
    let fast = builtin_engine();
    let exhaustive = builtin_engine().without_shortcuts();
    let missing = |engine: &Engine, text: &str| {
        let doc = from_source("a.txt", Kind::Text, text.to_string());
        engine
            .check(&doc)
            .findings
            .iter()
            .any(|f| f.rule == "il-27a/contact-missing")
    };
    let citation = "يتم استخدام المواد وفقًا للمادة 27 أ من قانون حقوق التأليف والنشر 2007، ";
    // With its space, each word reads as 4, 5 and 4 characters: the marks
    // and the tatweel fold away.
    let words = ["كَلِمَ ", "מילה ", "نصـّص "];
    let mut switched = None;
    for n in 60..=100 {
        let filler: String = (0..n).map(|i| words[i % words.len()]).collect();
        let text = format!("{citation}{filler}info@citynews.co.il\n");
        let got = missing(&fast, &text);
        assert_eq!(got, missing(&exhaustive, &text), "{n} words");
        match switched {
            None if got => switched = Some(n),
            Some(_) => assert!(got, "{n} words: found again after being out of reach"),
            None => {}
        }
    }
    // The reach starts after "للمادة 27 أ": 35 characters to the filler.
    // 84 words read as 28 × 13 = 364 characters (399 in all); the 85th adds
    // four more.
    assert_eq!(switched, Some(85));
}

/// Findings of `rule` (all rules when empty) from an engine with and one
/// without its shortcuts, as (start, end, rule).
fn both_ways(
    packs: impl Fn() -> Vec<Pack>,
    text: &str,
    rule: &str,
) -> [Vec<(usize, usize, String)>; 2] {
    let fast = Engine::new(packs()).expect("engine");
    let exhaustive = Engine::new(packs()).expect("engine").without_shortcuts();
    let doc = from_source("a.txt", Kind::Text, text.to_string());
    [fast, exhaustive].map(|engine| {
        engine
            .check(&doc)
            .findings
            .into_iter()
            .filter(|f| rule.is_empty() || f.rule == rule)
            .map(|f| (f.span.start, f.span.end, f.rule))
            .collect()
    })
}

fn custom(yaml: &str) -> impl Fn() -> Vec<Pack> + '_ {
    move || vec![Pack::from_yaml("p.yaml", yaml).expect("loads")]
}

/// Cases where a shortcut once changed what a check finds.
#[test]
fn shortcuts_change_no_finding_at_region_and_window_edges() {
    let builtin = || Pack::all_builtin().expect("built-in packs load");
    // An `around` rule reports an absence: a plain file's footer, read on
    // its own, lacks the contact its body has.
    let text = "Headline\n\nContact: dmca@citynews.com\n\nIf you believe your work has been copied, please send a DMCA notice to our designated agent.\n\nMore.\n\nEnd.\n";
    let [fast, exhaustive] = both_ways(builtin, text, "dmca/contact-missing");
    assert_eq!(fast, exhaustive);
    assert_eq!(fast.len(), 1, "{fast:?}");

    // A contact far longer than the window's margin is read whole.
    let long = format!("https://citynews.co.il/contact?{}", "a".repeat(3000));
    for text in [
        format!(
            "Headline\n\nSection 27A of the Copyright Act, 2007. Contact: {long} thanks\n\nx\n\ny\n\nz\n"
        ),
        format!(
            "Headline\n\nContact: {long} Section 27A of the Copyright Act, 2007.\n\nx\n\ny\n\nz\n"
        ),
        format!(
            "Headline\n\nIf you believe your work has been copied, please send a DMCA notice to our designated agent: {long} thanks\n\nx\n\ny\n\nz\n"
        ),
    ] {
        let [fast, exhaustive] = both_ways(builtin, &text, "");
        assert_eq!(fast, exhaustive);
        assert!(
            fast.iter()
                .all(|(_, _, r)| !r.ends_with("/contact-missing")),
            "{fast:?}"
        );
    }

    // `at_most` with a matcher that sees region edges (`in: footer`) reads
    // both regions, as it always did.
    let yaml = "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: info\n    scope: [body, footer]\n    message: m\n    forbid: { phrases: [reuters], in: footer }\n    at_most: 1\n";
    let text = "Headline\n\nx\n\ny\n\nz\n\nReuters and Reuters\n";
    let [fast, exhaustive] = both_ways(custom(yaml), text, "");
    assert_eq!(fast, exhaustive);
    assert!(!fast.is_empty());

    // Regex matches do not overlap: one that runs across the break into the
    // footer must not hide the footer's own.
    let yaml = "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: info\n    scope: [body, footer]\n    message: m\n    forbid: { regex: 'ab\\s+cd|cd\\s+ef' }\n";
    let [fast, exhaustive] = both_ways(custom(yaml), "H\n\nx\n\nab\n\ncd ef\n\ny\n\nz\n", "");
    assert_eq!(fast, exhaustive);
    assert_eq!(fast.len(), 2, "{fast:?}");

    // A contact anchored on a matcher that holds a contact itself.
    let yaml = "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: info\n    message: m\n    forbid:\n      near:\n        - contact: [email]\n        - near: [{contact: [phone]}, {phrases: [call]}]\n          within: 20\n      within: 50\n";
    let [fast, exhaustive] = both_ways(
        custom(yaml),
        "write info@site.com or call +972-3-555-1234 today\n",
        "",
    );
    assert_eq!(fast, exhaustive);
    assert_eq!(fast.len(), 1, "{fast:?}");
}

#[test]
fn read_also_labels_in_their_common_spellings_and_in_a_row() {
    let engine = builtin_engine();
    let of = |kind: Kind, text: &str| -> Vec<String> {
        findings(&engine, kind, text, &Profile::default())
            .into_iter()
            .filter(|(rule, _)| rule == "residue/read-also")
            .map(|(_, text)| text)
            .collect()
    };
    // Spellings: «اقرأ/ي», trailing dots instead of a colon, a hamza under
    // the alef, tanween on «أيضاً».
    assert_eq!(
        of(
            Kind::Text,
            "قال الوزير إن الخطة جاهزة.\n\nاقرأ/ي أيضا: الحكومة تقر الموازنة\n"
        ),
        ["اقرأ/ي أيضا:"]
    );
    assert_eq!(
        of(
            Kind::Text,
            "قال الوزير إن الخطة جاهزة.\n\nاقرأ أيضا.. الحكومة تقر الموازنة\n"
        ),
        ["اقرأ أيضا.."]
    );
    assert_eq!(
        of(
            Kind::Text,
            "قال الوزير إن الخطة جاهزة.\n\nإقرأ أيضاً\n\nالحكومة تقر الموازنة\n"
        ),
        // The tanween after the match is not part of it.
        ["إقرأ أيضا"]
    );
    // Two labels in consecutive paragraphs: each is reported.
    let html = "<html><body><article><p>قال الوزير إن الخطة جاهزة.</p>\
                <div>اقرأ أيضا</div>\
                <div>اقرأ أيضا: البرلمان يناقش القانون</div>\
                <div>Read more</div>\
                <div>Read more: Port reopens</div></article></body></html>";
    assert_eq!(
        of(Kind::Html, html),
        ["اقرأ أيضا", "اقرأ أيضا:", "Read more", "Read more:"]
    );
    // Reading in the middle of a sentence is not a label.
    assert_eq!(
        of(Kind::Text, "وقال إنه سيقرأ أيضا.. التقرير كاملا.\n"),
        Vec::<String>::new()
    );
}

/// A match that runs across HTML elements is quoted as a reader sees it:
/// the text of the elements, never the tags between them, and a character
/// reference as its character.
#[test]
fn messages_and_labels_quote_visible_text_never_markup() {
    let engine = builtin_engine();
    let html = "<html><body><article><h1>Budget</h1>\
                <p>The council approved the budget on Monday.</p>\
                <div class=\"teaser\"><strong>Read more</strong> <span>:</span> \
                <a href=\"/b\">Council votes</a></div>\
                <p>اقرأ أيضا<span class=\"sep\">&#46;&#46;</span> <a href=\"/c\">الحكومة تقر الموازنة</a></p>\
                </article></body></html>";
    let doc = from_source("page.html", Kind::Html, html.to_string());
    // The span still covers the file's bytes, markup and all.
    let found: Vec<(String, &str, String, String)> = engine
        .check(&doc)
        .findings
        .into_iter()
        .map(|f| {
            let raw = &doc.source[f.span.clone()];
            (f.rule, raw, f.message, f.label)
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "residue/read-also".to_string(),
                "Read more</strong> <span>:",
                "a \"read also\" link to another story left in the text («Read more :»)"
                    .to_string(),
                "«Read more :»".to_string(),
            ),
            (
                "residue/read-also".to_string(),
                "اقرأ أيضا<span class=\"sep\">&#46;&#46;",
                "a \"read also\" link to another story left in the text («اقرأ أيضا..»)"
                    .to_string(),
                "«اقرأ أيضا..»".to_string(),
            ),
        ]
    );
}

/// An original page's own furniture is not a leftover: a sidebar with an
/// app promotion and a newsletter box, a navigation bar, share icons and a
/// related-stories box (the shapes of news-site templates: `<aside>`
/// sidebars holding app-download, trending and newsletter widgets, `<nav>`
/// menus, `class="shares"` icon rows). The same lines pasted into the
/// article's text are. A wrapper whose class names sharing but holds the
/// article is not furniture.
#[test]
fn a_pages_own_furniture_is_not_a_leftover_but_the_same_text_in_the_article_is() {
    let engine = builtin_engine();
    let residue = |html: &str| -> Vec<(String, String)> {
        findings(&engine, Kind::Html, html, &Profile::default())
            .into_iter()
            .filter(|(rule, _)| rule.starts_with("residue/"))
            .collect()
    };
    let furniture = "<nav class=\"navbar\"><a href=\"/\">Home</a> <a href=\"/apps\">phone Icon</a></nav>\
        <aside class=\"sidebar\"><div>Download the City News app</div>\
        <p>Join our Telegram channel for breaking news</p>\
        <div class=\"newsletter-signup\"><p>Subscribe to our newsletter</p></div></aside>\
        <div class=\"related-stories\"><p>Read more:</p><a href=\"/b\">Port reopens</a></div>\
        <span class=\"shares\"><p>share Icon</p></span>";
    let page = format!(
        "<html><body><article><h1>Budget approved</h1>\
         <p>The council approved the budget on Monday.</p>{furniture}</article></body></html>"
    );
    assert_eq!(residue(&page), []);
    // The same lines as paragraphs of the article.
    let pasted = "<html><body><article><h1>Budget approved</h1>\
        <p>The council approved the budget on Monday.</p>\
        <p>Join our Telegram channel for breaking news</p>\
        <p>Read more:</p><p>Port reopens</p>\
        <p>phone Icon</p></article></body></html>";
    assert_eq!(
        residue(pasted),
        [
            (
                "residue/foreign-promo".to_string(),
                "Join our Telegram channel for breaking news".to_string()
            ),
            ("residue/read-also".to_string(), "Read more:".to_string()),
            ("residue/app-badge".to_string(), "phone Icon".to_string()),
        ]
    );
    // A page wrapper named for its share bar holds the article: not furniture.
    let wrapped = "<html><body><div class=\"has-share-bar\"><article><h1>Budget</h1>\
        <p>The council approved the budget.</p><p>Read more:</p><p>Port reopens</p>\
        </article></div></body></html>";
    assert_eq!(
        residue(wrapped),
        [("residue/read-also".to_string(), "Read more:".to_string())]
    );
}

/// An aggregator's headline ticker (the shape of Arabic news-aggregator
/// pages: a run of other stories' headlines, with «…» quotes, colons and
/// «(لحظة بلحظة) |» teasers, before the article) is no leftover, credit or
/// notice, as plain text or as links in a page.
#[test]
fn a_headline_ticker_before_the_article_is_silent() {
    let engine = builtin_engine();
    let heads = [
        "الحكومة تقر الموازنة العامة للعام المقبل",
        "«الأرصاد»: أمطار غزيرة على المناطق الساحلية",
        "البورصة تواصل الصعود في منتصف التعاملات",
        "مدرب المنتخب: نستعد بقوة للبطولة",
        "إعلام عبري: الحكومة تسعى لتعديل القانون",
        "شارك صحافة من وإلى المواطن",
        "بث مباشر مباراة الأهلي والوصل (لحظة بلحظة) | التشكيل",
    ];
    let article = "قالت وزارة المالية إن الموازنة الجديدة تركز على التعليم والصحة.";
    let text = format!("{}\n\n{article}\n\nالمصدر: الأهرام\n", heads.join("    "));
    assert_eq!(
        findings(&engine, Kind::Text, &text, &Profile::default()),
        []
    );
    let links: String = heads
        .iter()
        .enumerate()
        .map(|(i, h)| format!("<a href=\"/n{i}\">{h}</a>    "))
        .collect();
    let html = format!(
        "<html><body><div class=\"ticker\">{links}</div><article><h1>الموازنة</h1>\
         <p>{article}</p><p>المصدر: الأهرام</p></article></body></html>"
    );
    assert_eq!(
        findings(&engine, Kind::Html, &html, &Profile::default()),
        []
    );
}

/// A page whose template gives credits an element of their own (a class
/// that names a credit) shows that element only where a credit is due: its
/// other figures hold the publisher's own art or a document. Without such a
/// template, a caption with no credit is still reported.
#[test]
fn a_template_with_credit_elements_decides_which_figures_need_one() {
    let engine = builtin_engine();
    let templated = [
        (
            "english, attribution div beside the caption",
            "<article><figure><img src=a.jpg><figcaption><div class=caption><p>The reactor hall at night.</p></div><div class=attribution><p>Dana Levi for the magazine</p></div></figcaption></figure>\
             <p>The plant opened in 1962.</p>\
             <figure><img src=b.png><figcaption><div class=caption><p>The first page of the 1962 report.</p></div></figcaption></figure></article>",
        ),
        (
            "hebrew, photo-credit span",
            "<article><figure><img src=a.jpg><figcaption>ראש הממשלה בישיבת הממשלה <span class=\"photo-credit\">צילום: יונתן זינדל</span></figcaption></figure>\
             <p>הממשלה אישרה את התקציב.</p>\
             <figure><img src=b.jpg><figcaption>מסמך ההחלטה כפי שפורסם</figcaption></figure></article>",
        ),
        (
            "arabic, image-source paragraph after the caption text",
            "<article><figure><img src=a.jpg><figcaption><p>جلسة المجلس البلدي</p><p class=\"image-source\">تصوير: حسن ابراهيم</p></figcaption></figure>\
             <p>صادق المجلس على الميزانية.</p>\
             <figure><img src=b.jpg><figcaption><p>خريطة المشروع كما نشرتها البلدية</p></figcaption></figure></article>",
        ),
    ];
    for (name, html) in templated {
        let found = findings(&engine, Kind::Html, html, &Profile::default());
        assert!(
            !found
                .iter()
                .any(|(rule, _)| rule == "attribution/photo-credit-missing"),
            "{name}: {found:#?}"
        );
    }
    // A `<small>` or `<cite>` credit is markup an editor typed, not a
    // template's credit field: the other figures still need their own.
    let untemplated = "<article><figure><img src=a.jpg><figcaption>جلسة المجلس البلدي <small>تصوير: حسن ابراهيم</small></figcaption></figure>\
         <p>صادق المجلس على الميزانية.</p>\
         <figure><img src=b.jpg><figcaption>خريطة المشروع كما نشرتها البلدية</figcaption></figure></article>";
    let found = findings(&engine, Kind::Html, untemplated, &Profile::default());
    let missing: Vec<&str> = found
        .iter()
        .filter(|(rule, _)| rule == "attribution/photo-credit-missing")
        .map(|(_, text)| text.as_str())
        .collect();
    assert_eq!(missing, ["خريطة المشروع كما نشرتها البلدية"]);
}
