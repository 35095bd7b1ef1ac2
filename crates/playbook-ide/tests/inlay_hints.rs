//! Inlay hints: what each template renders to offline, shown after it.

mod common;

use expect_test::{Expect, expect};
use playbook_diagnostics::TextRange;
use playbook_ide::inlay_hints;

/// The hints of the whole of `playbook.yaml`, each as `line:col label`, the text of the
/// line up to the hint before it; then its tooltip, when it has one.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let file = f.file("playbook.yaml");
    let text = f.text("playbook.yaml");
    let whole = TextRange::new(0, text.len() as u32);
    let actual = show(&f, text, &inlay_hints(f.db(), file, whole), true);
    expect.assert_eq(&actual);
}

fn show(
    f: &common::Fixture,
    text: &str,
    hints: &[playbook_ide::InlayHint],
    tooltips: bool,
) -> String {
    let _ = f;
    let index = playbook_diagnostics::LineIndex::new(text);
    let mut out = String::new();
    for hint in hints {
        let at = index.line_col(hint.offset);
        let line_start = hint.offset as usize - at.col as usize;
        let before = text.get(line_start..hint.offset as usize).unwrap_or("");
        out.push_str(&format!(
            "{}:{} {} ⟨{}⟩\n",
            at.line + 1,
            at.col + 1,
            before.trim_start(),
            hint.label
        ));
        if let (true, Some(tooltip)) = (tooltips, &hint.tooltip) {
            for line in tooltip.lines() {
                out.push_str(&format!("    | {line}\n"));
            }
        }
    }
    out
}

const LIBRARY: &str = r#"
//- library registry/steps/ steps
//- steps/get/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: get
  description: Fetch items from a host.
envs:
  - name: HOST
    type: string
outputs:
  - name: items
    type: json
    description: The items found.
    example: '[{"name": "a", "size": 1}, {"name": "b", "size": 2}]'
  - name: status
    type: string
    example: ok
//- steps/cmd/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: cmd
  description: Run a command.
args:
  - name: command
    type: string
"#;

#[test]
fn templates_show_their_value_from_defaults_and_examples() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
    default: db.local
  - name: Port
    type: var
  - name: Url
    type: var
    default: "{{{{ $.event.url }}}}"
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{{{ $.params.Host }}}}:{{{{ $.params.Port }}}}"
      PLAIN: not a template
  - name: registry/steps/cmd
    when: '{{{{ eq $.fetch.status "ok" }}}}'
    args:
      - '{{{{ len $.fetch.items }}}} items'
      - |
        first: {{{{ (index $.fetch.items 0).name }}}}
        second: {{{{ (index $.fetch.items 1).name }}}}
{LIBRARY}"#
        ),
        expect![[r#"
            12:33 default: "{{ $.event.url }}" ⟨= "<no value>"⟩
            17:54 HOST: "{{ $.params.Host }}:{{ $.params.Port }}" ⟨= "db.local:<no value>"⟩
            20:41 when: '{{ eq $.fetch.status "ok" }}' ⟨= "true"⟩
            22:40 - '{{ len $.fetch.items }} items' ⟨= "2 items"⟩
            25:51 second: {{ (index $.fetch.items 1).name }} ⟨= "first: a⏎second: b⏎"⟩
                | Rendered offline, with the parameters' defaults and the manifests' examples:
                | 
                | ```
                | first: a
                | second: b
                | ```
        "#]],
    );
}

#[test]
fn a_skipped_step_shows_only_its_when() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Enabled
    type: var
    default: "no"
steps:
  - name: registry/steps/cmd
    when: '{{{{ eq $.params.Enabled "yes" }}}}'
    args:
      - '{{{{ $.params.Enabled }}}}'
{LIBRARY}"#
        ),
        expect![[r#"
            10:44 when: '{{ eq $.params.Enabled "yes" }}' ⟨= "false"⟩
        "#]],
    );
}

#[test]
fn a_loop_shows_its_first_iteration_and_says_how_many() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    id: fetch
  - foreach:
      in: fetch.items
      value: item
      steps:
        - name: registry/steps/cmd
          args:
            - 'size {{{{ $.item.size }}}} of {{{{ $.item.name }}}}'
{LIBRARY}"#
        ),
        expect![[r#"
            13:60 - 'size {{ $.item.size }} of {{ $.item.name }}' ⟨= "size 1 of a"⟩
                | Rendered offline, with the parameters' defaults and the manifests' examples:
                | 
                | ```
                | size 1 of a
                | ```
                | 
                | The value of the 1st of 2 iterations.
        "#]],
    );
}

#[test]
fn a_failure_shows_the_error_and_nothing_after_it() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args:
      - '{{{{ fail "no cluster given" }}}}'
  - name: registry/steps/cmd
    args:
      - '{{{{ "after" }}}}'
{LIBRARY}"#
        ),
        expect![[r#"
            7:40 - '{{ fail "no cluster given" }}' ⟨= error: error calling fail: no cluster given⟩
        "#]],
    );
}

#[test]
fn long_values_are_cut() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args:
      - '{{{{ repeat 30 "ab" }}}}'
{LIBRARY}"#
        ),
        expect![[r#"
            7:31 - '{{ repeat 30 "ab" }}' ⟨= "abababababababababababababababababababa…"⟩
                | Rendered offline, with the parameters' defaults and the manifests' examples:
                | 
                | ```
                | abababababababababababababababababababababababababababababab
                | ```
        "#]],
    );
}

#[test]
fn only_the_range_asked_for() {
    let fixture = format!(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args:
      - '{{{{ "one" }}}}'
$1      - '{{{{ "two" }}}}'
$2      - '{{{{ "three" }}}}'
{LIBRARY}"#
    );
    let f = common::fixture(&fixture);
    let (file, start) = f.marker(1);
    let (_, end) = f.marker(2);
    let text = f.text("playbook.yaml");
    let hints = inlay_hints(f.db(), file, TextRange::new(start, end));
    expect![[r#"
        8:22 - '{{ "two" }}' ⟨= "two"⟩
    "#]]
    .assert_eq(&show(&f, text, &hints, false));
}

#[test]
fn a_file_without_playbooks_has_no_hints() {
    check(
        &format!("{LIBRARY}\n//- playbook.yaml\nkey: '{{{{ $.x }}}}'\n"),
        expect![""],
    );
}

/// The playbook of the edit tests: steps whose values read parameters and earlier outputs.
fn edited(host_value: &str, first_id: &str, comment: &str) -> String {
    format!(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
    default: db.local
steps:
{comment}  - name: registry/steps/get
    id: {first_id}
    env:
      HOST: "{host_value}"
  - name: registry/steps/cmd
    when: '{{{{ eq $.fetch.status "ok" }}}}'
    args:
      - '{{{{ len $.fetch.items }}}} items'
  - foreach:
      in: fetch.items
      value: item
      steps:
        - name: registry/steps/cmd
          args:
            - 'size {{{{ $.item.size }}}} of {{{{ $.item.name }}}}'
{LIBRARY}"#
    )
}

#[test]
fn hints_after_edits_are_those_of_the_edited_file() {
    let texts = [
        edited("{{ $.params.Host }}", "fetch", ""),
        // One value edited, longer: what follows moves.
        edited("{{ $.params.Host }}:5432", "fetch", ""),
        // A comment above every step: everything moves, nothing changes.
        edited("{{ $.params.Host }}:5432", "fetch", "  # the steps\n"),
        // The id renamed: what reads `$.fetch` changes.
        edited("{{ $.params.Host }}:5432", "fetched", "  # the steps\n"),
        edited("{{ $.params.Host }}", "fetch", ""),
    ];
    let mut f = common::fixture(&texts[0]);
    for text in &texts {
        let fresh = common::fixture(text);
        f.host
            .set_file_text("playbook.yaml", fresh.text("playbook.yaml").to_owned());
        let file = f.file("playbook.yaml");
        let whole = TextRange::new(0, f.text("playbook.yaml").len() as u32);
        let hints = inlay_hints(f.db(), file, whole);
        let expected = inlay_hints(fresh.db(), fresh.file("playbook.yaml"), whole);
        assert_eq!(hints, expected, "{text}");
        assert!(!hints.is_empty());
    }
}

#[test]
fn long_tooltips_are_cut() {
    check(
        &format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args:
      - '{{{{ repeat 2100 "a" }}}}'
      - |
        {{{{ range until 45 }}}}line {{{{ . }}}}
        {{{{ end }}}}
{LIBRARY}"#
        ),
        expect![[r#"
            7:32 - '{{ repeat 2100 "a" }}' ⟨= "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…"⟩
                | Rendered offline, with the parameters' defaults and the manifests' examples:
                | 
                | ```
                | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
                | ```
                | 
                | (100 more characters; the hover on the template shows it whole)
            10:18 {{ end }} ⟨= "line 0⏎line 1⏎line 2⏎line 3⏎line 4⏎line…"⟩
                | Rendered offline, with the parameters' defaults and the manifests' examples:
                | 
                | ```
                | line 0
                | line 1
                | line 2
                | line 3
                | line 4
                | line 5
                | line 6
                | line 7
                | line 8
                | line 9
                | line 10
                | line 11
                | line 12
                | line 13
                | line 14
                | line 15
                | line 16
                | line 17
                | line 18
                | line 19
                | line 20
                | line 21
                | line 22
                | line 23
                | line 24
                | line 25
                | line 26
                | line 27
                | line 28
                | line 29
                | line 30
                | line 31
                | line 32
                | line 33
                | line 34
                | line 35
                | line 36
                | line 37
                | line 38
                | line 39
                | ```
                | 
                | (5 more lines; the hover on the template shows it whole)
        "#]],
    );
}

#[test]
fn tooltips_left_for_later_are_the_same() {
    let f = common::fixture(&edited("{{ repeat 50 \\\"ab\\\" }}", "fetch", ""));
    let file = f.file("playbook.yaml");
    let whole = TextRange::new(0, f.text("playbook.yaml").len() as u32);
    let now = inlay_hints(f.db(), file, whole);
    let later = playbook_ide::inlay_hints_with(f.db(), file, whole, playbook_ide::Tooltips::Later);
    assert_eq!(now.len(), later.len());
    let mut resolved = 0;
    for (now, later) in now.iter().zip(&later) {
        assert_eq!((now.offset, &now.label), (later.offset, &later.label));
        assert_eq!(later.tooltip, None);
        assert_eq!(now.tooltip.is_some(), later.later.is_some(), "{now:?}");
        if let Some(scalar) = later.later {
            let found = playbook_ide::inlay_hint_tooltip(f.db(), file, scalar);
            assert_eq!(
                found,
                Some((now.label.clone(), now.tooltip.clone().unwrap()))
            );
            resolved += 1;
        }
    }
    // The long value, and the template in the loop.
    assert_eq!(resolved, 2, "{now:#?}");
}
