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

/// Completion reads the playbook's outline ([`playbook_check::outline_playbook`]) rather than
/// the whole check: over the precision suite's playbooks, against the real library, it must
/// be exactly what the check records of the steps, manifests, blocks, loops and sites.
#[test]
fn the_outline_is_what_the_check_records_of_the_structure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/precision/clean");
    let mut f = common::fixture("");
    if common::with_real_library(&mut f).is_none() {
        eprintln!("note: skipped, the shared test data was not found");
        return;
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&root).expect("tests/precision/clean") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read_to_string(&path).expect("a text")));
        }
    }
    f.host.set_file_texts(files.clone());
    let (mut playbooks, mut steps, mut sites) = (0, 0, 0);
    for (name, _) in &files {
        let file = f.file(name);
        let view = playbook_db::queries::WorkspaceView::for_file(f.db(), file);
        for playbook in playbook_db::queries::lower(f.db(), file).file.playbooks() {
            let whole = playbook_check::analyze_playbook(playbook, &view);
            let outline = playbook_check::outline_playbook(playbook, &view);
            assert!(outline.diagnostics.is_empty() && outline.references.is_empty());
            assert_eq!(
                whole.steps.iter().map(step).collect::<Vec<_>>(),
                outline.steps.iter().map(step).collect::<Vec<_>>(),
                "{name}"
            );
            assert_eq!(
                whole.sites.iter().map(site).collect::<Vec<_>>(),
                outline.sites.iter().map(site).collect::<Vec<_>>(),
                "{name}"
            );
            assert_eq!(
                whole.scopes.iter().map(scope).collect::<Vec<_>>(),
                outline.scopes.iter().map(scope).collect::<Vec<_>>(),
                "{name}"
            );
            assert_eq!(whole.parameters.len(), outline.parameters.len(), "{name}");
            playbooks += 1;
            steps += whole.steps.len();
            sites += whole.sites.len();
        }
    }
    eprintln!("outline = check's record over {playbooks} playbooks, {steps} steps, {sites} sites");
    assert!(
        playbooks >= 20 && steps >= 80,
        "{playbooks} playbooks, {steps} steps"
    );
}

type StepKey = (
    playbook_diagnostics::TextRange,
    Option<*const playbook_hir::ir::StepManifest>,
    Vec<usize>,
    Vec<String>,
);

fn step(s: &playbook_check::analysis::StepFacts<'_>) -> StepKey {
    (
        s.call.range,
        s.manifest.map(std::ptr::from_ref),
        s.scopes.clone(),
        s.outputs.names().iter().map(|n| n.to_string()).collect(),
    )
}

fn site(
    s: &playbook_check::analysis::SiteFacts<'_>,
) -> (
    playbook_diagnostics::TextRange,
    usize,
    Option<usize>,
    Vec<usize>,
    playbook_check::analysis::SiteKind,
) {
    (s.text.range, s.at, s.own, s.scopes.clone(), s.kind)
}

fn scope(
    s: &playbook_check::analysis::ScopeFacts<'_>,
) -> (
    playbook_diagnostics::TextRange,
    Vec<(String, Option<playbook_diagnostics::TextRange>)>,
) {
    (
        s.range,
        s.loop_vars
            .iter()
            .map(|(n, r)| (n.to_string(), *r))
            .collect(),
    )
}
