//! Rule packs: YAML files of rules, compiled once per run.
//!
//! A pack is parsed into the `raw` types, then compiled (`compile`) into a
//! [`Pack`]: phrases folded and de-duplicated, regexes folded and compiled with
//! size limits, `ref`s resolved, every message placeholder checked. Errors
//! carry the YAML source and a span so they point at the offending value.
//! Built-in packs live in `rules/` and are embedded in the binary.

mod builtin;
mod compile;
mod deferred;
pub mod examples;
mod pattern;
pub(crate) mod placeholder;
mod raw;

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::Path;

pub use builtin::{BUILTIN, builtin_names};
pub(crate) use deferred::{PackRegex, parse as parse_regex};
pub use raw::{FixUnit, Per, Position, Side};

use crate::finding::Severity;

/// Index of a matcher node inside [`Pack::nodes`] (or, once packs are joined
/// by the engine, inside the engine's node table).
pub(crate) type NodeId = usize;

/// A compiled pack.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub languages: Vec<String>,
    /// `built-in` or the file the pack came from.
    pub origin: String,
    pub rules: Vec<Rule>,
    pub(crate) nodes: Vec<Node>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Full id, `pack/rule`.
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub scope: Vec<Scope>,
    pub examples: Examples,
    pub(crate) when: Option<NodeId>,
    /// From `unless`: the rule does not run on documents where this node
    /// matches.
    pub(crate) unless: Option<NodeId>,
    /// From `required_when`: unless the configuration requires the pack, the
    /// rule runs only on documents where this node matches.
    pub(crate) required_when: Option<NodeId>,
    pub(crate) kind: RuleKind,
    /// How `clearance check --fix` repairs a finding of the rule; `None`:
    /// a person must (the fix needs knowledge the text does not hold).
    pub fix: Option<Fix>,
}

/// A rule's repair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// Delete the finding's match, line or paragraph, and the blank line
    /// its removal would leave doubled.
    Delete(FixUnit),
    /// Write a text in place of the capture a check found wrong (or of the
    /// match), in the script of the match.
    Replace(Replacement),
}

/// A `replace` fix's text in each script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub he: String,
    pub ar: String,
    pub en: String,
}

impl Replacement {
    /// The text for a match written in `matched`'s script: Hebrew or Arabic
    /// when most of its letters are, else the Latin one.
    pub fn for_text(&self, matched: &str) -> &str {
        let (mut he, mut ar, mut latin) = (0, 0, 0);
        for c in matched.chars().filter(|c| c.is_alphabetic()) {
            match c {
                '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => he += 1,
                '\u{0600}'..='\u{06FF}'
                | '\u{0750}'..='\u{077F}'
                | '\u{FB50}'..='\u{FDFF}'
                | '\u{FE70}'..='\u{FEFF}' => ar += 1,
                _ => latin += 1,
            }
        }
        if he > ar && he > latin {
            &self.he
        } else if ar > he && ar > latin {
            &self.ar
        } else {
            &self.en
        }
    }
}

impl Rule {
    /// The pack the rule belongs to (the part of its id before `/`).
    pub fn pack(&self) -> &str {
        self.id.split('/').next().unwrap_or_default()
    }

    /// Whether the rule is a requirement that the configuration switches on
    /// (`required_when:`); without `require: [PACK]` it runs only where its
    /// trigger matches.
    pub fn is_configurable_requirement(&self) -> bool {
        self.required_when.is_some()
    }
}

/// Inline examples of a rule.
#[derive(Debug, Default)]
pub struct Examples {
    /// The publisher the examples are checked for.
    pub publisher: Option<crate::config::Publisher>,
    /// Checked as for a configuration that requires the pack.
    pub required: bool,
    pub valid: Vec<String>,
    pub invalid: Vec<String>,
    /// Each invalid example after the fix, in order (empty, or `None`
    /// for one: not given).
    pub fixed: Vec<Option<String>>,
}

/// Which regions of a document a rule reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every region of the article (not the front matter's `clearance.ignore`).
    All,
    /// Regions whose name starts with this prefix and a dot (`front_matter`).
    Prefix(String),
    /// The region with exactly this name (`body`, `front_matter.title`).
    Exact(String),
}

impl Scope {
    pub fn admits(&self, region: &str) -> bool {
        match self {
            // Every region of the article: not the front matter's
            // `clearance.ignore` list, which is suppression data.
            // Nor the page's furniture map, which is layout, not text.
            Scope::All => {
                region != crate::suppress::FRONT_MATTER_REGION
                    && region != crate::load::FURNITURE_REGION
            }
            Scope::Prefix(p) => region
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('.')),
            Scope::Exact(name) => region == name,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Scope::All => "all".to_string(),
            Scope::Prefix(p) | Scope::Exact(p) => p.clone(),
        }
    }
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    /// A finding when the node matches nowhere in scope (`per: document`),
    /// or for each region in scope where it does not match (`per: region`).
    Require { node: NodeId, per: Per },
    /// A finding for each match whose captures fail one of the checks (each
    /// match when none); with `at_most`, only the matches after the first N.
    Forbid {
        node: NodeId,
        checks: Vec<Check>,
        at_most: Option<usize>,
    },
    /// A finding for each anchor match with no `require` match within `within` characters.
    Around {
        anchor: NodeId,
        require: NodeId,
        within: usize,
    },
}

#[derive(Debug)]
pub(crate) struct Check {
    pub(crate) capture: String,
    /// Folded accepted values.
    pub(crate) one_of: Option<Vec<String>>,
    /// Anchored regex the folded capture must match.
    pub(crate) matches: Option<PackRegex>,
    /// The capture must be one of these domains or a subdomain of one.
    pub(crate) domain_in: Option<Value<Vec<String>>>,
    /// The folded capture must equal this (folded) text.
    pub(crate) equals: Option<Value<String>>,
    /// The match must not have the capture.
    pub(crate) absent: bool,
    /// Text for `{expected}`.
    pub(crate) expected: String,
}

/// A value written in a pack, or one read from the configuration at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value<T> {
    Literal(T),
    Publisher(Field),
}

/// A field of the configuration's `publisher:` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Domains,
    Contact,
}

impl Field {
    /// `publisher.name` → `Name`.
    pub fn parse(variable: &str) -> Option<Field> {
        match variable.trim() {
            "publisher.name" => Some(Field::Name),
            "publisher.domains" => Some(Field::Domains),
            "publisher.contact" => Some(Field::Contact),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "publisher.name",
            Field::Domains => "publisher.domains",
            Field::Contact => "publisher.contact",
        }
    }
}

/// Which kinds of contact a `contact` matcher finds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ContactKinds {
    pub(crate) email: bool,
    pub(crate) url: bool,
    pub(crate) phone: bool,
}

#[derive(Debug)]
pub(crate) enum Node {
    /// Folded, de-duplicated phrases.
    Phrases(Vec<String>),
    /// A regex over folded text.
    Regex {
        re: PackRegex,
    },
    Contact {
        kinds: ContactKinds,
        broken: Option<bool>,
    },
    Any(Vec<NodeId>),
    All(Vec<NodeId>),
    Not(NodeId),
    /// Matches of `a` with a match of `b` within `within` characters on
    /// `side` (`negate`: with none).
    Near {
        a: NodeId,
        b: NodeId,
        within: usize,
        side: Side,
        negate: bool,
    },
    /// Matches whose line repeats the line just before it. With `line`
    /// (`repeated_line:`), only a source line repeated with a single line
    /// break between (text and Markdown), not a paragraph or an HTML block.
    Repeated {
        node: NodeId,
        line: bool,
    },
    /// Occurrences of a configured publisher value (folded, on word boundaries).
    Publisher(Field),
    /// Matches that lie in regions these scopes admit.
    In {
        scopes: Vec<Scope>,
        node: NodeId,
    },
    /// Matches at a position of the document.
    At {
        position: Position,
        node: NodeId,
    },
}

/// A pack that failed to load, pointing into its YAML.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(clearance::pack))]
pub struct PackError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Pack {
    /// Whether this is one of the packs embedded in the binary (its origin
    /// names the file in the source tree, which is no path of the user's).
    pub fn is_builtin(&self) -> bool {
        builtin_names().any(|n| n == self.name)
            && self.origin == format!("rules/{}.yaml", self.name)
    }

    /// Parses and compiles a pack from YAML text. `origin` names it in errors.
    pub fn from_yaml(origin: &str, text: &str) -> Result<Pack, Box<PackError>> {
        compile::compile(origin, text, false)
    }

    /// A built-in pack by name.
    pub fn builtin(name: &str) -> Option<Result<Pack, Box<PackError>>> {
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| compile::compile(&format!("rules/{n}.yaml"), text, true))
    }

    /// Every built-in pack.
    pub fn all_builtin() -> Result<Vec<Pack>, Box<PackError>> {
        BUILTIN
            .iter()
            .map(|(n, text)| compile::compile(&format!("rules/{n}.yaml"), text, true))
            .collect()
    }

    /// A pack file, or every `*.yaml`/`*.yml` file under a directory (sorted
    /// by path). Each must be a regular file of at most
    /// [`crate::read::PACK_CAP`] bytes; one that does not look like a pack
    /// is refused without quoting it.
    pub fn load_path(path: &Path) -> Result<Vec<Pack>, crate::Error> {
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                let entry = entry.map_err(|e| crate::Error::Io {
                    path: path.to_path_buf(),
                    source: e.into(),
                })?;
                let is_yaml = entry
                    .path()
                    .extension()
                    .is_some_and(|e| e == "yaml" || e == "yml");
                // A link to a pack file counts as the file (links to
                // folders are not followed).
                let is_file = entry.file_type().is_file()
                    || (entry.path_is_symlink() && entry.path().is_file());
                if is_file && is_yaml {
                    files.push(entry.into_path());
                }
            }
            if files.is_empty() {
                return Err(crate::Error::Usage(format!(
                    "pack directory {} has no .yaml or .yml files",
                    path.display()
                )));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        files
            .iter()
            .map(|file| {
                let text = crate::read::settings_file(file, "pack", crate::read::PACK_CAP)?;
                if !crate::read::looks_like_pack(&text) {
                    return Err(crate::Error::Usage(format!(
                        "{}: not a Clearance pack (a YAML mapping with a top-level `pack:` key); \
                         its content is not shown",
                        file.display()
                    )));
                }
                Pack::from_yaml(&file.display().to_string(), &text).map_err(crate::Error::Pack)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in packs compile their regexes on first use, so a regex
    /// that does not compile would only show in a check that runs it: here
    /// every one is compiled, and must have waited until now.
    #[test]
    fn every_builtin_regex_compiles_when_first_run() {
        let mut regexes = 0;
        for pack in Pack::all_builtin().expect("built-in packs load") {
            let checks = pack
                .rules
                .iter()
                .flat_map(|r| match &r.kind {
                    RuleKind::Forbid { checks, .. } => checks.as_slice(),
                    _ => &[],
                })
                .filter_map(|c| c.matches.as_ref());
            let nodes = pack.nodes.iter().filter_map(|n| match n {
                Node::Regex { re } => Some(re),
                _ => None,
            });
            for re in nodes.chain(checks) {
                assert!(!re.is_compiled(), "{}: {}", pack.name, re.as_str());
                let names: Vec<String> = re
                    .get()
                    .capture_names()
                    .flatten()
                    .map(str::to_string)
                    .collect();
                assert_eq!(
                    re.capture_names().collect::<Vec<_>>(),
                    names,
                    "{}",
                    re.as_str()
                );
                regexes += 1;
            }
        }
        assert!(regexes > 30, "{regexes}");
    }

    /// A pack read from a file measures every regex as it loads, so that a
    /// regex too large to compile is reported against the pack; one within
    /// the limit is compiled when first run, so a house pack of hundreds
    /// of rules does not build hundreds of regexes to check one file.
    #[test]
    fn a_pack_file_measures_its_regexes_at_once_and_builds_them_on_first_use() {
        let yaml = "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: info\n    message: m\n    forbid: { regex: 'x(?P<n>y)' }\n";
        let pack = Pack::from_yaml("p.yaml", yaml).expect("loads");
        let Some(Node::Regex { re }) = pack.nodes.first() else {
            panic!("{:?}", pack.nodes)
        };
        assert!(!re.is_compiled());
        assert_eq!(re.capture_names().collect::<Vec<_>>(), ["n"]);
        assert!(re.get().is_match("xy"));
        assert!(re.is_compiled());
        let big = "pack: p\ntitle: t\nrules:\n  - id: r\n    severity: info\n    message: m\n    forbid: { regex: '(?:\\p{L}{40}){40}' }\n";
        let err = Pack::from_yaml("p.yaml", big).expect_err("too large");
        assert!(err.to_string().contains("too large"), "{err}");
    }
}
