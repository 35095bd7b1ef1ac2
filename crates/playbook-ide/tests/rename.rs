//! Rename and prepareRename: parameters and step ids, across templates in every scalar
//! style, `index`/`get` strings, bare paths and trigger files; names that need quotes;
//! refusals; broken files, multi-byte text and CRLF.
//!
//! Every accepted rename is applied and the workspace checked again on a fresh host: the
//! diagnostics must be the same codes as before (the snapshot shows the difference, which
//! may only be PB205, a parameter name that is not an identifier).

mod common;

use std::collections::BTreeMap;

use expect_test::{Expect, expect};
use playbook_db::AnalysisHost;
use playbook_ide::{SourceChange, prepare_rename, rename};

/// Renames the name at `$0` to `new_name`: the changed files, or the refusal.
fn check(fixture: &str, new_name: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let out = match rename(f.db(), file, offset, new_name) {
        Err(message) => format!("error: {message}\n"),
        Ok(change) => render(&f, &change),
    };
    expect.assert_eq(&out);
}

/// The changed files, after checking that the edits are sorted and disjoint and that the
/// workspace has the same diagnostics after them.
fn render(f: &common::Fixture, change: &SourceChange) -> String {
    let mut out = String::new();
    let mut after: BTreeMap<String, String> = BTreeMap::new();
    for path in f.host.files() {
        after.insert(path.to_owned(), f.text(path).to_owned());
    }
    for (path, edits) in &change.edits {
        for pair in edits.windows(2) {
            if let [a, b] = pair {
                assert!(
                    a.range.end() <= b.range.start(),
                    "edits of {path} overlap or are not sorted: {edits:?}"
                );
            }
        }
        let text = common::apply(f.text(path), edits);
        // Line ends shown, so that a CRLF file reads as one.
        out.push_str(&format!("//- {path}\n{}", text.replace('\r', "\\r")));
        after.insert(path.clone(), text);
    }
    if change.is_empty() {
        out.push_str("no edits\n");
    }
    let diff = diagnostics_difference(f, &after);
    assert!(
        diff.iter().all(|d| d.contains("PB205")),
        "the rename changed the diagnostics: {diff:?}"
    );
    for d in diff {
        out.push_str(&format!("{d}\n"));
    }
    out
}

/// The diagnostic codes (by file) that a fresh check of `after` adds or loses.
fn diagnostics_difference(f: &common::Fixture, after: &BTreeMap<String, String>) -> Vec<String> {
    let mut host = AnalysisHost::new();
    host.set_libraries(f.host.libraries().to_vec());
    for (path, text) in after {
        host.set_file_text(path, text.clone());
    }
    let mut out = Vec::new();
    for path in after.keys() {
        let codes = |diagnostics: Vec<playbook_diagnostics::Diagnostic>| {
            let mut codes: Vec<&'static str> = diagnostics.iter().map(|d| d.code.id).collect();
            codes.sort_unstable();
            codes
        };
        let before = codes(f.host.diagnostics(path));
        let now = codes(host.diagnostics(path));
        for code in &now {
            if now.iter().filter(|c| *c == code).count()
                > before.iter().filter(|c| *c == code).count()
            {
                out.push(format!("{path}: new diagnostic {code}"));
            }
        }
        for code in &before {
            if before.iter().filter(|c| *c == code).count()
                > now.iter().filter(|c| *c == code).count()
            {
                out.push(format!("{path}: lost diagnostic {code}"));
            }
        }
    }
    out.dedup();
    out
}

/// What prepareRename answers at `$0`.
fn check_prepare(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let path = f.cursor.clone().map(|(p, _)| p).unwrap_or_default();
    let out = match prepare_rename(f.db(), file, offset) {
        Ok(target) => format!("{} {:?}\n", f.show(&path, target.range), target.placeholder),
        Err(message) => format!("error: {message}\n"),
    };
    expect.assert_eq(&out);
}

const MANIFEST: &str = r#"//- library registry/steps/ steps
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
    example: '[{"name": "a"}]'
  - name: status
    type: string
"#;

fn with_manifest(fixture: &str) -> String {
    format!("{fixture}{MANIFEST}")
}

/// Parameter `Host` read in every scalar style and form, and set by a trigger.
const PARAMS: &str = r#"
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
    when: '{{ ne (index $.params "Host") "it''s" }}'
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
//- trigger.yaml
kind: Trigger
playbook: refs
metadata:
  name: on-alert
scenarios:
  - name: one
    parameters:
      Host: 10.0.0.1
      Other: x
  - name: two
    parameters: {'Host': y}
"#;

#[test]
fn parameter_in_every_style_and_in_triggers() {
    check(
        &with_manifest(&PARAMS.replace("IP: a {{ .params.Host", "IP: a {{ .params.Ho$0st")),
        "Server",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: refs
            parameters:
              - name: Server
                type: var
              - name: Other
                type: var
            steps:
              - name: registry/steps/get
                id: fetch
                when: '{{ ne (index $.params "Server") "it''s" }}'
                env:
                  HOST: "{{ $.params.Server }} {{ get \"$.params.Server\" }}"
                  IP: a {{ .params.Server }} b {{ $.params.Other }}
              - name: registry/steps/get
                env:
                  HOST: |
                    first {{ $.params.Server }}
                    second {{ $.params.Server }}
                  IP: >
                    {{ $.params.Server
                    }} folded
            //- trigger.yaml
            kind: Trigger
            playbook: refs
            metadata:
              name: on-alert
            scenarios:
              - name: one
                parameters:
                  Server: 10.0.0.1
                  Other: x
              - name: two
                parameters: {'Server': y}
        "#]],
    );
}

#[test]
fn parameter_to_a_name_that_needs_quotes() {
    check(
        &with_manifest(&PARAMS.replace("- name: Host", "- name: Host$0")),
        "redis-ip",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: refs
            parameters:
              - name: redis-ip
                type: var
              - name: Other
                type: var
            steps:
              - name: registry/steps/get
                id: fetch
                when: '{{ ne (index $.params "redis-ip") "it''s" }}'
                env:
                  HOST: "{{ $.params.'redis-ip' }} {{ get \"$.params.redis-ip\" }}"
                  IP: a {{ .params.'redis-ip' }} b {{ $.params.Other }}
              - name: registry/steps/get
                env:
                  HOST: |
                    first {{ $.params.'redis-ip' }}
                    second {{ $.params.'redis-ip' }}
                  IP: >
                    {{ $.params.'redis-ip'
                    }} folded
            //- trigger.yaml
            kind: Trigger
            playbook: refs
            metadata:
              name: on-alert
            scenarios:
              - name: one
                parameters:
                  redis-ip: 10.0.0.1
                  Other: x
              - name: two
                parameters: {'redis-ip': y}
            playbook.yaml: new diagnostic PB205
        "#]],
    );
    // A name starting with a digit: quoted in the templates and in YAML.
    check(
        &with_manifest(&PARAMS.replace("- name: Host", "- name: Host$0")),
        "1st",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: refs
            parameters:
              - name: '1st'
                type: var
              - name: Other
                type: var
            steps:
              - name: registry/steps/get
                id: fetch
                when: '{{ ne (index $.params "1st") "it''s" }}'
                env:
                  HOST: "{{ $.params.'1st' }} {{ get \"$.params.1st\" }}"
                  IP: a {{ .params.'1st' }} b {{ $.params.Other }}
              - name: registry/steps/get
                env:
                  HOST: |
                    first {{ $.params.'1st' }}
                    second {{ $.params.'1st' }}
                  IP: >
                    {{ $.params.'1st'
                    }} folded
            //- trigger.yaml
            kind: Trigger
            playbook: refs
            metadata:
              name: on-alert
            scenarios:
              - name: one
                parameters:
                  '1st': 10.0.0.1
                  Other: x
              - name: two
                parameters: {'1st': y}
            playbook.yaml: new diagnostic PB205
        "#]],
    );
}

#[test]
fn quoted_parameter_to_an_identifier() {
    check(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: quoted
parameters:
  - name: "redis-ip"
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.'redis-ip' }} {{ index $.params \"redis-ip\" }}"
      IP: '{{ $.params."redis-$0ip" }} {{ $.params.''redis-ip'' }}'
"#,
        ),
        "redisIp",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: quoted
            parameters:
              - name: "redisIp"
                type: var
            steps:
              - name: registry/steps/get
                env:
                  HOST: "{{ $.params.redisIp }} {{ index $.params \"redisIp\" }}"
                  IP: '{{ $.params.redisIp }} {{ $.params.redisIp }}'
            playbook.yaml: lost diagnostic PB205
        "#]],
    );
}

/// Step `fetch` read as `$.fetch`, `.fetch`, `get "$.fetch..."`, and a bare loop path.
const STEPS: &str = r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: fetch
  - name: registry/steps/get
    env:
      HOST: "{{ $.fetch.status }} {{ get \"$.fetch.status\" }}"
      IP: '{{ .fetch.status }}'
  - foreach:
      in: fetch.items
      steps:
        - name: registry/steps/get
          env:
            HOST: |
              {{ $.fetch.status }}
"#;

#[test]
fn step_id_everywhere() {
    check(
        &with_manifest(&STEPS.replace("id: fetch", "id: fe$0tch")),
        "lookup",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: steps
            steps:
              - name: registry/steps/get
                id: lookup
              - name: registry/steps/get
                env:
                  HOST: "{{ $.lookup.status }} {{ get \"$.lookup.status\" }}"
                  IP: '{{ .lookup.status }}'
              - foreach:
                  in: lookup.items
                  steps:
                    - name: registry/steps/get
                      env:
                        HOST: |
                          {{ $.lookup.status }}
        "#]],
    );
}

#[test]
fn step_id_to_a_name_that_needs_quotes() {
    check(
        &with_manifest(&STEPS.replace(
            "{{ $.fetch.status }} {{ get",
            "{{ $.fetch$0.status }} {{ get",
        )),
        "redis-info",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: steps
            steps:
              - name: registry/steps/get
                id: redis-info
              - name: registry/steps/get
                env:
                  HOST: "{{ $.'redis-info'.status }} {{ get \"$.redis-info.status\" }}"
                  IP: '{{ .''redis-info''.status }}'
              - foreach:
                  in: redis-info.items
                  steps:
                    - name: registry/steps/get
                      env:
                        HOST: |
                          {{ $.'redis-info'.status }}
        "#]],
    );
}

#[test]
fn quoted_step_id_in_double_quoted_templates() {
    check(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: "redis-info"
  - name: registry/steps/get
    env:
      HOST: "{{ $.\"redis-$0info\".status }} {{ $.'redis-info'.status }}"
      IP: '{{ $."redis-info".status }}'
"#,
        ),
        "redis-facts",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: steps
            steps:
              - name: registry/steps/get
                id: "redis-facts"
              - name: registry/steps/get
                env:
                  HOST: "{{ $.\"redis-facts\".status }} {{ $.'redis-facts'.status }}"
                  IP: '{{ $."redis-facts".status }}'
        "#]],
    );
}

/// Two playbooks declare `Host`, each with a bound trigger: renaming one playbook's
/// parameter (here from a trigger's key) leaves the other alone.
#[test]
fn parameter_from_a_trigger_key_of_another_file() {
    check(
        &with_manifest(
            r#"
//- a.yaml
kind: Playbook
metadata:
  name: alpha
parameters:
  - name: Host
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
  name: on-alpha
scenarios:
  - name: one
    parameters:
      "Ho$0st": 10.0.0.1
//- triggers/beta.yaml
kind: Trigger
playbook: beta
metadata:
  name: on-beta
scenarios:
  - name: one
    parameters:
      Host: 10.0.0.2
"#,
        ),
        "true",
        expect![[r#"
            //- a.yaml
            kind: Playbook
            metadata:
              name: alpha
            parameters:
              - name: 'true'
                type: var
            steps:
              - name: registry/steps/get
                env:
                  HOST: "{{ $.params.true }}"
            //- triggers/alpha.yaml
            kind: Trigger
            playbook: alpha
            metadata:
              name: on-alpha
            scenarios:
              - name: one
                parameters:
                  "true": 10.0.0.1
        "#]],
    );
}

/// A bare loop path that is the step id alone is a whole YAML scalar: a new id that YAML
/// would read as a boolean is quoted there.
#[test]
fn step_id_alone_in_a_bare_path() {
    check(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: fetch$0
  - foreach:
      in: fetch
      steps:
        - name: registry/steps/get
  - foreach:
      in: 'fetch.items'
      steps:
        - name: registry/steps/get
"#,
        ),
        "yes",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: steps
            steps:
              - name: registry/steps/get
                id: 'yes'
              - foreach:
                  in: 'yes'
                  steps:
                    - name: registry/steps/get
              - foreach:
                  in: 'yes.items'
                  steps:
                    - name: registry/steps/get
        "#]],
    );
}

#[test]
fn same_name_changes_nothing() {
    check(
        &with_manifest(&PARAMS.replace("- name: Host", "- name: Host$0")),
        "Host",
        expect![[r#"
            no edits
        "#]],
    );
}

#[test]
fn refusals() {
    let at_host = with_manifest(&PARAMS.replace("- name: Host", "- name: Host$0"));
    check(
        &at_host,
        "Other",
        expect![[r#"
        error: a parameter named `Other` already exists (line 7)
    "#]],
    );
    check(
        &at_host,
        "",
        expect![[r#"
        error: the new parameter name is empty
    "#]],
    );
    check(
        &at_host,
        "my host",
        expect![[r#"
        error: `my host` is not a valid parameter name: it contains whitespace
    "#]],
    );
    check(
        &at_host,
        "a.b",
        expect![[r#"
        error: `a.b` is not a valid parameter name: `.` is not allowed; use letters, digits, `_` and `-`
    "#]],
    );
    check(
        &at_host,
        "x{{y}}",
        expect![[r#"
        error: `x{{y}}` is not a valid parameter name: `{` is not allowed; use letters, digits, `_` and `-`
    "#]],
    );
    check(
        &at_host,
        "tab\there",
        expect![[r#"
        error: `tab\there` is not a valid parameter name: it contains whitespace
    "#]],
    );
    // A read of an undeclared parameter would start reading this one.
    check(
        &with_manifest(
            &PARAMS
                .replace("{{ $.params.Other }}", "{{ $.params.Nope }}")
                .replace("- name: Host", "- name: Host$0"),
        ),
        "Nope",
        expect![[r#"
            error: `$.params.Nope` is read at line 15 but not declared: renaming to `Nope` would make it read this parameter
        "#]],
    );
    let at_fetch = with_manifest(&STEPS.replace("id: fetch", "id: fetch$0"));
    check(
        &at_fetch,
        "params",
        expect![[r#"
        error: `$.params` is a root of the run's context: a step with id `params` could not be read
    "#]],
    );
    check(
        &at_fetch,
        "é",
        expect![[r#"
        error: `é` is not a valid step id: `é` is not allowed; use ASCII letters, digits, `_` and `-`
    "#]],
    );
    // A root-form read of an output would start reading the step.
    check(
        &with_manifest(
            &STEPS
                .replace("IP: '{{ .fetch.status }}'", "IP: '{{ .status }}'")
                .replace("id: fetch", "id: fetch$0"),
        ),
        "status",
        expect![[r#"
            error: `$.status` is already read at line 10: a step with id `status` would change what it reads
        "#]],
    );
    check(
        &with_manifest(
            &STEPS
                .replace(
                    "- name: registry/steps/get\n    env:",
                    "- name: registry/steps/get\n    id: other\n    env:",
                )
                .replace("id: fetch", "id: fetch$0"),
        ),
        "other",
        expect![[r#"
            error: step id `other` is already used by another step (line 8)
        "#]],
    );
    check(
        &with_manifest(
            &STEPS
                .replace("in: fetch.items", "in: fetch.items\n      value: pod")
                .replace("id: fetch", "id: fetch$0"),
        ),
        "pod",
        expect![[r#"
            error: `pod` is a loop variable of this playbook: a step with that id would be hidden by it
        "#]],
    );
    // The trigger's scenario already sets the new name.
    check(
        &with_manifest(
            &PARAMS
                .replace("- name: Host", "- name: Host$0")
                .replace("Other: x", "Extra: x"),
        ),
        "Extra",
        expect![[r#"
            error: a scenario of trigger.yaml already sets `Extra` (line 9)
        "#]],
    );
    // Not a parameter or a step id.
    check(
        &with_manifest(&STEPS.replace("$.fetch.status }} {{ get", "$.fetch.sta$0tus }} {{ get")),
        "state",
        expect![[r#"
            error: only parameters and step ids can be renamed: output `status` is named by the step's manifest
        "#]],
    );
    check(
        &with_manifest(&STEPS.replace("kind: Playbook", "ki$0nd: Playbook")),
        "x",
        expect![[r#"
        error: there is no parameter or step id here to rename
    "#]],
    );
}

#[test]
fn broken_file() {
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
        "Server",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook
            metadata:
              name: broken
              description: this: is not valid
            parameters:
              - name: Server
                type: var
            steps:
              - name: registry/steps/get
                env:
                  HOST: "{{ $.params.Server }}"
                  IP: "{{ $.params.Server"
              - name: registry/steps/get
                env:
                  HOST: '{{ index $.params "Server" }}'
                  IP: {{ oops
        "#]],
    );
}

#[test]
fn multi_byte_text_and_crlf() {
    check(
        &with_manifest(
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
      IP: 'é {{ index $.params "Größe" }} {{ $.params.Größe }}'
"#
            .replace('\n', "\r\n"),
        ),
        "Maße-x",
        expect![[r#"
            //- playbook.yaml
            kind: Playbook\r
            metadata:\r
              name: unicode\r
              description: "café ☕ — ünïcödé"\r
            parameters:\r
              - name: Maße-x\r
                type: var\r
            steps:\r
              - name: registry/steps/get\r
                env:\r
                  HOST: "☕ {{ $.params.'Maße-x' }} ☕"\r
                  IP: 'é {{ index $.params "Maße-x" }} {{ $.params.''Maße-x'' }}'\r
        "#]],
    );
}

#[test]
fn prepare() {
    check_prepare(
        &with_manifest(
            &PARAMS.replace("{{ $.params.Host }} {{ get", "{{ $.params.Ho$0st }} {{ get"),
        ),
        expect![[r#"
            playbook.yaml:14:26-14:30 "Host" "Host"
        "#]],
    );
    check_prepare(
        &with_manifest(&PARAMS.replace("{'Host': y}", "{'Ho$0st': y}")),
        expect![[r#"
            trigger.yaml:11:19-11:23 "Host" "Host"
        "#]],
    );
    check_prepare(
        &with_manifest(
            r#"
kind: Playbook
metadata:
  name: steps
steps:
  - name: registry/steps/get
    id: 'redis-info'
  - name: registry/steps/get
    env:
      HOST: "{{ $.'redis-$0info'.status }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:9:20-9:30 "redis-info" "redis-info"
        "#]],
    );
    check_prepare(
        &with_manifest(&STEPS.replace("$.fetch.status }} {{ get", "$.fetch.sta$0tus }} {{ get")),
        expect![[r#"
            error: only parameters and step ids can be renamed: output `status` is named by the step's manifest
        "#]],
    );
    check_prepare(
        &with_manifest(STEPS).replace("- name: items", "- name: it$0ems"),
        expect![[r#"
            error: only parameters and step ids can be renamed: output `items` is named by the step's manifest
        "#]],
    );
    check_prepare(
        &with_manifest(&STEPS.replace("steps:\n  - name", "st$0eps:\n  - name")),
        expect![[r#"
        error: there is no parameter or step id here to rename
    "#]],
    );
    check_prepare(
        "$0",
        expect![[r#"
        error: there is no parameter or step id here to rename
    "#]],
    );
}

/// At every position of a workspace (multi-byte text, CRLF, a trigger, a broken value),
/// prepareRename and rename answer without panicking, the range prepareRename gives is in
/// the file and holds its placeholder, and every accepted rename keeps the diagnostics.
#[test]
fn every_position() {
    let fixture = with_manifest(&format!(
        "{}{}",
        PARAMS,
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
      IP: 'é {{ index $.params "Größe" }} {{ $.schritt.status }}'
"#
        .replace('\n', "\r\n")
    ));
    let f = common::fixture(&fixture);
    let mut renamed = 0;
    for path in ["playbook.yaml", "trigger.yaml", "unicode.yaml"] {
        let file = f.file(path);
        let text = f.text(path);
        for offset in 0..=text.len() as u32 {
            if let Ok(target) = prepare_rename(f.db(), file, offset) {
                let range = target.range;
                assert!(
                    text.get(range.as_usize()) == Some(target.placeholder.as_str()),
                    "{path}@{offset}: {target:?}"
                );
            }
            if let Ok(change) = rename(f.db(), file, offset, "Renamed-1") {
                render(&f, &change);
                renamed += 1;
            }
        }
    }
    assert!(renamed > 100, "only {renamed} positions renamed");
}
