//! The files Clearance reads to steer a run (config, packs, baseline) and
//! the files it writes (report, baseline, starter config): a config names
//! only packs in its own folder, nothing is read from a FIFO or a device or
//! past a size cap, a file that is not YAML settings is never quoted, and
//! every write is atomic, keeps the old file on failure, writes through
//! symlinks, refuses special files and keeps the file's mode.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, clearance, write};

const PACK: &str = "pack: house\ntitle: House\nrules:\n  - id: promo\n    severity: error\n    message: promo\n    forbid: { phrases: [\"read more:\"] }\n";

/// Runs `clearance ARGS` in `dir`, killed after ten seconds: a read that
/// waits on a FIFO fails the test instead of hanging it.
fn bounded(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("clearance {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `site/` is the project; `secret.yaml` (a valid pack) and `secret.env`
/// sit next to it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secret.yaml", PACK);
    write(dir.path(), "secret.env", "TOKEN=hunter2-secret\nOTHER=x\n");
    write(dir.path(), "site/rules/house.yaml", PACK);
    write(dir.path(), "site/a.txt", "Title\n\nread more: elsewhere\n");
    dir
}

#[test]
fn a_config_names_only_packs_in_its_folder() {
    let dir = project();
    let site = dir.path().join("site");
    std::os::unix::fs::symlink(dir.path().join("secret.yaml"), site.join("rules/link.yaml"))
        .unwrap();
    let refused = [
        ("packs: [\"../secret.yaml\"]\n", "../secret.yaml"),
        ("packs: [\"../secret.env\"]\n", "../secret.env"),
        ("packs: [\"/proc/self/environ\"]\n", "/proc/self/environ"),
        // A link inside the folder to a file outside it.
        ("packs: [rules/link.yaml]\n", "rules/link.yaml"),
        (
            "overrides:\n  - files: [\"*.txt\"]\n    packs: [\"+../secret.yaml\"]\n",
            "../secret.yaml",
        ),
    ];
    for (config, spec) in refused {
        write(&site, "clearance.yaml", config);
        let run = clearance(&site, &["check", "a.txt"]);
        assert_eq!(run.code, 2, "{config}: {}", run.stderr);
        let message = format!(
            "`{spec}` is outside this config's folder ({}); a config names only packs in",
            site.display()
        );
        assert!(
            run.stderr.replace("\n  │ ", " ").contains(&message),
            "{config}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("help: name a pack elsewhere on the command line: --pack FILE"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    }
    // Inside the folder is fine, and so is any file named on the command line.
    write(&site, "clearance.yaml", "packs: [rules/house.yaml]\n");
    let run = clearance(&site, &["check", "--format", "json", "a.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(common::json(&run)["findings"][0]["rule"], "house/promo");
    write(&site, "clearance.yaml", "packs: []\n");
    let run = clearance(
        &site,
        &[
            "check",
            "--format",
            "json",
            "--pack",
            "../secret.yaml",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(common::json(&run)["findings"][0]["rule"], "house/promo");
}

#[test]
fn a_file_that_is_not_yaml_settings_is_not_quoted() {
    let dir = project();
    let site = dir.path().join("site");
    let run = clearance(
        &site,
        &["check", "--no-config", "--pack", "../secret.env", "a.txt"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "clearance::usage\n\n  × ../secret.env: not a Clearance pack (a YAML mapping with a top-level `pack:` key); its content\n  │ is not shown\n"
    );
    let run = clearance(&site, &["check", "--config", "../secret.env", "a.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("../secret.env: not a Clearance config (a YAML mapping such as"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    // A pack with a mistake in it is still shown where the mistake is.
    write(&site, "bad.yaml", PACK.replace("error", "loud"));
    let run = clearance(
        &site,
        &["check", "--no-config", "--pack", "bad.yaml", "a.txt"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("severity: loud"), "{}", run.stderr);
}

#[test]
fn packs_configs_and_baselines_are_read_only_from_small_regular_files() {
    let dir = project();
    let site = dir.path().join("site");
    mkfifo(&site.join("fifo.yaml"));
    let cases: [(&[&str], &str); 6] = [
        (
            &["check", "--no-config", "--pack", "fifo.yaml", "a.txt"],
            "cannot read fifo.yaml\n  ╰─▶ it is a FIFO, not a regular file; a pack must be one",
        ),
        (
            &["check", "--no-config", "--pack", "/dev/zero", "a.txt"],
            "cannot read /dev/zero\n  ╰─▶ it is a device, not a regular file; a pack must be one",
        ),
        (
            &["check", "--config", "fifo.yaml", "a.txt"],
            "cannot read fifo.yaml\n  ╰─▶ it is a FIFO, not a regular file; a config must be one",
        ),
        (
            &["check", "--config", "/dev/zero", "a.txt"],
            "cannot read /dev/zero\n  ╰─▶ it is a device, not a regular file; a config must be one",
        ),
        (
            &["check", "--no-config", "--baseline", "fifo.yaml", "a.txt"],
            "cannot read fifo.yaml\n  ╰─▶ it is a FIFO, not a regular file; a baseline must be one",
        ),
        (
            &["check", "--no-config", "--baseline", "/dev/zero", "a.txt"],
            "cannot read /dev/zero\n  ╰─▶ it is a device, not a regular file; a baseline must be \
             one",
        ),
    ];
    for (args, expected) in cases {
        let run = bounded(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("clearance::io\n\n  × {expected}\n"),
            "{args:?}"
        );
    }
    // A config's own `packs:` entry that is a FIFO, inside the folder.
    write(&site, "clearance.yaml", "packs: [fifo.yaml]\n");
    let run = bounded(&site, &["check", "a.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a FIFO, not a regular file; a pack must be one"),
        "{}",
        run.stderr
    );
    // Past the cap: a config of more than 1 MiB.
    write(&site, "big.yaml", "#".repeat((1 << 20) + 1));
    let run = bounded(&site, &["check", "--config", "big.yaml", "a.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "clearance::io\n\n  × cannot read big.yaml\n  ╰─▶ it is larger than 1 MiB, more than any config holds\n"
    );
}

/// A folder nothing can be written in. Root ignores a folder's mode, so
/// when a probe file can still be created, a path under a regular file
/// (which no one can create) stands in for it.
fn unwritable(dir: &Path) -> (std::path::PathBuf, bool) {
    let ro = dir.join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("probe"), "x").is_err() {
        return (ro, true);
    }
    std::fs::remove_file(ro.join("probe")).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&ro).unwrap();
    write(dir, "ro", "a file, not a folder");
    (ro, false)
}

#[test]
fn a_write_that_fails_keeps_the_old_file_and_says_cannot_write() {
    let dir = project();
    let site = dir.path().join("site");
    let (ro, is_folder) = unwritable(&site);
    if is_folder {
        // The old files sit in the read-only folder (written before it
        // became read-only).
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        for name in ["report.json", "baseline.json", "clearance.yaml"] {
            std::fs::write(ro.join(name), "old").unwrap();
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "check",
                "--no-config",
                "--output",
                "ro/report.json",
                "a.txt",
            ],
            "ro/report.json",
        ),
        (
            &[
                "check",
                "--no-config",
                "--write-baseline",
                "ro/baseline.json",
                "a.txt",
            ],
            "ro/baseline.json",
        ),
        (
            &["init", "--force", "--path", "ro/clearance.yaml"],
            "ro/clearance.yaml",
        ),
    ];
    for (args, target) in cases {
        let run = clearance(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!(
                "clearance::io\n\n  × cannot write {target}\n  ╰─▶ "
            )),
            "{args:?}: {}",
            run.stderr
        );
        if is_folder {
            assert_eq!(std::fs::read_to_string(site.join(target)).unwrap(), "old");
        }
    }
    if is_folder {
        assert_eq!(
            names(&ro),
            ["baseline.json", "clearance.yaml", "report.json"]
        );
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn writes_go_through_symlinks_refuse_special_files_and_keep_the_mode() {
    let dir = project();
    let site = dir.path().join("site");
    // Through a symlink: the link stays, its target gets the report.
    write(&site, "reports/real.json", "old");
    std::os::unix::fs::symlink("reports/real.json", site.join("link.json")).unwrap();
    let run = clearance(
        &site,
        &[
            "check",
            "--no-config",
            "--require",
            "il-27a",
            "--format",
            "json",
            "--output",
            "link.json",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(site.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let report = std::fs::read_to_string(site.join("reports/real.json")).unwrap();
    assert!(report.starts_with("{\"version\":1,"), "{report}");
    assert_eq!(names(&site.join("reports")), ["real.json"]);

    // A FIFO is refused at once (and stays a FIFO); so is a folder.
    mkfifo(&site.join("out.fifo"));
    let run = bounded(
        &site,
        &["check", "--no-config", "--output", "out.fifo", "a.txt"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "clearance::io\n\n  × cannot write out.fifo\n  ╰─▶ out.fifo is a FIFO, not a regular file; it was left alone\n"
    );
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::symlink_metadata(site.join("out.fifo"))
            .unwrap()
            .file_type()
    ));
    let run = clearance(&site, &["init", "--force", "--path", "rules"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("rules is a directory, not a regular file; it was left alone"),
        "{}",
        run.stderr
    );

    // A private baseline stays private.
    write(&site, "baseline.json", "{}");
    std::fs::set_permissions(
        site.join("baseline.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let run = clearance(
        &site,
        &[
            "check",
            "--no-config",
            "--write-baseline",
            "baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta = std::fs::metadata(site.join("baseline.json")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
    assert!(
        std::fs::read_to_string(site.join("baseline.json"))
            .unwrap()
            .contains("\"version\": 1")
    );
}
