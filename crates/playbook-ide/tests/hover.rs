//! Hover: the Markdown shown for the name under the cursor, and the range it is about.

mod common;

use expect_test::{Expect, expect};
use playbook_ide::hover;

/// The hover at `$0`: the range it covers, then its Markdown; `no hover` when there is none.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let (file, offset) = f.position();
    let path = f
        .cursor
        .as_ref()
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    let actual = match hover(f.db(), file, offset) {
        Some(h) => format!("{}\n\n{}\n", f.show(&path, h.range), h.markdown),
        None => "no hover\n".to_owned(),
    };
    expect.assert_eq(&actual);
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
  version: 1.0.0
  description: Fetch items from a host.
envs:
  - name: HOST
    type: string
    required: true
    description: The host to ask.
    example: db.local
  - name: PORT
    type: int
    default: "80"
    description: The port | a number.
outputs:
  - name: items
    type: json
    description: The items found.
    example: '{"items": [{"name": "a", "size": 1}], "total": 1,}'
  - name: status
    type: string
    description: How the fetch went.
    example: ok
integrations: [k8s]
//- steps/overview/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: overview
  description: The cluster at a glance.
outputs:
  - name: output
    type: json
    description: The whole overview.
    example: '{"cluster_name": "prod", "nodes": [{"name": "n1"}]}'
//- steps/silent/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: silent
  description: Prints nothing documented.
envs:
  - name: TARGET
    type: string
//- steps/cmd/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: cmd
  description: Run a command.
args:
  - name: command
    type: string
    required: true
    description: The command to run.
  - name: OPTIONS
    type: string
    description: More command options.
"#;

#[test]
fn parameter_at_a_read() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
    description: The host to diagnose.
    default: "{{ $.event.Host }}"
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{ $.params.Ho$0st }}"
  - name: registry/steps/get
    env:
      HOST: "{{ get \"$.params.Host\" }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:13:26-13:30 "Host"

            **parameter** `Host`: `var`

            The host to diagnose.

            - default: `{{ $.event.Host }}`
            - read twice in this playbook
        "#]],
    );
}

#[test]
fn parameter_at_its_declaration() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: $0Host
    type: integration
    options:
      integration_type: slack
  - name: Unused
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Host }}"
"#,
        expect![[r#"
            playbook.yaml:5:11-5:15 "Host"

            **parameter** `Host`: `integration`

            - integration type: `slack`
            - read once in this playbook
        "#]],
    );
}

#[test]
fn parameter_never_read_cursor_at_the_end_of_its_name() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Unused$0
    type: var
    default: |
      two
      lines
steps: []
"#,
        expect![[r#"
            playbook.yaml:5:11-5:17 "Unused"

            **parameter** `Unused`: `var`

            - default:

              ```
              two
              lines
              ```
            - never read in this playbook
        "#]],
    );
}

#[test]
fn parameter_named_in_an_index_string() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: 'redis-ip'
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: '{{ index $.params "redis$0-ip" }}'
"#,
        expect![[r#"
            playbook.yaml:10:33-10:41 "redis-ip"

            **parameter** `redis-ip`: `var`

            - read once in this playbook
        "#]],
    );
}

#[test]
fn parameter_named_in_a_get_string_of_a_double_quoted_scalar() {
    // `\"` is a `"` of the template: the range is mapped back through the escapes.
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "é \t{{ get \"$.params.$0Host\" }}"
"#,
        expect![[r#"
            playbook.yaml:10:37-10:41 "Host"

            **parameter** `Host`: `var`

            - read once in this playbook
        "#]],
    );
}

#[test]
fn undeclared_parameter() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Hots$0 }}"
"#,
        expect![[r#"
            playbook.yaml:10:26-10:30 "Hots"

            **parameter** `Hots`: not declared

            Declared: `Host`.
        "#]],
    );
}

#[test]
fn step_at_a_read() {
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
      TARGET: "{{ $.fe$0tch.items }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:11:21-11:26 "fetch"

            **step** `fetch`

            Fetch items from a host.

            - image: `registry/steps/get`
            - manifest: `steps/get/manifest.yaml`
            - outputs: `items`, `status`
        "#]],
    );
}

#[test]
fn step_at_its_id() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/silent
    id: $0quiet
"#,
        ),
        expect![[r#"
            playbook.yaml:6:9-6:14 "quiet"

            **step** `quiet`

            Prints nothing documented.

            - image: `registry/steps/silent`
            - manifest: `steps/silent/manifest.yaml`
            - outputs: not documented
        "#]],
    );
}

#[test]
fn step_of_an_unknown_image() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/nowhere
    id: lost$0
"#,
        ),
        expect![[r#"
            playbook.yaml:6:9-6:13 "lost"

            **step** `lost`

            - image: `registry/steps/nowhere`
            - no manifest describes this image
        "#]],
    );
}

#[test]
fn json_output_with_its_example_pretty_printed() {
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
      TARGET: "{{ toJson $.fetch.$0items }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:11:34-11:39 "items"

            **output** `items` of step `fetch`: `json`

            The items found.

            Example:

            ```json
            {
              "items": [
                {
                  "name": "a",
                  "size": 1
                }
              ],
              "total": 1
            }
            ```
        "#]],
    );
}

#[test]
fn root_form_output() {
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
      TARGET: "{{ .stat$0us }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:11:20-11:26 "status"

            **output** `status` of step `fetch`: `string`

            How the fetch went.

            Example: `ok`
        "#]],
    );
}

#[test]
fn key_of_the_example_of_a_json_output() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/overview
    id: ov
  - name: registry/steps/silent
    env:
      TARGET: "{{ $.ov.nodes$0 }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:9:24-9:29 "nodes"

            **output** `nodes` of step `ov`: `list`

            A top-level key of the example of `output`, the step's json output that documents its whole result.

            Value in the example:

            ```json
            [
              {
                "name": "n1"
              }
            ]
            ```
        "#]],
    );
}

#[test]
fn raw_output_and_undocumented_outputs() {
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
      TARGET: "{{ $.fetch.out$0put }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:11:27-11:33 "output"

            **output** `output` of step `fetch`

            The step's raw output: the whole result it printed.
        "#]],
    );
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
      TARGET: "{{ $.quiet.anyth$0ing }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:9:27-9:35 "anything"

            **output** `anything` of step `quiet`

            The step's manifest does not document its outputs.
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
    id: fetch
    env:
      HOST: db
    output_parser:
      name: registry/steps/parse
  - name: registry/steps/silent
    env:
      TARGET: "{{ $.fetch.parsed$0 }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:13:27-13:33 "parsed"

            **output** `parsed` of step `fetch`

            The step's outputs are those of its output parser `registry/steps/parse`: their names are not known.
        "#]],
    );
}

#[test]
fn env_key_shows_the_manifest_input() {
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
      PO$0RT: "8080"
"#,
        ),
        expect![[r#"
            playbook.yaml:8:7-8:11 "PORT"

            **input** `PORT`: `int`, optional

            The port | a number.

            - default: `80`
        "#]],
    );
}

#[test]
fn env_key_that_is_a_platform_setting_or_unknown() {
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
      SP_FORMATTER$0: raw
"#,
        ),
        expect![[r#"
            playbook.yaml:8:7-8:19 "SP_FORMATTER"

            **setting** `SP_FORMATTER`

            A setting read by the platform and the step SDK, not an input of the step.
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
            no hover
        "#]],
    );
}

#[test]
fn argument_shows_the_manifest_argument() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/cmd
    args:
      - ls
      - -l
      - /t$0mp
"#,
        ),
        expect![[r#"
            playbook.yaml:9:9-9:13 "/tmp"

            **argument** `OPTIONS`: `string`, optional

            More command options.

            - takes the rest of the command line (argument 3 of the call)
        "#]],
    );
}

#[test]
fn image_shows_the_manifest_interface() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/$0get:1.2
    env:
      HOST: db
"#,
        ),
        expect![[r#"
            playbook.yaml:5:11-5:33 "registry/steps/get:1.2"

            **image** `registry/steps/get:1.2`

            Fetch items from a host.

            - manifest: `steps/get/manifest.yaml` (`get` `1.0.0`)

            | Input | Type | Required | Default | Description |
            | --- | --- | --- | --- | --- |
            | `HOST` | string | yes |  | The host to ask. |
            | `PORT` | int | no | `80` | The port \| a number. |

            | Output | Type | Description |
            | --- | --- | --- |
            | `items` | json | The items found. |
            | `status` | string | How the fetch went. |

            Integrations: `k8s`.
        "#]],
    );
}

#[test]
fn unknown_image_has_no_hover() {
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
            no hover
        "#]],
    );
}

/// Two manifests claim `amazon/aws-cli`: a generic one, and one whose leading args are the
/// command words `ec2 attach-volume`.
const AWS: &str = r#"
//- aws/cmd/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws-cmd
  description: Any AWS CLI command.
  imageName: amazon/aws-cli
args:
  - name: command
    type: string
    required: true
  - name: OPTIONS
    type: string
    description: More command options.
//- aws/attach/manifest.yaml
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws-attach-volume
  description: Attach a volume to an instance.
  imageName: amazon/aws-cli
args:
  - name: service
    type: string
    default: ec2
  - name: command
    type: string
    default: attach-volume
  - name: --volume-id
    type: string
    required: true
    description: The volume.
outputs:
  - name: State
    type: string
"#;

#[test]
fn image_claimed_by_several_manifests_is_chosen_by_the_args() {
    check(
        &format!(
            "{}{AWS}",
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: amazon/aws-$0cli
    args: [ec2, attach-volume, vol-1]
"#
        ),
        expect![[r#"
            playbook.yaml:5:11-5:25 "amazon/aws-cli"

            **image** `amazon/aws-cli`

            Attach a volume to an instance.

            - manifest: `aws/attach/manifest.yaml` (`aws-attach-volume`)
            - chosen among 2 manifests of this image by the call's leading args `ec2 attach-volume`

            | Argument | Type | Required | Default | Description |
            | --- | --- | --- | --- | --- |
            | `service` | string | no | `ec2` |  |
            | `command` | string | no | `attach-volume` |  |
            | `--volume-id` | string | yes |  | The volume. |

            | Output | Type | Description |
            | --- | --- | --- |
            | `State` | string |  |
        "#]],
    );
    check(
        &format!(
            "{}{AWS}",
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: amazon/aws-cli$0
    args: [s3, ls]
"#
        ),
        expect![[r#"
            playbook.yaml:5:11-5:25 "amazon/aws-cli"

            **image** `amazon/aws-cli`

            Any AWS CLI command.

            - manifest: `aws/cmd/manifest.yaml` (`aws-cmd`)
            - the generic one of 2 manifests of this image: the call's args select no specialised one

            | Argument | Type | Required | Default | Description |
            | --- | --- | --- | --- | --- |
            | `command` | string | yes |  |  |
            | `OPTIONS` | string | no |  | More command options. |

            No outputs documented.
        "#]],
    );
    // The args choose the third of `ec2 attach-volume vol-1`: the specialised manifest's
    // `--volume-id`.
    check(
        &format!(
            "{}{AWS}",
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: amazon/aws-cli
    args: [ec2, attach-volume, vol$0-1]
"#
        ),
        expect![[r#"
            playbook.yaml:6:32-6:37 "vol-1"

            **argument** `--volume-id`: `string`, required

            The volume.
        "#]],
    );
}

#[test]
fn function_with_its_signature_and_doc() {
    check(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.event.Host | b64$0enc }}"
"#,
        expect![[r#"
            playbook.yaml:7:32-7:38 "b64enc"

            **function** `b64enc STRING`

            The string encoded in base64.

            - returns a string
            - takes 1 argument
            - from the sprig library
        "#]],
    );
    check(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    when: "{{ ieq$0 $.event.Type \"created\" }}"
"#,
        expect![[r#"
            playbook.yaml:6:15-6:18 "ieq"

            **function** `ieq ARG1 ARG2`

            Whether two strings are equal, ignoring case.

            - returns a bool
            - takes 2 arguments
            - a function of the platform
        "#]],
    );
    check(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ frobnicate$0 $.event.Host }}"
"#,
        expect![[r#"
            playbook.yaml:7:13-7:44 "\"{{ frobnicate $.event.Host }}\""

            **template**

            Fails offline with `function "frobnicate" not defined`

            Where its parts come from:

            - the event: none given offline, so its fields are `<no value>`
        "#]],
    );
}

#[test]
fn loop_variables() {
    let fixture = |cursor_in: &str| {
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
      in: "{{{{ $.fetch.items }}}}"
      value: {value}
      steps:
        - name: registry/steps/silent
          env:
            TARGET: "{{{{ {read} }}}}"
"#,
            value = if cursor_in == "declaration" {
                "p$0od"
            } else {
                "pod"
            },
            read = match cursor_in {
                "read" => "$.p$0od",
                "default key" => "$.key$0",
                _ => "$.pod",
            },
        ))
    };
    check(
        &fixture("read"),
        expect![[r#"
        playbook.yaml:15:27-15:30 "pod"

        **loop variable** `pod`

        The value of each element the loop iterates over.

        - the loop's `in`: `{{ $.fetch.items }}`
        - named by the loop's `value:`
    "#]],
    );
    check(
        &fixture("declaration"),
        expect![[r#"
        playbook.yaml:11:14-11:17 "pod"

        **loop variable** `pod`

        The value of each element the loop iterates over.

        - the loop's `in`: `{{ $.fetch.items }}`
        - named by the loop's `value:`
    "#]],
    );
    check(
        &fixture("default key"),
        expect![[r#"
        playbook.yaml:15:27-15:30 "key"

        **loop variable** `key`

        The key of each element the loop iterates over.

        - the loop's `in`: `{{ $.fetch.items }}`
        - the default name: the loop has no `key:`
    "#]],
    );
}

#[test]
fn loop_over_a_range() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - foreach:
      in:
        range: [0, 2]
      key: i
      steps:
        - name: registry/steps/silent
          env:
            TARGET: "{{ .i$0 }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:12:26-12:27 "i"

            **loop variable** `i`

            The key of each element the loop iterates over.

            - the loop's `in`: `range: [0, 2]`
            - named by the loop's `key:`
        "#]],
    );
}

#[test]
fn context_roots_and_fields() {
    let at = |template: &str| {
        format!(
            r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{template}"
"#
        )
    };
    check(
        &at("{{ $.meta$0data.executionUrl }}"),
        expect![[r#"
            playbook.yaml:10:19-10:27 "metadata"

            **context** `$.metadata`

            The run's metadata.

            - known fields: `executionUrl`, `playbookId`, `userEmail`
        "#]],
    );
    check(
        &at("{{ $.metadata.executionUrl$0 }}"),
        expect![[r#"
            playbook.yaml:10:28-10:40 "executionUrl"

            **context** `$.metadata.executionUrl`

            The URL of the run's page in the platform.
        "#]],
    );
    check(
        &at("{{ .execution.$0id }}"),
        expect![[r#"
            playbook.yaml:10:28-10:30 "id"

            **context** `$.execution.id`

            The id of the run.
        "#]],
    );
    check(
        &at("{{ $.metadata.userEmial$0 }}"),
        expect![[r#"
            playbook.yaml:10:28-10:37 "userEmial"

            **context** `$.metadata.userEmial`

            Not a field seen in production playbooks; the known fields of `$.metadata` are `executionUrl`, `playbookId`, `userEmail`.
        "#]],
    );
    check(
        &at("{{ $.event.Ho$0st }}"),
        expect![[r#"
            playbook.yaml:10:25-10:29 "Host"

            **context** `$.event.Host`

            A field of the triggering event's payload, whose shape is not known statically.
        "#]],
    );
    check(
        &at("{{ $.par$0ams.Host }}"),
        expect![[r#"
            playbook.yaml:10:19-10:25 "params"

            **context** `$.params`

            The playbook's parameters.

            - declared: `Host`
        "#]],
    );
    // `.` is rebound inside `range`: `.metadata` there is a field of the element.
    check(
        &at("{{ range $.event.items }}{{ .metadata.$0name }}{{ end }}"),
        expect![[r#"
            playbook.yaml:10:13-10:69 "\"{{ range $.event.items }}{{ .metadata.name }}{{ end }}\""

            **template**

            Renders offline to `""`

            Where its parts come from:

            - the event: none given offline, so its fields are `<no value>`
        "#]],
    );
}

const TRIGGERED: &str = r#"
//- playbooks/war-room.yaml
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: war-room
  description: Open a war room.
parameters:
  - name: Severity
    type: var
    description: How bad | it is.
    default: high
  - name: Slack
    type: integration
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Severity }} {{ $.params.Severity }}"
"#;

#[test]
fn trigger_playbook_and_its_parameters() {
    check(
        &format!(
            "{}{TRIGGERED}",
            r#"
//- triggers/t.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: war-$0room
metadata:
  name: t
scenarios:
  - name: created
    parameters:
      Severity: low
"#
        ),
        expect![[r#"
            triggers/t.yaml:3:11-3:19 "war-room"

            **playbook** `war-room`

            Open a war room.

            - declared in `playbooks/war-room.yaml`

            | Parameter | Type | Default | Description |
            | --- | --- | --- | --- |
            | `Severity` | var | `high` | How bad \| it is. |
            | `Slack` | integration |  |  |
        "#]],
    );
    check(
        &format!(
            "{}{TRIGGERED}",
            r#"
//- triggers/t.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: war-room
metadata:
  name: t
scenarios:
  - name: created
    parameters:
      $0Severity: low
"#
        ),
        expect![[r#"
            triggers/t.yaml:9:7-9:15 "Severity"

            **parameter** `Severity`: `var`

            How bad | it is.

            - default: `high`
            - read twice in this playbook
        "#]],
    );
    check(
        &format!(
            "{}{TRIGGERED}",
            r#"
//- triggers/t.yaml
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: no-such$0-playbook
metadata:
  name: t
"#
        ),
        expect![[r#"
            no hover
        "#]],
    );
}

#[test]
fn broken_files() {
    // An unclosed `{{` in another value, and a half-typed key.
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
      TARGET: "{{ $.fetch.it$0ems }}"
"#,
        ),
        expect![[r#"
            playbook.yaml:15:27-15:32 "items"

            **output** `items` of step `fetch`: `json`

            The items found.

            Example:

            ```json
            {
              "items": [
                {
                  "name": "a",
                  "size": 1
                }
              ],
              "total": 1
            }
            ```
        "#]],
    );
    // A read inside the unclosed action being typed is still resolved.
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ $.params.Ho$0st"
"#,
        expect![[r#"
            playbook.yaml:10:26-10:30 "Host"

            **parameter** `Host`: `var`

            - read once in this playbook
        "#]],
    );
    // A function inside the unclosed action being typed.
    check(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ toJs$0on $.event"
"#,
        expect![[r#"
            playbook.yaml:7:17-7:23 "toJson"

            **function** `toJson VALUE`

            The value encoded as JSON.

            - returns a string
            - takes 1 argument
            - from the sprig library
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
      HOST: "{{ $.params.Host$0 }}"
"#,
        expect![[r#"
            playbook.yaml:11:26-11:30 "Host"

            **parameter** `Host`: `var`

            - read once in this playbook
        "#]],
    );
}

#[test]
fn multi_byte_text_crlf_and_block_scalars() {
    check(
        "kind: Playbook\r\nmetadata:\r\n  name: diag\r\nparameters:\r\n  - name: Hôst\r\n    type: var\r\n    description: Le hôte — où aller.\r\nsteps:\r\n  - name: registry/steps/get\r\n    env:\r\n      HOST: |\r\n        🦀 {{ $.params.$0Hôst }}\r\n",
        expect![[r#"
            playbook.yaml:12:26-12:31 "Hôst"

            **parameter** `Hôst`: `var`

            Le hôte — où aller.

            - read once in this playbook
        "#]],
    );
    check(
        r#"
kind: Playbook
metadata:
  name: diag
parameters:
  - name: Host
    type: var
steps:
  - name: registry/steps/get
    env:
      HOST: >-
        « {{ toJson
        $.params.Host$0 }} »
"#,
        expect![[r#"
            playbook.yaml:12:18-12:22 "Host"

            **parameter** `Host`: `var`

            - read once in this playbook
        "#]],
    );
}

#[test]
fn nothing_at_the_start_or_end_of_the_file_or_on_a_keyword() {
    check(
        r#"$0kind: Playbook
metadata:
  name: diag
steps: []
"#,
        expect![[r#"
            no hover
        "#]],
    );
    check(
        "kind: Playbook\nmetadata:\n  name: diag\nsteps: []\n$0",
        expect![[r#"
            no hover
        "#]],
    );
    check(
        r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/get
    env:
      HOST: "{{ i$0f .x }}{{ end }}"
"#,
        expect![[r#"
            playbook.yaml:7:13-7:35 "\"{{ if .x }}{{ end }}\""

            **template**

            Renders offline to `""`
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
  - name: us-docker.pkg.dev/stackpulse/public/redis/get
    id: value
    env:
      REDIS_IP: 10.0.0.1
      KEY: users
  - name: us-docker.pkg.dev/stackpulse/public/redis/info
    id: info
    env:
      REDIS_IP: 10.0.0.1
  - name: us-docker.pkg.dev/stackpulse/public/redis/get
    env:
      REDIS_IP: 10.0.0.1
      KEY: "{{ $.value.output }} {{ $.info.info.Clients }}"
"#,
    );
    if common::with_real_library(&mut f).is_none() {
        eprintln!("skipped: the real step library is missing");
        return;
    }
    let text = f.text("playbook.yaml").to_owned();
    let file = f.file("playbook.yaml");
    let show = |needle: &str, delta: usize| {
        let offset = text.find(needle).map_or(0, |i| i + delta);
        let offset = u32::try_from(offset).unwrap_or(0);
        match hover(f.db(), file, offset) {
            Some(h) => format!("{}\n\n{}\n", f.show("playbook.yaml", h.range), h.markdown),
            None => "no hover\n".to_owned(),
        }
    };
    expect![[r#"
        playbook.yaml:6:11-6:56 "us-docker.pkg.dev/stackpulse/public/redis/get"

        **image** `us-docker.pkg.dev/stackpulse/public/redis/get`

        Perform Redis get call, (https://redis.io/commands/get)

        - manifest: `stackpulse-steps/redis/get/manifest.yaml` (`redis_get` `1.0.0`)

        | Input | Type | Required | Default | Description |
        | --- | --- | --- | --- | --- |
        | `REDIS_IP` | string | yes |  | Destination redis IP address (required) |
        | `REDIS_USERNAME` | string | no |  | The username to use for authentication with redis. |
        | `REDIS_PASSWORD` | string | no |  | Destination redis password (optional) |
        | `REDIS_URL` | string | no |  | Redis url (required if there is no redis IP address specified) |
        | `KEY` | string | yes |  | Item key |

        | Output | Type | Description |
        | --- | --- | --- |
        | `output` | string | Retrieved value. |
    "#]].assert_eq(&show("redis/get", 2));
    expect![[r#"
        playbook.yaml:10:7-10:10 "KEY"

        **input** `KEY`: `string`, required

        Item key

        - example: `mykey`
    "#]]
    .assert_eq(&show("KEY:", 1));
    expect![[r#"
        playbook.yaml:18:24-18:30 "output"

        **output** `output` of step `value`: `string`

        Retrieved value.

        Example: `value`
    "#]]
    .assert_eq(&show("value.output", 8));
    // A long example is cut.
    expect![[r#"
        playbook.yaml:18:44-18:48 "info"

        **output** `info` of step `info`: `json`

        Information and statistics about the server, sectioned by topics.

        Example:

        ```json
        {
          "CPU": {
            "used_cpu_sys": "2065.952170",
            "used_cpu_sys_children": "0.001484",
            "used_cpu_user": "2314.815457",
            "used_cpu_user_children": "0.000000"
          },
          "Clients": {
            "blocked_clients": "0",
            "client_recent_max_input_buffer": "8",
            "client_recent_max_output_buffer": "0",
            "clients_in_timeout_table": "0",
            "connected_clients": "2",
            "tracking_clients": "0"
          },
          "Cluster": {
            "cluster_enabled": "0"
          },
          "Keyspace": {
            "db0": "keys=2,expires=0,avg_ttl=0"
          },
          "Memory": {
            "active_defrag_running": "0",
            "allocator_active": "1146880",
            "allocator_allocated": "891344",
            "allocator_frag_bytes": "255536",
            "allocator_frag_ratio": "1.29",
            "allocator_resident": "3510272",
            "allocator_rss_bytes": "2363392",
            "allocator_rss_ratio": "3.06",
            "lazyfree_pending_objects": "0",
            "maxmemory": "0",
            "maxmemory_human": "0B",
            "maxmemory_policy": "noeviction",
            "mem_allocator": "jemalloc-5.1.0",
            "mem_aof_buffer": "0",
            "mem_clients_normal": "20512",
            "mem_clients_slaves": "0",
            "mem_fragmentation_bytes": "1951336",
            "mem_fragmentation_ratio": "3.27",
        ...
        ```

        (117 more lines)
    "#]]
    .assert_eq(&show("info.info.", 6));
}

/// A playbook for the hovers on a template as a whole, with `template` the value of an
/// input of a step in a loop; `$1` is in the template of a step that does not run.
fn offline(template: &str) -> String {
    with_library(&format!(
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
  - name: Enabled
    type: var
    default: "no"
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{{{ $.params.Host }}}}"
  - foreach:
      in: "{{{{ toJson $.fetch.items.items $2}}}}"
      value: item
      steps:
        - name: registry/steps/silent
          env:
            TARGET: {template}
  - name: registry/steps/silent
    when: '{{{{ eq $.params.Enabled "yes" }}}}'
    env:
      TARGET: '{{$1{{ $.params.Host }}}}'
"#
    ))
}

#[test]
fn template_with_where_each_part_comes_from() {
    check(
        &offline(
            r#"'{{ $.params.Host }}:{{ $.params.Port }} {{ $.fetch.status }} {{ $.item.name }} {{ $.event.who }}$0'"#,
        ),
        expect![[r#"
            playbook.yaml:24:21-24:119 "'{{ $.params.Host }}:{{ $.params.Port }} {{ $.fetch.status }} {{ $.item.name }} {{ $.event.who }}'"

            **template**

            Renders offline to `db.local:<no value> ok a <no value>`

            Where its parts come from:

            - parameter `Host`: its default `db.local`
            - parameter `Port`: no default, so `<no value>`
            - output `status` of `fetch`: the example `ok` (manifest `steps/get/manifest.yaml`)
            - loop variable `item`: `map[name:a size:1]` in the loop's only iteration
            - the event: none given offline, so its fields are `<no value>`
        "#]],
    );
}

/// A name's page is the check's alone: the offline run would make every hover after an edit
/// wait for it.
#[test]
fn template_on_a_name_shows_the_name_page_without_the_value() {
    check(
        &offline(r#"'{{ $.params.Ho$0st }}!'"#),
        expect![[r#"
            playbook.yaml:24:34-24:38 "Host"

            **parameter** `Host`: `var`

            - default: `db.local`
            - read 3 times in this playbook
        "#]],
    );
}

#[test]
fn template_that_fails_of_a_skipped_step_and_of_a_loop() {
    check(
        &offline(r#"'{{ $0fail "stop" }}'"#),
        expect![[r#"
            playbook.yaml:24:25-24:29 "fail"

            **function** `fail MESSAGE`

            Fails the template with MESSAGE.

            - returns any value
            - takes 1 argument
            - from the sprig library
        "#]],
    );
    let f = common::fixture(&offline(r#"'{{ .x$0 }}'"#));
    let (file, offset) = f.marker(1);
    let actual = match hover(f.db(), file, offset) {
        Some(h) => format!("{}\n\n{}\n", f.show("playbook.yaml", h.range), h.markdown),
        None => "no hover\n".to_owned(),
    };
    expect![[r#"
        playbook.yaml:28:15-28:36 "'{{ $.params.Host }}'"

        **template**

        Not rendered offline: the step's `when` is not true (it renders to `false`).

        Where its parts come from:

        - parameter `Host`: its default `db.local`
    "#]]
    .assert_eq(&actual);
    // A loop's `in` says how many items it gave.
    let (file, offset) = f.marker(2);
    let actual = match hover(f.db(), file, offset) {
        Some(h) => format!("{}\n\n{}\n", f.show("playbook.yaml", h.range), h.markdown),
        None => "no hover\n".to_owned(),
    };
    expect![[r#"
        playbook.yaml:19:11-19:45 "\"{{ toJson $.fetch.items.items }}\""

        **template**

        The loop runs 1 iteration offline.

        Where its parts come from:

        - output `items` of `fetch`: the example `map[items:[map[name:a size:1]] total:1]` (manifest `steps/get/manifest.yaml`)
    "#]]
    .assert_eq(&actual);
}

#[test]
fn template_after_a_failure_is_not_rendered() {
    check(
        &with_library(
            r#"
kind: Playbook
metadata:
  name: diag
steps:
  - name: registry/steps/silent
    env:
      TARGET: '{{ fail "no cluster" }}'
  - name: registry/steps/silent
    env:
      TARGET: '{{ "after" $0}}'
"#,
        ),
        expect![[r#"
            playbook.yaml:10:15-10:30 "'{{ \"after\" }}'"

            **template**

            Not rendered offline: the run stopped at line 7: error calling fail: no cluster
        "#]],
    );
}
