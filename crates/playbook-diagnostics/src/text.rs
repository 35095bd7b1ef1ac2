//! Byte offsets and byte ranges into a file's text.

use std::fmt;
use std::ops::Range;

/// A byte offset into a text. Files larger than 4 GiB are refused at the edges.
pub type TextSize = u32;

/// A half-open range of byte offsets `start..end` into a text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    start: TextSize,
    end: TextSize,
}

impl TextRange {
    /// The range `start..end`. If `end < start` the two are swapped, so that a range is
    /// never inverted.
    pub const fn new(start: TextSize, end: TextSize) -> TextRange {
        if end < start {
            TextRange {
                start: end,
                end: start,
            }
        } else {
            TextRange { start, end }
        }
    }

    /// The empty range at `offset`.
    pub const fn empty(offset: TextSize) -> TextRange {
        TextRange {
            start: offset,
            end: offset,
        }
    }

    /// The range of `len` bytes starting at `start`.
    pub const fn at(start: TextSize, len: TextSize) -> TextRange {
        TextRange::new(start, start.saturating_add(len))
    }

    pub const fn start(self) -> TextSize {
        self.start
    }

    pub const fn end(self) -> TextSize {
        self.end
    }

    pub const fn len(self) -> TextSize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies in `start..end` (the end excluded).
    pub const fn contains(self, offset: TextSize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether `offset` lies in `start..=end` (the end included): what an editor cursor
    /// "touching" a range means.
    pub const fn contains_inclusive(self, offset: TextSize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest range that covers both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The common part of both ranges, if they overlap or touch.
    pub fn intersect(self, other: TextRange) -> Option<TextRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start <= end).then_some(TextRange { start, end })
    }

    /// This range moved right by `offset` bytes.
    pub const fn shift(self, offset: TextSize) -> TextRange {
        TextRange::new(
            self.start.saturating_add(offset),
            self.end.saturating_add(offset),
        )
    }

    /// The range as `usize` bounds, for slicing a `str`.
    pub const fn as_usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<TextRange> for Range<usize> {
    fn from(range: TextRange) -> Range<usize> {
        range.as_usize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_never_inverts() {
        let range = TextRange::new(5, 2);
        assert_eq!((range.start(), range.end()), (2, 5));
    }

    #[test]
    fn cover_and_intersect() {
        let a = TextRange::new(1, 4);
        let b = TextRange::new(3, 9);
        assert_eq!(a.cover(b), TextRange::new(1, 9));
        assert_eq!(a.intersect(b), Some(TextRange::new(3, 4)));
        assert_eq!(a.intersect(TextRange::new(6, 7)), None);
    }

    #[test]
    fn containment() {
        let r = TextRange::new(2, 4);
        assert!(r.contains(2) && r.contains(3) && !r.contains(4));
        assert!(r.contains_inclusive(4));
        assert!(r.contains_range(TextRange::new(2, 3)));
        assert!(!r.contains_range(TextRange::new(1, 3)));
    }
}
