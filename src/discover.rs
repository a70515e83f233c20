//! Finding the files to check: `ignore`'s parallel walker, so `.gitignore`
//! (inside or outside a git repository), `.ignore` and `.clearanceignore`
//! are respected and hidden files skipped. Paths given explicitly are always
//! checked.

use ignore::{WalkBuilder, WalkState, types::TypesBuilder};
use std::path::{Path, PathBuf};

/// What the walker hands out: a file to check, or a path it could not read.
pub enum Found {
    File { path: PathBuf, display: String },
    Error { display: String, message: String },
}

/// Walks `roots` on `threads` threads, calling `visit` for every article file.
pub fn walk(roots: &[PathBuf], threads: usize, visit: &(dyn Fn(Found) + Sync)) {
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    let mut types = TypesBuilder::new();
    // The extensions the loader reads (`load::KINDS`).
    for ext in crate::load::extensions() {
        types
            .add("article", &format!("*.{ext}"))
            .unwrap_or_else(|e| unreachable!("static glob: {e}"));
    }
    types.select("article");
    let types = types
        .build()
        .unwrap_or_else(|e| unreachable!("static types: {e}"));
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
        .types(types)
        .threads(threads);
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let path = entry.into_path();
                        let display = display(&path);
                        visit(Found::File { path, display });
                    }
                }
                Err(err) => {
                    let display = match &err {
                        ignore::Error::WithPath { path, .. } => display(path),
                        _ => String::new(),
                    };
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
