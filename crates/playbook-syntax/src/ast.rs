//! Typed views over the YAML syntax tree: documents, mappings, sequences, scalars, aliases.
//!
//! Every getter returns an `Option` (or skips what is missing), because a tree built from
//! half-typed input may lack any part. The views are thin wrappers around [`SyntaxNode`]
//! cursors and cost nothing to create.
//!
//! Block and flow collections are the same to this layer: a [`Mapping`] is a `BLOCK_MAP`, a
//! `FLOW_MAP` or a single-pair `FLOW_PAIR`; a [`Sequence`] is a `BLOCK_SEQ` or a `FLOW_SEQ`.

use std::borrow::Cow;

use playbook_diagnostics::TextRange;

use crate::SyntaxKind::{self, *};
use crate::decode::{self, Decoded, Quotes};
use crate::{SyntaxNode, SyntaxToken, SyntaxTree};

/// The documents of a stream, in order.
pub fn documents(tree: &SyntaxTree) -> impl Iterator<Item = Document<'_>> + '_ {
    tree.root().children().filter_map(Document::cast)
}

/// One document of a stream.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Document<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> Document<'t> {
    pub fn cast(syntax: SyntaxNode<'t>) -> Option<Document<'t>> {
        (syntax.kind() == DOCUMENT).then_some(Document { syntax })
    }

    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    /// The document's root node; `None` for an empty document.
    pub fn body(self) -> Option<Node<'t>> {
        first_node(self.syntax)
    }

    /// The `---` marker, when the document has one.
    pub fn start_marker(self) -> Option<SyntaxToken<'t>> {
        self.syntax.token_of_kind(DOC_START)
    }

    /// The `...` marker, when the document has one.
    pub fn end_marker(self) -> Option<SyntaxToken<'t>> {
        self.syntax.token_of_kind(DOC_END)
    }

    /// The `%YAML` and `%TAG` directives before the document.
    pub fn directives(self) -> impl Iterator<Item = SyntaxToken<'t>> + 't {
        self.syntax.child_tokens().filter(|t| t.kind() == DIRECTIVE)
    }
}

/// A YAML node: what can stand as a document body, a key, a value or a sequence item.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Node<'t> {
    Scalar(Scalar<'t>),
    Alias(Alias<'t>),
    Mapping(Mapping<'t>),
    Sequence(Sequence<'t>),
    /// A region the parser could not structure (an error was reported for it).
    Error(SyntaxNode<'t>),
}

impl<'t> Node<'t> {
    pub fn cast(syntax: SyntaxNode<'t>) -> Option<Node<'t>> {
        Some(match syntax.kind() {
            SCALAR => Node::Scalar(Scalar { syntax }),
            ALIAS_NODE => Node::Alias(Alias { syntax }),
            BLOCK_MAP | FLOW_MAP | FLOW_PAIR => Node::Mapping(Mapping { syntax }),
            BLOCK_SEQ | FLOW_SEQ => Node::Sequence(Sequence { syntax }),
            ERROR => Node::Error(syntax),
            _ => return None,
        })
    }

    pub fn syntax(self) -> SyntaxNode<'t> {
        match self {
            Node::Scalar(n) => n.syntax,
            Node::Alias(n) => n.syntax,
            Node::Mapping(n) => n.syntax,
            Node::Sequence(n) => n.syntax,
            Node::Error(n) => n,
        }
    }

    pub fn text_range(self) -> TextRange {
        self.syntax().text_range()
    }

    /// The node's anchor (`&name`), if it has one.
    pub fn anchor(self) -> Option<SyntaxToken<'t>> {
        properties(self.syntax()).find(|t| t.kind() == ANCHOR)
    }

    /// The node's tag (`!tag`), if it has one.
    pub fn tag(self) -> Option<SyntaxToken<'t>> {
        properties(self.syntax()).find(|t| t.kind() == TAG)
    }

    /// What kind of node this is, in words: "a scalar", "a mapping", "a sequence", "an
    /// alias"; for messages such as "expected a mapping, found a sequence".
    pub fn kind_name(self) -> &'static str {
        match self {
            Node::Scalar(_) => "a scalar",
            Node::Alias(_) => "an alias",
            Node::Mapping(_) => "a mapping",
            Node::Sequence(_) => "a sequence",
            Node::Error(_) => "invalid YAML",
        }
    }

    pub fn as_scalar(self) -> Option<Scalar<'t>> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_mapping(self) -> Option<Mapping<'t>> {
        match self {
            Node::Mapping(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_sequence(self) -> Option<Sequence<'t>> {
        match self {
            Node::Sequence(s) => Some(s),
            _ => None,
        }
    }
}

/// The first child of `syntax` that is a [`Node`].
fn first_node(syntax: SyntaxNode<'_>) -> Option<Node<'_>> {
    syntax.find_child_node(is_node_kind).and_then(Node::cast)
}

/// Whether [`Node::cast`] accepts a node of `kind`.
fn is_node_kind(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SCALAR | ALIAS_NODE | BLOCK_MAP | FLOW_MAP | FLOW_PAIR | BLOCK_SEQ | FLOW_SEQ | ERROR
    )
}

/// The property tokens (anchor, tag) written before a node's content.
fn properties<'t>(syntax: SyntaxNode<'t>) -> impl Iterator<Item = SyntaxToken<'t>> + 't {
    syntax
        .children_with_tokens()
        .take_while(|c| matches!(c.kind(), ANCHOR | TAG) || c.kind().is_trivia())
        .filter_map(|c| c.into_token())
        .filter(|t| matches!(t.kind(), ANCHOR | TAG))
}

/// A block mapping, a flow mapping, or a single-pair mapping in a flow sequence.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Mapping<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> Mapping<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    /// Whether this is a flow mapping (`{...}` or a pair in `[...]`).
    pub fn is_flow(self) -> bool {
        self.syntax.kind() != BLOCK_MAP
    }

    /// The entries, in order.
    pub fn entries(self) -> impl Iterator<Item = MapEntry<'t>> + 't {
        let pair = (self.syntax.kind() == FLOW_PAIR).then_some(MapEntry {
            syntax: self.syntax,
        });
        let entries = self
            .syntax
            .children()
            .filter(|c| matches!(c.kind(), BLOCK_MAP_ENTRY | FLOW_MAP_ENTRY))
            .map(|syntax| MapEntry { syntax });
        pair.into_iter().chain(entries)
    }

    /// The first entry whose key is the scalar `key`.
    pub fn get(self, key: &str) -> Option<MapEntry<'t>> {
        self.entries()
            .find(|e| e.key_scalar().is_some_and(|k| k.value() == key))
    }
}

/// One entry of a [`Mapping`]: an optional key and an optional value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct MapEntry<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> MapEntry<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    pub fn text_range(self) -> TextRange {
        self.syntax.text_range()
    }

    /// The `MAP_KEY` node, which holds the `?` of an explicit key and the key node.
    pub fn key_syntax(self) -> Option<SyntaxNode<'t>> {
        self.syntax.child_of_kind(MAP_KEY)
    }

    /// The `MAP_VALUE` node.
    pub fn value_syntax(self) -> Option<SyntaxNode<'t>> {
        self.syntax.child_of_kind(MAP_VALUE)
    }

    pub fn key(self) -> Option<Node<'t>> {
        first_node(self.key_syntax()?)
    }

    /// The key, when it is a scalar (as it is in every playbook file).
    pub fn key_scalar(self) -> Option<Scalar<'t>> {
        self.key()?.as_scalar()
    }

    pub fn value(self) -> Option<Node<'t>> {
        first_node(self.value_syntax()?)
    }

    /// The `:` value indicator.
    pub fn colon(self) -> Option<SyntaxToken<'t>> {
        self.syntax.token_of_kind(COLON)
    }

    /// The `?` of an explicit key.
    pub fn question(self) -> Option<SyntaxToken<'t>> {
        self.key_syntax()?.token_of_kind(QUESTION)
    }
}

/// A block or flow sequence.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Sequence<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> Sequence<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    pub fn is_flow(self) -> bool {
        self.syntax.kind() == FLOW_SEQ
    }

    /// The entries, in order. In a block sequence an entry is a `- ` with an optional node;
    /// in a flow sequence it is the item node itself.
    pub fn entries(self) -> impl Iterator<Item = SeqEntry<'t>> + 't {
        let flow = self.is_flow();
        self.syntax.children().filter_map(move |syntax| {
            if flow {
                Node::cast(syntax).map(|_| SeqEntry { syntax })
            } else {
                (syntax.kind() == BLOCK_SEQ_ENTRY).then_some(SeqEntry { syntax })
            }
        })
    }

    /// The item nodes, in order; entries with no node (a bare `-`) are skipped.
    pub fn items(self) -> impl Iterator<Item = Node<'t>> + 't {
        self.entries().filter_map(|e| e.value())
    }
}

/// One entry of a [`Sequence`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SeqEntry<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> SeqEntry<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    pub fn text_range(self) -> TextRange {
        self.syntax.text_range()
    }

    /// The `-` of a block sequence entry.
    pub fn dash(self) -> Option<SyntaxToken<'t>> {
        self.syntax.token_of_kind(DASH)
    }

    /// The entry's node; `None` for a bare `-`.
    pub fn value(self) -> Option<Node<'t>> {
        if self.syntax.kind() == BLOCK_SEQ_ENTRY {
            first_node(self.syntax)
        } else {
            Node::cast(self.syntax)
        }
    }
}

/// How a scalar is written.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// A scalar node.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Scalar<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> Scalar<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    /// The token that starts the scalar's content: `PLAIN`, `SINGLE_QUOTED`, `DOUBLE_QUOTED`
    /// or `BLOCK_HEADER`. `None` for an empty scalar (properties only).
    pub fn content_token(self) -> Option<SyntaxToken<'t>> {
        self.syntax
            .find_child_token(|k| matches!(k, PLAIN | SINGLE_QUOTED | DOUBLE_QUOTED | BLOCK_HEADER))
    }

    /// The scalar's content, found once, for code that needs several of its style, range and
    /// value: each [`Scalar`] getter looks for the content token anew. `None` for an empty
    /// scalar (properties only).
    pub fn content(self) -> Option<ScalarContent<'t>> {
        Some(ScalarContent {
            scalar: self,
            token: self.content_token()?,
        })
    }

    /// The `BLOCK_TEXT` of a block scalar.
    pub fn block_text(self) -> Option<SyntaxToken<'t>> {
        self.syntax.token_of_kind(BLOCK_TEXT)
    }

    pub fn style(self) -> ScalarStyle {
        self.content()
            .map_or(ScalarStyle::Plain, ScalarContent::style)
    }

    /// The source range of the scalar's content, properties excluded: from the first byte of
    /// the content token to the end of the scalar. Empty, at the scalar's end, for an empty
    /// scalar.
    pub fn content_range(self) -> TextRange {
        match self.content() {
            Some(c) => c.range(),
            None => TextRange::empty(self.syntax.text_range().end()),
        }
    }

    /// The decoded value. Borrowed from the source when there is nothing to decode (a
    /// single-line plain scalar, a quoted one without escapes), the common case; decoded
    /// (escapes, folding, indentation) otherwise.
    pub fn value(self) -> Cow<'t, str> {
        self.content()
            .map_or(Cow::Borrowed(""), ScalarContent::value)
    }

    /// The decoded value with a map from each decoded offset back to its source offset, and
    /// the errors found while decoding (invalid escapes).
    pub fn decode(self) -> Decoded {
        match self.content() {
            Some(c) => c.decode(),
            None => Decoded::empty(self.syntax.text_range().end()),
        }
    }

    /// Whether the scalar is a YAML null: empty, `~` or `null` written plain.
    pub fn is_null(self) -> bool {
        self.content().is_none_or(ScalarContent::is_null)
    }

    /// The indentation (column) of the block collection entry that holds this scalar, which
    /// an explicit indentation indicator (`|2`) counts from; `None` at the top level.
    fn block_parent_indent(self) -> Option<u32> {
        let entry = self
            .syntax
            .ancestors()
            .find(|n| matches!(n.kind(), BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY))?;
        Some(column_of(entry.tree().text(), entry.text_range().start()))
    }
}

/// The content of a non-empty [`Scalar`]: its content token, from which its style, range and
/// value are read without searching the scalar's children again.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ScalarContent<'t> {
    scalar: Scalar<'t>,
    token: SyntaxToken<'t>,
}

impl<'t> ScalarContent<'t> {
    /// The scalar this is the content of.
    pub fn scalar(self) -> Scalar<'t> {
        self.scalar
    }

    /// The token that starts the content (see [`Scalar::content_token`]).
    pub fn token(self) -> SyntaxToken<'t> {
        self.token
    }

    /// How the scalar is written (see [`Scalar::style`]).
    pub fn style(self) -> ScalarStyle {
        match self.token.kind() {
            SINGLE_QUOTED => ScalarStyle::SingleQuoted,
            DOUBLE_QUOTED => ScalarStyle::DoubleQuoted,
            BLOCK_HEADER if self.token.text().starts_with('>') => ScalarStyle::Folded,
            BLOCK_HEADER => ScalarStyle::Literal,
            _ => ScalarStyle::Plain,
        }
    }

    /// The source range of the content (see [`Scalar::content_range`]).
    pub fn range(self) -> TextRange {
        TextRange::new(
            self.token.text_range().start(),
            self.scalar.syntax.text_range().end(),
        )
    }

    /// The decoded value (see [`Scalar::value`]).
    pub fn value(self) -> Cow<'t, str> {
        let text = self.token.text();
        let verbatim = match self.token.kind() {
            // As decoding would, but also for a plain token ending in white space (which the
            // parser never makes): its text is its value.
            PLAIN if !decode::has_line_break(text.as_bytes()) => Some(text),
            SINGLE_QUOTED => decode::verbatim_quoted(text, Quotes::Single),
            DOUBLE_QUOTED => decode::verbatim_quoted(text, Quotes::Double),
            _ => None,
        };
        match verbatim {
            Some(value) => Cow::Borrowed(value),
            None => Cow::Owned(self.decode().value),
        }
    }

    /// The decoded value, its source map and its decoding errors (see [`Scalar::decode`]).
    pub fn decode(self) -> Decoded {
        let token = self.token;
        let start = token.text_range().start();
        match token.kind() {
            SINGLE_QUOTED => decode::single_quoted(token.text(), start),
            DOUBLE_QUOTED => decode::double_quoted(token.text(), start),
            BLOCK_HEADER => {
                let scalar = self.scalar;
                let (body, body_start) = match scalar.block_text() {
                    Some(b) => (b.text(), b.text_range().start()),
                    None => ("", scalar.syntax.text_range().end()),
                };
                decode::block(token.text(), body, body_start, scalar.block_parent_indent())
            }
            _ => decode::plain(token.text(), start),
        }
    }

    /// Whether the scalar is a YAML null (see [`Scalar::is_null`]).
    pub fn is_null(self) -> bool {
        self.style() == ScalarStyle::Plain
            && matches!(&*self.value(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// The column (in bytes, which equals characters for the spaces of YAML indentation) of
/// `offset` in its line.
fn column_of(text: &str, offset: u32) -> u32 {
    let before = &text.as_bytes()[..offset as usize];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    offset - line_start as u32
}

/// An alias node: `*name`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Alias<'t> {
    syntax: SyntaxNode<'t>,
}

impl<'t> Alias<'t> {
    pub fn syntax(self) -> SyntaxNode<'t> {
        self.syntax
    }

    /// The anchor name this alias refers to, without the `*`.
    pub fn name(self) -> &'t str {
        self.syntax
            .token_of_kind(ALIAS)
            .map_or("", |t| t.text().strip_prefix('*').unwrap_or(t.text()))
    }
}

/// Whether `kind` is a mapping kind.
pub fn is_mapping_kind(kind: SyntaxKind) -> bool {
    matches!(kind, BLOCK_MAP | FLOW_MAP | FLOW_PAIR)
}
