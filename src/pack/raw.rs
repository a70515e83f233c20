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
    /// One line for `clearance rules list`.
    pub(crate) title: String,
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
    pub(crate) help: Option<String>,
    /// Regions the rule reads: `body` (default), `title`, `footer`, `all`,
    /// `front_matter` or `front_matter.<key>`. One name or a list.
    #[serde(default)]
    pub(crate) scope: Option<Spanned<OneOrMany>>,
    /// The rule applies only to documents where this matcher matches.
    #[serde(default)]
    pub(crate) when: Option<Spanned<RawMatcher>>,
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
    /// Short texts the rule must pass (`valid`) and must report (`invalid`).
    #[serde(default)]
    pub(crate) examples: RawExamples,
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
    /// With `near`: the distance in characters.
    #[serde(default)]
    pub(crate) within: Option<usize>,
    /// With `near`: where the second may be relative to the first.
    #[serde(default)]
    pub(crate) side: Option<Side>,
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
    /// How to say what was expected in `{expected}`.
    #[serde(default)]
    pub(crate) expected: Option<String>,
}

/// Inline examples that `clearance rules test` runs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExamples {
    #[serde(default)]
    pub(crate) valid: Vec<String>,
    #[serde(default)]
    pub(crate) invalid: Vec<String>,
}
