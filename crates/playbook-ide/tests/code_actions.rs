//! Code actions: the quick fixes of the diagnostics at the cursor, the inputs and parameters
//! the editor adds, and `source.fixAll.playbook`.

mod common;

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_db::AnalysisHost;
use playbook_diagnostics::{Diagnostic, TextRange};
use playbook_ide::{CodeActionKind, code_actions};

/// A step library of one manifest, `registry/steps/redis/info`.
const LIBRARY: &str = r#"
//- library registry/steps/ steps
//- steps/redis/info/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis-info
envs:
  - name: REDIS_IP
    type: string
    required: true
  - name: REDIS_PORT
    type: int
    required: true
  - name: REDIS_PASSWORD
    type: string
outputs:
  - name: info
    type: json
    example: '{"Clients": {"connected_clients": "2"}}'
  - name: status
    type: string
"#;

/// Renders every code action at the cursor (`$0`; the whole file without one) of the
/// fixture's `playbook.yaml` (or the file of the cursor): title, kind, whether it is
/// preferred, the diagnostic it fixes, and the file's text after its edits.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (path, range) = match &f.cursor {
        Some((path, offset)) => (path.clone(), TextRange::empty(*offset)),
        None => {
            let len = f.text("playbook.yaml").len() as u32;
            ("playbook.yaml".to_owned(), TextRange::new(0, len))
        }
    };
    let actions = code_actions(f.db(), f.file(&path), range);
    let mut out = String::new();
    for action in &actions {
        let kind = match action.kind {
            CodeActionKind::QuickFix => "quickfix",
            CodeActionKind::SourceFixAll => "source.fixAll.playbook",
        };
        let preferred = if action.preferred { ", preferred" } else { "" };
        let code = action
            .diagnostic
            .map_or(String::new(), |(c, _)| format!(", {c}"));
        let _ = writeln!(out, "-- {} ({kind}{preferred}{code})", action.title);
        for (edited, edits) in &action.edit.edits {
            if *edited != path {
                let _ = writeln!(out, "   in {edited}:");
            }
            // A carriage return is shown, so that CRLF files show which break was written.
            let after = common::apply(f.text(edited), edits).replace('\r', "␍");
            out.push_str(&after);
            if !after.ends_with('\n') {
                out.push_str("\n(no line break at the end)\n");
            }
        }
    }
    if actions.is_empty() {
        out.push_str("no action\n");
    }
    expect.assert_eq(&out);
}

fn with_library(playbook: &str) -> String {
    format!("{playbook}{LIBRARY}")
}

#[test]
fn an_unknown_parameter_is_replaced_by_the_declared_one_or_declared() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
  - name: Port
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.Redis$0IP }}"
      REDIS_PORT: "{{ $.params.Port }}"
"#,
        ),
        expect![[r#"
            -- Replace with `RedisIp` (quickfix, preferred, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Port
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.RedisIp }}"
                  REDIS_PORT: "{{ $.params.Port }}"

            -- Declare parameter `RedisIP` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Port
                type: var
              - name: RedisIP
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.RedisIP }}"
                  REDIS_PORT: "{{ $.params.Port }}"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Port
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.RedisIp }}"
                  REDIS_PORT: "{{ $.params.Port }}"

        "#]],
    );
}

#[test]
fn an_unknown_parameter_read_with_index_is_replaced_inside_its_string() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: '{{ index $.params "Redis$0IP" }}'
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Replace with `RedisIp` (quickfix, preferred, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ index $.params "RedisIp" }}'
                  REDIS_PORT: "1"

            -- Declare parameter `RedisIP` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: RedisIP
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ index $.params "RedisIP" }}'
                  REDIS_PORT: "1"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ index $.params "RedisIp" }}'
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn a_step_id_that_needs_quotes_is_quoted_for_the_template_and_the_yaml() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    id: redis-info
    env: {REDIS_IP: a, REDIS_PORT: "1"}
  - name: registry/steps/redis/info
    env:
      REDIS_IP: '{{ $.redis_inf$0.status }}'
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Replace with `redis-info` (quickfix, preferred, PB401)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis-info
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ $.''redis-info''.status }}'
                  REDIS_PORT: "1"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis-info
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ $.''redis-info''.status }}'
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn outputs_fields_and_context_fields_are_replaced() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    id: redis
    env: {REDIS_IP: a, REDIS_PORT: "1"}
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.redis.infos }} {{ $.redis.info.Clients.connected_client }}"
      REDIS_PORT: |
        {{ $.metadata.userEmial }}
"#,
        ),
        expect![[r#"
            -- Replace with `info` (quickfix, preferred, PB404)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.redis.info }} {{ $.redis.info.Clients.connected_client }}"
                  REDIS_PORT: |
                    {{ $.metadata.userEmial }}

            -- Replace with `connected_clients` (quickfix, PB405)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.redis.infos }} {{ $.redis.info.Clients.connected_clients }}"
                  REDIS_PORT: |
                    {{ $.metadata.userEmial }}

            -- Replace with `userEmail` (quickfix, PB407)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.redis.infos }} {{ $.redis.info.Clients.connected_client }}"
                  REDIS_PORT: |
                    {{ $.metadata.userEmail }}

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                id: redis
                env: {REDIS_IP: a, REDIS_PORT: "1"}
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.redis.info }} {{ $.redis.info.Clients.connected_client }}"
                  REDIS_PORT: |
                    {{ $.metadata.userEmial }}

        "#]],
    );
}

#[test]
fn an_unknown_function_is_replaced() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ toJSO$0N $.event }}"
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Replace with `toJson` (quickfix, preferred, PB110)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJson $.event }}"
                  REDIS_PORT: "1"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJson $.event }}"
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn inputs_settings_and_images_are_replaced_in_their_scalars() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: 'registry/steps/redis/infos:1.2'
    env:
      REDIS_IP: a
      REDIS_PORT: "1"
  - name: registry/steps/redis/info
    env:
      "REDIS_IPP": a
      REDIS_PORT: "1"
      SP_FORMATER: raw
  # Renamed, the key would be given twice: no fix.
  - name: registry/steps/redis/info
    env:
      REDIS_IPP: a
      REDIS_IP: a
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Replace with `registry/steps/redis/info:1.2` (quickfix, preferred, PB501)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: 'registry/steps/redis/info:1.2'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  "REDIS_IPP": a
                  REDIS_PORT: "1"
                  SP_FORMATER: raw
              # Renamed, the key would be given twice: no fix.
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Add required input `REDIS_IP` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: 'registry/steps/redis/infos:1.2'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  "REDIS_IPP": a
                  REDIS_PORT: "1"
                  SP_FORMATER: raw
                  REDIS_IP: ""
              # Renamed, the key would be given twice: no fix.
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Replace with `REDIS_IP` (quickfix, preferred, PB502)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: 'registry/steps/redis/infos:1.2'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  "REDIS_IP": a
                  REDIS_PORT: "1"
                  SP_FORMATER: raw
              # Renamed, the key would be given twice: no fix.
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Replace with `SP_FORMATTER` (quickfix, PB510)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: 'registry/steps/redis/infos:1.2'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  "REDIS_IPP": a
                  REDIS_PORT: "1"
                  SP_FORMATTER: raw
              # Renamed, the key would be given twice: no fix.
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: 'registry/steps/redis/info:1.2'
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"
              - name: registry/steps/redis/info
                env:
                  "REDIS_IP": a
                  REDIS_PORT: "1"
                  SP_FORMATER: raw
              # Renamed, the key would be given twice: no fix.
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: a
                  REDIS_IP: a
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn a_trigger_names_its_playbook_and_parameters() {
    check(
        r#"
//- playbook.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t
playbook: redis-diagnostic
scenarios:
  - name: Alert
    parameters:
      RedisIP: x
---
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t2
playbook: redis-diagnostics
scenarios:
  - name: Alert
    parameters:
      'RedisIP': x
//- redis.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
"#,
        expect![[r#"
            -- Replace with `redis-diagnostics` (quickfix, PB601)
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  RedisIP: x
            ---
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t2
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  'RedisIP': x
            -- Replace with `RedisIp` (quickfix, preferred, PB602)
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis-diagnostic
            scenarios:
              - name: Alert
                parameters:
                  RedisIP: x
            ---
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t2
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  'RedisIp': x
            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis-diagnostic
            scenarios:
              - name: Alert
                parameters:
                  RedisIP: x
            ---
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t2
            playbook: redis-diagnostics
            scenarios:
              - name: Alert
                parameters:
                  'RedisIp': x
        "#]],
    );
}

#[test]
fn misspelled_keys_types_and_kinds_are_replaced() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbok
metadata:
  name: p
---
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: q
parameters:
  - name: Token
    type: "secrt"
steps:
  - name: registry/steps/redis/info
    envs:
      REDIS_IP: a
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Replace with `Playbook` (quickfix, PB212)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            ---
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: q
            parameters:
              - name: Token
                type: "secrt"
            steps:
              - name: registry/steps/redis/info
                envs:
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Replace with `secret` (quickfix, PB209)
            apiVersion: stackpulse.io/v1
            kind: Playbok
            metadata:
              name: p
            ---
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: q
            parameters:
              - name: Token
                type: "secret"
            steps:
              - name: registry/steps/redis/info
                envs:
                  REDIS_IP: a
                  REDIS_PORT: "1"

            -- Replace with `env` (quickfix, PB201)
            apiVersion: stackpulse.io/v1
            kind: Playbok
            metadata:
              name: p
            ---
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: q
            parameters:
              - name: Token
                type: "secrt"
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: a
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn a_secret_parameter_is_read_with_secret() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: Pass
    type: secret
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.Pass }}"
      REDIS_PORT: '{{ printf "%s" $.params.Pass }}'
      REDIS_PASSWORD: "{{ index $.params \"Pass\" | quote }} {{ ($.params.Pass) }}"
"#,
        ),
        expect![[r#"
            -- Read it with `secret` (quickfix, preferred, PB303)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ secret $.params.Pass }}"
                  REDIS_PORT: '{{ printf "%s" $.params.Pass }}'
                  REDIS_PASSWORD: "{{ index $.params \"Pass\" | quote }} {{ ($.params.Pass) }}"

            -- Read it with `secret` (quickfix, preferred, PB303)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.Pass }}"
                  REDIS_PORT: '{{ printf "%s" (secret $.params.Pass) }}'
                  REDIS_PASSWORD: "{{ index $.params \"Pass\" | quote }} {{ ($.params.Pass) }}"

            -- Read it with `secret` (quickfix, preferred, PB303)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.Pass }}"
                  REDIS_PORT: '{{ printf "%s" $.params.Pass }}'
                  REDIS_PASSWORD: "{{ secret (index $.params \"Pass\") | quote }} {{ ($.params.Pass) }}"

            -- Read it with `secret` (quickfix, preferred, PB303)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.Pass }}"
                  REDIS_PORT: '{{ printf "%s" $.params.Pass }}'
                  REDIS_PASSWORD: "{{ index $.params \"Pass\" | quote }} {{ (secret $.params.Pass) }}"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ secret $.params.Pass }}"
                  REDIS_PORT: '{{ printf "%s" (secret $.params.Pass) }}'
                  REDIS_PASSWORD: "{{ secret (index $.params \"Pass\") | quote }} {{ (secret $.params.Pass) }}"

        "#]],
    );
}

#[test]
fn a_value_with_a_colon_is_quoted() {
    check(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
  description: use allContainers: true
steps:
  - name: a
    when: it's: "x"
  - name: b
    when: a: b
      c # d
"#,
        expect![[r#"
            -- Quote the value (quickfix, preferred, PB002)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
              description: "use allContainers: true"
            steps:
              - name: a
                when: it's: "x"
              - name: b
                when: a: b
                  c # d
            -- Quote the value (quickfix, preferred, PB002)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
              description: use allContainers: true
            steps:
              - name: a
                when: 'it''s: "x"'
              - name: b
                when: a: b
                  c # d
            -- Quote the value (quickfix, preferred, PB002)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
              description: use allContainers: true
            steps:
              - name: a
                when: it's: "x"
              - name: b
                when: 'a: b
                  c' # d
            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
              description: "use allContainers: true"
            steps:
              - name: a
                when: 'it''s: "x"'
              - name: b
                when: 'a: b
                  c' # d
        "#]],
    );
}

#[test]
fn unused_suppressions_are_removed() {
    check(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  # playbook: ignore[unused-parameter]
  - name: Used
    type: var
  - name: Unused # playbook: ignore[PB301, unused-parameter, PB110]
    type: var
  - name: Other # playbook: ignore[unused-paramter]
    type: var
steps:
  - name: a
    when: "{{ $.params.Used }}"
"#,
        expect![[r#"
            -- Remove the suppression comment (quickfix, preferred, PB904)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Used
                type: var
              - name: Unused # playbook: ignore[PB301, unused-parameter, PB110]
                type: var
              - name: Other # playbook: ignore[unused-paramter]
                type: var
            steps:
              - name: a
                when: "{{ $.params.Used }}"
            -- Remove `PB301` from the suppression (quickfix, preferred, PB904)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              # playbook: ignore[unused-parameter]
              - name: Used
                type: var
              - name: Unused # playbook: ignore[unused-parameter, PB110]
                type: var
              - name: Other # playbook: ignore[unused-paramter]
                type: var
            steps:
              - name: a
                when: "{{ $.params.Used }}"
            -- Remove `PB110` from the suppression (quickfix, preferred, PB904)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              # playbook: ignore[unused-parameter]
              - name: Used
                type: var
              - name: Unused # playbook: ignore[PB301, unused-parameter]
                type: var
              - name: Other # playbook: ignore[unused-paramter]
                type: var
            steps:
              - name: a
                when: "{{ $.params.Used }}"
            -- Replace with `unused-parameter` (quickfix, PB904)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              # playbook: ignore[unused-parameter]
              - name: Used
                type: var
              - name: Unused # playbook: ignore[PB301, unused-parameter, PB110]
                type: var
              - name: Other # playbook: ignore[unused-parameter]
                type: var
            steps:
              - name: a
                when: "{{ $.params.Used }}"
            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: Used
                type: var
              - name: Unused # playbook: ignore[unused-parameter]
                type: var
              - name: Other # playbook: ignore[unused-paramter]
                type: var
            steps:
              - name: a
                when: "{{ $.params.Used }}"
        "#]],
    );
}

#[test]
fn missing_required_inputs_are_added_under_env() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_PASSWORD: x # the password
  - name: registry/steps/redis/info
    id: bare
  - name: registry/steps/redis/info
    env:
  - name: registry/steps/redis/info
    env: {REDIS_IP: a}
  - name: registry/steps/redis/info
    when: |
      {{ true }}
"#,
        ),
        expect![[r#"
            -- Add required inputs `REDIS_IP`, `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_PASSWORD: x # the password
                  REDIS_IP: ""
                  REDIS_PORT: ""
              - name: registry/steps/redis/info
                id: bare
              - name: registry/steps/redis/info
                env:
              - name: registry/steps/redis/info
                env: {REDIS_IP: a}
              - name: registry/steps/redis/info
                when: |
                  {{ true }}

            -- Add required inputs `REDIS_IP`, `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_PASSWORD: x # the password
              - name: registry/steps/redis/info
                id: bare
                env:
                  REDIS_IP: ""
                  REDIS_PORT: ""
              - name: registry/steps/redis/info
                env:
              - name: registry/steps/redis/info
                env: {REDIS_IP: a}
              - name: registry/steps/redis/info
                when: |
                  {{ true }}

            -- Add required inputs `REDIS_IP`, `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_PASSWORD: x # the password
              - name: registry/steps/redis/info
                id: bare
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: ""
                  REDIS_PORT: ""
              - name: registry/steps/redis/info
                env: {REDIS_IP: a}
              - name: registry/steps/redis/info
                when: |
                  {{ true }}

            -- Add required input `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_PASSWORD: x # the password
              - name: registry/steps/redis/info
                id: bare
              - name: registry/steps/redis/info
                env:
              - name: registry/steps/redis/info
                env: {REDIS_IP: a, REDIS_PORT: ""}
              - name: registry/steps/redis/info
                when: |
                  {{ true }}

            -- Add required inputs `REDIS_IP`, `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_PASSWORD: x # the password
              - name: registry/steps/redis/info
                id: bare
              - name: registry/steps/redis/info
                env:
              - name: registry/steps/redis/info
                env: {REDIS_IP: a}
              - name: registry/steps/redis/info
                when: |
                  {{ true }}
                env:
                  REDIS_IP: ""
                  REDIS_PORT: ""

        "#]],
    );
}

#[test]
fn a_parameter_is_declared_where_the_file_declares_them() {
    // No `parameters:` yet, four-space indentation, a sequence flush with its key.
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
    name: p
steps:
-   name: registry/steps/redis/info
    env:
        REDIS_IP: "{{ $.params.Host$0 }}"
        REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Declare parameter `Host` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
                name: p
            parameters:
            -   name: Host
                type: var
            steps:
            -   name: registry/steps/redis/info
                env:
                    REDIS_IP: "{{ $.params.Host }}"
                    REDIS_PORT: "1"

        "#]],
    );
    // An empty `parameters:`, and a name that YAML must quote.
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: '{{ index $.params "$0true" }}'
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Declare parameter `true` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: "true"
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: '{{ index $.params "true" }}'
                  REDIS_PORT: "1"

        "#]],
    );
}

#[test]
fn fix_all_applies_every_safe_fix_once() {
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
  - name: Pass
    type: secret
steps:
  - name: registry/steps/redis/info
    id: redis
    envs:
      REDIS_IP: "{{ $.params.RedisIP }}"
  - name: registry/steps/redis/info
    env:
      REDIS_IPP: "{{ toJSON $.redis.infos }}"
      REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]
"#,
        ),
        expect![[r#"
            -- Replace with `env` (quickfix, PB201)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                env:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJSON $.redis.infos }}"
                  REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]

            -- Add required input `REDIS_IP` (quickfix, PB503)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJSON $.redis.infos }}"
                  REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]
                  REDIS_IP: ""

            -- Replace with `REDIS_IP` (quickfix, preferred, PB502)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJSON $.redis.infos }}"
                  REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]

            -- Replace with `toJson` (quickfix, preferred, PB110)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJson $.redis.infos }}"
                  REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]

            -- Replace with `info` (quickfix, preferred, PB404)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJSON $.redis.info }}"
                  REDIS_PORT: "{{ $.params.Pass }}" # playbook: ignore[PB110]

            -- Read it with `secret` (quickfix, preferred, PB303)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJSON $.redis.infos }}"
                  REDIS_PORT: "{{ secret $.params.Pass }}" # playbook: ignore[PB110]

            -- Remove the suppression comment (quickfix, preferred, PB904)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IPP: "{{ toJSON $.redis.infos }}"
                  REDIS_PORT: "{{ $.params.Pass }}"

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: Pass
                type: secret
            steps:
              - name: registry/steps/redis/info
                id: redis
                envs:
                  REDIS_IP: "{{ $.params.RedisIP }}"
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ toJson $.redis.info }}"
                  REDIS_PORT: "{{ secret $.params.Pass }}"

        "#]],
    );
}

#[test]
fn edge_cases_multi_byte_crlf_escapes_and_broken_files() {
    // Multi-byte text before the name; CRLF line breaks.
    check(
        &with_library(
            "apiVersion: stackpulse.io/v1\r\nkind: Playbook\r\nmetadata:\r\n  name: p\r\nparameters:\r\n  - name: RedisIp\r\n    type: var\r\nsteps:\r\n  - name: registry/steps/redis/info\r\n    env:\r\n      REDIS_IP: \"é😀 {{ $.params.Redis$0IP }}\"\r\n",
        ),
        expect![[r#"
            -- Replace with `RedisIp` (quickfix, preferred, PB301)
            apiVersion: stackpulse.io/v1␍
            kind: Playbook␍
            metadata:␍
              name: p␍
            parameters:␍
              - name: RedisIp␍
                type: var␍
            steps:␍
              - name: registry/steps/redis/info␍
                env:␍
                  REDIS_IP: "é😀 {{ $.params.RedisIp }}"␍

            -- Declare parameter `RedisIP` (quickfix, PB301)
            apiVersion: stackpulse.io/v1␍
            kind: Playbook␍
            metadata:␍
              name: p␍
            parameters:␍
              - name: RedisIp␍
                type: var␍
              - name: RedisIP␍
                type: var␍
            steps:␍
              - name: registry/steps/redis/info␍
                env:␍
                  REDIS_IP: "é😀 {{ $.params.RedisIP }}"␍

            -- Fix all auto-fixable problems (source.fixAll.playbook)
            apiVersion: stackpulse.io/v1␍
            kind: Playbook␍
            metadata:␍
              name: p␍
            parameters:␍
              - name: RedisIp␍
                type: var␍
            steps:␍
              - name: registry/steps/redis/info␍
                env:␍
                  REDIS_IP: "é😀 {{ $.params.RedisIp }}"␍

        "#]],
    );
    // A name written with an escape has no replacement (the declaration is still offered).
    check(
        &with_library(
            r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.Redis\x49$0P }}"
      REDIS_PORT: "1"
"#,
        ),
        expect![[r#"
            -- Declare parameter `RedisIP` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: RedisIp
                type: var
              - name: RedisIP
                type: var
            steps:
              - name: registry/steps/redis/info
                env:
                  REDIS_IP: "{{ $.params.Redis\x49P }}"
                  REDIS_PORT: "1"

        "#]],
    );
    // An unclosed `{{`: the read is still reported, and the parameter can be declared.
    check(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
steps:
  - name: a
    when: "{{ $.params.X$0"
"#,
        expect![[r#"
            -- Declare parameter `X` (quickfix, PB301)
            apiVersion: stackpulse.io/v1
            kind: Playbook
            metadata:
              name: p
            parameters:
              - name: X
                type: var
            steps:
              - name: a
                when: "{{ $.params.X"
        "#]],
    );
    // Cursor at the start and at the end of the file.
    check(
        "$0metdata:\n  name: p\napiVersion: stackpulse.io/v1\nkind: Playbook\n",
        expect![[r#"
            -- Replace with `metadata` (quickfix, PB201)
            metadata:
              name: p
            apiVersion: stackpulse.io/v1
            kind: Playbook
        "#]],
    );
    check(
        "//- redis.yaml\napiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: redis\n//- playbook.yaml\napiVersion: stackpulse.io/v1\nkind: Trigger\nmetadata:\n  name: t\nplaybook: Redis$0",
        expect![[r#"
            -- Replace with `redis` (quickfix, PB601)
            apiVersion: stackpulse.io/v1
            kind: Trigger
            metadata:
              name: t
            playbook: redis
            (no line break at the end)
        "#]],
    );
    // CRLF: the lines added end as the file's lines do.
    check(
        &with_library(
            "apiVersion: stackpulse.io/v1\r\nkind: Playbook\r\nmetadata:\r\n  name: p\r\nsteps:\r\n  - name: registry/steps/redis/info$0\r\n    env:\r\n      REDIS_IP: a\r\n",
        ),
        expect![[r#"
            -- Add required input `REDIS_PORT` (quickfix, PB503)
            apiVersion: stackpulse.io/v1␍
            kind: Playbook␍
            metadata:␍
              name: p␍
            steps:␍
              - name: registry/steps/redis/info␍
                env:␍
                  REDIS_IP: a␍
                  REDIS_PORT: ""␍

        "#]],
    );
}

/// Every file of a fixture's workspace, with its text, and the libraries: to rebuild the
/// workspace in a fresh host with one file changed.
fn rebuild(f: &common::Fixture, path: &str, text: String) -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_libraries(f.host.libraries().to_vec());
    host.set_known_secrets(f.host.known_secrets().map(<[String]>::to_vec));
    for other in f.host.files() {
        let body = if other == path {
            text.clone()
        } else {
            f.text(other).to_owned()
        };
        host.set_file_text(other, body);
    }
    host
}

/// What a diagnostic says, without where (edits move what follows them).
fn said(d: &Diagnostic) -> (&'static str, String) {
    (d.code.id, d.message.clone())
}

/// Fixtures with at least one finding of every kind that has a safe fix.
const SAFE_FIXTURES: &[&str] = &[
    r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: p
parameters:
  - name: RedisIp
    type: var
  - name: Port
    type: var
  - name: Pass
    type: secret
steps:
  - name: registry/steps/redis/info
    id: redis-info
    env:
      REDIS_IP: "{{ $.params.RedisIP }}"
      REDIS_PORT: '{{ index $.params "port" }}'
  - name: registry/steps/redis/info
    env:
      REDIS_IPP: "{{ toJSON $.redis_inf.info }}"
      REDIS_IP: "{{ $.'redis-info'.info.Clients.connected_client }} {{ $.metadata.userEmial }} {{ $.'redis-info'.infos }}"
      REDIS_PORT: "{{ $.params.Port }} {{ printf \"%s\" $.params.Pass }}"
      SP_FORMATER: raw
      REDIS_PASSWORD: "{{ $.params.Pass }}"
  - name: 'registry/steps/redis/infos:1.2'
    env: {REDIS_IP: a, REDIS_PORT: "1"}
"#,
    r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: q
  description: use allContainers: true
parameters:
  # playbook: ignore[unused-parameter]
  - name: Used
    type: secrt
  - name: Unused # playbook: ignore[PB301, unused-parameter, PB110]
    type: var
  - name: Other # playbook: ignore[unused-paramter]
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ secret $.params.Used }}"
      REDIS_PORT: "1"
      REDIS_PASWORD: x
    ignoreFailur: true
  - name: registry/steps/redis/info
    env: {REDIS_IP: a, REDIS_PORT: "1"}
    when: x: y
      z
"#,
    r#"
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t
playbook: redis-diagnostic
---
apiVersion: stackpulse.io/v1
kind: Trigger
metadata:
  name: t2
playbook: redis-diagnostics
scenarios:
  - name: Alert
    parameters:
      'RedisIP': x
---
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
steps:
  - name: registry/steps/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
      REDIS_PORT: "1"
"#,
];

#[test]
fn every_safe_fix_removes_its_finding_and_adds_none() {
    let mut fixed: Vec<&str> = Vec::new();
    for fixture in SAFE_FIXTURES {
        let f = common::fixture(&with_library(fixture));
        let before = f.host.diagnostics("playbook.yaml");
        let text = f.text("playbook.yaml");
        for d in &before {
            for fix in d.fixes.iter().filter(|fix| fix.safe) {
                fixed.push(d.code.id);
                let fixed = common::apply(text, &fix.edits);
                let host = rebuild(&f, "playbook.yaml", fixed.clone());
                let mut left: Vec<_> = before.iter().map(said).collect();
                let at = left.iter().position(|s| *s == said(d));
                left.remove(at.expect("the diagnostic is in the list"));
                for after in host.diagnostics("playbook.yaml") {
                    let at = left.iter().position(|s| *s == said(&after));
                    assert!(
                        at.is_some(),
                        "fixing {} ({}) with `{}` adds {} {}:\n{fixed}",
                        d.code.id,
                        d.message,
                        fix.title,
                        after.code.id,
                        after.message
                    );
                    if let Some(at) = at {
                        left.remove(at);
                    }
                }
            }
        }
    }
    fixed.sort_unstable();
    assert_eq!(
        fixed,
        [
            "PB002", "PB002", "PB110", "PB301", "PB301", "PB303", "PB303", "PB401", "PB404",
            "PB501", "PB502", "PB602", "PB904", "PB904", "PB904"
        ]
    );
}

/// `text` with the fixes applied one at a time, in order, each fix's ranges moved by what
/// the fixes before it inserted or removed before them; a fix that touches a range an
/// earlier fix changed is left out (as fix-all does).
fn apply_one_at_a_time(text: &str, fixes: &[&playbook_diagnostics::Fix]) -> String {
    let mut text = text.to_owned();
    // (original range, length change) of every edit applied so far.
    let mut applied: Vec<(TextRange, i64)> = Vec::new();
    for fix in fixes {
        let clash = fix.edits.iter().any(|e| {
            applied.iter().any(|(r, _)| {
                if r.is_empty() || e.range.is_empty() {
                    let (point, other) = if r.is_empty() {
                        (*r, e.range)
                    } else {
                        (e.range, *r)
                    };
                    other.start() <= point.start() && point.start() <= other.end()
                } else {
                    r.start() < e.range.end() && e.range.start() < r.end()
                }
            })
        });
        if clash {
            continue;
        }
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
        let moved: Vec<(TextRange, i64, String)> = edits
            .iter()
            .map(|e| {
                let delta: i64 = applied
                    .iter()
                    .filter(|(r, _)| r.end() <= e.range.start())
                    .map(|(_, d)| d)
                    .sum();
                let start = (i64::from(e.range.start()) + delta) as usize;
                let end = (i64::from(e.range.end()) + delta) as usize;
                (TextRange::new(start as u32, end as u32), 0, e.text.clone())
            })
            .collect();
        for (range, _, new) in &moved {
            text.replace_range(range.as_usize(), new);
        }
        for e in &fix.edits {
            applied.push((e.range, e.text.len() as i64 - i64::from(e.range.len())));
        }
    }
    text
}

#[test]
fn fix_all_equals_the_safe_fixes_applied_one_at_a_time() {
    for fixture in SAFE_FIXTURES {
        let f = common::fixture(&with_library(fixture));
        let text = f.text("playbook.yaml");
        let diagnostics = f.host.diagnostics("playbook.yaml");
        let firsts: Vec<&playbook_diagnostics::Fix> = diagnostics
            .iter()
            .filter_map(|d| d.fixes.iter().find(|fix| fix.safe))
            .collect();
        let all = playbook_ide::code_actions::fix_all_edits(text, &diagnostics).unwrap_or_default();
        assert_eq!(
            common::apply(text, &all),
            apply_one_at_a_time(text, &firsts)
        );
        let action = code_actions(f.db(), f.file("playbook.yaml"), TextRange::empty(0))
            .into_iter()
            .find(|a| a.kind == CodeActionKind::SourceFixAll)
            .expect("a fix-all action");
        assert_eq!(action.edit.edits.get("playbook.yaml"), Some(&all));
    }
}

/// Every fixture of this file and the example playbooks, cut at many places (broken YAML,
/// unclosed templates), with code actions asked at many ranges: none panics, and every
/// edit is inside the text, on character boundaries, sorted and not overlapping.
#[test]
fn any_text_and_range_gives_edits_inside_the_text() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbooks");
    let mut texts: Vec<String> = SAFE_FIXTURES.iter().map(|f| f.to_string()).collect();
    texts.push(
        "apiVersion: stackpulse.io/v1\r\nkind: Playbook\r\nmetadata:\r\n  name: é😀\r\nsteps:\r\n  - name: registry/steps/redis/info\r\n    env:\r\n      REDIS_IP: \"é😀 {{ $.params.X }}\"\r\n".to_owned(),
    );
    for name in ["redis-diagnostics.yaml", "pod-crashloop-triage.yaml"] {
        if let Ok(text) = std::fs::read_to_string(examples.join(name)) {
            texts.push(text);
        }
    }
    for text in texts {
        let mut f = common::fixture(&with_library("kind: Playbook\n"));
        let cuts: Vec<usize> = (0..=text.len())
            .step_by(13)
            .chain([text.len()])
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for cut in cuts {
            let prefix = &text[..cut];
            f.host.set_file_text("playbook.yaml", prefix.to_owned());
            let file = f.file("playbook.yaml");
            let len = prefix.len() as u32;
            let ranges = [
                TextRange::new(0, len),
                TextRange::empty(len),
                TextRange::empty(len / 2),
                TextRange::new(len / 3, len / 2),
            ];
            for range in ranges {
                for action in code_actions(f.db(), file, range) {
                    for (path, edits) in &action.edit.edits {
                        assert_eq!(path, "playbook.yaml");
                        let mut end = 0;
                        for edit in edits {
                            let r = edit.range;
                            assert!(r.end() <= len, "{r:?} past the end of {prefix:?}");
                            assert!(r.start() >= end, "overlapping edits in {prefix:?}");
                            assert!(prefix.is_char_boundary(r.start() as usize));
                            assert!(prefix.is_char_boundary(r.end() as usize));
                            end = r.end();
                        }
                        let _ = common::apply(prefix, edits);
                    }
                }
            }
        }
    }
}
