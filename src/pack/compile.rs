//! `RawPack` → [`Pack`]: everything that can be wrong with a pack is found
//! here, once, with a span into the YAML.

use miette::{NamedSource, SourceSpan};
use serde_saphyr::Spanned;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use super::deferred::{self, PackRegex};
use super::pattern::{MAX_PATTERN_LEN, fold_pattern};
use super::placeholder;
use super::raw::{RawCheck, RawMatcher, RawPack, RawRule, StringOrList};
use super::{
    Check, ContactKinds, Examples, Field, Node, NodeId, Pack, PackError, Rule, RuleKind, Scope,
    Value,
};
use crate::normalize::fold_str;
use crate::yaml::{self, span_of};

/// Most regexes one pack may hold.
const MAX_REGEXES: usize = 512;
/// Most compiled size (NFA bytes, what each regex's size limit bounds) all
/// the regexes of one pack file may take together. Each built-in pack takes
/// under 300 KiB; one `\w{1,40}` takes about 3 MiB, and 500 of them took
/// seconds and more than a gigabyte to load before the combined RegexSet
/// failed with nothing to point at.
const PACK_REGEX_BUDGET: usize = 16 << 20;

/// How deep matchers may nest, counting each level a `ref:` adds. The YAML
/// parser caps nesting within one value; `define:` chains are capped here,
/// so neither compiling nor checking runs out of stack.
const MAX_MATCHER_DEPTH: usize = 64;
/// Placeholders a message may use: `found` and `expected` only in a rule
/// with `expect` checks, `count` only in a `forbid` rule.
const BUILTIN_PLACEHOLDERS: &[&str] = &[
    "match",
    "found",
    "expected",
    "count",
    "publisher.name",
    "publisher.domains",
    "publisher.contact",
];
/// Placeholders a `help` or `expected` text may use.
const PUBLISHER_PLACEHOLDERS: &str = "{publisher.name}, {publisher.domains}, {publisher.contact}";
/// What a template slot matches when the pack gives no regex for it: a
/// short run of text on one line.
const DEFAULT_SLOT: &str = r"[^\n]{1,80}?";
/// Region names a scope may use (besides `all` and the dotted families).
const REGION_NAMES: &[&str] = &["body", "title", "footer", "caption"];
const REGION_FAMILIES: &[&str] = &["front_matter", "meta", "link", "jsonld", "decoded"];

type Result<T> = std::result::Result<T, Box<PackError>>;

/// Builds [`PackError`]s against one pack's source.
struct Errors<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Errors<'_> {
    fn at(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        label: &str,
    ) -> Box<PackError> {
        Box::new(PackError {
            message: message.into(),
            source_code: NamedSource::new(self.origin, self.text.to_string()).with_language("yaml"),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
            label: label.to_string(),
            help: None,
        })
    }

    fn with_help(
        &self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        label: &str,
        help: &str,
    ) -> Box<PackError> {
        let mut e = self.at(span, message, label);
        e.help = Some(help.to_string());
        e
    }
}

/// Compiles a pack; with `defer`, its regexes are only parsed now and
/// compiled on first use (for the built-in packs).
pub(super) fn compile(origin: &str, text: &str, defer: bool) -> Result<Pack> {
    let errors = Errors { origin, text };
    let raw: RawPack = yaml::parse(text).map_err(|e| errors.at(e.span, e.message, "here"))?;
    let name = raw.pack.value.trim().to_string();
    if !is_identifier(&name) {
        return Err(errors.with_help(
            span_of(&raw.pack),
            format!("invalid pack name `{name}`"),
            "pack name",
            "use lowercase letters, digits and '-', starting with a letter",
        ));
    }
    let mut c = Compiler {
        errors: &errors,
        raw: &raw,
        nodes: Vec::new(),
        defined: HashMap::new(),
        in_progress: Vec::new(),
        depth: 0,
        regexes: 0,
        regex_bytes: std::cell::Cell::new(0),
        defer,
    };
    let mut rules = Vec::with_capacity(raw.rules.len());
    let mut seen = HashMap::new();
    for raw_rule in &raw.rules {
        let rule = c.rule(&name, raw_rule)?;
        if let Some(prev) = seen.insert(rule.id.clone(), span_of(&raw_rule.value.id)) {
            let _ = prev;
            return Err(errors.at(
                span_of(&raw_rule.value.id),
                format!("rule `{}` is defined twice", rule.id),
                "second definition",
            ));
        }
        rules.push(rule);
    }
    if rules.is_empty() {
        return Err(errors.at(
            span_of(&raw.pack),
            "a pack needs at least one rule",
            "this pack",
        ));
    }
    Ok(Pack {
        name,
        title: raw
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| raw.pack.value.clone()),
        description: raw.description.clone(),
        languages: raw.languages.clone(),
        origin: origin.to_string(),
        rules,
        nodes: c.nodes,
    })
}

fn is_slot_name(s: &str) -> bool {
    s != "at"
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Punctuation a template treats loosely (ASCII, Arabic and Hebrew marks,
/// quotes, dashes).
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() && c != '%' && c != '@' && c != '&' && c != '/'
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '–'
                | '—'
                | '־'
                | '״'
                | '׳'
                | '©'
        )
}

fn is_identifier(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

struct Compiler<'a> {
    errors: &'a Errors<'a>,
    raw: &'a RawPack,
    nodes: Vec<Node>,
    /// `define:` names already compiled.
    defined: HashMap<String, NodeId>,
    /// `define:` names being compiled (to report cycles).
    in_progress: Vec<String>,
    /// How many matchers enclose the one being compiled.
    depth: usize,
    regexes: usize,
    /// Compiled size of the pack's regexes so far (see `PACK_REGEX_BUDGET`).
    regex_bytes: std::cell::Cell<usize>,
    /// Regexes are parsed now and compiled on first use.
    defer: bool,
}

impl Compiler<'_> {
    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn rule(&mut self, pack: &str, spanned: &Spanned<RawRule>) -> Result<Rule> {
        let raw = &spanned.value;
        let e = self.errors;
        let local = raw.id.value.trim();
        if !is_identifier(local) {
            return Err(e.with_help(
                span_of(&raw.id),
                format!("invalid rule id `{local}`"),
                "rule id",
                "use lowercase letters, digits and '-'; the pack name is added in front",
            ));
        }
        let id = format!("{pack}/{local}");
        let rule_span = span_of(&raw.id);

        let scope = match &raw.scope {
            None => vec![Scope::Exact("body".to_string())],
            Some(s) => self.scopes(s)?,
        };
        if scope.is_empty() {
            return Err(e.at(rule_span, "`scope` is empty", "rule"));
        }

        let when = raw.when.as_ref().map(|m| self.matcher(m)).transpose()?;
        let unless = raw.unless.as_ref().map(|m| self.matcher(m)).transpose()?;
        let required_when = match &raw.required_when {
            Some(m) if raw.require.is_none() || raw.around.is_some() => {
                return Err(e.at(
                    span_of(m),
                    "`required_when` goes with `require` (without `around`)",
                    "not used",
                ));
            }
            Some(m) => Some(self.matcher(m)?),
            None => None,
        };
        let mut captures = BTreeSet::new();
        if raw.per.is_some() && (raw.require.is_none() || raw.around.is_some()) {
            return Err(e.at(
                rule_span.clone(),
                "`per` goes with `require` (without `around`)",
                "rule",
            ));
        }
        if let Some(at_most) = &raw.at_most
            && raw.forbid.is_none()
        {
            return Err(e.at(span_of(at_most), "`at_most` goes with `forbid`", "not used"));
        }
        let kind = match (&raw.require, &raw.forbid, &raw.around) {
            (Some(req), None, None) => {
                if raw.within.is_some() {
                    return Err(e.at(
                        span_of(raw.within.as_ref().unwrap_or_else(|| unreachable!())),
                        "`within` goes with `around`",
                        "not used",
                    ));
                }
                RuleKind::Require {
                    node: self.matcher(req)?,
                    per: raw.per.unwrap_or_default(),
                }
            }
            (None, Some(forbid), None) => {
                let node = self.matcher(forbid)?;
                self.captures(node, &mut captures);
                let checks = raw
                    .expect
                    .iter()
                    .map(|c| self.check(c, &captures))
                    .collect::<Result<Vec<_>>>()?;
                RuleKind::Forbid {
                    node,
                    checks,
                    at_most: raw.at_most.as_ref().map(|n| n.value),
                }
            }
            (Some(req), None, Some(around)) => {
                let within = raw.within.as_ref().ok_or_else(|| {
                    e.with_help(
                        rule_span.clone(),
                        format!("rule `{id}` has `around` but no `within`"),
                        "rule",
                        "add `within: N` (characters)",
                    )
                })?;
                let anchor = self.matcher(around)?;
                self.captures(anchor, &mut captures);
                RuleKind::Around {
                    anchor,
                    require: self.matcher(req)?,
                    within: within.value,
                }
            }
            _ => {
                return Err(e.with_help(
                    rule_span,
                    format!("rule `{id}` needs exactly one of `require`, `forbid`, or `around` with `require`"),
                    "rule",
                    "`require`: absence is a finding; `forbid`: each match is a finding; `around` + `require`: the required match must be near each anchor",
                ));
            }
        };
        if !raw.expect.is_empty() && !matches!(kind, RuleKind::Forbid { .. }) {
            return Err(e.at(
                span_of(&raw.expect[0]),
                "`expect` goes with `forbid`",
                "not used",
            ));
        }
        // `{found}` and `{expected}` are filled only by an `expect` check
        // that fails, `{count}` only by a `forbid` rule's count: elsewhere
        // they would print as nothing.
        let checked = matches!(&kind, RuleKind::Forbid { checks, .. } if !checks.is_empty());
        let counted = matches!(&kind, RuleKind::Forbid { .. });
        let fillable = |name: &str| match name {
            "found" | "expected" => checked,
            "count" => counted,
            _ => BUILTIN_PLACEHOLDERS.contains(&name) || captures.contains(name),
        };
        let available = BUILTIN_PLACEHOLDERS
            .iter()
            .copied()
            .filter(|name| fillable(name))
            .chain(captures.iter().map(String::as_str))
            .map(|name| format!("{{{name}}}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.check_placeholders("message", &raw.message, &fillable, &available)?;
        if let Some(help) = &raw.help {
            self.check_placeholders("help", help, &is_variable, PUBLISHER_PLACEHOLDERS)?;
        }

        let fix = match &raw.fix {
            None => None,
            // Something missing has no text to delete.
            Some(fix) if !matches!(kind, RuleKind::Forbid { .. }) => {
                return Err(e.with_help(
                    span_of(fix),
                    "`fix` goes with `forbid`".to_string(),
                    "nothing to delete",
                    "a `require` or `around` rule reports something missing; there is no text to delete or replace",
                ));
            }
            Some(fix) => match (&fix.value.delete, &fix.value.replace) {
                (Some(unit), None) => Some(super::Fix::Delete(*unit)),
                (None, Some(replace)) => Some(super::Fix::Replace(match replace {
                    super::raw::RawReplace::One(text) => super::Replacement {
                        he: text.clone(),
                        ar: text.clone(),
                        en: text.clone(),
                    },
                    super::raw::RawReplace::ByScript { he, ar, en } => super::Replacement {
                        he: he.clone(),
                        ar: ar.clone(),
                        en: en.clone(),
                    },
                })),
                _ => {
                    return Err(e.with_help(
                        span_of(fix),
                        "a fix is `delete` or `replace`, one of them".to_string(),
                        "one kind",
                        "`fix: { delete: line }` or `fix: { replace: { he: …, ar: …, en: … } }`",
                    ));
                }
            },
        };
        if !raw.examples.fixed.is_empty() && raw.examples.fixed.len() != raw.examples.invalid.len()
        {
            return Err(e.with_help(
                span_of(&raw.examples.fixed[0]),
                format!(
                    "{} `fixed` examples for {} `invalid` ones",
                    raw.examples.fixed.len(),
                    raw.examples.invalid.len()
                ),
                "one per invalid example",
                "`fixed` lists each invalid example as it reads after `--fix`, in the same order",
            ));
        }
        if let (Some(first), None) = (raw.examples.fixed.first(), &fix) {
            return Err(e.at(
                span_of(first),
                "`fixed` examples need the rule's `fix`",
                "no fix",
            ));
        }

        Ok(Rule {
            id,
            severity: raw.severity,
            message: raw.message.value.trim().to_string(),
            help: raw.help.as_ref().map(|h| h.value.trim().to_string()),
            scope,
            examples: Examples {
                publisher: raw.examples.publisher.clone(),
                required: raw.examples.required,
                valid: raw.examples.valid.clone(),
                invalid: raw.examples.invalid.clone(),
                fixed: raw.examples.fixed.iter().map(|f| f.value.clone()).collect(),
            },
            when,
            unless,
            required_when,
            kind,
            fix,
        })
    }

    fn check(&mut self, spanned: &Spanned<RawCheck>, captures: &BTreeSet<String>) -> Result<Check> {
        let raw = &spanned.value;
        let e = self.errors;
        let capture = raw.capture.value.trim().to_string();
        if !captures.contains(&capture) {
            return Err(e.with_help(
                span_of(&raw.capture),
                format!("no capture named `{capture}` in this rule's matcher"),
                "unknown capture",
                &format!("known captures: {}", list_or_none(captures)),
            ));
        }
        let one_of = raw
            .one_of
            .as_ref()
            .map(|v| v.iter().map(|s| fold_str(s)).collect::<Vec<_>>());
        let matches = raw
            .matches
            .as_ref()
            .map(|m| {
                let folded = self.fold_regex(m)?;
                self.build_regex(&format!("^(?:{folded})$"), m)
            })
            .transpose()?;
        let domain_in = match &raw.domain_in {
            None => None,
            Some(d) => Some(match &d.value {
                StringOrList::List(list) => Value::Literal(
                    list.iter()
                        .map(|x| x.trim().trim_start_matches('.').to_ascii_lowercase())
                        .collect::<Vec<String>>(),
                ),
                StringOrList::Variable(v) => match Field::parse(v) {
                    Some(Field::Domains) => Value::Publisher(Field::Domains),
                    _ => {
                        return Err(e.with_help(
                            span_of(d),
                            format!("`domain_in` takes a list of domains or `publisher.domains`, not `{v}`"),
                            "domain_in",
                            "e.g. `domain_in: publisher.domains` or `domain_in: [example.org]`",
                        ));
                    }
                },
            }),
        };
        let equals = match &raw.equals {
            None => None,
            Some(v) => Some(match Field::parse(&v.value) {
                Some(Field::Domains) => {
                    return Err(e.at(
                        span_of(v),
                        "`equals` compares with one value; use `domain_in` for `publisher.domains`",
                        "equals",
                    ));
                }
                Some(field) => Value::Publisher(field),
                None => Value::Literal(fold_str(&v.value)),
            }),
        };
        let absent = raw.absent.unwrap_or(false);
        if one_of.is_none()
            && matches.is_none()
            && domain_in.is_none()
            && equals.is_none()
            && !absent
        {
            return Err(e.at(
                span_of(spanned),
                "a check needs one of `one_of`, `matches`, `domain_in`, `equals`, `absent: true`",
                "check",
            ));
        }
        if let Some(expected) = &raw.expected {
            self.check_placeholders("expected", expected, &is_variable, PUBLISHER_PLACEHOLDERS)?;
        }
        // The default is built from the pack's values, which are text, not
        // placeholders: their braces are escaped.
        let expected = match &raw.expected {
            Some(text) => text.value.clone(),
            None => match (&raw.one_of, &raw.matches, &domain_in, &equals) {
                (Some(values), ..) => placeholder::escape(&values.join(" or ")),
                (None, Some(m), ..) => {
                    format!("a value matching `{}`", placeholder::escape(&m.value))
                }
                (None, None, Some(Value::Literal(list)), _) => {
                    format!("a domain of {}", placeholder::escape(&list.join(", ")))
                }
                (None, None, Some(Value::Publisher(_)), _) => {
                    "a domain of {publisher.domains}".to_string()
                }
                (None, None, None, Some(Value::Literal(v))) => placeholder::escape(v),
                (None, None, None, Some(Value::Publisher(f))) => format!("{{{}}}", f.name()),
                (None, None, None, None) => placeholder::escape(&format!("no `{capture}`")),
            },
        };
        Ok(Check {
            capture,
            one_of,
            matches,
            domain_in,
            equals,
            absent,
            expected,
        })
    }

    /// Checks the placeholders of a `message`, `help` or `expected` text:
    /// braces balanced (`{{`/`}}` escape them) and every name one the rule
    /// can fill (`allowed`).
    fn check_placeholders(
        &self,
        field: &str,
        text: &Spanned<String>,
        allowed: &dyn Fn(&str) -> bool,
        available: &str,
    ) -> Result<()> {
        let at =
            |r: Range<usize>| span_of(text).map(|s| narrow(self.errors.text, s, &text.value, r));
        let parts = placeholder::parts(&text.value)
            .map_err(|(message, r)| self.errors.at(at(r), format!("{field}: {message}"), field))?;
        for part in parts {
            if let placeholder::Part::Placeholder(name) = part
                && !allowed(name)
            {
                let span = text.value.find(name).map(|i| i..i + name.len());
                return Err(self.errors.with_help(
                    span.map_or_else(|| span_of(text), at),
                    if field == "message" && matches!(name, "found" | "expected") {
                        format!(
                            "message uses `{{{name}}}`, which only an `expect` check fills; this rule has none"
                        )
                    } else if field == "message" && name == "count" {
                        "message uses `{count}`, which only a `forbid` rule fills".to_string()
                    } else if field == "message" {
                        format!("message uses `{{{name}}}`, which this rule never captures")
                    } else {
                        format!("{field} uses `{{{name}}}`, which it cannot fill")
                    },
                    field,
                    &format!("available: {available}"),
                ));
            }
        }
        Ok(())
    }

    /// Names a node can capture (regex groups; `problem` and `kind` for contacts).
    fn captures(&self, node: NodeId, out: &mut BTreeSet<String>) {
        match &self.nodes[node] {
            Node::Phrases(_) => {}
            Node::Regex { re, .. } => out.extend(re.capture_names().map(str::to_string)),
            Node::Contact { .. } => {
                out.insert("problem".to_string());
                out.insert("kind".to_string());
                out.insert("domain".to_string());
            }
            Node::Any(ids) | Node::All(ids) => {
                for &id in ids {
                    self.captures(id, out);
                }
            }
            Node::Not(_) | Node::Publisher(_) => {}
            Node::Near { a, b, negate, .. } => {
                self.captures(*a, out);
                if !negate {
                    self.captures(*b, out);
                }
            }
            Node::Repeated { node: id, .. }
            | Node::In { node: id, .. }
            | Node::At { node: id, .. } => {
                self.captures(*id, out);
            }
        }
    }

    fn scopes(&self, s: &Spanned<super::raw::OneOrMany>) -> Result<Vec<Scope>> {
        s.value
            .to_vec()
            .iter()
            .map(|n| {
                parse_scope(n).ok_or_else(|| {
                    self.errors.with_help(
                        span_of(s),
                        format!("unknown scope `{n}`"),
                        "scope",
                        "use body, title, footer, caption, alt, all, front_matter or front_matter.<key> (also meta, link, jsonld, decoded)",
                    )
                })
            })
            .collect()
    }

    /// A matcher with its modifiers (`in`, `position`) applied.
    fn matcher(&mut self, spanned: &Spanned<RawMatcher>) -> Result<NodeId> {
        if self.depth >= MAX_MATCHER_DEPTH {
            return Err(self.errors.with_help(
                span_of(spanned),
                format!("matchers nest more than {MAX_MATCHER_DEPTH} deep"),
                "too deep",
                "shorten the chain of `ref:`s (a `ref:` counts as a level)",
            ));
        }
        self.depth += 1;
        let id = self.nested_matcher(spanned);
        self.depth -= 1;
        id
    }

    fn nested_matcher(&mut self, spanned: &Spanned<RawMatcher>) -> Result<NodeId> {
        let m = &spanned.value;
        let mut id = self.matcher_kind(spanned)?;
        if let Some(position) = m.position {
            id = self.push(Node::At { position, node: id });
        }
        if let Some(regions) = &m.within_regions {
            let scopes = self.scopes(regions)?;
            if scopes.is_empty() {
                return Err(self.errors.at(span_of(regions), "`in` is empty", "in"));
            }
            id = self.push(Node::In { scopes, node: id });
        }
        Ok(id)
    }

    fn matcher_kind(&mut self, spanned: &Spanned<RawMatcher>) -> Result<NodeId> {
        let m = &spanned.value;
        let e = self.errors;
        let span = span_of(spanned);
        let kinds: Vec<&str> = [
            ("phrases", m.phrases.is_some()),
            ("regex", m.regex.is_some()),
            ("contact", m.contact.is_some()),
            ("ref", m.reference.is_some()),
            ("any", m.any.is_some()),
            ("all", m.all.is_some()),
            ("not", m.not.is_some()),
            ("near", m.near.is_some()),
            ("not_near", m.not_near.is_some()),
            ("repeated", m.repeated.is_some()),
            ("repeated_line", m.repeated_line.is_some()),
            ("template", m.template.is_some()),
            ("publisher", m.publisher.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();
        if kinds.len() != 1 {
            return Err(e.with_help(
                span,
                if kinds.is_empty() {
                    "this matcher has no kind".to_string()
                } else {
                    format!("this matcher has several kinds: {}", kinds.join(", "))
                },
                "matcher",
                "a matcher has exactly one of: phrases, regex, contact, ref, any, all, not, near, not_near, repeated, repeated_line, template, publisher",
            ));
        }
        let kind = kinds[0];
        if m.broken.is_some() && kind != "contact" {
            return Err(e.at(span, "`broken` goes with `contact`", "matcher"));
        }
        if (m.within.is_some() || m.side.is_some()) && kind != "near" && kind != "not_near" {
            return Err(e.at(
                span,
                "`within` and `side` go with `near` and `not_near`",
                "matcher",
            ));
        }
        if m.slots.is_some() && kind != "template" {
            return Err(e.at(span, "`slots` goes with `template`", "matcher"));
        }
        if let Some(template) = &m.template {
            return self.template(template, m.slots.as_ref());
        }
        if let Some(field) = &m.publisher {
            let parsed = Field::parse(&format!("publisher.{}", field.value.trim()));
            return match parsed {
                Some(f) => Ok(self.push(Node::Publisher(f))),
                None => Err(e.with_help(
                    span_of(field),
                    format!("unknown publisher field `{}`", field.value.trim()),
                    "publisher",
                    "use name, domains or contact (from clearance.yaml's `publisher:`)",
                )),
            };
        }
        if let Some(inner) = &m.repeated {
            let id = self.matcher(inner)?;
            return Ok(self.push(Node::Repeated {
                node: id,
                line: false,
            }));
        }
        if let Some(inner) = &m.repeated_line {
            let id = self.matcher(inner)?;
            return Ok(self.push(Node::Repeated {
                node: id,
                line: true,
            }));
        }

        if let Some(phrases) = &m.phrases {
            if phrases.is_empty() {
                return Err(e.at(span, "`phrases` is empty", "matcher"));
            }
            let mut folded: Vec<String> = Vec::with_capacity(phrases.len());
            for p in phrases {
                let f = fold_str(&p.value);
                if f.is_empty() {
                    return Err(e.at(span_of(p), "this phrase is empty once folded", "phrase"));
                }
                if !folded.contains(&f) {
                    folded.push(f);
                }
            }
            return Ok(self.push(Node::Phrases(folded)));
        }
        if let Some(pattern) = &m.regex {
            let folded = self.fold_regex(pattern)?;
            let re = self.build_regex(&folded, pattern)?;
            if re.matches_empty() {
                return Err(e.with_help(
                    span_of(pattern),
                    "this regex matches empty text",
                    "regex",
                    "a rule regex must match at least one character",
                ));
            }
            self.regexes += 1;
            if self.regexes > MAX_REGEXES {
                return Err(e.at(
                    span_of(pattern),
                    format!("a pack may hold at most {MAX_REGEXES} regexes"),
                    "one too many",
                ));
            }
            return Ok(self.push(Node::Regex { re }));
        }
        if let Some(list) = &m.contact {
            let mut kinds = ContactKinds::default();
            for k in list {
                match k.value.trim() {
                    "email" => kinds.email = true,
                    "url" => kinds.url = true,
                    "phone" => kinds.phone = true,
                    other => {
                        return Err(e.with_help(
                            span_of(k),
                            format!("unknown contact kind `{other}`"),
                            "contact kind",
                            "use email, url or phone",
                        ));
                    }
                }
            }
            if kinds == ContactKinds::default() {
                return Err(e.at(
                    span,
                    "`contact` needs at least one of email, url, phone",
                    "matcher",
                ));
            }
            return Ok(self.push(Node::Contact {
                kinds,
                broken: m.broken,
            }));
        }
        if let Some(name) = &m.reference {
            return self.reference(name);
        }
        if let Some(list) = m.any.as_ref().or(m.all.as_ref()) {
            if list.is_empty() {
                return Err(e.at(span, format!("`{kind}` is empty"), "matcher"));
            }
            let ids = list
                .iter()
                .map(|x| self.matcher(x))
                .collect::<Result<Vec<_>>>()?;
            return Ok(self.push(if kind == "any" {
                Node::Any(ids)
            } else {
                Node::All(ids)
            }));
        }
        if let Some(inner) = &m.not {
            let id = self.matcher(inner)?;
            return Ok(self.push(Node::Not(id)));
        }
        let negate = m.not_near.is_some();
        let pair = m
            .near
            .as_ref()
            .or(m.not_near.as_ref())
            .unwrap_or_else(|| unreachable!("one kind is present"));
        if pair.len() != 2 {
            return Err(e.with_help(
                span,
                format!("`{kind}` takes exactly two matchers"),
                "matcher",
                "near: [A, B] finds matches of A with a match of B close by; not_near: [A, B] those without",
            ));
        }
        let within = m.within.ok_or_else(|| {
            e.with_help(
                span.clone(),
                format!("`{kind}` needs `within`"),
                "matcher",
                "add `within: N` (characters)",
            )
        })?;
        let a = self.matcher(&pair[0])?;
        let b = self.matcher(&pair[1])?;
        Ok(self.push(Node::Near {
            a,
            b,
            within,
            side: m.side.unwrap_or_default(),
            negate,
        }))
    }

    /// A template: literal wording with `{slot}`s, compiled to one regex.
    /// Whitespace between words matches any whitespace, punctuation is
    /// optional (any punctuation mark may stand in for it), and each slot
    /// is a named capture, so a rule's `expect` can say which slot is wrong.
    fn template(
        &mut self,
        text: &Spanned<String>,
        slots: Option<&std::collections::BTreeMap<String, Spanned<String>>>,
    ) -> Result<NodeId> {
        let e = self.errors;
        let mut pattern = String::from("(?:^|[^\\p{L}\\p{N}])(?P<at>");
        let mut used = BTreeSet::new();
        let mut literal_letters = 0;
        let mut rest = text.value.trim();
        // Whitespace pending between two pieces: `\s+` between words, `\s*` next to punctuation.
        let mut space = false;
        let mut last_punct = true;
        while !rest.is_empty() {
            let c = rest.chars().next().unwrap_or_default();
            if c == '{' {
                let close = rest.find('}').ok_or_else(|| {
                    e.at(
                        span_of(text),
                        "a `{` in this template is never closed",
                        "template",
                    )
                })?;
                let name = rest[1..close].trim();
                if !is_slot_name(name) {
                    return Err(e.with_help(
                        span_of(text),
                        format!("invalid slot name `{name}`"),
                        "template",
                        "slot names are lowercase letters, digits and '_' (not `at`)",
                    ));
                }
                if !used.insert(name.to_string()) {
                    return Err(e.at(
                        span_of(text),
                        format!("slot `{name}` appears twice"),
                        "template",
                    ));
                }
                if space {
                    pattern.push_str(if last_punct { "\\s*" } else { "\\s+" });
                }
                let slot = match slots.and_then(|s| s.get(name)) {
                    Some(re) => self.fold_regex(re)?,
                    None => DEFAULT_SLOT.to_string(),
                };
                pattern.push_str(&format!("(?P<{name}>{slot})"));
                rest = &rest[close + 1..];
                space = false;
                last_punct = false;
                continue;
            }
            if c.is_whitespace() {
                space = true;
            } else if is_punct(c) {
                pattern.push_str("\\s*");
                pattern.push_str("\\p{P}?");
                last_punct = true;
                space = false;
            } else {
                if space {
                    pattern.push_str(if last_punct { "\\s*" } else { "\\s+" });
                }
                space = false;
                last_punct = false;
                literal_letters += 1;
                pattern.push_str(&regex::escape(&c.to_string()));
            }
            rest = &rest[c.len_utf8()..];
        }
        pattern.push(')');
        if literal_letters == 0 {
            return Err(e.at(
                span_of(text),
                "a template needs some literal wording besides its slots",
                "template",
            ));
        }
        if let Some(slots) = slots
            && let Some(unused) = slots.keys().find(|k| !used.contains(k.as_str()))
        {
            return Err(e.at(
                span_of(&slots[unused]),
                format!("slot `{unused}` is not in the template"),
                "slot",
            ));
        }
        let spanned = Spanned {
            value: pattern,
            referenced: text.referenced,
            defined: text.defined,
        };
        let folded = self.fold_regex(&spanned)?;
        let re = self.build_regex(&folded, &spanned)?;
        self.regexes += 1;
        Ok(self.push(Node::Regex { re }))
    }

    fn reference(&mut self, name: &Spanned<String>) -> Result<NodeId> {
        let key = name.value.trim();
        if let Some(&id) = self.defined.get(key) {
            return Ok(id);
        }
        let e = self.errors;
        let Some(def) = self.raw.define.get(key) else {
            let known: BTreeSet<String> = self.raw.define.keys().cloned().collect();
            return Err(e.with_help(
                span_of(name),
                format!("nothing is defined as `{key}`"),
                "unknown name",
                &format!("defined: {}", list_or_none(&known)),
            ));
        };
        if self.in_progress.iter().any(|n| n == key) {
            return Err(e.at(
                span_of(name),
                format!(
                    "`{key}` refers to itself through {}",
                    self.in_progress.join(" → ")
                ),
                "cycle",
            ));
        }
        self.in_progress.push(key.to_string());
        let id = self.matcher(def)?;
        self.in_progress.pop();
        self.defined.insert(key.to_string(), id);
        Ok(id)
    }

    fn fold_regex(&self, pattern: &Spanned<String>) -> Result<String> {
        let e = self.errors;
        if pattern.value.len() > MAX_PATTERN_LEN {
            return Err(e.at(
                span_of(pattern),
                format!("regex is longer than {MAX_PATTERN_LEN} bytes"),
                "regex",
            ));
        }
        fold_pattern(&pattern.value).map_err(|(msg, at)| {
            let span = span_of(pattern).map(|s| narrow(self.errors.text, s, &pattern.value, at));
            e.at(span, format!("invalid regex: {msg}"), "here")
        })
    }

    fn build_regex(&self, folded: &str, pattern: &Spanned<String>) -> Result<PackRegex> {
        if self.defer
            && let Some(hir) = deferred::parse(folded)
        {
            return Ok(PackRegex::deferred(folded, &hir));
        }
        // Measure the NFA first, within what is left of the pack's budget:
        // cheap, and it stops a pack of huge regexes at the first one over.
        let used = self.regex_bytes.get();
        let room = PACK_REGEX_BUDGET.saturating_sub(used);
        match deferred::nfa_size(folded, room.min(deferred::SIZE_LIMIT)) {
            Some(size) => {
                self.regex_bytes.set(used + size);
                // Its NFA compiled within the limit: the regex compiles too,
                // so it can wait for its first use. A pack of hundreds of
                // rules then costs at start-up what its patterns cost to
                // parse and measure, not to build in full (a regex with a
                // Unicode class takes about a millisecond and hundreds of
                // kilobytes to build).
                if let Some(hir) = deferred::parse(folded) {
                    return Ok(PackRegex::deferred(folded, &hir));
                }
            }
            None if room < deferred::SIZE_LIMIT && deferred::build(folded).is_ok() => {
                return Err(self.errors.with_help(
                    span_of(pattern),
                    format!(
                        "the pack's regexes are too large together: this one would take them over {} MiB compiled",
                        PACK_REGEX_BUDGET >> 20
                    ),
                    "regex",
                    "split the pack, or make the regexes smaller: a counted repeat of \\w or \\p{L} ({1,40}) is large, `+` or `*` is not",
                ));
            }
            None => {}
        }
        deferred::build(folded).map(PackRegex::compiled).map_err(|err| {
            let msg = match err {
                regex::Error::CompiledTooBig(_) => "regex is too large once compiled".to_string(),
                other => other
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            self.errors.with_help(
                span_of(pattern),
                format!("invalid regex: {msg}"),
                "regex",
                "Unicode classes such as \\w and \\p{L} are large; prefer \\p{Arabic}, \\p{Hebrew} or explicit sets",
            )
        })
    }
}

/// Narrows a span over a YAML scalar to the part `at` of its value, when the
/// scalar is written plainly (no escapes); otherwise keeps the whole scalar.
fn narrow(text: &str, scalar: Range<usize>, value: &str, at: Range<usize>) -> Range<usize> {
    let slice = text.get(scalar.clone()).unwrap_or_default();
    match slice.find(value) {
        Some(offset) if at.end <= value.len() => {
            let start = scalar.start + offset + at.start;
            start
                ..(scalar.start + offset + at.end)
                    .max(start + 1)
                    .min(scalar.end.max(start))
        }
        _ => scalar,
    }
}

fn parse_scope(name: &str) -> Option<Scope> {
    let name = name.trim();
    if name == "all" {
        return Some(Scope::All);
    }
    if REGION_NAMES.contains(&name) || name == "alt" {
        return Some(Scope::Exact(name.to_string()));
    }
    if REGION_FAMILIES.contains(&name) {
        return Some(Scope::Prefix(name.to_string()));
    }
    let (family, key) = name.split_once('.')?;
    (REGION_FAMILIES.contains(&family) && !key.is_empty()).then(|| Scope::Exact(name.to_string()))
}

/// Whether a `help` or `expected` text may use this placeholder.
fn is_variable(name: &str) -> bool {
    Field::parse(name).is_some()
}

fn list_or_none(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
