//! Evaluating rules on one document.
//!
//! Each region a rule reads is folded once, searched once by the automaton
//! and once by the RegexSet; matcher nodes are then evaluated lazily, each at
//! most once per region (`RegionEval::cache`).

use std::cell::OnceCell;
use std::ops::Range;
use std::rc::Rc;

use super::contact::{self, Contact};
use super::{Engine, Script, is_clitic_prefix};
use std::collections::{BTreeMap, BTreeSet};

use crate::finding::{Finding, Severity};
use crate::load::Document;
use crate::normalize::Folded;
use crate::pack::{Check, Node, NodeId, Rule, RuleKind, Side};
use crate::source::LineIndex;

/// One match of a matcher node, in folded-text offsets.
#[derive(Clone, Debug)]
struct Hit<'e> {
    range: Range<usize>,
    caps: Vec<(&'e str, Cap)>,
}

#[derive(Clone, Debug)]
enum Cap {
    Span(Range<usize>),
    Text(&'static str),
}

impl Hit<'_> {
    fn cap(&self, name: &str) -> Option<&Cap> {
        self.caps.iter().find(|(n, _)| *n == name).map(|(_, c)| c)
    }
}

type Hits<'e> = Rc<[Hit<'e>]>;

/// Findings of one document.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
}

struct RegionEval<'e> {
    name: &'e str,
    folded: Folded,
    /// Phrase hits per node, filled by the automaton pass.
    phrase_hits: Vec<Vec<Hit<'e>>>,
    /// Which regex slots can match (from the RegexSet), computed on first use.
    regex_hits: OnceCell<Vec<bool>>,
    contacts: OnceCell<Vec<Contact>>,
    cache: Vec<OnceCell<Hits<'e>>>,
}

/// Which rules run on one document, and at what severity (from the
/// configuration's overrides). The default runs every rule as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Packs switched off.
    pub off_packs: BTreeSet<String>,
    /// Per-rule severity; `None` switches the rule off.
    pub severity: BTreeMap<String, Option<Severity>>,
}

impl Profile {
    /// The severity `rule` runs at, or `None` when it is off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        let pack = rule.id.split('/').next().unwrap_or_default();
        if self.off_packs.contains(pack) {
            return None;
        }
        match self.severity.get(&rule.id) {
            Some(level) => *level,
            None => Some(rule.severity),
        }
    }
}

impl Engine {
    /// Runs every active rule on `doc`.
    pub fn check(&self, doc: &Document) -> Checked {
        self.check_with(doc, &Profile::default())
    }

    /// Runs the rules `profile` leaves on, at the severities it sets.
    pub fn check_with(&self, doc: &Document, profile: &Profile) -> Checked {
        let active: Vec<(&Rule, Severity)> = self
            .rules()
            .filter_map(|r| profile.severity_of(r).map(|s| (r, s)))
            .collect();
        let wanted = |name: &str| {
            active
                .iter()
                .any(|(r, _)| r.scope.iter().any(|s| s.admits(name)))
        };
        let regions: Vec<RegionEval<'_>> = doc
            .regions
            .iter()
            .filter(|r| wanted(&r.name))
            .map(|r| self.prepare(&r.name, r.fold(&doc.source)))
            .collect();
        // SAFETY of lifetimes: region names borrow `doc`, caps borrow `self`;
        // both outlive this call.
        let mut out = Vec::new();
        for &(rule, severity) in &active {
            let scoped: Vec<&RegionEval<'_>> = regions
                .iter()
                .filter(|r| rule.scope.iter().any(|s| s.admits(r.name)))
                .collect();
            if let Some(when) = rule.when
                && scoped.iter().all(|r| self.eval(r, when).is_empty())
            {
                continue;
            }
            self.apply(rule, severity, &scoped, doc, &mut out);
        }
        out.sort_by(|a, b| {
            (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
        });
        out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
        if !out.is_empty() {
            let lines = LineIndex::new(&doc.source);
            for f in &mut out {
                f.locate(&doc.source, &lines, &doc.origin, doc.line_base);
            }
        }
        Checked { findings: out }
    }

    fn prepare<'e>(&'e self, name: &'e str, folded: Folded) -> RegionEval<'e> {
        let text = folded.text();
        let mut phrase_hits: Vec<Vec<Hit<'e>>> = vec![Vec::new(); self.nodes.len()];
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                let p = m.pattern().as_usize();
                if !self.on_boundaries(text, m.start(), m.end(), p) {
                    continue;
                }
                for &owner in &self.pattern_owners[p] {
                    phrase_hits[owner].push(Hit {
                        range: m.start()..m.end(),
                        caps: Vec::new(),
                    });
                }
            }
        }
        let cache = (0..self.nodes.len()).map(|_| OnceCell::new()).collect();
        RegionEval {
            name,
            folded,
            phrase_hits,
            regex_hits: OnceCell::new(),
            contacts: OnceCell::new(),
            cache,
        }
    }

    fn on_boundaries(&self, text: &str, start: usize, end: usize, pattern: usize) -> bool {
        let edges = self.pattern_edges[pattern];
        if edges.right
            && text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            return false;
        }
        let Some(script) = edges.left else {
            return true;
        };
        let before = &text[..start];
        if !before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            return true;
        }
        if script == Script::Other {
            return false;
        }
        // The letters glued in front must be clitics of the phrase's script.
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        is_clitic_prefix(&before[word_start..], script)
    }

    /// Contacts in a region: all of them, or (when rules only look for
    /// contacts near some anchor) those in windows around the anchors' hits.
    fn find_contacts<'e>(&'e self, region: &RegionEval<'e>) -> Vec<Contact> {
        let text = region.folded.text();
        let Some(anchors) = &self.contact_anchors else {
            return contact::find_contacts(text);
        };
        // A character is at most 4 bytes; the margin keeps a contact that a
        // window edge cuts far beyond any anchor's reach, so it can be dropped.
        const MARGIN: usize = 512;
        let mut windows: Vec<Range<usize>> = Vec::new();
        for &(anchor, within) in anchors {
            for hit in self.eval(region, anchor).iter() {
                let reach = within.saturating_mul(4) + MARGIN;
                windows.push(
                    hit.range.start.saturating_sub(reach)..(hit.range.end + reach).min(text.len()),
                );
            }
        }
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let mut out = Vec::new();
        for w in merged {
            let mut start = w.start;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = w.end;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            for mut c in contact::find_contacts(&text[start..end]) {
                // A candidate touching a cut edge may be truncated; it lies
                // beyond every anchor's reach anyway.
                let cut = (c.range.start == 0 && start > 0)
                    || (c.range.end == end - start && end < text.len());
                if !cut {
                    c.range = start + c.range.start..start + c.range.end;
                    out.push(c);
                }
            }
        }
        out
    }

    fn eval<'e>(&'e self, region: &RegionEval<'e>, node: NodeId) -> Hits<'e> {
        region.cache[node]
            .get_or_init(|| self.compute(region, node).into())
            .clone()
    }

    fn compute<'e>(&'e self, region: &RegionEval<'e>, node: NodeId) -> Vec<Hit<'e>> {
        let text = region.folded.text();
        match &self.nodes[node] {
            Node::Phrases(_) => region.phrase_hits[node].clone(),
            Node::Regex { re, .. } => {
                let slot =
                    self.regex_slot[node].unwrap_or_else(|| unreachable!("every regex has a slot"));
                if let Some(set) = &self.regex_set {
                    let possible = region.regex_hits.get_or_init(|| {
                        let mut hits = vec![false; set.len()];
                        for i in set.matches(text).iter() {
                            hits[i] = true;
                        }
                        hits
                    });
                    if !possible[slot] {
                        return Vec::new();
                    }
                }
                regex_hits(re, text)
            }
            Node::Contact { kinds, broken } => region
                .contacts
                .get_or_init(|| self.find_contacts(region))
                .iter()
                .filter(|c| match c.kind {
                    contact::ContactKind::Email => kinds.email,
                    contact::ContactKind::Url => kinds.url,
                    contact::ContactKind::Phone => kinds.phone,
                })
                .filter(|c| broken.is_none_or(|b| b == c.problem.is_some()))
                .map(|c| {
                    let mut caps = vec![("kind", Cap::Text(c.kind.as_str()))];
                    if let Some(problem) = c.problem {
                        caps.push(("problem", Cap::Text(problem)));
                    }
                    Hit {
                        range: c.range.clone(),
                        caps,
                    }
                })
                .collect(),
            Node::Any(ids) => {
                let mut all: Vec<Hit<'e>> = ids
                    .iter()
                    .flat_map(|&id| self.eval(region, id).to_vec())
                    .collect();
                all.sort_by_key(|h| (h.range.start, h.range.end));
                all.dedup_by(|a, b| a.range == b.range);
                all
            }
            Node::All(ids) => {
                let (first, rest) = ids
                    .split_first()
                    .unwrap_or_else(|| unreachable!("`all` is never empty"));
                if rest.iter().all(|&id| !self.eval(region, id).is_empty()) {
                    self.eval(region, *first).to_vec()
                } else {
                    Vec::new()
                }
            }
            Node::Not(id) => {
                if self.eval(region, *id).is_empty() {
                    vec![Hit {
                        range: 0..0,
                        caps: Vec::new(),
                    }]
                } else {
                    Vec::new()
                }
            }
            Node::Near { a, b, within, side } => {
                let bs = self.eval(region, *b);
                if bs.is_empty() {
                    return Vec::new();
                }
                self.eval(region, *a)
                    .iter()
                    .filter_map(|ha| {
                        let hb = nearest(text, &ha.range, &bs, *within, *side)?;
                        let mut caps = ha.caps.clone();
                        caps.extend(hb.caps.iter().cloned());
                        Some(Hit {
                            range: ha.range.clone(),
                            caps,
                        })
                    })
                    .collect()
            }
        }
    }

    fn apply<'e>(
        &'e self,
        rule: &'e Rule,
        severity: Severity,
        regions: &[&RegionEval<'e>],
        doc: &Document,
        out: &mut Vec<Finding>,
    ) {
        let mut report = |span: Range<usize>, message: String, label: String| {
            out.push(Finding::new(
                &rule.id,
                severity,
                span,
                message,
                label,
                rule.help.clone(),
            ));
        };
        match &rule.kind {
            RuleKind::Require(node) => {
                if regions.iter().all(|r| self.eval(r, *node).is_empty()) {
                    // Point at the end of the last region read: where a footer notice belongs.
                    let end = regions
                        .iter()
                        .filter(|r| !r.folded.is_empty())
                        .map(|r| r.folded.to_source(0..r.folded.text().len()).end)
                        .max()
                        .unwrap_or(0);
                    let message = interpolate(&rule.message, &[], None, None, doc, None);
                    report(end..end, message, "not found in this document".to_string());
                }
            }
            RuleKind::Forbid { node, checks } => {
                for region in regions {
                    for hit in self.eval(region, *node).iter() {
                        let failed = checks.iter().find_map(|c| failing(c, hit, region));
                        if !checks.is_empty() && failed.is_none() {
                            continue;
                        }
                        let span = region.folded.to_source(hit.range.clone());
                        let found =
                            failed.map(|(check, range)| (check, region.folded.to_source(range)));
                        let message = interpolate(
                            &rule.message,
                            &hit.caps,
                            Some(&span),
                            found.as_ref().map(|(c, r)| (*c, r)),
                            doc,
                            Some(region),
                        );
                        let label = match &found {
                            Some((check, r)) => format!(
                                "found «{}», expected {}",
                                quote(&doc.source[r.clone()]),
                                check.expected
                            ),
                            None => format!("«{}»", quote(&doc.source[span.clone()])),
                        };
                        report(span, message, label);
                    }
                }
            }
            RuleKind::Around {
                anchor,
                require,
                within,
            } => {
                for region in regions {
                    let needed = self.eval(region, *require);
                    for hit in self.eval(region, *anchor).iter() {
                        if nearest(
                            region.folded.text(),
                            &hit.range,
                            &needed,
                            *within,
                            Side::Either,
                        )
                        .is_some()
                        {
                            continue;
                        }
                        let span = region.folded.to_source(hit.range.clone());
                        let message = interpolate(
                            &rule.message,
                            &hit.caps,
                            Some(&span),
                            None,
                            doc,
                            Some(region),
                        );
                        let label = format!(
                            "«{}»: nothing found within {within} characters",
                            quote(&doc.source[span.clone()])
                        );
                        report(span, message, label);
                    }
                }
            }
        }
    }
}

fn regex_hits<'e>(re: &'e regex::Regex, text: &str) -> Vec<Hit<'e>> {
    let named: Vec<(usize, &'e str)> = re
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .collect();
    if named.is_empty() {
        return re
            .find_iter(text)
            .map(|m| Hit {
                range: m.range(),
                caps: Vec::new(),
            })
            .collect();
    }
    // Find matches with the fast engines first; resolve captures only inside
    // each match (a capture search over a whole article is many times slower).
    re.find_iter(text)
        .map(|m| {
            let (base, caps) = match re.captures(&text[m.range()]) {
                Some(c) if c.get(0).is_some_and(|c0| c0.len() == m.len()) => (m.start(), c),
                _ => match re.captures_at(text, m.start()) {
                    Some(c) => (0, c),
                    None => {
                        return Hit {
                            range: m.range(),
                            caps: Vec::new(),
                        };
                    }
                },
            };
            let shift = |r: Range<usize>| base + r.start..base + r.end;
            Hit {
                // A capture named `at` narrows the match (regexes have no look-around).
                range: caps.name("at").map_or(m.range(), |at| shift(at.range())),
                caps: named
                    .iter()
                    .filter_map(|&(i, name)| {
                        caps.get(i).map(|c| (name, Cap::Span(shift(c.range()))))
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The closest hit of `candidates` to `anchor`, within `within` characters on `side`.
fn nearest<'h, 'e>(
    text: &str,
    anchor: &Range<usize>,
    candidates: &'h [Hit<'e>],
    within: usize,
    side: Side,
) -> Option<&'h Hit<'e>> {
    candidates
        .iter()
        .filter_map(|h| {
            let before_ok = h.range.start <= anchor.start;
            let after_ok = h.range.end >= anchor.end;
            let allowed = match side {
                Side::Either => true,
                Side::Before => before_ok,
                Side::After => after_ok,
            };
            if !allowed {
                return None;
            }
            let gap = if h.range.end <= anchor.start {
                text[h.range.end..anchor.start].chars().count()
            } else if h.range.start >= anchor.end {
                text[anchor.end..h.range.start].chars().count()
            } else {
                0
            };
            (gap <= within).then_some((gap, h))
        })
        .min_by_key(|(gap, _)| *gap)
        .map(|(_, h)| h)
}

/// The first check a hit fails, with the failing capture's folded range.
fn failing<'c>(
    check: &'c Check,
    hit: &Hit<'_>,
    region: &RegionEval<'_>,
) -> Option<(&'c Check, Range<usize>)> {
    let Some(Cap::Span(range)) = hit.cap(&check.capture) else {
        return None;
    };
    let value = region.folded.text()[range.clone()].trim();
    let ok_one_of = check
        .one_of
        .as_ref()
        .is_none_or(|vals| vals.iter().any(|v| v == value));
    let ok_matches = check.matches.as_ref().is_none_or(|re| re.is_match(value));
    (!(ok_one_of && ok_matches)).then(|| (check, range.clone()))
}

/// Fills `{match}`, `{found}`, `{expected}` and capture placeholders with
/// original (unfolded) text.
fn interpolate(
    template: &str,
    caps: &[(&str, Cap)],
    span: Option<&Range<usize>>,
    found: Option<(&Check, &Range<usize>)>,
    doc: &Document,
    region: Option<&RegionEval<'_>>,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        if rest[open..].starts_with("{{") {
            out.push('{');
            rest = &rest[open + 2..];
            continue;
        }
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        let name = rest[open + 1..close].trim();
        let value = match name {
            "match" => span.map(|s| quote(&doc.source[s.clone()])),
            "found" => found.map(|(_, r)| quote(&doc.source[r.clone()])),
            "expected" => found.map(|(c, _)| c.expected.clone()),
            _ => caps
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, cap)| match cap {
                    Cap::Text(t) => (*t).to_string(),
                    Cap::Span(r) => match region {
                        Some(region) => quote(&doc.source[region.folded.to_source(r.clone())]),
                        None => String::new(),
                    },
                }),
        };
        out.push_str(&value.unwrap_or_default());
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.replace("}}", "}")
}

/// Original text made fit for one line of output: whitespace runs become one
/// space, and long text is cut in the middle.
pub fn quote(text: &str) -> String {
    const MAX: usize = 80;
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        return flat;
    }
    let head: String = flat.chars().take(MAX / 2).collect();
    let tail: String = flat
        .chars()
        .rev()
        .take(MAX / 2 - 1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}
