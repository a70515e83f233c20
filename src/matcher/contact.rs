//! Contact details in copyright and takedown notices: e-mail addresses, web
//! addresses and phone numbers, and whether each one can actually be used.
//!
//! # Why
//!
//! Section 27A of Israel's Copyright Act 2007 lets a site use a work whose
//! owner it could not find only if it posts a notice offering to stop on the
//! owner's request, and that notice must give the site's *contact details*:
//! an e-mail, a contact URL or a phone number. A "contact" that cannot work
//! fails the owner as surely as none at all, so this finder is lenient about
//! what *looks* like a contact and strict about whether it *works*. A broken
//! one is reported with a short reason instead of being dropped: a template's
//! `name@example.com`, a copy-paste accident (`info @site.com`,
//! `info@@site.com`, `info@site`), a spam-proofed `info [at] site [dot] com`,
//! Cloudflare's `[email protected]` (the real address lives in a script that a
//! republished copy no longer runs), or a bare domain where an e-mail label
//! promised an address.
//!
//! # Input
//!
//! The text is already folded: lowercase, bidi and zero-width marks removed,
//! Arabic-Indic digits made ASCII, `＠` made `@`, whitespace collapsed, Arabic
//! hamza forms folded to a bare alef (`الالكتروني`). Arabic and Hebrew letters
//! are often glued straight onto an address (`info@site.comوالطلب`), so
//! addresses are matched with ASCII classes only: Unicode `\w` would swallow
//! the neighbouring word. For the same reason a URL ends at its first
//! non-ASCII character (a Hebrew slug is cut, the host is what matters).
//!
//! # Precision where text is noisy
//!
//! News text is full of numbers: years (`2007`), dates (`25.5.2008`), law
//! numbers (`5768-2007`), prices. A digit run is a phone candidate only with
//! 9–15 digits and either a phone label right before it, a leading `+` or
//! `0`, or phone-like grouping (`1-800-555-0199`, `(212) 555-1234`); with a
//! label, 7–8 digits are reported as too short. Anything that reads as a date
//! or a year range is never a phone, and numbers held together by spaces alone
//! are split where a new number plainly starts (`2007 03-5551234`).
//! Likewise a bare domain in running text is no candidate unless an e-mail
//! label stands right before it, and the spelled-out ` at `/` dot ` form
//! needs both words.
//!
//! # Cost
//!
//! Every detector is one pass of a `regex` (linear time, compiled once) plus
//! work proportional to each match; a phone label is looked for in a small
//! fixed window before the number. Overlaps are resolved by priority in
//! `O(n log n)` over the candidates.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What sort of contact a [`Contact`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    /// An e-mail address, or something standing where one should be.
    Email,
    /// A web address.
    Url,
    /// A telephone or fax number.
    Phone,
}

impl ContactKind {
    /// Stable lowercase name: `"email"`, `"url"` or `"phone"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Url => "url",
            Self::Phone => "phone",
        }
    }
}

/// A contact-like string found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Byte range in the input, on char boundaries, without surrounding
    /// punctuation.
    pub range: Range<usize>,
    /// What the candidate is.
    pub kind: ContactKind,
    /// `None` when the contact is usable; otherwise why it cannot work.
    pub problem: Option<&'static str>,
}

/// Every contact-like candidate, in order, non-overlapping.
///
/// When detectors disagree about a stretch of text, e-mail wins over URL and
/// URL over phone, so a `mailto:` or `?to=info@site.com` link counts once,
/// as the e-mail. An `@` in a URL that does not form a working address
/// (`/news/a@b`) stays part of the URL.
pub fn find_contacts(text: &str) -> Vec<Contact> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut found = Found::default();
    let has_at = text.contains('@');
    detect_protected(text, &mut found);
    if may_be_obfuscated(text) {
        detect_obfuscated(text, &mut found);
    }
    if has_at {
        if may_be_spaced(text) {
            detect_spaced(text, &mut found);
        }
        detect_emails(text, &mut found);
    }
    if has_email_label(text) {
        detect_bare_domains(text, &mut found);
    }
    detect_urls(text, &mut found);
    detect_phones(text, &mut found);
    found.demote_broken_emails_in_urls();
    found.resolve()
}

// ---------------------------------------------------------------------------
// Reasons

const MISSING_TLD: &str = "missing top-level domain";
const MULTIPLE_AT: &str = "more than one @";
const SPACE_INSIDE: &str = "space inside the address";
const PLACEHOLDER_DOMAIN: &str = "placeholder domain";
const PLACEHOLDER_ADDRESS: &str = "placeholder address";
const OBFUSCATED: &str = "obfuscated address";
const PROTECTED: &str = "address hidden by an e-mail protection script";
const INVALID_DOMAIN: &str = "invalid domain";
const INVALID_LOCAL: &str = "invalid local part";
const BARE_DOMAIN: &str = "bare domain instead of an address";
const TOO_FEW_DIGITS: &str = "too few digits for a phone number";
const COMMA_IN_DOMAIN: &str = "a comma where the domain needs a dot";

// ---------------------------------------------------------------------------
// Candidates and overlap resolution

/// Which detector found a candidate; lower wins an overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Protected,
    Obfuscated,
    Spaced,
    Email,
    BareDomain,
    Url,
    /// A broken "address" inside a URL (`/a@b`, `/@user`): part of the URL.
    EmailInUrl,
    Phone,
}

#[derive(Default)]
struct Found(Vec<(Rank, Contact)>);

impl Found {
    fn push(
        &mut self,
        rank: Rank,
        range: Range<usize>,
        kind: ContactKind,
        problem: Option<&'static str>,
    ) {
        if range.start < range.end {
            self.0.push((
                rank,
                Contact {
                    range,
                    kind,
                    problem,
                },
            ));
        }
    }

    /// An `@` inside a URL is an address only if it works as one
    /// (`?to=info@site.com`); otherwise the URL is the contact.
    fn demote_broken_emails_in_urls(&mut self) {
        // In text order and disjoint: one regex pass, ends only trimmed.
        let urls: Vec<Range<usize>> = self
            .0
            .iter()
            .filter(|(rank, _)| *rank == Rank::Url)
            .map(|(_, c)| c.range.clone())
            .collect();
        if urls.is_empty() {
            return;
        }
        for (rank, c) in &mut self.0 {
            if *rank == Rank::Email && c.problem.is_some() {
                let i = urls.partition_point(|u| u.start <= c.range.start);
                if i > 0 && urls[i - 1].end >= c.range.end {
                    *rank = Rank::EmailInUrl;
                }
            }
        }
    }

    /// Keeps, by rank then position, each candidate that overlaps none kept
    /// before it; returns them in text order.
    fn resolve(mut self) -> Vec<Contact> {
        self.0.sort_by(|(ra, a), (rb, b)| {
            (ra, a.range.start, b.range.end).cmp(&(rb, b.range.start, a.range.end))
        });
        // Kept ranges, start -> end; they never overlap, so only the last one
        // starting before a candidate's end can overlap it.
        let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for (_, c) in self.0 {
            let clash = kept
                .range(..c.range.end)
                .next_back()
                .is_some_and(|(_, &end)| end > c.range.start);
            if !clash {
                kept.insert(c.range.start, c.range.end);
                out.push(c);
            }
        }
        out.sort_by_key(|c| c.range.start);
        out
    }
}

// ---------------------------------------------------------------------------
// Patterns

fn regex(pattern: &str) -> Regex {
    // The patterns are constants, checked by the tests.
    Regex::new(pattern).expect("contact pattern is a valid regex")
}

/// Compiles an address pattern (verbose syntax: spaces are written `\ `)
/// after expanding its shared pieces:
///
/// - `BEFORE`: what may stand right before a local part, anything that
///   cannot be part of an address, so a match never starts inside one (the
///   candidate itself is then group 1);
/// - `LOCAL`: a local part, ASCII only;
/// - `LABEL`: a domain label, loosely;
/// - `AT_B`, `DOT_B`: `[at]`, `(dot)`, `{at}`, `<dot>`, spaced or not.
fn address_regex(template: &str) -> Regex {
    regex(
        &template
            .replace("BEFORE", "(?:^|[^a-zA-Z0-9._%+@-])")
            .replace("LOCAL", "[a-zA-Z0-9_%+-][a-zA-Z0-9._%+-]*")
            .replace("LABEL", "[a-zA-Z0-9-]+")
            .replace("AT_B", r"\ ?[\[({<]\ ?at\ ?[\])}>]\ ?")
            .replace("DOT_B", r"\ ?[\[({<]\ ?dot\ ?[\])}>]\ ?"),
    )
}

/// Cloudflare's placeholder for a protected address, including localized
/// ones (the Arabic one in folded and unfolded spelling).
static PROTECTED_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"\[ ?(?:e-?mail protected|e-?mel dilindungi|e-?mail mbrojtur",
        r"|(?:ال)?بريد (?:ال)?[اإ]لكتروني محمي) ?\]",
    ))
});

/// The link Cloudflare puts where a protected address was.
static CDN_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?:(?:https?://)?[a-zA-Z0-9.\-]+)?/cdn-cgi/l/email-protection",
        r"(?:[#?][a-zA-Z0-9=&%_\-]*)?",
    ))
});

/// Spam-proofed addresses. Every form needs a dot part, plain or spelled,
/// so that "we met at noon" and "[at] page 5" stay text.
static OBFUSCATED_RE: LazyLock<Regex> = LazyLock::new(|| {
    address_regex(
        r"(?x) BEFORE ( LOCAL (?:
            AT_B LABEL (?: (?:\.|DOT_B) LABEL )+                     # info[at]site.com
          | @ LABEL (?:\.LABEL)* DOT_B LABEL (?: (?:\.|DOT_B) LABEL )*  # info@site[dot]com
          | \ at\ LABEL (?: \ dot\ LABEL )+                          # info at site dot com
        ))",
    )
});

/// `info @site.com`, `info@ site.com`, `info @ site.com`, `info@site .com`:
/// only when the domain side clearly is one (a dot and an alphabetic TLD),
/// so "follow us @ynet" stays text.
static SPACED_RE: LazyLock<Regex> = LazyLock::new(|| {
    address_regex(
        r"(?x) BEFORE (
            LOCAL (?:\ @\ ?|@\ ) LABEL (?:\.LABEL)* \.[a-zA-Z]{2,}
          | LOCAL @ LABEL \ \.[a-zA-Z]{2,} (?:\.[a-zA-Z]{2,})*
        )",
    )
});

/// Anything with an `@` between address characters; analysed afterwards.
static EMAIL_RE: LazyLock<Regex> =
    LazyLock::new(|| address_regex(r"BEFORE([a-zA-Z0-9._%+-]+@[a-zA-Z0-9._%+@-]*)"));

/// An e-mail label right before a domain (group 1).
static BARE_DOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        "(?:",
        "(?:^|[^a-zA-Z0-9])(?:e-?mail|mail)(?: address)?",
        "|אימייל|מייל",
        "|דוא(?:\"|'')?ל",
        "|דואר אלקטרוני",
        "|(?:ال)?بريد (?:ال)?[اإ]لكتروني",
        "|[اإ]يميل",
        ")",
        "(?: ?: ?| - | )",
        r"([a-zA-Z0-9][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)+)",
    ))
});

/// `http(s)://…` or `www.…` (group 1), ASCII URL characters only.
static URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?:^|[^a-zA-Z0-9_@.])((?:https?://|www\.)[a-zA-Z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)")
});

/// A digit run with phone separators: space, `-`, `.`, parentheses, and a
/// leading `+`. Shape and context are checked afterwards.
static PHONE_RE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:\+ ?)?\(?[0-9]+(?:(?:[ .\-]|\) ?|\)-|[ \-]?\()[0-9]+)*"));

/// Israeli star numbers (`*2454`); candidates only after a phone label.
static STAR_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\*[0-9]{3,5}"));

/// A phone label ending the text it is run on (a short window before a
/// number), followed only by separators.
static PHONE_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        "(?:",
        "(?:^|[^a-z])(?:tel|telephone|phone|ph|fax|mobile|mob|cell|call|whatsapp|hotline)",
        "(?: ?(?:no|nr|num|number|#))?",
        "|טלפון|טלפקס|פקס|נייד|פלאפון|חייגו|התקשרו|טל['\".:]",
        "|هاتف|فاكس|جوال|تلفون|تليفون|موبايل|واتساب|اتصل",
        r"|(?:^|[^\p{Arabic}])ت ?[:.]",
        ")",
        "[ :.\\-'\"#]*$",
    ))
});

// ---------------------------------------------------------------------------
// Cheap guards: a detector's regex walks the whole text, so it runs only when
// a literal that every one of its matches contains is there.

/// Every obfuscated form spells `dot` or puts `at` in brackets.
fn may_be_obfuscated(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"dot").is_some()
        || memchr::memmem::find_iter(bytes, b"at").any(|i| {
            let before = bytes[..i].strip_suffix(b" ").unwrap_or(&bytes[..i]);
            matches!(before.last(), Some(b'[' | b'(' | b'{' | b'<'))
        })
}

/// Every spaced form has a space next to the `@` or right before a dot.
fn may_be_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b" .").is_some()
        || memchr::memchr_iter(b'@', bytes)
            .any(|i| bytes.get(i + 1) == Some(&b' ') || (i > 0 && bytes[i - 1] == b' '))
}

/// The labels [`BARE_DOMAIN_RE`] needs, each cut to a part every spelling
/// shares (`e-mail`, `email` and `mail` all hold `mail`; `[اإ]يميل`, `يميل`).
/// (One SIMD substring search each is cheaper on a short window than an
/// automaton over all five.)
static EMAIL_LABELS: LazyLock<[memchr::memmem::Finder<'static>; 5]> =
    LazyLock::new(|| ["mail", "מייל", "דוא", "بريد", "يميل"].map(memchr::memmem::Finder::new));

fn has_email_label(text: &str) -> bool {
    EMAIL_LABELS
        .iter()
        .any(|f| f.find(text.as_bytes()).is_some())
}

// ---------------------------------------------------------------------------
// Byte classes

fn is_url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

/// Skips characters that may open a local-part match but not an address:
/// the `-` of a Hebrew prefix (`ל-info@…`), stray dots.
fn skip_local_junk(bytes: &[u8], mut start: usize, end: usize) -> usize {
    while start < end && matches!(bytes[start], b'.' | b'-' | b'+' | b'%') {
        start += 1;
    }
    start
}

// ---------------------------------------------------------------------------
// Domains

/// Template domains: matched as the whole domain or a dot-separated suffix.
const PLACEHOLDER_SUFFIXES: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "example.edu",
    "example.co.il",
    "example.org.il",
    "example.co.uk",
    "domain.com",
    "yourdomain.com",
    "your-domain.com",
    "mydomain.com",
    "email.com",
    "test.com",
    "site.com",
    "mysite.com",
    "yoursite.com",
    "your-site.com",
    "company.com",
    "yourcompany.com",
];

/// Template hosts without a TLD (checked before "missing top-level domain").
const PLACEHOLDER_HOSTS: &[&str] = &[
    "localhost",
    "domain",
    "yourdomain",
    "your-domain",
    "mydomain",
    "example",
];

/// Reserved TLDs (RFC 2606 / 6761) that never reach anyone.
const RESERVED_TLDS: &[&str] = &["example", "test", "invalid", "localhost"];

/// `domain` is lowercase.
fn is_placeholder_domain(domain: &str) -> bool {
    if PLACEHOLDER_HOSTS.contains(&domain) {
        return true;
    }
    if let Some((_, tld)) = domain.rsplit_once('.')
        && RESERVED_TLDS.contains(&tld)
    {
        return true;
    }
    PLACEHOLDER_SUFFIXES.iter().any(|s| {
        domain
            .strip_suffix(s)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// Why a (lowercase) domain cannot receive mail or serve a page, if it
/// cannot.
fn domain_problem(domain: &str) -> Option<&'static str> {
    if domain.is_empty() || domain.len() > 253 {
        return Some(INVALID_DOMAIN);
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !domain.split('.').all(label_ok) {
        return Some(INVALID_DOMAIN);
    }
    if is_placeholder_domain(domain) {
        return Some(PLACEHOLDER_DOMAIN);
    }
    let Some((_, tld)) = domain.rsplit_once('.') else {
        return Some(MISSING_TLD);
    };
    let tld_ok = (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        || (tld.len() > 4 && tld.starts_with("xn--"));
    if !tld_ok {
        return Some(INVALID_DOMAIN);
    }
    None
}

fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        // Digits only (`parse` would take a sign), at most 255.
        if !part.bytes().all(|b| b.is_ascii_digit()) || part.parse::<u8>().is_err() {
            return false;
        }
    }
    parts == 4
}

/// `your-email@…`, `yourname@…`: a template's local part whatever the
/// domain. (`name@`, `user@` alone may be real; they are flagged through
/// their placeholder domain.)
fn is_placeholder_local(local: &str) -> bool {
    let lower = local.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("your") else {
        return false;
    };
    let rest = rest.strip_prefix(['-', '.', '_']).unwrap_or(rest);
    matches!(
        rest,
        "email" | "e-mail" | "mail" | "name" | "address" | "user" | "username"
    )
}

// ---------------------------------------------------------------------------
// E-mail detectors

fn detect_protected(text: &str, found: &mut Found) {
    if text.contains('[') {
        for m in PROTECTED_RE.find_iter(text) {
            found.push(
                Rank::Protected,
                m.range(),
                ContactKind::Email,
                Some(PROTECTED),
            );
        }
    }
    if text.contains("/cdn-cgi/") {
        for m in CDN_RE.find_iter(text) {
            found.push(
                Rank::Protected,
                m.range(),
                ContactKind::Email,
                Some(PROTECTED),
            );
        }
    }
}

fn detect_obfuscated(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    for caps in OBFUSCATED_RE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        let start = skip_local_junk(bytes, m.start(), m.end());
        // The last label must read as a word, not a bare number
        // ("5 at 3 dot 2").
        let tail = &bytes[start..m.end()];
        let last = tail
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .any(|b| b.is_ascii_alphabetic());
        if last {
            found.push(
                Rank::Obfuscated,
                start..m.end(),
                ContactKind::Email,
                Some(OBFUSCATED),
            );
        }
    }
}

fn detect_spaced(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    for caps in SPACED_RE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        let glued = bytes
            .get(m.end())
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'@'));
        if glued {
            continue;
        }
        let start = skip_local_junk(bytes, m.start(), m.end());
        if bytes.get(start) == Some(&b'@') || bytes.get(start) == Some(&b' ') {
            continue;
        }
        found.push(
            Rank::Spaced,
            start..m.end(),
            ContactKind::Email,
            Some(SPACE_INSIDE),
        );
    }
}

fn detect_emails(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    for caps in EMAIL_RE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        let start = skip_local_junk(bytes, m.start(), m.end());
        let mut end = m.end();
        // A sentence's full stop is not part of the domain.
        while end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let token = &text[start..end];
        let Some((local, domain)) = token.split_once('@') else {
            continue;
        };
        let has_alnum = |s: &str| s.bytes().any(|b| b.is_ascii_alphanumeric());
        if local.is_empty() || !has_alnum(local) || !has_alnum(domain) {
            // `info@` alone: maybe `info@ site.com`, left to the spaced
            // detector; `@handle` never gets here.
            continue;
        }
        let has_letter = |s: &str| s.bytes().any(|b| b.is_ascii_alphabetic());
        if !has_letter(local) && !has_letter(domain) {
            // `10@20`: arithmetic or prices, not an address.
            continue;
        }
        // `info@site.co,il`, `info@ashams,com`: a comma typed for the dot
        // before a top-level domain. The address cannot work; it takes the
        // rest of the domain with it, so the finding quotes all of it.
        let comma_tail = comma_domain_tail(&bytes[end..]);
        let problem = if domain.contains('@') {
            Some(MULTIPLE_AT)
        } else if comma_tail > 0 {
            Some(COMMA_IN_DOMAIN)
        } else {
            email_problem(local, domain)
        };
        found.push(
            Rank::Email,
            start..end + comma_tail,
            ContactKind::Email,
            problem,
        );
    }
}

/// Top-level domains a newsroom's address ends with, for telling a comma
/// typed for a dot (`site.co,il`) from a comma in a sentence
/// (`info@site.com,or call`).
const COMMON_TLDS: &[&str] = &[
    "il", "com", "net", "org", "co", "info", "news", "ps", "jo", "lb", "eg", "sa", "ae", "qa",
    "uk", "de", "fr", "io", "me", "tv", "edu", "gov", "ac", "biz",
];

/// The length of `,tld` (or `,label.tld`) right after an address, when
/// the part after the comma is a domain's end and nothing but a boundary
/// follows it; else 0.
fn comma_domain_tail(after: &[u8]) -> usize {
    if after.first() != Some(&b',') {
        return 0;
    }
    let rest = &after[1..];
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        .count();
    let tail = &rest[..len];
    // A sentence's full stop is not part of the domain.
    let tail = tail.strip_suffix(b".").unwrap_or(tail);
    let boundary = rest
        .get(tail.len())
        .is_none_or(|b| !b.is_ascii_alphanumeric());
    let last = tail.rsplit(|&b| b == b'.').next().unwrap_or_default();
    let known = std::str::from_utf8(last)
        .is_ok_and(|t| COMMON_TLDS.contains(&t.to_ascii_lowercase().as_str()));
    if boundary && known && tail.split(|&b| b == b'.').all(|l| !l.is_empty()) {
        1 + tail.len()
    } else {
        0
    }
}

fn email_problem(local: &str, domain: &str) -> Option<&'static str> {
    if local.len() > 64 || local.ends_with('.') || local.contains("..") {
        return Some(INVALID_LOCAL);
    }
    domain_problem(&domain.to_ascii_lowercase()).or_else(|| {
        if is_placeholder_local(local) {
            Some(PLACEHOLDER_ADDRESS)
        } else {
            None
        }
    })
}

fn detect_bare_domains(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    for caps in BARE_DOMAIN_RE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        // `email: john.doe@site.com`: the "domain" was a local part.
        if bytes
            .get(m.end())
            .is_some_and(|&b| matches!(b, b'@' | b'_' | b'%' | b'+'))
        {
            continue;
        }
        let domain = m.as_str().to_ascii_lowercase();
        let Some((_, tld)) = domain.rsplit_once('.') else {
            continue;
        };
        if tld.len() < 2
            || !tld.bytes().all(|b| b.is_ascii_alphabetic())
            || domain_problem(&domain) == Some(INVALID_DOMAIN)
        {
            continue;
        }
        let mut end = m.end();
        if bytes.get(end) == Some(&b'/') {
            while end < bytes.len() && is_url_byte(bytes[end]) {
                end += 1;
            }
            end = trim_url_end(bytes, m.start(), end);
        }
        found.push(
            Rank::BareDomain,
            m.start()..end,
            ContactKind::Email,
            Some(BARE_DOMAIN),
        );
    }
}

// ---------------------------------------------------------------------------
// URLs

/// Drops trailing sentence punctuation and unbalanced closing brackets.
fn trim_url_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    let count = |c: u8| bytes[start..end].iter().filter(|&&b| b == c).count();
    let mut parens = (count(b'('), count(b')'));
    let mut squares = (count(b'['), count(b']'));
    let mut braces = (count(b'{'), count(b'}'));
    while end > start {
        let balance = match bytes[end - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' | b'*' | b'<' | b'>' => None,
            b')' => Some(&mut parens),
            b']' => Some(&mut squares),
            b'}' => Some(&mut braces),
            _ => break,
        };
        if let Some((open, close)) = balance {
            if *close <= *open {
                break;
            }
            *close -= 1;
        }
        end -= 1;
    }
    end
}

fn detect_urls(text: &str, found: &mut Found) {
    if !text.contains("http") && !text.contains("www.") {
        return;
    }
    let bytes = text.as_bytes();
    for caps in URL_RE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        let start = m.start();
        let end = trim_url_end(bytes, start, m.end());
        let url = &text[start..end];
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = match host_port.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => host_port,
        };
        // A fully qualified name may end in a dot.
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        if host.is_empty() || host == "www" {
            continue;
        }
        // `www.` names a host, not a domain: `www.ashams` has no TLD.
        let domain = host.strip_prefix("www.").unwrap_or(&host);
        let problem = if is_ipv4(&host) {
            None
        } else {
            domain_problem(domain)
        };
        found.push(Rank::Url, start..end, ContactKind::Url, problem);
    }
}

// ---------------------------------------------------------------------------
// Phones

/// Whether a phone label ends right before `pos`.
fn label_before(text: &str, pos: usize) -> bool {
    const WINDOW: usize = 48;
    let mut start = pos.saturating_sub(WINDOW);
    while start < pos && !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..pos)
        .is_some_and(|window| PHONE_LABEL_RE.is_match(window))
}

fn detect_phones(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    let mut groups: Vec<Range<usize>> = Vec::new();
    // A number needs seven digits; a notice's "27" and "2007" are six.
    let enough = bytes.iter().filter(|b| b.is_ascii_digit()).nth(6).is_some();
    let numbers = enough.then(|| PHONE_RE.find_iter(text));
    for m in numbers.into_iter().flatten() {
        let (start, end) = (m.start(), m.end());
        if bytes[start..end]
            .iter()
            .filter(|b| b.is_ascii_digit())
            .count()
            < 7
        {
            continue;
        }
        if !phone_edges_ok(bytes, start, end) {
            continue;
        }
        let start = balance_parens(bytes, start, end);
        groups.clear();
        let mut i = start;
        while i < end {
            if bytes[i].is_ascii_digit() {
                let g = i;
                while i < end && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                groups.push(g..i);
            } else {
                i += 1;
            }
        }
        split_and_classify(text, start, &groups, found);
    }
    if text.contains('*') {
        for m in STAR_RE.find_iter(text) {
            let after_digit = bytes.get(m.end()).is_some_and(u8::is_ascii_digit);
            let glued_before = m.start() > 0 && bytes[m.start() - 1].is_ascii_alphanumeric();
            if !after_digit && !glued_before && label_before(text, m.start()) {
                found.push(Rank::Phone, m.range(), ContactKind::Phone, None);
            }
        }
    }
}

/// Rejects digit runs glued to words, paths, prices and thousands groups.
fn phone_edges_ok(bytes: &[u8], start: usize, end: usize) -> bool {
    if start > 0 {
        let prev = bytes[start - 1];
        if prev.is_ascii_alphanumeric()
            || matches!(
                prev,
                b'_' | b'@' | b'/' | b'#' | b'=' | b'&' | b'?' | b'$' | b'%' | b'*'
            )
        {
            return false;
        }
        if matches!(prev, b'.' | b',') && start > 1 && bytes[start - 2].is_ascii_digit() {
            return false;
        }
    }
    if let Some(&next) = bytes.get(end) {
        if next.is_ascii_alphabetic() || matches!(next, b'_' | b'@' | b'%') {
            return false;
        }
        if next == b',' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            return false;
        }
    }
    true
}

/// Drops a `)` that closes nothing (`1) 03-…` keeps only `03-…`) and an
/// opening `(` that is never closed; returns the new start.
fn balance_parens(bytes: &[u8], mut start: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'(' => depth += 1,
            b')' if depth == 0 => {
                start = i + 1;
                while start < end && matches!(bytes[start], b' ' | b'-') {
                    start += 1;
                }
            }
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    if depth > 0 && bytes.get(start) == Some(&b'(') {
        start += 1;
    }
    start
}

/// One digit run joined by spaces may hold several numbers
/// (`03-5551234 054-1234567`, `2007 03-5551234`): splits where a space
/// starts a new number, then classifies each part.
fn split_and_classify(text: &str, start: usize, groups: &[Range<usize>], found: &mut Found) {
    let bytes = text.as_bytes();
    let Some(first) = groups.first() else { return };
    let mut part_start = start.min(first.start);
    let mut part_first = 0usize;
    let mut digits = first.len();
    for i in 1..groups.len() {
        let sep = &bytes[groups[i - 1].end..groups[i].start];
        let next = &groups[i];
        if sep.contains(&b' ')
            && starts_new_number(bytes, part_start, &groups[part_first..i], digits, next)
        {
            classify_phone(text, part_start, &groups[part_first..i], found);
            part_first = i;
            part_start = if sep.last() == Some(&b'(') {
                next.start - 1
            } else {
                next.start
            };
            digits = 0;
        }
        digits += next.len();
    }
    classify_phone(text, part_start, &groups[part_first..], found);
}

fn starts_new_number(
    bytes: &[u8],
    part_start: usize,
    prefix: &[Range<usize>],
    digits: usize,
    next: &Range<usize>,
) -> bool {
    let next_zero = bytes[next.start] == b'0';
    let next_len = next.len();
    if bytes[part_start] == b'+' {
        return digits >= 12 || (next_zero && digits >= 9);
    }
    let zero = prefix.first().is_some_and(|g| bytes[g.start] == b'0');
    if zero {
        return digits >= 10 || (digits >= 9 && (next_len >= 3 || next_zero));
    }
    // `212 555 0199`: a North American number written with spaces.
    let nanp = next_len == 4
        && match prefix {
            [a, b] => a.len() == 3 && b.len() == 3,
            [a, b, c] => a.len() == 1 && b.len() == 3 && c.len() == 3,
            _ => false,
        };
    (next_zero && !nanp) || digits >= 10 || (digits >= 9 && next_len >= 3)
}

fn group_value(bytes: &[u8], g: &Range<usize>) -> u32 {
    bytes[g.clone()]
        .iter()
        .take(9)
        .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

fn is_year(bytes: &[u8], g: &Range<usize>) -> bool {
    g.len() == 4 && (1900..=2099).contains(&group_value(bytes, g))
}

/// `25.5.2008`, `2008-05-25`, `5.25.2008`, `1948-1967`: dates and year
/// ranges, wherever they sit in the run.
fn is_date_like(bytes: &[u8], groups: &[Range<usize>]) -> bool {
    let sep = |i: usize| &bytes[groups[i - 1].end..groups[i].start];
    for i in 0..groups.len() {
        if i + 1 < groups.len()
            && sep(i + 1) == b"-"
            && is_year(bytes, &groups[i])
            && is_year(bytes, &groups[i + 1])
        {
            return true;
        }
        if i + 2 < groups.len() {
            let (s1, s2) = (sep(i + 1), sep(i + 2));
            if s1 != s2 || !(s1 == b"." || s1 == b"-") {
                continue;
            }
            let (a, b, c) = (&groups[i], &groups[i + 1], &groups[i + 2]);
            let (va, vb, vc) = (
                group_value(bytes, a),
                group_value(bytes, b),
                group_value(bytes, c),
            );
            let day_month = a.len() <= 2
                && b.len() <= 2
                && is_year(bytes, c)
                && (1..=31).contains(&va)
                && (1..=31).contains(&vb)
                && (va <= 12 || vb <= 12);
            let iso = is_year(bytes, a)
                && b.len() <= 2
                && c.len() <= 2
                && (1..=12).contains(&vb)
                && (1..=31).contains(&vc);
            if day_month || iso {
                return true;
            }
        }
    }
    false
}

/// Groups written the way phone numbers are (`1-800-555-0199`,
/// `(212) 555-1234`), and not the way big numbers are (`1.000.000.000`).
/// Numbers that spaces alone hold together are usually unrelated ones
/// (`12 2007 2008`), so only the North American `212 555 1234` passes.
fn phone_shaped(bytes: &[u8], groups: &[Range<usize>]) -> bool {
    let n = groups.len();
    if n < 2 {
        return false;
    }
    let (first, last) = (&groups[0], &groups[n - 1]);
    if first.len() > 4 || !(3..=8).contains(&last.len()) {
        return false;
    }
    if groups[1..n - 1].iter().any(|g| g.len() > 4) {
        return false;
    }
    let sep = |i: usize| &bytes[groups[i - 1].end..groups[i].start];
    if (1..n).all(|i| sep(i) == b" ") {
        let lens = |want: &[usize]| groups.iter().map(Range::len).eq(want.iter().copied());
        return lens(&[3, 3, 4]) || lens(&[1, 3, 3, 4]);
    }
    let same_sep = (2..n).all(|i| sep(i) == sep(1));
    let thousands = same_sep && sep(1) == b"." && groups[1..].iter().all(|g| g.len() == 3);
    !thousands
}

fn classify_phone(text: &str, start: usize, groups: &[Range<usize>], found: &mut Found) {
    let bytes = text.as_bytes();
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else {
        return;
    };
    let range = start..last.end;
    let digits: usize = groups.iter().map(Range::len).sum();
    if !(7..=15).contains(&digits) || is_date_like(bytes, groups) {
        return;
    }
    // A lone final digit is a check digit (`0-306-40615-2`), not a line.
    if last.len() < 2 {
        return;
    }
    let first_digits = &bytes[first.clone()];
    let after_first = &bytes[first.end..last.end];
    // `0.123456789` is a fraction; `000 000 000` is no prefix.
    if (first_digits == b"0" && after_first.first() == Some(&b'.'))
        || (first_digits.len() >= 3 && first_digits.iter().all(|&b| b == b'0'))
    {
        return;
    }
    let problem = if label_before(text, start) {
        if digits >= 9 {
            None
        } else {
            Some(TOO_FEW_DIGITS)
        }
    } else if digits >= 9
        && (bytes[start] == b'+' || first_digits[0] == b'0' || phone_shaped(bytes, groups))
    {
        None
    } else {
        return;
    };
    found.push(Rank::Phone, range, ContactKind::Phone, problem);
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use ContactKind::{Email, Phone, Url};

    const OK: Option<&str> = None;

    /// Kind, exact trimmed text, problem.
    type Expected<'a> = (ContactKind, &'a str, Option<&'a str>);
    /// A text holding exactly one candidate, then that candidate.
    type Row<'a> = (&'a str, ContactKind, &'a str, Option<&'a str>);

    fn check(text: &str, expected: &[Expected<'_>]) {
        let got: Vec<Expected<'_>> = find_contacts(text)
            .into_iter()
            .map(|c| (c.kind, &text[c.range], c.problem))
            .collect();
        assert_eq!(got, expected, "in {text:?}");
    }

    fn one(rows: &[Row<'_>]) {
        for &(text, kind, found, problem) in rows {
            check(text, &[(kind, found, problem)]);
        }
    }

    fn none(texts: &[&str]) {
        for text in texts {
            check(text, &[]);
        }
    }

    #[test]
    fn kind_names() {
        assert_eq!(Email.as_str(), "email");
        assert_eq!(Url.as_str(), "url");
        assert_eq!(Phone.as_str(), "phone");
    }

    #[test]
    fn patterns_compile() {
        for re in [
            &PROTECTED_RE,
            &CDN_RE,
            &OBFUSCATED_RE,
            &SPACED_RE,
            &EMAIL_RE,
            &BARE_DOMAIN_RE,
            &URL_RE,
            &PHONE_RE,
            &STAR_RE,
            &PHONE_LABEL_RE,
        ] {
            LazyLock::force(re);
        }
    }

    #[test]
    #[rustfmt::skip]
    fn valid_emails() {
        one(&[
            ("info@ashams.com", Email, "info@ashams.com", OK),
            ("write to copyright@site.co.il today", Email, "copyright@site.co.il", OK),
            ("a.b+tag@mail.example-news.org.il", Email, "a.b+tag@mail.example-news.org.il", OK),
            ("على info@ashams.com.", Email, "info@ashams.com", OK),
            ("info@ashams.comوالطلب", Email, "info@ashams.com", OK),
            ("info@ashams.com,", Email, "info@ashams.com", OK),
            ("info@ashams.co.il:", Email, "info@ashams.co.il", OK),
            ("לפנות לinfo@ashams.comבהקדם", Email, "info@ashams.com", OK),
            ("לפנות ל-info@ashams.com.", Email, "info@ashams.com", OK),
            ("mailto:info@x.co", Email, "info@x.co", OK),
            ("mailto:info@ashams.com?subject=x", Email, "info@ashams.com", OK),
            ("(info@ashams.com)", Email, "info@ashams.com", OK),
            ("\"info@ashams.com\"", Email, "info@ashams.com", OK),
            ("info@ashams.com' said", Email, "info@ashams.com", OK),
            ("“info@ashams.com”", Email, "info@ashams.com", OK),
            ("info@ashams.com/contact", Email, "info@ashams.com", OK),
            ("rights@ashams.xn--p1ai", Email, "rights@ashams.xn--p1ai", OK),
            ("name@ashams.com", Email, "name@ashams.com", OK),
            ("info@mysite.co.il", Email, "info@mysite.co.il", OK),
            ("info@notexample.com", Email, "info@notexample.com", OK),
        ]);
        check(
            "a@b.co.il, c@d.com; e@f.org",
            &[(Email, "a@b.co.il", OK), (Email, "c@d.com", OK), (Email, "e@f.org", OK)],
        );
    }

    #[test]
    #[rustfmt::skip]
    fn broken_emails() {
        one(&[
            ("info@ashams", Email, "info@ashams", Some(MISSING_TLD)),
            ("info@ashams والطلب", Email, "info@ashams", Some(MISSING_TLD)),
            ("info@@ashams.com", Email, "info@@ashams.com", Some(MULTIPLE_AT)),
            ("info@ashams@com.com", Email, "info@ashams@com.com", Some(MULTIPLE_AT)),
            ("info@ashams..com", Email, "info@ashams..com", Some(INVALID_DOMAIN)),
            ("info@-ashams.com", Email, "info@-ashams.com", Some(INVALID_DOMAIN)),
            ("info@ashams-.com", Email, "info@ashams-.com", Some(INVALID_DOMAIN)),
            ("info@ashams.123", Email, "info@ashams.123", Some(INVALID_DOMAIN)),
            ("info@ashams.c", Email, "info@ashams.c", Some(INVALID_DOMAIN)),
            ("info@ashams.c0m", Email, "info@ashams.c0m", Some(INVALID_DOMAIN)),
            ("info..x@ashams.com", Email, "info..x@ashams.com", Some(INVALID_LOCAL)),
        ]);
        let long = format!("info@{}com", "a.".repeat(130));
        check(&long, &[(Email, long.as_str(), Some(INVALID_DOMAIN))]);
    }

    /// A comma typed for a dot before the top-level domain, in Hebrew and
    /// Arabic text and at a sentence's end; a comma in a sentence after a
    /// whole address is not one.
    #[test]
    #[rustfmt::skip]
    fn comma_for_a_dot_in_the_domain() {
        let comma = Some(COMMA_IN_DOMAIN);
        one(&[
            ("legal@site.co,il", Email, "legal@site.co,il", comma),
            ("לפניות: legal@site.co,il.", Email, "legal@site.co,il", comma),
            ("info@ashams,com والطلب", Email, "info@ashams,com", comma),
            ("info@ashams,co.il", Email, "info@ashams,co.il", comma),
            ("write to info@ashams.com,or call", Email, "info@ashams.com", OK),
            ("info@ashams.com, il", Email, "info@ashams.com", OK),
            ("info@ashams.co.il,ilx", Email, "info@ashams.co.il", OK),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn spaced_emails() {
        let sp = Some(SPACE_INSIDE);
        one(&[
            ("info @ashams.com", Email, "info @ashams.com", sp),
            ("info@ ashams.com", Email, "info@ ashams.com", sp),
            ("info @ ashams.com.", Email, "info @ ashams.com", sp),
            ("info@ashams .com", Email, "info@ashams .com", sp),
            ("info@ashams .co.il", Email, "info@ashams .co.il", sp),
            ("على info @ashams.comوالطلب", Email, "info @ashams.com", sp),
            ("email: info @ashams.com", Email, "info @ashams.com", sp),
            ("info@ashams.com .org", Email, "info@ashams.com", OK),
        ]);
        none(&["follow us @ynet", "follow @handle", "@user@mastodon.social", "10@20", "info@"]);
    }

    #[test]
    #[rustfmt::skip]
    fn placeholder_emails() {
        for domain in [
            "example.com", "example.org", "example.net", "example.co.il", "domain.com",
            "yourdomain.com", "your-domain.com", "email.com", "test.com", "site.com",
            "mysite.com", "company.com", "mail.example.com", "localhost", "domain", "ashams.test",
        ] {
            let text = format!("info@{domain}");
            check(&text, &[(Email, text.as_str(), Some(PLACEHOLDER_DOMAIN))]);
        }
        one(&[
            ("name@example.com", Email, "name@example.com", Some(PLACEHOLDER_DOMAIN)),
            ("your-email@domain.com", Email, "your-email@domain.com", Some(PLACEHOLDER_DOMAIN)),
            ("user@example.co.il", Email, "user@example.co.il", Some(PLACEHOLDER_DOMAIN)),
            ("your-email@ashams.com", Email, "your-email@ashams.com", Some(PLACEHOLDER_ADDRESS)),
            ("yourname@ashams.com", Email, "yourname@ashams.com", Some(PLACEHOLDER_ADDRESS)),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn obfuscated_emails() {
        let ob = Some(OBFUSCATED);
        one(&[
            ("info[at]ashams.com", Email, "info[at]ashams.com", ob),
            ("info (at) ashams (dot) com", Email, "info (at) ashams (dot) com", ob),
            ("info (at) ashams.com", Email, "info (at) ashams.com", ob),
            ("info {at} ashams.com.", Email, "info {at} ashams.com", ob),
            ("info at ashams dot com", Email, "info at ashams dot com", ob),
            ("noreply at ashams dot co dot il.", Email, "noreply at ashams dot co dot il", ob),
            ("info@ashams[dot]com", Email, "info@ashams[dot]com", ob),
            ("info@ashams (dot) com", Email, "info@ashams (dot) com", ob),
            ("راسلونا info[at]ashams[dot]co[dot]il", Email, "info[at]ashams[dot]co[dot]il", ob),
        ]);
        none(&["look at ashams.com", "we met at noon", "5 at 3 dot 2", "hello [at] world"]);
    }

    #[test]
    #[rustfmt::skip]
    fn protected_emails() {
        let p = Some(PROTECTED);
        let cdn = "https://ashams.com/cdn-cgi/l/email-protection#a1b2";
        one(&[
            ("[email protected]", Email, "[email protected]", p),
            ("mail: [email protected].", Email, "[email protected]", p),
            ("على [البريد الالكتروني محمي]", Email, "[البريد الالكتروني محمي]", p),
            ("على [البريد الإلكتروني محمي]", Email, "[البريد الإلكتروني محمي]", p),
            ("[e-mel dilindungi]", Email, "[e-mel dilindungi]", p),
            ("[email mbrojtur]", Email, "[email mbrojtur]", p),
            ("see /cdn-cgi/l/email-protection#a1b2", Email, "/cdn-cgi/l/email-protection#a1b2", p),
            (&format!("{cdn}."), Email, cdn, p),
        ]);
        check(
            "[email protected] or [email protected]",
            &[(Email, "[email protected]", p), (Email, "[email protected]", p)],
        );
    }

    #[test]
    #[rustfmt::skip]
    fn bare_domains_after_email_labels() {
        let b = Some(BARE_DOMAIN);
        one(&[
            ("email: zenomix.de", Email, "zenomix.de", b),
            ("e-mail zenomix.de.", Email, "zenomix.de", b),
            ("email address: ashams.com", Email, "ashams.com", b),
            ("email - ashams.com", Email, "ashams.com", b),
            ("mail:site.co.il", Email, "site.co.il", b),
            ("البريد الالكتروني: site.com", Email, "site.com", b),
            ("البريد الإلكتروني: site.com", Email, "site.com", b),
            ("بالبريد الالكتروني: ashams.com", Email, "ashams.com", b),
            ("بريد الكتروني: ashams.net", Email, "ashams.net", b),
            ("ال ايميل: ashams.net", Email, "ashams.net", b),
            ("الايميل ashams.net", Email, "ashams.net", b),
            ("ايميل: ashams.net", Email, "ashams.net", b),
            ("דוא\"ל: site.co.il", Email, "site.co.il", b),
            ("דואל: site.co.il", Email, "site.co.il", b),
            ("מייל: site.co.il", Email, "site.co.il", b),
            ("אימייל: site.co.il", Email, "site.co.il", b),
            ("דואר אלקטרוני: site.co.il", Email, "site.co.il", b),
            ("email: www.site.com/contact.", Email, "www.site.com/contact", b),
            ("email: john.doe@ashams.com", Email, "john.doe@ashams.com", OK),
            ("البريد الالكتروني:info@ashams.com", Email, "info@ashams.com", OK),
        ]);
        none(&["ashams.com", "visit ashams.com today", "gmail: ashams.com", "email: ashams"]);
    }

    #[test]
    #[rustfmt::skip]
    fn urls() {
        one(&[
            ("https://www.ashams.com/contact", Url, "https://www.ashams.com/contact", OK),
            ("http://site.co.il", Url, "http://site.co.il", OK),
            ("http://www.ashams.com.", Url, "http://www.ashams.com", OK),
            ("www.ashams.com/contact-us", Url, "www.ashams.com/contact-us", OK),
            ("(see https://ashams.com/a_(b)).", Url, "https://ashams.com/a_(b)", OK),
            ("see: http://ashams.com/contact).", Url, "http://ashams.com/contact", OK),
            ("[https://ashams.com/x]", Url, "https://ashams.com/x", OK),
            ("https://ashams.com/x'", Url, "https://ashams.com/x", OK),
            ("באתר https://ashams.com/contactוהטופס", Url, "https://ashams.com/contact", OK),
            ("www.ynet.co.il/articles/כתבה", Url, "www.ynet.co.il/articles/", OK),
            ("ב-www.site.co.il.", Url, "www.site.co.il", OK),
            ("http://ashams.com:8080/x?a=1#f", Url, "http://ashams.com:8080/x?a=1#f", OK),
            ("http://192.168.1.1/contact", Url, "http://192.168.1.1/contact", OK),
            ("https://twitter.com/@ashams", Url, "https://twitter.com/@ashams", OK),
            ("http://ashams.com/a@b", Url, "http://ashams.com/a@b", OK),
            ("https://ashams/contact", Url, "https://ashams/contact", Some(MISSING_TLD)),
            ("www.ashams/contact", Url, "www.ashams/contact", Some(MISSING_TLD)),
            ("https://example.com/x", Url, "https://example.com/x", Some(PLACEHOLDER_DOMAIN)),
            ("http://localhost:8000/", Url, "http://localhost:8000/", Some(PLACEHOLDER_DOMAIN)),
            ("https://ash_ams.com", Url, "https://ash_ams.com", Some(INVALID_DOMAIN)),
            // A working address in a URL counts once, as the e-mail.
            ("https://ashams.com/c?to=info@ashams.com", Email, "info@ashams.com", OK),
        ]);
        none(&["https:// and www. alone", "ashams.com/contact"]);
    }

    #[test]
    #[rustfmt::skip]
    fn phones() {
        one(&[
            ("03-1234567", Phone, "03-1234567", OK),
            ("+972-3-1234567", Phone, "+972-3-1234567", OK),
            ("+972 52 123 4567", Phone, "+972 52 123 4567", OK),
            ("(02) 1234567", Phone, "(02) 1234567", OK),
            ("1-800-555-0199", Phone, "1-800-555-0199", OK),
            ("call 1-700-500-500", Phone, "1-700-500-500", OK),
            ("(212) 555-1234", Phone, "(212) 555-1234", OK),
            ("212.555.1234", Phone, "212.555.1234", OK),
            ("212 555 1234", Phone, "212 555 1234", OK),
            ("212 555 0199", Phone, "212 555 0199", OK),
            ("+1 (212) 555-1234", Phone, "+1 (212) 555-1234", OK),
            ("+44 20 7946 0958", Phone, "+44 20 7946 0958", OK),
            ("+33 1 23 45 67 89", Phone, "+33 1 23 45 67 89", OK),
            ("+972 (0)3 1234567", Phone, "+972 (0)3 1234567", OK),
            ("00972-52-1234567", Phone, "00972-52-1234567", OK),
            ("052 123 4567", Phone, "052 123 4567", OK),
            ("0521234567.", Phone, "0521234567", OK),
            ("(03-1234567)", Phone, "03-1234567", OK),
            ("1) 03-1234567", Phone, "03-1234567", OK),
            ("050-1234567/8", Phone, "050-1234567", OK),
            ("03-1234567או", Phone, "03-1234567", OK),
            ("tel:+97231234567", Phone, "+97231234567", OK),
            ("טל: +972-3-1234567", Phone, "+972-3-1234567", OK),
            ("טלפון 123456789", Phone, "123456789", OK),
            ("טל' 03-5551234 שלוחה 5", Phone, "03-5551234", OK),
            ("טל' *2454", Phone, "*2454", OK),
            ("*6000 חייגו *6000", Phone, "*6000", OK),
            ("בשנת 2007 03-5551234", Phone, "03-5551234", OK),
            ("25.5.2008 03-5551234", Phone, "03-5551234", OK),
            ("03-5551234 2007", Phone, "03-5551234", OK),
        ]);
        check(
            "טל. 03-5551234 פקס 03-5551235",
            &[(Phone, "03-5551234", OK), (Phone, "03-5551235", OK)],
        );
        check("03-5551234 054-1234567", &[(Phone, "03-5551234", OK), (Phone, "054-1234567", OK)]);
        check("03-1234567, 03-7654321", &[(Phone, "03-1234567", OK), (Phone, "03-7654321", OK)]);
    }

    #[test]
    #[rustfmt::skip]
    fn short_phones_after_labels() {
        let few = Some(TOO_FEW_DIGITS);
        one(&[
            ("טל: 5551234", Phone, "5551234", few),
            ("tel: 1234567", Phone, "1234567", few),
            ("tel. 555-1234", Phone, "555-1234", few),
            ("phone: 03-555123", Phone, "03-555123", few),
            ("phone number: 5551234", Phone, "5551234", few),
            ("هاتف: 2951234", Phone, "2951234", few),
            ("فاكس 2951234", Phone, "2951234", few),
            ("ت: 2951234", Phone, "2951234", few),
        ]);
        none(&[
            "tel: 12345", "tel: 1234567890123456", "hotel 1234567", "בוטל 12345678", "1234567",
            "+972123", "*2454",
        ]);
    }

    #[test]
    fn numbers_that_are_not_phones() {
        none(&[
            "חוק זכות יוצרים, התשס\"ח-2007, סעיף 27א, עודכן ב-2019. 5768-2007 25.5.2008",
            "2008-05-25 and 2007-2019",
            "in 1948-1967 and 2000-2020",
            "1.1.2008-31.12.2008",
            "في 25/5/2008 الساعة 10:30",
            "tel: 25.5.2008",
            "1,000,000,000 dollars",
            "מחיר: 1,234,567",
            "1.000.000.000 shekel",
            "1 000 000 000",
            "2007 2008 2009 2010",
            "12 2007 2008",
            "שנים 1948 1967 1973",
            "192.168.100.200",
            "123456789",
            "₪ 123456789",
            "$1234567890",
            "isbn 978-3-16-148410-0",
            "0-306-40615-2",
            "0.123456789",
            "0.5 1234567",
            "id123456789",
            "ת.ד. 12345 ירושלים 9100000",
        ]);
        let url = "https://ashams.com/news/123456789";
        one(&[(url, Url, url, OK)]);
    }

    #[test]
    fn real_notices() {
        check(
            "فيمكنك التواصل معنا عبر البريد الالكتروني على العنوان التالي: info@ashams.com \
             والطلب بالتوقف عن استخدام المواد",
            &[(Email, "info@ashams.com", OK)],
        );
        check(
            "לפניות בנושא זכויות יוצרים: copyright@news.co.il או בטלפון 03-5551234",
            &[
                (Email, "copyright@news.co.il", OK),
                (Phone, "03-5551234", OK),
            ],
        );
        check(
            "contact: https://www.ashams.com/contact, info@ashams.com or +972-2-1234567.",
            &[
                (Url, "https://www.ashams.com/contact", OK),
                (Email, "info@ashams.com", OK),
                (Phone, "+972-2-1234567", OK),
            ],
        );
    }

    #[test]
    fn nothing_to_find() {
        none(&[
            "",
            "الحقوق محفوظة لموقع الشمس",
            "כל הזכויות שמורות",
            "ашамс@почта.рф",
            "@",
            "@@@ ... --- +++",
        ]);
    }

    /// xorshift64*: deterministic, no dependencies.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }

        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }
    }

    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "info", "a", "x", "@", "@", ".", ".", "-", "_", "+", "%", " ", " ", "\n", "com", "co.il",
        "www.", "https://", "http://", "/", "?", "#", "(", ")", "[", "]", "{", "}", "'", "\"", ",",
        ";", ":", "*", "0", "03", "5", "123", "4567", "2007", "25.5.2008", "+972", "[at]", " at ",
        " dot ", "(dot)", "example.com", "localhost", "mailto:", "טל: ", "טלפון ", "هاتف: ",
        "فاكس", "email: ", "e-mail ", "דוא\"ל: ", "מייל", "البريد الالكتروني: ", "ايميل",
        "[email protected]", "[البريد الالكتروني محمي]", "/cdn-cgi/l/email-protection#",
        "والطلب", "ש", "ا", "é", "😀", "\u{301}", "\u{fffd}", "ت", "ـ", "xn--", "..", "@@",
    ];

    fn assert_well_formed(text: &str, found: &[Contact]) {
        let mut last_end = 0;
        for c in found {
            let r = &c.range;
            assert!(r.start < r.end && r.end <= text.len(), "{r:?} in {text:?}");
            assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "{r:?} in {text:?}"
            );
            assert!(
                r.start >= last_end,
                "overlap or disorder at {r:?} in {text:?}"
            );
            last_end = r.end;
        }
    }

    #[test]
    fn generated_inputs_are_well_formed() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..rng.below(40) {
                text.push_str(rng.pick(PIECES));
            }
            assert_well_formed(&text, &find_contacts(&text));
            // A suffix, as a window cut from a longer text would be.
            if let Some((cut, _)) = text.char_indices().nth(rng.below(8)) {
                let tail = &text[cut..];
                assert_well_formed(tail, &find_contacts(tail));
            }
        }
        // Arbitrary characters: any ASCII, Hebrew and Arabic blocks, digits.
        let specials = ['@', '.', '-', ' ', '+', '(', ')', '\u{0}', '\u{10ffff}'];
        for _ in 0..2000 {
            let text: String = (0..rng.below(60))
                .map(|_| {
                    let n = u32::try_from(rng.below(0x300)).unwrap_or(0);
                    match rng.below(4) {
                        0 => char::from_u32(n % 128),
                        1 => char::from_u32(0x590 + n),
                        2 => char::from_digit(n % 10, 10),
                        _ => Some(rng.pick(&specials)),
                    }
                    .unwrap_or('x')
                })
                .collect();
            assert_well_formed(&text, &find_contacts(&text));
        }
    }

    #[test]
    fn long_and_pathological_inputs() {
        let paragraph = "לפניות: copyright@news.co.il או 03-5551234, ראו https://news.co.il/contact. \
                         البريد الالكتروني: info@ashams.com، سنة 2007 و25.5.2008.\n";
        let text = paragraph.repeat(2000);
        let found = find_contacts(&text);
        assert_eq!(found.len(), 4 * 2000);
        assert_well_formed(&text, &found);

        #[rustfmt::skip]
        let units = [
            "a@", "1 ", "0-", "@.", "a.", "info at x dot ", "(", "+1", "www.", "x[at]", "1)", "0 ",
            "http://x.co/)", "email: a.", "טל: 1234567 ", "[at]a.",
        ];
        for unit in units {
            let text = unit.repeat(20_000);
            assert_well_formed(&text, &find_contacts(&text));
        }
        assert!(find_contacts(&"5".repeat(100_000)).is_empty());
    }
}
