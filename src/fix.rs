//! Repairs: what `clearance check --fix` writes and `--diff` shows.
//!
//! A rule's `fix:` says what to delete around each of its findings (the
//! match, its line or its paragraph), or what to write in place of the
//! capture a check found wrong. The deletions are worked out on the
//! decoded text, then made in the file's own bytes (its encoding, line
//! endings and every byte outside them kept), and the blank line a removed
//! line or paragraph would leave doubled goes with it. Overlapping fixes:
//! the first by position wins, one inside it is the same repair, and one
//! that straddles it is not applied. A fix whose result the rule would
//! still report is not applied either: the new text is checked in memory
//! first.

use std::ops::Range;

use crate::finding::Finding;
use crate::load::Document;
use crate::pack::{Fix, FixUnit};
use crate::{Engine, check_document};

/// One change, in the document's decoded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The rule whose finding it repairs.
    pub rule: String,
    /// The text removed (decoded offsets).
    pub range: Range<usize>,
    /// The finding's line, for messages.
    pub line: usize,
    /// What is written in its place, as the file holds text (escaped for a
    /// JSON string or a page); empty for a deletion.
    pub text: String,
}

/// A `replace` fix of finding `f`: the capture a check found wrong (or the
/// match) rewritten in the match's script, escaped as the document holds
/// text.
fn replacement(
    doc: &Document,
    f: &Finding,
    with: &crate::pack::Replacement,
) -> Result<Edit, &'static str> {
    let range = f.wrong.clone().unwrap_or_else(|| f.span.clone());
    let text = with.for_text(&f.matched);
    // Digits as the article writes them: «٢٧» stays Arabic-Indic.
    let was = doc.source.get(range.clone()).unwrap_or_default();
    let zero = ['\u{0660}', '\u{06F0}'].into_iter().find(|z| {
        was.chars()
            .any(|c| (*z..=char::from_u32(*z as u32 + 9).unwrap_or(*z)).contains(&c))
    });
    let text: String = match zero {
        Some(zero) => text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(zero as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect(),
        None => text.to_string(),
    };
    let text = text.as_str();
    let text = if doc.fields.is_some() {
        // Inside a JSON string.
        let quoted = serde_json::to_string(text).map_err(|_| "the text cannot be written")?;
        quoted[1..quoted.len() - 1].to_string()
    } else if !matches!(doc.origin, crate::load::decode::Origin::Same) {
        // The file is not UTF-8: its own encoding is not known here.
        return Err("replacing text is done in UTF-8 files only, for now");
    } else if doc.kind == crate::load::Kind::Html {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_string()
    };
    Ok(Edit {
        rule: f.rule.clone(),
        range,
        line: f.line,
        text,
    })
}

/// A fix that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplied {
    pub rule: String,
    pub line: usize,
    pub why: String,
}

/// What repairing one document comes to.
#[derive(Debug, Default)]
pub struct Repair {
    /// The deletions to make, by position, none overlapping.
    pub edits: Vec<Edit>,
    pub not_applied: Vec<NotApplied>,
    /// The file's bytes after the edits (empty when there are none).
    pub bytes: Vec<u8>,
}

/// Works out the repair of `doc` (whose file holds `bytes`) for the
/// findings of rules that have a fix and that `wanted` accepts. Its new
/// text is checked again with `check` (the same check, on the same
/// document kind): fixes of a rule still reported as often are dropped.
pub fn repair(
    engine: &Engine,
    doc: &Document,
    bytes: &[u8],
    findings: &[Finding],
    wanted: &dyn Fn(&str) -> bool,
    check: &dyn Fn(&[u8]) -> Option<Vec<Finding>>,
) -> Repair {
    let mut planned = Vec::new();
    let mut not_fixable = Vec::new();
    for f in findings {
        if !wanted(&f.rule) {
            continue;
        }
        let Some(fix) = engine
            .rules()
            .find(|r| r.id == f.rule)
            .and_then(|r| r.fix.as_ref())
        else {
            continue;
        };
        let unit = match fix {
            Fix::Delete(unit) => *unit,
            Fix::Replace(with) => {
                match replacement(doc, f, with) {
                    Ok(edit) => planned.push(edit),
                    Err(why) => not_fixable.push(NotApplied {
                        rule: f.rule.clone(),
                        line: f.line,
                        why: why.to_string(),
                    }),
                }
                continue;
            }
        };
        // A JSON-lines record is cut in the field's text, its escapes kept;
        // in a page, a line or paragraph is the element the leftover fills.
        let range = match &doc.fields {
            None if doc.kind == crate::load::Kind::Html && unit != FixUnit::Match => {
                match html_element(&doc.source, &f.span) {
                    Some(range) => range,
                    None => {
                        not_fixable.push(NotApplied {
                            rule: f.rule.clone(),
                            line: f.line,
                            why: "the leftover shares its element with other text".to_string(),
                        });
                        continue;
                    }
                }
            }
            Some(fields) => match fields.extent(&f.span, unit) {
                Some(range) => range,
                None => {
                    not_fixable.push(NotApplied {
                        rule: f.rule.clone(),
                        line: f.line,
                        why: "it is in a field read as HTML, which is not fixed yet".to_string(),
                    });
                    continue;
                }
            },
            None => extent(&doc.source, &f.span, unit),
        };
        planned.push(Edit {
            rule: f.rule.clone(),
            range,
            line: f.line,
            text: String::new(),
        });
    }
    let (mut edits, mut not_applied) = resolve(planned);
    not_applied.extend(not_fixable);
    if edits.is_empty() {
        return Repair {
            not_applied,
            ..Repair::default()
        };
    }
    // At most twice: drop the rules whose fixes leave their findings, and
    // check again without them.
    for _ in 0..2 {
        let new = apply(doc, bytes, &edits);
        let Some(after) = check(&new) else {
            return Repair {
                not_applied,
                ..Repair::default()
            };
        };
        let stubborn: Vec<String> = rules_of(&edits)
            .into_iter()
            .filter(|rule| {
                let before = findings.iter().filter(|f| f.rule == *rule).count();
                let fixed = edits.iter().filter(|e| e.rule == *rule).count();
                let left = after.iter().filter(|f| f.rule == *rule).count();
                left + fixed > before
            })
            .collect();
        if stubborn.is_empty() {
            return Repair {
                edits,
                not_applied,
                bytes: new,
            };
        }
        edits.retain(|e| {
            let keep = !stubborn.contains(&e.rule);
            if !keep {
                not_applied.push(NotApplied {
                    rule: e.rule.clone(),
                    line: e.line,
                    why: "the rule still reports the text after the fix".to_string(),
                });
            }
            keep
        });
        if edits.is_empty() {
            break;
        }
    }
    Repair {
        not_applied,
        ..Repair::default()
    }
}

fn rules_of(edits: &[Edit]) -> Vec<String> {
    let mut rules: Vec<String> = edits.iter().map(|e| e.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Orders the edits by position; one inside an earlier one is the same
/// repair (dropped quietly), one that straddles it is not applied.
fn resolve(mut planned: Vec<Edit>) -> (Vec<Edit>, Vec<NotApplied>) {
    planned.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end), &a.rule).cmp(&(
            b.range.start,
            std::cmp::Reverse(b.range.end),
            &b.rule,
        ))
    });
    let mut edits: Vec<Edit> = Vec::new();
    let mut not_applied = Vec::new();
    for edit in planned {
        match edits.last() {
            Some(last) if edit.range.end <= last.range.end && edit.range.start < last.range.end => {
            }
            Some(last) if edit.range.start < last.range.end => not_applied.push(NotApplied {
                rule: edit.rule.clone(),
                line: edit.line,
                why: format!(
                    "it overlaps the fix of {} on line {}, which was applied",
                    last.rule, last.line
                ),
            }),
            _ => edits.push(edit),
        }
    }
    (edits, not_applied)
}

/// The file's bytes with `edits` made: each range of decoded text is
/// removed where it stands in the file, every other byte kept.
pub fn apply(doc: &Document, bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for e in edits {
        let raw = doc.origin.range(&doc.source, &e.range);
        let start = raw.start.clamp(at, bytes.len());
        out.extend_from_slice(&bytes[at..start]);
        out.extend_from_slice(e.text.as_bytes());
        at = raw.end.clamp(start, bytes.len());
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The text `unit` removes for a finding at `span`, with the blank line the
/// removal of a whole line or paragraph would leave doubled.
pub(crate) fn extent(text: &str, span: &Range<usize>, unit: FixUnit) -> Range<usize> {
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let blank = |line: Range<usize>| text[line].trim().is_empty();
    let (mut start, mut end) = match unit {
        FixUnit::Match => return span.clone(),
        FixUnit::Line => {
            let end_from = if span.end > span.start && text[..span.end].ends_with('\n') {
                span.end - 1
            } else {
                span.end
            };
            (line_start(span.start), line_end(end_from))
        }
        FixUnit::Paragraph => {
            let mut start = line_start(span.start);
            while start > 0 {
                let prev = line_start(start - 1);
                if blank(prev..start) {
                    break;
                }
                start = prev;
            }
            let mut end = line_end(span.start);
            while end < text.len() {
                let next = line_end(end);
                if blank(end..next) {
                    break;
                }
                end = next;
            }
            (start, end)
        }
    };
    // Blank (or nothing) on both sides: take one of the blank lines too.
    let before_blank = start == 0 || blank(line_start(start - 1)..start);
    let after_blank = end == text.len() || blank(end..line_end(end));
    if before_blank && after_blank {
        if end < text.len() {
            end = line_end(end);
        } else if start > 0 {
            start = line_start(start - 1);
        }
    }
    start..end
}

/// The blocks a `line` or `paragraph` fix may delete whole on a page:
/// those that hold a line of text of their own (not a table cell or a
/// list's option, whose removal would change the page's structure).
const LINE_ELEMENTS: &[&str] = &[
    "p",
    "li",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "dd",
    "dt",
    "section",
    "aside",
    "ul",
    "ol",
    "table",
    "figure",
    "article",
    "header",
    "footer",
];

/// Elements inside a line of text.
const INLINE: &[&str] = &[
    "a", "span", "strong", "em", "b", "i", "u", "small", "font", "bdi", "bdo", "mark", "cite",
];

/// A tag at `at` (`html[at] == '<'`): its lowercase name, whether it
/// closes, and where it ends. `None` for a comment or anything else.
fn tag(html: &str, at: usize) -> Option<(String, bool, usize)> {
    let rest = html.get(at + 1..)?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let end = at + html[at..].find('>')? + 1;
    Some((name, closing, end))
}

/// On a page, the block element (`<p>`, `<li>`, `<div>`…) that the text at
/// `span` opens, when it holds nothing but inline text: from its opening
/// tag to its closing one, and the line break after it when it stood on a
/// line of its own. `None` when other text comes before the leftover in
/// its element, or another block or a `<br>` sits inside it.
fn html_element(html: &str, span: &Range<usize>) -> Option<Range<usize>> {
    // Back from the leftover: only inline tags and white space up to the
    // block that opens.
    let mut at = span.start;
    let (open, name) = loop {
        let lt = html[..at].rfind('<')?;
        let (name, closing, end) = tag(html, lt)?;
        if !html[end..at].trim().is_empty() {
            return None;
        }
        if INLINE.contains(&name.as_str()) {
            at = lt;
            continue;
        }
        if closing || !LINE_ELEMENTS.contains(&name.as_str()) {
            return None;
        }
        break (lt, name);
    };
    // Forward to its closing tag; no block may open inside it.
    let mut at = span.end;
    let close = loop {
        let lt = at + html[at..].find('<')?;
        match tag(html, lt) {
            Some((n, true, end)) if n == name => break end,
            // Another block (as the page's text was read), or a line
            // break: more than one line's text.
            Some((n, _, _)) if crate::load::is_block(&n) || n == "br" => return None,
            Some((_, _, end)) => at = end,
            None => at = lt + 1,
        }
    };
    // On a line of its own: the line goes with it.
    let line_start = html[..open].rfind('\n').map_or(0, |i| i + 1);
    let after = &html[close..];
    let trail = after.len() - after.trim_start_matches([' ', '\t', '\r']).len();
    if html[line_start..open].trim().is_empty() && after[trail..].starts_with('\n') {
        return Some(line_start..close + trail + 1);
    }
    Some(open..close)
}

/// A unified diff of `old` and `new` (decoded text) for `path`, three lines
/// of context, control and bidi characters shown as escapes. Empty when
/// they are the same.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    use std::fmt::Write as _;
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // The changed stretch: the common head and tail aside, as deletions
    // are made; hunks are the runs of lines that differ between them.
    let ops = line_ops(&a, &b);
    let shown = crate::report::escape::text(path);
    // `a/` and `b/` before a relative path, as `patch -p1` expects.
    let (a_side, b_side) = if path.starts_with('/') {
        ("", "")
    } else {
        ("a/", "b/")
    };
    let mut out = format!("--- {a_side}{shown}\n+++ {b_side}{shown}\n");
    let context = 3;
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], Op::Same(..)) {
            i += 1;
            continue;
        }
        // A hunk: from `context` lines before this change to `context`
        // after the last change that is no more than 2×context apart.
        let from = i.saturating_sub(context);
        let mut to = i;
        let mut j = i;
        while j < ops.len() {
            if !matches!(ops[j], Op::Same(..)) {
                to = j;
                j += 1;
                continue;
            }
            let run = ops[j..]
                .iter()
                .take_while(|o| matches!(o, Op::Same(..)))
                .count();
            if j + run < ops.len() && run <= 2 * context {
                j += run;
                continue;
            }
            break;
        }
        let end = (to + 1 + context).min(ops.len());
        let (a0, b0) = ops[..from].iter().fold((0, 0), |(x, y), o| match o {
            Op::Same(..) => (x + 1, y + 1),
            Op::Old(_) => (x + 1, y),
            Op::New(_) => (x, y + 1),
        });
        let hunk = &ops[from..end];
        let a_len = hunk.iter().filter(|o| !matches!(o, Op::New(_))).count();
        let b_len = hunk.iter().filter(|o| !matches!(o, Op::Old(_))).count();
        let at = |start: usize, len: usize| if len == 0 { start } else { start + 1 };
        let _ = writeln!(
            out,
            "@@ -{},{a_len} +{},{b_len} @@",
            at(a0, a_len),
            at(b0, b_len)
        );
        for op in hunk {
            let (mark, line) = match op {
                Op::Same(l) => (' ', *l),
                Op::Old(l) => ('-', *l),
                Op::New(l) => ('+', *l),
            };
            let body = line.strip_suffix('\n').unwrap_or(line);
            let body = body.strip_suffix('\r').unwrap_or(body);
            let _ = writeln!(out, "{mark}{}", crate::report::escape::text(body));
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
        i = end;
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Old(&'a str),
    New(&'a str),
}

/// Lines of `a` and `b` as kept, removed and added: a longest common
/// subsequence over the lines that differ (the common head and tail are
/// kept as they are; a fix changes little, so the middle is small).
fn line_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<Op<'a>> = a[..head].iter().map(|l| Op::Same(l)).collect();
    // LCS table over the middle.
    let (n, m) = (ma.len(), mb.len());
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    for x in (0..n).rev() {
        for y in (0..m).rev() {
            table[x * (m + 1) + y] = if ma[x] == mb[y] {
                table[(x + 1) * (m + 1) + y + 1] + 1
            } else {
                table[(x + 1) * (m + 1) + y].max(table[x * (m + 1) + y + 1])
            };
        }
    }
    let (mut x, mut y) = (0, 0);
    while x < n || y < m {
        if x < n && y < m && ma[x] == mb[y] {
            ops.push(Op::Same(ma[x]));
            x += 1;
            y += 1;
        } else if y == m || (x < n && table[(x + 1) * (m + 1) + y] >= table[x * (m + 1) + y + 1]) {
            ops.push(Op::Old(ma[x]));
            x += 1;
        } else {
            ops.push(Op::New(mb[y]));
            y += 1;
        }
    }
    ops.extend(a[a.len() - tail..].iter().map(|l| Op::Same(l)));
    ops
}

/// The text of `doc` (read from `text` itself, as a pack's example is)
/// after the fixes of the rules `wanted` accepts, checked as `repair`
/// does; the text itself when nothing is fixed.
pub fn fix_text(
    engine: &Engine,
    doc: &Document,
    profile: &crate::matcher::Profile,
    wanted: &dyn Fn(&str) -> bool,
) -> String {
    let findings = check_document(engine, doc, profile, None).findings;
    let bytes = doc.source.as_bytes();
    let repair = repair(engine, doc, bytes, &findings, wanted, &|new| {
        let text = std::str::from_utf8(new).ok()?;
        let new = crate::load::from_source(&doc.id.file, doc.kind, text.to_string());
        Some(check_document(engine, &new, profile, None).findings)
    });
    if repair.edits.is_empty() {
        return doc.source.clone();
    }
    String::from_utf8(repair.bytes).unwrap_or_else(|_| doc.source.clone())
}

/// Runs a JSON-lines record's check on new bytes of its dump: the record's
/// line, where it started, read again as the scan reads it.
pub fn recheck_record(
    engine: &Engine,
    doc: &Document,
    fields: &crate::load::jsonl::Fields,
    profile: &crate::matcher::Profile,
    baseline: Option<&crate::suppress::Baseline>,
    bytes: &[u8],
) -> Option<Vec<Finding>> {
    let start = doc.origin.original(&doc.source, 0);
    let rest = bytes.get(start..)?;
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let line = crate::load::jsonl::Line::new(text.to_string(), doc.id.record?, start);
    let tally = crate::load::jsonl::Tally::default();
    let new = crate::load::jsonl::parse(&line, &doc.id.file, fields, &tally)?.ok()?;
    Some(check_document(engine, &new, profile, baseline).findings)
}

/// Runs a document's check on new bytes of its file, as the scan would.
pub fn recheck(
    engine: &Engine,
    doc: &Document,
    profile: &crate::matcher::Profile,
    baseline: Option<&crate::suppress::Baseline>,
    bytes: &[u8],
) -> Option<Vec<Finding>> {
    let new = crate::load::from_input(&doc.id.file, doc.kind, bytes).ok()?;
    Some(check_document(engine, &new, profile, baseline).findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, found: &str, unit: FixUnit) -> String {
        let at = text.find(found).unwrap();
        let r = extent(text, &(at..at + found.len()), unit);
        format!("{}{}", &text[..r.start], &text[r.end..])
    }

    #[test]
    fn a_line_or_paragraph_goes_with_the_blank_line_it_would_double() {
        let text = "First.\n\nRead more: x\n\nLast.\n";
        assert_eq!(cut(text, "Read more:", FixUnit::Line), "First.\n\nLast.\n");
        assert_eq!(
            cut(text, "Read more:", FixUnit::Match),
            "First.\n\n x\n\nLast.\n"
        );
        // At the end, the blank line before it goes.
        let end = "First.\n\nRead more: x\n";
        assert_eq!(cut(end, "Read more:", FixUnit::Line), "First.\n");
        let end = "First.\r\n\r\nRead more: x";
        assert_eq!(cut(end, "Read more:", FixUnit::Line), "First.\r\n");
        // At the start, the blank line after it.
        let start = "اقرأ أيضا: خبر\n\nנוסח.\n";
        assert_eq!(cut(start, "اقرأ أيضا:", FixUnit::Line), "נוסח.\n");
        // A line inside a paragraph leaves its neighbours as they were.
        let inside = "One\nRead more: x\nTwo\n";
        assert_eq!(cut(inside, "Read more:", FixUnit::Line), "One\nTwo\n");
        let para = "Keep.\n\nJoin our channel\non Telegram now\n\nKeep too.\n";
        assert_eq!(
            cut(para, "on Telegram", FixUnit::Paragraph),
            "Keep.\n\nKeep too.\n"
        );
    }

    #[test]
    fn on_a_page_the_element_the_leftover_fills_goes() {
        let cut = |html: &str, found: &str| {
            let at = html.find(found).unwrap();
            html_element(html, &(at..at + found.len()))
                .map(|r| format!("{}{}", &html[..r.start], &html[r.end..]))
        };
        let page = "<article>\n  <p>The council met.</p>\n  <p><a href=\"/b\">Read more:</a> budget</p>\n</article>\n";
        assert_eq!(
            cut(page, "Read more:").as_deref(),
            Some("<article>\n  <p>The council met.</p>\n</article>\n")
        );
        let inline = "<div><p>Met.</p><P class=x>اقرأ أيضا: خبر</P><p>End.</p></div>";
        assert_eq!(
            cut(inline, "اقرأ أيضا:").as_deref(),
            Some("<div><p>Met.</p><p>End.</p></div>")
        );
        // Other text before it, or a block inside: left alone.
        assert_eq!(
            cut("<p>The council met. Read more: x</p>", "Read more:"),
            None
        );
        assert_eq!(cut("<div>Read more: <p>x</p></div>", "Read more:"), None);
        assert_eq!(cut("<p>Read more: x<br>The vote.</p>", "Read more:"), None);
        assert_eq!(cut("Read more: x", "Read more:"), None);
    }

    #[test]
    fn overlapping_fixes_keep_the_first_and_the_rest_are_said() {
        let edit = |rule: &str, range: Range<usize>, line| Edit {
            rule: rule.into(),
            range,
            line,
            text: String::new(),
        };
        let (kept, not) = resolve(vec![
            edit("r/b", 12..30, 3),
            edit("r/a", 10..20, 2),
            edit("r/c", 12..18, 2),
            edit("r/d", 40..50, 5),
        ]);
        assert_eq!(kept, [edit("r/a", 10..20, 2), edit("r/d", 40..50, 5)]);
        assert_eq!(
            not,
            [NotApplied {
                rule: "r/b".into(),
                line: 3,
                why: "it overlaps the fix of r/a on line 2, which was applied".into()
            }]
        );
    }

    #[test]
    fn a_diff_shows_each_change_with_three_lines_around() {
        let old = "1\n2\n3\n4\nRead more: x\n6\n7\n8\n9\n10\n11\n12\n";
        let new = "1\n2\n3\n4\n6\n7\n8\n9\n10\n11\n12\n";
        assert_eq!(
            diff("a.txt", old, new),
            "--- a/a.txt\n+++ b/a.txt\n@@ -2,7 +2,6 @@\n 2\n 3\n 4\n-Read more: x\n 6\n 7\n 8\n"
        );
        assert_eq!(diff("a.txt", old, old), "");
        // A bidi override in the text is shown, not kept.
        let d = diff("b.txt", "x\u{202e}y\nz\n", "z\n");
        assert_eq!(
            d,
            "--- a/b.txt\n+++ b/b.txt\n@@ -1,2 +1,1 @@\n-x\\u{202e}y\n z\n"
        );
    }
}
