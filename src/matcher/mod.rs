//! The matcher: every active pack compiled into one searcher.
//!
//! All phrases of all rules go into ONE overlapping Aho-Corasick automaton
//! (overlapping, because one rule's "all rights" must still be seen when
//! another rule has "all rights reserved"), and all regexes into one
//! `RegexSet` that says which regexes can match a region at all. A region is
//! then searched once by each; rules are evaluated on those hits (`eval`).
//! The automaton also carries each regex's gate literals (`gate`): a regex
//! runs only in regions where one of them was seen.

pub mod contact;
mod eval;
mod gate;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{RegexSet, RegexSetBuilder};
use std::collections::HashMap;

use crate::pack::{Node, NodeId, Pack, Per, Position, Rule, RuleKind};

pub use eval::{Checked, MAX_FINDINGS_PER_RULE, Profile, quote as quote_text};

/// The most hits one matcher node keeps in one region of a document. A
/// pattern that matches more often than this (a page of nothing but
/// credits) is followed only that far: rules that read it are answered up
/// to the point where its list stops, and a note says where. This bounds a
/// document's memory by its size rather than by how often a pattern
/// repeats in it; ordinary articles have a few dozen hits per node.
pub const MAX_HITS_PER_NODE: usize = 20_000;

/// Most phrases and gate literals the phrase automaton is built as a DFA for.
const MAX_DFA_PATTERNS: usize = 5000;
/// Size allowed for the combined RegexSet of every active pack.
const REGEX_SET_SIZE_LIMIT: usize = 64 << 20;
/// Cache allowed for the RegexSet's lazy DFA, per thread. The library's
/// default (a few MiB) is too small for a set of a hundred patterns with
/// Unicode classes: the cache fills, is cleared over and over, and the set
/// gives up its DFA for a much slower engine. A hundred such regexes took
/// 18.7 s over 2,000 articles with the default and 0.38 s with this; the
/// cache only grows as far as the text needs.
const REGEX_SET_DFA_CACHE: usize = 64 << 20;
/// Below this many regexes without a gate, a RegexSet pass costs more than it saves: each
/// regex already skips text with its own literal prefilter, and rules reach
/// most regexes only after a cheap phrase gate (`when`). Measured with the
/// six built-in packs (about forty regexes): the set pass took a third of
/// the scan, more than the regexes the rules actually ran.
const REGEX_SET_MIN: usize = 64;

/// Every active pack, ready to check documents. Build once, share across threads.
#[derive(Debug)]
pub struct Engine {
    packs: Vec<Pack>,
    nodes: Vec<Node>,
    /// One automaton over every distinct phrase and gate literal; `None`
    /// when there are neither.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern: the phrase nodes that list it.
    pattern_owners: Vec<Vec<NodeId>>,
    /// For each automaton pattern: the regex slots it is a gate literal of.
    pattern_gates: Vec<Vec<usize>>,
    /// For each regex slot: whether it has a gate (runs only where one of
    /// its literals was seen).
    gated: Vec<bool>,
    /// For each rule (in [`Engine::rules`] order): whether it gives the same
    /// findings when a region lying inside another region of its scope (a
    /// plain file's footer inside its body) is not read again.
    reads_once: Vec<bool>,
    /// `false` turns off every shortcut that must not change a result (gates,
    /// contact windows, footer reuse), so tests can compare both ways.
    shortcuts: bool,
    /// The most hits one node keeps in one region ([`MAX_HITS_PER_NODE`]).
    hit_cap: usize,
    /// For each automaton pattern: its boundary needs.
    pattern_edges: Vec<Edges>,
    /// One set over the regexes without a gate, when there are enough of
    /// them to be worth it: it says which of those can match a region.
    /// Gated regexes stay out of it: their literals already say where they
    /// can match, and a set of hundreds of patterns with Unicode classes
    /// overflows the lazy DFA's cache and searches far slower than the
    /// regexes it stands for.
    regex_set: Option<RegexSet>,
    /// For each regex slot: its index in `regex_set`, when it is in it.
    set_index: Vec<Option<usize>>,
    /// For each node: its index in `regex_set`, when it is a regex.
    regex_slot: Vec<Option<usize>>,
    /// When every contact matcher is only ever looked for near another
    /// matcher's hits: those matchers and their distances (characters).
    /// The contact finder then scans windows around their hits instead of
    /// whole regions. `None`: scan whole regions.
    contact_anchors: Option<Vec<(NodeId, usize)>>,
    /// For each rule (in [`Engine::rules`] order): which distinct scope
    /// list it has, so a document's regions are matched against each list
    /// once rather than once per rule.
    scope_group: Vec<usize>,
    /// How many distinct scope lists there are.
    scope_groups: usize,
}

/// Whether a phrase's ends must fall on word boundaries, and which script's
/// prefixes (clitics) may stand before it.
#[derive(Clone, Copy, Debug)]
struct Edges {
    left: Option<Script>,
    right: bool,
}

/// The script a letter belongs to, as far as word edges (Arabic and Hebrew
/// clitics) and a snippet's language go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Script {
    Arabic,
    Hebrew,
    Other,
}

impl Engine {
    /// Joins the packs' matchers into one searcher. Fails only if the
    /// combined regex set is too large.
    pub fn new(mut packs: Vec<Pack>) -> Result<Engine, crate::Error> {
        let mut nodes = Vec::new();
        for pack in &mut packs {
            let offset = nodes.len();
            for node in pack.nodes.drain(..) {
                nodes.push(rebase(node, offset));
            }
            for rule in &mut pack.rules {
                rule.when = rule.when.map(|n| n + offset);
                rule.required_when = rule.required_when.map(|n| n + offset);
                rule.unless = rule.unless.map(|n| n + offset);
                let placeholder = RuleKind::Require {
                    node: 0,
                    per: Per::Document,
                };
                rule.kind = match std::mem::replace(&mut rule.kind, placeholder) {
                    RuleKind::Require { node, per } => RuleKind::Require {
                        node: node + offset,
                        per,
                    },
                    RuleKind::Forbid {
                        node,
                        checks,
                        at_most,
                    } => RuleKind::Forbid {
                        node: node + offset,
                        checks,
                        at_most,
                    },
                    RuleKind::Around {
                        anchor,
                        require,
                        within,
                    } => RuleKind::Around {
                        anchor: anchor + offset,
                        require: require + offset,
                        within,
                    },
                };
            }
        }

        let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut pattern_id = |literal: &[u8]| {
            *index.entry(literal.to_vec()).or_insert_with(|| {
                patterns.push(literal.to_vec());
                patterns.len() - 1
            })
        };
        // (pattern, phrase node) and (pattern, regex slot) pairs.
        let mut owned: Vec<(usize, NodeId)> = Vec::new();
        let mut gates: Vec<(usize, usize)> = Vec::new();
        let mut regex_patterns = Vec::new();
        let mut regex_slot = vec![None; nodes.len()];
        // Per node: a regex whose matches can differ in a region that lies
        // inside another (it looks for the text's own start or end, or
        // its matches run across lines).
        let mut sees_edges = vec![false; nodes.len()];
        let mut gated = Vec::new();
        for (id, node) in nodes.iter().enumerate() {
            match node {
                Node::Phrases(list) => {
                    for phrase in list {
                        owned.push((pattern_id(phrase.as_bytes()), id));
                    }
                }
                Node::Regex { re } => {
                    let pattern = re.as_str();
                    let slot = regex_patterns.len();
                    regex_slot[id] = Some(slot);
                    regex_patterns.push(pattern);
                    let gate::Analysis {
                        literals,
                        anchored: is_anchored,
                        crosses_lines,
                    } = gate::analyse(pattern);
                    sees_edges[id] = is_anchored || crosses_lines;
                    gated.push(literals.is_some());
                    for literal in literals.into_iter().flatten() {
                        gates.push((pattern_id(&literal), slot));
                    }
                }
                _ => {}
            }
        }
        let mut pattern_owners = vec![Vec::new(); patterns.len()];
        for (p, id) in owned {
            pattern_owners[p].push(id);
        }
        let mut pattern_gates = vec![Vec::new(); patterns.len()];
        for (p, slot) in gates {
            pattern_gates[p].push(slot);
        }
        let pattern_edges = patterns
            .iter()
            .map(|p| edges(std::str::from_utf8(p).unwrap_or_default()))
            .collect();
        let automaton = if patterns.is_empty() {
            None
        } else {
            // A DFA is the fastest to search; past a few thousand phrases it
            // takes too much memory to build, and the library's own choice
            // of a smaller automaton takes over.
            let build = |kind| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
                    .build(&patterns)
            };
            let dfa = (patterns.len() <= MAX_DFA_PATTERNS)
                .then(|| build(Some(aho_corasick::AhoCorasickKind::DFA)).ok())
                .flatten();
            Some(match dfa {
                Some(dfa) => dfa,
                None => build(None).map_err(|e| {
                    crate::Error::Usage(format!("cannot build the phrase automaton: {e}"))
                })?,
            })
        };
        // The set only rules regexes out early: when the active packs'
        // regexes are too large together, each runs on its own instead.
        let ungated: Vec<usize> = (0..regex_patterns.len()).filter(|&s| !gated[s]).collect();
        let regex_set = if ungated.len() < REGEX_SET_MIN {
            None
        } else {
            RegexSetBuilder::new(ungated.iter().map(|&s| regex_patterns[s]))
                .size_limit(REGEX_SET_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SET_DFA_CACHE)
                .build()
                .ok()
        };
        let mut set_index = vec![None; regex_patterns.len()];
        if regex_set.is_some() {
            for (i, &slot) in ungated.iter().enumerate() {
                set_index[slot] = Some(i);
            }
        }
        let contact_anchors = contact_anchors(&nodes, packs.iter().flat_map(|p| p.rules.iter()));
        let reads_once = packs
            .iter()
            .flat_map(|p| p.rules.iter())
            .map(|rule| reads_once(&nodes, &sees_edges, rule))
            .collect();
        let mut groups: Vec<&[crate::pack::Scope]> = Vec::new();
        let scope_group = packs
            .iter()
            .flat_map(|p| p.rules.iter())
            .map(
                |rule| match groups.iter().position(|g| *g == rule.scope.as_slice()) {
                    Some(g) => g,
                    None => {
                        groups.push(&rule.scope);
                        groups.len() - 1
                    }
                },
            )
            .collect();
        let scope_groups = groups.len();
        Ok(Engine {
            contact_anchors,
            scope_group,
            scope_groups,
            packs,
            nodes,
            automaton,
            pattern_owners,
            pattern_gates,
            gated,
            reads_once,
            shortcuts: true,
            hit_cap: MAX_HITS_PER_NODE,
            pattern_edges,
            regex_set,
            set_index,
            regex_slot,
        })
    }

    /// The same engine with every shortcut that must not change a result
    /// turned off: each regex searches whole regions, the contact finder
    /// whole regions, and a region inside another is read on its own. For
    /// tests that compare the two.
    #[doc(hidden)]
    pub fn without_shortcuts(mut self) -> Engine {
        self.shortcuts = false;
        self
    }

    /// The same engine keeping at most `cap` hits per node and region
    /// instead of [`MAX_HITS_PER_NODE`], so that tests can reach the limit
    /// with small documents.
    #[doc(hidden)]
    pub fn with_hit_cap(mut self, cap: usize) -> Engine {
        self.hit_cap = cap;
        self
    }

    /// Every distinct phrase in the automaton, folded, in first-seen order.
    pub fn phrases(&self) -> impl Iterator<Item = &str> {
        let mut seen = std::collections::HashSet::new();
        self.nodes
            .iter()
            .filter_map(|n| match n {
                Node::Phrases(list) => Some(list.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .filter(move |p| seen.insert(*p))
    }

    /// The active packs, in order.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Every active rule, in pack order.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| p.rules.iter())
    }
}

/// See [`Engine::contact_anchors`].
fn contact_anchors<'r>(
    nodes: &[Node],
    rules: impl Iterator<Item = &'r Rule>,
) -> Option<Vec<(NodeId, usize)>> {
    let is_contact = |id: NodeId| matches!(nodes.get(id), Some(Node::Contact { .. }));
    let mut anchors = Vec::new();
    let mut whole = false;
    for node in nodes {
        match node {
            Node::Near {
                a,
                b,
                within,
                negate,
                ..
            } => {
                // `not_near` keeps the contacts with NO `b` close by: those
                // lie outside every window around `b`.
                if is_contact(*a) && *negate {
                    whole = true;
                } else if is_contact(*a) {
                    anchors.push((*b, *within));
                }
                if is_contact(*b) {
                    anchors.push((*a, *within));
                }
            }
            Node::Any(ids) | Node::All(ids) => whole |= ids.iter().any(|&id| is_contact(id)),
            Node::Not(id)
            | Node::Repeated { node: id, .. }
            | Node::In { node: id, .. }
            | Node::At { node: id, .. } => whole |= is_contact(*id),
            // No children: nothing here pairs a contact with an anchor.
            // (Listed, not `_`: a new kind must be thought through here.)
            Node::Phrases(_) | Node::Regex { .. } | Node::Contact { .. } | Node::Publisher(_) => {}
        }
    }
    for rule in rules {
        whole |= rule.when.is_some_and(is_contact);
        whole |= rule.required_when.is_some_and(is_contact);
        whole |= rule.unless.is_some_and(is_contact);
        match &rule.kind {
            RuleKind::Require { node: n, .. } | RuleKind::Forbid { node: n, .. } => {
                whole |= is_contact(*n)
            }
            RuleKind::Around {
                anchor,
                require,
                within,
            } => {
                whole |= is_contact(*anchor);
                if is_contact(*require) {
                    anchors.push((*anchor, *within));
                }
            }
        }
    }
    // An anchor that itself holds a contact would need the contacts to find
    // its own windows.
    whole |= anchors
        .iter()
        .any(|&(anchor, _)| reaches(nodes, [anchor], |_, n| matches!(n, Node::Contact { .. })));
    // Rules often share an anchor (a notice searched for a contact and for
    // a broken one): each is windowed once.
    anchors.sort_unstable();
    anchors.dedup();
    (!whole && !anchors.is_empty()).then_some(anchors)
}

/// See [`Engine::reads_once`]: true unless a matcher can tell where a region
/// starts or ends (`in:`, `position: start`, a regex anchor or a regex
/// whose matches run across lines), finds an absence (`not`, `not_near`),
/// or the rule reports an absence (`around:`) or asks each region for a
/// match of its own. Those matchers and rules see the regions as written.
fn reads_once(nodes: &[Node], sees_edges: &[bool], rule: &Rule) -> bool {
    let node = match rule.kind {
        RuleKind::Require {
            per: Per::Region, ..
        }
        | RuleKind::Around { .. } => return false,
        RuleKind::Require { node, .. } | RuleKind::Forbid { node, .. } => node,
    };
    !reaches(
        nodes,
        rule.when
            .into_iter()
            .chain(rule.required_when)
            .chain(rule.unless)
            .chain([node]),
        |id, n| match n {
            Node::Not(_)
            | Node::Near { negate: true, .. }
            | Node::In { .. }
            | Node::At {
                position: Position::Start,
                ..
            } => true,
            Node::Regex { .. } => sees_edges[id],
            // Listed, not `_`: a new kind must say whether a region inside
            // another can change what it finds.
            Node::At {
                position: Position::Footer | Position::Content,
                ..
            }
            | Node::Near { negate: false, .. }
            | Node::Phrases(_)
            | Node::Contact { .. }
            | Node::Any(_)
            | Node::All(_)
            | Node::Repeated { .. }
            | Node::Publisher(_) => false,
        },
    )
}

/// Whether `found` holds for a node reachable from `roots` (the roots
/// included).
fn reaches(
    nodes: &[Node],
    roots: impl IntoIterator<Item = NodeId>,
    found: impl Fn(NodeId, &Node) -> bool,
) -> bool {
    let mut stack: Vec<NodeId> = roots.into_iter().collect();
    let mut seen = vec![false; nodes.len()];
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        let node = &nodes[id];
        if found(id, node) {
            return true;
        }
        match node {
            Node::Any(ids) | Node::All(ids) => stack.extend(ids),
            Node::Near { a, b, .. } => stack.extend([*a, *b]),
            Node::Not(id)
            | Node::Repeated { node: id, .. }
            | Node::In { node: id, .. }
            | Node::At { node: id, .. } => stack.push(*id),
            Node::Phrases(_) | Node::Regex { .. } | Node::Contact { .. } | Node::Publisher(_) => {}
        }
    }
    false
}

fn rebase(node: Node, offset: usize) -> Node {
    let shift = |ids: Vec<NodeId>| ids.into_iter().map(|i| i + offset).collect();
    match node {
        Node::Any(ids) => Node::Any(shift(ids)),
        Node::All(ids) => Node::All(shift(ids)),
        Node::Not(id) => Node::Not(id + offset),
        Node::Near {
            a,
            b,
            within,
            side,
            negate,
        } => Node::Near {
            a: a + offset,
            b: b + offset,
            within,
            side,
            negate,
        },
        Node::Repeated { node, line } => Node::Repeated {
            node: node + offset,
            line,
        },
        Node::In { scopes, node } => Node::In {
            scopes,
            node: node + offset,
        },
        Node::At { position, node } => Node::At {
            position,
            node: node + offset,
        },
        leaf @ (Node::Phrases(_)
        | Node::Regex { .. }
        | Node::Contact { .. }
        | Node::Publisher(_)) => leaf,
    }
}

/// Arabic (the base block, its supplement and extended-A), Hebrew (with its
/// presentation forms, which folded text never holds: NFKD takes them
/// apart) or anything else.
pub(crate) fn script(c: char) -> Script {
    match c {
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => {
            Script::Arabic
        }
        '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => Script::Hebrew,
        _ => Script::Other,
    }
}

fn edges(phrase: &str) -> Edges {
    let first = phrase.chars().next();
    let last = phrase.chars().next_back();
    Edges {
        left: first.filter(|c| c.is_alphanumeric()).map(script),
        right: last.is_some_and(char::is_alphanumeric),
    }
}

/// Is `prefix` (the letters glued before a phrase) a run of clitics that
/// Arabic or Hebrew attach to a word? "ל" in "לחוק", "وال" in "والنشر".
/// The most letters [`is_clitic_prefix`] accepts (Arabic: conjunction,
/// preposition and article, «وبال»).
const MAX_CLITIC_CHARS: usize = 4;

fn is_clitic_prefix(prefix: &str, script: Script) -> bool {
    match script {
        Script::Hebrew => {
            let n = prefix.chars().count();
            (1..=3).contains(&n) && prefix.chars().all(|c| "והבכלמש".contains(c))
        }
        Script::Arabic => {
            // Optional conjunction, optional preposition, optional article.
            let mut rest = prefix;
            for set in ["وف", "بكل"] {
                if let Some(c) = rest.chars().next().filter(|c| set.contains(*c)) {
                    rest = &rest[c.len_utf8()..];
                }
            }
            let rest = rest
                .strip_prefix("ال")
                .or_else(|| rest.strip_prefix('ل'))
                .unwrap_or(rest);
            rest.is_empty() && !prefix.is_empty()
        }
        Script::Other => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn house(name: &str, rules: usize, regex: impl Fn(usize) -> String) -> Pack {
        let mut yaml = format!("pack: {name}\ntitle: house\nrules:\n");
        for i in 0..rules {
            yaml.push_str(&format!(
                "  - id: r{i}\n    severity: warning\n    message: found\n    forbid: {{ regex: '{}' }}\n",
                regex(i)
            ));
        }
        Pack::from_yaml("house.yaml", &yaml).expect("house pack loads")
    }

    /// Regexes that carry gate literals stay out of the RegexSet: a set of
    /// hundreds of patterns with Unicode classes searched slower than the
    /// regexes it stood for (500 rules written with the README's word
    /// boundary took 72 s over 2,000 articles). The set is only for
    /// regexes without literals, and then has room for its DFA.
    #[test]
    fn gated_regexes_stay_out_of_the_regex_set() {
        let gated = house("house", 500, |i| format!("(?:^|[^\\p{{L}}])(zq{i}word)"));
        let engine = Engine::new(vec![gated]).expect("engine");
        assert_eq!(engine.gated.len(), 500);
        assert!(engine.gated.iter().all(|&g| g));
        assert!(engine.regex_set.is_none());
        assert!(engine.set_index.iter().all(Option::is_none));

        let ungated = house("ungated", REGEX_SET_MIN, |i| format!("\\d{{{}}}x", i + 1));
        let mixed = house("gated", 3, |i| format!("zq{i}word"));
        let engine = Engine::new(vec![mixed, ungated]).expect("engine");
        let set = engine
            .regex_set
            .as_ref()
            .expect("a set of the ungated regexes");
        assert_eq!(set.len(), REGEX_SET_MIN);
        assert_eq!(&engine.set_index[..3], &[None, None, None]);
        assert_eq!(engine.set_index[3], Some(0));
        assert_eq!(
            engine.set_index[3 + REGEX_SET_MIN - 1],
            Some(REGEX_SET_MIN - 1)
        );
    }

    /// The set still says which regexes can match, and the findings are the
    /// same as without it.
    #[test]
    fn findings_with_a_regex_set_are_those_without_it() {
        let pack = || house("house", REGEX_SET_MIN + 2, |i| format!("\\d{{{}}}x", i + 1));
        let with_set = Engine::new(vec![pack()]).expect("engine");
        assert!(with_set.regex_set.is_some());
        let without = Engine::new(vec![pack()])
            .expect("engine")
            .without_shortcuts();
        let doc = crate::load::from_source(
            "a.txt",
            crate::load::Kind::Text,
            "Order 123x and 12345x.\n\nNothing here.".to_string(),
        );
        let profile = Profile::default();
        let ids = |e: &Engine| {
            e.check_with(&doc, &profile)
                .findings
                .iter()
                .map(|f| format!("{} {:?}", f.rule, f.span))
                .collect::<Vec<_>>()
        };
        let found = ids(&with_set);
        assert_eq!(found, ids(&without));
        assert!(found.contains(&"house/r2 6..10".to_string()), "{found:?}");
        assert!(found.contains(&"house/r4 15..21".to_string()), "{found:?}");
    }
}
