//! Go to definition: from a read to its declaration (a parameter, a step, an output or an
//! input in its manifest, an image's manifest, a trigger's playbook).

use playbook_db::File;
use playbook_diagnostics::TextSize;

use crate::NavigationTarget;

/// The definitions of the name at `offset` of `file` (usually one).
pub fn goto_definition(
    db: &dyn salsa::Database,
    file: File,
    offset: TextSize,
) -> Vec<NavigationTarget> {
    let _ = (db, file, offset);
    Vec::new()
}
