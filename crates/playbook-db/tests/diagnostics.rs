//! The diagnostics of a file through the host: `PB501 unknown-image`, and the order of
//! diagnostics. Snapshots print `line:col severity CODE message [label] (help)`.
//!
//! Every test but `an_unknown_file_has_no_diagnostics` needs the YAML parser.

use expect_test::{Expect, expect};
use playbook_db::{AnalysisHost, Library};

const LIBRARY_MANIFESTS: [&str; 3] = [
    "steps/redis/info/manifest.yaml",
    "steps/slack/post-message/manifest.yaml",
    "steps/kubectl/logs/manifest.yaml",
];

/// A host with a three-manifest library, then `src` as `playbook.yaml`; prints its
/// diagnostics.
fn check(libraries: bool, src: &str, expect: Expect) {
    let mut host = AnalysisHost::new();
    if libraries {
        host.set_libraries(vec![Library {
            prefix: "registry.example.com/playbook-steps/".into(),
            dir: "steps".into(),
            missing: false,
        }]);
    }
    for path in LIBRARY_MANIFESTS {
        host.set_file_text(path, MANIFEST.into());
    }
    host.set_file_text("playbook.yaml", src.to_owned());
    expect.assert_eq(&playbook_test_support::diagnostic_lines(
        src,
        &host.diagnostics("playbook.yaml"),
    ));
}

const PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: unknown-images
steps:
  - name: registry.example.com/playbook-steps/redis/info:1.4
  - name: registry.example.com/playbook-steps/redis/infos
  - when: "{{ $.event.urgent }}"
    steps:
      - name: registry.example.com/playbook-steps/chat/slack/post-message@sha256:00ff
  - foreach:
      in: items
      steps:
        - name: amazon/aws-cli
  - name: "{{ $.params.image }}"
  - name: registry.example.com/playbook-steps/kubectl/logs
"#;

#[test]
fn unknown_images_are_reported_with_the_closest_library_image() {
    check(
        true,
        PLAYBOOK,
        expect![[r#"
            7:11 PB501 warning image `registry.example.com/playbook-steps/redis/infos` is in no library [did you mean `registry.example.com/playbook-steps/redis/info`?] (help: use `registry.example.com/playbook-steps/redis/info`, or add this image's manifest at `steps/redis/infos/manifest.yaml`)
            10:15 PB501 warning image `registry.example.com/playbook-steps/chat/slack/post-message` is in no library [did you mean `registry.example.com/playbook-steps/slack/post-message`?] (help: use `registry.example.com/playbook-steps/slack/post-message`, or add this image's manifest at `steps/chat/slack/post-message/manifest.yaml`)
        "#]],
    );
}

#[test]
fn without_libraries_no_image_is_reported() {
    check(false, PLAYBOOK, expect![[""]]);
}

#[test]
fn diagnostics_are_sorted_by_position_then_code() {
    check(
        true,
        r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: sorted
  Description: capitalised
steps:
  - name: registry.example.com/playbook-steps/redis/nfo
    idd: x
"#,
        expect![[r#"
            5:3 PB201 error unknown key `Description` in the playbook's `metadata` [did you mean `description`?] (help: rename the key to `description`)
            7:11 PB501 warning image `registry.example.com/playbook-steps/redis/nfo` is in no library [did you mean `registry.example.com/playbook-steps/redis/info`?] (help: use `registry.example.com/playbook-steps/redis/info`, or add this image's manifest at `steps/redis/nfo/manifest.yaml`)
            8:5 PB201 error unknown key `idd` in a step [did you mean `id`?] (help: rename the key to `id`)
        "#]],
    );
}

#[test]
fn an_unknown_file_has_no_diagnostics() {
    let host = AnalysisHost::new();
    assert!(host.diagnostics("nowhere.yaml").is_empty());
    assert_eq!(host.file_text("nowhere.yaml"), None);
}

#[test]
fn syntax_decode_and_lowering_problems_are_reported_once_each() {
    check(
        true,
        "apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: broken
  description: \"a \\q escape\"
steps:
  - name: registry.example.com/playbook-steps/redis/info
    env:
      NOTE: this: breaks
",
        expect![[r#"
            5:19 PB006 error invalid escape `\q` [not a YAML escape sequence] (help: write `\\q` for a literal backslash, or use single quotes)
            9:7 PB502 error `NOTE` is not an input of `registry.example.com/playbook-steps/redis/info` [not declared by the step's manifest] (help: remove it, or check the step's manifest for the input's name)
            9:17 PB002 error unquoted value contains `: ` [YAML reads this `: ` as the start of a nested mapping] (help: quote the value: "this: breaks")
        "#]],
    );
}

#[test]
fn configuring_libraries_updates_the_diagnostics() {
    let mut host = AnalysisHost::new();
    host.set_file_text("steps/redis/info/manifest.yaml", MANIFEST.into());
    host.set_file_text("playbook.yaml", PLAYBOOK.into());
    let codes = |host: &AnalysisHost| -> Vec<&'static str> {
        host.diagnostics("playbook.yaml")
            .iter()
            .map(|d| d.code.id)
            .collect()
    };
    assert!(codes(&host).is_empty());
    host.set_libraries(vec![Library {
        prefix: "registry.example.com/playbook-steps/".into(),
        dir: "steps".into(),
        missing: false,
    }]);
    assert_eq!(codes(&host), ["PB501", "PB501", "PB501"]);
    host.set_libraries(Vec::new());
    assert!(codes(&host).is_empty());
}

#[test]
fn the_tree_and_the_ir_of_a_file_are_available() {
    let mut host = AnalysisHost::new();
    host.set_file_text("playbook.yaml", PLAYBOOK.into());
    let parse = host.parse("playbook.yaml").unwrap();
    assert_eq!(parse.tree().text(), PLAYBOOK);
    let lowered = host.lowered("playbook.yaml").unwrap();
    assert_eq!(lowered.file.playbooks().count(), 1);
    assert!(host.parse("nowhere.yaml").is_none());
    assert!(host.lowered("nowhere.yaml").is_none());
}

const MANIFEST: &str = "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: step\n";
