//! Which document a finding or an input problem belongs to.

use std::fmt;

/// A document: a file, or one record of a JSON-lines file or of standard
/// input. Reports show it as `file` or `file:line`; printers that need the
/// parts (SARIF's artifact and line, an annotation's file) read them here
/// instead of parsing the text back. Its order (derived: by file, then a
/// file's records by line, `dump.jsonl:9` before `dump.jsonl:10`) is the
/// order reports list documents in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId {
    /// The file as reports show it ([`crate::load::display_path`]),
    /// `<stdin>` for standard input; empty for a problem that belongs to no
    /// file (an unreadable folder walk).
    pub file: String,
    /// The 1-based line a JSON-lines record starts on.
    pub record: Option<usize>,
    /// A record's own id (its `--id-field`, else `id`, else `url`): what
    /// fingerprints and baselines know it by, wherever it sits in a dump
    /// or a shard. `None` for a file, or a record without one.
    pub key: Option<String>,
}

impl DocId {
    /// A whole file, by the path reports show.
    pub fn file(display: impl Into<String>) -> DocId {
        DocId {
            file: display.into(),
            record: None,
            key: None,
        }
    }

    /// The record of `display` that starts on `line` (1-based).
    pub fn record(display: impl Into<String>, line: usize) -> DocId {
        DocId {
            file: display.into(),
            record: Some(line),
            key: None,
        }
    }

    /// How a report names the document to people: as [`fmt::Display`]
    /// does, and a record with an id adds it: `dump.jsonl:3#ar-17`.
    pub fn label(&self) -> String {
        match &self.key {
            Some(key) => format!("{self}#{key}"),
            None => self.to_string(),
        }
    }

    /// What fingerprints and baselines know the document by: a record's
    /// id when it has one (the same in every shard), else the path as
    /// reports show it (`dump.jsonl:12` for a record without an id).
    pub fn identity(&self) -> std::borrow::Cow<'_, str> {
        match &self.key {
            Some(key) => std::borrow::Cow::Borrowed(key),
            None if self.record.is_none() => std::borrow::Cow::Borrowed(&self.file),
            None => std::borrow::Cow::Owned(self.to_string()),
        }
    }

    /// Whether the id names no file.
    pub fn is_empty(&self) -> bool {
        self.file.is_empty()
    }

    /// The bytes of the file's name as it is on disk, when reports had to
    /// escape it (`None` when `file` is the name as written).
    pub fn file_bytes(&self) -> Option<Vec<u8>> {
        crate::load::path_bytes(&self.file)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.record {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_shows_its_line_and_a_file_does_not() {
        assert_eq!(DocId::record("dump.jsonl", 12).to_string(), "dump.jsonl:12");
        assert_eq!(DocId::record("<stdin>", 3).to_string(), "<stdin>:3");
        // A colon in a file's own name is part of the name.
        assert_eq!(DocId::file("notes.txt:12").to_string(), "notes.txt:12");
        assert_eq!(DocId::file("notes.txt:12").record, None);
    }

    #[test]
    fn records_are_listed_by_line_within_their_file() {
        let mut ids = [
            DocId::record("b.jsonl", 10),
            DocId::file("a.txt"),
            DocId::record("b.jsonl", 9),
            DocId::file("b.jsonl.txt"),
        ];
        ids.sort();
        let shown: Vec<String> = ids.iter().map(DocId::to_string).collect();
        assert_eq!(shown, ["a.txt", "b.jsonl:9", "b.jsonl:10", "b.jsonl.txt"]);
    }
}
