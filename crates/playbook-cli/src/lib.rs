//! The library behind the `playbook` binary: everything the command-line tool does, as plain
//! functions that the binary (`main.rs`) calls at its edge.
//!
//! - [`check`]: the `playbook check` run: workspace loading, the analysis database, the
//!   summary and the exit code;
//! - [`render`]: printing diagnostics for humans (ariadne) or one per line (`short`);
//! - [`formats`]: the machine formats (`json`, `sarif`, `github`);
//! - [`fmt`]: the `playbook fmt` run: discovery, formatting in parallel, atomic writes,
//!   `--check` and `--diff`;
//! - [`fix`]: `playbook check --fix`: applying the fixes and writing the files atomically;
//! - [`explain`]: `playbook explain`, over the catalogue of every code;
//! - [`init`]: `playbook init`: a commented `playbook.toml` with the step libraries found;
//! - [`completions`]: `playbook completions SHELL`, the shell completion scripts;
//! - [`man`]: `playbook man`, the manual pages;
//! - [`testing`]: the `playbook test` run: test files, cases run offline, `cargo test`'s
//!   layout, JSON and JUnit XML;
//! - [`graph`]: `playbook graph`: the data flow of a playbook as Mermaid, DOT or SVG;
//! - [`source`]: reading a file or standard input into a `String`, with clear errors;
//! - [`write`]: writing a changed file atomically;
//! - [`debug`]: the `playbook debug` views of the parsers.

/// The allocator of the binary, its tests and its benchmarks: mimalloc, as ruff and other
/// fast Rust tools use. A check allocates many small values (trees, decoded scalars,
/// diagnostics) on every core; mimalloc's thread-local free lists make that, and freeing
/// them, much cheaper than the system allocator. It is built without transparent huge
/// pages (`no_thp`): with them, a long-running `playbook lsp` kept 2 MiB pages of which it
/// used a few bytes, and its resident memory doubled (119 MB against 54 MB in the language
/// server benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod check;
pub mod completions;
pub mod debug;
pub mod dry_run;
pub mod explain;
pub mod fix;
pub mod fmt;
pub mod formats;
pub mod graph;
pub mod init;
pub mod man;
pub mod render;
pub mod source;
mod style;
pub mod testing;
pub mod write;
