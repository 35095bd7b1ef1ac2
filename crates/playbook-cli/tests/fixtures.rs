//! One fixture per diagnostic code: `tests/fixtures/diagnostics/<CODE>-<name>/` at the root
//! of the repository is a small playbook repository (playbook files, maybe a `playbook.toml`
//! and a `steps/` library) that triggers the code, and its `expected.txt` is the output of
//! `playbook check --format short` run in that folder, reviewed.
//!
//! The test checks every fixture against its snapshot, that each fixture reports its own
//! code, and that every code of the catalogue has a fixture. `UPDATE_EXPECT=1` rewrites the
//! snapshots (read them before committing).

use std::path::{Path, PathBuf};

use playbook_cli::check::{Format, Options, run_in};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/diagnostics")
}

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/diagnostics exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The `playbook check --format short` output of a fixture, run from inside it, followed by
/// the summary line.
fn check(dir: &Path) -> String {
    let options = Options {
        paths: vec![PathBuf::from(".")],
        stdin: None,
        format: Format::Short,
        color: false,
        deny_warnings: false,
        ..Options::default()
    };
    let outcome = run_in(dir, &options);
    let mut out = outcome.stdout;
    for line in &outcome.stderr {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&outcome.summary.line());
    out.push('\n');
    out
}

#[test]
fn every_fixture_matches_its_snapshot_and_reports_its_code() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for dir in fixtures() {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let code = name.split('-').next().unwrap_or_default();
        let actual = check(&dir);
        assert!(
            actual.contains(&format!("[{code}]")),
            "fixture {name} does not report {code}:\n{actual}"
        );
        let expected_path = dir.join("expected.txt");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).expect("writable snapshot");
            } else {
                mismatches.push(format!(
                    "--- {name}: expected\n{expected}--- actual\n{actual}"
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "fixtures differ from their snapshots (UPDATE_EXPECT=1 to update):\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|d| {
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let missing: Vec<String> = playbook_cli::explain::catalogue()
        .iter()
        .map(|code| format!("{}-{}", code.id, code.name))
        .filter(|wanted| !names.contains(wanted))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture folder: {missing:?}"
    );
}
