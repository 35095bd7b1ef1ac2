//! Completion: what may be typed at the cursor, in templates (paths, functions, variables)
//! and in the YAML around them (step inputs, images, structural keys, enum values).

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

/// What a completion item is, for its icon.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CompletionKind {
    Parameter,
    Step,
    Output,
    Field,
    Context,
    Function,
    Variable,
    Keyword,
    Property,
    Value,
    Image,
    Playbook,
}

/// One completion item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown beside the label (a type, a signature).
    pub detail: Option<String>,
    /// Markdown shown for the selected item.
    pub documentation: Option<String>,
    /// The range the item replaces (what has been typed of it).
    pub replace: TextRange,
    /// The text inserted; a snippet (`$1`, `${1:placeholder}`, `$0`) when `snippet`.
    pub insert: String,
    pub snippet: bool,
    /// Sorts the items (required inputs before optional ones); the label when `None`.
    pub sort: Option<String>,
}

/// The completions at `offset` of `file`.
pub fn completions(db: &dyn salsa::Database, file: File, offset: TextSize) -> Vec<Completion> {
    let _ = (db, file, offset);
    Vec::new()
}
