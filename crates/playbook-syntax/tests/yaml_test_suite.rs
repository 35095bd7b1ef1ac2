//! Conformance against the official yaml-test-suite: every valid case must produce exactly
//! the expected events and no error, every error case at least one error, and every case
//! must parse losslessly without panicking. Known failures are listed by id, with a reason,
//! in `yaml-test-suite-known-failures.txt`; the list may only shrink. Each case is read
//! once: the suite's alias folders of symbolic links (`name/`, `tags/`) are not followed.

#![allow(clippy::unwrap_used)]
use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use playbook_syntax::{events::to_events, parse};

struct Case {
    id: String,
    input: String,
    expected: String,
    error: bool,
}

/// Every case of the suite, each read once ([`playbook_test_support::yaml_suite_cases`]: the
/// `name/` and `tags/` folders of symbolic links are not followed).
fn collect(dir: &Path) -> Vec<Case> {
    playbook_test_support::yaml_suite_cases(dir)
        .into_iter()
        .map(|(id, case)| Case {
            id,
            input: fs::read_to_string(case.join("in.yaml")).unwrap(),
            expected: fs::read_to_string(case.join("test.event")).unwrap_or_default(),
            error: case.join("error").exists(),
        })
        .collect()
}

fn known_failures() -> BTreeMap<String, String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml-test-suite-known-failures.txt");
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((id, reason)) => (id.to_owned(), reason.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

/// Deterministic mutations of an input: halves dropped, duplicated or cut, at char
/// boundaries.
fn mutations(input: &str) -> Vec<String> {
    let at = |frac: usize| {
        let mut i = input.len() * frac / 4;
        while !input.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (q1, half, q3) = (at(1), at(2), at(3));
    vec![
        input[..half].to_owned(),
        format!("{}{}", &input[..q1], &input[q3..]),
        format!("{}{}", &input[..half], &input[q1..]),
        format!("{}{}", &input[half..], &input[..half]),
    ]
}

/// Whether the case passes, and why not.
fn run(case: &Case) -> Result<(), String> {
    for mutated in mutations(&case.input) {
        let text = mutated.clone();
        match std::panic::catch_unwind(move || parse(&text).tree().text() == text) {
            Ok(true) => {}
            Ok(false) => return Err(format!("not lossless (mutated input {mutated:?})")),
            Err(_) => return Err(format!("panicked (mutated input {mutated:?})")),
        }
    }
    let input = case.input.clone();
    let outcome = std::panic::catch_unwind(move || {
        let parse = parse(&input);
        let lossless = parse.tree().text() == input;
        (parse.errors().len(), lossless, to_events(parse.tree()))
    });
    let Ok((errors, lossless, events)) = outcome else {
        return Err("panicked".into());
    };
    if !lossless {
        return Err("not lossless".into());
    }
    if case.error {
        return if errors > 0 {
            Ok(())
        } else {
            Err("no error reported".into())
        };
    }
    if errors > 0 {
        return Err(format!("{errors} unexpected errors"));
    }
    if events != case.expected {
        return Err(format!(
            "events differ:\n{events}\nexpected:\n{}",
            case.expected
        ));
    }
    Ok(())
}

#[test]
fn yaml_test_suite() {
    let Some(dir) = playbook_test_support::shared_data("yaml-test-suite") else {
        return;
    };
    let cases = collect(&dir);
    assert!(!cases.is_empty(), "no cases found in {}", dir.display());
    let known = known_failures();
    let (mut valid, mut valid_ok, mut error, mut error_ok) = (0, 0, 0, 0);
    let mut to_add = Vec::new();
    let mut to_remove = Vec::new();
    let mut hard = Vec::new();
    let verbose = std::env::var("YAML_SUITE_VERBOSE").is_ok();
    for case in &cases {
        let result = run(case);
        if case.error {
            error += 1;
        } else {
            valid += 1;
        }
        match (&result, known.contains_key(&case.id)) {
            (Ok(()), false) => {}
            (Ok(()), true) => to_remove.push(case.id.clone()),
            (Err(why), listed) => {
                if why.starts_with("panicked") || why.starts_with("not lossless") {
                    hard.push(format!("{} {why}", case.id));
                }
                if verbose {
                    eprintln!(
                        "--- {} ({})\n{}\n{why}",
                        case.id,
                        if case.error { "error" } else { "valid" },
                        case.input
                    );
                }
                if !listed {
                    let kind = if case.error {
                        "error case"
                    } else {
                        "valid case"
                    };
                    let first = why.lines().next().unwrap_or_default();
                    to_add.push(format!("{:<8} {kind}: {first}", case.id));
                }
            }
        }
        if result.is_ok() {
            if case.error {
                error_ok += 1;
            } else {
                valid_ok += 1;
            }
        }
    }
    // Written to the real stderr, not through `println!`, which the test harness swallows
    // for passing tests: the counts belong in every CI log.
    let _ = writeln!(
        std::io::stderr(),
        "yaml-test-suite: valid {valid_ok}/{valid}, error {error_ok}/{error}; {} known failures (listed in yaml-test-suite-known-failures.txt)",
        known.len()
    );
    assert!(
        hard.is_empty(),
        "cases that panic or lose text:\n{}",
        hard.join("\n")
    );
    assert!(
        to_add.is_empty() && to_remove.is_empty(),
        "known-failure list out of date.\nadd:\n{}\nremove (now passing):\n{}",
        to_add.join("\n"),
        to_remove.join("\n")
    );
}
