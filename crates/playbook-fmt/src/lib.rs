//! The playbook formatter: one layout for YAML playbook files, computed on the lossless
//! syntax tree of `playbook-syntax`, that never changes data and never loses a comment.
//!
//! The layout (see the README for the full list): 2-space indentation (or 4), a block
//! sequence under a mapping key indented by one step (unless `indent_sequences` is off), one
//! space after `:`, `-` and `,`, flow collections written `[a, b]` and `{a: 1}`, no trailing
//! spaces, at most one blank line in a row, exactly one final line break, comments kept in
//! place (an own-line comment at the indentation of the item after it, a trailing comment one
//! space after the value), document markers and the file's line ending kept.
//!
//! What the formatter never touches: the content and the style of a scalar (plain, quoted,
//! literal or folded, with its indicators), so template text is never rewritten. Only the
//! indentation of a multi-line scalar's continuation lines moves, and only where YAML says it
//! does not belong to the value (each such scalar is decoded again to make sure). Constructs
//! that cannot be laid out safely (explicit `? ` keys, multi-line flow collections) keep their
//! text, shifted with their parent.
//!
//! Every formatted text is parsed again and compared with the original, node by node and
//! comment by comment, before it is returned ([`verify`]): if the two ever differed, the text
//! would be left as it is and [`FormatError::Unverified`] returned, never a changed file.
//!
//! - [`format`] formats a text; [`format_parse`] a text already parsed.
//! - [`format_edits`] and [`format_range_edits`] give the change as minimal edits, for the
//!   language server's `textDocument/formatting` and `rangeFormatting`.
//! - [`diff::unified_diff`] renders a change as a unified diff (`playbook fmt --diff`).

pub mod diff;
mod layout;
mod scalars;
pub mod verify;

use playbook_diagnostics::{Diagnostic, Edit, TextRange};
use playbook_syntax::Parse;

/// How to lay out a file: the `[format]` settings of `playbook.toml`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FormatOptions {
    /// Spaces per indentation level (2 or 4 in `playbook.toml`; clamped to 1..=16 here).
    pub indent: u8,
    /// Whether a block sequence under a mapping key is indented one level more than the key
    /// (`key:\n  - a`), or written at the key's column (`key:\n- a`).
    pub indent_sequences: bool,
}

impl Default for FormatOptions {
    fn default() -> FormatOptions {
        FormatOptions {
            indent: 2,
            indent_sequences: true,
        }
    }
}

/// Why a text was not formatted.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FormatError {
    /// The text has YAML syntax errors (sorted by position): a file that cannot be parsed is
    /// never formatted.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not hold the same data or comments as the original. This is a
    /// bug in the formatter, caught before it could change a file: the text is left as it is.
    Unverified,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(errors) => {
                let n = errors.len();
                let s = if n == 1 { "" } else { "s" };
                write!(f, "not formatted: {n} YAML syntax error{s}")
            }
            FormatError::Unverified => f.write_str(
                "not formatted: the formatted text would not keep the same data \
                 (a bug in playbook fmt; please report it with the file)",
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats `text`. An already formatted text comes back equal to itself.
pub fn format(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    format_parse(&playbook_syntax::parse(text), options)
}

/// Formats the text of `parse` (a parse of the whole text), for callers that have parsed it
/// already.
pub fn format_parse(parse: &Parse, options: &FormatOptions) -> Result<String, FormatError> {
    if !parse.errors().is_empty() {
        return Err(FormatError::Syntax(parse.errors().to_vec()));
    }
    let tree = parse.tree();
    let formatted = layout::layout(tree, options);
    if formatted == tree.text() {
        return Ok(formatted);
    }
    let reparsed = playbook_syntax::parse(&formatted);
    if reparsed.errors().is_empty() && verify::same_data(tree, reparsed.tree()) {
        Ok(formatted)
    } else {
        Err(FormatError::Unverified)
    }
}

/// The layout of `text` without the safety net of [`format`]: for the formatter's own tests,
/// to show what a refused layout looked like.
#[doc(hidden)]
pub fn layout_unchecked(text: &str, options: &FormatOptions) -> String {
    layout::layout(playbook_syntax::parse(text).tree(), options)
}

/// The formatting of `text` as edits of it: one edit per changed run of lines, trimmed to
/// the bytes that differ, sorted and not overlapping. Empty when the text is formatted
/// already; `None` when it cannot be formatted (YAML syntax errors), as the language server
/// answers "no edits" then.
pub fn format_edits(text: &str, options: &FormatOptions) -> Option<Vec<Edit>> {
    let formatted = format(text, options).ok()?;
    Some(diff::edits(text, &formatted))
}

/// The edits of [`format_edits`] that touch `range` (for `textDocument/rangeFormatting`):
/// those whose range overlaps it or borders it. A range in an unchanged part of the text gets
/// no edits.
///
/// Re-indenting part of a structure and not the rest can break it (two sibling keys at
/// different columns). So the selected edits are applied and the result parsed and compared
/// with the original; when it does not hold the same data, every edit is returned: the whole
/// text is formatted rather than left broken.
pub fn format_range_edits(
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Option<Vec<Edit>> {
    let edits = format_edits(text, options)?;
    let selected: Vec<Edit> = edits
        .iter()
        .filter(|e| e.range.start() <= range.end() && range.start() <= e.range.end())
        .cloned()
        .collect();
    if selected.len() == edits.len() || selected.is_empty() {
        return Some(selected);
    }
    let partial = diff::apply(text, &selected);
    let original = playbook_syntax::parse(text);
    let reparsed = playbook_syntax::parse(&partial);
    if reparsed.errors().is_empty() && verify::same_data(original.tree(), reparsed.tree()) {
        Some(selected)
    } else {
        Some(edits)
    }
}
