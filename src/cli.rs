//! The command line, as clap types. Parsing only: `lib::run` acts on it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::num::NonZeroUsize;
use std::path::PathBuf;

use crate::finding::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "clearance",
    version,
    about = "Checks republished news articles for copyright, attribution and takedown notices",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check articles under the given paths.
    #[command(about = check_about())]
    Check(Box<CheckArgs>),
    /// List, show and test rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write a commented starter clearance.yaml.
    Init(InitArgs),
    /// Merge the reports of a check run in pieces (shards, workers) into
    /// one report, each document once.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Reports written by `clearance check --format json`, `jsonl` or
    /// `sarif`, one per piece.
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,

    /// Output format (`human` needs the articles' text, which reports do
    /// not hold).
    #[arg(long, value_enum, default_value_t = Format::Summary)]
    pub format: Format,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// How many records (documents) the whole input held: fewer in the
    /// reports is an input problem (exit 3), so a shard whose worker was
    /// killed is never taken for a clean one.
    #[arg(long, value_name = "N")]
    pub expect: Option<usize>,

    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// The SARIF run's category, as for `check`.
    #[arg(long, value_name = "NAME", default_value = crate::report::DEFAULT_SARIF_CATEGORY)]
    pub sarif_category: String,
}

/// `check`'s one-line help, with the extensions the loader reads.
fn check_about() -> String {
    format!(
        "Check articles ({}) under the given paths",
        crate::load::extension_list()
    )
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The publisher's name.
    #[arg(long, value_name = "NAME")]
    pub publisher: Option<String>,
    /// A domain the publisher owns (repeatable).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// The takedown contact (an e-mail address or contact page).
    #[arg(long, value_name = "CONTACT")]
    pub contact: Option<String>,
    /// A pack whose requirements hold on every article (repeatable)
    /// [default: il-27a when a domain is Israeli (.il), else none].
    #[arg(long, value_name = "PACK")]
    pub require: Vec<String>,
    /// Where to write it.
    #[arg(long, value_name = "FILE", default_value = "clearance.yaml")]
    pub path: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    /// Directories are walked respecting .gitignore and .clearanceignore.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 1 when a finding is at or above this severity
    /// [default: the config's `fail_on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Configuration file [default: clearance.yaml found upward from the first PATH].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any clearance.yaml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    #[command(flatten)]
    pub packs: PackArgs,

    /// Hold this pack's requirements on every file, as the config's
    /// `require:` does (e.g. `il-27a`: every article needs a section 27A
    /// notice). Repeatable.
    #[arg(long, value_name = "PACK")]
    pub require: Vec<String>,

    /// Worker threads (default: one per core). At most 4 per core: checking
    /// is CPU-bound, and a few extra workers per core only cover for slow
    /// disks; never more than there are paths when none is a directory.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    /// Skip files (and JSON-lines records) larger than this many bytes
    /// [default: the config's `max_file_size`, else 64 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// Fail (exit 2) when the paths hold no file Clearance reads, instead of
    /// reporting that nothing was checked.
    #[arg(long)]
    pub require_input: bool,

    /// Repair what rules with a fix report (delete a leftover line…), in
    /// place, then report what is left. Text, Markdown and HTML files, and
    /// JSON-lines records.
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    pub fix: bool,

    /// Print the repairs `--fix` would make as a unified diff, and change
    /// nothing; the exit code is the check's.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,

    /// With `--fix` or `--diff`: repair only this rule or pack's findings.
    /// Repeatable.
    #[arg(long, value_name = "RULE|PACK")]
    pub fix_only: Vec<String>,

    /// With `--format jsonl`: write each record's lines as soon as it is
    /// checked, in no particular order, instead of in the input's order.
    #[arg(long)]
    pub unordered: bool,

    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the report in another format to a file (atomically), as
    /// FORMAT=FILE: `--format github --output-format sarif=clearance.sarif`
    /// gives annotations and a SARIF file from one check. Repeatable.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_extra_output)]
    pub output_format: Vec<ExtraOutput>,

    /// The SARIF run's category (`automationDetails.id`): code scanning keeps
    /// the latest results per category, so two checks of one repository
    /// with different categories keep their own alerts.
    #[arg(long, value_name = "NAME", default_value = crate::report::DEFAULT_SARIF_CATEGORY)]
    pub sarif_category: String,

    /// Compare with an earlier `--format json` report of the same archive:
    /// the summary and HTML reports show what is new, fixed and unchanged.
    #[arg(long, value_name = "OLD.json")]
    pub compare: Option<PathBuf>,

    /// Hide findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file, then exit 0
    /// (or 3 if some input could not be checked).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Format of standard input, read when a PATH is `-`.
    #[arg(long, value_enum, default_value_t = StdinFormat::Text, value_name = "FORMAT")]
    pub stdin_format: StdinFormat,

    /// JSON-lines field for a role, as ROLE=FIELD (roles: text, html, title,
    /// source, url, id; defaults: the role's own name). Repeatable.
    #[arg(long, value_name = "ROLE=FIELD")]
    pub jsonl_field: Vec<String>,

    /// The JSON-lines field that names a record (a string or a number):
    /// findings, fingerprints and baselines know the record by it, wherever
    /// it sits in a dump or shard. Default: `id`, else the url field; a
    /// record without one is known by its line.
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,

    /// How a JSON-lines record's text field is read: `auto` reads it as HTML
    /// when it is markup (it opens with a tag and closes a paragraph, div,
    /// heading… element), else as plain text.
    #[arg(long, value_enum, default_value_t = FieldFormat::Auto, value_name = "FORMAT")]
    pub field_format: FieldFormat,

    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Which packs are active.
#[derive(Debug, Args, Clone, Default)]
pub struct PackArgs {
    /// Add a pack: a built-in name, a YAML file, or a directory of YAML files. Repeatable.
    #[arg(long = "pack", value_name = "NAME|PATH")]
    pub packs: Vec<String>,

    /// Do not load the built-in packs (only those given with --pack).
    #[arg(long)]
    pub no_default_packs: bool,
}

/// `rules list`: the packs as `check` would load them.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub packs: PackArgs,

    /// Configuration file [default: clearance.yaml found upward from the current directory].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any clearance.yaml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the packs and rules `check` would run here (the config's packs, then --pack).
    List(ListArgs),
    /// Show one rule's documentation and examples.
    Show {
        /// Rule id, e.g. il-27a/notice-missing (a bare rule name is
        /// accepted when one active pack has it).
        id: String,
        #[command(flatten)]
        packs: ListArgs,
    },
    /// Print every phrase of the active rules, folded, one per line (the
    /// automaton's pattern list; the benchmark gives it to ripgrep).
    Phrases(PackArgs),
    /// Run every rule's examples: valid ones must pass, invalid ones must be reported.
    Test {
        /// Built-in pack names, pack files or directories (default: every built-in pack).
        #[arg(value_name = "PACK")]
        packs: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated source snippets for people.
    Human,
    /// One versioned JSON object (see README).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// One JSON object per line, written as each document is checked: its
    /// findings, then a `record` line; a `summary` line last.
    Jsonl,
    /// GitHub Actions annotations (and a step summary table).
    Github,
    /// Counts per rule and per folder.
    Summary,
    /// One row per finding (RFC 4180, UTF-8 with a byte-order mark), for
    /// spreadsheets.
    Csv,
    /// JUnit XML: a test case per document, a failure per finding at or
    /// above `--fail-on`, for CI systems that show test results.
    Junit,
    /// One self-contained HTML page for people: totals, charts, finding
    /// groups, every finding with a filter.
    Html,
}

/// A further report: its format and the file it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraOutput {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_extra_output(spec: &str) -> Result<ExtraOutput, String> {
    let (format, path) = spec.split_once('=').ok_or_else(|| {
        format!("expected FORMAT=FILE (e.g. sarif=clearance.sarif), got `{spec}`")
    })?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        format!("unknown format `{format}` (one of: {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{spec}` names no file"));
    }
    Ok(ExtraOutput {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never fail because of findings (also `never`: engines such as
    /// Spark's `RDD.pipe` treat any non-zero exit as a crash).
    #[value(alias = "never")]
    None,
}

impl FailOn {
    /// The lowest severity that fails the run, if any.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::None => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FieldFormat {
    Auto,
    Text,
    Markdown,
    Html,
}

impl FieldFormat {
    pub fn format(self) -> crate::load::jsonl::FieldFormat {
        match self {
            FieldFormat::Auto => crate::load::jsonl::FieldFormat::Auto,
            FieldFormat::Text => crate::load::jsonl::FieldFormat::Text,
            FieldFormat::Markdown => crate::load::jsonl::FieldFormat::Markdown,
            FieldFormat::Html => crate::load::jsonl::FieldFormat::Html,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StdinFormat {
    Text,
    Markdown,
    Html,
    /// One article per line (JSON lines).
    Jsonl,
}

impl StdinFormat {
    pub fn kind(self) -> crate::load::Kind {
        match self {
            StdinFormat::Text => crate::load::Kind::Text,
            StdinFormat::Markdown => crate::load::Kind::Markdown,
            StdinFormat::Html => crate::load::Kind::Html,
            StdinFormat::Jsonl => crate::load::Kind::Jsonl,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
