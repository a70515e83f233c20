//! Plain text: the whole file is the body; its first line is the title and
//! its last paragraphs the footer.

use super::{Region, Segment, first_line, footer};
use crate::normalize::Gap;

pub(super) fn regions(source: &str) -> Vec<Region> {
    let all = 0..source.len();
    let mut regions = vec![Region::new(
        "body",
        vec![Segment::exact(all.clone(), Gap::None)],
    )];
    regions.extend(first_line(source, all.clone()));
    regions.push(footer(source, all, &[]));
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_footer() {
        let text = "\u{feff}Headline here\n\nFirst paragraph.\n\nSecond.\n\nThird.\n\nFourth\nstill fourth.\n";
        let regions = regions(text);
        let title = regions.iter().find(|r| r.name == "title").unwrap();
        assert_eq!(
            &text[title.segments[0].src.clone()],
            "\u{feff}Headline here"
        );
        let footer = regions.iter().find(|r| r.name == "footer").unwrap();
        let parts: Vec<&str> = footer
            .segments
            .iter()
            .map(|s| &text[s.src.clone()])
            .collect();
        assert_eq!(parts, ["Second.", "Third.", "Fourth\nstill fourth."]);
    }
}
