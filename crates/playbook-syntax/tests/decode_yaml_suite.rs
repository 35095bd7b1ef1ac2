//! Checks scalar decoding against the official YAML test suite.
//!
//! For each chosen case the scalar's token text is cut out of the case's `in.yaml` by the
//! markers listed in [`CASES`], decoded with `playbook_syntax::decode`, and compared with the
//! value the suite's `test.event` gives for that scalar (its `=VAL` lines, counted from 0).
//! The suite is read from the shared test data (`PLAYBOOK_TEST_DATA`); without it the test
//! says so and passes.

use std::path::Path;

use playbook_syntax::decode;

/// How to cut a scalar token out of `in.yaml`.
#[derive(Clone, Copy, Debug)]
enum Token {
    /// A flow scalar (plain, single- or double-quoted, told apart by its first character):
    /// the text from just after the first `after` to just before the first `until` after
    /// it (`""`: the end of the file), white space trimmed at both ends.
    Flow {
        after: &'static str,
        until: &'static str,
    },
    /// A block scalar: the header is the text from just after the first `after` to the end
    /// of its line (a comment removed); the body runs from the next line to just before the
    /// first `until` after it (`""`: the end of the file). `parent` is the indentation of
    /// the block collection entry holding the scalar.
    Block {
        after: &'static str,
        until: &'static str,
        parent: Option<u32>,
    },
}

use Token::{Block, Flow};

/// A case id, the scalar to cut out, and which `=VAL` event (from 0) holds its value.
const CASES: &[(&str, Token, usize)] = &[
    // ---- Double-quoted: escapes, folding, escaped line breaks.
    (
        "7A4E",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "NP9H",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "TL85",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "6WPF",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "9TFX",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "Q8AD",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "3UYS",
        Flow {
            after: "slash: ",
            until: "",
        },
        1,
    ),
    (
        "CPZ3",
        Flow {
            after: "tab: ",
            until: "",
        },
        1,
    ),
    (
        "G4RS",
        Flow {
            after: "unicode: ",
            until: "control:",
        },
        1,
    ),
    (
        "G4RS",
        Flow {
            after: "control: ",
            until: "hex esc:",
        },
        3,
    ),
    (
        "G4RS",
        Flow {
            after: "hex esc: ",
            until: "single:",
        },
        5,
    ),
    (
        "4CQQ",
        Flow {
            after: "quoted: ",
            until: "",
        },
        3,
    ),
    (
        "4ZYM",
        Flow {
            after: "quoted: ",
            until: "block:",
        },
        3,
    ),
    (
        "5GBF",
        Flow {
            after: "Folding:",
            until: "Chomping:",
        },
        1,
    ),
    (
        "XV9V",
        Flow {
            after: "Folding:",
            until: "Chomping:",
        },
        1,
    ),
    (
        "NAT4",
        Flow {
            after: "c: ",
            until: "d:",
        },
        5,
    ),
    (
        "NAT4",
        Flow {
            after: "d: ",
            until: "e:",
        },
        7,
    ),
    (
        "NAT4",
        Flow {
            after: "f: ",
            until: "g:",
        },
        11,
    ),
    (
        "NAT4",
        Flow {
            after: "h: ",
            until: "",
        },
        15,
    ),
    // ---- Single-quoted: `''`, folding, empty lines.
    (
        "4GC6",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "PRH3",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "SSW6",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "T4YY",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "G4RS",
        Flow {
            after: "single: ",
            until: "quoted:",
        },
        7,
    ),
    (
        "G4RS",
        Flow {
            after: "quoted: ",
            until: "tie-fighter:",
        },
        9,
    ),
    (
        "G4RS",
        Flow {
            after: "tie-fighter: ",
            until: "",
        },
        11,
    ),
    (
        "NAT4",
        Flow {
            after: "a: ",
            until: "b:",
        },
        1,
    ),
    (
        "NAT4",
        Flow {
            after: "b: ",
            until: "c:",
        },
        3,
    ),
    (
        "NAT4",
        Flow {
            after: "e: ",
            until: "f:",
        },
        9,
    ),
    (
        "NAT4",
        Flow {
            after: "g: ",
            until: "h:",
        },
        13,
    ),
    // ---- Plain, multi-line.
    (
        "HS5T",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "9YRD",
        Flow {
            after: "",
            until: "",
        },
        0,
    ),
    (
        "EX5H",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "36F6",
        Flow {
            after: "plain: ",
            until: "",
        },
        1,
    ),
    (
        "A984",
        Flow {
            after: "a: ",
            until: "d:",
        },
        1,
    ),
    (
        "A984",
        Flow {
            after: "d:",
            until: "",
        },
        3,
    ),
    (
        "4ZYM",
        Flow {
            after: "plain: ",
            until: "quoted:",
        },
        1,
    ),
    (
        "4CQQ",
        Flow {
            after: "plain:",
            until: "quoted:",
        },
        1,
    ),
    (
        "NB6Z",
        Flow {
            after: "key:",
            until: "",
        },
        1,
    ),
    (
        "H3Z8",
        Flow {
            after: "wanted: ",
            until: "",
        },
        1,
    ),
    (
        "4V8U",
        Flow {
            after: "---\n",
            until: "",
        },
        0,
    ),
    (
        "JTV5",
        Flow {
            after: "? ",
            until: ": null",
        },
        0,
    ),
    // ---- Literal and folded block scalars: chomping, indentation, more-indented lines.
    (
        "K527",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "93WF",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "MJS9",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "G992",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "B3HG",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "7T8X",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "M9B4",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "T5N4",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "DWX9",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "T26H",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "6JQW",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "96L6",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "6VJK",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "TS54",
        Block {
            after: "",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "4Q9F",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "FP8R",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "DK3J",
        Block {
            after: "--- ",
            until: "",
            parent: None,
        },
        0,
    ),
    (
        "MYW6",
        Block {
            after: "",
            until: "...",
            parent: None,
        },
        0,
    ),
    (
        "753E",
        Block {
            after: "--- ",
            until: "...",
            parent: None,
        },
        0,
    ),
    (
        "6FWR",
        Block {
            after: "--- ",
            until: "...",
            parent: None,
        },
        0,
    ),
    (
        "M29M",
        Block {
            after: "a: ",
            until: "...",
            parent: Some(0),
        },
        1,
    ),
    (
        "A6F9",
        Block {
            after: "strip: ",
            until: "clip:",
            parent: Some(0),
        },
        1,
    ),
    (
        "A6F9",
        Block {
            after: "clip: ",
            until: "keep:",
            parent: Some(0),
        },
        3,
    ),
    (
        "A6F9",
        Block {
            after: "keep: ",
            until: "",
            parent: Some(0),
        },
        5,
    ),
    (
        "F8F9",
        Block {
            after: "strip: ",
            until: " # Clip",
            parent: Some(0),
        },
        1,
    ),
    (
        "F8F9",
        Block {
            after: "clip: ",
            until: " # Keep",
            parent: Some(0),
        },
        3,
    ),
    (
        "F8F9",
        Block {
            after: "keep: ",
            until: " # Trail",
            parent: Some(0),
        },
        5,
    ),
    (
        "K858",
        Block {
            after: "strip: ",
            until: "clip:",
            parent: Some(0),
        },
        1,
    ),
    (
        "K858",
        Block {
            after: "clip: ",
            until: "keep:",
            parent: Some(0),
        },
        3,
    ),
    (
        "K858",
        Block {
            after: "keep: ",
            until: "",
            parent: Some(0),
        },
        5,
    ),
    (
        "4ZYM",
        Block {
            after: "block: ",
            until: "",
            parent: Some(0),
        },
        5,
    ),
    (
        "5GBF",
        Block {
            after: "Chomping: ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
    (
        "5BVJ",
        Block {
            after: "literal: ",
            until: "folded:",
            parent: Some(0),
        },
        1,
    ),
    (
        "5BVJ",
        Block {
            after: "folded: ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
    (
        "R4YG",
        Block {
            after: "- ",
            until: "- >",
            parent: Some(0),
        },
        0,
    ),
    (
        "R4YG",
        Block {
            after: "detected\n- ",
            until: "- |1",
            parent: Some(0),
        },
        1,
    ),
    (
        "R4YG",
        Block {
            after: "# detected\n- ",
            until: "- >",
            parent: Some(0),
        },
        2,
    ),
    (
        "R4YG",
        Block {
            after: "explicit\n- ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
    (
        "P2AD",
        Block {
            after: "- ",
            until: "- >1",
            parent: Some(0),
        },
        0,
    ),
    (
        "P2AD",
        Block {
            after: "literal\n- ",
            until: "- |+",
            parent: Some(0),
        },
        1,
    ),
    (
        "P2AD",
        Block {
            after: "folded\n- ",
            until: "- >1-",
            parent: Some(0),
        },
        2,
    ),
    (
        "P2AD",
        Block {
            after: "keep\n\n- ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
    (
        "D83L",
        Block {
            after: "- ",
            until: "- |-2",
            parent: Some(0),
        },
        0,
    ),
    (
        "D83L",
        Block {
            after: "chomp\n- ",
            until: "",
            parent: Some(0),
        },
        1,
    ),
    (
        "F6MC",
        Block {
            after: "a: ",
            until: "b:",
            parent: Some(0),
        },
        1,
    ),
    (
        "F6MC",
        Block {
            after: "b: ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
    (
        "4WA9",
        Block {
            after: "aaa: ",
            until: "  bbb:",
            parent: Some(2),
        },
        1,
    ),
    (
        "4WA9",
        Block {
            after: "bbb: ",
            until: "",
            parent: Some(2),
        },
        3,
    ),
    (
        "Z67P",
        Block {
            after: "literal: ",
            until: "folded:",
            parent: Some(0),
        },
        1,
    ),
    (
        "Z67P",
        Block {
            after: "!foo ",
            until: "",
            parent: Some(0),
        },
        3,
    ),
];

#[test]
fn scalars_decode_as_the_yaml_test_suite_says() {
    let Some(suite) = playbook_test_support::shared_data("yaml-test-suite") else {
        return;
    };
    let mut failures = Vec::new();
    for &(id, token, val) in CASES {
        if let Err(why) = check(&suite.join(id), token, val) {
            failures.push(format!("{id} (=VAL #{val}): {why}"));
        }
    }
    println!(
        "{} of {} scalars decoded as the suite says",
        CASES.len() - failures.len(),
        CASES.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

fn check(dir: &Path, token: Token, val: usize) -> Result<(), String> {
    let input = std::fs::read_to_string(dir.join("in.yaml")).map_err(|e| e.to_string())?;
    let events = std::fs::read_to_string(dir.join("test.event")).map_err(|e| e.to_string())?;
    let (style, expected) = events
        .lines()
        .filter_map(|l| l.strip_prefix("=VAL "))
        .nth(val)
        .map(parse_val)
        .ok_or("no such =VAL event")?;
    let decoded = match token {
        Flow { after, until } => {
            let text = cut(&input, after, until)?;
            let trimmed = text.trim_start_matches([' ', '\t', '\n']);
            let start = offset_in(&input, trimmed);
            let raw = trimmed.trim_end_matches([' ', '\t', '\n']);
            let (want_style, decoded) = match raw.chars().next() {
                Some('"') => ('"', decode::double_quoted(raw, start)),
                Some('\'') => ('\'', decode::single_quoted(raw, start)),
                _ => (':', decode::plain(raw, start)),
            };
            if style != want_style {
                return Err(format!(
                    "the event's style is {style}, the token's {want_style}"
                ));
            }
            decoded
        }
        Block {
            after,
            until,
            parent,
        } => {
            let text = cut(&input, after, until)?;
            let (header_line, body) = text.split_once('\n').unwrap_or((text, ""));
            let header = header_line.split('#').next().unwrap_or("").trim();
            if !header.starts_with(style) {
                return Err(format!(
                    "the event's style is {style}, the header {header:?}"
                ));
            }
            let body_start = offset_in(&input, body);
            decode::block(header, body, body_start, parent)
        }
    };
    if !decoded.errors.is_empty() {
        return Err(format!("unexpected errors: {:?}", decoded.errors));
    }
    if decoded.value != expected {
        return Err(format!(
            "decoded {:?}, expected {expected:?}",
            decoded.value
        ));
    }
    Ok(())
}

/// The text of `input` from just after the first `after` to just before the first `until`
/// after it (`""`: the end), as a subslice of `input`.
fn cut<'a>(input: &'a str, after: &str, until: &str) -> Result<&'a str, String> {
    let from = input
        .find(after)
        .ok_or_else(|| format!("marker {after:?} not found"))?
        + after.len();
    let rest = &input[from..];
    let to = if until.is_empty() {
        rest.len()
    } else {
        rest.find(until)
            .ok_or_else(|| format!("marker {until:?} not found"))?
    };
    Ok(&rest[..to])
}

/// The offset of `part`, a subslice of `whole`, in `whole`.
fn offset_in(whole: &str, part: &str) -> u32 {
    (part.as_ptr() as usize - whole.as_ptr() as usize) as u32
}

/// Splits an `=VAL` event's text into its style character and its unescaped value,
/// skipping an anchor (`&a`) and a tag (`<tag>`).
fn parse_val(text: &str) -> (char, String) {
    let mut rest = text;
    while rest.starts_with('&') || rest.starts_with('<') {
        rest = rest.split_once(' ').map_or("", |(_, r)| r);
    }
    let mut chars = rest.chars();
    let style = chars.next().unwrap_or(':');
    let mut value = String::new();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('b') => value.push('\u{8}'),
            Some('0') => value.push('\0'),
            Some('a') => value.push('\u{7}'),
            Some('v') => value.push('\u{b}'),
            Some('f') => value.push('\u{c}'),
            Some('e') => value.push('\u{1b}'),
            Some('\\') => value.push('\\'),
            Some(other) => {
                value.push('\\');
                value.push(other);
            }
            None => value.push('\\'),
        }
    }
    (style, value)
}
