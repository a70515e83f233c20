//! Markdown: front matter becomes `front_matter.<key>` regions, code blocks
//! are not scanned, and the rest is the body.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

use super::front_matter::{self, Format};
use super::{Region, Segment, first_line, footer};
use crate::normalize::Gap;

/// Regions of a Markdown document, and problems (message, span) found on the way.
pub(super) fn regions(source: &str) -> (Vec<Region>, Vec<(String, Range<usize>)>) {
    let mut regions = Vec::new();
    let mut problems = Vec::new();
    let body_start = match front_matter::split(source) {
        Some(block) => {
            match front_matter::fields(source, &block) {
                Ok(fields) => regions.extend(fields),
                Err((message, span)) => {
                    let what = match block.format {
                        Format::Yaml => "YAML",
                        Format::Toml => "TOML",
                    };
                    problems.push((format!("invalid {what} front matter: {message}"), span));
                }
            }
            block.end
        }
        None => 0,
    };
    let body = body_start..source.len();
    let has_title = regions.iter().any(|r| r.name == "title");
    // With a title from the front matter the parse is only needed for code
    // blocks and comments, and plain prose cannot hold any.
    let (skipped, headings) = if has_title && !may_hold_code(&source[body.clone()]) {
        (Vec::new(), Vec::new())
    } else {
        scan(source, body.clone())
    };
    let mut segments = Vec::new();
    let mut pos = body.start;
    let mut gap = Gap::None;
    for block in &skipped {
        if block.start > pos {
            segments.push(Segment::exact(pos..block.start, gap));
        }
        gap = Gap::Paragraph;
        pos = pos.max(block.end);
    }
    if pos < body.end {
        segments.push(Segment::exact(pos..body.end, gap));
    }
    if !has_title && let Some(mut title) = first_heading(source, body.clone(), &skipped, &headings)
    {
        title.name = "title".to_string();
        regions.push(title);
    }
    regions.push(footer(source, body.clone(), &skipped));
    regions.insert(0, Region::new("body", segments));
    (regions, problems)
}

/// Whether `text` could hold a code block or an HTML comment. Without a
/// backtick or tilde there is no fence, without `<` no HTML, and an
/// indented code block needs four columns of indentation after its
/// container's markers: a tab, or four spaces in a row.
fn may_hold_code(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3(b'`', b'~', b'<', b).is_some()
        || memchr::memchr(b'\t', b).is_some()
        || memchr::memmem::find(b, b"    ").is_some()
}

/// What one pass of the Markdown parser over `source[range]` finds: the
/// byte ranges of code blocks (fenced and indented) and raw HTML comments,
/// in order; and each heading's content range (`None` for a heading end
/// without a start), in document order.
type Scan = (Vec<Range<usize>>, Vec<Option<Range<usize>>>);

fn scan(source: &str, range: Range<usize>) -> Scan {
    let text = &source[range.clone()];
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut headings = Vec::new();
    let mut open: Option<usize> = None;
    let mut in_heading: Option<usize> = None;
    for (event, span) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => open = Some(span.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = open.take() {
                    out.push(range.start + start..range.start + span.end);
                }
            }
            Event::Html(html) | Event::InlineHtml(html)
                if html.trim_start().starts_with("<!--") =>
            {
                out.push(range.start + span.start..range.start + span.end);
            }
            Event::Start(Tag::Heading { .. }) => in_heading = Some(span.start),
            Event::End(TagEnd::Heading(_)) => {
                headings.push(in_heading.take().map(|start| {
                    let line = &text[start..span.end];
                    let content = line.trim_start_matches('#').trim_start();
                    let from = range.start + start + (line.len() - content.len());
                    let to = range.start + start + line.trim_end().len();
                    from..to
                }));
            }
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    (out, headings)
}

/// The first `#` heading outside `skip` (or, failing that, the first line)
/// as the title.
fn first_heading(
    source: &str,
    body: Range<usize>,
    skip: &[Range<usize>],
    headings: &[Option<Range<usize>>],
) -> Option<Region> {
    for heading in headings {
        let Range {
            start: from,
            end: to,
        } = heading.clone()?;
        if from < to && !skip.iter().any(|s| s.start <= from && from < s.end) {
            return Some(Region::new(
                "title",
                vec![Segment::exact(from..to, Gap::None)],
            ));
        }
    }
    first_line(source, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Markdown-like text: container markers, headings, emphasis, links,
    /// entities and line breaks, with runs of up to a few spaces, and now
    /// and then a code or HTML marker.
    fn markdownish() -> impl Strategy<Value = String> {
        let prose = proptest::sample::select(vec![
            " ", "  ", "   ", "\n", "\n\n", "\r\n", ">", "> ", "- ", "* ", "+ ", "1. ", "10) ",
            "# ", "## ", "#", "===", "---", "***", "___", "[a]", "(b)", "[x]: /u", "![i](j)",
            "&amp;", "&#60;", "\\", "|", "_", "*", "word", "מילה", "كلمة", ".", ":", "!",
        ]);
        // Rare, so that most cases stay without them.
        let code = proptest::sample::select(vec!["\t", "```", "~~~", "<!-- c -->", "<b>"]);
        let unit = prop_oneof![30 => prose, 1 => code];
        proptest::collection::vec(unit, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            max_global_rejects: 20_000,
            ..ProptestConfig::with_cases(2000)
        })]

        #[test]
        fn no_code_without_its_markers(text in markdownish()) {
            prop_assume!(!may_hold_code(&text));
            prop_assert_eq!(scan(&text, 0..text.len()).0, Vec::<Range<usize>>::new());
        }
    }

    fn region<'a>(regions: &'a [Region], name: &str) -> Option<&'a Region> {
        regions.iter().find(|r| r.name == name)
    }

    fn texts<'a>(source: &'a str, region: &Region) -> Vec<&'a str> {
        region
            .segments
            .iter()
            .map(|s| &source[s.src.clone()])
            .collect()
    }

    #[test]
    fn code_blocks_and_comments_are_not_body() {
        let md = "# Title\n\nText one.\n\n```\nsecret code\n```\n\n<!-- hidden -->\n\nText two.\n";
        let (regions, problems) = regions(md);
        assert!(problems.is_empty());
        let body = region(&regions, "body").unwrap();
        let joined = texts(md, body).concat();
        assert!(joined.contains("Text one.") && joined.contains("Text two."));
        assert!(!joined.contains("secret code") && !joined.contains("hidden"));
        assert_eq!(texts(md, region(&regions, "title").unwrap()), ["Title"]);
    }

    #[test]
    fn yaml_front_matter_fields() {
        let md = "---\ntitle: \"Budget vote\"\nauthor: Dana Levi\ntags: [city, budget]\n---\nBody text.\n";
        let (regions, problems) = regions(md);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            texts(md, region(&regions, "front_matter.title").unwrap()),
            ["Budget vote"]
        );
        assert_eq!(
            texts(md, region(&regions, "title").unwrap()),
            ["Budget vote"]
        );
        assert_eq!(
            texts(md, region(&regions, "front_matter.author").unwrap()),
            ["Dana Levi"]
        );
        assert_eq!(
            texts(md, region(&regions, "front_matter.tags").unwrap()),
            ["city", "budget"]
        );
        assert_eq!(
            texts(md, region(&regions, "body").unwrap()),
            ["Body text.\n"]
        );
    }

    #[test]
    fn toml_front_matter_fields() {
        let md = "+++\ntitle = \"مهرجان الربيع\"\nsource = 'Arab48'\n+++\n\nنص المقال.\n";
        let (regions, problems) = regions(md);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            texts(md, region(&regions, "front_matter.title").unwrap()),
            ["مهرجان الربيع"]
        );
        assert_eq!(
            texts(md, region(&regions, "front_matter.source").unwrap()),
            ["Arab48"]
        );
    }

    #[test]
    fn broken_front_matter_is_reported_and_body_still_read() {
        let md = "---\ntitle: [unclosed\n---\nBody text stays.\n";
        let (regions, problems) = regions(md);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].0.contains("YAML"), "{:?}", problems[0]);
        assert!(problems[0].1.end <= md.len());
        let body = region(&regions, "body").unwrap();
        assert_eq!(texts(md, body), ["Body text stays.\n"]);
    }
}
