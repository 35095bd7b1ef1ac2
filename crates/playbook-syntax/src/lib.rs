//! Lossless, error-resilient YAML syntax trees for playbook files.
//!
//! [`parse`] never fails: it returns a [`SyntaxTree`] that holds every byte of the input
//! (comments, whitespace and invalid text included) and the list of syntax errors found.
//! Typed views over the tree are in [`ast`]; scalar values and the map from decoded offsets
//! back to source offsets are in [`decode`]; the yaml-test-suite event notation is in
//! [`events`]; writing a string as a YAML scalar is in [`yaml_text`].
//!
//! This crate knows nothing of files on disk, salsa or the language server protocol.

pub mod ast;
pub mod codes;
pub mod decode;
pub mod events;
mod kinds;
mod parser;
mod tree;
pub mod yaml_text;

use playbook_diagnostics::Diagnostic;

pub use kinds::SyntaxKind;
pub use tree::{Checkpoint, SyntaxElement, SyntaxNode, SyntaxToken, SyntaxTree, TreeBuilder};

/// The result of parsing a text: the tree and the syntax errors, sorted by position.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Parse {
    tree: SyntaxTree,
    errors: Vec<Diagnostic>,
}

impl Parse {
    pub fn tree(&self) -> &SyntaxTree {
        &self.tree
    }

    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    pub fn into_parts(self) -> (SyntaxTree, Vec<Diagnostic>) {
        (self.tree, self.errors)
    }
}

/// Parses a YAML stream. Never fails and never panics; see the crate documentation.
pub fn parse(text: &str) -> Parse {
    let (tree, mut errors) = parser::parse(text);
    errors.sort_by_key(|e| (e.range.start(), e.range.end()));
    Parse { tree, errors }
}
