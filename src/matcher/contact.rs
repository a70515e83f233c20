//! TEMPORARY scaffold, replaced by the real contact finder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Email,
    Url,
    Phone,
}
impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Url => "url",
            Self::Phone => "phone",
        }
    }
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub range: std::ops::Range<usize>,
    pub kind: ContactKind,
    pub problem: Option<&'static str>,
}
pub fn find_contacts(text: &str) -> Vec<Contact> {
    let re = regex::Regex::new(r"[a-z0-9._-]+@+[a-z0-9.-]+").unwrap();
    re.find_iter(text)
        .map(|m| Contact {
            range: m.range(),
            kind: ContactKind::Email,
            problem: (!m.as_str().contains('.') || m.as_str().contains("@@")).then_some("bad"),
        })
        .collect()
}
