//! Silencing findings on purpose: inline directives, front matter, and a
//! baseline of known findings.
//!
//! - `<!-- clearance-ignore RULE… -->` (Markdown, HTML) silences the block
//!   that follows it; `<!-- clearance-ignore-file RULE… -->` the whole file.
//! - front matter `clearance: { ignore: [RULE…] }` silences the whole file.
//!
//! RULE is a rule id (`il-27a/contact-missing`), a pack name (`il-27a`) or
//! `*`. A directive that silences nothing is reported (`clearance/unused-suppression`,
//! info), so stale ones do not pile up.
//!
//! A baseline holds fingerprints of known findings: rule, path and the text
//! matched (whitespace folded), not line numbers, so edits elsewhere in the
//! file keep it valid.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use crate::doc_id::DocId;
use crate::finding::{Finding, Severity};
use crate::load::{Document, Kind};
use crate::source::LineIndex;

/// Region holding the front-matter `clearance.ignore` list.
pub const FRONT_MATTER_REGION: &str = "clearance.ignore";
/// Rule id of the unused-suppression report.
pub const UNUSED: &str = "clearance/unused-suppression";

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*clearance-ignore(?P<file>-file)?(?P<rules>(?:\s+[^\s>]+?)*)\s*-->")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// End of the block after a directive: a blank line, or a closing block tag.
static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\n[ \t]*\r?\n|</(?:p|div|li|ul|ol|h[1-6]|footer|figure|figcaption|section|article|blockquote|td|tr|table|aside|header)\s*>")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// One silencing instruction found in a document.
#[derive(Debug, Clone)]
pub struct Directive {
    /// What it names: a rule id, a pack name or `*`.
    pub rule: String,
    /// Where it is written.
    pub at: Range<usize>,
    /// The source range it covers.
    pub covers: Range<usize>,
}

impl Directive {
    fn silences(&self, f: &Finding) -> bool {
        let names = self.rule == "*"
            || self.rule == f.rule
            || f.rule
                .split_once('/')
                .is_some_and(|(pack, _)| pack == self.rule);
        names && self.covers.contains(&f.span.start)
    }
}

/// The directives of a document.
pub fn directives(doc: &Document, kind: Kind) -> Vec<Directive> {
    let mut out = Vec::new();
    // File-wide: also covers findings placed at the very end of the text.
    let whole = 0..usize::MAX;
    if let Some(region) = doc.regions.iter().find(|r| r.name == FRONT_MATTER_REGION) {
        for seg in &region.segments {
            let text = seg.text.as_deref().unwrap_or(&doc.source[seg.src.clone()]);
            out.push(Directive {
                rule: text.trim().to_string(),
                at: seg.src.clone(),
                covers: whole.clone(),
            });
        }
    }
    if matches!(kind, Kind::Markdown | Kind::Html) {
        for caps in DIRECTIVE.captures_iter(&doc.source) {
            let Some(m) = caps.get(0) else { continue };
            let covers = if caps.name("file").is_some() {
                whole.clone()
            } else {
                let rest = &doc.source[m.end()..];
                // Skip the blank lines between the directive and its block.
                let lead = rest.len() - rest.trim_start().len();
                let end = BLOCK_END
                    .find(&rest[lead..])
                    .map_or(doc.source.len(), |b| m.end() + lead + b.end());
                m.end()..end
            };
            let rules = caps.name("rules").map_or("", |r| r.as_str());
            for rule in rules
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|r| !r.is_empty())
            {
                out.push(Directive {
                    rule: rule.to_string(),
                    at: m.range(),
                    covers: covers.clone(),
                });
            }
        }
    }
    out
}

/// Drops silenced findings and adds one info finding per directive that
/// silenced nothing.
pub fn apply(findings: &mut Vec<Finding>, directives: &[Directive], doc: &Document) {
    if directives.is_empty() {
        return;
    }
    let mut used = vec![false; directives.len()];
    findings.retain(|f| {
        let mut keep = true;
        for (i, d) in directives.iter().enumerate() {
            if d.silences(f) {
                used[i] = true;
                keep = false;
            }
        }
        keep
    });
    let lines = LineIndex::new(&doc.source);
    for (d, _) in directives.iter().zip(used).filter(|(_, u)| !u) {
        let mut f = Finding::new(
            UNUSED,
            Severity::Info,
            d.at.clone(),
            format!("this suppression of «{}» silences nothing", d.rule),
            "unused".to_string(),
            Some("remove it, or check the rule id (see `clearance rules list`)".to_string()),
        );
        f.locate(&doc.source, &lines, &doc.origin, doc.line_base);
        findings.push(f);
    }
    findings.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
}

/// The fingerprint of `finding` in the document `id`: what baselines,
/// `--compare` and SARIF know it by. A JSON-lines record with an id is
/// known by that id, so its findings keep their fingerprints in whichever
/// dump, shard or line it sits.
pub fn fingerprint_of(id: &DocId, finding: &Finding) -> String {
    match &finding.fingerprint {
        Some(known) => known.clone(),
        None => fingerprint(&finding.rule, &id.identity(), &finding.matched),
    }
}

/// A stable, platform-independent fingerprint of a finding (FNV-1a, 64 bits):
/// rule, path (or record id) and the matched text with whitespace folded.
pub fn fingerprint(rule: &str, path: &str, matched: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(rule.as_bytes());
    feed(&[0]);
    feed(path.replace('\\', "/").as_bytes());
    feed(&[0]);
    for (i, word) in matched.split_whitespace().enumerate() {
        if i > 0 {
            feed(b" ");
        }
        feed(word.as_bytes());
    }
    format!("{hash:016x}")
}

/// A baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
    /// Per document (path, or record id), the indices of its entries in
    /// `findings`: built on first use, so that each document reads only its
    /// own entries.
    #[serde(skip)]
    by_path: OnceLock<HashMap<(bool, String), Vec<usize>>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file (or `file:line` for a record without an id).
    pub path: String,
    /// A JSON-lines record's id: the entry is matched by it, not by
    /// `path`, so one baseline serves the whole corpus or any shard of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub rule: String,
    pub fingerprint: String,
    /// For people reading the file; not used for matching.
    pub message: String,
}

impl Baseline {
    /// A baseline (version 1) of these entries.
    pub fn new(findings: Vec<BaselineEntry>) -> Baseline {
        Baseline {
            version: 1,
            findings,
            by_path: OnceLock::new(),
        }
    }

    /// Removes findings the baseline knows (each entry absorbs one finding);
    /// returns how many were removed. Reads only the entries of `id`: those
    /// of its record id when it has one, else of its path.
    pub fn filter(&self, id: &DocId, findings: &mut Vec<Finding>) -> usize {
        let by_path = self.by_path.get_or_init(|| {
            let mut index: HashMap<(bool, String), Vec<usize>> = HashMap::new();
            for (i, e) in self.findings.iter().enumerate() {
                let key = match &e.record {
                    Some(record) => (true, record.clone()),
                    None => (false, e.path.clone()),
                };
                index.entry(key).or_default().push(i);
            }
            index
        });
        let key = match &id.key {
            Some(record) => (true, record.clone()),
            None => (false, id.to_string()),
        };
        let Some(entries) = by_path.get(&key) else {
            return 0;
        };
        // Rule, then fingerprint: how many findings each can still absorb.
        let mut known: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for &i in entries {
            crate::work::add(1);
            let e = &self.findings[i];
            *known
                .entry(e.rule.as_str())
                .or_default()
                .entry(e.fingerprint.as_str())
                .or_default() += 1;
        }
        if known.is_empty() {
            return 0;
        }
        let before = findings.len();
        findings.retain(|f| {
            let fp = fingerprint_of(id, f);
            match known
                .get_mut(f.rule.as_str())
                .and_then(|by_fp| by_fp.get_mut(fp.as_str()))
            {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::from_source;
    use crate::work;

    fn finding(rule: &str, span: Range<usize>) -> Finding {
        Finding::new(
            rule,
            Severity::Error,
            span,
            String::new(),
            String::new(),
            None,
        )
    }

    #[test]
    fn next_block_and_file_wide_directives() {
        let md = "Intro.\n\n<!-- clearance-ignore il-27a/contact-missing -->\nNotice paragraph\nstill it.\n\nLater paragraph.\n<!-- clearance-ignore-file residue -->\n";
        let doc = from_source("a.md", Kind::Markdown, md.to_string());
        let ds = directives(&doc, Kind::Markdown);
        assert_eq!(ds.len(), 2);
        let notice = md.find("Notice").unwrap();
        let later = md.find("Later").unwrap();
        let mut fs = vec![
            finding("il-27a/contact-missing", notice + 3..notice + 9),
            finding("il-27a/contact-missing", later..later + 5),
            finding("residue/read-also", 0..5),
        ];
        apply(&mut fs, &ds, &doc);
        let left: Vec<(&str, usize)> = fs.iter().map(|f| (f.rule.as_str(), f.span.start)).collect();
        assert_eq!(left, [("il-27a/contact-missing", later)]);
    }

    #[test]
    fn unused_directives_are_reported() {
        let md = "---\ntitle: T\nclearance:\n  ignore: [il-27a/notice-missing]\n---\nText.\n<!-- clearance-ignore nothing/here -->\nMore.\n";
        let doc = from_source("a.md", Kind::Markdown, md.to_string());
        let ds = directives(&doc, Kind::Markdown);
        assert_eq!(
            ds.iter().map(|d| d.rule.as_str()).collect::<Vec<_>>(),
            ["il-27a/notice-missing", "nothing/here"]
        );
        let mut fs = vec![finding("il-27a/notice-missing", md.len()..md.len())];
        apply(&mut fs, &ds, &doc);
        assert_eq!(fs.len(), 1);
        assert_eq!(fs[0].rule, UNUSED);
        assert_eq!(
            &md[fs[0].span.clone()],
            "<!-- clearance-ignore nothing/here -->"
        );
        assert_eq!(fs[0].severity, Severity::Info);
    }

    #[test]
    fn plain_text_has_no_directives() {
        let doc = from_source(
            "a.txt",
            Kind::Text,
            "<!-- clearance-ignore * -->\nx".to_string(),
        );
        assert!(directives(&doc, Kind::Text).is_empty());
    }

    #[test]
    fn fingerprints_ignore_whitespace_and_position() {
        let a = fingerprint("r/x", "a/b.md", "info@x  \n com");
        assert_eq!(a, fingerprint("r/x", "a/b.md", "info@x com"));
        assert_ne!(a, fingerprint("r/y", "a/b.md", "info@x com"));
        assert_ne!(a, fingerprint("r/x", "a/c.md", "info@x com"));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn baseline_absorbs_each_known_finding_once() {
        let src = "xx info@a yy info@a";
        let fp = fingerprint("r/x", "p", "info@a");
        let base = Baseline::new(vec![BaselineEntry {
            path: "p".into(),
            record: None,
            rule: "r/x".into(),
            fingerprint: fp,
            message: String::new(),
        }]);
        let mut fs = vec![finding("r/x", 3..9), finding("r/x", 13..19)];
        for f in &mut fs {
            f.matched = src[f.span.clone()].to_string();
        }
        assert_eq!(base.filter(&DocId::file("p"), &mut fs), 1);
        assert_eq!(fs.len(), 1);
    }

    #[test]
    fn each_document_reads_only_its_own_baseline_entries() {
        // 3 entries for each of 5,000 paths.
        let entries: Vec<BaselineEntry> = (0..15_000)
            .map(|i| {
                let path = format!("news/{}.txt", i % 5_000);
                BaselineEntry {
                    fingerprint: fingerprint("r/x", &path, &format!("info{i}@a")),
                    path,
                    record: None,
                    rule: "r/x".into(),
                    message: String::new(),
                }
            })
            .collect();
        let base = Baseline::new(entries);
        work::take();
        let mut absorbed = 0;
        for n in 0..5_000 {
            let path = format!("news/{n}.txt");
            let mut fs: Vec<Finding> = [n, n + 5_000, n + 10_000, n + 1]
                .iter()
                .map(|i| {
                    let mut f = finding("r/x", 0..1);
                    f.matched = format!("info{i}@a");
                    f
                })
                .collect();
            absorbed += base.filter(&DocId::file(path.clone()), &mut fs);
            // The fourth finding belongs to the next path's entries.
            assert_eq!(fs.len(), 1, "{path}");
        }
        assert_eq!(absorbed, 15_000);
        // Three entries read per document, not all 15,000.
        assert_eq!(work::take(), 15_000);
        let mut fs = vec![finding("r/x", 0..1)];
        assert_eq!(base.filter(&DocId::file("elsewhere.txt"), &mut fs), 0);
    }
}
