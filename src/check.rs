//! One document through the whole check: the rules its profile runs, then
//! its inline suppressions, then the baseline. `clearance check`, `rules
//! test` and library users all go through [`check_document`], so a pack
//! example or a library caller sees what `clearance check` reports.

use std::collections::BTreeMap;

use crate::finding::Finding;
use crate::load::{Document, InputProblem};
use crate::matcher::{Engine, Profile};
use crate::suppress::{self, Baseline};

/// What one document's check found.
#[derive(Clone, Debug, Default)]
pub struct DocumentReport {
    /// Findings the suppressions and the baseline leave, by position;
    /// `clearance/unused-suppression` for a directive that silenced nothing.
    pub findings: Vec<Finding>,
    /// What is worth knowing but fails nothing: the loader's notes (a page's
    /// JSON-LD block not read), then the engine's (rules stopped early).
    pub notes: Vec<InputProblem>,
    /// Per rule, findings counted but not reported (over the limit per
    /// rule and document).
    pub dropped: BTreeMap<String, usize>,
    /// Findings the baseline hid.
    pub baselined: usize,
}

/// Checks `doc` with the rules `profile` leaves on, applies its inline
/// suppressions (front matter, `clearance-ignore` comments) and then
/// `baseline`.
pub fn check_document(
    engine: &Engine,
    doc: &Document,
    profile: &Profile,
    baseline: Option<&Baseline>,
) -> DocumentReport {
    let checked = engine.check_with(doc, profile);
    let mut findings = checked.findings;
    let mut notes = doc.notes.clone();
    notes.extend(checked.notes);
    suppress::apply(&mut findings, &suppress::directives(doc, doc.kind), doc);
    let baselined = baseline.map_or(0, |b| b.filter(&doc.id, &mut findings));
    if let Some(fields) = &doc.fields {
        for f in &mut findings {
            f.field = fields.place(&f.span).map(Box::new);
        }
    }
    DocumentReport {
        findings,
        notes,
        dropped: checked.dropped,
        baselined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Kind, from_source};
    use crate::pack::Pack;

    fn engine() -> Engine {
        let yaml = "pack: house\nrules:\n  - id: promo\n    severity: warning\n    message: \"promotion «{match}»\"\n    forbid: { phrases: [subscribe now] }\n";
        Engine::new(vec![Pack::from_yaml("house.yaml", yaml).unwrap()]).unwrap()
    }

    /// The engine alone reports what a comment silences; the document's
    /// check does not, and says which directive silenced nothing.
    #[test]
    fn suppressions_apply_to_a_documents_check() {
        let text = "<!-- clearance-ignore house/promo -->\nSubscribe now!\n\nSubscribe now!\n\n<!-- clearance-ignore house/other -->\nText.\n";
        let doc = from_source("a.md", Kind::Markdown, text.to_string());
        let engine = engine();
        let raw: Vec<usize> = engine.check(&doc).findings.iter().map(|f| f.line).collect();
        assert_eq!(raw, [2, 4]);
        let report = check_document(&engine, &doc, &Profile::default(), None);
        let kept: Vec<(&str, usize)> = report
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.line))
            .collect();
        assert_eq!(kept, [("house/promo", 4), (suppress::UNUSED, 6)]);
    }
}
