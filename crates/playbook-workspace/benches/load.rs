//! How long loading a repository takes: configuration, walk, parallel read and
//! classification of the 153 real step manifests (`../shared/corpus/stackpulse-steps`), and
//! the parsing of a typical `playbook.toml`.

use std::path::PathBuf;

use playbook_workspace::{load_workspace_in, parse_config};

fn main() {
    divan::main();
}

const CODES: &[(&str, &str)] = &[("PB101", "unused-parameter")];

#[divan::bench]
fn load_step_corpus(bencher: divan::Bencher) {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    bencher.bench(|| {
        let paths: [PathBuf; 0] = [];
        let ws = load_workspace_in(&corpus, &paths, CODES);
        divan::black_box(ws.map(|ws| ws.files.len() + ws.skipped.len()).unwrap_or(0))
    });
}

#[divan::bench]
fn parse_typical_config() -> usize {
    let text = r#"
exclude = ["vendor/**", "tmp/*.yaml"]

[[library]]
prefix = "us-docker.pkg.dev/stackpulse/public/"
path = "steps"

[secrets]
known = ["GITHUB_API_TOKEN", "SLACK_TOKEN"]

[severity]
unused-parameter = "off"
"#;
    parse_config(divan::black_box(text), CODES).1.len()
}
