//! The layout pass: the tokens of a lossless syntax tree written out again, line by line,
//! with new indentation and spacing, and every significant token's text kept.
//!
//! The formatter never joins or splits lines: each input line gives one output line (blank
//! lines aside, which are collapsed). What changes is
//!
//! - the indentation of a line, decided by the structure the line's first token belongs to:
//!   a block mapping or sequence gets a column from its parent ([`Layout::col`]: one step
//!   deeper than the entry holding it, or two columns after `- ` for a compact collection),
//!   a node written on the line after its key one step deeper than the key, an own-line
//!   comment the column of the item after it;
//! - the space between two tokens on a line ([`gap`]): one after `:`, `-`, `,` and before a
//!   trailing comment, none inside brackets or before `:` and `,`, none at the end of a line;
//! - the continuation lines of multi-line scalars, re-indented in [`crate::scalars`] only
//!   where YAML strips that indentation from the value;
//! - blank lines: at most one in a row, none at the start or the end of the file.
//!
//! A construct the layout does not know how to place safely is a *region*: an explicit-key
//! entry (`? key`), an entry with an empty key (`: value`), or a flow collection that spans
//! lines or holds an explicit key. A region keeps its text; its lines are shifted by the
//! amount its first token moved, so that it stays where it was relative to its parent.

use playbook_syntax::SyntaxKind::{self, *};
use playbook_syntax::{SyntaxElement, SyntaxNode, SyntaxToken, SyntaxTree};

use crate::FormatOptions;
use crate::scalars::{self, BlockMove};

/// A column not computed yet (see [`Layout::col`]).
const UNKNOWN: i32 = i32::MIN;

/// Lays out the text of `tree`, which must have no syntax errors.
pub(crate) fn layout(tree: &SyntaxTree, options: &FormatOptions) -> String {
    let mut tokens: Vec<SyntaxToken<'_>> = Vec::with_capacity(tree.len());
    tokens.extend(tree.tokens());
    let mut layout = Layout::new(tree, options);
    layout.run(&tokens);
    layout.out
}

/// A construct kept as written (see the module documentation).
#[derive(Clone, Copy, Debug)]
struct Region<'t> {
    node: SyntaxNode<'t>,
    start: u32,
    end: u32,
    /// A flow collection: its lines must stay indented more than its block parent. A block
    /// region moves with its parent as a whole.
    flow: bool,
}

/// The region being written.
#[derive(Clone, Copy, Debug)]
struct Active {
    start: u32,
    end: u32,
    /// How far the region's first token moved (output column minus input column).
    delta: i32,
    /// The least indentation of the region's lines.
    min: i32,
}

struct Layout<'t> {
    src: &'t str,
    step: i32,
    indent_sequences: bool,
    /// The file's line ending, used for every line break outside scalars.
    nl: &'static str,
    out: String,
    /// Where the current output line starts in `out`.
    out_line_start: usize,
    /// The output column of each block collection, by element index.
    cols: Vec<i32>,
    /// The regions, in text order, none inside another.
    regions: Vec<Region<'t>>,
    next_region: usize,
    active: Option<Active>,
    /// Where the current input line starts in `src`.
    in_line_start: usize,
    /// A blank line was seen since the last written line.
    blank: bool,
    /// A line with content (not blank) has been written.
    wrote: bool,
    /// The last significant token written (on the current line or before).
    last: Option<SyntaxToken<'t>>,
    /// The kind of the last significant token written on the current line.
    prev: Option<SyntaxKind>,
    /// The last lookahead for an own-line comment: the index of the next significant token
    /// and the indentation found for it.
    comment_target: Option<(usize, i32)>,
    /// The index of the last token that is not whitespace, a line break or a byte order mark.
    last_content: usize,
    /// The text ends inside a block scalar whose value would change with a final line break.
    keep_unterminated: bool,
}

impl<'t> Layout<'t> {
    fn new(tree: &'t SyntaxTree, options: &FormatOptions) -> Layout<'t> {
        let src = tree.text();
        let nl = match src.find(['\n', '\r']) {
            Some(i) if src.as_bytes().get(i) == Some(&b'\r') => {
                if src.as_bytes().get(i + 1) == Some(&b'\n') {
                    "\r\n"
                } else {
                    "\r"
                }
            }
            _ => "\n",
        };
        Layout {
            src,
            step: i32::from(options.indent.clamp(1, 16)),
            indent_sequences: options.indent_sequences,
            nl,
            out: String::with_capacity(src.len() + src.len() / 16 + 16),
            out_line_start: 0,
            cols: vec![UNKNOWN; tree.len()],
            regions: regions(tree),
            next_region: 0,
            active: None,
            in_line_start: 0,
            blank: false,
            wrote: false,
            last: None,
            prev: None,
            comment_target: None,
            last_content: 0,
            keep_unterminated: false,
        }
    }

    fn run(&mut self, tokens: &[SyntaxToken<'t>]) {
        self.last_content = tokens
            .iter()
            .rposition(|t| !matches!(t.kind(), WHITESPACE | NEWLINE | BOM))
            .unwrap_or(0);
        let mut i = 0;
        while i < tokens.len() {
            // At the start of an input line.
            while let Some(t) = tokens.get(i).filter(|t| t.kind() == BOM) {
                self.out.push_str(t.text());
                i += 1;
            }
            let ws = tokens.get(i).copied().filter(|t| t.kind() == WHITESPACE);
            if ws.is_some() {
                i += 1;
            }
            let Some(&t) = tokens.get(i) else { break };
            match t.kind() {
                NEWLINE => {
                    self.blank |= self.wrote;
                    self.in_line_start = t.text_range().end() as usize;
                    i += 1;
                    continue;
                }
                BLOCK_TEXT => {
                    self.block_text(t, i);
                    i += 1;
                    continue;
                }
                COMMENT => {
                    let (indent, extra) = self.comment_indent(tokens, i, ws);
                    self.begin_line(indent, extra);
                    self.comment(t);
                }
                _ => {
                    let (indent, extra) = self.line_indent(t, ws);
                    self.begin_line(indent, extra);
                    self.token(t);
                }
            }
            i += 1;
            self.rest_of_line(tokens, &mut i);
        }
        if self.wrote && self.out_line_start != self.out.len() && !self.keep_unterminated {
            self.out.push_str(self.nl);
        }
    }

    /// The tokens after the first one of a line, up to and including its line break.
    fn rest_of_line(&mut self, tokens: &[SyntaxToken<'t>], i: &mut usize) {
        loop {
            let ws = tokens.get(*i).copied().filter(|t| t.kind() == WHITESPACE);
            if ws.is_some() {
                *i += 1;
            }
            let Some(&t) = tokens.get(*i) else { return };
            match t.kind() {
                NEWLINE => {
                    self.end_line();
                    self.in_line_start = t.text_range().end() as usize;
                    *i += 1;
                    return;
                }
                COMMENT => {
                    self.out.push(' ');
                    self.comment(t);
                }
                _ => {
                    self.leave_region(t.text_range().start());
                    if self.in_region(t.text_range().start()) {
                        if let Some(ws) = ws {
                            self.out.push_str(ws.text());
                        }
                    } else {
                        if t.kind() == COMMA && closes_after(tokens, *i + 1) {
                            // A trailing comma: `[a, b,]` is `[a, b]`.
                            *i += 1;
                            continue;
                        }
                        if let Some(prev) = self.prev
                            && gap(prev, t.kind(), ws.is_some())
                        {
                            self.out.push(' ');
                        }
                    }
                    self.token(t);
                }
            }
            *i += 1;
        }
    }

    // ---- Writing ---------------------------------------------------------------------------

    /// Starts an output line with `indent` spaces and `extra` (tabs kept in a region).
    fn begin_line(&mut self, indent: i32, extra: &str) {
        if self.blank && self.wrote {
            self.out.push_str(self.nl);
            self.out_line_start = self.out.len();
        }
        self.blank = false;
        self.wrote = true;
        self.prev = None;
        self.keep_unterminated = false;
        for _ in 0..indent.max(0) {
            self.out.push(' ');
        }
        self.out.push_str(extra);
    }

    fn end_line(&mut self) {
        self.out.push_str(self.nl);
        self.out_line_start = self.out.len();
        self.prev = None;
    }

    fn comment(&mut self, t: SyntaxToken<'t>) {
        self.out.push_str(t.text().trim_end_matches([' ', '\t']));
    }

    /// Writes a significant token (not a block scalar's text).
    fn token(&mut self, t: SyntaxToken<'t>) {
        self.enter_region(t);
        let text = t.text();
        if t.kind().is_scalar_token() && has_line_break(text) {
            let written = match self.active {
                Some(a) => scalars::shift(text, t.kind(), a.delta, a.min, self.nl),
                None => scalars::reflow(text, t.kind(), self.scalar_cont(t), self.nl),
            };
            self.push_lines(&written);
            if let Some(last_break) = text.rfind(['\n', '\r']) {
                self.in_line_start = t.text_range().start() as usize + last_break + 1;
            }
        } else {
            self.out.push_str(text);
        }
        self.last = Some(t);
        self.prev = Some(t.kind());
        self.keep_unterminated = false;
    }

    /// Writes text that may hold line breaks, keeping track of where the output line starts.
    fn push_lines(&mut self, text: &str) {
        let before = self.out.len();
        self.out.push_str(text);
        if let Some(last_break) = text.rfind(['\n', '\r']) {
            self.out_line_start = before + last_break + 1;
        }
    }

    /// Writes the text of a block scalar (which starts a line).
    fn block_text(&mut self, t: SyntaxToken<'t>, index: usize) {
        self.leave_region(t.text_range().start());
        let body = t.text();
        let header = t
            .parent()
            .and_then(|s| s.token_of_kind(BLOCK_HEADER))
            .map_or("|", |h| h.text());
        let entry = entry_of(t);
        let old_n = entry.map_or(-1, |e| self.input_col(e.text_range().start() as usize));
        let trailing = usize::from(index < self.last_content);
        let how = match (self.active, entry) {
            // In a region: with the region.
            (Some(a), _) => BlockMove {
                old_n,
                new_n: old_n + a.delta,
                content: None,
                trailing,
            },
            // At the top level: where it is.
            (None, None) => BlockMove {
                old_n,
                new_n: old_n,
                content: None,
                trailing,
            },
            (None, Some(entry)) => {
                let new_n = entry.parent().map_or(0, |p| self.col(p));
                BlockMove {
                    old_n,
                    new_n,
                    content: Some(new_n + self.step),
                    trailing,
                }
            }
        };
        let written = scalars::block(header, body, how, self.nl);
        self.blank = false;
        self.wrote = true;
        self.push_lines(&written);
        let ends_with_break = body.ends_with(['\n', '\r']);
        self.in_line_start = match body.rfind(['\n', '\r']) {
            Some(i) => t.text_range().start() as usize + i + 1,
            None => self.in_line_start,
        };
        self.keep_unterminated = !ends_with_break && !header.contains('-');
        self.last = Some(t);
        self.prev = None;
    }

    // ---- Regions ---------------------------------------------------------------------------

    fn in_region(&self, offset: u32) -> bool {
        self.active
            .is_some_and(|a| offset > a.start && offset < a.end)
    }

    /// Ends the active region if `offset` is past it.
    fn leave_region(&mut self, offset: u32) {
        if self.active.is_some_and(|a| offset >= a.end) {
            self.active = None;
        }
    }

    /// Starts the region that begins at `t`, if one does: its shift is how far `t` moved.
    fn enter_region(&mut self, t: SyntaxToken<'t>) {
        let start = t.text_range().start();
        while let Some(r) = self.regions.get(self.next_region).copied() {
            if r.start > start {
                return;
            }
            self.next_region += 1;
            if r.start < start || self.active.is_some() {
                continue;
            }
            let out_col = i32::try_from(self.out.len() - self.out_line_start).unwrap_or(0);
            let delta = out_col - self.input_col(start as usize);
            let min = if r.flow {
                entry_of_node(r.node)
                    .and_then(|e| e.parent())
                    .map_or(0, |c| self.col(c) + 1)
            } else {
                0
            };
            self.active = Some(Active {
                start: r.start,
                end: r.end,
                delta,
                min,
            });
            return;
        }
    }

    // ---- Indentation -----------------------------------------------------------------------

    /// The indentation of a line whose first token is the significant token `t`, after the
    /// whitespace `ws`.
    fn line_indent(&mut self, t: SyntaxToken<'t>, ws: Option<SyntaxToken<'t>>) -> (i32, &'t str) {
        let start = t.text_range().start();
        self.leave_region(start);
        if let Some(a) = self.active.filter(|_| self.in_region(start)) {
            return shifted(ws, a, t.text());
        }
        (self.structural_indent(t), "")
    }

    /// The indentation of an own-line comment: that of the next item, or, at the end of a
    /// document, that of the innermost open collection the comment was not left of.
    fn comment_indent(
        &mut self,
        tokens: &[SyntaxToken<'t>],
        i: usize,
        ws: Option<SyntaxToken<'t>>,
    ) -> (i32, &'t str) {
        let Some(&c) = tokens.get(i) else {
            return (0, "");
        };
        let start = c.text_range().start();
        self.leave_region(start);
        if let Some(a) = self.active.filter(|_| self.in_region(start)) {
            return shifted(ws, a, "");
        }
        if let Some((j, indent)) = self.comment_target
            && j > i
        {
            return (indent, "");
        }
        let j = (i + 1..tokens.len())
            .find(|&j| {
                tokens
                    .get(j)
                    .is_some_and(|t| !matches!(t.kind(), WHITESPACE | NEWLINE | COMMENT | BOM))
            })
            .unwrap_or(tokens.len());
        let indent = match tokens.get(j) {
            Some(t) if t.kind() == DIRECTIVE => 0,
            Some(t) if !matches!(t.kind(), DOC_START | DOC_END) => self.structural_indent(*t),
            _ => {
                let col =
                    i32::try_from((start as usize).saturating_sub(self.in_line_start)).unwrap_or(0);
                self.end_of_document_indent(col)
            }
        };
        self.comment_target = Some((j, indent));
        (indent, "")
    }

    /// For a comment at input column `col` after the last item of a document: the column of
    /// the innermost collection around the last token written that starts at or left of it.
    fn end_of_document_indent(&mut self, col: i32) -> i32 {
        let Some(last) = self.last else { return 0 };
        for node in last.ancestors() {
            if matches!(node.kind(), BLOCK_MAP | BLOCK_SEQ) {
                let first = first_entry_start(node).unwrap_or(node.text_range().start());
                if self.input_col(first as usize) <= col {
                    return self.col(node);
                }
            }
        }
        0
    }

    /// The indentation the structure gives a line starting with the significant token `t`.
    fn structural_indent(&mut self, t: SyntaxToken<'t>) -> i32 {
        if matches!(t.kind(), DOC_START | DOC_END | DIRECTIVE) {
            return 0;
        }
        let indent = self.structure_col(t);
        if indent <= 0 && scalars::is_document_marker(t.text()) {
            // A plain `---` or `...` that is not at the left edge: it must not get there.
            1
        } else {
            indent
        }
    }

    fn structure_col(&mut self, t: SyntaxToken<'t>) -> i32 {
        let start = t.text_range().start();
        let mut node = t.parent();
        while let Some(n) = node {
            if matches!(n.kind(), DOCUMENT | ROOT) || n.text_range().start() != start {
                break;
            }
            match n.kind() {
                // The first token of an entry: the collection's column.
                BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY => return n.parent().map_or(0, |p| self.col(p)),
                // The properties of a collection, on a line of their own.
                BLOCK_MAP | BLOCK_SEQ => return self.node_cont(n),
                _ => {}
            }
            node = n.parent();
        }
        match t.parent() {
            Some(p) => self.node_cont(p),
            None => 0,
        }
    }

    /// The column of a node (or part of one) written on the line after its entry's
    /// indicator: one step right of the entry; 0 at the top level.
    fn node_cont(&mut self, node: SyntaxNode<'t>) -> i32 {
        match entry_of_node(node) {
            Some(entry) => entry.parent().map_or(0, |c| self.col(c)) + self.step,
            None => 0,
        }
    }

    /// The column of the continuation lines of the multi-line scalar token `t`: one step
    /// right of its entry (of the left edge at the top level).
    fn scalar_cont(&mut self, t: SyntaxToken<'t>) -> i32 {
        match t.parent().and_then(entry_of_node) {
            Some(entry) => entry.parent().map_or(0, |c| self.col(c)) + self.step,
            None => self.step,
        }
    }

    /// The output column of the block collection `c`: the column of its entries.
    fn col(&mut self, c: SyntaxNode<'t>) -> i32 {
        let index = c.index() as usize;
        if let Some(&col) = self.cols.get(index)
            && col != UNKNOWN
        {
            return col;
        }
        let col = match first_entry_start(c) {
            None => 0,
            Some(at) => {
                let entry = entry_of_node(c);
                if self.starts_line(at as usize) {
                    match entry {
                        // A top-level mapping with a key like `--- a` stays off the left
                        // edge, where the key would be a document marker.
                        None => i32::from(c.children().any(|e| {
                            e.first_significant_token()
                                .is_some_and(|t| scalars::is_document_marker(t.text()))
                        })),
                        Some(e) => {
                            let base = e.parent().map_or(0, |p| self.col(p));
                            let sequence_at_key = e.kind() == BLOCK_MAP_ENTRY
                                && c.kind() == BLOCK_SEQ
                                && !self.indent_sequences;
                            if sequence_at_key {
                                base
                            } else {
                                base + self.step
                            }
                        }
                    }
                } else {
                    match entry {
                        // `- key: value`, `- - item`: two columns after the `-`.
                        Some(e) if e.kind() == BLOCK_SEQ_ENTRY => {
                            e.parent().map_or(0, |p| self.col(p)) + 2
                        }
                        // Only inside regions, which are written as they are.
                        _ => self.input_col(at as usize),
                    }
                }
            }
        };
        if let Some(slot) = self.cols.get_mut(index) {
            *slot = col;
        }
        col
    }

    /// The input column of the byte at `offset` (bytes since the line's start).
    fn input_col(&self, offset: usize) -> i32 {
        let before = self.src.as_bytes().get(..offset).unwrap_or_default();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let bom = if before.get(line_start..line_start + 3) == Some("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        i32::try_from(offset.saturating_sub(line_start + bom)).unwrap_or(0)
    }

    /// Whether only indentation precedes `offset` on its input line.
    fn starts_line(&self, offset: usize) -> bool {
        let before = self.src.as_bytes().get(..offset).unwrap_or_default();
        let mut rest = before;
        while let [head @ .., b' ' | b'\t'] = rest {
            rest = head;
        }
        let rest = rest.strip_suffix("\u{feff}".as_bytes()).unwrap_or(rest);
        matches!(rest.last(), None | Some(b'\n' | b'\r'))
    }
}

/// The indentation of a line inside the region `a`: its spaces shifted by the region's
/// shift, at least the region's minimum; tabs after the spaces are kept. A line that would
/// start at column 0 with `---` or `...` is kept one column in (a document marker there would
/// end the document).
fn shifted<'t>(ws: Option<SyntaxToken<'t>>, a: Active, rest: &str) -> (i32, &'t str) {
    let text = ws.map_or("", |w| w.text());
    let spaces = text.bytes().take_while(|&b| b == b' ').count();
    let extra = text.get(spaces..).unwrap_or_default();
    let mut indent = (i32::try_from(spaces).unwrap_or(0) + a.delta).max(a.min);
    if indent <= 0 && extra.is_empty() && scalars::is_document_marker(rest) {
        indent = 1;
    }
    (indent, extra)
}

/// Whether `text` holds a line break.
fn has_line_break(text: &str) -> bool {
    // `contains` on bytes is a word-at-a-time memchr.
    let bytes = text.as_bytes();
    bytes.contains(&b'\n') || bytes.contains(&b'\r')
}

/// Whether a space separates the tokens `prev` and `next` on a line; `had` says whether
/// whitespace separated them in the input.
fn gap(prev: SyntaxKind, next: SyntaxKind, had: bool) -> bool {
    match (prev, next) {
        (_, COMMENT) => true,
        (L_BRACKET | L_BRACE, _) => false,
        (_, R_BRACKET | R_BRACE | COMMA) => false,
        // After a key: `key:`, `"key":`, `[a, b]:`.
        (PLAIN | SINGLE_QUOTED | DOUBLE_QUOTED | R_BRACKET | R_BRACE, COLON) => false,
        // After an alias, an anchor or a tag the space stays (`*a:` would be an alias named
        // `a:`), and after `-` or `,` too (`- : v`, an entry with an empty key).
        (_, COLON) => had,
        _ => true,
    }
}

/// Whether the token at `i` (after optional whitespace) closes a flow collection.
fn closes_after(tokens: &[SyntaxToken<'_>], i: usize) -> bool {
    let i = if tokens.get(i).is_some_and(|t| t.kind() == WHITESPACE) {
        i + 1
    } else {
        i
    };
    tokens
        .get(i)
        .is_some_and(|t| matches!(t.kind(), R_BRACKET | R_BRACE))
}

/// The start of the first entry of the block collection `c`.
fn first_entry_start(c: SyntaxNode<'_>) -> Option<u32> {
    c.children()
        .find(|n| matches!(n.kind(), BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY))
        .map(|e| e.text_range().start())
}

/// The block collection entry that holds `node` (not `node` itself); `None` at the top level.
fn entry_of_node(node: SyntaxNode<'_>) -> Option<SyntaxNode<'_>> {
    node.ancestors()
        .take_while(|n| n.kind() != DOCUMENT)
        .find(|n| matches!(n.kind(), BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY))
}

/// The block collection entry that holds the token `t`.
fn entry_of(t: SyntaxToken<'_>) -> Option<SyntaxNode<'_>> {
    t.ancestors()
        .take_while(|n| n.kind() != DOCUMENT)
        .find(|n| matches!(n.kind(), BLOCK_MAP_ENTRY | BLOCK_SEQ_ENTRY))
}

/// The regions of `tree` (see the module documentation), outermost only, in text order.
fn regions(tree: &SyntaxTree) -> Vec<Region<'_>> {
    let mut out: Vec<Region<'_>> = Vec::new();
    let mut skip_until = 0;
    for node in tree.root().descendants() {
        let range = node.text_range();
        if range.start() < skip_until {
            continue;
        }
        let region = match node.kind() {
            FLOW_MAP | FLOW_SEQ => {
                has_line_break(node.text()) || node.tokens().any(|t| t.kind() == QUESTION)
            }
            // `? key` or `: value` with no key: the entry's first token is `?` or `:`.
            BLOCK_MAP_ENTRY => match node.first_child_or_token() {
                Some(SyntaxElement::Node(key)) if key.kind() == MAP_KEY => matches!(
                    key.first_child_or_token(),
                    Some(SyntaxElement::Token(t)) if t.kind() == QUESTION
                ),
                _ => true,
            },
            _ => false,
        };
        if region {
            out.push(Region {
                node,
                start: range.start(),
                end: range.end(),
                flow: matches!(node.kind(), FLOW_MAP | FLOW_SEQ),
            });
            skip_until = range.end();
        } else if matches!(node.kind(), FLOW_MAP | FLOW_SEQ) {
            // A one-line flow collection without explicit keys: nothing inside is a region.
            skip_until = range.end();
        }
    }
    out
}
