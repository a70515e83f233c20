//! Reading the files that steer a run (configs, packs, baselines): only
//! regular files, and only up to a size no such file reaches, so that a
//! FIFO cannot hang a check and `/dev/zero` cannot fill the memory.
//!
//! Also the rule for what a parse error may show: an error of a file that
//! does not look like YAML settings at all (an environment dump, a key
//! file, a binary) names the file but quotes none of it.

use std::io::{self, Read};
use std::path::Path;

/// Most bytes of a config file.
pub const CONFIG_CAP: u64 = 1 << 20;
/// Most bytes of one pack file.
pub const PACK_CAP: u64 = 16 << 20;
/// Most bytes of a baseline (about a million findings).
pub const BASELINE_CAP: u64 = 512 << 20;

fn refuse(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

fn cap_text(cap: u64) -> String {
    if cap >= 1 << 20 {
        format!("{} MiB", cap >> 20)
    } else {
        format!("{cap} bytes")
    }
}

/// The text of `path`, which must be a regular file of at most `cap`
/// bytes of UTF-8; `what` names it in errors ("config", "pack").
pub fn settings_file(path: &Path, what: &str, cap: u64) -> Result<String, crate::Error> {
    read_capped(path, what, cap).map_err(|source| crate::Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_capped(path: &Path, what: &str, cap: u64) -> io::Result<String> {
    let regular = |meta: &std::fs::Metadata| -> io::Result<()> {
        if meta.is_file() {
            Ok(())
        } else {
            Err(refuse(format!(
                "it is {}, not a regular file; a {what} must be one",
                crate::write::kind(meta)
            )))
        }
    };
    let too_big = || {
        refuse(format!(
            "it is larger than {}, more than any {what} holds",
            cap_text(cap)
        ))
    };
    // Checked before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path)?;
    regular(&meta)?;
    if meta.len() > cap {
        return Err(too_big());
    }
    let file = std::fs::File::open(path)?;
    regular(&file.metadata()?)?;
    // Files such as /proc's report a size of 0: the cap holds while reading.
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is not UTF-8 text, which a {what} is"),
        )
    })
}

/// The first line that says something: not blank, not a comment, not a
/// document marker or directive.
fn first_significant_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim_end).find(|line| {
        let t = line.trim_start();
        !(t.is_empty() || t.starts_with('#') || t == "---" || t.starts_with('%'))
    })
}

/// Does `text` open like a YAML mapping: a `key:` line (the key plain or
/// quoted) or a flow mapping `{`? Empty text (or comments only) does too.
pub fn looks_like_mapping(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(line) = first_significant_line(text) else {
        return true;
    };
    if line.starts_with('{') {
        return true;
    }
    let key = match line
        .find(": ")
        .or_else(|| line.ends_with(':').then(|| line.len() - 1))
    {
        Some(i) => line[..i].trim_end(),
        None => return false,
    };
    let quoted = key.len() >= 2
        && ((key.starts_with('"') && key.ends_with('"'))
            || (key.starts_with('\'') && key.ends_with('\'')));
    quoted
        || (!key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
}

/// Does `text` look like a pack: a mapping with a top-level `pack` key?
pub fn looks_like_pack(text: &str) -> bool {
    if !looks_like_mapping(text) {
        return false;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if first_significant_line(text).is_some_and(|l| l.starts_with('{')) {
        return text.contains("pack");
    }
    text.lines().any(|line| {
        ["pack", "\"pack\"", "'pack'"].iter().any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_files_are_regular_and_small() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("c.yaml");
        std::fs::write(&ok, "fail_on: error\n").unwrap();
        assert_eq!(
            settings_file(&ok, "config", CONFIG_CAP).unwrap(),
            "fail_on: error\n"
        );
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'#'; 2000]).unwrap();
        let err = read_capped(&big, "config", 1000).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is larger than 1000 bytes, more than any config holds"
        );
        let err = read_capped(dir.path(), "pack", PACK_CAP).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a directory, not a regular file; a pack must be one"
        );
        let err = read_capped(Path::new("/dev/zero"), "pack", PACK_CAP).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a device, not a regular file; a pack must be one"
        );
        let bin = dir.path().join("bin.yaml");
        std::fs::write(&bin, b"\xff\xfe\x00").unwrap();
        let err = read_capped(&bin, "pack", PACK_CAP).unwrap_err();
        assert_eq!(err.to_string(), "it is not UTF-8 text, which a pack is");
    }

    /// /proc files report a size of 0; the cap still holds.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_cap_holds_for_files_that_report_no_size() {
        let err = read_capped(Path::new("/proc/self/maps"), "config", 16).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is larger than 16 bytes, more than any config holds"
        );
    }

    #[test]
    fn what_looks_like_settings() {
        for yes in [
            "",
            "# only a comment\n",
            "---\npack: p\n",
            "publisher: { name: x }\n",
            "\"pack\": p\n",
            "{pack: p, title: t}\n",
            "fail_on:\n",
            "max_file_size: 10\n",
        ] {
            assert!(looks_like_mapping(yes), "{yes:?}");
        }
        for no in [
            "PATH=/usr/bin\0HOME=/root\0",
            "TOKEN=abc\nOTHER=def\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n",
            "- a\n- b\n",
            "just some words\n",
            "key with spaces: x\n",
        ] {
            assert!(!looks_like_mapping(no), "{no:?}");
        }
        assert!(looks_like_pack(
            "# house rules\ntitle: t\npack: house\nrules: []\n"
        ));
        assert!(looks_like_pack("'pack' : p\n"));
        assert!(!looks_like_pack("publisher: { name: x }\n"));
        assert!(!looks_like_pack("secret: hunter2\n  pack: nested\n"));
    }
}
