//! Code actions: the quick fixes of the diagnostics at a range (each did-you-mean, the
//! missing required inputs, `secret`, declaring a parameter, quoting, an unused
//! suppression), and `source.fixAll.playbook`.

use playbook_db::File;
use playbook_diagnostics::TextRange;

use crate::SourceChange;

/// The kind of a code action.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CodeActionKind {
    QuickFix,
    /// `source.fixAll.playbook`: every safe fix of the file.
    SourceFixAll,
}

/// A code action.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CodeAction {
    pub title: String,
    pub kind: CodeActionKind,
    /// The diagnostic it fixes: its code and range.
    pub diagnostic: Option<(&'static str, TextRange)>,
    pub edit: SourceChange,
    /// The fix to apply when the user asks for "the" fix.
    pub preferred: bool,
}

/// The code actions for `range` of `file`.
pub fn code_actions(db: &dyn salsa::Database, file: File, range: TextRange) -> Vec<CodeAction> {
    let _ = (db, file, range);
    Vec::new()
}
