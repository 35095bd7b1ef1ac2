//! Signature help inside a function call of a template.

use playbook_db::File;
use playbook_diagnostics::TextSize;

/// A function's signature, with the argument under the cursor.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignatureHelp {
    /// `index COLLECTION KEY...`
    pub label: String,
    /// The byte ranges of each parameter in `label`.
    pub parameters: Vec<(u32, u32)>,
    pub active_parameter: Option<u32>,
    pub documentation: Option<String>,
}

/// The signature help at `offset` of `file`.
pub fn signature_help(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Option<SignatureHelp> {
    let _ = (db, file, offset);
    None
}
