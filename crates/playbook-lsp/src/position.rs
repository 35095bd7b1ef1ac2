//! Conversion between the core's byte offsets and LSP positions (a 0-based line and a column
//! counted in the negotiated position encoding), and the application of incremental edits.
//!
//! Every function here is total: a position past the end of its line is clamped to the line's
//! end (its line break excluded), a position past the last line is clamped to the end of the
//! text, a UTF-16 column that falls inside a surrogate pair moves to the end of that character,
//! and a UTF-8 column inside a multi-byte character moves to its start. Nothing panics on a
//! client's bad position.

use playbook_diagnostics::{LineIndex, TextRange, TextSize};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The unit in which LSP columns are counted, negotiated at `initialize`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default, which every client supports.
    #[default]
    Utf16,
    /// UTF-8 code units (bytes), used when the client offers `utf-8` in
    /// `general.positionEncodings`.
    Utf8,
}

impl Encoding {
    /// The encoding to use given the client's `general.positionEncodings`: UTF-8 if offered
    /// (it is what the core uses, so conversions are cheapest), UTF-16 otherwise.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offers_utf8 = offered
            .unwrap_or_default()
            .iter()
            .any(|kind| kind.as_str() == PositionEncodingKind::UTF8.as_str());
        if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The protocol's name of this encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// The byte offset of an LSP position in `text` (whose line index is `index`). Clamped as
/// described in the module documentation; always a character boundary of `text`.
pub fn offset(text: &str, index: &LineIndex, position: Position, encoding: Encoding) -> TextSize {
    match encoding {
        Encoding::Utf16 => index.offset_utf16(position.line, position.character, text),
        Encoding::Utf8 => {
            let Some(line) = index.line_range(position.line, text) else {
                return text_len(text);
            };
            let wanted = line
                .start()
                .saturating_add(position.character.min(line.len()));
            floor_char_boundary(text, wanted)
        }
    }
}

/// The LSP position of a byte offset in `text`. An offset past the end is clamped to the end;
/// an offset inside a character counts as the start of that character.
pub fn position(text: &str, index: &LineIndex, offset: TextSize, encoding: Encoding) -> Position {
    let line_col = index.line_col(offset);
    let character = match encoding {
        Encoding::Utf16 => index.utf16_col(offset, text),
        Encoding::Utf8 => {
            let offset = floor_char_boundary(text, offset);
            index.line_col(offset).col
        }
    };
    Position {
        line: line_col.line,
        character,
    }
}

/// The LSP range of a byte range in `text`.
pub fn range(text: &str, index: &LineIndex, range: TextRange, encoding: Encoding) -> Range {
    Range {
        start: position(text, index, range.start(), encoding),
        end: position(text, index, range.end(), encoding),
    }
}

/// The byte range of an LSP range in `text`. An inverted range is put back in order.
pub fn text_range(text: &str, index: &LineIndex, range: Range, encoding: Encoding) -> TextRange {
    TextRange::new(
        offset(text, index, range.start, encoding),
        offset(text, index, range.end, encoding),
    )
}

/// Applies one `textDocument/didChange` content change to `text`: replaces the whole text if
/// `range` is `None`, otherwise replaces `range`, resolved against `text` as it is now (that
/// is, after the previous change of the same notification), with `new_text`.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str, encoding: Encoding) {
    match range {
        Some(range) => {
            let index = LineIndex::new(text);
            apply_change_indexed(text, &index, range, new_text, encoding);
        }
        None => new_text.clone_into(text),
    }
}

/// Replaces `range` of `text` with `new_text`, given the line index of `text` as it is now
/// (the database keeps each file's).
pub fn apply_change_indexed(
    text: &mut String,
    index: &LineIndex,
    range: Range,
    new_text: &str,
    encoding: Encoding,
) {
    let target = text_range(text, index, range, encoding).as_usize();
    // `offset` only returns character boundaries; checked again so that a mistake here can
    // never turn into a panic in `replace_range`.
    if target.end <= text.len()
        && text.is_char_boundary(target.start)
        && text.is_char_boundary(target.end)
    {
        text.replace_range(target, new_text);
    }
}

fn text_len(text: &str) -> TextSize {
    TextSize::try_from(text.len()).unwrap_or(TextSize::MAX)
}

/// The largest character boundary of `text` at or before `offset` (clamped to the end).
fn floor_char_boundary(text: &str, offset: TextSize) -> TextSize {
    let mut index = (offset as usize).min(text.len());
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    TextSize::try_from(index).unwrap_or(TextSize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    fn to_offset(text: &str, line: u32, character: u32, encoding: Encoding) -> TextSize {
        offset(text, &LineIndex::new(text), pos(line, character), encoding)
    }

    fn to_position(text: &str, offset: TextSize, encoding: Encoding) -> (u32, u32) {
        let p = position(text, &LineIndex::new(text), offset, encoding);
        (p.line, p.character)
    }

    fn edited(text: &str, range: Option<((u32, u32), (u32, u32))>, new_text: &str) -> String {
        let mut text = text.to_owned();
        let range = range.map(|(start, end)| Range {
            start: pos(start.0, start.1),
            end: pos(end.0, end.1),
        });
        apply_change(&mut text, range, new_text, Encoding::Utf16);
        text
    }

    #[test]
    fn utf16_columns_of_multi_byte_characters() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let text = "aé😀b";
        let b = text.find('b').unwrap() as u32;
        assert_eq!(to_position(text, b, Encoding::Utf16), (0, 4));
        assert_eq!(to_offset(text, 0, 4, Encoding::Utf16), b);
        assert_eq!(to_offset(text, 0, 2, Encoding::Utf16), 3); // before `😀`
        // Inside the surrogate pair of `😀`: moves to the end of the character.
        assert_eq!(to_offset(text, 0, 3, Encoding::Utf16), b);
        // An offset inside `é` counts as its start.
        assert_eq!(to_position(text, 2, Encoding::Utf16), (0, 1));
    }

    #[test]
    fn utf8_columns_are_bytes() {
        let text = "aé😀b\nx";
        let b = text.find('b').unwrap() as u32;
        assert_eq!(to_position(text, b, Encoding::Utf8), (0, 7));
        assert_eq!(to_offset(text, 0, 7, Encoding::Utf8), b);
        // Inside `😀` (bytes 3..7): moves back to its start.
        assert_eq!(to_offset(text, 0, 5, Encoding::Utf8), 3);
        assert_eq!(to_position(text, 5, Encoding::Utf8), (0, 3));
        assert_eq!(to_offset(text, 1, 1, Encoding::Utf8), text.len() as u32);
    }

    #[test]
    fn round_trip_on_every_character_boundary() {
        let text = "k: é😀\r\n\r\n  - \"x\"\rlast 😀";
        let index = LineIndex::new(text);
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            for (offset_usize, _) in text.char_indices() {
                let offset_u32 = offset_usize as u32;
                let p = position(text, &index, offset_u32, encoding);
                // A `\n` after `\r` is part of the line break, which positions cannot address.
                if text[..offset_usize].ends_with('\r') && text[offset_usize..].starts_with('\n') {
                    continue;
                }
                assert_eq!(
                    offset(text, &index, p, encoding),
                    offset_u32,
                    "{encoding:?} {p:?}"
                );
            }
        }
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "ab\r\ncd\ref";
        assert_eq!(to_position(text, 4, Encoding::Utf16), (1, 0));
        assert_eq!(to_position(text, 7, Encoding::Utf16), (2, 0));
        assert_eq!(to_offset(text, 1, 1, Encoding::Utf16), 5);
        assert_eq!(to_offset(text, 2, 2, Encoding::Utf16), 9);
    }

    #[test]
    fn positions_past_the_line_end_clamp_to_it() {
        let text = "ab\r\ncd\n";
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            // Never inside the line break.
            assert_eq!(to_offset(text, 0, 3, encoding), 2);
            assert_eq!(to_offset(text, 0, u32::MAX, encoding), 2);
            assert_eq!(to_offset(text, 1, 99, encoding), 6);
        }
    }

    #[test]
    fn positions_past_the_last_line_clamp_to_the_end() {
        let text = "ab\ncd";
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            assert_eq!(to_offset(text, 2, 0, encoding), 5);
            assert_eq!(to_offset(text, u32::MAX, u32::MAX, encoding), 5);
            assert_eq!(to_position(text, 99, encoding), (1, 2));
        }
        assert_eq!(to_offset("", 0, 5, Encoding::Utf16), 0);
        assert_eq!(to_position("", 3, Encoding::Utf8), (0, 0));
    }

    #[test]
    fn byte_ranges_convert_both_ends() {
        let text = "é\n😀x";
        let index = LineIndex::new(text);
        let r = range(text, &index, TextRange::new(0, 7), Encoding::Utf16);
        assert_eq!((r.start, r.end), (pos(0, 0), pos(1, 2)));
        let back = text_range(text, &index, r, Encoding::Utf16);
        assert_eq!(back, TextRange::new(0, 7));
        let inverted = Range {
            start: pos(1, 2),
            end: pos(0, 0),
        };
        assert_eq!(text_range(text, &index, inverted, Encoding::Utf16), back);
    }

    #[test]
    fn changes_apply_to_the_current_text() {
        assert_eq!(edited("abc", None, "xyz"), "xyz");
        assert_eq!(edited("abc", Some(((0, 1), (0, 2))), "é"), "aéc");
        assert_eq!(edited("a😀b", Some(((0, 1), (0, 3))), ""), "ab");
        assert_eq!(edited("ab\ncd", Some(((0, 2), (1, 0))), ""), "abcd");
        assert_eq!(edited("ab\r\ncd", Some(((0, 1), (1, 1))), "\n"), "a\nd");
        // Out of range: clamped, never a panic.
        assert_eq!(edited("ab", Some(((7, 7), (9, 9))), "!"), "ab!");
        assert_eq!(edited("ab", Some(((0, 9), (0, 1))), "-"), "a-");
    }

    #[test]
    fn encoding_negotiation_prefers_utf8_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        let offered = [PositionEncodingKind::UTF32, PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf16);
    }
}
