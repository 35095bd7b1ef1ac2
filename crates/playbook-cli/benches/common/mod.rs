//! The generated repository the check benchmarks share: N playbooks (1,000 or 10,000) of
//! realistic size against the real step library (`corpus/stackpulse-steps` in the shared
//! test data), written under cargo's temporary folder for benchmarks.
//!
//! Each playbook declares parameters and calls 4 to 8 real steps, giving every required input
//! a template that reads a parameter or an earlier step's output, as real playbooks do.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use playbook_cli::check::{Format, Options};
use playbook_hir::ir::Item;
use playbook_test_support::{GeneratedCall, XorShift, generated_playbook};

/// A generated repository: its folder and the texts of its playbooks.
pub struct Repo {
    pub dir: PathBuf,
    pub texts: Vec<String>,
}

pub fn repo(n: usize) -> Option<&'static Repo> {
    static SMALL: OnceLock<Option<Repo>> = OnceLock::new();
    static LARGE: OnceLock<Option<Repo>> = OnceLock::new();
    let cell = if n <= 1000 { &SMALL } else { &LARGE };
    cell.get_or_init(|| generate(n)).as_ref()
}

/// The real manifests with required inputs only (image path relative to the library, the
/// required input names, the output names).
pub fn library(root: &Path) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    for (path, text) in playbook_test_support::yaml_files(root) {
        let Some(image) = path.strip_suffix("/manifest.yaml") else {
            continue;
        };
        let lowered = playbook_hir::lower(playbook_syntax::parse(&text).tree());
        let Some(Item::Step(m)) = lowered.file.items.first() else {
            continue;
        };
        // Steps with command-line arguments are left out: their arguments would need values
        // of their own.
        if m.image_name.is_some() || !m.args.is_empty() {
            continue;
        }
        let required = m
            .envs
            .iter()
            .filter(|i| i.is_required() && i.default.is_none())
            .map(|i| i.name.value.clone())
            .collect();
        let outputs = m.outputs.iter().map(|o| o.name.value.clone()).collect();
        found.push((image.to_owned(), required, outputs));
    }
    found.sort();
    found
}

fn generate(n: usize) -> Option<Repo> {
    let corpus = playbook_test_support::shared_data("corpus/stackpulse-steps")?;
    let steps = library(&corpus);
    // Under cargo's temporary folder for benchmarks, rewritten on every run (nothing piles up).
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("check-bench-{n}"));
    project_dir(&dir, &corpus);
    let mut texts = Vec::with_capacity(n);
    let mut rng = XorShift::default();
    for i in 0..n {
        let mut previous: Vec<(String, String)> = Vec::new();
        let calls: Vec<GeneratedCall> = (0..4 + rng.below(5))
            .map(|k| {
                let (image, required, outputs) = &steps[rng.below(steps.len())];
                let env = required
                    .iter()
                    .enumerate()
                    .map(|(j, input)| {
                        let value = match previous.get(j % previous.len().max(1)) {
                            Some((prev, output)) if j % 2 == 1 => {
                                format!("{{{{ $.'{prev}'.'{output}' }}}}")
                            }
                            _ if j % 3 == 2 => "{{ $.params.Namespace }}".to_owned(),
                            _ => "{{ $.params.Target }}".to_owned(),
                        };
                        (input.clone(), value)
                    })
                    .collect();
                if let Some(output) = outputs.first() {
                    previous.push((format!("step-{k}"), output.clone()));
                }
                GeneratedCall {
                    image: image.clone(),
                    env,
                }
            })
            .collect();
        let text = generated_playbook(i, "check benchmark", &calls);
        std::fs::write(dir.join(format!("generated-{i:05}.yaml")), &text).unwrap();
        texts.push(text);
    }
    Some(Repo { dir, texts })
}

/// The options of `playbook check <repo> --format json`.
pub fn options(repo: &Repo) -> Options {
    Options {
        paths: vec![repo.dir.clone()],
        stdin: None,
        format: Format::Json,
        color: false,
        deny_warnings: false,
        ..Options::default()
    }
}

/// Runs `playbook check <repo> --format json` in a new process, its output discarded.
pub fn run_binary(repo: &Repo) -> std::process::ExitStatus {
    std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .arg("check")
        .arg(&repo.dir)
        .args(["--format", "json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the playbook binary runs")
}

pub fn bytes(repo: &Repo) -> usize {
    repo.texts.iter().map(String::len).sum()
}

// What the timing harnesses (`ratio`, `fmt_ratio`, `lsp`) share.

/// A number from the environment (`PLAYBOOK_BENCH_ROUNDS`, ...), else `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The median of some timings.
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// Milliseconds with one decimal.
pub fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Prints, for rounds timed alternately, the ratio of `timed` to `parse` per round: median,
/// best, worst, and in how many rounds it was over `limit`.
pub fn print_ratios(name: &str, timed: &[Duration], parse: &[Duration], limit: f64) {
    let mut ratios: Vec<f64> = timed
        .iter()
        .zip(parse)
        .map(|(t, p)| t.as_secs_f64() / p.as_secs_f64())
        .collect();
    if ratios.is_empty() {
        return;
    }
    ratios.sort_by(f64::total_cmp);
    let over = ratios.iter().filter(|r| **r > limit).count();
    println!(
        "{name} / parse, per round: median {:.2}x, best {:.2}x, worst {:.2}x; over {limit}x in {over} of {} rounds",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
        ratios.len(),
    );
}

/// Makes `dir` an empty project whose `playbook.toml` names the real library at `corpus`.
pub fn project_dir(dir: &Path, corpus: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("playbook.toml"),
        format!(
            "[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = {:?}\n",
            corpus.display().to_string()
        ),
    )
    .unwrap();
}
