//! Inlay hints: after each template scalar, what it renders to offline, with the
//! parameters' defaults and the manifests' examples (see [`crate::template_values`]).
//!
//! A template the run rendered gets `= "value"` (cut to about 40 characters, a newline
//! shown as `⏎`) or `= error: message` for the failure that ended the run; a template the
//! run never reached (a step whose `when` is false, a step after a failure, a loop with no
//! iteration) gets nothing: the `when` that skipped it carries its own hint. A template in a
//! loop shows its first iteration's value, and its tooltip says how many there were.

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

use crate::docs::fenced;
use crate::template_values::{file_values, iterations_note, truncate};

/// How many characters of a value a hint shows.
const LABEL_CHARS: usize = 40;

/// An inlay hint: where it goes, its text and its Markdown tooltip (the whole value, for a
/// label that is cut or a template in a loop).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InlayHint {
    /// Where the hint is shown: right after the scalar.
    pub offset: TextSize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// The hints of the template scalars of `file` that overlap `range`.
pub fn inlay_hints(db: &dyn salsa::Database, file: File, range: TextRange) -> Vec<InlayHint> {
    let text = file.text(db);
    file_values(db, file)
        .in_range(range)
        .map(|value| {
            let (label, body) = match &value.text {
                Ok(rendered) => (
                    format!("= \"{}\"", truncate(&one_line(rendered), LABEL_CHARS)),
                    format!(
                        "Rendered offline, with the parameters' defaults and the manifests' examples:\n\n{}",
                        fenced("", rendered)
                    ),
                ),
                Err(message) => (
                    format!("= error: {}", truncate(&one_line(message), LABEL_CHARS)),
                    format!(
                        "The offline run stops here, with the parameters' defaults and the manifests' examples:\n\n{}",
                        fenced("", message)
                    ),
                ),
            };
            // A tooltip that would only repeat the label is left out: most values are
            // short, and a whole file's hints are sent at once.
            let whole = match &value.text {
                Ok(text) | Err(text) => !text.contains(['\n', '\r']) && text.chars().count() <= LABEL_CHARS,
            };
            let tooltip = match iterations_note(value.times) {
                Some(note) => Some(format!("{body}\n\nThe value of {note}.")),
                None if whole => None,
                None => Some(body),
            };
            InlayHint {
                offset: end_of_content(text, value.range),
                label,
                tooltip,
            }
        })
        .collect()
}

/// `text` on one line: newlines as `⏎`, other control characters as spaces.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "⏎")
        .chars()
        .map(|c| match c {
            '\n' | '\r' => '⏎',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Where a scalar's written content ends: a block scalar's range takes in its last line
/// break, which would put the hint on the next line.
fn end_of_content(text: &str, range: TextRange) -> TextSize {
    let slice = text
        .get(range.start() as usize..range.end() as usize)
        .unwrap_or("");
    range.start() + slice.trim_end().len() as TextSize
}
