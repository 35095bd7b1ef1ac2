//! The modules of the language: which step manifest a call is checked against when several
//! claim its image, trailing "more options" arguments, and unknown images (PB501) with the
//! suggestion a user can act on. Each rule has both sides: the finding and the no-finding.

mod common;

use common::{check, fixture, render};
use expect_test::expect;

/// The real step library's five manifests for `amazon/aws-cli`, shortened: the generic
/// `aws/cmd` and four specialised by their leading `args` defaults.
const AWS_CLI: &str = r#"//- manifest amazon/aws-cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_cli_command
  imageName: amazon/aws-cli
args:
  - {name: COMMAND, description: AWS specific command., type: string, required: true}
  - {name: SUBCOMMAND, description: AWS subcommand., type: string, required: true}
  - name: OPTIONS
    description: More command options (each argument should be separated in a different argument array item)
    type: string
    required: true
outputs:
  - {name: output, type: string}
//- manifest amazon/aws-cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_attach_volume
  imageName: amazon/aws-cli
args:
  - {name: command, type: string, required: true, default: ec2}
  - {name: subcommand, type: string, required: true, default: attach-volume}
  - {name: --volume-id, type: string, required: true, default: "{{ .volumeID }}"}
  - {name: --instance-id, type: string, required: true, default: "{{ .instanceID }}"}
  - {name: --device, description: device name to use, type: string, required: true, default: /dev/sdf}
outputs:
  - {name: State, type: string}
  - {name: VolumeId, type: string}
//- manifest amazon/aws-cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_detach_instances
  imageName: amazon/aws-cli
args:
  - {name: command, type: string, required: true, default: ec2}
  - {name: subcommand, type: string, required: true, default: detach-volume}
  - {name: --volume-id, type: string, required: true, default: "{{ .volumeID }}"}
outputs:
  - {name: State, type: string}
//- manifest amazon/aws-cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_describe_instances
  imageName: amazon/aws-cli
args:
  - {name: command, type: string, required: true, default: ec2}
  - {name: subcommand, type: string, required: true, default: describe-instances}
  - {name: --region, description: Region to query., type: string, default: us-east-2}
outputs:
  - {name: Reservations, type: json, example: '[{"Instances": []}]'}
//- manifest amazon/aws-cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_dynamodb_query
  imageName: amazon/aws-cli
args:
  - {name: command, type: string, required: true, default: dynamodb}
  - {name: subcommand, type: string, required: true, default: query}
  - {name: --region, type: string, default: us-east-2}
  - {name: --table-name, type: string, default: "{{ .TableName }}"}
outputs:
  - {name: Items, type: json}
"#;

/// Calls of `amazon/aws-cli` that each select one of the five manifests, and read outputs
/// that only the selected manifest declares; the last call, of the generic manifest, lacks
/// an argument.
const AWS_CALLS: &str = r#"//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: aws
steps:
  - name: amazon/aws-cli
    id: attach
    args: [ec2, attach-volume, vol-1, i-1, /dev/sdf]
  - name: amazon/aws-cli:2.1
    id: describe
    args: [ec2, describe-instances, eu-west-1]
  - name: amazon/aws-cli
    id: query
    args: [dynamodb, query]
  - name: amazon/aws-cli
    id: listing
    args: [s3, ls, s3://bucket, --recursive]
  - name: amazon/aws-cli
    id: volumes
    args: [ec2, describe-volumes]
  - name: registry.example.com/notify
    env:
      TEXT: "{{ $.attach.State }} {{ toJson $.describe.Reservations }} {{ toJson $.query.Items }} {{ $.listing.output }} {{ $.volumes.output }}"
      WRONG: "{{ $.attach.Reservations }} {{ $.describe.State }}"
  - name: amazon/aws-cli
    args: [s3]
"#;

#[test]
fn an_image_claimed_by_several_manifests_is_resolved_by_the_call_s_leading_args() {
    check(
        &format!("{AWS_CLI}{AWS_CALLS}"),
        expect![[r#"
            playbook:24:27 PB404 warning step `attach` has no output `Reservations` [not documented by the step's manifest] (help: `amazon/aws-cli` outputs `State`, `VolumeId`, `output`)
            playbook:24:57 PB404 warning step `describe` has no output `State` [not documented by the step's manifest] (help: `amazon/aws-cli:2.1` outputs `Reservations`, `output`)
            playbook:25:11 PB505 error missing required argument `SUBCOMMAND` [`SUBCOMMAND` is required] (help: add `SUBCOMMAND` to `args`)
        "#]],
    );
}

#[test]
fn the_order_of_the_candidates_never_decides() {
    // The same five manifests, last first: every call selects the same manifest.
    let mut documents: Vec<String> = AWS_CLI
        .split("//- manifest amazon/aws-cli\n")
        .filter(|d| !d.is_empty())
        .map(|d| format!("//- manifest amazon/aws-cli\n{d}"))
        .collect();
    documents.reverse();
    assert_eq!(documents.len(), 5);
    let forward = render(&fixture(&format!("{AWS_CLI}{AWS_CALLS}"), None));
    let backward = render(&fixture(
        &format!("{}{AWS_CALLS}", documents.concat()),
        None,
    ));
    assert_eq!(forward, backward);
    assert_eq!(forward.lines().count(), 3, "{forward}");
}

#[test]
fn a_specialised_manifest_checks_the_call_s_arguments() {
    // `ec2 detach-volume` selects the specialised manifest, whose three arguments the call
    // exceeds; the generic manifest would have taken them all.
    check(
        &format!(
            "{AWS_CLI}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: detach
steps:
  - name: amazon/aws-cli
    args: [ec2, detach-volume, vol-1, --force]
  - name: amazon/aws-cli
    args: [ec2, detach-volume, vol-1]
"
        ),
        expect![[r#"
            playbook:7:39 PB505 error `amazon/aws-cli` takes 3 arguments [extra argument] (help: remove the extra arguments, or check the step's manifest)
        "#]],
    );
}

const TWO_GENERIC: &str = r#"//- manifest tools/cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: cli_one
  imageName: tools/cli
envs:
  - {name: ONE, type: string, required: true}
args:
  - {name: command, type: string}
//- manifest tools/cli
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: cli_two
  imageName: tools/cli
envs:
  - {name: TWO, type: string, required: true}
args:
  - {name: command, type: string, default: "{{ .command }}"}
"#;

#[test]
fn without_a_single_fitting_manifest_the_interface_is_unknown() {
    // Two generic manifests (a template default is not a fixed command word): no input,
    // output or argument of the call is checked, and the image is not unknown.
    check(
        &format!(
            "//- library registry.example.com/ steps
{TWO_GENERIC}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: ambiguous
steps:
  - name: tools/cli
    id: cli
    env:
      THREE: x
    args: [a, b, c]
  - name: tools/cli
    env:
      ONE: \"{{{{ $.cli.anything }}}}\"
"
        ),
        expect![[""]],
    );
}

#[test]
fn two_specialised_manifests_that_match_equally_are_ambiguous() {
    let attach = AWS_CLI
        .split("//- manifest amazon/aws-cli\n")
        .find(|d| d.contains("aws_attach_volume"))
        .unwrap_or_default();
    let src = format!(
        "//- manifest amazon/aws-cli\n{attach}//- manifest amazon/aws-cli\n{}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: tie
steps:
  - name: amazon/aws-cli
    id: attach
    args: [ec2, attach-volume]
  - name: amazon/aws-cli
    args: [s3, ls]
    when: \"{{{{ $.attach.Anything }}}}\"
",
        attach.replace("aws_attach_volume", "aws_attach_volume_copy")
    );
    check(&src, expect![[""]]);
    // With one of them, the same playbook is checked against it.
    let src = src.replacen(&format!("//- manifest amazon/aws-cli\n{attach}"), "", 1);
    check(
        &src,
        expect![[r#"
            playbook:11:24 PB404 warning step `attach` has no output `Anything` [not documented by the step's manifest] (help: `amazon/aws-cli` outputs `State`, `VolumeId`, `output`)
        "#]],
    );
}

const KUBECTL_CMD: &str = r#"//- manifest registry.example.com/kubectl/cmd
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: kubectl_cmd
args:
  - {name: COMMAND, description: kubectl specific command., type: string, required: true}
  - {name: SUBCOMMAND, description: kubectl subcommand., type: string, required: true}
  - {name: OPTIONS, description: More command options., type: string, required: true}
"#;

#[test]
fn a_trailing_more_options_argument_takes_the_rest_of_the_command_line() {
    check(
        &format!(
            "{KUBECTL_CMD}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: restart
steps:
  - name: registry.example.com/kubectl/cmd
    args: [rollout, restart, deployment/nginx, --namespace, prod]
  - name: registry.example.com/kubectl/cmd
    args: [get, pods]
  - name: registry.example.com/kubectl/cmd
    args: [version]
"
        ),
        expect![[r#"
            playbook:10:11 PB505 error missing required argument `SUBCOMMAND` [`SUBCOMMAND` is required] (help: add `SUBCOMMAND` to `args`)
        "#]],
    );
}

#[test]
fn a_trailing_argument_qualifies_by_its_name_or_its_description_only() {
    check(
        r#"//- manifest reg.io/by-name
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: by_name
args:
  - {name: command, type: string, required: true}
  - {name: EXTRA_ARGS, type: string}
//- manifest reg.io/by-description
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: by_description
args:
  - {name: command, type: string, required: true}
  - {name: rest, description: Any additional arguments for the tool, type: string}
//- manifest reg.io/query
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: query
args:
  - {name: --bucket, type: string, required: true}
  - {name: query, description: A Coralogix query to run on archived logs, type: string}
//- manifest reg.io/option
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: option
args:
  - {name: command, type: string, required: true}
  - {name: --options, description: The options file, type: string}
//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: trailing
steps:
  - name: reg.io/by-name
    args: [run, -v, --color, never]
  - name: reg.io/by-description
    args: [run, -v, --color, never]
  - name: reg.io/query
    args: [logs, "level:error", extra]
  - name: reg.io/option
    args: [run, opts.yaml, more]
"#,
        expect![[r#"
            playbook:11:33 PB505 error `reg.io/query` takes 2 arguments [extra argument] (help: remove the extra arguments, or check the step's manifest)
            playbook:13:28 PB505 error `reg.io/option` takes 2 arguments [extra argument] (help: remove the extra arguments, or check the step's manifest)
        "#]],
    );
}

const UTILS: &str = r#"//- library registry.example.com/steps/ steps
//- manifest registry.example.com/steps/utils/echo
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: echo
envs:
  - {name: MESSAGE, type: string, required: true}
//- manifest registry.example.com/steps/utils/tabulate
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: tabulate
envs:
  - {name: INPUT, type: string, required: true}
//- manifest registry.example.com/steps/aws/cmd
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: aws_cmd
//- manifest registry.example.com/steps/redis/info
apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
envs:
  - {name: REDIS_IP, type: string, required: true}
"#;

#[test]
fn an_unknown_image_gets_the_library_image_it_most_likely_meant_in_its_help() {
    check(
        &format!(
            "{UTILS}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: unknown
steps:
  - name: registry.example.com/steps/public/echo
    env:
      MESSAGE: hello
  - name: registry.example.com/steps/parsers/tabulate:1.0
    env:
      INPUT: '[]'
      HEADERS: by_keys
      SP_FORMATTER: raw
  - name: registry.example.com/steps/redis/infos
    env:
      REDIS_HOST: cache
      REDIS_PORT: '6379'
  - name: registry.example.com/steps/k8s/deploy
  - name: quay.io/tools/deploy
  - name: \"{{{{ $.params.image }}}}\"
"
        ),
        expect![[r#"
            playbook:6:11 PB501 warning image `registry.example.com/steps/public/echo` is in no library [did you mean `registry.example.com/steps/utils/echo`?] (help: use `registry.example.com/steps/utils/echo`, or add this image's manifest at `steps/public/echo/manifest.yaml`)
            playbook:9:11 PB501 warning image `registry.example.com/steps/parsers/tabulate` is in no library [did you mean `registry.example.com/steps/utils/tabulate`?] (help: use `registry.example.com/steps/utils/tabulate` (it has no input `HEADERS`), or add this image's manifest at `steps/parsers/tabulate/manifest.yaml`)
            playbook:14:11 PB501 warning image `registry.example.com/steps/redis/infos` is in no library [did you mean `registry.example.com/steps/redis/info`?] (help: use `registry.example.com/steps/redis/info` (it has no input `REDIS_HOST` or `REDIS_PORT`), or add this image's manifest at `steps/redis/infos/manifest.yaml`)
            playbook:18:11 PB501 warning image `registry.example.com/steps/k8s/deploy` is in no library [no step manifest for this image] (help: fix the image name, or add this image's manifest at `steps/k8s/deploy/manifest.yaml`)
        "#]],
    );
}

#[test]
fn known_images_are_not_reported() {
    check(
        &format!(
            "{UTILS}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: known
steps:
  - name: registry.example.com/steps/utils/echo:2.0
    env:
      MESSAGE: hello
  - name: registry.example.com/steps/aws/cmd@sha256:00ff
"
        ),
        expect![[""]],
    );
}

#[test]
fn images_under_a_library_whose_folder_is_missing_are_not_reported_one_by_one() {
    check(
        &format!(
            "{UTILS}//- library registry.example.com/vendor/ vendor-steps missing
//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: missing-library
steps:
  - name: registry.example.com/vendor/redis/info
  - name: registry.example.com/vendor/slack/post
  - name: registry.example.com/steps/slack/post
"
        ),
        expect![[r#"
            playbook:8:11 PB501 warning image `registry.example.com/steps/slack/post` is in no library [no step manifest for this image] (help: fix the image name, or add this image's manifest at `steps/slack/post/manifest.yaml`)
        "#]],
    );
}

#[test]
fn an_image_under_no_library_is_reported_only_as_a_near_spelling_of_a_library_image() {
    check(
        &format!(
            "{UTILS}//- playbook
apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: outside
steps:
  - name: alpine:3.19
  - name: ghcr.io/acme/tools/cleanup@sha256:00ff
  - name: registry.example.com/step/utils/echo
    env:
      MESSAGE: hi
"
        ),
        expect![[r#"
            playbook:8:11 PB501 warning image `registry.example.com/step/utils/echo` is in no library [did you mean `registry.example.com/steps/utils/echo`?] (help: use `registry.example.com/steps/utils/echo`, or configure the library that holds this image's manifest)
        "#]],
    );
}
