//! Clearance checks republished news articles for their legal and editorial
//! boilerplate: source credits, licence lines and, on Israeli sites, the
//! Copyright Act 2007 section 27A notice with a working takedown contact.
//!
//! ```text
//! discover ─▶ load ─▶ normalize ─▶ matcher ─▶ findings ─▶ report
//!  (paths)   (regions)  (folded text   (automaton +   (rule, span,   (human,
//!                        + offset map)  regex set)     severity)      json)
//! ```
//!
//! The library is usable on its own: build an [`Engine`] from [`Pack`]s and
//! call [`check_document`] on a [`load::Document`] (the rules, then the
//! document's inline suppressions, then a baseline, as `clearance check`
//! does); [`Engine::check`] is the rules alone.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod doc_id;
mod error;
pub mod finding;
pub mod fix;
pub mod load;
pub mod matcher;
pub mod merge;
pub mod normalize;
pub mod pack;
pub mod read;
pub mod report;
pub mod source;
pub mod suppress;
mod work;
pub mod write;
mod yaml;

use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

pub use check::{DocumentReport, check_document};
pub use error::Error;
pub use finding::{Finding, Severity};
pub use matcher::Engine;
pub use pack::Pack;

use cli::{CheckArgs, Cli, ColorChoice, Command, InitArgs, PackArgs, RulesCommand};
use report::{Outcome, Report, Style};

/// Exit codes.
pub mod exit {
    /// Nothing at or above `--fail-on`.
    pub const CLEAN: u8 = 0;
    /// Findings at or above `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Usage, pack or config error: nothing was checked.
    pub const ERROR: u8 = 2;
    /// Some input could not be read or checked (the rest was): a broken
    /// record, an unreadable or binary file, a dump whose records hold no
    /// article field.
    pub const INPUT: u8 = 3;
    /// Stopped by SIGTERM before the input ended (128 + 15, as a shell
    /// reports a process the signal ended); what was checked is reported.
    pub const INTERRUPTED: u8 = 143;

    /// The code of a run that was stopped or not, found `problems` input
    /// problems, and findings no more severe than `worst`, failing at
    /// `fail_on`.
    pub fn of(
        interrupted: bool,
        problems: usize,
        worst: Option<crate::Severity>,
        fail_on: Option<crate::Severity>,
    ) -> u8 {
        if interrupted {
            INTERRUPTED
        } else if problems > 0 {
            INPUT
        } else if fail_on.is_some_and(|t| worst.is_some_and(|w| w >= t)) {
            FINDINGS
        } else {
            CLEAN
        }
    }
}

/// What the process around a run is like. The binary reads it (the
/// terminal, `NO_COLOR`, `CI`, `GITHUB_STEP_SUMMARY`, the current folder);
/// the library never reads the environment or writes to the process's
/// streams itself.
#[derive(Default)]
pub struct Environment {
    /// Colour for `--color auto` on standard output (a terminal, and
    /// `NO_COLOR` unset).
    pub stdout_color: bool,
    /// The same for standard error, where errors that stop a run go.
    pub stderr_color: bool,
    /// GitHub Actions' step summary file (`GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
    /// The current folder: SARIF and annotations name files from the top
    /// of the repository around it.
    pub current_dir: Option<PathBuf>,
    /// Told of each document as it is checked (a progress counter).
    pub progress: Option<Box<dyn Progress>>,
    /// Set when the process is asked to stop (SIGTERM): the check stops
    /// reading, reports what it checked, and exits
    /// [`exit::INTERRUPTED`].
    pub interrupt: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Something told of the scan's progress, from its worker threads.
pub trait Progress: Sync {
    /// One more document checked (or found unreadable).
    fn tick(&self);
    /// The scan is over: before anything else is printed.
    fn finish(&self);
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli, env: &Environment, out: &mut (dyn Write + Send), err: &mut dyn Write) -> u8 {
    let result = match cli.command {
        Command::Check(args) => check(&args, env, out, err),
        Command::Rules(cmd) => escaped(out, |out| rules(cmd, out)),
        Command::Init(args) => escaped(out, |out| init(&args, out)),
        Command::Merge(args) => merge(&args, env, out, err),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => exit::CLEAN,
        Err(e) => {
            let style = Style {
                color: env.stderr_color,
                width: 100,
            };
            let _ = report::write_error(&e, style, err);
            exit::ERROR
        }
    }
}

/// Runs a command that prints plain text (pack titles, rule messages and
/// examples, paths) and prints it with control and bidi characters shown
/// as escapes, line breaks kept.
fn escaped(
    out: &mut dyn Write,
    command: impl FnOnce(&mut dyn Write) -> Result<u8, Error>,
) -> Result<u8, Error> {
    let mut buf = Vec::new();
    let result = command(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    out.write_all(report::escape::lines(&text).as_bytes())
        .and_then(|()| out.flush())
        .map_err(io_err)?;
    result
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

/// A failure to write the report (or a listing) to standard output.
fn io_err(source: io::Error) -> Error {
    Error::Write {
        path: PathBuf::from("standard output"),
        source,
    }
}

/// Loads the packs the flags ask for: the built-in ones (unless
/// `--no-default-packs`), then each `--pack` (a built-in name or a path).
pub fn load_packs(args: &PackArgs) -> Result<Vec<Pack>, Error> {
    let base: Vec<String> = if args.no_default_packs {
        Vec::new()
    } else {
        pack::builtin_names().map(str::to_string).collect()
    };
    let packs = load_pack_specs(base.iter().chain(&args.packs))?;
    if packs.is_empty() {
        return Err(Error::Usage(
            "no packs to run (--no-default-packs without --pack)".to_string(),
        ));
    }
    Ok(packs)
}

/// Loads packs by built-in name or path, in order; a pack named twice is
/// loaded once, but two different packs with one name are an error.
///
/// Each spec is loaded on its own thread: compiling the packs' regexes is
/// most of a check's start-up, which is what a one-file check waits for.
fn load_pack_specs<'a>(specs: impl IntoIterator<Item = &'a String>) -> Result<Vec<Pack>, Error> {
    let mut unique: Vec<&String> = Vec::new();
    for spec in specs {
        if !unique.contains(&spec) {
            unique.push(spec);
        }
    }
    let loaded: Vec<std::thread::Result<Result<Vec<Pack>, Error>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = unique
            .iter()
            .map(|spec| scope.spawn(move || load_pack_spec(spec)))
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let mut packs: Vec<Pack> = Vec::new();
    let mut origins: Vec<String> = Vec::new();
    // In spec order, as if loaded one after another: the first error (or
    // panic) is the one that counts.
    for loaded in loaded {
        let loaded = loaded.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for pack in loaded? {
            if let Some(i) = packs.iter().position(|p| p.name == pack.name) {
                if origins[i] != pack.origin {
                    return Err(Error::Usage(format!(
                        "two packs are named `{}`: {} and {}",
                        pack.name, origins[i], pack.origin
                    )));
                }
                continue;
            }
            origins.push(pack.origin.clone());
            packs.push(pack);
        }
    }
    Ok(packs)
}

/// The packs one spec names: a built-in pack, a YAML file or a directory.
fn load_pack_spec(spec: &str) -> Result<Vec<Pack>, Error> {
    if let Some(pack) = Pack::builtin(spec) {
        return Ok(vec![pack.map_err(Error::Pack)?]);
    }
    let path = PathBuf::from(spec);
    if !path.exists() {
        let names: Vec<&str> = pack::builtin_names().collect();
        return Err(Error::Usage(format!(
            "pack `{spec}`: no such file, and not a built-in pack (built-in: {})",
            names.join(", ")
        )));
    }
    Pack::load_path(&path)
}

/// The packs active by default: the config's packs (or every built-in
/// one), then `--pack`.
fn active_specs(config: &config::Config, args: &PackArgs) -> Vec<String> {
    let mut specs: Vec<String> = match (&config.packs, args.no_default_packs) {
        (_, true) => Vec::new(),
        (Some(packs), false) => packs.clone(),
        (None, false) => pack::builtin_names().map(str::to_string).collect(),
    };
    specs.extend(args.packs.iter().cloned());
    specs
}

/// The configuration for a check: `--config`, else clearance.yaml found
/// upward from the first path, else defaults.
fn resolve_config(args: &CheckArgs, roots: &[PathBuf]) -> Result<config::Config, Error> {
    find_config(args.config.as_deref(), args.no_config, roots)
}

/// The configuration `--config`/`--no-config` and the paths select.
fn find_config(
    config: Option<&Path>,
    no_config: bool,
    roots: &[PathBuf],
) -> Result<config::Config, Error> {
    if no_config {
        return Ok(config::Config::default());
    }
    let path = match config.map(Path::to_path_buf) {
        Some(path) => Some(path.clone()),
        None => roots.iter().find(|p| p.as_os_str() != "-").map_or_else(
            || config::Config::find(Path::new(".")),
            |p| config::Config::find(p),
        ),
    };
    match path {
        Some(path) => config::Config::load(&path),
        None => Ok(config::Config::default()),
    }
}

fn check(
    args: &CheckArgs,
    env: &Environment,
    out: &mut (dyn Write + Send),
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut config = resolve_config(args, &roots)?;
    // Before anything is read or written: a report or baseline must not
    // land on an article (or where the next check reads it as one).
    let inputs = Inputs {
        roots: &roots,
        baseline: args.baseline.as_deref(),
        config: config.path.as_deref(),
    };
    let mut targets: Vec<(&str, &Path)> = Vec::new();
    targets.extend(args.output.as_deref().map(|p| ("--output", p)));
    targets.extend(
        args.write_baseline
            .as_deref()
            .map(|p| ("--write-baseline", p)),
    );
    targets.extend(
        args.output_format
            .iter()
            .map(|o| ("--output-format", o.path.as_path())),
    );
    for (k, (flag, path)) in targets.iter().enumerate() {
        inputs.refuse_overwrite(flag, path)?;
        // Two reports into one file: the second would replace the first.
        let same = |other: &Path| {
            other == *path || resolved(other).is_some_and(|o| Some(o) == resolved(path))
        };
        if let Some((other, _)) = targets[..k].iter().find(|(_, p)| same(p)) {
            return Err(Error::Usage(format!(
                "{flag} {} is also the file of {other}: each report needs its own file",
                report::escape::text(&path.display().to_string())
            )));
        }
    }
    let active = load_pack_specs(&active_specs(&config, &args.packs))?;
    if active.is_empty() {
        return Err(Error::Usage(
            "no packs to run (--no-default-packs without --pack)".to_string(),
        ));
    }
    // Packs that only overrides switch on: loaded, but off by default.
    let mut packs = active;
    let mut base_off = Vec::new();
    let mut spec_names = std::collections::HashMap::new();
    for spec in config.override_packs() {
        let loaded = load_pack_specs(std::iter::once(&spec))?;
        spec_names.insert(spec, loaded.iter().map(|p| p.name.clone()).collect());
        for extra in loaded {
            if packs.iter().all(|p| p.name != extra.name) {
                base_off.push(extra.name.clone());
                packs.push(extra);
            }
        }
    }
    config.resolve_names(&spec_names);
    let engine = Engine::new(packs)?;
    if let Some(unknown) = config
        .named_rules()
        .find(|id| engine.rules().all(|r| r.id != *id))
    {
        return Err(Error::Usage(format!(
            "{}: overrides name the rule `{unknown}`, which no loaded pack has",
            config
                .path
                .as_deref()
                .unwrap_or(Path::new("config"))
                .display()
        )));
    }
    let mut required: Vec<String> = config.required_packs().map(str::to_string).collect();
    required.extend(args.require.iter().cloned());
    if let Some(unknown) = required.iter().find(|name| {
        engine.packs().iter().all(|p| p.name != **name)
            && pack::builtin_names().all(|b| b != name.as_str())
    }) {
        let from = if args.require.contains(unknown) {
            "--require".to_string()
        } else {
            format!(
                "{}: `require`",
                config
                    .path
                    .as_deref()
                    .unwrap_or(Path::new("config"))
                    .display()
            )
        };
        return Err(Error::Usage(format!(
            "{from} names the pack `{unknown}`, which is neither loaded nor built in"
        )));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = workers(args.jobs.map(|n| n.get()), cores, &roots);
    if let Some(asked) = args.jobs
        && asked.get() > threads
        && asked.get() > cores * JOBS_PER_CORE
    {
        writeln!(
            err,
            "clearance: --jobs {asked} is more than {JOBS_PER_CORE} per core; using {}",
            cores * JOBS_PER_CORE
        )
        .map_err(io_err)?;
    }
    let mut jsonl = load::jsonl::Fields {
        text_format: args.field_format.format(),
        ..load::jsonl::Fields::default()
    };
    for spec in config.jsonl.iter().chain(&args.jsonl_field) {
        jsonl
            .set(spec)
            .map_err(|e| Error::Usage(format!("--jsonl-field {e}")))?;
    }
    if let Some(field) = &args.id_field {
        jsonl.id = Some(field.clone());
    }
    let mut options = ScanOptions {
        threads,
        max_file_size: args
            .max_file_size
            .or(config.max_file_size)
            .unwrap_or(load::DEFAULT_MAX_FILE_SIZE),
        jsonl,
        stdin: args.stdin_format.kind(),
        base_off,
        required: args.require.clone(),
        config: config.path.is_some().then_some(config),
        baseline: args.baseline.as_deref().map(read_baseline).transpose()?,
        keep_source: (args.format == cli::Format::Human
            || args
                .output_format
                .iter()
                .any(|o| o.format == cli::Format::Human))
            && args.write_baseline.is_none(),
        ordered: false,
        stop: std::sync::Arc::default(),
    };
    // The lowest severity that fails the run.
    let threshold = args
        .fail_on
        .or(options.config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(cli::FailOn::Error)
        .threshold();
    if args.fix || args.diff {
        if roots.iter().any(|r| r.as_os_str() == "-") {
            return Err(Error::Usage(
                "--fix and --diff repair files; standard input has none to write".to_string(),
            ));
        }
        let found = fix_files(args, &engine, &roots, &options, out, err)?;
        if args.diff {
            out.flush().map_err(io_err)?;
            return Ok(exit_code(false, &found, threshold));
        }
    }
    // `--format jsonl` writes each document as it is checked; the other
    // formats print from everything collected.
    let streaming = args.format == cli::Format::Jsonl && args.write_baseline.is_none();
    // JUnit lists every document, those without findings as passing, and
    // so do JSON lines in a file.
    let keep_clean = [args.format]
        .iter()
        .chain(args.output_format.iter().map(|o| &o.format))
        .any(|f| matches!(f, cli::Format::Junit | cli::Format::Jsonl));
    let collected = if keep_clean {
        report::Collect::keeping_clean()
    } else {
        report::Collect::default()
    };
    // Read before the scan, so a bad report fails fast.
    let earlier = args
        .compare
        .as_deref()
        .map(|path| {
            let text = read::settings_file(path, "report", read::BASELINE_CAP)?;
            let shown = report::escape::text(&load::display_path(path)).into_owned();
            report::compare::read_earlier(&text)
                .map(|earlier| (shown.clone(), earlier))
                .map_err(|why| Error::Usage(format!("--compare {shown}: {why}")))
        })
        .transpose()?;
    let collecting = !streaming || !args.output_format.is_empty() || earlier.is_some();
    options.ordered = streaming && !args.unordered;
    if let Some(interrupt) = &env.interrupt {
        options.stop = interrupt.clone();
    }
    // A streamed report into a file is written beside it and renamed when
    // the check ends, so the file is never seen half-written.
    let mut staged = match (&args.output, streaming) {
        (Some(path), true) => Some(write::Staged::create(path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?),
        _ => None,
    };
    let stream_out: &mut (dyn Write + Send) = match &mut staged {
        Some(staged) => staged.file(),
        None => &mut *out,
    };
    let stream = streaming.then(|| report::jsonl::Stream::new(stream_out, &options.stop));
    let both;
    let into: &dyn Report = match (&stream, collecting) {
        (Some(stream), true) => {
            both = Both(stream, &collected);
            &both
        }
        (Some(stream), false) => stream,
        (None, _) => &collected,
    };
    match &env.progress {
        Some(progress) => {
            let ticking = Ticking {
                inner: into,
                progress: progress.as_ref(),
            };
            scan_into(&engine, &roots, &options, &ticking);
            progress.finish();
        }
        None => scan_into(&engine, &roots, &options, into),
    }
    let mut interrupted = env
        .interrupt
        .as_ref()
        .is_some_and(|i| i.load(std::sync::atomic::Ordering::Relaxed));
    let mut streamed = None;
    if let Some(stream) = stream {
        // The stop flag is also set when the reader went away.
        let (counts, failed) = stream.finish(interrupted);
        interrupted &= failed.is_none();
        match (failed, staged, &args.output) {
            (Some(source), _, Some(path)) => {
                return Err(Error::Write {
                    path: path.clone(),
                    source,
                });
            }
            (None, Some(staged), Some(path)) => {
                staged.commit().map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
            }
            // A reader that stops early (`| head`) ends the check; the
            // exit code is still what it found.
            (Some(e), _, None) if e.kind() != io::ErrorKind::BrokenPipe => {
                return Err(io_err(e));
            }
            _ => {}
        }
        streamed = Some(counts);
    }
    let mut outcome = collected.finish();
    if interrupted {
        outcome.problems.push(load::InputProblem {
            id: load::DocId::default(),
            message:
                "the check was stopped (SIGTERM) before its input ended; what was read is reported"
                    .to_string(),
            span: None,
            source: None,
        });
    }
    if let Some((shown, earlier)) = earlier {
        outcome.comparison = Some(report::compare::compare(&outcome, shown, earlier));
    }
    let nothing = match &streamed {
        Some(counts) => report::nothing_checked(
            counts.records.checked,
            counts.problems,
            &counts.skipped_types,
        ),
        None => outcome.nothing_checked(),
    };
    if let Some(why) = nothing {
        let why = why.replacen("Nothing", "nothing", 1);
        if args.require_input {
            return Err(Error::Usage(format!("{why} (--require-input)")));
        }
        // The human summary line says so itself.
        if args.format != cli::Format::Human {
            writeln!(err, "clearance: {why}").map_err(io_err)?;
        }
    }
    let mut rule_info: Vec<report::RuleInfo> = engine.rules().map(report::RuleInfo::of).collect();
    rule_info.push(report::RuleInfo {
        id: suppress::UNUSED.to_string(),
        severity: Severity::Info,
        title: "a suppression that silences nothing".to_string(),
        help: Some("remove the directive, or fix the rule id it names".to_string()),
        builtin: true,
    });

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env.stdout_color,
    };
    if let Some(path) = &args.write_baseline {
        if interrupted {
            writeln!(
                err,
                "clearance: stopped (SIGTERM) before the input ended; {} was left as it was",
                report::escape::text(&path.display().to_string())
            )
            .map_err(io_err)?;
            return Ok(exit::INTERRUPTED);
        }
        write_baseline(path, &outcome)?;
        writeln!(
            err,
            "clearance: recorded {} findings in {}",
            outcome.total(),
            report::escape::text(&path.display().to_string())
        )
        .map_err(io_err)?;
        return Ok(if outcome.problems.is_empty() {
            exit::CLEAN
        } else {
            exit::INPUT
        });
    }
    let settings = settings(
        env,
        color && args.output.is_none(),
        threshold,
        &args.sarif_category,
    );
    let (problems, worst) = match &streamed {
        Some(counts) => (counts.problems, counts.worst),
        None => (
            outcome.problems.len(),
            outcome.findings().map(|(_, f)| f.severity).max(),
        ),
    };
    let code = exit::of(interrupted, problems, worst, threshold);
    // Further reports first: into files, with no colour, and without
    // adding twice to GitHub's step summary.
    for extra in &args.output_format {
        let settings = report::Settings {
            style: Style {
                color: false,
                ..settings.style
            },
            step_summary: settings
                .step_summary
                .clone()
                .filter(|_| args.format != cli::Format::Github),
            ..settings.clone()
        };
        // A human or summary report puts input problems on standard error;
        // in a file they come first, as a terminal would show them.
        let (mut buf, mut findings) = (Vec::new(), Vec::new());
        report::write(
            extra.format,
            &outcome,
            &rule_info,
            &settings,
            &mut findings,
            &mut buf,
        )
        .map_err(io_err)?;
        buf.append(&mut findings);
        write::atomic(&extra.path, &buf).map_err(|source| Error::Write {
            path: extra.path.clone(),
            source,
        })?;
    }
    if streamed.is_some() {
        // Written as the check went.
        return Ok(code);
    }
    let report = Printed {
        format: args.format,
        outcome: &outcome,
        rules: &rule_info,
        settings: &settings,
    };
    report.write(args.output.as_deref(), out, err)?;
    Ok(code)
}

/// What the printers are told: colour, the failing severity, the
/// repository around the current folder, the SARIF category and GitHub's
/// step summary.
fn settings(
    env: &Environment,
    color: bool,
    fail_on: Option<Severity>,
    sarif_category: &str,
) -> report::Settings {
    report::Settings {
        style: Style { color, width: 100 },
        fail_on,
        repository: env
            .current_dir
            .clone()
            .map(report::place::Repository::around),
        sarif_category: sarif_category.to_string(),
        step_summary: env.step_summary.clone(),
    }
}

/// The exit code of a collected outcome.
fn exit_code(interrupted: bool, outcome: &Outcome, fail_on: Option<Severity>) -> u8 {
    exit::of(
        interrupted,
        outcome.problems.len(),
        outcome.findings().map(|(_, f)| f.severity).max(),
        fail_on,
    )
}

/// A finished report, ready to print.
struct Printed<'a> {
    format: cli::Format,
    outcome: &'a Outcome,
    rules: &'a [report::RuleInfo],
    settings: &'a report::Settings,
}

impl Printed<'_> {
    /// Writes the report to `output` (atomically) or to `out`; input
    /// problems of the human formats go to `err`. A reader of `out` that
    /// stops early (`| head`) sees part of the report; that is no error,
    /// and the exit code is still what the scan found.
    fn write(
        &self,
        output: Option<&Path>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), Error> {
        let print = |to: &mut dyn Write, err: &mut dyn Write| {
            report::write(
                self.format,
                self.outcome,
                self.rules,
                self.settings,
                to,
                err,
            )
        };
        match output {
            Some(path) => {
                let mut buf = Vec::new();
                print(&mut buf, err).map_err(io_err)?;
                write::atomic(path, &buf).map_err(|source| Error::Write {
                    path: path.to_path_buf(),
                    source,
                })
            }
            None => match print(out, err).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(io_err),
            },
        }
    }
}

/// `clearance merge`: reads each piece's report, merges them (each document
/// once), and writes the result as `check` would.
fn merge(
    args: &cli::MergeArgs,
    env: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    if args.format == cli::Format::Human {
        return Err(Error::Usage(
            "reports hold no article text for `--format human` to show; use --format summary, \
             json, jsonl, sarif, github, csv, junit or html"
                .to_string(),
        ));
    }
    if let Some(path) = &args.output
        && let Some(same) = args
            .reports
            .iter()
            .find(|r| *r == path || resolved(r).is_some_and(|r| Some(r) == resolved(path)))
    {
        return Err(Error::Usage(format!(
            "--output {} is one of the reports being merged",
            report::escape::text(&same.display().to_string())
        )));
    }
    let mut pieces = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        let text = read::settings_file(path, "report", read::BASELINE_CAP)?;
        let shown = report::escape::text(&load::display_path(path)).into_owned();
        let piece = merge::read_piece(&text, &shown)
            .map_err(|why| Error::Usage(format!("{shown}: {why}")))?;
        if args.expect.is_some() && merge::is_sarif(&piece) {
            return Err(Error::Usage(format!(
                "{shown}: a SARIF log lists only documents with findings, so --expect cannot \
                 count its records; merge the pieces' --format jsonl or json reports"
            )));
        }
        pieces.push(piece);
    }
    let (outcome, merged) = merge::merge(pieces, args.expect);
    if merged.repeated > 0 {
        writeln!(
            err,
            "clearance: {} documents were in more than one report; each is counted once",
            merged.repeated
        )
        .map_err(io_err)?;
    }
    // The rules' descriptions (SARIF lists them) from the built-in packs;
    // a house pack's rule is listed by its id.
    let builtin = Engine::new(load_packs(&PackArgs::default())?)?;
    let mut rule_info: Vec<report::RuleInfo> = Vec::new();
    for (_, f) in outcome.findings() {
        if rule_info.iter().any(|r| r.id == f.rule) {
            continue;
        }
        rule_info.push(match builtin.rules().find(|r| r.id == f.rule) {
            Some(rule) => report::RuleInfo::of(rule),
            None => report::RuleInfo {
                id: f.rule.clone(),
                severity: f.severity,
                title: f.rule.clone(),
                help: None,
                builtin: false,
            },
        });
    }
    rule_info.sort_by(|a, b| a.id.cmp(&b.id));
    let threshold = args.fail_on.threshold();
    let code = exit_code(false, &outcome, threshold);
    let settings = settings(env, false, threshold, &args.sarif_category);
    let report = Printed {
        format: args.format,
        outcome: &outcome,
        rules: &rule_info,
        settings: &settings,
    };
    report.write(args.output.as_deref(), out, err)?;
    Ok(code)
}

/// What a check reads, which its outputs must not overwrite.
struct Inputs<'a> {
    roots: &'a [PathBuf],
    baseline: Option<&'a Path>,
    config: Option<&'a Path>,
}

impl Inputs<'_> {
    /// An error when `path` (given to `flag`) is one of the files checked,
    /// the baseline or config read, or lies in a folder being checked with
    /// an extension that the check reads.
    fn refuse_overwrite(&self, flag: &str, path: &Path) -> Result<(), Error> {
        let Some(target) = resolved(path) else {
            return Ok(());
        };
        let shown = |p: &Path| report::escape::text(&load::display_path(p)).into_owned();
        let refuse = |why: String| {
            Err(Error::Usage(format!(
                "{flag} {}: {why}; nothing was written (choose a path outside what is checked)",
                shown(path)
            )))
        };
        for (what, input) in [
            ("the baseline", self.baseline),
            ("the configuration", self.config),
        ] {
            if input.and_then(resolved).is_some_and(|i| i == target) {
                return refuse(format!("that is {what} this check reads"));
            }
        }
        for root in self.roots.iter().filter(|r| r.as_os_str() != "-") {
            let Some(root_path) = resolved(root) else {
                continue;
            };
            if root_path == target {
                return refuse(
                    "that is a file being checked, and the report would replace it".to_string(),
                );
            }
            if root.is_dir() && target.starts_with(&root_path) && load::Kind::of(&target).is_some()
            {
                if target.is_file() {
                    return refuse(format!(
                        "that is a file being checked (in {}), and the report would replace it",
                        shown(root)
                    ));
                }
                return refuse(format!(
                    "it lies in {}, which is being checked, and has an extension Clearance reads, so it would be checked as an article next time",
                    shown(root)
                ));
            }
        }
        Ok(())
    }
}

/// `path` made absolute with links resolved, for a file that may not exist
/// yet (its folder resolved, its name kept); `None` when its folder does
/// not exist either (writing will say so).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = std::fs::canonicalize(path) {
        return Some(full);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// The most workers per core `--jobs` starts. Checking is CPU-bound, so a
/// worker per core keeps the machine busy; a few more hide the wait for
/// files on a slow or network disk. Past that, threads only take turns, and
/// thousands of them cost more to start and stop than the check itself.
pub const JOBS_PER_CORE: usize = 4;

/// How many workers to start: `--jobs` (default one per core), at most
/// [`JOBS_PER_CORE`] per core, and no more than there is work for: when
/// no path is a directory, a JSON-lines dump or standard input (which may
/// hold many records), one per path.
pub fn workers(asked: Option<usize>, cores: usize, roots: &[PathBuf]) -> usize {
    let cores = cores.max(1);
    let wanted = asked.unwrap_or(cores).clamp(1, cores * JOBS_PER_CORE);
    let many = |p: &PathBuf| {
        p.as_os_str() == "-" || p.is_dir() || load::Kind::of(p) == Some(load::Kind::Jsonl)
    };
    if roots.iter().any(many) {
        wanted
    } else {
        wanted.min(roots.len().max(1))
    }
}

fn read_baseline(path: &Path) -> Result<suppress::Baseline, Error> {
    let text = read::settings_file(path, "baseline", read::BASELINE_CAP)?;
    let baseline: suppress::Baseline = serde_json::from_str(&text).map_err(|e| {
        let shown = report::escape::text(&load::display_path(path)).into_owned();
        let first = text.trim_start().chars().next();
        let why = match first {
            Some('{') if e.is_data() => {
                // serde's message names the field at fault: keep it, but
                // not its internal type names.
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message);
                format!(
                    "its object is not a baseline's ({message}, line {}); a baseline holds `version` and `findings`",
                    e.line()
                )
            }
            Some('{') => format!("it is not valid JSON (line {}, column {})", e.line(), e.column()),
            _ => "it is not a JSON object with `version` and `findings`".to_string(),
        };
        Error::Usage(format!(
            "{shown}: not a Clearance baseline: {why}; write one with `clearance check --write-baseline {shown}`"
        ))
    })?;
    if baseline.version != 1 {
        return Err(Error::Usage(format!(
            "{}: baseline version {} is not supported",
            path.display(),
            baseline.version
        )));
    }
    Ok(baseline)
}

fn write_baseline(path: &Path, outcome: &Outcome) -> Result<(), Error> {
    let mut findings: Vec<suppress::BaselineEntry> = outcome
        .findings()
        .filter(|(_, f)| f.rule != suppress::UNUSED)
        .map(|(file, f)| suppress::BaselineEntry {
            // A record with an id is known by it; its path is for people.
            path: if file.id.key.is_some() {
                file.id.file.clone()
            } else {
                file.id.to_string()
            },
            record: file.id.key.clone(),
            rule: f.rule.clone(),
            fingerprint: suppress::fingerprint_of(&file.id, f),
            message: f.message.clone(),
        })
        .collect();
    findings.sort();
    let baseline = suppress::Baseline::new(findings);
    let mut text = serde_json::to_vec_pretty(&baseline).map_err(|e| Error::Usage(e.to_string()))?;
    text.push(b'\n');
    write::atomic(path, &text).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// What `scan` needs besides the engine and the paths.
#[derive(Debug)]
pub struct ScanOptions {
    pub threads: usize,
    pub max_file_size: u64,
    pub jsonl: load::jsonl::Fields,
    /// How to read standard input when a path is `-`.
    pub stdin: load::Kind,
    /// Packs loaded but off unless an override switches them on.
    pub base_off: Vec<String>,
    /// Packs whose requirements hold on every file (`--require`), besides
    /// those the configuration requires.
    pub required: Vec<String>,
    /// Excludes and per-file overrides.
    pub config: Option<config::Config>,
    /// Known findings to hide.
    pub baseline: Option<suppress::Baseline>,
    /// Keep each reported file's text (human output shows snippets).
    pub keep_source: bool,
    /// Hand a JSON-lines input's records to the report in their order.
    pub ordered: bool,
    /// Set to stop reading input (SIGTERM, or a report whose reader went
    /// away): what was read is still checked and reported.
    pub stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            threads: 1,
            max_file_size: load::DEFAULT_MAX_FILE_SIZE,
            jsonl: load::jsonl::Fields::default(),
            stdin: load::Kind::Text,
            base_off: Vec::new(),
            required: Vec::new(),
            config: None,
            baseline: None,
            keep_source: true,
            ordered: false,
            stop: std::sync::Arc::default(),
        }
    }
}

/// Walks `roots` (`-` is standard input), checks every article, and returns
/// the outcome sorted by document.
pub fn scan(engine: &Engine, roots: &[PathBuf], options: &ScanOptions) -> Outcome {
    let collected = report::Collect::default();
    scan_into(engine, roots, options, &collected);
    collected.finish()
}

/// Walks `roots` (`-` is standard input) and checks every article, handing
/// each document to `report` as soon as it is checked, from the worker that
/// checked it: a JSON-lines input's records in its order when
/// `options.ordered`, else in no particular order. Stops reading early
/// once `options.stop` is set.
pub fn scan_into(engine: &Engine, roots: &[PathBuf], options: &ScanOptions, report: &dyn Report) {
    let check = |loaded: Loaded, path: &Path| -> Done {
        match loaded {
            Ok(doc) => {
                let profile = profile_for(options, path);
                let checked = check_document(engine, &doc, &profile, options.baseline.as_ref());
                // Reports name the site of a document with findings.
                let site = if checked.findings.is_empty() {
                    None
                } else {
                    doc.site()
                };
                // Findings carry their positions; only people need the text.
                let source = if options.keep_source && !checked.findings.is_empty() {
                    doc.source
                } else {
                    String::new()
                };
                Done::Document(report::Checked {
                    site,
                    id: doc.id,
                    source,
                    line_base: doc.line_base,
                    problems: doc.problems,
                    report: checked,
                })
            }
            Err(problem) => Done::Problem(problem),
        }
    };
    let add = |loaded: Loaded, path: &Path| check(loaded, path).deliver(report);
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) =
        roots.iter().partition(|p| p.as_os_str() == "-");
    if !stdin.is_empty() {
        read_stdin(options, report, &|d| check(d, Path::new("-")));
    }
    let paths: Vec<PathBuf> = paths.into_iter().cloned().collect();
    discover::walk(
        &paths,
        options.threads,
        &options.stop,
        &|found| match found {
            discover::Found::File { path, .. }
                if options.config.as_ref().is_some_and(|c| c.excludes(&path)) => {}
            discover::Found::File { path, display } => {
                if load::Kind::of(&path) == Some(load::Kind::Jsonl) {
                    match std::fs::File::open(&path) {
                        Ok(file) => {
                            let mut reader = io::BufReader::with_capacity(1 << 16, file);
                            let max = options.max_file_size;
                            records(
                                options,
                                &mut |each| load::jsonl::lines(&mut reader, &display, max, each),
                                &display,
                                report,
                                &|d| check(d, &path),
                            );
                        }
                        Err(e) => add(
                            Err(load::InputProblem {
                                id: load::DocId::file(display),
                                message: format!("cannot read: {e}"),
                                span: None,
                                source: None,
                            }),
                            &path,
                        ),
                    }
                } else {
                    add(
                        load::load_file(&path, &display, options.max_file_size),
                        &path,
                    );
                }
            }
            discover::Found::Skipped { extension } => report.skipped(extension),
            discover::Found::Error { display, message } => add(
                Err(load::InputProblem {
                    id: load::DocId::file(display),
                    message,
                    span: None,
                    source: None,
                }),
                Path::new(""),
            ),
        },
    );
}

/// The rules a file is checked with: the configuration's for its path,
/// and the packs required on the command line.
fn profile_for(options: &ScanOptions, path: &Path) -> matcher::Profile {
    let mut profile = match &options.config {
        Some(config) => config.profile(path, &options.base_off),
        None => matcher::Profile {
            off_packs: options.base_off.iter().cloned().collect(),
            ..matcher::Profile::default()
        },
    };
    profile.required.extend(options.required.iter().cloned());
    profile
}

/// `--fix` and `--diff`: repairs every file whose findings have a fix (or
/// shows the repairs as a diff on `out`); says on `err` what was fixed and
/// what was not. Returns the scan that found them.
fn fix_files(
    args: &CheckArgs,
    engine: &Engine,
    roots: &[PathBuf],
    options: &ScanOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let found = scan(engine, roots, options);
    let wanted = |rule: &str| {
        args.fix_only.is_empty()
            || args.fix_only.iter().any(|only| {
                only == rule || rule.split_once('/').is_some_and(|(pack, _)| pack == only)
            })
    };
    let fixable =
        |f: &Finding| wanted(&f.rule) && engine.rules().any(|r| r.id == f.rule && r.fix.is_some());
    let (mut fixed, mut files) = (0, 0);
    let mut not_applied: Vec<String> = Vec::new();
    // The records with something to fix, per dump.
    let mut dumps: std::collections::BTreeMap<&str, std::collections::BTreeSet<usize>> =
        std::collections::BTreeMap::new();
    for report in &found.reports {
        if !report.findings.iter().any(fixable) {
            continue;
        }
        if let Some(line) = report.id.record {
            if report.id.file != "<stdin>" {
                dumps.entry(&report.id.file).or_default().insert(line);
            }
            continue;
        }
        let path = real_path(&report.id);
        let kind = load::Kind::of(&path);
        if kind.is_none() {
            continue;
        }
        let Some(kind) = kind else { continue };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(doc) = load::from_input(&report.id.file, kind, &bytes) else {
            continue;
        };
        let profile = profile_for(options, &path);
        let baseline = options.baseline.as_ref();
        let findings = check_document(engine, &doc, &profile, baseline).findings;
        let repair = fix::repair(engine, &doc, &bytes, &findings, &wanted, &|new| {
            fix::recheck(engine, &doc, &profile, baseline, new)
        });
        let shown = report::escape::text(&report.id.file).into_owned();
        for n in &repair.not_applied {
            not_applied.push(format!(
                "{shown}:{}: {} not fixed: {}",
                n.line, n.rule, n.why
            ));
        }
        if repair.edits.is_empty() {
            continue;
        }
        if args.diff {
            let new = load::from_input(&report.id.file, kind, &repair.bytes)
                .map(|d| d.source)
                .unwrap_or_default();
            out.write_all(fix::diff(&report.id.file, &doc.source, &new).as_bytes())
                .map_err(io_err)?;
        } else {
            // Written only over the bytes it was read from.
            if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
                not_applied.push(format!(
                    "{shown}: changed on disk since it was read; left alone"
                ));
                continue;
            }
            write::atomic(&path, &repair.bytes).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        fixed += repair.edits.len();
        files += 1;
    }
    for (display, lines) in dumps {
        let id = load::DocId::file(display);
        let path = real_path(&id);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        // Each record with findings to fix, last first: a record's edits
        // move only what comes after it.
        let mut docs = Vec::new();
        load::jsonl::read(
            &mut &bytes[..],
            display,
            &options.jsonl,
            options.max_file_size,
            &mut |loaded| {
                if let Ok(doc) = loaded
                    && doc.id.record.is_some_and(|l| lines.contains(&l))
                {
                    docs.push(doc);
                }
            },
        );
        docs.reverse();
        let profile = profile_for(options, &path);
        let baseline = options.baseline.as_ref();
        let mut new = bytes.clone();
        let mut edits = 0;
        let shown = report::escape::text(display).into_owned();
        for doc in &docs {
            let findings = check_document(engine, doc, &profile, baseline).findings;
            let repair = fix::repair(engine, doc, &new, &findings, &wanted, &|b| {
                fix::recheck_record(engine, doc, &options.jsonl, &profile, baseline, b)
            });
            for n in &repair.not_applied {
                not_applied.push(format!(
                    "{shown}:{}: {} not fixed: {}",
                    n.line, n.rule, n.why
                ));
            }
            if !repair.edits.is_empty() {
                edits += repair.edits.len();
                new = repair.bytes;
            }
        }
        if edits == 0 {
            continue;
        }
        if args.diff {
            let (old, new) = (
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&new),
            );
            out.write_all(fix::diff(display, &old, &new).as_bytes())
                .map_err(io_err)?;
        } else {
            if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
                not_applied.push(format!(
                    "{shown}: changed on disk since it was read; left alone"
                ));
                continue;
            }
            write::atomic(&path, &new).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        fixed += edits;
        files += 1;
    }
    // The diff first, then what was said of it.
    out.flush().map_err(io_err)?;
    for line in &not_applied {
        writeln!(err, "clearance: {line}").map_err(io_err)?;
    }
    let verb = if args.diff { "would fix" } else { "fixed" };
    writeln!(err, "clearance: {verb} {fixed} findings in {files} files").map_err(io_err)?;
    Ok(found)
}

/// The file a report names, from the bytes of its name when it had to be
/// escaped.
fn real_path(id: &load::DocId) -> PathBuf {
    id.file_bytes().map_or_else(
        || PathBuf::from(&id.file),
        |bytes| PathBuf::from(path_of_bytes(bytes)),
    )
}

/// A path from the bytes of its name.
fn path_of_bytes(bytes: Vec<u8>) -> std::ffi::OsString {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStringExt::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        String::from_utf8_lossy(&bytes).into_owned().into()
    }
}

/// A document checked, or input that could not be: what a report is
/// handed next.
enum Done {
    Document(report::Checked),
    Problem(load::InputProblem),
}

impl Done {
    fn deliver(self, report: &dyn Report) {
        match self {
            Done::Document(checked) => report.document(checked),
            Done::Problem(problem) => report.problem(problem),
        }
    }
}

/// A report that tells `progress` of each document it is handed.
struct Ticking<'a> {
    inner: &'a dyn Report,
    progress: &'a dyn Progress,
}

impl Report for Ticking<'_> {
    fn document(&self, checked: report::Checked) {
        self.inner.document(checked);
        self.progress.tick();
    }

    fn problem(&self, problem: load::InputProblem) {
        self.inner.problem(problem);
        self.progress.tick();
    }

    fn skipped(&self, type_name: String) {
        self.inner.skipped(type_name);
    }

    fn unchecked_records(&self, problem: load::InputProblem, count: usize) {
        self.inner.unchecked_records(problem, count);
    }

    fn idle(&self) {
        self.inner.idle();
    }
}

/// Every report handed the same documents: a streamed report and the
/// collector the other formats print from.
struct Both<'a>(&'a dyn Report, &'a dyn Report);

impl Report for Both<'_> {
    fn document(&self, checked: report::Checked) {
        self.0.document(report::Checked {
            id: checked.id.clone(),
            source: String::new(),
            line_base: checked.line_base,
            site: checked.site.clone(),
            problems: checked.problems.clone(),
            report: checked.report.clone(),
        });
        self.1.document(checked);
    }

    fn problem(&self, problem: load::InputProblem) {
        self.0.problem(problem.clone());
        self.1.problem(problem);
    }

    fn skipped(&self, type_name: String) {
        self.0.skipped(type_name.clone());
        self.1.skipped(type_name);
    }

    fn unchecked_records(&self, problem: load::InputProblem, count: usize) {
        self.0.unchecked_records(problem.clone(), count);
        self.1.unchecked_records(problem, count);
    }

    fn idle(&self) {
        self.0.idle();
        self.1.idle();
    }
}

/// What a reader of records hands on: a document, or a problem.
type Loaded = Result<load::Document, load::InputProblem>;

/// Where a reader hands each item it reads.
type Each<'a, T> = &'a mut dyn FnMut(T);

/// Runs `read` on this thread, which hands each item it reads to `each`,
/// while `threads` workers call `check` on them: a bounded queue between
/// them keeps memory flat however long the stream.
fn in_parallel<T: Send>(
    threads: usize,
    read: &mut dyn FnMut(Each<'_, T>),
    check: &(dyn Fn(T) + Sync),
) {
    if threads <= 1 {
        read(&mut |d| check(d));
        return;
    }
    let (send, receive) = std::sync::mpsc::sync_channel::<T>(threads * 8);
    let receive = std::sync::Mutex::new(receive);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match next {
                        Ok(loaded) => check(loaded),
                        Err(_) => break,
                    }
                }
            });
        }
        read(&mut |d| {
            // The workers only stop when this sender is gone.
            let _ = send.send(d);
        });
        drop(send);
    });
}

/// How far ahead of the oldest unfinished record the workers may run when
/// records are handed on in order: the most finished records held back.
const REORDER_WINDOW: usize = 1024;

/// Hands the records of one dump to a report in their order, whichever
/// worker finishes first: each record's result waits (at most
/// [`REORDER_WINDOW`] of them) until those before it are handed on, and a
/// worker that runs further ahead waits for the oldest to finish.
struct InOrder<'a> {
    report: &'a dyn Report,
    ordered: bool,
    state: std::sync::Mutex<(usize, std::collections::BTreeMap<usize, Option<Done>>)>,
    moved: std::sync::Condvar,
}

impl<'a> InOrder<'a> {
    fn new(report: &'a dyn Report, ordered: bool) -> InOrder<'a> {
        InOrder {
            report,
            ordered,
            state: std::sync::Mutex::new((0, std::collections::BTreeMap::new())),
            moved: std::sync::Condvar::new(),
        }
    }

    /// Record number `seq` (0-based, every line read counts) is done: a
    /// document, a problem, or nothing to report (no article).
    fn done(&self, seq: usize, item: Option<Done>) {
        if !self.ordered {
            if let Some(item) = item {
                item.deliver(self.report);
            }
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // The worker holding record `next` is never held here, so the
        // window always moves on.
        while seq >= state.0 + REORDER_WINDOW {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.1.insert(seq, item);
        let before = state.0;
        loop {
            let next = state.0;
            let Some(item) = state.1.remove(&next) else {
                break;
            };
            state.0 += 1;
            if let Some(item) = item {
                item.deliver(self.report);
            }
        }
        if state.0 != before {
            self.moved.notify_all();
        }
    }
}

/// The records of one dump (or of standard input): one dump can hold a
/// whole corpus, so its lines are read here and parsed and checked on all
/// the workers.
fn records(
    options: &ScanOptions,
    read_lines: &mut dyn FnMut(LineSink<'_>),
    display: &str,
    report: &dyn Report,
    check: &(dyn Fn(Loaded) -> Done + Sync),
) {
    let tally = load::jsonl::Tally::default();
    let order = InOrder::new(report, options.ordered);
    // Records read and not yet handed on: when none is left, the report
    // is told it may be a while (the input may be waiting).
    let in_flight = std::sync::atomic::AtomicUsize::new(0);
    in_parallel(
        options.threads,
        &mut |each| {
            let mut seq = 0;
            read_lines(&mut |line| {
                if options.stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return ControlFlow::Break(());
                }
                in_flight.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                each((seq, line));
                seq += 1;
                ControlFlow::Continue(())
            });
        },
        &|(seq, line)| {
            let done = match line {
                Ok(line) => load::jsonl::parse(&line, display, &options.jsonl, &tally).map(check),
                Err(p) => Some(Done::Problem(p)),
            };
            order.done(seq, done);
            if in_flight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1 {
                report.idle();
            }
        },
    );
    if let Some((p, count)) = tally.problem(display, &options.jsonl) {
        report.unchecked_records(p, count);
    }
}

/// Where the lines of a dump are handed, one at a time; it says whether to
/// go on.
type LineSink<'a> =
    &'a mut dyn FnMut(Result<load::jsonl::Line, load::InputProblem>) -> ControlFlow<()>;

/// Runs `read` on a thread of its own and hands what it sends to `each`
/// here, until it ends, `each` says to stop, or `stop` is set. Reading
/// standard input can block for ever (a pipe held open); a stop must not
/// wait for it, so the reading thread is left behind, blocked, and ends
/// with the process.
fn interruptible<T: Send + 'static>(
    stop: &std::sync::atomic::AtomicBool,
    read: impl FnOnce(&std::sync::mpsc::SyncSender<T>) + Send + 'static,
    each: &mut dyn FnMut(T) -> ControlFlow<()>,
) {
    let (send, receive) = std::sync::mpsc::sync_channel::<T>(64);
    std::thread::spawn(move || read(&send));
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        match receive.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(item) => {
                if each(item).is_break() {
                    return;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn read_stdin(options: &ScanOptions, report: &dyn Report, check: &(dyn Fn(Loaded) -> Done + Sync)) {
    const NAME: &str = "<stdin>";
    let limit = options.max_file_size;
    if options.stdin == load::Kind::Jsonl {
        let mut read_lines =
            |each: LineSink<'_>| {
                interruptible(
                    &options.stop,
                    move |send| {
                        load::jsonl::lines(&mut io::stdin().lock(), NAME, limit, &mut |line| {
                            match send.send(line) {
                                Ok(()) => ControlFlow::Continue(()),
                                Err(_) => ControlFlow::Break(()),
                            }
                        });
                    },
                    each,
                );
            };
        records(options, &mut read_lines, NAME, report, check);
        return;
    }
    // The same cap as a file's, read in bounded memory: one byte past the
    // limit tells that the input is over it, and the rest is never read.
    let mut read = None;
    interruptible(
        &options.stop,
        move |send| {
            let mut bytes = Vec::new();
            let result = io::Read::read_to_end(
                &mut io::Read::take(&mut io::stdin().lock(), limit.saturating_add(1)),
                &mut bytes,
            );
            let _ = send.send(result.map(|_| bytes));
        },
        &mut |result| {
            read = Some(result);
            ControlFlow::Break(())
        },
    );
    // Stopped before standard input ended: nothing of it is checked.
    let Some(read) = read else { return };
    let loaded = match read {
        Ok(bytes) if bytes.len() as u64 > limit => Err(load::InputProblem {
            id: load::DocId::file(NAME),
            message: format!(
                "standard input is over the {limit}-byte limit (--max-file-size); nothing of it was checked"
            ),
            span: None,
            source: None,
        }),
        Ok(bytes) => load::from_input(NAME, options.stdin, &bytes),
        Err(e) => Err(load::InputProblem {
            id: load::DocId::file(NAME),
            message: format!("cannot read: {e}"),
            span: None,
            source: None,
        }),
    };
    check(loaded).deliver(report);
}

fn rules(cmd: RulesCommand, out: &mut dyn Write) -> Result<u8, Error> {
    match cmd {
        RulesCommand::List(args) => {
            let (engine, off) = listed_engine(&args)?;
            for pack in engine.packs() {
                let note = if off.contains(&pack.name) {
                    "; off unless an override adds it"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{} — {} ({}{note})",
                    pack.name,
                    report::escape::text(&pack.title),
                    if pack.is_builtin() {
                        "built-in".into()
                    } else {
                        report::escape::text(&pack.origin)
                    }
                )
                .map_err(io_err)?;
                for rule in &pack.rules {
                    writeln!(
                        out,
                        "  {:<36} {:<8} {}",
                        rule.id,
                        rule.severity.as_str(),
                        first_line(&rule.message)
                    )
                    .map_err(io_err)?;
                }
            }
            Ok(exit::CLEAN)
        }
        RulesCommand::Phrases(args) => {
            let engine = Engine::new(load_packs(&args)?)?;
            for phrase in engine.phrases() {
                writeln!(out, "{phrase}").map_err(io_err)?;
            }
            Ok(exit::CLEAN)
        }
        RulesCommand::Show { id, packs } => {
            let (engine, _) = listed_engine(&packs)?;
            let named: Vec<&pack::Rule> = if id.contains('/') {
                engine.rules().filter(|r| r.id == id).collect()
            } else {
                // A bare name: the rule of that name in whichever pack has it.
                engine
                    .rules()
                    .filter(|r| r.id.rsplit_once('/').is_some_and(|(_, n)| n == id))
                    .collect()
            };
            let rule = match named.as_slice() {
                [rule] => *rule,
                [] => {
                    let name = id.rsplit_once('/').map_or(id.as_str(), |(_, n)| n);
                    let mut near: Vec<&str> = engine
                        .rules()
                        .map(|r| r.id.as_str())
                        .filter(|r| {
                            let rule_name = r.rsplit_once('/').map_or(*r, |(_, n)| n);
                            rule_name == name
                                || rule_name.contains(name)
                                || name.contains(rule_name)
                                || edit_distance(rule_name, name) <= 2
                        })
                        .collect();
                    near.truncate(5);
                    let hint = if near.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", near.join(", "))
                    };
                    return Err(Error::Usage(format!(
                        "no active rule `{}`{hint} (see `clearance rules list`)",
                        report::escape::text(&id)
                    )));
                }
                several => {
                    let ids: Vec<&str> = several.iter().map(|r| r.id.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "`{}` is a rule of several packs: {}; name one in full",
                        report::escape::text(&id),
                        ids.join(", ")
                    )));
                }
            };
            pack::examples::describe(rule, out).map_err(io_err)?;
            Ok(exit::CLEAN)
        }
        RulesCommand::Test { packs } => {
            let args = PackArgs {
                packs,
                no_default_packs: true,
            };
            let packs = if args.packs.is_empty() {
                Pack::all_builtin().map_err(Error::Pack)?
            } else {
                load_packs(&args)?
            };
            let mut failed = 0;
            let mut passed = 0;
            for pack in packs {
                let result = pack::examples::run(pack)?;
                passed += result.passed;
                failed += result.failures.len();
                for failure in &result.failures {
                    writeln!(out, "FAIL {failure}").map_err(io_err)?;
                }
            }
            writeln!(out, "{passed} passed, {failed} failed").map_err(io_err)?;
            Ok(if failed == 0 {
                exit::CLEAN
            } else {
                exit::FINDINGS
            })
        }
    }
}

/// The packs `check` would load here, as `rules list` and `rules show` see
/// them: the active ones, then those only an override switches on (their
/// names returned).
fn listed_engine(args: &cli::ListArgs) -> Result<(Engine, Vec<String>), Error> {
    let config = find_config(args.config.as_deref(), args.no_config, &[])?;
    let mut packs = load_pack_specs(&active_specs(&config, &args.packs))?;
    if packs.is_empty() {
        return Err(Error::Usage(
            "no packs to run (--no-default-packs without --pack)".to_string(),
        ));
    }
    let mut off = Vec::new();
    for extra in load_pack_specs(&config.override_packs())? {
        if packs.iter().all(|p| p.name != extra.name) {
            off.push(extra.name.clone());
            packs.push(extra);
        }
    }
    Ok((Engine::new(packs)?, off))
}

/// Levenshtein distance in characters, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

fn init(args: &InitArgs, out: &mut dyn Write) -> Result<u8, Error> {
    if args.path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to replace it)",
            args.path.display()
        )));
    }
    if let Some(unknown) = args
        .require
        .iter()
        .find(|r| pack::builtin_names().all(|b| b != r.as_str()))
    {
        return Err(Error::Usage(format!(
            "--require {unknown}: not a built-in pack (built-in: {})",
            pack::builtin_names().collect::<Vec<_>>().join(", ")
        )));
    }
    // What the written file would be rejected for, said now.
    if args
        .publisher
        .as_deref()
        .is_some_and(|p| p.trim().is_empty())
    {
        return Err(Error::Usage(
            "--publisher is empty: give the publisher's name, or leave the option out".to_string(),
        ));
    }
    for domain in &args.domains {
        config::check_domain(domain)
            .map_err(|why| Error::Usage(format!("--domain `{domain}` is not a domain: {why}")))?;
    }
    if let Some(contact) = &args.contact {
        config::check_contact(contact).map_err(|why| Error::Usage(format!("--contact {why}")))?;
    }
    let text = config::starter(
        args.publisher.as_deref(),
        &args.domains,
        args.contact.as_deref(),
        &args.require,
    );
    write::atomic(&args.path, text.as_bytes()).map_err(|source| Error::Write {
        path: args.path.clone(),
        source,
    })?;
    writeln!(
        out,
        "wrote {}",
        report::escape::text(&args.path.display().to_string())
    )
    .map_err(io_err)?;
    Ok(exit::CLEAN)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}
