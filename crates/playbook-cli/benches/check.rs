//! The cold `playbook check` of a generated repository of N playbooks (1,000 and 10,000) of
//! realistic size against the real step library (`corpus/stackpulse-steps` in the shared
//! test data), and, as the baseline, parsing the same playbook files alone.
//!
//! The repository is described in `common/mod.rs`. The check is cold: every iteration loads the workspace from disk (walk, read, classify) and
//! checks it in a new database, exactly as `playbook check` does; `check_process` runs the
//! binary itself, in a new process each time. Counters print files/s and MB/s of playbook
//! text.
//!
//! Run: `cargo bench -p playbook-cli --bench check`. The `ratio` benchmark compares the
//! check with parsing in alternating rounds, which this machine's noise calls for.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
mod common;

use common::{bytes, repo};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use playbook_cli::check::run;

fn main() {
    divan::main();
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn check_cold(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else {
        eprintln!("skipped: shared test data not found");
        return;
    };
    let options = common::options(repo);
    let first = run(&options);
    assert_eq!(first.summary.files, n, "{:?}", first.stderr);
    assert_eq!(
        first.summary.errors,
        0,
        "the generated playbooks must be clean: {}",
        &first.stdout[..first.stdout.len().min(2000)]
    );
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(bytes(repo)))
        // The outcome, database included, is returned so that it is freed after the timing:
        // the binary never frees it (it exits).
        .bench(|| run(&options));
}

/// The same check as a user runs it: the `playbook` binary in a new process, which also pays
/// for starting, for the fresh memory of a new process, and for exiting.
#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn check_process(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else { return };
    let run = || common::run_binary(repo);
    assert!(run().success());
    bencher
        .counter(ItemsCount::new(n))
        .counter(BytesCount::new(bytes(repo)))
        .bench(run);
}

#[divan::bench(args = [1000, 10000], sample_count = 10, sample_size = 1)]
fn parse_only(bencher: Bencher, n: usize) {
    let Some(repo) = repo(n) else { return };
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
