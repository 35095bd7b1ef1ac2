//! The lossless syntax tree: an immutable value that owns its text and stores its elements
//! (nodes and tokens) in one flat array in preorder.
//!
//! This is the "green/red tree" idea with a flat layout: the array is the green tree (kinds,
//! ranges, subtree extents), and [`SyntaxNode`] / [`SyntaxToken`] are cheap `Copy` cursors
//! into it that can walk to parents, children and siblings, like rowan's red nodes. Building
//! is a single pass over parser events with no allocation per node, which keeps parsing fast.
//!
//! The tree is lossless by construction: the concatenated text of its tokens is exactly the
//! input, and [`TreeBuilder::finish`] repairs any shortfall with an `INVALID` token rather
//! than lose a byte.

use std::fmt::{self, Write as _};

use playbook_diagnostics::{TextRange, TextSize};

use crate::SyntaxKind::{self, *};

const NO_PARENT: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Elem {
    kind: SyntaxKind,
    start: TextSize,
    end: TextSize,
    /// Index of the last element of this element's subtree (itself for a token or an empty
    /// node).
    last: u32,
    parent: u32,
}

/// A complete syntax tree and the text it was built from.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SyntaxTree {
    text: Box<str>,
    elems: Box<[Elem]>,
}

impl SyntaxTree {
    /// The full text: always exactly the parsed input.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The root node (kind `ROOT`).
    pub fn root(&self) -> SyntaxNode<'_> {
        SyntaxNode {
            tree: self,
            index: 0,
        }
    }

    /// How many elements (nodes and tokens) the tree holds.
    pub fn len(&self) -> usize {
        self.elems.len()
    }

    /// Whether the tree holds nothing but its root.
    pub fn is_empty(&self) -> bool {
        self.elems.len() <= 1
    }

    /// Every token, in text order.
    pub fn tokens(&self) -> impl Iterator<Item = SyntaxToken<'_>> + '_ {
        (0..self.elems.len() as u32)
            .filter(|&i| self.elems[i as usize].kind.is_token())
            .map(move |index| SyntaxToken { tree: self, index })
    }

    /// The token that contains `offset`; at the boundary of two tokens, the one that starts
    /// there. `None` only for an empty text.
    pub fn token_at_offset(&self, offset: TextSize) -> Option<SyntaxToken<'_>> {
        let mut node = self.root();
        loop {
            let mut next = None;
            let mut last_child = None;
            for child in node.children_with_tokens() {
                last_child = Some(child);
                let range = child.text_range();
                if range.contains(offset) {
                    next = Some(child);
                    break;
                }
            }
            // Past the end: descend into the last child so that a cursor at the end of the
            // file still finds the last token.
            let child = next.or_else(|| {
                last_child.filter(|c| {
                    offset >= c.text_range().end() && offset == self.text.len() as TextSize
                })
            })?;
            match child {
                SyntaxElement::Token(token) => return Some(token),
                SyntaxElement::Node(n) => node = n,
            }
        }
    }

    /// The deepest node whose range covers `range`.
    pub fn covering_node(&self, range: TextRange) -> SyntaxNode<'_> {
        let mut node = self.root();
        'descend: loop {
            for child in node.children() {
                if child.text_range().contains_range(range) && !child.text_range().is_empty() {
                    node = child;
                    continue 'descend;
                }
            }
            return node;
        }
    }

    /// The tree in the indented notation used by `playbook debug tree` and by tests:
    /// `KIND@start..end` for nodes and `KIND@start..end "text"` for tokens.
    pub fn debug_dump(&self) -> String {
        let mut out = String::new();
        for (index, elem) in self.elems.iter().enumerate() {
            let mut depth = 0;
            let mut p = elem.parent;
            while p != NO_PARENT {
                depth += 1;
                p = self.elems[p as usize].parent;
            }
            for _ in 0..depth {
                out.push_str("  ");
            }
            let _ = write!(out, "{:?}@{}..{}", elem.kind, elem.start, elem.end);
            if elem.kind.is_token() {
                let text = &self.text[elem.start as usize..elem.end as usize];
                let _ = write!(out, " {text:?}");
            }
            let _ = index;
            out.push('\n');
        }
        out
    }
}

impl fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug_dump())
    }
}

/// A node of a [`SyntaxTree`]: a cheap, copyable cursor.
#[derive(Clone, Copy)]
pub struct SyntaxNode<'t> {
    tree: &'t SyntaxTree,
    index: u32,
}

/// A token (leaf) of a [`SyntaxTree`]: a cheap, copyable cursor.
#[derive(Clone, Copy)]
pub struct SyntaxToken<'t> {
    tree: &'t SyntaxTree,
    index: u32,
}

/// A node or a token.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SyntaxElement<'t> {
    Node(SyntaxNode<'t>),
    Token(SyntaxToken<'t>),
}

fn elem_at(tree: &SyntaxTree, index: u32) -> SyntaxElement<'_> {
    if tree.elems[index as usize].kind.is_token() {
        SyntaxElement::Token(SyntaxToken { tree, index })
    } else {
        SyntaxElement::Node(SyntaxNode { tree, index })
    }
}

macro_rules! common_methods {
    () => {
        fn elem(self) -> &'t Elem {
            &self.tree.elems[self.index as usize]
        }

        /// The tree this element belongs to.
        pub fn tree(self) -> &'t SyntaxTree {
            self.tree
        }

        pub fn kind(self) -> SyntaxKind {
            self.elem().kind
        }

        pub fn text_range(self) -> TextRange {
            let e = self.elem();
            TextRange::new(e.start, e.end)
        }

        /// The exact source text of this element.
        pub fn text(self) -> &'t str {
            let e = self.elem();
            &self.tree.text[e.start as usize..e.end as usize]
        }

        pub fn parent(self) -> Option<SyntaxNode<'t>> {
            let p = self.elem().parent;
            (p != NO_PARENT).then_some(SyntaxNode {
                tree: self.tree,
                index: p,
            })
        }

        /// The parent, its parent, and so on up to the root.
        pub fn ancestors(self) -> impl Iterator<Item = SyntaxNode<'t>> + 't {
            std::iter::successors(self.parent(), |n| n.parent())
        }

        pub fn next_sibling_or_token(self) -> Option<SyntaxElement<'t>> {
            let e = self.elem();
            if e.parent == NO_PARENT {
                return None;
            }
            let next = e.last + 1;
            let parent_last = self.tree.elems[e.parent as usize].last;
            (next <= parent_last).then(|| elem_at(self.tree, next))
        }

        pub fn prev_sibling_or_token(self) -> Option<SyntaxElement<'t>> {
            let parent = self.parent()?;
            let mut prev = None;
            for child in parent.children_with_tokens() {
                if child.index() == self.index {
                    return prev;
                }
                prev = Some(child);
            }
            None
        }

        /// A number that identifies this element within its tree (its preorder position).
        pub fn index(self) -> u32 {
            self.index
        }
    };
}

impl<'t> SyntaxNode<'t> {
    common_methods!();

    pub fn first_child_or_token(self) -> Option<SyntaxElement<'t>> {
        let e = self.elem();
        (e.last > self.index).then(|| elem_at(self.tree, self.index + 1))
    }

    /// The direct children, nodes and tokens, in order.
    pub fn children_with_tokens(self) -> impl Iterator<Item = SyntaxElement<'t>> + 't {
        let tree = self.tree;
        self.child_indices().map(move |i| elem_at(tree, i))
    }

    /// The direct child nodes, in order.
    pub fn children(self) -> impl Iterator<Item = SyntaxNode<'t>> + 't {
        let tree = self.tree;
        self.child_indices()
            .filter(move |&i| tree.elems[i as usize].kind.is_node())
            .map(move |index| SyntaxNode { tree, index })
    }

    /// The direct child tokens, in order.
    pub fn child_tokens(self) -> impl Iterator<Item = SyntaxToken<'t>> + 't {
        let tree = self.tree;
        self.child_indices()
            .filter(move |&i| tree.elems[i as usize].kind.is_token())
            .map(move |index| SyntaxToken { tree, index })
    }

    /// The first direct child node of the given kind.
    pub fn child_of_kind(self, kind: SyntaxKind) -> Option<SyntaxNode<'t>> {
        debug_assert!(kind.is_node(), "{kind:?} is not a node kind");
        self.find_child_node(|k| k == kind)
    }

    /// The first direct child token of the given kind.
    pub fn token_of_kind(self, kind: SyntaxKind) -> Option<SyntaxToken<'t>> {
        debug_assert!(kind.is_token(), "{kind:?} is not a token kind");
        self.find_child_token(|k| k == kind)
    }

    /// The first direct child token whose kind satisfies `matches`.
    pub fn find_child_token(self, matches: impl Fn(SyntaxKind) -> bool) -> Option<SyntaxToken<'t>> {
        self.first_child_index(|k| k.is_token() && matches(k))
            .map(|index| SyntaxToken {
                tree: self.tree,
                index,
            })
    }

    /// The first direct child node whose kind satisfies `matches`.
    pub fn find_child_node(self, matches: impl Fn(SyntaxKind) -> bool) -> Option<SyntaxNode<'t>> {
        self.first_child_index(|k| k.is_node() && matches(k))
            .map(|index| SyntaxNode {
                tree: self.tree,
                index,
            })
    }

    /// The indices of the direct children, in order: the hot loop of every tree walk, kept
    /// to plain index arithmetic over the flat array (a child's next sibling is just after
    /// its subtree).
    fn child_indices(self) -> ChildIndices<'t> {
        ChildIndices {
            elems: &self.tree.elems,
            next: self.index + 1,
            last: self.elem().last,
        }
    }

    /// The index of the first direct child whose kind satisfies `matches`: the walk of
    /// [`ChildIndices`], with each element read once rather than twice (the typed views call
    /// this for every key, value and scalar content they read).
    #[inline]
    fn first_child_index(self, matches: impl Fn(SyntaxKind) -> bool) -> Option<u32> {
        let elems = &self.tree.elems;
        let last = self.elem().last;
        let mut index = self.index + 1;
        while index <= last {
            let e = elems.get(index as usize)?;
            if matches(e.kind) {
                return Some(index);
            }
            index = e.last.max(index).checked_add(1)?;
        }
        None
    }

    /// This node and every node and token below it, in preorder.
    pub fn descendants_with_tokens(self) -> impl Iterator<Item = SyntaxElement<'t>> + 't {
        let tree = self.tree;
        (self.index..=self.elem().last).map(move |i| elem_at(tree, i))
    }

    /// This node and every node below it, in preorder.
    pub fn descendants(self) -> impl Iterator<Item = SyntaxNode<'t>> + 't {
        self.descendants_with_tokens()
            .filter_map(SyntaxElement::into_node)
    }

    /// Every token below this node, in text order.
    pub fn tokens(self) -> impl Iterator<Item = SyntaxToken<'t>> + 't {
        self.descendants_with_tokens()
            .filter_map(SyntaxElement::into_token)
    }

    /// The first token below this node that is not trivia.
    pub fn first_significant_token(self) -> Option<SyntaxToken<'t>> {
        self.tokens().find(|t| !t.kind().is_trivia())
    }
}

impl<'t> SyntaxToken<'t> {
    common_methods!();

    /// The next token in text order, crossing node boundaries.
    pub fn next_token(self) -> Option<SyntaxToken<'t>> {
        let tree = self.tree;
        ((self.index + 1) as usize..tree.elems.len())
            .find(|&i| tree.elems[i].kind.is_token())
            .map(|i| SyntaxToken {
                tree,
                index: i as u32,
            })
    }

    /// The previous token in text order, crossing node boundaries.
    pub fn prev_token(self) -> Option<SyntaxToken<'t>> {
        let tree = self.tree;
        (0..self.index as usize)
            .rev()
            .find(|&i| tree.elems[i].kind.is_token())
            .map(|i| SyntaxToken {
                tree,
                index: i as u32,
            })
    }
}

impl<'t> SyntaxElement<'t> {
    pub fn kind(self) -> SyntaxKind {
        match self {
            SyntaxElement::Node(n) => n.kind(),
            SyntaxElement::Token(t) => t.kind(),
        }
    }

    pub fn text_range(self) -> TextRange {
        match self {
            SyntaxElement::Node(n) => n.text_range(),
            SyntaxElement::Token(t) => t.text_range(),
        }
    }

    pub fn text(self) -> &'t str {
        match self {
            SyntaxElement::Node(n) => n.text(),
            SyntaxElement::Token(t) => t.text(),
        }
    }

    pub fn index(self) -> u32 {
        match self {
            SyntaxElement::Node(n) => n.index(),
            SyntaxElement::Token(t) => t.index(),
        }
    }

    pub fn parent(self) -> Option<SyntaxNode<'t>> {
        match self {
            SyntaxElement::Node(n) => n.parent(),
            SyntaxElement::Token(t) => t.parent(),
        }
    }

    pub fn next_sibling_or_token(self) -> Option<SyntaxElement<'t>> {
        match self {
            SyntaxElement::Node(n) => n.next_sibling_or_token(),
            SyntaxElement::Token(t) => t.next_sibling_or_token(),
        }
    }

    pub fn into_node(self) -> Option<SyntaxNode<'t>> {
        match self {
            SyntaxElement::Node(n) => Some(n),
            SyntaxElement::Token(_) => None,
        }
    }

    pub fn into_token(self) -> Option<SyntaxToken<'t>> {
        match self {
            SyntaxElement::Token(t) => Some(t),
            SyntaxElement::Node(_) => None,
        }
    }
}

macro_rules! cursor_traits {
    ($ty:ident) => {
        impl PartialEq for $ty<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.tree, other.tree) && self.index == other.index
            }
        }
        impl Eq for $ty<'_> {}
        impl std::hash::Hash for $ty<'_> {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                (self.tree as *const SyntaxTree).hash(state);
                self.index.hash(state);
            }
        }
        impl fmt::Debug for $ty<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}@{:?}", self.kind(), self.text_range())
            }
        }
    };
}

cursor_traits!(SyntaxNode);
cursor_traits!(SyntaxToken);

/// The indices of a node's direct children (see [`SyntaxNode::children_with_tokens`]).
struct ChildIndices<'t> {
    elems: &'t [Elem],
    /// The next child's index; past `last` when done.
    next: u32,
    /// The last index of the parent's subtree.
    last: u32,
}

impl Iterator for ChildIndices<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.next > self.last {
            return None;
        }
        let index = self.next;
        // Every element's subtree ends at or after itself, so this always moves forward.
        match self
            .elems
            .get(index as usize)
            .and_then(|e| e.last.max(index).checked_add(1))
        {
            Some(next) => self.next = next,
            None => (self.next, self.last) = (1, 0),
        }
        Some(index)
    }
}

/// A position in the event stream of a [`TreeBuilder`], to wrap already emitted elements in a
/// node afterwards with [`TreeBuilder::start_node_at`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Checkpoint(usize);

#[derive(Clone, Copy, Debug)]
enum Event {
    Start(SyntaxKind),
    Token(SyntaxKind, TextSize),
    Finish,
}

/// Builds a [`SyntaxTree`] from a stream of start-node / token / finish-node events.
///
/// The root node is opened by [`TreeBuilder::new`] and closed by [`TreeBuilder::finish`].
#[derive(Debug)]
pub struct TreeBuilder {
    events: Vec<Event>,
    depth: usize,
}

impl Default for TreeBuilder {
    fn default() -> Self {
        TreeBuilder::new()
    }
}

impl TreeBuilder {
    pub fn new() -> TreeBuilder {
        TreeBuilder {
            events: vec![Event::Start(ROOT)],
            depth: 1,
        }
    }

    /// A builder with room for about `events` start, token and finish events, to avoid
    /// regrowing the event buffer while parsing a large text.
    pub fn with_capacity(events: usize) -> TreeBuilder {
        let mut builder = TreeBuilder::new();
        builder.events.reserve(events);
        builder
    }

    /// Opens a node of `kind`; the following events are its children until the matching
    /// [`TreeBuilder::finish_node`].
    pub fn start_node(&mut self, kind: SyntaxKind) {
        debug_assert!(kind.is_node(), "{kind:?} is not a node kind");
        self.events.push(Event::Start(kind));
        self.depth += 1;
    }

    /// Adds a token of `kind` covering the next `len` bytes of the text.
    pub fn token(&mut self, kind: SyntaxKind, len: TextSize) {
        debug_assert!(kind.is_token(), "{kind:?} is not a token kind");
        if len > 0 {
            self.events.push(Event::Token(kind, len));
        }
    }

    /// Closes the most recently opened node. Never closes the root.
    pub fn finish_node(&mut self) {
        if self.depth > 1 {
            self.events.push(Event::Finish);
            self.depth -= 1;
        } else {
            debug_assert!(false, "finish_node without a matching start_node");
        }
    }

    /// The current position, to be passed to [`TreeBuilder::start_node_at`].
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.events.len())
    }

    /// Opens a node of `kind` that starts at `checkpoint`: the elements emitted since then
    /// become its children. Every node opened after the checkpoint must be finished already.
    pub fn start_node_at(&mut self, checkpoint: Checkpoint, kind: SyntaxKind) {
        debug_assert!(kind.is_node(), "{kind:?} is not a node kind");
        let at = checkpoint.0.clamp(1, self.events.len());
        self.events.insert(at, Event::Start(kind));
        self.depth += 1;
    }

    /// How many nodes are open, the root included.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Builds the tree over `text`. Nodes left open are closed; text not covered by tokens
    /// is added as an `INVALID` token, and tokens running past the end are cut, so the tree's
    /// text is always exactly `text`.
    pub fn finish(self, text: &str) -> SyntaxTree {
        let text_len = TextSize::try_from(text.len()).unwrap_or(TextSize::MAX);
        let mut elems: Vec<Elem> = Vec::with_capacity(self.events.len());
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        let mut offset: TextSize = 0;

        let close = |elems: &mut Vec<Elem>, stack: &mut Vec<u32>, offset: TextSize| {
            if let Some(i) = stack.pop() {
                let last = elems.len() as u32 - 1;
                let e = &mut elems[i as usize];
                e.end = offset;
                e.last = last;
            }
        };

        for event in self.events {
            match event {
                Event::Start(kind) => {
                    let index = elems.len() as u32;
                    let parent = stack.last().copied().unwrap_or(NO_PARENT);
                    // A second root (a builder bug) is nested rather than lost.
                    elems.push(Elem {
                        kind,
                        start: offset,
                        end: offset,
                        last: index,
                        parent,
                    });
                    stack.push(index);
                }
                Event::Token(kind, len) => {
                    let end = offset.saturating_add(len).min(text_len);
                    if end == offset {
                        continue;
                    }
                    let index = elems.len() as u32;
                    let parent = stack.last().copied().unwrap_or(NO_PARENT);
                    elems.push(Elem {
                        kind,
                        start: offset,
                        end,
                        last: index,
                        parent,
                    });
                    offset = end;
                }
                Event::Finish => {
                    if stack.len() > 1 {
                        close(&mut elems, &mut stack, offset);
                    }
                }
            }
        }
        if offset < text_len {
            let index = elems.len() as u32;
            let parent = stack.last().copied().unwrap_or(0);
            elems.push(Elem {
                kind: INVALID,
                start: offset,
                end: text_len,
                last: index,
                parent,
            });
            offset = text_len;
        }
        while !stack.is_empty() {
            close(&mut elems, &mut stack, offset);
        }
        SyntaxTree {
            text: text.into(),
            elems: elems.into_boxed_slice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SyntaxTree {
        // "a: b"
        let mut b = TreeBuilder::new();
        b.start_node(DOCUMENT);
        let cp = b.checkpoint();
        b.start_node(SCALAR);
        b.token(PLAIN, 1);
        b.finish_node();
        b.token(COLON, 1);
        b.token(WHITESPACE, 1);
        b.start_node(SCALAR);
        b.token(PLAIN, 1);
        b.finish_node();
        b.start_node_at(cp, BLOCK_MAP_ENTRY);
        b.finish_node();
        b.finish_node();
        b.finish("a: b")
    }

    #[test]
    fn builds_and_dumps() {
        let tree = sample();
        expect_test::expect![[r#"
            ROOT@0..4
              DOCUMENT@0..4
                BLOCK_MAP_ENTRY@0..4
                  SCALAR@0..1
                    PLAIN@0..1 "a"
                  COLON@1..2 ":"
                  WHITESPACE@2..3 " "
                  SCALAR@3..4
                    PLAIN@3..4 "b"
        "#]]
        .assert_eq(&tree.debug_dump());
    }

    #[test]
    fn navigation() {
        let tree = sample();
        let entry = tree
            .root()
            .descendants()
            .find(|n| n.kind() == BLOCK_MAP_ENTRY)
            .unwrap();
        let kinds: Vec<_> = entry.children_with_tokens().map(|c| c.kind()).collect();
        assert_eq!(kinds, [SCALAR, COLON, WHITESPACE, SCALAR]);
        let colon = entry.token_of_kind(COLON).unwrap();
        assert_eq!(colon.parent(), Some(entry));
        assert_eq!(colon.next_token().map(|t| t.kind()), Some(WHITESPACE));
        assert_eq!(colon.prev_token().map(|t| t.text()), Some("a"));
        assert_eq!(
            entry.ancestors().map(|n| n.kind()).collect::<Vec<_>>(),
            [DOCUMENT, ROOT]
        );
        assert_eq!(tree.token_at_offset(3).map(|t| t.text()), Some("b"));
        assert_eq!(tree.token_at_offset(4).map(|t| t.text()), Some("b"));
        assert_eq!(tree.covering_node(TextRange::new(3, 4)).kind(), SCALAR);
    }

    #[test]
    fn finish_repairs_missing_text() {
        let mut b = TreeBuilder::new();
        b.start_node(SCALAR);
        b.token(PLAIN, 2);
        let tree = b.finish("abcd");
        assert_eq!(tree.root().text(), "abcd");
        let kinds: Vec<_> = tree.tokens().map(|t| t.kind()).collect();
        assert_eq!(kinds, [PLAIN, INVALID]);
    }
}
