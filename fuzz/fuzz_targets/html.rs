//! The HTML loader (src/load/html.rs, through `load::from_bytes` so the
//! declared charset and decoding run too): every region's segments lie
//! within the decoded text on character boundaries, each region's fold maps
//! back inside it, the offsets map monotonically into the file, problems
//! point inside their text, and the built-in packs' findings on the page
//! point at text of it.

#![no_main]

use clearance::load::{Kind, from_bytes};
use clearance_fuzz::{assert_document, assert_findings, builtin_engine};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let doc = from_bytes("page.html", Kind::Html, data);
    assert_eq!(doc.kind, Kind::Html);
    assert_document(&doc, data.len());
    for region in &doc.regions {
        assert!(!region.name.is_empty(), "a region without a name");
    }
    let checked = builtin_engine().check(&doc);
    assert_findings(&doc, &checked.findings);
});
