//! The real step library (`corpus/stackpulse-steps` of the shared test data) as the modules
//! of playbooks written in the real style: the five manifests that claim `amazon/aws-cli`,
//! the trailing "more options" argument of the generic `cmd` steps, and the suggestions for
//! unknown images. Each test says so and passes where the data is missing.

use expect_test::{Expect, expect};
use playbook_db::{AnalysisHost, Library};

const PREFIX: &str = "us-docker.pkg.dev/stackpulse/public/";
const DIR: &str = "stackpulse-steps";

/// A host with the real library, or `None` when the shared data is missing.
fn real_library() -> Option<AnalysisHost> {
    let corpus = playbook_test_support::shared_data("corpus/stackpulse-steps")?;
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![Library {
        prefix: PREFIX.into(),
        dir: DIR.into(),
        missing: false,
    }]);
    host.set_file_texts(
        playbook_test_support::yaml_files(&corpus)
            .into_iter()
            .map(|(rel, text)| (format!("{DIR}/{rel}"), text)),
    );
    Some(host)
}

/// Checks `src` as `playbook.yaml` in `host` and prints its diagnostics.
fn check_in(host: &mut AnalysisHost, src: &str, expect: Expect) {
    host.set_file_text("playbook.yaml", src.to_owned());
    expect.assert_eq(&playbook_test_support::diagnostic_lines(
        src,
        &host.diagnostics("playbook.yaml"),
    ));
}

/// Checks `src` as `playbook.yaml` against the real library, if it is there.
fn check(src: &str, expect: Expect) {
    if let Some(mut host) = real_library() {
        check_in(&mut host, src, expect);
    }
}

const AWS_PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: move-volume
parameters:
  - name: Volume
    type: var
  - name: Instance
    type: var
  - name: Aws
    type: integration
    options:
      integration_type: aws
steps:
  - name: amazon/aws-cli
    id: detach
    args: [ec2, detach-volume, "{{ $.params.Volume }}", "{{ $.params.Instance }}", --force]
    envFrom:
      integrationRef: "{{ $.params.Aws }}"
  - name: amazon/aws-cli:2.1.32
    id: attach
    args: [ec2, attach-volume, "{{ $.params.Volume }}", "{{ $.params.Instance }}", /dev/sdf]
    envFrom:
      integrationRef: "{{ $.params.Aws }}"
  - name: amazon/aws-cli
    id: instances
    args: [ec2, describe-instances]
    envFrom:
      integrationRef: "{{ $.params.Aws }}"
  - name: amazon/aws-cli
    id: buckets
    args: [s3api, list-buckets, --query, "Buckets[].Name"]
    envFrom:
      integrationRef: "{{ $.params.Aws }}"
  - name: us-docker.pkg.dev/stackpulse/public/utils/echo
    env:
      MESSAGE: "{{ $.detach.State }} {{ $.attach.VolumeId }} {{ toJson $.instances.Reservations }} {{ $.buckets.output }}"
"#;

#[test]
fn the_calls_of_amazon_aws_cli_choose_among_its_five_manifests() {
    let Some(mut host) = real_library() else {
        return;
    };
    let candidates = [
        "stackpulse-steps/aws/attach-volume/manifest.yaml",
        "stackpulse-steps/aws/cmd/manifest.yaml",
        "stackpulse-steps/aws/describe-instances/manifest.yaml",
        "stackpulse-steps/aws/detach-volume/manifest.yaml",
        "stackpulse-steps/aws/dynamo-db/manifest.yaml",
    ];
    assert_eq!(host.resolve_image("amazon/aws-cli:latest"), candidates);
    // Each call reads an output that only the manifest its args choose declares.
    check_in(&mut host, AWS_PLAYBOOK, expect![[""]]);
    for candidate in candidates {
        assert_eq!(host.dependents(candidate), ["playbook.yaml"], "{candidate}");
    }
    // Read from the wrong step, each output is unknown: the choice is the call's.
    let swapped = AWS_PLAYBOOK
        .replace("$.detach.State", "$.detach.Reservations")
        .replace("$.instances.Reservations", "$.instances.VolumeId");
    host.set_file_text("playbook.yaml", swapped);
    let found: Vec<String> = host
        .diagnostics("playbook.yaml")
        .into_iter()
        .map(|d| format!("{} {}", d.code.id, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "PB404 step `detach` has no output `Reservations`",
            "PB404 step `instances` has no output `VolumeId`",
        ]
    );
}

#[test]
fn kubectl_cmd_takes_the_rest_of_the_command_line() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: restart-nginx
parameters:
  - name: Cluster
    type: integration
    options:
      integration_type: k8s
  - name: Aws
    type: integration
    options:
      integration_type: aws
steps:
  - name: us-docker.pkg.dev/stackpulse/public/kubectl/cmd
    id: restart
    args: [rollout, restart, deployment/nginx, --namespace, prod]
    envFrom:
      integrationRef: "{{ $.params.Cluster }}"
  - name: us-docker.pkg.dev/stackpulse/public/kubectl/cmd
    id: pods
    args: [get, pods]
    envFrom:
      integrationRef: "{{ $.params.Cluster }}"
  - name: us-docker.pkg.dev/stackpulse/public/coralogix/archive
    envFrom:
      integrationRef: "{{ $.params.Aws }}"
    env:
      AWS_REGION: eu-west-1
    args: [logs-bucket, "2021-01-01T00:00:00", "2021-01-02T00:00:00", app, sub, error, "10", "level:error", extra]
"#,
        expect![[r#"
            30:109 PB505 error `us-docker.pkg.dev/stackpulse/public/coralogix/archive` takes 8 arguments [extra argument] (help: remove the extra arguments, or check the step's manifest)
        "#]],
    );
}

#[test]
fn only_the_generic_cmd_steps_end_with_an_argument_that_takes_the_rest() {
    let Some(host) = real_library() else {
        return;
    };
    let mut with_args = 0;
    let mut rest = Vec::new();
    for path in host.files() {
        let Some(lowered) = host.lowered(path) else {
            continue;
        };
        for manifest in lowered.file.manifests() {
            let Some(last) = manifest.args.last() else {
                continue;
            };
            with_args += 1;
            if playbook_check::interface::takes_the_rest(last) {
                rest.push(path.to_owned());
            }
        }
    }
    assert_eq!(
        with_args, 10,
        "the real library has 10 manifests with `args`"
    );
    assert_eq!(
        rest,
        [
            "stackpulse-steps/aws/cmd/manifest.yaml",
            "stackpulse-steps/kubectl/cmd/manifest.yaml",
        ]
    );
}

#[test]
fn unknown_images_get_a_related_library_image_or_none() {
    check(
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: moved-steps
steps:
  - name: us-docker.pkg.dev/stackpulse/public/public/echo
    env:
      MESSAGE: hello
      FOO: bar
  - name: us-docker.pkg.dev/stackpulse/public/parsers/tabulate
    env:
      INPUT: '[{"a": "1"}]'
  - name: us-docker.pkg.dev/stackpulse/public/redis/infoo:latest
  - name: us-docker.pkg.dev/stackpulse/public/k8s/deploy
"#,
        expect![[r#"
            6:11 PB501 warning image `us-docker.pkg.dev/stackpulse/public/public/echo` is in no library [did you mean `us-docker.pkg.dev/stackpulse/public/utils/echo`?] (help: use `us-docker.pkg.dev/stackpulse/public/utils/echo` (it has no input `FOO`), or add this image's manifest at `stackpulse-steps/public/echo/manifest.yaml`)
            10:11 PB501 warning image `us-docker.pkg.dev/stackpulse/public/parsers/tabulate` is in no library [did you mean `us-docker.pkg.dev/stackpulse/public/utils/tabulate`?] (help: use `us-docker.pkg.dev/stackpulse/public/utils/tabulate`, or add this image's manifest at `stackpulse-steps/parsers/tabulate/manifest.yaml`)
            13:11 PB501 warning image `us-docker.pkg.dev/stackpulse/public/redis/infoo` is in no library [did you mean `us-docker.pkg.dev/stackpulse/public/redis/info`?] (help: use `us-docker.pkg.dev/stackpulse/public/redis/info`, or add this image's manifest at `stackpulse-steps/redis/infoo/manifest.yaml`)
            14:11 PB501 warning image `us-docker.pkg.dev/stackpulse/public/k8s/deploy` is in no library [no step manifest for this image] (help: fix the image name, or add this image's manifest at `stackpulse-steps/k8s/deploy/manifest.yaml`)
        "#]],
    );
}

#[test]
fn a_library_whose_folder_is_missing_gives_no_unknown_image() {
    let Some(mut host) = real_library() else {
        return;
    };
    let mut libraries = host.libraries().to_vec();
    libraries.push(Library {
        prefix: "registry.example.com/team-steps/".into(),
        dir: "team-steps".into(),
        missing: true,
    });
    host.set_libraries(libraries);
    check_in(
        &mut host,
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: team
steps:
  - name: registry.example.com/team-steps/redis/info
  - name: us-docker.pkg.dev/stackpulse/public/redis/infoo
"#,
        expect![[r#"
            7:11 PB501 warning image `us-docker.pkg.dev/stackpulse/public/redis/infoo` is in no library [did you mean `us-docker.pkg.dev/stackpulse/public/redis/info`?] (help: use `us-docker.pkg.dev/stackpulse/public/redis/info`, or add this image's manifest at `stackpulse-steps/redis/infoo/manifest.yaml`)
        "#]],
    );
}
