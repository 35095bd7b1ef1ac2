//! The data flow of `playbook graph`: nodes, groups, edges and marks, printed one per line
//! from the plain data, for fixtures that show each mark (an output nobody reads, a step
//! that never runs, a root-form read, a loop and a block).

mod common;

use expect_test::{Expect, expect};
use playbook_ide::graph::{Flow, Node, data_flow};

/// A library whose `get` step declares two outputs, and whose `raw` step declares a json
/// `output` with fields in its example.
const MANIFESTS: &str = r#"//- library registry/steps/ steps
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
  - name: status
    type: string
//- steps/raw/manifest.yaml
kind: Step
metadata:
  name: raw
envs:
  - name: HOST
    type: string
outputs:
  - name: output
    type: json
    example: '{"cluster": "c1", "nodes": 3}'
"#;

fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(&format!("{fixture}{MANIFESTS}"));
    let flows = data_flow(f.db(), f.file("playbook.yaml"));
    let out: Vec<String> = flows.iter().map(show).collect();
    expect.assert_eq(&out.join("\n"));
}

fn node(flow: &Flow, node: Node) -> String {
    match node {
        Node::Param(i) => format!("param {}", flow.parameters[i].name),
        Node::Step(i) => format!(
            "step {}",
            flow.steps[i].id.clone().unwrap_or_else(|| format!("#{i}"))
        ),
        Node::Group(i) => format!("group {i}"),
    }
}

fn show(flow: &Flow) -> String {
    let mut out = format!("playbook {:?}\n", flow.name);
    for p in &flow.parameters {
        out.push_str(&format!(
            "  param {} type={:?} declared={} read={}\n",
            p.name, p.ty, p.declared, p.read
        ));
    }
    for (i, g) in flow.groups.iter().enumerate() {
        out.push_str(&format!(
            "  group {i} {:?} parent={:?} when={:?} source={:?} vars={:?} break={:?} never={:?}\n",
            g.kind, g.parent, g.when, g.source, g.vars, g.break_when, g.never_runs
        ));
    }
    for s in &flow.steps {
        out.push_str(&format!(
            "  step {:?} {} group={:?} never={:?} outputs={:?} unused={:?}\n",
            s.id, s.image, s.group, s.never_runs, s.outputs, s.unused_outputs
        ));
    }
    for e in &flow.edges {
        out.push_str(&format!(
            "  {} -> {} [{}]\n",
            node(flow, e.from),
            node(flow, e.to),
            e.label()
        ));
    }
    out
}

#[test]
fn parameters_and_qualified_reads() {
    check(
        r#"
kind: Playbook
metadata:
  name: flow
parameters:
  - name: Host
    type: var
  - name: Unread
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{ $.params.Host }}"
  - name: registry/steps/get
    id: again
    env:
      HOST: '{{ index $.params "Host" }}'
      IP: "{{ $.fetch.items }} {{ $.fetch.status }} {{ $.params.Nope }}"
"#,
        expect![[r#"
            playbook Some("flow")
              param Host type=Some("var") declared=true read=true
              param Unread type=Some("var") declared=true read=false
              param Nope type=None declared=false read=true
              step Some("fetch") registry/steps/get group=None never=None outputs=["items", "status"] unused=[]
              step Some("again") registry/steps/get group=None never=None outputs=["items", "status"] unused=["items", "status"]
              param Host -> step fetch [Host]
              param Host -> step again [Host]
              step fetch -> step again [items, status]
              param Nope -> step again [Nope]
        "#]],
    );
}

#[test]
fn root_form_reads_go_to_the_step_the_check_resolves() {
    // `.items` is the most recent earlier step with `items` (`second`, not `first`);
    // `output` is the raw output of the step just before.
    check(
        r#"
kind: Playbook
metadata:
  name: root
steps:
  - name: registry/steps/get
    id: first
  - name: registry/steps/get
    id: second
  - name: registry/steps/raw
    id: info
    env:
      HOST: "{{ toJson .items }}"
  - name: registry/steps/raw
    env:
      HOST: "{{ .output }} {{ $.status }}"
"#,
        expect![[r#"
            playbook Some("root")
              step Some("first") registry/steps/get group=None never=None outputs=["items", "status"] unused=["items", "status"]
              step Some("second") registry/steps/get group=None never=None outputs=["items", "status"] unused=[]
              step Some("info") registry/steps/raw group=None never=None outputs=["output"] unused=[]
              step None registry/steps/raw group=None never=None outputs=["output"] unused=["output"]
              step second -> step info [.items]
              step info -> step #3 [.output]
              step second -> step #3 [.status]
        "#]],
    );
}

#[test]
fn a_field_of_the_json_output_or_the_whole_step_reads_the_output() {
    check(
        r#"
kind: Playbook
metadata:
  name: whole
steps:
  - name: registry/steps/raw
    id: info
  - name: registry/steps/get
    id: fetch
  - name: registry/steps/raw
    env:
      HOST: "{{ $.info.cluster }} {{ toJson $.fetch }}"
"#,
        expect![[r#"
            playbook Some("whole")
              step Some("info") registry/steps/raw group=None never=None outputs=["output"] unused=[]
              step Some("fetch") registry/steps/get group=None never=None outputs=["items", "status"] unused=[]
              step None registry/steps/raw group=None never=None outputs=["output"] unused=["output"]
              step info -> step #2 [cluster]
              step fetch -> step #2 [*]
        "#]],
    );
}

#[test]
fn steps_that_never_run() {
    // A literal `false`, a quoted one, a template that is constant false, a block that
    // never runs (and the steps inside it), and an empty range; `{{ 0 }}` and a condition
    // reading data are not certain.
    check(
        r#"
kind: Playbook
metadata:
  name: never
steps:
  - name: registry/steps/get
    id: off
    when: false
  - name: registry/steps/get
    id: quoted
    when: "false"
  - name: registry/steps/get
    id: folded
    when: "{{ and true (not true) }}"
  - name: registry/steps/get
    id: zero
    when: "{{ 0 }}"
  - name: registry/steps/get
    id: data
    when: "{{ eq $.off.status \"x\" }}"
  - when: '{{ or false "false" }}'
    steps:
      - name: registry/steps/get
        id: inside
      - foreach:
          in: "{{ $.inside.items }}"
          steps:
            - name: registry/steps/get
              id: deeper
  - foreach:
      in:
        range: [3, 1]
      steps:
        - name: registry/steps/get
          id: empty
"#,
        expect![[r#"
            playbook Some("never")
              group 0 Block parent=None when=Some("{{ or false \"false\" }}") source=None vars=None break=None never=Some(When("false"))
              group 1 Loop parent=Some(0) when=None source=Some("{{ $.inside.items }}") vars=Some(("key", "value")) break=None never=Some(Inside(0))
              group 2 Loop parent=None when=None source=Some("range: [3, 1]") vars=Some(("key", "value")) break=None never=Some(EmptyRange)
              step Some("off") registry/steps/get group=None never=Some(When("false")) outputs=["items", "status"] unused=["items"]
              step Some("quoted") registry/steps/get group=None never=Some(When("false")) outputs=["items", "status"] unused=["items", "status"]
              step Some("folded") registry/steps/get group=None never=Some(When("false")) outputs=["items", "status"] unused=["items", "status"]
              step Some("zero") registry/steps/get group=None never=None outputs=["items", "status"] unused=["items", "status"]
              step Some("data") registry/steps/get group=None never=None outputs=["items", "status"] unused=["items", "status"]
              step Some("inside") registry/steps/get group=Some(0) never=Some(Inside(0)) outputs=["items", "status"] unused=["status"]
              step Some("deeper") registry/steps/get group=Some(1) never=Some(Inside(0)) outputs=["items", "status"] unused=["items", "status"]
              step Some("empty") registry/steps/get group=Some(2) never=Some(Inside(2)) outputs=["items", "status"] unused=["items", "status"]
              step off -> step data [status]
              step inside -> group 1 [items]
        "#]],
    );
}

#[test]
fn loops_and_blocks_group_their_steps_and_read_as_groups() {
    check(
        r#"
kind: Playbook
metadata:
  name: loops
parameters:
  - name: Env
    type: var
steps:
  - name: registry/steps/get
    id: fetch
  - when: '{{ eq $.params.Env "prod" }}'
    steps:
      - foreach:
          in: fetch.items
          key: i
          value: item
          break: "{{ eq $.probe.status \"ok\" }}"
          steps:
            - name: registry/steps/get
              id: probe
              env:
                HOST: "{{ .item }}"
  - name: registry/steps/get
    env:
      HOST: "{{ $.probe.items }}"
"#,
        expect![[r#"
            playbook Some("loops")
              param Env type=Some("var") declared=true read=true
              group 0 Block parent=None when=Some("{{ eq $.params.Env \"prod\" }}") source=None vars=None break=None never=None
              group 1 Loop parent=Some(0) when=None source=Some("fetch.items") vars=Some(("i", "item")) break=Some("{{ eq $.probe.status \"ok\" }}") never=None
              step Some("fetch") registry/steps/get group=None never=None outputs=["items", "status"] unused=["status"]
              step Some("probe") registry/steps/get group=Some(1) never=None outputs=["items", "status"] unused=[]
              step None registry/steps/get group=None never=None outputs=["items", "status"] unused=["items", "status"]
              param Env -> group 0 [Env]
              step fetch -> group 1 [items]
              step probe -> group 1 [status]
              step probe -> step #2 [items]
        "#]],
    );
}

#[test]
fn a_file_without_playbooks_has_no_flow_and_several_have_one_each() {
    let f = common::fixture(&format!(
        "{}{MANIFESTS}",
        r#"
kind: Playbook
metadata:
  name: one
steps:
  - name: registry/steps/get
---
kind: Playbook
metadata:
  name: two
steps:
  - name: registry/steps/get
"#
    ));
    let flows = data_flow(f.db(), f.file("playbook.yaml"));
    let names: Vec<_> = flows.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(names, [Some("one"), Some("two")]);
    assert!(data_flow(f.db(), f.file("steps/get/manifest.yaml")).is_empty());
}
