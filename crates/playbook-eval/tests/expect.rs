//! The judge of `playbook test` ([`playbook_eval::expect::judge`]) on runs with loops:
//! which run of a step an expectation is about (the first, or the one its `iteration`
//! names, nested loops outermost first), the rendered `envFrom.integrationRef` and
//! `runner`, and the failures reported when a named run is missing or skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_eval::expect::{inputs, judge};
use playbook_eval::run::run_playbook;

const PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: loops
parameters:
  - name: Slack
    type: integration
  - name: runner
    type: spd
    default: agent-1
steps:
  - name: echo
    id: head
    runner: "{{ $.params.runner }}"
    envFrom:
      integrationRef: "{{ $.params.Slack }}"
    env:
      TEXT: head
  - foreach:
      in: {range: [10, 12]}
      key: i
      value: n
      steps:
        - name: echo
          id: each
          when: '{{ ne .n 11 }}'
          envFrom:
            integrationRef: "{{ $.params.Slack }}-{{ .n }}"
          env:
            TEXT: "n={{ .n }}"
        - foreach:
            in: {range: [0, 1]}
            value: m
            steps:
              - name: echo
                id: inner
                env:
                  TEXT: "{{ .n }}.{{ .m }}"
"#;

/// Runs [`PLAYBOOK`] with the first case of the test document `test` and prints each
/// failure as `line:col message (expected ...; actual ...)`, or `passed`.
fn check(test: &str, expect: Expect) {
    let playbook_file = playbook_hir::lower(playbook_syntax::parse(PLAYBOOK).tree());
    assert!(playbook_file.diagnostics.is_empty());
    let playbook = playbook_file.file.playbooks().next().unwrap();
    let test_file = playbook_hir::lower(playbook_syntax::parse(test).tree());
    assert!(
        test_file.diagnostics.is_empty(),
        "{:?}",
        test_file.diagnostics
    );
    let case = &test_file.file.tests().next().unwrap().cases[0];
    let run = run_playbook(playbook, &|_| None, &inputs(case));
    let failures = judge(case, playbook, &run);
    let index = playbook_diagnostics::LineIndex::new(test);
    let mut out = String::new();
    for f in &failures {
        let at = index.line_col(f.range.start());
        let _ = writeln!(
            out,
            "{}:{} {} (expected {}; actual {})",
            at.line + 1,
            at.col + 1,
            f.message,
            f.expected.as_deref().unwrap_or("-"),
            f.actual.as_deref().unwrap_or("-")
        );
    }
    if failures.is_empty() {
        out.push_str("passed\n");
    }
    expect.assert_eq(&out);
}

const HEAD: &str =
    "kind: PlaybookTest\nplaybook: loops\ncases:\n  - name: c\n    params: {Slack: slack-prod}\n";

#[test]
fn each_expectation_is_about_the_run_its_iteration_names() {
    check(
        &format!(
            "{HEAD}    inputs:
      head:
        runner: agent-1
        envFrom: {{integrationRef: slack-prod}}
      each:
        - env: {{TEXT: n=10}}
        - iteration: 0
          envFrom: {{integrationRef: slack-prod-10}}
        - iteration: 2
          env: {{TEXT: n=12}}
          envFrom: {{integrationRef: {{matches: '-12$'}}}}
      inner:
        - env: {{TEXT: '10.0'}}
        - iteration: [2, 1]
          env: {{TEXT: '12.1'}}
        - iteration: [0, 1]
          env: {{TEXT: {{equals: '10.1'}}}}
"
        ),
        expect![[r#"
            passed
        "#]],
    );
}

#[test]
fn a_value_of_another_run_fails_with_the_iteration_in_the_message() {
    check(
        &format!(
            "{HEAD}    inputs:
      each:
        - iteration: 2
          env: {{TEXT: n=10}}
          envFrom: {{integrationRef: slack-prod-10}}
      inner:
        iteration: [1, 0]
        env: {{TEXT: '12.0'}}
      head:
        envFrom: {{integrationRef: {{contains: staging}}}}
"
        ),
        expect![[r#"
            9:23 env `TEXT` of step `each` in iteration 2 differs (expected equals "n=10"; actual "n=12")
            10:37 envFrom.integrationRef of step `each` in iteration 2 differs (expected equals "slack-prod-10"; actual "slack-prod-12")
            13:21 env `TEXT` of step `inner` in iteration [1, 0] differs (expected equals "12.0"; actual "11.0")
            15:46 envFrom.integrationRef of step `head` does not contain "staging" (expected contains "staging"; actual "slack-prod")
        "#]],
    );
}

#[test]
fn a_missing_or_skipped_run_is_reported_once_at_its_iteration() {
    check(
        &format!(
            "{HEAD}    inputs:
      each:
        - iteration: 1
          env: {{TEXT: n=11}}
          envFrom: {{integrationRef: slack-prod-11}}
        - iteration: 3
          env: {{TEXT: n=13}}
      inner:
        - iteration: [0, 2]
          env: {{TEXT: '10.2'}}
"
        ),
        expect![[r#"
            8:22 step `each` did not run in iteration 1 (expected runs in iteration 1; actual skipped (`when` is "false"))
            11:22 step `each` did not run in iteration 3 (expected runs in iteration 3; actual ran in iterations 0, 2 only)
            14:22 step `inner` did not run in iteration [0, 2] (expected runs in iteration [0, 2]; actual ran in iterations [0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1] only)
        "#]],
    );
}
