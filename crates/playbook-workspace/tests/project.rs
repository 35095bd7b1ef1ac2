//! Named files and standard input are checked in the context of their project: the other
//! files of the project are loaded (not reported) so that cross-file facts hold, a file is
//! one file however its path is written, YAML that is not a playbook is skipped even when
//! named, and what is somebody else's code (excluded, or only in a library) is marked so.

#![allow(clippy::unwrap_used)] // Test code: a failed set-up should stop the test.

mod support;

use std::path::{Path, PathBuf};

use expect_test::expect;
use playbook_test_support::REDIS_PROJECT as PROJECT;
use playbook_workspace::{
    Origin, PathStyle, Workspace, analysis_host, load_stdin_workspace_in, load_workspace_in,
    path_key,
};
use support::{CODES, TempTree, render};

fn load(tree: &TempTree, cwd: &str, paths: &[&str]) -> Workspace {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    load_workspace_in(&tree.path(cwd), &paths, CODES).unwrap()
}

/// The codes of the diagnostics of every checked file, as the command line would report
/// them (display paths).
fn checked_codes(ws: &Workspace) -> Vec<(String, Vec<&'static str>)> {
    let host = analysis_host(ws, PathStyle::Display);
    ws.checked_files()
        .map(|file| {
            let key = path_key(&file.path);
            let codes = host.diagnostics(&key).iter().map(|d| d.code.id).collect();
            (key, codes)
        })
        .collect()
}

#[test]
fn a_trigger_named_alone_finds_its_playbook() {
    let tree = TempTree::new("trigger-alone", PROJECT);
    let ws = load(&tree, ".", &["triggers/redis-alert.yaml"]);
    expect![[r#"
        root: <tmp>
        config: playbook.toml
        library: registry.example.com/steps/ -> steps
        context .github/workflows/ci.yaml
        context playbooks/redis-latency.yaml
        library steps/redis/info/manifest.yaml
        checked triggers/redis-alert.yaml
    "#]]
    .assert_eq(&render(&ws, &tree.root));
    // No PB601: the playbook is in the project.
    assert_eq!(
        checked_codes(&ws),
        [("triggers/redis-alert.yaml".to_owned(), vec![])]
    );
}

#[test]
fn a_named_file_outside_the_current_folder_is_checked_in_its_project() {
    let tree = TempTree::new("outside-cwd", &format!("{PROJECT}//- elsewhere/\n"));
    let ws = load(&tree, "elsewhere", &["../triggers/redis-alert.yaml"]);
    assert_eq!(ws.root, tree.root);
    let checked: Vec<&Path> = ws.checked_files().map(|f| f.path.as_path()).collect();
    assert_eq!(checked, [tree.path("triggers/redis-alert.yaml")]);
    assert!(
        ws.files
            .iter()
            .any(|f| f.origin == Origin::Context && f.path.ends_with("redis-latency.yaml"))
    );
    assert_eq!(checked_codes(&ws)[0].1, Vec::<&str>::new());
}

#[test]
fn a_file_named_twice_is_one_file() {
    let tree = TempTree::new("named-twice", PROJECT);
    let absolute = tree.path("playbooks/redis-latency.yaml");
    let ws = load(
        &tree,
        "playbooks",
        &[
            "redis-latency.yaml",
            absolute.to_str().unwrap(),
            "./../playbooks/redis-latency.yaml",
        ],
    );
    let checked: Vec<&Path> = ws.checked_files().map(|f| f.path.as_path()).collect();
    assert_eq!(checked, [Path::new("redis-latency.yaml")]);
    // No PB603: the playbook is not a duplicate of itself.
    assert_eq!(
        checked_codes(&ws),
        [("redis-latency.yaml".to_owned(), vec![])]
    );
}

#[test]
fn standard_input_stands_for_its_file_whether_named_relative_or_absolute() {
    let tree = TempTree::new("stdin", PROJECT);
    let on_disk = std::fs::read_to_string(tree.path("playbooks/redis-latency.yaml")).unwrap();
    let edited = on_disk.replace("Host }}", "Hots }}");
    let absolute = tree.path("playbooks/redis-latency.yaml");
    for name in [
        Path::new("playbooks/redis-latency.yaml"),
        Path::new("./playbooks/../playbooks/redis-latency.yaml"),
        absolute.as_path(),
    ] {
        let ws = load_stdin_workspace_in(&tree.root, name, edited.clone(), CODES).unwrap();
        let same: Vec<_> = ws
            .files
            .iter()
            .filter(|f| f.abs_path == absolute)
            .map(|f| (f.path.as_path(), f.origin, f.text.as_deref().ok()))
            .collect();
        assert_eq!(
            same,
            [(
                Path::new("playbooks/redis-latency.yaml"),
                Origin::Checked,
                Some(edited.as_str())
            )],
            "{name:?}"
        );
        assert_eq!(ws.checked_files().count(), 1, "{name:?}");
        // The edit is seen (PB301, which also names `Host`, now read nowhere), and the
        // playbook is no duplicate of its file (PB603).
        assert_eq!(
            checked_codes(&ws),
            [("playbooks/redis-latency.yaml".to_owned(), vec!["PB301"])],
            "{name:?}"
        );
    }
}

#[test]
fn standard_input_for_a_file_that_does_not_exist_yet() {
    let tree = TempTree::new("stdin-new", PROJECT);
    let text = "apiVersion: stackpulse.io/v1\nkind: Trigger\nplaybook: redis-latency\nmetadata:\n  name: new\n";
    let ws = load_stdin_workspace_in(
        &tree.root,
        Path::new("triggers/new.yaml"),
        text.to_owned(),
        CODES,
    )
    .unwrap();
    assert_eq!(
        checked_codes(&ws),
        [("triggers/new.yaml".to_owned(), vec![])]
    );
}

#[test]
fn yaml_that_is_not_a_playbook_is_skipped_even_when_named() {
    let tree = TempTree::new("named-ci", PROJECT);
    let ws = load(&tree, ".", &[".github/workflows/ci.yaml"]);
    assert_eq!(ws.checked_files().count(), 0);
    let skipped: Vec<_> = ws
        .skipped
        .iter()
        .filter(|f| f.explicit)
        .map(|f| f.path.as_path())
        .collect();
    assert_eq!(skipped, [Path::new(".github/workflows/ci.yaml")]);
    let ws = load_stdin_workspace_in(
        &tree.root,
        Path::new(".github/workflows/ci.yaml"),
        "on: push\njobs: {}\n".to_owned(),
        CODES,
    )
    .unwrap();
    assert_eq!(ws.checked_files().count(), 0);
    assert!(ws.skipped.iter().any(|f| f.explicit));
}

/// A manifest is somebody else's code when it is found only in a library folder, or when
/// it is excluded (even if named); the project's scope says the same of a file opened later.
#[test]
fn library_and_excluded_files_are_somebody_elses_code() {
    let tree = TempTree::new("foreign", PROJECT);
    let ws = load(
        &tree,
        ".",
        &["playbooks", "vendor/steps/slack/post/manifest.yaml"],
    );
    let foreign: Vec<(&Path, Origin, bool)> = ws
        .files
        .iter()
        .map(|f| (f.path.as_path(), f.origin, f.foreign))
        .collect();
    assert_eq!(
        foreign,
        [
            (
                Path::new("playbooks/redis-latency.yaml"),
                Origin::Checked,
                false
            ),
            (
                Path::new("steps/redis/info/manifest.yaml"),
                Origin::Library,
                true
            ),
            (
                Path::new("triggers/redis-alert.yaml"),
                Origin::Context,
                false
            ),
            (
                Path::new("vendor/steps/slack/post/manifest.yaml"),
                Origin::Checked,
                true
            ),
        ]
    );
    // The named, excluded manifest reports no defect; a manifest of the project does.
    assert_eq!(
        checked_codes(&ws),
        [
            ("playbooks/redis-latency.yaml".to_owned(), vec![]),
            ("vendor/steps/slack/post/manifest.yaml".to_owned(), vec![]),
        ]
    );
    let ws = load(&tree, ".", &["steps"]);
    assert_eq!(
        checked_codes(&ws),
        [("steps/redis/info/manifest.yaml".to_owned(), vec!["PB520"])]
    );
    let scope = ws.scope();
    assert!(scope.is_foreign(&tree.path("vendor/steps/slack/post/manifest.yaml")));
    assert!(scope.is_excluded(&tree.path("vendor/anything.yaml")));
    assert!(!scope.is_foreign(&tree.path("steps/redis/info/manifest.yaml")));
    assert!(!scope.is_foreign(&tree.path("playbooks/new.yaml")));
}

/// A library outside the project is somebody else's code wherever it is opened from.
#[test]
fn a_library_outside_the_project_is_somebody_elses_code() {
    let tree = TempTree::new(
        "outside-library",
        "//- project/playbook.toml\n[[library]]\nprefix = \"r.io/\"\npath = \"../lib\"\n//- lib/x/manifest.yaml\nkind: Step\n//- project/p.yaml\nkind: Playbook\n",
    );
    let ws = load(&tree, "project", &[]);
    let scope = ws.scope();
    assert!(scope.is_foreign(&tree.path("lib/x/manifest.yaml")));
    assert!(!scope.is_foreign(&tree.path("project/p.yaml")));
    let lib: Vec<bool> = ws
        .files
        .iter()
        .filter(|f| f.origin == Origin::Library)
        .map(|f| f.foreign)
        .collect();
    assert_eq!(lib, [true]);
}

/// A missing library folder is reported once, with the folder looked for, absolute; the
/// library is marked missing for the database.
#[test]
fn a_missing_library_says_where_it_looked() {
    let tree = TempTree::new(
        "missing-library",
        "//- playbook.toml\n[[library]]\nprefix = \"a.io/\"\npath = \"steps\"\n[[library]]\nprefix = \"b.io/\"\npath = \"/nonexistent/playbook-steps\"\n//- sub/\n",
    );
    let ws = load(&tree, "sub", &[]);
    let missing: Vec<bool> = ws.libraries.iter().map(|l| l.missing).collect();
    assert_eq!(missing, [true, true]);
    let config = ws.config_file.unwrap();
    let shown: Vec<String> = config
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} [{}] (help: {})",
                d.message,
                d.label.as_deref().unwrap_or_default(),
                d.help.as_deref().unwrap_or_default()
            )
            .replace(&tree.root.to_string_lossy().into_owned(), "<tmp>")
        })
        .collect();
    expect![[r#"
        [
            "library folder `steps` not found [no folder <tmp>/steps] (help: create the folder, or correct `path`: a relative path is read from the folder of playbook.toml, <tmp>)",
            "library folder `/nonexistent/playbook-steps` not found [no folder /nonexistent/playbook-steps] (help: create the folder /nonexistent/playbook-steps, or correct `path`)",
        ]
    "#]]
    .assert_debug_eq(&shown);
}
