//! Multi-line scalars: re-indenting their continuation lines without changing their value.
//!
//! In a plain or quoted scalar, the whitespace at the start and the end of each continuation
//! line is not part of the value (YAML folds the line breaks and strips it), except a space
//! or tab escaped with `\` at the end of a double-quoted line. In a literal or folded block
//! scalar, the lines' indentation beyond the content indentation is part of the value, so
//! every line moves by the same amount; only lines of spaces no longer than the content
//! indentation (empty lines) lose their spaces, and trailing empty lines that are not part of
//! the value (clip and strip chomping) are collapsed.
//!
//! Each function decodes the scalar again from the text it writes and compares the value
//! with the original's; when they differ it falls back to a more conservative rewrite, and in
//! the end to the text as written (the whole-file check of [`crate::verify`] then decides).

use playbook_syntax::SyntaxKind::{self, *};
use playbook_syntax::decode;

/// The lines of `text`: each line's text without its line break, and whether a break
/// (`\n`, `\r\n` or `\r`) follows it.
fn lines(text: &str) -> impl Iterator<Item = (&str, bool)> + '_ {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r']) {
            Some(i) => {
                let len = if current.get(i..i + 2) == Some("\r\n") {
                    2
                } else {
                    1
                };
                rest = current.get(i + len..);
                Some((current.get(..i).unwrap_or_default(), true))
            }
            None => {
                rest = None;
                Some((current, false))
            }
        }
    })
}

/// Whether `rest` (the text of a line after its indentation) starts with a document marker,
/// which at column 0 would end the document.
pub(crate) fn is_document_marker(rest: &str) -> bool {
    (rest.starts_with("---") || rest.starts_with("..."))
        && rest
            .as_bytes()
            .get(3)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

fn spaces(n: i32) -> impl Iterator<Item = char> {
    std::iter::repeat_n(' ', usize::try_from(n).unwrap_or(0))
}

/// `line` without its trailing whitespace, where that keeps the value: not after a `\` that
/// escapes it in a double-quoted scalar.
fn trim_end(kind: SyntaxKind, line: &str) -> &str {
    let trimmed = line.trim_end_matches([' ', '\t']);
    if kind == DOUBLE_QUOTED && trimmed.len() < line.len() {
        let backslashes = trimmed.bytes().rev().take_while(|&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            return line;
        }
    }
    trimmed
}

/// The value of a plain or quoted scalar token's text.
fn flow_value(kind: SyntaxKind, text: &str) -> String {
    match kind {
        SINGLE_QUOTED => decode::single_quoted(text, 0).value,
        DOUBLE_QUOTED => decode::double_quoted(text, 0).value,
        _ => decode::plain(text, 0).value,
    }
}

/// A multi-line plain or quoted scalar token with its continuation lines at column `cont`,
/// their trailing whitespace removed where that keeps the value, and its line breaks `nl`.
pub(crate) fn reflow(text: &str, kind: SyntaxKind, cont: i32, nl: &str) -> String {
    let original = flow_value(kind, text);
    for trim in [true, false] {
        let mut out = String::with_capacity(text.len() + 16);
        for (k, (line, brk)) in lines(text).enumerate() {
            let line = if k == 0 {
                line
            } else {
                line.trim_start_matches([' ', '\t'])
            };
            let line = if trim { trim_end(kind, line) } else { line };
            if k > 0 && !line.is_empty() {
                out.extend(spaces(cont));
            }
            out.push_str(line);
            if brk {
                out.push_str(nl);
            }
        }
        if flow_value(kind, &out) == original {
            return out;
        }
    }
    text.to_owned()
}

/// A multi-line plain or quoted scalar token inside a region: each continuation line's
/// spaces shifted by `delta`, at least `min`; whitespace-only lines emptied.
pub(crate) fn shift(text: &str, kind: SyntaxKind, delta: i32, min: i32, nl: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (k, (line, brk)) in lines(text).enumerate() {
        if k == 0 {
            out.push_str(trim_end(kind, line));
        } else {
            let n = line.bytes().take_while(|&b| b == b' ').count();
            let rest = line.get(n..).unwrap_or_default();
            if !rest.trim_matches([' ', '\t']).is_empty() {
                let mut indent = (i32::try_from(n).unwrap_or(0) + delta).max(min);
                if indent <= 0 && is_document_marker(rest) {
                    indent = 1;
                }
                out.extend(spaces(indent));
                out.push_str(trim_end(kind, rest));
            }
        }
        if brk {
            out.push_str(nl);
        }
    }
    out
}

/// How a block scalar's text moves.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BlockMove {
    /// The column of the entry that holds the scalar, in the input and in the output; `-1`
    /// at the top level.
    pub old_n: i32,
    pub new_n: i32,
    /// The content column wanted; `None` to move the content with the entry.
    pub content: Option<i32>,
    /// How many trailing empty lines to keep where they are not part of the value.
    pub trailing: usize,
}

/// The value of a block scalar with `header` and text `body`, held by an entry at column
/// `n` (`-1` at the top level).
fn block_value(header: &str, body: &str, n: i32) -> String {
    decode::block(header, body, 0, u32::try_from(n).ok()).value
}

/// A block scalar's text (`body`, after the header line) re-indented as `how` says.
pub(crate) fn block(header: &str, body: &str, how: BlockMove, nl: &str) -> String {
    let original = block_value(header, body, how.old_n);
    let attempts = [
        how,
        BlockMove {
            content: None,
            trailing: usize::MAX,
            ..how
        },
    ];
    for attempt in attempts {
        let out = reindent_block(header, body, attempt, nl);
        if block_value(header, &out, how.new_n) == original {
            return out;
        }
    }
    body.to_owned()
}

fn reindent_block(header: &str, body: &str, how: BlockMove, nl: &str) -> String {
    let indicator = header
        .chars()
        .skip(1)
        .take_while(|c| !matches!(c, ' ' | '\t' | '#'))
        .find_map(|c| c.to_digit(10))
        .and_then(|k| i32::try_from(k).ok());
    let keep = header.contains('+');
    let base = |n: i32| n.max(0);
    // The content column, as the decoder finds it.
    let old_c = match indicator {
        Some(k) => base(how.old_n) + k,
        None => {
            let mut longest = 0;
            let mut found = None;
            for (line, _) in lines(body) {
                let n = line.bytes().take_while(|&b| b == b' ').count();
                if n < line.len() {
                    found = Some(n);
                    break;
                }
                longest = longest.max(n);
            }
            i32::try_from(found.unwrap_or(longest))
                .unwrap_or(0)
                .max(how.old_n + 1)
        }
    };
    let new_c = match (indicator, how.content) {
        (Some(k), _) => base(how.new_n) + k,
        (None, Some(c)) => c,
        (None, None) => old_c + (how.new_n - how.old_n),
    };
    let delta = new_c - old_c;
    // (spaces, rest, break, blank) per line.
    let parsed: Vec<(i32, &str, bool, bool)> = lines(body)
        .map(|(line, brk)| {
            let n = line.bytes().take_while(|&b| b == b' ').count();
            let rest = line.get(n..).unwrap_or_default();
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            (n, rest, brk, rest.is_empty() && n <= old_c)
        })
        .collect();
    let content_end = parsed.iter().rposition(|l| !l.3).map_or(0, |i| i + 1);
    let kept = if keep {
        parsed.len()
    } else {
        content_end + (parsed.len() - content_end).min(how.trailing)
    };
    let mut out = String::with_capacity(body.len() + 16);
    for &(n, rest, brk, blank) in parsed.iter().take(kept) {
        if !blank {
            out.extend(spaces((n + delta).max(0)));
            out.push_str(rest);
        }
        if brk {
            out.push_str(nl);
        }
    }
    out
}
