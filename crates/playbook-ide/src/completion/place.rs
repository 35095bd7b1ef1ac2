//! Where the cursor is in the YAML of a file: at a key of which mapping, or at the value of
//! which key, named by the path of keys and sequence items from the document's root.
//!
//! Completion runs on half-typed text, so the place is read from the lossless syntax tree
//! where the cursor touches a scalar, and from the indentation of the lines above where it
//! does not (an empty line under `env:`, a new `- ` item): the line above at the cursor's
//! column is a sibling key, one to its left is the parent. A value written plain that starts
//! with `{{` is a flow mapping to YAML; the text on its line is taken as the template the
//! user is typing.

use playbook_diagnostics::{TextRange, TextSize};
use playbook_syntax::SyntaxKind::{self, *};
use playbook_syntax::ast::{Document, MapEntry, Mapping, Node, Scalar};
use playbook_syntax::{SyntaxNode, SyntaxToken, SyntaxTree};

/// How far up a tree a path is followed (the parser bounds nesting well below this).
const MAX_PATH: usize = 512;

/// One step of the path from a document's root: the value of a key, or an item of a
/// sequence.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Seg {
    Key(String),
    Item,
}

/// Where the cursor is.
pub(crate) struct Place<'t> {
    /// The path to the mapping of a key ([`At::Key`]), or to the value ([`At::Value`]).
    pub path: Vec<Seg>,
    /// The node the last step of the path is: a mapping entry or a sequence entry (`None`
    /// at the top, and for a new item of a sequence).
    pub owner: Option<SyntaxNode<'t>>,
    pub at: At<'t>,
}

pub(crate) enum At<'t> {
    Key(KeyAt<'t>),
    Value(ValueAt<'t>),
}

/// The cursor is at a key (typed in part, or not yet).
pub(crate) struct KeyAt<'t> {
    /// The mapping the key is in, when it exists yet: its other keys are taken.
    pub mapping: Option<Mapping<'t>>,
    /// The entry being typed, if there is one (it is not one of the taken keys).
    pub entry: Option<SyntaxNode<'t>>,
    /// What the completion replaces: the key scalar, or an empty range at the cursor.
    pub range: TextRange,
    /// Whether a `:` already follows the key (then only the name is inserted).
    pub has_colon: bool,
    /// The column of the key, which nested text inserted after it is indented from.
    pub column: u32,
    /// The key is in a flow mapping (`{...}`): text is inserted on one line.
    pub flow: bool,
}

/// The cursor is at a value (written in part, or not yet).
pub(crate) struct ValueAt<'t> {
    /// The value's scalar, when it has one.
    pub scalar: Option<Scalar<'t>>,
    /// A plain value that starts with `{{` (which YAML reads as a flow mapping): the source
    /// range of the text on its line, taken as a template.
    pub raw_template: Option<TextRange>,
    /// A plain word here may be the first key of a nested mapping, typed without its `:`
    /// yet: the value starts on a later line than its key, or is an item of a block
    /// sequence.
    pub may_be_key: bool,
    /// The column the value starts at.
    pub column: u32,
    /// The source range a value completion replaces: the scalar's content inside its
    /// quotes, or an empty range at the cursor.
    pub range: TextRange,
}

impl<'t> Place<'t> {
    /// A value on its own line read as the first key of a nested mapping (`env:` then
    /// `  REDIS_I`): when the value is one plain word on one line.
    pub fn value_as_key(&self) -> Option<Place<'t>> {
        let At::Value(value) = &self.at else {
            return None;
        };
        let scalar = value.scalar?;
        let content = scalar.content()?;
        let word = content.token().text();
        if !value.may_be_key
            || content.token().kind() != PLAIN
            || word.contains(['\n', '\r', ' ', '\t'])
        {
            return None;
        }
        Some(Place {
            path: self.path.clone(),
            owner: self.owner,
            at: At::Key(KeyAt {
                mapping: None,
                entry: None,
                range: content.range(),
                has_colon: false,
                column: value.column,
                flow: false,
            }),
        })
    }
}

/// The place of `offset` in `tree`, if the cursor is at a key or a value.
pub(crate) fn locate(tree: &SyntaxTree, offset: TextSize) -> Option<Place<'_>> {
    let text = tree.text();
    let offset = offset.min(text.len() as TextSize);
    let line_start = line_start(text, offset);
    let column = offset - line_start;
    let scalar = scalar_token_at(tree, offset);
    // A quoted or block scalar is read as written; a plain value that starts with `{{` is
    // a broken flow mapping, and its line is the template being typed.
    let plain = scalar.is_none_or(|t| t.kind() == PLAIN);
    if plain && let Some(place) = raw_template(tree, offset, line_start) {
        return Some(place);
    }
    if let Some(token) = scalar {
        return scalar_place(tree, token, offset);
    }
    let prefix = text.get(line_start as usize..offset as usize)?;
    let indent = prefix.len() - prefix.trim_start_matches(' ').len();
    let (dash, rest) = strip_dashes(prefix, indent);
    if rest.trim().is_empty() {
        if prefix.ends_with('-') {
            return None;
        }
        return blank_key(tree, line_start, column, dash);
    }
    if let Some(place) = after_colon(tree, offset, line_start, prefix, rest) {
        return Some(place);
    }
    flow_key(tree, offset)
}

/// The offset of the start of the line holding `offset`.
fn line_start(text: &str, offset: TextSize) -> TextSize {
    let before = text.as_bytes().get(..offset as usize).unwrap_or_default();
    before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i as TextSize + 1)
}

/// The column of `offset`.
fn column_of(text: &str, offset: TextSize) -> u32 {
    offset - line_start(text, offset)
}

/// The column of the first `- ` after the indentation of a line prefix (one level: a
/// nested `- - ` is not a place anything is completed), and what follows the dashes.
fn strip_dashes(prefix: &str, indent: usize) -> (Option<u32>, &str) {
    let mut rest = prefix.get(indent..).unwrap_or_default();
    let mut dash = None;
    let mut at = indent;
    while let Some(after) = rest.strip_prefix('-') {
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            break;
        }
        dash.get_or_insert(at as u32);
        let trimmed = after.trim_start_matches([' ', '\t']);
        at += rest.len() - trimmed.len();
        rest = trimmed;
    }
    (dash, rest)
}

/// The scalar token the cursor is in or at the end of: a plain word, the content of a
/// quoted scalar (not after its closing quote), a block scalar's text (not on an empty line
/// left of its indentation, where a new key is being written).
fn scalar_token_at(tree: &SyntaxTree, offset: TextSize) -> Option<SyntaxToken<'_>> {
    let token = tree.token_at_offset(offset)?;
    let range = token.text_range();
    // Inside a token, or past the end of the text (the last token); at a boundary, the
    // token that ends there (a word being typed) before the one that starts there.
    let candidates: [Option<SyntaxToken<'_>>; 2] = if range.start() < offset {
        [Some(token), None]
    } else {
        [token.prev_token(), Some(token)]
    };
    candidates
        .into_iter()
        .flatten()
        .find(|t| touches(tree.text(), *t, offset))
}

/// Whether the cursor at `offset` is in the content of scalar token `token`.
fn touches(text: &str, token: SyntaxToken<'_>, offset: TextSize) -> bool {
    let range = token.text_range();
    if !range.contains_inclusive(offset) {
        return false;
    }
    match token.kind() {
        PLAIN => true,
        SINGLE_QUOTED | DOUBLE_QUOTED => {
            let Some(scalar) = token
                .parent()
                .and_then(Node::cast)
                .and_then(Node::as_scalar)
            else {
                return false;
            };
            scalar.decode().map.to_decoded(offset).is_some() && offset > range.start()
        }
        BLOCK_TEXT => {
            let start = line_start(text, offset) as usize;
            let before = text.get(start..offset as usize).unwrap_or_default();
            if !before.trim().is_empty() {
                return true;
            }
            // An empty line: in the block only at or right of its indentation.
            let indent = token
                .text()
                .split(['\n', '\r'])
                .find(|line| !line.trim().is_empty())
                .map_or(0, |line| line.len() - line.trim_start_matches(' ').len());
            before.len() >= indent
        }
        _ => false,
    }
}

/// The place of a scalar token: a key, a value, or an item of a sequence.
fn scalar_place<'t>(
    tree: &'t SyntaxTree,
    token: SyntaxToken<'t>,
    offset: TextSize,
) -> Option<Place<'t>> {
    let text = tree.text();
    let scalar_node = token.parent()?;
    let scalar = Node::cast(scalar_node)?.as_scalar()?;
    let parent = scalar_node.parent()?;
    match parent.kind() {
        MAP_KEY => {
            let entry = parent.parent()?;
            let mapping = mapping_of_entry(entry);
            let range = scalar.content_range();
            Some(Place {
                path: path_to(entry, false),
                owner: owner_of(entry, false),
                at: At::Key(KeyAt {
                    mapping,
                    entry: Some(entry),
                    range,
                    has_colon: entry.token_of_kind(COLON).is_some(),
                    column: column_of(text, range.start()),
                    flow: entry.kind() != BLOCK_MAP_ENTRY,
                }),
            })
        }
        DOCUMENT => {
            let range = scalar.content_range();
            Some(Place {
                path: Vec::new(),
                owner: None,
                at: At::Key(KeyAt {
                    mapping: None,
                    entry: None,
                    range,
                    has_colon: false,
                    column: column_of(text, range.start()),
                    flow: false,
                }),
            })
        }
        MAP_VALUE | BLOCK_SEQ_ENTRY | FLOW_SEQ => {
            let (path, owner, may_be_key) = match parent.kind() {
                MAP_VALUE => {
                    let entry = parent.parent()?;
                    let key_end = entry
                        .token_of_kind(COLON)
                        .map_or(entry.text_range().start(), |c| c.text_range().end());
                    let may_be_key = starts_line_after(text, key_end, scalar);
                    (path_to(entry, true), Some(entry), may_be_key)
                }
                // An item may be the first key of a mapping, its `:` not typed yet.
                BLOCK_SEQ_ENTRY => (path_to(parent, true), Some(parent), true),
                _ => (path_to(scalar_node, true), Some(scalar_node), false),
            };
            let start = scalar.content_range().start();
            Some(Place {
                path,
                owner,
                at: At::Value(ValueAt {
                    scalar: Some(scalar),
                    raw_template: None,
                    may_be_key,
                    column: column_of(text, start),
                    range: inner_range(text, scalar, offset),
                }),
            })
        }
        _ => None,
    }
}

/// Whether `scalar` starts on a later line than `after`.
fn starts_line_after(text: &str, after: TextSize, scalar: Scalar<'_>) -> bool {
    let start = scalar.content_range().start();
    text.get(after as usize..start as usize)
        .is_some_and(|between| between.contains(['\n', '\r']))
}

/// The part of a scalar a value completion replaces: a plain scalar's text, a quoted
/// scalar's content inside its quotes; an empty range at the cursor for a block scalar.
fn inner_range(text: &str, scalar: Scalar<'_>, offset: TextSize) -> TextRange {
    let Some(content) = scalar.content() else {
        return TextRange::empty(offset);
    };
    let range = content.range();
    match content.token().kind() {
        PLAIN => range,
        SINGLE_QUOTED | DOUBLE_QUOTED => {
            let quote = if content.token().kind() == SINGLE_QUOTED {
                b'\''
            } else {
                b'"'
            };
            let raw = text.get(range.as_usize()).unwrap_or_default().as_bytes();
            let closed = raw.len() >= 2 && raw.last() == Some(&quote);
            let end = if closed { range.end() - 1 } else { range.end() };
            TextRange::new((range.start() + 1).min(end), end)
        }
        _ => TextRange::empty(offset),
    }
}

/// The mapping an entry node belongs to (a `FLOW_PAIR` is its own mapping).
fn mapping_of_entry(entry: SyntaxNode<'_>) -> Option<Mapping<'_>> {
    if entry.kind() == FLOW_PAIR {
        return Node::cast(entry)?.as_mapping();
    }
    Node::cast(entry.parent()?)?.as_mapping()
}

/// The [`MapEntry`] view of an entry node.
pub(crate) fn entry_view(entry: SyntaxNode<'_>) -> Option<MapEntry<'_>> {
    mapping_of_entry(entry)?
        .entries()
        .find(|e| e.syntax() == entry)
}

/// The text of an entry node's key.
fn key_text(entry: SyntaxNode<'_>) -> String {
    entry_view(entry)
        .and_then(MapEntry::key_scalar)
        .map(|k| k.value().into_owned())
        .unwrap_or_default()
}

/// The entry or sequence entry that `node` (when `include_self`) or its nearest ancestor
/// is: what the last step of [`path_to`] names.
fn owner_of(node: SyntaxNode<'_>, include_self: bool) -> Option<SyntaxNode<'_>> {
    let first = if include_self {
        Some(node)
    } else {
        node.parent()
    };
    std::iter::successors(first, |n| n.parent())
        .take(MAX_PATH)
        .take_while(|n| !matches!(n.kind(), DOCUMENT | ROOT))
        .find(|n| {
            is_entry(n.kind())
                || n.kind() == BLOCK_SEQ_ENTRY
                || n.parent().is_some_and(|p| p.kind() == FLOW_SEQ)
        })
}

fn is_entry(kind: SyntaxKind) -> bool {
    matches!(kind, BLOCK_MAP_ENTRY | FLOW_MAP_ENTRY | FLOW_PAIR)
}

/// The path from the document's root to `node`: the keys of the entries and the sequence
/// items around it, outermost first; `node` itself counts when `include_self`.
pub(crate) fn path_to(node: SyntaxNode<'_>, include_self: bool) -> Vec<Seg> {
    let mut path = Vec::new();
    let first = if include_self {
        Some(node)
    } else {
        node.parent()
    };
    for n in std::iter::successors(first, |n| n.parent()).take(MAX_PATH) {
        match n.kind() {
            DOCUMENT | ROOT => break,
            kind if is_entry(kind) => path.push(Seg::Key(key_text(n))),
            BLOCK_SEQ_ENTRY => path.push(Seg::Item),
            _ if n.parent().is_some_and(|p| p.kind() == FLOW_SEQ) => path.push(Seg::Item),
            _ => {}
        }
    }
    path.reverse();
    path
}

/// A plain value on the cursor's line that starts with `{{`: YAML reads a flow mapping,
/// the user is typing a template. Its text runs to the end of the line.
fn raw_template(tree: &SyntaxTree, offset: TextSize, line_start: TextSize) -> Option<Place<'_>> {
    let text = tree.text();
    let line = line_text(text, line_start);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let (dash, rest) = strip_dashes(line, indent);
    let rest_at = line.len() - rest.len();
    // `key: {{` or `- {{`.
    let (value_at, owner) = if rest.starts_with("{{") {
        (rest_at, Owner::Dash(dash?))
    } else {
        let colon = find_key_colon(rest)?;
        let after = rest.get(colon + 1..)?;
        let value = after.trim_start_matches([' ', '\t']);
        if !value.starts_with("{{") || value.len() == after.len() {
            return None;
        }
        (
            rest_at + colon + 1 + (after.len() - value.len()),
            Owner::Key(rest_at),
        )
    };
    let start = line_start + value_at as TextSize;
    let end = line_start + line.len() as TextSize;
    if !(start + 2 <= offset && offset <= end) {
        return None;
    }
    let node = match owner {
        Owner::Key(at) => key_entry_at(tree, line_start + at as TextSize)?,
        Owner::Dash(column) => dash_entry_at(tree, line_start + column)?,
    };
    Some(Place {
        path: path_to(node, true),
        owner: Some(node),
        at: At::Value(ValueAt {
            scalar: None,
            raw_template: Some(TextRange::new(start, end)),
            may_be_key: false,
            column: value_at as u32,
            range: TextRange::empty(offset),
        }),
    })
}

enum Owner {
    /// A key at this column of the line.
    Key(usize),
    /// A `- ` at this column.
    Dash(u32),
}

/// The text of the line starting at `line_start`, without its line break.
fn line_text(text: &str, line_start: TextSize) -> &str {
    let rest = text.get(line_start as usize..).unwrap_or_default();
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    &rest[..end]
}

/// The `:` that ends a plain key at the start of `rest` (followed by a space or the end).
fn find_key_colon(rest: &str) -> Option<usize> {
    if rest.starts_with(['"', '\'', '{', '[', '#']) {
        return None;
    }
    let bytes = rest.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| matches!(b, b' ' | b'\t')))
}

/// The entry node whose key scalar starts at `at`.
fn key_entry_at(tree: &SyntaxTree, at: TextSize) -> Option<SyntaxNode<'_>> {
    let token = tree.token_at_offset(at)?;
    if !token.kind().is_scalar_token() || token.text_range().start() != at {
        return None;
    }
    let key = token.parent()?.parent().filter(|p| p.kind() == MAP_KEY)?;
    key.parent()
}

/// The cursor right after `key: ` on a line: the value of that key, not written yet.
fn after_colon<'t>(
    tree: &'t SyntaxTree,
    offset: TextSize,
    line_start: TextSize,
    prefix: &str,
    rest: &str,
) -> Option<Place<'t>> {
    let colon = find_key_colon(rest)?;
    let after = rest.get(colon + 1..)?;
    if after.is_empty() || !after.trim().is_empty() {
        return None;
    }
    let key_at = line_start + (prefix.len() - rest.len()) as TextSize;
    let entry = key_entry_at(tree, key_at)?;
    Some(Place {
        path: path_to(entry, true),
        owner: Some(entry),
        at: At::Value(ValueAt {
            scalar: None,
            raw_template: None,
            may_be_key: false,
            column: column_of(tree.text(), offset),
            range: TextRange::empty(offset),
        }),
    })
}

/// The cursor in a flow mapping, right after its `{` or a `,`: a new key.
fn flow_key(tree: &SyntaxTree, offset: TextSize) -> Option<Place<'_>> {
    let text = tree.text();
    let before = text.get(..offset as usize)?.trim_end_matches([' ', '\t']);
    if !before.ends_with(['{', ',']) {
        return None;
    }
    let token = tree.token_at_offset(offset)?;
    let map = std::iter::successors(token.parent(), |n| n.parent())
        .take(MAX_PATH)
        .find(|n| n.kind() == FLOW_MAP && n.text_range().start() < offset)?;
    Some(Place {
        path: path_to(map, false),
        owner: owner_of(map, false),
        at: At::Key(KeyAt {
            mapping: Node::cast(map).and_then(Node::as_mapping),
            entry: None,
            range: TextRange::empty(offset),
            has_colon: false,
            column: column_of(text, offset),
            flow: true,
        }),
    })
}

/// What a line above the cursor holds, as far as indentation goes.
struct LineShape {
    /// The column of its first `- `.
    dash: Option<u32>,
    /// The column and offset of what follows the dashes, when something does.
    content: Option<(u32, TextSize)>,
}

/// A key to be written on a line that holds only indentation (and maybe `- `) before the
/// cursor: which mapping it goes in is read from the lines above.
fn blank_key<'t>(
    tree: &'t SyntaxTree,
    line_start: TextSize,
    column: u32,
    dash: Option<u32>,
) -> Option<Place<'t>> {
    let text = tree.text();
    let key_at = |path: Vec<Seg>, owner: Option<SyntaxNode<'t>>, mapping: Option<Mapping<'t>>| {
        Some(Place {
            path,
            owner,
            at: At::Key(KeyAt {
                mapping,
                entry: None,
                range: TextRange::empty(line_start + column),
                has_colon: false,
                column,
                flow: false,
            }),
        })
    };
    let mut current = line_start;
    while current > 0 {
        // The line before `current`, stepping over its `\n`, `\r\n` or `\r`.
        let mut end = current - 1;
        if end > 0
            && text.as_bytes().get(end as usize) == Some(&b'\n')
            && text.as_bytes().get(end as usize - 1) == Some(&b'\r')
        {
            end -= 1;
        }
        let this_start = line_start_of(text, end);
        current = this_start;
        let Some(LineShape {
            dash: line_dash,
            content,
        }) = line_shape(tree, this_start)
        else {
            continue;
        };
        // A document boundary: nothing above belongs to this document.
        let Some(least) = line_dash.or(content.map(|(c, _)| c)) else {
            break;
        };
        match dash {
            // A new key at the cursor's column.
            None => {
                if least > column {
                    continue;
                }
                if least == column && line_dash.is_some() {
                    return None;
                }
                return match content {
                    // A sibling key.
                    Some((c, at)) if c == column => {
                        let entry = key_entry_at(tree, at)?;
                        key_at(
                            path_to(entry, false),
                            owner_of(entry, false),
                            mapping_of_entry(entry),
                        )
                    }
                    // The parent key, whose value is a mapping or not written yet.
                    Some((c, at)) if c < column => {
                        let entry = key_entry_at(tree, at)?;
                        match entry_view(entry)?.value() {
                            None => key_at(path_to(entry, true), Some(entry), None),
                            Some(Node::Mapping(m)) if !m.is_flow() => {
                                key_at(path_to(entry, true), Some(entry), Some(m))
                            }
                            Some(Node::Scalar(s)) if s.is_null() => {
                                key_at(path_to(entry, true), Some(entry), None)
                            }
                            _ => None,
                        }
                    }
                    Some(_) => None,
                    // A bare `-`: the cursor is in its item.
                    None => {
                        let item = dash_entry_at(tree, this_start + least)?;
                        key_at(path_to(item, true), Some(item), item_mapping(item))
                    }
                };
            }
            // A new item `- ` whose dash is at column `d`.
            Some(d) => {
                if least > d {
                    continue;
                }
                // A sibling item.
                if line_dash == Some(d) {
                    let item = dash_entry_at(tree, this_start + d)?;
                    return key_at(path_to(item, true), None, None);
                }
                // The key whose value the sequence is (`steps:` at or left of the dash).
                let (c, at) = content?;
                if c > d {
                    return None;
                }
                let entry = key_entry_at(tree, at)?;
                let fits = match entry_view(entry)?.value() {
                    None => true,
                    Some(Node::Sequence(s)) => !s.is_flow(),
                    Some(Node::Scalar(s)) => s.is_null(),
                    _ => false,
                };
                if !fits {
                    return None;
                }
                let mut path = path_to(entry, true);
                path.push(Seg::Item);
                return key_at(path, None, None);
            }
        }
    }
    // The top of the document: a top-level key.
    if dash.is_none() && column == 0 {
        let mapping = top_mapping(tree, line_start);
        return key_at(Vec::new(), None, mapping);
    }
    None
}

/// The start of the line holding offset `at`.
fn line_start_of(text: &str, at: TextSize) -> TextSize {
    line_start(text, at.min(text.len() as TextSize))
}

/// The shape of the line starting at `start`; `None` for a line that says nothing of the
/// structure: empty, a comment, or the continuation of a multi-line scalar.
fn line_shape(tree: &SyntaxTree, start: TextSize) -> Option<LineShape> {
    let text = tree.text();
    let line = line_text(text, start);
    let indent = line.len() - line.trim_start_matches(' ').len();
    let first = line.get(indent..)?;
    if first.trim().is_empty() || first.starts_with('#') {
        return None;
    }
    let at = start + indent as TextSize;
    let token = tree.token_at_offset(at)?;
    if token.text_range().start() < at || token.kind() == BLOCK_TEXT {
        return None;
    }
    if matches!(token.kind(), DOC_START | DOC_END | DIRECTIVE) {
        // A document boundary: nothing above belongs to this document.
        return Some(LineShape {
            dash: None,
            content: None,
        });
    }
    let (dash, rest) = strip_dashes(line, indent);
    let rest_trimmed = rest.trim();
    let content = (!rest_trimmed.is_empty() && !rest_trimmed.starts_with('#')).then(|| {
        let column = (line.len() - rest.len()) as u32;
        (column, start + column)
    });
    Some(LineShape { dash, content })
}

/// The `BLOCK_SEQ_ENTRY` whose `-` is at `at`.
fn dash_entry_at(tree: &SyntaxTree, at: TextSize) -> Option<SyntaxNode<'_>> {
    let token = tree.token_at_offset(at)?;
    if token.kind() != DASH {
        return None;
    }
    token.parent().filter(|p| p.kind() == BLOCK_SEQ_ENTRY)
}

/// The mapping an item of a block sequence holds, if any.
fn item_mapping(item: SyntaxNode<'_>) -> Option<Mapping<'_>> {
    item.children()
        .find_map(Node::cast)
        .and_then(Node::as_mapping)
}

/// The root mapping of the document holding `offset` (or the last one before it).
fn top_mapping(tree: &SyntaxTree, offset: TextSize) -> Option<Mapping<'_>> {
    document_at(tree, offset)?.body()?.as_mapping()
}

/// The document holding `offset`, else the last one that starts before it.
pub(crate) fn document_at(tree: &SyntaxTree, offset: TextSize) -> Option<Document<'_>> {
    playbook_syntax::ast::documents(tree)
        .take_while(|d| d.syntax().text_range().start() <= offset)
        .last()
}
