//! The scanner: splits a template into literal text and raw `{{ ... }}` actions.
//!
//! It finds each `{{` and the `}}` that closes it, skipping `}}` inside string, raw-string
//! and character literals and inside a leading `/* ... */` comment. An unclosed `{{` ends
//! just before the next `{{` (or at the end of the text) so that later actions still parse;
//! a `}}` outside any action is reported. Runs in time linear in the text.

use playbook_diagnostics::{Diagnostic, TextRange};

use crate::codes;

/// A raw action found by the scanner.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawAction {
    pub range: TextRange,
    pub content: TextRange,
    pub trim_left: bool,
    pub trim_right: bool,
    pub closed: bool,
}

/// A piece of the template.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Piece {
    Text(TextRange),
    Action(RawAction),
}

fn size(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(size(start), size(end))
}

/// Go's trim markers need an ASCII space, tab, carriage return or newline next to them.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Splits `text` into pieces, reporting unclosed actions and stray `}}`.
pub(crate) fn scan(text: &str, errors: &mut Vec<Diagnostic>) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let pair = (bytes.get(i).copied(), bytes.get(i + 1).copied());
        match pair {
            (Some(b'}'), Some(b'}')) => {
                errors.push(
                    Diagnostic::new(&codes::STRAY_CLOSE, range(i, i + 2), "unmatched `}}`")
                        .with_label("this `}}` closes no action")
                        .with_help(
                            "add the missing `{{` before the expression, or remove the `}}`",
                        ),
                );
                i += 2;
            }
            (Some(b'{'), Some(b'{')) => {
                if text_start < i {
                    pieces.push(Piece::Text(range(text_start, i)));
                }
                let action = scan_action(bytes, i);
                if !action.closed {
                    errors.push(
                        Diagnostic::new(
                            &codes::UNCLOSED_ACTION,
                            range(i, i + 2),
                            "unclosed action",
                        )
                        .with_label("this `{{` is never closed")
                        .with_help("add `}}` where the action should end"),
                    );
                }
                i = action.range.end() as usize;
                text_start = i;
                pieces.push(Piece::Action(action));
            }
            _ => i += 1,
        }
    }
    if text_start < bytes.len() {
        pieces.push(Piece::Text(range(text_start, bytes.len())));
    }
    pieces
}

/// Scans the action whose `{{` is at `open`.
fn scan_action(bytes: &[u8], open: usize) -> RawAction {
    let at = |k: usize| bytes.get(k).copied();
    let mut start = open + 2;
    let trim_left = at(start) == Some(b'-') && at(start + 1).is_some_and(is_space);
    if trim_left {
        start += 1;
    }
    let mut k = start;
    while at(k).is_some_and(is_space) {
        k += 1;
    }
    let comment = at(k) == Some(b'/') && at(k + 1) == Some(b'*');
    let close = if comment {
        find_after_comment(bytes, k + 2)
    } else {
        find_close(bytes, start)
    };
    let close = close.or_else(|| find_close_naive(bytes, start));
    match close {
        Some(Close::Closed(p)) => {
            let trim_right =
                p >= start + 2 && at(p - 1) == Some(b'-') && at(p - 2).is_some_and(is_space);
            let end = if trim_right { p - 1 } else { p };
            RawAction {
                range: range(open, p + 2),
                content: range(start, end.max(start)),
                trim_left,
                trim_right,
                closed: true,
            }
        }
        Some(Close::Cut(p)) | Some(Close::Eof(p)) => RawAction {
            range: range(open, p),
            content: range(start, p.max(start)),
            trim_left,
            trim_right: false,
            closed: false,
        },
        None => RawAction {
            range: range(open, bytes.len()),
            content: range(start, bytes.len().max(start)),
            trim_left,
            trim_right: false,
            closed: false,
        },
    }
}

enum Close {
    /// `}}` at this offset.
    Closed(usize),
    /// Cut off by a `{{` at this offset.
    Cut(usize),
    /// The text ends at this offset.
    Eof(usize),
}

/// The `}}` after a comment's `*/`; `None` when the comment never ends (or runs into the
/// next `{{`).
fn find_after_comment(bytes: &[u8], from: usize) -> Option<Close> {
    let mut k = from;
    while k + 1 < bytes.len() {
        match (bytes.get(k), bytes.get(k + 1)) {
            (Some(b'*'), Some(b'/')) => return find_close(bytes, k + 2),
            // A comment that runs into the next action was never closed.
            (Some(b'{'), Some(b'{')) => return None,
            _ => {}
        }
        k += 1;
    }
    None
}

/// The closing `}}`, skipping literals. `None` when a literal runs to the end of the text
/// (the caller then falls back to [`find_close_naive`]).
fn find_close(bytes: &[u8], from: usize) -> Option<Close> {
    let mut k = from;
    while let Some(&b) = bytes.get(k) {
        let next = bytes.get(k + 1).copied();
        match b {
            b'}' if next == Some(b'}') => return Some(Close::Closed(k)),
            b'{' if next == Some(b'{') => return Some(Close::Cut(k)),
            b'"' | b'\'' => k = skip_quoted(bytes, k + 1, b)?,
            b'`' => {
                let len = bytes.get(k + 1..)?.iter().position(|&c| c == b'`')?;
                k += len + 2;
            }
            _ => k += 1,
        }
    }
    Some(Close::Eof(bytes.len()))
}

/// The offset after a `"` or `'` literal starting at `from` (after the quote). A newline
/// ends an unterminated literal, as in Go; the end of the text gives `None`.
fn skip_quoted(bytes: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut k = from;
    loop {
        match bytes.get(k).copied()? {
            b'\\' => k += 2,
            b'\n' => return Some(k),
            c if c == quote => return Some(k + 1),
            _ => k += 1,
        }
    }
}

/// The first `}}` or `{{`, ignoring literals: used when a literal swallowed the rest.
fn find_close_naive(bytes: &[u8], from: usize) -> Option<Close> {
    let mut k = from;
    while let Some(&b) = bytes.get(k) {
        let next = bytes.get(k + 1).copied();
        match (b, next) {
            (b'}', Some(b'}')) => return Some(Close::Closed(k)),
            (b'{', Some(b'{')) => return Some(Close::Cut(k)),
            _ => k += 1,
        }
    }
    Some(Close::Eof(bytes.len()))
}
