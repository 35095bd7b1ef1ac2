//! Go to definition: from the name under the cursor to where it is declared.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::{NavigationTarget, TextRange, goto_definition};

/// Each target of the definition at `$0`: the whole item (its first line, when it has
/// several) and the name the cursor goes to; `none` when there is no definition.
fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&run(fixture));
}

/// [`check`] of fixtures that have the same definitions.
fn check_all(fixtures: &[&str], expect: Expect) {
    let shown: Vec<String> = fixtures.iter().map(|f| run(f)).collect();
    for (fixture, other) in fixtures.iter().zip(&shown) {
        assert_eq!(other, &shown[0], "in {fixture}");
    }
    expect.assert_eq(&shown[0]);
}

fn run(fixture: &str) -> String {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    show(&f, &goto_definition(f.db(), file, offset))
}

fn show(f: &common::Fixture, targets: &[NavigationTarget]) -> String {
    if targets.is_empty() {
        return "none\n".to_owned();
    }
    let mut out = String::new();
    for target in targets {
        out.push_str(&format!(
            "full  {}\nfocus {}\n",
            first_line(f, &target.path, target.full),
            f.show(&target.path, target.focus)
        ));
    }
    out
}

/// `show` of a range, its text cut after the first line.
fn first_line(f: &common::Fixture, path: &str, range: TextRange) -> String {
    let shown = f.show(path, range);
    match shown.find("\\n") {
        Some(cut) if cut + 3 < shown.len() => format!("{}\\n...\"", &shown[..cut]),
        _ => shown,
    }
}

/// A fixture: the playbook text (with its `$0`), then a step library.
fn with_library(playbook: &str) -> String {
    format!("{playbook}{LIBRARY}")
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
    required: true
  - name: PORT
    type: int
outputs:
  - name: items
    type: json
    example: '{"items": [{"name": "a"}]}'
  - name: status
    type: string
//- steps/overview/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: overview
outputs:
  - name: output
    type: json
    description: The whole overview.
    example: '{"cluster_name": "prod"}'
//- steps/silent/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: silent
envs:
  - name: TARGET
    type: string
//- steps/cmd/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: cmd
args:
  - name: command
    type: string
    required: true
  - name: OPTIONS
    type: string
    description: More command options.
"#;

#[test]
fn parameter_read_to_its_declaration() {
    let at = |template: &str| {
        format!(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
    description: The host.
  - name: 'redis-ip'
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: {template}
"#
        )
    };
    // The cursor inside, at the start and at the end of the name; a `get` string in a
    // double-quoted scalar, with escapes before it.
    check_all(
        &[
            &at(r#""{{ $.params.Ho$0st }}""#),
            &at(r#""{{ $.params.$0Host }}""#),
            &at(r#""{{ $.params.Host$0 }}""#),
            &at(r#""\u00e9\t{{ get \"$.params.H$0ost\" }}""#),
        ],
        expect![[r#"
            full  playbook.yaml:5:5-7:27 "name: Host\n..."
            focus playbook.yaml:5:11-5:15 "Host"
        "#]],
    );
    check(
        &at(r#"'{{ index $.params "redis-ip$0" }}'"#),
        expect![[r#"
            full  playbook.yaml:8:5-9:14 "name: 'redis-ip'\n..."
            focus playbook.yaml:8:11-8:21 "'redis-ip'"
        "#]],
    );
    check(
        &at(r#""{{ $.params.Hots$0 }}""#),
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn parameter_declaration_is_its_own_definition() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Ho$0st
    type: var
steps: []
"#,
        expect![[r#"
            full  playbook.yaml:5:5-6:14 "name: Host\n..."
            focus playbook.yaml:5:11-5:15 "Host"
        "#]],
    );
}

#[test]
fn step_read_to_the_step() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: db
  - name: registry/steps/silent
    env:
      TARGET: "{{ $.$0fetch.items }}"
"#,
        ),
        expect![[r#"
            full  playbook.yaml:5:5-8:15 "name: registry/steps/get\n..."
            focus playbook.yaml:6:9-6:14 "fetch"
        "#]],
    );
}

#[test]
fn output_to_its_declaration_in_the_manifest() {
    let at = |template: &str| {
        with_library(&format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: db
  - name: registry/steps/overview
    id: ov
  - name: registry/steps/silent
    env:
      TARGET: "{template}"
"#
        ))
    };
    check(
        &at("{{ $.fetch.it$0ems }}"),
        expect![[r#"
        full  steps/get/manifest.yaml:13:5-15:42 "name: items\n..."
        focus steps/get/manifest.yaml:13:11-13:16 "items"
    "#]],
    );
    // The root form, read two steps after the step.
    check(
        &at("{{ .status$0 }}"),
        expect![[r#"
        full  steps/get/manifest.yaml:16:5-17:17 "name: status\n..."
        focus steps/get/manifest.yaml:16:11-16:17 "status"
    "#]],
    );
    // A key of the example of the json `output`: the `output` entry.
    check(
        &at("{{ $.ov.cluster_$0name }}"),
        expect![[r#"
        full  steps/overview/manifest.yaml:6:5-9:40 "name: output\n..."
        focus steps/overview/manifest.yaml:6:11-6:17 "output"
    "#]],
    );
    // The raw output, which the manifest does not declare.
    check(
        &at("{{ $.fetch.output$0 }}"),
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn output_of_a_step_without_documented_outputs() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/silent
    id: quiet
  - name: registry/steps/silent
    env:
      TARGET: "{{ $.quiet.any$0thing }}"
"#,
        ),
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn image_to_its_manifest() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: "registry/steps/get:1.2$0"
    env:
      HOST: db
"#,
        ),
        expect![[r#"
            full  steps/get/manifest.yaml:1:1-17:17 "apiVersion: stackpulse.io/v1\n..."
            focus steps/get/manifest.yaml:4:9-4:12 "get"
        "#]],
    );
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/nowhere$0
"#,
        ),
        expect![[r#"
            none
        "#]],
    );
}

/// Three manifests claim `amazon/aws-cli`; with `generic`, one of them has no command words.
fn aws(generic: bool) -> String {
    let mut out = String::from(
        r#"
//- aws/attach/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws-attach-volume
  imageName: amazon/aws-cli
args:
  - {name: service, type: string, default: ec2}
  - {name: command, type: string, default: attach-volume}
  - {name: --volume-id, type: string, required: true}
//- aws/detach/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws-detach-volume
  imageName: amazon/aws-cli
args:
  - {name: service, type: string, default: ec2}
  - {name: command, type: string, default: detach-volume}
"#,
    );
    if generic {
        out.push_str(
            r#"//- aws/cmd/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws-cmd
  imageName: amazon/aws-cli
args:
  - {name: command, type: string, required: true}
"#,
        );
    }
    out
}

#[test]
fn image_claimed_by_several_manifests() {
    let call = |args: &str| {
        format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: amazon/aws-cli$0
    args: {args}
"#
        )
    };
    // The args choose the specialised manifest.
    check(
        &format!("{}{}", call("[ec2, attach-volume, vol-1]"), aws(true)),
        expect![[r#"
            full  aws/attach/manifest.yaml:1:1-9:54 "apiVersion: stackpulse.io/v1\n..."
            focus aws/attach/manifest.yaml:4:9-4:26 "aws-attach-volume"
        "#]],
    );
    // They choose none of the specialised ones: the generic one applies.
    check(
        &format!("{}{}", call("[s3, ls]"), aws(true)),
        expect![[r#"
            full  aws/cmd/manifest.yaml:1:1-7:50 "apiVersion: stackpulse.io/v1\n..."
            focus aws/cmd/manifest.yaml:4:9-4:16 "aws-cmd"
        "#]],
    );
    // No generic one and no match: the check chose none, and every candidate is listed.
    check(
        &format!("{}{}", call("[s3, ls]"), aws(false)),
        expect![[r#"
            full  aws/attach/manifest.yaml:1:1-9:54 "apiVersion: stackpulse.io/v1\n..."
            focus aws/attach/manifest.yaml:4:9-4:26 "aws-attach-volume"
            full  aws/detach/manifest.yaml:1:1-8:58 "apiVersion: stackpulse.io/v1\n..."
            focus aws/detach/manifest.yaml:4:9-4:26 "aws-detach-volume"
        "#]],
    );
}

#[test]
fn env_key_and_argument_to_the_manifest_input() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: db
      $0PORT: "8080"
"#,
        ),
        expect![[r#"
            full  steps/get/manifest.yaml:10:5-11:14 "name: PORT\n..."
            focus steps/get/manifest.yaml:10:11-10:15 "PORT"
        "#]],
    );
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: db
      NOT_AN_INPUT$0: x
"#,
        ),
        expect![[r#"
            none
        "#]],
    );
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args: [ls, -l, /tmp$0]
"#,
        ),
        expect![[r#"
            full  steps/cmd/manifest.yaml:9:5-11:39 "name: OPTIONS\n..."
            focus steps/cmd/manifest.yaml:9:11-9:18 "OPTIONS"
        "#]],
    );
}

#[test]
fn loop_variable_to_its_declaration() {
    let fixture = |value: &str, read: &str| {
        with_library(&format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: db
  - foreach:
      in: fetch.items
      {value}
      steps:
        - name: registry/steps/silent
          env:
            TARGET: "{{{{ {read} }}}}"
"#
        ))
    };
    check(
        &fixture("value: pod", "$.p$0od"),
        expect![[r#"
        full  playbook.yaml:9:5-15:34 "foreach:\n..."
        focus playbook.yaml:11:14-11:17 "pod"
    "#]],
    );
    // The default name `key` is declared nowhere.
    check(
        &fixture("value: pod", "$.key$0"),
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn bare_path_of_a_loop_source() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: db
  - foreach:
      in: fetch.ite$0ms
      steps: []
"#,
        ),
        expect![[r#"
            full  steps/get/manifest.yaml:13:5-15:42 "name: items\n..."
            focus steps/get/manifest.yaml:13:11-13:16 "items"
        "#]],
    );
}

#[test]
fn templates_functions_and_context_have_no_definition() {
    let at = |template: &str| {
        format!(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: "{template}"
"#
        )
    };
    check_all(
        &[
            &at("{{ toJs$0on $.event }}"),
            &at("{{ $.meta$0data.executionUrl }}"),
            &at("{{ $.metadata.execution$0Url }}"),
            &at("{{ $.event.Ho$0st }}"),
        ],
        expect![[r#"
            none
        "#]],
    );
}

const TRIGGERED: &str = r#"
//- playbooks/war-room.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: war-room
parameters:
  - name: Severity
    type: var
steps: []
"#;

#[test]
fn trigger_to_its_playbook_and_parameters() {
    let trigger = |playbook: &str, key: &str| {
        format!(
            r#"
//- triggers/t.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: {playbook}
metadata:
  name: t
scenarios:
  - name: created
    parameters:
      {key}: low
{TRIGGERED}"#
        )
    };
    check(
        &trigger("$0war-room", "Severity"),
        expect![[r#"
        full  playbooks/war-room.yaml:1:1-8:10 "apiVersion: stackpulse.io/v1\n..."
        focus playbooks/war-room.yaml:4:9-4:17 "war-room"
    "#]],
    );
    check(
        &trigger("war-room", "Sever$0ity"),
        expect![[r#"
        full  playbooks/war-room.yaml:6:5-7:14 "name: Severity\n..."
        focus playbooks/war-room.yaml:6:11-6:19 "Severity"
    "#]],
    );
    check(
        &trigger("war-room", "Unknown$0"),
        expect![[r#"
            none
        "#]],
    );
    check(
        &trigger("no-such$0-playbook", "Severity"),
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn broken_files() {
    // An unclosed `{{` in another value and a half-typed key.
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{ $.params.Host"
      POR
  - name: registry/steps/silent
    env:
      TARGET: "{{ $.fetch.items$0 }}"
"#,
        ),
        expect![[r#"
            full  steps/get/manifest.yaml:13:5-15:42 "name: items\n..."
            focus steps/get/manifest.yaml:13:11-13:16 "items"
        "#]],
    );
    // A YAML syntax error (a plain scalar holding `: `) earlier in the file.
    check(
        r#"
kind: Playbook
metadata:
  name: diag
  description: broken: yes
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.$0Host }}"
"#,
        expect![[r#"
            full  playbook.yaml:6:5-7:14 "name: Host\n..."
            focus playbook.yaml:6:11-6:15 "Host"
        "#]],
    );
}

#[test]
fn multi_byte_text_and_crlf() {
    check(
        "kind: Playbook\r\nmetadata:\r\n  name: diag\r\nparameters:\r\n  - name: Hôst\r\n    type: var\r\nsteps:\r\n  - name: registry/steps/get\r\n    env:\r\n      HOST: \"🦀 {{ $.params.Hôst$0 }}\"\r\n",
        expect![[r#"
            full  playbook.yaml:5:5-6:14 "name: Hôst\r\n..."
            focus playbook.yaml:5:11-5:16 "Hôst"
        "#]],
    );
}

#[test]
fn nothing_at_the_start_or_end_of_the_file() {
    check(
        "$0kind: Playbook\nmetadata:\n  name: diag\nsteps: []\n",
        expect![[r#"
            none
        "#]],
    );
    check(
        "kind: Playbook\nmetadata:\n  name: diag\nsteps: []\n$0",
        expect![[r#"
            none
        "#]],
    );
}

#[test]
fn real_library() {
    let mut f = common::fixture(
        r#"
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: redis
steps:
  - name: us-docker.pkg.dev/stackpulse/public/redis/info
    id: info
    env:
      REDIS_IP: 10.0.0.1
  - name: us-docker.pkg.dev/stackpulse/public/redis/get
    env:
      REDIS_IP: 10.0.0.1
      KEY: "{{ $.info.info.Clients.connected_clients }}"
"#,
    );
    if common::with_real_library(&mut f).is_none() {
        eprintln!("skipped: the real step library is missing");
        return;
    }
    let text = f.text("playbook.yaml").to_owned();
    let file = f.file("playbook.yaml");
    let at = |needle: &str, delta: usize| {
        let offset = text.find(needle).map_or(0, |i| i + delta);
        let offset = u32::try_from(offset).unwrap_or(0);
        show(&f, &goto_definition(f.db(), file, offset))
    };
    expect![[r#"
        full  stackpulse-steps/redis/info/manifest.yaml:1:1-42:1 "apiVersion: stackpulse.io/v1\n..."
        focus stackpulse-steps/redis/info/manifest.yaml:5:9-5:21 "\"redis_info\""
    "#]]
    .assert_eq(&at("redis/info", 3));
    expect![[r#"
        full  stackpulse-steps/redis/info/manifest.yaml:11:5-15:25 "name: REDIS_IP \n..."
        focus stackpulse-steps/redis/info/manifest.yaml:11:11-11:19 "REDIS_IP"
    "#]]
    .assert_eq(&at("REDIS_IP", 2));
    expect![[r#"
        full  stackpulse-steps/redis/info/manifest.yaml:26:5-29:4233 "name: info\n..."
        focus stackpulse-steps/redis/info/manifest.yaml:26:11-26:15 "info"
    "#]]
    .assert_eq(&at("info.info.", 6));
}
