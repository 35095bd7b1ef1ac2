//! The YAML parser: text in, lossless tree and errors out. It never fails and never panics.
//!
//! A hand-written recursive-descent parser over bytes that emits [`TreeBuilder`] events
//! directly, with no token vector in between. Block structure is driven by line
//! indentation: a block collection at column `m` holds the lines at column `m` that follow
//! it, and every block node knows the indentation `n` of the entry that holds it (`-1` at
//! the top level). Flow collections, quoted and plain scalars are scanned in one pass; the
//! only lookahead is bounded to one line of at most 1024 bytes, to tell an implicit key
//! (`key: value`) from a scalar.
//!
//! Trivia (whitespace, line breaks, comments) is skipped without being emitted and flushed
//! as tokens just before the next significant token. Closing a node before the flush
//! leaves the trivia to the parent, which gives the tree its placement rule: a node starts
//! at its first significant token and ends at its last.
//!
//! Errors never stop the parse: each one is reported and the parser resynchronises at the
//! next line of equal or lower indentation, the next `- ` entry or the closing bracket.
//! Nesting deeper than [`MAX_DEPTH`] is reported and kept as `INVALID` text, so the
//! recursion depth is bounded whatever the input.

mod scan;

use playbook_diagnostics::{Code, Diagnostic, TextRange, TextSize};

use crate::SyntaxKind::{self, *};
use crate::codes;
use crate::{Checkpoint, SyntaxTree, TreeBuilder};
use scan::{
    Stop, blank_or_end, break_len, byte, char_len, doc_marker_at, is_break, is_flow_indicator,
    is_ws, line_end, line_has_key_colon, line_is_key_like, plain_line, skip_ws,
};

/// How many collections may nest before the rest is kept as invalid text.
pub(crate) const MAX_DEPTH: u32 = 256;

const BOM_BYTES: &[u8] = "\u{feff}".as_bytes();

pub(crate) fn parse(text: &str) -> (SyntaxTree, Vec<Diagnostic>) {
    if text.len() > TextSize::MAX as usize {
        let mut b = TreeBuilder::new();
        b.token(INVALID, TextSize::MAX);
        let error = Diagnostic::new(
            &codes::INVALID_YAML,
            TextRange::empty(0),
            "file too large to parse",
        );
        return (b.finish(text), vec![error]);
    }
    let mut p = Parser {
        src: text.as_bytes(),
        pos: 0,
        line_start: 0,
        flushed: 0,
        b: TreeBuilder::new(),
        errors: Vec::new(),
        depth: 0,
        wrap: None,
        tab_line: usize::MAX,
    };
    p.stream();
    let Parser { b, errors, .. } = p;
    (b.finish(text), errors)
}

/// Where a block node stands, which decides what may start there.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// A document's root node.
    Top,
    /// After `- `.
    SeqEntry,
    /// After `key:`.
    MapValue,
    /// After `? `.
    ExplicitKey,
    /// After `: ` of an explicit entry.
    ExplicitValue,
}

/// What a block node's content turned out to be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Content {
    /// An implicit key: a `:` follows.
    Key,
    /// A complete node.
    Done,
}

struct Parser<'a> {
    src: &'a [u8],
    /// The next byte to look at.
    pos: usize,
    /// The start of the line holding `pos`.
    line_start: usize,
    /// Tokens have been emitted up to here; `flushed..pos` is pending trivia.
    flushed: usize,
    b: TreeBuilder,
    errors: Vec<Diagnostic>,
    /// Collections currently open.
    depth: u32,
    /// A node to open just before the next significant token (`MAP_VALUE`).
    wrap: Option<SyntaxKind>,
    /// The line where a tab indentation was last reported.
    tab_line: usize,
}

impl Parser<'_> {
    // ---- Low-level cursor ------------------------------------------------------------

    fn cur(&self) -> u8 {
        byte(self.src, self.pos)
    }

    fn eof(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn at_eol(&self) -> bool {
        self.eof() || is_break(self.cur())
    }

    fn col(&self) -> i32 {
        i32::try_from(self.pos - self.line_start).unwrap_or(i32::MAX)
    }

    /// Whether only whitespace precedes `pos` on its line.
    fn fresh_line(&self) -> bool {
        self.src
            .get(self.line_start..self.pos)
            .is_some_and(|s| s.iter().all(|&b| is_ws(b)))
    }

    fn at_doc_marker(&self) -> bool {
        self.pos == self.line_start && doc_marker_at(self.src, self.pos).is_some()
    }

    /// Whether an indicator `c` followed by a blank is at `pos`.
    fn at_indicator(&self, c: u8) -> bool {
        self.cur() == c && blank_or_end(self.src, self.pos + 1)
    }

    fn flow_blank(&self, i: usize) -> bool {
        blank_or_end(self.src, i) || is_flow_indicator(byte(self.src, i))
    }

    /// Emits the pending trivia `flushed..pos` as tokens.
    fn flush(&mut self) {
        let src = self.src;
        let end = self.pos.min(src.len());
        let mut i = self.flushed;
        while i < end {
            let c = byte(src, i);
            let (kind, len) = if is_ws(c) {
                (WHITESPACE, skip_ws(src, i).min(end) - i)
            } else if is_break(c) {
                (NEWLINE, break_len(src, i))
            } else if c == b'#' {
                (COMMENT, line_end(src, i).min(end) - i)
            } else if src.get(i..i + 3) == Some(BOM_BYTES) {
                (BOM, 3)
            } else {
                (INVALID, char_len(c))
            };
            let len = len.clamp(1, end - i);
            self.b.token(kind, len as TextSize);
            i += len;
        }
        self.flushed = self.flushed.max(end);
    }

    fn open_wrap(&mut self) {
        if let Some(kind) = self.wrap.take() {
            self.b.start_node(kind);
        }
    }

    /// Flushes trivia and returns a checkpoint where a node may start.
    fn begin(&mut self) -> Checkpoint {
        self.flush();
        self.open_wrap();
        self.b.checkpoint()
    }

    /// Emits a significant token from `pos` to `end`.
    fn tok(&mut self, kind: SyntaxKind, end: usize) {
        self.flush();
        self.open_wrap();
        let end = end.clamp(self.pos, self.src.len());
        self.b.token(kind, (end - self.pos) as TextSize);
        if matches!(
            kind,
            PLAIN | SINGLE_QUOTED | DOUBLE_QUOTED | BLOCK_TEXT | INVALID
        ) && let Some(nl) = self
            .src
            .get(self.pos..end)
            .and_then(|s| s.iter().rposition(|&b| is_break(b)))
        {
            self.line_start = self.pos + nl + 1;
        }
        self.pos = end;
        self.flushed = end;
    }

    /// Runs `f` with `kind` pending: the node is opened at the first significant token `f`
    /// emits, and not at all if `f` emits none.
    fn wrapped(&mut self, kind: SyntaxKind, f: impl FnOnce(&mut Self)) {
        self.open_wrap();
        self.wrap = Some(kind);
        f(self);
        if self.wrap.take().is_none() {
            self.b.finish_node();
        }
    }

    fn skip_ws(&mut self) {
        self.pos = skip_ws(self.src, self.pos);
    }

    fn skip_ws_comment(&mut self) {
        self.skip_ws();
        if self.cur() == b'#' {
            self.pos = line_end(self.src, self.pos);
        }
    }

    fn skip_newline(&mut self) -> bool {
        let len = break_len(self.src, self.pos);
        if len > 0 {
            self.pos += len;
            self.line_start = self.pos;
        }
        len > 0
    }

    /// Skips whitespace, comments, byte order marks and line breaks, without emitting them.
    fn skip_trivia_lines(&mut self) {
        loop {
            self.skip_ws_comment();
            if self.src.get(self.pos..self.pos + 3) == Some(BOM_BYTES) {
                self.pos += 3;
                continue;
            }
            if !self.skip_newline() {
                break;
            }
        }
    }

    // ---- Errors --------------------------------------------------------------------------

    fn error(
        &mut self,
        code: &'static Code,
        range: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let len = self.src.len();
        let start = range.0.min(len) as TextSize;
        let end = range.1.min(len) as TextSize;
        let mut d = Diagnostic::new(code, TextRange::new(start, end), message).with_label(label);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.errors.push(d);
    }

    /// The range of one character at `i`.
    fn char_range(&self, i: usize) -> (usize, usize) {
        let end = if i < self.src.len() {
            i + char_len(byte(self.src, i))
        } else {
            i
        };
        (i, end)
    }

    /// The end of the word at `i`: up to the next blank, at most to the line's end.
    fn word_end(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.src.len() && !blank_or_end(self.src, j) {
            j += char_len(byte(self.src, j));
        }
        j.min(self.src.len()).max(self.char_range(i).1)
    }

    /// The position of a tab in the indentation before `pos`, if `pos` starts its line.
    fn tab_in_indent(&self) -> Option<usize> {
        if !self.fresh_line() {
            return None;
        }
        let indent = self.src.get(self.line_start..self.pos)?;
        indent
            .iter()
            .position(|&b| b == b'\t')
            .map(|t| self.line_start + t)
    }

    /// Reports a tab in the indentation of the current line, once per line.
    fn check_tabs(&mut self) {
        let tab = self.tab_in_indent();
        self.report_tab(tab);
    }

    fn report_tab(&mut self, tab: Option<usize>) {
        if let Some(start) = tab {
            if self.tab_line == self.line_start {
                return;
            }
            self.tab_line = self.line_start;
            self.error(
                &codes::TAB_INDENTATION,
                (start, start + 1),
                "tab used for indentation",
                "this is a tab",
                Some("indent with spaces only".into()),
            );
        }
    }

    // ---- Streams and documents -----------------------------------------------------------

    fn stream(&mut self) {
        loop {
            self.skip_trivia_lines();
            if self.eof() {
                break;
            }
            if self.pos == self.line_start && doc_marker_at(self.src, self.pos) == Some(b'.') {
                // A `...` with no document before it.
                self.tok(DOC_END, self.pos + 3);
                self.trailing();
                continue;
            }
            self.b.start_node(DOCUMENT);
            self.flush();
            self.document();
            self.b.finish_node();
        }
        self.flush();
    }

    fn document(&mut self) {
        let mut directives = None;
        while self.pos == self.line_start && self.cur() == b'%' {
            let start = self.pos;
            let mut end = self.pos;
            let mut i = self.pos;
            while i < self.src.len() && !is_break(byte(self.src, i)) {
                let c = byte(self.src, i);
                if c == b'#' && is_ws(byte(self.src, i.saturating_sub(1))) {
                    break;
                }
                i += char_len(c);
                if !is_ws(c) {
                    end = i;
                }
            }
            self.tok(DIRECTIVE, end);
            directives.get_or_insert(start);
            self.skip_trivia_lines();
        }
        let explicit =
            self.pos == self.line_start && doc_marker_at(self.src, self.pos) == Some(b'-');
        if explicit {
            self.tok(DOC_START, self.pos + 3);
            self.block_value(-1, Ctx::Top);
        } else {
            if let Some(start) = directives {
                self.error(
                    &codes::INVALID_YAML,
                    (start, start + 1),
                    "directive without a document start",
                    "directives must be followed by `---`",
                    Some("add a `---` line after the directives".into()),
                );
            }
            if !self.eof() && !(self.at_doc_marker()) {
                self.node(-1, true, None, Ctx::Top);
            }
        }
        self.trailing();
        loop {
            self.skip_trivia_lines();
            if self.eof() {
                break;
            }
            if self.pos == self.line_start {
                match doc_marker_at(self.src, self.pos) {
                    Some(b'.') => {
                        self.tok(DOC_END, self.pos + 3);
                        self.trailing();
                        break;
                    }
                    Some(_) => break,
                    None => {}
                }
                if self.cur() == b'%' {
                    let at = self.char_range(self.pos);
                    self.error(
                        &codes::INVALID_YAML,
                        at,
                        "directive inside a document",
                        "a directive can only start a document",
                        Some("end the previous document with a `...` line".into()),
                    );
                    break;
                }
            }
            // Content after the root node: report it and keep its structure.
            if !matches!(self.cur(), b']' | b'}') {
                let range = (self.pos, self.word_end(self.pos));
                self.error(
                    &codes::INVALID_YAML,
                    range,
                    "unexpected content after the document's root node",
                    "this is not part of the node above",
                    Some("indent it under a key, or start a new document with `---`".into()),
                );
            }
            let cp = self.begin();
            self.b.start_node_at(cp, ERROR);
            let before = self.pos;
            self.node(-1, true, None, Ctx::Top);
            self.trailing();
            if self.pos == before {
                let end = self.char_range(self.pos).1;
                self.tok(INVALID, end);
            }
            self.b.finish_node();
        }
    }

    /// After a node: anything but a comment left on its line is an error.
    fn trailing(&mut self) {
        self.skip_ws_comment();
        if self.at_eol() || self.fresh_line() {
            return;
        }
        let start = self.pos;
        let mut end = start;
        let mut i = start;
        while i < self.src.len() && !is_break(byte(self.src, i)) {
            let c = byte(self.src, i);
            if c == b'#' && is_ws(byte(self.src, i.saturating_sub(1))) {
                break;
            }
            i += char_len(c);
            if !is_ws(c) {
                end = i;
            }
        }
        let end = end.max(self.char_range(start).1);
        match self.cur() {
            b':' => self.error(
                &codes::INVALID_YAML,
                self.char_range(start),
                "unexpected `:` after the value",
                "a mapping cannot start here",
                Some("quote the whole value, or put the nested mapping on its own lines".into()),
            ),
            b']' | b'}' => self.error(
                &codes::INVALID_YAML,
                self.char_range(start),
                format!("unexpected `{}`", self.cur() as char),
                "nothing is open here",
                Some("remove it, or quote the value".into()),
            ),
            _ => self.error(
                &codes::INVALID_YAML,
                (start, end),
                "unexpected text after the value",
                "this text is not part of any node",
                Some("quote the whole value, or move this text to its own line".into()),
            ),
        }
        self.tok(INVALID, end);
        self.skip_ws_comment();
    }

    // ---- Block nodes ---------------------------------------------------------------------

    /// The node after an indicator (`- `, `key:`, `? `, `: `, `---`): on the same line or
    /// on the following, more indented lines.
    fn block_value(&mut self, n: i32, ctx: Ctx) {
        self.skip_ws_comment();
        if !self.at_eol() {
            let compact = matches!(ctx, Ctx::SeqEntry | Ctx::ExplicitKey | Ctx::ExplicitValue);
            self.node(n, compact, None, ctx);
        } else {
            self.next_line_value(n, ctx, None);
        }
    }

    /// The node on the lines after the current one, if they are indented more than `n`;
    /// `props` are properties already emitted on the line before.
    fn next_line_value(&mut self, n: i32, ctx: Ctx, props: Option<Checkpoint>) {
        self.skip_trivia_lines();
        if !self.eof() && !self.at_doc_marker() {
            let c = self.col();
            if c > n || (c == n && ctx == Ctx::MapValue && self.at_indicator(b'-')) {
                self.node(n, true, props, ctx);
                return;
            }
        }
        if let Some(cp) = props {
            self.b.start_node_at(cp, SCALAR);
            self.b.finish_node();
        }
    }

    /// A block node at `pos`, held by an entry at indentation `n`. With `allow_block`, a
    /// block collection may start here (at a line start, or compact after `- `/`? `).
    fn node(&mut self, n: i32, allow_block: bool, outer: Option<Checkpoint>, ctx: Ctx) {
        if self.depth >= MAX_DEPTH {
            self.too_deep_block(n, outer);
            return;
        }
        let c = self.col();
        if allow_block {
            if self.at_indicator(b'-') {
                self.check_tabs();
                self.block_seq(c, outer);
                return;
            }
            if self.at_indicator(b'?') || self.at_indicator(b':') {
                self.check_tabs();
                self.block_map(c, outer, None);
                return;
            }
        }
        // Properties on the line above go to the mapping when this line holds a key.
        let (map_outer, node_outer) = match outer {
            Some(cp) if allow_block && line_has_key_colon(self.src, self.pos) => (Some(cp), None),
            other => (None, other),
        };
        let tab = self.tab_in_indent();
        let own = self.begin();
        if self.props() {
            self.skip_ws_comment();
            if self.at_eol() {
                self.next_line_value(n, ctx, Some(node_outer.unwrap_or(own)));
                return;
            }
        }
        let start = node_outer.unwrap_or(own);
        let key_ok = allow_block && node_outer.is_none();
        if self.content(n, start, key_ok, true) == Content::Key {
            self.report_tab(tab);
            self.block_map(c, map_outer, Some(own));
        }
    }

    /// The content of a node after its properties: a flow collection, a quoted, block or
    /// plain scalar, or an alias; all wrapped in a node starting at `start`.
    fn content(&mut self, n: i32, start: Checkpoint, key_ok: bool, multi_line: bool) -> Content {
        let first_line = self.line_start;
        match self.cur() {
            b'[' | b'{' => self.flow_collection(start, n),
            b'"' | b'\'' => self.quoted(start, n),
            b'*' => self.alias(start),
            b'|' | b'>' => {
                self.block_scalar(start, n);
                return Content::Done;
            }
            b']' | b'}' => {
                let at = self.char_range(self.pos);
                self.error(
                    &codes::INVALID_YAML,
                    at,
                    format!("unexpected `{}`", self.cur() as char),
                    "nothing is open here",
                    Some("remove it, or quote the value".into()),
                );
                self.b.start_node_at(start, ERROR);
                self.tok(INVALID, at.1);
                self.b.finish_node();
                return Content::Done;
            }
            _ => return self.plain(start, n, key_ok, multi_line),
        }
        // After a flow collection, a quoted scalar or an alias: is it an implicit key?
        let j = skip_ws(self.src, self.pos);
        if key_ok && byte(self.src, j) == b':' && blank_or_end(self.src, j + 1) {
            if self.line_start != first_line {
                let at = self.char_range(j);
                self.error(
                    &codes::INVALID_YAML,
                    at,
                    "key spans several lines",
                    "a key must be written on one line",
                    Some("use an explicit key (`? key`) or write the key on one line".into()),
                );
            }
            return Content::Key;
        }
        Content::Done
    }

    /// Anchors and tags before a node; whitespace after each is left pending.
    fn props(&mut self) -> bool {
        let mut any = false;
        loop {
            match self.cur() {
                b'&' => {
                    let end = self.name_end(self.pos + 1);
                    self.tok(ANCHOR, end);
                }
                b'!' => {
                    let end = self.tag_end(self.pos);
                    self.tok(TAG, end);
                }
                _ => break,
            }
            any = true;
            self.skip_ws();
        }
        any
    }

    fn name_end(&self, mut i: usize) -> usize {
        while i < self.src.len() {
            let c = byte(self.src, i);
            if blank_or_end(self.src, i) || is_flow_indicator(c) {
                break;
            }
            i += char_len(c);
        }
        i.min(self.src.len())
    }

    fn tag_end(&self, i: usize) -> usize {
        if byte(self.src, i + 1) == b'<' {
            let mut j = i + 2;
            while j < self.src.len() && !blank_or_end(self.src, j) {
                if byte(self.src, j) == b'>' {
                    return j + 1;
                }
                j += char_len(byte(self.src, j));
            }
            return j.min(self.src.len());
        }
        self.name_end(i + 1)
    }

    fn alias(&mut self, start: Checkpoint) {
        self.b.start_node_at(start, ALIAS_NODE);
        let end = self.name_end(self.pos + 1);
        self.tok(ALIAS, end);
        self.b.finish_node();
    }

    /// A plain scalar in block context.
    fn plain(&mut self, start: Checkpoint, n: i32, key_ok: bool, multi_line: bool) -> Content {
        let s = self.pos;
        let (mut end, mut stop) = plain_line(self.src, s, false);
        if end == s {
            // An indicator that cannot start a plain scalar here: take it as text.
            end = self.char_range(s).1;
            let (e, st) = plain_line(self.src, end, false);
            if !is_ws(byte(self.src, end)) && e > end {
                end = e;
            }
            stop = st;
        }
        if let Stop::Colon(mut at) = stop {
            if key_ok {
                self.b.start_node_at(start, SCALAR);
                self.tok(PLAIN, end);
                self.b.finish_node();
                return Content::Key;
            }
            // A `: ` inside a value, where no mapping can start: report it, and keep the
            // whole line as the value.
            let first_colon = at;
            loop {
                let (e, st) = plain_line(self.src, at + 1, false);
                end = e.max(at + 1);
                stop = st;
                match st {
                    Stop::Colon(next) => at = next,
                    _ => break,
                }
            }
            let value = String::from_utf8_lossy(self.src.get(s..end).unwrap_or_default());
            let help = if !value.contains('"') && !value.contains('\\') {
                format!("quote the value: \"{value}\"")
            } else if !value.contains('\'') {
                format!("quote the value: '{value}'")
            } else {
                "quote the value".to_owned()
            };
            self.error(
                &codes::COLON_IN_PLAIN_SCALAR,
                (first_colon, first_colon + 1),
                "unquoted value contains `: `",
                "YAML reads this `: ` as the start of a nested mapping",
                Some(help),
            );
        }
        if multi_line && stop == Stop::Eol {
            end = self.plain_continuation(end, n, false);
        }
        self.b.start_node_at(start, SCALAR);
        self.tok(PLAIN, end);
        self.b.finish_node();
        Content::Done
    }

    /// Extends a plain scalar whose segment ended at `end` over the following lines that
    /// continue it (indented more than `n` in block context).
    fn plain_continuation(&self, mut end: usize, n: i32, flow: bool) -> usize {
        let src = self.src;
        loop {
            let mut i = skip_ws(src, end);
            let mut line_start;
            if break_len(src, i) == 0 {
                return end;
            }
            loop {
                let len = break_len(src, i);
                if len == 0 {
                    break;
                }
                i += len;
                line_start = i;
                i = skip_ws(src, i);
                if i >= src.len() {
                    return end;
                }
                if break_len(src, i) == 0 {
                    let spaces = src
                        .get(line_start..i)
                        .map_or(0, |s| s.iter().take_while(|&&b| b == b' ').count());
                    let indent = i32::try_from(spaces).unwrap_or(i32::MAX);
                    let c = byte(src, i);
                    if (!flow && indent <= n)
                        || (line_start == i && doc_marker_at(src, i).is_some())
                        || c == b'#'
                    {
                        return end;
                    }
                    if flow {
                        if is_flow_indicator(c)
                            || (c == b':' && self.flow_blank(i + 1))
                            || (indent <= n && line_is_key_like(src, i))
                        {
                            return end;
                        }
                    } else if line_has_key_colon(src, i) {
                        return end;
                    }
                    let (e, st) = plain_line(src, i, flow);
                    if e == i {
                        return end;
                    }
                    end = e;
                    if st != Stop::Eol {
                        return end;
                    }
                    break;
                }
            }
        }
    }

    /// A single- or double-quoted scalar, possibly spanning lines.
    fn quoted(&mut self, start: Checkpoint, n: i32) {
        let src = self.src;
        let q = self.cur();
        let s = self.pos;
        let mut i = s + 1;
        let (end, closed) = loop {
            if i >= src.len() {
                break (src.len(), false);
            }
            let c = byte(src, i);
            if c == q {
                if q == b'\'' && byte(src, i + 1) == b'\'' {
                    i += 2;
                    continue;
                }
                break (i + 1, true);
            }
            if c == b'\\' && q == b'"' {
                i += 1;
                if i < src.len() {
                    i += break_len(src, i).max(char_len(byte(src, i)));
                }
                continue;
            }
            if is_break(c) {
                let next = i + break_len(src, i);
                let j = skip_ws(src, next);
                let indent = i32::try_from(j - next).unwrap_or(i32::MAX);
                if (next == j && doc_marker_at(src, j).is_some())
                    || (indent <= n && j < src.len() && line_is_key_like(src, j))
                {
                    break (i, false);
                }
                i = next;
                continue;
            }
            i += char_len(c);
        };
        self.b.start_node_at(start, SCALAR);
        if !closed {
            let quote = q as char;
            self.error(
                &codes::UNTERMINATED_SCALAR,
                (s, s + 1),
                "unclosed quote",
                format!("this `{quote}` is never closed"),
                Some(format!("add a closing `{quote}` at the end of the value")),
            );
        }
        let kind = if q == b'"' {
            DOUBLE_QUOTED
        } else {
            SINGLE_QUOTED
        };
        self.tok(kind, end);
        self.b.finish_node();
    }

    /// A literal or folded block scalar: header, then the lines indented more than `n`.
    fn block_scalar(&mut self, start: Checkpoint, n: i32) {
        let src = self.src;
        self.b.start_node_at(start, SCALAR);
        let mut i = self.pos + 1;
        let mut indicator = None;
        for _ in 0..2 {
            match byte(src, i) {
                d @ b'1'..=b'9' if indicator.is_none() => {
                    indicator = Some(usize::from(d - b'0'));
                    i += 1;
                }
                b'+' | b'-' => i += 1,
                _ => break,
            }
        }
        self.tok(BLOCK_HEADER, i);
        self.skip_ws_comment();
        if !self.at_eol() {
            let s = self.pos;
            let end = self.word_end(s);
            self.error(
                &codes::INVALID_YAML,
                (s, end),
                "invalid block scalar header",
                "expected a line break after `|` or `>`",
                Some(
                    "start the text on the next line; only an indentation digit and `+`/`-` may follow the `|` or `>`"
                        .into(),
                ),
            );
            let end = line_end(src, s);
            self.tok(INVALID, end);
        }
        if !self.skip_newline() {
            self.b.finish_node();
            return;
        }
        let text_start = self.pos;
        let min = usize::try_from(n + 1).unwrap_or(0);
        let indent = match indicator {
            Some(k) => usize::try_from(n).map_or(k, |p| p + k),
            None => {
                // The first non-blank line's indentation.
                let mut j = text_start;
                let mut found = usize::MAX;
                while j < src.len() {
                    let ls = j;
                    while byte(src, j) == b' ' {
                        j += 1;
                    }
                    let spaces = j - ls;
                    let k = skip_ws(src, j);
                    if k < src.len() && !is_break(byte(src, k)) {
                        found = spaces;
                        break;
                    }
                    j = k + break_len(src, k);
                    if k >= src.len() {
                        break;
                    }
                }
                found.max(min)
            }
        };
        let mut j = text_start;
        let mut end = text_start;
        while j < src.len() {
            let ls = j;
            while byte(src, j) == b' ' {
                j += 1;
            }
            let spaces = j - ls;
            let k = skip_ws(src, j);
            if k >= src.len() || is_break(byte(src, k)) {
                j = k + break_len(src, k);
                end = j.min(src.len());
                continue;
            }
            if spaces < indent || (spaces == 0 && doc_marker_at(src, ls).is_some()) {
                break;
            }
            let le = line_end(src, k);
            j = le + break_len(src, le);
            end = j.min(src.len());
        }
        self.tok(BLOCK_TEXT, end);
        if end > text_start && end < src.len() {
            self.line_start = end;
        }
        self.b.finish_node();
    }

    fn block_seq(&mut self, m: i32, outer: Option<Checkpoint>) {
        self.depth += 1;
        match outer {
            Some(cp) => self.b.start_node_at(cp, BLOCK_SEQ),
            None => {
                self.begin();
                self.b.start_node(BLOCK_SEQ);
            }
        }
        let mut first = true;
        loop {
            if !first {
                self.skip_trivia_lines();
                if self.eof() || self.at_doc_marker() {
                    break;
                }
                let c = self.col();
                let dash = self.at_indicator(b'-');
                if c < m || (c == m && !dash) {
                    break;
                }
                self.check_tabs();
                if c > m {
                    let range = (self.pos, self.word_end(self.pos));
                    self.error(
                        &codes::BAD_INDENTATION,
                        range,
                        "line indented more than the entries above",
                        "this line does not line up with the `-` entries",
                        Some(format!("indent it by {m} spaces, like the other entries")),
                    );
                    if !dash {
                        self.error_node(m);
                        continue;
                    }
                }
            }
            first = false;
            self.flush();
            self.b.start_node(BLOCK_SEQ_ENTRY);
            self.tok(DASH, self.pos + 1);
            self.block_value(m, Ctx::SeqEntry);
            self.trailing();
            self.b.finish_node();
        }
        self.b.finish_node();
        self.depth -= 1;
    }

    /// A node that does not fit the structure around it, kept whole in an `ERROR` node.
    fn error_node(&mut self, n: i32) {
        let cp = self.begin();
        self.b.start_node_at(cp, ERROR);
        let before = self.pos;
        self.node(n, true, None, Ctx::SeqEntry);
        self.trailing();
        if self.pos == before {
            let end = self.char_range(self.pos).1;
            self.tok(INVALID, end);
        }
        self.b.finish_node();
    }

    /// A block mapping at column `m`. `first_key` is the checkpoint of a first implicit key
    /// already emitted (its `:` is next); otherwise the first entry starts at `pos`.
    fn block_map(&mut self, m: i32, outer: Option<Checkpoint>, first_key: Option<Checkpoint>) {
        self.depth += 1;
        match first_key {
            Some(key) => {
                self.b.start_node_at(key, MAP_KEY);
                self.b.finish_node();
                self.b.start_node_at(key, BLOCK_MAP_ENTRY);
                self.b.start_node_at(outer.unwrap_or(key), BLOCK_MAP);
                self.entry_value(m);
                self.b.finish_node();
            }
            None => {
                match outer {
                    Some(cp) => self.b.start_node_at(cp, BLOCK_MAP),
                    None => {
                        self.begin();
                        self.b.start_node(BLOCK_MAP);
                    }
                }
                self.map_entry(m);
            }
        }
        loop {
            self.skip_trivia_lines();
            if self.eof() || self.at_doc_marker() {
                break;
            }
            let c = self.col();
            if c < m || (c == m && self.at_indicator(b'-')) {
                break;
            }
            self.check_tabs();
            if c > m {
                let range = (self.pos, self.word_end(self.pos));
                self.error(
                    &codes::BAD_INDENTATION,
                    range,
                    "line indented more than the keys above",
                    "this line does not line up with its sibling keys",
                    Some(format!(
                        "indent it by {m} spaces like its siblings, or put it under a key"
                    )),
                );
            }
            let before = self.pos;
            self.map_entry(m);
            if self.pos == before {
                let end = self.char_range(self.pos).1;
                self.tok(INVALID, end);
            }
        }
        self.b.finish_node();
        self.depth -= 1;
    }

    /// One block mapping entry at `pos`.
    fn map_entry(&mut self, m: i32) {
        self.begin();
        self.b.start_node(BLOCK_MAP_ENTRY);
        if self.at_indicator(b'?') {
            self.b.start_node(MAP_KEY);
            self.tok(QUESTION, self.pos + 1);
            self.block_value(m, Ctx::ExplicitKey);
            self.trailing();
            self.b.finish_node();
            self.skip_trivia_lines();
            if !self.eof() && self.col() == m && self.at_indicator(b':') {
                self.tok(COLON, self.pos + 1);
                self.wrapped(MAP_VALUE, |p| p.block_value(m, Ctx::ExplicitValue));
                self.trailing();
            }
        } else if self.at_indicator(b':') {
            self.entry_value(m);
        } else {
            let key_start = self.pos;
            let cp = self.begin();
            let content = if self.props() && {
                self.skip_ws_comment();
                self.at_eol()
            } {
                self.b.start_node_at(cp, SCALAR);
                self.b.finish_node();
                Content::Done
            } else {
                self.content(m, cp, true, false)
            };
            self.b.start_node_at(cp, MAP_KEY);
            self.b.finish_node();
            if content == Content::Key {
                self.entry_value(m);
            } else if matches!(byte(self.src, key_start), b']' | b'}') {
                // Already reported as a stray bracket.
                self.trailing();
            } else {
                let key_end = self.pos.max(self.char_range(key_start).1);
                let key =
                    String::from_utf8_lossy(self.src.get(key_start..key_end).unwrap_or_default())
                        .into_owned();
                let short: String = key.chars().take(40).collect();
                self.error(
                    &codes::INVALID_YAML,
                    (key_start, key_end),
                    "missing `:` after a key",
                    "this line is in a mapping but has no `:`",
                    Some(format!(
                        "write `{short}: <value>`, or indent the line if it continues the value above"
                    )),
                );
                self.trailing();
            }
        }
        self.b.finish_node();
    }

    /// The `:` of an entry and its value.
    fn entry_value(&mut self, m: i32) {
        self.skip_ws();
        if self.cur() != b':' {
            return;
        }
        self.tok(COLON, self.pos + 1);
        self.wrapped(MAP_VALUE, |p| p.block_value(m, Ctx::MapValue));
        self.trailing();
    }

    /// Nesting beyond [`MAX_DEPTH`] in block context: the rest of the node (the rest of
    /// the line and the lines indented more than `n`) is kept as invalid text.
    fn too_deep_block(&mut self, n: i32, outer: Option<Checkpoint>) {
        let src = self.src;
        let start = self.pos;
        let mut end = line_end(src, self.pos);
        let mut i = end;
        loop {
            let next = i + break_len(src, i);
            if next == i || next >= src.len() {
                break;
            }
            let j = skip_ws(src, next);
            let indent = i32::try_from(j - next).unwrap_or(i32::MAX);
            let blank = j >= src.len() || is_break(byte(src, j));
            if !blank && (indent <= n || (next == j && doc_marker_at(src, j).is_some())) {
                break;
            }
            i = line_end(src, j);
            if !blank {
                end = i;
            }
        }
        self.report_too_deep(start);
        let cp = outer.unwrap_or_else(|| self.begin());
        self.b.start_node_at(cp, ERROR);
        self.tok(INVALID, end);
        self.b.finish_node();
    }

    fn report_too_deep(&mut self, at: usize) {
        let range = self.char_range(at);
        self.error(
            &codes::NESTING_TOO_DEEP,
            range,
            "nesting too deep",
            format!("more than {MAX_DEPTH} levels of nested collections start here"),
            Some("flatten the structure; the rest of this node is not parsed".into()),
        );
    }

    // ---- Flow nodes ----------------------------------------------------------------------

    /// Skips trivia inside a flow collection. Returns false at the end of the text, at a
    /// document marker, or at a line that looks like a key at or below the enclosing block
    /// indentation `n`: the collection was not closed.
    fn flow_trivia(&mut self, n: i32) -> bool {
        loop {
            self.skip_ws_comment();
            if self.eof() {
                return false;
            }
            if self.fresh_line()
                && ((self.pos == self.line_start && doc_marker_at(self.src, self.pos).is_some())
                    || (self.col() <= n && line_is_key_like(self.src, self.pos)))
            {
                return false;
            }
            if !self.skip_newline() {
                return true;
            }
        }
    }

    fn flow_collection(&mut self, start: Checkpoint, n: i32) {
        let open_pos = self.pos;
        if self.depth >= MAX_DEPTH {
            self.too_deep_flow(start);
            return;
        }
        self.depth += 1;
        let (kind, open_kind, close) = if self.cur() == b'[' {
            (FLOW_SEQ, L_BRACKET, b']')
        } else {
            (FLOW_MAP, L_BRACE, b'}')
        };
        self.b.start_node_at(start, kind);
        self.tok(open_kind, self.pos + 1);
        let mut closed = false;
        'entries: loop {
            if !self.flow_trivia(n) {
                break;
            }
            match self.cur() {
                c @ (b']' | b'}') => {
                    if c != close {
                        let at = self.char_range(self.pos);
                        self.error(
                            &codes::INVALID_YAML,
                            at,
                            format!("expected `{}`, found `{}`", close as char, c as char),
                            format!(
                                "this does not close the `{}`",
                                byte(self.src, open_pos) as char
                            ),
                            Some(format!("close it with `{}`", close as char)),
                        );
                    }
                    let k = if c == b']' { R_BRACKET } else { R_BRACE };
                    self.tok(k, self.pos + 1);
                    closed = true;
                    break;
                }
                b',' => {
                    let at = self.char_range(self.pos);
                    self.error(
                        &codes::INVALID_YAML,
                        at,
                        "unexpected `,`",
                        "there is no entry before this comma",
                        Some("remove the extra comma".into()),
                    );
                    self.tok(COMMA, self.pos + 1);
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            if kind == FLOW_SEQ {
                self.flow_seq_item(n);
            } else {
                self.flow_map_entry(n);
            }
            loop {
                if !self.flow_trivia(n) {
                    break 'entries;
                }
                match self.cur() {
                    b',' => {
                        self.tok(COMMA, self.pos + 1);
                        break;
                    }
                    b']' | b'}' => break,
                    _ if self.pos == before => {
                        let at = self.char_range(self.pos);
                        self.error(
                            &codes::INVALID_YAML,
                            at,
                            "unexpected character in a flow collection",
                            "this cannot start an entry",
                            None,
                        );
                        self.tok(INVALID, at.1);
                    }
                    _ => {
                        let at = self.char_range(self.pos);
                        self.error(
                            &codes::INVALID_YAML,
                            (at.0, at.0),
                            "missing `,` between entries",
                            "expected `,` here",
                            Some("separate the entries with `,`".into()),
                        );
                        break;
                    }
                }
            }
        }
        if !closed {
            let open = byte(self.src, open_pos) as char;
            self.error(
                &codes::UNCLOSED_FLOW_COLLECTION,
                (open_pos, open_pos + 1),
                format!("unclosed `{open}`"),
                format!("this `{open}` is never closed"),
                Some(format!("add `{}` after the last entry", close as char)),
            );
        }
        self.b.finish_node();
        self.depth -= 1;
    }

    fn at_flow_colon(&self, json: bool) -> bool {
        self.cur() == b':' && (json || self.flow_blank(self.pos + 1))
    }

    fn at_flow_end(&self) -> bool {
        matches!(self.cur(), b',' | b']' | b'}')
    }

    fn flow_seq_item(&mut self, n: i32) {
        let cp = self.begin();
        if self.cur() == b'?' && self.flow_blank(self.pos + 1) {
            self.b.start_node(FLOW_PAIR);
            self.b.start_node(MAP_KEY);
            self.tok(QUESTION, self.pos + 1);
            let mut json = false;
            if self.flow_trivia(n) && !self.at_flow_end() && !self.at_flow_colon(false) {
                json = self.flow_node(n);
            }
            self.b.finish_node();
            self.flow_pair_value(n, json);
            self.b.finish_node();
            return;
        }
        if self.at_flow_colon(false) {
            self.b.start_node(FLOW_PAIR);
            self.flow_pair_value(n, false);
            self.b.finish_node();
            return;
        }
        let json = self.flow_node(n);
        if self.flow_trivia(n) && self.at_flow_colon(json) {
            self.b.start_node_at(cp, MAP_KEY);
            self.b.finish_node();
            self.b.start_node_at(cp, FLOW_PAIR);
            self.flow_pair_value(n, json);
            self.b.finish_node();
        }
    }

    fn flow_pair_value(&mut self, n: i32, json: bool) {
        if self.flow_trivia(n) && self.at_flow_colon(json) {
            self.tok(COLON, self.pos + 1);
            if self.flow_trivia(n) && !self.at_flow_end() {
                self.wrapped(MAP_VALUE, |p| {
                    p.flow_node(n);
                });
            }
        }
    }

    fn flow_map_entry(&mut self, n: i32) {
        self.begin();
        self.b.start_node(FLOW_MAP_ENTRY);
        let mut json = false;
        if self.cur() == b'?' && self.flow_blank(self.pos + 1) {
            self.b.start_node(MAP_KEY);
            self.tok(QUESTION, self.pos + 1);
            if self.flow_trivia(n) && !self.at_flow_end() && !self.at_flow_colon(false) {
                json = self.flow_node(n);
            }
            self.b.finish_node();
        } else if !self.at_flow_colon(false) {
            self.b.start_node(MAP_KEY);
            json = self.flow_node(n);
            self.b.finish_node();
        }
        self.flow_pair_value(n, json);
        self.b.finish_node();
    }

    /// A node inside a flow collection. Returns whether it is JSON-like (quoted or a
    /// collection), after which `:` needs no space.
    fn flow_node(&mut self, n: i32) -> bool {
        let cp = self.begin();
        if self.props() && (!self.flow_trivia(n) || self.at_flow_end() || self.at_flow_colon(false))
        {
            self.b.start_node_at(cp, SCALAR);
            self.b.finish_node();
            return false;
        }
        match self.cur() {
            b'[' | b'{' => {
                self.flow_collection(cp, n);
                true
            }
            b'"' | b'\'' => {
                self.quoted(cp, n);
                true
            }
            b'*' => {
                self.alias(cp);
                false
            }
            _ => {
                let s = self.pos;
                let (mut end, stop) = plain_line(self.src, s, true);
                if end == s {
                    end = self.char_range(s).1;
                }
                if stop == Stop::Eol {
                    end = self.plain_continuation(end, n, true);
                }
                self.b.start_node_at(cp, SCALAR);
                self.tok(PLAIN, end);
                self.b.finish_node();
                false
            }
        }
    }

    /// Nesting beyond [`MAX_DEPTH`] in a flow collection: everything up to the matching
    /// bracket is kept as invalid text.
    fn too_deep_flow(&mut self, start: Checkpoint) {
        let src = self.src;
        let at = self.pos;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < src.len() {
            let c = byte(src, i);
            match c {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                b'"' | b'\'' => {
                    let mut j = i + 1;
                    while j < src.len() && byte(src, j) != c {
                        j += if c == b'"' && byte(src, j) == b'\\' {
                            2
                        } else {
                            1
                        };
                    }
                    i = j.min(src.len());
                }
                _ => {}
            }
            i += char_len(c);
        }
        // Never stop inside a character.
        let mut end = i.min(src.len());
        while end < src.len() && (byte(src, end) & 0xC0) == 0x80 {
            end += 1;
        }
        self.report_too_deep(at);
        self.b.start_node_at(start, ERROR);
        self.tok(INVALID, end);
        self.b.finish_node();
    }
}
