//! End-to-end tests of `playbook test`: discovery by name, a passing and a failing case in
//! the human, JSON and JUnit formats (snapshots), `--filter`, a test file with errors, and
//! the exit codes.

#![allow(clippy::unwrap_used)]

mod common;

use common::{run_in, stderr, stdout, temp_dir, write};
use expect_test::{Expect, expect};

const PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: greet
parameters:
  - name: Who
    type: var
    default: world
steps:
  - name: registry.example.com/steps/echo
    id: hello
    env:
      TEXT: "hello {{ $.params.Who }}"
  - name: registry.example.com/steps/echo
    id: loud
    when: '{{ eq $.params.Who "boss" }}'
    args:
      - "HELLO {{ upper $.params.Who }}"
"#;

const TESTS: &str = r#"kind: PlaybookTest
playbook: greet
cases:
  - name: default greeting
    runs: [hello]
    skips: [loud]
    inputs:
      hello:
        env:
          TEXT: hello world
  - name: the boss is greeted loudly
    params: {Who: boss}
    runs: [loud]
    inputs:
      hello:
        env:
          TEXT: {contains: "hi boss", matches: "^hello"}
      loud:
        args: {0: {equals: "HELLO BOSS"}}
"#;

fn project(name: &str) -> common::TempDir {
    let dir = temp_dir(name);
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    write(&dir, "tests/greet.test.yaml", TESTS.as_bytes());
    // Not named as a test file: not run from a folder.
    write(&dir, "other.yaml", TESTS.as_bytes());
    dir
}

fn check(args: &[&str], code: i32, expect: Expect) {
    let dir = project(&format!(
        "test-cmd-{}",
        args.join("-").replace(['/', ' '], "_")
    ));
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    let output = run_in(&dir, &all, b"");
    assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
    expect.assert_eq(&stdout(&output));
}

#[test]
fn human_output_lists_cases_then_failures_on_their_lines() {
    check(
        &["--color", "never"],
        1,
        expect![[r#"

            running 2 cases
            test tests/greet.test.yaml::default greeting ... ok
            test tests/greet.test.yaml::the boss is greeted loudly ... FAILED

            failures:

            ---- tests/greet.test.yaml::the boss is greeted loudly ----
            failed: env `TEXT` of step `hello` does not contain "hi boss"
                ╭─[ tests/greet.test.yaml:17:28 ]
                │
             17 │           TEXT: {contains: "hi boss", matches: "^hello"}
                │                            ────┬────
                │                                ╰────── env `TEXT` of step `hello` does not contain "hi boss"
                │
                │ expected: contains "hi boss"
                │   actual: "hello boss"
            ────╯

            failures:
                tests/greet.test.yaml::the boss is greeted loudly

            test result: FAILED. 1 passed; 1 failed; 0 filtered out
        "#]],
    );
}

#[test]
fn filter_runs_the_matching_cases_only() {
    check(
        &["--filter", "default", "--color", "never"],
        0,
        expect![[r#"

            running 1 case
            test tests/greet.test.yaml::default greeting ... ok

            test result: ok. 1 passed; 0 failed; 1 filtered out
        "#]],
    );
}

#[test]
fn json_output_has_every_case_and_failure() {
    check(
        &["--format", "json"],
        1,
        expect![[r#"
            {"cases":[{"column":11,"failures":[],"file":"tests/greet.test.yaml","line":4,"name":"default greeting","passed":true},{"column":11,"failures":[{"actual":"\"hello boss\"","column":28,"expected":"contains \"hi boss\"","line":17,"message":"env `TEXT` of step `hello` does not contain \"hi boss\""}],"file":"tests/greet.test.yaml","line":11,"name":"the boss is greeted loudly","passed":false}],"failed":1,"files_with_errors":0,"filtered_out":0,"passed":1,"version":1}
        "#]],
    );
}

#[test]
fn junit_output_has_a_suite_per_file_and_escapes_text() {
    check(
        &["--format", "junit"],
        1,
        expect![[r#"
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="playbook test" tests="2" failures="1">
              <testsuite name="tests/greet.test.yaml" tests="2" failures="1">
                <testcase name="default greeting" classname="tests/greet.test.yaml"/>
                <testcase name="the boss is greeted loudly" classname="tests/greet.test.yaml">
                  <failure message="env `TEXT` of step `hello` does not contain &quot;hi boss&quot;">tests/greet.test.yaml:17:28: env `TEXT` of step `hello` does not contain &quot;hi boss&quot;
              expected: contains &quot;hi boss&quot;
                actual: &quot;hello boss&quot;
            </failure>
                </testcase>
              </testsuite>
            </testsuites>
        "#]],
    );
}

#[test]
fn a_named_file_runs_whatever_its_name() {
    let dir = project("test-cmd-named");
    let output = run_in(&dir, &["test", "other.yaml", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("test other.yaml::default greeting ... ok"));
}

#[test]
fn a_case_without_expectations_fails_and_a_broken_file_is_not_run() {
    let dir = temp_dir("test-cmd-broken");
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    write(
        &dir,
        "a.test.yaml",
        b"kind: PlaybookTest\nplaybook: greet\ncases:\n  - name: nothing\n",
    );
    let output = run_in(&dir, &["test", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("failed: the case expects nothing"),
        "{}",
        stdout(&output)
    );
    write(
        &dir,
        "a.test.yaml",
        b"kind: PlaybookTest\nplaybook: gret\ncases:\n  - name: x\n    runs: [hello]\n",
    );
    let output = run_in(&dir, &["test", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error[PB701]: no playbook is named `gret`"),
        "{err}"
    );
    assert!(
        err.contains("`a.test.yaml` has errors: its cases were not run"),
        "{err}"
    );
    assert!(stdout(&output).contains("1 test file with errors, not run"));
}

#[test]
fn no_test_files_is_said_and_passes() {
    let dir = temp_dir("test-cmd-none");
    write(&dir, "greet.yaml", PLAYBOOK.as_bytes());
    let output = run_in(&dir, &["test"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("warning: no test files (`*.test.yaml`) found in ."));
}

#[test]
fn the_examples_pass() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = run_in(&root, &["test", "playbooks/", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output)
            .contains("database-slowness.test.yaml::healthy replica without an incident ... ok")
    );
}

/// A step in a loop: an expectation names its run with `iteration`, and a run that did not
/// happen is reported once, on the `iteration`'s line, with the runs that did.
#[test]
fn loop_iterations_are_reported_on_their_lines() {
    let dir = temp_dir("test-cmd-loop");
    write(
        &dir,
        "each.yaml",
        br#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: each
parameters:
  - name: Slack
    type: integration
steps:
  - foreach:
      in: "{{ toJson $.event.items }}"
      value: n
      steps:
        - name: registry.example.com/steps/echo
          id: line
          env:
            TEXT: "line {{ .n }}"
          envFrom:
            integrationRef: "{{ $.params.Slack }}"
"#,
    );
    write(
        &dir,
        "each.test.yaml",
        br#"kind: PlaybookTest
playbook: each
cases:
  - name: two lines
    params: {Slack: slack-prod}
    event: {items: [1, 2]}
    inputs:
      line:
        - iteration: 1
          env: {TEXT: line 1}
          envFrom: {integrationRef: slack-prod}
        - env: {TEXT: line 1}
        - iteration: 2
          env: {TEXT: line 3}
          envFrom: {integrationRef: slack-prod}
"#,
    );
    let output = run_in(&dir, &["test", "--color", "never"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    expect![[r#"

        running 1 case
        test each.test.yaml::two lines ... FAILED

        failures:

        ---- each.test.yaml::two lines ----
        failed: env `TEXT` of step `line` in iteration 1 differs
            ╭─[ each.test.yaml:10:23 ]
            │
         10 │           env: {TEXT: line 1}
            │                       ───┬──
            │                          ╰──── env `TEXT` of step `line` in iteration 1 differs
            │
            │ expected: equals "line 1"
            │   actual: "line 2"
        ────╯
        failed: step `line` did not run in iteration 2
            ╭─[ each.test.yaml:13:22 ]
            │
         13 │         - iteration: 2
            │                      ┬
            │                      ╰── step `line` did not run in iteration 2
            │
            │ expected: runs in iteration 2
            │   actual: ran in iterations 0, 1 only
        ────╯

        failures:
            each.test.yaml::two lines

        test result: FAILED. 0 passed; 1 failed; 0 filtered out
    "#]]
    .assert_eq(&stdout(&output));
}
