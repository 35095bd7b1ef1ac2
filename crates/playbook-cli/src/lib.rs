//! The library behind the `playbook` binary: everything the command-line tool does, as plain
//! functions that the binary (`main.rs`) calls at its edge and that later layers (the full
//! checker, the language server) can reuse.
//!
//! - [`collect`]: the diagnostics of one file's text (YAML syntax, scalar decoding, templates);
//! - [`discover`]: finding the YAML files under the paths given on the command line;
//! - [`source`]: reading a file or standard input into a `String`, with clear errors;
//! - [`render`]: printing diagnostics for humans (ariadne) or one per line (`short`);
//! - [`check`]: the `playbook check` run over many inputs, summary and exit code included;
//! - [`debug`]: the `playbook debug` views of the parsers.

pub mod check;
pub mod collect;
pub mod debug;
pub mod discover;
pub mod explain;
pub mod formats;
pub mod render;
pub mod source;
