//! Find references and document highlight: parameters (template reads in every scalar
//! style, `index`/`get` strings, trigger keys in other files), step ids, a manifest's outputs
//! and inputs read or set by several playbooks, images, loop variables; broken files,
//! multi-byte text and CRLF line endings.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::{HighlightKind, document_highlight, references};

/// Every reference of the name at `$0`, declaration included, one per line.
fn check(fixture: &str, expect: Expect) {
    check_with(fixture, true, expect);
}

fn check_with(fixture: &str, include_declaration: bool, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let out = match references(f.db(), file, offset, include_declaration) {
        None => "none\n".to_owned(),
        Some(ranges) => ranges
            .iter()
            .map(|r| format!("{}\n", f.show(&r.path, r.range)))
            .collect(),
    };
    expect.assert_eq(&out);
}

/// The highlights of the name at `$0` in its file, one per line.
fn check_highlight(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let path = f.cursor.clone().map(|(p, _)| p).unwrap_or_default();
    let out: String = document_highlight(f.db(), file, offset)
        .iter()
        .map(|h| {
            let kind = match h.kind {
                HighlightKind::Read => "read",
                HighlightKind::Write => "write",
            };
            format!("{kind} {}\n", f.show(&path, h.range))
        })
        .collect();
    expect.assert_eq(&out);
}

/// A manifest used by the fixtures below: image `registry/steps/get`.
const GET_MANIFEST: &str = r#"//- library registry/steps/ steps
//- steps/get/manifest.yaml
kind: Step
metadata:
  name: get
envs:
  - name: HOST
    type: string
  - name: IP
    type: string
outputs:
  - name: items
    type: json
  - name: status
    type: string
"#;

fn with_manifest(fixture: &str) -> String {
    format!("{fixture}{GET_MANIFEST}")
}

/// A playbook whose parameter `Host` is read in every scalar style and form.
const PARAM_EVERYWHERE: &str = r#"
kind: Playbook
metadata:
  name: refs
parameters:
  - name: Host
    type: var
  - name: Other
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    when: '{{ ne (index $.params "Host") "x" }}'
    env:
      HOST: "{{ $.params.Host }} {{ get \"$.params.Host\" }}"
      IP: a {{ .params.Host }} b {{ $.params.Other }}
  - name: registry/steps/get
    env:
      HOST: |
        first {{ $.params.Host }}
        second {{ $.params.Host }}
      IP: >
        {{ $.params.Host
        }} folded
"#;

#[test]
fn parameter_from_a_read_in_every_style() {
    let fixture = with_manifest(
        &PARAM_EVERYWHERE.replace("IP: a {{ .params.Host", "IP: a {{ .params.Ho$0st"),
    );
    check(
        &fixture,
        expect![[r#"
            playbook.yaml:5:11-5:15 "Host"
            playbook.yaml:12:35-12:39 "Host"
            playbook.yaml:14:26-14:30 "Host"
            playbook.yaml:14:52-14:56 "Host"
            playbook.yaml:15:24-15:28 "Host"
            playbook.yaml:19:27-19:31 "Host"
            playbook.yaml:20:28-20:32 "Host"
            playbook.yaml:22:21-22:25 "Host"
        "#]],
    );
}

#[test]
fn parameter_from_its_declaration_without_it() {
    let fixture = with_manifest(&PARAM_EVERYWHERE.replace("- name: Host", "- name: $0Host"));
    check_with(
        &fixture,
        false,
        expect![[r#"
            playbook.yaml:12:35-12:39 "Host"
            playbook.yaml:14:26-14:30 "Host"
            playbook.yaml:14:52-14:56 "Host"
            playbook.yaml:15:24-15:28 "Host"
            playbook.yaml:19:27-19:31 "Host"
            playbook.yaml:20:28-20:32 "Host"
            playbook.yaml:22:21-22:25 "Host"
        "#]],
    );
}

#[test]
fn parameter_highlight() {
    let fixture = with_manifest(
        &PARAM_EVERYWHERE.replace("HOST: \"{{ $.params.Host", "HOST: \"{{ $.params.Host$0"),
    );
    check_highlight(
        &fixture,
        expect![[r#"
            write playbook.yaml:5:11-5:15 "Host"
            read playbook.yaml:12:35-12:39 "Host"
            read playbook.yaml:14:26-14:30 "Host"
            read playbook.yaml:14:52-14:56 "Host"
            read playbook.yaml:15:24-15:28 "Host"
            read playbook.yaml:19:27-19:31 "Host"
            read playbook.yaml:20:28-20:32 "Host"
            read playbook.yaml:22:21-22:25 "Host"
        "#]],
    );
}

/// Two playbooks declare `Host`; triggers bind to each. The references of one playbook's
/// parameter are its reads and the keys of the triggers bound to it, in any file.
const TWO_PLAYBOOKS: &str = r#"
//- a.yaml
kind: Playbook
metadata:
  name: alpha
parameters:
  - name: 'Host'
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host }}"
//- b.yaml
kind: Playbook
metadata:
  name: beta
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host }}"
//- triggers/alpha.yaml
kind: Trigger
playbook: alpha
metadata:
  name: on-alert
scenarios:
  - name: one
    parameters:
      Host: 10.0.0.1
  - name: two
    parameters: {"Host": x, Other: y}
//- triggers/beta.yaml
kind: Trigger
playbook: beta
metadata:
  name: on-beta
scenarios:
  - name: one
    parameters:
      Host: 10.0.0.2
"#;

#[test]
fn parameter_with_the_triggers_bound_to_its_playbook() {
    let fixture = with_manifest(&TWO_PLAYBOOKS.replace(
        "HOST: \"{{ $.params.Host }}\"\n//- b",
        "HOST: \"{{ $.params.$0Host }}\"\n//- b",
    ));
    check(
        &fixture,
        expect![[r#"
            a.yaml:5:12-5:16 "Host"
            a.yaml:10:26-10:30 "Host"
            triggers/alpha.yaml:8:7-8:11 "Host"
            triggers/alpha.yaml:10:19-10:23 "Host"
        "#]],
    );
}

#[test]
fn parameter_from_a_trigger_key() {
    let fixture = with_manifest(&TWO_PLAYBOOKS.replace("Host: 10.0.0.2", "Ho$0st: 10.0.0.2"));
    check(
        &fixture,
        expect![[r#"
            b.yaml:5:11-5:15 "Host"
            b.yaml:10:26-10:30 "Host"
            triggers/beta.yaml:8:7-8:11 "Host"
        "#]],
    );
    let fixture = with_manifest(&TWO_PLAYBOOKS.replace("{\"Host\": x", "{\"Ho$0st\": x"));
    check_highlight(
        &fixture,
        expect![[r#"
            write triggers/alpha.yaml:8:7-8:11 "Host"
            write triggers/alpha.yaml:10:19-10:23 "Host"
        "#]],
    );
}

#[test]
fn step_id_from_its_declaration_and_reads() {
    let fixture = with_manifest(
        r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: $0fetch
  - name: registry/steps/get
    env:
      HOST: "{{ $.fetch.status }} {{ get \"$.fetch.status\" }}"
  - foreach:
      in: fetch.items
      steps:
        - name: registry/steps/get
          env:
            HOST: '{{ .fetch.status }}'
"#,
    );
    check(
        &fixture,
        expect![[r#"
            playbook.yaml:6:9-6:14 "fetch"
            playbook.yaml:9:19-9:24 "fetch"
            playbook.yaml:9:46-9:51 "fetch"
            playbook.yaml:11:11-11:16 "fetch"
            playbook.yaml:15:24-15:29 "fetch"
        "#]],
    );
}

#[test]
fn quoted_step_id_from_a_quoted_segment() {
    let fixture = with_manifest(
        r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: "redis-info"
  - name: registry/steps/get
    env:
      HOST: "{{ $.'redis-$0info'.status }}"
      IP: '{{ $."redis-info".status }}'
"#,
    );
    check(
        &fixture,
        expect![[r#"
            playbook.yaml:6:10-6:20 "redis-info"
            playbook.yaml:9:20-9:30 "redis-info"
            playbook.yaml:10:18-10:28 "redis-info"
        "#]],
    );
}

/// One manifest, called by two playbooks; the second reads `items` in root form.
const TWO_CALLERS: &str = r#"
//- library registry/steps/ steps
//- one.yaml
kind: Playbook
metadata:
  name: one
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: h
  - name: registry/steps/get
    env:
      HOST: "{{ $.fetch.items }}"
//- two.yaml
kind: Playbook
metadata:
  name: two
steps:
  - name: registry/steps/get:1.2
    env:
      IP: i
  - name: registry/steps/other
    env:
      X: "{{ .items }}"
//- steps/get/manifest.yaml
kind: Step
metadata:
  name: get
envs:
  - name: HOST
    type: string
  - name: IP
    type: string
outputs:
  - name: items
    type: json
  - name: status
    type: string
//- steps/other/manifest.yaml
kind: Step
metadata:
  name: other
envs:
  - name: X
    type: string
"#;

#[test]
fn output_read_by_two_playbooks() {
    let fixture = TWO_CALLERS.replace("$.fetch.items", "$.fetch.it$0ems");
    check(
        &fixture,
        expect![[r#"
            one.yaml:11:25-11:30 "items"
            steps/get/manifest.yaml:10:11-10:16 "items"
            two.yaml:10:15-10:20 "items"
        "#]],
    );
    let fixture = TWO_CALLERS.replace("- name: items", "- name: $0items");
    check_with(
        &fixture,
        false,
        expect![[r#"
            one.yaml:11:25-11:30 "items"
            two.yaml:10:15-10:20 "items"
        "#]],
    );
    let fixture = TWO_CALLERS.replace("- name: items", "- name: $0items");
    check_highlight(
        &fixture,
        expect![[r#"
            write steps/get/manifest.yaml:10:11-10:16 "items"
        "#]],
    );
}

#[test]
fn input_set_by_every_call() {
    let fixture = TWO_CALLERS.replace("      IP: i", "      I$0P: i");
    check(
        &fixture,
        expect![[r#"
            steps/get/manifest.yaml:7:11-7:13 "IP"
            two.yaml:7:7-7:9 "IP"
        "#]],
    );
    let fixture = TWO_CALLERS.replace("- name: HOST", "- name: HOST$0");
    check(
        &fixture,
        expect![[r#"
            one.yaml:8:7-8:11 "HOST"
            one.yaml:11:7-11:11 "HOST"
            steps/get/manifest.yaml:5:11-5:15 "HOST"
        "#]],
    );
}

#[test]
fn image_called_in_the_workspace() {
    let fixture = TWO_CALLERS.replace("  name: get\n", "  name: g$0et\n");
    check(
        &fixture,
        expect![[r#"
            one.yaml:5:11-5:29 "registry/steps/get"
            one.yaml:9:11-9:29 "registry/steps/get"
            steps/get/manifest.yaml:3:9-3:12 "get"
            two.yaml:5:11-5:33 "registry/steps/get:1.2"
        "#]],
    );
    let fixture = TWO_CALLERS.replace(
        "- name: registry/steps/other",
        "- name: registry/steps/oth$0er",
    );
    check_with(
        &fixture,
        false,
        expect![[r#"
            two.yaml:8:11-8:31 "registry/steps/other"
        "#]],
    );
}

/// Calls of an image no manifest describes: the calls of the same image, tag aside.
#[test]
fn image_without_manifest() {
    check(
        r#"
//- a.yaml
kind: Playbook
metadata:
  name: a
steps:
  - name: example.com/tools/$0probe:1.0
  - name: example.com/tools/other
//- b.yaml
kind: Playbook
metadata:
  name: b
steps:
  - name: example.com/tools/probe@sha256:0123
"#,
        expect![[r#"
            a.yaml:5:11-5:38 "example.com/tools/probe:1.0"
            b.yaml:5:11-5:46 "example.com/tools/probe@sha256:0123"
        "#]],
    );
}

/// Outputs that come from the example of a json `output` are read by name; they have no
/// declaration of their own.
#[test]
fn output_from_a_json_example() {
    check(
        r#"
//- library registry/steps/ steps
//- playbook.yaml
kind: Playbook
metadata:
  name: json
steps:
  - name: registry/steps/overview
    id: overview
  - name: registry/steps/overview
    env:
      X: "{{ $.overview.cluster_$0name }} {{ .cluster_name }}"
//- steps/overview/manifest.yaml
kind: Step
metadata:
  name: overview
envs:
  - name: X
    type: string
outputs:
  - name: output
    type: json
    example: '{"cluster_name": "prod"}'
"#,
        expect![[r#"
            playbook.yaml:9:25-9:37 "cluster_name"
            playbook.yaml:9:45-9:57 "cluster_name"
        "#]],
    );
}

#[test]
fn loop_variable_highlight() {
    check_highlight(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: loops
steps:
  - name: registry/steps/get
    id: fetch
  - foreach:
      in: "{{ $.fetch.items }}"
      value: pod
      steps:
        - name: registry/steps/get
          env:
            HOST: "{{ $.p$0od }} {{ .pod.name }}"
"#,
        ),
        expect![[r#"
            write playbook.yaml:9:14-9:17 "pod"
            read playbook.yaml:13:25-13:28 "pod"
            read playbook.yaml:13:36-13:39 "pod"
        "#]],
    );
}

#[test]
fn nothing_referable() {
    let fixture = with_manifest(&PARAM_EVERYWHERE.replace("kind: Playbook", "ki$0nd: Playbook"));
    check(&fixture, expect!["none\n"]);
    // `params` is a root of the run's context, not a name of the playbook.
    let fixture = with_manifest(
        &PARAM_EVERYWHERE.replace("{{ $.params.Host }} {{ get", "{{ $.par$0ams.Host }} {{ get"),
    );
    check(&fixture, expect!["none\n"]);
    check_highlight(&fixture, expect![""]);
    // At the very start and end of a file.
    check(
        &format!("$0{}", PARAM_EVERYWHERE.trim_start()),
        expect!["none\n"],
    );
    check(&format!("{PARAM_EVERYWHERE}$0"), expect!["none\n"]);
    check("$0", expect!["none\n"]);
}

#[test]
fn broken_file() {
    // A YAML syntax error (a plain value holding `: `) and an unclosed action elsewhere in
    // the file: the references in the rest of the file are still found.
    check(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: broken
  description: this: is not valid
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host$0 }}"
      IP: "{{ $.params.Host"
  - name: registry/steps/get
    env:
      HOST: '{{ index $.params "Host" }}'
      IP: {{ oops
"#,
        ),
        expect![[r#"
            playbook.yaml:6:11-6:15 "Host"
            playbook.yaml:11:26-11:30 "Host"
            playbook.yaml:12:24-12:28 "Host"
            playbook.yaml:15:33-15:37 "Host"
        "#]],
    );
}

#[test]
fn multi_byte_text_and_crlf() {
    let fixture = with_manifest(
        &r#"
kind: Playbook
metadata:
  name: unicode
  description: "café ☕ — ünïcödé"
parameters:
  - name: Größe
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "☕ {{ $.params.Größe$0 }} ☕"
      IP: 'é {{ index $.params "Größe" }}'
"#
        .replace('\n', "\r\n"),
    );
    check(
        &fixture,
        expect![[r#"
            playbook.yaml:6:11-6:18 "Größe"
            playbook.yaml:11:30-11:37 "Größe"
            playbook.yaml:12:34-12:41 "Größe"
        "#]],
    );
}

/// At every position of a workspace (multi-byte text, CRLF, triggers, broken values),
/// references and highlights answer without panicking, with ranges inside their files, on
/// character boundaries; a highlight is one of the references.
#[test]
fn every_position() {
    let fixture = with_manifest(&format!(
        "{}{}",
        TWO_PLAYBOOKS,
        r#"//- unicode.yaml
kind: Playbook
metadata:
  name: unicode
  description: "café ☕ — ünïcödé"
parameters:
  - name: Größe
    type: var
steps:
  - name: registry/steps/get
    id: 'schritt'
    env:
      HOST: "☕ {{ $.params.Größe }} ☕ {{ $.schritt.status"
      IP: 'é {{ index $.params "Größe" }} {{ $.schritt.items }}'
  - foreach:
      in: schritt.items
      steps:
        - name: registry/steps/get
          env: {IP: "{{ .value }}", HOST: {{ broken
"#
        .replace('\n', "\r\n")
    ));
    let f = common::fixture(&fixture);
    let mut found = 0;
    for path in [
        "a.yaml",
        "triggers/alpha.yaml",
        "unicode.yaml",
        "steps/get/manifest.yaml",
    ] {
        let file = f.file(path);
        let text = f.text(path);
        for offset in 0..=text.len() as u32 {
            let ranges = references(f.db(), file, offset, true).unwrap_or_default();
            for r in &ranges {
                assert!(
                    f.text(&r.path)
                        .get(r.range.as_usize())
                        .is_some_and(|s| !s.is_empty()),
                    "{path}@{offset}: {r:?}"
                );
            }
            for h in document_highlight(f.db(), file, offset) {
                assert!(
                    ranges.iter().any(|r| r.path == path && r.range == h.range),
                    "{path}@{offset}: highlight {h:?} is not a reference"
                );
            }
            found += usize::from(!ranges.is_empty());
        }
    }
    assert!(found > 100, "only {found} positions have references");
}
