//! The sprig library's functions (github.com/Masterminds/sprig v3), as the platform links it.

use crate::functions::Function;

/// Every sprig function implemented here.
pub(crate) static FUNCTIONS: &[Function] = &[];
