//! Byte-level helpers of the parser: character classes and bounded one-line lookaheads.
//!
//! Everything here works on the input's bytes. Every position a helper returns is either at
//! an ASCII byte or at the end of the text, so tokens always end on char boundaries.

/// The byte at `i`, or 0 past the end.
#[inline]
pub(super) fn byte(src: &[u8], i: usize) -> u8 {
    src.get(i).copied().unwrap_or(0)
}

#[inline]
pub(super) fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

#[inline]
pub(super) fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Whether the byte at `i` is whitespace, a line break or the end of the text.
#[inline]
pub(super) fn blank_or_end(src: &[u8], i: usize) -> bool {
    let b = byte(src, i);
    i >= src.len() || is_ws(b) || is_break(b)
}

#[inline]
pub(super) fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// The length in bytes of the UTF-8 character starting with byte `b` (1 for a stray
/// continuation byte, which cannot occur in a `str`).
#[inline]
pub(super) fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The length of the line break at `i` (2 for `\r\n`), 0 if there is none.
#[inline]
pub(super) fn break_len(src: &[u8], i: usize) -> usize {
    match byte(src, i) {
        b'\n' => 1,
        b'\r' if byte(src, i + 1) == b'\n' => 2,
        b'\r' => 1,
        _ => 0,
    }
}

/// The end of the line containing `i` (the position of its line break, or the text's end).
pub(super) fn line_end(src: &[u8], mut i: usize) -> usize {
    while i < src.len() && !is_break(src[i]) {
        i += 1;
    }
    i
}

/// Whether a `---` or `...` marker followed by a blank starts at `i` (which must be the
/// start of a line).
pub(super) fn doc_marker_at(src: &[u8], i: usize) -> Option<u8> {
    let b = byte(src, i);
    if (b == b'-' || b == b'.')
        && byte(src, i + 1) == b
        && byte(src, i + 2) == b
        && blank_or_end(src, i + 3)
    {
        Some(b)
    } else {
        None
    }
}

/// The first position at or after `i` that is not a space or tab.
pub(super) fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while i < src.len() && is_ws(src[i]) {
        i += 1;
    }
    i
}

/// Bounded lookahead: whether the line whose first significant character is at `i` holds
/// an implicit key (`key:` followed by a blank) before any comment. At most 1024 bytes are
/// looked at, as YAML limits implicit keys to that length.
pub(super) fn line_has_key_colon(src: &[u8], i: usize) -> bool {
    let limit = src.len().min(i + 1024);
    let mut j = i;
    let first = byte(src, i);
    if first == b'"' || first == b'\'' {
        j += 1;
        while j < limit && !is_break(src[j]) {
            if src[j] == b'\\' && first == b'"' {
                j += 2;
                continue;
            }
            if src[j] == first {
                if first == b'\'' && byte(src, j + 1) == b'\'' {
                    j += 2;
                    continue;
                }
                j += 1;
                break;
            }
            j += 1;
        }
    }
    while j < limit {
        let c = src[j];
        if is_break(c) {
            return false;
        }
        if c == b':' && blank_or_end(src, j + 1) {
            return true;
        }
        if c == b'#' && j > i && is_ws(byte(src, j - 1)) {
            return false;
        }
        j += 1;
    }
    false
}

/// Bounded lookahead: whether the line whose first significant character is at `i` looks
/// like the start of a block structure: a key, a `- ` entry, a `? ` or `: ` indicator.
pub(super) fn line_is_key_like(src: &[u8], i: usize) -> bool {
    let b = byte(src, i);
    if matches!(b, b'-' | b'?' | b':') && blank_or_end(src, i + 1) {
        return true;
    }
    line_has_key_colon(src, i)
}

/// The end of a plain scalar's segment on one line, starting at `i`: the position after
/// its last non-blank character, and why it stopped.
pub(super) fn plain_line(src: &[u8], start: usize, flow: bool) -> (usize, Stop) {
    let mut i = start;
    let mut end = start;
    let len = src.len();
    while i < len {
        let c = src[i];
        match c {
            b'\n' | b'\r' => return (end, Stop::Eol),
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b':' => {
                let next = byte(src, i + 1);
                if blank_or_end(src, i + 1) || (flow && is_flow_indicator(next)) {
                    return (end, Stop::Colon(i));
                }
            }
            b'#' if i > start && is_ws(src[i - 1]) => return (end, Stop::Comment),
            b',' | b'[' | b']' | b'{' | b'}' if flow => return (end, Stop::Flow),
            _ => {}
        }
        i += char_len(c).max(1);
        end = i.min(len);
    }
    (end, Stop::Eol)
}

/// Why a plain scalar's line segment ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Stop {
    /// At a line break or the end of the text.
    Eol,
    /// At a `:` followed by a blank (or a flow indicator in flow context), at this offset.
    Colon(usize),
    /// At a comment.
    Comment,
    /// At a flow indicator.
    Flow,
}
