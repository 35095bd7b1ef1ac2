//! How the checks follow the platform's semantics (section 4 of the language
//! specification): where outputs come from, what the root form reaches, when a step surely
//! ran, and what the platform provides besides the steps. Each rule has its "no finding" side
//! and, where there is one, the mistake it still catches.

mod common;

use common::*;
use expect_test::expect;

/// A manifest that contradicts itself, as `ssh/command` of the real library does.
const SSH: &str = r#"//- manifest lib/ssh/command
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: ssh_command
envs:
  - name: HOSTNAME
    description: "Host name for the ssh connection."
    type: bool
    required: true
    example: "192.168.17.43"
  - name: VERBOSE
    type: bool
"#;

/// Manifests shaped like the real library's.
const LIBRARY: &str = r#"//- manifest lib/rabbitmq/overview
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: rabbitmq_overview
envs:
  - name: HOST
    type: string
    required: true
outputs:
  - name: output
    type: json
    example: '{"cluster_name": "rabbit@0", "object_totals": {"queues": 22, "consumers": 1}}'
//- manifest lib/zoom/meeting
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: zoom_meeting
outputs:
  - name: join_url
    type: string
  - name: meeting_id
    type: string
//- manifest lib/redis/info
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
envs:
  - name: REDIS_IP
    type: string
outputs:
  - name: info
    type: json
    example: '{"Clients": {"connected_clients": "2"}}'
  - name: version
    type: string
//- manifest lib/notify
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: notify
envs:
  - name: TEXT
    type: string
  - name: DETAILS
    type: string
//- manifest lib/kubectl/get-pods
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: kubectl_get_pods
envs:
  - name: KUBECONFIG_CONTENT
    type: string
    description: "base64 kubeconfig. could be provided by kubernetes integration as well."
  - name: NAMESPACE
    type: string
  - name: BUCKET_URL
    type: string
    description: "If using a GCS or S3 bucket please specify a GCP or AWS integration appropriately."
outputs:
  - name: items
    type: json
    example: '[{"name": "web-0", "status": "Running"}]'
integrations: [k8s]
"#;

fn playbook(body: &str) -> String {
    format!(
        "{LIBRARY}//- playbook\napiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\n{body}"
    )
}

#[test]
fn a_json_output_named_output_documents_the_whole_result() {
    check(
        &playbook(
            r#"steps:
  - name: lib/rabbitmq/overview
    id: ov
    env:
      HOST: rabbit
  - name: lib/notify
    env:
      TEXT: "{{ $.ov.cluster_name }} {{ $.ov.object_totals.queues }} {{ .cluster_name }} {{ $.ov.output.cluster_name }} {{ $.ov.object_totals.messages }}"
  - name: lib/notify
    env:
      TEXT: "{{ $.ov.cluster_nmae }} {{ $.ov.object_totals.queus }} {{ $.ov.output.clustr_name }}"
"#,
        ),
        expect![[r#"
            playbook:15:22 PB404 warning step `ov` has no output `cluster_nmae` [did you mean `cluster_name`?] (help: did you mean `cluster_name`? `lib/rabbitmq/overview` outputs `cluster_name`, `object_totals`, `output`)
            playbook:15:60 PB405 warning `ov.object_totals` has no field `queus` in its example [did you mean `queues`?] (help: did you mean `queues`? the manifest's example of the output has `queues`)
            playbook:15:84 PB405 warning `ov.output` has no field `clustr_name` in its example [did you mean `cluster_name`?] (help: did you mean `cluster_name`? the manifest's example of the output has `cluster_name`)
        "#]],
    );
}

#[test]
fn root_form_names_reach_every_earlier_step_most_recent_first() {
    check(
        &playbook(
            r#"steps:
  - name: lib/zoom/meeting
    id: meeting
  - name: lib/redis/info
    id: redis
  - name: lib/notify
    env:
      TEXT: "{{ if $.join_url }}{{ .join_url }}{{ end }} {{ .info.Clients.connected_clients }} {{ .version }}"
      DETAILS: "{{ .join_ulr }} {{ $.nothing_like_it }} {{ .info.Clients.conected_clients }} {{ .redis.version }}"
"#,
        ),
        expect![[r#"
            playbook:13:21 PB401 error `join_ulr` names no step, output or context [did you mean `join_url`?] (help: did you mean `join_url`? a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step)
            playbook:13:38 PB401 error `nothing_like_it` names no step, output or context [no earlier step has this output] (help: a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step; earlier steps output `info`, `version`, `join_url`, `meeting_id`)
            playbook:13:74 PB405 warning `info.Clients` has no field `conected_clients` in its example [did you mean `connected_clients`?] (help: did you mean `connected_clients`? the manifest's example of the output has `connected_clients`)
        "#]],
    );
}

#[test]
fn after_a_step_with_undocumented_outputs_a_root_name_may_be_anything_but_a_misspelled_id() {
    check(
        &playbook(
            r#"steps:
  - name: lib/redis/info
    id: redis-info
  - name: lib/notify
  - name: lib/notify
    env:
      TEXT: "{{ .anything }} {{ $.redis_info.version }}"
"#,
        ),
        expect![[r#"
            playbook:11:35 PB401 error `redis_info` names no step, output or context [did you mean `redis-info`?] (help: did you mean `redis-info`? a path starts with `params`, `event`, `metadata`, `execution`, a step id, a loop variable, or an output of an earlier step)
        "#]],
    );
}

#[test]
fn an_output_parser_makes_the_outputs_unknown() {
    check(
        &playbook(
            r#"steps:
  - name: lib/redis/info
    id: parsed
    output_parser:
      name: lib/parsers/json-parser
  - name: lib/notify
    env:
      TEXT: "{{ $.parsed.Anything.at.all }} {{ $.parsed.output }} {{ .Whatever }}"
  - name: lib/redis/info
    id: plain
  - name: lib/notify
    env:
      TEXT: "{{ $.plain.Anything }}"
"#,
        ),
        expect![[r#"
            playbook:17:25 PB404 warning step `plain` has no output `Anything` [not documented by the step's manifest] (help: `lib/redis/info` outputs `info`, `version`, `output`)
        "#]],
    );
}

#[test]
fn a_loop_break_is_evaluated_after_each_iteration() {
    check(
        &playbook(
            r#"steps:
  - foreach:
      in:
        range: [0, 5]
      key: attempt
      break: "{{ eq $.probe.version \"7\" }}"
      when: "{{ $.probe.version }}"
      steps:
        - name: lib/redis/info
          id: probe
"#,
        ),
        expect![[r#"
            playbook:11:19 PB402 error step `probe` runs after this [this output does not exist yet] (help: move step `probe` before the step that reads it)
        "#]],
    );
}

#[test]
fn a_loop_over_a_literal_non_empty_range_runs_its_body() {
    check(
        &playbook(
            r#"parameters:
  - name: Retry
    type: var
steps:
  - foreach:
      in:
        range: [0, 2]
      steps:
        - name: lib/redis/info
          id: sure
  - foreach:
      in:
        range: [0, 2]
      when: "{{ eq $.params.Retry \"yes\" }}"
      steps:
        - name: lib/redis/info
          id: guarded
  - foreach:
      in: sure.info.items
      steps:
        - name: lib/redis/info
          id: maybe
  - name: lib/notify
    env:
      TEXT: "{{ $.sure.version }} {{ $.guarded.version }} {{ $.maybe.version }}"
  - name: lib/notify
    when: "{{ eq $.params.Retry \"yes\" }}"
    env:
      TEXT: "{{ $.guarded.version }}"
"#,
        ),
        expect![[r#"
            playbook:29:40 PB403 warning step `guarded` may not have run [empty when the step was skipped] (help: read it inside the same block, or give the reading step the same condition)
            playbook:29:64 PB403 warning step `maybe` may not have run [empty when the step was skipped] (help: read it inside the same block, or give the reading step the same condition)
        "#]],
    );
}

#[test]
fn a_read_guarded_by_the_producers_own_condition_is_safe() {
    check(
        &playbook(
            r#"parameters:
  - name: Env
    type: var
steps:
  - name: lib/redis/info
    id: redis
  - name: lib/zoom/meeting
    id: meeting
    when: "{{ gt (len .info.Clients) 0 }}"
  - when: "{{ eq $.params.Env \"prod\" }}"
    steps:
      - name: lib/rabbitmq/overview
        id: ov
        env:
          HOST: rabbit
  - name: lib/notify
    when: '{{ and (gt   (len $.redis.info.Clients) 0) (ne .meeting_id "") }}'
    env:
      TEXT: "{{ $.meeting.join_url }}"
  - when: '{{ eq .params.Env "prod" }}'
    steps:
      - name: lib/notify
        env:
          TEXT: "{{ $.ov.cluster_name }}"
  - when: '{{ and (eq $.params.Env "prod") (ne $.ov.cluster_name "") }}'
    steps:
      - name: lib/notify
  - name: lib/notify
    when: '{{ eq $.params.Env "staging" }}'
    env:
      TEXT: "{{ $.ov.cluster_name }} {{ $.meeting.join_url }}"
"#,
        ),
        expect![[r#"
            playbook:35:19 PB403 warning step `ov` may not have run [empty when the step was skipped] (help: read it inside the same block, or give the reading step the same condition)
            playbook:35:43 PB403 warning step `meeting` may not have run [empty when the step was skipped] (help: read it inside the same block, or give the reading step the same condition)
        "#]],
    );
}

#[test]
fn a_runner_from_a_var_or_spd_parameter_is_valid() {
    check(
        &playbook(
            r#"parameters:
  - name: Agent
    type: var
  - name: Picked
    type: spd
  - name: Cluster
    type: integration
steps:
  - name: lib/notify
    runner: "{{ $.params.Agent }}"
  - name: lib/notify
    runner: "{{ $.params.Picked }}"
  - name: lib/notify
    runner: "{{ $.params.Cluster }}"
  - name: lib/notify
    runner: agent-7
"#,
        ),
        expect![[r#"
            playbook:18:17 PB508 hint `runner` should name an `spd` parameter, not an `integration` parameter [expected `{{ $.params.<spd parameter> }}`] (help: declare a parameter with `type: spd` and use it here)
            playbook:20:13 PB508 hint `runner` should name an `spd` parameter, not a fixed value [expected `{{ $.params.<spd parameter> }}`] (help: declare a parameter with `type: spd` and use it here)
        "#]],
    );
}

#[test]
fn sp_keys_are_platform_settings() {
    check(
        &playbook(
            r#"steps:
  - name: lib/notify
    env:
      TEXT: hi
      SP_FORMATTER: raw
      SP_REDIRECT_URL: "{{ $.metadata.executionUrl }}"
      SP_SOMETHING_NEW: "1"
      SP_FORMATER: raw
      SP_TEXT: hi
"#,
        ),
        expect![[r#"
            playbook:12:7 PB510 warning unknown platform setting `SP_FORMATER` [did you mean `SP_FORMATTER`?] (help: rename it to `SP_FORMATTER`)
        "#]],
    );
}

#[test]
fn integrations_accepted_by_a_step() {
    check(
        &playbook(
            r#"parameters:
  - name: Cluster
    type: integration
    options:
      integration_type: k8s
  - name: Cloud
    type: integration
    options:
      integration_type: gcp
  - name: Chat
    type: integration
    options:
      integration_type: slack
steps:
  - name: lib/notify
    envFrom:
      integrationRef: "{{ $.params.Chat }}"
  - name: lib/kubectl/get-pods
    envFrom:
      integrationRef: "{{ $.params.Cluster }}"
  - name: lib/kubectl/get-pods
    envFrom:
      integrationRef: "{{ $.params.Cloud }}"
  - name: lib/kubectl/get-pods
    envFrom:
      integrationRef: "{{ $.params.Chat }}"
"#,
        ),
        expect![[r#"
            playbook:30:27 PB507 error `lib/kubectl/get-pods` does not accept a `slack` integration [`Chat` is a `slack` integration] (help: `lib/kubectl/get-pods` accepts `k8s`, `aws`, `gcp`)
        "#]],
    );
}

#[test]
fn a_step_that_takes_an_integration_is_given_one() {
    check(
        &playbook(
            r#"parameters:
  - name: Agent
    type: spd
steps:
  - name: lib/kubectl/get-pods
    id: no-integration
    env:
      NAMESPACE: prod
  - name: lib/kubectl/get-pods
    env:
      KUBECONFIG_CONTENT: '{{ secret "kubeconfig" }}'
  - name: lib/kubectl/get-pods
    runner: "{{ $.params.Agent }}"
  - name: lib/notify
"#,
        ),
        expect![[r#"
            playbook:9:11 PB509 warning `lib/kubectl/get-pods` is given no integration [takes its credentials from an integration of type `k8s` or `aws` or `gcp`] (help: add `envFrom: {integrationRef: "{{ $.params.<integration parameter> }}"}` with an integration parameter of an accepted type)
        "#]],
    );
}

#[test]
fn misspelled_fields_of_the_run_context() {
    check(
        &playbook(
            r#"steps:
  - name: lib/notify
    env:
      TEXT: "{{ $.metadata.userEmail }} {{ $.metadata.executionId }} {{ .execution.id }} {{ $.event.anything.at.all }}"
  - name: lib/notify
    env:
      TEXT: "{{ $.metadata.userEmial }} {{ $.execution.idd }} {{ $.metadata.PlaybookID }}"
"#,
        ),
        expect![[r#"
            playbook:11:28 PB407 error `metadata` has no field `userEmial` [did you mean `userEmail`?] (help: use `$.metadata.userEmail`)
            playbook:11:56 PB407 error `execution` has no field `idd` [did you mean `id`?] (help: use `$.execution.id`)
            playbook:11:77 PB407 error `metadata` has no field `PlaybookID` [did you mean `playbookId`?] (help: use `$.metadata.playbookId`)
        "#]],
    );
}

#[test]
fn a_secret_default_names_a_known_secret() {
    check_with_secrets(
        &playbook(
            r#"parameters:
  - name: Password
    type: secret
    default: redis-password
  - name: Token
    type: secret
    default: gihtub-token
steps:
  - name: lib/notify
    env:
      TEXT: "{{ secret $.params.Password }} {{ secret $.params.Token }}"
"#,
        ),
        &["redis-password", "github-token"],
        expect![[r#"
            playbook:11:14 PB306 error unknown secret `gihtub-token` [did you mean `github-token`?] (help: use `github-token`, or add `gihtub-token` to `[secrets] known` in playbook.toml)
        "#]],
    );
}

#[test]
fn a_misspelled_env_key_is_reported_once() {
    check(
        &playbook(
            r#"steps:
  - name: lib/rabbitmq/overview
    envs:
      HOST: rabbit
"#,
        ),
        expect![[r#"
            playbook:7:5 PB201 error unknown key `envs` in a step [did you mean `env`?] (help: rename the key to `env`)
        "#]],
    );
}

#[test]
fn an_unknown_parameter_beside_an_unused_one_is_one_finding() {
    check(
        &playbook(
            r#"parameters:
  - name: RedisIp
    type: var
  - name: Namespace
    type: var
steps:
  - name: lib/redis/info
    env:
      REDIS_IP: "{{ $.params.RedisIP }} {{ $.params.Namespce }} {{ $.params.Namespace }}"
"#,
        ),
        expect![[r#"
            playbook:13:30 PB301 error unknown parameter `RedisIP` [did you mean `RedisIp`?] (help: did you mean `RedisIp`? it is declared and never read: use `$.params.RedisIp`, or rename the declaration to `RedisIP`)
            playbook:13:53 PB301 error unknown parameter `Namespce` [did you mean `Namespace`?] (help: did you mean `Namespace`? use `$.params.Namespace`, or declare `Namespce` under `parameters`)
        "#]],
    );
}

#[test]
fn a_broken_action_hides_the_findings_of_its_broken_part() {
    check(
        &playbook(
            r#"parameters:
  - name: a
    type: var
steps:
  - name: lib/notify
    env:
      TEXT: "{{ $.params.a } and {{ $.params.zzz }}"
"#,
        ),
        expect![[r#"
            playbook:11:46 PB301 error unknown parameter `zzz` [not declared in `parameters`] (help: declare `zzz` under `parameters`)
        "#]],
    );
}

#[test]
fn constant_conditions() {
    check(
        &playbook(
            r#"parameters:
  - name: severity
    type: var
steps:
  - name: lib/notify
    when: "{{ true }}"
    env:
      TEXT: '{{ if ieq $.params.severity "critical" }}page{{ else if "high" }}notify{{ end }}{{ if 0 }}never{{ end }}{{ with "x" }}{{ . }}{{ end }}'
  - name: lib/notify
    when: false
  - when: '{{ "yes" }}'
    steps:
      - name: lib/notify
        when: '{{ ieq $.params.severity "high" }}'
"#,
        ),
        expect![[r#"
            playbook:10:15 PB113 warning the condition `true` is a constant [always true] (help: remove the condition, or write the test that was meant)
            playbook:12:70 PB113 error the condition `"high"` is a constant [a literal is always true: the branches after it never run] (help: compare it with something, as in `ieq $.params.severity "high"`)
            playbook:12:100 PB113 error the condition `0` is a constant [a literal that is always false: what it guards never runs] (help: compare it with something, as in `eq $.params.count 0`)
            playbook:12:126 PB113 error the condition `"x"` is a constant [a literal is always true: the branches after it never run] (help: compare it with something, as in `ieq $.params.severity "high"`)
            playbook:14:11 PB113 warning the condition `false` is a constant [never true: what it guards never runs] (help: remove what it guards, or write the test that was meant)
            playbook:15:15 PB113 error the condition `"yes"` is a constant [a literal that is always false: what it guards never runs] (help: compare it with something, as in `eq $.params.count 0`)
        "#]],
    );
}

#[test]
fn a_manifest_that_contradicts_itself_does_not_judge_calls() {
    check(
        &format!(
            "{SSH}{}",
            playbook(
                r#"steps:
  - name: lib/ssh/command
    env:
      HOSTNAME: 10.0.0.7
      VERBOSE: sometimes
"#,
            )
        ),
        expect![[r#"
            manifest lib/ssh/command:10:14 PB211 error the example of input `HOSTNAME` is not a bool [not a bool value] (help: fix the `type` or the `example` of `HOSTNAME`; until then, values given to it are not checked against the type)
            playbook:9:16 PB504 error input `VERBOSE` is a bool, not `sometimes` [expected `true` or `false`] (help: write `true` or `false`)
        "#]],
    );
}

/// Go 1.19 accepts `else if` only after an `if`; after a `with` or a `range` it is written
/// `{{ else }}{{ if ... }}...{{ end }}`. That spelling has no finding, `.` in it is the outer
/// `.` (Go rebinds it only in the `with`'s first branch and the loop's body), and its
/// references and conditions are checked as anywhere else. The refused spelling (PB105, a
/// syntax error the template parser reports) is read as the nested `if` it stands for, so
/// its references are still checked against the outer `.`.
#[test]
fn else_branches_of_with_and_range() {
    check(
        &playbook(
            r#"parameters:
  - name: a
    type: var
  - name: b
    type: var
steps:
  - name: lib/notify
    env:
      TEXT: '{{ with $.params.a }}{{ .x }}{{ else }}{{ if .params.b }}{{ .params.a }}{{ else if .params.zzz }}{{ $.params.yyy }}{{ end }}{{ end }}'
      DETAILS: '{{ range $.params.a }}{{ .name }}{{ else }}{{ if "x" }}{{ .params.b }}{{ end }}{{ end }}'
  - name: lib/notify
    env:
      TEXT: '{{ with $.params.a }}{{ .x }}{{ else if .params.qqq }}{{ . }}{{ end }}'
"#,
        ),
        expect![[r#"
            playbook:13:105 PB301 error unknown parameter `zzz` [not declared in `parameters`] (help: declare `zzz` under `parameters`)
            playbook:13:123 PB301 error unknown parameter `yyy` [not declared in `parameters`] (help: declare `yyy` under `parameters`)
            playbook:14:66 PB113 error the condition `"x"` is a constant [a literal is always true: the branches after it never run] (help: compare it with something, as in `ieq $.params.severity "high"`)
            playbook:17:62 PB301 error unknown parameter `qqq` [not declared in `parameters`] (help: declare `qqq` under `parameters`)
        "#]],
    );
}
