//! The semantic checks of playbook files: every parameter, secret and step-output reference
//! in a playbook's templates, every call of a step against its manifest, every trigger
//! against the playbooks of the workspace, and the suppression comments.
//!
//! The checks are pure functions over the typed IR ([`playbook_hir::ir`]); what they need
//! from other files (the manifest of an image, the playbook of a name, the secret catalogue)
//! they ask a [`Workspace`]. The database (`playbook-db`) implements it with incremental
//! queries, so the command line and the language server run exactly these checks.
//!
//! One file per check under [`checks`], each with its code and documentation next to the
//! code that reports it, in the manner of ruff.

pub mod checks;
mod conditions;
mod json_shape;
mod outputs;
mod platform;
mod playbook;

pub mod suppress;
mod trigger;

use playbook_hir::ir::{Playbook, StepManifest, Text};

pub use playbook::check_playbook;
pub use trigger::check_trigger;

/// What the checks of one file may ask about the rest of the workspace.
pub trait Workspace {
    /// The manifest of a step image (as written in the step's `name`, tag or digest
    /// included), if a library or the workspace has one.
    fn manifest(&self, image: &str) -> Option<&StepManifest>;

    /// The secret catalogue (`[secrets] known` in `playbook.toml`), when one is configured.
    fn known_secrets(&self) -> Option<&[String]>;

    /// The playbook whose `metadata.name` is `name`.
    fn playbook(&self, name: &str) -> Option<&Playbook>;

    /// The names of every playbook of the workspace, for suggestions.
    fn playbook_names(&self) -> Vec<String>;

    /// The template of `text`, a scalar value of the file being checked, if the caller
    /// already parsed it (the database parses every template once, for its syntax errors);
    /// the checks parse it themselves otherwise.
    fn template(&self, text: &Text) -> Option<&playbook_template::Template> {
        let _ = text;
        None
    }
}
