//! Formatting in the editor: the edits `playbook fmt` would make, for a whole playbook file
//! or for the part of it a selection touches, from the same formatter (`playbook-fmt`).
//!
//! Only playbook files are formatted (the server attaches to every YAML file, and somebody
//! else's YAML is left as it is), and a file with YAML syntax errors gets no edits, as
//! `playbook fmt` refuses it.

use playbook_db::File;
use playbook_db::queries::file_syntax;
use playbook_diagnostics::{Edit, TextRange};
pub use playbook_fmt::FormatOptions;

/// The edits that format `file` (all of it, or those touching `range`): empty when it is
/// formatted already, `None` when it is not a playbook file or does not parse.
pub fn formatting(
    db: &dyn salsa::Database,
    file: File,
    range: Option<TextRange>,
    options: &FormatOptions,
) -> Option<Vec<Edit>> {
    if !file_syntax(db, file).playbook {
        return None;
    }
    let text = file.text(db);
    match range {
        None => playbook_fmt::format_edits(text, options),
        Some(range) => playbook_fmt::format_range_edits(text, range, options),
    }
}
