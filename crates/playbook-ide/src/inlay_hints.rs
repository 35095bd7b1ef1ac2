//! Inlay hints: after each template scalar, what it renders to offline, with the
//! parameters' defaults and the manifests' examples (see [`crate::template_values`]).
//!
//! A template the run rendered gets `= "value"` (cut to about 40 characters, a newline
//! shown as `⏎`) or `= error: message` for the failure that ended the run; a template the
//! run never reached (a step whose `when` is false, a step after a failure, a loop with no
//! iteration) gets nothing: the `when` that skipped it carries its own hint. A template in a
//! loop shows its first iteration's value, and its tooltip says how many there were.
//!
//! A hint whose label says it all has no tooltip; the others show the value in a tooltip,
//! cut to 40 lines or 2,000 characters (the hover on the template shows it whole). A client
//! that resolves hints gets them without their tooltips ([`Tooltips::Later`]), and the
//! tooltip of the hint it shows from [`inlay_hint_tooltip`]: a whole file's hints are sent
//! at once, and a few values (a step's raw JSON output) run to kilobytes.

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

use crate::docs::fenced;
use crate::template_values::{ValueAt, file_values, iterations_note};

/// How many characters of a value a hint shows.
const LABEL_CHARS: usize = 40;

/// How much of a value a tooltip shows: real values (a step's raw JSON output) run to
/// thousands of characters, which a tooltip cannot show either; the hover on the template
/// shows them whole.
const TOOLTIP_LINES: usize = 40;
const TOOLTIP_CHARS: usize = 2000;

/// An inlay hint: where it goes, its text and its Markdown tooltip (the whole value, for a
/// label that is cut or a template in a loop).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InlayHint {
    /// Where the hint is shown: right after the scalar.
    pub offset: TextSize,
    pub label: String,
    pub tooltip: Option<String>,
    /// With [`Tooltips::Later`], the template scalar of a hint that has a tooltip, left out:
    /// [`inlay_hint_tooltip`] gives it.
    pub later: Option<TextRange>,
}

/// Whether hints come with their tooltips, or leave them to [`inlay_hint_tooltip`] (a
/// client that resolves a hint when it shows its tooltip).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tooltips {
    Now,
    Later,
}

/// The hints of the template scalars of `file` that overlap `range`, with their tooltips.
pub fn inlay_hints(db: &dyn salsa::Database, file: File, range: TextRange) -> Vec<InlayHint> {
    inlay_hints_with(db, file, range, Tooltips::Now)
}

/// The hints of the template scalars of `file` that overlap `range`.
pub fn inlay_hints_with(
    db: &dyn salsa::Database,
    file: File,
    range: TextRange,
    tooltips: Tooltips,
) -> Vec<InlayHint> {
    let text = file.text(db);
    file_values(db, file)
        .in_range(range)
        .map(|value| {
            let tooltip = match tooltips {
                Tooltips::Now => tooltip(&value),
                Tooltips::Later => None,
            };
            InlayHint {
                offset: end_of_content(text, value.range),
                label: label(&value),
                later: (tooltips == Tooltips::Later && has_tooltip(&value)).then_some(value.range),
                tooltip,
            }
        })
        .collect()
}

/// The label and the tooltip of the hint of the template scalar at `scalar` (what a hint
/// sent with [`Tooltips::Later`] left out); `None` when no scalar there has a value or a
/// tooltip.
pub fn inlay_hint_tooltip(
    db: &dyn salsa::Database,
    file: File,
    scalar: TextRange,
) -> Option<(String, String)> {
    let value = file_values(db, file).at(scalar)?;
    Some((label(&value), tooltip(&value)?))
}

/// `= "value"` (cut), or `= error: message`.
fn label(value: &ValueAt<'_>) -> String {
    match value.text {
        Ok(rendered) => format!("= \"{}\"", one_line(rendered, LABEL_CHARS)),
        Err(message) => format!("= error: {}", one_line(message, LABEL_CHARS)),
    }
}

/// Whether the hint of `value` has a tooltip: a tooltip that would only repeat the label is
/// left out (most values are short, and a whole file's hints are sent at once).
fn has_tooltip(value: &ValueAt<'_>) -> bool {
    let (Ok(text) | Err(text)) = value.text;
    let whole = !text.contains(['\n', '\r']) && text.chars().nth(LABEL_CHARS).is_none();
    value.times > 1 || !whole
}

/// The tooltip of the hint of `value`: the value in a code block (cut to
/// [`TOOLTIP_LINES`] lines or [`TOOLTIP_CHARS`] characters), and how many times a template
/// in a loop rendered.
fn tooltip(value: &ValueAt<'_>) -> Option<String> {
    if !has_tooltip(value) {
        return None;
    }
    let (intro, text) = match value.text {
        Ok(rendered) => (
            "Rendered offline, with the parameters' defaults and the manifests' examples:",
            rendered,
        ),
        Err(message) => (
            "The offline run stops here, with the parameters' defaults and the manifests' examples:",
            message,
        ),
    };
    let (shown, rest) = cut(text);
    let mut body = format!("{intro}\n\n{}", fenced("", shown));
    if let Some(rest) = rest {
        body.push_str(&format!(
            "\n\n({rest}; the hover on the template shows it whole)"
        ));
    }
    Some(match iterations_note(value.times) {
        Some(note) => format!("{body}\n\nThe value of {note}."),
        None => body,
    })
}

/// `text` cut to [`TOOLTIP_LINES`] lines and [`TOOLTIP_CHARS`] characters, and what was cut
/// ("12 more lines", "3,000 more characters").
fn cut(text: &str) -> (&str, Option<String>) {
    let mut end = text.len();
    if let Some((at, _)) = text.match_indices('\n').nth(TOOLTIP_LINES - 1) {
        end = at;
    }
    if let Some((at, _)) = text.char_indices().nth(TOOLTIP_CHARS) {
        end = end.min(at);
    }
    if end == text.len() {
        return (text, None);
    }
    let (shown, rest) = text.split_at(end);
    let rest = rest.strip_prefix('\n').unwrap_or(rest);
    let lines = rest.trim_end_matches(['\n', '\r']).lines().count();
    let more = if shown.lines().count() >= TOOLTIP_LINES && lines > 0 {
        format!("{lines} more line{}", if lines == 1 { "" } else { "s" })
    } else {
        let chars = rest.chars().count();
        format!(
            "{chars} more character{}",
            if chars == 1 { "" } else { "s" }
        )
    };
    (shown, Some(more))
}

/// The first `max` characters of `text` on one line (newlines as `⏎`, other control
/// characters as spaces), the last one `…` when there are more: without reading past them.
fn one_line(text: &str, max: usize) -> String {
    let mut out: Vec<char> = Vec::with_capacity(max + 1);
    let mut chars = text.chars().peekable();
    while out.len() <= max {
        let Some(c) = chars.next() else {
            break;
        };
        out.push(match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '⏎'
            }
            '\n' => '⏎',
            c if c.is_control() => ' ',
            c => c,
        });
    }
    if out.len() > max {
        out.truncate(max.saturating_sub(1));
        out.push('…');
    }
    out.into_iter().collect()
}

/// Where a scalar's written content ends: a block scalar's range takes in its last line
/// break, which would put the hint on the next line.
fn end_of_content(text: &str, range: TextRange) -> TextSize {
    let slice = text
        .get(range.start() as usize..range.end() as usize)
        .unwrap_or("");
    range.start() + slice.trim_end().len() as TextSize
}
