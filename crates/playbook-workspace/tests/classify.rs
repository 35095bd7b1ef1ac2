//! Which YAML files are playbook files. These tests need the real YAML parser: with the
//! placeholder parser (no documents) every well-formed playbook file is skipped and they fail.

#![allow(clippy::unwrap_used)] // Test code: a failed set-up should stop the test.

mod support;

use std::path::PathBuf;

use expect_test::expect;
use playbook_workspace::{Origin, is_playbook_file, load_workspace_in};
use support::{CODES, TempTree};

#[test]
fn files_with_a_playbook_kind_are_playbook_files() {
    let kept = [
        (
            "playbook",
            "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n",
        ),
        (
            "step",
            "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: s\n",
        ),
        ("trigger", "kind: Trigger\nplaybook: p\n"),
        ("quoted kind", "\"kind\": 'Playbook'\n"),
        (
            "flow mapping",
            "{apiVersion: stackpulse.io/v1, kind: Step}\n",
        ),
        ("second document", "kind: ConfigMap\n---\nkind: Playbook\n"),
        ("kind in the wrong case", "kind: playbook\n"),
        (
            "stackpulse api version, misspelt kind",
            "apiVersion: stackpulse.io/v1\nkind: Playbok\n",
        ),
    ];
    for (name, text) in kept {
        assert!(is_playbook_file(text), "{name} should be kept:\n{text}");
    }
}

#[test]
fn other_yaml_files_are_skipped() {
    let skipped = [
        ("empty", ""),
        ("comment only", "# nothing\n"),
        (
            "github workflow",
            "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
        ),
        (
            "kubernetes",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        ),
        ("nested kind", "spec:\n  kind: Playbook\n"),
        ("sequence", "- kind: Playbook\n"),
        ("scalar", "Playbook\n"),
        ("broken yaml without kind", "a: [1, 2\nb: {\n"),
    ];
    for (name, text) in skipped {
        assert!(!is_playbook_file(text), "{name} should be skipped:\n{text}");
    }
    // Real-world files of other tools: GitHub Actions, Ansible, Kubernetes, Helm, compose.
    for (name, text) in playbook_test_support::other_yaml() {
        assert!(
            !is_playbook_file(&text),
            "{name} should be skipped:\n{text}"
        );
    }
}

/// A playbook file with syntax errors is kept so that its errors are reported.
#[test]
fn broken_playbook_files_are_kept() {
    let broken = [
        (
            "colon in a plain scalar",
            "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n  description: use allContainers: true\n",
        ),
        (
            "unclosed flow sequence before the kind",
            "steps: [a, b\nkind: \"Playbook\" # a comment\n",
        ),
        (
            "bad indentation",
            "metadata:\n  name: p\n   description: x\napiVersion: 'stackpulse.io/v1'\n",
        ),
    ];
    for (name, text) in broken {
        assert!(is_playbook_file(text), "{name} should be kept:\n{text}");
    }
}

#[test]
fn non_playbook_yaml_is_skipped_when_a_folder_is_checked() {
    let tree = TempTree::new(
        "classify",
        "//- playbooks/a.yaml\nkind: Playbook\n//- .github/workflows/ci.yml\non: push\njobs: {}\n//- deploy/k8s.yaml\napiVersion: apps/v1\nkind: Deployment\n//- steps/x/manifest.yaml\nkind: Step\n//- broken.yaml\nkind: Trigger\nplaybook: [p\n//- notes.yaml\n# nothing\n",
    );
    let ws = load_workspace_in(&tree.root, &[], CODES).unwrap();
    let kept: Vec<_> = ws
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    let skipped: Vec<_> = ws
        .skipped
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    expect![[r#"
        [
            "broken.yaml",
            "playbooks/a.yaml",
            "steps/x/manifest.yaml",
        ]
    "#]]
    .assert_debug_eq(&kept);
    expect![[r#"
        [
            ".github/workflows/ci.yml",
            "deploy/k8s.yaml",
            "notes.yaml",
        ]
    "#]]
    .assert_debug_eq(&skipped);
}

#[test]
fn library_manifests_are_loaded_but_not_checked() {
    let tree = TempTree::new(
        "checked-files",
        "//- playbook.toml\n[[library]]\nprefix = \"x/\"\npath = \"steps\"\n//- playbooks/a.yaml\nkind: Playbook\n//- steps/s/manifest.yaml\nkind: Step\n",
    );
    let ws = load_workspace_in(&tree.root, &[PathBuf::from("playbooks")], CODES).unwrap();
    let all: Vec<_> = ws.files.iter().map(|f| (&f.path, f.origin)).collect();
    assert_eq!(
        all,
        [
            (&PathBuf::from("playbooks/a.yaml"), Origin::Checked),
            (&PathBuf::from("steps/s/manifest.yaml"), Origin::Library)
        ]
    );
    let checked: Vec<_> = ws.checked_files().map(|f| &f.path).collect();
    assert_eq!(checked, [&PathBuf::from("playbooks/a.yaml")]);
}

/// Every one of the 153 real step manifests is a playbook file (`kind: Step`).
#[test]
fn the_real_step_manifests_are_kept() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let ws = load_workspace_in(&corpus, &[], CODES).unwrap();
    let skipped: Vec<_> = ws.skipped.iter().map(|f| &f.path).collect();
    assert_eq!(skipped, Vec::<&std::path::PathBuf>::new());
    assert_eq!(ws.files.len(), 153);
    assert!(ws.files.iter().all(|f| f.text.is_ok()));
}
