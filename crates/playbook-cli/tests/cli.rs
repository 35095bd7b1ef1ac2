//! End-to-end tests of the `playbook` binary that hold with any parser behind it: arguments,
//! exit codes, I/O errors, file discovery, output shapes and the debug views.
//!
//! Tests that need the real YAML and template parsers are in `cli_diagnostics.rs`.

mod common;

use common::{run, run_in, stderr, stdout, temp_dir, write};

#[test]
fn version() {
    let output = run(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "playbook 0.1.0\n");
}

#[test]
fn help_lists_every_command_and_option() {
    let output = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for word in [
        "check",
        "debug",
        "debug tree",
        "debug events",
        "debug templates",
        "--version",
        "Exit codes",
    ] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let help = stdout(&run(&["check", "--help"]));
    for word in [
        "[PATHS]",
        "--format",
        "human",
        "short",
        "--stdin-filename",
        "--color",
    ] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let help = stdout(&run(&["debug", "--help"]));
    for word in ["tree", "events", "templates"] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["bogus"][..],
        &["check", "--format", "xml"],
        &["check", "--stdin-filename", "a.yaml", "b.yaml"],
        &["debug", "tree"],
        &[],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).is_empty(), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
}

const PLAYBOOK: &[u8] = b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: ok\n";

#[test]
fn clean_file_exits_0() {
    let dir = temp_dir("clean");
    write(&dir, "ok.yaml", PLAYBOOK);
    let output = run_in(&dir, &["check", "ok.yaml"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
}

#[test]
fn folders_are_walked_and_other_yaml_skipped() {
    let dir = temp_dir("walk");
    write(&dir, "a.yaml", PLAYBOOK);
    write(
        &dir,
        "sub/b.yml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: b\n",
    );
    write(&dir, "readme.md", b"\xff not yaml, not read\n");
    // Not playbook files: a CI workflow, a Kubernetes manifest; `.git` is never read.
    write(&dir, ".github/workflows/ci.yaml", b"on: push\njobs: {}\n");
    write(
        &dir,
        "k8s/deploy.yaml",
        b"apiVersion: apps/v1\nkind: Deployment\n",
    );
    write(&dir, ".git/bad.yaml", b"\xff\n");
    let output = run_in(&dir, &["check"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "checked 2 files: no problems found\n");
    let output = run_in(&dir, &["check", ".", "sub"], b"");
    assert_eq!(stderr(&output), "checked 2 files: no problems found\n");
}

#[test]
fn gitignored_files_are_skipped() {
    let dir = temp_dir("gitignore");
    write(&dir, "a.yaml", PLAYBOOK);
    write(&dir, ".gitignore", b"vendor/\n");
    write(&dir, "vendor/bad.yaml", b"\xff\n");
    let output = run_in(&dir, &["check"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
}

#[test]
fn an_empty_folder_is_reported() {
    let dir = temp_dir("empty");
    let output = run_in(&dir, &["check"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "warning: no playbook files found in .\nchecked 0 files\n"
    );
}

#[test]
fn missing_file_exits_2_and_the_other_files_are_checked() {
    let dir = temp_dir("missing");
    write(&dir, "ok.yaml", PLAYBOOK);
    let output = run_in(&dir, &["check", "missing.yaml", "ok.yaml"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: cannot read `missing.yaml`: no such file or folder\n\
         checked 1 file: no problems found; 1 path could not be read\n"
    );
}

#[test]
fn non_utf8_file_exits_2() {
    let dir = temp_dir("utf8");
    write(&dir, "x.yaml", b"a: 1\nb: \xc3\xa9\xfe\n");
    write(&dir, "y.yaml", PLAYBOOK);
    let output = run_in(&dir, &["check"], b"");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "error: cannot read `x.yaml`: not a UTF-8 text file: invalid byte at line 2, column 5\n"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("checked 1 file: no problems found; 1 path could not be read\n"),
        "{err}"
    );
}

#[test]
fn files_over_4_gib_are_refused() {
    let dir = temp_dir("large");
    let file = std::fs::File::create(dir.join("huge.yaml")).unwrap();
    // A sparse file: no disk space is used.
    file.set_len(5 << 30).unwrap();
    let output = run_in(&dir, &["check", "huge.yaml"], b"");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: cannot read `huge.yaml`: file too large: 5368709120 bytes"),
        "{err}"
    );
}

#[test]
fn short_format_on_a_clean_file_prints_only_the_summary() {
    let dir = temp_dir("short");
    write(&dir, "ok.yaml", PLAYBOOK);
    let output = run_in(&dir, &["check", "--format", "short", "ok.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");
}

#[test]
fn stdin_is_checked_under_the_given_name() {
    let dir = temp_dir("stdin");
    let output = run_in(&dir, &["check", "--stdin-filename", "in.yaml"], PLAYBOOK);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "checked 1 file: no problems found\n");

    let output = run_in(
        &dir,
        &["check", "--stdin-filename", "in.yaml"],
        b"a: \xff\n",
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `in.yaml` is not valid UTF-8 (invalid byte at line 1, column 4)\n"
    );
}

#[test]
fn debug_tree() {
    let dir = temp_dir("tree");
    write(&dir, "t.yaml", b"a: 1\n");
    let output = run_in(&dir, &["debug", "tree", "t.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("ROOT@0..5\n"),
        "{}",
        stdout(&output)
    );

    let output = run_in(&dir, &["debug", "tree", "nope.yaml"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: cannot read `nope.yaml`: No such file or directory (os error 2)\n"
    );
}

#[test]
fn debug_reads_standard_input_for_a_dash() {
    let dir = temp_dir("debug-stdin");
    let output = run_in(&dir, &["debug", "tree", "-"], b"a: 1\n");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).starts_with("ROOT@0..5\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn debug_events() {
    let dir = temp_dir("events");
    write(&dir, "e.yaml", b"a: 1\n");
    let output = run_in(&dir, &["debug", "events", "e.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    let events = stdout(&output);
    assert!(events.starts_with("+STR\n"), "{events}");
    assert!(events.ends_with("-STR\n"), "{events}");
}

#[test]
fn debug_templates_without_templates_prints_nothing() {
    let dir = temp_dir("no-templates");
    write(&dir, "n.yaml", b"a: 1\nb: [c, '{ not }']\n");
    let output = run_in(&dir, &["debug", "templates", "n.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}
