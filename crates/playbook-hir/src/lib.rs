//! The typed IR of playbook files and the lowering that builds it.
//!
//! [`lower`] turns a YAML syntax tree into [`ir::File`]: the playbooks, step manifests,
//! triggers and test files (`kind: PlaybookTest`) it declares, with the source range of every name and value, plus the structural
//! problems found on the way (`PB2xx`, see [`codes`]). Lowering never fails and knows nothing
//! of other files: cross-file checks are the checker's.
//!
//! [`is_playbook_file`] ([`classify`]) decides which YAML files are playbook files at all:
//! the workspace walk and the database both ask it, so that a GitHub workflow or a
//! Kubernetes manifest is never checked, whether it is found in a folder, named on the
//! command line or opened in an editor.

pub mod classify;
pub mod codes;
pub mod ir;
pub mod json_example;
mod lower;
pub mod suggest;

pub use classify::{PLAYBOOK_KINDS, is_playbook_file, is_playbook_parse};
pub use lower::{API_VERSION, Lowered, lower, schema};
