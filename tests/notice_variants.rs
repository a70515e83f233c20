//! Section 27A notices built from the pack's own variant tables, so that a
//! form added to the pack is tested in every combination at once, and a
//! form the pack misses fails here rather than on a real page.
//!
//! A notice is slots: a statement of use, "under", the section, the Act's
//! name (every name `rules/il-27a.yaml` lists under `law-name`), the year,
//! and an invitation to the owner with a contact. Each language's slots
//! are crossed (every value of every slot appears, against rotating values
//! of the others) and placed four ways: a plain file's last paragraph, an
//! HTML `<footer>`, a photo caption, and a Markdown paragraph. Every such
//! notice must be recognised with no finding at all. Then one slot at a
//! time is made wrong (a malformed section, a wrong year, a broken
//! contact, no contact): exactly that slot's rule must be reported, once,
//! and nothing else.

use std::collections::BTreeSet;

use clearance::load::{Kind, from_source};
use clearance::matcher::Profile;
use clearance::{Engine, Pack};
use serde_json::Value;

const SECTION_MALFORMED: &str = "il-27a/section-malformed";
const YEAR_MALFORMED: &str = "il-27a/year-malformed";
const CONTACT_MISSING: &str = "il-27a/contact-missing";
const CONTACT_MALFORMED: &str = "il-27a/contact-malformed";

/// One language's slot values. `{c}` in an invitation is the contact.
struct Tables {
    name: &'static str,
    uses: &'static [&'static str],
    /// "Under" with the section word, as the language glues them.
    unders: &'static [&'static str],
    sections: &'static [&'static str],
    bad_sections: &'static [&'static str],
    /// What stands before the Act's name ("ל", "من ", "of the ").
    law_prefix: &'static str,
    years: &'static [&'static str],
    bad_years: &'static [&'static str],
    invitations: &'static [&'static str],
    contacts: &'static [&'static str],
    bad_contacts: &'static [&'static str],
    /// An article paragraph before the notice.
    lead: &'static str,
}

const HEBREW: Tables = Tables {
    name: "he",
    uses: &[
        "השימוש נעשה",
        "השימוש בתמונות באתר נעשה",
        "השימוש בתמונות המופיעות בכתבה זו נעשה",
        "התמונות מובאות",
        "התמונות באתר מתפרסמות",
        "הכתבה פורסמה",
        "נעשה שימוש",
        "השימוש ביצירות באתר נעשה",
        "השימוש שנעשה באתר זה בתמונות הוא",
        "כל התמונות באתר זה מוצגות",
        "התמונות שבכתבה זו פורסמו",
        "הסרטון מוגש",
    ],
    unders: &[
        "לפי סעיף",
        "על פי סעיף",
        "בהתאם לסעיף",
        "מכוח סעיף",
        "לפי סע'",
        "עפ\"י סעיף",
        "על-פי סעיף",
        "בהתאם להוראות סעיף",
        "לפי הוראות סעיף",
        "כאמור בסעיף",
    ],
    sections: &["27א", "27 א'", "27 א", "27-א", "27א'"],
    bad_sections: &["27", "27(א)", "27 (א)", "72א"],
    law_prefix: "ל",
    years: &[
        ", התשס\"ח-2007",
        " התשס\"ח-2007",
        ", התשס״ח–2007",
        ", 2007",
        " (2007)",
        "",
    ],
    bad_years: &[", התשע\"ט-2019", ", 2008"],
    invitations: &[
        ". לפניות: {c}",
        ". בעל הזכויות רשאי לבקש להפסיק את השימוש: {c}",
        ". בעל זכויות ביצירה רשאי לבקש להפסיק את השימוש בפנייה אל {c}",
        "; להסרה פנו אלינו בכתובת {c}",
        ". לבקשות הסרה: {c}",
    ],
    contacts: &[
        "rights@kafr-news.co.il",
        "https://kafr-news.co.il/contact",
        "03-5551234",
        "1-700-500-500",
        "1-800-500-500",
    ],
    bad_contacts: &[
        "rights@kafr-news.co,il",
        "rights@@kafr-news.co.il",
        "rights@kafr-news",
    ],
    lead: "מועצת העיר אישרה ביום שני את תקציב השנה הבאה לאחר דיון ארוך.",
};

const ARABIC: Tables = Tables {
    name: "ar",
    uses: &[
        "يتم استخدام المواد",
        "نستعمل المضامين",
        "نستخدم الصور",
        "تم نشر الصورة",
        "نقوم باستخدام الصور",
        "الصورة مستخدمة",
        "الصور مستعملة",
        "تنشر الصور",
    ],
    unders: &[
        "وفقا للمادة",
        "وفقًا للمادة",
        "بموجب المادة",
        "بموجب البند",
        "حسب البند",
        "وفق البند",
        "طبقا للمادة",
        "استنادا إلى المادة",
        "بناء على المادة",
        "عملا بالمادة",
        "استنادًا للبند",
        "بحسب البند",
    ],
    sections: &["27 أ", "27أ", "٢٧ أ", "27-أ"],
    bad_sections: &["27", "27 (أ)", "72 أ"],
    law_prefix: "من ",
    years: &[" 2007", " لسنة 2007", " لعام 2007", " (2007)", " ٢٠٠٧", ""],
    bad_years: &[" لعام 2019", " 2008", " لسنة 1911"],
    invitations: &[
        "، للتواصل: {c}",
        "، ولأصحاب الحقوق مراسلتنا على: {c}",
        ". لطلب الإزالة راسلونا: {c}",
        "، يحق لصاحب الحقوق طلب التوقف عن الاستخدام عبر {c}",
    ],
    contacts: &[
        "info@kafr-news.net",
        "https://kafr-news.net/contact",
        "04-6551234",
    ],
    bad_contacts: &[
        "info@kafr-news,net",
        "info@@kafr-news.net",
        "info@kafr-news",
    ],
    lead: "افتتحت البلدية يوم الاثنين مدرسة جديدة في الحي الشرقي بحضور الأهالي.",
};

const ENGLISH: Tables = Tables {
    name: "en",
    uses: &[
        "Used",
        "This image is used",
        "Photos on this site are published",
        "This article is reproduced",
    ],
    unders: &[
        "under section",
        "under Section",
        "pursuant to section",
        "in accordance with Section",
        "under s.",
        "as permitted by section",
        "relying on Section",
    ],
    sections: &["27A", "27a"],
    bad_sections: &["27(a)", "27", "28A"],
    law_prefix: "of the ",
    years: &[", 2007", " 2007", " 5768-2007", ""],
    bad_years: &[", 2008", " 1911"],
    invitations: &[
        ". Owners may ask us to stop: {c}",
        ". To request removal contact {c}",
        "; rights holders can write to {c}",
    ],
    contacts: &[
        "rights@kafr-news.co.il",
        "https://kafr-news.co.il/contact",
        "+972-4-655-1234",
    ],
    bad_contacts: &["rights@kafr-news.co,il", "rights@@kafr-news.co.il"],
    lead: "The council approved next year's budget on Monday after a long debate.",
};

/// The Act's names the pack lists, in one script.
fn act_names(script: &str) -> Vec<String> {
    let yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/il-27a.yaml"))
        .expect("the pack");
    let pack: Value = serde_saphyr::from_str(&yaml).expect("the pack is YAML");
    let names = pack["define"]["law-name"]["phrases"]
        .as_array()
        .expect("law-name lists phrases");
    names
        .iter()
        .filter_map(Value::as_str)
        .filter(|n| match script {
            "he" => n.chars().any(|c| ('\u{05D0}'..='\u{05EA}').contains(&c)),
            "ar" => n.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c)),
            _ => n.is_ascii(),
        })
        .map(str::to_string)
        .collect()
}

/// One notice: the slot values, by index into each table.
#[derive(Clone)]
struct Notice<'a> {
    use_: &'a str,
    under: &'a str,
    section: &'a str,
    law: String,
    year: &'a str,
    invitation: Option<String>,
}

impl Notice<'_> {
    fn text(&self, prefix: &str) -> String {
        format!(
            "{} {} {} {prefix}{}{}{}",
            self.use_,
            self.under,
            self.section,
            self.law,
            self.year,
            self.invitation.as_deref().unwrap_or(".")
        )
    }
}

/// Every value of every slot, each against rotating values of the others.
fn crossed<'a>(t: &'a Tables, laws: &[String]) -> Vec<Notice<'a>> {
    let sizes = [
        t.uses.len(),
        t.unders.len(),
        t.sections.len(),
        laws.len(),
        t.years.len(),
        t.invitations.len(),
        t.contacts.len(),
    ];
    let rounds = sizes.iter().copied().max().unwrap_or(1);
    // Steps that are prime to every table size, so pairs vary.
    let steps = [1usize, 3, 5, 7, 11, 13, 17];
    let mut out = Vec::new();
    for slot in 0..sizes.len() {
        for i in 0..rounds.max(sizes[slot]) {
            let pick = |k: usize| {
                if k == slot {
                    i % sizes[k]
                } else {
                    (i * steps[k] + k) % sizes[k]
                }
            };
            out.push(Notice {
                use_: t.uses[pick(0)],
                under: t.unders[pick(1)],
                section: t.sections[pick(2)],
                law: laws[pick(3)].clone(),
                year: t.years[pick(4)],
                invitation: Some(t.invitations[pick(5)].replace("{c}", t.contacts[pick(6)])),
            });
        }
    }
    out
}

/// The notice placed in a document of each kind.
fn placed(t: &Tables, notice: &str) -> Vec<(&'static str, Kind, String)> {
    let escaped = notice
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let lang = t.name;
    vec![
        (
            "text footer",
            Kind::Text,
            format!("{}\n\n{}\n\n{notice}\n", t.lead, t.lead),
        ),
        (
            "html footer",
            Kind::Html,
            format!(
                "<html lang=\"{lang}\"><head><title>x</title></head><body><article><p>{}</p></article>\
                 <footer><p>{escaped}</p></footer></body></html>",
                t.lead
            ),
        ),
        (
            "html caption",
            Kind::Html,
            format!(
                "<html lang=\"{lang}\"><head><title>x</title></head><body><article><p>{}</p>\
                 <figure><img src=\"a.jpg\" alt=\"\"><figcaption>{escaped}</figcaption></figure>\
                 </article></body></html>",
                t.lead
            ),
        ),
        (
            "markdown",
            Kind::Markdown,
            format!("# x\n\n{}\n\n{notice}\n", t.lead),
        ),
    ]
}

fn engine() -> Engine {
    let pack = Pack::builtin("il-27a").expect("built in").expect("loads");
    Engine::new(vec![pack]).expect("engine")
}

fn profile() -> Profile {
    let mut profile = Profile::default();
    profile.required.insert("il-27a".to_string());
    profile
}

/// The rule ids found in a document, for a publisher that requires 27A.
fn rules_found(engine: &Engine, kind: Kind, text: String) -> Vec<String> {
    let doc = from_source("n", kind, text);
    engine
        .check_with(&doc, &profile())
        .findings
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// The rule ids found in each placement of `notice`, which must be
/// `expected` in every one; the failures, described.
fn check(engine: &Engine, t: &Tables, notice: &str, expected: &[&str], failures: &mut Vec<String>) {
    for (place, kind, text) in placed(t, notice) {
        let found = rules_found(engine, kind, text);
        if found != expected {
            failures.push(format!(
                "[{}/{place}] {notice}\n    expected {expected:?}, got {found:?}",
                t.name
            ));
        }
    }
}

fn report(failures: &[String], tried: usize) {
    assert!(
        failures.is_empty(),
        "{} of {tried} notices (each in 4 placements) were not read as expected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_form_the_pack_lists_is_a_notice_in_every_placement() {
    let engine = engine();
    let mut failures = Vec::new();
    let mut tried = 0;
    for t in [&HEBREW, &ARABIC, &ENGLISH] {
        let laws = act_names(t.name);
        assert!(laws.len() >= 2, "{}: {laws:?}", t.name);
        for notice in crossed(t, &laws) {
            tried += 1;
            check(&engine, t, &notice.text(t.law_prefix), &[], &mut failures);
        }
    }
    report(&failures, tried);
}

/// A page has one notice policy: a photo caption's short notice (no Act,
/// no contact) relies on the footer's full notice, however far apart.
#[test]
fn a_caption_notice_relies_on_the_footers_contact() {
    let engine = engine();
    let mut failures = Vec::new();
    let mut tried = 0;
    let captions = [
        (&HEBREW, "צילום: דנה לוי, שימוש לפי סעיף 27א"),
        (&ARABIC, "الصورة مستخدمة وفق البند 27 أ"),
        (&ENGLISH, "Photo: Dana Levi, used under section 27A"),
    ];
    for (t, caption) in captions {
        let laws = act_names(t.name);
        for notice in crossed(t, &laws).iter().step_by(9) {
            tried += 1;
            let footer = notice.text(t.law_prefix);
            let long = std::iter::repeat_n(t.lead, 8).collect::<Vec<_>>().join(" ");
            let html = format!(
                "<html><body><article><figure><img src=\"a.jpg\" alt=\"\"><figcaption>{caption}</figcaption></figure>\
                 <p>{long}</p><p>{long}</p></article><footer><p>{footer}</p></footer></body></html>"
            );
            let text = format!("{caption}\n\n{long}\n\n{long}\n\n{footer}\n");
            for (kind, doc) in [(Kind::Html, html), (Kind::Text, text)] {
                let found = rules_found(&engine, kind, doc);
                if !found.is_empty() {
                    failures.push(format!(
                        "[{}/{kind:?}] {caption} … {footer}\n    got {found:?}",
                        t.name
                    ));
                }
            }
        }
        // Without the footer's contact, the caption's notice lacks one.
        let found = rules_found(&engine, Kind::Text, format!("{caption}\n\n{}\n", t.lead));
        assert_eq!(found, [CONTACT_MISSING], "{caption}");
    }
    report(&failures, tried);
}

#[test]
fn a_defect_in_one_slot_is_reported_on_that_slot_alone() {
    let engine = engine();
    let mut failures = Vec::new();
    let mut tried = 0;
    for t in [&HEBREW, &ARABIC, &ENGLISH] {
        let laws = act_names(t.name);
        let base = crossed(t, &laws);
        let mut cases: Vec<(Notice<'_>, &str)> = Vec::new();
        for (i, bad) in t.bad_sections.iter().enumerate() {
            for n in base.iter().skip(i).step_by(7).take(6) {
                cases.push((
                    Notice {
                        section: bad,
                        ..n.clone()
                    },
                    SECTION_MALFORMED,
                ));
            }
        }
        for (i, bad) in t.bad_years.iter().enumerate() {
            for n in base.iter().skip(i).step_by(7).take(6) {
                cases.push((
                    Notice {
                        year: bad,
                        ..n.clone()
                    },
                    YEAR_MALFORMED,
                ));
            }
        }
        for (i, bad) in t.bad_contacts.iter().enumerate() {
            for (j, n) in base.iter().skip(i).step_by(7).take(6).enumerate() {
                let invitation = t.invitations[(i + j) % t.invitations.len()].replace("{c}", bad);
                cases.push((
                    Notice {
                        invitation: Some(invitation),
                        ..n.clone()
                    },
                    CONTACT_MALFORMED,
                ));
            }
        }
        for n in base.iter().step_by(5).take(12) {
            cases.push((
                Notice {
                    invitation: None,
                    ..n.clone()
                },
                CONTACT_MISSING,
            ));
        }
        for (notice, rule) in cases {
            tried += 1;
            check(
                &engine,
                t,
                &notice.text(t.law_prefix),
                &[rule],
                &mut failures,
            );
        }
    }
    report(&failures, tried);
}

/// The tables reach every slot value: a value added to a table is tested.
#[test]
fn the_crossing_covers_every_value() {
    for t in [&HEBREW, &ARABIC, &ENGLISH] {
        let laws = act_names(t.name);
        let notices = crossed(t, &laws);
        let seen = |f: &dyn Fn(&Notice<'_>) -> String| -> BTreeSet<String> {
            notices.iter().map(f).collect()
        };
        assert_eq!(seen(&|n| n.use_.to_string()).len(), t.uses.len());
        assert_eq!(seen(&|n| n.under.to_string()).len(), t.unders.len());
        assert_eq!(seen(&|n| n.section.to_string()).len(), t.sections.len());
        assert_eq!(seen(&|n| n.law.clone()).len(), laws.len());
        assert_eq!(seen(&|n| n.year.to_string()).len(), t.years.len());
    }
}
