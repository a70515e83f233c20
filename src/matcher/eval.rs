//! Evaluating rules on one document.
//!
//! Each region a rule reads is folded once, searched once by the automaton
//! and once by the RegexSet; matcher nodes are then evaluated lazily, each at
//! most once per region (`RegionEval::cache`).

use std::cell::OnceCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use super::contact::{self, Contact};
use super::{Engine, MAX_CLITIC_CHARS, Script, edges, is_clitic_prefix};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::Publisher;
use crate::finding::{Finding, Severity};
use crate::load::{Document, Region};
use crate::normalize::{Folded, fold_str};
use crate::pack::{Check, Field, Node, NodeId, Per, Position, Rule, RuleKind, Side, Value};
use crate::source::LineIndex;
use crate::source::{ahead_chars, back_chars};
use crate::work;

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

/// One node's hits in one region.
///
/// A list holds at most [`Engine::hit_cap`] hits (so that a document's
/// memory does not grow with how often a pattern repeats in it): past that,
/// it holds exactly the hits that start before `exact_until` and none after.
/// `exact_until` is `usize::MAX` when the list is complete. Every node keeps
/// to this: what it says before the point is right, and after it nothing is
/// said.
#[derive(Clone, Debug)]
struct Hits<'e> {
    list: Rc<[Hit<'e>]>,
    exact_until: usize,
}

impl<'e> std::ops::Deref for Hits<'e> {
    type Target = [Hit<'e>];
    fn deref(&self) -> &[Hit<'e>] {
        &self.list
    }
}

impl Hits<'_> {
    fn complete(&self) -> bool {
        self.exact_until == usize::MAX
    }

    /// Whether every hit within `within` characters after `end` is known:
    /// what a query about a hit ending at `end` reads.
    fn known_after(&self, text: &str, end: usize, within: usize) -> bool {
        self.complete() || ahead_chars(text, end, within) < self.exact_until
    }
}

/// Where a region's lists stop being complete, for the note that says so.
type Cut = usize;

/// Findings of one document.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Per rule id, findings beyond [`MAX_FINDINGS_PER_RULE`] that were
    /// counted but not reported.
    pub dropped: BTreeMap<String, usize>,
    /// Where some rules stopped being checked because a pattern matched more
    /// than [`MAX_HITS_PER_NODE`] times in a region: one note per region,
    /// placed like an input problem (file bytes).
    pub notes: Vec<crate::load::InputProblem>,
    /// The same per rule: the earliest place (byte offset of the document's
    /// text) where the rule's answer stopped being known. Its findings
    /// before that place are all there; after it, some may be missing.
    pub stopped: BTreeMap<String, usize>,
}

struct RegionEval<'e> {
    name: &'e str,
    /// The region's pieces of the source, for quoting what a reader sees.
    segments: &'e [crate::load::Segment],
    /// Whether `segments` are in source order (they are, but for hand-made
    /// regions): then a span's pieces are found by binary search.
    segments_in_order: bool,
    folded: Folded,
    /// Every region of the document (`position: footer` reads the footer's
    /// source ranges, only when a rule asks).
    doc_regions: &'e [Region],
    publisher: Option<&'e Publisher>,
    /// The document's source, when its lines are the text's lines (plain
    /// text and Markdown): `repeated` also compares a line with the line
    /// right before it, which folding joins into one paragraph.
    lines: Option<&'e str>,
    /// Which regex slots can match (from the RegexSet), computed on first use.
    regex_hits: OnceCell<Vec<bool>>,
    /// For each regex slot: whether one of its gate literals was seen.
    gates_seen: Vec<bool>,
    /// The contacts found, by start, and where that list stops being complete.
    contacts: OnceCell<(Vec<Contact>, usize)>,
    /// Each node's hits, computed at most once (phrase nodes' by the
    /// automaton pass).
    cache: Vec<OnceCell<Hits<'e>>>,
    /// No hits: most nodes in most regions, shared rather than allocated.
    none: Rc<[Hit<'e>]>,
    /// The most hits one node keeps ([`Engine::hit_cap`]).
    cap: usize,
    /// Per rule: the earliest point where its answer stopped being known
    /// (filled in by `apply`).
    cut: std::cell::RefCell<BTreeMap<&'e str, Cut>>,
}

impl<'e> RegionEval<'e> {
    /// A node's hits as it keeps them: at most `cap` (the first by start),
    /// none from `exact_until` on.
    fn shared(&self, mut hits: Vec<Hit<'e>>, mut exact_until: usize) -> Hits<'e> {
        if hits.len() > self.cap {
            hits.sort_by_key(|h| (h.range.start, h.range.end));
            exact_until = exact_until.min(hits[self.cap].range.start);
        }
        if exact_until != usize::MAX {
            hits.retain(|h| h.range.start < exact_until);
        }
        let list = if hits.is_empty() {
            self.none.clone()
        } else {
            hits.into()
        };
        Hits { list, exact_until }
    }

    /// Records that `rule`'s answer in this region is known only before `at`.
    fn stopped(&self, rule: &'e str, at: Cut) {
        let mut cut = self.cut.borrow_mut();
        let first = cut.entry(rule).or_insert(at);
        *first = (*first).min(at);
    }
}

/// Which rules run on one document, and at what severity (from the
/// configuration's overrides). The default runs every rule as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Packs switched off.
    pub off_packs: BTreeSet<String>,
    /// Per-rule severity; `None` switches the rule off.
    pub severity: BTreeMap<String, Option<Severity>>,
    /// The configuration's `publisher:` block, for `publisher` matchers,
    /// `domain_in` / `equals` checks and `{publisher.*}` in messages.
    pub publisher: Option<Arc<Publisher>>,
    /// Packs the configuration requires (`require:`): their `required_when`
    /// rules hold on every document.
    pub required: BTreeSet<String>,
}

impl Profile {
    /// The severity `rule` runs at, or `None` when it is off.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        if self.off_packs.is_empty() && self.severity.is_empty() {
            return Some(rule.severity);
        }
        let pack = rule.pack();
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
        let active: Vec<(usize, &Rule, Severity)> = self
            .rules()
            .enumerate()
            .filter_map(|(i, r)| profile.severity_of(r).map(|s| (i, r, s)))
            .collect();
        // Which region lies within which, worked out once per pair on demand.
        let n = doc.regions.len();
        let within: Vec<OnceCell<bool>> = (0..n * n).map(|_| OnceCell::new()).collect();
        let lies_within = |inner: usize, outer: usize| {
            *within[inner * n + outer]
                .get_or_init(|| doc.regions[inner].lies_within(&doc.regions[outer], &doc.source))
        };
        // The regions each rule reads (indices into `doc.regions`), worked
        // out once per distinct scope list and way of reading.
        let mut by_group: Vec<[Option<Rc<[usize]>>; 2]> = vec![[None, None]; self.scope_groups];
        let reads: Vec<Rc<[usize]>> = active
            .iter()
            .map(|&(i, rule, _)| {
                // A region inside another is skipped only where that cannot
                // change what the rule finds. For `at_most` that is also how
                // counting must go (over the text, not once per region), so
                // it is done even without shortcuts.
                let counts = matches!(
                    rule.kind,
                    RuleKind::Forbid {
                        at_most: Some(_),
                        ..
                    }
                );
                let once = self.reads_once[i] && (counts || self.shortcuts);
                let slot = &mut by_group[self.scope_group[i]][usize::from(once)];
                slot.get_or_insert_with(|| {
                    let admitted: Vec<usize> = (0..n)
                        .filter(|&k| rule.scope.iter().any(|s| s.admits(&doc.regions[k].name)))
                        .collect();
                    if !once {
                        return admitted.into();
                    }
                    admitted
                        .iter()
                        .copied()
                        .filter(|&k| {
                            !admitted.iter().any(|&o| {
                                o != k && lies_within(k, o) && (o < k || !lies_within(o, k))
                            })
                        })
                        .collect()
                })
                .clone()
            })
            .collect();
        let mut wanted = vec![false; n];
        for &k in reads.iter().flat_map(|r| r.iter()) {
            wanted[k] = true;
        }
        let publisher = profile.publisher.as_deref();
        let lines = matches!(
            doc.kind,
            crate::load::Kind::Text | crate::load::Kind::Markdown
        )
        .then_some(doc.source.as_str());
        let regions: Vec<Option<RegionEval<'_>>> = doc
            .regions
            .iter()
            .zip(&wanted)
            .map(|(r, &wanted)| {
                wanted.then(|| self.prepare(r, r.fold(&doc.source), &doc.regions, publisher, lines))
            })
            .collect();
        // Region names borrow `doc` and captures borrow `self`; both outlive
        // this call.
        let mut out = Vec::new();
        let mut dropped = BTreeMap::new();
        for (&(_, rule, severity), read) in active.iter().zip(&reads) {
            let scoped: Vec<&RegionEval<'_>> =
                read.iter().filter_map(|&k| regions[k].as_ref()).collect();
            // Whether a condition matches where the rule reads: `None` when
            // a list cut short found nothing before its cut, so it is not
            // known; the rule is then not checked anywhere, and says so.
            let matched = |node: NodeId| {
                if scoped.iter().any(|r| !self.eval(r, node).is_empty()) {
                    return Some(true);
                }
                if scoped.iter().any(|r| !self.eval(r, node).complete()) {
                    for r in &scoped {
                        r.stopped(&rule.id, 0);
                    }
                    return None;
                }
                Some(false)
            };
            // `when` must be known to match, `unless` known not to.
            if rule.when.is_some_and(|n| matched(n) != Some(true))
                || rule.unless.is_some_and(|n| matched(n) != Some(false))
            {
                continue;
            }
            if let Some(trigger) = rule.required_when
                && !profile.required.contains(rule.pack())
                && matched(trigger) != Some(true)
            {
                continue;
            }
            let extra = self.apply(rule, severity, &scoped, doc, publisher, &mut out);
            if extra > 0 {
                *dropped.entry(rule.id.clone()).or_default() += extra;
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
        });
        // A finding inside an earlier one of the same rule says nothing new
        // (two cues of one promotion line, say).
        let mut reach: BTreeMap<&str, usize> = BTreeMap::new();
        let mut keep = Vec::with_capacity(out.len());
        for f in out.iter() {
            let end = reach.entry(f.rule.as_str()).or_insert(0);
            let inside = f.span.end <= *end && !f.span.is_empty();
            keep.push(!inside);
            *end = (*end).max(f.span.end);
        }
        let mut keep = keep.into_iter();
        out.retain(|_| keep.next().unwrap_or(true));
        out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
        // One note per place (in the source) and set of rules that stopped
        // there, naming the regions they stopped in.
        let mut by_place: BTreeMap<usize, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
        let mut stopped: BTreeMap<String, usize> = BTreeMap::new();
        for region in regions.iter().flatten() {
            for (rule, at) in region.cut.take() {
                let at = region.folded.to_source(at..at).start;
                let first = stopped.entry(rule.to_string()).or_insert(at);
                *first = (*first).min(at);
                let names = by_place.entry(at).or_default().entry(rule).or_default();
                if !names.contains(&region.name) {
                    names.push(region.name);
                }
            }
        }
        let mut cuts: Vec<(usize, Vec<&str>, Vec<&str>)> = Vec::new();
        for (at, rules) in by_place {
            let mut grouped: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
            for (rule, names) in rules {
                match grouped.iter_mut().find(|(n, _)| *n == names) {
                    Some((_, rules)) => rules.push(rule),
                    None => grouped.push((names, vec![rule])),
                }
            }
            cuts.extend(grouped.into_iter().map(|(names, rules)| (at, names, rules)));
        }
        let mut notes = Vec::new();
        if !out.is_empty() || !cuts.is_empty() {
            let lines = LineIndex::new(&doc.source);
            for f in &mut out {
                f.locate(&doc.source, &lines, &doc.origin, doc.line_base);
            }
            for (at, names, rules) in cuts {
                let (line, column) = lines.line_col(&doc.source, at);
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                notes.push(crate::load::InputProblem {
                    id: doc.id.clone(),
                    message: format!(
                        "more than {} matches of one pattern in {}: {} {} checked only as far \
                         as line {}, column {column}; what comes after is not known",
                        self.hit_cap,
                        names.join(", "),
                        rules.join(", "),
                        if rules.len() == 1 { "was" } else { "were" },
                        line + doc.line_base,
                    ),
                    span: Some(doc.origin.range(&doc.source, &(at..at))),
                    source: None,
                });
            }
        }
        Checked {
            findings: out,
            dropped,
            notes,
            stopped,
        }
    }

    fn prepare<'e>(
        &'e self,
        of: &'e Region,
        folded: Folded,
        doc_regions: &'e [Region],
        publisher: Option<&'e Publisher>,
        lines: Option<&'e str>,
    ) -> RegionEval<'e> {
        let text = folded.text();
        let mut phrase_hits: Vec<Vec<Hit<'e>>> = vec![Vec::new(); self.nodes.len()];
        // Per phrase node: where its list stops, once it holds `hit_cap` hits.
        let mut phrase_cut: Vec<usize> = vec![usize::MAX; self.nodes.len()];
        let mut gates_seen = vec![false; self.gated.len()];
        if let Some(ac) = &self.automaton {
            let longest = ac.max_pattern_len();
            for m in ac.find_overlapping_iter(text) {
                let p = m.pattern().as_usize();
                for &slot in &self.pattern_gates[p] {
                    gates_seen[slot] = true;
                }
                if self.pattern_owners[p].is_empty()
                    || !self.on_boundaries(text, m.start(), m.end(), p)
                {
                    continue;
                }
                for &owner in &self.pattern_owners[p] {
                    if phrase_cut[owner] != usize::MAX {
                        continue;
                    }
                    if phrase_hits[owner].len() == self.hit_cap {
                        // Matches come by end: every match that starts
                        // `longest` bytes before this one ends has been seen.
                        phrase_cut[owner] = m.end().saturating_sub(longest);
                        continue;
                    }
                    phrase_hits[owner].push(Hit {
                        range: m.start()..m.end(),
                        caps: Vec::new(),
                    });
                }
            }
        }
        let none: Rc<[Hit<'e>]> = Rc::new([]);
        let cache = (0..self.nodes.len()).map(|_| OnceCell::new()).collect();
        let region = RegionEval {
            name: &of.name,
            segments: &of.segments,
            segments_in_order: of.segments.is_sorted_by_key(|s| s.src.start),
            folded,
            doc_regions,
            publisher,
            lines,
            regex_hits: OnceCell::new(),
            gates_seen,
            contacts: OnceCell::new(),
            cache,
            none,
            cap: self.hit_cap,
            cut: std::cell::RefCell::new(BTreeMap::new()),
        };
        for (node, mut hits) in phrase_hits.into_iter().enumerate() {
            if matches!(self.nodes[node], Node::Phrases(_)) {
                // By start, as `repeated` reads them.
                hits.sort_by_key(|h| (h.range.start, h.range.end));
                let _ = region.cache[node].set(region.shared(hits, phrase_cut[node]));
            }
        }
        region
    }

    fn on_boundaries(&self, text: &str, start: usize, end: usize, pattern: usize) -> bool {
        on_edges(text, start, end, self.pattern_edges[pattern])
    }

    /// Contacts in a region: all of them, or (when rules only look for
    /// contacts near some anchor) those in windows around the anchors' hits.
    ///
    /// By start, with the point the list is complete up to: the anchors'
    /// own, when their lists were cut short.
    fn find_contacts<'e>(&'e self, region: &RegionEval<'e>) -> (Vec<Contact>, usize) {
        let text = region.folded.text();
        let Some(anchors) = self.contact_anchors.as_ref().filter(|_| self.shortcuts) else {
            let mut all = contact::find_contacts(text);
            all.sort_by_key(|c| (c.range.start, c.range.end));
            return (all, usize::MAX);
        };
        let mut exact_until = usize::MAX;
        // A contact is near an anchor when the characters between them are
        // at most `within`. Each window reaches that far from an anchor hit,
        // then a margin further (so that a contact of several words, such as
        // "info at site dot com", is seen whole), then on to white space (so
        // that a word, such as a long URL, is never cut). A candidate at a
        // window's edge is thus either whole or beyond every anchor's reach,
        // where `near` drops it.
        const MARGIN: usize = 512;
        let bytes = text.as_bytes();
        // Where a window that reaches back from `at` starts.
        let reach_back = |at: usize, within: usize| {
            let start = back_chars(text, at, within).saturating_sub(MARGIN);
            bytes[..start]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(0, |i| i + 1)
        };
        let mut windows: Vec<Range<usize>> = Vec::new();
        for &(anchor, within) in anchors {
            let hits = self.eval(region, anchor);
            // An anchor past the cut may have a contact before it: the
            // list is known only up to where that anchor's window could
            // start.
            if !hits.complete() {
                exact_until = exact_until.min(reach_back(hits.exact_until.min(text.len()), within));
            }
            for hit in hits.iter() {
                let start = reach_back(hit.range.start, within);
                let end = (ahead_chars(text, hit.range.end, within) + MARGIN).min(text.len());
                let end = bytes[end..]
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .map_or(text.len(), |i| end + i);
                windows.push(start..end);
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
            let mut found = contact::find_contacts(&text[w.clone()]);
            found.sort_by_key(|c| (c.range.start, c.range.end));
            for mut c in found {
                c.range = w.start + c.range.start..w.start + c.range.end;
                out.push(c);
            }
        }
        (out, exact_until)
    }

    fn eval<'e>(&'e self, region: &RegionEval<'e>, node: NodeId) -> Hits<'e> {
        region.cache[node]
            .get_or_init(|| {
                let (hits, exact_until) = self.compute(region, node);
                region.shared(hits, exact_until)
            })
            .clone()
    }

    /// A node's hits, and the point they are complete up to (`usize::MAX`:
    /// all of them); [`RegionEval::shared`] then keeps at most the cap.
    fn compute<'e>(&'e self, region: &RegionEval<'e>, node: NodeId) -> (Vec<Hit<'e>>, usize) {
        const ALL: usize = usize::MAX;
        let text = region.folded.text();
        let cap = region.cap;
        match &self.nodes[node] {
            // Filled in by `prepare`.
            Node::Phrases(_) => (Vec::new(), ALL),
            Node::Regex { re, .. } => {
                let slot =
                    self.regex_slot[node].unwrap_or_else(|| unreachable!("every regex has a slot"));
                if self.shortcuts && self.gated[slot] && !region.gates_seen[slot] {
                    return (Vec::new(), ALL);
                }
                if let (Some(set), Some(index)) = (&self.regex_set, self.set_index[slot]) {
                    let possible = region.regex_hits.get_or_init(|| {
                        let mut hits = vec![false; set.len()];
                        for i in set.matches(text).iter() {
                            hits[i] = true;
                        }
                        hits
                    });
                    if !possible[index] {
                        return (Vec::new(), ALL);
                    }
                }
                regex_hits(re.get(), text, cap)
            }
            Node::Contact { kinds, broken } => {
                let (contacts, exact_until) =
                    region.contacts.get_or_init(|| self.find_contacts(region));
                let hits = contacts
                    .iter()
                    .filter(|c| match c.kind {
                        contact::ContactKind::Email => kinds.email,
                        contact::ContactKind::Url => kinds.url,
                        contact::ContactKind::Phone => kinds.phone,
                    })
                    .filter(|c| broken.is_none_or(|b| b == c.problem.is_some()))
                    // By start: one past the cap tells where the list stops.
                    .take(cap.saturating_add(1))
                    .map(|c| {
                        let mut caps = vec![("kind", Cap::Text(c.kind.as_str()))];
                        if let Some(problem) = c.problem {
                            caps.push(("problem", Cap::Text(problem)));
                        }
                        if let Some(domain) = contact_domain(text, &c.range, c.kind) {
                            caps.push(("domain", Cap::Span(domain)));
                        }
                        Hit {
                            range: c.range.clone(),
                            caps,
                        }
                    })
                    .collect();
                (hits, *exact_until)
            }
            Node::Any(ids) => {
                let mut exact_until = ALL;
                let mut all: Vec<Hit<'e>> = Vec::new();
                for &id in ids {
                    let hits = self.eval(region, id);
                    exact_until = exact_until.min(hits.exact_until);
                    all.extend(hits.iter().cloned());
                }
                all.sort_by_key(|h| (h.range.start, h.range.end));
                all.dedup_by(|a, b| a.range == b.range);
                (all, exact_until)
            }
            Node::All(ids) => {
                let (first, rest) = ids
                    .split_first()
                    .unwrap_or_else(|| unreachable!("`all` is never empty"));
                // The first one's hits are needed anyway, and when there are
                // none the others need not be searched at all. A list that
                // is empty only before its cut leaves the answer unknown.
                let hits = self.eval(region, *first);
                if hits.is_empty() {
                    return (Vec::new(), if hits.complete() { ALL } else { 0 });
                }
                for &id in rest {
                    let other = self.eval(region, id);
                    if other.is_empty() {
                        return (Vec::new(), if other.complete() { ALL } else { 0 });
                    }
                }
                (hits.to_vec(), hits.exact_until)
            }
            Node::Not(id) => {
                let inner = self.eval(region, *id);
                if !inner.is_empty() {
                    (Vec::new(), ALL)
                } else if inner.complete() {
                    let whole = Hit {
                        range: 0..0,
                        caps: Vec::new(),
                    };
                    (vec![whole], ALL)
                } else {
                    (Vec::new(), 0)
                }
            }
            Node::Near {
                a,
                b,
                within,
                side,
                negate,
            } => {
                // With no `b` at all nothing is near one; with no `a`, `b`
                // need not be searched.
                let (hits_a, hits_b) = if *negate {
                    let hits_a = self.eval(region, *a);
                    if hits_a.is_empty() {
                        return (Vec::new(), hits_a.exact_until);
                    }
                    (hits_a, self.eval(region, *b))
                } else {
                    let hits_b = self.eval(region, *b);
                    if hits_b.is_empty() && hits_b.complete() {
                        return (Vec::new(), ALL);
                    }
                    (self.eval(region, *a), hits_b)
                };
                // An `a` hit is answered only when every `b` hit in its reach
                // is known; the list stops at the first one that is not.
                let mut exact_until = hits_a.exact_until;
                if !hits_b.complete() {
                    for ha in hits_a.iter() {
                        if ha.range.start < exact_until
                            && !hits_b.known_after(text, ha.range.end, *within)
                        {
                            exact_until = ha.range.start;
                        }
                    }
                }
                let bs = Nearby::new(&hits_b);
                let found = hits_a
                    .iter()
                    .filter(|ha| ha.range.start < exact_until)
                    .filter_map(|ha| {
                        let hb = bs.nearest(text, &ha.range, *within, *side);
                        match (hb, negate) {
                            (Some(hb), false) => {
                                let mut caps = ha.caps.clone();
                                caps.extend(hb.caps.iter().cloned());
                                Some(Hit {
                                    range: ha.range.clone(),
                                    caps,
                                })
                            }
                            (None, true) => Some(ha.clone()),
                            _ => None,
                        }
                    })
                    .collect();
                (found, exact_until)
            }
            Node::Repeated {
                node: id,
                line: true,
            } => {
                // Source lines are read in text and Markdown only: elsewhere
                // a repeated line has nothing to match.
                let Some(source) = region.lines else {
                    return (Vec::new(), ALL);
                };
                // Most documents repeat no line: one pass over the region's
                // source finds that before the inner matcher runs at all.
                let span = region.folded.to_source(0..text.len());
                let copies = pasted_lines(source, span);
                if copies.is_empty() {
                    return (Vec::new(), ALL);
                }
                let inner = self.eval(region, *id);
                (
                    repeated_line_hits(source, &region.folded, &copies, &inner),
                    inner.exact_until,
                )
            }
            Node::Repeated { node: id, .. } => {
                let inner = self.eval(region, *id);
                let mut hits = repeated_lines(text, &inner);
                if let Some(source) = region.lines {
                    hits.extend(repeated_source_lines(source, &region.folded, &inner));
                    hits.sort_by_key(|h| (h.range.start, h.range.end));
                    hits.dedup_by(|a, b| a.range == b.range);
                }
                // Whether a line repeats is known once one hit on it is: the
                // list stops at the end of the line the inner list stops on
                // when a known hit lies on it, else at that line's start.
                let exact_until = if inner.complete() {
                    ALL
                } else {
                    let mut cut = inner.exact_until.min(text.len());
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    let last = inner.iter().map(|h| h.range.start).max();
                    let mut until = line_cut(text, cut, last);
                    if let Some(source) = region.lines {
                        until = until.min(source_line_cut(source, &region.folded, cut, last));
                    }
                    until
                };
                (hits, exact_until)
            }
            Node::Publisher(field) => {
                let Some(publisher) = region.publisher else {
                    return (Vec::new(), ALL);
                };
                let values: Vec<&str> = match field {
                    Field::Name => publisher.name.iter().map(String::as_str).collect(),
                    Field::Contact => publisher.contact.iter().map(String::as_str).collect(),
                    Field::Domains => publisher.domains.iter().map(String::as_str).collect(),
                };
                let mut hits = Vec::new();
                let mut exact_until = ALL;
                for value in values {
                    let needle = fold_str(value);
                    if needle.is_empty() {
                        continue;
                    }
                    let bounds = edges(&needle);
                    let mut kept = 0;
                    for start in memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()) {
                        let end = start + needle.len();
                        if !on_edges(text, start, end, bounds) {
                            continue;
                        }
                        if kept == cap {
                            exact_until = exact_until.min(start);
                            break;
                        }
                        kept += 1;
                        hits.push(Hit {
                            range: start..end,
                            caps: Vec::new(),
                        });
                    }
                }
                hits.sort_by_key(|h| (h.range.start, h.range.end));
                (hits, exact_until)
            }
            Node::In { scopes, node } => {
                if scopes.iter().any(|s| s.admits(region.name)) {
                    let hits = self.eval(region, *node);
                    (hits.to_vec(), hits.exact_until)
                } else {
                    (Vec::new(), ALL)
                }
            }
            Node::At { position, node } => {
                let hits = self.eval(region, *node);
                match position {
                    Position::Start => {
                        let lead = text.len() - text.trim_start().len();
                        let first_end = text[lead..].find('\n').map_or(text.len(), |i| lead + i);
                        let found = hits
                            .iter()
                            .filter(|h| h.range.start < first_end)
                            .cloned()
                            .collect();
                        // Only the first line counts: known when the list is
                        // known that far.
                        let exact_until = if hits.exact_until >= first_end {
                            ALL
                        } else {
                            hits.exact_until
                        };
                        (found, exact_until)
                    }
                    Position::Footer => {
                        let found = hits
                            .iter()
                            .filter(|h| {
                                let src = region.folded.to_source(h.range.clone());
                                region
                                    .doc_regions
                                    .iter()
                                    .filter(|r| r.name == "footer")
                                    .flat_map(|r| &r.segments)
                                    .any(|f| f.src.start <= src.start && src.end <= f.src.end)
                            })
                            .cloned()
                            .collect();
                        (found, hits.exact_until)
                    }
                    Position::Content => {
                        // Sorted and merged by the loader.
                        let furniture: Vec<&Range<usize>> = region
                            .doc_regions
                            .iter()
                            .filter(|r| r.name == crate::load::FURNITURE_REGION)
                            .flat_map(|r| r.segments.iter().map(|s| &s.src))
                            .collect();
                        if furniture.is_empty() {
                            return (hits.to_vec(), hits.exact_until);
                        }
                        let found = hits
                            .iter()
                            .filter(|h| {
                                let at = region.folded.to_source(h.range.clone()).start;
                                let k = furniture.partition_point(|f| f.end <= at);
                                furniture.get(k).is_none_or(|f| f.start > at)
                            })
                            .cloned()
                            .collect();
                        (found, hits.exact_until)
                    }
                }
            }
        }
    }

    fn apply<'e>(
        &'e self,
        rule: &'e Rule,
        severity: Severity,
        regions: &[&RegionEval<'e>],
        doc: &Document,
        publisher: Option<&Publisher>,
        out: &mut Vec<Finding>,
    ) -> usize {
        let vars = Vars {
            publisher,
            count: None,
        };
        // Each finding's span, and how to word it: the words are worked out
        // only for the findings that are kept.
        let mut pending: Vec<Pending<'_>> = Vec::new();
        let mut report = |span: Range<usize>, words| pending.push((span, words));
        match &rule.kind {
            RuleKind::Require {
                node,
                per: Per::Document,
            } => {
                let lists: Vec<Hits<'e>> = regions.iter().map(|r| self.eval(r, *node)).collect();
                // Missing only when no list cut short could still hold it.
                let unknown: Vec<(&RegionEval<'e>, Cut)> = regions
                    .iter()
                    .zip(&lists)
                    .filter(|(_, h)| !h.complete())
                    .map(|(r, h)| (*r, h.exact_until))
                    .collect();
                if lists.iter().all(|h| h.is_empty()) && !unknown.is_empty() {
                    for (region, at) in unknown {
                        region.stopped(&rule.id, at);
                    }
                } else if lists.iter().all(|h| h.is_empty()) {
                    // Point at the start of the region read that reaches
                    // furthest (the widest of them when several end there,
                    // so a footer read on its own or inside its body gives
                    // the same place): the text looked in, as a file-level
                    // finding, not the file's last character.
                    let start = regions
                        .iter()
                        .filter(|r| !r.folded.is_empty())
                        .map(|r| r.folded.to_source(0..r.folded.text().len()))
                        .max_by_key(|span| (span.end, std::cmp::Reverse(span.start)))
                        .map_or(0, |span| span.start);
                    let message = interpolate(&rule.message, &[], None, None, doc, None, &vars);
                    let label = "not found in the text checked, from here to its end".to_string();
                    report(start..start, Box::new(move || (message, label, None)));
                }
            }
            RuleKind::Require {
                node,
                per: Per::Region,
            } => {
                for region in regions {
                    let text = region.folded.text();
                    let hits = self.eval(region, *node);
                    if text.trim().is_empty() || !hits.is_empty() {
                        continue;
                    }
                    if !hits.complete() {
                        // The finding would cover the whole region.
                        region.stopped(&rule.id, 0);
                        continue;
                    }
                    let lead = text.len() - text.trim_start().len();
                    let span = region.folded.to_source(lead..text.trim_end().len());
                    let message = interpolate(
                        &rule.message,
                        &[],
                        Some(&span),
                        None,
                        doc,
                        Some(region),
                        &vars,
                    );
                    let label = format!("«{}»: not found here", shown(doc, region, &span));
                    report(span, Box::new(move || (message, label, None)));
                }
            }
            RuleKind::Forbid {
                node,
                checks,
                at_most,
            } => {
                let mut flagged: Vec<Flagged<'_, 'e>> = Vec::new();
                for region in regions {
                    let hits = self.eval(region, *node);
                    // Counted and reported up to the cut.
                    if !hits.complete() {
                        region.stopped(&rule.id, hits.exact_until);
                    }
                    for hit in hits.iter() {
                        let failed = checks
                            .iter()
                            .find_map(|c| failing(c, hit, region, publisher));
                        if !checks.is_empty() && failed.is_none() {
                            continue;
                        }
                        flagged.push((region, hit.clone(), failed));
                    }
                }
                let count = flagged.len();
                let skip = at_most.unwrap_or(0);
                if count > skip {
                    let vars = Vars {
                        publisher,
                        count: Some(count),
                    };
                    for (region, hit, failed) in flagged.into_iter().skip(skip) {
                        let span = region.folded.to_source(hit.range.clone());
                        let at = span.clone();
                        report(
                            span,
                            Box::new(move || {
                                // The capture a check found wrong, in the
                                // source: what a `replace` fix rewrites.
                                let wrong = failed.as_ref().and_then(|(_, f)| match f {
                                    Found::Span(r) => Some(region.folded.to_source(r.clone())),
                                    Found::Text(_) => None,
                                });
                                let found = failed.map(|(check, f)| (check, f.text(doc, region)));
                                let message = interpolate(
                                    &rule.message,
                                    &hit.caps,
                                    Some(&at),
                                    found.as_ref().map(|(c, t)| (*c, t.as_str())),
                                    doc,
                                    Some(region),
                                    &vars,
                                );
                                let label = match (&found, at_most) {
                                    (Some((check, text)), _) => format!(
                                        "found «{text}», expected {}",
                                        vars.fill(&check.expected)
                                    ),
                                    (None, Some(n)) => format!(
                                        "«{}»: {count} in this document, at most {n} expected",
                                        shown(doc, region, &at)
                                    ),
                                    (None, None) => format!("«{}»", shown(doc, region, &at)),
                                };
                                (message, label, wrong)
                            }),
                        );
                    }
                }
            }
            RuleKind::Around {
                anchor,
                require,
                within,
            } => {
                for region in regions {
                    let text = region.folded.text();
                    // The anchor first: with no anchor, nothing is required.
                    let anchors = self.eval(region, *anchor);
                    if anchors.is_empty() {
                        if !anchors.complete() {
                            region.stopped(&rule.id, anchors.exact_until);
                        }
                        continue;
                    }
                    let needed = self.eval(region, *require);
                    // An anchor is answered only when all that is required
                    // within its reach is known.
                    let mut exact_until = anchors.exact_until;
                    if !needed.complete() {
                        for hit in anchors.iter() {
                            if hit.range.start < exact_until
                                && !needed.known_after(text, hit.range.end, *within)
                            {
                                exact_until = hit.range.start;
                            }
                        }
                    }
                    if exact_until != usize::MAX {
                        region.stopped(&rule.id, exact_until);
                    }
                    let needed = Nearby::new(&needed);
                    // Anchors close after a reported one belong to the same
                    // notice: one finding for it.
                    let mut last_end: Option<usize> = None;
                    for hit in anchors.iter().filter(|h| h.range.start < exact_until) {
                        if needed
                            .nearest(text, &hit.range, *within, Side::Either)
                            .is_some()
                        {
                            continue;
                        }
                        if let Some(end) = last_end
                            && (hit.range.start <= end
                                || chars_at_most(&text[end..hit.range.start], *within))
                        {
                            continue;
                        }
                        last_end = Some(hit.range.end);
                        let span = region.folded.to_source(hit.range.clone());
                        let at = span.clone();
                        let caps = hit.caps.clone();
                        report(
                            span,
                            Box::new(move || {
                                let message = interpolate(
                                    &rule.message,
                                    &caps,
                                    Some(&at),
                                    None,
                                    doc,
                                    Some(region),
                                    &vars,
                                );
                                let label = format!(
                                    "«{}»: nothing found within {within} characters",
                                    shown(doc, region, &at)
                                );
                                (message, label, None)
                            }),
                        );
                    }
                }
            }
        }
        let spans: Vec<Range<usize>> = pending.iter().map(|(span, _)| span.clone()).collect();
        let (keep, dropped) = first_distinct(&spans, MAX_FINDINGS_PER_RULE);
        let help = rule.help.as_ref().map(|h| vars.fill(h));
        for ((span, words), keep) in pending.into_iter().zip(keep) {
            if keep {
                let (message, label, wrong) = words();
                let mut finding =
                    Finding::new(&rule.id, severity, span, message, label, help.clone());
                finding.wrong = wrong;
                out.push(finding);
            }
        }
        dropped
    }
}

/// The most findings of one rule reported in one document; the rest are
/// counted (see [`Checked::dropped`]).
pub const MAX_FINDINGS_PER_RULE: usize = 100;

/// A finding's message and label, worked out when it is kept, and the
/// capture a check found wrong.
type Words<'a> = Box<dyn FnOnce() -> (String, String, Option<Range<usize>>) + 'a>;
type Pending<'a> = (Range<usize>, Words<'a>);

/// Which of one rule's findings (by span) are reported, and how many
/// more there were. As in [`Engine::check_with`], a span inside an earlier
/// one (in order of start, then end) or equal to it says nothing new; of
/// the rest, the first `cap` are kept and the others counted.
fn first_distinct(spans: &[Range<usize>], cap: usize) -> (Vec<bool>, usize) {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].start, spans[i].end));
    let mut keep = vec![false; spans.len()];
    let (mut reach, mut kept, mut dropped) = (0, 0, 0);
    let mut last: Option<&Range<usize>> = None;
    for i in order {
        let span = &spans[i];
        let inside = span.end <= reach && !span.is_empty();
        reach = reach.max(span.end);
        if inside || last == Some(span) {
            continue;
        }
        last = Some(span);
        if kept < cap {
            keep[i] = true;
            kept += 1;
        } else {
            dropped += 1;
        }
    }
    (keep, dropped)
}

/// Whether `text[start..end]` stands on word boundaries as `edges` asks
/// (Arabic and Hebrew clitic prefixes may be glued in front).
fn on_edges(text: &str, start: usize, end: usize, edges: super::Edges) -> bool {
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
    // The letters glued in front must be clitics of the phrase's script;
    // more letters than any run of clitics can have need not be read.
    let mut word_start = 0;
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if !c.is_alphanumeric() {
            word_start = i + c.len_utf8();
            break;
        }
        if n == MAX_CLITIC_CHARS {
            return false;
        }
    }
    is_clitic_prefix(&before[word_start..], script)
}

/// A regex's first `cap` matches, and where the list stops (the start of the
/// next match; `usize::MAX` when there is none).
fn regex_hits<'e>(re: &'e regex::Regex, text: &str, cap: usize) -> (Vec<Hit<'e>>, usize) {
    let mut exact_until = usize::MAX;
    let mut matches = Vec::new();
    for m in re.find_iter(text) {
        if matches.len() == cap {
            exact_until = m.start();
            break;
        }
        matches.push(m);
    }
    let named: Vec<(usize, &'e str)> = re
        .capture_names()
        .enumerate()
        .filter_map(|(i, n)| n.map(|n| (i, n)))
        .collect();
    if named.is_empty() {
        let hits = matches
            .into_iter()
            .map(|m| Hit {
                range: m.range(),
                caps: Vec::new(),
            })
            .collect();
        return (hits, exact_until);
    }
    // Find matches with the fast engines first; resolve captures only inside
    // each match (a capture search over a whole article is many times slower).
    let hits = matches
        .into_iter()
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
        .collect();
    (hits, exact_until)
}

/// Whether `text` has at most `n` characters (reads at most `n + 1` of them).
fn chars_at_most(text: &str, n: usize) -> bool {
    text.chars().take(n + 1).count() <= n
}

/// Hits of one node, indexed for "the closest one to this anchor" queries
/// from every hit of another node: each query reads only the hits that can
/// be within reach, so pairing two long lists costs their lengths, not
/// their product.
struct Nearby<'h, 'e> {
    hits: &'h [Hit<'e>],
    /// Hits no longer than `SHORT` bytes, by start.
    by_start: Vec<usize>,
    /// The longest of those.
    longest: usize,
    /// Longer hits, read by every query (matches are rarely that long).
    long: Vec<usize>,
}

impl<'h, 'e> Nearby<'h, 'e> {
    const SHORT: usize = 4096;

    fn new(hits: &'h [Hit<'e>]) -> Nearby<'h, 'e> {
        let (mut by_start, long): (Vec<usize>, Vec<usize>) =
            (0..hits.len()).partition(|&i| hits[i].range.len() <= Self::SHORT);
        by_start.sort_by_key(|&i| (hits[i].range.start, i));
        let longest = by_start
            .iter()
            .map(|&i| hits[i].range.len())
            .max()
            .unwrap_or(0);
        Nearby {
            hits,
            by_start,
            longest,
            long,
        }
    }

    /// The closest hit to `anchor` within `within` characters on `side` (of
    /// equally close ones, the first in the node's order).
    fn nearest(
        &self,
        text: &str,
        anchor: &Range<usize>,
        within: usize,
        side: Side,
    ) -> Option<&'h Hit<'e>> {
        // A hit in reach ends at or after `lo` and starts at or before `hi`.
        let lo = back_chars(text, anchor.start, within);
        let hi = ahead_chars(text, anchor.end, within);
        let from = lo.saturating_sub(self.longest);
        let first = self
            .by_start
            .partition_point(|&i| self.hits[i].range.start < from);
        let near = self.by_start[first..]
            .iter()
            .take_while(|&&i| self.hits[i].range.start <= hi);
        let mut best: Option<(usize, usize)> = None;
        for &i in near.chain(&self.long) {
            let h = &self.hits[i];
            let allowed = match side {
                Side::Either => true,
                Side::Before => h.range.start <= anchor.start,
                Side::After => h.range.end >= anchor.end,
            };
            if !allowed {
                continue;
            }
            let between = if h.range.end <= anchor.start {
                &text[h.range.end..anchor.start]
            } else if h.range.start >= anchor.end {
                &text[anchor.end..h.range.start]
            } else {
                ""
            };
            let gap = between.chars().take(within + 1).count();
            work::add(1);
            if gap <= within && best.is_none_or(|b| (gap, i) < b) {
                best = Some((gap, i));
            }
        }
        best.map(|(_, i)| &self.hits[i])
    }
}

/// A `forbid` match to report: its region, the hit, and the check it failed.
type Flagged<'r, 'e> = (&'r RegionEval<'e>, Hit<'e>, Option<(&'e Check, Found)>);

/// What a failed check found: a span of the folded text, or a fixed text
/// (a contact's `problem`).
enum Found {
    Span(Range<usize>),
    Text(&'static str),
}

impl Found {
    fn text(&self, doc: &Document, region: &RegionEval<'_>) -> String {
        match self {
            Found::Span(r) => shown(doc, region, &region.folded.to_source(r.clone())),
            Found::Text(t) => (*t).to_string(),
        }
    }
}

/// The first check a hit fails, with what it found.
fn failing<'c>(
    check: &'c Check,
    hit: &Hit<'_>,
    region: &RegionEval<'_>,
    publisher: Option<&Publisher>,
) -> Option<(&'c Check, Found)> {
    let cap = hit.cap(&check.capture)?;
    let range = match cap {
        Cap::Span(range) => range.clone(),
        Cap::Text(t) => return check.absent.then_some((check, Found::Text(t))),
    };
    if check.absent {
        return Some((check, Found::Span(range)));
    }
    let value = region.folded.text()[range.clone()].trim();
    let ok_one_of = check
        .one_of
        .as_ref()
        .is_none_or(|vals| vals.iter().any(|v| v == value));
    let ok_matches = check
        .matches
        .as_ref()
        .is_none_or(|re| re.get().is_match(value));
    let ok_domain = match &check.domain_in {
        None => true,
        Some(Value::Literal(list)) => in_domains(value, list.iter().map(String::as_str)),
        Some(Value::Publisher(_)) => match publisher {
            Some(p) if !p.domains.is_empty() => {
                in_domains(value, p.domains.iter().map(String::as_str))
            }
            _ => true,
        },
    };
    let ok_equals = match &check.equals {
        None => true,
        Some(Value::Literal(v)) => v == value,
        Some(Value::Publisher(field)) => match publisher.and_then(|p| match field {
            Field::Name => p.name.as_deref(),
            Field::Contact => p.contact.as_deref(),
            Field::Domains => None,
        }) {
            Some(expected) if !expected.trim().is_empty() => fold_str(expected) == value,
            _ => true,
        },
    };
    (!(ok_one_of && ok_matches && ok_domain && ok_equals)).then_some((check, Found::Span(range)))
}

/// Is `host` one of `domains` or a subdomain of one?
fn in_domains<'d>(host: &str, domains: impl Iterator<Item = &'d str>) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    domains.into_iter().any(|d| {
        let d = d
            .trim()
            .trim_start_matches('.')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        !d.is_empty()
            && (host == d
                || host
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

/// The domain part of an e-mail address or the host of a URL, in folded
/// offsets.
fn contact_domain(
    text: &str,
    range: &Range<usize>,
    kind: contact::ContactKind,
) -> Option<Range<usize>> {
    let value = &text[range.clone()];
    let rest = match kind {
        contact::ContactKind::Email => &value[value.rfind('@')? + 1..],
        contact::ContactKind::Url => &value[value.find("://").map_or(0, |i| i + 3)..],
        contact::ContactKind::Phone => return None,
    };
    // A URL's user part (`user@host`) is not its host.
    let rest = rest.rsplit('@').next().unwrap_or(rest);
    let offset = value.len() - rest.len();
    let end = rest
        .find(|c: char| matches!(c, '/' | ':' | '?' | '#') || c.is_whitespace())
        .unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.is_empty() && host.contains('.'))
        .then(|| range.start + offset..range.start + offset + end)
}

/// Values a message can use besides the match's own: the configured
/// publisher and, for `at_most` rules, how many matches there were.
#[derive(Clone, Copy)]
struct Vars<'p> {
    publisher: Option<&'p Publisher>,
    count: Option<usize>,
}

impl Vars<'_> {
    fn get(&self, name: &str) -> Option<String> {
        let p = self.publisher;
        match name {
            "count" => self.count.map(|c| c.to_string()),
            "publisher.name" => p.and_then(|p| p.name.clone()).filter(|n| !n.is_empty()),
            "publisher.contact" => p.and_then(|p| p.contact.clone()).filter(|n| !n.is_empty()),
            "publisher.domains" => p
                .filter(|p| !p.domains.is_empty())
                .map(|p| p.domains.join(", ")),
            _ => None,
        }
        .or_else(|| {
            name.starts_with("publisher.")
                .then(|| format!("the {} (not configured)", name.replace('.', " ")))
        })
    }

    /// `{publisher.*}` and `{count}` filled in, `{{`/`}}` unescaped; other
    /// placeholders left alone.
    fn fill(&self, text: &str) -> String {
        if !text.contains(['{', '}']) {
            return text.to_string();
        }
        let Ok(parts) = crate::pack::placeholder::parts(text) else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len() + 32);
        for part in parts {
            match part {
                crate::pack::placeholder::Part::Text(t) => out.push_str(t),
                crate::pack::placeholder::Part::Placeholder(name) => match self.get(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

/// Matches whose whole line (trimmed) equals the line right before it: a
/// caption or credit pasted twice. The hit covers the repeated line.
///
/// Line bounds come from one index of the text, and each line is compared
/// with the one before it at most once, however many hits it holds: the
/// work is linear in the text plus the hits, not their product.
fn repeated_lines<'e>(text: &str, hits: &[Hit<'e>]) -> Vec<Hit<'e>> {
    let mut out: Vec<Hit<'e>> = Vec::new();
    if hits.is_empty() {
        return out;
    }
    let lines = LineIndex::new(text);
    let trimmed = |r: Range<usize>| {
        let line = &text[r.clone()];
        let lead = line.len() - line.trim_start().len();
        r.start + lead..r.start + line.trim_end().len()
    };
    // Per line: the trimmed line when it repeats the one before it.
    let mut verdicts: HashMap<usize, Option<Range<usize>>> = HashMap::new();
    for hit in hits {
        let n = lines.line_of(hit.range.start);
        let start = lines.line_start(n);
        if start == 0 || out.last().is_some_and(|h| h.range.start >= start) {
            continue;
        }
        let repeated = verdicts.entry(n).or_insert_with(|| {
            let this = trimmed(start..lines.line_end(text, n));
            let before = trimmed(lines.line_start(n - 1)..lines.line_end(text, n - 1));
            work::add(this.len().min(before.len()));
            (!this.is_empty() && text[this.clone()] == text[before]).then_some(this)
        });
        if let Some(this) = repeated {
            out.push(Hit {
                range: this.clone(),
                caps: hit.caps.clone(),
            });
        }
    }
    out
}

/// Hits of a line of the source that repeats the line right before it
/// (a caption pasted twice with a single line break, which folding joins
/// into one paragraph), each covering the folded text of the repeated line.
/// A hit that runs over several source lines (a pattern for a whole line,
/// which the fold sees as one paragraph) has each of its lines read. Each
/// line is read a bounded number of times however many hits it holds.
fn repeated_source_lines<'e>(source: &str, folded: &Folded, hits: &[Hit<'e>]) -> Vec<Hit<'e>> {
    let text = folded.text();
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut done = 0;
    for hit in hits {
        if hit.range.end.max(hit.range.start + 1) <= done {
            continue;
        }
        let mut pos = hit.range.start.max(done);
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
        loop {
            let at = folded.to_source(pos..pos).start;
            let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            work::add(line_end - line_start);
            // The folded stretch of this source line, around `pos`.
            let mut a = pos;
            while let Some(c) = text[..a].chars().next_back() {
                let p = a - c.len_utf8();
                if folded.to_source(p..a).start < line_start {
                    break;
                }
                a = p;
            }
            let mut b = pos.max(a);
            while let Some(c) = text[b..].chars().next() {
                let n = b + c.len_utf8();
                if folded.to_source(b..n).end > line_end {
                    break;
                }
                b = n;
            }
            done = b.max(pos + 1).max(done);
            if line_start > 0 {
                let before_start =
                    memchr::memrchr(b'\n', &bytes[..line_start - 1]).map_or(0, |i| i + 1);
                work::add(line_start - before_start);
                let this = source[line_start..line_end].trim();
                let before = source[before_start..line_start - 1].trim();
                // A blank line before is a paragraph break: `repeated_lines`
                // reads those.
                if !this.is_empty() && !before.is_empty() && fold_str(this) == fold_str(before) {
                    let line = &text[a..b];
                    let lead = line.len() - line.trim_start().len();
                    let range = a + lead..a + line.trim_end().len();
                    if !range.is_empty() {
                        out.push(Hit {
                            range,
                            caps: hit.caps.clone(),
                        });
                    }
                }
            }
            // On to the hit's next source line, past what stands for this
            // line's break.
            let mut next = b;
            while let Some(c) = text[next..].chars().next() {
                let n = next + c.len_utf8();
                if folded.to_source(next..n).start > line_end {
                    break;
                }
                next = n;
            }
            if next >= hit.range.end || next >= text.len() || next <= pos {
                break;
            }
            done = done.max(next);
            pos = next;
        }
    }
    out
}

/// Source ranges (trimmed) of the lines in `span` of `source` that repeat
/// the line right before them byte for byte, with a single line break
/// between: a line a scraper pasted twice. The line before may lie before
/// `span` (a footer's first line repeats the body's last).
fn pasted_lines(source: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let end = span.end.min(bytes.len());
    let trim = |r: Range<usize>| -> Range<usize> {
        let s = &source[r.clone()];
        let lead = s.len() - s.trim_start().len();
        r.start + lead..r.start + s.trim_end().len()
    };
    let mut out = Vec::new();
    let mut start = memchr::memrchr(b'\n', &bytes[..span.start.min(end)]).map_or(0, |i| i + 1);
    let mut before: Option<Range<usize>> = (start > 0).then(|| {
        let b = memchr::memrchr(b'\n', &bytes[..start - 1]).map_or(0, |i| i + 1);
        trim(b..start - 1)
    });
    while start < end {
        let stop = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        work::add(stop - start);
        let this = trim(start..stop);
        if let Some(b) = &before
            && !this.is_empty()
            && !b.is_empty()
            && source[this.clone()] == source[b.clone()]
            && source[this.clone()].chars().any(|c| c.is_alphanumeric())
        {
            out.push(this.clone());
        }
        before = Some(this);
        start = stop + 1;
    }
    out
}

/// The smallest folded offset (a character boundary) whose source position
/// is at or past `at`.
fn folded_at(folded: &Folded, at: usize) -> usize {
    let text = folded.text();
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        while !text.is_char_boundary(mid) {
            mid -= 1;
        }
        if mid < lo {
            mid = lo;
        }
        if folded.to_source(mid..mid).start >= at {
            hi = mid;
        } else {
            let next = mid + text[mid..].chars().next().map_or(1, char::len_utf8);
            lo = next;
        }
    }
    lo
}

/// A hit on each pasted line that holds a hit of `inner`, covering the
/// folded text of the line. `copies` and `inner` are both in order, so each
/// line finds its hit by a binary search, not a scan of every hit before it.
fn repeated_line_hits<'e>(
    source: &str,
    folded: &Folded,
    copies: &[Range<usize>],
    inner: &[Hit<'e>],
) -> Vec<Hit<'e>> {
    let text = folded.text();
    // Hits are sorted by start; one that starts before a line may still
    // reach into it. `reach[k]` is the furthest end among the first k + 1.
    let reach: Vec<usize> = inner
        .iter()
        .scan(0, |end, h| {
            *end = (*end).max(h.range.end);
            Some(*end)
        })
        .collect();
    let mut out = Vec::new();
    for copy in copies {
        let a = folded_at(folded, copy.start);
        let b = folded_at(folded, copy.end).max(a);
        let line = &text[a..b];
        let lead = line.len() - line.trim_start().len();
        let range = a + lead..a + line.trim_end().len();
        // A line the region does not hold (a Markdown code block) folds to
        // nothing, or to other text.
        if range.is_empty() || text[range.clone()] != fold_str(&source[copy.clone()]) {
            continue;
        }
        // The first hit that ends past the line's start is the first whose
        // end raised `reach` past it.
        let k = reach.partition_point(|&end| end <= range.start);
        let Some(hit) = inner.get(k).filter(|h| h.range.start < range.end) else {
            continue;
        };
        out.push(Hit {
            range,
            caps: hit.caps.clone(),
        });
    }
    out
}

/// Where a `repeated` list over folded lines stops, when the inner list
/// stops at `cut` and its last known hit starts at `last`: see
/// [`Node::Repeated`] in `compute`.
fn line_cut(text: &str, cut: usize, last: Option<usize>) -> usize {
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..cut]).map_or(0, |i| i + 1);
    if last.is_none_or(|l| l < start) {
        return start;
    }
    memchr::memchr(b'\n', &bytes[cut..]).map_or(usize::MAX, |i| cut + i + 1)
}

/// The same as [`line_cut`] for lines of the source (`folded` is a region
/// of `source`): the folded stretch of the source line holding `cut`, its
/// end when a known hit lies on it, else its start.
fn source_line_cut(source: &str, folded: &Folded, cut: usize, last: Option<usize>) -> usize {
    let text = folded.text();
    let bytes = source.as_bytes();
    let at = folded.to_source(cut..cut).start;
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let known = last.is_some_and(|l| folded.to_source(l..l).start >= line_start);
    if known {
        let mut b = cut;
        while let Some(c) = text[b..].chars().next() {
            let n = b + c.len_utf8();
            if folded.to_source(b..n).end > line_end {
                return b;
            }
            b = n;
        }
        usize::MAX
    } else {
        let mut a = cut;
        while let Some(c) = text[..a].chars().next_back() {
            let p = a - c.len_utf8();
            if folded.to_source(p..a).start < line_start {
                break;
            }
            a = p;
        }
        a
    }
}

/// Fills `{match}`, `{found}`, `{expected}` and capture placeholders with
/// original (unfolded) text.
fn interpolate(
    template: &str,
    caps: &[(&str, Cap)],
    span: Option<&Range<usize>>,
    found: Option<(&Check, &str)>,
    doc: &Document,
    region: Option<&RegionEval<'_>>,
    vars: &Vars<'_>,
) -> String {
    // Packs are checked when they load, so the template splits cleanly.
    let Ok(parts) = crate::pack::placeholder::parts(template) else {
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len() + 32);
    for part in parts {
        let name = match part {
            crate::pack::placeholder::Part::Text(t) => {
                out.push_str(t);
                continue;
            }
            crate::pack::placeholder::Part::Placeholder(name) => name,
        };
        let value = match name {
            "match" => span.map(|s| match region {
                Some(region) => shown(doc, region, s),
                None => quote(&doc.source[s.clone()]),
            }),
            "found" => found.map(|(_, text)| text.to_string()),
            "expected" => found.map(|(c, _)| vars.fill(&c.expected)),
            "count" | "publisher.name" | "publisher.contact" | "publisher.domains" => {
                vars.get(name)
            }
            _ => caps
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, cap)| match cap {
                    Cap::Text(t) => (*t).to_string(),
                    Cap::Span(r) => match region {
                        Some(region) => shown(doc, region, &region.folded.to_source(r.clone())),
                        None => String::new(),
                    },
                }),
        };
        out.push_str(&value.unwrap_or_default());
    }
    out
}

/// What a reader sees of `span` (a range of the source) in `region`, made
/// fit for one line ([`quote`]): the region's own pieces of the source
/// there, so that a match across an HTML element quotes its text and never
/// the tags between (`Read more` rather than `Read more</a> </div>`), and a
/// character reference quotes the character.
fn shown(doc: &Document, region: &RegionEval<'_>, span: &Range<usize>) -> String {
    let segments = region.segments;
    let first = if region.segments_in_order {
        segments.partition_point(|s| s.src.end <= span.start)
    } else {
        0
    };
    let mut text = String::new();
    let mut pieces = 0;
    for seg in &segments[first..] {
        if region.segments_in_order && seg.src.start >= span.end {
            break;
        }
        let overlaps = seg.src.start < span.end && span.start < seg.src.end;
        if !overlaps {
            continue;
        }
        if pieces > 0 && seg.gap != crate::normalize::Gap::None {
            text.push(' ');
        }
        pieces += 1;
        match &seg.text {
            Some(decoded) => text.push_str(decoded),
            None => {
                let from = seg.src.start.max(span.start);
                let to = seg.src.end.min(span.end);
                text.push_str(doc.source.get(from..to).unwrap_or_default());
            }
        }
    }
    if pieces == 0 {
        return quote(doc.source.get(span.clone()).unwrap_or_default());
    }
    quote(&text)
}

/// Original text made fit for one line of output: whitespace runs become one
/// space, and long text is cut in the middle.
pub fn quote(text: &str) -> String {
    const MAX: usize = 80;
    // Only the first MAX + 1 and the last MAX / 2 - 1 characters of the
    // flattened text can show: a long span costs no more than a short one.
    let mut head = String::new();
    let mut head_chars = 0;
    for word in text.split_whitespace() {
        if head_chars > 0 {
            head.push(' ');
            head_chars += 1;
        }
        head.push_str(word);
        head_chars += word.chars().count();
        if head_chars > MAX {
            break;
        }
    }
    if head_chars <= MAX {
        return head;
    }
    let head: String = head.chars().take(MAX / 2).collect();
    let mut tail: Vec<char> = Vec::new();
    for word in text.split_whitespace().rev() {
        if !tail.is_empty() {
            tail.push(' ');
        }
        tail.extend(word.chars().rev());
        if tail.len() >= MAX / 2 - 1 {
            break;
        }
    }
    let tail: String = tail.iter().take(MAX / 2 - 1).rev().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits_of(text: &str, needle: &str) -> Vec<Hit<'static>> {
        text.match_indices(needle)
            .map(|(i, m)| Hit {
                range: i..i + m.len(),
                caps: Vec::new(),
            })
            .collect()
    }

    /// The line-by-line definition `repeated_lines` must agree with: scan
    /// out from each hit to its line's ends, compare with the line before.
    fn repeated_reference(text: &str, hits: &[Hit<'static>]) -> Vec<Range<usize>> {
        let line_of = |pos: usize| {
            let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            start..end
        };
        let trimmed = |r: Range<usize>| {
            let line = &text[r.clone()];
            let lead = line.len() - line.trim_start().len();
            r.start + lead..r.start + line.trim_end().len()
        };
        let mut out: Vec<Range<usize>> = Vec::new();
        for hit in hits {
            let line = line_of(hit.range.start);
            if line.start == 0 || out.last().is_some_and(|h| h.start >= line.start) {
                continue;
            }
            let (this, before) = (trimmed(line.clone()), trimmed(line_of(line.start - 1)));
            if !this.is_empty() && text[this.clone()] == text[before] {
                out.push(this);
            }
        }
        out
    }

    #[test]
    fn repeated_lines_agree_with_the_line_by_line_definition() {
        let texts = [
            "Photo: AP\nPhoto: AP\n\nPhoto: AP\n  Photo: AP  \nx Photo: AP\nPhoto: AP",
            "\n\nPhoto: AP\n\n\nPhoto: AP\nPhoto: AP\r\nPhoto: AP",
            "Photo: AP Photo: AP\nPhoto: AP Photo: AP\nPhoto: AP Photo: AP\n",
            "צילום: פלאש 90\nצילום: פלאש 90\nصورة: أ ف ب\nصورة: أ ف ب",
        ];
        for text in texts {
            for needle in ["Photo", "AP", "צילום", "90", "صورة", "\n"] {
                let hits = hits_of(text, needle);
                let got: Vec<Range<usize>> = repeated_lines(text, &hits)
                    .into_iter()
                    .map(|h| h.range)
                    .collect();
                assert_eq!(
                    got,
                    repeated_reference(text, &hits),
                    "{text:?} / {needle:?}"
                );
            }
        }
    }

    #[test]
    fn repeated_lines_read_each_line_once_however_many_hits_it_holds() {
        // Two equal lines of 20,000 credits each: a hit every 13 bytes.
        let line = "Photo: N/A ; ".repeat(20_000);
        let text = format!("intro\n{line}\n{line}\n");
        let hits = hits_of(&text, "Photo");
        assert_eq!(hits.len(), 40_000);
        work::take();
        let found = repeated_lines(&text, &hits);
        let read = work::take();
        let second = text.rfind("Photo").unwrap() - (line.len() - 13);
        assert_eq!(
            found.iter().map(|h| h.range.clone()).collect::<Vec<_>>(),
            vec![second..second + line.trim_end().len()]
        );
        // The line index reads the text once; each line is compared with
        // the one before it once. Scanning each hit's line again would read
        // some 40,000 × 260,000 bytes.
        assert!(
            read <= 2 * text.len(),
            "read {read} bytes of {}",
            text.len()
        );
    }

    fn quote_reference(text: &str) -> String {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= 80 {
            return flat;
        }
        let head: String = flat.chars().take(40).collect();
        let tail: Vec<char> = flat.chars().rev().take(39).collect();
        format!("{head}…{}", tail.into_iter().rev().collect::<String>())
    }

    #[test]
    fn quotes_keep_their_shape() {
        let long = "صورة توضيحية  (AP)\n\t".repeat(30);
        for text in [
            "",
            "  \n ",
            "Photo: AP",
            "a b",
            &"x".repeat(80),
            &"x".repeat(81),
            &"צילום ".repeat(14),
            &"צילום ".repeat(13),
            &long,
            &format!("{} {}", "y".repeat(200), "z".repeat(10)),
        ] {
            assert_eq!(quote(text), quote_reference(text), "{text:?}");
        }
    }

    /// The closest-hit rule as it reads: every candidate, by gap in
    /// characters, the first of equally close ones.
    fn nearest_reference<'h>(
        text: &str,
        anchor: &Range<usize>,
        candidates: &'h [Hit<'static>],
        within: usize,
        side: Side,
    ) -> Option<&'h Hit<'static>> {
        candidates
            .iter()
            .filter_map(|h| {
                let allowed = match side {
                    Side::Either => true,
                    Side::Before => h.range.start <= anchor.start,
                    Side::After => h.range.end >= anchor.end,
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

    #[test]
    fn nearest_agrees_with_reading_every_candidate() {
        let text = "אב גד הו זח טי כל מנ סע פצ קר שת ab cd ef gh ij kl mn op ".repeat(40);
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
        // Candidates out of order, overlapping, empty, and some very long.
        let mut candidates: Vec<Hit<'static>> = Vec::new();
        for (k, w) in bounds.windows(2).enumerate() {
            let end = if k % 17 == 0 {
                bounds[(k + 2000).min(bounds.len() - 1)]
            } else if k % 5 == 0 {
                w[0]
            } else {
                w[1]
            };
            if k % 4 != 1 {
                candidates.push(Hit {
                    range: w[0]..end,
                    caps: Vec::new(),
                });
            }
        }
        candidates.reverse();
        candidates.swap(3, 300);
        let nearby = Nearby::new(&candidates);
        for (k, w) in bounds.windows(3).enumerate().step_by(7) {
            let anchor = w[0]..w[k % 3];
            for within in [0, 1, 5, 40] {
                for side in [Side::Either, Side::Before, Side::After] {
                    let got = nearby
                        .nearest(&text, &anchor, within, side)
                        .map(|h| &h.range);
                    let want = nearest_reference(&text, &anchor, &candidates, within, side)
                        .map(|h| &h.range);
                    assert_eq!(got, want, "{anchor:?} {within} {side:?}");
                }
            }
        }
    }

    #[test]
    fn pairing_two_long_hit_lists_reads_only_hits_in_reach() {
        let text = "Photo: N/A, (Getty Images) CC BY-SA 3.5 ; ".repeat(20_000);
        let anchors = hits_of(&text, "Getty");
        let credits = hits_of(&text, "Photo");
        let nearby = Nearby::new(&credits);
        work::take();
        let found = anchors
            .iter()
            .filter(|a| nearby.nearest(&text, &a.range, 40, Side::Either).is_some())
            .count();
        assert_eq!(found, 20_000);
        // Each anchor looks at the credits within 40 characters of it (two
        // or three), not at all 20,000.
        let examined = work::take();
        assert!(examined <= 4 * anchors.len(), "examined {examined}");
    }

    #[test]
    fn clitics_are_read_only_as_far_as_a_clitic_run_reaches() {
        let arabic = super::super::Edges {
            left: Some(Script::Arabic),
            right: true,
        };
        for (text, want) in [
            ("وبالمصدر", true),
            ("ومصدر", true),
            ("كتابمصدر", false),
            ("بمصدر", true),
            ("بالمصدر", true),
            ("وبلمصدر", true),
            ("ووبالمصدر", false),
        ] {
            let start = text.find("مصدر").unwrap();
            assert_eq!(on_edges(text, start, text.len(), arabic), want, "{text}");
        }
        let long = format!("{}مصدر", "ب".repeat(100_000));
        assert!(!on_edges(
            &long,
            long.len() - "مصدر".len(),
            long.len(),
            arabic
        ));
    }
}
