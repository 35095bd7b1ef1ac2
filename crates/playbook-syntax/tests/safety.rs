//! Inputs built to exhaust the stack or the time of a naive parser: deep nesting, huge
//! scalars, alias bombs. Each runs on a thread with the default stack (2 MiB) and must
//! parse, stay lossless and complete. No timing assertions: speed is for benchmarks.

#![allow(clippy::unwrap_used)]

use playbook_syntax::{SyntaxKind, parse};

/// Parses `input` on a thread with the default stack and checks losslessness; returns
/// the error codes.
fn parse_on_thread(input: String) -> Vec<&'static str> {
    std::thread::spawn(move || {
        let parse = parse(&input);
        assert!(parse.tree().text() == input, "tree is not lossless");
        parse.errors().iter().map(|e| e.code.id).collect::<Vec<_>>()
    })
    .join()
    .unwrap()
}

#[test]
fn deeply_nested_flow_sequences() {
    let input = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let codes = parse_on_thread(input);
    assert_eq!(codes, ["PB008"]);
}

#[test]
fn deeply_nested_unclosed_flow() {
    let codes = parse_on_thread("{a: ".repeat(100_000));
    assert!(codes.contains(&"PB008"));
}

#[test]
fn deeply_nested_block_sequences() {
    let input = format!("{}x\n", "- ".repeat(100_000));
    let codes = parse_on_thread(input);
    assert_eq!(codes, ["PB008"]);
}

#[test]
fn deeply_nested_block_mappings() {
    // Indentation makes the text quadratic in the depth: 4,000 levels is 8 MB.
    let mut input = String::new();
    for depth in 0..4_000 {
        input.push_str(&" ".repeat(depth));
        input.push_str("a:\n");
    }
    let codes = parse_on_thread(input);
    assert_eq!(codes, ["PB008"]);
}

#[test]
fn deeply_nested_mixed_block_collections() {
    let input = format!("{}x\n", "- ? ".repeat(50_000));
    let codes = parse_on_thread(input);
    assert!(codes.contains(&"PB008"));
}

#[test]
fn megabyte_plain_scalar() {
    let input = format!("key: {}\n", "word ".repeat(200_000).trim_end());
    assert_eq!(parse_on_thread(input), Vec::<&str>::new());
}

#[test]
fn megabyte_double_quoted_scalar() {
    let input = format!("key: \"{}\"\n", "w\\\"rd ".repeat(150_000));
    assert_eq!(parse_on_thread(input), Vec::<&str>::new());
}

#[test]
fn billion_laughs_is_not_expanded() {
    let mut input = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        input.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let text = input.clone();
    assert_eq!(parse_on_thread(input), Vec::<&str>::new());
    let parse = parse(&text);
    let aliases = parse
        .tree()
        .root()
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::ALIAS_NODE)
        .count();
    assert_eq!(aliases, 8 * 9);
}
