//! Using Clearance as a library: compile a pack from a string, check one
//! article held in memory, print the findings.
//!
//! Run with `cargo run --example library`.

use clearance::load::{Kind, from_source};
use clearance::matcher::Profile;
use clearance::{Engine, Pack, check_document};

const HOUSE_PACK: &str = r#"
pack: house
title: House rules for republished copy
rules:
  - id: read-more
    severity: warning
    message: leftover «{match}» from the source outlet
    forbid: { phrases: ["Read more:", "اقرأ أيضا", "طالع أيضا", "קראו עוד"] }
"#;

fn main() -> miette::Result<()> {
    let house = Pack::from_yaml("house.yaml", HOUSE_PACK).map_err(|e| miette::Report::new(*e))?;
    let il27a = Pack::builtin("il-27a")
        .expect("il-27a is built in")
        .map_err(|e| miette::Report::new(*e))?;
    let engine = Engine::new(vec![il27a, house])?;

    let article = "مهرجان الربيع يعود إلى الناصرة\n\n\
        افتتح المهرجان مساء الجمعة بمشاركة فرق محلية.\n\n\
        طالع أيضا: برنامج العروض الكامل\n\n\
        يتم استخدام المواد وفقًا للمادة 27 أ من قانون حقوق التأليف والنشر 2007، \
        للتواصل: info@alnas\n";
    let doc = from_source("spring-festival.txt", Kind::Text, article.to_string());
    // The rules, then the article's own suppressions (none here), then a
    // baseline (none), as `clearance check` does.
    for f in check_document(&engine, &doc, &Profile::default(), None).findings {
        println!(
            "{}:{}:{} {} [{}] {}",
            doc.id, f.line, f.column, f.severity, f.rule, f.message
        );
    }
    Ok(())
}
