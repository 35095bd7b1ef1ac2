//! Go's `text/template` builtin functions (`eq`, `len`, `index`, `printf`, ...), but for
//! `and`, `or` and `call`, which the evaluator runs itself.

use crate::functions::Function;

/// Go's builtins.
pub(crate) static FUNCTIONS: &[Function] = &[];
