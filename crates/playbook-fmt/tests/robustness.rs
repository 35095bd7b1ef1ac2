//! Inputs at the limits: deep nesting (the parser's limit is 256 collections), long files and
//! long lines. The formatter must finish, without a stack overflow, and keep its guarantees.

#![allow(clippy::unwrap_used)]

mod common;

use common::guarantees;
use playbook_fmt::FormatOptions;

fn holds(text: &str) {
    for options in [
        FormatOptions::default(),
        FormatOptions {
            indent: 4,
            indent_sequences: false,
        },
    ] {
        match guarantees(text, &options) {
            Ok(Some(_)) => {}
            Ok(None) => panic!(
                "refused: {:?}",
                playbook_syntax::parse(text).errors().first()
            ),
            Err(why) => panic!("{why}"),
        }
    }
}

#[test]
fn deep_block_mappings_and_sequences() {
    // 150 levels, every other one a sequence whose entry is a compact mapping: 225
    // collections, each with a sibling after its nested content.
    let (mut opens, mut closes) = (Vec::new(), Vec::new());
    let mut col = 0;
    for level in 0..150 {
        let pad = " ".repeat(col);
        if level % 2 == 0 {
            opens.push(format!("{pad}k:\n"));
            closes.push(format!("{pad}z: 1\n"));
            col += 3;
        } else {
            opens.push(format!("{pad}-   k:\n"));
            closes.push(format!("{pad}- tail\n"));
            col += 7;
        }
    }
    let text = format!(
        "{}{}leaf\n{}",
        opens.concat(),
        " ".repeat(col),
        closes.iter().rev().cloned().collect::<String>()
    );
    holds(&text);
    let compact = format!("{}leaf\n", "- ".repeat(200));
    holds(&compact);
}

#[test]
fn deep_flow_collections() {
    let text = format!("k: {}x{}\n", "[".repeat(200), "]".repeat(200));
    holds(&text);
    let text = format!("k: {}x\n {}\n", "[\n ".repeat(100), "]".repeat(100));
    holds(&text);
}

#[test]
fn long_files_and_lines() {
    let mut text = String::from("steps:\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "    -   name: step-{i}   # step {i}\n        env: {{A: {i},B: 2}}\n        run: |\n              echo {i}\n\n\n"
        ));
    }
    holds(&text);
    let line = format!("k: [{}]\n", vec!["item"; 20_000].join(" ,"));
    holds(&line);
}
