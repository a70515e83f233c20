//! The YAML shape of a rule pack, exactly as a pack author writes it.
//!
//! Nothing here is checked beyond what serde checks (unknown keys are errors,
//! so a typo never becomes a rule that silently does nothing). `compile.rs`
//! turns these types into a [`super::Pack`]; only compiled types leave the
//! `pack` module. Fields that can be wrong in ways serde cannot see carry a
//! [`Spanned`] location so errors point into the YAML.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

use crate::finding::Severity;

/// A whole pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    /// Pack name: the prefix of every rule id (`il-27a` in `il-27a/notice-missing`).
    pub(crate) pack: Spanned<String>,
    /// One line for `clearance rules list` (default: the pack's name).
    #[serde(default)]
    pub(crate) title: Option<String>,
    /// Longer description for `clearance rules show`.
    #[serde(default)]
    pub(crate) description: Option<String>,
    /// Languages the pack's wording covers (informational).
    #[serde(default)]
    pub(crate) languages: Vec<String>,
    /// Named matchers that rules and other definitions use with `ref:`.
    #[serde(default)]
    pub(crate) define: BTreeMap<String, Spanned<RawMatcher>>,
    /// The rules, in the order they are reported by `rules list`.
    pub(crate) rules: Vec<Spanned<RawRule>>,
}

/// One rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// Rule name inside the pack; the full id is `pack/id`.
    pub(crate) id: Spanned<String>,
    pub(crate) severity: Severity,
    /// What is wrong; may interpolate `{match}`, captures, `{found}`, `{expected}`.
    pub(crate) message: Spanned<String>,
    /// How to fix it.
    #[serde(default)]
    pub(crate) help: Option<Spanned<String>>,
    /// Regions the rule reads: `body` (default), `title`, `footer`, `all`,
    /// `front_matter` or `front_matter.<key>`. One name or a list.
    #[serde(default)]
    pub(crate) scope: Option<Spanned<OneOrMany>>,
    /// The rule applies only to documents where this matcher matches.
    #[serde(default)]
    pub(crate) when: Option<Spanned<RawMatcher>>,
    /// The rule does not apply to documents where this matcher matches.
    #[serde(default)]
    pub(crate) unless: Option<Spanned<RawMatcher>>,
    /// With `require`: the requirement holds only where the configuration
    /// requires this pack (`require: [PACK]` in clearance.yaml), or in a
    /// document where this matcher matches (the page itself shows the
    /// requirement applies).
    #[serde(default)]
    pub(crate) required_when: Option<Spanned<RawMatcher>>,
    /// Without `around`: a finding when nothing matches. With `around`: a
    /// finding for each `around` match that has no match of this within `within`.
    #[serde(default)]
    pub(crate) require: Option<Spanned<RawMatcher>>,
    /// A finding for each match (narrowed by `expect`).
    #[serde(default)]
    pub(crate) forbid: Option<Spanned<RawMatcher>>,
    /// Anchor for a `require` that must hold near each of its matches.
    #[serde(default)]
    pub(crate) around: Option<Spanned<RawMatcher>>,
    /// Distance in characters for `around`.
    #[serde(default)]
    pub(crate) within: Option<Spanned<usize>>,
    /// With `forbid`: only matches whose captures fail one of these checks are reported.
    #[serde(default)]
    pub(crate) expect: Vec<Spanned<RawCheck>>,
    /// With `forbid`: this many matches are fine; each one after them is a finding.
    #[serde(default)]
    pub(crate) at_most: Option<Spanned<usize>>,
    /// With `require`: `document` (default, one match anywhere in scope) or
    /// `region` (every region in scope needs its own match).
    #[serde(default)]
    pub(crate) per: Option<Per>,
    /// Short texts the rule must pass (`valid`) and must report (`invalid`).
    #[serde(default)]
    pub(crate) examples: RawExamples,
    /// How `clearance check --fix` repairs what the rule reports.
    #[serde(default)]
    pub(crate) fix: Option<Spanned<RawFix>>,
}

/// A rule's repair: one kind key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFix {
    /// Delete what was found: the match, its line or its paragraph.
    #[serde(default)]
    pub(crate) delete: Option<FixUnit>,
    /// Write this text in place of the capture an `expect` check found
    /// wrong (or of the match): one text, or one per script (`he`, `ar`,
    /// `en`), chosen by the script of the match.
    #[serde(default)]
    pub(crate) replace: Option<RawReplace>,
}

/// A replacement text, or one per script.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawReplace {
    One(String),
    ByScript { he: String, ar: String, en: String },
}

/// What a `delete` fix removes around a finding.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FixUnit {
    /// The matched text alone.
    Match,
    /// The line the match is on (from its start to its end).
    Line,
    /// The paragraph (lines up to a blank line either side).
    Paragraph,
}

/// What a `require` rule counts as one unit.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// One match anywhere in the regions in scope is enough.
    #[default]
    Document,
    /// Each region in scope (each caption, say) needs a match of its own.
    Region,
}

/// A scalar or a list of scalars.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A matcher: exactly one of the kind keys, plus the modifiers its kind allows.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatcher {
    /// Literal phrases, folded like the text; matched on word boundaries.
    #[serde(default)]
    pub(crate) phrases: Option<Vec<Spanned<String>>>,
    /// A regular expression over the folded text (literals are folded too).
    #[serde(default)]
    pub(crate) regex: Option<Spanned<String>>,
    /// Contact-like strings: any of `email`, `url`, `phone`.
    #[serde(default)]
    pub(crate) contact: Option<Vec<Spanned<String>>>,
    /// With `contact`: `true` keeps only contacts that cannot work, `false` only usable ones.
    #[serde(default)]
    pub(crate) broken: Option<bool>,
    /// A matcher named under `define:`.
    #[serde(default, rename = "ref")]
    pub(crate) reference: Option<Spanned<String>>,
    /// Matches of any of these.
    #[serde(default)]
    pub(crate) any: Option<Vec<Spanned<RawMatcher>>>,
    /// Matches of the first, when every other one also matches somewhere.
    #[serde(default)]
    pub(crate) all: Option<Vec<Spanned<RawMatcher>>>,
    /// Present when this matcher does not match (usable in `when`, `require`, `all`).
    #[serde(default)]
    pub(crate) not: Option<Box<Spanned<RawMatcher>>>,
    /// Two matchers: matches of the first that have a match of the second within `within`.
    #[serde(default)]
    pub(crate) near: Option<Vec<Spanned<RawMatcher>>>,
    /// Two matchers: matches of the first with NO match of the second within `within`.
    #[serde(default)]
    pub(crate) not_near: Option<Vec<Spanned<RawMatcher>>>,
    /// With `near` / `not_near`: the distance in characters.
    #[serde(default)]
    pub(crate) within: Option<usize>,
    /// With `near` / `not_near`: where the second may be relative to the first.
    #[serde(default)]
    pub(crate) side: Option<Side>,
    /// Matches of this matcher whose line is the same as the line just before
    /// it (a caption or credit pasted twice).
    #[serde(default)]
    pub(crate) repeated: Option<Box<Spanned<RawMatcher>>>,
    /// Matches of this matcher whose source line is the same as the line
    /// right before it, with a single line break between (text and
    /// Markdown): a line pasted twice, whatever it says.
    #[serde(default)]
    pub(crate) repeated_line: Option<Box<Spanned<RawMatcher>>>,
    /// Canonical wording with `{slot}`s; literal text is folded, whitespace
    /// and punctuation are matched loosely, each slot is a named capture.
    #[serde(default)]
    pub(crate) template: Option<Spanned<String>>,
    /// With `template`: a regex per slot (default: a short run of text on one line).
    #[serde(default)]
    pub(crate) slots: Option<BTreeMap<String, Spanned<String>>>,
    /// The configured publisher's `name`, `domains` or `contact`, as phrases.
    #[serde(default)]
    pub(crate) publisher: Option<Spanned<String>>,
    /// Modifier: keep only matches in these regions (names as in `scope`).
    #[serde(default, rename = "in")]
    pub(crate) within_regions: Option<Spanned<OneOrMany>>,
    /// Modifier: keep only matches in the region's first paragraph (`start`)
    /// or in the document's footer (`footer`).
    #[serde(default)]
    pub(crate) position: Option<Position>,
}

/// Where in a document a match must stand (`position:`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    /// The first paragraph of the region (a dateline, a kicker).
    Start,
    /// The document's footer (the last paragraphs of a text, `<footer>` in HTML).
    Footer,
    /// Outside the page's own furniture (`<aside>`, `<nav>`, related-story,
    /// newsletter and sharing boxes of an HTML page); everywhere in a text.
    Content,
}

/// Where the second matcher of a `near` may stand.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Before or after (the default).
    #[default]
    Either,
    /// Before the first matcher's match (or overlapping its start).
    Before,
    /// After the first matcher's match (or overlapping its end).
    After,
}

/// A check on one capture of a `forbid` match.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCheck {
    /// The capture to check; when the match has no such capture the check passes.
    pub(crate) capture: Spanned<String>,
    /// The capture (folded) must equal one of these (folded).
    #[serde(default)]
    pub(crate) one_of: Option<Vec<String>>,
    /// The capture must match this regex in full (run on the folded capture).
    #[serde(default)]
    pub(crate) matches: Option<Spanned<String>>,
    /// The capture (an address or URL host) must be one of these domains or
    /// a subdomain of one: a list, or `publisher.domains`. Passes when the
    /// variable is not configured.
    #[serde(default)]
    pub(crate) domain_in: Option<Spanned<StringOrList>>,
    /// The capture (folded) must equal this text, or `publisher.name` /
    /// `publisher.contact`. Passes when the variable is not configured.
    #[serde(default)]
    pub(crate) equals: Option<Spanned<String>>,
    /// `true`: the match must not have this capture at all (a contact's
    /// `problem`, say); the finding's `{found}` is the capture's text.
    #[serde(default)]
    pub(crate) absent: Option<bool>,
    /// How to say what was expected in `{expected}`.
    #[serde(default)]
    pub(crate) expected: Option<Spanned<String>>,
}

/// A variable name (`publisher.domains`) or a literal list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum StringOrList {
    Variable(String),
    List(Vec<String>),
}

/// Inline examples that `clearance rules test` runs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExamples {
    /// The publisher the examples are checked for (as in `clearance.yaml`).
    #[serde(default)]
    pub(crate) publisher: Option<crate::config::Publisher>,
    /// The examples are checked as for a configuration that requires the
    /// pack (`require: [PACK]`), so `required_when` holds everywhere.
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default)]
    pub(crate) valid: Vec<String>,
    #[serde(default)]
    pub(crate) invalid: Vec<String>,
    /// For a rule with a fix: each `invalid` example after `--fix`, in
    /// order (`~` for one not given).
    #[serde(default)]
    pub(crate) fixed: Vec<Spanned<Option<String>>>,
}
