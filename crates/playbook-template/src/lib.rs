//! The Go-template language inside playbook scalars: `{{ ... }}` actions, parsed with
//! error recovery into a typed tree whose spans are byte offsets in the decoded scalar.
//!
//! PLACEHOLDER: this crate is being written; the entry points below are the contract.

use std::fmt;

use playbook_diagnostics::{Diagnostic, TextRange};

/// Whether `text` contains anything that looks like a template action.
pub fn contains_actions(text: &str) -> bool {
    text.contains("{{")
}

/// Parses a template. Never fails: errors are collected in [`Template::errors`].
pub fn parse(text: &str) -> Template {
    let _ = text;
    Template {
        actions: Vec::new(),
        errors: Vec::new(),
    }
}

/// A parsed template.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Template {
    actions: Vec<Action>,
    errors: Vec<Diagnostic>,
}

impl Template {
    /// Every action (`{{ ... }}`), control actions and comments included, in source order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    /// Syntax errors, with ranges in the decoded text.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }
}

/// One `{{ ... }}` action.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Action {
    range: TextRange,
}

impl Action {
    /// The range of the whole action, from `{{` to `}}`.
    pub fn range(&self) -> TextRange {
        self.range
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(action)")
    }
}
