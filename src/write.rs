//! Writing files the user owns without ever leaving them half-written: the
//! content goes to a temporary file beside the target, is flushed to disk,
//! and then renamed over the target in one step. Every file Clearance
//! writes (a report with `--output`, a baseline, `init`'s config) goes
//! through [`atomic`], or [`Staged`] when it is written as the check goes.
//!
//! - A symlink is written through: its target is replaced (atomically), and
//!   the link stays a link.
//! - Only a regular file is replaced: a directory, FIFO, socket or device
//!   is refused with an error, never swapped for a regular file.
//! - The replaced file keeps its permissions (a 0600 file stays 0600; the
//!   temporary file has them before any content is written) and, where the
//!   process may, its owner.
//! - When writing fails (a full disk, a read-only folder), the temporary
//!   file is removed and the old file is left as it was.

use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Most symlinks followed from the path given to the file written.
const MAX_LINKS: usize = 40;

/// Replaces `path` with `bytes` atomically (same directory, then rename).
pub fn atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// [`atomic`], with the write into the temporary file done by `write` (the
/// tests make it fail as a full disk would).
fn atomic_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut staged = Staged::create(path)?;
    write(staged.file(), bytes)?;
    staged.commit()
}

/// A file being written in place of `path`: a temporary file beside it,
/// which [`Staged::commit`] renames over `path`. Dropped without a commit
/// (an error, a panic), the temporary file is removed and `path` is left
/// as it was. A streamed report (`--format jsonl --output FILE`) is
/// written into one as the check goes.
#[derive(Debug)]
pub struct Staged {
    file: Option<File>,
    tmp: PathBuf,
    target: PathBuf,
}

impl Staged {
    /// Creates the temporary file for `path` (refusing a `path` that is not
    /// a regular file), with the permissions and owner of the file it will
    /// replace.
    pub fn create(path: &Path) -> io::Result<Staged> {
        let target = follow_links(path)?;
        let existing = match std::fs::metadata(&target) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Some(meta) = &existing
            && !meta.is_file()
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is {}, not a regular file; it was left alone",
                    target.display(),
                    kind(meta)
                ),
            ));
        }
        let name = target
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = folder(&target).join(format!(
            ".{name}.clearance-tmp-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let staged = Staged {
            file: Some(file),
            tmp,
            target,
        };
        if let (Some(meta), Some(file)) = (&existing, &staged.file) {
            file.set_permissions(meta.permissions())?;
            keep_owner(file, meta);
        }
        Ok(staged)
    }

    /// The temporary file, to write into.
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .unwrap_or_else(|| unreachable!("the file is only taken by commit"))
    }

    /// Flushes the temporary file to disk and renames it over the target.
    pub fn commit(mut self) -> io::Result<()> {
        let file = self.file.take();
        let result = file
            .as_ref()
            .map_or(Ok(()), File::sync_all)
            .and_then(|()| std::fs::rename(&self.tmp, &self.target));
        drop(file);
        result?;
        // The rename itself is durable once the folder is synced; a folder
        // that cannot be opened or synced (some file systems) still has the
        // new file.
        if let Ok(d) = File::open(folder(&self.target)) {
            let _ = d.sync_all();
        }
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.file.take();
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The folder a file is in (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The file `path` names once every symlink on the way is followed (the
/// last link's target may not exist yet).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links from {}",
        path.display()
    )))
}

/// What a file that is not a regular file is, for the error.
pub(crate) fn kind(meta: &Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

/// Gives the new file the old one's owner and group, when the process may
/// (root may; anyone else owns what they create, which is what they had).
fn keep_owner(file: &File, meta: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    #[cfg(not(unix))]
    let _ = (file, meta);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "old").unwrap();
        atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names(dir.path()), ["out.json"]);
    }

    #[test]
    fn failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("out.json");
        assert!(atomic(&target, b"x").is_err());
        assert!(!target.exists());
    }

    /// A full disk fails the write half-way: the old file is untouched and
    /// the temporary file is gone.
    #[test]
    fn a_full_disk_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old report").unwrap();
        let err = atomic_with(&target, b"new report", |file, bytes| {
            file.write_all(&bytes[..3])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old report");
        assert_eq!(names(dir.path()), ["report.json"]);
    }

    /// A staged file dropped before its commit (an error half-way through
    /// a streamed report) leaves the old file and no temporary file.
    #[test]
    fn a_staged_file_is_only_seen_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.jsonl");
        std::fs::write(&target, "old\n").unwrap();
        let mut staged = Staged::create(&target).unwrap();
        staged.file().write_all(b"half").unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        drop(staged);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(names(dir.path()), ["report.jsonl"]);
        let mut staged = Staged::create(&target).unwrap();
        staged.file().write_all(b"{}\n").unwrap();
        staged.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}\n");
        assert_eq!(names(dir.path()), ["report.jsonl"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_mode_of_the_replaced_file_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("baseline.json");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        atomic(&target, b"new").unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o600);
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        atomic(&target, b"newer").unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let real = dir.path().join("real/report.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real/report.json", &link).unwrap();
        // A link to a link, too.
        let link2 = dir.path().join("link2.json");
        std::os::unix::fs::symlink(&link, &link2).unwrap();
        atomic(&link2, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::symlink_metadata(&link2)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(names(&dir.path().join("real")), ["report.json"]);
        // A dangling link gets its target created.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("real/new.json", &dangling).unwrap();
        atomic(&dangling, b"fresh").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("real/new.json")).unwrap(),
            "fresh"
        );
        // A loop is an error, not a hang.
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let err = atomic(&a, b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic links"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = atomic(dir.path(), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("is a directory"), "{err}");
        // A device takes the same way; it is not written to here, so that a
        // regression could never replace a real device node.
        assert_eq!(kind(&std::fs::metadata("/dev/null").unwrap()), "a device");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = atomic(&fifo, b"x").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("is a FIFO, not a regular file; it was left alone")
        );
        let meta = std::fs::symlink_metadata(&fifo).unwrap();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()));
        assert_eq!(names(dir.path()), ["fifo"]);
    }
}
