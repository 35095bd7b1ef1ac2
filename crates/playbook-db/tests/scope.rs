//! What the database reports on, and how: only playbook files (a GitHub workflow, an Ansible
//! playbook, a Kubernetes manifest, a Helm chart get nothing, whatever their templates),
//! defects of step manifests as warnings under one code (none in somebody else's code), no
//! unknown-image finding for a library whose folder is missing, and a defect of a manifest
//! never reported twice in a call. Snapshots print `line:col CODE severity message [label]
//! (help)`.

use expect_test::{Expect, expect};
use playbook_db::{AnalysisHost, Library};
use playbook_diagnostics::Severity;

fn show(host: &AnalysisHost, path: &str) -> String {
    let text = host.file_text(path).unwrap_or_default();
    host.diagnostics(path)
        .iter()
        .map(|d| playbook_test_support::diagnostic_line(text, d) + "\n")
        .collect()
}

fn check(files: &[(&str, &str)], path: &str, expect: Expect) {
    let mut host = AnalysisHost::new();
    for (file, text) in files {
        host.set_file_text(file, (*text).to_owned());
    }
    expect.assert_eq(&show(&host, path));
}

#[test]
fn yaml_that_is_not_a_playbook_has_no_diagnostics() {
    let mut host = AnalysisHost::new();
    // Real-world YAML of other tools, with their own template languages.
    let files = playbook_test_support::other_yaml();
    for (path, text) in &files {
        host.set_file_text(path, text.clone());
        assert!(!playbook_hir::is_playbook_file(text), "{path}");
    }
    for (path, _) in &files {
        assert_eq!(show(&host, path), "", "{path}");
    }
    // The same templates in a playbook are checked: the decision is the file's, not the
    // template's.
    let playbook = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: a/b\n    when: ${{ github.sha }}\n";
    host.set_file_text("p.yaml", playbook.to_owned());
    assert!(
        host.diagnostics("p.yaml")
            .iter()
            .any(|d| d.code.id == "PB101")
    );
    // A playbook whose syntax is broken before its `kind` is still one.
    host.set_file_text("broken.yaml", "steps: [a\nkind: Playbook\n".to_owned());
    assert!(!host.diagnostics("broken.yaml").is_empty());
}

const MANIFEST: &str = r#"apiVersion: stackpulse.io/v1
kind: Step
metadata:
  name: psql_query_cancel
  vendor: psql
envs:
  - name: HOST
    type: string
    required: true
    example: db.internal
    example: db2.internal
  - name: PIDS
    type: string
    required: true
  - name: HOST
    type: string
    required: true
"#;

#[test]
fn manifest_defects_are_warnings_under_one_code() {
    check(
        &[("steps/psql/cancel/manifest.yaml", MANIFEST)],
        "steps/psql/cancel/manifest.yaml",
        expect![[r#"
            11:5 PB520 warning duplicate key `example` [given again here] (help: remove one of the two entries)
            15:11 PB520 warning input `HOST` is declared twice [declared again here] (help: remove one of the two declarations)
        "#]],
    );
}

#[test]
fn syntax_errors_in_a_manifest_stay_errors() {
    let broken = MANIFEST.replace("example: db.internal", "example: \"db.internal");
    let mut host = AnalysisHost::new();
    host.set_file_text("m.yaml", broken);
    let errors: Vec<(&str, Severity)> = host
        .diagnostics("m.yaml")
        .iter()
        .map(|d| (d.code.id, d.severity))
        .filter(|(_, severity)| *severity == Severity::Error)
        .collect();
    assert!(
        errors.iter().any(|(code, _)| code.starts_with("PB00")),
        "{errors:?}"
    );
    assert!(
        errors.iter().all(|(code, _)| code.starts_with("PB00")),
        "{errors:?}"
    );
}

#[test]
fn somebody_elses_manifest_reports_no_defect() {
    let mut host = AnalysisHost::new();
    host.set_file_text("vendor/m.yaml", MANIFEST.to_owned());
    host.set_foreign("vendor/m.yaml", true);
    assert_eq!(show(&host, "vendor/m.yaml"), "");
    host.set_foreign("vendor/m.yaml", false);
    assert_eq!(host.diagnostics("vendor/m.yaml").len(), 2);
    // Setting a file that is not there changes nothing.
    host.set_foreign("absent.yaml", true);
    assert!(host.file("absent.yaml").is_none());
}

#[test]
fn manifest_defects_follow_the_severity_settings() {
    let mut host = AnalysisHost::new();
    host.set_file_text("m.yaml", MANIFEST.to_owned());
    host.set_severity(vec![("PB520".to_owned(), None)]);
    assert_eq!(show(&host, "m.yaml"), "");
    host.set_severity(vec![("PB520".to_owned(), Some(Severity::Error))]);
    assert!(
        host.diagnostics("m.yaml")
            .iter()
            .all(|d| d.severity == Severity::Error && d.code.id == "PB520")
    );
}

const CALLER: &str = r#"apiVersion: stackpulse.io/v1
kind: Playbook
metadata:
  name: cancel-long-queries
steps:
  - name: registry.example.com/steps/psql/cancel
  - name: registry.example.com/missing/redis/info
  - name: registry.example.com/steps/psql/cancle
"#;

/// A call that omits an input the manifest declares twice is told once; a call into a
/// library whose folder is missing is not reported (its folder is, on the configuration).
#[test]
fn a_call_is_held_to_each_input_once_and_missing_libraries_are_not_reported_per_call() {
    let mut host = AnalysisHost::new();
    let steps = Library {
        prefix: "registry.example.com/steps/".into(),
        dir: "steps".into(),
        missing: false,
    };
    let missing = Library {
        prefix: "registry.example.com/missing".into(),
        dir: "/nonexistent/missing".into(),
        missing: true,
    };
    host.set_libraries(vec![steps.clone(), missing.clone()]);
    host.set_file_text("steps/psql/cancel/manifest.yaml", MANIFEST.to_owned());
    host.set_file_text("p.yaml", CALLER.to_owned());
    expect![[r#"
        6:11 PB503 error missing required input `HOST` [`registry.example.com/steps/psql/cancel` requires `HOST`] (help: add `HOST: <value>` under `env`)
        6:11 PB503 error missing required input `PIDS` [`registry.example.com/steps/psql/cancel` requires `PIDS`] (help: add `PIDS: <value>` under `env`)
        8:11 PB501 warning image `registry.example.com/steps/psql/cancle` is in no library [did you mean `registry.example.com/steps/psql/cancel`?] (help: use `registry.example.com/steps/psql/cancel`, or add this image's manifest at `steps/psql/cancle/manifest.yaml`)
    "#]]
    .assert_eq(&show(&host, "p.yaml"));
    // Once the folder is found, its calls are checked again.
    host.set_libraries(vec![
        steps,
        Library {
            missing: false,
            ..missing
        },
    ]);
    assert!(show(&host, "p.yaml").contains("registry.example.com/missing/redis/info"));
}
