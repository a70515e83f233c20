//! Finding the files to check: `ignore`'s parallel walker, so `.gitignore`
//! (inside or outside a git repository), `.ignore` and `.clearanceignore`
//! are respected and hidden files skipped. Paths given explicitly are always
//! checked.

use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};

/// What the walker hands out: a file to check, a file of a type Clearance
/// does not read (by its extension, as `.warc.gz`), or a path it could not
/// read.
pub enum Found {
    File { path: PathBuf, display: String },
    Skipped { extension: String },
    Error { display: String, message: String },
}

/// A file's type, as people name it: its extension with the one before a
/// compression's (`.warc.gz`, `.tar.zst`), `(no extension)` without one.
pub fn type_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('.').skip(1).collect();
    match parts.as_slice() {
        [] => "(no extension)".to_string(),
        [.., before, last]
            if ["gz", "bz2", "xz", "zst", "zip", "br"]
                .contains(&last.to_ascii_lowercase().as_str()) =>
        {
            format!(".{before}.{last}").to_ascii_lowercase()
        }
        [.., last] => format!(".{last}").to_ascii_lowercase(),
    }
}

/// Walks `roots` on `threads` threads, calling `visit` for every article
/// file, until `stop` is set.
pub fn walk(
    roots: &[PathBuf],
    threads: usize,
    stop: &std::sync::atomic::AtomicBool,
    visit: &(dyn Fn(Found) + Sync),
) {
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .parents(true)
        .ignore(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(".clearanceignore")
        .threads(threads);
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return WalkState::Quit;
            }
            match entry {
                Ok(entry) => match entry.file_type() {
                    // Found in a folder, of a type the loader does not
                    // read: counted, so an archive of `.warc.gz` files is
                    // not reported as an empty folder. (A file named on
                    // the command line is always handed on, and its type
                    // reported as a problem if it is not read.)
                    Some(t)
                        if t.is_file()
                            && entry.depth() > 0
                            && crate::load::Kind::of(entry.path()).is_none() =>
                    {
                        visit(Found::Skipped {
                            extension: type_name(entry.path()),
                        });
                    }
                    Some(t) if t.is_file() => {
                        let path = entry.into_path();
                        let display = display(&path);
                        visit(Found::File { path, display });
                    }
                    // Never opened: a FIFO would block the scan until
                    // something writes to it.
                    Some(t) if is_special(&t) => visit(Found::Error {
                        display: display(entry.path()),
                        message: "not a regular file (a FIFO, socket or device); skipped"
                            .to_string(),
                    }),
                    _ => {}
                },
                Err(err) => {
                    let display = error_path(&err).map(display).unwrap_or_default();
                    visit(Found::Error {
                        display,
                        message: error_message(&err),
                    });
                }
            }
            WalkState::Continue
        })
    });
}

/// A FIFO, socket or device file.
fn is_special(t: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        t.is_fifo() || t.is_socket() || t.is_block_device() || t.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = t;
        false
    }
}

/// The path an error is about, however deep `ignore` wrapped it.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// The path as shown in reports: as given, without a leading `./`, escaped
/// where it is not UTF-8 (`load::display_path`).
fn display(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    crate::load::display_path(shown)
}

fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_message(err)
        }
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "no such file or directory".to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_errors_keep_their_path() {
        let io = || ignore::Error::Io(std::io::Error::other("denied"));
        // How the walker reports a directory it cannot read.
        let at = |path: &str| ignore::Error::WithPath {
            path: PathBuf::from(path),
            err: Box::new(io()),
        };
        let deep = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(at("news/locked")),
        };
        assert_eq!(error_path(&deep), Some(Path::new("news/locked")));
        let partial = ignore::Error::Partial(vec![io(), at("a/.gitignore")]);
        assert_eq!(error_path(&partial), Some(Path::new("a/.gitignore")));
        assert_eq!(error_path(&io()), None);
    }
}
