//! TEMPORARY scaffold, replaced by the real fold.
use std::ops::Range;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    None,
    Space,
    Paragraph,
}
pub struct Piece<'a> {
    pub text: &'a str,
    pub src: Range<usize>,
    pub exact: bool,
    pub gap: Gap,
}
#[derive(Debug)]
pub struct Folded {
    text: String,
    map: Vec<usize>,
    ends: Vec<usize>,
}
impl Folded {
    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    pub fn to_source(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= self.map.len() {
            let e = self.ends.last().copied().unwrap_or(0);
            return e..e;
        }
        let s = self.map[r.start];
        let e = if r.end == 0 { s } else { self.ends[r.end - 1] };
        s..e.max(s)
    }
}
pub fn fold_pieces<'a>(pieces: impl IntoIterator<Item = Piece<'a>>) -> Folded {
    let mut text = String::new();
    let mut map = Vec::new();
    let mut ends = Vec::new();
    for p in pieces {
        if !text.is_empty() && p.gap != Gap::None {
            text.push(' ');
            map.push(p.src.start);
            ends.push(p.src.start);
        }
        for (i, c) in p.text.char_indices() {
            let (s, e) = if p.exact {
                (p.src.start + i, p.src.start + i + c.len_utf8())
            } else {
                (p.src.start, p.src.end)
            };
            for l in c.to_lowercase() {
                let mut b = [0; 4];
                for _ in 0..l.encode_utf8(&mut b).len() {
                    map.push(s);
                    ends.push(e);
                }
                text.push(l);
            }
        }
    }
    Folded { text, map, ends }
}
pub fn fold(s: &str) -> Folded {
    fold_pieces([Piece {
        text: s,
        src: 0..s.len(),
        exact: true,
        gap: Gap::None,
    }])
}
pub fn fold_str(s: &str) -> String {
    s.to_lowercase()
}
