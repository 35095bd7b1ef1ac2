//! Folding ranges: entries and collections over several lines, block scalars, documents
//! and comment runs, each shown with the lines it folds.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::folding_ranges;

fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let text = f.text("playbook.yaml");
    let folds = folding_ranges(f.db(), f.file("playbook.yaml"));
    let mut out = String::new();
    let mut last_start = None;
    for fold in &folds {
        assert!(
            fold.range.end() as usize <= text.len(),
            "past the end: {fold:?}"
        );
        assert!(
            last_start.is_none_or(|s| s < fold.range.start()),
            "unsorted or repeated: {fold:?}"
        );
        let slice = &text[fold.range.start() as usize..fold.range.end() as usize];
        assert_eq!(slice.trim_end(), slice, "ends in white space: {fold:?}");
        last_start = Some(fold.range.start());
        let shown = common::show_range(text, fold.range);
        let lines = shown.split_once(' ').map_or(shown.as_str(), |(r, _)| r);
        let first = slice.lines().next().unwrap_or("");
        out.push_str(&format!("{:?} {lines} {first:?}\n", fold.kind));
    }
    expect.assert_eq(&out);
}

#[test]
fn steps_parameters_env_and_block_scalars() {
    check(
        r#"
# A playbook.
# Two comment lines fold.
kind: Playbook
metadata:
  name: folds
parameters:
  - name: Host
    type: var
  - name: One
steps:
  # one comment line does not fold
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{ $.params.Host }}"
      TEXT: |
        line one

        line two


  - when: "{{ true }}"
    steps:
      - name: registry/steps/get
        env: {A: 1,
          B: 2}
# trailing
# comments
"#,
        expect![[r##"
            Comment 1:1-2:26 "# A playbook."
            Region 4:1-5:14 "metadata:"
            Region 6:1-9:14 "parameters:"
            Region 7:3-8:14 "- name: Host"
            Region 10:1-26:16 "steps:"
            Region 12:3-19:17 "- name: registry/steps/get"
            Region 14:5-19:17 "env:"
            Region 16:7-19:17 "TEXT: |"
            Region 22:3-26:16 "- when: \"{{ true }}\""
            Region 23:5-26:16 "steps:"
            Region 24:7-26:16 "- name: registry/steps/get"
            Region 25:9-26:16 "env: {A: 1,"
            Comment 27:1-28:11 "# trailing"
        "##]],
    );
}

#[test]
fn documents_of_a_stream() {
    check(
        "kind: Trigger\nmetadata:\n  name: t\n---\nkind: Playbook\nmetadata:\n  name: p\n...\n--- # third\nkind: Step\n",
        expect![[r#"
            Region 2:1-3:10 "metadata:"
            Region 4:1-8:4 "---"
            Region 6:1-7:10 "metadata:"
            Region 9:1-10:11 "--- # third"
        "#]],
    );
}

#[test]
fn broken_crlf_multibyte_and_empty() {
    check(
        "kind: Playbook\r\nmetadata:\r\n  name: 'ünïcode\r\n    still'\r\nsteps:\r\n  - name: [unclosed\r\n    id: x\r\n  - name: y\r\n    env:\r\n      A: \"{{ $.params.é\"\r\n      B: 2\r\n",
        expect![[r#"
            Region 2:1-4:11 "metadata:"
            Region 3:3-4:11 "name: 'ünïcode"
            Region 5:1-11:11 "steps:"
            Region 6:3-7:10 "- name: [unclosed"
            Region 8:3-11:11 "- name: y"
            Region 9:5-11:11 "env:"
        "#]],
    );
    check("//- playbook.yaml\n", expect![[r#""#]]);
    check(
        "# only\n# comments\n# here",
        expect![[r##"
        Comment 1:1-3:7 "# only"
    "##]],
    );
}
