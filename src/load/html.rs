//! TEMPORARY scaffold, replaced by the real HTML extractor.
use super::{Region, Segment};
use crate::normalize::Gap;
pub(super) fn regions(source: &str) -> (Vec<Region>, Vec<(String, std::ops::Range<usize>)>) {
    (
        vec![Region::new(
            "body",
            vec![Segment::exact(0..source.len(), Gap::None)],
        )],
        Vec::new(),
    )
}
pub(crate) fn declared_charset(_head: &[u8]) -> Option<String> {
    None
}
