//! Finding groups: the findings of one rule whose matched text folds to the
//! same string (case, diacritics, tatweel, spacing and digit scripts aside,
//! as rules match). A broken footer pasted into 4,312 articles is one
//! group of 4,312, which is how a newsroom finds a fix to make once, in a
//! template, instead of per file.

use std::collections::HashMap;

use super::Outcome;
use crate::finding::Severity;
use crate::load::DocId;
use crate::normalize::fold_str;

/// How many places a group lists.
pub const EXAMPLES: usize = 5;

/// One group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    /// The matched text of its first finding, as written there (empty for
    /// something missing).
    pub text: &'a str,
    /// Findings in the group.
    pub count: usize,
    /// Documents they are in (a JSON-lines record is one, as in the
    /// summary's file count).
    pub files: usize,
    /// The first places, in report order: document, line, column.
    pub examples: Vec<(&'a DocId, usize, usize)>,
}

/// Every group of two findings or more, largest first (then by the number
/// of documents, rule and text).
pub fn groups(outcome: &Outcome) -> Vec<Group<'_>> {
    let mut index: HashMap<(&str, String), usize> = HashMap::new();
    let mut all: Vec<(Group<'_>, Option<&DocId>)> = Vec::new();
    for (file, f) in outcome.findings() {
        // A finding read back from a report without its text (`clearance
        // merge` of JSON reports) is grouped by its message, which quotes it.
        let text = if f.matched.is_empty() && f.fingerprint.is_some() {
            &f.message
        } else {
            &f.matched
        };
        let key = (f.rule.as_str(), fold_str(text));
        let at = *index.entry(key).or_insert_with(|| {
            all.push((
                Group {
                    rule: &f.rule,
                    severity: f.severity,
                    text,
                    count: 0,
                    files: 0,
                    examples: Vec::new(),
                },
                None,
            ));
            all.len() - 1
        });
        let (group, last) = &mut all[at];
        group.count += 1;
        // Findings come document by document: a new document is a change.
        if *last != Some(&file.id) {
            group.files += 1;
            *last = Some(&file.id);
        }
        if group.examples.len() < EXAMPLES {
            group.examples.push((&file.id, f.line, f.column));
        }
    }
    let mut groups: Vec<Group<'_>> = all
        .into_iter()
        .map(|(g, _)| g)
        .filter(|g| g.count > 1)
        .collect();
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| b.files.cmp(&a.files))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.text.cmp(b.text))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    #[test]
    fn findings_of_one_rule_with_the_same_folded_text_are_one_group() {
        let mut outcome = fixture::outcome();
        // The Hebrew article's finding again, in two more documents, once
        // with other spacing and a tatweel-free variant of the same text.
        let copy = outcome.reports[1].clone();
        let first = copy.findings[0].matched.clone();
        let mut spaced = copy.clone();
        spaced.id = DocId::file("news/he-2.txt");
        spaced.findings[0].matched = first.replace(' ', "  ");
        let mut again = copy.clone();
        again.id = DocId::file("news/he-3.txt");
        again.findings.push(again.findings[0].clone());
        outcome.reports.push(spaced);
        outcome.reports.push(again);
        let groups = groups(&outcome);
        let top = &groups[0];
        assert_eq!(
            (top.rule, top.text),
            (copy.findings[0].rule.as_str(), first.as_str())
        );
        assert_eq!((top.count, top.files), (4, 3));
        let places: Vec<String> = top
            .examples
            .iter()
            .map(|(id, l, _)| format!("{id}:{l}"))
            .collect();
        assert_eq!(places.len(), 4);
        assert_eq!(places[0], format!("news/he.txt:{}", copy.findings[0].line));
        // A finding alone is no group.
        assert!(groups.iter().all(|g| g.count > 1));
    }
}
