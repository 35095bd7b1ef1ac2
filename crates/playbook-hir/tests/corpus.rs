//! Every manifest of the real step library (`corpus/stackpulse-steps` in the shared test
//! data) lowers to a step manifest; the diagnostics reported on it (the library has real
//! defects, such as an input declared twice) are kept in a reviewed snapshot.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use playbook_diagnostics::LineIndex;
use playbook_hir::ir::Item;

fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            manifests(&path, out);
        } else if path.file_name().is_some_and(|n| n == "manifest.yaml") {
            out.push(path);
        }
    }
}

#[test]
fn every_real_manifest_lowers() {
    let Some(root) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let mut files = Vec::new();
    manifests(&root, &mut files);
    assert_eq!(files.len(), 153, "the corpus holds 153 manifests");
    let mut report = String::new();
    let mut counts = (0, 0, 0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let parse = playbook_syntax::parse(&text);
        let lowered = playbook_hir::lower(parse.tree());
        let [Item::Step(manifest)] = lowered.file.items.as_slice() else {
            panic!(
                "{} did not lower to one step manifest: {:?}",
                path.display(),
                lowered.file.items.len()
            );
        };
        counts.0 += 1;
        counts.1 += manifest.envs.len();
        counts.2 += manifest.outputs.len();
        counts.3 += usize::from(manifest.integrations.is_some());
        let index = LineIndex::new(&text);
        let relative = path.strip_prefix(&root).unwrap().display().to_string();
        for d in parse.errors().iter().chain(&lowered.diagnostics) {
            let lc = index.line_col(d.range.start());
            let _ = writeln!(
                report,
                "{relative}:{}:{} {} {}",
                lc.line + 1,
                lc.col + 1,
                d.code.id,
                d.message
            );
        }
    }
    let _ = writeln!(
        report,
        "-- {} manifests, {} envs, {} outputs, {} with integrations",
        counts.0, counts.1, counts.2, counts.3
    );
    expect_test::expect_file!["snapshots/corpus.txt"].assert_eq(&report);
}
