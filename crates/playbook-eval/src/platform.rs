//! The platform's own functions: `secret`, `get`, `ieq` and `ine`.

use crate::functions::Function;

/// The platform's functions.
pub(crate) static FUNCTIONS: &[Function] = &[];
