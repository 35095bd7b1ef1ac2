//! `dependents`: the playbooks that call a manifest, the triggers bound to a playbook.
//!
//! Every test but `unknown_and_unrelated_files_have_no_dependents` needs the YAML parser.

use playbook_db::{AnalysisHost, Library};

fn manifest(name: &str) -> String {
    format!("apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: {name}\n")
}

fn playbook(name: &str, images: &[&str]) -> String {
    let mut text = format!(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: {name}\nsteps:\n"
    );
    for image in images {
        text.push_str(&format!("  - name: {image}\n"));
    }
    text
}

fn trigger(name: &str, playbook: &str) -> String {
    format!(
        "apiVersion: stackpulse.io/v1\nkind: Trigger\nenabled: true\nplaybook: {playbook}\nmetadata:\n  name: {name}\n"
    )
}

fn host() -> AnalysisHost {
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![Library {
        prefix: "reg.io/steps/".into(),
        dir: "steps".into(),
        missing: false,
    }]);
    host.set_file_text("steps/m1/manifest.yaml", manifest("m1"));
    host.set_file_text("steps/m2/manifest.yaml", manifest("m2"));
    host.set_file_text("a.yaml", playbook("a", &["reg.io/steps/m1"]));
    host.set_file_text(
        "b.yaml",
        playbook("b", &["reg.io/steps/m1:2", "reg.io/steps/missing"]),
    );
    host.set_file_text("c.yaml", playbook("c", &["reg.io/steps/m2@sha256:00ff"]));
    host.set_file_text("t.yaml", trigger("on-alert", "a"));
    host.set_file_text("unbound.yaml", trigger("unbound", "\"\""));
    host
}

#[test]
fn a_manifest_s_dependents_are_the_playbooks_that_call_it() {
    let host = host();
    assert_eq!(
        host.dependents("steps/m1/manifest.yaml"),
        ["a.yaml", "b.yaml"]
    );
    assert_eq!(host.dependents("steps/m2/manifest.yaml"), ["c.yaml"]);
}

#[test]
fn a_playbook_s_dependents_are_the_triggers_bound_to_it() {
    let host = host();
    assert_eq!(host.dependents("a.yaml"), ["t.yaml"]);
    assert!(host.dependents("b.yaml").is_empty());
}

#[test]
fn dependents_follow_edits() {
    let mut host = host();
    host.set_file_text("b.yaml", playbook("b", &["reg.io/steps/m2"]));
    host.set_file_text("t.yaml", trigger("on-alert", "b"));
    assert_eq!(host.dependents("steps/m1/manifest.yaml"), ["a.yaml"]);
    assert_eq!(
        host.dependents("steps/m2/manifest.yaml"),
        ["b.yaml", "c.yaml"]
    );
    assert!(host.dependents("a.yaml").is_empty());
    assert_eq!(host.dependents("b.yaml"), ["t.yaml"]);
    host.remove_file("c.yaml");
    assert_eq!(host.dependents("steps/m2/manifest.yaml"), ["b.yaml"]);
}

#[test]
fn unknown_and_unrelated_files_have_no_dependents() {
    let host = host();
    assert!(host.dependents("nowhere.yaml").is_empty());
    assert!(host.dependents("t.yaml").is_empty());
    assert!(host.dependents("unbound.yaml").is_empty());
}

#[test]
fn calls_resolved_by_image_name_or_trailing_path_are_dependents_too() {
    let mut host = host();
    host.set_file_text(
        "vendor/azure/manifest.yaml",
        "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: azure\n  imageName: microsoft/azure-cli\n"
            .into(),
    );
    host.set_file_text("vendor/redis/info/manifest.yaml", manifest("info"));
    host.set_file_text(
        "d.yaml",
        playbook("d", &["microsoft/azure-cli:2.61", "other.io/x/redis/info"]),
    );
    assert_eq!(host.dependents("vendor/azure/manifest.yaml"), ["d.yaml"]);
    assert_eq!(
        host.dependents("vendor/redis/info/manifest.yaml"),
        ["d.yaml"]
    );
}

#[test]
fn diagnostics_of_all_files_in_parallel_equal_the_one_by_one_answers() {
    let mut host = playbook_db::AnalysisHost::new();
    let mut paths = Vec::new();
    for i in 0..9 {
        let path = format!("p{i}.yaml");
        let text = format!(
            "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p{}\nparameters:\n  - name: X\n    type: var\nsteps:\n  - name: img\n    env:\n      A: \"{{{{ $.params.Y }}}}\"\n",
            i % 4
        );
        host.set_file_text(&path, text);
        paths.push(path);
    }
    paths.push("missing.yaml".to_owned());
    let together = host.diagnostics_of_all(&paths);
    let one_by_one: Vec<_> = paths.iter().map(|p| host.diagnostics(p)).collect();
    assert_eq!(together, one_by_one);
    assert!(together[0].iter().any(|d| d.code.id == "PB301"));
    assert!(
        together[0].iter().any(|d| d.code.id == "PB603"),
        "p0 and p4 share a name"
    );
    assert!(together[9].is_empty());
}
