//! Conversion between byte offsets and line/column positions.
//!
//! Lines are separated by `\n`, `\r\n` or a lone `\r` (as in YAML and in the Language Server
//! Protocol). Columns come in three units: bytes (what the core uses), characters (what
//! humans and the `json` output read) and UTF-16 code units (what LSP clients use by default).

use crate::{TextRange, TextSize};

/// A 0-based line and a 0-based byte column within that line.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start offset of every line of a text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LineIndex {
    line_starts: Vec<TextSize>,
    len: TextSize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time past those without a line break: most of them (this
            // runs on the whole text after every keystroke in the editor).
            if let Some(word) = bytes.get(i..i + 8)
                && let Ok(word) = <[u8; 8]>::try_from(word)
                && !has_line_break(u64::from_le_bytes(word))
            {
                i += 8;
                continue;
            }
            match bytes[i] {
                b'\n' => line_starts.push(to_size(i + 1)),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(to_size(i + 1)),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            line_starts,
            len: to_size(text.len()),
        }
    }

    /// How many lines the text has (an empty text has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line and byte column of `offset`. Offsets past the end are clamped to the end.
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        LineCol {
            line: line as u32,
            col: offset - self.line_starts[line],
        }
    }

    /// The byte offset of a line and byte column, if the line exists. The column is clamped
    /// to the line's end (its line break excluded).
    pub fn offset(&self, line_col: LineCol, text: &str) -> Option<TextSize> {
        let range = self.line_range(line_col.line, text)?;
        Some((range.start() + line_col.col).min(range.end()))
    }

    /// The range of line `line`, without its line break.
    pub fn line_range(&self, line: u32, text: &str) -> Option<TextRange> {
        let start = *self.line_starts.get(line as usize)?;
        let next = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let mut end = next;
        let bytes = text.as_bytes();
        if end > start && bytes.get(end as usize - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(TextRange::new(start, end))
    }

    /// The 0-based column of `offset` counted in characters.
    pub fn char_col(&self, offset: TextSize, text: &str) -> u32 {
        let lc = self.line_col(offset);
        let start = self.line_starts[lc.line as usize] as usize;
        let end = floor_char_boundary(text, start + lc.col as usize);
        text.get(start..end).map_or(0, |s| s.chars().count() as u32)
    }

    /// The 0-based column of `offset` counted in UTF-16 code units.
    pub fn utf16_col(&self, offset: TextSize, text: &str) -> u32 {
        let lc = self.line_col(offset);
        let start = self.line_starts[lc.line as usize] as usize;
        let end = floor_char_boundary(text, start + lc.col as usize);
        text.get(start..end)
            .map_or(0, |s| s.encode_utf16().count() as u32)
    }

    /// The byte offset of a line and a column counted in UTF-16 code units. A column past
    /// the end of the line is clamped to it; a line past the end of the text gives the end.
    pub fn offset_utf16(&self, line: u32, utf16_col: u32, text: &str) -> TextSize {
        let Some(range) = self.line_range(line, text) else {
            return self.len;
        };
        let line_text = &text[range.as_usize()];
        let mut units = 0;
        for (byte, ch) in line_text.char_indices() {
            if units >= utf16_col {
                return range.start() + byte as TextSize;
            }
            units += ch.len_utf16() as u32;
        }
        range.end()
    }
}

fn to_size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Whether one of the eight bytes of `word` is `\n` or `\r` (the classic test for a zero
/// byte, on the word xor-ed with each).
fn has_line_break(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    zero_byte(word ^ (ONES * u64::from(b'\n'))) || zero_byte(word ^ (ONES * u64::from(b'\r')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé\r\nf\rg";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(0), LineCol { line: 0, col: 0 });
        assert_eq!(index.line_col(4), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(9), LineCol { line: 2, col: 0 });
        assert_eq!(index.line_col(11), LineCol { line: 3, col: 0 });
        assert_eq!(index.line_col(99), LineCol { line: 3, col: 1 });
        assert_eq!(index.line_range(1, text), Some(TextRange::new(3, 7)));
        assert_eq!(index.line_range(9, text), None);
    }

    #[test]
    fn char_and_utf16_columns() {
        let text = "x: é😀y";
        let index = LineIndex::new(text);
        let y = text.find('y').unwrap() as u32;
        assert_eq!(index.char_col(y, text), 5);
        assert_eq!(index.utf16_col(y, text), 6);
        assert_eq!(index.offset_utf16(0, 6, text), y);
        assert_eq!(index.offset_utf16(0, 60, text), text.len() as u32);
        assert_eq!(index.offset_utf16(7, 0, text), text.len() as u32);
    }

    #[test]
    fn offset_round_trip() {
        let text = "a\nbcd\n";
        let index = LineIndex::new(text);
        for offset in 0..text.len() as u32 {
            assert_eq!(index.offset(index.line_col(offset), text), Some(offset));
        }
    }

    /// The word-at-a-time scan finds the same line starts as a byte-at-a-time one, on texts
    /// made of line breaks, multi-byte characters and plain bytes in every arrangement.
    #[test]
    fn line_starts_match_a_byte_by_byte_scan() {
        let naive = |text: &str| {
            let bytes = text.as_bytes();
            let mut starts = vec![0];
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    starts.push(to_size(i + 1));
                }
            }
            starts
        };
        let pieces = ["a", "\n", "\r", "\r\n", "é", "😀", "bcdefgh", " "];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_eq!(LineIndex::new(&text).line_starts, naive(&text), "{text:?}");
        }
    }
}
