//! Block structure: block values, mappings and sequences, driven by indentation, and
//! the cut-off of block nesting beyond the depth limit.

use super::scan::{
    blank_or_end, break_len, byte, doc_marker_at, is_break, is_ws, line_end, line_has_key_colon,
    skip_ws,
};
use super::{Content, Ctx, MAX_DEPTH, Parser};
use crate::Checkpoint;
use crate::SyntaxKind::*;
use crate::codes;

impl Parser<'_> {
    // ---- Block nodes ---------------------------------------------------------------------

    /// The node after an indicator (`- `, `key:`, `? `, `: `, `---`): on the same line or
    /// on the following, more indented lines.
    pub(super) fn block_value(&mut self, n: i32, ctx: Ctx) {
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
    pub(super) fn next_line_value(&mut self, n: i32, ctx: Ctx, props: Option<Checkpoint>) {
        self.skip_trivia_lines();
        let directive = self.pos == self.line_start && self.cur() == b'%';
        if !self.eof() && !self.at_doc_marker() && !directive {
            let c = self.col();
            let seq_at_parent =
                matches!(ctx, Ctx::MapValue | Ctx::ExplicitKey | Ctx::ExplicitValue)
                    && self.at_indicator(b'-');
            if c > n || (c == n && seq_at_parent) {
                // Indentation is counted in spaces: a node indented only by tabs is an error.
                let spaces = self
                    .src
                    .get(self.line_start..self.pos)
                    .map_or(0, |w| w.iter().take_while(|&&b| b == b' ').count());
                if c > n && i32::try_from(spaces).unwrap_or(i32::MAX) <= n {
                    self.check_tabs();
                }
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
    pub(super) fn node(&mut self, n: i32, allow_block: bool, outer: Option<Checkpoint>, ctx: Ctx) {
        if self.depth >= MAX_DEPTH {
            self.too_deep_block(n, outer);
            return;
        }
        let c = self.col();
        if allow_block {
            if self.at_indicator(b'-') {
                let tab = self.tab_before_compact(true);
                self.report_tab(tab);
                self.check_tabs();
                self.block_seq(c, n, outer);
                return;
            }
            if self.at_indicator(b'?') || self.at_indicator(b':') {
                let tab = self.tab_before_compact(true);
                self.report_tab(tab);
                self.check_tabs();
                self.block_map(c, n, outer, None);
                return;
            }
        }
        // Properties on the line above go to the mapping when this line holds a key.
        let (map_outer, node_outer) = match outer {
            Some(cp) if allow_block && line_has_key_colon(self.src, self.pos) => (Some(cp), None),
            other => (None, other),
        };
        let tab = self
            .tab_in_indent()
            .or_else(|| self.tab_before_compact(allow_block));
        let own = self.begin();
        let props_start = self.pos;
        let mask = self.props();
        if mask != 0 {
            if node_outer.is_some() && mask & self.outer_props != 0 {
                let end = self.word_end(props_start);
                self.error(
                    &codes::INVALID_YAML,
                    (props_start, end),
                    "node with two sets of properties",
                    "this node already has an anchor or tag on the line above",
                    Some("keep one anchor and one tag per node".into()),
                );
            }
            self.skip_ws_comment();
            if self.at_eol() {
                self.outer_props = if node_outer.is_some() {
                    self.outer_props | mask
                } else {
                    mask
                };
                self.next_line_value(n, ctx, Some(node_outer.unwrap_or(own)));
                return;
            }
            self.after_props_check();
        } else if !allow_block && (self.at_indicator(b'-') || self.at_indicator(b'?')) {
            let at = self.char_range(self.pos);
            let what = if self.cur() == b'-' {
                "sequence"
            } else {
                "explicit key"
            };
            self.error(
                &codes::INVALID_YAML,
                at,
                format!("block {what} on the same line as its key"),
                format!("a block {what} cannot start here"),
                Some("start it on the next line, indented under the key".into()),
            );
        }
        let start = node_outer.unwrap_or(own);
        let key_ok = allow_block && node_outer.is_none();
        let content_start = self.pos;
        let first_line = self.line_start;
        if self.content(n, start, key_ok, true) == Content::Key {
            self.report_tab(tab);
            self.block_map(c, n, map_outer, Some(own));
        } else if key_ok
            && self.fresh_line_at(content_start)
            && self.line_start == first_line
            && matches!(byte(self.src, content_start), b'"' | b'\'' | b'a'..=b'z' | b'A'..=b'Z')
            && self.next_line_is_key_at(c)
        {
            // A one-line scalar followed by keys at its column: a key that lost its `:`.
            self.missing_colon(content_start);
            self.block_map_without_colon(c, n, map_outer, own);
        }
    }

    /// Whether only whitespace precedes `i` on the current line.
    fn fresh_line_at(&self, i: usize) -> bool {
        self.src
            .get(self.line_start..i)
            .is_some_and(|s| s.iter().all(|&b| is_ws(b)))
    }

    /// Whether the next non-blank, non-comment line starts at column `c` with a key.
    fn next_line_is_key_at(&self, c: i32) -> bool {
        let src = self.src;
        let mut i = self.pos;
        loop {
            i = skip_ws(src, i);
            if byte(src, i) == b'#' {
                i = line_end(src, i);
            }
            let len = break_len(src, i);
            if len == 0 {
                return false;
            }
            let ls = i + len;
            i = skip_ws(src, ls);
            if i < src.len() && !is_break(byte(src, i)) && byte(src, i) != b'#' {
                return i32::try_from(i - ls).ok() == Some(c)
                    && src.get(ls..i).is_some_and(|w| w.iter().all(|&b| b == b' '))
                    && line_has_key_colon(src, i);
            }
        }
    }

    /// Reports a key (at `key_start`, ending at `pos`) that has no `:`.
    fn missing_colon(&mut self, key_start: usize) {
        let key_end = self.pos.max(self.char_range(key_start).1);
        let key = String::from_utf8_lossy(self.src.get(key_start..key_end).unwrap_or_default())
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
    }

    /// A block mapping at column `m` whose first key (emitted from `key`) has no `:`.
    fn block_map_without_colon(
        &mut self,
        m: i32,
        n: i32,
        outer: Option<Checkpoint>,
        key: Checkpoint,
    ) {
        self.b.start_node_at(key, MAP_KEY);
        self.b.finish_node();
        self.b.start_node_at(key, BLOCK_MAP_ENTRY);
        self.b.finish_node();
        self.b.start_node_at(outer.unwrap_or(key), BLOCK_MAP);
        self.depth += 1;
        self.trailing();
        self.block_map_entries(m, n);
        self.b.finish_node();
        self.depth -= 1;
    }

    /// The content of a node after its properties: a flow collection, a quoted, block or
    /// plain scalar, or an alias; all wrapped in a node starting at `start`.
    pub(super) fn content(
        &mut self,
        n: i32,
        start: Checkpoint,
        key_ok: bool,
        multi_line: bool,
    ) -> Content {
        let first_line = self.line_start;
        if self.cur() == b'{' && byte(self.src, self.pos + 1) == b'{' {
            self.template_start = Some(self.pos);
        }
        if self.at_indicator(b':') {
            // Properties with no content before a `:`: an empty key.
            self.b.start_node_at(start, SCALAR);
            self.b.finish_node();
            return if key_ok { Content::Key } else { Content::Done };
        }
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

    pub(super) fn block_seq(&mut self, m: i32, n: i32, outer: Option<Checkpoint>) {
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
                if c < m || (c == m && !dash && m == n) {
                    break;
                }
                self.check_tabs();
                if c == m && !dash {
                    let range = (self.pos, self.word_end(self.pos));
                    self.error(
                        &codes::BAD_INDENTATION,
                        range,
                        "line without `- ` inside a sequence",
                        "this line is at the indentation of the `-` entries",
                        Some(
                            "add `- ` to make it an entry, or indent it under the entry above"
                                .into(),
                        ),
                    );
                    self.error_node(m);
                    continue;
                }
                if c > m {
                    let range = (self.pos, self.word_end(self.pos));
                    self.error(
                        &codes::BAD_INDENTATION,
                        range,
                        "line indented more than the entries above",
                        "this line does not line up with the `-` entries",
                        Some(format!(
                            "align it with the keys of the entry above, or with the `-` entries ({m} spaces)"
                        )),
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
    pub(super) fn error_node(&mut self, n: i32) {
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
    pub(super) fn block_map(
        &mut self,
        m: i32,
        n: i32,
        outer: Option<Checkpoint>,
        first_key: Option<Checkpoint>,
    ) {
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
        self.block_map_entries(m, n);
        self.b.finish_node();
        self.depth -= 1;
    }

    /// The entries of a block mapping at column `m` after its first one.
    fn block_map_entries(&mut self, m: i32, n: i32) {
        loop {
            self.skip_trivia_lines();
            if self.eof() || self.at_doc_marker() {
                break;
            }
            let c = self.col();
            if c < m || (c == m && self.at_indicator(b'-') && m == n) {
                break;
            }
            self.check_tabs();
            if c == m && self.at_indicator(b'-') {
                let at = self.char_range(self.pos);
                self.error(
                    &codes::BAD_INDENTATION,
                    at,
                    "sequence entry inside a mapping",
                    "this `-` is at the indentation of the mapping's keys",
                    Some("put the list under a key (`key:` on the line above), or indent it under the key above".into()),
                );
                self.error_node(m);
                continue;
            }
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
    }

    /// One block mapping entry at `pos`.
    pub(super) fn map_entry(&mut self, m: i32) {
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
            let props = self.props() != 0;
            let content = if props && {
                self.skip_ws_comment();
                self.at_eol()
            } {
                self.b.start_node_at(cp, SCALAR);
                self.b.finish_node();
                Content::Done
            } else {
                if props {
                    self.after_props_check();
                }
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
                self.missing_colon(key_start);
                self.trailing();
            }
        }
        self.b.finish_node();
    }

    /// The `:` of an entry and its value.
    pub(super) fn entry_value(&mut self, m: i32) {
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
    pub(super) fn too_deep_block(&mut self, n: i32, outer: Option<Checkpoint>) {
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

    pub(super) fn report_too_deep(&mut self, at: usize) {
        let range = self.char_range(at);
        self.error(
            &codes::NESTING_TOO_DEEP,
            range,
            "nesting too deep",
            format!("more than {MAX_DEPTH} levels of nested collections start here"),
            Some("flatten the structure; the rest of this node is not parsed".into()),
        );
    }
}
