//! Hover: what the name under the cursor is (a parameter, a step, an output, an input, an
//! image, a function, a trigger's playbook), as Markdown.

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

/// A hover: the range it is about and its Markdown text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at `offset` of `file`.
pub fn hover(db: &dyn salsa::Database, file: File, offset: TextSize) -> Option<Hover> {
    let _ = (db, file, offset);
    None
}
