//! The formatter's cost relative to parsing, measured in alternating rounds.
//!
//! The target is that the work of `playbook fmt --check` (parse, lay out, compare) takes no
//! more than twice as long as parsing alone, and runs at 20 MB/s or more. On a shared machine
//! the speed of both drifts within a minute, so, as in the `ratio` benchmark, each round
//! times back to back, in alternating order and on one core: parsing the texts, the check of
//! the (formatted) texts, and formatting the same texts laid out otherwise (4 spaces,
//! sequences at their key) back to the default layout, which re-indents every line and runs
//! the safety net on every file. Each round's ratios compare figures taken seconds apart.
//!
//! Run: `cargo bench -p playbook-cli --bench fmt_ratio` (10,000 playbooks, 15 rounds);
//! `PLAYBOOK_BENCH_N` and `PLAYBOOK_BENCH_ROUNDS` change them. The playbooks are those of the
//! `check` benchmark (`common/mod.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[allow(dead_code)]
mod common;

use common::{env_number, median, millis};

use std::time::{Duration, Instant};

use playbook_fmt::FormatOptions;

fn main() {
    let n = env_number("PLAYBOOK_BENCH_N", 10_000);
    let rounds = env_number("PLAYBOOK_BENCH_ROUNDS", 15).max(1);
    let Some(repo) = common::repo(n) else {
        println!("fmt_ratio: skipped, the shared test data was not found");
        return;
    };
    let options = FormatOptions::default();
    let other = FormatOptions {
        indent: 4,
        indent_sequences: false,
    };
    let texts = &repo.texts;
    let only = std::env::var("PLAYBOOK_BENCH_ONLY").ok();
    let unformatted: Vec<String> = if only.as_deref().is_none_or(|o| o == "format") {
        texts
            .iter()
            .map(|t| playbook_fmt::format(t, &other).unwrap())
            .collect()
    } else {
        Vec::new()
    };
    let parse = || {
        let start = Instant::now();
        let errors: usize = texts
            .iter()
            .map(|t| playbook_syntax::parse(t).errors().len())
            .sum();
        let elapsed = start.elapsed();
        assert_eq!(errors, 0, "the generated playbooks must parse cleanly");
        elapsed
    };
    let check = || {
        let start = Instant::now();
        let changed = texts
            .iter()
            .filter(|t| playbook_fmt::format(t, &options).unwrap() != **t)
            .count();
        let elapsed = start.elapsed();
        assert_eq!(changed, 0, "the generated playbooks are formatted");
        elapsed
    };
    let reformat = || {
        let start = Instant::now();
        let formatted: Vec<String> = unformatted
            .iter()
            .map(|t| playbook_fmt::format(t, &options).unwrap())
            .collect();
        let elapsed = start.elapsed();
        assert!(formatted.iter().zip(texts).all(|(f, t)| f == t));
        elapsed
    };
    let run = |which: usize| match which {
        0 => parse(),
        1 => check(),
        _ => reformat(),
    };
    if let Some(only) = only {
        // For profilers: one kind of work only.
        let which = match only.as_str() {
            "parse" => 0,
            "check" => 1,
            _ => 2,
        };
        for _ in 0..rounds {
            run(which);
        }
        return;
    }

    // One untimed round: the code is paged in and the allocator warm.
    for which in 0..3 {
        run(which);
    }
    let mut times: [Vec<Duration>; 3] = Default::default();
    for round in 0..rounds {
        let order: [usize; 3] = if round % 2 == 0 { [0, 1, 2] } else { [2, 1, 0] };
        for which in order {
            times[which].push(run(which));
        }
    }

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let megabytes = common::bytes(repo) as f64 / 1e6;
    let other_megabytes = unformatted.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "fmt_ratio: {n} playbooks ({megabytes:.1} MB; {other_megabytes:.1} MB laid out otherwise), \
         {rounds} rounds, one core of {cores}\n\
         {:<34} {:>9} {:>9} {:>9} {:>10} {:>8}",
        "", "median", "fastest", "slowest", "files/s", "MB/s"
    );
    let names = [
        "parse",
        "fmt --check (formatted files)",
        "format in memory (every line moves)",
    ];
    for (k, (name, samples)) in names.iter().zip(&times).enumerate() {
        let median = median(samples);
        let mb = if k == 2 { other_megabytes } else { megabytes };
        println!(
            "{name:<34} {:>9} {:>9} {:>9} {:>10.0} {:>8.1}",
            millis(median),
            millis(samples.iter().copied().min().unwrap_or_default()),
            millis(samples.iter().copied().max().unwrap_or_default()),
            n as f64 / median.as_secs_f64(),
            mb / median.as_secs_f64(),
        );
    }
    for (name, which) in [("fmt --check", 1), ("format in memory", 2)] {
        common::print_ratios(name, &times[which], &times[0], 2.0);
    }
}
