//! Property tests of the formatter's guarantees (see `guarantees.rs`) on generated inputs:
//!
//! - playbook-like documents built from a random structure (mappings, sequences nested and
//!   compact, flow collections) and random layout: indentation of 1 to 4 spaces, sequences
//!   indented under their key or not, extra spaces after indicators, trailing spaces, own-line
//!   comments at any column, trailing comments, runs of blank lines, plain, quoted, literal and
//!   folded scalars spanning lines (templates among their words), LF or CRLF, a `---` or not.
//!   Every generated text must be valid YAML (the generator's own check), be formatted, and
//!   keep both guarantees, with both option sets;
//! - random strings over a YAML alphabet: whatever parses must keep both guarantees.
//!
//! 256 cases each, or `PROPTEST_CASES`.

#![allow(clippy::unwrap_used)]

mod common;

use common::{OPTIONS, guarantees};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Value {
    Plain(Vec<Vec<&'static str>>),
    Single(Vec<Vec<&'static str>>),
    Double(Vec<Vec<&'static str>>),
    /// A block scalar: its header and its lines (extra indentation, words; no words for an
    /// empty line).
    Block(&'static str, Vec<(usize, Vec<&'static str>)>),
    Flow(&'static str),
    Map(Vec<(&'static str, Value)>),
    Seq(Vec<Value>),
}

/// Words of plain scalars: none starts with an indicator, none holds `: ` or ` #`.
const WORDS: &[&str] = &[
    "alpha",
    "beta-2",
    "x_y",
    "42",
    "true",
    "on-call",
    "{{ $.params.Host }}",
    "{{ if eq $.x \"y\" }}yes{{ end }}",
    "a:b",
    "50%",
    "é",
];
/// Words safe in a single-quoted scalar (quotes doubled).
const SINGLE_WORDS: &[&str] = &["it''s", "{{ $.''step-1''.out }}", "#not-a-comment", "a: b"];
/// Words safe in a double-quoted scalar (escapes included).
const DOUBLE_WORDS: &[&str] = &[
    "say \\\"hi\\\"",
    "tab\\there",
    "back\\\\slash",
    "\\u00e9",
    "{{ $.x }}",
];
const KEYS: &[&str] = &[
    "name",
    "id",
    "env",
    "steps",
    "run",
    "when",
    "HOST",
    "description",
    "\"quoted key\"",
    "'single key'",
];
const FLOWS: &[&str] = &[
    "[a, b]",
    "[ a ,b ]",
    "{k: v, \"q\":1}",
    "{ }",
    "[]",
    "[x, [y, z], {w: 1}]",
    "[a,]",
];
const HEADERS: &[&str] = &["|", "|-", "|+", ">", ">-", ">+"];

fn lines_of(words: &'static [&'static str]) -> impl Strategy<Value = Vec<Vec<&'static str>>> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(words), 1..4),
        1..4,
    )
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        3 => lines_of(WORDS).prop_map(Value::Plain),
        1 => lines_of(SINGLE_WORDS).prop_map(Value::Single),
        1 => lines_of(DOUBLE_WORDS).prop_map(Value::Double),
        1 => (
            prop::sample::select(HEADERS),
            prop::collection::vec(
                (0usize..3, prop::collection::vec(prop::sample::select(WORDS), 0..3)),
                1..5
            )
        )
            .prop_map(|(h, lines)| Value::Block(h, lines)),
        1 => prop::sample::select(FLOWS).prop_map(Value::Flow),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec((prop::sample::select(KEYS), inner.clone()), 1..5)
                .prop_map(Value::Map),
            prop::collection::vec(inner, 1..5).prop_map(Value::Seq),
        ]
    })
}

/// The layout choices of one document.
struct Style {
    /// Spaces per level.
    w: usize,
    /// Sequences under a key indented by `w`.
    indent_sequences: bool,
    /// Random bytes, read in turn for each small decision.
    noise: Vec<u8>,
    at: usize,
}

impl Style {
    fn pick(&mut self, n: usize) -> usize {
        let b = self.noise.get(self.at % self.noise.len().max(1)).copied();
        self.at += 1;
        b.map_or(0, |b| usize::from(b) % n.max(1))
    }

    fn spaces(&mut self, most: usize) -> String {
        " ".repeat(1 + self.pick(most))
    }

    /// Blank lines and an own-line comment, maybe, before an item at column `col`.
    fn before_item(&mut self, out: &mut String, col: usize) {
        for _ in 0..self.pick(6).saturating_sub(3) {
            out.push('\n');
        }
        if self.pick(4) == 0 {
            let at = self.pick(col + 4);
            out.push_str(&format!("{}# comment at {at}  \n", " ".repeat(at)));
        }
    }

    /// Trailing spaces or a trailing comment, maybe, then the line break.
    fn end_line(&mut self, out: &mut String) {
        match self.pick(5) {
            0 => out.push_str("   "),
            1 => out.push_str("   # trailing"),
            _ => {}
        }
        out.push('\n');
    }
}

/// Writes a scalar, flow or block value after its indicator (`key:` or `-`) on the current
/// line; `n` is the column of the entry holding it.
fn scalar(out: &mut String, value: &Value, n: usize, style: &mut Style) {
    let cont = n + 1 + style.pick(4);
    let join = |lines: &[Vec<&str>], out: &mut String, style: &mut Style| {
        for (k, words) in lines.iter().enumerate() {
            if k > 0 {
                if style.pick(4) == 0 {
                    out.push('\n');
                }
                out.push('\n');
                out.push_str(&" ".repeat(cont));
            }
            out.push_str(&words.join(" "));
        }
    };
    out.push_str(&style.spaces(3));
    match value {
        Value::Plain(lines) => {
            // A plain scalar cannot start with `{`: that would be a flow mapping.
            if lines
                .first()
                .and_then(|l| l.first())
                .is_some_and(|w| w.starts_with('{'))
            {
                out.push_str("run ");
            }
            join(lines, out, style)
        }
        Value::Single(lines) => {
            out.push('\'');
            join(lines, out, style);
            out.push('\'');
        }
        Value::Double(lines) => {
            out.push('"');
            join(lines, out, style);
            out.push('"');
        }
        Value::Flow(flow) => out.push_str(flow),
        Value::Block(header, lines) => {
            out.push_str(header);
            style.end_line(out);
            let base = n + 1 + style.pick(4);
            let mut first = true;
            for (extra, words) in lines {
                if words.is_empty() {
                    out.push('\n');
                    continue;
                }
                // The first line with text sets the indentation: no extra before it.
                let extra = if first { 0 } else { *extra };
                first = false;
                out.push_str(&" ".repeat(base + extra));
                out.push_str(&words.join(" "));
                if style.pick(6) == 0 {
                    out.push_str("  ");
                }
                out.push('\n');
            }
            return;
        }
        Value::Map(_) | Value::Seq(_) => {}
    }
    style.end_line(out);
}

fn is_collection(value: &Value) -> bool {
    matches!(value, Value::Map(_) | Value::Seq(_))
}

/// Writes a block mapping whose entries are at column `col`; with `compact`, the first key
/// goes on the current line (after `- `).
fn mapping(
    out: &mut String,
    entries: &[(&str, Value)],
    col: usize,
    compact: bool,
    style: &mut Style,
) {
    for (k, (key, value)) in entries.iter().enumerate() {
        if k > 0 || !compact {
            style.before_item(out, col);
            out.push_str(&" ".repeat(col));
        }
        out.push_str(key);
        out.push(':');
        match value {
            Value::Map(inner) => {
                style.end_line(out);
                mapping(out, inner, col + style.w, false, style);
            }
            Value::Seq(items) => {
                style.end_line(out);
                let at = if style.indent_sequences {
                    col + style.w
                } else {
                    col
                };
                sequence(out, items, at, style);
            }
            _ => scalar(out, value, col, style),
        }
    }
}

/// Writes a block sequence whose `-` are at column `col`; the first one goes on the current
/// line when `compact`.
fn sequence(out: &mut String, items: &[Value], col: usize, style: &mut Style) {
    for item in items {
        style.before_item(out, col);
        out.push_str(&" ".repeat(col));
        out.push('-');
        match item {
            Value::Map(entries) if style.pick(4) == 0 => {
                // The mapping on the next lines.
                style.end_line(out);
                mapping(out, entries, col + style.w.max(1) + 1, false, style);
            }
            Value::Map(entries) => {
                let gap = 1 + style.pick(2);
                out.push_str(&" ".repeat(gap));
                mapping(out, entries, col + 1 + gap, true, style);
            }
            Value::Seq(inner) => {
                let gap = 1 + style.pick(2);
                out.push_str(&" ".repeat(gap));
                compact_sequence(out, inner, col + 1 + gap, style);
            }
            _ => scalar(out, item, col, style),
        }
    }
}

/// A sequence started after `- ` on the current line (`- - a`), its `-` at column `col`.
fn compact_sequence(out: &mut String, items: &[Value], col: usize, style: &mut Style) {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            style.before_item(out, col);
            out.push_str(&" ".repeat(col));
        }
        out.push('-');
        if is_collection(item) {
            // Nested collections go on the next lines.
            style.end_line(out);
            match item {
                Value::Map(entries) => mapping(out, entries, col + 2, false, style),
                Value::Seq(inner) => sequence(out, inner, col + 2, style),
                _ => {}
            }
        } else {
            scalar(out, item, col, style);
        }
    }
}

fn document(
    top: &[(&'static str, Value)],
    w: usize,
    indent_sequences: bool,
    crlf: bool,
    marker: bool,
    noise: Vec<u8>,
) -> String {
    let mut style = Style {
        w,
        indent_sequences,
        noise,
        at: 0,
    };
    let mut out = String::from("# A generated playbook.\n");
    if marker {
        out.push_str("---\n");
    }
    out.push_str("apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n");
    out.push_str(&format!("{}name: generated\n", " ".repeat(w)));
    mapping(&mut out, top, 0, false, &mut style);
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

/// 256 cases, or `PROPTEST_CASES` for a longer local run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

const ALPHABET: &[&str] = &[
    "-", ":", "[", "]", "{", "}", ",", "#", "'", "\"", "|", ">", "&a", "*a", "!t", "?", " ", "\t",
    "\n", "\r\n", "a", "k", "0", "é", "\\", "---", "...", ": ", "- ", "  ", "    ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn generated_playbooks(
        top in prop::collection::vec((prop::sample::select(KEYS), value()), 1..6),
        w in 1usize..5,
        indent_sequences in any::<bool>(),
        crlf in any::<bool>(),
        marker in any::<bool>(),
        noise in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let text = document(&top, w, indent_sequences, crlf, marker, noise);
        let errors = playbook_syntax::parse(&text).errors().to_vec();
        prop_assert!(errors.is_empty(), "the generator wrote invalid YAML: {errors:?}\n{text}");
        for options in &OPTIONS {
            match guarantees(&text, options) {
                Ok(Some(_)) => {}
                Ok(None) => prop_assert!(false, "refused a valid text:\n{text}"),
                Err(why) => prop_assert!(false, "{why}\n--- input:\n{text}"),
            }
        }
    }

    #[test]
    fn random_yamlish_strings(parts in prop::collection::vec(prop::sample::select(ALPHABET), 0..60)) {
        let text = parts.concat();
        for options in &OPTIONS {
            if let Err(why) = guarantees(&text, options) {
                prop_assert!(false, "{why}\n--- input:\n{text:?}");
            }
        }
    }
}
