//! The real step library (`corpus/stackpulse-steps` of the shared test data, 153 manifests)
//! as a library of the workspace: every manifest is found by its image, nothing in it is an
//! unknown image, and a playbook calling every step resolves every call.

use playbook_db::{AnalysisHost, Library};

const PREFIX: &str = "us-docker.pkg.dev/stackpulse/public/";
const DIR: &str = "stackpulse-steps";

#[test]
fn every_real_manifest_is_found_by_its_library_image() {
    let Some(corpus) = playbook_test_support::shared_data("corpus/stackpulse-steps") else {
        return;
    };
    let files = playbook_test_support::yaml_files(&corpus);
    let mut host = AnalysisHost::new();
    host.set_libraries(vec![Library {
        prefix: PREFIX.into(),
        dir: DIR.into(),
        missing: false,
    }]);
    let mut images = Vec::new();
    for (rel, text) in files {
        let path = format!("{DIR}/{rel}");
        if let Some(folder) = rel.strip_suffix("/manifest.yaml") {
            images.push((format!("{PREFIX}{folder}"), path.clone()));
        }
        host.set_file_text(&path, text);
    }
    assert!(images.len() >= 150, "only {} manifests found", images.len());
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for path in host.files() {
        for d in host.diagnostics(path) {
            *by_code.entry(d.code.id).or_default() += 1;
        }
    }
    println!("diagnostics of the real manifests, by code: {by_code:?}");
    for (image, path) in &images {
        assert_eq!(
            host.resolve_image(&format!("{image}:latest")),
            [path.as_str()],
            "{image}"
        );
        let unknown: Vec<_> = host
            .diagnostics(path)
            .into_iter()
            .filter(|d| d.code.id == "PB501")
            .collect();
        assert!(unknown.is_empty(), "{path}: {unknown:?}");
    }

    // One playbook calling every step, and one misspelled step.
    let mut playbook = String::from(
        "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: all-steps\nsteps:\n",
    );
    for (image, _) in &images {
        playbook.push_str(&format!("  - name: {image}\n"));
    }
    playbook.push_str(&format!("  - name: {PREFIX}redis/infoo\n"));
    host.set_file_text("all-steps.yaml", playbook);
    let unknown: Vec<String> = host
        .diagnostics("all-steps.yaml")
        .into_iter()
        .filter(|d| d.code.id == "PB501")
        .map(|d| format!("{} [{}]", d.message, d.label.unwrap_or_default()))
        .collect();
    assert_eq!(
        unknown,
        [format!(
            "image `{PREFIX}redis/infoo` is in no library [did you mean `{PREFIX}redis/info`?]"
        )]
    );
    assert_eq!(
        host.dependents(&format!("{DIR}/redis/info/manifest.yaml")),
        ["all-steps.yaml"]
    );
    println!("{} real manifests resolved by their image", images.len());
}
