//! Scalar decoding with a source map.
//!
//! Turns the raw source text of a scalar token into its value (escapes resolved, line
//! folding applied, block indentation removed) and records, for every decoded byte offset,
//! the source byte offset it came from. A template error at decoded offset 17 can then be
//! shown at the exact source column, through escapes and folded lines.
//!
//! PLACEHOLDER: this file is being written; the signatures are the contract.

use playbook_diagnostics::{Diagnostic, TextRange, TextSize};

/// A decoded scalar value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decoded {
    /// The value, as a YAML loader would produce it.
    pub value: String,
    /// Maps offsets in `value` back to source offsets.
    pub map: SourceMap,
    /// Problems found while decoding (invalid escapes in double-quoted scalars).
    pub errors: Vec<Diagnostic>,
}

impl Decoded {
    /// The empty value, located at `at`.
    pub fn empty(at: TextSize) -> Decoded {
        Decoded {
            value: String::new(),
            map: SourceMap::identity(at),
            errors: Vec::new(),
        }
    }
}

/// A map from byte offsets in a decoded value to byte offsets in the source.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SourceMap {
    start: TextSize,
}

impl SourceMap {
    /// The map of a value copied verbatim from the source starting at `source_start`.
    pub fn identity(source_start: TextSize) -> SourceMap {
        SourceMap {
            start: source_start,
        }
    }

    /// The source offset of decoded offset `decoded`. Offsets past the end of the value map
    /// to the end of the scalar's content.
    pub fn to_source(&self, decoded: TextSize) -> TextSize {
        self.start + decoded
    }

    /// The source range covering decoded range `range`.
    pub fn range_to_source(&self, range: TextRange) -> TextRange {
        TextRange::new(self.to_source(range.start()), self.to_source(range.end()))
    }
}

/// Decodes a plain scalar token's text (`raw`, starting at source offset `start`).
pub fn plain(raw: &str, start: TextSize) -> Decoded {
    Decoded {
        value: raw.to_owned(),
        map: SourceMap::identity(start),
        errors: Vec::new(),
    }
}

/// Decodes a single-quoted scalar token's text, quotes included.
pub fn single_quoted(raw: &str, start: TextSize) -> Decoded {
    let inner = raw.strip_prefix('\'').unwrap_or(raw);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    Decoded {
        value: inner.replace("''", "'"),
        map: SourceMap::identity(start + 1),
        errors: Vec::new(),
    }
}

/// Decodes a double-quoted scalar token's text, quotes included.
pub fn double_quoted(raw: &str, start: TextSize) -> Decoded {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    Decoded {
        value: inner.to_owned(),
        map: SourceMap::identity(start + 1),
        errors: Vec::new(),
    }
}

/// Decodes a block scalar: its header token's text (`|`, `>-`, `|2+`...), and its
/// `BLOCK_TEXT` (`body`, starting at source offset `body_start`). `parent_indent` is the
/// indentation of the block collection entry holding the scalar (`None` at the top level),
/// from which an explicit indentation indicator counts.
pub fn block(
    header: &str,
    body: &str,
    body_start: TextSize,
    parent_indent: Option<u32>,
) -> Decoded {
    let _ = (header, parent_indent);
    Decoded {
        value: body.to_owned(),
        map: SourceMap::identity(body_start),
        errors: Vec::new(),
    }
}
