//! The semantic checks of playbook files: every parameter, secret and step-output reference
//! in a playbook's templates, every call of a step against its manifest, every trigger
//! and test file against the playbooks of the workspace, and the suppression comments.
//!
//! The checks are pure functions over the typed IR ([`playbook_hir::ir`]); what they need
//! from other files (the manifests that may describe an image, the libraries, the playbook of
//! a name, the secret catalogue) they ask a [`Workspace`]. The database (`playbook-db`)
//! implements it with incremental queries, so the command line and the language server run
//! exactly these checks. The workspace supplies facts; the checks judge: which of several
//! manifests a call uses ([`interface`]), whether an image is unknown and what to suggest.
//!
//! One file per check under [`checks`], each with its code and documentation next to the
//! code that reports it, in the manner of ruff.

pub mod analysis;
pub mod checks;
mod conditions;
mod fix;
pub mod interface;
mod json_shape;
mod layout;
mod outputs;
mod platform;
mod playbook;

pub mod suppress;
mod test_file;
mod trigger;

use playbook_hir::ir::{Playbook, StepManifest, Text};

pub use analysis::{analyze_playbook, outline_playbook};
pub use playbook::check_playbook;
pub use test_file::check_test;
pub use trigger::check_trigger;

/// A step library, as the checks see it: image `<prefix><rest>` is described by the
/// manifest at `<dir>/<rest>/manifest.yaml`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Library<'a> {
    /// The image prefix (`registry.example.com/playbook-steps/`).
    pub prefix: &'a str,
    /// The library's folder, as configured (`steps`).
    pub dir: &'a str,
    /// The folder does not exist: the configuration's own diagnostic says so, and the
    /// images under the prefix are not reported one call at a time.
    pub missing: bool,
}

/// What the checks of one file may ask about the rest of the workspace.
pub trait Workspace {
    /// Every step manifest that may describe a step image (as written in the step's `name`,
    /// tag or digest included): none for an unknown image, one as a rule, several when
    /// manifests share a `metadata.imageName`. The checks choose among them by the call
    /// ([`interface::select`]), never by the order given here.
    fn manifests(&self, image: &str) -> Vec<&StepManifest>;

    /// The configured step libraries, in the order of the configuration (empty when none
    /// is configured).
    fn libraries(&self) -> Vec<Library<'_>>;

    /// Every image known by name (a library path or a `metadata.imageName`, without tag),
    /// for suggestions. Asked only for an image that is unknown.
    fn image_names(&self) -> Vec<&str>;

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

    /// The text and syntax tree of the file being checked, for the fixes that add lines
    /// laid out the way the file lays out its own (the missing inputs of a call, the
    /// declaration of an unknown parameter); without them those fixes are not offered.
    /// Asked only when a check has such a fix to make.
    fn source(&self) -> Option<(&str, &playbook_syntax::SyntaxTree)> {
        None
    }
}
