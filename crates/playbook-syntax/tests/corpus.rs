//! The real step manifests of the shared corpus: every file parses losslessly, and we
//! report a syntax error exactly when saphyr-parser (a conforming YAML parser) rejects it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn saphyr_accepts(text: &str) -> bool {
    saphyr_parser::Parser::new_from_str(text).all(|e| e.is_ok())
}

#[test]
fn corpus_agrees_with_saphyr() {
    let Some(dir) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut disagreements = Vec::new();
    let mut invalid = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parse = playbook_syntax::parse(&text);
        assert_eq!(
            parse.tree().text(),
            text,
            "{} is not lossless",
            file.display()
        );
        let ours = parse.errors().is_empty();
        let theirs = saphyr_accepts(&text);
        if !theirs {
            invalid += 1;
        }
        if ours != theirs {
            let first = parse
                .errors()
                .first()
                .map(|e| format!("{:?} {}", e.range, e.message))
                .unwrap_or_default();
            disagreements.push(format!(
                "{}: saphyr {}, we {} {first}",
                file.display(),
                if theirs { "accepts" } else { "rejects" },
                if ours { "accept" } else { "reject" },
            ));
        }
    }
    println!("corpus: {} files, {invalid} invalid YAML", files.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
