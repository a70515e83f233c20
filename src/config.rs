//! `clearance.yaml`: the team's settings, found upward from the scanned path.
//!
//! Parsed strictly (unknown keys are errors that point into the file), then
//! resolved against the command line: flags win over the file, and the
//! file wins over built-in defaults. Per-glob `overrides` become a
//! [`Profile`] for each document.

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::finding::Severity;
use crate::matcher::Profile;
use crate::yaml::{self, span_of};

/// File names looked for, in each directory from the scanned path upward.
pub const FILE_NAMES: &[&str] = &["clearance.yaml", "clearance.yml", ".clearance.yaml"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    publisher: Option<RawPublisher>,
    #[serde(default)]
    packs: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    require: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    fail_on: Option<Spanned<FailOnValue>>,
    #[serde(default)]
    max_file_size: Option<u64>,
    #[serde(default)]
    jsonl: BTreeMap<String, Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum FailOnValue {
    Error,
    Warning,
    Info,
    None,
}

/// The publisher the articles are checked for.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

/// `publisher:` as written, with spans for its checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    domains: Vec<Spanned<String>>,
    #[serde(default)]
    contact: Option<Spanned<String>>,
}

impl RawPublisher {
    /// Checks every value; the error gives the value's span and says why.
    fn check(self) -> Result<Publisher, (Option<Range<usize>>, String, &'static str)> {
        if let Some(name) = &self.name
            && name.value.trim().is_empty()
        {
            return Err((
                span_of(name),
                "`publisher.name` is empty".to_string(),
                "give the publisher's name, or leave the key out",
            ));
        }
        for d in &self.domains {
            check_domain(&d.value).map_err(|why| {
                (
                    span_of(d),
                    format!(
                        "`{}` in `publisher.domains` is not a domain: {why}",
                        d.value
                    ),
                    "write bare domain names, e.g. `domains: [kafr-news.co.il]`",
                )
            })?;
        }
        if let Some(contact) = &self.contact {
            check_contact(&contact.value).map_err(|why| {
                (
                    span_of(contact),
                    format!("`publisher.contact` {why}"),
                    "an e-mail address (rights@kafr-news.co.il), a contact page URL (https://…) or a phone number",
                )
            })?;
        }
        Ok(Publisher {
            name: self.name.map(|n| n.value),
            domains: self.domains.into_iter().map(|d| d.value).collect(),
            contact: self.contact.map(|c| c.value),
        })
    }
}

/// Why `text` is not a domain name: labels of letters, digits and `-` (not
/// at either end), at least two of them, a top-level label that is not all
/// digits, at most 253 characters.
pub fn check_domain(text: &str) -> Result<(), String> {
    let d = text.trim();
    if d.is_empty() {
        return Err("it is empty".to_string());
    }
    if d.contains("://") || d.contains('/') || d.contains('@') {
        return Err("give the domain alone, without a scheme, path or address".to_string());
    }
    if d.chars().count() > 253 {
        return Err("it is longer than 253 characters".to_string());
    }
    if let Some(c) = d
        .chars()
        .find(|c| !c.is_alphanumeric() && !matches!(c, '-' | '.'))
    {
        return Err(format!("{c:?} cannot be part of a domain name"));
    }
    let labels: Vec<&str> = d.split('.').collect();
    if labels.len() < 2 {
        return Err("it has no top-level domain (e.g. `.com`)".to_string());
    }
    for label in &labels {
        if label.is_empty() {
            return Err("it has an empty label (`..`, or a dot at an end)".to_string());
        }
        if label.chars().count() > 63 {
            return Err(format!("the label `{label}` is longer than 63 characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("the label `{label}` starts or ends with `-`"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("its top-level domain is all digits".to_string());
    }
    Ok(())
}

/// Why `text` cannot be a takedown contact: it must be an e-mail address on
/// a domain, an http(s) URL on a domain, or a phone number.
pub fn check_contact(text: &str) -> Result<(), String> {
    let c = text.trim();
    if c.is_empty() {
        return Err("is empty".to_string());
    }
    let lower = c.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        return check_domain(host)
            .map_err(|why| format!("`{c}` is a URL whose host is not a domain: {why}"))
            .and_then(|()| {
                if c.chars().any(char::is_whitespace) {
                    Err(format!("`{c}` is a URL with a space in it"))
                } else {
                    Ok(())
                }
            });
    }
    if let Some((local, domain)) = c.rsplit_once('@') {
        if local.is_empty() || local.contains('@') || local.chars().any(char::is_whitespace) {
            return Err(format!("`{c}` is not an e-mail address"));
        }
        return check_domain(domain).map_err(|why| {
            format!("`{c}` is an e-mail address on a domain that is not one: {why}")
        });
    }
    let digits = c.chars().filter(char::is_ascii_digit).count();
    if digits >= 7
        && c.chars()
            .all(|ch| ch.is_ascii_digit() || " +-().".contains(ch))
    {
        return Ok(());
    }
    Err(format!(
        "`{c}` is not an e-mail address, a URL or a phone number"
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    packs: Vec<Spanned<String>>,
    #[serde(default)]
    require: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Level>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
    Info,
    Off,
}

/// A configuration error, pointing into the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(clearance::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

/// A loaded configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
    /// Where relative paths and globs in the file are anchored.
    pub dir: PathBuf,
    pub publisher: std::sync::Arc<Publisher>,
    /// Packs to run (built-in names, or paths resolved against `dir`);
    /// `None`: every built-in pack.
    pub packs: Option<Vec<String>>,
    /// Packs whose requirements (`required_when` rules) hold on every file:
    /// the publisher's policy, e.g. `il-27a` for an Israeli site.
    pub require: Vec<String>,
    exclude: Option<GlobSet>,
    overrides: Vec<Override>,
    pub fail_on: Option<crate::cli::FailOn>,
    pub max_file_size: Option<u64>,
    /// `ROLE=FIELD` settings for JSON lines.
    pub jsonl: Vec<String>,
}

#[derive(Debug)]
struct Override {
    files: GlobSet,
    /// `+name` adds a pack, `-name` (or a bare name) ... see `apply`.
    add: Vec<String>,
    remove: Vec<String>,
    require: Vec<String>,
    severity: BTreeMap<String, Option<Severity>>,
}

impl Config {
    /// Looks for a config file in `start` (or its directory) and each parent.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let abs = absolute(start)?;
        let mut dir = if abs.is_dir() {
            Some(abs.as_path())
        } else {
            abs.parent()
        };
        while let Some(d) = dir {
            for name in FILE_NAMES {
                let candidate = d.join(name);
                // Anything by that name counts, so that a FIFO or a folder
                // is reported when it is read rather than silently passed over.
                if candidate.exists() {
                    return Some(candidate);
                }
            }
            dir = d.parent();
        }
        None
    }

    /// Reads and checks a config file: a regular file of at most
    /// [`crate::read::CONFIG_CAP`] bytes. A file that does not open like
    /// YAML settings is refused without quoting it (an error would show
    /// the line it stopped at).
    pub fn load(path: &Path) -> Result<Config, crate::Error> {
        let text = crate::read::settings_file(path, "config", crate::read::CONFIG_CAP)?;
        if !crate::read::looks_like_mapping(&text) {
            return Err(crate::Error::Usage(format!(
                "{}: not a Clearance config (a YAML mapping such as `fail_on: error`); \
                 its content is not shown",
                path.display()
            )));
        }
        Config::parse(path, &text).map_err(crate::Error::Config)
    }

    /// Parses config text; `path` names it in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Box<ConfigError>> {
        let origin = path.display().to_string();
        let err = |span: Option<Range<usize>>, message: String, help: Option<&str>| {
            Box::new(ConfigError {
                message,
                source_code: NamedSource::new(&origin, text.to_string()).with_language("yaml"),
                span: span.map(|r| SourceSpan::from(r.start..r.end)),
                help: help.map(str::to_string),
            })
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig {
                publisher: None,
                packs: None,
                require: Vec::new(),
                exclude: Vec::new(),
                overrides: Vec::new(),
                fail_on: None,
                max_file_size: None,
                jsonl: BTreeMap::new(),
            }
        } else {
            yaml::parse(text).map_err(|e| err(e.span, e.message, None))?
        };
        let dir = absolute(path)
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let publisher = match raw.publisher {
            Some(p) => p
                .check()
                .map_err(|(span, message, help)| err(span, message, Some(help)))?,
            None => Publisher::default(),
        };

        let packs = match raw.packs {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|p| {
                        resolve_pack(&dir, &p.value).map_err(|(message, help)| {
                            err(
                                span_of(p),
                                message,
                                Some(help.unwrap_or("built-in packs: see `clearance rules list`")),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(globs(&raw.exclude).map_err(|(span, m)| err(span, m, None))?)
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            if o.files.value.is_empty() {
                return Err(err(span_of(&o.files), "`files` is empty".to_string(), None));
            }
            let files = globs(&o.files.value).map_err(|(span, m)| err(span, m, None))?;
            let (mut add, mut remove) = (Vec::new(), Vec::new());
            for p in &o.packs {
                let v = p.value.trim();
                let (list, name) = match v.strip_prefix('-') {
                    Some(name) => (&mut remove, name),
                    None => (&mut add, v.strip_prefix('+').unwrap_or(v)),
                };
                let resolved = resolve_pack(&dir, name.trim()).map_err(|(message, help)| {
                    err(
                        span_of(p),
                        message,
                        Some(help.unwrap_or(
                            "write +NAME to add a pack for these files, -NAME to remove one",
                        )),
                    )
                })?;
                list.push(resolved);
            }
            let severity = o
                .severity
                .iter()
                .map(|(rule, level)| {
                    let s = match level.value {
                        Level::Error => Some(Severity::Error),
                        Level::Warning => Some(Severity::Warning),
                        Level::Info => Some(Severity::Info),
                        Level::Off => None,
                    };
                    (rule.clone(), s)
                })
                .collect();
            overrides.push(Override {
                files,
                add,
                remove,
                require: o
                    .require
                    .iter()
                    .map(|r| r.value.trim().to_string())
                    .collect(),
                severity,
            });
        }
        let mut jsonl = Vec::new();
        for (role, field) in &raw.jsonl {
            let spec = format!("{role}={}", field.value);
            crate::load::jsonl::Fields::default()
                .set(&spec)
                .map_err(|m| err(span_of(field), m, None))?;
            jsonl.push(spec);
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            dir,
            publisher: std::sync::Arc::new(publisher),
            packs,
            require: raw
                .require
                .iter()
                .map(|r| r.value.trim().to_string())
                .collect(),
            exclude,
            overrides,
            fail_on: raw.fail_on.map(|f| match f.value {
                FailOnValue::Error => crate::cli::FailOn::Error,
                FailOnValue::Warning => crate::cli::FailOn::Warning,
                FailOnValue::Info => crate::cli::FailOn::Info,
                FailOnValue::None => crate::cli::FailOn::None,
            }),
            max_file_size: raw.max_file_size,
            jsonl,
        })
    }

    /// Pack specs (names or paths) that overrides add or remove.
    pub fn override_packs(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .overrides
            .iter()
            .flat_map(|o| o.add.iter().chain(&o.remove).cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Replaces pack specs in overrides by the names of the packs they load.
    pub fn resolve_names(&mut self, names: &std::collections::HashMap<String, Vec<String>>) {
        let map = |list: &mut Vec<String>| {
            *list = list
                .iter()
                .flat_map(|spec| {
                    names
                        .get(spec)
                        .cloned()
                        .unwrap_or_else(|| vec![spec.clone()])
                })
                .collect();
        };
        for o in &mut self.overrides {
            map(&mut o.add);
            map(&mut o.remove);
        }
    }

    /// Pack names `require:` lists, at the top and in overrides, to check
    /// against the loaded packs.
    pub fn required_packs(&self) -> impl Iterator<Item = &str> {
        self.require
            .iter()
            .chain(self.overrides.iter().flat_map(|o| &o.require))
            .map(String::as_str)
    }

    /// Rule ids the overrides name, to check against the loaded packs.
    pub fn named_rules(&self) -> impl Iterator<Item = &str> {
        self.overrides
            .iter()
            .flat_map(|o| o.severity.keys().map(String::as_str))
    }

    /// `path` relative to the config's folder, or as given when it is outside.
    fn relative(&self, path: &Path) -> PathBuf {
        let Some(clean) = absolute(path) else {
            return path.to_path_buf();
        };
        match clean.strip_prefix(&self.dir) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Is `path` excluded by the `exclude` globs?
    pub fn excludes(&self, path: &Path) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|g| g.is_match(self.relative(path)))
    }

    /// The profile for a file: `base_off` are packs loaded but not active by
    /// default (added only by overrides); the matching overrides apply in order.
    pub fn profile(&self, path: &Path, base_off: &[String]) -> Profile {
        let mut profile = Profile {
            publisher: Some(self.publisher.clone()),
            ..Profile::default()
        };
        profile.off_packs.extend(base_off.iter().cloned());
        profile.required.extend(self.require.iter().cloned());
        if self.overrides.is_empty() {
            return profile;
        }
        let rel = self.relative(path);
        for o in self.overrides.iter().filter(|o| o.files.is_match(&rel)) {
            for name in &o.add {
                profile.off_packs.remove(name);
            }
            profile.off_packs.extend(o.remove.iter().cloned());
            profile.required.extend(o.require.iter().cloned());
            profile
                .severity
                .extend(o.severity.iter().map(|(k, v)| (k.clone(), *v)));
        }
        profile
    }
}

/// The text `clearance init` writes: every setting, commented.
pub fn starter(
    name: Option<&str>,
    domains: &[String],
    contact: Option<&str>,
    require: &[String],
) -> String {
    // Section 27A is Israeli law: a publisher on an Israeli domain is
    // assumed to use it unless told otherwise.
    let israeli = domains.iter().any(|d| {
        let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
        d == "il" || d.ends_with(".il")
    });
    // JSON strings are valid YAML double-quoted scalars.
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    // A value not given is left commented out: an empty one is an error.
    let name = name.map_or_else(
        || "# name: \"Kafr News\"".to_string(),
        |n| format!("name: {}", quote(n)),
    );
    let domains = if domains.is_empty() {
        "[]  # e.g. [\"kafr-news.co.il\"]".to_string()
    } else {
        format!(
            "[{}]",
            domains
                .iter()
                .map(|d| quote(d))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let contact = contact.map_or_else(
        || "# contact: \"copyright@kafr-news.co.il\"".to_string(),
        |c| format!("contact: {}", quote(c)),
    );
    let packs: Vec<&str> = crate::pack::builtin_names().collect();
    let require = if !require.is_empty() {
        format!(
            "require: [{}]",
            require
                .iter()
                .map(|r| quote(r))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if israeli {
        "require: [il-27a]".to_string()
    } else {
        "# require: [il-27a]".to_string()
    };
    format!(
        "# Clearance configuration. `clearance check` finds this file in the scanned
# directory or any parent. `clearance rules list` shows every rule.

# Who publishes these articles.
publisher:
  {name}
  domains: {domains}
  {contact}

# Packs to run: built-in names, or YAML pack files and folders relative to
# this file. Remove the key to run every built-in pack.
packs: [{packs}]

# Requirements that are the publisher's policy, not the text's. With il-27a,
# every article must carry a section 27A notice (an Israeli publisher that
# uses works whose owner it could not find); without it, the notice is
# required only on pages that show such use, and notices that are present
# are checked either way.
{require}

# Files never checked. Globs are relative to this file; a glob without \"/\"
# matches at any depth.
exclude:
  - \"drafts/**\"

# Exit with 1 when a finding is at or above: error, warning, info or none.
fail_on: error

# Files larger than this (bytes) are reported and skipped.
# max_file_size: 67108864

# JSON-lines field names, when a dump does not use text/html/title/source/url.
# jsonl: {{ text: body, title: headline }}

# Settings for some files only: \"+pack\" adds a pack, \"-pack\" removes one;
# severity is error, warning, info or off.
# overrides:
#   - files: [\"wire/**\"]
#     severity: {{ il-27a/notice-missing: warning }}
",
        packs = packs.join(", ")
    )
}

/// An absolute path with `.` and `..` resolved lexically (without touching
/// the file system, so it works for paths that do not exist yet).
fn absolute(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let mut clean = PathBuf::new();
    for part in abs.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Some(clean)
}

/// A pack spec from the file: a built-in name stays a name; anything else
/// must be a file or directory, resolved against the config's directory,
/// and inside it (symlinks followed): a config in a repository must not be
/// able to read `/proc/self/environ` or `../secret.env`. The error is a
/// message and, for a path outside, its own help.
fn resolve_pack(dir: &Path, spec: &str) -> Result<String, (String, Option<&'static str>)> {
    let spec = spec.trim();
    if crate::pack::builtin_names().any(|n| n == spec) {
        return Ok(spec.to_string());
    }
    let path = dir.join(spec);
    if !path.exists() {
        return Err((
            format!("`{spec}` is neither a built-in pack nor an existing file"),
            None,
        ));
    }
    let inside = match (path.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err((
            format!(
                "`{spec}` is outside this config's folder ({}); a config names only packs \
                 in its folder or below",
                dir.display()
            ),
            Some("name a pack elsewhere on the command line: --pack FILE"),
        ));
    }
    Ok(path.display().to_string())
}

/// Compiles globs; a pattern without `/` matches at any depth.
fn globs(patterns: &[Spanned<String>]) -> Result<GlobSet, (Option<Range<usize>>, String)> {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        let text = p.value.trim().trim_start_matches("./");
        let text = if text.contains('/') {
            text.to_string()
        } else {
            format!("**/{text}")
        };
        let glob = globset::GlobBuilder::new(&text)
            .literal_separator(true)
            .build()
            .map_err(|e| (span_of(p), format!("invalid glob: {}", e.kind())))?;
        set.add(glob);
        // `dir/**` should also match `dir` itself being passed as a path prefix.
        if let Some(stem) = text.strip_suffix("/**") {
            set.add(
                Glob::new(stem).map_err(|e| (span_of(p), format!("invalid glob: {}", e.kind())))?,
            );
        }
    }
    set.build()
        .map_err(|e| (None, format!("invalid globs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Config::parse(Path::new("/site/clearance.yaml"), text)
    }

    #[test]
    fn full_config() {
        let c = parse(
            "publisher: { name: Kafr News, domains: [kafr-news.co.il], contact: rights@kafr-news.co.il }\n\
             packs: [il-27a]\nexclude: [\"drafts/**\", \"*.tmp.md\"]\nfail_on: warning\nmax_file_size: 1000\n\
             jsonl: { text: body }\n\
             overrides:\n  - files: [\"wire/**\"]\n    packs: [-il-27a]\n    severity: { il-27a/notice-missing: warning }\n",
        )
        .unwrap();
        assert_eq!(c.publisher.name.as_deref(), Some("Kafr News"));
        assert_eq!(c.packs, Some(vec!["il-27a".to_string()]));
        assert!(c.excludes(Path::new("/site/drafts/a.md")));
        assert!(c.excludes(Path::new("/site/news/x.tmp.md")));
        assert!(!c.excludes(Path::new("/site/news/a.md")));
        assert_eq!(c.fail_on, Some(crate::cli::FailOn::Warning));
        assert_eq!(c.jsonl, ["text=body"]);
        let wire = c.profile(Path::new("/site/wire/afp.txt"), &[]);
        assert!(wire.off_packs.contains("il-27a"));
        assert_eq!(
            wire.severity.get("il-27a/notice-missing"),
            Some(&Some(Severity::Warning))
        );
        let plain = c.profile(Path::new("/site/news/a.txt"), &[]);
        assert!(plain.off_packs.is_empty() && plain.severity.is_empty());
        assert_eq!(
            plain.publisher.as_deref().and_then(|p| p.name.as_deref()),
            Some("Kafr News")
        );
    }

    #[test]
    fn errors_point_at_the_value() {
        let cases = [
            ("fail_on: sometimes\n", "sometimes"),
            ("packz: [il-27a]\n", "packz"),
            ("packs: [no-such-pack]\n", "no-such-pack"),
            ("exclude: [\"a/[\"]\n", "a/["),
            (
                "overrides:\n  - files: [\"x/**\"]\n    severity: { il-27a/notice-missing: loud }\n",
                "loud",
            ),
        ];
        for (text, at) in cases {
            let e = parse(text).expect_err(text);
            let span = e
                .span
                .unwrap_or_else(|| panic!("no span for {text:?}: {}", e.message));
            let shown = &text[span.offset()..span.offset() + span.len().max(1)];
            assert!(
                at.starts_with(shown) || shown.contains(at),
                "{text:?}: span shows {shown:?}; {}",
                e.message
            );
        }
    }

    #[test]
    fn starter_config_loads() {
        let text = starter(
            Some("Kafr \"News\""),
            &["kafr-news.co.il".to_string()],
            Some("rights@kafr-news.co.il"),
            &[],
        );
        let c = parse(&text).unwrap();
        assert_eq!(c.publisher.name.as_deref(), Some("Kafr \"News\""));
        assert_eq!(c.publisher.domains, ["kafr-news.co.il"]);
        assert_eq!(c.fail_on, Some(crate::cli::FailOn::Error));
        assert!(c.excludes(Path::new("/site/drafts/x.md")));
        // An Israeli domain: section 27A is the publisher's policy.
        assert_eq!(c.require, ["il-27a"]);
        let blank = parse(&starter(None, &[], None, &[])).unwrap();
        assert_eq!(*blank.publisher, Publisher::default());
        assert!(blank.require.is_empty());
        let world = starter(None, &["example-news.com".to_string()], None, &[]);
        assert!(parse(&world).unwrap().require.is_empty());
        assert!(world.contains("\n# require: [il-27a]\n"), "{world}");
        let chosen = starter(
            None,
            &["example-news.com".to_string()],
            None,
            &["il-27a".to_string()],
        );
        assert_eq!(parse(&chosen).unwrap().require, ["il-27a"]);
    }

    #[test]
    fn found_upward() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("clearance.yaml"), "packs: [il-27a]\n").unwrap();
        assert_eq!(
            Config::find(&dir.path().join("a/b")).unwrap(),
            dir.path().join("clearance.yaml")
        );
    }
}
