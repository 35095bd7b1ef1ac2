//! The formatter's speed over the generated repository of the check benchmarks (N = 1,000
//! and 10,000 playbooks of realistic size, `common/mod.rs`), next to parsing alone.
//!
//! - `parse_only`: parsing every text, on one core: the baseline.
//! - `fmt_check`: the work of `playbook fmt --check` per file, on one core: parse, lay out,
//!   compare with the text. The generated playbooks are formatted already, as a repository
//!   checked in CI is.
//! - `fmt_check_unformatted` / `fmt_in_memory`: the same texts laid out with 4 spaces and
//!   sequences at their key first (outside the timing), then checked, or formatted to new
//!   texts in memory: a layout that changes every line, so every file also pays for the
//!   safety net (parse the result again, compare the data and comments).
//! - `fmt_check_process`: `playbook fmt --check <repo>` in a new process, as CI runs it:
//!   discovery, reading, classifying and formatting on every core.
//!
//! Counters print files/s and MB/s of playbook text. Run:
//! `cargo bench -p playbook-cli --bench fmt`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
mod common;

use std::sync::OnceLock;

use common::{bytes, repo};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use playbook_fmt::FormatOptions;

fn main() {
    divan::main();
}

/// The generated texts laid out otherwise: 4 spaces, sequences at their key.
fn unformatted(n: usize) -> Option<&'static Vec<String>> {
    static SMALL: OnceLock<Option<Vec<String>>> = OnceLock::new();
    static LARGE: OnceLock<Option<Vec<String>>> = OnceLock::new();
    let cell = if n <= 1000 { &SMALL } else { &LARGE };
    cell.get_or_init(|| {
        let other = FormatOptions {
            indent: 4,
            indent_sequences: false,
        };
        let texts = &repo(n)?.texts;
        Some(
            texts
                .iter()
                .map(|t| playbook_fmt::format(t, &other).unwrap())
                .collect(),
        )
    })
    .as_ref()
}

/// Whether `text` would be reformatted: the work of `fmt --check` on one file.
fn would_change(text: &str) -> bool {
    playbook_fmt::format(text, &FormatOptions::default()).unwrap() != text
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn parse_only(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else {
        eprintln!("skipped: shared test data not found");
        return;
    };
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(bytes(repo)))
        .bench(|| {
            repo.texts
                .iter()
                .map(|t| playbook_syntax::parse(t).errors().len())
                .sum::<usize>()
        });
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn fmt_check(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else { return };
    assert!(
        !repo.texts.iter().any(|t| would_change(t)),
        "the generated playbooks are formatted"
    );
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(bytes(repo)))
        .bench(|| repo.texts.iter().filter(|t| would_change(t)).count());
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn fmt_check_unformatted(bencher: Bencher, n: usize) {
    let Some(texts) = unformatted(n) else { return };
    let total: usize = texts.iter().map(String::len).sum();
    assert!(texts.iter().all(|t| would_change(t)));
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(total))
        .bench(|| texts.iter().filter(|t| would_change(t)).count());
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn fmt_in_memory(bencher: Bencher, n: usize) {
    let Some(texts) = unformatted(n) else { return };
    let total: usize = texts.iter().map(String::len).sum();
    let options = FormatOptions::default();
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(total))
        .bench(|| {
            texts
                .iter()
                .map(|t| playbook_fmt::format(t, &options).unwrap())
                .collect::<Vec<String>>()
        });
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn fmt_check_process(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else { return };
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
            .arg("fmt")
            .arg("--check")
            .arg(&repo.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("the playbook binary runs")
    };
    assert!(run().success(), "the generated repository is formatted");
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(bytes(repo)))
        .bench(run);
}
