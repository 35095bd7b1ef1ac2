//! Parser throughput: `playbook_syntax::parse` (building the lossless tree) against
//! saphyr-parser (an event parser that builds nothing), over the real step manifests of the
//! shared corpus concatenated as one multi-document stream, and over synthetic large inputs.
//!
//! Run with `cargo bench -p playbook-syntax --bench parse`.

#![allow(clippy::unwrap_used)]

fn main() {
    divan::main();
}

/// Every `.yaml`/`.yml` file of the step corpus, joined as a multi-document stream; a
/// synthetic playbook-like text when the shared data is missing.
fn corpus() -> String {
    let mut out = String::new();
    let files = playbook_test_support::shared_data("corpus/stackpulse-steps")
        .map(|root| playbook_test_support::yaml_files(&root))
        .unwrap_or_default();
    for (_, text) in files {
        out.push_str("---\n");
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    if out.is_empty() {
        out = synthetic_playbooks(2000);
    }
    out
}

fn synthetic_playbooks(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!(
            "---\napiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: step-{i} # a comment\n  description: \"Enrich alert {i}\"\nenvs:\n  - name: POD\n    type: string\n    required: true\n  - name: TAGS\n    default: [a, b, {{c: d}}]\nrun: |\n  echo {i}\n  exit 0\n"
        ));
    }
    out
}

#[divan::bench]
fn playbook_syntax_corpus(bencher: divan::Bencher) {
    let text = corpus();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| playbook_syntax::parse(divan::black_box(&text)));
}

#[divan::bench]
fn saphyr_parser_corpus(bencher: divan::Bencher) {
    let text = corpus();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            let mut events = 0usize;
            for event in saphyr_parser::Parser::new_from_str(divan::black_box(&text)) {
                if event.is_err() {
                    break;
                }
                events += 1;
            }
            events
        });
}

#[divan::bench]
fn playbook_syntax_synthetic(bencher: divan::Bencher) {
    let text = synthetic_playbooks(5000);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| playbook_syntax::parse(divan::black_box(&text)));
}

#[divan::bench]
fn saphyr_parser_synthetic(bencher: divan::Bencher) {
    let text = synthetic_playbooks(5000);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            saphyr_parser::Parser::new_from_str(divan::black_box(&text))
                .take_while(Result::is_ok)
                .count()
        });
}

#[divan::bench]
fn playbook_syntax_megabyte_plain_scalar(bencher: divan::Bencher) {
    let text = format!("key: {}\n", "word ".repeat(200_000).trim_end());
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| playbook_syntax::parse(divan::black_box(&text)));
}
