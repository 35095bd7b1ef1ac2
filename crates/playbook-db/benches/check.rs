//! How long checking a workspace takes, cold and after one edit: the real step library
//! (153 manifests, from the shared test data) and 200 generated playbooks of 8 steps each.
//!
//! Run with `cargo bench -p playbook-db --bench check`. Prints one line per measure.

use std::time::{Duration, Instant};

use playbook_db::{AnalysisHost, Library};

const PREFIX: &str = "us-docker.pkg.dev/stackpulse/public/";
const DIR: &str = "stackpulse-steps";
const PLAYBOOKS: usize = 200;
const STEPS: usize = 8;
const RUNS: usize = 20;

fn playbook(n: usize, images: &[String], edit: usize) -> String {
    let mut text = format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p{n}\n  description: generated {edit}\nparameters:\n  - name: Host\n    type: var\nsteps:\n"
    );
    for s in 0..STEPS {
        let image = &images[(n * 7 + s * 13) % images.len()];
        text.push_str(&format!(
            "  - name: {image}:1.0\n    id: s{s}\n    env:\n      HOST: \"{{{{ $.params.Host }}}}\"\n"
        ));
    }
    text
}

fn check_all(host: &AnalysisHost) -> usize {
    host.files().map(|p| host.diagnostics(p).len()).sum()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let manifests = playbook_test_support::yaml_files(&corpus);
    let images: Vec<String> = manifests
        .iter()
        .filter_map(|(rel, _)| rel.strip_suffix("/manifest.yaml"))
        .map(|folder| format!("{PREFIX}{folder}"))
        .collect();

    let start = Instant::now();
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![Library {
        prefix: PREFIX.into(),
        dir: DIR.into(),
        missing: false,
    }]);
    for (rel, text) in &manifests {
        host.set_file_text(&format!("{DIR}/{rel}"), text.clone());
    }
    for n in 0..PLAYBOOKS {
        host.set_file_text(&format!("p{n}.yaml"), playbook(n, &images, 0));
    }
    let diagnostics = check_all(&host);
    let cold = start.elapsed();
    println!(
        "cold: {} files ({} manifests, {PLAYBOOKS} playbooks), {diagnostics} diagnostics: {cold:?}",
        manifests.len() + PLAYBOOKS,
        manifests.len()
    );

    let mut unchanged = Vec::new();
    let mut playbook_edit = Vec::new();
    let mut manifest_edit = Vec::new();
    let (manifest_rel, manifest_text) = &manifests[0];
    let manifest_path = format!("{DIR}/{manifest_rel}");
    for run in 1..=RUNS {
        let start = Instant::now();
        check_all(&host);
        unchanged.push(start.elapsed());

        let start = Instant::now();
        host.set_file_text("p0.yaml", playbook(0, &images, run));
        check_all(&host);
        playbook_edit.push(start.elapsed());

        let start = Instant::now();
        host.set_file_text(&manifest_path, format!("{manifest_text}# edit {run}\n"));
        check_all(&host);
        manifest_edit.push(start.elapsed());
    }
    println!("re-check, nothing changed: {:?}", median(unchanged));
    println!(
        "re-check after editing one playbook: {:?}",
        median(playbook_edit)
    );
    println!(
        "re-check after editing one manifest ({}): {:?}",
        manifest_rel,
        median(manifest_edit)
    );
}
