//! Lowering throughput: parsing alone against parsing and lowering
//! (`playbook_hir::lower`), and lowering alone over already parsed trees, over the real step
//! manifests of the shared corpus and over generated playbooks of the shape real
//! repositories have (parameters, 4 to 8 step calls with templated `env` values).
//!
//! The difference between `parse_lower_*` and `parse_*` is the cost of lowering (scalar
//! decoding included). The corpus benchmarks are skipped when the shared data is missing;
//! the generated ones always run.
//!
//! Run with `cargo bench -p playbook-hir --bench lower`.

#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use playbook_test_support::{GeneratedCall, XorShift, generated_playbook};

fn main() {
    divan::main();
}

/// How many playbooks the generated set holds.
const GENERATED: usize = 300;

/// The texts of the step manifests of the shared corpus, sorted by path; `None` when the
/// shared data is missing.
fn corpus() -> Option<&'static [String]> {
    static CORPUS: OnceLock<Option<Vec<String>>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let root = playbook_test_support::shared_data("corpus/stackpulse-steps")?;
            let files = playbook_test_support::yaml_files(&root);
            Some(files.into_iter().map(|(_, text)| text).collect())
        })
        .as_deref()
}

/// Generated playbooks in the shape of `playbook-cli`'s check benchmark: three parameters,
/// then 4 to 8 step calls, each with an id, a templated runner and 0 to 5 templated `env`
/// values, the last one with a `when`.
fn generated() -> &'static [String] {
    static GENERATED_TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    GENERATED_TEXTS.get_or_init(|| {
        let mut rng = XorShift::default();
        const INPUTS: &[&str] = &["HOST", "PORT", "AUTH_TOKEN", "JOB_ID", "NAME", "USER"];
        (0..GENERATED)
            .map(|i| {
                let calls: Vec<GeneratedCall> = (0..4 + rng.below(5))
                    .map(|k| {
                        let image = format!("vendor-{}/action-{}", rng.below(20), rng.below(7));
                        let inputs = rng.below(INPUTS.len());
                        let env = INPUTS
                            .iter()
                            .take(inputs)
                            .enumerate()
                            .map(|(j, input)| {
                                let value = match j % 3 {
                                    1 if k > 0 => format!("{{{{ $.'step-{}'.'output' }}}}", k - 1),
                                    2 => "{{ $.params.Namespace }}".to_owned(),
                                    _ => "{{ $.params.Target }}".to_owned(),
                                };
                                ((*input).to_owned(), value)
                            })
                            .collect();
                        GeneratedCall { image, env }
                    })
                    .collect();
                generated_playbook(i, "lowering benchmark", &calls)
            })
            .collect()
    })
}

fn bytes(texts: &[String]) -> usize {
    texts.iter().map(String::len).sum()
}

fn parse(bencher: Bencher, texts: &[String]) {
    bencher
        .counter(ItemsCount::new(texts.len()))
        .counter(BytesCount::new(bytes(texts)))
        .bench(|| {
            texts
                .iter()
                .map(|t| playbook_syntax::parse(divan::black_box(t)).errors().len())
                .sum::<usize>()
        });
}

fn parse_lower(bencher: Bencher, texts: &[String]) {
    bencher
        .counter(ItemsCount::new(texts.len()))
        .counter(BytesCount::new(bytes(texts)))
        .bench(|| {
            texts
                .iter()
                .map(|t| {
                    let parse = playbook_syntax::parse(divan::black_box(t));
                    playbook_hir::lower(parse.tree()).file.items.len()
                })
                .sum::<usize>()
        });
}

fn lower_only(bencher: Bencher, texts: &[String]) {
    let trees: Vec<_> = texts
        .iter()
        .map(|t| playbook_syntax::parse(t).into_parts().0)
        .collect();
    bencher
        .counter(ItemsCount::new(texts.len()))
        .counter(BytesCount::new(bytes(texts)))
        .bench(|| {
            trees
                .iter()
                .map(|t| playbook_hir::lower(divan::black_box(t)).file.items.len())
                .sum::<usize>()
        });
}

#[divan::bench]
fn parse_corpus(bencher: Bencher) {
    if let Some(texts) = corpus() {
        parse(bencher, texts);
    }
}

#[divan::bench]
fn parse_lower_corpus(bencher: Bencher) {
    if let Some(texts) = corpus() {
        parse_lower(bencher, texts);
    }
}

#[divan::bench]
fn lower_only_corpus(bencher: Bencher) {
    if let Some(texts) = corpus() {
        lower_only(bencher, texts);
    }
}

#[divan::bench]
fn parse_generated(bencher: Bencher) {
    parse(bencher, generated());
}

#[divan::bench]
fn parse_lower_generated(bencher: Bencher) {
    parse_lower(bencher, generated());
}

#[divan::bench]
fn lower_only_generated(bencher: Bencher) {
    lower_only(bencher, generated());
}
