//! Where a document is, for reports that point into a repository (SARIF's
//! artifact locations, GitHub annotations): the file's own bytes, not the
//! escaped text people are shown, and relative to the repository's top
//! folder, not to wherever the check was started.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::load::DocId;

/// The folder a check ran in and the repository around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    /// The folder relative paths start from (absolute).
    pub cwd: PathBuf,
    /// The repository's top folder (absolute): the nearest folder at or
    /// above `cwd` that holds `.git`, else `cwd` itself.
    pub top: PathBuf,
}

impl Repository {
    /// The repository around `cwd` (an absolute folder).
    pub fn around(cwd: PathBuf) -> Repository {
        let top = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&cwd)
            .to_path_buf();
        Repository { cwd, top }
    }

    /// Where `file` is: relative to the top folder (`Ok`), or absolute when
    /// it lies outside the repository (`Err`). Both are normalised: no `.`,
    /// and `..` only where it cannot be resolved.
    pub fn locate(&self, file: &Path) -> Result<PathBuf, PathBuf> {
        let absolute = normalise(&self.cwd.join(file));
        match absolute.strip_prefix(&self.top) {
            Ok(relative) => Ok(relative.to_path_buf()),
            Err(_) => Err(absolute),
        }
    }
}

/// Where a document's file is, as the bytes of a path with `/` between
/// folders: relative to the repository's top folder (`Ok`, with no leading
/// `./`) or absolute when it lies outside (`Err`). Without a repository,
/// the path as given, relative unless it is absolute. What SARIF and
/// GitHub annotations both name a file by.
pub fn locate(id: &DocId, repository: Option<&Repository>) -> Result<Vec<u8>, Vec<u8>> {
    let file = file_path(id);
    let located = match repository {
        Some(repository) => repository.locate(&file),
        None if file.is_absolute() => Err(file),
        None => Ok(file),
    };
    match located {
        Ok(relative) => {
            let bytes = path_bytes(&relative);
            let mut rest = bytes.as_slice();
            while let Some(r) = rest.strip_prefix(b"./") {
                rest = r;
            }
            Ok(rest.to_vec())
        }
        Err(absolute) => Err(path_bytes(&absolute)),
    }
}

/// `a/./b/../c` → `a/c`, lexically (a symbolic link is not followed).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The file a document is in, as the operating system names it.
pub fn file_path(id: &DocId) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        if let Some(bytes) = id.file_bytes() {
            return PathBuf::from(OsString::from_vec(bytes));
        }
    }
    PathBuf::from(OsString::from(&id.file))
}

/// A path's bytes, with `/` between folders on every system.
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/").into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repository {
        Repository {
            cwd: PathBuf::from("/work/site/content"),
            top: PathBuf::from("/work/site"),
        }
    }

    #[test]
    fn paths_are_relative_to_the_top_and_normalised() {
        let r = repo();
        assert_eq!(
            r.locate(Path::new("he/a.txt")),
            Ok(PathBuf::from("content/he/a.txt"))
        );
        assert_eq!(
            r.locate(Path::new("./he/./a.txt")),
            Ok(PathBuf::from("content/he/a.txt"))
        );
        assert_eq!(
            r.locate(Path::new("../ar/b.md")),
            Ok(PathBuf::from("ar/b.md"))
        );
        assert_eq!(
            r.locate(Path::new("/work/site/x.html")),
            Ok(PathBuf::from("x.html"))
        );
        assert_eq!(
            r.locate(Path::new("../../other/c.txt")),
            Err(PathBuf::from("/work/other/c.txt"))
        );
        assert_eq!(
            r.locate(Path::new("/tmp/d.txt")),
            Err(PathBuf::from("/tmp/d.txt"))
        );
    }

    #[test]
    fn the_top_is_the_folder_that_holds_git() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("a/b")).unwrap();
        let r = Repository::around(top.join("a/b"));
        assert_eq!(r.top, top);
        // Without `.git` anywhere above, the folder itself.
        let bare = tempfile::tempdir().unwrap();
        let bare = bare.path().canonicalize().unwrap();
        assert_eq!(Repository::around(bare.clone()).top, bare);
    }

    #[cfg(unix)]
    #[test]
    fn a_documents_file_is_its_own_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let id = DocId::record("bad\\xFFname\\\\x.jsonl", 3);
        assert_eq!(
            file_path(&id).as_os_str().as_bytes(),
            b"bad\xffname\\x.jsonl"
        );
        assert_eq!(
            file_path(&DocId::file("plain.txt")),
            PathBuf::from("plain.txt")
        );
    }
}
