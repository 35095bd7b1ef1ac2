//! Rename a parameter or a step id: its declaration and every read, in every scalar style,
//! in `get "$.params.x"` strings and in trigger files.

use playbook_db::File;
use playbook_diagnostics::{TextRange, TextSize};

use crate::SourceChange;

/// What prepareRename answers: the range of the name and its current text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RenameTarget {
    pub range: TextRange,
    pub placeholder: String,
}

/// Whether the name at `offset` can be renamed; `Err` says why not.
pub fn prepare_rename(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Result<RenameTarget, String> {
    let _ = (db, file, offset);
    Err("nothing to rename here".to_owned())
}

/// The edits renaming the name at `offset` to `new_name`; `Err` with a message when the new
/// name is not valid or clashes.
pub fn rename(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
    new_name: &str,
) -> Result<SourceChange, String> {
    let _ = (db, file, offset, new_name);
    Err("nothing to rename here".to_owned())
}
