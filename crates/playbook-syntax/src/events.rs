//! The yaml-test-suite event notation of a syntax tree (`+STR`, `+DOC`, `+MAP`, `=VAL :text`,
//! `=ALI *a`, ...), used by the conformance test and by `playbook debug events`.
//!
//! Values come from [`crate::ast::Scalar::decode`]; tags are resolved against the `%TAG`
//! directives of their document (`!!str` is `<tag:yaml.org,2002:str>`, `!x` is `<!x>`).
//! `ERROR` nodes produce no events.

use std::fmt::Write as _;

use crate::SyntaxTree;
use crate::ast::{self, Node, ScalarStyle};

/// Nesting beyond which events are no longer written (the parser's own limit is lower).
const MAX_EVENT_DEPTH: usize = 2048;

/// The event stream of `tree`, one event per line.
pub fn to_events(tree: &SyntaxTree) -> String {
    let mut out = String::from("+STR\n");
    for doc in ast::documents(tree) {
        let handles: Vec<(String, String)> = doc
            .directives()
            .filter_map(|d| {
                let mut parts = d.text().split_whitespace();
                (parts.next() == Some("%TAG")).then_some(())?;
                let handle = parts.next()?.to_owned();
                let prefix = parts.next()?.to_owned();
                Some((handle, prefix))
            })
            .collect();
        out.push_str(if doc.start_marker().is_some() {
            "+DOC ---\n"
        } else {
            "+DOC\n"
        });
        match doc.body() {
            Some(node) => node_events(node, &handles, &mut out, 0),
            None => out.push_str("=VAL :\n"),
        }
        out.push_str(if doc.end_marker().is_some() {
            "-DOC ...\n"
        } else {
            "-DOC\n"
        });
    }
    out.push_str("-STR\n");
    out
}

fn node_events(node: Node<'_>, handles: &[(String, String)], out: &mut String, depth: usize) {
    if depth > MAX_EVENT_DEPTH {
        return;
    }
    let mut props = String::new();
    if let Some(anchor) = node.anchor() {
        let _ = write!(props, " {}", anchor.text());
    }
    if let Some(tag) = node.tag() {
        let _ = write!(props, " <{}>", resolve_tag(tag.text(), handles));
    }
    match node {
        Node::Scalar(scalar) => {
            let style = match scalar.style() {
                ScalarStyle::Plain => ':',
                ScalarStyle::SingleQuoted => '\'',
                ScalarStyle::DoubleQuoted => '"',
                ScalarStyle::Literal => '|',
                ScalarStyle::Folded => '>',
            };
            let value = scalar.decode().value;
            let _ = writeln!(out, "=VAL{props} {style}{}", escape(&value));
        }
        Node::Alias(alias) => {
            let _ = writeln!(out, "=ALI{props} *{}", alias.name());
        }
        Node::Mapping(map) => {
            let flow = if map.is_flow() { " {}" } else { "" };
            let _ = writeln!(out, "+MAP{flow}{props}");
            for entry in map.entries() {
                match entry.key() {
                    Some(key) => node_events(key, handles, out, depth + 1),
                    None => out.push_str("=VAL :\n"),
                }
                match entry.value() {
                    Some(value) => node_events(value, handles, out, depth + 1),
                    None => out.push_str("=VAL :\n"),
                }
            }
            out.push_str("-MAP\n");
        }
        Node::Sequence(seq) => {
            let flow = if seq.is_flow() { " []" } else { "" };
            let _ = writeln!(out, "+SEQ{flow}{props}");
            for entry in seq.entries() {
                match entry.value() {
                    Some(value) => node_events(value, handles, out, depth + 1),
                    None => out.push_str("=VAL :\n"),
                }
            }
            out.push_str("-SEQ\n");
        }
        Node::Error(_) => {}
    }
}

/// The full form of a tag as written (`!!str`, `!local`, `!e!x`, `!<verbatim>`, `!`).
fn resolve_tag(tag: &str, handles: &[(String, String)]) -> String {
    if let Some(verbatim) = tag.strip_prefix("!<") {
        return verbatim.strip_suffix('>').unwrap_or(verbatim).to_owned();
    }
    if tag == "!" {
        return "!".to_owned();
    }
    // The handle: `!!`, `!name!` or `!`.
    let (handle, suffix) = match tag.get(1..).and_then(|rest| rest.find('!')) {
        Some(i) => tag.split_at(i + 2),
        None => tag.split_at(1),
    };
    let prefix = handles
        .iter()
        .find(|(h, _)| h == handle)
        .map(|(_, p)| p.as_str())
        .unwrap_or(match handle {
            "!!" => "tag:yaml.org,2002:",
            _ => handle,
        });
    format!("{prefix}{}", percent_decode(suffix))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The test suite's escaping of a value.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            c => out.push(c),
        }
    }
    out
}
