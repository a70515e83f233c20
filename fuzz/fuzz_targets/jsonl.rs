//! JSON lines (src/load/jsonl.rs): one result per line that is not blank,
//! in order, each named `dump.jsonl:LINE` for its own line; a record's text
//! is its line, its origin is the line's offset in the dump, its regions lie
//! within the line and fold back into it; a problem's span lies inside the
//! text it carries. The built-in packs' findings on each record point at
//! text of it.

#![no_main]

use clearance::load::jsonl::{Fields, read};
use clearance_fuzz::{assert_document, assert_findings, assert_problem, builtin_engine};
use libfuzzer_sys::fuzz_target;

/// Small enough that generated inputs reach the per-record cap.
const MAX_RECORD: u64 = 4096;

fuzz_target!(|data: &[u8]| {
    // The lines that must give a result: (number, start offset, bytes
    // without the line break).
    let mut expected = Vec::new();
    let mut start = 0;
    for (i, line) in data.split_inclusive(|&b| b == b'\n').enumerate() {
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let raw = &line[..end];
        if !raw.iter().all(u8::is_ascii_whitespace) {
            expected.push((i + 1, start, raw));
        }
        start += line.len();
    }

    let mut results = Vec::new();
    read(
        &mut &data[..],
        "dump.jsonl",
        &Fields::default(),
        MAX_RECORD,
        &mut |r| results.push(r),
    );
    assert_eq!(
        results.len(),
        expected.len(),
        "one result per non-blank line"
    );
    for (result, &(number, start, raw)) in results.iter().zip(&expected) {
        let name = format!("dump.jsonl:{number}");
        match result {
            Ok(doc) => {
                assert_eq!(doc.path, name);
                assert_eq!(doc.source.as_bytes(), raw, "{name}: the record's text");
                assert_eq!(doc.line_base, number - 1, "{name}: line base");
                assert_eq!(doc.origin.original(&doc.source, 0), start, "{name}: origin");
                assert!(!doc.regions.is_empty(), "{name}: a record without regions");
                assert_document(doc, data.len());
                let checked = builtin_engine().check(doc);
                assert_findings(doc, &checked.findings);
                for f in &checked.findings {
                    assert!(
                        f.file_span.end <= start + raw.len(),
                        "{name}: {} reaches past its line: {:?}",
                        f.rule,
                        f.file_span
                    );
                }
            }
            Err(problem) => {
                assert_eq!(problem.path, name);
                assert_problem(problem);
            }
        }
    }
});
