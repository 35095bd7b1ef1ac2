//! The formatter's two guarantees, over every corpus we have:
//!
//! - **idempotent**: formatting a formatted text changes nothing;
//! - **data-preserving**: the event stream of the formatted text (what `playbook debug
//!   events` prints: structure, scalar styles and values, anchors, tags) is the original's,
//!   the formatted text parses without errors, and every comment is still there, in order.
//!
//! The corpora: every valid case of the yaml-test-suite, the real step manifests of
//! `corpus/stackpulse-steps`, the examples under `playbooks/`, each with the default options
//! and with `indent = 4, indent-sequences = false`. No case is skipped: a text with syntax
//! errors must be refused (and is counted), any other must be formatted and keep both
//! guarantees. The counts are printed for each corpus and option set. The yaml-test-suite's
//! error cases are run too, outside the guarantee: whatever the parser accepts of them must
//! keep it as well.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;

mod common;

use common::{OPTIONS, guarantees};
use playbook_fmt::FormatOptions;

#[derive(Default)]
struct Counts {
    texts: usize,
    changed: usize,
    refused: usize,
    failures: Vec<String>,
}

impl Counts {
    /// Formats `text` with `options` and checks both guarantees, recording any failure.
    fn check(&mut self, name: &str, text: &str, options: &FormatOptions) {
        self.texts += 1;
        match guarantees(text, options) {
            Ok(Some(changed)) => self.changed += usize::from(changed),
            Ok(None) => self.refused += 1,
            Err(why) => self
                .failures
                .push(format!("{name} ({options:?}): {why}\n--- input:\n{text}")),
        }
    }

    fn report(&self, corpus: &str) {
        let _ = writeln!(
            std::io::stderr(),
            "fmt guarantees, {corpus}: {} texts, {} changed by formatting, {} left unchanged, \
             {} refused for syntax errors, {} failures",
            self.texts,
            self.changed,
            self.texts - self.changed - self.refused - self.failures.len(),
            self.refused,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// The options' names in the printed counts.
fn named(options: &FormatOptions) -> String {
    format!(
        "indent {}, sequences {}",
        options.indent,
        if options.indent_sequences {
            "indented"
        } else {
            "at the key"
        }
    )
}

#[test]
fn yaml_test_suite() {
    let Some(dir) = playbook_test_support::shared_data("yaml-test-suite") else {
        return;
    };
    let cases: Vec<(String, String, bool)> = playbook_test_support::yaml_suite_cases(&dir)
        .into_iter()
        .map(|(id, case)| {
            let text = std::fs::read_to_string(case.join("in.yaml")).unwrap();
            (id, text, case.join("error").exists())
        })
        .collect();
    for options in &OPTIONS {
        let mut valid = Counts::default();
        let mut invalid = Counts::default();
        for (id, text, error_case) in &cases {
            if *error_case {
                // Not part of the guarantee: formatted or refused, but never a panic or a
                // broken guarantee when the parser accepts the text.
                invalid.check(id, text, options);
            } else {
                valid.check(id, text, options);
            }
        }
        assert!(valid.texts > 250, "too few cases: {}", valid.texts);
        valid.report(&format!("yaml-test-suite valid cases ({})", named(options)));
        invalid.report(&format!("yaml-test-suite error cases ({})", named(options)));
    }
}

#[test]
fn step_corpus() {
    let Some(dir) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let files = playbook_test_support::yaml_files(&dir);
    assert_eq!(files.len(), 153);
    for options in &OPTIONS {
        let mut counts = Counts::default();
        for (path, text) in &files {
            counts.check(path, text, options);
        }
        counts.report(&format!("corpus/stackpulse-steps ({})", named(options)));
    }
}

#[test]
fn examples() {
    let root = playbook_test_support::workspace_root().join("playbooks");
    let files = playbook_test_support::yaml_files(&root);
    assert!(files.len() >= 30, "{}", files.len());
    for options in &OPTIONS {
        let mut counts = Counts::default();
        for (path, text) in &files {
            counts.check(path, text, options);
        }
        counts.report(&format!("playbooks/ ({})", named(options)));
    }
}
