//! HTML pages: the visible text, split into regions, with every piece of
//! text still pointing at its bytes in the page.
//!
//! A full HTML parser builds a tree and forgets where each character came
//! from; a finding must say "line 212, column 9" of the page. So this is a
//! small tokenizer of its own that never rewrites the source: text runs are
//! exact slices, and each entity (`&quot;`, `&#1575;`) is one decoded piece
//! covering its own bytes. It does not repair misnested markup; it only
//! needs to know which text is visible and which element it sits in.
//!
//! Regions: `body` (the `<article>`s, else `<main>`, else `<body>`, plus any
//! `<footer>` outside them, and `mailto:` addresses of links), `title`,
//! `footer`, `caption` (`<figcaption>`, image `alt`), `meta.<name>`,
//! `link.license`, `jsonld.<field>` (NewsArticle JSON-LD) and
//! `decoded.cfemail` (addresses behind Cloudflare's e-mail protection).

use std::ops::Range;

use super::{Region, Segment};
use crate::normalize::Gap;

/// Elements whose content is never visible text.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object",
];
/// Elements whose content is raw text up to their end tag.
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "noscript",
    "xmp",
    "plaintext",
];
/// Elements with no content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements that start a new block of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "footer",
    "header",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "nav",
    "aside",
    "main",
    "body",
    "dd",
    "dt",
    "dl",
    "pre",
    "address",
    "hr",
    "caption",
    "form",
    "fieldset",
    "details",
    "summary",
];
/// `<meta name|property>` values kept as regions.
const META: &[&str] = &[
    "author",
    "description",
    "og:site_name",
    "og:title",
    "article:author",
    "article:publisher",
    "copyright",
    "dc.rights",
    "dcterms.rights",
];
/// JSON-LD types that describe an article, and the fields kept.
const LD_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
];
const LD_FIELDS: &[&str] = &[
    "author",
    "publisher",
    "copyrightHolder",
    "license",
    "creditText",
    "copyrightNotice",
];

/// Regions of an HTML document, and problems (message, byte span).
pub(super) fn regions(source: &str) -> (Vec<Region>, Vec<(String, Range<usize>)>) {
    let mut x = Extractor::new(source);
    x.run();
    x.finish()
}

/// The charset a page declares in its first bytes (`<meta charset>` or the
/// `http-equiv` form), as the raw label.
pub(crate) fn declared_charset(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("<meta") {
        let tag = &rest[i..];
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(c) = tag.find("charset") {
            let value = tag[c + 7..].trim_start().strip_prefix('=')?.trim_start();
            let value = value.trim_start_matches(['"', '\'']);
            let label: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
        rest = &rest[i + 5..];
    }
    None
}

/// Where text goes while it is read.
#[derive(Default)]
struct Flow {
    segments: Vec<Segment>,
    /// Block counter value when the last segment was added.
    last_block: usize,
    last_space: usize,
}

impl Flow {
    fn push(&mut self, seg: &Segment, block: usize, space: usize) {
        let gap = if self.segments.is_empty() {
            Gap::None
        } else if block != self.last_block {
            Gap::Paragraph
        } else if space != self.last_space {
            Gap::Space
        } else {
            seg.gap
        };
        self.segments.push(Segment {
            src: seg.src.clone(),
            text: seg.text.clone(),
            gap,
        });
        self.last_block = block;
        self.last_space = space;
    }
}

struct Open {
    name: String,
    footer: bool,
    license: bool,
}

struct Extractor<'s> {
    src: &'s str,
    pos: usize,
    stack: Vec<Open>,
    /// Counts of open elements that matter.
    hidden: usize,
    article: usize,
    main: usize,
    body: usize,
    footer: usize,
    figcaption: usize,
    heading1: usize,
    license: usize,
    /// Bumped at every block boundary / line break, to set gaps.
    block: usize,
    space: usize,
    all: Flow,
    in_body: Flow,
    in_main: Flow,
    in_article: Flow,
    /// Footer text outside the article/main containers.
    outer_footer: Flow,
    footers: Flow,
    captions: Flow,
    title: Flow,
    h1: Flow,
    seen_h1: bool,
    licence_links: Flow,
    named: Vec<(String, Vec<Segment>)>,
    problems: Vec<(String, Range<usize>)>,
}

impl<'s> Extractor<'s> {
    fn new(src: &'s str) -> Extractor<'s> {
        Extractor {
            src,
            pos: 0,
            stack: Vec::new(),
            hidden: 0,
            article: 0,
            main: 0,
            body: 0,
            footer: 0,
            figcaption: 0,
            heading1: 0,
            license: 0,
            block: 0,
            space: 0,
            all: Flow::default(),
            in_body: Flow::default(),
            in_main: Flow::default(),
            in_article: Flow::default(),
            outer_footer: Flow::default(),
            footers: Flow::default(),
            captions: Flow::default(),
            title: Flow::default(),
            h1: Flow::default(),
            seen_h1: false,
            licence_links: Flow::default(),
            named: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn run(&mut self) {
        let b = self.src.as_bytes();
        while self.pos < b.len() {
            let Some(lt) = memchr::memchr(b'<', &b[self.pos..]).map(|i| self.pos + i) else {
                self.text(self.pos..b.len());
                break;
            };
            if lt > self.pos {
                self.text(self.pos..lt);
            }
            self.pos = lt;
            self.markup();
        }
    }

    /// At a `<`: a comment, a declaration, an end tag, a start tag, or text.
    fn markup(&mut self) {
        let rest = &self.src[self.pos..];
        let b = rest.as_bytes();
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(rest.len(), |i| i + 7);
            self.pos += end;
        } else if b.len() > 1 && (b[1] == b'!' || b[1] == b'?') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            self.pos += end;
        } else if b.len() > 2 && b[1] == b'/' && b[2].is_ascii_alphabetic() {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let name = tag_name(&rest[2..]);
            self.pos += end;
            self.end_tag(&name);
        } else if b.len() > 1 && b[1].is_ascii_alphabetic() {
            self.start_tag();
        } else {
            // A stray '<' is text.
            let next = self.pos + 1;
            self.text(self.pos..next);
            self.pos = next;
        }
    }

    fn start_tag(&mut self) {
        let start = self.pos;
        let (name, attrs, end, self_closing) = parse_tag(self.src, start);
        self.pos = end;
        let is = |n: &str| name == n;
        if BLOCK.contains(&name.as_str()) {
            self.block += 1;
        }
        if is("br") {
            self.space += 1;
        }
        let attr = |key: &str| attrs.iter().find(|a| a.name == key);
        match name.as_str() {
            "meta" => {
                let key = attr("name")
                    .or_else(|| attr("property"))
                    .map(|a| self.attr_text(a).to_ascii_lowercase());
                if let (Some(key), Some(content)) = (key, attr("content"))
                    && META.contains(&key.as_str())
                {
                    let segs = self.attr_segments(content);
                    self.named.push((format!("meta.{key}"), segs));
                }
            }
            "link" | "a"
                if attr("rel").is_some_and(|r| {
                    self.attr_text(r)
                        .split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("license"))
                }) =>
            {
                if let Some(href) = attr("href") {
                    for seg in self.attr_segments(href) {
                        self.licence_links.push(&seg, self.block, self.space);
                    }
                }
            }
            "img" => {
                if let Some(alt) = attr("alt")
                    && self.hidden == 0
                {
                    self.block += 1;
                    for seg in self.attr_segments(alt) {
                        self.captions.push(&seg, self.block, self.space);
                    }
                    self.block += 1;
                }
            }
            _ => {}
        }
        if is("a")
            && let Some(href) = attr("href")
        {
            let value = self.attr_text(href);
            if let Some(addr) = value
                .strip_prefix("mailto:")
                .or_else(|| value.strip_prefix("MAILTO:"))
            {
                let addr = addr.split('?').next().unwrap_or_default();
                if !addr.is_empty() && self.hidden == 0 {
                    let raw = &self.src[href.value.clone()];
                    let seg = match raw.find(addr) {
                        Some(i) => Segment::exact(
                            href.value.start + i..href.value.start + i + addr.len(),
                            Gap::Space,
                        ),
                        None => Segment {
                            src: href.value.clone(),
                            text: Some(addr.to_string()),
                            gap: Gap::Space,
                        },
                    };
                    self.space += 1;
                    self.route(&seg);
                    self.space += 1;
                }
            }
            if let Some(hex) = value.strip_prefix("/cdn-cgi/l/email-protection#") {
                self.cfemail(hex, href.value.clone());
            }
        }
        if let Some(hex) = attr("data-cfemail") {
            let text = self.attr_text(hex);
            self.cfemail(&text, hex.value.clone());
        }
        if is("script")
            && attr("type").is_some_and(|t| {
                self.attr_text(t)
                    .eq_ignore_ascii_case("application/ld+json")
            })
        {
            let body = raw_body(self.src, self.pos, "script");
            self.json_ld(body.clone());
            self.pos = skip_end_tag(self.src, body.end);
            return;
        }
        if VOID.contains(&name.as_str()) || self_closing && !RAW.contains(&name.as_str()) {
            return;
        }
        if RAW.contains(&name.as_str()) {
            let body = raw_body(self.src, self.pos, &name);
            if is("title") && self.title.segments.is_empty() {
                for seg in decode(self.src, body.clone()) {
                    self.title.push(&seg, self.block, self.space);
                }
            } else if is("textarea") && self.hidden == 0 {
                for seg in decode(self.src, body.clone()) {
                    self.route(&seg);
                }
            }
            self.pos = skip_end_tag(self.src, body.end);
            return;
        }
        let footer = is("footer")
            || attrs.iter().any(|a| {
                (a.name == "id" || a.name == "class")
                    && self.attr_text(a).to_ascii_lowercase().contains("footer")
            });
        let license = is("a")
            && attr("rel").is_some_and(|r| {
                self.attr_text(r)
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("license"))
            });
        self.open(Open {
            name,
            footer,
            license,
        });
    }

    fn open(&mut self, el: Open) {
        self.count(&el, 1);
        self.stack.push(el);
    }

    fn count(&mut self, el: &Open, up: isize) {
        let bump = |n: &mut usize| *n = n.saturating_add_signed(up);
        if HIDDEN.contains(&el.name.as_str()) {
            bump(&mut self.hidden);
        }
        match el.name.as_str() {
            "article" => bump(&mut self.article),
            "main" => bump(&mut self.main),
            "body" => bump(&mut self.body),
            "figcaption" => bump(&mut self.figcaption),
            "h1" => bump(&mut self.heading1),
            _ => {}
        }
        if el.footer {
            bump(&mut self.footer);
        }
        if el.license {
            bump(&mut self.license);
        }
    }

    fn end_tag(&mut self, name: &str) {
        if BLOCK.contains(&name) {
            self.block += 1;
        }
        if let Some(i) = self.stack.iter().rposition(|e| e.name == name) {
            for el in self.stack.split_off(i) {
                self.count(&el, -1);
            }
        }
        if name == "h1" && !self.h1.segments.is_empty() {
            self.seen_h1 = true;
        }
    }

    fn text(&mut self, range: Range<usize>) {
        if self.hidden > 0 || range.is_empty() {
            return;
        }
        for seg in decode(self.src, range) {
            self.route(&seg);
        }
    }

    /// Sends visible text to every flow it belongs to.
    fn route(&mut self, seg: &Segment) {
        let (b, s) = (self.block, self.space);
        self.all.push(seg, b, s);
        if self.body > 0 {
            self.in_body.push(seg, b, s);
        }
        if self.main > 0 {
            self.in_main.push(seg, b, s);
        }
        if self.article > 0 {
            self.in_article.push(seg, b, s);
        }
        if self.footer > 0 {
            self.footers.push(seg, b, s);
            if self.article == 0 && self.main == 0 {
                self.outer_footer.push(seg, b, s);
            }
        }
        if self.figcaption > 0 {
            self.captions.push(seg, b, s);
        }
        if self.heading1 > 0 && !self.seen_h1 {
            self.h1.push(seg, b, s);
        }
        if self.license > 0 {
            self.licence_links.push(seg, b, s);
        }
    }

    fn attr_text(&self, a: &Attr) -> String {
        decode(self.src, a.value.clone())
            .iter()
            .map(|s| {
                s.text
                    .clone()
                    .unwrap_or_else(|| self.src[s.src.clone()].to_string())
            })
            .collect()
    }

    fn attr_segments(&self, a: &Attr) -> Vec<Segment> {
        decode(self.src, a.value.clone())
    }

    /// Decodes Cloudflare's `data-cfemail` hex (XOR-keyed by its first byte).
    fn cfemail(&mut self, hex: &str, src: Range<usize>) {
        let bytes: Option<Vec<u8>> = (0..hex.len() / 2)
            .map(|i| {
                hex.get(2 * i..2 * i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        let Some(bytes) = bytes.filter(|b| b.len() > 1) else {
            return;
        };
        let key = bytes[0];
        let address: String = bytes[1..].iter().map(|b| char::from(b ^ key)).collect();
        if address.contains('@') {
            let seg = Segment {
                src,
                text: Some(address),
                gap: Gap::Paragraph,
            };
            self.named.push(("decoded.cfemail".to_string(), vec![seg]));
        }
    }

    fn json_ld(&mut self, body: Range<usize>) {
        let text = &self.src[body.clone()];
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                self.problems
                    .push((format!("invalid JSON-LD: {message}"), body));
                return;
            }
        };
        let mut articles = Vec::new();
        collect_articles(&value, &mut articles);
        for article in articles {
            for field in LD_FIELDS {
                let mut strings = Vec::new();
                if let Some(v) = article.get(*field) {
                    collect_strings(v, &mut strings);
                }
                let mut cursor = body.start;
                let mut segs = Vec::new();
                for s in strings {
                    let gap = if segs.is_empty() {
                        Gap::None
                    } else {
                        Gap::Paragraph
                    };
                    // A value written without escapes maps exactly; else the decoded
                    // string stands for its whole JSON token.
                    let token = serde_json::to_string(&s).unwrap_or_default();
                    let inner = &token[1..token.len().saturating_sub(1).max(1)];
                    match self.src[cursor..body.end].find(inner) {
                        Some(i) if inner == s => {
                            let at = cursor + i;
                            segs.push(Segment::exact(at..at + s.len(), gap));
                            cursor = at + s.len();
                        }
                        Some(i) => {
                            let at = cursor + i;
                            segs.push(Segment {
                                src: at..at + inner.len(),
                                text: Some(s.clone()),
                                gap,
                            });
                            cursor = at + inner.len();
                        }
                        None => segs.push(Segment {
                            src: body.clone(),
                            text: Some(s.clone()),
                            gap,
                        }),
                    }
                }
                if !segs.is_empty() {
                    self.named.push((format!("jsonld.{field}"), segs));
                }
            }
        }
    }

    fn finish(mut self) -> (Vec<Region>, Vec<(String, Range<usize>)>) {
        let container = if !self.in_article.segments.is_empty() {
            Some(std::mem::take(&mut self.in_article))
        } else if !self.in_main.segments.is_empty() {
            Some(std::mem::take(&mut self.in_main))
        } else {
            None
        };
        let body = match container {
            Some(mut flow) => {
                for (i, seg) in self.outer_footer.segments.iter().enumerate() {
                    let mut seg = seg.clone();
                    if i == 0 {
                        seg.gap = Gap::Paragraph;
                    }
                    flow.segments.push(seg);
                }
                flow.segments
            }
            None if !self.in_body.segments.is_empty() => self.in_body.segments,
            None => self.all.segments,
        };
        let mut regions = vec![Region::new("body", body)];
        let title = if self.title.segments.is_empty() {
            self.h1.segments
        } else {
            self.title.segments
        };
        if !title.is_empty() {
            regions.push(Region::new("title", title));
        }
        if let Some(og) = self
            .named
            .iter()
            .find(|(n, _)| n == "meta.og:title")
            .filter(|_| regions.iter().all(|r| r.name != "title"))
        {
            regions.push(Region::new("title", og.1.clone()));
        }
        for (name, flow) in [
            ("footer", self.footers),
            ("caption", self.captions),
            ("link.license", self.licence_links),
        ] {
            if !flow.segments.is_empty() {
                regions.push(Region::new(name, flow.segments));
            }
        }
        for (name, segs) in self.named {
            match regions.iter_mut().find(|r| r.name == name) {
                Some(r) => r.segments.extend(segs.into_iter().map(|mut s| {
                    s.gap = Gap::Paragraph;
                    s
                })),
                None => regions.push(Region::new(name, segs)),
            }
        }
        (regions, self.problems)
    }
}

fn collect_articles<'v>(
    v: &'v serde_json::Value,
    out: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_articles(i, out)),
        serde_json::Value::Object(map) => {
            let is_article = match map.get("@type") {
                Some(serde_json::Value::String(t)) => LD_TYPES.contains(&t.as_str()),
                Some(serde_json::Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| LD_TYPES.contains(&t))),
                _ => false,
            };
            if is_article {
                out.push(map);
            }
            if let Some(graph) = map.get("@graph") {
                collect_articles(graph, out);
            }
        }
        _ => {}
    }
}

/// Strings of a JSON-LD value: the string itself, or `name`/`url` of objects.
fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        serde_json::Value::Object(map) => {
            for key in ["name", "url"] {
                if let Some(serde_json::Value::String(s)) = map.get(key) {
                    out.push(s.clone());
                }
            }
        }
        _ => {}
    }
}

struct Attr {
    name: String,
    /// The value's bytes (without quotes); empty for a bare attribute.
    value: Range<usize>,
}

/// The lowercase element name at the start of `s` (it ends at an ASCII
/// delimiter, so its length is on a char boundary).
fn tag_name(s: &str) -> String {
    let len = s
        .bytes()
        .position(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        .unwrap_or(s.len());
    s[..len].to_ascii_lowercase()
}

/// Parses a start tag at `start` (`<name ...>`): name, attributes, the
/// offset after the tag, and whether it ends with `/>`.
fn parse_tag(src: &str, start: usize) -> (String, Vec<Attr>, usize, bool) {
    let b = src.as_bytes();
    let name = tag_name(&src[start + 1..]);
    let mut i = start + 1 + name.len();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (name, attrs, b.len(), false);
        }
        if b[i] == b'>' {
            return (name, attrs, i + 1, self_closing);
        }
        self_closing = false;
        let n0 = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr_name = src[n0..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = i..i;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v0 = i + 1;
                let v1 = memchr::memchr(q, &b[v0..]).map_or(b.len(), |j| v0 + j);
                value = v0..v1;
                i = (v1 + 1).min(b.len());
            } else {
                let v0 = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = v0..i;
            }
        }
        if attr_name.is_empty() {
            i += 1;
        } else {
            attrs.push(Attr {
                name: attr_name,
                value,
            });
        }
    }
}

/// The content of a raw-text element starting at `from`, up to `</name`.
fn raw_body(src: &str, from: usize, name: &str) -> Range<usize> {
    let close = format!("</{name}");
    let rest = &src.as_bytes()[from..];
    let end = memchr::memmem::find_iter(rest, b"</")
        .find(|&i| {
            rest[i..].len() >= close.len()
                && rest[i..i + close.len()].eq_ignore_ascii_case(close.as_bytes())
        })
        .map_or(src.len(), |i| from + i);
    from..end
}

/// The offset after the end tag that starts at `at` (or `at` at the end).
fn skip_end_tag(src: &str, at: usize) -> usize {
    src[at..].find('>').map_or(src.len(), |i| at + i + 1)
}

/// Text with entities: exact runs, and one decoded piece per entity.
fn decode(src: &str, range: Range<usize>) -> Vec<Segment> {
    let mut out = Vec::new();
    let text = &src[range.clone()];
    let mut run = 0;
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'&', &text.as_bytes()[i..]) {
        let amp = i + j;
        match entity(&text[amp..]) {
            Some((decoded, len)) => {
                if amp > run {
                    out.push(Segment::exact(
                        range.start + run..range.start + amp,
                        Gap::None,
                    ));
                }
                let at = range.start + amp;
                out.push(Segment {
                    src: at..at + len,
                    text: Some(decoded),
                    gap: Gap::None,
                });
                i = amp + len;
                run = i;
            }
            None => i = amp + 1,
        }
    }
    if run < text.len() {
        out.push(Segment::exact(range.start + run..range.end, Gap::None));
    }
    out
}

/// Decodes the character reference at the start of `s` (which starts with
/// `&`): the text and the reference's length in bytes.
fn entity(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (digits, radix, skip) = match b.get(2) {
            Some(b'x' | b'X') => (&s[3..], 16, 3),
            _ => (&s[2..], 10, 2),
        };
        let n = digits
            .bytes()
            .take_while(|c| c.is_ascii_hexdigit() && (radix == 16 || c.is_ascii_digit()))
            .count();
        if n == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..n.min(8)], radix).unwrap_or(u32::MAX);
        let value = if n > 8 { u32::MAX } else { value };
        let len = skip + n + usize::from(digits.as_bytes().get(n) == Some(&b';'));
        return Some((numeric(value).to_string(), len));
    }
    let n = b[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if n == 0 {
        return None;
    }
    let name = &s[1..1 + n];
    let semicolon = b.get(1 + n) == Some(&b';');
    let value = named(name)?;
    // Without ';' only the legacy few are references (as browsers read them).
    if !semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg") {
        return None;
    }
    Some((value.to_string(), 1 + n + usize::from(semicolon)))
}

/// A numeric reference's character, as the HTML standard reads it.
fn numeric(v: u32) -> char {
    const C1: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match v {
        0 => '\u{fffd}',
        0x80..=0x9f => C1[(v - 0x80) as usize],
        _ => char::from_u32(v).unwrap_or('\u{fffd}'),
    }
}

/// Named references common in news pages (Latin-1, punctuation, bidi).
fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "shy" => "\u{ad}",
        "lrm" => "\u{200e}",
        "rlm" => "\u{200f}",
        "zwj" => "\u{200d}",
        "zwnj" => "\u{200c}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "bull" => "•",
        "middot" => "·",
        "copy" | "COPY" => "©",
        "reg" | "REG" => "®",
        "trade" => "™",
        "sect" => "§",
        "para" => "¶",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "acute" => "´",
        "uml" => "¨",
        "cedil" => "¸",
        "macr" => "¯",
        "micro" => "µ",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "not" => "¬",
        "brvbar" => "¦",
        "curren" => "¤",
        "dagger" => "†",
        "Dagger" => "‡",
        "permil" => "‰",
        "prime" => "′",
        "Prime" => "″",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "aacute" => "á",
        "agrave" => "à",
        "acirc" => "â",
        "auml" => "ä",
        "atilde" => "ã",
        "aring" => "å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "euml" => "ë",
        "iacute" => "í",
        "igrave" => "ì",
        "icirc" => "î",
        "iuml" => "ï",
        "ntilde" => "ñ",
        "oacute" => "ó",
        "ograve" => "ò",
        "ocirc" => "ô",
        "ouml" => "ö",
        "otilde" => "õ",
        "oslash" => "ø",
        "uacute" => "ú",
        "ugrave" => "ù",
        "ucirc" => "û",
        "uuml" => "ü",
        "yacute" => "ý",
        "yuml" => "ÿ",
        "szlig" => "ß",
        "Aacute" => "Á",
        "Agrave" => "À",
        "Auml" => "Ä",
        "Ccedil" => "Ç",
        "Eacute" => "É",
        "Egrave" => "È",
        "Ntilde" => "Ñ",
        "Oacute" => "Ó",
        "Ouml" => "Ö",
        "Uacute" => "Ú",
        "Uuml" => "Ü",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(source: &str, region: &Region) -> String {
        let mut out = String::new();
        for s in &region.segments {
            match s.gap {
                Gap::Paragraph if !out.is_empty() => out.push('|'),
                Gap::Space if !out.is_empty() => out.push(' '),
                _ => {}
            }
            out.push_str(s.text.as_deref().unwrap_or(&source[s.src.clone()]));
        }
        let mut flat = out
            .split([' ', '\n', '\t'])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        for (from, to) in [(" |", "|"), ("| ", "|"), ("||", "|")] {
            while flat.contains(from) {
                flat = flat.replace(from, to);
            }
        }
        flat
    }

    fn region<'a>(regions: &'a [Region], name: &str) -> &'a Region {
        regions.iter().find(|r| r.name == name).unwrap_or_else(|| {
            panic!(
                "no region {name}: {:?}",
                regions.iter().map(|r| &r.name).collect::<Vec<_>>()
            )
        })
    }

    const HEBREW_PAGE: &str = r#"<!doctype html>
<html lang="he" dir="rtl"><head><meta charset="utf-8"><title>פסטיבל הפנסים בעכו</title>
<meta name="author" content="דנה לוי"><meta property="og:site_name" content="חדשות הגליל">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","author":[{"@type":"Person","name":"דנה לוי"},{"name":"Yossi"}],"publisher":{"name":"חדשות הגליל"}}]}</script>
<style>.x{color:red}</style></head>
<body><nav><a href="/">ראשי</a></nav>
<article><h1>פסטיבל הפנסים</h1><p>העירייה הודיעה על <b>פסטי</b>בל.</p>
<figure><img src="a.jpg" alt="פנסים בנמל"><figcaption>צילום: פלאש 90</figcaption></figure>
</article>
<footer><p>השימוש לפי סעיף 27א לחוק זכות יוצרים. <a href="mailto:copyright@news.co.il?subject=x">כתבו לנו</a></p></footer>
<script>if (a<b) { x = "</div>"; }</script>
</body></html>"#;

    #[test]
    fn hebrew_news_page() {
        let (regions, problems) = regions(HEBREW_PAGE);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "title")),
            "פסטיבל הפנסים בעכו"
        );
        let body = text_of(HEBREW_PAGE, region(&regions, "body"));
        assert!(
            body.starts_with("פסטיבל הפנסים|העירייה הודיעה על פסטיבל."),
            "{body}"
        );
        assert!(body.contains("צילום: פלאש 90"), "{body}");
        assert!(
            body.ends_with("|השימוש לפי סעיף 27א לחוק זכות יוצרים. copyright@news.co.il כתבו לנו"),
            "{body}"
        );
        assert!(
            !body.contains("ראשי") && !body.contains("color") && !body.contains("div"),
            "{body}"
        );
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "caption")),
            "פנסים בנמל|צילום: פלאש 90"
        );
        assert!(text_of(HEBREW_PAGE, region(&regions, "footer")).contains("סעיף 27א"));
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "meta.author")),
            "דנה לוי"
        );
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "meta.og:site_name")),
            "חדשות הגליל"
        );
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "link.license")),
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "jsonld.author")),
            "דנה לוי|Yossi"
        );
        assert_eq!(
            text_of(HEBREW_PAGE, region(&regions, "jsonld.publisher")),
            "חדשות הגליל"
        );
        // Exact segments point at their own bytes.
        let mailto = region(&regions, "body")
            .segments
            .iter()
            .find(|s| HEBREW_PAGE[s.src.clone()].contains('@'))
            .unwrap();
        assert_eq!(&HEBREW_PAGE[mailto.src.clone()], "copyright@news.co.il");
        assert!(mailto.text.is_none());
    }

    #[test]
    fn entities_are_decoded_pieces() {
        let page = "<p>&#1575;&#1604;&#1605;&#1589;&#1583;&#1585;: T &amp; U&nbsp;&rlm;info@x.com&rlm; &copy 2024 &unknown; &#x1F600;</p>";
        let (regions, _) = regions(page);
        let body = region(&regions, "body");
        assert_eq!(
            text_of(page, body),
            "المصدر: T & U\u{a0}\u{200f}info@x.com\u{200f} © 2024 &unknown; 😀"
        );
        let amp = body
            .segments
            .iter()
            .find(|s| s.text.as_deref() == Some("&"))
            .unwrap();
        assert_eq!(&page[amp.src.clone()], "&amp;");
        let plain = body
            .segments
            .iter()
            .find(|s| s.text.is_none() && page[s.src.clone()].contains("info@"))
            .unwrap();
        assert_eq!(&page[plain.src.clone()], "info@x.com");
    }

    #[test]
    fn fallbacks_for_body_and_title() {
        let (regions, _) = regions("<html><body><h1>כותרת</h1><p>טקסט</p></body></html>");
        assert_eq!(text_of("", &Region::new("x", vec![])), "");
        let page = "<html><body><h1>כותרת</h1><p>טקסט</p></body></html>";
        assert_eq!(text_of(page, region(&regions, "body")), "כותרת|טקסט");
        assert_eq!(text_of(page, region(&regions, "title")), "כותרת");
        let bare = "just text <b>bold</b> & more";
        let (regions, _) = super::regions(bare);
        assert_eq!(
            text_of(bare, region(&regions, "body")),
            "just text bold & more"
        );
        let main = "<body><div>menu</div><main><p>story</p></main><div class='site-Footer'>notice</div></body>";
        let (regions, _) = super::regions(main);
        assert_eq!(text_of(main, region(&regions, "body")), "story|notice");
        assert_eq!(text_of(main, region(&regions, "footer")), "notice");
    }

    #[test]
    fn broken_mailto_and_cloudflare() {
        let page = "<footer><a href=\"mailto:info@@site.com\">mail</a> <a href=\"/cdn-cgi/l/email-protection\" class=\"__cf_email__\" data-cfemail=\"422b2c242d0223312a232f316c212d2f\">[email&#160;protected]</a></footer>";
        let (regions, _) = regions(page);
        let body = text_of(page, region(&regions, "body"));
        assert!(
            body.contains("info@@site.com") && body.contains("[email\u{a0}protected]"),
            "{body}"
        );
        assert_eq!(
            text_of(page, region(&regions, "decoded.cfemail")),
            "info@ashams.com"
        );
    }

    #[test]
    fn invalid_json_ld_is_a_problem() {
        let page =
            "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\",}</script><p>x</p>";
        let (_, problems) = regions(page);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].0.starts_with("invalid JSON-LD"),
            "{:?}",
            problems[0]
        );
        assert_eq!(
            &page[problems[0].1.clone()],
            "{\"@type\": \"NewsArticle\",}"
        );
    }

    #[test]
    fn declared_charsets() {
        assert_eq!(
            declared_charset(b"<html><head><meta charset=\"windows-1256\">").as_deref(),
            Some("windows-1256")
        );
        assert_eq!(
            declared_charset(
                b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-8\">"
            )
            .as_deref(),
            Some("iso-8859-8")
        );
        assert_eq!(declared_charset(b"<html><head><title>x</title>"), None);
    }

    #[test]
    fn tag_soup_never_panics_and_spans_stay_in_bounds() {
        let parts = [
            "<",
            ">",
            "</",
            "<p",
            "<div class=footer>",
            "</p>",
            "<!--",
            "-->",
            "<!doctype html>",
            "&",
            "&amp;",
            "&#",
            "&#xFFFFFFFF;",
            "&#1575;",
            "&nbsp",
            "<script>",
            "</script>",
            "<style>",
            "<img alt='",
            "'",
            "\"",
            "=",
            "שלום",
            "مرحبا",
            "é",
            " ",
            "\n",
            "<a href=mailto:x@y.z>",
            "</a>",
            "<title>",
            "<br/>",
            "<footer>",
            "<script type=application/ld+json>",
            "{\"@type\":\"NewsArticle\",\"author\":\"א\\u05d1\"}",
            "data-cfemail=\"zz\"",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..4000 {
            let mut s = String::new();
            for _ in 0..(seed % 30) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let (regions, problems) = regions(&s);
            for r in &regions {
                for seg in &r.segments {
                    assert!(
                        seg.src.start <= seg.src.end && seg.src.end <= s.len(),
                        "{s:?}"
                    );
                    assert!(
                        s.is_char_boundary(seg.src.start) && s.is_char_boundary(seg.src.end),
                        "{s:?}"
                    );
                }
            }
            for (_, span) in problems {
                assert!(span.end <= s.len());
            }
            seed = seed.wrapping_add(1);
        }
    }
}
