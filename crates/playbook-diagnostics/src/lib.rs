//! The vocabulary every layer of playbook uses to talk about source text and the problems
//! found in it: byte ranges ([`TextRange`]), the conversion of byte offsets to lines and
//! columns ([`LineIndex`]), the stable catalogue entry of a diagnostic ([`Code`]) and the
//! diagnostic itself ([`Diagnostic`]) with its fixes, and applying those fixes to a text
//! ([`fix`]).
//!
//! Inside the core every position is a byte offset into one file's text. Lines and columns
//! (in characters for humans, in UTF-16 code units for LSP clients) are computed only at the
//! edges, with a [`LineIndex`].

mod code;
mod diagnostic;
pub mod fix;
mod line_index;
mod text;

pub use code::{Code, SEVERITY_RULE, Severity};
pub use diagnostic::{Diagnostic, Edit, Fix, Related};
pub use line_index::{LineCol, LineIndex};
pub use text::{TextRange, TextSize};
