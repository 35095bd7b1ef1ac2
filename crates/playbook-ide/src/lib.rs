//! Editor features of playbook files, as plain data: completion, hover, go-to-definition,
//! references and highlights, rename, symbols, semantic tokens, code actions, signature help,
//! folding and selection ranges, formatting, the data flow of `playbook graph`, and what
//! templates render to offline (inlay hints and hover).
//!
//! This crate sits between the database (`playbook-db`) and the protocol (`playbook-lsp`),
//! as rust-analyzer's `ide` crate does: every answer is computed from salsa queries over a
//! `&dyn salsa::Database` and a [`File`], with byte offsets in and byte ranges out, and no
//! protocol type anywhere. The language server only converts positions and types.
//!
//! There is one resolver, the checker's: what a template reads, which interface a step call
//! resolved to, which steps have run at a template, all come from
//! [`playbook_check::analyze_playbook`] (see [`context`]), so the editor and `playbook
//! check` never disagree.
//!
//! Every function here may be called on a broken file (an unclosed `{{`, a half-typed key):
//! that is when completion is used. None of them panics on any input.

mod classify;
pub mod code_actions;
pub mod completion;
pub mod context;
pub mod docs;
pub mod dry_run;
pub mod folding_ranges;
pub mod formatting;
pub mod goto_definition;
pub mod graph;
pub mod hover;
pub mod inlay_hints;
pub mod references;
pub mod rename;
pub mod selection_ranges;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;
pub mod template_values;
pub mod test_run;

use std::collections::BTreeMap;

pub use playbook_db::File;
pub use playbook_diagnostics::{Edit, TextRange, TextSize};

pub use code_actions::{CodeAction, CodeActionKind, code_actions};
pub use completion::{Completion, CompletionDocs, CompletionKind, completions, completions_with};
pub use dry_run::{dry_run, playbooks};
pub use folding_ranges::{Fold, FoldKind, folding_ranges};
pub use formatting::{FormatOptions, formatting};
pub use goto_definition::goto_definition;
pub use hover::{Hover, hover};
pub use inlay_hints::{InlayHint, Tooltips, inlay_hint_tooltip, inlay_hints, inlay_hints_with};
pub use references::{Highlight, HighlightKind, document_highlight, references};
pub use rename::{RenameTarget, prepare_rename, rename};
pub use selection_ranges::selection_ranges;
pub use semantic_tokens::{SemanticToken, TokenKind, TokenModifier, semantic_tokens};
pub use signature_help::{SignatureHelp, signature_help};
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};
pub use test_run::{CaseResult, run_tests};

/// A range in a file of the workspace, named by its path.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct FileRange {
    pub path: String,
    pub range: TextRange,
}

/// Where a definition is: its file, the whole item (`full`, for a peek view) and its name
/// (`focus`, where the cursor goes).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct NavigationTarget {
    pub path: String,
    pub full: TextRange,
    pub focus: TextRange,
}

/// Edits of several files, by path; within a file, the edits do not overlap and are sorted.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct SourceChange {
    pub edits: BTreeMap<String, Vec<Edit>>,
}

impl SourceChange {
    /// Adds an edit of `path`, keeping the file's edits sorted (a duplicate is dropped).
    pub fn insert(&mut self, path: &str, edit: Edit) {
        let edits = self.edits.entry(path.to_owned()).or_default();
        if !edits.contains(&edit) {
            edits.push(edit);
            edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.edits.values().all(Vec::is_empty)
    }
}

/// The file of the workspace at `path`.
pub fn file(db: &dyn salsa::Database, path: &str) -> Option<File> {
    playbook_db::Workspace::get(db).files(db).get(path).copied()
}

/// The line starts of `file`, memoized until its text changes: the protocol layer converts
/// every position of every answer with it.
pub fn line_index(db: &dyn salsa::Database, file: File) -> &playbook_diagnostics::LineIndex {
    playbook_db::queries::line_index(db, file)
}
