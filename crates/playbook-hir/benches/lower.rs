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

use std::fmt::Write as _;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

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
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        const INPUTS: &[&str] = &["HOST", "PORT", "AUTH_TOKEN", "JOB_ID", "NAME", "USER"];
        (0..GENERATED)
            .map(|i| {
                let mut text = String::new();
                let _ = write!(
                    text,
                    "# Generated playbook {i}: enrich an alert and notify the on-call channel.\n\
                     apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: generated-{i}\n  \
                     description: Generated playbook {i} for the lowering benchmark.\nparameters:\n  \
                     - name: Target\n    type: var\n    description: The host the alert is about.\n    \
                     default: \"{{{{ $.event.Host }}}}\"\n  - name: Namespace\n    type: var\n    \
                     description: The namespace to look in.\n    default: default\n  - name: runner\n    \
                     type: spd\n    description: The agent that runs the steps.\nsteps:\n"
                );
                let calls = 4 + next(5);
                for k in 0..calls {
                    let image = format!("vendor-{}/action-{}", next(20), next(7));
                    let _ = write!(
                        text,
                        "  # Step {k}: {image}.\n  - name: us-docker.pkg.dev/stackpulse/public/{image}:latest\n    \
                         id: step-{k}\n    runner: \"{{{{ $.params.runner }}}}\"\n"
                    );
                    if k + 1 == calls {
                        text.push_str(
                            "    when: \"{{ ne $.params.Namespace \\\"kube-system\\\" }}\"\n",
                        );
                    }
                    let inputs = next(INPUTS.len());
                    if inputs > 0 {
                        text.push_str("    env:\n");
                        for (j, input) in INPUTS.iter().take(inputs).enumerate() {
                            let value = match j % 3 {
                                1 if k > 0 => format!("{{{{ $.'step-{}'.'output' }}}}", k - 1),
                                2 => "{{ $.params.Namespace }}".to_owned(),
                                _ => "{{ $.params.Target }}".to_owned(),
                            };
                            let _ = writeln!(text, "      {input}: \"{value}\"");
                        }
                    }
                }
                text
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
