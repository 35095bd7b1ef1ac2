//! Scalar decoding with a source map.
//!
//! Turns the raw source text of a scalar token into its value (escapes resolved, line
//! folding applied, block indentation removed) exactly as YAML 1.2 defines it, and records,
//! for every decoded byte offset, the source byte offset it came from. A template error at
//! decoded offset 17 can then be shown at the exact source column, through escapes and
//! folded lines.
//!
//! The map is stored as runs ([`SourceMap`]): text copied verbatim is one run however long
//! it is; every byte of a character produced by an escape maps to the escape's `\`; a space
//! or line feed produced by folding maps to the source line break it stands for. Lookups
//! are a binary search over the runs.
//!
//! Decoding never fails: an invalid escape in a double-quoted scalar is reported as a
//! [`Diagnostic`] and kept verbatim in the value; malformed block text (a line less
//! indented than the content) ends the content.

use playbook_diagnostics::{Diagnostic, TextRange, TextSize};

use crate::codes;

/// A decoded scalar value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Decoded {
    /// The value, as a YAML loader would produce it.
    pub value: String,
    /// Maps offsets in `value` back to source offsets.
    pub map: SourceMap,
    /// Problems found while decoding (invalid escapes in double-quoted scalars).
    pub errors: Vec<Diagnostic>,
}

impl Decoded {
    /// The empty value, located at `at`.
    pub fn empty(at: TextSize) -> Decoded {
        Decoded {
            value: String::new(),
            map: SourceMap::verbatim(at, 0),
            errors: Vec::new(),
        }
    }
}

/// A map from byte offsets in a decoded value to byte offsets in the source.
///
/// Built in O(n) by the decoding functions; each lookup is O(log runs).
///
/// A value copied verbatim from the source (most scalars: a single-line plain scalar, a
/// quoted one without escapes) is a single run and stored without any: `segments` is empty
/// and the run is `len` bytes from `end - len`. That form is canonical (the decoders never
/// store a single whole-value copied run in `segments`), so equal maps compare equal, and
/// it keeps the common case free of allocation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SourceMap {
    /// Contiguous runs covering decoded offsets `0..len`, in order; empty for a verbatim
    /// value (see above). A boxed slice, not a vector: a workspace keeps one map per value.
    segments: Box<[Segment]>,
    /// The decoded length the runs cover.
    len: TextSize,
    /// Where offsets from `len` on map: the end of the scalar's content.
    end: TextSize,
}

/// One run of a [`SourceMap`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Segment {
    /// The first decoded offset of the run.
    decoded: TextSize,
    /// The source offset it maps to.
    source: TextSize,
    /// How many decoded bytes the run covers.
    len: TextSize,
    /// How many source bytes the run came from.
    source_len: TextSize,
    /// `true`: byte `decoded + k` maps to `source + k` (text copied verbatim). `false`: the
    /// run was produced (an escape, a folded line break) and every byte maps to `source`.
    copied: bool,
}

impl SourceMap {
    /// The map of a value copied verbatim from the source starting at `source_start`, of
    /// unknown length: offset `i` maps to `source_start + i`.
    pub fn identity(source_start: TextSize) -> SourceMap {
        let len = TextSize::MAX - source_start;
        SourceMap::verbatim(source_start, len)
    }

    /// The map of a value of `len` bytes copied verbatim from the source starting at
    /// `source_start` (a single-line plain scalar, say).
    pub fn verbatim(source_start: TextSize, len: TextSize) -> SourceMap {
        // Past the end of the source offsets, the value is cut so that the run still ends
        // at `end` (where it starts is then `end - len`).
        let end = source_start.saturating_add(len);
        SourceMap {
            segments: Box::default(),
            len: end - source_start,
            end,
        }
    }

    /// How many runs the map holds (for tests and statistics).
    pub fn run_count(&self) -> usize {
        match self.segments.len() {
            0 => usize::from(self.len > 0),
            n => n,
        }
    }

    /// Whether the value is copied verbatim from the source: one run, each decoded offset
    /// `i` mapping to source offset `start + i`.
    pub fn is_verbatim(&self) -> bool {
        self.segments.is_empty()
    }

    /// The run holding decoded offset `decoded`, if it is inside the value.
    fn segment(&self, decoded: TextSize) -> Option<Segment> {
        if decoded >= self.len {
            return None;
        }
        if self.segments.is_empty() {
            return Some(Segment {
                decoded: 0,
                source: self.end - self.len,
                len: self.len,
                source_len: self.len,
                copied: true,
            });
        }
        let after = self.segments.partition_point(|s| s.decoded <= decoded);
        self.segments.get(after.checked_sub(1)?).copied()
    }

    /// The source offset of decoded offset `decoded`. Offsets past the end of the value map
    /// to the end of the scalar's content (before a closing quote).
    pub fn to_source(&self, decoded: TextSize) -> TextSize {
        match self.segment(decoded) {
            Some(s) if s.copied => s.source.saturating_add(decoded - s.decoded),
            Some(s) => s.source,
            None => self.end,
        }
    }

    /// The decoded offset of source offset `source` (an editor's cursor): the offset of the
    /// byte copied from there, or just after what a produced run (an escape, a folded line
    /// break) made of the source bytes it came from. `None` outside the value's content.
    pub fn to_decoded(&self, source: TextSize) -> Option<TextSize> {
        if self.segments.is_empty() {
            let start = self.end - self.len;
            return (start..=self.end).contains(&source).then(|| source - start);
        }
        let first = self.segments.first()?;
        if source < first.source || source > self.end {
            return None;
        }
        // The last run starting at or before `source`.
        let after = self.segments.partition_point(|s| s.source <= source);
        let run = self.segments.get(after.checked_sub(1)?)?;
        let inside = source - run.source;
        Some(if run.copied {
            run.decoded + inside.min(run.len)
        } else if inside == 0 {
            run.decoded
        } else {
            run.decoded + run.len
        })
    }

    /// `diagnostic`, whose ranges are offsets in the decoded value, with its range and the
    /// ranges of its related spans in the same file moved to source offsets.
    pub fn map_diagnostic(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.range = self.range_to_source(diagnostic.range);
        for related in &mut diagnostic.related {
            if related.file.is_none() {
                related.range = self.range_to_source(related.range);
            }
        }
        diagnostic
    }

    /// The source range spanning exactly the source bytes decoded range `range` came from:
    /// from the source of its first byte to just after the source of its last byte (the
    /// whole escape or line break for a produced byte). An empty range maps to an empty
    /// range.
    pub fn range_to_source(&self, range: TextRange) -> TextRange {
        let start = self.to_source(range.start());
        if range.is_empty() {
            return TextRange::empty(start);
        }
        let last = range.end() - 1;
        let end = match self.segment(last) {
            Some(s) if s.copied => s.source.saturating_add(last - s.decoded + 1),
            Some(s) => s.source.saturating_add(s.source_len),
            None => self.end,
        };
        TextRange::new(start, end.max(start))
    }
}

/// Decodes a plain scalar token's text (`raw`, starting at source offset `start`).
pub fn plain(raw: &str, start: TextSize) -> Decoded {
    flow(raw, start, Style::Plain)
}

/// Decodes a single-quoted scalar token's text, quotes included. A missing closing quote is
/// tolerated (the content runs to the end of `raw`).
pub fn single_quoted(raw: &str, start: TextSize) -> Decoded {
    flow(raw, start, Style::Single)
}

/// Decodes a double-quoted scalar token's text, quotes included. Invalid escapes are
/// reported (code [`codes::INVALID_ESCAPE`]) and kept verbatim. A missing closing quote is
/// tolerated.
pub fn double_quoted(raw: &str, start: TextSize) -> Decoded {
    flow(raw, start, Style::Double)
}

/// Decodes a block scalar: its header token's text (`|`, `>-`, `|2+`...), and its
/// `BLOCK_TEXT` (`body`, starting at source offset `body_start`). `parent_indent` is the
/// indentation of the block collection entry holding the scalar (`None` at the top level),
/// from which an explicit indentation indicator counts.
pub fn block(
    header: &str,
    body: &str,
    body_start: TextSize,
    parent_indent: Option<u32>,
) -> Decoded {
    let header = parse_header(header);
    let bytes = body.as_bytes();
    let src = |i: usize| body_start.saturating_add(size(i));
    let indent = match header.indent {
        Some(m) => parent_indent.map_or(m, |p| p.saturating_add(m)),
        None => detect_indent(bytes, parent_indent.map_or(0, |p| p.saturating_add(1))),
    };
    let indent = usize::try_from(indent).unwrap_or(usize::MAX);

    let mut out = Builder::default();
    // Line breaks seen since the last content line: that line's own break first, then the
    // breaks of the empty lines after it (or, before the first content line, the breaks of
    // the leading empty lines).
    let mut breaks: Vec<(usize, usize)> = Vec::new();
    // Whether the previous content line was "spaced" (more indented); `None` before the
    // first content line.
    let mut previous: Option<bool> = None;
    let mut end = body_start;
    let mut pos = 0;
    while pos < bytes.len() {
        let line = next_line(bytes, pos);
        pos = line.next;
        let text = bytes.get(line.start..line.end).unwrap_or_default();
        let spaces = text.iter().take_while(|&&c| c == b' ').count();
        let blank = text.iter().all(|&c| c == b' ' || c == b'\t');
        let is_content = if spaces < indent {
            if !blank {
                break; // less indented than the content: the content ends here.
            }
            false
        } else {
            // At least the indentation: content if anything follows it.
            text.len() > indent
        };
        if !is_content {
            breaks.extend(line.brk);
            continue;
        }
        let content_start = line.start + indent;
        let spaced = matches!(bytes.get(content_start), Some(b' ' | b'\t'));
        match previous {
            Some(previous_spaced) if header.folded && !previous_spaced && !spaced => {
                match breaks.as_slice() {
                    [only] => out.produce(' ', src(only.0), size(only.1)),
                    [_, empty @ ..] => {
                        for &(at, len) in empty {
                            out.produce('\n', src(at), size(len));
                        }
                    }
                    [] => {}
                }
            }
            _ => {
                for &(at, len) in &breaks {
                    out.produce('\n', src(at), size(len));
                }
            }
        }
        breaks.clear();
        out.copy(
            body.get(content_start..line.end).unwrap_or_default(),
            src(content_start),
        );
        end = src(line.end);
        breaks.extend(line.brk);
        previous = Some(spaced);
    }
    let kept: &[(usize, usize)] = match header.chomp {
        Chomp::Strip => &[],
        Chomp::Clip if previous.is_some() => breaks.get(..1).unwrap_or_default(),
        Chomp::Clip => &[],
        Chomp::Keep => &breaks,
    };
    for &(at, len) in kept {
        out.produce('\n', src(at), size(len));
        end = src(at);
    }
    out.finish(end)
}

/// How a block scalar's final line breaks are kept.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Chomp {
    /// `-`: none.
    Strip,
    /// The default: one.
    Clip,
    /// `+`: all.
    Keep,
}

/// A block scalar header's indicators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Header {
    folded: bool,
    chomp: Chomp,
    indent: Option<u32>,
}

/// Reads `|` or `>`, then a chomping indicator and an indentation indicator in either order;
/// anything else is ignored (the parser reports it).
fn parse_header(header: &str) -> Header {
    let mut parsed = Header {
        folded: header.starts_with('>'),
        chomp: Chomp::Clip,
        indent: None,
    };
    for c in header.chars().skip(1) {
        match c {
            '-' => parsed.chomp = Chomp::Strip,
            '+' => parsed.chomp = Chomp::Keep,
            '1'..='9' => parsed.indent = c.to_digit(10),
            ' ' | '\t' | '#' => break,
            _ => {}
        }
    }
    parsed
}

/// The content indentation of a block scalar without an indentation indicator: the number
/// of leading spaces of the first line holding anything but spaces, at least `min`. With no
/// such line, the longest line of spaces (every line is then empty).
fn detect_indent(bytes: &[u8], min: u32) -> u32 {
    let mut longest = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let line = next_line(bytes, pos);
        pos = line.next;
        let text = bytes.get(line.start..line.end).unwrap_or_default();
        let spaces = text.iter().take_while(|&&c| c == b' ').count();
        if spaces < text.len() {
            return size(spaces).max(min);
        }
        longest = longest.max(spaces);
    }
    size(longest).max(min)
}

/// One line of a block scalar body: `start..end` is its text, `brk` its line break
/// (offset and length), `next` where the next line starts.
struct Line {
    start: usize,
    end: usize,
    brk: Option<(usize, usize)>,
    next: usize,
}

fn next_line(bytes: &[u8], start: usize) -> Line {
    let rest = bytes.get(start..).unwrap_or_default();
    match rest.iter().position(|&c| c == b'\n' || c == b'\r') {
        Some(k) => {
            let at = start + k;
            let len = break_len(bytes, at);
            Line {
                start,
                end: at,
                brk: Some((at, len)),
                next: at + len,
            }
        }
        None => Line {
            start,
            end: bytes.len(),
            brk: None,
            next: bytes.len(),
        },
    }
}

/// The length of the line break at `at`: 2 for `\r\n`, else 1.
fn break_len(bytes: &[u8], at: usize) -> usize {
    if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
        2
    } else {
        1
    }
}

/// The flow scalar styles.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
}

/// Decodes a flow scalar: quotes and escapes per `style`, and line folding (YAML 1.2 6.5,
/// 7.3): trailing white space before a break and leading white space after it are dropped;
/// a single break becomes a space; a break followed by N empty lines becomes N line feeds.
///
/// Most scalars have nothing to decode: they are copied as they are, without building
/// runs (see [`verbatim_content`]); the result is the same as decoding them.
fn flow(raw: &str, start: TextSize, style: Style) -> Decoded {
    match verbatim_content(raw, style) {
        Some(content) => {
            let value = raw.get(content.clone()).unwrap_or_default();
            Decoded {
                value: value.to_owned(),
                map: SourceMap::verbatim(
                    start.saturating_add(size(content.start)),
                    size(value.len()),
                ),
                errors: Vec::new(),
            }
        }
        None => decode_flow(raw, start, style),
    }
}

/// [`flow`] without the shortcut for text with nothing to decode.
fn decode_flow(raw: &str, start: TextSize, style: Style) -> Decoded {
    let bytes = raw.as_bytes();
    let src = |i: usize| start.saturating_add(size(i));
    let quote = match style {
        Style::Plain => None,
        Style::Single => Some(b'\''),
        Style::Double => Some(b'"'),
    };
    let mut out = Builder::with_capacity(raw.len());
    let mut i = usize::from(quote.is_some() && bytes.first() == quote.as_ref());
    let mut end = bytes.len();
    // Where a run of white space not yet known to be content started: it is dropped if a
    // line break follows, kept otherwise.
    let mut white: Option<usize> = None;
    while let Some(&c) = bytes.get(i) {
        match c {
            b' ' | b'\t' => {
                white.get_or_insert(i);
                i += 1;
                continue;
            }
            b'\n' | b'\r' => {
                white = None;
                i = fold(&mut out, bytes, i, start, Fold::Space);
                continue;
            }
            _ => {}
        }
        if let Some(w) = white.take() {
            out.copy(raw.get(w..i).unwrap_or_default(), src(w));
        }
        match (style, c) {
            (Style::Single, b'\'') if bytes.get(i + 1) == Some(&b'\'') => {
                out.produce('\'', src(i), 2);
                i += 2;
            }
            (Style::Single, b'\'') | (Style::Double, b'"') => {
                end = i;
                break;
            }
            (Style::Double, b'\\') => i = escape(&mut out, raw, i, start),
            _ => {
                let run = bytes
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .position(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\'' | b'"' | b'\\'))
                    .map_or(bytes.len(), |k| i + 1 + k);
                out.copy(raw.get(i..run).unwrap_or_default(), src(i));
                i = run;
            }
        }
    }
    // White space before the closing quote is content; a plain scalar has none.
    if let Some(w) = white
        && style != Style::Plain
    {
        out.copy(raw.get(w..end).unwrap_or_default(), src(w));
    }
    out.finish(src(end))
}

/// The byte range of `raw` that is a flow scalar's whole value when there is nothing to
/// decode, `None` otherwise: a single-line plain scalar that does not end in white space; a
/// single-line single-quoted scalar with its closing quote and no `''`; a single-line
/// double-quoted scalar with its closing quote and no `\\`. Such a value is the source text
/// itself, and [`flow`] would copy it as one run.
fn verbatim_content(raw: &str, style: Style) -> Option<std::ops::Range<usize>> {
    let bytes = raw.as_bytes();
    let inner = match style {
        Style::Plain => {
            if matches!(bytes.last(), Some(b' ' | b'\t')) || has_line_break(bytes) {
                return None;
            }
            return Some(0..bytes.len());
        }
        Style::Single => {
            let inner = bytes.strip_prefix(b"'")?.strip_suffix(b"'")?;
            let special = any_byte(inner, [b'\'', b'\n', b'\r']);
            (!special).then_some(inner)?
        }
        Style::Double => {
            let inner = bytes.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
            let special = any_byte(inner, [b'"', b'\\', b'\n', b'\r']);
            (!special).then_some(inner)?
        }
    };
    Some(1..1 + inner.len())
}

/// Whether `bytes` holds a line feed or a carriage return.
pub(crate) fn has_line_break(bytes: &[u8]) -> bool {
    any_byte(bytes, [b'\n', b'\r'])
}

/// Whether any byte of `bytes` is one of `needles`, none of which may be 0. Every value
/// read from a file is scanned this way before it is copied, so the scan goes 16 bytes at a
/// time, without an exit per byte and with one compare per needle over the whole block: a
/// loop the compiler turns into vector compares, several times faster than `iter().any`
/// on image names and templates. The last, partial block is scanned as a whole block too:
/// the last 16 bytes again, or the bytes padded with zeros when there are fewer.
#[inline]
pub(crate) fn any_byte<const N: usize>(bytes: &[u8], needles: [u8; N]) -> bool {
    debug_assert!(!needles.contains(&0), "0 pads short text");
    let in_block = |block: &[u8; 16]| {
        let mut found = 0u8;
        for needle in needles {
            found |= block.iter().fold(0u8, |f, &c| f | u8::from(c == needle));
        }
        found != 0
    };
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.try_into().is_ok_and(in_block) {
            return true;
        }
    }
    let rest = blocks.remainder();
    if rest.is_empty() {
        return false;
    }
    let mut last = [0u8; 16];
    match bytes.last_chunk::<16>() {
        Some(block) => last = *block,
        None => last[..rest.len()].copy_from_slice(rest),
    }
    in_block(&last)
}

/// The value of a quoted scalar token (`raw`, quotes included) when there is nothing to
/// decode (see [`verbatim_content`]): the text inside the quotes.
pub(crate) fn verbatim_quoted(raw: &str, style: Quotes) -> Option<&str> {
    let style = match style {
        Quotes::Single => Style::Single,
        Quotes::Double => Style::Double,
    };
    raw.get(verbatim_content(raw, style)?)
}

/// The quoted scalar styles, for [`verbatim_quoted`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Quotes {
    Single,
    Double,
}

/// What a line break with no empty line after it becomes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fold {
    /// A space (an ordinary folded break).
    Space,
    /// Nothing (a break escaped with `\` in a double-quoted scalar).
    Nothing,
}

/// Folds the line break at `at` and the empty lines after it, then skips the next line's
/// leading white space; returns where that line's content starts.
fn fold(out: &mut Builder, bytes: &[u8], at: usize, start: TextSize, single: Fold) -> usize {
    let src = |i: usize| start.saturating_add(size(i));
    let first_len = break_len(bytes, at);
    let mut i = at + first_len;
    let mut empty_lines = 0;
    loop {
        let content = i + bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        if matches!(bytes.get(content), Some(b'\n' | b'\r')) {
            let len = break_len(bytes, content);
            out.produce('\n', src(content), size(len));
            empty_lines += 1;
            i = content + len;
        } else {
            i = content;
            break;
        }
    }
    if empty_lines == 0 && single == Fold::Space {
        out.produce(' ', src(at), size(first_len));
    }
    i
}

/// Decodes the escape sequence starting with the `\` at `at`; returns where the text after
/// it starts. An invalid escape is reported and copied verbatim.
fn escape(out: &mut Builder, raw: &str, at: usize, start: TextSize) -> usize {
    let bytes = raw.as_bytes();
    let src = |i: usize| start.saturating_add(size(i));
    let Some(c) = raw.get(at + 1..).and_then(|rest| rest.chars().next()) else {
        let range = TextRange::at(src(at), 1);
        out.errors.push(
            Diagnostic::new(
                &codes::INVALID_ESCAPE,
                range,
                "unfinished escape: `\\` at the end of the string",
            )
            .with_label("nothing follows this `\\`")
            .with_help("write `\\\\` for a literal backslash, or use single quotes"),
        );
        out.copy("\\", src(at));
        return at + 1;
    };
    let simple = match c {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        '\n' | '\r' => return fold(out, bytes, at + 1, start, Fold::Nothing),
        'x' => return hex_escape(out, raw, at, start, 2),
        'u' => return hex_escape(out, raw, at, start, 4),
        'U' => return hex_escape(out, raw, at, start, 8),
        _ => {
            let len = 1 + c.len_utf8();
            let text = raw.get(at..at + len).unwrap_or_default();
            let shown = shown_char(c);
            out.errors.push(
                Diagnostic::new(
                    &codes::INVALID_ESCAPE,
                    TextRange::at(src(at), size(len)),
                    format!("invalid escape `\\{shown}`"),
                )
                .with_label("not a YAML escape sequence")
                .with_help(format!(
                    "write `\\\\{shown}` for a literal backslash, or use single quotes"
                )),
            );
            out.copy(text, src(at));
            return at + len;
        }
    };
    out.produce(simple, src(at), 2);
    at + 2
}

/// Decodes `\xXX`, `\uXXXX` or `\UXXXXXXXX` (`digits` hex digits) at `at`.
fn hex_escape(out: &mut Builder, raw: &str, at: usize, start: TextSize, digits: usize) -> usize {
    let src = |i: usize| start.saturating_add(size(i));
    let hex_start = at + 2;
    let found = raw
        .as_bytes()
        .get(hex_start..)
        .unwrap_or_default()
        .iter()
        .take(digits)
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let len = 2 + found;
    let text = raw.get(at..at + len).unwrap_or_default();
    let range = TextRange::at(src(at), size(len));
    let letter = text.get(1..2).unwrap_or("x");
    if found < digits {
        out.errors.push(
            Diagnostic::new(
                &codes::INVALID_ESCAPE,
                range,
                format!("invalid escape `{text}`"),
            )
            .with_label(format!("`\\{letter}` needs exactly {digits} hexadecimal digits"))
            .with_help(format!(
                "write {digits} hexadecimal digits after `\\{letter}`, or `\\\\{letter}` for a literal backslash"
            )),
        );
        out.copy(text, src(at));
        return at + len;
    }
    let code = u32::from_str_radix(raw.get(hex_start..at + len).unwrap_or_default(), 16).ok();
    if let Some(ch) = code.and_then(char::from_u32) {
        out.produce(ch, src(at), size(len));
        return at + len;
    }
    let code = code.unwrap_or(u32::MAX);
    let (label, help) = if (0xD800..=0xDFFF).contains(&code) {
        let pair = (0xD800..=0xDBFF)
            .contains(&code)
            .then(|| low_surrogate_after(raw, at + len))
            .flatten()
            .and_then(|low| char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)));
        let help = match pair {
            Some(ch) => format!(
                "YAML does not combine surrogate pairs: write `\\U{:08X}` for {ch}",
                u32::from(ch)
            ),
            None => "write the character's code point, which is never a surrogate".to_owned(),
        };
        (
            format!("U+{code:04X} is a UTF-16 surrogate, not a character"),
            help,
        )
    } else {
        (
            format!("U+{code:X} is beyond the last Unicode character, U+10FFFF"),
            "write a code point from U+0000 to U+10FFFF".to_owned(),
        )
    };
    out.errors.push(
        Diagnostic::new(
            &codes::INVALID_ESCAPE,
            range,
            format!("invalid escape `{text}`"),
        )
        .with_label(label)
        .with_help(help),
    );
    out.copy(text, src(at));
    at + len
}

/// The low surrogate of a `\uDCxx` escape at `at`, if there is one.
fn low_surrogate_after(raw: &str, at: usize) -> Option<u32> {
    let hex = raw.get(at..)?.strip_prefix("\\u")?.get(..4)?;
    let code = u32::from_str_radix(hex, 16).ok()?;
    (0xDC00..=0xDFFF).contains(&code).then_some(code)
}

/// A character as shown in a message: itself, or its Rust escape if it is invisible.
fn shown_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        c.escape_unicode().to_string()
    } else {
        c.to_string()
    }
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::MAX)
}

/// Accumulates a decoded value and its map.
#[derive(Default)]
struct Builder {
    value: String,
    segments: Vec<Segment>,
    errors: Vec<Diagnostic>,
}

impl Builder {
    /// A builder with room for a value of about `len` bytes.
    fn with_capacity(len: usize) -> Builder {
        Builder {
            value: String::with_capacity(len),
            ..Builder::default()
        }
    }

    /// Appends `text`, copied verbatim from source offset `source`.
    fn copy(&mut self, text: &str, source: TextSize) {
        if !text.is_empty() {
            self.value.push_str(text);
            let len = size(text.len());
            self.push(Segment {
                decoded: 0,
                source,
                len,
                source_len: len,
                copied: true,
            });
        }
    }

    /// Appends `c`, produced from the `source_len` source bytes at `source`.
    fn produce(&mut self, c: char, source: TextSize, source_len: TextSize) {
        self.value.push(c);
        let len = size(c.len_utf8());
        self.push(Segment {
            decoded: 0,
            source,
            len,
            source_len,
            // One byte from one byte maps the same either way; as a copy it can join a run.
            copied: len == 1 && source_len == 1,
        });
    }

    /// Records a run ending at the current value length, joining it to the previous run
    /// when both are contiguous copies.
    fn push(&mut self, mut segment: Segment) {
        segment.decoded = size(self.value.len()) - segment.len;
        if let Some(last) = self.segments.last_mut()
            && last.copied
            && segment.copied
            && last.decoded + last.len == segment.decoded
            && last.source.saturating_add(last.source_len) == segment.source
        {
            last.len += segment.len;
            last.source_len += segment.source_len;
            return;
        }
        self.segments.push(segment);
    }

    fn finish(mut self, end: TextSize) -> Decoded {
        // One copied run holding the whole value and ending at `end` is a verbatim value:
        // stored in its canonical form, with no runs.
        if let [only] = self.segments.as_slice()
            && only.copied
            && only.decoded == 0
            && only.len == size(self.value.len())
            && only.source.saturating_add(only.len) == end
        {
            self.segments = Vec::new();
        }
        Decoded {
            map: SourceMap {
                segments: self.segments.into_boxed_slice(),
                len: size(self.value.len()),
                end,
            },
            value: self.value,
            errors: self.errors,
        }
    }
}

#[cfg(test)]
mod tests;
