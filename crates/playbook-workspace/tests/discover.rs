//! Discovery on real folder trees: where the configuration is found, which files are walked
//! (`.gitignore`, `exclude`, library folders) and how unreadable files are reported. The
//! rendering lists kept and skipped files alike, so these tests do not depend on the YAML
//! parser (classification is tested in `classify.rs`).

#![allow(clippy::unwrap_used)] // Test code: a failed set-up should stop the test.

mod support;

use std::path::PathBuf;

use expect_test::expect;
use playbook_workspace::{LoadError, Origin, ReadError, find_config, load_workspace_in};
use support::{CODES, PLAYBOOK, TempTree, render};

fn load(tree: &TempTree, cwd: &str, paths: &[&str]) -> String {
    let cwd = tree.path(cwd);
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let ws = load_workspace_in(&cwd, &paths, CODES).unwrap();
    render(&ws, &tree.root)
}

#[test]
fn config_is_found_by_walking_up() {
    let tree = TempTree::new(
        "walk-up",
        &format!(
            "//- playbook.toml\nexclude = []\n//- playbooks/team/a.yaml\n{PLAYBOOK}//- playbooks/team/b.yml\n{PLAYBOOK}//- playbooks/team/notes.txt\nnot yaml\n"
        ),
    );
    let config = tree.path("playbook.toml");
    assert_eq!(
        find_config(&tree.path("playbooks/team")),
        Some(config.clone())
    );
    assert_eq!(
        find_config(&tree.path("playbooks/team/a.yaml")),
        Some(config.clone())
    );
    assert_eq!(find_config(&tree.root), Some(config));

    // Display paths are relative to the current directory when under it.
    expect![[r#"
        root: <tmp>
        config: playbook.toml
        checked playbooks/team/a.yaml
        checked playbooks/team/b.yml
    "#]]
    .assert_eq(&load(&tree, ".", &["playbooks/team"]));
    // From a sub-folder the configuration above is displayed with its absolute path.
    expect![[r#"
        root: <tmp>
        config: <tmp>/playbook.toml
        checked a.yaml
        checked b.yml
    "#]]
    .assert_eq(&load(&tree, "playbooks/team", &[]));
    // `./` and `..` in the given paths are resolved lexically.
    expect![[r#"
        root: <tmp>
        config: <tmp>/playbook.toml
        checked a.yaml
        context b.yml
    "#]]
    .assert_eq(&load(&tree, "playbooks/team", &["./../team/a.yaml"]));
}

#[test]
fn the_first_config_up_the_tree_wins() {
    let tree = TempTree::new(
        "nearest",
        &format!(
            "//- playbook.toml\nexclude = [\"**\"]\n//- team/playbook.toml\n//- team/a.yaml\n{PLAYBOOK}"
        ),
    );
    assert_eq!(
        find_config(&tree.path("team/a.yaml")),
        Some(tree.path("team/playbook.toml"))
    );
    expect![[r#"
        root: <tmp>/team
        config: team/playbook.toml
        checked team/a.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &["team"]));
}

/// Without `playbook.toml`, the project of a checked path is the current folder, when the
/// path is in it; the files of the current folder outside the checked paths are context.
#[test]
fn without_config_the_current_folder_is_the_root() {
    let tree = TempTree::new(
        "no-config",
        &format!(
            "//- repo/sub/a.yaml\n{PLAYBOOK}//- repo/b.yaml\n{PLAYBOOK}//- other/c.yaml\n{PLAYBOOK}"
        ),
    );
    // The temporary folder has no playbook.toml above it.
    assert_eq!(find_config(&tree.path("repo/sub")), None);
    expect![[r#"
        root: <tmp>
        context other/c.yaml
        checked repo/b.yaml
        checked repo/sub/a.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &["repo"]));
    expect![[r#"
        root: <tmp>
        context other/c.yaml
        context repo/b.yaml
        checked repo/sub/a.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &["repo/sub/a.yaml"]));
    // A path outside the current folder: its own folder is the project, not the current one.
    expect![[r#"
        root: <tmp>/other
        checked <tmp>/other/c.yaml
    "#]]
    .assert_eq(&load(&tree, "repo/sub", &["../../other/c.yaml"]));
    let ws = load_workspace_in(&tree.path("repo"), &[], CODES).unwrap();
    assert_eq!(ws.config, Default::default());
    assert_eq!(ws.config_file, None);
}

/// `.gitignore` files are honoured without a `.git` folder (`require_git(false)`): a playbook
/// folder outside a repository is walked as it would be inside one. Hidden folders are walked;
/// `.git` is not.
#[test]
fn gitignore_is_honoured_and_git_is_skipped() {
    let tree = TempTree::new(
        "gitignore",
        &format!(
            "//- .gitignore\ngenerated/\n*.tmp.yaml\n//- a.yaml\n{PLAYBOOK}//- b.tmp.yaml\n{PLAYBOOK}//- generated/c.yaml\n{PLAYBOOK}//- sub/.gitignore\nlocal.yaml\n//- sub/local.yaml\n{PLAYBOOK}//- sub/d.yaml\n{PLAYBOOK}//- .git/e.yaml\n{PLAYBOOK}//- .github/workflows/ci.yml\non: push\n"
        ),
    );
    expect![[r#"
        root: <tmp>
        checked .github/workflows/ci.yml
        checked a.yaml
        checked sub/d.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &[]));
    // A file named explicitly is read even when ignored.
    expect![[r#"
        root: <tmp>
        context .github/workflows/ci.yml
        context a.yaml
        checked b.tmp.yaml
        context sub/d.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &["b.tmp.yaml"]));
}

#[test]
fn gitignore_is_honoured_inside_a_repository() {
    let tree = TempTree::new(
        "git-repo",
        &format!(
            "//- .git/HEAD\nref: refs/heads/main\n//- .gitignore\nout/\n//- out/a.yaml\n{PLAYBOOK}//- b.yaml\n{PLAYBOOK}"
        ),
    );
    expect![[r#"
        root: <tmp>
        checked b.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &[]));
}

#[test]
fn exclude_globs_are_honoured() {
    let tree = TempTree::new(
        "exclude",
        &format!(
            "//- playbook.toml\nexclude = [\"vendor/**\", \"*.draft.yaml\", \"docs\", \"./old/*.yml\"]\n//- a.yaml\n{PLAYBOOK}//- a.draft.yaml\n{PLAYBOOK}//- sub/b.draft.yaml\n{PLAYBOOK}//- vendor/x/c.yaml\n{PLAYBOOK}//- docs/d.yaml\n{PLAYBOOK}//- old/e.yml\n{PLAYBOOK}//- old/deeper/f.yml\n{PLAYBOOK}"
        ),
    );
    // `*` does not cross `/`: `*.draft.yaml` is only the top folder's drafts.
    expect![[r#"
        root: <tmp>
        config: playbook.toml
        checked a.yaml
        checked old/deeper/f.yml
        checked sub/b.draft.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &[]));
    // Globs are relative to playbook.toml, not to the current directory, and a file named
    // explicitly is checked even when excluded.
    expect![[r#"
        root: <tmp>
        config: <tmp>/playbook.toml
        context <tmp>/a.yaml
        context <tmp>/old/deeper/f.yml
        context <tmp>/sub/b.draft.yaml
        checked c.yaml
    "#]]
    .assert_eq(&load(&tree, "vendor/x", &[".", "c.yaml"]));
}

#[test]
fn library_folders_are_included() {
    let tree = TempTree::new(
        "libraries",
        &format!(
            r#"//- playbook.toml
exclude = ["vendor/**"]

[[library]]
prefix = "us-docker.pkg.dev/stackpulse/public/"
path = "steps"

[[library]]
prefix = "example.com/vendored/"
path = "vendor/steps"

[[library]]
prefix = "example.com/checked/"
path = "playbooks/own-steps"

[[library]]
prefix = "example.com/missing/"
path = "nowhere"
//- playbooks/a.yaml
{PLAYBOOK}//- playbooks/own-steps/x/manifest.yaml
kind: Step
//- steps/redis/info/manifest.yaml
kind: Step
//- steps/redis/info/example.yaml
{PLAYBOOK}//- steps/redis/info/README.md
text
//- vendor/steps/slack/post/manifest.yml
kind: Step
"#
        ),
    );
    // Library folders are walked even outside the checked paths (`steps`) or excluded
    // (`vendor/steps`), for manifests only; a manifest under a checked path is checked.
    expect![[r#"
        root: <tmp>
        config: playbook.toml
          17:8 PB903 library folder `nowhere` not found [no folder <tmp>/nowhere]
        library: us-docker.pkg.dev/stackpulse/public/ -> steps
        library: example.com/vendored/ -> vendor/steps
        library: example.com/checked/ -> playbooks/own-steps
        library: example.com/missing/ -> nowhere
        checked playbooks/a.yaml
        checked playbooks/own-steps/x/manifest.yaml
        context steps/redis/info/example.yaml
        library steps/redis/info/manifest.yaml
        library vendor/steps/slack/post/manifest.yml
    "#]]
    .assert_eq(&load(&tree, ".", &["playbooks"]));
    // Library folders share the display namespace of the files.
    expect![[r#"
        root: <tmp>
        config: <tmp>/playbook.toml
          17:8 PB903 library folder `nowhere` not found [no folder <tmp>/nowhere]
        library: us-docker.pkg.dev/stackpulse/public/ -> <tmp>/steps
        library: example.com/vendored/ -> <tmp>/vendor/steps
        library: example.com/checked/ -> own-steps
        library: example.com/missing/ -> <tmp>/nowhere
        context <tmp>/steps/redis/info/example.yaml
        library <tmp>/steps/redis/info/manifest.yaml
        library <tmp>/vendor/steps/slack/post/manifest.yml
        checked a.yaml
        checked own-steps/x/manifest.yaml
    "#]]
    .assert_eq(&load(&tree, "playbooks", &[]));

    let ws = load_workspace_in(&tree.path("playbooks"), &[], CODES).unwrap();
    let dirs: Vec<_> = ws.library_dirs().collect();
    assert_eq!(
        dirs[2],
        ("example.com/checked/", std::path::Path::new("own-steps"))
    );
}

#[test]
fn each_file_is_listed_once() {
    let tree = TempTree::new(
        "dedup",
        &format!("//- a.yaml\n{PLAYBOOK}//- sub/b.yaml\n{PLAYBOOK}"),
    );
    expect![[r#"
        root: <tmp>
        checked a.yaml
        checked sub/b.yaml
    "#]]
    .assert_eq(&load(
        &tree,
        ".",
        &[".", "a.yaml", "./sub", "sub/b.yaml", "sub/../a.yaml"],
    ));
}

#[test]
fn read_errors_are_reported_and_the_walk_goes_on() {
    let tree = TempTree::new(
        "read-errors",
        &format!("//- a.yaml\n{PLAYBOOK}//- z.yaml\n{PLAYBOOK}"),
    );
    tree.write_bytes("latin1.yaml", b"kind: Playbook\nname: caf\xe9\n");
    tree.write_bytes(
        "sub/emoji.yaml",
        &[b"kind: Step\n# \xf0\x9f\x98\x80 \xc3\xa9", &b"\xff\n"[..]].concat(),
    );
    // A sparse file just over 4 GiB: its size is checked before anything is read.
    let huge = std::fs::File::create(tree.path("huge.yaml")).unwrap();
    huge.set_len(u64::from(u32::MAX) + 1).unwrap();
    drop(huge);
    expect![[r#"
        root: <tmp>
        checked a.yaml
        checked huge.yaml: file too large: 4294967296 bytes, more than the 4 GiB playbook can read
        checked latin1.yaml: not a UTF-8 text file: invalid byte at line 2, column 10
        checked missing: no such file or folder
        checked sub/emoji.yaml: not a UTF-8 text file: invalid byte at line 2, column 6
        checked z.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &[".", "missing"]));

    // Files of the project found for context are not checked: their problems are not
    // reported.
    let ws = load_workspace_in(&tree.root, &[PathBuf::from("latin1.yaml")], CODES).unwrap();
    let checked: Vec<_> = ws.checked_files().collect();
    let [file] = checked.as_slice() else {
        panic!("{ws:?}")
    };
    assert_eq!(file.origin, Origin::Checked);
    assert_eq!(
        file.text,
        Err(ReadError::NotUtf8 {
            line: 2,
            column: 10,
            offset: 24
        })
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_not_read() {
    let tree = TempTree::new("fifo", &format!("//- a.yaml\n{PLAYBOOK}"));
    let fifo = tree.path("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Found by the walk: not a regular file, skipped without being opened.
    expect![[r#"
        root: <tmp>
        checked a.yaml
    "#]]
    .assert_eq(&load(&tree, ".", &[]));
    // Named explicitly: reported.
    expect![[r#"
        root: <tmp>
        checked a.yaml
        checked pipe.yaml: not a regular file or folder
    "#]]
    .assert_eq(&load(&tree, ".", &["pipe.yaml", "a.yaml"]));
}

#[test]
fn an_unreadable_config_stops_the_load() {
    let tree = TempTree::new("bad-config", &format!("//- a.yaml\n{PLAYBOOK}"));
    tree.write_bytes("playbook.toml", b"exclude = [\"\xff\"]\n");
    let error = load_workspace_in(&tree.root, &[], CODES).unwrap_err();
    assert!(matches!(
        &error,
        LoadError::Config {
            error: ReadError::NotUtf8 {
                line: 1,
                column: 13,
                ..
            },
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "cannot read playbook.toml: not a UTF-8 text file: invalid byte at line 1, column 13"
    );
}

#[test]
fn config_diagnostics_are_kept() {
    let tree = TempTree::new(
        "config-diagnostics",
        "//- playbook.toml\nexlude = []\n[severity]\nunused-parameter = \"of\"\n",
    );
    expect![[r#"
        root: <tmp>
        config: playbook.toml
          1:1 PB902 unknown setting `exlude` [did you mean `exclude`?]
          3:20 PB903 unknown severity level `of` [not a severity level]
    "#]]
    .assert_eq(&load(&tree, ".", &[]));
}

/// The real library of 153 step manifests, as a library folder outside the checked path.
#[test]
fn the_real_step_library_is_found() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let tree = TempTree::new(
        "corpus",
        &format!(
            "//- playbook.toml\n[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = {:?}\n//- a.yaml\n{PLAYBOOK}",
            corpus.to_string_lossy()
        ),
    );
    let ws = load_workspace_in(&tree.root, &[], CODES).unwrap();
    let library_files: Vec<_> = ws
        .files
        .iter()
        .map(|f| (&f.path, f.origin, f.text.is_ok()))
        .chain(ws.skipped.iter().map(|f| (&f.path, f.origin, true)))
        .filter(|(_, origin, _)| *origin == Origin::Library)
        .collect();
    assert_eq!(library_files.len(), 153);
    let dir = &ws.libraries[0].dir;
    assert!(
        library_files
            .iter()
            .all(|(path, _, ok)| *ok && path.starts_with(dir) && path.ends_with("manifest.yaml"))
    );
    assert_eq!(
        std::fs::canonicalize(dir).unwrap(),
        std::fs::canonicalize(&corpus).unwrap()
    );
}
