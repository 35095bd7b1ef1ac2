//! The kinds of tokens and nodes in a YAML syntax tree.
//!
//! Tokens are the leaves: every byte of the input belongs to exactly one token. Nodes group
//! tokens and other nodes. The shape each node kind has is documented on the variant; it is a
//! contract between the parser, the typed AST in [`crate::ast`] and every tool built on them.
//!
//! Trivia placement: a node starts at its first significant token (its properties included)
//! and ends at its last significant token. Whitespace, line breaks and comments before or
//! after it belong to the parent. So in `a: b\nc: d\n` the `BLOCK_MAP` ends after `d` and the
//! final line break is a child of the `DOCUMENT`; the line break after `a: b` is a child of
//! the `BLOCK_MAP`, between its two entries. A `DOCUMENT` also holds the trivia before its
//! first token (comments at the top of the file, the line break after the previous `...`);
//! trivia after the last document is a child of the `ROOT`. A stream of trivia only has no
//! `DOCUMENT`, and a `...` with no document before it is a `DOC_END` child of the `ROOT`.

/// The kind of a token or a node.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(u16)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub enum SyntaxKind {
    // ---- Trivia tokens -------------------------------------------------------------------
    /// Spaces and tabs, never a line break.
    WHITESPACE,
    /// One line break: `\n`, `\r\n` or `\r`.
    NEWLINE,
    /// `#` to the end of the line, the line break excluded.
    COMMENT,
    /// A byte order mark, U+FEFF.
    BOM,

    // ---- Structure tokens ----------------------------------------------------------------
    /// A whole directive line without trailing whitespace or comment: `%YAML 1.2`,
    /// `%TAG !e! tag:example.com,2000:`.
    DIRECTIVE,
    /// `---`
    DOC_START,
    /// `...`
    DOC_END,
    /// `-` introducing a block sequence entry.
    DASH,
    /// `?` introducing an explicit mapping key.
    QUESTION,
    /// `:` the mapping value indicator.
    COLON,
    /// `,` in a flow collection.
    COMMA,
    /// `[`
    L_BRACKET,
    /// `]`
    R_BRACKET,
    /// `{`
    L_BRACE,
    /// `}`
    R_BRACE,

    // ---- Node property tokens ------------------------------------------------------------
    /// `&name`
    ANCHOR,
    /// `!tag`, `!!str`, `!<verbatim>`, `!e!suffix` or a lone `!`.
    TAG,
    /// `*name`
    ALIAS,

    // ---- Scalar tokens -------------------------------------------------------------------
    /// A plain scalar's text. A multi-line plain scalar is one token that includes its inner
    /// line breaks and indentation; it never includes trailing whitespace or a comment.
    PLAIN,
    /// A single-quoted scalar with its quotes, possibly spanning lines.
    SINGLE_QUOTED,
    /// A double-quoted scalar with its quotes, possibly spanning lines.
    DOUBLE_QUOTED,
    /// A block scalar header: `|` or `>` with its indentation and chomping indicators
    /// (`|-`, `>+2`, `|1-`).
    BLOCK_HEADER,
    /// A block scalar's content: every line after the header line that belongs to the
    /// scalar, indentation, line breaks and trailing blank lines included. It starts at the
    /// beginning of the first line after the header's line break.
    BLOCK_TEXT,

    // ---- Error token ---------------------------------------------------------------------
    /// Text the parser could not make sense of. Always reported by an error.
    INVALID,

    // ---- Nodes ---------------------------------------------------------------------------
    /// The whole stream: documents and the trivia between them.
    ROOT,
    /// One document: directives, `---`, the body node, `...`, and the trivia before its first
    /// token.
    DOCUMENT,
    /// A block mapping: `BLOCK_MAP_ENTRY` nodes, with the trivia between them. Properties
    /// written before the mapping (on the line above its first key) are its first children.
    BLOCK_MAP,
    /// One block mapping entry: `MAP_KEY`? `COLON`? `MAP_VALUE`?.
    BLOCK_MAP_ENTRY,
    /// A block sequence: `BLOCK_SEQ_ENTRY` nodes, with the trivia between them.
    BLOCK_SEQ,
    /// One block sequence entry: `DASH`, then the entry's node if it has one.
    BLOCK_SEQ_ENTRY,
    /// A flow mapping: `L_BRACE`, `FLOW_MAP_ENTRY` nodes separated by `COMMA`, `R_BRACE`.
    FLOW_MAP,
    /// One flow mapping entry: `MAP_KEY`? `COLON`? `MAP_VALUE`?.
    FLOW_MAP_ENTRY,
    /// A flow sequence: `L_BRACKET`, items (nodes or `FLOW_PAIR`) separated by `COMMA`,
    /// `R_BRACKET`.
    FLOW_SEQ,
    /// A single-pair mapping inside a flow sequence (`[a: b]`, `[? a : b]`):
    /// `MAP_KEY`? `COLON`? `MAP_VALUE`?.
    FLOW_PAIR,
    /// A mapping key: the `QUESTION` token of an explicit key if there is one, then the key
    /// node if there is one.
    MAP_KEY,
    /// A mapping value: the value node.
    MAP_VALUE,
    /// A scalar: its properties (`ANCHOR`, `TAG`), then one of `PLAIN`, `SINGLE_QUOTED`,
    /// `DOUBLE_QUOTED`, or `BLOCK_HEADER` ... `BLOCK_TEXT`. A scalar with properties and no
    /// content token is an empty (null) node.
    SCALAR,
    /// An alias node: its `ALIAS` token.
    ALIAS_NODE,
    /// A region the parser could not structure. Always reported by an error.
    ERROR,
}

use SyntaxKind::*;

impl SyntaxKind {
    /// Whether this kind is a token (a leaf).
    pub const fn is_token(self) -> bool {
        (self as u16) < (ROOT as u16)
    }

    /// Whether this kind is a node.
    pub const fn is_node(self) -> bool {
        !self.is_token()
    }

    /// Whether tokens of this kind carry no meaning: whitespace, line breaks, comments and
    /// byte order marks.
    pub const fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | NEWLINE | COMMENT | BOM)
    }

    /// Whether this is a token holding a scalar's text.
    pub const fn is_scalar_token(self) -> bool {
        matches!(
            self,
            PLAIN | SINGLE_QUOTED | DOUBLE_QUOTED | BLOCK_HEADER | BLOCK_TEXT
        )
    }

    /// Whether this node kind is a YAML node (a value): scalar, alias, mapping or sequence.
    pub const fn is_value_node(self) -> bool {
        matches!(
            self,
            SCALAR | ALIAS_NODE | BLOCK_MAP | BLOCK_SEQ | FLOW_MAP | FLOW_SEQ | FLOW_PAIR | ERROR
        )
    }
}
