//! The runner of a playbook's control flow: parameters, `when`, blocks, loops with their
//! variables and `break`, outputs from mocks and from manifest examples, root-form reads.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use expect_test::{Expect, expect};
use playbook_eval::Value;
use playbook_eval::run::{Event, Inputs, run_playbook};
use playbook_hir::ir::{Item, StepManifest};

const MANIFEST: &str = r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: pods/list
outputs:
  - name: pods
    type: json
    example: '[{"name": "api-1", "restarts": 7}, {"name": "api-2", "restarts": 0}]'
  - name: cluster
    type: string
    example: prod-eu
"#;

/// Runs the first playbook of `playbook` (with the manifest above for image `pods/list`)
/// and prints what happened, one event a line.
fn check(playbook: &str, inputs: Inputs, expect: Expect) {
    let manifest_file = playbook_hir::lower(playbook_syntax::parse(MANIFEST).tree()).file;
    let manifest: Option<&StepManifest> = manifest_file.items.iter().find_map(|i| match i {
        Item::Step(m) => Some(&**m),
        _ => None,
    });
    let lowered = playbook_hir::lower(playbook_syntax::parse(playbook).tree()).file;
    let playbook_ir = lowered.playbooks().next().expect("a playbook");
    let manifests = |call: &playbook_hir::ir::StepCall| {
        (call.image.value == "pods/list")
            .then_some(manifest)
            .flatten()
    };
    let run = run_playbook(playbook_ir, &manifests, &inputs);
    let mut out = String::new();
    for p in &run.params {
        writeln!(out, "param {} = {:?} ({:?})", p.name, p.value, p.source).unwrap();
    }
    for (depth, event) in &run.events {
        let pad = "  ".repeat(*depth);
        let line = match event {
            Event::Step(step) => {
                let mut line = format!(
                    "step {} runs={} {:?}",
                    step.id.as_deref().unwrap_or("-"),
                    step.runs,
                    step.iterations
                );
                for (key, value) in &step.env {
                    write!(line, " {key}={:?}", value.text.as_deref().unwrap_or("ERR")).unwrap();
                }
                line
            }
            Event::Block { when, runs, .. } => format!(
                "block runs={runs} when={:?}",
                when.as_ref().map(|w| w.text.clone().unwrap_or_default())
            ),
            Event::Loop { runs, items, .. } => format!("loop runs={runs} items={items}"),
            Event::Iteration { index, key, .. } => format!("iteration {index} key={key:?}"),
            Event::Break { stops, .. } => format!("break stops={stops}"),
            Event::Failed { message, .. } => format!("FAILED {message}"),
        };
        writeln!(out, "{pad}{line}").unwrap();
    }
    expect.assert_eq(&out);
}

#[test]
fn parameters_conditions_loops_and_examples() {
    let playbook = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: triage
parameters:
  - name: Namespace
    type: var
    default: default
  - name: Channel
    type: var
  - name: Mode
    type: var
    default: "{{ $.params.Namespace }}-mode"
steps:
  - name: pods/list
    id: listing
    env:
      NS: "{{ $.params.Namespace }}"
  - when: "{{ gt (len $.listing.pods) 1 }}"
    steps:
      - name: chat/post
        id: note
        env:
          TEXT: "{{ .cluster }} has {{ len .pods }} pods; mode {{ $.params.Mode }}; channel {{ $.params.Channel }}"
  - foreach:
      in: listing.pods
      key: i
      value: pod
      break: "{{ ge .i 0 }}"
      steps:
        - name: chat/post
          id: line
          when: "{{ gt .pod.restarts 1.0 }}"
          env:
            TEXT: "{{ .pod.name }}"
  - foreach:
      in:
        range: [2, 4]
      key: k
      value: v
      steps:
        - name: chat/post
          env:
            N: "{{ .v }}/{{ .k }}"
  - name: chat/post
    when: "{{ eq $.params.Namespace \"prod\" }}"
"#;
    check(
        playbook,
        Inputs::default(),
        expect![[r#"
            param Namespace = String("default") (Default)
            param Channel = Missing (Missing)
            param Mode = String("default-mode") (Default)
            step listing runs=true [] NS="default"
            block runs=true when=Some("true")
              step note runs=true [] TEXT="prod-eu has 2 pods; mode default-mode; channel <no value>"
            loop runs=true items=2
              iteration 0 key=Int(0)
              step line runs=true [0] TEXT="api-1"
              break stops=true
            loop runs=true items=3
              iteration 0 key=Int(0)
              step - runs=true [0] N="2/0"
              iteration 1 key=Int(1)
              step - runs=true [1] N="3/1"
              iteration 2 key=Int(2)
              step - runs=true [2] N="4/2"
            step - runs=false []
        "#]],
    );
}

#[test]
fn given_values_and_mocked_outputs_replace_defaults_and_examples() {
    let playbook = r#"kind: Playbook
metadata:
  name: triage
parameters:
  - name: Namespace
    type: var
    default: default
steps:
  - name: pods/list
    id: pods
  - name: chat/post
    id: note
    env:
      TEXT: "{{ $.params.Namespace }}: {{ len $.pods.pods }} {{ .output }}"
  - name: chat/post
    env:
      TEXT: "{{ $.pods.pods.x }}"
  - name: chat/post
    id: never
"#;
    let mut inputs = Inputs::default();
    inputs.params.insert("Namespace".into(), "prod".into());
    let mock = serde_json::json!({"pods": []});
    inputs.outputs = BTreeMap::from([("pods".to_owned(), Value::from_json(&mock))]);
    check(
        playbook,
        inputs,
        expect![[r#"
            param Namespace = String("prod") (Given)
            step pods runs=true []
            step note runs=true [] TEXT="prod: 0 {\"pods\":[]}"
            step - runs=true [] TEXT="ERR"
            FAILED can't evaluate field x in type interface {}
        "#]],
    );
}
