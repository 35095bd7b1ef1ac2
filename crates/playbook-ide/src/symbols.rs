//! Document symbols (parameters, steps nested in blocks and loops) and workspace symbols
//! (playbooks, triggers, step manifests).

use playbook_db::File;
use playbook_diagnostics::TextRange;

/// What a symbol is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SymbolKind {
    Playbook,
    Trigger,
    Manifest,
    Parameter,
    Step,
    Block,
    Loop,
    Input,
    Output,
}

/// A symbol of a document, with its children.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// A symbol of the workspace.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub path: String,
    pub range: TextRange,
    pub container: Option<String>,
}

/// The outline of `file`.
pub fn document_symbols(db: &dyn salsa::Database, file: File) -> Vec<Symbol> {
    let _ = (db, file);
    Vec::new()
}

/// The playbooks, triggers and manifests whose name matches `query` (fuzzy, case-insensitive).
pub fn workspace_symbols(db: &dyn salsa::Database, query: &str) -> Vec<WorkspaceSymbol> {
    let _ = (db, query);
    Vec::new()
}
