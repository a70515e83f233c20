//! Contact details in a notice: e-mail addresses, URLs and phone numbers,
//! and whether each one can actually be used.
//!
//! Section 27A(a)(2) wants the user's contact details in the notice, so a
//! notice whose only "contact" is a placeholder, an address mangled by a
//! copy-paste (`info @site.com`, `info@@site.com`), a spam-proofed
//! `info[at]site.com` or Cloudflare's `[email protected]` fails the owner
//! as surely as one with no contact at all. The finder is deliberately
//! lenient about what *looks* like a contact, so that such broken ones are
//! found and reported rather than ignored.
//!
//! Input is folded text (see `normalize`): lowercase, bidi marks removed,
//! digits ASCII, `＠` turned into `@`. Addresses are matched with ASCII
//! classes only: an Arabic or Hebrew letter glued to an address is not part
//! of it.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What kind of contact a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Email,
    Url,
    Phone,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Email => "email",
            ContactKind::Url => "url",
            ContactKind::Phone => "phone",
        }
    }
}

/// A contact-like string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Byte range in the input, trimmed of surrounding punctuation.
    pub range: Range<usize>,
    pub kind: ContactKind,
    /// `None`: usable. `Some(reason)`: looks like a contact but cannot work.
    pub problem: Option<&'static str>,
}

const HIDDEN: &str = "address hidden by an e-mail protection script";
const OBFUSCATED: &str = "obfuscated address";
const TWO_AT: &str = "more than one @";
const SPACE: &str = "space inside the address";
const NO_TLD: &str = "missing top-level domain";
const BAD_DOMAIN: &str = "invalid domain";
const PLACEHOLDER: &str = "placeholder domain";
const BAD_LOCAL: &str = "invalid address before the @";
const BARE_DOMAIN: &str = "bare domain instead of an address";
const SHORT_PHONE: &str = "too few digits for a phone number";

/// Domains that stand for "put your address here".
const PLACEHOLDER_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "example.co.il",
    "example.edu",
    "domain.com",
    "yourdomain.com",
    "your-domain.com",
    "email.com",
    "test.com",
    "site.com",
    "mysite.com",
    "yoursite.com",
    "company.com",
    "localhost",
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("static regex {pattern}: {e}"))
}

/// Placeholders left by e-mail protection scripts, in several languages.
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"\[(?:email protected|البريد الالكتروني محمي|e-mel dilindungi|email mbrojtur)\]|/cdn-cgi/l/email-protection(?:#[0-9a-f]*)?",
    )
});

/// `user[at]site.com`, `user (at) site (dot) com`, `user {at} site.com`.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"[a-z0-9._%+-]+\s*[\[({]\s*at\s*[\])}]\s*[a-z0-9-]+(?:\s*(?:\.|[\[({]\s*dot\s*[\])}])\s*[a-z0-9-]+)+",
    )
});

/// `user at site dot com` (only with at least one spelled-out `dot`).
static SPELLED: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?-u:\b)[a-z0-9._%+-]+ at [a-z0-9-]+(?: dot [a-z0-9-]+)+(?-u:\b)"));

static URL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"));

/// An e-mail label followed by a domain with no `@`.
static LABELLED_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?:e-?mail|(?-u:\b)mail|אימייל|מייל|דוא"?ל|דואר אלקטרוני|البريد الالكتروني|بريد الكتروني|ايميل)\s*[:\-]?\s*(?P<d>[a-z0-9-]+(?:\.[a-z0-9-]+)+)"#,
    )
});

/// Digits with phone separators; validated afterwards.
static PHONE: LazyLock<Regex> = LazyLock::new(|| regex(r"\+?\(?[0-9][0-9 ().-]{5,22}[0-9]"));

static PHONE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(r#"(?:tel|phone|fax|mobile|טל|טלפון|פקס|נייד|هاتف|تلفون|فاكس|جوال)\.?\s*[:\-]?\s*$"#)
});

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?-u:\b)[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}(?-u:\b)|(?-u:\b)[0-9]{4}-[0-9]{2}-[0-9]{2}(?-u:\b)",
    )
});

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Every contact-like candidate in `text`, in order, not overlapping.
pub fn find_contacts(text: &str) -> Vec<Contact> {
    let mut found: Vec<Contact> = Vec::new();
    let email = |range: Range<usize>, problem| Contact {
        range,
        kind: ContactKind::Email,
        problem,
    };
    for m in PROTECTED.find_iter(text) {
        found.push(email(m.range(), Some(HIDDEN)));
    }
    // These two have no literal prefix for the regex engine to skip ahead
    // with; a substring check first keeps them off most texts.
    let bracketed = ["[at]", "(at)", "{at}", "[ at ]", "( at )", "{ at }"]
        .iter()
        .any(|w| text.contains(w));
    let spelled = text.contains(" dot ");
    let obfuscated = bracketed
        .then(|| BRACKETED.find_iter(text))
        .into_iter()
        .flatten();
    let spelled_out = spelled
        .then(|| SPELLED.find_iter(text))
        .into_iter()
        .flatten();
    for m in obfuscated.chain(spelled_out) {
        found.push(email(m.range(), Some(OBFUSCATED)));
    }
    emails(text, &mut found);
    for m in LABELLED_DOMAIN.find_iter(text) {
        // Captures only inside the match: far cheaper than over the text.
        let Some(d) = LABELLED_DOMAIN
            .captures(&text[m.range()])
            .and_then(|c| c.name("d"))
        else {
            continue;
        };
        let d = m.start() + d.start()..m.start() + d.end();
        let next = text.as_bytes().get(d.end).copied();
        if next.is_some_and(|b| b == b'@' || is_local(b)) {
            continue;
        }
        let range = trim_domain(text, d);
        found.push(email(range, Some(BARE_DOMAIN)));
    }
    for m in URL.find_iter(text) {
        let range = trim_url(text, m.range());
        let url = &text[range.clone()];
        let problem = if url.contains("/cdn-cgi/l/email-protection") {
            Some(HIDDEN)
        } else {
            domain_problem(host(url))
        };
        found.push(Contact {
            range,
            kind: ContactKind::Url,
            problem,
        });
    }
    phones(text, &mut found);
    settle(found)
}

/// E-mail-like strings around each `@`, including broken ones.
fn emails(text: &str, found: &mut Vec<Contact>) {
    let b = text.as_bytes();
    let mut consumed = 0;
    for at in memchr::memchr_iter(b'@', b) {
        if at < consumed {
            continue;
        }
        // Local part, possibly separated from the @ by one space.
        let mut spaced = false;
        let mut local_end = at;
        if at > 0 && b[at - 1] == b' ' && at > 1 && is_local(b[at - 2]) {
            spaced = true;
            local_end = at - 1;
        }
        let mut start = local_end;
        while start > 0 && is_local(b[start - 1]) {
            start -= 1;
        }
        if start == local_end {
            continue;
        }
        // Domain part: further @s, one space after the @, one space before a dot.
        let mut ats = 1;
        let mut end = at + 1;
        while end < b.len() && b[end] == b'@' {
            ats += 1;
            end += 1;
        }
        if end + 1 < b.len() && b[end] == b' ' && is_domain(b[end + 1]) {
            spaced = true;
            end += 1;
        }
        loop {
            while end < b.len() && (is_domain(b[end]) || b[end] == b'@') {
                if b[end] == b'@' {
                    ats += 1;
                }
                end += 1;
            }
            if end + 2 < b.len()
                && b[end] == b' '
                && b[end + 1] == b'.'
                && b[end + 2].is_ascii_alphanumeric()
            {
                spaced = true;
                end += 1;
                continue;
            }
            break;
        }
        let range = trim_domain(text, start..end);
        let candidate = &text[range.clone()];
        let domain = candidate
            .rsplit('@')
            .next()
            .unwrap_or_default()
            .replace(' ', "");
        if spaced && !has_tld(&domain) {
            // "us @ynet" or "follow @handle": not an address at all.
            continue;
        }
        consumed = range.end;
        let local = candidate[..candidate.find('@').unwrap_or(0)].trim_end();
        let problem = if ats > 1 {
            Some(TWO_AT)
        } else if spaced {
            Some(SPACE)
        } else if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            Some(BAD_LOCAL)
        } else {
            domain_problem(&domain)
        };
        found.push(Contact {
            range,
            kind: ContactKind::Email,
            problem,
        });
    }
}

/// Phone numbers: a leading `+` or `0`, or separators, and 9–15 digits; or
/// any 7–15 digits right after a phone label.
fn phones(text: &str, found: &mut Vec<Contact>) {
    let b = text.as_bytes();
    for m in PHONE.find_iter(text) {
        let mut range = m.range();
        // Do not start or end inside a longer run of letters or digits.
        if range.start > 0 && b[range.start - 1].is_ascii_alphanumeric() {
            continue;
        }
        while range.end > range.start && !b[range.end - 1].is_ascii_digit() {
            range.end -= 1;
        }
        if b.get(range.end).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let s = &text[range.clone()];
        if s.matches('(').count() != s.matches(')').count() && s.starts_with('(') {
            range.start += 1;
        }
        let s = &text[range.clone()];
        if DATE.is_match(s) || looks_like_years(s) {
            continue;
        }
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        let mut from = range.start.saturating_sub(24);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let labelled = PHONE_LABEL.is_match(&text[from..range.start]);
        let shaped = s.starts_with('+') || s.starts_with('0') || s.contains(['-', ' ', '.', '(']);
        let problem = match digits {
            9..=15 if shaped || labelled => None,
            7..=8 if labelled => Some(SHORT_PHONE),
            _ => continue,
        };
        found.push(Contact {
            range,
            kind: ContactKind::Phone,
            problem,
        });
    }
}

/// "2007 2019" or "1948-1967": groups of four digits that read as years.
fn looks_like_years(s: &str) -> bool {
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() > 1
        && groups.iter().all(|g| {
            g.len() == 4 && (g.starts_with("19") || g.starts_with("20") || g.starts_with('5'))
        })
}

/// Keeps the earliest candidate among overlapping ones, preferring e-mail
/// over URL over phone when they start together.
fn settle(mut found: Vec<Contact>) -> Vec<Contact> {
    let rank = |k: ContactKind| match k {
        ContactKind::Email => 0,
        ContactKind::Url => 1,
        ContactKind::Phone => 2,
    };
    found.sort_by_key(|c| (c.range.start, rank(c.kind), std::cmp::Reverse(c.range.end)));
    let mut out: Vec<Contact> = Vec::with_capacity(found.len());
    for c in found {
        match out.last_mut() {
            Some(last) if c.range.start < last.range.end => {
                // An e-mail inside a URL (mailto:, or a query string) wins.
                if c.kind == ContactKind::Email && last.kind == ContactKind::Url {
                    *last = c;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Drops trailing dots and dashes from an address.
fn trim_domain(text: &str, mut range: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    while range.end > range.start && matches!(b[range.end - 1], b'.' | b'-' | b' ') {
        range.end -= 1;
    }
    range
}

/// Drops trailing punctuation and unbalanced closing brackets from a URL.
fn trim_url(text: &str, mut range: Range<usize>) -> Range<usize> {
    loop {
        let s = &text[range.clone()];
        let Some(last) = s.chars().next_back() else {
            break;
        };
        let unbalanced = |open: char, close: char| {
            last == close && s.matches(open).count() < s.matches(close).count()
        };
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"')
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            range.end -= 1;
        } else {
            break;
        }
    }
    range
}

/// The host of a URL.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    &rest[..end]
}

fn has_tld(domain: &str) -> bool {
    domain
        .rsplit_once('.')
        .is_some_and(|(_, tld)| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Why a domain cannot work, if it cannot.
fn domain_problem(domain: &str) -> Option<&'static str> {
    let domain = domain.trim_end_matches('.');
    if PLACEHOLDER_DOMAINS
        .iter()
        .any(|p| domain == *p || domain.ends_with(&format!(".{p}")))
    {
        return Some(PLACEHOLDER);
    }
    if domain.len() > 253 {
        return Some(BAD_DOMAIN);
    }
    let Some((_, tld)) = domain.rsplit_once('.') else {
        return Some(NO_TLD);
    };
    if domain
        .split('.')
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-') || l.len() > 63)
    {
        return Some(BAD_DOMAIN);
    }
    if tld.bytes().all(|b| b.is_ascii_digit())
        || tld.len() < 2
        || !tld.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Some(BAD_DOMAIN);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, expected candidates as (substring, kind, problem)).
    fn check(text: &str, want: &[(&str, ContactKind, Option<&str>)]) {
        let got: Vec<(&str, ContactKind, Option<&str>)> = find_contacts(text)
            .iter()
            .map(|c| (&text[c.range.clone()], c.kind, c.problem))
            .collect();
        assert_eq!(got, want, "in {text:?}");
    }

    use ContactKind::{Email, Phone, Url};

    #[test]
    fn usable_contacts() {
        check(
            "write to info@ashams.com.",
            &[("info@ashams.com", Email, None)],
        );
        check(
            "على info@ashams.comوالطلب",
            &[("info@ashams.com", Email, None)],
        );
        check(
            "a.b+tag@mail.example-news.org.il, thanks",
            &[("a.b+tag@mail.example-news.org.il", Email, None)],
        );
        check("mailto:info@x.co", &[("info@x.co", Email, None)]);
        check(
            "see https://www.ashams.com/contact.",
            &[("https://www.ashams.com/contact", Url, None)],
        );
        check(
            "(www.ashams.com/contact-us)",
            &[("www.ashams.com/contact-us", Url, None)],
        );
        check("http://site.co.il", &[("http://site.co.il", Url, None)]);
        check("טל: 03-1234567", &[("03-1234567", Phone, None)]);
        check(
            "לפי סעיף 27א לחוק זכות יוצרים. טלפון לפניות: 03-5551234",
            &[("03-5551234", Phone, None)],
        );
        check("هاتف للتواصل: 04-9876543", &[("04-9876543", Phone, None)]);
        check(
            "call +972-3-1234567 now",
            &[("+972-3-1234567", Phone, None)],
        );
        check("+972 52 123 4567", &[("+972 52 123 4567", Phone, None)]);
        check("(02) 1234567", &[("(02) 1234567", Phone, None)]);
        check("1-800-555-0199", &[("1-800-555-0199", Phone, None)]);
    }

    #[test]
    fn broken_contacts() {
        check(
            "info@ashams and more",
            &[("info@ashams", Email, Some(NO_TLD))],
        );
        check(
            "info@@ashams.com",
            &[("info@@ashams.com", Email, Some(TWO_AT))],
        );
        check(
            "info@ashams@com.com",
            &[("info@ashams@com.com", Email, Some(TWO_AT))],
        );
        check(
            "info @ashams.com",
            &[("info @ashams.com", Email, Some(SPACE))],
        );
        check(
            "info@ ashams.com",
            &[("info@ ashams.com", Email, Some(SPACE))],
        );
        check(
            "info@ashams .com",
            &[("info@ashams .com", Email, Some(SPACE))],
        );
        check(
            "rights@example.com",
            &[("rights@example.com", Email, Some(PLACEHOLDER))],
        );
        check(
            "your-email@yourdomain.com",
            &[("your-email@yourdomain.com", Email, Some(PLACEHOLDER))],
        );
        check(
            "https://example.com/x",
            &[("https://example.com/x", Url, Some(PLACEHOLDER))],
        );
        check(
            "https://ashams/contact",
            &[("https://ashams/contact", Url, Some(NO_TLD))],
        );
        check(
            "info[at]ashams.com",
            &[("info[at]ashams.com", Email, Some(OBFUSCATED))],
        );
        check(
            "info (at) ashams (dot) com",
            &[("info (at) ashams (dot) com", Email, Some(OBFUSCATED))],
        );
        check(
            "info {at} ashams.com",
            &[("info {at} ashams.com", Email, Some(OBFUSCATED))],
        );
        check(
            "info at ashams dot com",
            &[("info at ashams dot com", Email, Some(OBFUSCATED))],
        );
        check(
            "contact: [email protected]",
            &[("[email protected]", Email, Some(HIDDEN))],
        );
        check(
            "[البريد الالكتروني محمي]",
            &[("[البريد الالكتروني محمي]", Email, Some(HIDDEN))],
        );
        check(
            "[e-mel dilindungi]",
            &[("[e-mel dilindungi]", Email, Some(HIDDEN))],
        );
        check(
            "/cdn-cgi/l/email-protection#a1b2",
            &[("/cdn-cgi/l/email-protection#a1b2", Email, Some(HIDDEN))],
        );
        check(
            "info@ashams..com",
            &[("info@ashams..com", Email, Some(BAD_DOMAIN))],
        );
        check(
            "info@-ashams.com",
            &[("info@-ashams.com", Email, Some(BAD_DOMAIN))],
        );
        check(
            "info@ashams.123",
            &[("info@ashams.123", Email, Some(BAD_DOMAIN))],
        );
        check(
            "email: zenomix.de",
            &[("zenomix.de", Email, Some(BARE_DOMAIN))],
        );
        check(
            "דוא\"ל: site.co.il",
            &[("site.co.il", Email, Some(BARE_DOMAIN))],
        );
        check(
            "البريد الالكتروني: site.com",
            &[("site.com", Email, Some(BARE_DOMAIN))],
        );
        check("tel: 1234567", &[("1234567", Phone, Some(SHORT_PHONE))]);
    }

    #[test]
    fn not_contacts() {
        check("us @ynet and follow @handle", &[]);
        check(
            "in 2007, 2019 and 5768-2007; 27א; on 25.5.2008 and 2008-05-25",
            &[],
        );
        check("price 1234567 shekels", &[]);
        check("2007 2019", &[]);
        check("", &[]);
        check("نص عربي فقط بدون عناوين", &[]);
        check("ashams.com alone is not a contact", &[]);
    }

    #[test]
    fn real_notices() {
        check(
            "فيمكنك التواصل معنا عبر البريد الالكتروني على العنوان التالي: info@ashams.com والطلب بالتوقف عن استخدام المواد",
            &[("info@ashams.com", Email, None)],
        );
        check(
            "לפניות בנושא זכויות יוצרים: copyright@news.co.il או בטלפון 03-5551234",
            &[
                ("copyright@news.co.il", Email, None),
                ("03-5551234", Phone, None),
            ],
        );
    }

    #[test]
    fn ranges_are_sane_on_generated_text() {
        let parts = [
            "info",
            "@",
            "@@",
            " ",
            ".",
            "com",
            "co.il",
            "[at]",
            " at ",
            " dot ",
            "https://",
            "www.",
            "x",
            "-",
            "0",
            "3",
            "+972",
            "(",
            ")",
            "שלום",
            "مرحبا",
            "ع",
            "\n",
            "email: ",
            "טל: ",
            "טלפון לפניות: ",
            "0312345",
            "04-98",
            "[email protected]",
            "/",
            "%",
            "27א",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5000 {
            let mut s = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let found = find_contacts(&s);
            let mut last = 0;
            for c in &found {
                assert!(
                    c.range.start >= last && c.range.start < c.range.end && c.range.end <= s.len(),
                    "{s:?}: {found:?}"
                );
                assert!(
                    s.is_char_boundary(c.range.start) && s.is_char_boundary(c.range.end),
                    "{s:?}"
                );
                last = c.range.end;
            }
            seed = seed.wrapping_add(1);
        }
    }
}
