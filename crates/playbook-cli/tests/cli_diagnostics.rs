//! End-to-end tests of the `playbook` binary that need the real YAML parser
//! (`playbook-syntax`) and template parser (`playbook-template`): they fail against the
//! placeholder parsers and pass once those land.

mod common;

use common::{run_in, stderr, stdout, temp_dir, write};

/// A playbook whose description is a double-quoted string never closed (PB005, line 5).
const UNTERMINATED: &[u8] =
    b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n  description: \"unterminated\n";

#[test]
fn unterminated_string_is_an_error() {
    let dir = temp_dir("unterminated");
    write(&dir, "bad.yaml", UNTERMINATED);
    let output = run_in(&dir, &["check", "bad.yaml"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("error[PB005]: "), "{out}");
    assert!(out.contains("bad.yaml:5:"), "{out}");
    let err = stderr(&output);
    assert!(err.starts_with("checked 1 file: "), "{err}");
    assert!(err.contains(" error"), "{err}");
    assert!(!out.contains('\x1b'), "no colours when piped: {out:?}");
}

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let dir = temp_dir("short-shape");
    write(&dir, "bad.yaml", UNTERMINATED);
    let output = run_in(&dir, &["check", "--format", "short", "bad.yaml"], b"");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(!out.is_empty());
    for line in out.lines() {
        // path:line:col: severity[CODE] message
        let mut parts = line.splitn(4, ':');
        assert_eq!(parts.next(), Some("bad.yaml"), "{line}");
        let line_no: u32 = parts.next().unwrap().parse().unwrap();
        let col: u32 = parts.next().unwrap().parse().unwrap();
        assert!(line_no >= 1 && col >= 1, "{line}");
        let rest = parts.next().unwrap();
        assert!(rest.starts_with(" error[PB0"), "{line}");
    }
    assert!(out.contains("] "), "{out}");
    assert!(out.contains("error[PB005] "), "{out}");
}

#[test]
fn stdin_diagnostics_use_the_given_name() {
    let dir = temp_dir("stdin-diag");
    let output = run_in(
        &dir,
        &["check", "--format", "short", "--stdin-filename", "in.yaml"],
        UNTERMINATED,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("in.yaml:5:"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn colour_always_colours() {
    let dir = temp_dir("colour");
    write(&dir, "bad.yaml", UNTERMINATED);
    let output = run_in(&dir, &["check", "--color", "always", "bad.yaml"], b"");
    assert!(stdout(&output).contains("\x1b["), "{}", stdout(&output));
}

#[test]
fn template_syntax_error_is_reported() {
    let dir = temp_dir("template-error");
    write(
        &dir,
        "t.yaml",
        b"apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n  description: \"{{ if .a }}\"\n",
    );
    let output = run_in(&dir, &["check", "--format", "short", "t.yaml"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("PB104"), "{out}");
    assert!(out.starts_with("t.yaml:5:"), "{out}");
}

#[test]
fn debug_templates_prints_actions_at_their_source_position() {
    let dir = temp_dir("debug-templates");
    write(&dir, "t.yaml", b"x: \"{{ .a }}\"\n");
    let output = run_in(&dir, &["debug", "templates", "t.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    let line = out.lines().next().unwrap_or_default();
    assert!(line.starts_with("1:5  "), "{out}");
    let form = &line["1:5  ".len()..];
    assert!(form.contains('a') && form != "(action)", "{out}");
}

#[test]
fn debug_templates_maps_through_escapes_and_block_scalars() {
    let dir = temp_dir("debug-templates-map");
    write(
        &dir,
        "t.yaml",
        b"x: \"\\t{{ .a }}\"\ny: |\n  text {{ .b }}\n",
    );
    let output = run_in(&dir, &["debug", "templates", "t.yaml"], b"");
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    let starts: Vec<&str> = out.lines().filter_map(|l| l.split("  ").next()).collect();
    assert_eq!(starts, ["1:7", "3:8"], "{out}");
}
