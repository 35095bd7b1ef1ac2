//! The server loads the workspace folder the client opens: its `playbook.toml`, step
//! libraries and playbooks, so that an open playbook is checked against the manifests on
//! disk exactly as `playbook check` checks it; and a closed document goes back to its text on
//! disk.

#![allow(clippy::unwrap_used)]

mod common;

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

    let root_uri = format!("file://{}", root.display());
    let mut client = Client::start();
    client
        .request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root_uri}),
        )
        .await;
    client.notify("initialized", json!({})).await;

    let uri = format!("{root_uri}/p.yaml");
    client.send(&did_open(&uri, 1, playbook)).await;
    let published = client.diagnostics_for(&uri).await;
    // PB404 needs the manifest, which only the workspace on disk provides.
    assert_eq!(codes(&published), ["PB404"], "{published}");

    client.finish(true).await;
    let _ = std::fs::remove_dir_all(&root);
}
