//! End-to-end tests of `playbook fmt`: in place, `--check`, `--diff`, standard input, the
//! discovery shared with `playbook check`, the `[format]` settings, files with syntax errors,
//! atomic writes that keep permissions, and the exit codes.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{run, run_in, stderr, stdout, temp_dir, write};

const UNFORMATTED: &str = "apiVersion: stackpulse.io/v1\nkind:   Playbook\nmetadata:\n    name: a   # the name\nsteps:\n- name: x\n  env: {A: 1,B: 2}\n";
const FORMATTED: &str = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: a # the name\nsteps:\n  - name: x\n    env: {A: 1, B: 2}\n";

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn modified(dir: &Path, name: &str) -> std::time::SystemTime {
    std::fs::metadata(dir.join(name))
        .unwrap()
        .modified()
        .unwrap()
}

#[test]
fn formats_in_place_and_leaves_formatted_files_alone() {
    let dir = temp_dir("fmt-in-place");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    write(&dir, "sub/b.yaml", FORMATTED.as_bytes());
    let before = modified(&dir, "sub/b.yaml");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = run_in(&dir, &["fmt"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "formatted 1 file, 1 already formatted\n");
    assert_eq!(read(&dir, "a.yaml"), FORMATTED);
    assert_eq!(read(&dir, "sub/b.yaml"), FORMATTED);
    assert_eq!(
        modified(&dir, "sub/b.yaml"),
        before,
        "a formatted file is not written"
    );
    // No temporary file is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.yaml", "sub"]);
    // A second run changes nothing.
    let output = run_in(&dir, &["fmt"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "2 files already formatted\n");
}

#[test]
fn check_lists_the_files_and_writes_nothing() {
    let dir = temp_dir("fmt-check");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    write(&dir, "b.yaml", FORMATTED.as_bytes());
    let output = run_in(&dir, &["fmt", "--check"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "would reformat: a.yaml\n");
    assert_eq!(
        stderr(&output),
        "1 file would be reformatted, 1 already formatted\n"
    );
    assert_eq!(read(&dir, "a.yaml"), UNFORMATTED);
    let output = run_in(&dir, &["fmt", "--check", "b.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = temp_dir("fmt-diff");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    let output = run_in(&dir, &["fmt", "--diff"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "--- a.yaml\n+++ a.yaml\n@@ -1,7 +1,7 @@\n apiVersion: stackpulse.io/v1\n-kind:   Playbook\n+kind: Playbook\n metadata:\n-    name: a   # the name\n+  name: a # the name\n steps:\n-- name: x\n-  env: {A: 1,B: 2}\n+  - name: x\n+    env: {A: 1, B: 2}\n"
    );
    assert_eq!(read(&dir, "a.yaml"), UNFORMATTED);
    // With --check too, the diff stays alone on standard output.
    let output = run_in(&dir, &["fmt", "--diff", "--check"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("--- a.yaml\n"));
    assert!(stderr(&output).starts_with("would reformat: a.yaml\n"));
}

#[test]
fn standard_input_to_standard_output_with_the_settings_of_its_project() {
    let dir = temp_dir("fmt-stdin");
    write(
        &dir,
        "playbook.toml",
        b"[format]\nindent = 4\nindent-sequences = false\n",
    );
    let output = run_in(
        &dir,
        &["fmt", "--stdin-filename", "sub/new.yaml"],
        UNFORMATTED.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n    name: a # the name\nsteps:\n- name: x\n  env: {A: 1, B: 2}\n"
    );
    assert_eq!(stderr(&output), "");
    // Formatted already: the same text back.
    let output = run_in(
        &dir,
        &["fmt", "--stdin-filename", "x.yaml"],
        stdout(&output).as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("apiVersion"));
    // --check: nothing on standard output, exit 1 when it would change.
    let output = run_in(
        &dir,
        &["fmt", "--check", "--stdin-filename", "x.yaml"],
        UNFORMATTED.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "would reformat: x.yaml\n");
    // Other YAML comes back as it is.
    let workflow = "on:    push\njobs: {}\n";
    let output = run_in(
        &dir,
        &["fmt", "--stdin-filename", ".github/workflows/ci.yaml"],
        workflow.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), workflow);
    assert!(
        stderr(&output)
            .starts_with("note: skipped `.github/workflows/ci.yaml`: not a playbook file")
    );
}

#[test]
fn syntax_errors_are_reported_and_the_file_left_alone() {
    let dir = temp_dir("fmt-syntax");
    let broken = "apiVersion: stackpulse.io/v1\nkind: Playbook\nsteps:\n    - env: {A: 1\n";
    write(&dir, "broken.yaml", broken.as_bytes());
    write(&dir, "ok.yaml", UNFORMATTED.as_bytes());
    let output = run_in(&dir, &["fmt", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("PB"), "diagnostics are printed: {err}");
    assert!(err.contains("broken.yaml:4"), "{err}");
    assert!(
        err.contains(
            "error: `broken.yaml` not formatted: 1 YAML syntax error; it was left as it is\n"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("formatted 1 file, 1 file not formatted (errors)\n"),
        "{err}"
    );
    assert_eq!(read(&dir, "broken.yaml"), broken);
    assert_eq!(
        read(&dir, "ok.yaml"),
        FORMATTED,
        "the other files are formatted"
    );
    // From standard input: nothing on standard output.
    let output = run_in(
        &dir,
        &["fmt", "--stdin-filename", "b.yaml"],
        broken.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
}

#[test]
fn discovery_and_exclude_are_those_of_check() {
    let dir = temp_dir("fmt-discovery");
    write(&dir, "playbook.toml", b"exclude = [\"vendor/**\"]\n");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    write(&dir, "vendor/v.yaml", UNFORMATTED.as_bytes());
    write(&dir, ".gitignore", b"ignored/\n");
    write(&dir, "ignored/i.yaml", UNFORMATTED.as_bytes());
    // Not a playbook file: a CI workflow is never touched.
    let workflow = "on:    push\njobs: {}\n";
    write(&dir, ".github/workflows/ci.yaml", workflow.as_bytes());
    let output = run_in(&dir, &["fmt"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "formatted 1 file\n");
    assert_eq!(read(&dir, "a.yaml"), FORMATTED);
    assert_eq!(read(&dir, "vendor/v.yaml"), UNFORMATTED);
    assert_eq!(read(&dir, "ignored/i.yaml"), UNFORMATTED);
    assert_eq!(read(&dir, ".github/workflows/ci.yaml"), workflow);
    // A file named explicitly is formatted even when excluded; a named non-playbook file is
    // skipped with a note.
    let output = run_in(
        &dir,
        &["fmt", "vendor/v.yaml", ".github/workflows/ci.yaml"],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .starts_with("note: skipped `.github/workflows/ci.yaml`: not a playbook file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(read(&dir, "vendor/v.yaml"), FORMATTED);
}

#[test]
fn invalid_format_settings_stop_the_run() {
    let dir = temp_dir("fmt-config");
    write(&dir, "playbook.toml", b"[format]\nindent = 3\n");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    let output = run_in(&dir, &["fmt", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("unsupported indentation `3`"), "{err}");
    assert!(err.contains("nothing was formatted"), "{err}");
    assert_eq!(read(&dir, "a.yaml"), UNFORMATTED);
    // A problem outside [format] does not concern the formatter.
    write(
        &dir,
        "playbook.toml",
        b"exlude = []\n[format]\nindent = 4\n",
    );
    let output = run_in(&dir, &["fmt"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(read(&dir, "a.yaml").contains("\n    name: a # the name\n"));
}

#[test]
fn io_failures_and_usage_errors_exit_2() {
    let dir = temp_dir("fmt-io");
    write(&dir, "a.yaml", UNFORMATTED.as_bytes());
    let output = run_in(&dir, &["fmt", "missing.yaml", "a.yaml"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: cannot read `missing.yaml`: no such file or folder\n\
         formatted 1 file, 1 path could not be read or written\n"
    );
    assert_eq!(read(&dir, "a.yaml"), FORMATTED);
    for args in [
        &["fmt", "--stdin-filename", "a.yaml", "b.yaml"][..],
        &["fmt", "--bogus"],
        &["fmt", "--color", "sometimes"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn permissions_and_line_endings_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("fmt-permissions");
    let crlf = UNFORMATTED.replace('\n', "\r\n");
    let path = write(&dir, "a.yaml", crlf.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = run_in(&dir, &["fmt"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(&dir, "a.yaml"), FORMATTED.replace('\n', "\r\n"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn help_shows_fmt() {
    let help = stdout(&run(&["--help"]));
    assert!(help.contains("fmt"), "{help}");
    let help = stdout(&run(&["fmt", "--help"]));
    for word in [
        "[PATHS]",
        "--check",
        "--diff",
        "--stdin-filename",
        "Exit codes",
    ] {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
}

#[test]
fn the_examples_are_formatted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = run_in(&root, &["fmt", "--check", "playbooks"], b"");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}
