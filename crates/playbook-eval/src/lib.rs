//! Runs the templates of a playbook offline, with the semantics of Go's `text/template` and
//! the sprig library, as the platform does in production.
//!
//! The evaluator walks the tree [`playbook_template::parse`] builds; it never reads a secret
//! (`secret NAME` renders as `<secret:NAME>`) and never touches the network or the disk.
//!
//! - [`Value`]: a value as Go sees it (the dynamic types `encoding/json` produces, plus the
//!   ones functions return);
//! - [`render`]: a template and its data to the text Go would print, or Go's error;
//! - [`functions`]: the table of functions the evaluator knows (Go's builtins, sprig's and
//!   the platform's own).
//!
//! The reference is Go 1.19's `text/template` with sprig 3.2.3 registered, as the platform
//! runs it (so `slice` is sprig's, which replaces Go's builtin of that name); the test
//! `tests/differential.rs` renders thousands of templates with both and requires the same
//! output or the same failure. Intended differences:
//! - our grammar is a superset of Go's: a quoted segment (`$.'redis-info'.host`) reads that
//!   key; `[i]` indexes a list (or a map by a string); `[lo:hi]` slices a list or string;
//!   `.*` and `.[:]` take every element of a list (or every value of a map, in key order) and
//!   map the rest of the path over them, giving a list. Go refuses to parse all of these;
//! - limits Go does not have: [`MAX_DEPTH`] nested blocks and template calls (Go allows
//!   100000 calls), [`MAX_OUTPUT`] bytes of output and [`MAX_STEPS`] steps; past them the
//!   rendering fails with an error that names the limit;
//! - `index` of a string gives an `int`, where Go gives a `uint8` (only `%T` shows it);
//!   sprig's `split` and `splitn` give a `map[string]interface {}`, where Go's is a
//!   `map[string]string` (only the type's name differs); `%b`, `%x` and `%X` of a float and
//!   complex constants are not supported;
//! - a template whose syntax errors our parser reports is refused with the first of them,
//!   not with Go's wording; but for the `else` forms Go 1.19 does not have, refused with
//!   Go's words: `else if` after a `with` or `range` (Go accepts it only after an `if`;
//!   write `{{ else }}{{ if ... }}...{{ end }}`), `else with` (Go 1.23) and `else range`.
//!
//! Nothing else is left out on purpose: `printf` follows Go's `fmt` down to its argument
//! indexes (`%[2]d`, `%[1]*d`) and its notes for a bad one (`%!d(BADINDEX)`).

mod builtins;
mod convert;
mod eval;
pub mod expect;
mod format;
pub mod functions;
mod platform;
pub mod run;
mod sprig;
mod tree;
mod value;

pub use eval::{MAX_DEPTH, MAX_OUTPUT, MAX_STEPS};
pub use value::Value;

use playbook_template::Template;

/// Why a template could not be rendered: the message Go's `text/template` gives, without its
/// `template: NAME:LINE:COL: executing ...` prefix.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EvalError {
    pub message: String,
    /// The part of the template being run when it failed (byte offsets in the template's text).
    pub range: playbook_diagnostics::TextRange,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// Renders `template` with `data` as the root value (`$` and the initial `.`).
///
/// A template Go would not parse is refused: one with syntax errors, or one that calls a
/// function that does not exist or uses a variable outside its scope. The error's message
/// is then Go's parse error (`function "x" not defined`), or ours for syntax errors.
pub fn render(template: &Template, data: &Value) -> Result<String, EvalError> {
    eval::render(template, data)
}

/// `value` as JSON, as Go's `encoding/json` (and sprig's `toJson`) writes it: keys sorted,
/// `<`, `>` and `&` escaped.
pub fn to_json(value: &Value) -> String {
    sprig::json_text(value)
}
