//! Node properties (anchors, tags), aliases, and the scalars: plain, single- and
//! double-quoted (possibly multi-line, with recovery when unclosed), literal and folded.

use playbook_diagnostics::{Fix, TextRange, TextSize};

use super::scan::{
    Stop, blank_or_end, break_len, byte, char_len, doc_marker_at, is_break, is_flow_indicator,
    is_ws, line_end, line_has_key_colon, line_is_key_like, plain_line, skip_ws,
};
use super::{Content, Parser};
use crate::Checkpoint;
use crate::SyntaxKind::*;
use crate::codes;

impl Parser<'_> {
    /// Anchors and tags before a node; whitespace after each is left pending. Returns which
    /// were found: 1 for an anchor, 2 for a tag.
    pub(super) fn props(&mut self) -> u8 {
        let mut any = 0;
        loop {
            let kind = match self.cur() {
                b'&' => 1,
                b'!' => 2,
                _ => 0,
            };
            if any & kind != 0 {
                let end = self.word_end(self.pos);
                let what = if kind == 1 { "anchors" } else { "tags" };
                self.error(
                    &codes::INVALID_YAML,
                    (self.pos, end),
                    format!("node with two {what}"),
                    format!("a node can have only one of these {what}"),
                    Some("remove one of them".into()),
                );
            }
            match self.cur() {
                b'&' => {
                    let end = self.name_end(self.pos + 1);
                    self.tok(ANCHOR, end);
                    any |= 1;
                }
                b'!' => {
                    let end = self.tag_end(self.pos);
                    self.check_tag_handle(self.pos, end);
                    self.tok(TAG, end);
                    any |= 2;
                }
                _ => break,
            }
            self.skip_ws();
        }
        any
    }

    /// Reports a named tag handle (`!e!x`) that no `%TAG` directive declares.
    pub(super) fn check_tag_handle(&mut self, start: usize, end: usize) {
        let tag = self.text.get(start..end).unwrap_or_default();
        let Some(rest) = tag.strip_prefix('!') else {
            return;
        };
        if rest.starts_with('<') || rest.starts_with('!') {
            return;
        }
        if let Some(i) = rest.find('!') {
            let handle = tag.get(..i + 2).unwrap_or_default();
            if !self.handles.contains(&handle) {
                self.error(
                    &codes::INVALID_YAML,
                    (start, start + i + 2),
                    format!("undefined tag handle `{handle}`"),
                    "no `%TAG` directive declares this handle in this document",
                    Some(format!(
                        "declare it with `%TAG {handle} <prefix>` before the document's `---`"
                    )),
                );
            }
        }
    }

    pub(super) fn name_end(&self, mut i: usize) -> usize {
        while i < self.src.len() {
            let c = byte(self.src, i);
            if blank_or_end(self.src, i) || is_flow_indicator(c) {
                break;
            }
            i += char_len(c);
        }
        i.min(self.src.len())
    }

    pub(super) fn tag_end(&self, i: usize) -> usize {
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

    pub(super) fn alias(&mut self, start: Checkpoint) {
        self.b.start_node_at(start, ALIAS_NODE);
        let end = self.name_end(self.pos + 1);
        self.tok(ALIAS, end);
        self.b.finish_node();
    }

    /// A plain scalar in block context.
    pub(super) fn plain(
        &mut self,
        start: Checkpoint,
        n: i32,
        key_ok: bool,
        multi_line: bool,
    ) -> Content {
        let s = self.pos;
        if matches!(self.cur(), b',' | b'@' | b'`') {
            let c = self.cur() as char;
            self.error(
                &codes::INVALID_YAML,
                self.char_range(s),
                format!("a plain value cannot start with `{c}`"),
                "this character is reserved by YAML",
                Some("quote the value".into()),
            );
        }
        let (mut end, mut stop) = plain_line(self.src, s, false);
        // The `: ` error reported for this value, which gets its fix once the value's end
        // is known.
        let mut colon_error = None;
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
            colon_error = Some(self.errors.len() - 1);
        }
        if multi_line && stop == Stop::Eol {
            end = self.plain_continuation(end, n, false);
        }
        if let Some(index) = colon_error
            && let Some(value) = self
                .src
                .get(s..end)
                .and_then(|v| std::str::from_utf8(v).ok())
            && let Some(error) = self.errors.get_mut(index)
        {
            error.fixes.push(Fix::replace(
                "Quote the value",
                TextRange::new(s as TextSize, end as TextSize),
                quoted(value),
            ));
        }
        self.b.start_node_at(start, SCALAR);
        self.tok(PLAIN, end);
        self.b.finish_node();
        Content::Done
    }

    /// Extends a plain scalar whose segment ended at `end` over the following lines that
    /// continue it (indented more than `n` in block context).
    pub(super) fn plain_continuation(&self, mut end: usize, n: i32, flow: bool) -> usize {
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
    pub(super) fn quoted(&mut self, start: Checkpoint, n: i32) {
        let src = self.src;
        let q = self.cur();
        let s = self.pos;
        let mut i = s + 1;
        let mut bad_line = None;
        let mut escapes = false;
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
                escapes = true;
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
                let blank = j >= src.len() || is_break(byte(src, j));
                let spaces = src
                    .get(next..j)
                    .map_or(0, |w| w.iter().take_while(|&&b| b == b' ').count());
                if !blank && i32::try_from(spaces).unwrap_or(i32::MAX) <= n && bad_line.is_none() {
                    bad_line = Some((next, j));
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
        if let Some((ls, j)) = bad_line {
            self.bad_continuation(ls, j);
        }
        if closed
            && escapes
            && let Some(raw) = self.text.get(s..end)
        {
            let decoded = crate::decode::double_quoted(raw, s as TextSize);
            self.errors.extend(decoded.errors);
        }
        let kind = if q == b'"' {
            DOUBLE_QUOTED
        } else {
            SINGLE_QUOTED
        };
        self.tok(kind, end);
        self.b.finish_node();
    }

    /// Reports a continuation line (starting at `ls`, text at `j`) of a multi-line scalar or
    /// flow collection that is not indented more than the node's parent.
    pub(super) fn bad_continuation(&mut self, ls: usize, j: usize) {
        let indent = self.src.get(ls..j).unwrap_or_default();
        if let Some(t) = indent.iter().position(|&b| b == b'\t') {
            self.error(
                &codes::TAB_INDENTATION,
                (ls + t, ls + t + 1),
                "tab used for indentation",
                "this is a tab",
                Some("indent with spaces only".into()),
            );
        } else {
            let end = self.word_end(j);
            self.error(
                &codes::BAD_INDENTATION,
                (j, end),
                "continuation line not indented enough",
                "this line continues a value but is not indented more than its key",
                Some("indent the line more than the key it belongs to".into()),
            );
        }
    }

    /// A literal or folded block scalar: header, then the lines indented more than `n`.
    pub(super) fn block_scalar(&mut self, start: Checkpoint, n: i32) {
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
        let min = usize::try_from(n.saturating_add(1)).unwrap_or(0);
        let indent = match indicator {
            Some(k) => usize::try_from(n).map_or(k, |p| p + k),
            None => {
                // The first non-blank line's indentation.
                let mut j = text_start;
                let mut found = usize::MAX;
                let mut widest_blank = (0, text_start);
                while j < src.len() {
                    let ls = j;
                    while byte(src, j) == b' ' {
                        j += 1;
                    }
                    let spaces = j - ls;
                    let k = skip_ws(src, j);
                    if k < src.len() && !is_break(byte(src, k)) {
                        found = spaces;
                        if widest_blank.0 > spaces && spaces >= min {
                            let at = widest_blank.1;
                            self.error(
                                &codes::BAD_INDENTATION,
                                (at, at + widest_blank.0),
                                "blank line indented more than the text below it",
                                "a leading blank line of a block scalar cannot be more indented than its first line",
                                Some("remove the trailing spaces of this line".into()),
                            );
                        }
                        break;
                    }
                    if spaces > widest_blank.0 {
                        widest_blank = (spaces, ls);
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
                if spaces < indent && k > j {
                    self.error(
                        &codes::TAB_INDENTATION,
                        (j, j + 1),
                        "tab used for indentation",
                        "this is a tab, in the indentation of a block scalar",
                        Some("indent with spaces only".into()),
                    );
                }
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
}

/// A plain scalar's text written as a quoted scalar of the same value: double-quoted when it
/// is one line without `"` or `\`, else single-quoted with its `'` doubled (a multi-line
/// single-quoted scalar folds its lines as a plain one does).
fn quoted(value: &str) -> String {
    let one_line = !value.contains(['\n', '\r']);
    if one_line && !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}
