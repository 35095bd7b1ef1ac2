//! The server loads the workspace folder the client opens: its `playbook.toml`, step
//! libraries and playbooks, so that an open playbook is checked against the manifests on
//! disk exactly as `playbook check` checks it; and a closed document goes back to its text on
//! disk. YAML of other tools gets no diagnostics, and a manifest that is somebody else's
//! code (excluded, or in a library outside the project) reports no defect.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{Client, did_open};
use serde_json::{Value, json};

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A server whose client opened the workspace folder `root`, initialized.
async fn client_in(root: &Path) -> (Client, String) {
    let root_uri = format!("file://{}", root.display());
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root_uri}),
        )
        .await;
    client.notify("initialized", json!({})).await;
    (client, root_uri)
}

#[tokio::test]
async fn open_playbooks_are_checked_against_the_workspace_libraries() {
    let root = std::env::temp_dir().join(format!("playbook-lsp-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("steps/redis/info")).unwrap();
    std::fs::write(
        root.join("playbook.toml"),
        "[[library]]\nprefix = \"registry.example.com/\"\npath = \"steps\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("steps/redis/info/manifest.yaml"),
        "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: redis_info\noutputs:\n  - name: info\n    type: json\n",
    )
    .unwrap();
    let playbook = "apiVersion: stackpulse.io/v1\nkind: Playbook\nmetadata:\n  name: p\nsteps:\n  - name: registry.example.com/redis/info\n    id: info\n  - name: registry.example.com/redis/info\n    when: \"{{ $.info.infos }}\"\n";
    std::fs::write(root.join("p.yaml"), playbook).unwrap();

    let (mut client, root_uri) = client_in(&root).await;

    let uri = format!("{root_uri}/p.yaml");
    client.send(&did_open(&uri, 1, playbook)).await;
    let published = client.diagnostics_for(&uri).await;
    // PB404 needs the manifest, which only the workspace on disk provides.
    assert_eq!(codes(&published), ["PB404"], "{published}");

    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&root);
}

/// Editors attach the server to every YAML file: those of other tools get no diagnostics,
/// with or without a workspace folder, when opened and when edited.
#[tokio::test]
async fn yaml_that_is_not_a_playbook_gets_no_diagnostics() {
    let mut client = Client::start();
    client
        .request("initialize", json!({"capabilities": {}}))
        .await;
    client.notify("initialized", json!({})).await;
    for (i, (path, text)) in playbook_test_support::other_yaml().iter().enumerate() {
        let uri = format!("file:///repo/{path}");
        client.send(&did_open(&uri, 1, text)).await;
        let published = client.diagnostics_for(&uri).await;
        assert_eq!(published["diagnostics"], json!([]), "{path}: {published}");
        // Edited into something even less valid: still nothing.
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": 2},
                       "contentChanges": [{"text": format!("{text}\n{{{{ if ${{ bad }} {i}\n")}]}),
            )
            .await;
        let published = client.diagnostics_for(&uri).await;
        assert_eq!(published["diagnostics"], json!([]), "{path}: {published}");
    }
    client.finish(true).await;
}

const DEFECTIVE_MANIFEST: &str = "apiVersion: stackpulse.io/v1\nkind: Step\nmetadata:\n  name: psql_query_cancel\nenvs:\n  - name: DOCKER_USE_SUDO\n    type: bool\n  - name: DOCKER_USE_SUDO\n    type: bool\n";

/// A manifest of the project reports its defect as a warning (PB520); the same manifest is
/// silent where it is somebody else's code: excluded in `playbook.toml`, or in a library
/// folder outside the project, whether the server loaded it or it is opened later.
#[tokio::test]
async fn manifest_defects_are_warnings_and_never_in_somebody_elses_code() {
    let base = std::env::temp_dir().join(format!("playbook-lsp-foreign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let root = base.join("project");
    let files = [
        (
            "project/playbook.toml",
            "exclude = [\"vendor/**\"]\n\n[[library]]\nprefix = \"registry.example.com/\"\npath = \"steps\"\n\n[[library]]\nprefix = \"us-docker.pkg.dev/stackpulse/public/\"\npath = \"../shared-steps\"\n",
        ),
        (
            "project/steps/psql/cancel/manifest.yaml",
            DEFECTIVE_MANIFEST,
        ),
        (
            "project/vendor/psql/cancel/manifest.yaml",
            DEFECTIVE_MANIFEST,
        ),
        ("shared-steps/psql/cancel/manifest.yaml", DEFECTIVE_MANIFEST),
    ];
    for (path, text) in files {
        let path = base.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (mut client, root_uri) = client_in(&root).await;

    let own = format!("{root_uri}/steps/psql/cancel/manifest.yaml");
    client.send(&did_open(&own, 1, DEFECTIVE_MANIFEST)).await;
    let published = client.diagnostics_for(&own).await;
    assert_eq!(codes(&published), ["PB520"], "{published}");
    assert_eq!(published["diagnostics"][0]["severity"], 2, "a warning");

    for foreign in [
        format!("{root_uri}/vendor/psql/cancel/manifest.yaml"),
        format!(
            "file://{}/shared-steps/psql/cancel/manifest.yaml",
            base.display()
        ),
        // Not on disk yet: excluded all the same.
        format!("{root_uri}/vendor/new/manifest.yaml"),
    ] {
        client
            .send(&did_open(&foreign, 1, DEFECTIVE_MANIFEST))
            .await;
        let published = client.diagnostics_for(&foreign).await;
        assert_eq!(
            codes(&published),
            Vec::<String>::new(),
            "{foreign}: {published}"
        );
    }
    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&base);
}
