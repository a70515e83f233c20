//! Writes a synthetic newsroom archive for benchmarks: mixed Arabic, Hebrew
//! and English articles as text, Markdown and HTML, some with a correct
//! section 27A notice, some with a broken one, some with none. The output
//! depends only on the arguments (a seeded generator), so two runs with the
//! same seed write the same bytes.
//!
//! ```console
//! cargo run --release --example corpus -- OUT_DIR [FILES] [SEED]
//! ```
//! FILES defaults to 1000 and SEED to 1; each article is about 5 KB.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Language {
    words: &'static [&'static str],
    titles: &'static [&'static str],
    good: &'static [&'static str],
    broken: &'static [&'static str],
    promo: &'static [&'static str],
}

const ARABIC: Language = Language {
    words: &[
        "المجلس",
        "البلدي",
        "أعلن",
        "اليوم",
        "عن",
        "افتتاح",
        "مدرسة",
        "جديدة",
        "في",
        "الحي",
        "الشمالي",
        "بمشاركة",
        "الأهالي",
        "وقال",
        "رئيس",
        "إن",
        "المشروع",
        "سيخدم",
        "آلاف",
        "الطلاب",
        "خلال",
        "العام",
        "المقبل",
        "وأضاف",
        "أن",
        "الميزانية",
        "بلغت",
        "ملايين",
        "الشواقل",
        "وشهد",
        "الحفل",
        "عروضًا",
        "فنية",
        "للفرق",
        "المحلية",
        "الطقس",
        "ماطر",
        "والرياح",
        "قوية",
        "المباراة",
        "انتهت",
        "بالتعادل",
        "الجمهور",
    ],
    titles: &[
        "افتتاح مدرسة جديدة في الحي الشمالي",
        "المجلس يقر الميزانية",
        "تعادل في مباراة الديربي",
    ],
    good: &[
        "يتم استخدام المواد وفقًا للمادة 27 أ من قانون حقوق التأليف والنشر 2007، وللطلب بالتوقف عن استخدامها راسلونا على copyright@alnas-news.net",
        "وفقا للمادة ٢٧ أ من قانون حقوق التأليف والنشر ٢٠٠٧، للتواصل: \u{200f}info@kafr-news.co.il\u{200f}",
    ],
    broken: &[
        "يتم استخدام المواد وفقًا للمادة 27 من قانون حقوق التأليف والنشر 2007، للتواصل: info@alnas-news.net",
        "وفقًا للمادة 27 أ من قانون حقوق التأليف والنشر 2008، للتواصل: info@alnas-news",
    ],
    promo: &[
        "طالع أيضا: أخبار أخرى من المنطقة",
        "احصل على تطبيقنا وكن على إطلاع دائم",
    ],
};

const HEBREW: Language = Language {
    words: &[
        "העירייה",
        "הודיעה",
        "היום",
        "על",
        "פתיחת",
        "בית",
        "ספר",
        "חדש",
        "בשכונה",
        "הצפונית",
        "בהשתתפות",
        "התושבים",
        "ראש",
        "העיר",
        "אמר",
        "כי",
        "הפרויקט",
        "ישרת",
        "אלפי",
        "תלמידים",
        "בשנה",
        "הבאה",
        "התקציב",
        "הגיע",
        "מיליוני",
        "שקלים",
        "בטקס",
        "הופיעו",
        "להקות",
        "מקומיות",
        "מזג",
        "האוויר",
        "גשום",
        "המשחק",
        "הסתיים",
        "בתיקו",
        "הקהל",
    ],
    titles: &[
        "בית ספר חדש נפתח בשכונה",
        "מועצת העיר אישרה את התקציב",
        "תיקו בדרבי",
    ],
    good: &[
        "השימוש נעשה לפי סעיף 27א לחוק זכות יוצרים, התשס״ח-2007. בעל הזכויות רשאי לבקש את הסרת התוכן: copyright@galil-news.co.il",
        "התמונות מובאות לפי סעיף 27 א' לחוק זכויות יוצרים. לפניות: https://galil-news.co.il/contact",
    ],
    broken: &[
        "השימוש נעשה לפי סעיף 27(א) לחוק זכות יוצרים, התשס״ח-2007. לפניות: copyright@galil-news.co.il",
        "השימוש נעשה לפי סעיף 27א לחוק זכות יוצרים, תשע״ט 2019. לפניות: [email protected]",
    ],
    promo: &["קראו עוד: חדשות נוספות מהאזור", "הורידו את האפליקציה שלנו"],
};

const ENGLISH: Language = Language {
    words: &[
        "the",
        "council",
        "announced",
        "today",
        "that",
        "a",
        "new",
        "school",
        "will",
        "open",
        "in",
        "the",
        "northern",
        "district",
        "residents",
        "attended",
        "mayor",
        "said",
        "project",
        "serve",
        "thousands",
        "of",
        "students",
        "next",
        "year",
        "budget",
        "reached",
        "millions",
        "shekels",
        "ceremony",
        "local",
        "bands",
        "weather",
        "rainy",
        "match",
        "ended",
        "draw",
        "crowd",
    ],
    titles: &[
        "New school opens in the north",
        "Council approves the budget",
        "Derby ends in a draw",
    ],
    good: &[
        "Images are used under Section 27A of the Copyright Act, 2007. Owners may ask us to stop: rights@citynews.co.il",
        "Used under s. 27A of the Israeli Copyright Law, 5768-2007. Contact: +972-3-5551234",
    ],
    broken: &[
        "Images are used under Section 27(a) of the Copyright Act, 2007. Contact: rights@citynews.co.il",
        "Images are used under Section 27A of the Copyright Act, 2007. Contact: rights@example.com",
    ],
    promo: &[
        "Read more: other stories from the region",
        "Download on the App Store Get it on Google Play",
    ],
};

fn paragraph(rng: &mut Rng, lang: &Language) -> String {
    let mut p = String::new();
    for s in 0..(3 + rng.below(4)) {
        if s > 0 {
            p.push(' ');
        }
        for w in 0..(8 + rng.below(10)) {
            if w > 0 {
                p.push(' ');
            }
            p.push_str(rng.pick(lang.words));
        }
        p.push('.');
    }
    p
}

/// One article: (title, paragraphs, footer lines).
fn article(rng: &mut Rng, lang: &Language) -> (String, Vec<String>, Vec<String>) {
    let title = rng.pick(lang.titles).to_string();
    let mut paras = Vec::new();
    let mut size = 0;
    while size < 4500 {
        let p = paragraph(rng, lang);
        size += p.len();
        paras.push(p);
    }
    let mut footer = Vec::new();
    if rng.below(4) == 0 {
        footer.push(rng.pick(lang.promo).to_string());
    }
    match rng.below(10) {
        0..=5 => footer.push(rng.pick(lang.good).to_string()),
        6..=7 => footer.push(rng.pick(lang.broken).to_string()),
        _ => {}
    }
    (title, paras, footer)
}

fn render(kind: usize, title: &str, paras: &[String], footer: &[String]) -> (String, &'static str) {
    let mut out = String::new();
    match kind {
        0 => {
            out.push_str(title);
            out.push_str("\n\n");
            for p in paras.iter().chain(footer) {
                out.push_str(p);
                out.push_str("\n\n");
            }
            (out, "txt")
        }
        1 => {
            let _ = writeln!(
                out,
                "---\ntitle: \"{title}\"\nauthor: desk\n---\n\n# {title}\n"
            );
            for p in paras.iter().chain(footer) {
                out.push_str(p);
                out.push_str("\n\n");
            }
            (out, "md")
        }
        _ => {
            let _ = writeln!(
                out,
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
                 <script>window.dataLayer=[];</script></head><body><nav><a href=\"/\">home</a></nav><article><h1>{title}</h1>"
            );
            for p in paras {
                let _ = writeln!(out, "<p>{p}</p>");
            }
            out.push_str("</article><footer>");
            for f in footer {
                let _ = write!(out, "<p>{f}</p>");
            }
            out.push_str("</footer></body></html>\n");
            (out, "html")
        }
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    // `--jsonl`: the same articles as one JSON-lines dump, one record per
    // article (`text` for text and Markdown, `html` for pages).
    let dump = args.next_if(|a| a == "--jsonl").is_some();
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: corpus [--jsonl] OUT_DIR|OUT.jsonl [FILES] [SEED]");
        std::process::exit(2);
    };
    let files: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut bytes = 0usize;
    let mut records = Vec::new();
    for i in 0..files {
        let lang = match rng.below(3) {
            0 => &ARABIC,
            1 => &HEBREW,
            _ => &ENGLISH,
        };
        let (title, paras, footer) = article(&mut rng, lang);
        let (text, ext) = render(rng.below(3), &title, &paras, &footer);
        if dump {
            let field = if ext == "html" { "html" } else { "text" };
            let id = format!("{:03}/{i:06}.{ext}", i / 1000);
            let record = serde_json::json!({ "id": id, field: text });
            records.extend_from_slice(record.to_string().as_bytes());
            records.push(b'\n');
            bytes += text.len();
            continue;
        }
        let dir = out.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&dir)?;
        write(&dir.join(format!("{i:06}.{ext}")), text.as_bytes())?;
        bytes += text.len();
    }
    if dump {
        write(&out, &records)?;
    }
    println!("{files} articles, {bytes} bytes in {}", out.display());
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::File::create(path)?.write_all(bytes)
}
