//! The catalogue entry of a diagnostic: its stable code, its name, its default severity and
//! its documentation.
//!
//! Each `Code` is a `static` declared next to the code that reports it (one file per check),
//! with its documentation beside it. The registry of all codes lives in `playbook-check`.

use std::fmt;

/// How a code's default severity is chosen, as `playbook explain` and the README state it.
pub const SEVERITY_RULE: &str = "\
Severities: an error is something that fails, or a value that is surely empty or wrong,
when the playbook runs; a warning is a finding that rests on data that may be incomplete
(a step library's manifests) or on an example; a hint is about style. Change a code's
severity, or turn it off, under `[severity]` in playbook.toml.";

/// How serious a finding is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Severity {
    Hint,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A diagnostic's entry in the catalogue.
///
/// `doc` is Markdown with four sections, shown by `playbook explain CODE`:
/// `## What it means`, `## Why it matters`, `## Example` and `## How to fix`.
#[derive(Debug)]
pub struct Code {
    /// The stable code, `PB` and three digits: `PB001`.
    pub id: &'static str,
    /// A stable kebab-case name, accepted wherever the code is: `unused-parameter`.
    pub name: &'static str,
    /// The severity used unless the configuration changes it.
    pub severity: Severity,
    /// One line saying what the diagnostic reports.
    pub summary: &'static str,
    /// The documentation, in Markdown.
    pub doc: &'static str,
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        self.id == other.id
    }
}

impl Eq for Code {}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}
