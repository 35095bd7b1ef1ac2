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
//!
//! This module holds the cursor, trivia handling, errors, streams and documents; `block`
//! the indentation-driven collections, `flow` the bracketed ones, `scalars` the scalars,
//! anchors, tags and aliases, and `scan` the byte classes and one-line lookaheads.

mod block;
mod flow;
mod scalars;
mod scan;

use playbook_diagnostics::{Code, Diagnostic, TextRange, TextSize};

use crate::SyntaxKind::{self, *};
use crate::codes;
use crate::{Checkpoint, SyntaxTree, TreeBuilder};
use scan::{
    blank_or_end, break_len, byte, char_len, doc_marker_at, is_break, is_flow_indicator, is_ws,
    line_end, skip_ws,
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
        text,
        src: text.as_bytes(),
        handles: Vec::new(),
        hash_error: usize::MAX,
        template_start: None,
        outer_props: 0,
        flow_line_error: usize::MAX,
        pos: 0,
        line_start: 0,
        flushed: 0,
        // About one event per three bytes in real files.
        b: TreeBuilder::with_capacity(text.len() / 3 + 16),
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
    text: &'a str,
    src: &'a [u8],
    /// The tag handles declared by `%TAG` for the current document (`!e!`).
    handles: Vec<&'a str>,
    /// Where a comment without a space before it was last reported.
    hash_error: usize,
    /// Where the last block value starting with `{{` (a template, to YAML a flow mapping)
    /// began, for the help of the error that usually follows.
    template_start: Option<usize>,
    /// Which properties (1 anchor, 2 tag) the node being parsed got on the lines above.
    outer_props: u8,
    /// The line where a badly indented flow line was last reported.
    flow_line_error: usize,
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

impl<'a> Parser<'a> {
    /// Where the content of the line from `start` ends: before trailing whitespace and
    /// before a comment (a `#` after whitespace), never past the line break.
    fn content_end(&self, start: usize) -> usize {
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
        end
    }

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
            if self.pos > self.line_start
                && !is_ws(byte(self.src, self.pos - 1))
                && self.hash_error != self.pos
            {
                self.hash_error = self.pos;
                self.error(
                    &codes::INVALID_YAML,
                    (self.pos, self.pos + 1),
                    "comment not separated from the value",
                    "a comment needs a space before its `#`",
                    Some("put a space before `#`".into()),
                );
            }
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
                // A byte order mark takes no column.
                if self.pos == self.line_start {
                    self.line_start += 3;
                }
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

    /// In a compact block collection (after `- `, `? `, `: ` on the same line), the
    /// position of a tab in the whitespace before `pos`.
    fn tab_before_compact(&self, allow_block: bool) -> Option<usize> {
        if !allow_block || self.fresh_line() {
            return None;
        }
        let mut i = self.pos;
        while i > self.line_start && is_ws(byte(self.src, i - 1)) {
            i -= 1;
            if byte(self.src, i) == b'\t' {
                return Some(i);
            }
        }
        None
    }

    /// Checks what follows a node's properties on their line: not an alias, not a `- `.
    fn after_props_check(&mut self) {
        let at = self.char_range(self.pos);
        if self.cur() == b'*' {
            self.error(
                &codes::INVALID_YAML,
                at,
                "alias with properties",
                "an alias cannot have an anchor or a tag",
                Some("remove the anchor or tag before the alias".into()),
            );
        } else if self.at_indicator(b'-') {
            self.error(
                &codes::INVALID_YAML,
                at,
                "properties before a `- ` on the same line",
                "a block sequence cannot start after an anchor or tag on its line",
                Some("put the sequence on the next line, under its anchor or tag".into()),
            );
        }
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
        let mut seen_yaml = false;
        self.handles.clear();
        while self.pos == self.line_start && self.cur() == b'%' {
            let start = self.pos;
            let end = self.content_end(start);
            self.directive(start, end, &mut seen_yaml);
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

    /// Checks a directive line `start..end` and records `%TAG` handles.
    fn directive(&mut self, start: usize, end: usize, seen_yaml: &mut bool) {
        let text = self.text.get(start..end).unwrap_or_default();
        let mut parts = text.split_whitespace();
        match parts.next() {
            Some("%YAML") => {
                let version = parts.next();
                let valid = version.is_some_and(|v| {
                    v.split_once('.').is_some_and(|(a, b)| {
                        !a.is_empty()
                            && !b.is_empty()
                            && a.bytes().all(|c| c.is_ascii_digit())
                            && b.bytes().all(|c| c.is_ascii_digit())
                    })
                });
                let message = if *seen_yaml {
                    Some("duplicate `%YAML` directive")
                } else if !valid || parts.next().is_some() {
                    Some("invalid `%YAML` directive")
                } else {
                    None
                };
                *seen_yaml = true;
                if let Some(message) = message {
                    self.error(
                        &codes::INVALID_YAML,
                        (start, end),
                        message,
                        "expected `%YAML 1.2`, once per document",
                        Some("write `%YAML 1.2` on its own line, once".into()),
                    );
                }
            }
            Some("%TAG") => {
                if let Some(handle) = parts.next() {
                    self.handles.push(handle);
                }
            }
            _ => {}
        }
    }

    /// The last non-blank byte before `i` on its line, or 0.
    fn prev_significant(&self, i: usize) -> u8 {
        let mut j = i;
        while j > self.line_start && is_ws(byte(self.src, j - 1)) {
            j -= 1;
        }
        if j > self.line_start {
            byte(self.src, j - 1)
        } else {
            0
        }
    }

    /// After a node: anything but a comment left on its line is an error.
    fn trailing(&mut self) {
        self.skip_ws_comment();
        if self.at_eol() || self.fresh_line() {
            return;
        }
        let start = self.pos;
        let end = self.content_end(start);
        let end = end.max(self.char_range(start).1);
        let template = self
            .template_start
            .filter(|&t| t >= self.line_start && t < start);
        match self.cur() {
            _ if template.is_some() => {
                let t = template.unwrap_or(start);
                let value = String::from_utf8_lossy(self.src.get(t..end).unwrap_or_default())
                    .replace('"', "\\\"");
                self.error(
                    &codes::INVALID_YAML,
                    (start, end),
                    "unquoted value starts with `{{`",
                    "YAML read the `{{ ... }}` before this as a mapping",
                    Some(format!("quote the value: \"{value}\"")),
                );
            }
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
            _ if matches!(self.prev_significant(start), b'"' | b'\'') => {
                let q = self.prev_significant(start) as char;
                self.error(
                    &codes::INVALID_YAML,
                    (start, end),
                    "text after a closing quote",
                    format!("the quoted value ended at the `{q}` before this"),
                    Some(if q == '"' {
                        "to put `\"` inside the value, write `\\\"`, or quote the whole value with `'`".into()
                    } else {
                        "to put `'` inside the value, write `''`, or quote the whole value with `\"`".into()
                    }),
                )
            }
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
}
