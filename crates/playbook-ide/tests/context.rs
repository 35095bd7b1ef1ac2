//! The shared context of the editor features: the check's record of a playbook, as the
//! features see it through a fixture.

mod common;

use expect_test::{Expect, expect};
use playbook_check::analysis::Target;
use playbook_ide::context;

/// Lists every reference the check resolved in the fixture's `playbook.yaml`.
fn check(fixture: &str, expect: Expect) {
    let f = common::fixture(fixture);
    let file = f.file("playbook.yaml");
    let text = f.text("playbook.yaml");
    let mut out = String::new();
    context::for_each_analysis(f.db(), file, |_, analysis| {
        let mut refs: Vec<_> = analysis.references.iter().collect();
        refs.sort_by_key(|r| r.range.start());
        for r in refs {
            let target = match &r.target {
                Target::Param(p) => format!("param {}", p.name.value),
                Target::UndeclaredParam(n) => format!("undeclared param {n}"),
                Target::Step(i) => format!("step {i}"),
                Target::Output { step, name, output } => {
                    format!(
                        "output {name} of step {step} (declared: {})",
                        output.is_some()
                    )
                }
                Target::LoopVar { scope, name } => format!("loop var {name} of scope {scope}"),
                Target::Context(root) => format!("context {root}"),
            };
            out.push_str(&format!("{} {target}\n", common::show_range(text, r.range)));
        }
        for site in &analysis.sites {
            out.push_str(&format!(
                "site {} at {} own {:?} {:?}\n",
                common::show_range(text, site.text.range),
                site.at,
                site.own,
                site.kind
            ));
        }
    });
    expect.assert_eq(&out);
}

#[test]
fn references_and_sites_of_every_kind() {
    check(
        r#"
kind: Playbook
metadata:
  name: refs
parameters:
  - name: Host
    type: var
  - name: 'redis-ip'
    type: var
steps:
  - name: registry/steps/get
    id: fetch
    env:
      HOST: "{{ $.params.Host }}"
      IP: '{{ index $.params "redis-ip" }}'
  - foreach:
      in: "{{ $.fetch.items }}"
      value: pod
      steps:
        - name: registry/steps/get
          env:
            HOST: "{{ $.pod }} {{ .status }} {{ get \"$.params.Host\" }} {{ $.params.Nope }}"
//- library registry/steps/ steps
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
"#,
        expect![[r#"
            13:19-13:25 "params" context params
            13:26-13:30 "Host" param Host
            14:23-14:29 "params" context params
            14:31-14:39 "redis-ip" param redis-ip
            16:17-16:22 "fetch" step 0
            16:23-16:28 "items" output items of step 0 (declared: true)
            21:25-21:28 "pod" loop var pod of scope 0
            21:36-21:42 "status" output status of step 0 (declared: true)
            21:57-21:63 "params" context params
            21:64-21:68 "Host" param Host
            21:79-21:85 "params" context params
            21:86-21:90 "Nope" undeclared param Nope
            site 13:13-13:34 "\"{{ $.params.Host }}\"" at 0 own Some(0) Value
            site 14:11-14:44 "'{{ index $.params \"redis-ip\" }}'" at 0 own Some(0) Value
            site 16:11-16:32 "\"{{ $.fetch.items }}\"" at 1 own None Value
            site 21:19-21:94 "\"{{ $.pod }} {{ .status }} {{ get \\\"$.params.Host\\\" }} {{ $.params.Nope }}\"" at 1 own Some(1) Value
        "#]],
    );
}
