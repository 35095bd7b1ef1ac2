//! Flow collections: `[...]` and `{...}`, nested and multi-line, with implicit pairs, and
//! recovery when a bracket is never closed.

use super::scan::{Stop, byte, char_len, doc_marker_at, line_is_key_like, plain_line};
use super::{MAX_DEPTH, Parser};
use crate::Checkpoint;
use crate::SyntaxKind::*;
use crate::codes;

impl Parser<'_> {
    // ---- Flow nodes ----------------------------------------------------------------------

    /// Skips trivia inside a flow collection. Returns false at the end of the text, at a
    /// document marker, or at a line that looks like a key at or below the enclosing block
    /// indentation `n`: the collection was not closed.
    pub(super) fn flow_trivia(&mut self, n: i32) -> bool {
        loop {
            self.skip_ws_comment();
            if self.eof() {
                return false;
            }
            if self.fresh_line() && !self.at_eol() {
                if (self.pos == self.line_start && doc_marker_at(self.src, self.pos).is_some())
                    || (self.col() <= n && line_is_key_like(self.src, self.pos))
                {
                    return false;
                }
                let spaces = self
                    .src
                    .get(self.line_start..self.pos)
                    .map_or(0, |w| w.iter().take_while(|&&b| b == b' ').count());
                if i32::try_from(spaces).unwrap_or(i32::MAX) <= n
                    && self.flow_line_error != self.line_start
                {
                    self.flow_line_error = self.line_start;
                    self.bad_continuation(self.line_start, self.pos);
                }
            }
            if !self.skip_newline() {
                return true;
            }
        }
    }

    pub(super) fn flow_collection(&mut self, start: Checkpoint, n: i32) {
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

    pub(super) fn at_flow_colon(&self, json: bool) -> bool {
        self.cur() == b':' && (json || self.flow_blank(self.pos + 1))
    }

    pub(super) fn at_flow_end(&self) -> bool {
        matches!(self.cur(), b',' | b']' | b'}')
    }

    pub(super) fn flow_seq_item(&mut self, n: i32) {
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
        let key_line = self.line_start;
        let json = self.flow_node(n);
        let key_end_line = self.line_start;
        if self.flow_trivia(n) && self.at_flow_colon(json) {
            if self.line_start != key_line || key_end_line != key_line {
                let at = self.char_range(self.pos);
                self.error(
                    &codes::INVALID_YAML,
                    at,
                    "key spans several lines",
                    "an implicit key and its `:` must be on one line",
                    Some("move the `:` to the key's line, or use an explicit key (`? key`)".into()),
                );
            }
            self.b.start_node_at(cp, MAP_KEY);
            self.b.finish_node();
            self.b.start_node_at(cp, FLOW_PAIR);
            self.flow_pair_value(n, json);
            self.b.finish_node();
        }
    }

    pub(super) fn flow_pair_value(&mut self, n: i32, json: bool) {
        if self.flow_trivia(n) && self.at_flow_colon(json) {
            self.tok(COLON, self.pos + 1);
            if self.flow_trivia(n) && !self.at_flow_end() {
                self.wrapped(MAP_VALUE, |p| {
                    p.flow_node(n);
                });
            }
        }
    }

    pub(super) fn flow_map_entry(&mut self, n: i32) {
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
    pub(super) fn flow_node(&mut self, n: i32) -> bool {
        let cp = self.begin();
        if self.props() != 0 {
            if !self.flow_trivia(n) || self.at_flow_end() || self.at_flow_colon(false) {
                self.b.start_node_at(cp, SCALAR);
                self.b.finish_node();
                return false;
            }
            self.after_props_check();
        }
        if matches!(self.cur(), b'-' | b'?' | b':') && self.flow_blank(self.pos + 1) {
            let at = self.char_range(self.pos);
            let c = self.cur() as char;
            self.error(
                &codes::INVALID_YAML,
                at,
                format!("unexpected `{c}` in a flow collection"),
                "block indicators cannot be used inside `[...]` or `{...}`",
                Some(format!("quote it (\"{c}\") if it is a value")),
            );
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
    pub(super) fn too_deep_flow(&mut self, start: Checkpoint) {
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
