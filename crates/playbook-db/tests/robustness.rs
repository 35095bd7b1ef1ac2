//! No input makes the host panic: every prefix of a playbook and of a manifest (as typed in
//! an editor, one byte after another) is checked, with the diagnostics sorted and inside the
//! text.

use playbook_db::{AnalysisHost, Library};

const PLAYBOOK: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: typed
parameters:
  - name: Host
    type: var
steps:
  - name: "registry.example.com/playbook-steps/redis/info:1.2"
    id: info
    env:
      HOST: "{{ $.params.Host }} \u00e9"
  - when: '{{ eq 1 1 }}'
    steps:
      - foreach:
          in: {range: [0, 2]}
          steps:
            - name: registry.example.com/playbook-steps/redis/info@sha256:00
              env: {HOST: "{{ $.info.info }}"}
---
apiVersion: stackpulse.io/v1
kind: Trigger
playbook: typed
metadata: {name: t}
"#;

const MANIFEST: &str = "apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: redis_info
  imageName: \"redis/info:7\"
envs:
  - {name: HOST, type: string, required: true}
outputs:
  - name: info
    type: json
";

#[test]
fn every_prefix_of_a_playbook_and_a_manifest_is_checked_without_panic() {
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![Library {
        prefix: "registry.example.com/playbook-steps/".into(),
        dir: "steps".into(),
        missing: false,
    }]);
    let manifest = "steps/redis/info/manifest.yaml";
    for (path, full, other) in [
        ("p.yaml", PLAYBOOK, MANIFEST),
        (manifest, MANIFEST, PLAYBOOK),
    ] {
        let other_path = if path == manifest { "p.yaml" } else { manifest };
        host.set_file_text(other_path, other.to_owned());
        for end in (0..=full.len()).filter(|i| full.is_char_boundary(*i)) {
            let text = &full[..end];
            host.set_file_text(path, text.to_owned());
            let diagnostics = host.diagnostics(path);
            for pair in diagnostics.windows(2) {
                let key = |d: &playbook_diagnostics::Diagnostic| {
                    (d.range.start(), d.range.end(), d.code.id)
                };
                assert!(key(&pair[0]) <= key(&pair[1]), "unsorted at {end}");
            }
            for d in &diagnostics {
                assert!(d.range.end() as usize <= end, "{d:?} past the end at {end}");
            }
            host.dependents(path);
            host.dependents(other_path);
        }
    }
    assert!(
        host.diagnostics("p.yaml").is_empty(),
        "{:?}",
        host.diagnostics("p.yaml")
    );
    assert_eq!(host.dependents(manifest), ["p.yaml"]);
    // The trigger is bound to the playbook of its own file, which is no dependent.
    assert!(host.dependents("p.yaml").is_empty());
}
