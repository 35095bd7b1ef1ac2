//! Find references and document highlight: every read and declaration of a parameter, a
//! step, a manifest's input or output, an image, across the workspace.

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

use crate::FileRange;

/// Whether a highlighted range reads the name or declares (writes) it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum HighlightKind {
    Read,
    Write,
}

/// A range of the current file to highlight.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Every reference of the name at `offset` of `file`, in every file of the workspace,
/// sorted; its declaration too when `include_declaration`. `None` when the cursor is on no
/// name.
pub fn references(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    include_declaration: bool,
) -> Option<Vec<FileRange>> {
    let _ = (db, file, offset, include_declaration);
    None
}

/// The references of the name at `offset` in `file` itself, declaration included.
pub fn document_highlight(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Vec<Highlight> {
    let _ = (db, file, offset);
    Vec::new()
}
