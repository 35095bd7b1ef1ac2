//! The check's cost relative to parsing, measured in alternating rounds.
//!
//! The target of the checker is that a cold `playbook check` of 10,000 playbooks takes no
//! more than 3 times as long as parsing them alone. On a shared machine the speed of both
//! drifts by a third within a minute, so timing one for ten samples and then the other
//! compares two different machines. Here each round times, back to back and in alternating
//! order, parsing the texts on one core, the `playbook` binary in a new process, and the
//! same check inside this process; each round's ratios compare figures taken seconds apart.
//!
//! Run: `cargo bench -p playbook-cli --bench ratio` (10,000 playbooks, 15 rounds);
//! `PLAYBOOK_BENCH_N` and `PLAYBOOK_BENCH_ROUNDS` change them. The repository is the one of
//! the `check` benchmark (`common/mod.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(dead_code)]
mod common;

use common::{env_number, median, millis};

use std::time::{Duration, Instant};

use playbook_cli::check::run;

fn main() {
    let n = env_number("PLAYBOOK_BENCH_N", 10_000);
    let rounds = env_number("PLAYBOOK_BENCH_ROUNDS", 15).max(1);
    let Some(repo) = common::repo(n) else {
        println!("ratio: skipped, the shared test data was not found");
        return;
    };
    let options = common::options(repo);
    let parse = || {
        let start = Instant::now();
        let errors: usize = repo
            .texts
            .iter()
            .map(|t| playbook_syntax::parse(t).errors().len())
            .sum();
        let elapsed = start.elapsed();
        assert_eq!(errors, 0, "the generated playbooks must parse cleanly");
        elapsed
    };
    let process = || {
        let start = Instant::now();
        let status = common::run_binary(repo);
        let elapsed = start.elapsed();
        assert!(status.success(), "the generated playbooks must check clean");
        elapsed
    };
    let cold = || {
        let start = Instant::now();
        let outcome = run(&options);
        let elapsed = start.elapsed();
        assert_eq!(
            (outcome.summary.files, outcome.summary.errors),
            (n, 0),
            "{:?}",
            outcome.stderr
        );
        // Freed outside the timing: the binary never frees it (it exits).
        drop(outcome);
        elapsed
    };

    // One untimed round: the files are in the page cache and the code is paged in.
    parse();
    process();
    cold();

    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 0..rounds {
        let order: [usize; 3] = if round % 2 == 0 { [0, 1, 2] } else { [2, 1, 0] };
        for which in order {
            let elapsed = match which {
                0 => parse(),
                1 => process(),
                _ => cold(),
            };
            times[which].push(elapsed);
        }
    }

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let megabytes = common::bytes(repo) as f64 / 1e6;
    println!(
        "ratio: {n} playbooks ({megabytes:.1} MB), {rounds} rounds, {cores} cores\n\
         {:<22} {:>9} {:>9} {:>9} {:>10}",
        "", "median", "fastest", "slowest", "files/s"
    );
    let names = ["parse (one core)", "check_process", "check_cold"];
    for (name, samples) in names.iter().zip(&times) {
        let median = median(samples);
        println!(
            "{name:<22} {:>9} {:>9} {:>9} {:>10.0}",
            millis(median),
            millis(samples.iter().copied().min().unwrap_or_default()),
            millis(samples.iter().copied().max().unwrap_or_default()),
            n as f64 / median.as_secs_f64(),
        );
    }
    for (name, which) in [("check_process", 1), ("check_cold", 2)] {
        common::print_ratios(name, &times[which], &times[0], 3.0);
    }
}
