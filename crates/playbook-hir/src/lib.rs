//! The typed IR of playbook files and the lowering that builds it.
//!
//! [`lower`] turns a YAML syntax tree into [`ir::File`]: the playbooks, step manifests and
//! triggers it declares, with the source range of every name and value, plus the structural
//! problems found on the way (`PB2xx`, see [`codes`]). Lowering never fails and knows nothing
//! of other files: cross-file checks are the checker's.

pub mod codes;
pub mod ir;
mod lower;
pub mod suggest;

pub use lower::{API_VERSION, Lowered, lower, schema};
