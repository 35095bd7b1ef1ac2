//! Checker tests: multi-file fixtures with the expected diagnostics, one test per check
//! (the harness and the shared fixtures are in `common/mod.rs`).

mod common;

use common::*;
use expect_test::expect;

#[test]
fn clean_playbook_has_no_diagnostics() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: RedisIp
    type: var
    default: "{{ $.event.Host }}"
  - name: RedisPassword
    type: secret
  - name: Slack
    type: integration
    options:
      integration_type: slack
  - name: runner
    type: spd
steps:
  - name: lib/redis/info:1.2
    id: redis-info
    runner: "{{ $.params.runner }}"
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
      REDIS_PASSWORD: "{{ secret $.params.RedisPassword }}"
      VERBOSE: "true"
      TIMEOUT: 30
  - name: lib/slack/post
    when: "{{ gt (len .info) 0 }}"
    envFrom:
      integrationRef: "{{ $.params.Slack }}"
    env:
      TEXT: "Clients: {{ $.'redis-info'.info.Clients.connected_clients }} {{ toJson .items }} {{ $.'redis-info'.items.[:].name }}"
  - foreach:
      in: redis-info.items
      value: item
      steps:
        - name: lib/slack/post
          envFrom:
            integrationRef: "{{ $.params.Slack }}"
          env:
            TEXT: "{{ .item.name }} {{ range .item.tags }}{{ .anything }}{{ end }} {{ $.metadata.executionUrl }}"
"#,
        ),
        expect![""],
    );
}

#[test]
fn parameters() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: RedisIp
    type: var
    default: "{{ $.params.Other }}"
  - name: RedisPassword
    type: secret
  - name: Unused
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }} {{ $.params.RedisIp }}"
      REDIS_PASSWORD: "{{ $.params.RedisPassword }} {{ secret $.params.RedisIp }} {{ $.params.RedisPassword | secret }}"
"#,
        ),
        expect![[r#"
            playbook:8:20 PB305 error a parameter default cannot read `params` [defaults are computed before parameters and steps] (help: read `$.event...` or `$.metadata...`, or move the computation into a step)
            playbook:11:11 PB302 hint parameter `Unused` is never used [declared here, read nowhere] (help: use it as `{{ $.params.Unused }}` or remove it)
            playbook:16:30 PB301 error unknown parameter `RedisIP` [did you mean `RedisIp`?] (help: did you mean `RedisIp`? use `$.params.RedisIp`, or declare `RedisIP` under `parameters`)
            playbook:17:27 PB303 error secret parameter `RedisPassword` is read without `secret` [this is the secret's name, not its value] (help: write `{{ secret $.params.RedisPassword }}`)
            playbook:17:63 PB304 warning `secret` applied to `RedisIp`, a `var` parameter [`RedisIp` is not declared `type: secret`] (help: declare `RedisIp` with `type: secret`, or remove the `secret` call)
        "#]],
    );
}

#[test]
fn steps_and_outputs() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/slack/post
    env:
      TEXT: "{{ $.'redis-info'.info }}"
  - name: lib/redis/info
    id: redis-info
    env:
      REDIS_IP: x
  - when: "{{ true }}"
    steps:
      - name: lib/redis/info
        id: maybe
        env:
          REDIS_IP: "{{ $.maybe.info }}"
  - name: lib/slack/post
    env:
      TEXT: "{{ $.maybe.info }} {{ $.'redis-info'.infos }} {{ $.'redis-info'.info.Clients.connected }} {{ $.'redis-info'.version.major }} {{ $.redis_info.info }} {{ $.'redis-info'.output }}"
"#,
        ),
        expect![[r#"
            playbook:6:11 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            playbook:8:19 PB402 error step `redis-info` runs after this [this output does not exist yet] (help: move step `redis-info` before the step that reads it)
            playbook:13:15 PB113 warning the condition `true` is a constant [always true] (help: remove the condition, or write the test that was meant)
            playbook:18:27 PB402 error step `maybe` reads its own output [a step's outputs exist only once it has run] (help: read `maybe`'s output in a later step, or give this value without it)
            playbook:19:11 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            playbook:21:19 PB403 warning step `maybe` may not have run [empty when the step was skipped] (help: read it inside the same block, or give the reading step the same condition)
            playbook:21:51 PB404 warning step `redis-info` has no output `infos` [did you mean `info`?] (help: did you mean `info`? `lib/redis/info` outputs `info`, `version`, `items`, `output`)
            playbook:21:130 PB406 error output `version` is a string and has no fields [field access on a scalar] (help: read `version` itself)
            playbook:21:144 PB401 error `redis_info` names no step, output or context [did you mean `redis-info`?] (help: did you mean `redis-info`? a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step)
        "#]],
    );
}

#[test]
fn bare_root_outputs_and_loops() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ .output }}"
  - name: lib/slack/post
    env:
      TEXT: "{{ .info.Memory.used_memory_human }} {{ .infos }} {{ .output }}"
  - name: lib/redis/info
    env:
      REDIS_IP: x
  - foreach:
      in: "{{ $.nothing }}"
      key: i
      steps:
        - name: lib/slack/post
          env:
            TEXT: "{{ .i }} {{ .value }} {{ .j }}"
"#,
        ),
        expect![[r#"
            playbook:8:22 PB401 error no step runs before this one [`output` is the raw output of the step before] (help: read `output` in a later step, or read `$.<step id>.output` of a step that has run)
            playbook:9:11 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            playbook:11:55 PB401 error `infos` names no step, output or context [did you mean `info`?] (help: did you mean `info`? a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step)
            playbook:19:17 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
        "#]],
    );
}

#[test]
fn functions() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/slack/post
    env:
      TEXT: "{{ toJSON .x }} {{ eq 1 }} {{ len 1 2 }} {{ repeat \"3\" \"-\" }} {{ \"a\" | upper }} {{ \"a\" | eq }} {{ (len .x) | add1 }}"
"#,
        ),
        expect![[r#"
            playbook:6:11 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            playbook:8:17 PB110 error unknown function `toJSON` [did you mean `toJson`?] (help: replace `toJSON` with `toJson`)
            playbook:8:25 PB401 error `x` names no step, output or context [no earlier step has this output] (help: a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step; no earlier step has an output `x`)
            playbook:8:33 PB111 error `eq` takes at least 2 arguments, not 1 [called with 1 argument] (help: the signature is `eq ARG1 ARG2...`)
            playbook:8:44 PB111 error `len` takes 1 argument, not 2 [called with 2 arguments] (help: the signature is `len COLLECTION`)
            playbook:8:65 PB112 error argument 1 of `repeat` must be an int, not a string [this is a string] (help: the signature is `repeat COUNT STRING`)
            playbook:8:111 PB111 error `eq` takes at least 2 arguments, not 1 [called with 1 argument] (help: the signature is `eq ARG1 ARG2...`)
            playbook:8:126 PB401 error `x` names no step, output or context [no earlier step has this output] (help: a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step; no earlier step has an output `x`)
        "#]],
    );
}

#[test]
fn modules() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Chat
    type: integration
    options:
      integration_type: teams
  - name: Plain
    type: var
steps:
  - name: lib/redis/info
    runner: agent-7
    env:
      REDIS_HOST: x
      VERBOSE: "yes"
      TIMEOUT: ten
  - name: lib/slack/post
    runner: "{{ $.params.Plain }}"
    envFrom:
      integrationRef: "{{ $.params.Chat }}"
    env:
      TEXT: hi
  - name: lib/slack/post
    envFrom:
      integrationRef: "{{ $.params.Plain }}"
    env:
      TEXT: hi
  - name: lib/redis/info
    envFrom:
      integrationRef: slack
    env:
      REDIS_IP: x
"#,
        ),
        expect![[r#"
            playbook:13:11 PB503 error missing required input `REDIS_IP` [`lib/redis/info` requires `REDIS_IP`] (help: add `REDIS_IP: <value>` under `env`)
            playbook:14:13 PB508 hint `runner` should name an `spd` parameter, not a fixed value [expected `{{ $.params.<spd parameter> }}`] (help: declare a parameter with `type: spd` and use it here)
            playbook:16:7 PB502 error `REDIS_HOST` is not an input of `lib/redis/info` [not declared by the step's manifest] (help: remove it, or check the step's manifest for the input's name)
            playbook:17:16 PB504 error input `VERBOSE` is a bool, not `yes` [expected `true` or `false`] (help: write `true` or `false`)
            playbook:18:16 PB504 error input `TIMEOUT` is an int, not `ten` [expected an integer] (help: write an integer)
            playbook:22:27 PB507 error `lib/slack/post` does not accept a `teams` integration [`Chat` is a `teams` integration] (help: `lib/slack/post` accepts `slack`)
            playbook:27:27 PB506 error `Plain` is a `var` parameter, not an integration [expected an `integration` parameter] (help: declare `Plain` with `type: integration`)
            playbook:32:23 PB506 error `integrationRef` must name an integration parameter [not a `$.params` reference] (help: write `integrationRef: "{{ $.params.NAME }}"` with an `integration` parameter)
        "#]],
    );
}

#[test]
fn secrets_catalogue() {
    check_with_secrets(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: x
      REDIS_PASSWORD: '{{ secret "REDIS_PASSWORD" }} {{ secret "REDIS_PASWORD" }}'
"#,
        ),
        &["REDIS_PASSWORD"],
        expect![[r#"
            playbook:9:64 PB306 error unknown secret `REDIS_PASWORD` [did you mean `REDIS_PASSWORD`?] (help: use `REDIS_PASSWORD`, or add `REDIS_PASWORD` to `[secrets] known` in playbook.toml)
        "#]],
    );
}

#[test]
fn triggers() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: redis-diagnostic
metadata:
  name: t1
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: redis-diagnostics
metadata:
  name: t2
scenarios:
  - name: Alert
    parameters:
      RedisIP: "{{ .Host }}"
      RedisIp: "{{ .Host }}"
//- trigger
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: ""
metadata:
  name: unbound
"#,
        ),
        expect![[r#"
            trigger:3:11 PB601 error no playbook is named `redis-diagnostic` [did you mean `redis-diagnostics`?] (help: did you mean `redis-diagnostics`? use the `metadata.name` of a playbook, or `""` to leave the trigger unbound)
            trigger:9:7 PB602 error playbook `redis-diagnostics` has no parameter `RedisIP` [did you mean `RedisIp`?] (help: did you mean `RedisIp`? use one of the parameters declared by `redis-diagnostics`)
        "#]],
    );
}

#[test]
fn paths_read_through_get_are_references() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Host
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: '{{ get "$.params.Host" }} {{ get "$.params.Hots" }} {{ get "$.event.Type" }}'
"#,
        ),
        expect![[r#"
            playbook:11:61 PB301 error unknown parameter `Hots` [did you mean `Host`?] (help: did you mean `Host`? use `$.params.Host`, or declare `Hots` under `parameters`)
        "#]],
    );
}

#[test]
fn parameters_read_through_index_are_references() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Host
    type: var
  - name: Token
    type: secret
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: '{{ index $.params "Host" }} {{ index $.params "Hots" }} {{ secret (index $.params "Token") }}'
"#,
        ),
        expect![[r#"
            playbook:13:64 PB301 error unknown parameter `Hots` [did you mean `Host`?] (help: did you mean `Host`? use `$.params.Host`, or declare `Hots` under `parameters`)
        "#]],
    );
}

#[test]
fn secret_checks_follow_parameters_read_through_index() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Host
    type: var
  - name: Token
    type: secret
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: '{{ index $.params "Token" }} {{ secret (index $.params "Host") }} {{ index $.params "Token" | secret }}'
      REDIS_PASSWORD: '{{ secret ((index $.params "Token")) }} {{ secret (index $.params "Token").x }}'
"#,
        ),
        expect![[r#"
            playbook:13:21 PB303 error secret parameter `Token` is read without `secret` [this is the secret's name, not its value] (help: write `{{ secret $.params.Token }}`)
            playbook:13:58 PB304 warning `secret` applied to `Host`, a `var` parameter [`Host` is not declared `type: secret`] (help: declare `Host` with `type: secret`, or remove the `secret` call)
            playbook:14:75 PB303 error secret parameter `Token` is read without `secret` [this is the secret's name, not its value] (help: write `{{ secret $.params.Token }}`)
        "#]],
    );
}

#[test]
fn a_parameter_read_only_by_a_default_is_not_also_unused() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
parameters:
  - name: Cluster
    type: var
  - name: RedisIp
    type: var
    default: "{{ $.params.Cluster }}.internal"
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
"#,
        ),
        expect![[r#"
            playbook:10:20 PB305 error a parameter default cannot read `params` [defaults are computed before parameters and steps] (help: read `$.event...` or `$.metadata...`, or move the computation into a step)
        "#]],
    );
}

/// The checks ask for the file's source (which parses it once more) only to build a fix that
/// needs it: never for a playbook with nothing to fix, once for a missing input. (Asking for
/// every step call made every editor request parse the whole file again.)
#[test]
fn the_source_is_asked_only_for_a_fix_that_needs_it() {
    let clean = format!(
        "{}//- playbook\napiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nparameters:\n  - name: Host\n    type: var\nsteps:\n  - name: lib/redis/info\n    env:\n      REDIS_IP: '{{{{ $.params.Host }}}}'\n  - name: lib/redis/info\n    env:\n      REDIS_IP: x\n",
        common::REDIS_INFO
    );
    let fixture = common::fixture(&clean, None);
    assert_eq!(common::render(&fixture), "");
    assert_eq!(fixture.source_asked.get(), 0);
    let missing = clean.replace("      REDIS_IP: x\n", "      VERBOSE: 'true'\n");
    let fixture = common::fixture(&missing, None);
    assert!(common::render(&fixture).contains("PB503"));
    assert!(fixture.source_asked.get() >= 1);
}

#[test]
fn test_files() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis-diagnostics
parameters:
  - name: RedisIp
    type: var
steps:
  - name: lib/redis/info
    id: info
    env:
      REDIS_IP: "{{ $.params.RedisIp }}"
  - when: "{{ $.info.version }}"
    steps:
      - name: lib/slack/post
        id: post
        args: ["a"]
        env:
          TEXT: "{{ $.info.version }}"
//- test
kind: PlaybookTest
playbook: redis-diagnostic
cases:
  - name: ignored
    runs: [nothing]
//- test
kind: PlaybookTest
playbook: redis-diagnostics
cases:
  - name: wrong names
    params: {RedisIP: 1, RedisIp: 2}
    outputs:
      inf: {version: x}
      info: {version: "7", verison: x, output: raw}
    runs: [info, pots]
    skips: [post]
    inputs:
      post:
        env:
          TEXT: {matches: "(7"}
          TXT: x
        args: {0: a, 1: b}
        runner: r
      postt:
        env:
          A: x
          B: y
"#,
        ),
        expect![[r#"
            playbook:15:15 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            test:2:11 PB701 error no playbook is named `redis-diagnostic` [did you mean `redis-diagnostics`?] (help: did you mean `redis-diagnostics`? use the `metadata.name` of a playbook)
            test:14:27 PB706 error invalid regular expression: unclosed group [unclosed group] (help: `matches` takes a regular expression (Rust `regex` syntax); escape the characters meant literally)
            test:5:14 PB702 error playbook `redis-diagnostics` has no parameter `RedisIP` [did you mean `RedisIp`?] (help: did you mean `RedisIp`? use one of the parameters the playbook declares)
            test:7:7 PB703 error playbook `redis-diagnostics` has no step `inf` [did you mean `info`?] (help: did you mean `info`? use the `id` of one of its steps)
            test:8:28 PB704 warning the manifest of step `info` declares no output `verison` [did you mean `version`?] (help: did you mean `version`? or add the output to the manifest)
            test:9:18 PB703 error playbook `redis-diagnostics` has no step `pots` [did you mean `post`?] (help: did you mean `post`? use the `id` of one of its steps)
            test:15:11 PB705 error step `post` sets no env `TXT` [did you mean `TEXT`?] (help: did you mean `TEXT`? expect a variable the step's `env` sets)
            test:16:22 PB705 error step `post` sets no argument 1 [the step has 1 argument(s)] (help: arguments are counted from 0)
            test:17:9 PB705 error step `post` sets no runner [the step has no `runner`] (help: expect a runner only of a step that sets one)
            test:18:7 PB703 error playbook `redis-diagnostics` has no step `postt` [did you mean `post`?] (help: did you mean `post`? use the `id` of one of its steps)
        "#]],
    );
}

#[test]
fn test_file_iterations_and_integrations() {
    check(
        &with_library(
            r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: loops
parameters:
  - name: Slack
    type: integration
    options:
      integration_type: slack
steps:
  - name: lib/slack/post
    id: head
    envFrom:
      integrationRef: "{{ $.params.Slack }}"
    env:
      TEXT: head
  - name: lib/slack/post
    id: plain
    env:
      TEXT: plain
  - foreach:
      in: {range: [1, 3]}
      value: n
      steps:
        - name: lib/slack/post
          id: each
          envFrom:
            integrationRef: "{{ $.params.Slack }}"
          env:
            TEXT: "{{ .n }}"
        - foreach:
            in: head.items
            steps:
              - name: lib/slack/post
                id: inner
                envFrom:
                  integrationRef: "{{ $.params.Slack }}"
                env:
                  TEXT: x
//- test
kind: PlaybookTest
playbook: loops
cases:
  - name: fits
    inputs:
      head:
        envFrom: {integrationRef: slack-prod}
      each:
        - iteration: 2
          env: {TEXT: "3"}
          envFrom: {integrationRef: slack-prod}
      inner:
        iteration: [0, 5]
        env: {TEXT: x}
  - name: does not fit
    inputs:
      plain:
        iteration: 0
        env: {TEXT: plain}
        envFrom: {integrationRef: slack-prod}
      each:
        - iteration: 3
          env: {TEXT: "4"}
        - iteration: [1, 0]
          env: {TEXT: "2"}
      inner:
        - iteration: 1
          env: {TEXT: x}
        - iteration: [3, 0]
          env: {TEXT: x}
"#,
        ),
        expect![[r#"
            playbook:17:11 PB509 warning `lib/slack/post` is given no integration [takes its credentials from an integration of type `slack`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
            test:18:20 PB707 error step `plain` is not in a loop: it runs at most once [not inside a `foreach`] (help: remove `iteration`: the expectation is about the step's one run)
            test:20:19 PB705 error step `plain` sets no `envFrom.integrationRef` [the step has no `envFrom.integrationRef`] (help: expect an integration only of a step that is given one)
            test:22:22 PB707 error step `each` has no iteration 3: the loop around it runs 3 times (`range: [1, 3]`) [the last iteration is 2] (help: iterations are counted from 0, in the order the loop runs them)
            test:24:22 PB707 error step `each` is inside 1 loop, but `iteration` gives 2 indices [one index per loop around the step] (help: give the index of the loop's run, from 0: `iteration: 0`)
            test:27:22 PB707 error step `inner` is inside 2 loops, but `iteration` gives 1 index [one index per loop around the step] (help: give the index of each loop around the step, outermost first: `iteration: [0, 0]`)
            test:29:22 PB707 error step `inner` has no iteration 3: loop 1 of 2 around it (outermost first) runs 3 times (`range: [1, 3]`) [the last iteration is 2] (help: iterations are counted from 0, in the order the loop runs them)
        "#]],
    );
}
