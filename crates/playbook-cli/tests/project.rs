//! End to end, the `playbook` binary on what is and is not a playbook, and on files checked
//! in the context of their project: YAML of other tools is skipped (in a folder, named, or
//! on standard input) and named ones are said to be skipped; a named file or standard input
//! is checked against the rest of its project; a path is one file however it is written; a
//! library is somebody else's code; a missing library folder is reported once; a path that
//! does not exist is an error; and the JSON format carries labels and related locations.

// Test helpers outside `#[test]` functions: unwrapping is how they fail a test.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{run_in, stderr, stdout, temp_dir, write};
use serde_json::Value;

/// The folder of the YAML files of other tools ([`playbook_test_support::other_yaml`]).
fn other_yaml_dir() -> std::path::PathBuf {
    playbook_test_support::workspace_root().join("tests/fixtures/other-yaml")
}

fn other_yaml() -> Vec<String> {
    playbook_test_support::other_yaml()
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// Why a named file is not checked, as printed.
fn skipped(path: &str) -> String {
    format!(
        "note: skipped `{path}`: {}\n",
        playbook_cli::check::NOT_A_PLAYBOOK
    )
}

#[test]
fn other_yaml_named_on_the_command_line_is_skipped_and_said_so() {
    let dir = other_yaml_dir();
    let files = other_yaml();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let output = run_in(&dir, &args, b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    let expected: String = files.iter().map(|f| skipped(f)).collect();
    assert_eq!(stderr(&output), format!("{expected}checked 0 files\n"));
}

#[test]
fn other_yaml_in_a_folder_is_skipped_quietly() {
    let output = run_in(&other_yaml_dir(), &["check", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["files_checked"], 0);
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()));
    assert_eq!(
        stderr(&output),
        "warning: no playbook files found in .\nchecked 0 files\n"
    );
}

#[test]
fn other_yaml_on_standard_input_is_skipped_and_said_so() {
    let dir = other_yaml_dir();
    for file in other_yaml() {
        let text = std::fs::read(dir.join(&file)).unwrap();
        let output = run_in(
            &dir,
            &["check", "--format", "short", "--stdin-filename", &file],
            &text,
        );
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
        assert_eq!(stdout(&output), "", "{file}");
        assert_eq!(
            stderr(&output),
            format!("{}checked 0 files\n", skipped(&file))
        );
    }
}

/// A small project ([`playbook_test_support::REDIS_PROJECT`]): a library with a step, a
/// playbook, a trigger bound to it, a CI workflow.
fn project(name: &str) -> common::TempDir {
    let dir = temp_dir(name);
    playbook_test_support::write_tree(&dir, playbook_test_support::REDIS_PROJECT);
    dir
}

/// The project's playbook, as on disk.
fn redis_latency(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("playbooks/redis-latency.yaml")).unwrap()
}

#[test]
fn a_trigger_named_alone_finds_its_playbook() {
    let dir = project("trigger-alone");
    let output = run_in(&dir, &["check", "triggers/redis-alert.yaml"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
    // From a sub-folder, as a pre-commit hook passing file names from elsewhere would.
    let output = run_in(&dir.join("triggers"), &["check", "redis-alert.yaml"], b"");
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
}

#[test]
fn a_named_file_outside_the_current_folder_is_checked_in_its_project() {
    let dir = project("outside-cwd");
    let elsewhere = temp_dir("outside-cwd-elsewhere");
    let trigger = dir.join("triggers/redis-alert.yaml");
    let output = run_in(
        &elsewhere,
        &["check", "--format", "short", trigger.to_str().unwrap()],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
    // Its problems are reported under its absolute path.
    std::fs::write(&trigger, "kind: Trigger\nplaybook: redis-latencyy\n").unwrap();
    let output = run_in(
        &elsewhere,
        &["check", "--format", "short", trigger.to_str().unwrap()],
        b"",
    );
    let out = stdout(&output);
    assert!(
        out.lines()
            .all(|l| l.starts_with(&format!("{}:", trigger.display()))),
        "{out}"
    );
    assert!(
        out.contains("[PB601] no playbook is named `redis-latencyy`"),
        "{out}"
    );
}

#[test]
fn standard_input_is_not_a_duplicate_of_its_own_file() {
    let dir = project("stdin-self");
    let absolute = dir.join("playbooks/redis-latency.yaml");
    for (cwd, name) in [
        (dir.to_path_buf(), "playbooks/redis-latency.yaml".to_owned()),
        (dir.to_path_buf(), absolute.to_str().unwrap().to_owned()),
        (dir.join("playbooks"), "redis-latency.yaml".to_owned()),
        (
            dir.join("playbooks"),
            "./../playbooks/redis-latency.yaml".to_owned(),
        ),
    ] {
        let output = run_in(
            &cwd,
            &["check", "--format", "short", "--stdin-filename", &name],
            redis_latency(&dir).as_bytes(),
        );
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stdout(&output));
        assert_eq!(stdout(&output), "", "{name}");
        assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
    }
    // The text of standard input is what is checked, under the file's path.
    let edited =
        redis_latency(&dir).replace("  name: redis-latency", "  name: redis-latency\n  nmae: x");
    let output = run_in(
        &dir,
        &[
            "check",
            "--format",
            "short",
            "--stdin-filename",
            absolute.to_str().unwrap(),
        ],
        edited.as_bytes(),
    );
    assert_eq!(
        stdout(&output),
        "playbooks/redis-latency.yaml:5:3: error[PB201] unknown key `nmae` in the playbook's `metadata`\n"
    );
}

#[test]
fn a_file_named_twice_is_reported_once() {
    let dir = project("named-twice");
    write(
        &dir,
        "playbooks/broken.yaml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: broken\n  nmae: x\n",
    );
    let absolute = dir.join("playbooks/broken.yaml");
    let output = run_in(
        &dir,
        &[
            "check",
            "--format",
            "short",
            "playbooks/broken.yaml",
            absolute.to_str().unwrap(),
            "./playbooks/../playbooks/broken.yaml",
            "playbooks",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "playbooks/broken.yaml:5:3: error[PB201] unknown key `nmae` in the playbook's `metadata`\n"
    );
    assert_eq!(stderr(&output), "checked 2 files: 1 error\n");
}

#[test]
fn a_path_that_does_not_exist_is_an_error() {
    let dir = temp_dir("does-not-exist");
    let output = run_in(&dir, &["check", "does-not-exist"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: cannot read `does-not-exist`: no such file or folder\n\
         checked 0 files; 1 path could not be read\n"
    );
}

/// A library whose folder is missing: one PB903 that says where it looked (absolute, as
/// written), and no PB501 for the calls into it.
#[test]
fn a_missing_library_folder_is_reported_once() {
    let dir = temp_dir("missing-library");
    write(
        &dir,
        "playbook.toml",
        b"[[library]]\nprefix = \"registry.example.com/steps/\"\npath = \"steps\"\n\n[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = \"/nonexistent/stackpulse-steps\"\n",
    );
    write(
        &dir,
        "p.yaml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: registry.example.com/steps/redis/info\n  - name: registry.example.com/steps/redis/slowlog\n  - name: us-docker.pkg.dev/stackpulse/public/utils/echo\n",
    );
    let output = run_in(&dir, &["check", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found: Vec<(String, String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (s("code"), s("message"), s("label"), s("help"))
        })
        .collect();
    let root = dir.to_string_lossy();
    assert_eq!(
        found,
        [
            (
                "PB903".to_owned(),
                "library folder `steps` not found".to_owned(),
                format!("no folder {root}/steps"),
                format!(
                    "create the folder, or correct `path`: a relative path is read from the folder of playbook.toml, {root}"
                ),
            ),
            (
                "PB903".to_owned(),
                "library folder `/nonexistent/stackpulse-steps` not found".to_owned(),
                "no folder /nonexistent/stackpulse-steps".to_owned(),
                "create the folder /nonexistent/stackpulse-steps, or correct `path`".to_owned(),
            ),
        ]
    );
    assert_eq!(stderr(&output), "checked 1 file: 2 errors\n");
}

/// The real step library, checked as a folder: its six defects are reported once each, as
/// warnings; loaded as the library of a project, none is reported.
#[test]
fn defects_of_the_real_step_library_are_warnings_reported_once() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let dir = temp_dir("real-library");
    let output = run_in(
        &dir,
        &["check", "--format", "short", corpus.to_str().unwrap()],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let out = stdout(&output);
    let lines: Vec<&str> = out
        .lines()
        .map(|l| l.split_once("stackpulse-steps").map_or(l, |(_, rest)| rest))
        .collect();
    assert_eq!(
        lines,
        [
            "/atlassian/jira/create-issue/manifest.yaml:50:5: warning[PB520] duplicate key `example`",
            "/psql/query/cancel/manifest.yaml:89:11: warning[PB520] input `DOCKER_USE_SUDO` is declared twice",
            "/psql/query/long-running-sessions/manifest.yaml:89:11: warning[PB520] input `DOCKER_USE_SUDO` is declared twice",
            "/psql/query/raw/manifest.yaml:93:11: warning[PB520] input `DOCKER_USE_SUDO` is declared twice",
            "/psql/query/terminate/manifest.yaml:89:11: warning[PB520] input `DOCKER_USE_SUDO` is declared twice",
            "/ssh/command/manifest.yaml:20:14: warning[PB520] the example of input `HOSTNAME` is not a bool",
        ]
    );
    assert_eq!(stderr(&output), "checked 153 files: 6 warnings\n");
    // Turned off in `[severity]`.
    write(
        &dir,
        "playbook.toml",
        format!(
            "[severity]\nmanifest-defect = \"off\"\n\n[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = {:?}\n",
            corpus.to_string_lossy()
        )
        .as_bytes(),
    );
    let output = run_in(
        &dir,
        &["check", "--format", "short", ".", corpus.to_str().unwrap()],
        b"",
    );
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "checked 153 files: no problems found\n");
    // As the library of a project, somebody else's code: a playbook calling a step with a
    // duplicated input is checked, the manifest's defect is not reported.
    write(
        &dir,
        "playbook.toml",
        format!(
            "[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = {:?}\n",
            corpus.to_string_lossy()
        )
        .as_bytes(),
    );
    write(
        &dir,
        "cancel.yaml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: cancel\nsteps:\n  - name: us-docker.pkg.dev/stackpulse/public/psql/query/cancel\n",
    );
    let output = run_in(&dir, &["check", "--format", "short"], b"");
    let out = stdout(&output);
    assert!(
        !out.contains("PB520") && !out.contains("manifest.yaml"),
        "{out}"
    );
    // Each required input once, although the manifest declares one of them twice.
    let mut required: Vec<&str> = out.lines().filter(|l| l.contains("[PB503]")).collect();
    let count = required.len();
    required.dedup();
    assert_eq!(required.len(), count, "{out}");
    assert!(count > 0, "{out}");
}

/// The JSON format carries the label and the related locations, in the file or another.
#[test]
fn json_carries_labels_and_related_locations() {
    let dir = project("json-related");
    write(
        &dir,
        "playbooks/copy.yaml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: redis-latency\n",
    );
    let output = run_in(
        &dir,
        &["check", "--format", "json", "playbooks/copy.yaml"],
        b"",
    );
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["code"], "PB603");
    assert_eq!(diagnostic["label"], "name used twice");
    assert_eq!(
        diagnostic["related"],
        serde_json::json!([{
            "path": "playbooks/redis-latency.yaml",
            "line": 4,
            "column": 9,
            "end_line": 4,
            "end_column": 22,
            "message": "also named here, line 4",
        }])
    );
}
